//! The route model: what a route attribute and its function declare, once parsed.

use syn::{Expr, LitStr, Type};

use crate::attr::ParamOpts;
use crate::handler::HandlerFn;

/// Where a scalar parameter comes from. The order is FastAPI's order of errors and
/// parameters: path, query, header, cookie, then the body (form fields).
#[derive(Clone, Copy, PartialEq, Eq, Debug, PartialOrd, Ord)]
pub(crate) enum Source {
    Path,
    Query,
    Header,
    Cookie,
    Form,
    /// `#[file]`: an uploaded file of a multipart form.
    File,
    /// `#[body]`: a key of the JSON body object (several body parameters).
    Body,
}

impl Source {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Source::Path => "path",
            Source::Query => "query",
            Source::Header => "header",
            Source::Cookie => "cookie",
            Source::Form => "form",
            Source::File => "file",
            Source::Body => "body",
        }
    }
}

/// How an argument is read.
pub(crate) enum ArgKind {
    Scalar {
        source: Source,
        wire: String,
        // Boxed: the options are large next to `Extractor` (clippy::large_enum_variant).
        opts: Box<ParamOpts>,
    },
    Extractor,
    /// The `WebSocket` of a `#[websocket]` handler.
    Socket,
}

pub(crate) struct Arg {
    pub ty: Type,
    pub kind: ArgKind,
}

/// A `responses(CODE = Type)`, `CODE = (Type, "description")` or
/// `CODE = (Type, "description", "media/type")` entry.
pub(crate) struct ExtraResponse {
    pub status: String,
    pub ty: Type,
    pub description: Option<LitStr>,
    /// Another media type for the status: added next to what is already documented.
    pub media: Option<LitStr>,
}

/// What an attribute declares.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum RouteKind {
    /// An HTTP route: `#[get]` & co. with their method, or `#[route]` (`None`: the methods
    /// are options).
    Http(Option<&'static str>),
    /// A `#[websocket]` route (its handshake is a GET).
    WebSocket,
    /// A `#[dependency]`: inputs read like a GET route's, path parameters named with
    /// `#[path]` since the route's template is not known.
    Dependency,
}

pub(crate) struct Route {
    /// What the attribute declares.
    pub kind: RouteKind,
    pub methods: Vec<String>,
    pub path: LitStr,
    pub func: HandlerFn,
    pub args: Vec<Arg>,
    pub ret: Type,
    pub tags: Vec<LitStr>,
    pub scopes: Vec<LitStr>,
    /// `dependencies = [VerifyToken, ...]`: dependencies run (and documented) for the route
    /// although the handler does not take their value, as FastAPI's
    /// `dependencies=[Depends(verify_token)]`.
    pub dependencies: Vec<Type>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub operation_id: Option<LitStr>,
    pub deprecated: bool,
    pub status: Option<u16>,
    pub include_in_schema: bool,
    pub response_description: Option<LitStr>,
    pub responses: Vec<ExtraResponse>,
    /// `body(...)`: examples documented on the request body.
    pub body: BodyDoc,
    /// `response_model(Type, exclude_unset, ...)`: what the answer is filtered through and
    /// documented as.
    pub response_model: Option<ResponseModelOpt>,
    /// `max_message_size = N` (WebSocket routes).
    pub max_message_size: Option<syn::LitInt>,
    /// `max_frame_size = N` (WebSocket routes).
    pub max_frame_size: Option<syn::LitInt>,
    /// `versions = "1.0.0".."2.0.0"`: the versions of the API the route exists in.
    pub versions: Option<VersionRange>,
}

/// A version `MAJOR.MINOR.PATCH`, read from the attribute.
pub(crate) type Semver = (u64, u64, u64);

/// `versions = FROM..UNTIL`, either end open; `until` is excluded.
pub(crate) struct VersionRange {
    pub from: Option<Semver>,
    pub until: Option<Semver>,
}

/// The `body(examples = [...], openapi_examples(name(summary = "...", value = ...)))` option:
/// FastAPI's `Body(examples=...)` (JSON Schema `examples` of the body's schema) and
/// `Body(openapi_examples=...)` (named examples of the media type).
#[derive(Default)]
pub(crate) struct BodyDoc {
    pub examples: Vec<Expr>,
    pub openapi_examples: Vec<NamedExample>,
}

/// One named example of `openapi_examples(...)`.
pub(crate) struct NamedExample {
    pub name: String,
    pub summary: Option<LitStr>,
    pub description: Option<LitStr>,
    pub value: Option<Expr>,
    pub external_value: Option<LitStr>,
}

/// `response_model(UserOut, exclude_unset, exclude_none, exclude_defaults, by_alias = false)`.
pub(crate) struct ResponseModelOpt {
    pub ty: Type,
    pub exclude_unset: bool,
    pub exclude_none: bool,
    pub exclude_defaults: bool,
    pub by_alias: bool,
}
