//! Account fixtures for API tests: an app that can sign tokens, owners with a workspace and a
//! subscription of a given plan and status (or none), members added through the real invitation
//! flow (or inserted directly where a workspace cannot invite), sign-in over HTTP, the token links
//! of the emails the mock provider kept, and cache token records written directly.
//!
//! Tests of one binary share a database (and, with memcached, a cache shared by every run), so
//! every fixture works with fresh addresses from [`unique_email`].

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::Utc;
use kyora_app::Config;
use kyora_core::account::{NewOwner, User, Workspace};
use kyora_core::billing::Subscription;
use kyora_core::ports::Store;
use kyora_core::shared::id::{IdPrefix, alphanumeric_token, new_id, sha256_hex};
use reqwest::Method;
use serde::Serialize;
use serde_json::{Value, json};
use tokio::sync::OnceCell;

use crate::google::GoogleStandIn;
use crate::{TestApp, spawn_app_with};

/// The HMAC key the account test apps sign access tokens with.
pub const JWT_SECRET: &str = "kyora-test-jwt-secret-please-change-0123456789";

/// The password every fixture user gets unless a test chooses another.
pub const PASSWORD: &str = "Corr3ct-Horse-Battery";

/// The keys of every UserResponse, exactly (spec 01 §2.2).
pub const USER_KEYS: [&str; 9] = [
    "id",
    "workspaceId",
    "role",
    "firstName",
    "lastName",
    "email",
    "isEmailVerified",
    "createdAt",
    "updatedAt",
];

/// The redirect URL configured for Google sign-in in tests.
pub const GOOGLE_REDIRECT_URL: &str = "http://localhost:3000/auth/google/callback";

/// The OAuth client id configured for Google sign-in in tests.
pub const GOOGLE_CLIENT_ID: &str = "kyora-tests.apps.googleusercontent.com";

/// The account settings every account test app runs with: a JWT secret.
pub fn with_accounts(config: &mut Config) {
    config.auth.jwt.secret = JWT_SECRET.into();
}

/// Points Google sign-in at `google` and configures client id, secret and redirect URL.
pub fn with_google(config: &mut Config, google: &GoogleStandIn) {
    let oauth = &mut config.auth.google_oauth;
    oauth.client_id = GOOGLE_CLIENT_ID.to_owned();
    oauth.client_secret = "kyora-tests-client-secret".into();
    oauth.redirect_url = GOOGLE_REDIRECT_URL.to_owned();
    oauth.token_url = google.token_url();
    oauth.userinfo_url = google.userinfo_url();
}

/// The app with a JWT secret (Google not configured).
pub async fn spawn_accounts_app() -> TestApp {
    spawn_app_with(with_accounts).await
}

/// The app with a JWT secret, after `adjust` changed the configuration further.
pub async fn spawn_accounts_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    spawn_app_with(|config| {
        with_accounts(config);
        adjust(config);
    })
    .await
}

/// The app with a JWT secret and Google sign-in pointed at `google`.
pub async fn spawn_accounts_app_with_google(google: &GoogleStandIn) -> TestApp {
    spawn_accounts_app_with(|config| with_google(config, google)).await
}

/// A fresh address, `<tag>.<random>@example.com`, unique across tests and runs.
pub fn unique_email(tag: &str) -> String {
    format!(
        "{tag}.{}@example.com",
        alphanumeric_token(14).to_lowercase()
    )
}

fn store(app: &TestApp) -> &Arc<dyn Store> {
    app.components.accounts.store()
}

/// The argon2id hash of [`PASSWORD`], computed once per test binary (hashing is slow).
pub async fn password_hash(app: &TestApp) -> String {
    static HASH: OnceCell<String> = OnceCell::const_new();
    HASH.get_or_init(|| async {
        app.components
            .accounts
            .hash_password(PASSWORD)
            .await
            .expect("hashing the fixture password")
    })
    .await
    .clone()
}

