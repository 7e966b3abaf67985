//! The business rules on the in-memory adapters.

use std::sync::Arc;

use chrono::{Duration, Utc};
use futures::FutureExt;
use rust_decimal_macros::dec;

use super::service::{BusinessDeps, BusinessService};
use super::{
    Business, BusinessChanges, NewBusiness, NewShippingZone, PaymentMethodChanges,
    ShippingZoneChanges,
};
use crate::billing::gates::ActivePlan;
use crate::billing::{Plan, PlanFeatures, PlanLimits, Subscription};
use crate::ports::{Cache, Store, TxOptions, atomic};
use crate::shared::actor::{Actor, Role};
use crate::shared::error::ErrorKind;
use crate::shared::id::{IdPrefix, new_id};
use crate::testing::{ManualClock, MemoryCache, MemoryStore};

struct World {
    service: BusinessService,
    store: Arc<MemoryStore>,
    cache: Arc<MemoryCache>,
    clock: Arc<ManualClock>,
}

fn world() -> World {
    let store = Arc::new(MemoryStore::default());
    let cache = Arc::new(MemoryCache::default());
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let service = BusinessService::new(BusinessDeps {
        store: Arc::clone(&store) as Arc<dyn Store>,
        cache: Arc::clone(&cache) as Arc<dyn Cache>,
        clock: Arc::clone(&clock) as _,
    });
    World {
        service,
        store,
        cache,
        clock,
    }
}

fn actor(role: Role) -> Actor {
    Actor {
        user_id: new_id(IdPrefix::User),
        workspace_id: new_id(IdPrefix::Workspace),
        role: Some(role),
    }
}

fn plan(max_businesses: i64) -> ActivePlan {
    let now = Utc::now();
    let plan = Plan {
        id: new_id(IdPrefix::Plan),
        descriptor: "test".into(),
        name: "Test".into(),
        description: String::new(),
        stripe_plan_id: None,
        price: dec!(0),
        currency: "aed".into(),
        billing_cycle: "monthly".into(),
        features: PlanFeatures::default(),
        limits: PlanLimits {
            max_orders_per_month: -1,
            max_team_members: -1,
            max_businesses,
        },
        created_at: now,
        updated_at: now,
    };
    ActivePlan {
        subscription: Subscription {
            id: new_id(IdPrefix::Subscription),
            workspace_id: String::new(),
            plan_id: plan.id.clone(),
            stripe_sub_id: "sub_test".into(),
            current_period_end: now,
            status: "active".into(),
            created_at: now,
            updated_at: now,
        },
        plan,
    }
}

fn input(descriptor: &str) -> NewBusiness {
    NewBusiness {
        name: "Test Business".into(),
        descriptor: descriptor.into(),
        country_code: "eg".into(),
        currency: "usd".into(),
        vat_rate: dec!(0.14),
        safety_buffer: dec!(100.50),
        ..NewBusiness::default()
    }
}

async fn create(w: &World, who: &Actor, descriptor: &str) -> Business {
    w.service
        .create(who, &plan(-1), input(descriptor))
        .await
        .unwrap()
}

fn zone_input(name: &str, countries: &[&str]) -> NewShippingZone {
    NewShippingZone {
        name: name.into(),
        countries: countries.iter().map(|c| (*c).to_owned()).collect(),
        shipping_cost: dec!(10),
        free_shipping_threshold: dec!(100),
    }
}

/// Moves the clock past the zone throttles' one-second minimum interval.
fn next_second(w: &World) {
    w.clock.advance(Duration::seconds(1));
}

#[tokio::test]
async fn a_new_business_comes_with_its_default_zone_in_one_transaction() {
    let w = world();
    let owner = actor(Role::Admin);
    let business = create(&w, &owner, "Test-Business").await;
    assert_eq!(business.descriptor, "test-business");
    assert_eq!(business.workspace_id, owner.workspace_id);
    assert_eq!(business.country_code, "EG");
    assert_eq!(business.currency, "USD");
    let zones = w.service.zones(&business).await.unwrap();
    assert_eq!(zones.len(), 1);
    assert_eq!(zones[0].name, "EG");
    assert_eq!(zones[0].countries, ["EG"]);
    assert_eq!(zones[0].currency, "USD");
    assert_eq!(zones[0].shipping_cost, dec!(0));
}

