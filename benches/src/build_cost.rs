//! `build` mode: what an app costs to build. Writes the same three-endpoint hello world
//! twice in a scratch directory, with ferrapi (this checkout, default features) and with
//! plain axum + serde, builds each from an empty target directory under `/usr/bin/time`,
//! and reports CPU seconds (user + sys), wall time and the binary's size.
//!
//! The crates resolve offline from the local registry cache (nothing is downloaded);
//! the ferrapi crate is a path dependency on this workspace, so its own compilation
//! counts, as it does for a user.

use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) struct Args {
    release: bool,
    dir: PathBuf,
    features: Option<String>,
    endpoints: Option<usize>,
}

impl Args {
    pub(crate) fn parse(v: &[String]) -> Args {
        let mut a = Args {
            release: false,
            dir: std::env::temp_dir().join("ferrapi-build-cost"),
            features: None,
            endpoints: None,
        };
        let mut i = 0;
        while i < v.len() {
            match v[i].as_str() {
                "--release" => a.release = true,
                "--dir" => {
                    i += 1;
                    a.dir = v.get(i).expect("a directory after --dir").into();
                }
                "--endpoints" => {
                    i += 1;
                    a.endpoints = Some(
                        v.get(i)
                            .and_then(|n| n.parse().ok())
                            .expect("a number after --endpoints"),
                    );
                }
                "--features" => {
                    i += 1;
                    a.features = Some(v.get(i).expect("a feature list after --features").clone());
                }
                other => panic!("unknown option {other}"),
            }
            i += 1;
        }
        a
    }
}

const AXUM_MAIN: &str = r#"use axum::extract::{Path, Query};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Serialize)]
struct Page {
    #[serde(default)]
    skip: i64,
    #[serde(default = "ten")]
    limit: i64,
}

fn ten() -> i64 {
    10
}

#[derive(Deserialize, Serialize)]
struct Item {
    name: String,
    price: f64,
    tags: Vec<String>,
}

async fn read_item(Path(item_id): Path<i64>) -> Json<i64> {
    Json(item_id)
}

async fn read_items(Query(p): Query<Page>) -> Json<Page> {
    Json(p)
}

async fn create_item(Json(item): Json<Item>) -> Json<Item> {
    Json(item)
}

#[tokio::main]
async fn main() {
    let app = Router::new()
        .route("/items/{item_id}", get(read_item))
        .route("/items/", get(read_items).post(create_item));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:8000").await.unwrap();
    axum::serve(listener, app).await.unwrap();
}
"#;

const FERRAPI_MAIN: &str = r#"use ferrapi::prelude::*;

#[model]
struct Item {
    name: String,
    price: f64,
    tags: Vec<String>,
}

#[get("/items/{item_id}")]
async fn read_item(item_id: i64) -> Json<i64> {
    Json(item_id)
}

#[model]
struct Page {
    skip: i64,
    limit: i64,
}

#[get("/items/")]
async fn read_items(#[query(default = 0)] skip: i64, #[query(default = 10)] limit: i64) -> Json<Page> {
    Json(Page { skip, limit })
}

#[post("/items/")]
async fn create_item(item: Json<Item>) -> Json<Item> {
    item
}

fn main() {
    App::new().routes(routes![read_item, read_items, create_item]).run();
}
"#;

/// Writes a binary crate `name` (its own workspace) under `dir`.
pub(crate) fn write_crate(dir: &Path, name: &str, deps: &str, main: &str) -> PathBuf {
    let root = dir.join(name);
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("src")).expect("create the crate");
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
         [dependencies]\n{deps}\n\n[workspace]\n"
    );
    std::fs::write(root.join("Cargo.toml"), manifest).expect("write Cargo.toml");
    std::fs::write(root.join("src/main.rs"), main).expect("write main.rs");
    root
}

/// What one build cost.
pub(crate) struct Cost {
    /// CPU seconds, user + sys.
    pub(crate) cpu: f64,
    /// Wall seconds.
    pub(crate) wall: f64,
    /// The binary's size in bytes.
    pub(crate) size: u64,
}

