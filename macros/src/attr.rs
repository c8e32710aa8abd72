//! Options of the attributes: parsing `key = value` lists (duplicates and unknown keys
//! reported with suggestions), parameter and field options, and the tokens they give
//! (constraint constants, compile-time applicability checks, default conversions).

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, Ident, Lit, LitStr, Token, Type};

use crate::errors::Errors;
use crate::types::{generic_arg, last_segment, PRIMITIVES};

/// A numeric constraint literal, kept as written.
#[derive(Clone)]
pub(crate) enum NumLit {
    Int(i128),
    Float(f64),
}

/// What a constraint bounds, which decides the compile-time check that it applies to the
/// argument's or field's type (`NumberConstraint`, `LengthConstraint`, `PatternConstraint`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum ConstraintKind {
    Number,
    Length,
    Pattern,
    /// `max_digits`, `decimal_places`: decimals only, and not in the document (FastAPI
    /// writes neither).
    Digits,
}

/// One constraint option. [`CONSTRAINTS`] is the one table that option parsing, duplicate
/// detection, the applicability checks, the `Constraints` constant and the `#[schema]`
/// keywords of model fields all read; a new constraint is a row here, a field of the
/// runtime's `spec::Constraints` with its keyword in `write_scalar_keywords`, and its check
/// in `runtime/src/constraints.rs`.
#[derive(Debug)]
pub(crate) struct ConstraintDef {
    /// The option as written (`ge`, `min_items`).
    pub key: &'static str,
    /// The field of `Constraints` it sets (`min_items` sets `min_length`).
    pub field: &'static str,
    pub kind: ConstraintKind,
    /// The `#[schema(...)]` keyword for a model field (a list's, when it differs).
    pub schema: &'static str,
    pub schema_of_list: &'static str,
}

macro_rules! constraint {
    ($key:literal, $field:literal, $kind:ident, $schema:literal, $list:literal) => {
        ConstraintDef {
            key: $key,
            field: $field,
            kind: ConstraintKind::$kind,
            schema: $schema,
            schema_of_list: $list,
        }
    };
}

/// Every constraint option.
pub(crate) const CONSTRAINTS: &[ConstraintDef] = &[
    constraint!("ge", "ge", Number, "minimum", "minimum"),
    constraint!("gt", "gt", Number, "exclusive_minimum", "exclusive_minimum"),
    constraint!("le", "le", Number, "maximum", "maximum"),
    constraint!("lt", "lt", Number, "exclusive_maximum", "exclusive_maximum"),
    constraint!(
        "multiple_of",
        "multiple_of",
        Number,
        "multiple_of",
        "multiple_of"
    ),
    constraint!(
        "min_length",
        "min_length",
        Length,
        "min_length",
        "min_items"
    ),
    constraint!("min_items", "min_length", Length, "min_length", "min_items"),
    constraint!(
        "max_length",
        "max_length",
        Length,
        "max_length",
        "max_items"
    ),
    constraint!("max_items", "max_length", Length, "max_length", "max_items"),
    constraint!("pattern", "pattern", Pattern, "pattern", "pattern"),
    constraint!("max_digits", "max_digits", Digits, "", ""),
    constraint!("decimal_places", "decimal_places", Digits, "", ""),
];

/// A constraint's value, as its kind reads it.
#[derive(Clone)]
pub(crate) enum ConstraintValue {
    Number(NumLit),
    Length(usize),
    Pattern(LitStr),
}

