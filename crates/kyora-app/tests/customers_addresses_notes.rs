//! Customer addresses and notes over real HTTP against the spawned application (spec 02
//! §3.5–3.6; §7 scenarios 40–50).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use kyora_testkit::TestApp;
use kyora_testkit::accounts::{delete, get, key_set, keys, patch, post, spawn_accounts_app};
use kyora_testkit::businesses::{Tenant, create_business, tenant};
use kyora_testkit::customers::{
    address_body, create_address, create_customer, create_note, customer_body, customer_path, id_of,
};
use serde_json::{Value, json};

const ADDRESS_KEYS: [&str; 11] = [
    "id",
    "customerId",
    "countryCode",
    "state",
    "city",
    "street",
    "phoneCode",
    "phoneNumber",
    "zipCode",
    "createdAt",
    "updatedAt",
];

const NOTE_KEYS: [&str; 5] = ["id", "customerId", "content", "createdAt", "updatedAt"];

/// A tenant with the business `shop` and two customers in it.
struct Shop {
    tenant: Tenant,
    alice: String,
    bob: String,
}

impl Shop {
    fn token(&self) -> &str {
        self.tenant.token()
    }
}

async fn shop(app: &TestApp) -> Shop {
    let tenant = tenant(app).await;
    create_business(app, tenant.token(), "shop").await;
    let alice = create_customer(
        app,
        tenant.token(),
        "shop",
        customer_body("Alice", "alice@example.com"),
    )
    .await;
    let bob = create_customer(
        app,
        tenant.token(),
        "shop",
        customer_body("Bob", "bob@example.com"),
    )
    .await;
    Shop {
        alice: id_of(&alice),
        bob: id_of(&bob),
        tenant,
    }
}

fn addresses(customer: &str) -> String {
    customer_path("shop", customer, "/addresses")
}

fn address(customer: &str, id: &str) -> String {
    customer_path("shop", customer, &format!("/addresses/{id}"))
}

fn notes(customer: &str) -> String {
    customer_path("shop", customer, "/notes")
}

fn note(customer: &str, id: &str) -> String {
    customer_path("shop", customer, &format!("/notes/{id}"))
}

async fn list(app: &TestApp, token: &str, path: &str) -> Vec<Value> {
    let reply = get(app, path, Some(token)).await;
    reply.expect_status(200);
    reply
        .body
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {}", reply.text))
        .clone()
}

fn with(mut body: Value, key: &str, value: Value) -> Value {
    if value.is_null() {
        body.as_object_mut().unwrap().remove(key);
    } else {
        body[key] = value;
    }
    body
}

// ---- addresses (scenarios 40–45) --------------------------------------------------------------

#[tokio::test]
async fn a_created_address_echoes_its_fields_with_an_upper_cased_country() {
    let app = spawn_accounts_app().await;
    let s = shop(&app).await;
    let reply = post(&app, &addresses(&s.alice), Some(s.token()), address_body()).await;
    reply.expect_status(201);
    let a = &reply.body;
    assert_eq!(keys(a), key_set(&ADDRESS_KEYS));
    assert!(a["id"].as_str().unwrap().starts_with("addr"));
    assert_eq!(a["customerId"], s.alice.as_str());
    assert_eq!(a["countryCode"], "EG");
    assert_eq!(a["state"], "Cairo");
    assert_eq!(a["city"], "Nasr City");
    assert_eq!(a["street"], "123 Main St");
    assert_eq!(a["phoneCode"], "+20");
    assert_eq!(a["phoneNumber"], "1001234567");
    assert_eq!(a["zipCode"], "11371");
    let bare = create_address(
        &app,
        s.token(),
        "shop",
        &s.alice,
        with(
            with(address_body(), "street", Value::Null),
            "zipCode",
            json!(""),
        ),
    )
    .await;
    assert!(bare.get("street").is_none() && bare.get("zipCode").is_none());
}

#[tokio::test]
async fn invalid_addresses_and_unknown_customers_are_refused() {
    let app = spawn_accounts_app().await;
    let s = shop(&app).await;
    for (key, value) in [
        ("countryCode", Value::Null),
        ("state", Value::Null),
        ("city", Value::Null),
        ("phoneCode", Value::Null),
        ("phoneNumber", json!("")),
        ("countryCode", json!("e")),
        ("unknown", json!(1)),
    ] {
        post(
            &app,
            &addresses(&s.alice),
            Some(s.token()),
            with(address_body(), key, value),
        )
        .await
        .expect_problem(400, "request.invalid_body");
    }
    post(
        &app,
        &addresses("cus_nonexistent"),
        Some(s.token()),
        address_body(),
    )
    .await
    .expect_problem(404, "customer.not_found");
    assert!(list(&app, s.token(), &addresses(&s.alice)).await.is_empty());
}

