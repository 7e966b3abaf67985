//! The account and billing repositories on SQLite and PostgreSQL: kyora-core's repository
//! contracts (the same assertions the in-memory store passes), then what only a database can
//! show — stored values the core does not know, concurrency, soft-deleted rows and the schema.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use std::collections::BTreeSet;

use chrono::{DateTime, TimeZone, Utc};
use futures::FutureExt;
use kyora_core::RepoError;
use kyora_core::account::{Invitation, InvitationStatus, Session, User, Workspace};
use kyora_core::billing::Subscription;
use kyora_core::billing::model::catalogue;
use kyora_core::ports::{Store, TxOptions, atomic};
use kyora_core::shared::actor::Role;
use kyora_core::shared::id::{IdPrefix, new_id, sha256_hex};
use kyora_core::testing::contracts;
use kyora_db::Database;
use kyora_db::entities::{invitation, plan, subscription, workspace};
use kyora_db::repo::{Query, create};
use kyora_db::sea_orm::ActiveValue::Set;
use kyora_db::sea_orm::sea_query::Expr;
use kyora_db::sea_orm::{ConnectionTrait, DbBackend, Statement};
use kyora_migration::{Migrator, MigratorTrait};
use sea_orm_migration::SchemaManager;

const ACCOUNT_TABLES: [&str; 6] = [
    "workspaces",
    "users",
    "sessions",
    "user_invitations",
    "plans",
    "subscriptions",
];

fn at(seconds: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 2, 1, 8, 0, 0).unwrap() + chrono::Duration::seconds(seconds)
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

async fn new_user(db: &Database, workspace: &Workspace, email: &str) -> User {
    let user = User {
        id: new_id(IdPrefix::User),
        workspace_id: workspace.id.clone(),
        role: "user".into(),
        first_name: "Ada".into(),
        last_name: "Lovelace".into(),
        email: email.into(),
        password_hash: String::new(),
        is_email_verified: true,
        auth_version: 1,
        created_at: at(0),
        updated_at: at(0),
    };
    db.users().create_user(&user).await.unwrap();
    user
}

async fn the_contracts_hold_inside_a_unit_of_work(db: &Database) {
    atomic(db, TxOptions::default(), |tx| {
        async move {
            assert!(tx.in_transaction());
            contracts::members_are_scoped_by_workspace(tx).await;
            contracts::sessions_are_valid_until_they_expire_or_are_revoked(tx).await;
            contracts::a_workspace_subscription_is_read_with_its_plan(tx).await;
            Ok(())
        }
        .boxed()
    })
    .await
    .unwrap();
}

async fn a_rolled_back_unit_of_work_leaves_no_account_rows(db: &Database) {
    let email = "rolled.back@example.test";
    let err = atomic(db, TxOptions::default(), |tx| {
        async move {
            let workspace = Workspace {
                id: new_id(IdPrefix::Workspace),
                owner_id: String::new(),
                stripe_customer_id: None,
                stripe_payment_method_id: None,
                created_at: at(0),
                updated_at: at(0),
            };
            tx.workspaces().create_workspace(&workspace).await?;
            let user = User {
                id: new_id(IdPrefix::User),
                workspace_id: workspace.id.clone(),
                role: "admin".into(),
                first_name: String::new(),
                last_name: String::new(),
                email: email.into(),
                password_hash: String::new(),
                is_email_verified: false,
                auth_version: 1,
                created_at: at(0),
                updated_at: at(0),
            };
            tx.users().create_user(&user).await?;
            assert!(tx.users().find_user_by_email(email).await?.is_some());
            Err::<(), _>(kyora_core::DomainError::conflict())
        }
        .boxed()
    })
    .await
    .unwrap_err();
    assert_eq!(err.code, "resource.conflict");
    assert_eq!(db.users().find_user_by_email(email).await.unwrap(), None);
    assert_eq!(
        Query::<workspace::Entity>::new().count(db).await.unwrap(),
        0
    );
}

