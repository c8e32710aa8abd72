//! OpenAPI 3.0, 3.1 and 3.2 documents.

use std::fmt;
use std::str::FromStr;

use serde_json::{json, Map, Value};

use crate::spec::{
    collect_refs, title_case, Api, MediaType, Operation, ParamIn, Parameter, RequestBody, Response,
    Schema, SecurityScheme, StreamFormat,
};

/// The OpenAPI version a document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum OpenApiVersion {
    /// 3.0.3: `nullable`, boolean `exclusiveMinimum`, `example`, no `const`; for client
    /// generators that do not read 3.1 yet (progenitor, openapi-generator). Feature
    /// `openapi-30`.
    #[cfg(feature = "openapi-30")]
    V3_0,
    /// 3.1.0, whose schemas are JSON Schema 2020-12 (the default; FastAPI's).
    #[default]
    V3_1,
    /// 3.2.0: as 3.1, and streamed bodies (server-sent events, JSON lines) carry their
    /// item's schema in `itemSchema`.
    V3_2,
}

impl OpenApiVersion {
    /// Whether this is 3.0, whose schemas are not JSON Schema 2020-12.
    fn is_3_0(self) -> bool {
        #[cfg(feature = "openapi-30")]
        return self == OpenApiVersion::V3_0;
        #[cfg(not(feature = "openapi-30"))]
        false
    }

    /// The `openapi` field of the document.
    pub fn as_str(self) -> &'static str {
        match self {
            #[cfg(feature = "openapi-30")]
            OpenApiVersion::V3_0 => "3.0.3",
            OpenApiVersion::V3_1 => "3.1.0",
            OpenApiVersion::V3_2 => "3.2.0",
        }
    }
}

impl fmt::Display for OpenApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OpenApiVersion {
    type Err = String;
    /// `3.0`, `3.1` or `3.2`, with or without the patch number.
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            #[cfg(feature = "openapi-30")]
            "3.0" | "3.0.3" => Ok(OpenApiVersion::V3_0),
            #[cfg(not(feature = "openapi-30"))]
            "3.0" | "3.0.3" => Err("OpenAPI 3.0 needs ferrapi's feature `openapi-30` \
                 (ferrapi = { features = [\"openapi-30\"] }); this build writes 3.1 and 3.2"
                .into()),
            "3.1" | "3.1.0" => Ok(OpenApiVersion::V3_1),
            "3.2" | "3.2.0" => Ok(OpenApiVersion::V3_2),
            other => Err(format!(
                "unknown OpenAPI version `{other}`: choose 3.0, 3.1 or 3.2"
            )),
        }
    }
}

/// How an OpenAPI document is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OpenApiOptions {
    /// The OpenAPI version.
    pub version: OpenApiVersion,
    /// Every error answer (4xx, 5xx) is documented with the one `HTTPError` schema, which
    /// describes every ferrapi error body (`detail`: a message, the list of validation
    /// errors, or an object), the 422 included. For client generators that want one error
    /// type per operation (progenitor). Error answers documented with a type of your own
    /// keep it.
    pub one_error_schema: bool,
}

/// The component every ferrapi error body fits.
pub const ERROR_COMPONENT: &str = "HTTPError";

/// Renders the OpenAPI document of `api` in `version`.
pub fn openapi(api: &Api, version: OpenApiVersion) -> Value {
    render(api, version)
}

/// Renders the OpenAPI document of `api` as `options` say.
pub fn openapi_with(api: &Api, options: OpenApiOptions) -> Value {
    if options.one_error_schema {
        return openapi_owned(api.clone(), options);
    }
    render(api, options.version)
}

/// [`openapi_with`] of a description the caller has no more use for: rewritten in place
/// rather than copied (the copy's code alone is 9 KB of every app's binary).
pub(crate) fn openapi_owned(mut api: Api, options: OpenApiOptions) -> Value {
    if options.one_error_schema && api.schemas.contains_key(ERROR_COMPONENT) {
        for op in &mut api.operations {
            one_error_schema(op);
        }
    }
    render(&api, options.version)
}

