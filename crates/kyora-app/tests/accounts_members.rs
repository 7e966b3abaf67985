//! Profile, workspace and member management over real HTTP against the spawned application
//! (spec 01 §3.1, §3.5, §3.6, §4.1, §4.2; §7 scenarios 29–36).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use kyora_testkit::TestApp;
use kyora_testkit::accounts::{
    OwnerSetup, Reply, Session, USER_KEYS, add_member, create_owner, create_owner_with, delete,
    get, insert_member, key_set, keys, login_owner, patch, post, spawn_accounts_app,
};
use serde_json::{Value, json};

fn without_instance(body: &Value) -> Value {
    let mut body = body.clone();
    if let Some(object) = body.as_object_mut() {
        object.remove("instance");
    }
    body
}

async fn change_role(app: &TestApp, actor: &Session, user_id: &str, role: &str) -> Reply {
    patch(
        app,
        &format!("/v1/workspaces/users/{user_id}/role"),
        Some(&actor.token),
        json!({"role": role}),
    )
    .await
}

async fn remove(app: &TestApp, actor: &Session, user_id: &str) -> Reply {
    delete(
        app,
        &format!("/v1/workspaces/users/{user_id}"),
        Some(&actor.token),
    )
    .await
}

async fn members(app: &TestApp, actor: &Session) -> Vec<Value> {
    let reply = get(app, "/v1/workspaces/users", Some(&actor.token)).await;
    reply.expect_status(200);
    reply.body.as_array().expect("a plain array").clone()
}

// ---- profile (scenarios 29–30) ---------------------------------------------------------------

#[tokio::test]
async fn the_profile_is_the_signed_in_user_and_requires_a_token() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    let me = get(&app, "/v1/users/me", Some(&session.token)).await;
    me.expect_status(200);
    assert_eq!(me.keys(), key_set(&USER_KEYS));
    assert_eq!(me.body["id"], owner.user.id.as_str());
    assert_eq!(me.body["email"], owner.email.as_str());
    assert_eq!(me.body["firstName"], "Olive");
    assert_eq!(me.body["lastName"], "Owner");
    assert_eq!(me.body["workspaceId"], owner.workspace.id.as_str());
    assert_eq!(me.body["role"], "admin");
    assert_eq!(me.body["isEmailVerified"], true);
    get(&app, "/v1/users/me", None)
        .await
        .expect_problem(401, "auth.unauthorized");
    patch(&app, "/v1/users/me", None, json!({"firstName": "X"}))
        .await
        .expect_problem(401, "auth.unauthorized");
}

#[tokio::test]
async fn patching_the_profile_changes_only_the_given_names() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    let token = Some(session.token.as_str());

    let both = patch(
        &app,
        "/v1/users/me",
        token,
        json!({"firstName": "Ada", "lastName": "Lovelace"}),
    )
    .await;
    both.expect_status(200);
    assert_eq!(both.keys(), key_set(&USER_KEYS));
    assert_eq!(both.body["firstName"], "Ada");
    assert_eq!(both.body["lastName"], "Lovelace");
    assert_eq!(both.body["email"], owner.email.as_str());

    let first_only = patch(&app, "/v1/users/me", token, json!({"firstName": "Augusta"})).await;
    first_only.expect_status(200);
    assert_eq!(first_only.body["firstName"], "Augusta");
    assert_eq!(first_only.body["lastName"], "Lovelace");

    let nothing = patch(&app, "/v1/users/me", token, json!({})).await;
    nothing.expect_status(200);
    assert_eq!(nothing.body["firstName"], "Augusta");
    assert_eq!(nothing.body["lastName"], "Lovelace");
    assert!(nothing.str("updatedAt") >= first_only.str("updatedAt"));

    let nulls = patch(
        &app,
        "/v1/users/me",
        token,
        json!({"firstName": null, "lastName": ""}),
    )
    .await;
    nulls.expect_status(200);
    assert_eq!(nulls.body["firstName"], "Augusta", "null leaves the name");
    assert_eq!(
        nulls.body["lastName"], "",
        "an empty string is stored as is"
    );

    for body in [
        json!({"email": "new@example.com"}),
        json!({"firstName": 7}),
        json!({"role": "admin"}),
    ] {
        patch(&app, "/v1/users/me", token, body)
            .await
            .expect_problem(400, "request.invalid_body");
    }
    let stored = get(&app, "/v1/users/me", token).await;
    assert_eq!(stored.body["email"], owner.email.as_str());
    assert_eq!(stored.body["role"], "admin");
    assert_eq!(stored.body["lastName"], "");
}

