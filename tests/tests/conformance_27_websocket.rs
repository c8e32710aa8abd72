//! FastAPI conformance, app 27 (`tests/conformance/fastapi/apps/27_websocket.py`):
//! WebSocket endpoints next to one HTTP route: an echo session, a room that needs a token
//! in the query (closed with 1008 without it), a JSON round trip. WebSocket routes are not
//! in the document, and plain HTTP on them is a 404.

use ferrapi::prelude::*;
use ferrapi::realtime::{CloseFrame, Message, WebSocket};
use ferrapi_tests::conformance::SpecOptions;
use serde_json::{json, Value};

const APP: &str = "27_websocket";

/// Starlette's `websocket.close(code)`: a close frame with an empty reason.
async fn close(socket: &mut WebSocket, code: u16) {
    let frame = CloseFrame {
        code,
        reason: "".into(),
    };
    let _ = socket.send(Message::Close(Some(frame))).await;
}

/// The close code uvicorn sends when the Python endpoint raises after accepting.
const CLOSE_INTERNAL_ERROR: u16 = 1011;

#[get("/")]
async fn index() -> Json<Value> {
    Json(json!({"websockets": ["/ws/echo", "/ws/rooms/{room}", "/ws/sum"]}))
}

#[websocket("/ws/echo")]
async fn echo(mut socket: WebSocket) {
    while let Some(Ok(msg)) = socket.recv().await {
        match msg {
            Message::Text(t) if t.as_str() == "bye" => {
                let _ = socket.send(Message::Text("goodbye".into())).await;
                close(&mut socket, 1000).await;
                return;
            }
            Message::Text(t) => {
                let reply = format!("echo: {}", t.as_str());
                if socket.send(Message::Text(reply.into())).await.is_err() {
                    return;
                }
            }
            // `WebSocketDisconnect`: the client left.
            Message::Close(_) => return,
            // `receive_text()` fails on a binary message.
            Message::Binary(_) => return close(&mut socket, CLOSE_INTERNAL_ERROR).await,
            Message::Ping(_) | Message::Pong(_) => {}
        }
    }
}

#[websocket("/ws/rooms/{room}")]
async fn room(mut socket: WebSocket, room: String, #[query] token: Option<String>) {
    // FastAPI closes before `accept()`; a close code needs an accepted connection here
    // (see `WebSocketCloseAfterAccept` in docs/fastapi-differences.md).
    if token.as_deref() != Some("letmein") {
        return close(&mut socket, 1008).await;
    }
    let joined = json!({"room": room, "joined": true}).to_string();
    let _ = socket.send(Message::Text(joined.into())).await;
    close(&mut socket, 1000).await;
}

/// Python's `sum()` of a JSON list: an int while every item is one, else a float.
fn py_sum(numbers: &[Value]) -> Option<Value> {
    if let Some(ints) = numbers
        .iter()
        .map(Value::as_i64)
        .collect::<Option<Vec<_>>>()
    {
        return ints
            .into_iter()
            .try_fold(0i64, i64::checked_add)
            .map(Value::from);
    }
    let floats = numbers
        .iter()
        .map(Value::as_f64)
        .collect::<Option<Vec<_>>>()?;
    Some(Value::from(floats.into_iter().sum::<f64>()))
}

#[websocket("/ws/sum")]
async fn summer(mut socket: WebSocket) {
    // `receive_json()`, `data.get("numbers", [])`, `sum(numbers)`: any of them raising
    // makes the server close with 1011.
    let mut next = socket.recv().await;
    while let Some(Ok(Message::Ping(_) | Message::Pong(_))) = next {
        next = socket.recv().await;
    }
    let reply = match next {
        Some(Ok(Message::Text(t))) => {
            serde_json::from_str::<Value>(t.as_str())
                .ok()
                .and_then(|data| {
                    let numbers = match data.as_object()?.get("numbers") {
                        Some(v) => v.as_array()?.clone(),
                        None => Vec::new(),
                    };
                    let sum = py_sum(&numbers)?;
                    Some(json!({"sum": sum, "count": numbers.len()}))
                })
        }
        Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return,
        Some(Ok(_)) => None,
    };
    match reply {
        Some(reply) => {
            let _ = socket.send(Message::Text(reply.to_string().into())).await;
            close(&mut socket, 1000).await;
        }
        None => close(&mut socket, CLOSE_INTERNAL_ERROR).await,
    }
}

fn app() -> App {
    App::new().routes(routes![index, echo, room, summer])
}

ferrapi_tests::conformance_tests!(SpecOptions::with_metadata());
