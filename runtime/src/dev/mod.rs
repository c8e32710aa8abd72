//! `app dev`: FastAPI's `fastapi dev` loop (feature `dev`, Unix only).
//!
//! The `dev` process binds the address once and never serves a request itself: it builds
//! the app with cargo (`cargo`), runs each good build as a child `serve` process on the
//! same listening socket (`child`, `socket`), watches the sources (`watch`), and on a
//! change builds again; only when the build succeeds is the old server stopped and the new
//! one started. Connections that arrive in between wait in the socket's accept queue.
//! The guide's page is `docs/dev.md`.

#[cfg(unix)]
mod cargo;
#[cfg(unix)]
mod child;
#[cfg(unix)]
mod socket;
#[cfg(unix)]
mod watch;

#[cfg(unix)]
pub(crate) use socket::inherited;

/// Runs the `dev` loop on `addr` until Ctrl-C or SIGTERM; `docs_page` is the path printed
/// after each start. Returns the exit status.
#[cfg(not(unix))]
pub(crate) async fn run(addr: std::net::SocketAddr, docs_page: Option<String>) -> i32 {
    let _ = (addr, docs_page);
    eprintln!(
        "error: `dev` is supported on Unix only (it hands the listening socket to each server \
         process as a file descriptor): rebuild and run `serve` after each change instead"
    );
    1
}

#[cfg(unix)]
pub(crate) use unix::{run, serve_inherited};

#[cfg(unix)]
mod unix {
    use std::net::SocketAddr;
    use std::path::{Path, PathBuf};
    use std::pin::pin;
    use std::time::{Duration, Instant};

    use super::cargo::{Build, BuildError};
    use super::child::Server;
    use super::socket::{self, Inherited};
    use super::watch::{Batch, Debounce, Sources};
    use crate::app::Listen;
    use crate::App;

    /// How long the sources must be quiet before a build starts.
    const QUIET: Duration = Duration::from_millis(200);
    /// The longest a build waits for the sources to be quiet.
    const LONGEST: Duration = Duration::from_secs(2);
    /// How long an old server may take to finish its requests before it is killed.
    const GRACE: Duration = Duration::from_secs(3);

    macro_rules! status {
        ($($arg:tt)*) => { eprintln!("ferrapi dev: {}", format_args!($($arg)*)) };
    }

    /// Runs the `dev` loop on `addr` until Ctrl-C or SIGTERM; `docs_page` is the path
    /// printed after each start. Returns the exit status.
    pub(crate) async fn run(addr: SocketAddr, docs_page: Option<String>) -> i32 {
        let started = Instant::now();
        let build = match Build::from_env() {
            Ok(b) => b,
            Err(e) => {
                eprintln!("error: {e}");
                return 1;
            }
        };
        let listener = match crate::app::bind_listener(addr).and_then(|l| l.into_std()) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: cannot listen on {addr}: {e}");
                return 1;
            }
        };
        let bound = listener.local_addr().unwrap_or(addr);
        let page = format!("http://{bound}{}", docs_page.as_deref().unwrap_or("/"));
        let (changes_tx, mut changes) = tokio::sync::mpsc::unbounded_channel::<PathBuf>();
        let mut sources = match Sources::new(changes_tx) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: cannot watch files: {e}");
                return 1;
            }
        };
        if let Err(e) = sources.add_package(build.package()) {
            eprintln!("error: cannot watch {}: {e}", build.package().display());
            return 1;
        }
        status!(
            "watching {} (src/, Cargo.toml, build.rs); http://{bound} stays open across restarts",
            build.package().display()
        );

        let mut stop = pin!(crate::app::shutdown_signal());
        let mut server: Option<Server> = None;
        let mut debounce = Debounce::new(QUIET, LONGEST);
        // The first build: the running binary may be older than the sources.
        let mut next: Option<Instant> = Some(started);
        status!("building {}…", build.name());
        loop {
            if let Some(since) = next.take() {
                let build_started = Instant::now();
                let built = tokio::select! {
                    built = build.run() => built,
                    _ = &mut stop => break,
                };
                match built {
                    Ok(built) => {
                        let build_ms = build_started.elapsed().as_millis();
                        for dir in &built.local_packages {
                            match sources.add_package(dir) {
                                Ok(true) => status!("also watching {}", dir.display()),
                                Ok(_) => {}
                                Err(e) => status!("cannot watch {}: {e}", dir.display()),
                            }
                        }
                        let first = server.is_none();
                        if let Some(old) = server.take() {
                            old.stop(GRACE).await;
                        }
                        match Server::spawn(&built.executable, &listener) {
                            Ok(s) => {
                                server = Some(s);
                                let ms = since.elapsed().as_millis();
                                let verb = if first { "started" } else { "restarted" };
                                status!("{verb} in {ms} ms (build {build_ms} ms): {page}");
                            }
                            Err(e) => status!(
                                "cannot start {}: {e}; waiting for a change",
                                built.executable.display()
                            ),
                        }
                    }
                    Err(BuildError::Failed) if server.is_some() => {
                        status!("compile error, keeping the last good build: {page}")
                    }
                    Err(BuildError::Failed) => {
                        status!("compile error; the server starts after the next good build")
                    }
                    Err(BuildError::Cargo(e)) => status!("{e}; waiting for a change"),
                }
                continue;
            }
            let due = debounce.due_at();
            tokio::select! {
                _ = &mut stop => break,
                Some(path) = changes.recv() => debounce.push(path, Instant::now()),
                _ = sleep_until(due), if due.is_some() => {
                    if let Some(batch) = debounce.take_due(Instant::now()) {
                        status!("{} changed: building…", describe(&batch, &sources.packages()));
                        next = Some(batch.since);
                    }
                }
                exited = exited(&mut server) => {
                    server = None;
                    match exited {
                        Ok(status) => status!("the server exited ({status}); it starts again after the next good build"),
                        Err(e) => status!("lost the server: {e}"),
                    }
                }
            }
        }
        status!("stopping");
        if let Some(old) = server.take() {
            old.stop(GRACE).await;
        }
        0
    }

    async fn sleep_until(at: Option<Instant>) {
        if let Some(at) = at {
            tokio::time::sleep_until(at.into()).await;
        }
    }

    async fn exited(server: &mut Option<Server>) -> std::io::Result<std::process::ExitStatus> {
        match server {
            Some(s) => s.exited().await,
            None => std::future::pending().await,
        }
    }

    /// `src/main.rs`, `3 files`: what changed, relative to its package.
    fn describe(batch: &Batch, packages: &[PathBuf]) -> String {
        match batch.paths.as_slice() {
            [one] => relative(one, packages).display().to_string(),
            many => format!("{} files", many.len()),
        }
    }

    fn relative<'a>(path: &'a Path, packages: &[PathBuf]) -> &'a Path {
        packages
            .iter()
            .find_map(|p| path.strip_prefix(p).ok())
            .unwrap_or(path)
    }

    /// Serves `app` on a socket handed over by a parent process, until Ctrl-C, SIGTERM,
    /// or, when the parent is `dev`, until that process is gone.
    pub(crate) async fn serve_inherited(app: App, inherited: Inherited) -> std::io::Result<()> {
        let Inherited { listener, parent } = inherited;
        let listener = listener.listen().await?;
        app.serve_on(listener, async move {
            tokio::select! {
                _ = crate::app::shutdown_signal() => {}
                _ = socket::parent_gone(parent) => {}
            }
        })
        .await
    }
}