// ---- workspace and members (scenarios 31–33) -------------------------------------------------

#[tokio::test]
async fn the_workspace_shows_its_id_and_owner_and_requires_a_token() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    let workspace = get(&app, "/v1/workspaces/me", Some(&session.token)).await;
    workspace.expect_status(200);
    assert_eq!(workspace.body["id"], owner.workspace.id.as_str());
    assert_eq!(workspace.body["ownerId"], owner.user.id.as_str());
    // The Stripe keys are omitted while unset.
    assert_eq!(
        workspace.keys(),
        key_set(&["id", "ownerId", "createdAt", "updatedAt"])
    );
    get(&app, "/v1/workspaces/me", None)
        .await
        .expect_problem(401, "auth.unauthorized");
}

#[tokio::test]
async fn the_member_list_holds_the_owner_and_every_member_oldest_first() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    let first = add_member(&app, &session, "user").await;
    let second = add_member(&app, &session, "admin").await;
    // Another workspace's users never show up.
    let stranger = create_owner(&app).await;

    let list = members(&app, &session).await;
    assert_eq!(list.len(), 3);
    assert!(
        list.iter()
            .all(|u| u["workspaceId"] == owner.workspace.id.as_str())
    );
    assert!(list.iter().all(|u| keys(u) == key_set(&USER_KEYS)));
    let ids: Vec<&str> = list.iter().map(|u| u["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            owner.user.id.as_str(),
            first.session.user_id().as_str(),
            second.session.user_id().as_str()
        ]
    );
    assert!(!ids.contains(&stranger.user.id.as_str()));
    // Every member may view the list.
    assert_eq!(members(&app, &first.session).await.len(), 3);
    get(&app, "/v1/workspaces/users", None)
        .await
        .expect_problem(401, "auth.unauthorized");
}

#[tokio::test]
async fn a_member_is_found_and_unknown_or_foreign_users_are_not_members() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    let member = add_member(&app, &session, "user").await;
    let stranger = create_owner(&app).await;

    let found = get(
        &app,
        &format!("/v1/workspaces/users/{}", member.session.user_id()),
        Some(&session.token),
    )
    .await;
    found.expect_status(200);
    assert_eq!(found.keys(), key_set(&USER_KEYS));
    assert_eq!(found.body["email"], member.email.as_str());
    assert_eq!(found.body["role"], "user");

    let missing = get(
        &app,
        "/v1/workspaces/users/nonexistent-id",
        Some(&session.token),
    )
    .await;
    missing
        .expect_problem(404, "account.user_not_member")
        .expect_detail("user is not a member of this workspace");
    let foreign = get(
        &app,
        &format!("/v1/workspaces/users/{}", stranger.user.id),
        Some(&session.token),
    )
    .await;
    foreign.expect_problem(404, "account.user_not_member");
    assert_eq!(
        without_instance(&foreign.body),
        without_instance(&missing.body)
    );
}

// ---- roles (scenarios 34–35) -----------------------------------------------------------------

