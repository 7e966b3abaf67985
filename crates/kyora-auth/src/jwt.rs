//! Access tokens: HS256 JWTs with the claims of spec 01 §4.3.
//!
//! The algorithm is pinned: a token whose header names any other algorithm (HS384, HS512, `none`,
//! an asymmetric one) is rejected before its signature is looked at. Verification checks the
//! signature, `exp` and, when present, `nbf`, with no leeway; issuer and audience are not checked
//! (spec 01 §4.3). With no secret configured, signing fails with 500 `account.operation_failed`
//! and every token is rejected with 401 `auth.invalid_token`.

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use kyora_core::DomainError;
use kyora_core::account::error::{bad_access_token, operation_failed};
use kyora_core::account::ports::{AccessClaims, AccessTokens};
use serde::{Deserialize, Serialize};

use crate::config::AuthConfig;

/// The claims as they are signed, in the contract's names.
#[derive(Serialize)]
struct SignedClaims<'a> {
    #[serde(rename = "userId")]
    user_id: &'a str,
    #[serde(rename = "workspaceId")]
    workspace_id: &'a str,
    #[serde(rename = "authVersion")]
    auth_version: i32,
    sub: &'a str,
    iss: &'a str,
    aud: [&'a str; 1],
    iat: i64,
    exp: i64,
    jti: &'a str,
}

/// The claims read back; `sub`, `iss`, `aud` and anything else are ignored.
#[derive(Deserialize)]
struct ReadClaims {
    #[serde(rename = "userId")]
    user_id: String,
    #[serde(rename = "workspaceId")]
    workspace_id: String,
    #[serde(rename = "authVersion")]
    auth_version: i32,
    iat: i64,
    exp: i64,
    #[serde(default)]
    jti: String,
}

struct Keys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

/// The [`AccessTokens`] port over HS256 JWTs.
pub struct JwtAccessTokens {
    keys: Option<Keys>,
    issuer: String,
    audience: String,
    lifetime: chrono::Duration,
    validation: Validation,
}

impl std::fmt::Debug for JwtAccessTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtAccessTokens")
            .field("configured", &self.keys.is_some())
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("lifetime", &self.lifetime)
            .finish_non_exhaustive()
    }
}

impl JwtAccessTokens {
    /// Tokens signed with `auth.jwt.secret`, living `auth.jwt.expiry_seconds` (24 h when ≤ 0).
    pub fn new(config: &AuthConfig) -> Self {
        // jsonwebtoken picks its crypto backend from its features; if another crate in the graph
        // ever enables a second backend, that inference fails at the first use, so select
        // RustCrypto explicitly. An error only means a provider is already installed.
        let _ = jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER.install_default();

        let secret = config.jwt.secret.expose().as_bytes();
        let keys = (!secret.is_empty()).then(|| Keys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        });
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.leeway = 0;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.validate_aud = false;
        validation.set_required_spec_claims(&["exp"]);
        Self {
            keys,
            issuer: config.jwt.issuer.clone(),
            audience: config.jwt.audience.clone(),
            lifetime: config.jwt_expiry(),
            validation,
        }
    }

    /// Whether a secret is configured.
    pub fn is_configured(&self) -> bool {
        self.keys.is_some()
    }
}

fn timestamp(seconds: i64) -> Result<DateTime<Utc>, DomainError> {
    DateTime::from_timestamp(seconds, 0)
        .ok_or_else(|| bad_access_token().with_cause("time claim out of range"))
}

impl AccessTokens for JwtAccessTokens {
    fn lifetime(&self) -> chrono::Duration {
        self.lifetime
    }

    fn sign(&self, claims: &AccessClaims) -> Result<String, DomainError> {
        let keys = self
            .keys
            .as_ref()
            .ok_or_else(|| operation_failed("auth.jwt.secret is not configured"))?;
        let signed = SignedClaims {
            user_id: &claims.user_id,
            workspace_id: &claims.workspace_id,
            auth_version: claims.auth_version,
            sub: &claims.user_id,
            iss: &self.issuer,
            aud: [&self.audience],
            iat: claims.issued_at.timestamp(),
            exp: claims.expires_at.timestamp(),
            jti: &claims.jti,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &signed, &keys.encoding)
            .map_err(|err| operation_failed(format!("signing the access token failed: {err}")))
    }

