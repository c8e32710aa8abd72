//! The HTTP/1.1 server under [`App::serve`](crate::App::serve): accepts connections up to a
//! cap, closes the ones that send or read too slowly or sit idle too long, bounds how long a body may
//! take to arrive, and shuts down gracefully.
//!
//! axum's own `axum::serve` has none of these limits; an app served with
//! [`App::into_router`](crate::App::into_router) and `axum::serve` does not get them.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;

use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};

mod body;
mod connection;
mod limits;
mod memory;
mod service;

pub use body::{is_body_timeout, BodyTimedOut};
pub use limits::ConnectionLimits;

use connection::{ConnIo, ConnState};
use service::ConnService;

/// Serves `router` on `listener` until `shutdown` resolves, then lets open connections
/// finish their requests and returns once all have closed.
pub(crate) async fn serve(
    listener: TcpListener,
    router: axum::Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let cap = limits::effective_max_connections(limits.max_connections);
    if cap < limits.max_connections {
        tracing::info!(
            asked = limits.max_connections,
            cap,
            "connection cap lowered to fit the descriptor limit"
        );
    }
    let slots = Arc::new(Semaphore::new(cap));
    let (stop_tx, stop_rx) = watch::channel(());
    let (open_tx, open_rx) = watch::channel(());
    let connections = memory::OpenConnections::default();
    let mut shutdown = pin!(shutdown);
    let mut saturated = false;
    loop {
        if slots.available_permits() == 0 && !saturated {
            saturated = true;
            tracing::warn!(cap, "connection cap reached: new connections wait");
        }
        let slot = tokio::select! {
            biased;
            _ = &mut shutdown => break,
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
        };
        let (stream, peer) = tokio::select! {
            biased;
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
        };
        if saturated && slots.available_permits() > 0 {
            saturated = false;
        }
        let _ = stream.set_nodelay(true);
        connections.opened();
        let conn = Connection {
            stream,
            peer,
            slot,
            router: router.clone(),
            limits,
            stop: stop_rx.clone(),
            open: open_rx.clone(),
            connections: connections.clone(),
        };
        tokio::spawn(conn.run());
    }
    drop(listener);
    drop(stop_rx);
    drop(open_rx);
    let _ = stop_tx.send(());
    open_tx.closed().await;
    Ok(())
}

/// Errors that concern one connection are skipped; others (such as running out of
/// descriptors) pause accepting briefly rather than spinning.
async fn accept_failed(e: io::Error) {
    use io::ErrorKind::*;
    if matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    ) {
        return;
    }
    tracing::warn!(error = %e, "accepting a connection failed");
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
}

/// How long a connection accepted before shutdown, whose client has not sent anything yet,
/// is given to start its request once shutdown begins.
const FIRST_REQUEST_AT_SHUTDOWN: std::time::Duration = std::time::Duration::from_millis(500);

struct Connection {
    stream: TcpStream,
    peer: SocketAddr,
    slot: tokio::sync::OwnedSemaphorePermit,
    router: axum::Router,
    limits: ConnectionLimits,
    stop: watch::Receiver<()>,
    /// Held while the connection is open, so shutdown can wait for it.
    open: watch::Receiver<()>,
    /// The server's count of open connections.
    connections: memory::OpenConnections,
}

impl Connection {
    /// Serves the connection, then counts it closed once its buffers are freed.
    async fn run(self) {
        let connections = self.connections.clone();
        self.serve().await;
        connections.closed();
    }

    async fn serve(mut self) {
        let state = ConnState::new();
        let io = TokioIo::new(ConnIo::new(self.stream, state.clone(), self.slot));
        let service = ConnService {
            router: self.router,
            peer: self.peer,
            body_timeout: self.limits.body_read_timeout,
            state: state.clone(),
        };
        let mut builder = hyper::server::conn::http1::Builder::new();
        // The watchdog below times the request head; hyper's own timer would also count
        // the keep-alive wait against it.
        builder.header_read_timeout(None);
        let mut conn = pin!(builder.serve_connection(io, service).with_upgrades());
        let mut stopping = false;
        // Shutdown began before the client sent anything: hyper would close the connection
        // at once, and the request, most likely on its way, would get no answer. So the
        // connection is given until then to start its request.
        let mut shutdown_due: Option<tokio::time::Instant> = None;
        // Phases change without waking this task, so it looks again at least this often:
        // a phase that began since the last look is then timed exactly.
        let look_again = (self.limits.header_read_timeout)
            .min(self.limits.keep_alive_timeout)
            .min(self.limits.send_timeout);
        loop {
            let next_look = tokio::time::Instant::now() + look_again;
            let mut wake = match state.deadline(&self.limits) {
                Some(deadline) => deadline.min(next_look),
                None => next_look,
            };
            if let Some(due) = shutdown_due {
                wake = wake.min(due);
            }
            tokio::select! {
                biased;
                result = conn.as_mut() => {
                    if let Err(e) = result {
                        tracing::trace!(error = %e, "connection ended with an error");
                    }
                    break;
                }
                _ = self.stop.changed(), if !stopping => {
                    stopping = true;
                    if state.heard() {
                        conn.as_mut().graceful_shutdown();
                    } else {
                        let wait = FIRST_REQUEST_AT_SHUTDOWN.min(self.limits.header_read_timeout);
                        shutdown_due = Some(tokio::time::Instant::now() + wait);
                    }
                }
                _ = state.first_byte(), if shutdown_due.is_some() => {
                    // The request has begun: hyper answers it, then closes.
                    shutdown_due = None;
                    conn.as_mut().graceful_shutdown();
                }
                _ = tokio::time::sleep_until(wake) => {
                    if shutdown_due.is_some_and(|due| due <= tokio::time::Instant::now()) {
                        shutdown_due = None;
                        conn.as_mut().graceful_shutdown();
                        continue;
                    }
                    if state
                        .deadline(&self.limits)
                        .is_some_and(|d| d <= tokio::time::Instant::now())
                    {
                        tracing::debug!(peer = %self.peer, "closing a slow or idle connection");
                        break;
                    }
                }
            }
        }
        drop(self.open);
    }
}
