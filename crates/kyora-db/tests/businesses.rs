//! The business repositories on SQLite and PostgreSQL: kyora-core's repository contracts (the
//! same assertions the in-memory store passes), then what only a database can show — the
//! business service's serializable creation under concurrency, rollback, stored values, the
//! schema and the migration.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use futures::FutureExt;
use kyora_core::account::Workspace;
use kyora_core::billing::gates::ActivePlan;
use kyora_core::billing::{Plan, PlanFeatures, PlanLimits, Subscription};
use kyora_core::business::{
    Business, BusinessDeps, BusinessService, NewBusiness, PaymentMethodSettings, ShippingZone,
    StorefrontTheme,
};
use kyora_core::ports::{Store, TxOptions, atomic};
use kyora_core::shared::clock::SystemClock;
use kyora_core::shared::id::{IdPrefix, new_id};
use kyora_core::testing::{MemoryCache, contracts};
use kyora_core::{DomainError, RepoError};
use kyora_db::Database;
use kyora_db::entities::{business, shipping_zone};
use kyora_db::repo::Query;
use kyora_db::sea_orm::{ConnectionTrait, DbBackend, Statement};
use kyora_migration::{Migrator, MigratorTrait};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use sea_orm_migration::SchemaManager;

const BUSINESS_TABLES: [&str; 3] = ["businesses", "shipping_zones", "business_payment_methods"];

fn at(seconds: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap() + chrono::Duration::seconds(seconds)
}

/// Runs each listed `async fn(&Database)` as `sqlite::<name>` and `postgres::<name>` (the latter
/// only when `KYORA_TEST_DATABASE_URL` is set, or failing when services are required); the
/// contracts listed under `contracts` come from `kyora_core::testing::contracts`.
macro_rules! on_both_backends {
    (contracts: [$($contract:ident),* $(,)?], both: [$($test:ident),* $(,)?], postgres_only: [$($pg:ident),* $(,)?] $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $contract() {
                    let db = kyora_db::testing::TestDatabase::sqlite().await;
                    kyora_core::testing::contracts::$contract(db.database()).await;
                }
            )*
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let db = kyora_db::testing::TestDatabase::sqlite().await;
                    super::$test(db.database()).await;
                }
            )*
        }

        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $contract() {
                    let Some(db) = kyora_db::testing::TestDatabase::postgres().await else {
                        return;
                    };
                    kyora_core::testing::contracts::$contract(db.database()).await;
                }
            )*
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let Some(db) = kyora_db::testing::TestDatabase::postgres().await else {
                        return;
                    };
                    super::$test(db.database()).await;
                }
            )*
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $pg() {
                    let Some(db) = kyora_db::testing::TestDatabase::postgres().await else {
                        return;
                    };
                    super::$pg(db.database()).await;
                }
            )*
        }
    };
}

async fn new_workspace(db: &Database) -> Workspace {
    let workspace = Workspace {
        id: new_id(IdPrefix::Workspace),
        owner_id: String::new(),
        stripe_customer_id: None,
        stripe_payment_method_id: None,
        created_at: at(0),
        updated_at: at(0),
    };
    db.workspaces().create_workspace(&workspace).await.unwrap();
    workspace
}

fn service(db: &Database) -> BusinessService {
    BusinessService::new(BusinessDeps {
        store: Arc::new(db.clone()),
        cache: Arc::new(MemoryCache::default()),
        clock: Arc::new(SystemClock),
    })
}

fn input(descriptor: &str) -> NewBusiness {
    NewBusiness {
        name: "Test Business".into(),
        descriptor: descriptor.into(),
        country_code: "eg".into(),
        currency: "usd".into(),
        vat_rate: dec!(0.14),
        safety_buffer: dec!(100.50),
        established_at: NaiveDate::from_ymd_opt(2020, 1, 1),
        ..NewBusiness::default()
    }
}

