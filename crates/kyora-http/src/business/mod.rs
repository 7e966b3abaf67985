//! Businesses, shipping zones and payment methods over HTTP (spec 02 §3.1–3.3).

pub mod dto;
pub mod routes;
