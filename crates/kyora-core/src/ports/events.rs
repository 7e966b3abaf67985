//! The in-process event bus port (spec 01 §5.1): asynchronous publish/subscribe, not persisted.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use rust_decimal::Decimal;

/// An order became paid (emitted after commit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderPaymentSucceeded {
    pub business_id: String,
    pub order_id: String,
    pub payment_method: String,
    pub order_total: Decimal,
    pub currency: String,
    pub paid_at: DateTime<Utc>,
}

/// A Stripe checkout for an onboarding session completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnboardingPaymentSucceeded {
    pub onboarding_session_id: String,
    pub stripe_checkout_id: String,
    pub stripe_subscription_id: String,
}

/// The topics handlers subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    OrderPaymentSucceeded,
    OnboardingPaymentSucceeded,
}

impl Topic {
    /// The topic's name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::OrderPaymentSucceeded => "order_payment_succeeded",
            Self::OnboardingPaymentSucceeded => "onboarding_payment_succeeded",
        }
    }
}

/// An event with its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    OrderPaymentSucceeded(OrderPaymentSucceeded),
    OnboardingPaymentSucceeded(OnboardingPaymentSucceeded),
}

impl Event {
    /// The event's topic.
    pub const fn topic(&self) -> Topic {
        match self {
            Self::OrderPaymentSucceeded(_) => Topic::OrderPaymentSucceeded,
            Self::OnboardingPaymentSucceeded(_) => Topic::OnboardingPaymentSucceeded,
        }
    }
}

/// A subscriber: called once per event of its topic, sequentially.
pub type EventHandler = Arc<dyn Fn(Event) -> BoxFuture<'static, ()> + Send + Sync>;

/// Returned by [`EventBus::listen`]; dropping it keeps the subscription, [`Subscription::cancel`]
/// ends it.
pub struct Subscription {
    cancel: Option<Box<dyn FnOnce() + Send>>,
}

impl Subscription {
    /// Wraps the adapter's unsubscribe action.
    pub fn new(cancel: impl FnOnce() + Send + 'static) -> Self {
        Self {
            cancel: Some(Box::new(cancel)),
        }
    }

    /// Unsubscribes: the handler receives no event emitted afterwards.
    pub fn cancel(mut self) {
        if let Some(cancel) = self.cancel.take() {
            cancel();
        }
    }
}

impl fmt::Debug for Subscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription")
            .field("active", &self.cancel.is_some())
            .finish()
    }
}

/// Publish/subscribe between contexts.
#[async_trait]
pub trait EventBus: Send + Sync {
    /// Publishes `event` to the subscribers of its topic. Returns once the event is queued;
    /// handlers run in the background. Waits only when the bus buffer is full.
    async fn emit(&self, event: Event);

    /// Subscribes `handler` to `topic`.
    fn listen(&self, topic: Topic, handler: EventHandler) -> Subscription;

    /// Stops accepting events and waits for queued and running handlers to finish.
    async fn shutdown(&self);
}
