//! Parsing and checking of a route attribute and its function into a [`Route`] model.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{
    Attribute, Expr, FnArg, Ident, Lit, LitStr, Pat, ReturnType, Signature, Token, Type, Visibility,
};

/// A handler function as the macro reads it: attributes, visibility and signature, with
/// the body kept as opaque tokens. A syntax error inside the body is then the compiler's
/// ordinary error, not the macro's, and the body is emitted exactly as written.
#[derive(Clone)]
pub(crate) struct HandlerFn {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub sig: Signature,
    pub body: proc_macro2::Group,
}

impl Parse for HandlerFn {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        let sig: Signature = input.parse()?;
        let body: proc_macro2::Group = input.parse()?;
        if body.delimiter() != proc_macro2::Delimiter::Brace {
            return Err(syn::Error::new(
                body.span(),
                "expected the function's body `{ ... }`",
            ));
        }
        Ok(HandlerFn {
            attrs,
            vis,
            sig,
            body,
        })
    }
}

impl ToTokens for HandlerFn {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        for a in &self.attrs {
            a.to_tokens(tokens);
        }
        self.vis.to_tokens(tokens);
        self.sig.to_tokens(tokens);
        self.body.to_tokens(tokens);
    }
}

/// The names of the attributes the route macros read on arguments.
pub(crate) const ARG_ATTRIBUTES: &[&str] = &["query", "header", "cookie", "path", "form", "file"];

/// What a route attribute still emits when it has errors: the function as written (its
/// argument attributes removed, so they are not reported as unknown), and a companion that
/// satisfies `routes![...]`, so the only errors are the real ones and an IDE keeps the body.
pub(crate) fn fallback(item: TokenStream, companion: bool) -> TokenStream {
    let Ok(mut func) = syn::parse2::<HandlerFn>(item.clone()) else {
        return TokenStream::new();
    };
    for input in func.sig.inputs.iter_mut() {
        if let FnArg::Typed(pt) = input {
            pt.attrs
                .retain(|a| !ARG_ATTRIBUTES.iter().any(|n| a.path().is_ident(n)));
        }
    }
    if !companion {
        return func.into_token_stream();
    }
    let vis = &func.vis;
    let name = &func.sig.ident;
    let fn_name = name.to_string();
    let p = quote::quote!(::ferrapi::__private);
    quote::quote! {
        #[allow(clippy::too_many_arguments, dead_code)]
        #func

        #[doc(hidden)]
        #[allow(non_camel_case_types, missing_docs)]
        #vis struct #name {}

        impl #p::Endpoint for #name {
            const INFO: #p::RouteInfo = #p::RouteInfo {
                methods: &[],
                path: "/",
                fn_name: #fn_name,
                summary: ::core::option::Option::None,
                description: ::core::option::Option::None,
                operation_id: ::core::option::Option::None,
                tags: &[],
                scopes: &[],
                deprecated: false,
                status: ::core::option::Option::None,
                include_in_schema: false,
                response_description: ::core::option::Option::None,
                websocket: false,
            };
            fn method_router() -> #p::axum::routing::MethodRouter<#p::AppState> {
                #p::axum::routing::MethodRouter::new()
            }
            fn document(_: &mut #p::DocCtx, _: &mut #p::Operation) {}
        }
    }
}

/// Accumulates errors so one mistake does not hide the next.
#[derive(Default)]
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    pub(crate) fn push(&mut self, e: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(e),
            None => self.0 = Some(e),
        }
    }
    pub(crate) fn at(&mut self, span: Span, msg: impl std::fmt::Display) {
        self.push(syn::Error::new(span, msg))
    }
    /// An error underlining all of `tokens` (a whole type, not only its first token).
    pub(crate) fn spanned(&mut self, tokens: impl ToTokens, msg: impl std::fmt::Display) {
        self.push(syn::Error::new_spanned(tokens, msg))
    }
    pub(crate) fn finish(self) -> syn::Result<()> {
        match self.0 {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

/// Where a scalar parameter comes from. The order is FastAPI's order of errors and
/// parameters: path, query, header, cookie, then the body (form fields).
#[derive(Clone, Copy, PartialEq, Eq, Debug, PartialOrd, Ord)]
pub(crate) enum Source {
    Path,
    Query,
    Header,
    Cookie,
    Form,
    /// `#[file]`: an uploaded file of a multipart form.
    File,
}

impl Source {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Source::Path => "path",
            Source::Query => "query",
            Source::Header => "header",
            Source::Cookie => "cookie",
            Source::Form => "form",
            Source::File => "file",
        }
    }
}

