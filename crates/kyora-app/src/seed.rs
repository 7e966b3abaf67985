//! `kyora seed`: a demo workspace to click around in, created once.

use anyhow::Context as _;
use chrono::Utc;
use kyora_core::account::NewOwner;
use kyora_core::billing::Subscription;
use kyora_core::ports::{Store, TxOptions, atomic};
use kyora_core::shared::id::{IdPrefix, alphanumeric_token, new_id};
use futures::FutureExt as _;

use crate::startup::Components;

/// The demo owner's email.
pub const DEMO_EMAIL: &str = "demo.owner@kyora.dev";

/// What seeding did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seeded {
    /// Created now; the password is shown this once.
    Created { email: String, password: String },
    /// The demo workspace already existed; nothing changed.
    AlreadyThere { email: String },
}

/// Creates the demo workspace (admin owner, verified, with an active professional subscription)
/// unless its owner exists. `password` defaults to a random one.
///
/// # Errors
/// When the plans are missing or a write fails (nothing is left half-written).
pub async fn seed(components: &Components, password: Option<String>) -> anyhow::Result<Seeded> {
    let store = &components.database;
    if store.users().find_user_by_email(DEMO_EMAIL).await?.is_some() {
        return Ok(Seeded::AlreadyThere {
            email: DEMO_EMAIL.to_owned(),
        });
    }
    let plan = store
        .plans()
        .find_plan_by_descriptor("professional")
        .await?
        .context("the professional plan is missing; run the server or migrations first")?;
    let password = password.unwrap_or_else(|| alphanumeric_token(16));
    let hash = components.accounts.hash_password(&password).await?;
    let accounts = components.accounts.clone();
    atomic(store, TxOptions::default(), move |tx| {
        let accounts = accounts.clone();
        let hash = hash.clone();
        let plan_id = plan.id.clone();
        async move {
            let owner = NewOwner {
                first_name: "Demo".into(),
                last_name: "Owner".into(),
                email: DEMO_EMAIL.into(),
                password_hash: hash,
                email_verified: true,
                stripe_customer_id: None,
            };
            let (workspace, _) = accounts.bootstrap_workspace(tx, owner).await?;
            let now = Utc::now();
            let subscription = Subscription {
                id: new_id(IdPrefix::Subscription),
                workspace_id: workspace.id,
                plan_id,
                stripe_sub_id: format!("sub_seed_{}", kyora_core::shared::id::ksuid()),
                current_period_end: now + chrono::Duration::days(30),
                status: "active".into(),
                created_at: now,
                updated_at: now,
            };
            tx.subscriptions().create_subscription(&subscription).await?;
            Ok(())
        }
        .boxed()
    })
    .await?;
    Ok(Seeded::Created {
        email: DEMO_EMAIL.to_owned(),
        password,
    })
}
