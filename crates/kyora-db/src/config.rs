//! The `database.*` settings (spec 01 §6.1) and the normalisation of `database.dsn`.
//!
//! `database.dsn` accepts a `postgres://` (or `postgresql://`) URL, a `sqlite://path?mode=rwc`
//! URL, or the PostgreSQL key=value form (`host=localhost user=postgres password=x dbname=kyora
//! port=5432 sslmode=disable`), which is turned into a URL. In the key=value form the keys sqlx
//! understands (`host`, `hostaddr`, `port`, `user`, `password`, `dbname`, `sslmode`,
//! `sslrootcert`, `sslcert`, `sslkey`, `application_name`, `options`) keep their meaning,
//! `connect_timeout` is dropped (the pool has its own timeouts), and any other key (`TimeZone`,
//! `search_path`, …) is sent as a PostgreSQL run-time parameter. The password never appears in
//! `Debug` output or in error messages.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Deserializer};
use url::Url;

/// The default DSN: an embedded SQLite file, created when missing.
pub const DEFAULT_DSN: &str = "sqlite://data/kyora.db?mode=rwc";

/// The pool size used when `database.max_open_conns` is 0.
pub const DEFAULT_MAX_OPEN_CONNS: u32 = 10;

/// A setting that cannot be used; `key` names it (`database.dsn`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {key}: {reason}")]
pub struct ConfigError {
    /// The configuration key, e.g. `database.max_idle_time`.
    pub key: &'static str,
    /// What is wrong with it (never the secret itself).
    pub reason: String,
}

impl ConfigError {
    fn dsn(reason: impl Into<String>) -> Self {
        Self {
            key: "database.dsn",
            reason: reason.into(),
        }
    }
}

/// The database engine behind a DSN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// PostgreSQL.
    Postgres,
    /// SQLite.
    Sqlite,
}

/// How much SQL the driver logs (`database.log_level`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqlLogLevel {
    /// Nothing.
    Silent,
    /// Statement errors only (reported by the callers); no statement logging.
    Error,
    /// Slow statements (over 200 ms) at WARN.
    Warn,
    /// Every statement at INFO, slow ones at WARN.
    Info,
}

impl SqlLogLevel {
    /// Parses `silent | error | warn | info`, case-insensitively; anything else is `info`.
    pub fn parse(raw: &str) -> Self {
        match raw.trim().to_ascii_lowercase().as_str() {
            "silent" => Self::Silent,
            "error" => Self::Error,
            "warn" | "warning" => Self::Warn,
            _ => Self::Info,
        }
    }
}

/// The `database` section of the configuration.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct DbConfig {
    /// Where the database is; see the module docs for the accepted forms.
    pub dsn: String,
    /// Pool size; 0 picks [`DEFAULT_MAX_OPEN_CONNS`].
    pub max_open_conns: u32,
    /// Idle connections kept open (the pool's minimum size), capped by the pool size.
    pub max_idle_conns: u32,
    /// How long a connection may stay idle before it is closed (`5m`, `30s`; a bare number is
    /// seconds); unset, empty or 0 means no limit.
    #[serde(deserialize_with = "duration_text")]
    pub max_idle_time: Option<String>,
    /// `silent | error | warn | info` (unknown values mean `info`).
    pub log_level: String,
    /// Apply pending migrations at start-up.
    pub auto_migrate: bool,
}

impl Default for DbConfig {
    fn default() -> Self {
        Self {
            dsn: DEFAULT_DSN.to_owned(),
            max_open_conns: 0,
            max_idle_conns: 0,
            max_idle_time: None,
            log_level: "info".to_owned(),
            auto_migrate: true,
        }
    }
}

impl fmt::Debug for DbConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DbConfig")
            .field("dsn", &redact_dsn(&self.dsn))
            .field("max_open_conns", &self.max_open_conns)
            .field("max_idle_conns", &self.max_idle_conns)
            .field("max_idle_time", &self.max_idle_time)
            .field("log_level", &self.log_level)
            .field("auto_migrate", &self.auto_migrate)
            .finish()
    }
}

impl DbConfig {
    /// A configuration for `dsn` with every other setting at its default.
    pub fn with_dsn(dsn: impl Into<String>) -> Self {
        Self {
            dsn: dsn.into(),
            ..Self::default()
        }
    }

