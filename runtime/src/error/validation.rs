//! Validation errors in FastAPI's (pydantic 2's) shape.
//!
//! A request that fails validation is answered `422 Unprocessable Entity` with
//! `{"detail": [ValidationError, ...]}`, one entry per failing input, collected from every
//! source (path, query, header, cookie, body) before the handler runs.
//!
//! ```
//! use ferrapi::error::{Loc, ValidationError};
//!
//! let err = ValidationError::missing(Loc::query("skip"));
//! assert_eq!(
//!     serde_json::to_string(&err).unwrap(),
//!     r#"{"type":"missing","loc":["query","skip"],"msg":"Field required","input":null}"#
//! );
//! ```

use std::borrow::Cow;
use std::fmt;

use axum::response::{IntoResponse, Response};
use http::StatusCode;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::Value;

/// One step of an error's location: a field name or a list index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocItem {
    /// A field or parameter name.
    Key(Cow<'static, str>),
    /// An index into a list.
    Index(usize),
}

impl Serialize for LocItem {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            LocItem::Key(k) => s.serialize_str(k),
            LocItem::Index(i) => s.serialize_u64(*i as u64),
        }
    }
}

impl From<&'static str> for LocItem {
    fn from(s: &'static str) -> Self {
        LocItem::Key(Cow::Borrowed(s))
    }
}

impl From<String> for LocItem {
    fn from(s: String) -> Self {
        LocItem::Key(Cow::Owned(s))
    }
}

impl From<usize> for LocItem {
    fn from(i: usize) -> Self {
        LocItem::Index(i)
    }
}

/// Where a failing input sits: `["query", "skip"]`, `["body", "pictures", 1, "url"]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Loc(pub Vec<LocItem>);

impl Loc {
    /// A location under a source (`"path"`, `"query"`, `"header"`, `"cookie"`, `"body"`).
    pub fn new(source: &'static str, name: impl Into<LocItem>) -> Self {
        Loc(vec![LocItem::from(source), name.into()])
    }
    /// `["query", name]`
    pub fn query(name: impl Into<LocItem>) -> Self {
        Self::new("query", name)
    }
    /// `["path", name]`
    pub fn path(name: impl Into<LocItem>) -> Self {
        Self::new("path", name)
    }
    /// `["header", name]`
    pub fn header(name: impl Into<LocItem>) -> Self {
        Self::new("header", name)
    }
    /// `["cookie", name]`
    pub fn cookie(name: impl Into<LocItem>) -> Self {
        Self::new("cookie", name)
    }
    /// `["body", name]`: a form field.
    pub fn form(name: impl Into<LocItem>) -> Self {
        Self::new("body", name)
    }
    /// `[source, name]` of a handler's scalar input (`["query", "limit"]`, `["body", "username"]`
    /// for a form field).
    pub fn param(spec: &crate::spec::ParamSpec) -> Self {
        Self::new(spec.source.loc_name(), spec.name)
    }
    /// `["body"]`
    pub fn body() -> Self {
        Loc(vec![LocItem::from("body")])
    }
    /// This location with one more step appended.
    pub fn join(&self, item: impl Into<LocItem>) -> Self {
        let mut v = Vec::with_capacity(self.0.len() + 1);
        v.extend_from_slice(&self.0);
        v.push(item.into());
        Loc(v)
    }
}

