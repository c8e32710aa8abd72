//! Giving memory back after a burst of connections.
//!
//! Each connection's buffers are freed when it closes, but glibc's allocator keeps freed
//! memory for reuse, so a server that once held 256 connections stays that large while
//! idle. When the last connection of a burst closes, the server asks the allocator to
//! return its free memory to the system (`malloc_trim`), on a blocking thread. Other
//! allocators (musl, jemalloc, mimalloc) return memory on their own; there this is a no-op.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A burst is this many connections open at once; fewer are not worth a trim.
const BURST: usize = 32;

/// Counts open connections and the most open at once since the last trim.
#[derive(Clone, Default)]
pub(crate) struct OpenConnections(Arc<Counts>);

#[derive(Default)]
struct Counts {
    open: AtomicUsize,
    peak: AtomicUsize,
}

impl OpenConnections {
    /// A connection was accepted.
    pub(crate) fn opened(&self) {
        let now = self.0.open.fetch_add(1, Ordering::Relaxed) + 1;
        self.0.peak.fetch_max(now, Ordering::Relaxed);
    }

    /// A connection closed; the last one of a burst gives the memory back.
    pub(crate) fn closed(&self) {
        if self.0.open.fetch_sub(1, Ordering::Relaxed) == 1
            && self.0.peak.swap(0, Ordering::Relaxed) >= BURST
        {
            tokio::task::spawn_blocking(release_free_memory);
        }
    }
}

/// Returns the allocator's free memory to the system, where the allocator keeps it.
#[allow(unsafe_code)] // the crate's one unsafe block: an FFI call with no arguments to check
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory; it is safe to call at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_end_of_a_burst_counts() {
        let c = OpenConnections::default();
        for _ in 0..BURST {
            c.opened();
        }
        assert_eq!(c.0.peak.load(Ordering::Relaxed), BURST);
        for _ in 0..BURST - 1 {
            c.closed();
        }
        assert_eq!(
            c.0.peak.load(Ordering::Relaxed),
            BURST,
            "not the last one yet"
        );
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(async { c.closed() });
        assert_eq!(c.0.peak.load(Ordering::Relaxed), 0, "the burst ended");
        c.opened();
        rt.block_on(async { c.closed() });
        assert_eq!(c.0.open.load(Ordering::Relaxed), 0);
    }
}
