//! `app dev` on a real crate (issue 13.3): `cargo run -- dev` serves it, an edit to the
//! handler is rebuilt and served while a client polls without pause, and no connection is
//! ever refused: the `dev` process keeps the listening socket open across restarts. A
//! compile error keeps the last good server; fixing it serves the fix; Ctrl-C stops
//! everything.
//!
//! The crate lives in `target/dev-reload/app` and builds into `target/dev-reload/target`
//! (not the workspace's `target/debug`, which cargo keeps locked while tests run), so the
//! first run builds ferrapi's dependencies once and later runs are incremental. It copies
//! the workspace's `Cargo.lock`, so it builds the same versions without resolving anew.
#![cfg(target_os = "linux")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The first start may build ferrapi's dependencies from nothing (a fresh clone).
const FIRST_START: Duration = Duration::from_secs(900);
/// An incremental rebuild and restart.
const REBUILD: Duration = Duration::from_secs(90);

fn main_rs(body: &str) -> String {
    format!(
        "use ferrapi::prelude::*;\n\
         \n\
         #[get(\"/hello\")]\n\
         async fn hello() -> &'static str {{\n    {body}\n}}\n\
         \n\
         fn main() {{\n    App::new().routes(routes![hello]).run();\n}}\n"
    )
}

/// One poll's outcome.
#[derive(Debug, Clone, PartialEq)]
enum Answer {
    /// 200 with this body (the JSON string's text).
    Body(String),
    /// Connection refused: nobody listens.
    Refused,
    /// Anything else: another status, a reset, a time-out.
    Failed(String),
}

fn get_hello(addr: SocketAddr) -> Answer {
    let mut stream = match TcpStream::connect_timeout(&addr, Duration::from_secs(10)) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => return Answer::Refused,
        Err(e) => return Answer::Failed(format!("connect: {e}")),
    };
    // A request may wait in the accept queue while the server restarts.
    let _ = stream.set_read_timeout(Some(Duration::from_secs(60)));
    if let Err(e) =
        stream.write_all(b"GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    {
        return Answer::Failed(format!("write: {e}"));
    }
    let mut response = String::new();
    if let Err(e) = stream.read_to_string(&mut response) {
        return Answer::Failed(format!("read: {e} after {response:?}"));
    }
    match response.split_once("\r\n\r\n") {
        Some((head, body)) if head.starts_with("HTTP/1.1 200 ") => {
            Answer::Body(body.trim().trim_matches('"').to_string())
        }
        _ => Answer::Failed(format!("answer: {response:?}")),
    }
}

/// The `dev` process group: killed on drop, so a failing test leaves nothing behind.
struct Group {
    child: Child,
    pgid: u32,
}

impl Group {
    fn signal(&self, signal: &str) {
        let _ = Command::new("kill")
            .args([signal, "--", &format!("-{}", self.pgid)])
            .stderr(Stdio::null())
            .status();
    }

    /// The live (not zombie) processes of the group, from /proc.
    fn members(&self) -> Vec<u32> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
            let Some((_, rest)) = stat.rsplit_once(')') else {
                continue;
            };
            let fields: Vec<&str> = rest.split_whitespace().collect();
            if fields.len() > 2 && fields[0] != "Z" && fields[2] == self.pgid.to_string() {
                out.push(pid);
            }
        }
        out
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        self.signal("-KILL");
        let _ = self.child.wait();
    }
}

/// Everything the `dev` process group printed, standard output and error interleaved.
#[derive(Clone, Default)]
struct Output(Arc<Mutex<String>>);

