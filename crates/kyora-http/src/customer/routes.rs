//! Customer, address and note handlers (spec 02 §3.4–3.6): extract, call the customer service,
//! map to DTOs.
//!
//! Every route is business-scoped: the request chain resolves `{businessDescriptor}` in the
//! actor's workspace (404 "business not found", no code) before the permission (`view:customer`
//! for reads, `manage:customer` for writes), and only then is the body read and bound — so an
//! actor without the permission gets 403 whatever the body. No billing gate applies.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::dto::{
    AddressRequest, AddressResponse, CustomerList, CustomerListQueryParams, CustomerRequest,
    CustomerResponse, NoteRequest, NoteResponse,
};
use crate::extract::{RawBody, parse_json};
use crate::guard::{BusinessScoped, ManageCustomer, ViewCustomer};
use crate::problem::{ApiError, Problem};
use crate::respond::{json, no_content};
use crate::state::AppState;
use kyora_core::customer::CustomerListQuery;

type Result<T> = std::result::Result<T, ApiError>;

/// `…/customers/{customerId}`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerPath {
    pub customer_id: String,
}

/// `…/addresses/{addressId}`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddressPath {
    pub customer_id: String,
    pub address_id: String,
}

/// `…/notes/{noteId}`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotePath {
    pub customer_id: String,
    pub note_id: String,
}

// ---- customers --------------------------------------------------------------------------------

/// One page of the business's customers: filters AND-combined, search over name, email, phone
/// numbers and usernames (ranked by relevance unless `orderBy` is given).
#[utoipa::path(get, path = "/v1/businesses/{businessDescriptor}/customers", tag = "customers",
    security(("bearer" = [])),
    params(("businessDescriptor" = String, Path), CustomerListQueryParams),
    responses((status = 200, body = CustomerList), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 500, body = Problem)))]
pub async fn list_customers(
    state: web::Data<AppState>,
    auth: BusinessScoped<ViewCustomer>,
    req: HttpRequest,
) -> Result<HttpResponse> {
    let params = CustomerListQueryParams::parse(req.query_string())?.into_params()?;
    let query = CustomerListQuery::new(params)?;
    let page = state
        .customers
        .list(&auth.member.actor, &auth.business.id, &query)
        .await?;
    Ok(json(StatusCode::OK, &CustomerList::from(page)))
}

/// One customer of the business.
#[utoipa::path(get, path = "/v1/businesses/{businessDescriptor}/customers/{customerId}",
    tag = "customers", security(("bearer" = [])),
    params(("businessDescriptor" = String, Path), ("customerId" = String, Path)),
    responses((status = 200, body = CustomerResponse), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 500, body = Problem)))]
pub async fn get_customer(
    state: web::Data<AppState>,
    auth: BusinessScoped<ViewCustomer>,
    path: web::Path<CustomerPath>,
) -> Result<HttpResponse> {
    let customer = state
        .customers
        .get(&auth.member.actor, &auth.business.id, &path.customer_id)
        .await?;
    Ok(json(StatusCode::OK, &CustomerResponse::from(customer)))
}

/// Creates a customer; `joinedAt` is set by the server.
#[utoipa::path(post, path = "/v1/businesses/{businessDescriptor}/customers", tag = "customers",
    security(("bearer" = [])), params(("businessDescriptor" = String, Path)),
    request_body = CustomerRequest,
    responses((status = 201, body = CustomerResponse), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 500, body = Problem)))]
pub async fn create_customer(
    state: web::Data<AppState>,
    auth: BusinessScoped<ManageCustomer>,
    body: RawBody,
) -> Result<HttpResponse> {
    let body: CustomerRequest = parse_json(&body.0)?;
    let customer = state
        .customers
        .create(&auth.member.actor, &auth.business.id, body.into())
        .await?;
    Ok(json(StatusCode::CREATED, &CustomerResponse::from(customer)))
}

