//! `customer_addresses` (spec 02 §2.7). `street` and `zip_code` are NULL when empty.

use kyora_core::customer::CustomerAddress;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::entity::prelude::*;

use crate::repo::{FieldMap, Table};

/// A `customer_addresses` row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customer_addresses")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub customer_id: String,
    pub country_code: String,
    pub state: String,
    pub city: String,
    pub street: Option<String>,
    pub phone_code: String,
    pub phone_number: String,
    pub zip_code: Option<String>,
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

impl From<Model> for CustomerAddress {
    fn from(row: Model) -> Self {
        Self {
            id: row.id,
            customer_id: row.customer_id,
            country_code: row.country_code,
            state: row.state,
            city: row.city,
            street: row.street,
            phone_code: row.phone_code,
            phone_number: row.phone_number,
            zip_code: row.zip_code,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// Every column of `address` (a live row).
pub fn active(address: &CustomerAddress) -> ActiveModel {
    ActiveModel {
        id: Set(address.id.clone()),
        customer_id: Set(address.customer_id.clone()),
        country_code: Set(address.country_code.clone()),
        state: Set(address.state.clone()),
        city: Set(address.city.clone()),
        street: Set(address.street.clone()),
        phone_code: Set(address.phone_code.clone()),
        phone_number: Set(address.phone_number.clone()),
        zip_code: Set(address.zip_code.clone()),
        created_at: Set(address.created_at),
        updated_at: Set(address.updated_at),
        deleted_at: NotSet,
    }
}
