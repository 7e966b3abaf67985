//! Aggregates and time series, computed in SQL on both backends.
//!
//! Money on SQLite: SQLite has no decimal type (sea-orm stores `Decimal` columns as REAL), so
//! sums of decimal columns are taken in integer units of the column's scale —
//! `SUM(CAST(ROUND(col * 10^scale) AS INTEGER))`, then divided by `10^scale` in Rust — which is
//! exact for every value the column can hold at that scale (up to about 9.2 × 10^14 units at
//! scale 4). Columns declared without a scale (`numeric`) are summed at
//! [`SQLITE_DEFAULT_DECIMAL_SCALE`] places; scales are capped at [`SQLITE_MAX_DECIMAL_SCALE`].
//! PostgreSQL sums `numeric` exactly. Averages on both backends are the exact `SUM / COUNT`
//! rounded to 16 fractional digits, half away from zero (spec 05 §4.1's division rule), so both
//! backends return the same value. Every aggregate is returned normalised (no trailing zeros).

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use kyora_core::RepoError;
use kyora_core::shared::timeseries::{Granularity, KeyValue, TimeSeries};
use rust_decimal::{Decimal, RoundingStrategy};
use sea_orm::sea_query::{ColumnType, Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, QueryResult, QuerySelect, QueryTrait,
};

use super::query::Query;
use super::scope::RangeEnd;
use super::table::Table;
use crate::error::repo_error;

/// Decimal places at which SQLite sums decimal columns declared without a scale.
pub const SQLITE_DEFAULT_DECIMAL_SCALE: u32 = 4;

/// The largest scale SQLite sums at (larger declared scales are rounded to it).
pub const SQLITE_MAX_DECIMAL_SCALE: u32 = 9;

/// Fractional digits kept by averages.
pub const AVERAGE_SCALE: u32 = 16;

/// What a time series measures per bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure<C> {
    /// The number of rows.
    Count,
    /// The sum of a column.
    Sum(C),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Number {
    Integer,
    Scaled(u32),
    Float,
}

fn number_kind<C: ColumnTrait>(column: C) -> Number {
    match column.def().get_column_type() {
        ColumnType::TinyInteger
        | ColumnType::SmallInteger
        | ColumnType::Integer
        | ColumnType::BigInteger
        | ColumnType::TinyUnsigned
        | ColumnType::SmallUnsigned
        | ColumnType::Unsigned
        | ColumnType::BigUnsigned => Number::Integer,
        ColumnType::Decimal(Some((_, scale))) | ColumnType::Money(Some((_, scale))) => {
            Number::Scaled(std::cmp::min(*scale, SQLITE_MAX_DECIMAL_SCALE))
        }
        ColumnType::Decimal(None) | ColumnType::Money(None) => {
            Number::Scaled(SQLITE_DEFAULT_DECIMAL_SCALE)
        }
        _ => Number::Float,
    }
}

fn col<C: ColumnTrait>(column: C) -> Expr {
    Expr::col(column.as_column_ref())
}

/// `template` with every `{col}` replaced by `expr`, in the backend's placeholder syntax.
fn custom(backend: DbBackend, template: &str, expr: Expr) -> Expr {
    match backend {
        DbBackend::Postgres => Expr::cust_with_exprs(template.replace("{col}", "$1"), [expr]),
        _ => {
            let uses = template.matches("{col}").count();
            Expr::cust_with_exprs(
                template.replace("{col}", "?"),
                std::iter::repeat_n(expr, uses),
            )
        }
    }
}

fn sum_expr<C: ColumnTrait>(column: C, backend: DbBackend) -> Expr {
    let template = match backend {
        DbBackend::Postgres => "CAST(COALESCE(SUM({col}), 0) AS NUMERIC)".to_owned(),
        _ => match number_kind(column) {
            Number::Integer => "COALESCE(SUM({col}), 0)".to_owned(),
            Number::Scaled(scale) => format!(
                "COALESCE(SUM(CAST(ROUND({{col}} * {}) AS INTEGER)), 0)",
                10_i64.pow(scale)
            ),
            Number::Float => "TOTAL({col})".to_owned(),
        },
    };
    custom(backend, &template, col(column))
}

fn read_sum<C: ColumnTrait>(
    row: &QueryResult,
    alias: &str,
    column: C,
    backend: DbBackend,
) -> Result<Decimal, DbErr> {
    if backend == DbBackend::Postgres {
        return row.try_get::<Decimal>("", alias);
    }
    match number_kind(column) {
        Number::Integer => Ok(Decimal::from(row.try_get::<i64>("", alias)?)),
        Number::Scaled(scale) => Decimal::try_new(row.try_get::<i64>("", alias)?, scale)
            .map_err(|err| DbErr::Type(err.to_string())),
        Number::Float => Decimal::try_from(row.try_get::<f64>("", alias)?)
            .map_err(|err| DbErr::Type(err.to_string())),
    }
}