#[tokio::test]
async fn a_failed_creation_leaves_neither_business_nor_zone() {
    let w = world();
    let owner = actor(Role::Admin);
    create(&w, &owner, "shop").await;
    let before = w.store.snapshot();
    let err = w
        .service
        .create(&owner, &plan(-1), input(" SHOP "))
        .await
        .unwrap_err();
    assert_eq!(err.code, "business.descriptor_taken");
    assert_eq!(err.kind, ErrorKind::Conflict);
    assert_eq!(err.extensions["descriptor"], "shop");
    assert_eq!(w.store.snapshot(), before);
}

#[tokio::test]
async fn an_outer_failure_rolls_back_a_business_created_inside_it() {
    let w = world();
    let owner = actor(Role::Admin);
    let store: &dyn Store = &*w.store;
    let err = atomic(store, TxOptions::default(), |tx| {
        let service = w.service.clone();
        let owner = owner.clone();
        async move {
            service
                .create_in(tx, &owner.workspace_id, input("inner"), None)
                .await?;
            Err::<(), _>(crate::DomainError::conflict())
        }
        .boxed()
    })
    .await
    .unwrap_err();
    assert_eq!(err.code, "resource.conflict");
    assert!(w.store.snapshot().businesses.is_empty());
    assert!(w.store.snapshot().shipping_zones.is_empty());
}

#[tokio::test]
async fn the_same_descriptor_is_free_in_another_workspace_and_after_deletion() {
    let w = world();
    let owner = actor(Role::Admin);
    let other = actor(Role::Admin);
    create(&w, &owner, "shop").await;
    assert!(
        !w.service
            .is_descriptor_available(&owner, Some("SHOP"))
            .await
            .unwrap()
    );
    assert!(
        w.service
            .is_descriptor_available(&other, Some("shop"))
            .await
            .unwrap()
    );
    create(&w, &other, "shop").await;
    w.service.delete(&owner, "shop").await.unwrap();
    assert!(
        w.service
            .is_descriptor_available(&owner, Some("shop"))
            .await
            .unwrap()
    );
    let again = create(&w, &owner, "shop").await;
    assert_eq!(w.service.get(&owner, "shop").await.unwrap().id, again.id);
}

#[tokio::test]
async fn availability_refuses_missing_blank_and_malformed_descriptors_distinctly() {
    let w = world();
    let owner = actor(Role::Admin);
    for missing in [None, Some("")] {
        let err = w
            .service
            .is_descriptor_available(&owner, missing)
            .await
            .unwrap_err();
        assert_eq!(
            (err.code, err.detail.as_str()),
            ("", "invalid query parameters")
        );
        assert_eq!(err.kind, ErrorKind::BadRequest);
    }
    let err = w
        .service
        .is_descriptor_available(&owner, Some("   "))
        .await
        .unwrap_err();
    assert_eq!(err.code, "business.descriptor_required");
    let err = w
        .service
        .is_descriptor_available(&owner, Some("a_b"))
        .await
        .unwrap_err();
    assert_eq!(err.code, "business.descriptor_invalid");
}

#[tokio::test]
async fn the_business_limit_counts_only_live_unarchived_businesses() {
    let w = world();
    let owner = actor(Role::Admin);
    let one = plan(1);
    w.service
        .create(&owner, &one, input("first"))
        .await
        .unwrap();
    let err = w
        .service
        .create(&owner, &one, input("second"))
        .await
        .unwrap_err();
    assert_eq!(err.code, "billing.feature_limit_reached");
    assert_eq!(err.extensions["feature"], "limits.maxBusinesses");
    assert_eq!(err.extensions["limit"], 1);
    assert_eq!(
        w.service
            .check_business_limit(&owner, &one)
            .await
            .unwrap_err()
            .code,
        "billing.feature_limit_reached"
    );
    w.service.archive(&owner, "first").await.unwrap();
    w.service.check_business_limit(&owner, &one).await.unwrap();
    w.service
        .create(&owner, &one, input("second"))
        .await
        .unwrap();
    w.service.delete(&owner, "second").await.unwrap();
    w.service
        .create(&owner, &one, input("third"))
        .await
        .unwrap();
    assert_eq!(
        w.service
            .unarchive(&owner, "first")
            .await
            .map(|()| "unarchiving ignores the limit"),
        Ok("unarchiving ignores the limit")
    );
    assert_eq!(w.service.list(&owner).await.unwrap().len(), 2);
    let zero = plan(0);
    let fresh = actor(Role::Admin);
    assert_eq!(
        w.service
            .create(&fresh, &zero, input("blocked"))
            .await
            .unwrap_err()
            .code,
        "billing.feature_limit_reached"
    );
}

