//! Configuration (spec 01 §6 and the spec README): embedded defaults, then the YAML file
//! (`--config FILE`, else `KYORA_CONFIG`, else `./kyora.yaml` or `./.kyora.yaml` when present),
//! then `KYORA_<SECTION>__<KEY>` environment variables. Settings are validated once after
//! loading; a bad value stops start-up with a message naming the key. Each adapter receives only
//! its own section.

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Yaml};
use serde::{Deserialize, Deserializer};

/// The whole configuration.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Config {
    pub app: AppSection,
    pub log: LogSection,
    pub http: HttpSection,
    pub cors: CorsSection,
    pub database: kyora_db::DbConfig,
    pub cache: kyora_cache::CacheConfig,
    pub email: kyora_email::EmailConfig,
    pub auth: kyora_auth::AuthConfig,
    pub otel: OtelSection,
    /// Flat fallback for `email.provider` (spec 01 §6.1).
    pub email_provider: Option<String>,
    /// Flat fallback for `email.mock.enabled`.
    pub email_mock_enabled: Option<bool>,
    /// Flat fallback for `email.resend.api_key`.
    pub email_resend_api_key: Option<String>,
    /// Flat fallback for `email.resend.base_url`.
    pub email_resend_base_url: Option<String>,
}

/// `app.*`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AppSection {
    /// Product name in emails (effective `Kyora`).
    pub name: Option<String>,
}

impl AppSection {
    /// The product name.
    pub fn product_name(&self) -> &str {
        self.name
            .as_deref()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or("Kyora")
    }
}

/// `log.*`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct LogSection {
    /// DEBUG / INFO / WARN (WARNING) / ERROR, case-insensitive; unknown → INFO.
    pub level: String,
    /// `text` for human-readable lines, anything else JSON.
    pub format: String,
}

impl Default for LogSection {
    fn default() -> Self {
        Self {
            level: "INFO".to_owned(),
            format: "json".to_owned(),
        }
    }
}

impl LogSection {
    /// The tracing level filter for `log.level`.
    pub fn filter(&self) -> tracing::Level {
        match self.level.trim().to_ascii_uppercase().as_str() {
            "DEBUG" => tracing::Level::DEBUG,
            "WARN" | "WARNING" => tracing::Level::WARN,
            "ERROR" => tracing::Level::ERROR,
            _ => tracing::Level::INFO,
        }
    }

    /// Whether lines are plain text rather than JSON.
    pub fn is_text(&self) -> bool {
        self.format.trim().eq_ignore_ascii_case("text")
    }
}

/// `http.*`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct HttpSection {
    /// Listen address.
    pub host: String,
    /// Listen port, `8080` or `:8080`.
    #[serde(deserialize_with = "port")]
    pub port: u16,
    /// Public base URL (email links).
    pub base_url: Option<String>,
    /// Trace-id header name.
    pub trace_id_header: String,
    /// Request body cap; ≤ 0 disables it.
    pub max_body_bytes: i64,
}

impl Default for HttpSection {
    fn default() -> Self {
        Self {
            host: "0.0.0.0".to_owned(),
            port: 8080,
            base_url: None,
            trace_id_header: "X-Trace-ID".to_owned(),
            max_body_bytes: 1_048_576,
        }
    }
}

fn port<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u16, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Number(u16),
        Text(String),
    }
    match Raw::deserialize(deserializer)? {
        Raw::Number(port) => Ok(port),
        Raw::Text(text) => text
            .trim()
            .trim_start_matches(':')
            .parse()
            .map_err(|_| serde::de::Error::custom(format!("invalid port {text:?}"))),
    }
}

/// `cors.*`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct CorsSection {
    /// Allowed origins; a list, or whitespace/comma-separated text from the environment.
    #[serde(deserialize_with = "string_or_list")]
    pub allowed_origins: Vec<String>,
}

impl Default for CorsSection {
    fn default() -> Self {
        Self {
            allowed_origins: vec!["*".to_owned()],
        }
    }
}

