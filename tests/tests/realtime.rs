//! WebSockets (through the in-process test client), server-sent events, streaming bodies,
//! static files, and the one-line middleware.

use std::time::Duration;

use ferrapi::prelude::*;
use ferrapi::realtime::{ByteStream, CloseFrame, EventStream, Message, WebSocket};
use ferrapi::testing::{TestClient, WsFrame, WsRefused};
use ferrapi_tests::block_on;
use serde_json::json;

#[websocket("/ws/{room}")]
async fn echo(mut socket: WebSocket, room: String, #[query(min_length = 2)] name: String) {
    let hello = json!({"type": "join", "room": room, "name": name}).to_string();
    if socket.send(Message::Text(hello.into())).await.is_err() {
        return;
    }
    while let Some(Ok(msg)) = socket.recv().await {
        match msg {
            Message::Text(t) if t.as_str() == "bye" => {
                let _ = socket
                    .send(Message::Close(Some(CloseFrame {
                        code: 1000,
                        reason: "bye".into(),
                    })))
                    .await;
                return;
            }
            Message::Text(t) => {
                let v: serde_json::Value =
                    serde_json::from_str(t.as_str()).unwrap_or(json!(t.as_str()));
                let reply = json!({"type": "message", "name": name, "echo": v}).to_string();
                if socket.send(Message::Text(reply.into())).await.is_err() {
                    return;
                }
            }
            _ => {}
        }
    }
}

#[model]
struct Tick {
    n: u64,
}

#[get("/ticks")]
async fn ticks(#[query(default = 3, le = 100)] count: u64) -> EventStream<Tick> {
    EventStream::new(futures_util::stream::iter((0..count).map(|n| Tick { n }))).named("tick")
}

#[get("/download")]
async fn download() -> ByteStream {
    let chunks: Vec<Result<bytes::Bytes, std::io::Error>> = vec![
        Ok(bytes::Bytes::from("part1,")),
        Ok(bytes::Bytes::from("part2")),
    ];
    ByteStream::new(futures_util::stream::iter(chunks)).content_type("text/csv")
}

#[get("/slow")]
async fn slow() -> String {
    tokio::time::sleep(Duration::from_millis(300)).await;
    "done".into()
}

#[get("/big")]
async fn big() -> String {
    "ferrapi ".repeat(2000)
}

fn app() -> App {
    App::new()
        .routes(routes![echo, ticks, download, slow, big])
        .static_files("/static", concat!(env!("CARGO_MANIFEST_DIR"), "/static"))
}

#[test]
fn websocket_session() {
    block_on(async {
        let c = TestClient::new(app());
        let mut ws = c.websocket("/ws/lobby?name=alice").connect().await.unwrap();
        assert_eq!(
            ws.receive_json().await,
            json!({"type": "join", "room": "lobby", "name": "alice"})
        );
        ws.send_json(&json!({"text": "hi"})).await;
        assert_eq!(
            ws.receive_json().await,
            json!({"type": "message", "name": "alice", "echo": {"text": "hi"}})
        );
        ws.send_text("bye").await;
        assert_eq!(ws.receive().await, WsFrame::Close(1000, "bye".into()));
    });
}

#[test]
fn invalid_websocket_inputs_close_with_1008() {
    block_on(async {
        let c = TestClient::new(app());
        let mut ws = c.websocket("/ws/lobby?name=a").connect().await.unwrap();
        match ws.receive().await {
            WsFrame::Close(code, reason) => {
                assert_eq!(code, 1008);
                assert!(reason.contains("string_too_short"), "{reason}");
            }
            other => panic!("expected a close, got {other:?}"),
        }
        let mut ws = c.websocket("/ws/lobby").connect().await.unwrap();
        assert!(matches!(ws.receive().await, WsFrame::Close(1008, _)));
        // Unknown path, and plain HTTP on a WebSocket route.
        assert_eq!(
            c.websocket("/nope").connect().await.unwrap_err(),
            WsRefused::Http(http::StatusCode::NOT_FOUND)
        );
        let res = c.get("/ws/lobby?name=alice").send().await;
        assert_eq!(res.status(), 404);
        assert_eq!(res.json_value(), json!({"detail": "Not Found"}));
    });
}

#[test]
fn websocket_routes_are_not_documented() {
    let doc = app().openapi_value().unwrap();
    assert!(doc["paths"].get("/ws/{room}").is_none());
    let sse = &doc["paths"]["/ticks"]["get"]["responses"]["200"]["content"]["text/event-stream"];
    assert_eq!(sse["x-event-data"]["$ref"], "#/components/schemas/Tick");
    let dl = &doc["paths"]["/download"]["get"]["responses"]["200"]["content"];
    assert!(dl["application/octet-stream"].is_object());
}

#[test]
fn server_sent_events_and_streams() {
    block_on(async {
        let c = TestClient::new(app());
        let res = c.get("/ticks?count=2").send().await;
        assert_eq!(res.header("content-type"), Some("text/event-stream"));
        let text = res.text();
        assert_eq!(text.matches("event: tick").count(), 2, "{text}");
        assert!(
            text.contains("data: {\"n\":0}") && text.contains("data: {\"n\":1}"),
            "{text}"
        );
        let res = c.get("/download").send().await;
        assert_eq!(res.header("content-type"), Some("text/csv"));
        assert_eq!(res.text(), "part1,part2");
        let res = c.get("/static/hello.txt").send().await;
        assert_eq!(res.text(), "hello static\n");
        assert_eq!(c.get("/static/../Cargo.toml").send().await.status(), 404);
    });
}

#[test]
fn one_line_middleware() {
    block_on(async {
        let c = TestClient::new(
            app()
                .cors_origins(["https://app.example.com"])
                .compression()
                .request_ids()
                .timeout(Duration::from_millis(100)),
        );
        let res = c
            .get("/ticks")
            .header("origin", "https://app.example.com")
            .send()
            .await;
        assert_eq!(
            res.header("access-control-allow-origin"),
            Some("https://app.example.com")
        );
        assert!(res
            .header("x-request-id")
            .map(|v| v.len() == 36)
            .unwrap_or(false));
        let res = c
            .get("/ticks")
            .header("x-request-id", "abc-123")
            .send()
            .await;
        assert_eq!(res.header("x-request-id"), Some("abc-123"));
        let res = c.get("/slow").send().await;
        assert_eq!(res.status(), 503);
        assert_eq!(res.json_value(), json!({"detail": "Request timed out"}));
        let res = c.get("/big").header("accept-encoding", "gzip").send().await;
        assert_eq!(res.header("content-encoding"), Some("gzip"));
        assert!(res.bytes().len() < 2000);
    });
}
