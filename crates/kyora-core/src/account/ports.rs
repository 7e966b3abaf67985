//! The ports the account context needs: its repositories, password hashing, access tokens and
//! Google OAuth.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::model::{Invitation, Session, User, Workspace};
use crate::shared::error::{DomainError, RepoError};

/// Workspaces.
#[async_trait]
pub trait WorkspaceRepository: Send + Sync {
    /// Stores a new workspace.
    ///
    /// # Errors
    /// The storage error.
    async fn create_workspace(&self, workspace: &Workspace) -> Result<(), RepoError>;

    /// A workspace by id.
    ///
    /// # Errors
    /// The storage error.
    async fn find_workspace(&self, id: &str) -> Result<Option<Workspace>, RepoError>;

    /// Saves every column of `workspace` (by id).
    ///
    /// # Errors
    /// `NotFound` when it does not exist.
    async fn update_workspace(&self, workspace: &Workspace) -> Result<(), RepoError>;
}

/// Users. Every read ignores removed (soft-deleted) users.
#[async_trait]
pub trait UserRepository: Send + Sync {
    /// Stores a new user.
    ///
    /// # Errors
    /// `Conflict` when a live user has the same email.
    async fn create_user(&self, user: &User) -> Result<(), RepoError>;

    /// A user by id, whatever the workspace (the actor lookup).
    ///
    /// # Errors
    /// The storage error.
    async fn find_user(&self, id: &str) -> Result<Option<User>, RepoError>;

    /// A user by exact email, whatever the workspace.
    ///
    /// # Errors
    /// The storage error.
    async fn find_user_by_email(&self, email: &str) -> Result<Option<User>, RepoError>;

    /// A user of `workspace_id` by id; another workspace's user reads as none.
    ///
    /// # Errors
    /// The storage error.
    async fn find_member(&self, workspace_id: &str, id: &str) -> Result<Option<User>, RepoError>;

    /// A user of `workspace_id` by exact email.
    ///
    /// # Errors
    /// The storage error.
    async fn find_member_by_email(
        &self,
        workspace_id: &str,
        email: &str,
    ) -> Result<Option<User>, RepoError>;

    /// Every user of the workspace, oldest first.
    ///
    /// # Errors
    /// The storage error.
    async fn list_members(&self, workspace_id: &str) -> Result<Vec<User>, RepoError>;

    /// How many users the workspace has.
    ///
    /// # Errors
    /// The storage error.
    async fn count_members(&self, workspace_id: &str) -> Result<u64, RepoError>;

    /// Saves every column of `user` (by id within its workspace).
    ///
    /// # Errors
    /// `NotFound` when it does not exist.
    async fn update_user(&self, user: &User) -> Result<(), RepoError>;

    /// Removes (soft-deletes) a user of the workspace.
    ///
    /// # Errors
    /// `NotFound` when it does not exist in the workspace.
    async fn remove_member(
        &self,
        workspace_id: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), RepoError>;
}

/// Refresh-token sessions. Revoking is a soft delete; expired rows are never purged.
#[async_trait]
pub trait SessionRepository: Send + Sync {
    /// Stores a new session.
    ///
    /// # Errors
    /// The storage error.
    async fn create_session(&self, session: &Session) -> Result<(), RepoError>;

    /// The unrevoked session with this token hash that expires after `now`.
    ///
    /// # Errors
    /// The storage error.
    async fn find_valid_session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Session>, RepoError>;

    /// Revokes one session; `true` when a live one was revoked.
    ///
    /// # Errors
    /// The storage error.
    async fn revoke_session(&self, id: &str, now: DateTime<Utc>) -> Result<bool, RepoError>;

    /// Revokes every session of the user except `keep` (when given); returns how many.
    ///
    /// # Errors
    /// The storage error.
    async fn revoke_user_sessions(
        &self,
        user_id: &str,
        keep: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<u64, RepoError>;
}

/// Invitations, always within one workspace.
#[async_trait]
pub trait InvitationRepository: Send + Sync {
    /// Stores a new invitation.
    ///
    /// # Errors
    /// The storage error.
    async fn create_invitation(&self, invitation: &Invitation) -> Result<(), RepoError>;

