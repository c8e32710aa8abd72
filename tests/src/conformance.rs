//! The FastAPI conformance harness.
//!
//! `tests/conformance/fastapi/` holds, for a set of small FastAPI apps, the OpenAPI document
//! FastAPI generated (`specs/`) and FastAPI's recorded answers to good and bad requests
//! (`cases/`); see its `README.md` and `PROVENANCE.md`. Each `tests/tests/conformance_NN_*.rs`
//! file rebuilds one of those apps with ferrapi and checks it with two tests:
//!
//! - [`assert_spec`]: both documents are normalised (`$ref`s resolved inline, nullable
//!   spellings unified, set-like lists sorted, numbers compared by value, some metadata
//!   dropped unless asked for), then every operation must be equal: parameters,
//!   request body, responses, security. A mismatch prints the first differing JSON pointer
//!   with both sides. The security schemes (`components.securitySchemes`) the operations
//!   name are compared too.
//! - [`assert_cases`]: every recorded case is replayed in order against ONE fresh app
//!   instance, comparing status, the recorded headers and the JSON body (numbers by value,
//!   422 details entry by entry). WebSocket cases (`"kind": "websocket"`) are replayed as a
//!   session: the handshake must be accepted or refused as recorded, then every step (send
//!   text or JSON, receive text, JSON or a close) must go as it did with FastAPI.
//!
//! Differences ferrapi keeps on purpose are listed once, in [`KNOWN_DIFFERENCES`], each with
//! its reason; `docs/fastapi-differences.md` explains each for users. The harness only
//! tolerates a difference through one of those entries, and says so in its report.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use ferrapi::render::OpenApiVersion;
use ferrapi::testing::{TestClient, TestResponse, WsFrame, WsRefused, WsSession};
use ferrapi::{App, OperationIds};
use futures_util::FutureExt;
use http::Method;
use serde_json::{Map, Value};

// ---------------------------------------------------------------------------------------
// Known, deliberate differences: the ONLY place the harness is allowed to look away.
// ---------------------------------------------------------------------------------------

/// A deliberate difference between ferrapi and FastAPI that the harness tolerates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Difference {
    /// ferrapi writes `format: int64` / `int32` / `double` / ... on numbers.
    NumberFormats,
    /// An uploaded file's schema has `format: binary` next to FastAPI's `contentMediaType`.
    FileFormatBinary,
    /// ferrapi's default operationId is the function name; the harness builds every app
    /// with `OperationIds::FastApi` so that ids are still compared.
    OperationIdStyle,
    /// axum answers `HEAD` on every `GET` route; FastAPI answers 405.
    HeadOnGet,
    /// ferrapi's `Allow` header lists `HEAD` next to `GET`.
    AllowListsHead,
    /// A panicking handler answers JSON `{"detail": "Internal Server Error"}`; FastAPI
    /// answers `text/plain` `Internal Server Error`.
    PanicIsJson,
    /// A served `/openapi.json` is checked with the spec comparison (normalised), not
    /// byte-for-byte: it is the same document [`assert_spec`] checks.
    OpenApiDocumentNormalised,
    /// A 204 answer carries no `content-type`; FastAPI sends `application/json`.
    NoContentTypeOn204,
    /// A 405's `Allow` lists every method routed for the path; FastAPI lists only the
    /// methods of the first route whose path matches.
    AllowListsEveryMethod,
    /// Swagger UI is served from vendored files: `/docs` redirects to `/docs/`, the page is
    /// titled "Swagger UI" and its settings (document URL, OAuth2 redirect page, the app's
    /// parameters and `initOAuth`) are in `/docs/swagger-initializer.js`.
    DocsPagesVendored,
    /// The first paragraph of a handler's doc comment is its summary; FastAPI derives the
    /// summary from the function name and uses the docstring only as the description.
    /// Tolerated only at the pointers a port names (see [`Tolerate`]).
    DocCommentSummary,
    /// An app with a validation-error handler documents the handler's answer in place of
    /// the 422. Tolerated only at the pointers a port names (see [`Tolerate`]).
    ErrorHandlerDocumented,
    /// A WebSocket the endpoint refuses (invalid inputs, or a handler that closes first) is
    /// accepted, then closed with the same code; FastAPI closes it before accepting it.
    WebSocketCloseAfterAccept,
    /// A WebSocket handshake to a path with no WebSocket route is refused with HTTP 404;
    /// FastAPI closes it with 1000 before accepting it.
    WebSocketUnknownPath404,
    /// An operation secured by a scheme documents the scheme's 401 answer; FastAPI
    /// documents none.
    SecurityRefusalDocumented,
    /// An operation with a body or path parameters documents the framework's own 400, 408
    /// and 413 answers; FastAPI documents none.
    RequestErrorsDocumented,
}

/// One entry of [`KNOWN_DIFFERENCES`].
#[derive(Debug, Clone, Copy)]
pub struct KnownDifference {
    /// Which difference.
    pub id: Difference,
    /// What differs, in a few words.
    pub what: &'static str,
    /// Why ferrapi keeps it.
    pub why: &'static str,
}

/// Every difference the harness tolerates, with its reason. `docs/fastapi-differences.md`
/// has one section per entry.
pub const KNOWN_DIFFERENCES: &[KnownDifference] = &[
    KnownDifference {
        id: Difference::NumberFormats,
        what: "integer and number schemas carry `format` (int32, int64, uint32, double, ...)",
        why: "the Rust type fixes the range; generated clients pick the right type from it. \
              FastAPI writes no format for int/float",
    },
    KnownDifference {
        id: Difference::FileFormatBinary,
        what: "an uploaded file's schema carries `format: binary` next to \
               `contentMediaType: application/octet-stream`",
        why: "Swagger UI shows a file picker only for `format: binary`, and OpenAPI 3.0 \
              documents (which ferrapi also writes) have no `contentMediaType`",
    },
    KnownDifference {
        id: Difference::OperationIdStyle,
        what: "the default operationId is the function name (`list_items`), not \
               `list_items_items__get`",
        why: "nicer generated client method names; `App::operation_ids(OperationIds::FastApi)` \
              restores FastAPI's ids and the harness compares with it on",
    },
    KnownDifference {
        id: Difference::HeadOnGet,
        what: "HEAD on a GET route answers like GET without a body instead of 405",
        why: "axum routes HEAD to GET handlers, as RFC 9110 expects of a GET resource",
    },
    KnownDifference {
        id: Difference::AllowListsHead,
        what: "the `Allow` header of a 405 lists HEAD next to GET",
        why: "follows from HeadOnGet: HEAD is really allowed",
    },
    KnownDifference {
        id: Difference::PanicIsJson,
        what: "a panicking handler answers 500 JSON `{\"detail\": \"Internal Server Error\"}` \
               instead of text/plain",
        why: "every framework error of ferrapi has the same `{\"detail\": ...}` shape",
    },
    KnownDifference {
        id: Difference::OpenApiDocumentNormalised,
        what: "the body of `GET /openapi.json` is compared after the spec normalisation",
        why: "it is the document of `assert_spec`, whose tolerated differences (formats, \
              nullable spellings, key order, titles of components) apply to it too",
    },
    KnownDifference {
        id: Difference::NoContentTypeOn204,
        what: "a 204 No Content answer has no `content-type` header",
        why: "there is no content to describe; FastAPI's `application/json` on an empty body \
              is an artefact of its default response class",
    },
    KnownDifference {
        id: Difference::AllowListsEveryMethod,
        what: "the `Allow` header of a 405 lists every method routed for the path",
        why: "RFC 9110: Allow lists the methods the target resource supports. Starlette \
              lists only the first matching route's (`PATCH /notes/1` -> `Allow: GET` although \
              DELETE is routed too)",
    },
    KnownDifference {
        id: Difference::DocsPagesVendored,
        what: "Swagger UI: `/docs` redirects to `/docs/`, the \
               document URL, the OAuth2 redirect page, the app's parameters and `initOAuth` \
               are set in `/docs/swagger-initializer.js`; ReDoc's page loads its script from \
               `/redoc/redoc.standalone.js`",
        why: "Swagger UI and ReDoc are vendored so that neither builds \
              nor the docs pages need the network; FastAPI's pages load them from a CDN",
    },
    KnownDifference {
        id: Difference::ErrorHandlerDocumented,
        what: "with `App::on_validation_error`, operations document the handler's status and \
               schema instead of the 422 `HTTPValidationError`",
        why: "the document then says what the API answers; FastAPI keeps advertising the 422 \
              its handler no longer sends",
    },
    KnownDifference {
        id: Difference::DocCommentSummary,
        what: "the first paragraph of a handler's doc comment is the operation's summary",
        why: "Rust convention (rustdoc, utoipa, dropshot): the first line of a doc comment is a \
              summary. FastAPI's summary is the title-cased function name and the docstring \
              is the description",
    },
    KnownDifference {
        id: Difference::WebSocketCloseAfterAccept,
        what: "a refused WebSocket (invalid inputs, or the handler closing it with 1008 first) \
               is accepted, then closed with that code, instead of being closed before accept",
        why: "a close code can only be sent on an accepted connection: a close before accept \
              is an HTTP 403 refusal on a real ASGI server, and the client never sees the \
              1008 FastAPI's in-process TestClient reports. ferrapi's clients do see 1008 \
              (and, for invalid inputs, the errors in the close reason)",
    },
    KnownDifference {
        id: Difference::WebSocketUnknownPath404,
        what: "a WebSocket handshake to a path with no WebSocket route is refused with HTTP \
               404, instead of being closed with 1000 before accept",
        why: "there is nothing to connect to, as for plain HTTP. FastAPI's 1000 exists only in \
              its in-process TestClient (a real ASGI server turns a close before accept into \
              HTTP 403); accepting the connection to close it with 1000, \"normal closure\", \
              would tell clients that the endpoint exists",
    },
    KnownDifference {
        id: Difference::SecurityRefusalDocumented,
        what: "an operation secured by a scheme (OAuth2, HTTP Bearer or Basic, API key) \
               documents a 401 answer with the `HTTPError` body",
        why: "the scheme does answer 401 when the credential is missing or refused; a \
              generated client should know that answer. An optional scheme (`Option<_>`) \
              documents none, as it refuses nothing",
    },
    KnownDifference {
        id: Difference::RequestErrorsDocumented,
        what: "an operation with a request body documents 400 (the body cannot be read), 408 \
               (it did not arrive in time) and 413 (it is over the body limit); one with path \
               parameters documents 400 (a parameter is not UTF-8)",
        why: "FastAPI answers 400 and 413 too but leaves them out of the document, so \
              schemathesis reports them as undocumented statuses and generated clients have \
              no type for them",
    },
];

