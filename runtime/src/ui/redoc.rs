//! ReDoc, its standalone bundle vendored in `runtime/assets/redoc/`.

use axum::response::Html;

use super::{html_escape, relative_url, vendored_asset};

/// ReDoc 2.5.4's standalone bundle (MIT; `runtime/assets/redoc/` has its licences).
const REDOC_JS: &str = include_str!("../../assets/redoc/redoc.standalone.js");

/// The one address the bundle loads from elsewhere: the Redocly logo of its "API docs by
/// Redocly" credit. It is served from the app instead, so the page asks nothing of
/// another host (the credit and its link stay).
const REDOC_LOGO_URL: &str = "https://cdn.redoc.ly/redoc/logo-mini.svg";

/// The bundle as served: the logo's address replaced by the path of a local image. The
/// answer is the bundle's own static pieces around that path, so serving it copies
/// nothing and an idle app holds no second copy of the megabyte.
fn redoc_js(logo_path: &bytes::Bytes) -> axum::response::Response {
    let mut chunks = Vec::new();
    for (i, piece) in REDOC_JS.split(REDOC_LOGO_URL).enumerate() {
        if i > 0 {
            chunks.push(logo_path.clone());
        }
        chunks.push(bytes::Bytes::from_static(piece.as_bytes()));
    }
    let len: usize = chunks.iter().map(bytes::Bytes::len).sum();
    let body = axum::body::Body::from_stream(futures_util::stream::iter(
        chunks.into_iter().map(Ok::<_, std::convert::Infallible>),
    ));
    let mut res = vendored_asset("text/javascript; charset=utf-8", body);
    res.headers_mut()
        .insert(http::header::CONTENT_LENGTH, http::HeaderValue::from(len));
    res
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
    let logo_path = bytes::Bytes::from(relative_url(page_dir, &logo));
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
                let logo_path = logo_path.clone();
                async move { redoc_js(&logo_path) }
            }),
        )
        .route(
            &logo,
            axum::routing::get(|| async { vendored_asset("image/svg+xml", REDOC_LOGO_SVG.into()) }),
        )
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
        assert_eq!(js.status(), http::StatusCode::OK);
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
