//! Run-time validation of body models, reported like pydantic.
//!
//! [`Validate`] is implemented by `#[model]` from the constraints declared on each field
//! (the same attributes also write the JSON Schema keywords), and here for the standard
//! types. It has two entry points:
//!
//! - [`Validate::validate`] checks a value that deserialized fine (the fast path: a valid
//!   request costs one `serde_json` parse plus these checks);
//! - [`Validate::validate_value`] walks raw JSON that did *not* fit the type, to list every
//!   problem at once with its full location (`["body", "pictures", 1, "url"]`).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde_json::Value;

use crate::error::{At, Loc, ToLoc, ValidationError, ValidationErrors};

/// A type whose values can be checked against declared constraints.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be validated as a request body",
    label = "add `#[model]` to `{Self}`",
    note = "body models are declared with `#[model]`, which derives serde, the JSON Schema and validation from one declaration",
    note = "`Uuid` needs ferrapi's `uuid` feature, dates and times (chrono) its `chrono` feature, `Decimal` its `decimal` feature, `Email` and `Url` the `email` and `url` features"
)]
pub trait Validate {
    /// Checks an already deserialized value; pushes one error per problem. `at` is where
    /// the value sits, built into a [`Loc`] only for an error ([`At::loc`]).
    fn validate(&self, at: &At<'_>, errors: &mut ValidationErrors) {
        let _ = (at, errors);
    }

    /// Checks raw JSON that failed to deserialize into `Self`, reporting type errors and
    /// missing fields at their locations.
    fn validate_value(value: &Value, loc: &Loc, errors: &mut ValidationErrors);

    /// True for models (structs): their JSON must be an object (serde alone would also take
    /// a list of the fields' values).
    const EXPECTS_OBJECT: bool = false;

    /// The fields (wire names) with a `max_items`/`max_length`, and the limit: a JSON body
    /// whose list at one of them is longer is refused before the body is read into memory.
    const LIST_LIMITS: &'static [(&'static str, usize)] = &[];

    /// The literal fields (wire name, allowed values): the tags a discriminated union
    /// (`#[model(discriminator = "kind")]`) reads from its member models.
    const LITERALS: &'static [(&'static str, &'static [&'static str])] = &[];

    /// `(wire name, Rust field name)` of each field: a response model with
    /// `by_alias = false` writes the Rust names (pydantic's `by_alias=False`).
    const FIELD_NAMES: &'static [(&'static str, &'static str)] = &[];

    /// The name an untagged union gives this type in error locations, as pydantic names a
    /// union member (`Circle`, `int`, `str`); empty to use the variant's name.
    const UNION_LABEL: &'static str = "";

    /// Rewrites values pydantic's lax mode accepts into the form serde reads: `"5"` or
    /// `5.0` for an integer, `"12.5"` for a float, `"yes"` or `1` for a bool. Called only
    /// after [`validate_value`](Validate::validate_value) found nothing wrong.
    fn coerce_lax(value: &mut Value) {
        let _ = value;
    }
}

fn type_error(kind: &'static str, msg: &'static str, loc: &Loc, value: &Value) -> ValidationError {
    ValidationError::new(kind, loc.clone(), msg, value.clone())
}

macro_rules! int_validate {
    ($($t:ty),*) => {$(
        impl Validate for $t {
            fn validate_value(value: &Value, loc: &Loc, errors: &mut ValidationErrors) {
                match value {
                    Value::Number(n) => {
                        if let Some(i) = n.as_i64() {
                            if <$t>::try_from(i).is_err() {
                                errors.push(type_error("int_parsing_size", "Unable to parse input string as an integer, exceeded maximum size", loc, value));
                            }
                        } else if let Some(u) = n.as_u64() {
                            if <$t>::try_from(u).is_err() {
                                errors.push(type_error("int_parsing_size", "Unable to parse input string as an integer, exceeded maximum size", loc, value));
                            }
                        } else if let Some(f) = n.as_f64() {
                            if f.fract() != 0.0 {
                                errors.push(type_error("int_from_float", "Input should be a valid integer, got a number with a fractional part", loc, value));
                            }
                        }
                    }
                    Value::String(s) => {
                        if crate::extract::param::parse_lax_int(s).is_err() {
                            errors.push(type_error("int_parsing", "Input should be a valid integer, unable to parse string as an integer", loc, value));
                        }
                    }
                    Value::Bool(_) => {}
                    _ => errors.push(type_error("int_type", "Input should be a valid integer", loc, value)),
                }
            }
            const UNION_LABEL: &'static str = "int";
            fn coerce_lax(value: &mut Value) {
                let lax = match &*value {
                    Value::String(s) => crate::extract::param::parse_lax_int(s).ok(),
                    Value::Number(n) if n.is_f64() => n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i128),
                    Value::Bool(b) => Some(*b as i128),
                    _ => None,
                };
                if let Some(i) = lax {
                    *value = if let Ok(v) = i64::try_from(i) {
                        Value::from(v)
                    } else if let Ok(v) = u64::try_from(i) {
                        Value::from(v)
                    } else {
                        return;
                    };
                }
            }
        }
    )*};
}

