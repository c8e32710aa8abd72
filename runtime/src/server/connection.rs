//! One connection: its socket (holding a slot of the connection cap), the phase it is in,
//! and the watchdog that closes it when a phase lasts too long.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::OwnedSemaphorePermit;
use tokio::time::Instant;

use super::ConnectionLimits;

/// Waiting for (the rest of) a request head.
const HEAD: u64 = 0;
/// Between a response and the next request's first byte.
const IDLE: u64 = 1;
/// Serving a request: no connection timeout applies (the body has its own).
const BUSY: u64 = 2;

/// What a connection is doing and since when, in one word: milliseconds since the
/// connection opened, shifted left by two, with the phase in the low bits.
pub(crate) struct ConnState {
    opened: Instant,
    word: AtomicU64,
}

impl ConnState {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(ConnState {
            opened: Instant::now(),
            word: AtomicU64::new(HEAD),
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
        self.word.store(BUSY, Ordering::Relaxed);
    }

    /// The response was sent: the keep-alive timeout runs.
    pub(crate) fn idle(&self) {
        self.set(IDLE);
    }

    fn read_some(&self) {
        if self.word.load(Ordering::Relaxed) & 3 == IDLE {
            self.set(HEAD);
        }
    }

    /// When the current phase runs out (`None` while a request is served).
    pub(crate) fn deadline(&self, limits: &ConnectionLimits) -> Option<Instant> {
        match self.load() {
            (HEAD, since) => Some(since + limits.header_read_timeout),
            (IDLE, since) => Some(since + limits.keep_alive_timeout),
            _ => None,
        }
    }
}

/// The socket of one connection. It holds the connection's slot of the cap, so the slot is
/// given back when the socket closes, also after a WebSocket upgrade took it over.
pub(crate) struct ConnIo {
    stream: TcpStream,
    state: Arc<ConnState>,
    _slot: OwnedSemaphorePermit,
}

impl ConnIo {
    pub(crate) fn new(
        stream: TcpStream,
        state: Arc<ConnState>,
        slot: OwnedSemaphorePermit,
    ) -> Self {
        ConnIo {
            stream,
            state,
            _slot: slot,
        }
    }
}

impl AsyncRead for ConnIo {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let res = Pin::new(&mut this.stream).poll_read(cx, buf);
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
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}
