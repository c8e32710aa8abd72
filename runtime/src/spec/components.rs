//! The context that collects shared definitions while operations are described: named
//! schemas (from utoipa's `ToSchema`) and security schemes.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::schema::collect_refs;
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
    /// The title of a component whose name is not its title (`Page_Item_` is
    /// `Page[Item]`, as pydantic titles a generic model).
    pub titles: BTreeMap<String, String>,
}

/// A `#[model]` type's schema functions, collected from every crate at link time so the
/// description can add components that utoipa only refers to (a generic model's type
/// argument) and reference models it inlined (`Vec<Item>`).
#[derive(Debug, Clone, Copy)]
pub struct ModelSchema {
    /// `ToSchema::name`.
    pub name: fn() -> std::borrow::Cow<'static, str>,
    /// `PartialSchema::schema`.
    pub schema: fn() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
    /// `ToSchema::schemas`.
    pub deps: fn(
        &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ),
}

inventory::collect!(ModelSchema);

fn utoipa_value<T: serde::Serialize>(schema: T) -> Value {
    let mut v = serde_json::to_value(schema).unwrap_or(Value::Null);
    add_discriminator(&mut v);
    tidy(&mut v);
    v
}

/// What utoipa writes and pydantic does not, or cannot write itself: removes
/// `propertyNames: {"type": "string"}` from maps (JSON keys are always strings), and turns
/// the extension `x-ferrapi-title` (a model field's `#[field(title = ...)]`) into `title`.
fn tidy(v: &mut Value) {
    match v {
        Value::Object(o) => {
            if o.get("propertyNames") == Some(&json!({"type": "string"})) {
                o.remove("propertyNames");
            }
            if let Some(t) = o.remove("x-ferrapi-title") {
                o.insert("title".into(), t);
            }
            o.values_mut().for_each(tidy);
        }
        Value::Array(a) => a.iter_mut().for_each(tidy),
        _ => {}
    }
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

/// Whether a type name is one of the standard containers, whose schemas stay inline.
fn is_std_container(full: &str) -> bool {
    const STD: &[&str] = &[
        "core::option::Option",
        "alloc::vec::Vec",
        "alloc::boxed::Box",
        "alloc::sync::Arc",
        "alloc::rc::Rc",
        "alloc::borrow::Cow",
        "alloc::collections::",
        "std::collections::",
        "alloc::string::String",
        "core::cell::",
    ];
    let head = full.split('<').next().unwrap_or(full);
    STD.iter().any(|p| head.starts_with(p))
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

fn is_component_worthy(schema: &Value) -> bool {
    match schema {
        Value::Object(m) => {
            m.contains_key("properties")
                || m.contains_key("oneOf")
                || m.contains_key("allOf")
                || (m.contains_key("enum") && m.get("type") != Some(&Value::from("boolean")))
        }
        _ => false,
    }
}

impl DocCtx {
    /// The schema to use for `T`: a `$ref` to a component for models and enums (which are
    /// registered, with everything they refer to), the inline schema for primitives, lists
    /// and maps.
    pub fn schema_of<T: utoipa::ToSchema>(&mut self) -> Schema {
        self.schema_from(
            T::schemas,
            <T as utoipa::PartialSchema>::schema,
            T::name,
            std::any::type_name::<T>(),
        )
    }

    /// [`schema_of`](Self::schema_of) without the type: compiled once, not per model.
    fn schema_from(
        &mut self,
        schemas: fn(
            &mut Vec<(
                String,
                utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
            )>,
        ),
        schema: fn() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        name: fn() -> std::borrow::Cow<'static, str>,
        full: &str,
    ) -> Schema {
        let mut deps = Vec::new();
        schemas(&mut deps);
        for (name, schema) in deps {
            self.register(component_name(&name), utoipa_value(schema));
        }
        let schema = utoipa_value(schema());
        if is_component_worthy(&schema) && !is_std_container(full) {
            // Generic models get FastAPI's names: `Page<Item>` -> `Page_Item_`.
            let name = if full.contains('<') {
                let readable = readable_type_name(full);
                let name = component_name(&readable);
                let title = readable
                    .replace('<', "[")
                    .replace('>', "]")
                    .replace(',', ", ");
                self.titles.insert(name.clone(), title);
                name
            } else {
                component_name(&name())
            };
            self.register(name.clone(), schema);
            Schema::reference(&name)
        } else {
            Schema::new(schema)
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
        self.schemas.entry("HTTPValidationError".into()).or_insert_with(|| {
            Schema::new(json!({
                "properties": {"detail": {"items": {"$ref": "#/components/schemas/ValidationError"}, "type": "array", "title": "Detail"}},
                "type": "object",
                "title": "HTTPValidationError"
            }))
        });
        self.schemas.entry("ValidationError".into()).or_insert_with(|| {
            Schema::new(json!({
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
            }))
        });
    }

    /// Adds the components that are referred to but missing (the type argument of a generic
    /// model, documented by utoipa as a `$ref` only), from the `#[model]` registry.
    pub fn add_missing_components(&mut self, api: &mut Api) {
        loop {
            let mut refs = Vec::new();
            api.for_each_schema_mut(&mut |s| collect_refs(s, &mut refs));
            for s in self.schemas.values() {
                collect_refs(s, &mut refs);
            }
            let missing: Vec<String> = refs
                .into_iter()
                .filter(|r| !self.schemas.contains_key(r))
                .collect();
            if missing.is_empty() {
                return;
            }
            let mut added = false;
            for m in inventory::iter::<ModelSchema> {
                let name = component_name(&(m.name)());
                if missing.contains(&name) && !self.schemas.contains_key(&name) {
                    let mut deps = Vec::new();
                    (m.deps)(&mut deps);
                    for (n, s) in deps {
                        self.register(component_name(&n), utoipa_value(s));
                    }
                    self.register(name, utoipa_value((m.schema)()));
                    added = true;
                }
            }
            if !added {
                return;
            }
        }
    }

    /// Gives every component and its properties the `title`s pydantic gives them: the model's
    /// name (`Page[Item]` for a generic one), and each property's name in title case
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

    /// Replaces inline copies of registered model schemas (utoipa inlines the items of
    /// `Vec<Item>`) with `$ref`s to their components, as FastAPI writes them.
    pub fn reference_inline_models(api: &mut Api) {
        let models: Vec<(String, Value)> = inventory::iter::<ModelSchema>
            .into_iter()
            .filter_map(|m| {
                let name = component_name(&(m.name)());
                let schema = api.schemas.get(&name)?.as_value().clone();
                (is_component_worthy(&schema)).then_some((name, schema))
            })
            .collect();
        if models.is_empty() {
            return;
        }
        fn walk(v: &mut Value, models: &[(String, Value)], root: bool) {
            if !root {
                if let Some((name, _)) = models.iter().find(|(_, s)| s == v) {
                    *v = json!({ "$ref": format!("#/components/schemas/{name}") });
                    return;
                }
            }
            match v {
                Value::Object(m) => {
                    for (_, child) in m.iter_mut() {
                        walk(child, models, false);
                    }
                }
                Value::Array(a) => {
                    for child in a.iter_mut() {
                        walk(child, models, false);
                    }
                }
                _ => {}
            }
        }
        for op in &mut api.operations {
            op.for_each_schema_mut(&mut |s| walk(s.as_value_mut(), &models, false));
        }
        for s in api.schemas.values_mut() {
            // A component's own root stays; what it contains may become a reference.
            walk(s.as_value_mut(), &models, true);
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
