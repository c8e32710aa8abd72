//! One operation: its inputs, responses, security and what it needs at run time.

use std::any::TypeId;

use http::StatusCode;
use serde_json::Value;

use super::{Constraints, Schema};

/// Where a parameter is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    /// The name used in documents and in error locations.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamIn::Path => "path",
            ParamIn::Query => "query",
            ParamIn::Header => "header",
            ParamIn::Cookie => "cookie",
        }
    }
}

/// Where a scalar input of a handler is read from: a parameter's location, or a field of
/// the form body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamSource {
    /// A path parameter.
    Path,
    /// A query parameter.
    Query,
    /// A header.
    Header,
    /// A cookie.
    Cookie,
    /// A field of the form body (`#[form]`).
    Form,
}

impl ParamSource {
    /// The first item of an error location (`["query", "limit"]`; `"body"` for a form field).
    pub const fn loc_name(self) -> &'static str {
        match self {
            ParamSource::Path => "path",
            ParamSource::Query => "query",
            ParamSource::Header => "header",
            ParamSource::Cookie => "cookie",
            ParamSource::Form => "body",
        }
    }
    /// The parameter location, or `None` for a form field.
    pub const fn location(self) -> Option<ParamIn> {
        match self {
            ParamSource::Path => Some(ParamIn::Path),
            ParamSource::Query => Some(ParamIn::Query),
            ParamSource::Header => Some(ParamIn::Header),
            ParamSource::Cookie => Some(ParamIn::Cookie),
            ParamSource::Form => None,
        }
    }
}

/// Everything the route macros know about one scalar input (path, query, header, cookie or
/// form field), written once per argument as a constant. Extraction reads the name and
/// source from it, validation its constraints, and the description all of it, so a fact
/// about an input cannot be told two ways.
///
/// ```
/// use ferrapi::spec::{Constraints, Num, ParamSource, ParamSpec};
///
/// // What `#[query(ge = 0, description = "Items to skip")] skip: i64` becomes.
/// const SKIP: ParamSpec = ParamSpec {
///     name: "skip",
///     source: ParamSource::Query,
///     constraints: Constraints { ge: Some(Num::Int(0)), ..Constraints::NONE },
///     description: Some("Items to skip"),
///     ..ParamSpec::NONE
/// };
/// assert_eq!(SKIP.source.loc_name(), "query");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamSpec {
    /// The name on the wire (the argument's name, its `alias`, or a header's dashed form).
    pub name: &'static str,
    /// Where it is read from.
    pub source: ParamSource,
    /// Declared constraints, checked at run time and written into the schema.
    pub constraints: Constraints,
    /// `description`.
    pub description: Option<&'static str>,
    /// `title` (default: the name in title case).
    pub title: Option<&'static str>,
    /// `deprecated`.
    pub deprecated: bool,
    /// `format`, written on the schema.
    pub format: Option<&'static str>,
}

impl ParamSpec {
    /// A query parameter with an empty name and nothing declared, to fill in with
    /// `..ParamSpec::NONE`.
    pub const NONE: ParamSpec = ParamSpec {
        name: "",
        source: ParamSource::Query,
        constraints: Constraints::NONE,
        description: None,
        title: None,
        deprecated: false,
        format: None,
    };
}

/// One path, query, header or cookie parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The name on the wire.
    pub name: String,
    /// Where it is read from.
    pub location: ParamIn,
    /// Whether a request must carry it (always for path parameters).
    pub required: bool,
    /// The value's schema, constraints included.
    pub schema: Schema,
    /// A title (FastAPI writes the name in title case when none is given).
    pub title: Option<String>,
    /// The value used when it is absent.
    pub default: Option<Value>,
    /// What it means.
    pub description: Option<String>,
    /// Whether clients should stop sending it.
    pub deprecated: bool,
    /// Example values (JSON Schema `examples`).
    pub examples: Option<Value>,
    /// The declared constraints (already written into `schema`), the same value validation
    /// checks.
    pub constraints: Constraints,
}

