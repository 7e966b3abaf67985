//! The cache port's contract, run against the in-process cache and against a real memcached
//! (`KYORA_TEST_MEMCACHED=127.0.0.1:11211`, comma-separated for several servers).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Utc};
use kyora_cache::{Cache, CacheError};
use kyora_core::shared::throttle::{self, Cooldown, ThrottleRule};

/// A key prefix no other test (or earlier run against the shared memcached) uses.
fn unique(name: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("kyora-cache-test:{}:{nanos}:{name}", std::process::id())
}

/// Behaviours every adapter must have; each takes its own key prefix.
mod contract {
    use super::*;

    pub async fn a_missing_key_reads_as_none(cache: &dyn Cache) {
        let key = unique("missing");
        assert_eq!(cache.get(&key).await.unwrap(), None);
    }

    pub async fn a_value_is_read_back_and_overwritten_by_set(cache: &dyn Cache) {
        let key = unique("set");
        let bytes = [0_u8, 1, 2, 255, b'\r', b'\n', b' '];
        cache.set(&key, &bytes, Duration::ZERO).await.unwrap();
        assert_eq!(cache.get(&key).await.unwrap(), Some(bytes.to_vec()));
        cache
            .set(&key, br#"{"count":1}"#, Duration::from_secs(60))
            .await
            .unwrap();
        assert_eq!(
            cache.get(&key).await.unwrap(),
            Some(br#"{"count":1}"#.to_vec())
        );
        cache.set(&key, b"", Duration::ZERO).await.unwrap();
        assert_eq!(cache.get(&key).await.unwrap(), Some(Vec::new()));
    }

    pub async fn add_writes_only_when_the_key_is_absent(cache: &dyn Cache) {
        let key = unique("add");
        assert!(cache.add(&key, b"first", Duration::ZERO).await.unwrap());
        assert!(!cache.add(&key, b"second", Duration::ZERO).await.unwrap());
        assert_eq!(cache.get(&key).await.unwrap(), Some(b"first".to_vec()));
        cache.delete(&key).await.unwrap();
        assert!(cache.add(&key, b"third", Duration::ZERO).await.unwrap());
        assert_eq!(cache.get(&key).await.unwrap(), Some(b"third".to_vec()));
    }

    pub async fn delete_removes_a_key_and_a_missing_key_is_not_an_error(cache: &dyn Cache) {
        let key = unique("delete");
        cache.set(&key, b"v", Duration::ZERO).await.unwrap();
        cache.delete(&key).await.unwrap();
        assert_eq!(cache.get(&key).await.unwrap(), None);
        cache.delete(&key).await.unwrap();
    }

    /// `ttl` must be short; `wait` long enough for the adapter's clock to pass it.
    pub async fn entries_expire_after_their_ttl_and_zero_never_expires(
        cache: &dyn Cache,
        ttl: Duration,
        wait: Duration,
    ) {
        let short = unique("ttl-short");
        let added = unique("ttl-added");
        let forever = unique("ttl-forever");
        let long = unique("ttl-long");
        cache.set(&short, b"s", ttl).await.unwrap();
        assert!(cache.add(&added, b"a", ttl).await.unwrap());
        cache.set(&forever, b"f", Duration::ZERO).await.unwrap();
        cache
            .set(&long, b"l", Duration::from_secs(365 * 24 * 3600))
            .await
            .unwrap();
        assert_eq!(cache.get(&short).await.unwrap(), Some(b"s".to_vec()));
        tokio::time::sleep(wait).await;
        assert_eq!(cache.get(&short).await.unwrap(), None);
        assert_eq!(cache.get(&added).await.unwrap(), None);
        assert!(cache.add(&added, b"again", ttl).await.unwrap());
        assert_eq!(cache.get(&forever).await.unwrap(), Some(b"f".to_vec()));
        assert_eq!(cache.get(&long).await.unwrap(), Some(b"l".to_vec()));
    }

    pub async fn concurrent_adds_of_one_key_let_exactly_one_through(cache: Arc<dyn Cache>) {
        let key = Arc::new(unique("race"));
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..50_u8 {
            let cache = Arc::clone(&cache);
            let key = Arc::clone(&key);
            tasks.spawn(async move {
                let won = cache
                    .add(&key, &[i], Duration::from_secs(60))
                    .await
                    .unwrap();
                (i, won)
            });
        }
        let mut winners = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            let (i, won) = joined.unwrap();
            if won {
                winners.push(i);
            }
        }
        assert_eq!(winners.len(), 1, "winners: {winners:?}");
        assert_eq!(cache.get(&key).await.unwrap(), Some(vec![winners[0]]));
    }

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(secs, 0).unwrap()
    }

