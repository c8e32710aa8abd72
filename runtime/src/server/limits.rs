//! The connection limits and their defaults.

use std::time::Duration;

/// Limits on each connection and on how many are open, applied by [`App::serve`] and
/// [`App::serve_on`](crate::App::serve_on). All are on by default; the defaults follow nginx's
/// and hyper's where those are safe, and are shorter where a slow client could otherwise hold
/// a connection for minutes:
///
/// | limit | default | what happens |
/// |---|---|---|
/// | [`header_read_timeout`](Self::header_read_timeout) | 10 s | a connection that has not sent a complete request head within it (counted from the connection opening, or from the first byte of a later request) is closed |
/// | [`keep_alive_timeout`](Self::keep_alive_timeout) | 75 s | a keep-alive connection that sends nothing for this long after a response is closed |
/// | [`body_read_timeout`](Self::body_read_timeout) | 60 s | a request body still arriving this long after the handler first waited for it is refused with 408 and the connection closed |
/// | [`send_timeout`](Self::send_timeout) | 60 s | a connection whose client reads none of the answer for this long (every write refused) is closed, as nginx's `send_timeout` does |
/// | [`max_connections`](Self::max_connections) | 10,000 | beyond it, new connections wait in the listen queue until one closes; never more than the process's descriptor limit allows |
///
/// ```
/// use std::time::Duration;
/// use ferrapi::prelude::*;
/// use ferrapi::server::ConnectionLimits;
///
/// let app = App::new().connection_limits(
///     ConnectionLimits::default()
///         .header_read_timeout(Duration::from_secs(5))
///         .max_connections(2_000),
/// );
/// ```
///
/// [`App::serve`]: crate::App::serve
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    pub(crate) header_read_timeout: Duration,
    pub(crate) keep_alive_timeout: Duration,
    pub(crate) body_read_timeout: Duration,
    pub(crate) send_timeout: Duration,
    pub(crate) max_connections: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_read_timeout: Duration::from_secs(10),
            keep_alive_timeout: Duration::from_secs(75),
            body_read_timeout: Duration::from_secs(60),
            send_timeout: Duration::from_secs(60),
            max_connections: 10_000,
        }
    }
}

impl ConnectionLimits {
    /// How long a client has to send a complete request head (slowloris protection).
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout.max(Duration::from_millis(1));
        self
    }
    /// How long an idle keep-alive connection is kept open after a response.
    pub fn keep_alive_timeout(mut self, timeout: Duration) -> Self {
        self.keep_alive_timeout = timeout.max(Duration::from_millis(1));
        self
    }
    /// How long a handler waits for a request body to arrive in full (raise it with
    /// [`App::body_limit`](crate::App::body_limit) for large uploads on slow links).
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.body_read_timeout = timeout.max(Duration::from_millis(1));
        self
    }
    /// How long a client may leave the answer unread (the socket refusing every write)
    /// before its connection is closed: slow-read attacks hold no connection for longer.
    pub fn send_timeout(mut self, timeout: Duration) -> Self {
        self.send_timeout = timeout.max(Duration::from_millis(1));
        self
    }
    /// The most connections open at once (WebSockets included).
    pub fn max_connections(mut self, n: usize) -> Self {
        self.max_connections = n.max(1);
        self
    }

    /// The header-read timeout in force.
    pub fn header_read_timeout_value(&self) -> Duration {
        self.header_read_timeout
    }
    /// The keep-alive timeout in force.
    pub fn keep_alive_timeout_value(&self) -> Duration {
        self.keep_alive_timeout
    }
    /// The body-read timeout in force.
    pub fn body_read_timeout_value(&self) -> Duration {
        self.body_read_timeout
    }
    /// The send timeout in force.
    pub fn send_timeout_value(&self) -> Duration {
        self.send_timeout
    }
    /// The connection cap asked for (the server may lower it to fit the descriptor limit).
    pub fn max_connections_value(&self) -> usize {
        self.max_connections
    }
}

/// The connection cap that fits the process's descriptor limit, after raising the soft
/// limit to the hard one (as Go's runtime does): a quarter of the descriptors, at most 256,
/// stay free for database pools, files and the listener.
pub(crate) fn effective_max_connections(asked: usize) -> usize {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(soft) => {
            let soft = usize::try_from(soft).unwrap_or(usize::MAX);
            let reserve = (soft / 4).min(256);
            asked.min(soft.saturating_sub(reserve).max(1))
        }
        Err(_) => asked,
    }
}
