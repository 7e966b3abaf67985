//! Listing customers of a business holding 100 000 of them: one page of 100, newest first (the
//! default), measured over 50 runs after a warm-up, on SQLite and — when
//! `KYORA_TEST_DATABASE_URL` is set — on PostgreSQL. A few other page shapes (a deep page, a
//! filter, a search) are measured alongside, and every listing is checked to take at most two
//! SQL statements.
//!
//! Run with `cargo bench -p kyora-db --bench customers` (`CUSTOMERS=20000` for a smaller
//! business, `RUNS=200` for more samples).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark may panic on set-up failures

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use kyora_core::customer::{Customer, CustomerListParams, CustomerListQuery, Gender};
use kyora_core::ports::Store;
use kyora_core::shared::id::{IdPrefix, new_id};
use kyora_core::testing::contracts::business_for_customers;
use kyora_db::sea_orm::ConnectionTrait;
use kyora_db::testing::TestDatabase;
use kyora_db::{Backend, Database};

const COUNTRIES: [&str; 6] = ["EG", "SA", "AE", "KW", "QA", "US"];
const FIRST: [&str; 8] = [
    "Alice", "Omar", "Sara", "Youssef", "Mona", "Karim", "Laila", "Hassan",
];
const LAST: [&str; 6] = ["Wonder", "Nabil", "Haddad", "Farouk", "Saleh", "Mansour"];

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn customers(business_id: &str, count: usize) -> Vec<Customer> {
    let start = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    (0..count)
        .map(|i| {
            let at = start + chrono::Duration::seconds(i64::try_from(i).unwrap_or(0) * 60);
            let first = FIRST[i % FIRST.len()];
            let last = LAST[(i / FIRST.len()) % LAST.len()];
            Customer {
                id: new_id(IdPrefix::Customer),
                business_id: business_id.to_owned(),
                name: format!("{first} {last} {i}"),
                country_code: COUNTRIES[i % COUNTRIES.len()].to_owned(),
                gender: [Gender::Male, Gender::Female, Gender::Unspecified][i % 3],
                email: (i % 5 != 0).then(|| format!("{}.{i}@example.com", first.to_lowercase())),
                phone_number: Some(format!("10{i:08}")),
                phone_code: Some("+20".to_owned()),
                tiktok_username: (i % 7 == 0).then(|| format!("tt{i}")),
                instagram_username: (i % 3 == 0).then(|| format!("ig{i}")),
                facebook_username: None,
                x_username: None,
                snapchat_username: None,
                whatsapp_number: (i % 4 == 0).then(|| format!("+2010{i:08}")),
                joined_at: at,
                created_at: at,
                updated_at: at,
            }
        })
        .collect()
}

struct Stats {
    p50: Duration,
    p99: Duration,
    mean: Duration,
}

fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort_unstable();
    let at = |q: f64| {
        let index = ((samples.len() as f64 - 1.0) * q).round() as usize;
        samples[index.min(samples.len() - 1)]
    };
    let total: Duration = samples.iter().sum();
    Stats {
        p50: at(0.50),
        p99: at(0.99),
        mean: total / u32::try_from(samples.len()).unwrap_or(1),
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1_000.0)
}

/// A handle on the same database whose statements are counted.
async fn counting(db: &TestDatabase) -> (Database, Arc<AtomicUsize>) {
    let mut conn = kyora_db::sea_orm::Database::connect(db.dsn())
        .await
        .unwrap();
    let statements = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&statements);
    conn.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    (Database::new(conn).unwrap(), statements)
}

async fn run(db: TestDatabase, label: &str, count: usize, runs: usize) {
    let business = business_for_customers(db.database()).await;
    let rows = customers(&business, count);
    let started = Instant::now();
    db.customers().create_customers(&rows).await.unwrap();
    let inserted = started.elapsed();
    if db.backend() == Backend::Postgres {
        db.execute_unprepared("ANALYZE customers").await.unwrap();
    }
    println!(
        "\n{label}: {count} customers inserted in {:.2} s ({:.0} rows/s)",
        inserted.as_secs_f64(),
        count as f64 / inserted.as_secs_f64()
    );
    let (counted, statements) = counting(&db).await;
    let shapes: [(&str, CustomerListParams); 4] = [
        (
            "page 1 of 100, newest first",
            CustomerListParams {
                page_size: Some(100),
                ..CustomerListParams::default()
            },
        ),
        (
            "page 500 of 100, newest first",
            CustomerListParams {
                page: Some(500),
                page_size: Some(100),
                ..CustomerListParams::default()
            },
        ),
        (
            "page 1 of 100, countryCode=EG, socialPlatforms=instagram, orderBy=name",
            CustomerListParams {
                page_size: Some(100),
                country_code: Some("EG".into()),
                social_platforms: vec!["instagram".into()],
                order_by: vec!["name".into()],
                ..CustomerListParams::default()
            },
        ),
        (
            "page 1 of 100, search=\"sara\"",
            CustomerListParams {
                page_size: Some(100),
                search: Some("sara".into()),
                ..CustomerListParams::default()
            },
        ),
    ];
    for (name, params) in shapes {
        let query = CustomerListQuery::new(params).unwrap();
        for _ in 0..5 {
            counted
                .customers()
                .list_customers(&business, &query)
                .await
                .unwrap();
        }
        let mut samples = Vec::with_capacity(runs);
        let mut items = 0;
        let mut total = 0;
        for _ in 0..runs {
            statements.store(0, Ordering::SeqCst);
            let started = Instant::now();
            let page = counted
                .customers()
                .list_customers(&business, &query)
                .await
                .unwrap();
            samples.push(started.elapsed());
            let used = statements.load(Ordering::SeqCst);
            assert!(used <= 2, "{name}: {used} statements");
            items = page.items.len();
            total = page.total_count;
        }
        let s = stats(samples);
        println!(
            "  {name}: {items} items of {total} — p50 {}, p99 {}, mean {} ({runs} runs, ≤ 2 statements each)",
            ms(s.p50),
            ms(s.p99),
            ms(s.mean)
        );
    }
    counted.close().await.unwrap();
}

fn main() {
    let count = env_number("CUSTOMERS", 100_000);
    let runs = env_number("RUNS", 50);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        run(TestDatabase::sqlite().await, "SQLite", count, runs).await;
        match TestDatabase::postgres().await {
            Some(db) => run(db, "PostgreSQL", count, runs).await,
            None => println!("\nPostgreSQL: skipped (KYORA_TEST_DATABASE_URL is not set)"),
        }
    });
}
