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

#[get("/numbers")]
async fn numbers(#[query(alias = "n")] ns: Vec<i64>) -> Json<usize> {
    Json(ns.len())
}

#[post("/form-numbers")]
async fn form_numbers(#[form] n: Vec<i64>, #[form(max_length = 4)] label: String) -> Json<usize> {
    Json(n.len() + label.len())
}

fn client() -> TestClient {
    TestClient::new(App::new().body_limit(16 * 1024 * 1024).routes(routes![
        lines,
        search,
        numbers,
        form_numbers
    ]))
}

/// A 422 for a flood: the cap, and a small answer.
fn assert_capped(r: &ferrapi::testing::TestResponse, first_loc: serde_json::Value) {
    assert_eq!(r.status(), 422);
    let detail = r.json_value()["detail"].as_array().unwrap().clone();
    assert_eq!(detail.len(), MAX_ERRORS);
    assert_eq!(detail[0]["loc"], first_loc);
    assert!(r.bytes().len() < 64 * 1024, "{} bytes", r.bytes().len());
}

/// The same cap for query lists, urlencoded forms and multipart forms: tens of thousands of
/// bad values, 100 errors.
#[test]
fn floods_of_bad_query_form_and_multipart_values_stop_at_the_cap() {
    block_on(async {
        let c = client();
        // 15,000 values: a URI holds at most 64 KiB.
        let query: String = (0..15_000).map(|_| "n=x&").collect();
        let r = c.get(&format!("/numbers?{query}")).send().await;
        assert_capped(&r, json!(["query", "n", 0]));

        let form: String = (0..50_000).map(|_| "n=x&").collect::<String>() + "label=toolong";
        let r = c
            .post("/form-numbers")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await;
        assert_capped(&r, json!(["body", "n", 0]));

        let mut multipart = String::new();
        for _ in 0..20_000 {
            multipart.push_str("--B\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\nx\r\n");
        }
        multipart.push_str(
            "--B\r\nContent-Disposition: form-data; name=\"label\"\r\n\r\nok\r\n--B--\r\n",
        );
        let r = c
            .post("/form-numbers")
            .header("content-type", "multipart/form-data; boundary=B")
            .body(multipart)
            .send()
            .await;
        assert_capped(&r, json!(["body", "n", 0]));

        // And valid ones still pass.
        let r = c.get("/numbers?n=1&n=2").send().await;
        assert_eq!(r.json_value(), json!(2));
    });
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

#[get("/keyed")]
async fn keyed(
    #[header(alias = "Idempotency-Key", pattern = "^[!-~]+$")] key: Option<String>,
    #[header] x_note: Option<String>,
    #[cookie(pattern = "^[a-z0-9]+$")] session: Option<String>,
    #[cookie] theme: Option<String>,
) -> Json<serde_json::Value> {
    Json(json!({"key": key, "note": x_note, "session": session, "theme": theme}))
}

/// Header bytes that are no text are not taken for an absent header (which would skip the
/// check an optional header has): they arrive as U+FFFD and meet the constraints; UTF-8
/// arrives as written. Cookie values alike. The server keeps serving.
#[test]
fn header_values_that_are_not_text_are_judged_not_dropped() {
    let server = ferrapi_tests::raw::RawServer::start(App::new().routes(routes![keyed]));
    let send = |headers: &[u8]| -> String {
        let mut raw = b"GET /keyed HTTP/1.1\r\nHost: x\r\nConnection: close\r\n".to_vec();
        raw.extend_from_slice(headers);
        raw.extend_from_slice(b"\r\n");
        server.send(&raw)
    };
    let answer = send(b"Idempotency-Key: \xff\xfe\r\n");
    assert!(answer.starts_with("HTTP/1.1 422"), "{answer}");
    assert!(
        answer.contains(r#""loc":["header","Idempotency-Key"]"#),
        "{answer}"
    );
    assert!(
        answer.contains(r#""input":"\u{FFFD}""#) || answer.contains("\u{FFFD}"),
        "{answer}"
    );
    let answer = send("X-Note: café\r\n".as_bytes());
    assert!(answer.contains(r#""note":"café""#), "{answer}");
    let answer = send(b"X-Note: \xe9t\xe9\r\n");
    assert!(answer.contains("\"note\":\"\u{FFFD}\""), "{answer}");
    let answer = send(b"Idempotency-Key: abc-1\r\n");
    assert!(answer.contains(r#""key":"abc-1""#), "{answer}");
    // Cookies are read the same way: a constrained one sent as raw bytes is judged.
    let answer = send(b"Cookie: theme=dark; session=\xff\xfe\r\n");
    assert!(answer.starts_with("HTTP/1.1 422"), "{answer}");
    assert!(answer.contains(r#""loc":["cookie","session"]"#), "{answer}");
    let answer = send("Cookie: theme=café; session=abc1\r\n".as_bytes());
    assert!(
        answer.contains(r#""session":"abc1""#) && answer.contains(r#""theme":"café""#),
        "{answer}"
    );
    let answer = send(b"Cookie: theme=\xe9t\xe9; session=abc1\r\n");
    assert!(answer.contains("\"theme\":\"\u{FFFD}\""), "{answer}");
    server.stop();
}
