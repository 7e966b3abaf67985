//! Health endpoints: `/healthz` and `/livez` (no dependency checks, spec 01 §3.2) and `/readyz`
//! (the database and the cache answer).

use std::time::Duration;

use actix_web::{HttpResponse, web};
use kyora_core::DomainError;
use serde::Serialize;
use utoipa::ToSchema;

use crate::problem::ApiError;
use crate::state::AppState;

const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

fn ok_text() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("ok")
}

/// Liveness for load balancers.
#[utoipa::path(get, path = "/healthz", tag = "health",
    responses((status = 200, description = "The process is up", body = String, content_type = "text/plain")))]
pub async fn healthz() -> HttpResponse {
    ok_text()
}

/// Liveness for orchestrators.
#[utoipa::path(get, path = "/livez", tag = "health",
    responses((status = 200, description = "The process is up", body = String, content_type = "text/plain")))]
pub async fn livez() -> HttpResponse {
    ok_text()
}

/// The state of each dependency.
#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    /// `ok` or `down`.
    pub database: &'static str,
    /// `ok` or `down`.
    pub cache: &'static str,
}

fn state_of<E>(result: Result<Result<(), E>, tokio_timeout::Elapsed>) -> &'static str {
    match result {
        Ok(Ok(())) => "ok",
        _ => "down",
    }
}

mod tokio_timeout {
    //! A runtime-agnostic timeout, so this crate needs no tokio dependency.
    use std::future::Future;
    use std::time::Duration;

    use futures::future::{Either, select};

    /// The deadline passed.
    #[derive(Debug)]
    pub struct Elapsed;

    pub async fn timeout<F: Future>(limit: Duration, fut: F) -> Result<F::Output, Elapsed> {
        let sleep = actix_web::rt::time::sleep(limit);
        match select(Box::pin(fut), Box::pin(sleep)).await {
            Either::Left((out, _)) => Ok(out),
            Either::Right(_) => Err(Elapsed),
        }
    }
}

/// Readiness: 200 when the database and the cache answer, 503 otherwise.
#[utoipa::path(get, path = "/readyz", tag = "health",
    responses(
        (status = 200, description = "Every dependency answers", body = Readiness),
        (status = 503, description = "A dependency is down", body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let (database, cache) = futures::join!(
        tokio_timeout::timeout(CHECK_TIMEOUT, state.store.ping()),
        tokio_timeout::timeout(CHECK_TIMEOUT, state.cache.ping()),
    );
    let readiness = Readiness {
        database: state_of(database),
        cache: state_of(cache),
    };
    if readiness.database == "ok" && readiness.cache == "ok" {
        return Ok(crate::respond::json(
            actix_web::http::StatusCode::OK,
            &readiness,
        ));
    }
    Err(DomainError::unavailable(format!(
        "readiness: database {}, cache {}",
        readiness.database, readiness.cache
    ))
    .with_extension("database", readiness.database)
    .with_extension("cache", readiness.cache)
    .into())
}
