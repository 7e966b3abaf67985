//! The unit of work (`Store`) on SQLite and PostgreSQL, connecting, and the migrations.
//! The unit-of-work tests make the same assertions as kyora-core's in-memory store tests.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

#[macro_use]
mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::{Duration, Instant};

use common::{WS, base_time, insert, widget};
use futures::FutureExt;
use kyora_core::ports::{Store, TxOptions, atomic};
use kyora_core::testing::MemoryStore;
use kyora_core::{DomainError, ErrorKind, RepoError};
use kyora_db::repo::{Query, create};
use kyora_db::sea_orm::ActiveValue::Set;
use kyora_db::sea_orm::prelude::Decimal;
use kyora_db::sea_orm::{
    ConnectOptions, ConnectionTrait, DbBackend, SqliteTransactionMode, Statement,
    TransactionOptions, TransactionTrait,
};
use kyora_db::testing::{DATABASE_URL_VAR, TestDatabase, services_required};
use kyora_db::{Backend, ConnectRetry, Database, DbConfig, connect, connect_with_retry};
use kyora_migration::{Migrator, MigratorTrait};
use rust_decimal_macros::dec;

type W = Query<widget::Entity>;

fn failure() -> DomainError {
    DomainError::new(ErrorKind::Conflict, "test.failed", "the work failed")
}

fn fresh(name: &str) -> widget::ActiveModel {
    common::widget(name, dec!(1), base_time())
}

async fn names(conn: &impl ConnectionTrait) -> Vec<String> {
    let mut names: Vec<String> = W::new()
        .all(conn)
        .await
        .unwrap()
        .into_iter()
        .map(|w| w.name)
        .collect();
    names.sort();
    names
}

async fn work_commits_on_ok(db: &Database) {
    let out = atomic(db, TxOptions::default(), |tx| {
        async move {
            assert!(tx.in_transaction());
            let conn = Database::of(tx)?;
            create(conn, fresh("a")).await?;
            create(conn, fresh("b")).await?;
            Ok(7)
        }
        .boxed()
    })
    .await
    .unwrap();
    assert_eq!(out, 7);
    assert_eq!(names(db).await, vec!["a", "b"]);
    assert!(!db.in_transaction());
}

async fn work_rolls_back_every_write_on_err(db: &Database) {
    let kept = insert(db, fresh("kept")).await;
    let kept_id = kept.id.clone();
    let err = atomic(db, TxOptions::default(), move |tx| {
        let kept_id = kept_id.clone();
        async move {
            let conn = Database::of(tx)?;
            create(conn, fresh("new")).await?;
            let rename = widget::ActiveModel {
                name: Set("changed".into()),
                ..Default::default()
            };
            W::new()
                .update_by_id(conn, &kept_id, rename, base_time())
                .await?;
            W::new()
                .soft_delete_by_id(conn, &kept_id, base_time())
                .await?;
            assert_eq!(names(conn).await, vec!["new"]);
            Err::<(), _>(failure())
        }
        .boxed()
    })
    .await
    .unwrap_err();
    assert_eq!(err.code, "test.failed");
    assert_eq!(names(db).await, vec!["kept"]);
    assert_eq!(W::new().get_by_id(db, &kept.id).await.unwrap(), kept);
}

async fn writes_are_invisible_outside_until_commit(db: &Database) {
    let outside = db.clone();
    atomic(db, TxOptions::default(), move |tx| {
        let outside = outside.clone();
        async move {
            let conn = Database::of(tx)?;
            create(conn, fresh("a")).await?;
            assert_eq!(W::new().count(conn).await?, 1);
            assert_eq!(W::new().count(&outside).await?, 0);
            Ok(())
        }
        .boxed()
    })
    .await
    .unwrap();
    assert_eq!(names(db).await, vec!["a"]);
}