/// A numeric constraint literal, kept as written.
#[derive(Clone)]
pub(crate) enum NumLit {
    Int(i128),
    Float(f64),
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
    pub ge: Option<NumLit>,
    pub gt: Option<NumLit>,
    pub le: Option<NumLit>,
    pub lt: Option<NumLit>,
    pub multiple_of: Option<NumLit>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<LitStr>,
    /// The constraint options as written (`ge`, `min_items`, ...), for their spans.
    pub constraint_keys: Vec<Ident>,
    /// `format = "password"`: the schema's `format` (documentation only).
    pub format: Option<LitStr>,
    /// `max_size = 1048576`: the largest upload accepted by a `#[file]`, in bytes.
    pub max_size: Option<usize>,
    /// `literal = "cat"` or `literal = ["web", "phone"]` (model fields only).
    pub literal: Vec<LitStr>,
}

impl ParamOpts {
    pub(crate) fn has_constraints(&self) -> bool {
        self.ge.is_some()
            || self.gt.is_some()
            || self.le.is_some()
            || self.lt.is_some()
            || self.multiple_of.is_some()
            || self.min_length.is_some()
            || self.max_length.is_some()
            || self.pattern.is_some()
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

pub(crate) const PARAM_OPTIONS: &str = "default, alias, description, title, deprecated, example, examples, ge, gt, le, lt, multiple_of, min_length, max_length, min_items, max_items, pattern, format, literal (model fields), max_size (files)";

fn parse_num(expr: &Expr) -> syn::Result<NumLit> {
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

fn parse_usize(expr: &Expr) -> syn::Result<usize> {
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

fn parse_str(expr: &Expr) -> syn::Result<LitStr> {
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
    report_duplicates(
        &metas,
        &[("min_items", "min_length"), ("max_items", "max_length")],
        &["example"],
        errors,
    );
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
        if matches!(
            key.as_str(),
            "ge" | "gt"
                | "le"
                | "lt"
                | "multiple_of"
                | "min_length"
                | "min_items"
                | "max_length"
                | "max_items"
                | "pattern"
        ) {
            o.constraint_keys.push(m.key.clone());
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
            "ge" => with!(ge, parse_num),
            "gt" => with!(gt, parse_num),
            "le" => with!(le, parse_num),
            "lt" => with!(lt, parse_num),
            "multiple_of" => with!(multiple_of, parse_num),
            "min_length" | "min_items" => with!(min_length, parse_usize),
            "max_length" | "max_items" => with!(max_length, parse_usize),
            "pattern" => {
                need_value(errors);
                if let Some(v) = &m.value {
                    match parse_str(v) {
                        Ok(s) => match regex::Regex::new(&s.value()) {
                            Ok(_) => o.pattern = Some(s),
                            Err(e) => {
                                errors.at(s.span(), format!("invalid regular expression: {e}"))
                            }
                        },
                        Err(e) => errors.push(e),
                    }
                }
            }
            _ => errors.at(m.key.span(), unknown_option("option", &key, PARAM_OPTIONS)),
        }
    }
    o
}

/// How an argument is read.
pub(crate) enum ArgKind {
    Scalar {
        source: Source,
        wire: String,
        // Boxed: the options are large next to `Extractor` (clippy::large_enum_variant).
        opts: Box<ParamOpts>,
    },
    Extractor,
    /// The `WebSocket` of a `#[websocket]` handler.
    Socket,
}

pub(crate) struct Arg {
    pub ty: Type,
    pub kind: ArgKind,
}

/// A `responses(CODE = Type)`, `CODE = (Type, "description")` or
/// `CODE = (Type, "description", "media/type")` entry.
pub(crate) struct ExtraResponse {
    pub status: String,
    pub ty: Type,
    pub description: Option<LitStr>,
    /// Another media type for the status: added next to what is already documented.
    pub media: Option<LitStr>,
}

/// What an attribute declares.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum RouteKind {
    /// An HTTP route: `#[get]` & co. with their method, or `#[route]` (`None`: the methods
    /// are options).
    Http(Option<&'static str>),
    /// A `#[websocket]` route (its handshake is a GET).
    WebSocket,
    /// A `#[dependency]`: inputs read like a GET route's, path parameters named with
    /// `#[path]` since the route's template is not known.
    Dependency,
}

pub(crate) struct Route {
    /// What the attribute declares.
    pub kind: RouteKind,
    pub methods: Vec<String>,
    pub path: LitStr,
    pub func: HandlerFn,
    pub args: Vec<Arg>,
    pub ret: Type,
    pub tags: Vec<LitStr>,
    pub scopes: Vec<LitStr>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub operation_id: Option<LitStr>,
    pub deprecated: bool,
    pub status: Option<u16>,
    pub include_in_schema: bool,
    pub response_description: Option<LitStr>,
    pub responses: Vec<ExtraResponse>,
    /// `body(...)`: examples documented on the request body.
    pub body: BodyDoc,
}

/// The `body(examples = [...], openapi_examples(name(summary = "...", value = ...)))` option:
/// FastAPI's `Body(examples=...)` (JSON Schema `examples` of the body's schema) and
/// `Body(openapi_examples=...)` (named examples of the media type).
#[derive(Default)]
pub(crate) struct BodyDoc {
    pub examples: Vec<Expr>,
    pub openapi_examples: Vec<NamedExample>,
}

/// One named example of `openapi_examples(...)`.
pub(crate) struct NamedExample {
    pub name: String,
    pub summary: Option<LitStr>,
    pub description: Option<LitStr>,
    pub value: Option<Expr>,
    pub external_value: Option<LitStr>,
}

const ROUTE_OPTIONS: &str = "tags, scopes, summary, description, operation_id, deprecated, status, responses, include_in_schema, response_description, body";

/// Type names that are read from the query string when unannotated (see the guide's table).
const PRIMITIVES: &[&str] = &[
    "i8",
    "i16",
    "i32",
    "i64",
    "i128",
    "isize",
    "u8",
    "u16",
    "u32",
    "u64",
    "u128",
    "usize",
    "f32",
    "f64",
    "bool",
    "char",
    "String",
    "Uuid",
    "NaiveDate",
    "NaiveTime",
    "NaiveDateTime",
    "DateTime",
];

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
        _ => None,
    }
}

fn generic_arg(seg: &syn::PathSegment) -> Option<&Type> {
    match &seg.arguments {
        syn::PathArguments::AngleBracketed(a) => a.args.iter().find_map(|g| match g {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    }
}

/// A primitive, or `Option`/`Vec` of one.
pub(crate) fn is_primitive(ty: &Type) -> bool {
    let Some(seg) = last_segment(ty) else {
        return false;
    };
    let name = seg.ident.to_string();
    if name == "Option" || name == "Vec" {
        return generic_arg(seg).map(is_primitive).unwrap_or(false);
    }
    PRIMITIVES.contains(&name.as_str())
}

/// Whether the type is the connection of a `#[websocket]` handler, `WebSocket` or
/// `JsonSocket<In, Out>` (by name: it is not an extractor, the macro hands it over after the
/// upgrade through `FromSocket`, so a wrong type is still the compiler's error).
fn is_websocket(ty: &Type) -> bool {
    last_segment(ty)
        .map(|s| s.ident == "WebSocket" || s.ident == "JsonSocket")
        .unwrap_or(false)
}

/// Whether the type's name is one of ferrapi's or axum's body extractors (used only to
/// give better errors; the generated code goes by traits).
pub(crate) fn looks_like_body(ty: &Type) -> bool {
    last_segment(ty)
        .map(|s| {
            matches!(
                s.ident.to_string().as_str(),
                "Json" | "Form" | "Multipart" | "Bytes" | "RawForm"
            )
        })
        .unwrap_or(false)
}

/// Splits a doc comment into summary (first paragraph) and description (the rest).
fn doc_comment(attrs: &[Attribute]) -> (Option<String>, Option<String>) {
    let Some(text) = doc_text(attrs) else {
        return (None, None);
    };
    match text.split_once("\n\n") {
        Some((first, rest)) => (
            Some(first.split_whitespace().collect::<Vec<_>>().join(" ")),
            Some(rest.trim().to_string()).filter(|s| !s.is_empty()),
        ),
        None => (
            Some(text.split_whitespace().collect::<Vec<_>>().join(" ")),
            None,
        ),
    }
}

/// The whole doc comment, trimmed (`None` when there is none).
fn doc_text(attrs: &[Attribute]) -> Option<String> {
    let mut lines = Vec::new();
    for a in attrs {
        if !a.path().is_ident("doc") {
            continue;
        }
        if let syn::Meta::NameValue(nv) = &a.meta {
            if let Expr::Lit(syn::ExprLit {
                lit: Lit::Str(s), ..
            }) = &nv.value
            {
                let v = s.value();
                if v.trim().is_empty() {
                    lines.push(String::new());
                }
                for l in v.lines() {
                    lines.push(l.strip_prefix(' ').unwrap_or(l).to_string());
                }
            }
        }
    }
    let text = lines.join("\n");
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

/// The `{name}` parameters of a path template, checking its syntax.
fn template_params(path: &LitStr, errors: &mut Errors) -> Vec<String> {
    let s = path.value();
    let mut out = Vec::new();
    if !s.starts_with('/') {
        errors.at(path.span(), "a path must start with `/`");
    }
    let mut rest = s.as_str();
    while let Some(i) = rest.find(['{', '}']) {
        if rest.as_bytes()[i] == b'}' {
            errors.at(
                path.span(),
                "malformed path template: `}` without a matching `{`",
            );
            return out;
        }
        let after = &rest[i + 1..];
        let Some(end) = after.find('}') else {
            errors.at(path.span(), "malformed path template: `{` is never closed");
            return out;
        };
        let inner = &after[..end];
        let name = match inner.split_once(':') {
            Some((n, "path")) => n,
            Some((n, conv)) => {
                errors.at(
                    path.span(),
                    format!("unknown path converter `:{conv}` in `{{{inner}}}`; the only converter is `:path` (`{{{n}:path}}` matches the rest of the path); the parameter's type does the conversion"),
                );
                n
            }
            None => inner,
        };
        let valid = !name.is_empty()
            && name.chars().all(|c| c.is_alphanumeric() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit());
        if !valid {
            errors.at(
                path.span(),
                format!(
                    "malformed path template: `{{{inner}}}` is not a parameter name; use letters, digits and `_`, as in `{{{}}}`",
                    suggest_ident(name)
                ),
            );
        } else if out.iter().any(|o| o == name) {
            errors.at(
                path.span(),
                format!("path parameter `{name}` appears twice"),
            );
        } else {
            out.push(name.to_string());
        }
        rest = &after[end + 1..];
    }
    out
}

/// `item-id` -> `item_id`, `1st` -> `p1st`: a valid name to show in an error.
fn suggest_ident(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    if s.is_empty() {
        s = "name".into();
    } else if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'p');
    }
    s
}

fn method_name(expr: &Expr, errors: &mut Errors) -> Option<String> {
    let s = match expr {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(s), ..
        }) => s.value(),
        Expr::Path(p) => p
            .path
            .get_ident()
            .map(|i| i.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    };
    let up = s.to_ascii_uppercase();
    if [
        "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE",
    ]
    .contains(&up.as_str())
    {
        Some(up)
    } else {
        errors.at(
            expr.span(),
            "expected an HTTP method: GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or TRACE",
        );
        None
    }
}

/// Parses a route attribute of `kind` (`#[get(...)]`, `#[route(...)]`, `#[websocket]`,
/// `#[dependency]`) on `item`.
pub(crate) fn parse_route(
    kind: RouteKind,
    attr: TokenStream,
    item: TokenStream,
) -> syn::Result<Route> {
    let mut func: HandlerFn = syn::parse2(item)?;
    let mut errors = Errors::default();

    // The attribute: a path literal, then options.
    let (path, metas) = (|input: ParseStream| -> syn::Result<(LitStr, Vec<Meta>)> {
        let path: LitStr = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected the route's path as a string literal: `#[get(\"/items/{item_id}\")]`",
            )
        })?;
        let mut metas = Vec::new();
        if !input.is_empty() {
            input.parse::<Token![,]>()?;
            let rest: TokenStream = input.parse()?;
            metas = parse_metas(rest)?;
        }
        Ok((path, metas))
    })
    .parse2(attr)?;

    let websocket = kind == RouteKind::WebSocket;
    let dependency = kind == RouteKind::Dependency;
    let method = match kind {
        RouteKind::Http(m) => m,
        RouteKind::WebSocket | RouteKind::Dependency => Some("GET"),
    };
    let mut methods: Vec<String> = method.map(|m| vec![m.to_string()]).unwrap_or_default();
    let mut method_given = false;
    // The path first, so errors come in the order of the attribute's tokens.
    let template = template_params(&path, &mut errors);
    let (mut summary, mut description) = doc_comment(&func.attrs);
    let mut explicit_description = false;
    let mut route = Route {
        kind,
        methods: Vec::new(),
        path: path.clone(),
        func: func.clone(),
        args: Vec::new(),
        ret: syn::parse_quote!(()),
        tags: Vec::new(),
        scopes: Vec::new(),
        summary: None,
        description: None,
        operation_id: None,
        deprecated: func.attrs.iter().any(|a| a.path().is_ident("deprecated")),
        status: None,
        include_in_schema: true,
        response_description: None,
        responses: Vec::new(),
        body: BodyDoc::default(),
    };
    report_duplicates(
        &metas,
        &[("methods", "method")],
        &["method", "responses"],
        &mut errors,
    );
    for m in metas {
        let key = m.key.to_string();
        let value_str = |errors: &mut Errors| -> Option<LitStr> {
            match &m.value {
                Some(v) => parse_str(v).map_err(|e| errors.push(e)).ok(),
                None => {
                    errors.at(
                        m.key.span(),
                        format!("`{key}` needs a value: `{key} = \"...\"`"),
                    );
                    None
                }
            }
        };
        match key.as_str() {
            "method" | "methods" if method.is_some() => errors.at(
                m.key.span(),
                format!(
                    "`#[{}]` already sets the method; for several methods use `#[route(\"/path\", methods = [\"GET\", \"POST\"])]`",
                    method.unwrap_or_default().to_ascii_lowercase()
                ),
            ),
            "method" => {
                method_given = true;
                match &m.value {
                    Some(v) => methods.extend(method_name(v, &mut errors)),
                    None => errors.at(m.key.span(), "write `method = \"GET\"`"),
                }
            }
            "methods" => match &m.value {
                Some(Expr::Array(a)) => {
                    method_given = true;
                    for e in &a.elems {
                        methods.extend(method_name(e, &mut errors));
                    }
                }
                _ => errors.at(
                    m.key.span(),
                    "`methods` takes a list: `methods = [\"GET\", \"POST\"]`",
                ),
            },
            "tags" => match &m.value {
                Some(Expr::Array(a)) => {
                    for e in &a.elems {
                        match parse_str(e) {
                            Ok(s) => route.tags.push(s),
                            Err(e) => errors.push(e),
                        }
                    }
                }
                _ => errors.at(
                    m.key.span(),
                    "`tags` takes a list of strings: `tags = [\"items\"]`",
                ),
            },
            "scopes" => match &m.value {
                Some(Expr::Array(a)) => {
                    for e in &a.elems {
                        match parse_str(e) {
                            Ok(s) => route.scopes.push(s),
                            Err(e) => errors.push(e),
                        }
                    }
                }
                _ => errors.at(
                    m.key.span(),
                    "`scopes` takes a list of strings: `scopes = [\"items:read\"]`",
                ),
            },
            "summary" => {
                summary = value_str(&mut errors).map(|s| s.value());
                // The doc comment is then all description: its first paragraph must not
                // vanish from the document because the summary was given explicitly.
                if !explicit_description {
                    description = doc_text(&func.attrs);
                }
            }
            "description" => {
                description = value_str(&mut errors).map(|s| s.value());
                explicit_description = true;
            }
            "operation_id" => route.operation_id = value_str(&mut errors),
            "response_description" => route.response_description = value_str(&mut errors),
            "deprecated" => route.deprecated = true,
            "include_in_schema" => match &m.value {
                Some(Expr::Lit(syn::ExprLit {
                    lit: Lit::Bool(b), ..
                })) => route.include_in_schema = b.value,
                _ => errors.at(m.key.span(), "`include_in_schema` takes `true` or `false`"),
            },
            "status" => match &m.value {
                Some(Expr::Lit(syn::ExprLit {
                    lit: Lit::Int(i), ..
                })) => match i.base10_parse::<u16>() {
                    Ok(n) if (100..600).contains(&n) => route.status = Some(n),
                    _ => errors.at(
                        i.span(),
                        "`status` must be an HTTP status code between 100 and 599",
                    ),
                },
                _ => errors.at(m.key.span(), "`status` takes a number: `status = 201`"),
            },
            "body" => match &m.list {
                Some(list) => match parse_body_doc(list.clone(), &mut errors) {
                    Ok(b) => {
                        if let Some(get) = methods.iter().find(|m| *m == "GET" || *m == "HEAD") {
                            errors.at(m.key.span(), format!("{get} requests have no body to document"));
                        }
                        route.body = b;
                    }
                    Err(e) => errors.push(e),
                },
                None => errors.at(
                    m.key.span(),
                    "write `body(examples = [json!(...)], openapi_examples(name(summary = \"...\", value = json!(...))))`",
                ),
            },
            "responses" => match &m.list {
                Some(list) => match parse_responses(list.clone()) {
                    Ok(r) => route.responses.extend(r),
                    Err(e) => errors.push(e),
                },
                None => errors.at(
                    m.key.span(),
                    "write `responses(404 = HttpError, 409 = Conflict)`",
                ),
            },
            _ => {
                let known = if method.is_none() {
                    format!("{ROUTE_OPTIONS}, method, methods")
                } else {
                    ROUTE_OPTIONS.to_string()
                };
                errors.at(m.key.span(), unknown_option("route option", &key, &known))
            }
        }
    }
    if methods.is_empty() && !method_given {
        errors.at(
            path.span(),
            "`#[route]` needs `method = \"GET\"` (or `methods = [...]`)",
        );
    }
    route.methods = methods;
    route.summary = summary;
    route.description = description;

    // The function.
    if func.sig.asyncness.is_none() {
        errors.at(
            func.sig.fn_token.span(),
            "a route handler must be an `async fn`: add `async` before `fn`",
        );
    }
    if !func.sig.generics.params.is_empty() {
        errors.at(func.sig.generics.span(), "route handlers cannot be generic");
    }
    let mut seen_path: Vec<String> = Vec::new();
    let mut body_args: Vec<(usize, Type)> = Vec::new();
    let mut form_args: Vec<Span> = Vec::new();
    for (i, input) in func.sig.inputs.iter_mut().enumerate() {
        let FnArg::Typed(pt) = input else {
            errors.at(
                input.span(),
                "route handlers are free functions and cannot take `self`",
            );
            continue;
        };
        // Take our attributes off the argument.
        let mut source_attr: Option<(Source, Span, Vec<Meta>)> = None;
        let mut kept = Vec::new();
        for a in pt.attrs.drain(..) {
            let src = if a.path().is_ident("query") {
                Some(Source::Query)
            } else if a.path().is_ident("header") {
                Some(Source::Header)
            } else if a.path().is_ident("cookie") {
                Some(Source::Cookie)
            } else if a.path().is_ident("path") {
                Some(Source::Path)
            } else if a.path().is_ident("form") {
                Some(Source::Form)
            } else if a.path().is_ident("file") {
                Some(Source::File)
            } else {
                None
            };
            match src {
                Some(s) => {
                    let metas = match &a.meta {
                        syn::Meta::Path(_) => Vec::new(),
                        syn::Meta::List(l) => parse_metas(l.tokens.clone()).unwrap_or_else(|e| {
                            errors.push(e);
                            Vec::new()
                        }),
                        syn::Meta::NameValue(nv) => {
                            errors.at(
                                nv.span(),
                                "write `#[query]` or `#[query(option = value, ...)]`",
                            );
                            Vec::new()
                        }
                    };
                    if source_attr.is_some() {
                        errors.at(a.span(), "an argument can have only one source attribute");
                    }
                    source_attr = Some((s, a.path().span(), metas));
                }
                None => kept.push(a),
            }
        }
        pt.attrs = kept;
        let ident = match &*pt.pat {
            Pat::Ident(pi) => Some(pi.ident.clone()),
            _ => None,
        };
        let name = ident
            .as_ref()
            .map(|i| i.to_string().trim_start_matches("r#").to_string());
        let in_template = name.as_ref().map(|n| template.contains(n)).unwrap_or(false);
        let kind = match source_attr {
            Some((src, span, metas)) => {
                let Some(name) = name.clone() else {
                    errors.at(pt.pat.span(), "a parameter with a source attribute must be a plain name, e.g. `skip: i64`");
                    continue;
                };
                if src != Source::Path && in_template {
                    // Counted as seen: the template's "no matching argument" error would
                    // only repeat this one.
                    seen_path.push(name.clone());
                    errors.at(
                        span,
                        format!("`{name}` is a path parameter (it appears as `{{{name}}}` in the route's path); remove `#[{}]` or rename the argument", src.name()),
                    );
                }
                if src == Source::Path && !in_template && !dependency {
                    errors.at(
                        span,
                        format!(
                            "`#[path]` argument `{name}` does not appear in the route's path `{}`; add `{{{name}}}` to the path, or remove `#[path]` to read it from the query string",
                            path.value()
                        ),
                    );
                }
                if src == Source::Form || src == Source::File {
                    form_args.push(span);
                    if let Some(m) = route.methods.iter().find(|m| *m == "GET" || *m == "HEAD") {
                        errors.at(span, format!("{m} requests have no body, but `#[form]` reads a form field from it; use `#[post]`, `#[put]` or `#[patch]`"));
                    }
                }
                let opts = parse_param_opts(metas, &mut errors);
                if let Some(l) = opts.literal.first() {
                    errors.at(l.span(), "`literal` is an option of model fields; a parameter restricted to some values is a `#[derive(ParamEnum)]` enum");
                }
                scalar(src, &name, opts, &mut seen_path)
            }
            None if in_template => {
                let name = name.clone().unwrap_or_default();
                scalar(Source::Path, &name, ParamOpts::default(), &mut seen_path)
            }
            None if is_primitive(&pt.ty) && name.is_some() => scalar(
                Source::Query,
                name.as_deref().unwrap_or_default(),
                ParamOpts::default(),
                &mut seen_path,
            ),
            None if websocket && is_websocket(&pt.ty) => {
                if route.args.iter().any(|a| matches!(a.kind, ArgKind::Socket)) {
                    errors.spanned(&pt.ty, "a WebSocket handler takes one connection (`WebSocket` or `JsonSocket<In, Out>`)");
                }
                ArgKind::Socket
            }
            None => {
                if looks_like_body(&pt.ty) {
                    body_args.push((i, (*pt.ty).clone()));
                    if let Some(m) = route.methods.iter().find(|m| *m == "GET" || *m == "HEAD") {
                        errors.spanned(&pt.ty, format!("{m} requests have no body, but this argument reads one; use `#[post]`, `#[put]` or `#[patch]`, or read query parameters instead"));
                    }
                }
                ArgKind::Extractor
            }
        };
        route.args.push(Arg {
            ty: (*pt.ty).clone(),
            kind,
        });
    }
    if websocket && !route.args.iter().any(|a| matches!(a.kind, ArgKind::Socket)) {
        errors.at(
            func.sig.ident.span(),
            "a `#[websocket]` handler takes the connection as an argument: `socket: WebSocket`",
        );
    }
    if let (Some((_, body)), Some(_)) = (body_args.first(), form_args.first()) {
        errors.spanned(body, "the body is read once: this argument reads it, and so do the `#[form]` fields; declare every form field with `#[form]`, or read one `Form<Model>`");
    }
    if body_args.len() > 1 {
        for (_, ty) in &body_args[1..] {
            errors.spanned(ty, "a handler can read the body only once: this is a second body argument; combine the fields into one model");
        }
    } else if let Some((i, ty)) = body_args.first() {
        let last_extractor = route
            .args
            .iter()
            .rposition(|a| matches!(a.kind, ArgKind::Extractor));
        if last_extractor != Some(*i) && !route.methods.iter().any(|m| m == "GET" || m == "HEAD") {
            errors.spanned(
                ty,
                "the argument that reads the body must come after every other extractor argument: move it to the end",
            );
        }
    }
    for t in &template {
        if !seen_path.contains(t) {
            errors.at(
                path.span(),
                format!("path parameter `{{{t}}}` has no matching function argument; add `{t}: <type>` to `{}`", func.sig.ident),
            );
        }
    }
    if let ReturnType::Type(_, ty) = &func.sig.output {
        route.ret = (**ty).clone();
    }
    route.func = func;
    errors.finish()?;
    Ok(route)
}

