//! Strict JSON bodies through the problems layer: malformed, unknown fields and trailing content
//! are 400 `request.invalid_body`; a streamed body over the limit is 413.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use actix_web::body::to_bytes;
use actix_web::http::StatusCode;
use actix_web::middleware::from_fn;
use actix_web::test::{self, TestRequest};
use actix_web::{App, HttpResponse, web};
use kyora_http::HttpSettings;
use kyora_http::extract::StrictJson;
use kyora_http::middleware::problems::problems;
use serde::Deserialize;
use validator::Validate;

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
struct Note {
    #[validate(length(min = 1))]
    text: String,
}

async fn create(note: StrictJson<Note>) -> HttpResponse {
    HttpResponse::Ok().body(note.into_inner().text)
}

macro_rules! app {
    () => {
        test::init_service(
            App::new()
                .app_data(web::Data::new(HttpSettings {
                    max_body_bytes: Some(64),
                    ..HttpSettings::default()
                }))
                .route("/notes", web::post().to(create))
                .wrap(from_fn(problems)),
        )
        .await
    };
}

async fn problem(res: actix_web::dev::ServiceResponse) -> serde_json::Value {
    serde_json::from_slice(&to_bytes(res.into_body()).await.unwrap()).unwrap()
}

#[actix_web::test]
async fn a_matching_body_reaches_the_handler() {
    let app = app!();
    let req = TestRequest::post()
        .uri("/notes")
        .set_payload(r#"{"text":"hi"}"#)
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(to_bytes(res.into_body()).await.unwrap(), "hi");
}

#[actix_web::test]
async fn bad_bodies_are_invalid_body_problems_with_the_path() {
    let app = app!();
    for body in [
        "",
        "{",
        r#"{"text":"hi","x":1}"#,
        r#"{"text":"hi"}[]"#,
        r#"{"text":""}"#,
        r#"{"text":null}"#,
    ] {
        let req = TestRequest::post()
            .uri("/notes")
            .set_payload(body)
            .to_request();
        let res = test::call_service(&app, req).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(
            res.headers().get("content-type").unwrap().to_str().unwrap(),
            "application/problem+json"
        );
        let doc = problem(res).await;
        assert_eq!(doc["detail"], "invalid request body");
        assert_eq!(doc["extensions"]["code"], "request.invalid_body");
        assert_eq!(doc["instance"], "/notes");
    }
}

#[actix_web::test]
async fn a_body_without_a_declared_length_is_capped_while_read() {
    let app = app!();
    let mut req = TestRequest::post()
        .uri("/notes")
        .set_payload(format!(r#"{{"text":"{}"}}"#, "x".repeat(100)))
        .to_request();
    req.headers_mut()
        .remove(actix_web::http::header::CONTENT_LENGTH);
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        problem(res).await["extensions"]["code"],
        "request.body_too_large"
    );
}