impl Parameter {
    /// A parameter with a schema and nothing else.
    pub fn new(name: impl Into<String>, location: ParamIn, required: bool, schema: Schema) -> Self {
        Parameter {
            name: name.into(),
            location,
            required: required || location == ParamIn::Path,
            schema,
            title: None,
            default: None,
            description: None,
            deprecated: false,
            examples: None,
            constraints: Constraints::NONE,
        }
    }
    /// With a description.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }
}

/// A named example of a media type (Swagger UI offers them in a drop-down).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Example {
    /// Short summary.
    pub summary: Option<String>,
    /// Long description (Markdown).
    pub description: Option<String>,
    /// The example value.
    pub value: Option<Value>,
    /// A URL pointing at the example instead.
    pub external_value: Option<String>,
}

/// How a streamed body is cut into items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamFormat {
    /// Server-sent events (`text/event-stream`): each event's `data` is one JSON item.
    ServerSentEvents,
    /// JSON lines (`application/jsonl`): one JSON item per line.
    JsonLines,
}

/// A body that is a sequence of items, documented per item where the format allows it
/// (OpenAPI 3.2's `itemSchema`).
#[derive(Debug, Clone, PartialEq)]
pub struct StreamItems {
    /// How the items are framed.
    pub format: StreamFormat,
    /// The schema of one item.
    pub item: Schema,
}

/// The body in one media type.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaType {
    /// The media type (`application/json`).
    pub media_type: String,
    /// The schema of the whole body.
    pub schema: Schema,
    /// Named examples.
    pub examples: Vec<(String, Example)>,
    /// For streams: what each item is.
    pub stream: Option<StreamItems>,
}

impl MediaType {
    /// A media type with a schema.
    pub fn new(media_type: impl Into<String>, schema: Schema) -> Self {
        MediaType {
            media_type: media_type.into(),
            schema,
            examples: Vec::new(),
            stream: None,
        }
    }
}

/// The request body.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RequestBody {
    /// The accepted media types, in order.
    pub content: Vec<MediaType>,
    /// Whether a request must carry it.
    pub required: bool,
    /// True when the body is made of separate fields (`#[form]` and `#[file]` arguments,
    /// `OAuth2PasswordRequestForm`): its schema becomes the component
    /// `Body_{operationId}`, as FastAPI names it.
    pub from_fields: bool,
}

impl RequestBody {
    /// A body in one media type.
    pub fn new(media: MediaType, required: bool) -> Self {
        RequestBody {
            content: vec![media],
            required,
            from_fields: false,
        }
    }
    /// The entry for `media_type`.
    pub fn media_mut(&mut self, media_type: &str) -> Option<&mut MediaType> {
        self.content.iter_mut().find(|m| m.media_type == media_type)
    }
}

/// A header of a response.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    /// Its name.
    pub name: String,
    /// What it means.
    pub description: String,
    /// Its value's schema.
    pub schema: Schema,
}

/// One response.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Response {
    /// What it means.
    pub description: String,
    /// Its body, per media type (empty: no body).
    pub content: Vec<MediaType>,
    /// Its headers.
    pub headers: Vec<ResponseHeader>,
}

impl Response {
    /// A response without a body.
    pub fn new(description: impl Into<String>) -> Self {
        Response {
            description: description.into(),
            ..Response::default()
        }
    }
    /// A response with a body in one media type.
    pub fn with_body(description: impl Into<String>, media: MediaType) -> Self {
        Response {
            description: description.into(),
            content: vec![media],
            headers: Vec::new(),
        }
    }
    /// The entry for `media_type`.
    pub fn media_mut(&mut self, media_type: &str) -> Option<&mut MediaType> {
        self.content.iter_mut().find(|m| m.media_type == media_type)
    }
}

/// The responses of one operation, keyed by status (`"200"`, or `"default"`, `"5XX"`), in
/// the order they were added.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Responses(pub Vec<(String, Response)>);

