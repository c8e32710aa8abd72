//! # ferrapi — FastAPI for Rust
//!
//! Write an ordinary `async fn`, annotate it with `#[get("/items/")]`, and get, from the
//! signature alone: the axum route, extraction and validation of every input with
//! FastAPI-shaped 422 errors, and an OpenAPI 3.1 operation. [`App`] collects the endpoints,
//! serves the document at `/openapi.json`, Swagger UI at `/docs` and ReDoc at `/redoc`, and
//! gives every app a command line (`serve`, `openapi --out`, `openapi --check`, and
//! `openapi diff` for breaking changes against a released document).
//!
//! ```no_run
//! use ferrapi::prelude::*;
//!
//! #[model]
//! struct NewItem {
//!     #[field(min_length = 1, max_length = 50)]
//!     name: String,
//!     #[field(gt = 0)]
//!     price: f64,
//! }
//!
//! /// Read items
//! ///
//! /// Returns one page of the catalogue.
//! #[get("/items/", tags = ["items"])]
//! async fn read_items(
//!     #[query(default = 0, ge = 0)] skip: i64,
//!     #[query(default = 10, le = 100)] limit: i64,
//! ) -> Json<serde_json::Value> {
//!     Json(serde_json::json!({ "skip": skip, "limit": limit }))
//! }
//!
//! #[post("/items/", status = 201)]
//! async fn create_item(item: Json<NewItem>) -> Json<NewItem> {
//!     item
//! }
//!
//! fn main() {
//!     App::new()
//!         .title("Items")
//!         .version("1.0.0")
//!         .routes(routes![read_items, create_item])
//!         .run();
//! }
//! ```
//!
//! ## The guide
//!
//! [`guide`] covers each topic in depth, in the order FastAPI's tutorial does: start with
//! the [tutorial](guide::tutorial) (and [`dev`](guide::dev), the save-and-reload loop), then [parameters](guide::parameters),
//! [models](guide::models), [responses](guide::responses), [security](guide::security),
//! [dependencies](guide::dependencies), [bigger applications](guide::bigger_applications),
//! [middleware](guide::middleware), [testing](guide::testing),
//! [API documents](guide::api_documents), [operations](guide::operations) and
//! [real time](guide::realtime). [Differences from FastAPI](guide::fastapi_differences)
//! lists every deliberate one, with its reason.

#![warn(missing_docs)]

// Lets `#[model]` and the route macros, which name `::ferrapi`, be used inside this crate.
extern crate self as ferrapi;

pub mod app;
pub mod background;
pub mod cli;
mod constraint_kinds;
pub mod constraints;
#[cfg(feature = "chrono")]
pub mod datetimes;
pub mod describe;
#[cfg(feature = "dev")]
mod dev;
mod endpoint_handler;
mod enums;
pub mod error;
pub mod extract;
#[cfg(feature = "redis")]
mod redis_conn;
// The guide's pages (`docs/`, linked into the crate as `guide/`), for rustdoc only.
pub mod guard;
#[cfg(all(doc, not(doctest)))]
pub mod guide;
pub mod logging;
#[cfg(feature = "metrics")]
pub mod metrics;
pub mod middleware;
#[cfg(feature = "openapi-diff")]
pub mod openapi_diff;
pub mod ops;
#[cfg(feature = "rate-limit")]
pub mod rate_limit;
pub mod realtime;
pub mod render;
mod reply;
pub mod response;
pub mod response_shape;
pub mod router;
pub mod security;
pub mod server;
pub mod spec;
#[cfg(feature = "testing")]
pub mod testing;
pub mod to_schema;
mod tracker;
pub mod types;
pub mod ui;
pub mod unions;
pub mod validate;
pub mod versioning;

pub use app::{App, OperationIds, StartupError};
#[cfg(feature = "chrono")]
pub use datetimes::Duration;
pub use describe::ApiInput;
pub use error::{HttpError, Rejection};
pub use extract::form::Form;
pub use extract::param::{ParamShape, ParamValue};
pub use extract::query::Query;
pub use extract::upload::UploadFile;
pub use extract::State;
pub use ferrapi_macros::{
    delete, dependency, get, head, model, options, patch, post, put, route, websocket, ParamEnum,
    ToSchema,
};
pub use response::{ApiResponse, Created, Html, Json, NoContent, ResponseModel, Text};
pub use router::Router;
/// A decimal number, as Python's `Decimal` (rust_decimal's): read from a JSON string or
/// number, written as a string, constrained with `max_digits` and `decimal_places`.
#[cfg(feature = "decimal")]
pub use rust_decimal::Decimal;
pub use to_schema::ToSchema;
#[cfg(feature = "email")]
pub use types::Email;
#[cfg(feature = "url")]
pub use types::Url;
pub use validate::Validate;

