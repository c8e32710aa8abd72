//! Counting work in flight (background tasks, WebSocket sessions), so graceful shutdown and
//! the test client can wait for it.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

/// Counts background work in flight, so graceful shutdown and the test client can wait.
#[derive(Clone, Default)]
pub struct Tracker(Arc<TrackerInner>);

#[derive(Default)]
struct TrackerInner {
    running: AtomicUsize,
    idle: Notify,
}

impl std::fmt::Debug for Tracker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tracker")
            .field("running", &self.running())
            .finish()
    }
}

impl Tracker {
    /// How many jobs are queued or running.
    pub fn running(&self) -> usize {
        self.0.running.load(Ordering::SeqCst)
    }

    pub(crate) fn spawn(&self, fut: impl Future<Output = ()> + Send + 'static) {
        self.0.running.fetch_add(1, Ordering::SeqCst);
        let inner = self.0.clone();
        tokio::spawn(async move {
            fut.await;
            if inner.running.fetch_sub(1, Ordering::SeqCst) == 1 {
                inner.idle.notify_waiters();
            }
        });
    }

    /// Counts `fut` as running until it completes or is dropped.
    #[cfg_attr(not(feature = "websockets"), allow(dead_code))]
    pub(crate) fn track<F: Future<Output = ()>>(&self, fut: F) -> impl Future<Output = ()> {
        struct Running(Arc<TrackerInner>);
        impl Drop for Running {
            fn drop(&mut self) {
                if self.0.running.fetch_sub(1, Ordering::SeqCst) == 1 {
                    self.0.idle.notify_waiters();
                }
            }
        }
        self.0.running.fetch_add(1, Ordering::SeqCst);
        let running = Running(self.0.clone());
        async move {
            fut.await;
            drop(running);
        }
    }

    /// Waits until no job is queued or running, for at most `limit`; true when idle.
    pub async fn wait_idle(&self, limit: Duration) -> bool {
        let wait = async {
            loop {
                let notified = self.0.idle.notified();
                if self.running() == 0 {
                    return;
                }
                notified.await;
            }
        };
        tokio::time::timeout(limit, wait).await.is_ok()
    }
}
