//! Swagger UI 5.32.6, its distribution files vendored in `runtime/assets/swagger-ui/` and
//! served from the binary: no network at build time or in the browser.
//!
//! The page and its initializer are ferrapi's own: the page is titled like FastAPI's
//! (`<app title> - Swagger UI`), and every address it uses is relative to the page, so it
//! works wherever the app is mounted.

use axum::extract::Path;
use axum::response::{Html, IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};

use super::swagger_options::{initializer, RedirectPage, SwaggerOptions};
use super::{gzipped_asset, html_escape, relative_url, vendored_asset};

/// The large vendored files, held gzip-compressed (`runtime/assets/compress.py`): name under
/// the docs URL, compressed content, content type.
const GZIPPED: &[(&str, &[u8], &str)] = &[
    (
        "swagger-ui-bundle.js",
        include_bytes!("../../assets/swagger-ui/swagger-ui-bundle.js.gz"),
        "text/javascript; charset=utf-8",
    ),
    (
        "swagger-ui.css",
        include_bytes!("../../assets/swagger-ui/swagger-ui.css.gz"),
        "text/css; charset=utf-8",
    ),
];

/// The small vendored files, held as they are: name under the docs URL, content, content
/// type.
const FILES: &[(&str, &[u8], &str)] = &[
    (
        "index.css",
        include_bytes!("../../assets/swagger-ui/index.css"),
        "text/css; charset=utf-8",
    ),
    (
        "favicon-32x32.png",
        include_bytes!("../../assets/swagger-ui/favicon-32x32.png"),
        "image/png",
    ),
    (
        "favicon-16x16.png",
        include_bytes!("../../assets/swagger-ui/favicon-16x16.png"),
        "image/png",
    ),
    (
        "oauth2-redirect.html",
        include_bytes!("../../assets/swagger-ui/oauth2-redirect.html"),
        "text/html; charset=utf-8",
    ),
    (
        "oauth2-redirect.js",
        include_bytes!("../../assets/swagger-ui/oauth2-redirect.js"),
        "text/javascript; charset=utf-8",
    ),
];

/// The page: Swagger UI's own `index.html` with the app's title, without the standalone
/// preset (FastAPI's page has no top bar either), and with `picker` (the version picker's
/// markup, or nothing) above Swagger UI.
fn page(title: &str, picker: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <title>{title} - Swagger UI</title>
    <link rel="stylesheet" type="text/css" href="./swagger-ui.css" />
    <link rel="stylesheet" type="text/css" href="index.css" />
    <link rel="icon" type="image/png" href="./favicon-32x32.png" sizes="32x32" />
    <link rel="icon" type="image/png" href="./favicon-16x16.png" sizes="16x16" />
  </head>
  <body>{picker}
    <div id="swagger-ui"></div>
    <script src="./swagger-ui-bundle.js" charset="UTF-8"> </script>
    <script src="./swagger-initializer.js" charset="UTF-8"> </script>
  </body>
</html>
"#,
        title = html_escape(title)
    )
}

fn file_response(content_type: &'static str, bytes: bytes::Bytes) -> Response {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        bytes,
    )
        .into_response()
}

/// The Swagger UI router for `docs_url`, reading the document at `openapi_url`, the page
/// titled `<title> - Swagger UI`.
///
/// Every address the page uses is relative to the page (the document, the OAuth2 redirect
/// page, and the redirect from `/docs` to `/docs/`), so the page works wherever the app is
/// mounted.
pub fn swagger_ui(docs_url: &str, openapi_url: &str, title: &str) -> axum::Router {
    swagger_ui_with(docs_url, openapi_url, title, &SwaggerOptions::default())
}

/// [`swagger_ui`] configured by `options` (what FastAPI's `swagger_ui_parameters`,
/// `swagger_ui_init_oauth` and `swagger_ui_oauth2_redirect_url` set).
pub fn swagger_ui_with(
    docs_url: &str,
    openapi_url: &str,
    title: &str,
    options: &SwaggerOptions,
) -> axum::Router {
    let dir = format!("{}/", docs_url.trim_end_matches('/'));
    let url = serde_json::to_string(&relative_url(&dir, openapi_url)).expect("a string serializes");
    router(
        docs_url,
        title,
        format!("url: {url}"),
        String::new(),
        options,
    )
}

/// The Swagger UI router for `docs_url` with a picker of documents: `(name, url)` pairs
/// (one per version of the API), the first shown when the page opens.
///
/// ```
/// let _docs = ferrapi::ui::swagger_ui_versions(
///     "/docs",
///     &[("2.0.0".into(), "/openapi/v2.json".into()), ("1.0.0".into(), "/openapi/v1.json".into())],
///     "Items",
/// );
/// ```
pub fn swagger_ui_versions(
    docs_url: &str,
    documents: &[(String, String)],
    title: &str,
) -> axum::Router {
    swagger_ui_versions_with(docs_url, documents, title, &SwaggerOptions::default())
}