#[tokio::test]
async fn businesses_are_listed_oldest_first_with_archived_ones_and_per_workspace() {
    let w = world();
    let owner = actor(Role::Admin);
    let other = actor(Role::Admin);
    let first = create(&w, &owner, "first").await;
    w.clock.advance(Duration::seconds(1));
    let second = create(&w, &owner, "second").await;
    create(&w, &other, "elsewhere").await;
    w.service.archive(&owner, "first").await.unwrap();
    let ids: Vec<String> = w
        .service
        .list(&owner)
        .await
        .unwrap()
        .into_iter()
        .map(|b| b.id)
        .collect();
    assert_eq!(ids, [first.id, second.id]);
}

#[tokio::test]
async fn getting_a_business_normalises_the_path_and_hides_other_workspaces() {
    let w = world();
    let owner = actor(Role::Admin);
    let other = actor(Role::Admin);
    let business = create(&w, &owner, "test-business").await;
    for path in ["TEST-BUSINESS", "Test-Business", " test-business "] {
        assert_eq!(w.service.get(&owner, path).await.unwrap().id, business.id);
    }
    assert_eq!(
        w.service
            .get(&other, "test-business")
            .await
            .unwrap_err()
            .code,
        "resource.not_found"
    );
    assert_eq!(
        w.service.get(&owner, "unknown").await.unwrap_err().code,
        "resource.not_found"
    );
    assert_eq!(
        w.service.get(&owner, "bad_one").await.unwrap_err().code,
        "business.descriptor_invalid"
    );
}

#[tokio::test]
async fn the_resolver_answers_one_codeless_404_for_every_failure_and_resolves_archived_ones() {
    let w = world();
    let owner = actor(Role::Admin);
    let other = actor(Role::Admin);
    let business = create(&w, &owner, "shop").await;
    w.service.archive(&owner, "shop").await.unwrap();
    assert_eq!(
        w.service.resolve(&owner, " SHOP ").await.unwrap().id,
        business.id
    );
    for (who, path) in [
        (&other, "shop"),
        (&owner, "nope"),
        (&owner, "x"),
        (&owner, "a_b"),
    ] {
        let err = w.service.resolve(who, path).await.unwrap_err();
        assert_eq!(err.kind, ErrorKind::NotFound, "{path}");
        assert_eq!((err.code, err.detail.as_str()), ("", "business not found"));
    }
    w.service.delete(&owner, "shop").await.unwrap();
    assert!(w.service.resolve(&owner, "shop").await.is_err());
}

