//! The memcached adapter on async-memcached (ASCII protocol).
//!
//! Keys are spread over the servers by a consistent-hash ring, so adding a server moves only the
//! keys it takes over. Each server has a small pool of connections, each behind its own mutex;
//! a connection that fails is dropped and a new one is opened on the next call, so the adapter
//! recovers by itself when a server comes back. Connects and calls are bounded by the configured
//! timeout, and after a failed connect the server is treated as down for a short while so that
//! callers get [`CacheError::Unavailable`] at once instead of each waiting for a timeout. Keys on
//! a down server are not moved to another one: they are unavailable until it returns.

use std::sync::Mutex as SyncMutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use async_memcached::{AsciiProtocol, Client, Error as McError, Status};
use async_trait::async_trait;
use kyora_core::ports::cache::{Cache, CacheError, effective_ttl};
use tokio::sync::{Mutex, MutexGuard};

use crate::config::CacheConfig;
use crate::ring::HashRing;

/// How long a server whose connect failed is reported down without trying again.
const DOWN_FOR: Duration = Duration::from_millis(500);

/// One memcached command.
#[derive(Clone, Copy)]
enum Command<'a> {
    Get(&'a str),
    Set(&'a str, &'a [u8], i64),
    Add(&'a str, &'a [u8], i64),
    Delete(&'a str),
    Version,
}

impl Command<'_> {
    /// Whether running it twice is the same as once, so a call on a stale connection may be
    /// repeated on a fresh one. `add` is not: a lost reply may hide a stored value.
    const fn repeatable(self) -> bool {
        !matches!(self, Self::Add(..))
    }
}

enum Reply {
    Value(Option<Vec<u8>>),
    Added(bool),
    Done,
}

async fn run(client: &mut Client, command: Command<'_>) -> Result<Reply, McError> {
    match command {
        Command::Get(key) => client
            .get(key)
            .await
            .map(|value| Reply::Value(value.map(|v| v.data.unwrap_or_default()))),
        Command::Set(key, value, ttl) => client
            .set(key, value, Some(ttl), None)
            .await
            .map(|()| Reply::Done),
        Command::Add(key, value, ttl) => match client.add(key, value, Some(ttl), None).await {
            Ok(()) => Ok(Reply::Added(true)),
            Err(McError::Protocol(Status::NotStored | Status::Exists)) => Ok(Reply::Added(false)),
            Err(err) => Err(err),
        },
        Command::Delete(key) => match client.delete(key).await {
            Ok(()) | Err(McError::Protocol(Status::NotFound)) => Ok(Reply::Done),
            Err(err) => Err(err),
        },
        Command::Version => client.version().await.map(|_| Reply::Done),
    }
}

/// memcached's expiration time: 0 = never, otherwise whole seconds rounded up (a sub-second TTL
/// must not become 0 = never), at most 30 days (larger values are read as absolute times).
fn expiration(ttl: Duration) -> i64 {
    let ttl = effective_ttl(ttl);
    if ttl.is_zero() {
        return 0;
    }
    let secs = ttl.as_secs() + u64::from(ttl.subsec_nanos() > 0);
    i64::try_from(secs).unwrap_or(i64::MAX)
}

fn is_transport(err: &McError) -> bool {
    matches!(
        err,
        McError::Io(_) | McError::Connect(_) | McError::ConnectionClosed
    )
}

struct Server {
    addr: String,
    dsn: String,
    slots: Vec<Mutex<Option<Client>>>,
    next: AtomicUsize,
    down_until: SyncMutex<Option<Instant>>,
}

impl Server {
    fn new(addr: &str, pool_size: usize) -> Self {
        Self {
            addr: addr.to_owned(),
            dsn: format!("tcp://{addr}"),
            slots: (0..pool_size.max(1)).map(|_| Mutex::new(None)).collect(),
            next: AtomicUsize::new(0),
            down_until: SyncMutex::new(None),
        }
    }

    fn unavailable(&self, why: impl std::fmt::Display) -> CacheError {
        CacheError::Unavailable(format!("memcached {}: {why}", self.addr))
    }

