//! In-memory adapters of every port, for unit tests anywhere (feature `testing`).
//!
//! They behave like the real adapters where it matters to the rules: the store really rolls back,
//! the cache really expires entries, the event bus really delivers to subscribers.

mod account;
mod business;
mod cache;
mod clock;
pub mod contracts;
mod customer;
mod email;
mod events;
mod store;

pub use account::{
    AccountFixture, ClearAccessTokens, PlainPasswordHasher, QueuedSpawner, StubGoogle,
};
pub use cache::MemoryCache;
pub use clock::ManualClock;
pub use email::RecordingEmailSender;
pub use events::RecordingEventBus;
pub use store::{MemoryState, MemoryStore};
