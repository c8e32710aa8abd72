//! FastAPI conformance, app 02 (`tests/conformance/fastapi/apps/02_query_required_optional.py`):
//! required query parameters next to optional ones, empty values, lax int parsing,
//! percent-decoding.

use ferrapi::prelude::*;
use ferrapi_tests::conformance::SpecOptions;
use serde_json::{json, Value};

const APP: &str = "02_query_required_optional";

#[get("/lookup")]
async fn lookup(
    code: String,
    region: Option<String>,
    weight: Option<f64>,
    #[query(default = false)] verbose: bool,
) -> Json<Value> {
    Json(json!({"code": code, "region": region, "weight": weight, "verbose": verbose}))
}

#[get("/convert")]
async fn convert(amount: i64, currency: String, rate: Option<f64>) -> Json<Value> {
    let used = rate.unwrap_or(1.0);
    Json(json!({"amount": amount, "currency": currency, "converted": amount as f64 * used}))
}

fn app() -> App {
    App::new().routes(routes![lookup, convert])
}

ferrapi_tests::conformance_tests!(SpecOptions::with_metadata());
