//! Health endpoints, Prometheus metrics and configuration errors.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use ferrapi::prelude::*;
use ferrapi::testing::TestClient;
use ferrapi_tests::block_on;
use serde_json::json;

#[get("/items/{id}")]
async fn item(id: i64) -> Json<i64> {
    Json(id)
}

#[test]
fn liveness_and_readiness_follow_the_checks() {
    block_on(async {
        let db_up = Arc::new(AtomicBool::new(true));
        let flag = db_up.clone();
        let app = App::new()
            .health()
            .readiness_check("database", move |_state| {
                let up = flag.load(Ordering::SeqCst);
                async move {
                    if up {
                        Ok(())
                    } else {
                        Err("connection refused".to_string())
                    }
                }
            })
            .routes(routes![item]);
        let c = TestClient::new(app);
        assert_eq!(
            c.get("/health/live").send().await.json_value(),
            json!({"status": "alive"})
        );
        let res = c.get("/health/ready").send().await;
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.json_value(),
            json!({"status": "ready", "checks": {"startup": "ok", "database": "ok"}})
        );
        db_up.store(false, Ordering::SeqCst);
        let res = c.get("/health/ready").send().await;
        assert_eq!(res.status(), 503);
        assert_eq!(res.json_value()["checks"]["database"], "connection refused");
    });
}

#[test]
fn readiness_waits_for_startup() {
    let app = App::new()
        .health()
        .startup(|| async { Ok::<_, String>(1u8) });
    let readiness = app.readiness();
    assert!(format!("{readiness:?}").contains("started: false"));
    block_on(async {
        let c = TestClient::start(app).await.unwrap();
        assert_eq!(c.get("/health/ready").send().await.status(), 200);
    });
}

#[test]
fn metrics_count_requests_per_route_template() {
    block_on(async {
        let c = TestClient::new(App::new().metrics("/metrics").routes(routes![item]));
        for id in [1, 2, 3] {
            assert_eq!(c.get(&format!("/items/{id}")).send().await.status(), 200);
        }
        assert_eq!(c.get("/items/x").send().await.status(), 422);
        let res = c.get("/metrics").send().await;
        assert!(res
            .header("content-type")
            .unwrap()
            .starts_with("text/plain"));
        let text = res.text();
        assert!(
            text.contains(
                r#"http_requests_total{method="GET",route="/items/{id}",status="200"} 3"#
            ),
            "{text}"
        );
        assert!(
            text.contains(
                r#"http_requests_total{method="GET",route="/items/{id}",status="422"} 1"#
            ),
            "{text}"
        );
        assert!(
            text.contains("http_request_duration_seconds_bucket"),
            "{text}"
        );
    });
}

#[test]
fn configuration_errors_name_the_variable() {
    std::env::set_var("FERRAPI_TEST_PORT", "eighty");
    let err = ferrapi::ops::env_or::<u16>("FERRAPI_TEST_PORT", 80).unwrap_err();
    assert_eq!(err.to_string(), "invalid value for FERRAPI_TEST_PORT: \"eighty\" is not a valid u16 (invalid digit found in string)");
    std::env::set_var("FERRAPI_TEST_PORT", "8080");
    assert_eq!(
        ferrapi::ops::env_or::<u16>("FERRAPI_TEST_PORT", 80).unwrap(),
        8080
    );
    assert_eq!(
        ferrapi::ops::env_or::<u16>("FERRAPI_TEST_UNSET", 80).unwrap(),
        80
    );
    let err = ferrapi::ops::env_required::<String>("FERRAPI_TEST_UNSET").unwrap_err();
    assert_eq!(err.to_string(), "FERRAPI_TEST_UNSET must be set");
}

#[test]
fn invented_methods_and_paths_do_not_grow_the_metrics() {
    block_on(async {
        let c = TestClient::new(App::new().metrics("/metrics").routes(routes![item]));
        let before = c.get("/metrics").send().await.text().len();
        // 2,000 requests, each with a method and a path nobody declared.
        for i in 0..2000 {
            let method = http::Method::from_bytes(format!("M{i}X").as_bytes()).unwrap();
            let r = c.request(method, &format!("/nope/{i}")).send().await;
            assert_eq!(r.status(), 404);
        }
        let text = c.get("/metrics").send().await.text();
        assert!(
            text.contains(
                r#"http_requests_total{method="OTHER",route="unmatched",status="404"} 2000"#
            ),
            "{text}"
        );
        // Two new series (count and latency), not thousands.
        assert!(
            text.len() < before + 4096,
            "{} -> {} bytes",
            before,
            text.len()
        );
        assert!(!text.contains("M1X") && !text.contains("/nope/"));
    });
}
