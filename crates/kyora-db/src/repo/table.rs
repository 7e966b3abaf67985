//! What the toolkit needs to know about a table: its standard columns, its tenant columns and
//! the JSON field names clients may order by.

use kyora_core::shared::list::OrderTerm;
use sea_orm::{EntityTrait, IdenStatic, Order};

/// A table with the standard columns of spec 01 §2: `id` (text primary key), `created_at`,
/// `updated_at` and `deleted_at` (soft delete).
///
/// A domain entity implements it in a few lines:
///
/// ```ignore
/// impl Table for widget::Entity {
///     const ID: Column = Column::Id;
///     const CREATED_AT: Column = Column::CreatedAt;
///     const UPDATED_AT: Column = Column::UpdatedAt;
///     const DELETED_AT: Column = Column::DeletedAt;
///     const FIELDS: FieldMap<Column> = FieldMap::new(&[
///         ("createdAt", Column::CreatedAt),
///         ("name", Column::Name),
///     ]);
/// }
/// ```
pub trait Table: EntityTrait {
    /// The primary key.
    const ID: Self::Column;
    /// Creation time.
    const CREATED_AT: Self::Column;
    /// Last change time; every toolkit write sets it.
    const UPDATED_AT: Self::Column;
    /// Soft-delete time; rows where it is set are invisible unless a query opts in.
    const DELETED_AT: Self::Column;
    /// The JSON field names clients may order lists by (spec 01 §4.7).
    const FIELDS: FieldMap<Self::Column>;
}

/// A table whose rows belong to a workspace.
pub trait WorkspaceScoped: Table {
    /// The `workspace_id` column.
    const WORKSPACE_ID: Self::Column;
}

/// A table whose rows belong to a business.
pub trait BusinessScoped: Table {
    /// The `business_id` column.
    const BUSINESS_ID: Self::Column;
}

/// JSON field name → column, declared once per entity.
#[derive(Debug, Clone, Copy)]
pub struct FieldMap<C: 'static> {
    entries: &'static [(&'static str, C)],
}

impl<C: IdenStatic> FieldMap<C> {
    /// A map over `entries` (`("createdAt", Column::CreatedAt)`, …).
    pub const fn new(entries: &'static [(&'static str, C)]) -> Self {
        Self { entries }
    }

    /// The column of JSON field `field` (exact, case-sensitive match).
    pub fn column(&self, field: &str) -> Option<C> {
        self.entries
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, column)| *column)
    }

    /// The ordering of `terms`; names not in the map are silently ignored (spec 01 §4.7).
    pub fn order(&self, terms: &[OrderTerm]) -> Vec<(C, Order)> {
        terms
            .iter()
            .filter_map(|term| {
                self.column(&term.field)
                    .map(|column| (column, direction(term.descending)))
            })
            .collect()
    }
}

pub(crate) fn direction(descending: bool) -> Order {
    if descending { Order::Desc } else { Order::Asc }
}
