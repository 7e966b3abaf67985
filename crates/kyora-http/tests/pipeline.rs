//! The global pipeline over the assembled app, on the in-memory adapters.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic
use std::sync::Arc;

use actix_web::body::to_bytes;
use actix_web::http::{Method, StatusCode, header};
use actix_web::test::{self, TestRequest};
use kyora_core::testing::{AccountFixture, MemoryCache, MemoryStore, RecordingEmailSender};
use kyora_http::settings::CorsOrigins;
use kyora_http::{AppState, HttpSettings, build_app};

struct Harness {
    cache: Arc<MemoryCache>,
}

fn state(cache: &Arc<MemoryCache>) -> AppState {
    let store: Arc<dyn kyora_core::ports::Store> = Arc::new(MemoryStore::default());
    let cache = Arc::clone(cache) as Arc<dyn kyora_core::ports::Cache>;
    let accounts = AccountFixture::new(
        Arc::clone(&store),
        Arc::clone(&cache),
        Arc::new(RecordingEmailSender::default()),
        Arc::new(kyora_core::shared::clock::SystemClock),
    )
    .service;
    let businesses =
        kyora_core::business::BusinessService::new(kyora_core::business::BusinessDeps {
            store: Arc::clone(&store),
            cache: Arc::clone(&cache),
            clock: Arc::new(kyora_core::shared::clock::SystemClock),
        });
    let customers = kyora_core::customer::CustomerService::new(
        Arc::clone(&store),
        Arc::new(kyora_core::shared::clock::SystemClock),
    );
    AppState {
        gates: kyora_core::billing::BillingGates::new(Arc::clone(&store)),
        store,
        cache,
        accounts,
        businesses,
        customers,
    }
}

fn listed_origins() -> HttpSettings {
    HttpSettings {
        cors: CorsOrigins::from_config(&["https://portal.kyora.com".to_owned()]).unwrap(),
        ..HttpSettings::default()
    }
}

macro_rules! app {
    ($settings:expr) => {{
        let harness = Harness {
            cache: Arc::new(MemoryCache::default()),
        };
        let app = test::init_service(build_app(state(&harness.cache), $settings)).await;
        (app, harness)
    }};
}

async fn body_text(res: actix_web::dev::ServiceResponse) -> String {
    String::from_utf8(to_bytes(res.into_body()).await.unwrap().to_vec()).unwrap()
}

async fn body_json(res: actix_web::dev::ServiceResponse) -> serde_json::Value {
    serde_json::from_slice(&to_bytes(res.into_body()).await.unwrap()).unwrap()
}

fn header_of(res: &actix_web::dev::ServiceResponse, name: &str) -> Option<String> {
    res.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
}

#[actix_web::test]
async fn health_endpoints_answer_ok_in_plain_text() {
    let (app, _h) = app!(HttpSettings::default());
    for path in ["/healthz", "/livez"] {
        let res = test::call_service(&app, TestRequest::get().uri(path).to_request()).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            header_of(&res, "content-type").as_deref(),
            Some("text/plain; charset=utf-8")
        );
        assert_eq!(body_text(res).await, "ok");
    }
}

