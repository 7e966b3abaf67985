//! The `auth.*` configuration section (spec 01 §6.1 and the spec README's added Google endpoint
//! keys).
//!
//! Every field has a default, so an absent section deserializes. The JWT secret and the Google
//! client secret are held in [`Secret`], whose `Debug` never shows the value. An empty
//! `auth.jwt.secret` is valid configuration: the server starts, issuing access tokens fails with
//! 500 `account.operation_failed` and verifying them with 401 `auth.invalid_token` (spec 01 §4.3,
//! §3.1).

use std::time::Duration;

use kyora_core::account::AccountSettings;
use serde::Deserialize;

/// Access-token lifetime when `auth.jwt.expiry_seconds` is unset or ≤ 0: 24 hours.
pub const DEFAULT_JWT_EXPIRY_SECONDS: i64 = 86_400;
/// Refresh-session lifetime when `auth.refresh_token_ttl_seconds` is unset or ≤ 0: 30 days.
pub const DEFAULT_REFRESH_TOKEN_TTL_SECONDS: i64 = 2_592_000;
/// The longest access-token or refresh-session lifetime accepted: 10 years. Larger values are
/// rejected by [`AuthConfig::validate`] and clamped by the accessors, so that adding a lifetime to
/// the current time can never overflow.
pub const MAX_LIFETIME_SECONDS: i64 = 315_360_000;
/// The longest cache-held token lifetime (spec 01 open point 2): longer TTLs are clamped to it.
pub const MAX_CACHE_TTL_SECONDS: u64 = 2_592_000;
/// Google's consent page.
pub const GOOGLE_AUTH_URL: &str = "https://accounts.google.com/o/oauth2/auth";
/// Google's token endpoint.
pub const GOOGLE_TOKEN_URL: &str = "https://oauth2.googleapis.com/token";
/// Google's userinfo endpoint.
pub const GOOGLE_USERINFO_URL: &str = "https://www.googleapis.com/oauth2/v2/userinfo";

pub use kyora_core::shared::secret::Secret;

/// `auth.jwt`: the access-token signing settings.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct JwtConfig {
    /// The HMAC key; empty means unconfigured.
    pub secret: Secret,
    /// Access-token lifetime in seconds; ≤ 0 means 24 hours.
    pub expiry_seconds: i64,
    /// The `iss` claim.
    pub issuer: String,
    /// The single entry of the `aud` claim.
    pub audience: String,
}

impl Default for JwtConfig {
    fn default() -> Self {
        Self {
            secret: Secret::default(),
            expiry_seconds: DEFAULT_JWT_EXPIRY_SECONDS,
            issuer: String::new(),
            audience: String::new(),
        }
    }
}

/// `auth.google_oauth`: the Google sign-in settings. Google is enabled only when `client_id`,
/// `client_secret` and `redirect_url` are all set.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct GoogleOAuthConfig {
    /// The OAuth client id.
    pub client_id: String,
    /// The OAuth client secret.
    pub client_secret: Secret,
    /// Where Google sends the user back (`redirect_uri`).
    pub redirect_url: String,
    /// The consent page.
    pub auth_url: String,
    /// The authorization-code exchange endpoint.
    pub token_url: String,
    /// The profile endpoint.
    pub userinfo_url: String,
}

impl Default for GoogleOAuthConfig {
    fn default() -> Self {
        Self {
            client_id: String::new(),
            client_secret: Secret::default(),
            redirect_url: String::new(),
            auth_url: GOOGLE_AUTH_URL.to_owned(),
            token_url: GOOGLE_TOKEN_URL.to_owned(),
            userinfo_url: GOOGLE_USERINFO_URL.to_owned(),
        }
    }
}

impl GoogleOAuthConfig {
    /// Whether client id, client secret and redirect URL are all set (blank counts as unset).
    pub fn is_configured(&self) -> bool {
        !self.client_id.trim().is_empty()
            && !self.client_secret.expose().trim().is_empty()
            && !self.redirect_url.trim().is_empty()
    }

    /// Whether some, but not all, of the three enabling keys are set.
    pub fn is_partially_configured(&self) -> bool {
        let set = [
            !self.client_id.trim().is_empty(),
            !self.client_secret.expose().trim().is_empty(),
            !self.redirect_url.trim().is_empty(),
        ];
        set.iter().any(|s| *s) && !set.iter().all(|s| *s)
    }
}