/// Resolves the crate's dependencies before any timed build: offline from the local cache
/// when it has them, else from crates.io.
pub(crate) fn resolve(root: &Path, name: &str) {
    let cargo = |args: &[&str]| {
        Command::new("cargo")
            .args(args)
            .current_dir(root)
            .status()
            .expect("cargo")
            .success()
    };
    if cargo(&["generate-lockfile", "--offline", "-q"]) {
        return;
    }
    assert!(
        cargo(&["generate-lockfile", "-q"]),
        "resolving {name} failed"
    );
    assert!(
        cargo(&["fetch", "-q"]),
        "fetching {name}'s dependencies failed"
    );
}

/// Builds the crate at `root` under `/usr/bin/time`; `clean` empties its target first.
pub(crate) fn timed_build(root: &Path, name: &str, release: bool, clean: bool) -> Cost {
    let target = root.join("target");
    if clean {
        let _ = std::fs::remove_dir_all(&target);
    }
    let mut cmd = Command::new("/usr/bin/time");
    cmd.args(["-f", "%e %U %S", "cargo", "build", "-q", "--offline"]);
    if release {
        cmd.arg("--release");
    }
    let out = cmd
        .current_dir(root)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("/usr/bin/time (Debian's package time)");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "building {name} failed:\n{err}");
    let nums: Vec<f64> = err
        .lines()
        .last()
        .unwrap_or("")
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    assert_eq!(nums.len(), 3, "unexpected /usr/bin/time output: {err}");
    let bin = target
        .join(if release { "release" } else { "debug" })
        .join(name);
    let size = std::fs::metadata(&bin).map(|m| m.len()).unwrap_or(0);
    Cost {
        cpu: nums[1] + nums[2],
        wall: nums[0],
        size,
    }
}

fn build(root: &Path, name: &str, release: bool) -> Cost {
    resolve(root, name);
    timed_build(root, name, release, true)
}

/// The dependency line on this checkout's ferrapi, with `features` (`a,b`) or the defaults.
pub(crate) fn ferrapi_dependency(features: &Option<String>) -> String {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace");
    match features {
        None => format!("ferrapi = {{ path = {:?} }}", workspace.join("runtime")),
        Some(f) => format!(
            "ferrapi = {{ path = {:?}, default-features = false, features = [{}] }}",
            workspace.join("runtime"),
            f.split(',')
                .filter(|s| !s.is_empty())
                .map(|s| format!("{s:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

pub(crate) fn run(a: Args) {
    std::fs::create_dir_all(&a.dir).expect("create the scratch directory");
    if let Some(n) = a.endpoints {
        return crate::build_many::run(&a.dir, n, &ferrapi_dependency(&a.features));
    }
    let ferrapi_dep = ferrapi_dependency(&a.features);
    let apps = [
        (
            "hello_axum",
            "axum = \"0.8\"\ntokio = { version = \"1\", features = [\"rt-multi-thread\", \"macros\", \"net\"] }\n\
             serde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"",
            AXUM_MAIN,
        ),
        ("hello_ferrapi", ferrapi_dep.as_str(), FERRAPI_MAIN),
    ];
    let profile = if a.release { "release" } else { "debug" };
    println!(
        "clean {profile} build of a three-endpoint hello world, {}",
        a.features
            .as_deref()
            .map_or("ferrapi's default features".to_string(), |f| format!(
                "ferrapi features [{f}]"
            ))
    );
    let costs: Vec<Cost> = apps
        .iter()
        .map(|(name, deps, main)| {
            let root = write_crate(&a.dir, name, deps, main);
            let c = build(&root, name, a.release);
            println!(
                "  {name:<14} CPU {:>7.1} s   wall {:>6.1} s   binary {:>6.2} MB",
                c.cpu,
                c.wall,
                c.size as f64 / 1e6
            );
            c
        })
        .collect();
    println!(
        "  ferrapi/axum   CPU {:.2}x   binary {:.2}x",
        costs[1].cpu / costs[0].cpu,
        costs[1].size as f64 / costs[0].size as f64
    );
}
