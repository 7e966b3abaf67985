//! Sign-in, sessions, password reset, email verification and Google over real HTTP against the
//! spawned application (spec 01 §3.1, §3.3, §4.3, §4.4; §7 scenarios 6–28).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use std::time::Duration;

use kyora_testkit::accounts::{
    InvitationRecord, OwnerSetup, PASSWORD, Reply, Session, USER_KEYS, cached_json, call,
    create_owner, create_owner_with, emailed_token, emails_to, find_user, get, insert_user,
    invite_with_token, key_set, login, login_owner, post, put_invitation_record, reply,
    spawn_accounts_app, spawn_accounts_app_with, spawn_accounts_app_with_google, try_login,
    unique_email,
};
use kyora_testkit::google::{GoogleAccount, GoogleStandIn};
use kyora_testkit::spawn_app;
use reqwest::Method;
use serde_json::{Value, json};

const INVALID_OR_EXPIRED: &str = "invalid or expired token";

async fn me(app: &kyora_testkit::TestApp, token: &str) -> Reply {
    get(app, "/v1/users/me", Some(token)).await
}

async fn refresh(app: &kyora_testkit::TestApp, refresh_token: &str) -> Reply {
    post(
        app,
        "/v1/auth/refresh",
        None,
        json!({"refreshToken": refresh_token}),
    )
    .await
}

// ---- login (scenarios 6–11) ------------------------------------------------------------------

#[tokio::test]
async fn valid_credentials_answer_exactly_user_token_and_refresh_token() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let reply = try_login(&app, &owner.email, &owner.password).await;
    reply.expect_status(200);
    assert!(reply.content_type.starts_with("application/json"));
    assert_eq!(reply.keys(), key_set(&["user", "token", "refreshToken"]));
    let user = &reply.body["user"];
    assert_eq!(kyora_testkit::accounts::keys(user), key_set(&USER_KEYS));
    assert_eq!(user["email"], owner.email.as_str());
    assert_eq!(user["firstName"], "Olive");
    assert_eq!(user["lastName"], "Owner");
    assert_eq!(user["id"], owner.user.id.as_str());
    assert!(user["id"].as_str().unwrap().starts_with("usr"));
    assert_eq!(user["workspaceId"], owner.workspace.id.as_str());
    assert_eq!(user["role"], "admin");
    assert_eq!(reply.str("refreshToken").len(), 43);
    assert_eq!(reply.str("token").split('.').count(), 3);
    let session = Session::from_reply(&reply);
    me(&app, &session.token).await.expect_status(200);
}

#[tokio::test]
async fn a_password_login_sends_a_login_notification_in_the_background() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    login_owner(&app, &owner).await;
    for _ in 0..100 {
        if emails_to(&app, &owner.email)
            .iter()
            .any(|m| m.subject == "New login to your account")
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no login notification reached {}", owner.email);
}

#[tokio::test]
async fn an_unknown_email_and_a_wrong_password_get_the_same_401() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let unknown = try_login(&app, &unique_email("nobody"), PASSWORD).await;
    unknown
        .expect_problem(401, "account.invalid_credentials")
        .expect_detail("invalid email or password");
    let wrong = try_login(&app, &owner.email, "not-the-password").await;
    wrong.expect_problem(401, "account.invalid_credentials");
    assert_eq!(unknown.body, wrong.body);
    assert_eq!(unknown.title(), "Unauthorized");
    // Emails are exact, case-sensitive matches.
    try_login(&app, &owner.email.to_uppercase(), PASSWORD)
        .await
        .expect_problem(401, "account.invalid_credentials");
}

#[tokio::test]
async fn a_login_without_email_or_password_or_with_a_malformed_email_is_a_bad_request() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let bodies = [
        json!({"password": PASSWORD}),
        json!({"email": owner.email}),
        json!({"email": "not-an-email", "password": PASSWORD}),
        json!({"email": null, "password": PASSWORD}),
        json!({"email": owner.email, "password": ""}),
        json!({"email": owner.email, "password": PASSWORD, "remember": true}),
        json!({}),
    ];
    for body in bodies {
        post(&app, "/v1/auth/login", None, body.clone())
            .await
            .expect_problem(400, "request.invalid_body")
            .expect_detail("invalid request body");
    }
    let trailing = app
        .client
        .post(app.url("/v1/auth/login"))
        .body(format!(
            r#"{{"email":"{}","password":"{PASSWORD}"}} {{}}"#,
            owner.email
        ))
        .send()
        .await
        .unwrap();
    reply(trailing)
        .await
        .expect_problem(400, "request.invalid_body");
}

