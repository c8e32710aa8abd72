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

use http::{HeaderName, StatusCode};
use tower_http::cors::CorsLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::App;

/// The request id header set by [`App::request_ids`].
pub const REQUEST_ID: &str = "x-request-id";

impl App {
    /// Adds a CORS layer (see `tower_http::cors::CorsLayer`).
    pub fn cors(self, layer: CorsLayer) -> Self {
        self.map_router(move |r| r.layer(layer))
    }

    /// CORS allowing any origin, method and header: for development and public APIs.
    pub fn cors_permissive(self) -> Self {
        self.cors(CorsLayer::permissive())
    }

    /// CORS for the given origins (e.g. `["https://app.example.com"]`), any method and header.
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
    pub fn compression(self) -> Self {
        self.map_router(|r| r.layer(tower_http::compression::CompressionLayer::new()))
    }

    /// Gives every request an `x-request-id` (a UUID unless the client sent one) and sends it
    /// back on the response.
    pub fn request_ids(self) -> Self {
        let name = HeaderName::from_static(REQUEST_ID);
        self.map_router(move |r| {
            r.layer(PropagateRequestIdLayer::new(name.clone()))
                .layer(SetRequestIdLayer::new(name, MakeRequestUuid))
        })
    }

    /// Logs each request and its outcome through `tracing` (tower-http's `TraceLayer`).
    pub fn access_log(self) -> Self {
        self.map_router(|r| r.layer(TraceLayer::new_for_http()))
    }

    /// Answers `503 {"detail": "Request timed out"}` when a handler takes longer than
    /// `limit`.
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
