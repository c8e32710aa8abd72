//! A route's `response_model(...)`: the answer is read back through a model, which drops
//! every field the model does not declare, and then trimmed as asked.
//!
//! ```
//! use ferrapi::prelude::*;
//!
//! #[model]
//! struct UserOut { username: String, email: String }
//!
//! #[model]
//! struct UserInDb { username: String, email: String, password_hash: String }
//!
//! /// The hash never leaves: the answer is filtered through `UserOut`.
//! #[get("/users/me", response_model(UserOut))]
//! async fn me() -> Json<UserInDb> {
//!     Json(UserInDb { username: "ada".into(), email: "a@x".into(), password_hash: "…".into() })
//! }
//! # fn main() {
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let c = ferrapi::testing::TestClient::new(App::new().routes(routes![me]));
//! assert_eq!(c.get("/users/me").send().await.json_value(), serde_json::json!({"username": "ada", "email": "a@x"}));
//! # }) }
//! ```
//!
//! This is FastAPI's `response_model=UserOut`, FastAPI's guard against leaking fields such
//! as password hashes. The operation documents the model, whatever the handler returns.
//! The options after the type are FastAPI's `response_model_*` settings:
//!
//! | option | drops |
//! |---|---|
//! | `exclude_unset` | fields the handler's answer did not contain (a `Json<Value>`, or a model field skipped when serializing) |
//! | `exclude_none` | fields that are `null`, at every depth |
//! | `exclude_defaults` | fields equal to their declared default (`None` for an `Option` without one), at every depth: in nested models and in each item of a list |
//! | `by_alias = false` | nothing: fields are written with their Rust names instead of their serde names |
//!
//! Only successful JSON answers are shaped; errors pass as they are. An answer the model
//! cannot read is a bug in the handler: it is logged and answered 500, as FastAPI answers a
//! `ResponseValidationError`.

use std::collections::HashMap;
use std::sync::OnceLock;

use axum::response::{IntoResponse, Response};
use http::header;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{Loc, LocItem, ValidationErrors};
use crate::validate::Validate;
use crate::ToSchema;

/// A response model's schema with the components it refers to, read on a route's first
/// `exclude_defaults` answer and kept for the next ones (the route holds it in a `static`).
#[derive(Debug)]
pub struct SchemaSet {
    root: Value,
    components: HashMap<String, Value>,
}

impl SchemaSet {
    /// `T`'s schema and its components.
    pub fn of<T: ToSchema + ?Sized>() -> Self {
        let mut components = Vec::new();
        T::schemas(&mut components);
        SchemaSet {
            root: T::schema(),
            components: components.into_iter().collect(),
        }
    }

    /// `schema` with its references followed (a chain is short; the bound only keeps a
    /// cycle of hand-written schemas from looping).
    fn follow<'a>(&'a self, mut schema: &'a Value) -> &'a Value {
        for _ in 0..16 {
            let target = schema
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
                .and_then(|n| self.components.get(n));
            match target {
                Some(t) => schema = t,
                None => break,
            }
        }
        schema
    }

    /// The schema of an object or list value of `schema`: references followed, and of a
    /// nullable or union schema the first alternative that describes one.
    fn concrete<'a>(&'a self, schema: &'a Value) -> &'a Value {
        let has_shape = |s: &Value| s.get("properties").is_some() || s.get("items").is_some();
        let schema = self.follow(schema);
        if has_shape(schema) {
            return schema;
        }
        ["anyOf", "oneOf", "allOf"]
            .iter()
            .filter_map(|k| schema.get(*k).and_then(Value::as_array))
            .flatten()
            .map(|alt| self.follow(alt))
            .find(|alt| has_shape(alt))
            .unwrap_or(schema)
    }
}

/// What a route's `response_model(...)` asks for besides the model.
#[derive(Debug, Clone, Copy, Default)]
pub struct ResponseShape {
    /// Drop fields the handler's answer did not contain.
    pub exclude_unset: bool,
    /// Drop `null` fields.
    pub exclude_none: bool,
    /// Drop fields equal to their declared default.
    pub exclude_defaults: bool,
    /// Write the serde (wire) names; `false` writes the Rust field names.
    pub by_alias: bool,
}

