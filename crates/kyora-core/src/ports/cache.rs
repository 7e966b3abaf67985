//! The cache port: a byte store with TTLs, used for one-time tokens and throttle state.

use std::time::Duration;

use async_trait::async_trait;

/// The longest TTL a cache keeps: memcached reads larger values as absolute times, so longer
/// TTLs are clamped to this (spec 01 §2.5).
pub const MAX_TTL: Duration = Duration::from_secs(30 * 24 * 3600);

/// The TTL actually applied: zero means "never expires", anything above 30 days is clamped.
pub fn effective_ttl(ttl: Duration) -> Duration {
    ttl.min(MAX_TTL)
}

/// Cache failures. Callers treat the cache as best effort unless a flow needs the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CacheError {
    /// The cache cannot be reached or answered with an error.
    #[error("cache unavailable: {0}")]
    Unavailable(String),
}

/// A key/value cache with per-entry TTLs.
#[async_trait]
pub trait Cache: Send + Sync {
    /// Reads a value.
    ///
    /// # Errors
    /// [`CacheError::Unavailable`] when the cache cannot be reached.
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError>;

    /// Writes a value with `ttl` (zero = never expires; clamped to 30 days).
    ///
    /// # Errors
    /// [`CacheError::Unavailable`] when the cache cannot be reached.
    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), CacheError>;

    /// Writes a value only if the key is absent; `true` when it was written. Atomic.
    ///
    /// # Errors
    /// [`CacheError::Unavailable`] when the cache cannot be reached.
    async fn add(&self, key: &str, value: &[u8], ttl: Duration) -> Result<bool, CacheError>;

    /// Removes a key; removing a missing key is not an error.
    ///
    /// # Errors
    /// [`CacheError::Unavailable`] when the cache cannot be reached.
    async fn delete(&self, key: &str) -> Result<(), CacheError>;

    /// Checks that the cache answers (readiness probe).
    ///
    /// # Errors
    /// [`CacheError::Unavailable`] when it does not.
    async fn ping(&self) -> Result<(), CacheError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttls_over_thirty_days_are_clamped_and_zero_stays_forever() {
        assert_eq!(effective_ttl(Duration::ZERO), Duration::ZERO);
        assert_eq!(
            effective_ttl(Duration::from_secs(900)),
            Duration::from_secs(900)
        );
        assert_eq!(effective_ttl(Duration::from_secs(31 * 24 * 3600)), MAX_TTL);
    }
}
