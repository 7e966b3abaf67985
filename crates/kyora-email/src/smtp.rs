//! The SMTP transport (lettre): a multipart/alternative message (text + HTML), wrapped in
//! multipart/mixed when it carries attachments, sent through `email.smtp.host:port` with the
//! configured TLS mode, authenticating only when a user name is set.
//!
//! Each message opens its own connection: lettre's pooled transport spawns tasks on the Tokio
//! runtime when it is built and when it is dropped, so holding one for the life of the process
//! would tie it to whichever runtime built it and panic when dropped outside one. Building it
//! inside [`Transport::deliver`] keeps every task on the caller's runtime and lets
//! [`SmtpTransport::new`] run anywhere; transactional volumes do not need connection reuse.

use std::time::Duration;

use async_trait::async_trait;
use kyora_core::ports::email::{EmailError, EmailMessage};
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, MultiPart, SinglePart};
use lettre::transport::smtp::AsyncSmtpTransportBuilder;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{SmtpConfig, SmtpTls};
use crate::transport::{Transport, parse_mailbox};

/// The timeout of each SMTP command.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(15);

/// Sends through an SMTP relay.
pub struct SmtpTransport {
    builder: AsyncSmtpTransportBuilder,
    host: String,
    port: u16,
    tls: SmtpTls,
    authenticated: bool,
}

impl std::fmt::Debug for SmtpTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpTransport")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("authenticated", &self.authenticated)
            .finish_non_exhaustive()
    }
}

impl SmtpTransport {
    /// A transport for the `email.smtp` section. No connection is made until the first message.
    ///
    /// # Errors
    /// [`EmailError::Invalid`] when the host is blank, or when TLS parameters cannot be built for
    /// it.
    pub fn new(config: &SmtpConfig) -> Result<Self, EmailError> {
        let host = config.host.trim();
        if host.is_empty() {
            return Err(EmailError::Invalid(
                "email.smtp.host is required for the smtp provider".to_owned(),
            ));
        }
        let tls_error = |err: lettre::transport::smtp::Error| {
            EmailError::Invalid(format!("email.smtp.tls: {err}"))
        };
        let builder = match config.tls {
            SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
            SmtpTls::StartTls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host).map_err(tls_error)?
            }
            SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host).map_err(tls_error)?,
        };
        let mut builder = builder.port(config.port).timeout(Some(SMTP_TIMEOUT));
        let authenticated = !config.username.trim().is_empty();
        if authenticated {
            builder = builder.credentials(Credentials::new(
                config.username.trim().to_owned(),
                config.password.expose().to_owned(),
            ));
        }
        Ok(Self {
            builder,
            host: host.to_owned(),
            port: config.port,
            tls: config.tls,
            authenticated,
        })
    }
}

#[async_trait]
impl Transport for SmtpTransport {
    async fn deliver(&self, message: &EmailMessage) -> Result<(), EmailError> {
        let mime = build_mime(message)?;
        let transport: AsyncSmtpTransport<Tokio1Executor> = self.builder.clone().build();
        transport.send(mime).await.map_err(|err| {
            EmailError::Delivery(format!("smtp {}:{}: {err}", self.host, self.port))
        })?;
        tracing::debug!(provider = "smtp", subject = %message.subject, "email sent");
        Ok(())
    }
}

