//! The account context's repositories on [`Database`]: workspaces, users, sessions and
//! invitations (spec 01 §2.1–2.4), with the semantics of the port docs and of kyora-core's
//! in-memory store.
//!
//! Every read excludes soft-deleted rows; member and invitation lookups are scoped by the
//! workspace, so another workspace's id reads as none; writes that must hit one row report
//! [`RepoError::NotFound`] when none matched. Revoking sessions is a single conditional
//! `UPDATE … WHERE deleted_at IS NULL`, so two concurrent revocations of one session cannot
//! both succeed (refresh-token rotation relies on it).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kyora_core::RepoError;
use kyora_core::account::ports::{
    InvitationRepository, SessionRepository, UserRepository, WorkspaceRepository,
};
use kyora_core::account::{Invitation, InvitationStatus, Session, User, Workspace};
use sea_orm::ActiveValue::Set;
use sea_orm::Order;

use crate::database::Database;
use crate::entities::{invitation, session, user, workspace};
use crate::repo::{Query, Scope, create};

type Workspaces = Query<workspace::Entity>;
type Users = Query<user::Entity>;
type Sessions = Query<session::Entity>;
type Invitations = Query<invitation::Entity>;

#[async_trait]
impl WorkspaceRepository for Database {
    async fn create_workspace(&self, workspace: &Workspace) -> Result<(), RepoError> {
        create(self, workspace::active(workspace)).await.map(drop)
    }

    async fn find_workspace(&self, id: &str) -> Result<Option<Workspace>, RepoError> {
        Ok(Workspaces::new()
            .find_by_id(self, id)
            .await?
            .map(Workspace::from))
    }

    async fn update_workspace(&self, workspace: &Workspace) -> Result<(), RepoError> {
        Workspaces::new()
            .update_by_id(
                self,
                &workspace.id,
                workspace::active(workspace),
                workspace.updated_at,
            )
            .await
            .map(drop)
    }
}

#[async_trait]
impl UserRepository for Database {
    /// The partial unique index on `users.email` turns a duplicate live email into
    /// [`RepoError::Conflict`], also under concurrency; a removed user's email is free again.
    async fn create_user(&self, user: &User) -> Result<(), RepoError> {
        create(self, user::active(user)).await.map(drop)
    }

    async fn find_user(&self, id: &str) -> Result<Option<User>, RepoError> {
        Ok(Users::new().find_by_id(self, id).await?.map(User::from))
    }

    async fn find_user_by_email(&self, email: &str) -> Result<Option<User>, RepoError> {
        Ok(Users::new()
            .equals(user::Column::Email, email)
            .one(self)
            .await?
            .map(User::from))
    }

    async fn find_member(&self, workspace_id: &str, id: &str) -> Result<Option<User>, RepoError> {
        Ok(Users::new()
            .workspace(workspace_id)
            .find_by_id(self, id)
            .await?
            .map(User::from))
    }

    async fn find_member_by_email(
        &self,
        workspace_id: &str,
        email: &str,
    ) -> Result<Option<User>, RepoError> {
        Ok(Users::new()
            .workspace(workspace_id)
            .equals(user::Column::Email, email)
            .one(self)
            .await?
            .map(User::from))
    }

    /// Oldest first; users created at the same instant in id order.
    async fn list_members(&self, workspace_id: &str) -> Result<Vec<User>, RepoError> {
        Ok(Users::new()
            .workspace(workspace_id)
            .order_by(user::Column::CreatedAt, Order::Asc)
            .order_by(user::Column::Id, Order::Asc)
            .all(self)
            .await?
            .into_iter()
            .map(User::from)
            .collect())
    }

    async fn count_members(&self, workspace_id: &str) -> Result<u64, RepoError> {
        Users::new().workspace(workspace_id).count(self).await
    }