impl ConstraintValue {
    /// The value for `Constraints { field: Some(<this>) }`.
    fn runtime_tokens(&self) -> TokenStream {
        match self {
            ConstraintValue::Number(n) => n.tokens(),
            ConstraintValue::Length(n) => quote::quote!(#n),
            ConstraintValue::Pattern(p) => quote::quote!({
                static PATTERN: ::ferrapi::__private::Pattern = ::ferrapi::__private::Pattern::new(#p);
                &PATTERN
            }),
        }
    }
    /// The value for `#[schema(keyword = <this>)]`.
    pub(crate) fn schema_tokens(&self) -> TokenStream {
        match self {
            ConstraintValue::Number(NumLit::Int(i)) => {
                // `gt = 0` is written `0`, as pydantic writes it.
                let i = proc_macro2::Literal::i128_unsuffixed(*i);
                quote::quote!(#i)
            }
            ConstraintValue::Number(NumLit::Float(f)) => quote::quote!(#f),
            ConstraintValue::Length(n) => quote::quote!(#n),
            ConstraintValue::Pattern(p) => quote::quote!(#p),
        }
    }
}

/// Reads a constraint option's value by its kind (a number, a count, a regular expression
/// checked here so a bad one is a compile error at its tokens).
fn parse_constraint(def: &'static ConstraintDef, value: &Expr) -> syn::Result<ConstraintValue> {
    Ok(match def.kind {
        ConstraintKind::Number => ConstraintValue::Number(parse_num(value)?),
        ConstraintKind::Length | ConstraintKind::Digits => {
            ConstraintValue::Length(parse_usize(value)?)
        }
        ConstraintKind::Pattern => ConstraintValue::Pattern(parse_pattern(parse_str(value)?)?),
    })
}

/// Checks a `pattern`: a valid regular expression in the syntax of the `regex` crate the
/// runtime matches with (parsed here with its own parser, `regex-syntax`, so the build
/// compiles no matching engine for the macros).
#[cfg(feature = "pattern")]
fn parse_pattern(s: syn::LitStr) -> syn::Result<syn::LitStr> {
    match regex_syntax::Parser::new().parse(&s.value()) {
        Ok(_) => Ok(s),
        Err(e) => Err(syn::Error::new(
            s.span(),
            format!("invalid regular expression: {e}"),
        )),
    }
}

/// Without ferrapi's `pattern` feature there is no regular expression engine: only an
/// anchored literal (`^password$`, which FastAPI's OAuth2 form uses) can be matched, by
/// comparison; anything else is an error that names the feature.
#[cfg(not(feature = "pattern"))]
fn parse_pattern(s: syn::LitStr) -> syn::Result<syn::LitStr> {
    let v = s.value();
    let literal = v
        .strip_prefix('^')
        .and_then(|v| v.strip_suffix('$'))
        .is_some_and(|inner| !inner.contains(|c| "\\.+*?()|[]{}^$".contains(c)));
    if literal {
        return Ok(s);
    }
    Err(syn::Error::new(
        s.span(),
        "`pattern` needs ferrapi's `pattern` feature (the `regex` crate): \
         ferrapi = { version = \"..\", features = [\"pattern\"] }; without it only an \
         anchored literal such as \"^password$\" is accepted",
    ))
}

/// Options on a scalar parameter or a model field.
#[derive(Default, Clone)]
pub(crate) struct ParamOpts {
    pub default: Option<Option<Expr>>,
    pub alias: Option<LitStr>,
    pub description: Option<LitStr>,
    pub title: Option<LitStr>,
    pub deprecated: bool,
    pub examples: Vec<Expr>,
    /// The constraint options, in the order written: which one (from [`CONSTRAINTS`]),
    /// the option's name as written (for spans), and its value.
    pub constraints: Vec<(&'static ConstraintDef, Ident, ConstraintValue)>,
    /// `format = "password"`: the schema's `format` (documentation only).
    pub format: Option<LitStr>,
    /// `max_size = 1048576`: the largest upload accepted by a `#[file]`, in bytes.
    pub max_size: Option<usize>,
    /// `literal = "cat"` or `literal = ["web", "phone"]` (model fields only).
    pub literal: Vec<LitStr>,
    /// `embed` (on `#[body]`): the argument is a key of the body object even when alone.
    pub embed: Option<Ident>,
}

impl ParamOpts {
    pub(crate) fn has_constraints(&self) -> bool {
        !self.constraints.is_empty()
    }
}

/// The closest known option to a misspelt one: a JSON Schema or pydantic spelling
/// (`minimum`, `minLength`, `regex`), or a known name at most two edits away.
pub(crate) fn suggest(key: &str, known: &str) -> Option<String> {
    let alias = match key {
        "minimum" | "min" => Some("ge"),
        "maximum" | "max" => Some("le"),
        "exclusive_minimum" | "exclusiveMinimum" => Some("gt"),
        "exclusive_maximum" | "exclusiveMaximum" => Some("lt"),
        "multipleOf" => Some("multiple_of"),
        "minLength" => Some("min_length"),
        "maxLength" => Some("max_length"),
        "minItems" => Some("min_items"),
        "maxItems" => Some("max_items"),
        "regex" => Some("pattern"),
        "name" | "rename" => Some("alias"),
        "status_code" => Some("status"),
        "tag" => Some("tags"),
        _ => None,
    };
    let known: Vec<&str> = known.split(", ").collect();
    if let Some(a) = alias.filter(|a| known.contains(a)) {
        return Some(a.to_string());
    }
    known
        .iter()
        .map(|k| (edit_distance(key, k), *k))
        .filter(|(d, k)| *d <= 2 && *d < k.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.to_string())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

/// "unknown option `x`; did you mean `y`?" or, with no close match, the list of options.
pub(crate) fn unknown_option(what: &str, key: &str, known: &str) -> String {
    match suggest(key, known) {
        Some(s) => format!("unknown {what} `{key}`; did you mean `{s}`?"),
        None => format!("unknown {what} `{key}`; expected one of: {known}"),
    }
}

pub(crate) const PARAM_OPTIONS: &str = "default, alias, description, title, deprecated, example, examples, ge, gt, le, lt, multiple_of, min_length, max_length, min_items, max_items, pattern, max_digits, decimal_places, format, literal (model fields), max_size (files), embed (body)";

pub(crate) fn parse_num(expr: &Expr) -> syn::Result<NumLit> {
    let (neg, lit) = match expr {
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => (true, &*u.expr),
        e => (false, e),
    };
    let Expr::Lit(l) = lit else {
        return Err(syn::Error::new(
            expr.span(),
            "expected a number literal, e.g. `ge = 0` or `lt = 10.5`",
        ));
    };
    let v = match &l.lit {
        Lit::Int(i) => NumLit::Int(i.base10_parse::<i128>()?),
        Lit::Float(f) => NumLit::Float(f.base10_parse::<f64>()?),
        _ => {
            return Err(syn::Error::new(
                expr.span(),
                "expected a number literal, e.g. `ge = 0` or `lt = 10.5`",
            ))
        }
    };
    Ok(match (neg, v) {
        (false, v) => v,
        (true, NumLit::Int(i)) => NumLit::Int(-i),
        (true, NumLit::Float(f)) => NumLit::Float(-f),
    })
}

pub(crate) fn parse_usize(expr: &Expr) -> syn::Result<usize> {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Int(i), ..
        }) => i.base10_parse(),
        _ => Err(syn::Error::new(
            expr.span(),
            "expected a non-negative integer literal",
        )),
    }
}

pub(crate) fn parse_str(expr: &Expr) -> syn::Result<LitStr> {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(s), ..
        }) => Ok(s.clone()),
        _ => Err(syn::Error::new(expr.span(), "expected a string literal")),
    }
}

/// One `key`, `key = value` or `key(...)` item.
pub(crate) struct Meta {
    pub key: Ident,
    pub value: Option<Expr>,
    pub list: Option<TokenStream>,
}

impl Parse for Meta {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let key: Ident = input.call(syn::ext::IdentExt::parse_any)?;
        if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            Ok(Meta {
                key,
                value: Some(input.parse()?),
                list: None,
            })
        } else if input.peek(syn::token::Paren) {
            let content;
            syn::parenthesized!(content in input);
            Ok(Meta {
                key,
                value: None,
                list: Some(content.parse()?),
            })
        } else {
            Ok(Meta {
                key,
                value: None,
                list: None,
            })
        }
    }
}

