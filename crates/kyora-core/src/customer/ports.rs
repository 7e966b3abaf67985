//! The repositories the customer context needs.
//!
//! Tenancy: every method takes the business id and scopes by it. Addresses and notes belong to
//! a customer, so their methods take both ids and only see rows whose customer is a live
//! customer of that business; another business's (or a deleted customer's) rows read as
//! missing. Every read ignores soft-deleted rows; deletes are soft.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::model::{Customer, CustomerAddress, CustomerNote};
use super::query::CustomerListQuery;
use crate::shared::error::RepoError;
use crate::shared::list::Page;

/// Customers.
#[async_trait]
pub trait CustomerRepository: Send + Sync {
    /// Stores a new customer.
    ///
    /// # Errors
    /// `Conflict` when a live customer of the same business has the same email (exact match).
    async fn create_customer(&self, customer: &Customer) -> Result<(), RepoError>;

    /// Stores several new customers at once (seeding, imports); nothing is stored when one
    /// fails.
    ///
    /// # Errors
    /// `Conflict` as for [`create_customer`](Self::create_customer).
    async fn create_customers(&self, customers: &[Customer]) -> Result<(), RepoError>;

    /// A live customer of the business by id.
    ///
    /// # Errors
    /// The storage error.
    async fn find_customer(
        &self,
        business_id: &str,
        id: &str,
    ) -> Result<Option<Customer>, RepoError>;

    /// Saves every column of `customer` but its creation and join times (by id within its
    /// business).
    ///
    /// # Errors
    /// `NotFound` when no such live customer exists; `Conflict` on a taken email.
    async fn update_customer(&self, customer: &Customer) -> Result<(), RepoError>;

    /// Soft-deletes a customer; its addresses and notes are left as they are.
    ///
    /// # Errors
    /// `NotFound` when no such live customer exists.
    async fn delete_customer(
        &self,
        business_id: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), RepoError>;

    /// One page of the business's customers: filters AND-combined, search per spec 02 §4.7,
    /// ordered per [`CustomerListQuery::order`]; the total counts every match. At most two
    /// statements whatever the page size.
    ///
    /// # Errors
    /// The storage error.
    async fn list_customers(
        &self,
        business_id: &str,
        query: &CustomerListQuery,
    ) -> Result<Page<Customer>, RepoError>;
}

/// Customer addresses.
#[async_trait]
pub trait CustomerAddressRepository: Send + Sync {
    /// Stores a new address (the caller has checked its customer).
    ///
    /// # Errors
    /// The storage error.
    async fn create_address(&self, address: &CustomerAddress) -> Result<(), RepoError>;

    /// The live addresses of a live customer of the business, oldest first then by id.
    ///
    /// # Errors
    /// The storage error.
    async fn list_addresses(
        &self,
        business_id: &str,
        customer_id: &str,
    ) -> Result<Vec<CustomerAddress>, RepoError>;

    /// One live address of a live customer of the business.
    ///
    /// # Errors
    /// The storage error.
    async fn find_address(
        &self,
        business_id: &str,
        customer_id: &str,
        id: &str,
    ) -> Result<Option<CustomerAddress>, RepoError>;

    /// Saves every column of `address` but its creation time.
    ///
    /// # Errors
    /// `NotFound` when the address is not a live address of a live customer of the business.
    async fn update_address(
        &self,
        business_id: &str,
        address: &CustomerAddress,
    ) -> Result<(), RepoError>;

    /// Soft-deletes an address.
    ///
    /// # Errors
    /// `NotFound` when it is not a live address of a live customer of the business.
    async fn delete_address(
        &self,
        business_id: &str,
        customer_id: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), RepoError>;
}

/// Customer notes.
#[async_trait]
pub trait CustomerNoteRepository: Send + Sync {
    /// Stores a new note (the caller has checked its customer).
    ///
    /// # Errors
    /// The storage error.
    async fn create_note(&self, note: &CustomerNote) -> Result<(), RepoError>;

    /// The live notes of a live customer of the business, oldest first then by id.
    ///
    /// # Errors
    /// The storage error.
    async fn list_notes(
        &self,
        business_id: &str,
        customer_id: &str,
    ) -> Result<Vec<CustomerNote>, RepoError>;

    /// Soft-deletes a note.
    ///
    /// # Errors
    /// `NotFound` when it is not a live note of a live customer of the business.
    async fn delete_note(
        &self,
        business_id: &str,
        customer_id: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), RepoError>;
}
