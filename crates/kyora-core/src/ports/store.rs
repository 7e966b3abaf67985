//! The unit-of-work port: repositories on the pool, or inside one transaction.
//!
//! A [`Store`] gives access to every repository (each domain adds its accessor). Multi-step writes
//! go through [`atomic`]: the work runs on a transaction-bound `Store`, commits on `Ok`, rolls
//! back on `Err`, and is re-run on serialization failures and deadlocks with jittered exponential
//! backoff. Calling [`atomic`] with a transaction-bound store joins that transaction (as a
//! savepoint: the inner work's failure undoes only the inner work; only the outermost call
//! commits).

use std::any::Any;
use std::time::Duration;

use async_trait::async_trait;
use futures::future::BoxFuture;

use crate::account::ports::{
    InvitationRepository, SessionRepository, UserRepository, WorkspaceRepository,
};
use crate::billing::ports::{PlanRepository, SubscriptionRepository};
use crate::business::ports::{BusinessRepository, PaymentMethodRepository, ShippingZoneRepository};
use crate::customer::ports::{
    CustomerAddressRepository, CustomerNoteRepository, CustomerRepository,
};
use crate::shared::error::{DomainError, RepoError};

/// Transaction isolation levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Isolation {
    /// The database's default (read committed on PostgreSQL).
    #[default]
    Default,
    /// Repeatable read.
    RepeatableRead,
    /// Serializable.
    Serializable,
}

/// How a transaction runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TxOptions {
    /// Isolation level of the outermost transaction.
    pub isolation: Isolation,
    /// A read-only transaction.
    pub read_only: bool,
    /// How many times the work is re-run after a serialization failure or deadlock.
    pub retries: u32,
}

impl Default for TxOptions {
    fn default() -> Self {
        Self {
            isolation: Isolation::Default,
            read_only: false,
            retries: 3,
        }
    }
}

impl TxOptions {
    /// Serializable, with the default retries.
    pub fn serializable() -> Self {
        Self {
            isolation: Isolation::Serializable,
            ..Self::default()
        }
    }

    /// The backoff before retry number `attempt` (1-based): 20 ms doubling, capped at 1 s, with
    /// full jitter (a uniformly random duration up to that bound).
    pub fn backoff(attempt: u32) -> Duration {
        let cap_ms = 20u64
            .saturating_mul(1u64 << attempt.saturating_sub(1).min(10))
            .min(1_000);
        Duration::from_millis(rand::random_range(0..=cap_ms))
    }
}

/// The type-erased result of transactional work.
pub type ErasedOutput = Box<dyn Any + Send>;

/// Transactional work with its output type erased, so [`Store`] stays object-safe.
pub type ErasedWork<'w> = Box<
    dyn for<'t> FnMut(&'t dyn Store) -> BoxFuture<'t, Result<ErasedOutput, DomainError>>
        + Send
        + 'w,
>;

/// Access to every repository, on the pool or inside a transaction.
#[async_trait]
pub trait Store: Send + Sync {
    /// Runs `work` atomically; see [`atomic`], the typed entry point.
    ///
    /// # Errors
    /// The work's error (after the transaction was rolled back), or a storage error.
    async fn run_atomic(
        &self,
        options: TxOptions,
        work: ErasedWork<'_>,
    ) -> Result<ErasedOutput, DomainError>;

    /// Whether this store is bound to an open transaction.
    fn in_transaction(&self) -> bool;

    /// The concrete store, so an adapter's own code (and its tests) can reach what lies behind
    /// the port, such as the transaction-bound connection.
    fn as_any(&self) -> &dyn Any;

    /// Workspaces.
    fn workspaces(&self) -> &dyn WorkspaceRepository;

    /// Users.
    fn users(&self) -> &dyn UserRepository;

    /// Refresh-token sessions.
    fn sessions(&self) -> &dyn SessionRepository;

    /// Workspace invitations.
    fn invitations(&self) -> &dyn InvitationRepository;

    /// Plans.
    fn plans(&self) -> &dyn PlanRepository;

    /// Subscriptions.
    fn subscriptions(&self) -> &dyn SubscriptionRepository;

    /// Businesses.
    fn businesses(&self) -> &dyn BusinessRepository;

    /// Shipping zones.
    fn shipping_zones(&self) -> &dyn ShippingZoneRepository;

    /// Per-business payment-method settings.
    fn payment_methods(&self) -> &dyn PaymentMethodRepository;

    /// Customers.
    fn customers(&self) -> &dyn CustomerRepository;

    /// Customer addresses.
    fn customer_addresses(&self) -> &dyn CustomerAddressRepository;

    /// Customer notes.
    fn customer_notes(&self) -> &dyn CustomerNoteRepository;

    /// Checks that the store answers (readiness probe).
    ///
    /// # Errors
    /// [`RepoError::Unavailable`] when it does not.
    async fn ping(&self) -> Result<(), RepoError>;
}

/// Runs `work` in one transaction on `store`: commit on `Ok`, roll back on `Err`.
///
/// `work` may run more than once (after serialization failures), so it must not have effects
/// outside the store; emails, events and network calls happen after this returns.
///
/// # Errors
/// The work's error, or the storage error that stopped the transaction.
pub async fn atomic<T, F>(
    store: &dyn Store,
    options: TxOptions,
    mut work: F,
) -> Result<T, DomainError>
where
    T: Send + 'static,
    F: for<'t> FnMut(&'t dyn Store) -> BoxFuture<'t, Result<T, DomainError>> + Send,
{
    let erased: ErasedWork<'_> = Box::new(move |tx| {
        let fut = work(tx);
        Box::pin(async move { fut.await.map(|out| Box::new(out) as ErasedOutput) })
    });
    let output = store.run_atomic(options, erased).await?;
    output
        .downcast::<T>()
        .map(|boxed| *boxed)
        .map_err(|_| DomainError::internal("unit of work returned an unexpected type"))
}