/// Where a value sits, written down only if it turns out wrong:
/// [`Validate::validate`](crate::Validate::validate) walks a valid body with these on the
/// stack and builds a [`Loc`] for an error alone, so a valid request allocates no location.
#[derive(Debug, Clone, Copy)]
pub enum At<'a> {
    /// A built location.
    Root(&'a Loc),
    /// A key (field or map key) under another location.
    Key(&'a At<'a>, &'a str),
    /// An index (list item) under another location.
    Index(&'a At<'a>, usize),
}

impl<'a> At<'a> {
    /// The key `key` under this location.
    pub fn key(&'a self, key: &'a str) -> At<'a> {
        At::Key(self, key)
    }
    /// The item `i` under this location.
    pub fn index(&'a self, i: usize) -> At<'a> {
        At::Index(self, i)
    }
    /// The location, built.
    pub fn loc(&self) -> Loc {
        let mut steps = Vec::new();
        let mut at = self;
        let root = loop {
            match at {
                At::Root(loc) => break loc,
                At::Key(up, k) => {
                    steps.push(LocItem::from(k.to_string()));
                    at = up;
                }
                At::Index(up, i) => {
                    steps.push(LocItem::from(*i));
                    at = up;
                }
            }
        };
        let mut v = Vec::with_capacity(root.0.len() + steps.len());
        v.extend_from_slice(&root.0);
        v.extend(steps.into_iter().rev());
        Loc(v)
    }
}

impl<'a> From<&'a Loc> for At<'a> {
    fn from(loc: &'a Loc) -> Self {
        At::Root(loc)
    }
}

/// A location, built now ([`Loc`]) or on demand ([`At`]): what the checks generated for
/// model fields take, so one check serves both walks.
pub trait ToLoc {
    /// The location, built.
    fn to_loc(&self) -> Loc;
}

impl ToLoc for Loc {
    fn to_loc(&self) -> Loc {
        self.clone()
    }
}

impl ToLoc for At<'_> {
    fn to_loc(&self) -> Loc {
        self.loc()
    }
}

impl Serialize for Loc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for i in &self.0 {
            seq.serialize_element(i)?;
        }
        seq.end()
    }
}

/// One failing input, serialized with FastAPI's keys in FastAPI's order:
/// `type`, `loc`, `msg`, `input`, then `ctx` when there is one.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationError {
    /// pydantic's error type, e.g. `missing`, `int_parsing`, `greater_than_equal`.
    pub kind: Cow<'static, str>,
    /// Where the input sits.
    pub loc: Loc,
    /// A human-readable message.
    pub msg: Cow<'static, str>,
    /// The offending input as received (`null` when it is missing).
    pub input: Value,
    /// Values the message was built from, e.g. `{"ge": 1}`.
    pub ctx: Option<Value>,
}

impl Serialize for ValidationError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let n = if self.ctx.is_some() { 5 } else { 4 };
        let mut m = s.serialize_map(Some(n))?;
        m.serialize_entry("type", &self.kind)?;
        m.serialize_entry("loc", &self.loc)?;
        m.serialize_entry("msg", &self.msg)?;
        m.serialize_entry("input", &self.input)?;
        if let Some(ctx) = &self.ctx {
            m.serialize_entry("ctx", ctx)?;
        }
        m.end()
    }
}

impl ValidationError {
    /// A new error.
    pub fn new(
        kind: impl Into<Cow<'static, str>>,
        loc: Loc,
        msg: impl Into<Cow<'static, str>>,
        input: Value,
    ) -> Self {
        ValidationError {
            kind: kind.into(),
            loc,
            msg: msg.into(),
            input: bounded_input(input),
            ctx: None,
        }
    }

    /// The same error with a `ctx` object.
    pub fn with_ctx(mut self, ctx: Value) -> Self {
        self.ctx = Some(ctx);
        self
    }

    /// `missing` / "Field required", input `null`.
    pub fn missing(loc: Loc) -> Self {
        Self::new("missing", loc, "Field required", Value::Null)
    }

    /// An error from a [`Problem`] found at `loc` for `input`.
    pub fn from_problem(p: Problem, loc: Loc, input: Value) -> Self {
        ValidationError {
            kind: p.kind,
            loc,
            msg: p.msg,
            input: bounded_input(input),
            ctx: p.ctx,
        }
    }
}

