//! The auth example end to end, with hostile credentials: each is answered as documented,
//! none reaches a handler, and the server keeps serving.

use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use ferrapi::security::{Claims, Jwt};
use ferrapi::testing::{TestClient, TestResponse};
use serde_json::{json, Value};

/// The tests' own JWT secret: the app has none of its own in the source any more.
const SECRET: &str = "auth-example-tests-secret-0123456789abcdef";

fn test_app() -> ferrapi::App {
    auth::app_with(auth::Ctx::with_secret(SECRET))
}

fn client() -> TestClient {
    // Hashing the seeded passwords is deliberately slow: build the app once.
    static APP: OnceLock<TestClient> = OnceLock::new();
    APP.get_or_init(|| TestClient::new(test_app())).clone()
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Logs in, each time from a new address: the tests share one app, and its log-in route
/// allows ten attempts a minute per address.
async fn login(c: &TestClient, user: &str, pw: &str, scope: Option<&str>) -> TestResponse {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let from = std::net::SocketAddr::from(([10, 0, (n >> 8) as u8, n as u8], 4000));
    let mut fields = vec![("username", user), ("password", pw)];
    if let Some(s) = scope {
        fields.push(("scope", s));
    }
    c.post("/token")
        .form(&fields)
        .client_addr(from)
        .send()
        .await
}

async fn token(c: &TestClient, user: &str, pw: &str, scope: Option<&str>) -> String {
    let res = login(c, user, pw, scope).await;
    assert_eq!(res.status(), 200, "{}", res.text());
    res.json_value()["access_token"]
        .as_str()
        .unwrap()
        .to_string()
}

fn assert_401(res: &TestResponse, detail: &str, challenge: &str) {
    assert_eq!(res.status(), 401, "{}", res.text());
    assert_eq!(res.json_value(), json!({ "detail": detail }));
    assert_eq!(res.header("www-authenticate"), Some(challenge));
}

#[test]
fn password_flow_grants_the_right_scopes() {
    rt().block_on(async {
        let c = client();
        let res = login(&c, "alice", "wonderland", None).await;
        assert_eq!(res.json_value()["token_type"], "bearer");
        let t = token(&c, "alice", "wonderland", None).await;
        let me = c.get("/users/me").bearer(&t).send().await;
        assert_eq!(
            me.json_value(),
            json!({"username": "alice", "scopes": ["items:read", "items:write"]})
        );
        // Only requested scopes the user has are granted.
        let t = token(&c, "bob", "builder", Some("items:read items:write admin")).await;
        let me = c.get("/users/me").bearer(&t).send().await;
        assert_eq!(me.json_value()["scopes"], json!(["items:read"]));
    });
}

#[test]
fn bad_logins() {
    rt().block_on(async {
        let c = client();
        assert_401(
            &login(&c, "alice", "wrong", None).await,
            "Incorrect username or password",
            "Bearer",
        );
        assert_401(
            &login(&c, "mallory", "wonderland", None).await,
            "Incorrect username or password",
            "Bearer",
        );
        let res = c.post("/token").form(&[("username", "alice")]).send().await;
        assert_eq!(res.status(), 422);
        assert_eq!(
            res.json_value()["detail"][0]["loc"],
            json!(["body", "password"])
        );
        let res = c
            .post("/token")
            .form(&[
                ("username", "alice"),
                ("password", "wonderland"),
                ("grant_type", "client_credentials"),
            ])
            .send()
            .await;
        assert_eq!(res.status(), 422);
        assert_eq!(
            res.json_value()["detail"][0]["type"],
            "string_pattern_mismatch"
        );
        let res = c
            .post("/token")
            .json(&json!({"username": "alice", "password": "wonderland"}))
            .send()
            .await;
        assert_eq!(res.status(), 422, "a JSON body is not the password form");
    });
}

#[test]
fn scopes_are_enforced_with_the_needed_scopes_in_the_challenge() {
    rt().block_on(async {
        let c = client();
        let bob = token(&c, "bob", "builder", None).await;
        assert_eq!(c.get("/items/").bearer(&bob).send().await.status(), 200);
        let res = c
            .post("/items/")
            .bearer(&bob)
            .json(&json!({"name": "kite"}))
            .send()
            .await;
        assert_401(
            &res,
            "Not enough permissions",
            "Bearer scope=\"items:write\"",
        );
        let alice = token(&c, "alice", "wonderland", None).await;
        let res = c
            .post("/items/")
            .bearer(&alice)
            .json(&json!({"name": "kite"}))
            .send()
            .await;
        assert_eq!(res.status(), 201);
        assert_eq!(res.json_value(), json!({"name": "kite", "owner": "alice"}));
        let res = c.get("/admin/stats").bearer(&alice).send().await;
        assert_401(&res, "Not enough permissions", "Bearer scope=\"admin\"");
        let admin = token(&c, "admin", "change-me", None).await;
        let res = c.get("/admin/stats").bearer(&admin).send().await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.json_value()["users"], 3);
        // A token limited to fewer scopes than the user has.
        let narrow = token(&c, "admin", "change-me", Some("items:read")).await;
        assert_eq!(
            c.get("/admin/stats").bearer(&narrow).send().await.status(),
            401
        );
    });
}

