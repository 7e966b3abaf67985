//! Password hashing: argon2id for new hashes, bcrypt for legacy ones (spec README "Passwords").
//!
//! Hashing is deliberately slow, so every hash and check runs on tokio's blocking pool, and at
//! most `concurrency` of them run at once: the permit is taken before the work is spawned and is
//! held by the blocking task itself, so a caller that gives up (a dropped request) does not free
//! a slot while its hash is still computing.

use std::sync::Arc;

use argon2::password_hash::SaltString;
use argon2::password_hash::rand_core::OsRng;
use argon2::{Algorithm, Argon2, Params, PasswordHash, Version};
use async_trait::async_trait;
use kyora_core::DomainError;
use kyora_core::account::error::operation_failed;
use kyora_core::account::ports::{PasswordCheck, PasswordHasher};
use tokio::sync::Semaphore;

use crate::config::effective_concurrency;

/// OWASP's argon2id recommendation: 19 MiB of memory, 2 passes, 1 lane.
const MEMORY_KIB: u32 = 19_456;
const PASSES: u32 = 2;
const LANES: u32 = 1;

const PARAMS: Params = match Params::new(MEMORY_KIB, PASSES, LANES, None) {
    Ok(params) => params,
    Err(_) => panic!("the OWASP argon2id parameters are valid"),
};

/// The prefixes of the bcrypt hashes that still verify (and then need re-hashing).
const BCRYPT_PREFIXES: [&str; 3] = ["$2a$", "$2b$", "$2y$"];

/// The [`PasswordHasher`] port over argon2id (new hashes) and bcrypt (legacy hashes). Clones share
/// one concurrency bound.
#[derive(Clone)]
pub struct Argon2PasswordHasher {
    permits: Arc<Semaphore>,
    concurrency: usize,
}

impl std::fmt::Debug for Argon2PasswordHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Argon2PasswordHasher")
            .field("concurrency", &self.concurrency)
            .finish()
    }
}

impl Argon2PasswordHasher {
    /// A hasher running at most `concurrency` hashes or checks at once (0 = the number of CPUs,
    /// as `auth.password_hash_concurrency` says).
    pub fn new(concurrency: usize) -> Self {
        let concurrency = effective_concurrency(concurrency);
        Self {
            permits: Arc::new(Semaphore::new(concurrency)),
            concurrency,
        }
    }

    /// How many hashes or checks may run at once.
    pub fn concurrency(&self) -> usize {
        self.concurrency
    }

    /// Runs `work` on the blocking pool once a permit is free.
    async fn run<T, F>(&self, work: F) -> Result<T, DomainError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|err| operation_failed(format!("password hashing pool closed: {err}")))?;
        tokio::task::spawn_blocking(move || {
            let result = work();
            drop(permit);
            result
        })
        .await
        .map_err(|err| operation_failed(format!("password hashing task failed: {err}")))
    }
}

fn argon2id() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, PARAMS)
}

fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    use argon2::PasswordHasher as _;
    let salt = SaltString::generate(&mut OsRng);
    Ok(argon2id()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

fn check_password(password: &str, hash: &str) -> PasswordCheck {
    use argon2::PasswordVerifier as _;
    if hash.starts_with("$argon2") {
        // The hash's own algorithm, version and parameters are used to check it.
        let matched = PasswordHash::new(hash).is_ok_and(|parsed| {
            argon2id()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        });
        if matched {
            PasswordCheck::Match
        } else {
            PasswordCheck::Mismatch
        }
    } else if BCRYPT_PREFIXES
        .iter()
        .any(|prefix| hash.starts_with(prefix))
    {
        match bcrypt::verify(password, hash) {
            Ok(true) => PasswordCheck::MatchNeedsRehash,
            Ok(false) | Err(_) => PasswordCheck::Mismatch,
        }
    } else {
        PasswordCheck::Mismatch
    }
}

#[async_trait]
impl PasswordHasher for Argon2PasswordHasher {
    async fn hash(&self, password: String) -> Result<String, DomainError> {
        self.run(move || hash_password(&password))
            .await?
            .map_err(|err| operation_failed(format!("argon2id hashing failed: {err}")))
    }

    async fn verify(&self, password: String, hash: String) -> Result<PasswordCheck, DomainError> {
        if hash.is_empty() {
            return Ok(PasswordCheck::Mismatch);
        }
        self.run(move || check_password(&password, &hash)).await
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let hasher = Argon2PasswordHasher::new(2);
        let hash = hasher.hash("correct horse".to_owned()).await.unwrap();
        assert_eq!(
            hasher
                .verify("correct horse".to_owned(), hash.clone())
                .await
                .unwrap(),
            PasswordCheck::Match
        );
        assert_eq!(
            hasher
                .verify("correct horsE".to_owned(), hash)
                .await
                .unwrap(),
            PasswordCheck::Mismatch
        );
    }

    #[tokio::test]
    async fn new_hashes_are_argon2id_phc_strings_with_the_owasp_parameters() {
        let hasher = Argon2PasswordHasher::new(1);
        let hash = hasher.hash("pa55word!".to_owned()).await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert_eq!(hash.split('$').count(), 6, "{hash}");
    }

    #[tokio::test]
    async fn the_same_password_hashes_differently_each_time() {
        let hasher = Argon2PasswordHasher::new(2);
        let first = hasher.hash("same password".to_owned()).await.unwrap();
        let second = hasher.hash("same password".to_owned()).await.unwrap();
        assert_ne!(first, second);
        let salt = |hash: &str| hash.split('$').nth(4).unwrap_or_default().to_owned();
        assert_ne!(salt(&first), salt(&second));
    }

    #[tokio::test]
    async fn a_legacy_bcrypt_hash_verifies_and_asks_for_a_rehash() {
        let hasher = Argon2PasswordHasher::new(1);
        let legacy = bcrypt::hash("old password", 4).unwrap();
        assert!(legacy.starts_with("$2b$04$"));
        assert_eq!(
            hasher
                .verify("old password".to_owned(), legacy.clone())
                .await
                .unwrap(),
            PasswordCheck::MatchNeedsRehash
        );
        assert_eq!(
            hasher
                .verify("new password".to_owned(), legacy)
                .await
                .unwrap(),
            PasswordCheck::Mismatch
        );
    }

    #[tokio::test]
    async fn the_2a_and_2y_bcrypt_variants_verify_too() {
        let hasher = Argon2PasswordHasher::new(1);
        let legacy = bcrypt::hash("old password", 4).unwrap();
        for prefix in ["$2a$", "$2y$"] {
            let variant = format!("{prefix}{}", &legacy[4..]);
            assert_eq!(
                hasher
                    .verify("old password".to_owned(), variant)
                    .await
                    .unwrap(),
                PasswordCheck::MatchNeedsRehash,
                "{prefix}"
            );
        }
    }

    #[tokio::test]
    async fn empty_and_malformed_hashes_are_mismatches_not_errors() {
        let hasher = Argon2PasswordHasher::new(1);
        for hash in [
            "",
            "garbage",
            "$argon2id$v=19$m=19456,t=2,p=1$notbase64!$alsonot",
            "$argon2id$",
            "$2b$04$tooshort",
            "$2b$99$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz01234",
            "plaintext-password",
        ] {
            assert_eq!(
                hasher
                    .verify("plaintext-password".to_owned(), hash.to_owned())
                    .await,
                Ok(PasswordCheck::Mismatch),
                "{hash:?}"
            );
        }
    }

    #[test]
    fn zero_concurrency_means_the_number_of_cpus() {
        let cpus = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        assert_eq!(Argon2PasswordHasher::new(0).concurrency(), cpus);
        assert_eq!(Argon2PasswordHasher::new(3).concurrency(), 3);
    }

    async fn max_in_flight(concurrency: usize, jobs: usize) -> usize {
        let hasher = Argon2PasswordHasher::new(concurrency);
        let in_flight = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let mut handles = Vec::new();
        for _ in 0..jobs {
            let hasher = hasher.clone();
            let in_flight = Arc::clone(&in_flight);
            let peak = Arc::clone(&peak);
            handles.push(tokio::spawn(async move {
                hasher
                    .run(move || {
                        let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(30));
                        in_flight.fetch_sub(1, Ordering::SeqCst);
                    })
                    .await
                    .unwrap();
            }));
        }
        for handle in handles {
            handle.await.unwrap();
        }
        peak.load(Ordering::SeqCst)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_more_than_the_configured_number_of_hashes_run_at_once() {
        assert_eq!(max_in_flight(1, 6).await, 1);
        let peak = max_in_flight(2, 8).await;
        assert!(peak <= 2, "peak {peak}");
        assert!(peak >= 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn hashing_and_checking_wait_for_a_free_slot() {
        let hasher = Argon2PasswordHasher::new(1);
        let hash = bcrypt::hash("queued", 4).unwrap();
        let held = Arc::clone(&hasher.permits).acquire_owned().await.unwrap();

        let blocked_check = tokio::time::timeout(
            Duration::from_millis(300),
            hasher.verify("queued".to_owned(), hash.clone()),
        )
        .await;
        assert!(blocked_check.is_err(), "the check ran without a slot");
        let blocked_hash =
            tokio::time::timeout(Duration::from_millis(300), hasher.hash("queued".to_owned()))
                .await;
        assert!(blocked_hash.is_err(), "the hash ran without a slot");

        drop(held);
        assert_eq!(
            hasher.verify("queued".to_owned(), hash).await,
            Ok(PasswordCheck::MatchNeedsRehash)
        );
        assert_eq!(hasher.permits.available_permits(), 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn an_abandoned_hash_keeps_its_slot_until_it_finishes() {
        let hasher = Argon2PasswordHasher::new(1);
        let first_done = Arc::new(AtomicBool::new(false));
        let seen_by_second = Arc::new(Mutex::new(None));

        let abandoned = {
            let hasher = hasher.clone();
            let first_done = Arc::clone(&first_done);
            tokio::spawn(async move {
                hasher
                    .run(move || {
                        std::thread::sleep(Duration::from_millis(200));
                        first_done.store(true, Ordering::SeqCst);
                    })
                    .await
            })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        abandoned.abort();

        let seen = Arc::clone(&seen_by_second);
        let done = Arc::clone(&first_done);
        hasher
            .run(move || {
                *seen.lock().unwrap() = Some(done.load(Ordering::SeqCst));
            })
            .await
            .unwrap();
        assert_eq!(*seen_by_second.lock().unwrap(), Some(true));
    }
}
