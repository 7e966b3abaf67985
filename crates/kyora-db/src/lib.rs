//! Kyora's persistence adapter: sea-orm on PostgreSQL and SQLite from the same code.
//!
//! The rule of this crate: every query is written once, against sea-orm's `ConnectionTrait`,
//! so it runs on the pool or inside a unit of work on either database; driver errors become
//! [`RepoError`](kyora_core::RepoError)s in one place ([`repo_error`]); soft-deleted rows are
//! invisible unless a query asks for them; aggregates and time series run in SQL. No sea-orm
//! type crosses into the domain.
//!
//! - [`DbConfig`] and [`connect`]: the `database.*` settings, DSN forms, retrying connection.
//! - [`Database`]: the handle — a sea-orm connection and the domain's
//!   [`Store`](kyora_core::ports::Store) (unit of work with retries and savepoints).
//! - [`repo`]: the repository toolkit (tables, scopes, queries, aggregates, time series).
//! - [`entities`]: the sea-orm entities of the domain tables and their conversions; the
//!   repositories themselves are implemented on [`Database`] (accounts: workspaces, users,
//!   sessions, invitations; billing: plans, subscriptions; businesses: businesses, shipping
//!   zones, payment-method settings; customers: customers, addresses, notes).
//! - `testing` (feature): [`TestDatabase`](testing::TestDatabase), a fresh migrated database.
//!
//! Migrations live in `kyora-migration`; the application applies them on the pool with
//! `Migrator::up(db.connection(), None)` (and `kyora_migration::status(&db.connection())`).

mod account;
mod billing;
mod business;
pub mod config;
mod customer;
pub mod database;
pub mod entities;
pub mod error;
pub mod repo;

#[cfg(feature = "testing")]
pub mod testing;

pub use config::{Backend, ConfigError, DbConfig, SqlLogLevel, normalize_dsn, redact_dsn};
pub use database::{CONNECT_ATTEMPTS, ConnectRetry, Database, connect, connect_with_retry};
pub use error::repo_error;
pub use sea_orm;
