//! Invitations and their billing gates over real HTTP against the spawned application
//! (spec 01 §3.4, §3.6, §4.5; 04 §3.9; §7 scenarios 37–46).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use kyora_core::shared::id::sha256_hex;
use kyora_testkit::TestApp;
use kyora_testkit::accounts::{
    InvitationRecord, OwnerSetup, PASSWORD, Reply, Session, USER_KEYS, accept, add_member,
    cached_json, create_owner, create_owner_with, delete, emailed_token, emails_to, find_user, get,
    insert_member, insert_user, invite, invite_with_token, key_set, keys, login, login_owner,
    password_hash, post, put_invitation_record, spawn_accounts_app, unique_email,
};
use serde_json::{Value, json};

const INVITATION_KEYS: [&str; 8] = [
    "id",
    "workspaceId",
    "email",
    "role",
    "inviterId",
    "status",
    "createdAt",
    "updatedAt",
];

fn without_instance(body: &Value) -> Value {
    let mut body = body.clone();
    if let Some(object) = body.as_object_mut() {
        object.remove("instance");
    }
    body
}

async fn list(app: &TestApp, actor: &Session, query: &str) -> Vec<Value> {
    let reply = get(
        app,
        &format!("/v1/workspaces/invitations{query}"),
        Some(&actor.token),
    )
    .await;
    reply.expect_status(200);
    reply.body.as_array().expect("a plain array").clone()
}

async fn find_invitation(app: &TestApp, actor: &Session, id: &str) -> Value {
    list(app, actor, "")
        .await
        .into_iter()
        .find(|i| i["id"] == id)
        .expect("the invitation is listed")
}

async fn revoke(app: &TestApp, actor: &Session, id: &str) -> Reply {
    delete(
        app,
        &format!("/v1/workspaces/invitations/{id}"),
        Some(&actor.token),
    )
    .await
}

fn id_of(invitation: &Value) -> String {
    invitation["id"].as_str().unwrap().to_owned()
}

// ---- creation (scenarios 37–39) --------------------------------------------------------------

#[tokio::test]
async fn an_admin_with_an_active_subscription_invites_a_user() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    let email = unique_email("invitee");
    let created = invite(&app, &session.token, &email, "user").await;
    created.expect_status(201);
    assert_eq!(created.keys(), key_set(&INVITATION_KEYS));
    assert!(created.str("id").starts_with("inv"));
    assert_eq!(created.body["email"], email.as_str());
    assert_eq!(created.body["role"], "user");
    assert_eq!(created.body["status"], "pending");
    assert_eq!(created.body["inviterId"], owner.user.id.as_str());
    assert_eq!(created.body["workspaceId"], owner.workspace.id.as_str());

    // The token travels only by email, and the cache holds it under its hash.
    let token = emailed_token(&app, &email, "/accept-invitation").expect("an invitation email");
    assert_eq!(token.len(), 32);
    assert!(!created.text.contains(&token));
    let message = emails_to(&app, &email)
        .into_iter()
        .find(|m| m.subject == "You've been invited to join a workspace")
        .expect("the workspace_invitation email");
    for expected in [
        format!("https://app.kyora.com/accept-invitation?token={token}"),
        format!("Workspace {}", owner.workspace.id),
        "Olive Owner".to_owned(),
        owner.email.clone(),
        "7 days".to_owned(),
    ] {
        assert!(
            message.text.contains(&expected),
            "{expected} not in {}",
            message.text
        );
    }
    let record = cached_json(&app, &format!("invitation:{}", sha256_hex(&token)))
        .await
        .expect("the invitation record");
    assert_eq!(
        keys(&record),
        key_set(&[
            "invitationId",
            "workspaceId",
            "email",
            "role",
            "inviterId",
            "expAt"
        ])
    );
    assert_eq!(record["invitationId"], created.body["id"]);
    assert_eq!(record["workspaceId"], owner.workspace.id.as_str());
    assert_eq!(record["email"], email.as_str());
    assert_eq!(record["role"], "user");
    assert_eq!(record["inviterId"], owner.user.id.as_str());
    assert!(
        chrono::DateTime::parse_from_rfc3339(record["expAt"].as_str().unwrap()).is_ok(),
        "{record}"
    );

    let admin = invite(&app, &session.token, &unique_email("second"), "admin").await;
    admin.expect_status(201);
    assert_eq!(admin.body["role"], "admin");
}

