//! Assembly of the OpenAPI 3.1 document.
//!
//! Each endpoint writes its operation into an [`OperationDoc`] at start-up: the macro adds
//! what the signature says (parameters, their constraints, the route's options), and the
//! types add the rest through traits ([`ApiInput`], [`ApiResponse`](crate::ApiResponse),
//! `utoipa::ToSchema`). The [`App`](crate::App) then assembles the document once and
//! serves the serialized bytes.
//!
//! ```
//! use ferrapi::openapi::DocCtx;
//!
//! let mut ctx = DocCtx::default();
//! let schema = ctx.schema_of::<Vec<i64>>();
//! assert_eq!(schema["type"], "array");
//! ```

use http::StatusCode;
use serde_json::{json, Map, Value};

/// Shared state while documenting operations: the component schemas and security schemes
/// collected so far.
#[derive(Debug, Default, Clone)]
pub struct DocCtx {
    /// `components.schemas`.
    pub schemas: Map<String, Value>,
    /// `components.securitySchemes`.
    pub security_schemes: Map<String, Value>,
    /// Type names of `State<T>` values some handler needs, checked at start-up.
    pub required_state: Vec<(std::any::TypeId, &'static str)>,
    /// Component names given two different schemas (two models with one name).
    pub conflicts: Vec<String>,
}

/// A `#[model]` type's schema functions, collected from every crate at link time so the
/// document can add components that utoipa only refers to (a generic model's type
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

/// A component name made safe for `$ref`: `Page<Item>` -> `Page_Item`.
pub fn component_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.' {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

/// Every `#/components/schemas/X` reference in `v`, as `X`.
fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                if let Some(name) = r.strip_prefix("#/components/schemas/") {
                    if !out.iter().any(|o| o == name) {
                        out.push(name.to_string());
                    }
                }
            }
            for child in m.values() {
                collect_refs(child, out);
            }
        }
        Value::Array(a) => {
            for child in a {
                collect_refs(child, out);
            }
        }
        _ => {}
    }
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
    pub fn schema_of<T: utoipa::ToSchema>(&mut self) -> Value {
        let mut deps = Vec::new();
        T::schemas(&mut deps);
        for (name, schema) in deps {
            let mut schema = serde_json::to_value(schema).unwrap_or(Value::Null);
            add_discriminator(&mut schema);
            self.register(component_name(&name), schema);
        }
        let mut schema = serde_json::to_value(T::schema()).unwrap_or(Value::Null);
        add_discriminator(&mut schema);
        let full = std::any::type_name::<T>();
        let std_wrapper = is_std_container(full);
        if is_component_worthy(&schema) && !std_wrapper {
            // Generic models get readable names: `Page<Item>` -> `Page_Item`.
            let name = if full.contains('<') {
                component_name(&readable_type_name(full))
            } else {
                component_name(&T::name())
            };
            self.register(name.clone(), schema);
            json!({ "$ref": format!("#/components/schemas/{name}") })
        } else {
            schema
        }
    }

    /// Registers a component, noting a conflict when the name already has another schema.
    fn register(&mut self, name: String, schema: Value) {
        match self.schemas.get(&name) {
            Some(existing) if *existing != schema => {
                if !self.conflicts.contains(&name) {
                    self.conflicts.push(name);
                }
            }
            Some(_) => {}
            None => {
                self.schemas.insert(name, schema);
            }
        }
    }

    /// Adds the components that are referred to but missing (the type argument of a generic
    /// model, documented by utoipa as a `$ref` only), from the `#[model]` registry.
    pub fn add_missing_components(&mut self, doc: &Value) {
        loop {
            let mut refs = Vec::new();
            collect_refs(doc, &mut refs);
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
                        let mut s = serde_json::to_value(s).unwrap_or(Value::Null);
                        add_discriminator(&mut s);
                        self.register(component_name(&n), s);
                    }
                    let mut schema = serde_json::to_value((m.schema)()).unwrap_or(Value::Null);
                    add_discriminator(&mut schema);
                    self.register(name, schema);
                    added = true;
                }
            }
            if !added {
                return;
            }
        }
    }

    /// Replaces inline copies of registered model schemas (utoipa inlines the items of
    /// `Vec<Item>`) with `$ref`s to their components, as FastAPI writes them.
    pub fn reference_inline_models(&self, doc: &mut Value) {
        let models: Vec<(String, Value)> = inventory::iter::<ModelSchema>
            .into_iter()
            .filter_map(|m| {
                let name = component_name(&(m.name)());
                let schema = self.schemas.get(&name)?.clone();
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
        if let Some(paths) = doc.get_mut("paths") {
            walk(paths, &models, true);
        }
        if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
            for (_, s) in schemas.iter_mut() {
                // A component's own root stays; what it contains may become a reference.
                walk(s, &models, true);
            }
        }
    }

    /// Registers a component schema under `name` (kept if one is already there).
    pub fn add_schema(&mut self, name: impl Into<String>, schema: Value) {
        self.schemas.entry(name.into()).or_insert(schema);
    }

    /// Registers a security scheme under `name`.
    pub fn add_security_scheme(&mut self, name: impl Into<String>, scheme: Value) {
        self.security_schemes.entry(name.into()).or_insert(scheme);
    }

    pub(crate) fn add_validation_components(&mut self) {
        self.schemas.entry("HTTPValidationError").or_insert_with(|| {
            json!({
                "properties": {"detail": {"items": {"$ref": "#/components/schemas/ValidationError"}, "type": "array", "title": "Detail"}},
                "type": "object",
                "title": "HTTPValidationError"
            })
        });
        self.schemas.entry("ValidationError").or_insert_with(|| {
            json!({
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
            })
        });
    }
}

