//! `callgrind` mode: the server's own instructions per request, counted by valgrind.
//!
//! Each app is served by this binary (`serve <app>`) under `valgrind --tool=callgrind` on a
//! current-thread runtime; one keep-alive connection sends a warm-up, then `--requests`
//! requests per endpoint, and `callgrind_control --dump` closes each endpoint's interval.
//! The count is exact and repeatable: it does not depend on what else the machine does.
//! Self costs per function, with both apps' types named `app::`, show where the
//! difference goes.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::client::Client;
use crate::endpoints::ENDPOINTS;

pub(crate) struct Args {
    requests: usize,
    warmup: usize,
    top: usize,
    out_dir: PathBuf,
}

impl Args {
    pub(crate) fn parse(v: &[String]) -> Args {
        let mut a = Args {
            requests: 2000,
            warmup: 200,
            top: 12,
            out_dir: std::env::temp_dir().join("ferrapi-callgrind"),
        };
        for pair in v.chunks(2) {
            let value = pair.get(1).expect("a value after the option");
            let n = || value.parse().expect("a number");
            match pair[0].as_str() {
                "--requests" => a.requests = n(),
                "--warmup" => a.warmup = n(),
                "--top" => a.top = n(),
                "--out-dir" => a.out_dir = value.into(),
                other => panic!("unknown option {other}"),
            }
        }
        a
    }
}

/// The apps measured, in the order they are served: axum by hand, ferrapi, and with the
/// feature `actix` the same endpoints on actix-web.
const APPS: &[&str] = if cfg!(feature = "actix") {
    &["axum", "ferrapi", "actix"]
} else {
    &["axum", "ferrapi"]
};

/// One app's profile: per endpoint, the dump file and its instruction total.
struct Profile {
    dumps: Vec<(PathBuf, u64)>,
    /// Each endpoint's last answer body: both apps must give the same.
    answers: Vec<bytes::Bytes>,
}

pub(crate) fn run(a: Args) {
    std::fs::create_dir_all(&a.out_dir).expect("create the output directory");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    println!(
        "callgrind: instructions per request, server on a current-thread runtime, {} warm-up \
         requests per endpoint, then {} keep-alive requests per endpoint, 127.0.0.1",
        a.warmup, a.requests
    );
    let profiles: Vec<Profile> = APPS
        .iter()
        .map(|app| rt.block_on(profile(app, &a)))
        .collect();
    for (i, e) in ENDPOINTS.iter().enumerate() {
        for (app, p) in APPS.iter().zip(&profiles).skip(1) {
            assert_eq!(
                profiles[0].answers[i], p.answers[i],
                "{}: {app} answered differently from axum",
                e.name
            );
        }
    }
    println!(
        "\nanswers: the same from {}, byte for byte, on every endpoint",
        APPS.join(", ")
    );
    let per_request = |p: &Profile, i: usize| p.dumps[i].1 as f64 / a.requests as f64;

    let others: String = APPS[1..]
        .iter()
        .map(|app| format!(" {app} | {app}/axum |"))
        .collect();
    println!("\n| endpoint | axum |{others}");
    println!("|---|---|{}", "---|---|".repeat(APPS.len() - 1));
    for (i, e) in ENDPOINTS.iter().enumerate() {
        let h = per_request(&profiles[0], i);
        let cells: String = profiles[1..]
            .iter()
            .map(|p| {
                let f = per_request(p, i);
                format!(" {f:.0} | {:.3} |", f / h)
            })
            .collect();
        println!("| {} {} | {h:.0} |{cells}", e.name, e.label);
    }
    for (i, e) in ENDPOINTS.iter().enumerate() {
        println!(
            "\n{}: where ferrapi's instructions per request differ (self cost, top {})",
            e.name, a.top
        );
        let hand = self_costs(&profiles[0].dumps[i].0);
        let ours = self_costs(&profiles[1].dumps[i].0);
        let mut delta: Vec<(String, f64)> = ours
            .keys()
            .chain(hand.keys())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .map(|k| {
                let d = ours.get(k).copied().unwrap_or(0) as f64
                    - hand.get(k).copied().unwrap_or(0) as f64;
                (k.clone(), d / a.requests as f64)
            })
            .filter(|(_, d)| d.abs() >= 1.0)
            .collect();
        delta.sort_by(|x, y| y.1.abs().total_cmp(&x.1.abs()));
        for (name, d) in delta.iter().take(a.top) {
            println!("  {d:>+9.0}  {name}");
        }
    }
    println!("\nprofiles: {}", a.out_dir.display());
}

