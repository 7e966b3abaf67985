//! `business_payment_methods` (spec 02 §2.5): a business's settings for one catalogue method,
//! unique per (`business_id`, `descriptor`); rows are never deleted.

use kyora_core::business::PaymentMethodSettings;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::entity::prelude::*;

use super::business::stored_amount;
use crate::repo::{BusinessScoped, FieldMap, Table};

/// A `business_payment_methods` row.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "business_payment_methods")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub business_id: String,
    pub descriptor: String,
    pub enabled: bool,
    #[sea_orm(column_type = "Decimal(None)")]
    pub fee_percent: Decimal,
    #[sea_orm(column_type = "Decimal(None)")]
    pub fee_fixed: Decimal,
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
        ("descriptor", Column::Descriptor),
    ]);
}

impl BusinessScoped for Entity {
    const BUSINESS_ID: Column = Column::BusinessId;
}

impl From<Model> for PaymentMethodSettings {
    fn from(row: Model) -> Self {
        Self {
            id: row.id,
            business_id: row.business_id,
            descriptor: row.descriptor,
            enabled: row.enabled,
            fee_percent: stored_amount(row.fee_percent),
            fee_fixed: stored_amount(row.fee_fixed),
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// Every column of `settings` (a live row).
pub fn active(settings: &PaymentMethodSettings) -> ActiveModel {
    ActiveModel {
        id: Set(settings.id.clone()),
        business_id: Set(settings.business_id.clone()),
        descriptor: Set(settings.descriptor.clone()),
        enabled: Set(settings.enabled),
        fee_percent: Set(settings.fee_percent),
        fee_fixed: Set(settings.fee_fixed),
        created_at: Set(settings.created_at),
        updated_at: Set(settings.updated_at),
        deleted_at: NotSet,
    }
}
