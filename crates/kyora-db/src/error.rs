//! The one place where driver errors become the domain's [`RepoError`].

use std::ops::Deref;

use kyora_core::RepoError;
use sea_orm::{DbErr, RuntimeErr, sqlx};

/// PostgreSQL: unique violation.
const PG_UNIQUE_VIOLATION: &str = "23505";
/// PostgreSQL: serialization failure.
const PG_SERIALIZATION_FAILURE: &str = "40001";
/// PostgreSQL: deadlock detected.
const PG_DEADLOCK_DETECTED: &str = "40P01";
/// SQLite primary result codes (the low byte of the extended code).
const SQLITE_BUSY: i64 = 5;
const SQLITE_LOCKED: i64 = 6;
/// SQLite extended codes of unique and primary-key violations.
const SQLITE_CONSTRAINT_UNIQUE: i64 = 2067;
const SQLITE_CONSTRAINT_PRIMARYKEY: i64 = 1555;

/// Translates a sea-orm error into the domain's repository error.
///
/// - no row found or updated → [`RepoError::NotFound`];
/// - unique violation (PostgreSQL 23505, SQLite `UNIQUE constraint failed`) →
///   [`RepoError::Conflict`] carrying the constraint name (PostgreSQL) or the constrained
///   columns / index (SQLite);
/// - serialization failure or deadlock (PostgreSQL 40001 / 40P01), SQLite busy or locked →
///   [`RepoError::Serialization`], which the unit of work retries;
/// - the pool or the connection failing (acquire timeout, closed pool, I/O, TLS) →
///   [`RepoError::Unavailable`];
/// - anything else → [`RepoError::Other`].
pub fn repo_error(err: DbErr) -> RepoError {
    match &err {
        DbErr::RecordNotFound(_) | DbErr::RecordNotUpdated => RepoError::NotFound,
        DbErr::ConnectionAcquire(_) => RepoError::Unavailable(err.to_string()),
        DbErr::Conn(RuntimeErr::SqlxError(inner))
        | DbErr::Exec(RuntimeErr::SqlxError(inner))
        | DbErr::Query(RuntimeErr::SqlxError(inner)) => {
            sqlx_error(inner.deref(), matches!(err, DbErr::Conn(_)))
        }
        DbErr::Conn(_) => RepoError::Unavailable(err.to_string()),
        _ => from_message(err.to_string()),
    }
}

fn sqlx_error(err: &sqlx::Error, connecting: bool) -> RepoError {
    match err {
        sqlx::Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            let message = db.message().to_owned();
            match code.as_ref() {
                PG_UNIQUE_VIOLATION => {
                    RepoError::Conflict(db.constraint().map_or(message, str::to_owned))
                }
                PG_SERIALIZATION_FAILURE | PG_DEADLOCK_DETECTED => {
                    RepoError::Serialization(format!("{code}: {message}"))
                }
                sqlite if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() => {
                    match sqlite.parse::<i64>() {
                        Ok(SQLITE_CONSTRAINT_UNIQUE | SQLITE_CONSTRAINT_PRIMARYKEY) => {
                            RepoError::Conflict(
                                message
                                    .strip_prefix("UNIQUE constraint failed: ")
                                    .unwrap_or(&message)
                                    .to_owned(),
                            )
                        }
                        Ok(extended) if matches!(extended & 0xff, SQLITE_BUSY | SQLITE_LOCKED) => {
                            RepoError::Serialization(format!("SQLITE {extended}: {message}"))
                        }
                        _ if connecting => RepoError::Unavailable(message),
                        _ => from_message(format!("{code}: {message}")),
                    }
                }
                _ if connecting => RepoError::Unavailable(message),
                _ => from_message(format!("{code}: {message}")),
            }
        }
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Protocol(_) => RepoError::Unavailable(err.to_string()),
        sqlx::Error::RowNotFound => RepoError::NotFound,
        _ if connecting => RepoError::Unavailable(err.to_string()),
        _ => from_message(err.to_string()),
    }
}

/// Errors that reach us only as text (wrapped by the driver or by sea-orm).
fn from_message(message: String) -> RepoError {
    if message.contains("UNIQUE constraint failed") {
        RepoError::Conflict(message)
    } else if message.contains("database is locked") || message.contains("database is busy") {
        RepoError::Serialization(message)
    } else {
        RepoError::Other(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::ConnAcquireErr;

    #[test]
    fn missing_rows_are_not_found() {
        assert_eq!(
            repo_error(DbErr::RecordNotFound("widget".into())),
            RepoError::NotFound
        );
        assert_eq!(repo_error(DbErr::RecordNotUpdated), RepoError::NotFound);
    }

    #[test]
    fn pool_and_connection_failures_are_unavailable() {
        assert!(matches!(
            repo_error(DbErr::ConnectionAcquire(ConnAcquireErr::Timeout)),
            RepoError::Unavailable(_)
        ));
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        assert!(matches!(
            repo_error(DbErr::Query(RuntimeErr::SqlxError(
                sqlx::Error::Io(io).into()
            ))),
            RepoError::Unavailable(_)
        ));
        assert!(matches!(
            repo_error(DbErr::Conn(RuntimeErr::Internal("gone".into()))),
            RepoError::Unavailable(_)
        ));
    }

    #[test]
    fn locked_databases_reported_as_text_are_retryable() {
        assert!(matches!(
            repo_error(DbErr::Custom("database is locked".into())),
            RepoError::Serialization(_)
        ));
        assert!(matches!(
            repo_error(DbErr::Type("bad".into())),
            RepoError::Other(_)
        ));
    }
}