/// A workspace's owner as the fixtures created it.
#[derive(Debug, Clone)]
pub struct Owner {
    /// The workspace.
    pub workspace: Workspace,
    /// The owner (an admin).
    pub user: User,
    /// The owner's address.
    pub email: String,
    /// The owner's password ([`PASSWORD`]).
    pub password: String,
}

/// How the fixture owner's email-verified flag and subscription are set up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnerSetup {
    /// The plan descriptor (`starter`, `professional`, `enterprise`) and subscription status
    /// (`active`, `trialing`, `past_due`, …); `None` for a workspace without a subscription.
    pub subscription: Option<(&'static str, &'static str)>,
    /// The owner's `isEmailVerified`.
    pub email_verified: bool,
}

impl OwnerSetup {
    /// A verified owner whose workspace has `descriptor` in `status`.
    pub const fn subscribed(descriptor: &'static str, status: &'static str) -> Self {
        Self {
            subscription: Some((descriptor, status)),
            email_verified: true,
        }
    }

    /// A verified owner whose workspace has no subscription.
    pub const fn unsubscribed() -> Self {
        Self {
            subscription: None,
            email_verified: true,
        }
    }
}

/// An owner of a new workspace with an active `professional` subscription (5 members).
pub async fn create_owner(app: &TestApp) -> Owner {
    create_owner_with(app, OwnerSetup::subscribed("professional", "active")).await
}

/// An owner of a new workspace set up as `setup` says, created through
/// `AccountService::bootstrap_workspace`.
///
/// # Panics
/// When the workspace or the subscription cannot be created.
pub async fn create_owner_with(app: &TestApp, setup: OwnerSetup) -> Owner {
    let email = unique_email("owner");
    let owner = NewOwner {
        first_name: "Olive".to_owned(),
        last_name: "Owner".to_owned(),
        email: email.clone(),
        password_hash: password_hash(app).await,
        email_verified: setup.email_verified,
        stripe_customer_id: None,
    };
    let (workspace, user) = app
        .components
        .accounts
        .bootstrap_workspace(&**store(app), owner)
        .await
        .expect("bootstrapping the fixture workspace");
    if let Some((descriptor, status)) = setup.subscription {
        subscribe(app, &workspace.id, descriptor, status).await;
    }
    Owner {
        workspace,
        user,
        email,
        password: PASSWORD.to_owned(),
    }
}

/// Gives the workspace a subscription to the plan `descriptor` in `status`.
///
/// # Panics
/// When the plan is unknown or the subscription cannot be stored.
pub async fn subscribe(app: &TestApp, workspace_id: &str, descriptor: &str, status: &str) {
    let store = store(app);
    let plan = store
        .plans()
        .find_plan_by_descriptor(descriptor)
        .await
        .expect("reading the plans")
        .unwrap_or_else(|| panic!("no plan {descriptor:?} in the catalogue"));
    let now = Utc::now();
    let subscription = Subscription {
        id: new_id(IdPrefix::Subscription),
        workspace_id: workspace_id.to_owned(),
        plan_id: plan.id,
        stripe_sub_id: format!("sub_test_{}", alphanumeric_token(24)),
        current_period_end: now + chrono::Duration::days(30),
        status: status.to_owned(),
        created_at: now,
        updated_at: now,
    };
    store
        .subscriptions()
        .create_subscription(&subscription)
        .await
        .expect("storing the fixture subscription");
}

/// Inserts a user straight into the workspace (no invitation, no gates) with `role` and a stored
/// password hash (`""` for a user who cannot sign in with a password).
///
/// # Panics
/// When the user cannot be stored.
pub async fn insert_user(
    app: &TestApp,
    workspace_id: &str,
    role: &str,
    email: &str,
    password_hash: &str,
) -> User {
    let now = Utc::now();
    let user = User {
        id: new_id(IdPrefix::User),
        workspace_id: workspace_id.to_owned(),
        role: role.to_owned(),
        first_name: "Ivy".to_owned(),
        last_name: "Inserted".to_owned(),
        email: email.to_owned(),
        password_hash: password_hash.to_owned(),
        is_email_verified: false,
        auth_version: 1,
        created_at: now,
        updated_at: now,
    };
    store(app)
        .users()
        .create_user(&user)
        .await
        .expect("storing the fixture user");
    user
}

