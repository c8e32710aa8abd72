//! The JSON request body.
//!
//! [`Json<T>`](crate::Json) reads the body when the request says `application/json` (or any
//! `application/*+json`), parses it into `T` and runs `T`'s declared constraints
//! ([`Validate`]). Every failure is a FastAPI-shaped error:
//!
//! | request | answer |
//! |---|---|
//! | no body, or an empty one | 422 `missing`, loc `["body"]` |
//! | not JSON content type | 422 `model_attributes_type` with the body text as input |
//! | malformed JSON | 422 `json_invalid`, loc `["body", <char offset>]` |
//! | invalid UTF-8 | 400 `There was an error parsing the body` |
//! | larger than the body limit | 413 `Request body too large` |
//! | a field missing, of the wrong type, or out of its constraints | 422, one entry each |

use axum::extract::{FromRequest, Request};
use bytes::Bytes;
use futures_util::FutureExt;
use http::{header, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::describe::ApiInput;
use crate::error::{At, Loc, LocItem, ValidationError, ValidationErrors};
use crate::error::{HttpError, Rejection};
use crate::extract::AppState;
use crate::response::Json;
use crate::spec::{DocCtx, MediaType, Operation, RequestBody, Schema};

pub use crate::validate::Validate;

/// Whether a content type is JSON: `application/json` or `application/*+json`, with any
/// parameters.
pub fn is_json_content_type(ct: &str) -> bool {
    // The header nearly every client sends, first: compared as it is, it costs a tenth of
    // splitting off parameters (some 500 instructions a request).
    if ct.eq_ignore_ascii_case("application/json") {
        return true;
    }
    let essence = ct.split(';').next().unwrap_or("").trim();
    let Some((ty, sub)) = essence.split_once('/') else {
        return false;
    };
    ty.eq_ignore_ascii_case("application")
        && (sub.eq_ignore_ascii_case("json")
            || (sub.len() > 5 && sub[sub.len() - 5..].eq_ignore_ascii_case("+json")))
}

/// Reads the whole body, answering 413 when it is larger than `limit` bytes.
///
/// The request is taken apart before the future starts, so the future holds only the body
/// being read: an `async fn` would keep the whole request (headers, extensions) in its
/// state as well, and every future around it another copy, which made the boxed future of
/// an endpoint with a JSON body 1.7 KB, past the size glibc serves from its thread cache.
pub fn read_body(
    req: Request,
    limit: usize,
) -> impl std::future::Future<Output = Result<Bytes, Rejection>> + Send {
    // `map`, not an `async` block awaiting it: a block would hold the inner future twice
    // (as its capture and as the future it awaits).
    axum::body::to_bytes(req.into_body(), limit).map(|read| read.map_err(body_read_error))
}

/// The answer to a body that could not be read: 408 after the body-read timeout, 413 past
/// the limit, 400 otherwise.
fn body_read_error(err: axum::Error) -> Rejection {
    if crate::server::is_body_timeout(&err) {
        return body_timed_out();
    }
    let too_large = std::error::Error::source(&err)
        .map(|s| s.is::<http_body_util::LengthLimitError>())
        .unwrap_or(false)
        || err.to_string().contains("length limit");
    if too_large {
        HttpError::new(StatusCode::PAYLOAD_TOO_LARGE, "Request body too large").into()
    } else {
        HttpError::bad_request("There was an error parsing the body").into()
    }
}

/// The answer to a body that did not arrive within the body-read timeout: 408, and the
/// connection is closed (the rest of the body is never read).
pub(crate) fn body_timed_out() -> Rejection {
    HttpError::new(StatusCode::REQUEST_TIMEOUT, "Request body timed out")
        .with_header("connection", "close")
        .into()
}

/// Python's `json` messages for the common syntax errors, which FastAPI puts in `ctx.error`.
fn python_json_message(err: &serde_json::Error, text: &str, offset: usize) -> &'static str {
    let msg = err.to_string();
    let at = text[offset.min(text.len())..].trim_start();
    if msg.contains("key must be a string") {
        "Expecting property name enclosed in double quotes"
    } else if msg.contains("expected `:`") {
        "Expecting ':' delimiter"
    } else if msg.contains("expected `,` or `}`") || msg.contains("expected `,` or `]`") {
        "Expecting ',' delimiter"
    } else if msg.contains("trailing characters") {
        "Extra data"
    } else if msg.contains("control character") {
        "Invalid control character at"
    } else if msg.contains("trailing comma") {
        if at.starts_with('}') || at.starts_with(",}") {
            "Expecting property name enclosed in double quotes"
        } else {
            "Expecting value"
        }
    } else {
        "Expecting value"
    }
}