/// Changes a customer; empty fields are unchanged.
#[utoipa::path(patch, path = "/v1/businesses/{businessDescriptor}/customers/{customerId}",
    tag = "customers", security(("bearer" = [])),
    params(("businessDescriptor" = String, Path), ("customerId" = String, Path)),
    request_body = CustomerRequest,
    responses((status = 200, body = CustomerResponse), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 500, body = Problem)))]
pub async fn update_customer(
    state: web::Data<AppState>,
    auth: BusinessScoped<ManageCustomer>,
    path: web::Path<CustomerPath>,
    body: RawBody,
) -> Result<HttpResponse> {
    let body: CustomerRequest = parse_json(&body.0)?;
    let customer = state
        .customers
        .update(
            &auth.member.actor,
            &auth.business.id,
            &path.customer_id,
            body.into(),
        )
        .await?;
    Ok(json(StatusCode::OK, &CustomerResponse::from(customer)))
}

/// Soft-deletes a customer; its addresses and notes are kept.
#[utoipa::path(delete, path = "/v1/businesses/{businessDescriptor}/customers/{customerId}",
    tag = "customers", security(("bearer" = [])),
    params(("businessDescriptor" = String, Path), ("customerId" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 500, body = Problem)))]
pub async fn delete_customer(
    state: web::Data<AppState>,
    auth: BusinessScoped<ManageCustomer>,
    path: web::Path<CustomerPath>,
) -> Result<HttpResponse> {
    state
        .customers
        .delete(&auth.member.actor, &auth.business.id, &path.customer_id)
        .await?;
    Ok(no_content())
}

// ---- addresses --------------------------------------------------------------------------------

/// The customer's addresses, oldest first.
#[utoipa::path(get, path = "/v1/businesses/{businessDescriptor}/customers/{customerId}/addresses",
    tag = "customers", security(("bearer" = [])),
    params(("businessDescriptor" = String, Path), ("customerId" = String, Path)),
    responses((status = 200, body = [AddressResponse]), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 500, body = Problem)))]
pub async fn list_addresses(
    state: web::Data<AppState>,
    auth: BusinessScoped<ViewCustomer>,
    path: web::Path<CustomerPath>,
) -> Result<HttpResponse> {
    let addresses = state
        .customers
        .addresses(&auth.member.actor, &auth.business.id, &path.customer_id)
        .await?;
    let body: Vec<AddressResponse> = addresses.into_iter().map(AddressResponse::from).collect();
    Ok(json(StatusCode::OK, &body))
}

/// Adds an address to the customer.
#[utoipa::path(post, path = "/v1/businesses/{businessDescriptor}/customers/{customerId}/addresses",
    tag = "customers", security(("bearer" = [])),
    params(("businessDescriptor" = String, Path), ("customerId" = String, Path)),
    request_body = AddressRequest,
    responses((status = 201, body = AddressResponse), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 500, body = Problem)))]
pub async fn create_address(
    state: web::Data<AppState>,
    auth: BusinessScoped<ManageCustomer>,
    path: web::Path<CustomerPath>,
    body: RawBody,
) -> Result<HttpResponse> {
    let body: AddressRequest = parse_json(&body.0)?;
    let address = state
        .customers
        .add_address(
            &auth.member.actor,
            &auth.business.id,
            &path.customer_id,
            body.into(),
        )
        .await?;
    Ok(json(StatusCode::CREATED, &AddressResponse::from(address)))
}

/// Changes an address of the customer; empty fields are unchanged.
#[utoipa::path(patch,
    path = "/v1/businesses/{businessDescriptor}/customers/{customerId}/addresses/{addressId}",
    tag = "customers", security(("bearer" = [])),
    params(("businessDescriptor" = String, Path), ("customerId" = String, Path),
        ("addressId" = String, Path)),
    request_body = AddressRequest,
    responses((status = 200, body = AddressResponse), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 500, body = Problem)))]
