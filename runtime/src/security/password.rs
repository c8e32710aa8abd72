//! Password hashing with Argon2id (the `argon2` crate, PHC string format).
//!
//! Hashing is deliberately slow (tens of milliseconds) and takes 19 MiB of memory, so the
//! async functions run it on tokio's blocking pool, at most one hash per CPU at a time:
//! a flood of login attempts queues there instead of stalling every other request or
//! holding a hash's memory per attempt.
//!
//! ```
//! use ferrapi::security::password::{hash_password, verify_password};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let hash = hash_password("wonderland").await.unwrap();
//! assert!(hash.starts_with("$argon2id$"));
//! assert!(verify_password("wonderland", &hash).await);
//! assert!(!verify_password("looking-glass", &hash).await);
//! assert!(!verify_password("wonderland", "not a hash").await);
//! # });
//! ```
//!
//! Where no runtime runs (building state before serving), the `_blocking` variants do the
//! same work on the calling thread.

use std::sync::OnceLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use tokio::sync::Semaphore;

/// At most this many hashes run at once (the number of CPUs).
pub fn max_concurrent_hashes() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn slots() -> &'static Semaphore {
    static SLOTS: OnceLock<Semaphore> = OnceLock::new();
    SLOTS.get_or_init(|| Semaphore::new(max_concurrent_hashes()))
}

/// Runs `work` on the blocking pool once a hashing slot is free.
async fn off_the_workers<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let _slot = slots()
        .acquire()
        .await
        .expect("the semaphore is never closed");
    match tokio::task::spawn_blocking(work).await {
        Ok(value) => value,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// Hashes a password with a fresh random salt (Argon2id, the crate's recommended
/// parameters), on the blocking pool.
pub async fn hash_password(password: &str) -> Result<String, String> {
    let password = password.to_string();
    off_the_workers(move || hash_password_blocking(&password)).await
}

/// Checks a password against a stored hash (in constant time), on the blocking pool; a
/// malformed hash never matches.
pub async fn verify_password(password: &str, hash: &str) -> bool {
    let (password, hash) = (password.to_string(), hash.to_string());
    off_the_workers(move || verify_password_blocking(&password, &hash)).await
}

/// [`hash_password`] on the calling thread: for set-up code outside a runtime. In a handler
/// it would stall the worker thread for the whole hash.
pub fn hash_password_blocking(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// [`verify_password`] on the calling thread: for set-up code outside a runtime.
pub fn verify_password_blocking(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    fn current_thread() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    /// With every hash on the blocking pool, a task on the (single) async thread keeps
    /// ticking while 8 wrong passwords are checked; had they run on that thread, it would
    /// have stopped for at least one whole hash at a time.
    #[test]
    fn hashing_leaves_the_async_thread_free() {
        let hash = hash_password_blocking("secret").unwrap();
        let started = Instant::now();
        assert!(!verify_password_blocking("guess", &hash));
        let one_hash = started.elapsed();

        let longest_gap = current_thread().block_on(async {
            let stop = Arc::new(AtomicBool::new(false));
            let s = stop.clone();
            let ticker = tokio::spawn(async move {
                let mut longest = Duration::ZERO;
                let mut last = Instant::now();
                while !s.load(Ordering::Relaxed) {
                    tokio::task::yield_now().await;
                    longest = longest.max(last.elapsed());
                    last = Instant::now();
                }
                longest
            });
            let attempts: Vec<_> = (0..8)
                .map(|i| {
                    let hash = hash.clone();
                    tokio::spawn(async move { verify_password(&format!("guess {i}"), &hash).await })
                })
                .collect();
            for a in attempts {
                assert!(!a.await.unwrap());
            }
            assert!(verify_password("secret", &hash).await);
            stop.store(true, Ordering::Relaxed);
            ticker.await.unwrap()
        });
        assert!(
            longest_gap < one_hash * 3 / 4,
            "the async thread stalled {longest_gap:?}; one hash takes {one_hash:?}"
        );
    }

    /// However many attempts arrive, at most one hash per CPU runs at a time.
    #[test]
    fn hashing_is_bounded() {
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        current_thread().block_on(async {
            let jobs: Vec<_> = (0..32)
                .map(|_| {
                    let (running, peak) = (running.clone(), peak.clone());
                    tokio::spawn(off_the_workers(move || {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(5));
                        running.fetch_sub(1, Ordering::SeqCst);
                    }))
                })
                .collect();
            for j in jobs {
                j.await.unwrap();
            }
        });
        let peak = peak.load(Ordering::SeqCst);
        assert!(
            peak >= 1 && peak <= max_concurrent_hashes(),
            "{peak} at once"
        );
    }
}
