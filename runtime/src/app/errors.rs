//! The app's error handlers: FastAPI's `@app.exception_handler(...)`.

use std::sync::Arc;

use http::StatusCode;
use serde::Serialize;

use super::App;
use crate::error::{HttpError, ValidationErrors};

impl App {
    /// Answers input errors the app's way, as FastAPI's
    /// `@app.exception_handler(RequestValidationError)`: `status` with the body `answer`
    /// writes from the errors. The document describes it: every operation's 422
    /// (`HTTPValidationError`) becomes `status` with `T`'s schema, which FastAPI cannot do.
    ///
    /// ```
    /// use ferrapi::prelude::*;
    /// use ferrapi::error::ValidationErrors;
    ///
    /// #[derive(serde::Serialize, ToSchema)]
    /// struct BadInput { errors: Vec<String>, count: usize }
    ///
    /// let app = App::new().on_validation_error(StatusCode::BAD_REQUEST, |e: &ValidationErrors| BadInput {
    ///     errors: e.0.iter().map(|e| e.msg.to_string()).collect(),
    ///     count: e.0.len(),
    /// });
    /// ```
    pub fn on_validation_error<T, F>(mut self, status: StatusCode, answer: F) -> Self
    where
        T: Serialize + crate::ToSchema,
        F: Fn(&ValidationErrors) -> T + Send + Sync + 'static,
    {
        self.error_handlers.set_validation::<T>(
            status,
            Arc::new(move |e| serde_json::to_value(answer(e)).unwrap_or_default()),
        );
        self
    }

    /// Answers every [`HttpError`] the app's way, as FastAPI's
    /// `@app.exception_handler(StarletteHTTPException)`: those a handler returns, those of
    /// extractors and security schemes (401, 403, 413, ...) and the router's own 404 and 405.
    /// The status and headers stay the error's; the body is what `answer` writes, and the
    /// document shows `T` wherever it showed `HTTPError`.
    ///
    /// ```
    /// use ferrapi::prelude::*;
    ///
    /// #[derive(serde::Serialize, ToSchema)]
    /// struct Wrapped { error: Inner }
    /// #[derive(serde::Serialize, ToSchema)]
    /// struct Inner { code: u16, message: serde_json::Value }
    ///
    /// let app = App::new().on_http_error(|e: &HttpError| Wrapped {
    ///     error: Inner { code: e.status().as_u16(), message: e.detail().clone() },
    /// });
    /// ```
    pub fn on_http_error<T, F>(mut self, answer: F) -> Self
    where
        T: Serialize + crate::ToSchema,
        F: Fn(&HttpError) -> T + Send + Sync + 'static,
    {
        self.error_handlers.set_http::<T>(Arc::new(move |e| {
            serde_json::to_value(answer(e)).unwrap_or_default()
        }));
        self
    }

    /// Answers every [`HttpError`] with the response `answer` makes, for full control (a
    /// plain-text answer to one status, as FastAPI's `@app.exception_handler(409)`). Headers
    /// of the error's answer that `answer` does not set are kept; the document is unchanged
    /// (use [`on_http_error`](App::on_http_error) for answers it should describe).
    pub fn on_http_error_with<F>(mut self, answer: F) -> Self
    where
        F: Fn(&HttpError) -> axum::response::Response + Send + Sync + 'static,
    {
        self.error_handlers.set_http_response(Arc::new(answer));
        self
    }

    /// Answers every framework error as RFC 9457 problem details
    /// (`application/problem+json`): `{"type": "about:blank", "title": "Not Found",
    /// "status": 404, "detail": "..."}`, input errors listed under `errors` (each as in
    /// FastAPI's `detail`), a 500 as one too. Errors with their own handler
    /// ([`on_validation_error`](App::on_validation_error),
    /// [`on_http_error`](App::on_http_error)) keep it. The document describes them with the
    /// components `HTTPProblem` and `HTTPValidationProblem`.
    pub fn problem_details(mut self) -> Self {
        self.error_handlers.set_problem_details();
        self
    }
}
