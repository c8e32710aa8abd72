//! WebSocket limits and close frames (issue 11.3): over-size messages and frames close with
//! 1009 before the payload is read, protocol errors with 1002, shutdown with 1001, and a
//! handler that returns without closing with 1000. A raw client speaks the protocol, so the
//! tests can send what a well-behaved client library refuses to.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use ferrapi::prelude::*;
use ferrapi::realtime::{Message, WebSocket};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[websocket("/echo")]
async fn echo(mut socket: WebSocket) {
    while let Some(Ok(msg)) = socket.recv().await {
        if let Message::Text(t) = msg {
            if socket.send(Message::Text(t)).await.is_err() {
                return;
            }
        }
    }
}

#[websocket("/big", max_message_size = 1_048_576)]
async fn big(mut socket: WebSocket) {
    while let Some(Ok(Message::Text(t))) = socket.recv().await {
        let len = t.len().to_string();
        if socket.send(Message::Text(len.into())).await.is_err() {
            return;
        }
    }
}

#[websocket("/hello")]
async fn hello(mut socket: WebSocket) {
    let _ = socket.send(Message::Text("hello".into())).await;
    // Returns without closing: the server closes with 1000.
}

#[websocket("/deaf")]
async fn deaf(_socket: WebSocket) {
    // Never looks at its socket again: shutdown must still close it.
    std::future::pending::<()>().await
}

fn app() -> App {
    App::new().routes(routes![echo, big, hello, deaf])
}

use ferrapi_tests::multi_thread_runtime as runtime;

type Server = tokio::task::JoinHandle<std::io::Result<()>>;

async fn serve(app: App) -> (SocketAddr, tokio::sync::oneshot::Sender<()>, Server) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.serve_on(listener, async {
        let _ = stopped.await;
    }));
    (addr, stop, server)
}

/// A raw client: the handshake, then frames written by hand.
async fn connect(addr: SocketAddr, path: &str) -> TcpStream {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let req = format!(
        "GET {path} HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let mut b = [0u8; 1];
        s.read_exact(&mut b).await.unwrap();
        head.push(b[0]);
    }
    let head = String::from_utf8(head).unwrap();
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    s
}

/// A frame's header as a client writes it (masked with a zero key, so the payload goes
/// as is).
fn header(opcode: u8, len: u64) -> Vec<u8> {
    let mut h = vec![0x80 | opcode];
    match len {
        0..=125 => h.push(0x80 | len as u8),
        126..=0xffff => {
            h.push(0x80 | 126);
            h.extend_from_slice(&(len as u16).to_be_bytes());
        }
        _ => {
            h.push(0x80 | 127);
            h.extend_from_slice(&len.to_be_bytes());
        }
    }
    h.extend_from_slice(&[0, 0, 0, 0]);
    h
}

async fn send_text(s: &mut TcpStream, text: &str) {
    let mut frame = header(0x1, text.len() as u64);
    frame.extend_from_slice(text.as_bytes());
    s.write_all(&frame).await.unwrap();
}

#[derive(Debug, PartialEq)]
enum Got {
    Text(String),
    Close(u16),
    Eof,
}

/// The next frame from the server (unmasked).
async fn receive(s: &mut TcpStream) -> Got {
    let read = async {
        let mut h = [0u8; 2];
        if s.read_exact(&mut h).await.is_err() {
            return Got::Eof;
        }
        let mut len = (h[1] & 0x7f) as u64;
        if len == 126 {
            let mut b = [0u8; 2];
            s.read_exact(&mut b).await.unwrap();
            len = u16::from_be_bytes(b) as u64;
        } else if len == 127 {
            let mut b = [0u8; 8];
            s.read_exact(&mut b).await.unwrap();
            len = u64::from_be_bytes(b);
        }
        let mut payload = vec![0u8; len as usize];
        s.read_exact(&mut payload).await.unwrap();
        match h[0] & 0x0f {
            0x1 => Got::Text(String::from_utf8(payload).unwrap()),
            0x8 => Got::Close(u16::from_be_bytes([payload[0], payload[1]])),
            op => panic!("unexpected opcode {op}"),
        }
    };
    tokio::time::timeout(Duration::from_secs(10), read)
        .await
        .expect("a frame within 10 s")
}

