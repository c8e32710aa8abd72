//! What a broker backend shares: the commands subscriptions send to its connection task,
//! the task started by the first subscription, and the task's life of connecting, serving
//! and waiting between reconnection attempts.

use std::future::Future;
use std::sync::Mutex;

use tokio::sync::{mpsc, oneshot};

use super::hub::Hub;
use super::{backoff, ChannelError};

/// A request to the connection task.
pub(super) enum Command {
    /// Subscribe, and say when the broker confirmed.
    Subscribe(String, oneshot::Sender<Result<(), ChannelError>>),
    /// The last local subscriber left.
    Unsubscribe(String),
}

/// The sending side, and the receiving side until the task takes it.
pub(super) struct Commands {
    tx: mpsc::UnboundedSender<Command>,
    rx: Mutex<Option<mpsc::UnboundedReceiver<Command>>>,
}

impl Commands {
    pub(super) fn new() -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        Commands {
            tx,
            rx: Mutex::new(Some(rx)),
        }
    }

    /// Asks for a subscription (starting the connection task with `start` the first time);
    /// runs under the hub's lock.
    pub(super) fn subscribe<F>(
        &self,
        channel: &str,
        start: impl FnOnce(mpsc::UnboundedReceiver<Command>) -> F,
    ) -> oneshot::Receiver<Result<(), ChannelError>>
    where
        F: Future<Output = ()> + Send + 'static,
    {
        if let Some(rx) = self.rx.lock().expect("commands lock").take() {
            tokio::spawn(start(rx));
        }
        let (ack, answer) = oneshot::channel();
        let _ = self.tx.send(Command::Subscribe(channel.to_string(), ack));
        answer
    }

    /// Runs under the hub's lock after the last local subscriber of `channel` left.
    pub(super) fn unsubscribe(&self, channel: &str) {
        let _ = self.tx.send(Command::Unsubscribe(channel.to_string()));
    }
}

/// A broker's subscriber connection, as [`stay_connected`] drives it.
pub(super) trait Broker: Send {
    /// An open connection, subscribed to every channel the hub has.
    type Connection: Send;
    /// The broker's name in logs (`"Redis"`).
    const NAME: &'static str;
    /// The hub the connection delivers to.
    fn hub(&self) -> &Hub;
    /// Connects and subscribes every channel the hub has.
    fn connect(&mut self) -> impl Future<Output = Result<Self::Connection, String>> + Send;
    /// Delivers messages and runs commands until the connection fails (`Some(why)`) or
    /// every handle of the channels is gone (`None`).
    fn serve(
        &mut self,
        connection: Self::Connection,
        commands: &mut mpsc::UnboundedReceiver<Command>,
    ) -> impl Future<Output = Option<String>> + Send;
}

/// The connection task's life: connect, serve until the connection fails, then wait with
/// backoff and start over; ends when every handle of the channels is gone. When a
/// connection is back after a loss, every subscriber is told messages may be missing.
pub(super) async fn stay_connected<B: Broker>(
    mut broker: B,
    mut commands: mpsc::UnboundedReceiver<Command>,
) {
    let mut attempt = 0u32;
    let mut lost = false;
    loop {
        let why = match broker.connect().await {
            Ok(connection) => {
                attempt = 0;
                if lost {
                    tracing::info!("channels: {} connection is back", B::NAME);
                    broker.hub().interrupt_all();
                }
                match broker.serve(connection, &mut commands).await {
                    Some(why) => why,
                    None => return,
                }
            }
            Err(why) => why,
        };
        lost = true;
        if attempt == 0 {
            tracing::warn!(error = %why, "channels: {} connection lost; retrying", B::NAME);
        }
        if !wait_to_retry(&mut commands, attempt, &why).await {
            return;
        }
        attempt = attempt.saturating_add(1);
    }
}

/// Waits before reconnection attempt `attempt`, refusing subscriptions meanwhile with
/// `why`. `false` when every handle of the channels is gone (the task should end).
async fn wait_to_retry(
    commands: &mut mpsc::UnboundedReceiver<Command>,
    attempt: u32,
    why: &str,
) -> bool {
    let wait = tokio::time::sleep(backoff(attempt));
    tokio::pin!(wait);
    loop {
        tokio::select! {
            _ = &mut wait => return true,
            cmd = commands.recv() => match cmd {
                None => return false,
                Some(Command::Subscribe(_, ack)) => {
                    let _ = ack.send(Err(ChannelError::Unavailable(why.to_string())));
                }
                Some(Command::Unsubscribe(_)) => {}
            },
        }
    }
}
