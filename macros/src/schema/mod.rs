//! `#[derive(ToSchema)]`: the JSON Schema of a struct or enum, read from its fields, its
//! serde attributes, its doc comments and `#[schema(...)]` keywords.
//!
//! Structs with named fields become `{"type": "object", "properties", "required"}` (a
//! `#[serde(flatten)]` field joins through `allOf`); fieldless enums a string `enum`;
//! enums with data `oneOf` their variants in serde's representation (external, internal
//! `tag`, adjacent `tag` + `content`, `untagged`). Every named type is a component: fields
//! refer to other models with `$ref`, and the schemas of the types used are collected by
//! `ToSchema::schemas`.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::spanned::Spanned;
use syn::{Attribute, Data, DeriveInput, Expr, Fields, Lit, Type};

use crate::attr::parse_metas;
use crate::errors::Errors;
use crate::model::{apply_rule, is_option, wire_name};
use crate::parse::doc_text;

mod enums;

/// The `#[schema(...)]` keywords of one item (container, field or variant).
#[derive(Default)]
pub(crate) struct SchemaAttrs {
    /// `as = Name`: the component name.
    rename: Option<String>,
    title: Option<TokenStream>,
    description: Option<TokenStream>,
    deprecated: bool,
    /// `schema_with = path`: a function giving the whole schema.
    schema_with: Option<syn::Path>,
    /// `value_type = Type`: document as this type.
    value_type: Option<Type>,
    /// JSON Schema keywords and their values (`("minimum", json)`).
    keywords: Vec<(String, TokenStream)>,
}

/// JSON Schema's spelling of the keywords written in snake case.
const KEYWORDS: &[(&str, &str)] = &[
    ("minimum", "minimum"),
    ("maximum", "maximum"),
    ("exclusive_minimum", "exclusiveMinimum"),
    ("exclusive_maximum", "exclusiveMaximum"),
    ("multiple_of", "multipleOf"),
    ("min_length", "minLength"),
    ("max_length", "maxLength"),
    ("min_items", "minItems"),
    ("max_items", "maxItems"),
    ("min_properties", "minProperties"),
    ("max_properties", "maxProperties"),
    ("pattern", "pattern"),
    ("unique_items", "uniqueItems"),
];

/// The keywords `#[schema(...)]` takes, for the error message.
const KNOWN: &str = "as, title, description, deprecated, format, default, example, examples, schema_with, value_type, minimum, maximum, exclusive_minimum, exclusive_maximum, multiple_of, min_length, max_length, min_items, max_items, min_properties, max_properties, pattern, unique_items";

