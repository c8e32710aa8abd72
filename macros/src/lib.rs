//! Procedural macros of [ferrapi](https://docs.rs/ferrapi): the route attributes, `#[model]`
//! and `#[derive(ParamEnum)]`. Use them through the `ferrapi` crate, which re-exports them;
//! the generated code refers to `::ferrapi::__private` only.
//!
//! Each macro goes parse -> model -> check -> expand, accumulating every error with the
//! span of the offending tokens: `handler` (the function, body opaque), `attr` (option
//! lists), `parse` (attribute and signature to the `route` model), `check`, `expand`;
//! `model` and `param_enum` are `#[model]` and `#[derive(ParamEnum)]`.

mod attr;
mod check;
mod errors;
mod expand;
mod guide;
mod handler;
mod model;
mod param_enum;
mod parse;
mod route;
mod schema;
#[cfg(test)]
mod tests;
mod types;

use proc_macro::TokenStream;

fn route_impl(kind: route::RouteKind, attr: TokenStream, item: TokenStream) -> TokenStream {
    let item: proc_macro2::TokenStream = item.into();
    match parse::parse_route(kind, attr.into(), item.clone()) {
        Ok(route) => expand::expand_route(route).into(),
        Err(e) => {
            // The errors, and the function as written: one mistake in the attribute does not
            // take the body away from the IDE or cascade into "not found" errors.
            let mut out = e.to_compile_error();
            out.extend(handler::fallback(item, true));
            out.into()
        }
    }
}

/// A GET endpoint: `#[get("/items/{item_id}", tags = ["items"])]`.
#[doc = include_str!("../doc/route.md")]
#[proc_macro_attribute]
pub fn get(attr: TokenStream, item: TokenStream) -> TokenStream {
    route_impl(route::RouteKind::Http(Some("GET")), attr, item)
}

/// A POST endpoint: `#[post("/items/", status = 201)]`.
#[doc = include_str!("../doc/route.md")]
#[proc_macro_attribute]
pub fn post(attr: TokenStream, item: TokenStream) -> TokenStream {
    route_impl(route::RouteKind::Http(Some("POST")), attr, item)
}

/// A PUT endpoint.
#[doc = include_str!("../doc/route.md")]
#[proc_macro_attribute]
pub fn put(attr: TokenStream, item: TokenStream) -> TokenStream {
    route_impl(route::RouteKind::Http(Some("PUT")), attr, item)
}

/// A PATCH endpoint.
#[doc = include_str!("../doc/route.md")]
#[proc_macro_attribute]
pub fn patch(attr: TokenStream, item: TokenStream) -> TokenStream {
    route_impl(route::RouteKind::Http(Some("PATCH")), attr, item)
}

/// A DELETE endpoint.
#[doc = include_str!("../doc/route.md")]
#[proc_macro_attribute]
pub fn delete(attr: TokenStream, item: TokenStream) -> TokenStream {
    route_impl(route::RouteKind::Http(Some("DELETE")), attr, item)
}

/// A HEAD endpoint.
#[doc = include_str!("../doc/route.md")]
#[proc_macro_attribute]
pub fn head(attr: TokenStream, item: TokenStream) -> TokenStream {
    route_impl(route::RouteKind::Http(Some("HEAD")), attr, item)
}

/// An OPTIONS endpoint.
#[doc = include_str!("../doc/route.md")]
#[proc_macro_attribute]
pub fn options(attr: TokenStream, item: TokenStream) -> TokenStream {
    route_impl(route::RouteKind::Http(Some("OPTIONS")), attr, item)
}

/// A WebSocket endpoint: `#[websocket("/ws/{room}")] async fn chat(socket: WebSocket, room:
/// String, #[query] name: String)`. Path, query, header and cookie inputs are read and
/// validated as for HTTP routes; invalid inputs close the connection with code 1008. An HTTP
/// request without the upgrade gets 404. WebSocket routes are not in the OpenAPI document.
#[proc_macro_attribute]
pub fn websocket(attr: TokenStream, item: TokenStream) -> TokenStream {
    route_impl(route::RouteKind::WebSocket, attr, item)
}

/// An endpoint for one or more methods: `#[route("/x", method = "GET", method = "POST")]`
/// (or `methods = ["GET", "POST"]`).
#[doc = include_str!("../doc/route.md")]
#[proc_macro_attribute]
pub fn route(attr: TokenStream, item: TokenStream) -> TokenStream {
    route_impl(route::RouteKind::Http(None), attr, item)
}

/// A dependency, as FastAPI's `Depends`: `#[dependency] async fn make(inputs..) -> T` makes
/// `T` an extractor. Its inputs are read like a handler's (query, header, cookie, state,
/// other dependencies, security) and documented in every operation that uses `T`; the
/// function runs once per request and the value (`T: Clone`) is shared by every user.
#[proc_macro_attribute]
pub fn dependency(attr: TokenStream, item: TokenStream) -> TokenStream {
    if !attr.is_empty() {
        let attr: proc_macro2::TokenStream = attr.into();
        return syn::Error::new(
            syn::spanned::Spanned::span(&attr),
            "`#[dependency]` takes no options",
        )
        .to_compile_error()
        .into();
    }
    let item: proc_macro2::TokenStream = item.into();
    let route = match parse::parse_route(
        route::RouteKind::Dependency,
        quote::quote!("/"),
        item.clone(),
    ) {
        Ok(r) => r,
        Err(e) => {
            let mut out = e.to_compile_error();
            out.extend(handler::fallback(item, false));
            return out.into();
        }
    };
    match expand::expand_dependency(route) {
        Ok(t) => t.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// A body model: derives serde, the JSON Schema (`ToSchema`) and `Validate` from
/// one declaration. Field constraints go in `#[field(...)]`.
#[doc = include_str!("../doc/model.md")]
#[proc_macro_attribute]
pub fn model(attr: TokenStream, item: TokenStream) -> TokenStream {
    match model::expand_model(attr.into(), item.into()) {
        Ok(t) => t.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// Derives `ferrapi::ToSchema`: the JSON Schema of a struct or enum from its fields, serde
/// attributes, doc comments and `#[schema(...)]` keywords (see `ferrapi::to_schema`).
#[proc_macro_derive(ToSchema, attributes(schema))]
pub fn derive_to_schema(item: TokenStream) -> TokenStream {
    match schema::derive(item.into()) {
        Ok(t) => t.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// Derives `ParamValue` (and `Serialize`) for a fieldless enum so it can be a path, query,
/// header or cookie parameter.
#[proc_macro_derive(ParamEnum, attributes(param))]
pub fn derive_param_enum(item: TokenStream) -> TokenStream {
    match param_enum::expand(item.into()) {
        Ok(t) => t.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// One page of the guide as a string for `#[doc = ...]`, its links between pages made
/// rustdoc links (`ferrapi::guide` on docs.rs). Used by the `ferrapi` crate only.
#[doc(hidden)]
#[proc_macro]
pub fn guide_page(input: TokenStream) -> TokenStream {
    guide::expand(input.into()).into()
}
