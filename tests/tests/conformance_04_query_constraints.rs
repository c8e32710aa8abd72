//! FastAPI conformance, app 04 (`tests/conformance/fastapi/apps/04_query_constraints.py`):
//! `ge`/`le`/`gt`/`lt`, `min_length`/`max_length`, `pattern`, `alias`, `deprecated`,
//! `title` and `description` on query parameters, documented and enforced.

use ferrapi::prelude::*;
use ferrapi_tests::conformance::SpecOptions;
use serde_json::{json, Value};

const APP: &str = "04_query_constraints";

#[get("/products/")]
async fn search_products(
    #[query(
        min_length = 3,
        max_length = 12,
        pattern = "^[a-z ]+$",
        title = "Search text",
        description = "Lower-case words to look for"
    )]
    q: Option<String>,
    #[query(default = 1, ge = 1, le = 100)] page: i64,
    #[query(gt = 0, lt = 5000)] max_price: Option<f64>,
    #[query(alias = "sku-code", deprecated)] sku: Option<String>,
) -> Json<Value> {
    Json(json!({"q": q, "page": page, "max_price": max_price, "sku": sku}))
}

#[get("/codes")]
async fn check_code(
    #[query(min_length = 2, max_length = 4)] code: String,
    #[query(default = 5, gt = 0, lt = 10)] level: i64,
) -> Json<Value> {
    Json(json!({"code": code, "level": level}))
}

fn app() -> App {
    App::new().routes(routes![search_products, check_code])
}

ferrapi_tests::conformance_tests!(SpecOptions::with_metadata());
