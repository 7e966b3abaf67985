//! Shipping zones and payment methods over real HTTP against the spawned application
//! (spec 02 §3.2–3.3, §4.14; §7 scenarios 17–22), and `kyora seed`'s demo business.
//!
//! Scenario 23 (a credit-card order paid at 5 % records a transaction-fee expense) needs orders
//! and accounting, which come with later issues; the fee rule itself is unit-tested in the core
//! (`PaymentMethod::transaction_fee`).
//!
//! Zone writes are throttled to one per second per user, business and operation, so tests that
//! write twice to the same business wait for the next second in between.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use kyora_core::ports::Store as _;
use kyora_testkit::TestApp;
use kyora_testkit::accounts::{
    OwnerSetup, Reply, delete, get, key_set, keys, patch, post, spawn_accounts_app,
};
use kyora_testkit::businesses::{
    Tenant, business_path, create_business, next_second, tenant, tenant_with, zones,
};
use serde_json::{Value, json};

const ZONE_KEYS: [&str; 9] = [
    "id",
    "businessId",
    "name",
    "countries",
    "currency",
    "shippingCost",
    "freeShippingThreshold",
    "createdAt",
    "updatedAt",
];

const PAYMENT_METHOD_KEYS: [&str; 8] = [
    "descriptor",
    "name",
    "logoUrl",
    "enabled",
    "feePercent",
    "feeFixed",
    "defaultFeePercent",
    "defaultFeeFixed",
];

fn zones_path(descriptor: &str) -> String {
    business_path(descriptor, "/shipping-zones")
}

fn zone_path(descriptor: &str, id: &Value) -> String {
    business_path(
        descriptor,
        &format!("/shipping-zones/{}", id.as_str().unwrap()),
    )
}

async fn create_zone(app: &TestApp, token: &str, descriptor: &str, body: Value) -> Reply {
    post(app, &zones_path(descriptor), Some(token), body).await
}

fn gcc() -> Value {
    json!({"name": "GCC", "countries": ["SA", "AE"], "shippingCost": "10", "freeShippingThreshold": "100"})
}

async fn payment_methods(app: &TestApp, token: &str, descriptor: &str) -> Vec<Value> {
    let reply = get(
        app,
        &business_path(descriptor, "/payment-methods"),
        Some(token),
    )
    .await;
    reply.expect_status(200);
    reply.body.as_array().expect("a bare array").clone()
}

async fn update_method(app: &TestApp, token: &str, descriptor: &str, body: Value) -> Reply {
    // One member's payment-method changes must not share a second (the 250 ms throttle).
    next_second().await;
    patch(
        app,
        &business_path("shop", &format!("/payment-methods/{descriptor}")),
        Some(token),
        body,
    )
    .await
}

async fn shop(app: &TestApp) -> Tenant {
    let t = tenant(app).await;
    create_business(app, t.token(), "shop").await;
    t
}

// ---- shipping zones (scenarios 17–20) ---------------------------------------------------------

#[tokio::test]
async fn a_new_zone_takes_the_business_currency_and_the_list_is_ordered_by_name() {
    let app = spawn_accounts_app().await;
    let t = tenant(&app).await;
    let business = create_business(&app, t.token(), "biz-1").await;
    let reply = create_zone(&app, t.token(), "biz-1", gcc()).await;
    reply.expect_status(201);
    let zone = &reply.body;
    assert_eq!(keys(zone), key_set(&ZONE_KEYS));
    assert!(zone["id"].as_str().unwrap().starts_with("sz"));
    assert_eq!(zone["businessId"], business["id"]);
    assert_eq!(zone["currency"], "USD");
    assert_eq!(zone["countries"], json!(["SA", "AE"]));
    assert_eq!(zone["shippingCost"], "10");
    assert_eq!(zone["freeShippingThreshold"], "100");
    let list = zones(&app, t.token(), "biz-1").await;
    let names: Vec<&Value> = list.iter().map(|z| &z["name"]).collect();
    assert_eq!(names, [&json!("EG"), &json!("GCC")]);
    let one = get(&app, &zone_path("biz-1", &zone["id"]), Some(t.token())).await;
    one.expect_status(200);
    assert_eq!(&one.body, zone);
}

#[tokio::test]
async fn zone_countries_are_normalised_and_amounts_default_to_zero() {
    let app = spawn_accounts_app().await;
    let t = shop(&app).await;
    let reply = create_zone(
        &app,
        t.token(),
        "shop",
        json!({"name": "  Levant ", "countries": ["jo", "LB", "Jo"], "shippingCost": 12.5}),
    )
    .await;
    reply.expect_status(201);
    assert_eq!(reply.body["name"], "Levant");
    assert_eq!(reply.body["countries"], json!(["JO", "LB"]));
    assert_eq!(reply.body["shippingCost"], "12.5");
    assert_eq!(reply.body["freeShippingThreshold"], "0");
}

