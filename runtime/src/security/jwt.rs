//! JSON Web Tokens on `jsonwebtoken`, with a fixed algorithm per key.
//!
//! A [`Jwt`] is built for one algorithm (HS256/384/512 from a secret, RS256 or ES256 from
//! PEM keys); tokens signed with any other algorithm, including `none`, are refused, so
//! there is no HS/RS confusion. `exp` is required; `nbf`, `aud` and `iss` are checked when
//! configured.
//!
//! ```
//! use ferrapi::security::jwt::{Claims, Jwt};
//!
//! let jwt = Jwt::hs256(b"at least 32 random bytes, from a secret store").issuer("shop").audience("shop-api");
//! let token = jwt.issue("alice", &["items:read"], std::time::Duration::from_secs(600)).unwrap();
//! let claims: Claims = jwt.verify(&token).unwrap();
//! assert_eq!(claims.sub, "alice");
//! assert_eq!(claims.scopes(), vec!["items:read"]);
//! assert!(jwt.verify::<Claims>("not-a-token").is_err());
//! ```

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::HttpError;

/// Why a token was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwtError {
    /// `exp` is in the past.
    Expired,
    /// `nbf` is in the future.
    NotYetValid,
    /// The signature does not match (tampered, or signed with another key).
    BadSignature,
    /// The token's algorithm is not the one this key uses (including `none`).
    WrongAlgorithm,
    /// `aud` is missing or not the expected audience.
    WrongAudience,
    /// `iss` is missing or not the expected issuer.
    WrongIssuer,
    /// A required claim is missing.
    MissingClaim(String),
    /// Not a well-formed JWT, or claims of the wrong shape.
    Malformed(String),
    /// The key could not be used.
    Key(String),
}

impl fmt::Display for JwtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JwtError::Expired => f.write_str("token expired"),
            JwtError::NotYetValid => f.write_str("token not valid yet"),
            JwtError::BadSignature => f.write_str("invalid token signature"),
            JwtError::WrongAlgorithm => f.write_str("token algorithm not accepted"),
            JwtError::WrongAudience => f.write_str("token for another audience"),
            JwtError::WrongIssuer => f.write_str("token from another issuer"),
            JwtError::MissingClaim(c) => write!(f, "token lacks the `{c}` claim"),
            JwtError::Malformed(m) => write!(f, "malformed token: {m}"),
            JwtError::Key(m) => write!(f, "key error: {m}"),
        }
    }
}

impl std::error::Error for JwtError {}

impl From<JwtError> for HttpError {
    /// 401 `Could not validate credentials` with `WWW-Authenticate: Bearer`, as FastAPI's
    /// security tutorial answers; the reason is logged, not sent.
    fn from(e: JwtError) -> Self {
        tracing::debug!(reason = %e, "token refused");
        HttpError::unauthorized("Could not validate credentials")
            .with_header("www-authenticate", "Bearer")
    }
}

fn map_err(e: jsonwebtoken::errors::Error) -> JwtError {
    match e.kind() {
        ErrorKind::ExpiredSignature => JwtError::Expired,
        ErrorKind::ImmatureSignature => JwtError::NotYetValid,
        ErrorKind::InvalidSignature => JwtError::BadSignature,
        ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => JwtError::WrongAlgorithm,
        ErrorKind::InvalidAudience => JwtError::WrongAudience,
        ErrorKind::InvalidIssuer => JwtError::WrongIssuer,
        ErrorKind::MissingRequiredClaim(c) => match c.as_str() {
            "aud" => JwtError::WrongAudience,
            "iss" => JwtError::WrongIssuer,
            _ => JwtError::MissingClaim(c.clone()),
        },
        ErrorKind::InvalidEcdsaKey | ErrorKind::InvalidRsaKey(_) | ErrorKind::InvalidKeyFormat => {
            JwtError::Key(e.to_string())
        }
        _ => JwtError::Malformed(e.to_string()),
    }
}