/// [`swagger_ui_versions`] configured by `options`.
pub fn swagger_ui_versions_with(
    docs_url: &str,
    documents: &[(String, String)],
    title: &str,
    options: &SwaggerOptions,
) -> axum::Router {
    let dir = format!("{}/", docs_url.trim_end_matches('/'));
    let mut picker = String::from(PICKER_START);
    for (name, url) in documents {
        picker.push_str(&format!(
            "<option value=\"{}\">{}</option>",
            html_escape(&relative_url(&dir, url)),
            html_escape(name)
        ));
    }
    picker.push_str("</select></label></div></div>");
    // The initializer opens the picker's choice: the first document, or the one named by
    // `?urls.primaryName=` (Swagger UI's own top bar reads the same parameter).
    router(docs_url, title, "url: picker.value".into(), picker, options)
}

/// The version picker's bar, up to its options: what Swagger UI's standalone top bar shows
/// for `urls`, in 70 KB less (the preset that draws it is not shipped).
const PICKER_START: &str = "
    <div class=\"topbar\" style=\"background:#1b1b1b;padding:10px 0\"><div style=\"max-width:1460px;margin:0 auto;padding:0 20px;font-family:sans-serif;color:#fff\">\
     <label>Select a definition <select style=\"margin-left:8px;padding:4px 8px;font-size:14px\">";

/// The OAuth2 redirect page served away from the docs (its script inlined, as the page's
/// own `oauth2-redirect.js` would not be next to it).
fn redirect_page_inline() -> String {
    let script = FILES
        .iter()
        .find(|(name, _, _)| *name == "oauth2-redirect.js")
        .map(|(_, bytes, _)| String::from_utf8_lossy(bytes))
        .unwrap_or_default();
    format!(
        "<!doctype html>\n<html lang=\"en-US\">\n<head><title>Swagger UI: OAuth2 Redirect</title></head>\n<body>\n<script>{script}</script>\n</body>\n</html>\n"
    )
}

