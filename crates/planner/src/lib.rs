//! The planner: assigns one or two practitioners and a room (or the family's
//! home) to every visit and session of a horizon, so that every hard rule
//! holds and the plan is as good as possible. See docs/PLANNER.md.
//!
//! Pure: no I/O, no dependency on the store or the web.

pub mod check;
pub mod generate;
pub mod model;
pub mod solve;

pub use check::{Violation, check};
pub use model::*;
pub use solve::{Options, lower_bound, replan, replan_weighed, solve};
