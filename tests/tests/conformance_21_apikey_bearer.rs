//! FastAPI conformance, app 21 (`tests/conformance/fastapi/apps/21_apikey_bearer.py`):
//! API keys in a header, an optional query parameter and a cookie, and an HTTP Bearer
//! scheme with a bearer format; a missing key is FastAPI's 401, a wrong one the app's 403.

use ferrapi::prelude::*;
use ferrapi::security::{
    constant_time_eq, ApiKeyConfig, ApiKeyCookie, ApiKeyHeader, ApiKeyQuery, BearerConfig,
    HttpBearer,
};
use ferrapi_tests::conformance::SpecOptions;
use serde_json::{json, Value};

const APP: &str = "21_apikey_bearer";

/// `APIKeyHeader(name="X-API-Key", description="Service key")`.
struct ServiceKey;
impl ApiKeyConfig for ServiceKey {
    const NAME: &'static str = "X-API-Key";
    const DESCRIPTION: Option<&'static str> = Some("Service key");
}

/// `APIKeyQuery(name="api_key", auto_error=False)`: optional through `Option<...>`.
struct QueryKey;
impl ApiKeyConfig for QueryKey {
    const NAME: &'static str = "api_key";
}

/// `APIKeyCookie(name="sid")`.
struct SessionCookie;
impl ApiKeyConfig for SessionCookie {
    const NAME: &'static str = "sid";
}

/// `HTTPBearer(bearerFormat="JWT", description="Opaque bearer token")`.
struct Token;
impl BearerConfig for Token {
    const BEARER_FORMAT: Option<&'static str> = Some("JWT");
    const DESCRIPTION: Option<&'static str> = Some("Opaque bearer token");
}

#[get("/service")]
async fn service(key: ApiKeyHeader<ServiceKey>) -> Result<Json<Value>, HttpError> {
    if !constant_time_eq(key.key().as_bytes(), b"k-123") {
        return Err(HttpError::forbidden("Invalid API key"));
    }
    Ok(Json(json!({ "key_ok": true })))
}

#[get("/maybe")]
async fn maybe(key: Option<ApiKeyQuery<QueryKey>>) -> Json<Value> {
    Json(json!({ "key": key.as_ref().map(|k| k.key()) }))
}

#[get("/cookie")]
async fn cookie_auth(sid: ApiKeyCookie<SessionCookie>) -> Json<Value> {
    Json(json!({ "sid": sid.key() }))
}

#[get("/bearer")]
async fn bearer_auth(creds: HttpBearer<Token>) -> Json<Value> {
    Json(json!({"scheme": creds.scheme, "credentials": creds.credentials}))
}

fn app() -> App {
    App::new().routes(routes![service, maybe, cookie_auth, bearer_auth])
}

ferrapi_tests::conformance_tests!(SpecOptions::with_metadata());