pub(crate) fn parse_metas(tokens: TokenStream) -> syn::Result<Vec<Meta>> {
    let p = Punctuated::<Meta, Token![,]>::parse_terminated;
    Ok(p.parse2(tokens)?.into_iter().collect())
}

/// Reports an option given twice (`#[query(ge = 0, ge = 5)]` would otherwise keep the
/// last silently). `aliases` lists option names that set the same thing
/// (`min_length`/`min_items`); `repeatable` ones may be given several times (`example`,
/// `responses`).
pub(crate) fn report_duplicates(
    metas: &[Meta],
    aliases: &[(&str, &str)],
    repeatable: &[&str],
    errors: &mut Errors,
) {
    let canonical = |k: &str| -> String {
        aliases
            .iter()
            .find(|(a, _)| *a == k)
            .map(|(_, c)| c.to_string())
            .unwrap_or_else(|| k.to_string())
    };
    let mut seen: Vec<(String, String)> = Vec::new();
    for m in metas {
        let key = m.key.to_string();
        if repeatable.contains(&key.as_str()) {
            continue;
        }
        let c = canonical(&key);
        match seen.iter().find(|(s, _)| *s == c) {
            Some((_, first)) if *first == key => {
                errors.at(m.key.span(), format!("`{key}` is given twice; keep one"))
            }
            Some((_, first)) => errors.at(
                m.key.span(),
                format!("`{key}` and `{first}` set the same thing; keep one"),
            ),
            None => seen.push((c, key)),
        }
    }
}

