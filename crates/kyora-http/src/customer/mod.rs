//! Customers, their addresses and notes over HTTP (spec 02 §3.4–3.6).

pub mod dto;
pub mod routes;