#[tokio::test]
async fn users_of_two_workspaces_each_get_their_own_workspace_id() {
    let app = spawn_accounts_app().await;
    let first = create_owner(&app).await;
    let second = create_owner(&app).await;
    let a = login_owner(&app, &first).await;
    let b = login_owner(&app, &second).await;
    assert_eq!(a.workspace_id(), first.workspace.id);
    assert_eq!(b.workspace_id(), second.workspace.id);
    assert_ne!(a.workspace_id(), b.workspace_id());
}

#[tokio::test]
async fn a_user_with_an_empty_stored_password_cannot_log_in() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let email = unique_email("google-only");
    insert_user(&app, &owner.workspace.id, "user", &email, "").await;
    for password in ["x", PASSWORD, " "] {
        try_login(&app, &email, password)
            .await
            .expect_problem(401, "account.invalid_credentials");
    }
}

#[tokio::test]
async fn the_twenty_first_login_attempt_for_one_email_and_ip_within_ten_minutes_is_throttled() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    // The throttle key lower-cases the email, so both casings count for one key.
    let variants = [owner.email.clone(), owner.email.to_uppercase()];
    for attempt in 0..20 {
        let email = &variants[attempt % variants.len()];
        let reply = try_login(&app, email, "wrong-password").await;
        assert_ne!(reply.status, 429, "attempt {} was throttled", attempt + 1);
    }
    try_login(&app, &owner.email, PASSWORD)
        .await
        .expect_problem(429, "account.rate_limited")
        .expect_detail("too many requests");
    let state = cached_json(
        &app,
        &format!("rl:auth:login:{}:127.0.0.1", owner.email.to_lowercase()),
    )
    .await
    .expect("the login throttle record");
    assert_eq!(state["count"], 21);
    // Another client address has its own budget.
    let other_ip = app
        .client
        .post(app.url("/v1/auth/login"))
        .header("X-Forwarded-For", "203.0.113.7, 10.0.0.1")
        .json(&json!({"email": owner.email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    reply(other_ip).await.expect_status(200);
}

#[tokio::test]
async fn a_legacy_bcrypt_password_logs_in_and_is_rehashed_with_argon2id() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let variants = [bcrypt::Version::TwoB, bcrypt::Version::TwoA];
    for version in variants {
        let email = unique_email("legacy");
        let legacy = bcrypt::hash_with_result(PASSWORD, 4)
            .unwrap()
            .format_for_version(version);
        let mut user = insert_user(&app, &owner.workspace.id, "user", &email, "").await;
        user.password_hash = legacy.clone();
        app.components
            .accounts
            .store()
            .users()
            .update_user(&user)
            .await
            .unwrap();
        try_login(&app, &email, "wrong-password")
            .await
            .expect_problem(401, "account.invalid_credentials");
        assert_eq!(
            find_user(&app, &email).await.unwrap().password_hash,
            legacy,
            "a failed login keeps the legacy hash"
        );
        login(&app, &email, PASSWORD).await;
        let stored = find_user(&app, &email).await.unwrap().password_hash;
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        login(&app, &email, PASSWORD).await;
        try_login(&app, &email, "wrong-password")
            .await
            .expect_problem(401, "account.invalid_credentials");
    }
}

// ---- refresh and logout (scenarios 12–15) ----------------------------------------------------

#[tokio::test]
async fn refreshing_rotates_both_tokens_and_the_old_refresh_token_stops_working() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    let rotated = refresh(&app, &session.refresh_token).await;
    rotated.expect_status(200);
    assert_eq!(rotated.keys(), key_set(&["token", "refreshToken"]));
    let (token, refresh_token) = (rotated.str("token"), rotated.str("refreshToken"));
    assert_ne!(token, session.token);
    assert_ne!(refresh_token, session.refresh_token);
    refresh(&app, &session.refresh_token)
        .await
        .expect_problem(401, "account.invalid_token")
        .expect_detail(INVALID_OR_EXPIRED);
    me(&app, &token).await.expect_status(200);
    // The access token of the rotated session stays valid until it expires.
    me(&app, &session.token).await.expect_status(200);
    refresh(&app, &refresh_token).await.expect_status(200);
}

#[tokio::test]
async fn concurrent_refreshes_of_one_token_rotate_it_once() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    let replies =
        futures::future::join_all((0..4).map(|_| refresh(&app, &session.refresh_token))).await;
    let rotated: Vec<&Reply> = replies.iter().filter(|r| r.status == 200).collect();
    assert_eq!(rotated.len(), 1, "{replies:#?}");
    for reply in replies.iter().filter(|r| r.status != 200) {
        reply.expect_problem(401, "account.invalid_token");
    }
    refresh(&app, &rotated[0].str("refreshToken"))
        .await
        .expect_status(200);
}

