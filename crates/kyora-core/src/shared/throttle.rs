//! Best-effort throttling and cooldowns on the cache (spec 01 §4.4). Both fail open: when the
//! cache is down, the attempt is allowed.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ports::cache::Cache;

/// A counter throttle's limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleRule {
    /// The window; the TTL restarts on every counted attempt.
    pub window: Duration,
    /// Attempts allowed within the window; ≤ 0 disables the throttle.
    pub max: i64,
    /// Minimum time between two attempts; zero disables the check.
    pub min_interval: Duration,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct CounterState {
    count: i64,
    last: i64,
}

/// Counts an attempt under `key`; `true` when it is allowed.
pub async fn allow(cache: &dyn Cache, key: &str, rule: ThrottleRule, now: DateTime<Utc>) -> bool {
    if rule.max <= 0 {
        return true;
    }
    let state = match cache.get(key).await {
        Ok(Some(bytes)) => serde_json::from_slice::<CounterState>(&bytes).unwrap_or_default(),
        Ok(None) => CounterState::default(),
        Err(err) => {
            tracing::warn!(%err, key, "throttle cache unavailable; allowing");
            return true;
        }
    };
    let now_secs = now.timestamp();
    // `last` is whole unix seconds (the contract's state format), so a sub-second minimum
    // interval such as 250 ms refuses a second attempt within the same second.
    let since_last = Duration::from_secs(u64::try_from(now_secs - state.last).unwrap_or(0));
    if !rule.min_interval.is_zero() && state.last != 0 && since_last < rule.min_interval {
        return false;
    }
    let next = CounterState {
        count: state.count.saturating_add(1),
        last: now_secs,
    };
    let window = rule.window.max(Duration::from_secs(1));
    if let Ok(bytes) = serde_json::to_vec(&next)
        && let Err(err) = cache.set(key, &bytes, window).await
    {
        tracing::warn!(%err, key, "throttle state not saved");
    }
    next.count <= rule.max
}

#[derive(Debug, Serialize, Deserialize)]
struct CooldownState {
    start: i64,
}

/// The outcome of a cooldown check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cooldown {
    /// The action may proceed; the cooldown started now.
    Allowed,
    /// Still cooling down for this long.
    Denied { retry_after: Duration },
}

/// Starts a cooldown of `duration` under `key` unless one is running.
pub async fn cooldown(
    cache: &dyn Cache,
    key: &str,
    duration: Duration,
    now: DateTime<Utc>,
) -> Cooldown {
    let state = CooldownState {
        start: now.timestamp(),
    };
    let Ok(bytes) = serde_json::to_vec(&state) else {
        return Cooldown::Allowed;
    };
    let ttl = Duration::from_secs(duration.as_secs() + u64::from(duration.subsec_nanos() > 0));
    match cache.add(key, &bytes, ttl).await {
        Ok(true) | Err(_) => Cooldown::Allowed,
        Ok(false) => {
            let start = match cache.get(key).await {
                Ok(Some(raw)) => serde_json::from_slice::<CooldownState>(&raw)
                    .map_or(now.timestamp(), |s| s.start),
                _ => now.timestamp(),
            };
            let elapsed = u64::try_from(now.timestamp() - start).unwrap_or(0);
            Cooldown::Denied {
                retry_after: duration.saturating_sub(Duration::from_secs(elapsed)),
            }
        }
    }
}

#[cfg(test)]
#[cfg(feature = "testing")]
mod tests {
    use super::*;
    use crate::testing::MemoryCache;

    fn rule(max: i64, min_interval: u64) -> ThrottleRule {
        ThrottleRule {
            window: Duration::from_secs(600),
            max,
            min_interval: Duration::from_secs(min_interval),
        }
    }

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(secs, 0).unwrap()
    }

    #[tokio::test]
    async fn the_attempt_after_max_is_denied() {
        let cache = MemoryCache::default();
        for i in 0..20 {
            assert!(
                allow(&cache, "rl:k", rule(20, 0), at(1_000 + i)).await,
                "{i}"
            );
        }
        assert!(!allow(&cache, "rl:k", rule(20, 0), at(1_030)).await);
        assert!(allow(&cache, "rl:other", rule(20, 0), at(1_030)).await);
    }

    #[tokio::test]
    async fn attempts_closer_than_the_min_interval_are_denied_without_counting() {
        let cache = MemoryCache::default();
        assert!(allow(&cache, "rl:r", rule(5, 30), at(1_000)).await);
        assert!(!allow(&cache, "rl:r", rule(5, 30), at(1_029)).await);
        assert!(allow(&cache, "rl:r", rule(5, 30), at(1_030)).await);
        let state: serde_json::Value =
            serde_json::from_slice(&cache.get("rl:r").await.unwrap().unwrap()).unwrap();
        assert_eq!(state, serde_json::json!({"count": 2, "last": 1_030}));
    }

    #[tokio::test]
    async fn a_sub_second_minimum_interval_refuses_a_second_attempt_in_the_same_second() {
        let cache = MemoryCache::default();
        let rule = ThrottleRule {
            window: Duration::from_secs(60),
            max: 120,
            min_interval: Duration::from_millis(250),
        };
        assert!(allow(&cache, "rl:pm", rule, at(2_000)).await);
        assert!(!allow(&cache, "rl:pm", rule, at(2_000)).await);
        assert!(allow(&cache, "rl:pm", rule, at(2_001)).await);
    }

    #[tokio::test]
    async fn a_zero_max_disables_the_throttle_and_corrupt_state_counts_from_zero() {
        let cache = MemoryCache::default();
        cache
            .set("rl:c", b"not json", Duration::ZERO)
            .await
            .unwrap();
        assert!(allow(&cache, "rl:c", rule(1, 0), at(5)).await);
        assert!(!allow(&cache, "rl:c", rule(1, 0), at(6)).await);
        assert!(allow(&cache, "rl:c", rule(0, 0), at(7)).await);
    }

    #[tokio::test]
    async fn the_throttle_fails_open_when_the_cache_is_down() {
        let cache = MemoryCache::default();
        cache.set_available(false);
        for i in 0..5 {
            assert!(allow(&cache, "rl:d", rule(1, 30), at(i)).await);
        }
        assert_eq!(
            cooldown(&cache, "cd:x", Duration::from_secs(120), at(1)).await,
            Cooldown::Allowed
        );
    }

    #[tokio::test]
    async fn a_cooldown_denies_until_it_ends_and_reports_the_remaining_time() {
        let cache = MemoryCache::default();
        let d = Duration::from_secs(120);
        assert_eq!(
            cooldown(&cache, "cd:o", d, at(1_000)).await,
            Cooldown::Allowed
        );
        assert_eq!(
            cooldown(&cache, "cd:o", d, at(1_050)).await,
            Cooldown::Denied {
                retry_after: Duration::from_secs(70)
            }
        );
    }
}
