//! Route options that only document: `body(...)` examples and extra response media types.

use ferrapi::prelude::*;
use serde_json::{json, Value};

#[model]
struct Note {
    text: String,
}

const LIMIT: i64 = 3;

#[post(
    "/notes/",
    body(
        examples = [json!({"text": "hello"}), Note { text: "typed".into() }],
        openapi_examples(
            short(summary = "Short", value = json!({"text": "hi"})),
            remote(description = "Kept elsewhere", external_value = "https://example.com/n.json"),
            r#long(value = json!({"text": "x".repeat(LIMIT as usize)})),
        ),
    ),
    responses(
        201 = (String, "The note, as JSON or plain text", "text/plain"),
        409 = (Note, "Already there", "application/xml"),
    ),
    status = 201
)]
async fn add(note: Json<Note>) -> Json<Note> {
    note
}

#[post("/signin", body(openapi_examples(kay(value = json!({"login": "kay"})))))]
async fn signin(#[form] login: String) -> Json<String> {
    Json(login)
}

fn doc() -> Value {
    App::new()
        .routes(routes![add, signin])
        .openapi_value()
        .unwrap()
}

#[test]
fn body_examples_are_written_on_the_media_type_and_schema() {
    let doc = doc();
    ferrapi_tests::export_doc(env!("CARGO_TARGET_TMPDIR"), "route_docs", &doc);
    let media = &doc["paths"]["/notes/"]["post"]["requestBody"]["content"]["application/json"];
    assert_eq!(
        media["schema"],
        json!({"$ref": "#/components/schemas/Note", "examples": [{"text": "hello"}, {"text": "typed"}]})
    );
    assert_eq!(
        media["examples"],
        json!({
            "short": {"summary": "Short", "value": {"text": "hi"}},
            "remote": {"description": "Kept elsewhere", "externalValue": "https://example.com/n.json"},
            "long": {"value": {"text": "xxx"}},
        })
    );
    // The component itself is untouched.
    assert!(doc["components"]["schemas"]["Note"]
        .get("examples")
        .is_none());
    // Form fields: the examples go on the form's media type.
    let form = &doc["paths"]["/signin"]["post"]["requestBody"]["content"]
        ["application/x-www-form-urlencoded"];
    assert_eq!(
        form["examples"],
        json!({"kay": {"value": {"login": "kay"}}})
    );
    assert_eq!(form["schema"]["$ref"], "#/components/schemas/Body_signin");
}

#[test]
fn a_response_can_add_media_types() {
    let doc = doc();
    let r = &doc["paths"]["/notes/"]["post"]["responses"];
    assert_eq!(r["201"]["description"], "The note, as JSON or plain text");
    assert_eq!(
        r["201"]["content"],
        json!({
            "application/json": {"schema": {"$ref": "#/components/schemas/Note"}},
            "text/plain": {"schema": {"type": "string"}},
        })
    );
    assert_eq!(
        r["409"],
        json!({"description": "Already there", "content": {"application/xml": {"schema": {"$ref": "#/components/schemas/Note"}}}})
    );
}

// `format = "..."` on a model field, a parameter and a form field (FastAPI's
// `json_schema_extra={"format": "password"}`).
#[model]
struct Account {
    #[field(format = "password")]
    secret: String,
    #[field(format = "email")]
    email: Option<String>,
}

#[post("/login")]
async fn login(
    #[header(format = "uuid")] x_trace: Option<String>,
    #[form(format = "password")] pin: String,
    #[form(format = "password")] recovery: Option<String>,
) -> Json<Value> {
    Json(json!({"trace": x_trace, "pin": pin.len(), "recovery": recovery.is_some()}))
}

#[post("/accounts")]
async fn create_account(account: Json<Account>) -> Json<Value> {
    Json(json!({"email": account.email}))
}

#[test]
fn formats_are_documented() {
    let doc = App::new()
        .routes(routes![login, create_account])
        .openapi_value()
        .unwrap();
    ferrapi_tests::export_doc(env!("CARGO_TARGET_TMPDIR"), "route_docs_formats", &doc);
    let s = &doc["components"]["schemas"];
    assert_eq!(s["Account"]["properties"]["secret"]["format"], "password");
    assert_eq!(s["Account"]["properties"]["email"]["format"], "email");
    let p = &doc["paths"]["/login"]["post"]["parameters"][0];
    assert_eq!(p["name"], "x-trace");
    assert_eq!(p["schema"]["format"], "uuid");
    let body = &s["Body_login"]["properties"];
    assert_eq!(
        body["pin"],
        json!({"type": "string", "title": "Pin", "format": "password"})
    );
    assert_eq!(body["recovery"]["format"], "password");
    assert_eq!(
        body["recovery"]["anyOf"],
        json!([{"type": "string"}, {"type": "null"}])
    );
}
