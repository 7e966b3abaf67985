//! Customer, address and note repository contracts (re-exported by the parent module).
//!
//! Search is checked only where every store agrees: a case-insensitive substring of the name or
//! the email, and a whole Instagram or TikTok username (PostgreSQL matches those as search-vector
//! tokens, the other stores as substrings). Ordered lists use names of one case, which every
//! collation sorts alike.

use chrono::{DateTime, Utc};

use super::{at, failed, ok};
use crate::customer::model::{Customer, CustomerAddress, CustomerNote, Gender};
use crate::customer::query::{CustomerListParams, CustomerListQuery};
use crate::ports::store::Store;
use crate::shared::error::RepoError;
use crate::shared::id::{IdPrefix, new_id};
use crate::shared::list::Page;

/// A new business, in a new workspace, to hold customers (a fixture for other tests too): every
/// contract uses fresh ones, so contracts share a store without seeing each other's rows.
/// Returns its id.
///
/// # Panics
/// When the store refuses the workspace or the business.
pub async fn business_for_customers(store: &dyn Store) -> String {
    let workspace = super::new_workspace(store).await;
    super::new_business(store, &workspace, &super::unique_descriptor())
        .await
        .id
}

fn customer_in(business_id: &str, name: &str, created_at: DateTime<Utc>) -> Customer {
    Customer {
        id: new_id(IdPrefix::Customer),
        business_id: business_id.to_owned(),
        name: name.to_owned(),
        country_code: "EG".to_owned(),
        gender: Gender::Unspecified,
        email: None,
        phone_number: Some("1001234567".to_owned()),
        phone_code: Some("+20".to_owned()),
        tiktok_username: None,
        instagram_username: None,
        facebook_username: None,
        x_username: None,
        snapchat_username: None,
        whatsapp_number: None,
        joined_at: created_at,
        created_at,
        updated_at: created_at,
    }
}

fn with_email(customer: Customer, email: &str) -> Customer {
    Customer {
        email: Some(email.to_owned()),
        ..customer
    }
}

async fn stored(store: &dyn Store, customer: Customer) -> Customer {
    ok(
        store.customers().create_customer(&customer).await,
        "creating a customer",
    );
    customer
}

fn query(params: CustomerListParams) -> CustomerListQuery {
    match CustomerListQuery::new(params) {
        Ok(query) => query,
        Err(err) => panic!("building a list query: {err}"),
    }
}

async fn list(store: &dyn Store, business_id: &str, params: CustomerListParams) -> Page<Customer> {
    ok(
        store
            .customers()
            .list_customers(business_id, &query(params))
            .await,
        "listing customers",
    )
}

fn names(page: &Page<Customer>) -> Vec<&str> {
    page.items.iter().map(|c| c.name.as_str()).collect()
}

fn sorted_names(page: &Page<Customer>) -> Vec<&str> {
    let mut names = names(page);
    names.sort_unstable();
    names
}

fn address_of(customer: &Customer, city: &str, created_at: DateTime<Utc>) -> CustomerAddress {
    CustomerAddress {
        id: new_id(IdPrefix::Address),
        customer_id: customer.id.clone(),
        country_code: "EG".to_owned(),
        state: "Cairo".to_owned(),
        city: city.to_owned(),
        street: Some("123 Main St".to_owned()),
        phone_code: "+20".to_owned(),
        phone_number: "1001234567".to_owned(),
        zip_code: None,
        created_at,
        updated_at: created_at,
    }
}

fn note_on(customer: &Customer, content: &str, created_at: DateTime<Utc>) -> CustomerNote {
    CustomerNote {
        id: new_id(IdPrefix::CustomerNote),
        customer_id: customer.id.clone(),
        content: content.to_owned(),
        created_at,
        updated_at: created_at,
    }
}

// ---- customers -------------------------------------------------------------------------------

