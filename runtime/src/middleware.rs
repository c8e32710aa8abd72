//! One-line middleware on [`App`] from tower-http; any other tower layer goes
//! through [`App::map_router`](crate::App::map_router).
//!
//! ```
//! use ferrapi::prelude::*;
//! use std::time::Duration;
//!
//! let app = App::new()
//!     .cors_permissive()
//!     .compression()
//!     .request_ids()
//!     .access_log()
//!     .timeout(Duration::from_secs(10));
//! # let _ = app;
//! ```

use std::time::Duration;

use http::{HeaderValue, StatusCode};
use tower_http::cors::CorsLayer;
use tower_http::timeout::TimeoutLayer;

use crate::App;

/// The request id header set by [`App::request_ids`].
pub const REQUEST_ID: &str = "x-request-id";

// The methods are `#[inline]`: an opt-in layer's router code is compiled into the apps that
// add it, not into every app's build of ferrapi.
impl App {
    /// Adds a CORS layer (see `tower_http::cors::CorsLayer`).
    #[inline]
    pub fn cors(self, layer: CorsLayer) -> Self {
        self.map_router(move |r| r.layer(layer))
    }

    /// CORS allowing any origin, method and header: for development and public APIs.
    #[inline]
    pub fn cors_permissive(self) -> Self {
        self.cors(CorsLayer::permissive())
    }

    /// CORS for the given origins (e.g. `["https://app.example.com"]`), any method and header.
    #[inline]
    pub fn cors_origins<I: IntoIterator<Item = &'static str>>(self, origins: I) -> Self {
        let origins: Vec<http::HeaderValue> = origins
            .into_iter()
            .map(|o| o.parse().expect("a valid origin"))
            .collect();
        self.cors(
            CorsLayer::new()
                .allow_origin(origins)
                .allow_methods(tower_http::cors::Any)
                .allow_headers(tower_http::cors::Any),
        )
    }

    /// Gzip-compresses responses when the client accepts it (feature `compression`).
    #[cfg(feature = "compression")]
    #[inline]
    pub fn compression(self) -> Self {
        self.map_router(|r| r.layer(tower_http::compression::CompressionLayer::new()))
    }

    /// Gives every request an `x-request-id` (a random UUID unless the client sent one) and
    /// sends it back on the response, unless the handler set its own. Handlers and logs read
    /// it from the request's headers.
    #[inline]
    pub fn request_ids(self) -> Self {
        self.map_router(|r| r.layer(axum::middleware::from_fn(request_id)))
    }

    /// Logs one `info` line per request, as uvicorn's access log writes it: the client's
    /// address, the request line and the status, with the time to the answer's head
    /// (`127.0.0.1:51234 - "GET /items/?skip=0 HTTP/1.1" 200 OK latency_ms=0.412`), under
    /// the target `ferrapi::access` (`RUST_LOG=ferrapi::access=off` silences it).
    #[inline]
    pub fn access_log(self) -> Self {
        self.map_router(|r| r.layer(axum::middleware::from_fn(access_log)))
    }

    /// Answers `503 {"detail": "Request timed out"}` when a handler takes longer than
    /// `limit`.
    #[inline]
    pub fn timeout(self, limit: Duration) -> Self {
        self.map_router(move |r| {
            r.layer(TimeoutLayer::with_status_code(
                StatusCode::SERVICE_UNAVAILABLE,
                limit,
            ))
            .layer(axum::middleware::map_response(timeout_body))
        })
    }
}

/// [`App::access_log`]'s line for one request.
async fn access_log(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    // Silenced (`RUST_LOG=ferrapi::access=off`): no clock, copies or formatting per request.
    if !tracing::enabled!(target: "ferrapi::access", tracing::Level::INFO) {
        return next.run(req).await;
    }
    let start = std::time::Instant::now();
    let client = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0);
    let (method, uri, version) = (req.method().clone(), req.uri().clone(), req.version());
    let res = next.run(req).await;
    let latency_ms = start.elapsed().as_secs_f64() * 1000.0;
    let status = res.status();
    let client = client.map_or_else(|| "-".to_string(), |a| a.to_string());
    tracing::info!(
        target: "ferrapi::access",
        latency_ms = (latency_ms * 1000.0).round() / 1000.0,
        "{client} - \"{method} {uri} {version:?}\" {} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    );
    res
}

/// [`App::request_ids`]: the client's id or a new one, on the request and on its answer.
async fn request_id(
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let id = match req.headers().get(REQUEST_ID) {
        Some(id) => id.clone(),
        None => {
            let id = new_request_id();
            req.headers_mut().insert(REQUEST_ID, id.clone());
            id
        }
    };
    let mut res = next.run(req).await;
    res.headers_mut().entry(REQUEST_ID).or_insert(id);
    res
}

/// A random (version 4) UUID: 128 bits from SipHash keyed by the operating system's random
/// source (std's `RandomState`) over a process-wide counter: every id hashes a different
/// input, so two ids collide no more often than two random UUIDs, and they do not follow
/// one another. Not a secret: an id, as tower-http's `MakeRequestUuid` makes, without a
/// random-number crate.
fn new_request_id() -> HeaderValue {
    use std::fmt::Write as _;
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::OnceLock;
    static KEYS: OnceLock<std::collections::hash_map::RandomState> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let keys = KEYS.get_or_init(Default::default);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let half = |lane: u8| {
        let mut h = keys.build_hasher();
        h.write_u64(n);
        h.write_u8(lane);
        h.finish().to_le_bytes()
    };
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&half(0));
    bytes[8..].copy_from_slice(&half(1));
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 9562 variant
    let mut text = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            text.push('-');
        }
        let _ = write!(text, "{b:02x}");
    }
    HeaderValue::from_str(&text).expect("hex digits and hyphens are a valid header value")
}