/// The character offset of a serde_json error position (1-based line and column).
fn char_offset(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split('\n').enumerate() {
        if i + 1 == line {
            let col = column.saturating_sub(1);
            return offset + l.chars().take(col).count();
        }
        offset += l.chars().count() + 1;
    }
    offset
}

/// Builds the 422 for a body that is not valid JSON.
pub(crate) fn json_invalid(err: &serde_json::Error, text: &str) -> ValidationError {
    let offset = if err.is_eof() {
        text.chars().count()
    } else {
        char_offset(text, err.line(), err.column())
    };
    let byte_at = text
        .char_indices()
        .nth(offset)
        .map(|(b, _)| b)
        .unwrap_or(text.len());
    let message = python_json_message(err, text, byte_at);
    ValidationError::new(
        "json_invalid",
        Loc(vec![LocItem::from("body"), LocItem::Index(offset)]),
        "JSON decode error",
        Value::Object(Default::default()),
    )
    .with_ctx(serde_json::json!({ "error": message }))
}

/// The largest body a 422 keeps for the app's validation handler
/// ([`ValidationErrors::body`]): reading a larger one again as a tree is not worth its memory.
pub const KEPT_BODY_LIMIT: usize = 64 * 1024;

/// Parses and validates a JSON body, collecting every error with its location under `loc`;
/// the errors keep the body (up to [`KEPT_BODY_LIMIT`] bytes) for the app's handler.
///
/// Only the two readings into `T` and its `validate` are compiled per type; the rest
/// (the checks of the text, the tree walk that finds every error, pydantic's lax
/// conversions) is shared by every body type, so an app with many models compiles it once.
#[allow(clippy::result_large_err)] // `Rejection` is the crate's error type throughout
pub fn parse_json<T: DeserializeOwned + Validate>(bytes: &[u8], loc: &Loc) -> Result<T, Rejection> {
    let text = json_text(bytes, loc)?;
    // A model's JSON must be an object; serde alone would take a list of field values.
    let fast = if !T::EXPECTS_OBJECT || text.trim_start().starts_with('{') {
        // Fast path: straight into T.
        match serde_json::from_str::<T>(text) {
            Ok(v) => return validated(v, loc).map_err(|e| keeping_body(e, bytes)),
            Err(err) => Some(err),
        }
    } else {
        None
    };
    // Slow path: the tree, every error in it, and pydantic's lax conversions; then the
    // converted tree read as T again (from its text, the reading already compiled above).
    let lax = slow_path(text, loc, fast.as_ref(), &Shape::of::<T>())
        .map_err(|e| keeping_body(e, bytes))?;
    match serde_json::from_str::<T>(&lax) {
        Ok(v) => validated(v, loc),
        Err(_) => {
            // The shape walk found nothing, so report serde's own error (of the body as
            // sent) at its path.
            let value = serde_json::from_str::<Value>(text).unwrap_or(Value::Null);
            Err(ValidationErrors::from(serde_error_for(value, loc, fast.as_ref())).into())
        }
    }
    .map_err(|e| keeping_body(e, bytes))
}

/// What the shared path needs of a body type, without its type.
struct Shape {
    list_limits: &'static [(&'static str, usize)],
    validate_value: fn(&Value, &Loc, &mut ValidationErrors),
    coerce_lax: fn(&mut Value),
}

