//! [`Query`]: scopes plus modifiers, and the reads and writes that run them.

use std::fmt;

use chrono::{DateTime, Utc};
use kyora_core::RepoError;
use kyora_core::shared::list::{ListRequest, OrderTerm, Page};
use sea_orm::sea_query::{Expr, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbBackend, IdenStatic, JoinType,
    Order, QueryFilter, QueryOrder, QuerySelect, QueryTrait, RelationDef, Select, Value,
};

use super::scope::{RangeEnd, Scope};
use super::table::{BusinessScoped, Table, WorkspaceScoped, direction};
use crate::error::repo_error;

/// A row lock taken by a read inside a transaction. PostgreSQL only: SQLite has no row locks
/// (its write transactions are serialized as a whole), so the lock is ignored there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    /// `FOR UPDATE`.
    Update,
    /// `FOR SHARE`.
    Share,
}

/// A query on table `E`: scopes (filters) and modifiers (joins, ordering, pagination, lock),
/// and the operations that run it on any sea-orm connection — the pool or a transaction.
///
/// Soft-deleted rows are excluded from every read, count, aggregate, update and delete unless
/// [`with_deleted`](Self::with_deleted) is called.
///
/// ```ignore
/// let page = Query::<widget::Entity>::new()
///     .workspace(&workspace_id)
///     .search([widget::Column::Name], request.search.as_deref().unwrap_or(""))
///     .page(db, &request)
///     .await?;
/// ```
pub struct Query<E: Table> {
    scopes: Vec<Scope<E>>,
    with_deleted: bool,
    joins: Vec<(JoinType, RelationDef)>,
    order: Vec<(E::Column, Order)>,
    offset: Option<u64>,
    limit: Option<u64>,
    lock: Option<Lock>,
}

impl<E: Table> Default for Query<E> {
    fn default() -> Self {
        Self {
            scopes: Vec::new(),
            with_deleted: false,
            joins: Vec::new(),
            order: Vec::new(),
            offset: None,
            limit: None,
            lock: None,
        }
    }
}

impl<E: Table> Clone for Query<E> {
    fn clone(&self) -> Self {
        Self {
            scopes: self.scopes.clone(),
            with_deleted: self.with_deleted,
            joins: self.joins.clone(),
            order: self.order.clone(),
            offset: self.offset,
            limit: self.limit,
            lock: self.lock,
        }
    }
}

impl<E: Table> fmt::Debug for Query<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Query")
            .field("table", &E::default().table_name())
            .field("scopes", &self.scopes)
            .field("with_deleted", &self.with_deleted)
            .field("joins", &self.joins.len())
            .field("order", &self.order)
            .field("offset", &self.offset)
            .field("limit", &self.limit)
            .field("lock", &self.lock)
            .finish()
    }
}

/// Scopes and modifiers.
impl<E: Table> Query<E> {
    /// Every live row of `E`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a scope.
    #[must_use]
    pub fn scope(mut self, scope: Scope<E>) -> Self {
        self.scopes.push(scope);
        self
    }

    /// Adds several scopes.
    #[must_use]
    pub fn scopes(mut self, scopes: impl IntoIterator<Item = Scope<E>>) -> Self {
        self.scopes.extend(scopes);
        self
    }

    /// Rows of workspace `id`.
    #[must_use]
    pub fn workspace(self, id: impl Into<String>) -> Self
    where
        E: WorkspaceScoped,
    {
        self.scope(Scope::workspace(id))
    }

    /// Rows of business `id`.
    #[must_use]
    pub fn business(self, id: impl Into<String>) -> Self
    where
        E: BusinessScoped,
    {
        self.scope(Scope::business(id))
    }

    /// The row with primary key `id`.
    #[must_use]
    pub fn id(self, id: impl Into<String>) -> Self {
        self.scope(Scope::id(id))
    }

    /// Rows whose primary key is one of `ids`.
    #[must_use]
    pub fn ids<I, S>(self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scope(Scope::ids(ids))
    }

    /// `column = value`.
    #[must_use]
    pub fn equals(self, column: E::Column, value: impl Into<Value>) -> Self {
        self.scope(Scope::equals(column, value))
    }

    /// `column IN (values)`.
    #[must_use]
    pub fn is_in<I, V>(self, column: E::Column, values: I) -> Self
    where
        I: IntoIterator<Item = V>,
        V: Into<Value>,
    {
        self.scope(Scope::is_in(column, values))
    }

