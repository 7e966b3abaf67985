//! Billing: plans, subscriptions and the gates other contexts put in front of their routes
//! (spec 04 §2.1–2.4, §3.9). The Stripe-facing part arrives with the billing issue.
//!
//! Rule: a gate reads the workspace's subscription and plan; nothing here talks to Stripe.

pub mod gates;
pub mod model;
pub mod ports;

pub use gates::BillingGates;
pub use model::{Feature, Limit, Plan, PlanFeatures, PlanLimits, Subscription, SubscriptionStatus};
pub use ports::{PlanRepository, SubscriptionRepository};
