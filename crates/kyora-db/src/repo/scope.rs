//! Scopes: composable filters, each turned into a sea-query [`Condition`].

use std::fmt;

use chrono::{DateTime, Utc};
use kyora_core::shared::list::normalize_search;
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{ColumnTrait, Condition, DbBackend, Value};

use super::table::{BusinessScoped, Table, WorkspaceScoped};

/// Whether the end of a time range is part of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeEnd {
    /// `column <= to` (spec 05 §4.2 windows are `BETWEEN from AND to`).
    Inclusive,
    /// `column < to` (half-open ranges, e.g. "before next midnight").
    Exclusive,
}

/// One filter on the rows of table `E`.
///
/// Every scope qualifies its columns with the table name, so scopes stay correct when a query
/// joins other tables.
pub struct Scope<E: Table> {
    kind: Kind<E::Column>,
}

enum Kind<C> {
    Condition(Condition),
    Search { columns: Vec<C>, term: String },
}

impl<E: Table> Clone for Scope<E> {
    fn clone(&self) -> Self {
        Self {
            kind: match &self.kind {
                Kind::Condition(condition) => Kind::Condition(condition.clone()),
                Kind::Search { columns, term } => Kind::Search {
                    columns: columns.clone(),
                    term: term.clone(),
                },
            },
        }
    }
}

impl<E: Table> fmt::Debug for Scope<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Condition(condition) => f.debug_tuple("Scope").field(condition).finish(),
            Kind::Search { columns, term } => f
                .debug_struct("Search")
                .field("columns", columns)
                .field("term", term)
                .finish(),
        }
    }
}

fn col<C: ColumnTrait>(column: C) -> Expr {
    Expr::col(column.as_column_ref())
}

impl<E: Table> Scope<E> {
    fn condition_of(expr: impl Into<Condition>) -> Self {
        Self {
            kind: Kind::Condition(expr.into()),
        }
    }

    /// Rows of workspace `id`.
    pub fn workspace(id: impl Into<String>) -> Self
    where
        E: WorkspaceScoped,
    {
        Self::equals(E::WORKSPACE_ID, id.into())
    }

    /// Rows of business `id`.
    pub fn business(id: impl Into<String>) -> Self
    where
        E: BusinessScoped,
    {
        Self::equals(E::BUSINESS_ID, id.into())
    }

    /// The row with primary key `id`.
    pub fn id(id: impl Into<String>) -> Self {
        Self::equals(E::ID, id.into())
    }

    /// Rows whose primary key is one of `ids` (none when `ids` is empty).
    pub fn ids<I, S>(ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::is_in(E::ID, ids.into_iter().map(Into::into))
    }

    /// `column = value` (`IS NULL` for a null value).
    pub fn equals(column: E::Column, value: impl Into<Value>) -> Self {
        Self::condition_of(column.eq(value))
    }

    /// `column <> value`.
    pub fn not_equals(column: E::Column, value: impl Into<Value>) -> Self {
        Self::condition_of(column.ne(value))
    }

    /// `column IN (values)`; matches nothing when `values` is empty.
    pub fn is_in<I, V>(column: E::Column, values: I) -> Self
    where
        I: IntoIterator<Item = V>,
        V: Into<Value>,
    {
        Self::condition_of(column.is_in(values))
    }

    /// `column NOT IN (values)`; matches everything when `values` is empty.
    pub fn not_in<I, V>(column: E::Column, values: I) -> Self
    where
        I: IntoIterator<Item = V>,
        V: Into<Value>,
    {
        Self::condition_of(column.is_not_in(values))
    }

    /// `column > value`.
    pub fn gt(column: E::Column, value: impl Into<Value>) -> Self {
        Self::condition_of(column.gt(value))
    }

    /// `column >= value`.
    pub fn gte(column: E::Column, value: impl Into<Value>) -> Self {
        Self::condition_of(column.gte(value))
    }

