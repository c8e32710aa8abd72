//! Parsing and checking of a route attribute and its function into a [`Route`] model.

use proc_macro2::{Span, TokenStream};
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, FnArg, Lit, LitStr, Pat, ReturnType, Token, Type};

use crate::attr::*;
use crate::errors::Errors;
use crate::handler::HandlerFn;
use crate::route::*;
use crate::types::*;

const ROUTE_OPTIONS: &str = "tags, scopes, dependencies, summary, description, operation_id, deprecated, status, response_model, responses, include_in_schema, response_description, body, versions";
/// The options only `#[websocket]` takes.
const WEBSOCKET_OPTIONS: &str = "max_message_size, max_frame_size";

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
pub(crate) fn doc_text(attrs: &[Attribute]) -> Option<String> {
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

const VERSIONS_HELP: &str = "write the versions the route exists in as a range of versions, the end excluded: `versions = \"1.0.0\"..\"2.0.0\"`, `versions = \"2.0.0\"..` or `versions = ..\"2.0.0\"`";

/// `versions = "1.0.0".."2.0.0"`, `"2.0.0"..`, `.."2.0.0"`: each bound a string literal
/// holding `MAJOR.MINOR.PATCH`, the end excluded, the start before the end.
fn parse_versions(value: &Expr, errors: &mut Errors) -> Option<VersionRange> {
    let Expr::Range(range) = value else {
        errors.at(value.span(), VERSIONS_HELP);
        return None;
    };
    if let syn::RangeLimits::Closed(dots) = &range.limits {
        errors.at(
            dots.span(),
            "the end of a version range is the version that removed the route, and is excluded: write `..`, not `..=`",
        );
        return None;
    }
    let mut ok = true;
    let mut bound = |e: &Option<Box<Expr>>| -> Option<Semver> {
        let e = e.as_deref()?;
        let parsed = match e {
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(s), ..
            }) => semver(&s.value()).ok_or_else(|| {
                format!(
                    "`{}` is not a version: write MAJOR.MINOR.PATCH, such as \"1.0.0\"",
                    s.value().escape_debug()
                )
            }),
            _ => Err("a version is a string literal: `\"1.0.0\"`".to_string()),
        };
        match parsed {
            Ok(v) => Some(v),
            Err(msg) => {
                errors.at(e.span(), msg);
                ok = false;
                None
            }
        }
    };
    let from = bound(&range.start);
    let until = bound(&range.end);
    if !ok {
        return None;
    }
    if let (Some(f), Some(u)) = (from, until) {
        if f >= u {
            errors.at(
                value.span(),
                "this version range is empty: its start must come before its end (the end is the version that removed the route)",
            );
            return None;
        }
    }
    Some(VersionRange { from, until })
}

