//! Enumerations in models, as pydantic has them: integer enums (`IntEnum`) and literal
//! string fields (`Literal["web", "phone"]`). `#[model]` and `#[derive(ParamEnum)]` use
//! these helpers; they are public so that hand-written implementations can match.
//!
//! ```
//! use ferrapi::prelude::*;
//!
//! /// An integer enum: its values are the discriminants.
//! #[model]
//! #[derive(Clone, Copy, Debug, PartialEq, ParamEnum)]
//! enum Urgency {
//!     Low = 1,
//!     Normal = 2,
//!     High = 3,
//! }
//!
//! #[model]
//! struct Order {
//!     #[field(default = Urgency::Normal)]
//!     urgency: Urgency,
//!     /// A string that must be one of these (pydantic's `Literal`).
//!     #[field(default = "web", literal = ["web", "phone"])]
//!     channel: String,
//! }
//!
//! let order: Order = serde_json::from_str(r#"{"urgency": "3"}"#).unwrap();
//! assert_eq!(order.urgency, Urgency::High);
//! assert_eq!(serde_json::to_value(&order).unwrap(), serde_json::json!({"urgency": 3, "channel": "web"}));
//! ```
//!
//! An integer enum is written as its number and read, as pydantic reads an `IntEnum` in
//! lax mode, from a number or a numeric string (`3`, `3.0`, `"3"`, and a boolean as 0 or 1, as
//! for an `int`); anything else is an
//! `enum` error listing the values (`Input should be 1, 2 or 3`). Its schema is the
//! component `{"enum": [1, 2, 3], "type": "integer", "title": "Urgency"}`.
//!
//! A literal field's schema is inline: `{"enum": ["web", "phone"], "type": "string"}`, or
//! `{"const": "cat", "type": "string"}` for a single value; any other value is a
//! `literal_error` (`Input should be 'web' or 'phone'`).

use serde_json::{json, Value};

use crate::error::{join_or, Loc, Problem, ValidationError, ValidationErrors};
use crate::extract::param::parse_lax_int;

/// The integer an input stands for, read as pydantic reads an `IntEnum` in lax mode (with
/// its lax integer rules): an integer, a float without a fractional part, a string holding
/// one, or a boolean (0 or 1).
pub fn int_enum_input(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.2e18)
                .map(|f| f as i64)
        }),
        Value::String(s) => parse_lax_int(s).ok().and_then(|i| i64::try_from(i).ok()),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

/// The `enum` problem of an integer enum: `Input should be 1, 2 or 3`.
pub fn int_enum_problem(values: &[i64]) -> Problem {
    let names: Vec<String> = values.iter().map(i64::to_string).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    Problem::enumeration(&names, false)
}

/// Checks a raw input against an integer enum's values.
pub fn check_int_enum(value: &Value, values: &[i64], loc: &Loc, errors: &mut ValidationErrors) {
    if !int_enum_input(value).is_some_and(|n| values.contains(&n)) {
        errors.push(ValidationError::from_problem(
            int_enum_problem(values),
            loc.clone(),
            value.clone(),
        ));
    }
}

/// The component schema of an integer enum, as JSON.
pub fn int_enum_json(title: &str, values: &[i64]) -> Value {
    json!({"enum": values, "title": title, "type": "integer"})
}

/// The component schema of an integer enum.
pub fn int_enum_schema(title: &str, values: &[i64]) -> Value {
    json!({"type": "integer", "enum": values, "title": title})
}

/// The `literal_error` problem: `Input should be 'web' or 'phone'`.
pub(crate) fn literal_problem(values: &[&str]) -> Problem {
    let quoted: Vec<String> = values.iter().map(|v| format!("'{v}'")).collect();
    let expected = join_or(&quoted);
    Problem::new("literal_error", format!("Input should be {expected}"))
        .with_ctx(json!({ "expected": expected }))
}

/// A field that a `literal` option restricts: `String`, `Option<String>`.
#[diagnostic::on_unimplemented(
    message = "`literal = ...` restricts a `String` field, not `{Self}`",
    note = "use `literal` on a `String` or `Option<String>` field; for other values, use an enum (`#[model] enum`, with discriminants for integers)"
)]
pub trait LiteralField {
    /// The value to check, `None` for an absent optional value.
    fn literal(&self) -> Option<&str>;
}

impl LiteralField for String {
    fn literal(&self) -> Option<&str> {
        Some(self)
    }
}

impl<T: LiteralField> LiteralField for Option<T> {
    fn literal(&self) -> Option<&str> {
        self.as_ref().and_then(LiteralField::literal)
    }
}

/// Checks a deserialized literal field.
pub fn check_literal<T: LiteralField + ?Sized>(
    value: &T,
    values: &[&str],
    loc: &impl crate::error::ToLoc,
    errors: &mut ValidationErrors,
) {
    if let Some(v) = value.literal() {
        if !values.contains(&v) {
            errors.push(ValidationError::from_problem(
                literal_problem(values),
                loc.to_loc(),
                Value::from(v),
            ));
        }
    }
}

/// Checks a raw literal field (`null` is accepted when the field is optional).
pub fn check_literal_value(
    value: &Value,
    values: &[&str],
    nullable: bool,
    loc: &Loc,
    errors: &mut ValidationErrors,
) {
    let ok = match value {
        Value::String(s) => values.contains(&s.as_str()),
        Value::Null => nullable,
        _ => false,
    };
    if !ok {
        errors.push(ValidationError::from_problem(
            literal_problem(values),
            loc.clone(),
            value.clone(),
        ));
    }
}

/// The inline schema of a literal field: `enum` (or `const` for one value), with the
/// field's default, title, description and examples; `anyOf [.., null]` when optional.
pub fn literal_schema(
    values: &[&str],
    nullable: bool,
    default: Option<Value>,
    title: Option<&str>,
    description: Option<&str>,
    examples: Option<Vec<Value>>,
) -> Value {
    let mut one = json!({"type": "string"});
    match values {
        [single] => one["const"] = Value::from(*single),
        _ => one["enum"] = json!(values),
    }
    let mut out = if nullable {
        json!({"anyOf": [one, {"type": "null"}]})
    } else {
        one
    };
    if let Some(d) = default {
        out["default"] = d;
    }
    // pydantic titles the field, not its members; an optional literal's `anyOf` has none.
    if let (Some(t), false) = (title, nullable) {
        out["title"] = t.into();
    }
    if let Some(d) = description {
        out["description"] = d.into();
    }
    if let Some(e) = examples {
        out["examples"] = Value::Array(e);
    }
    out
}
