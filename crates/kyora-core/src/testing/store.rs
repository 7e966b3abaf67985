use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;

use chrono::{DateTime, Utc};

use crate::account::model::{Invitation, InvitationStatus, Session, User, Workspace};
use crate::account::ports::{
    InvitationRepository, SessionRepository, UserRepository, WorkspaceRepository,
};
use crate::billing::model::{CATALOGUE_CURRENCY, CATALOGUE_CYCLE, Plan, PlanSpec, Subscription};
use crate::billing::ports::{PlanRepository, SubscriptionRepository};
use crate::business::ports::{BusinessRepository, PaymentMethodRepository, ShippingZoneRepository};
use crate::business::{Business, PaymentMethodSettings, ShippingZone};
use crate::customer::model::{Customer, CustomerAddress, CustomerNote};
use crate::customer::ports::{
    CustomerAddressRepository, CustomerNoteRepository, CustomerRepository,
};
use crate::ports::store::{ErasedOutput, ErasedWork, Store, TxOptions};
use crate::shared::error::{DomainError, RepoError};
use crate::shared::id::{IdPrefix, new_id};

/// Everything the in-memory store holds. Each context adds its tables as fields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MemoryState {
    /// A plain key/value table, used by the unit-of-work tests themselves.
    pub entries: BTreeMap<String, String>,
    /// Workspaces by id.
    pub workspaces: BTreeMap<String, Workspace>,
    /// Users by id, with their removal time.
    pub users: BTreeMap<String, (User, Option<DateTime<Utc>>)>,
    /// Sessions by id, with their revocation time.
    pub sessions: BTreeMap<String, (Session, Option<DateTime<Utc>>)>,
    /// Invitations by id.
    pub invitations: BTreeMap<String, Invitation>,
    /// Plans by id.
    pub plans: BTreeMap<String, Plan>,
    /// Subscriptions by id.
    pub subscriptions: BTreeMap<String, Subscription>,
    /// Businesses by id, with their deletion time.
    pub businesses: BTreeMap<String, (Business, Option<DateTime<Utc>>)>,
    /// Shipping zones by id, with their deletion time.
    pub shipping_zones: BTreeMap<String, (ShippingZone, Option<DateTime<Utc>>)>,
    /// Payment-method settings by id (never deleted).
    pub payment_settings: BTreeMap<String, PaymentMethodSettings>,
    /// Customers by id, with their deletion time.
    pub customers: BTreeMap<String, (Customer, Option<DateTime<Utc>>)>,
    /// Customer addresses by id, with their deletion time.
    pub customer_addresses: BTreeMap<String, (CustomerAddress, Option<DateTime<Utc>>)>,
    /// Customer notes by id, with their deletion time.
    pub customer_notes: BTreeMap<String, (CustomerNote, Option<DateTime<Utc>>)>,
}

#[derive(Debug, Default)]
struct Committed {
    version: u64,
    state: MemoryState,
}

/// An in-memory [`Store`] with real transactions: work runs on a private copy that replaces the
/// committed state on `Ok` (optimistically: a concurrent commit makes the transaction fail with a
/// serialization error, which [`atomic`](crate::ports::atomic) retries) and is dropped on `Err`.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    committed: Arc<Mutex<Committed>>,
    /// The transaction's working copy, when bound to one.
    working: Option<Arc<Mutex<MemoryState>>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl MemoryStore {
    /// Runs `f` on the state this store sees: the transaction's copy, or the committed state
    /// (a single-statement write on the pool, which commits at once).
    pub fn with_state<R>(&self, f: impl FnOnce(&mut MemoryState) -> R) -> R {
        match &self.working {
            Some(working) => f(&mut lock(working)),
            None => {
                let mut committed = lock(&self.committed);
                committed.version += 1;
                f(&mut committed.state)
            }
        }
    }

    /// A copy of the committed state.
    pub fn snapshot(&self) -> MemoryState {
        lock(&self.committed).state.clone()
    }

    async fn run_once(&self, work: &mut ErasedWork<'_>) -> Result<ErasedOutput, DomainError> {
        let (version, state) = {
            let committed = lock(&self.committed);
            (committed.version, committed.state.clone())
        };
        let tx = Self {
            committed: Arc::clone(&self.committed),
            working: Some(Arc::new(Mutex::new(state))),
        };
        let output = work(&tx).await?;
        let mut committed = lock(&self.committed);
        if committed.version != version {
            return Err(RepoError::Serialization("concurrent commit".into()).into());
        }
        if let Some(working) = &tx.working {
            committed.state = lock(working).clone();
        }
        committed.version += 1;
        Ok(output)
    }
}