#[tokio::test]
async fn refresh_sessions_and_access_tokens_expire() {
    let app = spawn_accounts_app_with(|c| {
        c.auth.refresh_token_ttl_seconds = 1;
        c.auth.jwt.expiry_seconds = 1;
    })
    .await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    tokio::time::sleep(Duration::from_millis(2100)).await;
    me(&app, &session.token)
        .await
        .expect_problem(401, "auth.invalid_token");
    refresh(&app, &session.refresh_token)
        .await
        .expect_problem(401, "account.invalid_token");
    post(
        &app,
        "/v1/auth/logout-all",
        None,
        json!({"refreshToken": session.refresh_token}),
    )
    .await
    .expect_problem(401, "account.invalid_token");
}

#[tokio::test]
async fn refreshing_an_unknown_or_blank_token_is_unauthorized() {
    let app = spawn_accounts_app().await;
    for token in ["   ", "not-a-refresh-token"] {
        refresh(&app, token)
            .await
            .expect_problem(401, "account.invalid_token");
    }
    post(&app, "/v1/auth/refresh", None, json!({}))
        .await
        .expect_problem(400, "request.invalid_body");
}

#[tokio::test]
async fn logging_out_revokes_the_presented_refresh_token() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    let out = post(
        &app,
        "/v1/auth/logout",
        None,
        json!({"refreshToken": session.refresh_token}),
    )
    .await;
    out.expect_status(204);
    assert!(out.text.is_empty());
    refresh(&app, &session.refresh_token)
        .await
        .expect_problem(401, "account.invalid_token");
    // Unknown or already revoked tokens are fine; a blank one is not.
    for token in [session.refresh_token.as_str(), "never-issued"] {
        post(
            &app,
            "/v1/auth/logout",
            None,
            json!({"refreshToken": token}),
        )
        .await
        .expect_status(204);
    }
    post(&app, "/v1/auth/logout", None, json!({"refreshToken": "  "}))
        .await
        .expect_problem(401, "account.invalid_token");
    // Logout does not touch access tokens.
    me(&app, &session.token).await.expect_status(200);
}

#[tokio::test]
async fn logout_others_keeps_the_presenting_device_and_revokes_the_rest() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let device_a = login_owner(&app, &owner).await;
    let device_b = login_owner(&app, &owner).await;
    post(
        &app,
        "/v1/auth/logout-others",
        None,
        json!({"refreshToken": device_a.refresh_token}),
    )
    .await
    .expect_status(204);
    refresh(&app, &device_a.refresh_token)
        .await
        .expect_status(200);
    refresh(&app, &device_b.refresh_token)
        .await
        .expect_problem(401, "account.invalid_token");
    // auth_version is unchanged: B's access token still works.
    me(&app, &device_b.token).await.expect_status(200);
    post(
        &app,
        "/v1/auth/logout-others",
        None,
        json!({"refreshToken": device_b.refresh_token}),
    )
    .await
    .expect_problem(401, "account.invalid_token");
}

#[tokio::test]
async fn logout_all_invalidates_every_access_token_and_refresh_token() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let device_a = login_owner(&app, &owner).await;
    let device_b = login_owner(&app, &owner).await;
    post(
        &app,
        "/v1/auth/logout-all",
        None,
        json!({"refreshToken": device_a.refresh_token}),
    )
    .await
    .expect_status(204);
    for session in [&device_a, &device_b] {
        me(&app, &session.token)
            .await
            .expect_problem(401, "account.invalid_token")
            .expect_detail(INVALID_OR_EXPIRED);
        refresh(&app, &session.refresh_token)
            .await
            .expect_problem(401, "account.invalid_token");
    }
    post(
        &app,
        "/v1/auth/logout-all",
        None,
        json!({"refreshToken": device_b.refresh_token}),
    )
    .await
    .expect_problem(401, "account.invalid_token");
    let fresh = login_owner(&app, &owner).await;
    me(&app, &fresh.token).await.expect_status(200);
}

// ---- password reset (scenarios 16–21) --------------------------------------------------------

async fn forgot(app: &kyora_testkit::TestApp, email: &str) -> Reply {
    post(
        app,
        "/v1/auth/forgot-password",
        None,
        json!({"email": email}),
    )
    .await
}

async fn reset(app: &kyora_testkit::TestApp, token: &str, new_password: &str) -> Reply {
    post(
        app,
        "/v1/auth/reset-password",
        None,
        json!({"token": token, "newPassword": new_password}),
    )
    .await
}

async fn reset_token(app: &kyora_testkit::TestApp, email: &str) -> String {
    forgot(app, email).await.expect_status(204);
    emailed_token(app, email, "/reset-password").expect("a reset link")
}

