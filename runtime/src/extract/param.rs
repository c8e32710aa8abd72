//! Scalar parameters: path segments, query values, headers and cookies.
//!
//! A parameter's Rust type says how its text is parsed ([`ParamValue`]) and how many values
//! it takes ([`ParamShape`]: one, an optional one, or a list from repeated keys). Parsing
//! follows pydantic's lax rules for strings, so FastAPI clients see the same answers:
//! `"10.0"` is the integer 10, `"yes"` is `true`, `""` is not a number.
//!
//! ```
//! use ferrapi::extract::param::ParamValue;
//!
//! assert_eq!(<i64 as ParamValue>::parse("1_000").unwrap(), 1000);
//! assert_eq!(<i64 as ParamValue>::parse(" 10.0").unwrap(), 10);
//! assert!(<i64 as ParamValue>::parse("10.5").is_err());
//! assert_eq!(<bool as ParamValue>::parse("On").unwrap(), true);
//! ```

use serde_json::{json, Map, Value};

use crate::constraints::{Constraints, NumValue};
use crate::error::{Loc, Problem, ValidationError, ValidationErrors};

/// A type read from one text value: a path segment, a query value, a header or a cookie.
///
/// Implemented for the integers, floats, `bool`, `String`, `char`, `Uuid` and chrono's
/// dates and times. `#[derive(ParamEnum)]` implements it for a string enum.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from a path, query, header or cookie value",
    label = "this parameter's type is not a parameter value",
    note = "use an integer, float, bool, String, Uuid, date/time, or a string enum with `#[derive(ferrapi::ParamEnum)]`; wrap it in Option<_> or Vec<_> for optional or repeated values; a struct is not a parameter: take its fields as separate arguments, or read it as a JSON body with `Json<T>`",
    note = "`Uuid` needs ferrapi's `uuid` feature, dates and times (chrono) its `chrono` feature, `Decimal` its `decimal` feature, `Email` and `Url` the `email` and `url` features"
)]
pub trait ParamValue: Sized + Send + 'static {
    /// True for `f32`/`f64`: constraint values in errors' `ctx` are then written as floats.
    const IS_FLOAT: bool = false;

    /// Parses one value. The error is reported with the value's location and raw text.
    fn parse(raw: &str) -> Result<Self, Problem>;

    /// Checks the declared constraints on a parsed value.
    fn check(&self, constraints: &Constraints) -> Option<Problem> {
        let _ = constraints;
        None
    }

    /// The value as JSON, for the `default` shown in the document.
    fn to_json(&self) -> Value;

    /// The JSON Schema of one value, e.g. `{"type": "integer", "format": "int64"}`.
    fn schema() -> Value;

    /// The component name and schema when the schema is a named component (enums);
    /// [`schema`](ParamValue::schema) is then a `$ref` to it.
    fn component() -> Option<(String, Value)> {
        None
    }
}

/// The result of reading one parameter.
#[derive(Debug)]
pub enum Got<T> {
    /// The parameter is present and valid.
    Value(T),
    /// The parameter is absent.
    Missing,
    /// The parameter is present but invalid; the errors were recorded.
    Invalid,
}

impl<T> Got<T> {
    /// The value converted by `f`; missing and invalid stay so.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Got<U> {
        match self {
            Got::Value(v) => Got::Value(f(v)),
            Got::Missing => Got::Missing,
            Got::Invalid => Got::Invalid,
        }
    }
}

