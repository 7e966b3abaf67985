//! Test support for Kyora (a dev-dependency only): a database per test binary, and the whole
//! application spawned on 127.0.0.1:0 over it, reached through real HTTP.
//!
//! The backends follow the environment: `KYORA_TEST_DATABASE_URL` selects PostgreSQL (a fresh
//! database is created through that URL for each test binary), otherwise a SQLite file in a
//! temporary directory; `KYORA_TEST_MEMCACHED` selects memcached, otherwise the in-process cache.
//! With `KYORA_TEST_REQUIRE_SERVICES=1` a missing variable is an error, so CI cannot silently
//! fall back to the embedded set-up.

// Test support: failing to set up the test environment is a panic by design.
#![allow(clippy::expect_used, clippy::unwrap_used)]

pub mod accounts;
pub mod businesses;
pub mod customers;
pub mod google;
pub mod proxy;

use std::net::TcpListener;
use std::sync::OnceLock;

use kyora_app::{Application, Components, Config};

/// Which database the tests of this binary run on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// A PostgreSQL database created for this test binary.
    Postgres,
    /// A SQLite file created for this test binary.
    Sqlite,
}

struct BinaryDatabase {
    dsn: String,
    backend: Backend,
    // Keeps the SQLite directory alive for the whole test binary.
    _dir: Option<tempfile::TempDir>,
}

static DATABASE: OnceLock<BinaryDatabase> = OnceLock::new();

fn required() -> bool {
    std::env::var("KYORA_TEST_REQUIRE_SERVICES").is_ok_and(|v| v == "1")
}

/// Reads a service variable; panics when CI requires it and it is missing.
///
/// # Panics
/// When `KYORA_TEST_REQUIRE_SERVICES=1` and the variable is unset.
pub fn service_var(name: &str) -> Option<String> {
    match std::env::var(name).ok().filter(|v| !v.trim().is_empty()) {
        Some(value) => Some(value),
        None if required() => panic!("{name} is required by KYORA_TEST_REQUIRE_SERVICES=1"),
        None => None,
    }
}

fn provision() -> BinaryDatabase {
    // Runs on its own thread and runtime: tests each have their own runtime, and the database
    // outlives all of them.
    std::thread::spawn(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime to provision the test database");
        runtime.block_on(async {
            let database = match service_var("KYORA_TEST_DATABASE_URL") {
                Some(admin_url) => create_postgres_database(&admin_url).await,
                None => {
                    let dir = tempfile::tempdir().expect("a temporary directory");
                    let dsn = format!(
                        "sqlite://{}?mode=rwc",
                        dir.path().join("kyora.db").display()
                    );
                    BinaryDatabase {
                        dsn,
                        backend: Backend::Sqlite,
                        _dir: Some(dir),
                    }
                }
            };
            let config = kyora_db::DbConfig {
                dsn: database.dsn.clone(),
                ..kyora_db::DbConfig::default()
            };
            let db = kyora_db::connect(&config)
                .await
                .expect("connecting to the test database");
            kyora_app::migrate::up(&db)
                .await
                .expect("migrating the test database");
            db.close()
                .await
                .expect("closing the provisioning connection");
            database
        })
    })
    .join()
    .expect("provisioning the test database")
}

async fn create_postgres_database(admin_url: &str) -> BinaryDatabase {
    use sea_orm::ConnectionTrait as _;
    let name = format!(
        "kyora_test_{}",
        kyora_core::shared::id::ksuid().to_lowercase()
    );
    let admin = sea_orm::Database::connect(admin_url)
        .await
        .expect("connecting to KYORA_TEST_DATABASE_URL");
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .expect("creating the test database");
    admin.close().await.expect("closing the admin connection");
    let mut url = url_with_database(admin_url, &name);
    if !url.contains('?') {
        url.push_str("?application_name=kyora-tests");
    }
    BinaryDatabase {
        dsn: url,
        backend: Backend::Postgres,
        _dir: None,
    }
}

fn url_with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let authority_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_end..]
        .find('/')
        .map_or(base.len(), |i| authority_end + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// The database of this test binary, created and migrated on first use.
pub fn database_dsn() -> (&'static str, Backend) {
    let db = DATABASE.get_or_init(provision);
    (db.dsn.as_str(), db.backend.clone())
}

/// A configuration on the embedded defaults, pointed at this binary's database and the cache the
/// environment selects.
pub fn test_config() -> Config {
    let (dsn, _) = database_dsn();
    let mut config = Config::default();
    config.database.dsn = dsn.to_owned();
    config.database.auto_migrate = false;
    if let Some(hosts) = service_var("KYORA_TEST_MEMCACHED") {
        config.cache.hosts = hosts.split(',').map(str::to_owned).collect();
    }
    config.log.level = "ERROR".to_owned();
    config
}

/// The application running on 127.0.0.1 at a free port.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    /// The bound port.
    pub port: u16,
    /// A client that never follows redirects.
    pub client: reqwest::Client,
    /// The adapters the app runs on.
    pub components: Components,
    /// The configuration it runs with.
    pub config: Config,
}

impl TestApp {
    /// The absolute URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }
}

/// Spawns the application on the test configuration.
///
/// # Panics
/// When the application cannot start.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Spawns the application after `adjust` changed the test configuration.
///
/// # Panics
/// When the application cannot start.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let mut config = test_config();
    adjust(&mut config);
    config.validate().expect("a valid test configuration");
    let components = Components::connect(&config)
        .await
        .expect("connecting the test app's adapters");
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding a free port");
    let app = Application::serve(&config, components, listener).expect("serving the test app");
    let port = app.port();
    let components = app.components().clone();
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        port,
        client,
        components,
        config,
    }
}

#[cfg(test)]
mod tests {
    use super::url_with_database;

    #[test]
    fn the_database_name_replaces_the_one_in_the_url() {
        assert_eq!(
            url_with_database("postgres://postgres@127.0.0.1:5432/kyora_ci", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            url_with_database("postgres://u:p@h/db?sslmode=disable", "t2"),
            "postgres://u:p@h/t2?sslmode=disable"
        );
        assert_eq!(
            url_with_database("postgres://h:5432", "t3"),
            "postgres://h:5432/t3"
        );
    }
}
