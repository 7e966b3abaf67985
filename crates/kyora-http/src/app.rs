//! Assembles the actix application: the global pipeline, the route table and the fallback.

use actix_web::body::BoxBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::from_fn;
use actix_web::{App, web};
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::middleware::{body_limit, cors, problems, trace};
use crate::routes::{KnownRoutes, RouteTable, fallback};
use crate::settings::HttpSettings;
use crate::state::AppState;
use crate::{extract, health, openapi};

/// Every route of the API.
pub fn routes() -> RouteTable {
    use crate::account::routes as acc;
    use crate::business::routes as biz;
    use crate::customer::routes as cus;
    RouteTable::default()
        .route::<health::__path_healthz>(|| web::route().to(health::healthz))
        .route::<health::__path_livez>(|| web::route().to(health::livez))
        .route::<health::__path_readyz>(|| web::route().to(health::readyz))
        .route::<openapi::__path_openapi_json>(|| web::route().to(openapi::openapi_json))
        .route::<acc::__path_login>(|| web::route().to(acc::login))
        .route::<acc::__path_refresh>(|| web::route().to(acc::refresh))
        .route::<acc::__path_logout>(|| web::route().to(acc::logout))
        .route::<acc::__path_logout_all>(|| web::route().to(acc::logout_all))
        .route::<acc::__path_logout_others>(|| web::route().to(acc::logout_others))
        .route::<acc::__path_google_url>(|| web::route().to(acc::google_url))
        .route::<acc::__path_google_login>(|| web::route().to(acc::google_login))
        .route::<acc::__path_forgot_password>(|| web::route().to(acc::forgot_password))
        .route::<acc::__path_reset_password>(|| web::route().to(acc::reset_password))
        .route::<acc::__path_request_email_verification>(|| {
            web::route().to(acc::request_email_verification)
        })
        .route::<acc::__path_verify_email>(|| web::route().to(acc::verify_email))
        .route::<acc::__path_accept_invitation>(|| web::route().to(acc::accept_invitation))
        .route::<acc::__path_accept_invitation_google>(|| {
            web::route().to(acc::accept_invitation_google)
        })
        .route::<acc::__path_me>(|| web::route().to(acc::me))
        .route::<acc::__path_update_me>(|| web::route().to(acc::update_me))
        .route::<acc::__path_workspace>(|| web::route().to(acc::workspace))
        .route::<acc::__path_members>(|| web::route().to(acc::members))
        .route::<acc::__path_member>(|| web::route().to(acc::member))
        .route::<acc::__path_change_role>(|| web::route().to(acc::change_role))
        .route::<acc::__path_remove_member>(|| web::route().to(acc::remove_member))
        .route::<acc::__path_invite>(|| web::route().to(acc::invite))
        .route::<acc::__path_invitations>(|| web::route().to(acc::invitations))
        .route::<acc::__path_revoke_invitation>(|| web::route().to(acc::revoke_invitation))
        .route::<biz::__path_list_businesses>(|| web::route().to(biz::list_businesses))
        .route::<biz::__path_descriptor_availability>(|| {
            web::route().to(biz::descriptor_availability)
        })
        .route::<biz::__path_get_business>(|| web::route().to(biz::get_business))
        .route::<biz::__path_create_business>(|| web::route().to(biz::create_business))
        .route::<biz::__path_update_business>(|| web::route().to(biz::update_business))
        .route::<biz::__path_archive_business>(|| web::route().to(biz::archive_business))
        .route::<biz::__path_unarchive_business>(|| web::route().to(biz::unarchive_business))
        .route::<biz::__path_delete_business>(|| web::route().to(biz::delete_business))
        .route::<biz::__path_list_zones>(|| web::route().to(biz::list_zones))
        .route::<biz::__path_get_zone>(|| web::route().to(biz::get_zone))
        .route::<biz::__path_create_zone>(|| web::route().to(biz::create_zone))
        .route::<biz::__path_update_zone>(|| web::route().to(biz::update_zone))
        .route::<biz::__path_delete_zone>(|| web::route().to(biz::delete_zone))
        .route::<biz::__path_list_payment_methods>(|| web::route().to(biz::list_payment_methods))
        .route::<biz::__path_update_payment_method>(|| web::route().to(biz::update_payment_method))
        .route::<cus::__path_list_customers>(|| web::route().to(cus::list_customers))
        .route::<cus::__path_get_customer>(|| web::route().to(cus::get_customer))
        .route::<cus::__path_create_customer>(|| web::route().to(cus::create_customer))
        .route::<cus::__path_update_customer>(|| web::route().to(cus::update_customer))
        .route::<cus::__path_delete_customer>(|| web::route().to(cus::delete_customer))
        .route::<cus::__path_list_addresses>(|| web::route().to(cus::list_addresses))
        .route::<cus::__path_create_address>(|| web::route().to(cus::create_address))
        .route::<cus::__path_update_address>(|| web::route().to(cus::update_address))
        .route::<cus::__path_delete_address>(|| web::route().to(cus::delete_address))
        .route::<cus::__path_list_notes>(|| web::route().to(cus::list_notes))
        .route::<cus::__path_create_note>(|| web::route().to(cus::create_note))
        .route::<cus::__path_delete_note>(|| web::route().to(cus::delete_note))
}

/// Builds the application for one worker.
pub fn build_app(
    state: AppState,
    settings: HttpSettings,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<BoxBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let table = routes();
    let known = KnownRoutes::new(&table.paths());
    App::new()
        .app_data(web::Data::new(state))
        .app_data(web::Data::new(settings))
        .app_data(web::Data::new(known))
        .configure(extract::configure_extractors)
        .configure(|cfg| table.mount(cfg))
        .service(SwaggerUi::new("/docs/{_:.*}").config(Config::new(["/openapi.json"])))
        .default_service(web::to(fallback))
        .wrap(from_fn(problems::problems))
        .wrap(from_fn(cors::cors))
        .wrap(from_fn(body_limit::limit))
        .wrap(from_fn(trace::trace))
}
