//! Named channels: publish a message, and every subscriber receives it, in this process
//! (in memory, the default) or in every instance of the app (through Redis pub/sub or
//! PostgreSQL LISTEN/NOTIFY).
//!
//! Each process keeps one bounded ring per channel that has local subscribers; the broker
//! connection (one per process, shared by all its subscriptions) only feeds those rings, so
//! a slow subscriber never slows the broker or the other subscribers: it skips ahead and is
//! told how many messages it missed ([`Gap::Lagged`]). A lost broker connection is retried
//! with backoff, every channel is subscribed again, and each subscriber receives
//! [`Gap::Interrupted`] (messages published meanwhile may be missing); publishing fails
//! with [`ChannelError::Unavailable`] while the broker cannot be reached.
//!
//! ```
//! use ferrapi::realtime::{Channels, Gap};
//!
//! #[tokio::main]
//! async fn main() {
//!     // REDIS_URL (or CHANNELS_URL) chooses a broker; without either, memory.
//!     let channels = Channels::memory();
//!     let mut news = channels.subscribe::<String>("news").await.unwrap();
//!     channels.publish("news", "hello").await.unwrap();
//!     match news.recv().await {
//!         Some(Ok(text)) => assert_eq!(text, "hello"),
//!         Some(Err(Gap::Lagged { missed })) => println!("missed {missed}"),
//!         other => panic!("{other:?}"),
//!     }
//! }
//! ```

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::Stream;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::sync::{broadcast, watch};

#[cfg(any(feature = "redis", feature = "postgres"))]
mod commands;
mod hub;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "redis")]
mod redis;

use hub::{Confirmed, Hub, Item};

/// Messages a subscriber may fall behind by before it skips ahead (per channel and process).
pub const DEFAULT_CAPACITY: usize = 1024;
/// The largest message [`Channels::publish`] sends by default (PostgreSQL's NOTIFY takes
/// at most 7,999 bytes whatever this says).
pub const DEFAULT_MAX_MESSAGE_BYTES: usize = 1024 * 1024;
/// The longest channel name, in bytes: PostgreSQL's identifier length, so a name that
/// works in memory works with every backend.
pub const MAX_CHANNEL_NAME_BYTES: usize = 63;

/// Publish/subscribe channels, cheap to clone; register them with
/// [`App::channels`](crate::App::channels) and take them in handlers as
/// `State<Channels>`.
#[derive(Clone)]
pub struct Channels {
    inner: Arc<Inner>,
}

struct Inner {
    hub: Arc<Hub>,
    backend: Backend,
    max_message_bytes: usize,
}

// One per `Channels` (shared behind its `Arc`), so the size of the broker variants does not
// matter; with every backend compiled in, they are of like size and clippy agrees.
#[allow(clippy::large_enum_variant)]
enum Backend {
    Memory,
    #[cfg(feature = "redis")]
    Redis(redis::RedisBackend),
    #[cfg(feature = "postgres")]
    Postgres(postgres::PgBackend),
}

/// Builds [`Channels`] with other limits than the defaults.
#[derive(Clone, Debug)]
pub struct ChannelsBuilder {
    capacity: usize,
    max_message_bytes: usize,
}

impl Default for ChannelsBuilder {
    fn default() -> Self {
        ChannelsBuilder {
            capacity: DEFAULT_CAPACITY,
            max_message_bytes: DEFAULT_MAX_MESSAGE_BYTES,
        }
    }
}

impl ChannelsBuilder {
    /// Messages a subscriber may fall behind by before it skips ahead (default 1,024).
    pub fn capacity(mut self, messages: usize) -> Self {
        self.capacity = messages.max(1);
        self
    }

    /// The largest message, in bytes of JSON (default 1 MiB).
    pub fn max_message_bytes(mut self, bytes: usize) -> Self {
        self.max_message_bytes = bytes;
        self
    }

    /// Channels within this process.
    pub fn memory(self) -> Channels {
        self.build(Backend::Memory)
    }

    /// Channels shared by every instance connected to the Redis server at `url`
    /// (`redis://[user:password@]host[:port][/db]`, or `rediss://` for TLS-less URLs this
    /// build accepts). Connects lazily: a server that is down is retried, not an error.
    #[cfg(feature = "redis")]
    pub fn redis(self, url: &str) -> Result<Channels, ChannelError> {
        let backend = redis::RedisBackend::new(url)?;
        Ok(self.build(Backend::Redis(backend)))
    }

