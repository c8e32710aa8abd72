//! `ApiVersion`: the version a request was routed to, for handlers that serve several.

use axum::extract::FromRequestParts;
use http::request::Parts;

use super::Version;
use crate::describe::ApiInput;
use crate::spec::{DocCtx, Operation};
use crate::HttpError;

/// The version of the API a request was routed to (by its path prefix or its version
/// header), for a handler that exists in several versions and behaves a little differently
/// in some. A handler whose *types* change between versions is better written as two
/// routes on one path, each in its own range (see the guide's versioning page).
///
/// Taken by a handler of an app without [`App::versions`](crate::App::versions), it
/// answers 500.
///
/// ```
/// use ferrapi::prelude::*;
/// use ferrapi::versioning::{ApiVersion, Version};
///
/// #[get("/greeting")]
/// async fn greeting(version: ApiVersion) -> String {
///     if version.at_least(Version::new(2, 0, 0)) {
///         "Hello!".into()
///     } else {
///         "hello".into()
///     }
/// }
///
/// let app = App::new().versions(["1.0.0", "2.0.0"]).routes(routes![greeting]);
/// assert!(app.openapi_for_version("1").is_ok());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ApiVersion(pub Version);

impl ApiVersion {
    /// The version.
    pub fn version(&self) -> Version {
        self.0
    }

    /// Whether the request's version is `version` or later.
    pub fn at_least(&self, version: Version) -> bool {
        self.0 >= version
    }
}

impl std::ops::Deref for ApiVersion {
    type Target = Version;
    fn deref(&self) -> &Version {
        &self.0
    }
}

impl std::fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ApiVersion {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, HttpError> {
        parts.extensions.get::<ApiVersion>().copied().ok_or_else(|| {
            HttpError::internal("a handler takes `ApiVersion`, but the app serves no versions: call `App::versions([...])`")
        })
    }
}

/// Nothing to document: the version is the document's own (`info.version`).
impl ApiInput for ApiVersion {
    fn document(_ctx: &mut DocCtx, _op: &mut Operation) {}
}
