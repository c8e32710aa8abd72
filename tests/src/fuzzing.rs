//! The fuzz targets' bodies (`fuzz/fuzz_targets/*.rs` call them with libFuzzer's input;
//! `tests/tests/fuzz_regressions.rs` replays every saved input through them). Each turns
//! arbitrary bytes into one request of one kind, sends it through a real app, and checks
//! what every answer must be: no panic, a status the framework may give, JSON whenever the
//! app answers an error, and a bounded 422.

use std::cell::RefCell;
use std::sync::OnceLock;

use ferrapi::prelude::*;
use ferrapi::security::{Claims, Jwt};
use ferrapi::UploadFile;
use serde_json::{json, Value};
use tower::ServiceExt;

/// A parameter enum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ParamEnum)]
pub enum Kind {
    /// One.
    Plain,
    /// Two.
    Fancy,
}

/// A line of an order.
#[model]
pub struct Line {
    /// The product.
    #[field(ge = 1)]
    pub product_id: i64,
    /// How many.
    #[field(ge = 1, le = 1000)]
    pub quantity: i32,
    /// A note.
    #[field(max_length = 20, pattern = r"^[a-z ]*$")]
    pub note: Option<String>,
}

/// An address.
#[model]
pub struct Address {
    /// The city.
    #[field(min_length = 1, max_length = 40)]
    pub city: String,
    /// The postcode.
    pub zip: Option<u32>,
}

/// An order: nested models, lists with bounds, optional fields, floats.
#[model]
pub struct Order {
    /// The lines.
    #[field(min_items = 1, max_items = 5)]
    pub lines: Vec<Line>,
    /// Where to.
    pub ship_to: Address,
    /// A discount, 0 to 1.
    #[field(ge = 0.0, le = 1.0)]
    pub discount: Option<f64>,
    /// Labels.
    pub labels: Vec<String>,
    /// Gift wrap.
    pub gift: bool,
}

#[get("/q")]
async fn query_route(
    n: i64,
    f: Option<f64>,
    b: Option<bool>,
    #[query(alias = "tag", max_items = 4)] tags: Option<Vec<String>>,
    #[query] kind: Option<Kind>,
    #[query(min_length = 2, max_length = 8, pattern = "^[a-z]+$")] s: Option<String>,
    u: Option<u8>,
) -> Json<Value> {
    Json(
        json!({"n": n, "f": f, "b": b, "tags": tags, "kind": kind.map(|k| k == Kind::Fancy), "s": s, "u": u}),
    )
}

#[get("/p/{id}/{name}")]
async fn path_route(#[path(ge = 1)] id: i64, #[path(max_length = 8)] name: String) -> Json<Value> {
    Json(json!({"id": id, "name": name}))
}

#[post("/json")]
async fn json_route(order: Json<Order>) -> Json<usize> {
    Json(order.lines.len())
}

#[post("/form")]
async fn form_route(
    #[form(min_length = 1)] a: String,
    #[form(ge = 0)] n: i64,
    #[form] tags: Vec<String>,
) -> Json<Value> {
    Json(json!({"a": a, "n": n, "tags": tags}))
}

#[post("/upload")]
async fn upload_route(
    #[form] title: String,
    #[file(max_size = 64)] file: UploadFile,
    #[file] more: Vec<UploadFile>,
) -> Json<Value> {
    Json(json!({"title": title, "size": file.size(), "more": more.len()}))
}

fn router() -> &'static axum::Router {
    static ROUTER: OnceLock<axum::Router> = OnceLock::new();
    ROUTER.get_or_init(|| {
        App::new()
            .body_limit(64 * 1024)
            .routes(routes![
                query_route,
                path_route,
                json_route,
                form_route,
                upload_route
            ])
            .into_router()
    })
}

thread_local! {
    static RUNTIME: RefCell<tokio::runtime::Runtime> = RefCell::new(
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime"),
    );
}

