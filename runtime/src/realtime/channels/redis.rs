//! The Redis pub/sub backend: one subscriber connection per process, driven by a task that
//! reconnects with backoff and subscribes every local channel again; publishing goes
//! through redis-rs's `ConnectionManager`, which reconnects on its own.

use std::sync::Arc;

use bytes::Bytes;
use futures_util::StreamExt;
use redis::aio::{PubSubSink, PubSubStream};
use tokio::sync::{mpsc, oneshot};
use tokio::time::timeout;

use super::commands::{stay_connected, Broker, Command, Commands};
use super::hub::Hub;
use super::{ChannelError, BROKER_TIMEOUT};
use crate::redis_conn::LazyConnection;

pub(super) struct RedisBackend {
    /// PUBLISH's connection (and the client the subscriber connection is opened with).
    publisher: LazyConnection,
    commands: Commands,
}

impl RedisBackend {
    pub(super) fn new(url: &str) -> Result<Self, ChannelError> {
        let publisher = LazyConnection::open(url, BROKER_TIMEOUT, 1)
            .map_err(|e| ChannelError::Config(format!("REDIS_URL: {e}")))?;
        Ok(RedisBackend {
            publisher,
            commands: Commands::new(),
        })
    }

    pub(super) async fn publish(
        &self,
        _hub: &Arc<Hub>,
        channel: &str,
        json: Vec<u8>,
    ) -> Result<(), ChannelError> {
        let mut conn = self
            .publisher
            .get()
            .await
            .map_err(ChannelError::Unavailable)?;
        let mut command = redis::cmd("PUBLISH");
        command.arg(channel).arg(json);
        let publish = command.query_async::<i64>(&mut conn);
        match timeout(BROKER_TIMEOUT, publish).await {
            Ok(Ok(_receivers)) => Ok(()),
            Ok(Err(e)) => Err(ChannelError::Unavailable(e.to_string())),
            Err(_) => Err(ChannelError::Unavailable("PUBLISH timed out".into())),
        }
    }

    /// Asks the subscriber task to subscribe; runs under the hub's lock.
    pub(super) fn subscribe(
        &self,
        hub: &Arc<Hub>,
        channel: &str,
    ) -> oneshot::Receiver<Result<(), ChannelError>> {
        let source = self.publisher.client().clone();
        let hub = hub.clone();
        self.commands.subscribe(channel, move |rx| {
            stay_connected(
                Subscriber {
                    client: source,
                    hub,
                },
                rx,
            )
        })
    }

    /// Runs under the hub's lock after the last local subscriber of `channel` left.
    pub(super) fn unsubscribe(&self, channel: &str) {
        self.commands.unsubscribe(channel);
    }
}

/// The subscriber connection.
struct Subscriber {
    client: redis::Client,
    hub: Arc<Hub>,
}

impl Broker for Subscriber {
    type Connection = (PubSubSink, PubSubStream);
    const NAME: &'static str = "Redis";

    fn hub(&self) -> &Hub {
        &self.hub
    }

    async fn connect(&mut self) -> Result<(PubSubSink, PubSubStream), String> {
        let pubsub = match timeout(BROKER_TIMEOUT, self.client.get_async_pubsub()).await {
            Ok(Ok(pubsub)) => pubsub,
            Ok(Err(e)) => return Err(e.to_string()),
            Err(_) => return Err("connecting timed out".into()),
        };
        let (mut sink, stream) = pubsub.split();
        let names = self.hub.names();
        if !names.is_empty()
            && !matches!(
                timeout(BROKER_TIMEOUT, sink.subscribe(&names)).await,
                Ok(Ok(()))
            )
        {
            return Err("subscribing again failed".into());
        }
        Ok((sink, stream))
    }

    async fn serve(
        &mut self,
        (sink, stream): (PubSubSink, PubSubStream),
        commands: &mut mpsc::UnboundedReceiver<Command>,
    ) -> Option<String> {
        serve(sink, stream, &self.hub, commands).await
    }
}

/// Delivers messages and runs commands until the connection fails (`Some(why)`) or the
/// channels are gone (`None`).
async fn serve(
    mut sink: PubSubSink,
    mut stream: PubSubStream,
    hub: &Hub,
    commands: &mut mpsc::UnboundedReceiver<Command>,
) -> Option<String> {
    loop {
        tokio::select! {
            msg = stream.next() => match msg {
                Some(m) => hub.deliver(
                    m.get_channel_name(),
                    Bytes::copy_from_slice(m.get_payload_bytes()),
                ),
                None => return Some("the connection closed".into()),
            },
            cmd = commands.recv() => match cmd {
                None => return None,
                Some(Command::Subscribe(name, ack)) => {
                    let why = match timeout(BROKER_TIMEOUT, sink.subscribe(&name)).await {
                        Ok(Ok(())) => { let _ = ack.send(Ok(())); continue; }
                        Ok(Err(_)) => "SUBSCRIBE failed",
                        Err(_) => "SUBSCRIBE timed out",
                    };
                    let _ = ack.send(Err(ChannelError::Unavailable(why.into())));
                    return Some(why.into());
                }
                Some(Command::Unsubscribe(name)) => {
                    let _ = timeout(BROKER_TIMEOUT, sink.unsubscribe(&name)).await;
                }
            },
        }
    }
}
