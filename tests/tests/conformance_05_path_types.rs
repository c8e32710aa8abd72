//! FastAPI conformance, app 05 (`tests/conformance/fastapi/apps/05_path_types.py`):
//! int, str, string-enum and `{p:path}` path parameters, a fixed route next to a
//! parameter route, trailing-slash redirect on a parameter route.

use ferrapi::prelude::*;
use ferrapi_tests::conformance::SpecOptions;
use serde_json::{json, Value};

const APP: &str = "05_path_types";

#[derive(Clone, Copy, Debug, PartialEq, Eq, ParamEnum)]
#[param(rename_all = "lowercase")]
enum Planet {
    Mercury,
    Venus,
    Earth,
}

#[get("/accounts/me")]
async fn my_account() -> Json<Value> {
    Json(json!({"account": "the current one"}))
}

#[get("/accounts/{account_id}")]
async fn account_by_id(account_id: i64) -> Json<Value> {
    Json(json!({"account_id": account_id, "doubled": account_id * 2}))
}

#[get("/labels/{label}")]
async fn label_echo(label: String) -> Json<Value> {
    Json(json!({"label": label, "length": label.chars().count()}))
}

#[get("/planets/{planet}")]
async fn planet_info(planet: Planet) -> Json<Value> {
    Json(json!({"planet": planet.as_str(), "habitable": planet == Planet::Earth}))
}

#[get("/docs-store/{doc_path:path}")]
async fn doc_path(doc_path: String) -> Json<Value> {
    Json(json!({ "doc_path": doc_path }))
}

fn app() -> App {
    App::new().routes(routes![
        my_account,
        account_by_id,
        label_echo,
        planet_info,
        doc_path
    ])
}

ferrapi_tests::conformance_tests!(SpecOptions::with_metadata());
