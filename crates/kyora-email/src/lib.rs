//! Kyora's email adapters: the [`EmailSender`] port over a mock outbox, Resend's HTTP API and
//! SMTP (lettre), with the template catalogue of spec 01 §5.3 embedded in the binary.
//!
//! The rule of this crate: it turns a message or a template request into an email on the wire
//! and nothing more. It holds no business rule; the account and billing domains decide what to
//! send and with which variables. Secrets from the configuration never reach `Debug` output,
//! logs or errors.
//!
//! Entry point: [`build`] reads the `email` configuration section and returns the sender the
//! application holds (and, for the mock provider, the [`MockOutbox`] tests read messages from).
//! [`format`] has the pure helpers of spec 01 §4.6 that fill the account emails' variables.

pub mod config;
pub mod format;
pub mod mock;
pub mod render;
pub mod resend;
mod sender;
pub mod smtp;
pub mod transport;

use std::sync::Arc;

pub use config::{ConfigError, EmailConfig, Provider, Secret, SmtpTls};
pub use kyora_core::ports::email::{
    Attachment, EmailError, EmailMessage, EmailSender, EmailTemplate, TemplateEmail,
};
pub use mock::{MockOutbox, MockTransport};
pub use render::{CommonVariables, RenderedEmail, TemplateRenderer};
pub use resend::ResendTransport;
pub use sender::TemplatedSender;
pub use smtp::SmtpTransport;
pub use transport::{Transport, sender_header};

/// The product name when `app.name` is unset (spec 01 §5.2).
pub const DEFAULT_PRODUCT_NAME: &str = "Kyora";

/// The product name shown in emails: `app.name` when set and not blank, else `Kyora`.
pub fn product_name(app_name: Option<&str>) -> String {
    app_name
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .unwrap_or(DEFAULT_PRODUCT_NAME)
        .to_owned()
}

