//! Validated string types for models and parameters: [`Email`] and [`Url`], as pydantic's
//! `EmailStr` and `HttpUrl`/`AnyUrl`. Each is documented with its JSON Schema `format` and
//! checked when the request is read. `Email` needs the `email` feature (as pydantic's needs
//! its `email` extra), `Url` the `url` feature.
//!
//! ```
//! use ferrapi::prelude::*;
//! use ferrapi::types::{Email, Url};
//!
//! #[model]
//! struct Signup {
//!     email: Email,
//!     homepage: Option<Url>,
//! }
//!
//! # fn main() { ferrapi_doc_block_on(async {
//! #[post("/signup")]
//! async fn signup(body: Json<Signup>) -> String {
//!     body.0.email.as_str().to_string()
//! }
//! let c = ferrapi::testing::TestClient::new(App::new().routes(routes![signup]));
//! let ok = c.post("/signup").json(&serde_json::json!({"email": "ada@example.com"})).send().await;
//! assert_eq!(ok.status(), 200);
//! let bad = c.post("/signup").json(&serde_json::json!({"email": "ada", "homepage": "not a url"})).send().await;
//! let d = bad.json_value()["detail"].clone();
//! assert_eq!(d[0]["loc"], serde_json::json!(["body", "email"]));
//! assert_eq!(d[0]["type"], "value_error");
//! assert_eq!(d[1]["type"], "url_parsing");
//! # }) }
//! # fn ferrapi_doc_block_on<F: std::future::Future>(f: F) -> F::Output {
//! #     tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
//! # }
//! ```
// The links to items of features this build leaves out resolve on docs.rs (all features).
#![cfg_attr(
    not(all(feature = "email", feature = "url")),
    allow(rustdoc::broken_intra_doc_links)
)]

#[cfg(feature = "email")]
mod email;
#[cfg(feature = "url")]
mod url;

#[cfg(feature = "email")]
pub use email::Email;
#[cfg(feature = "url")]
pub use url::Url;

/// The schema, validation and parameter impls of a validated string type `$t` with
/// `parse(&str) -> Result<$t, Problem>`, `as_str` and `Display`.
#[cfg(any(feature = "email", feature = "url"))]
macro_rules! string_type {
    ($t:ty, $json:expr) => {
        impl crate::ToSchema for $t {
            fn schema() -> serde_json::Value {
                $json
            }
        }

        impl crate::validate::Validate for $t {
            fn validate_value(
                value: &serde_json::Value,
                loc: &crate::error::Loc,
                errors: &mut crate::error::ValidationErrors,
            ) {
                match value {
                    serde_json::Value::String(s) => {
                        if let Err(p) = <$t>::parse(s) {
                            errors.push(crate::error::ValidationError::from_problem(
                                p,
                                loc.clone(),
                                value.clone(),
                            ));
                        }
                    }
                    _ => errors.push(crate::error::ValidationError::new(
                        "string_type",
                        loc.clone(),
                        "Input should be a valid string",
                        value.clone(),
                    )),
                }
            }
        }

        impl crate::extract::param::ParamValue for $t {
            fn parse(raw: &str) -> Result<Self, crate::error::Problem> {
                <$t>::parse(raw)
            }
            fn check(&self, c: &crate::constraints::Constraints) -> Option<crate::error::Problem> {
                c.check_str(self.as_str())
            }
            fn to_json(&self) -> serde_json::Value {
                serde_json::Value::String(self.to_string())
            }
            fn schema() -> serde_json::Value {
                $json
            }
        }
    };
}
#[cfg(any(feature = "email", feature = "url"))]
pub(crate) use string_type;
