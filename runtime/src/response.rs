//! What a handler returns, and how each return type documents its responses.
//!
//! A handler may return any of:
//!
//! - a type that is `Serialize + ToSchema` (sent as JSON, documented with its schema);
//! - [`Json<T>`](crate::Json), [`Created<T>`], [`NoContent`], [`Html`], `String`;
//! - `(StatusCode, T)` to choose the status at run time;
//! - `(HeaderMap, T)` or `([(HeaderName, HeaderValue); N], T)` to add headers (documented as
//!   `T`; their names are only known at run time), or [`WithHeader<H, T>`] for a header whose
//!   name is declared in the document;
//! - `Result<T, E>` where `E` is [`HttpError`](crate::HttpError) or another [`ApiResponse`];
//! - axum's `Response` (served as is, documented with an empty schema: the explicit way to
//!   leave an answer undescribed), `Redirect`, or a handler declared `-> impl IntoResponse`.
//!
//! Any other type is a compile error that says how to make it describable (implement
//! [`ApiResponse`], or return one of the above), so a document never silently shows `{}`.
//!
//! ```
//! use ferrapi::prelude::*;
//!
//! #[derive(serde::Serialize, ToSchema)]
//! struct Item { id: i64 }
//!
//! #[post("/items/", status = 201)]
//! async fn create() -> Created<Item> {
//!     Created(Item { id: 1 })
//! }
//! ```

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use std::marker::PhantomData;

use http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde::Serialize;

use crate::spec::{DocCtx, Responses, Schema};

pub use crate::reply::{internal_error, json_response};

/// A return type that turns into a response and documents it.
///
/// `default_status` is the operation's declared status (`status = 201`), or 200.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned from a ferrapi handler",
    label = "not a response type",
    note = "return a type that is `Serialize + ToSchema` (e.g. a `#[model]`), `Json<T>`, `Created<T>`, `NoContent`, `Html<_>`, `Text<_>`, `String`, `(StatusCode, T)`, `Result<T, HttpError>`, or `Response` to leave the answer undescribed; or implement `ApiResponse` for `{Self}` to describe it"
)]
pub trait ApiResponse {
    /// Builds the response; `status` is the operation's declared success status.
    fn into_api_response(self, status: StatusCode) -> Response;
    /// Documents the responses this type can produce.
    fn document(ctx: &mut DocCtx, status: StatusCode, out: &mut Responses);
}

/// A response type that says what it sends: every [`ApiResponse`]. A handler returning an
/// axum `IntoResponse` that is not one is refused at compile time with this trait's
/// message, instead of a silent `{}` in the document.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not describe what it sends, so the document cannot show it",
    label = "an axum response without a description",
    note = "implement `ferrapi::ApiResponse` for `{Self}` (its `document` says what it sends), return a described type (`Json<T>`, `Text<_>`, `ByteStream`, ...), or return `axum::response::Response` to leave the answer undescribed on purpose"
)]
pub trait DescribesResponse {
    /// Describes the responses.
    fn describe(ctx: &mut DocCtx, status: StatusCode, out: &mut Responses);
}

impl<T: ApiResponse> DescribesResponse for T {
    fn describe(ctx: &mut DocCtx, status: StatusCode, out: &mut Responses) {
        T::document(ctx, status, out)
    }
}

/// A JSON body: the request body extractor and a response type.
///
/// As an input, it reads `application/json` (or any `application/*+json`), answers
/// FastAPI-shaped 422 errors for malformed or invalid bodies, and enforces the app's body
/// size limit. As an output, it serializes `T` with the operation's status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Json<T>(pub T);

impl<T> std::ops::Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> std::ops::DerefMut for Json<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        json_response(StatusCode::OK, &self.0)
    }
}

impl<T: Serialize + crate::ToSchema> ApiResponse for Json<T> {
    fn into_api_response(self, status: StatusCode) -> Response {
        json_response(status, &self.0)
    }
    fn document(ctx: &mut DocCtx, status: StatusCode, out: &mut Responses) {
        let schema = ctx.schema_of::<T>();
        out.json(status, "Successful Response", schema);
    }
}

