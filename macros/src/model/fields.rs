//! The code `#[model]` generates for named fields, shared by structs and by the struct
//! variants of enums: the schema attributes, the checks of a parsed value, the walk of raw
//! JSON that did not parse, and the lax conversions.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::spanned::Spanned;
use syn::Field;

use super::{has_flag, is_collection, is_literal, is_option, schema_attr, serde_rename};
use crate::attr::{constraints_tokens, parse_metas, parse_param_opts};
use crate::errors::Errors;

/// The last path segment of `ty`, looking through `Option`: `NaiveTime` for
/// `Option<chrono::NaiveTime>`.
fn scalar_name(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(p) = ty else {
        return None;
    };
    let last = p.path.segments.last()?;
    if last.ident == "Option" {
        if let syn::PathArguments::AngleBracketed(a) = &last.arguments {
            if let Some(syn::GenericArgument::Type(inner)) = a.args.first() {
                return scalar_name(inner);
            }
        }
    }
    Some(last.ident.to_string())
}

/// What the fields of one struct (or struct variant) contribute to its `Validate`.
#[derive(Default)]
pub(super) struct FieldCode {
    /// Functions the field attributes refer to (defaults, literal schemas).
    pub helpers: Vec<TokenStream>,
    /// Checks of a parsed value (`Validate::validate`).
    pub checks: Vec<TokenStream>,
    /// The walk of raw JSON in `__ferrapi_obj` (`Validate::validate_value`).
    pub value_checks: Vec<TokenStream>,
    /// Lax conversions of raw JSON in `__ferrapi_obj` (`Validate::coerce_lax`).
    pub coercions: Vec<TokenStream>,
    /// Compile-time checks that each constraint applies to its field's type.
    pub assertions: Vec<TokenStream>,
    /// `(wire name, max items)` of the list fields with a limit.
    pub list_limits: Vec<TokenStream>,
    /// `(wire name, values)` of the literal fields.
    pub literals: Vec<TokenStream>,
    /// `(wire name, Rust name)` of every field read from the wire.
    pub field_names: Vec<TokenStream>,
}