/// Sends one request and checks the answer.
fn send(method: &str, uri: &str, content_type: Option<&str>, body: Vec<u8>) -> u16 {
    let mut req = http::Request::builder().method(method);
    req = match http::Uri::try_from(uri) {
        Ok(u) => req.uri(u),
        // Not a URI at all: the HTTP parser refuses it before any app code runs.
        Err(_) => return 400,
    };
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    let req = req.body(axum::body::Body::from(body)).expect("request");
    let (status, ct, bytes) = RUNTIME.with(|rt| {
        rt.borrow().block_on(async {
            let res = router().clone().oneshot(req).await.expect("infallible");
            let status = res.status();
            let ct = res
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
                .await
                .expect("response body");
            (status, ct, bytes)
        })
    });
    static DEBUG: OnceLock<bool> = OnceLock::new();
    if *DEBUG.get_or_init(|| std::env::var_os("FUZZ_DEBUG").is_some()) {
        eprintln!(
            "{method} {uri} -> {status} {}",
            String::from_utf8_lossy(&bytes)
        );
    }
    let allowed = [200, 307, 400, 404, 405, 413, 422];
    assert!(
        allowed.contains(&status.as_u16()),
        "{method} {uri}: unexpected {status}: {}",
        String::from_utf8_lossy(&bytes)
    );
    if status.as_u16() >= 400 && status.as_u16() != 405 || status.is_success() {
        assert_eq!(
            ct.as_deref(),
            Some("application/json"),
            "{method} {uri}: {status}"
        );
        let v: Value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("{method} {uri}: {status} is not JSON ({e})"));
        if status == 422 {
            let errors = v["detail"].as_array().expect("a 422 lists its errors");
            assert!(
                !errors.is_empty() && errors.len() <= 100,
                "{} errors",
                errors.len()
            );
            assert!(bytes.len() < 64 * 1024, "a {}-byte 422", bytes.len());
        }
    }
    status.as_u16()
}

/// The bytes as a query string of `GET /q`.
pub fn query(data: &[u8]) -> u16 {
    let q = percent_encode_unsafe(data);
    send("GET", &format!("/q?{q}"), None, Vec::new())
}

/// The bytes as the two path segments of `GET /p/{id}/{name}` (split at the first `/`).
pub fn path(data: &[u8]) -> u16 {
    let (a, b) = match data.iter().position(|&c| c == b'/') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b"x"[..]),
    };
    let uri = format!(
        "/p/{}/{}",
        percent_encode_unsafe(a),
        percent_encode_unsafe(b)
    );
    send("GET", &uri, None, Vec::new())
}

/// The bytes as the JSON body of `POST /json`.
pub fn json_body(data: &[u8]) -> u16 {
    send("POST", "/json", Some("application/json"), data.to_vec())
}

/// The bytes as the urlencoded body of `POST /form`.
pub fn form(data: &[u8]) -> u16 {
    send(
        "POST",
        "/form",
        Some("application/x-www-form-urlencoded"),
        data.to_vec(),
    )
}

/// The bytes as the multipart body (boundary `XyZ`) of `POST /upload`.
pub fn multipart(data: &[u8]) -> u16 {
    send(
        "POST",
        "/upload",
        Some("multipart/form-data; boundary=XyZ"),
        data.to_vec(),
    )
}

/// The bytes as a bearer token: decoding never panics and never accepts what it did not
/// sign.
pub fn jwt(data: &[u8]) -> u16 {
    static JWT: OnceLock<Jwt> = OnceLock::new();
    let jwt = JWT.get_or_init(|| Jwt::hs256(b"fuzzing-secret-0123456789abcdef0123"));
    let token = String::from_utf8_lossy(data);
    if let Ok(claims) = jwt.verify::<Claims>(&token) {
        // Only a token the key signed verifies: the fuzzer cannot forge one.
        panic!("a token the fuzzer made verified: {claims:?}");
    }
    401
}

/// Escapes only what cannot be in a URI at all (controls, spaces, non-ASCII, `#`), so
/// the app sees every `%`, `&`, `=` and `+` the fuzzer chose.
fn percent_encode_unsafe(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len());
    for &b in data {
        if b.is_ascii_graphic() && b != b'#' {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A target's body: the input in, the answer's status out.
pub type Target = fn(&[u8]) -> u16;

/// Every target, by the name of its corpus directory.
pub const TARGETS: &[(&str, Target)] = &[
    ("query", query),
    ("path", path),
    ("json_body", json_body),
    ("form", form),
    ("multipart", multipart),
    ("jwt", jwt),
];

#[cfg(test)]
mod tests {
    #[test]
    fn the_harness_sees_valid_requests_succeed() {
        assert_eq!(super::query(b"n=3&tag=a&tag=b&kind=Fancy&s=abc&u=7"), 200);
        assert_eq!(super::query(b"n=x&u=300&s=A"), 422);
        assert_eq!(super::path(b"12/name"), 200);
        assert_eq!(super::path(b"0/%ff"), 400);
        assert_eq!(
            super::json_body(
                br#"{"lines":[{"product_id":1,"quantity":2}],"ship_to":{"city":"Oslo"},"labels":[],"gift":false}"#,
            ),
            200
        );
        assert_eq!(super::json_body(b"{\"lines\": ["), 422);
        assert_eq!(super::form(b"a=x&n=1&tags=p&tags=q"), 200);
        assert_eq!(super::multipart(b"--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nhi\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nabc\r\n--XyZ\r\nContent-Disposition: form-data; name=\"more\"; filename=\"b.txt\"\r\n\r\nb\r\n--XyZ--\r\n"), 200);
        assert_eq!(super::jwt(b"not.a.token"), 401);
    }
}
