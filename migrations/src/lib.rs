//! Kyora's schema migrations (sea-orm-migration), one migration per schema change.
//!
//! The rule of this crate: the schema only ever moves forward through [`Migrator`]; every table
//! carries the standard columns of spec 01 §2 ([`schema::add_standard_columns`]) and every
//! uniqueness rule ignores soft-deleted rows ([`schema::partial_unique_index`]). The same
//! migrations run on PostgreSQL and on SQLite.

pub mod schema;

mod m20261125_000001_platform;
mod m20261125_000002_accounts;
mod m20261125_000003_businesses;
mod m20261125_000004_customers;

use sea_orm_migration::MigrationStatus;
use sea_orm_migration::prelude::*;

pub use sea_orm_migration::MigratorTrait;

/// Every migration, in the order it is applied.
#[derive(Debug, Clone, Copy, Default)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_platform::Migration),
            Box::new(m20261125_000002_accounts::Migration),
            Box::new(m20261125_000003_businesses::Migration),
            Box::new(m20261125_000004_customers::Migration),
        ]
    }
}

/// Whether one migration has been applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationState {
    /// The migration's name, e.g. `m20261125_000001_platform`.
    pub name: String,
    /// Whether it has been applied.
    pub applied: bool,
}

/// Every known migration with whether it has been applied, oldest first (`migrate status`).
///
/// Creates the migration bookkeeping table when it does not exist yet.
///
/// # Errors
/// The database error when the bookkeeping table cannot be read or created.
pub async fn status<C>(db: &C) -> Result<Vec<MigrationState>, DbErr>
where
    C: ConnectionTrait,
{
    Ok(Migrator::get_migration_with_status(db)
        .await?
        .iter()
        .map(|migration| MigrationState {
            name: migration.name().to_owned(),
            applied: migration.status() == MigrationStatus::Applied,
        })
        .collect())
}
