//! The in-process cache on moka: the default when no memcached host is configured. Entries live
//! in this process only, so several server instances do not share tokens or throttle state.

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use kyora_core::ports::cache::{Cache, CacheError, effective_ttl};
use moka::Expiry;
use moka::future::Cache as MokaCache;

#[derive(Debug, Clone)]
struct Stored {
    value: Arc<[u8]>,
    /// `None` = never expires.
    ttl: Option<Duration>,
}

impl Stored {
    fn new(value: &[u8], ttl: Duration) -> Self {
        let ttl = effective_ttl(ttl);
        Self {
            value: Arc::from(value),
            ttl: (!ttl.is_zero()).then_some(ttl),
        }
    }
}

/// Every entry expires after its own TTL, counted from its latest write; reads do not extend it.
struct PerEntryTtl;

impl Expiry<String, Stored> for PerEntryTtl {
    fn expire_after_create(&self, _: &String, value: &Stored, _: Instant) -> Option<Duration> {
        value.ttl
    }

    fn expire_after_update(
        &self,
        _: &String,
        value: &Stored,
        _: Instant,
        _: Option<Duration>,
    ) -> Option<Duration> {
        value.ttl
    }
}

/// A [`Cache`] held in this process's memory, bounded by a number of entries (least recently
/// used entries are evicted first when full). It never fails.
#[derive(Clone)]
pub struct InProcessCache {
    entries: MokaCache<String, Stored>,
}

impl std::fmt::Debug for InProcessCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InProcessCache")
            .field("entries", &self.entries.entry_count())
            .finish()
    }
}

impl InProcessCache {
    /// A cache holding at most `max_entries` entries.
    pub fn new(max_entries: u64) -> Self {
        Self {
            entries: MokaCache::builder()
                .max_capacity(max_entries)
                .expire_after(PerEntryTtl)
                .build(),
        }
    }

    /// The number of live entries, once pending evictions and expirations have been applied.
    pub async fn entry_count(&self) -> u64 {
        self.entries.run_pending_tasks().await;
        self.entries.entry_count()
    }
}

#[async_trait]
impl Cache for InProcessCache {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError> {
        Ok(self.entries.get(key).await.map(|s| s.value.to_vec()))
    }

    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), CacheError> {
        self.entries
            .insert(key.to_owned(), Stored::new(value, ttl))
            .await;
        Ok(())
    }

    async fn add(&self, key: &str, value: &[u8], ttl: Duration) -> Result<bool, CacheError> {
        let stored = Stored::new(value, ttl);
        let entry = self
            .entries
            .entry_by_ref(key)
            .or_insert_with(async move { stored })
            .await;
        Ok(entry.is_fresh())
    }

    async fn delete(&self, key: &str) -> Result<(), CacheError> {
        self.entries.invalidate(key).await;
        Ok(())
    }

    async fn ping(&self) -> Result<(), CacheError> {
        Ok(())
    }
}
