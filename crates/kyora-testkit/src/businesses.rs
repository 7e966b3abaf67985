//! Business fixtures for API tests: a signed-in owner of a fresh workspace (a "tenant"),
//! businesses created over HTTP for them, the paths of the business routes, and a wait for the
//! next wall-clock second (the zone throttles allow one write per user and business per second).
//!
//! Every tenant has a workspace of its own, so descriptors only need to be unique within a test.

use std::time::Duration;

use serde_json::{Value, json};

use crate::TestApp;
use crate::accounts::{
    Member, Owner, OwnerSetup, Reply, Session, create_owner_with, get, insert_member, login_owner,
    post,
};

/// A workspace owner (an admin) with a subscription, signed in.
#[derive(Debug, Clone)]
pub struct Tenant {
    /// The owner and their workspace.
    pub owner: Owner,
    /// The owner's session.
    pub session: Session,
}

impl Tenant {
    /// The owner's access token.
    pub fn token(&self) -> &str {
        &self.session.token
    }

    /// The workspace's id.
    pub fn workspace_id(&self) -> &str {
        &self.owner.workspace.id
    }

    /// A member with `role` (`user` or `admin`) inserted into the workspace and signed in.
    pub async fn member(&self, app: &TestApp, role: &str) -> Member {
        insert_member(app, &self.owner.workspace.id, role).await
    }
}

/// A signed-in owner whose workspace has an active `enterprise` subscription (no limits).
pub async fn tenant(app: &TestApp) -> Tenant {
    tenant_with(app, OwnerSetup::subscribed("enterprise", "active")).await
}

/// A signed-in owner whose workspace is set up as `setup` says.
pub async fn tenant_with(app: &TestApp, setup: OwnerSetup) -> Tenant {
    let owner = create_owner_with(app, setup).await;
    let session = login_owner(app, &owner).await;
    Tenant { owner, session }
}

/// The smallest valid creation body: an Egyptian business selling in US dollars.
pub fn business_body(descriptor: &str) -> Value {
    json!({
        "name": "Test Business",
        "descriptor": descriptor,
        "countryCode": "EG",
        "currency": "USD",
    })
}

/// `POST /v1/businesses` with `body`.
pub async fn try_create_business(app: &TestApp, bearer: &str, body: Value) -> Reply {
    post(app, "/v1/businesses", Some(bearer), body).await
}

/// Creates a business with [`business_body`] and returns the `business` object.
///
/// # Panics
/// When the creation is not a 201.
pub async fn create_business(app: &TestApp, bearer: &str, descriptor: &str) -> Value {
    let reply = try_create_business(app, bearer, business_body(descriptor)).await;
    reply.expect_status(201);
    reply.body["business"].clone()
}

/// `/v1/businesses/{descriptor}{rest}`.
pub fn business_path(descriptor: &str, rest: &str) -> String {
    format!("/v1/businesses/{descriptor}{rest}")
}

/// The business's shipping zones, asserting a 200.
///
/// # Panics
/// When the list is not a 200 array.
pub async fn zones(app: &TestApp, bearer: &str, descriptor: &str) -> Vec<Value> {
    let reply = get(
        app,
        &business_path(descriptor, "/shipping-zones"),
        Some(bearer),
    )
    .await;
    reply.expect_status(200);
    reply
        .body
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {}", reply.text))
        .clone()
}

/// Sleeps until a few milliseconds into the next wall-clock second, so a throttled write with a
/// one-second minimum interval is allowed again.
pub async fn next_second() {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let into_second = u64::from(now.subsec_millis());
    tokio::time::sleep(Duration::from_millis(1_000 - into_second + 20)).await;
}