/// A known difference tolerated at one JSON pointer of the normalised document (parameters
/// keyed `"<in> <name>"`), for differences that depend on how a port is written.
#[derive(Debug, Clone, Copy)]
pub struct Tolerate {
    /// Which difference.
    pub difference: Difference,
    /// Where, e.g. `/paths/~1tools~1/post/summary`.
    pub pointer: &'static str,
}

/// The entry for `id`.
pub fn known(id: Difference) -> &'static KnownDifference {
    KNOWN_DIFFERENCES
        .iter()
        .find(|k| k.id == id)
        .expect("every Difference has a KNOWN_DIFFERENCES entry")
}

// ---------------------------------------------------------------------------------------
// The corpus.
// ---------------------------------------------------------------------------------------

/// `tests/conformance/fastapi/`.
pub fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("conformance/fastapi")
}

fn read_json(path: PathBuf) -> Value {
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// FastAPI's OpenAPI document for app `name` (e.g. `"01_query_defaults"`).
pub fn fastapi_spec(name: &str) -> Value {
    read_json(corpus_dir().join(format!("specs/{name}.openapi.json")))
}

/// The recorded cases of app `name`.
pub fn fastapi_cases(name: &str) -> Vec<Case> {
    match read_json(corpus_dir().join(format!("cases/{name}.cases.json"))) {
        Value::Array(items) => items.into_iter().map(Case).collect(),
        _ => panic!("cases/{name}.cases.json is not an array"),
    }
}

/// One recorded case (the JSON object described in the corpus README).
#[derive(Debug, Clone)]
pub struct Case(pub Value);

impl Case {
    fn str(&self, key: &str) -> &str {
        self.0.get(key).and_then(Value::as_str).unwrap_or("")
    }
    /// The case's name.
    pub fn name(&self) -> &str {
        self.str("name")
    }
    fn strings(&self, key: &str) -> Vec<String> {
        self.0
            .get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }
}

// ---------------------------------------------------------------------------------------
// JSON helpers: numbers by value, pointers, first difference.
// ---------------------------------------------------------------------------------------

/// The same number written canonically, so that `0`, `0.0` and `-0.0` compare equal.
fn canonical_number(n: &serde_json::Number) -> Value {
    if n.is_i64() || n.is_u64() {
        return Value::Number(n.clone());
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 => Value::from(f as i64),
        _ => Value::Number(n.clone()),
    }
}

/// `v` with every number canonical (data values: defaults, enums, bodies).
pub fn canonical(v: &Value) -> Value {
    match v {
        Value::Number(n) => canonical_number(n),
        Value::Array(a) => Value::Array(a.iter().map(canonical).collect()),
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, v)| (k.clone(), canonical(v))).collect())
        }
        other => other.clone(),
    }
}

/// A text that orders JSON values independently of their key order.
fn sort_key(v: &Value) -> String {
    fn sorted(v: &Value) -> Value {
        match v {
            Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                Value::Object(
                    keys.into_iter()
                        .map(|k| (k.clone(), sorted(&m[k])))
                        .collect(),
                )
            }
            Value::Array(a) => Value::Array(a.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    serde_json::to_string(&sorted(v)).unwrap_or_default()
}

fn escape_pointer(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn short(v: &Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_default();
    if s.chars().count() > 600 {
        let cut: String = s.chars().take(600).collect();
        format!("{cut}…")
    } else {
        s
    }
}

/// The first place where two documents differ: a JSON pointer and both sides.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// Where (relative to what was compared).
    pub pointer: String,
    /// ferrapi's side (`None`: absent).
    pub ours: Option<Value>,
    /// FastAPI's side (`None`: absent).
    pub theirs: Option<Value>,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let side = |v: &Option<Value>| v.as_ref().map(short).unwrap_or_else(|| "<absent>".into());
        write!(
            f,
            "at `{}`:\n        ferrapi: {}\n        fastapi: {}",
            if self.pointer.is_empty() {
                "/"
            } else {
                &self.pointer
            },
            side(&self.ours),
            side(&self.theirs)
        )
    }
}

/// The first difference between `ours` and `theirs` (numbers by value), depth first, keys
/// in sorted order.
pub fn first_difference(ours: &Value, theirs: &Value) -> Option<Mismatch> {
    fn walk(a: &Value, b: &Value, at: &mut String) -> Option<Mismatch> {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => {
                let same = canonical_number(x) == canonical_number(y)
                    || x.as_f64().is_some() && x.as_f64() == y.as_f64();
                (!same).then(|| Mismatch {
                    pointer: at.clone(),
                    ours: Some(a.clone()),
                    theirs: Some(b.clone()),
                })
            }
            (Value::Object(x), Value::Object(y)) => {
                let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
                for k in keys {
                    let len = at.len();
                    at.push('/');
                    at.push_str(&escape_pointer(k));
                    let found = match (x.get(k), y.get(k)) {
                        (Some(p), Some(q)) => walk(p, q, at),
                        (p, q) => Some(Mismatch {
                            pointer: at.clone(),
                            ours: p.cloned(),
                            theirs: q.cloned(),
                        }),
                    };
                    at.truncate(len);
                    if found.is_some() {
                        return found;
                    }
                }
                None
            }
            (Value::Array(x), Value::Array(y)) => {
                if x.len() != y.len() {
                    return Some(Mismatch {
                        pointer: at.clone(),
                        ours: Some(a.clone()),
                        theirs: Some(b.clone()),
                    });
                }
                for (i, (p, q)) in x.iter().zip(y).enumerate() {
                    let len = at.len();
                    write!(at, "/{i}").ok();
                    let found = walk(p, q, at);
                    at.truncate(len);
                    if found.is_some() {
                        return found;
                    }
                }
                None
            }
            _ => (a != b).then(|| Mismatch {
                pointer: at.clone(),
                ours: Some(a.clone()),
                theirs: Some(b.clone()),
            }),
        }
    }
    walk(ours, theirs, &mut String::new())
}

