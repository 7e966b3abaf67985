use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;

use crate::ports::store::{ErasedOutput, ErasedWork, Store, TxOptions};
use crate::shared::error::{DomainError, RepoError};

/// Everything the in-memory store holds. Each context adds its tables as fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemoryState {
    /// A plain key/value table, used by the unit-of-work tests themselves.
    pub entries: BTreeMap<String, String>,
}

#[derive(Debug, Default)]
struct Committed {
    version: u64,
    state: MemoryState,
}

/// An in-memory [`Store`] with real transactions: work runs on a private copy that replaces the
/// committed state on `Ok` (optimistically: a concurrent commit makes the transaction fail with a
/// serialization error, which [`atomic`](crate::ports::atomic) retries) and is dropped on `Err`.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    committed: Arc<Mutex<Committed>>,
    /// The transaction's working copy, when bound to one.
    working: Option<Arc<Mutex<MemoryState>>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl MemoryStore {
    /// Runs `f` on the state this store sees: the transaction's copy, or the committed state
    /// (a single-statement write on the pool, which commits at once).
    pub fn with_state<R>(&self, f: impl FnOnce(&mut MemoryState) -> R) -> R {
        match &self.working {
            Some(working) => f(&mut lock(working)),
            None => {
                let mut committed = lock(&self.committed);
                committed.version += 1;
                f(&mut committed.state)
            }
        }
    }

    /// A copy of the committed state.
    pub fn snapshot(&self) -> MemoryState {
        lock(&self.committed).state.clone()
    }

    async fn run_once(&self, work: &mut ErasedWork<'_>) -> Result<ErasedOutput, DomainError> {
        let (version, state) = {
            let committed = lock(&self.committed);
            (committed.version, committed.state.clone())
        };
        let tx = Self {
            committed: Arc::clone(&self.committed),
            working: Some(Arc::new(Mutex::new(state))),
        };
        let output = work(&tx).await?;
        let mut committed = lock(&self.committed);
        if committed.version != version {
            return Err(RepoError::Serialization("concurrent commit".into()).into());
        }
        if let Some(working) = &tx.working {
            committed.state = lock(working).clone();
        }
        committed.version += 1;
        Ok(output)
    }
}

#[async_trait]
impl Store for MemoryStore {
    async fn run_atomic(
        &self,
        options: TxOptions,
        mut work: ErasedWork<'_>,
    ) -> Result<ErasedOutput, DomainError> {
        if let Some(working) = &self.working {
            let savepoint = lock(working).clone();
            let result = work(self).await;
            if result.is_err() {
                *lock(working) = savepoint;
            }
            return result;
        }
        let mut tries = 0;
        loop {
            match self.run_once(&mut work).await {
                Err(err) if err.is_retryable() && tries < options.retries => tries += 1,
                other => return other,
            }
        }
    }