/// `MAJOR.MINOR.PATCH`, three decimal numbers without leading zeros (semver's rule).
fn semver(s: &str) -> Option<Semver> {
    let mut n = [0u64; 3];
    let mut parts = s.split('.');
    for slot in &mut n {
        let p = parts.next()?;
        let digits = !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if !digits || (p.len() > 1 && p.starts_with('0')) {
            return None;
        }
        *slot = p.parse().ok()?;
    }
    if parts.next().is_some() {
        return None;
    }
    Some((n[0], n[1], n[2]))
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
    .parse2(attr)
    .unwrap_or_else(|e| {
        // A malformed attribute does not hide the function's own mistakes: it is reported,
        // and the function is still checked against an empty route.
        errors.push(e);
        (LitStr::new("/", Span::call_site()), Vec::new())
    });

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
        dependencies: Vec::new(),
        summary: None,
        description: None,
        operation_id: None,
        deprecated: func.attrs.iter().any(|a| a.path().is_ident("deprecated")),
        status: None,
        include_in_schema: true,
        response_description: None,
        responses: Vec::new(),
        response_model: None,
        body: BodyDoc::default(),
        max_message_size: None,
        max_frame_size: None,
        versions: None,
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
            "dependencies" => match &m.value {
                Some(Expr::Array(a)) => {
                    for e in &a.elems {
                        match e {
                            Expr::Path(tp) if tp.qself.is_none() => {
                                route.dependencies.push(Type::Path(syn::TypePath {
                                    attrs: Vec::new(),
                                    qself: None,
                                    path: tp.path.clone(),
                                }))
                            }
                            other => errors.at(
                                other.span(),
                                "name a dependency by the type its `#[dependency]` function returns: `dependencies = [VerifyToken]`",
                            ),
                        }
                    }
                }
                _ => errors.at(
                    m.key.span(),
                    "`dependencies` takes a list of dependency types: `dependencies = [VerifyToken, VerifyKey]`",
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
            "response_model" => match &m.list {
                Some(list) => match parse_response_model(list.clone()) {
                    Ok(r) => route.response_model = Some(r),
                    Err(e) => errors.push(e),
                },
                None => errors.at(
                    m.key.span(),
                    "write `response_model(UserOut)`, with any of `exclude_unset`, `exclude_none`, `exclude_defaults`, `by_alias = false` after the type",
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
            "versions" if dependency => errors.at(
                m.key.span(),
                "`versions` applies to routes: a dependency is used by the routes of every version that takes it",
            ),
            "versions" => match &m.value {
                Some(v) => route.versions = parse_versions(v, &mut errors),
                None => errors.at(m.key.span(), VERSIONS_HELP),
            },
            "since" | "until" | "version" => {
                let fix = match key.as_str() {
                    "since" => "`versions = \"2.0.0\"..` (from 2.0.0 on)",
                    "until" => "`versions = ..\"2.0.0\"` (every version before 2.0.0)",
                    _ => "`versions = \"1.0.0\"..\"2.0.0\"`",
                };
                errors.at(
                    m.key.span(),
                    format!("unknown route option `{key}`: the versions a route exists in are a range, {fix}"),
                )
            }
            "max_message_size" | "max_frame_size" if websocket => match &m.value {
                Some(Expr::Lit(syn::ExprLit {
                    lit: Lit::Int(i), ..
                })) if i.base10_parse::<usize>().is_ok_and(|n| n > 0) => {
                    if key == "max_message_size" {
                        route.max_message_size = Some(i.clone());
                    } else {
                        route.max_frame_size = Some(i.clone());
                    }
                }
                _ => errors.at(
                    m.key.span(),
                    format!("`{key}` takes a positive number of bytes: `{key} = 1_048_576`"),
                ),
            },
            "max_message_size" | "max_frame_size" => errors.at(
                m.key.span(),
                format!("`{key}` applies to `#[websocket]` routes only"),
            ),
            _ => {
                let known = if websocket {
                    format!("{ROUTE_OPTIONS}, {WEBSOCKET_OPTIONS}")
                } else if method.is_none() {
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
    for input in func.sig.inputs.iter_mut() {
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
            } else if a.path().is_ident("body") {
                Some(Source::Body)
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
                if src == Source::Form || src == Source::File || src == Source::Body {
                    if let Some(m) = route.methods.iter().find(|m| *m == "GET" || *m == "HEAD") {
                        errors.at(span, format!("{m} requests have no body, but `#[{}]` reads a part of it; use `#[post]`, `#[put]` or `#[patch]`", src.name()));
                    }
                }
                let opts = parse_param_opts(metas, &mut errors);
                if let (Some(e), false) = (&opts.embed, src == Source::Body) {
                    errors.at(e.span(), "`embed` is an option of `#[body]`");
                }
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
    crate::check::route(
        &route,
        &func.sig.ident,
        &path,
        &template,
        &seen_path,
        &mut errors,
    );
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

/// `response_model(Type, exclude_unset, exclude_none, exclude_defaults, by_alias = false)`.
fn parse_response_model(tokens: TokenStream) -> syn::Result<crate::route::ResponseModelOpt> {
    struct P(crate::route::ResponseModelOpt);
    impl Parse for P {
        fn parse(input: ParseStream) -> syn::Result<Self> {
            let ty: Type = input.parse()?;
            let mut out = crate::route::ResponseModelOpt {
                ty,
                exclude_unset: false,
                exclude_none: false,
                exclude_defaults: false,
                by_alias: true,
            };
            while input.peek(Token![,]) {
                input.parse::<Token![,]>()?;
                if input.is_empty() {
                    break;
                }
                let key: syn::Ident = input.parse()?;
                match key.to_string().as_str() {
                    "exclude_unset" => out.exclude_unset = true,
                    "exclude_none" => out.exclude_none = true,
                    "exclude_defaults" => out.exclude_defaults = true,
                    "by_alias" => {
                        input.parse::<Token![=]>()?;
                        let b: syn::LitBool = input.parse()?;
                        out.by_alias = b.value;
                    }
                    other => {
                        return Err(syn::Error::new(
                            key.span(),
                            format!("unknown `response_model` option `{other}`; expected `exclude_unset`, `exclude_none`, `exclude_defaults` or `by_alias = false`"),
                        ))
                    }
                }
            }
            Ok(P(out))
        }
    }
    Ok(syn::parse2::<P>(tokens)?.0)
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
