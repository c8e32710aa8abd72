//! The local fan-out every backend delivers into: one bounded broadcast ring per channel
//! that has subscribers in this process.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use tokio::sync::{broadcast, oneshot, watch};

use super::ChannelError;

/// What a channel's ring carries.
#[derive(Clone, Debug)]
pub(super) enum Item {
    /// A published message, as its JSON bytes.
    Message(Bytes),
    /// The broker connection was lost and is back: messages in between may be missing.
    #[cfg_attr(not(any(feature = "redis", feature = "postgres")), allow(dead_code))]
    Interrupted,
}

/// Whether the broker confirmed a channel's subscription.
#[derive(Clone, Debug)]
pub(super) enum Confirmed {
    /// Asked, not answered yet.
    Pending,
    /// Subscribed at the broker (or no broker).
    Yes,
    /// Refused or unreachable: the next subscriber asks again.
    No(ChannelError),
}

/// One channel's ring and the state of its subscription at the broker, which every local
/// subscriber waits for (not only the first), so none returns before messages can arrive.
struct Ring {
    tx: broadcast::Sender<Item>,
    confirmed: Arc<watch::Sender<Confirmed>>,
}

/// The broker's answer to a subscription, as the hub hands it out.
pub(super) type Ack = oneshot::Receiver<Result<(), ChannelError>>;

/// The channels this process subscribes to.
pub(super) struct Hub {
    channels: Mutex<HashMap<String, Ring>>,
    capacity: usize,
    closed: watch::Sender<bool>,
    /// The app's "stopping" signal, once the channels are registered with an app.
    app_stopping: Mutex<Option<watch::Receiver<bool>>>,
}

impl Hub {
    pub(super) fn new(capacity: usize) -> Self {
        Hub {
            channels: Mutex::new(HashMap::new()),
            capacity: capacity.max(1),
            closed: watch::channel(false).0,
            app_stopping: Mutex::new(None),
        }
    }

    /// A receiver on `name`'s ring (created if it is the first), and the confirmation to
    /// wait for. `ask` sends the subscription to the broker (`None`: no broker); it runs
    /// under the hub's lock when the ring is new or its last attempt failed, so the broker
    /// hears of subscriptions and releases in the order they happened.
    pub(super) fn subscribe(
        &self,
        name: &str,
        ask: impl FnOnce() -> Option<Ack>,
    ) -> Option<(broadcast::Receiver<Item>, watch::Receiver<Confirmed>)> {
        if *self.closed.borrow() {
            return None;
        }
        let mut channels = self.channels.lock().expect("channels lock");
        let ring = channels.entry(name.to_string()).or_insert_with(|| Ring {
            tx: broadcast::channel(self.capacity).0,
            confirmed: Arc::new(watch::channel(Confirmed::No(ChannelError::Closed)).0),
        });
        if matches!(*ring.confirmed.borrow(), Confirmed::No(_)) {
            match ask() {
                None => {
                    ring.confirmed.send_replace(Confirmed::Yes);
                }
                Some(ack) => {
                    ring.confirmed.send_replace(Confirmed::Pending);
                    // Answered by a task, so a subscriber that gives up waiting does not
                    // leave the others waiting forever.
                    let confirmed = ring.confirmed.clone();
                    tokio::spawn(async move {
                        let answer = ack.await.unwrap_or(Err(ChannelError::Closed));
                        confirmed.send_replace(match answer {
                            Ok(()) => Confirmed::Yes,
                            Err(e) => Confirmed::No(e),
                        });
                    });
                }
            }
        }
        Some((ring.tx.subscribe(), ring.confirmed.subscribe()))
    }

    /// Called after a receiver of `name` was dropped: forgets the ring when it was the last
    /// one, running `last` under the lock.
    pub(super) fn release(&self, name: &str, last: impl FnOnce()) {
        let mut channels = self.channels.lock().expect("channels lock");
        if channels
            .get(name)
            .is_some_and(|ring| ring.tx.receiver_count() == 0)
        {
            channels.remove(name);
            last();
        }
    }

    /// Hands a message to this process's subscribers of `name`; never waits (a subscriber
    /// that is `capacity` messages behind loses the oldest and is told how many).
    pub(super) fn deliver(&self, name: &str, message: Bytes) {
        let channels = self.channels.lock().expect("channels lock");
        if let Some(ring) = channels.get(name) {
            let _ = ring.tx.send(Item::Message(message));
        }
    }

    /// Whether this process subscribes to `name`.
    pub(super) fn has(&self, name: &str) -> bool {
        self.channels
            .lock()
            .expect("channels lock")
            .contains_key(name)
    }

    /// Tells every subscriber that messages may have been lost; every channel is subscribed
    /// at the broker again.
    #[cfg_attr(not(any(feature = "redis", feature = "postgres")), allow(dead_code))]
    pub(super) fn interrupt_all(&self) {
        let channels = self.channels.lock().expect("channels lock");
        for ring in channels.values() {
            ring.confirmed.send_replace(Confirmed::Yes);
            let _ = ring.tx.send(Item::Interrupted);
        }
    }

    /// The channels with subscribers here (what a new broker connection subscribes to).
    #[cfg_attr(not(any(feature = "redis", feature = "postgres")), allow(dead_code))]
    pub(super) fn names(&self) -> Vec<String> {
        let channels = self.channels.lock().expect("channels lock");
        channels.keys().cloned().collect()
    }

    /// Ends every subscription and refuses new ones.
    pub(super) fn close(&self) {
        self.closed.send_replace(true);
        self.channels.lock().expect("channels lock").clear();
    }

    pub(super) fn is_closed(&self) -> bool {
        *self.closed.borrow()
    }

    /// Becomes `true` once [`close`](Hub::close) was called.
    pub(super) fn closed(&self) -> watch::Receiver<bool> {
        self.closed.subscribe()
    }

    /// Subscriptions also end when `stopping` becomes `true` (the app begins to stop).
    pub(super) fn end_with(&self, stopping: watch::Receiver<bool>) {
        *self.app_stopping.lock().expect("channels lock") = Some(stopping);
    }

    /// The app's stopping signal, if the channels were registered with an app.
    pub(super) fn app_stopping(&self) -> Option<watch::Receiver<bool>> {
        self.app_stopping.lock().expect("channels lock").clone()
    }
}