async fn nested_work_joins_the_outer_transaction(db: &Database) {
    let outside = db.clone();
    let result = atomic(db, TxOptions::default(), move |tx| {
        let outside = outside.clone();
        async move {
            assert!(tx.in_transaction());
            atomic(tx, TxOptions::default(), |inner| {
                async move {
                    assert!(inner.in_transaction());
                    create(Database::of(inner)?, fresh("inner")).await?;
                    Ok(())
                }
                .boxed()
            })
            .await?;
            // The inner commit did not commit the outer transaction.
            assert_eq!(W::new().count(&outside).await?, 0);
            let failed = atomic(tx, TxOptions::default(), |inner| {
                async move {
                    create(Database::of(inner)?, fresh("undone")).await?;
                    Err::<(), _>(failure())
                }
                .boxed()
            })
            .await;
            assert!(failed.is_err());
            assert_eq!(names(Database::of(tx)?).await, vec!["inner"]);
            Err::<(), _>(failure())
        }
        .boxed()
    })
    .await;
    assert!(result.is_err());
    assert!(names(db).await.is_empty());
}

async fn a_failed_nested_statement_leaves_the_outer_work_usable(db: &Database) {
    insert(db, fresh("taken")).await;
    atomic(db, TxOptions::default(), |tx| {
        async move {
            create(Database::of(tx)?, fresh("outer")).await?;
            let clash = atomic(tx, TxOptions::default(), |inner| {
                async move {
                    create(Database::of(inner)?, fresh("inner")).await?;
                    create(Database::of(inner)?, fresh("taken")).await?;
                    Ok(())
                }
                .boxed()
            })
            .await;
            assert_eq!(clash.map_err(|e| e.code), Err("resource.conflict"));
            // On PostgreSQL the failed statement aborted only the savepoint.
            create(Database::of(tx)?, fresh("after")).await?;
            Ok(())
        }
        .boxed()
    })
    .await
    .unwrap();
    assert_eq!(names(db).await, vec!["after", "outer", "taken"]);
}

async fn read_only_work_reads_but_cannot_write(db: &Database) {
    insert(db, fresh("existing")).await;
    let read_only = TxOptions {
        read_only: true,
        ..TxOptions::default()
    };
    let count = atomic(db, read_only, |tx| {
        async move { Ok(W::new().count(Database::of(tx)?).await?) }.boxed()
    })
    .await
    .unwrap();
    assert_eq!(count, 1);
    let err = atomic(db, read_only, |tx| {
        async move {
            create(Database::of(tx)?, fresh("new")).await?;
            Ok(())
        }
        .boxed()
    })
    .await
    .unwrap_err();
    assert!(!err.is_retryable(), "{err}");
    assert_eq!(err.kind, ErrorKind::Internal, "{err}");
    assert_eq!(names(db).await, vec!["existing"]);
    // The connections are writable again afterwards.
    for i in 0..12 {
        insert(db, fresh(&format!("later{i}"))).await;
    }
    assert_eq!(W::new().count(db).await.unwrap(), 13);
}

/// Reads the workspace's sum and inserts a row worth sum + 1: serial runs give 1, 2, 3, …
async fn sum_then_insert(tx: &dyn Store) -> Result<Decimal, DomainError> {
    let conn = Database::of(tx)?;
    let total = W::new()
        .workspace(WS)
        .sum(conn, widget::Column::Amount)
        .await?;
    let name = kyora_core::shared::id::new_id(kyora_core::shared::id::IdPrefix::Product);
    create(
        conn,
        common::widget(&name, total + Decimal::ONE, base_time()),
    )
    .await?;
    Ok(total)
}

async fn amounts(db: &Database) -> Vec<Decimal> {
    let mut amounts: Vec<Decimal> = W::new()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|w| w.amount)
        .collect();
    amounts.sort();
    amounts
}

async fn concurrent_serializable_read_then_write_work_serializes(db: &Database) {
    let options = TxOptions {
        retries: 20,
        ..TxOptions::serializable()
    };
    let spawn = |db: Database| {
        tokio::spawn(async move {
            atomic(&db, options, |tx| {
                async move {
                    let total = sum_then_insert(tx).await?;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    Ok(total)
                }
                .boxed()
            })
            .await
        })
    };
    let (a, b) = tokio::join!(spawn(db.clone()), spawn(db.clone()));
    a.unwrap().unwrap();
    b.unwrap().unwrap();
    assert_eq!(amounts(db).await, vec![dec!(1), dec!(2)]);
}

