//! `customer_notes` (spec 02 §2.8).

use kyora_core::customer::CustomerNote;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::entity::prelude::*;

use crate::repo::{FieldMap, Table};

/// A `customer_notes` row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customer_notes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub customer_id: String,
    pub content: String,
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

impl From<Model> for CustomerNote {
    fn from(row: Model) -> Self {
        Self {
            id: row.id,
            customer_id: row.customer_id,
            content: row.content,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// Every column of `note` (a live row).
pub fn active(note: &CustomerNote) -> ActiveModel {
    ActiveModel {
        id: Set(note.id.clone()),
        customer_id: Set(note.customer_id.clone()),
        content: Set(note.content.clone()),
        created_at: Set(note.created_at),
        updated_at: Set(note.updated_at),
        deleted_at: NotSet,
    }
}