    /// A free connection slot if there is one, else the next one in turn.
    async fn slot(&self) -> MutexGuard<'_, Option<Client>> {
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        let n = self.slots.len();
        for i in 0..n {
            if let Ok(guard) = self.slots[(start + i) % n].try_lock() {
                return guard;
            }
        }
        self.slots[start % n].lock().await
    }

    fn down_until(&self) -> std::sync::MutexGuard<'_, Option<Instant>> {
        self.down_until
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    async fn connect(&self, timeout: Duration) -> Result<Client, CacheError> {
        let down = self
            .down_until()
            .is_some_and(|until| Instant::now() < until);
        if down {
            return Err(self.unavailable("down (a recent connect failed)"));
        }
        let outcome = match tokio::time::timeout(timeout, Client::new(&self.dsn)).await {
            Ok(Ok(client)) => Ok(client),
            Ok(Err(err)) => Err(format!("connect failed: {err}")),
            Err(_) => Err(format!("connect timed out after {timeout:?}")),
        };
        let mut down = self.down_until();
        match outcome {
            Ok(client) => {
                if down.take().is_some() {
                    tracing::info!(host = %self.addr, "memcached reachable again");
                }
                Ok(client)
            }
            Err(why) => {
                if down.is_none() {
                    tracing::warn!(host = %self.addr, %why, "memcached unreachable");
                }
                *down = Some(Instant::now() + DOWN_FOR);
                Err(self.unavailable(why))
            }
        }
    }

    async fn call(&self, command: Command<'_>, timeout: Duration) -> Result<Reply, CacheError> {
        let Ok(mut slot) = tokio::time::timeout(timeout, self.slot()).await else {
            return Err(self.unavailable(format!("no free connection within {timeout:?}")));
        };
        let mut attempts = if command.repeatable() { 2 } else { 1 };
        loop {
            attempts -= 1;
            let reused = match slot.as_ref() {
                Some(client) if !client.is_closed() => true,
                _ => {
                    *slot = Some(self.connect(timeout).await?);
                    false
                }
            };
            let Some(client) = slot.as_mut() else {
                return Err(self.unavailable("no connection"));
            };
            let outcome = tokio::time::timeout(timeout, run(client, command)).await;
            match outcome {
                Ok(Ok(reply)) => return Ok(reply),
                Ok(Err(err)) => {
                    let transport = is_transport(&err);
                    if transport || client.is_closed() {
                        *slot = None;
                    }
                    if !(transport && reused && attempts > 0) {
                        return Err(self.unavailable(err));
                    }
                    tracing::debug!(host = %self.addr, %err, "stale memcached connection; reconnecting");
                }
                Err(_) => {
                    *slot = None;
                    return Err(self.unavailable(format!("no reply within {timeout:?}")));
                }
            }
        }
    }
}

/// A [`Cache`] on one or more memcached servers.
pub struct MemcachedCache {
    servers: Vec<Server>,
    ring: HashRing,
    timeout: Duration,
}

impl std::fmt::Debug for MemcachedCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemcachedCache")
            .field(
                "hosts",
                &self.servers.iter().map(|s| &s.addr).collect::<Vec<_>>(),
            )
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl MemcachedCache {
    /// An adapter over `config.hosts`. It does not connect: connections open on first use.
    ///
    /// # Errors
    /// [`CacheError::Unavailable`] when the configuration is invalid or names no host.
    pub fn new(config: &CacheConfig) -> Result<Self, CacheError> {
        config.validate().map_err(|why| {
            CacheError::Unavailable(format!("invalid cache configuration: {why}"))
        })?;
        if config.hosts.is_empty() {
            return Err(CacheError::Unavailable(
                "invalid cache configuration: no memcached host".into(),
            ));
        }
        Ok(Self {
            servers: config
                .hosts
                .iter()
                .map(|host| Server::new(host, config.pool_size))
                .collect(),
            ring: HashRing::new(&config.hosts),
            timeout: config.timeout(),
        })
    }

    /// The server (`host:port`) that holds `key`.
    pub fn host_for(&self, key: &str) -> &str {
        &self.server_for(key).addr
    }

    fn server_for(&self, key: &str) -> &Server {
        let index = self.ring.node_for(key).unwrap_or(0);
        &self.servers[index.min(self.servers.len() - 1)]
    }

    async fn call(&self, key: &str, command: Command<'_>) -> Result<Reply, CacheError> {
        self.server_for(key).call(command, self.timeout).await
    }
}

fn unexpected() -> CacheError {
    CacheError::Unavailable("memcached: unexpected reply".into())
}

