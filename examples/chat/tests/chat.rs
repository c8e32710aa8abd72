//! Chat rooms through the in-process WebSocket test client.

use ferrapi::realtime::Channels;
use ferrapi::testing::{TestClient, WsFrame, WsSession};
use ferrapi_tests::redis::Redis;
use serde_json::json;

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn members_of_a_room_see_each_other() {
    rt().block_on(async {
        let c = TestClient::start(chat::app()).await.unwrap();
        let mut alice = c.websocket("/ws/lobby?name=alice").connect().await.unwrap();
        assert_eq!(
            alice.receive_json().await,
            json!({"type": "join", "room": "lobby", "name": "alice"})
        );
        let mut bob = c.websocket("/ws/lobby?name=bob").connect().await.unwrap();
        assert_eq!(
            bob.receive_json().await,
            json!({"type": "join", "room": "lobby", "name": "bob"})
        );
        assert_eq!(
            alice.receive_json().await,
            json!({"type": "join", "room": "lobby", "name": "bob"})
        );
        // Someone in another room sees nothing of the lobby.
        let mut carol = c
            .websocket("/ws/garden?name=carol")
            .connect()
            .await
            .unwrap();
        assert_eq!(carol.receive_json().await["type"], "join");

        let rooms = c.get("/rooms").send().await.json_value();
        assert_eq!(
            rooms,
            json!([{"room": "garden", "members": 1}, {"room": "lobby", "members": 2}])
        );

        alice.send_json(&json!({"text": "hello"})).await;
        let expected =
            json!({"type": "message", "room": "lobby", "name": "alice", "text": "hello"});
        assert_eq!(
            alice.receive_json().await,
            expected,
            "the sender gets its own message too"
        );
        assert_eq!(bob.receive_json().await, expected);

        // Bad messages get an error, to the sender only.
        bob.send_text("not json").await;
        assert_eq!(bob.receive_json().await["type"], "error");
        bob.send_json(&json!({"text": ""})).await;
        assert_eq!(bob.receive_json().await["type"], "error");
        bob.send_json(&json!({"text": "still here"})).await;
        assert_eq!(
            alice.receive_json().await["text"],
            "still here",
            "alice saw no error"
        );

        bob.close().await;
        assert_eq!(
            alice.receive_json().await,
            json!({"type": "leave", "room": "lobby", "name": "bob"})
        );
        let rooms = c.get("/rooms").send().await.json_value();
        assert_eq!(
            rooms,
            json!([{"room": "garden", "members": 1}, {"room": "lobby", "members": 1}])
        );
        carol.close().await;
        alice.close().await;
        // Empty rooms disappear.
        for _ in 0..50 {
            if c.get("/rooms").send().await.json_value() == json!([]) {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("rooms were not emptied");
    });
}

#[test]
fn a_missing_name_is_refused_with_1008() {
    rt().block_on(async {
        let c = TestClient::start(chat::app()).await.unwrap();
        let mut ws = c.websocket("/ws/lobby").connect().await.unwrap();
        assert!(matches!(ws.receive().await, WsFrame::Close(1008, _)));
        let mut ws = c
            .websocket(&format!("/ws/lobby?name={}", "x".repeat(33)))
            .connect()
            .await
            .unwrap();
        assert!(matches!(ws.receive().await, WsFrame::Close(1008, _)));
        assert_eq!(c.get("/rooms").send().await.json_value(), json!([]));
    });
}

#[test]
fn the_page_and_the_document() {
    rt().block_on(async {
        let c = TestClient::start(chat::app()).await.unwrap();
        let page = c.get("/").send().await;
        assert!(page.text().contains("new WebSocket("));
        let doc = chat::app().openapi_value().unwrap();
        assert!(doc["paths"].get("/ws/{room}").is_none());
        assert!(doc["paths"].get("/").is_none());
        assert!(doc["paths"]["/rooms"]["get"].is_object());
    });
}

/// A member that stops reading while the room talks is told how many events it missed,
/// instead of losing them silently; the room goes on.
#[test]
fn a_member_that_falls_behind_is_told_what_it_missed() {
    rt().block_on(async {
        let c = TestClient::start(chat::app()).await.unwrap();
        let mut slow = c.websocket("/ws/busy?name=slow").connect().await.unwrap();
        assert_eq!(slow.receive_json().await["type"], "join");
        // 1,000 messages of 2,000 characters: far more than the slow member's socket
        // buffers and its 256-event queue hold while it is not reading.
        let text = "x".repeat(2000);
        let mut sender = c.websocket("/ws/busy?name=sender").connect().await.unwrap();
        for _ in 0..1000 {
            sender.send_json(&json!({"text": text})).await;
        }
        let mut messages = 0u64;
        let mut missed = 0u64;
        while messages + missed < 1000 {
            let event = slow.receive_json().await;
            match event["type"].as_str().unwrap() {
                "message" => messages += 1,
                "lagged" => missed += event["missed"].as_u64().unwrap(),
                _ => {}
            }
        }
        assert!(missed > 0, "the slow member never fell behind");
        assert_eq!(messages + missed, 1000);
    });
}

/// Three instances sharing rooms: through one in-memory `Channels` (as in one process), then
/// through a real Redis server with each instance its own connections.
#[test]
fn rooms_and_presence_span_instances_in_memory() {
    rt().block_on(async {
        let channels = Channels::memory();
        let mut instances = Vec::new();
        for _ in 0..3 {
            instances.push(
                TestClient::start(chat::app_with(channels.clone()))
                    .await
                    .unwrap(),
            );
        }
        rooms_span_instances(&instances).await;
    });
}

#[test]
fn rooms_and_presence_span_instances_through_redis() {
    let Some(redis) = Redis::start() else { return };
    rt().block_on(async {
        let mut instances = Vec::new();
        for _ in 0..3 {
            let channels = Channels::builder().redis(&redis.url()).unwrap();
            instances.push(TestClient::start(chat::app_with(channels)).await.unwrap());
        }
        rooms_span_instances(&instances).await;
    });
}

async fn join(c: &TestClient, path: &str) -> WsSession {
    let mut ws = c.websocket(path).connect().await.unwrap();
    assert_eq!(ws.receive_json().await["type"], "join");
    ws
}

async fn rooms_span_instances(instances: &[TestClient]) {
    let (a, b, c) = (&instances[0], &instances[1], &instances[2]);
    let mut alice = join(a, "/ws/lobby?name=alice").await;
    let mut bob = join(b, "/ws/lobby?name=bob").await;
    assert_eq!(
        alice.receive_json().await,
        json!({"type": "join", "room": "lobby", "name": "bob"})
    );
    let mut carol = join(c, "/ws/lobby?name=carol").await;
    for ws in [&mut alice, &mut bob] {
        assert_eq!(ws.receive_json().await["name"], "carol");
    }
    // A message sent to instance A reaches the members on B and C.
    alice.send_json(&json!({"text": "hello from a"})).await;
    let expected =
        json!({"type": "message", "room": "lobby", "name": "alice", "text": "hello from a"});
    for ws in [&mut alice, &mut bob, &mut carol] {
        assert_eq!(ws.receive_json().await, expected);
    }
    // Every instance lists the room with its three members.
    for instance in instances {
        eventually(instance, json!([{"room": "lobby", "members": 3}])).await;
    }
    // Leaving is seen everywhere too.
    carol.close().await;
    for ws in [&mut alice, &mut bob] {
        assert_eq!(
            ws.receive_json().await,
            json!({"type": "leave", "room": "lobby", "name": "carol"})
        );
    }
    eventually(a, json!([{"room": "lobby", "members": 2}])).await;
    alice.close().await;
    bob.close().await;
    eventually(c, json!([])).await;
}

/// Presence is announced asynchronously: wait (bounded) for `rooms`.
async fn eventually(c: &TestClient, rooms: serde_json::Value) {
    let mut last = serde_json::Value::Null;
    for _ in 0..100 {
        last = c.get("/rooms").send().await.json_value();
        if last == rooms {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("rooms are {last}, expected {rooms}");
}

/// With the broker down, joining is refused with 1013 (try again later), and the instance
/// keeps answering everything else.
#[test]
fn an_unreachable_broker_refuses_joins_with_1013() {
    let Some(redis) = Redis::start() else { return };
    let url = redis.url();
    redis.stop();
    rt().block_on(async {
        let c = TestClient::start(chat::app_with(Channels::builder().redis(&url).unwrap()))
            .await
            .unwrap();
        let mut ws = c.websocket("/ws/lobby?name=alice").connect().await.unwrap();
        assert!(matches!(ws.receive().await, WsFrame::Close(1013, _)));
        assert_eq!(c.get("/rooms").send().await.status(), 200);
        assert_eq!(c.get("/").send().await.status(), 200);
    });
}

#[test]
fn room_names_are_checked() {
    rt().block_on(async {
        let c = TestClient::start(chat::app()).await.unwrap();
        for bad in ["a%20b", "%C3%A9t%C3%A9", &"x".repeat(49)] {
            let mut ws = c
                .websocket(&format!("/ws/{bad}?name=alice"))
                .connect()
                .await
                .unwrap();
            assert!(
                matches!(ws.receive().await, WsFrame::Close(1008, _)),
                "{bad}"
            );
        }
    });
}
