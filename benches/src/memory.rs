//! `memory` mode: resident memory of each server idle, and after a load of many
//! connections has come and gone. Each app is served as its users serve it (ferrapi by
//! `App::serve_on`, its own server; axum by `axum::serve`), on tokio's default
//! multi-threaded runtime, in a child process; `wrk` sends the load.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::endpoints::ENDPOINTS;

pub(crate) struct Args {
    duration: u64,
    connections: u64,
}

impl Args {
    pub(crate) fn parse(v: &[String]) -> Args {
        let (mut duration, mut connections) = (60, 256);
        crate::options::numbers(
            v,
            &mut [
                ("--duration", &mut duration),
                ("--connections", &mut connections),
            ],
        );
        Args {
            duration,
            connections,
        }
    }
}

/// Serves one app as its users do, printing its address (run as a child).
pub(crate) fn serve_as_deployed(app: &str) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        println!("listening on {}", listener.local_addr().expect("address"));
        match app {
            "axum" => axum::serve(listener, crate::hand::router())
                .await
                .expect("serve"),
            "ferrapi" => crate::with_ferrapi::app()
                .serve_on(listener, std::future::pending())
                .await
                .expect("serve"),
            other => panic!("unknown app {other}"),
        }
    });
}

/// Resident and peak resident memory of a process, in KiB.
fn rss(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc");
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn start(app: &str) -> (Child, String) {
    let mut child = Command::new(std::env::current_exe().expect("this binary"))
        .args(["serve-deployed", app])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server");
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().expect("stdout")),
        &mut line,
    )
    .expect("read the address");
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("the server did not start: {line:?}"))
        .to_string();
    (child, addr)
}

/// Requests each server answers on one connection before "idle" is read: the code and
/// libraries a request runs are paged in by the first requests (about 0.4 MiB of file-backed
/// pages here), which is not memory the load leaves behind.
const WARM_UP: usize = 100;

fn warm_up(addr: std::net::SocketAddr, e: &crate::endpoints::Endpoint) {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(async {
            crate::client::Client::connect(addr)
                .await
                .send(e, WARM_UP)
                .await;
        });
}

pub(crate) fn run(a: Args) {
    let e = &ENDPOINTS[3];
    println!(
        "resident memory, idle (after {WARM_UP} requests on one connection) and 3 s after wrk -t1 -c{} -d{}s on {} {}",
        a.connections, a.duration, e.name, e.label
    );
    let mut idle_of = Vec::new();
    for app in ["axum", "ferrapi"] {
        let (mut child, addr) = start(app);
        let addr: std::net::SocketAddr = addr.parse().expect("the server's address");
        warm_up(addr, e);
        std::thread::sleep(Duration::from_secs(1));
        let (idle, _) = rss(child.id());
        let (_, rps) = crate::load::run_wrk(addr, e, a.connections, a.duration);
        std::thread::sleep(Duration::from_secs(3));
        let (after, peak) = rss(child.id());
        let _ = child.kill();
        let _ = child.wait();
        println!(
            "  {app:<8} idle {:>7.2} MiB   peak {:>7.2} MiB   after {:>7.2} MiB ({:+.1} % of idle)   {rps:.0} req/s",
            idle as f64 / 1024.0,
            peak as f64 / 1024.0,
            after as f64 / 1024.0,
            (after as f64 / idle as f64 - 1.0) * 100.0
        );
        idle_of.push(idle);
    }
    println!(
        "  idle difference ferrapi - axum: {:+.2} MiB",
        (idle_of[1] as f64 - idle_of[0] as f64) / 1024.0
    );
}