#[tokio::test]
async fn forgot_password_answers_204_for_known_and_unknown_emails_and_throttles_repeats() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let token = reset_token(&app, &owner.email).await;
    assert_eq!(token.len(), 32);
    assert!(token.bytes().all(|b| b.is_ascii_alphanumeric()));
    let record = cached_json(
        &app,
        &format!("pwreset:{}", kyora_core::shared::id::sha256_hex(&token)),
    )
    .await
    .expect("the reset record under the token's hash");
    assert_eq!(
        kyora_testkit::accounts::keys(&record),
        key_set(&["userId", "workspaceId", "email", "expAt"])
    );
    assert_eq!(record["userId"], owner.user.id.as_str());
    assert_eq!(record["workspaceId"], owner.workspace.id.as_str());
    assert_eq!(record["email"], owner.email.as_str());
    let reset_email = emails_to(&app, &owner.email)
        .into_iter()
        .find(|m| m.subject == "Reset your password")
        .expect("the forgot_password email");
    assert!(
        reset_email.text.contains(&format!(
            "https://app.kyora.com/reset-password?token={token}"
        )),
        "{}",
        reset_email.text
    );

    let unknown = unique_email("ghost");
    forgot(&app, &unknown).await.expect_status(204);
    assert!(emails_to(&app, &unknown).is_empty());

    for body in [json!({"email": "not-an-email"}), json!({})] {
        post(&app, "/v1/auth/forgot-password", None, body)
            .await
            .expect_problem(400, "request.invalid_body");
    }
    for email in [owner.email.as_str(), unknown.as_str()] {
        forgot(&app, email)
            .await
            .expect_problem(429, "account.rate_limited");
    }
}

#[tokio::test]
async fn a_reset_password_logs_in_with_the_new_password_only() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let token = reset_token(&app, &owner.email).await;
    let new_password = "Brand-new-passw0rd";
    reset(&app, &token, new_password).await.expect_status(204);
    login(&app, &owner.email, new_password).await;
    try_login(&app, &owner.email, PASSWORD)
        .await
        .expect_problem(401, "account.invalid_credentials");
    let key = format!("pwreset:{}", kyora_core::shared::id::sha256_hex(&token));
    assert!(
        cached_json(&app, &key).await.is_none(),
        "the token is consumed"
    );
    assert!(
        emails_to(&app, &owner.email)
            .iter()
            .any(|m| m.subject == "Password successfully reset")
    );
    // isEmailVerified is unchanged by a reset.
    assert!(
        find_user(&app, &owner.email)
            .await
            .unwrap()
            .is_email_verified
    );
}

#[tokio::test]
async fn a_reset_revokes_earlier_access_tokens_and_refresh_tokens() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    me(&app, &session.token).await.expect_status(200);
    let token = reset_token(&app, &owner.email).await;
    reset(&app, &token, "Another-passw0rd")
        .await
        .expect_status(204);
    me(&app, &session.token)
        .await
        .expect_problem(401, "account.invalid_token");
    refresh(&app, &session.refresh_token)
        .await
        .expect_problem(401, "account.invalid_token");
}

#[tokio::test]
async fn the_reset_token_of_a_removed_member_no_longer_works() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let admin = login_owner(&app, &owner).await;
    let member = kyora_testkit::accounts::insert_member(&app, &owner.workspace.id, "user").await;
    let token = reset_token(&app, &member.email).await;
    call(
        &app,
        Method::DELETE,
        &format!("/v1/workspaces/users/{}", member.session.user_id()),
        Some(&admin.token),
        None,
    )
    .await
    .expect_status(204);
    reset(&app, &token, "Too-late-passw0rd")
        .await
        .expect_problem(401, "account.invalid_token");
}

#[tokio::test]
async fn an_invalid_reset_token_is_unauthorized() {
    let app = spawn_accounts_app().await;
    let reply = reset(&app, "invalid-token", "Long-enough-1").await;
    reply.expect_problem(401, "account.invalid_token");
    assert_eq!(reply.title(), "Unauthorized");
    assert!(
        reply.detail().contains(INVALID_OR_EXPIRED),
        "{}",
        reply.text
    );
}

#[tokio::test]
async fn a_reset_without_token_or_password_or_with_seven_characters_is_a_bad_request() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let token = reset_token(&app, &owner.email).await;
    let bodies = [
        json!({"newPassword": "Long-enough-1"}),
        json!({"token": token}),
        json!({"token": "", "newPassword": "Long-enough-1"}),
        json!({"token": token, "newPassword": "Seven77"}),
        // Seven characters in fourteen bytes: the minimum counts characters.
        json!({"token": token, "newPassword": "ééééééé"}),
    ];
    for body in bodies {
        let reply = post(&app, "/v1/auth/reset-password", None, body.clone()).await;
        reply.expect_problem(400, "request.invalid_body");
        assert_eq!(reply.title(), "Bad Request", "{body}");
    }
    // The token survived the rejected attempts; eight two-byte characters are enough.
    reset(&app, &token, "éééééééé").await.expect_status(204);
    login(&app, &owner.email, "éééééééé").await;
}