/// Accepts a YAML list or whitespace/comma-separated text (how lists arrive from the environment).
pub fn string_or_list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        List(Vec<String>),
        Text(String),
    }
    Ok(match Raw::deserialize(deserializer)? {
        Raw::List(list) => list,
        Raw::Text(text) => text
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
    })
}

/// `otel.*`: OpenTelemetry trace export, off by default.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct OtelSection {
    /// Export spans over OTLP/HTTP.
    pub enabled: bool,
    /// The collector's OTLP/HTTP traces endpoint.
    pub endpoint: String,
    /// `service.name` of the exported spans.
    pub service_name: String,
}

impl Default for OtelSection {
    fn default() -> Self {
        Self {
            enabled: false,
            endpoint: "http://localhost:4318/v1/traces".to_owned(),
            service_name: "kyora".to_owned(),
        }
    }
}

/// A configuration that cannot start the server.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file or environment holds a value of the wrong shape; figment names the key.
    #[error("configuration: {0}")]
    Load(#[from] Box<figment::Error>),
    /// A value has the right shape but is not acceptable.
    #[error("configuration: {0}")]
    Invalid(String),
}

impl Config {
    /// Picks the configuration file: the flag, else `KYORA_CONFIG`, else `./kyora.yaml` or
    /// `./.kyora.yaml` when present.
    pub fn locate(flag: Option<&Path>) -> Option<PathBuf> {
        if let Some(path) = flag {
            return Some(path.to_owned());
        }
        if let Some(path) = std::env::var_os("KYORA_CONFIG").filter(|p| !p.is_empty()) {
            return Some(PathBuf::from(path));
        }
        ["kyora.yaml", ".kyora.yaml"]
            .into_iter()
            .map(PathBuf::from)
            .find(|p| p.is_file())
    }

    /// The layered sources: defaults, the file, the environment.
    pub fn figment(file: Option<&Path>) -> Figment {
        let mut figment = Figment::new();
        if let Some(file) = file {
            figment = figment.merge(Yaml::file_exact(file));
        }
        figment.merge(Env::prefixed("KYORA_").split("__").ignore(&["config"]))
    }

