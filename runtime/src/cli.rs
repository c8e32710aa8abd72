//! The command line every ferrapi app gets through [`App::run`](crate::App::run).
//!
//! ```text
//! app                          # serve on 127.0.0.1:8000 (env HOST / PORT)
//! app serve --host 0.0.0.0 --port 8080
//! app serve --root-path /api   # behind a proxy that strips /api (env ROOT_PATH)
//! app openapi                  # print the document
//! app openapi --out openapi.json
//! app openapi --check openapi.json   # exit 1 with a diff when the file is stale
//! app openapi --spec-version 3.0 --out openapi-3.0.json   # for 3.0-only generators
//! app openapi diff released.json     # breaking changes since the released document
//! app openapi diff old.json new.json --format markdown --allow operation-removed
//! app openapi --api-version 1        # one version of a versioned API (`v1`, `1.0.0`)
//! app openapi --all --out-dir openapi/   # every version: v1.json, v2.json, openapi.json
//! app openapi --all --check openapi/     # exit 1 with a diff when any of them is stale
//! app asyncapi --out asyncapi.json  # WebSocket routes and event streams (AsyncAPI 3.0)
//! app dev                      # rebuild and restart on save (feature `dev`, Unix)
//! ```

use std::ffi::OsString;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use crate::render::OpenApiVersion;
use crate::App;

mod args;
mod stale_diff;

pub use args::CliError;

/// A ferrapi application.
#[derive(Debug)]
pub struct Cli {
    /// What to do (default: serve).
    pub command: Option<Command>,
}

impl Cli {
    /// Reads the command line `args` (the first is the program's name, as from
    /// [`std::env::args_os`]). An option that is absent takes its environment variable
    /// (`HOST`, `PORT`, `ROOT_PATH`, `DRAIN_SECONDS`), else its default; values are
    /// checked here, whichever gave them.
    ///
    /// `-h`, `--help` and `help [COMMAND]...` give [`CliError::Help`] with the usage text;
    /// unknown, repeated or conflicting options, missing or invalid values and extra
    /// arguments give [`CliError::Usage`]. Without a subcommand, `command` is `None` and
    /// the environment is not read (`run` serves, reading it then).
    ///
    /// ```
    /// use ferrapi::cli::{Cli, Command};
    ///
    /// let cli = Cli::parse_from(["app", "serve", "--port=9000"]).unwrap();
    /// assert!(matches!(cli.command, Some(Command::Serve(s)) if s.port == 9000));
    /// let err = Cli::parse_from(["app", "serve", "--port", "http"]).unwrap_err();
    /// assert_eq!(err.exit_code(), 2);
    /// ```
    pub fn parse_from<I, T>(args: I) -> Result<Cli, CliError>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString>,
    {
        args::parse(args, &args::process_env)
    }
}

/// The subcommands.
#[derive(Debug)]
pub enum Command {
    /// Serve the API over HTTP (the default).
    Serve(ServeArgs),
    /// Print, write or check the OpenAPI document; `openapi diff` lists breaking changes.
    Openapi(OpenapiArgs),
    /// Print, write or check the AsyncAPI 3.0 document (WebSocket routes, event streams).
    #[cfg(feature = "asyncapi")]
    Asyncapi(AsyncapiArgs),
    /// Rebuild and restart the server when a source changes, keeping the listening socket
    /// open (FastAPI's `fastapi dev`; Unix only).
    #[cfg(feature = "dev")]
    Dev(DevArgs),
}

/// Options of `dev`.
#[cfg(feature = "dev")]
#[derive(Debug)]
pub struct DevArgs {
    /// Address to listen on.
    pub host: IpAddr,
    /// Port to listen on.
    pub port: u16,
}

/// Options of `serve`.
#[derive(Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    pub host: IpAddr,
    /// Port to listen on.
    pub port: u16,
    /// The path prefix a proxy strips before forwarding (uvicorn's `--root-path`); see
    /// `App::root_path`.
    pub root_path: Option<String>,
    /// Seconds to keep serving, reporting not ready, after SIGTERM before closing (see
    /// `App::drain_period`).
    pub drain_seconds: Option<u64>,
}

