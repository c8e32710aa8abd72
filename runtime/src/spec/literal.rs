//! Fixed JSON (the schemas of ferrapi's own error bodies, say) held as constant data.
//!
//! `serde_json::json!` writes code for every key and value of its argument: building one
//! String, inserting it and unwinding past it on a panic, for each. The schemas ferrapi
//! adds to every document cost 30 KB of machine code that way in every app; written with
//! [`lit!`](crate::spec::literal::lit) they are a table in read-only data and one small
//! function ([`Lit::to_value`]) builds any of them.

use serde_json::{Map, Value};

/// A JSON value known at compile time: everything is `'static`, so a literal made of
/// constructors is a constant (`&[...]` of it is promoted to a static).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Lit {
    // Not in any literal yet; kept so that any JSON can be written.
    #[allow(dead_code)]
    Null,
    #[allow(dead_code)]
    Bool(bool),
    Int(i64),
    Str(&'static str),
    Array(&'static [Lit]),
    Object(&'static [(&'static str, Lit)]),
}

impl Lit {
    /// The value, built anew.
    pub(crate) fn to_value(self) -> Value {
        match self {
            Lit::Null => Value::Null,
            Lit::Bool(b) => Value::Bool(b),
            Lit::Int(i) => Value::from(i),
            Lit::Str(s) => Value::from(s),
            Lit::Array(items) => Value::Array(items.iter().map(|i| i.to_value()).collect()),
            Lit::Object(entries) => Value::Object(object(entries)),
        }
    }
}

/// An object's entries, built anew.
pub(crate) fn object(entries: &[(&'static str, Lit)]) -> Map<String, Value> {
    entries
        .iter()
        .map(|(k, v)| ((*k).to_string(), v.to_value()))
        .collect()
}

/// A [`Lit`] in JSON's syntax: objects with string keys, arrays, strings, `true`, `false`,
/// `null`, and integers marked with `#` (`#0`), as a macro cannot tell a string literal
/// from a number.
macro_rules! lit {
    (null) => { $crate::spec::literal::Lit::Null };
    (true) => { $crate::spec::literal::Lit::Bool(true) };
    (false) => { $crate::spec::literal::Lit::Bool(false) };
    (# $n:literal) => { $crate::spec::literal::Lit::Int($n) };
    ([ $($item:tt $($n:literal)?),* $(,)? ]) => {
        $crate::spec::literal::Lit::Array(&[ $( $crate::spec::literal::lit!($item $($n)?) ),* ])
    };
    ({ $($key:literal : $value:tt $($n:literal)?),* $(,)? }) => {
        $crate::spec::literal::Lit::Object(&[ $( ($key, $crate::spec::literal::lit!($value $($n)?)) ),* ])
    };
    ($s:literal) => { $crate::spec::literal::Lit::Str($s) };
}
pub(crate) use lit;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_literal_is_the_value_json_writes() {
        const SCHEMA: Lit = lit!({
            "title": "Page",
            "type": "object",
            "required": ["items"],
            "properties": {
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
                "total": {"type": "integer", "minimum": #0, "maximum": #-5},
                "done": {"type": "boolean", "default": false, "examples": [true, null, #3]},
                "empty": {},
                "none": []
            }
        });
        assert_eq!(
            SCHEMA.to_value(),
            json!({
                "title": "Page",
                "type": "object",
                "required": ["items"],
                "properties": {
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
                    "total": {"type": "integer", "minimum": 0, "maximum": -5},
                    "done": {"type": "boolean", "default": false, "examples": [true, null, 3]},
                    "empty": {},
                    "none": []
                }
            })
        );
        // Keys keep the order they are written in, as `json!` with `preserve_order`.
        let keys: Vec<String> = SCHEMA
            .to_value()
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(keys, ["title", "type", "required", "properties"]);
    }
}
