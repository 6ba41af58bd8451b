//! The planner's page (`/planning`): the coordinator asks for a plan of next
//! week or next month, sees the proposal measured against the plan as it
//! stands and each change it makes, and accepts all of it or the changes
//! ticked.

use crate::i18n::Text;
use crate::layout::Chrome;
use askama::Template;

/// A measure of a plan, now and as proposed.
#[derive(Debug, Clone)]
pub struct Measure {
    /// What is measured.
    pub label: Text,
    /// The plan as it stands.
    pub now: String,
    /// The proposal.
    pub proposed: String,
}

/// One change the planner proposes.
#[derive(Debug, Clone)]
pub struct ProposedChange {
    /// The change's form value.
    pub code: String,
    /// An id for the checkbox's label.
    pub id: String,
    /// When (weekday, date and time).
    pub when: String,
    /// The child's first name and the kind of appointment.
    pub what: String,
    /// Where the appointment links to.
    pub href: String,
    /// Practitioners and room now.
    pub now: String,
    /// Practitioners and room proposed.
    pub proposed: String,
    /// Nobody could take it.
    pub unstaffed: bool,
}

/// The planner's page.
#[derive(Debug, Template)]
#[template(path = "planning.html")]
pub struct PlanningPage {
    /// Language, path and who is signed in.
    pub chrome: Chrome,
    /// `week` or `month`.
    pub horizon: String,
    /// The first day, `YYYY-MM-DD`.
    pub from: String,
    /// The horizon in words (`uge 49: 30.11.–6.12.2026`).
    pub horizon_text: String,
    /// The next and previous horizon's first day.
    pub next: String,
    /// The previous horizon's first day.
    pub previous: String,
    /// Whether a proposal is shown.
    pub proposed: bool,
    /// Appointments the planner plans, and those left as they are.
    pub sessions: usize,
    /// Appointments left as they are (held, under way, or staffed by others).
    pub fixed: usize,
    /// How long the planner took, in words.
    pub took: String,
    /// The measures of both plans.
    pub measures: Vec<Measure>,
    /// Problems of the plan as it stands (a practitioner absent, a room closed).
    pub problems: Vec<String>,
    /// The changes, in time order.
    pub changes: Vec<ProposedChange>,
    /// The appointments nobody can take, even in the proposal.
    pub unstaffed: Vec<String>,
    /// Why an acceptance was refused.
    pub refused: Vec<String>,
    /// How many changes were just accepted.
    pub accepted: Option<usize>,
}

impl PlanningPage {
    /// The receipt after accepting.
    pub fn receipt(&self) -> Option<String> {
        self.accepted.map(|n| self.chrome.t(Text::PlanAccepted).replace("{n}", &n.to_string()))
    }

    /// «42 aftaler planlægges, 3 står fast».
    pub fn scope(&self) -> String {
        self.chrome
            .t(Text::PlanScope)
            .replace("{sessions}", &self.sessions.to_string())
            .replace("{fixed}", &self.fixed.to_string())
            .replace("{took}", &self.took)
    }
}
