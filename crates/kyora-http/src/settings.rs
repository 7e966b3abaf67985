//! The HTTP layer's own settings (the `http.*` and `cors.*` configuration keys).

/// Settings the HTTP pipeline reads on every request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpSettings {
    /// Name of the trace-id header (`http.trace_id_header`).
    pub trace_id_header: String,
    /// Request body cap in bytes (`http.max_body_bytes`); `None` disables the cap.
    pub max_body_bytes: Option<usize>,
    /// The configured CORS policy (`cors.allowed_origins`).
    pub cors: CorsOrigins,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            trace_id_header: "X-Trace-ID".to_owned(),
            max_body_bytes: Some(1_048_576),
            cors: CorsOrigins::Any,
        }
    }
}

/// Which origins the configured CORS policy allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorsOrigins {
    /// Every origin (`*`, or an empty list).
    Any,
    /// Exactly these origins, lower-cased.
    List(Vec<String>),
}

impl CorsOrigins {
    /// Builds the policy from `cors.allowed_origins`.
    ///
    /// # Errors
    /// Names the first entry that does not start with `http://` or `https://`.
    pub fn from_config(origins: &[String]) -> Result<Self, String> {
        let mut list = Vec::with_capacity(origins.len());
        for origin in origins {
            let origin = origin.trim();
            if origin.contains('*') {
                return Ok(Self::Any);
            }
            if !(origin.starts_with("http://") || origin.starts_with("https://")) {
                return Err(format!(
                    "cors.allowed_origins: {origin:?} must start with http:// or https://"
                ));
            }
            list.push(origin.to_lowercase());
        }
        Ok(if list.is_empty() {
            Self::Any
        } else {
            Self::List(list)
        })
    }

    /// Whether `origin` is allowed.
    pub fn allows(&self, origin: &str) -> bool {
        match self {
            Self::Any => true,
            Self::List(list) => list.iter().any(|allowed| allowed == origin),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origins(values: &[&str]) -> Vec<String> {
        values.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn an_empty_list_or_a_star_allows_every_origin() {
        assert_eq!(CorsOrigins::from_config(&[]), Ok(CorsOrigins::Any));
        assert_eq!(
            CorsOrigins::from_config(&origins(&["https://a.com", "*"])),
            Ok(CorsOrigins::Any)
        );
    }

    #[test]
    fn listed_origins_are_lower_cased_and_matched_exactly() {
        let policy = CorsOrigins::from_config(&origins(&["https://Portal.Kyora.com"])).unwrap();
        assert!(policy.allows("https://portal.kyora.com"));
        assert!(!policy.allows("https://portal.kyora.com.evil.io"));
        assert!(!policy.allows("http://portal.kyora.com"));
    }

    #[test]
    fn an_origin_without_a_scheme_is_refused_naming_the_key() {
        let err = CorsOrigins::from_config(&origins(&["portal.kyora.com"])).unwrap_err();
        assert!(err.starts_with("cors.allowed_origins"), "{err}");
    }
}