/// Inserts a member with `role` and [`PASSWORD`] into the workspace and signs them in.
pub async fn insert_member(app: &TestApp, workspace_id: &str, role: &str) -> Member {
    let email = unique_email(role);
    let hash = password_hash(app).await;
    insert_user(app, workspace_id, role, &email, &hash).await;
    let session = login(app, &email, PASSWORD).await;
    Member {
        email,
        password: PASSWORD.to_owned(),
        session,
    }
}

/// The user row behind `email`, read from the store (removed users read as `None`).
///
/// # Panics
/// When the store fails.
pub async fn find_user(app: &TestApp, email: &str) -> Option<User> {
    store(app)
        .users()
        .find_user_by_email(email)
        .await
        .expect("reading the user")
}

/// An HTTP answer: status, content type, the raw text and the JSON body (`Null` when empty or
/// not JSON).
#[derive(Debug, Clone)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// The `Content-Type` header.
    pub content_type: String,
    /// The raw body.
    pub text: String,
    /// The body as JSON.
    pub body: Value,
}

impl Reply {
    /// `extensions.code`, or `""`.
    pub fn code(&self) -> &str {
        self.body["extensions"]["code"].as_str().unwrap_or_default()
    }

    /// `detail`, or `""`.
    pub fn detail(&self) -> &str {
        self.body["detail"].as_str().unwrap_or_default()
    }

    /// `title`, or `""`.
    pub fn title(&self) -> &str {
        self.body["title"].as_str().unwrap_or_default()
    }

    /// The keys of the top-level JSON object.
    pub fn keys(&self) -> BTreeSet<String> {
        keys(&self.body)
    }

    /// A string field of the top-level object.
    ///
    /// # Panics
    /// When the field is missing or not a string.
    pub fn str(&self, key: &str) -> String {
        self.body[key]
            .as_str()
            .unwrap_or_else(|| panic!("no string {key:?} in {}", self.text))
            .to_owned()
    }

    /// Asserts the status.
    ///
    /// # Panics
    /// When the status differs (the body is shown).
    #[track_caller]
    pub fn expect_status(&self, status: u16) -> &Self {
        assert_eq!(
            self.status, status,
            "expected {status}, got {}: {}",
            self.status, self.text
        );
        self
    }

    /// Asserts a problem document with this status and `extensions.code`.
    ///
    /// # Panics
    /// When it is not one.
    #[track_caller]
    pub fn expect_problem(&self, status: u16, code: &str) -> &Self {
        self.expect_status(status);
        assert!(
            self.content_type.starts_with("application/problem+json"),
            "not a problem document ({}): {}",
            self.content_type,
            self.text
        );
        assert_eq!(self.body["status"], status, "{}", self.text);
        assert_eq!(self.body["type"], "about:blank", "{}", self.text);
        assert_eq!(self.code(), code, "{}", self.text);
        self
    }

    /// Asserts the `detail`.
    ///
    /// # Panics
    /// When it differs.
    #[track_caller]
    pub fn expect_detail(&self, detail: &str) -> &Self {
        assert_eq!(self.detail(), detail, "{}", self.text);
        self
    }
}

/// The keys of a JSON object (empty for anything else).
pub fn keys(value: &Value) -> BTreeSet<String> {
    value
        .as_object()
        .map(|object| object.keys().cloned().collect())
        .unwrap_or_default()
}

/// The set of `names`, to compare with [`keys`].
pub fn key_set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|name| (*name).to_owned()).collect()
}

/// Sends `method path` with an optional bearer token and JSON body.
///
/// # Panics
/// When the request cannot be sent.
pub async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    bearer: Option<&str>,
    body: Option<Value>,
) -> Reply {
    let mut request = app.client.request(method, app.url(path));
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    reply(request.send().await.expect("sending the request")).await
}