impl Shape {
    fn of<T: Validate>() -> Self {
        Shape {
            list_limits: T::LIST_LIMITS,
            validate_value: T::validate_value,
            coerce_lax: T::coerce_lax,
        }
    }
}

/// The body as text: 400 when it is not UTF-8, 422 `missing` when it is empty.
#[allow(clippy::result_large_err)]
fn json_text<'a>(bytes: &'a [u8], loc: &Loc) -> Result<&'a str, Rejection> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(_) => return Err(HttpError::bad_request("There was an error parsing the body").into()),
    };
    if text.is_empty() {
        return Err(ValidationErrors::from(ValidationError::missing(loc.clone())).into());
    }
    Ok(text)
}

/// A 422 keeps the body it was about (up to [`KEPT_BODY_LIMIT`] bytes) for the app's
/// validation handler ([`ValidationErrors::body`]).
fn keeping_body(rejection: Rejection, bytes: &[u8]) -> Rejection {
    match rejection {
        Rejection::Validation(errors) if !bytes.is_empty() && bytes.len() <= KEPT_BODY_LIMIT => {
            let text = String::from_utf8_lossy(bytes);
            let body = serde_json::from_str::<Value>(&text)
                .unwrap_or_else(|_| Value::String(text.into_owned()));
            Rejection::Validation(errors.with_body(body))
        }
        other => other,
    }
}

/// A body serde did not take as `T` (`fast` is its error, `None` when the body is not the
/// object `T` needs): its syntax error, its oversized lists, or the errors of [`lax_tree`];
/// when there is none, the converted tree as text to read again.
#[allow(clippy::result_large_err)]
fn slow_path(
    text: &str,
    loc: &Loc,
    fast: Option<&serde_json::Error>,
    shape: &Shape,
) -> Result<String, Rejection> {
    if let Some(err) = fast {
        if err.is_syntax() || err.is_eof() {
            return Err(ValidationErrors::from(json_invalid(err, text)).into());
        }
        // A list over its `max_items` is refused before the body becomes a tree in memory
        // (one `too_long` error per such list, nothing else).
        if !shape.list_limits.is_empty() {
            if let Some(errors) = super::list_scan::oversized_lists(text, shape.list_limits, loc) {
                return Err(errors.into());
            }
        }
    }
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(err) => return Err(ValidationErrors::from(json_invalid(&err, text)).into()),
    };
    // `serde_json::to_string`, not `Display`: one serializer for every JSON ferrapi writes
    // (`Display` compiles a second, and a pretty one, 17 KB of every binary).
    Ok(crate::reply::json_text(&lax_tree(&value, loc, shape)?))
}

/// Walks a tree serde did not take against the type's declared shape: every problem, as
/// pydantic reports them; when there is none, the tree after pydantic's lax conversions
/// (`"5"` for an int), to read again.
fn lax_tree(value: &Value, loc: &Loc, shape: &Shape) -> Result<Value, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    (shape.validate_value)(value, loc, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut lax = value.clone();
    (shape.coerce_lax)(&mut lax);
    Ok(lax)
}

/// Reads an already parsed JSON value as `T` at `loc`, as [`parse_json`] reads a body:
/// `T`'s constraints, every error at its location, pydantic's lax conversions. Errors go
/// to `errors`; `None` when there were any.
pub(crate) fn from_json_value<T: DeserializeOwned + Validate>(
    value: &Value,
    loc: &Loc,
    errors: &mut ValidationErrors,
) -> Option<T> {
    let first = if !T::EXPECTS_OBJECT || value.is_object() {
        match serde_json::from_value::<T>(value.clone()) {
            Ok(v) => return checked(v, loc, errors),
            Err(e) => Some(e),
        }
    } else {
        None
    };
    read_lax(value, loc, errors, first)
}

