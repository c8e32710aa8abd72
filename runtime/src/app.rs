//! The application: endpoints, state, documentation settings, serving.
//!
//! ```no_run
//! use ferrapi::prelude::*;
//!
//! #[get("/items/")]
//! async fn read_items(#[query(default = 0, ge = 0)] skip: i64) -> Json<i64> {
//!     Json(skip)
//! }
//!
//! fn main() {
//!     App::new().title("Items").version("1.0.0").routes(routes![read_items]).run();
//! }
//! ```

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::{header, HeaderValue, StatusCode};
use serde_json::Value;

use crate::background::Tracker;
use crate::describe::{default_summary, fastapi_operation_id};
use crate::extract::{AppState, AppStateInner};
use crate::render::OpenApiVersion;
use crate::reply::detail_response;
use crate::router::{path_forms, EndpointDef, Guard, Router};
use crate::security::RouterScopes;
use crate::spec::{self, Api, DocCtx, Operation, OperationKind};

/// The default body limit: 2 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// How operation ids are generated for routes without an `operation_id` option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OperationIds {
    /// The function name (`read_items`): nice method names in generated clients.
    #[default]
    FunctionName,
    /// FastAPI's style (`read_items_items__get`), for teams migrating generated clients.
    FastApi,
}

/// Why an app could not start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartupError(pub String);

impl fmt::Display for StartupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartupError {}

type RouterMap = Box<dyn FnOnce(axum::Router) -> axum::Router + Send>;

/// A ferrapi application.
///
/// Collects endpoints (directly or through [`Router`]s), state, and documentation
/// settings; builds an axum router ([`App::into_router`]) or serves itself with a command
/// line ([`App::run`]).
pub struct App {
    info: spec::Info,
    servers: Vec<spec::Server>,
    tags: Vec<spec::Tag>,
    openapi_version: OpenApiVersion,
    endpoints: Vec<EndpointDef>,
    state: HashMap<TypeId, Box<dyn Any + Send + Sync>>,
    openapi_url: Option<String>,
    asyncapi_url: Option<String>,
    docs_url: Option<String>,
    redoc_url: Option<String>,
    body_limit: usize,
    operation_ids: OperationIds,
    redirect_slashes: bool,
    merges: Vec<axum::Router>,
    maps: Vec<RouterMap>,
    guards: Vec<Guard>,
    overrides: HashMap<TypeId, Box<dyn Any + Send + Sync>>,
    tracker: Tracker,
    shutdown_timeout: Duration,
    startup: Vec<StartupHook>,
    shutdown: Vec<ShutdownHook>,
    provided_state: Vec<TypeId>,
    readiness: crate::ops::Readiness,
    metrics: Option<crate::ops::Metrics>,
}

type StartupOutput = Result<Option<(TypeId, Box<dyn Any + Send + Sync>)>, String>;
type StartupHook = Box<dyn FnOnce() -> Pin<Box<dyn Future<Output = StartupOutput> + Send>> + Send>;
type ShutdownHook = Box<dyn FnOnce() -> Pin<Box<dyn Future<Output = ()> + Send>> + Send>;

impl Default for App {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for App {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("App")
            .field("info", &self.info)
            .field("endpoints", &self.endpoints)
            .finish_non_exhaustive()
    }
}

impl App {
    /// A new app titled "ferrapi", version "0.1.0", with `/openapi.json`, `/docs` and `/redoc`.
    pub fn new() -> Self {
        App {
            info: spec::Info {
                title: "ferrapi".into(),
                version: "0.1.0".into(),
                ..spec::Info::default()
            },
            servers: Vec::new(),
            tags: Vec::new(),
            openapi_version: OpenApiVersion::default(),
            endpoints: Vec::new(),
            state: HashMap::new(),
            openapi_url: Some("/openapi.json".into()),
            asyncapi_url: Some("/asyncapi.json".into()),
            docs_url: Some("/docs".into()),
            redoc_url: Some("/redoc".into()),
            body_limit: DEFAULT_BODY_LIMIT,
            operation_ids: OperationIds::default(),
            redirect_slashes: true,
            merges: Vec::new(),
            maps: Vec::new(),
            guards: Vec::new(),
            overrides: HashMap::new(),
            tracker: Tracker::default(),
            shutdown_timeout: Duration::from_secs(30),
            startup: Vec::new(),
            shutdown: Vec::new(),
            provided_state: Vec::new(),
            readiness: Default::default(),
            metrics: None,
        }
    }

