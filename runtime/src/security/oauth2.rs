//! OAuth2 password flow: the bearer-token extractor and the token endpoint's form.

use std::marker::PhantomData;

use axum::extract::{FromRequest, Request};
use http::request::Parts;
use serde_json::Value;

use super::authorization;
use crate::describe::ApiInput;
use crate::error::Rejection;
use crate::extract::form::read_form_pairs;
use crate::extract::{fields, AppState};
use crate::spec::{DocCtx, MediaType, Operation, RequestBody, Schema, SecurityScheme};

/// The settings of an OAuth2 password-flow scheme, on a type of yours:
///
/// ```
/// use ferrapi::security::OAuth2Config;
///
/// struct Oauth;
/// impl OAuth2Config for Oauth {
///     const TOKEN_URL: &'static str = "token";
///     const SCOPES: &'static [(&'static str, &'static str)] =
///         &[("items:read", "Read items"), ("items:write", "Create items")];
/// }
/// ```
pub trait OAuth2Config: Send + Sync + 'static {
    /// The `securitySchemes` key (FastAPI: the class name).
    const SCHEME_NAME: &'static str = "OAuth2PasswordBearer";
    /// The token endpoint, kept relative as written (`"token"`), as FastAPI does.
    const TOKEN_URL: &'static str;
    /// Scopes and their descriptions, shown in the Authorize dialog.
    const SCOPES: &'static [(&'static str, &'static str)] = &[];
    /// A description of the scheme.
    const DESCRIPTION: Option<&'static str> = None;
}

/// The bearer token of an OAuth2 password flow (`Authorization: Bearer <token>`).
///
/// Missing header, another scheme or an empty token: 401 `Not authenticated` with
/// `WWW-Authenticate: Bearer`. `Option<OAuth2PasswordBearer<C>>` gives `None` instead.
pub struct OAuth2PasswordBearer<C>(pub String, pub PhantomData<C>);

/// What every OAuth2 bearer type shares: `token()`, a `Debug` that hides the token, the
/// extractor (`Authorization: Bearer <token>`; otherwise FastAPI's 401 with
/// `WWW-Authenticate: Bearer`, or `None` for an `Option<_>`), and the document entry:
/// `$scheme::<C>()` under `C::SCHEME_NAME`, with the route's scopes.
macro_rules! oauth2_bearer {
    ($ty:ident, $config:ident, $scheme:ident) => {
        impl<C> std::fmt::Debug for $ty<C> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($ty), "(..)"))
            }
        }

        impl<C> $ty<C> {
            /// The token.
            pub fn token(&self) -> &str {
                &self.0
            }
        }

        impl<C: $config> axum::extract::FromRequestParts<crate::extract::AppState> for $ty<C> {
            type Rejection = crate::error::Rejection;
            async fn from_request_parts(
                parts: &mut http::request::Parts,
                _state: &crate::extract::AppState,
            ) -> Result<Self, crate::error::Rejection> {
                match crate::security::oauth2::bearer_token(parts) {
                    Some(t) => Ok($ty(t, std::marker::PhantomData)),
                    None => Err(crate::security::not_authenticated("Bearer").into()),
                }
            }
        }

        impl<C: $config> axum::extract::OptionalFromRequestParts<crate::extract::AppState>
            for $ty<C>
        {
            type Rejection = crate::error::Rejection;
            async fn from_request_parts(
                parts: &mut http::request::Parts,
                _state: &crate::extract::AppState,
            ) -> Result<Option<Self>, crate::error::Rejection> {
                Ok(crate::security::oauth2::bearer_token(parts)
                    .map(|t| $ty(t, std::marker::PhantomData)))
            }
        }

        impl<C: $config> crate::describe::ApiInput for $ty<C> {
            fn document(ctx: &mut crate::spec::DocCtx, op: &mut crate::spec::Operation) {
                ctx.add_security_scheme(C::SCHEME_NAME, $scheme::<C>());
                let scopes = op.scopes.clone();
                let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
                op.add_security(C::SCHEME_NAME, &scopes);
                crate::security::document_refusal(ctx, op);
            }
        }
    };
}
pub(crate) use oauth2_bearer;

