//! Inserts. The caller's model carries the id and the timestamps (from its id generator and
//! clock); the inserted row comes back as stored.

use kyora_core::RepoError;
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
};

use crate::error::repo_error;

/// The model of the entity behind active model `A`.
pub type ModelOf<A> = <<A as ActiveModelTrait>::Entity as EntityTrait>::Model;

/// Inserts one row and returns it as stored (`RETURNING` on both backends).
///
/// # Errors
/// [`RepoError::Conflict`] on a unique index; otherwise the storage error.
pub async fn create<C, A>(conn: &C, model: A) -> Result<ModelOf<A>, RepoError>
where
    C: ConnectionTrait,
    A: ActiveModelTrait + ActiveModelBehavior + Send,
    ModelOf<A>: IntoActiveModel<A>,
{
    model.insert(conn).await.map_err(repo_error)
}

/// Inserts several rows in one statement and returns them as stored; nothing for no models.
///
/// # Errors
/// [`RepoError::Conflict`] on a unique index (no row is inserted); otherwise the storage error.
pub async fn create_many<C, A, I>(conn: &C, models: I) -> Result<Vec<ModelOf<A>>, RepoError>
where
    C: ConnectionTrait,
    A: ActiveModelTrait + Send,
    I: IntoIterator<Item = A>,
    ModelOf<A>: IntoActiveModel<A>,
{
    A::Entity::insert_many(models)
        .exec_with_returning(conn)
        .await
        .map_err(repo_error)
}