/// The `auth` section.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct AuthConfig {
    /// Access-token signing.
    pub jwt: JwtConfig,
    /// Refresh-session lifetime in seconds; ≤ 0 means 30 days.
    pub refresh_token_ttl_seconds: i64,
    /// Password-reset token lifetime in seconds; 0 means no expiry.
    pub password_reset_ttl_seconds: u64,
    /// Email-verification token lifetime in seconds.
    pub verify_email_ttl_seconds: u64,
    /// Invitation token lifetime in seconds.
    pub invitation_token_ttl_seconds: u64,
    /// Google sign-in.
    pub google_oauth: GoogleOAuthConfig,
    /// How many password hashes or checks may run at once; 0 means the number of CPUs.
    pub password_hash_concurrency: usize,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            jwt: JwtConfig::default(),
            refresh_token_ttl_seconds: DEFAULT_REFRESH_TOKEN_TTL_SECONDS,
            password_reset_ttl_seconds: 900,
            verify_email_ttl_seconds: 900,
            invitation_token_ttl_seconds: 604_800,
            google_oauth: GoogleOAuthConfig::default(),
            password_hash_concurrency: 0,
        }
    }
}

fn lifetime_seconds(configured: i64, default: i64) -> i64 {
    if configured <= 0 {
        default
    } else {
        configured.min(MAX_LIFETIME_SECONDS)
    }
}

fn cache_ttl(seconds: u64) -> Duration {
    Duration::from_secs(seconds.min(MAX_CACHE_TTL_SECONDS))
}

impl AuthConfig {
    /// The access-token lifetime: `auth.jwt.expiry_seconds`, 24 hours when ≤ 0, at most 10 years.
    pub fn jwt_expiry(&self) -> chrono::Duration {
        chrono::Duration::seconds(lifetime_seconds(
            self.jwt.expiry_seconds,
            DEFAULT_JWT_EXPIRY_SECONDS,
        ))
    }

    /// The refresh-session lifetime: 30 days when ≤ 0, at most 10 years.
    pub fn refresh_token_ttl(&self) -> Duration {
        Duration::from_secs(
            lifetime_seconds(
                self.refresh_token_ttl_seconds,
                DEFAULT_REFRESH_TOKEN_TTL_SECONDS,
            )
            .unsigned_abs(),
        )
    }

    /// The password-reset token lifetime, clamped to 30 days (zero = no expiry).
    pub fn password_reset_ttl(&self) -> Duration {
        cache_ttl(self.password_reset_ttl_seconds)
    }

    /// The email-verification token lifetime, clamped to 30 days.
    pub fn verify_email_ttl(&self) -> Duration {
        cache_ttl(self.verify_email_ttl_seconds)
    }

    /// The invitation token lifetime, clamped to 30 days.
    pub fn invitation_token_ttl(&self) -> Duration {
        cache_ttl(self.invitation_token_ttl_seconds)
    }

    /// How many password hashes or checks may run at once: the configured number, or the number
    /// of CPUs when it is 0 (1 when that cannot be read).
    pub fn password_hash_concurrency(&self) -> usize {
        effective_concurrency(self.password_hash_concurrency)
    }

    /// The account service's settings from this section and `http.base_url` (the email links'
    /// base).
    pub fn account_settings(&self, base_url: impl Into<String>) -> AccountSettings {
        AccountSettings {
            refresh_ttl: self.refresh_token_ttl(),
            password_reset_ttl: self.password_reset_ttl(),
            verify_email_ttl: self.verify_email_ttl(),
            invitation_ttl: self.invitation_token_ttl(),
            base_url: base_url.into(),
        }
    }