fn b64(v: &Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap())
}

#[test]
fn hostile_tokens_never_reach_the_handler() {
    rt().block_on(async {
        let c = client();
        let claims = |exp: u64| Claims {
            sub: "alice".into(),
            exp,
            iat: now(),
            nbf: None,
            iss: Some("ferrapi-auth-example".into()),
            aud: None,
            scope: "items:read items:write admin".into(),
        };
        // Missing header, wrong scheme, empty token.
        assert_401(
            &c.get("/users/me").send().await,
            "Not authenticated",
            "Bearer",
        );
        let res = c
            .get("/users/me")
            .header("authorization", "Basic YWxpY2U6d29uZGVybGFuZA==")
            .send()
            .await;
        assert_401(&res, "Not authenticated", "Bearer");
        let res = c
            .get("/users/me")
            .header("authorization", "Bearer ")
            .send()
            .await;
        assert_401(&res, "Not authenticated", "Bearer");
        let bad = "Could not validate credentials";
        // Garbage.
        assert_401(
            &c.get("/users/me").bearer("garbage").send().await,
            bad,
            "Bearer",
        );
        // alg: none.
        let none = format!(
            "{}.{}.",
            b64(&json!({"alg": "none", "typ": "JWT"})),
            b64(&serde_json::to_value(claims(now() + 600)).unwrap())
        );
        assert_401(
            &c.get("/admin/stats").bearer(&none).send().await,
            bad,
            "Bearer",
        );
        // Tampered signature / tampered payload.
        let good = Jwt::hs256(SECRET.as_bytes())
            .issuer("ferrapi-auth-example")
            .sign(&claims(now() + 600))
            .unwrap();
        assert_eq!(c.get("/users/me").bearer(&good).send().await.status(), 200);
        let mut parts: Vec<String> = good.split('.').map(String::from).collect();
        let mut payload = serde_json::to_value(claims(now() + 600)).unwrap();
        payload["sub"] = "admin".into();
        parts[1] = b64(&payload);
        assert_401(
            &c.get("/users/me").bearer(&parts.join(".")).send().await,
            bad,
            "Bearer",
        );
        let sig_flipped = format!("{}x", &good[..good.len() - 1]);
        assert_401(
            &c.get("/users/me").bearer(&sig_flipped).send().await,
            bad,
            "Bearer",
        );
        // Expired.
        let expired = Jwt::hs256(SECRET.as_bytes())
            .sign(&claims(now() - 120))
            .unwrap();
        assert_401(
            &c.get("/users/me").bearer(&expired).send().await,
            bad,
            "Bearer",
        );
        // Another key, another issuer, another algorithm family.
        let other_key = Jwt::hs256(b"another secret entirely, 32 bytes!!")
            .sign(&claims(now() + 600))
            .unwrap();
        assert_401(
            &c.get("/users/me").bearer(&other_key).send().await,
            bad,
            "Bearer",
        );
        let mut other_iss = claims(now() + 600);
        other_iss.iss = Some("someone-else".into());
        let t = Jwt::hs256(SECRET.as_bytes()).sign(&other_iss).unwrap();
        assert_401(&c.get("/users/me").bearer(&t).send().await, bad, "Bearer");
        let hs512 = Jwt::hs512(SECRET.as_bytes())
            .sign(&claims(now() + 600))
            .unwrap();
        assert_401(
            &c.get("/users/me").bearer(&hs512).send().await,
            bad,
            "Bearer",
        );
        // A token for a user that does not exist.
        let mut ghost = claims(now() + 600);
        ghost.sub = "ghost".into();
        let t = Jwt::hs256(SECRET.as_bytes()).sign(&ghost).unwrap();
        assert_401(&c.get("/users/me").bearer(&t).send().await, bad, "Bearer");
        // The scheme is matched in any case, as FastAPI does.
        let res = c
            .get("/users/me")
            .header("authorization", &format!("bearer {good}"))
            .send()
            .await;
        assert_eq!(res.status(), 200);
        // Nothing was created by refused requests; the server keeps serving.
        let res = c.get("/items/").bearer(&good).send().await;
        assert_eq!(res.status(), 200);
    });
}

#[test]
fn api_key_router() {
    rt().block_on(async {
        let c = client();
        assert_401(
            &c.get("/internal/health").send().await,
            "Not authenticated",
            "APIKey",
        );
        let res = c
            .get("/internal/health")
            .header("x-api-key", "wrong")
            .send()
            .await;
        assert_eq!(res.status(), 403);
        assert_eq!(res.json_value(), json!({"detail": "Invalid API key"}));
        // The right key in the wrong place.
        let res = c
            .get("/internal/health?X-API-Key=internal-key")
            .send()
            .await;
        assert_eq!(res.status(), 401);
        let res = c
            .get("/internal/health")
            .header("cookie", "X-API-Key=internal-key")
            .send()
            .await;
        assert_eq!(res.status(), 401);
        let res = c
            .get("/internal/health")
            .header("x-api-key", "internal-key")
            .send()
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.json_value(), json!({"status": "ok"}));
    });
}

