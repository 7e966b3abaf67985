//! Businesses over real HTTP against the spawned application (spec 02 §3.0–3.1, §4.1–4.4;
//! §7 scenarios 1–16), the business resolver of business-scoped routes, tenancy and roles.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use kyora_testkit::accounts::{
    OwnerSetup, delete, get, key_set, keys, patch, post, spawn_accounts_app,
};
use kyora_testkit::businesses::{
    business_body, business_path, create_business, tenant, tenant_with, try_create_business, zones,
};
use serde_json::{Value, json};

/// The keys of a BusinessResponse without logo and archive time (spec 02 §2.1).
const BUSINESS_KEYS: [&str; 25] = [
    "id",
    "workspaceId",
    "descriptor",
    "name",
    "brand",
    "countryCode",
    "currency",
    "storefrontPublicId",
    "storefrontEnabled",
    "storefrontTheme",
    "supportEmail",
    "phoneNumber",
    "whatsappNumber",
    "address",
    "websiteUrl",
    "instagramUrl",
    "facebookUrl",
    "tiktokUrl",
    "xUrl",
    "snapchatUrl",
    "vatRate",
    "safetyBuffer",
    "establishedAt",
    "createdAt",
    "updatedAt",
];

fn with(mut body: Value, key: &str, value: Value) -> Value {
    body[key] = value;
    body
}

fn without(mut body: Value, key: &str) -> Value {
    body.as_object_mut().unwrap().remove(key);
    body
}

// ---- creation (scenarios 1–7) -----------------------------------------------------------------

#[tokio::test]
async fn a_created_business_is_the_only_key_with_normalised_codes_and_per_field_decimals() {
    let app = spawn_accounts_app().await;
    let t = tenant(&app).await;
    let reply = try_create_business(
        &app,
        t.token(),
        json!({
            "name": "Test Business",
            "descriptor": "test-business",
            "countryCode": "eg",
            "currency": "usd",
            "vatRate": "0.14",
            "safetyBuffer": "100.50",
            "establishedAt": "2020-01-01"
        }),
    )
    .await;
    reply.expect_status(201);
    assert_eq!(reply.keys(), key_set(&["business"]));
    let business = &reply.body["business"];
    assert_eq!(keys(business), key_set(&BUSINESS_KEYS));
    assert_eq!(business["countryCode"], "EG");
    assert_eq!(business["currency"], "USD");
    assert_eq!(business["vatRate"], "0.14");
    assert_eq!(business["safetyBuffer"], "100.50");
    assert_eq!(business["establishedAt"], "2020-01-01T00:00:00Z");
    assert_eq!(business["workspaceId"], t.workspace_id());
    assert_eq!(business["descriptor"], "test-business");
    assert_eq!(business["storefrontEnabled"], false);
    assert!(business.get("workspace").is_none());
    assert!(business["id"].as_str().unwrap().starts_with("bus"));
    assert!(
        business["storefrontPublicId"]
            .as_str()
            .unwrap()
            .starts_with("sf")
    );
    let theme = &business["storefrontTheme"];
    assert_eq!(
        keys(theme),
        key_set(&[
            "primaryColor",
            "secondaryColor",
            "accentColor",
            "backgroundColor",
            "textColor",
            "fontFamily",
            "headingFontFamily"
        ])
    );
    assert_eq!(theme["primaryColor"], "");
}

#[tokio::test]
async fn a_new_business_has_exactly_its_default_shipping_zone() {
    let app = spawn_accounts_app().await;
    let t = tenant(&app).await;
    let business = create_business(&app, t.token(), "test-business").await;
    let list = zones(&app, t.token(), "test-business").await;
    assert_eq!(list.len(), 1);
    let zone = &list[0];
    assert_eq!(zone["name"], "EG");
    assert_eq!(zone["countries"], json!(["EG"]));
    assert_eq!(zone["currency"], "USD");
    assert_eq!(zone["shippingCost"], "0");
    assert_eq!(zone["freeShippingThreshold"], "0");
    assert_eq!(zone["businessId"], business["id"]);
}

