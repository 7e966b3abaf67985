//! The one mapping from errors to problem documents (RFC 7807 as the contract shapes it).
//!
//! Handlers and extractors fail with [`ApiError`]; the [`crate::middleware::problems`] middleware
//! turns every error response — ours, and actix's own — into a problem document carrying the
//! request path as `instance`, and logs 5xx causes once with the trace id.

use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_TYPE, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use kyora_core::{DomainError, ErrorKind};
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// The status of each error kind. Exhaustive: a new kind cannot be added without a status.
pub const fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
        ErrorKind::Unauthorized => StatusCode::UNAUTHORIZED,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorKind::Unprocessable => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// A problem document as it goes on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Problem {
    /// Always `about:blank`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The standard reason phrase of the status.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong (generic for 5xx).
    pub detail: String,
    /// The request path, without the query.
    pub instance: String,
    /// `code` (unless the error has none) and any extra keys; omitted when empty.
    #[serde(skip_serializing_if = "Map::is_empty")]
    #[schema(value_type = Object)]
    pub extensions: Map<String, Value>,
}

impl Problem {
    /// The problem document for `err` on `path`. 5xx details never carry the internal cause.
    pub fn from_error(err: &DomainError, path: &str) -> Self {
        let status = status_of(err.kind);
        let mut extensions = Map::with_capacity(err.extensions.len() + 1);
        // A few contract answers carry no code at all (e.g. the business resolver's 404).
        if !err.code.is_empty() {
            extensions.insert("code".to_owned(), Value::from(err.code));
        }
        extensions.extend(err.extensions.clone());
        let detail = if status.is_server_error() {
            match err.kind {
                ErrorKind::Unavailable => "a required service is unavailable",
                _ => "An internal server error occurred",
            }
            .to_owned()
        } else {
            err.detail.clone()
        };
        Self {
            kind: "about:blank".to_owned(),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail,
            instance: path.to_owned(),
            extensions,
        }
    }

    /// The HTTP response carrying this document.
    pub fn into_response(self) -> HttpResponse {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        HttpResponse::build(status)
            .insert_header((
                CONTENT_TYPE,
                HeaderValue::from_static("application/problem+json"),
            ))
            .body(body)
    }
}

/// The error type of every handler and extractor.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError(pub DomainError);

impl From<DomainError> for ApiError {
    fn from(err: DomainError) -> Self {
        Self(err)
    }
}

impl From<kyora_core::RepoError> for ApiError {
    fn from(err: kyora_core::RepoError) -> Self {
        Self(err.into())
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        status_of(self.0.kind)
    }

    /// The document without `instance`; the problems middleware, which knows the path, fills it.
    fn error_response(&self) -> HttpResponse {
        Problem::from_error(&self.0, "").into_response()
    }
}

/// Classifies an error that did not come from our code (actix's extractors, routing) by status.
pub fn classify_foreign(status: StatusCode) -> DomainError {
    match status {
        StatusCode::NOT_FOUND => DomainError::not_found(),
        StatusCode::PAYLOAD_TOO_LARGE => DomainError::body_too_large(),
        StatusCode::CONFLICT => DomainError::conflict(),
        s if s.is_client_error() => DomainError::invalid_body(),
        s => DomainError::internal(format!("unclassified error with status {s}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_status_and_title() {
        let cases = [
            (ErrorKind::BadRequest, 400, "Bad Request"),
            (ErrorKind::Unauthorized, 401, "Unauthorized"),
            (ErrorKind::Forbidden, 403, "Forbidden"),
            (ErrorKind::NotFound, 404, "Not Found"),
            (ErrorKind::Conflict, 409, "Conflict"),
            (ErrorKind::PayloadTooLarge, 413, "Payload Too Large"),
            (ErrorKind::Unprocessable, 422, "Unprocessable Entity"),
            (ErrorKind::TooManyRequests, 429, "Too Many Requests"),
            (ErrorKind::Unavailable, 503, "Service Unavailable"),
            (ErrorKind::Internal, 500, "Internal Server Error"),
        ];
        for (kind, status, title) in cases {
            let problem = Problem::from_error(&DomainError::new(kind, "x.y", "d"), "/p");
            assert_eq!((problem.status, problem.title.as_str()), (status, title));
        }
    }

    #[test]
    fn the_document_carries_code_and_extensions_and_the_path() {
        let err = DomainError::new(
            ErrorKind::Forbidden,
            "billing.feature_limit_reached",
            "limit",
        )
        .with_extension("feature", "maxBusinesses")
        .with_extension("limit", 1);
        let json = serde_json::to_value(Problem::from_error(&err, "/v1/businesses")).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "type": "about:blank",
                "title": "Forbidden",
                "status": 403,
                "detail": "limit",
                "instance": "/v1/businesses",
                "extensions": {"code": "billing.feature_limit_reached", "feature": "maxBusinesses", "limit": 1}
            })
        );
    }

    #[test]
    fn an_error_without_a_code_has_no_code_in_its_extensions() {
        let bare = DomainError::new(ErrorKind::NotFound, "", "business not found");
        let json =
            serde_json::to_value(Problem::from_error(&bare, "/v1/businesses/x/customers")).unwrap();
        assert_eq!(json["detail"], "business not found");
        assert!(json.get("extensions").is_none(), "{json}");
        let with_field = DomainError::new(ErrorKind::BadRequest, "", "feeFixed cannot be negative")
            .with_extension("field", "feeFixed");
        let json = serde_json::to_value(Problem::from_error(&with_field, "/p")).unwrap();
        assert_eq!(json["extensions"], serde_json::json!({"field": "feeFixed"}));
    }

    #[test]
    fn server_errors_never_leak_their_cause() {
        let err = DomainError::new(
            ErrorKind::Internal,
            "generic.internal",
            "db password is hunter2",
        )
        .with_cause("connection refused");
        let problem = Problem::from_error(&err, "/x");
        assert_eq!(problem.detail, "An internal server error occurred");
        let body = serde_json::to_string(&problem).unwrap();
        assert!(!body.contains("hunter2") && !body.contains("refused"));
    }

    #[test]
    fn foreign_errors_fall_back_to_the_generic_codes() {
        assert_eq!(
            classify_foreign(StatusCode::NOT_FOUND).code,
            "resource.not_found"
        );
        assert_eq!(
            classify_foreign(StatusCode::BAD_REQUEST).code,
            "request.invalid_body"
        );
        assert_eq!(
            classify_foreign(StatusCode::PAYLOAD_TOO_LARGE).code,
            "request.body_too_large"
        );
        assert_eq!(
            classify_foreign(StatusCode::BAD_GATEWAY).code,
            "generic.internal"
        );
    }
}
