//! Account use cases. Each validates, loads, decides with the model's rules, persists (in one
//! transaction when it writes more than once), then sends emails.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::FutureExt;

use super::error;
use super::model::{Invitation, InvitationStatus, Session, User, Workspace, display_name};
use super::ports::{
    AccessClaims, AccessTokens, GoogleOAuth, GoogleProfile, PasswordCheck, PasswordHasher, Spawner,
};
use super::tokens::{self, InvitationTokenRecord, TokenKind, UserTokenRecord};
use crate::ports::{Cache, EmailSender, EmailTemplate, Store, TemplateEmail, TxOptions, atomic};
use crate::shared::actor::{Actor, Role};
use crate::shared::clock::Clock;
use crate::shared::error::{DomainError, RepoError};
use crate::shared::id::{IdPrefix, alphanumeric_token, new_id, sha256_hex};
use crate::shared::throttle::{self, ThrottleRule};

/// The account settings (the `auth.*` and `http.base_url` keys).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSettings {
    /// Refresh-session lifetime.
    pub refresh_ttl: Duration,
    /// Password-reset token lifetime (zero = never expires).
    pub password_reset_ttl: Duration,
    /// Email-verification token lifetime.
    pub verify_email_ttl: Duration,
    /// Invitation token lifetime.
    pub invitation_ttl: Duration,
    /// Base of the links in emails.
    pub base_url: String,
}

impl Default for AccountSettings {
    fn default() -> Self {
        Self {
            refresh_ttl: Duration::from_secs(2_592_000),
            password_reset_ttl: Duration::from_secs(900),
            verify_email_ttl: Duration::from_secs(900),
            invitation_ttl: Duration::from_secs(604_800),
            base_url: "https://app.kyora.com".to_owned(),
        }
    }
}

/// Where a request came from (sessions, throttles, emails).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClientInfo {
    /// Client IP, or `unknown`.
    pub ip: String,
    /// The `User-Agent` header, trimmed.
    pub user_agent: String,
}

/// A new access token and refresh token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenPair {
    pub token: String,
    pub refresh_token: String,
}

/// A signed-in user with their tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginResult {
    pub user: User,
    pub tokens: TokenPair,
}

/// Everything the service runs on.
pub struct AccountDeps {
    pub store: Arc<dyn Store>,
    pub cache: Arc<dyn Cache>,
    pub email: Arc<dyn EmailSender>,
    pub hasher: Arc<dyn PasswordHasher>,
    pub tokens: Arc<dyn AccessTokens>,
    pub google: Arc<dyn GoogleOAuth>,
    pub spawner: Arc<dyn Spawner>,
    pub clock: Arc<dyn Clock>,
}

/// The account use cases. Cheap to clone (transactional work captures a clone).
#[derive(Clone)]
pub struct AccountService {
    deps: Arc<AccountDeps>,
    settings: Arc<AccountSettings>,
}

const LOGIN_RULE: ThrottleRule = ThrottleRule {
    window: Duration::from_secs(600),
    max: 20,
    min_interval: Duration::ZERO,
};
const EMAIL_RULE: ThrottleRule = ThrottleRule {
    window: Duration::from_secs(3600),
    max: 5,
    min_interval: Duration::from_secs(30),
};

fn throttle_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// `"<N> hours"` / `"<N> days"`: the TTL rounded up, at least 1.
fn expiry_text(ttl: Duration, unit_secs: u64, unit: &str) -> String {
    let n = ttl.as_secs().div_ceil(unit_secs).max(1);
    format!("{n} {unit}")
}

fn email_date(at: DateTime<Utc>) -> String {
    at.format("%B %-d, %Y").to_string()
}

fn email_time(at: DateTime<Utc>) -> String {
    at.format("%-I:%M %p UTC").to_string()
}

fn vars<const N: usize>(pairs: [(&str, String); N]) -> BTreeMap<String, String> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// `"<Browser> on <OS>"` from a User-Agent (spec 01 §4.6).
pub fn device_from_user_agent(user_agent: &str) -> String {
    let ua = user_agent.trim().to_lowercase();
    if ua.is_empty() {
        return "Unknown device".to_owned();
    }
    let os = if ua.contains("windows") {
        "Windows"
    } else if ua.contains("macintosh") || ua.contains("mac os") {
        "macOS"
    } else if ua.contains("linux") {
        "Linux"
    } else if ua.contains("android") {
        "Android"
    } else if ua.contains("iphone") || ua.contains("ipad") {
        "iOS"
    } else {
        "Unknown OS"
    };
    let browser = if ua.contains("chrome") && !ua.contains("edge") {
        "Chrome"
    } else if ua.contains("firefox") {
        "Firefox"
    } else if ua.contains("safari") && !ua.contains("chrome") {
        "Safari"
    } else if ua.contains("edge") {
        "Edge"
    } else if ua.contains("opera") {
        "Opera"
    } else {
        "Unknown browser"
    };
    format!("{browser} on {os}")
}