#[tokio::test]
async fn a_consumed_reset_token_cannot_be_reused() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let token = reset_token(&app, &owner.email).await;
    reset(&app, &token, "First-new-passw0rd")
        .await
        .expect_status(204);
    reset(&app, &token, "Second-new-passw0rd")
        .await
        .expect_problem(401, "account.invalid_token");
    login(&app, &owner.email, "First-new-passw0rd").await;
    try_login(&app, &owner.email, "Second-new-passw0rd")
        .await
        .expect_problem(401, "account.invalid_credentials");
}

// ---- email verification (scenarios 22–23) ----------------------------------------------------

async fn request_verification(app: &kyora_testkit::TestApp, email: &str) -> Reply {
    post(
        app,
        "/v1/auth/verify-email/request",
        None,
        json!({"email": email}),
    )
    .await
}

#[tokio::test]
async fn a_verification_request_answers_204_for_known_and_unknown_emails() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    request_verification(&app, &owner.email)
        .await
        .expect_status(204);
    let token = emailed_token(&app, &owner.email, "/verify-email").expect("a verification link");
    let key = format!("emailverify:{}", kyora_core::shared::id::sha256_hex(&token));
    let record = cached_json(&app, &key)
        .await
        .expect("the verification record");
    assert_eq!(record["userId"], owner.user.id.as_str());
    let unknown = unique_email("ghost");
    request_verification(&app, &unknown)
        .await
        .expect_status(204);
    assert!(emails_to(&app, &unknown).is_empty());
    post(
        &app,
        "/v1/auth/verify-email/request",
        None,
        json!({"email": "not-an-email"}),
    )
    .await
    .expect_problem(400, "request.invalid_body");
    // A second request within 30 seconds is throttled.
    request_verification(&app, &owner.email)
        .await
        .expect_problem(429, "account.rate_limited");
}

#[tokio::test]
async fn a_verification_token_marks_the_email_verified_once() {
    let app = spawn_accounts_app().await;
    let owner = create_owner_with(
        &app,
        OwnerSetup {
            email_verified: false,
            ..OwnerSetup::unsubscribed()
        },
    )
    .await;
    let session = login_owner(&app, &owner).await;
    assert_eq!(
        me(&app, &session.token).await.body["isEmailVerified"],
        false
    );
    request_verification(&app, &owner.email)
        .await
        .expect_status(204);
    let token = emailed_token(&app, &owner.email, "/verify-email").unwrap();
    post(&app, "/v1/auth/verify-email", None, json!({"token": token}))
        .await
        .expect_status(204);
    // Sessions and auth_version are untouched.
    let profile = me(&app, &session.token).await;
    profile.expect_status(200);
    assert_eq!(profile.body["isEmailVerified"], true);
    post(&app, "/v1/auth/verify-email", None, json!({"token": token}))
        .await
        .expect_problem(401, "account.invalid_token")
        .expect_detail(INVALID_OR_EXPIRED);
    post(
        &app,
        "/v1/auth/verify-email",
        None,
        json!({"token": "invalid-token"}),
    )
    .await
    .expect_problem(401, "account.invalid_token")
    .expect_detail(INVALID_OR_EXPIRED);
    post(&app, "/v1/auth/verify-email", None, json!({}))
        .await
        .expect_problem(400, "request.invalid_body");
    refresh(&app, &session.refresh_token)
        .await
        .expect_status(200);
}

// ---- Google (scenarios 24–28) ----------------------------------------------------------------

#[tokio::test]
async fn the_google_url_is_a_500_problem_when_google_is_not_configured() {
    let app = spawn_accounts_app().await;
    let reply = get(&app, "/v1/auth/google/url", None).await;
    reply.expect_problem(500, "account.operation_failed");
    assert_eq!(reply.title(), "Internal Server Error");
    assert_eq!(reply.body["status"], 500);
    assert_eq!(reply.body["type"], "about:blank");
}

#[tokio::test]
async fn the_google_url_carries_the_oauth_query_and_a_fresh_state() {
    let google = GoogleStandIn::start();
    let app = spawn_accounts_app_with_google(&google).await;
    let mut states = std::collections::BTreeSet::new();
    for _ in 0..5 {
        let reply = get(&app, "/v1/auth/google/url", None).await;
        reply.expect_status(200);
        assert_eq!(reply.keys(), key_set(&["url", "state"]));
        let url = reply.str("url");
        let state = reply.str("state");
        assert!(
            url.starts_with("https://accounts.google.com/o/oauth2/auth?"),
            "{url}"
        );
        for part in [
            "oauth",
            "response_type=code",
            "scope=",
            "access_type=online",
        ] {
            assert!(url.contains(part), "{url} lacks {part}");
        }
        let parsed = url::Url::parse(&url).unwrap();
        let query: std::collections::BTreeMap<_, _> = parsed.query_pairs().into_owned().collect();
        assert_eq!(query["scope"], "openid email profile");
        assert_eq!(
            query["client_id"],
            kyora_testkit::accounts::GOOGLE_CLIENT_ID
        );
        assert_eq!(
            query["redirect_uri"],
            kyora_testkit::accounts::GOOGLE_REDIRECT_URL
        );
        assert_eq!(query["state"], state);
        assert!(state.len() >= 16);
        assert_eq!(state.len(), 32);
        assert!(state.bytes().all(|b| b.is_ascii_alphanumeric()));
        states.insert(state);
    }
    assert_eq!(states.len(), 5, "every state is fresh");
}

