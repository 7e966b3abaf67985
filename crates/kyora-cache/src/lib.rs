//! Kyora's cache adapters: the [`Cache`] port on memcached or in this process.
//!
//! The rule of this crate: it stores bytes under keys with TTLs and nothing else. It knows no
//! domain record; the TTL rules are the port's (`0` = never expires, clamped to 30 days), and
//! every failure to reach memcached is a [`CacheError::Unavailable`], which callers treat as best
//! effort. [`connect`] picks the adapter from [`CacheConfig`]: no host selects [`InProcessCache`],
//! one or more `host:port` select [`MemcachedCache`].

mod config;
mod in_process;
mod memcached;
mod ring;

use std::sync::Arc;

pub use config::CacheConfig;
pub use in_process::InProcessCache;
pub use kyora_core::ports::cache::{Cache, CacheError};
pub use memcached::MemcachedCache;

/// Builds the cache adapter `config` selects.
///
/// A memcached server that does not answer at start is logged, not fatal: the cache is best
/// effort and the adapter connects as soon as the server is reachable.
///
/// # Errors
/// [`CacheError::Unavailable`] when the configuration is invalid (see [`CacheConfig::validate`]).
pub async fn connect(config: &CacheConfig) -> Result<Arc<dyn Cache>, CacheError> {
    config
        .validate()
        .map_err(|why| CacheError::Unavailable(format!("invalid cache configuration: {why}")))?;
    if config.hosts.is_empty() {
        tracing::info!(
            max_entries = config.max_entries,
            "using the in-process cache"
        );
        return Ok(Arc::new(InProcessCache::new(config.max_entries)));
    }
    let cache = MemcachedCache::new(config)?;
    match cache.ping().await {
        Ok(()) => tracing::info!(hosts = ?config.hosts, "using memcached"),
        Err(err) => {
            tracing::warn!(hosts = ?config.hosts, %err, "memcached not reachable at start; will retry on use");
        }
    }
    Ok(Arc::new(cache))
}
