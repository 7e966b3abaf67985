//! A stand-in for Google's OAuth endpoints, served on 127.0.0.1:0, so the sign-in flows run over
//! real HTTP without reaching Google.
//!
//! - `POST /token` (form, authorization-code grant): a registered `code` answers
//!   `{"access_token": ..., "token_type": "Bearer", ...}`; anything else answers 400
//!   `{"error": "invalid_grant"}`.
//! - `GET /userinfo` with `Authorization: Bearer <access token>`: the profile registered for the
//!   code the token was issued for (`email, given_name, family_name, name, verified_email`);
//!   an unknown or missing token answers 401.
//!
//! Every request to `/token` is recorded, so tests can check what the application sent.

use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use actix_web::dev::ServerHandle;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use serde::Serialize;

/// What the stand-in says about the account behind a code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoogleAccount {
    /// `email`.
    pub email: String,
    /// `given_name`.
    pub given_name: String,
    /// `family_name`.
    pub family_name: String,
    /// `name`.
    pub name: String,
    /// `verified_email`.
    pub verified_email: bool,
}

impl GoogleAccount {
    /// A verified account named `given family`.
    pub fn new(email: &str, given_name: &str, family_name: &str) -> Self {
        Self {
            email: email.to_owned(),
            given_name: given_name.to_owned(),
            family_name: family_name.to_owned(),
            name: format!("{given_name} {family_name}"),
            verified_email: true,
        }
    }
}

#[derive(Default)]
struct Registry {
    codes: HashMap<String, GoogleAccount>,
    access_tokens: HashMap<String, GoogleAccount>,
    exchanges: Vec<Vec<(String, String)>>,
}

type Shared = Arc<Mutex<Registry>>;

fn lock(registry: &Shared) -> std::sync::MutexGuard<'_, Registry> {
    registry
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

async fn token(body: web::Bytes, registry: web::Data<Shared>) -> HttpResponse {
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let code = form
        .iter()
        .find(|(key, _)| key == "code")
        .map(|(_, value)| value.clone())
        .unwrap_or_default();
    let mut registry = lock(&registry);
    registry.exchanges.push(form);
    let Some(account) = registry.codes.get(&code).cloned() else {
        return HttpResponse::BadRequest().json(serde_json::json!({
            "error": "invalid_grant",
            "error_description": "Malformed auth code."
        }));
    };
    let access_token = format!("ya29.{}", kyora_core::shared::id::alphanumeric_token(40));
    registry.access_tokens.insert(access_token.clone(), account);
    HttpResponse::Ok().json(serde_json::json!({
        "access_token": access_token,
        "expires_in": 3599,
        "token_type": "Bearer",
        "scope": "openid email profile"
    }))
}

async fn userinfo(req: HttpRequest, registry: web::Data<Shared>) -> HttpResponse {
    let bearer = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    match lock(&registry).access_tokens.get(bearer) {
        Some(account) => HttpResponse::Ok().json(account),
        None => HttpResponse::Unauthorized().json(serde_json::json!({
            "error": {"code": 401, "message": "Invalid Credentials", "status": "UNAUTHENTICATED"}
        })),
    }
}

/// The running stand-in. Dropping it stops the server.
pub struct GoogleStandIn {
    address: String,
    registry: Shared,
    handle: ServerHandle,
}

impl GoogleStandIn {
    /// Starts the stand-in on a free local port (call inside a Tokio runtime).
    ///
    /// # Panics
    /// When no local port can be bound.
    pub fn start() -> Self {
        let registry: Shared = Arc::default();
        let listener = TcpListener::bind("127.0.0.1:0").expect("binding the Google stand-in");
        let port = listener
            .local_addr()
            .expect("the Google stand-in's address")
            .port();
        let data = web::Data::new(Arc::clone(&registry));
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .route("/token", web::post().to(token))
                .route("/userinfo", web::get().to(userinfo))
        })
        .workers(1)
        .disable_signals()
        .listen(listener)
        .expect("listening for the Google stand-in")
        .run();
        let handle = server.handle();
        tokio::spawn(server);
        Self {
            address: format!("http://127.0.0.1:{port}"),
            registry,
            handle,
        }
    }

    /// Makes `code` exchangeable for `account`'s profile (as often as it is presented).
    pub fn register(&self, code: &str, account: GoogleAccount) {
        lock(&self.registry).codes.insert(code.to_owned(), account);
    }

    /// Registers `account` under a fresh random code and returns the code.
    pub fn code_for(&self, account: GoogleAccount) -> String {
        let code = format!("4/0A{}", kyora_core::shared::id::alphanumeric_token(30));
        self.register(&code, account);
        code
    }

    /// The token endpoint's URL.
    pub fn token_url(&self) -> String {
        format!("{}/token", self.address)
    }

    /// The userinfo endpoint's URL.
    pub fn userinfo_url(&self) -> String {
        format!("{}/userinfo", self.address)
    }

    /// The forms posted to the token endpoint so far, oldest first.
    pub fn exchanges(&self) -> Vec<Vec<(String, String)>> {
        lock(&self.registry).exchanges.clone()
    }
}

impl Drop for GoogleStandIn {
    fn drop(&mut self) {
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let handle = self.handle.clone();
            runtime.spawn(async move { handle.stop(false).await });
        }
    }
}
