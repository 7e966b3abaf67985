//! Repository contracts, written once and run against every [`Store`]: the in-memory store here,
//! and kyora-db's on SQLite and PostgreSQL.
//!
//! Each function exercises one documented behaviour of the account, billing and business
//! repositories
//! through the `Store` accessors and panics (with what it was doing) when the store misbehaves.
//! Every function creates its own workspaces, users and emails with fresh ids, so they can run
//! against any store, in any order; the catalogue functions upsert the built-in catalogue.
//! Timestamps are whole seconds, which every backend stores exactly.
//!
//! Stores with referential integrity are respected: workspaces are created before their users,
//! inviters before their invitations and plans before their subscriptions, workspaces before
//! their businesses and businesses before their zones and payment settings.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;

use crate::account::model::{Invitation, InvitationStatus, Session, User, Workspace};
use crate::billing::model::{CATALOGUE_CURRENCY, CATALOGUE_CYCLE, PlanSpec, catalogue};
use crate::billing::{Plan, Subscription};
use crate::business::{
    AssetMetadata, AssetReference, Business, PaymentMethodSettings, ShippingZone, StorefrontTheme,
};
use crate::ports::store::Store;
use crate::shared::actor::Role;
use crate::shared::error::RepoError;
use crate::shared::id::{IdPrefix, alphanumeric_token, new_id, sha256_hex};

mod customers;
pub use customers::*;

/// The value of a repository call that must succeed.
fn ok<T>(result: Result<T, RepoError>, doing: &str) -> T {
    match result {
        Ok(value) => value,
        Err(err) => panic!("{doing}: unexpected {err:?}"),
    }
}

/// The error of a repository call that must fail.
fn failed<T: std::fmt::Debug>(result: Result<T, RepoError>, doing: &str) -> RepoError {
    match result {
        Ok(value) => panic!("{doing}: expected an error, got {value:?}"),
        Err(err) => err,
    }
}

/// A fixed instant plus `seconds`.
fn at(seconds: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0)
        .single()
        .unwrap_or_default()
        + Duration::seconds(seconds)
}

fn unique_email() -> String {
    format!(
        "{}@example.test",
        alphanumeric_token(12).to_ascii_lowercase()
    )
}

async fn new_workspace(store: &dyn Store) -> Workspace {
    let workspace = Workspace {
        id: new_id(IdPrefix::Workspace),
        owner_id: String::new(),
        stripe_customer_id: None,
        stripe_payment_method_id: None,
        created_at: at(0),
        updated_at: at(0),
    };
    ok(
        store.workspaces().create_workspace(&workspace).await,
        "creating a workspace",
    );
    workspace
}

fn user_in(workspace: &Workspace, email: &str, created_at: DateTime<Utc>) -> User {
    User {
        id: new_id(IdPrefix::User),
        workspace_id: workspace.id.clone(),
        role: Role::User.as_str().to_owned(),
        first_name: "Ada".to_owned(),
        last_name: "Lovelace".to_owned(),
        email: email.to_owned(),
        password_hash: "$argon2id$v=19$hash".to_owned(),
        is_email_verified: false,
        auth_version: 1,
        created_at,
        updated_at: created_at,
    }
}

async fn new_user(store: &dyn Store, workspace: &Workspace) -> User {
    let user = user_in(workspace, &unique_email(), at(0));
    ok(store.users().create_user(&user).await, "creating a user");
    user
}

fn session_of(user: &User, expires_at: DateTime<Utc>) -> Session {
    Session {
        id: new_id(IdPrefix::Session),
        user_id: user.id.clone(),
        workspace_id: user.workspace_id.clone(),
        token_hash: sha256_hex(&alphanumeric_token(43)),
        expires_at,
        created_ip: "203.0.113.9".to_owned(),
        user_agent: "contract-tests/1".to_owned(),
        created_at: at(0),
    }
}

async fn new_session(store: &dyn Store, user: &User, expires_at: DateTime<Utc>) -> Session {
    let session = session_of(user, expires_at);
    ok(
        store.sessions().create_session(&session).await,
        "creating a session",
    );
    session
}

fn invitation_to(
    workspace: &Workspace,
    inviter: &User,
    email: &str,
    status: InvitationStatus,
    created_at: DateTime<Utc>,
) -> Invitation {
    Invitation {
        id: new_id(IdPrefix::Invitation),
        workspace_id: workspace.id.clone(),
        email: email.to_owned(),
        role: Role::Admin,
        inviter_id: inviter.id.clone(),
        status,
        accepted_at: None,
        created_at,
        updated_at: created_at,
    }
}

async fn new_invitation(
    store: &dyn Store,
    workspace: &Workspace,
    inviter: &User,
    email: &str,
    status: InvitationStatus,
    created_at: DateTime<Utc>,
) -> Invitation {
    let invitation = invitation_to(workspace, inviter, email, status, created_at);
    ok(
        store.invitations().create_invitation(&invitation).await,
        "creating an invitation",
    );
    invitation
}

fn ids<'a>(items: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    items.into_iter().map(str::to_owned).collect()
}

// ---- workspaces ------------------------------------------------------------------------------

/// A workspace reads back as stored, an update saves every column, and an unknown id reads as
/// none and cannot be updated.
pub async fn workspaces_are_created_found_and_updated(store: &dyn Store) {
    let repo = store.workspaces();
    let workspace = new_workspace(store).await;
    assert_eq!(
        ok(
            repo.find_workspace(&workspace.id).await,
            "finding the workspace"
        ),
        Some(workspace.clone())
    );
    assert_eq!(
        ok(
            repo.find_workspace(&new_id(IdPrefix::Workspace)).await,
            "finding an unknown workspace"
        ),
        None
    );

    let owner = new_user(store, &workspace).await;
    let updated = Workspace {
        owner_id: owner.id.clone(),
        stripe_customer_id: Some(format!("cus_{}", alphanumeric_token(14))),
        stripe_payment_method_id: Some(format!("pm_{}", alphanumeric_token(14))),
        updated_at: at(60),
        ..workspace.clone()
    };
    ok(
        repo.update_workspace(&updated).await,
        "updating the workspace",
    );
    assert_eq!(
        ok(
            repo.find_workspace(&workspace.id).await,
            "re-reading the workspace"
        ),
        Some(updated.clone())
    );

    let cleared = Workspace {
        stripe_payment_method_id: None,
        updated_at: at(120),
        ..updated
    };
    ok(
        repo.update_workspace(&cleared).await,
        "clearing the payment method",
    );
    assert_eq!(
        ok(
            repo.find_workspace(&workspace.id).await,
            "re-reading the workspace"
        ),
        Some(cleared)
    );

    let unknown = Workspace {
        id: new_id(IdPrefix::Workspace),
        ..workspace
    };
    assert_eq!(
        failed(
            repo.update_workspace(&unknown).await,
            "updating an unknown workspace"
        ),
        RepoError::NotFound
    );
}

