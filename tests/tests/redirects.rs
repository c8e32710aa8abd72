//! Redirects stay home: neither the trailing-slash redirect nor the docs-prefix redirect can
//! send a client to another host, whatever the request's path or `Host` header says.

use ferrapi::prelude::*;
use ferrapi::testing::TestClient;
use ferrapi_tests::block_on;

#[get("/items/")]
async fn items() -> Json<i64> {
    Json(1)
}

#[post("/token")]
async fn token() -> Json<i64> {
    Json(2)
}

#[get("/{name}/")]
async fn named(name: String) -> Json<String> {
    Json(name)
}

fn client() -> TestClient {
    TestClient::new(App::new().routes(routes![items, token, named]))
}

#[test]
fn the_trailing_slash_redirect_ignores_the_host_header() {
    block_on(async {
        let c = client();
        let r = c
            .get("/items")
            .header("host", "evil.example")
            .query("skip", "1")
            .send()
            .await;
        assert_eq!(r.status(), 307);
        assert_eq!(r.header("location"), Some("/items/?skip=1"));
        // The server keeps serving the ordinary way.
        assert_eq!(c.get("/items/").send().await.status(), 200);
    });
}

#[test]
fn no_redirect_to_a_network_path() {
    block_on(async {
        let c = client();
        // `/evil.example/` matches `/{name}/`, so `//evil.example` could have redirected to
        // `//evil.example/`, another host for a browser.
        for path in ["//evil.example", "/\\evil.example"] {
            let r = c.get(path).send().await;
            let location = r.header("location").unwrap_or_default().to_string();
            assert!(
                !location.starts_with("//") && !location.starts_with("/\\"),
                "{path} -> {location}"
            );
        }
    });
}

#[test]
fn the_docs_prefix_redirect_stays_on_this_server() {
    block_on(async {
        let c = client();
        // Swagger UI posts a relative tokenUrl under /docs/: sent on to /token.
        let r = c.post("/docs/token").send().await;
        assert_eq!(r.status(), 307);
        assert_eq!(r.header("location"), Some("/token"));
        for path in ["/docs//evil.example/x", "/docs/\\evil.example/x"] {
            let r = c.post(path).send().await;
            assert_ne!(r.status(), 307, "{path}");
            assert!(r.header("location").is_none(), "{path}");
        }
    });
}
