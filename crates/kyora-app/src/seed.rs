//! `kyora seed`: a demo workspace to click around in, created once, with a demo business.
//!
//! Seeding is idempotent: an existing demo owner is left alone, and only the demo business is
//! added when it is missing (a workspace seeded by an earlier version).

use anyhow::Context as _;
use chrono::Utc;
use futures::FutureExt as _;
use kyora_core::account::NewOwner;
use kyora_core::billing::Subscription;
use kyora_core::business::{Business, NewBusiness};
use kyora_core::ports::{Store, TxOptions, atomic};
use kyora_core::shared::id::{IdPrefix, alphanumeric_token, new_id};

use crate::startup::Components;

/// The demo owner's email.
pub const DEMO_EMAIL: &str = "demo.owner@kyora.dev";

/// The demo business's descriptor.
pub const DEMO_BUSINESS: &str = "demo";

/// What seeding did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seeded {
    /// Created now; the password is shown this once.
    Created { email: String, password: String },
    /// The demo workspace already existed but lacked the demo business, which was added.
    BusinessAdded { email: String },
    /// The demo workspace and its business already existed; nothing changed.
    AlreadyThere { email: String },
}

/// The demo business: an Emirati shop selling in dirhams.
fn demo_business() -> NewBusiness {
    NewBusiness {
        name: "Demo Store".into(),
        descriptor: DEMO_BUSINESS.into(),
        country_code: "AE".into(),
        currency: "AED".into(),
        brand: "Kyora Demo".into(),
        support_email: "support@demo.kyora.dev".into(),
        ..NewBusiness::default()
    }
}

/// Creates the demo business (with its default shipping zone) in `workspace_id` on `store`,
/// joining the caller's transaction when `store` is one.
async fn add_demo_business(
    components: &Components,
    store: &dyn Store,
    workspace_id: &str,
) -> Result<Business, kyora_core::DomainError> {
    let (business, _) = components
        .businesses
        .create_in(store, workspace_id, demo_business(), None)
        .await?;
    Ok(business)
}

/// Creates the demo workspace (admin owner, verified, with an active professional subscription)
/// and its demo business unless its owner exists; adds the business alone when only it is
/// missing. `password` defaults to a random one.
///
/// # Errors
/// When the plans are missing or a write fails (nothing is left half-written).
pub async fn seed(components: &Components, password: Option<String>) -> anyhow::Result<Seeded> {
    let store = &components.database;
    if let Some(owner) = store.users().find_user_by_email(DEMO_EMAIL).await? {
        let email = DEMO_EMAIL.to_owned();
        let existing = store
            .businesses()
            .find_business_by_descriptor(&owner.workspace_id, DEMO_BUSINESS)
            .await?;
        if existing.is_some() {
            return Ok(Seeded::AlreadyThere { email });
        }
        add_demo_business(components, store, &owner.workspace_id).await?;
        return Ok(Seeded::BusinessAdded { email });
    }
    let plan = store
        .plans()
        .find_plan_by_descriptor("professional")
        .await?
        .context("the professional plan is missing; run the server or migrations first")?;
    let password = password.unwrap_or_else(|| alphanumeric_token(16));
    let hash = components.accounts.hash_password(&password).await?;
    let accounts = components.accounts.clone();
    let seeding = components.clone();
    atomic(store, TxOptions::default(), move |tx| {
        let accounts = accounts.clone();
        let seeding = seeding.clone();
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
                workspace_id: workspace.id.clone(),
                plan_id,
                stripe_sub_id: format!("sub_seed_{}", kyora_core::shared::id::ksuid()),
                current_period_end: now + chrono::Duration::days(30),
                status: "active".into(),
                created_at: now,
                updated_at: now,
            };
            tx.subscriptions()
                .create_subscription(&subscription)
                .await?;
            add_demo_business(&seeding, tx, &workspace.id).await?;
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
