//! The documentation pages: Swagger UI (feature `swagger-ui`) and ReDoc (feature `redoc`),
//! both vendored and served from the binary.
//!
//! Neither the build nor the pages need the network. Swagger UI is configured to keep the
//! authorization across reloads and to use the OAuth2 redirect page served next to it, so
//! the **Authorize** dialog works with the app's own password-flow token endpoint.

#[cfg(feature = "redoc")]
mod redoc;
#[cfg(feature = "swagger-ui")]
mod swagger;

#[cfg(feature = "redoc")]
pub use redoc::{redoc, redoc_page};
#[cfg(feature = "swagger-ui")]
pub use swagger::{swagger_ui, swagger_ui_versions};

/// The address of `target` relative to the directory `from_dir` (both absolute paths):
/// `("/docs/", "/openapi.json")` -> `"../openapi.json"`. Pages that name the document this
/// way keep working when the app is mounted under a prefix (`axum::Router::nest`, or a
/// proxy that strips `/api`), which the app itself may not know.
#[cfg_attr(not(any(feature = "swagger-ui", feature = "redoc")), allow(dead_code))]
pub(crate) fn relative_url(from_dir: &str, target: &str) -> String {
    let from: Vec<&str> = from_dir
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let to: Vec<&str> = target.trim_start_matches('/').split('/').collect();
    let common = from
        .iter()
        .zip(&to)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to.len().saturating_sub(1));
    let mut out = "../".repeat(from.len() - common);
    out.push_str(&to[common..].join("/"));
    if out.is_empty() {
        out.push('.');
    }
    out
}

/// A vendored file of a docs page: its content type, cached by browsers for a day.
#[cfg_attr(not(any(feature = "swagger-ui", feature = "redoc")), allow(dead_code))]
pub(crate) fn vendored_asset(
    content_type: &'static str,
    body: axum::body::Body,
) -> axum::response::Response {
    let mut res = axum::response::Response::new(body);
    let headers = res.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static(content_type),
    );
    headers.insert(
        http::header::CACHE_CONTROL,
        http::HeaderValue::from_static("public, max-age=86400"),
    );
    res
}

/// Escapes text for HTML.
#[cfg_attr(not(any(feature = "swagger-ui", feature = "redoc")), allow(dead_code))]
pub(crate) fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_addresses() {
        assert_eq!(relative_url("/docs/", "/openapi.json"), "../openapi.json");
        assert_eq!(relative_url("/", "/openapi.json"), "openapi.json");
        assert_eq!(
            relative_url("/", "/redoc/redoc.standalone.js"),
            "redoc/redoc.standalone.js"
        );
        assert_eq!(
            relative_url("/v1/docs/", "/v1/openapi.json"),
            "../openapi.json"
        );
        assert_eq!(relative_url("/docs/", "/v1/spec.json"), "../v1/spec.json");
        assert_eq!(relative_url("/a/b/", "/a/b/c.json"), "c.json");
    }
}
