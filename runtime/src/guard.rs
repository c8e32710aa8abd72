//! Guards: checks run before every route of a router (or app), each documented in the
//! operations it guards.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::response::IntoResponse;
use axum::routing::MethodRouter;

use crate::describe::ApiInput;
use crate::extract::AppState;
use crate::spec::{DocCtx, Operation};

type Apply = dyn Fn(MethodRouter<AppState>, AppState) -> MethodRouter<AppState> + Send + Sync;
type Document = dyn Fn(&mut DocCtx, &mut Operation) + Send + Sync;

/// A check run for every route of a router (or app) before the handler: security
/// schemes, [`Auth`](crate::security::Auth), a `RateLimit` (feature `rate-limit`),
/// or any dependency whose answer may refuse the request. It is documented in every
/// operation it guards.
#[derive(Clone)]
pub struct Guard {
    apply: Arc<Apply>,
    document: Arc<Document>,
}

impl std::fmt::Debug for Guard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Guard")
    }
}

impl Guard {
    /// A guard running extractor `T`: its refusal is the response.
    pub fn of<T>() -> Self
    where
        T: FromRequestParts<AppState> + ApiInput + Send + 'static,
        T::Rejection: IntoResponse,
    {
        Guard::new(
            |mr, state| mr.route_layer(axum::middleware::from_fn_with_state(state, run_guard::<T>)),
            T::document,
        )
    }

    /// A guard from its two halves: how it wraps a route, and how it documents one.
    pub fn new(
        apply: impl Fn(MethodRouter<AppState>, AppState) -> MethodRouter<AppState>
            + Send
            + Sync
            + 'static,
        document: impl Fn(&mut DocCtx, &mut Operation) + Send + Sync + 'static,
    ) -> Self {
        Guard {
            apply: Arc::new(apply),
            document: Arc::new(document),
        }
    }

    /// Wraps a route's method router.
    pub fn apply(&self, route: MethodRouter<AppState>, state: AppState) -> MethodRouter<AppState> {
        (self.apply)(route, state)
    }

    /// Documents the guard on an operation.
    pub fn document(&self, ctx: &mut DocCtx, op: &mut Operation) {
        (self.document)(ctx, op)
    }
}

async fn run_guard<T>(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response
where
    T: FromRequestParts<AppState> + Send + 'static,
    T::Rejection: IntoResponse,
{
    let (mut parts, body) = req.into_parts();
    if let Err(rej) = T::from_request_parts(&mut parts, &state).await {
        return rej.into_response();
    }
    next.run(axum::extract::Request::from_parts(parts, body))
        .await
}