    pub async fn the_core_throttle_and_cooldown_work_on_it(cache: &dyn Cache) {
        let key = unique("rl");
        let rule = ThrottleRule {
            window: Duration::from_secs(600),
            max: 3,
            min_interval: Duration::ZERO,
        };
        for i in 0..3 {
            assert!(throttle::allow(cache, &key, rule, at(1_000 + i)).await);
        }
        assert!(!throttle::allow(cache, &key, rule, at(1_010)).await);
        let state = cache.get(&key).await.unwrap().unwrap();
        assert_eq!(state, br#"{"count":4,"last":1010}"#.to_vec());

        let cd = unique("cd");
        let d = Duration::from_secs(120);
        assert_eq!(
            throttle::cooldown(cache, &cd, d, at(5_000)).await,
            Cooldown::Allowed
        );
        assert_eq!(
            throttle::cooldown(cache, &cd, d, at(5_030)).await,
            Cooldown::Denied {
                retry_after: Duration::from_secs(90)
            }
        );
    }

    pub async fn ping_answers(cache: &dyn Cache) {
        cache.ping().await.unwrap();
    }
}

mod in_process {
    use kyora_cache::{CacheConfig, InProcessCache};

    use super::*;

    fn cache() -> InProcessCache {
        InProcessCache::new(10_000)
    }

    #[tokio::test]
    async fn a_missing_key_reads_as_none() {
        contract::a_missing_key_reads_as_none(&cache()).await;
    }

    #[tokio::test]
    async fn a_value_is_read_back_and_overwritten_by_set() {
        contract::a_value_is_read_back_and_overwritten_by_set(&cache()).await;
    }

    #[tokio::test]
    async fn add_writes_only_when_the_key_is_absent() {
        contract::add_writes_only_when_the_key_is_absent(&cache()).await;
    }

    #[tokio::test]
    async fn delete_removes_a_key_and_a_missing_key_is_not_an_error() {
        contract::delete_removes_a_key_and_a_missing_key_is_not_an_error(&cache()).await;
    }

    #[tokio::test]
    async fn entries_expire_after_their_ttl_and_zero_never_expires() {
        contract::entries_expire_after_their_ttl_and_zero_never_expires(
            &cache(),
            Duration::from_secs(1),
            Duration::from_millis(1_200),
        )
        .await;
    }

    #[tokio::test]
    async fn an_overwrite_replaces_the_ttl() {
        let cache = cache();
        cache
            .set("k", b"short", Duration::from_millis(300))
            .await
            .unwrap();
        cache.set("k", b"forever", Duration::ZERO).await.unwrap();
        cache.set("j", b"forever", Duration::ZERO).await.unwrap();
        cache
            .set("j", b"short", Duration::from_millis(300))
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(cache.get("k").await.unwrap(), Some(b"forever".to_vec()));
        assert_eq!(cache.get("j").await.unwrap(), None);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_adds_of_one_key_let_exactly_one_through() {
        contract::concurrent_adds_of_one_key_let_exactly_one_through(Arc::new(cache())).await;
    }

    #[tokio::test]
    async fn the_core_throttle_and_cooldown_work_on_it() {
        contract::the_core_throttle_and_cooldown_work_on_it(&cache()).await;
    }

    #[tokio::test]
    async fn ping_answers() {
        contract::ping_answers(&cache()).await;
    }

    #[tokio::test]
    async fn the_cache_holds_no_more_than_max_entries() {
        let cache = InProcessCache::new(50);
        for i in 0..500 {
            cache
                .set(&format!("k{i}"), b"v", Duration::ZERO)
                .await
                .unwrap();
        }
        let count = cache.entry_count().await;
        assert!((1..=50).contains(&count), "{count} entries");
    }

    #[tokio::test]
    async fn connect_without_hosts_gives_a_working_in_process_cache() {
        let cache = kyora_cache::connect(&CacheConfig::default()).await.unwrap();
        let key = unique("connect");
        cache.set(&key, b"v", Duration::ZERO).await.unwrap();
        assert_eq!(cache.get(&key).await.unwrap(), Some(b"v".to_vec()));
        let other = kyora_cache::connect(&CacheConfig::default()).await.unwrap();
        assert_eq!(other.get(&key).await.unwrap(), None);
    }

    #[tokio::test]
    async fn connect_rejects_an_invalid_configuration() {
        let config = CacheConfig {
            hosts: vec!["no-port".into()],
            ..CacheConfig::default()
        };
        let Err(CacheError::Unavailable(why)) = kyora_cache::connect(&config).await else {
            panic!("an invalid host was accepted");
        };
        assert!(why.contains("no-port"), "{why}");
    }
}

mod memcached {
    use std::net::{TcpListener, TcpStream};
    use std::process::{Child, Command, Stdio};
    use std::time::Instant;

