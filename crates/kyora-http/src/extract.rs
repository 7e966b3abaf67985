//! Extractors with the contract's error behaviour.
//!
//! - [`StrictJson`]: exactly one JSON value matching the schema; empty, malformed, mistyped,
//!   unknown fields (DTOs use `#[serde(deny_unknown_fields)]`), trailing content or a failed
//!   validation rule → 400 `request.invalid_body`; over the body limit → 413.
//! - [`StrictQuery`]: query strings (repeated keys allowed) → 400 `request.invalid_query_parameter`.

use std::ops::Deref;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures::StreamExt;
use futures::future::LocalBoxFuture;
use kyora_core::DomainError;
use serde::de::DeserializeOwned;
use validator::Validate;

use crate::problem::ApiError;
use crate::settings::HttpSettings;

/// Reads the whole body, refusing it with 413 as soon as it passes the configured limit.
///
/// # Errors
/// 413 `request.body_too_large`, or 400 `request.invalid_body` when the stream breaks.
pub async fn read_body(req: &HttpRequest, payload: &mut Payload) -> Result<Vec<u8>, ApiError> {
    let limit = req
        .app_data::<web::Data<HttpSettings>>()
        .and_then(|s| s.max_body_bytes);
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|err| DomainError::invalid_body().with_cause(err))?;
        if limit.is_some_and(|limit| body.len() + chunk.len() > limit) {
            return Err(DomainError::body_too_large().into());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The raw body, read under the limit, for handlers that must run gates before validating it.
#[derive(Debug)]
pub struct RawBody(pub Vec<u8>);

impl FromRequest for RawBody {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move { read_body(&req, &mut payload).await.map(Self) })
    }
}

/// A strictly parsed and validated JSON body.
#[derive(Debug)]
pub struct StrictJson<T>(pub T);

impl<T> StrictJson<T> {
    /// The body.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for StrictJson<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// Parses `bytes` as exactly one JSON value of type `T` and validates it.
///
/// # Errors
/// 400 `request.invalid_body`.
pub fn parse_json<T: DeserializeOwned + Validate>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: T =
        serde_json::from_slice(bytes).map_err(|err| DomainError::invalid_body().with_cause(err))?;
    value
        .validate()
        .map_err(|err| DomainError::invalid_body().with_cause(err))?;
    Ok(value)
}

impl<T: DeserializeOwned + Validate + 'static> FromRequest for StrictJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            let body = read_body(&req, &mut payload).await?;
            parse_json(&body).map(Self)
        })
    }
}

/// A query string parsed with repeated keys allowed (`orderBy=a&orderBy=b`).
#[derive(Debug)]
pub struct StrictQuery<T>(pub T);

impl<T> StrictQuery<T> {
    /// The parsed query.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: DeserializeOwned> FromRequest for StrictQuery<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(
            serde_html_form::from_str(req.query_string())
                .map(Self)
                .map_err(|err| {
                    DomainError::invalid_query("invalid query parameters")
                        .with_cause(err)
                        .into()
                }),
        )
    }
}

/// Routes actix's own extractor errors (`web::Json`, `web::Query`, `web::Path`) through our mapping.
pub fn configure_extractors(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::JsonConfig::default().error_handler(|err, _| {
        let domain = match err {
            actix_web::error::JsonPayloadError::Overflow { .. }
            | actix_web::error::JsonPayloadError::OverflowKnownLength { .. } => {
                DomainError::body_too_large()
            }
            other => DomainError::invalid_body().with_cause(other),
        };
        ApiError(domain).into()
    }))
    .app_data(web::QueryConfig::default().error_handler(|err, _| {
        ApiError(DomainError::invalid_query("invalid query parameters").with_cause(err)).into()
    }))
    .app_data(
        web::PathConfig::default()
            .error_handler(|err, _| ApiError(DomainError::not_found().with_cause(err)).into()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, Validate)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    struct Login {
        #[validate(email)]
        email: String,
        #[validate(length(min = 8))]
        password: String,
        nested: Option<Nested>,
    }

    #[derive(Debug, Deserialize, Validate)]
    #[serde(deny_unknown_fields)]
    struct Nested {
        flag: bool,
    }

    fn code(bytes: &str) -> &'static str {
        parse_json::<Login>(bytes.as_bytes()).unwrap_err().0.code
    }

    #[test]
    fn a_valid_body_parses() {
        let login: Login = parse_json(
            r#"{"email":"a@b.co","password":"ééééééé1","nested":{"flag":true}}"#.as_bytes(),
        )
        .unwrap();
        assert_eq!(login.email, "a@b.co");
        assert!(login.nested.is_some_and(|n| n.flag));
    }

    #[test]
    fn malformed_empty_mistyped_unknown_and_trailing_bodies_are_refused() {
        for body in [
            "",
            "{",
            r#"{"email":"a@b.co","password":12345678}"#,
            r#"{"email":"a@b.co","password":"12345678","extra":1}"#,
            r#"{"email":"a@b.co","password":"12345678","nested":{"flag":true,"x":1}}"#,
            r#"{"email":"a@b.co","password":"12345678"} {}"#,
            r#"{"email":"a@b.co","password":"12345678"}x"#,
        ] {
            assert_eq!(code(body), "request.invalid_body", "{body}");
        }
    }

    #[test]
    fn validation_failures_are_invalid_bodies_and_length_counts_characters() {
        assert_eq!(
            code(r#"{"email":"nope","password":"12345678"}"#),
            "request.invalid_body"
        );
        assert_eq!(
            code(r#"{"email":"a@b.co","password":"ééééééé"}"#),
            "request.invalid_body"
        );
    }
}
