//! FastAPI conformance, app 09 (`tests/conformance/fastapi/apps/09_headers_cookies.py`):
//! header parameters (underscore to hyphen, required, repeated, constrained int), cookie
//! parameters (optional, defaulted, required int), and a response that sets a cookie and
//! a custom header.

use ferrapi::prelude::*;
use ferrapi_tests::conformance::SpecOptions;
use serde_json::{json, Value};

const APP: &str = "09_headers_cookies";

#[get("/whoami")]
async fn whoami(
    #[header] x_request_id: String,
    #[header] user_agent: Option<String>,
    #[header] x_tag: Option<Vec<String>>,
) -> Json<Value> {
    Json(json!({"x_request_id": x_request_id, "user_agent": user_agent, "x_tag": x_tag}))
}

#[get("/versioned")]
async fn versioned(#[header(ge = 1, le = 3)] x_api_version: i64) -> Json<Value> {
    Json(json!({ "version": x_api_version }))
}

#[get("/session")]
async fn session(
    #[cookie] session_id: Option<String>,
    #[cookie(default = "light")] theme: String,
) -> Json<Value> {
    Json(json!({"session_id": session_id, "theme": theme}))
}

#[get("/tracked")]
async fn tracked(#[cookie] visitor: i64) -> Json<Value> {
    Json(json!({ "visitor": visitor }))
}

// FastAPI's `response.set_cookie(...)` and `response.headers[...]` become headers returned
// next to the body (axum's `([(name, value); N], body)`).
#[post("/remember")]
async fn remember(
    #[query(default = "dark")] theme: String,
) -> ([(&'static str, String); 2], Json<Value>) {
    (
        [
            ("set-cookie", format!("theme={theme}; Path=/; SameSite=lax")),
            ("x-remembered", "yes".to_string()),
        ],
        Json(json!({ "stored": theme })),
    )
}

fn app() -> App {
    App::new().routes(routes![whoami, versioned, session, tracked, remember])
}

ferrapi_tests::conformance_tests!(SpecOptions::with_metadata());