/// axum's own `Json`, as an app ported from axum returns it: answered and documented like
/// ferrapi's [`Json`].
impl<T: Serialize + crate::ToSchema> ApiResponse for axum::Json<T> {
    fn into_api_response(self, status: StatusCode) -> Response {
        json_response(status, &self.0)
    }
    fn document(ctx: &mut DocCtx, status: StatusCode, out: &mut Responses) {
        Json::<T>::document(ctx, status, out)
    }
}

/// axum's own `Html`: answered as axum does, documented like ferrapi's [`Html`].
impl<T: IntoResponse> ApiResponse for axum::response::Html<T> {
    fn into_api_response(self, status: StatusCode) -> Response {
        let mut r = self.into_response();
        *r.status_mut() = status;
        r
    }
    fn document(ctx: &mut DocCtx, status: StatusCode, out: &mut Responses) {
        Html::<String>::document(ctx, status, out)
    }
}

/// `201 Created` with a JSON body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Created<T>(pub T);

impl<T: Serialize> IntoResponse for Created<T> {
    fn into_response(self) -> Response {
        json_response(StatusCode::CREATED, &self.0)
    }
}

impl<T: Serialize + crate::ToSchema> ApiResponse for Created<T> {
    fn into_api_response(self, _status: StatusCode) -> Response {
        json_response(StatusCode::CREATED, &self.0)
    }
    fn document(ctx: &mut DocCtx, _status: StatusCode, out: &mut Responses) {
        let schema = ctx.schema_of::<T>();
        out.json(StatusCode::CREATED, "Successful Response", schema);
    }
}

/// `204 No Content` with an empty body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoContent;

impl IntoResponse for NoContent {
    fn into_response(self) -> Response {
        StatusCode::NO_CONTENT.into_response()
    }
}

impl ApiResponse for NoContent {
    fn into_api_response(self, _status: StatusCode) -> Response {
        StatusCode::NO_CONTENT.into_response()
    }
    fn document(_ctx: &mut DocCtx, _status: StatusCode, out: &mut Responses) {
        out.empty(StatusCode::NO_CONTENT, "Successful Response");
    }
}

/// An HTML page (`text/html; charset=utf-8`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Html<T>(pub T);

impl<T: IntoResponse> IntoResponse for Html<T> {
    fn into_response(self) -> Response {
        axum::response::Html(self.0).into_response()
    }
}

impl<T: IntoResponse> ApiResponse for Html<T> {
    fn into_api_response(self, status: StatusCode) -> Response {
        let mut r = axum::response::Html(self.0).into_response();
        *r.status_mut() = status;
        r
    }
    fn document(_ctx: &mut DocCtx, status: StatusCode, out: &mut Responses) {
        out.content(
            status,
            "Successful Response",
            "text/html",
            serde_json::json!({"type": "string"}),
        );
    }
}

/// Plain text (`text/plain; charset=utf-8`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text<T>(pub T);

impl<T: Into<Body>> IntoResponse for Text<T> {
    fn into_response(self) -> Response {
        let mut r = Response::new(self.0.into());
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        r
    }
}

impl<T: Into<Body>> ApiResponse for Text<T> {
    fn into_api_response(self, status: StatusCode) -> Response {
        let mut r = self.into_response();
        *r.status_mut() = status;
        r
    }
    fn document(_ctx: &mut DocCtx, status: StatusCode, out: &mut Responses) {
        out.content(
            status,
            "Successful Response",
            "text/plain",
            serde_json::json!({"type": "string"}),
        );
    }
}

impl ApiResponse for () {
    fn into_api_response(self, status: StatusCode) -> Response {
        json_response(status, &())
    }
    fn document(_ctx: &mut DocCtx, status: StatusCode, out: &mut Responses) {
        out.json(
            status,
            "Successful Response",
            serde_json::json!({"type": "null"}),
        );
    }
}

impl ApiResponse for String {
    fn into_api_response(self, status: StatusCode) -> Response {
        json_response(status, &self)
    }
    fn document(_ctx: &mut DocCtx, status: StatusCode, out: &mut Responses) {
        out.json(
            status,
            "Successful Response",
            serde_json::json!({"type": "string"}),
        );
    }
}