#[tokio::test]
async fn descriptors_and_codes_are_normalised_on_creation() {
    let app = spawn_accounts_app().await;
    let t = tenant(&app).await;
    for (raw, normalised) in [
        ("TEST-Business", "test-business"),
        ("  test-BIZ  ", "test-biz"),
    ] {
        let business = create_business(&app, t.token(), raw).await;
        assert_eq!(business["descriptor"], normalised);
    }
    let reply = try_create_business(
        &app,
        t.token(),
        json!({"name": "US", "descriptor": "us-shop", "countryCode": "US", "currency": "eur"}),
    )
    .await;
    reply.expect_status(201);
    assert_eq!(reply.body["business"]["countryCode"], "US");
    assert_eq!(reply.body["business"]["currency"], "EUR");
    assert_eq!(reply.body["business"]["vatRate"], "0");
    assert_eq!(reply.body["business"]["safetyBuffer"], "0.00");
}

#[tokio::test]
async fn invalid_creation_bodies_are_refused_with_400() {
    let app = spawn_accounts_app().await;
    let t = tenant(&app).await;
    let valid = business_body("valid-shop");
    for body in [
        without(valid.clone(), "name"),
        without(valid.clone(), "descriptor"),
        without(valid.clone(), "countryCode"),
        without(valid.clone(), "currency"),
        with(valid.clone(), "countryCode", json!("e")),
        with(valid.clone(), "currency", json!("us")),
        with(valid.clone(), "supportEmail", json!("nope")),
        with(valid.clone(), "websiteUrl", json!("not a url")),
        with(valid.clone(), "vatRate", json!("abc")),
        with(valid.clone(), "establishedAt", json!("yesterday")),
        with(valid.clone(), "storefrontTheme", json!({"nope": "x"})),
        with(valid.clone(), "workspaceId", json!("wrk1")),
    ] {
        try_create_business(&app, t.token(), body.clone())
            .await
            .expect_problem(400, "request.invalid_body");
    }
    let reply = try_create_business(
        &app,
        t.token(),
        with(valid.clone(), "descriptor", json!("test_business")),
    )
    .await;
    reply.expect_problem(400, "business.descriptor_invalid");
    assert_eq!(reply.body["extensions"]["descriptor"], "test_business");
    assert_eq!(
        reply.body["extensions"]["hint"],
        "use lowercase letters, numbers, and hyphens"
    );
    try_create_business(
        &app,
        t.token(),
        with(valid.clone(), "descriptor", json!("   ")),
    )
    .await
    .expect_problem(400, "business.descriptor_required");
    try_create_business(
        &app,
        t.token(),
        with(valid.clone(), "countryCode", json!(" e")),
    )
    .await
    .expect_problem(400, "business.invalid_country_code");
    try_create_business(
        &app,
        t.token(),
        with(valid.clone(), "currency", json!("us ")),
    )
    .await
    .expect_problem(400, "business.invalid_currency");
    let listed = get(&app, "/v1/businesses", Some(t.token())).await;
    assert_eq!(listed.body["businesses"], json!([]), "nothing was created");
}

#[tokio::test]
async fn a_taken_descriptor_conflicts_only_within_its_workspace() {
    let app = spawn_accounts_app().await;
    let one = tenant(&app).await;
    let two = tenant(&app).await;
    create_business(&app, one.token(), "test-business").await;
    let reply = try_create_business(&app, one.token(), business_body("TEST-business")).await;
    reply.expect_problem(409, "business.descriptor_taken");
    assert_eq!(reply.body["extensions"]["descriptor"], "test-business");
    create_business(&app, two.token(), "test-business").await;
}

#[tokio::test]
async fn creation_needs_a_token_the_manage_permission_and_an_active_subscription() {
    let app = spawn_accounts_app().await;
    let t = tenant(&app).await;
    let reply = post(&app, "/v1/businesses", None, business_body("shop")).await;
    reply.expect_status(401);
    let user = t.member(&app, "user").await;
    let reply = try_create_business(&app, &user.session.token, json!({"name": ""})).await;
    reply.expect_problem(403, "account.permission_denied");
    assert_eq!(reply.body["extensions"]["action"], "manage");
    assert_eq!(reply.body["extensions"]["resource"], "business");
    let unsubscribed = tenant_with(&app, OwnerSetup::unsubscribed()).await;
    try_create_business(&app, unsubscribed.token(), business_body("shop"))
        .await
        .expect_problem(403, "billing.subscription_not_active");
    let past_due = tenant_with(&app, OwnerSetup::subscribed("professional", "past_due")).await;
    try_create_business(&app, past_due.token(), json!({}))
        .await
        .expect_problem(403, "billing.subscription_not_active");
    let trialing = tenant_with(&app, OwnerSetup::subscribed("professional", "trialing")).await;
    create_business(&app, trialing.token(), "shop").await;
}

