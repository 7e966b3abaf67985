//! The business context's repositories on [`MemoryStore`], with the semantics of the port docs
//! and of the SQL adapters: live rows only, tenant-scoped lookups, unique rules over live rows.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::store::{MemoryState, MemoryStore};
use crate::business::ports::{BusinessRepository, PaymentMethodRepository, ShippingZoneRepository};
use crate::business::{Business, PaymentMethodSettings, ShippingZone};
use crate::shared::error::RepoError;

fn live_businesses(state: &MemoryState) -> impl Iterator<Item = &Business> {
    state
        .businesses
        .values()
        .filter(|(_, deleted)| deleted.is_none())
        .map(|(business, _)| business)
}

fn live_zones(state: &MemoryState) -> impl Iterator<Item = &ShippingZone> {
    state
        .shipping_zones
        .values()
        .filter(|(_, deleted)| deleted.is_none())
        .map(|(zone, _)| zone)
}

#[async_trait]
impl BusinessRepository for MemoryStore {
    async fn create_business(&self, business: &Business) -> Result<(), RepoError> {
        self.with_state(|s| {
            if live_businesses(s).any(|b| {
                b.workspace_id == business.workspace_id && b.descriptor == business.descriptor
            }) {
                return Err(RepoError::Conflict("idx_workspace_id_descriptor".into()));
            }
            if s.businesses
                .values()
                .any(|(b, _)| b.storefront_public_id == business.storefront_public_id)
            {
                return Err(RepoError::Conflict(
                    "idx_businesses_storefront_public_id".into(),
                ));
            }
            s.businesses
                .insert(business.id.clone(), (business.clone(), None));
            Ok(())
        })
    }

    async fn find_business_by_descriptor(
        &self,
        workspace_id: &str,
        descriptor: &str,
    ) -> Result<Option<Business>, RepoError> {
        Ok(self.with_state(|s| {
            live_businesses(s)
                .find(|b| b.workspace_id == workspace_id && b.descriptor == descriptor)
                .cloned()
        }))
    }

    async fn find_business(
        &self,
        workspace_id: &str,
        id: &str,
    ) -> Result<Option<Business>, RepoError> {
        Ok(self.with_state(|s| {
            live_businesses(s)
                .find(|b| b.workspace_id == workspace_id && b.id == id)
                .cloned()
        }))
    }

    async fn list_businesses(&self, workspace_id: &str) -> Result<Vec<Business>, RepoError> {
        let mut list: Vec<Business> = self.with_state(|s| {
            live_businesses(s)
                .filter(|b| b.workspace_id == workspace_id)
                .cloned()
                .collect()
        });
        list.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        Ok(list)
    }

    async fn count_active_businesses(&self, workspace_id: &str) -> Result<u64, RepoError> {
        Ok(self.with_state(|s| {
            live_businesses(s)
                .filter(|b| b.workspace_id == workspace_id && b.archived_at.is_none())
                .count() as u64
        }))
    }

    async fn update_business(&self, business: &Business) -> Result<(), RepoError> {
        self.with_state(|s| {
            if live_businesses(s).any(|b| {
                b.workspace_id == business.workspace_id
                    && b.descriptor == business.descriptor
                    && b.id != business.id
            }) {
                return Err(RepoError::Conflict("idx_workspace_id_descriptor".into()));
            }
            match s.businesses.get_mut(&business.id) {
                Some((stored, None)) if stored.workspace_id == business.workspace_id => {
                    *stored = Business {
                        id: stored.id.clone(),
                        workspace_id: stored.workspace_id.clone(),
                        storefront_public_id: stored.storefront_public_id.clone(),
                        created_at: stored.created_at,
                        ..business.clone()
                    };
                    Ok(())
                }
                _ => Err(RepoError::NotFound),
            }
        })
    }

    async fn delete_business(
        &self,
        workspace_id: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        self.with_state(|s| match s.businesses.get_mut(id) {
            Some((business, deleted @ None)) if business.workspace_id == workspace_id => {
                business.updated_at = now;
                *deleted = Some(now);
                Ok(())
            }
            _ => Err(RepoError::NotFound),
        })
    }
}