/// Serves `app` under callgrind, sends the requests, dumps once per endpoint.
async fn profile(app: &str, a: &Args) -> Profile {
    let out = a.out_dir.join(format!("callgrind.{app}.out"));
    for entry in std::fs::read_dir(&a.out_dir)
        .expect("read the output directory")
        .flatten()
    {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with(&format!("callgrind.{app}.out"))
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    let mut child = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(std::env::current_exe().expect("this binary"))
        .args(["serve", app])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("valgrind is installed (apt-get install valgrind)");
    let addr = listening_address(&mut child);
    let mut client = Client::connect(addr).await;
    for e in &ENDPOINTS {
        client.send(e, a.warmup).await;
    }
    let mut dumps = Vec::new();
    let mut answers = Vec::new();
    dump(&child, &out, 1);
    for (i, e) in ENDPOINTS.iter().enumerate() {
        answers.push(client.send(e, a.requests).await);
        let file = dump(&child, &out, i + 2);
        let total = total_instructions(&file);
        dumps.push((file, total));
    }
    let _ = child.kill();
    let _ = child.wait();
    eprintln!("{app}: profiled");
    Profile { dumps, answers }
}

/// The address the `serve` child prints once it listens.
fn listening_address(child: &mut Child) -> std::net::SocketAddr {
    let stdout = child.stdout.take().expect("piped stdout");
    let mut line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read the address");
    line.trim()
        .strip_prefix("listening on ")
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("the server did not start: {line:?}"))
}

/// Asks callgrind for dump number `n` of the running server and waits for its file.
fn dump(child: &Child, out: &Path, n: usize) -> PathBuf {
    let status = Command::new("callgrind_control")
        .args(["--dump", &child.id().to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("callgrind_control (valgrind's package)");
    assert!(status.success(), "callgrind_control --dump failed");
    let file = PathBuf::from(format!("{}.{n}", out.display()));
    let start = Instant::now();
    while !complete(&file) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no dump {} from callgrind",
            file.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    file
}

/// A dump is complete once its `totals:` line is written.
fn complete(file: &Path) -> bool {
    std::fs::read_to_string(file).is_ok_and(|t| t.lines().any(|l| l.starts_with("totals:")))
}

fn total_instructions(file: &Path) -> u64 {
    let text = std::fs::read_to_string(file).expect("read the dump");
    text.lines()
        .find_map(|l| l.strip_prefix("totals:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .expect("a totals line")
}

/// Instructions per function (self cost), from `callgrind_annotate`, with each app's
/// module path written `app::` so the same generic function matches in both.
fn self_costs(file: &Path) -> HashMap<String, u64> {
    let out = Command::new("callgrind_annotate")
        .args(["--inclusive=no", "--threshold=100"])
        .arg(file)
        .output()
        .expect("callgrind_annotate (valgrind's package)");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut costs = HashMap::new();
    let mut total = u64::MAX;
    for line in text.lines() {
        let line = line.trim();
        let Some((count, rest)) = line.split_once(' ') else {
            continue;
        };
        let Ok(n) = count.replace(',', "").parse::<u64>() else {
            continue;
        };
        // "(12.34%)  file:function [object]"
        let rest = rest.trim_start();
        let rest = match rest.strip_prefix('(') {
            Some(r) => r.split_once(')').map_or(r, |(_, r)| r).trim_start(),
            None => rest,
        };
        let rest = rest.rsplit_once(" [").map_or(rest, |(f, _)| f);
        let function = rest.split_once(':').map_or(rest, |(_, f)| f);
        if rest.starts_with("PROGRAM TOTALS") {
            total = n;
            continue;
        }
        // The frames on the stack when the dump was taken (main, the runtime's block_on)
        // are listed with the whole interval's cost: not a self cost.
        if function.is_empty() || n >= total / 100 * 99 {
            continue;
        }
        let name = function
            .replace("ferrapi_bench::hand::", "app::")
            .replace("ferrapi_bench::with_ferrapi::", "app::");
        *costs.entry(name).or_insert(0) += n;
    }
    costs
}
