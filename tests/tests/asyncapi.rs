//! AsyncAPI 3.0 from the same description: typed WebSocket sessions (`JsonSocket`), plain
//! WebSockets and event streams. CI validates the exported documents against the published
//! AsyncAPI 3.0 schema (tests/e2e/validate_asyncapi.mjs).

use ferrapi::prelude::*;
use ferrapi::realtime::{EventStream, JsonSocket, RecvError, WebSocket};
use serde_json::{json, Value};

/// A move on the board.
#[model]
struct Move {
    #[field(ge = 0, le = 8)]
    cell: i64,
}

/// What the server tells players.
#[model]
#[serde(tag = "type", rename_all = "lowercase")]
enum GameEvent {
    Moved { cell: i64 },
    Invalid { errors: Vec<Value> },
}

#[model]
struct Tick {
    n: u32,
}

/// Play a game
///
/// Moves in, events out.
#[websocket("/games/{game_id}", tags = ["games"])]
async fn play(
    mut socket: JsonSocket<Move, GameEvent>,
    game_id: u32,
    #[query(min_length = 1)] player: String,
    #[header] x_client: Option<String>,
) {
    let _ = (game_id, player, x_client);
    while let Some(msg) = socket.recv().await {
        let event = match msg {
            Ok(m) => GameEvent::Moved { cell: m.cell },
            Err(RecvError::Invalid(e)) => GameEvent::Invalid {
                errors: serde_json::to_value(&e).unwrap()["detail"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default(),
            },
            Err(RecvError::Connection(_)) => break,
        };
        if socket.send(&event).await.is_err() {
            break;
        }
    }
}

#[websocket("/raw")]
async fn raw(socket: WebSocket) {
    drop(socket);
}

#[websocket("/secret", include_in_schema = false)]
async fn secret(socket: WebSocket) {
    drop(socket);
}

/// Ticks
#[get("/ticks")]
async fn ticks(#[query(default = 3, le = 10)] count: u32) -> EventStream<Tick> {
    EventStream::new(futures_util::stream::iter((0..count).map(|n| Tick { n })))
}

#[get("/plain")]
async fn plain() -> Json<i64> {
    Json(1)
}

fn app() -> App {
    App::new()
        .title("Games")
        .version("1.2.3")
        .description("Realtime games.")
        .routes(routes![play, raw, secret, ticks, plain])
}

fn export(name: &str, doc: &Value) {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("asyncapi-docs");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join(format!("{name}.json")),
        serde_json::to_string_pretty(doc).unwrap(),
    )
    .unwrap();
}

