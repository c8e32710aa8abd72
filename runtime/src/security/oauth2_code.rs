//! OAuth2 authorization-code flow: the bearer-token extractor, as FastAPI's
//! `OAuth2AuthorizationCodeBearer`.

use std::marker::PhantomData;

use crate::spec::SecurityScheme;

/// The settings of an OAuth2 authorization-code scheme, on a type of yours:
///
/// ```
/// use ferrapi::security::OAuth2AuthorizationCodeConfig;
///
/// struct Provider;
/// impl OAuth2AuthorizationCodeConfig for Provider {
///     const AUTHORIZATION_URL: &'static str = "https://auth.example.com/authorize";
///     const TOKEN_URL: &'static str = "https://auth.example.com/token";
///     const SCOPES: &'static [(&'static str, &'static str)] = &[("read", "Read pets")];
/// }
/// ```
///
/// Swagger UI's **Authorize** dialog sends the user to `AUTHORIZATION_URL` and back to its
/// OAuth2 redirect page; [`App::swagger_ui_init_oauth`](crate::App::swagger_ui_init_oauth)
/// gives it the client id (and PKCE), and the provider must have the redirect page's
/// address registered (`<docs_url>/oauth2-redirect` unless
/// [`App::swagger_ui_oauth2_redirect_url`](crate::App::swagger_ui_oauth2_redirect_url)
/// says otherwise).
pub trait OAuth2AuthorizationCodeConfig: Send + Sync + 'static {
    /// The `securitySchemes` key (FastAPI: the class name).
    const SCHEME_NAME: &'static str = "OAuth2AuthorizationCodeBearer";
    /// Where the user signs in and grants access: the provider's absolute URL (Swagger UI
    /// resolves a relative one against the docs page, not the document).
    const AUTHORIZATION_URL: &'static str;
    /// Where the code is exchanged for a token.
    const TOKEN_URL: &'static str;
    /// Where a token is refreshed, when the provider says.
    const REFRESH_URL: Option<&'static str> = None;
    /// Scopes and their descriptions, shown in the Authorize dialog.
    const SCOPES: &'static [(&'static str, &'static str)] = &[];
    /// A description of the scheme.
    const DESCRIPTION: Option<&'static str> = None;
}

/// The bearer token of an OAuth2 authorization-code flow (`Authorization: Bearer <token>`).
///
/// Missing header, another scheme or an empty token: 401 `Not authenticated` with
/// `WWW-Authenticate: Bearer`. `Option<OAuth2AuthorizationCodeBearer<C>>` gives `None`
/// instead. Checking the token (with the provider, or as a JWT) is the app's part: take it
/// in an [`Authenticate`](super::Authenticate) implementation.
pub struct OAuth2AuthorizationCodeBearer<C>(pub String, pub PhantomData<C>);

fn authorization_code_scheme<C: OAuth2AuthorizationCodeConfig>() -> SecurityScheme {
    SecurityScheme::OAuth2AuthorizationCode {
        authorization_url: C::AUTHORIZATION_URL.into(),
        token_url: C::TOKEN_URL.into(),
        refresh_url: C::REFRESH_URL.map(Into::into),
        scopes: C::SCOPES
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        description: C::DESCRIPTION.map(Into::into),
    }
}

super::oauth2::oauth2_bearer!(
    OAuth2AuthorizationCodeBearer,
    OAuth2AuthorizationCodeConfig,
    authorization_code_scheme
);