#[async_trait]
impl ShippingZoneRepository for MemoryStore {
    async fn create_zone(&self, zone: &ShippingZone) -> Result<(), RepoError> {
        self.with_state(|s| {
            if live_zones(s).any(|z| z.business_id == zone.business_id && z.name == zone.name) {
                return Err(RepoError::Conflict(
                    "idx_shipping_zone_business_name".into(),
                ));
            }
            s.shipping_zones
                .insert(zone.id.clone(), (zone.clone(), None));
            Ok(())
        })
    }

    async fn find_zone(
        &self,
        business_id: &str,
        id: &str,
    ) -> Result<Option<ShippingZone>, RepoError> {
        Ok(self.with_state(|s| {
            live_zones(s)
                .find(|z| z.business_id == business_id && z.id == id)
                .cloned()
        }))
    }

    async fn list_zones(&self, business_id: &str) -> Result<Vec<ShippingZone>, RepoError> {
        let mut list: Vec<ShippingZone> = self.with_state(|s| {
            live_zones(s)
                .filter(|z| z.business_id == business_id)
                .cloned()
                .collect()
        });
        list.sort_by(|a, b| (a.name.as_bytes(), &a.id).cmp(&(b.name.as_bytes(), &b.id)));
        Ok(list)
    }

    async fn update_zone(&self, zone: &ShippingZone) -> Result<(), RepoError> {
        self.with_state(|s| {
            if live_zones(s).any(|z| {
                z.business_id == zone.business_id && z.name == zone.name && z.id != zone.id
            }) {
                return Err(RepoError::Conflict(
                    "idx_shipping_zone_business_name".into(),
                ));
            }
            match s.shipping_zones.get_mut(&zone.id) {
                Some((stored, None)) if stored.business_id == zone.business_id => {
                    stored.name.clone_from(&zone.name);
                    stored.countries.clone_from(&zone.countries);
                    stored.currency.clone_from(&zone.currency);
                    stored.shipping_cost = zone.shipping_cost;
                    stored.free_shipping_threshold = zone.free_shipping_threshold;
                    stored.updated_at = zone.updated_at;
                    Ok(())
                }
                _ => Err(RepoError::NotFound),
            }
        })
    }

    async fn delete_zone(
        &self,
        business_id: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        self.with_state(|s| match s.shipping_zones.get_mut(id) {
            Some((zone, deleted @ None)) if zone.business_id == business_id => {
                zone.updated_at = now;
                *deleted = Some(now);
                Ok(())
            }
            _ => Err(RepoError::NotFound),
        })
    }
}

#[async_trait]
impl PaymentMethodRepository for MemoryStore {
    async fn list_payment_settings(
        &self,
        business_id: &str,
    ) -> Result<Vec<PaymentMethodSettings>, RepoError> {
        let mut list: Vec<PaymentMethodSettings> = self.with_state(|s| {
            s.payment_settings
                .values()
                .filter(|p| p.business_id == business_id)
                .cloned()
                .collect()
        });
        list.sort_by(|a, b| a.descriptor.cmp(&b.descriptor));
        Ok(list)
    }

    async fn find_payment_settings(
        &self,
        business_id: &str,
        descriptor: &str,
    ) -> Result<Option<PaymentMethodSettings>, RepoError> {
        Ok(self.with_state(|s| {
            s.payment_settings
                .values()
                .find(|p| p.business_id == business_id && p.descriptor == descriptor)
                .cloned()
        }))
    }

    async fn upsert_payment_settings(
        &self,
        settings: &PaymentMethodSettings,
    ) -> Result<PaymentMethodSettings, RepoError> {
        Ok(self.with_state(|s| {
            let existing = s.payment_settings.values_mut().find(|p| {
                p.business_id == settings.business_id && p.descriptor == settings.descriptor
            });
            match existing {
                Some(stored) => {
                    stored.enabled = settings.enabled;
                    stored.fee_percent = settings.fee_percent;
                    stored.fee_fixed = settings.fee_fixed;
                    stored.updated_at = settings.updated_at;
                    stored.clone()
                }
                None => {
                    s.payment_settings
                        .insert(settings.id.clone(), settings.clone());
                    settings.clone()
                }
            }
        }))
    }
}
