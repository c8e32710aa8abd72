//! An in-process test client, in the spirit of FastAPI's `TestClient`: requests go straight
//! to the app's router, with no socket.
//!
//! ```
//! use ferrapi::prelude::*;
//! use ferrapi::testing::TestClient;
//!
//! #[get("/items/")]
//! async fn read_items(#[query(default = 0)] skip: i64) -> Json<serde_json::Value> {
//!     Json(serde_json::json!({ "skip": skip }))
//! }
//!
//! # tokio_test_block_on(async {
//! let client = TestClient::new(App::new().routes(routes![read_items]));
//! let res = client.get("/items/").query("skip", "3").send().await;
//! assert_eq!(res.status(), 200);
//! assert_eq!(res.json_value()["skip"], 3);
//! # });
//! # fn tokio_test_block_on<F: std::future::Future>(f: F) -> F::Output {
//! #     tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
//! # }
//! ```

use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::body::Body;
use bytes::Bytes;
use http::{header, HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tower::ServiceExt;

use crate::background::Tracker;
use crate::App;

/// Sends requests to an app in-process, keeping cookies across calls as a browser does for
/// `http://testserver` (RFC 6265: paths, `Max-Age` and `Expires`, deletion by an expired
/// cookie; `Secure` cookies are kept but not sent over `http`).
#[derive(Clone)]
pub struct TestClient {
    router: axum::Router,
    cookies: Arc<Mutex<jar::Jar>>,
    background: Option<Tracker>,
}

impl std::fmt::Debug for TestClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestClient").finish_non_exhaustive()
    }
}

impl TestClient {
    /// A client for `app` (panics if the app cannot start, showing why). Apps with
    /// start-up hooks need [`TestClient::start`].
    ///
    /// As FastAPI's `TestClient`, each request waits for the background work it queued.
    pub fn new(app: App) -> Self {
        let background = app.background();
        let mut c = Self::from_router(app.into_router());
        c.background = Some(background);
        c
    }

    /// Runs the app's start-up hooks, then gives a client for it.
    pub async fn start(app: App) -> Result<Self, crate::StartupError> {
        let app = app.prepare().await?;
        let background = app.background();
        let mut c = Self::from_router(app.try_into_router()?);
        c.background = Some(background);
        Ok(c)
    }

    /// A client for any axum router.
    pub fn from_router(router: axum::Router) -> Self {
        TestClient {
            router,
            cookies: Arc::new(Mutex::new(jar::Jar::default())),
            background: None,
        }
    }