int_validate!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

macro_rules! float_validate {
    ($($t:ty),*) => {$(
        impl Validate for $t {
            fn validate_value(value: &Value, loc: &Loc, errors: &mut ValidationErrors) {
                match value {
                    Value::Number(_) | Value::Bool(_) => {}
                    Value::String(s) => {
                        if crate::extract::param::parse_lax_float(s).is_err() {
                            errors.push(type_error("float_parsing", "Input should be a valid number, unable to parse string as a number", loc, value));
                        }
                    }
                    _ => errors.push(type_error("float_type", "Input should be a valid number", loc, value)),
                }
            }
            const UNION_LABEL: &'static str = "float";
            fn coerce_lax(value: &mut Value) {
                let lax = match &*value {
                    Value::String(s) => crate::extract::param::parse_lax_float(s).ok(),
                    Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
                    _ => None,
                };
                if let Some(n) = lax.and_then(serde_json::Number::from_f64) {
                    *value = Value::Number(n);
                }
            }
        }
    )*};
}

float_validate!(f32, f64);

impl Validate for bool {
    fn validate_value(value: &Value, loc: &Loc, errors: &mut ValidationErrors) {
        match value {
            Value::Bool(_) => {}
            Value::String(s) if <bool as crate::extract::param::ParamValue>::parse(s).is_ok() => {}
            Value::Number(n) if n.as_i64() == Some(0) || n.as_i64() == Some(1) => {}
            Value::String(_) | Value::Number(_) => errors.push(type_error(
                "bool_parsing",
                "Input should be a valid boolean, unable to interpret input",
                loc,
                value,
            )),
            _ => errors.push(type_error(
                "bool_type",
                "Input should be a valid boolean",
                loc,
                value,
            )),
        }
    }
    const UNION_LABEL: &'static str = "bool";
    fn coerce_lax(value: &mut Value) {
        let lax = match &*value {
            Value::String(s) => <bool as crate::extract::param::ParamValue>::parse(s).ok(),
            Value::Number(n) => match n.as_i64() {
                Some(0) => Some(false),
                Some(1) => Some(true),
                _ => None,
            },
            _ => None,
        };
        if let Some(b) = lax {
            *value = Value::Bool(b);
        }
    }
}

impl Validate for String {
    const UNION_LABEL: &'static str = "str";
    fn validate_value(value: &Value, loc: &Loc, errors: &mut ValidationErrors) {
        if !value.is_string() {
            errors.push(type_error(
                "string_type",
                "Input should be a valid string",
                loc,
                value,
            ));
        }
    }
}

impl Validate for Value {
    fn validate_value(_value: &Value, _loc: &Loc, _errors: &mut ValidationErrors) {}
}

impl Validate for () {
    fn validate_value(_value: &Value, _loc: &Loc, _errors: &mut ValidationErrors) {}
}

#[cfg(feature = "uuid")]
impl Validate for uuid::Uuid {
    fn validate_value(value: &Value, loc: &Loc, errors: &mut ValidationErrors) {
        match value {
            Value::String(s) => {
                if let Err(p) = <uuid::Uuid as crate::extract::param::ParamValue>::parse(s) {
                    errors.push(ValidationError::from_problem(p, loc.clone(), value.clone()));
                }
            }
            _ => errors.push(type_error(
                "uuid_type",
                "UUID input should be a string, bytes or UUID object",
                loc,
                value,
            )),
        }
    }
}

