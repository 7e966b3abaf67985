//! Google sign-in (spec 01 §3.3 `google/url` and `google/login`).
//!
//! Google is enabled only when client id, client secret and redirect URL are all configured;
//! otherwise both operations fail with 500 `account.operation_failed`. The endpoints come from
//! `auth.google_oauth.{auth,token,userinfo}_url`, so tests and local development can use a
//! stand-in. Any failure of the exchange (transport, timeout, non-2xx answer, unreadable JSON,
//! a profile without email) is a 500 `account.operation_failed` whose cause names the step and
//! the HTTP status only: the authorization code and the tokens are never logged or put in an error.

use std::time::Duration;

use async_trait::async_trait;
use kyora_core::DomainError;
use kyora_core::account::error::operation_failed;
use kyora_core::account::ports::{GoogleOAuth, GoogleProfile};
use serde::Deserialize;

use crate::config::{AuthConfig, Secret};

/// How long each call to Google may take.
pub const GOOGLE_TIMEOUT: Duration = Duration::from_secs(10);

/// The scopes asked for on the consent page.
const SCOPE: &str = "openid email profile";

#[derive(Debug, Clone)]
struct Endpoints {
    client_id: String,
    client_secret: Secret,
    redirect_url: String,
    auth_url: String,
    token_url: String,
    userinfo_url: String,
}

/// The [`GoogleOAuth`] port over Google's OAuth 2.0 endpoints (or a configured stand-in).
#[derive(Debug, Clone)]
pub struct GoogleOAuthClient {
    endpoints: Option<Endpoints>,
    http: reqwest::Client,
}

#[derive(Deserialize)]
struct TokenAnswer {
    #[serde(default)]
    access_token: Option<String>,
}

#[derive(Deserialize)]
struct UserInfo {
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    given_name: Option<String>,
    #[serde(default)]
    family_name: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default, alias = "email_verified")]
    verified_email: Option<bool>,
}

fn not_configured() -> DomainError {
    operation_failed(
        "Google OAuth is not configured (auth.google_oauth client_id, client_secret, redirect_url)",
    )
}

impl GoogleOAuthClient {
    /// A client for the `auth.google_oauth` section, with a 10-second timeout per call.
    ///
    /// # Errors
    /// A message when the HTTP client cannot be built (the TLS backend failed to initialise).
    pub fn new(config: &AuthConfig) -> Result<Self, String> {
        Self::with_timeout(config, GOOGLE_TIMEOUT)
    }

    fn with_timeout(config: &AuthConfig, timeout: Duration) -> Result<Self, String> {
        let google = &config.google_oauth;
        if google.is_partially_configured() {
            tracing::warn!(
                "auth.google_oauth is only partly configured (client_id, client_secret and \
                 redirect_url are all needed); Google sign-in is disabled"
            );
        }
        let endpoints = google.is_configured().then(|| Endpoints {
            client_id: google.client_id.trim().to_owned(),
            client_secret: Secret::new(google.client_secret.expose().trim()),
            redirect_url: google.redirect_url.trim().to_owned(),
            auth_url: google.auth_url.trim().to_owned(),
            token_url: google.token_url.trim().to_owned(),
            userinfo_url: google.userinfo_url.trim().to_owned(),
        });
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|err| format!("the Google OAuth HTTP client could not be built: {err}"))?;
        Ok(Self { endpoints, http })
    }

    /// Whether Google sign-in is enabled.
    pub fn is_configured(&self) -> bool {
        self.endpoints.is_some()
    }

    async fn access_token(&self, endpoints: &Endpoints, code: &str) -> Result<String, DomainError> {
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("client_id", endpoints.client_id.as_str()),
            ("client_secret", endpoints.client_secret.expose()),
            ("redirect_uri", endpoints.redirect_url.as_str()),
        ];
        let response = self
            .http
            .post(&endpoints.token_url)
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&form)
            .send()
            .await
            .map_err(|err| failed("token exchange", err))?;
        let status = response.status();
        if !status.is_success() {
            return Err(operation_failed(format!(
                "Google token exchange answered {status}"
            )));
        }
        let answer: TokenAnswer = response
            .json()
            .await
            .map_err(|err| failed("token exchange", err))?;
        answer
            .access_token
            .filter(|token| !token.is_empty())
            .ok_or_else(|| operation_failed("Google token exchange returned no access_token"))
    }

    async fn profile(
        &self,
        endpoints: &Endpoints,
        access_token: &str,
    ) -> Result<GoogleProfile, DomainError> {
        let response = self
            .http
            .get(&endpoints.userinfo_url)
            .bearer_auth(access_token)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|err| failed("userinfo", err))?;
        let status = response.status();
        if !status.is_success() {
            return Err(operation_failed(format!(
                "Google userinfo answered {status}"
            )));
        }
        let info: UserInfo = response
            .json()
            .await
            .map_err(|err| failed("userinfo", err))?;
        let email = info.email.unwrap_or_default();
        if email.trim().is_empty() {
            return Err(operation_failed("Google userinfo returned no email"));
        }
        Ok(GoogleProfile {
            email,
            given_name: info.given_name.unwrap_or_default(),
            family_name: info.family_name.unwrap_or_default(),
            name: info.name.unwrap_or_default(),
            verified_email: info.verified_email.unwrap_or(false),
        })
    }
}

