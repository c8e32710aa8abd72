//! [`ToSchema`]: the JSON Schema of a Rust type, as the document shows it.
//!
//! `#[model]` and `#[derive(ToSchema)]` implement it for your types; this crate implements
//! it for the standard types (numbers, strings, `Option`, lists, sets, maps, tuples,
//! `Box`, ...) and, behind their features, for `uuid`, `chrono`, `rust_decimal`, e-mail
//! and URL types. A type is either a *component* (it has a [`name`](ToSchema::name):
//! models and enums, written once under `components.schemas` and referred to with
//! `$ref`) or written inline where it is used (numbers, strings, lists).
//!
//! ```
//! use ferrapi::ToSchema;
//! use serde_json::json;
//!
//! assert_eq!(<Vec<u8>>::schema(), json!({
//!     "type": "array",
//!     "items": {"type": "integer", "format": "int32", "minimum": 0}
//! }));
//!
//! /// A user of the shop.
//! #[derive(serde::Serialize, ToSchema)]
//! struct User {
//!     name: String,
//!     email: Option<String>,
//! }
//!
//! assert_eq!(User::name().as_deref(), Some("User"));
//! assert_eq!(User::schema(), json!({
//!     "type": "object",
//!     "description": "A user of the shop.",
//!     "required": ["name"],
//!     "properties": {
//!         "name": {"type": "string"},
//!         "email": {"type": ["string", "null"]}
//!     }
//! }));
//! // A list of users refers to the component.
//! assert_eq!(<Vec<User>>::schema()["items"], json!({"$ref": "#/components/schemas/User"}));
//! ```
//!
//! A hand-written implementation gives the schema as JSON:
//!
//! ```
//! use std::borrow::Cow;
//! use ferrapi::ToSchema;
//! use serde_json::{json, Value};
//!
//! /// A colour written as `#rrggbb`.
//! struct Colour(u32);
//!
//! impl ToSchema for Colour {
//!     fn schema() -> Value {
//!         json!({"type": "string", "pattern": "^#[0-9a-f]{6}$"})
//!     }
//! }
//! ```

use std::borrow::Cow;

use serde_json::{json, Map, Value};

mod derived;
mod std_impls;

#[doc(hidden)]
pub use derived::{object_schema, one_of, string_enum, variant_schema};

/// A type's JSON Schema (the 2020-12 dialect of OpenAPI 3.1), with the components it
/// refers to. See the [module documentation](self).
pub trait ToSchema {
    /// The component name when the type is documented as a component
    /// (`#/components/schemas/{name}`), `None` (the default) when it is written inline.
    fn name() -> Option<Cow<'static, str>> {
        None
    }

    /// The type's own schema: the component's body for a named type. Components it uses
    /// appear as `$ref`s (see [`schema_ref`]).
    fn schema() -> Value;

    /// Adds the components [`schema`](Self::schema) refers to, and theirs, to `out` (each
    /// once, by name), with [`add_schemas`] for each type used. A `$ref` to a component
    /// nothing added stops the app at start-up with a message naming it.
    fn schemas(out: &mut Vec<(String, Value)>) {
        let _ = out;
    }
}

/// Where `T` is used: a `$ref` to its component when it has one, else its inline schema.
pub fn schema_ref<T: ToSchema + ?Sized>() -> Value {
    match T::name() {
        Some(name) => crate::spec::Schema::reference(&name).into_value(),
        None => T::schema(),
    }
}

/// Adds `T`'s component (when it has one and `out` has not got it yet) and the components
/// it refers to: what a type's [`ToSchema::schemas`] calls for each type it contains.
pub fn add_schemas<T: ToSchema + ?Sized>(out: &mut Vec<(String, Value)>) {
    match T::name() {
        Some(name) => {
            if out.iter().any(|(n, _)| *n == name) {
                return;
            }
            // Listed before its references are followed: a model that contains itself
            // stops at the check above.
            out.push((name.into_owned(), T::schema()));
            T::schemas(out);
        }
        None => T::schemas(out),
    }
}

/// `schema` that also accepts `null`: `{"type": [t, "null"]}` for a schema with one type,
/// `null` added to an `anyOf`, `{"oneOf": [schema, {"type": "null"}]}` otherwise.
pub fn nullable(schema: Value) -> Value {
    match schema {
        Value::Object(mut m) if matches!(m.get("type"), Some(Value::String(_))) => {
            let t = m.remove("type").unwrap_or(Value::Null);
            let mut out = Map::with_capacity(m.len() + 1);
            out.insert("type".into(), json!([t, "null"]));
            out.extend(m);
            Value::Object(out)
        }
        Value::Object(m) if m.is_empty() => Value::Object(m),
        // `Optional[Union[A, B]]` is pydantic's `anyOf [A, B, null]`.
        Value::Object(mut m) if matches!(m.get("anyOf"), Some(Value::Array(_))) => {
            if let Some(Value::Array(alts)) = m.get_mut("anyOf") {
                if !alts
                    .iter()
                    .any(|a| a.get("type") == Some(&Value::from("null")))
                {
                    alts.push(json!({"type": "null"}));
                }
            }
            Value::Object(m)
        }
        other => json!({"oneOf": [other, {"type": "null"}]}),
    }
}

/// The component name of a generic model, and its title, as pydantic writes them:
/// `Page<my_app::Item>` is `Page_Item_`, titled `Page[Item]`.
pub fn generic_name(full_type_name: &str) -> (String, String) {
    let readable = crate::spec::readable_type_name(full_type_name);
    let name = crate::spec::component_name(&readable);
    let title = readable
        .replace('<', "[")
        .replace('>', "]")
        .replace(',', ", ");
    (name, title)
}

/// Generated code: the schema of a field or variant of type `T` with the keywords its
/// attributes add (constraints, `description`, `default`, ...). Compiled once, not per type.
#[doc(hidden)]
pub fn with_keywords(schema: Value, keywords: Vec<(&'static str, Value)>) -> Value {
    if keywords.is_empty() {
        return schema;
    }
    // A reference gets the keywords beside it (OpenAPI 3.1 allows that; the 3.0 renderer
    // wraps it in `allOf`).
    let mut m = match schema {
        Value::Object(m) => m,
        other => {
            let mut m = Map::new();
            m.insert("allOf".into(), Value::Array(vec![other]));
            m
        }
    };
    for (k, v) in keywords {
        m.insert(k.to_string(), v);
    }
    Value::Object(m)
}
