//! One keep-alive HTTP/1.1 connection, driven by hyper's client.

use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;

use crate::endpoints::Endpoint;

pub(crate) struct Client {
    host: String,
    sender: SendRequest<Full<Bytes>>,
}

impl Client {
    /// Connects (and keeps the connection for every later request).
    pub(crate) async fn connect(addr: SocketAddr) -> Client {
        let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .expect("handshake");
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Client {
            host: addr.to_string(),
            sender,
        }
    }

    /// Sends the endpoint's request `n` times, checking each answer's status; returns the
    /// last answer's body, for comparing the two apps' answers.
    pub(crate) async fn send(&mut self, e: &Endpoint, n: usize) -> Bytes {
        let mut last = Bytes::new();
        for _ in 0..n {
            self.sender.ready().await.expect("connection ready");
            let mut req = http::Request::builder()
                .method(e.method)
                .uri(e.path)
                .header(http::header::HOST, &self.host);
            if e.body.is_some() {
                req = req.header(http::header::CONTENT_TYPE, "application/json");
            }
            let body = Full::new(Bytes::from_static(e.body.unwrap_or("").as_bytes()));
            let res = self
                .sender
                .send_request(req.body(body).expect("request"))
                .await
                .expect("answer");
            let status = res.status().as_u16();
            let body = res.into_body().collect().await.expect("body").to_bytes();
            assert_eq!(
                status,
                e.status,
                "{} {}: {}",
                e.method,
                e.path,
                String::from_utf8_lossy(&body)
            );
            last = body;
        }
        last
    }
}