fn plan(max_businesses: i64) -> ActivePlan {
    let plan = Plan {
        id: new_id(IdPrefix::Plan),
        descriptor: "test".into(),
        name: "Test".into(),
        description: String::new(),
        stripe_plan_id: None,
        price: Decimal::ZERO,
        currency: "aed".into(),
        billing_cycle: "monthly".into(),
        features: PlanFeatures::default(),
        limits: PlanLimits {
            max_orders_per_month: -1,
            max_team_members: -1,
            max_businesses,
        },
        created_at: at(0),
        updated_at: at(0),
    };
    ActivePlan {
        subscription: Subscription {
            id: new_id(IdPrefix::Subscription),
            workspace_id: String::new(),
            plan_id: plan.id.clone(),
            stripe_sub_id: "sub_test".into(),
            current_period_end: at(0),
            status: "active".into(),
            created_at: at(0),
            updated_at: at(0),
        },
        plan,
    }
}

async fn the_contracts_hold_inside_a_unit_of_work(db: &Database) {
    atomic(db, TxOptions::serializable(), |tx| {
        async move {
            assert!(tx.in_transaction());
            contracts::businesses_are_found_by_descriptor_and_id_within_their_workspace(tx).await;
            contracts::businesses_are_listed_oldest_first_and_archived_ones_do_not_count(tx).await;
            contracts::zones_are_scoped_by_business_and_listed_by_name(tx).await;
            contracts::payment_settings_are_upserted_per_business_and_descriptor(tx).await;
            Ok(())
        }
        .boxed()
    })
    .await
    .unwrap();
}

async fn a_new_business_is_stored_with_its_default_zone(db: &Database) {
    let workspace = new_workspace(db).await;
    let (business, zone) = service(db)
        .create_in(db, &workspace.id, input("Test-Business"), Some(&plan(-1)))
        .await
        .unwrap();
    let stored = db
        .businesses()
        .find_business_by_descriptor(&workspace.id, "test-business")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored, business);
    assert_eq!(stored.vat_rate, dec!(0.14));
    assert_eq!(stored.safety_buffer, dec!(100.5));
    let zones = db.shipping_zones().list_zones(&business.id).await.unwrap();
    assert_eq!(zones, [zone]);
    assert_eq!(zones[0].name, "EG");
    assert_eq!(zones[0].countries, ["EG"]);
    assert_eq!(zones[0].currency, "USD");
}

async fn a_failed_creation_leaves_no_business_and_no_zone(db: &Database) {
    let workspace = new_workspace(db).await;
    let service = service(db);
    let err = atomic(db, TxOptions::default(), |tx| {
        let service = service.clone();
        let workspace_id = workspace.id.clone();
        async move {
            service
                .create_in(tx, &workspace_id, input("rolled-back"), None)
                .await?;
            Err::<(), _>(DomainError::conflict())
        }
        .boxed()
    })
    .await
    .unwrap_err();
    assert_eq!(err.code, "resource.conflict");
    assert_eq!(
        Query::<business::Entity>::new()
            .with_deleted()
            .count(db)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        Query::<shipping_zone::Entity>::new()
            .with_deleted()
            .count(db)
            .await
            .unwrap(),
        0
    );
    let unknown_workspace = service
        .create_in(db, &new_id(IdPrefix::Workspace), input("orphan"), None)
        .await
        .unwrap_err();
    assert_ne!(unknown_workspace.code, "business.descriptor_taken");
    assert_eq!(
        Query::<shipping_zone::Entity>::new()
            .count(db)
            .await
            .unwrap(),
        0,
        "a business needs an existing workspace, and its zone goes with it"
    );
}

