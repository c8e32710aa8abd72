//! The documentation pages: Swagger UI (feature `swagger-ui`), vendored and served from the
//! binary, and ReDoc, whose script the binary holds with the feature `redoc` and the page
//! loads from jsDelivr without it (as FastAPI's does).
//!
//! The build never needs the network, nor do the pages with both features. Swagger UI is configured to keep the
//! authorization across reloads and to use the OAuth2 redirect page served next to it, so
//! the **Authorize** dialog works with the app's own password-flow token endpoint.

mod redoc;
#[cfg(feature = "swagger-ui")]
mod swagger;
mod swagger_options;

pub use redoc::{redoc, redoc_page, REDOC_CDN_INTEGRITY, REDOC_CDN_URL};
#[cfg(feature = "swagger-ui")]
pub use swagger::{swagger_ui, swagger_ui_versions, swagger_ui_versions_with, swagger_ui_with};
pub use swagger_options::{RedirectPage, SwaggerOptions};

/// The address of `target` relative to the directory `from_dir` (both absolute paths):
/// `("/docs/", "/openapi.json")` -> `"../openapi.json"`. Pages that name the document this
/// way keep working when the app is mounted under a prefix (`axum::Router::nest`, or a
/// proxy that strips `/api`), which the app itself may not know.
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

/// A vendored file the binary holds gzip-compressed (`runtime/assets/compress.py`), served
/// as it is stored with `Content-Encoding: gzip`: nothing is compressed or decompressed at
/// run time, and the binary carries 0.49 MB of Swagger UI files instead of 1.96 MB (with
/// ReDoc's, 0.81 MB instead of 3.06 MB).
///
/// A client that asks for no encoding it lists (every browser lists gzip; a request without
/// `Accept-Encoding` accepts any) gets `406 Not Acceptable` saying so.
#[cfg_attr(not(any(feature = "swagger-ui", feature = "redoc")), allow(dead_code))]
pub(crate) fn gzipped_asset(
    content_type: &'static str,
    gzipped: &'static [u8],
    request: &http::HeaderMap,
) -> axum::response::Response {
    let mut res = if accepts_gzip(request.get(http::header::ACCEPT_ENCODING)) {
        let mut res = vendored_asset(content_type, axum::body::Body::from(gzipped));
        res.headers_mut().insert(
            http::header::CONTENT_ENCODING,
            http::HeaderValue::from_static("gzip"),
        );
        res
    } else {
        axum::response::IntoResponse::into_response(crate::HttpError::new(
            http::StatusCode::NOT_ACCEPTABLE,
            "This file is served gzip-compressed only: send `Accept-Encoding: gzip`",
        ))
    };
    res.headers_mut().insert(
        http::header::VARY,
        http::HeaderValue::from_static("accept-encoding"),
    );
    res
}

/// Whether a request with this `Accept-Encoding` takes a gzip-compressed answer (RFC 9110
/// §12.5.3): no header takes any coding; otherwise `gzip` (or `x-gzip`), else `*`, with a
/// weight above zero.
fn accepts_gzip(header: Option<&http::HeaderValue>) -> bool {
    let Some(header) = header else {
        return true;
    };
    let (mut gzip, mut any) = (None, None);
    for item in header.as_bytes().split(|b| *b == b',') {
        let mut parts = item.split(|b| *b == b';');
        let coding = parts.next().unwrap_or_default().trim_ascii();
        let weight = parts
            .filter_map(|p| {
                let p = p.trim_ascii();
                let v = p.strip_prefix(b"q=").or_else(|| p.strip_prefix(b"Q="))?;
                std::str::from_utf8(v).ok()?.trim().parse::<f32>().ok()
            })
            .next()
            .unwrap_or(1.0);
        if coding.eq_ignore_ascii_case(b"gzip") || coding.eq_ignore_ascii_case(b"x-gzip") {
            gzip = Some(weight > 0.0);
        } else if coding == b"*" {
            any = Some(weight > 0.0);
        }
    }
    gzip.or(any).unwrap_or(false)
}

/// Escapes text for HTML.
pub(crate) fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The content of a gzip-compressed answer.
    pub(crate) fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(bytes), &mut out).unwrap();
        out
    }

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

    #[test]
    fn gzip_is_taken_unless_the_request_refuses_it() {
        let takes = |v: Option<&str>| {
            accepts_gzip(v.map(|v| http::HeaderValue::from_str(v).unwrap()).as_ref())
        };
        assert!(takes(None));
        for yes in [
            "gzip",
            "gzip, deflate, br, zstd",
            "br;q=1.0, GZIP;q=0.5",
            "x-gzip",
            "*",
            "identity, *;q=0.1",
            "gzip;q=0.001",
        ] {
            assert!(takes(Some(yes)), "{yes}");
        }
        for no in [
            "",
            "identity",
            "br, deflate",
            "gzip;q=0",
            "*;q=0",
            "gzip;q=0, *",
            "*, gzip;q=0.0",
            "gzip;q=nope;q=0",
        ] {
            assert!(!takes(Some(no)), "{no}");
        }
    }
}
