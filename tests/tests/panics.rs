//! A panic anywhere in the app answers a JSON 500 and the app keeps serving: in a handler,
//! in a dependency it takes, in a guard, in a merged axum route. Generated endpoints catch
//! their own panics (no router-wide layer); guards and merged routes get the layer.
//! Also: `App::body_limit` reaches axum's own extractors in merged routes.

use ferrapi::prelude::*;
use ferrapi::testing::TestClient;
use ferrapi_tests::block_on;
use serde_json::json;

#[derive(Clone)]
pub struct Exploding;

#[dependency]
async fn exploding(#[query] mode: Option<String>) -> Exploding {
    if mode.as_deref() == Some("boom") {
        panic!("dependency exploded");
    }
    Exploding
}

#[get("/handler")]
async fn handler_panics(#[query] boom: bool) -> Json<i64> {
    if boom {
        panic!("handler exploded");
    }
    Json(1)
}

#[get("/dependency")]
async fn dependency_panics(_e: Exploding) -> Json<i64> {
    Json(2)
}

#[get("/ok")]
async fn ok() -> Json<i64> {
    Json(3)
}

fn merged() -> axum::Router {
    axum::Router::new()
        .route(
            "/plain/boom",
            axum::routing::get(|| async {
                if true {
                    panic!("merged route exploded");
                }
                "never"
            }),
        )
        .route(
            "/plain/echo",
            axum::routing::post(|body: String| async move { body.len().to_string() }),
        )
}

async fn assert_500(c: &TestClient, path: &str) {
    let res = c.get(path).send().await;
    assert_eq!(res.status(), 500, "{path}");
    assert_eq!(res.json_value(), json!({"detail": "Internal Server Error"}));
    // ...and the app answers the next request.
    assert_eq!(c.get("/ok").send().await.json_value(), json!(3));
}

#[test]
fn every_panic_is_a_json_500_and_the_app_keeps_serving() {
    block_on(async {
        let app = App::new()
            .routes(routes![handler_panics, dependency_panics, ok])
            .merge(merged());
        let c = TestClient::new(app);
        assert_eq!(
            c.get("/handler?boom=false").send().await.json_value(),
            json!(1)
        );
        assert_500(&c, "/handler?boom=true").await;
        assert_eq!(c.get("/dependency").send().await.json_value(), json!(2));
        assert_500(&c, "/dependency?mode=boom").await;
        assert_500(&c, "/plain/boom").await;
        // Hundreds in a row cost nothing lasting.
        for _ in 0..300 {
            assert_eq!(c.get("/handler?boom=true").send().await.status(), 500);
        }
        assert_eq!(c.get("/ok").send().await.status(), 200);
    });
}

#[test]
fn a_panicking_guard_is_a_json_500() {
    block_on(async {
        let app = App::new()
            .guard::<Exploding>()
            .routes(routes![ok, handler_panics]);
        let c = TestClient::new(app);
        assert_eq!(c.get("/ok").send().await.json_value(), json!(3));
        let res = c.get("/ok?mode=boom").send().await;
        assert_eq!(res.status(), 500);
        assert_eq!(res.json_value(), json!({"detail": "Internal Server Error"}));
        assert_eq!(c.get("/ok").send().await.status(), 200);
    });
}

#[test]
fn the_body_limit_reaches_merged_axum_routes() {
    block_on(async {
        // The default is axum's own (2 MiB), so no layer is needed for it.
        let c = TestClient::new(App::new().routes(routes![ok]).merge(merged()));
        let res = c.post("/plain/echo").body("x".repeat(2 << 20)).send().await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.text(), (2 << 20).to_string());
        let res = c
            .post("/plain/echo")
            .body("x".repeat((2 << 20) + 1))
            .send()
            .await;
        assert_eq!(res.status(), 413);

        // A smaller limit is applied to axum's extractors too.
        let app = App::new()
            .body_limit(100)
            .routes(routes![ok])
            .merge(merged());
        let c = TestClient::new(app);
        assert_eq!(
            c.post("/plain/echo")
                .body("x".repeat(100))
                .send()
                .await
                .status(),
            200
        );
        assert_eq!(
            c.post("/plain/echo")
                .body("x".repeat(101))
                .send()
                .await
                .status(),
            413
        );
    });
}
