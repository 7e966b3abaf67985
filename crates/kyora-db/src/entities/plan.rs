//! `plans` (spec 04 §2.1–2.2). `features` and `limits` are JSON objects (`jsonb` on PostgreSQL,
//! JSON text on SQLite) read into the core's [`PlanFeatures`] and [`PlanLimits`].
//!
//! `price` is `decimal(10,2)`. SQLite keeps it as a floating-point number, so reads round it to
//! two places (half away from zero) and drop trailing zeros on both backends: the same stored
//! price reads as the same [`Decimal`] (`54.99`, `0`) whichever database holds it.

use kyora_core::RepoError;
use kyora_core::billing::{Plan, PlanFeatures, PlanLimits};
use kyora_core::shared::money::round_money;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::entity::prelude::*;

use crate::repo::{FieldMap, Table};

/// A `plans` row.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "plans")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub descriptor: String,
    pub name: String,
    pub description: String,
    pub stripe_plan_id: Option<String>,
    #[sea_orm(column_type = "Decimal(Some((10, 2)))")]
    pub price: Decimal,
    pub currency: String,
    pub billing_cycle: String,
    #[sea_orm(column_type = "JsonBinary")]
    pub features: Json,
    #[sea_orm(column_type = "JsonBinary")]
    pub limits: Json,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::subscription::Entity")]
    Subscriptions,
}

impl Related<super::subscription::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Subscriptions.def()
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
        ("descriptor", Column::Descriptor),
        ("name", Column::Name),
        ("price", Column::Price),
    ]);
}

/// A price as read back from either backend: two places, no trailing zeros.
pub fn stored_price(price: Decimal) -> Decimal {
    round_money(price).normalize()
}

/// The JSON stored for `value`.
///
/// # Errors
/// [`RepoError::Other`] when it cannot be serialised (it always can for the core's structs).
pub fn to_json<T: serde::Serialize>(value: &T) -> Result<Json, RepoError> {
    serde_json::to_value(value).map_err(|err| RepoError::Other(format!("plan JSON: {err}")))
}

fn from_json<T: serde::de::DeserializeOwned>(
    id: &str,
    column: &str,
    value: Json,
) -> Result<T, RepoError> {
    serde_json::from_value(value)
        .map_err(|err| RepoError::Other(format!("plan {id}: unreadable {column}: {err}")))
}

impl TryFrom<Model> for Plan {
    type Error = RepoError;

    fn try_from(row: Model) -> Result<Self, RepoError> {
        let features: PlanFeatures = from_json(&row.id, "features", row.features)?;
        let limits: PlanLimits = from_json(&row.id, "limits", row.limits)?;
        Ok(Self {
            id: row.id,
            descriptor: row.descriptor,
            name: row.name,
            description: row.description,
            stripe_plan_id: row.stripe_plan_id,
            price: stored_price(row.price),
            currency: row.currency,
            billing_cycle: row.billing_cycle,
            features,
            limits,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// Every column of `plan` (a live row).
///
/// # Errors
/// As [`to_json`].
pub fn active(plan: &Plan) -> Result<ActiveModel, RepoError> {
    Ok(ActiveModel {
        id: Set(plan.id.clone()),
        descriptor: Set(plan.descriptor.clone()),
        name: Set(plan.name.clone()),
        description: Set(plan.description.clone()),
        stripe_plan_id: Set(plan.stripe_plan_id.clone()),
        price: Set(round_money(plan.price)),
        currency: Set(plan.currency.clone()),
        billing_cycle: Set(plan.billing_cycle.clone()),
        features: Set(to_json(&plan.features)?),
        limits: Set(to_json(&plan.limits)?),
        created_at: Set(plan.created_at),
        updated_at: Set(plan.updated_at),
        deleted_at: NotSet,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn prices_read_back_with_two_places_and_no_trailing_zeros() {
        let read = |raw: &str| stored_price(Decimal::from_str(raw).unwrap()).to_string();
        assert_eq!(read("54.99"), "54.99");
        assert_eq!(read("54.990000000000002"), "54.99");
        assert_eq!(read("0.00"), "0");
        assert_eq!(read("10.50"), "10.5");
        assert_eq!(read("0.005"), "0.01");
    }
}
