//! Helpers every table migration reuses, so the standard columns and the soft-delete-aware
//! uniqueness rule (spec 01 §2) are written once.
//!
//! ```ignore
//! let mut table = Table::create();
//! table.table("widgets").if_not_exists();
//! add_standard_columns(&mut table)
//!     .col(ColumnDef::new("workspace_id").text().not_null())
//!     .col(ColumnDef::new("name").text().not_null());
//! create_standard_table(manager, "widgets", table).await?;
//! manager
//!     .create_index(partial_unique_index("idx_widgets_name", "widgets", ["workspace_id", "name"]))
//!     .await?;
//! ```

use sea_orm_migration::prelude::*;

/// The primary key column of every table.
pub const ID: &str = "id";
/// Creation time.
pub const CREATED_AT: &str = "created_at";
/// Last change time.
pub const UPDATED_AT: &str = "updated_at";
/// Soft-delete time; `NULL` while the row is live.
pub const DELETED_AT: &str = "deleted_at";

/// Adds the standard columns to `table`: `id` (text primary key), `created_at` and `updated_at`
/// (timestamptz, not null) and `deleted_at` (timestamptz, nullable).
///
/// The index on `deleted_at` is a separate statement: see [`deleted_at_index`] and
/// [`create_standard_table`].
pub fn add_standard_columns(table: &mut TableCreateStatement) -> &mut TableCreateStatement {
    table
        .col(ColumnDef::new(ID).text().not_null().primary_key())
        .col(
            ColumnDef::new(CREATED_AT)
                .timestamp_with_time_zone()
                .not_null(),
        )
        .col(
            ColumnDef::new(UPDATED_AT)
                .timestamp_with_time_zone()
                .not_null(),
        )
        .col(ColumnDef::new(DELETED_AT).timestamp_with_time_zone().null())
}

/// The index on `<table>.deleted_at`, named `idx_<table>_deleted_at`.
pub fn deleted_at_index(table: impl IntoIden) -> IndexCreateStatement {
    let table = table.into_iden();
    let name = format!("idx_{table}_{DELETED_AT}");
    Index::create()
        .name(name)
        .table(table)
        .col(DELETED_AT)
        .if_not_exists()
        .to_owned()
}

/// Creates `table` (built with [`add_standard_columns`]) and its `deleted_at` index.
///
/// # Errors
/// The database error of either statement.
pub async fn create_standard_table(
    manager: &SchemaManager<'_>,
    table_name: impl IntoIden,
    table: TableCreateStatement,
) -> Result<(), DbErr> {
    manager.create_table(table).await?;
    manager.create_index(deleted_at_index(table_name)).await
}

/// A unique index over `columns` of `table` that ignores soft-deleted rows
/// (`CREATE UNIQUE INDEX … WHERE deleted_at IS NULL`), so a value becomes reusable once the row
/// holding it is soft-deleted. Partial indexes work alike on PostgreSQL and SQLite.
pub fn partial_unique_index<I, C>(
    name: impl Into<String>,
    table: impl IntoIden,
    columns: I,
) -> IndexCreateStatement
where
    I: IntoIterator<Item = C>,
    C: IntoIden,
{
    let mut index = Index::create();
    index
        .name(name.into())
        .table(table)
        .unique()
        .if_not_exists();
    for column in columns {
        index.col(column);
    }
    index.and_where(Expr::col(DELETED_AT).is_null());
    index.to_owned()
}

/// A `text NOT NULL` column.
pub fn text(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).text().not_null().to_owned()
}

/// A nullable `text` column.
pub fn nullable_text(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).text().null().to_owned()
}

/// A foreign key `from` (table, column) `to` (table, column).
pub fn references(
    name: &str,
    from: (&'static str, &'static str),
    to: (&'static str, &'static str),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .to_owned()
}

/// A plain index over `columns` of `table`.
pub fn index<const N: usize>(
    name: &str,
    table: &'static str,
    columns: [&'static str; N],
) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table).if_not_exists();
    for column in columns {
        index.col(column);
    }
    index.to_owned()
}

/// A table statement named `name` with the standard columns already added.
pub fn new_table(name: &'static str) -> TableCreateStatement {
    let mut table = Table::create();
    table.table(name);
    add_standard_columns(&mut table);
    table
}