async fn timeout_body(res: axum::response::Response) -> axum::response::Response {
    use axum::response::IntoResponse;
    if res.status() == StatusCode::SERVICE_UNAVAILABLE
        && res.headers().get(http::header::CONTENT_TYPE).is_none()
    {
        return crate::HttpError::new(StatusCode::SERVICE_UNAVAILABLE, "Request timed out")
            .into_response();
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    #[test]
    fn request_ids_are_distinct_version_4_uuids() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..100_000 {
            let id = new_request_id();
            let id = id.to_str().unwrap().to_string();
            let shape: String = id
                .chars()
                .map(|c| if c.is_ascii_hexdigit() { 'x' } else { c })
                .collect();
            assert_eq!(shape, "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", "{id}");
            assert_eq!(&id[14..15], "4", "version 4: {id}");
            assert!("89ab".contains(&id[19..20]), "RFC 9562 variant: {id}");
            assert_eq!(id, id.to_lowercase());
            assert!(seen.insert(id), "an id came twice");
        }
    }

    async fn answer(router: axum::Router, id: Option<&str>) -> (Option<String>, Option<String>) {
        let mut req = http::Request::builder().uri("/");
        if let Some(id) = id {
            req = req.header(REQUEST_ID, id);
        }
        let res = router
            .oneshot(req.body(axum::body::Body::empty()).unwrap())
            .await
            .unwrap();
        let sent = res
            .headers()
            .get(REQUEST_ID)
            .map(|v| v.to_str().unwrap().to_string());
        let body = axum::body::to_bytes(res.into_body(), 1024).await.unwrap();
        let seen = (!body.is_empty()).then(|| String::from_utf8(body.to_vec()).unwrap());
        (seen, sent)
    }

    #[tokio::test]
    async fn the_handler_sees_the_id_the_answer_carries() {
        let echo = |headers: http::HeaderMap| async move {
            headers[REQUEST_ID].to_str().unwrap().to_string()
        };
        let router = || {
            axum::Router::new()
                .route("/", axum::routing::get(echo))
                .layer(axum::middleware::from_fn(request_id))
        };
        let (seen, sent) = answer(router(), None).await;
        assert_eq!(seen, sent, "a new id on both sides");
        assert_eq!(sent.unwrap().len(), 36);
        // The client's own id is kept, whatever its form.
        let (seen, sent) = answer(router(), Some("abc-123")).await;
        assert_eq!(
            (seen.as_deref(), sent.as_deref()),
            (Some("abc-123"), Some("abc-123"))
        );
    }

    #[tokio::test]
    async fn an_id_the_handler_answers_with_is_kept() {
        let own = || async { ([(REQUEST_ID, "from-handler")], "") };
        let router = axum::Router::new()
            .route("/", axum::routing::get(own))
            .layer(axum::middleware::from_fn(request_id));
        let (_, sent) = answer(router, Some("from-client")).await;
        assert_eq!(sent.as_deref(), Some("from-handler"));
    }
}

#[cfg(test)]
mod access_log_tests {
    use tower::ServiceExt;

    /// Sends two requests through the access log under `rust_log`; the lines written.
    fn logged(rust_log: &str) -> Vec<String> {
        crate::logging::text_lines_of(rust_log, || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .build()
                .unwrap();
            rt.block_on(async {
                let router = axum::Router::new()
                    .route("/items/", axum::routing::get(|| async { "[]" }))
                    .layer(axum::middleware::from_fn(super::access_log));
                for uri in ["/items/?skip=0", "/nope"] {
                    let mut req = http::Request::builder()
                        .uri(uri)
                        .body(axum::body::Body::empty())
                        .unwrap();
                    req.extensions_mut().insert(axum::extract::ConnectInfo(
                        std::net::SocketAddr::from(([127, 0, 0, 1], 51234)),
                    ));
                    let res = router.clone().oneshot(req).await.unwrap();
                    assert!(res.status().is_success() || res.status() == 404);
                }
            });
        })
    }

    #[test]
    fn one_info_line_per_request_with_client_request_line_and_status() {
        let lines = logged("info");
        assert_eq!(lines.len(), 2, "{lines:?}");
        let (ok, missing) = (&lines[0], &lines[1]);
        assert!(
            ok.contains(
                " INFO ferrapi::access: 127.0.0.1:51234 - \"GET /items/?skip=0 HTTP/1.1\" 200 OK latency_ms="
            ),
            "{ok}"
        );
        assert!(
            missing.contains("\"GET /nope HTTP/1.1\" 404 Not Found"),
            "{missing}"
        );
    }

    #[test]
    fn a_silenced_access_log_writes_nothing_and_still_answers() {
        assert_eq!(logged("info,ferrapi::access=off"), Vec::<String>::new());
        assert_eq!(logged("warn").len(), 0);
    }
}
