//! The schema of an enum: a string `enum` for fieldless variants, else `oneOf` the
//! variants in serde's representation.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{DataEnum, Fields, Type};

use super::{object_code, schema_attrs, serde_field, use_schema, SerdeContainer};
use crate::errors::Errors;
use crate::model::wire_name;
use crate::parse::doc_text;

pub(super) fn enum_code(
    e: &DataEnum,
    serde: &SerdeContainer,
    errors: &mut Errors,
) -> (TokenStream, Vec<Type>) {
    let p = quote!(::ferrapi::__private);
    let wire = |v: &syn::Variant| {
        wire_name(
            serde_field(&v.attrs).rename,
            &v.ident,
            serde.rename_all.as_deref(),
        )
    };
    let variants: Vec<&syn::Variant> = e
        .variants
        .iter()
        .filter(|v| !serde_field(&v.attrs).skip)
        .collect();
    let tagged = serde.tag.is_some() || serde.untagged;
    if !tagged && variants.iter().all(|v| matches!(v.fields, Fields::Unit)) {
        let names: Vec<String> = variants.iter().map(|v| wire(v)).collect();
        return (quote!(#p::string_enum(&[#(#names),*])), vec![]);
    }
    let mut types = Vec::new();
    let mut items = Vec::new();
    for v in variants {
        let name = wire(v);
        let vs = serde_field(&v.attrs);
        let content = match &v.fields {
            Fields::Unit => quote!(::core::option::Option::None),
            Fields::Unnamed(u) if u.unnamed.len() == 1 => {
                let ty = &u.unnamed[0].ty;
                types.push(ty.clone());
                let a = schema_attrs(&u.unnamed[0].attrs, Some(ty), errors);
                let s = use_schema(ty, &a, None);
                quote!(::core::option::Option::Some(#s))
            }
            Fields::Unnamed(u) => {
                let tys: Vec<Type> = u.unnamed.iter().map(|f| f.ty.clone()).collect();
                types.extend(tys.iter().cloned());
                quote!(::core::option::Option::Some(<(#(#tys,)*) as ::ferrapi::ToSchema>::schema()))
            }
            Fields::Named(named) => {
                let rule = vs
                    .rename_all
                    .as_deref()
                    .or(serde.rename_all_fields.as_deref());
                let o = object_code(named, rule, vs.default, false, errors);
                types.extend(o.types);
                let s = o.schema;
                quote!(::core::option::Option::Some(#s))
            }
        };
        let tag = match &serde.tag {
            Some(t) => quote!(::core::option::Option::Some(#t)),
            None => quote!(::core::option::Option::None),
        };
        let content_key = match &serde.content {
            Some(c) => quote!(::core::option::Option::Some(#c)),
            None => quote!(::core::option::Option::None),
        };
        let untagged = serde.untagged;
        let a = schema_attrs(&v.attrs, None, errors);
        let kw = super::keyword_list(&a, doc_text(&v.attrs));
        items.push(quote! {
            #p::with_keywords(#p::variant_schema(#name, #content, #tag, #content_key, #untagged), #kw)
        });
    }
    (quote!(#p::one_of(::std::vec![#(#items),*])), types)
}
