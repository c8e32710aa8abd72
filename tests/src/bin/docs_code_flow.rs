//! A server for the browser check of Swagger UI's OAuth2 authorization-code flow
//! (`tests/e2e/swagger_code_flow.mjs`, run by `.ci/run`): an app whose `/me` takes an
//! `OAuth2AuthorizationCodeBearer`, configured as FastAPI's `swagger_ui_init_oauth` and
//! `swagger_ui_parameters` configure it, and next to it a stand-in for the identity
//! provider (`/provider/authorize`, `/provider/token`) so the whole round trip — sign-in
//! page, redirect page, code for token with PKCE — stays on 127.0.0.1. The stand-in
//! approves every sign-in; it exists for this check only.
//!
//! `docs_code_flow serve --host 127.0.0.1 --port PORT`

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use base64::Engine as _;
use ferrapi::prelude::*;
use ferrapi::security::{OAuth2AuthorizationCodeBearer, OAuth2AuthorizationCodeConfig};
use sha2::Digest as _;

struct Provider;
impl OAuth2AuthorizationCodeConfig for Provider {
    // Absolute paths: Swagger UI resolves a relative sign-in address against the page.
    const AUTHORIZATION_URL: &'static str = "/provider/authorize";
    const TOKEN_URL: &'static str = "/provider/token";
    const SCOPES: &'static [(&'static str, &'static str)] = &[("me", "Read who I am")];
}

/// What a code was issued for: client, redirect address, PKCE challenge.
struct Grant {
    client_id: String,
    redirect_uri: String,
    challenge: String,
}

static GRANTS: LazyLock<Mutex<HashMap<String, Grant>>> = LazyLock::new(Default::default);

/// The provider's sign-in page, approving at once: back to the redirect page with a code.
#[get("/provider/authorize", include_in_schema = false)]
async fn authorize(
    #[query] response_type: String,
    #[query] client_id: String,
    #[query] redirect_uri: String,
    #[query] state: String,
    #[query] code_challenge: String,
    #[query] code_challenge_method: String,
) -> Result<axum::response::Response, HttpError> {
    if response_type != "code" || client_id != "docs-client" || code_challenge_method != "S256" {
        return Err(HttpError::bad_request("unsupported request"));
    }
    let code = uuid::Uuid::new_v4().simple().to_string();
    let query = serde_urlencoded::to_string([("code", code.as_str()), ("state", &state)])
        .expect("strings encode");
    let location = format!("{redirect_uri}?{query}");
    GRANTS.lock().unwrap().insert(
        code,
        Grant {
            client_id,
            redirect_uri,
            challenge: code_challenge,
        },
    );
    Ok(axum::response::IntoResponse::into_response(
        axum::response::Redirect::to(&location),
    ))
}

#[model]
struct TokenRequest {
    grant_type: String,
    code: String,
    redirect_uri: String,
    client_id: String,
    code_verifier: String,
}

/// The provider's token endpoint: a code, once, for the client and address it was issued
/// to, whose verifier hashes to the challenge.
#[post("/provider/token", include_in_schema = false)]
async fn token(form: Form<TokenRequest>) -> Result<Json<serde_json::Value>, HttpError> {
    let t = form.0;
    let grant = GRANTS.lock().unwrap().remove(&t.code);
    let Some(grant) = grant else {
        return Err(HttpError::bad_request("invalid_grant"));
    };
    let hashed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(t.code_verifier.as_bytes()));
    if t.grant_type != "authorization_code"
        || t.client_id != grant.client_id
        || t.redirect_uri != grant.redirect_uri
        || hashed != grant.challenge
    {
        return Err(HttpError::bad_request("invalid_grant"));
    }
    Ok(Json(serde_json::json!({
        "access_token": format!("token-for-{}", t.client_id),
        "token_type": "bearer",
    })))
}

/// The API's own operation, behind the scheme.
#[get("/me")]
async fn me(token: OAuth2AuthorizationCodeBearer<Provider>) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "token": token.token() }))
}

fn main() {
    App::new()
        .title("Code flow")
        .swagger_ui_init_oauth(serde_json::json!({
            "clientId": "docs-client",
            "usePkceWithAuthorizationCodeGrant": true,
        }))
        .swagger_ui_parameters(serde_json::json!({ "filter": true }))
        .routes(routes![authorize, token, me])
        .run();
}
