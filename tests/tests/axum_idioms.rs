//! What an axum user expects of `App` (issue 15.2): `.into()` an `axum::Router`, `.layer`
//! directly, and serving from inside their own runtime.

use ferrapi::prelude::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[get("/items/")]
async fn items() -> Json<Vec<i64>> {
    Json(vec![1, 2])
}

async fn stamp(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let mut res = next.run(req).await;
    res.headers_mut().insert("x-stamp", "1".parse().unwrap());
    res
}

fn app() -> App {
    App::new().routes(routes![items])
}

async fn get(addr: std::net::SocketAddr, path: &str) -> String {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!("GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_is_an_axum_router_and_takes_layers() {
    let router: axum::Router = app().layer(axum::middleware::from_fn(stamp)).into();
    // Nested in a bigger axum application, served by axum.
    let outer = axum::Router::new()
        .nest("/api", router)
        .route("/", axum::routing::get(|| async { "home" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, outer).await });
    let res = get(addr, "/api/items/").await;
    assert!(res.starts_with("HTTP/1.1 200"), "{res}");
    assert!(res.to_ascii_lowercase().contains("x-stamp: 1"), "{res}");
    assert!(res.ends_with("[1,2]"), "{res}");
    // The layer wraps the framework's own answers too.
    let res = get(addr, "/api/nothing").await;
    assert!(res.starts_with("HTTP/1.1 404"), "{res}");
    assert!(res.to_ascii_lowercase().contains("x-stamp: 1"), "{res}");
    assert!(get(addr, "/").await.ends_with("home"));
    server.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_takes_a_listener_bound_in_main() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(app().serve(listener));
    let res = get(addr, "/items/").await;
    assert!(res.ends_with("[1,2]"), "{res}");
    server.abort();
}

#[test]
fn run_in_a_single_threaded_runtime_says_what_to_do_instead() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let code = rt.block_on(async { ferrapi::cli::run(app(), ["app", "serve", "--port", "0"]) });
    assert_eq!(code, 1);
}

/// What a FastAPI user porting `app.add_middleware(CORSMiddleware, allow_origins=["*"])`
/// writes first: tower-http's CORS layer, straight on the app.
#[tokio::test]
async fn cors_from_tower_http_goes_straight_on_the_app() {
    let app = app().layer(tower_http::cors::CorsLayer::permissive());
    let client = ferrapi::testing::TestClient::new(app);
    let preflight = client
        .options("/items/")
        .header("origin", "https://example.com")
        .header("access-control-request-method", "GET")
        .send()
        .await;
    assert_eq!(preflight.status(), 200);
    assert_eq!(preflight.header("access-control-allow-origin"), Some("*"));
    let res = client
        .get("/items/")
        .header("origin", "https://example.com")
        .send()
        .await;
    assert_eq!(res.header("access-control-allow-origin"), Some("*"));
    assert_eq!(res.json_value(), serde_json::json!([1, 2]));
}
