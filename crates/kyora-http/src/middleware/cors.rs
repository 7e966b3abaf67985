//! The two CORS policies of spec 01 §3.1 and the catch-all preflight.
//!
//! Paths under `/v1/storefront` and `/v1/public` use the public policy (every origin); every other
//! `/v1/` path uses the configured one; `/healthz`, `/livez`, `/webhooks/stripe` and the other
//! operator paths have none, except that `OPTIONS` is answered on every path.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, web};

use crate::settings::{CorsOrigins, HttpSettings};

const ALLOW_METHODS: &str = "GET,POST,PUT,PATCH,DELETE,OPTIONS,HEAD";
const ALLOW_HEADERS: &str = "Authorization,Content-Type,X-Request-Id,X-Trace-Id";
const ALLOW_HEADERS_PUBLIC: &str =
    "Authorization,Content-Type,X-Request-Id,X-Trace-Id,Idempotency-Key";
const MAX_AGE: &str = "43200";
const EXPOSE_HEADERS: &str = "X-Trace-Id";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Policy {
    Public,
    Configured,
}

fn policy_for(path: &str, method: &Method) -> Option<Policy> {
    let public = ["/v1/storefront", "/v1/public"]
        .iter()
        .any(|prefix| has_prefix(path, prefix));
    if public {
        Some(Policy::Public)
    } else if *method == Method::OPTIONS || path.starts_with("/v1/") {
        Some(Policy::Configured)
    } else {
        None
    }
}

fn has_prefix(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Whether `origin` is the server's own (`http://<Host>` or `https://<Host>`).
fn same_origin(origin: &str, headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
        .is_some_and(|rest| rest == host)
}

/// Applies the CORS policy of the request's path.
///
/// # Errors
/// Passes inner errors through unchanged.
pub async fn cors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let preflight = req.method() == Method::OPTIONS;
    let Some(policy) = policy_for(req.path(), req.method()) else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|origin| !same_origin(origin, req.headers()))
        .map(str::to_owned);
    let Some(origin) = origin else {
        if preflight {
            return Ok(req.into_response(HttpResponse::Ok().finish()));
        }
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let configured = req
        .app_data::<web::Data<HttpSettings>>()
        .map_or(CorsOrigins::Any, |s| s.cors.clone());
    let origins = match policy {
        Policy::Public => CorsOrigins::Any,
        Policy::Configured => configured,
    };
    if !origins.allows(&origin) {
        return Ok(req.into_response(HttpResponse::Forbidden().finish()));
    }
    if preflight {
        let mut res = HttpResponse::new(StatusCode::NO_CONTENT);
        let headers = res.headers_mut();
        allow_origin(headers, &origins, &origin);
        if matches!(origins, CorsOrigins::List(_)) {
            headers.append(
                header::VARY,
                HeaderValue::from_static("Access-Control-Request-Method"),
            );
            headers.append(
                header::VARY,
                HeaderValue::from_static("Access-Control-Request-Headers"),
            );
        }
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static(ALLOW_METHODS),
        );
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static(match policy {
                Policy::Public => ALLOW_HEADERS_PUBLIC,
                Policy::Configured => ALLOW_HEADERS,
            }),
        );
        headers.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static(MAX_AGE),
        );
        return Ok(req.into_response(res));
    }
    let mut res = next.call(req).await?.map_into_boxed_body();
    let headers = res.headers_mut();
    allow_origin(headers, &origins, &origin);
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(EXPOSE_HEADERS),
    );
    Ok(res)
}

fn allow_origin(headers: &mut HeaderMap, origins: &CorsOrigins, origin: &str) {
    match origins {
        CorsOrigins::Any => {
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            );
        }
        CorsOrigins::List(_) => {
            if let Ok(value) = HeaderValue::from_str(origin) {
                headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
            }
            headers.append(header::VARY, HeaderValue::from_static("Origin"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_prefixes_match_whole_segments() {
        assert_eq!(
            policy_for("/v1/storefront/acme", &Method::GET),
            Some(Policy::Public)
        );
        assert_eq!(policy_for("/v1/public", &Method::GET), Some(Policy::Public));
        assert_eq!(
            policy_for("/v1/publicity", &Method::GET),
            Some(Policy::Configured)
        );
    }

    #[test]
    fn operator_paths_have_no_policy_except_for_preflights() {
        assert_eq!(policy_for("/healthz", &Method::GET), None);
        assert_eq!(policy_for("/webhooks/stripe", &Method::POST), None);
        assert_eq!(
            policy_for("/healthz", &Method::OPTIONS),
            Some(Policy::Configured)
        );
    }
}