#[tokio::test]
async fn the_business_limit_counts_only_live_unarchived_businesses() {
    let app = spawn_accounts_app().await;
    let t = tenant_with(&app, OwnerSetup::subscribed("starter", "active")).await;
    create_business(&app, t.token(), "first").await;
    let reply = try_create_business(&app, t.token(), business_body("second")).await;
    reply.expect_problem(403, "billing.feature_limit_reached");
    assert_eq!(reply.body["extensions"]["feature"], "limits.maxBusinesses");
    assert_eq!(reply.body["extensions"]["limit"], 1);
    let reply = try_create_business(&app, t.token(), json!({"broken": true})).await;
    reply.expect_problem(403, "billing.feature_limit_reached");

    post(
        &app,
        &business_path("first", "/archive"),
        Some(t.token()),
        json!(null),
    )
    .await
    .expect_status(204);
    create_business(&app, t.token(), "second").await;
    delete(&app, &business_path("second", ""), Some(t.token()))
        .await
        .expect_status(204);
    create_business(&app, t.token(), "third").await;
    post(
        &app,
        &business_path("first", "/unarchive"),
        Some(t.token()),
        json!(null),
    )
    .await
    .expect_status(204);
    let listed = get(&app, "/v1/businesses", Some(t.token())).await;
    assert_eq!(listed.body["businesses"].as_array().unwrap().len(), 2);
}

// ---- reading (scenarios 8–10) -----------------------------------------------------------------

#[tokio::test]
async fn a_business_is_found_by_its_descriptor_in_any_case() {
    let app = spawn_accounts_app().await;
    let t = tenant(&app).await;
    let business = create_business(&app, t.token(), "test-business").await;
    for path in [
        "test-business",
        "TEST-BUSINESS",
        "Test-Business",
        "%20test-business%20",
    ] {
        let reply = get(&app, &business_path(path, ""), Some(t.token())).await;
        reply.expect_status(200);
        assert_eq!(reply.keys(), key_set(&["business"]));
        assert_eq!(reply.body["business"], business, "{path}");
    }
}

#[tokio::test]
async fn unknown_foreign_and_malformed_descriptors_are_refused() {
    let app = spawn_accounts_app().await;
    let one = tenant(&app).await;
    let two = tenant(&app).await;
    create_business(&app, two.token(), "theirs").await;
    for path in ["unknown", "theirs"] {
        get(&app, &business_path(path, ""), Some(one.token()))
            .await
            .expect_problem(404, "resource.not_found");
    }
    get(&app, &business_path("bad_one", ""), Some(one.token()))
        .await
        .expect_problem(400, "business.descriptor_invalid");
    get(&app, &business_path("theirs", ""), None)
        .await
        .expect_status(401);
}

