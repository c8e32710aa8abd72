//! An app mounted under a path prefix (issue 12.9): nested in a bigger axum app
//! (`axum::Router::nest("/api", app.into())`), or behind a proxy that strips `/api`
//! (`App::root_path`, FastAPI's `root_path`). The docs pages load the document from inside
//! the prefix, the document lists the prefix in `servers`, and redirects stay inside it.
//! The pages are also loaded in Chromium under a prefix by `.ci/run`
//! (`tests/e2e/swagger_authorize.mjs`).

use axum::body::Body;
use ferrapi::prelude::*;
use ferrapi::testing::TestClient;
use ferrapi_tests::block_on;
use http::Request;
use serde_json::{json, Value};
use tower::ServiceExt;

#[get("/items/")]
async fn items() -> Json<Vec<i64>> {
    Json(vec![1])
}

fn app() -> App {
    App::new().routes(routes![items])
}

/// (status, Location, body) of a GET through a plain axum router.
async fn get(router: &axum::Router, path: &str) -> (u16, Option<String>, String) {
    let res = router
        .clone()
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string());
    let body = axum::body::to_bytes(res.into_body(), 1 << 24)
        .await
        .unwrap();
    let body = if location.is_none() && path.ends_with(".js") && body.starts_with(&[0x1f, 0x8b]) {
        "<gzip>".to_string()
    } else {
        String::from_utf8_lossy(&body).into_owned()
    };
    (status, location, body)
}

#[test]
fn nested_in_an_axum_app_the_docs_load_their_document_from_inside_the_prefix() {
    block_on(async {
        let outer = axum::Router::new().nest("/api", app().into_router());
        // /api/docs -> docs/ (relative: the browser stays under /api)
        let (status, location, _) = get(&outer, "/api/docs").await;
        assert_eq!((status, location.as_deref()), (303, Some("docs/")));
        let (status, _, page) = get(&outer, "/api/docs/").await;
        assert_eq!(status, 200);
        assert!(page.contains("swagger-initializer.js"), "{page}");
        // The initializer names the document and the OAuth2 redirect page relative to the
        // page: /api/docs/ + ../openapi.json = /api/openapi.json.
        let (status, _, init) = get(&outer, "/api/docs/swagger-initializer.js").await;
        assert_eq!(status, 200);
        assert!(init.contains(r#"url: "../openapi.json""#), "{init}");
        assert!(
            init.contains(
                r#"oauth2RedirectUrl: new URL("oauth2-redirect", window.location.href).href"#
            ),
            "{init}"
        );
        assert!(!init.contains("ferrapi:"), "{init}");
        // The document lists the prefix, so "Try it out" calls /api/items/.
        let (status, _, doc) = get(&outer, "/api/openapi.json").await;
        assert_eq!(status, 200);
        let doc: Value = serde_json::from_str(&doc).unwrap();
        assert_eq!(doc["servers"], json!([{"url": "/api"}]));
        // ReDoc names its document and script relative to its page (/api/redoc).
        let (_, _, redoc) = get(&outer, "/api/redoc").await;
        assert!(redoc.contains(r#"spec-url="openapi.json""#), "{redoc}");
        assert!(
            redoc.contains(r#"src="redoc/redoc.standalone.js""#),
            "{redoc}"
        );
        let (status, _, _) = get(&outer, "/api/redoc/redoc.standalone.js").await;
        assert_eq!(status, 200);
        // The trailing-slash redirect stays inside the prefix.
        let (status, location, _) = get(&outer, "/api/items?x=1").await;
        assert_eq!(
            (status, location.as_deref()),
            (307, Some("/api/items/?x=1"))
        );
        // Not nested, nothing changes: no servers, redirects as before.
        let plain = app().into_router();
        let (_, _, doc) = get(&plain, "/openapi.json").await;
        let doc: Value = serde_json::from_str(&doc).unwrap();
        assert!(doc.get("servers").is_none());
        let (_, location, _) = get(&plain, "/items").await;
        assert_eq!(location.as_deref(), Some("/items/"));
    });
}

#[test]
fn behind_a_proxy_that_strips_the_root_path() {
    block_on(async {
        let c = TestClient::new(app().root_path("/api"));
        // Both the prefixed path and the stripped one are the route, as in FastAPI.
        assert_eq!(c.get("/api/items/").send().await.json_value(), json!([1]));
        assert_eq!(c.get("/items/").send().await.json_value(), json!([1]));
        // Only a whole path segment is a prefix.
        assert_eq!(c.get("/apiitems/").send().await.status(), 404);
        // Redirects stay inside the prefix, whichever form came in.
        for path in ["/items", "/api/items"] {
            let res = c.get(path).send().await;
            assert_eq!(res.status(), 307, "{path}");
            assert_eq!(res.header("location"), Some("/api/items/"), "{path}");
        }
        // The document lists the prefix first, once.
        for path in ["/openapi.json", "/api/openapi.json"] {
            let doc = c.get(path).send().await.json_value();
            assert_eq!(doc["servers"], json!([{"url": "/api"}]), "{path}");
        }
        let init = c
            .get("/api/docs/swagger-initializer.js")
            .send()
            .await
            .text();
        assert!(init.contains(r#"url: "../openapi.json""#), "{init}");
    });
}

#[test]
fn no_prefix_makes_a_redirect_to_another_host() {
    block_on(async {
        // A path that looks like a network-path reference is not redirected at all.
        let outer = axum::Router::new().nest("/api", app().into_router());
        let (status, location, _) = get(&outer, "/api//evil.example/items").await;
        assert_eq!((status, location), (404, None));
        // A root path written with two slashes still gives a path on this host.
        let c = TestClient::new(app().root_path("//evil.example/"));
        let res = c.get("/items").send().await;
        assert_eq!(res.status(), 307);
        assert_eq!(res.header("location"), Some("/evil.example/items/"));
        let doc = c.get("/openapi.json").send().await.json_value();
        assert_eq!(doc["servers"], json!([{"url": "/evil.example"}]));
    });
}
