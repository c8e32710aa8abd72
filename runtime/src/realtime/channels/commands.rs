//! What a broker backend shares: the commands subscriptions send to its connection task,
//! the task started by the first subscription, and the wait between reconnection attempts.

use std::future::Future;
use std::sync::Mutex;

use tokio::sync::{mpsc, oneshot};

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

/// Waits before reconnection attempt `attempt`, refusing subscriptions meanwhile with
/// `why`. `false` when every handle of the channels is gone (the task should end).
pub(super) async fn wait_to_retry(
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
