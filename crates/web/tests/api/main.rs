//! The JSON API, end to end: a real server on a port, a real SQLite database,
//! and a plain HTTP client.

mod appointments;
mod cases;
mod catalogue;
mod errors;
mod health;
mod openapi;
mod organisation;
mod privacy;
mod records;
mod referrals;
mod rights;
mod support;