// ---- users -----------------------------------------------------------------------------------

/// `find_user` and `find_user_by_email` ignore workspaces; email lookups are exact.
pub async fn users_are_found_by_id_and_exact_email_in_any_workspace(store: &dyn Store) {
    let repo = store.users();
    let workspace = new_workspace(store).await;
    let user = new_user(store, &workspace).await;
    assert_eq!(
        ok(repo.find_user(&user.id).await, "finding by id"),
        Some(user.clone())
    );
    assert_eq!(
        ok(
            repo.find_user_by_email(&user.email).await,
            "finding by email"
        ),
        Some(user.clone())
    );
    assert_eq!(
        ok(
            repo.find_user_by_email(&user.email.to_uppercase()).await,
            "finding by upper-cased email"
        ),
        None,
        "email lookups are exact, case-sensitive matches"
    );
    assert_eq!(
        ok(
            repo.find_user_by_email(&format!(" {}", user.email)).await,
            "finding by padded email"
        ),
        None
    );
    assert_eq!(
        ok(
            repo.find_user(&new_id(IdPrefix::User)).await,
            "finding an unknown id"
        ),
        None
    );
}

/// Member lookups, lists and counts see only the given workspace's users.
pub async fn members_are_scoped_by_workspace(store: &dyn Store) {
    let repo = store.users();
    let mine = new_workspace(store).await;
    let theirs = new_workspace(store).await;
    let member = new_user(store, &mine).await;
    let stranger = new_user(store, &theirs).await;

    assert_eq!(
        ok(
            repo.find_member(&mine.id, &member.id).await,
            "finding a member"
        ),
        Some(member.clone())
    );
    assert_eq!(
        ok(
            repo.find_member(&mine.id, &stranger.id).await,
            "finding another workspace's user"
        ),
        None
    );
    assert_eq!(
        ok(
            repo.find_member_by_email(&mine.id, &member.email).await,
            "finding a member by email"
        ),
        Some(member.clone())
    );
    assert_eq!(
        ok(
            repo.find_member_by_email(&mine.id, &stranger.email).await,
            "finding another workspace's user by email"
        ),
        None
    );
    assert_eq!(
        ok(repo.list_members(&mine.id).await, "listing members"),
        vec![member]
    );
    assert_eq!(
        ok(repo.count_members(&mine.id).await, "counting members"),
        1
    );
    assert_eq!(
        ok(
            repo.count_members(&theirs.id).await,
            "counting their members"
        ),
        1
    );
    let empty = new_id(IdPrefix::Workspace);
    assert!(
        ok(
            repo.list_members(&empty).await,
            "listing an unknown workspace"
        )
        .is_empty()
    );
    assert_eq!(
        ok(
            repo.count_members(&empty).await,
            "counting an unknown workspace"
        ),
        0
    );
}

/// A live user's email is taken in every workspace; removing the user frees it.
pub async fn a_duplicate_live_email_conflicts_and_is_free_again_after_removal(store: &dyn Store) {
    let repo = store.users();
    let first_workspace = new_workspace(store).await;
    let second_workspace = new_workspace(store).await;
    let first = new_user(store, &first_workspace).await;

    let same_workspace = user_in(&first_workspace, &first.email, at(10));
    assert!(matches!(
        failed(
            repo.create_user(&same_workspace).await,
            "creating a duplicate in the workspace"
        ),
        RepoError::Conflict(_)
    ));
    let other_workspace = user_in(&second_workspace, &first.email, at(10));
    assert!(matches!(
        failed(
            repo.create_user(&other_workspace).await,
            "creating a duplicate elsewhere"
        ),
        RepoError::Conflict(_)
    ));
    assert_eq!(
        ok(
            repo.count_members(&second_workspace.id).await,
            "counting after the conflict"
        ),
        0
    );

    ok(
        repo.remove_member(&first_workspace.id, &first.id, at(20))
            .await,
        "removing the first user",
    );
    ok(
        repo.create_user(&other_workspace).await,
        "reusing the removed user's email",
    );
    assert_eq!(
        ok(
            repo.find_user_by_email(&first.email).await,
            "finding the email's new owner"
        ),
        Some(other_workspace)
    );
}

/// A removed user is invisible to every read, count and write, and cannot be removed twice;
/// another workspace cannot remove a member.
pub async fn removed_members_are_invisible_to_every_read_and_write(store: &dyn Store) {
    let repo = store.users();
    let workspace = new_workspace(store).await;
    let other = new_workspace(store).await;
    let removed = new_user(store, &workspace).await;
    let kept = new_user(store, &workspace).await;

    assert_eq!(
        failed(
            repo.remove_member(&other.id, &removed.id, at(5)).await,
            "removing from another workspace"
        ),
        RepoError::NotFound
    );
    assert_eq!(
        ok(
            repo.count_members(&workspace.id).await,
            "counting before removal"
        ),
        2
    );

    ok(
        repo.remove_member(&workspace.id, &removed.id, at(10)).await,
        "removing a member",
    );
    assert_eq!(
        ok(repo.find_user(&removed.id).await, "finding a removed user"),
        None
    );
    assert_eq!(
        ok(
            repo.find_user_by_email(&removed.email).await,
            "finding a removed user by email"
        ),
        None
    );
    assert_eq!(
        ok(
            repo.find_member(&workspace.id, &removed.id).await,
            "finding a removed member"
        ),
        None
    );
    assert_eq!(
        ok(
            repo.find_member_by_email(&workspace.id, &removed.email)
                .await,
            "finding a removed member by email"
        ),
        None
    );
    assert_eq!(
        ok(repo.list_members(&workspace.id).await, "listing members"),
        vec![kept]
    );
    assert_eq!(
        ok(repo.count_members(&workspace.id).await, "counting members"),
        1
    );

    let renamed = User {
        first_name: "Changed".to_owned(),
        updated_at: at(30),
        ..removed.clone()
    };
    assert_eq!(
        failed(repo.update_user(&renamed).await, "updating a removed user"),
        RepoError::NotFound
    );
    assert_eq!(
        failed(
            repo.remove_member(&workspace.id, &removed.id, at(40)).await,
            "removing twice"
        ),
        RepoError::NotFound
    );
    assert_eq!(
        failed(
            repo.remove_member(&workspace.id, &new_id(IdPrefix::User), at(40))
                .await,
            "removing an unknown user"
        ),
        RepoError::NotFound
    );
}