#[tokio::test]
async fn inviting_the_same_email_twice_or_an_existing_member_is_a_conflict() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    let email = unique_email("twice");
    invite(&app, &session.token, &email, "user")
        .await
        .expect_status(201);
    for role in ["user", "admin"] {
        invite(&app, &session.token, &email, role)
            .await
            .expect_problem(409, "account.invitation_already_exists")
            .expect_detail("active invitation already exists for this email");
    }
    assert_eq!(list(&app, &session, "").await.len(), 1);
    invite(&app, &session.token, &owner.email, "user")
        .await
        .expect_problem(409, "account.user_already_exists")
        .expect_detail("user with this email already exists");
    // Emails are exact: another casing is another address.
    invite(&app, &session.token, &email.to_uppercase(), "user")
        .await
        .expect_status(201);
    // A user of another workspace does not block creation (acceptance is refused later).
    let stranger = create_owner(&app).await;
    invite(&app, &session.token, &stranger.email, "user")
        .await
        .expect_status(201);
}

#[tokio::test]
async fn a_user_role_member_cannot_invite_even_without_a_subscription() {
    let app = spawn_accounts_app().await;
    for setup in [
        OwnerSetup::unsubscribed(),
        OwnerSetup::subscribed("professional", "active"),
    ] {
        let owner = create_owner_with(&app, setup).await;
        let member = insert_member(&app, &owner.workspace.id, "user").await;
        let reply = invite(&app, &member.session.token, &unique_email("x"), "user").await;
        reply
            .expect_problem(403, "account.permission_denied")
            .expect_detail("unauthorized to manage account");
        assert_eq!(reply.body["extensions"]["action"], "manage");
        assert_eq!(reply.body["extensions"]["resource"], "account");
    }
}

#[tokio::test]
async fn invalid_invitation_bodies_are_bad_requests_after_the_gates() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    for body in [
        json!({"email": "not-an-email", "role": "user"}),
        json!({"email": unique_email("x"), "role": "owner"}),
        json!({"email": unique_email("x")}),
        json!({"role": "user"}),
        json!({"email": unique_email("x"), "role": "user", "note": "hi"}),
    ] {
        post(
            &app,
            "/v1/workspaces/invitations",
            Some(&session.token),
            body,
        )
        .await
        .expect_problem(400, "request.invalid_body");
    }
    // Without a subscription the gate answers first, whatever the body.
    let unsubscribed = create_owner_with(&app, OwnerSetup::unsubscribed()).await;
    let unsubscribed = login_owner(&app, &unsubscribed).await;
    post(
        &app,
        "/v1/workspaces/invitations",
        Some(&unsubscribed.token),
        json!({"email": "not-an-email"}),
    )
    .await
    .expect_problem(403, "billing.subscription_not_active");
}

// ---- listing and revoking (scenarios 40–41) --------------------------------------------------