#[tokio::test]
async fn the_owner_promotes_a_member_to_admin() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    let member = add_member(&app, &session, "user").await;
    let promoted = change_role(&app, &session, &member.session.user_id(), "admin").await;
    promoted.expect_status(200);
    assert_eq!(promoted.keys(), key_set(&USER_KEYS));
    assert_eq!(promoted.body["role"], "admin");
    assert_eq!(promoted.body["id"], member.session.user_id().as_str());
    // Setting the same role again is allowed.
    change_role(&app, &session, &member.session.user_id(), "admin")
        .await
        .expect_status(200);
    // Sessions are untouched.
    get(&app, "/v1/users/me", Some(&member.session.token))
        .await
        .expect_status(200);
    for body in [
        json!({"role": "owner"}),
        json!({}),
        json!({"role": "admin", "x": 1}),
    ] {
        patch(
            &app,
            &format!("/v1/workspaces/users/{}/role", member.session.user_id()),
            Some(&session.token),
            body,
        )
        .await
        .expect_problem(400, "request.invalid_body");
    }
}

#[tokio::test]
async fn nobody_changes_their_own_role_or_the_owners_role() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    let admin = add_member(&app, &session, "admin").await;
    let other_admin = add_member(&app, &session, "admin").await;

    change_role(&app, &session, &owner.user.id, "user")
        .await
        .expect_problem(403, "account.cannot_update_own_role")
        .expect_detail("you cannot update your own role");
    change_role(&app, &admin.session, &admin.session.user_id(), "user")
        .await
        .expect_problem(403, "account.cannot_update_own_role");
    change_role(&app, &admin.session, &owner.user.id, "user")
        .await
        .expect_problem(403, "account.cannot_update_owner_role")
        .expect_detail("you cannot update the workspace owner's role");
    // No "last admin" rule: an admin may demote another non-owner admin.
    let demoted = change_role(&app, &admin.session, &other_admin.session.user_id(), "user").await;
    demoted.expect_status(200);
    assert_eq!(demoted.body["role"], "user");
    let owner_row = get(
        &app,
        &format!("/v1/workspaces/users/{}", owner.user.id),
        Some(&session.token),
    )
    .await;
    assert_eq!(owner_row.body["role"], "admin");
}

#[tokio::test]
async fn a_role_change_takes_effect_on_the_next_request() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    let member = add_member(&app, &session, "user").await;
    let token = Some(member.session.token.as_str());
    get(&app, "/v1/workspaces/invitations", token)
        .await
        .expect_problem(403, "account.permission_denied");
    change_role(&app, &session, &member.session.user_id(), "admin")
        .await
        .expect_status(200);
    get(&app, "/v1/workspaces/invitations", token)
        .await
        .expect_status(200);
    assert_eq!(get(&app, "/v1/users/me", token).await.body["role"], "admin");
    change_role(&app, &session, &member.session.user_id(), "user")
        .await
        .expect_status(200);
    get(&app, "/v1/workspaces/invitations", token)
        .await
        .expect_problem(403, "account.permission_denied");
}

#[tokio::test]
async fn the_user_role_is_refused_every_manage_route() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    let user = add_member(&app, &session, "user").await;
    let peer = add_member(&app, &session, "user").await;
    let token = Some(user.session.token.as_str());
    let peer_id = peer.session.user_id();
    let attempts = [
        patch(
            &app,
            &format!("/v1/workspaces/users/{peer_id}/role"),
            token,
            json!({"role": "admin"}),
        )
        .await,
        delete(&app, &format!("/v1/workspaces/users/{peer_id}"), token).await,
        post(
            &app,
            "/v1/workspaces/invitations",
            token,
            json!({"email": "someone@example.com", "role": "user"}),
        )
        .await,
        get(&app, "/v1/workspaces/invitations", token).await,
        delete(&app, "/v1/workspaces/invitations/inv-anything", token).await,
    ];
    for reply in attempts {
        reply
            .expect_problem(403, "account.permission_denied")
            .expect_detail("unauthorized to manage account");
        assert_eq!(reply.body["extensions"]["action"], "manage");
        assert_eq!(reply.body["extensions"]["resource"], "account");
        assert_eq!(reply.title(), "Forbidden");
    }
    assert_eq!(members(&app, &session).await.len(), 3, "nobody was removed");
    // Viewing stays allowed.
    get(&app, &format!("/v1/workspaces/users/{peer_id}"), token)
        .await
        .expect_status(200);
}