impl ApiResponse for &'static str {
    fn into_api_response(self, status: StatusCode) -> Response {
        json_response(status, self)
    }
    fn document(_ctx: &mut DocCtx, status: StatusCode, out: &mut Responses) {
        out.json(
            status,
            "Successful Response",
            serde_json::json!({"type": "string"}),
        );
    }
}

impl ApiResponse for StatusCode {
    fn into_api_response(self, _status: StatusCode) -> Response {
        self.into_response()
    }
    fn document(_ctx: &mut DocCtx, status: StatusCode, out: &mut Responses) {
        out.empty(status, "Successful Response");
    }
}

impl ApiResponse for Response {
    fn into_api_response(self, _status: StatusCode) -> Response {
        self
    }
    fn document(_ctx: &mut DocCtx, status: StatusCode, out: &mut Responses) {
        out.json(status, "Successful Response", serde_json::json!({}));
    }
}

/// A redirect (axum's `Redirect`): documented as a `3XX` answer with a `Location` header,
/// since the kind of redirect is chosen at run time.
impl ApiResponse for axum::response::Redirect {
    fn into_api_response(self, _status: StatusCode) -> Response {
        self.into_response()
    }
    fn document(_ctx: &mut DocCtx, _status: StatusCode, out: &mut Responses) {
        let mut r = crate::spec::Response::new("Redirect to the `Location` header");
        r.headers.push(crate::spec::ResponseHeader {
            name: "location".into(),
            description: "Where to go".into(),
            schema: Schema::new(serde_json::json!({"type": "string", "format": "uri-reference"})),
        });
        out.entry("3XX", || r);
    }
}

impl<T: ApiResponse> ApiResponse for (StatusCode, T) {
    fn into_api_response(self, _status: StatusCode) -> Response {
        self.1.into_api_response(self.0)
    }
    fn document(ctx: &mut DocCtx, status: StatusCode, out: &mut Responses) {
        T::document(ctx, status, out)
    }
}

/// Headers added to `T`'s response, as axum's `(HeaderMap, T)` does: a name given here
/// replaces the same name set by `T`. Documented as `T`.
impl<T: ApiResponse> ApiResponse for (HeaderMap, T) {
    fn into_api_response(self, status: StatusCode) -> Response {
        let mut r = self.1.into_api_response(status);
        r.headers_mut().extend(self.0);
        r
    }
    fn document(ctx: &mut DocCtx, status: StatusCode, out: &mut Responses) {
        T::document(ctx, status, out)
    }
}

/// Headers added to `T`'s response, as axum's `([(K, V); N], T)` does (names and values as
/// `HeaderName`/`HeaderValue` or text). A name or value that is not valid in a header
/// answers the JSON 500, as axum does. Documented as `T`.
impl<K, V, T, const N: usize> ApiResponse for ([(K, V); N], T)
where
    K: TryInto<HeaderName>,
    K::Error: std::fmt::Display,
    V: TryInto<HeaderValue>,
    V::Error: std::fmt::Display,
    T: ApiResponse,
{
    fn into_api_response(self, status: StatusCode) -> Response {
        // Straight into the response's own map: no second map per request.
        let mut r = self.1.into_api_response(status);
        for (name, value) in self.0 {
            match (name.try_into(), value.try_into()) {
                (Ok(n), Ok(v)) => {
                    r.headers_mut().insert(n, v);
                }
                (Err(e), _) => {
                    tracing::error!(%e, "invalid response header name");
                    return internal_error();
                }
                (_, Err(e)) => {
                    tracing::error!(%e, "invalid response header value");
                    return internal_error();
                }
            }
        }
        r
    }
    fn document(ctx: &mut DocCtx, status: StatusCode, out: &mut Responses) {
        T::document(ctx, status, out)
    }
}