fn scalar(source: Source, name: &str, opts: ParamOpts, seen_path: &mut Vec<String>) -> ArgKind {
    if source == Source::Path {
        seen_path.push(name.to_string());
    }
    let wire = match &opts.alias {
        Some(a) => a.value(),
        None if source == Source::Header => name.replace('_', "-"),
        None => name.to_string(),
    };
    ArgKind::Scalar {
        source,
        wire,
        opts: Box::new(opts),
    }
}

fn parse_body_doc(tokens: TokenStream, errors: &mut Errors) -> syn::Result<BodyDoc> {
    let mut doc = BodyDoc::default();
    for m in parse_metas(tokens)? {
        match (m.key.to_string().as_str(), &m.value, &m.list) {
            ("examples", Some(Expr::Array(a)), _) => doc.examples.extend(a.elems.iter().cloned()),
            ("openapi_examples", _, Some(list)) => {
                for ex in parse_metas(list.clone())? {
                    let Some(fields) = &ex.list else {
                        errors.at(ex.key.span(), format!("write `{}(summary = \"...\", value = json!(...))`", ex.key));
                        continue;
                    };
                    let mut named = NamedExample {
                        name: ex.key.to_string().trim_start_matches("r#").to_string(),
                        summary: None,
                        description: None,
                        value: None,
                        external_value: None,
                    };
                    for f in parse_metas(fields.clone())? {
                        let text = |errors: &mut Errors| match &f.value {
                            Some(v) => parse_str(v).map_err(|e| errors.push(e)).ok(),
                            None => {
                                errors.at(f.key.span(), format!("`{}` needs a value", f.key));
                                None
                            }
                        };
                        match f.key.to_string().as_str() {
                            "summary" => named.summary = text(errors),
                            "description" => named.description = text(errors),
                            "external_value" => named.external_value = text(errors),
                            "value" => named.value = f.value.clone(),
                            other => errors.at(
                                f.key.span(),
                                format!("unknown example field `{other}`; expected summary, description, value, external_value"),
                            ),
                        }
                    }
                    doc.openapi_examples.push(named);
                }
            }
            (key, _, _) => errors.at(
                m.key.span(),
                format!("unknown or malformed `body` option `{key}`; expected `examples = [...]` or `openapi_examples(name(...), ...)`"),
            ),
        }
    }
    Ok(doc)
}

