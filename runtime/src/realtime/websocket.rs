//! The `#[websocket]` route's run-time half: the upgrade, the session with its size
//! limits, and the refusal of invalid inputs with close code 1008.

use axum::extract::ws::{Message, WebSocketUpgrade};
use axum::extract::FromRequestParts;
use axum::response::Response;
use http::request::Parts;
use http::StatusCode;

use super::socket::{self, WebSocket, DEFAULT_MAX_FRAME_SIZE, DEFAULT_MAX_MESSAGE_SIZE};
use crate::error::ValidationErrors;
use crate::extract::AppState;
use crate::reply::detail_response;

/// The close code for a connection refused because its inputs are invalid (policy violation).
pub const CLOSE_INVALID: u16 = 1008;

#[doc(hidden)]
pub async fn websocket_upgrade(
    parts: &mut Parts,
    state: &AppState,
) -> Result<WebSocketUpgrade, Response> {
    WebSocketUpgrade::from_request_parts(parts, state)
        .await
        .map_err(|_| detail_response(StatusCode::NOT_FOUND, "Not Found"))
}

/// The size limits of one `#[websocket]` route: its `max_message_size` and
/// `max_frame_size` options, 64 KiB each by default. A larger message or frame closes the
/// connection with 1009.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebSocketLimits {
    /// The largest message, in bytes.
    pub max_message_size: usize,
    /// The largest frame, in bytes.
    pub max_frame_size: usize,
}

impl Default for WebSocketLimits {
    fn default() -> Self {
        WebSocketLimits {
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
            max_frame_size: DEFAULT_MAX_FRAME_SIZE,
        }
    }
}

#[doc(hidden)]
pub fn websocket_session<F, Fut>(
    upgrade: WebSocketUpgrade,
    state: &AppState,
    limits: WebSocketLimits,
    handler: F,
) -> Response
where
    F: FnOnce(WebSocket) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let shutdown = state.0.shutdown.clone();
    let sessions = state.0.sessions.clone();
    upgrade
        .max_message_size(limits.max_message_size)
        .max_frame_size(limits.max_frame_size.min(limits.max_message_size))
        .on_upgrade(move |ws| sessions.track(socket::run_session(ws, shutdown, handler)))
}

#[doc(hidden)]
pub fn websocket_reject(upgrade: WebSocketUpgrade, errors: ValidationErrors) -> Response {
    // The start of the errors: a close reason holds at most 123 bytes.
    let frame = socket::frame(
        CLOSE_INVALID,
        &serde_json::to_string(&errors).unwrap_or_default(),
    );
    upgrade.on_upgrade(move |mut socket| async move {
        let _ = socket.send(Message::Close(Some(frame))).await;
    })
}