/// Documents every error answer of `op` with `HTTPError`, unless it has a type of its own.
fn one_error_schema(op: &mut Operation) {
    for (status, r) in &mut op.responses.0 {
        if !(status.starts_with('4') || status.starts_with('5') || status == "default") {
            continue;
        }
        let framework = r.content.iter().all(|m| {
            matches!(
                m.schema.component(),
                Some("HTTPError" | "HTTPValidationError")
            )
        });
        if framework {
            r.content = vec![MediaType::new(
                "application/json",
                Schema::reference(ERROR_COMPONENT),
            )];
        }
    }
}

fn render(api: &Api, version: OpenApiVersion) -> Value {
    let r = Renderer { version };
    let mut doc = Map::new();
    doc.insert("openapi".into(), version.as_str().into());
    doc.insert("info".into(), r.info(api));
    if !api.servers.is_empty() {
        let servers = api.servers.iter().map(|s| {
            let mut m = Map::new();
            m.insert("url".into(), s.url.clone().into());
            if let Some(d) = &s.description {
                m.insert("description".into(), d.clone().into());
            }
            Value::Object(m)
        });
        doc.insert("servers".into(), Value::Array(servers.collect()));
    }
    let mut paths: Map<String, Value> = Map::new();
    for op in api.http_operations() {
        let item = paths
            .entry(op.path.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        item[op.method.to_ascii_lowercase()] = r.operation(op);
    }
    doc.insert("paths".into(), Value::Object(paths));
    let mut components = Map::new();
    let used = used_schemas(api);
    if !used.is_empty() {
        let schemas = api
            .schemas
            .iter()
            .filter(|(name, _)| used.contains(name.as_str()))
            .map(|(name, s)| (name.clone(), r.schema(s.as_value())));
        components.insert("schemas".into(), Value::Object(schemas.collect()));
    }
    if !api.security_schemes.is_empty() {
        let schemes = api
            .security_schemes
            .iter()
            .map(|(name, s)| (name.clone(), security_scheme(s)));
        components.insert("securitySchemes".into(), Value::Object(schemes.collect()));
    }
    if !components.is_empty() {
        doc.insert("components".into(), Value::Object(components));
    }
    if !api.tags.is_empty() {
        let tags = api.tags.iter().map(|t| {
            let mut m = Map::new();
            m.insert("name".into(), t.name.clone().into());
            if let Some(d) = &t.description {
                m.insert("description".into(), d.clone().into());
            }
            if let Some(e) = &t.external_docs {
                m.insert("externalDocs".into(), e.clone());
            }
            Value::Object(m)
        });
        doc.insert("tags".into(), Value::Array(tags.collect()));
    }
    Value::Object(doc)
}

/// The named schemas the documented HTTP operations refer to, directly or through other
/// named schemas (those only WebSocket messages use belong to AsyncAPI).
fn used_schemas(api: &Api) -> std::collections::BTreeSet<&str> {
    let mut todo = Vec::new();
    for s in api.http_operations().flat_map(|op| op.schemas()) {
        collect_refs(s, &mut todo);
    }
    let mut used = std::collections::BTreeSet::new();
    while let Some(name) = todo.pop() {
        if let Some((key, schema)) = api.schemas.get_key_value(&name) {
            if used.insert(key.as_str()) {
                collect_refs(schema, &mut todo);
            }
        }
    }
    used
}

/// The `info` object: title, version, then what is set. `summary` and the licence's
/// `identifier` are written only when the format has them.
pub(super) fn info_object(i: &crate::spec::Info, summary: bool, license_identifier: bool) -> Value {
    let mut m = Map::new();
    m.insert("title".into(), i.title.clone().into());
    m.insert("version".into(), i.version.clone().into());
    if let Some(s) = i.summary.as_ref().filter(|_| summary) {
        m.insert("summary".into(), s.clone().into());
    }
    if let Some(d) = &i.description {
        m.insert("description".into(), d.clone().into());
    }
    if let Some(t) = &i.terms_of_service {
        m.insert("termsOfService".into(), t.clone().into());
    }
    if let Some(c) = &i.contact {
        m.insert("contact".into(), c.clone());
    }
    if let Some(l) = &i.license {
        let mut l = l.clone();
        if let Some(o) = l.as_object_mut().filter(|_| !license_identifier) {
            o.remove("identifier");
        }
        m.insert("license".into(), l);
    }
    Value::Object(m)
}

/// The schema FastAPI writes for a parameter (and for a form field's property): the type's
/// schema with the title (the name in title case unless given), description, default,
/// `deprecated` and examples written into it; a `$ref` only takes the default.
pub fn parameter_schema(p: &Parameter) -> Value {
    let mut schema = p.schema.as_value().clone();
    if let Value::Object(s) = &mut schema {
        let default = p.default.clone().filter(|d| !d.is_null());
        if s.contains_key("$ref") {
            if let Some(d) = default {
                s.insert("default".into(), d);
            }
        } else {
            let t = p.title.clone().unwrap_or_else(|| title_case(&p.name));
            s.insert("title".into(), t.into());
            if let Some(d) = &p.description {
                s.insert("description".into(), d.clone().into());
            }
            if let Some(d) = default {
                s.insert("default".into(), d);
            }
            if p.deprecated {
                s.insert("deprecated".into(), true.into());
            }
            if let Some(e) = &p.examples {
                s.insert("examples".into(), e.clone());
            }
        }
    }
    schema
}

struct Renderer {
    version: OpenApiVersion,
}

impl Renderer {
    fn schema(&self, s: &Value) -> Value {
        #[cfg(feature = "openapi-30")]
        if self.version.is_3_0() {
            return super::to_openapi30(s);
        }
        s.clone()
    }

    fn info(&self, api: &Api) -> Value {
        // `info.summary` and a licence's SPDX `identifier` are new in 3.1.
        let v31 = !self.version.is_3_0();
        info_object(&api.info, v31, v31)
    }

    fn operation(&self, op: &Operation) -> Value {
        let mut m = Map::new();
        if !op.tags.is_empty() {
            m.insert("tags".into(), json!(op.tags));
        }
        if let Some(s) = &op.summary {
            m.insert("summary".into(), s.clone().into());
        }
        if let Some(d) = &op.description {
            m.insert("description".into(), d.clone().into());
        }
        m.insert("operationId".into(), op.operation_id.clone().into());
        if op.deprecated {
            m.insert("deprecated".into(), true.into());
        }
        if !op.security.is_empty() {
            let reqs = op
                .security
                .iter()
                .map(|r| json!({ r.scheme.clone(): r.scopes }));
            m.insert("security".into(), Value::Array(reqs.collect()));
        }
        if !op.parameters.is_empty() {
            let params = op.parameters.iter().map(|p| self.parameter(p));
            m.insert("parameters".into(), Value::Array(params.collect()));
        }
        if let Some(b) = &op.request_body {
            m.insert("requestBody".into(), self.request_body(b));
        }
        let responses = op
            .responses
            .iter()
            .map(|(status, r)| (status.to_string(), self.response(r)));
        m.insert("responses".into(), Value::Object(responses.collect()));
        Value::Object(m)
    }

    fn parameter(&self, p: &Parameter) -> Value {
        let mut m = Map::new();
        m.insert("name".into(), p.name.clone().into());
        m.insert("in".into(), p.location.as_str().into());
        m.insert(
            "required".into(),
            (p.required || p.location == ParamIn::Path).into(),
        );
        if p.deprecated {
            m.insert("deprecated".into(), true.into());
        }
        let mut schema = self.schema(&parameter_schema(p));
        if self.version.is_3_0() && matches!(p.location, ParamIn::Header | ParamIn::Cookie) {
            // A header or cookie is text or absent, never JSON null: `required: false`
            // already says it may be missing, and generators (progenitor) turn a nullable
            // optional header into an `Option<Option<_>>` they cannot send.
            if let Value::Object(s) = &mut schema {
                s.remove("nullable");
            }
        }
        m.insert("schema".into(), schema);
        if let Some(d) = &p.description {
            m.insert("description".into(), d.clone().into());
        }
        Value::Object(m)
    }

    fn request_body(&self, b: &RequestBody) -> Value {
        let mut m = Map::new();
        m.insert("content".into(), self.content(&b.content));
        if b.required {
            m.insert("required".into(), true.into());
        }
        Value::Object(m)
    }

    fn response(&self, r: &Response) -> Value {
        let mut m = Map::new();
        m.insert("description".into(), r.description.clone().into());
        if !r.content.is_empty() {
            m.insert("content".into(), self.content(&r.content));
        }
        if !r.headers.is_empty() {
            let headers = r.headers.iter().map(|h| {
                (
                    h.name.clone(),
                    json!({"description": h.description, "schema": self.schema(&h.schema)}),
                )
            });
            m.insert("headers".into(), Value::Object(headers.collect()));
        }
        Value::Object(m)
    }

    fn content(&self, content: &[MediaType]) -> Value {
        let media = content
            .iter()
            .map(|c| (c.media_type.clone(), self.media_type(c)));
        Value::Object(media.collect())
    }

    fn media_type(&self, c: &MediaType) -> Value {
        let mut m = Map::new();
        match (&c.stream, self.version) {
            (Some(stream), OpenApiVersion::V3_2) => {
                m.insert(
                    "itemSchema".into(),
                    item_schema(stream.format, &stream.item),
                );
            }
            (Some(stream), _) => {
                m.insert("schema".into(), self.schema(c.schema.as_value()));
                let key = match stream.format {
                    StreamFormat::ServerSentEvents => "x-event-data",
                    StreamFormat::JsonLines => "x-item-schema",
                };
                m.insert(key.into(), self.schema(stream.item.as_value()));
            }
            (None, _) => {
                m.insert("schema".into(), self.schema(c.schema.as_value()));
            }
        }
        if !c.examples.is_empty() {
            let examples = c.examples.iter().map(|(name, e)| {
                let mut x = Map::new();
                if let Some(s) = &e.summary {
                    x.insert("summary".into(), s.clone().into());
                }
                if let Some(d) = &e.description {
                    x.insert("description".into(), d.clone().into());
                }
                if let Some(v) = &e.value {
                    x.insert("value".into(), v.clone());
                }
                if let Some(u) = &e.external_value {
                    x.insert("externalValue".into(), u.clone().into());
                }
                (name.clone(), Value::Object(x))
            });
            m.insert("examples".into(), Value::Object(examples.collect()));
        }
        Value::Object(m)
    }
}

/// OpenAPI 3.2's `itemSchema` for one item of a stream: an event whose `data` is the item
/// as JSON, or the item itself on its own line.
fn item_schema(format: StreamFormat, item: &Schema) -> Value {
    match format {
        StreamFormat::ServerSentEvents => json!({
            "type": "object",
            "properties": {
                "event": {"type": "string"},
                "data": {
                    "type": "string",
                    "contentMediaType": "application/json",
                    "contentSchema": item.as_value()
                },
                "id": {"type": "string"},
                "retry": {"type": "integer", "minimum": 0}
            },
            "required": ["data"]
        }),
        StreamFormat::JsonLines => item.as_value().clone(),
    }
}

/// An OAuth2 flow's `scopes`: name -> what it grants.
fn scope_map(scopes: &[(String, String)]) -> Map<String, Value> {
    scopes
        .iter()
        .map(|(k, v)| (k.clone(), v.clone().into()))
        .collect()
}

fn security_scheme(s: &SecurityScheme) -> Value {
    let mut m = Map::new();
    let description = match s {
        SecurityScheme::ApiKey {
            name,
            location,
            description,
        } => {
            m.insert("type".into(), "apiKey".into());
            m.insert("in".into(), location.as_str().into());
            m.insert("name".into(), name.clone().into());
            description
        }
        SecurityScheme::Http {
            scheme,
            bearer_format,
            description,
        } => {
            m.insert("type".into(), "http".into());
            m.insert("scheme".into(), scheme.clone().into());
            if let Some(f) = bearer_format {
                m.insert("bearerFormat".into(), f.clone().into());
            }
            description
        }
        SecurityScheme::OAuth2Password {
            token_url,
            scopes,
            description,
        } => {
            m.insert("type".into(), "oauth2".into());
            m.insert(
                "flows".into(),
                json!({"password": {"scopes": scope_map(scopes), "tokenUrl": token_url}}),
            );
            description
        }
        SecurityScheme::OAuth2AuthorizationCode {
            authorization_url,
            token_url,
            refresh_url,
            scopes,
            description,
        } => {
            let mut flow = Map::new();
            flow.insert("authorizationUrl".into(), authorization_url.clone().into());
            flow.insert("tokenUrl".into(), token_url.clone().into());
            if let Some(r) = refresh_url {
                flow.insert("refreshUrl".into(), r.clone().into());
            }
            flow.insert("scopes".into(), Value::Object(scope_map(scopes)));
            m.insert("type".into(), "oauth2".into());
            m.insert("flows".into(), json!({ "authorizationCode": flow }));
            description
        }
    };
    if let Some(d) = description {
        m.insert("description".into(), d.clone().into());
    }
    Value::Object(m)
}
