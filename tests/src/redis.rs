//! A throwaway Redis server for tests of behaviour across instances.
//!
//! Without `redis-server` (Debian's `redis-server` package) [`Redis::start`] says so and
//! answers `None`, so the test passes as skipped, unless `FERRAPI_REQUIRE_REDIS=1` (CI
//! sets it) makes that a failure.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A redis-server on a free 127.0.0.1 port, stopped when dropped.
pub struct Redis {
    child: Child,
    port: u16,
}

impl Redis {
    /// Starts one on a free port; `None` when `redis-server` is not installed.
    pub fn start() -> Option<Redis> {
        let port = free_port();
        Redis::start_on(port)
    }

    /// Starts one on `port` (to bring a stopped one back on the same address).
    pub fn start_on(port: u16) -> Option<Redis> {
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let child = match child {
            Ok(c) => c,
            Err(e) => {
                assert!(
                    std::env::var("FERRAPI_REQUIRE_REDIS").as_deref() != Ok("1"),
                    "redis-server is required (FERRAPI_REQUIRE_REDIS=1) but cannot start: {e}"
                );
                eprintln!(
                    "skipped: redis-server not installed ({e}); apt-get install redis-server"
                );
                return None;
            }
        };
        let redis = Redis { child, port };
        for _ in 0..200 {
            if redis
                .command("PING")
                .is_some_and(|r| r.starts_with("+PONG"))
            {
                return Some(redis);
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("redis-server did not answer on port {port}");
    }

    /// Its `redis://` URL.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// One inline command; the raw answer.
    pub fn command(&self, line: &str) -> Option<String> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        s.write_all(format!("{line}\r\n").as_bytes()).ok()?;
        let mut buf = [0u8; 512];
        let n = s.read(&mut buf).ok()?;
        Some(String::from_utf8_lossy(&buf[..n]).into_owned())
    }

    /// Stops it; answers its port.
    pub fn stop(mut self) -> u16 {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.port
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
