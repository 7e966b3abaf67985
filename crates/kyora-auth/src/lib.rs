//! Kyora's authentication adapters: the crypto and Google behind kyora-core's account ports.
//!
//! - [`Argon2PasswordHasher`] ([`PasswordHasher`](kyora_core::account::ports::PasswordHasher)):
//!   argon2id (OWASP parameters) for new hashes, legacy bcrypt hashes still verify and ask for a
//!   re-hash; all hashing runs on tokio's blocking pool, bounded by
//!   `auth.password_hash_concurrency`.
//! - [`JwtAccessTokens`] ([`AccessTokens`](kyora_core::account::ports::AccessTokens)): HS256
//!   access JWTs with the algorithm pinned.
//! - [`GoogleOAuthClient`] ([`GoogleOAuth`](kyora_core::account::ports::GoogleOAuth)): the
//!   consent URL and the authorization-code exchange against configurable endpoints.
//! - [`TokioSpawner`] ([`Spawner`](kyora_core::account::ports::Spawner)): fire-and-forget work
//!   within a time budget.
//! - [`AuthConfig`]: the `auth` configuration section.
//!
//! The rule of this crate: it turns passwords, claims and OAuth codes into hashes, tokens and
//! profiles, and nothing more. It holds no business rule (who may log in, when to re-hash, which
//! user a Google email maps to are kyora-core's decisions), and its failures are the account
//! context's own errors (`account.operation_failed`, `auth.invalid_token`). Secrets, passwords,
//! authorization codes and tokens never reach `Debug` output, logs or error causes.

pub mod config;
pub mod google;
pub mod jwt;
pub mod password;
pub mod spawner;

pub use config::{AuthConfig, GoogleOAuthConfig, JwtConfig, Secret};
pub use google::GoogleOAuthClient;
pub use jwt::JwtAccessTokens;
pub use password::Argon2PasswordHasher;
pub use spawner::TokioSpawner;
