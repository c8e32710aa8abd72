//! [`Url`]: pydantic's `HttpUrl`/`AnyUrl` (feature `url`), parsed by the `url` crate as
//! pydantic parses it.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::Problem;

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

super::string_type!(
    Url,
    json!({"type": "string", "format": "uri", "minLength": 1, "maxLength": 2083})
);

#[cfg(test)]
mod tests {
    use super::*;

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
