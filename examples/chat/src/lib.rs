//! The chat example: rooms over WebSocket, with join/leave events and a room list, on one
//! instance or many.
//!
//! Room events go through [`Channels`]: in memory by default, or through Redis (`REDIS_URL`)
//! or PostgreSQL (`CHANNELS_URL=postgres://...`) so that members connected to different
//! instances behind a load balancer share their rooms. Presence (who is in which room) is
//! shared the same way, in [`presence`].

use std::sync::Arc;

use ferrapi::prelude::*;
use ferrapi::realtime::{Channels, Gap, JsonSocket, RecvError};

pub mod presence;

use presence::Presence;

/// Events a member may fall behind by before it skips ahead (and is told).
pub const ROOM_CAPACITY: usize = 256;

/// The chat's state: the channels and the presence of members in rooms.
#[derive(Clone)]
pub struct Chat {
    channels: Channels,
    presence: Arc<Presence>,
}

impl Chat {
    /// A chat on `channels`; starts sharing presence with the other instances.
    pub fn new(channels: Channels) -> Self {
        let presence = Presence::start(channels.clone());
        Chat { channels, presence }
    }
}

/// The channel of a room's events.
fn room_channel(room: &str) -> String {
    format!("chat.room.{room}")
}

/// A room and how many members it has.
#[model]
pub struct RoomInfo {
    /// The room's name.
    pub room: String,
    /// Members connected now.
    pub members: usize,
}

/// What a client sends: one chat message.
#[model]
pub struct Say {
    /// The message, 1 to 2000 characters.
    #[field(min_length = 1, max_length = 2000)]
    pub text: String,
}

/// What the server sends, told apart by `type`.
#[model]
#[derive(Clone)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Event {
    /// Someone joined the room.
    Join {
        /// The room.
        room: String,
        /// Who joined.
        name: String,
    },
    /// Someone said something.
    Message {
        /// The room.
        room: String,
        /// Who said it.
        name: String,
        /// What they said.
        text: String,
    },
    /// Someone left the room.
    Leave {
        /// The room.
        room: String,
        /// Who left.
        name: String,
    },
    /// This member fell behind and missed `missed` events of the room (only this member
    /// is told): it reads more slowly than the room talks.
    Lagged {
        /// How many events were skipped.
        missed: u64,
    },
    /// The connection between the servers was interrupted and is back: events of the room
    /// may be missing (only this member is told).
    Interrupted {},
    /// The last message from this client was refused (only this client is told).
    Error {
        /// What was wrong.
        detail: String,
    },
}

/// Join a room
///
/// Every member receives the room's events in order, whichever instance it is connected
/// to; a member that falls more than 256 events behind gets a `lagged` event with how many
/// it missed, and an `interrupted` event when the instances lost touch for a while. A
/// message that is not `{"text": "..."}` with 1 to 2000 characters is answered with an
/// `error` event to its sender only. When the rooms cannot be reached (the broker is
/// down), the connection is closed with 1013 (try again later).
#[websocket("/ws/{room}")]
pub async fn chat(
    socket: JsonSocket<Say, Event>,
    #[path(pattern = "^[A-Za-z0-9_-]{1,48}$")] room: String,
    #[query(min_length = 1, max_length = 32)] name: String,
    chat: State<Chat>,
) {
    let channel = room_channel(&room);
    let mut events = match chat.channels.subscribe::<Event>(&channel).await {
        Ok(sub) => sub,
        Err(e) => {
            tracing::warn!(error = %e, "chat: joining a room failed");
            let _ = socket
                .close(
                    ferrapi::realtime::CLOSE_TRY_AGAIN_LATER,
                    "rooms unavailable",
                )
                .await;
            return;
        }
    };
    let _member = chat.presence.join(&room);
    let (mut sender, mut receiver) = socket.split();
    // Everything for this member goes through one task: room events and errors.
    let (own_tx, mut own_rx) = tokio::sync::mpsc::channel::<Event>(64);
    let forward = tokio::spawn(async move {
        loop {
            let event = tokio::select! {
                m = events.recv() => match m {
                    Some(Ok(e)) => e,
                    // Never drop events silently: say how many were missed.
                    Some(Err(Gap::Lagged { missed })) => Event::Lagged { missed },
                    Some(Err(Gap::Interrupted)) => Event::Interrupted {},
                    Some(Err(_)) => continue,
                    None => break,
                },
                m = own_rx.recv() => match m {
                    Some(e) => e,
                    None => break,
                },
            };
            if sender.send(&event).await.is_err() {
                break;
            }
        }
    });
    let publish = |event: Event| {
        let channels = chat.channels.clone();
        let channel = channel.clone();
        async move {
            if let Err(e) = channels.publish(&channel, &event).await {
                tracing::warn!(error = %e, "chat: an event was not sent");
                return false;
            }
            true
        }
    };
    publish(Event::Join {
        room: room.clone(),
        name: name.clone(),
    })
    .await;
    while let Some(msg) = receiver.recv().await {
        match msg {
            Ok(say) => {
                let sent = publish(Event::Message {
                    room: room.clone(),
                    name: name.clone(),
                    text: say.text,
                })
                .await;
                if !sent {
                    let detail = "the message was not sent: try again".to_string();
                    let _ = own_tx.send(Event::Error { detail }).await;
                }
            }
            Err(RecvError::Invalid(_)) => {
                let detail = "send {\"text\": \"...\"} with 1 to 2000 characters".to_string();
                let _ = own_tx.send(Event::Error { detail }).await;
            }
            Err(RecvError::Connection(_)) => break,
        }
    }
    drop(_member);
    publish(Event::Leave { room, name }).await;
    forward.abort();
}

/// List rooms
///
/// Every room with members on any instance, and how many.
#[get("/rooms", tags = ["rooms"])]
pub async fn list_rooms(chat: State<Chat>) -> Json<Vec<RoomInfo>> {
    Json(
        chat.presence
            .rooms()
            .into_iter()
            .map(|(room, members)| RoomInfo { room, members })
            .collect(),
    )
}

/// The chat page
#[get("/", include_in_schema = false)]
pub async fn page() -> Html<&'static str> {
    Html(include_str!("page.html"))
}

/// The chat app, its channels chosen by the environment: `CHANNELS_URL` or `REDIS_URL`,
/// else in memory (one instance).
pub fn app() -> App {
    let channels = Channels::builder()
        .capacity(ROOM_CAPACITY)
        .from_env()
        .unwrap_or_else(|e| panic!("chat: {e}"));
    app_with(channels)
}

/// The chat app on `channels` (instances given channels on one broker share their rooms).
pub fn app_with(channels: Channels) -> App {
    App::new()
        .title("Chat")
        .version("1.0.0")
        .description(
            "Rooms over WebSocket at `/ws/{room}?name=NAME`, shared by every instance on \
             the same Redis or PostgreSQL.",
        )
        .channels(channels.clone())
        // Presence starts its announcing task, so inside the runtime, at start-up.
        .startup(move || async move { Ok::<_, std::convert::Infallible>(Chat::new(channels)) })
        .routes(routes![chat, list_rooms, page])
}
