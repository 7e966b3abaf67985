//! Fire-and-forget work (the login notification, spec 01 §3.3) on the tokio runtime, within a
//! time budget.

use std::time::Duration;

use futures::future::BoxFuture;
use kyora_core::account::ports::Spawner;

/// The [`Spawner`] port over `tokio::spawn`: each piece of work runs in its own task and is
/// cancelled, with a warning, when it outlives the budget.
#[derive(Debug, Clone, Copy)]
pub struct TokioSpawner {
    budget: Duration,
}

impl TokioSpawner {
    /// A spawner giving each piece of work `budget` to finish (the login notification has 10 s).
    pub fn new(budget: Duration) -> Self {
        Self { budget }
    }

    /// The time each piece of work is given.
    pub fn budget(&self) -> Duration {
        self.budget
    }
}

impl Spawner for TokioSpawner {
    fn spawn(&self, work: BoxFuture<'static, ()>) {
        let budget = self.budget;
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            tracing::error!("background work dropped: no tokio runtime is running");
            return;
        };
        runtime.spawn(async move {
            if tokio::time::timeout(budget, work).await.is_err() {
                tracing::warn!(
                    budget_ms = u64::try_from(budget.as_millis()).unwrap_or(u64::MAX),
                    "background work exceeded its time budget and was cancelled"
                );
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use futures::FutureExt as _;
    use tokio::sync::oneshot;

    use super::*;

    /// Sets its flag when dropped: tells whether a future was cancelled.
    struct DropFlag(Arc<AtomicBool>);

    impl Drop for DropFlag {
        fn drop(&mut self) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    #[tokio::test]
    async fn work_runs_in_the_background_without_being_awaited() {
        let spawner = TokioSpawner::new(Duration::from_secs(5));
        let (done, finished) = oneshot::channel();
        spawner.spawn(
            async move {
                tokio::time::sleep(Duration::from_millis(10)).await;
                let _ = done.send(42);
            }
            .boxed(),
        );
        let value = tokio::time::timeout(Duration::from_secs(2), finished)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(value, 42);
    }

    #[tokio::test]
    async fn work_over_its_budget_is_cancelled() {
        let spawner = TokioSpawner::new(Duration::from_millis(50));
        let completed = Arc::new(AtomicBool::new(false));
        let dropped = Arc::new(AtomicBool::new(false));
        let (completed_in_task, guard) = (Arc::clone(&completed), DropFlag(Arc::clone(&dropped)));
        spawner.spawn(
            async move {
                let _guard = guard;
                tokio::time::sleep(Duration::from_secs(5)).await;
                completed_in_task.store(true, Ordering::SeqCst);
            }
            .boxed(),
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert!(dropped.load(Ordering::SeqCst), "the work was not cancelled");
        assert!(!completed.load(Ordering::SeqCst));
    }

    #[test]
    fn spawning_outside_a_runtime_drops_the_work_without_panicking() {
        let dropped = Arc::new(AtomicBool::new(false));
        let guard = DropFlag(Arc::clone(&dropped));
        TokioSpawner::new(Duration::from_secs(1)).spawn(
            async move {
                let _guard = guard;
            }
            .boxed(),
        );
        assert!(dropped.load(Ordering::SeqCst));
    }
}
