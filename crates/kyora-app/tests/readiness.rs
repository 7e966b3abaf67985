//! `/readyz` follows the real database and cache going down and coming back, without a restart.
//! Each dependency is reached through a proxy the test cuts and restores, so the shared services
//! are never stopped.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use std::time::Duration;

use kyora_testkit::proxy::TcpProxy;
use kyora_testkit::{Backend, database_dsn, service_var, spawn_app_with};

async fn ready_status(app: &kyora_testkit::TestApp) -> (u16, serde_json::Value) {
    let res = app.client.get(app.url("/readyz")).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap())
}

async fn eventually(app: &kyora_testkit::TestApp, expected: u16) -> serde_json::Value {
    let mut last = serde_json::Value::Null;
    for _ in 0..100 {
        let (status, body) = ready_status(app).await;
        if status == expected {
            return body;
        }
        last = body;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("/readyz never answered {expected}; last body {last}");
}

#[tokio::test]
async fn postgres_readiness_follows_the_database_going_down_and_back() {
    let (dsn, backend) = database_dsn();
    if backend != Backend::Postgres {
        return;
    }
    let url = url::Url::parse(dsn).unwrap();
    let upstream = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap_or(5432));
    let mut proxy = TcpProxy::start(&upstream).await;
    let mut proxied = url.clone();
    proxied.set_port(Some(proxy.address().port())).unwrap();
    let app = spawn_app_with(|c| {
        c.database.dsn = proxied.to_string();
        c.cache.hosts.clear();
    })
    .await;
    eventually(&app, 200).await;
    proxy.cut();
    let problem = eventually(&app, 503).await;
    assert_eq!(problem["extensions"]["database"], "down");
    assert_eq!(problem["extensions"]["cache"], "ok");
    proxy.restore().await;
    eventually(&app, 200).await;
}

#[tokio::test]
async fn memcached_readiness_follows_the_cache_going_down_and_back() {
    let Some(hosts) = service_var("KYORA_TEST_MEMCACHED") else {
        return;
    };
    let upstream = hosts.split(',').next().unwrap().trim().to_owned();
    let mut proxy = TcpProxy::start(&upstream).await;
    let address = proxy.address().to_string();
    let app = spawn_app_with(|c| c.cache.hosts = vec![address]).await;
    eventually(&app, 200).await;
    proxy.cut();
    let problem = eventually(&app, 503).await;
    assert_eq!(problem["extensions"]["cache"], "down");
    assert_eq!(problem["extensions"]["database"], "ok");
    proxy.restore().await;
    eventually(&app, 200).await;
}
