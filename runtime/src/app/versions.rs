//! The versions an app serves: which routes exist in each, and each version's description.

use serde_json::Value;

use super::{App, StartupError};
use crate::render::OpenApiOptions;
use crate::router::EndpointDef;
use crate::spec::{self, Api, OperationKind, ParamIn, Parameter, Schema};
use crate::versioning::{routing, Version, VersionRouting};

impl App {
    /// The versions of the API the app serves, such as `["1.0.0", "2.0.0"]`. Each route
    /// exists in the versions its `versions = ...` option names (all of them without it);
    /// requests reach a version by its path prefix (`/v1/items/`, the default) or a header
    /// ([`version_routing`](App::version_routing)). The app serves one OpenAPI document per
    /// version (`/openapi/v1.json`, ...) and the latest at `/openapi.json`, and Swagger UI
    /// offers a picker. See [`crate::versioning`].
    ///
    /// ```
    /// use ferrapi::prelude::*;
    ///
    /// #[get("/items/")]
    /// async fn list_items() -> Json<Vec<String>> { Json(vec![]) }
    ///
    /// #[delete("/items/", versions = .."2.0.0")]
    /// async fn clear_items() -> NoContent { NoContent }
    ///
    /// let app = App::new().versions(["1.0.0", "2.0.0"]).routes(routes![list_items, clear_items]);
    /// let v2 = app.openapi_value().unwrap(); // the latest
    /// assert_eq!(v2["info"]["version"], "2.0.0");
    /// assert!(v2["paths"]["/items/"].get("delete").is_none());
    /// ```
    ///
    /// # Panics
    ///
    /// When a version is not `MAJOR.MINOR.PATCH`.
    pub fn versions<I, S>(mut self, versions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for v in versions {
            match v.as_ref().parse::<Version>() {
                Ok(v) => self.versions.push(v),
                Err(e) => panic!("App::versions: {e}"),
            }
        }
        self.versions.sort();
        self.versions.dedup();
        self
    }

    /// How a request chooses its version (default: the path prefix, `/v1/items/`); see
    /// [`VersionRouting`].
    pub fn version_routing(mut self, routing: VersionRouting) -> Self {
        self.version_routing = routing;
        self
    }

    /// The versions the app serves, oldest first (empty for an unversioned app).
    pub fn served_versions(&self) -> &[Version] {
        &self.versions
    }

    /// The routing of versions (see [`version_routing`](App::version_routing)).
    pub fn served_version_routing(&self) -> &VersionRouting {
        &self.version_routing
    }

    /// The served version `text` names: `"1.0.0"`, `"1"` or `"v1"` (the latest of major
    /// 1), `"1.1"`, as the version header reads it.
    pub fn find_version(&self, text: &str) -> Result<Version, StartupError> {
        routing::select(text.as_bytes(), &self.versions)
            .map(|i| self.versions[i])
            .ok_or_else(|| {
                StartupError(if self.versions.is_empty() {
                    format!("no version `{text}`: the app serves no versions (see `App::versions`)")
                } else {
                    format!(
                        "no version `{text}`: the app serves {}",
                        self.version_list()
                    )
                })
            })
    }

