//! Turns every error response into a problem document with the request path as `instance`, and
//! logs the internal cause of 5xx errors once (inside the request span, so with the trace id).

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

use crate::problem::{ApiError, Problem, classify_foreign};

/// Rewrites error responses into problem documents.
///
/// # Errors
/// Passes on an `Err` from routing (handlers and extractors answer errors as responses).
pub async fn problems(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let res = next.call(req).await?;
    if res.response().error().is_some() {
        return Ok(rewrite(res.map_into_boxed_body()));
    }
    Ok(res.map_into_boxed_body())
}

fn rewrite(res: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    let Some(error) = res.response().error() else {
        return res;
    };
    let domain = error.as_error::<ApiError>().map_or_else(
        || classify_foreign(error.as_response_error().status_code()).with_cause(error),
        |api| api.0.clone(),
    );
    if let Some(cause) = &domain.cause {
        if crate::problem::status_of(domain.kind).is_server_error() {
            tracing::error!(code = domain.code, cause = %cause, "request failed");
        } else {
            tracing::debug!(code = domain.code, cause = %cause, "request refused");
        }
    }
    let problem = Problem::from_error(&domain, res.request().path());
    let (req, _) = res.into_parts();
    ServiceResponse::new(req, problem.into_response())
}
