//! The per-connection service: hands each request to the app's router with its body under
//! the body-read timeout and the client's address, and tells the connection's watchdog
//! when a request starts and when its response has been sent.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::routing::future::RouteFuture;
use bytes::Bytes;
use http::{Request, Response};
use http_body::{Frame, SizeHint};
use hyper::body::Incoming;
use pin_project_lite::pin_project;
use tower::Service;

use super::body::TimedBody;
use super::connection::ConnState;

pub(crate) struct ConnService {
    pub(crate) router: axum::Router,
    pub(crate) peer: SocketAddr,
    pub(crate) body_timeout: Duration,
    pub(crate) state: Arc<ConnState>,
}

impl hyper::service::Service<Request<Incoming>> for ConnService {
    type Response = Response<SentBody>;
    type Error = Infallible;
    type Future = ResponseFuture;

    fn call(&self, req: Request<Incoming>) -> ResponseFuture {
        self.state.busy();
        let mut req = req.map(|b| Body::new(TimedBody::new(b, self.body_timeout)));
        req.extensions_mut().insert(ConnectInfo(self.peer));
        ResponseFuture {
            inner: self.router.clone().call(req),
            state: Some(self.state.clone()),
        }
    }
}

pin_project! {
    pub(crate) struct ResponseFuture {
        #[pin]
        inner: RouteFuture<Infallible>,
        state: Option<Arc<ConnState>>,
    }
}

impl Future for ResponseFuture {
    type Output = Result<Response<SentBody>, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let res = match this.inner.poll(cx) {
            Poll::Ready(Ok(res)) => res,
            Poll::Ready(Err(never)) => match never {},
            Poll::Pending => return Poll::Pending,
        };
        let state = this.state.take();
        Poll::Ready(Ok(res.map(|inner| SentBody { inner, state })))
    }
}

/// A response body that marks the connection idle once hyper is done with it.
pub(crate) struct SentBody {
    inner: Body,
    state: Option<Arc<ConnState>>,
}

impl Drop for SentBody {
    fn drop(&mut self) {
        if let Some(state) = self.state.take() {
            state.idle();
        }
    }
}

impl http_body::Body for SentBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.get_mut().inner).poll_frame(cx)
    }
    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }
    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