    /// A request with any method.
    pub fn request(&self, method: Method, path: &str) -> TestRequest {
        TestRequest {
            client: self.clone(),
            method,
            path: path.to_string(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: Bytes::new(),
            client_addr: TEST_CLIENT_ADDR,
        }
    }
    /// A GET request.
    pub fn get(&self, path: &str) -> TestRequest {
        self.request(Method::GET, path)
    }
    /// A POST request.
    pub fn post(&self, path: &str) -> TestRequest {
        self.request(Method::POST, path)
    }
    /// A PUT request.
    pub fn put(&self, path: &str) -> TestRequest {
        self.request(Method::PUT, path)
    }
    /// A PATCH request.
    pub fn patch(&self, path: &str) -> TestRequest {
        self.request(Method::PATCH, path)
    }
    /// A DELETE request.
    pub fn delete(&self, path: &str) -> TestRequest {
        self.request(Method::DELETE, path)
    }
    /// A HEAD request.
    pub fn head(&self, path: &str) -> TestRequest {
        self.request(Method::HEAD, path)
    }
    /// An OPTIONS request.
    pub fn options(&self, path: &str) -> TestRequest {
        self.request(Method::OPTIONS, path)
    }

    /// The cookies kept so far (and not expired), as `(name, value)`, whatever their path,
    /// in the order they were first set.
    pub fn cookies(&self) -> Vec<(String, String)> {
        self.cookies
            .lock()
            .expect("cookie jar")
            .unexpired(SystemTime::now())
    }
}

/// A request being built.
#[derive(Debug)]
pub struct TestRequest {
    client: TestClient,
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
    client_addr: std::net::SocketAddr,
}

/// The address requests come from unless [`TestRequest::client_addr`] says otherwise.
pub const TEST_CLIENT_ADDR: std::net::SocketAddr = std::net::SocketAddr::new(
    std::net::IpAddr::V4(std::net::Ipv4Addr::new(127, 0, 0, 1)),
    50000,
);

impl TestRequest {
    /// The client's address, as handlers see it through `ConnectInfo<SocketAddr>` and rate
    /// limits count it (default [`TEST_CLIENT_ADDR`]).
    pub fn client_addr(mut self, addr: std::net::SocketAddr) -> Self {
        self.client_addr = addr;
        self
    }
    /// Adds a query parameter (percent-encoded for you; repeat for lists).
    pub fn query(mut self, name: &str, value: &str) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }
    /// Adds a header (repeat to send it several times).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name = HeaderName::from_bytes(name.as_bytes()).expect("valid header name");
        let value = HeaderValue::from_str(value).expect("valid header value");
        self.headers.append(name, value);
        self
    }
    /// Sets `Authorization: Bearer <token>`.
    pub fn bearer(self, token: &str) -> Self {
        self.header("authorization", &format!("Bearer {token}"))
    }
    /// A JSON body (`content-type: application/json`).
    pub fn json<T: Serialize + ?Sized>(mut self, value: &T) -> Self {
        self.body = Bytes::from(serde_json::to_vec(value).expect("serializable body"));
        self.header("content-type", "application/json")
    }
    /// A urlencoded form body.
    pub fn form(mut self, fields: &[(&str, &str)]) -> Self {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        self.body = Bytes::from(body);
        self.header("content-type", "application/x-www-form-urlencoded")
    }
    /// A raw body (set the content type yourself with [`header`](TestRequest::header)).
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }

    /// Sends the request and reads the whole response.
    pub async fn send(self) -> TestResponse {
        let mut uri = self.path.clone();
        if !self.query.is_empty() {
            let q = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&self.query)
                .finish();
            uri.push(if uri.contains('?') { '&' } else { '?' });
            uri.push_str(&q);
        }
        let mut req = Request::builder()
            .method(self.method)
            .uri(uri)
            .body(Body::from(self.body))
            .expect("valid request");
        *req.headers_mut() = self.headers;
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(self.client_addr));
        req.headers_mut()
            .entry(header::HOST)
            .or_insert(HeaderValue::from_static("testserver"));
        let jar_path = jar::request_path(&self.path);
        if let (Some(path), false) = (&jar_path, req.headers().contains_key(header::COOKIE)) {
            let line = self
                .client
                .cookies
                .lock()
                .expect("cookie jar")
                .cookie_header(path, SystemTime::now());
            if let (false, Ok(v)) = (line.is_empty(), HeaderValue::from_str(&line)) {
                req.headers_mut().insert(header::COOKIE, v);
            }
        }
        let res = self
            .client
            .router
            .clone()
            .oneshot(req)
            .await
            .expect("axum routers are infallible");
        let (parts, body) = res.into_parts();
        let body = axum::body::to_bytes(body, usize::MAX)
            .await
            .expect("response body");
        if let Some(t) = &self.client.background {
            t.wait_idle(std::time::Duration::from_secs(30)).await;
        }
        if let Some(path) = &jar_path {
            let now = SystemTime::now();
            let mut jar = self.client.cookies.lock().expect("cookie jar");
            for set in parts.headers.get_all(header::SET_COOKIE) {
                if let Ok(set) = set.to_str() {
                    jar.receive(set, path, now);
                }
            }
        }
        TestResponse {
            status: parts.status,
            headers: parts.headers,
            body,
        }
    }
}