    /// Channels shared by every instance connected to the PostgreSQL database at `url`,
    /// through LISTEN/NOTIFY (messages up to 7,999 bytes). Connects lazily.
    #[cfg(feature = "postgres")]
    pub fn postgres(self, url: &str) -> Result<Channels, ChannelError> {
        let backend = postgres::PgBackend::new(url)?;
        let mut channels = self.build(Backend::Postgres(backend));
        let inner = Arc::get_mut(&mut channels.inner).expect("just built");
        inner.max_message_bytes = inner.max_message_bytes.min(postgres::MAX_PAYLOAD_BYTES);
        Ok(channels)
    }

    /// The backend the environment names: `CHANNELS_URL` (`memory:`, `redis://...`,
    /// `postgres://...`), else `REDIS_URL`, else memory. A URL whose backend is not
    /// compiled in (features `redis`, `postgres`) is an error, not a silent fallback.
    pub fn from_env(self) -> Result<Channels, ChannelError> {
        let url = std::env::var("CHANNELS_URL")
            .or_else(|_| std::env::var("REDIS_URL"))
            .ok()
            .filter(|u| !u.trim().is_empty());
        match url {
            None => Ok(self.memory()),
            Some(url) => self.from_url(&url),
        }
    }

    /// The backend a URL names: `memory:`, `redis://`/`rediss://`, or
    /// `postgres://`/`postgresql://`.
    pub fn from_url(self, url: &str) -> Result<Channels, ChannelError> {
        let scheme = url.split(':').next().unwrap_or_default();
        match scheme {
            "memory" => Ok(self.memory()),
            #[cfg(feature = "redis")]
            "redis" | "rediss" => self.redis(url),
            #[cfg(feature = "postgres")]
            "postgres" | "postgresql" => self.postgres(url),
            #[cfg(not(feature = "redis"))]
            "redis" | "rediss" => Err(ChannelError::Config(
                "a redis:// channels URL needs ferrapi's `redis` feature".into(),
            )),
            #[cfg(not(feature = "postgres"))]
            "postgres" | "postgresql" => Err(ChannelError::Config(
                "a postgres:// channels URL needs ferrapi's `postgres` feature".into(),
            )),
            _ => Err(ChannelError::Config(format!(
                "unknown channels URL scheme {scheme:?}: use memory:, redis:// or postgres://"
            ))),
        }
    }

    fn build(self, backend: Backend) -> Channels {
        Channels {
            inner: Arc::new(Inner {
                hub: Arc::new(Hub::new(self.capacity)),
                backend,
                max_message_bytes: self.max_message_bytes,
            }),
        }
    }
}

impl Channels {
    /// Limits other than the defaults.
    pub fn builder() -> ChannelsBuilder {
        ChannelsBuilder::default()
    }

    /// Channels within this process, with the default limits.
    pub fn memory() -> Self {
        ChannelsBuilder::default().memory()
    }

    /// The backend the environment names (see [`ChannelsBuilder::from_env`]).
    pub fn from_env() -> Result<Self, ChannelError> {
        ChannelsBuilder::default().from_env()
    }

