//! The password-hashing pool: argon2id at 64 MiB and ~0.1–0.2 s a hash is
//! the one cost in this service that a burst can exhaust, so it is admitted,
//! queued and computed here, apart from the request's other work.
//!
//! - A request that will hash takes a [`Place`] **first**, before any
//!   database work: when the queue is full it is refused at the cost of
//!   parsing it (no lookup, no throttle query).
//! - The queue is bounded by time, not length: a place is given while the
//!   expected wait (places ahead ÷ hashes at once × the recent time of a hash)
//!   is at most [`MAX_WAIT`], so a faster or slower machine queues more or
//!   fewer. Past it the answer is 503 with `Retry-After: 1`, given after a
//!   pause of [`REFUSAL_PAUSE`]: a client that retries at once (as a load
//!   tool does) cannot turn refusals into a storm that takes the CPU the
//!   admitted hashes need.
//! - [`AT_ONCE`] hashes run at a time on the blocking pool, each in a 64 MiB
//!   block buffer reused while a burst lasts (no fresh 64 MiB to zero and
//!   fault in per hash), and freed when the last place is given back.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};

/// How many hashes run at once (each holds 64 MiB while it runs).
pub const AT_ONCE: usize = 4;

/// The longest expected wait for which a place is still given.
pub const MAX_WAIT: Duration = Duration::from_secs(5);

/// How long a refused request waits before its 503 is sent.
pub const REFUSAL_PAUSE: Duration = Duration::from_secs(1);

static PERMITS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(AT_ONCE);
/// Places given and not yet returned (running and waiting).
static TAKEN: AtomicUsize = AtomicUsize::new(0);
/// The recent time between two hashes' ends with the pool busy (a hash's
/// wall time over the hashes running with it), in microseconds: a moving
/// average, 0 until the first hash.
static INTERVAL_MICROS: AtomicU64 = AtomicU64::new(0);
/// Block buffers free for the next hash.
static MEMORY: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());

/// Hashing is saturated: the request is refused rather than queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

/// Whether a newcomer with `ahead` places already taken may queue, when
/// hashes end every `interval_micros` with the pool busy: its wait is that
/// many ends for each request queued before it.
pub fn admits(ahead: usize, interval_micros: u64) -> bool {
    let queued = (ahead + 1).saturating_sub(AT_ONCE) as u64;
    Duration::from_micros(queued.saturating_mul(interval_micros)) <= MAX_WAIT
}

/// How many places are given at most now (running and queued).
pub fn capacity() -> usize {
    let interval = INTERVAL_MICROS.load(Ordering::Relaxed).max(1);
    AT_ONCE + (MAX_WAIT.as_micros() as u64 / interval) as usize
}

/// A place in the hashing queue, held for the whole request (a login that
/// re-hashes a bcrypt password uses it twice).
#[derive(Debug)]
pub struct Place(());

impl Place {
    /// A place, or [`Busy`] (after [`REFUSAL_PAUSE`]) when the expected wait
    /// is past [`MAX_WAIT`].
    pub async fn take() -> Result<Place, Busy> {
        let ahead = TAKEN.fetch_add(1, Ordering::AcqRel);
        if admits(ahead, INTERVAL_MICROS.load(Ordering::Relaxed)) {
            return Ok(Place(()));
        }
        TAKEN.fetch_sub(1, Ordering::AcqRel);
        tokio::time::sleep(REFUSAL_PAUSE).await;
        Err(Busy)
    }

    /// A new argon2id PHC string for `password`.
    pub async fn hash(&self, password: &str) -> Result<String, Busy> {
        let p = password.to_string();
        run(move |memory| hash_with(&p, memory)).await
    }

    /// Checks `password` against an argon2 or bcrypt hash.
    pub async fn verify(&self, password: &str, hash: &str) -> Result<Verified, Busy> {
        let (p, h) = (password.to_string(), hash.to_string());
        run(move |memory| verify_with(&p, &h, memory)).await
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        if TAKEN.fetch_sub(1, Ordering::AcqRel) == 1 {
            // The burst is over: its buffers go back to the allocator.
            if let Ok(mut free) = MEMORY.lock() {
                free.clear();
            }
        }
    }
}

/// Runs `f` with a block buffer on the blocking pool once a permit is free.
async fn run<T: Send + 'static>(
    f: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
) -> Result<T, Busy> {
    let _permit = PERMITS.acquire().await.map_err(|_| Busy)?;
    tokio::task::spawn_blocking(move || {
        let mut memory = MEMORY
            .lock()
            .ok()
            .and_then(|mut free| free.pop())
            .unwrap_or_default();
        let started = Instant::now();
        let out = f(&mut memory);
        record(started.elapsed(), AT_ONCE - PERMITS.available_permits());
        if let Ok(mut free) = MEMORY.lock() {
            if TAKEN.load(Ordering::Acquire) > 1 && free.len() < AT_ONCE {
                free.push(memory);
            }
        }
        out
    })
    .await
    .map_err(|_| Busy)
}

/// Folds one hash's wall time, with `running` hashes at the time, into the
/// moving average of the interval between ends (weight 1/8).
fn record(took: Duration, running: usize) {
    let sample = (took.as_micros() / running.max(1) as u128).min(u64::MAX as u128) as u64;
    let _ = INTERVAL_MICROS.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |old| {
        Some(if old == 0 {
            sample
        } else {
            old - old / 8 + sample / 8
        })
    });
}

/// A hash computed on this thread at once (start-up), its time recorded.
pub fn hash_now(password: &str) -> String {
    let started = Instant::now();
    let made = hash_with(password, &mut Vec::new());
    record(started.elapsed(), 1);
    made
}

