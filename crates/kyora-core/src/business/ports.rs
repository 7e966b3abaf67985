//! The repositories the business context needs. Every method is scoped by the workspace or the
//! business it names: another tenant's id reads as missing. Soft-deleted rows are invisible to
//! every read and write.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::model::Business;
use super::payment::PaymentMethodSettings;
use super::zone::ShippingZone;
use crate::shared::error::RepoError;

/// Businesses, always within one workspace.
#[async_trait]
pub trait BusinessRepository: Send + Sync {
    /// Stores a new business.
    ///
    /// # Errors
    /// `Conflict` when a live business of the workspace has the same descriptor (or, never in
    /// practice, the storefront id is taken).
    async fn create_business(&self, business: &Business) -> Result<(), RepoError>;

    /// The workspace's live business with this (normalised) descriptor.
    ///
    /// # Errors
    /// The storage error.
    async fn find_business_by_descriptor(
        &self,
        workspace_id: &str,
        descriptor: &str,
    ) -> Result<Option<Business>, RepoError>;

    /// The workspace's live business with this id.
    ///
    /// # Errors
    /// The storage error.
    async fn find_business(
        &self,
        workspace_id: &str,
        id: &str,
    ) -> Result<Option<Business>, RepoError>;

    /// Every live business of the workspace, archived ones included, oldest first then by id.
    ///
    /// # Errors
    /// The storage error.
    async fn list_businesses(&self, workspace_id: &str) -> Result<Vec<Business>, RepoError>;

    /// How many live, non-archived businesses the workspace has (the `maxBusinesses` usage).
    ///
    /// # Errors
    /// The storage error.
    async fn count_active_businesses(&self, workspace_id: &str) -> Result<u64, RepoError>;

    /// Saves every column of `business` but its id, workspace, storefront id and creation time
    /// (by id within its workspace).
    ///
    /// # Errors
    /// `NotFound` when it does not exist; `Conflict` when the descriptor is taken.
    async fn update_business(&self, business: &Business) -> Result<(), RepoError>;

    /// Soft-deletes a business of the workspace; its zones and other children stay.
    ///
    /// # Errors
    /// `NotFound` when it does not exist in the workspace.
    async fn delete_business(
        &self,
        workspace_id: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), RepoError>;
}

/// Shipping zones, always within one business.
#[async_trait]
pub trait ShippingZoneRepository: Send + Sync {
    /// Stores a new zone.
    ///
    /// # Errors
    /// `Conflict` when a live zone of the business has the same name.
    async fn create_zone(&self, zone: &ShippingZone) -> Result<(), RepoError>;

    /// The business's live zone with this id.
    ///
    /// # Errors
    /// The storage error.
    async fn find_zone(
        &self,
        business_id: &str,
        id: &str,
    ) -> Result<Option<ShippingZone>, RepoError>;

    /// Every live zone of the business by name (byte order), then id.
    ///
    /// # Errors
    /// The storage error.
    async fn list_zones(&self, business_id: &str) -> Result<Vec<ShippingZone>, RepoError>;

    /// Saves name, countries, currency, cost, threshold and update time (by id within its
    /// business).
    ///
    /// # Errors
    /// `NotFound` when it does not exist; `Conflict` when the name is taken.
    async fn update_zone(&self, zone: &ShippingZone) -> Result<(), RepoError>;

    /// Soft-deletes a zone of the business.
    ///
    /// # Errors
    /// `NotFound` when it does not exist in the business.
    async fn delete_zone(
        &self,
        business_id: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), RepoError>;
}

/// Per-business payment-method settings (one row per business and catalogue descriptor).
#[async_trait]
pub trait PaymentMethodRepository: Send + Sync {
    /// Every settings row of the business.
    ///
    /// # Errors
    /// The storage error.
    async fn list_payment_settings(
        &self,
        business_id: &str,
    ) -> Result<Vec<PaymentMethodSettings>, RepoError>;

    /// The business's settings for `descriptor`, if it has any.
    ///
    /// # Errors
    /// The storage error.
    async fn find_payment_settings(
        &self,
        business_id: &str,
        descriptor: &str,
    ) -> Result<Option<PaymentMethodSettings>, RepoError>;

    /// Inserts `settings`, or, when the business already has a row for its descriptor, updates
    /// that row's `enabled`, fees and update time (keeping its id and creation time). Returns
    /// the row as stored.
    ///
    /// # Errors
    /// The storage error.
    async fn upsert_payment_settings(
        &self,
        settings: &PaymentMethodSettings,
    ) -> Result<PaymentMethodSettings, RepoError>;
}