#[tokio::test]
async fn zone_rules_answer_their_own_codes() {
    let app = spawn_accounts_app().await;
    let t = shop(&app).await;
    // Binding failures come before the throttle and cost nothing.
    for body in [
        json!({"name": "Z", "countries": []}),
        json!({"name": "Z", "countries": ["EGY"]}),
        json!({"name": "Z", "countries": vec!["EG"; 51]}),
        json!({"name": "", "countries": ["EG"]}),
        json!({"name": "Z"}),
        json!({"name": "Z", "countries": ["EG"], "currency": "EUR"}),
        json!({"name": "Z", "countries": ["EG"], "shippingCost": "ten"}),
    ] {
        create_zone(&app, t.token(), "shop", body.clone())
            .await
            .expect_problem(400, "request.invalid_body");
    }
    let cases = [
        (
            json!({"name": "   ", "countries": ["SA"]}),
            400,
            "business.shipping_zone_name_required",
        ),
        (
            json!({"name": "n".repeat(81), "countries": ["SA"]}),
            400,
            "business.shipping_zone_name_too_long",
        ),
        (
            json!({"name": "Z", "countries": ["SA"], "shippingCost": "-1"}),
            400,
            "business.shipping_cost_negative",
        ),
        (
            json!({"name": "Z", "countries": ["SA"], "freeShippingThreshold": -5}),
            400,
            "business.free_shipping_threshold_negative",
        ),
        (
            json!({"name": "Z", "countries": [" e"]}),
            400,
            "business.invalid_country_code",
        ),
        (
            json!({"name": " EG ", "countries": ["EG"]}),
            409,
            "business.shipping_zone_name_taken",
        ),
    ];
    for (body, status, code) in cases {
        next_second().await;
        let reply = create_zone(&app, t.token(), "shop", body.clone()).await;
        reply.expect_problem(status, code);
        if status == 409 {
            assert_eq!(reply.body["extensions"]["name"], "EG");
        }
    }
    assert_eq!(zones(&app, t.token(), "shop").await.len(), 1);
}

#[tokio::test]
async fn a_zone_patch_validates_renames_and_resyncs_the_currency() {
    let app = spawn_accounts_app().await;
    let t = shop(&app).await;
    let zone = create_zone(&app, t.token(), "shop", gcc()).await.body;
    patch(
        &app,
        &business_path("shop", ""),
        Some(t.token()),
        json!({"currency": "sar"}),
    )
    .await
    .expect_status(200);
    let path = zone_path("shop", &zone["id"]);
    let reply = patch(
        &app,
        &path,
        Some(t.token()),
        json!({"name": "Gulf", "countries": ["kw"], "shippingCost": "7.50", "freeShippingThreshold": null}),
    )
    .await;
    reply.expect_status(200);
    assert_eq!(reply.body["name"], "Gulf");
    assert_eq!(reply.body["countries"], json!(["KW"]));
    assert_eq!(reply.body["shippingCost"], "7.5");
    assert_eq!(reply.body["freeShippingThreshold"], "100");
    assert_eq!(
        reply.body["currency"], "SAR",
        "the currency follows the business"
    );
    assert_eq!(reply.body["id"], zone["id"]);
    let cases = [
        (
            json!({"name": " "}),
            400,
            "business.shipping_zone_name_empty",
        ),
        (
            json!({"name": "x".repeat(81)}),
            400,
            "business.shipping_zone_name_too_long",
        ),
        (
            json!({"shippingCost": -1}),
            400,
            "business.shipping_cost_negative",
        ),
        (
            json!({"name": "EG"}),
            409,
            "business.shipping_zone_name_taken",
        ),
        (json!({"countries": []}), 400, "request.invalid_body"),
        (json!({"countries": ["K"]}), 400, "request.invalid_body"),
    ];
    for (body, status, code) in cases {
        next_second().await;
        patch(&app, &path, Some(t.token()), body)
            .await
            .expect_problem(status, code);
    }
    let read = get(&app, &path, Some(t.token())).await;
    assert_eq!(read.body["name"], "Gulf", "failed patches changed nothing");
}

