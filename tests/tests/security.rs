//! Each security scheme with hostile input: missing, malformed and wrong credentials are
//! answered with FastAPI's status, body and `WWW-Authenticate`, and documented.

use ferrapi::prelude::*;
use ferrapi::security::{
    constant_time_eq, ApiKeyConfig, ApiKeyCookie, ApiKeyQuery, BasicConfig, BearerConfig,
    HttpBasic, HttpBearer, SecurityScopes,
};
use ferrapi::testing::TestClient;
use ferrapi_tests::block_on;
use serde_json::{json, Value};

struct Vault;
impl BasicConfig for Vault {
    const SCHEME_NAME: &'static str = "VaultBasic";
    const REALM: Option<&'static str> = Some("vault");
}

struct Jwtish;
impl BearerConfig for Jwtish {
    const BEARER_FORMAT: Option<&'static str> = Some("JWT");
    const DESCRIPTION: Option<&'static str> = Some("A JWT from /token");
}

struct QueryKey;
impl ApiKeyConfig for QueryKey {
    const NAME: &'static str = "api_key";
}

struct CookieKey;
impl ApiKeyConfig for CookieKey {
    const NAME: &'static str = "session";
}

#[get("/basic")]
async fn basic(creds: HttpBasic) -> Json<Value> {
    let ok = constant_time_eq(creds.username.as_bytes(), b"stanley")
        && constant_time_eq(creds.password.as_bytes(), b"swordfish:42");
    if !ok {
        return Json(json!({"ok": false}));
    }
    Json(json!({"ok": true, "username": creds.username}))
}

#[get("/vault")]
async fn vault(creds: Option<HttpBasic<Vault>>) -> Json<Value> {
    Json(json!({ "user": creds.map(|c| c.username.clone()) }))
}

#[get("/bearer")]
async fn bearer(creds: HttpBearer<Jwtish>) -> Json<Value> {
    Json(json!({"scheme": creds.scheme, "credentials": creds.credentials}))
}

#[get("/query-key")]
async fn query_key(key: Option<ApiKeyQuery<QueryKey>>) -> Json<Value> {
    Json(json!({ "key": key.map(|k| k.key().to_string()) }))
}

#[get("/cookie-key", scopes = ["read"])]
async fn cookie_key(key: ApiKeyCookie<CookieKey>, scopes: SecurityScopes) -> Json<Value> {
    Json(json!({ "key": key.key(), "scopes": scopes.scopes }))
}

fn app() -> App {
    App::new().routes(routes![basic, vault, bearer, query_key, cookie_key])
}

