//! `kyora migrate up|down|status`.

use anyhow::Context as _;
use kyora_migration::{Migrator, MigratorTrait};

/// Applies every pending migration.
///
/// # Errors
/// When a migration fails.
pub async fn up(database: &kyora_db::Database) -> anyhow::Result<()> {
    Migrator::up(database.connection(), None)
        .await
        .context("applying migrations")
}

/// Rolls the last migration back.
///
/// # Errors
/// When the rollback fails.
pub async fn down(database: &kyora_db::Database) -> anyhow::Result<()> {
    Migrator::down(database.connection(), Some(1))
        .await
        .context("rolling back the last migration")
}

/// Each migration with whether it is applied.
///
/// # Errors
/// When the migration table cannot be read.
pub async fn status(database: &kyora_db::Database) -> anyhow::Result<Vec<(String, bool)>> {
    let states = kyora_migration::status(&database.connection())
        .await
        .context("reading migration status")?;
    Ok(states.into_iter().map(|s| (s.name, s.applied)).collect())
}
