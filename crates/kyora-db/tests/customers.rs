//! The customer repositories on SQLite and PostgreSQL: kyora-core's repository contracts (the
//! same assertions the in-memory store passes), then what only a database can show — the list's
//! statement count, bulk inserts across batches, references, PostgreSQL's full-text search and
//! the schema.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, Duration, TimeZone, Utc};
use futures::FutureExt;
use kyora_core::RepoError;
use kyora_core::customer::{
    Customer, CustomerAddress, CustomerListParams, CustomerListQuery, CustomerNote, Gender,
};
use kyora_core::ports::{Store, TxOptions, atomic};
use kyora_core::shared::id::{IdPrefix, new_id};
use kyora_core::testing::contracts::{self, business_for_customers};
use kyora_db::Database;
use kyora_db::sea_orm::{ConnectionTrait, DbBackend, Statement};
use kyora_migration::{Migrator, MigratorTrait};
use sea_orm_migration::SchemaManager;

fn at(seconds: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap() + Duration::seconds(seconds)
}

/// Runs each listed `async fn(&Database)` as `sqlite::<name>` and `postgres::<name>` (the latter
/// only when `KYORA_TEST_DATABASE_URL` is set, or failing when services are required); the
/// contracts listed under `contracts` come from `kyora_core::testing::contracts`.
macro_rules! on_both_backends {
    (contracts: [$($contract:ident),* $(,)?], both: [$($test:ident),* $(,)?],
     sqlite_only: [$($lite:ident),* $(,)?], postgres_only: [$($pg:ident),* $(,)?] $(,)?) => {
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
                    super::$test(&db).await;
                }
            )*
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $lite() {
                    let db = kyora_db::testing::TestDatabase::sqlite().await;
                    super::$lite(&db).await;
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
                    super::$test(&db).await;
                }
            )*
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $pg() {
                    let Some(db) = kyora_db::testing::TestDatabase::postgres().await else {
                        return;
                    };
                    super::$pg(&db).await;
                }
            )*
        }
    };
}

type TestDb = kyora_db::testing::TestDatabase;

fn customer(business_id: &str, name: &str, created_at: DateTime<Utc>) -> Customer {
    Customer {
        id: new_id(IdPrefix::Customer),
        business_id: business_id.to_owned(),
        name: name.to_owned(),
        country_code: "EG".to_owned(),
        gender: Gender::Unspecified,
        email: None,
        phone_number: Some("1001234567".to_owned()),
        phone_code: Some("+20".to_owned()),
        tiktok_username: None,
        instagram_username: None,
        facebook_username: None,
        x_username: None,
        snapchat_username: None,
        whatsapp_number: None,
        joined_at: created_at,
        created_at,
        updated_at: created_at,
    }
}

fn query(params: CustomerListParams) -> CustomerListQuery {
    CustomerListQuery::new(params).unwrap()
}

fn names(customers: &[Customer]) -> Vec<&str> {
    customers.iter().map(|c| c.name.as_str()).collect()
}

/// Contracts that provoke no database error (PostgreSQL aborts a transaction on the first).
async fn the_contracts_hold_inside_a_unit_of_work(db: &TestDb) {
    atomic(db.database(), TxOptions::default(), |tx| {
        async move {
            assert!(tx.in_transaction());
            contracts::customers_are_created_and_found_within_their_business(tx).await;
            contracts::customer_lists_page_newest_first_within_the_business(tx).await;
            contracts::customer_lists_filter_by_country_platforms_and_search(tx).await;
            contracts::addresses_are_reached_only_through_their_customer(tx).await;
            Ok(())
        }
        .boxed()
    })
    .await
    .unwrap();
}

/// A [`Database`] on `db` whose every statement is counted.
async fn counting(db: &TestDb) -> (Database, Arc<AtomicUsize>) {
    let mut conn = kyora_db::sea_orm::Database::connect(db.dsn())
        .await
        .unwrap();
    let statements = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&statements);
    conn.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    (Database::new(conn).unwrap(), statements)
}

