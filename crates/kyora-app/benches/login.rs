//! Password-login throughput over real HTTP, with `GET /healthz` as the baseline.
//!
//! Spawns the application like the API tests do (SQLite and the in-process cache by default;
//! `KYORA_TEST_DATABASE_URL` / `KYORA_TEST_MEMCACHED` select PostgreSQL and memcached), creates one
//! user, then sends `KYORA_BENCH_REQUESTS` (default 200) logins with `KYORA_BENCH_CONCURRENCY`
//! (default 16) in flight, and prints throughput and p50/p99 latency. Each login carries its own
//! `X-Forwarded-For` address so the login throttle (20 attempts per email and IP in 10 minutes)
//! never interferes. Run with `cargo bench -p kyora-app --bench login`.

use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use futures::StreamExt as _;
use kyora_testkit::accounts::{OwnerSetup, create_owner_with, spawn_accounts_app};
use kyora_testkit::{Backend, TestApp, database_dsn};

fn setting(name: &str, default: usize) -> anyhow::Result<usize> {
    match std::env::var(name) {
        Ok(raw) => raw
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| *n > 0)
            .with_context(|| format!("{name} must be a positive integer, got {raw:?}")),
        Err(_) => Ok(default),
    }
}

/// Latencies of one run, sorted, and its wall time.
struct Run {
    latencies: Vec<Duration>,
    wall: Duration,
}

impl Run {
    fn percentile(&self, p: f64) -> Duration {
        // Nearest-rank percentile.
        let rank = (p / 100.0 * self.latencies.len() as f64).ceil() as usize;
        self.latencies[rank.clamp(1, self.latencies.len()) - 1]
    }

    fn report(&self, what: &str, unit: &str) {
        let count = self.latencies.len();
        println!(
            "{what:<9} {count:>5} requests  {:>9.1} {unit}/s  p50 {:>8.2} ms  p99 {:>8.2} ms  max {:>8.2} ms",
            count as f64 / self.wall.as_secs_f64(),
            self.percentile(50.0).as_secs_f64() * 1e3,
            self.percentile(99.0).as_secs_f64() * 1e3,
            self.latencies
                .last()
                .copied()
                .unwrap_or_default()
                .as_secs_f64()
                * 1e3,
        );
    }
}

/// Sends `requests` requests built by `request` with `concurrency` in flight; every answer must
/// have status `expected`.
async fn measure(
    requests: usize,
    concurrency: usize,
    expected: u16,
    request: impl Fn(usize) -> reqwest::RequestBuilder,
) -> anyhow::Result<Run> {
    let started = Instant::now();
    let results: Vec<anyhow::Result<Duration>> = futures::stream::iter(0..requests)
        .map(|i| {
            let pending = request(i).send();
            async move {
                let sent = Instant::now();
                let response = pending.await.context("sending a request")?;
                let status = response.status().as_u16();
                response.bytes().await.context("reading a response")?;
                let elapsed = sent.elapsed();
                if status != expected {
                    bail!("request {i} answered {status}, expected {expected}");
                }
                Ok(elapsed)
            }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let wall = started.elapsed();
    let mut latencies = results.into_iter().collect::<anyhow::Result<Vec<_>>>()?;
    latencies.sort();
    Ok(Run { latencies, wall })
}

async fn run(app: &TestApp, requests: usize, concurrency: usize) -> anyhow::Result<()> {
    let owner = create_owner_with(app, OwnerSetup::unsubscribed()).await;
    let login_url = app.url("/v1/auth/login");
    let body = serde_json::json!({"email": owner.email, "password": owner.password});
    let login = |i: usize| {
        app.client
            .post(&login_url)
            .header(
                "X-Forwarded-For",
                format!("10.{}.{}.{}", i >> 16 & 255, i >> 8 & 255, i & 255),
            )
            .json(&body)
    };
    // Warm up connections, the pool and the hasher.
    measure(concurrency, concurrency, 200, &login).await?;
    let logins = measure(requests, concurrency, 200, &login).await?;

    let health_url = app.url("/healthz");
    let health = |_: usize| app.client.get(&health_url);
    measure(concurrency, concurrency, 200, &health).await?;
    let baseline = measure(requests, concurrency, 200, &health).await?;

    let backend = match database_dsn().1 {
        Backend::Postgres => "PostgreSQL",
        Backend::Sqlite => "SQLite",
    };
    let cache = if app.config.cache.hosts.is_empty() {
        "in-process cache"
    } else {
        "memcached"
    };
    println!(
        "login benchmark: {backend}, {cache}, {requests} requests, concurrency {concurrency}, {} CPUs",
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    );
    logins.report("login", "logins");
    baseline.report("healthz", "req");
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let requests = setting("KYORA_BENCH_REQUESTS", 200)?;
    let concurrency = setting("KYORA_BENCH_CONCURRENCY", 16)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("building the runtime")?;
    runtime.block_on(async {
        let app = spawn_accounts_app().await;
        run(&app, requests, concurrency).await
    })
}