#[tokio::test]
async fn addresses_are_listed_oldest_first() {
    let app = spawn_accounts_app().await;
    let s = shop(&app).await;
    let mut ids = Vec::new();
    for city in ["Cairo", "Giza", "Alexandria"] {
        let a = create_address(
            &app,
            s.token(),
            "shop",
            &s.alice,
            with(address_body(), "city", json!(city)),
        )
        .await;
        ids.push(id_of(&a));
    }
    create_address(&app, s.token(), "shop", &s.bob, address_body()).await;
    let listed = list(&app, s.token(), &addresses(&s.alice)).await;
    assert_eq!(listed.len(), 3);
    let listed_ids: Vec<String> = listed.iter().map(id_of).collect();
    assert_eq!(listed_ids, ids, "creation order");
    assert!(listed.iter().all(|a| a["customerId"] == s.alice.as_str()));
    get(&app, &addresses("cus_nonexistent"), Some(s.token()))
        .await
        .expect_problem(404, "customer.not_found");
}

#[tokio::test]
async fn an_address_patch_is_persisted_only_through_its_customer() {
    let app = spawn_accounts_app().await;
    let s = shop(&app).await;
    let a = create_address(&app, s.token(), "shop", &s.alice, address_body()).await;
    let id = id_of(&a);
    let reply = patch(
        &app,
        &address(&s.alice, &id),
        Some(s.token()),
        json!({"city": "Giza", "street": "456 Updated St", "state": "", "phoneNumber": " 200 ", "countryCode": "sa"}),
    )
    .await;
    reply.expect_status(200);
    assert_eq!(reply.body["city"], "Giza");
    assert_eq!(reply.body["street"], "456 Updated St");
    assert_eq!(reply.body["state"], "Cairo", "an empty field is unchanged");
    assert_eq!(reply.body["phoneNumber"], "200");
    assert_eq!(reply.body["countryCode"], "SA");
    let listed = list(&app, s.token(), &addresses(&s.alice)).await;
    assert_eq!(listed, std::slice::from_ref(&reply.body));
    patch(
        &app,
        &address(&s.alice, &id),
        Some(s.token()),
        json!({"countryCode": "egy"}),
    )
    .await
    .expect_problem(400, "request.invalid_body");
    patch(
        &app,
        &address(&s.alice, "addr_nonexistent"),
        Some(s.token()),
        json!({"city": "X"}),
    )
    .await
    .expect_problem(404, "customer.address_not_found");
    patch(
        &app,
        &address(&s.bob, &id),
        Some(s.token()),
        json!({"city": "Hijacked"}),
    )
    .await
    .expect_problem(404, "customer.address_not_found");
    patch(
        &app,
        &address("cus_nonexistent", &id),
        Some(s.token()),
        json!({"city": "Hijacked"}),
    )
    .await
    .expect_problem(404, "customer.address_not_found");
    assert_eq!(
        list(&app, s.token(), &addresses(&s.alice)).await,
        [reply.body]
    );
}

#[tokio::test]
async fn an_address_is_deleted_only_through_its_customer() {
    let app = spawn_accounts_app().await;
    let s = shop(&app).await;
    let keep = create_address(&app, s.token(), "shop", &s.alice, address_body()).await;
    let gone = create_address(&app, s.token(), "shop", &s.alice, address_body()).await;
    delete(&app, &address(&s.bob, &id_of(&keep)), Some(s.token()))
        .await
        .expect_problem(404, "customer.address_not_found");
    delete(&app, &address(&s.alice, &id_of(&gone)), Some(s.token()))
        .await
        .expect_status(204);
    delete(&app, &address(&s.alice, &id_of(&gone)), Some(s.token()))
        .await
        .expect_problem(404, "customer.address_not_found");
    delete(
        &app,
        &address(&s.alice, "addr_nonexistent"),
        Some(s.token()),
    )
    .await
    .expect_problem(404, "customer.address_not_found");
    assert_eq!(list(&app, s.token(), &addresses(&s.alice)).await, [keep]);
}

#[tokio::test]
async fn another_workspace_cannot_reach_addresses() {
    let app = spawn_accounts_app().await;
    let s = shop(&app).await;
    let a = create_address(&app, s.token(), "shop", &s.alice, address_body()).await;
    let id = id_of(&a);
    let other = tenant(&app).await;
    create_business(&app, other.token(), "theirs").await;
    let theirs = |rest: &str| customer_path("theirs", &s.alice, rest);
    get(&app, &theirs("/addresses"), Some(other.token()))
        .await
        .expect_problem(404, "customer.not_found");
    patch(
        &app,
        &theirs(&format!("/addresses/{id}")),
        Some(other.token()),
        json!({"city": "Hijacked"}),
    )
    .await
    .expect_problem(404, "customer.address_not_found");
    delete(
        &app,
        &theirs(&format!("/addresses/{id}")),
        Some(other.token()),
    )
    .await
    .expect_problem(404, "customer.address_not_found");
    assert_eq!(list(&app, s.token(), &addresses(&s.alice)).await, [a]);
}