/// How many values a parameter takes: `T` (exactly one), `Option<T>` (zero or one) or
/// `Vec<T>` (every repeated key: `?tag=a&tag=b`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as a path, query, header or cookie parameter",
    label = "unsupported parameter type",
    note = "use a scalar (integer, float, bool, String, Uuid, date/time, a `#[derive(ParamEnum)]` enum), or Option<_> / Vec<_> of one",
    note = "a struct is not a parameter: take its fields as separate arguments, or read it as a JSON body with `Json<T>`",
    note = "`Uuid` needs ferrapi's `uuid` feature, dates and times (chrono) its `chrono` feature, `Decimal` its `decimal` feature, `Email` and `Url` the `email` and `url` features"
)]
pub trait ParamShape: Sized + Send + 'static {
    /// Whether the parameter must be present when it has no default.
    const REQUIRED: bool;

    /// Reads the parameter from every raw value present for it, in order of appearance.
    /// `pick_last` selects which value a single-valued parameter takes when the key repeats
    /// (the last for query strings, the first for headers, as Starlette does).
    fn from_values(
        values: &[&str],
        pick_last: bool,
        loc: &dyn Fn() -> Loc,
        constraints: &Constraints,
        errors: &mut ValidationErrors,
    ) -> Got<Self>;

    /// The parameter's JSON Schema with the constraints written in.
    fn schema(constraints: &Constraints) -> Value;

    /// Named component schemas this parameter refers to.
    fn components(out: &mut Vec<(String, Value)>);

    /// The value as JSON (for a documented default).
    fn to_json(&self) -> Value;
}

/// Parses and checks one raw value; the location is built only for an error.
fn parse_one<T: ParamValue>(
    raw: &str,
    loc: impl FnOnce() -> Loc,
    constraints: &Constraints,
    errors: &mut ValidationErrors,
) -> Option<T> {
    let problem = match T::parse(raw) {
        Ok(v) => match v.check(constraints) {
            None => return Some(v),
            Some(p) => p,
        },
        Err(p) => p,
    };
    errors.push(ValidationError::from_problem(
        problem,
        loc(),
        Value::String(raw.into()),
    ));
    None
}

fn scalar_schema<T: ParamValue>(constraints: &Constraints) -> Value {
    let mut s = T::schema();
    if let Value::Object(m) = &mut s {
        if m.contains_key("$ref") {
            return s;
        }
        constraints.write_scalar_keywords(m);
    }
    s
}

impl<T: ParamValue> ParamShape for T {
    const REQUIRED: bool = true;

    fn from_values(
        values: &[&str],
        pick_last: bool,
        loc: &dyn Fn() -> Loc,
        constraints: &Constraints,
        errors: &mut ValidationErrors,
    ) -> Got<Self> {
        let raw = if pick_last {
            values.last()
        } else {
            values.first()
        };
        match raw {
            None => Got::Missing,
            Some(raw) => match parse_one::<T>(raw, loc, constraints, errors) {
                Some(v) => Got::Value(v),
                None => Got::Invalid,
            },
        }
    }

    fn schema(constraints: &Constraints) -> Value {
        scalar_schema::<T>(constraints)
    }

    fn components(out: &mut Vec<(String, Value)>) {
        out.extend(T::component());
    }

    fn to_json(&self) -> Value {
        ParamValue::to_json(self)
    }
}

impl<T: ParamShape> ParamShape for Option<T> {
    const REQUIRED: bool = false;

    fn from_values(
        values: &[&str],
        pick_last: bool,
        loc: &dyn Fn() -> Loc,
        constraints: &Constraints,
        errors: &mut ValidationErrors,
    ) -> Got<Self> {
        match T::from_values(values, pick_last, loc, constraints, errors) {
            Got::Value(v) => Got::Value(Some(v)),
            Got::Missing => Got::Value(None),
            Got::Invalid => Got::Invalid,
        }
    }

    fn schema(constraints: &Constraints) -> Value {
        json!({"anyOf": [T::schema(constraints), {"type": "null"}]})
    }

    fn components(out: &mut Vec<(String, Value)>) {
        T::components(out)
    }

    fn to_json(&self) -> Value {
        self.as_ref()
            .map(ParamShape::to_json)
            .unwrap_or(Value::Null)
    }
}

impl<T: ParamValue> ParamShape for Vec<T> {
    const REQUIRED: bool = true;