/// argon2-cffi's defaults: 64 MiB, 3 passes, 4 lanes, 32-byte hash.
pub fn params() -> Params {
    Params::new(65536, 3, 4, Some(32)).expect("valid argon2 parameters")
}

/// `memory` grown (never shrunk) to `blocks`.
fn blocks(memory: &mut Vec<Block>, blocks: usize) -> &mut [Block] {
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    &mut memory[..blocks]
}

/// How a stored hash answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verified {
    /// Wrong password (or an unreadable hash).
    No,
    /// Right, and the hash is current.
    Yes,
    /// Right, but the hash is bcrypt: re-hash it with argon2.
    YesRehash,
}

/// A new argon2id PHC string for `password` (16-byte random salt), computed
/// in `memory`.
pub fn hash_with(password: &str, memory: &mut Vec<Block>) -> String {
    let params = params();
    let salt = argon2::password_hash::generate_salt();
    let mut out = [0u8; 32];
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let made = argon
        .hash_password_into_with_memory(
            password.as_bytes(),
            &salt,
            &mut out,
            blocks(memory, params.block_count()),
        )
        .ok()
        .and_then(|()| {
            Some(PasswordHash {
                algorithm: Algorithm::Argon2id.ident(),
                version: Some(Version::V0x13.into()),
                params: ParamsString::try_from(&params).ok()?,
                salt: Some(Salt::new(&salt).ok()?),
                hash: Some(Output::new(&out).ok()?),
            })
        });
    made.map(|h| h.to_string()).unwrap_or_default()
}

/// Checks `password` against an argon2 or bcrypt hash, computing in `memory`.
pub fn verify_with(password: &str, hash: &str, memory: &mut Vec<Block>) -> Verified {
    if hash.starts_with("$2") {
        return match bcrypt::verify(password, hash) {
            Ok(true) => Verified::YesRehash,
            _ => Verified::No,
        };
    }
    let Ok(stored) = PasswordHash::new(hash) else {
        return Verified::No;
    };
    let (Some(salt), Some(expected)) = (&stored.salt, &stored.hash) else {
        return Verified::No;
    };
    let (Ok(algorithm), Ok(params)) = (
        Algorithm::try_from(stored.algorithm.as_str()),
        Params::try_from(&stored),
    ) else {
        return Verified::No;
    };
    let version = match stored.version.map(Version::try_from) {
        None => Version::default(),
        Some(Ok(v)) => v,
        Some(Err(_)) => return Verified::No,
    };
    let mut out = vec![0u8; expected.len()];
    let argon = Argon2::new(algorithm, version, params.clone());
    let computed = argon
        .hash_password_into_with_memory(
            password.as_bytes(),
            salt,
            &mut out,
            blocks(memory, params.block_count()),
        )
        .ok()
        .and_then(|()| Output::new(&out).ok());
    // `Output`'s equality is constant-time.
    match computed {
        Some(c) if c == *expected => Verified::Yes,
        _ => Verified::No,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::{PasswordHasher, PasswordVerifier};

    #[test]
    fn hashes_made_here_and_by_the_library_verify_both_ways() {
        let mut memory = Vec::new();
        let ours = hash_with("secret one", &mut memory);
        assert!(
            ours.starts_with("$argon2id$v=19$m=65536,t=3,p=4$"),
            "{ours}"
        );
        let library = Argon2::new(Algorithm::Argon2id, Version::V0x13, params());
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(library.verify_password(b"secret one", &parsed).is_ok());
        assert!(library.verify_password(b"secret two", &parsed).is_err());
        let theirs = library.hash_password(b"secret two").unwrap().to_string();
        // The same buffer, reused, for every check.
        assert_eq!(
            verify_with("secret two", &theirs, &mut memory),
            Verified::Yes
        );
        assert_eq!(
            verify_with("secret one", &theirs, &mut memory),
            Verified::No
        );
        assert_eq!(verify_with("secret one", &ours, &mut memory), Verified::Yes);
        assert_eq!(verify_with("", &ours, &mut memory), Verified::No);
    }

    #[test]
    fn other_parameters_and_unreadable_hashes() {
        let mut memory = Vec::new();
        // argon2i, smaller memory, 2 lanes, a 16-byte output: read from the string.
        let small = Params::new(1024, 2, 2, Some(16)).unwrap();
        let other = Argon2::new(Algorithm::Argon2i, Version::V0x13, small)
            .hash_password(b"pw")
            .unwrap()
            .to_string();
        assert_eq!(verify_with("pw", &other, &mut memory), Verified::Yes);
        assert_eq!(verify_with("px", &other, &mut memory), Verified::No);
        for bad in [
            "",
            "$argon2id$",
            "plain",
            "$argon2id$v=99$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
        ] {
            assert_eq!(verify_with("pw", bad, &mut memory), Verified::No, "{bad}");
        }
        let bcrypt = bcrypt::hash("pw", 4).unwrap();
        assert_eq!(verify_with("pw", &bcrypt, &mut memory), Verified::YesRehash);
        assert_eq!(verify_with("px", &bcrypt, &mut memory), Verified::No);
    }

    #[test]
    fn admission_is_by_expected_wait() {
        // Free permits: always.
        for ahead in 0..AT_ONCE {
            assert!(admits(ahead, u64::MAX));
        }
        // Before any hash was timed, a full pool still queues.
        assert!(admits(1000, 0));
        let interval = 100_000; // a hash ends every 0.1 s
        let queued = (MAX_WAIT.as_micros() as u64 / interval) as usize; // 50
        assert!(admits(AT_ONCE - 1 + queued, interval));
        assert!(!admits(AT_ONCE + queued, interval));
        // Twice as slow: half the queue.
        assert!(admits(AT_ONCE - 1 + queued / 2, 2 * interval));
        assert!(!admits(AT_ONCE + queued / 2, 2 * interval));
    }
}