/// A transport or decoding failure. reqwest's message names the configured endpoint only; the
/// form body (code, client secret) and the bearer header never appear in it.
fn failed(step: &str, err: reqwest::Error) -> DomainError {
    let kind = if err.is_timeout() {
        "timed out"
    } else if err.is_connect() {
        "could not connect"
    } else if err.is_decode() {
        "answered with unreadable JSON"
    } else {
        "failed"
    };
    operation_failed(format!("Google {step} {kind}: {err}"))
}

#[async_trait]
impl GoogleOAuth for GoogleOAuthClient {
    fn authorization_url(&self, state: &str) -> Result<String, DomainError> {
        let endpoints = self.endpoints.as_ref().ok_or_else(not_configured)?;
        // Keys in sorted order, as the contract fixes them.
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("access_type", "online")
            .append_pair("client_id", &endpoints.client_id)
            .append_pair("redirect_uri", &endpoints.redirect_url)
            .append_pair("response_type", "code")
            .append_pair("scope", SCOPE)
            .append_pair("state", state)
            .finish();
        Ok(format!("{}?{query}", endpoints.auth_url))
    }

    async fn exchange(&self, code: &str) -> Result<GoogleProfile, DomainError> {
        let endpoints = self.endpoints.as_ref().ok_or_else(not_configured)?;
        let access_token = self.access_token(endpoints, code).await?;
        self.profile(endpoints, &access_token).await
    }
}

#[cfg(test)]
mod tests {
    use std::net::TcpListener;
    use std::sync::{Arc, Mutex};

    use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
    use kyora_core::ErrorKind;

    use super::*;

    const PROFILE: &str = r#"{"id":"1234","email":"ada@example.com","verified_email":true,"name":"Ada Lovelace","given_name":"Ada","family_name":"Lovelace","picture":"https://example.com/a.png"}"#;
    const TOKEN: &str = r#"{"access_token":"ya29.stand-in-token","expires_in":3599,"token_type":"Bearer","scope":"openid email profile"}"#;

    #[derive(Debug, Clone)]
    struct Captured {
        method: String,
        path: String,
        authorization: String,
        content_type: String,
        form: Vec<(String, String)>,
    }

    #[derive(Clone)]
    struct StandIn {
        captured: Arc<Mutex<Vec<Captured>>>,
        token: Answer,
        userinfo: Answer,
        delay: Duration,
    }

