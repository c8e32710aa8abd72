//! The app's own answers to the framework's errors: FastAPI's exception handlers, and an
//! RFC 9457 `application/problem+json` mode.
//!
//! Every error answer the framework writes (a 422 of input errors, an [`HttpError`] from a
//! handler or an extractor, the 404 and 405 of the router, a 413, a 500) carries in its
//! extensions what it was made from ([`ErrorSource`]). When the app has a handler for it
//! (`App::on_validation_error`, `App::on_http_error`, `App::problem_details`), a layer
//! around the whole app answers it again the app's way, and the document describes that
//! answer instead of the default one.

use std::sync::Arc;

use axum::response::Response;
use http::{header, HeaderValue, StatusCode};
use serde_json::{json, Value};

use super::{HttpError, ValidationErrors};
use crate::spec::literal::{self, lit, Lit};
use crate::spec::{DocCtx, MediaType, Operation, Schema};

/// What a framework error answer was made from, kept in the response's extensions.
#[derive(Debug, Clone)]
pub enum ErrorSource {
    /// Input errors (the 422).
    Validation(Arc<ValidationErrors>),
    /// An [`HttpError`]: raised by a handler or an extractor, or the router's 404 and 405.
    Http(HttpError),
    /// An unexpected failure (a panic, an answer that could not be written): the 500.
    Internal,
}

type Answer<E> = Arc<dyn Fn(&E) -> Value + Send + Sync>;

/// A handler for input errors: the status it answers and how it writes the body.
#[derive(Clone)]
struct ValidationHandler {
    status: StatusCode,
    answer: Answer<ValidationErrors>,
    schema: fn(&mut DocCtx) -> Schema,
}

/// A handler for [`HttpError`]s: the body it writes (the status and headers are the
/// error's), or the whole answer.
#[derive(Clone)]
enum HttpHandler {
    Body {
        answer: Answer<HttpError>,
        schema: fn(&mut DocCtx) -> Schema,
    },
    Response(Arc<dyn Fn(&HttpError) -> Response + Send + Sync>),
}

/// The app's error handlers.
#[derive(Clone, Default)]
pub(crate) struct ErrorHandlers {
    validation: Option<ValidationHandler>,
    http: Option<HttpHandler>,
    problem: bool,
}

const PROBLEM_JSON: &str = "application/problem+json";

impl ErrorHandlers {
    /// Answers input errors with `answer`'s body and `status`, documented as `T`.
    pub(crate) fn set_validation<T: crate::ToSchema>(
        &mut self,
        status: StatusCode,
        answer: Answer<ValidationErrors>,
    ) {
        self.validation = Some(ValidationHandler {
            status,
            answer,
            schema: |ctx| ctx.schema_of::<T>(),
        });
    }

    /// Answers [`HttpError`]s with `answer`'s body, documented as `T`.
    pub(crate) fn set_http<T: crate::ToSchema>(&mut self, answer: Answer<HttpError>) {
        self.http = Some(HttpHandler::Body {
            answer,
            schema: |ctx| ctx.schema_of::<T>(),
        });
    }

    /// Answers [`HttpError`]s with `answer`'s response (documented as before).
    pub(crate) fn set_http_response(
        &mut self,
        answer: Arc<dyn Fn(&HttpError) -> Response + Send + Sync>,
    ) {
        self.http = Some(HttpHandler::Response(answer));
    }

    /// Answers every framework error not otherwise handled as RFC 9457 problem details.
    pub(crate) fn set_problem_details(&mut self) {
        self.problem = true;
    }

    /// Whether any handler is set (else no layer is installed).
    pub(crate) fn is_empty(&self) -> bool {
        self.validation.is_none() && self.http.is_none() && !self.problem
    }

    /// The app's answer to a framework error answer; any other response as it is.
    pub(crate) fn answer(&self, res: Response) -> Response {
        let Some(source) = res.extensions().get::<ErrorSource>().cloned() else {
            return res;
        };
        match source {
            ErrorSource::Validation(errors) => {
                if let Some(h) = &self.validation {
                    let out = crate::reply::json_response(h.status, &(h.answer)(&errors));
                    return keep_headers(out, res);
                }
                if self.problem {
                    return problem(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        None,
                        Some(json!(errors.0)),
                        res,
                    );
                }
                res
            }
            ErrorSource::Http(err) => match &self.http {
                Some(HttpHandler::Body { answer, .. }) => {
                    let out = crate::reply::json_response(err.status(), &answer(&err));
                    keep_headers(out, res)
                }
                Some(HttpHandler::Response(answer)) => keep_headers(answer(&err), res),
                None if self.problem => {
                    let detail = match err.detail() {
                        Value::String(s) => Some(s.clone()),
                        Value::Null => None,
                        other => Some(crate::reply::json_text(other)),
                    };
                    problem(err.status(), detail, None, res)
                }
                None => res,
            },
            ErrorSource::Internal if self.problem => {
                problem(StatusCode::INTERNAL_SERVER_ERROR, None, None, res)
            }
            ErrorSource::Internal => res,
        }
    }

