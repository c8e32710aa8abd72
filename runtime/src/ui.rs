//! The documentation pages: Swagger UI and ReDoc, both vendored and served from the binary.
//!
//! Swagger UI comes from `utoipa-swagger-ui` with its `vendored` feature, so neither the
//! build nor the page needs the network. It is configured to keep the authorization across
//! reloads and to use the OAuth2 redirect page served next to it, so the **Authorize**
//! dialog works with the app's own password-flow token endpoint.

use std::sync::Arc;

use axum::extract::Path;
use axum::response::{Html, IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use utoipa_swagger_ui::Config;

/// Stands in for the OAuth2 redirect address in the configuration, which the initializer
/// then computes from the page's own address.
const OAUTH2_REDIRECT_PLACEHOLDER: &str = "ferrapi:oauth2-redirect";

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

/// The Swagger UI router for `docs_url`, reading the document at `openapi_url`.
///
/// Every address the page uses is relative to the page (the document, the OAuth2 redirect
/// page, and the redirect from `/docs` to `/docs/`), so the page works wherever the app is
/// mounted.
pub fn swagger_ui(docs_url: &str, openapi_url: &str) -> axum::Router {
    let docs = docs_url.trim_end_matches('/').to_string();
    let dir = format!("{docs}/");
    let config = Config::new([relative_url(&dir, openapi_url)])
        .persist_authorization(true)
        .oauth2_redirect_url(OAUTH2_REDIRECT_PLACEHOLDER)
        .try_it_out_enabled(true);
    let config = Arc::new(config);
    let index = {
        let config = config.clone();
        move || {
            let config = config.clone();
            async move { swagger_file("", config) }
        }
    };
    let file = move |Path(rest): Path<String>| {
        let config = config.clone();
        async move { swagger_file(&rest, config) }
    };
    let mut router = axum::Router::new()
        .route(&dir, axum::routing::get(index))
        .route(&format!("{docs}/{{*rest}}"), axum::routing::get(file));
    if !docs.is_empty() {
        // `/docs` -> `docs/`: relative, so `/api/docs` goes to `/api/docs/`.
        let last = docs.rsplit('/').next().unwrap_or_default();
        let location = HeaderValue::from_str(&format!("{last}/")).ok();
        router = router.route(
            &docs,
            axum::routing::get(move || async move {
                let mut res = Response::new(axum::body::Body::empty());
                *res.status_mut() = StatusCode::SEE_OTHER;
                if let Some(l) = location {
                    res.headers_mut().insert(header::LOCATION, l);
                }
                res
            }),
        );
    }
    router
}

/// One file of the vendored Swagger UI; the initializer computes the OAuth2 redirect
/// address from the page's own.
fn swagger_file(path: &str, config: Arc<Config<'static>>) -> Response {
    let file = match utoipa_swagger_ui::serve(path, config) {
        Ok(Some(file)) => file,
        // A file Swagger UI does not have is answered like every other 404 of the app.
        Ok(None) => {
            return IntoResponse::into_response(crate::HttpError::new(
                StatusCode::NOT_FOUND,
                "Not Found",
            ))
        }
        Err(_) => return crate::reply::internal_error(),
    };
    let mut bytes = file.bytes.into_owned();
    if path == "swagger-initializer.js" {
        let js = String::from_utf8_lossy(&bytes).replace(
            &format!("\"{OAUTH2_REDIRECT_PLACEHOLDER}\""),
            "new URL(\"oauth2-redirect.html\", window.location.href).href",
        );
        bytes = js.into_bytes();
    }
    let mut res = (
        [(header::CONTENT_TYPE, file.content_type)],
        bytes::Bytes::from(bytes),
    )
        .into_response();
    if file.gzpipped {
        res.headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    res
}

/// ReDoc 2.5.4's standalone bundle (MIT; `runtime/assets/redoc/` has its licences).
const REDOC_JS: &str = include_str!("../assets/redoc/redoc.standalone.js");

/// The one address the bundle loads from elsewhere: the Redocly logo of its "API docs by
/// Redocly" credit. It is served from the app instead, so the page asks nothing of
/// another host (the credit and its link stay).
const REDOC_LOGO_URL: &str = "https://cdn.redoc.ly/redoc/logo-mini.svg";

/// The bundle as served: the logo's address replaced by the path of a local image.
fn redoc_js(logo_path: &str) -> String {
    REDOC_JS.replace(REDOC_LOGO_URL, logo_path)
}

/// A plain stand-in for the credit's logo (a small grey square).
const REDOC_LOGO_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#8a8a8a"/></svg>"##;

/// Where the ReDoc page at `redoc_url` loads its script from.
fn redoc_script_url(redoc_url: &str) -> String {
    format!("{}/redoc.standalone.js", redoc_url.trim_end_matches('/'))
}

/// The ReDoc page for `redoc_url`, reading the document at `openapi_url`, and ReDoc's
/// script next to it (`<redoc_url>/redoc.standalone.js`), served from the binary: the
/// page works with no network, where FastAPI's loads the script from a CDN.
pub fn redoc(redoc_url: &str, openapi_url: &str, title: &str) -> axum::Router {
    let script = redoc_script_url(redoc_url);
    let logo = format!("{}/redoc-logo.svg", redoc_url.trim_end_matches('/'));
    // The page names the document and its script relative to itself, so it works wherever
    // the app is mounted; the script's logo is found the same way.
    let page_dir = match redoc_url.rfind('/') {
        Some(i) => &redoc_url[..=i],
        None => "/",
    };
    let page = redoc_page_with_script(
        &relative_url(page_dir, openapi_url),
        title,
        &relative_url(page_dir, &script),
    );
    let js = bytes::Bytes::from(redoc_js(&relative_url(page_dir, &logo)));
    axum::Router::new()
        .route(
            redoc_url,
            axum::routing::get(move || {
                let page = page.clone();
                async move { Html(page) }
            }),
        )
        .route(
            &script,
            axum::routing::get(move || {
                let js = js.clone();
                async move {
                    (
                        [
                            (http::header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                            (http::header::CACHE_CONTROL, "public, max-age=86400"),
                        ],
                        js,
                    )
                }
            }),
        )
        .route(
            &logo,
            axum::routing::get(|| async {
                (
                    [
                        (http::header::CONTENT_TYPE, "image/svg+xml"),
                        (http::header::CACHE_CONTROL, "public, max-age=86400"),
                    ],
                    REDOC_LOGO_SVG,
                )
            }),
        )
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The ReDoc HTML page, loading the script served next to `/redoc`.
pub fn redoc_page(openapi_url: &str, title: &str) -> String {
    redoc_page_with_script(openapi_url, title, &redoc_script_url("/redoc"))
}

fn redoc_page_with_script(openapi_url: &str, title: &str, script: &str) -> String {
    let title = html_escape(title);
    let url = html_escape(openapi_url);
    let script = html_escape(script);
    format!(
        r#"<!DOCTYPE html>
<html>
<head>
<title>{title} - ReDoc</title>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body {{ margin: 0; padding: 0; }}</style>
</head>
<body>
<noscript>ReDoc requires Javascript to function. Please enable it to browse the documentation.</noscript>
<redoc spec-url="{url}"></redoc>
<script src="{script}"></script>
</body>
</html>
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

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

    #[tokio::test]
    async fn unknown_files_under_the_docs_path_answer_json_404() {
        let req = http::Request::get("/docs/oauth2-redirect")
            .body(axum::body::Body::empty())
            .unwrap();
        let res = swagger_ui("/docs", "/openapi.json")
            .oneshot(req)
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            res.headers().get(http::header::CONTENT_TYPE).unwrap(),
            "application/json"
        );
        let body = axum::body::to_bytes(res.into_body(), 1024).await.unwrap();
        assert_eq!(&body[..], br#"{"detail":"Not Found"}"#);
    }

    #[tokio::test]
    async fn redoc_is_served_from_the_binary() {
        let router = redoc("/reference", "/api.json", "Shop <&>");
        let get = |uri: &str| {
            router.clone().oneshot(
                http::Request::get(uri)
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
        };
        let page = get("/reference").await.unwrap();
        let page = axum::body::to_bytes(page.into_body(), 1 << 16)
            .await
            .unwrap();
        let page = String::from_utf8(page.to_vec()).unwrap();
        assert!(page.contains(r#"<script src="reference/redoc.standalone.js"></script>"#));
        assert!(page.contains(r#"spec-url="api.json""#));
        assert!(page.contains("Shop &lt;&amp;&gt; - ReDoc"));
        assert!(
            !page.contains("http"),
            "the page loads nothing from another host"
        );
        let js = get("/reference/redoc.standalone.js").await.unwrap();
        assert_eq!(js.status(), StatusCode::OK);
        assert_eq!(
            js.headers()[http::header::CONTENT_TYPE],
            "text/javascript; charset=utf-8"
        );
        let js = axum::body::to_bytes(js.into_body(), 4 << 20).await.unwrap();
        let js = String::from_utf8(js.to_vec()).unwrap();
        assert!(js.len() > 1_000_000);
        // No address of another host is left in what the page loads.
        assert!(REDOC_JS.contains(REDOC_LOGO_URL));
        assert!(!js.contains("https://cdn."));
        assert!(js.contains("reference/redoc-logo.svg"));
        let logo = get("/reference/redoc-logo.svg").await.unwrap();
        assert_eq!(logo.headers()[http::header::CONTENT_TYPE], "image/svg+xml");
    }
}
