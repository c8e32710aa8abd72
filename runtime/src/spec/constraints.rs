//! Constraints declared on parameters and model fields (`ge`, `max_length`, `pattern`,
//! ...), as the description holds them: the values the macros write once as constants,
//! and the JSON Schema keywords they give. Their run-time checks are in
//! [`crate::constraints`], with pydantic's messages.

use std::fmt;

use serde_json::Value;

/// A number as written in a constraint: kept as declared for the document (`1` or `0.5`)
/// and compared as `f64` (or exactly as `i128` when both sides are integers).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    /// An integer literal.
    Int(i128),
    /// A float literal.
    Float(f64),
}

impl Num {
    /// As a float.
    pub fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }
    /// As a JSON number, as declared.
    pub fn to_json(self) -> Value {
        match self {
            Num::Int(i) => match i64::try_from(i) {
                Ok(v) => Value::from(v),
                Err(_) => Value::from(i as f64),
            },
            Num::Float(f) => serde_json::Number::from_f64(f)
                .map(Value::Number)
                .unwrap_or(Value::Null),
        }
    }
    /// As a JSON number in the field's kind: floats for float fields (pydantic writes
    /// `{"gt": 0.0}` for a float field constrained with `gt=0`).
    pub fn to_json_as(self, float_field: bool) -> Value {
        if float_field {
            Num::Float(self.as_f64()).to_json()
        } else {
            self.to_json()
        }
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Num::Int(i) => write!(f, "{i}"),
            Num::Float(x) => {
                if x.fract() == 0.0 && x.is_finite() {
                    write!(f, "{x:.1}")
                } else {
                    write!(f, "{x}")
                }
            }
        }
    }
}

/// Constraints declared on one parameter or field. Each is written into the JSON Schema
/// and checked at run time.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Constraints {
    /// `ge`: value >= n (`minimum`).
    pub ge: Option<Num>,
    /// `gt`: value > n (`exclusiveMinimum`).
    pub gt: Option<Num>,
    /// `le`: value <= n (`maximum`).
    pub le: Option<Num>,
    /// `lt`: value < n (`exclusiveMaximum`).
    pub lt: Option<Num>,
    /// `multiple_of` (`multipleOf`).
    pub multiple_of: Option<Num>,
    /// `min_length` on strings (characters) or lists (items) (`minLength`/`minItems`).
    pub min_length: Option<usize>,
    /// `max_length` on strings or lists (`maxLength`/`maxItems`).
    pub max_length: Option<usize>,
    /// `pattern`: a regular expression the string must match somewhere (`pattern`).
    pub pattern: Option<&'static Pattern>,
    /// `max_digits` on decimals: digits in all (not documented, as in FastAPI).
    pub max_digits: Option<usize>,
    /// `decimal_places` on decimals: digits after the point (not documented).
    pub decimal_places: Option<usize>,
}

/// A compiled `pattern` constraint, created once per declaration. Without the `pattern`
/// feature only an anchored literal (`^password$`) is a pattern, matched by comparison (the
/// macros reject any other and name the feature).
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    #[cfg(feature = "pattern")]
    regex: std::sync::OnceLock<regex::Regex>,
}

impl Pattern {
    /// A pattern from its source; compiled on first use. The `#[get]` family of macros
    /// checks at compile time that the source is a valid regular expression (without the
    /// `pattern` feature: an anchored literal).
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            #[cfg(feature = "pattern")]
            regex: std::sync::OnceLock::new(),
        }
    }
    /// The pattern's source text.
    pub fn source(&self) -> &'static str {
        self.source
    }
    /// Whether `s` matches (anywhere, as JSON Schema and pydantic search).
    #[cfg(feature = "pattern")]
    pub fn is_match(&self, s: &str) -> bool {
        self.regex
            .get_or_init(|| {
                regex::Regex::new(self.source).expect("pattern checked at compile time")
            })
            .is_match(s)
    }
    /// Whether `s` is the anchored literal (`^password$` matches `password` only); without
    /// the `pattern` feature no other pattern gets past the macros.
    #[cfg(not(feature = "pattern"))]
    pub fn is_match(&self, s: &str) -> bool {
        self.anchored_literal() == Some(s)
    }

    /// The text an anchored literal pattern (`^password$`) matches exactly: what matching
    /// is without the `pattern` feature (the macros let no other pattern through then).
    #[cfg(any(test, not(feature = "pattern")))]
    fn anchored_literal(&self) -> Option<&'static str> {
        self.source.strip_prefix('^')?.strip_suffix('$')
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Constraints {
    /// No constraints.
    pub const NONE: Constraints = Constraints {
        ge: None,
        gt: None,
        le: None,
        lt: None,
        multiple_of: None,
        min_length: None,
        max_length: None,
        pattern: None,
        max_digits: None,
        decimal_places: None,
    };

    /// True when nothing is constrained.
    pub fn is_empty(&self) -> bool {
        self.ge.is_none()
            && self.gt.is_none()
            && self.le.is_none()
            && self.lt.is_none()
            && self.multiple_of.is_none()
            && self.min_length.is_none()
            && self.max_length.is_none()
            && self.pattern.is_none()
    }

    /// The constraints that apply to one element of a list (everything but lengths).
    pub fn for_items(&self) -> Constraints {
        Constraints {
            min_length: None,
            max_length: None,
            ..*self
        }
    }

    /// Writes the numeric and string keywords into a JSON Schema object
    /// (`minimum`, `exclusiveMinimum`, `maxLength`, `pattern`, ...).
    pub fn write_scalar_keywords(&self, schema: &mut serde_json::Map<String, Value>) {
        let nums = [
            ("minimum", self.ge),
            ("exclusiveMinimum", self.gt),
            ("maximum", self.le),
            ("exclusiveMaximum", self.lt),
            ("multipleOf", self.multiple_of),
        ];
        for (k, v) in nums {
            if let Some(n) = v {
                schema.insert(k.into(), n.to_json());
            }
        }
        let is_array = schema.get("type").and_then(Value::as_str) == Some("array");
        let (min_key, max_key) = if is_array {
            ("minItems", "maxItems")
        } else {
            ("minLength", "maxLength")
        };
        if let Some(n) = self.min_length {
            schema.insert(min_key.into(), n.into());
        }
        if let Some(n) = self.max_length {
            schema.insert(max_key.into(), n.into());
        }
        if let Some(p) = self.pattern {
            schema.insert("pattern".into(), p.source().into());
        }
    }
}

#[cfg(test)]
mod pattern_tests {
    use super::Pattern;

    /// The comparison that stands in for the regex without the `pattern` feature gives
    /// the regex's answers on the patterns the macros then accept.
    #[test]
    fn an_anchored_literal_matches_as_the_regex_does() {
        static P: Pattern = Pattern::new("^password$");
        assert_eq!(P.anchored_literal(), Some("password"));
        for input in [
            "password",
            "Password",
            "password ",
            " password",
            "passwordx",
            "",
            "password\n",
        ] {
            #[cfg(feature = "pattern")]
            assert_eq!(
                P.is_match(input),
                P.anchored_literal() == Some(input),
                "{input:?}"
            );
            assert_eq!(
                P.anchored_literal() == Some(input),
                input == "password",
                "{input:?}"
            );
        }
    }
}
