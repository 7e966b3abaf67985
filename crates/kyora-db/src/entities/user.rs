//! `users` (spec 01 §2.2). The password hash lives in the `password` column.

use kyora_core::account::User;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::entity::prelude::*;

use crate::repo::{FieldMap, Table, WorkspaceScoped};

/// A `users` row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub workspace_id: String,
    /// Stored as text; values other than `user`/`admin` are kept as they are (they fail every
    /// permission check in the core).
    pub role: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// The password hash (empty for Google sign-ups).
    pub password: String,
    pub is_email_verified: bool,
    pub auth_version: i32,
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
        ("firstName", Column::FirstName),
        ("lastName", Column::LastName),
        ("role", Column::Role),
    ]);
}

impl WorkspaceScoped for Entity {
    const WORKSPACE_ID: Column = Column::WorkspaceId;
}

impl From<Model> for User {
    fn from(row: Model) -> Self {
        Self {
            id: row.id,
            workspace_id: row.workspace_id,
            role: row.role,
            first_name: row.first_name,
            last_name: row.last_name,
            email: row.email,
            password_hash: row.password,
            is_email_verified: row.is_email_verified,
            auth_version: row.auth_version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// Every column of `user` (a live row).
pub fn active(user: &User) -> ActiveModel {
    ActiveModel {
        id: Set(user.id.clone()),
        workspace_id: Set(user.workspace_id.clone()),
        role: Set(user.role.clone()),
        first_name: Set(user.first_name.clone()),
        last_name: Set(user.last_name.clone()),
        email: Set(user.email.clone()),
        password: Set(user.password_hash.clone()),
        is_email_verified: Set(user.is_email_verified),
        auth_version: Set(user.auth_version),
        created_at: Set(user.created_at),
        updated_at: Set(user.updated_at),
        deleted_at: NotSet,
    }
}
