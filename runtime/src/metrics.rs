//! Prometheus metrics (feature `metrics`): request counts and latencies per route, and a
//! registry of the app's own for metrics you add.
//!
//! ```
//! use ferrapi::prelude::*;
//!
//! let app = App::new().metrics("/metrics"); // Prometheus text format
//! # let _ = app;
//! ```

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry, TextEncoder,
};

use crate::App;

/// Request counts and latencies per route, in a Prometheus registry of the app's own.
#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A registry with `http_requests_total{method,route,status}` and
    /// `http_request_duration_seconds{method,route}`.
    pub fn new() -> Self {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests answered, by route and status",
            ),
            &["method", "route", "status"],
        )
        .expect("valid metric");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Time to answer HTTP requests, by route",
            ),
            &["method", "route"],
        )
        .expect("valid metric");
        registry
            .register(Box::new(requests.clone()))
            .expect("register");
        registry
            .register(Box::new(latency.clone()))
            .expect("register");
        Metrics {
            registry,
            requests,
            latency,
        }
    }

    /// The registry, to register metrics of your own.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The metrics in Prometheus' text format.
    pub fn render(&self) -> String {
        let mut buf = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut buf)
            .expect("text encoding");
        String::from_utf8(buf).unwrap_or_default()
    }
}

/// The route template of a request answered by one version of a versioned app
/// (`/v1/items/{item_id}`), put in the response by that version's router: the template
/// the app's own router matched is only the version's prefix, or nothing.
#[derive(Debug, Clone)]
pub(crate) struct RouteLabel(pub(crate) String);

async fn record(metrics: axum::extract::State<Metrics>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    // Label values stay few whatever clients send: the standard methods as they are, any
    // other (`FOO`, invented ones) as `OTHER`; the route template, not the path
    // (`/items/{item_id}`), and `unmatched` for every path no route has.
    let method: &'static str = match *req.method() {
        http::Method::GET => "GET",
        http::Method::HEAD => "HEAD",
        http::Method::POST => "POST",
        http::Method::PUT => "PUT",
        http::Method::DELETE => "DELETE",
        http::Method::PATCH => "PATCH",
        http::Method::OPTIONS => "OPTIONS",
        http::Method::TRACE => "TRACE",
        http::Method::CONNECT => "CONNECT",
        _ => "OTHER",
    };
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let res = next.run(req).await;
    let route = match res.extensions().get::<RouteLabel>() {
        Some(label) => label.0.clone(),
        None => route,
    };
    let status = res.status().as_u16().to_string();
    metrics
        .requests
        .with_label_values(&[method, &route, &status])
        .inc();
    metrics
        .latency
        .with_label_values(&[method, &route])
        .observe(start.elapsed().as_secs_f64());
    res
}

impl App {
    /// Records request counts and latencies per route, served in Prometheus' text format at
    /// `path`. The registry is the app's own ([`App::metrics_registry`]).
    pub fn metrics(mut self, path: &'static str) -> Self {
        let metrics = self.metrics_registry();
        let m2 = metrics.clone();
        self.map_router(move |r| {
            r.route(
                path,
                axum::routing::get(move || {
                    let m = m2.clone();
                    async move {
                        let mut res = m.render().into_response();
                        res.headers_mut().insert(
                            header::CONTENT_TYPE,
                            HeaderValue::from_static("text/plain; version=0.0.4"),
                        );
                        res
                    }
                }),
            )
            .layer(axum::middleware::from_fn_with_state(metrics, record))
        })
    }

    /// The app's Prometheus registry (created on first use), to add metrics of your own.
    pub fn metrics_registry(&mut self) -> Metrics {
        self.metrics.get_or_insert_with(Metrics::new).clone()
    }
}
