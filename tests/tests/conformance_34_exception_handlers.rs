//! FastAPI conformance, app 34 (`tests/conformance/fastapi/apps/34_exception_handlers.py`):
//! the app's own answers to errors. FastAPI's handler for a custom exception class is the
//! error type's `IntoResponse`; `RequestValidationError`'s is `App::on_validation_error`
//! (which also gets the request body); `HTTPException`'s (with a status-code handler for
//! 409 taking precedence) is `App::on_http_error_with`, which covers the router's 404 and
//! 405 too.

use axum::response::{IntoResponse, Response};
use ferrapi::error::ValidationErrors;
use ferrapi::prelude::*;
use ferrapi_tests::conformance::{
    assert_cases, assert_spec_with, Difference, SpecOptions, Tolerate,
};
use serde_json::{json, Value};

const APP: &str = "34_exception_handlers";

/// Python's `MyError` and its subclass `MySubError`: one handler answers both.
enum MyError {
    Base(String),
    Sub(String),
}

impl IntoResponse for MyError {
    fn into_response(self) -> Response {
        let (name, kind) = match self {
            MyError::Base(n) => (n, "MyError"),
            MyError::Sub(n) => (n, "MySubError"),
        };
        (
            StatusCode::IM_A_TEAPOT,
            [("x-error", "teapot")],
            Json(json!({"message": format!("Oops! {name} did something."), "kind": kind})),
        )
            .into_response()
    }
}

/// FastAPI does not document an exception's answer; neither does this port.
impl ferrapi::ApiResponse for MyError {
    fn into_api_response(self, _status: StatusCode) -> Response {
        self.into_response()
    }
    fn document(_: &mut ferrapi::spec::DocCtx, _: StatusCode, _: &mut ferrapi::spec::Responses) {}
}

#[model]
struct Item {
    #[field(min_length = 2)]
    name: String,
    #[field(gt = 0)]
    price: f64,
}

#[get("/unicorns/{name}")]
async fn read_unicorn(name: String) -> Result<Json<Value>, MyError> {
    match name.as_str() {
        "yolo" => Err(MyError::Base(name)),
        "sub" => Err(MyError::Sub(name)),
        _ => Ok(Json(json!({"unicorn": name}))),
    }
}

#[post("/items/")]
async fn create_item(item: Json<Item>, q: Option<i64>) -> Json<Value> {
    Json(json!({"item": item.0, "q": q}))
}

#[get("/items/{item_id}")]
async fn read_item(item_id: i64) -> Result<Json<Value>, HttpError> {
    match item_id {
        3 => Err(HttpError::new(
            StatusCode::IM_A_TEAPOT,
            "Nope! I don't like 3.",
        )),
        4 => Err(HttpError::not_found(json!({"reason": "gone", "id": 4}))
            .with_header("x-why", "deleted")),
        5 => Err(HttpError::conflict("already exists")),
        6 => Err(HttpError::bad_request("Bad Request")),
        7 => panic!("boom"),
        _ => Ok(Json(json!({"item_id": item_id}))),
    }
}

/// The body of the reshaped 422.
#[derive(serde::Serialize, ToSchema)]
struct BadInput {
    errors: Value,
    count: usize,
    body: Option<Value>,
}

fn app() -> App {
    App::new()
        .on_validation_error(StatusCode::BAD_REQUEST, |e: &ValidationErrors| BadInput {
            errors: serde_json::to_value(&e.0).unwrap(),
            count: e.0.len(),
            body: e.body().cloned(),
        })
        .on_http_error_with(|e: &HttpError| {
            if e.status() == StatusCode::CONFLICT {
                let detail = e.detail().as_str().unwrap_or_default();
                return (StatusCode::CONFLICT, format!("conflict: {detail}")).into_response();
            }
            let body = json!({"error": {"code": e.status().as_u16(), "message": e.detail()}});
            (e.status(), Json(body)).into_response()
        })
        .routes(routes![read_unicorn, create_item, read_item])
}

/// The reshaped 400 is documented instead of the 422 FastAPI keeps advertising.
const TOLERATE: &[Tolerate] = &[
    Tolerate {
        difference: Difference::ErrorHandlerDocumented,
        pointer: "/paths/~1items~1/post/responses/422",
    },
    Tolerate {
        difference: Difference::ErrorHandlerDocumented,
        pointer: "/paths/~1items~1{item_id}/get/responses/422",
    },
    Tolerate {
        difference: Difference::ErrorHandlerDocumented,
        pointer: "/paths/~1unicorns~1{name}/get/responses/422",
    },
];

#[test]
fn openapi_matches_fastapi() {
    let report = assert_spec_with(APP, app(), SpecOptions::with_metadata(), TOLERATE);
    ferrapi_tests::export_doc(env!("CARGO_TARGET_TMPDIR"), APP, &report.ours);
}

#[test]
fn cases_match_fastapi() {
    assert_cases(APP, app());
}
