//! Who is in which room, across instances. Each instance counts its own members and
//! publishes its counts on the `chat.presence` channel when they change and every
//! [`HEARTBEAT`]; each keeps the other instances' last counts for [`TTL`], so the members
//! of an instance that died leave the room list within 15 s. A new instance (or one whose
//! broker connection was interrupted) asks the others to announce themselves at once.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ferrapi::realtime::{ChannelError, Channels, Gap};
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;
use tokio::time::Instant;

/// How often an instance announces its counts even when nothing changed.
pub const HEARTBEAT: Duration = Duration::from_secs(5);
/// How long an instance's last announcement counts.
pub const TTL: Duration = Duration::from_secs(15);
const CHANNEL: &str = "chat.presence";

/// One instance's announcement.
#[derive(Serialize, Deserialize)]
struct Report {
    instance: String,
    rooms: Counts,
    /// Asks every other instance to announce itself now.
    ask: bool,
}

/// Members per room.
type Counts = BTreeMap<String, usize>;

/// The members of every room: this instance's, counted, and the others', as announced.
pub struct Presence {
    me: String,
    local: Mutex<Counts>,
    /// Each other instance's last counts, and until when they hold.
    remote: Mutex<HashMap<String, (Counts, Instant)>>,
    changed: Notify,
}

/// One member's presence in a room; leaving when dropped.
pub struct Member {
    presence: Arc<Presence>,
    room: String,
}

impl Drop for Member {
    fn drop(&mut self) {
        let mut local = self.presence.local.lock().expect("presence lock");
        if let Some(n) = local.get_mut(&self.room) {
            *n -= 1;
            if *n == 0 {
                local.remove(&self.room);
            }
        }
        drop(local);
        self.presence.changed.notify_one();
    }
}

impl Presence {
    /// Counts this instance's members and shares them over `channels` (must be called
    /// inside the runtime: it starts the announcing task).
    pub fn start(channels: Channels) -> Arc<Self> {
        let presence = Arc::new(Presence {
            me: uuid::Uuid::new_v4().to_string(),
            local: Mutex::default(),
            remote: Mutex::default(),
            changed: Notify::new(),
        });
        tokio::spawn(presence.clone().run(channels));
        presence
    }

    /// Counts a member in `room` until the returned guard is dropped.
    pub fn join(self: &Arc<Self>, room: &str) -> Member {
        *self
            .local
            .lock()
            .expect("presence lock")
            .entry(room.to_string())
            .or_default() += 1;
        self.changed.notify_one();
        Member {
            presence: self.clone(),
            room: room.to_string(),
        }
    }

    /// Every room with members anywhere, and how many, by name.
    pub fn rooms(&self) -> Counts {
        let mut rooms = self.local.lock().expect("presence lock").clone();
        let now = Instant::now();
        for (counts, until) in self.remote.lock().expect("presence lock").values() {
            if *until > now {
                for (room, n) in counts {
                    *rooms.entry(room.clone()).or_default() += n;
                }
            }
        }
        rooms
    }

    async fn announce(&self, channels: &Channels, ask: bool) {
        let report = Report {
            instance: self.me.clone(),
            rooms: self.local.lock().expect("presence lock").clone(),
            ask,
        };
        if let Err(e) = channels.publish(CHANNEL, &report).await {
            tracing::debug!(error = %e, "chat: presence not announced");
        }
    }

    fn heard(&self, report: Report) {
        let mut remote = self.remote.lock().expect("presence lock");
        let now = Instant::now();
        remote.retain(|_, (_, until)| *until > now);
        remote.insert(report.instance, (report.rooms, now + TTL));
    }

    async fn run(self: Arc<Self>, channels: Channels) {
        loop {
            let mut reports = match channels.subscribe::<Report>(CHANNEL).await {
                Ok(sub) => sub,
                Err(ChannelError::Closed) => return,
                Err(e) => {
                    tracing::warn!(error = %e, "chat: presence unavailable; retrying");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            };
            self.announce(&channels, true).await;
            let mut heartbeat = tokio::time::interval(HEARTBEAT);
            loop {
                tokio::select! {
                    m = reports.recv() => match m {
                        None => return,
                        Some(Ok(report)) if report.instance != self.me => {
                            let ask = report.ask;
                            self.heard(report);
                            if ask {
                                self.announce(&channels, false).await;
                            }
                        }
                        Some(Ok(_)) => {}
                        // Announcements may have been missed: ask for them again.
                        Some(Err(Gap::Interrupted)) => self.announce(&channels, true).await,
                        Some(Err(_)) => {}
                    },
                    _ = heartbeat.tick() => self.announce(&channels, false).await,
                    _ = self.changed.notified() => self.announce(&channels, false).await,
                }
            }
        }
    }
}