    /// The backend's name: `memory`, `redis` or `postgres`.
    pub fn backend(&self) -> &'static str {
        match &self.inner.backend {
            Backend::Memory => "memory",
            #[cfg(feature = "redis")]
            Backend::Redis(_) => "redis",
            #[cfg(feature = "postgres")]
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Sends `message` (as JSON) to every subscriber of `channel`, in every instance when
    /// a broker is configured. Returns once the broker accepted it (memory: at once).
    pub async fn publish<T: Serialize + ?Sized>(
        &self,
        channel: &str,
        message: &T,
    ) -> Result<(), ChannelError> {
        check_name(channel)?;
        if self.inner.hub.is_closed() {
            return Err(ChannelError::Closed);
        }
        let json = serde_json::to_vec(message).map_err(|e| ChannelError::Encode(e.to_string()))?;
        if json.len() > self.inner.max_message_bytes {
            return Err(ChannelError::TooLarge {
                size: json.len(),
                limit: self.inner.max_message_bytes,
            });
        }
        match &self.inner.backend {
            Backend::Memory => {
                self.inner.hub.deliver(channel, Bytes::from(json));
                Ok(())
            }
            #[cfg(feature = "redis")]
            Backend::Redis(r) => r.publish(&self.inner.hub, channel, json).await,
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => p.publish(&self.inner.hub, channel, json).await,
        }
    }

    /// Whether a message published on `channel` now could reach anyone: always with a
    /// broker (other instances' subscribers cannot be seen from here); in memory, whether
    /// this process subscribes to it. Lets a hot path skip building a message nobody will
    /// read; [`publish`](Self::publish) itself checks size and encoding either way.
    pub fn may_be_heard(&self, channel: &str) -> bool {
        match &self.inner.backend {
            Backend::Memory => self.inner.hub.has(channel),
            #[allow(unreachable_patterns)]
            _ => true,
        }
    }

    /// Subscribes to `channel`; messages published after this returns are received, each
    /// decoded as `T`. Fails with [`ChannelError::Unavailable`] when the broker cannot be
    /// reached.
    pub async fn subscribe<T: DeserializeOwned>(
        &self,
        channel: &str,
    ) -> Result<Subscription<T>, ChannelError> {
        check_name(channel)?;
        let hub = &self.inner.hub;
        let (rx, mut confirmed) = hub
            .subscribe(channel, || self.command_subscribe(channel))
            .ok_or(ChannelError::Closed)?;
        let subscription = Subscription {
            rx: Some(rx),
            closed: hub.closed(),
            app_stopping: hub.app_stopping(),
            channel: channel.to_string(),
            channels: self.clone(),
            _type: PhantomData,
        };
        let answer = confirmed
            .wait_for(|c| !matches!(c, Confirmed::Pending))
            .await
            .map(|c| c.clone());
        match answer {
            Ok(Confirmed::No(e)) => Err(e),
            Ok(_) => Ok(subscription),
            Err(_) => Err(ChannelError::Closed),
        }
    }

    /// Sends the subscription to the broker, if there is one; runs under the hub's lock.
    fn command_subscribe(&self, #[allow(unused_variables)] channel: &str) -> Option<hub::Ack> {
        match &self.inner.backend {
            Backend::Memory => None,
            #[cfg(feature = "redis")]
            Backend::Redis(r) => Some(r.subscribe(&self.inner.hub, channel)),
            #[cfg(feature = "postgres")]
            Backend::Postgres(p) => Some(p.subscribe(&self.inner.hub, channel)),
        }
    }

    fn released(&self, channel: &str) {
        self.inner
            .hub
            .release(channel, || match &self.inner.backend {
                Backend::Memory => {}
                #[cfg(feature = "redis")]
                Backend::Redis(r) => r.unsubscribe(channel),
                #[cfg(feature = "postgres")]
                Backend::Postgres(p) => p.unsubscribe(channel),
            });
    }

    /// Ends every subscription (their streams end) and refuses to publish or subscribe
    /// from now on.
    pub fn close(&self) {
        self.inner.hub.close();
    }
}

impl fmt::Debug for Channels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Channels")
            .field("backend", &self.backend())
            .finish_non_exhaustive()
    }
}

impl crate::App {
    /// Registers `channels` as state (`State<Channels>` in handlers) and ends their
    /// subscriptions when the server begins to stop (after the drain period), so live
    /// streams and WebSockets fed by them end and do not hold shutdown up.
    pub fn channels(self, channels: Channels) -> Self {
        channels.inner.hub.end_with(self.stopping());
        self.state(channels)
    }
}

/// Why a message did not arrive as one: what a [`Subscription`] yields between messages.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Gap {
    /// This subscriber read more slowly than the channel talked and skipped `missed`
    /// messages.
    Lagged {
        /// How many messages were skipped.
        missed: u64,
    },
    /// The broker connection was lost and is back; messages published meanwhile may be
    /// missing.
    Interrupted,
    /// A message was not valid JSON for the subscriber's type (someone published another
    /// shape on this channel); it was skipped.
    Undecodable {
        /// serde's message.
        error: String,
    },
}

impl fmt::Display for Gap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Gap::Lagged { missed } => write!(f, "fell behind and skipped {missed} messages"),
            Gap::Interrupted => f.write_str("the broker connection was interrupted"),
            Gap::Undecodable { error } => write!(f, "skipped a message: {error}"),
        }
    }
}

