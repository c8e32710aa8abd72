//! FastAPI conformance, app 06 (`tests/conformance/fastapi/apps/06_path_constraints.py`):
//! numeric bounds, string lengths and a pattern on path parameters, with a title and a
//! description.

use ferrapi::prelude::*;
use ferrapi_tests::conformance::SpecOptions;
use serde_json::{json, Value};

const APP: &str = "06_path_constraints";

#[get("/orders/{order_id}")]
async fn get_order(
    #[path(
        title = "Order number",
        description = "Between 1 and 1000",
        ge = 1,
        le = 1000
    )]
    order_id: i64,
) -> Json<Value> {
    Json(json!({ "order_id": order_id }))
}

#[get("/grid/{x}/{y}")]
async fn grid_cell(
    #[path(gt = 0, lt = 10.5)] x: f64,
    #[path(ge = -5, le = 5)] y: i64,
) -> Json<Value> {
    Json(json!({"x": x, "y": y}))
}

#[get("/codes/{code}")]
async fn by_code(
    #[path(min_length = 3, max_length = 5, pattern = "^[A-Z]+$")] code: String,
) -> Json<Value> {
    Json(json!({ "code": code }))
}

fn app() -> App {
    App::new().routes(routes![get_order, grid_cell, by_code])
}

ferrapi_tests::conformance_tests!(SpecOptions::with_metadata());