/// A response, fully read.
#[derive(Debug, Clone)]
pub struct TestResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl TestResponse {
    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.status
    }
    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
    /// One header as text (`None` when absent).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    /// The body bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.body
    }
    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    /// The body parsed as `T` (panics with the body text when it does not parse).
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("response is not the expected JSON ({e}): {}", self.text()))
    }
    /// The body as a JSON value (panics when it is not JSON).
    pub fn json_value(&self) -> serde_json::Value {
        self.json()
    }
}

mod jar;
#[cfg(feature = "websockets")]
mod websocket;
#[cfg(feature = "websockets")]
pub use websocket::{WsFrame, WsRefused, WsRequest, WsSession};

#[cfg(test)]
mod jar_tests {
    use super::*;
    use axum::routing::get;

    #[tokio::test]
    async fn the_jar_keeps_expires_and_deletes_cookies_as_a_browser_does() {
        let router = axum::Router::new()
            .route(
                "/login",
                get(|| async {
                    (
                        [(header::SET_COOKIE, "session=abc; Path=/; HttpOnly")],
                        "in",
                    )
                }),
            )
            .route(
                "/logout",
                get(|| async { ([(header::SET_COOKIE, "session=; Max-Age=0; Path=/")], "out") }),
            )
            .route(
                "/scoped",
                get(|| async { ([(header::SET_COOKIE, "deep=1; Path=/admin")], "") }),
            )
            .route(
                "/echo",
                get(|headers: HeaderMap| async move {
                    headers
                        .get(header::COOKIE)
                        .map(|v| v.to_str().unwrap().to_string())
                        .unwrap_or_default()
                }),
            )
            .route(
                "/admin/echo",
                get(|headers: HeaderMap| async move {
                    headers
                        .get(header::COOKIE)
                        .map(|v| v.to_str().unwrap().to_string())
                        .unwrap_or_default()
                }),
            );
        let c = TestClient::from_router(router);
        c.get("/login").send().await;
        assert_eq!(c.get("/echo").send().await.text(), "session=abc");
        c.get("/scoped").send().await;
        assert_eq!(
            c.get("/echo").send().await.text(),
            "session=abc",
            "a cookie for /admin is not sent to /echo"
        );
        assert!(c.get("/admin/echo").send().await.text().contains("deep=1"));
        c.get("/logout").send().await;
        assert!(!c.get("/echo").send().await.text().contains("session"));
        assert!(!c.cookies().iter().any(|(k, _)| k == "session"));
    }

    #[tokio::test]
    async fn several_set_cookie_headers_in_one_answer() {
        let echo = |headers: HeaderMap| async move {
            headers
                .get(header::COOKIE)
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default()
        };
        let router = axum::Router::new()
            .route(
                "/account/login",
                get(|| async {
                    let mut h = HeaderMap::new();
                    for v in [
                        "here=1",
                        "root=2; Path=/",
                        "safe=3; Path=/; Secure",
                        "elsewhere=4; Path=/; Domain=example.com",
                        "gone=5; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
                        "later=6; Path=/; Expires=Fri, 01 Jan 9999 00:00:00 GMT",
                        "noise",
                    ] {
                        h.append(header::SET_COOKIE, HeaderValue::from_static(v));
                    }
                    (h, "in")
                }),
            )
            .route("/account/echo", get(echo))
            .route("/echo", get(echo));
        let c = TestClient::from_router(router);
        c.get("/account/login?next=/").send().await;
        assert_eq!(
            c.get("/account/echo").send().await.text(),
            "here=1; root=2; later=6",
            "longer paths first; Secure not sent over http"
        );
        assert_eq!(c.get("/echo").send().await.text(), "root=2; later=6");
        let names: Vec<String> = c.cookies().into_iter().map(|(k, _)| k).collect();
        assert_eq!(names, ["here", "root", "safe", "later"]);
        // A request's own Cookie header is sent instead of the jar's.
        let own = c.get("/echo").header("cookie", "mine=1").send().await;
        assert_eq!(own.text(), "mine=1");
    }
}