/// Two serializable transactions that both read the sum before either inserts: PostgreSQL
/// must abort one of them with 40001. Returns the outcomes and how often the work ran.
async fn forced_serialization_race(
    db: &Database,
    retries: u32,
) -> (Vec<Result<Decimal, DomainError>>, u32) {
    let barrier = Arc::new(tokio::sync::Barrier::new(2));
    let runs = Arc::new(AtomicU32::new(0));
    let spawn = |db: Database| {
        let barrier = Arc::clone(&barrier);
        let runs = Arc::clone(&runs);
        tokio::spawn(async move {
            let first_run = Arc::new(AtomicBool::new(true));
            let options = TxOptions {
                retries,
                ..TxOptions::serializable()
            };
            atomic(&db, options, move |tx| {
                let barrier = Arc::clone(&barrier);
                let runs = Arc::clone(&runs);
                let first_run = Arc::clone(&first_run);
                async move {
                    runs.fetch_add(1, Ordering::SeqCst);
                    let conn = Database::of(tx)?;
                    let total = W::new()
                        .workspace(WS)
                        .sum(conn, widget::Column::Amount)
                        .await?;
                    if first_run.swap(false, Ordering::SeqCst) {
                        barrier.wait().await;
                    }
                    let name =
                        kyora_core::shared::id::new_id(kyora_core::shared::id::IdPrefix::Product);
                    create(
                        conn,
                        common::widget(&name, total + Decimal::ONE, base_time()),
                    )
                    .await?;
                    Ok(total)
                }
                .boxed()
            })
            .await
        })
    };
    let (a, b) = tokio::join!(spawn(db.clone()), spawn(db.clone()));
    (vec![a.unwrap(), b.unwrap()], runs.load(Ordering::SeqCst))
}

async fn a_real_serialization_failure_is_retried_until_both_commit(db: &Database) {
    let (outcomes, runs) = forced_serialization_race(db, 5).await;
    assert!(outcomes.iter().all(Result::is_ok), "{outcomes:?}");
    assert!(runs >= 3, "the losing work ran again (runs = {runs})");
    assert_eq!(amounts(db).await, vec![dec!(1), dec!(2)]);
}

async fn without_retries_a_serialization_failure_reaches_the_caller(db: &Database) {
    let (outcomes, runs) = forced_serialization_race(db, 0).await;
    assert_eq!(runs, 2);
    let failures: Vec<&DomainError> = outcomes.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(failures.len(), 1, "{outcomes:?}");
    assert!(failures[0].is_retryable(), "{:?}", failures[0]);
    assert_eq!(amounts(db).await, vec![dec!(1)]);
}

async fn ping_answers_until_the_pool_is_closed(db: &Database) {
    assert!(!db.in_transaction());
    assert!(Database::of(db).is_ok());
    assert!(Database::of(&MemoryStore::default()).is_err());
    db.ping().await.unwrap();
    let inside = atomic(db, TxOptions::default(), |tx| {
        async move {
            tx.ping().await?;
            Ok(Database::of(tx)?.pool().is_none())
        }
        .boxed()
    })
    .await
    .unwrap();
    assert!(inside, "the work runs on a transaction-bound store");
    db.close().await.unwrap();
    assert!(matches!(db.ping().await, Err(RepoError::Unavailable(_))));
    let err = atomic(db, TxOptions::default(), |_| async { Ok(()) }.boxed())
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unavailable, "{err}");
}

on_both_backends!(
    both: [
        work_commits_on_ok,
        work_rolls_back_every_write_on_err,
        writes_are_invisible_outside_until_commit,
        nested_work_joins_the_outer_transaction,
        a_failed_nested_statement_leaves_the_outer_work_usable,
        read_only_work_reads_but_cannot_write,
        concurrent_serializable_read_then_write_work_serializes,
        ping_answers_until_the_pool_is_closed,
    ],
    postgres_only: [
        a_real_serialization_failure_is_retried_until_both_commit,
        without_retries_a_serialization_failure_reaches_the_caller,
    ],
);

