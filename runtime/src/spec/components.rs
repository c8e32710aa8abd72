//! The context that collects shared definitions while operations are described: named
//! schemas (from [`ToSchema`](crate::ToSchema)) and security schemes.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::literal::{lit, Lit};
use super::{Api, Schema, SecurityScheme};

/// Shared state while describing operations: the named schemas and security schemes
/// collected so far.
///
/// ```
/// use ferrapi::spec::DocCtx;
///
/// let mut ctx = DocCtx::default();
/// let schema = ctx.schema_of::<Vec<i64>>();
/// assert_eq!(schema["type"], "array");
/// ```
#[derive(Debug, Default, Clone)]
pub struct DocCtx {
    /// Named schemas (`components.schemas`).
    pub schemas: BTreeMap<String, Schema>,
    /// Security schemes, in the order first used.
    pub security_schemes: Vec<(String, SecurityScheme)>,
    /// Component names given two different schemas (two models with one name).
    pub conflicts: Vec<String>,
}

/// A property that pydantic writes without a title: a `$ref`, or a nullable one.
fn is_reference_like(p: &serde_json::Map<String, Value>) -> bool {
    if p.contains_key("$ref") {
        return true;
    }
    let alts = p
        .get("anyOf")
        .or_else(|| p.get("oneOf"))
        .and_then(Value::as_array);
    match alts.map(Vec::as_slice) {
        Some([a, b]) => {
            let is_ref = |v: &Value| v.get("$ref").is_some();
            let is_null = |v: &Value| v.get("type") == Some(&Value::from("null"));
            (is_ref(a) && is_null(b)) || (is_null(a) && is_ref(b))
        }
        _ => false,
    }
}

/// Python's `str.title()` of a field name with `_` as spaces, as pydantic titles fields:
/// `weight_kg` -> `Weight Kg`, `userName` -> `Username`.
pub(crate) fn python_title(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut start = true;
    for c in name.replace('_', " ").chars() {
        if c.is_alphabetic() {
            if start {
                out.extend(c.to_uppercase());
            } else {
                out.extend(c.to_lowercase());
            }
            start = false;
        } else {
            out.push(c);
            start = true;
        }
    }
    out
}

/// A component name made safe for `$ref` as pydantic makes it: every other character
/// becomes `_`, so `Page<Item>` is `Page_Item_` (FastAPI's `Page[Item]`), and
/// `Pair<A, B>` is `Pair_A__B_` (`Pair[A, B]`).
pub fn component_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        match c {
            c if c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.' => out.push(c),
            // Python writes `Pair[A, B]`: the comma and its space.
            ',' => out.push_str("__"),
            ' ' => {}
            _ => out.push('_'),
        }
    }
    out
}

/// A schema as the description keeps it: an internally tagged enum's `oneOf` gets its
/// `discriminator`.
fn prepared(mut schema: Value) -> Value {
    add_discriminator(&mut schema);
    schema
}

/// `my_crate::models::Page<my_crate::Item>` -> `Page<Item>`.
pub fn readable_type_name(full: &str) -> String {
    let mut out = String::new();
    let mut segment = String::new();
    for c in full.chars() {
        if c.is_alphanumeric() || c == '_' || c == ':' {
            segment.push(c);
        } else {
            out.push_str(segment.rsplit("::").next().unwrap_or(""));
            segment.clear();
            out.push(c);
        }
    }
    out.push_str(segment.rsplit("::").next().unwrap_or(""));
    out.replace(' ', "")
}

/// Adds `discriminator: {propertyName}` to a `oneOf` whose alternatives all require the
/// same property with one constant string value: serde's internally tagged enums.
pub fn add_discriminator(schema: &mut Value) {
    let Some(Value::Array(alts)) = schema.get("oneOf") else {
        return;
    };
    if alts.len() < 2 || schema.get("discriminator").is_some() {
        return;
    }
    let tag_of = |alt: &Value, prop: &str| -> Option<String> {
        let required = alt.get("required")?.as_array()?.iter().any(|r| r == prop);
        let p = alt.get("properties")?.get(prop)?;
        let value = match p.get("enum").and_then(Value::as_array) {
            Some(e) if e.len() == 1 => e[0].as_str()?.to_string(),
            _ => p.get("const")?.as_str()?.to_string(),
        };
        required.then_some(value)
    };
    let Some(Value::Object(first_props)) = alts[0].get("properties") else {
        return;
    };
    let found = first_props
        .keys()
        .find(|k| alts.iter().all(|a| tag_of(a, k).is_some()))
        .cloned();
    if let Some(prop) = found {
        schema["discriminator"] = json!({ "propertyName": prop });
    }
}

impl DocCtx {
    /// The schema to use for `T`: a `$ref` to its component for models and enums (which
    /// are registered, with everything they refer to), the inline schema for numbers,
    /// strings, lists and maps.
    pub fn schema_of<T: crate::ToSchema + ?Sized>(&mut self) -> Schema {
        self.schema_from(T::schemas, T::schema, T::name)
    }

    /// [`schema_of`](Self::schema_of) without the type: compiled once, not per model.
    fn schema_from(
        &mut self,
        schemas: fn(&mut Vec<(String, Value)>),
        schema: fn() -> Value,
        name: fn() -> Option<std::borrow::Cow<'static, str>>,
    ) -> Schema {
        let mut deps = Vec::new();
        schemas(&mut deps);
        for (name, schema) in deps {
            self.register(name, prepared(schema));
        }
        let schema = prepared(schema());
        match name() {
            Some(name) => {
                self.register(name.to_string(), schema);
                Schema::reference(&name)
            }
            None => Schema::new(schema),
        }
    }

