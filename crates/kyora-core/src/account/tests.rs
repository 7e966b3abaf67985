//! The account rules on the in-memory adapters.

use std::sync::Arc;

use chrono::{Duration, Utc};

use super::error;
use super::service::{ClientInfo, NewOwner};
use super::{AccountService, User};
use crate::ports::{Cache, EmailTemplate, Store};
use crate::shared::actor::Role;
use crate::testing::{AccountFixture, ManualClock, MemoryCache, MemoryStore, RecordingEmailSender};

struct World {
    accounts: AccountService,
    fixture: AccountFixture,
    store: Arc<MemoryStore>,
    cache: Arc<MemoryCache>,
    email: Arc<RecordingEmailSender>,
    clock: Arc<ManualClock>,
}

fn world() -> World {
    let store = Arc::new(MemoryStore::default());
    let cache = Arc::new(MemoryCache::default());
    let email = Arc::new(RecordingEmailSender::default());
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let fixture = AccountFixture::new(
        Arc::clone(&store) as Arc<dyn Store>,
        Arc::clone(&cache) as Arc<dyn Cache>,
        Arc::clone(&email) as _,
        Arc::clone(&clock) as _,
    );
    World {
        accounts: fixture.service.clone(),
        fixture,
        store,
        cache,
        email,
        clock,
    }
}

fn client() -> ClientInfo {
    ClientInfo {
        ip: "203.0.113.5".into(),
        user_agent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/120".into(),
    }
}

async fn owner(w: &World, email: &str) -> User {
    let (_, user) = w
        .accounts
        .bootstrap_workspace(
            &*w.store,
            NewOwner {
                first_name: "Olive".into(),
                last_name: "Owner".into(),
                email: email.into(),
                password_hash: "plain$secret-pass".into(),
                email_verified: true,
                stripe_customer_id: None,
            },
        )
        .await
        .unwrap();
    user
}

fn token_in(url_var: &str) -> String {
    url_var.split("token=").nth(1).unwrap().to_owned()
}

#[tokio::test]
async fn login_succeeds_and_bad_credentials_look_the_same_for_unknown_and_wrong() {
    let w = world();
    owner(&w, "o@x.io").await;
    let ok = w
        .accounts
        .login("o@x.io", "secret-pass", &client())
        .await
        .unwrap();
    assert_eq!(ok.user.email, "o@x.io");
    assert_eq!(ok.tokens.refresh_token.len(), 43);
    let wrong = w
        .accounts
        .login("o@x.io", "nope-nope", &client())
        .await
        .unwrap_err();
    let unknown = w
        .accounts
        .login("who@x.io", "secret-pass", &client())
        .await
        .unwrap_err();
    assert_eq!(wrong, unknown);
    assert_eq!(wrong.code, "account.invalid_credentials");
    // Email matching is exact.
    assert!(
        w.accounts
            .login("O@x.io", "secret-pass", &client())
            .await
            .is_err()
    );
}

