//! Types shared by every bounded context.

pub mod actor;
pub mod clock;
pub mod error;
pub mod id;
pub mod list;
pub mod money;
pub mod secret;
pub mod throttle;
pub mod timeseries;