#[tokio::test]
async fn a_google_login_without_a_code_is_a_bad_request() {
    let google = GoogleStandIn::start();
    let app = spawn_accounts_app_with_google(&google).await;
    for body in [json!({}), json!({"code": null}), json!({"code": ""})] {
        let reply = post(&app, "/v1/auth/google/login", None, body).await;
        reply.expect_problem(400, "request.invalid_body");
        assert_eq!(reply.body["status"], 400);
    }
    assert!(google.exchanges().is_empty(), "nothing reached Google");
}

#[tokio::test]
async fn bogus_google_codes_fail_without_throttling_or_touching_users() {
    let google = GoogleStandIn::start();
    let app = spawn_accounts_app_with_google(&google).await;
    let owner = create_owner(&app).await;
    let before = find_user(&app, &owner.email).await.unwrap();
    let codes = [
        kyora_core::shared::id::alphanumeric_token(40),
        "' OR '1'='1".to_owned(),
        r#"" OR ""=""#.to_owned(),
        "<script>alert(1)</script>".to_owned(),
        "\0".repeat(1000),
        "!@#$%^&*()_+-=[]{}|;:,.<>/?`~".to_owned(),
    ];
    for code in &codes {
        let reply = post(&app, "/v1/auth/google/login", None, json!({"code": code})).await;
        assert!(reply.status >= 400, "{}", reply.text);
        assert_ne!(reply.status, 429);
        reply.expect_problem(500, "account.operation_failed");
        assert!(
            !reply.text.contains("invalid_grant"),
            "no upstream detail leaks"
        );
    }
    for _ in 0..10 {
        let reply = post(
            &app,
            "/v1/auth/google/login",
            None,
            json!({"code": "bogus"}),
        )
        .await;
        assert_ne!(reply.status, 429);
        assert!(reply.status >= 400);
    }
    assert_eq!(find_user(&app, &owner.email).await.unwrap(), before);
    // Every code went to the token endpoint as an authorization-code grant.
    let exchanges = google.exchanges();
    assert_eq!(exchanges.len(), codes.len() + 10);
    let first: std::collections::BTreeMap<_, _> = exchanges[0].iter().cloned().collect();
    assert_eq!(first["grant_type"], "authorization_code");
    assert_eq!(first["code"], codes[0]);
    assert_eq!(
        first["redirect_uri"],
        kyora_testkit::accounts::GOOGLE_REDIRECT_URL
    );
    let nul: std::collections::BTreeMap<_, _> = exchanges[4].iter().cloned().collect();
    assert_eq!(nul["code"], codes[4]);
}

#[tokio::test]
async fn a_google_login_signs_in_the_user_with_that_exact_email_and_changes_nothing() {
    let google = GoogleStandIn::start();
    let app = spawn_accounts_app_with_google(&google).await;
    let owner = create_owner(&app).await;
    let before = find_user(&app, &owner.email).await.unwrap();
    let code = google.code_for(GoogleAccount {
        verified_email: false,
        ..GoogleAccount::new(&owner.email, "Other", "Name")
    });
    let reply = post(&app, "/v1/auth/google/login", None, json!({"code": code})).await;
    reply.expect_status(200);
    assert_eq!(reply.keys(), key_set(&["user", "token", "refreshToken"]));
    assert_eq!(reply.body["user"]["id"], owner.user.id.as_str());
    assert_eq!(reply.body["user"]["firstName"], "Olive");
    let session = Session::from_reply(&reply);
    me(&app, &session.token).await.expect_status(200);
    refresh(&app, &session.refresh_token)
        .await
        .expect_status(200);
    assert_eq!(find_user(&app, &owner.email).await.unwrap(), before);

    let stranger = google.code_for(GoogleAccount::new(&unique_email("stranger"), "S", "T"));
    post(
        &app,
        "/v1/auth/google/login",
        None,
        json!({"code": stranger}),
    )
    .await
    .expect_problem(401, "account.google_no_account")
    .expect_detail("no account found with this Google email");
    let shouted = google.code_for(GoogleAccount::new(&owner.email.to_uppercase(), "O", "O"));
    post(
        &app,
        "/v1/auth/google/login",
        None,
        json!({"code": shouted}),
    )
    .await
    .expect_problem(401, "account.google_no_account");
}