async fn pragma(db: &Database, name: &str) -> String {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            format!("PRAGMA {name}"),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<String>(0)
        .or_else(|_| row.try_get_by_index::<i64>(0).map(|v| v.to_string()))
        .unwrap()
}

mod connect {
    use super::*;

    mod sqlite {
        use super::*;

        #[tokio::test]
        async fn connecting_creates_the_directory_and_sets_wal_foreign_keys_and_busy_timeout() {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("nested/deeper/kyora.db");
            let db = connect(&DbConfig::with_dsn(format!(
                "sqlite://{}?mode=rwc",
                file.display()
            )))
            .await
            .unwrap();
            assert_eq!(db.backend(), Backend::Sqlite);
            assert!(file.exists());
            assert_eq!(pragma(&db, "journal_mode").await, "wal");
            assert_eq!(pragma(&db, "foreign_keys").await, "1");
            assert_eq!(pragma(&db, "busy_timeout").await, "5000");
        }

        #[tokio::test]
        async fn an_in_memory_database_keeps_its_single_connection() {
            let db = connect(&DbConfig::with_dsn("sqlite::memory:"))
                .await
                .unwrap();
            db.execute_unprepared("CREATE TABLE t (x INTEGER)")
                .await
                .unwrap();
            for _ in 0..3 {
                db.execute_unprepared("INSERT INTO t VALUES (1)")
                    .await
                    .unwrap();
            }
            let row = db
                .query_one_raw(Statement::from_string(
                    DbBackend::Sqlite,
                    "SELECT count(*) FROM t",
                ))
                .await
                .unwrap()
                .unwrap();
            assert_eq!(row.try_get_by_index::<i64>(0).unwrap(), 3);
        }

        #[tokio::test]
        async fn an_unusable_dsn_is_refused_before_connecting() {
            let started = Instant::now();
            let err = connect(&DbConfig::with_dsn("mysql://root:secret@db/kyora"))
                .await
                .unwrap_err();
            assert!(
                matches!(&err, RepoError::Other(m) if m.contains("database.dsn")),
                "{err}"
            );
            assert!(!err.to_string().contains("secret"));
            assert!(started.elapsed() < Duration::from_secs(1));
        }

        #[tokio::test]
        async fn an_unreachable_server_is_tried_again_then_reported_unavailable() {
            let started = Instant::now();
            let retry = ConnectRetry {
                attempts: 3,
                step: Duration::from_millis(50),
                attempt_timeout: Duration::from_millis(200),
            };
            let err = connect_with_retry(
                &DbConfig::with_dsn("postgres://postgres@127.0.0.1:1/none"),
                retry,
            )
            .await
            .unwrap_err();
            assert!(
                matches!(&err, RepoError::Unavailable(m) if m.contains("3 attempts")),
                "{err}"
            );
            // Waited 50 ms after the first failure and 100 ms after the second, and no
            // attempt ran past its timeout.
            let elapsed = started.elapsed();
            assert!(elapsed >= Duration::from_millis(150), "{elapsed:?}");
            assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
        }

