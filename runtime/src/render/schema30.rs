//! JSON Schema 2020-12 (OpenAPI 3.1's dialect) to OpenAPI 3.0's Schema object.

use serde_json::{json, Map, Value};

use crate::spec::{SCHEMA_KEYWORDS, SCHEMA_LIST_KEYWORDS, SCHEMA_MAP_KEYWORDS};

/// The keywords an OpenAPI 3.0 Schema object has (extensions aside).
const OPENAPI30_KEYWORDS: &[&str] = &[
    "$ref",
    "title",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "type",
    "not",
    "allOf",
    "oneOf",
    "anyOf",
    "items",
    "properties",
    "additionalProperties",
    "description",
    "format",
    "default",
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "example",
    "externalDocs",
    "deprecated",
    "xml",
];

/// Translates a JSON Schema 2020-12 schema into OpenAPI 3.0's dialect:
/// - `null` in `type` or as an `anyOf`/`oneOf` alternative becomes `nullable: true`;
/// - `const` becomes a one-value `enum`; a numeric `exclusiveMinimum`/`exclusiveMaximum`
///   becomes `minimum`/`maximum` with the boolean form;
/// - `examples` becomes `example` (the first one);
/// - `contentMediaType` becomes `format: binary` (`byte` for base64);
/// - a `$ref` with sibling keywords is wrapped in `allOf`, since 3.0 ignores the siblings;
/// - `prefixItems` (tuples) becomes `items` with the length fixed;
/// - other 2020-12 keywords are kept as `x-` extensions.
///
/// ```
/// use ferrapi::render::to_openapi30;
/// use serde_json::json;
///
/// let s = json!({"anyOf": [{"$ref": "#/components/schemas/Item"}, {"type": "null"}]});
/// assert_eq!(to_openapi30(&s), json!({"allOf": [{"$ref": "#/components/schemas/Item"}], "nullable": true}));
/// ```
pub fn to_openapi30(schema: &Value) -> Value {
    match schema {
        Value::Bool(true) => json!({}),
        Value::Bool(false) => json!({"not": {}}),
        Value::Object(m) => Value::Object(object(m)),
        other => other.clone(),
    }
}

fn is_null_schema(s: &Value) -> bool {
    s.as_object().is_some_and(|m| {
        m.len() == 1 && m.get("type") == Some(&Value::from("null"))
            || m.len() == 1 && m.get("const") == Some(&Value::Null)
    })
}