/// Members are listed by creation time, oldest first, and by id among equals.
pub async fn members_are_listed_oldest_first_then_by_id(store: &dyn Store) {
    let repo = store.users();
    let workspace = new_workspace(store).await;
    let base = new_id(IdPrefix::User);
    let mut late_b = user_in(&workspace, &unique_email(), at(100));
    late_b.id = format!("{base}b");
    let mut late_a = user_in(&workspace, &unique_email(), at(100));
    late_a.id = format!("{base}a");
    let early = user_in(&workspace, &unique_email(), at(50));
    let latest = user_in(&workspace, &unique_email(), at(200));
    for user in [&late_b, &latest, &early, &late_a] {
        ok(repo.create_user(user).await, "creating a member");
    }
    let listed: Vec<String> = ok(repo.list_members(&workspace.id).await, "listing members")
        .into_iter()
        .map(|user| user.id)
        .collect();
    assert_eq!(
        listed,
        ids([
            early.id.as_str(),
            late_a.id.as_str(),
            late_b.id.as_str(),
            latest.id.as_str()
        ])
    );
}

/// An update saves every column of the user, within the user's own workspace only.
pub async fn updating_a_user_saves_every_column_within_its_workspace(store: &dyn Store) {
    let repo = store.users();
    let workspace = new_workspace(store).await;
    let other = new_workspace(store).await;
    let user = new_user(store, &workspace).await;
    let updated = User {
        role: Role::Admin.as_str().to_owned(),
        first_name: "Grace".to_owned(),
        last_name: "Hopper".to_owned(),
        email: unique_email(),
        password_hash: "$argon2id$v=19$new".to_owned(),
        is_email_verified: true,
        auth_version: 7,
        updated_at: at(90),
        ..user.clone()
    };
    ok(repo.update_user(&updated).await, "updating the user");
    assert_eq!(
        ok(repo.find_user(&user.id).await, "re-reading the user"),
        Some(updated.clone())
    );
    assert_eq!(
        ok(
            repo.find_user_by_email(&user.email).await,
            "finding by the old email"
        ),
        None
    );

    let unknown_role = User {
        role: "owner".to_owned(),
        updated_at: at(95),
        ..updated.clone()
    };
    ok(
        repo.update_user(&unknown_role).await,
        "storing an unknown role",
    );
    assert_eq!(
        ok(repo.find_user(&user.id).await, "re-reading the user").map(|u| u.role),
        Some("owner".to_owned()),
        "the stored role is kept as it is"
    );

    let moved = User {
        workspace_id: other.id.clone(),
        first_name: "Moved".to_owned(),
        ..updated.clone()
    };
    assert_eq!(
        failed(
            repo.update_user(&moved).await,
            "updating into another workspace"
        ),
        RepoError::NotFound
    );
    assert_eq!(
        ok(
            repo.find_member(&workspace.id, &user.id).await,
            "finding the member"
        )
        .map(|u| u.first_name),
        Some("Grace".to_owned())
    );
}

// ---- sessions --------------------------------------------------------------------------------

/// A session is valid while unrevoked and `expires_at > now`; revoking succeeds once.
pub async fn sessions_are_valid_until_they_expire_or_are_revoked(store: &dyn Store) {
    let repo = store.sessions();
    let workspace = new_workspace(store).await;
    let user = new_user(store, &workspace).await;
    let session = new_session(store, &user, at(100)).await;

    assert_eq!(
        ok(
            repo.find_valid_session(&session.token_hash, at(99)).await,
            "finding before expiry"
        ),
        Some(session.clone())
    );
    assert_eq!(
        ok(
            repo.find_valid_session(&session.token_hash, at(100)).await,
            "finding at expiry"
        ),
        None,
        "a session expiring now is no longer valid"
    );
    assert_eq!(
        ok(
            repo.find_valid_session(&session.token_hash, at(101)).await,
            "finding after expiry"
        ),
        None
    );
    assert_eq!(
        ok(
            repo.find_valid_session(&sha256_hex("unknown"), at(0)).await,
            "finding an unknown hash"
        ),
        None
    );

    assert!(ok(
        repo.revoke_session(&session.id, at(10)).await,
        "revoking"
    ));
    assert!(
        !ok(
            repo.revoke_session(&session.id, at(11)).await,
            "revoking again"
        ),
        "a revoked session is not revoked a second time"
    );
    assert_eq!(
        ok(
            repo.find_valid_session(&session.token_hash, at(20)).await,
            "finding a revoked session"
        ),
        None
    );
    assert!(!ok(
        repo.revoke_session(&new_id(IdPrefix::Session), at(12))
            .await,
        "revoking an unknown id"
    ));
}

/// Revoking a user's sessions spares `keep`, other users and already revoked sessions.
pub async fn revoking_a_users_sessions_spares_the_kept_one_and_other_users(store: &dyn Store) {
    let repo = store.sessions();
    let workspace = new_workspace(store).await;
    let user = new_user(store, &workspace).await;
    let colleague = new_user(store, &workspace).await;
    let current = new_session(store, &user, at(1000)).await;
    let laptop = new_session(store, &user, at(1000)).await;
    let phone = new_session(store, &user, at(1000)).await;
    let expired = new_session(store, &user, at(5)).await;
    let theirs = new_session(store, &colleague, at(1000)).await;
    assert!(ok(
        repo.revoke_session(&phone.id, at(1)).await,
        "revoking the phone"
    ));

    let revoked = ok(
        repo.revoke_user_sessions(&user.id, Some(&current.id), at(10))
            .await,
        "revoking all but the current session",
    );
    assert_eq!(
        revoked, 2,
        "the laptop and the expired session; the phone was already revoked"
    );
    let valid = |session: &Session| session.token_hash.clone();
    assert!(
        ok(
            repo.find_valid_session(&valid(&current), at(20)).await,
            "the kept session"
        )
        .is_some()
    );
    assert!(
        ok(
            repo.find_valid_session(&valid(&laptop), at(20)).await,
            "a revoked session"
        )
        .is_none()
    );
    assert!(
        ok(
            repo.find_valid_session(&valid(&theirs), at(20)).await,
            "a colleague's session"
        )
        .is_some()
    );
    assert!(
        !ok(
            repo.revoke_session(&expired.id, at(21)).await,
            "revoking the expired session again"
        ),
        "expired sessions were revoked too"
    );

    assert_eq!(
        ok(
            repo.revoke_user_sessions(&user.id, None, at(30)).await,
            "revoking all"
        ),
        1
    );
    assert!(
        ok(
            repo.find_valid_session(&valid(&current), at(31)).await,
            "the last session"
        )
        .is_none()
    );
    assert_eq!(
        ok(
            repo.revoke_user_sessions(&user.id, None, at(40)).await,
            "revoking none"
        ),
        0
    );
    assert!(
        ok(
            repo.find_valid_session(&valid(&theirs), at(41)).await,
            "a colleague's session"
        )
        .is_some()
    );
}

