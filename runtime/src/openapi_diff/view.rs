//! One schema seen through its `$ref`s and `allOf`s: the keywords the rules read, with the
//! dialects made alike (`nullable: true` and `type: [x, "null"]`; `anyOf: [X, {type:
//! null}]`; 3.0's boolean and 3.1's numeric `exclusiveMaximum`; `const` as a one-value
//! `enum`).

use std::collections::{BTreeSet, HashSet};

use serde_json::{Map, Value};

use super::refs;
use super::{DiffError, Side};

/// How many `$ref`/`allOf` layers one schema may stack (beyond it the document is hostile).
const MAX_LAYERS: usize = 64;

/// A bound on a value: `maximum`, `minLength`, ...
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Bound {
    pub(super) value: f64,
    /// `exclusiveMaximum`/`exclusiveMinimum`: the value itself is outside.
    pub(super) exclusive: bool,
}

/// `additionalProperties`.
#[derive(Debug, Clone, Copy)]
pub(super) enum Additional<'a> {
    /// Absent or `true`.
    Any,
    /// `false`.
    Never,
    /// A schema the extra properties must match.
    Schema(&'a Value),
}

/// The keywords of one schema, merged over its layers (its own keywords first, then its
/// `$ref`'s target, then its `allOf` members: the first layer that sets a keyword wins;
/// properties and `required` are the union).
#[derive(Debug, Default)]
pub(super) struct View<'a> {
    /// The component name of the first `$ref` met.
    pub(super) name: Option<&'a str>,
    /// The types, without `"null"`; `None`: any type.
    pub(super) types: Option<BTreeSet<&'a str>>,
    pub(super) nullable: bool,
    /// `enum` (or `const`) without `null`.
    pub(super) enum_values: Option<Vec<&'a Value>>,
    pub(super) format: Option<&'a str>,
    pub(super) pattern: Option<&'a str>,
    pub(super) max_length: Option<Bound>,
    pub(super) min_length: Option<Bound>,
    pub(super) maximum: Option<Bound>,
    pub(super) minimum: Option<Bound>,
    pub(super) max_items: Option<Bound>,
    pub(super) min_items: Option<Bound>,
    pub(super) default: Option<&'a Value>,
    pub(super) properties: Vec<(&'a str, &'a Value)>,
    pub(super) required: HashSet<&'a str>,
    pub(super) additional: Option<Additional<'a>>,
    pub(super) items: Option<&'a Value>,
    /// `oneOf`/`anyOf` members other than `{type: null}`, when more than one is left.
    pub(super) union: Vec<&'a Value>,
    pub(super) union_kind: &'static str,
    /// The nodes that gave properties, `required`, `additionalProperties`, `items` or a
    /// union: when it is one node on both sides, comparing those is cached by node.
    deep_from: Vec<usize>,
    property_names: HashSet<&'a str>,
    seen: Vec<usize>,
}

impl<'a> View<'a> {
    /// The one node the nested keywords come from, if they come from exactly one.
    pub(super) fn deep_key(&self) -> Option<usize> {
        match self.deep_from.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// Whether the schema has nested keywords at all.
    pub(super) fn has_deep(&self) -> bool {
        !self.deep_from.is_empty()
    }
}

/// Builds the view of `schema`, a schema of `doc`.
pub(super) fn build<'a>(
    doc: &'a Value,
    side: Side,
    schema: &'a Value,
) -> Result<View<'a>, DiffError> {
    let mut view = View::default();
    layer(doc, side, schema, &mut view, 0)?;
    Ok(view)
}

/// Whether `schema` is `{type: "null"}`.
pub(super) fn is_null_schema(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("null")
}

/// Whether a (property) schema says `key: true` on itself.
pub(super) fn flag(schema: &Value, key: &str) -> bool {
    schema.get(key) == Some(&Value::Bool(true))
}

