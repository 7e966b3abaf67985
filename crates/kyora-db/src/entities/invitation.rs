//! `user_invitations` (spec 01 §2.4). Role and status are stored as text.
//!
//! Reading never fails on a stored value the core does not know: an unparsable status reads as
//! [`InvitationStatus::Expired`] (it can be neither accepted nor revoked, and `expired` is the
//! one status the server never sets itself), and an unparsable role reads as [`Role::User`] (the
//! least privileged). The stored text is left untouched, so a status filter still matches it
//! exactly.

use kyora_core::account::{Invitation, InvitationStatus};
use kyora_core::shared::actor::Role;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::entity::prelude::*;

use crate::repo::{FieldMap, Table, WorkspaceScoped};

/// A `user_invitations` row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "user_invitations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub workspace_id: String,
    pub email: String,
    pub role: String,
    pub inviter_id: String,
    pub status: String,
    pub accepted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Table for Entity {
    const ID: Column = Column::Id;
    const CREATED_AT: Column = Column::CreatedAt;
    const UPDATED_AT: Column = Column::UpdatedAt;
    const DELETED_AT: Column = Column::DeletedAt;
    const FIELDS: FieldMap<Column> = FieldMap::new(&[
        ("id", Column::Id),
        ("createdAt", Column::CreatedAt),
        ("updatedAt", Column::UpdatedAt),
        ("email", Column::Email),
        ("status", Column::Status),
    ]);
}

impl WorkspaceScoped for Entity {
    const WORKSPACE_ID: Column = Column::WorkspaceId;
}

/// The status stored as `raw`; unknown values read as `expired`.
pub fn status(raw: &str) -> InvitationStatus {
    InvitationStatus::parse(raw).unwrap_or(InvitationStatus::Expired)
}

/// The role stored as `raw`; unknown values read as `user`.
pub fn role(raw: &str) -> Role {
    Role::parse(raw).unwrap_or(Role::User)
}

impl From<Model> for Invitation {
    fn from(row: Model) -> Self {
        Self {
            role: role(&row.role),
            status: status(&row.status),
            id: row.id,
            workspace_id: row.workspace_id,
            email: row.email,
            inviter_id: row.inviter_id,
            accepted_at: row.accepted_at,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// Every column of `invitation` (a live row).
pub fn active(invitation: &Invitation) -> ActiveModel {
    ActiveModel {
        id: Set(invitation.id.clone()),
        workspace_id: Set(invitation.workspace_id.clone()),
        email: Set(invitation.email.clone()),
        role: Set(invitation.role.as_str().to_owned()),
        inviter_id: Set(invitation.inviter_id.clone()),
        status: Set(invitation.status.as_str().to_owned()),
        accepted_at: Set(invitation.accepted_at),
        created_at: Set(invitation.created_at),
        updated_at: Set(invitation.updated_at),
        deleted_at: NotSet,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_stored_statuses_read_as_expired_and_unknown_roles_as_user() {
        assert_eq!(status("pending"), InvitationStatus::Pending);
        assert_eq!(status("revoked"), InvitationStatus::Revoked);
        assert_eq!(status("cancelled"), InvitationStatus::Expired);
        assert_eq!(status(""), InvitationStatus::Expired);
        assert_eq!(role("admin"), Role::Admin);
        assert_eq!(role("owner"), Role::User);
        assert_eq!(role("ADMIN"), Role::User);
    }
}
