//! `kyora seed`: a demo workspace to click around in, created once, with a demo business and a
//! few demo customers (with an address and a note).
//!
//! Seeding is idempotent: an existing demo owner is left alone, and only the demo business is
//! added when it is missing (a workspace seeded by an earlier version).

use anyhow::Context as _;
use chrono::{SubsecRound, Utc};
use futures::FutureExt as _;
use kyora_core::account::NewOwner;
use kyora_core::billing::Subscription;
use kyora_core::business::{Business, NewBusiness};
use kyora_core::customer::{
    AddressInput, Customer, CustomerAddress, CustomerInput, CustomerNote, NewAddress, NewCustomer,
};
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

fn some(value: &str) -> Option<String> {
    Some(value.to_owned())
}

/// A demo customer with a UAE phone number.
fn person(name: &str, email: &str, country: &str, gender: &str, phone: &str) -> CustomerInput {
    CustomerInput {
        name: some(name),
        email: some(email),
        country_code: some(country),
        gender: some(gender),
        phone_number: some(phone),
        phone_code: some("+971"),
        ..CustomerInput::default()
    }
}

/// The demo customers, oldest first, each with one social handle.
fn demo_inputs() -> [CustomerInput; 5] {
    [
        CustomerInput {
            instagram_username: some("layla.styles"),
            ..person(
                "Layla Haddad",
                "layla.haddad@example.com",
                "ae",
                "female",
                "501234560",
            )
        },
        CustomerInput {
            tiktok_username: some("omar.unboxes"),
            ..person(
                "Omar Nabil",
                "omar.nabil@example.com",
                "eg",
                "male",
                "501234561",
            )
        },
        CustomerInput {
            whatsapp_number: some("+971501234562"),
            ..person(
                "Sara Al Mansouri",
                "sara.mansouri@example.com",
                "ae",
                "female",
                "501234562",
            )
        },
        CustomerInput {
            facebook_username: some("youssef.farouk"),
            ..person("Youssef Farouk", "", "sa", "male", "501234563")
        },
        CustomerInput {
            instagram_username: some("mona.bakes"),
            ..person(
                "Mona Saleh",
                "mona.saleh@example.com",
                "kw",
                "",
                "501234564",
            )
        },
    ]
}

/// The demo customers of `business_id` (a minute apart, so the newest-first list shows them in
/// reverse), the first with an address and a note.
fn demo_customers(
    business_id: &str,
) -> Result<(Vec<Customer>, CustomerAddress, CustomerNote), kyora_core::DomainError> {
    let now = Utc::now().trunc_subsecs(6);
    let inputs = demo_inputs();
    let count = i64::try_from(inputs.len()).unwrap_or(0);
    let mut customers = Vec::with_capacity(inputs.len());
    for (age, input) in (0..count).rev().zip(inputs) {
        customers.push(Customer::create(
            new_id(IdPrefix::Customer),
            business_id.to_owned(),
            NewCustomer::parse(input)?,
            now - chrono::Duration::minutes(age),
        ));
    }
    let first = customers.first().map(|c| c.id.clone()).unwrap_or_default();
    let address = CustomerAddress::create(
        new_id(IdPrefix::Address),
        first.clone(),
        NewAddress::parse(AddressInput {
            country_code: Some("ae".into()),
            state: Some("Dubai".into()),
            city: Some("Dubai Marina".into()),
            street: Some("12 Marina Walk".into()),
            phone_code: Some("+971".into()),
            phone_number: Some("501234560".into()),
            zip_code: None,
        })?,
        now,
    );
    let note = CustomerNote::create(
        new_id(IdPrefix::CustomerNote),
        first,
        Some("Prefers delivery after 6 pm.".into()),
        now,
    )?;
    Ok((customers, address, note))
}

/// Creates the demo business (with its default shipping zone) and its demo customers in
/// `workspace_id` on `store`, joining the caller's transaction when `store` is one.
async fn add_demo_business(
    components: &Components,
    store: &dyn Store,
    workspace_id: &str,
) -> Result<Business, kyora_core::DomainError> {
    let (business, _) = components
        .businesses
        .create_in(store, workspace_id, demo_business(), None)
        .await?;
    let (customers, address, note) = demo_customers(&business.id)?;
    store.customers().create_customers(&customers).await?;
    store.customer_addresses().create_address(&address).await?;
    store.customer_notes().create_note(&note).await?;
    Ok(business)
}

/// Creates the demo workspace (admin owner, verified, with an active professional subscription)
/// and its demo business with its customers unless its owner exists; adds the business (and
/// its customers) alone when only it is missing. `password` defaults to a random one.
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
        let seeding = components.clone();
        let workspace_id = owner.workspace_id;
        atomic(store, TxOptions::default(), move |tx| {
            let seeding = seeding.clone();
            let workspace_id = workspace_id.clone();
            async move {
                add_demo_business(&seeding, tx, &workspace_id)
                    .await
                    .map(drop)
            }
            .boxed()
        })
        .await?;
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