/// The responses of one operation, in the order they were added.
#[derive(Debug, Default, Clone)]
pub struct ResponseDoc {
    /// Status code (or `"default"`, `"5XX"`) to response object.
    pub responses: Map<String, Value>,
}

impl ResponseDoc {
    /// A JSON response with a schema. A second call for the same status keeps the first.
    pub fn json(&mut self, status: StatusCode, description: &str, schema: Value) {
        self.content(status, description, "application/json", schema)
    }

    /// A response with one media type.
    pub fn content(&mut self, status: StatusCode, description: &str, media: &str, schema: Value) {
        self.responses
            .entry(status.as_u16().to_string())
            .or_insert_with(
                || json!({"description": description, "content": {media: {"schema": schema}}}),
            );
    }

    /// A response without a body.
    pub fn empty(&mut self, status: StatusCode, description: &str) {
        self.responses
            .entry(status.as_u16().to_string())
            .or_insert_with(|| json!({ "description": description }));
    }

    /// Declares a header of the response for `status` (which must already be documented:
    /// a status without a response is left alone).
    pub fn header(&mut self, status: StatusCode, name: &str, description: &str, schema: Value) {
        if let Some(Value::Object(r)) = self.responses.get_mut(status.as_u16().to_string().as_str())
        {
            let headers = r.entry("headers").or_insert_with(|| json!({}));
            if let Value::Object(h) = headers {
                h.insert(
                    name.to_string(),
                    json!({"description": description, "schema": schema}),
                );
            }
        }
    }

    /// Sets (replacing) the response for a status key.
    pub fn set(&mut self, key: impl Into<String>, response: Value) {
        self.responses.insert(key.into(), response);
    }
}

/// One operation being documented.
#[derive(Debug, Default, Clone)]
pub struct OperationDoc {
    /// `tags`.
    pub tags: Vec<String>,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `operationId`.
    pub operation_id: String,
    /// `deprecated`.
    pub deprecated: bool,
    /// `security` requirements.
    pub security: Vec<Value>,
    /// `parameters`.
    pub parameters: Vec<Value>,
    /// `requestBody`.
    pub request_body: Option<Value>,
    /// `responses`.
    pub responses: ResponseDoc,
    /// True when some input can fail validation: a 422 response is then documented.
    pub has_validation: bool,
    /// Scopes the operation requires (route and router `scopes`), used by OAuth2 schemes
    /// in the security requirement.
    pub scopes: Vec<String>,
    /// True when an input queues work for after the response (background tasks, teardown):
    /// the route then gets the queue.
    pub uses_background: bool,
    /// True when the request body is made of separate fields (`#[form]` arguments): its
    /// schema becomes the component `Body_{operationId}`, as FastAPI names it.
    pub body_component: bool,
}

impl OperationDoc {
    /// Adds a parameter unless one with the same name and location is already there
    /// (a dependency used twice documents its parameters once).
    pub fn add_parameter(&mut self, param: Value) {
        let same = |p: &Value| p.get("name") == param.get("name") && p.get("in") == param.get("in");
        if !self.parameters.iter().any(same) {
            self.parameters.push(param);
        }
        self.has_validation = true;
    }

    /// Adds a security requirement (`{"SchemeName": [scopes]}`), merging scopes for a
    /// scheme that is already required.
    pub fn add_security(&mut self, scheme: &str, scopes: &[&str]) {
        for req in &mut self.security {
            if let Some(Value::Array(have)) = req.get_mut(scheme) {
                for s in scopes {
                    if !have.iter().any(|h| h == s) {
                        have.push(Value::from(*s));
                    }
                }
                return;
            }
        }
        self.security.push(json!({ scheme: scopes }));
    }

    /// Moves each inline body schema to the component `Body_{operationId}`.
    fn name_body_component(&self, ctx: &mut DocCtx, body: &mut Value) {
        let name = component_name(&format!("Body_{}", self.operation_id));
        if let Some(Value::Object(content)) = body.get_mut("content") {
            for media in content.values_mut() {
                let Some(schema) = media.get_mut("schema") else {
                    continue;
                };
                if schema.get("$ref").is_some() {
                    continue;
                }
                let mut inline = std::mem::replace(
                    schema,
                    json!({ "$ref": format!("#/components/schemas/{name}") }),
                );
                inline["title"] = name.clone().into();
                ctx.add_schema(name.clone(), inline);
            }
        }
    }

