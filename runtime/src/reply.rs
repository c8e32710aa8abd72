//! JSON answers: the few functions every part of the runtime uses to write a body, kept
//! apart so that errors, validation and responses can all use them without depending on
//! each other.

use axum::body::Body;
use axum::response::Response;
use http::{header, HeaderValue, StatusCode};
use serde::Serialize;

/// Serializes `value` as compact JSON with `content-type: application/json`.
/// A value that cannot be serialized (a map with non-string keys, a failing `Serialize`
/// impl) gives the JSON 500 of [`internal_error`]. serde_json writes a NaN or infinite
/// float as `null` (FastAPI answers 500 for those).
pub fn json_response<T: Serialize + ?Sized>(status: StatusCode, value: &T) -> Response {
    let mut buf = Vec::with_capacity(128);
    let written = serde_json::to_writer(&mut buf, value);
    json_bytes_response(status, buf, written)
}

/// The answer around serialized JSON, shared by every type [`json_response`] serializes.
fn json_bytes_response(
    status: StatusCode,
    buf: Vec<u8>,
    written: Result<(), serde_json::Error>,
) -> Response {
    match written {
        Ok(()) => {
            let mut res = Response::new(Body::from(buf));
            *res.status_mut() = status;
            res.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            res
        }
        Err(err) => {
            tracing::error!(%err, "response serialization failed");
            internal_error()
        }
    }
}

/// A JSON value as compact text. Use this, not `Value`'s `Display` (`to_string()`,
/// `format!("{v}")`): this is the serializer every answer already uses, where `Display`
/// would compile two more (compact and pretty, 17 KB of every binary).
pub(crate) fn json_text(value: &serde_json::Value) -> String {
    serde_json::to_string(value).expect("a JSON value serializes")
}

/// The answer to an unhandled error: 500 `{"detail": "Internal Server Error"}`, the same
/// body a panicking handler gets (FastAPI answers `text/plain` here; see
/// `docs/fastapi-differences.md`, `PanicIsJson`).
pub fn internal_error() -> Response {
    detail_response(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error")
}

/// `{"detail": "<text>"}` with a status: the framework's own 404, 405, 413, 415, 500 answers.
pub fn detail_response(status: StatusCode, detail: &str) -> Response {
    #[derive(Serialize)]
    struct Detail<'a> {
        detail: &'a str,
    }
    json_response(status, &Detail { detail })
}