    /// A stand-in endpoint's status and JSON body.
    type Answer = (u16, &'static str);

    async fn record(req: HttpRequest, body: web::Bytes, state: web::Data<StandIn>) -> HttpResponse {
        let header = |name: &str| {
            req.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        state.captured.lock().unwrap().push(Captured {
            method: req.method().to_string(),
            path: req.path().to_owned(),
            authorization: header("authorization"),
            content_type: header("content-type"),
            form: url::form_urlencoded::parse(&body).into_owned().collect(),
        });
        if !state.delay.is_zero() {
            tokio::time::sleep(state.delay).await;
        }
        let (status, answer) = match req.path() {
            "/token" => state.token,
            "/userinfo" => state.userinfo,
            _ => (404, "{}"),
        };
        HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap())
            .content_type("application/json")
            .body(answer)
    }

    /// Starts a Google stand-in on 127.0.0.1:0 with `/token` and `/userinfo`.
    fn stand_in(
        token: Answer,
        userinfo: Answer,
        delay: Duration,
    ) -> (String, Arc<Mutex<Vec<Captured>>>) {
        let captured = Arc::new(Mutex::new(Vec::new()));
        let state = StandIn {
            captured: Arc::clone(&captured),
            token,
            userinfo,
            delay,
        };
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(web::Data::new(state.clone()))
                .default_service(web::to(record))
        })
        .workers(1)
        .disable_signals()
        .listen(listener)
        .unwrap()
        .run();
        actix_web::rt::spawn(server);
        (format!("http://127.0.0.1:{port}"), captured)
    }

    fn config(base: &str) -> AuthConfig {
        let mut config = AuthConfig::default();
        config.google_oauth.client_id = "client-123.apps.googleusercontent.com".to_owned();
        config.google_oauth.client_secret = Secret::new("GOCSPX-client-secret");
        config.google_oauth.redirect_url = "https://app.kyora.com/auth/google/callback".to_owned();
        config.google_oauth.token_url = format!("{base}/token");
        config.google_oauth.userinfo_url = format!("{base}/userinfo");
        config
    }

    fn client(base: &str) -> GoogleOAuthClient {
        GoogleOAuthClient::new(&config(base)).unwrap()
    }

    fn assert_operation_failed(err: &DomainError) {
        assert_eq!(err.kind, ErrorKind::Internal);
        assert_eq!(err.code, "account.operation_failed");
    }

    #[test]
    fn the_authorization_url_carries_the_sorted_query() {
        let url = client("http://127.0.0.1:9")
            .authorization_url("AbC123xyz")
            .unwrap();
        assert_eq!(
            url,
            "https://accounts.google.com/o/oauth2/auth?access_type=online\
             &client_id=client-123.apps.googleusercontent.com\
             &redirect_uri=https%3A%2F%2Fapp.kyora.com%2Fauth%2Fgoogle%2Fcallback\
             &response_type=code&scope=openid+email+profile&state=AbC123xyz"
        );
    }

    #[test]
    fn the_authorization_url_uses_the_configured_consent_page() {
        let mut config = config("http://127.0.0.1:9");
        config.google_oauth.auth_url = "http://127.0.0.1:9/o/oauth2/auth".to_owned();
        let url = GoogleOAuthClient::new(&config)
            .unwrap()
            .authorization_url("s")
            .unwrap();
        assert!(
            url.starts_with("http://127.0.0.1:9/o/oauth2/auth?access_type=online&"),
            "{url}"
        );
        assert!(url.ends_with("&state=s"), "{url}");
    }

    #[actix_web::test]
    async fn google_is_unconfigured_unless_id_secret_and_redirect_are_all_set() {
        let (base, captured) = stand_in((200, TOKEN), (200, PROFILE), Duration::ZERO);
        let blank = |edit: fn(&mut AuthConfig)| {
            let mut config = config(&base);
            edit(&mut config);
            GoogleOAuthClient::new(&config).unwrap()
        };
        let clients = [
            blank(|c| c.google_oauth.client_id.clear()),
            blank(|c| c.google_oauth.client_secret = Secret::default()),
            blank(|c| c.google_oauth.redirect_url = "  ".to_owned()),
            GoogleOAuthClient::new(&AuthConfig::default()).unwrap(),
        ];
        for client in clients {
            assert!(!client.is_configured());
            assert_operation_failed(&client.authorization_url("state").unwrap_err());
            assert_operation_failed(&client.exchange("code").await.unwrap_err());
        }
        assert!(captured.lock().unwrap().is_empty());
    }

    #[actix_web::test]
    async fn an_exchange_posts_the_code_and_reads_the_profile_with_the_access_token() {
        let (base, captured) = stand_in((200, TOKEN), (200, PROFILE), Duration::ZERO);
        let profile = client(&base).exchange("4/0AX-code").await.unwrap();
        assert_eq!(
            profile,
            GoogleProfile {
                email: "ada@example.com".to_owned(),
                given_name: "Ada".to_owned(),
                family_name: "Lovelace".to_owned(),
                name: "Ada Lovelace".to_owned(),
                verified_email: true,
            }
        );

        let requests = captured.lock().unwrap().clone();
        assert_eq!(requests.len(), 2);
        let token = &requests[0];
        assert_eq!(token.method, "POST");
        assert_eq!(token.path, "/token");
        assert!(
            token
                .content_type
                .starts_with("application/x-www-form-urlencoded"),
            "{}",
            token.content_type
        );
        let mut form = token.form.clone();
        form.sort();
        assert_eq!(
            form,
            vec![
                (
                    "client_id".to_owned(),
                    "client-123.apps.googleusercontent.com".to_owned()
                ),
                (
                    "client_secret".to_owned(),
                    "GOCSPX-client-secret".to_owned()
                ),
                ("code".to_owned(), "4/0AX-code".to_owned()),
                ("grant_type".to_owned(), "authorization_code".to_owned()),
                (
                    "redirect_uri".to_owned(),
                    "https://app.kyora.com/auth/google/callback".to_owned()
                ),
            ]
        );
        let userinfo = &requests[1];
        assert_eq!(userinfo.method, "GET");
        assert_eq!(userinfo.path, "/userinfo");
        assert_eq!(userinfo.authorization, "Bearer ya29.stand-in-token");
    }

    #[actix_web::test]
    async fn missing_profile_names_read_as_empty_strings() {
        let (base, _) = stand_in(
            (200, TOKEN),
            (200, r#"{"email":"bob@example.com","name":null}"#),
            Duration::ZERO,
        );
        let profile = client(&base).exchange("code").await.unwrap();
        assert_eq!(
            profile,
            GoogleProfile {
                email: "bob@example.com".to_owned(),
                ..GoogleProfile::default()
            }
        );
    }

    #[actix_web::test]
    async fn a_rejected_code_is_operation_failed_and_the_profile_is_not_read() {
        let (base, captured) = stand_in(
            (
                400,
                r#"{"error":"invalid_grant","error_description":"Bad Request"}"#,
            ),
            (200, PROFILE),
            Duration::ZERO,
        );
        let err = client(&base)
            .exchange("secret-code-value")
            .await
            .unwrap_err();
        assert_operation_failed(&err);
        let cause = err.cause.unwrap_or_default();
        assert!(cause.contains("400"), "{cause}");
        assert!(!cause.contains("secret-code-value"), "{cause}");
        let requests = captured.lock().unwrap().clone();
        assert_eq!(requests.len(), 1);
        assert_eq!(requests[0].path, "/token");
    }

    #[actix_web::test]
    async fn a_refused_userinfo_is_operation_failed() {
        let (base, _) = stand_in(
            (200, TOKEN),
            (401, r#"{"error":{"code":401,"status":"UNAUTHENTICATED"}}"#),
            Duration::ZERO,
        );
        let err = client(&base).exchange("code").await.unwrap_err();
        assert_operation_failed(&err);
        let cause = err.cause.unwrap_or_default();
        assert!(cause.contains("401"), "{cause}");
        assert!(!cause.contains("ya29.stand-in-token"), "{cause}");
    }

    #[actix_web::test]
    async fn a_profile_without_email_is_operation_failed() {
        for profile in [
            r#"{"id":"1","name":"No Mail"}"#,
            r#"{"id":"1","email":""}"#,
            r#"{"id":"1","email":null}"#,
        ] {
            let (base, _) = stand_in((200, TOKEN), (200, profile), Duration::ZERO);
            assert_operation_failed(&client(&base).exchange("code").await.unwrap_err());
        }
    }

    #[actix_web::test]
    async fn unreadable_answers_are_operation_failed() {
        let cases: [(Answer, Answer); 3] = [
            ((200, "not json"), (200, PROFILE)),
            ((200, r#"{"token_type":"Bearer"}"#), (200, PROFILE)),
            ((200, TOKEN), (200, "<html>oops</html>")),
        ];
        for (token, userinfo) in cases {
            let (base, _) = stand_in(token, userinfo, Duration::ZERO);
            assert_operation_failed(&client(&base).exchange("code").await.unwrap_err());
        }
    }

    #[actix_web::test]
    async fn an_unreachable_google_is_operation_failed() {
        let port = {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let err = client(&format!("http://127.0.0.1:{port}"))
            .exchange("code")
            .await
            .unwrap_err();
        assert_operation_failed(&err);
    }

    #[actix_web::test]
    async fn a_google_slower_than_the_timeout_is_operation_failed() {
        let (base, _) = stand_in((200, TOKEN), (200, PROFILE), Duration::from_secs(3));
        let client =
            GoogleOAuthClient::with_timeout(&config(&base), Duration::from_millis(200)).unwrap();
        let started = std::time::Instant::now();
        let err = client.exchange("code").await.unwrap_err();
        assert_operation_failed(&err);
        assert!(started.elapsed() < Duration::from_secs(2));
        assert!(err.cause.unwrap_or_default().contains("timed out"));
    }
}
