//! Checks of a parsed route that need the whole model: the connection of a WebSocket
//! handler, the body read once and last, every path template name bound to an argument.
//! Checks that need types are the compiler's, with messages chosen by the runtime's traits.

use syn::{Ident, LitStr};

use crate::errors::Errors;
use crate::route::{ArgKind, Route, RouteKind, Source};
use crate::types::looks_like_body;

/// Reports every problem of `route` whose function is `name` and whose template `path` has
/// the parameters `template` (`bound`: those an argument reads).
pub(crate) fn route(
    route: &Route,
    name: &Ident,
    path: &LitStr,
    template: &[String],
    bound: &[String],
    errors: &mut Errors,
) {
    if route.kind == RouteKind::WebSocket
        && !route.args.iter().any(|a| matches!(a.kind, ArgKind::Socket))
    {
        errors.at(
            name.span(),
            "a `#[websocket]` handler takes the connection as an argument: `socket: WebSocket`",
        );
    }
    let body_args: Vec<(usize, &syn::Type)> = route
        .args
        .iter()
        .enumerate()
        .filter(|(_, a)| matches!(a.kind, ArgKind::Extractor) && looks_like_body(&a.ty))
        .map(|(i, a)| (i, &a.ty))
        .collect();
    let reads_form = route.args.iter().any(|a| {
        matches!(
            a.kind,
            ArgKind::Scalar {
                source: Source::Form | Source::File,
                ..
            }
        )
    });
    let parts: Vec<&crate::route::Arg> = route
        .args
        .iter()
        .filter(|a| {
            matches!(
                a.kind,
                ArgKind::Scalar {
                    source: Source::Body,
                    ..
                }
            )
        })
        .collect();
    if let (Some((_, body)), true) = (body_args.first(), reads_form) {
        errors.spanned(body, "the body is read once: this argument reads it, and so do the `#[form]` fields; declare every form field with `#[form]`, or read one `Form<Model>`");
    }
    if let (Some((_, body)), Some(_)) = (body_args.first(), parts.first()) {
        errors.spanned(body, "the body is read once: this argument reads it, and so do the `#[body]` arguments; take this one as `#[body] name: Type` too");
    }
    if let (true, Some(part)) = (reads_form, parts.first()) {
        errors.spanned(&part.ty, "a body is JSON or a form, not both: `#[body]` reads a JSON body's key, and the `#[form]` or `#[file]` arguments read a form");
    }
    if let [only] = parts.as_slice() {
        if let ArgKind::Scalar { opts, .. } = &only.kind {
            if opts.embed.is_none() {
                errors.spanned(&only.ty, "a single `#[body]` argument is the key of a JSON object only with `#[body(embed)]` (FastAPI's `Body(embed=True)`); for the whole body, take `Json<Type>`");
            }
        }
    }
    if body_args.len() > 1 {
        for (_, ty) in &body_args[1..] {
            errors.spanned(ty, "a handler can read the body only once: this is a second body argument; take each part as `#[body] name: Type` (FastAPI's several body parameters), or combine the fields into one model");
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
    for t in template {
        if !bound.contains(t) {
            errors.at(
                path.span(),
                format!("path parameter `{{{t}}}` has no matching function argument; add `{t}: <type>` to `{name}`"),
            );
        }
    }
}
