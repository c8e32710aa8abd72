//! FastAPI conformance, app 38 (`tests/conformance/fastapi/apps/38_nested_defaults.py`):
//! `exclude_defaults` trims nested models and every item of a list answer, at every depth
//! (a nested model equal to its default is dropped whole, one that differs keeps only what
//! differs), as pydantic's `model_dump(exclude_defaults=True)` does.

use ferrapi::prelude::*;
use ferrapi_tests::conformance::SpecOptions;
use serde_json::{json, Value};

const APP: &str = "38_nested_defaults";

#[model]
struct Dim {
    #[field(default = "cm")]
    unit: String,
    #[field(default = 1.0)]
    size: f64,
}

#[model]
struct Part {
    name: String,
    #[field(default = 1)]
    qty: i64,
    #[field(default = Dim { unit: "cm".into(), size: 1.0 })]
    dim: Dim,
    note: Option<String>,
}

fn parts() -> Value {
    json!([
        {"name": "a"},
        {"name": "b", "qty": 2, "dim": {"unit": "mm", "size": 1.0}},
        {"name": "c", "qty": 1, "dim": {"unit": "cm", "size": 1.0}, "note": "x"}
    ])
}

#[get("/parts/", response_model(Vec<Part>, exclude_defaults))]
async fn list_parts() -> Json<Value> {
    Json(parts())
}

#[get("/parts/{name}", response_model(Part, exclude_defaults))]
async fn read_part(name: String) -> Json<Value> {
    let all = parts();
    let found = all
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"] == name.as_str());
    Json(found.cloned().unwrap_or(Value::Null))
}

fn app() -> App {
    App::new().routes(routes![list_parts, read_part])
}

ferrapi_tests::conformance_tests!(SpecOptions::default());
