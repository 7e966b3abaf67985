//! The ports the domain needs from the outside world. Adapters implement them in other crates;
//! the `testing` feature provides in-memory versions.

pub mod cache;
pub mod email;
pub mod events;
pub mod store;

pub use cache::{Cache, CacheError};
pub use email::{EmailError, EmailMessage, EmailSender, EmailTemplate, TemplateEmail};
pub use events::{Event, EventBus, EventHandler, Subscription, Topic};
pub use store::{Isolation, Store, TxOptions, atomic};