#[tokio::test]
async fn the_twenty_first_login_attempt_in_the_window_is_throttled() {
    let w = world();
    owner(&w, "o@x.io").await;
    for _ in 0..20 {
        let _ = w.accounts.login(" O@X.io ", "wrong-pass", &client()).await;
    }
    let err = w
        .accounts
        .login("o@x.io", "secret-pass", &client())
        .await
        .unwrap_err();
    assert_eq!(err.code, "account.rate_limited");
    let other_ip = ClientInfo {
        ip: "198.51.100.1".into(),
        ..client()
    };
    assert!(
        w.accounts
            .login("o@x.io", "secret-pass", &other_ip)
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn a_legacy_hash_is_upgraded_on_the_next_successful_login() {
    let w = world();
    let mut user = owner(&w, "o@x.io").await;
    user.password_hash = "legacy$secret-pass".into();
    w.store
        .with_state(|s| s.users.get_mut(&user.id).unwrap().0 = user.clone());
    w.accounts
        .login("o@x.io", "secret-pass", &client())
        .await
        .unwrap();
    let stored = w.store.snapshot().users[&user.id].0.clone();
    assert_eq!(stored.password_hash, "plain$secret-pass");
}

#[tokio::test]
async fn a_user_without_a_password_cannot_log_in() {
    let w = world();
    let mut user = owner(&w, "o@x.io").await;
    user.password_hash = String::new();
    w.store
        .with_state(|s| s.users.get_mut(&user.id).unwrap().0 = user.clone());
    let err = w.accounts.login("o@x.io", "", &client()).await.unwrap_err();
    assert_eq!(err.code, "account.invalid_credentials");
}

#[tokio::test]
async fn refresh_rotates_and_a_rotated_token_never_works_again() {
    let w = world();
    owner(&w, "o@x.io").await;
    let first = w
        .accounts
        .login("o@x.io", "secret-pass", &client())
        .await
        .unwrap()
        .tokens;
    let second = w
        .accounts
        .refresh(&first.refresh_token, &client())
        .await
        .unwrap();
    assert_ne!(first.refresh_token, second.refresh_token);
    let err = w
        .accounts
        .refresh(&first.refresh_token, &client())
        .await
        .unwrap_err();
    assert_eq!(err.code, "account.invalid_token");
    assert!(
        w.accounts
            .refresh(&second.refresh_token, &client())
            .await
            .is_ok()
    );
    assert_eq!(
        w.accounts.refresh("  ", &client()).await.unwrap_err().code,
        "account.invalid_token"
    );
}

#[tokio::test]
async fn an_expired_session_cannot_refresh() {
    let w = world();
    owner(&w, "o@x.io").await;
    let pair = w
        .accounts
        .login("o@x.io", "secret-pass", &client())
        .await
        .unwrap()
        .tokens;
    w.clock.advance(Duration::days(31));
    assert_eq!(
        w.accounts
            .refresh(&pair.refresh_token, &client())
            .await
            .unwrap_err()
            .code,
        "account.invalid_token"
    );
}

#[tokio::test]
async fn logout_all_invalidates_access_tokens_and_every_session() {
    let w = world();
    owner(&w, "o@x.io").await;
    let a = w
        .accounts
        .login("o@x.io", "secret-pass", &client())
        .await
        .unwrap()
        .tokens;
    let b = w
        .accounts
        .login("o@x.io", "secret-pass", &client())
        .await
        .unwrap()
        .tokens;
    assert!(w.accounts.authenticate(&a.token).await.is_ok());
    w.accounts.logout_all(&a.refresh_token).await.unwrap();
    let err = w.accounts.authenticate(&b.token).await.unwrap_err();
    assert_eq!(err.code, "account.invalid_token");
    for pair in [&a, &b] {
        assert!(
            w.accounts
                .refresh(&pair.refresh_token, &client())
                .await
                .is_err()
        );
    }
    let fresh = w
        .accounts
        .login("o@x.io", "secret-pass", &client())
        .await
        .unwrap()
        .tokens;
    assert!(w.accounts.authenticate(&fresh.token).await.is_ok());
}

#[tokio::test]
async fn logout_others_keeps_only_the_presented_session() {
    let w = world();
    owner(&w, "o@x.io").await;
    let a = w
        .accounts
        .login("o@x.io", "secret-pass", &client())
        .await
        .unwrap()
        .tokens;
    let b = w
        .accounts
        .login("o@x.io", "secret-pass", &client())
        .await
        .unwrap()
        .tokens;
    w.accounts.logout_others(&a.refresh_token).await.unwrap();
    assert!(
        w.accounts
            .refresh(&b.refresh_token, &client())
            .await
            .is_err()
    );
    assert!(
        w.accounts
            .refresh(&a.refresh_token, &client())
            .await
            .is_ok()
    );
    // Access tokens stay valid until they expire.
    assert!(w.accounts.authenticate(&b.token).await.is_ok());
}

#[tokio::test]
async fn logout_ignores_unknown_tokens_but_not_empty_ones() {
    let w = world();
    assert!(w.accounts.logout("not-a-session").await.is_ok());
    assert_eq!(
        w.accounts.logout(" ").await.unwrap_err().code,
        "account.invalid_token"
    );
}

#[tokio::test]
async fn a_password_reset_works_once_and_ends_every_session() {
    let w = world();
    owner(&w, "o@x.io").await;
    let before = w
        .accounts
        .login("o@x.io", "secret-pass", &client())
        .await
        .unwrap()
        .tokens;
    w.accounts.forgot_password("o@x.io").await.unwrap();
    let sent = w.email.templates();
    let reset = sent
        .iter()
        .find(|t| t.template == EmailTemplate::ForgotPassword)
        .unwrap();
    assert_eq!(reset.variables["expiryTime"], "1 hours");
    let token = token_in(&reset.variables["resetURL"]);
    // Only the hash of the token is in the cache.
    assert!(
        w.cache
            .get(&format!("pwreset:{token}"))
            .await
            .unwrap()
            .is_none()
    );
    w.accounts
        .reset_password(&token, "brand-new-pass")
        .await
        .unwrap();
    assert_eq!(
        w.accounts
            .authenticate(&before.token)
            .await
            .unwrap_err()
            .code,
        "account.invalid_token"
    );
    assert!(
        w.accounts
            .refresh(&before.refresh_token, &client())
            .await
            .is_err()
    );
    assert!(
        w.accounts
            .login("o@x.io", "brand-new-pass", &client())
            .await
            .is_ok()
    );
    assert!(
        w.accounts
            .login("o@x.io", "secret-pass", &client())
            .await
            .is_err()
    );
    let again = w
        .accounts
        .reset_password(&token, "third-pass-1")
        .await
        .unwrap_err();
    assert_eq!(again.code, "account.invalid_token");
    assert!(
        w.email
            .templates()
            .iter()
            .any(|t| t.template == EmailTemplate::PasswordResetConfirmation)
    );
}

#[tokio::test]
async fn forgot_password_is_silent_for_unknown_emails_and_throttled_within_thirty_seconds() {
    let w = world();
    w.accounts.forgot_password("nobody@x.io").await.unwrap();
    assert!(w.email.templates().is_empty());
    let err = w.accounts.forgot_password("nobody@x.io").await.unwrap_err();
    assert_eq!(err.code, "account.rate_limited");
    w.clock.advance(Duration::seconds(31));
    assert!(w.accounts.forgot_password("nobody@x.io").await.is_ok());
}

#[tokio::test]
async fn email_verification_marks_the_user_verified_once() {
    let w = world();
    let user = owner(&w, "o@x.io").await;
    w.store
        .with_state(|s| s.users.get_mut(&user.id).unwrap().0.is_email_verified = false);
    w.accounts
        .request_email_verification("o@x.io")
        .await
        .unwrap();
    let sent = w.email.templates();
    let token = token_in(&sent[0].variables["verifyURL"]);
    w.accounts.verify_email(&token).await.unwrap();
    assert!(w.store.snapshot().users[&user.id].0.is_email_verified);
    assert_eq!(
        w.accounts.verify_email(&token).await.unwrap_err().code,
        "account.invalid_token"
    );
}

#[tokio::test]
async fn role_rules_protect_oneself_and_the_owner() {
    let w = world();
    let owner_user = owner(&w, "o@x.io").await;
    let actor = owner_user.actor();
    let invitation = w
        .accounts
        .invite(&actor, "m@x.io", Role::Admin)
        .await
        .unwrap();
    let token = token_in(&w.email.templates()[0].variables["acceptURL"]);
    let joined = w
        .accounts
        .accept_invitation(
            &token,
            "Mia".into(),
            "Member".into(),
            "member-pass",
            &client(),
        )
        .await
        .unwrap();
    assert_eq!(joined.user.role, "admin");
    assert!(joined.user.is_email_verified);
    assert_eq!(
        w.store.snapshot().invitations[&invitation.id]
            .status
            .as_str(),
        "accepted"
    );
    let member_actor = joined.user.actor();
    assert_eq!(
        w.accounts
            .change_role(&actor, &owner_user.id, Role::User)
            .await
            .unwrap_err()
            .code,
        "account.cannot_update_own_role"
    );
    assert_eq!(
        w.accounts
            .change_role(&member_actor, &owner_user.id, Role::User)
            .await
            .unwrap_err()
            .code,
        "account.cannot_update_owner_role"
    );
    assert_eq!(
        w.accounts
            .remove_member(&member_actor, &owner_user.id)
            .await
            .unwrap_err()
            .code,
        "account.cannot_remove_owner"
    );
    assert_eq!(
        w.accounts
            .remove_member(&actor, &owner_user.id)
            .await
            .unwrap_err()
            .code,
        "account.cannot_remove_self"
    );
    let demoted = w
        .accounts
        .change_role(&actor, &joined.user.id, Role::User)
        .await
        .unwrap();
    assert_eq!(demoted.role, "user");
}

#[tokio::test]
async fn a_removed_member_loses_sessions_and_reads_as_missing() {
    let w = world();
    let owner_user = owner(&w, "o@x.io").await;
    w.accounts
        .invite(&owner_user.actor(), "m@x.io", Role::User)
        .await
        .unwrap();
    let token = token_in(&w.email.templates()[0].variables["acceptURL"]);
    let joined = w
        .accounts
        .accept_invitation(&token, "M".into(), "M".into(), "member-pass", &client())
        .await
        .unwrap();
    w.accounts
        .remove_member(&owner_user.actor(), &joined.user.id)
        .await
        .unwrap();
    assert_eq!(
        w.accounts
            .authenticate(&joined.tokens.token)
            .await
            .unwrap_err()
            .code,
        "resource.not_found"
    );
    assert!(
        w.accounts
            .refresh(&joined.tokens.refresh_token, &client())
            .await
            .is_err()
    );
    assert_eq!(
        w.accounts
            .member(&owner_user.actor(), &joined.user.id)
            .await
            .unwrap_err()
            .code,
        "account.user_not_member"
    );
}

#[tokio::test]
async fn another_workspaces_members_and_invitations_read_as_missing() {
    let w = world();
    let a = owner(&w, "a@x.io").await;
    let b = owner(&w, "b@x.io").await;
    let invitation = w
        .accounts
        .invite(&b.actor(), "z@x.io", Role::User)
        .await
        .unwrap();
    assert_eq!(
        w.accounts.member(&a.actor(), &b.id).await.unwrap_err(),
        error::user_not_member()
    );
    assert_eq!(
        w.accounts
            .revoke_invitation(&a.actor(), &invitation.id)
            .await
            .unwrap_err(),
        error::invitation_not_found()
    );
    assert_eq!(
        w.accounts
            .change_role(&a.actor(), &b.id, Role::User)
            .await
            .unwrap_err(),
        error::user_not_member()
    );
}

#[tokio::test]
async fn invitation_duplicates_and_revocation_follow_the_state_machine() {
    let w = world();
    let o = owner(&w, "o@x.io").await;
    let first = w
        .accounts
        .invite(&o.actor(), "m@x.io", Role::User)
        .await
        .unwrap();
    assert_eq!(
        w.accounts
            .invite(&o.actor(), "m@x.io", Role::Admin)
            .await
            .unwrap_err()
            .code,
        "account.invitation_already_exists"
    );
    assert_eq!(
        w.accounts
            .invite(&o.actor(), "o@x.io", Role::User)
            .await
            .unwrap_err()
            .code,
        "account.user_already_exists"
    );
    w.accounts
        .revoke_invitation(&o.actor(), &first.id)
        .await
        .unwrap();
    assert_eq!(
        w.accounts
            .revoke_invitation(&o.actor(), &first.id)
            .await
            .unwrap_err()
            .code,
        "account.invitation_cannot_be_revoked"
    );
    let token = token_in(&w.email.templates()[0].variables["acceptURL"]);
    let err = w
        .accounts
        .accept_invitation(&token, "M".into(), "M".into(), "member-pass", &client())
        .await
        .unwrap_err();
    assert_eq!(err.code, "account.invitation_expired");
    // A revoked invitation no longer blocks a new one.
    assert!(
        w.accounts
            .invite(&o.actor(), "m@x.io", Role::User)
            .await
            .is_ok()
    );
    let pending = w
        .accounts
        .invitations(&o.actor(), Some("pending"))
        .await
        .unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(
        w.accounts
            .invitations(&o.actor(), None)
            .await
            .unwrap()
            .len(),
        2
    );
    assert!(
        w.accounts
            .invitations(&o.actor(), Some("bogus"))
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_failed_token_write_leaves_no_pending_invitation_behind() {
    let w = world();
    let o = owner(&w, "o@x.io").await;
    w.cache.set_available(false);
    let err = w
        .accounts
        .invite(&o.actor(), "m@x.io", Role::User)
        .await
        .unwrap_err();
    assert_eq!(err.code, "account.operation_failed");
    assert!(w.store.snapshot().invitations.is_empty());
}

#[tokio::test]
async fn google_acceptance_requires_the_invited_email() {
    let w = world();
    let o = owner(&w, "o@x.io").await;
    let invitation = w
        .accounts
        .invite(&o.actor(), "m@x.io", Role::User)
        .await
        .unwrap();
    let token = token_in(&w.email.templates()[0].variables["acceptURL"]);
    w.fixture.google.allow(
        "other",
        super::ports::GoogleProfile {
            email: "x@x.io".into(),
            ..Default::default()
        },
    );
    w.fixture.google.allow(
        "right",
        super::ports::GoogleProfile {
            email: "m@x.io".into(),
            given_name: "Mia".into(),
            family_name: "G".into(),
            verified_email: true,
            ..Default::default()
        },
    );
    assert_eq!(
        w.accounts
            .accept_invitation_with_google(&token, "bogus", &client())
            .await
            .unwrap_err()
            .code,
        "account.operation_failed"
    );
    assert_eq!(
        w.accounts
            .accept_invitation_with_google(&token, "other", &client())
            .await
            .unwrap_err()
            .code,
        "account.email_mismatch"
    );
    assert_eq!(
        w.store.snapshot().invitations[&invitation.id]
            .status
            .as_str(),
        "pending"
    );
    let joined = w
        .accounts
        .accept_invitation_with_google(&token, "right", &client())
        .await
        .unwrap();
    assert_eq!(
        (
            joined.user.first_name.as_str(),
            joined.user.password_hash.as_str()
        ),
        ("Mia", "")
    );
}

#[tokio::test]
async fn google_login_needs_an_existing_account_with_that_email() {
    let w = world();
    owner(&w, "o@x.io").await;
    w.fixture.google.allow(
        "c1",
        super::ports::GoogleProfile {
            email: "o@x.io".into(),
            ..Default::default()
        },
    );
    w.fixture.google.allow(
        "c2",
        super::ports::GoogleProfile {
            email: "new@x.io".into(),
            ..Default::default()
        },
    );
    assert!(w.accounts.google_login("c1", &client()).await.is_ok());
    assert_eq!(
        w.accounts
            .google_login("c2", &client())
            .await
            .unwrap_err()
            .code,
        "account.google_no_account"
    );
    let (url, state) = w.accounts.google_url().unwrap();
    assert_eq!(state.len(), 32);
    assert!(url.contains(&state));
}

#[tokio::test]
async fn the_login_notification_goes_out_in_the_background() {
    let w = world();
    owner(&w, "o@x.io").await;
    w.accounts
        .login("o@x.io", "secret-pass", &client())
        .await
        .unwrap();
    assert!(w.email.templates().is_empty());
    w.fixture.spawner.run_pending().await;
    let sent = w.email.templates();
    assert_eq!(sent[0].template, EmailTemplate::LoginNotification);
    assert_eq!(sent[0].variables["deviceInfo"], "Firefox on Linux");
    assert_eq!(sent[0].variables["loginLocation"], "IP: 203.0.113.5");
}

#[tokio::test]
async fn bootstrapping_with_a_taken_email_is_a_conflict_and_writes_nothing() {
    let w = world();
    owner(&w, "o@x.io").await;
    let before = w.store.snapshot().workspaces.len();
    let err = w
        .accounts
        .bootstrap_workspace(
            &*w.store,
            NewOwner {
                first_name: String::new(),
                last_name: String::new(),
                email: "o@x.io".into(),
                password_hash: String::new(),
                email_verified: false,
                stripe_customer_id: None,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.code, "onboarding.email_already_registered");
    assert_eq!(w.store.snapshot().workspaces.len(), before);
}
