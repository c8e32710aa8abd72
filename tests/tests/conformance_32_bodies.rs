//! FastAPI conformance, app 32 (`tests/conformance/fastapi/apps/32_bodies.py`): several
//! body parameters in one handler (`#[body]`, one key of the JSON object each, documented
//! as `Body_{operationId}`), a constrained scalar next to a model (`#[body(gt = 0)]`),
//! `#[body(embed)]` for a single model, and a plain body for comparison.

use ferrapi::prelude::*;
use ferrapi_tests::conformance::SpecOptions;
use serde_json::{json, Value};

const APP: &str = "32_bodies";

#[model]
struct Item {
    name: String,
    #[field(gt = 0)]
    price: f64,
    #[field(default)]
    tags: Vec<String>,
}

#[model]
struct User {
    username: String,
    full_name: Option<String>,
}

#[put("/items/{item_id}")]
async fn update_item(item_id: i64, #[body] item: Item, #[body] user: User) -> Json<Value> {
    Json(json!({"item_id": item_id, "item": item, "user": user}))
}

#[put("/ranked/{item_id}")]
async fn update_ranked(
    item_id: i64,
    #[body] item: Item,
    #[body(gt = 0)] importance: i64,
    #[body(max_length = 10)] note: Option<String>,
) -> Json<Value> {
    Json(json!({"item_id": item_id, "item": item, "importance": importance, "note": note}))
}

#[post("/embedded/")]
async fn create_embedded(#[body(embed)] item: Item) -> Json<Value> {
    Json(json!({"item": item}))
}

#[post("/plain/")]
async fn create_plain(item: Json<Item>) -> Json<Value> {
    Json(serde_json::to_value(item.0).unwrap())
}

fn app() -> App {
    App::new().routes(routes![
        update_item,
        update_ranked,
        create_embedded,
        create_plain
    ])
}

ferrapi_tests::conformance_tests!(SpecOptions::with_metadata());