/// Parses parameter/field options, pushing errors for unknown or malformed ones.
pub(crate) fn parse_param_opts(metas: Vec<Meta>, errors: &mut Errors) -> ParamOpts {
    let mut o = ParamOpts::default();
    let aliases: Vec<(&str, &str)> = CONSTRAINTS
        .iter()
        .filter(|c| c.key != c.field)
        .map(|c| (c.key, c.field))
        .collect();
    report_duplicates(&metas, &aliases, &["example"], errors);
    for m in metas {
        let key = m.key.to_string();
        let need_value = |errors: &mut Errors| {
            if m.value.is_none() {
                errors.at(
                    m.key.span(),
                    format!("`{key}` needs a value: `{key} = ...`"),
                );
            }
        };
        macro_rules! with {
            ($f:ident, $parse:expr) => {{
                need_value(errors);
                if let Some(v) = &m.value {
                    match $parse(v) {
                        Ok(x) => o.$f = Some(x),
                        Err(e) => errors.push(e),
                    }
                }
            }};
        }
        if let Some(def) = CONSTRAINTS.iter().find(|c| c.key == key) {
            need_value(errors);
            if let Some(v) = &m.value {
                match parse_constraint(def, v) {
                    Ok(value) => o.constraints.push((def, m.key.clone(), value)),
                    Err(e) => errors.push(e),
                }
            }
            continue;
        }
        match key.as_str() {
            "default" => o.default = Some(m.value.clone()),
            "alias" => with!(alias, parse_str),
            "description" => with!(description, parse_str),
            "title" => with!(title, parse_str),
            "deprecated" => o.deprecated = true,
            "example" => {
                need_value(errors);
                o.examples.extend(m.value.clone());
            }
            "examples" => match &m.value {
                Some(Expr::Array(a)) => o.examples.extend(a.elems.iter().cloned()),
                _ => errors.at(m.key.span(), "`examples` takes a list: `examples = [1, 2]`"),
            },
            "format" => with!(format, parse_str),
            "max_size" => with!(max_size, parse_usize),
            "embed" => o.embed = Some(m.key.clone()),
            "literal" => match &m.value {
                Some(Expr::Array(a)) if !a.elems.is_empty() => {
                    for e in &a.elems {
                        match parse_str(e) {
                            Ok(l) => o.literal.push(l),
                            Err(e) => errors.push(e),
                        }
                    }
                }
                Some(v @ Expr::Lit(_)) => match parse_str(v) {
                    Ok(l) => o.literal.push(l),
                    Err(e) => errors.push(e),
                },
                _ => errors.at(
                    m.key.span(),
                    "`literal` takes a string or a list of strings: `literal = [\"web\", \"phone\"]`",
                ),
            },
            _ => errors.at(m.key.span(), unknown_option("option", &key, PARAM_OPTIONS)),
        }
    }
    o
}