    /// `column NOT IN (values)`.
    #[must_use]
    pub fn not_in<I, V>(self, column: E::Column, values: I) -> Self
    where
        I: IntoIterator<Item = V>,
        V: Into<Value>,
    {
        self.scope(Scope::not_in(column, values))
    }

    /// A time range on `column`; see [`Scope::time_range`].
    #[must_use]
    pub fn time_range(
        self,
        column: E::Column,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        end: RangeEnd,
    ) -> Self {
        self.scope(Scope::time_range(column, from, to, end))
    }

    /// Case-insensitive search over `columns`; see [`Scope::search`].
    #[must_use]
    pub fn search<I>(self, columns: I, term: &str) -> Self
    where
        I: IntoIterator<Item = E::Column>,
    {
        self.scope(Scope::search(columns, term))
    }

    /// Any sea-query condition.
    #[must_use]
    pub fn filter(self, condition: impl Into<Condition>) -> Self {
        self.scope(Scope::condition(condition))
    }

    /// Includes soft-deleted rows.
    #[must_use]
    pub fn with_deleted(mut self) -> Self {
        self.with_deleted = true;
        self
    }

    /// Joins a related table (reads only; updates and deletes ignore joins).
    #[must_use]
    pub fn join(mut self, join: JoinType, relation: RelationDef) -> Self {
        self.joins.push((join, relation));
        self
    }

    /// Orders by `column`; orderings apply in the order they were added.
    #[must_use]
    pub fn order_by(mut self, column: E::Column, order: Order) -> Self {
        self.order.push((column, order));
        self
    }

    /// Orders by client-supplied JSON field names through [`Table::FIELDS`]; unknown names are
    /// ignored. `createdAt` always resolves to [`Table::CREATED_AT`], so the default list order
    /// works on every table.
    #[must_use]
    pub fn order_by_terms(mut self, terms: &[OrderTerm]) -> Self {
        for term in terms {
            let column = E::FIELDS
                .column(&term.field)
                .or_else(|| (term.field == "createdAt").then_some(E::CREATED_AT));
            if let Some(column) = column {
                self.order.push((column, direction(term.descending)));
            }
        }
        self
    }

    /// The ordering and the page of a list request.
    #[must_use]
    pub fn paginate(self, request: &ListRequest) -> Self {
        self.order_by_terms(&request.order_by)
            .offset(request.offset())
            .limit(request.limit())
    }

    /// Skips `offset` rows.
    #[must_use]
    pub fn offset(mut self, offset: u64) -> Self {
        self.offset = Some(offset);
        self
    }

    /// Takes at most `limit` rows.
    #[must_use]
    pub fn limit(mut self, limit: u64) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Locks the rows read (PostgreSQL; ignored on SQLite).
    #[must_use]
    pub fn lock(mut self, lock: Lock) -> Self {
        self.lock = Some(lock);
        self
    }

    /// The filter: live rows (unless `with_deleted`) matching every scope.
    pub fn condition(&self, backend: DbBackend) -> Condition {
        let mut condition = Condition::all();
        if !self.with_deleted {
            condition = condition.add(E::DELETED_AT.is_null());
        }
        self.scopes
            .iter()
            .fold(condition, |all, scope| all.add(scope.to_condition(backend)))
    }

    /// The ordering actually applied: the requested terms, then the primary key as a stable
    /// tiebreak (in the direction of the last term, so `-createdAt` lists newest ids first).
    pub fn ordering(&self) -> Vec<(E::Column, Order)> {
        let mut ordering = self.order.clone();
        if !ordering.iter().any(|(c, _)| c.as_str() == E::ID.as_str()) {
            let last = ordering.last().map_or(Order::Asc, |(_, o)| o.clone());
            ordering.push((E::ID, last));
        }
        ordering
    }

    /// The filtered select without ordering, paging or lock: the base of counts and aggregates.
    pub fn filtered(&self, backend: DbBackend) -> Select<E> {
        let select = self
            .joins
            .iter()
            .fold(E::find(), |select, (join, relation)| {
                select.join(*join, relation.clone())
            });
        select.filter(self.condition(backend))
    }

