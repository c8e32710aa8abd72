//! Constraints declared on parameters and model fields (`ge`, `max_length`, `pattern`,
//! ...): the values the macros write once as constants, and their run-time checks, whose
//! messages are pydantic's. The same values write the schema keywords.

use std::fmt;

use serde_json::Value;

use crate::error::Problem;

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

/// A value that can be compared against numeric constraints.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumValue {
    /// An integer value.
    Int(i128),
    /// A float value.
    Float(f64),
}

impl NumValue {
    fn cmp_num(self, n: Num) -> Option<std::cmp::Ordering> {
        match (self, n) {
            (NumValue::Int(a), Num::Int(b)) => Some(a.cmp(&b)),
            (NumValue::Int(a), Num::Float(b)) => (a as f64).partial_cmp(&b),
            (NumValue::Float(a), n) => a.partial_cmp(&n.as_f64()),
        }
    }
    fn is_multiple_of(self, n: Num) -> bool {
        match (self, n) {
            (NumValue::Int(a), Num::Int(b)) => b != 0 && a % b == 0,
            (v, n) => {
                let a = match v {
                    NumValue::Int(i) => i as f64,
                    NumValue::Float(f) => f,
                };
                let b = n.as_f64();
                if b == 0.0 {
                    return false;
                }
                let q = a / b;
                (q - q.round()).abs() < 1e-9
            }
        }
    }
}

/// Constraints declared on one parameter or field. Each is written into the JSON Schema
/// and checked at run time.
#[derive(Debug, Clone, Default)]
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
}

/// A compiled `pattern` constraint, created once per declaration.
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    regex: std::sync::OnceLock<regex::Regex>,
}

