//! The server process: the freshly built binary run with `serve` on the socket `dev`
//! hands over, and stopping it (SIGTERM, then SIGKILL after a grace period).

use std::io;
use std::net::TcpListener;
use std::path::Path;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;

use super::socket;

/// A running server process.
#[derive(Debug)]
pub(crate) struct Server {
    child: tokio::process::Child,
}

impl Server {
    /// Runs `executable serve` with `listener` handed over. The server shares the
    /// terminal (its logs appear there; Ctrl-C reaches it too) but not standard input.
    pub(crate) fn spawn(executable: &Path, listener: &TcpListener) -> io::Result<Server> {
        let mut command = std::process::Command::new(executable);
        command.arg("serve").stdin(Stdio::null());
        socket::hand_over(&mut command, listener)?;
        let mut command = tokio::process::Command::from(command);
        // The last resort, if `dev` itself unwinds: never leave a server behind.
        command.kill_on_drop(true);
        Ok(Server {
            child: command.spawn()?,
        })
    }

    /// Resolves when the server exits on its own.
    pub(crate) async fn exited(&mut self) -> io::Result<ExitStatus> {
        self.child.wait().await
    }

    /// Asks the server to stop (SIGTERM: it finishes the requests in flight), and kills it
    /// when it has not exited after `grace`.
    pub(crate) async fn stop(mut self, grace: Duration) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        if let Some(pid) = self.child.id().and_then(|id| i32::try_from(id).ok()) {
            let _ = kill(Pid::from_raw(pid), Signal::SIGTERM);
        }
        if tokio::time::timeout(grace, self.child.wait())
            .await
            .is_err()
        {
            eprintln!(
                "ferrapi dev: the server did not stop within {} s: killing it",
                grace.as_secs_f32()
            );
            let _ = self.child.kill().await;
        }
    }
}
