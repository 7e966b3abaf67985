//! Accounts and the billing gates' tables: `workspaces`, `users`, `sessions`, `user_invitations`
//! (spec 01 §2.1–2.4), `plans` and `subscriptions` (spec 04 §2.1–2.4, §2.7).
//!
//! Every table carries the standard columns; every uniqueness rule is a partial index over live
//! rows. Foreign keys follow the spec's "references": `users.workspace_id`,
//! `user_invitations.workspace_id` and `user_invitations.inviter_id`, and
//! `subscriptions.plan_id`. `workspaces.owner_id` has none (the owner is created after the
//! workspace). Rows are only ever soft-deleted, so none of them can block a flow.
//!
//! `plans.features` and `plans.limits` are `jsonb` on PostgreSQL and JSON text on SQLite;
//! `plans.price` is `decimal(10,2)`. Timestamps are `timestamptz` like the standard columns (the
//! domain works in UTC throughout).

use sea_orm_migration::prelude::*;

use crate::schema::{
    create_standard_table, index, new_table, nullable_text, partial_unique_index, references, text,
};

const WORKSPACES: &str = "workspaces";
const USERS: &str = "users";
const SESSIONS: &str = "sessions";
const INVITATIONS: &str = "user_invitations";
const PLANS: &str = "plans";
const SUBSCRIPTIONS: &str = "subscriptions";

/// Dropped children first by `down`.
const TABLES: [&str; 6] = [
    SUBSCRIPTIONS,
    PLANS,
    INVITATIONS,
    SESSIONS,
    USERS,
    WORKSPACES,
];

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

fn text_default(name: &'static str, default: &'static str) -> ColumnDef {
    ColumnDef::new(name)
        .text()
        .not_null()
        .default(default)
        .to_owned()
}

fn timestamp(name: &'static str) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

/// `jsonb` on PostgreSQL, JSON text on SQLite.
fn json(manager: &SchemaManager, name: &'static str) -> ColumnDef {
    let mut column = ColumnDef::new(name);
    match manager.get_database_backend() {
        sea_orm::DbBackend::Postgres => column.json_binary(),
        _ => column.json(),
    };
    column.not_null().to_owned()
}

async fn workspaces(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let mut table = new_table(WORKSPACES);
    table
        .col(text_default("owner_id", ""))
        .col(nullable_text("stripe_customer_id"))
        .col(nullable_text("stripe_payment_method_id"));
    create_standard_table(manager, WORKSPACES, table).await?;
    manager
        .create_index(partial_unique_index(
            "idx_workspaces_stripe_customer_id",
            WORKSPACES,
            ["stripe_customer_id"],
        ))
        .await
}

async fn users(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let mut table = new_table(USERS);
    table
        .col(text("workspace_id"))
        .col(text_default("role", "user"))
        .col(text_default("first_name", ""))
        .col(text_default("last_name", ""))
        .col(text("email"))
        .col(text_default("password", ""))
        .col(
            ColumnDef::new("is_email_verified")
                .boolean()
                .not_null()
                .default(false),
        )
        .col(
            ColumnDef::new("auth_version")
                .integer()
                .not_null()
                .default(1),
        )
        .foreign_key(&mut references(
            "fk_users_workspace_id",
            (USERS, "workspace_id"),
            (WORKSPACES, "id"),
        ));
    create_standard_table(manager, USERS, table).await?;
    manager
        .create_index(partial_unique_index("idx_users_email", USERS, ["email"]))
        .await?;
    manager
        .create_index(index("idx_users_workspace_id", USERS, ["workspace_id"]))
        .await
}

async fn sessions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let mut table = new_table(SESSIONS);
    table
        .col(text("user_id"))
        .col(text("workspace_id"))
        .col(text("token_hash"))
        .col(timestamp("expires_at"))
        .col(text_default("created_ip", ""))
        .col(text_default("user_agent", ""));
    create_standard_table(manager, SESSIONS, table).await?;
    manager
        .create_index(partial_unique_index(
            "idx_sessions_token_hash",
            SESSIONS,
            ["token_hash"],
        ))
        .await?;
    for column in ["user_id", "workspace_id", "expires_at"] {
        manager
            .create_index(index(&format!("idx_sessions_{column}"), SESSIONS, [column]))
            .await?;
    }
    Ok(())
}

async fn invitations(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let mut table = new_table(INVITATIONS);
    table
        .col(text("workspace_id"))
        .col(text("email"))
        .col(text_default("role", "user"))
        .col(text("inviter_id"))
        .col(text_default("status", "pending"))
        .col(
            ColumnDef::new("accepted_at")
                .timestamp_with_time_zone()
                .null(),
        )
        .foreign_key(&mut references(
            "fk_user_invitations_workspace_id",
            (INVITATIONS, "workspace_id"),
            (WORKSPACES, "id"),
        ))
        .foreign_key(&mut references(
            "fk_user_invitations_inviter_id",
            (INVITATIONS, "inviter_id"),
            (USERS, "id"),
        ));
    create_standard_table(manager, INVITATIONS, table).await?;
    manager
        .create_index(index(
            "idx_user_invitations_workspace_id_email",
            INVITATIONS,
            ["workspace_id", "email"],
        ))
        .await?;
    manager
        .create_index(index(
            "idx_user_invitations_workspace_id_status",
            INVITATIONS,
            ["workspace_id", "status"],
        ))
        .await
}

async fn plans(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let mut table = new_table(PLANS);
    table
        .col(text("descriptor"))
        .col(text("name"))
        .col(text("description"))
        .col(nullable_text("stripe_plan_id"))
        .col(ColumnDef::new("price").decimal_len(10, 2).not_null())
        .col(text("currency"))
        .col(text("billing_cycle"))
        .col(json(manager, "features"))
        .col(json(manager, "limits"));
    create_standard_table(manager, PLANS, table).await?;
    manager
        .create_index(partial_unique_index(
            "idx_plans_descriptor",
            PLANS,
            ["descriptor"],
        ))
        .await?;
    manager
        .create_index(partial_unique_index(
            "idx_plans_stripe_plan_id",
            PLANS,
            ["stripe_plan_id"],
        ))
        .await
}

async fn subscriptions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let mut table = new_table(SUBSCRIPTIONS);
    table
        .col(text("workspace_id"))
        .col(text("plan_id"))
        .col(text("stripe_sub_id"))
        .col(timestamp("current_period_end"))
        .col(text("status"))
        .foreign_key(&mut references(
            "fk_subscriptions_plan_id",
            (SUBSCRIPTIONS, "plan_id"),
            (PLANS, "id"),
        ));
    create_standard_table(manager, SUBSCRIPTIONS, table).await?;
    manager
        .create_index(partial_unique_index(
            "idx_subscriptions_stripe_sub_id",
            SUBSCRIPTIONS,
            ["stripe_sub_id"],
        ))
        .await?;
    for column in ["workspace_id", "plan_id", "status"] {
        manager
            .create_index(index(
                &format!("idx_subscriptions_{column}"),
                SUBSCRIPTIONS,
                [column],
            ))
            .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        workspaces(manager).await?;
        users(manager).await?;
        sessions(manager).await?;
        invitations(manager).await?;
        plans(manager).await?;
        subscriptions(manager).await
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
