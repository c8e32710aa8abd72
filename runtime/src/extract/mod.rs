//! Request inputs: scalar parameters, JSON bodies, application state.
//!
//! Handlers name their inputs in the signature; the route macro decides where each comes
//! from (see the table in the guide) and these types do the reading:
//!
//! - scalars from the path, query, headers and cookies: [`param`];
//! - a JSON body: [`Json`](crate::Json);
//! - a struct of query parameters: [`Query`](query::Query);
//! - a form body: [`Form`](crate::Form) for a model, or `#[form]` arguments ([`form_fields`]);
//! - shared application state: [`State`];
//! - any axum extractor, passed through unchanged.

pub mod fields;
pub mod form;
pub mod form_fields;
pub mod json;
pub mod param;
pub mod query;
pub mod upload;

use std::any::{Any, TypeId};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use http::request::Parts;
use smallvec::SmallVec;

use crate::describe::ApiInput;
use crate::error::{HttpError, Rejection};
use crate::spec::{DocCtx, Operation};

/// The state every ferrapi route receives: the values registered with
/// [`App::state`](crate::App::state) and the app's settings.
#[derive(Clone, Default)]
pub struct AppState(pub(crate) Arc<AppStateInner>);

#[derive(Default)]
pub(crate) struct AppStateInner {
    pub(crate) values: HashMap<TypeId, Box<dyn Any + Send + Sync>>,
    pub(crate) overrides: HashMap<TypeId, Box<dyn Any + Send + Sync>>,
    pub(crate) body_limit: usize,
}

/// A dependency override: a function giving the value to use instead of the dependency's.
pub(crate) type Override<T> = Arc<dyn Fn() -> T + Send + Sync>;

/// A dependency's value, cached in the request so it is built once however many inputs use it.
#[derive(Debug, Clone)]
pub struct DepCache<T>(pub T);

impl AppState {
    /// The registered value of type `T`, if any.
    pub fn get<T: Send + Sync + 'static>(&self) -> Option<&T> {
        self.0
            .values
            .get(&TypeId::of::<T>())
            .and_then(|b| b.downcast_ref())
    }

    /// The value to use instead of dependency `T`, when a test overrode it with
    /// [`App::override_dependency`](crate::App::override_dependency).
    pub fn dependency_override<T: 'static>(&self) -> Option<T> {
        if self.0.overrides.is_empty() {
            return None;
        }
        self.0
            .overrides
            .get(&TypeId::of::<T>())
            .and_then(|b| b.downcast_ref::<Override<T>>())
            .map(|f| f())
    }

    /// The maximum body size in bytes.
    pub fn body_limit(&self) -> usize {
        self.0.body_limit
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("values", &self.0.values.len())
            .field("body_limit", &self.0.body_limit)
            .finish()
    }
}

/// Shared application state of type `T`, registered with [`App::state`](crate::App::state).
///
/// ```
/// use ferrapi::prelude::*;
/// use std::sync::{Arc, atomic::{AtomicU64, Ordering}};
///
/// #[derive(Clone, Default)]
/// struct Counter(Arc<AtomicU64>);
///
/// #[get("/hits")]
/// async fn hits(counter: State<Counter>) -> Json<u64> {
///     Json(counter.0.0.fetch_add(1, Ordering::Relaxed) + 1)
/// }
///
/// let app = App::new().state(Counter::default()).routes(routes![hits]);
/// # let _ = app;
/// ```
///
/// Start-up fails with a message naming the type when a handler asks for a state value
/// that was never registered.
#[derive(Debug, Clone, Copy, Default)]
pub struct State<T>(pub T);

impl<T> std::ops::Deref for State<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Clone + Send + Sync + 'static> FromRequestParts<AppState> for State<T> {
    type Rejection = Rejection;

    async fn from_request_parts(_parts: &mut Parts, state: &AppState) -> Result<Self, Rejection> {
        match state.get::<T>() {
            Some(v) => Ok(State(v.clone())),
            None => Err(HttpError::internal(format!(
                "state of type {} was not registered",
                std::any::type_name::<T>()
            ))
            .into()),
        }
    }
}

impl<T: Clone + Send + Sync + 'static> ApiInput for State<T> {
    fn document(_ctx: &mut DocCtx, op: &mut Operation) {
        op.needs.state::<T>();
    }
}

/// Up to a few values for one parameter, without allocating in the common case.
pub type Values<'a> = SmallVec<[&'a str; 2]>;

/// The query string, decoded once per request.
#[derive(Debug, Default)]
pub struct QueryPairs<'a>(SmallVec<[(Cow<'a, str>, Cow<'a, str>); 8]>);

impl<'a> QueryPairs<'a> {
    /// Decodes `a=1&b=x+y` (`+` is a space, `%XX` escapes are decoded, a key without `=`
    /// has the empty value).
    pub fn parse(query: Option<&'a str>) -> Self {
        match query {
            None => QueryPairs(SmallVec::new()),
            Some(q) => QueryPairs(form_urlencoded::parse(q.as_bytes()).collect()),
        }
    }

    /// Every value for `name`, in order.
    pub fn values(&self, name: &str) -> Values<'_> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_ref())
            .collect()
    }
}

/// The path parameters matched by the router, percent-decoded.
#[derive(Debug, Default)]
pub struct PathParams(Vec<(Arc<str>, String)>);

impl PathParams {
    /// Reads the matched parameters from the request.
    pub async fn from_parts(parts: &mut Parts) -> Result<Self, Rejection> {
        match axum::extract::RawPathParams::from_request_parts(parts, &()).await {
            Ok(raw) => Ok(PathParams(
                raw.iter()
                    .map(|(k, v)| (Arc::from(k), v.to_owned()))
                    .collect(),
            )),
            Err(e) => Err(HttpError::bad_request(e.body_text()).into()),
        }
    }

    /// The value for `name` (none, or exactly one).
    pub fn values(&self, name: &str) -> Values<'_> {
        self.0
            .iter()
            .filter(|(k, _)| &**k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// Every value of header `name`, in order (headers that are not text are read lossily).
pub fn header_values<'a>(parts: &'a Parts, name: &str) -> Values<'a> {
    parts
        .headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect()
}

/// The cookies sent with the request, as `(name, value)` pairs.
#[derive(Debug, Default)]
pub struct Cookies<'a>(SmallVec<[(&'a str, &'a str); 4]>);

impl<'a> Cookies<'a> {
    /// Reads every `Cookie` header.
    pub fn parse(parts: &'a Parts) -> Self {
        let mut out = SmallVec::new();
        for h in parts.headers.get_all(http::header::COOKIE) {
            if let Ok(s) = h.to_str() {
                for pair in s.split(';') {
                    let pair = pair.trim();
                    if let Some((k, v)) = pair.split_once('=') {
                        let v = v.trim().trim_matches('"');
                        out.push((k.trim(), v));
                    }
                }
            }
        }
        Cookies(out)
    }

    /// The value of cookie `name` (the first one when repeated).
    pub fn values(&self, name: &str) -> Values<'a> {
        self.0
            .iter()
            .filter(|(k, _)| *k == name)
            .map(|(_, v)| *v)
            .take(1)
            .collect()
    }
}