/// `Local network`, `IP: <ip>` or `Unknown location` (spec 01 §4.6).
pub fn location_from_ip(ip: &str) -> String {
    match ip.trim().parse::<std::net::IpAddr>() {
        Err(_) => "Unknown location".to_owned(),
        Ok(std::net::IpAddr::V4(v4)) if v4.is_loopback() || v4.is_private() => {
            "Local network".to_owned()
        }
        Ok(std::net::IpAddr::V6(v6)) if v6.is_loopback() => "Local network".to_owned(),
        Ok(addr) => format!("IP: {addr}"),
    }
}

impl AccountService {
    /// A service on `deps`.
    pub fn new(deps: AccountDeps, settings: AccountSettings) -> Self {
        Self {
            deps: Arc::new(deps),
            settings: Arc::new(settings),
        }
    }

    fn now(&self) -> DateTime<Utc> {
        self.deps.clock.now()
    }

    fn link(&self, path: &str) -> String {
        format!("{}{path}", self.settings.base_url.trim_end_matches('/'))
    }

    async fn send(&self, template: EmailTemplate, to: &str, variables: BTreeMap<String, String>) {
        let email = TemplateEmail {
            template,
            to: vec![to.to_owned()],
            subject: None,
            variables,
        };
        if let Err(err) = self.deps.email.send_template(email).await {
            tracing::warn!(%err, template = template.id(), "email not sent");
        }
    }

    // ---- tokens ---------------------------------------------------------------------------

