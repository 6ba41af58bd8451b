//! The domain of Samvirke: family support in Danish child welfare.
//!
//! Types here cannot hold an invalid value (parse, don't validate), and every
//! rule of the field lives here once, with a test that names it and its
//! section of the law. This crate does no I/O and is not async: the store
//! persists what the domain decides, and the web layer only asks.

pub mod appointment;
pub mod audit;
pub mod availability;
pub mod calendar;
pub mod case;
pub mod catalogue;
pub mod consent;
pub mod cpr;
pub mod decision;
pub mod document;
pub mod documentation;
pub mod i18n;
pub mod ids;
pub mod journal;
pub mod law;
pub mod organisation;
pub mod plan;
pub mod policy;
pub mod protection;
pub mod referral;
pub mod rules;
pub mod series;
#[cfg(test)]
pub(crate) mod testkit;
pub mod text;
pub mod time;
pub mod time_entry;
pub mod user;
pub mod validation;
pub mod visitation;

pub use i18n::{Lang, Localized};
pub use ids::*;
