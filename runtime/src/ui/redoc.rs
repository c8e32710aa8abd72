//! ReDoc at `/redoc`. With the feature `redoc`, its standalone bundle is vendored in
//! `runtime/assets/redoc/` and served from the binary; without it (the default, which keeps
//! 0.32 MB out of every binary), the page loads the same bundle from jsDelivr as FastAPI's
//! does, pinned to that version and checked by the browser against its hash.

use axum::response::Html;

use super::{html_escape, relative_url};

/// ReDoc 2.5.4's standalone bundle (MIT; `runtime/assets/redoc/` has its licences),
/// gzip-compressed, the Redocly logo of its credit (the one address of another host it
/// loads) turned into a `data:` image by `runtime/assets/compress.py`.
#[cfg(feature = "redoc")]
const REDOC_JS_GZ: &[u8] = include_bytes!("../../assets/redoc/redoc.standalone.js.gz");

/// Where the page loads ReDoc from without the `redoc` feature: the bundle the feature
/// vendors, as npm publishes it (FastAPI's page loads `redoc@2`, whatever 2.x is newest).
pub const REDOC_CDN_URL: &str =
    "https://cdn.jsdelivr.net/npm/redoc@2.5.4/bundles/redoc.standalone.js";

/// The Subresource Integrity hash of [`REDOC_CDN_URL`] (`sha384` of
/// `runtime/assets/redoc/redoc.standalone.js`, which is npm's file byte for byte): a CDN
/// that served anything else would have the browser refuse to run it.
pub const REDOC_CDN_INTEGRITY: &str =
    "sha384-w447zOpYfw/1Tv/5AK9NfHTlQIqE3RVR6KY62jCyy9zNDgO64cMwGGP1Fj0zJVf5";

/// Where the ReDoc page at `redoc_url` loads its script from when the binary holds it.
#[cfg(feature = "redoc")]
fn redoc_script_url(redoc_url: &str) -> String {
    format!("{}/redoc.standalone.js", redoc_url.trim_end_matches('/'))
}

/// The ReDoc page for `redoc_url`, reading the document at `openapi_url`. With the feature
/// `redoc`, ReDoc's script is served next to it (`<redoc_url>/redoc.standalone.js`) from
/// the binary, so the page works with no network; without it, the page loads the script
/// from [`REDOC_CDN_URL`], as FastAPI's does.
pub fn redoc(redoc_url: &str, openapi_url: &str, title: &str) -> axum::Router {
    // The page names the document and its script relative to itself, so it works wherever
    // the app is mounted.
    let page_dir = match redoc_url.rfind('/') {
        Some(i) => &redoc_url[..=i],
        None => "/",
    };
    let spec = relative_url(page_dir, openapi_url);
    #[cfg(feature = "redoc")]
    let script = redoc_script_url(redoc_url);
    #[cfg(feature = "redoc")]
    let page = page(
        &spec,
        title,
        &Script::Served(&relative_url(page_dir, &script)),
    );
    #[cfg(not(feature = "redoc"))]
    let page = page(&spec, title, &Script::Cdn);
    let router = axum::Router::new().route(
        redoc_url,
        axum::routing::get(move || {
            let page = page.clone();
            async move { Html(page) }
        }),
    );
    #[cfg(feature = "redoc")]
    let router = router.route(
        &script,
        axum::routing::get(|request: http::HeaderMap| async move {
            super::gzipped_asset("text/javascript; charset=utf-8", REDOC_JS_GZ, &request)
        }),
    );
    router
}

/// The ReDoc HTML page for an app at the root, its script as [`redoc`] serves it.
pub fn redoc_page(openapi_url: &str, title: &str) -> String {
    #[cfg(feature = "redoc")]
    return page(
        openapi_url,
        title,
        &Script::Served(&redoc_script_url("/redoc")),
    );
    #[cfg(not(feature = "redoc"))]
    page(openapi_url, title, &Script::Cdn)
}

/// Where a page takes ReDoc's script from.
enum Script<'a> {
    /// Served by the app, at this address relative to the page.
    #[cfg_attr(not(feature = "redoc"), allow(dead_code))]
    Served(&'a str),
    /// [`REDOC_CDN_URL`], checked against [`REDOC_CDN_INTEGRITY`].
    #[cfg_attr(feature = "redoc", allow(dead_code))]
    Cdn,
}

fn page(openapi_url: &str, title: &str, script: &Script<'_>) -> String {
    let title = html_escape(title);
    let url = html_escape(openapi_url);
    let script = match script {
        Script::Served(src) => format!(r#"<script src="{}"></script>"#, html_escape(src)),
        Script::Cdn => format!(
            r#"<script src="{REDOC_CDN_URL}" integrity="{REDOC_CDN_INTEGRITY}" crossorigin="anonymous"></script>"#
        ),
    };
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
{script}
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
    fn the_cdn_page_pins_the_vendored_bundle_by_hash() {
        let page = page("../api.json", "Shop <&>", &Script::Cdn);
        assert!(page.contains(&format!(
            r#"<script src="{REDOC_CDN_URL}" integrity="{REDOC_CDN_INTEGRITY}" crossorigin="anonymous"></script>"#
        )));
        assert!(page.contains(r#"spec-url="../api.json""#));
        assert!(page.contains("Shop &lt;&amp;&gt; - ReDoc"));
        // The hash is that of the file the `redoc` feature vendors, which is npm's.
        let published = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/assets/redoc/redoc.standalone.js"
        ))
        .unwrap();
        let readme = include_str!("../../assets/redoc/README.md");
        let version = readme
            .split("is ReDoc ")
            .nth(1)
            .and_then(|r| r.split('\'').next())
            .unwrap();
        assert!(
            REDOC_CDN_URL.contains(&format!("/redoc@{version}/")),
            "{version}"
        );
        use base64::Engine as _;
        use sha2::Digest as _;
        let hash =
            base64::engine::general_purpose::STANDARD.encode(sha2::Sha384::digest(&published));
        assert_eq!(REDOC_CDN_INTEGRITY, format!("sha384-{hash}"));
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