impl Pattern {
    /// A pattern from its source; compiled on first use. The `#[get]` family of macros
    /// checks at compile time that the source is a valid regular expression.
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            regex: std::sync::OnceLock::new(),
        }
    }
    /// The pattern's source text.
    pub fn source(&self) -> &'static str {
        self.source
    }
    /// Whether `s` matches (anywhere, as JSON Schema and pydantic search).
    pub fn is_match(&self, s: &str) -> bool {
        self.regex
            .get_or_init(|| {
                regex::Regex::new(self.source).expect("pattern checked at compile time")
            })
            .is_match(s)
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

    /// Checks a number, in pydantic's order (multiple_of, then bounds).
    pub fn check_number(&self, v: NumValue, float_field: bool) -> Option<Problem> {
        use std::cmp::Ordering::*;
        if let Some(n) = self.multiple_of {
            if !v.is_multiple_of(n) {
                return Some(
                    Problem::new("multiple_of", format!("Input should be a multiple of {n}"))
                        .with_ctx(serde_json::json!({ "multiple_of": n.to_json_as(float_field) })),
                );
            }
        }
        type Check<'a> = (
            Option<Num>,
            &'a str,
            &'a str,
            &'a str,
            fn(std::cmp::Ordering) -> bool,
        );
        let checks: [Check<'_>; 4] = [
            (self.gt, "greater_than", "greater than", "gt", |o| {
                o == Greater
            }),
            (
                self.ge,
                "greater_than_equal",
                "greater than or equal to",
                "ge",
                |o| o != Less,
            ),
            (self.lt, "less_than", "less than", "lt", |o| o == Less),
            (
                self.le,
                "less_than_equal",
                "less than or equal to",
                "le",
                |o| o != Greater,
            ),
        ];
        for (bound, kind, words, key, ok) in checks {
            if let Some(n) = bound {
                let good = v.cmp_num(n).map(ok).unwrap_or(false);
                if !good {
                    let mut ctx = serde_json::Map::new();
                    ctx.insert(key.to_string(), n.to_json_as(float_field));
                    return Some(
                        Problem::new(kind, format!("Input should be {words} {n}"))
                            .with_ctx(Value::Object(ctx)),
                    );
                }
            }
        }
        None
    }

    /// Checks a string's length (in characters) and pattern.
    pub fn check_str(&self, s: &str) -> Option<Problem> {
        if self.min_length.is_some() || self.max_length.is_some() {
            let len = s.chars().count();
            if let Some(min) = self.min_length {
                if len < min {
                    return Some(
                        Problem::new(
                            "string_too_short",
                            format!("String should have at least {min} character{}", plural(min)),
                        )
                        .with_ctx(serde_json::json!({ "min_length": min })),
                    );
                }
            }
            if let Some(max) = self.max_length {
                if len > max {
                    return Some(
                        Problem::new(
                            "string_too_long",
                            format!("String should have at most {max} character{}", plural(max)),
                        )
                        .with_ctx(serde_json::json!({ "max_length": max })),
                    );
                }
            }
        }
        if let Some(p) = self.pattern {
            if !p.is_match(s) {
                return Some(
                    Problem::new(
                        "string_pattern_mismatch",
                        format!("String should match pattern '{}'", p.source()),
                    )
                    .with_ctx(serde_json::json!({ "pattern": p.source() })),
                );
            }
        }
        None
    }

    /// Checks a list's length.
    pub fn check_len(&self, len: usize, field_type: &str) -> Option<Problem> {
        if let Some(min) = self.min_length {
            if len < min {
                return Some(
                    Problem::new(
                        "too_short",
                        format!(
                            "{field_type} should have at least {min} item{} after validation, not {len}",
                            plural(min)
                        ),
                    )
                    .with_ctx(serde_json::json!({"field_type": field_type, "min_length": min, "actual_length": len})),
                );
            }
        }
        if let Some(max) = self.max_length {
            if len > max {
                return Some(
                    Problem::new(
                        "too_long",
                        format!(
                            "{field_type} should have at most {max} item{} after validation, not {len}",
                            plural(max)
                        ),
                    )
                    .with_ctx(serde_json::json!({"field_type": field_type, "max_length": max, "actual_length": len})),
                );
            }
        }
        None
    }

    /// The constraints that apply to one element of a list (everything but lengths).
    pub fn for_items(&self) -> Constraints {
        Constraints {
            min_length: None,
            max_length: None,
            ..self.clone()
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

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_messages_match_pydantic() {
        let c = Constraints {
            ge: Some(Num::Int(1)),
            ..Constraints::NONE
        };
        let p = c.check_number(NumValue::Int(0), false).unwrap();
        assert_eq!(p.kind, "greater_than_equal");
        assert_eq!(p.msg, "Input should be greater than or equal to 1");
        assert_eq!(p.ctx, Some(serde_json::json!({"ge": 1})));
        let c = Constraints {
            gt: Some(Num::Int(0)),
            ..Constraints::NONE
        };
        let p = c.check_number(NumValue::Float(0.0), true).unwrap();
        assert_eq!(p.msg, "Input should be greater than 0");
        assert_eq!(serde_json::to_string(&p.ctx).unwrap(), r#"{"gt":0.0}"#);
        assert!(c.check_number(NumValue::Float(0.1), true).is_none());
    }

    #[test]
    fn string_and_list_messages_match_pydantic() {
        static P: Pattern = Pattern::new("^[a-z]+$");
        let c = Constraints {
            min_length: Some(3),
            max_length: Some(4),
            pattern: Some(&P),
            ..Constraints::NONE
        };
        assert_eq!(
            c.check_str("ab").unwrap().msg,
            "String should have at least 3 characters"
        );
        assert_eq!(c.check_str("abcde").unwrap().kind, "string_too_long");
        assert_eq!(
            c.check_str("ABC").unwrap().msg,
            "String should match pattern '^[a-z]+$'"
        );
        assert!(c.check_str("abc").is_none());
        assert_eq!(
            c.check_len(5, "List").unwrap().msg,
            "List should have at most 4 items after validation, not 5"
        );
    }
}