    /// `info.title`.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.info.title = title.into();
        self
    }
    /// `info.version`.
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.info.version = version.into();
        self
    }
    /// `info.description` (Markdown).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.info.description = Some(description.into());
        self
    }
    /// `info.summary` (OpenAPI 3.1 and later; left out of 3.0 documents).
    pub fn summary(mut self, summary: impl Into<String>) -> Self {
        self.info.summary = Some(summary.into());
        self
    }
    /// `info.termsOfService`.
    pub fn terms_of_service(mut self, url: impl Into<String>) -> Self {
        self.info.terms_of_service = Some(url.into());
        self
    }
    /// `info.contact`, e.g. `json!({"name": "Team", "email": "team@example.com"})`.
    pub fn contact(mut self, contact: Value) -> Self {
        self.info.contact = Some(contact);
        self
    }
    /// `info.license`, e.g. `json!({"name": "MIT", "identifier": "MIT"})` (3.0 documents
    /// leave `identifier` out: give a `url` too for them).
    pub fn license(mut self, license: Value) -> Self {
        self.info.license = Some(license);
        self
    }
    /// Adds a `servers` entry.
    pub fn server(mut self, url: impl Into<String>, description: Option<&str>) -> Self {
        self.servers.push(spec::Server {
            url: url.into(),
            description: description.map(Into::into),
        });
        self
    }
    /// Adds a top-level tag with a description (kept in the order given).
    pub fn tag(mut self, name: impl Into<String>, description: impl Into<String>) -> Self {
        self.tags.push(spec::Tag {
            name: name.into(),
            description: Some(description.into()),
            external_docs: None,
        });
        self
    }
    /// Adds a top-level tag written as an OpenAPI Tag object, for what
    /// [`tag`](App::tag) cannot say, such as `externalDocs`:
    /// `json!({"name": "legacy", "externalDocs": {"url": "https://example.com/legacy"}})`.
    /// `name`, `description` and `externalDocs` are read; other keys are ignored.
    pub fn tag_object(mut self, tag: Value) -> Self {
        let text = |k: &str| tag.get(k).and_then(Value::as_str).map(str::to_string);
        self.tags.push(spec::Tag {
            name: text("name").unwrap_or_default(),
            description: text("description"),
            external_docs: tag.get("externalDocs").cloned(),
        });
        self
    }
    /// The OpenAPI version of the served document (default 3.1.0; 3.0.3 for client
    /// generators that need it, 3.2.0 to document streams item by item). The command
    /// line's `openapi --spec-version` chooses per export.
    pub fn openapi_version(mut self, version: OpenApiVersion) -> Self {
        self.openapi_version = version;
        self
    }
    /// Where the document is served (`None` turns it off, and the docs pages with it).
    pub fn openapi_url(mut self, url: Option<&str>) -> Self {
        self.openapi_url = url.map(Into::into);
        self
    }
    /// Where the AsyncAPI 3.0 document (WebSocket routes and event streams) is served
    /// (default `/asyncapi.json`; `None` turns it off).
    pub fn asyncapi_url(mut self, url: Option<&str>) -> Self {
        self.asyncapi_url = url.map(Into::into);
        self
    }
    /// Where Swagger UI is served (`None` turns it off).
    pub fn docs_url(mut self, url: Option<&str>) -> Self {
        self.docs_url = url.map(Into::into);
        self
    }
    /// Where ReDoc is served (`None` turns it off).
    pub fn redoc_url(mut self, url: Option<&str>) -> Self {
        self.redoc_url = url.map(Into::into);
        self
    }
    /// The largest request body accepted, in bytes (default 2 MiB); larger ones get 413.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }
    /// How default operation ids are written.
    pub fn operation_ids(mut self, style: OperationIds) -> Self {
        self.operation_ids = style;
        self
    }
    /// Whether a path differing only by a trailing slash redirects (307) to the declared
    /// one, as FastAPI does (default `true`).
    pub fn redirect_slashes(mut self, on: bool) -> Self {
        self.redirect_slashes = on;
        self
    }
    /// Registers a state value, read by handlers with [`State<T>`](crate::State).
    pub fn state<T: Clone + Send + Sync + 'static>(mut self, value: T) -> Self {
        self.state.insert(TypeId::of::<T>(), Box::new(value));
        self
    }
    /// Adds endpoints (`routes![a, b]`).
    pub fn routes(mut self, endpoints: Vec<EndpointDef>) -> Self {
        self.endpoints.extend(endpoints);
        self
    }
    /// Includes a router with its prefix and tags.
    pub fn include(mut self, router: Router) -> Self {
        self.endpoints.extend(router.into_endpoints());
        self
    }
    /// Runs extractor `T` before every route of the app (e.g. an API key check); a refusal
    /// answers at once. `T` is documented in each operation.
    pub fn guard<T>(mut self) -> Self
    where
        T: axum::extract::FromRequestParts<AppState> + crate::describe::ApiInput + Send + 'static,
        T::Rejection: IntoResponse,
    {
        self.guards.push(Guard::of::<T>());
        self
    }

    /// Replaces dependency `T` (a type made by `#[dependency]`) with the value `f` gives,
    /// as FastAPI's `app.dependency_overrides`; meant for tests.
    pub fn override_dependency<T: Send + Sync + 'static>(
        mut self,
        f: impl Fn() -> T + Send + Sync + 'static,
    ) -> Self {
        let f: crate::extract::Override<T> = Arc::new(f);
        self.overrides.insert(TypeId::of::<T>(), Box::new(f));
        self
    }

    /// How long graceful shutdown waits for in-flight requests, then for their background
    /// work (default 30 s each). Connections still open after it (server-sent events,
    /// WebSockets) are closed.
    pub fn shutdown_timeout(mut self, limit: Duration) -> Self {
        self.shutdown_timeout = limit;
        self
    }

    /// The tracker of background work (tasks and teardown queued by requests).
    pub fn background(&self) -> Tracker {
        self.tracker.clone()
    }

    /// Runs `f` at start-up, before serving, and registers the value it gives as state
    /// (open a database pool, load a model). An error stops the app: [`run`](App::run)
    /// prints it and exits with status 1.
    ///
    /// ```
    /// use ferrapi::prelude::*;
    ///
    /// #[derive(Clone)]
    /// struct Model { weights: Vec<f32> }
    ///
    /// let app = App::new().startup(|| async {
    ///     Ok::<_, String>(Model { weights: vec![0.5, 1.5] })
    /// });
    /// # let _ = app;
    /// ```
    pub fn startup<T, F, Fut, E>(mut self, f: F) -> Self
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, E>> + Send + 'static,
        E: std::fmt::Display,
    {
        self.provided_state.push(TypeId::of::<T>());
        self.startup.push(Box::new(move || {
            Box::pin(async move {
                match f().await {
                    Ok(v) => Ok(Some((
                        TypeId::of::<T>(),
                        Box::new(v) as Box<dyn Any + Send + Sync>,
                    ))),
                    Err(e) => Err(format!(
                        "start-up of {} failed: {e}",
                        std::any::type_name::<T>()
                    )),
                }
            })
        }));
        self
    }

    /// Runs `f` at shutdown, after the server stopped and background work finished.
    pub fn on_shutdown<F, Fut>(mut self, f: F) -> Self
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.shutdown.push(Box::new(move || Box::pin(f())));
        self
    }

    /// Runs the start-up hooks, registering the state they give. [`serve`](App::serve) and
    /// [`TestClient::start`](crate::testing::TestClient::start) call it.
    pub async fn prepare(mut self) -> Result<Self, StartupError> {
        for hook in std::mem::take(&mut self.startup) {
            match hook().await {
                Ok(Some((id, value))) => {
                    self.state.insert(id, value);
                }
                Ok(None) => {}
                Err(e) => return Err(StartupError(e)),
            }
        }
        Ok(self)
    }

    /// The app's readiness: start-up state and checks, reported by `GET /health/ready`.
    pub fn readiness(&self) -> crate::ops::Readiness {
        self.readiness.clone()
    }

    pub(crate) fn readiness_mut(&mut self) -> &mut crate::ops::Readiness {
        &mut self.readiness
    }

    /// The app's Prometheus registry (created on first use), to add metrics of your own.
    pub fn metrics_registry(&mut self) -> crate::ops::Metrics {
        self.metrics
            .get_or_insert_with(crate::ops::Metrics::new)
            .clone()
    }

    /// Whether start-up hooks are still to run.
    pub fn needs_prepare(&self) -> bool {
        !self.startup.is_empty()
    }

    /// Merges a plain axum router (its routes are not documented).
    pub fn merge(mut self, router: axum::Router) -> Self {
        self.merges.push(router);
        self
    }
    /// Transforms the final axum router, e.g. to add tower layers:
    /// `app.map_router(|r| r.layer(TraceLayer::new_for_http()))`.
    pub fn map_router(
        mut self,
        f: impl FnOnce(axum::Router) -> axum::Router + Send + 'static,
    ) -> Self {
        self.maps.push(Box::new(f));
        self
    }

    /// The endpoints registered so far.
    pub fn endpoints(&self) -> &[EndpointDef] {
        &self.endpoints
    }

    /// The operation id of `e` for `method`. A route serving several methods gets one id
    /// per method (`name_get`, `name_post`), as ids must be unique.
    fn operation_id(&self, e: &EndpointDef, method: &str) -> String {
        let per_method = |id: &str| {
            if e.info.methods.len() > 1 {
                format!("{id}_{}", method.to_ascii_lowercase())
            } else {
                id.to_string()
            }
        };
        if let Some(id) = e.info.operation_id {
            return per_method(id);
        }
        match self.operation_ids {
            OperationIds::FunctionName => per_method(e.info.fn_name),
            OperationIds::FastApi => {
                fastapi_operation_id(e.info.fn_name, &path_forms(&e.full_path()).0, method)
            }
        }
    }

    /// Builds the OpenAPI document in the app's [`openapi_version`](App::openapi_version),
    /// checking operation ids and required state.
    pub fn openapi_value(&self) -> Result<Value, StartupError> {
        self.openapi_document(self.openapi_version)
    }

    /// Builds the OpenAPI document in `version`.
    pub fn openapi_document(&self, version: OpenApiVersion) -> Result<Value, StartupError> {
        Ok(crate::render::openapi(&self.describe()?, version))
    }

    /// The OpenAPI version the app serves (see [`openapi_version`](App::openapi_version)).
    pub fn served_openapi_version(&self) -> OpenApiVersion {
        self.openapi_version
    }

    /// Builds the OpenAPI document as `options` say (version, one error schema).
    pub fn openapi_document_with(
        &self,
        options: crate::render::OpenApiOptions,
    ) -> Result<Value, StartupError> {
        Ok(crate::render::openapi_with(&self.describe()?, options))
    }

    /// Builds the AsyncAPI 3.0 document: WebSocket routes and event streams.
    pub fn asyncapi_value(&self) -> Result<Value, StartupError> {
        Ok(crate::render::asyncapi(&self.describe()?))
    }

    /// The typed description of the app: every operation of every route (those left out
    /// of documents too), with its inputs, responses, security and runtime needs, and the
    /// named schemas and security schemes. Documents are renderings of it
    /// ([`crate::render`]); [`try_into_router`](App::try_into_router) reads each route's
    /// needs from it. Fails on duplicate operation ids, two models with one name, or state
    /// a handler needs that was never registered.
    pub fn describe(&self) -> Result<Api, StartupError> {
        let mut ctx = DocCtx::default();
        let mut operations = Vec::new();
        let mut seen_ids: HashMap<String, String> = HashMap::new();
        let mut errors = Vec::new();
        for e in &self.endpoints {
            let (doc_path, _) = path_forms(&e.full_path());
            for method in e.info.methods {
                let mut op = Operation {
                    method: method.to_string(),
                    path: doc_path.clone(),
                    kind: if e.info.websocket {
                        OperationKind::WebSocket
                    } else {
                        OperationKind::Http
                    },
                    documented: e.info.include_in_schema,
                    scopes: e.required_scopes(),
                    ..Operation::default()
                };
                for g in self.guards.iter().chain(&e.guards) {
                    (g.document)(&mut ctx, &mut op);
                }
                (e.document)(&mut ctx, &mut op);
                op.operation_id = self.operation_id(e, method);
                if op.documented {
                    let here = format!("{} {} ({})", method, doc_path, e.info.fn_name);
                    if let Some(first) = seen_ids.insert(op.operation_id.clone(), here.clone()) {
                        errors.push(format!(
                            "duplicate operation id `{}`: used by {first} and by {here}; give one of them `operation_id = \"...\"`",
                            op.operation_id
                        ));
                    }
                }
                op.tags = e.router_tags.clone();
                op.tags.extend(e.info.tags.iter().map(|t| t.to_string()));
                op.summary = Some(
                    e.info
                        .summary
                        .map(str::to_string)
                        .unwrap_or_else(|| default_summary(e.info.fn_name)),
                );
                op.description = e.info.description.map(str::to_string);
                op.deprecated = e.info.deprecated;
                if let Some(d) = e.info.response_description {
                    for (_, r) in &mut op.responses.0 {
                        if r.description == "Successful Response" {
                            r.description = d.to_string();
                        }
                    }
                }
                for (status, description) in &e.router_responses {
                    if !op.responses.contains(status) {
                        op.responses
                            .set(status.clone(), spec::Response::new(description.clone()));
                    }
                }
                if op.documented && op.kind == OperationKind::Http {
                    ctx.finish_operation(&mut op);
                }
                operations.push(op);
            }
        }
        for op in &operations {
            for need in &op.needs.state {
                let known =
                    self.state.contains_key(&need.id) || self.provided_state.contains(&need.id);
                let message = format!(
                    "a handler takes `State<{}>`, but no value of that type was registered; call `.state(value)` on the App",
                    need.type_name
                );
                if !known && !errors.contains(&message) {
                    errors.push(message);
                }
            }
        }
        let mut api = Api {
            info: self.info.clone(),
            servers: self.servers.clone(),
            tags: self.tags.clone(),
            operations,
            ..Api::default()
        };
        // Every ferrapi error body fits `HTTPError`; renderers that document all errors with
        // it (`OpenApiOptions::one_error_schema`) need it, the others list it only if used.
        let _ = <crate::HttpError as crate::ResponseModel>::response_schema(&mut ctx);
        ctx.add_missing_components(&mut api);
        for name in &ctx.conflicts {
            errors.push(format!(
                "two different models are named `{name}`: rename one, or give it another schema name with `#[schema(as = OtherName)]`"
            ));
        }
        if !errors.is_empty() {
            return Err(StartupError(errors.join("\n")));
        }
        api.schemas = ctx.schemas;
        api.security_schemes = ctx.security_schemes;
        DocCtx::reference_inline_models(&mut api);
        Ok(api)
    }

    /// Builds the axum router: every endpoint, the docs, JSON 404/405/500 answers,
    /// trailing-slash redirects and the body limit.
    pub fn try_into_router(mut self) -> Result<axum::Router, StartupError> {
        if self.needs_prepare() {
            return Err(StartupError(
                "this app has start-up hooks: call `App::prepare().await` first (serve and TestClient::start do)".into(),
            ));
        }
        let api = self.describe()?;
        let doc = crate::render::openapi(&api, self.openapi_version);
        let async_doc = self
            .asyncapi_url
            .as_ref()
            .map(|_| crate::render::asyncapi(&api));
        // What each route needs at run time comes from the description: the operations are
        // in endpoint order, one per method.
        let mut ops = api.operations.iter();
        let uses_background: Vec<bool> = self
            .endpoints
            .iter()
            .map(|e| {
                let mine: Vec<_> = ops.by_ref().take(e.info.methods.len()).collect();
                mine.iter().any(|o| o.needs.background)
            })
            .collect();
        self.readiness.set_started();
        let state = AppState(Arc::new(AppStateInner {
            values: std::mem::take(&mut self.state),
            overrides: std::mem::take(&mut self.overrides),
            body_limit: self.body_limit,
        }));

        let mut router: axum::Router<AppState> = axum::Router::new();
        let state_for_routes = state.clone();
        self.readiness.set_state(state.clone());
        let mut by_path: Vec<(String, axum::routing::MethodRouter<AppState>)> = Vec::new();
        let mut templates = matchit::Router::new();
        for (e, background) in self.endpoints.iter().zip(uses_background) {
            let (_, axum_path) = path_forms(&e.full_path());
            let mut mr = (e.method_router)();
            // Guards run outermost-first: app guards, then each router's, then the handler.
            for g in e.guards.iter().rev().chain(self.guards.iter().rev()) {
                mr = (g.apply)(mr, state.clone());
            }
            if background {
                mr = mr.route_layer(axum::middleware::from_fn_with_state(
                    self.tracker.clone(),
                    crate::background::run_queue,
                ));
            }
            // The scopes go in first (outermost), so guards check the route's scopes too.
            let required = e.required_scopes();
            if !required.is_empty() {
                let scopes = RouterScopes(required.into());
                mr = mr.route_layer(axum::middleware::map_request(move |mut req: Request| {
                    let scopes = scopes.clone();
                    async move {
                        req.extensions_mut().insert(scopes);
                        req
                    }
                }));
            }
            match by_path.iter_mut().find(|(p, _)| *p == axum_path) {
                Some((_, existing)) => {
                    let merged = std::mem::take(existing).merge(mr);
                    *existing = merged;
                }
                None => {
                    let _ = templates.insert(axum_path.clone(), ());
                    by_path.push((axum_path, mr));
                }
            }
        }
        for (path, mr) in by_path {
            router = router.route(&path, mr);
        }
        let mut router: axum::Router = router.with_state(state_for_routes);

        if let Some(openapi_url) = &self.openapi_url {
            router = router.route(openapi_url, json_document(&doc));
            let title = self.info.title.clone();
            if let Some(docs_url) = &self.docs_url {
                router = router.merge(crate::ui::swagger_ui(docs_url, openapi_url));
                for p in [
                    docs_url.clone(),
                    format!("{}/", docs_url.trim_end_matches('/')),
                ] {
                    let _ = templates.insert(p, ());
                }
            }
            if let Some(redoc_url) = &self.redoc_url {
                router = router.merge(crate::ui::redoc(redoc_url, openapi_url, &title));
            }
            let _ = templates.insert(openapi_url.clone(), ());
        }
        if let (Some(url), Some(async_doc)) = (&self.asyncapi_url, async_doc) {
            router = router.route(url, json_document(&async_doc));
            let _ = templates.insert(url.clone(), ());
        }
        for m in std::mem::take(&mut self.merges) {
            router = router.merge(m);
        }

        let templates = Arc::new(templates);
        let redirect = self.redirect_slashes;
        let docs_prefix = self
            .openapi_url
            .as_ref()
            .and(self.docs_url.as_ref())
            .map(|d| format!("{}/", d.trim_end_matches('/')));
        router = router
            .fallback(move |req: Request| {
                let templates = templates.clone();
                async move { not_found(req, &templates, redirect) }
            })
            .method_not_allowed_fallback(move |req: Request| {
                let docs_prefix = docs_prefix.clone();
                async move { method_not_allowed(req, docs_prefix.as_deref()) }
            })
            .layer(axum::extract::DefaultBodyLimit::max(self.body_limit))
            .layer(tower_http::catch_panic::CatchPanicLayer::custom(
                panic_response,
            ));
        for f in std::mem::take(&mut self.maps) {
            router = f(router);
        }
        Ok(router)
    }

    /// Like [`try_into_router`](App::try_into_router), panicking with the start-up error.
    pub fn into_router(self) -> axum::Router {
        match self.try_into_router() {
            Ok(r) => r,
            Err(e) => panic!("ferrapi app cannot start:\n{e}"),
        }
    }

    /// Serves on `addr` until Ctrl-C or SIGTERM; in-flight requests finish first.
    pub async fn serve(self, addr: SocketAddr) -> std::io::Result<()> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        self.serve_on(listener, shutdown_signal()).await
    }

    /// Serves on a bound listener until `shutdown` resolves: runs the start-up hooks, then
    /// serves; on shutdown lets in-flight requests finish, waits for background work (up
    /// to the shutdown timeout), and runs the shutdown hooks.
    pub async fn serve_on(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let mut app = self
            .prepare()
            .await
            .map_err(|e| std::io::Error::other(e.0))?;
        let tracker = app.tracker.clone();
        let limit = app.shutdown_timeout;
        let hooks = std::mem::take(&mut app.shutdown);
        let router = app
            .try_into_router()
            .map_err(|e| std::io::Error::other(e.0))?;
        tracing::info!("serving on http://{}", listener.local_addr()?);
        // In-flight requests get up to the shutdown timeout to finish; long-lived ones
        // (server-sent events, WebSockets) are then cut, so shutdown is bounded.
        let (stopping_tx, stopping_rx) = tokio::sync::oneshot::channel::<()>();
        let server = axum::serve(listener, router).with_graceful_shutdown(async move {
            shutdown.await;
            let _ = stopping_tx.send(());
        });
        let deadline = async move {
            if stopping_rx.await.is_ok() {
                tokio::time::sleep(limit).await;
            } else {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            r = server => r?,
            _ = deadline => {
                tracing::warn!(?limit, "connections still open after the shutdown timeout: closing them");
            }
        }
        if !tracker.wait_idle(limit).await {
            tracing::warn!(
                running = tracker.running(),
                "background work still running at shutdown"
            );
        }
        for hook in hooks {
            hook().await;
        }
        Ok(())
    }
}

