//! Businesses and what hangs off them directly: `businesses`, `shipping_zones` and
//! `business_payment_methods` (spec 02 §2.1–2.5).
//!
//! Every table carries the standard columns. Uniqueness: a descriptor per workspace and a zone
//! name per business among live rows (`idx_workspace_id_descriptor`,
//! `idx_shipping_zone_business_name`, partial `WHERE deleted_at IS NULL`), the storefront public
//! id everywhere (`idx_businesses_storefront_public_id`) and one settings row per business and
//! payment method (`idx_business_payment_method`; those rows are never deleted). Foreign keys
//! are plain references without cascades: soft-deleting a business touches none of its children.
//!
//! `logo`, `storefront_theme` and `countries` are `jsonb` on PostgreSQL and JSON text on SQLite;
//! amounts are `numeric` (REAL affinity on SQLite, read back exactly for every value the API
//! accepts at the precision clients use); `established_at` is a `date`.

use sea_orm_migration::prelude::*;

use crate::schema::{
    create_standard_table, index, new_table, partial_unique_index, references, text,
};

const WORKSPACES: &str = "workspaces";
const BUSINESSES: &str = "businesses";
const ZONES: &str = "shipping_zones";
const PAYMENT_METHODS: &str = "business_payment_methods";

/// Dropped children first by `down`.
const TABLES: [&str; 3] = [PAYMENT_METHODS, ZONES, BUSINESSES];

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

fn text_default(name: &'static str) -> ColumnDef {
    ColumnDef::new(name)
        .text()
        .not_null()
        .default("")
        .to_owned()
}

fn amount(name: &'static str) -> ColumnDef {
    ColumnDef::new(name)
        .decimal()
        .not_null()
        .default(0)
        .to_owned()
}

fn flag(name: &'static str) -> ColumnDef {
    ColumnDef::new(name)
        .boolean()
        .not_null()
        .default(false)
        .to_owned()
}

/// `jsonb` on PostgreSQL, JSON text on SQLite; `default` (a JSON literal) when given, else
/// nullable.
fn json(manager: &SchemaManager, name: &'static str, default: Option<&'static str>) -> ColumnDef {
    let mut column = ColumnDef::new(name);
    match manager.get_database_backend() {
        sea_orm::DbBackend::Postgres => column.json_binary(),
        _ => column.json(),
    };
    match default {
        Some(value) => column.not_null().default(value),
        None => column.null(),
    };
    column.to_owned()
}

async fn businesses(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let mut table = new_table(BUSINESSES);
    table
        .col(text("workspace_id"))
        .col(text("descriptor"))
        .col(text_default("name"))
        .col(text_default("brand"))
        .col(json(manager, "logo", None))
        .col(text("country_code"))
        .col(text("currency"))
        .col(text("storefront_public_id"))
        .col(flag("storefront_enabled"))
        .col(json(manager, "storefront_theme", Some("{}")))
        .col(text_default("support_email"))
        .col(text_default("phone_number"))
        .col(text_default("whatsapp_number"))
        .col(text_default("address"))
        .col(text_default("website_url"))
        .col(text_default("instagram_url"))
        .col(text_default("facebook_url"))
        .col(text_default("tiktok_url"))
        .col(text_default("x_url"))
        .col(text_default("snapchat_url"))
        .col(amount("vat_rate"))
        .col(amount("safety_buffer"))
        .col(
            ColumnDef::new("established_at")
                .date()
                .not_null()
                .default(Expr::current_date()),
        )
        .col(
            ColumnDef::new("archived_at")
                .timestamp_with_time_zone()
                .null(),
        )
        .foreign_key(&mut references(
            "fk_businesses_workspace_id",
            (BUSINESSES, "workspace_id"),
            (WORKSPACES, "id"),
        ));
    create_standard_table(manager, BUSINESSES, table).await?;
    manager
        .create_index(partial_unique_index(
            "idx_workspace_id_descriptor",
            BUSINESSES,
            ["workspace_id", "descriptor"],
        ))
        .await?;
    manager
        .create_index(
            index(
                "idx_businesses_storefront_public_id",
                BUSINESSES,
                ["storefront_public_id"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
    manager
        .create_index(index(
            "idx_businesses_workspace_id_created_at",
            BUSINESSES,
            ["workspace_id", "created_at"],
        ))
        .await
}

async fn shipping_zones(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let mut table = new_table(ZONES);
    table
        .col(text("business_id"))
        .col(text("name"))
        .col(json(manager, "countries", Some("[]")))
        .col(text("currency"))
        .col(amount("shipping_cost"))
        .col(amount("free_shipping_threshold"))
        .foreign_key(&mut references(
            "fk_shipping_zones_business_id",
            (ZONES, "business_id"),
            (BUSINESSES, "id"),
        ));
    create_standard_table(manager, ZONES, table).await?;
    manager
        .create_index(partial_unique_index(
            "idx_shipping_zone_business_name",
            ZONES,
            ["business_id", "name"],
        ))
        .await?;
    manager
        .create_index(index(
            "idx_shipping_zones_business_id",
            ZONES,
            ["business_id"],
        ))
        .await
}

async fn payment_methods(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let mut table = new_table(PAYMENT_METHODS);
    table
        .col(text("business_id"))
        .col(text("descriptor"))
        .col(flag("enabled"))
        .col(amount("fee_percent"))
        .col(amount("fee_fixed"))
        .foreign_key(&mut references(
            "fk_business_payment_methods_business_id",
            (PAYMENT_METHODS, "business_id"),
            (BUSINESSES, "id"),
        ));
    create_standard_table(manager, PAYMENT_METHODS, table).await?;
    manager
        .create_index(
            index(
                "idx_business_payment_method",
                PAYMENT_METHODS,
                ["business_id", "descriptor"],
            )
            .unique()
            .to_owned(),
        )
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        businesses(manager).await?;
        shipping_zones(manager).await?;
        payment_methods(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