    use async_memcached::AsciiProtocol;
    use kyora_cache::{CacheConfig, MemcachedCache};

    use super::*;

    fn services_required() -> bool {
        std::env::var("KYORA_TEST_REQUIRE_SERVICES").as_deref() == Ok("1")
    }

    /// The hosts of `KYORA_TEST_MEMCACHED`, or `None` (the test is skipped) when it is not set.
    fn hosts() -> Option<Vec<String>> {
        let raw = std::env::var("KYORA_TEST_MEMCACHED").unwrap_or_default();
        let hosts: Vec<String> = raw
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|h| !h.is_empty())
            .map(str::to_owned)
            .collect();
        if hosts.is_empty() {
            assert!(
                !services_required(),
                "KYORA_TEST_MEMCACHED must be set when KYORA_TEST_REQUIRE_SERVICES=1"
            );
            eprintln!("skipped: KYORA_TEST_MEMCACHED is not set");
            return None;
        }
        Some(hosts)
    }

    fn config(hosts: Vec<String>) -> CacheConfig {
        CacheConfig {
            hosts,
            ..CacheConfig::default()
        }
    }

    fn cache() -> Option<MemcachedCache> {
        hosts().map(|hosts| MemcachedCache::new(&config(hosts)).unwrap())
    }

    /// A memcached process this test owns; killed when dropped.
    struct LocalMemcached {
        child: Option<Child>,
        port: u16,
    }

    impl LocalMemcached {
        /// Starts one on a free port, or `None` (the test is skipped) without the binary.
        fn start() -> Option<Self> {
            let port = TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            Self::start_on(port)
        }

        fn start_on(port: u16) -> Option<Self> {
            let spawned = Command::new("memcached")
                .args(["-u", "root", "-l", "127.0.0.1", "-U", "0", "-m", "16"])
                .args(["-p", &port.to_string()])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn();
            let child = match spawned {
                Ok(child) => child,
                Err(err) => {
                    assert!(
                        !services_required(),
                        "the memcached binary is needed: {err}"
                    );
                    eprintln!("skipped: cannot start memcached: {err}");
                    return None;
                }
            };
            let server = Self {
                child: Some(child),
                port,
            };
            let deadline = Instant::now() + Duration::from_secs(5);
            while TcpStream::connect(("127.0.0.1", port)).is_err() {
                assert!(
                    Instant::now() < deadline,
                    "memcached did not start on {port}"
                );
                std::thread::sleep(Duration::from_millis(20));
            }
            Some(server)
        }

        fn addr(&self) -> String {
            format!("127.0.0.1:{}", self.port)
        }

        fn stop(&mut self) {
            if let Some(mut child) = self.child.take() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }

    impl Drop for LocalMemcached {
        fn drop(&mut self) {
            self.stop();
        }
    }

    #[tokio::test]
    async fn a_missing_key_reads_as_none() {
        let Some(cache) = cache() else { return };
        contract::a_missing_key_reads_as_none(&cache).await;
    }

    #[tokio::test]
    async fn a_value_is_read_back_and_overwritten_by_set() {
        let Some(cache) = cache() else { return };
        contract::a_value_is_read_back_and_overwritten_by_set(&cache).await;
    }

    #[tokio::test]
    async fn add_writes_only_when_the_key_is_absent() {
        let Some(cache) = cache() else { return };
        contract::add_writes_only_when_the_key_is_absent(&cache).await;
    }

    #[tokio::test]
    async fn delete_removes_a_key_and_a_missing_key_is_not_an_error() {
        let Some(cache) = cache() else { return };
        contract::delete_removes_a_key_and_a_missing_key_is_not_an_error(&cache).await;
    }

