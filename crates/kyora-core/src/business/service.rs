//! Business use cases: validate → load → decide with the model's rules → persist.
//!
//! Permissions and the active-subscription gate are checked by the caller (the HTTP request
//! chain) before these run; the `maxBusinesses` limit is checked here, inside the creating
//! transaction, so concurrent creations cannot both slip under it.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};
use futures::FutureExt;

use super::error;
use super::model::{ArchiveAction, Business, BusinessChanges, NewBusiness, parse_descriptor};
use super::payment::{PaymentMethod, PaymentMethodChanges, PaymentMethodSettings, catalogue_entry};
use super::zone::{NewShippingZone, ShippingZone, ShippingZoneChanges};
use crate::billing::gates::{ActivePlan, BillingGates};
use crate::billing::model::Limit;
use crate::ports::{Cache, Store, TxOptions, atomic};
use crate::shared::actor::Actor;
use crate::shared::clock::Clock;
use crate::shared::error::{DomainError, RepoError};
use crate::shared::throttle::{self, ThrottleRule};

/// Everything the service runs on.
pub struct BusinessDeps {
    pub store: Arc<dyn Store>,
    /// Throttle state (spec 02 §4.14).
    pub cache: Arc<dyn Cache>,
    pub clock: Arc<dyn Clock>,
}

/// The business use cases. Cheap to clone.
#[derive(Clone)]
pub struct BusinessService {
    deps: Arc<BusinessDeps>,
}

/// `rl:shipping_zone:create:{businessId}:{userId}`: 60 a minute, 1 s apart.
pub const ZONE_CREATE_RULE: ThrottleRule = ThrottleRule {
    window: Duration::from_secs(60),
    max: 60,
    min_interval: Duration::from_secs(1),
};

/// `rl:shipping_zone:update:{businessId}:{userId}`: 120 a minute, 1 s apart.
pub const ZONE_UPDATE_RULE: ThrottleRule = ThrottleRule {
    window: Duration::from_secs(60),
    max: 120,
    min_interval: Duration::from_secs(1),
};

/// `rl:shipping_zone:delete:{businessId}:{userId}`: 60 a minute, 1 s apart.
pub const ZONE_DELETE_RULE: ThrottleRule = ThrottleRule {
    window: Duration::from_secs(60),
    max: 60,
    min_interval: Duration::from_secs(1),
};

/// `rl:payment_method:update:{businessId}:{userId}`: 120 a minute, 250 ms apart — on the
/// throttle's whole-second state, a second change within the same second is refused.
pub const PAYMENT_METHOD_UPDATE_RULE: ThrottleRule = ThrottleRule {
    window: Duration::from_secs(60),
    max: 120,
    min_interval: Duration::from_millis(250),
};

fn taken_descriptor(descriptor: &str) -> impl Fn(RepoError) -> DomainError + '_ {
    move |err| match err {
        RepoError::Conflict(_) => error::descriptor_taken(descriptor),
        other => other.into(),
    }
}

impl BusinessService {
    /// A service on `deps`.
    pub fn new(deps: BusinessDeps) -> Self {
        Self {
            deps: Arc::new(deps),
        }
    }

    /// The clock's time at microsecond precision, the finest both databases keep, so a value
    /// returned after a write equals the one read back later.
    fn now(&self) -> DateTime<Utc> {
        let now = self.deps.clock.now();
        now.trunc_subsecs(6)
    }

    fn store(&self) -> &dyn Store {
        &*self.deps.store
    }

    async fn throttle(&self, key: &str, rule: ThrottleRule) -> Result<(), DomainError> {
        if throttle::allow(&*self.deps.cache, key, rule, self.now()).await {
            Ok(())
        } else {
            Err(error::rate_limited())
        }
    }

    // ---- the resolver ---------------------------------------------------------------------

    /// The business of a business-scoped route (`/v1/businesses/{businessDescriptor}/…`): the
    /// path's descriptor is trimmed and lower-cased, then looked up among the actor's
    /// workspace's live businesses. Archived businesses resolve.
    ///
    /// # Errors
    /// 404 "business not found" with no code for a malformed, unknown or foreign descriptor;
    /// storage errors as they are.
    pub async fn resolve(
        &self,
        actor: &Actor,
        raw_descriptor: &str,
    ) -> Result<Business, DomainError> {
        let Ok(descriptor) = parse_descriptor(raw_descriptor) else {
            return Err(error::business_not_found());
        };
        self.store()
            .businesses()
            .find_business_by_descriptor(&actor.workspace_id, &descriptor)
            .await?
            .ok_or_else(error::business_not_found)
    }