    fn verify(&self, token: &str) -> Result<AccessClaims, DomainError> {
        let keys = self
            .keys
            .as_ref()
            .ok_or_else(|| bad_access_token().with_cause("auth.jwt.secret is not configured"))?;
        let data = jsonwebtoken::decode::<ReadClaims>(token, &keys.decoding, &self.validation)
            .map_err(|err| bad_access_token().with_cause(err))?;
        let claims = data.claims;
        Ok(AccessClaims {
            user_id: claims.user_id,
            workspace_id: claims.workspace_id,
            auth_version: claims.auth_version,
            issued_at: timestamp(claims.iat)?,
            expires_at: timestamp(claims.exp)?,
            jti: claims.jti,
        })
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use chrono::{Duration, TimeZone as _};
    use kyora_core::ErrorKind;

    use super::*;
    use crate::config::Secret;

    const SECRET: &str = "test-signing-secret";

    fn config(secret: &str) -> AuthConfig {
        let mut config = AuthConfig::default();
        config.jwt.secret = Secret::new(secret);
        config.jwt.issuer = "kyora".to_owned();
        config.jwt.audience = "kyora-portal".to_owned();
        config.jwt.expiry_seconds = 3600;
        config
    }

    fn claims_at(issued_at: DateTime<Utc>, lifetime: Duration) -> AccessClaims {
        AccessClaims {
            user_id: "usr2Q8aaaaaaaaaaaaaaaaaaaaaaaaa".to_owned(),
            workspace_id: "wrk2Q8bbbbbbbbbbbbbbbbbbbbbbbbb".to_owned(),
            auth_version: 3,
            issued_at,
            expires_at: issued_at + lifetime,
            jti: "jwt2Q8ccccccccccccccccccccccccc".to_owned(),
        }
    }

    fn fresh_claims() -> AccessClaims {
        let now = Utc.timestamp_opt(Utc::now().timestamp(), 0).unwrap();
        claims_at(now, Duration::hours(1))
    }

    fn segment(token: &str, index: usize) -> serde_json::Value {
        let part = token.split('.').nth(index).unwrap();
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
    }

    fn encode_json(value: &serde_json::Value) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap())
    }

    fn assert_rejected(result: Result<AccessClaims, DomainError>) {
        let err = result.unwrap_err();
        assert_eq!(err.kind, ErrorKind::Unauthorized);
        assert_eq!(err.code, "auth.invalid_token");
        assert_eq!(err.detail, "unauthorized");
    }

    #[test]
    fn a_signed_token_verifies_to_the_same_claims() {
        let tokens = JwtAccessTokens::new(&config(SECRET));
        let claims = fresh_claims();
        let token = tokens.sign(&claims).unwrap();
        assert_eq!(tokens.verify(&token).unwrap(), claims);
    }

    #[test]
    fn the_lifetime_is_the_configured_expiry_or_a_day() {
        assert_eq!(
            JwtAccessTokens::new(&config(SECRET)).lifetime(),
            Duration::hours(1)
        );
        let mut unset = config(SECRET);
        unset.jwt.expiry_seconds = 0;
        assert_eq!(JwtAccessTokens::new(&unset).lifetime(), Duration::hours(24));
    }

    #[test]
    fn the_payload_has_exactly_the_contract_claims() {
        let tokens = JwtAccessTokens::new(&config(SECRET));
        let claims = fresh_claims();
        let token = tokens.sign(&claims).unwrap();

        let header = segment(&token, 0);
        assert_eq!(header["alg"], "HS256");
        assert_eq!(header["typ"], "JWT");

        let payload = segment(&token, 1);
        assert_eq!(
            payload,
            serde_json::json!({
                "userId": "usr2Q8aaaaaaaaaaaaaaaaaaaaaaaaa",
                "workspaceId": "wrk2Q8bbbbbbbbbbbbbbbbbbbbbbbbb",
                "authVersion": 3,
                "sub": "usr2Q8aaaaaaaaaaaaaaaaaaaaaaaaa",
                "iss": "kyora",
                "aud": ["kyora-portal"],
                "iat": claims.issued_at.timestamp(),
                "exp": claims.issued_at.timestamp() + 3600,
                "jti": "jwt2Q8ccccccccccccccccccccccccc",
            })
        );
    }

    #[test]
    fn a_tampered_signature_is_rejected() {
        let tokens = JwtAccessTokens::new(&config(SECRET));
        let token = tokens.sign(&fresh_claims()).unwrap();
        let (unsigned, signature) = token.rsplit_once('.').unwrap();
        let mut bytes = URL_SAFE_NO_PAD.decode(signature).unwrap();
        bytes[0] ^= 0x01;
        let forged = format!("{unsigned}.{}", URL_SAFE_NO_PAD.encode(bytes));
        assert_rejected(tokens.verify(&forged));
    }

    #[test]
    fn a_tampered_payload_is_rejected() {
        let tokens = JwtAccessTokens::new(&config(SECRET));
        let token = tokens.sign(&fresh_claims()).unwrap();
        let parts: Vec<&str> = token.split('.').collect();
        let mut payload = segment(&token, 1);
        payload["authVersion"] = serde_json::json!(99);
        let forged = format!("{}.{}.{}", parts[0], encode_json(&payload), parts[2]);
        assert_rejected(tokens.verify(&forged));
    }

    #[test]
    fn a_token_signed_with_another_secret_is_rejected() {
        let other = JwtAccessTokens::new(&config("another-secret"));
        let token = other.sign(&fresh_claims()).unwrap();
        assert_rejected(JwtAccessTokens::new(&config(SECRET)).verify(&token));
    }

    #[test]
    fn an_expired_token_is_rejected() {
        let tokens = JwtAccessTokens::new(&config(SECRET));
        let issued = Utc::now() - Duration::hours(2);
        let token = tokens
            .sign(&claims_at(
                issued,
                Duration::hours(2) - Duration::seconds(5),
            ))
            .unwrap();
        assert_rejected(tokens.verify(&token));
    }

    #[test]
    fn a_token_not_yet_valid_is_rejected() {
        let tokens = JwtAccessTokens::new(&config(SECRET));
        let now = Utc::now().timestamp();
        let payload = serde_json::json!({
            "userId": "usr1", "workspaceId": "wrk1", "authVersion": 1,
            "iat": now, "exp": now + 3600, "nbf": now + 600, "jti": "jwt1",
        });
        let token = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &payload,
            &EncodingKey::from_secret(SECRET.as_bytes()),
        )
        .unwrap();
        assert_rejected(tokens.verify(&token));
    }

    #[test]
    fn a_token_without_exp_is_rejected() {
        let tokens = JwtAccessTokens::new(&config(SECRET));
        let now = Utc::now().timestamp();
        let payload = serde_json::json!({
            "userId": "usr1", "workspaceId": "wrk1", "authVersion": 1, "iat": now, "jti": "jwt1",
        });
        let token = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &payload,
            &EncodingKey::from_secret(SECRET.as_bytes()),
        )
        .unwrap();
        assert_rejected(tokens.verify(&token));
    }

    #[test]
    fn issuer_and_audience_are_not_checked() {
        let mut other_issuer = config(SECRET);
        other_issuer.jwt.issuer = "someone-else".to_owned();
        other_issuer.jwt.audience = "another-audience".to_owned();
        let token = JwtAccessTokens::new(&other_issuer)
            .sign(&fresh_claims())
            .unwrap();
        assert!(JwtAccessTokens::new(&config(SECRET)).verify(&token).is_ok());
    }

    #[test]
    fn other_hmac_algorithms_are_rejected() {
        let tokens = JwtAccessTokens::new(&config(SECRET));
        let claims = fresh_claims();
        let payload = serde_json::json!({
            "userId": claims.user_id, "workspaceId": claims.workspace_id, "authVersion": 3,
            "iat": claims.issued_at.timestamp(), "exp": claims.expires_at.timestamp(), "jti": "jwt1",
        });
        for algorithm in [Algorithm::HS384, Algorithm::HS512] {
            let token = jsonwebtoken::encode(
                &Header::new(algorithm),
                &payload,
                &EncodingKey::from_secret(SECRET.as_bytes()),
            )
            .unwrap();
            assert_rejected(tokens.verify(&token));
        }
    }

    #[test]
    fn an_unsigned_alg_none_token_is_rejected() {
        let tokens = JwtAccessTokens::new(&config(SECRET));
        let signed = tokens.sign(&fresh_claims()).unwrap();
        let payload = signed.split('.').nth(1).unwrap();
        for header in [
            serde_json::json!({"alg": "none", "typ": "JWT"}),
            serde_json::json!({"alg": "None", "typ": "JWT"}),
        ] {
            let header = encode_json(&header);
            assert_rejected(tokens.verify(&format!("{header}.{payload}.")));
            let signature = signed.split('.').nth(2).unwrap();
            assert_rejected(tokens.verify(&format!("{header}.{payload}.{signature}")));
        }
    }

    #[test]
    fn malformed_tokens_are_rejected() {
        let tokens = JwtAccessTokens::new(&config(SECRET));
        for token in ["", "abc", "a.b.c", "Bearer x.y.z", "..."] {
            assert_rejected(tokens.verify(token));
        }
    }

    #[test]
    fn without_a_secret_signing_fails_with_500_and_verifying_with_401() {
        let tokens = JwtAccessTokens::new(&config(""));
        assert!(!tokens.is_configured());
        let err = tokens.sign(&fresh_claims()).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Internal);
        assert_eq!(err.code, "account.operation_failed");

        let token = JwtAccessTokens::new(&config(SECRET))
            .sign(&fresh_claims())
            .unwrap();
        assert_rejected(tokens.verify(&token));
    }

    #[test]
    fn debug_output_never_shows_the_secret() {
        let printed = format!("{:?}", JwtAccessTokens::new(&config(SECRET)));
        assert!(!printed.contains(SECRET));
        assert!(printed.contains("configured: true"));
    }
}