/// Options of `openapi`.
#[derive(Debug)]
pub struct OpenapiArgs {
    /// `diff`: compare two documents instead of printing one.
    pub command: Option<OpenapiCommand>,
    /// Write the document to this file instead of standard output.
    pub out: Option<PathBuf>,
    /// Compare the document with this file (with `--all`, the documents with those in this
    /// directory); exit 1 with a diff when they differ.
    pub check: Option<PathBuf>,
    /// The version of a versioned API to write (`1.0.0`, `1`, `v1`; default: the latest).
    pub api_version: Option<String>,
    /// Every document: one per version of a versioned API (`v1.json`, `v2.json`, ...) and
    /// the latest as `openapi.json`; just `openapi.json` for an unversioned one. Written
    /// with `--out-dir`, or checked with `--check DIR`.
    pub all: bool,
    /// With `--all`: the directory to write the documents to (created if missing).
    pub out_dir: Option<PathBuf>,
    /// The OpenAPI version to write: 3.0, 3.1 or 3.2 (default: the app's, 3.1 unless
    /// `App::openapi_version` says otherwise).
    pub spec_version: Option<OpenApiVersion>,
    /// Document every error answer with the one `HTTPError` schema (for client generators
    /// that want one error type per operation, such as progenitor).
    pub one_error_schema: bool,
}

/// The subcommands of `openapi`.
#[derive(Debug)]
pub enum OpenapiCommand {
    /// List what changed since an older document, each change breaking or compatible.
    ///
    /// Exits 1 when a change is breaking and not allowed, 2 when a document cannot be read
    /// or compared. (Feature `openapi-diff`.)
    #[cfg(feature = "openapi-diff")]
    Diff(DiffArgs),
}

/// Options of `openapi diff` (feature `openapi-diff`).
#[cfg(feature = "openapi-diff")]
#[derive(Debug)]
pub struct DiffArgs {
    /// The old document (JSON), e.g. the last release's.
    pub old: PathBuf,
    /// The new document (JSON); default: the app's, in the OpenAPI version of OLD.
    pub new: Option<PathBuf>,
    /// How to write the report.
    pub format: crate::openapi_diff::Format,
    /// Accept a breaking change: a rule id (`operation-removed`) or a rule in one operation
    /// (`operation-removed@DELETE /items/{id}`). Repeatable.
    pub allow: Vec<String>,
    /// Without NEW: compare with this version of a versioned app (`1.0.0`, `1`, `v1`;
    /// default: the latest).
    pub api_version: Option<String>,
}

/// The largest document `openapi diff` reads.
#[cfg(feature = "openapi-diff")]
const MAX_DOCUMENT_BYTES: u64 = 256 * 1024 * 1024;

impl App {
    /// Runs the app's command line: `serve` (default), `openapi`, `openapi --out FILE`,
    /// `openapi --check FILE`, `openapi diff OLD [NEW]`, `asyncapi`, and `dev` with the
    /// `dev` feature. Exits the process with the command's status. Works from a
    /// plain `fn main` (it starts its own runtime) and from inside `#[tokio::main]`; in a
    /// single-threaded runtime, use [`App::serve`] instead (it says so and exits 1).
    pub fn run(self) {
        let code = run(self, std::env::args_os());
        std::process::exit(code);
    }
}

/// Options of `asyncapi` (feature `asyncapi`).
#[cfg(feature = "asyncapi")]
#[derive(Debug)]
pub struct AsyncapiArgs {
    /// Write the document to this file instead of standard output.
    pub out: Option<PathBuf>,
    /// Compare the document with this file; exit 1 with a diff when they differ.
    pub check: Option<PathBuf>,
}

/// The document as written by `openapi`: pretty JSON with a final newline, in the app's
/// OpenAPI version.
pub fn render_document(app: &App) -> Result<String, crate::app::StartupError> {
    render_document_in(app, None)
}

/// The document as written by `openapi --spec-version V` (`None`: the app's version).
pub fn render_document_in(
    app: &App,
    version: Option<OpenApiVersion>,
) -> Result<String, crate::app::StartupError> {
    let doc = match version {
        Some(v) => app.openapi_document(v)?,
        None => app.openapi_value()?,
    };
    Ok(pretty(&doc))
}

