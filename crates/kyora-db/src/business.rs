//! The business context's repositories on [`Database`]: businesses, shipping zones and
//! payment-method settings (spec 02 §2.1–2.5), with the semantics of the port docs and of
//! kyora-core's in-memory store.
//!
//! Every read excludes soft-deleted rows; businesses are scoped by workspace, zones and settings
//! by business, so another tenant's id reads as none. Descriptor and zone-name uniqueness is
//! enforced by partial unique indexes over live rows, so a duplicate becomes
//! [`RepoError::Conflict`] even under concurrency. Settings are upserted with one
//! `INSERT … ON CONFLICT (business_id, descriptor) DO UPDATE … RETURNING`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kyora_core::RepoError;
use kyora_core::business::ports::{
    BusinessRepository, PaymentMethodRepository, ShippingZoneRepository,
};
use kyora_core::business::{Business, PaymentMethodSettings, ShippingZone};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::entity::prelude::Json;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, Order, QueryOrder};

use crate::database::Database;
use crate::entities::{business, payment_method, shipping_zone};
use crate::error::repo_error;
use crate::repo::{Query, Scope, create};

type Businesses = Query<business::Entity>;
type Zones = Query<shipping_zone::Entity>;
type Settings = Query<payment_method::Entity>;

fn businesses(rows: Vec<business::Model>) -> Result<Vec<Business>, RepoError> {
    rows.into_iter().map(Business::try_from).collect()
}

#[async_trait]
impl BusinessRepository for Database {
    async fn create_business(&self, business: &Business) -> Result<(), RepoError> {
        create(self, business::active(business)?).await.map(drop)
    }

    async fn find_business_by_descriptor(
        &self,
        workspace_id: &str,
        descriptor: &str,
    ) -> Result<Option<Business>, RepoError> {
        Businesses::new()
            .workspace(workspace_id)
            .equals(business::Column::Descriptor, descriptor)
            .one(self)
            .await?
            .map(Business::try_from)
            .transpose()
    }

    async fn find_business(
        &self,
        workspace_id: &str,
        id: &str,
    ) -> Result<Option<Business>, RepoError> {
        Businesses::new()
            .workspace(workspace_id)
            .find_by_id(self, id)
            .await?
            .map(Business::try_from)
            .transpose()
    }

    /// Oldest first, then by id.
    async fn list_businesses(&self, workspace_id: &str) -> Result<Vec<Business>, RepoError> {
        businesses(
            Businesses::new()
                .workspace(workspace_id)
                .order_by(business::Column::CreatedAt, Order::Asc)
                .order_by(business::Column::Id, Order::Asc)
                .all(self)
                .await?,
        )
    }

    async fn count_active_businesses(&self, workspace_id: &str) -> Result<u64, RepoError> {
        Businesses::new()
            .workspace(workspace_id)
            .scope(Scope::is_null(business::Column::ArchivedAt))
            .count(self)
            .await
    }

    /// Every column but the id, the workspace, the storefront id and `created_at`; `updated_at`
    /// is the business's own.
    async fn update_business(&self, business: &Business) -> Result<(), RepoError> {
        let mut changes = business::active(business)?;
        changes.workspace_id = NotSet;
        changes.storefront_public_id = NotSet;
        Businesses::new()
            .workspace(&business.workspace_id)
            .update_by_id(self, &business.id, changes, business.updated_at)
            .await
            .map(drop)
    }

    async fn delete_business(
        &self,
        workspace_id: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        Businesses::new()
            .workspace(workspace_id)
            .soft_delete_by_id(self, id, now)
            .await
    }
}

#[async_trait]
impl ShippingZoneRepository for Database {
    async fn create_zone(&self, zone: &ShippingZone) -> Result<(), RepoError> {
        create(self, shipping_zone::active(zone)).await.map(drop)
    }

    async fn find_zone(
        &self,
        business_id: &str,
        id: &str,
    ) -> Result<Option<ShippingZone>, RepoError> {
        Zones::new()
            .business(business_id)
            .find_by_id(self, id)
            .await?
            .map(ShippingZone::try_from)
            .transpose()
    }

    /// By name (byte order on both backends: PostgreSQL compares with `COLLATE "C"`), then id.
    async fn list_zones(&self, business_id: &str) -> Result<Vec<ShippingZone>, RepoError> {
        let backend = self.get_database_backend();
        let by_name = match backend {
            DbBackend::Postgres => Expr::cust(r#""shipping_zones"."name" COLLATE "C""#),
            _ => Expr::cust(r#""shipping_zones"."name""#),
        };
        Zones::new()
            .business(business_id)
            .filtered(backend)
            .order_by(by_name, Order::Asc)
            .order_by(shipping_zone::Column::Id, Order::Asc)
            .all(self)
            .await
            .map_err(repo_error)?
            .into_iter()
            .map(ShippingZone::try_from)
            .collect()
    }

    /// Name, countries, currency and amounts; `updated_at` is the zone's own.
    async fn update_zone(&self, zone: &ShippingZone) -> Result<(), RepoError> {
        let changes = shipping_zone::ActiveModel {
            name: Set(zone.name.clone()),
            countries: Set(Json::from(zone.countries.clone())),
            currency: Set(zone.currency.clone()),
            shipping_cost: Set(zone.shipping_cost),
            free_shipping_threshold: Set(zone.free_shipping_threshold),
            ..Default::default()
        };
        Zones::new()
            .business(&zone.business_id)
            .update_by_id(self, &zone.id, changes, zone.updated_at)
            .await
            .map(drop)
    }

    async fn delete_zone(
        &self,
        business_id: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        Zones::new()
            .business(business_id)
            .soft_delete_by_id(self, id, now)
            .await
    }
}

#[async_trait]
impl PaymentMethodRepository for Database {
    async fn list_payment_settings(
        &self,
        business_id: &str,
    ) -> Result<Vec<PaymentMethodSettings>, RepoError> {
        Ok(Settings::new()
            .business(business_id)
            .order_by(payment_method::Column::Descriptor, Order::Asc)
            .all(self)
            .await?
            .into_iter()
            .map(PaymentMethodSettings::from)
            .collect())
    }

    async fn find_payment_settings(
        &self,
        business_id: &str,
        descriptor: &str,
    ) -> Result<Option<PaymentMethodSettings>, RepoError> {
        Ok(Settings::new()
            .business(business_id)
            .equals(payment_method::Column::Descriptor, descriptor)
            .one(self)
            .await?
            .map(PaymentMethodSettings::from))
    }

    async fn upsert_payment_settings(
        &self,
        settings: &PaymentMethodSettings,
    ) -> Result<PaymentMethodSettings, RepoError> {
        use payment_method::Column as C;
        let on_conflict = OnConflict::columns([C::BusinessId, C::Descriptor])
            .update_columns([C::Enabled, C::FeePercent, C::FeeFixed, C::UpdatedAt])
            .to_owned();
        payment_method::Entity::insert(payment_method::active(settings))
            .on_conflict(on_conflict)
            .exec_with_returning(self)
            .await
            .map(PaymentMethodSettings::from)
            .map_err(repo_error)
    }
}
