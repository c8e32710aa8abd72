//! Hostile inputs cost bounded memory: at most `MAX_ERRORS` errors per answer, echoed
//! inputs cut short, a list's `max_items` checked before its items (issue 11, point 1).

use ferrapi::error::{MAX_ERRORS, MAX_INPUT_CHARS, MAX_INPUT_ENTRIES};
use ferrapi::prelude::*;
use ferrapi::testing::TestClient;
use ferrapi_tests::block_on;
use serde_json::json;

#[model]
struct Point {
    x: i64,
    y: i64,
}

#[model]
struct Polyline {
    points: Vec<Point>,
}

#[post("/lines")]
async fn lines(line: Json<Polyline>) -> Json<usize> {
    Json(line.points.len())
}

#[get("/search")]
async fn search(#[query(max_length = 10)] q: String) -> Json<String> {
    Json(q)
}

fn client() -> TestClient {
    TestClient::new(App::new().routes(routes![lines, search]))
}

#[test]
fn errors_stop_at_the_cap() {
    block_on(async {
        // 20,000 points, each missing both fields: 40,000 errors before the cap.
        let points: Vec<_> = (0..20_000).map(|_| json!({})).collect();
        let r = client()
            .post("/lines")
            .json(&json!({ "points": points }))
            .send()
            .await;
        assert_eq!(r.status(), 422);
        let detail = r.json_value()["detail"].as_array().unwrap().clone();
        assert_eq!(detail.len(), MAX_ERRORS);
        assert_eq!(detail[0]["loc"], json!(["body", "points", 0, "x"]));
        assert!(r.bytes().len() < 64 * 1024, "{} bytes", r.bytes().len());
    });
}

#[test]
fn echoed_inputs_are_cut_short() {
    block_on(async {
        let c = client();
        let long = "a".repeat(20_000);
        let r = c.get("/search").query("q", &long).send().await;
        assert_eq!(r.status(), 422);
        let input = r.json_value()["detail"][0]["input"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(
            input.chars().count(),
            MAX_INPUT_CHARS + 1,
            "cut, with an ellipsis"
        );
        assert!(input.ends_with('…'));
        // A wrong type with a huge value: the list is echoed with its first entries only.
        let r = c
            .post("/lines")
            .json(&json!({ "points": [{"x": (0..10_000).collect::<Vec<_>>(), "y": 1}] }))
            .send()
            .await;
        assert_eq!(r.status(), 422);
        let e = &r.json_value()["detail"][0];
        assert_eq!(e["loc"], json!(["body", "points", 0, "x"]));
        assert_eq!(e["input"].as_array().unwrap().len(), MAX_INPUT_ENTRIES);
        // The server keeps serving.
        let ok = c
            .post("/lines")
            .json(&json!({"points": [{"x": 1, "y": 2}]}))
            .send()
            .await;
        assert_eq!(ok.status(), 200);
    });
}