/// Re-export of the `http` crate (status codes, headers, methods), so an app needs no
/// direct dependency on it.
pub use http;

/// Everything an app usually needs: `use ferrapi::prelude::*;`.
pub mod prelude {
    #[cfg(feature = "rate-limit")]
    pub use crate::rate_limit::RateLimit;
    pub use crate::{
        delete, dependency, get, head, model, options, patch, post, put, route, routes, websocket,
        ApiResponse, App, Created, Form, Html, HttpError, Json, NoContent, OperationIds, ParamEnum,
        Query, Router, State, Text, ToSchema, Validate,
    };
    pub use http::StatusCode;
}

/// Lists endpoints for [`App::routes`] or [`Router::routes`]: `routes![read_items, create_item]`.
///
/// Each name is a function annotated with a route macro (`#[get]`, `#[post]`, ...), by
/// path if it lives in another module: `routes![items::read_items]`.
#[macro_export]
macro_rules! routes {
    ($($endpoint:path),* $(,)?) => {
        ::std::vec![$($crate::router::EndpointDef::of::<$endpoint>()),*]
    };
}

/// Items the generated code uses. Not a public API: it may change in any release.
#[doc(hidden)]
pub mod __private {
    use std::cell::Cell;
    use std::marker::PhantomData;

    pub use axum;
    pub use http;
    pub use serde;
    pub use serde_json;

    pub use crate::constraint_kinds::{
        DigitsConstraint, InField, InParam, LengthConstraint, NumberConstraint, PatternConstraint,
    };
    pub use crate::constraints::{Constraints, Num, Pattern};
    pub use crate::describe::generated::{doc_body_examples, doc_response_media};
    pub use crate::describe::ApiInput;
    pub use crate::endpoint_handler::{endpoint_route, EndpointFn, EndpointHandler};
    pub use crate::enums::{
        check_int_enum, check_literal, check_literal_value, int_enum_input, int_enum_json,
        int_enum_problem, int_enum_schema, literal_schema,
    };
    pub use crate::error::Rejection;
    pub use crate::error::{At, Loc, Problem, ToLoc, ValidationError, ValidationErrors};
    pub use crate::extract::body_fields::{doc_body_field, missing_part, BodyFields};
    pub use crate::extract::form_fields::{doc_form_field, FormFields};
    pub use crate::extract::param::generated::enum_schema;
    pub use crate::extract::param::parse_lax_int;
    pub use crate::extract::param::{ConstraintTarget, Got, ParamShape, ParamValue};
    pub use crate::extract::sources::{header_values, Cookies, DepCache, PathParams, QueryPairs};
    #[cfg(feature = "multipart")]
    pub use crate::extract::upload::generated::doc_file_field;
    #[cfg(feature = "multipart")]
    pub use crate::extract::upload::FileShape;
    pub use crate::extract::AppState;
    #[cfg(feature = "websockets")]
    pub use crate::realtime::{
        websocket_reject, websocket_session, websocket_upgrade, FromSocket, WebSocketLimits,
    };
    pub use crate::response::{ApiResponse, ResponseModel};
    pub use crate::response_shape::{shape_response, ResponseShape, SchemaSet};
    pub use crate::router::{Endpoint, RouteInfo};
    pub use crate::spec::{
        DocCtx, Example, Operation, ParamIn, ParamSource, ParamSpec, Parameter, Responses,
    };
    pub use crate::to_schema::{
        add_schemas, generic_name, nullable, object_schema, one_of, schema_ref, string_enum,
        variant_schema, with_keywords,
    };
    pub use crate::unions::{
        any_of, choose, coerce_untagged, external_tag, find_tag, has_literal_field, member_tags,
        one_of_discriminated, read_member, serde_value_error, tag_index, tuple_expected,
        union_label, Member,
    };
    pub use crate::validate::generated::{
        check_field, missing_field, not_an_object, raw_list_too_long,
    };
    pub use crate::validate::Validate;
    pub use crate::versioning::{Version, Versions};