    /// The complete select, for custom projections and eager loading
    /// (`query.select(backend).find_also_related(Other)`).
    pub fn select(&self, backend: DbBackend) -> Select<E> {
        let mut select = self
            .ordering()
            .into_iter()
            .fold(self.filtered(backend), |select, (column, order)| {
                select.order_by(column, order)
            });
        if let Some(offset) = self.offset {
            select = select.offset(offset);
        }
        if let Some(limit) = self.limit {
            select = select.limit(limit);
        }
        match (backend, self.lock) {
            (DbBackend::Postgres, Some(Lock::Update)) => select.lock(LockType::Update),
            (DbBackend::Postgres, Some(Lock::Share)) => select.lock(LockType::Share),
            _ => select,
        }
    }
}

/// Reads.
impl<E: Table> Query<E> {
    /// Every matching row.
    ///
    /// # Errors
    /// The storage error, translated by [`repo_error`].
    pub async fn all<C: ConnectionTrait>(&self, conn: &C) -> Result<Vec<E::Model>, RepoError> {
        self.select(conn.get_database_backend())
            .all(conn)
            .await
            .map_err(repo_error)
    }

    /// The first matching row in the query's order, if any.
    ///
    /// # Errors
    /// The storage error, translated by [`repo_error`].
    pub async fn one<C: ConnectionTrait>(&self, conn: &C) -> Result<Option<E::Model>, RepoError> {
        self.select(conn.get_database_backend())
            .one(conn)
            .await
            .map_err(repo_error)
    }

    /// The first matching row, or [`RepoError::NotFound`].
    ///
    /// # Errors
    /// [`RepoError::NotFound`] when no row matches; otherwise the storage error.
    pub async fn get<C: ConnectionTrait>(&self, conn: &C) -> Result<E::Model, RepoError> {
        self.one(conn).await?.ok_or(RepoError::NotFound)
    }

    /// The row with primary key `id` within the query's scopes, if any.
    ///
    /// # Errors
    /// The storage error, translated by [`repo_error`].
    pub async fn find_by_id<C: ConnectionTrait>(
        &self,
        conn: &C,
        id: &str,
    ) -> Result<Option<E::Model>, RepoError> {
        self.clone().id(id).one(conn).await
    }

    /// The row with primary key `id` within the query's scopes; an id outside them behaves
    /// exactly like a missing one.
    ///
    /// # Errors
    /// [`RepoError::NotFound`] when there is no such row; otherwise the storage error.
    pub async fn get_by_id<C: ConnectionTrait>(
        &self,
        conn: &C,
        id: &str,
    ) -> Result<E::Model, RepoError> {
        self.find_by_id(conn, id).await?.ok_or(RepoError::NotFound)
    }

    /// Whether any row matches.
    ///
    /// # Errors
    /// The storage error, translated by [`repo_error`].
    pub async fn exists<C: ConnectionTrait>(&self, conn: &C) -> Result<bool, RepoError> {
        Ok(self.clone().limit(1).one(conn).await?.is_some())
    }

    /// How many rows match (ordering and paging ignored).
    ///
    /// # Errors
    /// The storage error, translated by [`repo_error`].
    pub async fn count<C: ConnectionTrait>(&self, conn: &C) -> Result<u64, RepoError> {
        let statement = self
            .filtered(conn.get_database_backend())
            .select_only()
            .expr_as(Expr::cust("COUNT(*)"), "kyora_count")
            .into_query();
        let row = conn.query_one(&statement).await.map_err(repo_error)?;
        let count = match row {
            Some(row) => row.try_get::<i64>("", "kyora_count").map_err(repo_error)?,
            None => 0,
        };
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// One page of a list: the request's ordering (then the id tiebreak), offset and limit, and
    /// the total count. Two statements at most; one when the first page is not full.
    ///
    /// # Errors
    /// The storage error, translated by [`repo_error`].
    pub async fn page<C: ConnectionTrait>(
        &self,
        conn: &C,
        request: &ListRequest,
    ) -> Result<Page<E::Model>, RepoError> {
        let items = self.clone().paginate(request).all(conn).await?;
        let fetched = u64::try_from(items.len()).unwrap_or(u64::MAX);
        let total = if request.offset() == 0 && fetched < request.limit() {
            fetched
        } else {
            self.count(conn).await?
        };
        Ok(Page::new(items, total, request))
    }
}

/// Writes. Every write sets [`Table::UPDATED_AT`] to the `now` it is given (the caller's
/// clock) and only touches rows the query matches (live rows unless `with_deleted`).
impl<E: Table> Query<E> {
    /// Applies the set fields of `model` to the row with primary key `id` within the scopes and
    /// returns the updated row. The model's id, `created_at` and `deleted_at` are never written
    /// (soft delete has its own operations).
    ///
    /// # Errors
    /// [`RepoError::NotFound`] when no such row matches; otherwise the storage error (e.g.
    /// [`RepoError::Conflict`] on a unique index).
    pub async fn update_by_id<C, A>(
        &self,
        conn: &C,
        id: &str,
        mut model: A,
        now: DateTime<Utc>,
    ) -> Result<E::Model, RepoError>
    where
        C: ConnectionTrait,
        A: ActiveModelTrait<Entity = E> + Send,
    {
        for column in [E::ID, E::CREATED_AT, E::UPDATED_AT, E::DELETED_AT] {
            model.not_set(column);
        }
        let backend = conn.get_database_backend();
        let mut rows = E::update_many()
            .set(model)
            .col_expr(E::UPDATED_AT, Expr::val(now))
            .filter(self.condition(backend))
            .filter(E::ID.eq(id))
            .exec_with_returning(conn)
            .await
            .map_err(repo_error)?;
        rows.pop().ok_or(RepoError::NotFound)
    }