async fn a_page_takes_at_most_two_statements_whatever_its_size(db: &TestDb) {
    let business = business_for_customers(db.database()).await;
    let batch: Vec<Customer> = (0..250)
        .map(|i| Customer {
            instagram_username: (i % 2 == 0).then(|| format!("insta{i}")),
            ..customer(&business, &format!("customer {i:03}"), at(i))
        })
        .collect();
    db.customers().create_customers(&batch).await.unwrap();
    let (counted, statements) = counting(db).await;
    let cases = [
        (
            CustomerListParams {
                page_size: Some(100),
                ..Default::default()
            },
            100,
            2,
        ),
        (
            CustomerListParams {
                page: Some(3),
                page_size: Some(100),
                ..Default::default()
            },
            50,
            2,
        ),
        (
            CustomerListParams {
                page_size: Some(1),
                ..Default::default()
            },
            1,
            2,
        ),
        (
            CustomerListParams {
                page_size: Some(100),
                search: Some("customer".into()),
                social_platforms: vec!["instagram".into()],
                country_code: Some("eg".into()),
                order_by: vec!["-name".into()],
                ..Default::default()
            },
            100,
            2,
        ),
        (
            CustomerListParams {
                search: Some("customer 24".into()),
                page_size: Some(100),
                ..Default::default()
            },
            10,
            1,
        ),
    ];
    for (params, expected_items, expected_statements) in cases {
        let described = format!("{params:?}");
        statements.store(0, Ordering::SeqCst);
        let page = counted
            .customers()
            .list_customers(&business, &query(params))
            .await
            .unwrap();
        assert_eq!(page.items.len(), expected_items, "{described}");
        assert_eq!(
            statements.load(Ordering::SeqCst),
            expected_statements,
            "statements for {described}"
        );
    }
    counted.close().await.unwrap();
}

async fn a_bulk_create_over_several_batches_is_all_or_nothing(db: &TestDb) {
    let business = business_for_customers(db.database()).await;
    let mut batch: Vec<Customer> = (0..2_100)
        .map(|i| Customer {
            email: Some(format!("bulk{i}@example.com")),
            ..customer(&business, &format!("bulk {i}"), at(i))
        })
        .collect();
    let clash = Customer {
        email: Some("bulk0@example.com".to_owned()),
        ..customer(&business, "clash", at(5_000))
    };
    batch.push(clash);
    let err = db.customers().create_customers(&batch).await.unwrap_err();
    assert!(matches!(err, RepoError::Conflict(_)), "{err:?}");
    let everyone = query(CustomerListParams::default());
    let page = db
        .customers()
        .list_customers(&business, &everyone)
        .await
        .unwrap();
    assert_eq!(page.total_count, 0, "the first batches were rolled back");

    batch.pop();
    db.customers().create_customers(&batch).await.unwrap();
    let page = db
        .customers()
        .list_customers(&business, &everyone)
        .await
        .unwrap();
    assert_eq!(page.total_count, 2_100);
    assert_eq!(page.items[0].name, "bulk 2099");
}

async fn a_bulk_create_inside_a_unit_of_work_is_undone_with_it(db: &TestDb) {
    let business = business_for_customers(db.database()).await;
    let batch: Vec<Customer> = (0..1_500)
        .map(|i| customer(&business, &format!("tx {i}"), at(i)))
        .collect();
    let result = atomic(db.database(), TxOptions::default(), move |tx| {
        let batch = batch.clone();
        async move {
            tx.customers().create_customers(&batch).await?;
            Err::<(), _>(kyora_core::DomainError::internal("stop"))
        }
        .boxed()
    })
    .await;
    assert!(result.is_err());
    let page = db
        .customers()
        .list_customers(&business, &query(CustomerListParams::default()))
        .await
        .unwrap();
    assert_eq!(page.total_count, 0);
}

async fn customers_addresses_and_notes_need_their_parent_row(db: &TestDb) {
    let stray = customer(&new_id(IdPrefix::Business), "Stray", at(0));
    let err = db.customers().create_customer(&stray).await.unwrap_err();
    assert!(matches!(err, RepoError::Other(_)), "{err:?}");
    let orphan = CustomerAddress {
        id: new_id(IdPrefix::Address),
        customer_id: new_id(IdPrefix::Customer),
        country_code: "EG".into(),
        state: "Cairo".into(),
        city: "Cairo".into(),
        street: None,
        phone_code: "+20".into(),
        phone_number: "1".into(),
        zip_code: None,
        created_at: at(0),
        updated_at: at(0),
    };
    let err = db
        .customer_addresses()
        .create_address(&orphan)
        .await
        .unwrap_err();
    assert!(matches!(err, RepoError::Other(_)), "{err:?}");
    let note = CustomerNote {
        id: new_id(IdPrefix::CustomerNote),
        customer_id: new_id(IdPrefix::Customer),
        content: "orphan".into(),
        created_at: at(0),
        updated_at: at(0),
    };
    let err = db.customer_notes().create_note(&note).await.unwrap_err();
    assert!(matches!(err, RepoError::Other(_)), "{err:?}");
}