// ---- invitations -----------------------------------------------------------------------------

/// Invitations are found within their workspace only; an update saves status, acceptance time
/// and update time, within the invitation's workspace only.
pub async fn invitations_are_scoped_by_workspace_and_updated_in_place(store: &dyn Store) {
    let repo = store.invitations();
    let workspace = new_workspace(store).await;
    let other = new_workspace(store).await;
    let inviter = new_user(store, &workspace).await;
    let email = unique_email();
    let invitation = new_invitation(
        store,
        &workspace,
        &inviter,
        &email,
        InvitationStatus::Pending,
        at(0),
    )
    .await;

    assert_eq!(
        ok(
            repo.find_invitation(&workspace.id, &invitation.id).await,
            "finding the invitation"
        ),
        Some(invitation.clone())
    );
    assert_eq!(
        ok(
            repo.find_invitation(&other.id, &invitation.id).await,
            "finding it from another workspace"
        ),
        None
    );
    assert_eq!(
        ok(
            repo.find_invitation(&workspace.id, &new_id(IdPrefix::Invitation))
                .await,
            "finding an unknown id"
        ),
        None
    );

    let mut accepted = invitation.clone();
    if let Err(err) = accepted.accept(at(50)) {
        panic!("accepting a pending invitation: {err}");
    }
    ok(
        repo.update_invitation(&accepted).await,
        "saving the acceptance",
    );
    let stored = ok(
        repo.find_invitation(&workspace.id, &invitation.id).await,
        "re-reading",
    );
    assert_eq!(stored, Some(accepted.clone()));
    assert_eq!(stored.map(|inv| inv.accepted_at), Some(Some(at(50))));
    assert_eq!(
        ok(
            repo.find_pending_invitation(&workspace.id, &email).await,
            "finding it as pending"
        ),
        None
    );

    let elsewhere = Invitation {
        workspace_id: other.id.clone(),
        status: InvitationStatus::Revoked,
        ..accepted.clone()
    };
    assert_eq!(
        failed(
            repo.update_invitation(&elsewhere).await,
            "updating from another workspace"
        ),
        RepoError::NotFound
    );
    let unknown = Invitation {
        id: new_id(IdPrefix::Invitation),
        ..accepted
    };
    assert_eq!(
        failed(
            repo.update_invitation(&unknown).await,
            "updating an unknown invitation"
        ),
        RepoError::NotFound
    );
    assert_eq!(
        ok(
            repo.find_invitation(&workspace.id, &invitation.id).await,
            "re-reading"
        )
        .map(|inv| inv.status),
        Some(InvitationStatus::Accepted)
    );
}

/// Only a pending invitation of the workspace for exactly that email is found.
pub async fn pending_invitations_are_found_by_workspace_and_exact_email(store: &dyn Store) {
    let repo = store.invitations();
    let workspace = new_workspace(store).await;
    let other = new_workspace(store).await;
    let inviter = new_user(store, &workspace).await;
    let pending_email = unique_email();
    let revoked_email = unique_email();
    new_invitation(
        store,
        &workspace,
        &inviter,
        &revoked_email,
        InvitationStatus::Revoked,
        at(0),
    )
    .await;
    let pending = new_invitation(
        store,
        &workspace,
        &inviter,
        &pending_email,
        InvitationStatus::Pending,
        at(1),
    )
    .await;

    assert_eq!(
        ok(
            repo.find_pending_invitation(&workspace.id, &pending_email)
                .await,
            "finding the pending one"
        ),
        Some(pending)
    );
    assert_eq!(
        ok(
            repo.find_pending_invitation(&workspace.id, &pending_email.to_uppercase())
                .await,
            "finding by upper-cased email"
        ),
        None
    );
    assert_eq!(
        ok(
            repo.find_pending_invitation(&workspace.id, &revoked_email)
                .await,
            "finding a revoked one"
        ),
        None
    );
    assert_eq!(
        ok(
            repo.find_pending_invitation(&other.id, &pending_email)
                .await,
            "finding from another workspace"
        ),
        None
    );
}

/// Invitations are listed oldest first (then by id), optionally of one exact stored status.
pub async fn invitations_are_listed_oldest_first_and_filtered_by_exact_status(store: &dyn Store) {
    let repo = store.invitations();
    let workspace = new_workspace(store).await;
    let other = new_workspace(store).await;
    let inviter = new_user(store, &workspace).await;
    let outsider = new_user(store, &other).await;
    let base = new_id(IdPrefix::Invitation);

    let newest = new_invitation(
        store,
        &workspace,
        &inviter,
        &unique_email(),
        InvitationStatus::Pending,
        at(30),
    )
    .await;
    let oldest = new_invitation(
        store,
        &workspace,
        &inviter,
        &unique_email(),
        InvitationStatus::Accepted,
        at(10),
    )
    .await;
    let mut tie_b = invitation_to(
        &workspace,
        &inviter,
        &unique_email(),
        InvitationStatus::Pending,
        at(20),
    );
    tie_b.id = format!("{base}b");
    let mut tie_a = invitation_to(
        &workspace,
        &inviter,
        &unique_email(),
        InvitationStatus::Revoked,
        at(20),
    );
    tie_a.id = format!("{base}a");
    for invitation in [&tie_b, &tie_a] {
        ok(
            repo.create_invitation(invitation).await,
            "creating an invitation",
        );
    }
    new_invitation(
        store,
        &other,
        &outsider,
        &unique_email(),
        InvitationStatus::Pending,
        at(0),
    )
    .await;

    let listed = |list: Vec<Invitation>| list.into_iter().map(|inv| inv.id).collect::<Vec<_>>();
    assert_eq!(
        listed(ok(
            repo.list_invitations(&workspace.id, None).await,
            "listing all"
        )),
        ids([
            oldest.id.as_str(),
            tie_a.id.as_str(),
            tie_b.id.as_str(),
            newest.id.as_str()
        ])
    );
    assert_eq!(
        listed(ok(
            repo.list_invitations(&workspace.id, Some("pending")).await,
            "listing pending"
        )),
        ids([tie_b.id.as_str(), newest.id.as_str()])
    );
    assert_eq!(
        listed(ok(
            repo.list_invitations(&workspace.id, Some("accepted")).await,
            "listing accepted"
        )),
        ids([oldest.id.as_str()])
    );
    assert!(
        ok(
            repo.list_invitations(&workspace.id, Some("Pending")).await,
            "listing by a differently cased status"
        )
        .is_empty(),
        "the status filter is exact"
    );
    assert!(
        ok(
            repo.list_invitations(&workspace.id, Some("bogus")).await,
            "listing by an unknown status"
        )
        .is_empty()
    );
    assert!(
        ok(
            repo.list_invitations(&new_id(IdPrefix::Workspace), None)
                .await,
            "listing an unknown workspace"
        )
        .is_empty()
    );
}