    // ---- businesses -----------------------------------------------------------------------

    /// Every live business of the actor's workspace (archived included), oldest first.
    ///
    /// # Errors
    /// The storage error.
    pub async fn list(&self, actor: &Actor) -> Result<Vec<Business>, DomainError> {
        Ok(self
            .store()
            .businesses()
            .list_businesses(&actor.workspace_id)
            .await?)
    }

    /// The actor's business with the descriptor of a top-level route (archived included).
    ///
    /// # Errors
    /// 400 `business.descriptor_required` / `business.descriptor_invalid`, 404
    /// `resource.not_found`.
    pub async fn get(&self, actor: &Actor, raw_descriptor: &str) -> Result<Business, DomainError> {
        let descriptor = parse_descriptor(raw_descriptor)?;
        self.store()
            .businesses()
            .find_business_by_descriptor(&actor.workspace_id, &descriptor)
            .await?
            .ok_or_else(DomainError::not_found)
    }

    /// Whether no live business of the actor's workspace has the descriptor (other workspaces
    /// never matter).
    ///
    /// # Errors
    /// 400 "invalid query parameters" with no code when the value is missing or empty, then
    /// `business.descriptor_required` (blank) / `business.descriptor_invalid`.
    pub async fn is_descriptor_available(
        &self,
        actor: &Actor,
        raw_descriptor: Option<&str>,
    ) -> Result<bool, DomainError> {
        let raw = raw_descriptor
            .filter(|raw| !raw.is_empty())
            .ok_or_else(error::invalid_query_parameters)?;
        let descriptor = parse_descriptor(raw)?;
        Ok(self
            .store()
            .businesses()
            .find_business_by_descriptor(&actor.workspace_id, &descriptor)
            .await?
            .is_none())
    }

    /// The `maxBusinesses` gate: passes when one more live, non-archived business fits the plan.
    ///
    /// # Errors
    /// 403 `billing.feature_limit_reached`.
    pub async fn check_business_limit(
        &self,
        actor: &Actor,
        plan: &ActivePlan,
    ) -> Result<(), DomainError> {
        let usage = self
            .store()
            .businesses()
            .count_active_businesses(&actor.workspace_id)
            .await?;
        BillingGates::limit(plan, Limit::MaxBusinesses, usage)
    }

    /// Creates a business of the actor's workspace with its default shipping zone, under the
    /// plan's `maxBusinesses` limit (re-checked inside the transaction).
    ///
    /// # Errors
    /// As [`BusinessService::create_in`].
    pub async fn create(
        &self,
        actor: &Actor,
        plan: &ActivePlan,
        input: NewBusiness,
    ) -> Result<Business, DomainError> {
        let (business, _) = self
            .create_in(self.store(), &actor.workspace_id, input, Some(plan))
            .await?;
        Ok(business)
    }

    /// Creates a business and its default shipping zone (rule 4.3) in one serializable
    /// transaction on `store` (retried on serialization failures), joining the caller's
    /// transaction when `store` is one (onboarding, seeding). With `plan`, the workspace's
    /// `maxBusinesses` limit is checked inside the transaction.
    ///
    /// # Errors
    /// 400 `business.descriptor_required`, `business.descriptor_invalid`,
    /// `business.invalid_country_code`, `business.invalid_currency`; 403
    /// `billing.feature_limit_reached`; 409 `business.descriptor_taken` (also when the insert
    /// hits the unique index).
    pub async fn create_in(
        &self,
        store: &dyn Store,
        workspace_id: &str,
        input: NewBusiness,
        plan: Option<&ActivePlan>,
    ) -> Result<(Business, ShippingZone), DomainError> {
        let now = self.now();
        let business = Business::new(workspace_id, input, now)?;
        let zone = ShippingZone::default_for(&business, now);
        let plan = plan.cloned();
        atomic(store, TxOptions::serializable(), move |tx| {
            let business = business.clone();
            let zone = zone.clone();
            let plan = plan.clone();
            async move {
                let businesses = tx.businesses();
                if let Some(plan) = &plan {
                    let usage = businesses
                        .count_active_businesses(&business.workspace_id)
                        .await?;
                    BillingGates::limit(plan, Limit::MaxBusinesses, usage)?;
                }
                if businesses
                    .find_business_by_descriptor(&business.workspace_id, &business.descriptor)
                    .await?
                    .is_some()
                {
                    return Err(error::descriptor_taken(&business.descriptor));
                }
                businesses
                    .create_business(&business)
                    .await
                    .map_err(taken_descriptor(&business.descriptor))?;
                tx.shipping_zones().create_zone(&zone).await?;
                Ok((business, zone))
            }
            .boxed()
        })
        .await
    }

