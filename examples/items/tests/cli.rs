//! The command line every ferrapi app gets, exercised on the items example's binary:
//! `openapi` (stdout), `openapi --out FILE`, `openapi --check FILE`, and `serve` with a
//! graceful shutdown on SIGTERM.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_items"))
}

fn snapshot() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("openapi.json")
}

#[test]
fn openapi_prints_the_document() {
    let out = bin().arg("openapi").output().unwrap();
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["title"], "Items");
}

/// The committed `openapi.json` is the reviewed snapshot of the example's document: this
/// fails (with a diff) whenever the code changes the document and the file was not
/// regenerated with `cargo run -p items -- openapi --out examples/items/openapi.json`.
#[test]
fn committed_snapshot_is_up_to_date() {
    let out = bin()
        .arg("openapi")
        .arg("--check")
        .arg(snapshot())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn out_writes_and_check_detects_drift() {
    let dir = std::env::temp_dir().join(format!("ferrapi-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("openapi.json");
    let out = bin()
        .arg("openapi")
        .arg("--out")
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.ends_with("}\n"));

    let ok = bin()
        .arg("openapi")
        .arg("--check")
        .arg(&file)
        .output()
        .unwrap();
    assert!(ok.status.success());

    std::fs::write(
        &file,
        written.replace("\"title\": \"Items\"", "\"title\": \"Old\""),
    )
    .unwrap();
    let stale = bin()
        .arg("openapi")
        .arg("--check")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(stale.status.code(), Some(1));
    let err = String::from_utf8_lossy(&stale.stderr);
    assert!(err.contains("is stale"), "{err}");
    assert!(
        err.contains("-  \"title\": \"Old\"") || err.contains("\"Old\""),
        "{err}"
    );
    assert!(err.contains("+    \"title\": \"Items\""), "{err}");

    let missing = bin()
        .arg("openapi")
        .arg("--check")
        .arg(dir.join("nope.json"))
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    let bad = bin().arg("frobnicate").output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).ok();
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn get(port: u16, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut buf = String::new();
    s.read_to_string(&mut buf).ok()?;
    Some(buf)
}

#[test]
fn serve_listens_on_host_and_port_and_stops_on_sigterm() {
    let port = free_port();
    let mut child = bin()
        .args(["serve", "--host", "127.0.0.1", "--port", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let body = loop {
        if let Some(b) = get(port, "/items/?skip=1&limit=2") {
            break b;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(body.starts_with("HTTP/1.1 200"), "{body}");
    assert!(body.ends_with("{\"skip\":1,\"limit\":2}"), "{body}");
    let docs = get(port, "/docs/").unwrap();
    assert!(docs.contains("swagger"), "{docs}");

    // SIGTERM: graceful shutdown, exit status 0.
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "server did not stop"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn port_comes_from_the_environment() {
    let port = free_port();
    let mut child = bin()
        .env("PORT", port.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while get(port, "/items/").is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            child.kill().ok();
            panic!("server did not start on PORT");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().ok();
    child.wait().ok();
}

/// `LOG_FORMAT=json` makes the logs one JSON object per line, for log collectors.
#[test]
fn json_logs() {
    use std::io::BufRead;
    let port = free_port();
    let mut child = bin()
        .args(["serve", "--port", &port.to_string()])
        .env("LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().expect("a log line").unwrap();
    child.kill().ok();
    child.wait().ok();
    let v: serde_json::Value =
        serde_json::from_str(&first).unwrap_or_else(|e| panic!("not JSON ({e}): {first}"));
    assert_eq!(v["level"], "INFO");
    assert!(
        v["fields"]["message"]
            .as_str()
            .unwrap()
            .contains("serving on http://127.0.0.1:"),
        "{v}"
    );
    assert!(v["timestamp"].is_string());
}

/// `RUST_LOG` takes a default level and `target=level` directives: a target set to `warn`
/// hides the server's `info` line; a directive it cannot read is said, and `info` applies.
#[test]
fn rust_log_directives() {
    let logs = |rust_log: &str| {
        let port = free_port();
        let mut child = bin()
            .args(["serve", "--port", &port.to_string()])
            .env("RUST_LOG", rust_log)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        wait_until_listening(port);
        child.kill().ok();
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        (stdout, stderr)
    };
    let (out, _) = logs("debug,ferrapi=warn");
    assert!(!out.contains("serving on"), "{out}");
    let (out, _) = logs("warn,ferrapi=info");
    assert!(out.contains("serving on"), "{out}");
    let (out, err) = logs("ferrapi=loud");
    assert!(
        err.contains("RUST_LOG=\"ferrapi=loud\" is not understood"),
        "{err}"
    );
    assert!(out.contains("serving on"), "{out}");
}

fn wait_until_listening(port: u16) {
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            // The "serving on" line is written just before accepting.
            std::thread::sleep(std::time::Duration::from_millis(100));
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    panic!("nothing listens on {port}");
}
