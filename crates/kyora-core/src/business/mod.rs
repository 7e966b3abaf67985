//! Businesses, shipping zones and payment methods (spec 02 §2.1–2.5, §3.1–3.3, §4.1–4.6).
//!
//! Rule: every read and write is scoped by the actor's workspace (businesses) or by a business
//! already resolved in it (zones, payment methods); another tenant's id behaves exactly like a
//! missing one. Businesses are created with their default shipping zone in one serializable
//! transaction. Deletes are soft; unique rules ignore deleted rows.

pub mod error;
pub mod model;
pub mod payment;
pub mod ports;
pub mod service;
pub mod zone;

#[cfg(test)]
#[cfg(feature = "testing")]
mod tests;

pub use model::{
    ArchiveAction, AssetMetadata, AssetReference, Business, BusinessChanges, NewBusiness,
    StorefrontTheme,
};
pub use payment::{
    CATALOGUE, CatalogueEntry, PaymentMethod, PaymentMethodChanges, PaymentMethodSettings,
};
pub use ports::{BusinessRepository, PaymentMethodRepository, ShippingZoneRepository};
pub use service::{BusinessDeps, BusinessService};
pub use zone::{NewShippingZone, ShippingZone, ShippingZoneChanges};