    use axum::response::{IntoResponse, Response};
    use http::StatusCode;

    use crate::spec::{DocCtx as Ctx, Operation as Op, Schema};

    /// A decimal model field's schema: read from a number or a string, written as a string
    /// (the document splits the model into `-Input` and `-Output` forms, as FastAPI does).
    pub fn decimal_schema() -> serde_json::Value {
        decimal_field(false)
    }

    /// An optional decimal model field's schema: [`decimal_schema`] or `null`.
    pub fn decimal_schema_nullable() -> serde_json::Value {
        decimal_field(true)
    }

    fn decimal_field(nullable: bool) -> serde_json::Value {
        let mut input = vec![
            serde_json::json!({"type": "number"}),
            serde_json::json!({"type": "string"}),
        ];
        let mut output = serde_json::json!({"type": "string"});
        if nullable {
            input.push(serde_json::json!({"type": "null"}));
            output = serde_json::json!({"anyOf": [{"type": "string"}, {"type": "null"}]});
        }
        serde_json::json!({"anyOf": input, crate::spec::modes::OUTPUT_FORM: output})
    }

    /// Documents a handler returning `impl Trait`: the status with an empty schema.
    pub fn doc_opaque_return(status: StatusCode, out: &mut Responses) {
        if status == StatusCode::NO_CONTENT {
            out.empty(status, "Successful Response");
        } else {
            out.json(status, "Successful Response", Schema::any());
        }
    }

    /// Records a `missing` error for a required parameter.
    pub fn missing(loc: Loc, errors: &mut ValidationErrors) {
        errors.push(ValidationError::missing(loc));
    }

    /// A parameter's default as JSON for the document (`null` defaults are left out).
    pub fn default_json(v: serde_json::Value) -> Option<serde_json::Value> {
        Some(v).filter(|v| !v.is_null())
    }

    /// Describes one scalar parameter from its [`ParamSpec`](crate::spec::ParamSpec). The
    /// generated code passes what it needs from the type's [`ParamShape`] through
    /// `<T as ParamShape>::...` paths rather than a generic bound, so a type that is not a
    /// parameter is reported once, at the argument's type, without a note pointing into
    /// this function.
    #[allow(clippy::too_many_arguments)]
    pub fn doc_param(
        ctx: &mut Ctx,
        op: &mut Op,
        spec: &crate::spec::ParamSpec,
        required: bool,
        default: Option<serde_json::Value>,
        schema: serde_json::Value,
        components: Vec<(String, serde_json::Value)>,
        examples: Option<serde_json::Value>,
    ) {
        for (n, s) in components {
            ctx.add_schema(n, s);
        }
        let location = spec.source.location().unwrap_or(ParamIn::Query);
        let mut schema = schema;
        crate::describe::write_format(&mut schema, spec.format);
        op.add_parameter(Parameter {
            title: spec.title.map(str::to_string),
            default,
            description: spec.description.map(str::to_string),
            deprecated: spec.deprecated,
            examples,
            constraints: spec.constraints,
            ..Parameter::new(spec.name, location, required, Schema::new(schema))
        });
    }

    /// The named component schemas a parameter type refers to.
    pub fn param_components(
        add: fn(&mut Vec<(String, serde_json::Value)>),
    ) -> Vec<(String, serde_json::Value)> {
        let mut out = Vec::new();
        add(&mut out);
        out
    }

    /// Describes a `responses(CODE = Type)` entry; `schema` comes from the type's
    /// [`ResponseModel`] (`None`: no body).
    pub fn doc_response(op: &mut Op, status: &str, description: &str, schema: Option<Schema>) {
        let response = match schema {
            Some(schema) => crate::spec::Response::with_body(
                description,
                crate::spec::MediaType::new("application/json", schema),
            ),
            None => crate::spec::Response::new(description),
        };
        op.responses.set(status, response);
    }

