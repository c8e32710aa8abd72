//! Several body parameters (`#[body]`) against hostile bodies: deep nesting, floods of keys
//! and of errors, oversized and malformed bodies, wrong content types. Each gets a clear
//! answer with bounded work, and the app keeps serving. FastAPI's answers for the ordinary
//! cases are pinned by conformance app 32.

use ferrapi::prelude::*;
use ferrapi::testing::TestClient;
use ferrapi_tests::block_on;
use serde_json::{json, Value};

#[model]
struct Item {
    name: String,
    #[field(gt = 0)]
    price: f64,
    #[field(default, max_items = 5)]
    tags: Vec<String>,
}

#[put("/items/{item_id}")]
async fn update(
    item_id: i64,
    #[body] item: Item,
    #[body(gt = 0, le = 10)] importance: i64,
    #[body(default = 3)] copies: u8,
    #[body] note: Option<String>,
) -> Json<Value> {
    Json(
        json!({"item_id": item_id, "item": item, "importance": importance, "copies": copies, "note": note}),
    )
}

#[post("/one")]
async fn one(#[body(embed)] item: Item) -> Json<Value> {
    Json(json!({"item": item}))
}

fn client() -> TestClient {
    TestClient::new(
        App::new()
            .body_limit(64 * 1024)
            .routes(routes![update, one]),
    )
}

async fn put_raw(c: &TestClient, body: String, content_type: Option<&str>) -> (u16, Value) {
    let mut r = c.put("/items/1");
    if let Some(ct) = content_type {
        r = r.header("content-type", ct);
    }
    let res = r.body(body).send().await;
    let status = res.status().as_u16();
    let text = res.text();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn good() -> Value {
    json!({"item": {"name": "a", "price": 1.0}, "importance": 2})
}

#[test]
fn defaults_options_and_lax_values() {
    block_on(async {
        let c = client();
        let (status, body) = put_raw(&c, good().to_string(), Some("application/json")).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["copies"], 3);
        assert_eq!(body["note"], Value::Null);
        let mut b = good();
        b["importance"] = json!("7");
        b["copies"] = json!(1.0);
        b["note"] = json!("hi");
        let (status, body) = put_raw(&c, b.to_string(), Some("application/json")).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            (
                body["importance"].clone(),
                body["copies"].clone(),
                body["note"].clone()
            ),
            (json!(7), json!(1), json!("hi"))
        );
        // No content type: read as JSON, as FastAPI does.
        let (status, _) = put_raw(&c, good().to_string(), None).await;
        assert_eq!(status, 200);
    });
}

#[test]
fn hostile_bodies_get_clear_answers_and_the_app_keeps_serving() {
    block_on(async {
        let c = client();
        // Deeply nested JSON: a json_invalid at the depth limit, not a stack overflow.
        let deep = format!("{{\"item\": {}{}}}", "[".repeat(20_000), "]".repeat(20_000));
        let (status, body) = put_raw(&c, deep, Some("application/json")).await;
        assert_eq!(
            (status, body["detail"][0]["type"].clone()),
            (422, json!("json_invalid")),
            "{body}"
        );
        // Thousands of unknown keys are ignored; the parts are still found.
        let mut b = good();
        for i in 0..3000 {
            b[format!("k{i}")] = json!(i);
        }
        let (status, _) = put_raw(&c, b.to_string(), Some("application/json")).await;
        assert_eq!(status, 200);
        // A flood of errors in one part is capped.
        let mut b = good();
        b["item"]["tags"] = json!(vec![json!({}); 5000]);
        let (status, body) = put_raw(&c, b.to_string(), Some("application/json")).await;
        assert_eq!(status, 422);
        assert!(
            body["detail"].as_array().unwrap().len() <= 100,
            "{}",
            body["detail"].as_array().unwrap().len()
        );
        // Over the body limit: 413.
        let big = format!("{{\"note\": \"{}\"}}", "x".repeat(100_000));
        let (status, _) = put_raw(&c, big, Some("application/json")).await;
        assert_eq!(status, 413);
        // Not UTF-8: 400.
        let res = c
            .put("/items/1")
            .header("content-type", "application/json")
            .body(vec![b'{', 0xff, 0xfe, b'}'])
            .send()
            .await;
        assert_eq!(res.status(), 400);
        // A form body holds no JSON parts: every required part is missing.
        let (status, body) = put_raw(
            &c,
            "item=x".into(),
            Some("application/x-www-form-urlencoded"),
        )
        .await;
        assert_eq!(status, 422);
        let locs: Vec<Value> = body["detail"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["loc"].clone())
            .collect();
        assert_eq!(
            locs,
            vec![json!(["body", "item"]), json!(["body", "importance"])]
        );
        // Wrong types and out-of-range values in several parts at once.
        let (status, body) = put_raw(
            &c,
            json!({"item": [1], "importance": 11, "copies": 300, "note": 5}).to_string(),
            Some("application/json"),
        )
        .await;
        assert_eq!(status, 422);
        let kinds: Vec<(Value, Value)> = body["detail"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["type"].clone(), e["loc"].clone()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (json!("model_attributes_type"), json!(["body", "item"])),
                (json!("less_than_equal"), json!(["body", "importance"])),
                (json!("int_parsing_size"), json!(["body", "copies"])),
                (json!("string_type"), json!(["body", "note"])),
            ]
        );
        // Still serving.
        let (status, _) = put_raw(&c, good().to_string(), Some("application/json")).await;
        assert_eq!(status, 200);
    });
}

#[test]
fn the_body_object_is_documented() {
    let doc = App::new()
        .routes(routes![update, one])
        .openapi_value()
        .unwrap();
    let body = &doc["components"]["schemas"]["Body_update"];
    assert_eq!(body["required"], json!(["item", "importance"]));
    assert_eq!(body["properties"]["importance"]["exclusiveMinimum"], 0);
    assert_eq!(body["properties"]["importance"]["maximum"], 10);
    assert_eq!(body["properties"]["copies"]["default"], 3);
    assert_eq!(
        body["properties"]["item"]["$ref"],
        "#/components/schemas/Item"
    );
    let one = &doc["components"]["schemas"]["Body_one"];
    assert_eq!(one["required"], json!(["item"]));
}
