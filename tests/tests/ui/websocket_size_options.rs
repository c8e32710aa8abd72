use ferrapi::prelude::*;
use ferrapi::realtime::WebSocket;

// A size limit on an HTTP route: it only applies to WebSockets.
#[get("/items", max_message_size = 1024)]
async fn items() -> &'static str {
    "items"
}

// A size that is not a number of bytes.
#[websocket("/ws", max_message_size = "1MB", max_frame_size = 0)]
async fn ws(_socket: WebSocket) {}

fn main() {}
