//! `#[derive(ParamEnum)]`: a fieldless enum as a path, query, header or cookie parameter.

use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields};

use crate::model::{rename_rule, serde_rename};

pub(crate) fn expand(item: TokenStream) -> syn::Result<TokenStream> {
    let input: DeriveInput = syn::parse2(item)?;
    let Data::Enum(data) = &input.data else {
        return Err(syn::Error::new(
            input.ident.span(),
            "`ParamEnum` is for enums whose variants have no fields, e.g. `enum Size { S, M, L }`; a struct can be a JSON body (`Json<T>` with `#[model]`), not a parameter",
        ));
    };
    if data.variants.iter().any(|v| v.discriminant.is_some()) {
        return int_enum(&input, data);
    }
    let rule = rename_rule(&input.attrs, "param")?.or(rename_rule(&input.attrs, "serde")?);
    let mut names = Vec::new();
    let mut idents = Vec::new();
    let mut errors = crate::errors::Errors::default();
    for v in &data.variants {
        if !matches!(v.fields, Fields::Unit) {
            errors.spanned(
                &v.fields,
                format!(
                    "`ParamEnum` variants cannot have fields: a parameter's value is one of the variant names; make `{}` a unit variant, or read structured input from a JSON body (`Json<T>` with `#[model]`)",
                    v.ident
                ),
            );
            continue;
        }
        let rename = serde_rename(&v.attrs, "param")?.or(serde_rename(&v.attrs, "serde")?);
        names.push(crate::model::wire_name(rename, &v.ident, rule.as_deref()));
        idents.push(v.ident.clone());
    }
    errors.finish()?;
    let ident = &input.ident;
    let title = ident.to_string();
    let p = quote!(::ferrapi::__private);
    Ok(quote! {
        impl #p::ParamValue for #ident {
            fn parse(raw: &str) -> ::core::result::Result<Self, #p::Problem> {
                match raw {
                    #(#names => ::core::result::Result::Ok(#ident::#idents),)*
                    _ => ::core::result::Result::Err(#p::Problem::enumeration(&[#(#names),*], true)),
                }
            }
            fn to_json(&self) -> #p::serde_json::Value {
                #p::serde_json::Value::from(self.as_str())
            }
            fn schema() -> #p::serde_json::Value {
                #p::serde_json::json!({ "$ref": ::std::format!("#/components/schemas/{}", #title) })
            }
            fn component() -> ::core::option::Option<(::std::string::String, #p::serde_json::Value)> {
                ::core::option::Option::Some((#title.to_string(), #p::enum_schema(#title, &[#(#names),*])))
            }
        }

        impl #ident {
            /// The name of this value on the wire.
            pub fn as_str(&self) -> &'static str {
                match self {
                    #(#ident::#idents => #names,)*
                }
            }
        }

    })
}

/// An enum with discriminants: a parameter read as one of its integer values (`?urgency=2`),
/// documented as the integer enum component `#[model]` writes for it.
fn int_enum(input: &DeriveInput, data: &syn::DataEnum) -> syn::Result<TokenStream> {
    let mut idents = Vec::new();
    for v in &data.variants {
        if !matches!(v.fields, Fields::Unit) {
            return Err(syn::Error::new(
                v.fields.span(),
                "`ParamEnum` variants cannot have fields",
            ));
        }
        idents.push(v.ident.clone());
    }
    let ident = &input.ident;
    let title = ident.to_string();
    let p = quote!(::ferrapi::__private);
    Ok(quote! {
        impl #p::ParamValue for #ident {
            fn parse(raw: &str) -> ::core::result::Result<Self, #p::Problem> {
                const VALUES: &[i64] = &[#(#ident::#idents as i64),*];
                let n = #p::parse_lax_int(raw).ok();
                #(if n == ::core::option::Option::Some(#ident::#idents as i128) {
                    return ::core::result::Result::Ok(#ident::#idents);
                })*
                ::core::result::Result::Err(#p::int_enum_problem(VALUES))
            }
            fn to_json(&self) -> #p::serde_json::Value {
                let v: i64 = match self { #(#ident::#idents => #ident::#idents as i64,)* };
                #p::serde_json::Value::from(v)
            }
            fn schema() -> #p::serde_json::Value {
                #p::serde_json::json!({ "$ref": ::std::format!("#/components/schemas/{}", #title) })
            }
            fn component() -> ::core::option::Option<(::std::string::String, #p::serde_json::Value)> {
                const VALUES: &[i64] = &[#(#ident::#idents as i64),*];
                ::core::option::Option::Some((#title.to_string(), #p::int_enum_json(#title, VALUES)))
            }
        }
    })
}