fn b64(s: &str) -> String {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let b = s.as_bytes();
    let mut out = String::new();
    for chunk in b.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &c)| acc | (c as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn not_authenticated(res: &ferrapi::testing::TestResponse, challenge: &str) {
    assert_eq!(res.status(), 401, "{}", res.text());
    assert_eq!(res.json_value(), json!({"detail": "Not authenticated"}));
    assert_eq!(res.header("www-authenticate"), Some(challenge));
}

#[test]
fn http_basic() {
    block_on(async {
        let c = TestClient::new(app());
        not_authenticated(&c.get("/basic").send().await, "Basic");
        let auth = |v: &str| c.get("/basic").header("authorization", v);
        not_authenticated(&auth("Bearer abc").send().await, "Basic");
        not_authenticated(&auth("Basic !!!not-base64!!!").send().await, "Basic");
        not_authenticated(
            &auth(&format!("Basic {}", b64("no-colon"))).send().await,
            "Basic",
        );
        let res = auth(&format!("Basic {}", b64("stanley:swordfish:42")))
            .send()
            .await;
        assert_eq!(
            res.json_value(),
            json!({"ok": true, "username": "stanley"}),
            "a colon in the password is kept"
        );
        let res = auth(&format!("Basic {}", b64("stanley:wrong")))
            .send()
            .await;
        assert_eq!(res.json_value(), json!({"ok": false}));
        // Optional with a realm: missing gives None, malformed is still a 401.
        assert_eq!(
            c.get("/vault").send().await.json_value(),
            json!({"user": null})
        );
        let res = c
            .get("/vault")
            .header("authorization", "Basic %%%")
            .send()
            .await;
        not_authenticated(&res, "Basic realm=\"vault\"");
        let res = c
            .get("/vault")
            .header("authorization", &format!("basic {}", b64("a:b")))
            .send()
            .await;
        assert_eq!(res.json_value(), json!({"user": "a"}));
    });
}

#[test]
fn http_bearer() {
    block_on(async {
        let c = TestClient::new(app());
        not_authenticated(&c.get("/bearer").send().await, "Bearer");
        not_authenticated(
            &c.get("/bearer")
                .header("authorization", "Token abc")
                .send()
                .await,
            "Bearer",
        );
        not_authenticated(
            &c.get("/bearer")
                .header("authorization", "Bearer")
                .send()
                .await,
            "Bearer",
        );
        let res = c
            .get("/bearer")
            .header("authorization", "bearer abc.def")
            .send()
            .await;
        assert_eq!(
            res.json_value(),
            json!({"scheme": "bearer", "credentials": "abc.def"})
        );
    });
}

#[test]
fn api_keys_in_query_and_cookie() {
    block_on(async {
        let c = TestClient::new(app());
        assert_eq!(
            c.get("/query-key").send().await.json_value(),
            json!({"key": null})
        );
        assert_eq!(
            c.get("/query-key?api_key=k1").send().await.json_value(),
            json!({"key": "k1"})
        );
        // In a header instead of the query: absent.
        let res = c.get("/query-key").header("api_key", "k1").send().await;
        assert_eq!(res.json_value(), json!({"key": null}));
        not_authenticated(&c.get("/cookie-key").send().await, "APIKey");
        not_authenticated(&c.get("/cookie-key?session=abc").send().await, "APIKey");
        let res = c
            .get("/cookie-key")
            .header("cookie", "session=abc")
            .send()
            .await;
        assert_eq!(res.json_value(), json!({"key": "abc", "scopes": ["read"]}));
    });
}

#[test]
fn schemes_are_documented() {
    let doc = app().openapi_value().unwrap();
    let s = &doc["components"]["securitySchemes"];
    assert_eq!(s["HTTPBasic"], json!({"type": "http", "scheme": "basic"}));
    assert_eq!(s["VaultBasic"], json!({"type": "http", "scheme": "basic"}));
    assert_eq!(
        s["HTTPBearer"],
        json!({"type": "http", "scheme": "bearer", "bearerFormat": "JWT", "description": "A JWT from /token"})
    );
    assert_eq!(
        s["APIKeyQuery"],
        json!({"type": "apiKey", "in": "query", "name": "api_key"})
    );
    assert_eq!(
        s["APIKeyCookie"],
        json!({"type": "apiKey", "in": "cookie", "name": "session"})
    );
    let p = &doc["paths"];
    assert_eq!(p["/vault"]["get"]["security"], json!([{"VaultBasic": []}]));
    assert_eq!(
        p["/cookie-key"]["get"]["security"],
        json!([{"APIKeyCookie": []}])
    );
    // A security scheme adds no parameters and no 422.
    assert!(p["/basic"]["get"].get("parameters").is_none());
    assert!(p["/basic"]["get"]["responses"].get("422").is_none());
}

#[test]
fn app_level_guard_applies_to_every_route() {
    let app = App::new().guard::<HttpBasic>().routes(routes![query_key]);
    let doc = app.openapi_value().unwrap();
    assert_eq!(
        doc["paths"]["/query-key"]["get"]["security"],
        json!([{"HTTPBasic": []}, {"APIKeyQuery": []}])
    );
    block_on(async {
        let c = TestClient::new(App::new().guard::<HttpBasic>().routes(routes![query_key]));
        not_authenticated(&c.get("/query-key").send().await, "Basic");
        let res = c
            .get("/query-key?api_key=z")
            .header("authorization", &format!("Basic {}", b64("u:p")))
            .send()
            .await;
        assert_eq!(res.json_value(), json!({"key": "z"}));
    });
}

#[test]
fn jwt_refuses_other_audiences_issuers_keys_algorithms_and_expired_tokens() {
    use ferrapi::security::{Claims, Jwt, JwtError};
    use std::time::Duration;
    let jwt = Jwt::hs256(b"0123456789abcdef0123456789abcdef")
        .issuer("shop")
        .audience("shop-api");
    let t = jwt
        .issue("ada", &["read"], Duration::from_secs(60))
        .unwrap();
    assert_eq!(jwt.verify::<Claims>(&t).unwrap().sub, "ada");
    let other_aud = Jwt::hs256(b"0123456789abcdef0123456789abcdef")
        .issuer("shop")
        .audience("billing");
    assert_eq!(
        other_aud.verify::<Claims>(&t).unwrap_err(),
        JwtError::WrongAudience
    );
    let other_iss = Jwt::hs256(b"0123456789abcdef0123456789abcdef")
        .issuer("other")
        .audience("shop-api");
    assert_eq!(
        other_iss.verify::<Claims>(&t).unwrap_err(),
        JwtError::WrongIssuer
    );
    let other_key = Jwt::hs256(b"another key, just as long as that")
        .issuer("shop")
        .audience("shop-api");
    assert_eq!(
        other_key.verify::<Claims>(&t).unwrap_err(),
        JwtError::BadSignature
    );
    let hs512 = Jwt::hs512(b"0123456789abcdef0123456789abcdef")
        .issuer("shop")
        .audience("shop-api");
    assert_eq!(
        hs512.verify::<Claims>(&t).unwrap_err(),
        JwtError::WrongAlgorithm
    );
    // A token without an audience is refused where one is required.
    let no_aud = Jwt::hs256(b"0123456789abcdef0123456789abcdef").issuer("shop");
    let t2 = no_aud.issue("ada", &[], Duration::from_secs(60)).unwrap();
    assert_eq!(
        jwt.verify::<Claims>(&t2).unwrap_err(),
        JwtError::WrongAudience
    );
    // Not yet valid, and expired.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let mut c = Claims {
        sub: "ada".into(),
        exp: now + 600,
        iat: now,
        nbf: Some(now + 300),
        iss: Some("shop".into()),
        aud: Some("shop-api".into()),
        scope: String::new(),
    };
    assert_eq!(
        jwt.verify::<Claims>(&jwt.sign(&c).unwrap()).unwrap_err(),
        JwtError::NotYetValid
    );
    c.nbf = None;
    c.exp = now - 10;
    assert_eq!(
        jwt.verify::<Claims>(&jwt.sign(&c).unwrap()).unwrap_err(),
        JwtError::Expired
    );
    // The error becomes FastAPI's 401.
    let e: ferrapi::HttpError = JwtError::Expired.into();
    assert_eq!(e.status(), 401);
    assert_eq!(e.headers().get("www-authenticate").unwrap(), "Bearer");
}

#[test]
fn secured_operations_document_their_401_and_optional_ones_do_not() {
    let doc = app().openapi_value().unwrap();
    let responses = |path: &str| doc["paths"][path]["get"]["responses"].clone();
    for path in ["/basic", "/bearer"] {
        let r = responses(path);
        assert_eq!(
            r["401"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/HTTPError",
            "{path}"
        );
        // Successes first, then the errors in order.
        let keys: Vec<&String> = r.as_object().unwrap().keys().collect();
        assert_eq!(keys[0], "200", "{path}");
    }
    for path in ["/vault", "/query-key"] {
        assert!(
            responses(path).get("401").is_none(),
            "{path} refuses nothing"
        );
    }
    assert!(doc["components"]["schemas"].get("HTTPError").is_some());
}
