//! Repositories of the billing context.

use async_trait::async_trait;

use super::model::{Plan, PlanSpec, Subscription};
use crate::shared::error::RepoError;

/// Plans.
#[async_trait]
pub trait PlanRepository: Send + Sync {
    /// Inserts or updates each catalogue entry by descriptor (price, texts, features, limits);
    /// existing ids and Stripe price ids are kept.
    ///
    /// # Errors
    /// The storage error.
    async fn upsert_catalogue(&self, plans: &[PlanSpec]) -> Result<(), RepoError>;

    /// A plan by id.
    ///
    /// # Errors
    /// The storage error.
    async fn find_plan(&self, id: &str) -> Result<Option<Plan>, RepoError>;

    /// A plan by descriptor.
    ///
    /// # Errors
    /// The storage error.
    async fn find_plan_by_descriptor(&self, descriptor: &str) -> Result<Option<Plan>, RepoError>;
}

/// Subscriptions (one per workspace by convention).
#[async_trait]
pub trait SubscriptionRepository: Send + Sync {
    /// The workspace's subscription (the first by id when several exist) with its plan.
    ///
    /// # Errors
    /// The storage error.
    async fn find_for_workspace(
        &self,
        workspace_id: &str,
    ) -> Result<Option<(Subscription, Plan)>, RepoError>;

    /// Stores a new subscription.
    ///
    /// # Errors
    /// `Conflict` when the Stripe subscription id is taken.
    async fn create_subscription(&self, subscription: &Subscription) -> Result<(), RepoError>;
}