/// Replaces the values at `pointers` with `"<ignored>"` (pointers that do not resolve are
/// skipped), as the corpus' `replay.py` does.
pub fn mask(v: &Value, pointers: &[String]) -> Value {
    let mut v = v.clone();
    for p in pointers {
        if let Some(slot) = v.pointer_mut(p) {
            *slot = Value::from("<ignored>");
        }
    }
    v
}

// ---------------------------------------------------------------------------------------
// Spec comparison.
// ---------------------------------------------------------------------------------------

/// What [`assert_spec`] compares beyond the structure (parameters, bodies, responses,
/// security, which are always compared).
#[derive(Debug, Clone, Copy, Default)]
pub struct SpecOptions {
    /// Also compare every `title`, `description`, `summary` and `externalDocs` inside the
    /// operations and their schemas.
    pub metadata: bool,
    /// Also compare `info`, the top-level `tags` and `servers` (apps that configure them).
    pub info: bool,
}

impl SpecOptions {
    /// Structure only.
    pub fn structure() -> Self {
        Self::default()
    }
    /// Structure and the operations' metadata, but not `info` (the ports keep ferrapi's
    /// default app title where the Python app keeps FastAPI's).
    pub fn with_metadata() -> Self {
        Self {
            metadata: true,
            info: false,
        }
    }
    /// Everything, `info` and top-level `tags` included.
    pub fn full() -> Self {
        Self {
            metadata: true,
            info: true,
        }
    }
}

/// Keys whose object value maps names (not keywords) to sub-documents.
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "paths",
    "responses",
    "content",
    "schemas",
    "securitySchemes",
    "headers",
    "encoding",
    "callbacks",
    "links",
];

/// Keys whose value is data (copied with canonical numbers only).
const LITERALS: &[&str] = &[
    "default", "enum", "const", "example", "examples", "mapping", "scopes",
];

/// Keys dropped unless [`SpecOptions::metadata`].
const METADATA: &[&str] = &["title", "description", "summary", "externalDocs"];

const NUMBER_FORMATS: &[&str] = &[
    "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float", "double",
];

struct Normaliser<'a> {
    doc: &'a Value,
    opts: SpecOptions,
    /// Known differences that were needed to make the documents equal.
    used: BTreeSet<Difference>,
    refs: Vec<String>,
}

impl Normaliser<'_> {
    fn resolve(&self, r: &str) -> Option<Value> {
        r.strip_prefix('#')
            .and_then(|p| self.doc.pointer(p))
            .cloned()
    }

    fn value(&mut self, v: &Value) -> Value {
        match v {
            Value::Object(m) => self.object(m),
            Value::Array(a) => Value::Array(a.iter().map(|x| self.value(x)).collect()),
            Value::Number(n) => canonical_number(n),
            other => other.clone(),
        }
    }

    fn object(&mut self, m: &Map<String, Value>) -> Value {
        // `$ref`: resolved inline, its siblings (e.g. `default`) applied on top.
        if let Some(Value::String(r)) = m.get("$ref") {
            if self.refs.contains(r) {
                return Value::from(format!("<recursive {r}>"));
            }
            if let Some(Value::Object(target)) = self.resolve(r) {
                let mut merged = target.clone();
                for (k, v) in m {
                    if k != "$ref" {
                        merged.insert(k.clone(), v.clone());
                    }
                }
                self.refs.push(r.clone());
                let out = self.object(&merged);
                self.refs.pop();
                return out;
            }
        }
        let mut out = Map::new();
        for (k, v) in m {
            let k = k.as_str();
            if !self.opts.metadata && METADATA.contains(&k) {
                continue;
            }
            let nv = if LITERALS.contains(&k) {
                canonical(v)
            } else if NAME_MAPS.contains(&k) {
                match v {
                    Value::Object(inner) => Value::Object(
                        inner
                            .iter()
                            .map(|(name, sub)| (name.clone(), self.value(sub)))
                            .collect(),
                    ),
                    other => self.value(other),
                }
            } else if k == "parameters" {
                self.parameters(v)
            } else {
                self.value(v)
            };
            out.insert(k.to_string(), nv);
        }
        self.nullable(&mut out);
        if let Some(Value::String(f)) = out.get("format") {
            let numeric = matches!(
                out.get("type").and_then(Value::as_str),
                Some("integer" | "number")
            );
            if numeric && NUMBER_FORMATS.contains(&f.as_str()) {
                out.remove("format");
                self.used.insert(Difference::NumberFormats);
            }
        }
        if out.get("format") == Some(&Value::from("binary"))
            && out.get("contentMediaType") == Some(&Value::from("application/octet-stream"))
        {
            out.remove("format");
            self.used.insert(Difference::FileFormatBinary);
        }
        for key in ["required", "enum", "tags", "type", "security"] {
            if let Some(Value::Array(items)) = out.get_mut(key) {
                items.sort_by_key(sort_key);
            }
        }
        Value::Object(out)
    }

    /// `parameters` as a map keyed by `"<in> <name>"`, so a pointer names the parameter.
    fn parameters(&mut self, v: &Value) -> Value {
        let Value::Array(items) = v else {
            return self.value(v);
        };
        let mut out = Map::new();
        for (i, p) in items.iter().enumerate() {
            let p = self.value(p);
            let key = match (
                p.get("in").and_then(Value::as_str),
                p.get("name").and_then(Value::as_str),
            ) {
                (Some(loc), Some(name)) => format!("{loc} {name}"),
                _ => format!("#{i}"),
            };
            out.insert(key, p);
        }
        Value::Object(out)
    }

    /// `anyOf: [X, {type: null}]`, `oneOf` likewise, `type: [t, "null"]` and
    /// `nullable: true` all become X plus `"nullable": true`.
    fn nullable(&mut self, out: &mut Map<String, Value>) {
        let null = serde_json::json!({"type": "null"});
        let mut is_nullable = matches!(out.get("nullable"), Some(Value::Bool(true)));
        for key in ["anyOf", "oneOf"] {
            let Some(Value::Array(members)) = out.get(key) else {
                continue;
            };
            if !members.contains(&null) {
                continue;
            }
            let rest: Vec<Value> = members.iter().filter(|m| **m != null).cloned().collect();
            is_nullable = true;
            out.remove(key);
            match <[Value; 1]>::try_from(rest) {
                Ok([Value::Object(only)]) => {
                    for (k, v) in only {
                        match out.get(&k) {
                            Some(existing) if *existing != v => {
                                out.insert(format!("{key}[0].{k}"), v);
                            }
                            _ => {
                                out.insert(k, v);
                            }
                        }
                    }
                }
                Ok([other]) => {
                    out.insert(key.into(), Value::Array(vec![other]));
                }
                Err(rest) => {
                    out.insert(key.into(), Value::Array(rest));
                }
            }
        }
        if let Some(Value::Array(types)) = out.get("type") {
            if types.contains(&Value::from("null")) {
                is_nullable = true;
                let rest: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
                let t = match <[Value; 1]>::try_from(rest) {
                    Ok([one]) => one,
                    Err(rest) => Value::Array(rest),
                };
                out.insert("type".into(), t);
            }
        }
        if is_nullable {
            out.insert("nullable".into(), Value::Bool(true));
        }
    }
}

/// One operation of the spec comparison.
#[derive(Debug, Clone)]
pub struct OperationResult {
    /// `GET /items/`.
    pub operation: String,
    /// `None` when equal.
    pub mismatch: Option<Mismatch>,
}

/// The outcome of [`compare_spec`].
#[derive(Debug, Clone)]
pub struct SpecReport {
    /// The app's corpus name.
    pub app: String,
    /// Every operation found in either document, in FastAPI's order then ferrapi's extras.
    pub operations: Vec<OperationResult>,
    /// Differences outside operations (`info`, top-level `tags`, `security`).
    pub document: Vec<Mismatch>,
    /// Known differences that were needed.
    pub tolerated: BTreeSet<Difference>,
    /// ferrapi's document as compared (before normalisation).
    pub ours: Value,
}

