//! ferrapi against hand-written axum, on the same endpoints, in the same run.
//!
//! ```text
//! cargo run --release -p ferrapi-bench -- [--duration 10] [--connections 32] [--rounds 3]
//! ```
//!
//! Serves `GET /items/?skip=0&limit=10` and `POST /items/` (a JSON body with constraints)
//! from a ferrapi app and from an axum app written by hand with the same validation and
//! the same answers, one server at a time on 127.0.0.1, and drives each with `wrk`
//! (Debian's package `wrk`; `apt-get install wrk`). Rounds alternate between the two
//! servers; the median round is reported with req/s, p99 latency and the ratio.
//! Load goes to 127.0.0.1 only.

use std::net::SocketAddr;
use std::process::Command;
use std::time::Duration;

mod hand;
mod with_ferrapi;

struct Args {
    duration: u64,
    connections: u32,
    rounds: usize,
}

fn args() -> Args {
    let mut a = Args {
        duration: 10,
        connections: 32,
        rounds: 3,
    };
    let v: Vec<String> = std::env::args().collect();
    let mut i = 1;
    while i + 1 < v.len() {
        let n = v[i + 1].parse().expect("a number");
        match v[i].as_str() {
            "--duration" => a.duration = n,
            "--connections" => a.connections = n as u32,
            "--rounds" => a.rounds = n as usize,
            other => panic!("unknown option {other}"),
        }
        i += 2;
    }
    a
}

#[derive(Clone, Copy, Debug)]
struct Run {
    rps: f64,
    p99_ms: f64,
}

const POST_LUA: &str = r#"
wrk.method = "POST"
wrk.body   = '{"name": "Hammer", "description": "A sturdy hammer", "price": 12.5, "tags": ["tools", "hardware"]}'
wrk.headers["Content-Type"] = "application/json"
"#;

fn wrk(addr: SocketAddr, path: &str, post: bool, a: &Args) -> Run {
    let script = std::env::temp_dir().join("ferrapi-bench-post.lua");
    std::fs::write(&script, POST_LUA).unwrap();
    let mut cmd = Command::new("wrk");
    cmd.args([
        "-t1",
        &format!("-c{}", a.connections),
        &format!("-d{}s", a.duration),
        "--latency",
    ]);
    if post {
        cmd.arg("-s").arg(&script);
    }
    cmd.arg(format!("http://{addr}{path}"));
    let out = cmd
        .output()
        .expect("wrk is installed (apt-get install wrk)");
    let text = String::from_utf8_lossy(&out.stdout);
    let rps = text
        .lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("wrk output without Requests/sec:\n{text}"));
    let p99 = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("99%"))
        .map(|v| parse_latency(v.trim()))
        .unwrap_or(f64::NAN);
    if text.contains("Non-2xx") {
        panic!("non-2xx answers during the run:\n{text}");
    }
    Run { rps, p99_ms: p99 }
}

fn parse_latency(s: &str) -> f64 {
    let (num, unit) = s.split_at(s.find(|c: char| c.is_alphabetic()).unwrap_or(s.len()));
    let n: f64 = num.parse().unwrap_or(f64::NAN);
    match unit {
        "us" => n / 1000.0,
        "ms" => n,
        "s" => n * 1000.0,
        _ => n,
    }
}

fn serve(router: axum::Router) -> (SocketAddr, tokio::runtime::Runtime) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    rt.spawn(async move { axum::serve(listener, router).await.unwrap() });
    std::thread::sleep(Duration::from_millis(200));
    (addr, rt)
}

fn median(mut v: Vec<Run>) -> Run {
    v.sort_by(|a, b| a.rps.partial_cmp(&b.rps).unwrap());
    v[v.len() / 2]
}

fn main() {
    let a = args();
    println!(
        "wrk -t1 -c{} -d{}s, {} alternating rounds, server on 1 worker thread, 127.0.0.1",
        a.connections, a.duration, a.rounds
    );
    for (label, path, post) in [
        (
            "GET /items/?skip=0&limit=10",
            "/items/?skip=0&limit=10",
            false,
        ),
        ("POST /items/ (JSON body with constraints)", "/items/", true),
    ] {
        let (mut f, mut h) = (Vec::new(), Vec::new());
        for _ in 0..a.rounds {
            let (addr, rt) = serve(with_ferrapi::app().into_router());
            f.push(wrk(addr, path, post, &a));
            rt.shutdown_timeout(Duration::from_secs(1));
            let (addr, rt) = serve(hand::router());
            h.push(wrk(addr, path, post, &a));
            rt.shutdown_timeout(Duration::from_secs(1));
        }
        let (fm, hm) = (median(f.clone()), median(h.clone()));
        println!("\n{label}");
        println!(
            "  ferrapi : {:>10.0} req/s  p99 {:>7.3} ms   rounds {:?}",
            fm.rps,
            fm.p99_ms,
            f.iter().map(|r| r.rps as u64).collect::<Vec<_>>()
        );
        println!(
            "  axum    : {:>10.0} req/s  p99 {:>7.3} ms   rounds {:?}",
            hm.rps,
            hm.p99_ms,
            h.iter().map(|r| r.rps as u64).collect::<Vec<_>>()
        );
        println!(
            "  ratio ferrapi/axum: {:.3} (req/s), p99 {:.3}",
            fm.rps / hm.rps,
            fm.p99_ms / hm.p99_ms
        );
    }
}