// ---- plans -----------------------------------------------------------------------------------

fn assert_plan_matches(plan: &Plan, spec: &PlanSpec) {
    assert_eq!(plan.descriptor, spec.descriptor);
    assert_eq!(plan.name, spec.name, "{}", spec.descriptor);
    assert_eq!(plan.description, spec.description, "{}", spec.descriptor);
    assert_eq!(plan.price, spec.price, "{}", spec.descriptor);
    assert_eq!(plan.currency, CATALOGUE_CURRENCY);
    assert_eq!(plan.billing_cycle, CATALOGUE_CYCLE);
    assert_eq!(plan.features, spec.features, "{}", spec.descriptor);
    assert_eq!(plan.limits, spec.limits, "{}", spec.descriptor);
    assert!(has_plan_shape(&plan.id), "plan id {}", plan.id);
}

fn has_plan_shape(id: &str) -> bool {
    crate::shared::id::has_shape(id, IdPrefix::Plan)
}

async fn plan_by_descriptor(store: &dyn Store, descriptor: &str) -> Plan {
    match ok(
        store.plans().find_plan_by_descriptor(descriptor).await,
        "finding a plan by descriptor",
    ) {
        Some(plan) => plan,
        None => panic!("plan {descriptor} is missing"),
    }
}

/// Upserting the catalogue inserts every plan once; upserting again, even with changed
/// contents, updates them in place and keeps their ids and creation times.
pub async fn the_catalogue_upsert_is_idempotent_and_keeps_ids(store: &dyn Store) {
    let repo = store.plans();
    let specs = catalogue();
    ok(
        repo.upsert_catalogue(&specs).await,
        "upserting the catalogue",
    );
    let mut first = Vec::new();
    for spec in &specs {
        let plan = plan_by_descriptor(store, spec.descriptor).await;
        assert_plan_matches(&plan, spec);
        assert_eq!(plan.stripe_plan_id, None);
        assert_eq!(
            ok(repo.find_plan(&plan.id).await, "finding the plan by id"),
            Some(plan.clone())
        );
        first.push(plan);
    }
    assert_eq!(
        first
            .iter()
            .map(|p| p.price.to_string())
            .collect::<Vec<_>>(),
        ["0", "54.99", "155.99"],
        "prices read back in major units"
    );

    ok(
        repo.upsert_catalogue(&specs).await,
        "upserting the catalogue again",
    );
    let mut second = Vec::new();
    for (spec, before) in specs.iter().zip(&first) {
        let again = plan_by_descriptor(store, spec.descriptor).await;
        assert_plan_matches(&again, spec);
        assert_eq!(again.id, before.id, "the id of {} is kept", spec.descriptor);
        assert_eq!(again.created_at, before.created_at);
        second.push(again);
    }

    let mut changed = specs.clone();
    changed[1].name = "Professional Plan 2";
    changed[1].price = rust_decimal::Decimal::new(6099, 2);
    changed[1].limits.max_team_members = 8;
    changed[1].features.ai_business_assistant = true;
    ok(
        repo.upsert_catalogue(&changed[1..2]).await,
        "upserting a changed plan",
    );
    let professional = plan_by_descriptor(store, "professional").await;
    assert_plan_matches(&professional, &changed[1]);
    assert_eq!(professional.id, first[1].id);
    assert_eq!(professional.created_at, first[1].created_at);
    assert_eq!(
        plan_by_descriptor(store, "starter").await,
        second[0],
        "other plans are untouched"
    );

    assert_eq!(
        ok(
            repo.find_plan_by_descriptor("platinum").await,
            "finding an unknown descriptor"
        ),
        None
    );
    assert_eq!(
        ok(
            repo.find_plan(&new_id(IdPrefix::Plan)).await,
            "finding an unknown plan"
        ),
        None
    );
}

// ---- subscriptions ---------------------------------------------------------------------------

fn subscription_of(workspace: &Workspace, plan: &Plan, id: String, status: &str) -> Subscription {
    Subscription {
        id,
        workspace_id: workspace.id.clone(),
        plan_id: plan.id.clone(),
        stripe_sub_id: format!("sub_{}", alphanumeric_token(14)),
        current_period_end: at(86_400 * 30),
        status: status.to_owned(),
        created_at: at(0),
        updated_at: at(0),
    }
}

/// A workspace's subscription reads back with its plan; with several, the first by id wins;
/// another workspace's subscription reads as none; a taken Stripe id conflicts.
pub async fn a_workspace_subscription_is_read_with_its_plan(store: &dyn Store) {
    let repo = store.subscriptions();
    ok(
        store.plans().upsert_catalogue(&catalogue()).await,
        "upserting the catalogue",
    );
    let starter = plan_by_descriptor(store, "starter").await;
    let enterprise = plan_by_descriptor(store, "enterprise").await;
    let workspace = new_workspace(store).await;
    let other = new_workspace(store).await;
    assert_eq!(
        ok(
            repo.find_for_workspace(&workspace.id).await,
            "finding before subscribing"
        ),
        None
    );

    let base = new_id(IdPrefix::Subscription);
    let second = subscription_of(&workspace, &enterprise, format!("{base}b"), "trialing");
    ok(repo.create_subscription(&second).await, "subscribing");
    assert_eq!(
        ok(
            repo.find_for_workspace(&workspace.id).await,
            "finding the subscription"
        ),
        Some((second.clone(), enterprise.clone()))
    );
    let first = subscription_of(&workspace, &starter, format!("{base}a"), "past_due");
    ok(repo.create_subscription(&first).await, "subscribing again");
    assert_eq!(
        ok(
            repo.find_for_workspace(&workspace.id).await,
            "finding with two subscriptions"
        ),
        Some((first.clone(), starter.clone())),
        "the first subscription by id wins"
    );
    assert_eq!(
        ok(
            repo.find_for_workspace(&other.id).await,
            "finding another workspace's"
        ),
        None
    );

    let unknown_status =
        subscription_of(&other, &starter, new_id(IdPrefix::Subscription), "paused");
    ok(
        repo.create_subscription(&unknown_status).await,
        "storing an unknown status",
    );
    assert_eq!(
        ok(
            repo.find_for_workspace(&other.id).await,
            "reading an unknown status"
        )
        .map(|(sub, _)| sub.status),
        Some("paused".to_owned()),
        "the stored status is kept as it is"
    );

    let duplicate = Subscription {
        id: new_id(IdPrefix::Subscription),
        workspace_id: other.id.clone(),
        ..first
    };
    assert!(matches!(
        failed(
            repo.create_subscription(&duplicate).await,
            "reusing a Stripe subscription id"
        ),
        RepoError::Conflict(_)
    ));
}