/// Builds the application's email sender from the `email` section and `app.name`.
///
/// The provider is chosen by `email.mock.enabled`, then `email.provider` (spec 01 §5.2). The
/// sender is `"<from_name> <from_email>"`, with the product name when `from_name` is empty. The
/// [`MockOutbox`] is returned only for the mock provider.
///
/// # Errors
/// [`EmailError::Invalid`] naming the configuration key when the section is invalid (unknown
/// provider, resend without an API key, smtp without a host, a malformed sender address);
/// [`EmailError::Template`] if an embedded template fails to load.
pub fn build(
    config: &EmailConfig,
    app_name: Option<&str>,
) -> Result<(Arc<dyn EmailSender>, Option<MockOutbox>), EmailError> {
    let provider = config
        .validate()
        .map_err(|err| EmailError::Invalid(err.to_string()))?;
    let product = product_name(app_name);
    let from_name = if config.from_name.trim().is_empty() {
        product.as_str()
    } else {
        config.from_name.as_str()
    };
    let from = sender_header(from_name, &config.from_email);
    let renderer = TemplateRenderer::new(CommonVariables {
        product_name: product.clone(),
        support_email: config.support_email.trim().to_owned(),
        help_url: config.help_url.trim().to_owned(),
    })?;
    let (transport, outbox): (Arc<dyn Transport>, Option<MockOutbox>) = match provider {
        Provider::Mock => {
            let transport = MockTransport::new();
            let outbox = transport.outbox();
            (Arc::new(transport), Some(outbox))
        }
        Provider::Resend => (Arc::new(ResendTransport::new(&config.resend)?), None),
        Provider::Smtp => (Arc::new(SmtpTransport::new(&config.smtp)?), None),
    };
    tracing::info!(provider = ?provider, from = %from, "email sender ready");
    Ok((
        Arc::new(TemplatedSender::new(transport, renderer, from)),
        outbox,
    ))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn mock(config: &EmailConfig, app_name: Option<&str>) -> (Arc<dyn EmailSender>, MockOutbox) {
        let (sender, outbox) = build(config, app_name).unwrap();
        (sender, outbox.unwrap())
    }

    fn template(template: EmailTemplate, subject: Option<&str>) -> TemplateEmail {
        TemplateEmail {
            template,
            to: vec!["ada@example.com".to_owned()],
            subject: subject.map(str::to_owned),
            variables: BTreeMap::from([
                ("userName".to_owned(), "Ada".to_owned()),
                (
                    "resetURL".to_owned(),
                    "https://app.kyora.com/reset-password?token=tok123".to_owned(),
                ),
            ]),
        }
    }

    #[test]
    fn the_product_name_falls_back_to_kyora() {
        assert_eq!(product_name(None), "Kyora");
        assert_eq!(product_name(Some("  ")), "Kyora");
        assert_eq!(product_name(Some(" Acme ")), "Acme");
    }

    #[tokio::test]
    async fn the_default_configuration_builds_the_mock_with_an_outbox() {
        let (sender, outbox) = mock(&EmailConfig::default(), None);
        sender
            .send_template(template(EmailTemplate::ForgotPassword, None))
            .await
            .unwrap();
        let sent = outbox.last_to("ada@example.com").unwrap();
        assert_eq!(sent.from.as_deref(), Some("Kyora <no-reply@kyora.com>"));
        assert_eq!(sent.subject, "Reset your password");
        assert!(
            sent.html
                .contains("https://app.kyora.com/reset-password?token=tok123")
        );
        assert!(
            sent.text
                .contains("https://app.kyora.com/reset-password?token=tok123")
        );
        assert!(sent.html.contains("support@kyora.com"));
        assert!(sent.html.contains("https://help.kyora.com"));
    }

    #[tokio::test]
    async fn each_template_is_sent_with_its_default_subject_when_none_is_given() {
        let (sender, outbox) = mock(&EmailConfig::default(), None);
        for t in EmailTemplate::ALL {
            sender.send_template(template(t, None)).await.unwrap();
        }
        let subjects: Vec<_> = outbox.messages().into_iter().map(|m| m.subject).collect();
        let expected: Vec<_> = EmailTemplate::ALL
            .iter()
            .map(|t| t.default_subject().to_owned())
            .collect();
        assert_eq!(subjects, expected);
        assert_eq!(subjects[0], "Reset your password");
        assert_eq!(subjects[7], "Welcome to your subscription!");
    }

    #[tokio::test]
    async fn a_given_subject_replaces_the_default_and_a_blank_one_does_not() {
        let (sender, outbox) = mock(&EmailConfig::default(), None);
        sender
            .send_template(template(EmailTemplate::Welcome, Some("Hello there")))
            .await
            .unwrap();
        assert_eq!(outbox.messages()[0].subject, "Hello there");
        sender
            .send_template(template(EmailTemplate::Welcome, Some("  ")))
            .await
            .unwrap();
        assert_eq!(outbox.messages()[1].subject, "Welcome to Kyora!");
    }

    #[tokio::test]
    async fn the_sender_name_is_the_app_name_when_from_name_is_empty() {
        let (sender, outbox) = mock(&EmailConfig::default(), Some("Acme Shop"));
        sender
            .send_template(template(EmailTemplate::Welcome, None))
            .await
            .unwrap();
        let sent = &outbox.messages()[0];
        assert_eq!(sent.from.as_deref(), Some("Acme Shop <no-reply@kyora.com>"));
        assert!(sent.html.contains("Welcome to Acme Shop!"));
    }

    #[tokio::test]
    async fn a_configured_from_name_and_address_are_used() {
        let config = EmailConfig {
            from_name: "Billing Team".to_owned(),
            from_email: "billing@acme.test".to_owned(),
            support_email: "care@acme.test".to_owned(),
            ..EmailConfig::default()
        };
        let (sender, outbox) = mock(&config, Some("Acme"));
        sender
            .send_template(template(EmailTemplate::Welcome, None))
            .await
            .unwrap();
        let sent = &outbox.messages()[0];
        assert_eq!(
            sent.from.as_deref(),
            Some("Billing Team <billing@acme.test>")
        );
        assert!(sent.html.contains("care@acme.test"));
    }

    #[tokio::test]
    async fn a_plain_message_without_sender_gets_the_configured_one() {
        let (sender, outbox) = mock(&EmailConfig::default(), None);
        sender
            .send(EmailMessage {
                to: vec!["ada@example.com".to_owned()],
                subject: "Plain".to_owned(),
                text: "hello".to_owned(),
                ..EmailMessage::default()
            })
            .await
            .unwrap();
        sender
            .send(EmailMessage {
                from: Some("Ops <ops@kyora.com>".to_owned()),
                to: vec!["ada@example.com".to_owned()],
                subject: "Explicit".to_owned(),
                ..EmailMessage::default()
            })
            .await
            .unwrap();
        let froms: Vec<_> = outbox.messages().into_iter().map(|m| m.from).collect();
        assert_eq!(
            froms,
            [
                Some("Kyora <no-reply@kyora.com>".to_owned()),
                Some("Ops <ops@kyora.com>".to_owned())
            ]
        );
    }

    #[tokio::test]
    async fn an_invalid_message_is_refused_before_the_transport() {
        let (sender, outbox) = mock(&EmailConfig::default(), None);
        let err = sender
            .send_template(TemplateEmail {
                template: EmailTemplate::Welcome,
                to: vec!["not an address".to_owned()],
                subject: None,
                variables: BTreeMap::new(),
            })
            .await
            .unwrap_err();
        assert!(matches!(err, EmailError::Invalid(_)), "{err:?}");
        let err = sender.send(EmailMessage::default()).await.unwrap_err();
        assert!(matches!(err, EmailError::Invalid(_)), "{err:?}");
        assert!(outbox.is_empty());
    }

    #[test]
    fn the_mock_switch_builds_the_mock_even_for_resend() {
        let mut config = EmailConfig {
            provider: "resend".to_owned(),
            ..EmailConfig::default()
        };
        config.mock.enabled = true;
        let (_, outbox) = build(&config, None).unwrap();
        assert!(outbox.is_some());
    }

    #[test]
    fn real_providers_build_without_an_outbox() {
        let mut resend = EmailConfig {
            provider: "resend".to_owned(),
            ..EmailConfig::default()
        };
        resend.resend.api_key = Secret::new("re_123");
        assert!(build(&resend, None).unwrap().1.is_none());

        let mut smtp = EmailConfig {
            provider: "smtp".to_owned(),
            ..EmailConfig::default()
        };
        smtp.smtp.host = "smtp.example.test".to_owned();
        assert!(build(&smtp, None).unwrap().1.is_none());
    }

    #[test]
    fn bad_configuration_fails_the_build_naming_the_key() {
        let expect_key = |config: EmailConfig, key: &str| {
            let Err(EmailError::Invalid(message)) = build(&config, None) else {
                panic!("expected an invalid-configuration error for {key}");
            };
            assert!(message.starts_with(key), "{message}");
        };
        expect_key(
            EmailConfig {
                provider: "postmark".to_owned(),
                ..EmailConfig::default()
            },
            "email.provider",
        );
        expect_key(
            EmailConfig {
                provider: "resend".to_owned(),
                ..EmailConfig::default()
            },
            "email.resend.api_key",
        );
        expect_key(
            EmailConfig {
                provider: "smtp".to_owned(),
                ..EmailConfig::default()
            },
            "email.smtp.host",
        );
    }
}
