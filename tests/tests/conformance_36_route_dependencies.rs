//! FastAPI conformance, app 36 (`tests/conformance/fastapi/apps/36_route_dependencies.py`):
//! a route's `dependencies = [...]` (FastAPI's `dependencies=[Depends(verify_token)]`),
//! run and documented although the handler does not take their values, and a dependency
//! reading a cookie.

use ferrapi::prelude::*;
use ferrapi_tests::conformance::SpecOptions;
use serde_json::{json, Value};

const APP: &str = "36_route_dependencies";

#[derive(Clone)]
struct VerifyToken;

#[dependency]
async fn verify_token(#[header] x_token: String) -> Result<VerifyToken, HttpError> {
    if x_token != "fake-super-secret-token" {
        return Err(HttpError::bad_request("X-Token header invalid"));
    }
    Ok(VerifyToken)
}

#[derive(Clone)]
struct VerifyKey(#[allow(dead_code)] String);

#[dependency]
async fn verify_key(#[header] x_key: String) -> Result<VerifyKey, HttpError> {
    if x_key != "fake-super-secret-key" {
        return Err(HttpError::bad_request("X-Key header invalid"));
    }
    Ok(VerifyKey(x_key))
}

#[derive(Clone)]
struct Session(String);

#[dependency]
async fn session(#[cookie] session_id: Option<String>) -> Session {
    Session(session_id.unwrap_or_else(|| "anonymous".into()))
}

#[get("/items/", dependencies = [VerifyToken, VerifyKey])]
async fn read_items() -> Json<Value> {
    Json(json!([{"item": "Foo"}, {"item": "Bar"}]))
}

#[get("/me")]
async fn me(user: Session) -> Json<Value> {
    Json(json!({"user": user.0}))
}

fn app() -> App {
    App::new().routes(routes![read_items, me])
}

ferrapi_tests::conformance_tests!(SpecOptions::with_metadata());
