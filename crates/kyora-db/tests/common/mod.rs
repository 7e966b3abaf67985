//! Shared by the integration tests: test-only tables (`widgets`, `tags`), fixtures, and the
//! macro that runs every test once on SQLite and once on PostgreSQL.

#![allow(dead_code)]

use chrono::{DateTime, Utc};
use kyora_db::Database;
use kyora_db::sea_orm::{ActiveValue::Set, prelude::Decimal};
use kyora_migration::schema::{add_standard_columns, create_standard_table, partial_unique_index};
use sea_orm_migration::prelude::{ColumnDef, SchemaManager};

pub mod widget {
    use kyora_db::repo::{BusinessScoped, FieldMap, Table, WorkspaceScoped};
    use kyora_db::sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "widgets")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub workspace_id: String,
        pub business_id: String,
        pub name: String,
        #[sea_orm(column_type = "Decimal(Some((19, 4)))")]
        pub amount: Decimal,
        pub quantity: i32,
        pub status: String,
        pub note: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub deleted_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(has_many = "super::tag::Entity")]
        Tags,
    }

    impl Related<super::tag::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Tags.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}

    impl Table for Entity {
        const ID: Column = Column::Id;
        const CREATED_AT: Column = Column::CreatedAt;
        const UPDATED_AT: Column = Column::UpdatedAt;
        const DELETED_AT: Column = Column::DeletedAt;
        const FIELDS: FieldMap<Column> = FieldMap::new(&[
            ("id", Column::Id),
            ("createdAt", Column::CreatedAt),
            ("name", Column::Name),
            ("amount", Column::Amount),
            ("quantity", Column::Quantity),
        ]);
    }

    impl WorkspaceScoped for Entity {
        const WORKSPACE_ID: Column = Column::WorkspaceId;
    }

    impl BusinessScoped for Entity {
        const BUSINESS_ID: Column = Column::BusinessId;
    }
}

pub mod tag {
    use kyora_db::repo::{FieldMap, Table};
    use kyora_db::sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "tags")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub widget_id: String,
        pub label: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub deleted_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(
            belongs_to = "super::widget::Entity",
            from = "Column::WidgetId",
            to = "super::widget::Column::Id"
        )]
        Widget,
    }

    impl Related<super::widget::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Widget.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}

    impl Table for Entity {
        const ID: Column = Column::Id;
        const CREATED_AT: Column = Column::CreatedAt;
        const UPDATED_AT: Column = Column::UpdatedAt;
        const DELETED_AT: Column = Column::DeletedAt;
        const FIELDS: FieldMap<Column> = FieldMap::new(&[("label", Column::Label)]);
    }
}

/// Creates `widgets` and `tags` with the migration helpers later migrations use.
pub async fn create_tables(db: &Database) {
    let manager = SchemaManager::new(db.connection());
    let mut widgets = sea_orm_migration::prelude::Table::create();
    widgets.table("widgets");
    add_standard_columns(&mut widgets)
        .col(ColumnDef::new("workspace_id").text().not_null())
        .col(ColumnDef::new("business_id").text().not_null())
        .col(ColumnDef::new("name").text().not_null())
        .col(ColumnDef::new("amount").decimal_len(19, 4).not_null())
        .col(ColumnDef::new("quantity").integer().not_null())
        .col(ColumnDef::new("status").text().not_null())
        .col(ColumnDef::new("note").text().null());
    create_standard_table(&manager, "widgets", widgets)
        .await
        .unwrap();
    manager
        .create_index(partial_unique_index(
            "idx_widgets_workspace_name",
            "widgets",
            ["workspace_id", "name"],
        ))
        .await
        .unwrap();
    let mut tags = sea_orm_migration::prelude::Table::create();
    tags.table("tags");
    add_standard_columns(&mut tags)
        .col(ColumnDef::new("widget_id").text().not_null())
        .col(ColumnDef::new("label").text().not_null());
    create_standard_table(&manager, "tags", tags).await.unwrap();
}

pub const WS: &str = "wrk_one";
pub const OTHER_WS: &str = "wrk_two";
pub const BIZ: &str = "bus_one";
pub const OTHER_BIZ: &str = "bus_two";

pub fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .with_timezone(&Utc)
}

pub fn base_time() -> DateTime<Utc> {
    at("2024-03-01T10:00:00Z")
}

/// A widget model in workspace `WS` / business `BIZ`.
pub fn widget(name: &str, amount: Decimal, created_at: DateTime<Utc>) -> widget::ActiveModel {
    widget::ActiveModel {
        id: Set(kyora_core::shared::id::new_id(
            kyora_core::shared::id::IdPrefix::Product,
        )),
        workspace_id: Set(WS.to_owned()),
        business_id: Set(BIZ.to_owned()),
        name: Set(name.to_owned()),
        amount: Set(amount),
        quantity: Set(1),
        status: Set("active".to_owned()),
        note: Set(None),
        created_at: Set(created_at),
        updated_at: Set(created_at),
        deleted_at: Set(None),
    }
}

/// Inserts `model` on `db` (pool or transaction).
pub async fn insert(
    db: &impl kyora_db::sea_orm::ConnectionTrait,
    model: widget::ActiveModel,
) -> widget::Model {
    kyora_db::repo::create(db, model).await.unwrap()
}

/// Runs each listed `async fn(&Database)` as `sqlite::<name>` and `postgres::<name>` (the latter
/// only when `KYORA_TEST_DATABASE_URL` is set, or failing when services are required); the
/// `postgres_only` list runs on PostgreSQL alone.
macro_rules! on_both_backends {
    (both: [$($test:ident),* $(,)?], postgres_only: [$($pg:ident),* $(,)?] $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let db = kyora_db::testing::TestDatabase::sqlite().await;
                    crate::common::create_tables(&db).await;
                    super::$test(&db).await;
                }
            )*
        }

        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let Some(db) = kyora_db::testing::TestDatabase::postgres().await else {
                        return;
                    };
                    crate::common::create_tables(&db).await;
                    super::$test(&db).await;
                }
            )*
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $pg() {
                    let Some(db) = kyora_db::testing::TestDatabase::postgres().await else {
                        return;
                    };
                    crate::common::create_tables(&db).await;
                    super::$pg(&db).await;
                }
            )*
        }
    };
}
