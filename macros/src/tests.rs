//! Unit tests of the macro pipeline, and snapshots of the code it expands to for a few
//! representative routes (`macros/snapshots/*.rs`), reviewed in diffs. Regenerate the
//! snapshots with `UPDATE_SNAPSHOTS=1 cargo test -p ferrapi-macros` and read the diff.

use proc_macro2::TokenStream;
use quote::quote;

use crate::parse::parse_route;
use crate::route::{ArgKind, RouteKind, Source};

fn route(kind: RouteKind, attr: TokenStream, item: TokenStream) -> crate::route::Route {
    match parse_route(kind, attr, item) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    }
}

fn errors(kind: RouteKind, attr: TokenStream, item: TokenStream) -> Vec<String> {
    match parse_route(kind, attr, item) {
        Ok(_) => Vec::new(),
        Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
    }
}

const GET: RouteKind = RouteKind::Http(Some("GET"));
const POST: RouteKind = RouteKind::Http(Some("POST"));

#[test]
fn sources_follow_the_table() {
    let r = route(
        GET,
        quote!("/items/{item_id}"),
        quote! {
            async fn read(item_id: i64, q: Option<String>, #[header] user_agent: String, #[cookie(alias = "sid")] session: String, state: State<Db>) -> Json<i64> { todo!() }
        },
    );
    let kinds: Vec<_> = r
        .args
        .iter()
        .map(|a| match &a.kind {
            ArgKind::Scalar { source, wire, .. } => format!("{source:?} {wire}"),
            ArgKind::Extractor => "extractor".into(),
            ArgKind::Socket => "socket".into(),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "Path item_id",
            "Query q",
            "Header user-agent",
            "Cookie sid",
            "extractor"
        ]
    );
    assert_eq!(r.methods, ["GET"]);
}

#[test]
fn every_error_is_reported_at_once() {
    let e = errors(
        GET,
        quote!("/items/{id}", tag = ["x"], status = 200, status = 201),
        quote! {
            fn read(#[query(ge = 0, ge = 1, bogus = 2)] skip: i64, body: Json<Item>) -> i64 { 0 }
        },
    );
    let joined = e.join("\n");
    for expected in [
        "unknown route option `tag`",
        "`status` is given twice",
        "must be an `async fn`",
        "`ge` is given twice",
        "unknown option `bogus`",
        "GET requests have no body",
        "path parameter `{id}` has no matching function argument",
    ] {
        assert!(
            joined.contains(expected),
            "missing {expected:?} in:\n{joined}"
        );
    }
}

#[test]
fn a_malformed_attribute_does_not_hide_the_function_s_mistakes() {
    let e = errors(
        GET,
        quote!(items, 3),
        quote! {
            fn read(#[query(ge = "x")] skip: i64) -> i64 { 0 }
        },
    );
    let joined = e.join("\n");
    assert!(joined.contains("expected the route's path"), "{joined}");
    assert!(joined.contains("must be an `async fn`"), "{joined}");
    assert!(joined.contains("expected a number"), "{joined}");
}

#[test]
fn route_kinds_are_typed() {
    let ws = route(
        RouteKind::WebSocket,
        quote!("/ws"),
        quote!(
            async fn ws(socket: WebSocket) {}
        ),
    );
    assert_eq!(ws.kind, RouteKind::WebSocket);
    assert_eq!(ws.methods, ["GET"]);
    let dep = route(
        RouteKind::Dependency,
        quote!("/"),
        quote!(
            async fn make(#[path] id: i64) -> Item {
                todo!()
            }
        ),
    );
    assert!(matches!(
        dep.args[0].kind,
        ArgKind::Scalar {
            source: Source::Path,
            ..
        }
    ));
    let many = route(
        RouteKind::Http(None),
        quote!("/x", methods = ["GET", "POST"]),
        quote!(
            async fn x() {}
        ),
    );
    assert_eq!(many.methods, ["GET", "POST"]);
}

#[test]
fn the_body_is_not_parsed() {
    // Tokens no Rust parser accepts as a block still pass through untouched.
    let r = route(
        GET,
        quote!("/x"),
        quote!(async fn x() -> i64 { let y = ; 1 }),
    );
    assert!(r.func.body.to_string().contains("let y = ;"));
}

#[test]
fn a_wrong_attribute_still_emits_the_function() {
    let item = quote! {
        async fn read_item(#[query(ge = 0)] skip: i64) -> i64 { skip }
    };
    let out = crate::handler::fallback(item, true).to_string();
    assert!(out.contains("async fn read_item"));
    assert!(
        !out.contains("query"),
        "argument attributes are removed: {out}"
    );
    assert!(out.contains("impl :: ferrapi :: __private :: Endpoint for read_item"));
}

// ---------------------------------------------------------------------------------------
// Expansion snapshots.
// ---------------------------------------------------------------------------------------

fn snapshot(name: &str, kind: RouteKind, attr: TokenStream, item: TokenStream) {
    let tokens = crate::expand::expand_route(route(kind, attr, item));
    let file: syn::File = syn::parse2(tokens).expect("the expansion parses as items");
    let text = format!(
        "// Expansion of the `{name}` snapshot route; see macros/src/tests.rs.\n{}",
        prettyplease::unparse(&file)
    );
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("snapshots")
        .join(format!("{name}.rs"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    if old != text {
        let first = old
            .lines()
            .zip(text.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(old.lines().count().min(text.lines().count()));
        panic!(
            "the expansion of `{name}` changed (first at line {}): review it and run \
             `UPDATE_SNAPSHOTS=1 cargo test -p ferrapi-macros`\n--- snapshot\n{}\n+++ now\n{}",
            first + 1,
            old.lines().nth(first).unwrap_or(""),
            text.lines().nth(first).unwrap_or("")
        );
    }
}

#[test]
fn expansion_query_with_constraints() {
    snapshot(
        "query_with_constraints",
        GET,
        quote!("/items/", tags = ["items"]),
        quote! {
            /// Read items
            async fn read_items(
                #[query(default = 0, ge = 0)] skip: i64,
                #[query(default = 10, le = 100, description = "Page size")] limit: i64,
            ) -> Json<Vec<Item>> { todo!() }
        },
    );
}

#[test]
fn expansion_path_and_json_body() {
    snapshot(
        "path_and_json_body",
        RouteKind::Http(Some("PUT")),
        quote!("/items/{item_id}", status = 201, responses(404 = HttpError)),
        quote! {
            async fn replace_item(item_id: u32, item: Json<Item>) -> Result<Created<Item>, HttpError> { todo!() }
        },
    );
}

#[test]
fn expansion_header_cookie_and_security() {
    snapshot(
        "header_cookie_and_security",
        GET,
        quote!("/users/me", scopes = ["me"]),
        quote! {
            async fn me(user: Auth<User>, #[header] x_request_id: Option<String>, #[cookie] session: Option<String>) -> Json<User> { todo!() }
        },
    );
}

#[test]
fn expansion_form_and_file() {
    snapshot(
        "form_and_file",
        POST,
        quote!("/photos"),
        quote! {
            async fn upload(#[form(min_length = 1)] caption: String, #[file(max_size = 1024)] photo: UploadFile) -> Json<usize> { todo!() }
        },
    );
}

#[test]
fn expansion_websocket() {
    snapshot(
        "websocket",
        RouteKind::WebSocket,
        quote!("/ws/{room}"),
        quote! {
            async fn chat(socket: JsonSocket<Say, Event>, room: String, #[query(min_length = 1)] name: String) {}
        },
    );
}

#[test]
fn expansion_body_examples_and_several_methods() {
    snapshot(
        "body_examples_and_several_methods",
        RouteKind::Http(None),
        quote!(
            "/ratings",
            methods = ["POST", "PUT"],
            body(openapi_examples(best(
                summary = "Best",
                value = json!({"stars": 5})
            )))
        ),
        quote! {
            async fn rate(rating: Json<Rating>) -> NoContent { todo!() }
        },
    );
}
