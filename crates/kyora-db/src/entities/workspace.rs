//! `workspaces` (spec 01 §2.1, spec 04 §2.7).

use kyora_core::account::Workspace;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::entity::prelude::*;

use crate::repo::{FieldMap, Table};

/// A `workspaces` row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "workspaces")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub owner_id: String,
    pub stripe_customer_id: Option<String>,
    pub stripe_payment_method_id: Option<String>,
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
    ]);
}

impl From<Model> for Workspace {
    fn from(row: Model) -> Self {
        Self {
            id: row.id,
            owner_id: row.owner_id,
            stripe_customer_id: row.stripe_customer_id,
            stripe_payment_method_id: row.stripe_payment_method_id,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// Every column of `workspace` (a live row).
pub fn active(workspace: &Workspace) -> ActiveModel {
    ActiveModel {
        id: Set(workspace.id.clone()),
        owner_id: Set(workspace.owner_id.clone()),
        stripe_customer_id: Set(workspace.stripe_customer_id.clone()),
        stripe_payment_method_id: Set(workspace.stripe_payment_method_id.clone()),
        created_at: Set(workspace.created_at),
        updated_at: Set(workspace.updated_at),
        deleted_at: NotSet,
    }
}