async fn a_zone_insert_failing_rolls_the_business_back(db: &Database) {
    let workspace = new_workspace(db).await;
    let business = Business::new(&workspace.id, input("half-done"), at(0)).unwrap();
    let err = atomic(db, TxOptions::serializable(), |tx| {
        let business = business.clone();
        async move {
            tx.businesses().create_business(&business).await?;
            let zone = ShippingZone::default_for(&business, at(0));
            tx.shipping_zones().create_zone(&zone).await?;
            tx.shipping_zones()
                .create_zone(&ShippingZone {
                    id: new_id(IdPrefix::ShippingZone),
                    ..zone
                })
                .await?;
            Ok(())
        }
        .boxed()
    })
    .await
    .unwrap_err();
    assert_eq!(err.code, "resource.conflict");
    assert_eq!(
        db.businesses()
            .find_business(&workspace.id, &business.id)
            .await
            .unwrap(),
        None
    );
}

async fn concurrent_creations_of_one_descriptor_leave_one_business(db: &Database) {
    let workspace = new_workspace(db).await;
    let service = service(db);
    let attempts = (0..4).map(|_| {
        let service = service.clone();
        let db = db.clone();
        let workspace_id = workspace.id.clone();
        tokio::spawn(async move {
            service
                .create_in(&db, &workspace_id, input("race"), Some(&plan(-1)))
                .await
        })
    });
    let results: Vec<_> = futures::future::join_all(attempts)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    for result in results.iter().filter_map(|r| r.as_ref().err()) {
        assert_eq!(result.code, "business.descriptor_taken", "{result}");
    }
    assert_eq!(
        db.businesses()
            .list_businesses(&workspace.id)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        Query::<shipping_zone::Entity>::new()
            .count(db)
            .await
            .unwrap(),
        1,
        "one default zone"
    );
}

async fn concurrent_creations_cannot_pass_the_business_limit_together(db: &Database) {
    let workspace = new_workspace(db).await;
    let service = service(db);
    let attempts = (0..4).map(|i| {
        let service = service.clone();
        let db = db.clone();
        let workspace_id = workspace.id.clone();
        tokio::spawn(async move {
            service
                .create_in(
                    &db,
                    &workspace_id,
                    input(&format!("shop-{i}")),
                    Some(&plan(1)),
                )
                .await
        })
    });
    let results: Vec<_> = futures::future::join_all(attempts)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    for result in results.iter().filter_map(|r| r.as_ref().err()) {
        assert_eq!(result.code, "billing.feature_limit_reached", "{result}");
    }
    assert_eq!(
        db.businesses()
            .count_active_businesses(&workspace.id)
            .await
            .unwrap(),
        1
    );
}