pub async fn update_address(
    state: web::Data<AppState>,
    auth: BusinessScoped<ManageCustomer>,
    path: web::Path<AddressPath>,
    body: RawBody,
) -> Result<HttpResponse> {
    let body: AddressRequest = parse_json(&body.0)?;
    let address = state
        .customers
        .update_address(
            &auth.member.actor,
            &auth.business.id,
            &path.customer_id,
            &path.address_id,
            body.into(),
        )
        .await?;
    Ok(json(StatusCode::OK, &AddressResponse::from(address)))
}

/// Soft-deletes an address of the customer.
#[utoipa::path(delete,
    path = "/v1/businesses/{businessDescriptor}/customers/{customerId}/addresses/{addressId}",
    tag = "customers", security(("bearer" = [])),
    params(("businessDescriptor" = String, Path), ("customerId" = String, Path),
        ("addressId" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 500, body = Problem)))]
pub async fn delete_address(
    state: web::Data<AppState>,
    auth: BusinessScoped<ManageCustomer>,
    path: web::Path<AddressPath>,
) -> Result<HttpResponse> {
    state
        .customers
        .delete_address(
            &auth.member.actor,
            &auth.business.id,
            &path.customer_id,
            &path.address_id,
        )
        .await?;
    Ok(no_content())
}

// ---- notes ------------------------------------------------------------------------------------

/// The customer's notes, oldest first.
#[utoipa::path(get, path = "/v1/businesses/{businessDescriptor}/customers/{customerId}/notes",
    tag = "customers", security(("bearer" = [])),
    params(("businessDescriptor" = String, Path), ("customerId" = String, Path)),
    responses((status = 200, body = [NoteResponse]), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 500, body = Problem)))]
pub async fn list_notes(
    state: web::Data<AppState>,
    auth: BusinessScoped<ViewCustomer>,
    path: web::Path<CustomerPath>,
) -> Result<HttpResponse> {
    let notes = state
        .customers
        .notes(&auth.member.actor, &auth.business.id, &path.customer_id)
        .await?;
    let body: Vec<NoteResponse> = notes.into_iter().map(NoteResponse::from).collect();
    Ok(json(StatusCode::OK, &body))
}

/// Adds a note to the customer.
#[utoipa::path(post, path = "/v1/businesses/{businessDescriptor}/customers/{customerId}/notes",
    tag = "customers", security(("bearer" = [])),
    params(("businessDescriptor" = String, Path), ("customerId" = String, Path)),
    request_body = NoteRequest,
    responses((status = 201, body = NoteResponse), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 500, body = Problem)))]
pub async fn create_note(
    state: web::Data<AppState>,
    auth: BusinessScoped<ManageCustomer>,
    path: web::Path<CustomerPath>,
    body: RawBody,
) -> Result<HttpResponse> {
    let body: NoteRequest = parse_json(&body.0)?;
    let note = state
        .customers
        .add_note(
            &auth.member.actor,
            &auth.business.id,
            &path.customer_id,
            body.content,
        )
        .await?;
    Ok(json(StatusCode::CREATED, &NoteResponse::from(note)))
}

/// Soft-deletes a note of the customer.
#[utoipa::path(delete,
    path = "/v1/businesses/{businessDescriptor}/customers/{customerId}/notes/{noteId}",
    tag = "customers", security(("bearer" = [])),
    params(("businessDescriptor" = String, Path), ("customerId" = String, Path),
        ("noteId" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 500, body = Problem)))]
pub async fn delete_note(
    state: web::Data<AppState>,
    auth: BusinessScoped<ManageCustomer>,
    path: web::Path<NotePath>,
) -> Result<HttpResponse> {
    state
        .customers
        .delete_note(
            &auth.member.actor,
            &auth.business.id,
            &path.customer_id,
            &path.note_id,
        )
        .await?;
    Ok(no_content())
}
