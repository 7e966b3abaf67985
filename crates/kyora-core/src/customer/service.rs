//! Customer use cases (spec 02 §3.4–3.6). Each checks the permission, validates the input,
//! loads within the business, decides with the model's rules and persists.
//!
//! The caller resolves the business (the actor's own, spec 02 §3.0) and passes its id; every
//! read and write is scoped by it, so another business's customer, address or note answers
//! exactly like a missing one. Storage failures other than "missing" and "email taken" are
//! 500 `customer.query_failed`.

use std::sync::Arc;

use chrono::{DateTime, SubsecRound, Utc};

use super::error::{
    address_not_found, from_customer_write, from_repo, not_found, note_not_found, query_failed,
};
use super::model::{
    AddressChanges, AddressInput, Customer, CustomerAddress, CustomerChanges, CustomerInput,
    CustomerNote, NewAddress, NewCustomer,
};
use super::query::CustomerListQuery;
use crate::ports::Store;
use crate::shared::actor::{Action, Actor, Permission, Resource};
use crate::shared::clock::Clock;
use crate::shared::error::DomainError;
use crate::shared::id::{IdPrefix, new_id};
use crate::shared::list::Page;

const VIEW: Permission = Permission::new(Action::View, Resource::Customer);
const MANAGE: Permission = Permission::new(Action::Manage, Resource::Customer);

/// The customer use cases. Cheap to clone.
#[derive(Clone)]
pub struct CustomerService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

