//! Swagger UI from `utoipa-swagger-ui` (its `vendored` feature: no network at build or at
//! run time).

use std::sync::Arc;

use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use utoipa_swagger_ui::Config;

use super::relative_url;

/// Stands in for the OAuth2 redirect address in the configuration, which the initializer
/// then computes from the page's own address.
const OAUTH2_REDIRECT_PLACEHOLDER: &str = "ferrapi:oauth2-redirect";

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
