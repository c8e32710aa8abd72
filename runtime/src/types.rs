//! Validated string types for models and parameters: [`Email`] and [`Url`], as pydantic's
//! `EmailStr` and `HttpUrl`/`AnyUrl`. Each is documented with its JSON Schema `format` and
//! checked when the request is read.
//!
//! ```
//! use ferrapi::prelude::*;
//! use ferrapi::types::{Email, Url};
//!
//! #[model]
//! struct Signup {
//!     email: Email,
//!     homepage: Option<Url>,
//! }
//!
//! # fn main() { ferrapi_doc_block_on(async {
//! #[post("/signup")]
//! async fn signup(body: Json<Signup>) -> String {
//!     body.0.email.as_str().to_string()
//! }
//! let c = ferrapi::testing::TestClient::new(App::new().routes(routes![signup]));
//! let ok = c.post("/signup").json(&serde_json::json!({"email": "ada@example.com"})).send().await;
//! assert_eq!(ok.status(), 200);
//! let bad = c.post("/signup").json(&serde_json::json!({"email": "ada", "homepage": "not a url"})).send().await;
//! let d = bad.json_value()["detail"].clone();
//! assert_eq!(d[0]["loc"], serde_json::json!(["body", "email"]));
//! assert_eq!(d[0]["type"], "value_error");
//! assert_eq!(d[1]["type"], "url_parsing");
//! # }) }
//! # fn ferrapi_doc_block_on<F: std::future::Future>(f: F) -> F::Output {
//! #     tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
//! # }
//! ```

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::openapi::schema::{ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{KnownFormat, RefOr, Schema};

use crate::constraints::Constraints;
use crate::error::{Loc, Problem, ValidationError, ValidationErrors};
use crate::extract::param::ParamValue;
use crate::validate::Validate;

/// An e-mail address: one `@`, a non-empty local part, and a domain with a dot and no
/// spaces. Documented as `{"type": "string", "format": "email"}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Checks and wraps an address.
    pub fn parse(s: &str) -> Result<Self, Problem> {
        let fail = |why: &str| {
            Problem::new(
                "value_error",
                format!("value is not a valid email address: {why}"),
            )
            .with_ctx(json!({"reason": why}))
        };
        let s = s.trim();
        // RFC 5321/5322 syntax from the `email_address` crate; a domain needs a period
        // (two labels), display names and `[1.2.3.4]` literals are refused, as
        // python-email-validator (pydantic's `EmailStr`) refuses them.
        let options = email_address::Options::default()
            .with_required_tld()
            .without_display_text()
            .without_domain_literal();
        if let Err(e) = email_address::EmailAddress::parse_with_options(s, options) {
            use email_address::Error::*;
            return Err(fail(match e {
                MissingSeparator => {
                    "The email address is not valid. It must have exactly one @-sign."
                }
                LocalPartEmpty => "There must be something before the @-sign.",
                DomainEmpty => "There must be something after the @-sign.",
                LocalPartTooLong => {
                    "The email address is too long before the @-sign (at most 64 characters)."
                }
                DomainTooLong | SubDomainTooLong => "The domain name is too long.",
                DomainTooFew | SubDomainEmpty | DomainInvalidSeparator => {
                    "The part after the @-sign is not valid. It should have a period."
                }
                _ => "The email address contains invalid characters.",
            }));
        }
        Ok(Email(s.to_string()))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Email {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Email::parse(&s).map_err(|p| p.msg.into_owned())
    }
}

impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

/// An absolute URL (parsed by the `url` crate). Documented as
/// `{"type": "string", "format": "uri", "minLength": 1, "maxLength": 2083}`, as pydantic's
/// `HttpUrl`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Url(url::Url);

impl Url {
    /// Parses an absolute URL.
    pub fn parse(s: &str) -> Result<Self, Problem> {
        match url::Url::parse(s.trim()) {
            Ok(u) => Ok(Url(u)),
            Err(e) => {
                let why = match e {
                    url::ParseError::RelativeUrlWithoutBase => {
                        "relative URL without a base".to_string()
                    }
                    url::ParseError::EmptyHost => "empty host".to_string(),
                    other => other.to_string(),
                };
                Err(
                    Problem::new("url_parsing", format!("Input should be a valid URL, {why}"))
                        .with_ctx(json!({ "error": why })),
                )
            }
        }
    }

    /// The URL as text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The parsed URL.
    pub fn inner(&self) -> &url::Url {
        &self.0
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

impl TryFrom<String> for Url {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Url::parse(&s).map_err(|p| p.msg.into_owned())
    }
}

impl From<Url> for String {
    fn from(u: Url) -> String {
        u.0.into()
    }
}

macro_rules! string_type {
    ($t:ty, $name:literal, $schema:expr, $json:expr) => {
        impl utoipa::PartialSchema for $t {
            fn schema() -> RefOr<Schema> {
                $schema.into()
            }
        }

        impl utoipa::ToSchema for $t {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }
        }

        impl Validate for $t {
            fn validate_value(value: &Value, loc: &Loc, errors: &mut ValidationErrors) {
                match value {
                    Value::String(s) => {
                        if let Err(p) = <$t>::parse(s) {
                            errors.push(ValidationError::from_problem(
                                p,
                                loc.clone(),
                                value.clone(),
                            ));
                        }
                    }
                    _ => errors.push(ValidationError::new(
                        "string_type",
                        loc.clone(),
                        "Input should be a valid string",
                        value.clone(),
                    )),
                }
            }
        }

        impl ParamValue for $t {
            fn parse(raw: &str) -> Result<Self, Problem> {
                <$t>::parse(raw)
            }
            fn check(&self, c: &Constraints) -> Option<Problem> {
                c.check_str(self.as_str())
            }
            fn to_json(&self) -> Value {
                Value::String(self.to_string())
            }
            fn schema() -> Value {
                $json
            }
        }
    };
}

string_type!(
    Email,
    "Email",
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Email))),
    json!({"type": "string", "format": "email"})
);

