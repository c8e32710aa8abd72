//! ferrapi against hand-written axum, on the same endpoints, in the same run.
//!
//! ```text
//! cargo run --release -p ferrapi-bench -- callgrind [--requests 2000] [--warmup 200] [--top 12]
//! cargo run --release -p ferrapi-bench -- wrk [--duration 10] [--connections 32] [--rounds 3]
//! cargo run --release -p ferrapi-bench -- build [--release] [--features a,b] [--endpoints 200]
//! cargo run --release -p ferrapi-bench -- memory [--duration 60] [--connections 256]
//! ```
//!
//! Both modes serve the endpoints of `endpoints.rs` from a ferrapi app (`with_ferrapi.rs`)
//! and from an axum app written by hand with the same validation and the same answers
//! (`hand.rs`), one server at a time on 127.0.0.1.
//!
//! - `callgrind` counts the server's own instructions per request under valgrind's
//!   callgrind (exact, independent of the machine's load) and shows, per function, where
//!   ferrapi's differ from axum's. Needs Debian's `valgrind`.
//! - `wrk` drives each server with `wrk` (Debian's `wrk`) in alternating rounds and reports
//!   the median round's req/s and p99 latency.
//! - `build` builds a three-endpoint hello world with ferrapi and with plain axum + serde
//!   from empty target directories and reports CPU seconds and binary sizes.
//! - `memory` reports each server's resident memory idle and after a load of many
//!   connections (Debian's `wrk`).
//!
//! With the feature `actix` (`--features actix`), the callgrind mode also serves the
//! endpoints written with actix-web 4 (`with_actix.rs`).
//!
//! `serve <axum|ferrapi|actix>` serves one app on a current-thread runtime and prints its
//! address: the `callgrind` mode runs it under valgrind. Load goes to 127.0.0.1 only.

mod build_cost;
mod build_many;
mod callgrind;
mod client;
mod endpoints;
mod hand;
mod load;
mod memory;
mod options;
#[cfg(feature = "actix")]
mod with_actix;
mod with_ferrapi;

fn serve(app: &str) {
    #[cfg(feature = "actix")]
    if app == "actix" {
        return with_actix::serve();
    }
    let router = match app {
        "axum" => hand::router(),
        "ferrapi" => with_ferrapi::app().into_router(),
        other => panic!("unknown app {other} (axum or ferrapi)"),
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        println!("listening on {}", listener.local_addr().expect("address"));
        axum::serve(listener, router).await.expect("serve");
    });
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("callgrind") => callgrind::run(callgrind::Args::parse(&args[1..])),
        Some("wrk") => load::run(load::Args::parse(&args[1..])),
        Some("build") => build_cost::run(build_cost::Args::parse(&args[1..])),
        Some("memory") => memory::run(memory::Args::parse(&args[1..])),
        Some("serve-deployed") => memory::serve_as_deployed(args.get(1).map_or("", String::as_str)),
        Some("serve") => serve(args.get(1).map_or("", String::as_str)),
        // The wrk mode was the only one: its options alone still select it.
        _ => load::run(load::Args::parse(&args)),
    }
}