#[tokio::test]
async fn invitations_are_listed_with_an_optional_exact_status_filter() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    let (first, _) = invite_with_token(&app, &session, &unique_email("p1"), "user").await;
    let (second, _) = invite_with_token(&app, &session, &unique_email("p2"), "admin").await;
    let joined = add_member(&app, &session, "user").await;
    // Another workspace's invitations never show up.
    let stranger = create_owner(&app).await;
    let stranger = login_owner(&app, &stranger).await;
    invite(&app, &stranger.token, &unique_email("elsewhere"), "user")
        .await
        .expect_status(201);

    let all = list(&app, &session, "").await;
    assert_eq!(all.len(), 3);
    assert!(
        all.iter()
            .all(|i| i["workspaceId"] == owner.workspace.id.as_str())
    );
    let pending = list(&app, &session, "?status=pending").await;
    assert_eq!(pending.len(), 2);
    assert!(pending.iter().all(|i| i["status"] == "pending"));
    let mut pending_ids: Vec<String> = pending.iter().map(id_of).collect();
    pending_ids.sort();
    let mut expected = vec![id_of(&first), id_of(&second)];
    expected.sort();
    assert_eq!(pending_ids, expected);
    assert!(pending.iter().all(|i| keys(i) == key_set(&INVITATION_KEYS)));

    let accepted = list(&app, &session, "?status=accepted").await;
    assert_eq!(accepted.len(), 1);
    assert_eq!(accepted[0]["email"], joined.email.as_str());
    assert!(accepted[0]["acceptedAt"].is_string());
    let mut with_accepted_at: Vec<&str> = INVITATION_KEYS.to_vec();
    with_accepted_at.push("acceptedAt");
    assert_eq!(keys(&accepted[0]), key_set(&with_accepted_at));

    assert!(list(&app, &session, "?status=whatever").await.is_empty());
    assert!(list(&app, &session, "?status=Pending").await.is_empty());
}

#[tokio::test]
async fn only_pending_invitations_of_the_workspace_are_revoked() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    let revoked_email = unique_email("revoked");
    let (pending, token) = invite_with_token(&app, &session, &revoked_email, "user").await;
    let removed = revoke(&app, &session, &id_of(&pending)).await;
    removed.expect_status(204);
    assert!(removed.text.is_empty());
    assert_eq!(
        find_invitation(&app, &session, &id_of(&pending)).await["status"],
        "revoked"
    );
    // The token stays in the cache, but acceptance is refused.
    accept(&app, &token, "Re", "Voked", PASSWORD)
        .await
        .expect_problem(403, "account.invitation_expired")
        .expect_detail("invitation has expired");
    assert!(find_user(&app, &revoked_email).await.is_none());
    revoke(&app, &session, &id_of(&pending))
        .await
        .expect_problem(409, "account.invitation_cannot_be_revoked");

    let unknown = revoke(&app, &session, "invNoSuchInvitation").await;
    unknown
        .expect_problem(404, "account.invitation_not_found")
        .expect_detail("invitation not found");

    let joined = add_member(&app, &session, "user").await;
    let accepted = list(&app, &session, "?status=accepted")
        .await
        .into_iter()
        .find(|i| i["email"] == joined.email.as_str())
        .unwrap();
    revoke(&app, &session, &id_of(&accepted))
        .await
        .expect_problem(409, "account.invitation_cannot_be_revoked")
        .expect_detail("only pending invitations can be revoked");

    let stranger = create_owner(&app).await;
    let stranger = login_owner(&app, &stranger).await;
    let (foreign, _) = invite_with_token(&app, &stranger, &unique_email("foreign"), "user").await;
    let refused = revoke(&app, &session, &id_of(&foreign)).await;
    refused.expect_problem(404, "account.invitation_not_found");
    assert_eq!(
        without_instance(&refused.body),
        without_instance(&unknown.body)
    );
    assert_eq!(
        find_invitation(&app, &stranger, &id_of(&foreign)).await["status"],
        "pending"
    );
}

// ---- acceptance (scenarios 42–45) ------------------------------------------------------------

#[tokio::test]
async fn accepting_an_invitation_creates_a_verified_member_who_can_log_in() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    let email = unique_email("joiner");
    let (invitation, token) = invite_with_token(&app, &session, &email, "user").await;
    let accepted = accept(&app, &token, "June", "Joiner", "Joiner-passw0rd").await;
    accepted.expect_status(200);
    assert_eq!(accepted.keys(), key_set(&["user", "token", "refreshToken"]));
    let user = &accepted.body["user"];
    assert_eq!(keys(user), key_set(&USER_KEYS));
    assert_eq!(user["email"], email.as_str());
    assert_eq!(user["firstName"], "June");
    assert_eq!(user["lastName"], "Joiner");
    assert_eq!(user["workspaceId"], owner.workspace.id.as_str());
    assert_eq!(user["role"], "user");
    assert_eq!(user["isEmailVerified"], true);

    let stored = find_invitation(&app, &session, &id_of(&invitation)).await;
    assert_eq!(stored["status"], "accepted");
    assert!(stored["acceptedAt"].is_string());

    let member = Session::from_reply(&accepted);
    get(&app, "/v1/users/me", Some(&member.token))
        .await
        .expect_status(200);
    let fresh = login(&app, &email, "Joiner-passw0rd").await;
    assert_eq!(fresh.user_id(), member.user_id());
    assert!(
        cached_json(&app, &format!("invitation:{}", sha256_hex(&token)))
            .await
            .is_none(),
        "the token is consumed"
    );
    accept(&app, &token, "June", "Joiner", "Joiner-passw0rd")
        .await
        .expect_problem(401, "account.invalid_invitation_token");
}

