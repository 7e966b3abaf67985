//! The platform over real HTTP against the spawned application (spec 01 §7 scenarios 1–4).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use kyora_testkit::spawn_app;

#[tokio::test]
async fn health_endpoints_answer_ok() {
    let app = spawn_app().await;
    for path in ["/healthz", "/livez"] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.text().await.unwrap(), "ok");
    }
}

#[tokio::test]
async fn readiness_checks_the_real_database_and_cache() {
    let app = spawn_app().await;
    let res = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body, serde_json::json!({"database": "ok", "cache": "ok"}));
}

#[tokio::test]
async fn a_two_mebibyte_post_anywhere_is_refused_with_413() {
    let app = spawn_app().await;
    for path in ["/healthz", "/v1/auth/login", "/no/such/path"] {
        let res = app
            .client
            .post(app.url(path))
            .header("content-type", "application/json")
            .body(vec![b'a'; 2 * 1024 * 1024])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 413, "{path}");
        assert!(res.headers().contains_key("x-trace-id"));
        let problem: serde_json::Value = res.json().await.unwrap();
        assert_eq!(problem["extensions"]["code"], "request.body_too_large");
        assert_eq!(problem["title"], "Payload Too Large");
    }
}

#[tokio::test]
async fn unknown_paths_answer_the_plain_404_with_a_trace_id() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(app.url("/v1/nothing-here"))
        .header("X-Trace-ID", "abc")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(res.headers()["x-trace-id"], "abc");
    assert_eq!(res.text().await.unwrap(), "404 page not found");
}

#[tokio::test]
async fn the_openapi_document_is_served_over_http() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let doc: serde_json::Value = res.json().await.unwrap();
    assert!(doc["paths"]["/healthz"]["get"].is_object());
}