#[tokio::test]
async fn the_list_holds_the_workspace_businesses_oldest_first_archived_included() {
    let app = spawn_accounts_app().await;
    let one = tenant(&app).await;
    let two = tenant(&app).await;
    let first = create_business(&app, one.token(), "first").await;
    let second = create_business(&app, one.token(), "second").await;
    create_business(&app, two.token(), "other").await;
    post(
        &app,
        &business_path("first", "/archive"),
        Some(one.token()),
        json!(null),
    )
    .await
    .expect_status(204);
    let reply = get(&app, "/v1/businesses", Some(one.token())).await;
    reply.expect_status(200);
    assert_eq!(reply.keys(), key_set(&["businesses"]));
    let ids: Vec<&Value> = reply.body["businesses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| &b["id"])
        .collect();
    assert_eq!(ids, [&first["id"], &second["id"]]);
    let reply = get(&app, "/v1/businesses", Some(two.token())).await;
    assert_eq!(reply.body["businesses"].as_array().unwrap().len(), 1);
}

// ---- changing (scenarios 11–15) ---------------------------------------------------------------

#[tokio::test]
async fn a_patch_changes_only_the_fields_it_names() {
    let app = spawn_accounts_app().await;
    let t = tenant(&app).await;
    let created = create_business(&app, t.token(), "test-business").await;
    let path = business_path("test-business", "");
    let reply = patch(
        &app,
        &path,
        Some(t.token()),
        json!({"name": "Updated Name"}),
    )
    .await;
    reply.expect_status(200);
    assert_eq!(reply.keys(), key_set(&["business"]));
    let updated = &reply.body["business"];
    assert_eq!(updated["name"], "Updated Name");
    assert_eq!(updated["descriptor"], "test-business");
    assert_eq!(updated["id"], created["id"]);
    assert_eq!(updated["storefrontPublicId"], created["storefrontPublicId"]);

    let reply = patch(
        &app,
        &path,
        Some(t.token()),
        json!({
            "brand": "  Brand ",
            "currency": "eur",
            "vatRate": 0.05,
            "safetyBuffer": "12.345",
            "storefrontEnabled": true,
            "storefrontTheme": {"primaryColor": "#123456"},
            "logo": {"url": "https://cdn.example.com/logo.png", "metadata": {"altText": "Logo"}},
            "supportEmail": "help@shop.example",
            "websiteUrl": "https://shop.example",
            "establishedAt": "2021-06-30T10:00:00Z",
            "name": null
        }),
    )
    .await;
    reply.expect_status(200);
    let updated = &reply.body["business"];
    assert_eq!(
        updated["name"], "Updated Name",
        "null leaves a field unchanged"
    );
    assert_eq!(updated["brand"], "Brand");
    assert_eq!(updated["currency"], "EUR");
    assert_eq!(updated["vatRate"], "0.05");
    assert_eq!(updated["safetyBuffer"], "12.35");
    assert_eq!(updated["storefrontEnabled"], true);
    assert_eq!(updated["storefrontTheme"]["primaryColor"], "#123456");
    assert_eq!(updated["storefrontTheme"]["textColor"], "");
    assert_eq!(
        updated["logo"],
        json!({"url": "https://cdn.example.com/logo.png", "metadata": {"altText": "Logo"}})
    );
    assert_eq!(updated["establishedAt"], "2021-06-30T00:00:00Z");
    let read = get(&app, &path, Some(t.token())).await;
    assert_eq!(&read.body["business"], updated, "the change was stored");
    let zone = &zones(&app, t.token(), "test-business").await[0];
    assert_eq!(
        zone["currency"], "USD",
        "a currency change leaves the zones alone"
    );

    for body in [
        json!({"supportEmail": ""}),
        json!({"websiteUrl": ""}),
        json!({"descriptor": 7}),
        json!({"unknown": 1}),
        json!({"storefrontId": "sf1"}),
    ] {
        patch(&app, &path, Some(t.token()), body.clone())
            .await
            .expect_problem(400, "request.invalid_body");
    }
    patch(&app, &path, Some(t.token()), json!({"countryCode": ""}))
        .await
        .expect_problem(400, "business.invalid_country_code");
    patch(&app, &path, Some(t.token()), json!({"currency": "euro"}))
        .await
        .expect_problem(400, "business.invalid_currency");
    patch(&app, &path, Some(t.token()), json!({"descriptor": ""}))
        .await
        .expect_problem(400, "business.descriptor_required");
    let reply = patch(&app, &path, Some(t.token()), json!({"name": ""})).await;
    reply.expect_status(200);
    assert_eq!(reply.body["business"]["name"], "");
}

#[tokio::test]
async fn a_descriptor_can_be_renamed_and_the_business_keeps_its_id() {
    let app = spawn_accounts_app().await;
    let t = tenant(&app).await;
    let created = create_business(&app, t.token(), "test-business").await;
    let reply = patch(
        &app,
        &business_path("test-business", ""),
        Some(t.token()),
        json!({"descriptor": "NEW-Descriptor"}),
    )
    .await;
    reply.expect_status(200);
    assert_eq!(reply.body["business"]["descriptor"], "new-descriptor");
    assert_eq!(reply.body["business"]["id"], created["id"]);
    get(&app, &business_path("new-descriptor", ""), Some(t.token()))
        .await
        .expect_status(200);
    get(&app, &business_path("test-business", ""), Some(t.token()))
        .await
        .expect_problem(404, "resource.not_found");
    zones(&app, t.token(), "new-descriptor").await;
}

#[tokio::test]
async fn a_patch_to_a_taken_descriptor_conflicts_and_foreign_businesses_are_404() {
    let app = spawn_accounts_app().await;
    let one = tenant(&app).await;
    let two = tenant(&app).await;
    create_business(&app, one.token(), "mine").await;
    create_business(&app, one.token(), "taken").await;
    create_business(&app, two.token(), "theirs").await;
    let reply = patch(
        &app,
        &business_path("mine", ""),
        Some(one.token()),
        json!({"descriptor": "TAKEN"}),
    )
    .await;
    reply.expect_problem(409, "business.descriptor_taken");
    assert_eq!(reply.body["extensions"]["descriptor"], "taken");
    patch(
        &app,
        &business_path("theirs", ""),
        Some(one.token()),
        json!({"name": "Hijacked"}),
    )
    .await
    .expect_problem(404, "resource.not_found");
    let theirs = get(&app, &business_path("theirs", ""), Some(two.token())).await;
    assert_eq!(theirs.body["business"]["name"], "Test Business");
    for rest in ["/archive", "/unarchive"] {
        post(
            &app,
            &business_path("theirs", rest),
            Some(one.token()),
            json!(null),
        )
        .await
        .expect_problem(404, "resource.not_found");
    }
    delete(&app, &business_path("theirs", ""), Some(one.token()))
        .await
        .expect_problem(404, "resource.not_found");
    get(&app, &business_path("theirs", ""), Some(two.token()))
        .await
        .expect_status(200);
}

#[tokio::test]
async fn archiving_twice_keeps_the_first_time_and_unarchiving_clears_it() {
    let app = spawn_accounts_app().await;
    let t = tenant(&app).await;
    create_business(&app, t.token(), "test-business").await;
    let path = business_path("test-business", "");
    let archive = business_path("test-business", "/archive");
    let reply = post(&app, &archive, Some(t.token()), json!(null)).await;
    reply.expect_status(204);
    assert!(reply.text.is_empty());
    let archived_at =
        get(&app, &path, Some(t.token())).await.body["business"]["archivedAt"].clone();
    assert!(archived_at.is_string(), "{archived_at}");
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    post(&app, &archive, Some(t.token()), json!(null))
        .await
        .expect_status(204);
    let again = get(&app, &path, Some(t.token())).await;
    assert_eq!(again.body["business"]["archivedAt"], archived_at);
    zones(&app, t.token(), "test-business").await;
    post(
        &app,
        &business_path("test-business", "/unarchive"),
        Some(t.token()),
        json!(null),
    )
    .await
    .expect_status(204);
    let cleared = get(&app, &path, Some(t.token())).await;
    assert!(cleared.body["business"].get("archivedAt").is_none());
    post(
        &app,
        &business_path("bad_one", "/archive"),
        Some(t.token()),
        json!(null),
    )
    .await
    .expect_problem(400, "business.descriptor_invalid");
}

#[tokio::test]
async fn a_deleted_business_is_gone_and_its_descriptor_is_free_again() {
    let app = spawn_accounts_app().await;
    let t = tenant(&app).await;
    let first = create_business(&app, t.token(), "test-business").await;
    let path = business_path("test-business", "");
    let reply = delete(&app, &path, Some(t.token())).await;
    reply.expect_status(204);
    get(&app, &path, Some(t.token()))
        .await
        .expect_problem(404, "resource.not_found");
    let gone = get(
        &app,
        &business_path("test-business", "/shipping-zones"),
        Some(t.token()),
    )
    .await;
    gone.expect_status(404);
    delete(&app, &path, Some(t.token()))
        .await
        .expect_problem(404, "resource.not_found");
    let listed = get(&app, "/v1/businesses", Some(t.token())).await;
    assert_eq!(listed.body["businesses"], json!([]));
    let again = create_business(&app, t.token(), "test-business").await;
    assert_ne!(again["id"], first["id"]);
}

// ---- availability (scenario 16) ---------------------------------------------------------------

#[tokio::test]
async fn availability_follows_the_live_businesses_of_the_workspace() {
    let app = spawn_accounts_app().await;
    let one = tenant(&app).await;
    let two = tenant(&app).await;
    let check = |token: String, descriptor: &'static str| {
        let app = &app;
        async move {
            get(
                app,
                &format!("/v1/businesses/descriptor/availability?descriptor={descriptor}"),
                Some(&token),
            )
            .await
        }
    };
    let reply = check(one.token().to_owned(), "test-business").await;
    reply.expect_status(200);
    assert_eq!(reply.body, json!({"available": true}));
    create_business(&app, one.token(), "test-business").await;
    assert_eq!(
        check(one.token().to_owned(), "TEST-business").await.body,
        json!({"available": false})
    );
    assert_eq!(
        check(two.token().to_owned(), "test-business").await.body,
        json!({"available": true})
    );
    for query in ["", "?descriptor=", "?other=x"] {
        let reply = get(
            &app,
            &format!("/v1/businesses/descriptor/availability{query}"),
            Some(one.token()),
        )
        .await;
        reply.expect_status(400);
        assert_eq!(reply.detail(), "invalid query parameters");
        assert!(reply.body.get("extensions").is_none(), "{}", reply.text);
    }
    check(one.token().to_owned(), "%20%20")
        .await
        .expect_problem(400, "business.descriptor_required");
    let reply = check(one.token().to_owned(), "a_b").await;
    reply.expect_problem(400, "business.descriptor_invalid");
    assert_eq!(reply.body["extensions"]["descriptor"], "a_b");
    let user = one.member(&app, "user").await;
    assert_eq!(
        check(user.session.token.clone(), "test-business")
            .await
            .body,
        json!({"available": false}),
        "view:business is enough"
    );
}

