//! The customer repositories on [`MemoryStore`], with the semantics of the database: the partial
//! unique index on (business, email) among live rows, soft deletes, tenancy through the
//! customer's business, and the list's filters, ordering and paging.
//!
//! Search follows the SQLite fallback: a case-insensitive substring of the name, email, phone,
//! WhatsApp number, Instagram or TikTok username (the columns PostgreSQL's search vector covers);
//! relevance ordering is `createdAt` descending.

use std::cmp::Ordering;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::store::{MemoryState, MemoryStore};
use crate::customer::model::{Customer, CustomerAddress, CustomerNote};
use crate::customer::ports::{
    CustomerAddressRepository, CustomerNoteRepository, CustomerRepository,
};
use crate::customer::query::{CustomerField, CustomerListQuery, CustomerOrder};
use crate::shared::error::RepoError;
use crate::shared::list::Page;

const EMAIL_INDEX: &str = "idx_business_email";

fn live_customers(state: &MemoryState) -> impl Iterator<Item = &Customer> {
    state
        .customers
        .values()
        .filter(|(_, deleted)| deleted.is_none())
        .map(|(customer, _)| customer)
}

fn live_customer<'s>(state: &'s MemoryState, business_id: &str, id: &str) -> Option<&'s Customer> {
    live_customers(state).find(|c| c.id == id && c.business_id == business_id)
}

fn email_taken(state: &MemoryState, customer: &Customer) -> bool {
    customer.email.as_ref().is_some_and(|email| {
        live_customers(state).any(|other| {
            other.id != customer.id
                && other.business_id == customer.business_id
                && other.email.as_ref() == Some(email)
        })
    })
}

fn matches_search(customer: &Customer, term: &str) -> bool {
    let term = term.to_lowercase();
    [
        Some(&customer.name),
        customer.email.as_ref(),
        customer.phone_number.as_ref(),
        customer.whatsapp_number.as_ref(),
        customer.instagram_username.as_ref(),
        customer.tiktok_username.as_ref(),
    ]
    .into_iter()
    .flatten()
    .any(|value| value.to_lowercase().contains(&term))
}

fn matches(customer: &Customer, query: &CustomerListQuery) -> bool {
    query
        .country_code
        .as_ref()
        .is_none_or(|code| customer.country_code == *code)
        && (query.social_platforms.is_empty()
            || query.social_platforms.iter().any(|p| customer.is_on(*p)))
        && query
            .search
            .as_deref()
            .is_none_or(|term| matches_search(customer, term))
}

/// A sort key; `None` sorts after every value, as NULLs do in the database stores.
#[derive(PartialEq, Eq)]
enum Key<'a> {
    Text(Option<&'a str>),
    Time(DateTime<Utc>),
}

impl Key<'_> {
    fn compare(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Key::Text(a), Key::Text(b)) => match (a, b) {
                (Some(a), Some(b)) => a.cmp(b),
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
            },
            (Key::Time(a), Key::Time(b)) => a.cmp(b),
            (Key::Text(_), Key::Time(_)) => Ordering::Less,
            (Key::Time(_), Key::Text(_)) => Ordering::Greater,
        }
    }
}

fn text(value: &Option<String>) -> Option<&str> {
    value.as_deref()
}

fn key(customer: &Customer, field: CustomerField) -> Key<'_> {
    match field {
        CustomerField::Id => Key::Text(Some(&customer.id)),
        CustomerField::BusinessId => Key::Text(Some(&customer.business_id)),
        CustomerField::Name => Key::Text(Some(&customer.name)),
        CustomerField::CountryCode => Key::Text(Some(&customer.country_code)),
        CustomerField::Gender => Key::Text(Some(customer.gender.as_str())),
        CustomerField::Email => Key::Text(text(&customer.email)),
        CustomerField::PhoneNumber => Key::Text(text(&customer.phone_number)),
        CustomerField::PhoneCode => Key::Text(text(&customer.phone_code)),
        CustomerField::TiktokUsername => Key::Text(text(&customer.tiktok_username)),
        CustomerField::InstagramUsername => Key::Text(text(&customer.instagram_username)),
        CustomerField::FacebookUsername => Key::Text(text(&customer.facebook_username)),
        CustomerField::XUsername => Key::Text(text(&customer.x_username)),
        CustomerField::SnapchatUsername => Key::Text(text(&customer.snapchat_username)),
        CustomerField::WhatsappNumber => Key::Text(text(&customer.whatsapp_number)),
        CustomerField::JoinedAt => Key::Time(customer.joined_at),
        CustomerField::CreatedAt => Key::Time(customer.created_at),
        CustomerField::UpdatedAt => Key::Time(customer.updated_at),
    }
}