/// Runs the command line with `args` (the first is the program name); returns the exit
/// status.
pub fn run<I, T>(app: App, args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let mut argv = args.into_iter().map(Into::into).peekable();
    let program = argv
        .peek()
        .cloned()
        .unwrap_or_else(|| OsString::from("app"));
    let cli = match Cli::parse_from(argv) {
        Ok(c) => c,
        Err(e) => {
            e.print();
            return e.exit_code();
        }
    };
    match cli.command {
        #[cfg(feature = "openapi-diff")]
        Some(Command::Openapi(OpenapiArgs {
            command: Some(OpenapiCommand::Diff(args)),
            ..
        })) => openapi_diff(&app, args),
        Some(Command::Openapi(args)) if args.all => openapi_all(&app, args),
        Some(Command::Openapi(args)) => {
            let options = crate::render::OpenApiOptions {
                version: args.spec_version.unwrap_or(app.served_openapi_version()),
                one_error_schema: args.one_error_schema,
            };
            let doc = if let Some(v) = &args.api_version {
                app.openapi_for_version_with(v, options).map(|d| pretty(&d))
            } else if args.one_error_schema {
                app.openapi_document_with(options).map(|d| pretty(&d))
            } else {
                render_document_in(&app, args.spec_version)
            };
            write_or_check(doc, args.out, args.check, "openapi")
        }
        #[cfg(feature = "asyncapi")]
        Some(Command::Asyncapi(args)) => {
            let doc = app.asyncapi_value().map(|d| pretty(&d));
            write_or_check(doc, args.out, args.check, "asyncapi")
        }
        Some(Command::Serve(args)) => serve(app, args),
        #[cfg(feature = "dev")]
        Some(Command::Dev(args)) => {
            let addr = SocketAddr::new(args.host, args.port);
            let page = app.docs_page().map(str::to_string);
            drop(app);
            let instead = format!("use {MULTI_THREADED}");
            block_on(crate::dev::run(addr, page), &instead).unwrap_or_else(|code| code)
        }
        // No subcommand: serve, still honouring HOST, PORT, ROOT_PATH and DRAIN_SECONDS.
        None => match args::default_serve(program, &args::process_env) {
            Ok(args) => serve(app, args),
            Err(e) => {
                e.print();
                e.exit_code()
            }
        },
    }
}

/// `openapi --all --out-dir DIR` and `openapi --all --check DIR`: every version's document
/// (and the latest as `openapi.json`). 0 when written or up to date, 1 otherwise (with a
/// diff for each stale file).
fn openapi_all(app: &App, args: OpenapiArgs) -> i32 {
    let options = crate::render::OpenApiOptions {
        version: args.spec_version.unwrap_or(app.served_openapi_version()),
        one_error_schema: args.one_error_schema,
    };
    let docs = match all_documents(app, options) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: the app cannot start:\n{e}");
            return 1;
        }
    };
    let (dir, check) = match (args.out_dir, args.check) {
        (Some(dir), _) => (dir, false),
        (None, Some(dir)) => (dir, true),
        (None, None) => {
            eprintln!("error: `openapi --all` writes to a directory: give `--out-dir DIR` or `--check DIR`");
            return 2;
        }
    };
    if !check {
        if let Err(e) = std::fs::create_dir_all(&dir) {
            eprintln!("error: cannot create {}: {e}", dir.display());
            return 1;
        }
    }
    let mut status = 0;
    if check {
        status = extra_documents(&dir, &docs);
    }
    for (name, doc) in docs {
        let path = dir.join(name);
        let (out, checked) = if check {
            (None, Some(path))
        } else {
            (Some(path), None)
        };
        let command = format!("openapi --all --out-dir {}", dir.display());
        status = status.max(write_or_check_as(Ok(doc), out, checked, &command));
    }
    status
}

/// `openapi --all --check DIR`: a `.json` file in `DIR` that is no document of the app (a
/// version that was dropped) is drift too. 1 when there is one, 0 otherwise.
fn extra_documents(dir: &std::path::Path, docs: &[(String, String)]) -> i32 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut extra: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json") && !docs.iter().any(|(name, _)| name == n))
        .collect();
    extra.sort();
    for name in &extra {
        eprintln!(
            "{} is not a document of this app (a version it no longer serves?): remove it, \
             or run `openapi --all --out-dir {}` after serving that version again",
            dir.join(name).display(),
            dir.display()
        );
    }
    i32::from(!extra.is_empty())
}