/// A customer reads back exactly as stored, with every optional column, only within its
/// business; an unknown id reads as none.
pub async fn customers_are_created_and_found_within_their_business(store: &dyn Store) {
    let repo = store.customers();
    let business = business_for_customers(store).await;
    let other = business_for_customers(store).await;
    let full = Customer {
        gender: Gender::Female,
        email: Some("Alice.Wonder@Example.com".to_owned()),
        tiktok_username: Some("alice.tt".to_owned()),
        instagram_username: Some("alice.ig".to_owned()),
        facebook_username: Some("alice.fb".to_owned()),
        x_username: Some("alice_x".to_owned()),
        snapchat_username: Some("alice.snap".to_owned()),
        whatsapp_number: Some("+201001234567".to_owned()),
        joined_at: at(5),
        ..customer_in(&business, "Alice Wonder", at(10))
    };
    let full = stored(store, full).await;
    let sparse = stored(
        store,
        Customer {
            phone_number: None,
            phone_code: None,
            ..customer_in(&business, "Bob", at(20))
        },
    )
    .await;
    for customer in [&full, &sparse] {
        assert_eq!(
            ok(
                repo.find_customer(&business, &customer.id).await,
                "finding a customer"
            ),
            Some(customer.clone())
        );
        assert_eq!(
            ok(
                repo.find_customer(&other, &customer.id).await,
                "finding from another business"
            ),
            None
        );
    }
    assert_eq!(
        ok(
            repo.find_customer(&business, &new_id(IdPrefix::Customer))
                .await,
            "finding an unknown customer"
        ),
        None
    );
}

/// Emails are unique among a business's live customers, compared exactly: another business, a
/// different case and any number of customers without email are fine, and a deleted customer's
/// email is free again.
pub async fn customer_emails_are_unique_per_business_among_live_customers(store: &dyn Store) {
    let repo = store.customers();
    let business = business_for_customers(store).await;
    let other = business_for_customers(store).await;
    let first = stored(
        store,
        with_email(customer_in(&business, "Alice", at(0)), "alice@example.com"),
    )
    .await;
    let clash = with_email(
        customer_in(&business, "Alice 2", at(1)),
        "alice@example.com",
    );
    assert!(matches!(
        failed(repo.create_customer(&clash).await, "reusing a live email"),
        RepoError::Conflict(_)
    ));
    stored(
        store,
        with_email(customer_in(&other, "Alice", at(1)), "alice@example.com"),
    )
    .await;
    stored(
        store,
        with_email(
            customer_in(&business, "Alice Upper", at(2)),
            "ALICE@example.com",
        ),
    )
    .await;
    stored(store, customer_in(&business, "No Email 1", at(3))).await;
    stored(store, customer_in(&business, "No Email 2", at(4))).await;

    ok(
        repo.delete_customer(&business, &first.id, at(10)).await,
        "deleting the first customer",
    );
    stored(store, clash).await;
}

/// A bulk create stores every customer, or none when one of them clashes.
pub async fn customers_are_created_in_bulk_or_not_at_all(store: &dyn Store) {
    let repo = store.customers();
    let business = business_for_customers(store).await;
    let batch: Vec<Customer> = (0..5)
        .map(|i| {
            with_email(
                customer_in(&business, &format!("Bulk {i}"), at(i)),
                &format!("bulk{i}@example.com"),
            )
        })
        .collect();
    ok(repo.create_customers(&batch).await, "creating a batch");
    assert_eq!(
        list(store, &business, CustomerListParams::default())
            .await
            .total_count,
        5
    );
    let clashing = vec![
        with_email(customer_in(&business, "Fresh", at(10)), "fresh@example.com"),
        with_email(customer_in(&business, "Clash", at(11)), "bulk0@example.com"),
    ];
    assert!(matches!(
        failed(repo.create_customers(&clashing).await, "a clashing batch"),
        RepoError::Conflict(_)
    ));
    assert_eq!(
        ok(
            repo.find_customer(&business, &clashing[0].id).await,
            "finding the batch's first customer"
        ),
        None,
        "nothing of a failed batch is stored"
    );
    ok(repo.create_customers(&[]).await, "creating an empty batch");
}

