//! Separate input and output schemas, as FastAPI writes them (`Price-Input`,
//! `Price-Output`).
//!
//! A schema node that is read in one form and written in another carries its written form
//! in the extension `x-ferrapi-output` (a `Decimal` is read from a number or a string and
//! written as a string). A component holding such a node, directly or through another
//! component, is split in two: `Name-Input` (what requests carry) and `Name-Output` (what
//! answers carry, every marked node replaced by its written form); request bodies and
//! parameters refer to the first, responses to the second. Every other component is left
//! as it is, and the markers are removed.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{Api, Schema};

/// The extension that carries a node's written form.
pub const OUTPUT_FORM: &str = "x-ferrapi-output";

const REF_PREFIX: &str = "#/components/schemas/";

fn refs_of(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                if let Some(name) = r.strip_prefix(REF_PREFIX) {
                    out.insert(name.to_string());
                }
            }
            m.values().for_each(|v| refs_of(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| refs_of(v, out)),
        _ => {}
    }
}

fn has_marker(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.contains_key(OUTPUT_FORM) || m.values().any(has_marker),
        Value::Array(a) => a.iter().any(has_marker),
        _ => false,
    }
}

/// `v` in one mode: markers removed (input), or marked nodes replaced by their written
/// form (output); references to split components renamed with the mode's suffix.
fn in_mode(v: &mut Value, output: bool, split: &BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            if let Some(form) = m.remove(OUTPUT_FORM) {
                if output {
                    *v = form;
                    return in_mode(v, output, split);
                }
            }
            if let Some(Value::String(r)) = m.get_mut("$ref") {
                if let Some(name) = r.strip_prefix(REF_PREFIX) {
                    if split.contains(name) {
                        let suffix = if output { "Output" } else { "Input" };
                        *r = format!("{REF_PREFIX}{name}-{suffix}");
                    }
                }
            }
            m.values_mut().for_each(|v| in_mode(v, output, split));
        }
        Value::Array(a) => a.iter_mut().for_each(|v| in_mode(v, output, split)),
        _ => {}
    }
}

/// Splits the components whose input and output schemas differ, and points every use at
/// the right one. `titles` gets each new component's title (the model's own).
pub fn split_input_output(api: &mut Api, titles: &mut BTreeMap<String, String>) {
    // The components that differ: marked ones, then those that refer to one.
    let mut split: BTreeSet<String> = api
        .schemas
        .iter()
        .filter(|(_, s)| has_marker(s.as_value()))
        .map(|(n, _)| n.clone())
        .collect();
    loop {
        let more: Vec<String> = api
            .schemas
            .iter()
            .filter(|(n, _)| !split.contains(*n))
            .filter(|(_, s)| {
                let mut r = BTreeSet::new();
                refs_of(s.as_value(), &mut r);
                r.iter().any(|x| split.contains(x))
            })
            .map(|(n, _)| n.clone())
            .collect();
        if more.is_empty() {
            break;
        }
        split.extend(more);
    }
    for name in &split {
        let Some(schema) = api.schemas.remove(name) else {
            continue;
        };
        let title = titles.remove(name).unwrap_or_else(|| name.clone());
        for (output, suffix) in [(false, "Input"), (true, "Output")] {
            let mut v = schema.as_value().clone();
            in_mode(&mut v, output, &split);
            let new = format!("{name}-{suffix}");
            titles.insert(new.clone(), title.clone());
            api.schemas.insert(new, Schema::new(v));
        }
    }
    for s in api.schemas.values_mut() {
        in_mode(s.as_value_mut(), false, &BTreeSet::new());
    }
    for op in &mut api.operations {
        for p in &mut op.parameters {
            in_mode(p.schema.as_value_mut(), false, &split);
        }
        if let Some(b) = &mut op.request_body {
            for m in &mut b.content {
                in_mode(m.schema.as_value_mut(), false, &split);
            }
        }
        for (_, r) in &mut op.responses.0 {
            for m in &mut r.content {
                in_mode(m.schema.as_value_mut(), true, &split);
                if let Some(s) = &mut m.stream {
                    in_mode(s.item.as_value_mut(), true, &split);
                }
            }
        }
        // Anything else (WebSocket messages) in its input form.
        op.for_each_schema_mut(&mut |s| in_mode(s.as_value_mut(), false, &split));
    }
}