/// Standard claims for access tokens: subject, expiry, issue time, and the granted scopes
/// as a space-separated `scope` claim (RFC 8693).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The subject (user name or id).
    pub sub: String,
    /// Expiry, seconds since the epoch.
    pub exp: u64,
    /// Issue time, seconds since the epoch.
    #[serde(default)]
    pub iat: u64,
    /// Not before, seconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<u64>,
    /// Issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// Audience.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<String>,
    /// Granted scopes, separated by spaces.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub scope: String,
}

impl Claims {
    /// The granted scopes.
    pub fn scopes(&self) -> Vec<String> {
        self.scope.split_whitespace().map(String::from).collect()
    }
}

/// Signs and verifies tokens with one key and one algorithm.
#[derive(Clone)]
pub struct Jwt {
    alg: Algorithm,
    encoding: EncodingKey,
    decoding: DecodingKey,
    issuer: Option<String>,
    audience: Option<String>,
    leeway: u64,
}

impl fmt::Debug for Jwt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Jwt")
            .field("alg", &self.alg)
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .finish_non_exhaustive()
    }
}

/// The shortest HMAC secret [`Jwt`] accepts, in bytes (the size of the SHA-256 output, as
/// RFC 7518 section 3.2 asks for HS256).
pub const MIN_HMAC_SECRET: usize = 32;