#[cfg(feature = "chrono")]
macro_rules! chrono_validate {
    ($($t:ty),*) => {$(
        impl Validate for $t {
            fn validate_value(value: &Value, loc: &Loc, errors: &mut ValidationErrors) {
                if let Err(p) = <$t as crate::datetimes::Canonical>::read(value) {
                    errors.push(ValidationError::from_problem(p, loc.clone(), value.clone()));
                }
            }
            fn coerce_lax(value: &mut Value) {
                // Whatever pydantic reads, in the one form serde reads.
                if let Ok(v) = <$t as crate::datetimes::Canonical>::read(value) {
                    *value = Value::String(crate::datetimes::Canonical::canonical(&v));
                }
            }
        }
    )*};
}

#[cfg(feature = "chrono")]
chrono_validate!(
    chrono::NaiveDate,
    chrono::NaiveTime,
    chrono::NaiveDateTime,
    chrono::DateTime<chrono::Utc>,
    chrono::DateTime<chrono::FixedOffset>,
    crate::datetimes::Duration
);

#[cfg(feature = "decimal")]
impl Validate for rust_decimal::Decimal {
    fn validate_value(value: &Value, loc: &Loc, errors: &mut ValidationErrors) {
        if let Err(p) = crate::extract::param::parse_decimal(value) {
            errors.push(ValidationError::from_problem(p, loc.clone(), value.clone()));
        }
    }
    fn coerce_lax(value: &mut Value) {
        // `1e3` and padded strings, in the form serde reads.
        if let Ok(d) = crate::extract::param::parse_decimal(value) {
            *value = Value::String(d.to_string());
        }
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, at: &At<'_>, errors: &mut ValidationErrors) {
        if let Some(v) = self {
            v.validate(at, errors)
        }
    }
    fn validate_value(value: &Value, loc: &Loc, errors: &mut ValidationErrors) {
        if !value.is_null() {
            T::validate_value(value, loc, errors)
        }
    }
    fn coerce_lax(value: &mut Value) {
        if !value.is_null() {
            T::coerce_lax(value)
        }
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate(&self, at: &At<'_>, errors: &mut ValidationErrors) {
        (**self).validate(at, errors)
    }
    fn validate_value(value: &Value, loc: &Loc, errors: &mut ValidationErrors) {
        T::validate_value(value, loc, errors)
    }
    const EXPECTS_OBJECT: bool = T::EXPECTS_OBJECT;
    const LITERALS: &'static [(&'static str, &'static [&'static str])] = T::LITERALS;
    const UNION_LABEL: &'static str = T::UNION_LABEL;
    const FIELD_NAMES: &'static [(&'static str, &'static str)] = T::FIELD_NAMES;
    fn coerce_lax(value: &mut Value) {
        T::coerce_lax(value)
    }
}

fn validate_list<'a, T: Validate + 'a>(
    items: impl Iterator<Item = &'a T>,
    at: &At<'_>,
    errors: &mut ValidationErrors,
) {
    for (i, v) in items.enumerate() {
        v.validate(&at.index(i), errors);
    }
}

fn validate_list_value<T: Validate>(
    value: &Value,
    loc: &Loc,
    errors: &mut ValidationErrors,
    kind: &'static str,
) {
    match value {
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                if errors.is_full() {
                    break;
                }
                T::validate_value(v, &loc.join(i), errors);
            }
        }
        _ => errors.push(type_error(
            kind,
            match kind {
                "set_type" => "Input should be a valid set",
                _ => "Input should be a valid list",
            },
            loc,
            value,
        )),
    }
}

impl<T: Validate> Validate for Vec<T> {
    const FIELD_NAMES: &'static [(&'static str, &'static str)] = T::FIELD_NAMES;
    fn validate(&self, at: &At<'_>, errors: &mut ValidationErrors) {
        validate_list(self.iter(), at, errors)
    }
    fn validate_value(value: &Value, loc: &Loc, errors: &mut ValidationErrors) {
        validate_list_value::<T>(value, loc, errors, "list_type")
    }
    fn coerce_lax(value: &mut Value) {
        coerce_items::<T>(value)
    }
}

impl<T: Validate, S> Validate for HashSet<T, S> {
    fn validate(&self, at: &At<'_>, errors: &mut ValidationErrors) {
        validate_list(self.iter(), at, errors)
    }
    fn validate_value(value: &Value, loc: &Loc, errors: &mut ValidationErrors) {
        validate_list_value::<T>(value, loc, errors, "set_type")
    }
    fn coerce_lax(value: &mut Value) {
        coerce_items::<T>(value)
    }
}

