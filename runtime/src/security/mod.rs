//! Security: extractors that both enforce a credential and document it.
//!
//! Every scheme here is an extractor that reads its credential from the request, answers
//! FastAPI's `401 {"detail": "Not authenticated"}` with the scheme's `WWW-Authenticate`
//! header when it is missing or malformed, and adds its `securitySchemes` entry and the
//! operation's `security` requirement to the document, so Swagger UI's **Authorize** dialog
//! works against the running app. There is no way to document a scheme without enforcing it.
//!
//! | extractor | reads | `WWW-Authenticate` |
//! |---|---|---|
//! | [`OAuth2PasswordBearer<C>`](oauth2::OAuth2PasswordBearer) | `Authorization: Bearer <token>` | `Bearer` |
//! | [`OAuth2AuthorizationCodeBearer<C>`](oauth2_code::OAuth2AuthorizationCodeBearer) | `Authorization: Bearer <token>` | `Bearer` |
//! | [`HttpBearer<C>`](http::HttpBearer) | `Authorization: Bearer <token>` | `Bearer` |
//! | [`HttpBasic<C>`](http::HttpBasic) | `Authorization: Basic <base64>` | `Basic` (`realm=`) |
//! | [`ApiKeyHeader<C>`](apikey::ApiKeyHeader), [`ApiKeyQuery<C>`](apikey::ApiKeyQuery), [`ApiKeyCookie<C>`](apikey::ApiKeyCookie) | a header, query parameter or cookie | `APIKey` |
//!
//! `Option<Scheme>` gives `None` instead of a 401 when the credential is absent.
//!
//! To turn a credential into a user, implement [`Authenticate`] and take [`Auth<User>`]:
//! it checks the credential, then the scopes the route requires (`scopes = [...]` on the
//! route or [`Router::scopes`](crate::Router::scopes)), answering 401 with
//! `WWW-Authenticate: Bearer scope="..."` when one is missing. [`jwt`] issues and verifies
//! tokens, [`password`] hashes passwords.
// The links to items of features this build leaves out resolve on docs.rs (all features).
#![cfg_attr(
    not(all(feature = "jwt", feature = "passwords")),
    allow(rustdoc::broken_intra_doc_links)
)]

pub mod apikey;
pub mod http;
#[cfg(feature = "jwt")]
pub mod jwt;
pub mod oauth2;
pub mod oauth2_code;
#[cfg(feature = "passwords")]
pub mod password;

use std::future::Future;

use ::http::request::Parts;
use ::http::StatusCode;
use axum::extract::FromRequestParts;

use crate::describe::ApiInput;
use crate::error::{HttpError, Rejection};
use crate::extract::AppState;
use crate::spec::{DocCtx, Operation};

pub use apikey::{ApiKeyConfig, ApiKeyCookie, ApiKeyHeader, ApiKeyQuery};
pub use http::{BasicConfig, BearerConfig, HttpBasic, HttpBasicCredentials, HttpBearer};
#[cfg(feature = "jwt")]
pub use jwt::{Claims, Jwt, JwtError};
pub use oauth2::{OAuth2Config, OAuth2PasswordBearer, OAuth2PasswordRequestForm};
pub use oauth2_code::{OAuth2AuthorizationCodeBearer, OAuth2AuthorizationCodeConfig};

/// FastAPI's answer to a missing or malformed credential: 401 `{"detail": "Not authenticated"}`
/// with the given `WWW-Authenticate` challenge.
pub fn not_authenticated(challenge: &str) -> HttpError {
    HttpError::new(StatusCode::UNAUTHORIZED, "Not authenticated")
        .with_header("www-authenticate", challenge)
}

/// Compares two byte strings in constant time (for passwords and API keys).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

/// The scopes the current route requires, set by the route's `scopes = [...]` option and by
/// [`Router::scopes`](crate::Router::scopes). Also an extractor, so a handler or dependency
/// can read them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecurityScopes {
    /// The required scopes, route-level after router-level, without duplicates.
    pub scopes: Vec<String>,
}

impl SecurityScopes {
    /// The scopes joined by spaces, as in `WWW-Authenticate: Bearer scope="..."`.
    pub fn scope_str(&self) -> String {
        self.scopes.join(" ")
    }

    /// The scopes required for this request.
    pub fn of(parts: &Parts) -> Self {
        let mut scopes: Vec<String> = Vec::new();
        if let Some(r) = parts.extensions.get::<RouterScopes>() {
            scopes.extend(r.0.iter().cloned());
        }
        SecurityScopes { scopes }
    }
}

/// Every scope a route requires (its routers' and its own, without duplicates), inserted
/// into the request before the guards run. Shared, so a request costs no allocation.
#[derive(Debug, Clone, Default)]
pub struct RouterScopes(pub std::sync::Arc<[String]>);

impl<S: Send + Sync> FromRequestParts<S> for SecurityScopes {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(SecurityScopes::of(parts))
    }
}