fn directed(ordering: Ordering, descending: bool) -> Ordering {
    if descending {
        ordering.reverse()
    } else {
        ordering
    }
}

/// The terms actually applied: the requested ones (relevance is `createdAt` descending here),
/// then the id in the direction of the last term.
fn terms(order: &CustomerOrder) -> Vec<(CustomerField, bool)> {
    let mut terms = match order {
        CustomerOrder::Relevance => vec![(CustomerField::CreatedAt, true)],
        CustomerOrder::Fields(fields) => fields.clone(),
    };
    if !terms.iter().any(|(f, _)| *f == CustomerField::Id) {
        let last = terms.last().is_some_and(|(_, desc)| *desc);
        terms.push((CustomerField::Id, last));
    }
    terms
}

fn compare(a: &Customer, b: &Customer, terms: &[(CustomerField, bool)]) -> Ordering {
    terms
        .iter()
        .map(|(field, desc)| directed(key(a, *field).compare(&key(b, *field)), *desc))
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

fn usize_of(value: u64) -> usize {
    usize::try_from(value).unwrap_or(usize::MAX)
}

#[async_trait]
impl CustomerRepository for MemoryStore {
    async fn create_customer(&self, customer: &Customer) -> Result<(), RepoError> {
        self.create_customers(std::slice::from_ref(customer)).await
    }

    async fn create_customers(&self, customers: &[Customer]) -> Result<(), RepoError> {
        self.with_state(|s| {
            let mut next = s.clone();
            for customer in customers {
                if next.customers.contains_key(&customer.id) {
                    return Err(RepoError::Conflict("customers_pkey".into()));
                }
                if email_taken(&next, customer) {
                    return Err(RepoError::Conflict(EMAIL_INDEX.into()));
                }
                next.customers
                    .insert(customer.id.clone(), (customer.clone(), None));
            }
            *s = next;
            Ok(())
        })
    }

    async fn find_customer(
        &self,
        business_id: &str,
        id: &str,
    ) -> Result<Option<Customer>, RepoError> {
        Ok(self.with_state(|s| live_customer(s, business_id, id).cloned()))
    }

    async fn update_customer(&self, customer: &Customer) -> Result<(), RepoError> {
        self.with_state(|s| {
            if live_customer(s, &customer.business_id, &customer.id).is_none() {
                return Err(RepoError::NotFound);
            }
            if email_taken(s, customer) {
                return Err(RepoError::Conflict(EMAIL_INDEX.into()));
            }
            if let Some((stored, _)) = s.customers.get_mut(&customer.id) {
                *stored = Customer {
                    joined_at: stored.joined_at,
                    created_at: stored.created_at,
                    ..customer.clone()
                };
            }
            Ok(())
        })
    }

    async fn delete_customer(
        &self,
        business_id: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        self.with_state(|s| match s.customers.get_mut(id) {
            Some((customer, deleted @ None)) if customer.business_id == business_id => {
                *deleted = Some(now);
                customer.updated_at = now;
                Ok(())
            }
            _ => Err(RepoError::NotFound),
        })
    }

    async fn list_customers(
        &self,
        business_id: &str,
        query: &CustomerListQuery,
    ) -> Result<Page<Customer>, RepoError> {
        let mut found: Vec<Customer> = self.with_state(|s| {
            live_customers(s)
                .filter(|c| c.business_id == business_id && matches(c, query))
                .cloned()
                .collect()
        });
        let terms = terms(&query.order);
        found.sort_by(|a, b| compare(a, b, &terms));
        let total = found.len() as u64;
        let items = found
            .into_iter()
            .skip(usize_of(query.page.offset()))
            .take(usize_of(query.page.limit()))
            .collect();
        Ok(Page::new(items, total, &query.page))
    }
}

fn sorted_oldest_first<T>(mut items: Vec<T>, key: impl Fn(&T) -> (DateTime<Utc>, &str)) -> Vec<T> {
    items.sort_by(|a, b| key(a).cmp(&key(b)));
    items
}

#[async_trait]
impl CustomerAddressRepository for MemoryStore {
    async fn create_address(&self, address: &CustomerAddress) -> Result<(), RepoError> {
        self.with_state(|s| {
            if s.customer_addresses.contains_key(&address.id) {
                return Err(RepoError::Conflict("customer_addresses_pkey".into()));
            }
            s.customer_addresses
                .insert(address.id.clone(), (address.clone(), None));
            Ok(())
        })
    }

    async fn list_addresses(
        &self,
        business_id: &str,
        customer_id: &str,
    ) -> Result<Vec<CustomerAddress>, RepoError> {
        let list = self.with_state(|s| {
            if live_customer(s, business_id, customer_id).is_none() {
                return Vec::new();
            }
            s.customer_addresses
                .values()
                .filter(|(a, deleted)| deleted.is_none() && a.customer_id == customer_id)
                .map(|(a, _)| a.clone())
                .collect()
        });
        Ok(sorted_oldest_first(list, |a| (a.created_at, a.id.as_str())))
    }

    async fn find_address(
        &self,
        business_id: &str,
        customer_id: &str,
        id: &str,
    ) -> Result<Option<CustomerAddress>, RepoError> {
        Ok(self.with_state(|s| {
            live_customer(s, business_id, customer_id)?;
            match s.customer_addresses.get(id) {
                Some((address, None)) if address.customer_id == customer_id => {
                    Some(address.clone())
                }
                _ => None,
            }
        }))
    }

    async fn update_address(
        &self,
        business_id: &str,
        address: &CustomerAddress,
    ) -> Result<(), RepoError> {
        self.with_state(|s| {
            if live_customer(s, business_id, &address.customer_id).is_none() {
                return Err(RepoError::NotFound);
            }
            match s.customer_addresses.get_mut(&address.id) {
                Some((stored, None)) if stored.customer_id == address.customer_id => {
                    *stored = CustomerAddress {
                        created_at: stored.created_at,
                        ..address.clone()
                    };
                    Ok(())
                }
                _ => Err(RepoError::NotFound),
            }
        })
    }

    async fn delete_address(
        &self,
        business_id: &str,
        customer_id: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        self.with_state(|s| {
            if live_customer(s, business_id, customer_id).is_none() {
                return Err(RepoError::NotFound);
            }
            match s.customer_addresses.get_mut(id) {
                Some((address, deleted @ None)) if address.customer_id == customer_id => {
                    *deleted = Some(now);
                    address.updated_at = now;
                    Ok(())
                }
                _ => Err(RepoError::NotFound),
            }
        })
    }
}

#[async_trait]
impl CustomerNoteRepository for MemoryStore {
    async fn create_note(&self, note: &CustomerNote) -> Result<(), RepoError> {
        self.with_state(|s| {
            if s.customer_notes.contains_key(&note.id) {
                return Err(RepoError::Conflict("customer_notes_pkey".into()));
            }
            s.customer_notes
                .insert(note.id.clone(), (note.clone(), None));
            Ok(())
        })
    }

    async fn list_notes(
        &self,
        business_id: &str,
        customer_id: &str,
    ) -> Result<Vec<CustomerNote>, RepoError> {
        let list = self.with_state(|s| {
            if live_customer(s, business_id, customer_id).is_none() {
                return Vec::new();
            }
            s.customer_notes
                .values()
                .filter(|(n, deleted)| deleted.is_none() && n.customer_id == customer_id)
                .map(|(n, _)| n.clone())
                .collect()
        });
        Ok(sorted_oldest_first(list, |n| (n.created_at, n.id.as_str())))
    }

    async fn delete_note(
        &self,
        business_id: &str,
        customer_id: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        self.with_state(|s| {
            if live_customer(s, business_id, customer_id).is_none() {
                return Err(RepoError::NotFound);
            }
            match s.customer_notes.get_mut(id) {
                Some((note, deleted @ None)) if note.customer_id == customer_id => {
                    *deleted = Some(now);
                    note.updated_at = now;
                    Ok(())
                }
                _ => Err(RepoError::NotFound),
            }
        })
    }
}