// ---- notes (scenarios 46–50) ------------------------------------------------------------------

#[tokio::test]
async fn a_created_note_keeps_its_content_as_given() {
    let app = spawn_accounts_app().await;
    let s = shop(&app).await;
    let reply = post(
        &app,
        &notes(&s.alice),
        Some(s.token()),
        json!({"content": "  Prefers evening delivery  "}),
    )
    .await;
    reply.expect_status(201);
    assert_eq!(keys(&reply.body), key_set(&NOTE_KEYS));
    assert!(reply.str("id").starts_with("cnote"));
    assert_eq!(reply.body["customerId"], s.alice.as_str());
    assert_eq!(reply.body["content"], "  Prefers evening delivery  ");
    for body in [
        json!({}),
        json!({"content": ""}),
        json!({"content": null}),
        json!({"content": 5}),
        json!({"content": "x", "pinned": true}),
    ] {
        post(&app, &notes(&s.alice), Some(s.token()), body)
            .await
            .expect_problem(400, "request.invalid_body");
    }
    post(
        &app,
        &notes("cus_nonexistent"),
        Some(s.token()),
        json!({"content": "hello"}),
    )
    .await
    .expect_problem(404, "customer.not_found");
}

#[tokio::test]
async fn notes_are_listed_oldest_first_for_their_customer() {
    let app = spawn_accounts_app().await;
    let s = shop(&app).await;
    for content in ["first", "second", "third"] {
        create_note(&app, s.token(), "shop", &s.alice, content).await;
    }
    create_note(&app, s.token(), "shop", &s.bob, "bob's").await;
    let listed = list(&app, s.token(), &notes(&s.alice)).await;
    let contents: Vec<&str> = listed
        .iter()
        .map(|n| n["content"].as_str().unwrap())
        .collect();
    assert_eq!(contents, ["first", "second", "third"]);
    assert!(listed.iter().all(|n| n["customerId"] == s.alice.as_str()));
    get(&app, &notes("cus_nonexistent"), Some(s.token()))
        .await
        .expect_problem(404, "customer.not_found");
}

#[tokio::test]
async fn a_note_is_deleted_only_through_its_customer() {
    let app = spawn_accounts_app().await;
    let s = shop(&app).await;
    let keep = create_note(&app, s.token(), "shop", &s.alice, "keep").await;
    let gone = create_note(&app, s.token(), "shop", &s.alice, "gone").await;
    delete(&app, &note(&s.bob, &id_of(&keep)), Some(s.token()))
        .await
        .expect_problem(404, "customer.note_not_found");
    delete(
        &app,
        &note("cus_nonexistent", &id_of(&keep)),
        Some(s.token()),
    )
    .await
    .expect_problem(404, "customer.note_not_found");
    delete(&app, &note(&s.alice, &id_of(&gone)), Some(s.token()))
        .await
        .expect_status(204);
    delete(&app, &note(&s.alice, "cnote_nonexistent"), Some(s.token()))
        .await
        .expect_problem(404, "customer.note_not_found");
    assert_eq!(list(&app, s.token(), &notes(&s.alice)).await, [keep]);
}

#[tokio::test]
async fn another_workspace_cannot_reach_notes() {
    let app = spawn_accounts_app().await;
    let s = shop(&app).await;
    let n = create_note(&app, s.token(), "shop", &s.alice, "VIP").await;
    let other = tenant(&app).await;
    create_business(&app, other.token(), "theirs").await;
    let theirs = |rest: &str| customer_path("theirs", &s.alice, rest);
    get(&app, &theirs("/notes"), Some(other.token()))
        .await
        .expect_problem(404, "customer.not_found");
    post(
        &app,
        &theirs("/notes"),
        Some(other.token()),
        json!({"content": "planted"}),
    )
    .await
    .expect_problem(404, "customer.not_found");
    delete(
        &app,
        &theirs(&format!("/notes/{}", id_of(&n))),
        Some(other.token()),
    )
    .await
    .expect_problem(404, "customer.note_not_found");
    assert_eq!(list(&app, s.token(), &notes(&s.alice)).await, [n]);
}

#[tokio::test]
async fn the_user_role_lists_notes_but_cannot_write_them() {
    let app = spawn_accounts_app().await;
    let s = shop(&app).await;
    let n = create_note(&app, s.token(), "shop", &s.alice, "VIP").await;
    let user = s.tenant.member(&app, "user").await;
    let token = user.session.token.as_str();
    assert_eq!(
        list(&app, token, &notes(&s.alice)).await,
        std::slice::from_ref(&n)
    );
    post(
        &app,
        &notes(&s.alice),
        Some(token),
        json!({"content": "mine"}),
    )
    .await
    .expect_problem(403, "account.permission_denied");
    delete(&app, &note(&s.alice, &id_of(&n)), Some(token))
        .await
        .expect_problem(403, "account.permission_denied");
    assert_eq!(list(&app, s.token(), &notes(&s.alice)).await, [n]);
}