/// A secret of 32 random bytes from the operating system, hex-encoded (64 characters): for
/// an app started without a configured secret. Tokens signed with it do not survive a
/// restart, which is the safe failure: no secret is ever in the source.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Jwt {
    fn with(alg: Algorithm, encoding: EncodingKey, decoding: DecodingKey) -> Self {
        Jwt {
            alg,
            encoding,
            decoding,
            issuer: None,
            audience: None,
            leeway: 0,
        }
    }
    /// HMAC-SHA256 with a shared secret of at least [`MIN_HMAC_SECRET`] (32) bytes.
    ///
    /// # Panics
    ///
    /// When the secret is shorter: a short HMAC key can be guessed offline from any token,
    /// so an app must not start with one. [`try_hs256`](Jwt::try_hs256) returns the error
    /// instead.
    pub fn hs256(secret: &[u8]) -> Self {
        Self::try_hs256(secret).unwrap_or_else(|e| panic!("{e}"))
    }
    /// HMAC-SHA256, refusing a secret shorter than [`MIN_HMAC_SECRET`] bytes.
    pub fn try_hs256(secret: &[u8]) -> Result<Self, JwtError> {
        Self::hmac(Algorithm::HS256, secret)
    }
    /// HMAC-SHA384 with a shared secret of at least [`MIN_HMAC_SECRET`] bytes (panics on a
    /// shorter one, as [`hs256`](Jwt::hs256)).
    pub fn hs384(secret: &[u8]) -> Self {
        Self::hmac(Algorithm::HS384, secret).unwrap_or_else(|e| panic!("{e}"))
    }
    /// HMAC-SHA512 with a shared secret of at least [`MIN_HMAC_SECRET`] bytes (panics on a
    /// shorter one, as [`hs256`](Jwt::hs256)).
    pub fn hs512(secret: &[u8]) -> Self {
        Self::hmac(Algorithm::HS512, secret).unwrap_or_else(|e| panic!("{e}"))
    }
    fn hmac(alg: Algorithm, secret: &[u8]) -> Result<Self, JwtError> {
        if secret.len() < MIN_HMAC_SECRET {
            return Err(JwtError::Key(format!(
                "an HMAC secret needs at least {MIN_HMAC_SECRET} bytes, this one has {}; generate one with `openssl rand -hex 32`",
                secret.len()
            )));
        }
        Ok(Self::with(
            alg,
            EncodingKey::from_secret(secret),
            DecodingKey::from_secret(secret),
        ))
    }
    /// RSA PKCS#1 v1.5 SHA-256 from PEM keys.
    pub fn rs256_pem(private_pem: &[u8], public_pem: &[u8]) -> Result<Self, JwtError> {
        Ok(Self::with(
            Algorithm::RS256,
            EncodingKey::from_rsa_pem(private_pem).map_err(map_err)?,
            DecodingKey::from_rsa_pem(public_pem).map_err(map_err)?,
        ))
    }
    /// ECDSA P-256 SHA-256 from PEM keys.
    pub fn es256_pem(private_pem: &[u8], public_pem: &[u8]) -> Result<Self, JwtError> {
        Ok(Self::with(
            Algorithm::ES256,
            EncodingKey::from_ec_pem(private_pem).map_err(map_err)?,
            DecodingKey::from_ec_pem(public_pem).map_err(map_err)?,
        ))
    }
    /// Requires (and, with [`issue`](Jwt::issue), writes) this `iss`.
    pub fn issuer(mut self, iss: impl Into<String>) -> Self {
        self.issuer = Some(iss.into());
        self
    }
    /// Requires (and, with [`issue`](Jwt::issue), writes) this `aud`.
    pub fn audience(mut self, aud: impl Into<String>) -> Self {
        self.audience = Some(aud.into());
        self
    }
    /// Seconds of clock skew accepted on `exp` and `nbf` (default 0).
    pub fn leeway(mut self, seconds: u64) -> Self {
        self.leeway = seconds;
        self
    }
    /// The algorithm.
    pub fn algorithm(&self) -> Algorithm {
        self.alg
    }

    /// Signs any claims.
    pub fn sign<C: Serialize>(&self, claims: &C) -> Result<String, JwtError> {
        jsonwebtoken::encode(&Header::new(self.alg), claims, &self.encoding).map_err(map_err)
    }

    /// Issues an access token for `subject` with `scopes`, valid for `ttl`.
    pub fn issue(&self, subject: &str, scopes: &[&str], ttl: Duration) -> Result<String, JwtError> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        self.sign(&Claims {
            sub: subject.to_string(),
            exp: now + ttl.as_secs(),
            iat: now,
            nbf: None,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            scope: scopes.join(" "),
        })
    }

    /// Verifies a token: signature with this key and algorithm only, `exp` (required),
    /// `nbf`, and `iss`/`aud` when configured.
    pub fn verify<C: DeserializeOwned>(&self, token: &str) -> Result<C, JwtError> {
        let mut v = Validation::new(self.alg);
        v.leeway = self.leeway;
        v.validate_nbf = true;
        v.set_required_spec_claims(&["exp"]);
        match &self.audience {
            Some(a) => {
                v.set_audience(&[a]);
                v.required_spec_claims.insert("aud".into());
            }
            None => v.validate_aud = false,
        }
        if let Some(i) = &self.issuer {
            v.set_issuer(&[i]);
            v.required_spec_claims.insert("iss".into());
        }
        jsonwebtoken::decode::<C>(token, &self.decoding, &v)
            .map(|d| d.claims)
            .map_err(map_err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_hmac_secrets_are_refused() {
        for short in [&b""[..], b"secret", b"0123456789abcdef0123456789abcde"] {
            match Jwt::try_hs256(short) {
                Err(JwtError::Key(msg)) => assert!(msg.contains("at least 32 bytes"), "{msg}"),
                other => panic!("a {}-byte secret was accepted: {other:?}", short.len()),
            }
        }
        assert!(Jwt::try_hs256(b"0123456789abcdef0123456789abcdef").is_ok());
        assert!(std::panic::catch_unwind(|| Jwt::hs512(b"short")).is_err());
    }

    #[test]
    fn random_secrets_are_long_and_new_each_time() {
        let (a, b) = (random_secret(), random_secret());
        assert_eq!(a.len(), 64);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert!(Jwt::try_hs256(a.as_bytes()).is_ok());
    }
}
