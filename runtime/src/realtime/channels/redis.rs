//! The Redis pub/sub backend: one subscriber connection per process, driven by a task that
//! reconnects with backoff and subscribes every local channel again; publishing goes
//! through redis-rs's `ConnectionManager`, which reconnects on its own.

use std::sync::Arc;

use bytes::Bytes;
use futures_util::StreamExt;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use tokio::sync::{mpsc, oneshot, OnceCell};
use tokio::time::timeout;

use super::commands::{wait_to_retry, Command, Commands};
use super::hub::Hub;
use super::{ChannelError, BROKER_TIMEOUT};

pub(super) struct RedisBackend {
    client: redis::Client,
    publisher: OnceCell<ConnectionManager>,
    commands: Commands,
}

impl RedisBackend {
    pub(super) fn new(url: &str) -> Result<Self, ChannelError> {
        let client = redis::Client::open(url)
            .map_err(|e| ChannelError::Config(format!("REDIS_URL: {e}")))?;
        Ok(RedisBackend {
            client,
            publisher: OnceCell::new(),
            commands: Commands::new(),
        })
    }

    pub(super) async fn publish(
        &self,
        _hub: &Arc<Hub>,
        channel: &str,
        json: Vec<u8>,
    ) -> Result<(), ChannelError> {
        let conn = self
            .publisher
            .get_or_try_init(|| async {
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(BROKER_TIMEOUT))
                    .set_response_timeout(Some(BROKER_TIMEOUT))
                    .set_number_of_retries(1);
                match timeout(
                    BROKER_TIMEOUT * 2,
                    self.client.get_connection_manager_with_config(config),
                )
                .await
                {
                    Ok(Ok(conn)) => Ok(conn),
                    Ok(Err(e)) => Err(unavailable(e)),
                    Err(_) => Err(ChannelError::Unavailable("connecting timed out".into())),
                }
            })
            .await?;
        let mut conn = conn.clone();
        let mut command = redis::cmd("PUBLISH");
        command.arg(channel).arg(json);
        let publish = command.query_async::<i64>(&mut conn);
        match timeout(BROKER_TIMEOUT, publish).await {
            Ok(Ok(_receivers)) => Ok(()),
            Ok(Err(e)) => Err(unavailable(e)),
            Err(_) => Err(ChannelError::Unavailable("PUBLISH timed out".into())),
        }
    }

    /// Asks the subscriber task to subscribe; runs under the hub's lock.
    pub(super) fn subscribe(
        &self,
        hub: &Arc<Hub>,
        channel: &str,
    ) -> oneshot::Receiver<Result<(), ChannelError>> {
        let source = self.client.clone();
        let hub = hub.clone();
        self.commands
            .subscribe(channel, move |rx| run(source, hub, rx))
    }

    /// Runs under the hub's lock after the last local subscriber of `channel` left.
    pub(super) fn unsubscribe(&self, channel: &str) {
        self.commands.unsubscribe(channel);
    }
}

fn unavailable(e: redis::RedisError) -> ChannelError {
    ChannelError::Unavailable(e.to_string())
}

/// The subscriber connection's life: connect, subscribe the hub's channels, deliver
/// messages, and on loss start again; ends when every handle of the channels is gone.
async fn run(client: redis::Client, hub: Arc<Hub>, mut commands: mpsc::UnboundedReceiver<Command>) {
    let mut attempt = 0u32;
    let mut lost = false;
    loop {
        let why = match timeout(BROKER_TIMEOUT, client.get_async_pubsub()).await {
            Ok(Ok(pubsub)) => {
                let (mut sink, mut stream) = pubsub.split();
                let names = hub.names();
                let resubscribed = names.is_empty()
                    || matches!(
                        timeout(BROKER_TIMEOUT, sink.subscribe(&names)).await,
                        Ok(Ok(()))
                    );
                if resubscribed {
                    attempt = 0;
                    if lost {
                        tracing::info!("channels: Redis connection is back");
                        hub.interrupt_all();
                    }
                    loop {
                        tokio::select! {
                            msg = stream.next() => match msg {
                                Some(m) => hub.deliver(
                                    m.get_channel_name(),
                                    Bytes::copy_from_slice(m.get_payload_bytes()),
                                ),
                                None => break "the connection closed".to_string(),
                            },
                            cmd = commands.recv() => match cmd {
                                None => return,
                                Some(Command::Subscribe(name, ack)) => {
                                    match timeout(BROKER_TIMEOUT, sink.subscribe(&name)).await {
                                        Ok(Ok(())) => { let _ = ack.send(Ok(())); }
                                        Ok(Err(e)) => {
                                            let _ = ack.send(Err(unavailable(e)));
                                            break "SUBSCRIBE failed".to_string();
                                        }
                                        Err(_) => {
                                            let _ = ack.send(Err(ChannelError::Unavailable(
                                                "SUBSCRIBE timed out".into(),
                                            )));
                                            break "SUBSCRIBE timed out".to_string();
                                        }
                                    }
                                }
                                Some(Command::Unsubscribe(name)) => {
                                    let _ = timeout(BROKER_TIMEOUT, sink.unsubscribe(&name)).await;
                                }
                            },
                        }
                    }
                } else {
                    "subscribing again failed".to_string()
                }
            }
            Ok(Err(e)) => e.to_string(),
            Err(_) => "connecting timed out".to_string(),
        };
        lost = true;
        if attempt == 0 {
            tracing::warn!(error = %why, "channels: Redis connection lost; retrying");
        }
        let retry = wait_to_retry(&mut commands, attempt, &why).await;
        attempt = attempt.saturating_add(1);
        if !retry {
            return;
        }
    }
}
