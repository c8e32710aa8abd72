//! The test client's WebSockets (feature `websockets`): a handshake and a session over an
//! in-memory pipe.

use super::*;

/// A WebSocket connection being opened by [`TestClient::websocket`].
#[derive(Debug)]
pub struct WsRequest {
    client: TestClient,
    path: String,
    headers: HeaderMap,
}

/// Why a WebSocket connection was not opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WsRefused {
    /// The server answered the handshake with this HTTP status (e.g. 404).
    Http(StatusCode),
    /// The handshake failed otherwise.
    Other(String),
}

impl TestClient {
    /// Opens a WebSocket to `path` (with its query), in process: the app is served over an
    /// in-memory pipe, no socket is opened.
    pub fn websocket(&self, path: &str) -> WsRequest {
        WsRequest {
            client: self.clone(),
            path: path.to_string(),
            headers: HeaderMap::new(),
        }
    }
}

impl WsRequest {
    /// Adds a header to the handshake request.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name = HeaderName::from_bytes(name.as_bytes()).expect("valid header name");
        self.headers.append(
            name,
            HeaderValue::from_str(value).expect("valid header value"),
        );
        self
    }

    /// Performs the handshake.
    pub async fn connect(self) -> Result<WsSession, WsRefused> {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let (client_io, server_io) = tokio::io::duplex(256 * 1024);
        let service = hyper_util::service::TowerToHyperService::new(self.client.router.clone());
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(server_io), service)
                .with_upgrades()
                .await;
        });
        let mut req = format!("ws://testserver{}", self.path)
            .into_client_request()
            .map_err(|e| WsRefused::Other(e.to_string()))?;
        req.headers_mut().extend(self.headers);
        match tokio_tungstenite::client_async(req, client_io).await {
            Ok((stream, _)) => Ok(WsSession { stream }),
            Err(tokio_tungstenite::tungstenite::Error::Http(res)) => {
                Err(WsRefused::Http(res.status()))
            }
            Err(e) => Err(WsRefused::Other(e.to_string())),
        }
    }
}

/// An open WebSocket session with the app.
pub struct WsSession {
    stream: tokio_tungstenite::WebSocketStream<tokio::io::DuplexStream>,
}

impl std::fmt::Debug for WsSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WsSession")
    }
}

/// What the server sent.
#[derive(Debug, Clone, PartialEq)]
pub enum WsFrame {
    /// A text message.
    Text(String),
    /// A binary message.
    Binary(Vec<u8>),
    /// The server closed the connection with this code and reason.
    Close(u16, String),
}

impl WsSession {
    /// Sends a text message.
    pub async fn send_text(&mut self, text: &str) {
        use futures_util::SinkExt;
        self.stream
            .send(tokio_tungstenite::tungstenite::Message::Text(text.into()))
            .await
            .expect("send on an open WebSocket");
    }

    /// Sends a value as a JSON text message.
    pub async fn send_json<T: Serialize + ?Sized>(&mut self, value: &T) {
        let text = serde_json::to_string(value).expect("serializable message");
        self.send_text(&text).await
    }

    /// The next message or close (waits up to 10 s; panics on time-out).
    pub async fn receive(&mut self) -> WsFrame {
        use futures_util::StreamExt;
        use tokio_tungstenite::tungstenite::Message as M;
        loop {
            let next = tokio::time::timeout(std::time::Duration::from_secs(10), self.stream.next())
                .await
                .expect("a WebSocket message within 10 s");
            return match next {
                Some(Ok(M::Text(t))) => WsFrame::Text(t.to_string()),
                Some(Ok(M::Binary(b))) => WsFrame::Binary(b.to_vec()),
                Some(Ok(M::Close(frame))) => match frame {
                    Some(f) => WsFrame::Close(f.code.into(), f.reason.to_string()),
                    None => WsFrame::Close(1005, String::new()),
                },
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => WsFrame::Close(1006, String::new()),
            };
        }
    }

    /// The next message, as text (panics on anything else).
    pub async fn receive_text(&mut self) -> String {
        match self.receive().await {
            WsFrame::Text(t) => t,
            other => panic!("expected a text message, got {other:?}"),
        }
    }

    /// The next message, parsed as JSON.
    pub async fn receive_json(&mut self) -> serde_json::Value {
        let t = self.receive_text().await;
        serde_json::from_str(&t).unwrap_or_else(|e| panic!("not JSON ({e}): {t}"))
    }

    /// Closes the session.
    pub async fn close(mut self) {
        let _ = self.stream.close(None).await;
    }
}