impl CustomerService {
    /// A service on `store`, telling time by `clock`.
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }

    /// Now, to the microsecond: the precision PostgreSQL keeps, so what a write returns is
    /// what later reads return on every backend.
    fn now(&self) -> DateTime<Utc> {
        self.clock.now().trunc_subsecs(6)
    }

    async fn customer(&self, business_id: &str, id: &str) -> Result<Customer, DomainError> {
        self.store
            .customers()
            .find_customer(business_id, id)
            .await
            .map_err(query_failed)?
            .ok_or_else(not_found)
    }

    /// One page of the business's customers.
    ///
    /// # Errors
    /// 403 `account.permission_denied` without `view:customer`; 500 `customer.query_failed`.
    pub async fn list(
        &self,
        actor: &Actor,
        business_id: &str,
        query: &CustomerListQuery,
    ) -> Result<Page<Customer>, DomainError> {
        actor.require(VIEW)?;
        self.store
            .customers()
            .list_customers(business_id, query)
            .await
            .map_err(query_failed)
    }

    /// One customer of the business.
    ///
    /// # Errors
    /// 403 without `view:customer`; 404 `customer.not_found`; 500 `customer.query_failed`.
    pub async fn get(
        &self,
        actor: &Actor,
        business_id: &str,
        id: &str,
    ) -> Result<Customer, DomainError> {
        actor.require(VIEW)?;
        self.customer(business_id, id).await
    }

    /// Creates a customer; `joinedAt` is now, whatever the client sent.
    ///
    /// # Errors
    /// 403 without `manage:customer`; 400 `request.invalid_body` (field rules); 409
    /// `customer.duplicate_email`; 500 `customer.query_failed`.
    pub async fn create(
        &self,
        actor: &Actor,
        business_id: &str,
        input: CustomerInput,
    ) -> Result<Customer, DomainError> {
        actor.require(MANAGE)?;
        let new = NewCustomer::parse(input)?;
        let customer = Customer::create(
            new_id(IdPrefix::Customer),
            business_id.to_owned(),
            new,
            self.now(),
        );
        self.store
            .customers()
            .create_customer(&customer)
            .await
            .map_err(from_customer_write)?;
        Ok(customer)
    }

    /// Changes a customer; empty fields are unchanged.
    ///
    /// # Errors
    /// 403 without `manage:customer`; 400 `request.invalid_body`; 404 `customer.not_found`;
    /// 409 `customer.duplicate_email`; 500 `customer.query_failed`.
    pub async fn update(
        &self,
        actor: &Actor,
        business_id: &str,
        id: &str,
        input: CustomerInput,
    ) -> Result<Customer, DomainError> {
        actor.require(MANAGE)?;
        let changes = CustomerChanges::parse(input)?;
        let mut customer = self.customer(business_id, id).await?;
        customer.apply(changes, self.now());
        self.store
            .customers()
            .update_customer(&customer)
            .await
            .map_err(from_customer_write)?;
        Ok(customer)
    }

    /// Soft-deletes a customer (addresses and notes are kept).
    ///
    /// # Errors
    /// 403 without `manage:customer`; 404 `customer.not_found`; 500 `customer.query_failed`.
    pub async fn delete(
        &self,
        actor: &Actor,
        business_id: &str,
        id: &str,
    ) -> Result<(), DomainError> {
        actor.require(MANAGE)?;
        self.store
            .customers()
            .delete_customer(business_id, id, self.now())
            .await
            .map_err(|err| from_repo(err, not_found))
    }

    /// The customer's addresses, oldest first.
    ///
    /// # Errors
    /// 403 without `view:customer`; 404 `customer.not_found`; 500 `customer.query_failed`.
    pub async fn addresses(
        &self,
        actor: &Actor,
        business_id: &str,
        customer_id: &str,
    ) -> Result<Vec<CustomerAddress>, DomainError> {
        actor.require(VIEW)?;
        self.customer(business_id, customer_id).await?;
        self.store
            .customer_addresses()
            .list_addresses(business_id, customer_id)
            .await
            .map_err(query_failed)
    }

    /// Adds an address to a customer.
    ///
    /// # Errors
    /// 403 without `manage:customer`; 400 `request.invalid_body`; 404 `customer.not_found`;
    /// 500 `customer.query_failed`.
    pub async fn add_address(
        &self,
        actor: &Actor,
        business_id: &str,
        customer_id: &str,
        input: AddressInput,
    ) -> Result<CustomerAddress, DomainError> {
        actor.require(MANAGE)?;
        let new = NewAddress::parse(input)?;
        let customer = self.customer(business_id, customer_id).await?;
        let address =
            CustomerAddress::create(new_id(IdPrefix::Address), customer.id, new, self.now());
        self.store
            .customer_addresses()
            .create_address(&address)
            .await
            .map_err(query_failed)?;
        Ok(address)
    }

    /// Changes an address; empty fields are unchanged.
    ///
    /// # Errors
    /// 403 without `manage:customer`; 400 `request.invalid_body`; 404
    /// `customer.address_not_found` when the customer or the address is missing (or the address
    /// is another customer's); 500 `customer.query_failed`.
    pub async fn update_address(
        &self,
        actor: &Actor,
        business_id: &str,
        customer_id: &str,
        address_id: &str,
        input: AddressInput,
    ) -> Result<CustomerAddress, DomainError> {
        actor.require(MANAGE)?;
        let changes = AddressChanges::parse(input)?;
        let repo = self.store.customer_addresses();
        let mut address = repo
            .find_address(business_id, customer_id, address_id)
            .await
            .map_err(query_failed)?
            .ok_or_else(address_not_found)?;
        address.apply(changes, self.now());
        repo.update_address(business_id, &address)
            .await
            .map_err(|err| from_repo(err, address_not_found))?;
        Ok(address)
    }

    /// Soft-deletes an address.
    ///
    /// # Errors
    /// 403 without `manage:customer`; 404 `customer.address_not_found`; 500
    /// `customer.query_failed`.
    pub async fn delete_address(
        &self,
        actor: &Actor,
        business_id: &str,
        customer_id: &str,
        address_id: &str,
    ) -> Result<(), DomainError> {
        actor.require(MANAGE)?;
        self.store
            .customer_addresses()
            .delete_address(business_id, customer_id, address_id, self.now())
            .await
            .map_err(|err| from_repo(err, address_not_found))
    }

    /// The customer's notes, oldest first.
    ///
    /// # Errors
    /// 403 without `view:customer`; 404 `customer.not_found`; 500 `customer.query_failed`.
    pub async fn notes(
        &self,
        actor: &Actor,
        business_id: &str,
        customer_id: &str,
    ) -> Result<Vec<CustomerNote>, DomainError> {
        actor.require(VIEW)?;
        self.customer(business_id, customer_id).await?;
        self.store
            .customer_notes()
            .list_notes(business_id, customer_id)
            .await
            .map_err(query_failed)
    }

    /// Adds a note to a customer; the content is kept as given.
    ///
    /// # Errors
    /// 403 without `manage:customer`; 400 `request.invalid_body` for missing or empty content;
    /// 404 `customer.not_found`; 500 `customer.query_failed`.
    pub async fn add_note(
        &self,
        actor: &Actor,
        business_id: &str,
        customer_id: &str,
        content: Option<String>,
    ) -> Result<CustomerNote, DomainError> {
        actor.require(MANAGE)?;
        let note = CustomerNote::create(
            new_id(IdPrefix::CustomerNote),
            customer_id.to_owned(),
            content,
            self.now(),
        )?;
        self.customer(business_id, customer_id).await?;
        self.store
            .customer_notes()
            .create_note(&note)
            .await
            .map_err(query_failed)?;
        Ok(note)
    }

    /// Soft-deletes a note.
    ///
    /// # Errors
    /// 403 without `manage:customer`; 404 `customer.note_not_found` when the customer or the
    /// note is missing (or the note is another customer's); 500 `customer.query_failed`.
    pub async fn delete_note(
        &self,
        actor: &Actor,
        business_id: &str,
        customer_id: &str,
        note_id: &str,
    ) -> Result<(), DomainError> {
        actor.require(MANAGE)?;
        self.store
            .customer_notes()
            .delete_note(business_id, customer_id, note_id, self.now())
            .await
            .map_err(|err| from_repo(err, note_not_found))
    }
}
