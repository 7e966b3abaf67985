//! The customer context's repositories on [`Database`]: customers, addresses and notes (spec 02
//! §2.6–2.8), with the semantics of the port docs and of kyora-core's in-memory store.
//!
//! - Tenancy: customers are scoped by `business_id`; an address or note is reached only through
//!   `customer_id = ? AND customer_id IN (SELECT id FROM customers WHERE id = ? AND business_id
//!   = ? AND deleted_at IS NULL)`, so another business's row, or a deleted customer's, reads as
//!   missing and cannot be written.
//! - The list is one page query plus at most one `COUNT(*)` with the same filters (none when
//!   the first page is not full), whatever the page size; no query per row.
//! - Search (spec 02 §4.7). PostgreSQL: `search_vector @@ websearch_to_tsquery('simple', term)
//!   OR name ILIKE %term% OR email ILIKE %term%`, ranked by `ts_rank_cd` (then newest first)
//!   when no ordering is requested. SQLite has no search vector: the term is matched with
//!   `LIKE %term%` (ASCII case-insensitive) against the columns the vector covers — name, email,
//!   phone and WhatsApp numbers, Instagram and TikTok usernames — and relevance is newest first.
//! - Orderings put NULLs last ascending and first descending on both backends, then the id.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kyora_core::RepoError;
use kyora_core::customer::{
    Customer, CustomerAddress, CustomerAddressRepository, CustomerField, CustomerListQuery,
    CustomerNote, CustomerNoteRepository, CustomerOrder, CustomerRepository, SocialPlatform,
};
use kyora_core::shared::list::Page;
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, NullOrdering, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbBackend, Order, QueryOrder,
    QuerySelect, Select, TransactionTrait,
};

use crate::database::Database;
use crate::entities::{customer, customer_address, customer_note};
use crate::error::repo_error;
use crate::repo::{Query, create, create_many, escape_like};

type Customers = Query<customer::Entity>;
type Addresses = Query<customer_address::Entity>;
type Notes = Query<customer_note::Entity>;

/// Rows per `INSERT` of a bulk create: 18 parameters a row stays under every backend's limit.
const INSERT_BATCH: usize = 1_000;

fn column_expr(column: customer::Column) -> Expr {
    Expr::col(column.as_column_ref())
}

/// `column IS NOT NULL AND column <> ''`.
fn has_value(column: customer::Column) -> Condition {
    Condition::all()
        .add(column.is_not_null())
        .add(column.ne(""))
}

fn platform_column(platform: SocialPlatform) -> customer::Column {
    match platform {
        SocialPlatform::Instagram => customer::Column::InstagramUsername,
        SocialPlatform::Tiktok => customer::Column::TiktokUsername,
        SocialPlatform::Facebook => customer::Column::FacebookUsername,
        SocialPlatform::X => customer::Column::XUsername,
        SocialPlatform::Snapchat => customer::Column::SnapchatUsername,
        SocialPlatform::Whatsapp => customer::Column::WhatsappNumber,
    }
}

/// The columns SQLite's fallback search looks at: those PostgreSQL's search vector covers.
const FALLBACK_SEARCH_COLUMNS: [customer::Column; 6] = [
    customer::Column::Name,
    customer::Column::Email,
    customer::Column::PhoneNumber,
    customer::Column::WhatsappNumber,
    customer::Column::InstagramUsername,
    customer::Column::TiktokUsername,
];

const TS_QUERY: &str = "websearch_to_tsquery('simple', $1)";

