//! The domain's error type.
//!
//! Every rule violation is a [`DomainError`]: a [`ErrorKind`] that decides the HTTP status, a
//! stable machine-readable `code` (`"order.invalid_transition"`), a human `detail`, and optional
//! extra keys. Contexts declare their own error constructors; the HTTP layer maps the kind to a
//! problem document in one exhaustive place.

use std::fmt;

use serde_json::{Map, Value};

/// The class of a domain error; decides the HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The request is malformed or fails validation (400).
    BadRequest,
    /// Missing or invalid credentials (401).
    Unauthorized,
    /// The actor may not do this (403).
    Forbidden,
    /// The resource does not exist for this actor (404).
    NotFound,
    /// The request conflicts with the current state (409).
    Conflict,
    /// The request body is larger than allowed (413).
    PayloadTooLarge,
    /// The request is well formed but cannot be processed (422).
    Unprocessable,
    /// Too many attempts (429).
    TooManyRequests,
    /// A dependency is down (503).
    Unavailable,
    /// Anything else (500); the detail is never shown to clients.
    Internal,
}

/// A domain error with a stable code.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainError {
    /// The class of the error.
    pub kind: ErrorKind,
    /// Stable machine-readable code, e.g. `resource.not_found`.
    pub code: &'static str,
    /// Human-readable detail shown to clients (except for internal errors).
    pub detail: String,
    /// Extra keys carried next to `code` in the problem document's `extensions`.
    pub extensions: Map<String, Value>,
    /// The internal cause, logged but never shown to clients.
    pub cause: Option<String>,
}

impl DomainError {
    /// Builds an error of `kind` with `code` and `detail`.
    pub fn new(kind: ErrorKind, code: &'static str, detail: impl Into<String>) -> Self {
        Self {
            kind,
            code,
            detail: detail.into(),
            extensions: Map::new(),
            cause: None,
        }
    }

    /// Adds an extension key.
    #[must_use]
    pub fn with_extension(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.extensions.insert(key.to_owned(), value.into());
        self
    }

    /// Records the internal cause (logged, never returned to clients).
    #[must_use]
    pub fn with_cause(mut self, cause: impl fmt::Display) -> Self {
        self.cause = Some(cause.to_string());
        self
    }

    /// The generic "record not found" error.
    pub fn not_found() -> Self {
        Self::new(
            ErrorKind::NotFound,
            "resource.not_found",
            "resource not found",
        )
    }

    /// The generic unique-constraint violation.
    pub fn conflict() -> Self {
        Self::new(
            ErrorKind::Conflict,
            "resource.conflict",
            "resource already exists",
        )
    }

    /// The generic internal error; `cause` is logged only.
    pub fn internal(cause: impl fmt::Display) -> Self {
        Self::new(
            ErrorKind::Internal,
            "generic.internal",
            "An internal server error occurred",
        )
        .with_cause(cause)
    }

    /// A dependency (database, cache) is unreachable.
    pub fn unavailable(cause: impl fmt::Display) -> Self {
        Self::new(
            ErrorKind::Unavailable,
            "generic.unavailable",
            "a required service is unavailable",
        )
        .with_cause(cause)
    }

    /// The strict-JSON body error shared by every endpoint with a body.
    pub fn invalid_body() -> Self {
        Self::new(
            ErrorKind::BadRequest,
            "request.invalid_body",
            "invalid request body",
        )
    }

    /// A query parameter is missing or malformed.
    pub fn invalid_query(detail: impl Into<String>) -> Self {
        Self::new(
            ErrorKind::BadRequest,
            "request.invalid_query_parameter",
            detail,
        )
    }

    /// The body is over the configured limit.
    pub fn body_too_large() -> Self {
        Self::new(
            ErrorKind::PayloadTooLarge,
            "request.body_too_large",
            "request body too large",
        )
    }

    /// Whether this is a transient storage failure that a retry may fix.
    pub fn is_retryable(&self) -> bool {
        self.code == RETRYABLE_CODE
    }
}

const RETRYABLE_CODE: &str = "generic.serialization_failure";

impl fmt::Display for DomainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.detail)?;
        if let Some(cause) = &self.cause {
            write!(f, " ({cause})")?;
        }
        Ok(())
    }
}

impl std::error::Error for DomainError {}

/// Errors of repository ports, translated once from driver errors by each adapter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RepoError {
    /// No row matched (within the caller's tenant scope).
    #[error("record not found")]
    NotFound,
    /// A uniqueness constraint was violated.
    #[error("unique constraint violated: {0}")]
    Conflict(String),
    /// The transaction lost a serialization race or a deadlock; retrying may succeed.
    #[error("serialization failure: {0}")]
    Serialization(String),
    /// The store cannot be reached.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// Anything else.
    #[error("store error: {0}")]
    Other(String),
}

impl From<RepoError> for DomainError {
    fn from(err: RepoError) -> Self {
        match err {
            RepoError::NotFound => Self::not_found(),
            RepoError::Conflict(cause) => Self::conflict().with_cause(cause),
            RepoError::Serialization(cause) => Self::new(
                ErrorKind::Conflict,
                RETRYABLE_CODE,
                "the operation conflicted with another one; retry it",
            )
            .with_cause(cause),
            RepoError::Unavailable(cause) => Self::unavailable(cause),
            RepoError::Other(cause) => Self::internal(cause),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_errors_map_to_the_generic_fallbacks() {
        assert_eq!(
            DomainError::from(RepoError::NotFound).code,
            "resource.not_found"
        );
        let conflict = DomainError::from(RepoError::Conflict("users_email".into()));
        assert_eq!(conflict.kind, ErrorKind::Conflict);
        assert_eq!(conflict.code, "resource.conflict");
        assert_eq!(conflict.detail, "resource already exists");
        let other = DomainError::from(RepoError::Other("boom".into()));
        assert_eq!(other.kind, ErrorKind::Internal);
        assert_eq!(other.detail, "An internal server error occurred");
        assert_eq!(other.cause.as_deref(), Some("boom"));
    }

    #[test]
    fn only_serialization_failures_are_retryable() {
        assert!(DomainError::from(RepoError::Serialization("40001".into())).is_retryable());
        assert!(!DomainError::from(RepoError::Conflict("x".into())).is_retryable());
        assert!(!DomainError::not_found().is_retryable());
    }

    #[test]
    fn display_includes_the_cause_for_logs() {
        let err = DomainError::internal("disk full");
        assert_eq!(
            err.to_string(),
            "generic.internal: An internal server error occurred (disk full)"
        );
    }
}
