//! Rate limiting: how often each client may call a group of routes, on the `governor`
//! crate's GCRA limiter (a token bucket that refills smoothly).
//!
//! ```
//! use ferrapi::prelude::*;
//! use ferrapi::rate_limit::RateLimit;
//!
//! #[post("/token")]
//! async fn login() -> &'static str { "token" }
//!
//! #[get("/items/")]
//! async fn items() -> &'static str { "items" }
//!
//! // Five login attempts a minute per client address; everything else 600 a minute.
//! let app = App::new()
//!     .rate_limit(RateLimit::per_minute(600))
//!     .include(Router::new().rate_limit(RateLimit::per_minute(5)).routes(routes![login]))
//!     .routes(routes![items]);
//! let doc = app.openapi_value().unwrap();
//! assert!(doc["paths"]["/token"]["post"]["responses"]["429"].is_object());
//! ```
//!
//! With the `redis` feature, [`RateLimit::shared`] keeps one budget per client for every
//! instance of the app (the counters in Redis), instead of one per instance.
//!
//! Over the limit a request gets `429 {"detail":"Too Many Requests"}` with `Retry-After`
//! (whole seconds until the next request may pass), before any extractor or handler runs.
//! Each guarded operation documents the 429.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use http::request::Parts;
use http::StatusCode;

#[cfg(feature = "redis")]
mod shared;

use crate::guard::Guard;
use crate::spec::{DocCtx, Operation};
use crate::HttpError;

/// Keys longer than this (from [`RateLimit::by_key`]) are cut, so one entry's memory is
/// bounded whatever a client sends.
const MAX_KEY_LEN: usize = 128;

/// Every this many checks, keys whose bucket is full again are forgotten.
const SWEEP_EVERY: u32 = 4096;

type KeyFn = dyn Fn(&Parts) -> Option<String> + Send + Sync;

#[derive(Clone)]
enum KeyBy {
    Peer,
    ForwardedFor,
    Custom(Arc<KeyFn>),
}

/// A limit on how often one client may call the routes it guards: `n` requests per
/// period, refilling smoothly, with bursts up to `n` (or [`burst`](Self::burst)).
///
/// Clients are told apart by their address ([`by_ip`](Self::by_ip), the default; IPv6
/// addresses by their /64 network, which one subscriber usually holds whole), by the
/// address a proxy in front reports ([`by_forwarded_ip`](Self::by_forwarded_ip)), or by
/// anything in the request head ([`by_key`](Self::by_key): an API key, a token's
/// subject). Add it to an app ([`App::rate_limit`](crate::App::rate_limit)), a router
/// ([`Router::rate_limit`](crate::Router::rate_limit)), or a router holding one route.
///
/// The counters live in the process: several instances each allow the full rate, unless
/// the limit is [`shared`](Self::shared) through Redis. Memory stays bounded: a key is forgotten once its bucket is full again, and keys are
/// cut at 128 bytes.
#[derive(Clone)]
pub struct RateLimit {
    quota: Quota,
    per: Duration,
    count: NonZeroU32,
    key: KeyBy,
    /// Redis URL and the limit's name, when the budget is shared by every instance.
    #[cfg(feature = "redis")]
    shared: Option<(String, String)>,
}

impl std::fmt::Debug for RateLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimit")
            .field("count", &self.count)
            .field("per", &self.per)
            .finish_non_exhaustive()
    }
}

fn nonzero(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n.max(1)).expect("at least 1")
}

impl RateLimit {
    /// `n` requests a second per client (at least 1).
    pub fn per_second(n: u32) -> Self {
        Self::new(
            Quota::per_second(nonzero(n)),
            Duration::from_secs(1),
            nonzero(n),
        )
    }
    /// `n` requests a minute per client (at least 1).
    pub fn per_minute(n: u32) -> Self {
        Self::new(
            Quota::per_minute(nonzero(n)),
            Duration::from_secs(60),
            nonzero(n),
        )
    }
    /// `n` requests an hour per client (at least 1).
    pub fn per_hour(n: u32) -> Self {
        Self::new(
            Quota::per_hour(nonzero(n)),
            Duration::from_secs(3600),
            nonzero(n),
        )
    }

    fn new(quota: Quota, per: Duration, count: NonZeroU32) -> Self {
        RateLimit {
            quota,
            per,
            count,
            key: KeyBy::Peer,
            #[cfg(feature = "redis")]
            shared: None,
        }
    }

    /// How many requests may come at once before the rate applies (default: the rate's
    /// `n`).
    pub fn burst(mut self, n: u32) -> Self {
        self.quota = self.quota.allow_burst(nonzero(n));
        self
    }

