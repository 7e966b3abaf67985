//! The `cache` configuration section (spec 01 §6.1 `cache.hosts`).

use std::fmt;
use std::time::Duration;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

/// Settings of the cache adapter.
///
/// `hosts` empty (the default) selects the in-process cache; otherwise every `host:port` is a
/// memcached server. `hosts` accepts a YAML list or a single string split on whitespace and
/// commas, because environment variables carry lists as strings
/// (`KYORA_CACHE__HOSTS="10.0.0.1:11211 10.0.0.2:11211"`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct CacheConfig {
    /// memcached servers as `host:port` (IPv6 literals in brackets: `[::1]:11211`).
    #[serde(deserialize_with = "host_list")]
    pub hosts: Vec<String>,
    /// The in-process cache's bound on the number of entries.
    pub max_entries: u64,
    /// Connections kept open to each memcached server.
    pub pool_size: usize,
    /// Connect and I/O timeout of one memcached call, in milliseconds.
    pub timeout_ms: u64,
}

impl Default for CacheConfig {
    fn default() -> Self {
        Self {
            hosts: Vec::new(),
            max_entries: 100_000,
            pool_size: 4,
            timeout_ms: 1_000,
        }
    }
}

impl CacheConfig {
    /// Checks the settings once after loading.
    ///
    /// # Errors
    /// A readable message when a host is not `host:port` with a port in 1..=65535, or when a
    /// bound (`max_entries`, `pool_size`, `timeout_ms`) is zero.
    pub fn validate(&self) -> Result<(), String> {
        for host in &self.hosts {
            validate_host(host)?;
        }
        if self.max_entries == 0 {
            return Err("cache.max_entries must be greater than 0".into());
        }
        if self.pool_size == 0 {
            return Err("cache.pool_size must be greater than 0".into());
        }
        if self.timeout_ms == 0 {
            return Err("cache.timeout_ms must be greater than 0".into());
        }
        Ok(())
    }

    /// The connect and I/O timeout as a duration.
    pub fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms)
    }
}

fn validate_host(host: &str) -> Result<(), String> {
    let invalid = |why: &str| Err(format!("cache.hosts: `{host}` {why}; expected host:port"));
    let Some((name, port)) = host.rsplit_once(':') else {
        return invalid("has no port");
    };
    if name.is_empty() {
        return invalid("has no host name");
    }
    let bracketed = name.starts_with('[') && name.ends_with(']');
    if name.contains(':') && !bracketed {
        return invalid("is an IPv6 address without brackets");
    }
    match port.parse::<u16>() {
        Ok(0) | Err(_) => invalid("has an invalid port"),
        Ok(_) => Ok(()),
    }
}

fn split_hosts(raw: &str) -> impl Iterator<Item = String> + '_ {
    raw.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|part| !part.is_empty())
        .map(str::to_owned)
}

fn host_list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    struct HostList;

    impl<'de> Visitor<'de> for HostList {
        type Value = Vec<String>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of host:port strings or one string of them")
        }

        fn visit_str<E: de::Error>(self, raw: &str) -> Result<Self::Value, E> {
            Ok(split_hosts(raw).collect())
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }

        fn visit_some<D: Deserializer<'de>>(self, inner: D) -> Result<Self::Value, D::Error> {
            inner.deserialize_any(self)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut hosts = Vec::new();
            while let Some(item) = seq.next_element::<String>()? {
                hosts.extend(split_hosts(&item));
            }
            Ok(hosts)
        }
    }

    deserializer.deserialize_any(HostList)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> CacheConfig {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn an_empty_section_selects_the_in_process_defaults() {
        let config = parse("{}");
        assert_eq!(config, CacheConfig::default());
        assert!(config.hosts.is_empty());
        assert_eq!(config.max_entries, 100_000);
        assert!(config.validate().is_ok());
    }

    #[test]
    fn hosts_are_read_from_a_yaml_list() {
        let config = parse("hosts: [\"a:11211\", \"b:11212\"]\nmax_entries: 10");
        assert_eq!(config.hosts, vec!["a:11211", "b:11212"]);
        assert_eq!(config.max_entries, 10);
    }

    #[test]
    fn hosts_are_split_from_one_string_on_whitespace_and_commas() {
        let config = parse("hosts: \"a:1  b:2,c:3, d:4\"");
        assert_eq!(config.hosts, vec!["a:1", "b:2", "c:3", "d:4"]);
    }

    #[test]
    fn an_empty_or_null_host_string_means_no_hosts() {
        assert!(parse("hosts: \"\"").hosts.is_empty());
        assert!(parse("hosts: ~").hosts.is_empty());
    }

    #[test]
    fn unknown_keys_are_accepted() {
        let config = parse("hosts: []\nsomething_else: 1");
        assert!(config.hosts.is_empty());
    }

    #[test]
    fn a_host_without_a_port_is_rejected() {
        let config = CacheConfig {
            hosts: vec!["127.0.0.1:11211".into(), "memcached".into()],
            ..CacheConfig::default()
        };
        let err = config.validate().unwrap_err();
        assert!(err.contains("`memcached`"), "{err}");
    }

    #[test]
    fn bad_ports_and_bare_ipv6_are_rejected_and_bracketed_ipv6_is_accepted() {
        for bad in [
            "host:",
            "host:0",
            "host:70000",
            "host:abc",
            ":11211",
            "::1:11211",
        ] {
            let config = CacheConfig {
                hosts: vec![bad.into()],
                ..CacheConfig::default()
            };
            assert!(config.validate().is_err(), "{bad} should be rejected");
        }
        let config = CacheConfig {
            hosts: vec!["[::1]:11211".into(), "cache.internal:11211".into()],
            ..CacheConfig::default()
        };
        assert!(config.validate().is_ok());
    }

    #[test]
    fn zero_bounds_are_rejected() {
        for config in [
            CacheConfig {
                max_entries: 0,
                ..CacheConfig::default()
            },
            CacheConfig {
                pool_size: 0,
                ..CacheConfig::default()
            },
            CacheConfig {
                timeout_ms: 0,
                ..CacheConfig::default()
            },
        ] {
            assert!(config.validate().is_err(), "{config:?}");
        }
    }
}