#[async_trait]
impl Store for MemoryStore {
    async fn run_atomic(
        &self,
        options: TxOptions,
        mut work: ErasedWork<'_>,
    ) -> Result<ErasedOutput, DomainError> {
        if let Some(working) = &self.working {
            let savepoint = lock(working).clone();
            let result = work(self).await;
            if result.is_err() {
                *lock(working) = savepoint;
            }
            return result;
        }
        let mut tries = 0;
        loop {
            match self.run_once(&mut work).await {
                Err(err) if err.is_retryable() && tries < options.retries => tries += 1,
                other => return other,
            }
        }
    }

    fn in_transaction(&self) -> bool {
        self.working.is_some()
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn workspaces(&self) -> &dyn WorkspaceRepository {
        self
    }

    fn users(&self) -> &dyn UserRepository {
        self
    }

    fn sessions(&self) -> &dyn SessionRepository {
        self
    }

    fn invitations(&self) -> &dyn InvitationRepository {
        self
    }

    fn plans(&self) -> &dyn PlanRepository {
        self
    }

    fn subscriptions(&self) -> &dyn SubscriptionRepository {
        self
    }

    fn businesses(&self) -> &dyn BusinessRepository {
        self
    }

    fn shipping_zones(&self) -> &dyn ShippingZoneRepository {
        self
    }

    fn payment_methods(&self) -> &dyn PaymentMethodRepository {
        self
    }

    fn customers(&self) -> &dyn CustomerRepository {
        self
    }

    fn customer_addresses(&self) -> &dyn CustomerAddressRepository {
        self
    }

    fn customer_notes(&self) -> &dyn CustomerNoteRepository {
        self
    }

    async fn ping(&self) -> Result<(), RepoError> {
        Ok(())
    }
}

fn live_users(state: &MemoryState) -> impl Iterator<Item = &User> {
    state
        .users
        .values()
        .filter(|(_, removed)| removed.is_none())
        .map(|(user, _)| user)
}

#[async_trait]
impl WorkspaceRepository for MemoryStore {
    async fn create_workspace(&self, workspace: &Workspace) -> Result<(), RepoError> {
        self.with_state(|s| {
            s.workspaces.insert(workspace.id.clone(), workspace.clone());
        });
        Ok(())
    }

    async fn find_workspace(&self, id: &str) -> Result<Option<Workspace>, RepoError> {
        Ok(self.with_state(|s| s.workspaces.get(id).cloned()))
    }

    async fn update_workspace(&self, workspace: &Workspace) -> Result<(), RepoError> {
        self.with_state(|s| match s.workspaces.get_mut(&workspace.id) {
            Some(stored) => {
                *stored = workspace.clone();
                Ok(())
            }
            None => Err(RepoError::NotFound),
        })
    }
}

#[async_trait]
impl UserRepository for MemoryStore {
    async fn create_user(&self, user: &User) -> Result<(), RepoError> {
        self.with_state(|s| {
            if live_users(s).any(|u| u.email == user.email) {
                return Err(RepoError::Conflict("users_email".into()));
            }
            s.users.insert(user.id.clone(), (user.clone(), None));
            Ok(())
        })
    }

    async fn find_user(&self, id: &str) -> Result<Option<User>, RepoError> {
        Ok(self.with_state(|s| live_users(s).find(|u| u.id == id).cloned()))
    }

    async fn find_user_by_email(&self, email: &str) -> Result<Option<User>, RepoError> {
        Ok(self.with_state(|s| live_users(s).find(|u| u.email == email).cloned()))
    }

    async fn find_member(&self, workspace_id: &str, id: &str) -> Result<Option<User>, RepoError> {
        Ok(self.with_state(|s| {
            live_users(s)
                .find(|u| u.id == id && u.workspace_id == workspace_id)
                .cloned()
        }))
    }