    /// Signs an access token and opens a refresh session for `user` (spec 01 §4.3), inside the
    /// caller's transaction when `store` is one.
    async fn issue_tokens(
        &self,
        store: &dyn Store,
        user: &mut User,
        client: &ClientInfo,
    ) -> Result<TokenPair, DomainError> {
        let now = self.now();
        if user.auth_version <= 0 {
            user.auth_version = 1;
            user.updated_at = now;
            store.users().update_user(user).await?;
        }
        let claims = AccessClaims {
            user_id: user.id.clone(),
            workspace_id: user.workspace_id.clone(),
            auth_version: user.auth_version,
            issued_at: now,
            expires_at: now + self.deps.tokens.lifetime(),
            jti: new_id(IdPrefix::Jwt),
        };
        let token = self.deps.tokens.sign(&claims)?;
        let refresh_token = tokens::refresh_token();
        let ttl = if self.settings.refresh_ttl.is_zero() {
            Duration::from_secs(2_592_000)
        } else {
            self.settings.refresh_ttl
        };
        let ip = client.ip.trim();
        let session = Session {
            id: new_id(IdPrefix::Session),
            user_id: user.id.clone(),
            workspace_id: user.workspace_id.clone(),
            token_hash: sha256_hex(&refresh_token),
            expires_at: now + chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::days(30)),
            created_ip: if ip.is_empty() {
                "unknown".to_owned()
            } else {
                ip.to_owned()
            },
            user_agent: client.user_agent.trim().to_owned(),
            created_at: now,
        };
        store.sessions().create_session(&session).await?;
        Ok(TokenPair {
            token,
            refresh_token,
        })
    }

    async fn issue_tokens_atomically(
        &self,
        user: User,
        client: &ClientInfo,
    ) -> Result<(User, TokenPair), DomainError> {
        let this = self.clone();
        let client = client.clone();
        atomic(&*self.deps.store, TxOptions::default(), move |tx| {
            let mut user = user.clone();
            let client = client.clone();
            let this = this.clone();
            async move {
                let pair = this.issue_tokens(tx, &mut user, &client).await?;
                Ok((user, pair))
            }
            .boxed()
        })
        .await
    }

    /// Password login.
    ///
    /// # Errors
    /// 429 `account.rate_limited`, 401 `account.invalid_credentials`.
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        client: &ClientInfo,
    ) -> Result<LoginResult, DomainError> {
        let key = format!("rl:auth:login:{}:{}", throttle_email(email), client.ip);
        if !throttle::allow(&*self.deps.cache, &key, LOGIN_RULE, self.now()).await {
            return Err(error::rate_limited());
        }
        let Some(mut user) = self.deps.store.users().find_user_by_email(email).await? else {
            return Err(error::invalid_credentials());
        };
        let check = if user.password_hash.is_empty() {
            PasswordCheck::Mismatch
        } else {
            self.deps
                .hasher
                .verify(password.to_owned(), user.password_hash.clone())
                .await?
        };
        match check {
            PasswordCheck::Mismatch => return Err(error::invalid_credentials()),
            PasswordCheck::Match => {}
            PasswordCheck::MatchNeedsRehash => {
                user.password_hash = self.deps.hasher.hash(password.to_owned()).await?;
                user.updated_at = self.now();
                self.deps.store.users().update_user(&user).await?;
            }
        }
        let (user, tokens) = self.issue_tokens_atomically(user, client).await?;
        self.notify_login(&user, client);
        Ok(LoginResult { user, tokens })
    }

    fn notify_login(&self, user: &User, client: &ClientInfo) {
        let now = self.now();
        let email = TemplateEmail {
            template: EmailTemplate::LoginNotification,
            to: vec![user.email.clone()],
            subject: None,
            variables: vars([
                ("userName", user.display_name()),
                ("loginDate", email_date(now)),
                ("loginTime", email_time(now)),
                ("loginLocation", location_from_ip(&client.ip)),
                ("loginIP", client.ip.clone()),
                ("deviceInfo", device_from_user_agent(&client.user_agent)),
                ("resetURL", self.link("/reset-password")),
            ]),
        };
        let sender = Arc::clone(&self.deps.email);
        self.deps.spawner.spawn(
            async move {
                if let Err(err) = sender.send_template(email).await {
                    tracing::warn!(%err, "login notification not sent");
                }
            }
            .boxed(),
        );
    }

    async fn valid_session(&self, refresh_token: &str) -> Result<Session, DomainError> {
        let token = refresh_token.trim();
        if token.is_empty() {
            return Err(error::invalid_token());
        }
        self.deps
            .store
            .sessions()
            .find_valid_session(&sha256_hex(token), self.now())
            .await?
            .ok_or_else(error::invalid_token)
    }

    /// Rotates a refresh token: the presented session is revoked and a new one opened.
    ///
    /// # Errors
    /// 401 `account.invalid_token` for an unknown, revoked or expired token or a removed user.
    pub async fn refresh(
        &self,
        refresh_token: &str,
        client: &ClientInfo,
    ) -> Result<TokenPair, DomainError> {
        let session = self.valid_session(refresh_token).await?;
        let this = self.clone();
        let client = client.clone();
        atomic(&*self.deps.store, TxOptions::default(), move |tx| {
            let session = session.clone();
            let client = client.clone();
            let this = this.clone();
            async move {
                let mut user = tx
                    .users()
                    .find_user(&session.user_id)
                    .await?
                    .ok_or_else(error::invalid_token)?;
                // Only the request that actually revokes the session may rotate it.
                if !tx
                    .sessions()
                    .revoke_session(&session.id, this.now())
                    .await?
                {
                    return Err(error::invalid_token());
                }
                this.issue_tokens(tx, &mut user, &client).await
            }
            .boxed()
        })
        .await
    }

    /// Revokes the presented session; unknown tokens are ignored.
    ///
    /// # Errors
    /// 401 `account.invalid_token` for an empty token.
    pub async fn logout(&self, refresh_token: &str) -> Result<(), DomainError> {
        match self.valid_session(refresh_token).await {
            Ok(session) => {
                self.deps
                    .store
                    .sessions()
                    .revoke_session(&session.id, self.now())
                    .await?;
                Ok(())
            }
            Err(err) if refresh_token.trim().is_empty() => Err(err),
            Err(_) => Ok(()),
        }
    }

    /// Revokes every session of the user and invalidates their access tokens.
    ///
    /// # Errors
    /// 401 `account.invalid_token`.
    pub async fn logout_all(&self, refresh_token: &str) -> Result<(), DomainError> {
        let session = self.valid_session(refresh_token).await?;
        let now = self.now();
        atomic(&*self.deps.store, TxOptions::default(), move |tx| {
            let session = session.clone();
            async move {
                let mut user = tx
                    .users()
                    .find_user(&session.user_id)
                    .await?
                    .ok_or_else(error::invalid_token)?;
                user.auth_version = user.auth_version.max(0) + 1;
                user.updated_at = now;
                tx.users().update_user(&user).await?;
                tx.sessions()
                    .revoke_user_sessions(&user.id, None, now)
                    .await?;
                Ok(())
            }
            .boxed()
        })
        .await
    }

    /// Revokes every other session of the user.
    ///
    /// # Errors
    /// 401 `account.invalid_token`.
    pub async fn logout_others(&self, refresh_token: &str) -> Result<(), DomainError> {
        let session = self.valid_session(refresh_token).await?;
        self.deps
            .store
            .sessions()
            .revoke_user_sessions(&session.user_id, Some(&session.id), self.now())
            .await?;
        Ok(())
    }

    // ---- Google ---------------------------------------------------------------------------

    /// The Google consent URL and a fresh 32-character state.
    ///
    /// # Errors
    /// 500 `account.operation_failed` when Google is not configured.
    pub fn google_url(&self) -> Result<(String, String), DomainError> {
        let state = alphanumeric_token(32);
        let url = self.deps.google.authorization_url(&state)?;
        Ok((url, state))
    }

    /// Signs in the user whose email Google returns.
    ///
    /// # Errors
    /// 500 `account.operation_failed` when the exchange fails; 401 `account.google_no_account`.
    pub async fn google_login(
        &self,
        code: &str,
        client: &ClientInfo,
    ) -> Result<LoginResult, DomainError> {
        let profile = self.deps.google.exchange(code).await?;
        let user = self
            .deps
            .store
            .users()
            .find_user_by_email(&profile.email)
            .await?
            .ok_or_else(error::google_no_account)?;
        let (user, tokens) = self.issue_tokens_atomically(user, client).await?;
        Ok(LoginResult { user, tokens })
    }

    // ---- password reset and verification --------------------------------------------------

    /// Sends a reset link to an existing user; always succeeds unless throttled.
    ///
    /// # Errors
    /// 429 `account.rate_limited`.
    pub async fn forgot_password(&self, email: &str) -> Result<(), DomainError> {
        let key = format!("rl:auth:password_reset:{}", throttle_email(email));
        if !throttle::allow(&*self.deps.cache, &key, EMAIL_RULE, self.now()).await {
            return Err(error::rate_limited());
        }
        let user = match self.deps.store.users().find_user_by_email(email).await {
            Ok(Some(user)) => user,
            Ok(None) => return Ok(()),
            Err(err) => {
                tracing::warn!(%err, "forgot-password lookup failed");
                return Ok(());
            }
        };
        let ttl = self.settings.password_reset_ttl;
        let record = self.user_record(&user, ttl);
        let token =
            match tokens::issue(&*self.deps.cache, TokenKind::PasswordReset, &record, ttl).await {
                Ok(token) => token,
                Err(err) => {
                    tracing::warn!(%err, "reset token not stored");
                    return Ok(());
                }
            };
        let variables = vars([
            ("userName", user.display_name()),
            (
                "resetURL",
                self.link(&format!("/reset-password?token={token}")),
            ),
            ("expiryTime", expiry_text(ttl, 3600, "hours")),
        ]);
        self.send(EmailTemplate::ForgotPassword, &user.email, variables)
            .await;
        Ok(())
    }

    fn user_record(&self, user: &User, ttl: Duration) -> UserTokenRecord {
        UserTokenRecord {
            user_id: user.id.clone(),
            workspace_id: user.workspace_id.clone(),
            email: user.email.clone(),
            exp_at: tokens::exp_at(self.now(), ttl),
        }
    }

    async fn user_of_token(&self, kind: TokenKind, token: &str) -> Result<User, DomainError> {
        let record: UserTokenRecord = tokens::read(&*self.deps.cache, kind, token)
            .await
            .ok_or_else(error::invalid_token)?;
        self.deps
            .store
            .users()
            .find_member(&record.workspace_id, &record.user_id)
            .await?
            .ok_or_else(error::invalid_token)
    }

    /// Sets a new password from a reset token; every session and access token stops working.
    ///
    /// # Errors
    /// 401 `account.invalid_token`.
    pub async fn reset_password(&self, token: &str, new_password: &str) -> Result<(), DomainError> {
        let mut user = self.user_of_token(TokenKind::PasswordReset, token).await?;
        let now = self.now();
        user.password_hash = self.deps.hasher.hash(new_password.to_owned()).await?;
        user.auth_version = user.auth_version.max(0) + 1;
        user.updated_at = now;
        let saved = user.clone();
        atomic(&*self.deps.store, TxOptions::default(), move |tx| {
            let user = saved.clone();
            async move {
                tx.users().update_user(&user).await?;
                tx.sessions()
                    .revoke_user_sessions(&user.id, None, now)
                    .await?;
                Ok(())
            }
            .boxed()
        })
        .await?;
        tokens::consume(&*self.deps.cache, TokenKind::PasswordReset, token).await;
        let variables = vars([
            ("userName", user.display_name()),
            ("loginURL", self.link("/login")),
            ("resetDate", email_date(now)),
            ("resetTime", email_time(now)),
            ("resetLocation", location_from_ip("")),
            ("resetIP", String::new()),
        ]);
        self.send(
            EmailTemplate::PasswordResetConfirmation,
            &user.email,
            variables,
        )
        .await;
        Ok(())
    }

    /// Sends a verification link to an existing user; always succeeds unless throttled.
    ///
    /// # Errors
    /// 429 `account.rate_limited`.
    pub async fn request_email_verification(&self, email: &str) -> Result<(), DomainError> {
        let key = format!("rl:auth:verify_email:{}", throttle_email(email));
        if !throttle::allow(&*self.deps.cache, &key, EMAIL_RULE, self.now()).await {
            return Err(error::rate_limited());
        }
        let Ok(Some(user)) = self.deps.store.users().find_user_by_email(email).await else {
            return Ok(());
        };
        let ttl = self.settings.verify_email_ttl;
        let record = self.user_record(&user, ttl);
        let Ok(token) = tokens::issue(
            &*self.deps.cache,
            TokenKind::EmailVerification,
            &record,
            ttl,
        )
        .await
        else {
            tracing::warn!("verification token not stored");
            return Ok(());
        };
        let variables = vars([
            ("userName", user.display_name()),
            (
                "verifyURL",
                self.link(&format!("/verify-email?token={token}")),
            ),
            ("expiryTime", expiry_text(ttl, 3600, "hours")),
        ]);
        self.send(EmailTemplate::EmailVerification, &user.email, variables)
            .await;
        Ok(())
    }

    /// Marks the email of the token's user verified.
    ///
    /// # Errors
    /// 401 `account.invalid_token`.
    pub async fn verify_email(&self, token: &str) -> Result<(), DomainError> {
        let mut user = self
            .user_of_token(TokenKind::EmailVerification, token)
            .await?;
        user.is_email_verified = true;
        user.updated_at = self.now();
        self.deps.store.users().update_user(&user).await?;
        tokens::consume(&*self.deps.cache, TokenKind::EmailVerification, token).await;
        Ok(())
    }

    // ---- the request chain ----------------------------------------------------------------

    /// Authenticates a bearer token and re-reads its user (the valid-actor step).
    ///
    /// # Errors
    /// 401 `auth.invalid_token`, 404 `resource.not_found` for a missing or removed user, 401
    /// `account.invalid_token` for a token older than the user's last logout-all or reset.
    pub async fn authenticate(&self, bearer: &str) -> Result<User, DomainError> {
        let claims = self.deps.tokens.verify(bearer)?;
        let user = self
            .deps
            .store
            .users()
            .find_user(&claims.user_id)
            .await?
            .ok_or_else(DomainError::not_found)?;
        if claims.auth_version != user.auth_version {
            return Err(error::invalid_token());
        }
        Ok(user)
    }

    /// The actor's workspace (from the user row).
    ///
    /// # Errors
    /// 404 `resource.not_found`.
    pub async fn workspace_of(&self, user: &User) -> Result<Workspace, DomainError> {
        self.deps
            .store
            .workspaces()
            .find_workspace(&user.workspace_id)
            .await?
            .ok_or_else(DomainError::not_found)
    }

    // ---- profile --------------------------------------------------------------------------

    /// Changes the given names (absent = unchanged; any string, even empty, is stored as is).
    ///
    /// # Errors
    /// The storage error.
    pub async fn update_profile(
        &self,
        mut user: User,
        first_name: Option<String>,
        last_name: Option<String>,
    ) -> Result<User, DomainError> {
        if let Some(first) = first_name {
            user.first_name = first;
        }
        if let Some(last) = last_name {
            user.last_name = last;
        }
        user.updated_at = self.now();
        self.deps.store.users().update_user(&user).await?;
        Ok(user)
    }

    // ---- members --------------------------------------------------------------------------

    /// Every member of the actor's workspace, oldest first.
    ///
    /// # Errors
    /// The storage error.
    pub async fn members(&self, actor: &Actor) -> Result<Vec<User>, DomainError> {
        Ok(self
            .deps
            .store
            .users()
            .list_members(&actor.workspace_id)
            .await?)
    }

    /// One member of the actor's workspace.
    ///
    /// # Errors
    /// 404 `account.user_not_member`.
    pub async fn member(&self, actor: &Actor, user_id: &str) -> Result<User, DomainError> {
        self.deps
            .store
            .users()
            .find_member(&actor.workspace_id, user_id)
            .await?
            .ok_or_else(error::user_not_member)
    }

    /// Changes a member's role (not one's own, not the owner's).
    ///
    /// # Errors
    /// 403 `account.cannot_update_own_role` / `account.cannot_update_owner_role`, 404
    /// `account.user_not_member`.
    pub async fn change_role(
        &self,
        actor: &Actor,
        user_id: &str,
        role: Role,
    ) -> Result<User, DomainError> {
        if user_id == actor.user_id {
            return Err(error::cannot_update_own_role());
        }
        let mut target = self.member(actor, user_id).await?;
        let workspace = self.workspace_of(&target).await?;
        if workspace.owner_id == target.id {
            return Err(error::cannot_update_owner_role());
        }
        target.role = role.as_str().to_owned();
        target.updated_at = self.now();
        self.deps.store.users().update_user(&target).await?;
        Ok(target)
    }

    /// Removes a member (not oneself, not the owner) and revokes their sessions.
    ///
    /// # Errors
    /// 403 `account.cannot_remove_self` / `account.cannot_remove_owner`, 404
    /// `account.user_not_member`.
    pub async fn remove_member(&self, actor: &Actor, user_id: &str) -> Result<(), DomainError> {
        if user_id == actor.user_id {
            return Err(error::cannot_remove_self());
        }
        let target = self.member(actor, user_id).await?;
        let workspace = self.workspace_of(&target).await?;
        if workspace.owner_id == target.id {
            return Err(error::cannot_remove_owner());
        }
        let now = self.now();
        atomic(&*self.deps.store, TxOptions::default(), move |tx| {
            let target = target.clone();
            async move {
                tx.users()
                    .remove_member(&target.workspace_id, &target.id, now)
                    .await?;
                tx.sessions()
                    .revoke_user_sessions(&target.id, None, now)
                    .await?;
                Ok(())
            }
            .boxed()
        })
        .await
    }

    /// How many members the workspace has (the `maxTeamMembers` usage).
    ///
    /// # Errors
    /// The storage error.
    pub async fn member_count(&self, workspace_id: &str) -> Result<u64, DomainError> {
        Ok(self.deps.store.users().count_members(workspace_id).await?)
    }

    // ---- invitations ----------------------------------------------------------------------

    /// Invites `email` with `role` (gates already passed) and emails the link.
    ///
    /// # Errors
    /// 409 `account.user_already_exists` / `account.invitation_already_exists`, 500
    /// `account.operation_failed`.
    pub async fn invite(
        &self,
        actor: &Actor,
        email: &str,
        role: Role,
    ) -> Result<Invitation, DomainError> {
        let users = self.deps.store.users();
        if users
            .find_member_by_email(&actor.workspace_id, email)
            .await?
            .is_some()
        {
            return Err(error::user_already_exists());
        }
        let invitations = self.deps.store.invitations();
        if invitations
            .find_pending_invitation(&actor.workspace_id, email)
            .await?
            .is_some()
        {
            return Err(error::invitation_already_exists());
        }
        let inviter = self.member(actor, &actor.user_id).await?;
        let now = self.now();
        let invitation = Invitation {
            id: new_id(IdPrefix::Invitation),
            workspace_id: actor.workspace_id.clone(),
            email: email.to_owned(),
            role,
            inviter_id: actor.user_id.clone(),
            status: InvitationStatus::Pending,
            accepted_at: None,
            created_at: now,
            updated_at: now,
        };
        let ttl = self.settings.invitation_ttl;
        let record = InvitationTokenRecord {
            invitation_id: invitation.id.clone(),
            workspace_id: invitation.workspace_id.clone(),
            email: invitation.email.clone(),
            role: role.as_str().to_owned(),
            inviter_id: invitation.inviter_id.clone(),
            exp_at: tokens::exp_at(now, ttl),
        };
        // The token is written inside the transaction so that a cache failure leaves no pending
        // invitation without a token behind (it would block every later invitation).
        let cache = Arc::clone(&self.deps.cache);
        let stored = invitation.clone();
        let token = atomic(&*self.deps.store, TxOptions::default(), move |tx| {
            let invitation = stored.clone();
            let record = record.clone();
            let cache = Arc::clone(&cache);
            async move {
                tx.invitations()
                    .create_invitation(&invitation)
                    .await
                    .map_err(error::operation_failed)?;
                tokens::issue(&*cache, TokenKind::Invitation, &record, ttl)
                    .await
                    .map_err(error::operation_failed)
            }
            .boxed()
        })
        .await?;
        let inviter_name = match (inviter.first_name.trim(), inviter.last_name.trim()) {
            ("", "") => inviter.email.clone(),
            _ => display_name(&inviter.first_name, &inviter.last_name, &inviter.email),
        };
        let variables = vars([
            (
                "workspaceName",
                format!("Workspace {}", invitation.workspace_id),
            ),
            ("inviterName", inviter_name),
            ("inviterEmail", inviter.email.clone()),
            ("role", role.as_str().to_owned()),
            (
                "acceptURL",
                self.link(&format!("/accept-invitation?token={token}")),
            ),
            ("expiryTime", expiry_text(ttl, 86_400, "days")),
        ]);
        self.send(
            EmailTemplate::WorkspaceInvitation,
            &invitation.email,
            variables,
        )
        .await;
        Ok(invitation)
    }

    /// The workspace's invitations, oldest first, optionally of one exact status.
    ///
    /// # Errors
    /// The storage error.
    pub async fn invitations(
        &self,
        actor: &Actor,
        status: Option<&str>,
    ) -> Result<Vec<Invitation>, DomainError> {
        Ok(self
            .deps
            .store
            .invitations()
            .list_invitations(&actor.workspace_id, status)
            .await?)
    }

    /// Revokes a pending invitation of the actor's workspace.
    ///
    /// # Errors
    /// 404 `account.invitation_not_found`, 409 `account.invitation_cannot_be_revoked`.
    pub async fn revoke_invitation(
        &self,
        actor: &Actor,
        invitation_id: &str,
    ) -> Result<(), DomainError> {
        let mut invitation = self
            .deps
            .store
            .invitations()
            .find_invitation(&actor.workspace_id, invitation_id)
            .await?
            .ok_or_else(error::invitation_not_found)?;
        invitation.revoke(self.now())?;
        self.deps
            .store
            .invitations()
            .update_invitation(&invitation)
            .await?;
        Ok(())
    }

    async fn acceptable_invitation(
        &self,
        record: &InvitationTokenRecord,
    ) -> Result<Invitation, DomainError> {
        let invitation = self
            .deps
            .store
            .invitations()
            .find_invitation(&record.workspace_id, &record.invitation_id)
            .await?
            .filter(|inv| inv.email == record.email)
            .ok_or_else(error::invitation_not_found)?;
        invitation.ensure_acceptable()?;
        if self
            .deps
            .store
            .users()
            .find_user_by_email(&invitation.email)
            .await?
            .is_some()
        {
            return Err(error::user_already_exists());
        }
        Ok(invitation)
    }

    async fn join(
        &self,
        invitation: Invitation,
        new_user: User,
        token: &str,
        client: &ClientInfo,
    ) -> Result<LoginResult, DomainError> {
        let this = self.clone();
        let client = client.clone();
        let now = self.now();
        let (user, tokens) = atomic(&*self.deps.store, TxOptions::default(), move |tx| {
            let mut invitation = invitation.clone();
            let mut user = new_user.clone();
            let client = client.clone();
            let this = this.clone();
            async move {
                tx.users().create_user(&user).await?;
                invitation.accept(now)?;
                tx.invitations().update_invitation(&invitation).await?;
                let pair = this.issue_tokens(tx, &mut user, &client).await?;
                Ok((user, pair))
            }
            .boxed()
        })
        .await?;
        tokens::consume(&*self.deps.cache, TokenKind::Invitation, token).await;
        Ok(LoginResult { user, tokens })
    }

    fn invited_user(
        &self,
        invitation: &Invitation,
        first: String,
        last: String,
        hash: String,
        verified: bool,
    ) -> User {
        let now = self.now();
        User {
            id: new_id(IdPrefix::User),
            workspace_id: invitation.workspace_id.clone(),
            role: invitation.role.as_str().to_owned(),
            first_name: first,
            last_name: last,
            email: invitation.email.clone(),
            password_hash: hash,
            is_email_verified: verified,
            auth_version: 1,
            created_at: now,
            updated_at: now,
        }
    }

    /// Accepts an invitation with a password: creates the user and signs them in.
    ///
    /// # Errors
    /// 401 `account.invalid_invitation_token`, 404 `account.invitation_not_found`, 409
    /// `account.invitation_already_accepted` / `account.user_already_exists` / `resource.conflict`,
    /// 403 `account.invitation_expired`.
    pub async fn accept_invitation(
        &self,
        token: &str,
        first_name: String,
        last_name: String,
        password: &str,
        client: &ClientInfo,
    ) -> Result<LoginResult, DomainError> {
        let record: InvitationTokenRecord =
            tokens::read(&*self.deps.cache, TokenKind::Invitation, token)
                .await
                .ok_or_else(error::invalid_invitation_token)?;
        let invitation = self.acceptable_invitation(&record).await?;
        let hash = self.deps.hasher.hash(password.to_owned()).await?;
        let user = self.invited_user(&invitation, first_name, last_name, hash, true);
        self.join(invitation, user, token, client).await
    }

    /// Accepts an invitation with Google: the Google email must be the invited one.
    ///
    /// # Errors
    /// 500 `account.operation_failed` when the exchange fails (checked first), then as
    /// [`AccountService::accept_invitation`], and 403 `account.email_mismatch`.
    pub async fn accept_invitation_with_google(
        &self,
        token: &str,
        code: &str,
        client: &ClientInfo,
    ) -> Result<LoginResult, DomainError> {
        let GoogleProfile {
            email,
            given_name,
            family_name,
            verified_email,
            ..
        } = self.deps.google.exchange(code).await?;
        let record: InvitationTokenRecord =
            tokens::read(&*self.deps.cache, TokenKind::Invitation, token)
                .await
                .ok_or_else(error::invalid_invitation_token)?;
        if email != record.email {
            return Err(error::email_mismatch());
        }
        let invitation = self.acceptable_invitation(&record).await?;
        let user = self.invited_user(
            &invitation,
            given_name,
            family_name,
            String::new(),
            verified_email,
        );
        self.join(invitation, user, token, client).await
    }

    // ---- bootstrap ------------------------------------------------------------------------

    /// Creates a workspace with its owner (an admin) in one transaction, joining the caller's
    /// transaction when `store` is one (onboarding completion, seeding).
    ///
    /// # Errors
    /// 409 `onboarding.email_already_registered` when the email is taken.
    pub async fn bootstrap_workspace(
        &self,
        store: &dyn Store,
        owner: NewOwner,
    ) -> Result<(Workspace, User), DomainError> {
        let now = self.now();
        atomic(store, TxOptions::default(), move |tx| {
            let owner = owner.clone();
            async move {
                if tx.users().find_user_by_email(&owner.email).await?.is_some() {
                    return Err(error::email_already_registered());
                }
                let mut workspace = Workspace {
                    id: new_id(IdPrefix::Workspace),
                    owner_id: String::new(),
                    stripe_customer_id: owner.stripe_customer_id.clone(),
                    stripe_payment_method_id: None,
                    created_at: now,
                    updated_at: now,
                };
                tx.workspaces().create_workspace(&workspace).await?;
                let user = User {
                    id: new_id(IdPrefix::User),
                    workspace_id: workspace.id.clone(),
                    role: Role::Admin.as_str().to_owned(),
                    first_name: owner.first_name.clone(),
                    last_name: owner.last_name.clone(),
                    email: owner.email.clone(),
                    password_hash: owner.password_hash.clone(),
                    is_email_verified: owner.email_verified,
                    auth_version: 1,
                    created_at: now,
                    updated_at: now,
                };
                tx.users()
                    .create_user(&user)
                    .await
                    .map_err(|err| match err {
                        RepoError::Conflict(_) => error::email_already_registered(),
                        other => other.into(),
                    })?;
                workspace.owner_id = user.id.clone();
                tx.workspaces().update_workspace(&workspace).await?;
                Ok((workspace, user))
            }
            .boxed()
        })
        .await
    }

    /// Hashes a password with the configured hasher (bootstrap callers hash before the
    /// transaction, since hashing is slow).
    ///
    /// # Errors
    /// 500 when the hasher fails.
    pub async fn hash_password(&self, password: &str) -> Result<String, DomainError> {
        self.deps.hasher.hash(password.to_owned()).await
    }

    /// The store the service runs on.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.deps.store
    }
}

