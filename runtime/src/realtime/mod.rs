//! Real time: WebSockets (feature `websockets`), server-sent events, streaming bodies and
//! static files.
//!
//! WebSocket endpoints use the same kind of macro as HTTP routes. They are left out of the
//! OpenAPI document, as in FastAPI, and described in the AsyncAPI document
//! (`/asyncapi.json`, feature `asyncapi`), with their messages when the handler takes a typed
//! [`JsonSocket`]:
//!
//! ```
//! use ferrapi::prelude::*;
//! use ferrapi::realtime::{Message, WebSocket};
//!
//! #[websocket("/echo/{room}")]
//! async fn echo(mut socket: WebSocket, room: String, #[query(min_length = 1)] name: String) {
//!     while let Some(Ok(Message::Text(t))) = socket.recv().await {
//!         let reply = format!("{room}/{name}: {}", t.as_str());
//!         if socket.send(Message::Text(reply.into())).await.is_err() {
//!             break;
//!         }
//!     }
//! }
//! ```
//!
//! [`EventStream`] sends a typed stream as server-sent events, documented as
//! `text/event-stream`; [`JsonLines`] sends one as JSON lines (`application/jsonl`). Both
//! document their item type.
// The links to items of features this build leaves out resolve on docs.rs (all features).
#![cfg_attr(not(feature = "websockets"), allow(rustdoc::broken_intra_doc_links))]

use std::convert::Infallible;
use std::pin::Pin;

use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use http::{header, HeaderValue, StatusCode};
use serde::Serialize;

#[cfg(feature = "websockets")]
pub use axum::extract::ws::{CloseFrame, Message, Utf8Bytes};
pub use channels::{ChannelError, Channels, ChannelsBuilder, Gap, Subscription};
pub use json_lines::{JsonLines, JSON_LINES};
#[cfg(feature = "websockets")]
pub use json_socket::{FromSocket, JsonReceiver, JsonSender, JsonSocket, RecvError};
#[cfg(feature = "websockets")]
pub use socket::{
    WebSocket, CLOSE_GOING_AWAY, CLOSE_NORMAL, CLOSE_PROTOCOL_ERROR, CLOSE_TOO_BIG,
    CLOSE_TRY_AGAIN_LATER, DEFAULT_MAX_FRAME_SIZE, DEFAULT_MAX_MESSAGE_SIZE,
};
#[cfg(feature = "websockets")]
pub use websocket::{
    websocket_reject, websocket_session, websocket_upgrade, WebSocketLimits, CLOSE_INVALID,
};

pub mod channels;
mod json_lines;
#[cfg(feature = "websockets")]
mod json_socket;
#[cfg(feature = "websockets")]
mod socket;
#[cfg(feature = "websockets")]
mod websocket;

use crate::response::ApiResponse;
use crate::spec::{
    DocCtx, MediaType, Response as ResponseSpec, Responses, Schema, StreamFormat, StreamItems,
};

/// A stream of values sent as server-sent events, each value's JSON in an event's `data`.
///
/// ```
/// use ferrapi::prelude::*;
/// use ferrapi::realtime::EventStream;
///
/// #[model]
/// struct Tick { n: u64 }
///
/// #[get("/ticks")]
/// async fn ticks() -> EventStream<Tick> {
///     EventStream::new(futures_util::stream::iter((0..3).map(|n| Tick { n })))
/// }
/// ```
pub struct EventStream<T> {
    stream: Pin<Box<dyn Stream<Item = T> + Send + 'static>>,
    event: Option<&'static str>,
}

impl<T> EventStream<T> {
    /// Events from `stream`, with a keep-alive comment every 15 s.
    pub fn new(stream: impl Stream<Item = T> + Send + 'static) -> Self {
        EventStream {
            stream: Box::pin(stream),
            event: None,
        }
    }
    /// Names every event (`event: <name>`).
    pub fn named(mut self, event: &'static str) -> Self {
        self.event = Some(event);
        self
    }
}