    /// Tells clients apart by the connection's address (the default).
    pub fn by_ip(mut self) -> Self {
        self.key = KeyBy::Peer;
        self
    }

    /// Tells clients apart by the last address in `X-Forwarded-For`, the one the proxy in
    /// front of the app wrote, falling back to the connection's address. Use it only
    /// behind exactly one proxy that appends to the header: a client reaching the app
    /// directly could otherwise pick its own key.
    pub fn by_forwarded_ip(mut self) -> Self {
        self.key = KeyBy::ForwardedFor;
        self
    }

    /// Tells clients apart by `key(&parts)`: an API key header, a token's subject. When it
    /// gives `None`, the client's address is the key.
    ///
    /// ```
    /// use ferrapi::rate_limit::RateLimit;
    ///
    /// let by_api_key = RateLimit::per_minute(100).by_key(|parts| {
    ///     parts.headers.get("x-api-key")?.to_str().ok().map(str::to_string)
    /// });
    /// ```
    pub fn by_key(
        mut self,
        key: impl Fn(&Parts) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.key = KeyBy::Custom(Arc::new(key));
        self
    }

    /// Keeps the budgets in the Redis server at `redis_url`, so every instance of the app
    /// counts against the same budget per client (feature `redis`). `name` tells this
    /// limit's counters from other limits' (`login`, `api`); instances must use the same
    /// name for the same limit. The check is one atomic script on the Redis server's clock;
    /// when Redis does not answer within 250 ms, the instance's own counters decide (each
    /// instance then allows the full rate) and a warning is logged once a minute.
    ///
    /// ```
    /// use ferrapi::rate_limit::RateLimit;
    ///
    /// let login = RateLimit::per_minute(5)
    ///     .shared("redis://127.0.0.1:6379/", "login")
    ///     .expect("a valid Redis URL");
    /// ```
    #[cfg(feature = "redis")]
    pub fn shared(mut self, redis_url: &str, name: &str) -> Result<Self, crate::ops::ConfigError> {
        redis::Client::open(redis_url)
            .map_err(|e| crate::ops::ConfigError(format!("rate limit Redis URL: {e}")))?;
        if name.is_empty() || name.len() > 64 || name.chars().any(char::is_control) {
            return Err(crate::ops::ConfigError(format!(
                "rate limit name {name:?}: 1 to 64 bytes without control characters"
            )));
        }
        self.shared = Some((redis_url.to_string(), name.to_string()));
        Ok(self)
    }

    /// The guard that enforces this limit (one budget for every route it guards).
    pub fn into_guard(self) -> Guard {
        #[cfg(feature = "redis")]
        let shared = self.shared.as_ref().map(|(url, name)| {
            shared::Shared::new(
                url,
                name,
                self.quota.replenish_interval(),
                self.quota.burst_size().get(),
            )
            .expect("checked by RateLimit::shared")
        });
        let limiter = Arc::new(Limiter {
            limiter: DefaultKeyedRateLimiter::dashmap(self.quota),
            key: self.key,
            checks: AtomicU32::new(0),
            #[cfg(feature = "redis")]
            shared,
            #[cfg(feature = "redis")]
            warned: std::sync::Mutex::new(None),
        });
        let (count, per) = (self.count, self.per);
        Guard::new(
            move |route, _state| {
                let limiter = limiter.clone();
                route.route_layer(axum::middleware::from_fn(move |req, next| {
                    let limiter = limiter.clone();
                    async move { limiter.run(req, next).await }
                }))
            },
            move |ctx, op| document(ctx, op, count, per),
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Ip(IpAddr),
    Text(Box<str>),
    Unknown,
}

impl Key {
    /// The key as text, for a shared store.
    #[cfg(feature = "redis")]
    fn as_text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Key::Ip(ip) => ip.to_string().into(),
            Key::Text(t) => std::borrow::Cow::Borrowed(t),
            Key::Unknown => "unknown".into(),
        }
    }
}

struct Limiter {
    limiter: DefaultKeyedRateLimiter<Key>,
    key: KeyBy,
    checks: AtomicU32,
    #[cfg(feature = "redis")]
    shared: Option<shared::Shared>,
    /// When the last "Redis did not answer" warning was logged.
    #[cfg(feature = "redis")]
    warned: std::sync::Mutex<Option<std::time::Instant>>,
}

