//! Accounts: workspaces, users, roles, sessions and tokens, password reset, email verification,
//! invitations (spec 01 part b).
//!
//! Rule: every read and write is scoped by the actor's workspace; another workspace's user or
//! invitation behaves exactly like a missing one. Emails go out after the database work commits
//! and never fail the request.

pub mod error;
pub mod model;
pub mod ports;
pub mod service;
mod tokens;

#[cfg(test)]
#[cfg(feature = "testing")]
mod tests;

pub use model::{Invitation, InvitationStatus, Session, User, Workspace};
pub use service::{
    AccountDeps, AccountService, AccountSettings, ClientInfo, LoginResult, NewOwner, TokenPair,
};
