//! ReDoc, its standalone bundle vendored in `runtime/assets/redoc/`.

use axum::response::Html;

use super::{gzipped_asset, html_escape, relative_url};

/// ReDoc 2.5.4's standalone bundle (MIT; `runtime/assets/redoc/` has its licences),
/// gzip-compressed, the Redocly logo of its credit (the one address of another host it
/// loads) turned into a `data:` image by `runtime/assets/compress.py`.
const REDOC_JS_GZ: &[u8] = include_bytes!("../../assets/redoc/redoc.standalone.js.gz");

/// Where the ReDoc page at `redoc_url` loads its script from.
fn redoc_script_url(redoc_url: &str) -> String {
    format!("{}/redoc.standalone.js", redoc_url.trim_end_matches('/'))
}

/// The ReDoc page for `redoc_url`, reading the document at `openapi_url`, and ReDoc's
/// script next to it (`<redoc_url>/redoc.standalone.js`), served from the binary: the
/// page works with no network, where FastAPI's loads the script from a CDN.
pub fn redoc(redoc_url: &str, openapi_url: &str, title: &str) -> axum::Router {
    let script = redoc_script_url(redoc_url);
    // The page names the document and its script relative to itself, so it works wherever
    // the app is mounted.
    let page_dir = match redoc_url.rfind('/') {
        Some(i) => &redoc_url[..=i],
        None => "/",
    };
    let page = redoc_page_with_script(
        &relative_url(page_dir, openapi_url),
        title,
        &relative_url(page_dir, &script),
    );
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
            axum::routing::get(|request: http::HeaderMap| async move {
                gzipped_asset("text/javascript; charset=utf-8", REDOC_JS_GZ, &request)
            }),
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
        assert_eq!(js.headers()[http::header::CONTENT_ENCODING], "gzip");
        let js = axum::body::to_bytes(js.into_body(), 4 << 20).await.unwrap();
        let js = String::from_utf8(crate::ui::tests::gunzip(&js)).unwrap();
        // The bundle as published but for the logo's address, so nothing of another host
        // is loaded.
        let published = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/assets/redoc/redoc.standalone.js"
        ))
        .unwrap();
        let logo = "https://cdn.redoc.ly/redoc/logo-mini.svg";
        assert_eq!(published.matches(logo).count(), 1);
        let data = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='16' \
                    height='16' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' \
                    fill='%238a8a8a'/%3E%3C/svg%3E";
        assert_eq!(js, published.replace(logo, data));
        assert!(!js.contains("https://cdn."));
    }
}