impl Responses {
    /// The response for a status key.
    pub fn get(&self, status: &str) -> Option<&Response> {
        self.0.iter().find(|(k, _)| k == status).map(|(_, r)| r)
    }
    /// The response for a status key, to change.
    pub fn get_mut(&mut self, status: &str) -> Option<&mut Response> {
        self.0.iter_mut().find(|(k, _)| k == status).map(|(_, r)| r)
    }
    /// Whether the status key is documented.
    pub fn contains(&self, status: &str) -> bool {
        self.get(status).is_some()
    }
    /// The response for a status key, added with `make` when absent.
    pub fn entry(&mut self, status: &str, make: impl FnOnce() -> Response) -> &mut Response {
        let i = match self.0.iter().position(|(k, _)| k == status) {
            Some(i) => i,
            None => {
                self.0.push((status.to_string(), make()));
                self.0.len() - 1
            }
        };
        &mut self.0[i].1
    }
    /// Sets (replacing) the response for a status key.
    pub fn set(&mut self, status: impl Into<String>, response: Response) {
        let status = status.into();
        match self.get_mut(&status) {
            Some(r) => *r = response,
            None => self.0.push((status, response)),
        }
    }
    /// A JSON response with a schema. A second call for the same status keeps the first.
    pub fn json(&mut self, status: StatusCode, description: &str, schema: impl Into<Schema>) {
        self.content(status, description, "application/json", schema)
    }
    /// A response with one media type. A second call for the same status keeps the first.
    pub fn content(
        &mut self,
        status: StatusCode,
        description: &str,
        media: &str,
        schema: impl Into<Schema>,
    ) {
        let schema = schema.into();
        self.entry(status.as_str(), || {
            Response::with_body(description, MediaType::new(media, schema))
        });
    }
    /// A response without a body. Kept if the status is documented already.
    pub fn empty(&mut self, status: StatusCode, description: &str) {
        self.entry(status.as_str(), || Response::new(description));
    }
    /// Declares a header of the response for `status` (which must already be documented:
    /// a status without a response is left alone).
    pub fn header(
        &mut self,
        status: StatusCode,
        name: &str,
        description: &str,
        schema: impl Into<Schema>,
    ) {
        if let Some(r) = self.get_mut(status.as_str()) {
            let header = ResponseHeader {
                name: name.to_string(),
                description: description.to_string(),
                schema: schema.into(),
            };
            match r.headers.iter_mut().find(|h| h.name == name) {
                Some(h) => *h = header,
                None => r.headers.push(header),
            }
        }
    }
    /// Iterates over `(status, response)`.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Response)> {
        self.0.iter().map(|(k, r)| (k.as_str(), r))
    }
}

/// One entry of an operation's `security`: the scheme and the scopes it must grant. Entries
/// are alternatives, as FastAPI writes one entry per security dependency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityRequirement {
    /// The security scheme's name (a key of the document's security schemes).
    pub scheme: String,
    /// OAuth2 scopes; empty for the other kinds.
    pub scopes: Vec<String>,
}

/// A `State<T>` value an operation reads: the app refuses to start without it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateNeed {
    /// `TypeId::of::<T>()`.
    pub id: TypeId,
    /// `type_name::<T>()`, for the start-up error.
    pub type_name: &'static str,
}

/// What an operation needs from the app at run time, read by app assembly.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RuntimeNeeds {
    /// Some input queues work for after the response (`BackgroundTasks`, `Teardown`): the
    /// route gets the background queue.
    pub background: bool,
    /// State values read by the inputs.
    pub state: Vec<StateNeed>,
}

impl RuntimeNeeds {
    /// Records a `State<T>` value the operation reads.
    pub fn state<T: 'static>(&mut self) {
        let id = TypeId::of::<T>();
        if !self.state.iter().any(|s| s.id == id) {
            self.state.push(StateNeed {
                id,
                type_name: std::any::type_name::<T>(),
            });
        }
    }
}

/// The kind of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OperationKind {
    /// A request answered by a response.
    #[default]
    Http,
    /// A WebSocket session (documented in AsyncAPI, not in OpenAPI).
    WebSocket,
}

/// The messages of a WebSocket route, per direction.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Messages {
    /// What the client sends (`None`: not typed).
    pub receive: Option<Schema>,
    /// What the server sends (`None`: not typed).
    pub send: Option<Schema>,
}

