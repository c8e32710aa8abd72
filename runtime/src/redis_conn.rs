//! A Redis connection opened on first use and shared by every caller (redis-rs's
//! `ConnectionManager`, which reconnects on its own): what `RateLimit::shared` and the
//! Redis channels' publisher each hold one of.

use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use tokio::sync::OnceCell;

/// A server's address and, once a caller needed it, the connection.
pub(crate) struct LazyConnection {
    client: redis::Client,
    conn: OnceCell<ConnectionManager>,
    /// The bound on connecting, and on each command's answer.
    timeout: Duration,
    /// Reconnection attempts within one command.
    retries: usize,
}

impl LazyConnection {
    /// For the server at `url` (not contacted until [`get`](Self::get)).
    pub(crate) fn open(
        url: &str,
        timeout: Duration,
        retries: usize,
    ) -> Result<Self, redis::RedisError> {
        Ok(LazyConnection {
            client: redis::Client::open(url)?,
            conn: OnceCell::new(),
            timeout,
            retries,
        })
    }

    /// The client, for connections of another kind (pub/sub).
    pub(crate) fn client(&self) -> &redis::Client {
        &self.client
    }

    /// The shared connection, opened on the first call within the timeout; a failed
    /// opening is retried by the next call.
    pub(crate) async fn get(&self) -> Result<ConnectionManager, String> {
        let conn = self
            .conn
            .get_or_try_init(|| async {
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(self.timeout))
                    .set_response_timeout(Some(self.timeout))
                    .set_number_of_retries(self.retries);
                let opening = self.client.get_connection_manager_with_config(config);
                match tokio::time::timeout(self.timeout * 2, opening).await {
                    Ok(Ok(conn)) => Ok(conn),
                    Ok(Err(e)) => Err(e.to_string()),
                    Err(_) => Err("connecting timed out".to_string()),
                }
            })
            .await?;
        Ok(conn.clone())
    }
}
