//! The customer rules on the in-memory store.

use std::sync::Arc;

use chrono::{Duration, SubsecRound, Utc};

use super::model::{AddressInput, CustomerInput};
use super::query::{CustomerListParams, CustomerListQuery};
use super::{Customer, CustomerService, Gender};
use crate::ports::Store;
use crate::shared::actor::{Actor, Role};
use crate::shared::clock::Clock;
use crate::shared::error::ErrorKind;
use crate::testing::{ManualClock, MemoryStore};

struct World {
    service: CustomerService,
    store: Arc<MemoryStore>,
    clock: Arc<ManualClock>,
    admin: Actor,
    user: Actor,
}

const BUSINESS: &str = "bus-one";
const OTHER_BUSINESS: &str = "bus-two";

fn world() -> World {
    let store = Arc::new(MemoryStore::default());
    // A clock with nanoseconds, which stores keep only to the microsecond.
    let clock = Arc::new(ManualClock::new(
        Utc::now().trunc_subsecs(0) + Duration::nanoseconds(123_456_789),
    ));
    let service = CustomerService::new(
        Arc::clone(&store) as Arc<dyn Store>,
        Arc::clone(&clock) as _,
    );
    let actor = |role| Actor {
        user_id: "usr1".into(),
        workspace_id: "wrk1".into(),
        role: Some(role),
    };
    World {
        service,
        store,
        clock,
        admin: actor(Role::Admin),
        user: actor(Role::User),
    }
}

fn input(name: &str, email: &str) -> CustomerInput {
    CustomerInput {
        name: Some(name.into()),
        email: Some(email.into()),
        country_code: Some("eg".into()),
        gender: Some("male".into()),
        phone_number: Some("1001234567".into()),
        phone_code: Some("+20".into()),
        ..CustomerInput::default()
    }
}

fn address() -> AddressInput {
    AddressInput {
        country_code: Some("eg".into()),
        state: Some("Cairo".into()),
        city: Some("Nasr City".into()),
        street: Some("123 Main St".into()),
        phone_code: Some("+20".into()),
        phone_number: Some("1001234567".into()),
        zip_code: Some("11371".into()),
    }
}

fn query(params: CustomerListParams) -> CustomerListQuery {
    CustomerListQuery::new(params).unwrap()
}

async fn create(w: &World, business: &str, name: &str, email: &str) -> Customer {
    let customer = w
        .service
        .create(&w.admin, business, input(name, email))
        .await
        .unwrap();
    w.clock.advance(Duration::seconds(1));
    customer
}

#[tokio::test]
async fn a_created_customer_is_stored_in_its_business_and_joins_now_to_the_microsecond() {
    let w = world();
    let now = w.clock.now().trunc_subsecs(6);
    let customer = create(&w, BUSINESS, "Alice Wonder", "alice@example.com").await;
    assert_eq!(customer.business_id, BUSINESS);
    assert_eq!(customer.country_code, "EG");
    assert_eq!(customer.gender, Gender::Male);
    assert_eq!(customer.joined_at, now);
    assert_eq!(customer.joined_at.timestamp_subsec_nanos(), 123_456_000);
    let stored = w.store.snapshot().customers;
    assert_eq!(stored.get(&customer.id).map(|(c, _)| c), Some(&customer));
    assert!(customer.id.starts_with("cus"));
}

#[tokio::test]
async fn a_duplicate_email_is_refused_in_the_same_business_only() {
    let w = world();
    create(&w, BUSINESS, "Alice", "alice@example.com").await;
    let err = w
        .service
        .create(&w.admin, BUSINESS, input("Alice 2", "alice@example.com"))
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind, err.code),
        (ErrorKind::Conflict, "customer.duplicate_email")
    );
    create(&w, OTHER_BUSINESS, "Alice", "alice@example.com").await;
    create(&w, BUSINESS, "Alice Upper", "Alice@example.com").await;
}

#[tokio::test]
async fn several_customers_may_have_no_email() {
    let w = world();
    create(&w, BUSINESS, "One", "").await;
    create(&w, BUSINESS, "Two", "").await;
    let page = w
        .service
        .list(&w.admin, BUSINESS, &query(CustomerListParams::default()))
        .await
        .unwrap();
    assert_eq!(page.total_count, 2);
}

#[tokio::test]
async fn a_deleted_customers_email_can_be_used_again() {
    let w = world();
    let first = create(&w, BUSINESS, "Alice", "alice@example.com").await;
    w.service
        .delete(&w.admin, BUSINESS, &first.id)
        .await
        .unwrap();
    create(&w, BUSINESS, "Alice Again", "alice@example.com").await;
}