/// An update saves every column but the creation and join times, only for a live customer of
/// the business, and refuses a taken email.
pub async fn updating_a_customer_saves_its_columns_within_its_business(store: &dyn Store) {
    let repo = store.customers();
    let business = business_for_customers(store).await;
    let other = business_for_customers(store).await;
    let alice = stored(
        store,
        with_email(customer_in(&business, "Alice", at(0)), "alice@example.com"),
    )
    .await;
    let bob = stored(
        store,
        with_email(customer_in(&business, "Bob", at(1)), "bob@example.com"),
    )
    .await;
    let changed = Customer {
        name: "Alice Updated".to_owned(),
        country_code: "SA".to_owned(),
        gender: Gender::Other,
        email: Some("alice.new@example.com".to_owned()),
        phone_number: Some("555".to_owned()),
        instagram_username: Some("alice.ig".to_owned()),
        whatsapp_number: Some("+9665".to_owned()),
        joined_at: at(999),
        created_at: at(999),
        updated_at: at(60),
        ..alice.clone()
    };
    ok(repo.update_customer(&changed).await, "updating a customer");
    assert_eq!(
        ok(
            repo.find_customer(&business, &alice.id).await,
            "re-reading the customer"
        ),
        Some(Customer {
            joined_at: alice.joined_at,
            created_at: alice.created_at,
            ..changed.clone()
        })
    );
    let taken = Customer {
        email: Some("alice.new@example.com".to_owned()),
        ..bob.clone()
    };
    assert!(matches!(
        failed(repo.update_customer(&taken).await, "taking a live email"),
        RepoError::Conflict(_)
    ));
    let moved = Customer {
        business_id: other.clone(),
        ..bob.clone()
    };
    assert_eq!(
        failed(
            repo.update_customer(&moved).await,
            "updating through another business"
        ),
        RepoError::NotFound
    );
    assert_eq!(
        ok(
            repo.find_customer(&business, &bob.id).await,
            "re-reading bob"
        ),
        Some(bob.clone())
    );
    ok(
        repo.delete_customer(&business, &bob.id, at(70)).await,
        "deleting bob",
    );
    assert_eq!(
        failed(
            repo.update_customer(&bob).await,
            "updating a deleted customer"
        ),
        RepoError::NotFound
    );
}

/// A deleted customer is gone from every read, cannot be deleted again, and cannot be deleted
/// through another business.
pub async fn deleted_customers_are_invisible(store: &dyn Store) {
    let repo = store.customers();
    let business = business_for_customers(store).await;
    let other = business_for_customers(store).await;
    let alice = stored(store, customer_in(&business, "Alice", at(0))).await;
    assert_eq!(
        failed(
            repo.delete_customer(&other, &alice.id, at(5)).await,
            "deleting through another business"
        ),
        RepoError::NotFound
    );
    ok(
        repo.delete_customer(&business, &alice.id, at(10)).await,
        "deleting",
    );
    assert_eq!(
        ok(repo.find_customer(&business, &alice.id).await, "finding"),
        None
    );
    assert_eq!(
        failed(
            repo.delete_customer(&business, &alice.id, at(20)).await,
            "deleting again"
        ),
        RepoError::NotFound
    );
    let page = list(store, &business, CustomerListParams::default()).await;
    assert!(page.items.is_empty());
    assert_eq!(page.total_count, 0);
}

/// Lists hold the business's live customers newest first (id breaking ties, newest id first),
/// page by page, with the total of every match.
pub async fn customer_lists_page_newest_first_within_the_business(store: &dyn Store) {
    let business = business_for_customers(store).await;
    let other = business_for_customers(store).await;
    let mut batch: Vec<Customer> = (0..15)
        .map(|i| customer_in(&business, &format!("customer {i:02}"), at(i)))
        .collect();
    let twin_a = customer_in(&business, "twin a", at(100));
    let twin_b = customer_in(&business, "twin b", at(100));
    let later_id = if twin_a.id > twin_b.id {
        "twin a"
    } else {
        "twin b"
    };
    batch.extend([twin_a, twin_b]);
    ok(
        store.customers().create_customers(&batch).await,
        "creating customers",
    );
    stored(store, customer_in(&other, "elsewhere", at(50))).await;
    let gone = stored(store, customer_in(&business, "gone", at(60))).await;
    ok(
        store
            .customers()
            .delete_customer(&business, &gone.id, at(61))
            .await,
        "deleting one",
    );

    let first = list(
        store,
        &business,
        CustomerListParams {
            page_size: Some(10),
            ..CustomerListParams::default()
        },
    )
    .await;
    assert_eq!(first.items.len(), 10);
    assert_eq!(
        (first.total_count, first.total_pages, first.has_more),
        (17, 2, true)
    );
    assert_eq!(
        first.items[0].name, later_id,
        "equal times: the larger id first"
    );
    assert_eq!(first.items[2].name, "customer 14");
    let second = list(
        store,
        &business,
        CustomerListParams {
            page: Some(2),
            page_size: Some(10),
            ..CustomerListParams::default()
        },
    )
    .await;
    assert_eq!(second.items.len(), 7);
    assert_eq!((second.page, second.has_more), (2, false));
    assert_eq!(second.items[6].name, "customer 00");
    let beyond = list(
        store,
        &business,
        CustomerListParams {
            page: Some(5),
            page_size: Some(10),
            ..CustomerListParams::default()
        },
    )
    .await;
    assert!(beyond.items.is_empty());
    assert_eq!(beyond.total_count, 17);
}