/// A GET route answering a JSON document (serialized once, served as shared bytes).
fn json_document(doc: &Value) -> axum::routing::MethodRouter {
    let bytes = Bytes::from(serde_json::to_vec(doc).expect("a JSON value serializes"));
    axum::routing::get(move || {
        let bytes = bytes.clone();
        async move {
            (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                bytes,
            )
        }
    })
}

fn not_found(req: Request, templates: &matchit::Router<()>, redirect: bool) -> Response {
    if redirect {
        let path = req.uri().path();
        let other = if path.len() > 1 && path.ends_with('/') {
            Some(path.trim_end_matches('/').to_string())
        } else if !path.ends_with('/') {
            Some(format!("{path}/"))
        } else {
            None
        };
        if let Some(other) = other.filter(|o| !o.is_empty() && templates.at(o).is_ok()) {
            let host = req
                .headers()
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            let query = req
                .uri()
                .query()
                .map(|q| format!("?{q}"))
                .unwrap_or_default();
            let location = format!("http://{host}{other}{query}");
            if let Ok(loc) = HeaderValue::from_str(&location) {
                let mut res = Response::new(Body::empty());
                *res.status_mut() = StatusCode::TEMPORARY_REDIRECT;
                res.headers_mut().insert(header::LOCATION, loc);
                return res;
            }
        }
    }
    detail_response(StatusCode::NOT_FOUND, "Not Found")
}

/// 405, except for a POST under the Swagger UI pages: Swagger UI resolves a relative OAuth2
/// `tokenUrl` (`"token"`, as FastAPI writes it) against the page (`/docs/`), so its
/// Authorize dialog posts to `/docs/token`; that is sent on to `/token` with a 307, which
/// keeps the method and the form.
fn method_not_allowed(req: Request, docs_prefix: Option<&str>) -> Response {
    if let Some(prefix) = docs_prefix {
        let path = req.uri().path();
        if req.method() == http::Method::POST
            && path.starts_with(prefix)
            && path.len() > prefix.len()
        {
            let target = format!("/{}", &path[prefix.len()..]);
            if let Ok(loc) = HeaderValue::from_str(&target) {
                let mut res = Response::new(Body::empty());
                *res.status_mut() = StatusCode::TEMPORARY_REDIRECT;
                res.headers_mut().insert(header::LOCATION, loc);
                return res;
            }
        }
    }
    detail_response(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed")
}

fn panic_response(err: Box<dyn Any + Send + 'static>) -> Response {
    let msg = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = msg, "handler panicked");
    crate::reply::internal_error()
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
