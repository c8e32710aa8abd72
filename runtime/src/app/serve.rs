//! Serving: start-up hooks, graceful shutdown bounded in time, shutdown hooks.

use std::future::Future;
use std::net::SocketAddr;

use super::App;

/// Where [`App::serve`] listens: an address (`SocketAddr`, `"127.0.0.1:8000"`,
/// `([127, 0, 0, 1], 8000)`), or a listener you bound yourself (`tokio::net::TcpListener`,
/// or a `std::net::TcpListener`, such as one inherited from a parent process).
pub trait Listen: Send {
    /// The bound listener.
    fn listen(self) -> impl Future<Output = std::io::Result<tokio::net::TcpListener>> + Send;
}

impl Listen for SocketAddr {
    async fn listen(self) -> std::io::Result<tokio::net::TcpListener> {
        listen(self)
    }
}

impl Listen for ([u8; 4], u16) {
    async fn listen(self) -> std::io::Result<tokio::net::TcpListener> {
        listen(SocketAddr::from(self))
    }
}

impl Listen for &str {
    async fn listen(self) -> std::io::Result<tokio::net::TcpListener> {
        let addr = tokio::net::lookup_host(self).await?.next().ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("no address for {self}"),
            )
        })?;
        listen(addr)
    }
}

impl Listen for tokio::net::TcpListener {
    async fn listen(self) -> std::io::Result<tokio::net::TcpListener> {
        Ok(self)
    }
}

/// A listener bound by other code, or inherited (made non-blocking here, as tokio needs).
impl Listen for std::net::TcpListener {
    async fn listen(self) -> std::io::Result<tokio::net::TcpListener> {
        self.set_nonblocking(true)?;
        tokio::net::TcpListener::from_std(self)
    }
}

impl App {
    /// Serves until Ctrl-C or SIGTERM, from inside your own runtime (`#[tokio::main]`):
    /// on an address, or on a listener you bound. In-flight requests finish first.
    ///
    /// ```no_run
    /// use ferrapi::prelude::*;
    ///
    /// #[tokio::main]
    /// async fn main() -> std::io::Result<()> {
    ///     // Build pools and clients here, then hand them to the app as state.
    ///     App::new().serve("127.0.0.1:8000").await
    /// }
    /// ```
    pub async fn serve(self, on: impl Listen) -> std::io::Result<()> {
        let listener = on.listen().await?;
        self.serve_on(listener, shutdown_signal()).await
    }

    /// Serves on a bound listener until `shutdown` resolves: runs the start-up hooks, then
    /// serves; on shutdown lets in-flight requests finish, waits for background work (up
    /// to the shutdown timeout), and runs the shutdown hooks.
    pub async fn serve_on(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let mut app = self
            .prepare()
            .await
            .map_err(|e| std::io::Error::other(e.0))?;
        let tracker = app.tracker.clone();
        let sessions = app.sessions.clone();
        let stopping = app.shutdown_tx.clone();
        let limit = app.shutdown_timeout;
        let hooks = std::mem::take(&mut app.shutdown);
        let limits = app.connection_limits;
        let drain = app.drain_period;
        let readiness = app.readiness.clone();
        let router = app
            .try_into_router()
            .map_err(|e| std::io::Error::other(e.0))?;
        tracing::info!("serving on http://{}", listener.local_addr()?);
        // In-flight requests get up to the shutdown timeout to finish; long-lived ones
        // (server-sent events, WebSockets) are then cut, so shutdown is bounded.
        let (stopping_tx, stopping_rx) = tokio::sync::oneshot::channel::<()>();
        let server = crate::server::serve(listener, router, limits, async move {
            shutdown.await;
            if !drain.is_zero() {
                // Not ready, still serving: the balancer moves traffic away first.
                readiness.set_draining();
                tracing::info!(
                    ?drain,
                    "draining: /health/ready answers 503 until connections close"
                );
                tokio::time::sleep(drain).await;
            }
            // WebSocket sessions close with 1001 now; their handlers get a moment to end.
            stopping.send_replace(true);
            let _ = stopping_tx.send(());
        });
        let deadline = async move {
            if stopping_rx.await.is_ok() {
                tokio::time::sleep(limit).await;
            } else {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            r = server => r?,
            _ = deadline => {
                tracing::warn!(?limit, "connections still open after the shutdown timeout: closing them");
            }
        }
        if !sessions.wait_idle(limit).await {
            tracing::warn!(
                open = sessions.running(),
                "WebSocket sessions still open at shutdown"
            );
        }
        if !tracker.wait_idle(limit).await {
            tracing::warn!(
                running = tracker.running(),
                "background work still running at shutdown"
            );
        }
        for hook in hooks {
            hook().await;
        }
        Ok(())
    }
}

/// The listen queue: connections the kernel has completed and the server not yet accepted.
/// tokio's default (1,024) overflows under a burst of connections, and the clients of
/// dropped handshakes believe they are connected; this is Go's and nginx's choice on Linux
/// (the kernel caps it at `net.core.somaxconn`).
const LISTEN_BACKLOG: u32 = 4096;

/// Binds `addr` with [`LISTEN_BACKLOG`] and `SO_REUSEADDR` (a restarted server binds at once
/// while old connections linger in `TIME_WAIT`).
pub(crate) fn listen(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