impl NumLit {
    pub(crate) fn tokens(&self) -> TokenStream {
        match self {
            NumLit::Int(i) => quote::quote!(::ferrapi::__private::Num::Int(#i)),
            NumLit::Float(f) => quote::quote!(::ferrapi::__private::Num::Float(#f)),
        }
    }
}

/// `Constraints { .. }` for the options.
pub(crate) fn constraints_tokens(o: &ParamOpts) -> TokenStream {
    if o.constraints.is_empty() {
        return quote::quote!(::ferrapi::__private::Constraints::NONE);
    }
    // Only what is declared, the rest from `NONE`: the macro's output stays small.
    let fields = o.constraints.iter().map(|(def, _, value)| {
        let field = Ident::new(def.field, Span::call_site());
        let v = value.runtime_tokens();
        quote::quote!(#field: ::core::option::Option::Some(#v))
    });
    quote::quote! {
        ::ferrapi::__private::Constraints { #(#fields,)* ..::ferrapi::__private::Constraints::NONE }
    }
}

/// For each constraint option, a compile-time check that it applies to `ty`
/// (`NumberConstraint`, `LengthConstraint` or `PatternConstraint` in context `ctx`: `InParam`
/// or `InField`), spanned at the option's name so the error underlines it.
pub(crate) fn constraint_checks(o: &ParamOpts, ty: &Type, ctx: &str) -> TokenStream {
    let ctx = quote::format_ident!("{}", ctx);
    o.constraints
        .iter()
        .map(|(def, key, _)| {
            let kind = match def.kind {
                ConstraintKind::Number => "NumberConstraint",
                ConstraintKind::Length => "LengthConstraint",
                ConstraintKind::Pattern => "PatternConstraint",
                ConstraintKind::Digits => "DigitsConstraint",
            };
            let kind = Ident::new(kind, key.span());
            let ty = respan(ty.to_token_stream(), key.span());
            quote::quote_spanned! {key.span()=>
                let () = <#ty as ::ferrapi::__private::#kind<::ferrapi::__private::#ctx>>::APPLIES;
            }
        })
        .collect()
}

/// `tokens` with every span set to `span` (so an error about them points there).
fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut t| {
            if let proc_macro2::TokenTree::Group(g) = &t {
                let mut ng = proc_macro2::Group::new(g.delimiter(), respan(g.stream(), span));
                ng.set_span(span);
                t = proc_macro2::TokenTree::Group(ng);
            } else {
                t.set_span(span);
            }
            t
        })
        .collect()
}

pub(crate) fn opt_str<T: ToTokens>(v: &Option<T>) -> TokenStream {
    match v {
        Some(v) => quote::quote!(::core::option::Option::Some(#v)),
        None => quote::quote!(::core::option::Option::None),
    }
}

/// A default value expression converted to the field's type: string literals go through
/// `Into` (so `default = "x"` fills a `String`), anything else is used as written. For a
/// known type that is not a `String` (a number, `bool`, `char`, `Uuid`, a chrono date or
/// time, or `Option`/`Vec` of one)
/// the literal is used as written too, so `default = "ten"` on an `i64` is reported as
/// "expected `i64`, found `&str`" rather than with a list of `From` impls.
pub(crate) fn default_conversion(expr: &Expr, ty: &Type) -> TokenStream {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(_), ..
        }) if !is_non_string_primitive(ty) => quote::quote!(::core::convert::Into::into(#expr)),
        _ => quote::quote!(#expr),
    }
}

fn is_non_string_primitive(ty: &Type) -> bool {
    let Some(seg) = last_segment(ty) else {
        return false;
    };
    let name = seg.ident.to_string();
    if name == "Option" || name == "Vec" {
        return generic_arg(seg)
            .map(is_non_string_primitive)
            .unwrap_or(false);
    }
    name != "String" && PRIMITIVES.contains(&name.as_str())
}

#[cfg(test)]
mod pattern_tests {
    use super::parse_pattern;

    fn check(p: &str) -> Result<(), String> {
        parse_pattern(syn::LitStr::new(p, proc_macro2::Span::call_site()))
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn an_anchored_literal_is_a_pattern_with_or_without_the_feature() {
        assert_eq!(check("^password$"), Ok(()));
        assert_eq!(check("^a-b_c d$"), Ok(()));
    }

    #[cfg(feature = "pattern")]
    #[test]
    fn with_the_feature_any_regex_is_checked() {
        assert_eq!(check("^[a-z]+$"), Ok(()));
        assert_eq!(check(r"\p{L}+"), Ok(()));
        let e = check("^[a-z").unwrap_err();
        assert!(e.starts_with("invalid regular expression: "), "{e}");
        assert!(e.contains("unclosed character class"), "{e}");
        assert!(check("(").is_err());
        assert!(check(r"\p{NotAClass}").is_err());
    }

    #[cfg(not(feature = "pattern"))]
    #[test]
    fn without_the_feature_anything_else_names_the_feature() {
        for p in [
            "^[a-z]+$",
            "password",
            "^pass.word$",
            "^a$|^b$",
            r"^a\d$",
            "^$$",
            "",
        ] {
            let e = check(p).unwrap_err();
            assert!(e.contains("`pattern` feature"), "{p}: {e}");
            assert!(e.contains("features = [\"pattern\"]"), "{p}: {e}");
        }
    }
}