impl Output {
    fn collect(&self, stream: impl Read + Send + 'static) {
        let out = self.0.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                eprintln!("  | {line}");
                let mut out = out.lock().unwrap();
                out.push_str(&line);
                out.push('\n');
            }
        });
    }
    fn text(&self) -> String {
        self.0.lock().unwrap().clone()
    }
    fn wait_for(&self, what: &str, bound: Duration) {
        let deadline = Instant::now() + bound;
        while !self.text().contains(what) {
            assert!(
                Instant::now() < deadline,
                "no {what:?} within {bound:?}; output:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// A client polling `/hello` without pause, recording every answer.
struct Poller {
    answers: Arc<Mutex<Vec<(Instant, Answer)>>>,
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<()>,
}

impl Poller {
    fn start(addr: SocketAddr) -> Poller {
        let answers = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (answers, stop) = (answers.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let answer = get_hello(addr);
                    answers.lock().unwrap().push((Instant::now(), answer));
                    std::thread::sleep(Duration::from_millis(5));
                }
            })
        };
        Poller {
            answers,
            stop,
            thread,
        }
    }

    /// When `body` was first answered at or after `since`, waiting up to `bound`.
    fn wait_for(&self, body: &str, since: Instant, bound: Duration, output: &Output) -> Instant {
        let deadline = since + bound;
        loop {
            let seen = self.answers.lock().unwrap().iter().find_map(|(at, a)| {
                (*at >= since && *a == Answer::Body(body.into())).then_some(*at)
            });
            if let Some(at) = seen {
                return at;
            }
            assert!(
                Instant::now() < deadline,
                "no {body:?} within {bound:?}; last answers: {:?}; output:\n{}",
                self.answers
                    .lock()
                    .unwrap()
                    .iter()
                    .rev()
                    .take(3)
                    .collect::<Vec<_>>(),
                output.text()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn finish(self) -> Vec<(Instant, Answer)> {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap();
        Arc::try_unwrap(self.answers).unwrap().into_inner().unwrap()
    }
}

fn write_crate(dir: &Path, workspace: &Path) {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let runtime = workspace.join("runtime");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"devreload\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nferrapi = {{ path = {:?}, features = [\"dev\"] }}\n\n\
             # Not a member of ferrapi's workspace: a crate of its own.\n[workspace]\n",
            runtime.display().to_string()
        ),
    )
    .unwrap();
    std::fs::copy(workspace.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    std::fs::write(dir.join("src/main.rs"), main_rs("\"v1\"")).unwrap();
}

#[test]
fn dev_rebuilds_on_save_and_never_refuses_a_connection() {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let root = workspace.join("target/dev-reload");
    let app = root.join("app");
    write_crate(&app, &workspace);
    let main = app.join("src/main.rs");

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(["run", "-q", "--", "dev", "--port", &port.to_string()])
        .current_dir(&app)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("LISTEN_FDS")
        .env_remove("LISTEN_PID")
        .env_remove("HOST")
        .env_remove("PORT")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command.spawn().expect("cargo runs");
    let output = Output::default();
    output.collect(child.stdout.take().unwrap());
    output.collect(child.stderr.take().unwrap());
    let pgid = child.id();
    let mut group = Group { child, pgid };

    // 1. The first start (cargo builds the app, `dev` builds it again: nothing to do).
    let started = Instant::now();
    loop {
        if get_hello(addr) == Answer::Body("v1".into()) {
            break;
        }
        assert!(
            started.elapsed() < FIRST_START,
            "v1 not served within {FIRST_START:?}; output:\n{}",
            output.text()
        );
        if let Ok(Some(status)) = group.child.try_wait() {
            panic!(
                "`cargo run -- dev` exited ({status}); output:\n{}",
                output.text()
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    eprintln!("first start: v1 after {:?}", started.elapsed());
    output.wait_for(&format!("http://127.0.0.1:{port}/docs"), REBUILD);

    // 2. A one-line edit, saved while a client polls without pause.
    let poller = Poller::start(addr);
    std::thread::sleep(Duration::from_millis(300));
    let saved = Instant::now();
    std::fs::write(&main, main_rs("\"v2\"")).unwrap();
    let v2 = poller.wait_for("v2", saved, REBUILD, &output);
    let save_to_answer = v2 - saved;
    eprintln!(
        "save to the first v2 answer: {} ms",
        save_to_answer.as_millis()
    );
    output.wait_for("restarted in", REBUILD);

    // 3. A compile error: the last good server goes on answering.
    let broken = Instant::now();
    std::fs::write(&main, main_rs("this_does_not_compile()")).unwrap();
    output.wait_for("compile error, keeping the last good build", REBUILD);
    let text = output.text();
    assert!(
        text.contains("cannot find function `this_does_not_compile`"),
        "the compiler's error is not on the terminal:\n{text}"
    );
    assert_eq!(get_hello(addr), Answer::Body("v2".into()));
    let still_v2 = poller.wait_for("v2", Instant::now(), REBUILD, &output);
    assert!(still_v2 > broken);

    // 4. Fixed: served again.
    let fixed = Instant::now();
    std::fs::write(&main, main_rs("\"v3\"")).unwrap();
    poller.wait_for("v3", fixed, REBUILD, &output);
    let answers = poller.finish();

    // No poll was refused or failed, through two restarts and a failed build.
    let bad: Vec<_> = answers
        .iter()
        .filter(|(_, a)| !matches!(a, Answer::Body(b) if ["v1", "v2", "v3"].contains(&b.as_str())))
        .collect();
    assert!(
        bad.is_empty(),
        "{} of {} polls were not answered: {:?}",
        bad.len(),
        answers.len(),
        &bad[..bad.len().min(5)]
    );
    eprintln!(
        "{} polls, all answered; save to new answer: {} ms",
        answers.len(),
        save_to_answer.as_millis()
    );

    // 5. Ctrl-C (to the whole group, as a terminal sends it): the server stops, `dev`
    //    exits cleanly, and nothing of the group is left.
    group.signal("-INT");
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = group.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "`dev` did not exit after Ctrl-C; output:\n{}",
            output.text()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "`dev` exited with {status}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !group.members().is_empty() {
        assert!(
            Instant::now() < deadline,
            "processes left after Ctrl-C: {:?}",
            group.members()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        output.text().contains("ferrapi dev: stopping"),
        "{}",
        output.text()
    );
}
