//! Form fields as separate arguments: `#[form]`.
//!
//! ```
//! use ferrapi::prelude::*;
//!
//! #[post("/signin")]
//! async fn signin(
//!     #[form] login: String,
//!     #[form(min_length = 4)] secret: String,
//!     #[form(default = false)] remember_me: bool,
//! ) -> Json<serde_json::Value> {
//!     Json(serde_json::json!({"login": login, "remember_me": remember_me}))
//! }
//! ```
//!
//! This is FastAPI's `login: Annotated[str, Form()]`. Each field is read like a query
//! parameter (same types, options and lax conversions: `"on"` is true) from an
//! `application/x-www-form-urlencoded` or `multipart/form-data` body, and checked on its
//! own: errors are located at `["body", field]`, a missing field's `input` is `null`, and
//! an empty value counts as absent (except in a list), as in FastAPI. Every other input is
//! read first, so errors keep FastAPI's order (path, query, header, cookie, body).
//!
//! The operation documents an `application/x-www-form-urlencoded` body whose schema, with
//! one property per field, is the component `Body_{operationId}`.
//!
//! A `format = "password"` option (on `#[form]`, `#[query]`, ... and `#[field]`) writes the
//! schema's `format`, as FastAPI's `json_schema_extra={"format": "password"}` does.
//!
//! To read a whole model from a form instead, take [`Form<T>`](crate::Form).

use axum::extract::Request;
use serde_json::Value;

use crate::error::Rejection;
use crate::extract::form::read_form_all;
use crate::extract::param::ParamShape;
use crate::extract::upload::{FilePart, UploadFile};
use crate::extract::{AppState, Values};
use crate::spec::{DocCtx, Operation, ParamIn, ParamSpec, Parameter, Schema};

/// The media type form fields are documented with.
const FORM_MEDIA: &str = "application/x-www-form-urlencoded";

/// The fields and files of a form body, read once for every `#[form]` and `#[file]`
/// argument.
#[derive(Debug, Default, Clone)]
pub struct FormFields(Vec<(String, String)>, Vec<(String, UploadFile)>, Vec<bool>);

impl FormFields {
    /// Reads the body (urlencoded or multipart; any other body has no fields).
    pub async fn read(req: Request, state: &AppState) -> Result<Self, Rejection> {
        read_form_all(req, state.body_limit())
            .await
            .map(|(pairs, files, order)| FormFields(pairs, files, order))
    }

    /// Every value sent for `name`, in order (for list fields).
    pub fn values(&self, name: &str) -> Values<'_> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Every part sent under `name`, files and texts, in the order sent.
    pub fn parts(&self, name: &str) -> Vec<FilePart> {
        let (mut texts, mut files) = (self.0.iter(), self.1.iter());
        let mut out = Vec::new();
        for &is_file in &self.2 {
            if is_file {
                if let Some((k, f)) = files.next() {
                    if k == name {
                        out.push(FilePart::File(f.clone()));
                    }
                }
            } else if let Some((k, t)) = texts.next() {
                if k == name {
                    out.push(FilePart::Text(t.clone()));
                }
            }
        }
        out
    }

    /// The values for a single-valued field: none when the last one sent is empty, since
    /// FastAPI takes an empty form value as absent (the default applies, or it is missing).
    pub fn scalar_values(&self, name: &str) -> Values<'_> {
        let mut v = self.values(name);
        if v.last().is_some_and(|l| l.is_empty()) {
            v.clear();
        }
        v
    }
}

/// Describes one `#[form]` argument from its [`ParamSpec`]: a property of the operation's
/// form body.
pub fn doc_form_field<T: ParamShape>(
    ctx: &mut DocCtx,
    op: &mut Operation,
    spec: &ParamSpec,
    has_default: bool,
    default: Option<Value>,
    examples: Option<Value>,
) {
    let mut comps = Vec::new();
    T::components(&mut comps);
    for (n, s) in comps {
        ctx.add_schema(n, s);
    }
    let required = T::REQUIRED && !has_default;
    let mut schema = T::schema(&spec.constraints);
    crate::describe::write_format(&mut schema, spec.format);
    // A property is written like a parameter's schema: title, description, default, ...
    let property = crate::render::parameter_schema(&Parameter {
        title: spec.title.map(str::to_string),
        default,
        description: spec.description.map(str::to_string),
        deprecated: spec.deprecated,
        examples,
        constraints: spec.constraints,
        ..Parameter::new(spec.name, ParamIn::Query, required, Schema::new(schema))
    });
    crate::extract::upload::add_body_field(op, FORM_MEDIA, spec.name, property, required);
}