/// The files `openapi --all` writes: `v1.json`, ... for each version of a versioned app,
/// oldest first, then the latest as `openapi.json`; only `openapi.json` for an unversioned
/// one.
pub fn all_documents(
    app: &App,
    options: crate::render::OpenApiOptions,
) -> Result<Vec<(String, String)>, crate::app::StartupError> {
    let mut out = Vec::new();
    for (v, label) in app.served_versions().iter().zip(app.version_labels()) {
        let doc = app.openapi_for_version_with(&v.to_string(), options)?;
        out.push((format!("{label}.json"), pretty(&doc)));
    }
    let latest = match out.last() {
        Some((_, doc)) => doc.clone(),
        None => pretty(&app.openapi_document_with(options)?),
    };
    out.push(("openapi.json".to_string(), latest));
    Ok(out)
}

/// `openapi diff`: 0 when nothing breaks (or every breaking change is allowed), 1 when
/// something breaks, 2 when a document cannot be read or compared.
#[cfg(feature = "openapi-diff")]
fn openapi_diff(app: &App, args: DiffArgs) -> i32 {
    use crate::openapi_diff::{self, Allow, Side};
    let mut allow = Vec::new();
    for value in &args.allow {
        match value.parse::<Allow>() {
            Ok(a) => allow.push(a),
            Err(e) => {
                eprintln!("error: --allow {value}: {e}");
                return 2;
            }
        }
    }
    let old = match read_document(&args.old, Side::Old) {
        Ok(doc) => doc,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let new = match &args.new {
        Some(path) => match read_document(path, Side::New) {
            Ok(doc) => doc,
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        },
        None => {
            // The app's document in the old one's version, so that the dialects agree.
            let version = old["openapi"]
                .as_str()
                .and_then(|v| {
                    v.parse::<OpenApiVersion>()
                        .ok()
                        .or_else(|| v.get(..3)?.parse().ok())
                })
                .unwrap_or(app.served_openapi_version());
            let doc = match &args.api_version {
                Some(v) => app.openapi_for_version_with(
                    v,
                    crate::render::OpenApiOptions {
                        version,
                        one_error_schema: false,
                    },
                ),
                None => app.openapi_document(version),
            };
            match doc {
                Ok(doc) => doc,
                Err(e) => {
                    eprintln!("error: the app cannot start:\n{e}");
                    return 2;
                }
            }
        }
    };
    let mut report = match openapi_diff::diff(&old, &new) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    report.allow(&allow);
    print!("{}", openapi_diff::format::render(&report, args.format));
    if report.blocking() > 0 {
        1
    } else {
        0
    }
}

/// Reads an OpenAPI document (JSON) for `openapi diff`.
#[cfg(feature = "openapi-diff")]
fn read_document(
    path: &std::path::Path,
    side: crate::openapi_diff::Side,
) -> Result<serde_json::Value, String> {
    let shown = path.display();
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read {shown}: {e}"))?
        .len();
    if size > MAX_DOCUMENT_BYTES {
        return Err(format!(
            "{shown} is {size} bytes, more than the {MAX_DOCUMENT_BYTES} `openapi diff` reads"
        ));
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    let doc: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{shown} is not a JSON document: {e}"))?;
    crate::openapi_diff::check_document(&doc, side).map_err(|e| format!("{shown}: {e}"))?;
    Ok(doc)
}

fn pretty(doc: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(doc).expect("a JSON value serializes");
    s.push('\n');
    s
}

/// Prints the document, writes it to `out`, or compares it with `check`.
fn write_or_check(
    doc: Result<String, crate::app::StartupError>,
    out: Option<PathBuf>,
    check: Option<PathBuf>,
    command: &str,
) -> i32 {
    let regenerate = check
        .as_ref()
        .map(|p| format!("{command} --out {}", p.display()));
    write_or_check_as(doc, out, check, regenerate.as_deref().unwrap_or(command))
}

/// [`write_or_check`], `regenerate` being the command that rewrites a stale file.
fn write_or_check_as(
    doc: Result<String, crate::app::StartupError>,
    out: Option<PathBuf>,
    check: Option<PathBuf>,
    regenerate: &str,
) -> i32 {
    let doc = match doc {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: the app cannot start:\n{e}");
            return 1;
        }
    };
    if let Some(path) = check {
        let committed = match std::fs::read_to_string(&path) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", path.display());
                return 1;
            }
        };
        let same = serde_json::from_str::<serde_json::Value>(&committed)
            .map(|v| v == serde_json::from_str::<serde_json::Value>(&doc).unwrap_or_default())
            .unwrap_or(false);
        if same {
            println!("{} is up to date", path.display());
            return 0;
        }
        eprintln!(
            "{} is stale: regenerate it with `{regenerate}`\n",
            path.display()
        );
        eprint!(
            "{}",
            stale_diff::unified(
                &committed,
                &doc,
                &format!("{} (committed)", path.display()),
                "generated"
            )
        );
        return 1;
    }
    if let Some(path) = out {
        if let Err(e) = std::fs::write(&path, doc) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return 1;
        }
        println!("wrote {}", path.display());
        return 0;
    }
    print!("{doc}");
    0
}