    /// Applies a PATCH to the actor's business (no billing gate). Changing the currency leaves
    /// the zones alone.
    ///
    /// # Errors
    /// 400 for a malformed path descriptor or a failing rule (see [`Business::apply`]), 404
    /// `resource.not_found`, 409 `business.descriptor_taken`.
    pub async fn update(
        &self,
        actor: &Actor,
        raw_descriptor: &str,
        changes: BusinessChanges,
    ) -> Result<Business, DomainError> {
        let mut business = self.get(actor, raw_descriptor).await?;
        let descriptor_changed = business.apply(changes, self.now())?;
        let businesses = self.store().businesses();
        if descriptor_changed
            && businesses
                .find_business_by_descriptor(&actor.workspace_id, &business.descriptor)
                .await?
                .is_some()
        {
            return Err(error::descriptor_taken(&business.descriptor));
        }
        businesses
            .update_business(&business)
            .await
            .map_err(taken_descriptor(&business.descriptor))?;
        Ok(business)
    }

    async fn transition(
        &self,
        actor: &Actor,
        raw_descriptor: &str,
        action: ArchiveAction,
    ) -> Result<(), DomainError> {
        let mut business = self.get(actor, raw_descriptor).await?;
        if business.transition(action, self.now()) {
            self.store().businesses().update_business(&business).await?;
        }
        Ok(())
    }

    /// Archives the actor's business; an archived one keeps its original time.
    ///
    /// # Errors
    /// 400 for a malformed descriptor, 404 `resource.not_found`.
    pub async fn archive(&self, actor: &Actor, raw_descriptor: &str) -> Result<(), DomainError> {
        self.transition(actor, raw_descriptor, ArchiveAction::Archive)
            .await
    }

    /// Unarchives the actor's business (no plan-limit check).
    ///
    /// # Errors
    /// 400 for a malformed descriptor, 404 `resource.not_found`.
    pub async fn unarchive(&self, actor: &Actor, raw_descriptor: &str) -> Result<(), DomainError> {
        self.transition(actor, raw_descriptor, ArchiveAction::Unarchive)
            .await
    }

    /// Soft-deletes the actor's business only (zones, customers and the rest stay); its
    /// descriptor becomes free again.
    ///
    /// # Errors
    /// 400 for a malformed descriptor, 404 `resource.not_found`.
    pub async fn delete(&self, actor: &Actor, raw_descriptor: &str) -> Result<(), DomainError> {
        let business = self.get(actor, raw_descriptor).await?;
        self.store()
            .businesses()
            .delete_business(&actor.workspace_id, &business.id, self.now())
            .await?;
        Ok(())
    }

    // ---- shipping zones -------------------------------------------------------------------

    /// The business's zones by name.
    ///
    /// # Errors
    /// The storage error.
    pub async fn zones(&self, business: &Business) -> Result<Vec<ShippingZone>, DomainError> {
        Ok(self
            .store()
            .shipping_zones()
            .list_zones(&business.id)
            .await?)
    }

    /// One zone of the business.
    ///
    /// # Errors
    /// 404 `business.shipping_zone_not_found` (also for another business's zone).
    pub async fn zone(
        &self,
        business: &Business,
        zone_id: &str,
    ) -> Result<ShippingZone, DomainError> {
        self.store()
            .shipping_zones()
            .find_zone(&business.id, zone_id)
            .await?
            .ok_or_else(|| error::shipping_zone_not_found(zone_id))
    }

    /// Creates a zone in the business's currency.
    ///
    /// # Errors
    /// 429 `business.rate_limited`, then the rules of [`ShippingZone::new`], then 409
    /// `business.shipping_zone_name_taken`.
    pub async fn create_zone(
        &self,
        actor: &Actor,
        business: &Business,
        input: NewShippingZone,
    ) -> Result<ShippingZone, DomainError> {
        let key = format!("rl:shipping_zone:create:{}:{}", business.id, actor.user_id);
        self.throttle(&key, ZONE_CREATE_RULE).await?;
        let zone = ShippingZone::new(business, input, self.now())?;
        self.store()
            .shipping_zones()
            .create_zone(&zone)
            .await
            .map_err(|err| match err {
                RepoError::Conflict(_) => error::shipping_zone_name_taken(&zone.name),
                other => other.into(),
            })?;
        Ok(zone)
    }

