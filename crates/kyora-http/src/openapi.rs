//! The OpenAPI document: every route is listed here and registered in [`crate::app::routes`];
//! `GET /openapi.json` serves the document and `/docs` a Swagger UI whose assets are compiled in.

use actix_web::HttpResponse;
use utoipa::OpenApi;

/// The API's OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Kyora API",
        description = "The HTTP API behind the Kyora seller portal and storefront."
    ),
    paths(
        crate::health::healthz,
        crate::health::livez,
        crate::health::readyz,
        openapi_json
    ),
    components(schemas(crate::problem::Problem))
)]
pub struct ApiDoc;

/// The OpenAPI document of this API.
#[utoipa::path(get, path = "/openapi.json", tag = "docs",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json")))]
pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json; charset=utf-8")
        .body(ApiDoc::openapi().to_json().unwrap_or_default())
}