/// Reads a value serde does not take as it is (`first` is serde's error, when known): walks
/// it against `T`'s shape to report every problem, and when there is none, converts what
/// pydantic's lax mode accepts (`"5"` for an int) and reads it again. `None` when there
/// were errors (all in `errors`).
pub(crate) fn read_lax<T: DeserializeOwned + Validate>(
    value: &Value,
    loc: &Loc,
    errors: &mut ValidationErrors,
    first: Option<serde_json::Error>,
) -> Option<T> {
    let lax = match lax_tree(value, loc, &Shape::of::<T>()) {
        Ok(lax) => lax,
        Err(mine) => {
            errors.extend(mine.0);
            return None;
        }
    };
    match serde_json::from_value::<T>(lax) {
        Ok(v) => checked(v, loc, errors),
        Err(_) => {
            // The shape walk found nothing, so report serde's own error at its path.
            let first = first.or_else(|| serde_json::from_value::<T>(value.clone()).err());
            errors.push(serde_error_for(value.clone(), loc, first.as_ref()));
            None
        }
    }
}

/// `v` when its constraints hold; otherwise `None`, the errors added to `errors`.
fn checked<T: Validate>(v: T, loc: &Loc, errors: &mut ValidationErrors) -> Option<T> {
    let before = errors.0.len();
    v.validate(&At::Root(loc), errors);
    (errors.0.len() == before).then_some(v)
}

fn validated<T: Validate>(v: T, loc: &Loc) -> Result<T, Rejection> {
    let mut errors = ValidationErrors::new();
    v.validate(&At::Root(loc), &mut errors);
    match errors.into_result() {
        Ok(()) => Ok(v),
        Err(e) => Err(e.into()),
    }
}

/// serde's error for a value as a 422 entry: `missing` for a missing field, else a
/// `value_error` with serde's message (without its position: the location says where).
fn serde_error_for(value: Value, loc: &Loc, err: Option<&serde_json::Error>) -> ValidationError {
    let msg = match err {
        Some(e) => {
            let msg = e.to_string();
            let position = format!(" at line {} column {}", e.line(), e.column());
            match msg.strip_suffix(&position) {
                Some(m) if e.line() != 0 => m.to_string(),
                _ => msg,
            }
        }
        None => String::new(),
    };
    if let Some(field) = msg
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next())
    {
        return ValidationError::new(
            "missing",
            loc.join(field.to_string()),
            "Field required",
            value,
        );
    }
    ValidationError::new(
        "value_error",
        loc.clone(),
        format!("Value error, {msg}"),
        value,
    )
    .with_ctx(serde_json::json!({ "error": {} }))
}

impl<T> FromRequest<AppState> for Json<T>
where
    T: DeserializeOwned + Validate + Send,
{
    type Rejection = Rejection;

    // Not an `async fn`: the future holds the body being read, not the request (see
    // `read_body`).
    fn from_request(
        req: Request,
        state: &AppState,
    ) -> impl std::future::Future<Output = Result<Self, Rejection>> + Send {
        json_body(req, state).map(|read| parse_json::<T>(&read?, body_loc()).map(Json))
    }
}

/// The bytes of a JSON body, shared by every `Json<T>`: 422 `missing` when there are none,
/// 422 `model_attributes_type` when the content type is not JSON (FastAPI hands such a
/// body to the model as a string), 413 past the body limit.
fn json_body(
    req: Request,
    state: &AppState,
) -> impl std::future::Future<Output = Result<Bytes, Rejection>> + Send {
    // Taken before the future, which then holds the body being read and not the request
    // (see `read_body`).
    let is_json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(is_json_content_type);
    read_body(req, state.body_limit()).map(move |read| json_bytes(read?, is_json))
}

/// What [`json_body`] answers once the body is read.
#[allow(clippy::result_large_err)]
fn json_bytes(bytes: Bytes, is_json: Option<bool>) -> Result<Bytes, Rejection> {
    let loc = body_loc();
    if bytes.is_empty() {
        return Err(ValidationErrors::from(ValidationError::missing(loc.clone())).into());
    }
    if is_json != Some(true) {
        let input = String::from_utf8_lossy(&bytes).into_owned();
        let errors = ValidationErrors::from(ValidationError::new(
            "model_attributes_type",
            loc.clone(),
            "Input should be a valid dictionary or object to extract fields from",
            Value::String(input.clone()),
        ));
        let errors = if input.len() <= KEPT_BODY_LIMIT {
            errors.with_body(Value::String(input))
        } else {
            errors
        };
        return Err(errors.into());
    }
    Ok(bytes)
}

