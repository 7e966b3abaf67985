//! The customer context's rule violations, each with its stable code (spec 02 §3.4–3.6).

use crate::shared::error::{DomainError, ErrorKind, RepoError};

/// 404 `customer.not_found`: no live customer with this id in the business.
pub fn not_found() -> DomainError {
    DomainError::new(
        ErrorKind::NotFound,
        "customer.not_found",
        "customer not found",
    )
}

/// 404 `customer.address_not_found`: the customer or the address is missing, or the address
/// belongs to another customer.
pub fn address_not_found() -> DomainError {
    DomainError::new(
        ErrorKind::NotFound,
        "customer.address_not_found",
        "customer address not found",
    )
}

/// 404 `customer.note_not_found`: the customer or the note is missing, or the note belongs to
/// another customer.
pub fn note_not_found() -> DomainError {
    DomainError::new(
        ErrorKind::NotFound,
        "customer.note_not_found",
        "customer note not found",
    )
}

/// 409 `customer.duplicate_email`: a live customer of the business already has this exact email.
pub fn duplicate_email() -> DomainError {
    DomainError::new(
        ErrorKind::Conflict,
        "customer.duplicate_email",
        "a customer with this email already exists",
    )
}

/// 400 `customer.invalid_search_term`: longer than the limit once normalised.
pub fn invalid_search_term() -> DomainError {
    DomainError::new(
        ErrorKind::BadRequest,
        "customer.invalid_search_term",
        "search term is too long",
    )
}

/// 400 `customer.invalid_query_params`: a malformed list parameter (`pageSize=101`, `page=-1`,
/// a non-number).
pub fn invalid_query_params(detail: impl Into<String>) -> DomainError {
    DomainError::new(
        ErrorKind::BadRequest,
        "customer.invalid_query_params",
        detail,
    )
}

/// 500 `customer.query_failed`; `cause` is logged only.
pub fn query_failed(cause: impl std::fmt::Display) -> DomainError {
    DomainError::new(
        ErrorKind::Internal,
        "customer.query_failed",
        "failed to process the customer request",
    )
    .with_cause(cause)
}

/// 400 `request.invalid_body` naming the field rule that failed.
pub fn invalid_field(detail: impl Into<String>) -> DomainError {
    DomainError::new(ErrorKind::BadRequest, "request.invalid_body", detail)
}

/// A storage failure as the customer routes report it: a missing row becomes `missing`, every
/// other failure 500 `customer.query_failed`.
pub(crate) fn from_repo(err: RepoError, missing: fn() -> DomainError) -> DomainError {
    match err {
        RepoError::NotFound => missing(),
        other => query_failed(other),
    }
}

/// A customer write's storage failure: a unique violation is the email index.
pub(crate) fn from_customer_write(err: RepoError) -> DomainError {
    match err {
        RepoError::Conflict(_) => duplicate_email(),
        other => from_repo(other, not_found),
    }
}