    fn from_values(
        values: &[&str],
        _pick_last: bool,
        loc: &dyn Fn() -> Loc,
        constraints: &Constraints,
        errors: &mut ValidationErrors,
    ) -> Got<Self> {
        if values.is_empty() {
            return Got::Missing;
        }
        let before = errors.0.len();
        let items = constraints.for_items();
        let mut out = Vec::with_capacity(values.len());
        for (i, raw) in values.iter().enumerate() {
            if let Some(v) = parse_one::<T>(raw, || loc().join(i), &items, errors) {
                out.push(v);
            }
        }
        if errors.0.len() > before {
            return Got::Invalid;
        }
        if let Some(p) = constraints.check_len(out.len(), "List") {
            let input = Value::Array(values.iter().map(|v| Value::String((*v).into())).collect());
            errors.push(ValidationError::from_problem(p, loc(), input));
            return Got::Invalid;
        }
        Got::Value(out)
    }

    fn schema(constraints: &Constraints) -> Value {
        let mut m = Map::new();
        m.insert("type".into(), "array".into());
        m.insert("items".into(), scalar_schema::<T>(&constraints.for_items()));
        if let Some(n) = constraints.min_length {
            m.insert("minItems".into(), n.into());
        }
        if let Some(n) = constraints.max_length {
            m.insert("maxItems".into(), n.into());
        }
        Value::Object(m)
    }

    fn components(out: &mut Vec<(String, Value)>) {
        out.extend(T::component());
    }

    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(ParamValue::to_json).collect())
    }
}

/// Parses an integer the way pydantic does in lax mode: surrounding white space, a sign,
/// `_` between digits and a zero fraction (`"10.0"`) are accepted.
pub fn parse_lax_int(raw: &str) -> Result<i128, Problem> {
    // The common case, plain digits, as the standard library reads them; whitespace,
    // underscores, `5.0` and out-of-range values take the pydantic rules below.
    if let Ok(v) = raw.parse::<i64>() {
        return Ok(v.into());
    }
    let s = raw.trim();
    let s = match s.split_once('.') {
        Some((int, frac)) if !frac.is_empty() && frac.bytes().all(|b| b == b'0') => int,
        Some(_) => return Err(Problem::int_parsing()),
        None => s,
    };
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty()
        || !digits.bytes().all(|b| b.is_ascii_digit() || b == b'_')
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return Err(Problem::int_parsing());
    }
    let mut v: i128 = 0;
    for b in digits.bytes().filter(|b| *b != b'_') {
        v = v
            .checked_mul(10)
            .and_then(|v| v.checked_add((b - b'0') as i128))
            .ok_or_else(Problem::int_parsing_size)?;
    }
    Ok(if neg { -v } else { v })
}

/// Parses a float the way pydantic does in lax mode (`"1e3"`, `"1_0"`, `"nan"`, `"inf"`).
pub fn parse_lax_float(raw: &str) -> Result<f64, Problem> {
    let s = raw.trim();
    if s.is_empty() || s.starts_with('_') || s.ends_with('_') || s.contains("__") {
        return Err(Problem::float_parsing());
    }
    let cleaned;
    let s = if s.contains('_') {
        cleaned = s.replace('_', "");
        cleaned.as_str()
    } else {
        s
    };
    s.parse::<f64>().map_err(|_| Problem::float_parsing())
}

macro_rules! int_param {
    ($($t:ty => $format:expr),* $(,)?) => {$(
        impl ParamValue for $t {
            fn parse(raw: &str) -> Result<Self, Problem> {
                let v = parse_lax_int(raw)?;
                <$t>::try_from(v).map_err(|_| {
                    let c = Constraints {
                        ge: Some(crate::constraints::Num::Int(<$t>::MIN as i128)),
                        le: Some(crate::constraints::Num::Int(<$t>::MAX as i128)),
                        ..Constraints::NONE
                    };
                    c.check_number(NumValue::Int(v), false).unwrap_or_else(Problem::int_parsing_size)
                })
            }
            fn check(&self, c: &Constraints) -> Option<Problem> {
                c.check_number(NumValue::Int(*self as i128), false)
            }
            fn to_json(&self) -> Value {
                json!(*self)
            }
            fn schema() -> Value {
                let mut m = Map::new();
                m.insert("type".into(), "integer".into());
                if let Some(f) = $format {
                    m.insert("format".into(), Value::from(f));
                    // OpenAPI's registry defines the range of int32 and int64 only: say
                    // the others' bounds, so clients and fuzzers know a larger number is
                    // refused (the route's own `ge`/`le` replace them).
                    if f != "int32" && f != "int64" {
                        m.insert("minimum".into(), json!(<$t>::MIN));
                        m.insert("maximum".into(), json!(<$t>::MAX));
                    }
                }
                Value::Object(m)
            }
        }
    )*};
}

