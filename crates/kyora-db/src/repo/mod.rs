//! The repository toolkit shared by every domain repository: a [`Table`] declaration per
//! entity, composable [`Scope`]s, and [`Query`] with its modifiers, reads, writes, aggregates
//! and time series. Everything runs on any sea-orm connection — the pool or the transaction of
//! a unit of work — on PostgreSQL and SQLite alike.
//!
//! A domain repository is then a few lines:
//!
//! ```ignore
//! async fn list(&self, workspace: &str, request: &ListRequest) -> Result<Page<Widget>, RepoError> {
//!     Ok(Query::<widget::Entity>::new()
//!         .workspace(workspace)
//!         .search([widget::Column::Name], request.search.as_deref().unwrap_or(""))
//!         .page(self, request)
//!         .await?
//!         .map(Widget::from))
//! }
//! ```

mod aggregate;
mod create;
mod query;
mod scope;
mod table;

pub use aggregate::{
    AVERAGE_SCALE, Measure, SQLITE_DEFAULT_DECIMAL_SCALE, SQLITE_MAX_DECIMAL_SCALE,
};
pub use create::{ModelOf, create, create_many};
pub use query::{Lock, Query};
pub use scope::{RangeEnd, Scope, escape_like};
pub use table::{BusinessScoped, FieldMap, Table, WorkspaceScoped};
