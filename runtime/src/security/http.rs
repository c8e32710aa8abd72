//! HTTP authentication schemes: Bearer and Basic.

use std::marker::PhantomData;

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use base64::Engine;
use http::request::Parts;

use super::{authorization, not_authenticated};
use crate::describe::ApiInput;
use crate::error::Rejection;
use crate::extract::AppState;
use crate::spec::{DocCtx, Operation, SecurityScheme};

/// Settings of an HTTP Bearer scheme. `()` is the default (FastAPI's `HTTPBearer()`).
pub trait BearerConfig: Send + Sync + 'static {
    /// The `securitySchemes` key.
    const SCHEME_NAME: &'static str = "HTTPBearer";
    /// `bearerFormat`, e.g. `"JWT"`.
    const BEARER_FORMAT: Option<&'static str> = None;
    /// A description of the scheme.
    const DESCRIPTION: Option<&'static str> = None;
}

impl BearerConfig for () {}

/// `Authorization: Bearer <token>` credentials, as FastAPI's `HTTPAuthorizationCredentials`:
/// the scheme as written (`bearer` stays lower-case) and the token.
pub struct HttpBearer<C = ()> {
    /// The scheme as sent.
    pub scheme: String,
    /// The token.
    pub credentials: String,
    _c: PhantomData<C>,
}

impl<C> std::fmt::Debug for HttpBearer<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpBearer")
            .field("scheme", &self.scheme)
            .finish_non_exhaustive()
    }
}

fn bearer<C>(parts: &Parts) -> Option<HttpBearer<C>> {
    let (scheme, token) = authorization(parts)?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| HttpBearer {
        scheme: scheme.to_string(),
        credentials: token.to_string(),
        _c: PhantomData,
    })
}

impl<C: BearerConfig> FromRequestParts<AppState> for HttpBearer<C> {
    type Rejection = Rejection;
    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, Rejection> {
        bearer(parts).ok_or_else(|| not_authenticated("Bearer").into())
    }
}

impl<C: BearerConfig> OptionalFromRequestParts<AppState> for HttpBearer<C> {
    type Rejection = Rejection;
    async fn from_request_parts(
        parts: &mut Parts,
        _state: &AppState,
    ) -> Result<Option<Self>, Rejection> {
        Ok(bearer(parts))
    }
}

impl<C: BearerConfig> ApiInput for HttpBearer<C> {
    fn document(ctx: &mut DocCtx, op: &mut Operation) {
        let s = SecurityScheme::Http {
            scheme: "bearer".into(),
            bearer_format: C::BEARER_FORMAT.map(Into::into),
            description: C::DESCRIPTION.map(Into::into),
        };
        ctx.add_security_scheme(C::SCHEME_NAME, s);
        op.add_security(C::SCHEME_NAME, &[]);
        crate::security::document_refusal(ctx, op);
    }
}

/// Settings of an HTTP Basic scheme. `()` is the default (FastAPI's `HTTPBasic()`).
pub trait BasicConfig: Send + Sync + 'static {
    /// The `securitySchemes` key.
    const SCHEME_NAME: &'static str = "HTTPBasic";
    /// The realm sent in `WWW-Authenticate: Basic realm="..."`.
    const REALM: Option<&'static str> = None;
    /// A description of the scheme.
    const DESCRIPTION: Option<&'static str> = None;
}

impl BasicConfig for () {}

/// `Authorization: Basic <base64(user:password)>` credentials.
///
/// Missing header, another scheme, invalid base64 or no `:`: 401 `Not authenticated` with
/// `WWW-Authenticate: Basic` (with the realm when configured). With `Option<HttpBasic<C>>`
/// a *missing* header gives `None`, but a malformed one is still a 401, as in FastAPI.
/// Compare the password with [`constant_time_eq`](super::constant_time_eq).
pub struct HttpBasic<C = ()>(pub HttpBasicCredentials, pub PhantomData<C>);

/// A user name and password from HTTP Basic.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpBasicCredentials {
    /// The user name.
    pub username: String,
    /// The password.
    pub password: String,
}

impl std::fmt::Debug for HttpBasicCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpBasicCredentials")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

impl<C> std::ops::Deref for HttpBasic<C> {
    type Target = HttpBasicCredentials;
    fn deref(&self) -> &HttpBasicCredentials {
        &self.0
    }
}

fn basic_challenge<C: BasicConfig>() -> String {
    match C::REALM {
        Some(r) => format!("Basic realm=\"{r}\""),
        None => "Basic".to_string(),
    }
}

/// `Ok(None)`: no Authorization header. `Err`: present but not usable Basic credentials.
fn basic<C: BasicConfig>(parts: &Parts) -> Result<Option<HttpBasicCredentials>, Rejection> {
    let Some((scheme, value)) = authorization(parts) else {
        return Ok(None);
    };
    let fail = || -> Rejection { not_authenticated(&basic_challenge::<C>()).into() };
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(fail());
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(value)
        .map_err(|_| fail())?;
    let text = String::from_utf8(decoded).map_err(|_| fail())?;
    let (user, pass) = text.split_once(':').ok_or_else(fail)?;
    Ok(Some(HttpBasicCredentials {
        username: user.to_string(),
        password: pass.to_string(),
    }))
}

impl<C: BasicConfig> FromRequestParts<AppState> for HttpBasic<C> {
    type Rejection = Rejection;
    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, Rejection> {
        match basic::<C>(parts)? {
            Some(c) => Ok(HttpBasic(c, PhantomData)),
            None => Err(not_authenticated(&basic_challenge::<C>()).into()),
        }
    }
}

impl<C: BasicConfig> OptionalFromRequestParts<AppState> for HttpBasic<C> {
    type Rejection = Rejection;
    async fn from_request_parts(
        parts: &mut Parts,
        _state: &AppState,
    ) -> Result<Option<Self>, Rejection> {
        Ok(basic::<C>(parts)?.map(|c| HttpBasic(c, PhantomData)))
    }
}

impl<C: BasicConfig> ApiInput for HttpBasic<C> {
    fn document(ctx: &mut DocCtx, op: &mut Operation) {
        let s = SecurityScheme::Http {
            scheme: "basic".into(),
            bearer_format: None,
            description: C::DESCRIPTION.map(Into::into),
        };
        ctx.add_security_scheme(C::SCHEME_NAME, s);
        op.add_security(C::SCHEME_NAME, &[]);
        crate::security::document_refusal(ctx, op);
    }
}