/// One subscriber of one channel: [`recv`](Subscription::recv) the messages, or turn it
/// into a [`Stream`] for [`EventStream`](crate::realtime::EventStream). Unsubscribes when
/// dropped.
pub struct Subscription<T> {
    rx: Option<broadcast::Receiver<Item>>,
    closed: watch::Receiver<bool>,
    app_stopping: Option<watch::Receiver<bool>>,
    channel: String,
    channels: Channels,
    _type: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> Subscription<T> {
    /// The next message, or why some are missing; `None` once the channels are closed.
    pub async fn recv(&mut self) -> Option<Result<T, Gap>> {
        let rx = self.rx.as_mut()?;
        let app_stopping = async {
            match &mut self.app_stopping {
                // An app that is dropped without serving never stops (its router lives on).
                Some(stopping) => {
                    if stopping.wait_for(|s| *s).await.is_err() {
                        std::future::pending::<()>().await;
                    }
                }
                None => std::future::pending().await,
            }
        };
        let item = tokio::select! {
            biased;
            _ = self.closed.wait_for(|c| *c) => return None,
            _ = app_stopping => return None,
            item = rx.recv() => item,
        };
        Some(match item {
            Ok(Item::Message(bytes)) => {
                serde_json::from_slice(&bytes).map_err(|e| Gap::Undecodable {
                    error: e.to_string(),
                })
            }
            Ok(Item::Interrupted) => Err(Gap::Interrupted),
            Err(broadcast::error::RecvError::Lagged(missed)) => Err(Gap::Lagged { missed }),
            Err(broadcast::error::RecvError::Closed) => return None,
        })
    }

    /// The channel's name.
    pub fn channel(&self) -> &str {
        &self.channel
    }

    /// The messages and gaps as a stream.
    pub fn into_stream(self) -> impl Stream<Item = Result<T, Gap>> + Send + 'static
    where
        T: Send + 'static,
    {
        futures_util::stream::unfold(self, |mut s| async move {
            let next = s.recv().await?;
            Some((next, s))
        })
    }
}

impl<T> Drop for Subscription<T> {
    fn drop(&mut self) {
        drop(self.rx.take());
        self.channels.released(&self.channel);
    }
}

impl<T> fmt::Debug for Subscription<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription")
            .field("channel", &self.channel)
            .finish_non_exhaustive()
    }
}

/// Why publishing or subscribing failed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChannelError {
    /// The channel name is empty, longer than 63 bytes or has control characters.
    InvalidName(String),
    /// The message's JSON is larger than the limit.
    TooLarge {
        /// The message's size in bytes.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The message could not be written as JSON.
    Encode(String),
    /// The broker cannot be reached now (retried in the background).
    Unavailable(String),
    /// The channels were closed (the server is stopping).
    Closed,
    /// The configuration names no usable backend.
    Config(String),
}

impl fmt::Display for ChannelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChannelError::InvalidName(why) => write!(f, "invalid channel name: {why}"),
            ChannelError::TooLarge { size, limit } => {
                write!(f, "message of {size} bytes is over the {limit}-byte limit")
            }
            ChannelError::Encode(e) => write!(f, "message cannot be written as JSON: {e}"),
            ChannelError::Unavailable(e) => write!(f, "channel broker unavailable: {e}"),
            ChannelError::Closed => f.write_str("channels are closed"),
            ChannelError::Config(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for ChannelError {}

fn check_name(name: &str) -> Result<(), ChannelError> {
    if name.is_empty() {
        return Err(ChannelError::InvalidName("empty".into()));
    }
    if name.len() > MAX_CHANNEL_NAME_BYTES {
        return Err(ChannelError::InvalidName(format!(
            "{} bytes, at most {MAX_CHANNEL_NAME_BYTES}",
            name.len()
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(ChannelError::InvalidName("control character".into()));
    }
    Ok(())
}

/// Retry delays after a lost broker connection: 100 ms doubling up to 5 s.
#[cfg(any(feature = "redis", feature = "postgres"))]
fn backoff(attempt: u32) -> std::time::Duration {
    std::time::Duration::from_millis((100u64 << attempt.min(6)).min(5_000))
}

/// How long a broker may take to connect or to answer before it counts as unavailable.
#[cfg(any(feature = "redis", feature = "postgres"))]
const BROKER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        assert!(check_name("room:lobby").is_ok());
        assert!(check_name("").is_err());
        assert!(check_name(&"x".repeat(64)).is_err());
        assert!(check_name(&"x".repeat(63)).is_ok());
        assert!(check_name("a\nb").is_err());
    }

    #[test]
    fn urls_choose_the_backend() {
        assert_eq!(
            Channels::builder().from_url("memory:").unwrap().backend(),
            "memory"
        );
        assert!(matches!(
            Channels::builder().from_url("amqp://x"),
            Err(ChannelError::Config(_))
        ));
    }
}