#[test]
fn websocket_routes_and_streams_are_channels() {
    let doc = app().asyncapi_value().unwrap();
    export("asyncapi-games", &doc);
    assert_eq!(doc["asyncapi"], "3.0.0");
    assert_eq!(
        doc["info"],
        json!({"title": "Games", "version": "1.2.3", "description": "Realtime games."})
    );
    let channels: Vec<&String> = doc["channels"].as_object().unwrap().keys().collect();
    assert_eq!(channels, vec!["play", "raw", "ticks"]);

    let play = &doc["channels"]["play"];
    assert_eq!(play["address"], "/games/{game_id}");
    assert_eq!(play["title"], "Play a game");
    assert_eq!(play["description"], "Moves in, events out.");
    assert!(play["parameters"].get("game_id").is_some());
    let ws = &play["bindings"]["ws"];
    assert_eq!(ws["query"]["required"], json!(["player"]));
    assert_eq!(ws["query"]["properties"]["player"]["minLength"], 1);
    assert!(ws["headers"]["properties"].get("x-client").is_some());
    assert_eq!(
        play["messages"]["fromClient"]["payload"]["$ref"],
        "#/components/schemas/Move"
    );
    assert_eq!(
        play["messages"]["fromServer"]["payload"]["$ref"],
        "#/components/schemas/GameEvent"
    );
    let receive = &doc["operations"]["play_receive"];
    assert_eq!(receive["action"], "receive");
    assert_eq!(receive["channel"]["$ref"], "#/channels/play");
    assert_eq!(
        receive["messages"][0]["$ref"],
        "#/channels/play/messages/fromClient"
    );
    assert_eq!(doc["operations"]["play_send"]["action"], "send");
    assert_eq!(receive["tags"], json!([{"name": "games"}]));

    // A plain WebSocket: messages present but untyped.
    assert_eq!(
        doc["channels"]["raw"]["messages"]["fromClient"]["payload"],
        json!({})
    );

    // An event stream: the app sends items over HTTP.
    let ticks = &doc["operations"]["ticks_stream"];
    assert_eq!(ticks["action"], "send");
    assert_eq!(ticks["bindings"]["http"]["method"], "GET");
    assert_eq!(
        ticks["bindings"]["http"]["query"]["properties"]["count"]["maximum"],
        10
    );
    assert_eq!(
        doc["channels"]["ticks"]["messages"]["item"]["payload"]["$ref"],
        "#/components/schemas/Tick"
    );

    // Only what the channels use, with what it uses in turn.
    let schemas: Vec<&String> = doc["components"]["schemas"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(schemas, vec!["GameEvent", "Move", "Tick"]);
}

#[test]
fn the_openapi_document_keeps_to_http() {
    let doc = app().openapi_value().unwrap();
    assert!(doc["paths"].get("/games/{game_id}").is_none());
    assert!(doc["paths"].get("/raw").is_none());
    // Message types are AsyncAPI's; OpenAPI lists what its operations use.
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    assert!(!schemas.contains_key("Move") && !schemas.contains_key("GameEvent"));
    assert!(schemas.contains_key("Tick"));
}

#[test]
fn typed_sessions_validate_what_clients_send() {
    ferrapi_tests::block_on(async {
        let client = ferrapi::testing::TestClient::new(app());
        let mut ws = client
            .websocket("/games/7?player=ann")
            .connect()
            .await
            .expect("accepted");
        ws.send_json(&json!({"cell": 4})).await;
        assert_eq!(ws.receive_json().await, json!({"type": "moved", "cell": 4}));
        // Out of range, wrong type, not JSON: each is told, the session goes on.
        ws.send_json(&json!({"cell": 9})).await;
        let e = ws.receive_json().await;
        assert_eq!(e["type"], "invalid");
        assert_eq!(e["errors"][0]["type"], "less_than_equal");
        assert_eq!(e["errors"][0]["loc"], json!(["body", "cell"]));
        ws.send_json(&json!({"cell": "x"})).await;
        assert_eq!(ws.receive_json().await["errors"][0]["type"], "int_parsing");
        ws.send_text("{not json").await;
        assert_eq!(ws.receive_json().await["errors"][0]["type"], "json_invalid");
        ws.send_json(&json!([1, 2])).await;
        assert_eq!(
            ws.receive_json().await["errors"][0]["type"],
            "model_attributes_type"
        );
        ws.send_json(&json!({"cell": 0})).await;
        assert_eq!(ws.receive_json().await, json!({"type": "moved", "cell": 0}));
        ws.close().await;
        // Invalid handshake inputs still close the session with 1008 before the handler.
        let mut refused = client
            .websocket("/games/7")
            .connect()
            .await
            .expect("upgraded");
        assert!(matches!(
            refused.receive().await,
            ferrapi::testing::WsFrame::Close(1008, _)
        ));
    });
}

#[test]
fn the_document_is_served_and_exported() {
    ferrapi_tests::block_on(async {
        let client = ferrapi::testing::TestClient::new(app());
        let r = client.get("/asyncapi.json").send().await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.json_value(), app().asyncapi_value().unwrap());
        let off = ferrapi::testing::TestClient::new(app().asyncapi_url(None));
        assert_eq!(off.get("/asyncapi.json").send().await.status(), 404);
    });
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("asyncapi_cli");
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("asyncapi.json");
    let path = out.to_str().unwrap();
    assert_eq!(
        ferrapi::cli::run(app(), ["app", "asyncapi", "--out", path]),
        0
    );
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(written, app().asyncapi_value().unwrap());
    assert_eq!(
        ferrapi::cli::run(app(), ["app", "asyncapi", "--check", path]),
        0
    );
    std::fs::write(&out, "{}").unwrap();
    assert_eq!(
        ferrapi::cli::run(app(), ["app", "asyncapi", "--check", path]),
        1
    );
}
