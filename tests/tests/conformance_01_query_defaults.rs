//! FastAPI conformance, app 01 (`tests/conformance/fastapi/apps/01_query_defaults.py`):
//! query parameters with defaults, lax bool/float coercion, unknown parameters,
//! trailing-slash redirect, 405 and 404.

use ferrapi::prelude::*;
use ferrapi_tests::conformance::SpecOptions;
use serde_json::{json, Value};

const APP: &str = "01_query_defaults";

fn warehouse() -> Vec<Value> {
    (1..16)
        .map(|n: i64| json!({"sku": format!("SKU-{n:03}"), "qty": n * 3}))
        .collect()
}

#[get("/items/")]
async fn list_items(
    #[query(default = 0)] skip: i64,
    #[query(default = 10)] limit: i64,
) -> Json<Value> {
    let window: Vec<Value> = if skip >= 0 && limit >= 0 {
        warehouse()
            .into_iter()
            .skip(skip as usize)
            .take(limit as usize)
            .collect()
    } else {
        Vec::new()
    };
    Json(json!({"skip": skip, "limit": limit, "count": window.len(), "items": window}))
}

#[get("/items/sorted")]
async fn sorted_items(
    #[query(default = false)] descending: bool,
    #[query(default = 1.0)] factor: f64,
    #[query(default = "all")] label: String,
) -> Json<Value> {
    let mut rows = warehouse();
    rows.sort_by_key(|r| r["qty"].as_i64());
    if descending {
        rows.reverse();
    }
    let scaled: Vec<f64> = rows
        .iter()
        .take(3)
        .map(|r| r["qty"].as_i64().unwrap_or(0) as f64 * factor)
        .collect();
    Json(json!({"descending": descending, "factor": factor, "label": label, "scaled": scaled}))
}

fn app() -> App {
    App::new().routes(routes![list_items, sorted_items])
}

ferrapi_tests::conformance_tests!(SpecOptions::with_metadata());