    #[tokio::test]
    async fn entries_expire_after_their_ttl_and_zero_never_expires() {
        let Some(cache) = cache() else { return };
        // memcached's clock ticks once a second: a 2 s TTL is still there right after the write
        // and surely gone 3 s later.
        contract::entries_expire_after_their_ttl_and_zero_never_expires(
            &cache,
            Duration::from_secs(2),
            Duration::from_millis(3_100),
        )
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_adds_of_one_key_let_exactly_one_through() {
        let Some(cache) = cache() else { return };
        contract::concurrent_adds_of_one_key_let_exactly_one_through(Arc::new(cache)).await;
    }

    #[tokio::test]
    async fn the_core_throttle_and_cooldown_work_on_it() {
        let Some(cache) = cache() else { return };
        contract::the_core_throttle_and_cooldown_work_on_it(&cache).await;
    }

    #[tokio::test]
    async fn ping_answers() {
        let Some(cache) = cache() else { return };
        contract::ping_answers(&cache).await;
    }

    #[tokio::test]
    async fn connect_with_hosts_writes_to_memcached() {
        let Some(hosts) = hosts() else { return };
        let config = config(hosts);
        let cache = kyora_cache::connect(&config).await.unwrap();
        let key = unique("connect");
        cache
            .set(&key, b"shared", Duration::from_secs(60))
            .await
            .unwrap();
        let other = MemcachedCache::new(&config).unwrap();
        assert_eq!(other.get(&key).await.unwrap(), Some(b"shared".to_vec()));
    }

    #[tokio::test]
    async fn keys_spread_over_two_servers_and_each_is_readable() {
        let Some(mut hosts) = hosts() else { return };
        let Some(second) = LocalMemcached::start() else {
            return;
        };
        hosts.push(second.addr());
        let cache = MemcachedCache::new(&config(hosts.clone())).unwrap();
        let prefix = unique("spread");
        let keys: Vec<String> = (0..200).map(|i| format!("{prefix}:{i}")).collect();
        for key in &keys {
            cache
                .set(key, key.as_bytes(), Duration::from_secs(300))
                .await
                .unwrap();
        }
        let on_second = keys.iter().filter(|k| cache.host_for(k) == second.addr());
        let on_second = on_second.count();
        assert!(
            (30..=170).contains(&on_second),
            "{on_second} of 200 on the second server"
        );

        for key in &keys {
            assert_eq!(cache.get(key).await.unwrap(), Some(key.as_bytes().to_vec()));
        }
        // The keys really are on the server the ring names, and only there.
        for host in &hosts {
            let mut direct = async_memcached::Client::new(format!("tcp://{host}"))
                .await
                .unwrap();
            for key in &keys {
                let stored = direct.get(key).await.unwrap().is_some();
                assert_eq!(stored, cache.host_for(key) == host, "{key} on {host}");
            }
        }
        // Another instance, hosts listed in another order, finds every key.
        hosts.reverse();
        let reordered = MemcachedCache::new(&config(hosts)).unwrap();
        for key in &keys {
            assert_eq!(
                reordered.get(key).await.unwrap(),
                Some(key.as_bytes().to_vec())
            );
        }
        reordered.ping().await.unwrap();
    }

    #[tokio::test]
    async fn a_stopped_server_fails_fast_and_the_same_adapter_recovers_when_it_returns() {
        if hosts().is_none() {
            return;
        }
        let Some(mut server) = LocalMemcached::start() else {
            return;
        };
        let port = server.port;
        let cache = MemcachedCache::new(&config(vec![server.addr()])).unwrap();
        let key = unique("recover");
        cache.set(&key, b"before", Duration::ZERO).await.unwrap();
        assert_eq!(cache.get(&key).await.unwrap(), Some(b"before".to_vec()));

        server.stop();
        let started = Instant::now();
        for _ in 0..3 {
            assert!(matches!(
                cache.get(&key).await,
                Err(CacheError::Unavailable(_))
            ));
            assert!(matches!(
                cache.set(&key, b"x", Duration::ZERO).await,
                Err(CacheError::Unavailable(_))
            ));
            assert!(matches!(
                cache.add(&key, b"x", Duration::ZERO).await,
                Err(CacheError::Unavailable(_))
            ));
            assert!(cache.ping().await.is_err());
        }
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "failing took {:?}",
            started.elapsed()
        );

        let _restarted = LocalMemcached::start_on(port).unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            match cache.set(&key, b"after", Duration::ZERO).await {
                Ok(()) => break,
                Err(err) => assert!(Instant::now() < deadline, "did not recover: {err}"),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(cache.get(&key).await.unwrap(), Some(b"after".to_vec()));
        assert!(
            cache
                .add(&unique("recover-add"), b"a", Duration::ZERO)
                .await
                .unwrap()
        );
        cache.ping().await.unwrap();
    }
}
