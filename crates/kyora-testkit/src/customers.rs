//! Customer fixtures for API tests: request bodies, the paths of the customer routes, and
//! customers, addresses and notes created over HTTP.

use serde_json::{Value, json};

use crate::TestApp;
use crate::accounts::{Reply, get, post};
use crate::businesses::business_path;

/// A valid creation body (spec 02 §7 scenario 24): an Egyptian man with a phone.
pub fn customer_body(name: &str, email: &str) -> Value {
    json!({
        "name": name,
        "email": email,
        "countryCode": "eg",
        "gender": "male",
        "phoneNumber": "1001234567",
        "phoneCode": "+20",
    })
}

/// `customer_body` with `extra` fields merged in (a `null` removes a field).
pub fn customer_body_with(name: &str, email: &str, extra: Value) -> Value {
    let mut body = customer_body(name, email);
    if let (Some(object), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        for (key, value) in extra {
            if value.is_null() {
                object.remove(key);
            } else {
                object.insert(key.clone(), value.clone());
            }
        }
    }
    body
}

/// A valid address body (spec 02 §7 scenario 40).
pub fn address_body() -> Value {
    json!({
        "countryCode": "eg",
        "state": "Cairo",
        "city": "Nasr City",
        "street": "123 Main St",
        "phoneCode": "+20",
        "phoneNumber": "1001234567",
        "zipCode": "11371",
    })
}

/// `/v1/businesses/{descriptor}/customers`.
pub fn customers_path(descriptor: &str) -> String {
    business_path(descriptor, "/customers")
}

/// `/v1/businesses/{descriptor}/customers/{id}{rest}`.
pub fn customer_path(descriptor: &str, id: &str, rest: &str) -> String {
    business_path(descriptor, &format!("/customers/{id}{rest}"))
}

/// The `id` of a created object.
///
/// # Panics
/// When it has none.
pub fn id_of(object: &Value) -> String {
    object["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {object}"))
        .to_owned()
}

/// `POST …/customers` with `body`.
pub async fn try_create_customer(
    app: &TestApp,
    bearer: &str,
    descriptor: &str,
    body: Value,
) -> Reply {
    post(app, &customers_path(descriptor), Some(bearer), body).await
}

/// Creates a customer and returns it.
///
/// # Panics
/// When the creation is not a 201.
pub async fn create_customer(app: &TestApp, bearer: &str, descriptor: &str, body: Value) -> Value {
    let reply = try_create_customer(app, bearer, descriptor, body).await;
    reply.expect_status(201);
    reply.body
}

/// `GET …/customers?{query}`.
pub async fn list_customers(app: &TestApp, bearer: &str, descriptor: &str, query: &str) -> Reply {
    let path = match query {
        "" => customers_path(descriptor),
        query => format!("{}?{query}", customers_path(descriptor)),
    };
    get(app, &path, Some(bearer)).await
}

/// The names of a 200 list reply's items, sorted.
///
/// # Panics
/// When the reply is not a 200 list.
pub fn listed_names(reply: &Reply) -> Vec<String> {
    reply.expect_status(200);
    let mut names: Vec<String> = reply.body["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items in {}", reply.text))
        .iter()
        .filter_map(|c| c["name"].as_str().map(str::to_owned))
        .collect();
    names.sort();
    names
}

/// Adds an address to a customer and returns it.
///
/// # Panics
/// When the creation is not a 201.
pub async fn create_address(
    app: &TestApp,
    bearer: &str,
    descriptor: &str,
    customer_id: &str,
    body: Value,
) -> Value {
    let reply = post(
        app,
        &customer_path(descriptor, customer_id, "/addresses"),
        Some(bearer),
        body,
    )
    .await;
    reply.expect_status(201);
    reply.body
}

/// Adds a note to a customer and returns it.
///
/// # Panics
/// When the creation is not a 201.
pub async fn create_note(
    app: &TestApp,
    bearer: &str,
    descriptor: &str,
    customer_id: &str,
    content: &str,
) -> Value {
    let reply = post(
        app,
        &customer_path(descriptor, customer_id, "/notes"),
        Some(bearer),
        json!({ "content": content }),
    )
    .await;
    reply.expect_status(201);
    reply.body
}