const CUSTOMER_TABLES: [&str; 3] = ["customers", "customer_addresses", "customer_notes"];

async fn the_customer_migration_rolls_down_and_up_again(db: &TestDb) {
    let manager = SchemaManager::new(db.connection());
    let migrations = Migrator::migrations();
    let position = migrations
        .iter()
        .position(|m| m.name() == "m20261125_000004_customers")
        .unwrap();
    let steps = u32::try_from(migrations.len() - position).unwrap();
    Migrator::down(db.connection(), Some(steps)).await.unwrap();
    for table in CUSTOMER_TABLES {
        assert!(!manager.has_table(table).await.unwrap(), "{table} dropped");
    }
    assert!(manager.has_table("businesses").await.unwrap());
    Migrator::up(db.connection(), None).await.unwrap();
    for table in CUSTOMER_TABLES {
        assert!(manager.has_table(table).await.unwrap(), "{table} created");
    }
    contracts::customer_emails_are_unique_per_business_among_live_customers(db.database()).await;
}

async fn empty_optional_texts_are_stored_as_null(db: &TestDb) {
    let business = business_for_customers(db.database()).await;
    let bare = customer(&business, "Bare", at(0));
    db.customers().create_customer(&bare).await.unwrap();
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            match db.get_database_backend() {
                DbBackend::Postgres => {
                    "SELECT email IS NULL AS no_email, gender FROM customers WHERE id = $1"
                }
                _ => "SELECT email IS NULL AS no_email, gender FROM customers WHERE id = ?",
            },
            [bare.id.clone().into()],
        ))
        .await
        .unwrap()
        .unwrap();
    assert!(row.try_get::<bool>("", "no_email").unwrap());
    assert_eq!(row.try_get::<String>("", "gender").unwrap(), "");
}

async fn sqlite_search_matches_substrings_of_every_covered_column(db: &TestDb) {
    let business = business_for_customers(db.database()).await;
    let customers = [
        Customer {
            phone_number: Some("+209876000".into()),
            ..customer(&business, "Phone Person", at(1))
        },
        Customer {
            whatsapp_number: Some("+97150999".into()),
            ..customer(&business, "Whatsapp Person", at(2))
        },
        Customer {
            instagram_username: Some("the.gram".into()),
            ..customer(&business, "Insta Person", at(3))
        },
        Customer {
            facebook_username: Some("the.gram.fb".into()),
            ..customer(&business, "Facebook Person", at(4))
        },
    ];
    db.customers().create_customers(&customers).await.unwrap();
    for (term, expected) in [
        ("9876", vec!["Phone Person"]),
        ("50999", vec!["Whatsapp Person"]),
        ("gram", vec!["Insta Person"]),
    ] {
        let page = db
            .customers()
            .list_customers(
                &business,
                &query(CustomerListParams {
                    search: Some(term.into()),
                    ..Default::default()
                }),
            )
            .await
            .unwrap();
        assert_eq!(names(&page.items), expected, "{term}");
    }
}

