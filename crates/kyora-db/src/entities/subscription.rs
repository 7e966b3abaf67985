//! `subscriptions` (spec 04 §2.4). `status` is stored as text and read as it is (an unknown
//! status never passes the subscription gate).

use kyora_core::billing::Subscription;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::entity::prelude::*;

use crate::repo::{FieldMap, Table, WorkspaceScoped};

/// A `subscriptions` row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "subscriptions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub workspace_id: String,
    pub plan_id: String,
    pub stripe_sub_id: String,
    pub current_period_end: DateTimeUtc,
    pub status: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::plan::Entity",
        from = "Column::PlanId",
        to = "super::plan::Column::Id"
    )]
    Plan,
}

impl Related<super::plan::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Plan.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

impl Table for Entity {
    const ID: Column = Column::Id;
    const CREATED_AT: Column = Column::CreatedAt;
    const UPDATED_AT: Column = Column::UpdatedAt;
    const DELETED_AT: Column = Column::DeletedAt;
    const FIELDS: FieldMap<Column> = FieldMap::new(&[
        ("id", Column::Id),
        ("createdAt", Column::CreatedAt),
        ("currentPeriodEnd", Column::CurrentPeriodEnd),
        ("status", Column::Status),
    ]);
}

impl WorkspaceScoped for Entity {
    const WORKSPACE_ID: Column = Column::WorkspaceId;
}

impl From<Model> for Subscription {
    fn from(row: Model) -> Self {
        Self {
            id: row.id,
            workspace_id: row.workspace_id,
            plan_id: row.plan_id,
            stripe_sub_id: row.stripe_sub_id,
            current_period_end: row.current_period_end,
            status: row.status,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// Every column of `subscription` (a live row).
pub fn active(subscription: &Subscription) -> ActiveModel {
    ActiveModel {
        id: Set(subscription.id.clone()),
        workspace_id: Set(subscription.workspace_id.clone()),
        plan_id: Set(subscription.plan_id.clone()),
        stripe_sub_id: Set(subscription.stripe_sub_id.clone()),
        current_period_end: Set(subscription.current_period_end),
        status: Set(subscription.status.clone()),
        created_at: Set(subscription.created_at),
        updated_at: Set(subscription.updated_at),
        deleted_at: NotSet,
    }
}