#[test]
fn security_is_documented_where_it_is_enforced() {
    let doc = test_app().openapi_value().unwrap();
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["OAuth2PasswordBearer"]["type"], "oauth2");
    assert_eq!(
        schemes["OAuth2PasswordBearer"]["flows"]["password"]["tokenUrl"],
        "token"
    );
    assert_eq!(
        schemes["OAuth2PasswordBearer"]["flows"]["password"]["scopes"]["admin"],
        "Administer the service."
    );
    assert_eq!(
        schemes["APIKeyHeader"],
        json!({"type": "apiKey", "in": "header", "name": "X-API-Key"})
    );
    let paths = &doc["paths"];
    assert_eq!(
        paths["/items/"]["get"]["security"],
        json!([{"OAuth2PasswordBearer": ["items:read"]}])
    );
    assert_eq!(
        paths["/items/"]["post"]["security"],
        json!([{"OAuth2PasswordBearer": ["items:write"]}])
    );
    assert_eq!(
        paths["/admin/stats"]["get"]["security"],
        json!([{"OAuth2PasswordBearer": ["admin"]}])
    );
    assert_eq!(
        paths["/users/me"]["get"]["security"],
        json!([{"OAuth2PasswordBearer": []}])
    );
    assert_eq!(
        paths["/internal/health"]["get"]["security"],
        json!([{"APIKeyHeader": []}])
    );
    assert!(paths["/token"]["post"].get("security").is_none());
    let form =
        &paths["/token"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"];
    assert_eq!(
        form["schema"]["$ref"],
        "#/components/schemas/OAuth2PasswordRequestForm"
    );
    let f = &doc["components"]["schemas"]["OAuth2PasswordRequestForm"]["properties"];
    assert_eq!(f["password"]["format"], "password");
    assert_eq!(
        f["grant_type"]["anyOf"][0]["pattern"]
            .as_str()
            .or(f["grant_type"]["pattern"].as_str()),
        Some("^password$")
    );
}

/// A route's own scopes are checked even when authentication comes from a router guard,
/// and show in the guard's security requirement.
#[test]
fn route_scopes_are_enforced_under_a_router_guard() {
    use ferrapi::prelude::*;
    use ferrapi::security::Auth;

    #[get("/reports", scopes = ["admin"])]
    async fn reports() -> String {
        "secret".into()
    }
    #[get("/open")]
    async fn open() -> String {
        "open".into()
    }
    let guarded = ferrapi::Router::new()
        .prefix("/g")
        .guard::<Auth<auth::User>>()
        .routes(routes![reports, open]);
    let app = test_app().include(guarded);
    let doc = app.openapi_value().unwrap();
    assert_eq!(
        doc["paths"]["/g/reports"]["get"]["security"],
        json!([{"OAuth2PasswordBearer": ["admin"]}])
    );
    assert_eq!(
        doc["paths"]["/g/open"]["get"]["security"],
        json!([{"OAuth2PasswordBearer": []}])
    );
    rt().block_on(async {
        let c = TestClient::new(app);
        let bob = token(&c, "bob", "builder", None).await;
        assert_401(
            &c.get("/g/reports").bearer(&bob).send().await,
            "Not enough permissions",
            "Bearer scope=\"admin\"",
        );
        assert_eq!(c.get("/g/open").bearer(&bob).send().await.status(), 200);
        let admin = token(&c, "admin", "change-me", None).await;
        assert_eq!(
            c.get("/g/reports").bearer(&admin).send().await.json_value(),
            json!("secret")
        );
    });
}

/// Password guessing from one address stops at the log-in rate limit (ten a minute), with
/// `Retry-After`; the limit is in the document.
#[test]
fn password_guessing_is_rate_limited() {
    rt().block_on(async {
        let c = TestClient::new(test_app());
        let from: std::net::SocketAddr = "198.51.100.7:5000".parse().unwrap();
        let guess = || {
            c.post("/token")
                .form(&[("username", "alice"), ("password", "guess")])
                .client_addr(from)
                .send()
        };
        for _ in 0..10 {
            assert_eq!(guess().await.status(), 401);
        }
        let res = guess().await;
        assert_eq!(res.status(), 429);
        assert_eq!(res.json_value(), json!({"detail": "Too Many Requests"}));
        assert!(res.header("retry-after").is_some());
        let doc = c.get("/openapi.json").send().await.json_value();
        assert!(doc["paths"]["/token"]["post"]["responses"]["429"].is_object());
    });
}