fn search_condition(backend: DbBackend, term: &str) -> Condition {
    let pattern = format!("%{}%", escape_like(term));
    match backend {
        DbBackend::Postgres => {
            let ilike = |column: customer::Column| {
                Expr::cust_with_exprs(
                    r"$1 ILIKE $2 ESCAPE '\'",
                    [column_expr(column), Expr::val(pattern.clone())],
                )
            };
            Condition::any()
                .add(Expr::cust_with_values(
                    format!(r#""customers"."search_vector" @@ {TS_QUERY}"#),
                    [term.to_owned()],
                ))
                .add(ilike(customer::Column::Name))
                .add(ilike(customer::Column::Email))
        }
        _ => FALLBACK_SEARCH_COLUMNS
            .into_iter()
            .fold(Condition::any(), |any, column| {
                any.add(column_expr(column).like(LikeExpr::new(pattern.clone()).escape('\\')))
            }),
    }
}

fn rank(term: &str) -> SimpleExpr {
    Expr::cust_with_values(
        format!(r#"ts_rank_cd("customers"."search_vector", {TS_QUERY})"#),
        [term.to_owned()],
    )
}

fn direction(descending: bool) -> Order {
    if descending { Order::Desc } else { Order::Asc }
}

/// NULLs as the largest value: last ascending, first descending.
fn nulls(descending: bool) -> NullOrdering {
    if descending {
        NullOrdering::First
    } else {
        NullOrdering::Last
    }
}

fn ordered(
    select: Select<customer::Entity>,
    backend: DbBackend,
    query: &CustomerListQuery,
) -> Select<customer::Entity> {
    let newest_first = [(CustomerField::CreatedAt, true)];
    let (select, terms) = match (&query.order, query.search.as_deref(), backend) {
        (CustomerOrder::Relevance, Some(term), DbBackend::Postgres) => {
            (select.order_by(rank(term), Order::Desc), &newest_first[..])
        }
        (CustomerOrder::Relevance, _, _) => (select, &newest_first[..]),
        (CustomerOrder::Fields(fields), _, _) => (select, fields.as_slice()),
    };
    let mut select = terms.iter().fold(select, |select, (field, descending)| {
        select.order_by_with_nulls(
            customer::column(*field),
            direction(*descending),
            nulls(*descending),
        )
    });
    if !terms.iter().any(|(field, _)| *field == CustomerField::Id) {
        let last = terms.last().is_some_and(|(_, descending)| *descending);
        select = select.order_by(customer::Column::Id, direction(last));
    }
    select
}

fn filtered(business_id: &str, query: &CustomerListQuery, backend: DbBackend) -> Customers {
    let mut customers = Customers::new().business(business_id);
    if let Some(code) = &query.country_code {
        customers = customers.equals(customer::Column::CountryCode, code.as_str());
    }
    if !query.social_platforms.is_empty() {
        customers = customers.filter(
            query
                .social_platforms
                .iter()
                .fold(Condition::any(), |any, platform| {
                    any.add(has_value(platform_column(*platform)))
                }),
        );
    }
    if let Some(term) = &query.search {
        customers = customers.filter(search_condition(backend, term));
    }
    customers
}

async fn insert_batches<C: ConnectionTrait>(
    conn: &C,
    customers: &[Customer],
) -> Result<(), RepoError> {
    for batch in customers.chunks(INSERT_BATCH) {
        create_many(conn, batch.iter().map(customer::active))
            .await
            .map(drop)?;
    }
    Ok(())
}

#[async_trait]
impl CustomerRepository for Database {
    /// The partial unique index `idx_business_email` turns a duplicate live email into
    /// [`RepoError::Conflict`], also under concurrency.
    async fn create_customer(&self, customer: &Customer) -> Result<(), RepoError> {
        create(self, customer::active(customer)).await.map(drop)
    }

    /// Multi-row `INSERT`s of [`INSERT_BATCH`] rows; several batches run in one transaction
    /// (a savepoint inside a unit of work).
    async fn create_customers(&self, customers: &[Customer]) -> Result<(), RepoError> {
        if customers.len() <= INSERT_BATCH {
            return insert_batches(self, customers).await;
        }
        let tx = self.connection().begin().await.map_err(repo_error)?;
        insert_batches(&tx, customers).await?;
        tx.commit().await.map_err(repo_error)
    }

    async fn find_customer(
        &self,
        business_id: &str,
        id: &str,
    ) -> Result<Option<Customer>, RepoError> {
        Ok(Customers::new()
            .business(business_id)
            .find_by_id(self, id)
            .await?
            .map(Customer::from))
    }

    /// Every column but `created_at` and `joined_at`; `updated_at` is the customer's own.
    async fn update_customer(&self, customer: &Customer) -> Result<(), RepoError> {
        let mut changes = customer::active(customer);
        changes.not_set(customer::Column::JoinedAt);
        changes.not_set(customer::Column::BusinessId);
        Customers::new()
            .business(&customer.business_id)
            .update_by_id(self, &customer.id, changes, customer.updated_at)
            .await
            .map(drop)
    }

    async fn delete_customer(
        &self,
        business_id: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        Customers::new()
            .business(business_id)
            .soft_delete_by_id(self, id, now)
            .await
    }

    async fn list_customers(
        &self,
        business_id: &str,
        query: &CustomerListQuery,
    ) -> Result<Page<Customer>, RepoError> {
        let backend = self.get_database_backend();
        let customers = filtered(business_id, query, backend);
        let request = &query.page;
        let items = ordered(customers.filtered(backend), backend, query)
            .offset(request.offset())
            .limit(request.limit())
            .all(self)
            .await
            .map_err(repo_error)?;
        let fetched = u64::try_from(items.len()).unwrap_or(u64::MAX);
        let total = if request.offset() == 0 && fetched < request.limit() {
            fetched
        } else {
            customers.count(self).await?
        };
        Ok(Page::new(
            items.into_iter().map(Customer::from).collect(),
            total,
            request,
        ))
    }
}

/// `customer_id = ?` and that customer a live customer of the business.
fn of_live_customer<C: ColumnTrait>(
    customer_column: C,
    business_id: &str,
    customer_id: &str,
) -> Condition {
    let live = sea_orm::sea_query::Query::select()
        .column(customer::Column::Id)
        .from(customer::Entity)
        .and_where(customer::Column::Id.eq(customer_id))
        .and_where(customer::Column::BusinessId.eq(business_id))
        .and_where(customer::Column::DeletedAt.is_null())
        .to_owned();
    Condition::all()
        .add(customer_column.eq(customer_id))
        .add(customer_column.in_subquery(live))
}

fn addresses_of(business_id: &str, customer_id: &str) -> Addresses {
    Addresses::new().filter(of_live_customer(
        customer_address::Column::CustomerId,
        business_id,
        customer_id,
    ))
}

fn notes_of(business_id: &str, customer_id: &str) -> Notes {
    Notes::new().filter(of_live_customer(
        customer_note::Column::CustomerId,
        business_id,
        customer_id,
    ))
}

#[async_trait]
impl CustomerAddressRepository for Database {
    async fn create_address(&self, address: &CustomerAddress) -> Result<(), RepoError> {
        create(self, customer_address::active(address))
            .await
            .map(drop)
    }

    async fn list_addresses(
        &self,
        business_id: &str,
        customer_id: &str,
    ) -> Result<Vec<CustomerAddress>, RepoError> {
        Ok(addresses_of(business_id, customer_id)
            .order_by(customer_address::Column::CreatedAt, Order::Asc)
            .order_by(customer_address::Column::Id, Order::Asc)
            .all(self)
            .await?
            .into_iter()
            .map(CustomerAddress::from)
            .collect())
    }

    async fn find_address(
        &self,
        business_id: &str,
        customer_id: &str,
        id: &str,
    ) -> Result<Option<CustomerAddress>, RepoError> {
        Ok(addresses_of(business_id, customer_id)
            .find_by_id(self, id)
            .await?
            .map(CustomerAddress::from))
    }

    /// Every column but `created_at` (and the customer, which scopes the update).
    async fn update_address(
        &self,
        business_id: &str,
        address: &CustomerAddress,
    ) -> Result<(), RepoError> {
        let mut changes = customer_address::active(address);
        changes.not_set(customer_address::Column::CustomerId);
        addresses_of(business_id, &address.customer_id)
            .update_by_id(self, &address.id, changes, address.updated_at)
            .await
            .map(drop)
    }

    async fn delete_address(
        &self,
        business_id: &str,
        customer_id: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        addresses_of(business_id, customer_id)
            .soft_delete_by_id(self, id, now)
            .await
    }
}

#[async_trait]
impl CustomerNoteRepository for Database {
    async fn create_note(&self, note: &CustomerNote) -> Result<(), RepoError> {
        create(self, customer_note::active(note)).await.map(drop)
    }

    async fn list_notes(
        &self,
        business_id: &str,
        customer_id: &str,
    ) -> Result<Vec<CustomerNote>, RepoError> {
        Ok(notes_of(business_id, customer_id)
            .order_by(customer_note::Column::CreatedAt, Order::Asc)
            .order_by(customer_note::Column::Id, Order::Asc)
            .all(self)
            .await?
            .into_iter()
            .map(CustomerNote::from)
            .collect())
    }

    async fn delete_note(
        &self,
        business_id: &str,
        customer_id: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        notes_of(business_id, customer_id)
            .soft_delete_by_id(self, id, now)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kyora_core::customer::CustomerListParams;
    use sea_orm::QueryTrait;

    fn sql(backend: DbBackend, params: CustomerListParams) -> String {
        let query = CustomerListQuery::new(params).unwrap_or_else(|err| panic!("{err}"));
        let customers = filtered("bus1", &query, backend);
        ordered(customers.filtered(backend), backend, &query)
            .build(backend)
            .to_string()
    }

    #[test]
    fn postgres_searches_the_vector_and_ranks_by_relevance() {
        let sql = sql(
            DbBackend::Postgres,
            CustomerListParams {
                search: Some("alice".into()),
                ..CustomerListParams::default()
            },
        );
        assert!(
            sql.contains(
                r#""customers"."search_vector" @@ websearch_to_tsquery('simple', 'alice')"#
            ),
            "{sql}"
        );
        assert!(
            sql.contains(r#""customers"."name" ILIKE '%alice%'"#),
            "{sql}"
        );
        assert!(
            sql.contains(r#"ORDER BY ts_rank_cd("customers"."search_vector", websearch_to_tsquery('simple', 'alice')) DESC, "customers"."created_at" DESC NULLS FIRST, "customers"."id" DESC"#),
            "{sql}"
        );
    }

    #[test]
    fn sqlite_falls_back_to_like_and_newest_first() {
        let sql = sql(
            DbBackend::Sqlite,
            CustomerListParams {
                search: Some("50%".into()),
                ..CustomerListParams::default()
            },
        );
        assert!(!sql.contains("search_vector"), "{sql}");
        assert!(
            sql.contains(r#""customers"."tiktok_username" LIKE '%50\%%' ESCAPE '\'"#),
            "{sql}"
        );
        assert!(
            sql.contains(
                r#"ORDER BY "customers"."created_at" DESC NULLS FIRST, "customers"."id" DESC"#
            ),
            "{sql}"
        );
    }

    #[test]
    fn an_explicit_order_replaces_relevance_and_ends_with_the_id() {
        let sql = sql(
            DbBackend::Postgres,
            CustomerListParams {
                search: Some("alice".into()),
                order_by: vec!["email".into()],
                ..CustomerListParams::default()
            },
        );
        assert!(!sql.contains("ts_rank_cd"), "{sql}");
        assert!(
            sql.contains(r#"ORDER BY "customers"."email" ASC NULLS LAST, "customers"."id" ASC"#),
            "{sql}"
        );
    }
}