async fn amounts_read_back_exactly_and_normalised(db: &Database) {
    let workspace = new_workspace(db).await;
    let service = service(db);
    let cases = [
        (dec!(0.14), dec!(100.50)),
        (dec!(0.125), dec!(12345678.12)),
        (dec!(0), dec!(0.01)),
        (dec!(1.5), dec!(999999.99)),
    ];
    for (i, (vat, buffer)) in cases.into_iter().enumerate() {
        let (business, _) = service
            .create_in(
                db,
                &workspace.id,
                NewBusiness {
                    vat_rate: vat,
                    safety_buffer: buffer,
                    ..input(&format!("amounts-{i}"))
                },
                None,
            )
            .await
            .unwrap();
        let read = db
            .businesses()
            .find_business(&workspace.id, &business.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(read.vat_rate.to_string(), vat.normalize().to_string());
        assert_eq!(
            read.safety_buffer.to_string(),
            buffer.normalize().to_string()
        );
        let zone = ShippingZone {
            id: new_id(IdPrefix::ShippingZone),
            name: format!("zone-{i}"),
            shipping_cost: buffer,
            free_shipping_threshold: vat,
            ..ShippingZone::default_for(&business, at(0))
        };
        db.shipping_zones().create_zone(&zone).await.unwrap();
        let read = db
            .shipping_zones()
            .find_zone(&business.id, &zone.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            read.shipping_cost.to_string(),
            buffer.normalize().to_string()
        );
        assert_eq!(
            read.free_shipping_threshold.to_string(),
            vat.normalize().to_string()
        );
        let settings = PaymentMethodSettings {
            id: new_id(IdPrefix::BusinessPaymentMethod),
            business_id: business.id.clone(),
            descriptor: "credit_card".into(),
            enabled: true,
            fee_percent: vat,
            fee_fixed: buffer,
            created_at: at(0),
            updated_at: at(0),
        };
        let stored = db
            .payment_methods()
            .upsert_payment_settings(&settings)
            .await
            .unwrap();
        assert_eq!(stored.fee_percent.to_string(), vat.normalize().to_string());
        assert_eq!(stored.fee_fixed.to_string(), buffer.normalize().to_string());
    }
}

async fn deleting_a_business_leaves_its_zones_and_settings(db: &Database) {
    let workspace = new_workspace(db).await;
    let (business, zone) = service(db)
        .create_in(db, &workspace.id, input("parent"), None)
        .await
        .unwrap();
    db.businesses()
        .delete_business(&workspace.id, &business.id, at(9))
        .await
        .unwrap();
    assert_eq!(
        db.shipping_zones()
            .find_zone(&business.id, &zone.id)
            .await
            .unwrap(),
        Some(zone)
    );
    let row = Query::<business::Entity>::new()
        .with_deleted()
        .get_by_id(db, &business.id)
        .await
        .unwrap();
    assert_eq!(row.deleted_at, Some(at(9)));
}

async fn stored_json_uses_the_contract_keys(db: &Database) {
    let workspace = new_workspace(db).await;
    let (business, zone) = service(db)
        .create_in(
            db,
            &workspace.id,
            NewBusiness {
                storefront_theme: StorefrontTheme {
                    primary_color: "#000".into(),
                    ..StorefrontTheme::default()
                },
                ..input("json-keys")
            },
            None,
        )
        .await
        .unwrap();
    let row = Query::<business::Entity>::new()
        .get_by_id(db, &business.id)
        .await
        .unwrap();
    assert_eq!(row.logo, None);
    let theme = row.storefront_theme.as_object().unwrap();
    assert_eq!(theme.len(), 7);
    assert_eq!(theme["primaryColor"], "#000");
    assert_eq!(theme["headingFontFamily"], "");
    let row = Query::<shipping_zone::Entity>::new()
        .get_by_id(db, &zone.id)
        .await
        .unwrap();
    assert_eq!(row.countries, serde_json::json!(["EG"]));
}

async fn a_zone_needs_an_existing_business(db: &Database) {
    let workspace = new_workspace(db).await;
    let ghost = Business::new(&workspace.id, input("ghost"), at(0)).unwrap();
    let err = db
        .shipping_zones()
        .create_zone(&ShippingZone::default_for(&ghost, at(0)))
        .await
        .unwrap_err();
    assert!(!matches!(err, RepoError::NotFound), "{err:?}");
}

async fn the_business_migration_rolls_down_and_up_again(db: &Database) {
    let manager = SchemaManager::new(db.connection());
    let migrations = Migrator::migrations();
    let position = migrations
        .iter()
        .position(|m| m.name() == "m20261125_000003_businesses")
        .unwrap();
    let steps = u32::try_from(migrations.len() - position).unwrap();
    Migrator::down(db.connection(), Some(steps)).await.unwrap();
    for table in BUSINESS_TABLES {
        assert!(!manager.has_table(table).await.unwrap(), "{table} dropped");
    }
    assert!(manager.has_table("workspaces").await.unwrap());
    Migrator::up(db.connection(), None).await.unwrap();
    for table in BUSINESS_TABLES {
        assert!(manager.has_table(table).await.unwrap(), "{table} created");
    }
    contracts::a_live_zone_name_conflicts_within_its_business_only(db).await;
}

async fn column_type(db: &Database, table: &str, column: &str) -> String {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a \
             WHERE a.attrelid = $1::regclass AND a.attname = $2",
            [table.into(), column.into()],
        ))
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{table}.{column} is missing"));
    row.try_get_by_index::<String>(0).unwrap()
}

