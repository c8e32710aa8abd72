//! Form bodies: `Form<T>`.
//!
//! ```
//! use ferrapi::prelude::*;
//! use ferrapi::Form;
//!
//! #[model]
//! struct Login {
//!     #[field(min_length = 3)]
//!     username: String,
//!     password: String,
//!     #[field(default)]
//!     remember: bool,
//! }
//!
//! #[post("/login")]
//! async fn login(form: Form<Login>) -> String {
//!     form.0.username
//! }
//! ```
//!
//! Reads `application/x-www-form-urlencoded` and the text fields of `multipart/form-data`
//! (FastAPI accepts both on a form endpoint), converts each field by its schema type with the
//! lax rules of query parameters (`"on"` is true), and validates the model as pydantic
//! validates FastAPI's `Annotated[Model, Form()]`: errors are located at `["body", field]`,
//! a refused value's `input` is the text sent, a missing field's `input` the whole form. The operation documents an
//! `application/x-www-form-urlencoded` body with the model's schema.

use axum::extract::{FromRequest, Request};
use http::header;
use serde::de::DeserializeOwned;

use crate::describe::ApiInput;
use crate::error::Rejection;
use crate::extract::json::read_body;
use crate::extract::upload::UploadFile;
use crate::extract::{fields, AppState};
use crate::spec::{DocCtx, MediaType, Operation, RequestBody};
use crate::validate::Validate;

/// A form body read into the model `T`. See the module documentation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Form<T>(pub T);

impl<T> std::ops::Deref for Form<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// The text fields of a form body, in order.
pub async fn read_form_pairs(
    req: Request,
    limit: usize,
) -> Result<Vec<(String, String)>, Rejection> {
    read_form_all(req, limit).await.map(|(pairs, _, _)| pairs)
}

/// A form body's parts: the text fields and the files, and the order they came in (`true`
/// for a file) so that a file argument sees every part sent under its name in order.
pub(crate) type FormParts = (Vec<(String, String)>, Vec<(String, UploadFile)>, Vec<bool>);

/// The text fields and the file parts of a form body, in order.
pub(crate) async fn read_form_all(req: Request, limit: usize) -> Result<FormParts, Rejection> {
    let ct = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let essence = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "multipart/form-data" {
        #[cfg(feature = "multipart")]
        return super::multipart::read(req, &ct, limit).await;
        #[cfg(not(feature = "multipart"))]
        return Err(crate::error::HttpError::new(
            http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "multipart/form-data is not accepted: this app is built without ferrapi's `multipart` feature",
        )
        .into());
    }
    let bytes = read_body(req, limit).await?;
    if essence == "application/x-www-form-urlencoded" {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(&bytes).into_owned().collect();
        let order = vec![false; pairs.len()];
        return Ok((pairs, Vec::new(), order));
    }
    // Anything else (JSON, text, no body) has no form fields.
    Ok((Vec::new(), Vec::new(), Vec::new()))
}

impl<T> FromRequest<AppState> for Form<T>
where
    T: DeserializeOwned + Validate + crate::ToSchema + Send + 'static,
{
    type Rejection = Rejection;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Rejection> {
        let pairs = read_form_pairs(req, state.body_limit()).await?;
        fields::from_pairs::<T>(&pairs, "body").map(Form)
    }
}

impl<T: crate::ToSchema + 'static> ApiInput for Form<T> {
    fn document(ctx: &mut DocCtx, op: &mut Operation) {
        let schema = ctx.schema_of::<T>();
        let required = fields::plan::<T>().iter().any(|f| f.required);
        op.request_body = Some(RequestBody::new(
            MediaType::new("application/x-www-form-urlencoded", schema),
            required,
        ));
        op.validates = true;
    }
}