fn read_count(row: &QueryResult, alias: &str) -> Result<Decimal, DbErr> {
    Ok(Decimal::from(row.try_get::<i64>("", alias)?))
}

fn average(sum: Decimal, count: Decimal) -> Result<Decimal, DbErr> {
    if count.is_zero() {
        return Ok(Decimal::ZERO);
    }
    sum.checked_div(count)
        .map(|avg| {
            avg.round_dp_with_strategy(AVERAGE_SCALE, RoundingStrategy::MidpointAwayFromZero)
                .normalize()
        })
        .ok_or_else(|| DbErr::Type("average overflows a decimal".into()))
}

fn key_expr<C: ColumnTrait>(column: C, backend: DbBackend) -> Expr {
    custom(backend, "COALESCE(CAST({col} AS TEXT), '')", col(column))
}

/// The start of the bucket holding `column`, as `Granularity::truncate` computes it: PostgreSQL
/// `date_trunc` in UTC; on SQLite `strftime` over the stored RFC 3339 text (weeks start on
/// Monday: the next Sunday, then six days back; quarters by month arithmetic).
fn bucket_expr<C: ColumnTrait>(granularity: Granularity, column: C, backend: DbBackend) -> Expr {
    let template = match backend {
        DbBackend::Postgres => format!("date_trunc('{}', {{col}}, 'UTC')", granularity.sql_unit()),
        _ => match granularity {
            Granularity::Hourly => "strftime('%Y-%m-%d %H:00:00', {col})",
            Granularity::Daily => "strftime('%Y-%m-%d 00:00:00', {col})",
            Granularity::Weekly => "strftime('%Y-%m-%d 00:00:00', {col}, 'weekday 0', '-6 days')",
            Granularity::Monthly => "strftime('%Y-%m-01 00:00:00', {col})",
            Granularity::Quarterly => {
                "strftime('%Y-', {col}) || printf('%02d', ((CAST(strftime('%m', {col}) AS INTEGER) - 1) / 3) * 3 + 1) || '-01 00:00:00'"
            }
            Granularity::Yearly => "strftime('%Y-01-01 00:00:00', {col})",
        }
        .to_owned(),
    };
    custom(backend, &template, col(column))
}

fn read_bucket(row: &QueryResult, alias: &str, backend: DbBackend) -> Result<DateTime<Utc>, DbErr> {
    if backend == DbBackend::Postgres {
        return row.try_get::<DateTime<Utc>>("", alias);
    }
    let text = row.try_get::<String>("", alias)?;
    NaiveDateTime::parse_from_str(&text, "%Y-%m-%d %H:%M:%S")
        .map(|naive| Utc.from_utc_datetime(&naive))
        .map_err(|err| DbErr::Type(format!("bucket `{text}`: {err}")))
}

const SUM: &str = "kyora_sum";
const COUNT: &str = "kyora_count";
const KEY: &str = "kyora_key";
const BUCKET: &str = "kyora_bucket";
const VALUE: &str = "kyora_value";

/// Aggregates over the rows a query matches (ordering, paging and locks do not apply).
impl<E: Table> Query<E> {
    /// Σ `column` (0 when no row matches).
    ///
    /// # Errors
    /// The storage error, translated by [`repo_error`].
    pub async fn sum<C: ConnectionTrait>(
        &self,
        conn: &C,
        column: E::Column,
    ) -> Result<Decimal, RepoError> {
        let backend = conn.get_database_backend();
        let statement = self
            .filtered(backend)
            .select_only()
            .expr_as(sum_expr(column, backend), SUM)
            .into_query();
        let row = conn.query_one(&statement).await.map_err(repo_error)?;
        let sum = match row {
            Some(row) => read_sum(&row, SUM, column, backend).map_err(repo_error)?,
            None => Decimal::ZERO,
        };
        Ok(sum.normalize())
    }

    /// The average of `column` over rows where it is not null (0 when there are none).
    ///
    /// # Errors
    /// The storage error, translated by [`repo_error`].
    pub async fn avg<C: ConnectionTrait>(
        &self,
        conn: &C,
        column: E::Column,
    ) -> Result<Decimal, RepoError> {
        let backend = conn.get_database_backend();
        let statement = self
            .filtered(backend)
            .select_only()
            .expr_as(sum_expr(column, backend), SUM)
            .expr_as(col(column).count(), COUNT)
            .into_query();
        let Some(row) = conn.query_one(&statement).await.map_err(repo_error)? else {
            return Ok(Decimal::ZERO);
        };
        let sum = read_sum(&row, SUM, column, backend).map_err(repo_error)?;
        let count = read_count(&row, COUNT).map_err(repo_error)?;
        average(sum, count).map_err(repo_error)
    }

