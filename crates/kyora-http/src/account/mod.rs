//! The account routes: `/v1/auth`, `/v1/invitations`, `/v1/users`, `/v1/workspaces`.

pub mod dto;
pub mod routes;
