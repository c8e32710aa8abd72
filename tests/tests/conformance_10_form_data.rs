//! FastAPI conformance, app 10 (`tests/conformance/fastapi/apps/10_form_data.py`):
//! separate form fields (`#[form]`, FastAPI's `Form()`) with a constraint and a bool read
//! from `"on"`, both urlencoded and multipart, and a model read from a form (`Form<T>`,
//! FastAPI's `Annotated[Model, Form()]`).

use ferrapi::prelude::*;
use ferrapi_tests::conformance::SpecOptions;
use serde_json::{json, Value};

const APP: &str = "10_form_data";

#[post("/signin")]
async fn signin(
    #[form] login: String,
    #[form(min_length = 4)] secret: String,
    #[form(default = false)] remember_me: bool,
) -> Json<Value> {
    Json(json!({
        "login": login,
        "secret_length": secret.chars().count(),
        "remember_me": remember_me,
    }))
}

#[model]
struct Feedback {
    author: String,
    #[field(ge = 1, le = 5)]
    rating: i64,
    comment: Option<String>,
}

// FastAPI returns the model without a response model: the document shows no schema.
#[post("/feedback")]
async fn feedback(data: Form<Feedback>) -> Json<Value> {
    Json(json!({
        "author": data.author,
        "rating": data.rating,
        "comment": data.comment,
    }))
}

fn app() -> App {
    App::new().routes(routes![signin, feedback])
}

ferrapi_tests::conformance_tests!(SpecOptions::with_metadata());