    /// An invitation of the workspace by id.
    ///
    /// # Errors
    /// The storage error.
    async fn find_invitation(
        &self,
        workspace_id: &str,
        id: &str,
    ) -> Result<Option<Invitation>, RepoError>;

    /// The workspace's pending invitation for this exact email, if any.
    ///
    /// # Errors
    /// The storage error.
    async fn find_pending_invitation(
        &self,
        workspace_id: &str,
        email: &str,
    ) -> Result<Option<Invitation>, RepoError>;

    /// The workspace's invitations, oldest first, optionally only those whose stored status is
    /// exactly `status`.
    ///
    /// # Errors
    /// The storage error.
    async fn list_invitations(
        &self,
        workspace_id: &str,
        status: Option<&str>,
    ) -> Result<Vec<Invitation>, RepoError>;

    /// Saves status, acceptance time and update time.
    ///
    /// # Errors
    /// `NotFound` when it does not exist in its workspace.
    async fn update_invitation(&self, invitation: &Invitation) -> Result<(), RepoError>;
}

/// Outcome of checking a password against a stored hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordCheck {
    /// Wrong password, or no password stored.
    Mismatch,
    /// Right password, hash current.
    Match,
    /// Right password against a legacy (bcrypt) hash: store a new argon2id hash.
    MatchNeedsRehash,
}

/// Password hashing (argon2id; legacy bcrypt hashes still verify). Runs off the async runtime.
#[async_trait]
pub trait PasswordHasher: Send + Sync {
    /// Hashes a new password.
    ///
    /// # Errors
    /// 500 when the hasher fails.
    async fn hash(&self, password: String) -> Result<String, DomainError>;

    /// Checks `password` against `hash`; an empty hash never matches.
    ///
    /// # Errors
    /// 500 when the hasher fails (a malformed hash is a mismatch, not an error).
    async fn verify(&self, password: String, hash: String) -> Result<PasswordCheck, DomainError>;
}

/// The claims of an access token (spec 01 §4.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessClaims {
    pub user_id: String,
    pub workspace_id: String,
    pub auth_version: i32,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub jti: String,
}

/// Signs and verifies access tokens (HS256, algorithm pinned).
pub trait AccessTokens: Send + Sync {
    /// How long a new token lives.
    fn lifetime(&self) -> chrono::Duration;

    /// Signs `claims`.
    ///
    /// # Errors
    /// 500 `account.operation_failed` when no secret is configured.
    fn sign(&self, claims: &AccessClaims) -> Result<String, DomainError>;

    /// Verifies signature and time claims.
    ///
    /// # Errors
    /// 401 `auth.invalid_token` for a malformed, forged or expired token or no secret.
    fn verify(&self, token: &str) -> Result<AccessClaims, DomainError>;
}

/// What Google says about the signed-in account.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GoogleProfile {
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    pub name: String,
    pub verified_email: bool,
}

/// Google's OAuth endpoints.
#[async_trait]
pub trait GoogleOAuth: Send + Sync {
    /// The consent URL carrying `state`.
    ///
    /// # Errors
    /// 500 `account.operation_failed` when Google is not configured.
    fn authorization_url(&self, state: &str) -> Result<String, DomainError>;

    /// Exchanges an authorization code and reads the profile.
    ///
    /// # Errors
    /// 500 `account.operation_failed` when the exchange or the profile read fails, the profile has
    /// no email, or Google is not configured.
    async fn exchange(&self, code: &str) -> Result<GoogleProfile, DomainError>;
}

/// Runs fire-and-forget work (the login notification) without holding the response.
pub trait Spawner: Send + Sync {
    /// Starts `work` in the background.
    fn spawn(&self, work: futures::future::BoxFuture<'static, ()>);
}
