//! [`Email`]: pydantic's `EmailStr` (feature `email`).

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::Problem;

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

super::string_type!(Email, json!({"type": "string", "format": "email"}));

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