    /// Checks the section once after loading.
    ///
    /// An empty `auth.jwt.secret` and a Google section that is not (fully) configured are valid.
    ///
    /// # Errors
    /// A message starting with the offending key: a lifetime over 10 years
    /// (`auth.jwt.expiry_seconds`, `auth.refresh_token_ttl_seconds`), a Google endpoint that is not
    /// an absolute `http(s)` URL (`auth.google_oauth.token_url`, …), an `auth_url` carrying a query
    /// or fragment, or a set `redirect_url` that is not an absolute `http(s)` URL.
    pub fn validate(&self) -> Result<(), String> {
        if self.jwt.expiry_seconds > MAX_LIFETIME_SECONDS {
            return Err(format!(
                "auth.jwt.expiry_seconds: must be at most {MAX_LIFETIME_SECONDS} seconds"
            ));
        }
        if self.refresh_token_ttl_seconds > MAX_LIFETIME_SECONDS {
            return Err(format!(
                "auth.refresh_token_ttl_seconds: must be at most {MAX_LIFETIME_SECONDS} seconds"
            ));
        }
        let google = &self.google_oauth;
        let auth_url = http_url("auth.google_oauth.auth_url", &google.auth_url)?;
        if auth_url.query().is_some() || auth_url.fragment().is_some() {
            return Err(
                "auth.google_oauth.auth_url: must not carry a query or fragment".to_owned(),
            );
        }
        http_url("auth.google_oauth.token_url", &google.token_url)?;
        http_url("auth.google_oauth.userinfo_url", &google.userinfo_url)?;
        if !google.redirect_url.trim().is_empty() {
            http_url("auth.google_oauth.redirect_url", &google.redirect_url)?;
        }
        Ok(())
    }
}

/// `configured`, or the number of CPUs when it is 0 (1 when that cannot be read).
pub(crate) fn effective_concurrency(configured: usize) -> usize {
    if configured > 0 {
        configured
    } else {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    }
}