string_type!(
    Url,
    "Url",
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::Custom("uri".into())))
        .min_length(Some(1))
        .max_length(Some(2083)),
    json!({"type": "string", "format": "uri", "minLength": 1, "maxLength": 2083})
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(Email::parse("ada@example.com").is_ok());
        for bad in [
            "ada",
            "@example.com",
            "ada@",
            "a b@example.com",
            "ada@@example.com",
            "ada@localhost",
            "ada@example..com",
        ] {
            let p = Email::parse(bad).unwrap_err();
            assert_eq!(p.kind, "value_error", "{bad}");
            assert!(
                p.msg.starts_with("value is not a valid email address: "),
                "{bad}"
            );
        }
    }

    #[test]
    fn urls() {
        assert_eq!(
            Url::parse("https://example.com/a?b=1").unwrap().as_str(),
            "https://example.com/a?b=1"
        );
        let p = Url::parse("not a url").unwrap_err();
        assert_eq!(p.kind, "url_parsing");
        assert_eq!(
            p.msg,
            "Input should be a valid URL, relative URL without a base"
        );
    }
}

#[cfg(test)]
mod email_tests {
    use super::Email;

    fn reason(s: &str) -> String {
        Email::parse(s).unwrap_err().msg.into_owned()
    }

    #[test]
    fn addresses_as_email_validator_reads_them() {
        for ok in [
            "ada@example.com",
            "a.b+tag@sub.example.org",
            "  ada@example.com  ",
            "\"a b\"@example.com",
        ] {
            assert!(Email::parse(ok).is_ok(), "{ok}");
        }
        assert!(reason("ada").contains("exactly one @-sign"));
        assert!(reason("@example.com").contains("something before the @-sign"));
        assert!(reason("ada@").contains("something after the @-sign"));
        assert!(reason("ada@localhost").contains("should have a period"));
        assert!(reason("ada@exa..mple.com").contains("should have a period"));
        assert!(reason(&format!("{}@example.com", "a".repeat(65))).contains("too long"));
        assert!(reason("Ada <ada@example.com>").contains("invalid characters"));
        assert!(reason("ada@[127.0.0.1]").contains("invalid characters"));
        assert!(reason("a d@example.com").contains("invalid characters"));
    }
}