    /// Loads and validates the configuration.
    ///
    /// # Errors
    /// [`ConfigError`] naming the offending key.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        Self::from_figment(&Self::figment(file))
    }

    /// Extracts and validates from prepared sources.
    ///
    /// # Errors
    /// [`ConfigError`] naming the offending key.
    pub fn from_figment(figment: &Figment) -> Result<Self, ConfigError> {
        let mut config: Self = figment.extract().map_err(Box::new)?;
        config.apply_flat_fallbacks();
        config.validate()?;
        Ok(config)
    }

    fn apply_flat_fallbacks(&mut self) {
        let defaults = kyora_email::EmailConfig::default();
        if let Some(provider) = self.email_provider.take()
            && self.email.provider == defaults.provider
        {
            self.email.provider = provider;
        }
        if let Some(enabled) = self.email_mock_enabled.take() {
            self.email.mock.enabled |= enabled;
        }
        if let Some(key) = self.email_resend_api_key.take()
            && self.email.resend.api_key.is_blank()
        {
            self.email.resend.api_key = kyora_email::Secret::new(key);
        }
        if let Some(url) = self.email_resend_base_url.take()
            && self.email.resend.base_url == defaults.resend.base_url
        {
            self.email.resend.base_url = url;
        }
    }

    /// Checks values that have the right shape but cannot work.
    ///
    /// # Errors
    /// [`ConfigError::Invalid`] naming the key.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let invalid = ConfigError::Invalid;
        if self.http.trace_id_header.trim().is_empty()
            || actix_web::http::header::HeaderName::from_bytes(self.http.trace_id_header.as_bytes())
                .is_err()
        {
            return Err(invalid(format!(
                "http.trace_id_header: {:?} is not a valid header name",
                self.http.trace_id_header
            )));
        }
        if self.http.host.parse::<std::net::IpAddr>().is_err() && self.http.host != "localhost" {
            return Err(invalid(format!(
                "http.host: {:?} is not an IP address",
                self.http.host
            )));
        }
        if let Some(base) = &self.http.base_url
            && !base.is_empty()
            && url::Url::parse(base).is_err()
        {
            return Err(invalid(format!("http.base_url: {base:?} is not a URL")));
        }
        kyora_http::settings::CorsOrigins::from_config(&self.cors.allowed_origins)
            .map_err(invalid)?;
        self.database
            .validate()
            .map_err(|e| invalid(e.to_string()))?;
        self.cache.validate().map_err(invalid)?;
        self.email.validate().map_err(|e| invalid(e.to_string()))?;
        self.auth.validate().map_err(invalid)?;
        if self.otel.enabled && url::Url::parse(&self.otel.endpoint).is_err() {
            return Err(invalid(format!(
                "otel.endpoint: {:?} is not a URL",
                self.otel.endpoint
            )));
        }
        Ok(())
    }

    /// The account service's settings.
    pub fn account_settings(&self) -> kyora_core::account::AccountSettings {
        let base_url = self
            .http
            .base_url
            .clone()
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| "https://app.kyora.com".to_owned());
        self.auth.account_settings(base_url)
    }

    /// The HTTP layer's settings.
    pub fn http_settings(&self) -> kyora_http::HttpSettings {
        kyora_http::HttpSettings {
            trace_id_header: self.http.trace_id_header.clone(),
            max_body_bytes: usize::try_from(self.http.max_body_bytes)
                .ok()
                .filter(|limit| *limit > 0),
            cors: kyora_http::settings::CorsOrigins::from_config(&self.cors.allowed_origins)
                .unwrap_or(kyora_http::settings::CorsOrigins::Any),
        }
    }
}

