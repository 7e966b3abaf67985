//! The body-size limit on every request, every method, every path (even unknown ones): a declared
//! `Content-Length` over the limit is refused at once with 413; bodies without one are capped by
//! the extractors that read them ([`crate::extract::read_body`]).

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::CONTENT_LENGTH;
use actix_web::middleware::Next;
use actix_web::web;
use kyora_core::DomainError;

use crate::problem::Problem;
use crate::settings::HttpSettings;

/// Refuses over-limit declared bodies.
///
/// # Errors
/// Passes inner errors through unchanged.
pub async fn limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let limit = req
        .app_data::<web::Data<HttpSettings>>()
        .and_then(|s| s.max_body_bytes);
    if let Some(limit) = limit {
        let declared = req
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|len| len > limit as u64) {
            let problem = Problem::from_error(&DomainError::body_too_large(), req.path());
            return Ok(req.into_response(problem.into_response()));
        }
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}