#[async_trait]
impl Cache for MemcachedCache {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError> {
        match self.call(key, Command::Get(key)).await? {
            Reply::Value(value) => Ok(value),
            _ => Err(unexpected()),
        }
    }

    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), CacheError> {
        self.call(key, Command::Set(key, value, expiration(ttl)))
            .await
            .map(|_| ())
    }

    async fn add(&self, key: &str, value: &[u8], ttl: Duration) -> Result<bool, CacheError> {
        match self
            .call(key, Command::Add(key, value, expiration(ttl)))
            .await?
        {
            Reply::Added(added) => Ok(added),
            _ => Err(unexpected()),
        }
    }

    async fn delete(&self, key: &str) -> Result<(), CacheError> {
        self.call(key, Command::Delete(key)).await.map(|_| ())
    }

    async fn ping(&self) -> Result<(), CacheError> {
        let mut failures = Vec::new();
        for server in &self.servers {
            if let Err(CacheError::Unavailable(why)) =
                server.call(Command::Version, self.timeout).await
            {
                failures.push(why);
            }
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(CacheError::Unavailable(failures.join("; ")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expirations_round_up_to_whole_seconds_and_zero_means_never() {
        assert_eq!(expiration(Duration::ZERO), 0);
        assert_eq!(expiration(Duration::from_millis(200)), 1);
        assert_eq!(expiration(Duration::from_millis(1_500)), 2);
        assert_eq!(expiration(Duration::from_secs(900)), 900);
    }

    #[test]
    fn expirations_over_thirty_days_are_clamped_to_a_relative_thirty_days() {
        assert_eq!(expiration(Duration::from_secs(90 * 24 * 3600)), 2_592_000);
    }

    #[test]
    fn an_adapter_needs_at_least_one_valid_host() {
        assert!(MemcachedCache::new(&CacheConfig::default()).is_err());
        let bad = CacheConfig {
            hosts: vec!["localhost".into()],
            ..CacheConfig::default()
        };
        assert!(MemcachedCache::new(&bad).is_err());
    }

    #[test]
    fn every_key_maps_to_one_of_the_configured_hosts() {
        let config = CacheConfig {
            hosts: vec!["10.0.0.1:11211".into(), "10.0.0.2:11211".into()],
            ..CacheConfig::default()
        };
        let cache = MemcachedCache::new(&config).unwrap();
        let mut seen = std::collections::HashSet::new();
        for i in 0..100 {
            let host = cache.host_for(&format!("k{i}"));
            assert!(config.hosts.iter().any(|h| h == host));
            seen.insert(host.to_owned());
        }
        assert_eq!(seen.len(), 2);
    }

    #[tokio::test]
    async fn a_closed_port_is_reported_unavailable_quickly_and_then_marked_down() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let config = CacheConfig {
            hosts: vec![format!("127.0.0.1:{port}")],
            ..CacheConfig::default()
        };
        let cache = MemcachedCache::new(&config).unwrap();
        let started = Instant::now();
        let first = cache.get("k").await.unwrap_err();
        let second = cache.set("k", b"v", Duration::ZERO).await.unwrap_err();
        assert!(started.elapsed() < Duration::from_millis(900));
        let CacheError::Unavailable(first) = first;
        let CacheError::Unavailable(second) = second;
        assert!(first.contains("connect failed"), "{first}");
        assert!(second.contains("down"), "{second}");
        assert!(cache.ping().await.is_err());
    }

    #[tokio::test]
    async fn a_server_that_never_answers_times_out_and_the_connection_is_dropped() {
        // The kernel accepts connections on a listening socket nobody reads from.
        let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let config = CacheConfig {
            hosts: vec![silent.local_addr().unwrap().to_string()],
            pool_size: 1,
            timeout_ms: 200,
            ..CacheConfig::default()
        };
        let cache = MemcachedCache::new(&config).unwrap();
        let started = Instant::now();
        let CacheError::Unavailable(why) = cache.get("k").await.unwrap_err();
        let elapsed = started.elapsed();
        assert!(why.contains("no reply"), "{why}");
        assert!(elapsed >= Duration::from_millis(200), "{elapsed:?}");
        assert!(elapsed < Duration::from_millis(900), "{elapsed:?}");
        let slot = cache.servers[0].slots[0].lock().await;
        assert!(slot.is_none(), "the timed-out connection was kept");
    }
}