    fn in_transaction(&self) -> bool {
        self.working.is_some()
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    async fn ping(&self) -> Result<(), RepoError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::store::atomic;
    use crate::shared::error::ErrorKind;
    use futures::FutureExt;

    fn memory(store: &dyn Store) -> &MemoryStore {
        store
            .as_any()
            .downcast_ref::<MemoryStore>()
            .expect("a memory store")
    }

    fn put(store: &dyn Store, key: &str, value: &str) {
        memory(store).with_state(|s| s.entries.insert(key.into(), value.into()));
    }

    fn get(store: &dyn Store, key: &str) -> Option<String> {
        memory(store).with_state(|s| s.entries.get(key).cloned())
    }

    fn failure() -> DomainError {
        DomainError::new(ErrorKind::Conflict, "test.failed", "the work failed")
    }

    #[tokio::test]
    async fn work_commits_on_ok() {
        let store = MemoryStore::default();
        let out = atomic(&store, TxOptions::default(), |tx| {
            async move {
                put(tx, "a", "1");
                put(tx, "b", "2");
                Ok(7)
            }
            .boxed()
        })
        .await
        .unwrap();
        assert_eq!(out, 7);
        assert_eq!(store.snapshot().entries.len(), 2);
    }

    #[tokio::test]
    async fn work_rolls_back_every_write_on_err() {
        let store = MemoryStore::default();
        put(&store, "kept", "yes");
        let err = atomic(&store, TxOptions::default(), |tx| {
            async move {
                put(tx, "a", "1");
                Err::<(), _>(failure())
            }
            .boxed()
        })
        .await
        .unwrap_err();
        assert_eq!(err.code, "test.failed");
        assert_eq!(get(&store, "a"), None);
        assert_eq!(get(&store, "kept").as_deref(), Some("yes"));
    }

    #[tokio::test]
    async fn writes_are_invisible_outside_until_commit() {
        let store = MemoryStore::default();
        let outside = store.clone();
        atomic(&store, TxOptions::default(), move |tx| {
            let outside = outside.clone();
            async move {
                put(tx, "a", "1");
                assert_eq!(get(tx, "a").as_deref(), Some("1"));
                assert_eq!(outside.snapshot().entries.get("a"), None);
                Ok(())
            }
            .boxed()
        })
        .await
        .unwrap();
        assert_eq!(get(&store, "a").as_deref(), Some("1"));
    }

    #[tokio::test]
    async fn nested_work_joins_the_outer_transaction() {
        let store = MemoryStore::default();
        let outside = store.clone();
        let result = atomic(&store, TxOptions::default(), move |tx| {
            let outside = outside.clone();
            async move {
                assert!(tx.in_transaction());
                atomic(tx, TxOptions::default(), |inner| {
                    async move {
                        put(inner, "inner", "1");
                        Ok(())
                    }
                    .boxed()
                })
                .await?;
                // The inner commit did not commit the outer transaction.
                assert_eq!(outside.snapshot().entries.get("inner"), None);
                let failed = atomic(tx, TxOptions::default(), |inner| {
                    async move {
                        put(inner, "undone", "1");
                        Err::<(), _>(failure())
                    }
                    .boxed()
                })
                .await;
                assert!(failed.is_err());
                assert_eq!(get(tx, "undone"), None);
                assert_eq!(get(tx, "inner").as_deref(), Some("1"));
                Err::<(), _>(failure())
            }
            .boxed()
        })
        .await;
        assert!(result.is_err());
        assert!(store.snapshot().entries.is_empty());
    }

    #[tokio::test]
    async fn a_concurrent_commit_makes_the_work_run_again() {
        let store = MemoryStore::default();
        let interloper = store.clone();
        let runs = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
        let counter = std::sync::Arc::clone(&runs);
        atomic(&store, TxOptions::serializable(), move |tx| {
            let interloper = interloper.clone();
            let counter = std::sync::Arc::clone(&counter);
            async move {
                if counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
                    put(&interloper, "other", "1");
                }
                put(tx, "mine", "1");
                Ok(())
            }
            .boxed()
        })
        .await
        .unwrap();
        assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 2);
        let state = store.snapshot();
        assert_eq!(state.entries.len(), 2);
    }

    #[tokio::test]
    async fn retries_stop_after_the_configured_number() {
        let store = MemoryStore::default();
        let interloper = store.clone();
        let runs = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
        let counter = std::sync::Arc::clone(&runs);
        let options = TxOptions {
            retries: 2,
            ..TxOptions::serializable()
        };
        let err = atomic(&store, options, move |tx| {
            let interloper = interloper.clone();
            let counter = std::sync::Arc::clone(&counter);
            async move {
                counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                put(&interloper, "other", "1");
                put(tx, "mine", "1");
                Ok(())
            }
            .boxed()
        })
        .await
        .unwrap_err();
        assert!(err.is_retryable());
        assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 3);
        assert_eq!(get(&store, "mine"), None);
    }
}