/// The owner of a new workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOwner {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub password_hash: String,
    pub email_verified: bool,
    pub stripe_customer_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_and_locations_follow_the_contract() {
        let chrome_mac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 Chrome/120 Safari/537.36";
        assert_eq!(device_from_user_agent(chrome_mac), "Chrome on macOS");
        assert_eq!(
            device_from_user_agent("Mozilla/5.0 (Windows NT 10.0) Firefox/121"),
            "Firefox on Windows"
        );
        assert_eq!(device_from_user_agent(""), "Unknown device");
        assert_eq!(
            device_from_user_agent("curl/8"),
            "Unknown browser on Unknown OS"
        );
        assert_eq!(location_from_ip("192.168.1.4"), "Local network");
        assert_eq!(location_from_ip("127.0.0.1"), "Local network");
        assert_eq!(location_from_ip("203.0.113.9"), "IP: 203.0.113.9");
        assert_eq!(location_from_ip(""), "Unknown location");
    }

    #[test]
    fn expiry_texts_round_up_and_are_at_least_one() {
        assert_eq!(
            expiry_text(Duration::from_secs(900), 3600, "hours"),
            "1 hours"
        );
        assert_eq!(
            expiry_text(Duration::from_secs(7201), 3600, "hours"),
            "3 hours"
        );
        assert_eq!(
            expiry_text(Duration::from_secs(604_800), 86_400, "days"),
            "7 days"
        );
        assert_eq!(expiry_text(Duration::ZERO, 86_400, "days"), "1 days");
    }

    #[test]
    fn email_dates_use_full_month_names_and_twelve_hour_times() {
        let at = DateTime::parse_from_rfc3339("2026-03-05T14:07:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(email_date(at), "March 5, 2026");
        assert_eq!(email_time(at), "2:07 PM UTC");
    }
}
