//! What handlers reach through `web::Data<AppState>`: the core's ports, never concrete adapters.

use std::sync::Arc;

use kyora_core::ports::{Cache, Store};

/// Shared application state.
#[derive(Clone)]
pub struct AppState {
    /// Repositories and the unit of work.
    pub store: Arc<dyn Store>,
    /// The cache (tokens, throttles).
    pub cache: Arc<dyn Cache>,
}
