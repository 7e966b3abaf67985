//! Fast stand-ins for the account's crypto and Google ports, and a ready-made service.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use futures::future::BoxFuture;

use crate::account::error::{bad_access_token, operation_failed};
use crate::account::ports::{
    AccessClaims, AccessTokens, GoogleOAuth, GoogleProfile, PasswordCheck, PasswordHasher, Spawner,
};
use crate::account::{AccountDeps, AccountService, AccountSettings};
use crate::ports::{Cache, EmailSender, Store};
use crate::shared::clock::Clock;
use crate::shared::error::DomainError;

/// Hashes as `plain$<password>`; hashes starting `legacy$` verify as needing a rehash, like
/// bcrypt hashes do with the real hasher.
#[derive(Debug, Default)]
pub struct PlainPasswordHasher;

#[async_trait]
impl PasswordHasher for PlainPasswordHasher {
    async fn hash(&self, password: String) -> Result<String, DomainError> {
        Ok(format!("plain${password}"))
    }

    async fn verify(&self, password: String, hash: String) -> Result<PasswordCheck, DomainError> {
        Ok(if hash == format!("plain${password}") {
            PasswordCheck::Match
        } else if hash == format!("legacy${password}") {
            PasswordCheck::MatchNeedsRehash
        } else {
            PasswordCheck::Mismatch
        })
    }
}

/// Tokens that are the claims in clear text, checked against a clock.
pub struct ClearAccessTokens {
    clock: Arc<dyn Clock>,
}

impl ClearAccessTokens {
    /// Tokens expiring an hour after issue, judged by `clock`.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self { clock }
    }
}

impl AccessTokens for ClearAccessTokens {
    fn lifetime(&self) -> Duration {
        Duration::hours(1)
    }

    fn sign(&self, c: &AccessClaims) -> Result<String, DomainError> {
        Ok(format!(
            "clear|{}|{}|{}|{}|{}|{}",
            c.user_id,
            c.workspace_id,
            c.auth_version,
            c.issued_at.timestamp(),
            c.expires_at.timestamp(),
            c.jti
        ))
    }

    fn verify(&self, token: &str) -> Result<AccessClaims, DomainError> {
        let parts: Vec<&str> = token.split('|').collect();
        let [
            "clear",
            user_id,
            workspace_id,
            version,
            issued,
            expires,
            jti,
        ] = parts.as_slice()
        else {
            return Err(bad_access_token());
        };
        let at = |s: &str| {
            s.parse::<i64>()
                .ok()
                .and_then(|t| DateTime::<Utc>::from_timestamp(t, 0))
                .ok_or_else(bad_access_token)
        };
        let claims = AccessClaims {
            user_id: (*user_id).to_owned(),
            workspace_id: (*workspace_id).to_owned(),
            auth_version: version.parse().map_err(|_| bad_access_token())?,
            issued_at: at(issued)?,
            expires_at: at(expires)?,
            jti: (*jti).to_owned(),
        };
        if claims.expires_at <= self.clock.now() {
            return Err(bad_access_token());
        }
        Ok(claims)
    }
}

/// A Google stand-in: codes registered with [`StubGoogle::allow`] exchange to their profile.
#[derive(Debug, Default)]
pub struct StubGoogle {
    profiles: Mutex<HashMap<String, GoogleProfile>>,
}

impl StubGoogle {
    /// Makes `code` exchange to `profile`.
    pub fn allow(&self, code: &str, profile: GoogleProfile) {
        self.profiles
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(code.to_owned(), profile);
    }
}

#[async_trait]
impl GoogleOAuth for StubGoogle {
    fn authorization_url(&self, state: &str) -> Result<String, DomainError> {
        Ok(format!(
            "https://accounts.google.com/o/oauth2/auth?response_type=code&scope=openid&state={state}"
        ))
    }

    async fn exchange(&self, code: &str) -> Result<GoogleProfile, DomainError> {
        self.profiles
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(code)
            .cloned()
            .ok_or_else(|| operation_failed("unknown code"))
    }
}

/// Keeps background work until [`QueuedSpawner::run_pending`] runs it.
#[derive(Default)]
pub struct QueuedSpawner {
    queue: Mutex<Vec<BoxFuture<'static, ()>>>,
}

impl QueuedSpawner {
    /// Runs the queued work to completion.
    pub async fn run_pending(&self) {
        let pending: Vec<_> =
            std::mem::take(&mut *self.queue.lock().unwrap_or_else(PoisonError::into_inner));
        for work in pending {
            work.await;
        }
    }
}

impl Spawner for QueuedSpawner {
    fn spawn(&self, work: BoxFuture<'static, ()>) {
        self.queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(work);
    }
}

/// An account service on the in-memory adapters, with handles on each of them.
pub struct AccountFixture {
    pub service: AccountService,
    pub google: Arc<StubGoogle>,
    pub spawner: Arc<QueuedSpawner>,
}

impl AccountFixture {
    /// Builds the service on `store`, `cache`, `email` and `clock`.
    pub fn new(
        store: Arc<dyn Store>,
        cache: Arc<dyn Cache>,
        email: Arc<dyn EmailSender>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        let google = Arc::new(StubGoogle::default());
        let spawner = Arc::new(QueuedSpawner::default());
        let service = AccountService::new(
            AccountDeps {
                store,
                cache,
                email,
                hasher: Arc::new(PlainPasswordHasher),
                tokens: Arc::new(ClearAccessTokens::new(Arc::clone(&clock))),
                google: Arc::clone(&google) as Arc<dyn GoogleOAuth>,
                spawner: Arc::clone(&spawner) as Arc<dyn Spawner>,
                clock,
            },
            AccountSettings::default(),
        );
        Self {
            service,
            google,
            spawner,
        }
    }
}
