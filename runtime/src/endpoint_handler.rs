//! How a generated endpoint function becomes an axum handler: called directly with the
//! app's state and the request, and answering 500 if it panics.
//!
//! The route macros generate `async fn(AppState, Request) -> Response`; wrapping it in
//! [`EndpointHandler`] spares axum's extractor machinery and a panic-catching layer around
//! every route (each router layer boxes and clones per request): the panic is caught here,
//! per poll, with no allocation.

use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::response::Response;

use crate::extract::AppState;

/// A generated endpoint as the route macros hand it over: its function behind one pointer
/// type, its future boxed. Every endpoint of an app has this same type, so axum's handler
/// machinery (its services, futures and boxing) is compiled once per app rather than once
/// per endpoint; the price is one allocation per request.
pub type EndpointFn = fn(AppState, Request) -> Pin<Box<dyn Future<Output = Response> + Send>>;

/// The axum route of a generated endpoint answering the methods of `filter`.
pub fn endpoint_route(
    filter: axum::routing::MethodFilter,
    endpoint: EndpointFn,
) -> axum::routing::MethodRouter<AppState> {
    axum::routing::on(filter, EndpointHandler(endpoint))
}

/// A generated endpoint function as an axum [`Handler`](axum::handler::Handler).
#[derive(Clone, Copy)]
pub struct EndpointHandler<F>(pub F);

/// The `Handler` marker type of [`EndpointHandler`].
pub struct Generated;

impl<F, Fut> axum::handler::Handler<Generated, AppState> for EndpointHandler<F>
where
    F: Fn(AppState, Request) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Response> + Send + 'static,
{
    type Future = CatchPanic<Fut>;

    fn call(self, req: Request, state: AppState) -> Self::Future {
        CatchPanic {
            inner: (self.0)(state, req),
        }
    }
}

pin_project_lite::pin_project! {
    /// The endpoint's future; a panic while polling it answers 500.
    pub struct CatchPanic<F> {
        #[pin]
        inner: F,
    }
}

impl<F: Future<Output = Response>> Future for CatchPanic<F> {
    type Output = Response;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Response> {
        let inner = self.project().inner;
        match std::panic::catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(poll) => poll,
            Err(panic) => Poll::Ready(panic_response(panic)),
        }
    }
}

/// The JSON 500 answered for a panic, which is logged with its message.
pub(crate) fn panic_response(err: Box<dyn Any + Send + 'static>) -> Response {
    let msg = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = msg, "handler panicked");
    let mut res = crate::reply::internal_error();
    res.extensions_mut()
        .insert(crate::error::ErrorSource::Internal);
    res
}

/// The same 500 for code outside generated endpoints (guards, merged axum routers).
pub(crate) fn catch_panic_layer(
) -> tower_http::catch_panic::CatchPanicLayer<fn(Box<dyn Any + Send + 'static>) -> Response> {
    tower_http::catch_panic::CatchPanicLayer::custom(panic_response as fn(_) -> _)
}
