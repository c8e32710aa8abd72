//! `telemetry-load`: a bounded load test of a telemetry server on this machine.
//!
//! Registers N simulated devices through `POST /devices`, then each device posts batches of
//! readings over its own HTTP/1.1 keep-alive connection until the duration or the batch
//! count runs out, and the readings stored per second are printed.
//!
//! ```text
//! telemetry-load --port 8000 --devices 20 --batch 100 --duration 10
//! telemetry-load --port 8000 --batches 500
//! ```
//!
//! Only 127.0.0.1 / localhost is accepted as a target: this is a tool for testing your
//! own server, not someone else's.

use std::fmt::Write as _;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{SecondsFormat, TimeDelta, Utc};
use clap::Parser;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpStream;

/// The most any run may last.
const MAX_DURATION_S: u64 = 600;
/// How long one request may take before it counts as failed.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Load-test a telemetry server on 127.0.0.1.
#[derive(Debug, Parser)]
#[command(name = "telemetry-load")]
struct Args {
    /// The server's port.
    #[arg(long, short, default_value_t = 8000)]
    port: u16,
    /// The server's host: 127.0.0.1 or localhost only.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Simulated devices, each with its own connection.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=1000))]
    devices: u64,
    /// Readings per batch.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=1000))]
    batch: u64,
    /// Stop after this many seconds (at most 600).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=MAX_DURATION_S))]
    duration: u64,
    /// Stop after this many batches in all (whichever of this and --duration comes first).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    batches: Option<u64>,
    /// The admin key, to register the devices.
    #[arg(long, env = "ADMIN_API_KEY")]
    admin_key: String,
}

