//! Business, shipping-zone and payment-method handlers (spec 02 §3.1–3.3): extract, call the
//! business service, map to DTOs.
//!
//! Gates run as extractors before the body is read and parsed (so a refused actor gets 401/403
//! whatever the body); body binding then runs before any service check (throttle, lookups).
//! Top-level routes look the business up in the handler (404 `resource.not_found`); routes under
//! `/v1/businesses/{businessDescriptor}/…` resolve it in the request chain (404 with no code).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::dto::{
    AvailabilityQuery, AvailabilityResponse, BusinessEnvelope, BusinessList, BusinessResponse,
    CreateBusinessRequest, CreateShippingZoneRequest, PaymentMethodResponse, ShippingZoneResponse,
    UpdateBusinessRequest, UpdatePaymentMethodRequest, UpdateShippingZoneRequest,
};
use crate::extract::{RawBody, StrictQuery, parse_json};
use crate::guard::{
    Authorized, BusinessScoped, BusinessSubscribed, ManageBusiness, Subscribed, ViewBusiness,
};
use crate::problem::{ApiError, Problem};
use crate::respond::{json, no_content};
use crate::state::AppState;

type Result<T> = std::result::Result<T, ApiError>;

// ---- businesses -------------------------------------------------------------------------------

/// Every business of the workspace, archived ones included, oldest first.
#[utoipa::path(get, path = "/v1/businesses", tag = "businesses", security(("bearer" = [])),
    responses((status = 200, body = BusinessList), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list_businesses(
    state: web::Data<AppState>,
    auth: Authorized<ViewBusiness>,
) -> Result<HttpResponse> {
    let businesses = state.businesses.list(&auth.member.actor).await?;
    let body = BusinessList {
        businesses: businesses.into_iter().map(BusinessResponse::from).collect(),
    };
    Ok(json(StatusCode::OK, &body))
}

/// Whether a descriptor is free in the workspace.
#[utoipa::path(get, path = "/v1/businesses/descriptor/availability", tag = "businesses",
    security(("bearer" = [])),
    params(("descriptor" = String, Query, description = "The descriptor to check")),
    responses((status = 200, body = AvailabilityResponse), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn descriptor_availability(
    state: web::Data<AppState>,
    auth: Authorized<ViewBusiness>,
    query: StrictQuery<AvailabilityQuery>,
) -> Result<HttpResponse> {
    let descriptor = query.into_inner().descriptor;
    let available = state
        .businesses
        .is_descriptor_available(&auth.member.actor, descriptor.as_deref())
        .await?;
    Ok(json(StatusCode::OK, &AvailabilityResponse { available }))
}

/// One business by descriptor (trimmed and lower-cased), archived ones included.
#[utoipa::path(get, path = "/v1/businesses/{businessDescriptor}", tag = "businesses",
    security(("bearer" = [])), params(("businessDescriptor" = String, Path)),
    responses((status = 200, body = BusinessEnvelope), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_business(
    state: web::Data<AppState>,
    auth: Authorized<ViewBusiness>,
    path: web::Path<String>,
) -> Result<HttpResponse> {
    let business = state.businesses.get(&auth.member.actor, &path).await?;
    Ok(json(StatusCode::OK, &BusinessEnvelope::from(business)))
}

/// Creates a business with its default shipping zone (gates: manage:business, active
/// subscription, `maxBusinesses`; the body is read after them).
#[utoipa::path(post, path = "/v1/businesses", tag = "businesses", security(("bearer" = [])),
    request_body = CreateBusinessRequest,
    responses((status = 201, body = BusinessEnvelope), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn create_business(
    state: web::Data<AppState>,
    gate: Subscribed<ManageBusiness>,
    body: RawBody,
) -> Result<HttpResponse> {
    let actor = &gate.member.actor;
    state
        .businesses
        .check_business_limit(actor, &gate.plan)
        .await?;
    let input = parse_json::<CreateBusinessRequest>(&body.0)?.into_domain()?;
    let business = state.businesses.create(actor, &gate.plan, input).await?;
    Ok(json(StatusCode::CREATED, &BusinessEnvelope::from(business)))
}

/// Changes a business (pointer semantics: absent or null fields stay as they are).
#[utoipa::path(patch, path = "/v1/businesses/{businessDescriptor}", tag = "businesses",
    security(("bearer" = [])), params(("businessDescriptor" = String, Path)),
    request_body = UpdateBusinessRequest,
    responses((status = 200, body = BusinessEnvelope), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
pub async fn update_business(
    state: web::Data<AppState>,
    auth: Authorized<ManageBusiness>,
    path: web::Path<String>,
    body: RawBody,
) -> Result<HttpResponse> {
    let changes = parse_json::<UpdateBusinessRequest>(&body.0)?.into_domain()?;
    let business = state
        .businesses
        .update(&auth.member.actor, &path, changes)
        .await?;
    Ok(json(StatusCode::OK, &BusinessEnvelope::from(business)))
}

/// Archives a business (an archived one keeps its original time).
#[utoipa::path(post, path = "/v1/businesses/{businessDescriptor}/archive", tag = "businesses",
    security(("bearer" = [])), params(("businessDescriptor" = String, Path)),
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn archive_business(
    state: web::Data<AppState>,
    auth: Authorized<ManageBusiness>,
    path: web::Path<String>,
) -> Result<HttpResponse> {
    state.businesses.archive(&auth.member.actor, &path).await?;
    Ok(no_content())
}

/// Unarchives a business (no plan-limit check).
#[utoipa::path(post, path = "/v1/businesses/{businessDescriptor}/unarchive", tag = "businesses",
    security(("bearer" = [])), params(("businessDescriptor" = String, Path)),
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn unarchive_business(
    state: web::Data<AppState>,
    auth: Authorized<ManageBusiness>,
    path: web::Path<String>,
) -> Result<HttpResponse> {
    state
        .businesses
        .unarchive(&auth.member.actor, &path)
        .await?;
    Ok(no_content())
}

/// Soft-deletes a business (its zones, customers and the rest stay).
#[utoipa::path(delete, path = "/v1/businesses/{businessDescriptor}", tag = "businesses",
    security(("bearer" = [])), params(("businessDescriptor" = String, Path)),
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_business(
    state: web::Data<AppState>,
    auth: Authorized<ManageBusiness>,
    path: web::Path<String>,
) -> Result<HttpResponse> {
    state.businesses.delete(&auth.member.actor, &path).await?;
    Ok(no_content())
}

// ---- shipping zones ---------------------------------------------------------------------------

/// The business's shipping zones by name (a bare array).
#[utoipa::path(get, path = "/v1/businesses/{businessDescriptor}/shipping-zones", tag = "shipping-zones",
    security(("bearer" = [])), params(("businessDescriptor" = String, Path)),
    responses((status = 200, body = [ShippingZoneResponse]), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list_zones(
    state: web::Data<AppState>,
    scope: BusinessScoped<ViewBusiness>,
) -> Result<HttpResponse> {
    let zones = state.businesses.zones(&scope.business).await?;
    let body: Vec<ShippingZoneResponse> =
        zones.into_iter().map(ShippingZoneResponse::from).collect();
    Ok(json(StatusCode::OK, &body))
}

/// One shipping zone of the business.
#[utoipa::path(get, path = "/v1/businesses/{businessDescriptor}/shipping-zones/{zoneId}",
    tag = "shipping-zones", security(("bearer" = [])),
    params(("businessDescriptor" = String, Path), ("zoneId" = String, Path)),
    responses((status = 200, body = ShippingZoneResponse), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_zone(
    state: web::Data<AppState>,
    scope: BusinessScoped<ViewBusiness>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse> {
    let zone = state.businesses.zone(&scope.business, &path.1).await?;
    Ok(json(StatusCode::OK, &ShippingZoneResponse::from(zone)))
}

/// Creates a shipping zone in the business's currency.
#[utoipa::path(post, path = "/v1/businesses/{businessDescriptor}/shipping-zones", tag = "shipping-zones",
    security(("bearer" = [])), params(("businessDescriptor" = String, Path)),
    request_body = CreateShippingZoneRequest,
    responses((status = 201, body = ShippingZoneResponse), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 429, body = Problem)))]
pub async fn create_zone(
    state: web::Data<AppState>,
    scope: BusinessSubscribed<ManageBusiness>,
    body: RawBody,
) -> Result<HttpResponse> {
    let input = parse_json::<CreateShippingZoneRequest>(&body.0)?;
    let zone = state
        .businesses
        .create_zone(&scope.member.actor, &scope.business, input.into())
        .await?;
    Ok(json(StatusCode::CREATED, &ShippingZoneResponse::from(zone)))
}

/// Changes a shipping zone; its currency becomes the business's current one.
#[utoipa::path(patch, path = "/v1/businesses/{businessDescriptor}/shipping-zones/{zoneId}",
    tag = "shipping-zones", security(("bearer" = [])),
    params(("businessDescriptor" = String, Path), ("zoneId" = String, Path)),
    request_body = UpdateShippingZoneRequest,
    responses((status = 200, body = ShippingZoneResponse), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 429, body = Problem)))]
pub async fn update_zone(
    state: web::Data<AppState>,
    scope: BusinessSubscribed<ManageBusiness>,
    path: web::Path<(String, String)>,
    body: RawBody,
) -> Result<HttpResponse> {
    let changes = parse_json::<UpdateShippingZoneRequest>(&body.0)?;
    let zone = state
        .businesses
        .update_zone(
            &scope.member.actor,
            &scope.business,
            &path.1,
            changes.into(),
        )
        .await?;
    Ok(json(StatusCode::OK, &ShippingZoneResponse::from(zone)))
}

/// Soft-deletes a shipping zone.
#[utoipa::path(delete, path = "/v1/businesses/{businessDescriptor}/shipping-zones/{zoneId}",
    tag = "shipping-zones", security(("bearer" = [])),
    params(("businessDescriptor" = String, Path), ("zoneId" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 429, body = Problem)))]