#[cfg(test)]
// figment's Jail closures return figment's own (large) error type.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;
    use figment::Jail;

    fn load_in(jail: &Jail) -> Result<Config, ConfigError> {
        let _ = jail;
        Config::load(Config::locate(None).as_deref())
    }

    #[test]
    fn the_defaults_are_the_embedded_set_up() {
        Jail::expect_with(|jail| {
            let config = load_in(jail).unwrap();
            assert!(config.database.dsn.starts_with("sqlite://"));
            assert!(config.database.auto_migrate);
            assert!(config.cache.hosts.is_empty());
            assert_eq!(config.email.provider, "mock");
            assert_eq!(
                (config.http.host.as_str(), config.http.port),
                ("0.0.0.0", 8080)
            );
            assert_eq!(config.http.max_body_bytes, 1_048_576);
            assert_eq!(config.cors.allowed_origins, vec!["*".to_owned()]);
            assert!(!config.otel.enabled);
            assert_eq!(config.app.product_name(), "Kyora");
            Ok(())
        });
    }

    #[test]
    fn the_file_overrides_the_defaults_and_the_environment_overrides_the_file() {
        Jail::expect_with(|jail| {
            jail.create_file(
                "kyora.yaml",
                "http:\n  port: 9000\n  trace_id_header: X-Req\ncache:\n  hosts: [\"127.0.0.1:11211\"]\nlog:\n  level: debug\n",
            )?;
            jail.set_env("KYORA_HTTP__PORT", ":9100");
            jail.set_env(
                "KYORA_CORS__ALLOWED_ORIGINS",
                "https://a.example https://b.example",
            );
            let config = load_in(jail).unwrap();
            assert_eq!(config.http.port, 9100);
            assert_eq!(config.http.trace_id_header, "X-Req");
            assert_eq!(config.cache.hosts, vec!["127.0.0.1:11211".to_owned()]);
            assert_eq!(config.log.filter(), tracing::Level::DEBUG);
            assert_eq!(
                config.cors.allowed_origins,
                vec![
                    "https://a.example".to_owned(),
                    "https://b.example".to_owned()
                ]
            );
            Ok(())
        });
    }

    #[test]
    fn the_config_flag_and_kyora_config_pick_the_file() {
        Jail::expect_with(|jail| {
            jail.create_file("kyora.yaml", "http:\n  port: 1111\n")?;
            jail.create_file("other.yaml", "http:\n  port: 2222\n")?;
            jail.create_file("flag.yaml", "http:\n  port: 3333\n")?;
            assert_eq!(load_in(jail).unwrap().http.port, 1111);
            jail.set_env("KYORA_CONFIG", "other.yaml");
            assert_eq!(load_in(jail).unwrap().http.port, 2222);
            let flagged = Config::load(Config::locate(Some(Path::new("flag.yaml"))).as_deref());
            assert_eq!(flagged.unwrap().http.port, 3333);
            Ok(())
        });
    }

    #[test]
    fn a_value_of_the_wrong_shape_names_its_key() {
        Jail::expect_with(|jail| {
            jail.set_env("KYORA_HTTP__PORT", "eighty");
            let err = load_in(jail).unwrap_err().to_string().to_lowercase();
            assert!(err.contains("http.port"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn unacceptable_values_stop_start_up_naming_the_key() {
        let cases = [
            (
                "KYORA_CORS__ALLOWED_ORIGINS",
                "portal.kyora.com",
                "cors.allowed_origins",
            ),
            ("KYORA_EMAIL__PROVIDER", "pigeon", "email.provider"),
            (
                "KYORA_HTTP__TRACE_ID_HEADER",
                "bad header",
                "http.trace_id_header",
            ),
            ("KYORA_HTTP__BASE_URL", "not a url", "http.base_url"),
            ("KYORA_CACHE__HOSTS", "localhost", "cache.hosts"),
        ];
        for (key, value, named) in cases {
            Jail::expect_with(|jail| {
                jail.set_env(key, value);
                let err = load_in(jail).unwrap_err().to_string();
                assert!(err.contains(named), "{key}={value}: {err}");
                Ok(())
            });
        }
    }

    #[test]
    fn flat_email_keys_are_honoured_as_fallbacks() {
        Jail::expect_with(|jail| {
            jail.set_env("KYORA_EMAIL_PROVIDER", "resend");
            jail.set_env("KYORA_EMAIL_RESEND_API_KEY", "re_test");
            let config = load_in(jail).unwrap();
            assert_eq!(config.email.provider, "resend");
            Ok(())
        });
        Jail::expect_with(|jail| {
            jail.set_env("KYORA_EMAIL_PROVIDER", "resend");
            jail.set_env("KYORA_EMAIL__PROVIDER", "smtp");
            jail.set_env("KYORA_EMAIL__SMTP__HOST", "localhost");
            assert_eq!(load_in(jail).unwrap().email.provider, "smtp");
            Ok(())
        });
    }

    #[test]
    fn the_example_file_loads_and_matches_the_defaults() {
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config/kyora.example.yaml");
        Jail::expect_with(|_| {
            let config = Config::load(Some(&example)).unwrap();
            let defaults = Config::load(None).unwrap();
            assert_eq!(config.database.dsn, defaults.database.dsn);
            assert_eq!(config.http.port, defaults.http.port);
            assert_eq!(config.cache.max_entries, defaults.cache.max_entries);
            assert_eq!(config.auth.invitation_token_ttl_seconds, 604_800);
            assert_eq!(
                config.auth.google_oauth.userinfo_url,
                defaults.auth.google_oauth.userinfo_url
            );
            Ok(())
        });
    }

    #[test]
    fn log_levels_are_case_insensitive_and_unknown_is_info() {
        let level = |l: &str| {
            LogSection {
                level: l.into(),
                format: "json".into(),
            }
            .filter()
        };
        assert_eq!(level("warning"), tracing::Level::WARN);
        assert_eq!(level("Error"), tracing::Level::ERROR);
        assert_eq!(level("verbose"), tracing::Level::INFO);
    }
}
