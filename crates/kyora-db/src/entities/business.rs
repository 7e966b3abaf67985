//! `businesses` (spec 02 §2.1). `logo` and `storefront_theme` are JSON objects (`jsonb` on
//! PostgreSQL, JSON text on SQLite); `vat_rate` and `safety_buffer` are `numeric`, read back
//! normalised ([`stored_amount`]) so both backends return the same value.

use kyora_core::RepoError;
use kyora_core::business::{AssetReference, Business, StorefrontTheme};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::entity::prelude::*;

use crate::repo::{FieldMap, Table, WorkspaceScoped};

/// A `businesses` row.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "businesses")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub workspace_id: String,
    pub descriptor: String,
    pub name: String,
    pub brand: String,
    #[sea_orm(column_type = "JsonBinary", nullable)]
    pub logo: Option<Json>,
    pub country_code: String,
    pub currency: String,
    pub storefront_public_id: String,
    pub storefront_enabled: bool,
    #[sea_orm(column_type = "JsonBinary")]
    pub storefront_theme: Json,
    pub support_email: String,
    pub phone_number: String,
    pub whatsapp_number: String,
    pub address: String,
    pub website_url: String,
    pub instagram_url: String,
    pub facebook_url: String,
    pub tiktok_url: String,
    pub x_url: String,
    pub snapchat_url: String,
    #[sea_orm(column_type = "Decimal(None)")]
    pub vat_rate: Decimal,
    #[sea_orm(column_type = "Decimal(None)")]
    pub safety_buffer: Decimal,
    pub established_at: Date,
    pub archived_at: Option<DateTimeUtc>,
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
        ("descriptor", Column::Descriptor),
        ("name", Column::Name),
    ]);
}

impl WorkspaceScoped for Entity {
    const WORKSPACE_ID: Column = Column::WorkspaceId;
}

/// An amount as read back from either backend: SQLite keeps `numeric` as a floating-point
/// number, so values are taken at 10 fractional digits (far beyond any amount or rate the API
/// deals in) and normalised on both backends (`0.14`, `100.5`, `0`).
pub fn stored_amount(value: Decimal) -> Decimal {
    value.round_dp(10).normalize()
}

/// The JSON stored for `value`.
///
/// # Errors
/// [`RepoError::Other`] when it cannot be serialised (it always can for the core's structs).
pub fn to_json<T: serde::Serialize>(value: &T) -> Result<Json, RepoError> {
    serde_json::to_value(value).map_err(|err| RepoError::Other(format!("business JSON: {err}")))
}

fn from_json<T: serde::de::DeserializeOwned>(
    id: &str,
    column: &str,
    value: Json,
) -> Result<T, RepoError> {
    serde_json::from_value(value)
        .map_err(|err| RepoError::Other(format!("business {id}: unreadable {column}: {err}")))
}

impl TryFrom<Model> for Business {
    type Error = RepoError;

    fn try_from(row: Model) -> Result<Self, RepoError> {
        let logo: Option<AssetReference> = match row.logo {
            None | Some(Json::Null) => None,
            Some(value) => Some(from_json(&row.id, "logo", value)?),
        };
        let storefront_theme: StorefrontTheme = match row.storefront_theme {
            Json::Null => StorefrontTheme::default(),
            value => from_json(&row.id, "storefront_theme", value)?,
        };
        Ok(Self {
            id: row.id,
            workspace_id: row.workspace_id,
            descriptor: row.descriptor,
            name: row.name,
            brand: row.brand,
            logo,
            country_code: row.country_code,
            currency: row.currency,
            storefront_public_id: row.storefront_public_id,
            storefront_enabled: row.storefront_enabled,
            storefront_theme,
            support_email: row.support_email,
            phone_number: row.phone_number,
            whatsapp_number: row.whatsapp_number,
            address: row.address,
            website_url: row.website_url,
            instagram_url: row.instagram_url,
            facebook_url: row.facebook_url,
            tiktok_url: row.tiktok_url,
            x_url: row.x_url,
            snapchat_url: row.snapchat_url,
            vat_rate: stored_amount(row.vat_rate),
            safety_buffer: stored_amount(row.safety_buffer),
            established_at: row.established_at,
            archived_at: row.archived_at,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// Every column of `business` (a live row).
///
/// # Errors
/// [`RepoError::Other`] when the JSON columns cannot be built.
pub fn active(business: &Business) -> Result<ActiveModel, RepoError> {
    Ok(ActiveModel {
        id: Set(business.id.clone()),
        workspace_id: Set(business.workspace_id.clone()),
        descriptor: Set(business.descriptor.clone()),
        name: Set(business.name.clone()),
        brand: Set(business.brand.clone()),
        logo: Set(business.logo.as_ref().map(to_json).transpose()?),
        country_code: Set(business.country_code.clone()),
        currency: Set(business.currency.clone()),
        storefront_public_id: Set(business.storefront_public_id.clone()),
        storefront_enabled: Set(business.storefront_enabled),
        storefront_theme: Set(to_json(&business.storefront_theme)?),
        support_email: Set(business.support_email.clone()),
        phone_number: Set(business.phone_number.clone()),
        whatsapp_number: Set(business.whatsapp_number.clone()),
        address: Set(business.address.clone()),
        website_url: Set(business.website_url.clone()),
        instagram_url: Set(business.instagram_url.clone()),
        facebook_url: Set(business.facebook_url.clone()),
        tiktok_url: Set(business.tiktok_url.clone()),
        x_url: Set(business.x_url.clone()),
        snapchat_url: Set(business.snapchat_url.clone()),
        vat_rate: Set(business.vat_rate),
        safety_buffer: Set(business.safety_buffer),
        established_at: Set(business.established_at),
        archived_at: Set(business.archived_at),
        created_at: Set(business.created_at),
        updated_at: Set(business.updated_at),
        deleted_at: NotSet,
    })
}