    /// Probe for documenting an extractor argument: uses [`ApiInput`] when implemented.
    pub struct DocProbe<T>(pub PhantomData<T>);
    /// Level 1: the type documents itself.
    pub trait DocViaApiInput {
        /// Documents the input.
        fn __ferrapi_doc(&self, ctx: &mut Ctx, op: &mut Op);
    }
    impl<T: ApiInput> DocViaApiInput for &DocProbe<T> {
        fn __ferrapi_doc(&self, ctx: &mut Ctx, op: &mut Op) {
            T::document(ctx, op)
        }
    }
    /// Level 2: a foreign extractor; nothing to document.
    pub trait DocViaNothing {
        /// Documents nothing.
        fn __ferrapi_doc(&self, ctx: &mut Ctx, op: &mut Op);
    }
    impl<T> DocViaNothing for DocProbe<T> {
        fn __ferrapi_doc(&self, _ctx: &mut Ctx, _op: &mut Op) {}
    }

    /// Probe for an extractor's rejection: ferrapi's own rejections carry validation errors
    /// to merge; any other rejection is answered as is.
    pub struct Reject<R>(pub Cell<Option<R>>);
    impl<R> Reject<R> {
        /// Wraps a rejection.
        pub fn new(r: R) -> Self {
            Reject(Cell::new(Some(r)))
        }
    }
    /// Level 1: a ferrapi [`Rejection`].
    pub trait RejectViaFerrapi {
        /// Merges validation errors (`None`), or gives the response to send.
        fn __ferrapi_reject(&self, errors: &mut ValidationErrors) -> Option<Response>;
    }
    impl RejectViaFerrapi for &Reject<Rejection> {
        fn __ferrapi_reject(&self, errors: &mut ValidationErrors) -> Option<Response> {
            match self.0.take() {
                Some(Rejection::Validation(v)) => {
                    errors.absorb(v);
                    None
                }
                Some(Rejection::Response(r)) => Some(*r),
                None => Some(crate::reply::internal_error()),
            }
        }
    }
    /// Level 2: any other rejection.
    pub trait RejectViaResponse {
        /// The response to send.
        fn __ferrapi_reject(&self, errors: &mut ValidationErrors) -> Option<Response>;
    }
    impl<R: IntoResponse> RejectViaResponse for Reject<R> {
        fn __ferrapi_reject(&self, _errors: &mut ValidationErrors) -> Option<Response> {
            Some(
                self.0
                    .take()
                    .map(IntoResponse::into_response)
                    .unwrap_or_else(crate::reply::internal_error),
            )
        }
    }

    /// Probe for a handler's return value.
    pub struct Ret<T>(pub Cell<Option<T>>);
    impl<T> Ret<T> {
        /// Wraps a return value.
        pub fn new(v: T) -> Self {
            Ret(Cell::new(Some(v)))
        }
        fn get(&self) -> T {
            self.0.take().expect("a return value is converted once")
        }
    }
    /// Level 1: [`ApiResponse`].
    pub trait RetViaApi {
        /// Converts the value.
        fn __ferrapi_respond(&self, status: StatusCode) -> Response;
    }
    impl<T: ApiResponse> RetViaApi for &&&&Ret<T> {
        fn __ferrapi_respond(&self, status: StatusCode) -> Response {
            self.get().into_api_response(status)
        }
    }
    /// Level 2: `Result<Model, E>`.
    pub trait RetViaResult {
        /// Converts the value.
        fn __ferrapi_respond(&self, status: StatusCode) -> Response;
    }
    impl<T: serde::Serialize + crate::ToSchema, E: ApiResponse> RetViaResult for &&&Ret<Result<T, E>> {
        fn __ferrapi_respond(&self, status: StatusCode) -> Response {
            match self.get() {
                Ok(v) => crate::reply::json_response(status, &v),
                Err(e) => e.into_api_response(status),
            }
        }
    }
    /// Level 3: a model (`Serialize + ToSchema`).
    pub trait RetViaModel {
        /// Converts the value.
        fn __ferrapi_respond(&self, status: StatusCode) -> Response;
    }
    impl<T: serde::Serialize + crate::ToSchema> RetViaModel for &&Ret<T> {
        fn __ferrapi_respond(&self, status: StatusCode) -> Response {
            crate::reply::json_response(status, &self.get())
        }
    }
    /// Level 4: any axum `IntoResponse`.
    pub trait RetViaIntoResponse {
        /// Converts the value.
        fn __ferrapi_respond(&self, status: StatusCode) -> Response;
    }
    impl<T: IntoResponse> RetViaIntoResponse for &Ret<T> {
        fn __ferrapi_respond(&self, status: StatusCode) -> Response {
            let mut r = self.get().into_response();
            if r.status() == StatusCode::OK {
                *r.status_mut() = status;
            }
            r
        }
    }

