//! The JSON API, end to end: a real server on a port, a real SQLite database,
//! and a plain HTTP client.

mod access;
mod access_log;
mod accounts;
mod actors;
mod appointments;
mod audit;
mod bench;
mod booking;
mod calendar;
mod cases;
mod catalogue;
mod documents;
mod duties;
mod errors;
mod family;
mod feed;
mod headers;
mod health;
mod openapi;
mod organisation;
mod pages;
mod planning;
mod privacy;
mod properties;
mod records;
mod referrals;
mod rights;
mod sessions;
mod support;
