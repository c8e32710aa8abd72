//! API keys in a header, a query parameter or a cookie.

use std::marker::PhantomData;

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use http::request::Parts;

use super::not_authenticated;
use crate::describe::ApiInput;
use crate::error::Rejection;
use crate::extract::{header_values, AppState, Cookies, QueryPairs};
use crate::spec::{DocCtx, Operation, ParamIn, SecurityScheme};

/// Settings of an API key scheme, on a type of yours:
///
/// ```
/// use ferrapi::security::{ApiKeyConfig, ApiKeyHeader};
///
/// struct InternalKey;
/// impl ApiKeyConfig for InternalKey {
///     const NAME: &'static str = "X-API-Key";
/// }
/// type Internal = ApiKeyHeader<InternalKey>;
/// ```
pub trait ApiKeyConfig: Send + Sync + 'static {
    /// The header, query parameter or cookie name.
    const NAME: &'static str;
    /// The `securitySchemes` key; defaults to FastAPI's class name for the location.
    const SCHEME_NAME: Option<&'static str> = None;
    /// A description of the scheme.
    const DESCRIPTION: Option<&'static str> = None;
}

macro_rules! api_key {
    ($(#[$doc:meta])* $name:ident, $default_scheme:literal, $in:expr, |$parts:ident| $read:expr) => {
        $(#[$doc])*
        pub struct $name<C>(pub String, pub PhantomData<C>);

        impl<C> std::fmt::Debug for $name<C> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($name), "(..)"))
            }
        }

        impl<C> $name<C> {
            /// The key as sent.
            pub fn key(&self) -> &str {
                &self.0
            }
            fn read($parts: &Parts, name: &str) -> Option<String> {
                let _ = name;
                $read(name).filter(|v: &String| !v.is_empty())
            }
        }

        impl<C: ApiKeyConfig> FromRequestParts<AppState> for $name<C> {
            type Rejection = Rejection;
            async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, Rejection> {
                match Self::read(parts, C::NAME) {
                    Some(v) => Ok($name(v, PhantomData)),
                    None => Err(not_authenticated("APIKey").into()),
                }
            }
        }

        impl<C: ApiKeyConfig> OptionalFromRequestParts<AppState> for $name<C> {
            type Rejection = Rejection;
            async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Option<Self>, Rejection> {
                Ok(Self::read(parts, C::NAME).map(|v| $name(v, PhantomData)))
            }
        }

        impl<C: ApiKeyConfig> ApiInput for $name<C> {
            fn document(ctx: &mut DocCtx, op: &mut Operation) {
                let scheme_name = C::SCHEME_NAME.unwrap_or($default_scheme);
                let s = SecurityScheme::ApiKey {
                    name: C::NAME.into(),
                    location: $in,
                    description: C::DESCRIPTION.map(Into::into),
                };
                ctx.add_security_scheme(scheme_name, s);
                op.add_security(scheme_name, &[]);
                crate::security::document_refusal(ctx, op);
            }
        }
    };
}

api_key!(
    /// An API key in a request header (401 `WWW-Authenticate: APIKey` when absent).
    ApiKeyHeader, "APIKeyHeader", ParamIn::Header,
    |parts| |name: &str| header_values(parts, name).first().map(|v| v.to_string())
);
api_key!(
    /// An API key in a query parameter (401 `WWW-Authenticate: APIKey` when absent).
    ApiKeyQuery, "APIKeyQuery", ParamIn::Query,
    |parts| |name: &str| QueryPairs::parse(parts.uri.query()).values(name).last().map(|v| v.to_string())
);
api_key!(
    /// An API key in a cookie (401 `WWW-Authenticate: APIKey` when absent).
    ApiKeyCookie, "APIKeyCookie", ParamIn::Cookie,
    |parts| |name: &str| Cookies::parse(parts).values(name).first().map(|v| v.to_string())
);
