//! What running a service needs: health endpoints, configuration from the environment,
//! JSON logs; Prometheus metrics are in [`metrics`](crate::metrics) (feature `metrics`).
//!
//! ```
//! use ferrapi::prelude::*;
//!
//! let app = App::new()
//!     .health()                     // GET /health/live, GET /health/ready
//!     .readiness_check("database", |_state| async { Ok::<(), String>(()) });
//! # let _ = app;
//! ```
// The links to items of features this build leaves out resolve on docs.rs (all features).
#![cfg_attr(not(feature = "metrics"), allow(rustdoc::broken_intra_doc_links))]

use http::StatusCode;
use serde_json::json;
use std::future::Future;
use std::pin::Pin;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::extract::AppState;
use crate::reply::json_response;
use crate::App;

type Check =
    Arc<dyn Fn(AppState) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send>> + Send + Sync>;

/// Whether start-up has completed, and the checks that decide readiness.
#[derive(Clone, Default)]
pub struct Readiness {
    started: Arc<AtomicBool>,
    draining: Arc<AtomicBool>,
    checks: Arc<std::sync::RwLock<Vec<(&'static str, Check)>>>,
    state: Arc<std::sync::OnceLock<AppState>>,
}

impl std::fmt::Debug for Readiness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Readiness")
            .field("started", &self.started.load(Ordering::SeqCst))
            .field(
                "checks",
                &self.checks().iter().map(|c| c.0).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl Readiness {
    /// Marks start-up as complete (done by [`App::serve_on`] once the hooks ran).
    pub fn set_started(&self) {
        self.started.store(true, Ordering::SeqCst);
    }

    /// Marks the app as draining: shutting down, so `GET /health/ready` answers 503 while
    /// requests are still served (done by [`App::serve_on`] for the drain period).
    pub fn set_draining(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }

    /// Whether the app is draining.
    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::SeqCst)
    }

    pub(crate) fn set_state(&self, state: AppState) {
        let _ = self.state.set(state);
    }

    fn checks(&self) -> Vec<(&'static str, Check)> {
        self.checks.read().expect("readiness checks").clone()
    }

    async fn report(&self) -> (bool, serde_json::Value) {
        if self.is_draining() {
            // Shutting down: the balancer should stop sending; the checks do not matter.
            return (false, json!({"status": "draining", "checks": {}}));
        }
        let mut ok = self.started.load(Ordering::SeqCst);
        let mut checks = serde_json::Map::new();
        checks.insert("startup".into(), if ok { "ok" } else { "pending" }.into());
        let state = self.state.get().cloned().unwrap_or_default();
        for (name, check) in &self.checks() {
            let r =
                tokio::time::timeout(std::time::Duration::from_secs(5), check(state.clone())).await;
            let v = match r {
                Ok(Ok(())) => json!("ok"),
                Ok(Err(e)) => {
                    ok = false;
                    json!(e)
                }
                Err(_) => {
                    ok = false;
                    json!("timed out")
                }
            };
            checks.insert(name.to_string(), v);
        }
        (
            ok,
            json!({"status": if ok { "ready" } else { "unavailable" }, "checks": checks}),
        )
    }
}

impl App {
    /// Serves `GET /health/live` (always 200 while the process serves) and
    /// `GET /health/ready` (200 once start-up completed and every readiness check passes,
    /// else 503, with each check's result).
    pub fn health(self) -> Self {
        let readiness = self.readiness();
        self.map_router(move |r| {
            r.route(
                "/health/live",
                axum::routing::get(|| async {
                    json_response(StatusCode::OK, &json!({"status": "alive"}))
                }),
            )
            .route(
                "/health/ready",
                axum::routing::get(move || {
                    let readiness = readiness.clone();
                    async move {
                        let (ok, body) = readiness.report().await;
                        let status = if ok {
                            StatusCode::OK
                        } else {
                            StatusCode::SERVICE_UNAVAILABLE
                        };
                        json_response(status, &body)
                    }
                }),
            )
        })
    }

    /// Adds a readiness check (e.g. ping the database), given the app's state;
    /// `GET /health/ready` runs them all.
    pub fn readiness_check<F, Fut>(mut self, name: &'static str, check: F) -> Self
    where
        F: Fn(AppState) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), String>> + Send + 'static,
    {
        let check: Check = Arc::new(move |s| Box::pin(check(s)));
        self.readiness_mut()
            .checks
            .write()
            .expect("readiness checks")
            .push((name, check));
        self
    }
}

/// Why a setting could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

fn parse_var<T>(name: &str, v: &str) -> Result<T, ConfigError>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    v.trim().parse().map_err(|e| {
        ConfigError(format!(
            "invalid value for {name}: {v:?} is not a valid {} ({e})",
            std::any::type_name::<T>()
        ))
    })
}

/// Reads environment variable `name` as a `T`, or `default` when it is unset.
/// A value that does not parse is an error naming the variable, the value and the reason.
///
/// ```
/// let port: u16 = ferrapi::ops::env_or("FERRAPI_DOC_EXAMPLE_PORT", 8000).unwrap();
/// assert_eq!(port, 8000);
/// std::env::set_var("FERRAPI_DOC_EXAMPLE_WORKERS", "many");
/// let err = ferrapi::ops::env_or::<u32>("FERRAPI_DOC_EXAMPLE_WORKERS", 4).unwrap_err();
/// assert!(err.to_string().contains("FERRAPI_DOC_EXAMPLE_WORKERS"));
/// ```
pub fn env_or<T>(name: &str, default: T) -> Result<T, ConfigError>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    match std::env::var(name) {
        Ok(v) => parse_var(name, &v),
        Err(std::env::VarError::NotPresent) => Ok(default),
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(ConfigError(format!("{name} is not valid UTF-8")))
        }
    }
}

/// Reads a required environment variable `name` as a `T`.
pub fn env_required<T>(name: &str) -> Result<T, ConfigError>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    let v = std::env::var(name).map_err(|_| ConfigError(format!("{name} must be set")))?;
    parse_var(name, &v)
}