async fn index_definition(db: &Database, name: &str) -> String {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT indexdef FROM pg_indexes WHERE indexname = $1",
            [name.into()],
        ))
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("index {name} is missing"));
    row.try_get_by_index::<String>(0).unwrap()
}

async fn the_postgres_schema_has_the_spec_types_and_unique_indexes(db: &Database) {
    for (table, column, expected) in [
        ("businesses", "logo", "jsonb"),
        ("businesses", "storefront_theme", "jsonb"),
        ("businesses", "vat_rate", "numeric"),
        ("businesses", "safety_buffer", "numeric"),
        ("businesses", "established_at", "date"),
        ("businesses", "archived_at", "timestamp with time zone"),
        ("businesses", "storefront_enabled", "boolean"),
        ("shipping_zones", "countries", "jsonb"),
        ("shipping_zones", "shipping_cost", "numeric"),
        ("shipping_zones", "free_shipping_threshold", "numeric"),
        ("business_payment_methods", "fee_percent", "numeric"),
        ("business_payment_methods", "fee_fixed", "numeric"),
        ("business_payment_methods", "enabled", "boolean"),
    ] {
        assert_eq!(
            column_type(db, table, column).await,
            expected,
            "{table}.{column}"
        );
    }
    for (index, columns) in [
        ("idx_workspace_id_descriptor", "(workspace_id, descriptor)"),
        ("idx_shipping_zone_business_name", "(business_id, name)"),
    ] {
        let definition = index_definition(db, index).await;
        assert!(
            definition.starts_with("CREATE UNIQUE INDEX"),
            "{definition}"
        );
        assert!(definition.contains(columns), "{definition}");
        assert!(
            definition.ends_with("WHERE (deleted_at IS NULL)"),
            "{definition}"
        );
    }
    for index in [
        "idx_businesses_storefront_public_id",
        "idx_business_payment_method",
    ] {
        let definition = index_definition(db, index).await;
        assert!(
            definition.starts_with("CREATE UNIQUE INDEX"),
            "{definition}"
        );
        assert!(!definition.contains("WHERE"), "{definition}");
    }
    for index in [
        "idx_businesses_workspace_id_created_at",
        "idx_shipping_zones_business_id",
        "idx_businesses_deleted_at",
        "idx_shipping_zones_deleted_at",
        "idx_business_payment_methods_deleted_at",
    ] {
        index_definition(db, index).await;
    }
}

on_both_backends!(
    contracts: [
        businesses_are_found_by_descriptor_and_id_within_their_workspace,
        a_live_descriptor_conflicts_within_its_workspace_only,
        businesses_are_listed_oldest_first_and_archived_ones_do_not_count,
        updating_a_business_saves_its_columns_within_its_workspace,
        deleted_businesses_are_invisible,
        zones_are_scoped_by_business_and_listed_by_name,
        a_live_zone_name_conflicts_within_its_business_only,
        updating_a_zone_saves_its_columns_within_its_business,
        payment_settings_are_upserted_per_business_and_descriptor,
    ],
    both: [
        the_contracts_hold_inside_a_unit_of_work,
        a_new_business_is_stored_with_its_default_zone,
        a_failed_creation_leaves_no_business_and_no_zone,
        a_zone_insert_failing_rolls_the_business_back,
        concurrent_creations_of_one_descriptor_leave_one_business,
        concurrent_creations_cannot_pass_the_business_limit_together,
        amounts_read_back_exactly_and_normalised,
        deleting_a_business_leaves_its_zones_and_settings,
        stored_json_uses_the_contract_keys,
        a_zone_needs_an_existing_business,
        the_business_migration_rolls_down_and_up_again,
    ],
    postgres_only: [
        the_postgres_schema_has_the_spec_types_and_unique_indexes,
    ],
);