/// Reads a response into a [`Reply`].
///
/// # Panics
/// When the body cannot be read.
pub async fn reply(response: reqwest::Response) -> Reply {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let text = response.text().await.expect("reading the body");
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Reply {
        status,
        content_type,
        text,
        body,
    }
}

/// `GET path`.
pub async fn get(app: &TestApp, path: &str, bearer: Option<&str>) -> Reply {
    call(app, Method::GET, path, bearer, None).await
}

/// `POST path` with a JSON body.
pub async fn post(app: &TestApp, path: &str, bearer: Option<&str>, body: Value) -> Reply {
    call(app, Method::POST, path, bearer, Some(body)).await
}

/// `PATCH path` with a JSON body.
pub async fn patch(app: &TestApp, path: &str, bearer: Option<&str>, body: Value) -> Reply {
    call(app, Method::PATCH, path, bearer, Some(body)).await
}

/// `DELETE path`.
pub async fn delete(app: &TestApp, path: &str, bearer: Option<&str>) -> Reply {
    call(app, Method::DELETE, path, bearer, None).await
}

/// A signed-in user: the tokens and the `user` object of the login response.
#[derive(Debug, Clone)]
pub struct Session {
    /// The access token.
    pub token: String,
    /// The refresh token.
    pub refresh_token: String,
    /// The `user` object.
    pub user: Value,
}

impl Session {
    /// The user's id.
    pub fn user_id(&self) -> String {
        self.user["id"].as_str().unwrap_or_default().to_owned()
    }

