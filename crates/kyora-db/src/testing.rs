//! Test support (feature `testing`): a fresh, migrated database per [`TestDatabase`].
//!
//! - [`TestDatabase::sqlite`]: a SQLite file in a temporary directory, removed on drop.
//! - [`TestDatabase::postgres`]: a new database `kyora_test_<random>` created through the URL in
//!   `KYORA_TEST_DATABASE_URL` (e.g. `postgres://postgres@127.0.0.1:5432/postgres`) and dropped,
//!   best effort, on drop. Without the variable it returns `None` — unless
//!   `KYORA_TEST_REQUIRE_SERVICES=1`, when it panics so CI cannot skip PostgreSQL silently.
//!
//! Failures to set a database up panic: this is test-only code and a test cannot proceed.

use std::ops::Deref;

use kyora_core::shared::id::alphanumeric_token;
use kyora_migration::{Migrator, MigratorTrait};
use sea_orm::ConnectionTrait;
use tempfile::TempDir;
use url::Url;

use crate::config::{DbConfig, normalize_dsn};
use crate::database::{ConnectRetry, Database, connect_with_retry};

/// The variable holding the PostgreSQL URL tests create their databases through.
pub const DATABASE_URL_VAR: &str = "KYORA_TEST_DATABASE_URL";

/// When `1`, a missing service variable fails the test instead of skipping it.
pub const REQUIRE_SERVICES_VAR: &str = "KYORA_TEST_REQUIRE_SERVICES";

/// Whether tests must fail when a service is not configured.
pub fn services_required() -> bool {
    std::env::var(REQUIRE_SERVICES_VAR).is_ok_and(|value| value.trim() == "1")
}

/// A fresh, migrated database that lives as long as this value. Dereferences to [`Database`].
pub struct TestDatabase {
    database: Database,
    dsn: String,
    cleanup: Cleanup,
}

enum Cleanup {
    /// Holds the directory (removed when dropped).
    Sqlite {
        _dir: TempDir,
    },
    Postgres {
        admin_url: String,
        name: String,
    },
}

impl std::fmt::Debug for TestDatabase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestDatabase")
            .field("backend", &self.database.backend())
            .field("dsn", &crate::config::redact_dsn(&self.dsn))
            .finish()
    }
}

fn test_config(dsn: &str) -> DbConfig {
    DbConfig {
        log_level: "warn".to_owned(),
        ..DbConfig::with_dsn(dsn)
    }
}

async fn open(dsn: &str) -> Database {
    let retry = ConnectRetry {
        attempts: 1,
        ..ConnectRetry::default()
    };
    let database = connect_with_retry(&test_config(dsn), retry)
        .await
        .unwrap_or_else(|err| panic!("cannot connect to the test database: {err}"));
    Migrator::up(database.connection(), None)
        .await
        .unwrap_or_else(|err| panic!("cannot migrate the test database: {err}"));
    database
}

impl TestDatabase {
    /// A migrated SQLite database in a new temporary directory.
    ///
    /// # Panics
    /// When the directory or the database cannot be created.
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir()
            .unwrap_or_else(|err| panic!("cannot create a temporary directory: {err}"));
        let dsn = format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("kyora.db").display()
        );
        let database = open(&dsn).await;
        Self {
            database,
            dsn,
            cleanup: Cleanup::Sqlite { _dir: dir },
        }
    }

    /// A migrated PostgreSQL database created for this test, or `None` when
    /// `KYORA_TEST_DATABASE_URL` is not set.
    ///
    /// # Panics
    /// When the variable is missing and `KYORA_TEST_REQUIRE_SERVICES=1`, or when the database
    /// cannot be created.
    pub async fn postgres() -> Option<Self> {
        let admin_url = match std::env::var(DATABASE_URL_VAR) {
            Ok(url) if !url.trim().is_empty() => normalize_dsn(&url)
                .unwrap_or_else(|err| panic!("{DATABASE_URL_VAR} is not usable: {err}")),
            _ if services_required() => panic!(
                "{DATABASE_URL_VAR} is not set but {REQUIRE_SERVICES_VAR}=1 requires PostgreSQL"
            ),
            _ => return None,
        };
        let name = format!("kyora_test_{}", alphanumeric_token(16).to_ascii_lowercase());
        let admin = sea_orm::Database::connect(admin_url.as_str())
            .await
            .unwrap_or_else(|err| panic!("cannot connect through {DATABASE_URL_VAR}: {err}"));
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .unwrap_or_else(|err| panic!("cannot create database {name}: {err}"));
        if let Err(err) = admin.close().await {
            tracing::debug!(error = %err, "closing the admin connection failed");
        }
        let mut url = Url::parse(&admin_url)
            .unwrap_or_else(|err| panic!("{DATABASE_URL_VAR} is not a URL: {err}"));
        url.set_path(&format!("/{name}"));
        let dsn = url.to_string();
        let database = open(&dsn).await;
        Some(Self {
            database,
            dsn,
            cleanup: Cleanup::Postgres { admin_url, name },
        })
    }

    /// The database handle.
    pub fn database(&self) -> &Database {
        &self.database
    }

    /// The DSN of this database (to point an application at it).
    pub fn dsn(&self) -> &str {
        &self.dsn
    }
}

impl Deref for TestDatabase {
    type Target = Database;

    fn deref(&self) -> &Database {
        &self.database
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Cleanup::Postgres { admin_url, name } = &self.cleanup else {
            return;
        };
        let (admin_url, name) = (admin_url.clone(), name.clone());
        // Drop cannot await, and may run inside or outside a runtime: use a thread of its own.
        let dropper = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async move {
                if let Ok(admin) = sea_orm::Database::connect(admin_url.as_str()).await {
                    let _ = admin
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        ))
                        .await;
                    let _ = admin.close().await;
                }
            });
        });
        let _ = dropper.join();
    }
}