fn serve(app: App, args: ServeArgs) -> i32 {
    init_tracing();
    let app = match &args.root_path {
        Some(p) => app.root_path(p),
        None => app,
    };
    let app = match args.drain_seconds {
        Some(s) => app.drain_period(std::time::Duration::from_secs(s)),
        None => app,
    };
    let addr = SocketAddr::new(args.host, args.port);
    // A socket handed over by `dev` (or systemd, systemfd): serve on it instead of binding.
    #[cfg(all(feature = "dev", unix))]
    match crate::dev::inherited() {
        Ok(Some(inherited)) => {
            let instead = format!("use {MULTI_THREADED}");
            let served = block_on(crate::dev::serve_inherited(app, inherited), &instead);
            return exit_status(served);
        }
        Ok(None) => {}
        Err(e) => {
            eprintln!("error: the listening socket handed over (LISTEN_FDS): {e}");
            return 1;
        }
    }
    let instead =
        format!("serve with `app.serve(\"{addr}\").await` instead (or use {MULTI_THREADED})");
    exit_status(block_on(app.serve(addr), &instead))
}

const MULTI_THREADED: &str = "`#[tokio::main]`, which is multi-threaded";

fn exit_status(served: Result<std::io::Result<()>, i32>) -> i32 {
    match served {
        Ok(Ok(())) => 0,
        Ok(Err(e)) => {
            eprintln!("error: {e}");
            1
        }
        Err(code) => code,
    }
}

/// Runs `work` to its end from the command line: on this thread when called from inside a
/// multi-threaded runtime (`App::run()` in `#[tokio::main]`), else on a new runtime. A
/// single-threaded runtime cannot be blocked: that is an error (exit status 1).
/// `instead` says what to do then.
fn block_on<F: Future>(work: F, instead: &str) -> Result<F::Output, i32> {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) => match handle.runtime_flavor() {
            tokio::runtime::RuntimeFlavor::MultiThread => {
                Ok(tokio::task::block_in_place(|| handle.block_on(work)))
            }
            _ => {
                eprintln!(
                    "error: App::run() was called inside a single-threaded tokio runtime, which it cannot block: \
                     {instead}"
                );
                Err(1)
            }
        },
        // Through the handle: `Runtime::block_on` would also compile the single-threaded
        // scheduler's loop for `work`, some 10 KB of every binary that is never run.
        Err(_) => match tokio::runtime::Runtime::new() {
            Ok(rt) => Ok(rt.handle().block_on(work)),
            Err(e) => {
                eprintln!("error: cannot start the runtime: {e}");
                Err(1)
            }
        },
    }
}

/// Installs the default log subscriber ([`crate::logging`]): `RUST_LOG` filters (default
/// `info`), and `LOG_FORMAT=json` writes one JSON object per line for log collectors. Apps
/// may install their own subscriber first; this one is then left out.
pub fn init_tracing() {
    crate::logging::init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serve_reads_the_drain_period_from_the_flag_and_the_environment() {
        let cli = Cli::parse_from(["app", "serve", "--drain-seconds", "7"]).unwrap();
        match cli.command {
            Some(Command::Serve(args)) => assert_eq!(args.drain_seconds, Some(7)),
            other => panic!("not serve: {other:?}"),
        }
        let refused = Cli::parse_from(["app", "serve", "--drain-seconds", "soon"]);
        assert!(refused.is_err(), "a drain period is a number of seconds");
    }

    #[test]
    fn run_exits_0_for_help_and_2_for_usage_errors() {
        assert_eq!(run(App::new(), ["app", "--help"]), 0);
        assert_eq!(run(App::new(), ["app", "frobnicate"]), 2);
    }
}