async fn postgres_search_uses_the_vector_and_ranks_the_best_match_first(db: &TestDb) {
    let business = business_for_customers(db.database()).await;
    let customers = [
        Customer {
            instagram_username: Some("nile".into()),
            ..customer(&business, "Newest Insta", at(30))
        },
        Customer {
            whatsapp_number: Some("nile".into()),
            ..customer(&business, "Middle Whatsapp", at(20))
        },
        customer(&business, "Nile Oldest", at(10)),
        Customer {
            phone_number: Some("+201234567".into()),
            ..customer(&business, "Phone Person", at(5))
        },
        Customer {
            email: Some("sara.nile@example.com".into()),
            ..customer(&business, "Email Person", at(1))
        },
    ];
    db.customers().create_customers(&customers).await.unwrap();
    let search = |term: &str, order_by: Vec<String>| {
        query(CustomerListParams {
            search: Some(term.into()),
            order_by,
            ..Default::default()
        })
    };
    let page = db
        .customers()
        .list_customers(&business, &search("nile", vec![]))
        .await
        .unwrap();
    assert_eq!(
        names(&page.items)[..3],
        ["Nile Oldest", "Middle Whatsapp", "Newest Insta"],
        "weight A (name) before B (WhatsApp) before C (Instagram), whatever the age"
    );
    assert_eq!(page.total_count, 4, "the email matches through ILIKE");
    assert_eq!(names(&page.items)[3], "Email Person");

    let explicit = db
        .customers()
        .list_customers(&business, &search("nile", vec!["-createdAt".into()]))
        .await
        .unwrap();
    assert_eq!(
        names(&explicit.items),
        [
            "Newest Insta",
            "Middle Whatsapp",
            "Nile Oldest",
            "Email Person"
        ]
    );

    let phone = db
        .customers()
        .list_customers(&business, &search("+201234567", vec![]))
        .await
        .unwrap();
    assert_eq!(
        names(&phone.items),
        ["Phone Person"],
        "whole tokens of the phone"
    );
    let both_words = db
        .customers()
        .list_customers(&business, &search("oldest nile", vec![]))
        .await
        .unwrap();
    assert_eq!(
        names(&both_words.items),
        ["Nile Oldest"],
        "web search ANDs the words, in any order"
    );
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

async fn the_postgres_schema_has_the_search_column_and_indexes(db: &TestDb) {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT format_type(a.atttypid, a.atttypmod), a.attgenerated::text \
             FROM pg_attribute a WHERE a.attrelid = 'customers'::regclass \
             AND a.attname = 'search_vector'",
        ))
        .await
        .unwrap()
        .expect("customers.search_vector exists");
    assert_eq!(row.try_get_by_index::<String>(0).unwrap(), "tsvector");
    assert_eq!(
        row.try_get_by_index::<String>(1).unwrap(),
        "s",
        "a stored generated column"
    );
    let email = index_definition(db, "idx_business_email").await;
    assert!(email.starts_with("CREATE UNIQUE INDEX"), "{email}");
    assert!(
        email.ends_with("WHERE ((deleted_at IS NULL) AND (email IS NOT NULL))"),
        "{email}"
    );
    for (index, needle) in [
        (
            "customers_search_vector_gin_idx",
            "USING gin (search_vector)",
        ),
        ("customers_name_trgm_idx", "USING gin (name gin_trgm_ops)"),
        ("customers_email_trgm_idx", "USING gin (email gin_trgm_ops)"),
        (
            "idx_customers_business_id_created_at",
            "(business_id, created_at, id) WHERE (deleted_at IS NULL)",
        ),
        ("idx_customers_business_id_name", "(business_id, name)"),
        (
            "idx_customers_business_id_country_code",
            "(business_id, country_code)",
        ),
        (
            "idx_customer_addresses_customer_id",
            "(customer_id, created_at)",
        ),
        (
            "idx_customer_notes_customer_id",
            "(customer_id, created_at)",
        ),
        ("idx_customers_deleted_at", "(deleted_at)"),
    ] {
        let definition = index_definition(db, index).await;
        assert!(definition.contains(needle), "{definition}");
    }
}

on_both_backends!(
    contracts: [
        customers_are_created_and_found_within_their_business,
        customer_emails_are_unique_per_business_among_live_customers,
        customers_are_created_in_bulk_or_not_at_all,
        updating_a_customer_saves_its_columns_within_its_business,
        deleted_customers_are_invisible,
        customer_lists_page_newest_first_within_the_business,
        customer_lists_filter_by_country_platforms_and_search,
        customer_lists_order_by_the_requested_fields,
        addresses_are_reached_only_through_their_customer,
        notes_are_reached_only_through_their_customer,
    ],
    both: [
        the_contracts_hold_inside_a_unit_of_work,
        a_page_takes_at_most_two_statements_whatever_its_size,
        a_bulk_create_over_several_batches_is_all_or_nothing,
        a_bulk_create_inside_a_unit_of_work_is_undone_with_it,
        customers_addresses_and_notes_need_their_parent_row,
        the_customer_migration_rolls_down_and_up_again,
        empty_optional_texts_are_stored_as_null,
    ],
    sqlite_only: [
        sqlite_search_matches_substrings_of_every_covered_column,
    ],
    postgres_only: [
        postgres_search_uses_the_vector_and_ranks_the_best_match_first,
        the_postgres_schema_has_the_search_column_and_indexes,
    ],
);
