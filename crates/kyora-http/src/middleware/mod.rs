//! The global pipeline (spec 01 §3.1), outermost first: trace id and request log, body-size
//! limit, CORS, problem documents around routing; panic recovery wraps each route.

pub mod body_limit;
pub mod client_ip;
pub mod cors;
pub mod panic;
pub mod problems;
pub mod trace;

pub use client_ip::client_ip;
pub use trace::TraceId;
