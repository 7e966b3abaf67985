//! The Resend transport: `POST {base_url}/emails` with a bearer API key and a JSON body.
//!
//! Empty optional fields (cc, bcc, reply_to, headers, attachments, an empty text part) are left
//! out of the body rather than sent empty. Attachment content is base64. Any non-2xx answer is a
//! [`EmailError::Delivery`] carrying the status and the start of the answer's body; the API key
//! never appears in errors or logs.

use std::collections::BTreeMap;
use std::time::Duration;

use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use kyora_core::ports::email::{EmailError, EmailMessage};
use serde::Serialize;

use crate::config::{ResendConfig, Secret};
use crate::transport::Transport;

/// The whole-request timeout of spec 01 §5.2.
pub const RESEND_TIMEOUT: Duration = Duration::from_secs(15);

/// How much of an error answer's body is kept in the error.
const BODY_SNIPPET_CHARS: usize = 300;

/// Sends through Resend's HTTP API.
pub struct ResendTransport {
    client: reqwest::Client,
    endpoint: String,
    api_key: Secret,
}

impl std::fmt::Debug for ResendTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResendTransport")
            .field("endpoint", &self.endpoint)
            .field("api_key", &self.api_key)
            .finish_non_exhaustive()
    }
}

impl ResendTransport {
    /// A transport for the `email.resend` section.
    ///
    /// # Errors
    /// [`EmailError::Invalid`] when the API key is blank, [`EmailError::Delivery`] when the HTTP
    /// client cannot be built.
    pub fn new(config: &ResendConfig) -> Result<Self, EmailError> {
        if config.api_key.is_blank() {
            return Err(EmailError::Invalid(
                "email.resend.api_key is required for the resend provider".to_owned(),
            ));
        }
        let client = reqwest::Client::builder()
            .timeout(RESEND_TIMEOUT)
            .build()
            .map_err(|err| EmailError::Delivery(format!("resend client: {err}")))?;
        Ok(Self {
            client,
            endpoint: format!("{}/emails", config.base_url.trim().trim_end_matches('/')),
            api_key: config.api_key.clone(),
        })
    }

    /// The URL messages are posted to.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }
}

#[derive(Debug, Serialize)]
struct ResendAttachment<'a> {
    filename: &'a str,
    content: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    content_type: &'a str,
}

#[derive(Debug, Serialize)]
struct ResendBody<'a> {
    from: &'a str,
    to: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    cc: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    bcc: &'a [String],
    subject: &'a str,
    html: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reply_to: Option<&'a str>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    headers: &'a BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<ResendAttachment<'a>>,
}

impl<'a> ResendBody<'a> {
    fn from_message(message: &'a EmailMessage) -> Self {
        Self {
            from: message.from.as_deref().unwrap_or_default(),
            to: &message.to,
            cc: &message.cc,
            bcc: &message.bcc,
            subject: &message.subject,
            html: &message.html,
            text: &message.text,
            reply_to: message.reply_to.as_deref(),
            headers: &message.headers,
            attachments: message
                .attachments
                .iter()
                .map(|a| ResendAttachment {
                    filename: &a.filename,
                    content: BASE64.encode(&a.content),
                    content_type: &a.content_type,
                })
                .collect(),
        }
    }
}

#[async_trait]
impl Transport for ResendTransport {
    async fn deliver(&self, message: &EmailMessage) -> Result<(), EmailError> {
        let response = self
            .client
            .post(&self.endpoint)
            .bearer_auth(self.api_key.expose())
            .json(&ResendBody::from_message(message))
            .send()
            .await
            .map_err(|err| EmailError::Delivery(format!("resend request failed: {err}")))?;
        let status = response.status();
        if status.is_success() {
            tracing::debug!(provider = "resend", %status, subject = %message.subject, "email sent");
            return Ok(());
        }
        let body = response.text().await.unwrap_or_default();
        let snippet: String = body.chars().take(BODY_SNIPPET_CHARS).collect();
        Err(EmailError::Delivery(format!(
            "resend answered {status}: {}",
            snippet.trim()
        )))
    }
}

#[cfg(test)]
mod tests {
    use std::net::TcpListener;
    use std::sync::{Arc, Mutex};

