//! The documentation pages: Swagger UI (vendored, served from the binary) and ReDoc.
//!
//! Swagger UI comes from `utoipa-swagger-ui` with its `vendored` feature, so neither the
//! build nor the page needs the network. It is configured to keep the authorization across
//! reloads and to use the OAuth2 redirect page served next to it, so the **Authorize**
//! dialog works with the app's own password-flow token endpoint.

use axum::response::{Html, Response};
use http::StatusCode;
use utoipa_swagger_ui::{Config, SwaggerUi};

/// The Swagger UI router for `docs_url`, reading the document at `openapi_url`.
pub fn swagger_ui(docs_url: &str, openapi_url: &str) -> axum::Router {
    let docs = docs_url.trim_end_matches('/').to_string();
    let config = Config::new([openapi_url.to_string()])
        .persist_authorization(true)
        .oauth2_redirect_url(format!("{docs}/oauth2-redirect.html"))
        .try_it_out_enabled(true);
    let router: axum::Router = SwaggerUi::new(docs).config(config).into();
    // utoipa-swagger-ui answers a file it does not have with a bare, empty 404: answer it
    // like every other 404 of the app, `{"detail": "Not Found"}`.
    router.layer(axum::middleware::map_response(|res: Response| async move {
        if res.status() == StatusCode::NOT_FOUND {
            crate::reply::detail_response(StatusCode::NOT_FOUND, "Not Found")
        } else {
            res
        }
    }))
}

/// The ReDoc page for `redoc_url`, reading the document at `openapi_url`. ReDoc's script is
/// loaded by the browser from its CDN, as FastAPI does; the API itself never needs it.
pub fn redoc(redoc_url: &str, openapi_url: &str, title: &str) -> axum::Router {
    let page = redoc_page(openapi_url, title);
    axum::Router::new().route(
        redoc_url,
        axum::routing::get(move || {
            let page = page.clone();
            async move { Html(page) }
        }),
    )
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The ReDoc HTML page.
pub fn redoc_page(openapi_url: &str, title: &str) -> String {
    let title = html_escape(title);
    let url = html_escape(openapi_url);
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
<script src="https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js"></script>
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
}