async fn unknown_stored_invitation_roles_and_statuses_read_as_user_and_expired(db: &Database) {
    let workspace = new_workspace(db).await;
    let inviter = new_user(db, &workspace, "inviter@example.test").await;
    let row = invitation::ActiveModel {
        id: Set(new_id(IdPrefix::Invitation)),
        workspace_id: Set(workspace.id.clone()),
        email: Set("odd@example.test".into()),
        role: Set("owner".into()),
        inviter_id: Set(inviter.id.clone()),
        status: Set("cancelled".into()),
        accepted_at: Set(None),
        created_at: Set(at(0)),
        updated_at: Set(at(0)),
        deleted_at: Set(None),
    };
    let stored = create(db, row).await.unwrap();
    let read = db
        .invitations()
        .find_invitation(&workspace.id, &stored.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.role, Role::User);
    assert_eq!(read.status, InvitationStatus::Expired);
    assert_eq!(
        read.ensure_acceptable().unwrap_err().code,
        "account.invitation_expired"
    );
    let listed = db
        .invitations()
        .list_invitations(&workspace.id, Some("cancelled"))
        .await
        .unwrap();
    assert_eq!(listed.len(), 1, "the filter matches the stored text");
    assert!(
        db.invitations()
            .list_invitations(&workspace.id, Some("expired"))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        db.invitations()
            .find_pending_invitation(&workspace.id, "odd@example.test")
            .await
            .unwrap(),
        None
    );
}

async fn updating_an_invitation_writes_only_its_status_and_times(db: &Database) {
    let workspace = new_workspace(db).await;
    let inviter = new_user(db, &workspace, "inviter@example.test").await;
    let invitation = Invitation {
        id: new_id(IdPrefix::Invitation),
        workspace_id: workspace.id.clone(),
        email: "invitee@example.test".into(),
        role: Role::Admin,
        inviter_id: inviter.id.clone(),
        status: InvitationStatus::Pending,
        accepted_at: None,
        created_at: at(0),
        updated_at: at(0),
    };
    db.invitations()
        .create_invitation(&invitation)
        .await
        .unwrap();
    let mut revoked = Invitation {
        email: "someone.else@example.test".into(),
        role: Role::User,
        ..invitation.clone()
    };
    revoked.revoke(at(30)).unwrap();
    db.invitations().update_invitation(&revoked).await.unwrap();
    let stored = db
        .invitations()
        .find_invitation(&workspace.id, &invitation.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored,
        Invitation {
            status: InvitationStatus::Revoked,
            updated_at: at(30),
            ..invitation
        }
    );
}

async fn a_taken_email_cannot_be_given_to_another_user(db: &Database) {
    let workspace = new_workspace(db).await;
    let taken = new_user(db, &workspace, "taken@example.test").await;
    let other = new_user(db, &workspace, "other@example.test").await;
    let clash = User {
        email: taken.email.clone(),
        updated_at: at(10),
        ..other.clone()
    };
    assert!(matches!(
        db.users().update_user(&clash).await,
        Err(RepoError::Conflict(_))
    ));
    assert_eq!(db.users().find_user(&other.id).await.unwrap(), Some(other));
}

async fn concurrent_revocations_of_one_session_succeed_exactly_once(db: &Database) {
    let workspace = new_workspace(db).await;
    let user = new_user(db, &workspace, "racer@example.test").await;
    let session = Session {
        id: new_id(IdPrefix::Session),
        user_id: user.id.clone(),
        workspace_id: workspace.id.clone(),
        token_hash: sha256_hex("refresh-token"),
        expires_at: at(3600),
        created_ip: "127.0.0.1".into(),
        user_agent: "test".into(),
        created_at: at(0),
    };
    db.sessions().create_session(&session).await.unwrap();
    let revocations = (0..8).map(|_| {
        let db = db.clone();
        let id = session.id.clone();
        tokio::spawn(async move { db.sessions().revoke_session(&id, at(60)).await })
    });
    let mut won = 0;
    for revocation in revocations.collect::<Vec<_>>() {
        if revocation.await.unwrap().unwrap() {
            won += 1;
        }
    }
    assert_eq!(won, 1);
    assert_eq!(
        db.sessions()
            .find_valid_session(&session.token_hash, at(1))
            .await
            .unwrap(),
        None
    );
}

async fn session_expiry_is_compared_below_the_second(db: &Database) {
    let workspace = new_workspace(db).await;
    let user = new_user(db, &workspace, "clock@example.test").await;
    let millis = chrono::Duration::milliseconds;
    let expires_at = at(100) + millis(500);
    let session = Session {
        id: new_id(IdPrefix::Session),
        user_id: user.id.clone(),
        workspace_id: workspace.id.clone(),
        token_hash: sha256_hex("sub-second"),
        expires_at,
        created_ip: "unknown".into(),
        user_agent: String::new(),
        created_at: at(0) + chrono::Duration::microseconds(123_456),
    };
    db.sessions().create_session(&session).await.unwrap();
    let valid_at = |now| {
        let db = db.clone();
        async move {
            db.sessions()
                .find_valid_session(&sha256_hex("sub-second"), now)
                .await
                .unwrap()
        }
    };
    assert_eq!(valid_at(at(100)).await, Some(session.clone()));
    assert!(valid_at(at(100) + millis(120)).await.is_some());
    assert!(valid_at(at(100) + millis(499)).await.is_some());
    assert!(valid_at(expires_at).await.is_none());
    assert!(valid_at(at(100) + millis(501)).await.is_none());
    assert!(valid_at(at(101)).await.is_none());
}