/// The router of the page, its initializer (with `documents`, see [`initializer`]) and the
/// vendored files.
fn router(
    docs_url: &str,
    title: &str,
    documents: String,
    picker: String,
    options: &SwaggerOptions,
) -> axum::Router {
    let docs = docs_url.trim_end_matches('/').to_string();
    let dir = format!("{docs}/");
    let page = Html(page(title, &picker));
    // The redirect page's address relative to the docs page.
    let redirect = match &options.oauth2_redirect {
        RedirectPage::NextToDocs => Some("oauth2-redirect".to_string()),
        RedirectPage::At(path) => Some(relative_url(&dir, path)),
        RedirectPage::Off => None,
    };
    let next_to_docs = options.oauth2_redirect == RedirectPage::NextToDocs;
    let init = bytes::Bytes::from(initializer(&documents, redirect.as_deref(), options));
    let file = move |Path(rest): Path<String>, request: http::HeaderMap| {
        let init = init.clone();
        async move {
            if rest == "swagger-initializer.js" {
                return file_response("text/javascript; charset=utf-8", init);
            }
            if let Some((_, gzipped, ty)) = GZIPPED.iter().find(|(name, _, _)| *name == rest) {
                return gzipped_asset(ty, gzipped, &request);
            }
            // The redirect page is next to the docs only where the app keeps it there: at
            // FastAPI's address, and under its file's own name.
            let name = match rest.as_str() {
                "oauth2-redirect" if next_to_docs => Some("oauth2-redirect.html"),
                "oauth2-redirect.html" | "oauth2-redirect.js" if !next_to_docs => None,
                other => Some(other),
            };
            match name.and_then(|n| FILES.iter().find(|(file, _, _)| *file == n)) {
                Some((_, bytes, ty)) => vendored_asset(ty, axum::body::Body::from(*bytes)),
                // A file Swagger UI does not have is answered like every other 404.
                None => crate::HttpError::new(StatusCode::NOT_FOUND, "Not Found").into_response(),
            }
        }
    };
    let mut router = axum::Router::new()
        .route(&dir, axum::routing::get(move || async move { page }))
        .route(&format!("{docs}/{{*rest}}"), axum::routing::get(file));
    if let RedirectPage::At(path) = &options.oauth2_redirect {
        let inline = Html(redirect_page_inline());
        router = router.route(path, axum::routing::get(move || async move { inline }));
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    async fn get(router: &axum::Router, uri: &str) -> (StatusCode, String, Vec<u8>) {
        let req = http::Request::get(uri)
            .body(axum::body::Body::empty())
            .unwrap();
        let res = router.clone().oneshot(req).await.unwrap();
        let ty = res
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let status = res.status();
        let body = axum::body::to_bytes(res.into_body(), 4 << 20)
            .await
            .unwrap();
        (status, ty, body.to_vec())
    }

    #[tokio::test]
    async fn unknown_files_under_the_docs_path_answer_json_404() {
        let router = swagger_ui("/docs", "/openapi.json", "Shop");
        let (status, ty, body) = get(&router, "/docs/oauth2-redirect.htm").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(ty, "application/json");
        assert_eq!(&body[..], br#"{"detail":"Not Found"}"#);
        let (status, _, _) = get(&router, "/docs/../Cargo.toml").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn swagger_ui_is_served_from_the_binary() {
        let router = swagger_ui("/v1/docs", "/v1/openapi.json", "Shop <&>");
        let (status, ty, page) = get(&router, "/v1/docs/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(ty.starts_with("text/html"));
        let page = String::from_utf8(page).unwrap();
        assert!(page.contains("<title>Shop &lt;&amp;&gt; - Swagger UI</title>"));
        assert!(
            !page.contains("http"),
            "the page loads nothing from another host"
        );
        let (_, ty, init) = get(&router, "/v1/docs/swagger-initializer.js").await;
        assert!(ty.starts_with("text/javascript"));
        let init = String::from_utf8(init).unwrap();
        assert!(init.contains(r#"url: "../openapi.json""#));
        assert!(init.contains("persistAuthorization: true"));
        // FastAPI's layout: no top bar, no standalone preset (not shipped).
        assert!(init.contains(r#"layout: "BaseLayout""#));
        assert!(!page.contains("topbar") && !page.contains("standalone"));
        let (status, _, _) = get(&router, "/v1/docs/swagger-ui-standalone-preset.js").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        for (name, bytes, ty) in FILES {
            let (status, got_ty, body) = get(&router, &format!("/v1/docs/{name}")).await;
            assert_eq!(status, StatusCode::OK, "{name}");
            assert_eq!(&got_ty, ty);
            assert_eq!(body.len(), bytes.len());
        }
        let (status, _, _) = get(&router, "/v1/docs").await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }

    #[tokio::test]
    async fn large_files_are_sent_gzip_compressed_as_vendored() {
        let router = swagger_ui("/docs", "/openapi.json", "Shop");
        let send = |uri: String, accept: &'static str| {
            router.clone().oneshot(
                http::Request::get(uri)
                    .header(header::ACCEPT_ENCODING, accept)
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
        };
        for (name, _, ty) in GZIPPED {
            let res = send(format!("/docs/{name}"), "gzip, deflate, br")
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::OK, "{name}");
            assert_eq!(res.headers()[header::CONTENT_TYPE], *ty);
            assert_eq!(res.headers()[header::CONTENT_ENCODING], "gzip");
            assert_eq!(res.headers()[header::VARY], "accept-encoding");
            let body = axum::body::to_bytes(res.into_body(), 4 << 20)
                .await
                .unwrap();
            let published = std::fs::read(format!(
                "{}/assets/swagger-ui/{name}",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap();
            assert!(
                crate::ui::tests::gunzip(&body) == published,
                "{name} as published"
            );
            // A client that takes no gzip is told so, not sent bytes it cannot read.
            let res = send(format!("/docs/{name}"), "identity").await.unwrap();
            assert_eq!(res.status(), StatusCode::NOT_ACCEPTABLE);
            assert_eq!(res.headers()[header::VARY], "accept-encoding");
            assert!(res.headers().get(header::CONTENT_ENCODING).is_none());
            let body = axum::body::to_bytes(res.into_body(), 1 << 10)
                .await
                .unwrap();
            assert!(String::from_utf8_lossy(&body).contains("Accept-Encoding: gzip"));
        }
    }

    #[tokio::test]
    async fn the_version_picker_lists_each_document_relative_to_the_page() {
        let router = swagger_ui_versions(
            "/docs",
            &[
                ("2.0.0".into(), "/openapi/v2.json".into()),
                ("1.0.0".into(), "/openapi/v1.json".into()),
            ],
            "Shop",
        );
        let (_, _, init) = get(&router, "/docs/swagger-initializer.js").await;
        let init = String::from_utf8(init).unwrap();
        assert!(init.contains("url: picker.value,"), "{init}");
        assert!(!init.contains("url: \""));
        let (_, _, page) = get(&router, "/docs/").await;
        let page = String::from_utf8(page).unwrap();
        assert!(
            page.contains(r#"<option value="../openapi/v2.json">2.0.0</option><option value="../openapi/v1.json">1.0.0</option></select>"#),
            "{page}"
        );
        assert!(page.contains(r#"<div class="topbar""#));
        // A name is text, not markup.
        let router = swagger_ui_versions("/docs", &[("<b>\"".into(), "/a.json".into())], "Shop");
        let (_, _, page) = get(&router, "/docs/").await;
        let page = String::from_utf8(page).unwrap();
        assert!(
            page.contains(r#"<option value="../a.json">&lt;b&gt;&quot;</option>"#),
            "{page}"
        );
    }
}
