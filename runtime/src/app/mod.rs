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
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use axum::response::IntoResponse;
use serde_json::Value;

use crate::background::Tracker;
use crate::extract::AppState;
use crate::render::OpenApiVersion;
use crate::router::{EndpointDef, Guard, Router};
use crate::spec::{self};

mod describe;
mod errors;
mod router;
mod serve;
mod versions;

#[cfg(all(feature = "dev", unix))]
pub(crate) use serve::listen as bind_listener;
pub use serve::{shutdown_signal, Listen};

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
    state: crate::extract::TypeMap,
    openapi_url: Option<String>,
    #[cfg(feature = "asyncapi")]
    asyncapi_url: Option<String>,
    docs_url: Option<String>,
    redoc_url: Option<String>,
    swagger: crate::ui::SwaggerOptions,
    body_limit: usize,
    operation_ids: OperationIds,
    redirect_slashes: bool,
    root_path: Option<String>,
    error_handlers: crate::error::ErrorHandlers,
    merges: Vec<axum::Router>,
    maps: Vec<RouterMap>,
    guards: Vec<Guard>,
    overrides: crate::extract::TypeMap,
    tracker: Tracker,
    sessions: Tracker,
    shutdown_tx: tokio::sync::watch::Sender<bool>,
    shutdown_timeout: Duration,
    drain_period: Duration,
    connection_limits: crate::server::ConnectionLimits,
    startup: Vec<StartupHook>,
    shutdown: Vec<ShutdownHook>,
    provided_state: Vec<TypeId>,
    readiness: crate::ops::Readiness,
    versions: Vec<crate::versioning::Version>,
    version_routing: crate::versioning::VersionRouting,
    #[cfg(feature = "metrics")]
    pub(crate) metrics: Option<crate::metrics::Metrics>,
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
            state: Default::default(),
            openapi_url: Some("/openapi.json".into()),
            #[cfg(feature = "asyncapi")]
            asyncapi_url: Some("/asyncapi.json".into()),
            docs_url: Some("/docs".into()),
            redoc_url: Some("/redoc".into()),
            swagger: crate::ui::SwaggerOptions::default(),
            body_limit: DEFAULT_BODY_LIMIT,
            operation_ids: OperationIds::default(),
            redirect_slashes: true,
            root_path: None,
            error_handlers: Default::default(),
            merges: Vec::new(),
            maps: Vec::new(),
            guards: Vec::new(),
            overrides: Default::default(),
            tracker: Tracker::default(),
            sessions: Tracker::default(),
            shutdown_tx: tokio::sync::watch::channel(false).0,
            shutdown_timeout: Duration::from_secs(30),
            drain_period: Duration::ZERO,
            connection_limits: Default::default(),
            startup: Vec::new(),
            shutdown: Vec::new(),
            provided_state: Vec::new(),
            readiness: Default::default(),
            versions: Vec::new(),
            version_routing: Default::default(),
            #[cfg(feature = "metrics")]
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
    /// (default `/asyncapi.json`; `None` turns it off). Feature `asyncapi`.
    #[cfg(feature = "asyncapi")]
    pub fn asyncapi_url(mut self, url: Option<&str>) -> Self {
        self.asyncapi_url = url.map(Into::into);
        self
    }
    /// Where Swagger UI is served (`None` turns it off).
    pub fn docs_url(mut self, url: Option<&str>) -> Self {
        self.docs_url = url.map(Into::into);
        self
    }
    /// Swagger UI configuration keys, as FastAPI's `swagger_ui_parameters`: each key
    /// given replaces ferrapi's default for it (`deepLinking`, `showExtensions`,
    /// `showCommonExtensions`, `persistAuthorization`, `tryItOutEnabled`, `layout`, ...);
    /// calling it again adds keys.
    ///
    /// ```
    /// # use ferrapi::App;
    /// let app = App::new().swagger_ui_parameters(serde_json::json!({
    ///     "syntaxHighlight": false,
    ///     "defaultModelsExpandDepth": -1,
    /// }));
    /// ```
    ///
    /// # Panics
    ///
    /// When `parameters` is not a JSON object.
    pub fn swagger_ui_parameters(mut self, parameters: serde_json::Value) -> Self {
        match parameters {
            serde_json::Value::Object(map) => self.swagger.parameters.extend(map),
            other => panic!(
                "App::swagger_ui_parameters takes a JSON object of Swagger UI keys, e.g. json!({{\"syntaxHighlight\": false}}); got {other}"
            ),
        }
        self
    }
    /// The argument of Swagger UI's `ui.initOAuth(...)`, as FastAPI's
    /// `swagger_ui_init_oauth`: what the **Authorize** dialog fills in for an OAuth2 flow
    /// (`clientId`, `scopes`, `usePkceWithAuthorizationCodeGrant`, ...).
    pub fn swagger_ui_init_oauth(mut self, init_oauth: serde_json::Value) -> Self {
        self.swagger.init_oauth = Some(init_oauth);
        self
    }
    /// Where Swagger UI's OAuth2 redirect page is served, as FastAPI's
    /// `swagger_ui_oauth2_redirect_url`: by default `<docs_url>/oauth2-redirect`, FastAPI's
    /// address, which is what an OAuth2 provider has registered for a FastAPI app; another
    /// absolute path (the page is served there), or `None` for no redirect page.
    ///
    /// # Panics
    ///
    /// When `url` is not an absolute path (`/oauth/callback`).
    pub fn swagger_ui_oauth2_redirect_url(mut self, url: Option<&str>) -> Self {
        self.swagger.oauth2_redirect = match url {
            Some(u) => {
                assert!(
                    u.starts_with('/') && !u.starts_with("//"),
                    "App::swagger_ui_oauth2_redirect_url takes an absolute path of this app, e.g. \"/oauth/callback\"; got {u:?}"
                );
                crate::ui::RedirectPage::At(u.to_string())
            }
            None => crate::ui::RedirectPage::Off,
        };
        self
    }
    /// Where ReDoc is served (default `/redoc`; `None` turns it off). With the feature
    /// `redoc` the binary serves ReDoc's script too; without it the page loads the script
    /// from jsDelivr, pinned by version and hash, as FastAPI's does.
    pub fn redoc_url(mut self, url: Option<&str>) -> Self {
        self.redoc_url = url.map(Into::into);
        self
    }
    /// The page to show a person who starts the app: Swagger UI, else ReDoc, else the
    /// OpenAPI document; `None` when the app serves none of them.
    #[cfg(feature = "dev")]
    pub(crate) fn docs_page(&self) -> Option<&str> {
        let openapi = self.openapi_url.as_deref()?;
        #[cfg(feature = "swagger-ui")]
        if let Some(docs) = self.docs_url.as_deref() {
            return Some(docs);
        }
        if let Some(redoc) = self.redoc_url.as_deref() {
            return Some(redoc);
        }
        Some(openapi)
    }
    /// The largest request body accepted, in bytes (default 2 MiB); larger ones get 413.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }
    /// Timeouts and the connection cap applied when the app serves itself
    /// ([`App::serve`], [`App::serve_on`], [`App::run`]); see
    /// [`ConnectionLimits`](crate::server::ConnectionLimits) for the defaults.
    pub fn connection_limits(mut self, limits: crate::server::ConnectionLimits) -> Self {
        self.connection_limits = limits;
        self
    }
    /// Limits how often each client may call any route of the app; over it, 429 with
    /// `Retry-After`. See [`RateLimit`](crate::rate_limit::RateLimit) (feature
    /// `rate-limit`).
    #[cfg(feature = "rate-limit")]
    pub fn rate_limit(mut self, limit: crate::rate_limit::RateLimit) -> Self {
        self.guards.push(limit.into_guard());
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
    /// Serves the app under a path prefix, as FastAPI's `root_path` (uvicorn's
    /// `--root-path`): for an app behind a proxy that strips `/api` before forwarding, or
    /// one that answers both `/api/items/` and `/items/`.
    ///
    /// - a request under the prefix is routed without it (`/api/items/` is `/items/`); one
    ///   without it is routed as is (what a stripping proxy forwards);
    /// - the document served lists `{"url": "/api"}` first in `servers`, so Swagger UI's
    ///   "Try it out" and generated clients call `/api/items/`;
    /// - redirects stay inside the prefix (`/api/items` -> `/api/items/`, and `/items` ->
    ///   `/api/items/` when a proxy stripped it).
    ///
    /// An app nested in a bigger axum app (`axum::Router::new().nest("/api", app.into())`)
    /// finds its prefix itself: the same holds there without this setting. The docs pages
    /// name the document relative to themselves, so they load it in both cases.
    pub fn root_path(mut self, prefix: &str) -> Self {
        // One leading slash, never two: `//host` in a redirect's Location would send the
        // browser to another host.
        let p = prefix.trim_matches('/');
        self.root_path = (!p.is_empty()).then(|| format!("/{p}"));
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

    /// How long the app keeps serving after it is asked to stop (SIGTERM, Ctrl-C, the
    /// shutdown future of [`App::serve_on`]) while `GET /health/ready` answers 503
    /// `draining`, so a load balancer or Kubernetes moves traffic away before connections
    /// close; then it stops accepting and finishes in-flight requests (default: none).
    /// `serve --drain-seconds N` and `DRAIN_SECONDS` set it from the command line.
    pub fn drain_period(mut self, period: Duration) -> Self {
        self.drain_period = period;
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

    /// Becomes `true` when the server begins to stop (after the drain period).
    pub(crate) fn stopping(&self) -> tokio::sync::watch::Receiver<bool> {
        self.shutdown_tx.subscribe()
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
    #[cfg_attr(not(feature = "testing"), allow(rustdoc::broken_intra_doc_links))]
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

    /// Adds a tower layer around the whole app, as `axum::Router::layer` does (docs pages
    /// and the framework's own answers included):
    /// `app.layer(tower_http::cors::CorsLayer::permissive())`.
    pub fn layer<L>(self, layer: L) -> Self
    where
        L: tower::Layer<axum::routing::Route> + Clone + Send + Sync + 'static,
        L::Service: tower::Service<axum::extract::Request> + Clone + Send + Sync + 'static,
        <L::Service as tower::Service<axum::extract::Request>>::Response:
            axum::response::IntoResponse + 'static,
        <L::Service as tower::Service<axum::extract::Request>>::Error:
            Into<std::convert::Infallible> + 'static,
        <L::Service as tower::Service<axum::extract::Request>>::Future: Send + 'static,
    {
        self.map_router(move |r| r.layer(layer))
    }

    /// The endpoints registered so far.
    pub fn endpoints(&self) -> &[EndpointDef] {
        &self.endpoints
    }
}
