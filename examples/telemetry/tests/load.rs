//! The load generator (`telemetry-load`, on hyper's HTTP/1.1 client) against a real
//! telemetry server on 127.0.0.1: every batch it sends is stored, over keep-alive
//! connections, and it refuses to aim anywhere else.

use std::io::Read;
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ADMIN: &str = "load-test-admin-key";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn the_load_generator_stores_every_batch_it_sends() {
    let dir = std::env::temp_dir().join(format!("telemetry-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}/t.db", dir.display());
    let port = free_port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_telemetry"))
        .args(["serve", "--host", "127.0.0.1", "--port", &port.to_string()])
        .env("DATABASE_URL", &db)
        .env("ADMIN_API_KEY", ADMIN)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = Command::new(env!("CARGO_BIN_EXE_telemetry-load"))
        .args([
            "--port",
            &port.to_string(),
            "--devices",
            "4",
            "--batch",
            "50",
            "--batches",
            "40",
            "--duration",
            "30",
        ])
        .env("ADMIN_API_KEY", ADMIN)
        .output()
        .unwrap();
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("40 batches, 2000 readings stored"),
        "{stdout}"
    );

    // Another host is refused before anything is sent.
    let mut refused = Command::new(env!("CARGO_BIN_EXE_telemetry-load"))
        .args(["--host", "example.com", "--batches", "1"])
        .env("ADMIN_API_KEY", ADMIN)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = refused.wait().unwrap();
    let mut err = String::new();
    refused
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(!status.success(), "{err}");
}
