//! Documents rendered from the typed description ([`crate::spec::Api`]).
//!
//! The renderers are the only code that knows a format's spelling:
//! - [`openapi`]: OpenAPI 3.1.0 (the default), 3.0.3 (for generators that need it; feature
//!   `openapi-30`) and 3.2.0 (streams documented item by item), chosen with
//!   [`OpenApiVersion`];
//! - `asyncapi`: AsyncAPI 3.0.0 for WebSocket routes and event streams (feature `asyncapi`).
//!
//! ```
//! use ferrapi::prelude::*;
//! use ferrapi::render::{openapi, OpenApiVersion};
//!
//! #[get("/items/")]
//! async fn read_items(#[query(gt = 0)] limit: Option<i64>) -> Json<Vec<i64>> {
//!     Json(vec![])
//! }
//!
//! let api = App::new().routes(routes![read_items]).describe().unwrap();
//! let v31 = openapi(&api, OpenApiVersion::V3_1);
//! let limit = &v31["paths"]["/items/"]["get"]["parameters"][0]["schema"];
//! assert_eq!(limit["anyOf"][0]["exclusiveMinimum"], 0);
//!
//! let v30 = openapi(&api, OpenApiVersion::V3_0);
//! assert_eq!(v30["openapi"], "3.0.3");
//! let limit = &v30["paths"]["/items/"]["get"]["parameters"][0]["schema"];
//! assert_eq!((limit["minimum"].clone(), limit["exclusiveMinimum"].clone(), limit["nullable"].clone()),
//!            (serde_json::json!(0), serde_json::json!(true), serde_json::json!(true)));
//! ```

#[cfg(feature = "asyncapi")]
mod asyncapi;
mod openapi;
#[cfg(feature = "openapi-30")]
mod schema30;

pub(crate) use self::openapi::openapi_owned;
pub use self::openapi::{
    openapi, openapi_with, parameter_schema, OpenApiOptions, OpenApiVersion, ERROR_COMPONENT,
};
#[cfg(feature = "asyncapi")]
pub use asyncapi::asyncapi;
#[cfg(feature = "openapi-30")]
pub use schema30::to_openapi30;
