//! The WebSocket connection handlers get: axum's socket, with the close frames RFC 6455
//! asks for always sent. An over-size message closes with 1009, a protocol error with
//! 1002, server shutdown with 1001, and a handler that returns without closing with 1000.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{ready, Context, Poll};
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket as AxumSocket};
use futures_util::{Sink, SinkExt, Stream, StreamExt};
use tokio_tungstenite::tungstenite;

/// Normal closure: the handler returned.
pub const CLOSE_NORMAL: u16 = 1000;
/// The server is shutting down.
pub const CLOSE_GOING_AWAY: u16 = 1001;
/// The client broke the WebSocket protocol.
pub const CLOSE_PROTOCOL_ERROR: u16 = 1002;
/// A message was larger than the route's `max_message_size` (or a frame than its
/// `max_frame_size`).
pub const CLOSE_TOO_BIG: u16 = 1009;
/// Try again later: the server cannot keep up with this client (the chat example closes
/// with it when a member falls too far behind, if it chooses to).
pub const CLOSE_TRY_AGAIN_LATER: u16 = 1013;

/// The default largest message a `#[websocket]` route accepts: 64 KiB
/// (`max_message_size = ...` on the route changes it).
pub const DEFAULT_MAX_MESSAGE_SIZE: usize = 64 * 1024;
/// The default largest frame: the route's largest message (browsers send each message as
/// one frame), 64 KiB unless `max_message_size` or `max_frame_size` says otherwise.
pub const DEFAULT_MAX_FRAME_SIZE: usize = DEFAULT_MAX_MESSAGE_SIZE;

/// How long a handler may go on after shutdown began before it is stopped.
pub(crate) const SHUTDOWN_GRACE: Duration = Duration::from_secs(1);
/// How long the last close frame may take to send.
const CLOSE_WAIT: Duration = Duration::from_secs(1);

enum Phase {
    Open,
    /// A close frame to send (then `error` is handed to the reader, if any).
    Closing {
        frame: CloseFrame,
        started: bool,
        error: Option<axum::Error>,
    },
    Closed,
}

/// The connection, shared by the handler's socket (and its halves) and the session that
/// sends the last close frame once the handler is done.
pub(crate) struct Session {
    ws: Option<AxumSocket>,
    phase: Phase,
}

type Shutdown = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A WebSocket connection, as a `#[websocket]` handler takes it: receive with
/// [`recv`](Self::recv) (or as a `Stream`), send with [`send`](Self::send) (or as a `Sink`),
/// split it with `StreamExt::split` to do both from two tasks.
pub struct WebSocket {
    session: Arc<Mutex<Session>>,
    shutdown: Option<Shutdown>,
}

impl std::fmt::Debug for WebSocket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebSocket")
    }
}

/// A close frame. RFC 6455 allows a reason of at most 123 bytes: a longer one is cut at a
/// character boundary, so no caller can make the close itself fail.
pub(crate) fn frame(code: u16, reason: &str) -> CloseFrame {
    let mut end = reason.len().min(123);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    CloseFrame {
        code,
        reason: reason[..end].into(),
    }
}

fn closed_error() -> axum::Error {
    axum::Error::new(tungstenite::Error::ConnectionClosed)
}

/// The close frame an error calls for: the client broke a limit or the protocol. I/O
/// errors get none (the connection is gone).
fn close_for(error: &axum::Error) -> Option<CloseFrame> {
    let inner = std::error::Error::source(error)?.downcast_ref::<tungstenite::Error>()?;
    match inner {
        tungstenite::Error::Capacity(_) => Some(frame(CLOSE_TOO_BIG, "Message too big")),
        tungstenite::Error::Protocol(_) | tungstenite::Error::Utf8(_) => {
            Some(frame(CLOSE_PROTOCOL_ERROR, "Protocol error"))
        }
        _ => None,
    }
}

impl Session {
    /// Sends the pending close frame; then the connection is closed.
    fn poll_close_frame(&mut self, cx: &mut Context<'_>) -> Poll<Option<axum::Error>> {
        let Phase::Closing { frame, started, .. } = &mut self.phase else {
            return Poll::Ready(None);
        };
        if let Some(ws) = self.ws.as_mut() {
            if !*started {
                if ready!(ws.poll_ready_unpin(cx)).is_ok() {
                    let _ = ws.start_send_unpin(Message::Close(Some(frame.clone())));
                }
                *started = true;
            }
            let _ = ready!(ws.poll_flush_unpin(cx));
        }
        match std::mem::replace(&mut self.phase, Phase::Closed) {
            Phase::Closing { error, .. } => Poll::Ready(error),
            _ => Poll::Ready(None),
        }
    }
}

impl WebSocket {
    pub(crate) fn new(ws: AxumSocket, shutdown: Option<Shutdown>) -> (Self, Arc<Mutex<Session>>) {
        let session = Arc::new(Mutex::new(Session {
            ws: Some(ws),
            phase: Phase::Open,
        }));
        (
            WebSocket {
                session: session.clone(),
                shutdown,
            },
            session,
        )
    }

    fn lock(&self) -> MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether shutdown began; then the connection starts closing with 1001.
    fn poll_shutdown(&mut self, cx: &mut Context<'_>, session: &mut Session) {
        if let Some(s) = self.shutdown.as_mut() {
            if s.as_mut().poll(cx).is_ready() {
                self.shutdown = None;
                if matches!(session.phase, Phase::Open) {
                    session.phase = Phase::Closing {
                        frame: frame(CLOSE_GOING_AWAY, "Server shutting down"),
                        started: false,
                        error: None,
                    };
                }
            }
        }
    }

    /// The next message: `None` once the connection is closed (by the client, or by the
    /// server after an error, in which case the error comes first).
    pub async fn recv(&mut self) -> Option<Result<Message, axum::Error>> {
        self.next().await
    }

