//! Success responses: JSON with `application/json; charset=utf-8`, and empty 204s.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use serde::Serialize;

/// `body` as JSON with `status`.
pub fn json<T: Serialize>(status: StatusCode, body: &T) -> HttpResponse {
    match serde_json::to_vec(body) {
        Ok(bytes) => HttpResponse::build(status)
            .content_type("application/json; charset=utf-8")
            .body(bytes),
        Err(err) => {
            tracing::error!(%err, "response serialisation failed");
            HttpResponse::InternalServerError().finish()
        }
    }
}

/// 204 with no body.
pub fn no_content() -> HttpResponse {
    HttpResponse::NoContent().finish()
}