#[tokio::test]
async fn a_deleted_zone_is_gone_and_its_name_is_free_again() {
    let app = spawn_accounts_app().await;
    let t = shop(&app).await;
    let zone = create_zone(&app, t.token(), "shop", gcc()).await.body;
    let path = zone_path("shop", &zone["id"]);
    delete(&app, &path, Some(t.token()))
        .await
        .expect_status(204);
    get(&app, &path, Some(t.token()))
        .await
        .expect_problem(404, "business.shipping_zone_not_found");
    next_second().await;
    let reply = delete(&app, &path, Some(t.token())).await;
    reply.expect_problem(404, "business.shipping_zone_not_found");
    assert_eq!(reply.body["extensions"]["zoneId"], zone["id"]);
    create_zone(&app, t.token(), "shop", gcc())
        .await
        .expect_status(201);
}

#[tokio::test]
async fn a_zone_of_another_business_in_the_workspace_reads_as_missing() {
    let app = spawn_accounts_app().await;
    let t = tenant(&app).await;
    create_business(&app, t.token(), "biz-1").await;
    create_business(&app, t.token(), "biz-2").await;
    let zone = create_zone(&app, t.token(), "biz-1", gcc()).await.body;
    let foreign = zone_path("biz-2", &zone["id"]);
    get(&app, &foreign, Some(t.token()))
        .await
        .expect_problem(404, "business.shipping_zone_not_found");
    patch(&app, &foreign, Some(t.token()), json!({"name": "Stolen"}))
        .await
        .expect_problem(404, "business.shipping_zone_not_found");
    delete(&app, &foreign, Some(t.token()))
        .await
        .expect_problem(404, "business.shipping_zone_not_found");
    let own = get(&app, &zone_path("biz-1", &zone["id"]), Some(t.token())).await;
    own.expect_status(200);
    assert_eq!(own.body["name"], "GCC", "unchanged");
}

#[tokio::test]
async fn another_workspace_cannot_reach_the_zones_of_a_business() {
    let app = spawn_accounts_app().await;
    let owner = shop(&app).await;
    let stranger = tenant(&app).await;
    let zone = &zones(&app, owner.token(), "shop").await[0];
    for reply in [
        get(&app, &zones_path("shop"), Some(stranger.token())).await,
        get(
            &app,
            &zone_path("shop", &zone["id"]),
            Some(stranger.token()),
        )
        .await,
        create_zone(&app, stranger.token(), "shop", gcc()).await,
        patch(
            &app,
            &zone_path("shop", &zone["id"]),
            Some(stranger.token()),
            json!({"name": "Mine"}),
        )
        .await,
        delete(
            &app,
            &zone_path("shop", &zone["id"]),
            Some(stranger.token()),
        )
        .await,
    ] {
        reply.expect_status(404);
        assert_eq!(reply.detail(), "business not found");
    }
    assert_eq!(
        zones(&app, owner.token(), "shop").await,
        std::slice::from_ref(zone)
    );
}

#[tokio::test]
async fn the_user_role_lists_zones_but_cannot_write_them() {
    let app = spawn_accounts_app().await;
    let t = shop(&app).await;
    let zone = &zones(&app, t.token(), "shop").await[0];
    let user = t.member(&app, "user").await;
    let token = user.session.token.as_str();
    assert_eq!(zones(&app, token, "shop").await.len(), 1);
    get(&app, &zone_path("shop", &zone["id"]), Some(token))
        .await
        .expect_status(200);
    for reply in [
        create_zone(&app, token, "shop", json!({"name": ""})).await,
        patch(
            &app,
            &zone_path("shop", &zone["id"]),
            Some(token),
            json!({}),
        )
        .await,
        delete(&app, &zone_path("shop", &zone["id"]), Some(token)).await,
    ] {
        reply.expect_problem(403, "account.permission_denied");
    }
}

#[tokio::test]
async fn zone_writes_need_an_active_subscription_but_reads_do_not() {
    let app = spawn_accounts_app().await;
    let t = tenant_with(&app, OwnerSetup::subscribed("professional", "canceled")).await;
    let pool = app.components.businesses.clone();
    let store = app.components.database.clone();
    pool.create_in(
        &store,
        t.workspace_id(),
        kyora_core::business::NewBusiness {
            name: "Lapsed".into(),
            descriptor: "lapsed".into(),
            country_code: "EG".into(),
            currency: "USD".into(),
            ..Default::default()
        },
        None,
    )
    .await
    .unwrap();
    assert_eq!(zones(&app, t.token(), "lapsed").await.len(), 1);
    create_zone(&app, t.token(), "lapsed", gcc())
        .await
        .expect_problem(403, "billing.subscription_not_active");
    update_or_delete_refused(&app, &t).await;
}