/// The country, platform and search filters select the right customers and combine with AND;
/// platforms combine with OR.
pub async fn customer_lists_filter_by_country_platforms_and_search(store: &dyn Store) {
    let business = business_for_customers(store).await;
    let other = business_for_customers(store).await;
    let customers = [
        Customer {
            instagram_username: Some("alice.ig".to_owned()),
            ..with_email(
                customer_in(&business, "Alice Wonder", at(1)),
                "alice@wonder.land",
            )
        },
        Customer {
            country_code: "SA".to_owned(),
            tiktok_username: Some("bobtok".to_owned()),
            ..customer_in(&business, "Bob Builder", at(2))
        },
        Customer {
            facebook_username: Some("carol.fb".to_owned()),
            ..customer_in(&business, "Carol Smith", at(3))
        },
        Customer {
            country_code: "AE".to_owned(),
            whatsapp_number: Some("+971500000".to_owned()),
            instagram_username: Some(String::new()),
            ..with_email(
                customer_in(&business, "Dan Brown", at(4)),
                "dan@example.com",
            )
        },
        Customer {
            instagram_username: Some("eve.ig".to_owned()),
            ..customer_in(&business, "Eve Adams", at(5))
        },
    ];
    ok(
        store.customers().create_customers(&customers).await,
        "creating customers",
    );
    stored(
        store,
        Customer {
            instagram_username: Some("alice.ig".to_owned()),
            ..customer_in(&other, "Alice Elsewhere", at(6))
        },
    )
    .await;
    let p = CustomerListParams::default;
    let platforms = |values: &[&str]| values.iter().map(|v| (*v).to_owned()).collect();
    let cases: Vec<(CustomerListParams, Vec<&str>)> = vec![
        (
            CustomerListParams {
                country_code: Some("eg".to_owned()),
                ..p()
            },
            vec!["Alice Wonder", "Carol Smith", "Eve Adams"],
        ),
        (
            CustomerListParams {
                social_platforms: platforms(&["instagram"]),
                ..p()
            },
            vec!["Alice Wonder", "Eve Adams"],
        ),
        (
            CustomerListParams {
                social_platforms: platforms(&["instagram", "tiktok"]),
                ..p()
            },
            vec!["Alice Wonder", "Bob Builder", "Eve Adams"],
        ),
        (
            CustomerListParams {
                social_platforms: platforms(&["whatsapp", "FACEBOOK"]),
                ..p()
            },
            vec!["Carol Smith", "Dan Brown"],
        ),
        (
            CustomerListParams {
                country_code: Some("EG".to_owned()),
                social_platforms: platforms(&["instagram"]),
                search: Some("eve".to_owned()),
                ..p()
            },
            vec!["Eve Adams"],
        ),
        (
            CustomerListParams {
                search: Some("ALICE".to_owned()),
                ..p()
            },
            vec!["Alice Wonder"],
        ),
        (
            CustomerListParams {
                search: Some("  alice   wonder ".to_owned()),
                ..p()
            },
            vec!["Alice Wonder"],
        ),
        (
            CustomerListParams {
                search: Some("Wond".to_owned()),
                ..p()
            },
            vec!["Alice Wonder"],
        ),
        (
            CustomerListParams {
                search: Some("example.com".to_owned()),
                ..p()
            },
            vec!["Dan Brown"],
        ),
        (
            CustomerListParams {
                search: Some("bobtok".to_owned()),
                ..p()
            },
            vec!["Bob Builder"],
        ),
        (
            CustomerListParams {
                search: Some("100%_match".to_owned()),
                ..p()
            },
            vec![],
        ),
        (
            CustomerListParams {
                search: Some("nobody".to_owned()),
                country_code: Some("SA".to_owned()),
                ..p()
            },
            vec![],
        ),
    ];
    for (params, expected) in cases {
        let described = format!("{params:?}");
        let page = list(store, &business, params).await;
        assert_eq!(sorted_names(&page), expected, "{described}");
        assert_eq!(
            page.total_count,
            expected.len() as u64,
            "the total uses the same filters: {described}"
        );
    }
}