#[tokio::test]
async fn the_user_role_views_but_never_manages() {
    let w = world();
    let customer = create(&w, BUSINESS, "Alice", "alice@example.com").await;
    assert!(w.service.get(&w.user, BUSINESS, &customer.id).await.is_ok());
    assert!(
        w.service
            .list(&w.user, BUSINESS, &query(CustomerListParams::default()))
            .await
            .is_ok()
    );
    let denied = [
        w.service
            .create(&w.user, BUSINESS, CustomerInput::default())
            .await
            .map(drop),
        w.service
            .update(&w.user, BUSINESS, &customer.id, CustomerInput::default())
            .await
            .map(drop),
        w.service.delete(&w.user, BUSINESS, &customer.id).await,
        w.service
            .add_address(&w.user, BUSINESS, &customer.id, address())
            .await
            .map(drop),
        w.service
            .add_note(&w.user, BUSINESS, &customer.id, Some("hi".into()))
            .await
            .map(drop),
        w.service
            .delete_note(&w.user, BUSINESS, &customer.id, "cnote1")
            .await,
        w.service
            .delete_address(&w.user, BUSINESS, &customer.id, "addr1")
            .await,
    ];
    for result in denied {
        assert_eq!(result.unwrap_err().code, "account.permission_denied");
    }
}

#[tokio::test]
async fn another_business_reads_every_customer_route_as_missing() {
    let w = world();
    let customer = create(&w, BUSINESS, "Alice", "alice@example.com").await;
    let addr = w
        .service
        .add_address(&w.admin, BUSINESS, &customer.id, address())
        .await
        .unwrap();
    let note = w
        .service
        .add_note(&w.admin, BUSINESS, &customer.id, Some("VIP".into()))
        .await
        .unwrap();
    let s = &w.service;
    let a = &w.admin;
    let id = customer.id.as_str();
    let codes = [
        s.get(a, OTHER_BUSINESS, id).await.map(drop),
        s.update(a, OTHER_BUSINESS, id, input("X", ""))
            .await
            .map(drop),
        s.delete(a, OTHER_BUSINESS, id).await,
        s.addresses(a, OTHER_BUSINESS, id).await.map(drop),
        s.add_address(a, OTHER_BUSINESS, id, address())
            .await
            .map(drop),
        s.update_address(a, OTHER_BUSINESS, id, &addr.id, AddressInput::default())
            .await
            .map(drop),
        s.delete_address(a, OTHER_BUSINESS, id, &addr.id).await,
        s.notes(a, OTHER_BUSINESS, id).await.map(drop),
        s.add_note(a, OTHER_BUSINESS, id, Some("x".into()))
            .await
            .map(drop),
        s.delete_note(a, OTHER_BUSINESS, id, &note.id).await,
    ]
    .map(|r| r.unwrap_err().code);
    assert_eq!(
        codes,
        [
            "customer.not_found",
            "customer.not_found",
            "customer.not_found",
            "customer.not_found",
            "customer.not_found",
            "customer.address_not_found",
            "customer.address_not_found",
            "customer.not_found",
            "customer.not_found",
            "customer.note_not_found",
        ]
    );
    let state = w.store.snapshot();
    assert_eq!(state.customers[id], (customer.clone(), None));
    assert_eq!(state.customer_addresses[&addr.id], (addr, None));
    assert_eq!(state.customer_notes[&note.id], (note, None));
}