impl SpecReport {
    /// Operations equal / total.
    pub fn counts(&self) -> (usize, usize) {
        let ok = self
            .operations
            .iter()
            .filter(|o| o.mismatch.is_none())
            .count();
        (ok, self.operations.len())
    }
    /// True when everything compared equal.
    pub fn is_match(&self) -> bool {
        self.document.is_empty() && self.operations.iter().all(|o| o.mismatch.is_none())
    }
}

impl fmt::Display for SpecReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (ok, total) = self.counts();
        writeln!(
            f,
            "conformance {}: OpenAPI operations matched {ok}/{total}",
            self.app
        )?;
        for o in &self.operations {
            if let Some(m) = &o.mismatch {
                writeln!(f, "  DIFFERS {} {m}", o.operation)?;
            }
        }
        for m in &self.document {
            writeln!(f, "  DIFFERS document {m}")?;
        }
        write_tolerated(f, &self.tolerated)
    }
}

fn write_tolerated(f: &mut fmt::Formatter<'_>, used: &BTreeSet<Difference>) -> fmt::Result {
    for d in used {
        let k = known(*d);
        writeln!(f, "  tolerated known difference {:?}: {}", k.id, k.what)?;
    }
    Ok(())
}

/// A difference ferrapi makes on purpose wherever it occurs (not tied to a pointer).
fn tolerable(m: &Mismatch) -> Option<Difference> {
    // The 401 a security scheme answers, which FastAPI leaves undocumented.
    if m.pointer.ends_with("/responses/401") && m.theirs.is_none() && m.ours.is_some() {
        return Some(Difference::SecurityRefusalDocumented);
    }
    // The framework's own answers to an unreadable, late or too large request.
    if ["/responses/400", "/responses/408", "/responses/413"]
        .iter()
        .any(|s| m.pointer.ends_with(s))
        && m.theirs.is_none()
        && m.ours.is_some()
    {
        return Some(Difference::RequestErrorsDocumented);
    }
    None
}

/// Sets the value at `pointer`, creating the last key in its (existing) parent object.
fn set_at(v: &mut Value, pointer: &str, to: Value) {
    if let Some(slot) = v.pointer_mut(pointer) {
        *slot = to;
    } else if let Some((parent, key)) = pointer.rsplit_once('/') {
        if let Some(Value::Object(m)) = v.pointer_mut(parent) {
            m.insert(key.replace("~1", "/").replace("~0", "~"), to);
        }
    }
}

/// The first difference that is not a [`tolerable`] one; tolerated ones are masked on
/// both sides and recorded in `used`.
fn tolerant_difference(
    x: &mut Value,
    y: &mut Value,
    used: &mut BTreeSet<Difference>,
) -> Option<Mismatch> {
    loop {
        let m = first_difference(x, y)?;
        let Some(d) = tolerable(&m) else {
            return Some(m);
        };
        let mark = Value::from(format!("<tolerated {d:?}>"));
        set_at(x, &m.pointer, mark.clone());
        set_at(y, &m.pointer, mark);
        used.insert(d);
    }
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn operations(doc: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for m in METHODS {
                if item.get(*m).is_some() {
                    out.push((path.clone(), m.to_string()));
                }
            }
        }
    }
    out
}

/// Compares ferrapi's document with FastAPI's (see the module docs).
pub fn compare_spec(
    app: &str,
    ours: &Value,
    theirs: &Value,
    opts: SpecOptions,
    tolerate: &[Tolerate],
) -> SpecReport {
    let mut a = Normaliser {
        doc: ours,
        opts,
        used: BTreeSet::new(),
        refs: Vec::new(),
    };
    let mut b = Normaliser {
        doc: theirs,
        opts,
        used: BTreeSet::new(),
        refs: Vec::new(),
    };
    let mut ops = operations(theirs);
    for op in operations(ours) {
        if !ops.contains(&op) {
            ops.push(op);
        }
    }
    let mut report = SpecReport {
        app: app.to_string(),
        operations: Vec::new(),
        document: Vec::new(),
        tolerated: BTreeSet::new(),
        ours: ours.clone(),
    };
    for (path, method) in ops {
        let pointer = format!("/paths/{}/{method}", escape_pointer(&path));
        let mut x = ours.pointer(&pointer).map(|v| a.value(v));
        let mut y = theirs.pointer(&pointer).map(|v| b.value(v));
        if let (Some(x), Some(y)) = (&mut x, &mut y) {
            for t in tolerate {
                if let Some(rel) = t.pointer.strip_prefix(pointer.as_str()) {
                    if x.pointer(rel) != y.pointer(rel) {
                        let mark = Value::from(format!("<tolerated {:?}>", t.difference));
                        // Present on one side only (a response one side leaves out) is a
                        // difference at that pointer too.
                        for side in [&mut *x, &mut *y] {
                            set_at(side, rel, mark.clone());
                        }
                        if x.pointer(rel) == y.pointer(rel) {
                            a.used.insert(t.difference);
                        }
                    }
                }
            }
        }
        let mismatch = match (&mut x, &mut y) {
            (Some(x), Some(y)) => tolerant_difference(x, y, &mut a.used).map(|mut m| {
                m.pointer = format!("{pointer}{}", m.pointer);
                m
            }),
            _ => Some(Mismatch {
                pointer,
                ours: x.clone(),
                theirs: y.clone(),
            }),
        };
        report.operations.push(OperationResult {
            operation: format!("{} {path}", method.to_ascii_uppercase()),
            mismatch,
        });
    }
    let mut top = vec!["security"];
    if opts.info {
        top.extend(["info", "tags", "servers"]);
    }
    for key in top {
        let x = ours.get(key).map(|v| a.value(v));
        let y = theirs.get(key).map(|v| b.value(v));
        let wrap = |v: Option<Value>| {
            v.map(|v| serde_json::json!({ key: v }))
                .unwrap_or(Value::Object(Map::new()))
        };
        if let Some(m) = first_difference(&wrap(x), &wrap(y)) {
            report.document.push(m);
        }
    }
    // Operations name their security schemes; what each scheme is lives in the components.
    let schemes = |doc: &Value, n: &mut Normaliser| {
        doc.pointer("/components/securitySchemes")
            .map(|v| n.value(v))
            .unwrap_or(Value::Object(Map::new()))
    };
    let (x, y) = (schemes(ours, &mut a), schemes(theirs, &mut b));
    if let Some(mut m) = first_difference(&x, &y) {
        m.pointer = format!("/components/securitySchemes{}", m.pointer);
        report.document.push(m);
    }
    report.tolerated = a.used;
    report.tolerated.extend(b.used);
    report.tolerated.insert(Difference::OperationIdStyle);
    report
}

/// Builds `app`'s document with FastAPI-style operation ids and compares it with FastAPI's
/// for corpus app `name`, panicking with the report on any difference.
pub fn assert_spec(name: &str, app: App, opts: SpecOptions) -> SpecReport {
    assert_spec_with(name, app, opts, &[])
}

/// [`assert_spec`], tolerating the given known differences at the given pointers.
pub fn assert_spec_with(
    name: &str,
    app: App,
    opts: SpecOptions,
    tolerate: &[Tolerate],
) -> SpecReport {
    let api = app
        .operation_ids(OperationIds::FastApi)
        .describe()
        .unwrap_or_else(|e| panic!("conformance {name}: the ferrapi app cannot start: {e}"));
    let ours = ferrapi::render::openapi(&api, OpenApiVersion::V3_1);
    // The other renderings of the same description are validated by CI
    // (openapi-spec-validator), so every conformance app checks the 3.0 and 3.2 renderers.
    for version in [OpenApiVersion::V3_0, OpenApiVersion::V3_2] {
        let doc = ferrapi::render::openapi(&api, version);
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/tmp");
        crate::export_doc(dir, &format!("conformance-{name}-{version}"), &doc);
    }
    let report = compare_spec(name, &ours, &fastapi_spec(name), opts, tolerate);
    assert!(report.is_match(), "\n{report}");
    eprint!("{report}");
    report
}

// ---------------------------------------------------------------------------------------
// Case replay.
// ---------------------------------------------------------------------------------------

/// How one case went.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Same answer.
    Matched,
    /// Same answer once the listed known differences are taken into account.
    Tolerated(Vec<Difference>),
    /// A different answer: what differs.
    Differs(Vec<String>),
}

