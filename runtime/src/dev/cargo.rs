//! The `cargo build` that `dev` runs: which package, binary and profile to build, read from
//! the environment and from where the running binary is; and what the build reports (the
//! new executable, the local packages it was built from).
//!
//! - **The package**: `CARGO_MANIFEST_DIR` as `cargo run` sets it *when it runs the binary*
//!   (the app's package, not ferrapi's: the variable is read at run time, never with
//!   `env!`); without it (the binary started by hand), the nearest `Cargo.toml` from the
//!   current folder up.
//! - **The binary and the profile**: the running executable is
//!   `<target dir>/[<triple>/]<profile dir>/[examples/]<name>`; the target dir is the folder
//!   with cargo's `CACHEDIR.TAG`. `debug` is the dev profile, `release` `--release`, any
//!   other folder `--profile <folder>`. When the layout is not recognised, the dev profile
//!   in the default target dir.
//! - **What was built**: cargo's JSON messages on standard output (diagnostics are rendered
//!   by cargo on standard error, as usual): the artifact of the binary gives its path, and
//!   every artifact of a `path+file://` package is a local package to watch.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use tokio::io::AsyncBufReadExt;

/// What the running binary is: which target of which build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Selection {
    /// The binary's (or example's) name.
    pub(crate) name: String,
    /// Built with `cargo run --example`.
    pub(crate) example: bool,
    /// The profile's folder (`debug`, `release`, a custom profile's name); `None` when the
    /// layout was not recognised (the dev profile).
    pub(crate) profile: Option<String>,
    /// The target triple when cross-built (`target/<triple>/debug/app`).
    pub(crate) triple: Option<String>,
    /// The target dir, when recognised.
    pub(crate) target_dir: Option<PathBuf>,
}

impl Selection {
    /// Reads `exe` (the running executable); `is_target_dir` says whether a folder is a
    /// cargo target dir.
    pub(crate) fn of(exe: &Path, is_target_dir: impl Fn(&Path) -> bool) -> Option<Selection> {
        let name = exe.file_name()?.to_str()?.to_string();
        let mut dir = exe.parent()?;
        let example = dir.file_name().is_some_and(|n| n == "examples");
        if example {
            dir = dir.parent()?;
        }
        let mut selection = Selection {
            name,
            example,
            profile: None,
            triple: None,
            target_dir: None,
        };
        let profile = dir.file_name().and_then(|n| n.to_str());
        let above = dir.parent();
        if let (Some(profile), Some(above)) = (profile, above) {
            if is_target_dir(above) {
                selection.profile = Some(profile.to_string());
                selection.target_dir = Some(above.to_path_buf());
            } else if let (Some(triple), Some(root)) =
                (above.file_name().and_then(|n| n.to_str()), above.parent())
            {
                if is_target_dir(root) {
                    selection.profile = Some(profile.to_string());
                    selection.triple = Some(triple.to_string());
                    selection.target_dir = Some(root.to_path_buf());
                }
            }
        }
        Some(selection)
    }

    /// The arguments of `cargo build` that select this target and profile.
    pub(crate) fn args(&self) -> Vec<OsString> {
        let mut args: Vec<OsString> = Vec::new();
        args.push(if self.example { "--example" } else { "--bin" }.into());
        args.push(self.name.clone().into());
        match self.profile.as_deref() {
            None | Some("debug") => {}
            Some("release") => args.push("--release".into()),
            Some(other) => {
                args.push("--profile".into());
                args.push(other.into());
            }
        }
        if let Some(triple) = &self.triple {
            args.push("--target".into());
            args.push(triple.into());
        }
        if let Some(dir) = &self.target_dir {
            args.push("--target-dir".into());
            args.push(dir.into());
        }
        args
    }
}

/// How to build the running binary again.
#[derive(Debug)]
pub(crate) struct Build {
    cargo: OsString,
    package: PathBuf,
    selection: Selection,
}

/// A successful build.
#[derive(Debug)]
pub(crate) struct Built {
    /// The new executable.
    pub(crate) executable: PathBuf,
    /// The manifest folders of the local (`path`) packages it was built from, the app's
    /// own included.
    pub(crate) local_packages: BTreeSet<PathBuf>,
}

/// A build that gave no executable.
#[derive(Debug)]
pub(crate) enum BuildError {
    /// cargo said the build failed (a compile error, most often), and printed why.
    Failed,
    /// cargo could not be run, or said nothing about the executable.
    Cargo(String),
}