#[test]
fn messages_over_the_limit_close_with_1009_and_the_server_keeps_serving() {
    runtime().block_on(async {
        let (addr, _stop, _server) = serve(app()).await;
        // Within the default 64 KiB.
        let mut s = connect(addr, "/echo").await;
        send_text(&mut s, &"a".repeat(60_000)).await;
        assert_eq!(receive(&mut s).await, Got::Text("a".repeat(60_000)));
        // Over it.
        send_text(&mut s, &"a".repeat(70_000)).await;
        assert_eq!(receive(&mut s).await, Got::Close(1009));

        // A route that allows 1 MiB takes 700 KB, and refuses 2 MB.
        let mut s = connect(addr, "/big").await;
        send_text(&mut s, &"b".repeat(700_000)).await;
        assert_eq!(receive(&mut s).await, Got::Text("700000".into()));
        send_text(&mut s, &"b".repeat(2_000_000)).await;
        assert_eq!(receive(&mut s).await, Got::Close(1009));

        // A message split into small frames counts whole.
        let mut s = connect(addr, "/echo").await;
        let chunk = "c".repeat(30_000);
        let mut first = vec![0x01, 0x80 | 126];
        first.extend_from_slice(&30_000u16.to_be_bytes());
        first.extend_from_slice(&[0, 0, 0, 0]);
        first.extend_from_slice(chunk.as_bytes());
        s.write_all(&first).await.unwrap();
        for _ in 0..2 {
            let mut cont = vec![0x00, 0x80 | 126];
            cont.extend_from_slice(&30_000u16.to_be_bytes());
            cont.extend_from_slice(&[0, 0, 0, 0]);
            cont.extend_from_slice(chunk.as_bytes());
            s.write_all(&cont).await.unwrap();
        }
        assert_eq!(receive(&mut s).await, Got::Close(1009));

        let mut s = connect(addr, "/echo").await;
        send_text(&mut s, "still here").await;
        assert_eq!(receive(&mut s).await, Got::Text("still here".into()));
    });
}

#[test]
fn a_huge_frame_is_refused_from_its_header_alone() {
    runtime().block_on(async {
        let (addr, _stop, _server) = serve(app()).await;
        let mut s = connect(addr, "/echo").await;
        let started = Instant::now();
        // Announce 60 MB and send none of it: the answer cannot wait for the payload.
        s.write_all(&header(0x1, 60_000_000)).await.unwrap();
        assert_eq!(receive(&mut s).await, Got::Close(1009));
        assert!(started.elapsed() < Duration::from_secs(5));
    });
}

#[test]
fn protocol_errors_close_with_1002() {
    runtime().block_on(async {
        let (addr, _stop, _server) = serve(app()).await;
        // A reserved opcode.
        let mut s = connect(addr, "/echo").await;
        s.write_all(&header(0x3, 0)).await.unwrap();
        assert_eq!(receive(&mut s).await, Got::Close(1002));
        // Text that is not UTF-8.
        let mut s = connect(addr, "/echo").await;
        let mut frame = header(0x1, 2);
        frame.extend_from_slice(&[0xff, 0xfe]);
        s.write_all(&frame).await.unwrap();
        assert_eq!(receive(&mut s).await, Got::Close(1002));
    });
}

#[test]
fn a_handler_that_returns_closes_with_1000() {
    runtime().block_on(async {
        let (addr, _stop, _server) = serve(app()).await;
        let mut s = connect(addr, "/hello").await;
        assert_eq!(receive(&mut s).await, Got::Text("hello".into()));
        assert_eq!(receive(&mut s).await, Got::Close(1000));
    });
}

#[test]
fn shutdown_closes_every_session_with_1001() {
    runtime().block_on(async {
        let (addr, stop, server) = serve(app()).await;
        let mut listening = connect(addr, "/echo").await;
        let mut deaf = connect(addr, "/deaf").await;
        send_text(&mut listening, "ping").await;
        assert_eq!(receive(&mut listening).await, Got::Text("ping".into()));
        let started = Instant::now();
        stop.send(()).unwrap();
        // The session waiting in recv closes at once; the one that never polls its
        // socket after the grace period.
        assert_eq!(receive(&mut listening).await, Got::Close(1001));
        assert_eq!(receive(&mut deaf).await, Got::Close(1001));
        tokio::time::timeout(Duration::from_secs(10), server)
            .await
            .expect("the server stops")
            .unwrap()
            .unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
    });
}
