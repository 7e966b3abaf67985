//! The billing gates of spec 04 §3.9, applied after permissions, in the order active
//! subscription → plan feature → plan limit.

use std::sync::Arc;

use super::model::{Feature, Limit, Plan, Subscription, SubscriptionStatus, allows_one_more};
use crate::ports::Store;
use crate::shared::error::{DomainError, ErrorKind};

/// The subscription and plan an active-subscription gate let through; later gates read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivePlan {
    pub subscription: Subscription,
    pub plan: Plan,
}

/// 403 `billing.subscription_not_active`.
pub fn subscription_not_active() -> DomainError {
    DomainError::new(
        ErrorKind::Forbidden,
        "billing.subscription_not_active",
        "your subscription is not active. please renew your subscription",
    )
}

/// 403 `billing.feature_not_available` naming the feature.
pub fn feature_not_available(feature: Feature) -> DomainError {
    DomainError::new(
        ErrorKind::Forbidden,
        "billing.feature_not_available",
        format!(
            "your plan does not include this feature: {}",
            feature.path()
        ),
    )
    .with_extension("feature", feature.path())
}

/// 403 `billing.feature_limit_reached` naming the limit and its value.
pub fn feature_limit_reached(limit: Limit, value: i64) -> DomainError {
    DomainError::new(
        ErrorKind::Forbidden,
        "billing.feature_limit_reached",
        format!(
            "you have reached the maximum limit for this feature: {}",
            limit.path()
        ),
    )
    .with_extension("feature", limit.path())
    .with_extension("limit", value)
}

/// The gates, on the store.
#[derive(Clone)]
pub struct BillingGates {
    store: Arc<dyn Store>,
}

impl BillingGates {
    /// Gates reading `store`.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    /// Loads the workspace's subscription and passes when it is `active` or `trialing`.
    ///
    /// # Errors
    /// 403 `billing.subscription_not_active` when there is none or it is in any other status.
    pub async fn active_subscription(&self, workspace_id: &str) -> Result<ActivePlan, DomainError> {
        let found = self
            .store
            .subscriptions()
            .find_for_workspace(workspace_id)
            .await?;
        match found {
            Some((subscription, plan))
                if SubscriptionStatus::parse(&subscription.status)
                    .is_some_and(SubscriptionStatus::passes_gate) =>
            {
                Ok(ActivePlan { subscription, plan })
            }
            _ => Err(subscription_not_active()),
        }
    }

    /// Passes when the plan includes `feature`.
    ///
    /// # Errors
    /// 403 `billing.feature_not_available`.
    pub fn feature(active: &ActivePlan, feature: Feature) -> Result<(), DomainError> {
        if active.plan.features.has(feature) {
            Ok(())
        } else {
            Err(feature_not_available(feature))
        }
    }

    /// Passes when one more item fits under the plan's `limit` given `usage`.
    ///
    /// # Errors
    /// 403 `billing.feature_limit_reached`.
    pub fn limit(active: &ActivePlan, limit: Limit, usage: u64) -> Result<(), DomainError> {
        let value = active.plan.limits.of(limit);
        if allows_one_more(value, usage) {
            Ok(())
        } else {
            Err(feature_limit_reached(limit, value))
        }
    }
}