// ---- businesses, shipping zones, payment methods ------------------------------------------

fn business_in(workspace: &Workspace, descriptor: &str, created_at: DateTime<Utc>) -> Business {
    Business {
        id: new_id(IdPrefix::Business),
        workspace_id: workspace.id.clone(),
        descriptor: descriptor.to_owned(),
        name: "Contract Shop".to_owned(),
        brand: "Brand".to_owned(),
        logo: Some(AssetReference {
            url: "https://cdn.example.test/logo.png".to_owned(),
            asset_id: "ast1".to_owned(),
            metadata: Some(AssetMetadata {
                alt_text: "Logo".to_owned(),
                width: 64,
                ..AssetMetadata::default()
            }),
            ..AssetReference::default()
        }),
        country_code: "EG".to_owned(),
        currency: "USD".to_owned(),
        storefront_public_id: new_id(IdPrefix::Storefront),
        storefront_enabled: true,
        storefront_theme: StorefrontTheme {
            primary_color: "#112233".to_owned(),
            heading_font_family: "Inter".to_owned(),
            ..StorefrontTheme::default()
        },
        support_email: "help@example.test".to_owned(),
        phone_number: "+20 100".to_owned(),
        whatsapp_number: "+20 101".to_owned(),
        address: "1 Nile St".to_owned(),
        website_url: "https://shop.example.test".to_owned(),
        instagram_url: "https://instagram.com/shop".to_owned(),
        facebook_url: String::new(),
        tiktok_url: String::new(),
        x_url: "https://x.com/shop".to_owned(),
        snapchat_url: String::new(),
        vat_rate: Decimal::new(14, 2),
        safety_buffer: Decimal::new(10_050, 2),
        established_at: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default(),
        archived_at: None,
        created_at,
        updated_at: created_at,
    }
}

async fn new_business(store: &dyn Store, workspace: &Workspace, descriptor: &str) -> Business {
    let business = business_in(workspace, descriptor, at(0));
    ok(
        store.businesses().create_business(&business).await,
        "creating a business",
    );
    business
}

fn unique_descriptor() -> String {
    format!("shop-{}", alphanumeric_token(10).to_ascii_lowercase())
}

fn zone_of(business: &Business, name: &str, created_at: DateTime<Utc>) -> ShippingZone {
    ShippingZone {
        id: new_id(IdPrefix::ShippingZone),
        business_id: business.id.clone(),
        name: name.to_owned(),
        countries: vec!["SA".to_owned(), "AE".to_owned()],
        currency: business.currency.clone(),
        shipping_cost: Decimal::new(125, 1),
        free_shipping_threshold: Decimal::new(100, 0),
        created_at,
        updated_at: created_at,
    }
}

/// A business reads back with every field, by descriptor or id, only in its own workspace.
pub async fn businesses_are_found_by_descriptor_and_id_within_their_workspace(store: &dyn Store) {
    let repo = store.businesses();
    let workspace = new_workspace(store).await;
    let other = new_workspace(store).await;
    let business = new_business(store, &workspace, &unique_descriptor()).await;
    assert_eq!(
        ok(
            repo.find_business_by_descriptor(&workspace.id, &business.descriptor)
                .await,
            "finding by descriptor"
        ),
        Some(business.clone()),
        "every field round-trips"
    );
    assert_eq!(
        ok(
            repo.find_business(&workspace.id, &business.id).await,
            "finding by id"
        ),
        Some(business.clone())
    );
    assert_eq!(
        ok(
            repo.find_business_by_descriptor(&other.id, &business.descriptor)
                .await,
            "finding in another workspace"
        ),
        None
    );
    assert_eq!(
        ok(
            repo.find_business(&other.id, &business.id).await,
            "finding by id in another workspace"
        ),
        None
    );
    let plain = Business {
        logo: None,
        storefront_theme: StorefrontTheme::default(),
        vat_rate: Decimal::ZERO,
        safety_buffer: Decimal::ZERO,
        ..business_in(&workspace, &unique_descriptor(), at(5))
    };
    ok(
        repo.create_business(&plain).await,
        "creating a plain business",
    );
    assert_eq!(
        ok(
            repo.find_business(&workspace.id, &plain.id).await,
            "finding the plain business"
        ),
        Some(plain),
        "no logo, an empty theme and zero amounts round-trip"
    );
}

/// A descriptor is unique among a workspace's live businesses only: another workspace may use
/// it, and deleting the business frees it.
pub async fn a_live_descriptor_conflicts_within_its_workspace_only(store: &dyn Store) {
    let repo = store.businesses();
    let workspace = new_workspace(store).await;
    let other = new_workspace(store).await;
    let descriptor = unique_descriptor();
    let first = new_business(store, &workspace, &descriptor).await;
    let duplicate = business_in(&workspace, &descriptor, at(1));
    assert!(matches!(
        failed(
            repo.create_business(&duplicate).await,
            "reusing a live descriptor"
        ),
        RepoError::Conflict(_)
    ));
    new_business(store, &other, &descriptor).await;
    ok(
        repo.delete_business(&workspace.id, &first.id, at(2)).await,
        "deleting the first business",
    );
    ok(
        repo.create_business(&duplicate).await,
        "reusing a deleted business's descriptor",
    );
    assert_eq!(
        ok(
            repo.find_business_by_descriptor(&workspace.id, &descriptor)
                .await,
            "finding the reused descriptor"
        )
        .map(|b| b.id),
        Some(duplicate.id)
    );
}