pub async fn delete_zone(
    state: web::Data<AppState>,
    scope: BusinessSubscribed<ManageBusiness>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse> {
    state
        .businesses
        .delete_zone(&scope.member.actor, &scope.business, &path.1)
        .await?;
    Ok(no_content())
}

// ---- payment methods --------------------------------------------------------------------------

/// The six catalogue payment methods with the business's settings (a bare array).
#[utoipa::path(get, path = "/v1/businesses/{businessDescriptor}/payment-methods", tag = "payment-methods",
    security(("bearer" = [])), params(("businessDescriptor" = String, Path)),
    responses((status = 200, body = [PaymentMethodResponse]), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list_payment_methods(
    state: web::Data<AppState>,
    scope: BusinessScoped<ViewBusiness>,
) -> Result<HttpResponse> {
    let methods = state.businesses.payment_methods(&scope.business).await?;
    let body: Vec<PaymentMethodResponse> = methods
        .into_iter()
        .map(PaymentMethodResponse::from)
        .collect();
    Ok(json(StatusCode::OK, &body))
}

/// Changes the business's settings of one payment method.
#[utoipa::path(patch, path = "/v1/businesses/{businessDescriptor}/payment-methods/{descriptor}",
    tag = "payment-methods", security(("bearer" = [])),
    params(("businessDescriptor" = String, Path), ("descriptor" = String, Path)),
    request_body = UpdatePaymentMethodRequest,
    responses((status = 200, body = PaymentMethodResponse), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 429, body = Problem)))]
pub async fn update_payment_method(
    state: web::Data<AppState>,
    scope: BusinessSubscribed<ManageBusiness>,
    path: web::Path<(String, String)>,
    body: RawBody,
) -> Result<HttpResponse> {
    let changes = parse_json::<UpdatePaymentMethodRequest>(&body.0)?;
    let method = state
        .businesses
        .update_payment_method(
            &scope.member.actor,
            &scope.business,
            &path.1,
            changes.into(),
        )
        .await?;
    Ok(json(StatusCode::OK, &PaymentMethodResponse::from(method)))
}