/// One operation: a method on a path template, everything a client sees of it, and what
/// it needs at run time.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Operation {
    /// The HTTP method, upper case (`GET`; `GET` for a WebSocket handshake).
    pub method: String,
    /// The path template in OpenAPI's spelling (`/items/{id}`).
    pub path: String,
    /// A request/response operation or a WebSocket session.
    pub kind: OperationKind,
    /// Whether documents include it (`include_in_schema = false` hides it).
    pub documented: bool,
    /// `operationId`.
    pub operation_id: String,
    /// Tags, routers' first.
    pub tags: Vec<String>,
    /// One-line summary.
    pub summary: Option<String>,
    /// Long description (Markdown).
    pub description: Option<String>,
    /// Whether clients should stop using it.
    pub deprecated: bool,
    /// Security requirements (alternatives).
    pub security: Vec<SecurityRequirement>,
    /// Parameters, in the order FastAPI lists them.
    pub parameters: Vec<Parameter>,
    /// The request body.
    pub request_body: Option<RequestBody>,
    /// The responses.
    pub responses: Responses,
    /// True when some input can fail validation: a 422 response is then documented.
    pub validates: bool,
    /// Scopes the operation requires (route and router `scopes`), used by OAuth2 schemes
    /// in the security requirement.
    pub scopes: Vec<String>,
    /// What it needs at run time.
    pub needs: RuntimeNeeds,
    /// For WebSocket routes: the messages in each direction.
    pub messages: Messages,
}

impl Operation {
    /// Adds a parameter unless one with the same name and location is already there
    /// (a dependency used twice documents its parameters once).
    pub fn add_parameter(&mut self, param: Parameter) {
        if !self
            .parameters
            .iter()
            .any(|p| p.name == param.name && p.location == param.location)
        {
            self.parameters.push(param);
        }
        self.validates = true;
    }

    /// Adds a security requirement, merging scopes for a scheme that is already required.
    pub fn add_security(&mut self, scheme: &str, scopes: &[&str]) {
        if let Some(req) = self.security.iter_mut().find(|r| r.scheme == scheme) {
            for s in scopes {
                if !req.scopes.iter().any(|h| h == s) {
                    req.scopes.push(s.to_string());
                }
            }
            return;
        }
        self.security.push(SecurityRequirement {
            scheme: scheme.to_string(),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
        });
    }

    /// Every schema of the operation: parameters, bodies, stream items, response headers
    /// and messages.
    pub fn schemas(&self) -> Vec<&Schema> {
        let mut out: Vec<&Schema> = self.parameters.iter().map(|p| &p.schema).collect();
        let media = self
            .request_body
            .iter()
            .flat_map(|b| b.content.iter())
            .chain(self.responses.0.iter().flat_map(|(_, r)| r.content.iter()));
        for m in media {
            out.push(&m.schema);
            out.extend(m.stream.as_ref().map(|s| &s.item));
        }
        for (_, r) in &self.responses.0 {
            out.extend(r.headers.iter().map(|h| &h.schema));
        }
        out.extend(self.messages.receive.iter().chain(&self.messages.send));
        out
    }

    /// Calls `f` on every schema of the operation: parameters, bodies, stream items,
    /// response headers and messages.
    pub fn for_each_schema_mut(&mut self, f: &mut dyn FnMut(&mut Schema)) {
        fn media(m: &mut MediaType, f: &mut dyn FnMut(&mut Schema)) {
            f(&mut m.schema);
            if let Some(s) = &mut m.stream {
                f(&mut s.item);
            }
        }
        for p in &mut self.parameters {
            f(&mut p.schema);
        }
        if let Some(b) = &mut self.request_body {
            for m in &mut b.content {
                media(m, f);
            }
        }
        for (_, r) in &mut self.responses.0 {
            for h in &mut r.headers {
                f(&mut h.schema);
            }
            for m in &mut r.content {
                media(m, f);
            }
        }
        for s in [&mut self.messages.receive, &mut self.messages.send]
            .into_iter()
            .flatten()
        {
            f(s);
        }
    }
}