/// The outcome of [`replay`].
#[derive(Debug, Clone)]
pub struct ReplayReport {
    /// The app's corpus name.
    pub app: String,
    /// `(case name, outcome)` in order.
    pub cases: Vec<(String, Outcome)>,
}

impl ReplayReport {
    /// `(matched, tolerated, differ)`.
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut c = (0, 0, 0);
        for (_, o) in &self.cases {
            match o {
                Outcome::Matched => c.0 += 1,
                Outcome::Tolerated(_) => c.1 += 1,
                Outcome::Differs(_) => c.2 += 1,
            }
        }
        c
    }
    /// True when no case differs.
    pub fn is_match(&self) -> bool {
        self.counts().2 == 0
    }
}

impl fmt::Display for ReplayReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (ok, tol, bad) = self.counts();
        writeln!(
            f,
            "conformance {}: cases matched {}/{} ({ok} identical, {tol} with a known difference), {bad} differ",
            self.app,
            ok + tol,
            ok + tol + bad,
        )?;
        let mut used = BTreeSet::new();
        for (i, (name, o)) in self.cases.iter().enumerate() {
            match o {
                Outcome::Differs(problems) => {
                    writeln!(f, "  DIFFERS case #{i} {name:?}:")?;
                    for p in problems {
                        writeln!(f, "    - {p}")?;
                    }
                }
                Outcome::Tolerated(ds) => used.extend(ds.iter().copied()),
                Outcome::Matched => {}
            }
        }
        write_tolerated(f, &used)
    }
}

fn header_all(res: &TestResponse, name: &str) -> Option<String> {
    let vals: Vec<&str> = res
        .headers()
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    (!vals.is_empty()).then(|| vals.join(", "))
}

fn path_and_query(location: &str) -> String {
    let rest = match location.find("://") {
        Some(i) => {
            let after = &location[i + 3..];
            match after.find('/') {
                Some(j) => &after[j..],
                None => "/",
            }
        }
        None => location,
    };
    rest.split('#').next().unwrap_or("").to_string()
}

fn method_set(v: &str) -> BTreeSet<String> {
    v.split(',')
        .map(|m| m.trim().to_ascii_uppercase())
        .filter(|m| !m.is_empty())
        .collect()
}

/// Headers the corpus recorded whenever FastAPI sent them: if FastAPI did not send one of
/// these, ferrapi must not either.
fn recorded_header(name: &str) -> bool {
    matches!(
        name,
        "content-type" | "www-authenticate" | "location" | "allow" | "set-cookie"
    ) || name.starts_with("x-")
}

struct Check<'a> {
    case: &'a Case,
    tolerate: &'a [Tolerate],
    problems: Vec<String>,
    tolerated: Vec<Difference>,
}

impl Check<'_> {
    fn headers(&mut self, res: &TestResponse) {
        let expected: BTreeMap<String, String> = self
            .case
            .0
            .get("expect_headers")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| {
                        let v = match v {
                            Value::Array(a) => a
                                .iter()
                                .filter_map(Value::as_str)
                                .collect::<Vec<_>>()
                                .join(", "),
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        };
                        (k.to_ascii_lowercase(), v)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let ignored = self.case.strings("ignore_headers");
        for (name, want) in &expected {
            if ignored.contains(name) && name != "location" {
                continue;
            }
            let got = header_all(res, name);
            let same = match (name.as_str(), &got) {
                ("content-type", None) if res.status() == 204 && res.bytes().is_empty() => {
                    self.tolerated.push(Difference::NoContentTypeOn204);
                    true
                }
                (_, None) => false,
                ("allow", Some(g)) => {
                    let mut ours = method_set(g);
                    let theirs = method_set(want);
                    if ours.contains("HEAD") && ours.contains("GET") && !theirs.contains("HEAD") {
                        ours.remove("HEAD");
                        self.tolerated.push(Difference::AllowListsHead);
                    }
                    if ours != theirs && ours.is_superset(&theirs) {
                        self.tolerated.push(Difference::AllowListsEveryMethod);
                        true
                    } else {
                        ours == theirs
                    }
                }

                ("location", Some(g)) => path_and_query(g) == path_and_query(want),
                (_, Some(g)) => g == want,
            };
            if !same {
                self.problems.push(format!(
                    "header `{name}`: ferrapi {} / fastapi {want:?}",
                    got.map(|g| format!("{g:?}"))
                        .unwrap_or_else(|| "<absent>".into())
                ));
            }
        }
        for (name, value) in res.headers() {
            let name = name.as_str();
            if recorded_header(name) && !expected.contains_key(name) {
                self.problems.push(format!(
                    "header `{name}`: ferrapi {:?} / fastapi <absent>",
                    value.to_str().unwrap_or("<binary>")
                ));
            }
        }
    }

    fn body(&mut self, res: &TestResponse, app: &str) {
        let c = &self.case.0;
        let ct = res.header("content-type").unwrap_or("").to_string();
        let got_json = if ct.contains("json") && !res.bytes().is_empty() {
            match serde_json::from_slice::<Value>(res.bytes()) {
                Ok(v) => Some(v),
                Err(e) => {
                    self.problems
                        .push(format!("body is not JSON ({e}): {:?}", res.text()));
                    return;
                }
            }
        } else {
            None
        };
        let want = c.get("expect_json").cloned().unwrap_or(Value::Null);
        let is_openapi = self.case.str("path").ends_with("openapi.json")
            && want.get("openapi").is_some()
            && res.status() == 200;
        if is_openapi {
            let ours = got_json.clone().unwrap_or(Value::Null);
            let report = compare_spec(app, &ours, &want, SpecOptions::full(), self.tolerate);
            if report.is_match() {
                self.tolerated.push(Difference::OpenApiDocumentNormalised);
                self.tolerated.extend(report.tolerated.iter().copied());
            } else {
                self.problems
                    .push(format!("served document differs:\n{report}"));
            }
        } else {
            let ignore = self.case.strings("ignore");
            let ours = mask(&got_json.clone().unwrap_or(Value::Null), &ignore);
            let theirs = mask(&want, &ignore);
            if let Some(m) = first_difference(&ours, &theirs) {
                self.problems.push(format!("JSON body differs {m}"));
            }
        }
        if c.get("expect_empty_body").and_then(Value::as_bool) == Some(true)
            && !res.bytes().is_empty()
        {
            self.problems.push(format!(
                "body should be empty, ferrapi sent {:?}",
                res.text()
            ));
        }
        if let Some(t) = c.get("expect_text").and_then(Value::as_str) {
            if res.text() != t {
                self.problems.push(format!(
                    "text body: ferrapi {:?} / fastapi {t:?}",
                    res.text()
                ));
            }
        }
        if let Some(Value::Array(subs)) = c.get("expect_contains") {
            let text = with_resolved_addresses(&res.text(), self.case.str("path"));
            for s in subs.iter().filter_map(Value::as_str) {
                if !text.contains(s) {
                    self.problems.push(format!("body lacks {s:?}"));
                }
            }
        }
    }
}

async fn send(client: &TestClient, case: &Case) -> TestResponse {
    let method = Method::from_bytes(case.str("method").as_bytes())
        .unwrap_or_else(|_| panic!("case {:?}: bad method", case.name()));
    let mut uri = case.str("path").to_string();
    if !case.str("query").is_empty() {
        uri.push('?');
        uri.push_str(case.str("query"));
    }
    let mut req = client.request(method, &uri);
    if let Some(headers) = case.0.get("headers").and_then(Value::as_object) {
        for (k, v) in headers {
            match v {
                Value::Array(items) => {
                    for one in items.iter().filter_map(Value::as_str) {
                        req = req.header(k, one);
                    }
                }
                Value::String(s) => req = req.header(k, s),
                other => req = req.header(k, &other.to_string()),
            }
        }
    }
    if let Some(body) = case.0.get("body").and_then(Value::as_str) {
        req = req.body(body.to_string());
    }
    req.send().await
}

