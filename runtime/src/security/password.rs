//! Password hashing with Argon2id (the `argon2` crate, PHC string format).
//!
//! Hashing is deliberately slow (tens of milliseconds) and takes 19 MiB of memory, so the
//! async functions run it on dedicated threads, one per CPU: a flood of login attempts
//! queues there instead of stalling every other request, and the memory hashing uses stays
//! at one hash per CPU.
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

use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};

use std::cell::RefCell;

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

/// At most this many hashes run at once (the number of CPUs).
pub fn max_concurrent_hashes() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

type Job = Box<dyn FnOnce() + Send>;

/// The hashing threads, one per CPU, fed from one queue. Dedicated threads, rather than
/// tokio's blocking pool, keep the memory bounded: each reuses its own 19 MiB, where the
/// blocking pool's ever-new threads each left a copy in their own allocator arena (a flood
/// of log-ins grew the process by 400 MB for good).
fn hashers() -> &'static mpsc::Sender<Job> {
    static QUEUE: OnceLock<mpsc::Sender<Job>> = OnceLock::new();
    QUEUE.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..max_concurrent_hashes() {
            let rx = rx.clone();
            std::thread::Builder::new()
                .name(format!("ferrapi-hash-{i}"))
                .spawn(move || loop {
                    let job = match rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                })
                .expect("starting a password hashing thread");
        }
        tx
    })
}

/// Runs `work` on a hashing thread, waiting asynchronously for its turn and its result.
async fn off_the_workers<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
        let _ = tx.send(result);
    });
    hashers()
        .send(job)
        .expect("the hashing threads run for the life of the process");
    match rx.await.expect("a hashing job always answers") {
        Ok(value) => value,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// Hashes a password with a fresh random salt (Argon2id, the crate's recommended
/// parameters), on a hashing thread.
pub async fn hash_password(password: &str) -> Result<String, String> {
    let password = password.to_string();
    off_the_workers(move || hash_in(&password, reused_memory)).await
}

/// Checks a password against a stored hash (in constant time), on a hashing thread; a
/// malformed hash never matches.
pub async fn verify_password(password: &str, hash: &str) -> bool {
    let (password, hash) = (password.to_string(), hash.to_string());
    off_the_workers(move || verify_in(&password, &hash, reused_memory)).await
}

/// [`hash_password`] on the calling thread: for set-up code outside a runtime. In a handler
/// it would stall the worker thread for the whole hash.
pub fn hash_password_blocking(password: &str) -> Result<String, String> {
    hash_in(password, fresh_memory)
}

/// [`verify_password`] on the calling thread: for set-up code outside a runtime.
pub fn verify_password_blocking(password: &str, hash: &str) -> bool {
    verify_in(password, hash, fresh_memory)
}

/// Gives `work` Argon2's working memory of `blocks` blocks.
type Memory<T> = fn(usize, &mut dyn FnMut(&mut [Block]) -> T) -> T;

thread_local! {
    /// A hashing thread's working memory, kept from one hash to the next.
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

fn reused_memory<T>(blocks: usize, work: &mut dyn FnMut(&mut [Block]) -> T) -> T {
    MEMORY.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() < blocks {
            m.resize(blocks, Block::default());
        }
        work(&mut m[..blocks])
    })
}

fn fresh_memory<T>(blocks: usize, work: &mut dyn FnMut(&mut [Block]) -> T) -> T {
    work(&mut vec![Block::default(); blocks])
}

/// A fresh 16-byte salt from the operating system's random source.
fn random_salt() -> SaltString {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    SaltString::encode_b64(&bytes).expect("16 bytes make a valid salt")
}

fn hash_in(password: &str, memory: Memory<argon2::Result<()>>) -> Result<String, String> {
    let salt = random_salt();
    let params = Params::default();
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt
        .as_salt()
        .decode_b64(&mut salt_bytes)
        .map_err(|e| e.to_string())?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    memory(params.block_count(), &mut |mem| {
        argon.hash_password_into_with_memory(password.as_bytes(), salt_bytes, &mut out, mem)
    })
    .map_err(|e| e.to_string())?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| e.to_string())?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| e.to_string())?),
    };
    Ok(hash.to_string())
}

fn verify_in(password: &str, hash: &str, memory: Memory<argon2::Result<()>>) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) = (
        Algorithm::try_from(parsed.algorithm),
        Params::try_from(&parsed),
    ) else {
        return false;
    };
    let version = match parsed.version.map(Version::try_from) {
        None => Version::V0x13,
        Some(Ok(v)) => v,
        Some(Err(_)) => return false,
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let argon = Argon2::new(algorithm, version, params.clone());
    let mut out = vec![0u8; expected.len()];
    let computed = memory(params.block_count(), &mut |mem| {
        argon.hash_password_into_with_memory(password.as_bytes(), salt_bytes, &mut out, mem)
    });
    // `Output` compares in constant time.
    computed.is_ok() && Output::new(&out).is_ok_and(|out| out == expected)
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
    /// have stopped for at least one whole hash at a time, 9 times. Counted, not timed
    /// once: on a loaded machine the scheduler alone can pause the thread now and then.
    #[test]
    fn hashing_leaves_the_async_thread_free() {
        let hash = hash_password_blocking("secret").unwrap();
        let started = Instant::now();
        assert!(!verify_password_blocking("guess", &hash));
        let one_hash = started.elapsed();

        let stalls = current_thread().block_on(async {
            let stop = Arc::new(AtomicBool::new(false));
            let s = stop.clone();
            let ticker = tokio::spawn(async move {
                let mut stalls = 0;
                let mut last = Instant::now();
                while !s.load(Ordering::Relaxed) {
                    tokio::task::yield_now().await;
                    if last.elapsed() >= one_hash * 3 / 4 {
                        stalls += 1;
                    }
                    last = Instant::now();
                }
                stalls
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
            stalls < 4,
            "the async thread stalled {stalls} times for 3/4 of a hash ({one_hash:?})"
        );
    }

    /// Hashes are the `argon2` crate's own PHC strings: each side verifies the other's.
    #[test]
    fn hashes_match_the_argon2_crate() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let ours = hash_password_blocking("wonderland").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default()
            .verify_password(b"wonderland", &parsed)
            .is_ok());
        assert!(Argon2::default()
            .verify_password(b"Wonderland", &parsed)
            .is_err());
        let salt = random_salt();
        let theirs = Argon2::default()
            .hash_password(b"wonderland", &salt)
            .unwrap()
            .to_string();
        assert!(verify_password_blocking("wonderland", &theirs));
        assert!(!verify_password_blocking("wonderland!", &theirs));
        // Other parameters and Argon2i still verify; malformed hashes never do.
        let argon2i = Argon2::new(
            Algorithm::Argon2i,
            Version::V0x13,
            Params::new(8 * 1024, 2, 1, Some(16)).unwrap(),
        )
        .hash_password(b"pw", &salt)
        .unwrap()
        .to_string();
        assert!(verify_password_blocking("pw", &argon2i));
        for bad in [
            "",
            "$argon2id$",
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$",
            "$md5$x",
        ] {
            assert!(!verify_password_blocking("pw", bad), "{bad}");
        }
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