int_param! {
    i8 => Some("int8"), i16 => Some("int16"), i32 => Some("int32"), i64 => Some("int64"),
    i128 => None::<&str>, isize => Some("int64"),
    u8 => Some("uint8"), u16 => Some("uint16"), u32 => Some("uint32"), u64 => Some("uint64"),
    u128 => None::<&str>, usize => Some("uint64"),
}

macro_rules! float_param {
    ($($t:ty => $format:expr),*) => {$(
        impl ParamValue for $t {
            const IS_FLOAT: bool = true;
            fn parse(raw: &str) -> Result<Self, Problem> {
                parse_lax_float(raw).map(|v| v as $t)
            }
            fn check(&self, c: &Constraints) -> Option<Problem> {
                c.check_number(NumValue::Float(*self as f64), true)
            }
            fn to_json(&self) -> Value {
                json!(*self)
            }
            fn schema() -> Value {
                json!({"type": "number", "format": $format})
            }
        }
    )*};
}

float_param! { f32 => "float", f64 => "double" }

impl ParamValue for bool {
    fn parse(raw: &str) -> Result<Self, Problem> {
        let s = raw.trim();
        const TRUE: [&str; 6] = ["true", "yes", "y", "on", "1", "t"];
        const FALSE: [&str; 6] = ["false", "no", "n", "off", "0", "f"];
        if TRUE.iter().any(|t| t.eq_ignore_ascii_case(s)) {
            Ok(true)
        } else if FALSE.iter().any(|t| t.eq_ignore_ascii_case(s)) {
            Ok(false)
        } else {
            Err(Problem::bool_parsing())
        }
    }
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
    fn schema() -> Value {
        json!({"type": "boolean"})
    }
}

impl ParamValue for String {
    fn parse(raw: &str) -> Result<Self, Problem> {
        Ok(raw.to_owned())
    }
    fn check(&self, c: &Constraints) -> Option<Problem> {
        c.check_str(self)
    }
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
    fn schema() -> Value {
        json!({"type": "string"})
    }
}

impl ParamValue for char {
    fn parse(raw: &str) -> Result<Self, Problem> {
        let mut it = raw.chars();
        match (it.next(), it.next()) {
            (Some(c), None) => Ok(c),
            _ => Err(Problem::new(
                "string_type",
                "Input should be a single character",
            )),
        }
    }
    fn to_json(&self) -> Value {
        Value::String(self.to_string())
    }
    fn schema() -> Value {
        json!({"type": "string", "minLength": 1, "maxLength": 1})
    }
}

#[cfg(feature = "uuid")]
impl ParamValue for uuid::Uuid {
    fn parse(raw: &str) -> Result<Self, Problem> {
        uuid::Uuid::parse_str(raw.trim()).map_err(|e| {
            let err = format!("{e}");
            Problem::new(
                "uuid_parsing",
                format!("Input should be a valid UUID, {err}"),
            )
            .with_ctx(json!({ "error": err }))
        })
    }
    fn to_json(&self) -> Value {
        Value::String(self.to_string())
    }
    fn schema() -> Value {
        json!({"type": "string", "format": "uuid"})
    }
}

#[cfg(feature = "chrono")]
macro_rules! chrono_param {
    ($($t:ty, $format:literal;)*) => {$(
        impl ParamValue for $t {
            fn parse(raw: &str) -> Result<Self, Problem> {
                <$t as crate::datetimes::Canonical>::read(&Value::String(raw.to_string()))
            }
            fn to_json(&self) -> Value {
                Value::String(crate::datetimes::Canonical::canonical(self))
            }
            fn schema() -> Value {
                json!({"type": "string", "format": $format})
            }
        }
    )*};
}

