//! The run-time checks of the constraints declared on parameters and model fields, with
//! pydantic's messages. The constraint values themselves ([`Constraints`], [`Num`],
//! [`Pattern`]) belong to the description ([`crate::spec`]), which also writes their
//! schema keywords.

use serde_json::Value;

use crate::error::Problem;
pub use crate::spec::{Constraints, Num, Pattern};

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

impl Constraints {
    /// Checks a number, in pydantic's order (multiple_of, then bounds).
    pub fn check_number(&self, v: NumValue, float_field: bool) -> Option<Problem> {
        use std::cmp::Ordering::*;
        if self.multiple_of.is_none()
            && self.gt.is_none()
            && self.ge.is_none()
            && self.lt.is_none()
            && self.le.is_none()
        {
            return None;
        }
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

    #[cfg(feature = "decimal")]
    /// Checks a decimal's digits as pydantic counts them (trailing zeros after the point
    /// do not count), then its bounds.
    pub fn check_decimal(&self, d: &rust_decimal::Decimal) -> Option<Problem> {
        let n = d.normalize();
        let places = n.scale() as usize;
        let digits_str = n.mantissa().unsigned_abs().to_string();
        let digits = if n.is_zero() {
            1
        } else {
            digits_str.len().max(places)
        };
        if let Some(max) = self.max_digits {
            if digits > max {
                return Some(
                    Problem::new(
                        "decimal_max_digits",
                        format!(
                            "Decimal input should have no more than {max} digit{} in total",
                            plural(max)
                        ),
                    )
                    .with_ctx(serde_json::json!({ "max_digits": max })),
                );
            }
        }
        if let Some(max) = self.decimal_places {
            if places > max {
                return Some(
                    Problem::new(
                        "decimal_max_places",
                        format!(
                            "Decimal input should have no more than {max} decimal place{}",
                            plural(max)
                        ),
                    )
                    .with_ctx(serde_json::json!({ "decimal_places": max })),
                );
            }
        }
        if let (Some(digits_max), Some(places_max)) = (self.max_digits, self.decimal_places) {
            let whole = digits_max.saturating_sub(places_max);
            if digits - places > whole {
                return Some(
                    Problem::new(
                        "decimal_whole_digits",
                        format!("Decimal input should have no more than {whole} digit{} before the decimal point", plural(whole)),
                    )
                    .with_ctx(serde_json::json!({ "whole_digits": whole })),
                );
            }
        }
        use rust_decimal::prelude::ToPrimitive;
        self.check_number(NumValue::Float(d.to_f64().unwrap_or(f64::NAN)), true)
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
