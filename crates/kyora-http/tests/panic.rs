//! Panic recovery: a panicking handler yields 500 with an empty body, and the app keeps serving.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic
use actix_web::body::to_bytes;
use actix_web::http::StatusCode;
use actix_web::middleware::from_fn;
use actix_web::test::{self, TestRequest};
use actix_web::{App, HttpResponse, web};
use kyora_http::middleware::panic::recover;

async fn boom() -> HttpResponse {
    panic!("handler bug")
}

#[actix_web::test]
async fn a_panicking_handler_answers_an_empty_500_and_the_next_request_is_served() {
    let app = test::init_service(
        App::new()
            .route("/boom", web::get().to(boom).wrap(from_fn(recover)))
            .route(
                "/fine",
                web::get().to(HttpResponse::Ok).wrap(from_fn(recover)),
            ),
    )
    .await;
    let res = test::call_service(&app, TestRequest::get().uri("/boom").to_request()).await;
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(to_bytes(res.into_body()).await.unwrap().is_empty());
    let res = test::call_service(&app, TestRequest::get().uri("/fine").to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
}