    /// Sets `changes` (column → expression, e.g. `Expr::col(Stock).sub(2)`) on every matching
    /// row; returns how many rows changed. With a scope such as `stock >= 2` this is the atomic
    /// conditional update the architecture asks for.
    ///
    /// # Errors
    /// The storage error, translated by [`repo_error`].
    pub async fn update_many<C, I>(
        &self,
        conn: &C,
        changes: I,
        now: DateTime<Utc>,
    ) -> Result<u64, RepoError>
    where
        C: ConnectionTrait,
        I: IntoIterator<Item = (E::Column, Expr)>,
    {
        let backend = conn.get_database_backend();
        let update = changes
            .into_iter()
            .fold(E::update_many(), |update, (column, expr)| {
                update.col_expr(column, expr)
            });
        update
            .col_expr(E::UPDATED_AT, Expr::val(now))
            .filter(self.condition(backend))
            .exec(conn)
            .await
            .map(|result| result.rows_affected)
            .map_err(repo_error)
    }

    /// [`update_many`](Self::update_many), returning the changed rows.
    ///
    /// # Errors
    /// The storage error, translated by [`repo_error`].
    pub async fn update_many_returning<C, I>(
        &self,
        conn: &C,
        changes: I,
        now: DateTime<Utc>,
    ) -> Result<Vec<E::Model>, RepoError>
    where
        C: ConnectionTrait,
        I: IntoIterator<Item = (E::Column, Expr)>,
    {
        let backend = conn.get_database_backend();
        let update = changes
            .into_iter()
            .fold(E::update_many(), |update, (column, expr)| {
                update.col_expr(column, expr)
            });
        update
            .col_expr(E::UPDATED_AT, Expr::val(now))
            .filter(self.condition(backend))
            .exec_with_returning(conn)
            .await
            .map_err(repo_error)
    }

    /// Soft-deletes every matching row (sets `deleted_at` and `updated_at` to `now`); returns
    /// how many rows were deleted.
    ///
    /// # Errors
    /// The storage error, translated by [`repo_error`].
    pub async fn soft_delete<C: ConnectionTrait>(
        &self,
        conn: &C,
        now: DateTime<Utc>,
    ) -> Result<u64, RepoError> {
        self.update_many(conn, [(E::DELETED_AT, Expr::val(now))], now)
            .await
    }

    /// Soft-deletes the row with primary key `id` within the scopes.
    ///
    /// # Errors
    /// [`RepoError::NotFound`] when no live row matches; otherwise the storage error.
    pub async fn soft_delete_by_id<C: ConnectionTrait>(
        &self,
        conn: &C,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        match self.clone().id(id).soft_delete(conn, now).await? {
            0 => Err(RepoError::NotFound),
            _ => Ok(()),
        }
    }

    /// Removes every matching row for good; returns how many were removed. Add
    /// [`with_deleted`](Self::with_deleted) to purge soft-deleted rows.
    ///
    /// # Errors
    /// The storage error, translated by [`repo_error`].
    pub async fn hard_delete<C: ConnectionTrait>(&self, conn: &C) -> Result<u64, RepoError> {
        E::delete_many()
            .filter(self.condition(conn.get_database_backend()))
            .exec(conn)
            .await
            .map(|result| result.rows_affected)
            .map_err(repo_error)
    }
}
