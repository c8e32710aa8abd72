//! FastAPI conformance, app 37 (`tests/conformance/fastapi/apps/37_docs_ui.py`): Swagger UI
//! configured as FastAPI's `swagger_ui_parameters`, `swagger_ui_init_oauth` and
//! `swagger_ui_oauth2_redirect_url` configure it, with an OAuth2 authorization-code scheme
//! for the Authorize dialog to use.

use ferrapi::prelude::*;
use ferrapi::security::{OAuth2AuthorizationCodeBearer, OAuth2AuthorizationCodeConfig};
use ferrapi::testing::TestClient;
use ferrapi_tests::conformance::SpecOptions;
use serde_json::{json, Value};

const APP: &str = "37_docs_ui";

/// `OAuth2AuthorizationCodeBearer(authorizationUrl=..., tokenUrl=..., scopes=...)`.
struct Provider;
impl OAuth2AuthorizationCodeConfig for Provider {
    const AUTHORIZATION_URL: &'static str = "https://auth.example.com/authorize";
    const TOKEN_URL: &'static str = "https://auth.example.com/token";
    const SCOPES: &'static [(&'static str, &'static str)] =
        &[("read", "Read pets"), ("write", "Write pets")];
}

#[get("/pets/")]
async fn list_pets(_token: OAuth2AuthorizationCodeBearer<Provider>) -> Json<Value> {
    Json(json!([{"name": "Rex"}]))
}

fn app() -> App {
    App::new()
        .title("Docs UI")
        .swagger_ui_parameters(json!({
            "syntaxHighlight": false,
            "deepLinking": false,
            "defaultModelsExpandDepth": -1,
            "docExpansion": "none",
            "filter": "pets",
        }))
        .swagger_ui_init_oauth(json!({
            "clientId": "docs-client",
            "appName": "Docs UI </script>",
            "usePkceWithAuthorizationCodeGrant": true,
            "scopes": "read write",
        }))
        .swagger_ui_oauth2_redirect_url(Some("/oauth/callback"))
        .routes(routes![list_pets])
}

ferrapi_tests::conformance_tests!(SpecOptions::with_metadata());

/// What FastAPI's page sets (read off the recorded app): its defaults, the parameters over
/// them, `initOAuth` with `<` escaped, the redirect page at the configured address.
#[tokio::test]
async fn the_page_is_configured_as_fastapis() {
    let c = TestClient::new(app());
    let init = c.get("/docs/swagger-initializer.js").send().await.text();
    for want in [
        r##"dom_id: "#swagger-ui""##,
        "deepLinking: true",
        "showExtensions: true",
        "showCommonExtensions: true",
        r#"oauth2RedirectUrl: new URL("../oauth/callback", window.location.href).href"#,
        r#"}, {"syntaxHighlight":false,"deepLinking":false,"defaultModelsExpandDepth":-1,"docExpansion":"none","filter":"pets"}));"#,
        r#"window.ui.initOAuth({"clientId":"docs-client","appName":"Docs UI \u003c/script>","usePkceWithAuthorizationCodeGrant":true,"scopes":"read write"});"#,
    ] {
        assert!(init.contains(want), "{want} not in\n{init}");
    }
    // The redirect page at the configured address carries its script (no file is next to
    // it); the default address answers 404, as FastAPI's does.
    let page = c.get("/oauth/callback").send().await;
    assert_eq!(page.status(), 200);
    assert!(page.text().contains("swaggerUIRedirectOauth2"));
    assert_eq!(c.get("/docs/oauth2-redirect").send().await.status(), 404);
    assert_eq!(
        c.get("/docs/oauth2-redirect.html").send().await.status(),
        404
    );
}

/// By default the redirect page is at FastAPI's address, next to the page (its file name
/// works too), and no parameters or `initOAuth` are written.
#[tokio::test]
async fn defaults_serve_the_redirect_page_at_fastapis_address() {
    let c = TestClient::new(App::new().routes(routes![list_pets]));
    let init = c.get("/docs/swagger-initializer.js").send().await.text();
    assert!(init
        .contains(r#"oauth2RedirectUrl: new URL("oauth2-redirect", window.location.href).href"#));
    assert!(init.contains("}, {}));"));
    assert!(!init.contains("initOAuth"));
    for path in ["/docs/oauth2-redirect", "/docs/oauth2-redirect.html"] {
        let res = c.get(path).send().await;
        assert_eq!(res.status(), 200, "{path}");
        assert!(res.text().contains("oauth2-redirect.js"));
    }
    let off = TestClient::new(
        App::new()
            .swagger_ui_oauth2_redirect_url(None)
            .routes(routes![list_pets]),
    );
    let init = off.get("/docs/swagger-initializer.js").send().await.text();
    assert!(!init.contains("oauth2RedirectUrl"));
    assert_eq!(off.get("/docs/oauth2-redirect").send().await.status(), 404);
}

#[test]
#[should_panic(expected = "takes an absolute path of this app")]
fn the_redirect_page_needs_an_absolute_path() {
    let _ = App::new().swagger_ui_oauth2_redirect_url(Some("https://auth.example.com/cb"));
}

#[test]
#[should_panic(expected = "takes a JSON object of Swagger UI keys")]
fn parameters_must_be_an_object() {
    let _ = App::new().swagger_ui_parameters(json!(["syntaxHighlight", false]));
}

#[get("/maybe")]
async fn maybe(token: Option<OAuth2AuthorizationCodeBearer<Provider>>) -> Json<Value> {
    Json(json!({ "token": token.as_ref().map(|t| t.token()) }))
}

/// Whatever is not a non-empty bearer token is FastAPI's 401 with `WWW-Authenticate:
/// Bearer` (or `None` for an optional scheme), and the app keeps serving.
#[tokio::test]
async fn a_bad_authorization_header_is_refused() {
    let c = TestClient::new(App::new().routes(routes![list_pets, maybe]));
    let long = format!("Bearer{}", " ".repeat(4000));
    for bad in [
        "",
        "Bearer",
        "Bearer ",
        "Basic YTpi",
        "Token abc",
        long.as_str(),
    ] {
        let mut req = c.get("/pets/");
        if !bad.is_empty() {
            req = req.header("authorization", bad);
        }
        let res = req.send().await;
        assert_eq!(res.status(), 401, "{bad:?}");
        assert_eq!(res.header("www-authenticate"), Some("Bearer"));
        assert_eq!(res.json::<Value>(), json!({"detail": "Not authenticated"}));
    }
    let res = c
        .get("/pets/")
        .header("authorization", "BEARER t0k")
        .send()
        .await;
    assert_eq!(res.status(), 200);
    let res = c.get("/maybe").send().await;
    assert_eq!(res.json::<Value>(), json!({"token": null}));
    let res = c
        .get("/maybe")
        .header("authorization", "Bearer abc")
        .send()
        .await;
    assert_eq!(res.json::<Value>(), json!({"token": "abc"}));
}