/// Builds the MIME message: headers from the fields, the bodies as alternatives, then the
/// attachments.
fn build_mime(message: &EmailMessage) -> Result<Message, EmailError> {
    let from = message
        .from
        .as_deref()
        .ok_or_else(|| EmailError::Invalid("the message has no sender".to_owned()))?;
    let mut builder = Message::builder()
        .from(parse_mailbox("from", from)?)
        .subject(message.subject.clone());
    for to in &message.to {
        builder = builder.to(parse_mailbox("to", to)?);
    }
    for cc in &message.cc {
        builder = builder.cc(parse_mailbox("cc", cc)?);
    }
    for bcc in &message.bcc {
        builder = builder.bcc(parse_mailbox("bcc", bcc)?);
    }
    if let Some(reply_to) = &message.reply_to {
        builder = builder.reply_to(parse_mailbox("reply_to", reply_to)?);
    }
    for (name, value) in &message.headers {
        let header_name = HeaderName::new_from_ascii(name.clone())
            .map_err(|_| EmailError::Invalid(format!("{name:?} is not a valid header name")))?;
        builder = builder.raw_header(HeaderValue::new(header_name, value.clone()));
    }

    let body = match (message.text.is_empty(), message.html.is_empty()) {
        (false, false) => Part::Multi(MultiPart::alternative_plain_html(
            message.text.clone(),
            message.html.clone(),
        )),
        (true, false) => Part::Single(SinglePart::html(message.html.clone())),
        (false, true) | (true, true) => Part::Single(SinglePart::plain(message.text.clone())),
    };
    let built = if message.attachments.is_empty() {
        match body {
            Part::Single(part) => builder.singlepart(part),
            Part::Multi(part) => builder.multipart(part),
        }
    } else {
        let mixed = MultiPart::mixed();
        let mut mixed = match body {
            Part::Single(part) => mixed.singlepart(part),
            Part::Multi(part) => mixed.multipart(part),
        };
        for attachment in &message.attachments {
            let content_type = ContentType::parse(&attachment.content_type)
                .or_else(|_| ContentType::parse("application/octet-stream"))
                .map_err(|err| EmailError::Invalid(format!("attachment content type: {err}")))?;
            mixed = mixed.singlepart(
                Attachment::new(attachment.filename.clone())
                    .body(attachment.content.clone(), content_type),
            );
        }
        builder.multipart(mixed)
    };
    built.map_err(|err| EmailError::Invalid(format!("cannot build the message: {err}")))
}

enum Part {
    Single(SinglePart),
    Multi(MultiPart),
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::{Arc, Mutex};

    use base64::Engine as _;
    use kyora_core::ports::email::Attachment as MailAttachment;
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use tokio::net::TcpListener;

    use super::*;
    use crate::config::Secret;

    /// One message as the SMTP listener received it.
    #[derive(Debug, Clone, Default)]
    struct Received {
        auth: Option<String>,
        mail_from: String,
        rcpt_to: Vec<String>,
        data: String,
    }