async fn a_reused_token_hash_conflicts_while_its_session_is_live(db: &Database) {
    let workspace = new_workspace(db).await;
    let user = new_user(db, &workspace, "tokens@example.test").await;
    let first = Session {
        id: new_id(IdPrefix::Session),
        user_id: user.id.clone(),
        workspace_id: workspace.id.clone(),
        token_hash: sha256_hex("same"),
        expires_at: at(3600),
        created_ip: "unknown".into(),
        user_agent: String::new(),
        created_at: at(0),
    };
    db.sessions().create_session(&first).await.unwrap();
    let second = Session {
        id: new_id(IdPrefix::Session),
        ..first.clone()
    };
    assert!(matches!(
        db.sessions().create_session(&second).await,
        Err(RepoError::Conflict(_))
    ));
}

async fn the_catalogue_upsert_keeps_stripe_price_ids(db: &Database) {
    let plans = catalogue();
    db.plans().upsert_catalogue(&plans).await.unwrap();
    let professional = db
        .plans()
        .find_plan_by_descriptor("professional")
        .await
        .unwrap()
        .unwrap();
    Query::<plan::Entity>::new()
        .id(&professional.id)
        .update_many(
            db,
            [(plan::Column::StripePlanId, Expr::val("price_123"))],
            at(5),
        )
        .await
        .unwrap();
    db.plans().upsert_catalogue(&plans).await.unwrap();
    let again = db
        .plans()
        .find_plan(&professional.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.stripe_plan_id.as_deref(), Some("price_123"));
    assert_eq!(again.price, professional.price);
}

async fn concurrent_catalogue_upserts_leave_one_plan_per_descriptor(db: &Database) {
    let runs = (0..4).map(|_| {
        let db = db.clone();
        tokio::spawn(async move {
            atomic(&db, TxOptions::default(), |tx| {
                async move {
                    tx.plans().upsert_catalogue(&catalogue()).await?;
                    Ok(())
                }
                .boxed()
            })
            .await
        })
    });
    for run in runs.collect::<Vec<_>>() {
        run.await.unwrap().unwrap();
    }
    let rows = Query::<plan::Entity>::new().all(db).await.unwrap();
    let descriptors: BTreeSet<String> = rows.iter().map(|p| p.descriptor.clone()).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(
        descriptors,
        BTreeSet::from(["enterprise".into(), "professional".into(), "starter".into()])
    );
}

async fn a_removed_plan_frees_its_descriptor_and_hides_its_subscriptions(db: &Database) {
    db.plans().upsert_catalogue(&catalogue()).await.unwrap();
    let starter = db
        .plans()
        .find_plan_by_descriptor("starter")
        .await
        .unwrap()
        .unwrap();
    let workspace = new_workspace(db).await;
    let subscription = Subscription {
        id: new_id(IdPrefix::Subscription),
        workspace_id: workspace.id.clone(),
        plan_id: starter.id.clone(),
        stripe_sub_id: "sub_live".into(),
        current_period_end: at(100),
        status: "active".into(),
        created_at: at(0),
        updated_at: at(0),
    };
    db.subscriptions()
        .create_subscription(&subscription)
        .await
        .unwrap();
    Query::<plan::Entity>::new()
        .soft_delete_by_id(db, &starter.id, at(10))
        .await
        .unwrap();

    assert_eq!(db.plans().find_plan(&starter.id).await.unwrap(), None);
    assert_eq!(
        db.plans().find_plan_by_descriptor("starter").await.unwrap(),
        None
    );
    assert_eq!(
        db.subscriptions()
            .find_for_workspace(&workspace.id)
            .await
            .unwrap(),
        None,
        "a subscription without a live plan reads as none"
    );

    db.plans().upsert_catalogue(&catalogue()).await.unwrap();
    let replacement = db
        .plans()
        .find_plan_by_descriptor("starter")
        .await
        .unwrap()
        .unwrap();
    assert_ne!(replacement.id, starter.id);
    assert_eq!(
        Query::<plan::Entity>::new()
            .with_deleted()
            .equals(plan::Column::Descriptor, "starter")
            .count(db)
            .await
            .unwrap(),
        2
    );
}