    /// Checks every setting once, after loading.
    ///
    /// # Errors
    /// The first unusable setting, named by its key (`database.dsn`, `database.max_idle_time`).
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.url()?;
        self.idle_timeout()?;
        Ok(())
    }

    /// The DSN as a connection URL.
    ///
    /// # Errors
    /// `database.dsn` when it is empty, has an unsupported scheme or cannot be parsed.
    pub fn url(&self) -> Result<String, ConfigError> {
        normalize_dsn(&self.dsn)
    }

    /// The engine the DSN points at.
    ///
    /// # Errors
    /// `database.dsn`, as for [`url`](Self::url).
    pub fn backend(&self) -> Result<Backend, ConfigError> {
        let url = self.url()?;
        Ok(if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        })
    }

    /// The DSN with its password replaced by `***`, for logs.
    pub fn redacted_dsn(&self) -> String {
        redact_dsn(&self.dsn)
    }

    /// The pool size.
    pub fn pool_size(&self) -> u32 {
        if self.max_open_conns == 0 {
            DEFAULT_MAX_OPEN_CONNS
        } else {
            self.max_open_conns
        }
    }

    /// Connections kept open while idle.
    pub fn min_idle(&self) -> u32 {
        self.max_idle_conns.min(self.pool_size())
    }

    /// The idle timeout; `None` is no limit.
    ///
    /// # Errors
    /// `database.max_idle_time` when it is not a duration.
    pub fn idle_timeout(&self) -> Result<Option<Duration>, ConfigError> {
        let Some(raw) = self.max_idle_time.as_deref().map(str::trim) else {
            return Ok(None);
        };
        if raw.is_empty() || raw == "0" {
            return Ok(None);
        }
        let parsed = match raw.parse::<u64>() {
            Ok(seconds) => Duration::from_secs(seconds),
            Err(_) => humantime::parse_duration(raw).map_err(|err| ConfigError {
                key: "database.max_idle_time",
                reason: format!("{err} (expected a duration such as 5m or 30s)"),
            })?,
        };
        Ok((!parsed.is_zero()).then_some(parsed))
    }

    /// The SQL logging level.
    pub fn sql_log_level(&self) -> SqlLogLevel {
        SqlLogLevel::parse(&self.log_level)
    }
}

/// Accepts a duration written as text or as a bare number (seconds).
fn duration_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Unsigned(u64),
        Float(f64),
    }
    Ok(match Option::<Raw>::deserialize(deserializer)? {
        None => None,
        Some(Raw::Text(text)) => Some(text),
        Some(Raw::Unsigned(seconds)) => Some(seconds.to_string()),
        Some(Raw::Float(seconds)) => Some(format!("{}ms", (seconds * 1000.0).round())),
    })
}

/// Turns any accepted DSN form into a connection URL.
///
/// # Errors
/// `database.dsn` when the DSN is empty, uses an unsupported scheme or cannot be parsed.
pub fn normalize_dsn(dsn: &str) -> Result<String, ConfigError> {
    let dsn = dsn.trim();
    if dsn.is_empty() {
        return Err(ConfigError::dsn("must not be empty"));
    }
    let lower = dsn.to_ascii_lowercase();
    if lower.starts_with("sqlite:") {
        return Ok(dsn.to_owned());
    }
    if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
        Url::parse(dsn).map_err(|err| ConfigError::dsn(format!("not a valid URL: {err}")))?;
        return Ok(dsn.to_owned());
    }
    if let Some((scheme, _)) = dsn.split_once("://") {
        return Err(ConfigError::dsn(format!(
            "unsupported scheme `{scheme}` (use postgres://, sqlite:// or the PostgreSQL key=value form)"
        )));
    }
    if dsn.contains('=') {
        return key_value_to_url(&parse_key_values(dsn)?);
    }
    Err(ConfigError::dsn(
        "expected a postgres:// or sqlite:// URL, or the PostgreSQL key=value form",
    ))
}

/// Keys sqlx reads from a PostgreSQL URL's query string.
const SQLX_QUERY_KEYS: [&str; 7] = [
    "hostaddr",
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "application_name",
    "options",
];