// ---- roles and the resolver -------------------------------------------------------------------

#[tokio::test]
async fn the_user_role_reads_businesses_but_is_refused_every_manage_route() {
    let app = spawn_accounts_app().await;
    let t = tenant(&app).await;
    create_business(&app, t.token(), "shop").await;
    let user = t.member(&app, "user").await;
    let token = Some(user.session.token.as_str());
    get(&app, "/v1/businesses", token).await.expect_status(200);
    get(&app, &business_path("shop", ""), token)
        .await
        .expect_status(200);
    let refused = [
        try_create_business(&app, &user.session.token, business_body("mine")).await,
        patch(
            &app,
            &business_path("shop", ""),
            token,
            json!({"name": "x"}),
        )
        .await,
        post(&app, &business_path("shop", "/archive"), token, json!(null)).await,
        post(
            &app,
            &business_path("shop", "/unarchive"),
            token,
            json!(null),
        )
        .await,
        delete(&app, &business_path("shop", ""), token).await,
    ];
    for reply in refused {
        reply.expect_problem(403, "account.permission_denied");
        assert_eq!(reply.body["extensions"]["resource"], "business");
    }
    get(&app, &business_path("shop", ""), Some(t.token()))
        .await
        .expect_status(200);
}

#[tokio::test]
async fn the_resolver_answers_one_codeless_404_before_any_permission_check() {
    let app = spawn_accounts_app().await;
    let one = tenant(&app).await;
    let two = tenant(&app).await;
    create_business(&app, two.token(), "theirs").await;
    let user = one.member(&app, "user").await;
    for (token, descriptor) in [
        (one.token(), "unknown"),
        (one.token(), "theirs"),
        (one.token(), "bad_descriptor"),
        (user.session.token.as_str(), "unknown"),
    ] {
        for reply in [
            get(
                &app,
                &business_path(descriptor, "/shipping-zones"),
                Some(token),
            )
            .await,
            post(
                &app,
                &business_path(descriptor, "/shipping-zones"),
                Some(token),
                json!({"name": "Z", "countries": ["EG"]}),
            )
            .await,
            get(
                &app,
                &business_path(descriptor, "/payment-methods"),
                Some(token),
            )
            .await,
            patch(
                &app,
                &business_path(descriptor, "/payment-methods/credit_card"),
                Some(token),
                json!({}),
            )
            .await,
        ] {
            reply.expect_status(404);
            assert_eq!(reply.detail(), "business not found", "{}", reply.text);
            assert!(reply.body.get("extensions").is_none(), "{}", reply.text);
            assert!(
                reply.content_type.starts_with("application/problem+json"),
                "{}",
                reply.content_type
            );
        }
    }
    get(&app, &business_path("theirs", "/shipping-zones"), None)
        .await
        .expect_status(401);
}

#[tokio::test]
async fn an_archived_business_still_serves_its_sub_resources() {
    let app = spawn_accounts_app().await;
    let t = tenant(&app).await;
    create_business(&app, t.token(), "shop").await;
    post(
        &app,
        &business_path("shop", "/archive"),
        Some(t.token()),
        json!(null),
    )
    .await
    .expect_status(204);
    assert_eq!(zones(&app, t.token(), "SHOP").await.len(), 1);
    let reply = post(
        &app,
        &business_path("shop", "/shipping-zones"),
        Some(t.token()),
        json!({"name": "GCC", "countries": ["SA"]}),
    )
    .await;
    reply.expect_status(201);
    get(
        &app,
        &business_path("shop", "/payment-methods"),
        Some(t.token()),
    )
    .await
    .expect_status(200);
}
