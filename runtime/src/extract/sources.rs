//! Where the generated handlers read scalars from: the query string, path parameters,
//! headers and cookies, each parsed once per request; and the request-scoped cache of
//! dependency values. Plumbing for the route macros, reached through `__private`.

use std::borrow::Cow;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use http::request::Parts;
use smallvec::SmallVec;

use crate::error::{HttpError, Rejection};

/// A dependency's value, cached in the request so it is built once however many inputs use it.
#[derive(Debug, Clone)]
pub struct DepCache<T>(pub T);

/// Up to a few values for one parameter, without allocating in the common case.
pub type Values<'a> = SmallVec<[&'a str; 2]>;

/// The query string, decoded once per request.
#[derive(Debug, Default)]
pub struct QueryPairs<'a>(SmallVec<[(Cow<'a, str>, Cow<'a, str>); 8]>);

impl<'a> QueryPairs<'a> {
    /// Decodes `a=1&b=x+y` (`+` is a space, `%XX` escapes are decoded, a key without `=`
    /// has the empty value).
    pub fn parse(query: Option<&'a str>) -> Self {
        match query {
            None => QueryPairs(SmallVec::new()),
            Some(q) => QueryPairs(form_urlencoded::parse(q.as_bytes()).collect()),
        }
    }

    /// Every value for `name`, in order.
    pub fn values(&self, name: &str) -> Values<'_> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_ref())
            .collect()
    }
}

/// The path parameters matched by the router, percent-decoded.
#[derive(Debug, Default)]
pub struct PathParams(Vec<(Arc<str>, String)>);

impl PathParams {
    /// Reads the matched parameters from the request.
    pub async fn from_parts(parts: &mut Parts) -> Result<Self, Rejection> {
        match axum::extract::RawPathParams::from_request_parts(parts, &()).await {
            Ok(raw) => Ok(PathParams(
                raw.iter()
                    .map(|(k, v)| (Arc::from(k), v.to_owned()))
                    .collect(),
            )),
            Err(e) => Err(HttpError::bad_request(e.body_text()).into()),
        }
    }

    /// The value for `name` (none, or exactly one).
    pub fn values(&self, name: &str) -> Values<'_> {
        self.0
            .iter()
            .filter(|(k, _)| &**k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// Every value of header `name`, in order. A value is read as UTF-8 (so `café` sent as
/// UTF-8 arrives as `café`); one that is not UTF-8 at all arrives as `"\u{FFFD}"`, never
/// as absent, so its constraints still judge it (an optional header sent with bytes that
/// are no text is a 422, not silently ignored).
pub fn header_values<'a>(parts: &'a Parts, name: &str) -> Values<'a> {
    parts
        .headers
        .get_all(name)
        .iter()
        .map(|v| std::str::from_utf8(v.as_bytes()).unwrap_or("\u{FFFD}"))
        .collect()
}

/// The cookies sent with the request, as `(name, value)` pairs.
#[derive(Debug, Default)]
pub struct Cookies<'a>(SmallVec<[(&'a str, &'a str); 4]>);

impl<'a> Cookies<'a> {
    /// Reads every `Cookie` header (split as `extract/cookie_header.rs` says: pairs without
    /// `=` or a name are skipped; a value in double quotes is taken without them). Values
    /// are read as UTF-8, as [`header_values`] reads a header: one whose bytes are no UTF-8
    /// arrives as `"\u{FFFD}"`.
    pub fn parse(parts: &'a Parts) -> Self {
        let mut out = SmallVec::new();
        for h in parts.headers.get_all(http::header::COOKIE) {
            out.extend(super::cookie_header::pairs(h.as_bytes()));
        }
        Cookies(out)
    }

    /// The value of cookie `name` (the first one when repeated).
    pub fn values(&self, name: &str) -> Values<'a> {
        self.0
            .iter()
            .filter(|(k, _)| *k == name)
            .map(|(_, v)| *v)
            .take(1)
            .collect()
    }
}
