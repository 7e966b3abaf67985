//! Connecting, the [`Database`] handle and its [`Store`] implementation (the unit of work).

use std::any::Any;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use kyora_core::account::ports::{
    InvitationRepository, SessionRepository, UserRepository, WorkspaceRepository,
};
use kyora_core::billing::ports::{PlanRepository, SubscriptionRepository};
use kyora_core::business::ports::{
    BusinessRepository, PaymentMethodRepository, ShippingZoneRepository,
};
use kyora_core::customer::ports::{
    CustomerAddressRepository, CustomerNoteRepository, CustomerRepository,
};
use kyora_core::ports::store::{ErasedOutput, ErasedWork, Isolation, Store, TxOptions};
use kyora_core::{DomainError, RepoError};
use sea_orm::sqlx::sqlite::SqliteJournalMode;
use sea_orm::{
    AccessMode, ConnectOptions, ConnectionTrait, DatabaseConnection, DatabaseExecutor,
    DatabaseTransaction, DbBackend, DbErr, ExecResult, IsolationLevel, QueryResult,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait, sqlx,
};

use crate::config::{Backend, DbConfig, SqlLogLevel, sqlite_file};
use crate::error::repo_error;

/// How [`connect`] retries: spec 01 §6.2 asks for 5 attempts waiting 1 s, 2 s, … between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectRetry {
    /// Attempts before giving up (at least 1).
    pub attempts: u32,
    /// The wait after the n-th failed attempt is `step × n`.
    pub step: Duration,
    /// How long one attempt may take (the driver itself keeps retrying a refused connection
    /// within an attempt).
    pub attempt_timeout: Duration,
}

impl Default for ConnectRetry {
    fn default() -> Self {
        Self {
            attempts: CONNECT_ATTEMPTS,
            step: Duration::from_secs(1),
            attempt_timeout: Duration::from_secs(5),
        }
    }
}

/// Connection attempts made by [`connect`].
pub const CONNECT_ATTEMPTS: u32 = 5;

/// How long SQLite waits for a lock held by another connection before reporting busy.
pub const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Statements slower than this are logged at WARN (log levels `warn` and `info`).
const SLOW_STATEMENT: Duration = Duration::from_millis(200);

/// Connects to the database of `config` with [`ConnectRetry::default`]: up to
/// [`CONNECT_ATTEMPTS`] attempts of at most 5 s each, waiting 1 s, 2 s, 3 s, 4 s between them
/// (spec 01 §6.2). An attempt succeeds once the database answers a ping.
///
/// PostgreSQL and SQLite are both supported. PostgreSQL sessions run in UTC. SQLite
/// connections use WAL journaling, enforce foreign keys and wait [`SQLITE_BUSY_TIMEOUT`] on a
/// lock; the directory of a SQLite file is created when missing. Migrations are not applied
/// here.
///
/// # Errors
/// [`RepoError::Other`] for an unusable configuration, [`RepoError::Unavailable`] when no attempt
/// succeeded.
pub async fn connect(config: &DbConfig) -> Result<Database, RepoError> {
    connect_with_retry(config, ConnectRetry::default()).await
}

/// [`connect`] with an explicit retry policy.
///
/// # Errors
/// As for [`connect`].
pub async fn connect_with_retry(
    config: &DbConfig,
    retry: ConnectRetry,
) -> Result<Database, RepoError> {
    let url = config
        .url()
        .map_err(|err| RepoError::Other(err.to_string()))?;
    let mut options = connect_options(config, &url)?;
    options.connect_lazy(true);
    if let Some(file) = sqlite_file(&url) {
        create_parent_dir(file)?;
    }
    let attempts = retry.attempts.max(1);
    let mut last = String::new();
    for attempt in 1..=attempts {
        let connected =
            tokio::time::timeout(retry.attempt_timeout, connect_once(options.clone())).await;
        match connected {
            Ok(Ok(database)) => return Ok(database),
            Ok(Err(err)) => last = err.to_string(),
            Err(_) => {
                last = format!(
                    "no answer within {}",
                    humantime::format_duration(retry.attempt_timeout)
                );
            }
        }
        tracing::warn!(
            attempt,
            attempts,
            dsn = %config.redacted_dsn(),
            error = %last,
            "database connection failed"
        );
        if attempt < attempts {
            tokio::time::sleep(retry.step * attempt).await;
        }
    }
    Err(RepoError::Unavailable(format!(
        "no connection after {attempts} attempts: {last}"
    )))
}