    async fn find_member_by_email(
        &self,
        workspace_id: &str,
        email: &str,
    ) -> Result<Option<User>, RepoError> {
        Ok(self.with_state(|s| {
            live_users(s)
                .find(|u| u.email == email && u.workspace_id == workspace_id)
                .cloned()
        }))
    }

    async fn list_members(&self, workspace_id: &str) -> Result<Vec<User>, RepoError> {
        let mut users: Vec<User> = self.with_state(|s| {
            live_users(s)
                .filter(|u| u.workspace_id == workspace_id)
                .cloned()
                .collect()
        });
        users.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        Ok(users)
    }

    async fn count_members(&self, workspace_id: &str) -> Result<u64, RepoError> {
        Ok(self.with_state(|s| {
            live_users(s)
                .filter(|u| u.workspace_id == workspace_id)
                .count() as u64
        }))
    }

    async fn update_user(&self, user: &User) -> Result<(), RepoError> {
        self.with_state(|s| {
            if live_users(s).any(|u| u.email == user.email && u.id != user.id) {
                return Err(RepoError::Conflict("users_email".into()));
            }
            match s.users.get_mut(&user.id) {
                Some((stored, None)) if stored.workspace_id == user.workspace_id => {
                    *stored = user.clone();
                    Ok(())
                }
                _ => Err(RepoError::NotFound),
            }
        })
    }

    async fn remove_member(
        &self,
        workspace_id: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        self.with_state(|s| match s.users.get_mut(id) {
            Some((user, removed @ None)) if user.workspace_id == workspace_id => {
                *removed = Some(now);
                Ok(())
            }
            _ => Err(RepoError::NotFound),
        })
    }
}

#[async_trait]
impl SessionRepository for MemoryStore {
    async fn create_session(&self, session: &Session) -> Result<(), RepoError> {
        self.with_state(|s| {
            s.sessions
                .insert(session.id.clone(), (session.clone(), None));
        });
        Ok(())
    }

    async fn find_valid_session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Session>, RepoError> {
        Ok(self.with_state(|s| {
            s.sessions
                .values()
                .find(|(session, revoked)| {
                    revoked.is_none()
                        && session.token_hash == token_hash
                        && session.expires_at > now
                })
                .map(|(session, _)| session.clone())
        }))
    }

    async fn revoke_session(&self, id: &str, now: DateTime<Utc>) -> Result<bool, RepoError> {
        Ok(self.with_state(|s| match s.sessions.get_mut(id) {
            Some((_, revoked @ None)) => {
                *revoked = Some(now);
                true
            }
            _ => false,
        }))
    }

    async fn revoke_user_sessions(
        &self,
        user_id: &str,
        keep: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<u64, RepoError> {
        Ok(self.with_state(|s| {
            let mut count = 0;
            for (session, revoked) in s.sessions.values_mut() {
                if session.user_id == user_id
                    && revoked.is_none()
                    && Some(session.id.as_str()) != keep
                {
                    *revoked = Some(now);
                    count += 1;
                }
            }
            count
        }))
    }
}

#[async_trait]
impl InvitationRepository for MemoryStore {
    async fn create_invitation(&self, invitation: &Invitation) -> Result<(), RepoError> {
        self.with_state(|s| {
            s.invitations
                .insert(invitation.id.clone(), invitation.clone());
        });
        Ok(())
    }

    async fn find_invitation(
        &self,
        workspace_id: &str,
        id: &str,
    ) -> Result<Option<Invitation>, RepoError> {
        Ok(self.with_state(|s| {
            s.invitations
                .get(id)
                .filter(|inv| inv.workspace_id == workspace_id)
                .cloned()
        }))
    }

    async fn find_pending_invitation(
        &self,
        workspace_id: &str,
        email: &str,
    ) -> Result<Option<Invitation>, RepoError> {
        Ok(self.with_state(|s| {
            s.invitations
                .values()
                .find(|inv| {
                    inv.workspace_id == workspace_id
                        && inv.email == email
                        && inv.status == InvitationStatus::Pending
                })
                .cloned()
        }))
    }

