//! Trace ids and the request log: one span per request carrying the trace id, method, path,
//! client IP, status and latency; the trace id is echoed on every response.

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, web};
use tracing::Instrument;

use super::client_ip;
use crate::settings::HttpSettings;

/// The request's trace id, available to handlers through the request extensions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceId(pub String);

/// The outermost middleware.
///
/// # Errors
/// Only an error no inner layer turned into a response.
pub async fn trace(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let header_name = req
        .app_data::<web::Data<HttpSettings>>()
        .and_then(|s| HeaderName::from_bytes(s.trace_id_header.as_bytes()).ok())
        .unwrap_or_else(|| HeaderName::from_static("x-trace-id"));
    let trace_id = req
        .headers()
        .get(&header_name)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty())
        .map_or_else(kyora_core::shared::id::ksuid, str::to_owned);
    req.extensions_mut().insert(TraceId(trace_id.clone()));

    let method = req.method().to_string();
    let path = req.path().to_owned();
    let ip = client_ip(req.request());
    let span = tracing::info_span!(
        "request",
        trace_id = %trace_id,
        method = %method,
        path = %path,
        client_ip = %ip,
        user_id = tracing::field::Empty,
    );
    let started = Instant::now();
    span.in_scope(|| tracing::debug!("request started"));
    // Inner layers answer errors as responses (the problems layer), so an `Err` here can only be
    // a bug; it is logged and passed on.
    let mut res = match next.call(req).instrument(span.clone()).await {
        Ok(res) => res.map_into_boxed_body(),
        Err(err) => {
            span.in_scope(|| tracing::error!(error = %err, "request failed outside the pipeline"));
            return Err(err);
        }
    };
    if let Ok(value) = HeaderValue::from_str(&trace_id) {
        res.headers_mut().insert(header_name, value);
    }
    let status = res.status().as_u16();
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| {
        if status >= 500 {
            tracing::error!(status, latency_ms, "request completed");
        } else if status >= 400 {
            tracing::warn!(status, latency_ms, "request completed");
        } else {
            tracing::info!(status, latency_ms, "request completed");
        }
    });
    Ok(res)
}