impl<T: Serialize + 'static> IntoResponse for EventStream<T> {
    fn into_response(self) -> Response {
        let name = self.event;
        let events = self.stream.map(move |item| {
            let mut e = Event::default()
                .json_data(item)
                .unwrap_or_else(|_| Event::default().comment("unserializable event"));
            if let Some(n) = name {
                e = e.event(n);
            }
            Ok::<_, Infallible>(e)
        });
        Sse::new(events)
            .keep_alive(KeepAlive::default())
            .into_response()
    }
}

impl<T: Serialize + crate::ToSchema + 'static> ApiResponse for EventStream<T> {
    fn into_api_response(self, _status: StatusCode) -> Response {
        self.into_response()
    }
    fn document(ctx: &mut DocCtx, status: StatusCode, out: &mut Responses) {
        let item = ctx.schema_of::<T>();
        document_stream(
            out,
            status,
            StreamItems {
                format: StreamFormat::ServerSentEvents,
                item,
            },
        );
    }
}

/// axum's `Sse`: served as is, documented as `text/event-stream` without an item type (use
/// [`EventStream<T>`] to describe the events' data).
impl<S, E> ApiResponse for Sse<S>
where
    S: Stream<Item = Result<Event, E>> + Send + 'static,
    E: Into<axum::BoxError>,
{
    fn into_api_response(self, status: StatusCode) -> Response {
        let mut r = self.into_response();
        *r.status_mut() = status;
        r
    }
    fn document(_ctx: &mut DocCtx, status: StatusCode, out: &mut Responses) {
        out.content(
            status,
            "A stream of server-sent events",
            "text/event-stream",
            serde_json::json!({"type": "string", "description": "Server-sent events"}),
        );
    }
}

/// Documents a streamed answer: its media type, a string schema for the whole body, and
/// the item each event or line carries (what OpenAPI 3.2 and AsyncAPI show).
pub(crate) fn document_stream(out: &mut Responses, status: StatusCode, items: StreamItems) {
    let (media_type, whole, description) = match items.format {
        StreamFormat::ServerSentEvents => (
            "text/event-stream",
            "Server-sent events",
            "A stream of server-sent events; each event's `data` is JSON.",
        ),
        StreamFormat::JsonLines => (
            JSON_LINES,
            "JSON lines: one JSON value per line",
            "A stream of JSON values, one per line.",
        ),
    };
    let media = MediaType {
        stream: Some(items),
        ..MediaType::new(
            media_type,
            Schema::new(serde_json::json!({"type": "string", "description": whole})),
        )
    };
    out.set(status.as_str(), ResponseSpec::with_body(description, media));
}

/// A streamed body with a content type (default `application/octet-stream`).
pub struct ByteStream {
    body: axum::body::Body,
    content_type: &'static str,
}

impl ByteStream {
    /// A body streamed from `stream`.
    pub fn new<S, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<axum::BoxError>,
    {
        ByteStream {
            body: axum::body::Body::from_stream(stream),
            content_type: "application/octet-stream",
        }
    }
    /// Sets the content type.
    pub fn content_type(mut self, ct: &'static str) -> Self {
        self.content_type = ct;
        self
    }
}

impl IntoResponse for ByteStream {
    fn into_response(self) -> Response {
        let mut res = Response::new(self.body);
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.content_type),
        );
        res
    }
}

impl ApiResponse for ByteStream {
    fn into_api_response(self, status: StatusCode) -> Response {
        let mut r = self.into_response();
        *r.status_mut() = status;
        r
    }
    fn document(_ctx: &mut DocCtx, status: StatusCode, out: &mut Responses) {
        out.content(
            status,
            "A streamed body",
            "application/octet-stream",
            serde_json::json!({"type": "string", "contentMediaType": "application/octet-stream"}),
        );
    }
}

#[cfg(feature = "static-files")]
impl crate::App {
    /// Serves the files of `dir` under `prefix` (tower-http's `ServeDir`; feature
    /// `static-files`); not documented.
    pub fn static_files(self, prefix: &'static str, dir: impl AsRef<std::path::Path>) -> Self {
        let service = tower_http::services::ServeDir::new(dir.as_ref());
        self.map_router(move |r| r.nest_service(prefix, service))
    }
}