#[tokio::test]
async fn a_patch_keeps_the_id_renames_the_descriptor_and_refuses_a_taken_one() {
    let w = world();
    let owner = actor(Role::Admin);
    let other = actor(Role::Admin);
    let business = create(&w, &owner, "shop").await;
    create(&w, &owner, "taken").await;
    let updated = w
        .service
        .update(
            &owner,
            "shop",
            BusinessChanges {
                name: Some("Updated Name".into()),
                ..BusinessChanges::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (
            updated.id.as_str(),
            updated.name.as_str(),
            updated.descriptor.as_str()
        ),
        (business.id.as_str(), "Updated Name", "shop")
    );
    let renamed = w
        .service
        .update(
            &owner,
            "shop",
            BusinessChanges {
                descriptor: Some("NEW-Descriptor".into()),
                ..BusinessChanges::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(renamed.descriptor, "new-descriptor");
    assert_eq!(
        w.service.get(&owner, "new-descriptor").await.unwrap().id,
        business.id
    );
    let taken = BusinessChanges {
        descriptor: Some("taken".into()),
        ..BusinessChanges::default()
    };
    assert_eq!(
        w.service
            .update(&owner, "new-descriptor", taken.clone())
            .await
            .unwrap_err()
            .code,
        "business.descriptor_taken"
    );
    assert_eq!(
        w.service
            .update(&other, "new-descriptor", taken)
            .await
            .unwrap_err()
            .code,
        "resource.not_found"
    );
    let blank = BusinessChanges {
        descriptor: Some(String::new()),
        ..BusinessChanges::default()
    };
    assert_eq!(
        w.service
            .update(&owner, "new-descriptor", blank)
            .await
            .unwrap_err()
            .code,
        "business.descriptor_required"
    );
}

#[tokio::test]
async fn changing_the_currency_leaves_existing_zones_in_the_old_one() {
    let w = world();
    let owner = actor(Role::Admin);
    create(&w, &owner, "shop").await;
    let business = w
        .service
        .update(
            &owner,
            "shop",
            BusinessChanges {
                currency: Some("eur".into()),
                ..BusinessChanges::default()
            },
        )
        .await
        .unwrap();
    let zones = w.service.zones(&business).await.unwrap();
    assert_eq!(zones[0].currency, "USD");
    let zone = w
        .service
        .update_zone(
            &owner,
            &business,
            &zones[0].id,
            ShippingZoneChanges::default(),
        )
        .await
        .unwrap();
    assert_eq!(zone.currency, "EUR", "an edit re-syncs the zone");
}

#[tokio::test]
async fn archiving_twice_keeps_the_first_time_and_unarchiving_clears_it() {
    let w = world();
    let owner = actor(Role::Admin);
    create(&w, &owner, "shop").await;
    w.service.archive(&owner, "shop").await.unwrap();
    let archived_at = w.service.get(&owner, "shop").await.unwrap().archived_at;
    assert!(archived_at.is_some());
    w.clock.advance(Duration::minutes(3));
    w.service.archive(&owner, "shop").await.unwrap();
    assert_eq!(
        w.service.get(&owner, "shop").await.unwrap().archived_at,
        archived_at
    );
    w.service.unarchive(&owner, "shop").await.unwrap();
    assert_eq!(
        w.service.get(&owner, "shop").await.unwrap().archived_at,
        None
    );
    let other = actor(Role::Admin);
    assert_eq!(
        w.service.archive(&other, "shop").await.unwrap_err().code,
        "resource.not_found"
    );
}

#[tokio::test]
async fn deleting_a_business_keeps_its_zones() {
    let w = world();
    let owner = actor(Role::Admin);
    let business = create(&w, &owner, "shop").await;
    w.service.delete(&owner, "shop").await.unwrap();
    assert_eq!(
        w.service.get(&owner, "shop").await.unwrap_err().code,
        "resource.not_found"
    );
    assert_eq!(
        w.service.delete(&owner, "shop").await.unwrap_err().code,
        "resource.not_found"
    );
    assert_eq!(w.service.zones(&business).await.unwrap().len(), 1);
}

#[tokio::test]
async fn zones_are_created_in_the_business_currency_and_listed_by_name() {
    let w = world();
    let owner = actor(Role::Admin);
    let business = create(&w, &owner, "shop").await;
    let gcc = w
        .service
        .create_zone(&owner, &business, zone_input("GCC", &["sa", "AE"]))
        .await
        .unwrap();
    assert_eq!(gcc.currency, "USD");
    assert_eq!(gcc.countries, ["SA", "AE"]);
    next_second(&w);
    w.service
        .create_zone(&owner, &business, zone_input("Africa", &["NG"]))
        .await
        .unwrap();
    let names: Vec<String> = w
        .service
        .zones(&business)
        .await
        .unwrap()
        .into_iter()
        .map(|z| z.name)
        .collect();
    assert_eq!(names, ["Africa", "EG", "GCC"]);
    assert_eq!(w.service.zone(&business, &gcc.id).await.unwrap(), gcc);
}

#[tokio::test]
async fn a_zone_of_another_business_reads_as_missing_everywhere() {
    let w = world();
    let owner = actor(Role::Admin);
    let one = create(&w, &owner, "biz-1").await;
    let two = create(&w, &owner, "biz-2").await;
    let zone = w
        .service
        .create_zone(&owner, &one, zone_input("GCC", &["SA"]))
        .await
        .unwrap();
    let err = w.service.zone(&two, &zone.id).await.unwrap_err();
    assert_eq!(err.code, "business.shipping_zone_not_found");
    assert_eq!(err.extensions["zoneId"], zone.id.as_str());
    assert_eq!(
        w.service
            .update_zone(&owner, &two, &zone.id, ShippingZoneChanges::default())
            .await
            .unwrap_err()
            .code,
        "business.shipping_zone_not_found"
    );
    assert_eq!(
        w.service
            .delete_zone(&owner, &two, &zone.id)
            .await
            .unwrap_err()
            .code,
        "business.shipping_zone_not_found"
    );
    assert_eq!(w.service.zone(&one, &zone.id).await.unwrap().id, zone.id);
}

#[tokio::test]
async fn a_zone_name_is_unique_among_live_zones_of_a_business() {
    let w = world();
    let owner = actor(Role::Admin);
    let business = create(&w, &owner, "shop").await;
    let err = w
        .service
        .create_zone(&owner, &business, zone_input(" EG ", &["EG"]))
        .await
        .unwrap_err();
    assert_eq!(err.code, "business.shipping_zone_name_taken");
    assert_eq!(err.extensions["name"], "EG");
    next_second(&w);
    let gcc = w
        .service
        .create_zone(&owner, &business, zone_input("GCC", &["SA"]))
        .await
        .unwrap();
    let err = w
        .service
        .update_zone(
            &owner,
            &business,
            &gcc.id,
            ShippingZoneChanges {
                name: Some("EG".into()),
                ..ShippingZoneChanges::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.code, "business.shipping_zone_name_taken");
    let default_zone = w
        .service
        .zones(&business)
        .await
        .unwrap()
        .into_iter()
        .find(|z| z.name == "EG")
        .unwrap();
    w.service
        .delete_zone(&owner, &business, &default_zone.id)
        .await
        .unwrap();
    next_second(&w);
    w.service
        .create_zone(&owner, &business, zone_input("EG", &["EG"]))
        .await
        .unwrap();
}

#[tokio::test]
async fn zone_writes_are_throttled_per_business_user_and_operation() {
    let w = world();
    let owner = actor(Role::Admin);
    let colleague = Actor {
        user_id: new_id(IdPrefix::User),
        ..owner.clone()
    };
    let business = create(&w, &owner, "shop").await;
    w.service
        .create_zone(&owner, &business, zone_input("A", &["SA"]))
        .await
        .unwrap();
    let err = w
        .service
        .create_zone(&owner, &business, zone_input("B", &["SA"]))
        .await
        .unwrap_err();
    assert_eq!(err.code, "business.rate_limited");
    assert_eq!(err.kind, ErrorKind::TooManyRequests);
    w.service
        .create_zone(&colleague, &business, zone_input("C", &["SA"]))
        .await
        .unwrap();
    let zone = w.service.zones(&business).await.unwrap().remove(0);
    w.service
        .update_zone(&owner, &business, &zone.id, ShippingZoneChanges::default())
        .await
        .unwrap();
    next_second(&w);
    w.service
        .create_zone(&owner, &business, zone_input("B", &["SA"]))
        .await
        .unwrap();
    let snapshot = w.store.snapshot().shipping_zones.len();
    let err = w
        .service
        .create_zone(&owner, &business, zone_input("   ", &["SA"]))
        .await
        .unwrap_err();
    assert_eq!(
        err.code, "business.rate_limited",
        "the throttle runs before the rules"
    );
    assert_eq!(w.store.snapshot().shipping_zones.len(), snapshot);
}

#[tokio::test]
async fn the_sixty_first_zone_creation_in_a_minute_is_refused() {
    let w = world();
    let owner = actor(Role::Admin);
    let business = create(&w, &owner, "shop").await;
    for i in 0..60 {
        w.service
            .create_zone(&owner, &business, zone_input(&format!("Z{i}"), &["SA"]))
            .await
            .unwrap_or_else(|err| panic!("zone {i}: {err}"));
        next_second(&w);
    }
    assert_eq!(
        w.service
            .create_zone(&owner, &business, zone_input("Z60", &["SA"]))
            .await
            .unwrap_err()
            .code,
        "business.rate_limited"
    );
}

#[tokio::test]
async fn the_throttle_fails_open_when_the_cache_is_down() {
    let w = world();
    let owner = actor(Role::Admin);
    let business = create(&w, &owner, "shop").await;
    w.cache.set_available(false);
    for name in ["A", "B", "C"] {
        w.service
            .create_zone(&owner, &business, zone_input(name, &["SA"]))
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn payment_methods_merge_settings_created_lazily_from_the_defaults() {
    let w = world();
    let owner = actor(Role::Admin);
    let business = create(&w, &owner, "shop").await;
    let other = create(&w, &owner, "other").await;
    let methods = w.service.payment_methods(&business).await.unwrap();
    assert_eq!(methods.len(), 6);
    assert!(w.store.snapshot().payment_settings.is_empty());
    let card = w
        .service
        .update_payment_method(
            &owner,
            &business,
            " Credit_Card ",
            PaymentMethodChanges {
                enabled: Some(true),
                fee_percent: Some(dec!(0.05)),
                fee_fixed: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(card.descriptor, "credit_card");
    assert!(card.enabled);
    assert_eq!(card.fee_percent, dec!(0.05));
    assert_eq!(card.fee_fixed, dec!(0));
    let methods = w.service.payment_methods(&business).await.unwrap();
    assert_eq!(methods[2], card);
    assert!(!w.service.payment_methods(&other).await.unwrap()[2].enabled);
    let effective = w
        .service
        .payment_method(&business.id, "credit_card")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(effective.transaction_fee(dec!(57)), Some(dec!(2.85)));
    assert_eq!(
        w.service
            .payment_method(&business.id, "cash")
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn a_second_payment_change_updates_the_same_row() {
    let w = world();
    let owner = actor(Role::Admin);
    let business = create(&w, &owner, "shop").await;
    for fee in [dec!(0.5), dec!(2)] {
        w.clock.advance(chrono::Duration::seconds(1));
        w.service
            .update_payment_method(
                &owner,
                &business,
                "paypal",
                PaymentMethodChanges {
                    fee_fixed: Some(fee),
                    ..PaymentMethodChanges::default()
                },
            )
            .await
            .unwrap();
    }
    let rows = w.store.snapshot().payment_settings;
    assert_eq!(rows.len(), 1);
    let row = rows.values().next().unwrap();
    assert_eq!(row.fee_fixed, dec!(2));
    assert!(!row.enabled, "the catalogue default was kept");
    w.clock.advance(chrono::Duration::seconds(1));
    let unchanged = w
        .service
        .update_payment_method(&owner, &business, "paypal", PaymentMethodChanges::default())
        .await
        .unwrap();
    assert_eq!(
        unchanged.fee_fixed,
        dec!(2),
        "an empty change keeps the settings"
    );
}

#[tokio::test]
async fn payment_changes_check_fees_before_the_descriptor_and_after_the_throttle() {
    let w = world();
    let owner = actor(Role::Admin);
    let business = create(&w, &owner, "shop").await;
    let negative = PaymentMethodChanges {
        fee_percent: Some(dec!(-1)),
        ..PaymentMethodChanges::default()
    };
    let err = w
        .service
        .update_payment_method(&owner, &business, "nope", negative)
        .await
        .unwrap_err();
    assert_eq!(err.detail, "feePercent cannot be negative");
    w.clock.advance(chrono::Duration::seconds(1));
    let err = w
        .service
        .update_payment_method(&owner, &business, " NOPE ", PaymentMethodChanges::default())
        .await
        .unwrap_err();
    assert_eq!(
        (err.code, err.detail.as_str()),
        ("", "invalid payment method descriptor")
    );
    assert_eq!(err.extensions["descriptor"], "nope");
    assert!(w.store.snapshot().payment_settings.is_empty());
    for _ in 0..118 {
        w.clock.advance(chrono::Duration::seconds(1));
        w.service
            .update_payment_method(&owner, &business, "tabby", PaymentMethodChanges::default())
            .await
            .unwrap();
    }
    w.clock.advance(chrono::Duration::seconds(1));
    assert_eq!(
        w.service
            .update_payment_method(&owner, &business, "tabby", PaymentMethodChanges::default())
            .await
            .unwrap_err()
            .code,
        "business.rate_limited",
        "the 121st change in a minute"
    );
}
