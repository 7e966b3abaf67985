//! The billing gates' repositories on [`Database`]: plans and subscriptions (spec 04 §2.1–2.4).
//!
//! The catalogue is upserted by descriptor with one `INSERT … ON CONFLICT (descriptor) WHERE
//! deleted_at IS NULL DO UPDATE` per plan (the conflict target repeats the partial unique
//! index's predicate), so running it at every start-up, even from several instances at once,
//! neither duplicates plans nor changes their ids, creation times or Stripe price ids.

use async_trait::async_trait;
use chrono::Utc;
use kyora_core::RepoError;
use kyora_core::billing::model::{CATALOGUE_CURRENCY, CATALOGUE_CYCLE, PlanSpec};
use kyora_core::billing::ports::{PlanRepository, SubscriptionRepository};
use kyora_core::billing::{Plan, Subscription};
use kyora_core::shared::id::{IdPrefix, new_id};
use kyora_core::shared::money::round_money;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::database::Database;
use crate::entities::{plan, subscription};
use crate::error::repo_error;
use crate::repo::{Query, create};

type Plans = Query<plan::Entity>;
type Subscriptions = Query<subscription::Entity>;

/// The row a catalogue entry inserts when its descriptor is new.
fn catalogue_row(spec: &PlanSpec) -> Result<plan::ActiveModel, RepoError> {
    let now = Utc::now();
    Ok(plan::ActiveModel {
        id: Set(new_id(IdPrefix::Plan)),
        descriptor: Set(spec.descriptor.to_owned()),
        name: Set(spec.name.to_owned()),
        description: Set(spec.description.to_owned()),
        stripe_plan_id: NotSet,
        price: Set(round_money(spec.price)),
        currency: Set(CATALOGUE_CURRENCY.to_owned()),
        billing_cycle: Set(CATALOGUE_CYCLE.to_owned()),
        features: Set(plan::to_json(&spec.features)?),
        limits: Set(plan::to_json(&spec.limits)?),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: NotSet,
    })
}

/// On a live plan with the same descriptor: overwrite the catalogue's columns, keep the rest.
fn on_descriptor_conflict() -> OnConflict {
    use plan::Column as C;
    OnConflict::column(C::Descriptor)
        .target_and_where(Expr::col(C::DeletedAt).is_null())
        .update_columns([
            C::Name,
            C::Description,
            C::Price,
            C::Currency,
            C::BillingCycle,
            C::Features,
            C::Limits,
            C::UpdatedAt,
        ])
        .to_owned()
}

#[async_trait]
impl PlanRepository for Database {
    async fn upsert_catalogue(&self, plans: &[PlanSpec]) -> Result<(), RepoError> {
        for spec in plans {
            plan::Entity::insert(catalogue_row(spec)?)
                .on_conflict(on_descriptor_conflict())
                .exec_without_returning(self)
                .await
                .map_err(repo_error)?;
        }
        Ok(())
    }

    async fn find_plan(&self, id: &str) -> Result<Option<Plan>, RepoError> {
        Plans::new()
            .find_by_id(self, id)
            .await?
            .map(Plan::try_from)
            .transpose()
    }

    async fn find_plan_by_descriptor(&self, descriptor: &str) -> Result<Option<Plan>, RepoError> {
        Plans::new()
            .equals(plan::Column::Descriptor, descriptor)
            .one(self)
            .await?
            .map(Plan::try_from)
            .transpose()
    }
}

#[async_trait]
impl SubscriptionRepository for Database {
    /// One statement: the workspace's live subscriptions left-joined with their plans, first by
    /// id. A subscription whose plan is missing or removed reads as none, like the in-memory
    /// store.
    async fn find_for_workspace(
        &self,
        workspace_id: &str,
    ) -> Result<Option<(Subscription, Plan)>, RepoError> {
        let row = Subscriptions::new()
            .workspace(workspace_id)
            .select(self.get_database_backend())
            .find_also_related(plan::Entity)
            .one(self)
            .await
            .map_err(repo_error)?;
        match row {
            Some((subscription, Some(plan))) if plan.deleted_at.is_none() => {
                Ok(Some((subscription.into(), plan.try_into()?)))
            }
            _ => Ok(None),
        }
    }

    async fn create_subscription(&self, subscription: &Subscription) -> Result<(), RepoError> {
        create(self, subscription::active(subscription))
            .await
            .map(drop)
    }
}
