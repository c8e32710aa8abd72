//! Security schemes.

use super::ParamIn;

/// How a client proves who it is; the security extractors describe themselves with one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityScheme {
    /// A key in a header, query parameter or cookie.
    ApiKey {
        /// The header, parameter or cookie name.
        name: String,
        /// Where the key is sent (not `Path`).
        location: ParamIn,
        /// What it is.
        description: Option<String>,
    },
    /// HTTP authentication (`Authorization: <scheme> ...`).
    Http {
        /// `bearer`, `basic`, ...
        scheme: String,
        /// A hint about the bearer token's format (`JWT`).
        bearer_format: Option<String>,
        /// What it is.
        description: Option<String>,
    },
    /// OAuth2's password flow: the client posts a username and password to `token_url`.
    OAuth2Password {
        /// Where tokens are obtained (relative URLs are resolved against the document).
        token_url: String,
        /// The scopes and what each grants.
        scopes: Vec<(String, String)>,
        /// What it is.
        description: Option<String>,
    },
    /// OAuth2's authorization-code flow: the user signs in at `authorization_url`, the
    /// client exchanges the code at `token_url`.
    OAuth2AuthorizationCode {
        /// Where the user signs in.
        authorization_url: String,
        /// Where codes are exchanged for tokens.
        token_url: String,
        /// Where tokens are refreshed.
        refresh_url: Option<String>,
        /// The scopes and what each grants.
        scopes: Vec<(String, String)>,
        /// What it is.
        description: Option<String>,
    },
}