/// `GET /v1/invitations/accept/google` with `params` (encoded before the future starts, so the
/// future borrows nothing).
fn accept_google(
    app: &kyora_testkit::TestApp,
    params: &[(&str, &str)],
) -> impl Future<Output = Reply> + use<> {
    let request = app
        .client
        .get(app.url("/v1/invitations/accept/google"))
        .query(params);
    async move { reply(request.send().await.unwrap()).await }
}

#[tokio::test]
async fn accepting_with_google_requires_a_token_and_a_code() {
    let google = GoogleStandIn::start();
    let app = spawn_accounts_app_with_google(&google).await;
    let cases: [(&[(&str, &str)], &str); 6] = [
        (&[], "token is required"),
        (&[("code", "some-code")], "token is required"),
        (&[("token", ""), ("code", "some-code")], "token is required"),
        (&[("token", "")], "token is required"),
        (&[("token", "some-token")], "code is required"),
        (&[("token", "some-token"), ("code", "")], "code is required"),
    ];
    for (params, detail) in cases {
        accept_google(&app, params)
            .await
            .expect_problem(400, "request.invalid_query_parameter")
            .expect_detail(detail);
    }
    assert!(google.exchanges().is_empty());
}

async fn invitation_state(app: &kyora_testkit::TestApp, owner: &Session, id: &str) -> Value {
    let list = get(app, "/v1/workspaces/invitations", Some(&owner.token)).await;
    list.expect_status(200);
    list.body
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .cloned()
        .expect("the invitation is listed")
}

#[tokio::test]
async fn failed_google_acceptances_leave_the_invitation_pending_and_add_no_user() {
    let google = GoogleStandIn::start();
    let app = spawn_accounts_app_with_google(&google).await;
    let owner = create_owner(&app).await;
    let admin = login_owner(&app, &owner).await;
    let invited = unique_email("invitee");
    let (invitation, token) = invite_with_token(&app, &admin, &invited, "admin").await;
    let id = invitation["id"].as_str().unwrap().to_owned();
    let matching = google.code_for(GoogleAccount::new(&invited, "In", "Vited"));
    let other = google.code_for(GoogleAccount::new(&unique_email("other"), "Ot", "Her"));

    let attempts = [
        (
            token.as_str(),
            "bogus-code",
            500,
            "account.operation_failed",
        ),
        (
            token.as_str(),
            "<script>x</script>",
            500,
            "account.operation_failed",
        ),
        (
            "invalid-token",
            matching.as_str(),
            401,
            "account.invalid_invitation_token",
        ),
        (
            token.as_str(),
            other.as_str(),
            403,
            "account.email_mismatch",
        ),
    ];
    for (token, code, status, problem) in attempts {
        accept_google(&app, &[("token", token), ("code", code)])
            .await
            .expect_problem(status, problem);
    }
    // The same, three at a time.
    let concurrent = futures::future::join_all((0..3).flat_map(|_| {
        [
            accept_google(&app, &[("token", &token), ("code", "bogus-code")]),
            accept_google(&app, &[("token", &token), ("code", &other)]),
            accept_google(&app, &[("token", "invalid-token"), ("code", &matching)]),
        ]
    }))
    .await;
    for reply in concurrent {
        assert!(reply.status >= 400, "{}", reply.text);
        assert!(
            reply.content_type.starts_with("application/problem+json"),
            "not a route 404: {}",
            reply.text
        );
    }
    let state = invitation_state(&app, &admin, &id).await;
    assert_eq!(state["status"], "pending");
    assert_eq!(state["role"], "admin");
    assert!(
        find_user(&app, &invited).await.is_none(),
        "no user was added"
    );
}

#[tokio::test]
async fn google_acceptance_of_accepted_or_revoked_invitations_is_refused() {
    let google = GoogleStandIn::start();
    let app = spawn_accounts_app_with_google(&google).await;
    let owner = create_owner(&app).await;
    let admin = login_owner(&app, &owner).await;

    let revoked_email = unique_email("revoked");
    let (revoked, revoked_token) = invite_with_token(&app, &admin, &revoked_email, "user").await;
    let revoked_id = revoked["id"].as_str().unwrap();
    call(
        &app,
        Method::DELETE,
        &format!("/v1/workspaces/invitations/{revoked_id}"),
        Some(&admin.token),
        None,
    )
    .await
    .expect_status(204);
    let code = google.code_for(GoogleAccount::new(&revoked_email, "Re", "Voked"));
    let attempts = futures::future::join_all(
        (0..3).map(|_| accept_google(&app, &[("token", &revoked_token), ("code", &code)])),
    )
    .await;
    for reply in attempts {
        reply
            .expect_problem(403, "account.invitation_expired")
            .expect_detail("invitation has expired");
    }
    assert_eq!(
        invitation_state(&app, &admin, revoked_id).await["status"],
        "revoked"
    );
    assert!(find_user(&app, &revoked_email).await.is_none());

    // An accepted invitation, reached through a token record written directly.
    let accepted_email = unique_email("accepted");
    let (accepted, accepted_token) = invite_with_token(&app, &admin, &accepted_email, "user").await;
    kyora_testkit::accounts::accept(&app, &accepted_token, "Ac", "Cepted", PASSWORD)
        .await
        .expect_status(200);
    let again = put_invitation_record(&app, &InvitationRecord::for_invitation(&accepted)).await;
    let code = google.code_for(GoogleAccount::new(&accepted_email, "Ac", "Cepted"));
    accept_google(&app, &[("token", &again), ("code", &code)])
        .await
        .expect_problem(409, "account.invitation_already_accepted");
    let user = find_user(&app, &accepted_email).await.unwrap();
    assert_eq!(user.first_name, "Ac", "the member is unchanged");
}