    /// The operation object, keys in FastAPI's order.
    pub fn to_value(&self, ctx: &mut DocCtx) -> Value {
        let mut m = Map::new();
        if !self.tags.is_empty() {
            m.insert("tags".into(), json!(self.tags));
        }
        if let Some(s) = &self.summary {
            m.insert("summary".into(), s.clone().into());
        }
        if let Some(d) = &self.description {
            m.insert("description".into(), d.clone().into());
        }
        m.insert("operationId".into(), self.operation_id.clone().into());
        if self.deprecated {
            m.insert("deprecated".into(), true.into());
        }
        if !self.security.is_empty() {
            m.insert("security".into(), Value::Array(self.security.clone()));
        }
        if !self.parameters.is_empty() {
            m.insert("parameters".into(), Value::Array(self.parameters.clone()));
        }
        if let Some(b) = &self.request_body {
            let mut b = b.clone();
            if self.body_component {
                self.name_body_component(ctx, &mut b);
            }
            m.insert("requestBody".into(), b);
        }
        let mut responses = self.responses.responses.clone();
        if self.has_validation && !responses.contains_key("422") {
            ctx.add_validation_components();
            responses.insert(
                "422".into(),
                json!({"description": "Validation Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}}}),
            );
        }
        m.insert("responses".into(), Value::Object(responses));
        Value::Object(m)
    }
}

/// An input (an extractor argument) that documents itself: parameters, a request body,
/// security requirements. Implemented by ferrapi's extractors; implement it for your own
/// extractors and dependencies. Extractors that do not implement it still work, and add
/// nothing to the document.
pub trait ApiInput {
    /// Writes what this input contributes to the operation.
    fn document(ctx: &mut DocCtx, op: &mut OperationDoc);
}

/// Parameter location in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamIn {
    /// `in: path`
    Path,
    /// `in: query`
    Query,
    /// `in: header`
    Header,
    /// `in: cookie`
    Cookie,
}

impl ParamIn {
    /// The name used in the document and in error locations.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamIn::Path => "path",
            ParamIn::Query => "query",
            ParamIn::Header => "header",
            ParamIn::Cookie => "cookie",
        }
    }
}

/// Builds one parameter object in FastAPI's shape.
#[allow(clippy::too_many_arguments)]
pub fn parameter(
    name: &str,
    location: ParamIn,
    required: bool,
    mut schema: Value,
    default: Option<Value>,
    description: Option<&str>,
    title: Option<&str>,
    deprecated: bool,
    examples: Option<Value>,
) -> Value {
    if let Value::Object(s) = &mut schema {
        if s.contains_key("$ref") {
            if let Some(d) = default.clone().filter(|d| !d.is_null()) {
                s.insert("default".into(), d);
            }
        } else {
            let t = title
                .map(str::to_string)
                .unwrap_or_else(|| crate::extract::param::title_case(name));
            s.insert("title".into(), t.into());
            if let Some(d) = description {
                s.insert("description".into(), d.into());
            }
            if let Some(d) = default.filter(|d| !d.is_null()) {
                s.insert("default".into(), d);
            }
            if deprecated {
                s.insert("deprecated".into(), true.into());
            }
            if let Some(e) = &examples {
                s.insert("examples".into(), e.clone());
            }
        }
    }
    let mut p = Map::new();
    p.insert("name".into(), name.into());
    p.insert("in".into(), location.as_str().into());
    p.insert("required".into(), required.into());
    if deprecated {
        p.insert("deprecated".into(), true.into());
    }
    p.insert("schema".into(), schema);
    if let Some(d) = description {
        p.insert("description".into(), d.into());
    }
    Value::Object(p)
}

/// FastAPI's default summary for a handler without a doc comment: `read_items` -> `Read Items`.
pub fn default_summary(fn_name: &str) -> String {
    crate::extract::param::title_case(fn_name)
}

/// FastAPI's generated operation id: `read_items` + `/items/` + `get` -> `read_items_items__get`.
pub fn fastapi_operation_id(fn_name: &str, path: &str, method: &str) -> String {
    let mut id = String::from(fn_name);
    id.extend(path.chars().map(|c| {
        if c.is_alphanumeric() || c == '_' {
            c
        } else {
            '_'
        }
    }));
    id.push('_');
    id.push_str(&method.to_ascii_lowercase());
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_ids_and_summaries_follow_fastapi() {
        assert_eq!(
            fastapi_operation_id("list_items", "/items/", "GET"),
            "list_items_items__get"
        );
        assert_eq!(
            fastapi_operation_id("read_crew", "/crew/{name}", "get"),
            "read_crew_crew__name__get"
        );
        assert_eq!(default_summary("list_crew"), "List Crew");
        assert_eq!(component_name("Page<Item>"), "Page_Item");
        assert_eq!(readable_type_name("a::b::Page<a::Item>"), "Page<Item>");
        assert_eq!(
            component_name(&readable_type_name("x::Pair<x::A, y::B>")),
            "Pair_A_B"
        );
    }
}
