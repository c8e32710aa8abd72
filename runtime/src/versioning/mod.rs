//! Versioned APIs: routes that exist in some versions of the API only, one document per
//! version, and requests routed to a version by a path prefix or a header.
//!
//! An app serves versions once it lists them ([`App::versions`](crate::App::versions)). A
//! route declares the versions it exists in with `versions = ...` (a router with
//! [`Router::versions`](crate::Router::versions)); one without it exists in all of them.
//! The ranges read like Rust's, the end excluded:
//!
//! | written | exists in |
//! |---|---|
//! | (nothing) | every version the app serves |
//! | `versions = "2.0.0"..` | 2.0.0 and later |
//! | `versions = .."2.0.0"` | every version before 2.0.0 |
//! | `versions = "1.1.0".."2.0.0"` | 1.1.0 up to, not including, 2.0.0 |
//!
//! ```
//! use ferrapi::prelude::*;
//!
//! #[model]
//! struct ItemV1 { name: String, price_cents: i64 }
//!
//! #[model]
//! struct Item { name: String, price: f64 }
//!
//! impl From<Item> for ItemV1 {
//!     fn from(i: Item) -> Self {
//!         ItemV1 { name: i.name, price_cents: (i.price * 100.0).round() as i64 }
//!     }
//! }
//!
//! #[get("/items/{id}", versions = "2.0.0"..)]
//! async fn read_item(id: i64) -> Json<Item> {
//!     Json(Item { name: format!("item {id}"), price: 1.5 })
//! }
//!
//! /// Version 1 answers the same item in its old shape.
//! #[get("/items/{id}", versions = .."2.0.0", operation_id = "read_item")]
//! async fn read_item_v1(id: i64) -> Json<ItemV1> {
//!     Json(read_item(id).await.0.into())
//! }
//!
//! let app = App::new()
//!     .versions(["1.0.0", "2.0.0"])
//!     .routes(routes![read_item, read_item_v1]);
//! let v1 = app.openapi_for_version("1.0.0").unwrap();
//! assert_eq!(v1["info"]["version"], "1.0.0");
//! assert_eq!(v1["servers"][0]["url"], "/v1");
//! assert!(v1["components"]["schemas"]["ItemV1"].is_object());
//! ```
//!
//! The guide's page on versioning says the rest: routing, documents, Swagger UI's picker,
//! the command line.

mod api_version;
pub mod routing;
mod version;

pub use api_version::ApiVersion;
pub use routing::VersionRouting;
pub use version::{Version, VersionError, Versions};