#[tokio::test]
async fn accepting_needs_a_valid_token() {
    let app = spawn_accounts_app().await;
    accept(&app, "invalid-token", "A", "B", "Long-enough-1")
        .await
        .expect_problem(401, "account.invalid_invitation_token")
        .expect_detail("invalid or expired token");
    let body = json!({"firstName": "A", "lastName": "B", "password": "Long-enough-1"});
    for path in ["/v1/invitations/accept", "/v1/invitations/accept?token="] {
        post(&app, path, None, body.clone())
            .await
            .expect_problem(400, "request.invalid_query_parameter")
            .expect_detail("token is required");
    }
}

#[tokio::test]
async fn accepting_without_a_password_or_with_seven_characters_is_a_bad_request() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    let email = unique_email("short");
    let (invitation, token) = invite_with_token(&app, &session, &email, "user").await;
    for body in [
        json!({"firstName": "A", "lastName": "B"}),
        json!({"firstName": "A", "lastName": "B", "password": "Seven77"}),
        json!({"firstName": "A", "lastName": "B", "password": null}),
        json!({"lastName": "B", "password": "Long-enough-1"}),
        json!({"firstName": "A", "lastName": "", "password": "Long-enough-1"}),
        json!({"firstName": "A", "lastName": "B", "password": "Long-enough-1", "role": "admin"}),
    ] {
        post(
            &app,
            &format!("/v1/invitations/accept?token={token}"),
            None,
            body,
        )
        .await
        .expect_problem(400, "request.invalid_body");
    }
    assert_eq!(
        find_invitation(&app, &session, &id_of(&invitation)).await["status"],
        "pending"
    );
    assert!(find_user(&app, &email).await.is_none());
    accept(&app, &token, "A", "B", "Long-enough-1")
        .await
        .expect_status(200);
}

#[tokio::test]
async fn accepting_an_accepted_invitation_again_is_a_conflict() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    let email = unique_email("again");
    let (invitation, token) = invite_with_token(&app, &session, &email, "user").await;
    accept(&app, &token, "First", "Time", PASSWORD)
        .await
        .expect_status(200);
    // The consumed token is gone; a record written directly reaches the invitation again.
    let again = put_invitation_record(&app, &InvitationRecord::for_invitation(&invitation)).await;
    accept(&app, &again, "Second", "Time", PASSWORD)
        .await
        .expect_problem(409, "account.invitation_already_accepted")
        .expect_detail("invitation has already been accepted");
    assert_eq!(find_user(&app, &email).await.unwrap().first_name, "First");
}

#[tokio::test]
async fn a_token_record_that_matches_no_invitation_is_not_found() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    let (invitation, _) = invite_with_token(&app, &session, &unique_email("real"), "user").await;
    // Right id, wrong email: the row must match (id, workspace, email).
    let mut record = InvitationRecord::for_invitation(&invitation);
    record.email = unique_email("other");
    let token = put_invitation_record(&app, &record).await;
    accept(&app, &token, "A", "B", PASSWORD)
        .await
        .expect_problem(404, "account.invitation_not_found");
    // Right id and email, another workspace.
    let stranger = create_owner(&app).await;
    let mut record = InvitationRecord::for_invitation(&invitation);
    record.workspace_id = stranger.workspace.id;
    let token = put_invitation_record(&app, &record).await;
    accept(&app, &token, "A", "B", PASSWORD)
        .await
        .expect_problem(404, "account.invitation_not_found");
    assert_eq!(
        find_invitation(&app, &session, &id_of(&invitation)).await["status"],
        "pending"
    );
}