    /// `column < value`.
    pub fn lt(column: E::Column, value: impl Into<Value>) -> Self {
        Self::condition_of(column.lt(value))
    }

    /// `column <= value`.
    pub fn lte(column: E::Column, value: impl Into<Value>) -> Self {
        Self::condition_of(column.lte(value))
    }

    /// `column BETWEEN low AND high` (both ends included).
    pub fn between<V: Into<Value>>(column: E::Column, low: V, high: V) -> Self {
        Self::condition_of(column.between(low, high))
    }

    /// `from <= column` and `column <= to` / `column < to` per `end`; a missing bound is open.
    ///
    /// The spec's "a date range includes its whole last day" is a domain rule: domains pass the
    /// end they mean. Timestamps must be stored in UTC: SQLite compares them as RFC 3339 text.
    pub fn time_range(
        column: E::Column,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        end: RangeEnd,
    ) -> Self {
        let mut condition = Condition::all();
        if let Some(from) = from {
            condition = condition.add(column.gte(from));
        }
        if let Some(to) = to {
            condition = condition.add(match end {
                RangeEnd::Inclusive => column.lte(to),
                RangeEnd::Exclusive => column.lt(to),
            });
        }
        Self::condition_of(condition)
    }

    /// [`time_range`](Self::time_range) on `created_at`.
    pub fn created_between(
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        end: RangeEnd,
    ) -> Self {
        Self::time_range(E::CREATED_AT, from, to, end)
    }

    /// Rows where any of `columns` contains `term`, case-insensitively: `ILIKE` on PostgreSQL,
    /// `LIKE` on SQLite (case-insensitive for ASCII letters only). `%`, `_` and `\` in the term
    /// match literally. The term is trimmed and its inner whitespace collapsed; a blank term (or
    /// no column) filters nothing.
    pub fn search<I>(columns: I, term: &str) -> Self
    where
        I: IntoIterator<Item = E::Column>,
    {
        match normalize_search(term) {
            Some(term) => Self {
                kind: Kind::Search {
                    columns: columns.into_iter().collect(),
                    term,
                },
            },
            None => Self::condition_of(Condition::all()),
        }
    }

    /// `column IS NULL`.
    pub fn is_null(column: E::Column) -> Self {
        Self::condition_of(column.is_null())
    }

    /// `column IS NOT NULL`.
    pub fn is_not_null(column: E::Column) -> Self {
        Self::condition_of(column.is_not_null())
    }

    /// Any sea-query condition (e.g. on a joined table).
    pub fn condition(condition: impl Into<Condition>) -> Self {
        Self::condition_of(condition)
    }

    /// The SQL condition of this scope on `backend`.
    pub fn to_condition(&self, backend: DbBackend) -> Condition {
        match &self.kind {
            Kind::Condition(condition) => condition.clone(),
            Kind::Search { columns, .. } if columns.is_empty() => Condition::all(),
            Kind::Search { columns, term } => {
                let pattern = format!("%{}%", escape_like(term));
                columns.iter().fold(Condition::any(), |any, column| {
                    any.add(match backend {
                        // sea-query parenthesises `pattern ESCAPE c` after ILIKE, which
                        // PostgreSQL rejects; spell the operator out.
                        DbBackend::Postgres => Expr::cust_with_exprs(
                            r"$1 ILIKE $2 ESCAPE '\'",
                            [col(*column), Expr::val(pattern.clone())],
                        ),
                        _ => col(*column).like(LikeExpr::new(pattern.clone()).escape('\\')),
                    })
                })
            }
        }
    }
}

/// Escapes the `LIKE` wildcards `%` and `_`, and the escape character `\` itself.
pub fn escape_like(term: &str) -> String {
    let mut escaped = String::with_capacity(term.len());
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_and_the_escape_character_are_escaped() {
        assert_eq!(escape_like(r"50%_off\now"), r"50\%\_off\\now");
        assert_eq!(escape_like("plain"), "plain");
    }
}
