//! A typed stream answered as JSON lines.

use std::pin::Pin;

use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use http::{header, HeaderValue, StatusCode};
use serde::Serialize;

use crate::response::ApiResponse;
use crate::spec::{DocCtx, Responses, StreamFormat, StreamItems};

/// A stream of values answered as JSON lines (`application/jsonl`): each value's JSON on a
/// line of its own, sent as soon as the stream yields it. Documented with the item's schema
/// (OpenAPI 3.2's `itemSchema`; `x-item-schema` in 3.0 and 3.1) and as an AsyncAPI channel.
///
/// A value that cannot be serialized ends the stream (the error is logged), since a line
/// cannot be taken back once the answer has started.
///
/// ```
/// use ferrapi::prelude::*;
/// use ferrapi::realtime::JsonLines;
///
/// #[model]
/// struct Row { id: u32 }
///
/// #[get("/export")]
/// async fn export() -> JsonLines<Row> {
///     JsonLines::new(futures_util::stream::iter((1..=3).map(|id| Row { id })))
/// }
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let client = ferrapi::testing::TestClient::new(App::new().routes(routes![export]));
/// let r = client.get("/export").send().await;
/// assert_eq!(r.header("content-type"), Some("application/jsonl"));
/// assert_eq!(r.text(), "{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n");
/// # });
/// ```
pub struct JsonLines<T> {
    stream: Pin<Box<dyn Stream<Item = T> + Send + 'static>>,
}

impl<T> JsonLines<T> {
    /// Lines from `stream`.
    pub fn new(stream: impl Stream<Item = T> + Send + 'static) -> Self {
        JsonLines {
            stream: Box::pin(stream),
        }
    }
}

impl<T> std::fmt::Debug for JsonLines<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JsonLines")
    }
}

/// The media type of JSON lines.
pub const JSON_LINES: &str = "application/jsonl";

impl<T: Serialize + 'static> IntoResponse for JsonLines<T> {
    fn into_response(self) -> Response {
        let lines = self.stream.map(|item| {
            let mut line = serde_json::to_vec(&item).inspect_err(|err| {
                tracing::error!(%err, "a JSON lines item cannot be serialized: ending the stream");
            })?;
            line.push(b'\n');
            Ok::<_, serde_json::Error>(Bytes::from(line))
        });
        let mut res = Response::new(axum::body::Body::from_stream(lines));
        res.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_LINES));
        res
    }
}

impl<T: Serialize + crate::ToSchema + 'static> ApiResponse for JsonLines<T> {
    fn into_api_response(self, status: StatusCode) -> Response {
        let mut r = self.into_response();
        *r.status_mut() = status;
        r
    }
    fn document(ctx: &mut DocCtx, status: StatusCode, out: &mut Responses) {
        let item = ctx.schema_of::<T>();
        let items = StreamItems {
            format: StreamFormat::JsonLines,
            item,
        };
        super::document_stream(out, status, items);
    }
}