    /// Documents the app's answers instead of the default ones on one operation.
    pub(crate) fn document(&self, ctx: &mut DocCtx, op: &mut Operation) {
        if self.is_empty() {
            return;
        }
        let is_ref = |m: &MediaType, name: &str| m.schema.component() == Some(name);
        // Every `HTTPError` answer.
        for (_, r) in &mut op.responses.0 {
            if !r.content.iter().any(|m| is_ref(m, "HTTPError")) {
                continue;
            }
            if let Some(HttpHandler::Body { schema, .. }) = &self.http {
                r.content = vec![MediaType::new("application/json", schema(ctx))];
            } else if self.http.is_none() && self.problem {
                add_problem_components(ctx);
                r.content = vec![MediaType::new(
                    PROBLEM_JSON,
                    Schema::reference("HTTPProblem"),
                )];
            }
        }
        // Input errors.
        let validation = op.responses.0.iter().position(|(status, r)| {
            status == "422" && r.content.iter().any(|m| is_ref(m, "HTTPValidationError"))
        });
        if let Some(i) = validation {
            if let Some(h) = &self.validation {
                let (_, mut response) = op.responses.0.remove(i);
                let schema = (h.schema)(ctx);
                response.content = vec![MediaType::new("application/json", schema)];
                let status = h.status.as_u16().to_string();
                match op.responses.get_mut(&status) {
                    // The status is documented already (a 400 for unreadable bodies): the
                    // answer is either.
                    Some(existing) => {
                        for m in &mut existing.content {
                            let before = m.schema.as_value().clone();
                            let added = response.content[0].schema.as_value().clone();
                            m.schema = Schema::new(json!({"anyOf": [before, added]}));
                        }
                    }
                    None => op.responses.set(status, response),
                }
            } else if self.problem {
                add_problem_components(ctx);
                if let Some((_, r)) = op.responses.0.get_mut(i) {
                    r.content = vec![MediaType::new(
                        PROBLEM_JSON,
                        Schema::reference("HTTPValidationProblem"),
                    )];
                }
            }
        }
    }
}

/// An RFC 9457 answer: `type` (`about:blank`), `title` (the status' reason), `status`, and
/// `detail` when there is one; input errors are listed under `errors`, as FastAPI lists
/// them under `detail`. The original answer's headers are kept, its body is not.
fn problem(
    status: StatusCode,
    detail: Option<String>,
    errors: Option<Value>,
    original: Response,
) -> Response {
    let mut body = json!({
        "type": "about:blank",
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
    });
    if let Some(d) = detail {
        body["detail"] = d.into();
    }
    if let Some(e) = errors {
        body["errors"] = e;
    }
    let mut out = keep_headers(crate::reply::json_response(status, &body), original);
    out.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    out
}

/// `answer` with the headers of the answer it replaces that it does not set itself (an
/// error's own headers, `Allow` on a 405, `WWW-Authenticate` on a 401), but not the body's.
fn keep_headers(mut answer: Response, original: Response) -> Response {
    let (parts, _) = original.into_parts();
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE
            && name != header::CONTENT_LENGTH
            && !answer.headers().contains_key(name)
        {
            answer.headers_mut().append(name.clone(), value.clone());
        }
    }
    answer
}

/// The components of problem details: `HTTPProblem` and `HTTPValidationProblem`.
fn add_problem_components(ctx: &mut DocCtx) {
    ctx.add_validation_components();
    const PROPERTIES: &[(&str, Lit)] = &[
        (
            "type",
            lit!({"type": "string", "description": "A URI reference that identifies the problem type; `about:blank` when the status says it all."}),
        ),
        (
            "title",
            lit!({"type": "string", "description": "The status' reason phrase."}),
        ),
        (
            "status",
            lit!({"type": "integer", "description": "The HTTP status code."}),
        ),
        (
            "detail",
            lit!({"type": "string", "description": "What went wrong, for a human."}),
        ),
        (
            "instance",
            lit!({"type": "string", "description": "A URI reference to this occurrence."}),
        ),
    ];
    const ERRORS: Lit = lit!({
        "type": "array",
        "items": {"$ref": "#/components/schemas/ValidationError"},
        "description": "Every invalid input, as FastAPI lists them under `detail`."
    });
    let problem = |title: &str, description: &str, errors: bool| {
        let mut props = literal::object(PROPERTIES);
        let mut required = vec!["type", "title", "status"];
        if errors {
            props.insert("errors".into(), ERRORS.to_value());
            required.push("errors");
        }
        let mut m = serde_json::Map::new();
        m.insert("title".into(), title.into());
        m.insert("description".into(), description.into());
        m.insert("type".into(), "object".into());
        m.insert("required".into(), required.into());
        m.insert("properties".into(), props.into());
        Schema::new(Value::Object(m))
    };
    ctx.add_schema(
        "HTTPProblem",
        problem(
            "HTTPProblem",
            "An error answer as RFC 9457 problem details.",
            false,
        ),
    );
    ctx.add_schema(
        "HTTPValidationProblem",
        problem(
            "HTTPValidationProblem",
            "Invalid inputs, as RFC 9457 problem details.",
            true,
        ),
    );
}
