//! FastAPI conformance, app 03 (`tests/conformance/fastapi/apps/03_query_list.py`):
//! list-valued query parameters from repeated keys, an optional list, a required list
//! with length bounds, and an alias with a hyphen.

use ferrapi::prelude::*;
use ferrapi_tests::conformance::SpecOptions;
use serde_json::{json, Value};

const APP: &str = "03_query_list";

#[get("/filter")]
async fn filter_things(#[query(default)] tag: Vec<String>, ids: Option<Vec<i64>>) -> Json<Value> {
    Json(json!({"tag": tag, "ids": ids}))
}

#[get("/pick")]
async fn pick(
    #[query(min_length = 1, max_length = 3, description = "One to three choices")] choice: Vec<
        String,
    >,
    #[query(alias = "colour-code", default = vec!["black".to_string(), "white".to_string()])]
    colour: Vec<String>,
) -> Json<Value> {
    Json(json!({"choice": choice, "colour": colour}))
}

fn app() -> App {
    App::new().routes(routes![filter_things, pick])
}

ferrapi_tests::conformance_tests!(SpecOptions::with_metadata());
