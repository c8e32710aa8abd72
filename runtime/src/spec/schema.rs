//! JSON Schemas, as the description holds them.

use serde_json::{json, Value};

/// A JSON Schema in the 2020-12 dialect, the one OpenAPI 3.1 uses (schemas come from
/// [`ToSchema`](crate::ToSchema) and from the parameter types). Renderers for other formats translate
/// it: OpenAPI 3.0 has its own older dialect (`nullable`, boolean `exclusiveMinimum`).
///
/// It dereferences to the [`serde_json::Value`] it wraps.
///
/// ```
/// use ferrapi::spec::Schema;
///
/// let s = Schema::reference("Item");
/// assert_eq!(s["$ref"], "#/components/schemas/Item");
/// assert_eq!(s.component(), Some("Item"));
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schema(Value);

impl Schema {
    /// A schema from its JSON form.
    pub fn new(value: Value) -> Self {
        Schema(value)
    }
    /// The empty schema `{}`: anything.
    pub fn any() -> Self {
        Schema(json!({}))
    }
    /// `{"type": "string"}`.
    pub fn string() -> Self {
        Schema(json!({"type": "string"}))
    }
    /// A `$ref` to the component schema `name`.
    pub fn reference(name: &str) -> Self {
        Schema(json!({ "$ref": format!("#/components/schemas/{name}") }))
    }
    /// The component this schema refers to, when it is a `$ref` to one.
    pub fn component(&self) -> Option<&str> {
        self.0
            .get("$ref")?
            .as_str()?
            .strip_prefix("#/components/schemas/")
    }
    /// The JSON form.
    pub fn as_value(&self) -> &Value {
        &self.0
    }
    /// The JSON form, to change.
    pub fn as_value_mut(&mut self) -> &mut Value {
        &mut self.0
    }
    /// Takes the JSON form.
    pub fn into_value(self) -> Value {
        self.0
    }
}

impl From<Value> for Schema {
    fn from(v: Value) -> Self {
        Schema(v)
    }
}

impl std::ops::Deref for Schema {
    type Target = Value;
    fn deref(&self) -> &Value {
        &self.0
    }
}

impl std::ops::DerefMut for Schema {
    fn deref_mut(&mut self) -> &mut Value {
        &mut self.0
    }
}

/// The keywords whose value is one schema.
pub const SCHEMA_KEYWORDS: &[&str] = &[
    "items",
    "additionalProperties",
    "not",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
];
/// The keywords whose value is a list of schemas.
pub const SCHEMA_LIST_KEYWORDS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];
/// The keywords whose value maps names to schemas.
pub const SCHEMA_MAP_KEYWORDS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "dependentSchemas",
];

/// Calls `f` on every subschema of `schema` (not on `schema` itself), depth first, parents
/// before children. Values of data keywords (`enum`, `const`, `default`, `examples`) are
/// not schemas and are not visited.
pub fn for_each_subschema(schema: &Value, f: &mut dyn FnMut(&Value)) {
    let Value::Object(m) = schema else { return };
    for (k, v) in m {
        let k = k.as_str();
        if SCHEMA_KEYWORDS.contains(&k) {
            f(v);
            for_each_subschema(v, f);
        } else if SCHEMA_LIST_KEYWORDS.contains(&k) {
            for s in v.as_array().into_iter().flatten() {
                f(s);
                for_each_subschema(s, f);
            }
        } else if SCHEMA_MAP_KEYWORDS.contains(&k) {
            for s in v.as_object().into_iter().flat_map(|m| m.values()) {
                f(s);
                for_each_subschema(s, f);
            }
        }
    }
}

/// Every component named by a `$ref` in `schema` or its subschemas, added to `out` once.
pub fn collect_refs(schema: &Value, out: &mut Vec<String>) {
    let mut add = |s: &Value| {
        if let Some(name) = s
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
        {
            if !out.iter().any(|o| o == name) {
                out.push(name.to_string());
            }
        }
    };
    add(schema);
    for_each_subschema(schema, &mut add);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_are_found_in_subschemas_but_not_in_data() {
        let s = json!({
            "type": "object",
            "properties": {
                "a": {"$ref": "#/components/schemas/A"},
                "b": {"type": "array", "items": {"$ref": "#/components/schemas/B"}},
                "c": {"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]}
            },
            "default": {"$ref": "#/components/schemas/NotASchema"}
        });
        let mut refs = Vec::new();
        collect_refs(&s, &mut refs);
        assert_eq!(refs, vec!["A", "B"]);
    }
}