    /// Sends a message.
    pub async fn send(&mut self, msg: Message) -> Result<(), axum::Error> {
        SinkExt::send(self, msg).await
    }

    /// Closes the connection with `code` and `reason` (at most 123 bytes).
    pub async fn close(mut self, code: u16, reason: &str) -> Result<(), axum::Error> {
        SinkExt::send(&mut self, Message::Close(Some(frame(code, reason)))).await
    }
}

impl Stream for WebSocket {
    type Item = Result<Message, axum::Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let session = this.session.clone();
        let mut s = session.lock().unwrap_or_else(|e| e.into_inner());
        this.poll_shutdown(cx, &mut s);
        loop {
            match s.phase {
                Phase::Closed => return Poll::Ready(None),
                Phase::Closing { .. } => {
                    return Poll::Ready(ready!(s.poll_close_frame(cx)).map(Err));
                }
                Phase::Open => {}
            }
            let Some(ws) = s.ws.as_mut() else {
                s.phase = Phase::Closed;
                continue;
            };
            return match ready!(ws.poll_next_unpin(cx)) {
                None => {
                    s.phase = Phase::Closed;
                    Poll::Ready(None)
                }
                Some(Ok(Message::Close(f))) => {
                    // tungstenite has queued the reply; the session flushes it at the end.
                    s.phase = Phase::Closed;
                    Poll::Ready(Some(Ok(Message::Close(f))))
                }
                Some(Ok(m)) => Poll::Ready(Some(Ok(m))),
                Some(Err(e)) => match close_for(&e) {
                    Some(frame) => {
                        s.phase = Phase::Closing {
                            frame,
                            started: false,
                            error: Some(e),
                        };
                        continue;
                    }
                    None => {
                        s.phase = Phase::Closed;
                        Poll::Ready(Some(Err(e)))
                    }
                },
            };
        }
    }
}

impl Sink<Message> for WebSocket {
    type Error = axum::Error;

    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), axum::Error>> {
        let this = self.get_mut();
        let session = this.session.clone();
        let mut s = session.lock().unwrap_or_else(|e| e.into_inner());
        this.poll_shutdown(cx, &mut s);
        match s.phase {
            Phase::Open => match s.ws.as_mut() {
                Some(ws) => ws.poll_ready_unpin(cx),
                None => Poll::Ready(Err(closed_error())),
            },
            Phase::Closing { .. } => {
                ready!(s.poll_close_frame(cx));
                Poll::Ready(Err(closed_error()))
            }
            Phase::Closed => Poll::Ready(Err(closed_error())),
        }
    }

    fn start_send(self: Pin<&mut Self>, item: Message) -> Result<(), axum::Error> {
        let mut s = self.lock();
        if !matches!(s.phase, Phase::Open) {
            return Err(closed_error());
        }
        if matches!(item, Message::Close(_)) {
            s.phase = Phase::Closed;
        }
        match s.ws.as_mut() {
            Some(ws) => ws.start_send_unpin(item),
            None => Err(closed_error()),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), axum::Error>> {
        match self.lock().ws.as_mut() {
            Some(ws) => ws.poll_flush_unpin(cx),
            None => Poll::Ready(Err(closed_error())),
        }
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), axum::Error>> {
        self.poll_flush(cx)
    }
}

/// Runs a handler on an upgraded connection: stops it once shutdown began and the grace
/// period passed, then sends the close frame the connection still owes (1000 after a
/// handler that returned, 1001 at shutdown, or the pending 1009/1002).
pub(crate) async fn run_session<F, Fut>(
    ws: AxumSocket,
    shutdown: Option<tokio::sync::watch::Receiver<bool>>,
    handler: F,
) where
    F: FnOnce(WebSocket) -> Fut,
    Fut: Future<Output = ()>,
{
    let signal = |rx: Option<tokio::sync::watch::Receiver<bool>>| async move {
        match rx {
            Some(mut rx) => {
                // A dropped sender (an app turned into a router, never served) never stops.
                if rx.wait_for(|stopping| *stopping).await.is_err() {
                    std::future::pending::<()>().await
                }
            }
            None => std::future::pending::<()>().await,
        }
    };
    let for_socket: Shutdown = Box::pin(signal(shutdown.clone()));
    let (socket, session) = WebSocket::new(ws, Some(for_socket));
    let stopped = tokio::select! {
        _ = handler(socket) => false,
        _ = async {
            signal(shutdown).await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } => true,
    };
    let (ws, phase) = {
        let mut s = session.lock().unwrap_or_else(|e| e.into_inner());
        (s.ws.take(), std::mem::replace(&mut s.phase, Phase::Closed))
    };
    let Some(mut ws) = ws else {
        return;
    };
    let owed = match phase {
        Phase::Open if stopped => Some(frame(CLOSE_GOING_AWAY, "Server shutting down")),
        Phase::Open => Some(frame(CLOSE_NORMAL, "")),
        Phase::Closing {
            frame,
            started: false,
            ..
        } => Some(frame),
        _ => None,
    };
    let _ = tokio::time::timeout(CLOSE_WAIT, async {
        match owed {
            Some(f) => {
                let _ = ws.send(Message::Close(Some(f))).await;
            }
            None => {
                let _ = ws.flush().await;
            }
        }
    })
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_reasons_are_cut_to_123_bytes_at_a_character_boundary() {
        let long = "é".repeat(100); // 200 bytes
        let f = frame(CLOSE_NORMAL, &long);
        assert_eq!(f.reason.len(), 122);
        assert!(f.reason.as_str().chars().all(|c| c == 'é'));
        assert_eq!(frame(CLOSE_TOO_BIG, "short").reason.as_str(), "short");
    }
}
