#![doc = ferrapi_macros::guide_page!("guide/README.md")]
//!
//! These pages are the repository's `docs/` folder, rendered here so the guide travels
//! with the crate; their examples are compiled and run by ferrapi's test suite.

#[doc = ferrapi_macros::guide_page!("guide/tutorial.md")]
pub mod tutorial {}
#[doc = ferrapi_macros::guide_page!("guide/dev.md")]
pub mod dev {}
#[doc = ferrapi_macros::guide_page!("guide/parameters.md")]
pub mod parameters {}
#[doc = ferrapi_macros::guide_page!("guide/models.md")]
pub mod models {}
#[doc = ferrapi_macros::guide_page!("guide/responses.md")]
pub mod responses {}
#[doc = ferrapi_macros::guide_page!("guide/security.md")]
pub mod security {}
#[doc = ferrapi_macros::guide_page!("guide/dependencies.md")]
pub mod dependencies {}
#[doc = ferrapi_macros::guide_page!("guide/bigger-applications.md")]
pub mod bigger_applications {}
#[doc = ferrapi_macros::guide_page!("guide/middleware.md")]
pub mod middleware {}
#[doc = ferrapi_macros::guide_page!("guide/testing.md")]
pub mod testing {}
#[doc = ferrapi_macros::guide_page!("guide/api-documents.md")]
pub mod api_documents {}
#[doc = ferrapi_macros::guide_page!("guide/openapi-diff.md")]
pub mod openapi_diff {}
#[doc = ferrapi_macros::guide_page!("guide/deployment.md")]
pub mod deployment {}
#[doc = ferrapi_macros::guide_page!("guide/versioning.md")]
pub mod versioning {}
#[doc = ferrapi_macros::guide_page!("guide/operations.md")]
pub mod operations {}
#[doc = ferrapi_macros::guide_page!("guide/realtime.md")]
pub mod realtime {}
#[doc = ferrapi_macros::guide_page!("guide/benchmarks.md")]
pub mod benchmarks {}
#[doc = ferrapi_macros::guide_page!("guide/fastapi-differences.md")]
pub mod fastapi_differences {}
#[doc = ferrapi_macros::guide_page!("guide/architecture.md")]
pub mod architecture {}
