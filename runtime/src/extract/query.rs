//! A struct of query parameters: `Query<T>`.
//!
//! ```
//! use ferrapi::prelude::*;
//! use ferrapi::extract::query::Query;
//!
//! #[model]
//! struct Filter {
//!     #[field(default = 0, ge = 0)]
//!     skip: i64,
//!     #[field(default = 10, le = 100)]
//!     limit: i64,
//!     tag: Vec<String>,
//!     q: Option<String>,
//! }
//!
//! #[get("/things")]
//! async fn things(filter: Query<Filter>) -> Json<i64> {
//!     Json(filter.skip + filter.limit)
//! }
//! ```
//!
//! Each field of `T` is documented as its own query parameter (with its constraints), and
//! read with the same lax rules as a scalar parameter: `?skip=10.0` is 10, a repeated key
//! fills a list field. Errors are located at `["query", field]`, as in FastAPI.

use axum::extract::FromRequestParts;
use http::request::Parts;
use serde::de::DeserializeOwned;

use crate::describe::ApiInput;
use crate::error::Rejection;
use crate::extract::{fields, AppState, QueryPairs};
use crate::spec::{DocCtx, Operation, ParamIn, Parameter, Schema};
use crate::validate::Validate;

/// A struct whose fields are query parameters. See the module documentation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Query<T>(pub T);

impl<T> std::ops::Deref for Query<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> FromRequestParts<AppState> for Query<T>
where
    T: DeserializeOwned + Validate + crate::ToSchema + Send + 'static,
{
    type Rejection = Rejection;

    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, Rejection> {
        let pairs = QueryPairs::parse(parts.uri.query());
        fields::from_values::<T, _>(|name| pairs.values(name).into_vec(), "query").map(Query)
    }
}

impl<T: crate::ToSchema + 'static> ApiInput for Query<T> {
    fn document(ctx: &mut DocCtx, op: &mut Operation) {
        let _ = ctx.schema_of::<T>();
        for f in fields::plan::<T>().iter() {
            let schema = f.schema.clone();
            let default = schema.get("default").cloned();
            // A field's `deprecated` and `examples` apply to its parameter too.
            let deprecated = schema.get("deprecated") == Some(&serde_json::Value::Bool(true));
            let examples = schema.get("examples").cloned();
            op.add_parameter(Parameter {
                default,
                description: f.description.clone(),
                deprecated,
                examples,
                ..Parameter::new(&f.name, ParamIn::Query, f.required, Schema::new(schema))
            });
        }
    }
}