fn layer<'a>(
    doc: &'a Value,
    side: Side,
    node: &'a Value,
    view: &mut View<'a>,
    depth: usize,
) -> Result<(), DiffError> {
    if depth > MAX_LAYERS {
        return Err(DiffError::TooDeep {
            side: Some(side),
            limit: MAX_LAYERS,
        });
    }
    let id = node as *const Value as usize;
    if view.seen.contains(&id) {
        // `A: {allOf: [{$ref: A}, ...]}`: each layer counts once.
        return Ok(());
    }
    view.seen.push(id);
    let obj = match node {
        Value::Object(obj) => obj,
        // `false` accepts nothing; `true` and anything else, everything.
        Value::Bool(false) => {
            view.types.get_or_insert_with(BTreeSet::new);
            return Ok(());
        }
        _ => return Ok(()),
    };
    scalars(obj, view);
    let mut deep = false;
    if let Some(Value::Object(props)) = obj.get("properties") {
        for (name, schema) in props {
            if view.property_names.insert(name) {
                view.properties.push((name, schema));
            }
        }
        deep = true;
    }
    if let Some(Value::Array(required)) = obj.get("required") {
        view.required
            .extend(required.iter().filter_map(Value::as_str));
        deep = true;
    }
    if let Some(extra) = obj.get("additionalProperties") {
        if view.additional.is_none() {
            view.additional = Some(match extra {
                Value::Bool(false) => Additional::Never,
                Value::Object(_) => Additional::Schema(extra),
                _ => Additional::Any,
            });
        }
        deep = true;
    }
    if let Some(items) = obj.get("items").filter(|i| i.is_object() || i.is_boolean()) {
        if view.items.is_none() {
            view.items = Some(items);
        }
        deep = true;
    }
    for kind in ["oneOf", "anyOf"] {
        let Some(Value::Array(members)) = obj.get(kind) else {
            continue;
        };
        let others: Vec<&Value> = members.iter().filter(|m| !is_null_schema(m)).collect();
        if others.len() < members.len() {
            view.nullable = true;
        }
        match others.as_slice() {
            // `anyOf: [X, {type: null}]` is X, nullable.
            [one] => layer(doc, side, one, view, depth + 1)?,
            [] => {}
            _ if view.union.is_empty() => {
                view.union = others;
                view.union_kind = if kind == "oneOf" { "oneOf" } else { "anyOf" };
                deep = true;
            }
            _ => {}
        }
    }
    if deep {
        view.deep_from.push(id);
    }
    if let Some(reference) = obj.get("$ref").and_then(Value::as_str) {
        let target = refs::lookup(doc, side, reference)?;
        view.name.get_or_insert(refs::short_name(reference));
        layer(doc, side, target, view, depth + 1)?;
    }
    if let Some(Value::Array(members)) = obj.get("allOf") {
        for member in members {
            layer(doc, side, member, view, depth + 1)?;
        }
    }
    Ok(())
}

/// The keywords of one node that are single values: the first layer setting one wins.
fn scalars<'a>(obj: &'a Map<String, Value>, view: &mut View<'a>) {
    if obj.get("nullable") == Some(&Value::Bool(true)) {
        view.nullable = true;
    }
    match obj.get("type") {
        Some(Value::String(t)) if t == "null" => {
            view.nullable = true;
            view.types.get_or_insert_with(BTreeSet::new);
        }
        Some(Value::String(t)) => {
            view.types
                .get_or_insert_with(|| BTreeSet::from([t.as_str()]));
        }
        Some(Value::Array(ts)) => {
            if ts.iter().any(|t| t == "null") {
                view.nullable = true;
            }
            let set = ts
                .iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null")
                .collect();
            view.types.get_or_insert(set);
        }
        _ => {}
    }
    let values = match (obj.get("enum"), obj.get("const")) {
        (Some(Value::Array(values)), _) => Some(values.iter().collect::<Vec<_>>()),
        (_, Some(value)) => Some(vec![value]),
        _ => None,
    };
    if let (Some(values), None) = (values, &view.enum_values) {
        if values.iter().any(|v| v.is_null()) {
            view.nullable = true;
        }
        view.enum_values = Some(values.into_iter().filter(|v| !v.is_null()).collect());
    }
    let text = |key| obj.get(key).and_then(Value::as_str);
    // 3.1 spells 3.0's `format: binary` and `format: byte` with content keywords.
    let content = match (text("contentEncoding"), text("contentMediaType")) {
        (Some("base64"), _) => Some("byte"),
        (_, Some(_)) => Some("binary"),
        _ => None,
    };
    view.format = view.format.or(text("format")).or(content);
    view.pattern = view.pattern.or(text("pattern"));
    let plain = |key| {
        obj.get(key).and_then(Value::as_f64).map(|value| Bound {
            value,
            exclusive: false,
        })
    };
    view.max_length = view.max_length.or(plain("maxLength"));
    view.min_length = view.min_length.or(plain("minLength"));
    view.max_items = view.max_items.or(plain("maxItems"));
    view.min_items = view.min_items.or(plain("minItems"));
    view.maximum = view
        .maximum
        .or(bound(obj, "maximum", "exclusiveMaximum", true));
    view.minimum = view
        .minimum
        .or(bound(obj, "minimum", "exclusiveMinimum", false));
    view.default = view.default.or(obj.get("default"));
}