fn key_value_to_url(pairs: &[(String, String)]) -> Result<String, ConfigError> {
    let mut url = Url::parse("postgres://localhost")
        .map_err(|err| ConfigError::dsn(format!("cannot build a URL: {err}")))?;
    let mut query: Vec<(String, String)> = Vec::new();
    for (key, value) in pairs {
        match key.as_str() {
            "host" if value.starts_with('/') => query.push(("host".into(), value.clone())),
            "host" => {
                let host = if value.contains(':') && !value.starts_with('[') {
                    format!("[{value}]")
                } else {
                    value.clone()
                };
                url.set_host(Some(&host))
                    .map_err(|err| ConfigError::dsn(format!("invalid host: {err}")))?;
            }
            "port" => {
                let port = value
                    .parse::<u16>()
                    .map_err(|_| ConfigError::dsn("port must be a number from 0 to 65535"))?;
                url.set_port(Some(port))
                    .map_err(|()| ConfigError::dsn("port cannot be set"))?;
            }
            "user" => url
                .set_username(value)
                .map_err(|()| ConfigError::dsn("user cannot be set"))?,
            "password" => url
                .set_password(Some(value))
                .map_err(|()| ConfigError::dsn("password cannot be set"))?,
            "dbname" => {
                url.path_segments_mut()
                    .map_err(|()| ConfigError::dsn("dbname cannot be set"))?
                    .clear()
                    .push(value);
            }
            "connect_timeout" => {}
            known if SQLX_QUERY_KEYS.contains(&known) => query.push((key.clone(), value.clone())),
            other => query.push((format!("options[{other}]"), value.clone())),
        }
    }
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query);
    }
    Ok(url.to_string())
}

/// Parses libpq's `key=value` form: whitespace-separated pairs, optional spaces around `=`,
/// values optionally single-quoted, backslash escapes.
fn parse_key_values(dsn: &str) -> Result<Vec<(String, String)>, ConfigError> {
    let mut pairs = Vec::new();
    let mut chars = dsn.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            break;
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            return Err(ConfigError::dsn(format!("missing `=` after `{key}`")));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    Some('\\') => value.extend(chars.next()),
                    Some('\'') => break,
                    Some(c) => value.push(c),
                    None => {
                        return Err(ConfigError::dsn(format!(
                            "unterminated quoted value for `{key}`"
                        )));
                    }
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                if c == '\\' {
                    value.extend(chars.next());
                } else {
                    value.push(c);
                }
            }
        }
        if key.is_empty() {
            return Err(ConfigError::dsn("a value has no key"));
        }
        pairs.push((key, value));
    }
    Ok(pairs)
}

/// `dsn` with its password replaced by `***`.
pub fn redact_dsn(dsn: &str) -> String {
    let trimmed = dsn.trim();
    if trimmed.contains("://") {
        return match Url::parse(trimmed) {
            Ok(mut url) => {
                if url.password().is_some() {
                    // Cannot fail: the URL already has a password, hence an authority.
                    let _ = url.set_password(Some("***"));
                }
                let redacted_query: Vec<(String, String)> = url
                    .query_pairs()
                    .map(|(k, v)| {
                        let v = if k == "password" { "***".into() } else { v };
                        (k.into_owned(), v.into_owned())
                    })
                    .collect();
                if redacted_query.iter().any(|(k, _)| k == "password") {
                    url.query_pairs_mut().clear().extend_pairs(redacted_query);
                }
                url.to_string()
            }
            Err(_) => "<unparseable dsn>".to_owned(),
        };
    }
    match parse_key_values(trimmed) {
        Ok(pairs) => pairs
            .into_iter()
            .map(|(key, value)| {
                if key == "password" {
                    format!("{key}=***")
                } else {
                    format!("{key}={value}")
                }
            })
            .collect::<Vec<_>>()
            .join(" "),
        Err(_) => "<unparseable dsn>".to_owned(),
    }
}