    /// A minimal SMTP server (EHLO/HELO, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT) on
    /// 127.0.0.1:0 that records every message it accepts.
    async fn smtp_listener(advertise_auth: bool) -> (u16, Arc<Mutex<Vec<Received>>>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let store = Arc::clone(&received);
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let store = Arc::clone(&store);
                tokio::spawn(serve_session(socket, store, advertise_auth));
            }
        });
        (port, received)
    }

    async fn serve_session(
        socket: tokio::net::TcpStream,
        store: Arc<Mutex<Vec<Received>>>,
        advertise_auth: bool,
    ) {
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read);
        let mut current = Received::default();
        let mut auth = None;
        write
            .write_all(b"220 test.local ESMTP ready\r\n")
            .await
            .unwrap();
        loop {
            let mut line = String::new();
            if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                return;
            }
            let command = line.trim_end().to_owned();
            let upper = command.to_ascii_uppercase();
            let reply: &[u8] = if upper.starts_with("EHLO") {
                if advertise_auth {
                    b"250-test.local\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n"
                } else {
                    b"250-test.local\r\n250 8BITMIME\r\n"
                }
            } else if upper.starts_with("HELO") {
                b"250 test.local\r\n"
            } else if upper.starts_with("AUTH PLAIN ") {
                auth = Some(command["AUTH PLAIN ".len()..].to_owned());
                b"235 2.7.0 Authentication successful\r\n"
            } else if upper.starts_with("MAIL FROM:") {
                current = Received {
                    auth: auth.clone(),
                    mail_from: command["MAIL FROM:".len()..].to_owned(),
                    ..Received::default()
                };
                b"250 2.1.0 OK\r\n"
            } else if upper.starts_with("RCPT TO:") {
                current.rcpt_to.push(command["RCPT TO:".len()..].to_owned());
                b"250 2.1.5 OK\r\n"
            } else if upper == "DATA" {
                write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await
                    .unwrap();
                let mut data = String::new();
                loop {
                    let mut data_line = String::new();
                    if lines.read_line(&mut data_line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    if data_line == ".\r\n" {
                        break;
                    }
                    let unstuffed = data_line.strip_prefix('.').unwrap_or(&data_line);
                    data.push_str(unstuffed);
                }
                current.data = data;
                store.lock().unwrap().push(std::mem::take(&mut current));
                b"250 2.0.0 OK queued\r\n"
            } else if upper == "RSET" || upper == "NOOP" {
                b"250 2.0.0 OK\r\n"
            } else if upper == "QUIT" {
                let _ = write.write_all(b"221 2.0.0 Bye\r\n").await;
                return;
            } else {
                b"502 5.5.2 Command not recognized\r\n"
            };
            write.write_all(reply).await.unwrap();
        }
    }

    fn plain_config(port: u16) -> SmtpConfig {
        SmtpConfig {
            host: "127.0.0.1".to_owned(),
            port,
            username: String::new(),
            password: Secret::default(),
            tls: SmtpTls::None,
        }
    }

    fn message() -> EmailMessage {
        EmailMessage {
            from: Some("Kyora <no-reply@kyora.test>".to_owned()),
            to: vec!["Ada Lovelace <ada@example.test>".to_owned()],
            cc: vec!["cc@example.test".to_owned()],
            bcc: vec!["hidden@example.test".to_owned()],
            reply_to: Some("support@kyora.test".to_owned()),
            subject: "Reset your password".to_owned(),
            html: "<p>Hello from the SMTP test</p>".to_owned(),
            text: "Hello from the SMTP test".to_owned(),
            headers: BTreeMap::from([("X-Kyora-Test".to_owned(), "smtp-1".to_owned())]),
            attachments: Vec::new(),
        }
    }

    #[tokio::test]
    async fn a_message_reaches_the_listener_with_its_envelope_subject_and_bodies() {
        let (port, received) = smtp_listener(false).await;
        let transport = SmtpTransport::new(&plain_config(port)).unwrap();
        transport.deliver(&message()).await.unwrap();

        let messages = received.lock().unwrap().clone();
        assert_eq!(messages.len(), 1);
        let got = &messages[0];
        assert!(
            got.mail_from.contains("<no-reply@kyora.test>"),
            "{}",
            got.mail_from
        );
        let mut rcpt = got.rcpt_to.clone();
        rcpt.sort();
        assert_eq!(
            rcpt,
            [
                "<ada@example.test>",
                "<cc@example.test>",
                "<hidden@example.test>"
            ]
        );
        assert!(got.auth.is_none());
        let data = &got.data;
        assert!(data.contains("Subject: Reset your password\r\n"), "{data}");
        assert!(
            data.contains("From: Kyora <no-reply@kyora.test>\r\n"),
            "{data}"
        );
        assert!(
            data.contains("To: \"Ada Lovelace\" <ada@example.test>\r\n")
                || data.contains("To: Ada Lovelace <ada@example.test>\r\n"),
            "{data}"
        );
        assert!(data.contains("Cc: cc@example.test\r\n"), "{data}");
        assert!(data.contains("Reply-To: support@kyora.test\r\n"), "{data}");
        assert!(data.contains("X-Kyora-Test: smtp-1\r\n"), "{data}");
        assert!(
            !data.contains("hidden@example.test"),
            "Bcc must stay out of the headers"
        );
        assert!(data.contains("multipart/alternative"), "{data}");
        assert!(data.contains("Content-Type: text/plain"), "{data}");
        assert!(data.contains("Content-Type: text/html"), "{data}");
        assert!(data.contains("<p>Hello from the SMTP test</p>"), "{data}");
    }

    #[tokio::test]
    async fn credentials_are_used_when_a_user_name_is_set() {
        let (port, received) = smtp_listener(true).await;
        let config = SmtpConfig {
            username: "mailer".to_owned(),
            password: Secret::new("s3cret-pass"),
            ..plain_config(port)
        };
        let transport = SmtpTransport::new(&config).unwrap();
        assert!(!format!("{transport:?}").contains("s3cret-pass"));
        transport.deliver(&message()).await.unwrap();

        let got = received.lock().unwrap()[0].clone();
        let encoded = got.auth.expect("the client authenticated");
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap();
        assert_eq!(decoded, b"\0mailer\0s3cret-pass");
    }

    #[tokio::test]
    async fn attachments_travel_in_a_mixed_multipart() {
        let (port, received) = smtp_listener(false).await;
        let transport = SmtpTransport::new(&plain_config(port)).unwrap();
        let mut msg = message();
        msg.attachments.push(MailAttachment {
            filename: "invoice.pdf".to_owned(),
            content: vec![0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0xfe, 0x81, 0x90],
            content_type: "application/pdf".to_owned(),
        });
        transport.deliver(&msg).await.unwrap();

        let data = received.lock().unwrap()[0].data.clone();
        assert!(data.contains("multipart/mixed"), "{data}");
        assert!(data.contains("multipart/alternative"), "{data}");
        assert!(data.contains("Content-Type: application/pdf"), "{data}");
        assert!(data.contains("filename=\"invoice.pdf\""), "{data}");
        assert!(data.contains("Content-Transfer-Encoding: base64"), "{data}");
        let encoded = base64::engine::general_purpose::STANDARD
            .encode([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0xfe, 0x81, 0x90]);
        assert!(data.contains(&encoded), "{data}");
    }

    #[tokio::test]
    async fn an_html_only_message_is_a_single_html_part() {
        let (port, received) = smtp_listener(false).await;
        let transport = SmtpTransport::new(&plain_config(port)).unwrap();
        let mut msg = message();
        msg.text.clear();
        transport.deliver(&msg).await.unwrap();
        let data = received.lock().unwrap()[0].data.clone();
        assert!(!data.contains("multipart/"), "{data}");
        assert!(data.contains("Content-Type: text/html"), "{data}");
    }

    /// Decodes a quoted-printable body (soft line breaks and `=XX` escapes).
    fn decode_quoted_printable(encoded: &str) -> String {
        let joined = encoded.replace("=\r\n", "");
        let bytes = joined.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'='
                && i + 2 < bytes.len()
                && let Ok(byte) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
            {
                out.push(byte);
                i += 3;
                continue;
            }
            out.push(bytes[i]);
            i += 1;
        }
        String::from_utf8(out).unwrap()
    }

    #[tokio::test]
    async fn a_template_sent_through_the_smtp_provider_reaches_the_listener() {
        let (port, received) = smtp_listener(false).await;
        let mut config = crate::EmailConfig {
            provider: "smtp".to_owned(),
            ..crate::EmailConfig::default()
        };
        config.smtp = plain_config(port);
        let (sender, outbox) = crate::build(&config, Some("Acme Shop")).unwrap();
        assert!(outbox.is_none());
        sender
            .send_template(kyora_core::ports::email::TemplateEmail {
                template: kyora_core::ports::email::EmailTemplate::Welcome,
                to: vec!["ada@example.test".to_owned()],
                subject: None,
                variables: BTreeMap::from([
                    ("userName".to_owned(), "Ada".to_owned()),
                    (
                        "dashboardURL".to_owned(),
                        "https://app.acme.test/dashboard".to_owned(),
                    ),
                ]),
            })
            .await
            .unwrap();

        let got = received.lock().unwrap()[0].clone();
        assert_eq!(got.rcpt_to, ["<ada@example.test>"]);
        assert!(
            got.mail_from.contains("<no-reply@kyora.com>"),
            "{}",
            got.mail_from
        );
        let data = decode_quoted_printable(&got.data);
        assert!(data.contains("Subject: Welcome to Kyora!\r\n"), "{data}");
        assert!(
            data.contains("From: \"Acme Shop\" <no-reply@kyora.com>\r\n"),
            "{data}"
        );
        assert!(data.contains("Content-Type: text/html"), "{data}");
        assert!(data.contains("<!DOCTYPE html>"), "{data}");
        assert!(
            data.contains("<a href=\"https://app.acme.test/dashboard\""),
            "{data}"
        );
        assert!(data.contains("Welcome to Acme Shop!"), "{data}");
        assert!(
            data.contains("Open your dashboard: https://app.acme.test/dashboard"),
            "{data}"
        );
    }

    #[tokio::test]
    async fn an_unreachable_relay_is_a_delivery_error() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let transport = SmtpTransport::new(&plain_config(port)).unwrap();
        let err = transport.deliver(&message()).await.unwrap_err();
        assert!(matches!(err, EmailError::Delivery(_)), "{err:?}");
    }

    #[test]
    fn a_blank_host_is_refused() {
        let config = SmtpConfig {
            host: " ".to_owned(),
            ..plain_config(25)
        };
        assert!(matches!(
            SmtpTransport::new(&config),
            Err(EmailError::Invalid(_))
        ));
    }

    #[test]
    fn every_tls_mode_builds_a_transport() {
        for tls in [SmtpTls::None, SmtpTls::StartTls, SmtpTls::Tls] {
            let config = SmtpConfig {
                host: "smtp.example.test".to_owned(),
                tls,
                ..plain_config(587)
            };
            let transport = SmtpTransport::new(&config).unwrap();
            assert_eq!(transport.tls, tls);
        }
    }
}
