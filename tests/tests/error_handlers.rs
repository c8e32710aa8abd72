//! The app's own answers to errors (issue 12.8): `on_validation_error`, `on_http_error`,
//! `on_http_error_with` and RFC 9457 `problem_details`, on the answers and in the document.
//! FastAPI's behaviour for the same handlers is pinned by conformance app 34.

use ferrapi::error::ValidationErrors;
use ferrapi::prelude::*;
use ferrapi::security::HttpBearer;
use ferrapi::testing::TestClient;
use ferrapi_tests::block_on;
use serde_json::{json, Value};

#[model]
struct Item {
    #[field(min_length = 2)]
    name: String,
}

#[post("/items/")]
async fn create(item: Json<Item>) -> Json<Item> {
    item
}

#[get("/items/{id}")]
async fn read(id: i64) -> Result<Json<Value>, HttpError> {
    if id == 1 {
        Ok(Json(json!({"id": 1})))
    } else {
        Err(HttpError::not_found("No such item").with_header("x-why", "gone"))
    }
}

#[get("/boom")]
async fn boom() -> String {
    panic!("boom")
}

#[get("/secret")]
async fn secret(_t: HttpBearer) -> String {
    "s".into()
}

#[derive(serde::Serialize, ToSchema)]
struct BadInput {
    count: usize,
    first: String,
}

#[derive(serde::Serialize, ToSchema)]
struct Wrapped {
    code: u16,
    message: Value,
}

fn routes() -> App {
    App::new().routes(routes![create, read, boom, secret])
}

fn handled() -> App {
    routes()
        .on_validation_error(StatusCode::BAD_REQUEST, |e: &ValidationErrors| BadInput {
            count: e.0.len(),
            first: e.0[0].msg.to_string(),
        })
        .on_http_error(|e: &HttpError| Wrapped {
            code: e.status().as_u16(),
            message: e.detail().clone(),
        })
}

#[test]
fn handlers_answer_every_framework_error_and_keep_its_headers() {
    block_on(async {
        let c = TestClient::new(handled());
        let res = c.post("/items/").json(&json!({"name": "x"})).send().await;
        assert_eq!(res.status(), 400);
        assert_eq!(
            res.json_value(),
            json!({"count": 1, "first": "String should have at least 2 characters"})
        );
        let res = c.get("/items/2").send().await;
        assert_eq!(
            (res.status().as_u16(), res.header("x-why")),
            (404, Some("gone"))
        );
        assert_eq!(
            res.json_value(),
            json!({"code": 404, "message": "No such item"})
        );
        // The router's own 404 and 405, with Allow kept.
        assert_eq!(
            c.get("/nowhere").send().await.json_value(),
            json!({"code": 404, "message": "Not Found"})
        );
        let res = c.delete("/items/1").send().await;
        assert_eq!(res.status(), 405);
        assert!(
            res.header("allow").is_some_and(|a| a.contains("GET")),
            "{:?}",
            res.headers()
        );
        assert_eq!(res.json_value()["code"], 405);
        // A security scheme's 401 keeps WWW-Authenticate.
        let res = c.get("/secret").send().await;
        assert_eq!(res.status(), 401);
        assert_eq!(res.header("www-authenticate"), Some("Bearer"));
        assert_eq!(res.json_value()["code"], 401);
        // Successes are untouched.
        assert_eq!(
            c.get("/items/1").send().await.json_value(),
            json!({"id": 1})
        );
    });
}

#[test]
fn the_document_follows_the_handlers() {
    let doc = handled().openapi_value().unwrap();
    let post = &doc["paths"]["/items/"]["post"]["responses"];
    assert!(post.get("422").is_none(), "{post}");
    let four_hundred = serde_json::to_string(&post["400"]).unwrap();
    assert!(
        four_hundred.contains("#/components/schemas/BadInput"),
        "{four_hundred}"
    );
    let get = &doc["paths"]["/items/{id}"]["get"]["responses"];
    assert!(get.get("422").is_none());
    // Every HTTPError answer (the 401 of the scheme) shows the handler's schema.
    let secret = &doc["paths"]["/secret"]["get"]["responses"]["401"]["content"]["application/json"]
        ["schema"];
    assert_eq!(secret["$ref"], "#/components/schemas/Wrapped");
    let paths = serde_json::to_string_pretty(&doc["paths"]).unwrap();
    assert!(!paths.contains("schemas/HTTPError\""), "{paths}");
}

#[test]
fn problem_details_for_every_framework_error() {
    block_on(async {
        let c = TestClient::new(routes().problem_details());
        let res = c.get("/nowhere").send().await;
        assert_eq!(res.status(), 404);
        assert_eq!(res.header("content-type"), Some("application/problem+json"));
        assert_eq!(
            res.json_value(),
            json!({"type": "about:blank", "title": "Not Found", "status": 404, "detail": "Not Found"})
        );
        let res = c.post("/items/").json(&json!({"name": "x"})).send().await;
        assert_eq!(res.status(), 422);
        assert_eq!(res.header("content-type"), Some("application/problem+json"));
        let body = res.json_value();
        assert_eq!(
            (body["title"].clone(), body["status"].clone()),
            (json!("Unprocessable Entity"), json!(422))
        );
        assert_eq!(body["errors"][0]["loc"], json!(["body", "name"]));
        let res = c.get("/boom").send().await;
        assert_eq!(res.status(), 500);
        assert_eq!(res.json_value()["title"], "Internal Server Error");
        let res = c.get("/items/2").send().await;
        assert_eq!(
            (res.header("x-why"), res.json_value()["detail"].clone()),
            (Some("gone"), json!("No such item"))
        );
        // A flood of errors stays capped.
        let res = c
            .post("/items/")
            .header("content-type", "application/json")
            .body(format!("[{}]", vec!["1"; 5000].join(",")))
            .send()
            .await;
        assert!(res.json_value()["errors"].as_array().unwrap().len() <= 100);
        assert_eq!(c.get("/items/1").send().await.status(), 200);
    });
    let doc = routes().problem_details().openapi_value().unwrap();
    let post = &doc["paths"]["/items/"]["post"]["responses"];
    assert_eq!(
        post["422"]["content"]["application/problem+json"]["schema"]["$ref"],
        "#/components/schemas/HTTPValidationProblem"
    );
    assert_eq!(
        post["413"]["content"]["application/problem+json"]["schema"]["$ref"],
        "#/components/schemas/HTTPProblem"
    );
    assert!(doc["components"]["schemas"]["HTTPProblem"]["properties"]["status"].is_object());
}