impl Build {
    /// The build of the running binary, from the environment (see the module's doc).
    pub(crate) fn from_env() -> Result<Build, String> {
        let package = match std::env::var_os("CARGO_MANIFEST_DIR") {
            Some(dir) => PathBuf::from(dir),
            None => {
                let cwd = std::env::current_dir()
                    .map_err(|e| format!("cannot read the current folder: {e}"))?;
                cwd.ancestors()
                    .find(|d| d.join("Cargo.toml").is_file())
                    .ok_or_else(|| {
                        format!(
                            "no Cargo.toml in {} or above it: run `dev` with `cargo run -- dev`, \
                             or from the package's folder",
                            cwd.display()
                        )
                    })?
                    .to_path_buf()
            }
        };
        let exe = std::env::current_exe()
            .map_err(|e| format!("cannot find the running executable: {e}"))?;
        let selection = Selection::of(&exe, |d| d.join("CACHEDIR.TAG").is_file())
            .ok_or_else(|| format!("cannot read a binary's name from {}", exe.display()))?;
        Ok(Build {
            cargo: std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()),
            package,
            selection,
        })
    }

    /// The package's manifest folder.
    pub(crate) fn package(&self) -> &Path {
        &self.package
    }

    /// The binary's name.
    pub(crate) fn name(&self) -> &str {
        &self.selection.name
    }

    /// Runs `cargo build`; its progress and the compiler's errors go to the terminal as
    /// cargo prints them. Dropping the future kills cargo.
    pub(crate) async fn run(&self) -> Result<Built, BuildError> {
        let mut command = tokio::process::Command::new(&self.cargo);
        command
            .arg("build")
            .arg("--manifest-path")
            .arg(self.package.join("Cargo.toml"))
            .arg("--message-format=json-render-diagnostics")
            .args(self.selection.args())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true);
        let mut child = command
            .spawn()
            .map_err(|e| BuildError::Cargo(format!("cannot run cargo: {e}")))?;
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut lines = tokio::io::BufReader::new(stdout).lines();
        let mut executable = None;
        let mut local_packages = BTreeSet::new();
        while let Ok(Some(line)) = lines.next_line().await {
            let Ok(message) = serde_json::from_str::<serde_json::Value>(&line) else {
                // Not one of cargo's messages (a tool printing on cargo's behalf): show it.
                println!("{line}");
                continue;
            };
            if message["reason"] != "compiler-artifact" {
                continue;
            }
            let local = message["package_id"]
                .as_str()
                .is_some_and(|id| id.contains("path+file://"));
            if let (true, Some(manifest)) = (local, message["manifest_path"].as_str()) {
                if let Some(dir) = Path::new(manifest).parent() {
                    local_packages.insert(dir.to_path_buf());
                }
            }
            let kind = if self.selection.example {
                "example"
            } else {
                "bin"
            };
            let this_target = message["target"]["name"] == self.selection.name.as_str()
                && message["target"]["kind"]
                    .as_array()
                    .is_some_and(|kinds| kinds.iter().any(|k| k == kind));
            if let (true, Some(path)) = (this_target, message["executable"].as_str()) {
                executable = Some(PathBuf::from(path));
            }
        }
        let status = child
            .wait()
            .await
            .map_err(|e| BuildError::Cargo(format!("cannot wait for cargo: {e}")))?;
        if !status.success() {
            return Err(BuildError::Failed);
        }
        let executable = executable.ok_or_else(|| {
            BuildError::Cargo(format!(
                "cargo built no executable named {}",
                self.selection.name
            ))
        })?;
        Ok(Built {
            executable,
            local_packages,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(exe: &str) -> Selection {
        Selection::of(Path::new(exe), |d| d == Path::new("/w/target")).unwrap()
    }

    fn args(exe: &str) -> Vec<String> {
        of(exe)
            .args()
            .into_iter()
            .map(|a| a.into_string().unwrap())
            .collect()
    }

    #[test]
    fn the_profile_comes_from_the_folder() {
        assert_eq!(
            args("/w/target/debug/app"),
            ["--bin", "app", "--target-dir", "/w/target"]
        );
        assert_eq!(
            args("/w/target/release/app"),
            ["--bin", "app", "--release", "--target-dir", "/w/target"]
        );
        assert_eq!(
            args("/w/target/profiling/app"),
            [
                "--bin",
                "app",
                "--profile",
                "profiling",
                "--target-dir",
                "/w/target"
            ]
        );
    }

    #[test]
    fn examples_and_cross_builds() {
        assert_eq!(
            args("/w/target/debug/examples/demo"),
            ["--example", "demo", "--target-dir", "/w/target"]
        );
        assert_eq!(
            args("/w/target/x86_64-unknown-linux-musl/release/app"),
            [
                "--bin",
                "app",
                "--release",
                "--target",
                "x86_64-unknown-linux-musl",
                "--target-dir",
                "/w/target"
            ]
        );
    }

    #[test]
    fn an_unknown_layout_builds_the_dev_profile() {
        assert_eq!(args("/usr/local/bin/app"), ["--bin", "app"]);
        assert_eq!(args("/release/app"), ["--bin", "app"]);
    }
}