/// The token of `Authorization: Bearer <token>`, if the request has a non-empty one.
pub(crate) fn bearer_token(parts: &Parts) -> Option<String> {
    let (scheme, token) = authorization(parts)?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_string())
}

fn password_scheme<C: OAuth2Config>() -> SecurityScheme {
    SecurityScheme::OAuth2Password {
        token_url: C::TOKEN_URL.into(),
        scopes: C::SCOPES
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        description: C::DESCRIPTION.map(Into::into),
    }
}

oauth2_bearer!(OAuth2PasswordBearer, OAuth2Config, password_scheme);

/// The token endpoint's form, as FastAPI's `OAuth2PasswordRequestForm`: `username`,
/// `password`, `scope` (space-separated; see [`scopes`](Self::scopes)), `grant_type`
/// (`password` when given), `client_id`, `client_secret`.
///
/// Take it as an argument, as FastAPI's `form: Annotated[OAuth2PasswordRequestForm,
/// Depends()]`: its fields are separate form fields (urlencoded or multipart), so a missing
/// one is reported with `input: null` and an empty one counts as absent, and the body is
/// documented as the component `Body_{operationId}`.
///
/// ```
/// use ferrapi::prelude::*;
/// use ferrapi::security::OAuth2PasswordRequestForm;
///
/// #[post("/token")]
/// async fn token(form: OAuth2PasswordRequestForm) -> Json<serde_json::Value> {
///     Json(serde_json::json!({"user": form.username, "scopes": form.scopes()}))
/// }
/// ```
#[crate::model]
#[derive(Debug, Clone)]
#[schema(
    description = "An OAuth2 password grant (RFC 6749, section 4.3): the user's name and password, and the scopes asked for, separated by spaces."
)]
pub struct OAuth2PasswordRequestForm {
    /// The grant type: `password` when sent.
    #[field(pattern = "^password$")]
    pub grant_type: Option<String>,
    /// The user name.
    pub username: String,
    /// The password.
    #[schema(format = Password)]
    pub password: String,
    /// Requested scopes, separated by spaces.
    #[field(default = "")]
    pub scope: String,
    /// The client id, if any.
    pub client_id: Option<String>,
    /// The client secret, if any.
    #[schema(format = Password)]
    pub client_secret: Option<String>,
}

impl OAuth2PasswordRequestForm {
    /// The requested scopes.
    pub fn scopes(&self) -> Vec<String> {
        self.scope.split_whitespace().map(String::from).collect()
    }
}

impl FromRequest<AppState> for OAuth2PasswordRequestForm {
    type Rejection = Rejection;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Rejection> {
        let pairs = read_form_pairs(req, state.body_limit()).await?;
        // Separate `Form()` fields in FastAPI: an empty value is absent.
        fields::from_values::<Self, _>(
            |name| {
                pairs
                    .iter()
                    .filter(|(k, v)| k == name && !v.is_empty())
                    .map(|(_, v)| v.as_str())
                    .collect()
            },
            "body",
        )
    }
}

impl ApiInput for OAuth2PasswordRequestForm {
    fn document(_ctx: &mut DocCtx, op: &mut Operation) {
        let mut schema = <Self as crate::ToSchema>::schema();
        // The doc comments above are for Rust readers; FastAPI documents no descriptions.
        if let Some(m) = schema.as_object_mut() {
            m.remove("description");
        }
        if let Some(Value::Object(props)) = schema.get_mut("properties") {
            for p in props.values_mut() {
                if let Some(p) = p.as_object_mut() {
                    p.remove("description");
                }
            }
        }
        op.request_body = Some(RequestBody {
            from_fields: true,
            ..RequestBody::new(
                MediaType::new("application/x-www-form-urlencoded", Schema::new(schema)),
                true,
            )
        });
        op.validates = true;
    }
}