fn http_url(key: &str, value: &str) -> Result<url::Url, String> {
    let parsed = url::Url::parse(value.trim()).map_err(|err| format!("{key}: {err}"))?;
    if !matches!(parsed.scheme(), "http" | "https") || !parsed.has_host() {
        return Err(format!("{key}: must be an absolute http or https URL"));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_json(value: serde_json::Value) -> AuthConfig {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn an_absent_section_takes_the_documented_defaults() {
        let config = from_json(serde_json::json!({}));
        assert_eq!(config.jwt.expiry_seconds, 86_400);
        assert!(config.jwt.secret.is_empty());
        assert_eq!(config.refresh_token_ttl_seconds, 2_592_000);
        assert_eq!(config.password_reset_ttl_seconds, 900);
        assert_eq!(config.verify_email_ttl_seconds, 900);
        assert_eq!(config.invitation_token_ttl_seconds, 604_800);
        assert_eq!(
            config.google_oauth.auth_url,
            "https://accounts.google.com/o/oauth2/auth"
        );
        assert_eq!(
            config.google_oauth.token_url,
            "https://oauth2.googleapis.com/token"
        );
        assert_eq!(
            config.google_oauth.userinfo_url,
            "https://www.googleapis.com/oauth2/v2/userinfo"
        );
        assert_eq!(config.password_hash_concurrency, 0);
        assert!(!config.google_oauth.is_configured());
        assert_eq!(config.validate(), Ok(()));
    }

    #[test]
    fn a_partial_section_keeps_the_defaults_of_the_missing_keys() {
        let config = from_json(serde_json::json!({
            "jwt": {"secret": "s3cret", "issuer": "kyora"},
            "google_oauth": {"client_id": "cid"}
        }));
        assert_eq!(config.jwt.secret.expose(), "s3cret");
        assert_eq!(config.jwt.issuer, "kyora");
        assert_eq!(config.jwt.expiry_seconds, 86_400);
        assert_eq!(config.google_oauth.client_id, "cid");
        assert_eq!(config.google_oauth.token_url, GOOGLE_TOKEN_URL);
        assert!(config.google_oauth.is_partially_configured());
        assert!(!config.google_oauth.is_configured());
    }

    #[test]
    fn a_numeric_secret_from_the_environment_reads_as_text() {
        let config = from_json(serde_json::json!({"jwt": {"secret": 12345}}));
        assert_eq!(config.jwt.secret.expose(), "12345");
    }

    #[test]
    fn secrets_never_appear_in_debug_output() {
        let config = from_json(serde_json::json!({
            "jwt": {"secret": "jwt-signing-key-xyz"},
            "google_oauth": {"client_id": "cid", "client_secret": "google-client-secret-abc"}
        }));
        let printed = format!("{config:?}");
        assert!(!printed.contains("jwt-signing-key-xyz"));
        assert!(!printed.contains("google-client-secret-abc"));
        assert!(printed.contains("Secret(<redacted>)"));
        assert!(printed.contains("cid"));
    }

    #[test]
    fn non_positive_lifetimes_fall_back_to_the_defaults() {
        let mut config = AuthConfig::default();
        config.jwt.expiry_seconds = 0;
        config.refresh_token_ttl_seconds = -5;
        assert_eq!(config.jwt_expiry(), chrono::Duration::hours(24));
        assert_eq!(
            config.refresh_token_ttl(),
            Duration::from_secs(30 * 24 * 3600)
        );
        config.jwt.expiry_seconds = 3600;
        config.refresh_token_ttl_seconds = 60;
        assert_eq!(config.jwt_expiry(), chrono::Duration::hours(1));
        assert_eq!(config.refresh_token_ttl(), Duration::from_secs(60));
    }

    #[test]
    fn cache_token_lifetimes_are_clamped_to_thirty_days_and_zero_stays_zero() {
        let config = AuthConfig {
            password_reset_ttl_seconds: 0,
            verify_email_ttl_seconds: 40 * 24 * 3600,
            invitation_token_ttl_seconds: 3600,
            ..AuthConfig::default()
        };
        assert_eq!(config.password_reset_ttl(), Duration::ZERO);
        assert_eq!(config.verify_email_ttl(), Duration::from_secs(2_592_000));
        assert_eq!(config.invitation_token_ttl(), Duration::from_secs(3600));
    }

    #[test]
    fn account_settings_carry_the_lifetimes_and_the_base_url() {
        let config = AuthConfig {
            refresh_token_ttl_seconds: 120,
            password_reset_ttl_seconds: 60,
            ..AuthConfig::default()
        };
        let settings = config.account_settings("https://portal.example.com");
        assert_eq!(settings.refresh_ttl, Duration::from_secs(120));
        assert_eq!(settings.password_reset_ttl, Duration::from_secs(60));
        assert_eq!(settings.verify_email_ttl, Duration::from_secs(900));
        assert_eq!(settings.invitation_ttl, Duration::from_secs(604_800));
        assert_eq!(settings.base_url, "https://portal.example.com");
    }

    #[test]
    fn zero_concurrency_means_the_number_of_cpus() {
        let config = AuthConfig::default();
        let cpus = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        assert_eq!(config.password_hash_concurrency(), cpus);
        let config = AuthConfig {
            password_hash_concurrency: 3,
            ..AuthConfig::default()
        };
        assert_eq!(config.password_hash_concurrency(), 3);
    }

    #[test]
    fn an_unparseable_endpoint_is_reported_by_its_key() {
        let mut config = AuthConfig::default();
        config.google_oauth.token_url = "not a url".to_owned();
        let err = config.validate().unwrap_err();
        assert!(err.starts_with("auth.google_oauth.token_url: "), "{err}");

        let mut config = AuthConfig::default();
        config.google_oauth.userinfo_url = "ftp://example.com/userinfo".to_owned();
        let err = config.validate().unwrap_err();
        assert!(err.starts_with("auth.google_oauth.userinfo_url: "), "{err}");

        let mut config = AuthConfig::default();
        config.google_oauth.auth_url = "https://example.com/auth?prompt=consent".to_owned();
        let err = config.validate().unwrap_err();
        assert!(err.starts_with("auth.google_oauth.auth_url: "), "{err}");

        let mut config = AuthConfig::default();
        config.google_oauth.redirect_url = "/callback".to_owned();
        let err = config.validate().unwrap_err();
        assert!(err.starts_with("auth.google_oauth.redirect_url: "), "{err}");
    }

    #[test]
    fn lifetimes_over_ten_years_are_rejected_and_clamped() {
        let mut config = AuthConfig::default();
        config.jwt.expiry_seconds = i64::MAX;
        let err = config.validate().unwrap_err();
        assert!(err.starts_with("auth.jwt.expiry_seconds: "), "{err}");
        assert_eq!(
            config.jwt_expiry(),
            chrono::Duration::seconds(MAX_LIFETIME_SECONDS)
        );

        let config = AuthConfig {
            refresh_token_ttl_seconds: MAX_LIFETIME_SECONDS + 1,
            ..AuthConfig::default()
        };
        let err = config.validate().unwrap_err();
        assert!(err.starts_with("auth.refresh_token_ttl_seconds: "), "{err}");
    }

    #[test]
    fn an_empty_jwt_secret_is_valid_configuration() {
        let config = from_json(serde_json::json!({"jwt": {"secret": ""}}));
        assert_eq!(config.validate(), Ok(()));
    }
}