/// A response header known by name when the document is written, for [`WithHeader`].
///
/// ```
/// use ferrapi::response::ResponseHeader;
///
/// struct ElapsedUs;
/// impl ResponseHeader for ElapsedUs {
///     const NAME: &'static str = "x-elapsed-us";
///     const DESCRIPTION: &'static str = "Time spent computing the answer, in microseconds.";
///     fn schema() -> serde_json::Value {
///         serde_json::json!({"type": "integer", "minimum": 0})
///     }
/// }
/// ```
pub trait ResponseHeader {
    /// The header's name, in lower case (`x-request-id`).
    const NAME: &'static str;
    /// What the header says, for the document.
    const DESCRIPTION: &'static str;
    /// The schema of its value; a string unless overridden.
    fn schema() -> serde_json::Value {
        serde_json::json!({"type": "string"})
    }
}

/// `T` with the header `H` set to a value chosen at run time; the document declares `H` in
/// the `headers` of `T`'s success response.
///
/// ```
/// use ferrapi::prelude::*;
/// use ferrapi::response::{ResponseHeader, WithHeader};
///
/// struct Version;
/// impl ResponseHeader for Version {
///     const NAME: &'static str = "x-model-version";
///     const DESCRIPTION: &'static str = "Version of the model that answered.";
/// }
///
/// #[get("/answer")]
/// async fn answer() -> WithHeader<Version, Json<i64>> {
///     WithHeader::new(http::HeaderValue::from_static("3"), Json(42))
/// }
/// ```
pub struct WithHeader<H, T> {
    /// The header's value.
    pub value: HeaderValue,
    /// The response it is added to.
    pub inner: T,
    header: PhantomData<fn() -> H>,
}

impl<H, T> WithHeader<H, T> {
    /// `inner` with the header `H` set to `value`.
    pub fn new(value: HeaderValue, inner: T) -> Self {
        WithHeader {
            value,
            inner,
            header: PhantomData,
        }
    }
}

impl<H: ResponseHeader, T: ApiResponse> ApiResponse for WithHeader<H, T> {
    fn into_api_response(self, status: StatusCode) -> Response {
        let mut r = self.inner.into_api_response(status);
        match HeaderName::from_bytes(H::NAME.as_bytes()) {
            Ok(name) => {
                r.headers_mut().insert(name, self.value);
            }
            Err(_) => {
                tracing::error!(header = H::NAME, "invalid response header name");
                return internal_error();
            }
        }
        r
    }
    fn document(ctx: &mut DocCtx, status: StatusCode, out: &mut Responses) {
        T::document(ctx, status, out);
        out.header(status, H::NAME, H::DESCRIPTION, H::schema());
    }
}

impl<T: ApiResponse, E: ApiResponse> ApiResponse for Result<T, E> {
    fn into_api_response(self, status: StatusCode) -> Response {
        match self {
            Ok(v) => v.into_api_response(status),
            Err(e) => e.into_api_response(status),
        }
    }
    fn document(ctx: &mut DocCtx, status: StatusCode, out: &mut Responses) {
        T::document(ctx, status, out);
        E::document(ctx, status, out);
    }
}

impl ApiResponse for crate::HttpError {
    fn into_api_response(self, _status: StatusCode) -> Response {
        self.into_response()
    }
    fn document(_ctx: &mut DocCtx, _status: StatusCode, _out: &mut Responses) {
        // The statuses an HttpError carries are known only at run time; declare them with
        // `responses(404 = HttpError)` on the route.
    }
}

/// The 422 `{"detail": [...]}` answer, for errors a handler finds itself (checks across
/// fields, against stored data) after the inputs were read:
///
/// ```
/// use ferrapi::prelude::*;
/// use ferrapi::error::{Loc, ValidationError, ValidationErrors};
///
/// #[model]
/// struct Range { low: i64, high: i64 }
///
/// #[post("/ranges")]
/// async fn create(r: Json<Range>) -> Result<Json<i64>, ValidationErrors> {
///     if r.low > r.high {
///         let loc = Loc::body().join("high");
///         return Err(ValidationError::new("value_error", loc, "high must be >= low", r.high.into()).into());
///     }
///     Ok(Json(r.high - r.low))
/// }
/// ```
impl ApiResponse for crate::error::ValidationErrors {
    fn into_api_response(self, _status: StatusCode) -> Response {
        self.into_response()
    }
    fn document(ctx: &mut DocCtx, _status: StatusCode, out: &mut Responses) {
        document_validation_error(ctx, out);
    }
}

