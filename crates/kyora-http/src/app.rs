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
    RouteTable::default()
        .route::<health::__path_healthz>(|| web::route().to(health::healthz))
        .route::<health::__path_livez>(|| web::route().to(health::livez))
        .route::<health::__path_readyz>(|| web::route().to(health::readyz))
        .route::<openapi::__path_openapi_json>(|| web::route().to(openapi::openapi_json))
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
