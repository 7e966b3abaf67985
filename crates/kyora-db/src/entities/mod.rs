//! sea-orm entities of the domain tables and their conversions to and from the core's structs.
//!
//! Each module holds one table's `Model`, its toolkit declaration ([`Table`](crate::repo::Table),
//! [`WorkspaceScoped`](crate::repo::WorkspaceScoped)), `From<Model>` into the domain struct and
//! a function building the full `ActiveModel` of a domain value. Nothing here leaves the crate
//! as a sea-orm type: repositories return the domain structs.

pub mod business;
pub mod customer;
pub mod customer_address;
pub mod customer_note;
pub mod invitation;
pub mod payment_method;
pub mod plan;
pub mod session;
pub mod shipping_zone;
pub mod subscription;
pub mod user;
pub mod workspace;
