//! `shipping_zones` (spec 02 §2.4). `countries` is a JSON array of codes (`jsonb` on
//! PostgreSQL, JSON text on SQLite); amounts are `numeric`, read back normalised.

use kyora_core::RepoError;
use kyora_core::business::ShippingZone;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::entity::prelude::*;

use super::business::stored_amount;
use crate::repo::{BusinessScoped, FieldMap, Table};

/// A `shipping_zones` row.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "shipping_zones")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub business_id: String,
    pub name: String,
    #[sea_orm(column_type = "JsonBinary")]
    pub countries: Json,
    pub currency: String,
    #[sea_orm(column_type = "Decimal(None)")]
    pub shipping_cost: Decimal,
    #[sea_orm(column_type = "Decimal(None)")]
    pub free_shipping_threshold: Decimal,
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
        ("name", Column::Name),
    ]);
}

impl BusinessScoped for Entity {
    const BUSINESS_ID: Column = Column::BusinessId;
}

impl TryFrom<Model> for ShippingZone {
    type Error = RepoError;

    fn try_from(row: Model) -> Result<Self, RepoError> {
        let countries: Vec<String> = match row.countries {
            Json::Null => Vec::new(),
            value => serde_json::from_value(value).map_err(|err| {
                RepoError::Other(format!(
                    "shipping zone {}: unreadable countries: {err}",
                    row.id
                ))
            })?,
        };
        Ok(Self {
            id: row.id,
            business_id: row.business_id,
            name: row.name,
            countries,
            currency: row.currency,
            shipping_cost: stored_amount(row.shipping_cost),
            free_shipping_threshold: stored_amount(row.free_shipping_threshold),
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// Every column of `zone` (a live row).
pub fn active(zone: &ShippingZone) -> ActiveModel {
    ActiveModel {
        id: Set(zone.id.clone()),
        business_id: Set(zone.business_id.clone()),
        name: Set(zone.name.clone()),
        countries: Set(Json::from(zone.countries.clone())),
        currency: Set(zone.currency.clone()),
        shipping_cost: Set(zone.shipping_cost),
        free_shipping_threshold: Set(zone.free_shipping_threshold),
        created_at: Set(zone.created_at),
        updated_at: Set(zone.updated_at),
        deleted_at: NotSet,
    }
}