fn check(case: &Case, res: &TestResponse, app: &str, tolerate: &[Tolerate]) -> Outcome {
    let want_status = case
        .0
        .get("expect_status")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    let got_status = u64::from(res.status().as_u16());
    // Known differences that change the whole answer.
    let fastapi_allows_get = case
        .0
        .pointer("/expect_headers/allow")
        .and_then(Value::as_str)
        .is_some_and(|a| method_set(a).contains("GET"));
    if case.str("method") == "HEAD"
        && want_status == 405
        && fastapi_allows_get
        && res.status().is_success()
        && res.bytes().is_empty()
    {
        return Outcome::Tolerated(vec![Difference::HeadOnGet]);
    }
    if want_status == 500
        && got_status == 500
        && case.0.get("expect_text").and_then(Value::as_str) == Some("Internal Server Error")
        && res.header("content-type") == Some("application/json")
        && serde_json::from_slice::<Value>(res.bytes()).ok()
            == Some(serde_json::json!({"detail": "Internal Server Error"}))
    {
        return Outcome::Tolerated(vec![Difference::PanicIsJson]);
    }
    let mut c = Check {
        case,
        tolerate,
        problems: Vec::new(),
        tolerated: Vec::new(),
    };
    if got_status != want_status {
        let body: String = res.text().chars().take(300).collect();
        c.problems.push(format!(
            "status: ferrapi {got_status} / fastapi {want_status}; ferrapi's body {body:?}"
        ));
    }
    c.headers(res);
    c.body(res, app);
    if !c.problems.is_empty() {
        Outcome::Differs(c.problems)
    } else if c.tolerated.is_empty() {
        Outcome::Matched
    } else {
        c.tolerated.sort();
        c.tolerated.dedup();
        Outcome::Tolerated(c.tolerated)
    }
}

/// A docs page's text with every relative address it names resolved against `page` and
/// appended: ferrapi's pages name the document (`"../openapi.json"`, `spec-url="openapi.json"`)
/// and the OAuth2 redirect page (`new URL("oauth2-redirect", window.location.href)`)
/// relative to themselves, so that they work under a prefix; FastAPI's recordings name the
/// same resources by absolute path.
fn with_resolved_addresses(text: &str, page: &str) -> String {
    let dir = &page[..page.rfind('/').map(|i| i + 1).unwrap_or(0)];
    let mut out = text.to_string();
    for quoted in text.split('"').skip(1).step_by(2) {
        let relative = !quoted.starts_with('/')
            && !quoted.contains(':')
            && ([".json", ".html", ".js"]
                .iter()
                .any(|e| quoted.ends_with(e))
                || text.contains(&format!("new URL(\"{quoted}\"")));
        if relative {
            let mut parts: Vec<&str> = dir.trim_end_matches('/').split('/').collect();
            for seg in quoted.split('/') {
                match seg {
                    ".." => {
                        if parts.len() > 1 {
                            parts.pop();
                        }
                    }
                    "." => {}
                    s => parts.push(s),
                }
            }
            out.push('\n');
            out.push_str(&parts.join("/"));
        }
    }
    out
}

/// FastAPI's docs URLs and where ferrapi serves the same content ([`Difference::DocsPagesVendored`]).
const DOCS_PAGES: &[(&str, &[&str])] = &[("/docs", &["/docs/", "/docs/swagger-initializer.js"])];

/// For a docs-page case ferrapi does not answer at FastAPI's URL: the same content must be
/// served at ferrapi's URLs (the page title aside).
async fn docs_page(client: &TestClient, case: &Case, res: &TestResponse) -> Option<Outcome> {
    let (_, ours) = DOCS_PAGES.iter().find(|(p, _)| *p == case.str("path"))?;
    if res.status() == 200 {
        return None;
    }
    let mut problems = Vec::new();
    let mut text = String::new();
    for (i, url) in ours.iter().enumerate() {
        let r = client.get(url).send().await;
        if r.status() != 200 {
            problems.push(format!("ferrapi's {url} answers {}", r.status()));
        }
        if i == 0
            && !r
                .header("content-type")
                .unwrap_or("")
                .starts_with("text/html")
        {
            problems.push(format!(
                "ferrapi's {url} is not HTML: {:?}",
                r.header("content-type")
            ));
        }
        text.push_str(&r.text());
    }
    let text = with_resolved_addresses(&text, ours[0]);
    for want in case.strings("expect_contains") {
        if !want.ends_with(" - Swagger UI") && !text.contains(&want) {
            problems.push(format!("ferrapi's {} lack {want:?}", ours.join(" + ")));
        }
    }
    Some(if problems.is_empty() {
        Outcome::Tolerated(vec![Difference::DocsPagesVendored])
    } else {
        Outcome::Differs(problems)
    })
}

/// Sends the recorded cases of app `name` whose path starts with one of `prefixes` to
/// `client`, checks each status against FastAPI's and each 422 body exactly, and returns
/// the cases with ferrapi's answers for the caller's own checks of the rest. For apps
/// replayed in part (types whose values Rust holds differently).
pub async fn replay_part(
    client: &TestClient,
    name: &str,
    prefixes: &[&str],
) -> Vec<(Value, TestResponse)> {
    let mut out = Vec::new();
    for Case(case) in fastapi_cases(name) {
        let path = case["path"].as_str().unwrap_or_default();
        if !prefixes.iter().any(|p| path.starts_with(p)) {
            continue;
        }
        let res = send(client, &Case(case.clone())).await;
        let label = case["name"].as_str().unwrap_or_default();
        let want = case["expect_status"].as_u64().unwrap_or_default();
        assert_eq!(
            u64::from(res.status().as_u16()),
            want,
            "{label}: {}",
            res.text()
        );
        if want == 422 {
            assert_eq!(res.json_value(), case["expect_json"], "{label}");
        }
        out.push((case, res));
    }
    out
}

/// How long a WebSocket step may wait for the app.
const WS_WAIT: Duration = Duration::from_secs(5);

/// The next frame from the app, or `None` after [`WS_WAIT`].
async fn ws_receive(session: &mut WsSession) -> Option<WsFrame> {
    tokio::time::timeout(WS_WAIT, session.receive()).await.ok()
}

fn ws_close_of(v: &Value) -> (u64, String) {
    (
        v.get("code").and_then(Value::as_u64).unwrap_or(0),
        v.get("reason")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
    )
}