/// Businesses are listed oldest first then by id, archived ones included; only live,
/// unarchived ones count towards the limit; another workspace's never appear.
pub async fn businesses_are_listed_oldest_first_and_archived_ones_do_not_count(store: &dyn Store) {
    let repo = store.businesses();
    let workspace = new_workspace(store).await;
    let other = new_workspace(store).await;
    let base = new_id(IdPrefix::Business);
    let mut late = business_in(&workspace, &unique_descriptor(), at(20));
    late.id = format!("{base}a");
    let mut tie_b = business_in(&workspace, &unique_descriptor(), at(10));
    tie_b.id = format!("{base}c");
    let mut tie_a = business_in(&workspace, &unique_descriptor(), at(10));
    tie_a.id = format!("{base}b");
    tie_a.archived_at = Some(at(15));
    for business in [&late, &tie_b, &tie_a] {
        ok(repo.create_business(business).await, "creating a business");
    }
    new_business(store, &other, &unique_descriptor()).await;
    let gone = new_business(store, &workspace, &unique_descriptor()).await;
    ok(
        repo.delete_business(&workspace.id, &gone.id, at(30)).await,
        "deleting a business",
    );
    let ids: Vec<String> = ok(repo.list_businesses(&workspace.id).await, "listing")
        .into_iter()
        .map(|b| b.id)
        .collect();
    assert_eq!(ids, [tie_a.id.clone(), tie_b.id.clone(), late.id.clone()]);
    assert_eq!(
        ok(
            repo.count_active_businesses(&workspace.id).await,
            "counting active businesses"
        ),
        2,
        "the archived and the deleted business do not count"
    );
    assert_eq!(
        ok(
            repo.count_active_businesses(&new_workspace(store).await.id)
                .await,
            "counting in an empty workspace"
        ),
        0
    );
}

/// An update saves every mutable column within the business's workspace, keeps the id,
/// storefront id and creation time, and refuses a descriptor taken by a live business.
pub async fn updating_a_business_saves_its_columns_within_its_workspace(store: &dyn Store) {
    let repo = store.businesses();
    let workspace = new_workspace(store).await;
    let business = new_business(store, &workspace, &unique_descriptor()).await;
    let neighbour = new_business(store, &workspace, &unique_descriptor()).await;
    let changed = Business {
        descriptor: unique_descriptor(),
        name: "Renamed".to_owned(),
        logo: None,
        currency: "EUR".to_owned(),
        storefront_enabled: false,
        storefront_public_id: new_id(IdPrefix::Storefront),
        vat_rate: Decimal::new(5, 2),
        safety_buffer: Decimal::new(7, 0),
        established_at: NaiveDate::from_ymd_opt(2021, 6, 30).unwrap_or_default(),
        archived_at: Some(at(40)),
        created_at: at(99),
        updated_at: at(41),
        ..business.clone()
    };
    ok(repo.update_business(&changed).await, "updating a business");
    let read = ok(
        repo.find_business(&workspace.id, &business.id).await,
        "reading the update",
    );
    let expected = Business {
        storefront_public_id: business.storefront_public_id.clone(),
        created_at: business.created_at,
        ..changed.clone()
    };
    assert_eq!(
        read,
        Some(expected),
        "storefront id and creation time are kept"
    );

    let taken = Business {
        descriptor: neighbour.descriptor.clone(),
        ..changed.clone()
    };
    assert!(matches!(
        failed(
            repo.update_business(&taken).await,
            "taking a live descriptor"
        ),
        RepoError::Conflict(_)
    ));
    let foreign = Business {
        workspace_id: new_workspace(store).await.id,
        ..changed.clone()
    };
    assert_eq!(
        failed(
            repo.update_business(&foreign).await,
            "updating through another workspace"
        ),
        RepoError::NotFound
    );
    ok(
        repo.delete_business(&workspace.id, &business.id, at(50))
            .await,
        "deleting",
    );
    assert_eq!(
        failed(
            repo.update_business(&changed).await,
            "updating a deleted business"
        ),
        RepoError::NotFound
    );
}

/// A deleted business is invisible to every read and cannot be deleted again; deleting
/// through another workspace finds nothing.
pub async fn deleted_businesses_are_invisible(store: &dyn Store) {
    let repo = store.businesses();
    let workspace = new_workspace(store).await;
    let other = new_workspace(store).await;
    let business = new_business(store, &workspace, &unique_descriptor()).await;
    assert_eq!(
        failed(
            repo.delete_business(&other.id, &business.id, at(1)).await,
            "deleting through another workspace"
        ),
        RepoError::NotFound
    );
    ok(
        repo.delete_business(&workspace.id, &business.id, at(2))
            .await,
        "deleting",
    );
    assert_eq!(
        failed(
            repo.delete_business(&workspace.id, &business.id, at(3))
                .await,
            "deleting again"
        ),
        RepoError::NotFound
    );
    assert_eq!(
        ok(
            repo.find_business(&workspace.id, &business.id).await,
            "finding by id"
        ),
        None
    );
    assert_eq!(
        ok(
            repo.find_business_by_descriptor(&workspace.id, &business.descriptor)
                .await,
            "finding by descriptor"
        ),
        None
    );
    assert!(ok(repo.list_businesses(&workspace.id).await, "listing").is_empty());
}

/// Zones read back with every field, only through their business, listed by name then id.
pub async fn zones_are_scoped_by_business_and_listed_by_name(store: &dyn Store) {
    let repo = store.shipping_zones();
    let workspace = new_workspace(store).await;
    let business = new_business(store, &workspace, &unique_descriptor()).await;
    let other = new_business(store, &workspace, &unique_descriptor()).await;
    let gcc = zone_of(&business, "GCC", at(0));
    let africa = zone_of(&business, "Africa", at(1));
    let lower = zone_of(&business, "africa", at(2));
    for zone in [&gcc, &africa, &lower] {
        ok(repo.create_zone(zone).await, "creating a zone");
    }
    ok(
        repo.create_zone(&zone_of(&other, "Elsewhere", at(0))).await,
        "creating another business's zone",
    );
    assert_eq!(
        ok(
            repo.find_zone(&business.id, &gcc.id).await,
            "finding a zone"
        ),
        Some(gcc.clone()),
        "every field round-trips"
    );
    assert_eq!(
        ok(
            repo.find_zone(&other.id, &gcc.id).await,
            "finding through another business"
        ),
        None
    );
    let names: Vec<String> = ok(repo.list_zones(&business.id).await, "listing zones")
        .into_iter()
        .map(|z| z.name)
        .collect();
    assert_eq!(names, ["Africa", "GCC", "africa"], "byte order");
}

