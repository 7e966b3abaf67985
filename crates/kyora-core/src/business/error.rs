//! The business context's rule violations, each with the stable code of spec 02 §3.1–3.3.
//!
//! A few errors carry no code at all (the spec's "no code" answers): the business resolver's
//! 404, the availability check's missing query value and the payment-method body rules. Their
//! `code` is empty, and the problem document then has no `extensions.code`.

use crate::shared::error::{DomainError, ErrorKind};

/// The hint attached to `business.descriptor_invalid`.
pub const DESCRIPTOR_HINT: &str = "use lowercase letters, numbers, and hyphens";

/// 400 `business.descriptor_required`: the descriptor is blank.
pub fn descriptor_required() -> DomainError {
    DomainError::new(
        ErrorKind::BadRequest,
        "business.descriptor_required",
        "business descriptor is required",
    )
}

/// 400 `business.descriptor_invalid` naming the (normalised) descriptor, with the format hint.
pub fn descriptor_invalid(descriptor: &str) -> DomainError {
    DomainError::new(
        ErrorKind::BadRequest,
        "business.descriptor_invalid",
        "business descriptor is invalid",
    )
    .with_extension("descriptor", descriptor)
    .with_extension("hint", DESCRIPTOR_HINT)
}

/// 409 `business.descriptor_taken` naming the descriptor.
pub fn descriptor_taken(descriptor: &str) -> DomainError {
    DomainError::new(
        ErrorKind::Conflict,
        "business.descriptor_taken",
        "business descriptor is already taken",
    )
    .with_extension("descriptor", descriptor)
}

/// 400 `business.invalid_country_code`.
pub fn invalid_country_code() -> DomainError {
    DomainError::new(
        ErrorKind::BadRequest,
        "business.invalid_country_code",
        "country code must be 2 characters",
    )
}

/// 400 `business.invalid_currency`.
pub fn invalid_currency() -> DomainError {
    DomainError::new(
        ErrorKind::BadRequest,
        "business.invalid_currency",
        "currency must be 3 characters",
    )
}

/// 404 "business not found" with no code: the resolver of business-scoped routes, whatever
/// went wrong (bad format, unknown, another workspace's).
pub fn business_not_found() -> DomainError {
    DomainError::new(ErrorKind::NotFound, "", "business not found")
}

/// 400 "invalid query parameters" with no code (availability without a descriptor).
pub fn invalid_query_parameters() -> DomainError {
    DomainError::new(ErrorKind::BadRequest, "", "invalid query parameters")
}

/// 429 `business.rate_limited` (shipping zones and payment methods, spec 02 §4.14).
pub fn rate_limited() -> DomainError {
    DomainError::new(
        ErrorKind::TooManyRequests,
        "business.rate_limited",
        "too many requests",
    )
}

/// 400 `business.shipping_zone_name_required` (create with a blank name).
pub fn shipping_zone_name_required() -> DomainError {
    DomainError::new(
        ErrorKind::BadRequest,
        "business.shipping_zone_name_required",
        "shipping zone name is required",
    )
}

/// 400 `business.shipping_zone_name_empty` (update to a blank name).
pub fn shipping_zone_name_empty() -> DomainError {
    DomainError::new(
        ErrorKind::BadRequest,
        "business.shipping_zone_name_empty",
        "shipping zone name cannot be empty",
    )
}

/// 400 `business.shipping_zone_name_too_long` (more than 80 bytes).
pub fn shipping_zone_name_too_long() -> DomainError {
    DomainError::new(
        ErrorKind::BadRequest,
        "business.shipping_zone_name_too_long",
        "shipping zone name is too long",
    )
}

/// 400 `business.shipping_cost_negative`.
pub fn shipping_cost_negative() -> DomainError {
    DomainError::new(
        ErrorKind::BadRequest,
        "business.shipping_cost_negative",
        "shipping cost cannot be negative",
    )
}

/// 400 `business.free_shipping_threshold_negative`.
pub fn free_shipping_threshold_negative() -> DomainError {
    DomainError::new(
        ErrorKind::BadRequest,
        "business.free_shipping_threshold_negative",
        "free shipping threshold cannot be negative",
    )
}

/// 400 `business.countries_required`: no country left after normalisation.
pub fn countries_required() -> DomainError {
    DomainError::new(
        ErrorKind::BadRequest,
        "business.countries_required",
        "at least one country is required",
    )
}

/// 409 `business.shipping_zone_name_taken` naming the zone name.
pub fn shipping_zone_name_taken(name: &str) -> DomainError {
    DomainError::new(
        ErrorKind::Conflict,
        "business.shipping_zone_name_taken",
        "a shipping zone with this name already exists",
    )
    .with_extension("name", name)
}

/// 404 `business.shipping_zone_not_found` naming the zone id.
pub fn shipping_zone_not_found(zone_id: &str) -> DomainError {
    DomainError::new(
        ErrorKind::NotFound,
        "business.shipping_zone_not_found",
        "shipping zone not found",
    )
    .with_extension("zoneId", zone_id)
}

/// 400 with no code: `feePercent` below zero (extension `field`).
pub fn fee_percent_negative() -> DomainError {
    DomainError::new(ErrorKind::BadRequest, "", "feePercent cannot be negative")
        .with_extension("field", "feePercent")
}

/// 400 with no code: `feePercent` above one (extension `field`).
pub fn fee_percent_too_large() -> DomainError {
    DomainError::new(
        ErrorKind::BadRequest,
        "",
        "feePercent must be between 0 and 1",
    )
    .with_extension("field", "feePercent")
}

/// 400 with no code: `feeFixed` below zero (extension `field`).
pub fn fee_fixed_negative() -> DomainError {
    DomainError::new(ErrorKind::BadRequest, "", "feeFixed cannot be negative")
        .with_extension("field", "feeFixed")
}

/// 400 with no code: a payment-method descriptor outside the catalogue (extension
/// `descriptor`).
pub fn invalid_payment_method(descriptor: &str) -> DomainError {
    DomainError::new(
        ErrorKind::BadRequest,
        "",
        "invalid payment method descriptor",
    )
    .with_extension("descriptor", descriptor)
}
