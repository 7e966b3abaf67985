//! The `kyora` binary's library: configuration, telemetry, the composition root and the command
//! line. It is the only crate that names concrete adapters.

pub mod cli;
pub mod config;
pub mod migrate;
pub mod seed;
pub mod startup;
pub mod telemetry;

pub use config::Config;
pub use startup::{Application, Components};