fn main() {
    let args = Args::parse();
    if !matches!(args.host.as_str(), "127.0.0.1" | "localhost") {
        eprintln!(
            "error: refusing to load-test {:?}: only 127.0.0.1 or localhost",
            args.host
        );
        std::process::exit(2);
    }
    // One thread: the load generator should not take the server's cores.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    if let Err(e) = rt.block_on(run(args)) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

/// One keep-alive HTTP/1.1 connection to the server, driven by hyper's client
/// (reconnects after an error).
struct Conn {
    addr: SocketAddr,
    host: String,
    sender: Option<SendRequest<Full<bytes::Bytes>>>,
}

impl Conn {
    fn new(addr: SocketAddr) -> Self {
        Conn {
            addr,
            host: addr.to_string(),
            sender: None,
        }
    }

    /// Sends a request with a JSON body; gives the status and the body.
    async fn post(
        &mut self,
        path: &str,
        header: (&str, &str),
        body: &[u8],
    ) -> Result<(u16, Vec<u8>), String> {
        match tokio::time::timeout(REQUEST_TIMEOUT, self.exchange(path, header, body)).await {
            Ok(Ok(r)) => Ok(r),
            Ok(Err(e)) => {
                self.sender = None;
                Err(e.to_string())
            }
            Err(_) => {
                self.sender = None;
                Err("timed out".into())
            }
        }
    }

    async fn exchange(
        &mut self,
        path: &str,
        (hname, hvalue): (&str, &str),
        body: &[u8],
    ) -> Result<(u16, Vec<u8>), Box<dyn std::error::Error + Send + Sync>> {
        if self.sender.as_ref().is_none_or(|s| s.is_closed()) {
            let stream = TcpStream::connect(self.addr).await?;
            stream.set_nodelay(true)?;
            let (sender, conn) =
                hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
            // The connection runs on its own task until either side closes it.
            tokio::spawn(async move {
                let _ = conn.await;
            });
            self.sender = Some(sender);
        }
        let sender = self.sender.as_mut().expect("connected");
        sender.ready().await?;
        let req = http::Request::post(path)
            .header(http::header::HOST, &self.host)
            .header(http::header::CONTENT_TYPE, "application/json")
            .header(hname, hvalue)
            .body(Full::new(bytes::Bytes::copy_from_slice(body)))?;
        let res = sender.send_request(req).await?;
        let status = res.status().as_u16();
        let body = res.into_body().collect().await?.to_bytes().to_vec();
        Ok((status, body))
    }
}

/// `fmt::Write` into a byte vector.
struct Bytes<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for Bytes<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// A small deterministic generator (xorshift64*), one per device.
struct Rng(u64);

impl Rng {
    fn next_f64(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

const METRICS: [(&str, f64, f64); 5] = [
    ("temperature", 21.0, 3.0),
    ("humidity", 45.0, 10.0),
    ("pressure", 1013.0, 8.0),
    ("voltage", 230.0, 4.0),
    ("co2", 600.0, 150.0),
];

/// A batch body: `n` readings spread over the last `n` milliseconds, values near each
/// metric's typical level (always within its accepted range).
fn batch_body(rng: &mut Rng, n: u64, out: &mut Vec<u8>) {
    out.clear();
    let now = Utc::now();
    out.extend_from_slice(b"{\"readings\":[");
    for i in 0..n {
        if i > 0 {
            out.push(b',');
        }
        let (metric, mid, spread) =
            METRICS[(rng.next_f64() * METRICS.len() as f64) as usize % METRICS.len()];
        let value = mid + (rng.next_f64() - 0.5) * 2.0 * spread;
        let ts = (now - TimeDelta::milliseconds((n - i) as i64))
            .to_rfc3339_opts(SecondsFormat::Millis, true);
        write!(
            Bytes(out),
            "{{\"ts\":\"{ts}\",\"metric\":\"{metric}\",\"value\":{value:.3}}}"
        )
        .expect("writing to a Vec");
    }
    out.extend_from_slice(b"]}");
}

#[derive(Default)]
struct Outcome {
    batches: u64,
    readings: u64,
    errors: Vec<String>,
    latencies: Vec<Duration>,
}

async fn run(args: Args) -> Result<(), String> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    // Register the devices, with ids unique to this run.
    let run_id = Utc::now().timestamp();
    let mut admin = Conn::new(addr);
    let mut devices = Vec::new();
    for i in 0..args.devices {
        let id = format!("load-{run_id}-{i}");
        let body = serde_json::json!({ "id": id }).to_string();
        let (status, body) = admin
            .post(
                "/devices",
                ("X-Admin-Key", &args.admin_key),
                body.as_bytes(),
            )
            .await
            .map_err(|e| format!("registering {id} on {addr}: {e}"))?;
        if status != 201 {
            return Err(format!(
                "registering {id}: HTTP {status}: {}",
                String::from_utf8_lossy(&body)
            ));
        }
        let v: Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        let key = v["api_key"]
            .as_str()
            .ok_or("no api_key in the answer")?
            .to_string();
        devices.push((i, key));
    }
    println!(
        "registered {} devices on {addr}; posting batches of {} for {} s{}",
        args.devices,
        args.batch,
        args.duration,
        args.batches
            .map(|b| format!(" or {b} batches"))
            .unwrap_or_default()
    );

    let claimed = Arc::new(AtomicU64::new(0));
    let limit = args.batches.unwrap_or(u64::MAX);
    let start = Instant::now();
    let deadline = start + Duration::from_secs(args.duration);
    let mut tasks = Vec::new();
    for (i, key) in devices {
        let claimed = claimed.clone();
        let batch = args.batch;
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::new(addr);
            let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (i + 1).wrapping_mul(0xBF58_476D_1CE4_E5B9));
            let mut body = Vec::with_capacity(batch as usize * 80);
            let mut out = Outcome::default();
            while Instant::now() < deadline && claimed.fetch_add(1, Ordering::Relaxed) < limit {
                batch_body(&mut rng, batch, &mut body);
                let t = Instant::now();
                match conn.post("/readings", ("X-API-Key", &key), &body).await {
                    Ok((202, answer)) => {
                        out.latencies.push(t.elapsed());
                        out.batches += 1;
                        let v: Value = serde_json::from_slice(&answer).unwrap_or_default();
                        out.readings += v["stored"].as_u64().unwrap_or(0);
                    }
                    Ok((status, answer)) => out.errors.push(format!(
                        "HTTP {status}: {}",
                        String::from_utf8_lossy(&answer)
                            .chars()
                            .take(200)
                            .collect::<String>()
                    )),
                    Err(e) => {
                        out.errors.push(e);
                        // Do not spin on a dead server.
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                }
            }
            out
        }));
    }
    let mut total = Outcome::default();
    for t in tasks {
        let o = t.await.map_err(|e| e.to_string())?;
        total.batches += o.batches;
        total.readings += o.readings;
        total.errors.extend(o.errors);
        total.latencies.extend(o.latencies);
    }
    let elapsed = start.elapsed().as_secs_f64();
    total.latencies.sort();
    let pct = |p: f64| {
        total
            .latencies
            .get(
                ((total.latencies.len() as f64 * p) as usize)
                    .min(total.latencies.len().saturating_sub(1)),
            )
            .map(|d| format!("{:.1} ms", d.as_secs_f64() * 1000.0))
            .unwrap_or_else(|| "-".into())
    };
    println!(
        "{} batches, {} readings stored in {elapsed:.2} s by {} devices (batches of {})",
        total.batches, total.readings, args.devices, args.batch
    );
    println!(
        "batch latency: p50 {}, p99 {}, max {}",
        pct(0.50),
        pct(0.99),
        pct(1.0)
    );
    println!("{:.0} batches/s", total.batches as f64 / elapsed);
    println!("{:.0} readings/s", total.readings as f64 / elapsed);
    if !total.errors.is_empty() {
        println!(
            "{} failed requests; first: {}",
            total.errors.len(),
            total.errors[0]
        );
        return Err(format!("{} requests failed", total.errors.len()));
    }
    Ok(())
}