/// Explicit orderings apply in order, missing values sort last ascending and first descending,
/// and unknown names fall back to newest first.
pub async fn customer_lists_order_by_the_requested_fields(store: &dyn Store) {
    let business = business_for_customers(store).await;
    let customers = [
        Customer {
            email: Some("b@example.com".to_owned()),
            ..customer_in(&business, "delta", at(1))
        },
        Customer {
            country_code: "AE".to_owned(),
            email: Some("a@example.com".to_owned()),
            ..customer_in(&business, "alpha", at(2))
        },
        Customer {
            country_code: "AE".to_owned(),
            ..customer_in(&business, "charlie", at(3))
        },
        customer_in(&business, "bravo", at(4)),
    ];
    ok(
        store.customers().create_customers(&customers).await,
        "creating customers",
    );
    let order = |entries: &[&str]| CustomerListParams {
        order_by: entries.iter().map(|e| (*e).to_owned()).collect(),
        ..CustomerListParams::default()
    };
    let cases: [(&[&str], [&str; 4]); 6] = [
        (&["name"], ["alpha", "bravo", "charlie", "delta"]),
        (&["-name"], ["delta", "charlie", "bravo", "alpha"]),
        (
            &["countryCode,-name"],
            ["charlie", "alpha", "delta", "bravo"],
        ),
        (&["email", "name"], ["alpha", "delta", "bravo", "charlie"]),
        (&["-email", "name"], ["bravo", "charlie", "delta", "alpha"]),
        (
            &["ordersCount", "nonsense"],
            ["bravo", "charlie", "alpha", "delta"],
        ),
    ];
    for (entries, expected) in cases {
        let page = list(store, &business, order(entries)).await;
        assert_eq!(names(&page), expected, "orderBy {entries:?}");
    }
}

// ---- addresses -------------------------------------------------------------------------------

/// Addresses are listed oldest first, found, updated and deleted only through their own live
/// customer of the business.
pub async fn addresses_are_reached_only_through_their_customer(store: &dyn Store) {
    let repo = store.customer_addresses();
    let business = business_for_customers(store).await;
    let other = business_for_customers(store).await;
    let alice = stored(store, customer_in(&business, "Alice", at(0))).await;
    let bob = stored(store, customer_in(&business, "Bob", at(0))).await;
    let first = address_of(&alice, "Nasr City", at(10));
    let second = CustomerAddress {
        street: None,
        zip_code: Some("11371".to_owned()),
        ..address_of(&alice, "Giza", at(20))
    };
    let third = address_of(&alice, "Maadi", at(20));
    for address in [&third, &first, &second] {
        ok(repo.create_address(address).await, "creating an address");
    }
    let bobs = address_of(&bob, "Heliopolis", at(5));
    ok(repo.create_address(&bobs).await, "creating bob's address");

    let mut same_time = [second.clone(), third.clone()];
    same_time.sort_by(|a, b| a.id.cmp(&b.id));
    let expected = vec![first.clone(), same_time[0].clone(), same_time[1].clone()];
    assert_eq!(
        ok(repo.list_addresses(&business, &alice.id).await, "listing"),
        expected,
        "oldest first, then by id"
    );
    assert!(
        ok(
            repo.list_addresses(&other, &alice.id).await,
            "listing from another business"
        )
        .is_empty()
    );
    assert_eq!(
        ok(
            repo.find_address(&business, &alice.id, &second.id).await,
            "finding"
        ),
        Some(second.clone())
    );
    for (business_id, customer_id) in [(&business, &bob.id), (&other, &alice.id)] {
        assert_eq!(
            ok(
                repo.find_address(business_id, customer_id, &second.id)
                    .await,
                "finding through the wrong customer or business"
            ),
            None
        );
    }

    let changed = CustomerAddress {
        city: "Giza".to_owned(),
        street: Some("456 Updated St".to_owned()),
        zip_code: Some("12511".to_owned()),
        created_at: at(999),
        updated_at: at(30),
        ..first.clone()
    };
    ok(repo.update_address(&business, &changed).await, "updating");
    assert_eq!(
        ok(
            repo.find_address(&business, &alice.id, &first.id).await,
            "re-reading"
        ),
        Some(CustomerAddress {
            created_at: first.created_at,
            ..changed.clone()
        })
    );
    let stolen = CustomerAddress {
        customer_id: bob.id.clone(),
        ..second.clone()
    };
    assert_eq!(
        failed(
            repo.update_address(&business, &stolen).await,
            "updating through another customer"
        ),
        RepoError::NotFound
    );
    assert_eq!(
        failed(
            repo.update_address(&other, &second).await,
            "updating through another business"
        ),
        RepoError::NotFound
    );
    assert_eq!(
        failed(
            repo.delete_address(&business, &bob.id, &second.id, at(40))
                .await,
            "deleting through another customer"
        ),
        RepoError::NotFound
    );
    ok(
        repo.delete_address(&business, &alice.id, &second.id, at(40))
            .await,
        "deleting",
    );
    assert_eq!(
        failed(
            repo.delete_address(&business, &alice.id, &second.id, at(41))
                .await,
            "deleting again"
        ),
        RepoError::NotFound
    );
    assert_eq!(
        ok(repo.list_addresses(&business, &alice.id).await, "listing").len(),
        2
    );

    ok(
        store
            .customers()
            .delete_customer(&business, &alice.id, at(50))
            .await,
        "deleting the customer",
    );
    assert!(
        ok(
            repo.list_addresses(&business, &alice.id).await,
            "listing a deleted customer's"
        )
        .is_empty()
    );
    assert_eq!(
        ok(
            repo.find_address(&business, &alice.id, &first.id).await,
            "finding a deleted customer's"
        ),
        None
    );
    assert_eq!(
        failed(
            repo.delete_address(&business, &alice.id, &first.id, at(60))
                .await,
            "deleting a deleted customer's"
        ),
        RepoError::NotFound
    );
}

