//! The shared bodies of derived [`ToSchema`](super::ToSchema) implementations: generated
//! code passes its fields and variants, so each derive compiles only its type's calls.

use serde_json::{json, Map, Value};

/// The object schema of named fields: `(wire name, required, schema)` each, the schemas of
/// `#[serde(flatten)]` fields (joined with `allOf`; a flattened map gives the object its
/// `additionalProperties`), and whether unknown fields are refused.
pub fn object_schema(
    fields: Vec<(&'static str, bool, Value)>,
    flattened: Vec<Value>,
    deny_unknown_fields: bool,
) -> Value {
    let mut o = Map::new();
    o.insert("type".into(), "object".into());
    let required: Vec<Value> = fields
        .iter()
        .filter(|(_, r, _)| *r)
        .map(|(n, _, _)| Value::from(*n))
        .collect();
    if !required.is_empty() {
        o.insert("required".into(), Value::Array(required));
    }
    let properties: Map<String, Value> = fields
        .into_iter()
        .map(|(n, _, s)| (n.to_string(), s))
        .collect();
    if !properties.is_empty() {
        o.insert("properties".into(), Value::Object(properties));
    }
    if deny_unknown_fields {
        o.insert("additionalProperties".into(), false.into());
    }
    let mut all = Vec::new();
    for f in flattened {
        let is_map = f.get("additionalProperties").is_some() && f.get("properties").is_none();
        match f.get("additionalProperties") {
            Some(extra) if is_map => {
                o.insert("additionalProperties".into(), extra.clone());
            }
            _ => all.push(f),
        }
    }
    if all.is_empty() {
        return Value::Object(o);
    }
    all.push(Value::Object(o));
    json!({ "allOf": all })
}

/// A fieldless enum: `{"type": "string", "enum": [...]}`.
pub fn string_enum(names: &[&str]) -> Value {
    json!({"type": "string", "enum": names})
}

/// An enum with data: `oneOf` its variants.
pub fn one_of(variants: Vec<Value>) -> Value {
    json!({ "oneOf": variants })
}

/// One variant `name` of an enum with data, in serde's representation: externally tagged
/// (`"Unit"`, `{"Name": content}`), internally (`tag`), adjacently (`tag` and
/// `content_key`) or not at all (`untagged`).
pub fn variant_schema(
    name: &str,
    content: Option<Value>,
    tag: Option<&str>,
    content_key: Option<&str>,
    untagged: bool,
) -> Value {
    let tag_value = json!({"type": "string", "enum": [name]});
    if untagged {
        return content.unwrap_or_else(|| json!({"type": "null"}));
    }
    match (tag, content_key, content) {
        (None, _, None) => tag_value,
        (None, _, Some(c)) => {
            json!({"type": "object", "required": [name], "properties": {name: c}})
        }
        (Some(t), _, None) => {
            json!({"type": "object", "required": [t], "properties": {t: tag_value}})
        }
        (Some(t), Some(c_key), Some(c)) => json!({
            "type": "object",
            "required": [c_key, t],
            "properties": {c_key: c, t: tag_value}
        }),
        (Some(t), None, Some(mut c)) => {
            // Internally tagged: the tag is one more field of the variant's object.
            if c.get("properties").is_some() {
                c["properties"][t] = tag_value;
                match c.get_mut("required").and_then(Value::as_array_mut) {
                    Some(r) => r.push(t.into()),
                    None => c["required"] = json!([t]),
                }
                c
            } else {
                json!({"allOf": [c, {"type": "object", "required": [t], "properties": {t: tag_value}}]})
            }
        }
    }
}