async fn update_or_delete_refused(app: &TestApp, t: &Tenant) {
    let zone = &zones(app, t.token(), "lapsed").await[0];
    let path = zone_path("lapsed", &zone["id"]);
    patch(app, &path, Some(t.token()), json!({"name": "x"}))
        .await
        .expect_problem(403, "billing.subscription_not_active");
    delete(app, &path, Some(t.token()))
        .await
        .expect_problem(403, "billing.subscription_not_active");
    patch(
        app,
        &business_path("lapsed", "/payment-methods/paypal"),
        Some(t.token()),
        json!({"enabled": true}),
    )
    .await
    .expect_problem(403, "billing.subscription_not_active");
}

#[tokio::test]
async fn a_second_zone_write_in_the_same_second_is_throttled() {
    let app = spawn_accounts_app().await;
    let t = shop(&app).await;
    next_second().await;
    create_zone(&app, t.token(), "shop", gcc())
        .await
        .expect_status(201);
    let reply = create_zone(
        &app,
        t.token(),
        "shop",
        json!({"name": "Other", "countries": ["OM"]}),
    )
    .await;
    reply.expect_problem(429, "business.rate_limited");
    let colleague = t.member(&app, "admin").await;
    create_zone(
        &app,
        &colleague.session.token,
        "shop",
        json!({"name": "Other", "countries": ["OM"]}),
    )
    .await
    .expect_status(201);
    next_second().await;
    create_zone(
        &app,
        t.token(),
        "shop",
        json!({"name": "Third", "countries": ["QA"]}),
    )
    .await
    .expect_status(201);
}

// ---- payment methods (scenarios 21–22) --------------------------------------------------------

#[tokio::test]
async fn the_catalogue_lists_six_methods_with_their_defaults() {
    let app = spawn_accounts_app().await;
    let t = shop(&app).await;
    let methods = payment_methods(&app, t.token(), "shop").await;
    let descriptors: Vec<&str> = methods
        .iter()
        .map(|m| m["descriptor"].as_str().unwrap())
        .collect();
    assert_eq!(
        descriptors,
        [
            "cash_on_delivery",
            "bank_transfer",
            "credit_card",
            "tamara",
            "tabby",
            "paypal"
        ]
    );
    for method in &methods {
        assert_eq!(keys(method), key_set(&PAYMENT_METHOD_KEYS));
        assert!(!method["name"].as_str().unwrap().is_empty());
        assert_eq!(method["feePercent"], "0");
        assert_eq!(method["feeFixed"], "0");
        assert_eq!(method["logoUrl"], "");
    }
    let enabled: Vec<&Value> = methods.iter().map(|m| &m["enabled"]).collect();
    assert_eq!(
        enabled,
        [
            &json!(true),
            &json!(true),
            &json!(false),
            &json!(false),
            &json!(false),
            &json!(false)
        ]
    );
    let user = t.member(&app, "user").await;
    assert_eq!(
        payment_methods(&app, &user.session.token, "shop").await,
        methods
    );
}

#[tokio::test]
async fn only_a_manager_enables_a_method_and_the_change_is_merged_into_the_list() {
    let app = spawn_accounts_app().await;
    let t = shop(&app).await;
    let other = create_business(&app, t.token(), "other").await;
    let body = json!({"enabled": true, "feePercent": 0.05, "feeFixed": 0});
    let user = t.member(&app, "user").await;
    update_method(&app, &user.session.token, "credit_card", body.clone())
        .await
        .expect_problem(403, "account.permission_denied");
    let reply = update_method(&app, t.token(), "credit_card", body).await;
    reply.expect_status(200);
    assert_eq!(keys(&reply.body), key_set(&PAYMENT_METHOD_KEYS));
    assert_eq!(reply.body["descriptor"], "credit_card");
    assert_eq!(reply.body["name"], "Credit card");
    assert_eq!(reply.body["enabled"], true);
    assert_eq!(reply.body["feePercent"], "0.05");
    assert_eq!(reply.body["feeFixed"], "0");
    assert_eq!(reply.body["defaultFeePercent"], "0");
    let methods = payment_methods(&app, t.token(), "shop").await;
    assert_eq!(methods[2], reply.body);
    let others = payment_methods(&app, t.token(), other["descriptor"].as_str().unwrap()).await;
    assert_eq!(
        others[2]["enabled"], false,
        "settings belong to one business"
    );

    let reply = update_method(
        &app,
        t.token(),
        "%20Credit_Card%20",
        json!({"feeFixed": "1.50"}),
    )
    .await;
    reply.expect_status(200);
    assert_eq!(
        reply.body["enabled"], true,
        "unnamed fields keep their value"
    );
    assert_eq!(reply.body["feePercent"], "0.05");
    assert_eq!(reply.body["feeFixed"], "1.5");
    let reply = update_method(&app, t.token(), "tabby", json!({})).await;
    reply.expect_status(200);
    assert_eq!(reply.body["enabled"], false);
}

