//! `sessions` (spec 01 §2.3): refresh-token sessions; revoking one is a soft delete.

use kyora_core::account::Session;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::entity::prelude::*;

use crate::repo::{FieldMap, Table, WorkspaceScoped};

/// A `sessions` row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub user_id: String,
    pub workspace_id: String,
    pub token_hash: String,
    pub expires_at: DateTimeUtc,
    pub created_ip: String,
    pub user_agent: String,
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
        ("expiresAt", Column::ExpiresAt),
    ]);
}

impl WorkspaceScoped for Entity {
    const WORKSPACE_ID: Column = Column::WorkspaceId;
}

impl From<Model> for Session {
    fn from(row: Model) -> Self {
        Self {
            id: row.id,
            user_id: row.user_id,
            workspace_id: row.workspace_id,
            token_hash: row.token_hash,
            expires_at: row.expires_at,
            created_ip: row.created_ip,
            user_agent: row.user_agent,
            created_at: row.created_at,
        }
    }
}

/// Every column of a new `session`; `updated_at` starts at its creation time.
pub fn active(session: &Session) -> ActiveModel {
    ActiveModel {
        id: Set(session.id.clone()),
        user_id: Set(session.user_id.clone()),
        workspace_id: Set(session.workspace_id.clone()),
        token_hash: Set(session.token_hash.clone()),
        expires_at: Set(session.expires_at),
        created_ip: Set(session.created_ip.clone()),
        user_agent: Set(session.user_agent.clone()),
        created_at: Set(session.created_at),
        updated_at: Set(session.created_at),
        deleted_at: NotSet,
    }
}
