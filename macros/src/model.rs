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
//! rewritten as utoipa's `#[schema(...)]` keyword (so the document shows it), and an
//! implementation of `Validate` that checks the same constraints at run time.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};
use syn::spanned::Spanned;
use syn::{Attribute, Expr, Fields, Item, Lit, Type};

use crate::attr::{constraints_tokens, parse_metas, parse_param_opts, ParamOpts};
use crate::errors::Errors;

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

fn is_option(ty: &Type) -> bool {
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

/// Whether `ty` mentions the type named `ident` anywhere (`Vec<Node>`, `Option<Box<Node>>`).
fn mentions(ty: &Type, ident: &syn::Ident) -> bool {
    ty.to_token_stream()
        .into_iter()
        .any(|t| matches!(t, proc_macro2::TokenTree::Ident(i) if i == *ident))
        || {
            fn walk(ts: TokenStream, ident: &syn::Ident) -> bool {
                ts.into_iter().any(|t| match t {
                    proc_macro2::TokenTree::Ident(i) => i == *ident,
                    proc_macro2::TokenTree::Group(g) => walk(g.stream(), ident),
                    _ => false,
                })
            }
            walk(ty.to_token_stream(), ident)
        }
}

/// A literal (`3`, `-1.5`, `"web"`, `true`), which utoipa writes as a default as is.
fn is_literal(e: &Expr) -> bool {
    match e {
        Expr::Lit(_) => true,
        Expr::Unary(u) => matches!(u.op, syn::UnOp::Neg(_)) && matches!(&*u.expr, Expr::Lit(_)),
        _ => false,
    }
}

/// The utoipa `#[schema(...)]` attribute carrying the declared constraints.
fn schema_attr(
    o: &ParamOpts,
    collection: bool,
    default: Option<&TokenStream>,
) -> Option<Attribute> {
    let mut items = Vec::new();
    for (def, _, value) in &o.constraints {
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
        let ex = ex.iter().map(|e| match e {
            Expr::Lit(_) => quote!(#e),
            Expr::Unary(_) => quote!(#e),
            e => quote!(json!(#e)),
        });
        items.push(quote!(examples(#(#ex),*)));
    }
    if items.is_empty() {
        return None;
    }
    Some(syn::parse_quote!(#[schema(#(#items),*)]))
}

/// Registers a non-generic model's schema functions for the document (see
/// `ferrapi::spec::ModelSchema`).
fn registry_entry(ident: &syn::Ident) -> TokenStream {
    let p = quote!(::ferrapi::__private);
    quote! {
        #p::inventory::submit! {
            #p::ModelSchema {
                name: <#ident as #p::utoipa::ToSchema>::name,
                schema: <#ident as #p::utoipa::PartialSchema>::schema,
                deps: <#ident as #p::utoipa::ToSchema>::schemas,
            }
        }
    }
}

pub(crate) fn expand_model(attr: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    if !attr.is_empty() {
        return Err(syn::Error::new(attr.span(), "`#[model]` takes no options"));
    }
    let mut item: Item = syn::parse2(item)?;
    let p = quote!(::ferrapi::__private);
    let derive: Attribute = syn::parse_quote!(
        #[derive(#p::serde::Serialize, #p::serde::Deserialize, ::ferrapi::ToSchema)]
    );
    let serde_crate: Attribute = syn::parse_quote!(#[serde(crate = "::ferrapi::__private::serde")]);
    match &mut item {
        Item::Struct(s) => {
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
            let mut helpers = Vec::new();
            let mut checks = Vec::new();
            let mut value_checks = Vec::new();
            let mut coercions = Vec::new();
            let mut assertions = Vec::new();
            let mut list_limits = Vec::new();
            for f in fields.named.iter_mut() {
                let fname = f.ident.clone().expect("named field");
                let mut metas = Vec::new();
                let mut kept = Vec::new();
                for a in f.attrs.drain(..) {
                    if a.path().is_ident("field") {
                        match &a.meta {
                            syn::Meta::List(l) => match parse_metas(l.tokens.clone()) {
                                Ok(m) => metas.extend(m),
                                Err(e) => errors.push(e),
                            },
                            _ => errors.at(a.span(), "write `#[field(option = value, ...)]`"),
                        }
                    } else {
                        kept.push(a);
                    }
                }
                f.attrs = kept;
                let opts = parse_param_opts(metas, &mut errors);
                if opts.alias.is_some() {
                    errors.at(
                        fname.span(),
                        "use `#[serde(rename = \"...\")]` to rename a model field",
                    );
                }
                let ty = f.ty.clone();
                let mut default_expr = None;
                let mut default_fn = None;
                let mut has_default = struct_default || has_flag(&f.attrs, "serde", &["default"]);
                match &opts.default {
                    Some(Some(expr)) => {
                        let helper = format_ident!("__ferrapi_default_{}_{}", ident, fname);
                        let helper_s = helper.to_string();
                        let conv = crate::attr::default_conversion(expr, &ty);
                        helpers.push(quote! {
                            #[doc(hidden)]
                            #[allow(non_snake_case)]
                            fn #helper() -> #ty { #conv }
                        });
                        f.attrs
                            .push(syn::parse_quote!(#[serde(default = #helper_s)]));
                        // utoipa takes a literal as is, and calls a function for anything
                        // else (`Urgency::Normal`, `vec![]`): the helper above.
                        default_expr = Some(if is_literal(expr) {
                            quote!(#expr)
                        } else {
                            quote!(#helper)
                        });
                        default_fn = Some(helper.clone());
                        has_default = true;
                    }
                    Some(None) => {
                        f.attrs.push(syn::parse_quote!(#[serde(default)]));
                        has_default = true;
                    }
                    None => {}
                }
                if let Some(d) = &opts.description {
                    f.attrs.push(syn::parse_quote!(#[doc = #d]));
                }
                if !opts.literal.is_empty() {
                    // A literal's schema (`enum`/`const`) is written by a helper, which also
                    // carries what `#[schema(...)]` would have.
                    let helper = format_ident!("__ferrapi_schema_{}_{}", ident, fname);
                    let values = &opts.literal;
                    let nullable = is_option(&ty);
                    let default = match &default_fn {
                        Some(d) => quote!(#p::serde_json::to_value(#d()).ok()),
                        None => quote!(::core::option::Option::None),
                    };
                    let title = crate::attr::opt_str(&opts.title);
                    let description = crate::attr::opt_str(&opts.description);
                    let examples = if opts.examples.is_empty() {
                        quote!(::core::option::Option::None)
                    } else {
                        let ex = &opts.examples;
                        quote!(::core::option::Option::Some(
                            ::std::vec![#(#p::serde_json::json!(#ex)),*]
                        ))
                    };
                    helpers.push(quote! {
                        #[doc(hidden)]
                        #[allow(non_snake_case)]
                        fn #helper() -> #p::utoipa::openapi::RefOr<#p::utoipa::openapi::schema::Schema> {
                            #p::literal_schema(&[#(#values),*], #nullable, #default, #title, #description, #examples)
                        }
                    });
                    f.attrs
                        .push(syn::parse_quote!(#[schema(schema_with = #helper)]));
                } else if let Some(a) =
                    schema_attr(&opts, is_collection(&ty), default_expr.as_ref())
                {
                    f.attrs.push(a);
                }
                // A field that refers to the model itself (a tree) must not make the schema
                // collection recurse forever.
                if mentions(&ty, &ident) {
                    f.attrs.push(syn::parse_quote!(#[schema(no_recursion)]));
                }
                if has_flag(&f.attrs, "serde", &["skip", "skip_deserializing"]) {
                    continue;
                }
                let flatten = has_flag(&f.attrs, "serde", &["flatten"]);
                let wire = serde_rename(&f.attrs, "serde")?.unwrap_or_else(|| {
                    let raw = fname.to_string().trim_start_matches("r#").to_string();
                    match &rule {
                        Some(r) => apply_rule(r, &raw),
                        None => raw,
                    }
                });
                let required = !is_option(&ty) && !has_default;
                let floc = if flatten {
                    quote!(__ferrapi_loc.clone())
                } else {
                    quote!(__ferrapi_loc.join(#wire))
                };
                assertions.push(crate::attr::constraint_checks(&opts, &ty, "InField"));
                let constraint = if opts.has_constraints() {
                    let c = constraints_tokens(&opts);
                    quote! {
                        {
                            const __FERRAPI_C: #p::Constraints = #c;
                            #p::check_field(__ferrapi_v, &__FERRAPI_C, &__ferrapi_floc, __ferrapi_errors);
                        }
                    }
                } else {
                    quote!()
                };
                let literal_values = &opts.literal;
                let literal_check = if literal_values.is_empty() {
                    quote!()
                } else {
                    quote! {
                        #p::check_literal(__ferrapi_v, &[#(#literal_values),*], &__ferrapi_floc, __ferrapi_errors);
                    }
                };
                let constraint = quote!(#constraint #literal_check);
                checks.push(quote! {
                    {
                        let __ferrapi_v = &self.#fname;
                        let __ferrapi_floc = #floc;
                        #constraint
                        <#ty as #p::Validate>::validate(__ferrapi_v, &__ferrapi_floc, __ferrapi_errors);
                    }
                });
                if !flatten {
                    coercions.push(quote! {
                        if let ::core::option::Option::Some(__ferrapi_f) = __ferrapi_obj.get_mut(#wire) {
                            <#ty as #p::Validate>::coerce_lax(__ferrapi_f);
                        }
                    });
                }
                if flatten {
                    value_checks.push(quote! {
                        <#ty as #p::Validate>::validate_value(__ferrapi_value, __ferrapi_loc, __ferrapi_errors);
                    });
                    continue;
                }
                let on_missing = if required {
                    quote!(#p::missing_field(__ferrapi_value, &__ferrapi_loc.join(#wire), __ferrapi_errors))
                } else {
                    quote!({})
                };
                if !literal_values.is_empty() {
                    // pydantic checks a literal before the type: `5` is a literal_error too.
                    let nullable = is_option(&ty);
                    value_checks.push(quote! {
                        match __ferrapi_obj.get(#wire) {
                            ::core::option::Option::None => #on_missing,
                            ::core::option::Option::Some(__ferrapi_raw) => {
                                #p::check_literal_value(__ferrapi_raw, &[#(#literal_values),*], #nullable, &__ferrapi_loc.join(#wire), __ferrapi_errors);
                            }
                        }
                    });
                    continue;
                }
                // A list longer than its `max_length` is refused before its items are read.
                let max_length = opts.constraints.iter().find_map(|(def, _, v)| match v {
                    crate::attr::ConstraintValue::Length(n) if def.field == "max_length" => Some(n),
                    _ => None,
                });
                if let Some(n) = max_length {
                    list_limits.push(quote!((#wire, #n)));
                }
                let too_long = max_length
                    .map(|n| quote!(#p::raw_list_too_long(__ferrapi_raw, #n, &__ferrapi_floc, __ferrapi_errors)))
                    .unwrap_or_else(|| quote!(false));
                value_checks.push(quote! {
                    match __ferrapi_obj.get(#wire) {
                        ::core::option::Option::None => #on_missing,
                        ::core::option::Option::Some(__ferrapi_raw) => {
                            let __ferrapi_floc = __ferrapi_loc.join(#wire);
                            if !#too_long {
                                match #p::serde_json::from_value::<#ty>(__ferrapi_raw.clone()) {
                                    ::core::result::Result::Ok(__ferrapi_parsed) => {
                                        let __ferrapi_v = &__ferrapi_parsed;
                                        #constraint
                                        <#ty as #p::Validate>::validate(__ferrapi_v, &__ferrapi_floc, __ferrapi_errors);
                                    }
                                    ::core::result::Result::Err(_) => {
                                        <#ty as #p::Validate>::validate_value(__ferrapi_raw, &__ferrapi_floc, __ferrapi_errors);
                                    }
                                }
                            }
                        }
                    }
                });
            }
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
            let registry = s.generics.params.is_empty().then(|| registry_entry(&ident));
            Ok(quote! {
                #item_tokens
                #registry
                #(#helpers)*
                impl #impl_g #p::Validate for #ident #ty_g #where_c {
                    #[allow(unused_variables)]
                    fn validate(&self, __ferrapi_loc: &#p::Loc, __ferrapi_errors: &mut #p::ValidationErrors) {
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
                    fn coerce_lax(__ferrapi_value: &mut #p::serde_json::Value) {
                        if let ::core::option::Option::Some(__ferrapi_obj) = __ferrapi_value.as_object_mut() {
                            #(#coercions)*
                        }
                    }
                }
            })
        }
        Item::Enum(e) => {
            let ident = e.ident.clone();
            let rule = rename_rule(&e.attrs, "serde")?;
            let unit = e.variants.iter().all(|v| matches!(v.fields, Fields::Unit));
            let tagged = has_flag(&e.attrs, "serde", &["tag", "untagged", "content"]);
            if unit && e.variants.iter().any(|v| v.discriminant.is_some()) {
                return Ok(expand_int_enum(e));
            }
            if unit && !tagged && !has_flag(&e.attrs, "schema", &["title"]) {
                // pydantic titles enums with their name, and FastAPI shows it where the enum
                // is a parameter's schema.
                let title = ident.to_string();
                e.attrs.push(syn::parse_quote!(#[schema(title = #title)]));
            }
            let check = if unit && !tagged {
                let mut names = Vec::new();
                for v in &e.variants {
                    let n = serde_rename(&v.attrs, "serde")?.unwrap_or_else(|| match &rule {
                        Some(r) => apply_rule(r, &v.ident.to_string()),
                        None => v.ident.to_string(),
                    });
                    names.push(n);
                }
                quote! {
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
            } else {
                quote! {
                    if let ::core::result::Result::Err(e) = #p::serde_json::from_value::<#ident>(__ferrapi_value.clone()) {
                        __ferrapi_errors.push(#p::ValidationError::new(
                            "value_error", __ferrapi_loc.clone(), ::std::format!("Value error, {}", e), __ferrapi_value.clone(),
                        ).with_ctx(#p::serde_json::json!({"error": {}})));
                    }
                }
            };
            e.attrs.insert(0, serde_crate);
            e.attrs.insert(0, derive);
            let (impl_g, ty_g, where_c) = e.generics.split_for_impl();
            let item_tokens = quote!(#e);
            Ok(quote! {
                #item_tokens
                impl #impl_g #p::Validate for #ident #ty_g #where_c {
                    fn validate_value(__ferrapi_value: &#p::serde_json::Value, __ferrapi_loc: &#p::Loc, __ferrapi_errors: &mut #p::ValidationErrors) {
                        #check
                    }
                }
            })
        }
        other => Err(syn::Error::new(
            other.span(),
            "`#[model]` goes on a struct or an enum",
        )),
    }
}

/// `#[model]` on a fieldless enum with discriminants: an integer enum (pydantic's
/// `IntEnum`), written as its number, read leniently, documented as an integer `enum`.
fn expand_int_enum(e: &syn::ItemEnum) -> TokenStream {
    let p = quote!(::ferrapi::__private);
    let ident = &e.ident;
    let title = ident.to_string();
    let variants: Vec<&syn::Ident> = e.variants.iter().map(|v| &v.ident).collect();
    let (impl_g, ty_g, where_c) = e.generics.split_for_impl();
    quote! {
        #e

        impl #impl_g #ident #ty_g #where_c {
            #[doc(hidden)]
            const __FERRAPI_VALUES: &'static [i64] = &[#(#ident::#variants as i64),*];
        }

        impl #impl_g #p::serde::Serialize for #ident #ty_g #where_c {
            fn serialize<__S: #p::serde::Serializer>(&self, s: __S) -> ::core::result::Result<__S::Ok, __S::Error> {
                let v: i64 = match self { #(#ident::#variants => #ident::#variants as i64,)* };
                s.serialize_i64(v)
            }
        }

        impl<'de> #p::serde::Deserialize<'de> for #ident #ty_g #where_c {
            fn deserialize<__D: #p::serde::Deserializer<'de>>(d: __D) -> ::core::result::Result<Self, __D::Error> {
                let raw = <#p::serde_json::Value as #p::serde::Deserialize>::deserialize(d)?;
                let n = #p::int_enum_input(&raw);
                #(if n == ::core::option::Option::Some(#ident::#variants as i64) {
                    return ::core::result::Result::Ok(#ident::#variants);
                })*
                ::core::result::Result::Err(<__D::Error as #p::serde::de::Error>::custom(
                    #p::int_enum_problem(Self::__FERRAPI_VALUES).msg,
                ))
            }
        }

        impl #impl_g #p::utoipa::PartialSchema for #ident #ty_g #where_c {
            fn schema() -> #p::utoipa::openapi::RefOr<#p::utoipa::openapi::schema::Schema> {
                #p::int_enum_schema(#title, Self::__FERRAPI_VALUES)
            }
        }

        impl #impl_g #p::utoipa::ToSchema for #ident #ty_g #where_c {
            fn name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(#title)
            }
        }

        impl #impl_g #p::Validate for #ident #ty_g #where_c {
            fn validate_value(__ferrapi_value: &#p::serde_json::Value, __ferrapi_loc: &#p::Loc, __ferrapi_errors: &mut #p::ValidationErrors) {
                #p::check_int_enum(__ferrapi_value, Self::__FERRAPI_VALUES, __ferrapi_loc, __ferrapi_errors);
            }
        }
    }
}
