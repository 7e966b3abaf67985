//! Kyora's domain core.
//!
//! The rule of this crate: no I/O and no framework types. It holds the shared domain types
//! (ids, money, lists, time series, actors and permissions, errors), the port traits the
//! domain needs from the outside world (unit of work, cache, email, event bus, clock), and the
//! pure rules built on those ports (throttling, cooldowns). Adapters live in other crates.
//! With the `testing` feature it also provides in-memory adapters of every port.

pub mod account;
pub mod billing;
pub mod business;
pub mod customer;
pub mod ports;
pub mod shared;

#[cfg(feature = "testing")]
pub mod testing;

pub use shared::error::{DomainError, ErrorKind, RepoError};