/// Rewrites the `#[field(...)]` attributes of `fields` into serde and schema attributes and
/// generates their validation. `owner` names the generated helpers, `rule` the serde
/// `rename_all` of the fields,
/// `all_default` whether the container has `#[serde(default)]`, and `access` the expression
/// reaching a field of a parsed value (`&self.name`, or a binding in a `match`).
pub(super) fn field_code(
    fields: &mut syn::punctuated::Punctuated<Field, syn::token::Comma>,
    owner: &str,
    rule: Option<&str>,
    all_default: bool,
    access: &dyn Fn(&syn::Ident) -> TokenStream,
    errors: &mut Errors,
) -> syn::Result<FieldCode> {
    let p = quote!(::ferrapi::__private);
    let mut out = FieldCode::default();
    for f in fields.iter_mut() {
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
        let opts = parse_param_opts(metas, errors);
        if opts.alias.is_some() {
            errors.at(
                fname.span(),
                "use `#[serde(rename = \"...\")]` to rename a model field",
            );
        }
        let ty = f.ty.clone();
        let access = access(&fname);
        let mut default_expr = None;
        let mut default_fn = None;
        let mut has_default = all_default || has_flag(&f.attrs, "serde", &["default"]);
        match &opts.default {
            Some(Some(expr)) => {
                let helper = format_ident!("__ferrapi_default_{}_{}", owner, fname);
                let helper_s = helper.to_string();
                let conv = crate::attr::default_conversion(expr, &ty);
                out.helpers.push(quote! {
                    #[doc(hidden)]
                    #[allow(non_snake_case)]
                    fn #helper() -> #ty { #conv }
                });
                f.attrs
                    .push(syn::parse_quote!(#[serde(default = #helper_s)]));
                // The schema takes a literal as is, and calls a function for anything
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
                // The document shows the type's default (`[]`, `{}`, `0`) as FastAPI shows a
                // field's default; `None` is not shown, as pydantic leaves it out.
                if !is_option(&ty) {
                    let helper = format_ident!("__ferrapi_default_{}_{}", owner, fname);
                    out.helpers.push(quote! {
                        #[doc(hidden)]
                        #[allow(non_snake_case)]
                        fn #helper() -> #ty { ::core::default::Default::default() }
                    });
                    default_expr = Some(quote!(#helper));
                    default_fn = Some(helper);
                }
            }
            None => {}
        }
        if let Some(d) = &opts.description {
            f.attrs.push(syn::parse_quote!(#[doc = #d]));
        }
        if !opts.literal.is_empty() {
            // A literal's schema (`enum`/`const`) is written by a helper, which also
            // carries what `#[schema(...)]` would have.
            let helper = format_ident!("__ferrapi_schema_{}_{}", owner, fname);
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
            out.helpers.push(quote! {
            #[doc(hidden)]
            #[allow(non_snake_case)]
            fn #helper() -> #p::serde_json::Value {
                #p::literal_schema(&[#(#values),*], #nullable, #default, #title, #description, #examples)
            }
        });
            f.attrs
                .push(syn::parse_quote!(#[schema(schema_with = #helper)]));
        } else if let Some(a) = schema_attr(&opts, is_collection(&ty), default_expr.as_ref()) {
            f.attrs.push(a);
        }
        // A decimal is read from a number or a string (FastAPI's input schema).
        if opts.format.is_none()
            && opts.literal.is_empty()
            && opts.default.is_none()
            && opts.constraints.iter().all(|(d, _, _)| d.schema.is_empty())
            && scalar_name(&ty).as_deref() == Some("Decimal")
        {
            let helper = if is_option(&ty) {
                quote!(::ferrapi::__private::decimal_schema_nullable)
            } else {
                quote!(::ferrapi::__private::decimal_schema)
            };
            f.attrs
                .push(syn::parse_quote!(#[schema(schema_with = #helper)]));
        }
        if has_flag(&f.attrs, "serde", &["skip", "skip_deserializing"]) {
            continue;
        }
        let flatten = has_flag(&f.attrs, "serde", &["flatten"]);
        let wire = super::wire_name(serde_rename(&f.attrs, "serde")?, &fname, rule);
        let required = !is_option(&ty) && !has_default;
        let rust_name = fname.to_string().trim_start_matches("r#").to_string();
        out.field_names.push(quote!((#wire, #rust_name)));
        // Where the field sits, built into a `Loc` only for an error.
        let floc = if flatten {
            quote!(*__ferrapi_loc)
        } else {
            quote!(__ferrapi_loc.key(#wire))
        };
        out.assertions
            .push(crate::attr::constraint_checks(&opts, &ty, "InField"));
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
        out.checks.push(quote! {
            {
                let __ferrapi_v = #access;
                let __ferrapi_floc = #floc;
                #constraint
                <#ty as #p::Validate>::validate(__ferrapi_v, &__ferrapi_floc, __ferrapi_errors);
            }
        });
        if !flatten {
            out.coercions.push(quote! {
                if let ::core::option::Option::Some(__ferrapi_f) = __ferrapi_obj.get_mut(#wire) {
                    <#ty as #p::Validate>::coerce_lax(__ferrapi_f);
                }
            });
        }
        if flatten {
            out.value_checks.push(quote! {
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
            out.literals.push(quote!((#wire, &[#(#literal_values),*])));
            // pydantic checks a literal before the type: `5` is a literal_error too.
            let nullable = is_option(&ty);
            out.value_checks.push(quote! {
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
            out.list_limits.push(quote!((#wire, #n)));
        }
        let too_long = max_length
        .map(|n| quote!(#p::raw_list_too_long(__ferrapi_raw, #n, &__ferrapi_floc, __ferrapi_errors)))
        .unwrap_or_else(|| quote!(false));
        out.value_checks.push(quote! {
        match __ferrapi_obj.get(#wire) {
            ::core::option::Option::None => #on_missing,
            ::core::option::Option::Some(__ferrapi_raw) => {
                let __ferrapi_floc = __ferrapi_loc.join(#wire);
                if !#too_long {
                    match #p::serde_json::from_value::<#ty>(__ferrapi_raw.clone()) {
                        ::core::result::Result::Ok(__ferrapi_parsed) => {
                            let __ferrapi_v = &__ferrapi_parsed;
                            #constraint
                            <#ty as #p::Validate>::validate(__ferrapi_v, &#p::At::Root(&__ferrapi_floc), __ferrapi_errors);
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
    Ok(out)
}