    /// Applies a PATCH to a zone; its currency becomes the business's current one.
    ///
    /// # Errors
    /// 429 `business.rate_limited`, 404 `business.shipping_zone_not_found`, the rules of
    /// [`ShippingZone::apply`], 409 `business.shipping_zone_name_taken`.
    pub async fn update_zone(
        &self,
        actor: &Actor,
        business: &Business,
        zone_id: &str,
        changes: ShippingZoneChanges,
    ) -> Result<ShippingZone, DomainError> {
        let key = format!("rl:shipping_zone:update:{}:{}", business.id, actor.user_id);
        self.throttle(&key, ZONE_UPDATE_RULE).await?;
        let mut zone = self.zone(business, zone_id).await?;
        zone.apply(changes, &business.currency, self.now())?;
        self.store()
            .shipping_zones()
            .update_zone(&zone)
            .await
            .map_err(|err| match err {
                RepoError::Conflict(_) => error::shipping_zone_name_taken(&zone.name),
                RepoError::NotFound => error::shipping_zone_not_found(zone_id),
                other => other.into(),
            })?;
        Ok(zone)
    }

    /// Soft-deletes a zone of the business.
    ///
    /// # Errors
    /// 429 `business.rate_limited`, 404 `business.shipping_zone_not_found`.
    pub async fn delete_zone(
        &self,
        actor: &Actor,
        business: &Business,
        zone_id: &str,
    ) -> Result<(), DomainError> {
        let key = format!("rl:shipping_zone:delete:{}:{}", business.id, actor.user_id);
        self.throttle(&key, ZONE_DELETE_RULE).await?;
        let zone = self.zone(business, zone_id).await?;
        self.store()
            .shipping_zones()
            .delete_zone(&business.id, &zone.id, self.now())
            .await
            .map_err(|err| match err {
                RepoError::NotFound => error::shipping_zone_not_found(zone_id),
                other => other.into(),
            })
    }

    // ---- payment methods ------------------------------------------------------------------

    /// The six catalogue methods with the business's settings merged, in catalogue order.
    ///
    /// # Errors
    /// The storage error.
    pub async fn payment_methods(
        &self,
        business: &Business,
    ) -> Result<Vec<PaymentMethod>, DomainError> {
        let settings = self
            .store()
            .payment_methods()
            .list_payment_settings(&business.id)
            .await?;
        Ok(PaymentMethod::all(&settings))
    }

    /// The effective configuration of one method (orders and accounting read it); `None` for a
    /// descriptor outside the catalogue.
    ///
    /// # Errors
    /// The storage error.
    pub async fn payment_method(
        &self,
        business_id: &str,
        descriptor: &str,
    ) -> Result<Option<PaymentMethod>, DomainError> {
        let Some(entry) = catalogue_entry(descriptor) else {
            return Ok(None);
        };
        let settings = self
            .store()
            .payment_methods()
            .find_payment_settings(business_id, entry.descriptor)
            .await?;
        Ok(Some(PaymentMethod::effective(entry, settings.as_ref())))
    }

    /// Changes the business's settings of one method, creating them from the catalogue's
    /// defaults on first use.
    ///
    /// # Errors
    /// 429 `business.rate_limited`; 400 with no code for a fee rule or an unknown descriptor
    /// (trimmed and lower-cased first).
    pub async fn update_payment_method(
        &self,
        actor: &Actor,
        business: &Business,
        raw_descriptor: &str,
        changes: PaymentMethodChanges,
    ) -> Result<PaymentMethod, DomainError> {
        let key = format!("rl:payment_method:update:{}:{}", business.id, actor.user_id);
        self.throttle(&key, PAYMENT_METHOD_UPDATE_RULE).await?;
        changes.check()?;
        let descriptor = raw_descriptor.trim().to_lowercase();
        let entry = catalogue_entry(&descriptor)
            .ok_or_else(|| error::invalid_payment_method(&descriptor))?;
        let repo = self.store().payment_methods();
        let now = self.now();
        let mut settings = repo
            .find_payment_settings(&business.id, entry.descriptor)
            .await?
            .unwrap_or_else(|| PaymentMethodSettings::from_defaults(&business.id, entry, now));
        settings.apply(&changes, now);
        let stored = repo.upsert_payment_settings(&settings).await?;
        Ok(PaymentMethod::effective(entry, Some(&stored)))
    }
}