        #[tokio::test]
        async fn migrations_report_their_status_and_roll_back() {
            let db = TestDatabase::sqlite().await;
            let applied = kyora_migration::status(&db.connection()).await.unwrap();
            let names: Vec<&str> = applied.iter().map(|m| m.name.as_str()).collect();
            assert_eq!(
                names[..3],
                [
                    "m20261125_000001_platform",
                    "m20261125_000002_accounts",
                    "m20261125_000003_businesses"
                ]
            );
            assert!(names.windows(2).all(|pair| pair[0] < pair[1]), "{names:?}");
            assert!(applied.iter().all(|m| m.applied));
            Migrator::down(db.connection(), None).await.unwrap();
            let status = kyora_migration::status(&db.connection()).await.unwrap();
            assert!(status.iter().all(|m| !m.applied));
            Migrator::up(db.connection(), None).await.unwrap();
            assert!(
                kyora_migration::status(&db.connection())
                    .await
                    .unwrap()
                    .iter()
                    .all(|m| m.applied)
            );
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn a_busy_database_is_retryable_and_retried_until_the_lock_is_released() {
            let db = TestDatabase::sqlite().await;
            crate::common::create_tables(&db).await;
            // A second pool on the same file that does not wait for locks at all.
            let mut options = ConnectOptions::new(db.dsn().to_owned());
            options
                .sqlx_logging(false)
                .map_sqlx_sqlite_opts(|sqlite| sqlite.busy_timeout(Duration::ZERO));
            let impatient =
                Database::new(kyora_db::sea_orm::Database::connect(options).await.unwrap())
                    .unwrap();

            let holder = db
                .pool()
                .unwrap()
                .begin_with_options(TransactionOptions {
                    sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                    ..TransactionOptions::default()
                })
                .await
                .unwrap();
            let busy = create(&impatient, fresh("blocked")).await;
            assert!(matches!(busy, Err(RepoError::Serialization(_))), "{busy:?}");

            let no_retry = atomic(
                &impatient,
                TxOptions {
                    retries: 0,
                    ..TxOptions::default()
                },
                |tx| async move { Ok(create(Database::of(tx)?, fresh("x")).await?.id) }.boxed(),
            )
            .await
            .unwrap_err();
            assert!(no_retry.is_retryable(), "{no_retry}");

            let release = tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(100)).await;
                holder.commit().await.unwrap();
            });
            let committed = atomic(
                &impatient,
                TxOptions {
                    retries: 30,
                    ..TxOptions::default()
                },
                |tx| {
                    async move { Ok(create(Database::of(tx)?, fresh("patient")).await?.name) }
                        .boxed()
                },
            )
            .await
            .unwrap();
            release.await.unwrap();
            assert_eq!(committed, "patient");
            assert_eq!(names(db.database()).await, vec!["patient"]);
        }
    }

    mod postgres {
        use super::*;

        fn admin_url() -> Option<url::Url> {
            match std::env::var(DATABASE_URL_VAR) {
                Ok(url) if !url.trim().is_empty() => Some(url::Url::parse(&url).unwrap()),
                _ if services_required() => panic!("{DATABASE_URL_VAR} is required"),
                _ => None,
            }
        }

        #[tokio::test]
        async fn the_key_value_dsn_form_connects() {
            let Some(url) = admin_url() else { return };
            let mut dsn = format!(
                "host={} port={} user={} dbname={} sslmode=disable TimeZone=UTC",
                url.host_str().unwrap(),
                url.port().unwrap_or(5432),
                url.username(),
                url.path().trim_start_matches('/'),
            );
            if let Some(password) = url.password() {
                dsn.push_str(&format!(" password='{password}'"));
            }
            let db = connect(&DbConfig::with_dsn(dsn)).await.unwrap();
            assert_eq!(db.backend(), Backend::Postgres);
            db.ping().await.unwrap();
            let row = db
                .query_one_raw(Statement::from_string(DbBackend::Postgres, "SHOW TimeZone"))
                .await
                .unwrap()
                .unwrap();
            assert_eq!(row.try_get_by_index::<String>(0).unwrap(), "UTC");
            db.close().await.unwrap();
        }

        #[tokio::test]
        async fn migrations_enable_pg_trgm_and_report_their_status() {
            let Some(db) = TestDatabase::postgres().await else {
                return;
            };
            let row = db
                .query_one_raw(Statement::from_string(
                    DbBackend::Postgres,
                    "SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'",
                ))
                .await
                .unwrap()
                .unwrap();
            assert_eq!(row.try_get_by_index::<i64>(0).unwrap(), 1);
            let status = kyora_migration::status(&db.connection()).await.unwrap();
            assert!(status.iter().all(|m| m.applied));
            assert_eq!(db.backend(), Backend::Postgres);
        }
    }
}