/// Reads a successful JSON answer back through `T` and trims it as `shape` asks.
pub async fn shape_response<T>(
    res: Response,
    shape: ResponseShape,
    schemas: &OnceLock<SchemaSet>,
) -> Response
where
    T: DeserializeOwned + Serialize + Validate + crate::ToSchema,
{
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(crate::extract::json::is_json_content_type);
    if !res.status().is_success() || !is_json {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return crate::reply::internal_error();
    };
    let Ok(sent) = serde_json::from_slice::<Value>(&bytes) else {
        return crate::reply::internal_error();
    };
    let mut errors = ValidationErrors::new();
    let loc = Loc(vec![LocItem::from("response")]);
    let Some(model) = crate::extract::json::from_json_value::<T>(&sent, &loc, &mut errors) else {
        tracing::error!(
            model = std::any::type_name::<T>(),
            errors = %serde_json::to_string(&errors.0).unwrap_or_default(),
            "the handler's answer does not fit its response model"
        );
        return crate::reply::internal_error();
    };
    let mut out = serde_json::to_value(&model).unwrap_or(Value::Null);
    if shape.exclude_unset {
        keep_sent(&mut out, &sent);
    }
    if shape.exclude_defaults {
        let set = schemas.get_or_init(SchemaSet::of::<T>);
        drop_defaults(&mut out, &set.root, set);
    }
    if shape.exclude_none {
        drop_nulls(&mut out);
    }
    if !shape.by_alias {
        rename(&mut out, T::FIELD_NAMES);
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = serde_json::to_vec(&out).unwrap_or_default();
    (parts, body).into_response()
}

/// Keeps in `out` only what the answer as sent contained, at every depth.
fn keep_sent(out: &mut Value, sent: &Value) {
    match (out, sent) {
        (Value::Object(o), Value::Object(s)) => {
            o.retain(|k, _| s.contains_key(k));
            for (k, v) in o.iter_mut() {
                keep_sent(v, &s[k]);
            }
        }
        (Value::Array(o), Value::Array(s)) => {
            for (v, sv) in o.iter_mut().zip(s) {
                keep_sent(v, sv);
            }
        }
        _ => {}
    }
}

/// Drops the fields equal to their default in the model's schema (a field neither required
/// nor given a default defaults to `null`), at every depth as pydantic's
/// `exclude_defaults`: a nested model is compared whole first, and trimmed inside if kept;
/// a list answer is trimmed item by item.
fn drop_defaults(out: &mut Value, schema: &Value, set: &SchemaSet) {
    let schema = set.concrete(schema);
    match out {
        Value::Object(o) => {
            let Some(Value::Object(props)) = schema.get("properties") else {
                return;
            };
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            o.retain(|k, v| match props.get(k) {
                Some(p) => match p.get("default") {
                    Some(d) => d != v,
                    None => required.contains(&k.as_str()) || !v.is_null(),
                },
                None => true,
            });
            for (k, v) in o.iter_mut() {
                if let Some(p) = props.get(k) {
                    drop_defaults(v, p, set);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for v in items {
                    drop_defaults(v, item_schema, set);
                }
            }
        }
        _ => {}
    }
}

/// Drops `null` fields of objects, at every depth.
fn drop_nulls(v: &mut Value) {
    match v {
        Value::Object(o) => {
            o.retain(|_, v| !v.is_null());
            o.values_mut().for_each(drop_nulls);
        }
        Value::Array(a) => a.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// Writes the top-level fields (or each item's) with their Rust names.
fn rename(v: &mut Value, names: &[(&str, &str)]) {
    match v {
        Value::Object(o) => {
            let old = std::mem::take(o);
            *o = old
                .into_iter()
                .map(|(k, v)| {
                    let k = names
                        .iter()
                        .find(|(wire, _)| *wire == k)
                        .map(|(_, rust)| rust.to_string())
                        .unwrap_or(k);
                    (k, v)
                })
                .collect::<Map<String, Value>>();
        }
        Value::Array(a) => a.iter_mut().for_each(|v| rename(v, names)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn trimming() {
        let mut v = json!({"a": 1, "b": null, "c": {"d": null, "e": 2}});
        drop_nulls(&mut v);
        assert_eq!(v, json!({"a": 1, "c": {"e": 2}}));

        let mut v = json!({"a": 1, "b": 2, "c": {"d": 3, "e": 4}});
        keep_sent(&mut v, &json!({"a": 0, "c": {"e": 0}}));
        assert_eq!(v, json!({"a": 1, "c": {"e": 4}}));

        let schema = json!({"properties": {"name": {}, "price": {"default": 10.5}, "tax": {}}, "required": ["name"]});
        let mut v = json!({"name": "x", "price": 10.5, "tax": null});
        let set = SchemaSet {
            root: schema.clone(),
            components: HashMap::new(),
        };
        drop_defaults(&mut v, &schema, &set);
        assert_eq!(v, json!({"name": "x"}));

        let mut v = json!([{"userName": "a"}]);
        rename(&mut v, &[("userName", "user_name")]);
        assert_eq!(v, json!([{"user_name": "a"}]));
    }

    #[test]
    fn a_cycle_of_references_ends() {
        let set = SchemaSet {
            root: json!({"$ref": "#/components/schemas/A"}),
            components: [
                ("A".to_string(), json!({"$ref": "#/components/schemas/B"})),
                (
                    "B".to_string(),
                    json!({"anyOf": [{"$ref": "#/components/schemas/A"}]}),
                ),
            ]
            .into_iter()
            .collect(),
        };
        let mut v = json!({"x": 1});
        drop_defaults(&mut v, &set.root, &set);
        assert_eq!(v, json!({"x": 1}));
    }

    #[test]
    fn nullable_nested_models_are_trimmed_inside() {
        let set = SchemaSet {
            root: json!({"type": "object", "properties": {
                "dim": {"oneOf": [{"$ref": "#/components/schemas/Dim"}, {"type": "null"}]}
            }}),
            components: [(
                "Dim".to_string(),
                json!({"type": "object", "properties": {"unit": {"type": "string", "default": "cm"}}}),
            )]
            .into_iter()
            .collect(),
        };
        let mut v = json!({"dim": {"unit": "cm"}});
        drop_defaults(&mut v, &set.root, &set);
        assert_eq!(v, json!({"dim": {}}));
    }
}
