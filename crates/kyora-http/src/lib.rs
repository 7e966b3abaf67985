//! Kyora's HTTP layer on actix-web.
//!
//! The rule of this crate: handlers are thin — extract, call one domain service, map to a
//! response DTO. It depends on kyora-core only; the binary hands it the adapters behind the
//! core's ports. Every error leaves through [`problem`], the one mapping from
//! [`kyora_core::DomainError`] to a problem document, and every route is registered through
//! [`routes::Routes`] from its OpenAPI description, so nothing is served undocumented.

pub mod account;
pub mod app;
pub mod business;
pub mod customer;
pub mod decimal;
pub mod extract;
pub mod guard;
pub mod health;
pub mod middleware;
pub mod openapi;
pub mod problem;
pub mod respond;
pub mod routes;
pub mod settings;
pub mod state;

pub use app::build_app;
pub use problem::ApiError;
pub use settings::HttpSettings;
pub use state::AppState;