fn object(src: &Map<String, Value>) -> Map<String, Value> {
    let mut m: Map<String, Value> = Map::new();
    let mut nullable = false;
    // Children first, each keyword by what its value holds.
    for (k, v) in src {
        let key = k.as_str();
        let v = if SCHEMA_KEYWORDS.contains(&key) {
            match (key, v) {
                ("additionalProperties", Value::Bool(_)) => v.clone(),
                _ => to_openapi30(v),
            }
        } else if SCHEMA_LIST_KEYWORDS.contains(&key) {
            let mut alts = Vec::new();
            for s in v.as_array().into_iter().flatten() {
                if (key == "anyOf" || key == "oneOf") && is_null_schema(s) {
                    nullable = true;
                } else {
                    alts.push(to_openapi30(s));
                }
            }
            Value::Array(alts)
        } else if SCHEMA_MAP_KEYWORDS.contains(&key) {
            let map = v.as_object().into_iter().flatten();
            Value::Object(map.map(|(n, s)| (n.clone(), to_openapi30(s))).collect())
        } else {
            v.clone()
        };
        m.insert(k.clone(), v);
    }

    // `type: [T, "null"]` and `type: "null"`.
    match m.get("type").cloned() {
        Some(Value::Array(types)) => {
            let rest: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
            if rest.len() < m["type"].as_array().map_or(0, Vec::len) {
                nullable = true;
            }
            match rest.len() {
                0 => {
                    m.remove("type");
                }
                1 => {
                    m.insert("type".into(), rest[0].clone());
                }
                _ => {
                    m.remove("type");
                    let alts = rest.into_iter().map(|t| json!({ "type": t })).collect();
                    m.insert("anyOf".into(), Value::Array(alts));
                }
            }
        }
        Some(Value::String(t)) if t == "null" => {
            m.remove("type");
            nullable = true;
            m.entry("enum").or_insert_with(|| json!([null]));
        }
        _ => {}
    }

    // A single alternative left beside `null`: written inline, or through `allOf` for a
    // reference (3.0 ignores a `$ref`'s siblings).
    for key in ["anyOf", "oneOf"] {
        let single = matches!(m.get(key), Some(Value::Array(a)) if a.len() == 1);
        if nullable && single && !m.contains_key("discriminator") {
            let Some(Value::Array(mut alts)) = m.remove(key) else {
                continue;
            };
            let alt = alts.remove(0);
            match alt {
                Value::Object(a)
                    if !a.contains_key("$ref") && a.keys().all(|k| !m.contains_key(k)) =>
                {
                    for (k, v) in a {
                        m.insert(k, v);
                    }
                }
                alt => {
                    let mut all = match m.remove("allOf") {
                        Some(Value::Array(a)) => a,
                        _ => Vec::new(),
                    };
                    all.push(alt);
                    m.insert("allOf".into(), Value::Array(all));
                }
            }
        }
    }

    if let Some(c) = m.remove("const") {
        m.entry("enum").or_insert_with(|| json!([c]));
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(n) = m.get(exclusive).filter(|v| v.is_number()).cloned() {
            m.insert(bound.into(), n);
            m.insert(exclusive.into(), true.into());
        }
    }
    if let Some(ex) = m.remove("examples") {
        if !m.contains_key("example") {
            if let Some(first) = ex.as_array().and_then(|a| a.first()) {
                m.insert("example".into(), first.clone());
            }
        }
    }
    if let Some(media) = m.remove("contentMediaType") {
        let encoding = m.remove("contentEncoding");
        if !m.contains_key("format") && m.get("type").is_none_or(|t| t == "string") {
            let format = if encoding.as_ref().is_some_and(|e| e == "base64") {
                "byte"
            } else {
                "binary"
            };
            m.insert("type".into(), "string".into());
            m.insert("format".into(), format.into());
        }
        m.insert("x-content-media-type".into(), media);
    }
    if let Some(Value::Array(prefix)) = m.remove("prefixItems") {
        let mut distinct: Vec<Value> = Vec::new();
        for p in prefix.iter() {
            if !distinct.contains(p) {
                distinct.push(p.clone());
            }
        }
        let items = match distinct.len() {
            0 => json!({}),
            1 => distinct.remove(0),
            _ => json!({ "anyOf": distinct }),
        };
        if !matches!(src.get("items"), Some(Value::Object(_))) {
            m.insert("items".into(), items);
            m.entry("minItems").or_insert_with(|| prefix.len().into());
            m.entry("maxItems").or_insert_with(|| prefix.len().into());
        }
    }
    if matches!(m.get("items"), Some(Value::Bool(_))) {
        m.insert("items".into(), json!({}));
    }
    if m.get("type") == Some(&Value::from("array")) && !m.contains_key("items") {
        m.insert("items".into(), json!({}));
    }
    if nullable {
        m.insert("nullable".into(), true.into());
    }

    // Keywords 3.0 does not have become extensions, so nothing is lost and validators
    // accept the document.
    let unknown: Vec<String> = m
        .keys()
        .filter(|k| !k.starts_with("x-") && !OPENAPI30_KEYWORDS.contains(&k.as_str()))
        .cloned()
        .collect();
    for k in unknown {
        let v = m.remove(&k).unwrap_or(Value::Null);
        if !matches!(k.as_str(), "$schema" | "$id" | "$comment") {
            m.insert(format!("x-{}", k.trim_start_matches('$')), v);
        }
    }

    // A `$ref` with siblings: the reference moves into `allOf`.
    if m.contains_key("$ref") && m.len() > 1 {
        let r = m.remove("$ref").unwrap_or(Value::Null);
        let mut all = match m.remove("allOf") {
            Some(Value::Array(a)) => a,
            _ => Vec::new(),
        };
        all.insert(0, json!({ "$ref": r }));
        m.insert("allOf".into(), Value::Array(all));
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_forms() {
        assert_eq!(
            to_openapi30(&json!({"type": ["string", "null"], "title": "Q"})),
            json!({"type": "string", "title": "Q", "nullable": true})
        );
        assert_eq!(
            to_openapi30(
                &json!({"anyOf": [{"type": "integer", "exclusiveMinimum": 0}, {"type": "null"}], "title": "Limit"})
            ),
            json!({"title": "Limit", "type": "integer", "exclusiveMinimum": true, "minimum": 0, "nullable": true})
        );
        assert_eq!(
            to_openapi30(
                &json!({"oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}, {"type": "null"}]})
            ),
            json!({"oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}], "nullable": true})
        );
        assert_eq!(
            to_openapi30(&json!({"type": ["integer", "string"]})),
            json!({"anyOf": [{"type": "integer"}, {"type": "string"}]})
        );
    }

    #[test]
    fn keywords_3_0_lacks() {
        assert_eq!(
            to_openapi30(&json!({"type": "string", "const": "cat", "examples": ["cat", "dog"]})),
            json!({"type": "string", "enum": ["cat"], "example": "cat"})
        );
        assert_eq!(
            to_openapi30(&json!({"type": "number", "exclusiveMaximum": 10.5})),
            json!({"type": "number", "exclusiveMaximum": true, "maximum": 10.5})
        );
        assert_eq!(
            to_openapi30(
                &json!({"type": "string", "contentMediaType": "application/octet-stream"})
            ),
            json!({"type": "string", "format": "binary", "x-content-media-type": "application/octet-stream"})
        );
        assert_eq!(
            to_openapi30(&json!({"$ref": "#/components/schemas/Sort", "default": "asc"})),
            json!({"default": "asc", "allOf": [{"$ref": "#/components/schemas/Sort"}]})
        );
        assert_eq!(
            to_openapi30(
                &json!({"type": "array", "prefixItems": [{"type": "number"}, {"type": "number"}], "items": false})
            ),
            json!({"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2})
        );
        assert_eq!(
            to_openapi30(
                &json!({"type": "object", "unevaluatedProperties": false, "$comment": "x"})
            ),
            json!({"type": "object", "x-unevaluatedProperties": {"not": {}}})
        );
    }

    #[test]
    fn nested_schemas_are_translated_but_data_is_not() {
        let s = json!({
            "type": "object",
            "properties": {"tags": {"type": "array", "items": {"type": ["string", "null"]}}},
            "additionalProperties": {"const": 1},
            "default": {"type": ["string", "null"]}
        });
        assert_eq!(
            to_openapi30(&s),
            json!({
                "type": "object",
                "properties": {"tags": {"type": "array", "items": {"type": "string", "nullable": true}}},
                "additionalProperties": {"enum": [1]},
                "default": {"type": ["string", "null"]}
            })
        );
    }
}
