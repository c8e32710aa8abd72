//! [`ToSchema`] for the standard types and the feature types (`uuid`, `chrono`, decimals).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, LinkedList, VecDeque};

use serde_json::{json, Value};

use super::{add_schemas, nullable, schema_ref, ToSchema};
use crate::extract::param::ParamValue;

macro_rules! inline_schema {
    ($($t:ty => $schema:tt),* $(,)?) => {
        $(impl ToSchema for $t {
            fn schema() -> Value {
                $crate::spec::literal::lit!($schema).to_value()
            }
        })*
    };
}

// Integers keep the formats model fields have always been documented with (`int32` or
// `int64`, `minimum: 0` when unsigned); a parameter's schema names the exact width
// (`ParamValue::schema`).
inline_schema! {
    i8 => {"type": "integer", "format": "int32"},
    i16 => {"type": "integer", "format": "int32"},
    i32 => {"type": "integer", "format": "int32"},
    i64 => {"type": "integer", "format": "int64"},
    i128 => {"type": "integer"},
    isize => {"type": "integer"},
    u8 => {"type": "integer", "format": "int32", "minimum": #0},
    u16 => {"type": "integer", "format": "int32", "minimum": #0},
    u32 => {"type": "integer", "format": "int32", "minimum": #0},
    u64 => {"type": "integer", "format": "int64", "minimum": #0},
    u128 => {"type": "integer", "minimum": #0},
    usize => {"type": "integer", "minimum": #0},
    char => {"type": "string"},
    // Anything: JSON's own value.
    Value => {},
    serde_json::Map<String, Value> => {"type": "object"},
}

/// A type whose schema is the one it has as a parameter (`ParamValue::schema`).
macro_rules! as_parameter {
    ($($t:ty),* $(,)?) => {
        $(impl ToSchema for $t {
            fn schema() -> Value {
                <$t as ParamValue>::schema()
            }
        })*
    };
}

as_parameter!(bool, f32, f64, String);
#[cfg(feature = "uuid")]
as_parameter!(uuid::Uuid);

#[cfg(feature = "chrono")]
as_parameter!(
    chrono::NaiveDateTime,
    chrono::NaiveDate,
    chrono::NaiveTime,
    crate::datetimes::Duration
);

impl ToSchema for str {
    fn schema() -> Value {
        <String as ParamValue>::schema()
    }
}

#[cfg(feature = "chrono")]
impl<Tz: chrono::TimeZone> ToSchema for chrono::DateTime<Tz> {
    fn schema() -> Value {
        <chrono::DateTime<chrono::Utc> as ParamValue>::schema()
    }
}

/// A decimal: read from a number or a string, written as a string (the document splits a
/// model holding one into `-Input` and `-Output` forms, as FastAPI does).
#[cfg(feature = "decimal")]
impl ToSchema for rust_decimal::Decimal {
    fn schema() -> Value {
        crate::__private::decimal_schema()
    }
}

/// `()`: `null`, what an empty tuple serializes to.
impl ToSchema for () {
    fn schema() -> Value {
        json!({"type": "null"})
    }
}

/// A type written as its content: `Box<T>`, `Arc<T>`, `&T`, `Cow<T>`, ...
macro_rules! transparent {
    ($([$($g:tt)*] $t:ty),* $(,)?) => {
        $(impl<$($g)*> ToSchema for $t {
            fn name() -> Option<Cow<'static, str>> {
                T::name()
            }
            fn schema() -> Value {
                T::schema()
            }
            fn schemas(out: &mut Vec<(String, Value)>) {
                T::schemas(out)
            }
        })*
    };
}

transparent!(
    [T: ToSchema + ?Sized] Box<T>,
    [T: ToSchema + ?Sized] std::sync::Arc<T>,
    [T: ToSchema + ?Sized] std::rc::Rc<T>,
    [T: ToSchema + ?Sized] &T,
    [T: ToSchema + ?Sized] &mut T,
    [T: ToSchema + ?Sized] std::cell::RefCell<T>,
    [T: ToSchema + ?Sized] std::sync::Mutex<T>,
    [T: ToSchema + ?Sized] std::sync::RwLock<T>,
    [T: ToSchema + ToOwned + ?Sized] Cow<'_, T>,
);

impl<T: ToSchema> ToSchema for Option<T> {
    fn schema() -> Value {
        nullable(schema_ref::<T>())
    }
    fn schemas(out: &mut Vec<(String, Value)>) {
        add_schemas::<T>(out)
    }
}

/// A list: `{"type": "array", "items": T}`.
macro_rules! list {
    ($($t:ty),* $(,)?) => {
        $(impl<T: ToSchema> ToSchema for $t {
            fn schema() -> Value {
                json!({"type": "array", "items": schema_ref::<T>()})
            }
            fn schemas(out: &mut Vec<(String, Value)>) {
                add_schemas::<T>(out)
            }
        })*
    };
}

list!(Vec<T>, [T], VecDeque<T>, LinkedList<T>);

impl<T: ToSchema, const N: usize> ToSchema for [T; N] {
    fn schema() -> Value {
        json!({"type": "array", "items": schema_ref::<T>(), "minItems": N, "maxItems": N})
    }
    fn schemas(out: &mut Vec<(String, Value)>) {
        add_schemas::<T>(out)
    }
}

/// A set: a list of unique items.
impl<T: ToSchema, S> ToSchema for HashSet<T, S> {
    fn schema() -> Value {
        json!({"type": "array", "items": schema_ref::<T>(), "uniqueItems": true})
    }
    fn schemas(out: &mut Vec<(String, Value)>) {
        add_schemas::<T>(out)
    }
}

impl<T: ToSchema> ToSchema for BTreeSet<T> {
    fn schema() -> Value {
        <HashSet<T>>::schema()
    }
    fn schemas(out: &mut Vec<(String, Value)>) {
        add_schemas::<T>(out)
    }
}

/// A map: JSON keys are strings, so only the values have a schema.
impl<K, V: ToSchema, S> ToSchema for HashMap<K, V, S> {
    fn schema() -> Value {
        json!({"type": "object", "additionalProperties": schema_ref::<V>()})
    }
    fn schemas(out: &mut Vec<(String, Value)>) {
        add_schemas::<V>(out)
    }
}

impl<K, V: ToSchema> ToSchema for BTreeMap<K, V> {
    fn schema() -> Value {
        <HashMap<K, V>>::schema()
    }
    fn schemas(out: &mut Vec<(String, Value)>) {
        add_schemas::<V>(out)
    }
}

/// A tuple: a list of fixed length whose items have their own schemas, as pydantic writes
/// `tuple[int, str]`.
macro_rules! tuple {
    ($($t:ident),+; $n:literal) => {
        impl<$($t: ToSchema),+> ToSchema for ($($t,)+) {
            fn schema() -> Value {
                json!({
                    "type": "array",
                    "prefixItems": [$(schema_ref::<$t>()),+],
                    "minItems": $n,
                    "maxItems": $n
                })
            }
            fn schemas(out: &mut Vec<(String, Value)>) {
                $(add_schemas::<$t>(out);)+
            }
        }
    };
}

tuple!(A; 1);
tuple!(A, B; 2);
tuple!(A, B, C; 3);
tuple!(A, B, C, D; 4);
tuple!(A, B, C, D, E; 5);
tuple!(A, B, C, D, E, F; 6);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_compose() {
        assert_eq!(
            <Option<Vec<u8>>>::schema(),
            json!({"type": ["array", "null"], "items": {"type": "integer", "format": "int32", "minimum": 0}})
        );
        assert_eq!(
            <HashMap<String, Option<f64>>>::schema(),
            json!({"type": "object", "additionalProperties": {"type": ["number", "null"], "format": "double"}})
        );
        assert_eq!(<Option<Value>>::schema(), json!({}));
        assert_eq!(
            crate::to_schema::nullable(json!({"anyOf": [{"type": "integer"}, {"type": "string"}]})),
            json!({"anyOf": [{"type": "integer"}, {"type": "string"}, {"type": "null"}]})
        );
        assert_eq!(
            <(i64, String)>::schema(),
            json!({"type": "array", "prefixItems": [{"type": "integer", "format": "int64"}, {"type": "string"}], "minItems": 2, "maxItems": 2})
        );
        assert_eq!(<Box<[bool]>>::schema()["items"], json!({"type": "boolean"}));
    }
}