/// `["body"]`, built once: a valid body then costs no location at all.
fn body_loc() -> &'static Loc {
    static BODY: std::sync::LazyLock<Loc> = std::sync::LazyLock::new(Loc::body);
    &BODY
}

impl<T: crate::ToSchema> ApiInput for Json<T> {
    fn document(ctx: &mut DocCtx, op: &mut Operation) {
        let schema = ctx.schema_of::<T>();
        op.request_body = Some(RequestBody::new(
            MediaType::new("application/json", schema),
            true,
        ));
        op.validates = true;
    }
}

/// A raw byte body: any content type, up to the body limit (axum's `Bytes` extractor),
/// documented as `application/octet-stream`.
impl ApiInput for Bytes {
    fn document(_ctx: &mut DocCtx, op: &mut Operation) {
        let schema =
            serde_json::json!({"type": "string", "contentMediaType": "application/octet-stream"});
        op.request_body = Some(RequestBody::new(
            MediaType::new("application/octet-stream", Schema::new(schema)),
            true,
        ));
    }
}

/// A text body: any content type, UTF-8 (else 400), up to the body limit; documented as
/// `text/plain`. `Text<T>` is also a response type.
impl FromRequest<AppState> for crate::response::Text<String> {
    type Rejection = Rejection;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Rejection> {
        let bytes = read_body(req, state.body_limit()).await?;
        match String::from_utf8(bytes.to_vec()) {
            Ok(s) => Ok(crate::response::Text(s)),
            Err(_) => Err(HttpError::bad_request("There was an error parsing the body").into()),
        }
    }
}

impl ApiInput for crate::response::Text<String> {
    fn document(_ctx: &mut DocCtx, op: &mut Operation) {
        op.request_body = Some(RequestBody::new(
            MediaType::new("text/plain", Schema::string()),
            true,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An endpoint's future is boxed once per request; the body reader's part of it must not
    /// hold the request (see `read_body`), or the box outgrows glibc's thread cache.
    #[test]
    fn the_json_body_future_holds_the_body_not_the_request() {
        let state = AppState::default();
        let req = || {
            Request::builder()
                .header("content-type", "application/json")
                .body(axum::body::Body::from("{}"))
                .unwrap()
        };
        let request = std::mem::size_of::<Request>();
        let fut = <Json<Value> as FromRequest<AppState>>::from_request(req(), &state);
        assert!(
            std::mem::size_of_val(&fut) < request,
            "Json's future is {} bytes, a request {request}",
            std::mem::size_of_val(&fut)
        );
        let fut = read_body(req(), 1024);
        assert!(std::mem::size_of_val(&fut) < request);
    }

    #[test]
    fn json_content_types() {
        assert!(is_json_content_type("application/json"));
        assert!(is_json_content_type("Application/JSON"));
        assert!(is_json_content_type(" application/json "));
        assert!(!is_json_content_type("application/json5"));
        assert!(!is_json_content_type("application/"));
        assert!(is_json_content_type("application/json; charset=utf-8"));
        assert!(is_json_content_type("application/problem+json"));
        assert!(!is_json_content_type("text/json"));
        assert!(!is_json_content_type("application/jsonx"));
        assert!(!is_json_content_type("text/plain"));
    }

    #[test]
    fn malformed_json_reports_offset_like_python() {
        let err = parse_json::<Value>(b"{\"a\": }", &Loc::body()).unwrap_err();
        let Rejection::Validation(v) = err else {
            panic!()
        };
        let e = serde_json::to_value(&v.0[0]).unwrap();
        assert_eq!(e["type"], "json_invalid");
        assert_eq!(e["loc"], serde_json::json!(["body", 6]));
        assert_eq!(e["ctx"]["error"], "Expecting value");
    }
}