#[actix_web::test]
async fn readiness_follows_the_cache_without_a_restart() {
    let (app, h) = app!(HttpSettings::default());
    let res = test::call_service(&app, TestRequest::get().uri("/readyz").to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(body_json(res).await["cache"], "ok");

    h.cache.set_available(false);
    let res = test::call_service(&app, TestRequest::get().uri("/readyz").to_request()).await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        header_of(&res, "content-type").as_deref(),
        Some("application/problem+json")
    );
    let problem = body_json(res).await;
    assert_eq!(problem["status"], 503);
    assert_eq!(problem["instance"], "/readyz");
    assert_eq!(problem["extensions"]["code"], "generic.unavailable");
    assert_eq!(problem["extensions"]["cache"], "down");
    assert_eq!(problem["extensions"]["database"], "ok");

    h.cache.set_available(true);
    let res = test::call_service(&app, TestRequest::get().uri("/readyz").to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[actix_web::test]
async fn unknown_paths_and_wrong_methods_get_the_plain_404() {
    let (app, _h) = app!(HttpSettings::default());
    for req in [
        TestRequest::get().uri("/nope").to_request(),
        TestRequest::post().uri("/healthz").to_request(),
        TestRequest::delete().uri("/readyz").to_request(),
    ] {
        let res = test::call_service(&app, req).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            header_of(&res, "content-type").as_deref(),
            Some("text/plain; charset=utf-8")
        );
        assert_eq!(body_text(res).await, "404 page not found");
    }
}

#[actix_web::test]
async fn a_trailing_slash_is_redirected_to_the_canonical_path() {
    let (app, _h) = app!(HttpSettings::default());
    let res = test::call_service(&app, TestRequest::get().uri("/healthz/?x=1").to_request()).await;
    assert_eq!(res.status(), StatusCode::MOVED_PERMANENTLY);
    assert_eq!(header_of(&res, "location").as_deref(), Some("/healthz?x=1"));
    let res = test::call_service(&app, TestRequest::get().uri("/nothing/").to_request()).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn a_declared_body_over_the_limit_is_refused_on_any_path() {
    let (app, _h) = app!(HttpSettings::default());
    for path in ["/healthz", "/v1/unknown", "/readyz"] {
        let req = TestRequest::post()
            .uri(path)
            .insert_header((header::CONTENT_TYPE, "application/json"))
            .set_payload(vec![b' '; 1_048_577])
            .to_request();
        let res = test::call_service(&app, req).await;
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE, "{path}");
        assert!(header_of(&res, "x-trace-id").is_some());
        let problem = body_json(res).await;
        assert_eq!(problem["title"], "Payload Too Large");
        assert_eq!(problem["detail"], "request body too large");
        assert_eq!(problem["extensions"]["code"], "request.body_too_large");
        assert_eq!(problem["instance"], path);
    }
}

#[actix_web::test]
async fn a_body_at_the_limit_passes_and_a_disabled_limit_lets_everything_through() {
    let (app, _h) = app!(HttpSettings::default());
    let req = TestRequest::post()
        .uri("/healthz")
        .set_payload(vec![b' '; 1_048_576])
        .to_request();
    assert_eq!(
        test::call_service(&app, req).await.status(),
        StatusCode::NOT_FOUND
    );
    let (app, _h) = app!(HttpSettings {
        max_body_bytes: None,
        ..HttpSettings::default()
    });
    let req = TestRequest::post()
        .uri("/healthz")
        .set_payload(vec![b' '; 2_000_000])
        .to_request();
    assert_eq!(
        test::call_service(&app, req).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn the_trace_id_is_echoed_or_generated_on_every_response() {
    let (app, _h) = app!(HttpSettings::default());
    let req = TestRequest::get()
        .uri("/healthz")
        .insert_header(("X-Trace-ID", "abc"))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(header_of(&res, "x-trace-id").as_deref(), Some("abc"));
    let res = test::call_service(&app, TestRequest::get().uri("/missing").to_request()).await;
    let generated = header_of(&res, "x-trace-id").unwrap();
    assert_eq!(generated.len(), 27);
    assert!(generated.bytes().all(|b| b.is_ascii_alphanumeric()));
    let other = header_of(
        &test::call_service(&app, TestRequest::get().uri("/missing").to_request()).await,
        "x-trace-id",
    )
    .unwrap();
    assert_ne!(generated, other);
}

#[actix_web::test]
async fn the_trace_header_name_comes_from_the_settings() {
    let (app, _h) = app!(HttpSettings {
        trace_id_header: "X-Request-Trace".into(),
        ..HttpSettings::default()
    });
    let req = TestRequest::get()
        .uri("/livez")
        .insert_header(("X-Request-Trace", "t-1"))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(header_of(&res, "x-request-trace").as_deref(), Some("t-1"));
    assert!(header_of(&res, "x-trace-id").is_none());
}

#[actix_web::test]
async fn preflights_from_allowed_origins_get_the_policy_headers() {
    let (app, _h) = app!(listed_origins());
    let req = TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/v1/anything/at/all")
        .insert_header(("Origin", "https://portal.kyora.com"))
        .insert_header(("Access-Control-Request-Method", "POST"))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        header_of(&res, "access-control-allow-origin").as_deref(),
        Some("https://portal.kyora.com")
    );
    assert_eq!(
        header_of(&res, "access-control-allow-methods").as_deref(),
        Some("GET,POST,PUT,PATCH,DELETE,OPTIONS,HEAD")
    );
    assert_eq!(
        header_of(&res, "access-control-allow-headers").as_deref(),
        Some("Authorization,Content-Type,X-Request-Id,X-Trace-Id")
    );
    assert_eq!(
        header_of(&res, "access-control-max-age").as_deref(),
        Some("43200")
    );
    let vary: Vec<_> = res
        .headers()
        .get_all("vary")
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert!(vary.contains(&"Origin".to_owned()), "{vary:?}");
    assert!(header_of(&res, "access-control-allow-credentials").is_none());
}

#[actix_web::test]
async fn disallowed_origins_get_an_empty_403() {
    let (app, _h) = app!(listed_origins());
    for method in [Method::OPTIONS, Method::GET] {
        let req = TestRequest::default()
            .method(method.clone())
            .uri("/v1/workspaces/me")
            .insert_header(("Origin", "https://evil.example"))
            .to_request();
        let res = test::call_service(&app, req).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{method}");
        assert!(body_text(res).await.is_empty());
    }
}

#[actix_web::test]
async fn public_paths_allow_every_origin_and_the_idempotency_header() {
    let (app, _h) = app!(listed_origins());
    let req = TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/v1/storefront/acme/catalog")
        .insert_header(("Origin", "https://shop.example"))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        header_of(&res, "access-control-allow-origin").as_deref(),
        Some("*")
    );
    assert!(
        header_of(&res, "access-control-allow-headers")
            .unwrap()
            .ends_with("Idempotency-Key")
    );
}

#[actix_web::test]
async fn simple_requests_carry_cors_headers_even_on_errors() {
    let (app, _h) = app!(HttpSettings::default());
    let req = TestRequest::get()
        .uri("/v1/unknown")
        .insert_header(("Origin", "https://anywhere.example"))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        header_of(&res, "access-control-allow-origin").as_deref(),
        Some("*")
    );
    assert_eq!(
        header_of(&res, "access-control-expose-headers").as_deref(),
        Some("X-Trace-Id")
    );
}