async fn soft_deleted_account_rows_are_invisible(db: &Database) {
    db.plans().upsert_catalogue(&catalogue()).await.unwrap();
    let plan = db
        .plans()
        .find_plan_by_descriptor("enterprise")
        .await
        .unwrap()
        .unwrap();
    let workspace = new_workspace(db).await;
    let inviter = new_user(db, &workspace, "admin@example.test").await;
    let invitation = Invitation {
        id: new_id(IdPrefix::Invitation),
        workspace_id: workspace.id.clone(),
        email: "gone@example.test".into(),
        role: Role::User,
        inviter_id: inviter.id.clone(),
        status: InvitationStatus::Pending,
        accepted_at: None,
        created_at: at(0),
        updated_at: at(0),
    };
    db.invitations()
        .create_invitation(&invitation)
        .await
        .unwrap();
    let subscription = Subscription {
        id: new_id(IdPrefix::Subscription),
        workspace_id: workspace.id.clone(),
        plan_id: plan.id.clone(),
        stripe_sub_id: "sub_gone".into(),
        current_period_end: at(100),
        status: "active".into(),
        created_at: at(0),
        updated_at: at(0),
    };
    db.subscriptions()
        .create_subscription(&subscription)
        .await
        .unwrap();

    Query::<invitation::Entity>::new()
        .soft_delete_by_id(db, &invitation.id, at(5))
        .await
        .unwrap();
    Query::<subscription::Entity>::new()
        .soft_delete_by_id(db, &subscription.id, at(5))
        .await
        .unwrap();
    let invitations = db.invitations();
    assert_eq!(
        invitations
            .find_invitation(&workspace.id, &invitation.id)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        invitations
            .find_pending_invitation(&workspace.id, &invitation.email)
            .await
            .unwrap(),
        None
    );
    assert!(
        invitations
            .list_invitations(&workspace.id, None)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        invitations.update_invitation(&invitation).await,
        Err(RepoError::NotFound)
    );
    assert_eq!(
        db.subscriptions()
            .find_for_workspace(&workspace.id)
            .await
            .unwrap(),
        None
    );
    let reused = Subscription {
        id: new_id(IdPrefix::Subscription),
        ..subscription
    };
    db.subscriptions()
        .create_subscription(&reused)
        .await
        .unwrap();
    assert_eq!(
        db.subscriptions()
            .find_for_workspace(&workspace.id)
            .await
            .unwrap()
            .map(|(sub, _)| sub.id),
        Some(reused.id),
        "a removed subscription's Stripe id is free again"
    );

    Query::<workspace::Entity>::new()
        .soft_delete_by_id(db, &workspace.id, at(9))
        .await
        .unwrap();
    assert_eq!(
        db.workspaces().find_workspace(&workspace.id).await.unwrap(),
        None
    );
    assert_eq!(
        db.workspaces().update_workspace(&workspace).await,
        Err(RepoError::NotFound)
    );
}

async fn a_user_needs_an_existing_workspace(db: &Database) {
    let orphan = User {
        id: new_id(IdPrefix::User),
        workspace_id: new_id(IdPrefix::Workspace),
        role: "user".into(),
        first_name: String::new(),
        last_name: String::new(),
        email: "orphan@example.test".into(),
        password_hash: String::new(),
        is_email_verified: false,
        auth_version: 1,
        created_at: at(0),
        updated_at: at(0),
    };
    let err = db.users().create_user(&orphan).await.unwrap_err();
    assert!(
        matches!(err, RepoError::Other(_)),
        "a foreign-key violation is not a conflict: {err:?}"
    );
    assert_eq!(db.users().find_user(&orphan.id).await.unwrap(), None);
}

