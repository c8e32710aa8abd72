//! One connection: its socket (holding a slot of the connection cap), the phase it is in,
//! and the watchdog that closes it when a phase lasts too long.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{Notify, OwnedSemaphorePermit};
use tokio::time::Instant;

use super::ConnectionLimits;

/// Waiting for (the rest of) a request head.
const HEAD: u64 = 0;
/// Between a response and the next request's first byte.
const IDLE: u64 = 1;
/// Serving a request: no connection timeout applies (the body has its own).
const BUSY: u64 = 2;
/// Serving a request whose answer the client is not reading: the socket refused a write.
const SEND_BLOCKED: u64 = 3;

/// What a connection is doing and since when, in one word: milliseconds since the
/// connection opened, shifted left by two, with the phase in the low bits.
pub(crate) struct ConnState {
    opened: Instant,
    word: AtomicU64,
    /// The last response's body is done (hyper may still be writing it out).
    answered: AtomicBool,
    /// The client has sent a byte.
    heard: AtomicBool,
    /// Woken by the client's first byte.
    first_byte: Notify,
}

impl ConnState {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(ConnState {
            opened: Instant::now(),
            word: AtomicU64::new(HEAD),
            answered: AtomicBool::new(false),
            heard: AtomicBool::new(false),
            first_byte: Notify::new(),
        })
    }

    fn set(&self, phase: u64) {
        let ms = self.opened.elapsed().as_millis() as u64;
        self.word.store(ms << 2 | phase, Ordering::Relaxed);
    }

    fn load(&self) -> (u64, Instant) {
        let w = self.word.load(Ordering::Relaxed);
        (w & 3, self.opened + Duration::from_millis(w >> 2))
    }

    /// A request head was parsed: the handler runs.
    pub(crate) fn busy(&self) {
        self.answered.store(false, Ordering::Relaxed);
        self.word.store(BUSY, Ordering::Relaxed);
    }

    /// The response was sent: the keep-alive timeout runs.
    pub(crate) fn idle(&self) {
        self.answered.store(true, Ordering::Relaxed);
        self.set(IDLE);
    }

    fn read_some(&self) {
        if self.word.load(Ordering::Relaxed) & 3 == IDLE {
            self.set(HEAD);
        }
        if !self.heard.load(Ordering::Relaxed) {
            self.heard.store(true, Ordering::Relaxed);
            self.first_byte.notify_one();
        }
    }

    /// Whether the client has sent anything yet.
    pub(crate) fn heard(&self) -> bool {
        self.heard.load(Ordering::Relaxed)
    }

    /// Resolves once the client has sent its first byte.
    pub(crate) async fn first_byte(&self) {
        if !self.heard() {
            self.first_byte.notified().await;
        }
    }

    /// A write could not go out (the client's window is full): the send timeout starts,
    /// unless it runs already.
    fn send_blocked(&self) {
        // Also after the body is done: hyper may still be writing a large last chunk.
        if matches!(self.word.load(Ordering::Relaxed) & 3, BUSY | IDLE) {
            self.set(SEND_BLOCKED);
        }
    }

    /// A write went out: the client reads again.
    fn sent_some(&self) {
        if self.word.load(Ordering::Relaxed) & 3 == SEND_BLOCKED {
            if self.answered.load(Ordering::Relaxed) {
                self.set(IDLE);
            } else {
                self.word.store(BUSY, Ordering::Relaxed);
            }
        }
    }

    /// When the current phase runs out (`None` while a request is served and its answer
    /// flows).
    pub(crate) fn deadline(&self, limits: &ConnectionLimits) -> Option<Instant> {
        match self.load() {
            (HEAD, since) => Some(since + limits.header_read_timeout),
            (IDLE, since) => Some(since + limits.keep_alive_timeout),
            (SEND_BLOCKED, since) => Some(since + limits.send_timeout),
            _ => None,
        }
    }
}

/// The socket of one connection. It holds the connection's slot of the cap, so the slot is
/// given back when the socket closes, also after a WebSocket upgrade took it over.
pub(crate) struct ConnIo {
    /// `None` only once dropped.
    stream: Option<TcpStream>,
    state: Arc<ConnState>,
    slot: Option<OwnedSemaphorePermit>,
}

/// A closing connection whose client is still sending is drained for at most this long...
const LINGER_TIME: Duration = Duration::from_secs(2);
/// ...or this many bytes.
const LINGER_BYTES: usize = 4 * 1024 * 1024;

impl ConnIo {
    pub(crate) fn new(
        stream: TcpStream,
        state: Arc<ConnState>,
        slot: OwnedSemaphorePermit,
    ) -> Self {
        ConnIo {
            stream: Some(stream),
            state,
            slot: Some(slot),
        }
    }

    fn note_write(&self, res: &Poll<io::Result<usize>>) {
        match res {
            Poll::Pending => self.state.send_blocked(),
            Poll::Ready(Ok(n)) if *n > 0 => self.state.sent_some(),
            _ => {}
        }
    }

    fn stream(&mut self) -> Pin<&mut TcpStream> {
        Pin::new(
            self.stream
                .as_mut()
                .expect("the socket is open until dropped"),
        )
    }
}

/// Closing a socket that still has unread data makes the kernel send a reset, and a reset
/// can destroy the last answer (a 413, a 408, a WebSocket close frame) before the client
/// reads it. So, as nginx's lingering close does, a connection whose client is still
/// sending is half-closed and drained for a moment before it is closed.
impl Drop for ConnIo {
    fn drop(&mut self) {
        let Some(stream) = self.stream.take() else {
            return;
        };
        let mut probe = [0u8; 512];
        if !matches!(stream.try_read(&mut probe), Ok(n) if n > 0) {
            return;
        }
        let slot = self.slot.take();
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(linger(stream, slot));
        }
    }
}

async fn linger(mut stream: TcpStream, _slot: Option<OwnedSemaphorePermit>) {
    // Without tokio's `io-util` helpers (a feature nothing else in a default build needs).
    let _ = std::future::poll_fn(|cx| Pin::new(&mut stream).poll_shutdown(cx)).await;
    let drain = async {
        let mut buf = [0u8; 8192];
        let mut total = 0;
        while total < LINGER_BYTES {
            if stream.readable().await.is_err() {
                break;
            }
            match stream.try_read(&mut buf) {
                Ok(0) => break,
                Ok(n) => total += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                Err(_) => break,
            }
        }
    };
    let _ = tokio::time::timeout(LINGER_TIME, drain).await;
}

impl AsyncRead for ConnIo {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let res = this.stream().poll_read(cx, buf);
        if buf.filled().len() > before {
            this.state.read_some();
        }
        res
    }
}

impl AsyncWrite for ConnIo {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let res = this.stream().poll_write(cx, buf);
        this.note_write(&res);
        res
    }
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let res = this.stream().poll_write_vectored(cx, bufs);
        this.note_write(&res);
        res
    }
    fn is_write_vectored(&self) -> bool {
        self.stream.as_ref().is_some_and(|s| s.is_write_vectored())
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().stream().poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().stream().poll_shutdown(cx)
    }
}
