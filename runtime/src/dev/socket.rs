//! Handing the listening socket from `dev` to each server process, systemd-style, and
//! taking it on the server's side.
//!
//! The socket becomes the child's descriptor 3 (`command-fds` maps it between fork and
//! exec), with `LISTEN_FDS=1` and no `LISTEN_PID`: the parent cannot know the child's pid
//! before the exec, and listenfd, which the server reads the socket with, skips the pid
//! check when `LISTEN_PID` is absent (the convention of `systemfd --no-pid`). The parent's
//! own copy of the socket stays close-on-exec, so `cargo build` does not inherit it.
//! `FERRAPI_DEV_PARENT` names the `dev` process, so that a server whose `dev` process is
//! gone (killed with SIGKILL) stops instead of serving on alone.

use std::io;
use std::net::TcpListener;
use std::os::fd::OwnedFd;
use std::process::Command;
use std::time::Duration;

use command_fds::{CommandFdExt, FdMapping};

/// The descriptor the child finds the socket at (systemd's `SD_LISTEN_FDS_START`).
const LISTEN_FD: i32 = 3;

/// The variable naming the `dev` process, for the child to notice when it is gone.
const PARENT_VAR: &str = "FERRAPI_DEV_PARENT";

/// How often a server checks that its `dev` process is still there.
const PARENT_CHECK: Duration = Duration::from_millis(500);

/// Makes `listener` the child's descriptor 3 and says so in its environment.
pub(crate) fn hand_over(command: &mut Command, listener: &TcpListener) -> io::Result<()> {
    let fd: OwnedFd = listener.try_clone()?.into();
    command
        .fd_mappings(vec![FdMapping {
            parent_fd: fd,
            child_fd: LISTEN_FD,
        }])
        .map_err(io::Error::other)?;
    command
        .env("LISTEN_FDS", "1")
        .env_remove("LISTEN_PID")
        .env_remove("LISTEN_FDNAMES")
        .env_remove("LISTEN_FDS_FIRST_FD")
        .env(PARENT_VAR, std::process::id().to_string());
    Ok(())
}

/// A listening socket handed over by a parent process.
#[derive(Debug)]
pub(crate) struct Inherited {
    /// The socket.
    pub(crate) listener: TcpListener,
    /// The `dev` process that handed it over, if it was one.
    pub(crate) parent: Option<u32>,
}

/// The listening socket handed over through `LISTEN_FDS` (by `dev`, `systemfd` or
/// systemd), if any; an error when the descriptor is not a listening TCP socket.
pub(crate) fn inherited() -> io::Result<Option<Inherited>> {
    let mut fds = listenfd::ListenFd::from_env();
    if fds.len() == 0 {
        return Ok(None);
    }
    let Some(listener) = fds.take_tcp_listener(0)? else {
        return Ok(None);
    };
    let parent = std::env::var(PARENT_VAR).ok().and_then(|p| p.parse().ok());
    Ok(Some(Inherited { listener, parent }))
}

/// Resolves once `parent` (the `dev` process that handed the socket over) is gone: this
/// process then has another parent. Never resolves for `None`.
pub(crate) async fn parent_gone(parent: Option<u32>) {
    let Some(parent) = parent else {
        return std::future::pending().await;
    };
    while std::os::unix::process::parent_id() == parent {
        tokio::time::sleep(PARENT_CHECK).await;
    }
    tracing::info!("the `dev` process is gone: shutting down");
}