#[tokio::test]
async fn payment_method_rules_answer_without_a_code() {
    let app = spawn_accounts_app().await;
    let t = shop(&app).await;
    for (descriptor, body, detail, field) in [
        (
            "credit_card",
            json!({"feePercent": -0.1}),
            "feePercent cannot be negative",
            "feePercent",
        ),
        (
            "credit_card",
            json!({"feePercent": "1.5"}),
            "feePercent must be between 0 and 1",
            "feePercent",
        ),
        (
            "credit_card",
            json!({"feeFixed": -1}),
            "feeFixed cannot be negative",
            "feeFixed",
        ),
    ] {
        let reply = update_method(&app, t.token(), descriptor, body).await;
        reply.expect_status(400);
        assert_eq!(reply.detail(), detail);
        assert_eq!(
            reply.body["extensions"],
            json!({"field": field}),
            "{}",
            reply.text
        );
    }
    let reply = update_method(&app, t.token(), "bitcoin", json!({"enabled": true})).await;
    reply.expect_status(400);
    assert_eq!(reply.detail(), "invalid payment method descriptor");
    assert_eq!(reply.body["extensions"], json!({"descriptor": "bitcoin"}));
    for body in [
        json!({"enabled": "yes"}),
        json!({"fee": 1}),
        json!({"feePercent": "x"}),
    ] {
        update_method(&app, t.token(), "credit_card", body)
            .await
            .expect_problem(400, "request.invalid_body");
    }
    let methods = payment_methods(&app, t.token(), "shop").await;
    assert_eq!(methods[2]["enabled"], false, "nothing was stored");
}

// ---- seeding ----------------------------------------------------------------------------------

#[tokio::test]
async fn seeding_creates_the_demo_business_once() {
    use kyora_app::seed::{DEMO_BUSINESS, DEMO_EMAIL, Seeded, seed};
    let app = spawn_accounts_app().await;
    let store = &app.components.database;
    let demo_businesses = || async {
        let owner = kyora_testkit::accounts::find_user(&app, DEMO_EMAIL)
            .await
            .expect("the demo owner");
        store
            .businesses()
            .list_businesses(&owner.workspace_id)
            .await
            .unwrap()
    };
    let first = seed(&app.components, Some("Demo-Passw0rd!".into()))
        .await
        .unwrap();
    assert!(matches!(first, Seeded::Created { .. }), "{first:?}");
    let businesses = demo_businesses().await;
    assert_eq!(businesses.len(), 1);
    let demo = &businesses[0];
    assert_eq!(demo.descriptor, DEMO_BUSINESS);
    assert_eq!(
        (demo.country_code.as_str(), demo.currency.as_str()),
        ("AE", "AED")
    );
    let demo_zones = store.shipping_zones().list_zones(&demo.id).await.unwrap();
    assert_eq!(demo_zones.len(), 1);
    assert_eq!(demo_zones[0].name, "AE");

    let again = seed(&app.components, None).await.unwrap();
    assert!(matches!(again, Seeded::AlreadyThere { .. }), "{again:?}");
    assert_eq!(demo_businesses().await, businesses, "nothing changed");

    store
        .businesses()
        .delete_business(&demo.workspace_id, &demo.id, chrono::Utc::now())
        .await
        .unwrap();
    let restored = seed(&app.components, None).await.unwrap();
    assert!(
        matches!(restored, Seeded::BusinessAdded { .. }),
        "{restored:?}"
    );
    let businesses = demo_businesses().await;
    assert_eq!(businesses.len(), 1);
    assert_ne!(businesses[0].id, demo.id);
}

#[tokio::test]
async fn a_second_payment_method_change_in_the_same_second_is_throttled() {
    let app = spawn_accounts_app().await;
    let t = shop(&app).await;
    let path = business_path("shop", "/payment-methods/tabby");
    next_second().await;
    patch(&app, &path, Some(t.token()), json!({"enabled": true}))
        .await
        .expect_status(200);
    patch(&app, &path, Some(t.token()), json!({"enabled": false}))
        .await
        .expect_problem(429, "business.rate_limited");
    next_second().await;
    patch(&app, &path, Some(t.token()), json!({"enabled": false}))
        .await
        .expect_status(200);
}