    /// `1.0.0, 2.0.0`.
    pub(super) fn version_list(&self) -> String {
        self.versions
            .iter()
            .map(Version::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The name of each served version in URLs and file names (`v1`, `v2`), oldest first.
    pub fn version_labels(&self) -> Vec<String> {
        routing::labels(&self.versions)
    }

    /// The path prefix of `version` when requests are routed by path (`/v1`).
    pub(super) fn version_prefix(&self, version: &Version) -> Option<String> {
        if self.version_routing != VersionRouting::PathPrefix {
            return None;
        }
        let i = self.versions.iter().position(|v| v == version)?;
        Some(format!("/{}", self.version_labels()[i]))
    }

    /// The endpoints that exist in `version` (all of them when `None`), in order.
    pub(super) fn endpoints_in<'a>(
        &'a self,
        version: Option<&'a Version>,
    ) -> impl Iterator<Item = &'a EndpointDef> + 'a {
        self.endpoints
            .iter()
            .filter(move |e| version.is_none_or(|v| e.versions.contains(v)))
    }

    /// Routes that declare versions in an app that serves none, and routes that exist in
    /// no served version (a typo in a range, or a version not listed).
    pub(super) fn check_versions(&self) -> Result<(), StartupError> {
        let mut errors = Vec::new();
        for e in &self.endpoints {
            let here = format!("{} {}", e.info.methods.join(", "), e.full_path());
            if self.versions.is_empty() {
                if !e.versions.is_all() {
                    errors.push(format!(
                        "{here} (`{}`) exists in versions {}, but the app serves no versions: list them with `App::versions([...])`",
                        e.info.fn_name, e.versions
                    ));
                }
            } else if !self.versions.iter().any(|v| e.versions.contains(v)) {
                errors.push(format!(
                    "{here} (`{}`) exists in versions {}, none of which the app serves ({})",
                    e.info.fn_name,
                    e.versions,
                    self.version_list()
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(StartupError(errors.join("\n")))
        }
    }

    /// The description of one version: the routes that exist in it, `info.version` set to
    /// it, and how a client reaches it (the path prefix in `servers`, or the version header
    /// as a parameter of each operation).
    pub fn describe_version(&self, version: &Version) -> Result<Api, StartupError> {
        self.check_versions()?;
        if !self.versions.contains(version) {
            return Err(StartupError(format!(
                "the app does not serve version {version}; it serves {}",
                self.version_list()
            )));
        }
        self.describe_endpoints(Some(version))
    }

    /// Marks `api` as the description of `version`.
    pub(super) fn describe_as_version(&self, api: &mut Api, version: &Version) {
        api.info.version = version.to_string();
        match &self.version_routing {
            VersionRouting::PathPrefix => {
                let prefix = self.version_prefix(version).unwrap_or_default();
                if api.servers.is_empty() {
                    api.servers.push(spec::Server {
                        url: prefix,
                        description: None,
                    });
                } else {
                    for s in &mut api.servers {
                        s.url = format!("{}{prefix}", s.url.trim_end_matches('/'));
                    }
                }
            }
            VersionRouting::Header(name) => {
                let schema = Schema::new(serde_json::json!({
                    "type": "string",
                    "enum": [version.to_string()],
                }));
                let param = Parameter::new(name.as_str(), ParamIn::Header, true, schema)
                    .description(format!(
                        "The version of the API: {version} for this document. `1`, `1.2` or `v1` name the latest served version they fit; without it, the latest version answers."
                    ));
                let unsupported = format!(
                    "The `{name}` header names a version this API does not serve (the \
                     answer lists those it serves)"
                );
                let error = serde_json::json!({
                    "type": "object",
                    "properties": {"detail": {"type": "string"}},
                    "required": ["detail"],
                });
                for op in &mut api.operations {
                    if op.documented && op.kind == OperationKind::Http {
                        op.parameters.push(param.clone());
                        // A 400 documented already (such as a path parameter that is not
                        // UTF-8) has a `detail` too: say it also means this.
                        match op.responses.get_mut("400") {
                            Some(r) => {
                                r.description = format!("{}; or: {unsupported}", r.description)
                            }
                            None => op.responses.json(
                                http::StatusCode::BAD_REQUEST,
                                &unsupported,
                                Schema::new(error.clone()),
                            ),
                        }
                    }
                }
            }
        }
    }

    /// The OpenAPI document of the version `version` names (`"1.0.0"`, `"1"`, `"v1"`), in
    /// the app's OpenAPI version.
    pub fn openapi_for_version(&self, version: &str) -> Result<Value, StartupError> {
        self.openapi_for_version_with(
            version,
            OpenApiOptions {
                version: self.openapi_version,
                one_error_schema: false,
            },
        )
    }

    /// The OpenAPI document of the version `version` names, as `options` say.
    pub fn openapi_for_version_with(
        &self,
        version: &str,
        options: OpenApiOptions,
    ) -> Result<Value, StartupError> {
        let v = self.find_version(version)?;
        Ok(crate::render::openapi_owned(
            self.describe_version(&v)?,
            options,
        ))
    }

    /// Every version's description, oldest first (one, `None`, for an unversioned app),
    /// with every problem of every version reported at once.
    pub(super) fn describe_all(&self) -> Result<Vec<(Option<Version>, Api)>, StartupError> {
        if self.versions.is_empty() {
            return Ok(vec![(None, self.describe()?)]);
        }
        self.check_versions()?;
        let mut out = Vec::new();
        let mut errors: Vec<String> = Vec::new();
        for v in &self.versions {
            match self.describe_endpoints(Some(v)) {
                Ok(api) => out.push((Some(*v), api)),
                Err(e) => {
                    for line in e.0.lines() {
                        let line = format!("version {v}: {line}");
                        if !errors.contains(&line) {
                            errors.push(line);
                        }
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(StartupError(errors.join("\n")))
        }
    }
}
