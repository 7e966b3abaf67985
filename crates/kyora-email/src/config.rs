//! The `email.*` configuration section (spec 01 §6.1 and the spec README's added keys).
//!
//! Every field has a default, so an absent section selects the mock provider. Secrets (the Resend
//! API key and the SMTP password) are held in [`Secret`], whose `Debug` never shows the value.

use std::str::FromStr;

use serde::Deserialize;
use serde::de::{self, Deserializer};

pub use kyora_core::shared::secret::Secret;

/// A configuration mistake, naming the offending key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}: {message}")]
pub struct ConfigError {
    /// The full configuration key, e.g. `email.provider`.
    pub key: &'static str,
    /// What is wrong with it.
    pub message: String,
}

impl ConfigError {
    fn new(key: &'static str, message: impl Into<String>) -> Self {
        Self {
            key,
            message: message.into(),
        }
    }
}

/// The provider a configuration selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// Log the message and keep it in memory.
    Mock,
    /// Resend's HTTP API.
    Resend,
    /// An SMTP relay.
    Smtp,
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SmtpTls {
    /// Plain text, no encryption (local catchers only).
    None,
    /// Plain connection upgraded with STARTTLS, which is required.
    #[default]
    StartTls,
    /// TLS from the first byte (SMTPS, usually port 465).
    Tls,
}

impl FromStr for SmtpTls {
    type Err = ConfigError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value.trim().to_ascii_lowercase().as_str() {
            "none" => Ok(Self::None),
            "starttls" | "" => Ok(Self::StartTls),
            "tls" => Ok(Self::Tls),
            other => Err(ConfigError::new(
                "email.smtp.tls",
                format!("unknown value {other:?} (expected none, starttls or tls)"),
            )),
        }
    }
}

impl<'de> Deserialize<'de> for SmtpTls {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        raw.parse().map_err(de::Error::custom)
    }
}

/// `email.mock`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct MockConfig {
    /// Forces the mock provider whatever `email.provider` says.
    pub enabled: bool,
}

/// `email.resend`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct ResendConfig {
    /// API key; required when the provider is `resend`.
    pub api_key: Secret,
    /// API base URL, without the `/emails` path.
    pub base_url: String,
}

impl Default for ResendConfig {
    fn default() -> Self {
        Self {
            api_key: Secret::default(),
            base_url: "https://api.resend.com".to_owned(),
        }
    }
}

/// `email.smtp`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct SmtpConfig {
    /// Relay host; required when the provider is `smtp`.
    pub host: String,
    /// Relay port.
    pub port: u16,
    /// User name; the transport authenticates only when it is set.
    pub username: String,
    /// Password.
    pub password: Secret,
    /// Connection security.
    pub tls: SmtpTls,
}

impl Default for SmtpConfig {
    fn default() -> Self {
        Self {
            host: String::new(),
            port: 587,
            username: String::new(),
            password: Secret::default(),
            tls: SmtpTls::default(),
        }
    }
}

/// The `email` section.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct EmailConfig {
    /// `mock` (also when empty), `resend` or `smtp`, case-insensitive.
    pub provider: String,
    /// Mock switches.
    pub mock: MockConfig,
    /// Resend settings.
    pub resend: ResendConfig,
    /// SMTP settings.
    pub smtp: SmtpConfig,
    /// Sender address.
    pub from_email: String,
    /// Sender display name; empty means the product name.
    pub from_name: String,
    /// The `supportEmail` template variable.
    pub support_email: String,
    /// The `helpURL` template variable.
    pub help_url: String,
}

impl Default for EmailConfig {
    fn default() -> Self {
        Self {
            provider: "mock".to_owned(),
            mock: MockConfig::default(),
            resend: ResendConfig::default(),
            smtp: SmtpConfig::default(),
            from_email: "no-reply@kyora.com".to_owned(),
            from_name: String::new(),
            support_email: "support@kyora.com".to_owned(),
            help_url: "https://help.kyora.com".to_owned(),
        }
    }
}

