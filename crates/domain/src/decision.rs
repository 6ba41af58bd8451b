//! Decisions that bind the provider: the Children and Youth Committee's
//! decision on supervised visitation, and the municipality's suspension of visitation.

use crate::Localized;
use crate::ids::*;
use crate::text::LongText;
use crate::time::DateRange;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Grounds on which the committee decides on supervised visitation (BL § 105).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SupervisionGround {
    /// Concern for the child's safety during visitation (BL § 105, stk. 1).
    SafetyConcern,
    /// The child has a very hard time during visitation (BL § 105, stk. 1).
    ChildStruggles,
    /// Known or suspected abuse by the visitor (BL § 105, stk. 2).
    AbuseKnownOrSuspected,
}

impl SupervisionGround {
    /// The ground in words.
    pub fn name(self) -> Localized {
        match self {
            SupervisionGround::SafetyConcern => Localized::new(
                "Bekymring for barnets sikkerhed under samvær",
                "Concern for the child's safety during visits",
            ),
            SupervisionGround::ChildStruggles => Localized::new(
                "Barnet har det meget svært under samvær",
                "The child has a very hard time during visits",
            ),
            SupervisionGround::AbuseKnownOrSuspected => {
                Localized::new("Kendskab til eller mistanke om overgreb", "Abuse known or suspected")
            }
        }
    }
}

/// What the committee decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// Visits are supervised for the period.
    SupervisedVisitation,
    /// Contact is cut off for the period.
    ContactCutOff,
}

/// A decision of the Children and Youth Committee (Børne- og Ungeudvalget).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CommitteeDecision {
    /// Identifier.
    pub id: DecisionId,
    /// The case.
    pub case_id: CaseId,
    /// What was decided.
    pub kind: DecisionKind,
    /// Grounds (at least one).
    pub grounds: Vec<SupervisionGround>,
    /// The period the decision is valid for.
    pub period: DateRange,
    /// The date of the decision.
    pub decided_on: Date,
    /// Notes.
    pub note: Option<LongText>,
    /// When it was recorded.
    pub recorded_at: Timestamp,
}

/// The municipality's suspension of visitation (BL § 104, stk. 5), possibly at the child's request (§ 103, stk. 2).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct VisitationSuspension {
    /// Identifier.
    pub id: SuspensionId,
    /// The case.
    pub case_id: CaseId,
    /// The window in which no visits are planned or held.
    pub period: DateRange,
    /// The date of the decision.
    pub decided_on: Date,
    /// The child asked for it.
    pub requested_by_child: bool,
    /// Notes.
    pub note: Option<LongText>,
    /// When it was recorded.
    pub recorded_at: Timestamp,
}