#[tokio::test]
async fn a_patch_changes_only_the_given_fields_and_keeps_join_time() {
    let w = world();
    let customer = create(&w, BUSINESS, "John", "john@example.com").await;
    let updated = w
        .service
        .update(
            &w.admin,
            BUSINESS,
            &customer.id,
            CustomerInput {
                name: Some("John Updated".into()),
                gender: Some("other".into()),
                email: Some(String::new()),
                ..CustomerInput::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.name, "John Updated");
    assert_eq!(updated.gender, Gender::Other);
    assert_eq!(updated.email.as_deref(), Some("john@example.com"));
    assert_eq!(updated.joined_at, customer.joined_at);
    assert!(updated.updated_at > customer.updated_at);
    let stored = w
        .service
        .get(&w.admin, BUSINESS, &customer.id)
        .await
        .unwrap();
    assert_eq!(stored, updated);
}

#[tokio::test]
async fn a_patch_is_validated_before_the_customer_is_looked_up() {
    let w = world();
    let err = w
        .service
        .update(
            &w.admin,
            BUSINESS,
            "cus_nonexistent",
            CustomerInput {
                email: Some("bad".into()),
                ..CustomerInput::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.code, "request.invalid_body");
    let err = w
        .service
        .update(
            &w.admin,
            BUSINESS,
            "cus_nonexistent",
            CustomerInput::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code, "customer.not_found");
}

#[tokio::test]
async fn changing_to_a_taken_email_is_a_conflict_and_changes_nothing() {
    let w = world();
    create(&w, BUSINESS, "Alice", "alice@example.com").await;
    let bob = create(&w, BUSINESS, "Bob", "bob@example.com").await;
    let err = w
        .service
        .update(
            &w.admin,
            BUSINESS,
            &bob.id,
            CustomerInput {
                name: Some("Bobby".into()),
                email: Some("alice@example.com".into()),
                ..CustomerInput::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.code, "customer.duplicate_email");
    assert_eq!(
        w.service.get(&w.admin, BUSINESS, &bob.id).await.unwrap(),
        bob
    );
}

#[tokio::test]
async fn a_deleted_customer_is_gone_from_reads_and_cannot_be_deleted_twice() {
    let w = world();
    let customer = create(&w, BUSINESS, "Alice", "alice@example.com").await;
    w.service
        .add_note(&w.admin, BUSINESS, &customer.id, Some("n".into()))
        .await
        .unwrap();
    w.service
        .delete(&w.admin, BUSINESS, &customer.id)
        .await
        .unwrap();
    assert_eq!(
        w.service
            .get(&w.admin, BUSINESS, &customer.id)
            .await
            .unwrap_err()
            .code,
        "customer.not_found"
    );
    assert_eq!(
        w.service
            .delete(&w.admin, BUSINESS, &customer.id)
            .await
            .unwrap_err()
            .code,
        "customer.not_found"
    );
    let page = w
        .service
        .list(&w.admin, BUSINESS, &query(CustomerListParams::default()))
        .await
        .unwrap();
    assert_eq!(page.total_count, 0);
    let state = w.store.snapshot();
    assert!(state.customers[&customer.id].1.is_some());
    assert!(
        state
            .customer_notes
            .values()
            .all(|(_, deleted)| deleted.is_none()),
        "notes are untouched by the customer's deletion"
    );
}

#[tokio::test]
async fn lists_page_newest_first_and_count_every_match() {
    let w = world();
    for i in 0..15 {
        create(
            &w,
            BUSINESS,
            &format!("Customer {i:02}"),
            &format!("c{i}@example.com"),
        )
        .await;
    }
    create(&w, OTHER_BUSINESS, "Elsewhere", "else@example.com").await;
    let first = w
        .service
        .list(
            &w.admin,
            BUSINESS,
            &query(CustomerListParams {
                page_size: Some(10),
                ..CustomerListParams::default()
            }),
        )
        .await
        .unwrap();
    assert_eq!(
        (first.items.len(), first.total_count, first.has_more),
        (10, 15, true)
    );
    assert_eq!(first.total_pages, 2);
    assert_eq!(first.items[0].name, "Customer 14");
    let second = w
        .service
        .list(
            &w.admin,
            BUSINESS,
            &query(CustomerListParams {
                page: Some(2),
                page_size: Some(10),
                ..CustomerListParams::default()
            }),
        )
        .await
        .unwrap();
    assert_eq!((second.items.len(), second.has_more), (5, false));
    assert_eq!(second.items[4].name, "Customer 00");
}

#[tokio::test]
async fn search_country_and_platform_filters_combine() {
    let w = world();
    let with =
        |name: &str, country: &str, insta: Option<&str>, tiktok: Option<&str>| CustomerInput {
            country_code: Some(country.into()),
            instagram_username: insta.map(Into::into),
            tiktok_username: tiktok.map(Into::into),
            ..input(name, "")
        };
    for customer in [
        with("Alice Wonder", "EG", Some("alice.w"), None),
        with("Bob Builder", "SA", None, Some("bobtok")),
        with("Carol Egypt", "eg", None, None),
        with("Dan Insta", "AE", Some("dan"), None),
    ] {
        w.service
            .create(&w.admin, BUSINESS, customer)
            .await
            .unwrap();
    }
    let names = |page: crate::shared::list::Page<Customer>| {
        let mut names: Vec<String> = page.items.into_iter().map(|c| c.name).collect();
        names.sort();
        names
    };
    let list = |params| async {
        w.service
            .list(&w.admin, BUSINESS, &query(params))
            .await
            .unwrap()
    };
    let p = CustomerListParams::default;
    assert_eq!(
        names(
            list(CustomerListParams {
                search: Some("ALICE".into()),
                ..p()
            })
            .await
        ),
        ["Alice Wonder"]
    );
    assert_eq!(
        names(
            list(CustomerListParams {
                country_code: Some("eg".into()),
                ..p()
            })
            .await
        ),
        ["Alice Wonder", "Carol Egypt"]
    );
    assert_eq!(
        names(
            list(CustomerListParams {
                social_platforms: vec!["instagram".into(), "TIKTOK".into()],
                ..p()
            })
            .await
        ),
        ["Alice Wonder", "Bob Builder", "Dan Insta"]
    );
    assert_eq!(
        names(
            list(CustomerListParams {
                country_code: Some("EG".into()),
                social_platforms: vec!["instagram".into()],
                ..p()
            })
            .await
        ),
        ["Alice Wonder"]
    );
    assert_eq!(
        names(
            list(CustomerListParams {
                search: Some("bobtok".into()),
                ..p()
            })
            .await
        ),
        ["Bob Builder"]
    );
}

#[tokio::test]
async fn addresses_belong_to_their_customer() {
    let w = world();
    let alice = create(&w, BUSINESS, "Alice", "alice@example.com").await;
    let bob = create(&w, BUSINESS, "Bob", "bob@example.com").await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let a = w
            .service
            .add_address(&w.admin, BUSINESS, &alice.id, address())
            .await
            .unwrap();
        assert_eq!(
            (a.country_code.as_str(), a.customer_id.as_str()),
            ("EG", alice.id.as_str())
        );
        ids.push(a.id);
        w.clock.advance(Duration::seconds(1));
    }
    let listed: Vec<String> = w
        .service
        .addresses(&w.admin, BUSINESS, &alice.id)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(listed, ids, "oldest first");
    let patch = AddressInput {
        city: Some("Giza".into()),
        street: Some("456 Updated St".into()),
        ..AddressInput::default()
    };
    let updated = w
        .service
        .update_address(&w.admin, BUSINESS, &alice.id, &ids[0], patch.clone())
        .await
        .unwrap();
    assert_eq!(
        (updated.city.as_str(), updated.state.as_str()),
        ("Giza", "Cairo")
    );
    let wrong = w
        .service
        .update_address(&w.admin, BUSINESS, &bob.id, &ids[1], patch)
        .await
        .unwrap_err();
    assert_eq!(wrong.code, "customer.address_not_found");
    let wrong = w
        .service
        .delete_address(&w.admin, BUSINESS, &bob.id, &ids[1])
        .await
        .unwrap_err();
    assert_eq!(wrong.code, "customer.address_not_found");
    w.service
        .delete_address(&w.admin, BUSINESS, &alice.id, &ids[1])
        .await
        .unwrap();
    assert_eq!(
        w.service
            .addresses(&w.admin, BUSINESS, &alice.id)
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        w.service
            .addresses(&w.admin, BUSINESS, "cus_nonexistent")
            .await
            .unwrap_err()
            .code,
        "customer.not_found"
    );
    assert_eq!(
        w.service
            .add_address(&w.admin, BUSINESS, "cus_nonexistent", address())
            .await
            .unwrap_err()
            .code,
        "customer.not_found"
    );
}

#[tokio::test]
async fn an_invalid_address_is_refused_before_the_customer_is_looked_up() {
    let w = world();
    let err = w
        .service
        .add_address(
            &w.admin,
            BUSINESS,
            "cus_nonexistent",
            AddressInput {
                country_code: Some("e".into()),
                ..address()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.code, "request.invalid_body");
}

#[tokio::test]
async fn notes_are_listed_oldest_first_and_deleted_per_customer() {
    let w = world();
    let alice = create(&w, BUSINESS, "Alice", "alice@example.com").await;
    let bob = create(&w, BUSINESS, "Bob", "bob@example.com").await;
    let mut ids = Vec::new();
    for text in ["first", "second", "third"] {
        let note = w
            .service
            .add_note(&w.admin, BUSINESS, &alice.id, Some(text.into()))
            .await
            .unwrap();
        assert_eq!(note.customer_id, alice.id);
        ids.push(note.id);
        w.clock.advance(Duration::seconds(1));
    }
    let notes = w
        .service
        .notes(&w.admin, BUSINESS, &alice.id)
        .await
        .unwrap();
    assert_eq!(
        notes.iter().map(|n| n.content.as_str()).collect::<Vec<_>>(),
        ["first", "second", "third"]
    );
    assert_eq!(
        w.service
            .delete_note(&w.admin, BUSINESS, &bob.id, &ids[0])
            .await
            .unwrap_err()
            .code,
        "customer.note_not_found"
    );
    w.service
        .delete_note(&w.admin, BUSINESS, &alice.id, &ids[0])
        .await
        .unwrap();
    assert_eq!(
        w.service
            .notes(&w.admin, BUSINESS, &alice.id)
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        w.service
            .add_note(&w.admin, BUSINESS, &alice.id, Some(String::new()))
            .await
            .unwrap_err()
            .code,
        "request.invalid_body"
    );
    assert_eq!(
        w.service
            .add_note(&w.admin, BUSINESS, "cus_nonexistent", Some("x".into()))
            .await
            .unwrap_err()
            .code,
        "customer.not_found"
    );
    assert_eq!(
        w.service
            .delete_note(&w.admin, BUSINESS, "cus_nonexistent", &ids[1])
            .await
            .unwrap_err()
            .code,
        "customer.note_not_found"
    );
}