    /// Level 5: none of the above. Always selected last, so that a return type that is not a
    /// response fails on this method's `where` clause, whose trait names the type and lists
    /// what a handler may return (instead of a "method exists but its trait bounds were not
    /// satisfied" error about this probe).
    pub trait RetViaNothing<T> {
        /// Reports the error; never called.
        fn __ferrapi_respond(&self, status: StatusCode) -> Response
        where
            T: ApiResponse;
    }
    impl<T> RetViaNothing<T> for Ret<T> {
        fn __ferrapi_respond(&self, status: StatusCode) -> Response
        where
            T: ApiResponse,
        {
            self.get().into_api_response(status)
        }
    }

    /// Probe for documenting a handler's return type.
    pub struct RetDoc<T>(pub PhantomData<T>);
    /// Level 1: [`ApiResponse`].
    pub trait RetDocViaApi {
        /// Documents the responses.
        fn __ferrapi_doc_ret(&self, ctx: &mut Ctx, status: StatusCode, out: &mut Responses);
    }
    impl<T: ApiResponse> RetDocViaApi for &&&&RetDoc<T> {
        fn __ferrapi_doc_ret(&self, ctx: &mut Ctx, status: StatusCode, out: &mut Responses) {
            T::document(ctx, status, out)
        }
    }
    /// Level 2: `Result<Model, E>`.
    pub trait RetDocViaResult {
        /// Documents the responses.
        fn __ferrapi_doc_ret(&self, ctx: &mut Ctx, status: StatusCode, out: &mut Responses);
    }
    impl<T: serde::Serialize + crate::ToSchema, E: ApiResponse> RetDocViaResult
        for &&&RetDoc<Result<T, E>>
    {
        fn __ferrapi_doc_ret(&self, ctx: &mut Ctx, status: StatusCode, out: &mut Responses) {
            let schema = ctx.schema_of::<T>();
            out.json(status, "Successful Response", schema);
            E::document(ctx, status, out)
        }
    }
    /// Level 3: a model.
    pub trait RetDocViaModel {
        /// Documents the responses.
        fn __ferrapi_doc_ret(&self, ctx: &mut Ctx, status: StatusCode, out: &mut Responses);
    }
    impl<T: serde::Serialize + crate::ToSchema> RetDocViaModel for &&RetDoc<T> {
        fn __ferrapi_doc_ret(&self, ctx: &mut Ctx, status: StatusCode, out: &mut Responses) {
            let schema = ctx.schema_of::<T>();
            out.json(status, "Successful Response", schema);
        }
    }
    /// Level 4: an axum `IntoResponse` that does not describe itself: the `where` clause
    /// turns it into the "does not describe what it sends" error, which says how to fix it
    /// (a document never shows a silent `{}`).
    pub trait RetDocViaIntoResponse<T> {
        /// Reports the error; never called.
        fn __ferrapi_doc_ret(&self, ctx: &mut Ctx, status: StatusCode, out: &mut Responses)
        where
            T: crate::response::DescribesResponse;
    }
    impl<T: IntoResponse> RetDocViaIntoResponse<T> for &RetDoc<T> {
        fn __ferrapi_doc_ret(&self, ctx: &mut Ctx, status: StatusCode, out: &mut Responses)
        where
            T: crate::response::DescribesResponse,
        {
            T::describe(ctx, status, out)
        }
    }
    /// Level 5: not a response at all. Documents nothing: the `Ret` probe reports the
    /// type once, as "cannot be returned".
    pub trait RetDocViaNothing {
        /// Does nothing.
        fn __ferrapi_doc_ret(&self, ctx: &mut Ctx, status: StatusCode, out: &mut Responses);
    }
    impl<T> RetDocViaNothing for RetDoc<T> {
        fn __ferrapi_doc_ret(&self, _ctx: &mut Ctx, _status: StatusCode, _out: &mut Responses) {}
    }
}
