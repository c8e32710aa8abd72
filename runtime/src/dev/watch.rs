//! What `dev` watches, what it ignores, and how a burst of file events becomes one rebuild.
//!
//! Each package is watched in two parts: its `src/` folder, recursively, and its manifest
//! folder alone (not recursively), for `Cargo.toml` and `build.rs`. The package folder is
//! never watched recursively, so `target/` and every other folder beside `src/` are never
//! watched at all; inside `src/`, hidden files and folders (`.git`, `.foo.rs.swp`) and
//! editors' backup and scratch files are ignored.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

/// Whether a change at `path` is a change to the sources of the package in `package`
/// (its manifest folder): a file below `src/` that is neither hidden, nor in a hidden or
/// `target` folder, nor an editor's scratch file; or `Cargo.toml` or `build.rs` beside
/// `src/`.
pub(crate) fn is_source(package: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(package) else {
        return false;
    };
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(part) => parts.push(part),
            _ => return false,
        }
    }
    match parts.as_slice() {
        [file] => *file == "Cargo.toml" || *file == "build.rs",
        [src, rest @ ..] if *src == "src" && !rest.is_empty() => {
            let (file, folders) = rest.split_last().expect("not empty");
            folders.iter().all(|f| !is_hidden(f) && *f != "target") && !is_scratch(file)
        }
        _ => false,
    }
}

fn is_hidden(name: &OsStr) -> bool {
    name.as_encoded_bytes().starts_with(b".")
}

/// Files editors write next to the one being edited: hidden ones (Vim's `.x.rs.swp`,
/// Emacs' `.#x.rs` locks), backups (`x.rs~`, `x.rs.bak`, `x.rs.orig`), Emacs' `#x.rs#`,
/// Vim's write test `4913`, JetBrains' `x.rs___jb_tmp___`, and `*.tmp`/`*.swp` files.
fn is_scratch(name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || [".swp", ".swo", ".swx", ".tmp", ".bak", ".orig"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

/// Whether an event of this kind can change what a build produces. Reads (`open`,
/// closing a file opened for reading) are not changes: the compiler reading the sources
/// would otherwise start the next build.
pub(crate) fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Any | EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => true,
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Other => false,
    }
}

/// Turns a burst of events (an editor's save is several; so is `git checkout`) into one
/// batch: a batch is due `quiet` after its last event, or `longest` after its first when
/// events never stop (a file rewritten every 100 ms still rebuilds).
#[derive(Debug)]
pub(crate) struct Debounce {
    quiet: Duration,
    longest: Duration,
    first: Option<Instant>,
    last: Option<Instant>,
    paths: BTreeSet<PathBuf>,
}

/// A due batch of changes.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Batch {
    /// When the first change of the batch was seen.
    pub(crate) since: Instant,
    /// The changed paths, sorted.
    pub(crate) paths: Vec<PathBuf>,
}

impl Debounce {
    /// A debouncer with these two delays.
    pub(crate) fn new(quiet: Duration, longest: Duration) -> Self {
        Debounce {
            quiet,
            longest,
            first: None,
            last: None,
            paths: BTreeSet::new(),
        }
    }

    /// Records a change seen at `now`.
    pub(crate) fn push(&mut self, path: PathBuf, now: Instant) {
        self.first.get_or_insert(now);
        self.last = Some(now);
        self.paths.insert(path);
    }

    /// When the pending batch is due; `None` when nothing is pending.
    pub(crate) fn due_at(&self) -> Option<Instant> {
        Some((self.last? + self.quiet).min(self.first? + self.longest))
    }

    /// The pending batch if it is due at `now`.
    pub(crate) fn take_due(&mut self, now: Instant) -> Option<Batch> {
        if self.due_at()? > now {
            return None;
        }
        self.last = None;
        Some(Batch {
            since: self
                .first
                .take()
                .expect("a pending batch has a first change"),
            paths: std::mem::take(&mut self.paths).into_iter().collect(),
        })
    }
}

/// The watched packages. Changes to their sources are sent, one path at a time, on the
/// channel given to [`Sources::new`].
pub(crate) struct Sources {
    watcher: RecommendedWatcher,
    packages: Arc<Mutex<Vec<PathBuf>>>,
}

impl Sources {
    /// A watcher that sends on `changes` (from notify's own thread).
    pub(crate) fn new(
        changes: tokio::sync::mpsc::UnboundedSender<PathBuf>,
    ) -> notify::Result<Self> {
        let packages: Arc<Mutex<Vec<PathBuf>>> = Arc::default();
        let watched = packages.clone();
        let watcher = notify::recommended_watcher(move |event: notify::Result<Event>| {
            let Ok(event) = event else { return };
            let packages = watched.lock().unwrap_or_else(|e| e.into_inner());
            if event.need_rescan() {
                // The kernel dropped events: assume the first package changed.
                if let Some(first) = packages.first() {
                    let _ = changes.send(first.join("src"));
                }
                return;
            }
            if !is_change(&event.kind) {
                return;
            }
            for path in event.paths {
                if packages.iter().any(|p| is_source(p, &path)) {
                    let _ = changes.send(path);
                }
            }
        })?;
        Ok(Sources { watcher, packages })
    }