/// The file behind a SQLite URL, unless the database lives in memory.
pub(crate) fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let in_memory =
        path.is_empty() || path == ":memory:" || query.split('&').any(|pair| pair == "mode=memory");
    (!in_memory).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_an_embedded_sqlite_file_with_auto_migration() {
        let config: DbConfig = serde_json::from_str("{}").unwrap();
        assert_eq!(config.dsn, DEFAULT_DSN);
        assert!(config.auto_migrate);
        assert_eq!(config.pool_size(), DEFAULT_MAX_OPEN_CONNS);
        assert_eq!(config.backend().unwrap(), Backend::Sqlite);
        assert_eq!(config.idle_timeout().unwrap(), None);
        assert_eq!(config.sql_log_level(), SqlLogLevel::Info);
    }

    #[test]
    fn the_key_value_form_becomes_a_percent_encoded_url() {
        let url = normalize_dsn(
            "host=localhost user=postgres password='p@ss w:rd/?' dbname=kyora port=5432 sslmode=disable",
        )
        .unwrap();
        assert_eq!(
            url,
            "postgres://postgres:p%40ss%20w%3Ard%2F%3F@localhost:5432/kyora?sslmode=disable"
        );
        let parsed = Url::parse(&url).unwrap();
        assert_eq!(parsed.password(), Some("p%40ss%20w%3Ard%2F%3F"));
    }

    #[test]
    fn unknown_keys_become_runtime_parameters_and_sockets_go_to_the_query() {
        let url = normalize_dsn(
            "host = /var/run/postgresql dbname=my\\ db TimeZone=UTC connect_timeout=5",
        )
        .unwrap();
        assert_eq!(
            url,
            "postgres://localhost/my%20db?host=%2Fvar%2Frun%2Fpostgresql&options%5BTimeZone%5D=UTC"
        );
    }

    #[test]
    fn urls_pass_through_unchanged() {
        for dsn in [
            "postgres://u:p@db:5432/kyora?sslmode=require",
            "postgresql://db/kyora",
            "sqlite://data/kyora.db?mode=rwc",
            "sqlite::memory:",
        ] {
            assert_eq!(normalize_dsn(dsn).unwrap(), dsn);
        }
    }

    #[test]
    fn bad_dsns_name_the_key_without_echoing_the_secret() {
        for dsn in [
            "",
            "mysql://root:secret@db/kyora",
            "just-a-word",
            "password='secret",
            "postgres://user:secret@[bad/kyora",
        ] {
            let err = DbConfig::with_dsn(dsn).validate().unwrap_err();
            assert_eq!(err.key, "database.dsn", "{dsn}");
            assert!(!err.to_string().contains("secret"), "{err}");
        }
    }

    #[test]
    fn idle_time_accepts_durations_seconds_and_zero() {
        let with = |raw: &str| DbConfig {
            max_idle_time: Some(raw.to_owned()),
            ..DbConfig::default()
        };
        assert_eq!(
            with("5m").idle_timeout().unwrap(),
            Some(Duration::from_secs(300))
        );
        assert_eq!(
            with("90").idle_timeout().unwrap(),
            Some(Duration::from_secs(90))
        );
        assert_eq!(with("0").idle_timeout().unwrap(), None);
        assert_eq!(with("0s").idle_timeout().unwrap(), None);
        let err = with("soon").validate().unwrap_err();
        assert_eq!(err.key, "database.max_idle_time");
        let numeric: DbConfig = serde_json::from_str(r#"{"max_idle_time": 30}"#).unwrap();
        assert_eq!(
            numeric.idle_timeout().unwrap(),
            Some(Duration::from_secs(30))
        );
    }

    #[test]
    fn debug_output_never_shows_the_password() {
        for dsn in [
            "postgres://kyora:hunter2@db/kyora",
            "host=db user=kyora password=hunter2 dbname=kyora",
            "postgres://db/kyora?password=hunter2",
        ] {
            let shown = format!("{:?}", DbConfig::with_dsn(dsn));
            assert!(!shown.contains("hunter2"), "{shown}");
            assert!(shown.contains("***"), "{shown}");
        }
    }

    #[test]
    fn log_levels_fall_back_to_info() {
        assert_eq!(SqlLogLevel::parse("SILENT"), SqlLogLevel::Silent);
        assert_eq!(SqlLogLevel::parse("warn"), SqlLogLevel::Warn);
        assert_eq!(SqlLogLevel::parse("Error"), SqlLogLevel::Error);
        assert_eq!(SqlLogLevel::parse("verbose"), SqlLogLevel::Info);
    }

    #[test]
    fn pool_sizes_default_and_cap_the_idle_connections() {
        let config = DbConfig {
            max_open_conns: 4,
            max_idle_conns: 9,
            ..DbConfig::default()
        };
        assert_eq!((config.pool_size(), config.min_idle()), (4, 4));
    }

    #[test]
    fn sqlite_files_are_found_except_in_memory() {
        assert_eq!(
            sqlite_file("sqlite://data/kyora.db?mode=rwc"),
            Some("data/kyora.db")
        );
        assert_eq!(sqlite_file("sqlite:///tmp/x.db"), Some("/tmp/x.db"));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("sqlite://shared?mode=memory"), None);
        assert_eq!(sqlite_file("postgres://db/kyora"), None);
    }
}