impl Limiter {
    fn key(&self, parts: &Parts) -> Key {
        let peer = || {
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(Key::Unknown, |ConnectInfo(addr)| {
                    Key::Ip(network(addr.ip()))
                })
        };
        match &self.key {
            KeyBy::Peer => peer(),
            KeyBy::ForwardedFor => parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .next_back()
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|ip| ip.trim().parse::<IpAddr>().ok())
                .map_or_else(peer, |ip| Key::Ip(network(ip))),
            KeyBy::Custom(f) => match f(parts) {
                Some(mut text) => {
                    if text.len() > MAX_KEY_LEN {
                        let mut end = MAX_KEY_LEN;
                        while !text.is_char_boundary(end) {
                            end -= 1;
                        }
                        text.truncate(end);
                    }
                    Key::Text(text.into())
                }
                None => peer(),
            },
        }
    }

    async fn run(&self, req: axum::extract::Request, next: axum::middleware::Next) -> Response {
        let (parts, body) = req.into_parts();
        let key = self.key(&parts);
        #[cfg(feature = "redis")]
        let verdict = match &self.shared {
            Some(shared) => match shared.check(&key).await {
                Ok(None) => Ok(()),
                Ok(Some(wait)) => Err(wait),
                Err(e) => {
                    self.warn_unshared(&e);
                    self.check(&key)
                }
            },
            None => self.check(&key),
        };
        #[cfg(not(feature = "redis"))]
        let verdict = self.check(&key);
        match verdict {
            Ok(()) => {
                next.run(axum::extract::Request::from_parts(parts, body))
                    .await
            }
            Err(wait) => too_many_requests(wait),
        }
    }

    /// Logs, at most once a minute, that the shared budget could not be asked.
    #[cfg(feature = "redis")]
    fn warn_unshared(&self, error: &str) {
        let mut warned = self.warned.lock().expect("warned lock");
        if warned.is_none_or(|at| at.elapsed() >= Duration::from_secs(60)) {
            *warned = Some(std::time::Instant::now());
            tracing::warn!(
                error,
                "rate limit: Redis did not answer; counting in this instance"
            );
        }
    }

    /// Takes one request from `key`'s budget, or says how long until it has one; every
    /// [`SWEEP_EVERY`] checks, forgets the keys whose bucket is full again.
    fn check(&self, key: &Key) -> Result<(), Duration> {
        let verdict = self.limiter.check_key(key);
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
        verdict.map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}

/// IPv6 clients are counted by their /64 network: one subscriber usually has all of it.
fn network(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let bits = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(bits.into())
            }
        },
        v4 => v4,
    }
}

fn too_many_requests(wait: Duration) -> Response {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    HttpError::new(StatusCode::TOO_MANY_REQUESTS, "Too Many Requests")
        .with_header("retry-after", &secs.max(1).to_string())
        .into_response()
}

fn document(ctx: &mut DocCtx, op: &mut Operation, count: NonZeroU32, per: Duration) {
    let period = match per.as_secs() {
        1 => "second",
        60 => "minute",
        _ => "hour",
    };
    let description = format!(
        "Too many requests: at most {count} a {period} per client. Retry after the seconds in `Retry-After`"
    );
    if !op.responses.contains("429") {
        match <crate::HttpError as crate::ResponseModel>::response_schema(ctx) {
            Some(schema) => op
                .responses
                .json(StatusCode::TOO_MANY_REQUESTS, &description, schema),
            None => op
                .responses
                .empty(StatusCode::TOO_MANY_REQUESTS, &description),
        }
    }
    op.responses.header(
        StatusCode::TOO_MANY_REQUESTS,
        "Retry-After",
        "Seconds to wait before the next request may pass",
        serde_json::json!({"type": "integer", "minimum": 1}),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_are_counted_by_their_network() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(network(a), network(b));
        assert_ne!(network(a), network(other));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(network(mapped), "192.0.2.7".parse::<IpAddr>().unwrap());
    }

    /// Keys whose bucket is full again are forgotten, so a flood of invented keys does not
    /// stay in memory.
    #[test]
    fn forgotten_keys_free_their_memory() {
        let limiter = Limiter {
            limiter: DefaultKeyedRateLimiter::dashmap(Quota::per_second(nonzero(1000))),
            key: KeyBy::Peer,
            checks: AtomicU32::new(0),
            #[cfg(feature = "redis")]
            shared: None,
            #[cfg(feature = "redis")]
            warned: std::sync::Mutex::new(None),
        };
        for i in 0..10_000 {
            let _ = limiter.check(&Key::Text(i.to_string().into()));
        }
        std::thread::sleep(Duration::from_millis(20));
        for _ in 0..SWEEP_EVERY {
            let _ = limiter.check(&Key::Unknown);
        }
        assert!(
            limiter.limiter.len() < 10,
            "{} keys kept",
            limiter.limiter.len()
        );
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        let res = too_many_requests(Duration::from_millis(1200));
        assert_eq!(res.status(), 429);
        assert_eq!(res.headers()["retry-after"], "2");
        assert_eq!(
            too_many_requests(Duration::ZERO).headers()["retry-after"],
            "1"
        );
    }
}