/// What is wrong with a value, before it is known where the value sits.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// pydantic's error type.
    pub kind: Cow<'static, str>,
    /// The message.
    pub msg: Cow<'static, str>,
    /// The `ctx` object, if any.
    pub ctx: Option<Value>,
}

impl Problem {
    /// A problem without context.
    pub fn new(kind: impl Into<Cow<'static, str>>, msg: impl Into<Cow<'static, str>>) -> Self {
        Problem {
            kind: kind.into(),
            msg: msg.into(),
            ctx: None,
        }
    }
    /// A problem with a `ctx` object.
    pub fn with_ctx(mut self, ctx: Value) -> Self {
        self.ctx = Some(ctx);
        self
    }
    /// `int_parsing`
    pub fn int_parsing() -> Self {
        Self::new(
            "int_parsing",
            "Input should be a valid integer, unable to parse string as an integer",
        )
    }
    /// `int_parsing_size` (an integer too large for its type)
    pub fn int_parsing_size() -> Self {
        Self::new(
            "int_parsing_size",
            "Unable to parse input string as an integer, exceeded maximum size",
        )
    }
    /// `float_parsing`
    pub fn float_parsing() -> Self {
        Self::new(
            "float_parsing",
            "Input should be a valid number, unable to parse string as a number",
        )
    }
    /// `bool_parsing`
    pub fn bool_parsing() -> Self {
        Self::new(
            "bool_parsing",
            "Input should be a valid boolean, unable to interpret input",
        )
    }
    /// `enum`, listing the accepted values as pydantic does (`'a', 'b' or 'c'`).
    pub fn enumeration(expected: &[&str], quote: bool) -> Self {
        let items: Vec<String> = expected
            .iter()
            .map(|e| {
                if quote {
                    format!("'{e}'")
                } else {
                    e.to_string()
                }
            })
            .collect();
        let expected = join_or(&items);
        Self::new("enum", format!("Input should be {expected}"))
            .with_ctx(serde_json::json!({ "expected": expected }))
    }
}