// ---- notes -----------------------------------------------------------------------------------

/// Notes are listed oldest first and deleted only through their own live customer of the
/// business.
pub async fn notes_are_reached_only_through_their_customer(store: &dyn Store) {
    let repo = store.customer_notes();
    let business = business_for_customers(store).await;
    let other = business_for_customers(store).await;
    let alice = stored(store, customer_in(&business, "Alice", at(0))).await;
    let bob = stored(store, customer_in(&business, "Bob", at(0))).await;
    let notes = [
        note_on(&alice, "third", at(30)),
        note_on(&alice, "first", at(10)),
        note_on(&alice, "second", at(20)),
    ];
    for note in &notes {
        ok(repo.create_note(note).await, "creating a note");
    }
    ok(
        repo.create_note(&note_on(&bob, "bob's", at(5))).await,
        "creating bob's note",
    );
    let contents =
        |list: Vec<CustomerNote>| -> Vec<String> { list.into_iter().map(|n| n.content).collect() };
    assert_eq!(
        contents(ok(repo.list_notes(&business, &alice.id).await, "listing")),
        ["first", "second", "third"]
    );
    assert_eq!(
        ok(repo.list_notes(&business, &alice.id).await, "listing")[0],
        notes[1],
        "a note reads back as stored"
    );
    assert!(
        ok(
            repo.list_notes(&other, &alice.id).await,
            "listing from another business"
        )
        .is_empty()
    );
    for (business_id, customer_id) in [(&business, &bob.id), (&other, &alice.id)] {
        assert_eq!(
            failed(
                repo.delete_note(business_id, customer_id, &notes[0].id, at(40))
                    .await,
                "deleting through the wrong customer or business"
            ),
            RepoError::NotFound
        );
    }
    ok(
        repo.delete_note(&business, &alice.id, &notes[0].id, at(40))
            .await,
        "deleting",
    );
    assert_eq!(
        contents(ok(repo.list_notes(&business, &alice.id).await, "listing")),
        ["first", "second"]
    );
    ok(
        store
            .customers()
            .delete_customer(&business, &alice.id, at(50))
            .await,
        "deleting the customer",
    );
    assert!(
        ok(
            repo.list_notes(&business, &alice.id).await,
            "listing a deleted customer's"
        )
        .is_empty()
    );
}
