//! `#[model]`: serde, JSON Schema and validation from one declaration.
//!
//! ```ignore
//! #[model]
//! struct NewItem {
//!     #[field(min_length = 1, max_length = 50)]
//!     name: String,
//!     #[field(gt = 0, description = "Unit price in euros")]
//!     price: f64,
//! }
//! ```
//!
//! expands to the struct with `#[derive(Serialize, Deserialize, ToSchema)]`, each constraint
//! rewritten as a `#[schema(...)]` keyword of ferrapi's `ToSchema` derive (so the document
//! shows it), and an implementation of `Validate` that checks the same constraints at run
//! time.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::spanned::Spanned;
use syn::{Attribute, Expr, Fields, Item, Lit, Type};

mod enums;
mod fields;
mod int_enum;

use crate::attr::{parse_metas, ParamOpts};
use crate::errors::Errors;
use fields::{field_code, FieldCode};
use int_enum::expand_int_enum;

/// `rename_all = "..."` in `#[serde(...)]` (or `#[param(...)]`).
pub(crate) fn rename_rule(attrs: &[Attribute], attr: &str) -> syn::Result<Option<String>> {
    find_str(attrs, attr, "rename_all")
}

/// `rename = "..."` in `#[serde(...)]` (or `#[param(...)]`).
pub(crate) fn serde_rename(attrs: &[Attribute], attr: &str) -> syn::Result<Option<String>> {
    find_str(attrs, attr, "rename")
}

fn find_str(attrs: &[Attribute], attr: &str, key: &str) -> syn::Result<Option<String>> {
    for a in attrs.iter().filter(|a| a.path().is_ident(attr)) {
        if let syn::Meta::List(l) = &a.meta {
            for m in parse_metas(l.tokens.clone())? {
                if m.key == key {
                    if let Some(Expr::Lit(syn::ExprLit {
                        lit: Lit::Str(s), ..
                    })) = &m.value
                    {
                        return Ok(Some(s.value()));
                    }
                }
            }
        }
    }
    Ok(None)
}

fn has_flag(attrs: &[Attribute], attr: &str, keys: &[&str]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident(attr))
        .any(|a| match &a.meta {
            syn::Meta::List(l) => parse_metas(l.tokens.clone())
                .map(|ms| ms.iter().any(|m| keys.iter().any(|k| m.key == k)))
                .unwrap_or(false),
            _ => false,
        })
}

fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in name.chars() {
        if c == '_' || c == '-' {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else if c.is_uppercase() && !cur.is_empty() && !cur.ends_with(|p: char| p.is_uppercase())
        {
            out.push(std::mem::take(&mut cur));
            cur.push(c);
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out.into_iter().map(|w| w.to_lowercase()).collect()
}

fn cap(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A field's or variant's name on the wire: its `rename`, else its Rust name (without
/// `r#`) under the container's `rename_all` rule. One spelling for serde's names in
/// validation, error locations, parameters and schemas.
pub(crate) fn wire_name(rename: Option<String>, ident: &syn::Ident, rule: Option<&str>) -> String {
    rename.unwrap_or_else(|| {
        let raw = ident.to_string();
        let raw = raw.trim_start_matches("r#");
        match rule {
            Some(r) => apply_rule(r, raw),
            None => raw.to_string(),
        }
    })
}

/// Applies a serde `rename_all` rule to a field or variant name.
pub(crate) fn apply_rule(rule: &str, name: &str) -> String {
    let w = words(name);
    match rule {
        "lowercase" => name.to_lowercase(),
        "UPPERCASE" => name.to_uppercase(),
        "snake_case" => w.join("_"),
        "SCREAMING_SNAKE_CASE" => w.join("_").to_uppercase(),
        "kebab-case" => w.join("-"),
        "SCREAMING-KEBAB-CASE" => w.join("-").to_uppercase(),
        "camelCase" => w
            .iter()
            .enumerate()
            .map(|(i, x)| if i == 0 { x.clone() } else { cap(x) })
            .collect(),
        "PascalCase" => w.iter().map(|x| cap(x)).collect(),
        _ => name.to_string(),
    }
}

pub(crate) fn is_option(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.segments.last().map(|s| s.ident == "Option").unwrap_or(false))
}

pub(crate) fn is_collection(ty: &Type) -> bool {
    let inner = match ty {
        Type::Path(p) => p.path.segments.last(),
        _ => None,
    };
    match inner {
        Some(s) if s.ident == "Option" => match &s.arguments {
            syn::PathArguments::AngleBracketed(a) => a
                .args
                .iter()
                .any(|g| matches!(g, syn::GenericArgument::Type(t) if is_collection(t))),
            _ => false,
        },
        Some(s) => ["Vec", "HashSet", "BTreeSet", "VecDeque", "IndexSet"]
            .contains(&s.ident.to_string().as_str()),
        None => matches!(ty, Type::Array(_) | Type::Slice(_)),
    }
}

/// A literal (`3`, `-1.5`, `"web"`, `true`), which the schema writes as a default as is.
fn is_literal(e: &Expr) -> bool {
    match e {
        Expr::Lit(_) => true,
        Expr::Unary(u) => matches!(u.op, syn::UnOp::Neg(_)) && matches!(&*u.expr, Expr::Lit(_)),
        _ => false,
    }
}

/// The `#[schema(...)]` attribute carrying the declared constraints.
fn schema_attr(
    o: &ParamOpts,
    collection: bool,
    default: Option<&TokenStream>,
) -> Option<Attribute> {
    let mut items = Vec::new();
    for (def, _, value) in &o
        .constraints
        .iter()
        .filter(|(d, _, _)| !d.schema.is_empty())
        .collect::<Vec<_>>()
    {
        let k = if collection {
            def.schema_of_list
        } else {
            def.schema
        };
        let k = format_ident!("{}", k);
        let v = value.schema_tokens();
        items.push(quote!(#k = #v));
    }
    if let Some(f) = &o.format {
        items.push(quote!(format = #f));
    }
    if o.deprecated {
        items.push(quote!(deprecated));
    }
    if let Some(t) = &o.title {
        items.push(quote!(title = #t));
    }
    if let Some(d) = default {
        items.push(quote!(default = #d));
    }
    if !o.examples.is_empty() {
        let ex = &o.examples;
        items.push(quote!(examples(#(#ex),*)));
    }
    if items.is_empty() {
        return None;
    }
    Some(syn::parse_quote!(#[schema(#(#items),*)]))
}

/// The options of `#[model(...)]`.
#[derive(Default)]
struct ModelOptions {
    /// `discriminator = "kind"`: an enum of models told apart by their literal field `kind`.
    discriminator: Option<syn::LitStr>,
}

fn model_options(attr: TokenStream) -> syn::Result<ModelOptions> {
    let mut out = ModelOptions::default();
    for m in parse_metas(attr)? {
        match (m.key.to_string().as_str(), &m.value) {
            (
                "discriminator",
                Some(Expr::Lit(syn::ExprLit {
                    lit: Lit::Str(s), ..
                })),
            ) => out.discriminator = Some(s.clone()),
            _ => {
                return Err(syn::Error::new(
                    m.key.span(),
                    "`#[model]` takes one option, on enums: `#[model(discriminator = \"kind\")]`",
                ))
            }
        }
    }
    Ok(out)
}

pub(crate) fn expand_model(attr: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let options = model_options(attr)?;
    let mut item: Item = syn::parse2(item)?;
    let p = quote!(::ferrapi::__private);
    let derive: Attribute = syn::parse_quote!(
        #[derive(#p::serde::Serialize, #p::serde::Deserialize, ::ferrapi::ToSchema)]
    );
    let serde_crate: Attribute = syn::parse_quote!(#[serde(crate = "::ferrapi::__private::serde")]);
    match &mut item {
        Item::Struct(s) => {
            if let Some(d) = &options.discriminator {
                return Err(syn::Error::new(
                    d.span(),
                    "`discriminator` goes on an enum whose variants wrap models: `#[model(discriminator = \"kind\")] enum Pet { Cat(Cat), Dog(Dog) }`",
                ));
            }
            let mut errors = Errors::default();
            let rule = rename_rule(&s.attrs, "serde")?;
            let struct_default = has_flag(&s.attrs, "serde", &["default"]);
            let Fields::Named(fields) = &mut s.fields else {
                return Err(syn::Error::new(
                    s.ident.span(),
                    "`#[model]` structs need named fields",
                ));
            };
            let ident = s.ident.clone();
            let owner = ident.to_string();
            let FieldCode {
                helpers,
                checks,
                value_checks,
                coercions,
                assertions,
                list_limits,
                literals,
                field_names,
            } = field_code(
                &mut fields.named,
                &owner,
                rule.as_deref(),
                struct_default,
                &|f| quote!(&self.#f),
                &mut errors,
            )?;
            errors.finish()?;
            let mut generics = s.generics.clone();
            for tp in generics.type_params_mut() {
                tp.bounds.push(syn::parse_quote!(#p::Validate));
                tp.bounds
                    .push(syn::parse_quote!(#p::serde::de::DeserializeOwned));
            }
            let (impl_g, _, where_c) = generics.split_for_impl();
            let (_, ty_g, _) = s.generics.split_for_impl();
            s.attrs.insert(0, serde_crate);
            s.attrs.insert(0, derive);
            let item_tokens = quote!(#s);
            Ok(quote! {
                #item_tokens
                #(#helpers)*
                impl #impl_g #p::Validate for #ident #ty_g #where_c {
                    #[allow(unused_variables)]
                    fn validate(&self, __ferrapi_loc: &#p::At<'_>, __ferrapi_errors: &mut #p::ValidationErrors) {
                        #(#assertions)*
                        #(#checks)*
                    }
                    #[allow(unused_variables)]
                    fn validate_value(__ferrapi_value: &#p::serde_json::Value, __ferrapi_loc: &#p::Loc, __ferrapi_errors: &mut #p::ValidationErrors) {
                        let __ferrapi_obj = match __ferrapi_value.as_object() {
                            ::core::option::Option::Some(o) => o,
                            ::core::option::Option::None => {
                                #p::not_an_object(__ferrapi_value, __ferrapi_loc, __ferrapi_errors);
                                return;
                            }
                        };
                        #(#value_checks)*
                    }
                    const EXPECTS_OBJECT: bool = true;
                    const LIST_LIMITS: &'static [(&'static str, usize)] = &[#(#list_limits),*];
                    const LITERALS: &'static [(&'static str, &'static [&'static str])] = &[#(#literals),*];
                    const UNION_LABEL: &'static str = #owner;
                    const FIELD_NAMES: &'static [(&'static str, &'static str)] = &[#(#field_names),*];
                    fn coerce_lax(__ferrapi_value: &mut #p::serde_json::Value) {
                        if let ::core::option::Option::Some(__ferrapi_obj) = __ferrapi_value.as_object_mut() {
                            #(#coercions)*
                        }
                    }
                }
            })
        }
        Item::Enum(e) => {
            if let Some(d) = &options.discriminator {
                if !e
                    .variants
                    .iter()
                    .all(|v| matches!(&v.fields, Fields::Unnamed(f) if f.unnamed.len() == 1))
                {
                    return Err(syn::Error::new(
                        d.span(),
                        "`discriminator` needs every variant to wrap one model whose `literal` field holds the tag: `Cat(Cat)`",
                    ));
                }
            }
            let unit = e.variants.iter().all(|v| matches!(v.fields, Fields::Unit));
            let tagged = has_flag(&e.attrs, "serde", &["tag", "untagged", "content"]);
            if unit && e.variants.iter().any(|v| v.discriminant.is_some()) {
                return Ok(expand_int_enum(e));
            }
            if unit && !tagged {
                return enums::expand_unit_enum(e, derive, serde_crate);
            }
            enums::expand_data_enum(e, options.discriminator.as_ref(), serde_crate)
        }
        other => Err(syn::Error::new(
            other.span(),
            "`#[model]` goes on a struct or an enum",
        )),
    }
}
