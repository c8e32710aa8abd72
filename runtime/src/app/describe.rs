//! The app's description: `App::describe` and the documents rendered from it.

use std::collections::HashMap;

use serde_json::Value;

use crate::describe::{default_summary, fastapi_operation_id};
use crate::render::OpenApiVersion;
use crate::router::{path_forms, EndpointDef};
use crate::spec::{self, Api, DocCtx, Operation, OperationKind};

use super::{App, OperationIds, StartupError};
use crate::versioning::Version;

impl App {
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
        Ok(crate::render::openapi_owned(self.describe()?, options))
    }

    /// Builds the AsyncAPI 3.0 document: WebSocket routes and event streams. Feature
    /// `asyncapi`.
    #[cfg(feature = "asyncapi")]
    pub fn asyncapi_value(&self) -> Result<Value, StartupError> {
        Ok(crate::render::asyncapi(&self.describe()?))
    }

    /// The typed description of the app: every operation of every route (those left out
    /// of documents too), with its inputs, responses, security and runtime needs, and the
    /// named schemas and security schemes. Documents are renderings of it
    /// ([`crate::render`]); [`try_into_router`](App::try_into_router) reads each route's
    /// needs from it. Fails on duplicate operation ids, two models with one name, or state
    /// a handler needs that was never registered.
    ///
    /// An app that serves [`versions`](App::versions) is described as its latest version
    /// (see [`describe_version`](App::describe_version)).
    pub fn describe(&self) -> Result<Api, StartupError> {
        match self.versions.last() {
            Some(latest) => self.describe_version(latest),
            None => {
                self.check_versions()?;
                self.describe_endpoints(None)
            }
        }
    }

    /// The description of the routes that exist in `version` (all of them when `None`).
    pub(super) fn describe_endpoints(
        &self,
        version: Option<&Version>,
    ) -> Result<Api, StartupError> {
        let mut ctx = DocCtx::default();
        let mut operations = Vec::new();
        let mut seen_ids: HashMap<String, String> = HashMap::new();
        let mut errors = Vec::new();
        for e in self.endpoints_in(version) {
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
                    g.document(&mut ctx, &mut op);
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
                    crate::error::document_request_errors(&mut ctx, &mut op);
                    ctx.finish_operation(&mut op);
                    self.error_handlers.document(&mut ctx, &mut op);
                    title_responses(&mut op);
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
        if let Some(v) = version {
            self.describe_as_version(&mut api, v);
        }
        // Every ferrapi error body fits `HTTPError`; renderers that document all errors with
        // it (`OpenApiOptions::one_error_schema`) need it, the others list it only if used.
        let _ = <crate::HttpError as crate::ResponseModel>::response_schema(&mut ctx);
        // Every `$ref` must name a registered component: a hand-written `ToSchema` that
        // refers to a component without listing it in `schemas()` would leave one dangling.
        let mut refs = Vec::new();
        api.for_each_schema_mut(&mut |s| crate::spec::collect_refs(s, &mut refs));
        for s in ctx.schemas.values() {
            crate::spec::collect_refs(s, &mut refs);
        }
        for name in refs.iter().filter(|r| !ctx.schemas.contains_key(*r)) {
            errors.push(format!(
                "the document refers to the schema `{name}`, which nothing registered: a `ToSchema` implementation whose schema contains `{{\"$ref\": \"#/components/schemas/{name}\"}}` must add that component in `schemas()` (`ferrapi::to_schema::add_schemas::<T>(out)`)"
            ));
        }
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
        // The titles of the `-Input`/`-Output` components split below.
        let mut titles = std::collections::BTreeMap::new();
        crate::spec::modes::split_input_output(&mut api, &mut titles);
        DocCtx::add_titles(&mut api, &titles);
        Ok(api)
    }
}

/// FastAPI titles an inline success schema after the operation (`Response List Users Users
/// List Get`, from pydantic's field `Response_list_users_users_list_get`).
fn title_responses(op: &mut Operation) {
    let title = format!("Response {}", crate::spec::python_title(&op.operation_id));
    for (status, r) in &mut op.responses.0 {
        if !status.starts_with('2') {
            continue;
        }
        for m in &mut r.content {
            if !crate::extract::json::is_json_content_type(&m.media_type) {
                continue;
            }
            if let serde_json::Value::Object(s) = m.schema.as_value_mut() {
                if !s.is_empty() && !s.contains_key("$ref") && !s.contains_key("title") {
                    s.insert("title".into(), title.clone().into());
                }
            }
        }
    }
}