    /// The user's workspace id.
    pub fn workspace_id(&self) -> String {
        self.user["workspaceId"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The session of a 200 login (or acceptance) reply.
    ///
    /// # Panics
    /// When the reply is not a 200 with tokens.
    #[track_caller]
    pub fn from_reply(reply: &Reply) -> Self {
        reply.expect_status(200);
        Self {
            token: reply.str("token"),
            refresh_token: reply.str("refreshToken"),
            user: reply.body["user"].clone(),
        }
    }
}

/// `POST /v1/auth/login`.
pub async fn try_login(app: &TestApp, email: &str, password: &str) -> Reply {
    post(
        app,
        "/v1/auth/login",
        None,
        json!({"email": email, "password": password}),
    )
    .await
}

/// Signs in over HTTP.
///
/// # Panics
/// When the login is not a 200.
pub async fn login(app: &TestApp, email: &str, password: &str) -> Session {
    Session::from_reply(&try_login(app, email, password).await)
}

/// Signs the owner in.
pub async fn login_owner(app: &TestApp, owner: &Owner) -> Session {
    login(app, &owner.email, &owner.password).await
}

/// `POST /v1/workspaces/invitations`.
pub async fn invite(app: &TestApp, bearer: &str, email: &str, role: &str) -> Reply {
    post(
        app,
        "/v1/workspaces/invitations",
        Some(bearer),
        json!({"email": email, "role": role}),
    )
    .await
}

/// `POST /v1/invitations/accept?token=…` with names and a password.
pub async fn accept(
    app: &TestApp,
    token: &str,
    first_name: &str,
    last_name: &str,
    password: &str,
) -> Reply {
    post(
        app,
        &format!("/v1/invitations/accept?token={token}"),
        None,
        json!({"firstName": first_name, "lastName": last_name, "password": password}),
    )
    .await
}

/// The token of the newest email to `address` carrying a `<path>?token=` link (for example
/// `/accept-invitation`, `/reset-password`, `/verify-email`).
///
/// # Panics
/// When the app does not run the mock email provider.
pub fn emailed_token(app: &TestApp, address: &str, path: &str) -> Option<String> {
    let outbox = app
        .components
        .outbox
        .as_ref()
        .expect("the test app runs the mock email provider");
    let marker = format!("{path}?token=");
    outbox.messages().iter().rev().find_map(|message| {
        if !message.to.iter().any(|to| bare_address(to) == address) {
            return None;
        }
        [&message.text, &message.html].into_iter().find_map(|body| {
            let start = body.find(&marker)? + marker.len();
            let token: String = body[start..]
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            (!token.is_empty()).then_some(token)
        })
    })
}

fn bare_address(address: &str) -> &str {
    match (address.rfind('<'), address.rfind('>')) {
        (Some(start), Some(end)) if start < end => address[start + 1..end].trim(),
        _ => address.trim(),
    }
}

/// The emails the mock provider kept for `address`, oldest first.
///
/// # Panics
/// When the app does not run the mock email provider.
pub fn emails_to(app: &TestApp, address: &str) -> Vec<kyora_core::ports::email::EmailMessage> {
    app.components
        .outbox
        .as_ref()
        .expect("the test app runs the mock email provider")
        .messages()
        .into_iter()
        .filter(|message| message.to.iter().any(|to| bare_address(to) == address))
        .collect()
}

/// Invites `email` with `role` as `inviter` and returns the invitation and the emailed token.
///
/// # Panics
/// When the invitation is not created or no token was emailed.
pub async fn invite_with_token(
    app: &TestApp,
    inviter: &Session,
    email: &str,
    role: &str,
) -> (Value, String) {
    let created = invite(app, &inviter.token, email, role).await;
    created.expect_status(201);
    let token = emailed_token(app, email, "/accept-invitation")
        .unwrap_or_else(|| panic!("no invitation email to {email}"));
    (created.body, token)
}

/// A member added through the invitation flow (or inserted), signed in.
#[derive(Debug, Clone)]
pub struct Member {
    /// The member's address.
    pub email: String,
    /// The member's password.
    pub password: String,
    /// The session the acceptance (or login) opened.
    pub session: Session,
}

/// Adds a member with `role` to the inviter's workspace over HTTP: invitation, then acceptance
/// with [`PASSWORD`].
///
/// # Panics
/// When a step fails.
pub async fn add_member(app: &TestApp, inviter: &Session, role: &str) -> Member {
    let email = unique_email(role);
    let (_, token) = invite_with_token(app, inviter, &email, role).await;
    let accepted = accept(app, &token, "Mia", "Member", PASSWORD).await;
    Member {
        email,
        password: PASSWORD.to_owned(),
        session: Session::from_reply(&accepted),
    }
}

/// The cache record behind an invitation token (spec 01 §2.5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InvitationRecord {
    pub invitation_id: String,
    pub workspace_id: String,
    pub email: String,
    pub role: String,
    pub inviter_id: String,
    pub exp_at: String,
}

impl InvitationRecord {
    /// The record for an invitation as the API returned it, expiring in a week.
    pub fn for_invitation(invitation: &Value) -> Self {
        let field = |key: &str| invitation[key].as_str().unwrap_or_default().to_owned();
        Self {
            invitation_id: field("id"),
            workspace_id: field("workspaceId"),
            email: field("email"),
            role: field("role"),
            inviter_id: field("inviterId"),
            exp_at: (Utc::now() + chrono::Duration::days(7))
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }
    }
}

/// Stores `record` under a fresh token (`invitation:<sha256 hex of token>`) and returns the token.
///
/// # Panics
/// When the cache refuses the write.
pub async fn put_invitation_record(app: &TestApp, record: &InvitationRecord) -> String {
    let token = alphanumeric_token(32);
    let value = serde_json::to_vec(record).expect("serialising the record");
    app.components
        .cache
        .set(
            &format!("invitation:{}", sha256_hex(&token)),
            &value,
            std::time::Duration::from_secs(3600),
        )
        .await
        .expect("writing the invitation record");
    token
}

/// The JSON value stored under `key`, if any.
///
/// # Panics
/// When the cache fails or the value is not JSON.
pub async fn cached_json(app: &TestApp, key: &str) -> Option<Value> {
    app.components
        .cache
        .get(key)
        .await
        .expect("reading the cache")
        .map(|bytes| serde_json::from_slice(&bytes).expect("a JSON cache record"))
}
