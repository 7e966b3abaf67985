//! Panic recovery: a panicking handler yields 500 with an empty body and the worker lives on.
//!
//! It wraps each route (not the app) because it keeps a handle on the request, which must only
//! happen after routing.

use std::panic::AssertUnwindSafe;

use actix_web::HttpResponse;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use futures::FutureExt;

/// Catches panics from every inner layer.
///
/// # Errors
/// Passes inner errors through unchanged.
pub async fn recover(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let http_req = req.request().clone();
    match AssertUnwindSafe(next.call(req)).catch_unwind().await {
        Ok(result) => result.map(ServiceResponse::map_into_boxed_body),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::error!(panic = %message, "handler panicked");
            Ok(ServiceResponse::new(
                http_req,
                HttpResponse::InternalServerError().finish(),
            ))
        }
    }
}