    async fn list_invitations(
        &self,
        workspace_id: &str,
        status: Option<&str>,
    ) -> Result<Vec<Invitation>, RepoError> {
        let mut list: Vec<Invitation> = self.with_state(|s| {
            s.invitations
                .values()
                .filter(|inv| inv.workspace_id == workspace_id)
                .filter(|inv| status.is_none_or(|wanted| inv.status.as_str() == wanted))
                .cloned()
                .collect()
        });
        list.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        Ok(list)
    }

    async fn update_invitation(&self, invitation: &Invitation) -> Result<(), RepoError> {
        self.with_state(|s| match s.invitations.get_mut(&invitation.id) {
            Some(stored) if stored.workspace_id == invitation.workspace_id => {
                *stored = invitation.clone();
                Ok(())
            }
            _ => Err(RepoError::NotFound),
        })
    }
}

#[async_trait]
impl PlanRepository for MemoryStore {
    async fn upsert_catalogue(&self, plans: &[PlanSpec]) -> Result<(), RepoError> {
        let now = Utc::now();
        self.with_state(|s| {
            for spec in plans {
                let existing = s
                    .plans
                    .values()
                    .find(|p| p.descriptor == spec.descriptor)
                    .cloned();
                let plan = Plan {
                    id: existing
                        .as_ref()
                        .map_or_else(|| new_id(IdPrefix::Plan), |p| p.id.clone()),
                    descriptor: spec.descriptor.to_owned(),
                    name: spec.name.to_owned(),
                    description: spec.description.to_owned(),
                    stripe_plan_id: existing.as_ref().and_then(|p| p.stripe_plan_id.clone()),
                    price: spec.price,
                    currency: CATALOGUE_CURRENCY.to_owned(),
                    billing_cycle: CATALOGUE_CYCLE.to_owned(),
                    features: spec.features,
                    limits: spec.limits,
                    created_at: existing.as_ref().map_or(now, |p| p.created_at),
                    updated_at: now,
                };
                s.plans.insert(plan.id.clone(), plan);
            }
        });
        Ok(())
    }

    async fn find_plan(&self, id: &str) -> Result<Option<Plan>, RepoError> {
        Ok(self.with_state(|s| s.plans.get(id).cloned()))
    }

    async fn find_plan_by_descriptor(&self, descriptor: &str) -> Result<Option<Plan>, RepoError> {
        Ok(self.with_state(|s| {
            s.plans
                .values()
                .find(|p| p.descriptor == descriptor)
                .cloned()
        }))
    }
}

#[async_trait]
impl SubscriptionRepository for MemoryStore {
    async fn find_for_workspace(
        &self,
        workspace_id: &str,
    ) -> Result<Option<(Subscription, Plan)>, RepoError> {
        Ok(self.with_state(|s| {
            s.subscriptions
                .values()
                .find(|sub| sub.workspace_id == workspace_id)
                .and_then(|sub| {
                    s.plans
                        .get(&sub.plan_id)
                        .map(|plan| (sub.clone(), plan.clone()))
                })
        }))
    }