#[actix_web::test]
async fn same_origin_and_originless_requests_skip_cors() {
    let (app, _h) = app!(listed_origins());
    let req = TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/v1/users/me")
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(body_text(res).await.is_empty());
    let req = TestRequest::get()
        .uri("/v1/users/me")
        .insert_header(("Host", "api.kyora.com"))
        .insert_header(("Origin", "https://api.kyora.com"))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(header_of(&res, "access-control-allow-origin").is_none());
}

#[actix_web::test]
async fn health_paths_have_no_cors_headers() {
    let (app, _h) = app!(HttpSettings::default());
    let req = TestRequest::get()
        .uri("/healthz")
        .insert_header(("Origin", "https://anywhere.example"))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(header_of(&res, "access-control-allow-origin").is_none());
}

#[actix_web::test]
async fn the_openapi_document_and_the_docs_ui_are_served() {
    let (app, _h) = app!(HttpSettings::default());
    let res = test::call_service(&app, TestRequest::get().uri("/openapi.json").to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let doc = body_json(res).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["paths"]["/readyz"]["get"].is_object());
    let res = test::call_service(&app, TestRequest::get().uri("/docs/").to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(body_text(res).await.contains("swagger"));
    let res = test::call_service(
        &app,
        TestRequest::get()
            .uri("/docs/swagger-ui-bundle.js")
            .to_request(),
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "the UI assets are compiled in"
    );
}

#[test]
fn every_registered_route_is_in_the_openapi_document() {
    use utoipa::OpenApi;
    let doc = serde_json::to_value(kyora_http::openapi::ApiDoc::openapi()).unwrap();
    let routes = kyora_http::app::routes().paths();
    assert!(!routes.is_empty());
    for route in routes {
        let method = route.method.as_str().to_ascii_lowercase();
        let operation = &doc["paths"][route.path.as_str()][method.as_str()];
        assert!(
            operation.is_object(),
            "{} {} is registered but not documented",
            route.method,
            route.path
        );
        assert!(
            operation["responses"]
                .as_object()
                .is_some_and(|r| !r.is_empty()),
            "{} {} documents no response",
            route.method,
            route.path
        );
    }
}
