//! The OpenAPI document: every route is listed here and registered in [`crate::app::routes`];
//! `GET /openapi.json` serves the document and `/docs` a Swagger UI whose assets are compiled in.

use actix_web::HttpResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::account::routes as acc;
use crate::business::routes as biz;
use crate::customer::routes as cus;

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
        openapi_json,
        acc::login,
        acc::refresh,
        acc::logout,
        acc::logout_all,
        acc::logout_others,
        acc::google_url,
        acc::google_login,
        acc::forgot_password,
        acc::reset_password,
        acc::request_email_verification,
        acc::verify_email,
        acc::accept_invitation,
        acc::accept_invitation_google,
        acc::me,
        acc::update_me,
        acc::workspace,
        acc::members,
        acc::member,
        acc::change_role,
        acc::remove_member,
        acc::invite,
        acc::invitations,
        acc::revoke_invitation,
        biz::list_businesses,
        biz::descriptor_availability,
        biz::get_business,
        biz::create_business,
        biz::update_business,
        biz::archive_business,
        biz::unarchive_business,
        biz::delete_business,
        biz::list_zones,
        biz::get_zone,
        biz::create_zone,
        biz::update_zone,
        biz::delete_zone,
        biz::list_payment_methods,
        biz::update_payment_method,
        cus::list_customers,
        cus::get_customer,
        cus::create_customer,
        cus::update_customer,
        cus::delete_customer,
        cus::list_addresses,
        cus::create_address,
        cus::update_address,
        cus::delete_address,
        cus::list_notes,
        cus::create_note,
        cus::delete_note,
    ),
    components(schemas(crate::problem::Problem)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// Declares the `bearer` security scheme the protected routes reference.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The OpenAPI document of this API.
#[utoipa::path(get, path = "/openapi.json", tag = "docs",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json")))]
pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json; charset=utf-8")
        .body(ApiDoc::openapi().to_json().unwrap_or_default())
}