    /// Every column but `created_at`; `updated_at` is the user's own.
    async fn update_user(&self, user: &User) -> Result<(), RepoError> {
        Users::new()
            .workspace(&user.workspace_id)
            .update_by_id(self, &user.id, user::active(user), user.updated_at)
            .await
            .map(drop)
    }

    async fn remove_member(
        &self,
        workspace_id: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        Users::new()
            .workspace(workspace_id)
            .soft_delete_by_id(self, id, now)
            .await
    }
}

#[async_trait]
impl SessionRepository for Database {
    async fn create_session(&self, session: &Session) -> Result<(), RepoError> {
        create(self, session::active(session)).await.map(drop)
    }

    async fn find_valid_session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Session>, RepoError> {
        Ok(Sessions::new()
            .equals(session::Column::TokenHash, token_hash)
            .scope(Scope::gt(session::Column::ExpiresAt, now))
            .one(self)
            .await?
            .map(Session::from))
    }

    /// `UPDATE sessions SET deleted_at = now, updated_at = now WHERE id = ? AND deleted_at IS
    /// NULL`: `true` only for the caller whose statement changed the row.
    async fn revoke_session(&self, id: &str, now: DateTime<Utc>) -> Result<bool, RepoError> {
        Ok(Sessions::new().id(id).soft_delete(self, now).await? > 0)
    }

    /// One `UPDATE` over the user's live sessions, `keep` excepted.
    async fn revoke_user_sessions(
        &self,
        user_id: &str,
        keep: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<u64, RepoError> {
        let mut sessions = Sessions::new().equals(session::Column::UserId, user_id);
        if let Some(keep) = keep {
            sessions = sessions.scope(Scope::not_equals(session::Column::Id, keep));
        }
        sessions.soft_delete(self, now).await
    }
}

#[async_trait]
impl InvitationRepository for Database {
    async fn create_invitation(&self, invitation: &Invitation) -> Result<(), RepoError> {
        create(self, invitation::active(invitation)).await.map(drop)
    }

    async fn find_invitation(
        &self,
        workspace_id: &str,
        id: &str,
    ) -> Result<Option<Invitation>, RepoError> {
        Ok(Invitations::new()
            .workspace(workspace_id)
            .find_by_id(self, id)
            .await?
            .map(Invitation::from))
    }

    /// The first by id when several are pending.
    async fn find_pending_invitation(
        &self,
        workspace_id: &str,
        email: &str,
    ) -> Result<Option<Invitation>, RepoError> {
        Ok(Invitations::new()
            .workspace(workspace_id)
            .equals(invitation::Column::Email, email)
            .equals(
                invitation::Column::Status,
                InvitationStatus::Pending.as_str(),
            )
            .one(self)
            .await?
            .map(Invitation::from))
    }

    /// Oldest first (then by id); `status` is compared with the stored text exactly.
    async fn list_invitations(
        &self,
        workspace_id: &str,
        status: Option<&str>,
    ) -> Result<Vec<Invitation>, RepoError> {
        let mut invitations = Invitations::new()
            .workspace(workspace_id)
            .order_by(invitation::Column::CreatedAt, Order::Asc)
            .order_by(invitation::Column::Id, Order::Asc);
        if let Some(status) = status {
            invitations = invitations.equals(invitation::Column::Status, status);
        }
        Ok(invitations
            .all(self)
            .await?
            .into_iter()
            .map(Invitation::from)
            .collect())
    }

    /// Writes `status`, `accepted_at` and `updated_at` only.
    async fn update_invitation(&self, invitation: &Invitation) -> Result<(), RepoError> {
        let changes = invitation::ActiveModel {
            status: Set(invitation.status.as_str().to_owned()),
            accepted_at: Set(invitation.accepted_at),
            ..Default::default()
        };
        Invitations::new()
            .workspace(&invitation.workspace_id)
            .update_by_id(self, &invitation.id, changes, invitation.updated_at)
            .await
            .map(drop)
    }
}