    use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
    use kyora_core::ports::email::Attachment;

    use super::*;

    #[derive(Debug, Clone)]
    struct Captured {
        method: String,
        path: String,
        authorization: String,
        content_type: String,
        body: serde_json::Value,
    }

    #[derive(Clone)]
    struct StandIn {
        captured: Arc<Mutex<Vec<Captured>>>,
        status: u16,
        answer: &'static str,
    }

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
            body: serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null),
        });
        HttpResponse::build(actix_web::http::StatusCode::from_u16(state.status).unwrap())
            .content_type("application/json")
            .body(state.answer)
    }

    /// Starts a Resend stand-in on 127.0.0.1:0 answering every request with `status`/`answer`.
    fn stand_in(status: u16, answer: &'static str) -> (String, Arc<Mutex<Vec<Captured>>>) {
        let captured = Arc::new(Mutex::new(Vec::new()));
        let state = StandIn {
            captured: Arc::clone(&captured),
            status,
            answer,
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

    fn transport(base_url: &str) -> ResendTransport {
        ResendTransport::new(&ResendConfig {
            api_key: Secret::new("re_test_key_123"),
            base_url: base_url.to_owned(),
        })
        .unwrap()
    }

    fn full_message() -> EmailMessage {
        EmailMessage {
            from: Some("Kyora <no-reply@kyora.com>".to_owned()),
            to: vec!["ada@example.com".to_owned(), "bob@example.com".to_owned()],
            cc: vec!["cc@example.com".to_owned()],
            bcc: vec!["bcc@example.com".to_owned()],
            reply_to: Some("support@kyora.com".to_owned()),
            subject: "Reset your password".to_owned(),
            html: "<p>Hello</p>".to_owned(),
            text: "Hello".to_owned(),
            headers: BTreeMap::from([("X-Entity-Ref-ID".to_owned(), "ref-1".to_owned())]),
            attachments: vec![Attachment {
                filename: "invoice.pdf".to_owned(),
                content: b"%PDF-1.4".to_vec(),
                content_type: "application/pdf".to_owned(),
            }],
        }
    }

    #[actix_web::test]
    async fn a_message_is_posted_to_emails_with_the_bearer_key_and_every_field() {
        let (base, captured) = stand_in(200, r#"{"id":"49a3999c-0ce1-4ea6-ab68-afcd6dc2e794"}"#);
        transport(&format!("{base}/"))
            .deliver(&full_message())
            .await
            .unwrap();

        let requests = captured.lock().unwrap().clone();
        assert_eq!(requests.len(), 1);
        let request = &requests[0];
        assert_eq!(request.method, "POST");
        assert_eq!(request.path, "/emails");
        assert_eq!(request.authorization, "Bearer re_test_key_123");
        assert!(request.content_type.starts_with("application/json"));
        let body = &request.body;
        assert_eq!(body["from"], "Kyora <no-reply@kyora.com>");
        assert_eq!(
            body["to"],
            serde_json::json!(["ada@example.com", "bob@example.com"])
        );
        assert_eq!(body["cc"], serde_json::json!(["cc@example.com"]));
        assert_eq!(body["bcc"], serde_json::json!(["bcc@example.com"]));
        assert_eq!(body["reply_to"], "support@kyora.com");
        assert_eq!(body["subject"], "Reset your password");
        assert_eq!(body["html"], "<p>Hello</p>");
        assert_eq!(body["text"], "Hello");
        assert_eq!(
            body["headers"],
            serde_json::json!({"X-Entity-Ref-ID": "ref-1"})
        );
        assert_eq!(
            body["attachments"],
            serde_json::json!([{
                "filename": "invoice.pdf",
                "content": "JVBERi0xLjQ=",
                "content_type": "application/pdf",
            }])
        );
    }

    #[actix_web::test]
    async fn a_template_sent_through_the_resend_provider_posts_the_rendered_email() {
        let (base, captured) = stand_in(200, r#"{"id":"x"}"#);
        let mut config = crate::EmailConfig {
            provider: "resend".to_owned(),
            from_name: "Acme Billing".to_owned(),
            ..crate::EmailConfig::default()
        };
        config.resend = ResendConfig {
            api_key: Secret::new("re_live_abc"),
            base_url: base,
        };
        let (sender, outbox) = crate::build(&config, None).unwrap();
        assert!(outbox.is_none());
        sender
            .send_template(kyora_core::ports::email::TemplateEmail {
                template: kyora_core::ports::email::EmailTemplate::ForgotPassword,
                to: vec!["ada@example.com".to_owned()],
                subject: None,
                variables: BTreeMap::from([(
                    "resetURL".to_owned(),
                    "https://app.kyora.com/reset-password?token=t0k".to_owned(),
                )]),
            })
            .await
            .unwrap();

        let request = captured.lock().unwrap()[0].clone();
        assert_eq!(request.authorization, "Bearer re_live_abc");
        assert_eq!(request.body["from"], "Acme Billing <no-reply@kyora.com>");
        assert_eq!(request.body["subject"], "Reset your password");
        let html = request.body["html"].as_str().unwrap();
        assert!(html.contains("href=\"https://app.kyora.com/reset-password?token=t0k\""));
        let text = request.body["text"].as_str().unwrap();
        assert!(text.contains("https://app.kyora.com/reset-password?token=t0k"));
    }

    #[actix_web::test]
    async fn empty_optional_fields_are_left_out_of_the_body() {
        let (base, captured) = stand_in(200, "{}");
        let message = EmailMessage {
            from: Some("no-reply@kyora.com".to_owned()),
            to: vec!["ada@example.com".to_owned()],
            subject: "Hi".to_owned(),
            html: "<p>Hi</p>".to_owned(),
            ..EmailMessage::default()
        };
        transport(&base).deliver(&message).await.unwrap();
        let body = captured.lock().unwrap()[0].body.clone();
        let mut keys: Vec<_> = body.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        assert_eq!(keys, ["from", "html", "subject", "to"]);
    }

    #[actix_web::test]
    async fn a_client_error_answer_becomes_a_delivery_error_with_status_and_body() {
        let (base, _) = stand_in(
            422,
            r#"{"statusCode":422,"name":"validation_error","message":"Invalid `to` field."}"#,
        );
        let err = transport(&base).deliver(&full_message()).await.unwrap_err();
        let EmailError::Delivery(text) = err else {
            panic!("expected a delivery error, got {err:?}");
        };
        assert!(text.contains("422"), "{text}");
        assert!(text.contains("Invalid `to` field."), "{text}");
        assert!(!text.contains("re_test_key_123"));
    }

    #[actix_web::test]
    async fn a_server_error_answer_becomes_a_delivery_error() {
        let (base, _) = stand_in(503, "upstream unavailable");
        let err = transport(&base).deliver(&full_message()).await.unwrap_err();
        assert!(
            matches!(&err, EmailError::Delivery(text) if text.contains("503") && text.contains("upstream unavailable")),
            "{err:?}"
        );
    }

    #[actix_web::test]
    async fn a_long_error_body_is_cut_to_a_snippet() {
        let long: &'static str = Box::leak("x".repeat(5000).into_boxed_str());
        let (base, _) = stand_in(500, long);
        let err = transport(&base).deliver(&full_message()).await.unwrap_err();
        let EmailError::Delivery(text) = err else {
            panic!("expected a delivery error");
        };
        assert!(text.len() < 400, "{}", text.len());
    }

    #[actix_web::test]
    async fn an_unreachable_api_is_a_delivery_error() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let err = transport(&format!("http://127.0.0.1:{port}"))
            .deliver(&full_message())
            .await
            .unwrap_err();
        assert!(matches!(err, EmailError::Delivery(_)), "{err:?}");
    }

    #[test]
    fn a_blank_api_key_is_refused_and_debug_hides_the_key() {
        let blank = ResendTransport::new(&ResendConfig {
            api_key: Secret::new(""),
            base_url: "https://api.resend.com".to_owned(),
        });
        assert!(matches!(blank, Err(EmailError::Invalid(_))));
        let transport = transport("https://api.resend.com");
        assert_eq!(transport.endpoint(), "https://api.resend.com/emails");
        assert!(!format!("{transport:?}").contains("re_test_key_123"));
    }
}
