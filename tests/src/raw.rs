//! An app served on a real socket on 127.0.0.1, for requests the test client cannot send
//! (bytes that are no text in a header, oversized heads): each request is written as given
//! on a new connection and the whole answer read back.

use std::io::{Read, Write};
use std::net::SocketAddr;

use ferrapi::App;

/// A running server; [`RawServer::stop`] ends it and checks it stopped cleanly.
pub struct RawServer {
    rt: tokio::runtime::Runtime,
    addr: SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RawServer {
    /// Serves `app` with `App::serve_on` on a free port, on its own runtime.
    pub fn start(app: App) -> RawServer {
        let rt = crate::multi_thread_runtime();
        let listener = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = rt.spawn(app.serve_on(listener, async move {
            let _ = stopped.await;
        }));
        RawServer {
            rt,
            addr,
            stop,
            server,
        }
    }

    /// Writes `request` (a whole request, head and body) on a new connection and returns
    /// the answer as text (lossy), read until the server closes or 5 s pass.
    pub fn send(&self, request: &[u8]) -> String {
        let mut s = std::net::TcpStream::connect(self.addr).expect("connect");
        s.set_read_timeout(Some(std::time::Duration::from_secs(5)))
            .expect("read timeout");
        s.write_all(request).expect("write the request");
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Stops the server and waits for it; panics if it failed.
    pub fn stop(self) {
        let _ = self.stop.send(());
        self.rt
            .block_on(self.server)
            .expect("server task")
            .expect("server");
    }
}
