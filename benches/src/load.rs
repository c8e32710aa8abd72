//! `wrk` mode: req/s and p99 latency under load, ferrapi and axum in alternating rounds.
//! Use it for latency; at these rates `wrk` on one core saturates before either server,
//! so req/s cannot separate them (the `callgrind` mode can).

use std::net::SocketAddr;
use std::process::Command;
use std::time::Duration;

use crate::endpoints::{Endpoint, ENDPOINTS};
use crate::{hand, with_ferrapi};

pub(crate) struct Args {
    duration: u64,
    connections: u64,
    rounds: u64,
}

impl Args {
    pub(crate) fn parse(v: &[String]) -> Args {
        let (mut duration, mut connections, mut rounds) = (10, 32, 3);
        crate::options::numbers(
            v,
            &mut [
                ("--duration", &mut duration),
                ("--connections", &mut connections),
                ("--rounds", &mut rounds),
            ],
        );
        Args {
            duration,
            connections,
            rounds,
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Run {
    rps: f64,
    p99_ms: f64,
}

/// Runs `wrk -t1` against `e` on `addr` (with a script sending `e`'s JSON body for a POST)
/// and gives its report and the req/s it measured.
pub(crate) fn run_wrk(
    addr: SocketAddr,
    e: &Endpoint,
    connections: u64,
    duration: u64,
) -> (String, f64) {
    let mut cmd = Command::new("wrk");
    cmd.args([
        "-t1",
        &format!("-c{connections}"),
        &format!("-d{duration}s"),
        "--latency",
    ]);
    if let Some(body) = e.body {
        let script = std::env::temp_dir().join(format!("ferrapi-bench-{}.lua", e.name));
        let lua = format!(
            "wrk.method = \"POST\"\nwrk.body = '{body}'\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
        );
        std::fs::write(&script, lua).expect("write the wrk script");
        cmd.arg("-s").arg(&script);
    }
    cmd.arg(format!("http://{addr}{}", e.path));
    let out = cmd
        .output()
        .expect("wrk is installed (apt-get install wrk)");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let rps = text
        .lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("wrk output without Requests/sec:\n{text}"));
    (text, rps)
}

fn wrk(addr: SocketAddr, e: &Endpoint, a: &Args) -> Run {
    let (text, rps) = run_wrk(addr, e, a.connections, a.duration);
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

pub(crate) fn run(a: Args) {
    println!(
        "wrk -t1 -c{} -d{}s, {} alternating rounds, server on 1 worker thread, 127.0.0.1",
        a.connections, a.duration, a.rounds
    );
    for e in &ENDPOINTS {
        let (mut f, mut h) = (Vec::new(), Vec::new());
        for _ in 0..a.rounds {
            let (addr, rt) = serve(with_ferrapi::app().into_router());
            f.push(wrk(addr, e, &a));
            rt.shutdown_timeout(Duration::from_secs(1));
            let (addr, rt) = serve(hand::router());
            h.push(wrk(addr, e, &a));
            rt.shutdown_timeout(Duration::from_secs(1));
        }
        let (fm, hm) = (median(f.clone()), median(h.clone()));
        println!("\n{} {}", e.name, e.label);
        for (who, m, all) in [("ferrapi", fm, &f), ("axum", hm, &h)] {
            println!(
                "  {who:<8}: {:>10.0} req/s  p99 {:>7.3} ms   rounds {:?}",
                m.rps,
                m.p99_ms,
                all.iter().map(|r| r.rps as u64).collect::<Vec<_>>()
            );
        }
        println!(
            "  ratio ferrapi/axum: {:.3} (req/s), p99 {:.3}",
            fm.rps / hm.rps,
            fm.p99_ms / hm.p99_ms
        );
    }
}