#[tokio::test]
async fn an_invitation_to_a_user_of_another_workspace_cannot_be_accepted() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    let stranger = create_owner(&app).await;
    let (invitation, token) = invite_with_token(&app, &session, &stranger.email, "user").await;
    accept(&app, &token, "A", "B", PASSWORD)
        .await
        .expect_problem(409, "account.user_already_exists");
    assert_eq!(
        find_invitation(&app, &session, &id_of(&invitation)).await["status"],
        "pending"
    );
    assert_eq!(
        find_user(&app, &stranger.email).await.unwrap().workspace_id,
        stranger.workspace.id
    );
}

#[tokio::test]
async fn a_removed_member_can_be_invited_and_join_again() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    let member = add_member(&app, &session, "user").await;
    delete(
        &app,
        &format!("/v1/workspaces/users/{}", member.session.user_id()),
        Some(&session.token),
    )
    .await
    .expect_status(204);
    let (_, token) = invite_with_token(&app, &session, &member.email, "admin").await;
    let rejoined = accept(&app, &token, "Back", "Again", "Back-again-passw0rd").await;
    rejoined.expect_status(200);
    assert_eq!(rejoined.body["user"]["role"], "admin");
    assert_ne!(
        rejoined.body["user"]["id"],
        member.session.user_id().as_str()
    );
}

// ---- billing gates (scenario 46, 04 §3.9) ----------------------------------------------------

#[tokio::test]
async fn a_plan_for_one_member_refuses_the_owners_first_invitation() {
    let app = spawn_accounts_app().await;
    let owner = create_owner_with(&app, OwnerSetup::subscribed("starter", "active")).await;
    let session = login_owner(&app, &owner).await;
    let reply = invite(&app, &session.token, &unique_email("x"), "user").await;
    reply
        .expect_problem(403, "billing.feature_limit_reached")
        .expect_detail(
            "you have reached the maximum limit for this feature: limits.maxTeamMembers",
        );
    assert_eq!(reply.body["extensions"]["feature"], "limits.maxTeamMembers");
    assert_eq!(reply.body["extensions"]["limit"], 1);
    assert!(list(&app, &session, "").await.is_empty());
}

#[tokio::test]
async fn the_member_limit_counts_users_not_pending_invitations() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    let hash = password_hash(&app).await;
    // Owner + 3 members = 4 of the professional plan's 5; pending invitations do not count.
    for _ in 0..3 {
        insert_user(&app, &owner.workspace.id, "user", &unique_email("m"), &hash).await;
    }
    for _ in 0..3 {
        invite(&app, &session.token, &unique_email("pending"), "user")
            .await
            .expect_status(201);
    }
    insert_user(
        &app,
        &owner.workspace.id,
        "user",
        &unique_email("fifth"),
        &hash,
    )
    .await;
    let refused = invite(&app, &session.token, &unique_email("sixth"), "user").await;
    refused.expect_problem(403, "billing.feature_limit_reached");
    assert_eq!(refused.body["extensions"]["limit"], 5);
}

#[tokio::test]
async fn without_a_subscription_an_admin_cannot_invite() {
    let app = spawn_accounts_app().await;
    let owner = create_owner_with(&app, OwnerSetup::unsubscribed()).await;
    let session = login_owner(&app, &owner).await;
    invite(&app, &session.token, &unique_email("x"), "user")
        .await
        .expect_problem(403, "billing.subscription_not_active");
    // Listing and revoking carry no billing gate.
    assert!(list(&app, &session, "").await.is_empty());
    revoke(&app, &session, "invNoSuchInvitation")
        .await
        .expect_problem(404, "account.invitation_not_found");
}

