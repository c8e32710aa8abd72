//! Request inputs: scalar parameters, JSON bodies, application state.
//!
//! Handlers name their inputs in the signature; the route macro decides where each comes
//! from (see the table in the guide) and these types do the reading:
//!
//! - scalars from the path, query, headers and cookies: [`param`];
//! - a JSON body: [`Json`](crate::Json);
//! - a struct of query parameters: [`Query`](query::Query);
//! - a form body: [`Form`](crate::Form) for a model, or `#[form]` arguments;
//! - shared application state: [`State`];
//! - any axum extractor, passed through unchanged.

pub mod body_fields;
mod cookie_header;
pub mod fields;
pub mod form;
pub(crate) mod form_fields;
pub mod json;
mod list_scan;
#[cfg(feature = "multipart")]
mod multipart;
pub mod param;
pub mod query;
pub(crate) mod sources;
pub mod upload;

pub use sources::Values;
pub(crate) use sources::{header_values, Cookies, QueryPairs};

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use axum::extract::FromRequestParts;
use http::request::Parts;

use crate::describe::ApiInput;
use crate::error::{HttpError, Rejection};
use crate::spec::{DocCtx, Operation};

/// The state every ferrapi route receives: the values registered with
/// [`App::state`](crate::App::state) and the app's settings.
#[derive(Clone, Default)]
pub struct AppState(pub(crate) Arc<AppStateInner>);

/// Values by their type. A `TypeId` is a hash already: hashing it again with SipHash cost
/// every request that reads the state some 140 instructions.
pub(crate) type TypeMap =
    HashMap<TypeId, Box<dyn Any + Send + Sync>, BuildHasherDefault<TypeIdHasher>>;

/// The hasher of [`TypeMap`]: a `TypeId`'s own bits (it hashes itself with one
/// `write_u64`, or, should that change, with bytes folded here).
#[derive(Default)]
pub(crate) struct TypeIdHasher(u64);

impl Hasher for TypeIdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 ^= n;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

#[derive(Default)]
pub(crate) struct AppStateInner {
    pub(crate) values: TypeMap,
    pub(crate) overrides: TypeMap,
    pub(crate) body_limit: usize,
    /// Turns true when the server begins shutting down (WebSocket sessions close with 1001).
    #[cfg_attr(not(feature = "websockets"), allow(dead_code))]
    pub(crate) shutdown: Option<tokio::sync::watch::Receiver<bool>>,
    /// The open WebSocket sessions, which shutdown waits for.
    #[cfg_attr(not(feature = "websockets"), allow(dead_code))]
    pub(crate) sessions: crate::tracker::Tracker,
}

/// A dependency override: a function giving the value to use instead of the dependency's.
pub(crate) type Override<T> = Arc<dyn Fn() -> T + Send + Sync>;

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

#[cfg(test)]
mod type_map_tests {
    use super::*;

    #[test]
    fn every_type_finds_its_own_value() {
        let mut map = TypeMap::default();
        map.insert(TypeId::of::<u8>(), Box::new(1u8));
        map.insert(TypeId::of::<String>(), Box::new(String::from("two")));
        map.insert(TypeId::of::<(u8, u8)>(), Box::new((3u8, 3u8)));
        map.insert(TypeId::of::<Vec<u8>>(), Box::new(vec![4u8]));
        assert_eq!(map[&TypeId::of::<u8>()].downcast_ref::<u8>(), Some(&1));
        assert_eq!(
            map[&TypeId::of::<String>()]
                .downcast_ref::<String>()
                .map(String::as_str),
            Some("two")
        );
        assert_eq!(
            map[&TypeId::of::<(u8, u8)>()].downcast_ref(),
            Some(&(3u8, 3u8))
        );
        assert_eq!(
            map[&TypeId::of::<Vec<u8>>()].downcast_ref(),
            Some(&vec![4u8])
        );
        assert!(!map.contains_key(&TypeId::of::<u16>()));
        // Bytes, should a TypeId ever hash itself that way, spread over the hash too.
        let hash = |bytes: &[u8]| {
            let mut h = TypeIdHasher::default();
            h.write(bytes);
            h.finish()
        };
        assert_ne!(hash(&[1, 2]), hash(&[2, 1]));
    }
}