impl EmailConfig {
    /// The provider this configuration selects: `mock.enabled` first, then `provider`
    /// (spec 01 §5.2).
    ///
    /// # Errors
    /// A [`ConfigError`] on `email.provider` when it names no known provider.
    pub fn selected_provider(&self) -> Result<Provider, ConfigError> {
        if self.mock.enabled {
            return Ok(Provider::Mock);
        }
        match self.provider.trim().to_ascii_lowercase().as_str() {
            "" | "mock" => Ok(Provider::Mock),
            "resend" => Ok(Provider::Resend),
            "smtp" => Ok(Provider::Smtp),
            other => Err(ConfigError::new(
                "email.provider",
                format!("unknown provider {other:?} (expected mock, resend or smtp)"),
            )),
        }
    }

    /// Checks the section once at start-up.
    ///
    /// # Errors
    /// A [`ConfigError`] naming the key: `email.provider` (unknown provider),
    /// `email.resend.api_key` (resend without a key), `email.resend.base_url` (resend without a
    /// base URL), `email.smtp.host` (smtp without a host), `email.smtp.port` (port 0),
    /// `email.from_email` (not an email address).
    pub fn validate(&self) -> Result<Provider, ConfigError> {
        let provider = self.selected_provider()?;
        if self.from_email.trim().parse::<lettre::Address>().is_err() {
            return Err(ConfigError::new(
                "email.from_email",
                format!("{:?} is not an email address", self.from_email),
            ));
        }
        match provider {
            Provider::Mock => {}
            Provider::Resend => {
                if self.resend.api_key.is_blank() {
                    return Err(ConfigError::new(
                        "email.resend.api_key",
                        "is required when email.provider is resend",
                    ));
                }
                if self.resend.base_url.trim().is_empty() {
                    return Err(ConfigError::new(
                        "email.resend.base_url",
                        "must not be empty when email.provider is resend",
                    ));
                }
            }
            Provider::Smtp => {
                if self.smtp.host.trim().is_empty() {
                    return Err(ConfigError::new(
                        "email.smtp.host",
                        "is required when email.provider is smtp",
                    ));
                }
                if self.smtp.port == 0 {
                    return Err(ConfigError::new(
                        "email.smtp.port",
                        "must be between 1 and 65535",
                    ));
                }
            }
        }
        Ok(provider)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_json(json: serde_json::Value) -> EmailConfig {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn an_empty_section_takes_every_default() {
        let config = from_json(serde_json::json!({}));
        assert_eq!(config, EmailConfig::default());
        assert_eq!(config.provider, "mock");
        assert!(!config.mock.enabled);
        assert_eq!(config.resend.base_url, "https://api.resend.com");
        assert_eq!(config.smtp.port, 587);
        assert_eq!(config.smtp.tls, SmtpTls::StartTls);
        assert_eq!(config.from_email, "no-reply@kyora.com");
        assert_eq!(config.from_name, "");
        assert_eq!(config.support_email, "support@kyora.com");
        assert_eq!(config.help_url, "https://help.kyora.com");
    }

    #[test]
    fn nested_keys_deserialize_into_their_sections() {
        let config = from_json(serde_json::json!({
            "provider": "smtp",
            "smtp": {"host": "mail.example.com", "port": 2525, "username": "u", "password": "p", "tls": "none"},
            "resend": {"api_key": "re_123"},
            "from_name": "Shop",
        }));
        assert_eq!(config.smtp.host, "mail.example.com");
        assert_eq!(config.smtp.port, 2525);
        assert_eq!(config.smtp.tls, SmtpTls::None);
        assert_eq!(config.smtp.password.expose(), "p");
        assert_eq!(config.resend.api_key.expose(), "re_123");
        assert_eq!(config.resend.base_url, "https://api.resend.com");
        assert_eq!(config.from_name, "Shop");
    }

    #[test]
    fn tls_modes_parse_case_insensitively_and_reject_unknown_values() {
        assert_eq!("NONE".parse::<SmtpTls>().unwrap(), SmtpTls::None);
        assert_eq!("StartTLS".parse::<SmtpTls>().unwrap(), SmtpTls::StartTls);
        assert_eq!("tls".parse::<SmtpTls>().unwrap(), SmtpTls::Tls);
        let err = "ssl3".parse::<SmtpTls>().unwrap_err();
        assert_eq!(err.key, "email.smtp.tls");
        let bad: Result<EmailConfig, _> =
            serde_json::from_value(serde_json::json!({"smtp": {"tls": "ssl3"}}));
        assert!(bad.unwrap_err().to_string().contains("email.smtp.tls"));
    }

    #[test]
    fn a_numeric_secret_is_read_as_text() {
        let config = from_json(serde_json::json!({"smtp": {"password": 123456}}));
        assert_eq!(config.smtp.password.expose(), "123456");
    }

    #[test]
    fn debug_output_never_shows_the_api_key_or_the_smtp_password() {
        let mut config = EmailConfig::default();
        config.resend.api_key = Secret::new("re_super_secret_key");
        config.smtp.password = Secret::new("hunter2-password");
        let dump = format!("{config:?} {config:#?}");
        assert!(!dump.contains("re_super_secret_key"));
        assert!(!dump.contains("hunter2-password"));
        assert!(dump.contains("Secret(<redacted>)"));
    }

    #[test]
    fn the_mock_switch_wins_over_the_provider() {
        let mut config = EmailConfig {
            provider: "resend".to_owned(),
            ..EmailConfig::default()
        };
        config.mock.enabled = true;
        assert_eq!(config.validate().unwrap(), Provider::Mock);
    }

    #[test]
    fn providers_are_selected_case_insensitively_and_empty_means_mock() {
        let with = |provider: &str| EmailConfig {
            provider: provider.to_owned(),
            ..EmailConfig::default()
        };
        assert_eq!(with("").selected_provider().unwrap(), Provider::Mock);
        assert_eq!(with(" Mock ").selected_provider().unwrap(), Provider::Mock);
        assert_eq!(
            with("RESEND").selected_provider().unwrap(),
            Provider::Resend
        );
        assert_eq!(with("smtp").selected_provider().unwrap(), Provider::Smtp);
    }

    #[test]
    fn an_unknown_provider_is_rejected_naming_email_provider() {
        let config = EmailConfig {
            provider: "sendgrid".to_owned(),
            ..EmailConfig::default()
        };
        let err = config.validate().unwrap_err();
        assert_eq!(err.key, "email.provider");
        assert!(err.to_string().starts_with("email.provider: "));
        assert!(err.to_string().contains("sendgrid"));
    }

    #[test]
    fn resend_without_an_api_key_is_rejected_naming_the_key() {
        let mut config = EmailConfig {
            provider: "resend".to_owned(),
            ..EmailConfig::default()
        };
        config.resend.api_key = Secret::new("   ");
        assert_eq!(config.validate().unwrap_err().key, "email.resend.api_key");
        config.resend.api_key = Secret::new("re_123");
        assert_eq!(config.validate().unwrap(), Provider::Resend);
    }

    #[test]
    fn smtp_without_a_host_is_rejected_naming_the_key() {
        let mut config = EmailConfig {
            provider: "smtp".to_owned(),
            ..EmailConfig::default()
        };
        assert_eq!(config.validate().unwrap_err().key, "email.smtp.host");
        config.smtp.host = "localhost".to_owned();
        assert_eq!(config.validate().unwrap(), Provider::Smtp);
        config.smtp.port = 0;
        assert_eq!(config.validate().unwrap_err().key, "email.smtp.port");
    }

    #[test]
    fn a_malformed_sender_address_is_rejected_naming_the_key() {
        let config = EmailConfig {
            from_email: "not an address".to_owned(),
            ..EmailConfig::default()
        };
        assert_eq!(config.validate().unwrap_err().key, "email.from_email");
    }
}
