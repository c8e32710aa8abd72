//! The chat example: rooms over WebSocket, with join/leave events and a room list.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use ferrapi::prelude::*;
use ferrapi::realtime::{JsonSocket, RecvError};
use tokio::sync::broadcast;

/// A room: its broadcast channel and how many members are in it.
struct Room {
    tx: broadcast::Sender<Event>,
    members: usize,
}

/// Every room, by name.
#[derive(Clone, Default)]
pub struct Rooms(Arc<Mutex<BTreeMap<String, Room>>>);

impl Rooms {
    fn join(&self, room: &str) -> (broadcast::Sender<Event>, broadcast::Receiver<Event>) {
        let mut rooms = self.0.lock().expect("rooms lock");
        let r = rooms.entry(room.to_string()).or_insert_with(|| Room {
            tx: broadcast::channel(256).0,
            members: 0,
        });
        r.members += 1;
        (r.tx.clone(), r.tx.subscribe())
    }

    fn leave(&self, room: &str) {
        let mut rooms = self.0.lock().expect("rooms lock");
        if let Some(r) = rooms.get_mut(room) {
            r.members -= 1;
            if r.members == 0 {
                rooms.remove(room);
            }
        }
    }
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
    /// The last message from this client was refused (only this client is told).
    Error {
        /// What was wrong.
        detail: String,
    },
}

/// Join a room
///
/// Every member receives the room's events in order; a member that falls more than 256
/// events behind gets a `lagged` event with how many it missed. A message that is not
/// `{"text": "..."}` with 1 to 2000 characters is answered with an `error` event to its
/// sender only.
#[websocket("/ws/{room}")]
pub async fn chat(
    socket: JsonSocket<Say, Event>,
    #[path(min_length = 1, max_length = 64)] room: String,
    #[query(min_length = 1, max_length = 32)] name: String,
    rooms: State<Rooms>,
) {
    let (tx, mut rx) = rooms.join(&room);
    let (mut sender, mut receiver) = socket.split();
    // Everything for this member goes through one task: room broadcasts and errors.
    let (own_tx, mut own_rx) = tokio::sync::mpsc::channel::<Event>(64);
    let forward = tokio::spawn(async move {
        loop {
            let event = tokio::select! {
                m = rx.recv() => match m {
                    Ok(e) => e,
                    // Never drop events silently: say how many were missed.
                    Err(broadcast::error::RecvError::Lagged(missed)) => Event::Lagged { missed },
                    Err(broadcast::error::RecvError::Closed) => break,
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
    let _ = tx.send(Event::Join {
        room: room.clone(),
        name: name.clone(),
    });
    while let Some(msg) = receiver.recv().await {
        match msg {
            Ok(say) => {
                let _ = tx.send(Event::Message {
                    room: room.clone(),
                    name: name.clone(),
                    text: say.text,
                });
            }
            Err(RecvError::Invalid(_)) => {
                let detail = "send {\"text\": \"...\"} with 1 to 2000 characters".to_string();
                let _ = own_tx.send(Event::Error { detail }).await;
            }
            Err(RecvError::Connection(_)) => break,
        }
    }
    rooms.leave(&room);
    let _ = tx.send(Event::Leave { room, name });
    forward.abort();
}

/// List rooms
#[get("/rooms", tags = ["rooms"])]
pub async fn list_rooms(rooms: State<Rooms>) -> Json<Vec<RoomInfo>> {
    let rooms = rooms.0 .0.lock().expect("rooms lock");
    Json(
        rooms
            .iter()
            .map(|(name, r)| RoomInfo {
                room: name.clone(),
                members: r.members,
            })
            .collect(),
    )
}

/// The chat page
#[get("/", include_in_schema = false)]
pub async fn page() -> Html<&'static str> {
    Html(include_str!("page.html"))
}

/// The chat app.
pub fn app() -> App {
    App::new()
        .title("Chat")
        .version("1.0.0")
        .description("Rooms over WebSocket at `/ws/{room}?name=NAME`.")
        .state(Rooms::default())
        .routes(routes![chat, list_rooms, page])
}
