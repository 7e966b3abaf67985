use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use async_trait::async_trait;

use crate::ports::cache::{Cache, CacheError, effective_ttl};

type Entries = HashMap<String, (Vec<u8>, Option<Instant>)>;

/// An in-memory [`Cache`] with real expiry and a switch that makes it unavailable.
#[derive(Debug)]
pub struct MemoryCache {
    entries: Mutex<Entries>,
    available: AtomicBool,
}

impl Default for MemoryCache {
    fn default() -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            available: AtomicBool::new(true),
        }
    }
}

impl MemoryCache {
    /// Makes every call fail with [`CacheError::Unavailable`] (or succeed again).
    pub fn set_available(&self, available: bool) {
        self.available.store(available, Ordering::SeqCst);
    }

    fn check(&self) -> Result<(), CacheError> {
        if self.available.load(Ordering::SeqCst) {
            Ok(())
        } else {
            Err(CacheError::Unavailable("memory cache switched off".into()))
        }
    }

    fn live(&self) -> std::sync::MutexGuard<'_, Entries> {
        let mut entries = self
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        entries.retain(|_, (_, expires)| expires.is_none_or(|at| at > now));
        entries
    }

    fn expiry(ttl: Duration) -> Option<Instant> {
        let ttl = effective_ttl(ttl);
        (!ttl.is_zero()).then(|| Instant::now() + ttl)
    }
}

#[async_trait]
impl Cache for MemoryCache {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError> {
        self.check()?;
        Ok(self.live().get(key).map(|(value, _)| value.clone()))
    }

    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), CacheError> {
        self.check()?;
        self.live()
            .insert(key.to_owned(), (value.to_vec(), Self::expiry(ttl)));
        Ok(())
    }

    async fn add(&self, key: &str, value: &[u8], ttl: Duration) -> Result<bool, CacheError> {
        self.check()?;
        let mut entries = self.live();
        if entries.contains_key(key) {
            return Ok(false);
        }
        entries.insert(key.to_owned(), (value.to_vec(), Self::expiry(ttl)));
        Ok(true)
    }

    async fn delete(&self, key: &str) -> Result<(), CacheError> {
        self.check()?;
        self.live().remove(key);
        Ok(())
    }

    async fn ping(&self) -> Result<(), CacheError> {
        self.check()
    }
}
