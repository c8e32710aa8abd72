//! `#[model]` on enums: string enums (unit variants), and unions (variants holding data),
//! validated inside each variant as pydantic validates a union's members (see
//! `ferrapi::unions` for the rules and the error locations).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Attribute, Fields, ItemEnum, LitStr, Type, Variant};

use super::fields::{field_code, FieldCode};
use super::{find_str, has_flag, rename_rule, serde_rename};
use crate::errors::Errors;

/// A fieldless enum without tags: its values are the variants' names, as a str `Enum`.
pub(super) fn expand_unit_enum(
    e: &mut ItemEnum,
    derive: Attribute,
    serde_crate: Attribute,
) -> syn::Result<TokenStream> {
    let p = quote!(::ferrapi::__private);
    let ident = e.ident.clone();
    let rule = rename_rule(&e.attrs, "serde")?;
    if !has_flag(&e.attrs, "schema", &["title"]) {
        // pydantic titles enums with their name, and FastAPI shows it where the enum is a
        // parameter's schema.
        let title = ident.to_string();
        e.attrs.push(syn::parse_quote!(#[schema(title = #title)]));
    }
    let mut names = Vec::new();
    for v in &e.variants {
        names.push(wire_name(v, rule.as_deref())?);
    }
    e.attrs.insert(0, serde_crate);
    e.attrs.insert(0, derive);
    let (impl_g, ty_g, where_c) = e.generics.split_for_impl();
    Ok(quote! {
        #e
        impl #impl_g #p::Validate for #ident #ty_g #where_c {
            fn validate_value(__ferrapi_value: &#p::serde_json::Value, __ferrapi_loc: &#p::Loc, __ferrapi_errors: &mut #p::ValidationErrors) {
                let __ferrapi_ok = match __ferrapi_value.as_str() {
                    ::core::option::Option::Some(s) => [#(#names),*].contains(&s),
                    ::core::option::Option::None => false,
                };
                if !__ferrapi_ok {
                    __ferrapi_errors.push(#p::ValidationError::from_problem(
                        #p::Problem::enumeration(&[#(#names),*], true),
                        __ferrapi_loc.clone(),
                        __ferrapi_value.clone(),
                    ));
                }
            }
        }
    })
}

/// A variant's name on the wire: its `#[serde(rename)]`, or the enum's `rename_all` rule.
fn wire_name(v: &Variant, rule: Option<&str>) -> syn::Result<String> {
    Ok(super::wire_name(
        serde_rename(&v.attrs, "serde")?,
        &v.ident,
        rule,
    ))
}

/// How the enum is written in JSON.
enum Repr {
    /// serde's default: `"Unit"` or `{"Variant": content}`.
    External,
    /// `#[serde(tag = "t")]`: the tag is a key of the variant's object.
    Internal(String),
    /// `#[serde(tag = "t", content = "c")]`.
    Adjacent(String, String),
    /// `#[serde(untagged)]`: the value decides (pydantic's plain `Union`).
    Untagged,
    /// `#[model(discriminator = "kind")]`: models told apart by their literal field.
    Discriminated(String),
}

/// What is generated for one variant.
struct VariantCode {
    /// The match pattern binding its fields (`Self::Cat(__ferrapi_0)`).
    pattern: TokenStream,
    /// Checks of the parsed variant, with its location in `__ferrapi_loc`.
    checks: TokenStream,
    /// The walk of its raw content in `__ferrapi_value`, located at `__ferrapi_loc`.
    value_checks: TokenStream,
    /// The lax conversion of its raw content in `__ferrapi_value` (mutable).
    coercion: TokenStream,
    /// The tag (tagged) or the name (untagged) it is located under.
    label: TokenStream,
    /// Its one field's type, for a newtype variant.
    newtype: Option<Type>,
}

fn variant_code(
    e_ident: &syn::Ident,
    v: &mut Variant,
    tag: &str,
    field_rule: Option<&str>,
    errors: &mut Errors,
) -> syn::Result<(VariantCode, Vec<TokenStream>)> {
    let p = quote!(::ferrapi::__private);
    let vi = v.ident.clone();
    let vname = vi.to_string();
    let mut helpers = Vec::new();
    let code = match &mut v.fields {
        Fields::Unit => VariantCode {
            pattern: quote!(Self::#vi),
            checks: quote!(),
            value_checks: quote!(),
            coercion: quote!(),
            label: quote!(#tag),
            newtype: None,
        },
        Fields::Unnamed(f) if f.unnamed.len() == 1 => {
            let ty = f.unnamed[0].ty.clone();
            VariantCode {
                pattern: quote!(Self::#vi(__ferrapi_0)),
                checks: quote!(<#ty as #p::Validate>::validate(__ferrapi_0, __ferrapi_loc, __ferrapi_errors);),
                value_checks: quote!(<#ty as #p::Validate>::validate_value(__ferrapi_value, __ferrapi_loc, __ferrapi_errors);),
                coercion: quote!(<#ty as #p::Validate>::coerce_lax(__ferrapi_value);),
                label: quote!(#tag),
                newtype: Some(ty),
            }
        }
        Fields::Unnamed(f) => {
            let tys: Vec<Type> = f.unnamed.iter().map(|f| f.ty.clone()).collect();
            let n = tys.len();
            let binds: Vec<_> = (0..n).map(|i| format_ident!("__ferrapi_{}", i)).collect();
            let idx: Vec<usize> = (0..n).collect();
            VariantCode {
                pattern: quote!(Self::#vi(#(#binds),*)),
                checks: quote! {
                    #(<#tys as #p::Validate>::validate(#binds, &__ferrapi_loc.index(#idx), __ferrapi_errors);)*
                },
                value_checks: quote! {
                    match __ferrapi_value.as_array() {
                        ::core::option::Option::Some(__ferrapi_items) if __ferrapi_items.len() == #n => {
                            #(<#tys as #p::Validate>::validate_value(&__ferrapi_items[#idx], &__ferrapi_loc.join(#idx), __ferrapi_errors);)*
                        }
                        _ => #p::tuple_expected(__ferrapi_value, #n, __ferrapi_loc, __ferrapi_errors),
                    }
                },
                coercion: quote! {
                    if let ::core::option::Option::Some(__ferrapi_items) = __ferrapi_value.as_array_mut() {
                        if __ferrapi_items.len() == #n {
                            #(<#tys as #p::Validate>::coerce_lax(&mut __ferrapi_items[#idx]);)*
                        }
                    }
                },
                label: quote!(#tag),
                newtype: None,
            }
        }
        Fields::Named(f) => {
            let names: Vec<syn::Ident> = f
                .named
                .iter()
                .map(|f| f.ident.clone().expect("named"))
                .collect();
            let rule = rename_rule(&v.attrs, "serde")?;
            let rule = rule.as_deref().or(field_rule);
            let all_default = has_flag(&v.attrs, "serde", &["default"]);
            let owner = format!("{e_ident}_{vname}");
            let FieldCode {
                helpers: h,
                checks,
                value_checks,
                coercions,
                assertions,
                ..
            } = field_code(
                &mut f.named,
                &owner,
                rule,
                all_default,
                &|f| quote!(#f),
                errors,
            )?;
            helpers.extend(h);
            VariantCode {
                pattern: quote!(Self::#vi { #(#names,)* .. }),
                checks: quote! {
                    #(#assertions)*
                    #(#checks)*
                },
                value_checks: quote! {
                    match __ferrapi_value.as_object() {
                        ::core::option::Option::Some(__ferrapi_obj) => { #(#value_checks)* }
                        ::core::option::Option::None => #p::not_an_object(__ferrapi_value, __ferrapi_loc, __ferrapi_errors),
                    }
                },
                coercion: quote! {
                    if let ::core::option::Option::Some(__ferrapi_obj) = __ferrapi_value.as_object_mut() {
                        #(#coercions)*
                    }
                },
                label: quote!(#tag),
                newtype: None,
            }
        }
    };
    Ok((code, helpers))
}

/// An enum whose variants hold data (or a tagged fieldless one): a union.
pub(super) fn expand_data_enum(
    e: &mut ItemEnum,
    discriminator: Option<&LitStr>,
    serde_crate: Attribute,
) -> syn::Result<TokenStream> {
    let p = quote!(::ferrapi::__private);
    let ident = e.ident.clone();
    let mut errors = Errors::default();
    let rule = rename_rule(&e.attrs, "serde")?;
    let field_rule = find_str(&e.attrs, "serde", "rename_all_fields")?;
    let repr = match (
        discriminator,
        find_str(&e.attrs, "serde", "tag")?,
        find_str(&e.attrs, "serde", "content")?,
    ) {
        (Some(d), _, _) => Repr::Discriminated(d.value()),
        (None, Some(t), Some(c)) => Repr::Adjacent(t, c),
        (None, Some(t), None) => Repr::Internal(t),
        _ if has_flag(&e.attrs, "serde", &["untagged"]) => Repr::Untagged,
        _ => Repr::External,
    };
    let mut variants = Vec::new();
    let mut helpers = Vec::new();
    for v in e.variants.iter_mut() {
        let tag = wire_name(v, rule.as_deref())?;
        let (mut code, h) = variant_code(&ident, v, &tag, field_rule.as_deref(), &mut errors)?;
        if matches!(repr, Repr::Untagged) {
            // An untagged member is named as pydantic names it: the model's or type's name.
            let fallback = v.ident.to_string();
            code.label = match &code.newtype {
                Some(ty) => quote!(#p::union_label::<#ty>(#fallback)),
                None => quote!(#fallback),
            };
        }
        if let (Repr::Discriminated(d), Some(ty)) = (&repr, &code.newtype) {
            code.label = quote!(#p::member_tags::<#ty>(#d).first().copied().unwrap_or(#tag));
        }
        helpers.extend(h);
        variants.push(code);
    }
    errors.finish()?;

    let patterns: Vec<_> = variants.iter().map(|v| &v.pattern).collect();
    let labels: Vec<_> = variants.iter().map(|v| &v.label).collect();
    let checks: Vec<_> = variants.iter().map(|v| &v.checks).collect();
    let value_checks: Vec<_> = variants.iter().map(|v| &v.value_checks).collect();
    let coercions: Vec<_> = variants.iter().map(|v| &v.coercion).collect();
    let idx: Vec<usize> = (0..variants.len()).collect();
    let n = variants.len();
    let newtypes: Option<Vec<Type>> = variants.iter().map(|v| v.newtype.clone()).collect();
    let vidents: Vec<syn::Ident> = e.variants.iter().map(|v| v.ident.clone()).collect();

    // The tags of each variant, for the tagged representations.
    let tags = match (&repr, &newtypes) {
        (Repr::Discriminated(d), Some(tys)) => quote!([#(#p::member_tags::<#tys>(#d)),*]),
        _ => {
            let t: Vec<String> = e
                .variants
                .iter()
                .map(|v| wire_name(v, rule.as_deref()))
                .collect::<syn::Result<_>>()?;
            quote!([#(&[#t] as &[&str]),*])
        }
    };

    let validate_value = match &repr {
        Repr::Internal(d) | Repr::Discriminated(d) => quote! {
            let __ferrapi_tags: [&[&str]; #n] = #tags;
            if let ::core::option::Option::Some((__ferrapi_i, __ferrapi_sent)) = #p::find_tag(__ferrapi_value, #d, &__ferrapi_tags, __ferrapi_loc, __ferrapi_errors) {
                let __ferrapi_loc = &__ferrapi_loc.join(__ferrapi_sent.to_string());
                match __ferrapi_i {
                    #(#idx => { #value_checks })*
                    _ => {}
                }
            }
        },
        Repr::Adjacent(t, c) => quote! {
            let __ferrapi_tags: [&[&str]; #n] = #tags;
            if let ::core::option::Option::Some((__ferrapi_i, __ferrapi_sent)) = #p::find_tag(__ferrapi_value, #t, &__ferrapi_tags, __ferrapi_loc, __ferrapi_errors) {
                let __ferrapi_loc = &__ferrapi_loc.join(__ferrapi_sent.to_string());
                let __ferrapi_null = #p::serde_json::Value::Null;
                let __ferrapi_value = __ferrapi_value.get(#c).unwrap_or(&__ferrapi_null);
                match __ferrapi_i {
                    #(#idx => { #value_checks })*
                    _ => {}
                }
            }
        },
        Repr::External => quote! {
            let __ferrapi_tags: [&[&str]; #n] = #tags;
            match #p::external_tag(__ferrapi_value, &__ferrapi_tags) {
                ::core::option::Option::Some((__ferrapi_i, __ferrapi_key, __ferrapi_value)) => {
                    let __ferrapi_loc = &__ferrapi_loc.join(__ferrapi_key.to_string());
                    match __ferrapi_i {
                        #(#idx => { #value_checks })*
                        _ => {}
                    }
                }
                ::core::option::Option::None => #p::serde_value_error::<Self>(__ferrapi_value, __ferrapi_loc, __ferrapi_errors),
            }
        },
        Repr::Untagged => quote! {
            let mut __ferrapi_all = #p::ValidationErrors::new();
            #({
                let mut __ferrapi_member = #p::ValidationErrors::new();
                {
                    let __ferrapi_errors = &mut __ferrapi_member;
                    let __ferrapi_loc = &__ferrapi_loc.join(#labels);
                    #value_checks
                }
                if __ferrapi_member.is_empty() {
                    return;
                }
                __ferrapi_all.extend(__ferrapi_member.0);
            })*
            __ferrapi_errors.extend(__ferrapi_all.0);
        },
    };

    let coerce = match &repr {
        Repr::Internal(d) | Repr::Discriminated(d) => quote! {
            let __ferrapi_tags: [&[&str]; #n] = #tags;
            match #p::tag_index(__ferrapi_value, #d, &__ferrapi_tags) {
                #(::core::option::Option::Some(#idx) => { #coercions })*
                _ => {}
            }
        },
        Repr::Adjacent(t, c) => quote! {
            let __ferrapi_tags: [&[&str]; #n] = #tags;
            let __ferrapi_i = #p::tag_index(__ferrapi_value, #t, &__ferrapi_tags);
            if let ::core::option::Option::Some(__ferrapi_value) = __ferrapi_value.get_mut(#c) {
                match __ferrapi_i {
                    #(::core::option::Option::Some(#idx) => { #coercions })*
                    _ => {}
                }
            }
        },
        Repr::External => quote! {
            let __ferrapi_tags: [&[&str]; #n] = #tags;
            let __ferrapi_i = #p::external_tag(__ferrapi_value, &__ferrapi_tags).map(|(i, _, _)| i);
            if let ::core::option::Option::Some(__ferrapi_value) = __ferrapi_value.as_object_mut().and_then(|o| o.values_mut().next()) {
                match __ferrapi_i {
                    #(::core::option::Option::Some(#idx) => { #coercions })*
                    _ => {}
                }
            }
        },
        Repr::Untagged => match &newtypes {
            Some(_) => quote!(#p::coerce_untagged(__ferrapi_value, &Self::__ferrapi_members());),
            None => quote! {
                #({
                    let mut __ferrapi_member = #p::ValidationErrors::new();
                    {
                        let __ferrapi_value = &*__ferrapi_value;
                        let __ferrapi_errors = &mut __ferrapi_member;
                        let __ferrapi_loc = &#p::Loc(::std::vec::Vec::new());
                        #value_checks
                    }
                    if __ferrapi_member.is_empty() {
                        #coercions
                        return;
                    }
                })*
            },
        },
    };

    // Untagged enums of newtypes and discriminated unions choose their member themselves
    // (pydantic's smart mode, or the tag of the member models); the rest are read by serde.
    let custom_read = match (&repr, &newtypes) {
        (Repr::Untagged, Some(_)) | (Repr::Discriminated(_), _) => newtypes.clone(),
        _ => None,
    };
    let members = custom_read
        .as_ref()
        .filter(|_| matches!(repr, Repr::Untagged))
        .map(|tys| {
            quote! {
                #[doc(hidden)]
                fn __ferrapi_members() -> [#p::Member<Self>; #n] {
                    [#(#p::Member {
                        label: #labels,
                        read: |v, strict| #p::read_member::<#tys>(v, strict).map(Self::#vidents),
                        check: <#tys as #p::Validate>::validate_value,
                        coerce: <#tys as #p::Validate>::coerce_lax,
                        fields: <#tys as #p::Validate>::FIELD_NAMES,
                    }),*]
                }
            }
        });
    let (impl_g, ty_g, where_c) = e.generics.split_for_impl();
    let read_impl = custom_read.as_ref().map(|tys| {
        let choose = match &repr {
            Repr::Discriminated(d) => quote! {
                let __ferrapi_tags: [&[&str]; #n] = #tags;
                match #p::tag_index(&__ferrapi_v, #d, &__ferrapi_tags) {
                    #(::core::option::Option::Some(#idx) => #p::serde_json::from_value::<#tys>(__ferrapi_v)
                        .map(Self::#vidents)
                        .map_err(<__D::Error as #p::serde::de::Error>::custom),)*
                    _ => ::core::result::Result::Err(<__D::Error as #p::serde::de::Error>::custom(
                        ::std::format!("no variant of {} has this `{}`", ::core::stringify!(#ident), #d),
                    )),
                }
            },
            _ => quote! {
                #p::choose(&__ferrapi_v, &Self::__ferrapi_members()).ok_or_else(|| {
                    <__D::Error as #p::serde::de::Error>::custom(::std::concat!(
                        "data did not match any variant of untagged enum ", ::core::stringify!(#ident)
                    ))
                })
            },
        };
        quote! {
            impl<'de> #p::serde::Deserialize<'de> for #ident #ty_g #where_c {
                fn deserialize<__D: #p::serde::Deserializer<'de>>(d: __D) -> ::core::result::Result<Self, __D::Error> {
                    let __ferrapi_v = <#p::serde_json::Value as #p::serde::Deserialize>::deserialize(d)?;
                    #choose
                }
            }
        }
    });

    // The document: pydantic's `anyOf` for a plain union, `oneOf` with a discriminator for a
    // discriminated one; serde's other forms keep utoipa's schema.
    let own_schema = custom_read.is_some();
    let schema_impl = custom_read.as_ref().map(|tys| {
        let members = quote!(::std::vec![#(#p::schema_ref::<#tys>()),*]);
        let build = match &repr {
            Repr::Discriminated(d) => quote! {
                let __ferrapi_members: ::std::vec::Vec<#p::serde_json::Value> = #members;
                let __ferrapi_tags: ::std::vec::Vec<::std::vec::Vec<&'static str>> =
                    ::std::vec![#(#p::member_tags::<#tys>(#d).to_vec()),*];
                #p::one_of_discriminated(#d, __ferrapi_tags.into_iter().zip(__ferrapi_members).collect(), ::core::option::Option::None)
            },
            _ => quote! {
                #p::any_of(#members, ::core::option::Option::None)
            },
        };
        // A union is not a model: pydantic writes it inline where it is used.
        quote! {
            impl #impl_g ::ferrapi::ToSchema for #ident #ty_g #where_c {
                fn schema() -> #p::serde_json::Value {
                    #build
                }
                fn schemas(__ferrapi_out: &mut ::std::vec::Vec<(::std::string::String, #p::serde_json::Value)>) {
                    #(#p::add_schemas::<#tys>(__ferrapi_out);)*
                }
            }
        }
    });

    let derive: Attribute = match own_schema {
        true => syn::parse_quote!(#[derive(#p::serde::Serialize)]),
        false => syn::parse_quote!(
            #[derive(#p::serde::Serialize, #p::serde::Deserialize, ::ferrapi::ToSchema)]
        ),
    };
    if matches!(repr, Repr::Discriminated(_)) {
        e.attrs.push(syn::parse_quote!(#[serde(untagged)]));
    }
    e.attrs.insert(0, serde_crate);
    e.attrs.insert(0, derive);

    let mut generics = e.generics.clone();
    for tp in generics.type_params_mut() {
        tp.bounds.push(syn::parse_quote!(#p::Validate));
        tp.bounds
            .push(syn::parse_quote!(#p::serde::de::DeserializeOwned));
    }
    let (vimpl_g, _, vwhere_c) = generics.split_for_impl();
    // Each member of a discriminated union must have the tag as a literal field.
    let tag_checks = match (&repr, &newtypes) {
        (Repr::Discriminated(d), Some(tys)) if e.generics.params.is_empty() => {
            let msgs: Vec<String> = tys
                .iter()
                .map(|t| {
                    format!(
                        "every member of a discriminated union needs the tag as a literal field: add `#[field(literal = \"...\")] {}: String` to `{}`",
                        d,
                        quote!(#t).to_string().replace(' ', "")
                    )
                })
                .collect();
            let checks = tys.iter().zip(&msgs).map(|(t, m)| {
                quote::quote_spanned! {syn::spanned::Spanned::span(t)=>
                    const _: () = ::core::assert!(
                        #p::has_literal_field(<#t as #p::Validate>::LITERALS, #d),
                        #m
                    );
                }
            });
            quote!(#(#checks)*)
        }
        _ => quote!(),
    };
    Ok(quote! {
        #e
        #(#helpers)*
        #tag_checks
        #read_impl
        #schema_impl
        impl #vimpl_g #ident #ty_g #vwhere_c {
            #members
        }
        impl #vimpl_g #p::Validate for #ident #ty_g #vwhere_c {
            #[allow(unused_variables)]
            fn validate(&self, __ferrapi_loc: &#p::At<'_>, __ferrapi_errors: &mut #p::ValidationErrors) {
                match self {
                    #(#patterns => {
                        let __ferrapi_label: &'static str = #labels;
                        let __ferrapi_loc = &__ferrapi_loc.key(__ferrapi_label);
                        #checks
                    })*
                }
            }
            #[allow(unused_variables, unreachable_code)]
            fn validate_value(__ferrapi_value: &#p::serde_json::Value, __ferrapi_loc: &#p::Loc, __ferrapi_errors: &mut #p::ValidationErrors) {
                #validate_value
            }
            #[allow(unused_variables, unreachable_code)]
            fn coerce_lax(__ferrapi_value: &mut #p::serde_json::Value) {
                #coerce
            }
        }
    })
}
