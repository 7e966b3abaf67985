//! Customers, their addresses and notes (spec 02 §2.6–2.8, §3.4–3.6, §4.6–4.7).
//!
//! Rule: everything lives inside one business — the caller's resolved business — and every
//! read and write is scoped by it, so another business's customer, address or note behaves
//! exactly like a missing one. Deletes are soft and never touch children. The order-derived
//! fields (`ordersCount`, `totalSpent`, the `hasOrders` filter) arrive with orders.

pub mod error;
pub mod model;
pub mod ports;
pub mod query;
pub mod service;

#[cfg(test)]
#[cfg(feature = "testing")]
mod tests;

pub use model::{
    AddressChanges, AddressInput, Customer, CustomerAddress, CustomerChanges, CustomerInput,
    CustomerNote, Gender, NewAddress, NewCustomer, SocialPlatform,
};
pub use ports::{CustomerAddressRepository, CustomerNoteRepository, CustomerRepository};
pub use query::{CustomerField, CustomerListParams, CustomerListQuery, CustomerOrder};
pub use service::CustomerService;
