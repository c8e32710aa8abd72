//! The chat example: rooms over WebSocket, with join/leave events and a room list.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use ferrapi::prelude::*;
use ferrapi::realtime::{Message, WebSocket};
use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio::sync::broadcast;

/// A room: its broadcast channel and how many members are in it.
struct Room {
    tx: broadcast::Sender<String>,
    members: usize,
}

/// Every room, by name.
#[derive(Clone, Default)]
pub struct Rooms(Arc<Mutex<BTreeMap<String, Room>>>);

impl Rooms {
    fn join(&self, room: &str) -> (broadcast::Sender<String>, broadcast::Receiver<String>) {
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

/// What a client sends.
#[model]
struct Incoming {
    #[field(min_length = 1, max_length = 2000)]
    text: String,
}

/// Join a room
#[websocket("/ws/{room}")]
pub async fn chat(
    socket: WebSocket,
    #[path(min_length = 1, max_length = 64)] room: String,
    #[query(min_length = 1, max_length = 32)] name: String,
    rooms: State<Rooms>,
) {
    let (tx, mut rx) = rooms.join(&room);
    let (mut sink, mut stream) = socket.split();
    // Everything for this member goes through one channel: room broadcasts and errors.
    let (own_tx, mut own_rx) = tokio::sync::mpsc::channel::<String>(64);
    let forward = tokio::spawn(async move {
        loop {
            let text = tokio::select! {
                m = rx.recv() => match m {
                    Ok(t) => t,
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => break,
                },
                m = own_rx.recv() => match m {
                    Some(t) => t,
                    None => break,
                },
            };
            if sink.send(Message::Text(text.into())).await.is_err() {
                break;
            }
        }
    });
    let _ = tx.send(json!({"type": "join", "room": room, "name": name}).to_string());
    while let Some(Ok(msg)) = stream.next().await {
        match msg {
            Message::Text(t) => {
                let parsed = serde_json::from_str::<serde_json::Value>(t.as_str())
                    .ok()
                    .and_then(|v| {
                        let text = v.get("text")?.as_str()?.to_string();
                        let len = text.chars().count();
                        (1..=2000).contains(&len).then_some(Incoming { text })
                    });
                match parsed {
                    Some(m) => {
                        let _ = tx.send(
                            json!({"type": "message", "room": room, "name": name, "text": m.text})
                                .to_string(),
                        );
                    }
                    None => {
                        let err = json!({"type": "error", "detail": "send {\"text\": \"...\"} with 1 to 2000 characters"});
                        let _ = own_tx.send(err.to_string()).await;
                    }
                }
            }
            Message::Close(_) => break,
            _ => {}
        }
    }
    rooms.leave(&room);
    let _ = tx.send(json!({"type": "leave", "room": room, "name": name}).to_string());
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