async fn connect_once(options: ConnectOptions) -> Result<Database, RepoError> {
    let conn = sea_orm::Database::connect(options)
        .await
        .map_err(repo_error)?;
    conn.ping().await.map_err(repo_error)?;
    Database::new(conn)
}

fn create_parent_dir(file: &str) -> Result<(), RepoError> {
    match std::path::Path::new(file).parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir).map_err(|err| {
            RepoError::Unavailable(format!("cannot create {}: {err}", dir.display()))
        }),
        _ => Ok(()),
    }
}

fn connect_options(config: &DbConfig, url: &str) -> Result<ConnectOptions, RepoError> {
    let idle_timeout = config
        .idle_timeout()
        .map_err(|err| RepoError::Other(err.to_string()))?;
    let mut options = ConnectOptions::new(url.to_owned());
    let in_memory = url.starts_with("sqlite:") && sqlite_file(url).is_none();
    if in_memory {
        // Every connection to an in-memory database sees its own database: keep exactly one.
        options
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None);
    } else {
        options
            .max_connections(config.pool_size())
            .min_connections(config.min_idle())
            .idle_timeout(idle_timeout);
    }
    match config.sql_log_level() {
        SqlLogLevel::Silent | SqlLogLevel::Error => {
            options.sqlx_logging(false);
        }
        SqlLogLevel::Warn => {
            options
                .sqlx_logging(true)
                .sqlx_logging_level(log::LevelFilter::Off)
                .sqlx_slow_statements_logging_settings(log::LevelFilter::Warn, SLOW_STATEMENT);
        }
        SqlLogLevel::Info => {
            options
                .sqlx_logging(true)
                .sqlx_logging_level(log::LevelFilter::Info)
                .sqlx_slow_statements_logging_settings(log::LevelFilter::Warn, SLOW_STATEMENT);
        }
    }
    options
        // Bucketing and `date` casts assume a UTC session (spec 05 §4.2).
        .map_sqlx_postgres_opts(|pg| pg.options([("TimeZone", "UTC")]))
        .map_sqlx_sqlite_opts(|sqlite| {
            sqlite
                .journal_mode(SqliteJournalMode::Wal)
                .foreign_keys(true)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
        })
        .map_sqlx_sqlite_pool_opts(|pool| {
            // A read-only unit of work turns `query_only` on for its connection; make sure no
            // connection goes back into the pool with it still on (e.g. when the work was
            // cancelled half-way).
            pool.after_release(|conn, _| {
                Box::pin(async move {
                    sqlx::query("PRAGMA query_only = 0")
                        .execute(&mut *conn)
                        .await?;
                    Ok(true)
                })
            })
        });
    Ok(options)
}

/// The database, on the pool or bound to one open transaction.
///
/// It is cheap to clone, implements sea-orm's [`ConnectionTrait`] (so the repository toolkit
/// and sea-orm queries run on it directly) and the domain's [`Store`] port. The pool-bound
/// handle is what [`connect`] returns; [`Store::run_atomic`] hands the work a
/// transaction-bound one, whose nested `run_atomic` calls become savepoints of the same
/// transaction.
#[derive(Clone)]
pub struct Database {
    conn: Conn,
    backend: Backend,
}

#[derive(Clone)]
enum Conn {
    Pool(DatabaseConnection),
    Transaction(Arc<DatabaseTransaction>),
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("backend", &self.backend)
            .field("in_transaction", &self.in_transaction())
            .finish()
    }
}