/// Replays a WebSocket case (`"kind": "websocket"` in the corpus README): the handshake,
/// then each step in order. Stops at the first step that goes differently.
async fn websocket_case(client: &TestClient, case: &Case) -> Outcome {
    let mut uri = case.str("path").to_string();
    if !case.str("query").is_empty() {
        uri.push('?');
        uri.push_str(case.str("query"));
    }
    let mut req = client.websocket(&uri);
    if let Some(headers) = case.0.get("headers").and_then(Value::as_object) {
        for (k, v) in headers {
            match v {
                Value::Array(items) => {
                    for one in items.iter().filter_map(Value::as_str) {
                        req = req.header(k, one);
                    }
                }
                Value::String(s) => req = req.header(k, s),
                other => req = req.header(k, &other.to_string()),
            }
        }
    }
    let accepted = case.0.get("expect_accepted").and_then(Value::as_bool) != Some(false);
    let connected = match tokio::time::timeout(WS_WAIT, req.connect()).await {
        Ok(c) => c,
        Err(_) => return Outcome::Differs(vec!["the handshake did not finish".into()]),
    };
    if !accepted {
        // FastAPI closed the connection before accepting it.
        let (code, reason) = ws_close_of(case.0.get("expect_close").unwrap_or(&Value::Null));
        let theirs = format!("fastapi closed the connection before accept with {code} {reason:?}");
        return match connected {
            Ok(mut session) => match ws_receive(&mut session).await {
                Some(WsFrame::Close(c, r)) if u64::from(c) == code && r == reason => {
                    Outcome::Tolerated(vec![Difference::WebSocketCloseAfterAccept])
                }
                other => Outcome::Differs(vec![format!(
                    "{theirs}; ferrapi accepted it, then sent {other:?}"
                )]),
            },
            // Starlette closes a WebSocket to an unknown path with 1000.
            Err(WsRefused::Http(status)) if status == 404 && code == 1000 => {
                Outcome::Tolerated(vec![Difference::WebSocketUnknownPath404])
            }
            Err(e) => Outcome::Differs(vec![format!(
                "{theirs}; ferrapi refused the handshake: {e:?}"
            )]),
        };
    }
    let mut session = match connected {
        Ok(s) => s,
        Err(e) => {
            return Outcome::Differs(vec![format!(
                "fastapi accepted the connection; ferrapi refused the handshake: {e:?}"
            )])
        }
    };
    let steps = case
        .0
        .get("steps")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut closed = false;
    for (i, step) in steps.iter().enumerate() {
        let Some((kind, arg)) = step.as_object().and_then(|m| m.iter().next()) else {
            panic!("case {:?}: step #{i} is not an object", case.name());
        };
        let problem = match kind.as_str() {
            "send_text" | "send_json" => {
                // `WsSession` panics when it cannot send: the app has closed the connection.
                let send = async {
                    match arg.as_str() {
                        Some(text) if kind == "send_text" => session.send_text(text).await,
                        _ => session.send_json(arg).await,
                    }
                };
                AssertUnwindSafe(send)
                    .catch_unwind()
                    .await
                    .err()
                    .map(|_| format!("cannot {kind}: ferrapi has closed the connection"))
            }
            "receive_text" | "receive_json" | "receive_close" => {
                let got = ws_receive(&mut session).await;
                closed |= matches!(got, Some(WsFrame::Close(..)));
                match (kind.as_str(), &got) {
                    ("receive_text", Some(WsFrame::Text(t)))
                        if Some(t.as_str()) == arg.as_str() =>
                    {
                        None
                    }
                    ("receive_json", Some(WsFrame::Text(t))) => {
                        match serde_json::from_str::<Value>(t) {
                            Ok(v) => first_difference(&v, arg)
                                .map(|m| format!("JSON message differs {m}")),
                            Err(e) => Some(format!("ferrapi sent {t:?}, which is not JSON ({e})")),
                        }
                    }
                    ("receive_close", Some(WsFrame::Close(code, reason)))
                        if (u64::from(*code), reason.clone()) == ws_close_of(arg) =>
                    {
                        None
                    }
                    _ => Some(format!(
                        "ferrapi sent {}, fastapi {kind} {}",
                        got.map(|f| format!("{f:?}"))
                            .unwrap_or_else(|| format!("nothing within {WS_WAIT:?}")),
                        short(arg)
                    )),
                }
            }
            other => panic!("case {:?}: unknown step {other:?}", case.name()),
        };
        if let Some(p) = problem {
            return Outcome::Differs(vec![format!("step #{i}: {p}")]);
        }
    }
    if !closed {
        session.close().await;
    }
    Outcome::Matched
}

/// Replays the cases of corpus app `name`, in order, against one instance of `app`.
pub fn replay(name: &str, app: App, tolerate: &[Tolerate]) -> ReplayReport {
    let router = app.operation_ids(OperationIds::FastApi).into_router();
    let cases = fastapi_cases(name);
    crate::block_on(async move {
        let mut report = ReplayReport {
            app: name.to_string(),
            cases: Vec::new(),
        };
        for case in &cases {
            // A fresh client per case: the same app (router and state), but no cookie jar
            // carried over, since the recorded requests sent only the headers listed.
            let client = TestClient::from_router(router.clone());
            if case.str("kind") == "websocket" {
                let outcome = websocket_case(&client, case).await;
                report.cases.push((case.name().to_string(), outcome));
                continue;
            }
            let mut res = send(&client, case).await;
            let mut outcome = match docs_page(&client, case, &res).await {
                Some(o) => o,
                None => check(case, &res, name, tolerate),
            };
            if case.0.get("eventually").and_then(Value::as_bool) == Some(true) {
                let deadline = Instant::now() + Duration::from_secs(3);
                while matches!(outcome, Outcome::Differs(_)) && Instant::now() < deadline {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    res = send(&client, case).await;
                    outcome = check(case, &res, name, tolerate);
                }
            }
            report.cases.push((case.name().to_string(), outcome));
        }
        report
    })
}

/// Replays corpus app `name`'s cases against `app`, panicking with the report when a case
/// differs.
pub fn assert_cases(name: &str, app: App) -> ReplayReport {
    assert_cases_with(name, app, &[])
}

