//! One-time tokens kept in the cache under their SHA-256 (spec 01 §2.5) and refresh tokens.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::ports::Cache;
use crate::shared::id::{alphanumeric_token, sha256_hex};

/// The kinds of email-link tokens and their cache prefixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    PasswordReset,
    EmailVerification,
    Invitation,
}

impl TokenKind {
    const fn prefix(self) -> &'static str {
        match self {
            Self::PasswordReset => "pwreset",
            Self::EmailVerification => "emailverify",
            Self::Invitation => "invitation",
        }
    }

    /// `<prefix>:<sha256(token)>`.
    pub fn key(self, token: &str) -> String {
        format!("{}:{}", self.prefix(), sha256_hex(token))
    }
}

/// The record behind a password-reset or verification token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserTokenRecord {
    pub user_id: String,
    pub workspace_id: String,
    pub email: String,
    pub exp_at: String,
}

/// The record behind an invitation token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvitationTokenRecord {
    pub invitation_id: String,
    pub workspace_id: String,
    pub email: String,
    pub role: String,
    pub inviter_id: String,
    pub exp_at: String,
}

/// `expAt` for a token living `ttl` from `now` (informational; zero TTL = never expires).
pub fn exp_at(now: DateTime<Utc>, ttl: Duration) -> String {
    let ttl = chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::zero());
    (now + ttl).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Creates a token, stores `record` under its hash and returns the raw token.
///
/// # Errors
/// The cache error (the caller decides whether it is fatal).
pub async fn issue<T: Serialize + Sync>(
    cache: &dyn Cache,
    kind: TokenKind,
    record: &T,
    ttl: Duration,
) -> Result<String, crate::ports::CacheError> {
    let token = alphanumeric_token(32);
    let value = serde_json::to_vec(record)
        .map_err(|err| crate::ports::CacheError::Unavailable(err.to_string()))?;
    cache.set(&kind.key(&token), &value, ttl).await?;
    Ok(token)
}

/// Reads the record behind `token`; missing, corrupt or unreadable all read as `None`.
pub async fn read<T: DeserializeOwned>(
    cache: &dyn Cache,
    kind: TokenKind,
    token: &str,
) -> Option<T> {
    match cache.get(&kind.key(token)).await {
        Ok(Some(bytes)) => serde_json::from_slice(&bytes).ok(),
        Ok(None) => None,
        Err(err) => {
            tracing::warn!(%err, "token lookup failed; treating the token as invalid");
            None
        }
    }
}

/// Deletes the record behind `token` (failure only logged).
pub async fn consume(cache: &dyn Cache, kind: TokenKind, token: &str) {
    if let Err(err) = cache.delete(&kind.key(token)).await {
        tracing::warn!(%err, "a consumed token could not be deleted");
    }
}

/// A new refresh token: 32 random bytes, base64url without padding (43 characters).
pub fn refresh_token() -> String {
    let bytes: [u8; 32] = rand::random();
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_keys_hold_the_hash_never_the_token() {
        let key = TokenKind::PasswordReset.key("abc");
        assert_eq!(
            key,
            "pwreset:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(TokenKind::Invitation.key("t").starts_with("invitation:"));
        assert!(
            TokenKind::EmailVerification
                .key("t")
                .starts_with("emailverify:")
        );
    }

    #[test]
    fn refresh_tokens_are_43_url_safe_characters() {
        let token = refresh_token();
        assert_eq!(token.len(), 43);
        assert!(
            token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_ne!(token, refresh_token());
    }

    #[test]
    fn records_use_the_contract_field_names() {
        let record = UserTokenRecord {
            user_id: "u".into(),
            workspace_id: "w".into(),
            email: "e".into(),
            exp_at: "x".into(),
        };
        assert_eq!(
            serde_json::to_value(&record).unwrap(),
            serde_json::json!({"userId": "u", "workspaceId": "w", "email": "e", "expAt": "x"})
        );
    }
}