fn parse_responses(tokens: TokenStream) -> syn::Result<Vec<ExtraResponse>> {
    struct One(ExtraResponse);
    impl Parse for One {
        fn parse(input: ParseStream) -> syn::Result<Self> {
            let status = if input.peek(syn::LitInt) {
                let l: syn::LitInt = input.parse()?;
                let n: u16 = l.base10_parse()?;
                if !(100..600).contains(&n) {
                    return Err(syn::Error::new(
                        l.span(),
                        "expected an HTTP status code between 100 and 599",
                    ));
                }
                n.to_string()
            } else if input.peek(LitStr) {
                let l: LitStr = input.parse()?;
                l.value()
            } else {
                return Err(input.error("expected a status code: `responses(404 = HttpError)`"));
            };
            input.parse::<Token![=]>()?;
            if input.peek(syn::token::Paren) {
                let content;
                syn::parenthesized!(content in input);
                let ty: Type = content.parse()?;
                content.parse::<Token![,]>()?;
                let d: LitStr = content.parse()?;
                let media = if content.peek(Token![,]) && content.peek2(LitStr) {
                    content.parse::<Token![,]>()?;
                    let m: LitStr = content.parse()?;
                    if !m.value().contains('/') {
                        return Err(syn::Error::new(
                            m.span(),
                            "expected a media type, e.g. `\"text/csv\"`",
                        ));
                    }
                    Some(m)
                } else {
                    None
                };
                if !content.is_empty() {
                    content.parse::<Token![,]>()?;
                }
                Ok(One(ExtraResponse {
                    status,
                    ty,
                    description: Some(d),
                    media,
                }))
            } else {
                Ok(One(ExtraResponse {
                    status,
                    ty: input.parse()?,
                    description: None,
                    media: None,
                }))
            }
        }
    }
    let p = Punctuated::<One, Token![,]>::parse_terminated;
    Ok(p.parse2(tokens)?.into_iter().map(|o| o.0).collect())
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
    // Only what is declared, the rest from `NONE`: the macro's output stays small.
    let mut fields = Vec::new();
    for (name, n) in [
        ("ge", &o.ge),
        ("gt", &o.gt),
        ("le", &o.le),
        ("lt", &o.lt),
        ("multiple_of", &o.multiple_of),
    ] {
        if let Some(n) = n {
            let field = Ident::new(name, Span::call_site());
            let t = n.tokens();
            fields.push(quote::quote!(#field: ::core::option::Option::Some(#t)));
        }
    }
    for (name, n) in [("min_length", &o.min_length), ("max_length", &o.max_length)] {
        if let Some(n) = n {
            let field = Ident::new(name, Span::call_site());
            fields.push(quote::quote!(#field: ::core::option::Option::Some(#n)));
        }
    }
    if let Some(p) = &o.pattern {
        fields.push(quote::quote!(pattern: ::core::option::Option::Some({
            static PATTERN: ::ferrapi::__private::Pattern = ::ferrapi::__private::Pattern::new(#p);
            &PATTERN
        })));
    }
    if fields.is_empty() {
        return quote::quote!(::ferrapi::__private::Constraints::NONE);
    }
    quote::quote! {
        ::ferrapi::__private::Constraints { #(#fields,)* ..::ferrapi::__private::Constraints::NONE }
    }
}

/// For each constraint option, a compile-time check that it applies to `ty`
/// (`NumberConstraint`, `LengthConstraint` or `PatternConstraint` in context `ctx`: `InParam`
/// or `InField`), spanned at the option's name so the error underlines it.
pub(crate) fn constraint_checks(o: &ParamOpts, ty: &Type, ctx: &str) -> TokenStream {
    let ctx = quote::format_ident!("{}", ctx);
    o.constraint_keys
        .iter()
        .map(|key| {
            let kind = match key.to_string().as_str() {
                "ge" | "gt" | "le" | "lt" | "multiple_of" => "NumberConstraint",
                "pattern" => "PatternConstraint",
                _ => "LengthConstraint",
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