impl Database {
    /// Wraps an established sea-orm connection pool.
    ///
    /// # Errors
    /// [`RepoError::Other`] for an engine other than PostgreSQL or SQLite.
    pub fn new(conn: DatabaseConnection) -> Result<Self, RepoError> {
        let backend = match conn.get_database_backend() {
            DbBackend::Postgres => Backend::Postgres,
            DbBackend::Sqlite => Backend::Sqlite,
            other => {
                return Err(RepoError::Other(format!(
                    "unsupported database backend {}",
                    other.as_str()
                )));
            }
        };
        Ok(Self {
            conn: Conn::Pool(conn),
            backend,
        })
    }

    /// The concrete store behind a `&dyn Store`, for adapters' own code and tests.
    ///
    /// # Errors
    /// [`RepoError::Other`] when `store` is not a [`Database`].
    pub fn of(store: &dyn Store) -> Result<&Self, RepoError> {
        store
            .as_any()
            .downcast_ref::<Self>()
            .ok_or_else(|| RepoError::Other("the store is not a kyora-db Database".into()))
    }

    /// PostgreSQL or SQLite.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection (pool or transaction) as a sea-orm executor, e.g. for migrations.
    pub fn connection(&self) -> DatabaseExecutor<'_> {
        match &self.conn {
            Conn::Pool(pool) => DatabaseExecutor::Connection(pool),
            Conn::Transaction(tx) => DatabaseExecutor::Transaction(tx),
        }
    }

    /// The pool, unless this handle is bound to a transaction.
    pub fn pool(&self) -> Option<&DatabaseConnection> {
        match &self.conn {
            Conn::Pool(pool) => Some(pool),
            Conn::Transaction(_) => None,
        }
    }

    /// Closes the pool (at shutdown); a transaction-bound handle is left alone.
    ///
    /// # Errors
    /// The driver's error, as [`RepoError`].
    pub async fn close(&self) -> Result<(), RepoError> {
        match &self.conn {
            Conn::Pool(pool) => pool.close_by_ref().await.map_err(repo_error),
            Conn::Transaction(_) => Ok(()),
        }
    }

    fn bound_to(&self, tx: DatabaseTransaction) -> Self {
        Self {
            conn: Conn::Transaction(Arc::new(tx)),
            backend: self.backend,
        }
    }

    fn transaction_options(&self, options: TxOptions) -> TransactionOptions {
        match self.backend {
            Backend::Postgres => TransactionOptions {
                isolation_level: match options.isolation {
                    Isolation::Default => None,
                    Isolation::RepeatableRead => Some(IsolationLevel::RepeatableRead),
                    Isolation::Serializable => Some(IsolationLevel::Serializable),
                },
                access_mode: options.read_only.then_some(AccessMode::ReadOnly),
                sqlite_transaction_mode: None,
            },
            // SQLite transactions are serializable whatever the level; a writer takes the write
            // lock up front so concurrent writers queue on the busy timeout instead of failing
            // when they first write.
            Backend::Sqlite => TransactionOptions {
                isolation_level: None,
                access_mode: None,
                sqlite_transaction_mode: (!options.read_only)
                    .then_some(SqliteTransactionMode::Immediate),
            },
        }
    }

    /// One run of the work in a new top-level transaction.
    async fn run_once(
        &self,
        pool: &DatabaseConnection,
        options: TxOptions,
        work: &mut ErasedWork<'_>,
    ) -> Result<ErasedOutput, DomainError> {
        let tx = pool
            .begin_with_options(self.transaction_options(options))
            .await
            .map_err(repo_error)?;
        let store = self.bound_to(tx);
        let sqlite_read_only = options.read_only && self.backend == Backend::Sqlite;
        if sqlite_read_only {
            store
                .execute_unprepared("PRAGMA query_only = 1")
                .await
                .map_err(repo_error)?;
        }
        let mut result = work(&store).await;
        if sqlite_read_only
            && let Err(err) = store.execute_unprepared("PRAGMA query_only = 0").await
            && result.is_ok()
        {
            result = Err(repo_error(err).into());
        }
        finish(store, result).await
    }
}