/// A principal (a user, a device, a service) established from a credential.
///
/// ```
/// use ferrapi::prelude::*;
/// use ferrapi::security::{Auth, Authenticate, OAuth2Config, OAuth2PasswordBearer};
///
/// struct Oauth;
/// impl OAuth2Config for Oauth {
///     const TOKEN_URL: &'static str = "token";
///     const SCOPES: &'static [(&'static str, &'static str)] = &[("items:read", "Read items")];
/// }
///
/// #[derive(Clone)]
/// struct User { name: String, scopes: Vec<String> }
///
/// impl Authenticate for User {
///     type Credentials = OAuth2PasswordBearer<Oauth>;
///     async fn authenticate(token: Self::Credentials, _state: &ferrapi::extract::AppState) -> Result<Self, HttpError> {
///         if token.0 == "let-me-in" {
///             Ok(User { name: "alice".into(), scopes: vec!["items:read".into()] })
///         } else {
///             Err(HttpError::unauthorized("Could not validate credentials").with_header("www-authenticate", "Bearer"))
///         }
///     }
///     fn granted_scopes(&self) -> &[String] { &self.scopes }
/// }
///
/// #[get("/items/", scopes = ["items:read"])]
/// async fn items(Auth(user): Auth<User>) -> String { user.name }
/// ```
pub trait Authenticate: Sized + Send + Sync + 'static {
    /// The credential extractor (one of this module's schemes, or an `Option` of one).
    type Credentials: FromRequestParts<AppState, Rejection = Rejection> + ApiInput + Send;

    /// Checks the credential. Return an [`HttpError`] (usually 401 or 403) to refuse.
    fn authenticate(
        credentials: Self::Credentials,
        state: &AppState,
    ) -> impl Future<Output = Result<Self, HttpError>> + Send;

    /// The scopes granted to this principal; routes that require scopes check them here.
    fn granted_scopes(&self) -> &[String] {
        &[]
    }

    /// The `WWW-Authenticate` scheme used when a required scope is missing.
    fn challenge_scheme() -> &'static str {
        "Bearer"
    }
}

/// An authenticated principal with the route's required scopes checked. See [`Authenticate`].
#[derive(Debug, Clone)]
pub struct Auth<T>(pub T);

impl<T> std::ops::Deref for Auth<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Authenticate> FromRequestParts<AppState> for Auth<T> {
    type Rejection = Rejection;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Rejection> {
        let credentials = T::Credentials::from_request_parts(parts, state).await?;
        let principal = T::authenticate(credentials, state).await?;
        let required = SecurityScopes::of(parts);
        let granted = principal.granted_scopes();
        if required.scopes.iter().any(|s| !granted.contains(s)) {
            let challenge = format!(
                "{} scope=\"{}\"",
                T::challenge_scheme(),
                required.scope_str()
            );
            return Err(
                HttpError::new(StatusCode::UNAUTHORIZED, "Not enough permissions")
                    .with_header("www-authenticate", &challenge)
                    .into(),
            );
        }
        Ok(Auth(principal))
    }
}

impl<T: Authenticate> ApiInput for Auth<T> {
    fn document(ctx: &mut DocCtx, op: &mut Operation) {
        T::Credentials::document(ctx, op)
    }
}

/// An optional input: described as `T`, except that it never refuses a request, so the
/// refusals `T` documents (a scheme's 401) are left out.
impl<T: ApiInput> ApiInput for Option<T> {
    fn document(ctx: &mut DocCtx, op: &mut Operation) {
        let before: Vec<String> = op.responses.iter().map(|(k, _)| k.to_string()).collect();
        T::document(ctx, op);
        op.responses
            .0
            .retain(|(status, _)| !status.starts_with('4') || before.contains(status));
    }
}

/// Documents the 401 a security scheme answers when its credential is missing or refused
/// (a required scope not granted included), with the `HTTPError` body.
pub(crate) fn document_refusal(ctx: &mut DocCtx, op: &mut Operation) {
    if op.responses.contains("401") {
        return;
    }
    let schema = <crate::HttpError as crate::ResponseModel>::response_schema(ctx);
    let description =
        "Not authenticated: the credential is missing or invalid, or lacks a required scope";
    match schema {
        Some(schema) => op.responses.set(
            "401",
            crate::spec::Response::with_body(
                description,
                crate::spec::MediaType::new("application/json", schema),
            ),
        ),
        None => op
            .responses
            .set("401", crate::spec::Response::new(description)),
    }
}

/// Reads the `Authorization` header as `(scheme, credentials)`; the scheme as written.
pub fn authorization(parts: &Parts) -> Option<(&str, &str)> {
    let v = parts
        .headers
        .get(::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let v = v.trim();
    match v.split_once(' ') {
        Some((scheme, rest)) => Some((scheme, rest.trim())),
        None => Some((v, "")),
    }
}
