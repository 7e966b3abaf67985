//! Customers and what hangs off them: `customers`, `customer_addresses`, `customer_notes`
//! (spec 02 §2.6–2.8).
//!
//! - Foreign keys are plain references (no cascades): customers → businesses, addresses and
//!   notes → customers. Rows are only ever soft-deleted, so none of them can block a flow.
//! - `idx_business_email`: a customer email is unique per business among live customers that
//!   have one (`WHERE deleted_at IS NULL AND email IS NOT NULL`), compared exactly.
//! - The list's filters and orderings have indexes over live rows: (business, created_at, id)
//!   for the default newest-first page and its count, (business, name), (business,
//!   country_code); addresses and notes by (customer, created_at).
//! - PostgreSQL only (raw SQL): the generated `search_vector` column ('simple' configuration;
//!   weight A name and email, B phone and WhatsApp numbers, C Instagram and TikTok usernames),
//!   its GIN index `customers_search_vector_gin_idx`, and the trigram indexes
//!   `customers_name_trgm_idx` / `customers_email_trgm_idx` (pg_trgm comes from the platform
//!   migration). SQLite has none of these; its search falls back to `LIKE`.

use sea_orm_migration::prelude::*;

use crate::schema::{
    DELETED_AT, create_standard_table, new_table, nullable_text, references, text,
};

const CUSTOMERS: &str = "customers";
const ADDRESSES: &str = "customer_addresses";
const NOTES: &str = "customer_notes";

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

/// An index over the live rows of `table`.
fn live_index<const N: usize>(
    name: &str,
    table: &'static str,
    columns: [&'static str; N],
) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table).if_not_exists();
    for column in columns {
        index.col(column);
    }
    index.and_where(Expr::col(DELETED_AT).is_null());
    index.to_owned()
}

/// The generated search column and the GIN indexes of spec 02 §2.6.
const POSTGRES_SEARCH: [&str; 4] = [
    "ALTER TABLE customers ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, coalesce(name, '')), 'A') ||
        setweight(to_tsvector('simple'::regconfig, coalesce(email, '')), 'A') ||
        setweight(to_tsvector('simple'::regconfig, coalesce(phone_number, '')), 'B') ||
        setweight(to_tsvector('simple'::regconfig, coalesce(whatsapp_number, '')), 'B') ||
        setweight(to_tsvector('simple'::regconfig, coalesce(instagram_username, '')), 'C') ||
        setweight(to_tsvector('simple'::regconfig, coalesce(tiktok_username, '')), 'C')
    ) STORED",
    "CREATE INDEX IF NOT EXISTS customers_search_vector_gin_idx ON customers USING GIN (search_vector)",
    "CREATE INDEX IF NOT EXISTS customers_name_trgm_idx ON customers USING GIN (name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS customers_email_trgm_idx ON customers USING GIN (email gin_trgm_ops)",
];

async fn customers(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let mut table = new_table(CUSTOMERS);
    table
        .col(text("business_id"))
        .col(text("name"))
        .col(text("country_code"))
        .col(ColumnDef::new("gender").text().not_null().default(""))
        .col(nullable_text("email"))
        .col(nullable_text("phone_number"))
        .col(nullable_text("phone_code"))
        .col(nullable_text("tiktok_username"))
        .col(nullable_text("instagram_username"))
        .col(nullable_text("facebook_username"))
        .col(nullable_text("x_username"))
        .col(nullable_text("snapchat_username"))
        .col(nullable_text("whatsapp_number"))
        .col(
            ColumnDef::new("joined_at")
                .timestamp_with_time_zone()
                .not_null()
                .default(Expr::current_timestamp()),
        )
        .foreign_key(&mut references(
            "fk_customers_business_id",
            (CUSTOMERS, "business_id"),
            ("businesses", "id"),
        ));
    create_standard_table(manager, CUSTOMERS, table).await?;
    let mut email = live_index("idx_business_email", CUSTOMERS, ["business_id", "email"]);
    email.unique().and_where(Expr::col("email").is_not_null());
    manager.create_index(email).await?;
    for (name, columns) in [
        (
            "idx_customers_business_id_created_at",
            ["business_id", "created_at", "id"].as_slice(),
        ),
        ("idx_customers_business_id_name", &["business_id", "name"]),
        (
            "idx_customers_business_id_country_code",
            &["business_id", "country_code"],
        ),
    ] {
        let mut index = live_index(name, CUSTOMERS, []);
        for column in columns {
            index.col(*column);
        }
        manager.create_index(index).await?;
    }
    if manager.get_database_backend() == sea_orm::DbBackend::Postgres {
        for sql in POSTGRES_SEARCH {
            manager.get_connection().execute_unprepared(sql).await?;
        }
    }
    Ok(())
}

async fn addresses(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let mut table = new_table(ADDRESSES);
    table
        .col(text("customer_id"))
        .col(text("country_code"))
        .col(text("state"))
        .col(text("city"))
        .col(nullable_text("street"))
        .col(text("phone_code"))
        .col(text("phone_number"))
        .col(nullable_text("zip_code"))
        .foreign_key(&mut references(
            "fk_customer_addresses_customer_id",
            (ADDRESSES, "customer_id"),
            (CUSTOMERS, "id"),
        ));
    create_standard_table(manager, ADDRESSES, table).await?;
    manager
        .create_index(live_index(
            "idx_customer_addresses_customer_id",
            ADDRESSES,
            ["customer_id", "created_at"],
        ))
        .await
}

async fn notes(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let mut table = new_table(NOTES);
    table
        .col(text("customer_id"))
        .col(text("content"))
        .foreign_key(&mut references(
            "fk_customer_notes_customer_id",
            (NOTES, "customer_id"),
            (CUSTOMERS, "id"),
        ));
    create_standard_table(manager, NOTES, table).await?;
    manager
        .create_index(live_index(
            "idx_customer_notes_customer_id",
            NOTES,
            ["customer_id", "created_at"],
        ))
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        customers(manager).await?;
        addresses(manager).await?;
        notes(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [NOTES, ADDRESSES, CUSTOMERS] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
