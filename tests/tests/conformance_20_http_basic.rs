//! FastAPI conformance, app 20 (`tests/conformance/fastapi/apps/20_http_basic.py`):
//! HTTP Basic with FastAPI's defaults (401 `WWW-Authenticate: Basic` for a missing,
//! malformed or foreign credential), a password containing a colon checked in constant
//! time, and an optional scheme with a realm and its own scheme name.

use ferrapi::extract::AppState;
use ferrapi::prelude::*;
use ferrapi::security::{constant_time_eq, Auth, Authenticate, BasicConfig, HttpBasic};
use ferrapi_tests::conformance::SpecOptions;
use serde_json::{json, Value};

const APP: &str = "20_http_basic";

/// FastAPI's `HTTPBasic(description="Username and password")`.
struct Basic;
impl BasicConfig for Basic {
    const DESCRIPTION: Option<&'static str> = Some("Username and password");
}

/// FastAPI's `HTTPBasic(realm="vault", scheme_name="VaultBasic", auto_error=False)`; the
/// `auto_error=False` part is the `Option<...>` around the extractor.
struct Vault;
impl BasicConfig for Vault {
    const SCHEME_NAME: &'static str = "VaultBasic";
    const REALM: Option<&'static str> = Some("vault");
}

/// The `checked_user` dependency: the only account is `admin` / `s3cret:colon`.
struct Admin(String);

impl Authenticate for Admin {
    type Credentials = HttpBasic<Basic>;

    async fn authenticate(creds: Self::Credentials, _state: &AppState) -> Result<Self, HttpError> {
        let good_user = constant_time_eq(creds.username.as_bytes(), b"admin");
        let good_pass = constant_time_eq(creds.password.as_bytes(), b"s3cret:colon");
        if !(good_user && good_pass) {
            return Err(HttpError::unauthorized("Incorrect username or password")
                .with_header("www-authenticate", "Basic"));
        }
        Ok(Admin(creds.username.clone()))
    }
}

#[get("/whoami")]
async fn whoami(Auth(user): Auth<Admin>) -> Json<Value> {
    Json(json!({ "username": user.0 }))
}

#[get("/raw")]
async fn raw(creds: HttpBasic<Basic>) -> Json<Value> {
    Json(json!({"username": creds.username, "password": creds.password}))
}

#[get("/vault")]
async fn vault(creds: Option<HttpBasic<Vault>>) -> Json<Value> {
    match creds {
        None => Json(json!({ "guest": true })),
        Some(c) => Json(json!({"guest": false, "username": c.username})),
    }
}

fn app() -> App {
    App::new().routes(routes![whoami, raw, vault])
}

ferrapi_tests::conformance_tests!(SpecOptions::with_metadata());
