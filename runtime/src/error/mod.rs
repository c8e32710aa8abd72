//! Errors a handler returns and the framework's own error answers, all shaped like
//! FastAPI's: `{"detail": ...}`.
//!
//! ```
//! use ferrapi::HttpError;
//! use http::StatusCode;
//!
//! fn find(id: i64) -> Result<String, HttpError> {
//!     if id == 1 { Ok("one".into()) } else { Err(HttpError::new(StatusCode::NOT_FOUND, "Item not found")) }
//! }
//! assert_eq!(find(2).unwrap_err().status(), StatusCode::NOT_FOUND);
//! ```

mod documented;
mod handlers;
mod validation;

pub(crate) use handlers::ErrorHandlers;
pub use handlers::ErrorSource;

pub(crate) use documented::document_request_errors;

pub use validation::{
    bounded_input, join_or, At, Loc, LocItem, Problem, ToLoc, ValidationError, ValidationErrors,
    MAX_ERRORS, MAX_INPUT_CHARS, MAX_INPUT_ENTRIES,
};

use std::fmt;

use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde::Serialize;
use serde_json::Value;

use crate::reply::json_response;

/// An HTTP error answered as `{"detail": <detail>}` with optional extra headers, like
/// FastAPI's `HTTPException`. The detail may be any JSON value (a string, an object, ...).
#[derive(Debug, Clone)]
pub struct HttpError {
    // Boxed: a `Result<T, HttpError>` stays as small as a pointer-sized error.
    inner: Box<Inner>,
}

#[derive(Debug, Clone)]
struct Inner {
    status: StatusCode,
    detail: Value,
    headers: HeaderMap,
}

/// The body of an error answer: `{"detail": ...}`. Used to document [`HttpError`] responses,
/// as the component `HTTPError` (named like FastAPI's `HTTPValidationError`).
#[derive(Debug, Clone, Serialize, serde::Deserialize, crate::ToSchema)]
#[schema(
    as = HTTPError,
    title = "HTTPError",
    description = "An error answer: `detail` says what went wrong."
)]
pub struct ErrorBody {
    /// What went wrong.
    #[schema(schema_with = error_detail_schema)]
    pub detail: Value,
}

/// `detail`: usually a message; a list of validation errors, or an object when a handler
/// sends structured details.
fn error_detail_schema() -> Value {
    serde_json::json!({
        "title": "Detail",
        "description": "What went wrong: a message, the list of validation errors, or structured details.",
        "anyOf": [
            {"type": "string"},
            {"type": "array", "items": {"$ref": "#/components/schemas/ValidationError"}},
            {"type": "object"}
        ]
    })
}

impl HttpError {
    /// An error with a status and a detail (a string, or anything serializable).
    pub fn new(status: StatusCode, detail: impl Serialize) -> Self {
        HttpError {
            inner: Box::new(Inner {
                status,
                detail: serde_json::to_value(detail).unwrap_or(Value::Null),
                headers: HeaderMap::new(),
            }),
        }
    }

    /// Adds a response header (e.g. `WWW-Authenticate`). Invalid names or values are ignored.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            self.inner.headers.append(n, v);
        }
        self
    }

    /// 400 Bad Request.
    pub fn bad_request(detail: impl Serialize) -> Self {
        Self::new(StatusCode::BAD_REQUEST, detail)
    }
    /// 401 Unauthorized.
    pub fn unauthorized(detail: impl Serialize) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, detail)
    }
    /// 403 Forbidden.
    pub fn forbidden(detail: impl Serialize) -> Self {
        Self::new(StatusCode::FORBIDDEN, detail)
    }
    /// 404 Not Found.
    pub fn not_found(detail: impl Serialize) -> Self {
        Self::new(StatusCode::NOT_FOUND, detail)
    }
    /// 409 Conflict.
    pub fn conflict(detail: impl Serialize) -> Self {
        Self::new(StatusCode::CONFLICT, detail)
    }
    /// 500 Internal Server Error.
    pub fn internal(detail: impl Serialize) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, detail)
    }

    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.inner.status
    }
    /// The detail value.
    pub fn detail(&self) -> &Value {
        &self.inner.detail
    }
    /// The extra headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.inner.headers
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.inner.status, self.inner.detail)
    }
}

impl std::error::Error for HttpError {}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        #[derive(Serialize)]
        struct Body<'a> {
            detail: &'a Value,
        }
        let status = self.inner.status;
        let mut res = json_response(
            status,
            &Body {
                detail: &self.inner.detail,
            },
        );
        if status == StatusCode::NO_CONTENT || status == StatusCode::NOT_MODIFIED {
            *res.body_mut() = axum::body::Body::empty();
        }
        res.headers_mut().extend(self.inner.headers.clone());
        // What it was made from, for the app's error handlers.
        res.extensions_mut().insert(ErrorSource::Http(self));
        res
    }
}

/// Why an extractor refused a request: either input errors to be collected with every other
/// input's into one 422, or a finished answer (401, 413, ...) sent as is.
#[derive(Debug)]
pub enum Rejection {
    /// Input errors: collected, then answered as one 422.
    Validation(ValidationErrors),
    /// An answer sent at once.
    Response(Box<Response>),
}

impl From<ValidationErrors> for Rejection {
    fn from(e: ValidationErrors) -> Self {
        Rejection::Validation(e)
    }
}

/// A handler's own validation errors, answered as the framework's are: 422 with
/// `{"detail": [{"type", "loc", "msg", "input"}, ...]}`, the shape `HTTPValidationError`
/// documents (FastAPI's `raise RequestValidationError(...)`).
///
/// ```
/// use ferrapi::error::{Loc, ValidationError, ValidationErrors};
/// use ferrapi::HttpError;
///
/// let err: HttpError = ValidationErrors::from(ValidationError::new(
///     "value_error",
///     Loc::body().join("category_id"),
///     "Value error, no such category",
///     serde_json::json!(7),
/// ))
/// .into();
/// assert_eq!(err.status(), 422);
/// assert_eq!(err.detail()[0]["loc"], serde_json::json!(["body", "category_id"]));
/// ```
impl From<ValidationErrors> for HttpError {
    fn from(errors: ValidationErrors) -> Self {
        HttpError::new(StatusCode::UNPROCESSABLE_ENTITY, &errors.0)
    }
}

impl From<HttpError> for Rejection {
    fn from(e: HttpError) -> Self {
        Rejection::Response(Box::new(e.into_response()))
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        match self {
            Rejection::Validation(e) => e.into_response(),
            Rejection::Response(r) => *r,
        }
    }
}

pub use crate::reply::detail_response;