    /// Σ `column` per value of `key` (as text; null keys are `""`), sorted by key.
    ///
    /// # Errors
    /// The storage error, translated by [`repo_error`].
    pub async fn sum_by<C: ConnectionTrait>(
        &self,
        conn: &C,
        key: E::Column,
        column: E::Column,
    ) -> Result<Vec<KeyValue>, RepoError> {
        let backend = conn.get_database_backend();
        self.grouped(conn, key, [(SUM, sum_expr(column, backend))], |row| {
            read_sum(row, SUM, column, backend).map(|sum| sum.normalize())
        })
        .await
    }

    /// The number of rows per value of `key`, sorted by key.
    ///
    /// # Errors
    /// The storage error, translated by [`repo_error`].
    pub async fn count_by<C: ConnectionTrait>(
        &self,
        conn: &C,
        key: E::Column,
    ) -> Result<Vec<KeyValue>, RepoError> {
        self.grouped(conn, key, [(COUNT, Expr::cust("COUNT(*)"))], |row| {
            read_count(row, COUNT)
        })
        .await
    }

    /// The average of `column` per value of `key`, sorted by key.
    ///
    /// # Errors
    /// The storage error, translated by [`repo_error`].
    pub async fn avg_by<C: ConnectionTrait>(
        &self,
        conn: &C,
        key: E::Column,
        column: E::Column,
    ) -> Result<Vec<KeyValue>, RepoError> {
        let backend = conn.get_database_backend();
        self.grouped(
            conn,
            key,
            [
                (SUM, sum_expr(column, backend)),
                (COUNT, col(column).count()),
            ],
            |row| {
                average(
                    read_sum(row, SUM, column, backend)?,
                    read_count(row, COUNT)?,
                )
            },
        )
        .await
    }

    async fn grouped<C, const N: usize>(
        &self,
        conn: &C,
        key: E::Column,
        values: [(&str, Expr); N],
        read: impl Fn(&QueryResult) -> Result<Decimal, DbErr>,
    ) -> Result<Vec<KeyValue>, RepoError>
    where
        C: ConnectionTrait,
    {
        let backend = conn.get_database_backend();
        let select = self
            .filtered(backend)
            .select_only()
            .expr_as(key_expr(key, backend), KEY);
        let statement = values
            .into_iter()
            .fold(select, |select, (alias, expr)| select.expr_as(expr, alias))
            .group_by(col(key))
            .into_query();
        let rows = conn.query_all(&statement).await.map_err(repo_error)?;
        let mut pairs = rows
            .iter()
            .map(|row| {
                Ok(KeyValue {
                    key: row.try_get::<String>("", KEY)?,
                    value: read(row)?,
                })
            })
            .collect::<Result<Vec<_>, DbErr>>()
            .map_err(repo_error)?;
        pairs.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(pairs)
    }

    /// `measure` per time bucket of `column` over the window `from ≤ column ≤ to` (both ends
    /// included, as spec 05 §4.2 windows are), with the granularity of that range
    /// ([`Granularity::for_range`]). Only buckets with rows are present; `None` when no row
    /// falls in the window.
    ///
    /// # Errors
    /// The storage error, translated by [`repo_error`].
    pub async fn time_series<C: ConnectionTrait>(
        &self,
        conn: &C,
        column: E::Column,
        measure: Measure<E::Column>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Option<TimeSeries>, RepoError> {
        let backend = conn.get_database_backend();
        let granularity = Granularity::for_range(from, to);
        let bucket = bucket_expr(granularity, column, backend);
        let value = match measure {
            Measure::Count => Expr::cust("COUNT(*)"),
            Measure::Sum(summed) => sum_expr(summed, backend),
        };
        let statement = self
            .clone()
            .time_range(column, Some(from), Some(to), RangeEnd::Inclusive)
            .filtered(backend)
            .select_only()
            .expr_as(bucket.clone(), BUCKET)
            .expr_as(value, VALUE)
            .group_by(bucket)
            .into_query();
        let rows = conn.query_all(&statement).await.map_err(repo_error)?;
        let buckets = rows
            .iter()
            .map(|row| {
                let value = match measure {
                    Measure::Count => read_count(row, VALUE)?,
                    Measure::Sum(summed) => read_sum(row, VALUE, summed, backend)?.normalize(),
                };
                Ok((read_bucket(row, BUCKET, backend)?, value))
            })
            .collect::<Result<Vec<_>, DbErr>>()
            .map_err(repo_error)?;
        Ok(TimeSeries::from_buckets(granularity, buckets))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn averages_round_to_sixteen_places_half_away_from_zero() {
        assert_eq!(average(dec!(2), dec!(3)).unwrap(), dec!(0.6666666666666667));
        assert_eq!(
            average(dec!(-2), dec!(3)).unwrap(),
            dec!(-0.6666666666666667)
        );
        assert_eq!(average(dec!(30.0000), dec!(4)).unwrap(), dec!(7.5));
        assert_eq!(average(dec!(5), Decimal::ZERO).unwrap(), Decimal::ZERO);
    }
}