/// Commits on `Ok`, rolls back on `Err`.
async fn finish(
    store: Database,
    result: Result<ErasedOutput, DomainError>,
) -> Result<ErasedOutput, DomainError> {
    let Conn::Transaction(tx) = store.conn else {
        return result;
    };
    let Ok(tx) = Arc::try_unwrap(tx) else {
        // Someone kept a clone of the transaction-bound store: the transaction rolls back when
        // the last clone is dropped.
        return Err(DomainError::internal(
            "a transaction-bound store outlived its unit of work",
        ));
    };
    match result {
        Ok(output) => {
            tx.commit().await.map_err(repo_error)?;
            Ok(output)
        }
        Err(err) => {
            if let Err(rollback) = tx.rollback().await {
                tracing::warn!(error = %rollback, "rollback failed");
            }
            Err(err)
        }
    }
}

#[async_trait]
impl Store for Database {
    /// Top level: begins a transaction with `options` (isolation and read-only access on
    /// PostgreSQL; `BEGIN IMMEDIATE` for writers and `query_only` for readers on SQLite), runs
    /// the work, commits on `Ok` and rolls back on `Err`, and re-runs everything after a
    /// serialization failure, deadlock or SQLite busy error, up to `options.retries` times with
    /// [`TxOptions::backoff`] in between.
    ///
    /// Nested (on a transaction-bound store): runs the work in a savepoint of the same
    /// transaction, released on `Ok` and rolled back on `Err`; `options` are ignored there and
    /// retries are left to the outermost call.
    async fn run_atomic(
        &self,
        options: TxOptions,
        mut work: ErasedWork<'_>,
    ) -> Result<ErasedOutput, DomainError> {
        match &self.conn {
            Conn::Transaction(tx) => {
                let savepoint = tx.begin().await.map_err(repo_error)?;
                let store = self.bound_to(savepoint);
                let result = work(&store).await;
                finish(store, result).await
            }
            Conn::Pool(pool) => {
                let mut retried = 0;
                loop {
                    match self.run_once(pool, options, &mut work).await {
                        Err(err) if err.is_retryable() && retried < options.retries => {
                            retried += 1;
                            tracing::debug!(retry = retried, error = %err, "retrying unit of work");
                            tokio::time::sleep(TxOptions::backoff(retried)).await;
                        }
                        other => return other,
                    }
                }
            }
        }
    }

    fn in_transaction(&self) -> bool {
        matches!(self.conn, Conn::Transaction(_))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn workspaces(&self) -> &dyn WorkspaceRepository {
        self
    }

    fn users(&self) -> &dyn UserRepository {
        self
    }

    fn sessions(&self) -> &dyn SessionRepository {
        self
    }

    fn invitations(&self) -> &dyn InvitationRepository {
        self
    }

    fn plans(&self) -> &dyn PlanRepository {
        self
    }

    fn subscriptions(&self) -> &dyn SubscriptionRepository {
        self
    }

    fn businesses(&self) -> &dyn BusinessRepository {
        self
    }

    fn shipping_zones(&self) -> &dyn ShippingZoneRepository {
        self
    }

    fn payment_methods(&self) -> &dyn PaymentMethodRepository {
        self
    }

    fn customers(&self) -> &dyn CustomerRepository {
        self
    }

    fn customer_addresses(&self) -> &dyn CustomerAddressRepository {
        self
    }

    fn customer_notes(&self) -> &dyn CustomerNoteRepository {
        self
    }

    async fn ping(&self) -> Result<(), RepoError> {
        self.query_one_raw(Statement::from_string(
            self.get_database_backend(),
            "SELECT 1",
        ))
        .await
        .map(|_| ())
        .map_err(|err| RepoError::Unavailable(err.to_string()))
    }
}

#[async_trait]
impl ConnectionTrait for Database {
    fn get_database_backend(&self) -> DbBackend {
        match self.backend {
            Backend::Postgres => DbBackend::Postgres,
            Backend::Sqlite => DbBackend::Sqlite,
        }
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.connection().execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.connection().execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.connection().query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.connection().query_all_raw(stmt).await
    }
}