/// `maximum` with 3.0's boolean or 3.1's numeric `exclusiveMaximum` (the tighter of the two
/// when both are numbers); the same for minimums.
fn bound(obj: &Map<String, Value>, inclusive: &str, exclusive: &str, upper: bool) -> Option<Bound> {
    let plain = obj.get(inclusive).and_then(Value::as_f64);
    match obj.get(exclusive) {
        Some(Value::Bool(true)) => plain.map(|value| Bound {
            value,
            exclusive: true,
        }),
        Some(Value::Number(n)) => {
            let strict = n.as_f64()?;
            match plain {
                Some(p) if (upper && p < strict) || (!upper && p > strict) => Some(Bound {
                    value: p,
                    exclusive: false,
                }),
                _ => Some(Bound {
                    value: strict,
                    exclusive: true,
                }),
            }
        }
        _ => plain.map(|value| Bound {
            value,
            exclusive: false,
        }),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{build, Bound, Side};

    #[test]
    fn dialects_read_alike() {
        let doc = json!({});
        let v30 =
            json!({"type": "number", "nullable": true, "maximum": 5, "exclusiveMaximum": true});
        let v31 = json!({"type": ["number", "null"], "exclusiveMaximum": 5});
        let (a, b) = (
            build(&doc, Side::Old, &v30).unwrap(),
            build(&doc, Side::New, &v31).unwrap(),
        );
        assert_eq!((a.nullable, a.types.clone()), (b.nullable, b.types.clone()));
        assert_eq!(
            a.maximum,
            Some(Bound {
                value: 5.0,
                exclusive: true
            })
        );
        assert_eq!(a.maximum, b.maximum);
        // Both bounds in 3.1: the tighter one.
        let both = json!({"maximum": 3, "exclusiveMaximum": 5});
        let v = build(&doc, Side::New, &both).unwrap();
        assert_eq!(
            v.maximum,
            Some(Bound {
                value: 3.0,
                exclusive: false
            })
        );
        // `const` is a one-value enum; `null` in an enum is nullability.
        let c = json!({"enum": ["a", null]});
        let v = build(&doc, Side::New, &c).unwrap();
        assert!(v.nullable);
        assert_eq!(v.enum_values, Some(vec![&json!("a")]));
    }

    #[test]
    fn refs_and_all_of_merge() {
        let doc = json!({"components": {"schemas": {
            "Base": {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]},
        }}});
        let s =
            json!({"allOf": [{"$ref": "#/components/schemas/Base"}, {"properties": {"x": {}}}]});
        let v = build(&doc, Side::Old, &s).unwrap();
        assert_eq!(v.name, Some("Base"));
        let names: Vec<&str> = v.properties.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["id", "x"]);
        assert!(v.required.contains("id"));
        // Two nodes gave properties: not cached by node.
        assert_eq!(v.deep_key(), None);
        let missing = json!({"$ref": "#/components/schemas/Nope"});
        assert!(build(&doc, Side::Old, &missing).is_err());
    }
}