// Read as pydantic reads them, with its own parser (`crate::datetimes`).
#[cfg(feature = "chrono")]
chrono_param! {
    chrono::NaiveDate, "date";
    chrono::NaiveTime, "time";
    chrono::NaiveDateTime, "date-time";
    chrono::DateTime<chrono::Utc>, "date-time";
    chrono::DateTime<chrono::FixedOffset>, "date-time";
    crate::datetimes::Duration, "duration";
}

/// Parses a string enum value for `#[derive(ParamEnum)]`: `variants` are the wire names.
pub fn parse_enum<T: Copy>(raw: &str, variants: &[(&str, T)]) -> Result<T, Problem> {
    for (name, v) in variants {
        if *name == raw {
            return Ok(*v);
        }
    }
    let names: Vec<&str> = variants.iter().map(|(n, _)| *n).collect();
    Err(Problem::enumeration(&names, true))
}

pub use crate::spec::title_case;

/// Items the code generated by the macros calls, reached through `ferrapi::__private` only.
pub(crate) mod generated {
    #[allow(unused_imports)]
    use super::*;

    /// The schema of a string enum for `#[derive(ParamEnum)]`.
    pub fn enum_schema(title: &str, variants: &[&str]) -> Value {
        json!({"type": "string", "enum": variants, "title": title})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints_are_lax_like_pydantic() {
        for (raw, v) in [
            ("10.0", 10),
            ("+5", 5),
            (" 5", 5),
            ("1_000", 1000),
            ("-7", -7),
        ] {
            assert_eq!(<i64 as ParamValue>::parse(raw).unwrap(), v, "{raw}");
        }
        for raw in ["10.5", "0x10", "1e3", "", "abc", "1__0", "_1"] {
            assert_eq!(
                <i64 as ParamValue>::parse(raw).unwrap_err().kind,
                "int_parsing",
                "{raw}"
            );
        }
        assert_eq!(
            <u8 as ParamValue>::parse("256").unwrap_err().kind,
            "less_than_equal"
        );
        assert_eq!(
            <i64 as ParamValue>::parse("9999999999999999999999999999999999999999999")
                .unwrap_err()
                .kind,
            "int_parsing_size"
        );
    }

    #[test]
    fn floats_and_bools_are_lax_like_pydantic() {
        assert_eq!(<f64 as ParamValue>::parse("1e3").unwrap(), 1000.0);
        assert_eq!(<f64 as ParamValue>::parse("1_0").unwrap(), 10.0);
        assert!(<f64 as ParamValue>::parse("nan").unwrap().is_nan());
        assert_eq!(
            <f64 as ParamValue>::parse("").unwrap_err().kind,
            "float_parsing"
        );
        assert!(<bool as ParamValue>::parse("Y").unwrap());
        assert!(!<bool as ParamValue>::parse("off").unwrap());
        assert_eq!(
            <bool as ParamValue>::parse("2").unwrap_err().kind,
            "bool_parsing"
        );
    }

    #[test]
    fn titles_follow_fastapi() {
        assert_eq!(title_case("max_price"), "Max Price");
        assert_eq!(title_case("sku-code"), "Sku-Code");
        assert_eq!(title_case("q"), "Q");
    }
}

/// A model field type whose declared constraints can be checked (numbers against bounds,
/// strings against lengths and patterns, lists and sets against their lengths).
#[diagnostic::on_unimplemented(
    message = "constraints cannot be checked on `{Self}`",
    note = "numeric constraints (ge, gt, le, lt, multiple_of) apply to numbers; min_length, max_length and pattern to strings; min_length/max_length (min_items/max_items) to lists and sets"
)]
pub trait ConstraintTarget {
    /// The first problem found, if any.
    fn check_constraints(&self, c: &Constraints) -> Option<Problem>;
    /// The value as the `input` of an error.
    fn to_input(&self) -> Value;
}

macro_rules! constraint_number {
    ($($t:ty, $float:expr, $conv:expr;)*) => {$(
        impl ConstraintTarget for $t {
            fn check_constraints(&self, c: &Constraints) -> Option<Problem> {
                let f: fn(&$t) -> NumValue = $conv;
                c.check_number(f(self), $float)
            }
            fn to_input(&self) -> Value {
                json!(self)
            }
        }
    )*};
}

