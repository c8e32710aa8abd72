//! `App::run()` called inside `#[tokio::main]` serves (issue 15.2): it used to panic with
//! "Cannot start a runtime from within a runtime". Alone in its own test binary, because
//! it stops the server with a SIGTERM to this process.

use ferrapi::prelude::*;

#[get("/ping")]
async fn ping() -> &'static str {
    "pong"
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_inside_tokio_main_serves_and_stops_on_sigterm() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let pid = std::process::id().to_string();
    let client = std::thread::spawn(move || {
        // Wait until it answers, then ask it to stop as an orchestrator would.
        let mut answered = false;
        for _ in 0..100 {
            std::thread::sleep(std::time::Duration::from_millis(50));
            if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
                use std::io::{Read, Write};
                s.write_all(b"GET /ping HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                    .unwrap();
                let mut out = String::new();
                s.read_to_string(&mut out).unwrap();
                answered = out.ends_with("\"pong\"");
                break;
            }
        }
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap();
        answered
    });
    let app = App::new().routes(routes![ping]);
    let code = ferrapi::cli::run(app, ["app", "serve", "--port", &port.to_string()]);
    assert_eq!(code, 0);
    assert!(client.join().unwrap(), "the app did not answer");
}