/// A zone name is unique among a business's live zones: another business may use it and a
/// deleted zone frees it; deleting through another business finds nothing.
pub async fn a_live_zone_name_conflicts_within_its_business_only(store: &dyn Store) {
    let repo = store.shipping_zones();
    let workspace = new_workspace(store).await;
    let business = new_business(store, &workspace, &unique_descriptor()).await;
    let other = new_business(store, &workspace, &unique_descriptor()).await;
    let zone = zone_of(&business, "GCC", at(0));
    ok(repo.create_zone(&zone).await, "creating a zone");
    assert!(matches!(
        failed(
            repo.create_zone(&zone_of(&business, "GCC", at(1))).await,
            "reusing a live zone name"
        ),
        RepoError::Conflict(_)
    ));
    ok(
        repo.create_zone(&zone_of(&other, "GCC", at(1))).await,
        "the same name in another business",
    );
    assert_eq!(
        failed(
            repo.delete_zone(&other.id, &zone.id, at(2)).await,
            "deleting through another business"
        ),
        RepoError::NotFound
    );
    ok(
        repo.delete_zone(&business.id, &zone.id, at(2)).await,
        "deleting a zone",
    );
    assert_eq!(
        failed(
            repo.delete_zone(&business.id, &zone.id, at(3)).await,
            "deleting it again"
        ),
        RepoError::NotFound
    );
    assert_eq!(
        ok(repo.find_zone(&business.id, &zone.id).await, "finding it"),
        None
    );
    ok(
        repo.create_zone(&zone_of(&business, "GCC", at(4))).await,
        "reusing a deleted zone's name",
    );
}

/// An update saves the zone's mutable columns within its business and refuses a live name.
pub async fn updating_a_zone_saves_its_columns_within_its_business(store: &dyn Store) {
    let repo = store.shipping_zones();
    let workspace = new_workspace(store).await;
    let business = new_business(store, &workspace, &unique_descriptor()).await;
    let zone = zone_of(&business, "GCC", at(0));
    let neighbour = zone_of(&business, "Levant", at(0));
    ok(repo.create_zone(&zone).await, "creating a zone");
    ok(repo.create_zone(&neighbour).await, "creating a neighbour");
    let changed = ShippingZone {
        name: "Gulf".to_owned(),
        countries: vec!["KW".to_owned()],
        currency: "EUR".to_owned(),
        shipping_cost: Decimal::ZERO,
        free_shipping_threshold: Decimal::new(995, 1),
        updated_at: at(9),
        ..zone.clone()
    };
    ok(repo.update_zone(&changed).await, "updating a zone");
    assert_eq!(
        ok(repo.find_zone(&business.id, &zone.id).await, "reading it"),
        Some(changed.clone())
    );
    let clash = ShippingZone {
        name: "Levant".to_owned(),
        ..changed.clone()
    };
    assert!(matches!(
        failed(repo.update_zone(&clash).await, "taking a live name"),
        RepoError::Conflict(_)
    ));
    let foreign = ShippingZone {
        business_id: new_business(store, &workspace, &unique_descriptor())
            .await
            .id,
        ..changed
    };
    assert_eq!(
        failed(
            repo.update_zone(&foreign).await,
            "updating through another business"
        ),
        RepoError::NotFound
    );
}

/// Settings are inserted once per business and descriptor; a second upsert updates that row
/// (keeping its id and creation time); another business's rows never show.
pub async fn payment_settings_are_upserted_per_business_and_descriptor(store: &dyn Store) {
    let repo = store.payment_methods();
    let workspace = new_workspace(store).await;
    let business = new_business(store, &workspace, &unique_descriptor()).await;
    let other = new_business(store, &workspace, &unique_descriptor()).await;
    let settings = PaymentMethodSettings {
        id: new_id(IdPrefix::BusinessPaymentMethod),
        business_id: business.id.clone(),
        descriptor: "credit_card".to_owned(),
        enabled: true,
        fee_percent: Decimal::new(5, 2),
        fee_fixed: Decimal::ZERO,
        created_at: at(0),
        updated_at: at(0),
    };
    assert_eq!(
        ok(repo.upsert_payment_settings(&settings).await, "inserting"),
        settings
    );
    let second = PaymentMethodSettings {
        id: new_id(IdPrefix::BusinessPaymentMethod),
        enabled: false,
        fee_percent: Decimal::new(25, 3),
        fee_fixed: Decimal::new(150, 2),
        created_at: at(5),
        updated_at: at(5),
        ..settings.clone()
    };
    let stored = ok(repo.upsert_payment_settings(&second).await, "updating");
    let expected = PaymentMethodSettings {
        id: settings.id.clone(),
        created_at: settings.created_at,
        ..second.clone()
    };
    assert_eq!(stored, expected, "the existing row is updated in place");
    assert_eq!(
        ok(
            repo.find_payment_settings(&business.id, "credit_card")
                .await,
            "finding"
        ),
        Some(expected.clone())
    );
    let paypal = PaymentMethodSettings {
        id: new_id(IdPrefix::BusinessPaymentMethod),
        descriptor: "paypal".to_owned(),
        ..settings.clone()
    };
    ok(
        repo.upsert_payment_settings(&paypal).await,
        "another method",
    );
    ok(
        repo.upsert_payment_settings(&PaymentMethodSettings {
            id: new_id(IdPrefix::BusinessPaymentMethod),
            business_id: other.id.clone(),
            ..settings.clone()
        })
        .await,
        "another business",
    );
    let mut listed = ok(repo.list_payment_settings(&business.id).await, "listing");
    listed.sort_by(|a, b| a.descriptor.cmp(&b.descriptor));
    assert_eq!(listed, [expected, paypal]);
    assert_eq!(
        ok(
            repo.find_payment_settings(
                &new_business(store, &workspace, &unique_descriptor())
                    .await
                    .id,
                "credit_card"
            )
            .await,
            "finding for a business without settings"
        ),
        None
    );
}

#[cfg(test)]
mod tests {
    //! Every contract against the in-memory store.

    use crate::testing::MemoryStore;
    use futures::FutureExt;

    macro_rules! on_memory {
        ($($contract:ident),* $(,)?) => {
            $(
                #[tokio::test]
                async fn $contract() {
                    super::$contract(&MemoryStore::default()).await;
                }
            )*
        };
    }

    on_memory!(
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
        businesses_are_found_by_descriptor_and_id_within_their_workspace,
        a_live_descriptor_conflicts_within_its_workspace_only,
        businesses_are_listed_oldest_first_and_archived_ones_do_not_count,
        updating_a_business_saves_its_columns_within_its_workspace,
        deleted_businesses_are_invisible,
        zones_are_scoped_by_business_and_listed_by_name,
        a_live_zone_name_conflicts_within_its_business_only,
        updating_a_zone_saves_its_columns_within_its_business,
        payment_settings_are_upserted_per_business_and_descriptor,
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
    );

    #[tokio::test]
    async fn the_contracts_hold_inside_a_transaction() {
        let store = MemoryStore::default();
        crate::ports::store::atomic(&store, crate::ports::store::TxOptions::default(), |tx| {
            async move {
                super::members_are_scoped_by_workspace(tx).await;
                super::sessions_are_valid_until_they_expire_or_are_revoked(tx).await;
                Ok(())
            }
            .boxed()
        })
        .await
        .unwrap_or_else(|err| panic!("the unit of work failed: {err}"));
    }
}