#[tokio::test]
async fn a_google_acceptance_creates_the_user_from_the_google_profile() {
    let google = GoogleStandIn::start();
    let app = spawn_accounts_app_with_google(&google).await;
    let owner = create_owner(&app).await;
    let admin = login_owner(&app, &owner).await;
    let invited = unique_email("googler");
    let (invitation, token) = invite_with_token(&app, &admin, &invited, "admin").await;
    let code = google.code_for(GoogleAccount {
        verified_email: false,
        ..GoogleAccount::new(&invited, "Grace", "Hopper")
    });
    let reply = accept_google(&app, &[("token", &token), ("code", &code)]).await;
    reply.expect_status(200);
    assert_eq!(reply.keys(), key_set(&["user", "token", "refreshToken"]));
    let user = &reply.body["user"];
    assert_eq!(user["email"], invited.as_str());
    assert_eq!(user["firstName"], "Grace");
    assert_eq!(user["lastName"], "Hopper");
    assert_eq!(user["role"], "admin");
    assert_eq!(user["workspaceId"], owner.workspace.id.as_str());
    assert_eq!(user["isEmailVerified"], false);
    let state = invitation_state(&app, &admin, invitation["id"].as_str().unwrap()).await;
    assert_eq!(state["status"], "accepted");
    assert!(state["acceptedAt"].is_string());
    // Created without a password: only Google signs this user in.
    try_login(&app, &invited, PASSWORD)
        .await
        .expect_problem(401, "account.invalid_credentials");
    let session = Session::from_reply(&reply);
    me(&app, &session.token).await.expect_status(200);
    // The token is consumed.
    accept_google(&app, &[("token", &token), ("code", &code)])
        .await
        .expect_problem(401, "account.invalid_invitation_token");
}

// ---- the authentication chain (§3.1) ---------------------------------------------------------

#[tokio::test]
async fn requests_without_a_bearer_token_are_unauthorized() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    for header in [
        None,
        Some(format!("bearer {}", session.token)),
        Some(format!("Token {}", session.token)),
        Some(session.token.clone()),
        Some(String::new()),
    ] {
        let mut request = app.client.get(app.url("/v1/users/me"));
        if let Some(value) = &header {
            request = request.header("Authorization", value);
        }
        reply(request.send().await.unwrap())
            .await
            .expect_problem(401, "auth.unauthorized")
            .expect_detail("unauthorized");
    }
}

fn forge_unsigned(token: &str) -> String {
    use base64::Engine as _;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let payload = token.split('.').nth(1).unwrap();
    let header = engine.encode(br#"{"alg":"none","typ":"JWT"}"#);
    format!("{header}.{payload}.")
}

#[tokio::test]
async fn malformed_forged_and_foreign_access_tokens_are_invalid() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    let foreign_app = spawn_accounts_app_with(|c| {
        c.auth.jwt.secret = "a-different-secret-for-another-deployment".into();
    })
    .await;
    let foreign = login_owner(&foreign_app, &owner).await;
    let mut tampered = session.token.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    for token in [
        "abc".to_owned(),
        "a.b.c".to_owned(),
        tampered,
        forge_unsigned(&session.token),
        foreign.token,
    ] {
        me(&app, &token)
            .await
            .expect_problem(401, "auth.invalid_token")
            .expect_detail("unauthorized");
    }
    me(&app, &session.token).await.expect_status(200);
}

#[tokio::test]
async fn without_a_jwt_secret_logins_fail_and_every_token_is_invalid() {
    let signing = spawn_accounts_app().await;
    let owner = create_owner(&signing).await;
    let session = login_owner(&signing, &owner).await;
    let app = spawn_app().await;
    try_login(&app, &owner.email, PASSWORD)
        .await
        .expect_problem(500, "account.operation_failed");
    me(&app, &session.token)
        .await
        .expect_problem(401, "auth.invalid_token");
}