#[cfg(feature = "decimal")]
impl ConstraintTarget for rust_decimal::Decimal {
    fn check_constraints(&self, c: &Constraints) -> Option<Problem> {
        c.check_decimal(self)
    }
    fn to_input(&self) -> Value {
        Value::String(self.to_string())
    }
}

#[cfg(feature = "decimal")]
/// A decimal as pydantic reads one: a JSON number, or a string holding one (`"12.34"`,
/// `"1e3"`); `NaN` and infinities are `finite_number` errors.
pub(crate) fn parse_decimal(v: &Value) -> Result<rust_decimal::Decimal, Problem> {
    use std::str::FromStr;
    let text = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => {
            return Err(Problem::new(
                "decimal_type",
                "Decimal input should be an integer, float, string or Decimal object",
            ))
        }
    };
    let lower = text.to_ascii_lowercase();
    if [
        "nan",
        "inf",
        "infinity",
        "-inf",
        "-infinity",
        "+inf",
        "+infinity",
        "-nan",
        "+nan",
    ]
    .contains(&lower.as_str())
    {
        return Err(Problem::new(
            "finite_number",
            "Input should be a finite number",
        ));
    }
    rust_decimal::Decimal::from_str(&text)
        .or_else(|_| rust_decimal::Decimal::from_scientific(&text))
        .map_err(|_| Problem::new("decimal_parsing", "Input should be a valid decimal"))
}

#[cfg(feature = "decimal")]
impl ParamValue for rust_decimal::Decimal {
    fn parse(raw: &str) -> Result<Self, Problem> {
        parse_decimal(&Value::String(raw.to_string()))
    }
    fn check(&self, constraints: &Constraints) -> Option<Problem> {
        constraints.check_decimal(self)
    }
    fn to_json(&self) -> Value {
        Value::String(self.to_string())
    }
    fn schema() -> Value {
        json!({"anyOf": [{"type": "number"}, {"type": "string"}]})
    }
}

constraint_number! {
    i8, false, |v| NumValue::Int(*v as i128); i16, false, |v| NumValue::Int(*v as i128);
    i32, false, |v| NumValue::Int(*v as i128); i64, false, |v| NumValue::Int(*v as i128);
    isize, false, |v| NumValue::Int(*v as i128); u8, false, |v| NumValue::Int(*v as i128);
    u16, false, |v| NumValue::Int(*v as i128); u32, false, |v| NumValue::Int(*v as i128);
    u64, false, |v| NumValue::Int(*v as i128); usize, false, |v| NumValue::Int(*v as i128);
    f32, true, |v| NumValue::Float(*v as f64); f64, true, |v| NumValue::Float(*v);
}

impl ConstraintTarget for String {
    fn check_constraints(&self, c: &Constraints) -> Option<Problem> {
        c.check_str(self)
    }
    fn to_input(&self) -> Value {
        Value::String(self.clone())
    }
}

impl<T: serde::Serialize> ConstraintTarget for Vec<T> {
    fn check_constraints(&self, c: &Constraints) -> Option<Problem> {
        c.check_len(self.len(), "List")
    }
    fn to_input(&self) -> Value {
        json!(self)
    }
}

impl<T: serde::Serialize, S> ConstraintTarget for std::collections::HashSet<T, S> {
    fn check_constraints(&self, c: &Constraints) -> Option<Problem> {
        c.check_len(self.len(), "Set")
    }
    fn to_input(&self) -> Value {
        Value::Array(self.iter().map(|v| json!(v)).collect())
    }
}

impl<T: serde::Serialize> ConstraintTarget for std::collections::BTreeSet<T> {
    fn check_constraints(&self, c: &Constraints) -> Option<Problem> {
        c.check_len(self.len(), "Set")
    }
    fn to_input(&self) -> Value {
        json!(self)
    }
}

impl<T: ConstraintTarget> ConstraintTarget for Option<T> {
    fn check_constraints(&self, c: &Constraints) -> Option<Problem> {
        self.as_ref().and_then(|v| v.check_constraints(c))
    }
    fn to_input(&self) -> Value {
        self.as_ref().map(|v| v.to_input()).unwrap_or(Value::Null)
    }
}