#[tokio::test]
async fn only_active_and_trialing_subscriptions_pass_the_invitation_gate() {
    let app = spawn_accounts_app().await;
    for status in ["active", "trialing"] {
        let owner = create_owner_with(&app, OwnerSetup::subscribed("professional", status)).await;
        let session = login_owner(&app, &owner).await;
        invite(&app, &session.token, &unique_email(status), "user")
            .await
            .expect_status(201);
    }
    for status in ["past_due", "canceled", "unpaid", "incomplete"] {
        let owner = create_owner_with(&app, OwnerSetup::subscribed("professional", status)).await;
        let session = login_owner(&app, &owner).await;
        invite(&app, &session.token, &unique_email("refused"), "user")
            .await
            .expect_problem(403, "billing.subscription_not_active")
            .expect_detail("your subscription is not active. please renew your subscription");
    }
}

#[tokio::test]
async fn an_enterprise_workspace_never_reaches_the_member_limit() {
    let app = spawn_accounts_app().await;
    let owner = create_owner_with(&app, OwnerSetup::subscribed("enterprise", "active")).await;
    let session = login_owner(&app, &owner).await;
    let hash = password_hash(&app).await;
    // More members than any limited plan allows.
    for _ in 0..6 {
        insert_user(&app, &owner.workspace.id, "user", &unique_email("m"), &hash).await;
    }
    add_member(&app, &session, "user").await;
    invite(&app, &session.token, &unique_email("eighth"), "admin")
        .await
        .expect_status(201);
    assert_eq!(
        get(&app, "/v1/workspaces/users", Some(&session.token))
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        8
    );
}

// ---- real services -----------------------------------------------------------------------------

mod postgres {
    use super::*;

    /// Concurrent acceptances of one invitation (several tokens reach it) create one user.
    #[tokio::test]
    async fn postgres_concurrent_acceptances_of_one_invitation_create_exactly_one_user() {
        if kyora_testkit::service_var("KYORA_TEST_DATABASE_URL").is_none() {
            return;
        }
        let app = spawn_accounts_app().await;
        let owner = create_owner(&app).await;
        let session = login_owner(&app, &owner).await;
        let email = unique_email("race");
        let (invitation, token) = invite_with_token(&app, &session, &email, "user").await;
        let record = InvitationRecord::for_invitation(&invitation);
        let mut tokens = vec![token];
        for _ in 0..3 {
            tokens.push(put_invitation_record(&app, &record).await);
        }
        let replies = futures::future::join_all(
            tokens
                .iter()
                .map(|token| accept(&app, token, "Race", "Winner", PASSWORD)),
        )
        .await;
        let winners = replies.iter().filter(|r| r.status == 200).count();
        assert_eq!(winners, 1, "{replies:#?}");
        for reply in replies.iter().filter(|r| r.status != 200) {
            assert_eq!(reply.status, 409, "{}", reply.text);
        }
        let members = get(&app, "/v1/workspaces/users", Some(&session.token)).await;
        let count = members
            .body
            .as_array()
            .unwrap()
            .iter()
            .filter(|u| u["email"] == email.as_str())
            .count();
        assert_eq!(count, 1);
        assert_eq!(
            find_invitation(&app, &session, &id_of(&invitation)).await["status"],
            "accepted"
        );
    }
}

mod memcached {
    use super::*;

    /// Tokens live in the shared cache: an invitation sent through one instance is accepted
    /// through another instance on the same memcached.
    #[tokio::test]
    async fn memcached_an_invitation_issued_by_one_instance_is_accepted_by_another() {
        if kyora_testkit::service_var("KYORA_TEST_MEMCACHED").is_none() {
            return;
        }
        let issuing = spawn_accounts_app().await;
        let accepting = spawn_accounts_app().await;
        let owner = create_owner(&issuing).await;
        let session = login_owner(&issuing, &owner).await;
        let email = unique_email("shared");
        let (_, token) = invite_with_token(&issuing, &session, &email, "user").await;
        let accepted = accept(&accepting, &token, "Sha", "Red", PASSWORD).await;
        accepted.expect_status(200);
        accept(&issuing, &token, "Sha", "Red", PASSWORD)
            .await
            .expect_problem(401, "account.invalid_invitation_token");
        assert!(emails_to(&accepting, &email).is_empty());
    }
}
