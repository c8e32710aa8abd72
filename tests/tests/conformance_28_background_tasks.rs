//! FastAPI conformance, app 28 (`tests/conformance/fastapi/apps/28_background_tasks.py`):
//! `BackgroundTasks` used by an endpoint and by one of its dependencies. The tasks run after
//! the response, in the order they were added (the dependency's first, since it ran
//! first). The app keeps state (the outbox): the cases run in order against one instance.

use std::sync::{Arc, Mutex};

use ferrapi::background::BackgroundTasks;
use ferrapi::prelude::*;
use ferrapi_tests::conformance::SpecOptions;
use serde_json::{json, Value};

const APP: &str = "28_background_tasks";

/// FastAPI's module-level `OUTBOX`.
#[derive(Clone, Default)]
struct Outbox(Arc<Mutex<Vec<String>>>);

impl Outbox {
    fn len(&self) -> usize {
        self.0.lock().unwrap().len()
    }
}

// FastAPI's `deliver(message, channel="email")`.
async fn deliver(outbox: Outbox, message: String, channel: &'static str) {
    outbox
        .0
        .lock()
        .unwrap()
        .push(format!("{channel}:{message}"));
}

/// What the `audit` dependency gives the endpoint: the actor, if any.
#[derive(Clone)]
pub struct Actor(#[allow(dead_code)] Option<String>);

// FastAPI's `audit(background_tasks, actor: str | None = None)`.
#[dependency]
async fn audit(
    tasks: BackgroundTasks,
    outbox: State<Outbox>,
    #[query] actor: Option<String>,
) -> Actor {
    if let Some(a) = actor.as_deref().filter(|a| !a.is_empty()) {
        let outbox = outbox.0.clone();
        tasks.add(deliver(outbox, format!("audit by {a}"), "log"));
    }
    Actor(actor)
}

#[post("/notify/{recipient}", status = 202)]
async fn notify(
    recipient: String,
    tasks: BackgroundTasks,
    _actor: Actor,
    outbox: State<Outbox>,
) -> Json<Value> {
    tasks.add(deliver(
        outbox.0.clone(),
        format!("hello {recipient}"),
        "email",
    ));
    Json(json!({"queued": true, "outbox_size_at_response": outbox.len()}))
}

#[get("/outbox")]
async fn outbox(outbox: State<Outbox>) -> Json<Value> {
    let messages = outbox.0 .0.lock().unwrap().clone();
    Json(json!({ "messages": messages }))
}

#[delete("/outbox", status = 204)]
async fn clear_outbox(outbox: State<Outbox>) -> NoContent {
    outbox.0 .0.lock().unwrap().clear();
    NoContent
}

fn app() -> App {
    App::new()
        .state(Outbox::default())
        .routes(routes![notify, outbox, clear_outbox])
}

ferrapi_tests::conformance_tests!(SpecOptions::with_metadata());