    async fn create_subscription(&self, subscription: &Subscription) -> Result<(), RepoError> {
        self.with_state(|s| {
            if s.subscriptions
                .values()
                .any(|other| other.stripe_sub_id == subscription.stripe_sub_id)
            {
                return Err(RepoError::Conflict("subscriptions_stripe_sub_id".into()));
            }
            s.subscriptions
                .insert(subscription.id.clone(), subscription.clone());
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::store::atomic;
    use crate::shared::error::ErrorKind;
    use futures::FutureExt;

    fn memory(store: &dyn Store) -> &MemoryStore {
        store
            .as_any()
            .downcast_ref::<MemoryStore>()
            .expect("a memory store")
    }

    fn put(store: &dyn Store, key: &str, value: &str) {
        memory(store).with_state(|s| s.entries.insert(key.into(), value.into()));
    }

    fn get(store: &dyn Store, key: &str) -> Option<String> {
        memory(store).with_state(|s| s.entries.get(key).cloned())
    }

    fn failure() -> DomainError {
        DomainError::new(ErrorKind::Conflict, "test.failed", "the work failed")
    }

    #[tokio::test]
    async fn work_commits_on_ok() {
        let store = MemoryStore::default();
        let out = atomic(&store, TxOptions::default(), |tx| {
            async move {
                put(tx, "a", "1");
                put(tx, "b", "2");
                Ok(7)
            }
            .boxed()
        })
        .await
        .unwrap();
        assert_eq!(out, 7);
        assert_eq!(store.snapshot().entries.len(), 2);
    }

    #[tokio::test]
    async fn work_rolls_back_every_write_on_err() {
        let store = MemoryStore::default();
        put(&store, "kept", "yes");
        let err = atomic(&store, TxOptions::default(), |tx| {
            async move {
                put(tx, "a", "1");
                Err::<(), _>(failure())
            }
            .boxed()
        })
        .await
        .unwrap_err();
        assert_eq!(err.code, "test.failed");
        assert_eq!(get(&store, "a"), None);
        assert_eq!(get(&store, "kept").as_deref(), Some("yes"));
    }

    #[tokio::test]
    async fn writes_are_invisible_outside_until_commit() {
        let store = MemoryStore::default();
        let outside = store.clone();
        atomic(&store, TxOptions::default(), move |tx| {
            let outside = outside.clone();
            async move {
                put(tx, "a", "1");
                assert_eq!(get(tx, "a").as_deref(), Some("1"));
                assert_eq!(outside.snapshot().entries.get("a"), None);
                Ok(())
            }
            .boxed()
        })
        .await
        .unwrap();
        assert_eq!(get(&store, "a").as_deref(), Some("1"));
    }

    #[tokio::test]
    async fn nested_work_joins_the_outer_transaction() {
        let store = MemoryStore::default();
        let outside = store.clone();
        let result = atomic(&store, TxOptions::default(), move |tx| {
            let outside = outside.clone();
            async move {
                assert!(tx.in_transaction());
                atomic(tx, TxOptions::default(), |inner| {
                    async move {
                        put(inner, "inner", "1");
                        Ok(())
                    }
                    .boxed()
                })
                .await?;
                // The inner commit did not commit the outer transaction.
                assert_eq!(outside.snapshot().entries.get("inner"), None);
                let failed = atomic(tx, TxOptions::default(), |inner| {
                    async move {
                        put(inner, "undone", "1");
                        Err::<(), _>(failure())
                    }
                    .boxed()
                })
                .await;
                assert!(failed.is_err());
                assert_eq!(get(tx, "undone"), None);
                assert_eq!(get(tx, "inner").as_deref(), Some("1"));
                Err::<(), _>(failure())
            }
            .boxed()
        })
        .await;
        assert!(result.is_err());
        assert!(store.snapshot().entries.is_empty());
    }

    #[tokio::test]
    async fn a_concurrent_commit_makes_the_work_run_again() {
        let store = MemoryStore::default();
        let interloper = store.clone();
        let runs = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
        let counter = std::sync::Arc::clone(&runs);
        atomic(&store, TxOptions::serializable(), move |tx| {
            let interloper = interloper.clone();
            let counter = std::sync::Arc::clone(&counter);
            async move {
                if counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
                    put(&interloper, "other", "1");
                }
                put(tx, "mine", "1");
                Ok(())
            }
            .boxed()
        })
        .await
        .unwrap();
        assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 2);
        let state = store.snapshot();
        assert_eq!(state.entries.len(), 2);
    }

    #[tokio::test]
    async fn retries_stop_after_the_configured_number() {
        let store = MemoryStore::default();
        let interloper = store.clone();
        let runs = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
        let counter = std::sync::Arc::clone(&runs);
        let options = TxOptions {
            retries: 2,
            ..TxOptions::serializable()
        };
        let err = atomic(&store, options, move |tx| {
            let interloper = interloper.clone();
            let counter = std::sync::Arc::clone(&counter);
            async move {
                counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                put(&interloper, "other", "1");
                put(tx, "mine", "1");
                Ok(())
            }
            .boxed()
        })
        .await
        .unwrap_err();
        assert!(err.is_retryable());
        assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 3);
        assert_eq!(get(&store, "mine"), None);
    }
}