/// [`assert_cases`], tolerating the given known differences at the given pointers of a
/// served OpenAPI document.
pub fn assert_cases_with(name: &str, app: App, tolerate: &[Tolerate]) -> ReplayReport {
    let report = replay(name, app, tolerate);
    assert!(report.is_match(), "\n{report}");
    eprint!("{report}");
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn norm(v: &Value) -> Value {
        let mut n = Normaliser {
            doc: v,
            opts: SpecOptions::structure(),
            used: BTreeSet::new(),
            refs: Vec::new(),
        };
        n.value(v)
    }

    #[test]
    fn nullable_spellings_are_equal() {
        let a =
            json!({"anyOf": [{"type": "string", "maxLength": 3}, {"type": "null"}], "title": "Q"});
        let b = json!({"type": ["string", "null"], "maxLength": 3});
        let c = json!({"oneOf": [{"type": "null"}, {"type": "string", "maxLength": 3}]});
        assert_eq!(norm(&a), norm(&b));
        assert_eq!(norm(&a), norm(&c));
        assert_ne!(norm(&a), norm(&json!({"type": "string", "maxLength": 3})));
    }

    #[test]
    fn refs_numbers_sets_and_formats() {
        let doc = json!({
            "components": {"schemas": {"P": {"enum": ["b", "a"], "type": "string"}}},
            "x": {"$ref": "#/components/schemas/P", "default": "a"},
            "y": {"type": "integer", "format": "int64", "minimum": 1.0, "required": ["z", "y"]},
        });
        let n = norm(&doc);
        assert_eq!(
            n["x"],
            json!({"enum": ["a", "b"], "type": "string", "default": "a"})
        );
        assert_eq!(
            n["y"],
            json!({"type": "integer", "minimum": 1, "required": ["y", "z"]})
        );
    }

    #[test]
    fn first_difference_points_at_it() {
        let m = first_difference(
            &json!({"a": [1, {"b": 2.0}], "c": 0}),
            &json!({"a": [1.0, {"b": 3}], "c": 0.0}),
        )
        .unwrap();
        assert_eq!(m.pointer, "/a/1/b");
        assert!(first_difference(&json!({"gt": 0}), &json!({"gt": 0.0})).is_none());
    }

    #[test]
    fn property_names_are_not_keywords() {
        let v = json!({"properties": {"title": {"type": "string", "title": "Title"}}});
        assert_eq!(
            norm(&v),
            json!({"properties": {"title": {"type": "string"}}})
        );
    }

    #[test]
    fn a_spec_matches_itself_and_a_mutation_is_pointed_at() {
        let theirs = fastapi_spec("04_query_constraints");
        let same = compare_spec("04", &theirs, &theirs, SpecOptions::full(), &[]);
        assert!(same.is_match(), "{same}");
        assert_eq!(same.counts(), (2, 2));

        let mut ours = theirs.clone();
        ours["paths"]["/products/"]["get"]["parameters"][1]["schema"]["maximum"] = json!(99);
        let r = compare_spec("04", &ours, &theirs, SpecOptions::structure(), &[]);
        assert_eq!(r.counts(), (1, 2));
        let m = r.operations[1].mismatch.as_ref().expect("a mismatch");
        assert_eq!(
            m.pointer,
            "/paths/~1products~1/get/parameters/query page/schema/maximum"
        );
        assert_eq!(
            (m.ours.clone(), m.theirs.clone()),
            (Some(json!(99)), Some(json!(100)))
        );

        // A parameter that is no longer deprecated, a missing 422, an extra operation.
        let mut ours = theirs.clone();
        ours["paths"]["/products/"]["get"]["parameters"][3]
            .as_object_mut()
            .unwrap()
            .remove("deprecated");
        ours["paths"]["/codes"]["get"]["responses"]
            .as_object_mut()
            .unwrap()
            .remove("422");
        ours["paths"]["/extra"] = json!({"get": {"responses": {}}});
        let r = compare_spec("04", &ours, &theirs, SpecOptions::structure(), &[]);
        assert_eq!(r.counts(), (0, 3), "{r}");
    }

    #[test]
    fn model_titles_are_compared() {
        let theirs = fastapi_spec("13_status_codes");
        let mut ours = theirs.clone();
        let text = &mut ours["components"]["schemas"]["NoteIn"]["properties"]["text"];
        text.as_object_mut().unwrap().remove("title");
        let r = compare_spec("13", &ours, &theirs, SpecOptions::with_metadata(), &[]);
        assert!(!r.is_match(), "a missing title is a difference: {r}");
        ours["components"]["schemas"]["NoteIn"]["properties"]["text"]["title"] = json!("Wrong");
        let r = compare_spec("13", &ours, &theirs, SpecOptions::with_metadata(), &[]);
        assert!(!r.is_match(), "{r}");
        let same = compare_spec("13", &theirs, &theirs, SpecOptions::with_metadata(), &[]);
        assert!(same.is_match());
    }

    #[test]
    fn security_schemes_are_compared() {
        let theirs = fastapi_spec("21_apikey_bearer");
        let mut ours = theirs.clone();
        ours["components"]["securitySchemes"]["APIKeyHeader"]["name"] = json!("X-Key");
        let r = compare_spec("21", &ours, &theirs, SpecOptions::structure(), &[]);
        assert_eq!(r.document.len(), 1, "{r}");
        assert_eq!(
            r.document[0].pointer,
            "/components/securitySchemes/APIKeyHeader/name"
        );
        // Descriptions are metadata.
        let mut ours = theirs.clone();
        ours["components"]["securitySchemes"]["HTTPBearer"]["description"] = json!("x");
        assert!(compare_spec("21", &ours, &theirs, SpecOptions::structure(), &[]).is_match());
        let r = compare_spec("21", &ours, &theirs, SpecOptions::with_metadata(), &[]);
        assert!(!r.is_match());
    }

    #[test]
    fn metadata_is_compared_only_when_asked() {
        let theirs = fastapi_spec("04_query_constraints");
        let mut ours = theirs.clone();
        ours["paths"]["/products/"]["get"]["parameters"][0]["schema"]["title"] = json!("Q");
        ours["info"]["title"] = json!("ferrapi");
        assert!(compare_spec("04", &ours, &theirs, SpecOptions::structure(), &[]).is_match());
        let r = compare_spec("04", &ours, &theirs, SpecOptions::with_metadata(), &[]);
        assert_eq!(r.counts(), (1, 2));
        assert!(r.document.is_empty());
        let r = compare_spec("04", &ours, &theirs, SpecOptions::full(), &[]);
        assert_eq!(r.document.len(), 1);
    }

    mod wrong_port {
        //! App 01 with a wrong default (`limit = 5` instead of 10) and a missing route:
        //! the harness must notice both, in the document and in the answers.
        use ferrapi::prelude::*;
        use serde_json::{json, Value};

        #[get("/items/")]
        pub(super) async fn list_items(
            #[query(default = 0)] skip: i64,
            #[query(default = 5)] limit: i64,
        ) -> Json<Value> {
            Json(json!({"skip": skip, "limit": limit, "count": 0, "items": []}))
        }
    }

    #[test]
    fn a_wrong_port_is_caught() {
        let app = || ferrapi::App::new().routes(ferrapi::routes![wrong_port::list_items]);
        let ours = app()
            .operation_ids(OperationIds::FastApi)
            .openapi_value()
            .unwrap();
        let r = compare_spec(
            "01_query_defaults",
            &ours,
            &fastapi_spec("01_query_defaults"),
            SpecOptions::full(),
            &[],
        );
        assert_eq!(r.counts(), (0, 2), "{r}");
        let m = r.operations[0].mismatch.as_ref().unwrap();
        assert_eq!(
            m.pointer,
            "/paths/~1items~1/get/parameters/query limit/schema/default"
        );
        assert!(r.operations[1].mismatch.as_ref().unwrap().ours.is_none());
        assert_eq!(r.document.len(), 1, "info.title differs: {r}");

        let r = replay("01_query_defaults", app(), &[]);
        let differ: Vec<&str> = r
            .cases
            .iter()
            .filter(|(_, o)| matches!(o, Outcome::Differs(_)))
            .map(|(n, _)| n.as_str())
            .collect();
        assert!(differ.contains(&"defaults applied"), "{r}");
        assert!(differ.contains(&"bool and float coercion"), "{r}");
        assert!(!differ.contains(&"skip not an int"), "{r}");
        assert!(!r.is_match());
    }

    mod wrong_ws_ports {
        //! App 27 gone wrong in the ways the WebSocket replayer must notice.
        use ferrapi::prelude::*;
        use ferrapi::realtime::{CloseFrame, Message, WebSocket};
        use serde_json::{json, Value};

        async fn close(socket: &mut WebSocket, code: u16) {
            let frame = CloseFrame {
                code,
                reason: "".into(),
            };
            let _ = socket.send(Message::Close(Some(frame))).await;
        }

        #[get("/")]
        pub(super) async fn index() -> Json<Value> {
            Json(json!({"websockets": ["/ws/echo", "/ws/rooms/{room}", "/ws/sum"]}))
        }

        // Replies without the space after the colon.
        #[websocket("/ws/echo")]
        pub(super) async fn echo(mut socket: WebSocket) {
            while let Some(Ok(Message::Text(t))) = socket.recv().await {
                let reply = format!("echo:{}", t.as_str());
                let _ = socket.send(Message::Text(reply.into())).await;
            }
        }

        // Rounds the sum down.
        #[websocket("/ws/sum")]
        pub(super) async fn summer(mut socket: WebSocket) {
            let _ = socket.recv().await;
            let reply = json!({"sum": 6, "count": 3}).to_string();
            let _ = socket.send(Message::Text(reply.into())).await;
            close(&mut socket, 1000).await;
        }

        // The wrong close code without a token; no close frame at all with one.
        #[websocket("/ws/rooms/{room}")]
        pub(super) async fn room(
            mut socket: WebSocket,
            room: String,
            #[query] token: Option<String>,
        ) {
            if token.is_none() {
                return close(&mut socket, 1003).await;
            }
            let joined = json!({"room": room, "joined": true}).to_string();
            let _ = socket.send(Message::Text(joined.into())).await;
        }
    }

    fn outcomes(r: &ReplayReport) -> BTreeMap<&str, &Outcome> {
        r.cases.iter().map(|(n, o)| (n.as_str(), o)).collect()
    }

    #[test]
    fn a_wrong_websocket_port_is_caught() {
        use wrong_ws_ports::*;
        let differs = |o: &Outcome| matches!(o, Outcome::Differs(_));
        let tolerated = |o: &Outcome, d| matches!(o, Outcome::Tolerated(ds) if ds == &[d]);

        // No room route: refused where FastAPI accepted, and a 404 is not a 1008.
        let r = replay(
            "27_websocket",
            ferrapi::App::new().routes(ferrapi::routes![index, echo, summer]),
            &[],
        );
        let o = outcomes(&r);
        assert!(differs(o["echo session"]), "{r}");
        assert!(differs(o["room with token"]), "{r}");
        assert!(
            differs(o["room without token is rejected before accept"]),
            "{r}"
        );
        assert!(differs(o["json round trip"]), "{r}");
        assert!(
            tolerated(
                o["websocket to unknown path"],
                Difference::WebSocketUnknownPath404
            ),
            "{r}"
        );
        assert!(matches!(o["http route"], Outcome::Matched), "{r}");
        assert!(
            matches!(o["plain HTTP GET on websocket route"], Outcome::Matched),
            "{r}"
        );

        // Accepted then closed, but with the wrong code. (A session that ends without a
        // close frame cannot be written any more: the server closes with 1000 when the
        // handler returns, as the recording's explicit close does.)
        let r = replay(
            "27_websocket",
            ferrapi::App::new().routes(ferrapi::routes![index, room]),
            &[],
        );
        let o = outcomes(&r);
        assert!(matches!(o["room with token"], Outcome::Matched), "{r}");
        assert!(
            differs(o["room without token is rejected before accept"]),
            "{r}"
        );
        assert!(differs(o["echo session"]), "{r}");
    }

    #[test]
    fn every_difference_is_documented() {
        let doc = std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/fastapi-differences.md"),
        )
        .expect("docs/fastapi-differences.md");
        for k in KNOWN_DIFFERENCES {
            assert!(
                doc.contains(&format!("`{:?}`", k.id)),
                "docs/fastapi-differences.md has no section naming `{:?}`",
                k.id
            );
        }
    }
}
