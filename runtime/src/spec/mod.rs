//! The typed description of an API.
//!
//! Every fact about an endpoint is written once, as a typed value: the route macros and
//! the input and response types describe each [`Operation`] (parameters with their
//! constraints, body, responses, security, runtime needs) into a [`DocCtx`] that collects
//! the named schemas and security schemes, and [`App::describe`](crate::App::describe)
//! assembles the [`Api`]. Every document is a rendering of it ([`crate::render`]: OpenAPI
//! 3.0, 3.1 and 3.2, AsyncAPI 3.0), and app assembly reads each route's
//! [`RuntimeNeeds`] from it.
//!
//! Schemas are JSON Schemas in the 2020-12 dialect ([`Schema`]); everything around them is
//! typed, so no renderer re-parses JSON another one wrote.
//!
//! ```
//! use ferrapi::prelude::*;
//! use ferrapi::spec::ParamIn;
//!
//! #[get("/items/{id}")]
//! async fn read_item(id: i64, #[query(default = false)] full: bool) -> Json<i64> {
//!     Json(id)
//! }
//!
//! let api = App::new().routes(routes![read_item]).describe().unwrap();
//! let op = &api.operations[0];
//! assert_eq!((op.method.as_str(), op.path.as_str()), ("GET", "/items/{id}"));
//! assert_eq!(op.parameters[0].location, ParamIn::Path);
//! assert_eq!(op.parameters[1].default, Some(serde_json::json!(false)));
//! assert!(op.validates && op.responses.contains("422"));
//! ```

mod api;
mod components;
mod constraints;
pub(crate) mod literal;
pub mod modes;
mod operation;
mod schema;
mod security;

pub use api::{Api, Info, Server, Tag};
pub(crate) use components::python_title;
pub use components::{add_discriminator, component_name, readable_type_name, title_case, DocCtx};
pub use constraints::{Constraints, Num, Pattern};
pub use operation::{
    Example, MediaType, Messages, Operation, OperationKind, ParamIn, ParamSource, ParamSpec,
    Parameter, RequestBody, Response, ResponseHeader, Responses, RuntimeNeeds, SecurityRequirement,
    StateNeed, StreamFormat, StreamItems,
};
pub use schema::{
    collect_refs, for_each_subschema, Schema, SCHEMA_KEYWORDS, SCHEMA_LIST_KEYWORDS,
    SCHEMA_MAP_KEYWORDS,
};
pub use security::SecurityScheme;