fn json_of(e: &Expr) -> TokenStream {
    let p = quote!(::ferrapi::__private);
    quote!(#p::serde_json::json!(#e))
}

/// A default: a literal as is, a function (`path`) called and serialized; on a field the
/// function gives the field's type (`default = Vec::new`), as serde's `default = "..."`.
fn default_of(e: &Expr, ty: Option<&Type>) -> TokenStream {
    let p = quote!(::ferrapi::__private);
    let ty = ty.map(|t| quote!(#t)).unwrap_or_else(|| quote!(_));
    match e {
        Expr::Path(path) => quote!({
            let __ferrapi_default: #ty = #path();
            #p::serde_json::to_value(&__ferrapi_default).unwrap_or(#p::serde_json::Value::Null)
        }),
        e => json_of(e),
    }
}

/// Reads the `#[schema(...)]` attributes of an item (a field of type `ty`).
pub(crate) fn schema_attrs(
    attrs: &[Attribute],
    ty: Option<&Type>,
    errors: &mut Errors,
) -> SchemaAttrs {
    let mut out = SchemaAttrs::default();
    for a in attrs.iter().filter(|a| a.path().is_ident("schema")) {
        let syn::Meta::List(l) = &a.meta else {
            errors.at(a.span(), "write `#[schema(keyword = value, ...)]`");
            continue;
        };
        let metas = match parse_metas(l.tokens.clone()) {
            Ok(m) => m,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        for m in metas {
            let key = m.key.to_string();
            let value = m.value.as_ref();
            match (key.as_str(), value) {
                ("as", Some(Expr::Path(p))) => {
                    out.rename = p.path.segments.last().map(|s| s.ident.to_string())
                }
                ("title", Some(v)) => out.title = Some(json_of(v)),
                ("description", Some(v)) => out.description = Some(json_of(v)),
                ("deprecated", None) => out.deprecated = true,
                ("format", Some(Expr::Path(p))) => {
                    // `format = Password` (utoipa's spelling) is `"password"`.
                    let f = p
                        .path
                        .segments
                        .last()
                        .map(|s| apply_rule("kebab-case", &s.ident.to_string()))
                        .unwrap_or_default();
                    out.keywords.push(("format".into(), quote!(#f.into())));
                }
                ("format", Some(v)) => out.keywords.push(("format".into(), json_of(v))),
                ("default", Some(v)) => out.keywords.push(("default".into(), default_of(v, ty))),
                ("example", Some(v)) => {
                    let v = json_of(v);
                    out.keywords.push((
                        "examples".into(),
                        quote!(::ferrapi::__private::serde_json::Value::Array(
                            ::std::vec![#v]
                        )),
                    ));
                }
                ("examples", None) if m.list.is_some() => {
                    let list = m.list.clone().unwrap_or_default();
                    let items = syn::parse::Parser::parse2(
                        syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated,
                        list,
                    );
                    match items {
                        Ok(items) => {
                            let items = items.iter().map(json_of);
                            out.keywords.push((
                                "examples".into(),
                                quote!(::ferrapi::__private::serde_json::Value::Array(
                                    ::std::vec![#(#items),*]
                                )),
                            ));
                        }
                        Err(e) => errors.push(e),
                    }
                }
                ("schema_with", Some(Expr::Path(p))) => out.schema_with = Some(p.path.clone()),
                ("value_type", Some(v)) => match syn::parse2::<Type>(v.to_token_stream()) {
                    Ok(t) => out.value_type = Some(t),
                    Err(e) => errors.push(e),
                },
                (k, Some(v)) if KEYWORDS.iter().any(|(s, _)| *s == k) => {
                    let json = KEYWORDS.iter().find(|(s, _)| *s == k).map(|(_, j)| *j);
                    out.keywords.push((json.unwrap_or(k).into(), json_of(v)));
                }
                _ => errors.at(
                    m.key.span(),
                    format!("unknown or malformed `#[schema]` keyword `{key}`; known: {KNOWN}"),
                ),
            }
        }
    }
    out
}

/// The keyword list `with_keywords` takes: description, title, deprecated, then the rest.
fn keyword_list(a: &SchemaAttrs, docs: Option<String>) -> TokenStream {
    let mut items = Vec::new();
    if let Some(t) = &a.title {
        items.push(quote!(("title", #t)));
    }
    match (&a.description, docs) {
        (Some(d), _) => items.push(quote!(("description", #d))),
        (None, Some(d)) => items.push(quote!(("description", #d.into()))),
        _ => {}
    }
    if a.deprecated {
        items.push(quote!(("deprecated", true.into())));
    }
    for (k, v) in &a.keywords {
        items.push(quote!((#k, #v)));
    }
    quote!(::std::vec![#(#items),*])
}

/// serde's container options that change the schema.
#[derive(Default)]
pub(crate) struct SerdeContainer {
    pub rename_all: Option<String>,
    pub rename_all_fields: Option<String>,
    pub default: bool,
    pub deny_unknown_fields: bool,
    pub tag: Option<String>,
    pub content: Option<String>,
    pub untagged: bool,
}

/// serde's field or variant options that change the schema.
#[derive(Default)]
pub(crate) struct SerdeField {
    pub rename: Option<String>,
    pub rename_all: Option<String>,
    pub skip: bool,
    pub default: bool,
    pub flatten: bool,
    pub skip_serializing_if: bool,
}

fn lit_str(e: Option<&Expr>) -> Option<String> {
    match e {
        Some(Expr::Lit(syn::ExprLit {
            lit: Lit::Str(s), ..
        })) => Some(s.value()),
        _ => None,
    }
}

/// Walks the `#[serde(...)]` options of `attrs` (malformed ones are serde's to report).
fn serde_metas(attrs: &[Attribute], mut f: impl FnMut(&str, Option<&Expr>)) {
    for a in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        if let syn::Meta::List(l) = &a.meta {
            for m in parse_metas(l.tokens.clone()).unwrap_or_default() {
                f(&m.key.to_string(), m.value.as_ref());
            }
        }
    }
}

pub(crate) fn serde_container(attrs: &[Attribute]) -> SerdeContainer {
    let mut c = SerdeContainer::default();
    serde_metas(attrs, |k, v| match k {
        "rename_all" => c.rename_all = lit_str(v),
        "rename_all_fields" => c.rename_all_fields = lit_str(v),
        "default" => c.default = true,
        "deny_unknown_fields" => c.deny_unknown_fields = true,
        "tag" => c.tag = lit_str(v),
        "content" => c.content = lit_str(v),
        "untagged" => c.untagged = true,
        _ => {}
    });
    c
}

pub(crate) fn serde_field(attrs: &[Attribute]) -> SerdeField {
    let mut f = SerdeField::default();
    serde_metas(attrs, |k, v| match k {
        "rename" => f.rename = lit_str(v),
        "rename_all" => f.rename_all = lit_str(v),
        "skip" | "skip_serializing" | "skip_deserializing" => f.skip = true,
        "default" => f.default = true,
        "flatten" => f.flatten = true,
        "skip_serializing_if" => f.skip_serializing_if = true,
        _ => {}
    });
    f
}

/// The schema where a value of `ty` is used, with the item's keywords.
fn use_schema(ty: &Type, a: &SchemaAttrs, docs: Option<String>) -> TokenStream {
    let p = quote!(::ferrapi::__private);
    let base = match (&a.schema_with, &a.value_type) {
        (Some(f), _) => quote!(#f()),
        (None, Some(t)) => quote!(#p::schema_ref::<#t>()),
        (None, None) => quote!(#p::schema_ref::<#ty>()),
    };
    // A schema written by a function is taken as it is, description included.
    let docs = docs.filter(|_| a.schema_with.is_none());
    let kw = keyword_list(a, docs);
    quote!(#p::with_keywords(#base, #kw))
}

/// What named fields contribute: the object schema and the types to collect.
pub(crate) struct ObjectCode {
    /// An expression building the schema.
    pub schema: TokenStream,
    /// The types whose components the schema refers to.
    pub types: Vec<Type>,
}

/// The object schema of named fields (a struct, or a struct variant).
pub(crate) fn object_code(
    fields: &syn::FieldsNamed,
    rule: Option<&str>,
    all_default: bool,
    deny_unknown: bool,
    errors: &mut Errors,
) -> ObjectCode {
    let p = quote!(::ferrapi::__private);
    let mut props = Vec::new();
    let mut flattened = Vec::new();
    let mut types = Vec::new();
    for f in &fields.named {
        let s = serde_field(&f.attrs);
        if s.skip {
            continue;
        }
        let a = schema_attrs(&f.attrs, Some(&f.ty), errors);
        let ty = &f.ty;
        types.push(a.value_type.clone().unwrap_or_else(|| ty.clone()));
        if s.flatten {
            flattened.push(quote!(#p::schema_ref::<#ty>()));
            continue;
        }
        let Some(ident) = &f.ident else { continue };
        let wire = wire_name(s.rename.clone(), ident, rule);
        let required = !is_option(ty) && !all_default && !s.default && !s.skip_serializing_if;
        let schema = use_schema(ty, &a, doc_text(&f.attrs));
        props.push(quote!((#wire, #required, #schema)));
    }
    ObjectCode {
        schema: quote! {
            #p::object_schema(::std::vec![#(#props),*], ::std::vec![#(#flattened),*], #deny_unknown)
        },
        types,
    }
}

/// The component name: `as = ...`, the type's name, or for a generic type its name with
/// the type arguments (`Page_Item_`).
fn name_tokens(input: &DeriveInput, a: &SchemaAttrs) -> (TokenStream, bool) {
    let p = quote!(::ferrapi::__private);
    let generic = input.generics.type_params().next().is_some();
    if generic {
        (
            quote!(::std::borrow::Cow::Owned(#p::generic_name(::std::any::type_name::<Self>()).0)),
            true,
        )
    } else {
        let n = a.rename.clone().unwrap_or_else(|| input.ident.to_string());
        (quote!(::std::borrow::Cow::Borrowed(#n)), false)
    }
}

pub(crate) fn derive(input: TokenStream) -> syn::Result<TokenStream> {
    let p = quote!(::ferrapi::__private);
    let mut input: DeriveInput = syn::parse2(input)?;
    let mut errors = Errors::default();
    let a = schema_attrs(&input.attrs, None, &mut errors);
    let serde = serde_container(&input.attrs);
    let docs = doc_text(&input.attrs);
    let (schema, types) = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(named) => {
                let o = object_code(
                    named,
                    serde.rename_all.as_deref(),
                    serde.default,
                    serde.deny_unknown_fields,
                    &mut errors,
                );
                (o.schema, o.types)
            }
            Fields::Unnamed(u) if u.unnamed.len() == 1 => {
                let ty = &u.unnamed[0].ty;
                (quote!(#p::schema_ref::<#ty>()), vec![ty.clone()])
            }
            Fields::Unnamed(u) => {
                let tys: Vec<Type> = u.unnamed.iter().map(|f| f.ty.clone()).collect();
                (quote!(<(#(#tys,)*) as ::ferrapi::ToSchema>::schema()), tys)
            }
            Fields::Unit => (quote!(#p::serde_json::json!({"type": "null"})), vec![]),
        },
        Data::Enum(e) => enums::enum_code(e, &serde, &mut errors),
        Data::Union(u) => {
            return Err(syn::Error::new(
                u.union_token.span(),
                "`ToSchema` is derived for structs and enums",
            ))
        }
    };
    errors.finish()?;
    let (name, generic) = name_tokens(&input, &a);
    let mut kw = keyword_list(&a, docs);
    if generic && a.title.is_none() {
        // pydantic titles `Page[Item]`: the title is not the component name.
        kw = quote!({
            let mut kw = #kw;
            kw.insert(0, ("title", #p::generic_name(::std::any::type_name::<Self>()).1.into()));
            kw
        });
    }
    for tp in input.generics.type_params_mut() {
        tp.bounds.push(syn::parse_quote!(::ferrapi::ToSchema));
    }
    let ident = &input.ident;
    let (impl_g, ty_g, where_c) = input.generics.split_for_impl();
    Ok(quote! {
        impl #impl_g ::ferrapi::ToSchema for #ident #ty_g #where_c {
            fn name() -> ::core::option::Option<::std::borrow::Cow<'static, str>> {
                ::core::option::Option::Some(#name)
            }
            fn schema() -> #p::serde_json::Value {
                #p::with_keywords(#schema, #kw)
            }
            fn schemas(__ferrapi_out: &mut ::std::vec::Vec<(::std::string::String, #p::serde_json::Value)>) {
                #(#p::add_schemas::<#types>(__ferrapi_out);)*
            }
        }
    })
}