    /// Watches a package (its manifest folder); `Ok(false)` when it was already watched.
    pub(crate) fn add_package(&mut self, dir: &Path) -> notify::Result<bool> {
        let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        {
            let mut packages = self.packages.lock().unwrap_or_else(|e| e.into_inner());
            if packages.contains(&dir) {
                return Ok(false);
            }
            packages.push(dir.clone());
        }
        self.watcher.watch(&dir, RecursiveMode::NonRecursive)?;
        let src = dir.join("src");
        if src.is_dir() {
            self.watcher.watch(&src, RecursiveMode::Recursive)?;
        }
        Ok(true)
    }

    /// The watched packages, in the order they were added.
    pub(crate) fn packages(&self) -> Vec<PathBuf> {
        self.packages
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, DataChange, ModifyKind, RemoveKind};

    #[test]
    fn sources_are_src_and_the_manifest() {
        let pkg = Path::new("/work/app");
        for yes in [
            "/work/app/src/main.rs",
            "/work/app/src/routes/items.rs",
            "/work/app/src/templates/page.html",
            "/work/app/Cargo.toml",
            "/work/app/build.rs",
        ] {
            assert!(is_source(pkg, Path::new(yes)), "{yes}");
        }
        for no in [
            "/work/app/target/debug/app",
            "/work/app/target/debug/.fingerprint/x",
            "/work/app/src/target/x.rs",
            "/work/app/.git/index",
            "/work/app/src/.git/HEAD",
            "/work/app/src/.hidden/x.rs",
            "/work/app/src/.main.rs.swp",
            "/work/app/src/.main.rs.swx",
            "/work/app/src/main.rs~",
            "/work/app/src/#main.rs#",
            "/work/app/src/.#main.rs",
            "/work/app/src/4913",
            "/work/app/src/main.rs___jb_tmp___",
            "/work/app/src/main.rs.bak",
            "/work/app/README.md",
            "/work/app/tests/api.rs",
            "/work/app/Cargo.lock",
            "/work/app/src",
            "/work/other/src/main.rs",
            "/work/app/src/../target/x.rs",
        ] {
            assert!(!is_source(pkg, Path::new(no)), "{no}");
        }
    }

    #[test]
    fn a_package_under_a_target_folder_is_still_watched() {
        // Only folders below the package count: the package itself may live anywhere.
        let pkg = Path::new("/work/target/dev-reload/app");
        assert!(is_source(pkg, &pkg.join("src/main.rs")));
        assert!(!is_source(pkg, &pkg.join("target/debug/app")));
    }

    #[test]
    fn reads_are_not_changes() {
        assert!(is_change(&EventKind::Modify(ModifyKind::Data(
            DataChange::Content
        ))));
        assert!(is_change(&EventKind::Create(CreateKind::File)));
        assert!(is_change(&EventKind::Remove(RemoveKind::File)));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
    }

    #[test]
    fn a_burst_is_one_batch_once_quiet() {
        let quiet = Duration::from_millis(200);
        let mut d = Debounce::new(quiet, Duration::from_secs(2));
        let t0 = Instant::now();
        assert_eq!(d.due_at(), None);
        assert_eq!(d.take_due(t0), None);
        d.push("src/main.rs".into(), t0);
        d.push("src/lib.rs".into(), t0 + Duration::from_millis(50));
        d.push("src/main.rs".into(), t0 + Duration::from_millis(100));
        assert_eq!(d.due_at(), Some(t0 + Duration::from_millis(300)));
        assert_eq!(d.take_due(t0 + Duration::from_millis(299)), None);
        let batch = d.take_due(t0 + Duration::from_millis(300)).unwrap();
        assert_eq!(batch.since, t0);
        assert_eq!(
            batch.paths,
            vec![PathBuf::from("src/lib.rs"), PathBuf::from("src/main.rs")]
        );
        assert_eq!(d.due_at(), None);
        assert_eq!(d.take_due(t0 + Duration::from_secs(10)), None);
    }

    #[test]
    fn endless_events_still_give_a_batch() {
        let mut d = Debounce::new(Duration::from_millis(200), Duration::from_secs(1));
        let t0 = Instant::now();
        let mut now = t0;
        let mut batch = None;
        while batch.is_none() {
            d.push("src/main.rs".into(), now);
            now += Duration::from_millis(100);
            batch = d.take_due(now);
        }
        assert_eq!(now, t0 + Duration::from_secs(1));
        assert_eq!(batch.unwrap().since, t0);
    }
}
