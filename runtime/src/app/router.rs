//! Building the axum router: routes with their guards, scopes and background queue, the
//! documents and docs pages, the JSON 404/405/500 answers, trailing-slash redirects.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use bytes::Bytes;
use http::{header, HeaderValue, StatusCode};
use serde_json::Value;

use crate::extract::{AppState, AppStateInner};
use crate::router::path_forms;
use crate::security::RouterScopes;
use axum::response::IntoResponse;

use super::{App, StartupError};
use crate::versioning::{routing, ApiVersion, Version, VersionRouting};

impl App {
    /// Builds the axum router: every endpoint, the docs, JSON 404/405/500 answers,
    /// trailing-slash redirects and the body limit.
    pub fn try_into_router(mut self) -> Result<axum::Router, StartupError> {
        if self.needs_prepare() {
            return Err(StartupError(
                "this app has start-up hooks: call `App::prepare().await` first (serve and TestClient::start do)".into(),
            ));
        }
        let described = self.describe_all()?;
        let (_, latest) = described.last().expect("at least one description");
        let doc = crate::render::openapi(latest, self.openapi_version);
        #[cfg(feature = "asyncapi")]
        let async_doc = self
            .asyncapi_url
            .as_ref()
            .map(|_| crate::render::asyncapi(latest));
        // What each route needs at run time comes from the description: the operations are
        // in endpoint order, one per method.
        let mut uses_background = vec![false; self.endpoints.len()];
        for (version, api) in &described {
            let mut ops = api.operations.iter();
            for (i, e) in self.endpoints.iter().enumerate() {
                if version.is_some_and(|v| !e.versions.contains(&v)) {
                    continue;
                }
                let mine: Vec<_> = ops.by_ref().take(e.info.methods.len()).collect();
                uses_background[i] |= mine.iter().any(|o| o.needs.background);
            }
        }
        self.readiness.set_started();
        let state = AppState(Arc::new(AppStateInner {
            values: std::mem::take(&mut self.state),
            overrides: std::mem::take(&mut self.overrides),
            body_limit: self.body_limit,
            shutdown: Some(self.shutdown_tx.subscribe()),
            sessions: self.sessions.clone(),
        }));
        self.readiness.set_state(state.clone());
        let redirect = self.redirect_slashes;
        let mut templates = matchit::Router::new();
        let versioned = !self.versions.is_empty();
        let mut router: axum::Router = if versioned {
            axum::Router::new()
        } else {
            let all: Vec<usize> = (0..self.endpoints.len()).collect();
            self.endpoint_routes(&all, &uses_background, &state, &mut templates)
                .with_state(state.clone())
        };
        // A versioned app: one router per version, reached by its path prefix or the
        // version header.
        let mut by_version = Vec::new();
        for (version, _) in &described {
            let Some(version) = version else { continue };
            let mine: Vec<usize> = (0..self.endpoints.len())
                .filter(|&i| self.endpoints[i].versions.contains(version))
                .collect();
            let mut own = matchit::Router::new();
            let root = self.root_path.clone();
            let root_b = self.root_path.clone();
            let routes = self.endpoint_routes(&mine, &uses_background, &state, &mut own);
            let own = Arc::new(own);
            let vr: axum::Router = routes
                .with_state(state.clone())
                .fallback(move |req: Request| {
                    let (own, root) = (own.clone(), root.clone());
                    async move { not_found(req, &own, redirect, root.as_deref()) }
                })
                .method_not_allowed_fallback(move |req: Request| {
                    let root = root_b.clone();
                    async move { method_not_allowed(req, None, root.as_deref()) }
                })
                .layer(axum::Extension(ApiVersion(*version)));
            #[cfg(feature = "metrics")]
            let vr = if self.metrics.is_some() {
                label_routes(vr, self.version_prefix(version).unwrap_or_default())
            } else {
                vr
            };
            match self.version_prefix(version) {
                Some(prefix) => router = router.nest_service(&prefix, vr),
                None => by_version.push(vr),
            }
        }

        let root_path = self.root_path.clone();
        if let Some(openapi_url) = &self.openapi_url {
            let latest_prefix = self.versions.last().and_then(|v| self.version_prefix(v));
            router = router.route(
                openapi_url,
                openapi_document(&doc, root_path.clone(), latest_prefix),
            );
            // One document per version: `/openapi/v1.json`, ...
            let mut picker = Vec::new();
            let last = described.len() - 1;
            for (i, ((version, api), label)) in
                described.iter().zip(self.version_labels()).enumerate()
            {
                let Some(version) = version else { continue };
                let url = version_document_url(openapi_url, &label);
                // The latest version's document is the one rendered above.
                let rendered;
                let doc = if i == last {
                    &doc
                } else {
                    rendered = crate::render::openapi(api, self.openapi_version);
                    &rendered
                };
                let prefix = self.version_prefix(version);
                router = router.route(&url, openapi_document(doc, root_path.clone(), prefix));
                let _ = templates.insert(url.clone(), ());
                picker.push((version.to_string(), url));
            }
            // The latest first: the picker opens on it.
            picker.reverse();
            let title = self.info.title.clone();
            if let Some(docs_url) = &self.docs_url {
                #[cfg(feature = "swagger-ui")]
                {
                    router = router.merge(if picker.is_empty() {
                        crate::ui::swagger_ui_with(docs_url, openapi_url, &title, &self.swagger)
                    } else {
                        crate::ui::swagger_ui_versions_with(
                            docs_url,
                            &picker,
                            &title,
                            &self.swagger,
                        )
                    });
                }
                #[cfg(not(feature = "swagger-ui"))]
                let _ = &picker;
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
        #[cfg(feature = "asyncapi")]
        if let (Some(url), Some(async_doc)) = (&self.asyncapi_url, async_doc) {
            router = router.route(url, json_document(&async_doc));
            let _ = templates.insert(url.clone(), ());
        }
        for m in std::mem::take(&mut self.merges) {
            // Generated endpoints catch their own panics; merged axum routes get the layer.
            router = router.merge(m.layer(crate::endpoint_handler::catch_panic_layer()));
        }

        let templates = Arc::new(templates);
        let (root_a, root_b) = (root_path.clone(), root_path.clone());
        let docs_prefix = self
            .openapi_url
            .as_ref()
            .and(self.docs_url.as_ref())
            .map(|d| format!("{}/", d.trim_end_matches('/')));
        router = match &self.version_routing {
            VersionRouting::Header(name) if versioned => {
                // Everything the app's own routes do not match goes to the version the
                // header names.
                let choose = Arc::new(HeaderVersions {
                    header: name.clone(),
                    versions: self.versions.clone(),
                    routers: by_version,
                });
                router.fallback(move |req: Request| {
                    let choose = choose.clone();
                    async move { choose.call(req).await }
                })
            }
            _ => router.fallback(move |req: Request| {
                let templates = templates.clone();
                let root = root_a.clone();
                async move { not_found(req, &templates, redirect, root.as_deref()) }
            }),
        };
        router = router.method_not_allowed_fallback(move |req: Request| {
            let docs_prefix = docs_prefix.clone();
            let root = root_b.clone();
            async move { method_not_allowed(req, docs_prefix.as_deref(), root.as_deref()) }
        });
        if self.body_limit != super::DEFAULT_BODY_LIMIT {
            // ferrapi's extractors read the limit from the state; axum's own (in merged
            // routers, or taken by a handler) need the layer, unless the limit is axum's
            // default, which it then is: each router layer costs every request.
            router = router.layer(axum::extract::DefaultBodyLimit::max(self.body_limit));
        }
        if !self.error_handlers.is_empty() {
            // Inside the app's own layers, so they see the final answers.
            let handlers = Arc::new(self.error_handlers.clone());
            router = router.layer(axum::middleware::map_response(move |res: Response| {
                let handlers = handlers.clone();
                async move { handlers.answer(res) }
            }));
        }
        for f in std::mem::take(&mut self.maps) {
            router = f(router);
        }
        if let Some(root) = &root_path {
            // `/api/items/` is routed as `/items/`; `/items/` (from a proxy that stripped
            // the prefix) as is.
            router = axum::Router::new()
                .nest_service(root, router.clone())
                .fallback_service(router);
        }
        Ok(router)
    }

    /// The routes of the endpoints at `indices` (with their guards, scopes and background
    /// queue), their templates added to `templates` for the trailing-slash redirect.
    fn endpoint_routes(
        &self,
        indices: &[usize],
        uses_background: &[bool],
        state: &AppState,
        templates: &mut matchit::Router<()>,
    ) -> axum::Router<AppState> {
        let mut router: axum::Router<AppState> = axum::Router::new();
        let mut by_path: Vec<(String, axum::routing::MethodRouter<AppState>)> = Vec::new();
        for &i in indices {
            let (e, background) = (&self.endpoints[i], uses_background[i]);
            let (_, axum_path) = path_forms(&e.full_path());
            let mut mr = (e.method_router)();
            // Guards run outermost-first: app guards, then each router's, then the handler.
            for g in e.guards.iter().rev().chain(self.guards.iter().rev()) {
                mr = g.apply(mr, state.clone());
            }
            if background {
                mr = mr.route_layer(axum::middleware::from_fn_with_state(
                    self.tracker.clone(),
                    crate::background::run_queue,
                ));
            }
            if !e.guards.is_empty() || !self.guards.is_empty() {
                // Guards are the app's code, outside the endpoint's own panic catching.
                mr = mr.route_layer(crate::endpoint_handler::catch_panic_layer());
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
        router
    }

    /// Like [`try_into_router`](App::try_into_router), panicking with the start-up error.
    pub fn into_router(self) -> axum::Router {
        match self.try_into_router() {
            Ok(r) => r,
            Err(e) => panic!("ferrapi app cannot start:\n{e}"),
        }
    }
}

/// Where the document of the version labelled `label` is served: `/openapi.json` ->
/// `/openapi/v1.json`.
pub(crate) fn version_document_url(openapi_url: &str, label: &str) -> String {
    let base = openapi_url.strip_suffix(".json").unwrap_or(openapi_url);
    format!("{}/{label}.json", base.trim_end_matches('/'))
}

/// Tells the metrics which route of a version answered: `prefix` and the template this
/// version's router matched.
#[cfg(feature = "metrics")]
fn label_routes(router: axum::Router, prefix: String) -> axum::Router {
    router.route_layer(axum::middleware::from_fn(
        move |req: Request, next: axum::middleware::Next| {
            let matched = req
                .extensions()
                .get::<axum::extract::MatchedPath>()
                .map(|m| m.as_str().to_string());
            let prefix = prefix.clone();
            async move {
                let mut res = next.run(req).await;
                if let Some(m) = matched {
                    let label = if m
                        .strip_prefix(prefix.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
                    {
                        m
                    } else {
                        format!("{prefix}{m}")
                    };
                    res.extensions_mut()
                        .insert(crate::metrics::RouteLabel(label));
                }
                res
            }
        },
    ))
}

/// Routes a request to the version its header names (the latest without the header).
struct HeaderVersions {
    header: http::HeaderName,
    /// Oldest first.
    versions: Vec<Version>,
    /// One per version, in the same order.
    routers: Vec<axum::Router>,
}

impl HeaderVersions {
    async fn call(&self, req: Request) -> Response {
        use tower::ServiceExt;
        let chosen = match req.headers().get(&self.header) {
            None => Some(self.routers.len() - 1),
            Some(value) => routing::select(value.as_bytes(), &self.versions),
        };
        let Some(i) = chosen else {
            // The value is not echoed: it is the client's, of any length.
            let served: Vec<String> = self.versions.iter().map(Version::to_string).collect();
            return crate::HttpError::new(
                StatusCode::BAD_REQUEST,
                format!(
                    "Unsupported API version in the {} header: this API serves {}",
                    self.header,
                    served.join(", ")
                ),
            )
            .into_response();
        };
        match self.routers[i].clone().oneshot(req).await {
            Ok(res) => res,
            Err(never) => match never {},
        }
    }
}

/// A GET route answering a JSON document (serialized once, served as shared bytes).
#[cfg(feature = "asyncapi")]
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

/// The path prefix the app is mounted under for this request: what `axum::Router::nest`
/// (or [`App::root_path`]'s own nesting) took off the path, else the configured root path
/// (a proxy took it off before forwarding), else nothing.
fn mount_prefix(req: &Request, root_path: Option<&str>) -> String {
    let path = req.uri().path();
    let nested = req
        .extensions()
        .get::<axum::extract::OriginalUri>()
        .and_then(|o| o.path().strip_suffix(path).map(str::to_string))
        .filter(|p| !p.is_empty() && stays_home(p));
    nested
        .or_else(|| root_path.map(str::to_string))
        .unwrap_or_default()
}

/// The OpenAPI document: the bytes serialized once, or, under a prefix, the document with
/// the prefix first in `servers` (so "Try it out" and clients call the prefixed paths).
///
/// The document of a version routed by path prefix (`version_prefix`: `/v1`) names that
/// prefix in `servers`; under a mount prefix, the two joined (`/api/v1`).
fn openapi_document(
    doc: &Value,
    root_path: Option<String>,
    version_prefix: Option<String>,
) -> axum::routing::MethodRouter {
    let plain = Bytes::from(serde_json::to_vec(doc).expect("a JSON value serializes"));
    let doc = Arc::new(doc.clone());
    axum::routing::get(move |req: Request| {
        let (plain, doc, root_path) = (plain.clone(), doc.clone(), root_path.clone());
        let version_prefix = version_prefix.clone();
        async move {
            let prefix = mount_prefix(&req, root_path.as_deref());
            let bytes = if prefix.is_empty() {
                plain
            } else {
                let mut doc = (*doc).clone();
                let prefix = format!("{prefix}{}", version_prefix.unwrap_or_default());
                with_server(&mut doc, &prefix);
                Bytes::from(serde_json::to_vec(&doc).expect("a JSON value serializes"))
            };
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

/// Lists `prefix` first in the document's `servers`, unless it is there already.
fn with_server(doc: &mut Value, prefix: &str) {
    let server = serde_json::json!({ "url": prefix });
    let Some(obj) = doc.as_object_mut() else {
        return;
    };
    let servers = obj
        .entry("servers")
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(list) = servers {
        if !list.iter().any(|s| s["url"] == prefix) {
            list.insert(0, server);
        }
    }
}

fn not_found(
    req: Request,
    templates: &matchit::Router<()>,
    redirect: bool,
    root_path: Option<&str>,
) -> Response {
    if redirect {
        let path = req.uri().path();
        let other = if path.len() > 1 && path.ends_with('/') {
            Some(path.trim_end_matches('/').to_string())
        } else if !path.ends_with('/') {
            Some(format!("{path}/"))
        } else {
            None
        };
        let other = other.filter(|o| stays_home(o) && templates.at(o).is_ok());
        if let Some(other) = other {
            // Under a prefix, the redirect stays inside it.
            let other = format!("{}{other}", mount_prefix(&req, root_path));
            // A path-absolute Location: the client's `Host` header never reaches it, so a
            // forged Host cannot turn the redirect into one to another site.
            let query = req
                .uri()
                .query()
                .map(|q| format!("?{q}"))
                .unwrap_or_default();
            if let Ok(loc) = HeaderValue::from_str(&format!("{other}{query}")) {
                return redirect_to(loc);
            }
        }
    }
    crate::HttpError::new(StatusCode::NOT_FOUND, "Not Found").into_response()
}

/// 405, except for a POST under the Swagger UI pages: Swagger UI resolves a relative OAuth2
/// `tokenUrl` (`"token"`, as FastAPI writes it) against the page (`/docs/`), so its
/// Authorize dialog posts to `/docs/token`; that is sent on to `/token` with a 307, which
/// keeps the method and the form.
fn method_not_allowed(
    req: Request,
    docs_prefix: Option<&str>,
    root_path: Option<&str>,
) -> Response {
    if let Some(prefix) = docs_prefix {
        let path = req.uri().path();
        if req.method() == http::Method::POST
            && path.starts_with(prefix)
            && path.len() > prefix.len()
        {
            let target = format!("/{}", &path[prefix.len()..]);
            // `/docs//evil.example/x` must not become `Location: //evil.example/x`, which a
            // browser follows to another host.
            if stays_home(&target) {
                let target = format!("{}{target}", mount_prefix(&req, root_path));
                if let Ok(loc) = HeaderValue::from_str(&target) {
                    return redirect_to(loc);
                }
            }
        }
    }
    crate::HttpError::new(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed").into_response()
}

/// Whether `path` is a path on this server: `/x`, never `//host/x` or `/\\host/x`, which
/// clients read as another host (a network-path reference).
fn stays_home(path: &str) -> bool {
    path.starts_with('/') && !path[1..].starts_with(['/', '\\'])
}

fn redirect_to(location: HeaderValue) -> Response {
    let mut res = Response::new(Body::empty());
    *res.status_mut() = StatusCode::TEMPORARY_REDIRECT;
    res.headers_mut().insert(header::LOCATION, location);
    res
}

/// `let router: axum::Router = app.into();`: the same as [`App::into_router`] (which panics,
/// showing why, when the app cannot start).
impl From<App> for axum::Router {
    fn from(app: App) -> Self {
        app.into_router()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_server_are_redirect_targets() {
        for home in ["/", "/items/", "/token", "/a//b"] {
            assert!(stays_home(home), "{home}");
        }
        // Network-path references: a browser goes to another host.
        for away in [
            "//evil.example/x",
            "/\\evil.example/x",
            "",
            "evil.example/x",
        ] {
            assert!(!stays_home(away), "{away}");
        }
    }

    #[test]
    fn a_trailing_slash_redirect_to_a_network_path_is_refused() {
        // A template that `//evil.example/` would match if it were tried: the candidate is
        // refused before the templates are asked.
        let mut templates = matchit::Router::new();
        templates.insert("/{*rest}", ()).unwrap();
        let req = http::Request::builder()
            .uri("//evil.example")
            .body(Body::empty())
            .unwrap();
        let res = not_found(req, &templates, true, None);
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert!(res.headers().get(header::LOCATION).is_none());
        // The same template still redirects an ordinary path.
        let req = http::Request::builder()
            .uri("/items")
            .body(Body::empty())
            .unwrap();
        let res = not_found(req, &templates, true, None);
        assert_eq!(res.headers()[header::LOCATION], "/items/");
    }
}