    /// Registers a component, noting a conflict when the name already has another schema.
    fn register(&mut self, name: String, schema: Value) {
        match self.schemas.get(&name) {
            Some(existing) if *existing.as_value() != schema => {
                if !self.conflicts.contains(&name) {
                    self.conflicts.push(name);
                }
            }
            Some(_) => {}
            None => {
                self.schemas.insert(name, Schema::new(schema));
            }
        }
    }

    /// Registers a component schema under `name` (kept if one is already there).
    pub fn add_schema(&mut self, name: impl Into<String>, schema: impl Into<Schema>) {
        self.schemas.entry(name.into()).or_insert(schema.into());
    }

    /// Registers a security scheme under `name` (kept if one is already there).
    pub fn add_security_scheme(&mut self, name: impl Into<String>, scheme: SecurityScheme) {
        let name = name.into();
        if !self.security_schemes.iter().any(|(n, _)| *n == name) {
            self.security_schemes.push((name, scheme));
        }
    }

    /// Registers FastAPI's `HTTPValidationError` and `ValidationError` components, the
    /// body of every 422.
    pub fn add_validation_components(&mut self) {
        const HTTP_VALIDATION_ERROR: Lit = lit!({
            "properties": {"detail": {"items": {"$ref": "#/components/schemas/ValidationError"}, "type": "array", "title": "Detail"}},
            "type": "object",
            "title": "HTTPValidationError"
        });
        const VALIDATION_ERROR: Lit = lit!({
            "properties": {
                "loc": {"items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}, "type": "array", "title": "Location"},
                "msg": {"type": "string", "title": "Message"},
                "type": {"type": "string", "title": "Error Type"},
                "input": {"title": "Input"},
                "ctx": {"type": "object", "title": "Context"}
            },
            "type": "object",
            "required": ["loc", "msg", "type"],
            "title": "ValidationError"
        });
        for (name, schema) in [
            ("HTTPValidationError", HTTP_VALIDATION_ERROR),
            ("ValidationError", VALIDATION_ERROR),
        ] {
            if !self.schemas.contains_key(name) {
                self.schemas
                    .insert(name.into(), Schema::new(schema.to_value()));
            }
        }
    }

    /// Gives every component and its properties the `title`s pydantic gives them: the model's
    /// name (`titles` has those of split `-Input`/`-Output` forms; a generic model's
    /// `Page[Item]` is written by its derive), and each property's name in title case
    /// (`weight_kg` -> `Weight Kg`), except a property that is a reference (or a nullable
    /// one), as pydantic leaves those untitled. Titles already written are kept.
    pub fn add_titles(api: &mut Api, titles: &BTreeMap<String, String>) {
        for (name, schema) in api.schemas.iter_mut() {
            let Value::Object(m) = schema.as_value_mut() else {
                continue;
            };
            if !m.contains_key("title") {
                let title = titles.get(name).cloned().unwrap_or_else(|| name.clone());
                m.insert("title".into(), title.into());
            }
            if let Some(Value::Object(props)) = m.get_mut("properties") {
                for (pname, prop) in props.iter_mut() {
                    if let Value::Object(p) = prop {
                        if !p.contains_key("title") && !is_reference_like(p) {
                            p.insert("title".into(), python_title(pname).into());
                        }
                    }
                }
            }
        }
    }
}

/// The title FastAPI gives a parameter schema: `max_price` -> `Max Price`, `sku-code` -> `Sku-Code`.
pub fn title_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = true;
    for c in name.chars() {
        if c == '_' {
            out.push(' ');
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
            upper = !c.is_alphanumeric();
        }
    }
    out
}

impl DocCtx {
    /// Completes an operation once everything has described itself: the body made of
    /// separate fields becomes the component `Body_{operationId}`, and an operation whose
    /// inputs can fail gets FastAPI's 422 response.
    pub fn finish_operation(&mut self, op: &mut super::Operation) {
        if let Some(body) = op.request_body.as_mut().filter(|b| b.from_fields) {
            let name = component_name(&format!("Body_{}", op.operation_id));
            for media in &mut body.content {
                if media.schema.component().is_some() {
                    continue;
                }
                let mut inline = std::mem::replace(&mut media.schema, Schema::reference(&name));
                inline["title"] = name.clone().into();
                self.add_schema(name.clone(), inline);
            }
        }
        if op.validates && !op.responses.contains("422") {
            self.add_validation_components();
            op.responses.set(
                "422",
                super::Response::with_body(
                    "Validation Error",
                    super::MediaType::new(
                        "application/json",
                        Schema::reference("HTTPValidationError"),
                    ),
                ),
            );
        }
        // Successes first, as declared; then the errors by status; `default` last.
        op.responses
            .0
            .sort_by_key(|(status, _)| match status.as_bytes().first() {
                Some(b'1'..=b'3') => (0, String::new()),
                Some(b'4' | b'5') => (1, status.clone()),
                _ => (2, String::new()),
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_component_names() {
        assert_eq!(component_name("Page<Item>"), "Page_Item_");
        assert_eq!(readable_type_name("a::b::Page<a::Item>"), "Page<Item>");
        assert_eq!(
            component_name(&readable_type_name("x::Pair<x::A, y::B>")),
            "Pair_A__B_"
        );
        assert_eq!(title_case("max_price"), "Max Price");
        assert_eq!(title_case("sku-code"), "Sku-Code");
    }
}
