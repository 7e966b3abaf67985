//! What handlers reach through `web::Data<AppState>`: the core's ports and services, never
//! concrete adapters.

use std::sync::Arc;

use kyora_core::account::AccountService;
use kyora_core::billing::BillingGates;
use kyora_core::business::BusinessService;
use kyora_core::customer::CustomerService;
use kyora_core::ports::{Cache, Store};

/// Shared application state.
#[derive(Clone)]
pub struct AppState {
    /// Repositories and the unit of work.
    pub store: Arc<dyn Store>,
    /// The cache (tokens, throttles).
    pub cache: Arc<dyn Cache>,
    /// Account use cases.
    pub accounts: AccountService,
    /// Billing gates.
    pub gates: BillingGates,
    /// Business, shipping-zone and payment-method use cases (and the business resolver).
    pub businesses: BusinessService,
    /// Customer, address and note use cases.
    pub customers: CustomerService,
}