async fn migrations_roll_down_and_up_again_cleanly(db: &Database) {
    db.plans().upsert_catalogue(&catalogue()).await.unwrap();
    let manager = SchemaManager::new(db.connection());
    Migrator::down(db.connection(), None).await.unwrap();
    for table in ACCOUNT_TABLES {
        assert!(!manager.has_table(table).await.unwrap(), "{table} dropped");
    }
    let status = kyora_migration::status(&db.connection()).await.unwrap();
    assert!(status.iter().all(|m| !m.applied));

    Migrator::up(db.connection(), None).await.unwrap();
    for table in ACCOUNT_TABLES {
        assert!(manager.has_table(table).await.unwrap(), "{table} created");
    }
    assert_eq!(
        db.plans().find_plan_by_descriptor("starter").await.unwrap(),
        None,
        "the tables start empty"
    );
    contracts::a_duplicate_live_email_conflicts_and_is_free_again_after_removal(db).await;

    // Every migration above the platform one, down and up once more.
    let above_platform = u32::try_from(Migrator::migrations().len() - 1).unwrap();
    Migrator::down(db.connection(), Some(above_platform))
        .await
        .unwrap();
    assert!(!manager.has_table("users").await.unwrap());
    Migrator::up(db.connection(), None).await.unwrap();
    assert!(manager.has_table("users").await.unwrap());
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

async fn the_postgres_schema_has_the_spec_types_and_partial_unique_indexes(db: &Database) {
    assert_eq!(column_type(db, "plans", "features").await, "jsonb");
    assert_eq!(column_type(db, "plans", "limits").await, "jsonb");
    assert_eq!(column_type(db, "plans", "price").await, "numeric(10,2)");
    for (table, column) in [
        ("workspaces", "deleted_at"),
        ("sessions", "expires_at"),
        ("subscriptions", "current_period_end"),
        ("user_invitations", "accepted_at"),
    ] {
        assert_eq!(
            column_type(db, table, column).await,
            "timestamp with time zone",
            "{table}.{column}"
        );
    }
    for index in [
        "idx_users_email",
        "idx_sessions_token_hash",
        "idx_workspaces_stripe_customer_id",
        "idx_plans_descriptor",
        "idx_plans_stripe_plan_id",
        "idx_subscriptions_stripe_sub_id",
    ] {
        let definition = index_definition(db, index).await;
        assert!(
            definition.starts_with("CREATE UNIQUE INDEX"),
            "{definition}"
        );
        assert!(
            definition.ends_with("WHERE (deleted_at IS NULL)"),
            "{definition}"
        );
    }
    for index in [
        "idx_users_workspace_id",
        "idx_sessions_user_id",
        "idx_sessions_workspace_id",
        "idx_sessions_expires_at",
        "idx_user_invitations_workspace_id_email",
        "idx_user_invitations_workspace_id_status",
        "idx_subscriptions_workspace_id",
        "idx_subscriptions_plan_id",
        "idx_subscriptions_status",
        "idx_plans_deleted_at",
    ] {
        index_definition(db, index).await;
    }
}

async fn plan_json_is_stored_with_the_contract_keys(db: &Database) {
    db.plans().upsert_catalogue(&catalogue()).await.unwrap();
    let row = Query::<plan::Entity>::new()
        .equals(plan::Column::Descriptor, "enterprise")
        .get(db)
        .await
        .unwrap();
    assert_eq!(row.limits["maxOrdersPerMonth"], -1);
    assert_eq!(row.features["aiBusinessAssistant"], true);
    assert_eq!(row.features.as_object().unwrap().len(), 15);
}

on_both_backends!(
    contracts: [
        workspaces_are_created_found_and_updated,
        users_are_found_by_id_and_exact_email_in_any_workspace,
        members_are_scoped_by_workspace,
        a_duplicate_live_email_conflicts_and_is_free_again_after_removal,
        removed_members_are_invisible_to_every_read_and_write,
        members_are_listed_oldest_first_then_by_id,
        updating_a_user_saves_every_column_within_its_workspace,
        sessions_are_valid_until_they_expire_or_are_revoked,
        revoking_a_users_sessions_spares_the_kept_one_and_other_users,
        invitations_are_scoped_by_workspace_and_updated_in_place,
        pending_invitations_are_found_by_workspace_and_exact_email,
        invitations_are_listed_oldest_first_and_filtered_by_exact_status,
        the_catalogue_upsert_is_idempotent_and_keeps_ids,
        a_workspace_subscription_is_read_with_its_plan,
    ],
    both: [
        the_contracts_hold_inside_a_unit_of_work,
        a_rolled_back_unit_of_work_leaves_no_account_rows,
        unknown_stored_invitation_roles_and_statuses_read_as_user_and_expired,
        updating_an_invitation_writes_only_its_status_and_times,
        a_taken_email_cannot_be_given_to_another_user,
        concurrent_revocations_of_one_session_succeed_exactly_once,
        session_expiry_is_compared_below_the_second,
        a_reused_token_hash_conflicts_while_its_session_is_live,
        the_catalogue_upsert_keeps_stripe_price_ids,
        concurrent_catalogue_upserts_leave_one_plan_per_descriptor,
        a_removed_plan_frees_its_descriptor_and_hides_its_subscriptions,
        soft_deleted_account_rows_are_invisible,
        a_user_needs_an_existing_workspace,
        migrations_roll_down_and_up_again_cleanly,
        plan_json_is_stored_with_the_contract_keys,
    ],
    postgres_only: [
        the_postgres_schema_has_the_spec_types_and_partial_unique_indexes,
    ],
);