/// `a`, `a or b`, `a, b or c`: pydantic's way to list alternatives.
pub fn join_or(items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{} or {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

/// The most errors one answer lists. A hostile body can fail everywhere at once (a list of
/// 650,000 invalid items); past this many, further errors are dropped and the walk stops,
/// so a 422 stays small. FastAPI lists every error; see `docs/fastapi-differences.md`.
pub const MAX_ERRORS: usize = 100;

/// The longest string an error echoes as its `input`, in characters; longer ones are cut.
pub const MAX_INPUT_CHARS: usize = 256;

/// The most entries of a list or object an error echoes as its `input`, and how deep.
pub const MAX_INPUT_ENTRIES: usize = 16;
const MAX_INPUT_DEPTH: usize = 4;

/// `input` as an error echoes it: strings cut at [`MAX_INPUT_CHARS`] characters, lists
/// and objects at [`MAX_INPUT_ENTRIES`] entries and four levels, so an error never costs
/// more than a few kilobytes whatever the client sent.
pub fn bounded_input(input: Value) -> Value {
    fn cut(v: Value, depth: usize) -> Value {
        match v {
            Value::String(s) if s.chars().count() > MAX_INPUT_CHARS => {
                let mut t: String = s.chars().take(MAX_INPUT_CHARS).collect();
                t.push('…');
                Value::String(t)
            }
            Value::Array(a) if depth >= MAX_INPUT_DEPTH => {
                Value::String(format!("[… {} items]", a.len()))
            }
            Value::Object(m) if depth >= MAX_INPUT_DEPTH => {
                Value::String(format!("{{… {} keys}}", m.len()))
            }
            Value::Array(a) => Value::Array(
                a.into_iter()
                    .take(MAX_INPUT_ENTRIES)
                    .map(|x| cut(x, depth + 1))
                    .collect(),
            ),
            Value::Object(m) => Value::Object(
                m.into_iter()
                    .take(MAX_INPUT_ENTRIES)
                    .map(|(k, x)| (k, cut(x, depth + 1)))
                    .collect(),
            ),
            other => other,
        }
    }
    cut(input, 0)
}

/// Every failing input of one request, at most [`MAX_ERRORS`] of them, and the JSON body
/// they were found in, when there was one (FastAPI's `RequestValidationError.body`, for the
/// app's [`on_validation_error`](crate::App::on_validation_error) handler).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValidationErrors(pub Vec<ValidationError>, Option<std::sync::Arc<Value>>);

impl ValidationErrors {
    /// No errors yet.
    pub fn new() -> Self {
        Self(Vec::new(), None)
    }
    /// The request body the errors were found in: the JSON value, or the text of a body
    /// that was not valid JSON; `None` when no body was read.
    pub fn body(&self) -> Option<&Value> {
        self.1.as_deref()
    }
    /// Records the request body the errors were found in.
    pub fn with_body(mut self, body: Value) -> Self {
        self.1 = Some(std::sync::Arc::new(body));
        self
    }
    /// Adds every error of `other` (up to [`MAX_ERRORS`] in all), and its body.
    pub fn absorb(&mut self, other: ValidationErrors) {
        if other.1.is_some() {
            self.1 = other.1;
        }
        self.extend(other.0);
    }
    /// Adds one error, unless [`MAX_ERRORS`] are listed already.
    pub fn push(&mut self, e: ValidationError) {
        if !self.is_full() {
            self.0.push(e);
        }
    }
    /// Adds every error of `other`, up to [`MAX_ERRORS`] in all.
    pub fn extend(&mut self, other: impl IntoIterator<Item = ValidationError>) {
        for e in other {
            if self.is_full() {
                break;
            }
            self.0.push(e);
        }
    }
    /// True once [`MAX_ERRORS`] are listed: walks over the input can stop.
    pub fn is_full(&self) -> bool {
        self.0.len() >= MAX_ERRORS
    }
    /// True when nothing failed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// `Ok(())` when nothing failed, else `Err(self)`.
    pub fn into_result(self) -> Result<(), Self> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl From<ValidationError> for ValidationErrors {
    fn from(e: ValidationError) -> Self {
        ValidationErrors(vec![e], None)
    }
}

impl IntoIterator for ValidationErrors {
    type Item = ValidationError;
    type IntoIter = std::vec::IntoIter<ValidationError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} validation error(s)", self.0.len())?;
        for e in &self.0 {
            write!(
                f,
                "; {}: {}",
                serde_json::to_string(&e.loc).unwrap_or_default(),
                e.msg
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

impl Serialize for ValidationErrors {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry("detail", &self.0)?;
        m.end()
    }
}

impl IntoResponse for ValidationErrors {
    fn into_response(self) -> Response {
        let mut res = crate::reply::json_response(StatusCode::UNPROCESSABLE_ENTITY, &self);
        // What it was made from, for the app's error handlers.
        res.extensions_mut()
            .insert(super::ErrorSource::Validation(std::sync::Arc::new(self)));
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_lists_like_pydantic() {
        assert_eq!(
            Problem::enumeration(&["S", "M", "L"], true).msg,
            "Input should be 'S', 'M' or 'L'"
        );
        assert_eq!(
            Problem::enumeration(&["1", "2", "3"], false).msg,
            "Input should be 1, 2 or 3"
        );
    }

    #[test]
    fn a_lazy_location_builds_the_same_loc_as_joining() {
        let body = Loc::body();
        let root = At::Root(&body);
        let items = root.key("items");
        let second = items.index(1);
        let name = second.key("name");
        assert_eq!(
            name.loc(),
            body.join("items").join(1).join("name".to_string())
        );
        let json = serde_json::to_value(name.loc()).unwrap();
        assert_eq!(json, serde_json::json!(["body", "items", 1, "name"]));
        assert_eq!(root.loc(), body);
    }
}