impl<T: Validate> Validate for BTreeSet<T> {
    fn validate(&self, at: &At<'_>, errors: &mut ValidationErrors) {
        validate_list(self.iter(), at, errors)
    }
    fn validate_value(value: &Value, loc: &Loc, errors: &mut ValidationErrors) {
        validate_list_value::<T>(value, loc, errors, "set_type")
    }
    fn coerce_lax(value: &mut Value) {
        coerce_items::<T>(value)
    }
}

fn coerce_items<T: Validate>(value: &mut Value) {
    if let Value::Array(items) = value {
        for v in items {
            T::coerce_lax(v);
        }
    }
}

fn validate_map_value<T: Validate>(value: &Value, loc: &Loc, errors: &mut ValidationErrors) {
    match value {
        Value::Object(m) => {
            for (k, v) in m {
                T::validate_value(v, &loc.join(k.clone()), errors);
            }
        }
        _ => errors.push(type_error(
            "dict_type",
            "Input should be a valid dictionary",
            loc,
            value,
        )),
    }
}

impl<T: Validate, S> Validate for HashMap<String, T, S> {
    fn validate(&self, at: &At<'_>, errors: &mut ValidationErrors) {
        for (k, v) in self {
            v.validate(&at.key(k), errors);
        }
    }
    fn validate_value(value: &Value, loc: &Loc, errors: &mut ValidationErrors) {
        validate_map_value::<T>(value, loc, errors)
    }
    fn coerce_lax(value: &mut Value) {
        if let Value::Object(m) = value {
            for v in m.values_mut() {
                T::coerce_lax(v);
            }
        }
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate(&self, at: &At<'_>, errors: &mut ValidationErrors) {
        for (k, v) in self {
            v.validate(&at.key(k), errors);
        }
    }
    fn validate_value(value: &Value, loc: &Loc, errors: &mut ValidationErrors) {
        validate_map_value::<T>(value, loc, errors)
    }
    fn coerce_lax(value: &mut Value) {
        if let Value::Object(m) = value {
            for v in m.values_mut() {
                T::coerce_lax(v);
            }
        }
    }
}

/// Items the code generated by the macros calls, reached through `ferrapi::__private` only.
pub(crate) mod generated {
    #[allow(unused_imports)]
    use super::*;

    /// Used by `#[model]`: checks a scalar field's constraints and records the problem.
    pub fn check_field<T: crate::extract::param::ConstraintTarget + ?Sized>(
        value: &T,
        constraints: &crate::constraints::Constraints,
        loc: &impl ToLoc,
        errors: &mut ValidationErrors,
    ) {
        if let Some(p) = value.check_constraints(constraints) {
            errors.push(ValidationError::from_problem(
                p,
                loc.to_loc(),
                value.to_input(),
            ));
        }
    }

    /// Used by `#[model]` before it walks a list field that did not deserialize: a list
    /// longer than its `max_length` is refused at once (one `too_long` error), without
    /// validating its items, so an oversized list costs one error, not one per item.
    pub fn raw_list_too_long(
        raw: &Value,
        max: usize,
        loc: &Loc,
        errors: &mut ValidationErrors,
    ) -> bool {
        let Value::Array(items) = raw else {
            return false;
        };
        match list_too_long(items.len(), max, loc.clone(), raw) {
            Some(e) => {
                errors.push(e);
                true
            }
            None => false,
        }
    }

    /// The `too_long` error of a list of `len` items at `loc` whose limit is `max` (`None`
    /// within it); `input` is the list, cut as every echoed input is.
    pub(crate) fn list_too_long(
        len: usize,
        max: usize,
        loc: Loc,
        input: &Value,
    ) -> Option<ValidationError> {
        let c = crate::constraints::Constraints {
            max_length: Some(max),
            ..crate::constraints::Constraints::NONE
        };
        c.check_len(len, "List")
            .map(|p| ValidationError::from_problem(p, loc, input.clone()))
    }

    /// Used by `#[model]`: reports a missing required field in a raw object.
    pub fn missing_field(object: &Value, loc: &Loc, errors: &mut ValidationErrors) {
        errors.push(ValidationError::new(
            "missing",
            loc.clone(),
            "Field required",
            object.clone(),
        ));
    }

    /// Used by `#[model]`: reports a body that is not an object.
    pub fn not_an_object(value: &Value, loc: &Loc, errors: &mut ValidationErrors) {
        errors.push(ValidationError::new(
            "model_attributes_type",
            loc.clone(),
            "Input should be a valid dictionary or object to extract fields from",
            value.clone(),
        ));
    }
}