#[tokio::test]
async fn an_unknown_stored_role_fails_every_permission_check() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let odd = insert_member(&app, &owner.workspace.id, "superuser").await;
    let token = Some(odd.session.token.as_str());
    get(&app, "/v1/workspaces/users", token)
        .await
        .expect_problem(403, "account.permission_denied")
        .expect_detail("unauthorized to view account");
    get(&app, "/v1/users/me", token).await.expect_status(200);
}

// ---- removal (scenario 36) -------------------------------------------------------------------

#[tokio::test]
async fn the_owner_removes_a_member_who_then_loses_access() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    let member = add_member(&app, &session, "user").await;
    let removed = remove(&app, &session, &member.session.user_id()).await;
    removed.expect_status(204);
    assert!(removed.text.is_empty());
    let list = members(&app, &session).await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["id"], owner.user.id.as_str());
    get(&app, "/v1/users/me", Some(&member.session.token))
        .await
        .expect_problem(404, "resource.not_found")
        .expect_detail("resource not found");
    post(
        &app,
        "/v1/auth/refresh",
        None,
        json!({"refreshToken": member.session.refresh_token}),
    )
    .await
    .expect_problem(401, "account.invalid_token");
    kyora_testkit::accounts::try_login(&app, &member.email, &member.password)
        .await
        .expect_problem(401, "account.invalid_credentials");
    remove(&app, &session, &member.session.user_id())
        .await
        .expect_problem(404, "account.user_not_member");
}

#[tokio::test]
async fn nobody_removes_themselves_or_the_owner() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    let admin = add_member(&app, &session, "admin").await;
    remove(&app, &session, &owner.user.id)
        .await
        .expect_problem(403, "account.cannot_remove_self")
        .expect_detail("you cannot remove yourself from the workspace");
    remove(&app, &admin.session, &admin.session.user_id())
        .await
        .expect_problem(403, "account.cannot_remove_self");
    remove(&app, &admin.session, &owner.user.id)
        .await
        .expect_problem(403, "account.cannot_remove_owner")
        .expect_detail("you cannot remove the workspace owner");
    assert_eq!(members(&app, &session).await.len(), 2);
}

#[tokio::test]
async fn another_workspaces_users_answer_exactly_like_missing_ones() {
    let app = spawn_accounts_app().await;
    let owner = create_owner(&app).await;
    let session = login_owner(&app, &owner).await;
    let stranger_owner = create_owner(&app).await;
    let stranger_session = login_owner(&app, &stranger_owner).await;
    let stranger = add_member(&app, &stranger_session, "user").await;
    let foreign_id = stranger.session.user_id();

    let pairs = [
        (
            change_role(&app, &session, &foreign_id, "admin").await,
            change_role(&app, &session, "usrNoSuchUser", "admin").await,
        ),
        (
            remove(&app, &session, &foreign_id).await,
            remove(&app, &session, "usrNoSuchUser").await,
        ),
        (
            get(
                &app,
                &format!("/v1/workspaces/users/{foreign_id}"),
                Some(&session.token),
            )
            .await,
            get(
                &app,
                "/v1/workspaces/users/usrNoSuchUser",
                Some(&session.token),
            )
            .await,
        ),
    ];
    for (foreign, missing) in pairs {
        foreign.expect_problem(404, "account.user_not_member");
        assert_eq!(
            without_instance(&foreign.body),
            without_instance(&missing.body)
        );
    }
    // The stranger is untouched.
    let me = get(&app, "/v1/users/me", Some(&stranger.session.token)).await;
    me.expect_status(200);
    assert_eq!(me.body["role"], "user");
    // An owner of a workspace without subscription still manages members (no billing gate).
    let unsubscribed = create_owner_with(&app, OwnerSetup::unsubscribed()).await;
    let plain = insert_member(&app, &unsubscribed.workspace.id, "user").await;
    let unsubscribed_session = login_owner(&app, &unsubscribed).await;
    change_role(
        &app,
        &unsubscribed_session,
        &plain.session.user_id(),
        "admin",
    )
    .await
    .expect_status(200);
}
