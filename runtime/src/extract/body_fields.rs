//! Several body parameters: `#[body]`.
//!
//! ```
//! use ferrapi::prelude::*;
//!
//! #[model]
//! struct Item { name: String }
//!
//! #[model]
//! struct User { username: String }
//!
//! #[put("/items/{item_id}")]
//! async fn update_item(
//!     item_id: i64,
//!     #[body] item: Item,
//!     #[body] user: User,
//!     #[body(gt = 0)] importance: i64,
//! ) -> Json<serde_json::Value> {
//!     Json(serde_json::json!({"item_id": item_id, "item": item, "user": user, "importance": importance}))
//! }
//! ```
//!
//! This is FastAPI's `item: Item, user: User, importance: Annotated[int, Body(gt=0)]`: the
//! JSON body is an object with one key per argument (`{"item": {...}, "user": {...},
//! "importance": 5}`), each read and validated as a body of its own type would be, its
//! errors located under its name (`["body", "item", "price"]`). A part that is not sent is
//! `missing` with `input: null` (unless it is an `Option` or has a `default`), and so is
//! every part when the body is not a JSON object. `#[body(embed)]` on a single argument
//! asks for the same shape with one key (FastAPI's `Body(embed=True)`).
//!
//! The operation documents an `application/json` body whose schema, with one property per
//! argument, is the component `Body_{operationId}`.

use axum::extract::Request;
use http::header;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::constraints::Constraints;
use crate::error::{Loc, Rejection, ValidationError, ValidationErrors};
use crate::extract::json::{from_json_value, is_json_content_type, json_invalid, read_body};
use crate::extract::param::Got;
use crate::extract::AppState;
use crate::spec::{DocCtx, Operation};
use crate::validate::Validate;

/// The JSON body of a handler with `#[body]` arguments, read once for all of them: its
/// top-level object, or nothing when the body is empty, not JSON or not an object.
#[derive(Debug, Default)]
pub struct BodyFields(Option<Map<String, Value>>);

impl BodyFields {
    /// Reads the body. A body that says it is JSON (or says nothing) and is not is a 422
    /// `json_invalid`, as for [`Json`](crate::Json).
    pub async fn read(req: Request, state: &AppState) -> Result<Self, Rejection> {
        // FastAPI reads the body as JSON when the content type is JSON or missing; any other
        // body is bytes, which hold no parts.
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(is_json_content_type)
            .unwrap_or(true);
        let bytes = read_body(req, state.body_limit()).await?;
        if bytes.is_empty() || !json {
            return Ok(Self(None));
        }
        let Ok(text) = std::str::from_utf8(&bytes) else {
            return Err(crate::error::HttpError::bad_request(
                "There was an error parsing the body",
            )
            .into());
        };
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(m)) => Ok(Self(Some(m))),
            Ok(_) => Ok(Self(None)),
            Err(e) => Err(ValidationErrors::from(json_invalid(&e, text)).into()),
        }
    }

    /// Reads the part `name` as `T`. A missing part of an `optional` argument reads as JSON
    /// `null` (so `Option<T>` is `None`); of any other, it is [`Got::Missing`].
    pub fn part<T: DeserializeOwned + Validate>(
        &self,
        name: &str,
        optional: bool,
        errors: &mut ValidationErrors,
    ) -> Got<T> {
        let loc = Loc::body().join(name.to_string());
        let value = self.0.as_ref().and_then(|m| m.get(name));
        let value = match value {
            Some(v) => v,
            None if optional => &Value::Null,
            None => return Got::Missing,
        };
        match from_json_value::<T>(value, &loc, errors) {
            Some(v) => Got::Value(v),
            None => Got::Invalid,
        }
    }
}

/// Records a missing body part (`input: null`, as FastAPI reports it).
pub fn missing_part(name: &str, errors: &mut ValidationErrors) {
    errors.push(ValidationError::missing(Loc::body().join(name.to_string())));
}

/// Describes one `#[body]` argument: a property of the operation's JSON body, with the
/// argument's constraints, title, description, default and examples.
#[allow(clippy::too_many_arguments)]
pub fn doc_body_field<T: crate::ToSchema>(
    ctx: &mut DocCtx,
    op: &mut Operation,
    name: &str,
    required: bool,
    constraints: &Constraints,
    title: Option<&str>,
    description: Option<&str>,
    default: Option<Value>,
    examples: Option<Value>,
) {
    let schema = ctx.schema_of::<T>();
    let mut property = schema.as_value().clone();
    let is_ref = property.get("$ref").is_some();
    if let Value::Object(m) = &mut property {
        constraints.write_scalar_keywords(m);
        if let Some(t) = title {
            m.insert("title".into(), t.into());
        } else if !is_ref {
            m.insert("title".into(), crate::spec::title_case(name).into());
        }
        if let Some(d) = description {
            m.insert("description".into(), d.into());
        }
        if let Some(d) = default {
            m.insert("default".into(), d);
        }
        if let Some(e) = examples {
            m.insert("examples".into(), e);
        }
    }
    crate::extract::upload::add_body_field(op, "application/json", name, property, required);
}