/// Either answer of [`Rejection`](crate::Rejection): a 422 listing input errors, or a
/// finished response (an [`HttpError`](crate::HttpError)). Lets a handler use `?` on both
/// `Result<_, HttpError>` and `Result<_, ValidationErrors>`. Only the 422 is documented;
/// declare the others with `responses(404 = HttpError)`.
impl ApiResponse for crate::Rejection {
    fn into_api_response(self, _status: StatusCode) -> Response {
        self.into_response()
    }
    fn document(ctx: &mut DocCtx, _status: StatusCode, out: &mut Responses) {
        document_validation_error(ctx, out);
    }
}

fn document_validation_error(ctx: &mut DocCtx, out: &mut Responses) {
    ctx.add_validation_components();
    out.json(
        StatusCode::UNPROCESSABLE_ENTITY,
        "Validation Error",
        Schema::reference("HTTPValidationError"),
    );
}

/// Documents a type used in a route's `responses(CODE = Type)` option.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot document a response in `responses(...)`",
    label = "`{Self}` has no JSON schema",
    note = "use a type that is `ToSchema` (e.g. a `#[model]` struct: its JSON schema is shown), `HttpError` for a `{{\"detail\": ...}}` body, or `NoContent` for none"
)]
pub trait ResponseModel {
    /// The schema of the body for the declared status, or `None` for no body.
    fn response_schema(ctx: &mut DocCtx) -> Option<Schema>;
}

impl ResponseModel for crate::HttpError {
    fn response_schema(ctx: &mut DocCtx) -> Option<Schema> {
        // `detail` may be the list of validation errors.
        ctx.add_validation_components();
        Some(ctx.schema_of::<crate::error::ErrorBody>())
    }
}

impl ResponseModel for NoContent {
    fn response_schema(_ctx: &mut DocCtx) -> Option<Schema> {
        None
    }
}

#[diagnostic::do_not_recommend]
impl<T: crate::ToSchema> ResponseModel for T {
    fn response_schema(ctx: &mut DocCtx) -> Option<Schema> {
        Some(ctx.schema_of::<T>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Loc, ValidationError, ValidationErrors};

    fn body_json(res: Response) -> serde_json::Value {
        let bytes = futures_util::FutureExt::now_or_never(axum::body::to_bytes(
            res.into_body(),
            usize::MAX,
        ))
        .expect("a buffered body is ready")
        .expect("body");
        serde_json::from_slice(&bytes).expect("JSON")
    }

    fn errors() -> ValidationErrors {
        ValidationError::new(
            "value_error",
            Loc::body().join("readings").join(3usize).join("value"),
            "out of range",
            serde_json::json!(900),
        )
        .into()
    }

    #[test]
    fn validation_errors_answer_422_whatever_the_declared_status() {
        let res = errors().into_api_response(StatusCode::ACCEPTED);
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            body_json(res),
            serde_json::json!({"detail": [{"type": "value_error", "loc": ["body", "readings", 3, "value"], "msg": "out of range", "input": 900}]})
        );
        let res: Result<Json<i64>, ValidationErrors> = Err(errors());
        assert_eq!(
            res.into_api_response(StatusCode::CREATED).status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }

    #[test]
    fn rejections_answer_as_they_are() {
        let r = crate::Rejection::from(errors()).into_api_response(StatusCode::ACCEPTED);
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let r = crate::Rejection::from(crate::HttpError::not_found("nope"))
            .into_api_response(StatusCode::ACCEPTED);
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(body_json(r), serde_json::json!({"detail": "nope"}));
    }

    #[test]
    fn validation_errors_document_the_422() {
        let mut ctx = DocCtx::default();
        let mut out = Responses::default();
        <Result<Json<i64>, crate::Rejection>>::document(&mut ctx, StatusCode::ACCEPTED, &mut out);
        assert!(out.contains("202"));
        let r = out.get("422").unwrap();
        assert_eq!(r.content[0].schema.component(), Some("HTTPValidationError"));
        assert!(ctx.schemas.contains_key("HTTPValidationError"));
        assert!(ctx.schemas.contains_key("ValidationError"));
    }
}
