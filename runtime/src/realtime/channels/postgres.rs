//! The PostgreSQL backend: LISTEN on one connection per process (sqlx's `PgListener`,
//! which reconnects and listens again on its own), NOTIFY through a small pool.

use std::sync::Arc;

use bytes::Bytes;
use sqlx::postgres::{PgListener, PgPool, PgPoolOptions};
use tokio::sync::{mpsc, oneshot};
use tokio::time::timeout;

use super::commands::{stay_connected, Broker, Command, Commands};
use super::hub::Hub;
use super::{ChannelError, BROKER_TIMEOUT};

/// NOTIFY's payload limit (PostgreSQL refuses 8,000 bytes and more).
pub(super) const MAX_PAYLOAD_BYTES: usize = 7_999;

pub(super) struct PgBackend {
    /// NOTIFY's connections.
    pool: PgPool,
    /// The listener's one connection.
    listen_pool: PgPool,
    commands: Commands,
}

impl PgBackend {
    pub(super) fn new(url: &str) -> Result<Self, ChannelError> {
        let pool = |max| {
            PgPoolOptions::new()
                .max_connections(max)
                .acquire_timeout(BROKER_TIMEOUT)
                .connect_lazy(url)
                .map_err(|e| ChannelError::Config(format!("channels URL: {e}")))
        };
        let (pool, listen_pool) = (pool(4)?, pool(1)?);
        Ok(PgBackend {
            pool,
            listen_pool,
            commands: Commands::new(),
        })
    }

    pub(super) async fn publish(
        &self,
        _hub: &Arc<Hub>,
        channel: &str,
        json: Vec<u8>,
    ) -> Result<(), ChannelError> {
        // serde_json writes UTF-8.
        let payload = String::from_utf8(json).map_err(|e| ChannelError::Encode(e.to_string()))?;
        let notify = sqlx::query("SELECT pg_notify($1, $2)")
            .bind(channel)
            .bind(payload)
            .execute(&self.pool);
        match timeout(BROKER_TIMEOUT, notify).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(ChannelError::Unavailable(e.to_string())),
            Err(_) => Err(ChannelError::Unavailable("NOTIFY timed out".into())),
        }
    }

    pub(super) fn subscribe(
        &self,
        hub: &Arc<Hub>,
        channel: &str,
    ) -> oneshot::Receiver<Result<(), ChannelError>> {
        let source = self.listen_pool.clone();
        let hub = hub.clone();
        self.commands.subscribe(channel, move |rx| {
            stay_connected(Listening { pool: source, hub }, rx)
        })
    }

    pub(super) fn unsubscribe(&self, channel: &str) {
        self.commands.unsubscribe(channel);
    }
}

/// The listening connection (sqlx's listener itself reconnects once before it reports a
/// failure).
struct Listening {
    pool: PgPool,
    hub: Arc<Hub>,
}

impl Broker for Listening {
    type Connection = PgListener;
    const NAME: &'static str = "PostgreSQL";

    fn hub(&self) -> &Hub {
        &self.hub
    }

    async fn connect(&mut self) -> Result<PgListener, String> {
        match timeout(BROKER_TIMEOUT, listen(&self.pool, &self.hub)).await {
            Ok(Ok(listener)) => Ok(listener),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err("connecting timed out".into()),
        }
    }

    async fn serve(
        &mut self,
        mut listener: PgListener,
        commands: &mut mpsc::UnboundedReceiver<Command>,
    ) -> Option<String> {
        serve(&mut listener, &self.hub, commands).await
    }
}

/// A listener on every channel the hub has.
async fn listen(pool: &PgPool, hub: &Hub) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.ignore_pool_close_event(true);
    let names = hub.names();
    if !names.is_empty() {
        listener
            .listen_all(names.iter().map(String::as_str))
            .await?;
    }
    Ok(listener)
}

/// Delivers notifications and runs commands until the connection fails (`Some(why)`) or
/// the channels are gone (`None`). sqlx reconnects a dropped connection by itself once
/// (`try_recv` answers `None`): subscribers are told messages may be missing.
async fn serve(
    listener: &mut PgListener,
    hub: &Hub,
    commands: &mut mpsc::UnboundedReceiver<Command>,
) -> Option<String> {
    loop {
        tokio::select! {
            received = listener.try_recv() => match received {
                Ok(Some(n)) => hub.deliver(n.channel(), Bytes::copy_from_slice(n.payload().as_bytes())),
                Ok(None) => {
                    tracing::info!("channels: PostgreSQL connection was lost and is back");
                    hub.interrupt_all();
                }
                Err(e) => return Some(e.to_string()),
            },
            cmd = commands.recv() => match cmd {
                None => return None,
                Some(Command::Subscribe(name, ack)) => {
                    let why = match timeout(BROKER_TIMEOUT, listener.listen(&name)).await {
                        Ok(Ok(())) => { let _ = ack.send(Ok(())); continue; }
                        Ok(Err(e)) => e.to_string(),
                        Err(_) => "LISTEN timed out".to_string(),
                    };
                    let _ = ack.send(Err(ChannelError::Unavailable(why.clone())));
                    return Some(why);
                }
                Some(Command::Unsubscribe(name)) => {
                    if timeout(BROKER_TIMEOUT, listener.unlisten(&name)).await.is_err() {
                        return Some("UNLISTEN timed out".into());
                    }
                }
            },
        }
    }
}
