//! Appointments of every kind: visits, meetings, guidance and sessions, with
//! who takes part, where, when (planned and actual) and how it went.

use crate::Localized;
use crate::ids::*;
use crate::text::{LongText, PersonName, ShortText};
use crate::time::TimeRange;
use crate::validation::Problem;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The kinds of appointment the field knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentKind {
    /// A visit (samvær) between the child and parent or network.
    Visit,
    /// The start meeting before the first visit or session.
    StartMeeting,
    /// Guidance with the parents alone before a visit.
    GuidanceBeforeVisit,
    /// Guidance with the parents alone after a visit.
    GuidanceAfterVisit,
    /// Talk with the child after a visit.
    ChildTalkAfterVisit,
    /// Talk with the caregiver after a visit.
    CaregiverTalkAfterVisit,
    /// A session of practical-pedagogical support in the home.
    HomeSupportSession,
    /// A meeting between the contact person and the young person.
    ContactPersonMeeting,
    /// A session in the parent programme (guidance talk).
    ParentSession,
    /// A follow-up meeting with the caseworker.
    FollowUpMeeting,
    /// A network meeting, called by the caseworker.
    NetworkMeeting,
}

impl AppointmentKind {
    /// All kinds.
    pub const ALL: [AppointmentKind; 11] = [
        AppointmentKind::Visit,
        AppointmentKind::StartMeeting,
        AppointmentKind::GuidanceBeforeVisit,
        AppointmentKind::GuidanceAfterVisit,
        AppointmentKind::ChildTalkAfterVisit,
        AppointmentKind::CaregiverTalkAfterVisit,
        AppointmentKind::HomeSupportSession,
        AppointmentKind::ContactPersonMeeting,
        AppointmentKind::ParentSession,
        AppointmentKind::FollowUpMeeting,
        AppointmentKind::NetworkMeeting,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            AppointmentKind::Visit => "visit",
            AppointmentKind::StartMeeting => "start_meeting",
            AppointmentKind::GuidanceBeforeVisit => "guidance_before_visit",
            AppointmentKind::GuidanceAfterVisit => "guidance_after_visit",
            AppointmentKind::ChildTalkAfterVisit => "child_talk_after_visit",
            AppointmentKind::CaregiverTalkAfterVisit => "caregiver_talk_after_visit",
            AppointmentKind::HomeSupportSession => "home_support_session",
            AppointmentKind::ContactPersonMeeting => "contact_person_meeting",
            AppointmentKind::ParentSession => "parent_session",
            AppointmentKind::FollowUpMeeting => "follow_up_meeting",
            AppointmentKind::NetworkMeeting => "network_meeting",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The kind's name.
    pub fn name(self) -> Localized {
        match self {
            AppointmentKind::Visit => Localized::new("Samvær", "Visit"),
            AppointmentKind::StartMeeting => Localized::new("Opstartsmøde", "Start meeting"),
            AppointmentKind::GuidanceBeforeVisit => Localized::new("Vejledning før samvær", "Guidance before visit"),
            AppointmentKind::GuidanceAfterVisit => Localized::new("Vejledning efter samvær", "Guidance after visit"),
            AppointmentKind::ChildTalkAfterVisit => {
                Localized::new("Samtale med barnet efter samvær", "Talk with the child after visit")
            }
            AppointmentKind::CaregiverTalkAfterVisit => {
                Localized::new("Samtale med omsorgsperson efter samvær", "Talk with the caregiver after visit")
            }
            AppointmentKind::HomeSupportSession => Localized::new("Støtte i hjemmet", "Home-support session"),
            AppointmentKind::ContactPersonMeeting => Localized::new("Kontaktpersonmøde", "Contact-person meeting"),
            AppointmentKind::ParentSession => Localized::new("Forældresamtale", "Parent guidance talk"),
            AppointmentKind::FollowUpMeeting => Localized::new("Opfølgningsmøde", "Follow-up meeting"),
            AppointmentKind::NetworkMeeting => Localized::new("Netværksmøde", "Network meeting"),
        }
    }
}

/// Where an appointment takes place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Location {
    /// A room at the provider.
    Room(RoomId),
    /// The family's home.
    FamilyHome,
    /// The placement setting.
    PlacementSetting,
    /// Elsewhere (a leisure activity, a shop, the municipality), described.
    Other(ShortText),
}

/// Who takes part, besides the practitioners.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Participant {
    /// The child or young person.
    Child,
    /// A family or network member of the case.
    FamilyMember(FamilyMemberId),
    /// A caseworker or provider staff member other than the assigned practitioners.
    Staff(StaffId),
    /// The caregiver from the placement setting.
    Caregiver,
    /// Someone else, named (a teacher, an interpreter).
    Other(PersonName),
}

/// Who called off an appointment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CancelledBy {
    /// The parent or network member.
    Parent,
    /// The child or young person.
    Child,
    /// The placement setting.
    PlacementSetting,
    /// The caseworker or municipality.
    Municipality,
    /// The provider.
    Provider,
}

/// How an appointment went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// Held as planned.
    Held {
        /// Who brought the child (for visits).
        brought_by: Option<ShortText>,
        /// Incidents during the appointment.
        incidents: Option<LongText>,
    },
    /// Called off beforehand.
    Cancelled {
        /// By whom.
        by: CancelledBy,
        /// Why.
        reason: Option<ShortText>,
    },
    /// Someone did not come.
    NoShow {
        /// Who did not come.
        who: CancelledBy,
    },
    /// Started, but ended before the planned end.
    EndedEarly {
        /// Who brought the child (for visits).
        brought_by: Option<ShortText>,
        /// Why it ended early.
        reason: LongText,
        /// Incidents during the appointment.
        incidents: Option<LongText>,
    },
}

impl Outcome {
    /// True when the appointment took place, at least in part.
    pub fn took_place(&self) -> bool {
        matches!(self, Outcome::Held { .. } | Outcome::EndedEarly { .. })
    }

    /// The stable code of the outcome kind.
    pub fn code(&self) -> &'static str {
        match self {
            Outcome::Held { .. } => "held",
            Outcome::Cancelled { .. } => "cancelled",
            Outcome::NoShow { .. } => "no_show",
            Outcome::EndedEarly { .. } => "ended_early",
        }
    }
}

/// The practitioners on an appointment: none yet, one, or two.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "Vec<StaffId>", into = "Vec<StaffId>")]
pub struct Practitioners(Vec<StaffId>);

impl Practitioners {
    /// At most two, and not the same person twice.
    pub fn new(ids: Vec<StaffId>) -> Result<Self, Problem> {
        if ids.len() > 2 {
            return Err(Problem::TooMany { max: 2 });
        }
        if ids.len() == 2 && ids[0] == ids[1] {
            return Err(Problem::Duplicate);
        }
        Ok(Self(ids))
    }

    /// The ids.
    pub fn ids(&self) -> &[StaffId] {
        &self.0
    }

    /// True when no one is assigned.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl TryFrom<Vec<StaffId>> for Practitioners {
    type Error = String;
    fn try_from(v: Vec<StaffId>) -> Result<Self, Self::Error> {
        Self::new(v).map_err(|p| p.message(crate::Lang::En))
    }
}

impl From<Practitioners> for Vec<StaffId> {
    fn from(p: Practitioners) -> Vec<StaffId> {
        p.0
    }
}

/// Planned arrival and departure of parent and child, when staggered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ArrivalPlan {
    /// When the parent arrives.
    pub parent_arrives: Timestamp,
    /// When the child arrives.
    pub child_arrives: Timestamp,
    /// When the child leaves.
    pub child_leaves: Timestamp,
    /// When the parent leaves.
    pub parent_leaves: Timestamp,
}

/// An appointment.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Appointment {
    /// Identifier.
    pub id: AppointmentId,
    /// The case.
    pub case_id: CaseId,
    /// The referral it delivers.
    pub referral_id: ReferralId,
    /// Kind.
    pub kind: AppointmentKind,
    /// Planned time.
    pub planned: TimeRange,
    /// Where.
    pub location: Location,
    /// Assigned practitioners.
    pub practitioners: Practitioners,
    /// Others taking part.
    pub participants: Vec<Participant>,
    /// Staggered arrival and departure, for visits that need it.
    pub arrival: Option<ArrivalPlan>,
    /// The series it was generated from.
    pub series_id: Option<SeriesId>,
    /// Actual time, once held.
    pub actual: Option<TimeRange>,
    /// How it went.
    pub outcome: Option<Outcome>,
    /// When the outcome was recorded.
    pub outcome_recorded_at: Option<Timestamp>,
    /// When created.
    pub created_at: Timestamp,
    /// Incremented on every change.
    pub revision: u32,
}

impl Appointment {
    /// The span during which the room and the practitioners are taken:
    /// from the first arrival to the last departure.
    pub fn occupied(&self) -> TimeRange {
        match self.arrival {
            Some(a) => TimeRange {
                start: self.planned.start.min(a.parent_arrives).min(a.child_arrives),
                end: self.planned.end.max(a.parent_leaves).max(a.child_leaves),
            },
            None => self.planned,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_appointment_has_at_most_two_different_practitioners() {
        let a = StaffId::new();
        let b = StaffId::new();
        assert!(Practitioners::new(vec![a, b]).is_ok());
        assert_eq!(Practitioners::new(vec![a, a]), Err(Problem::Duplicate));
        assert_eq!(Practitioners::new(vec![a, b, StaffId::new()]), Err(Problem::TooMany { max: 2 }));
    }

    #[test]
    fn appointment_kind_codes_round_trip() {
        for k in AppointmentKind::ALL {
            assert_eq!(AppointmentKind::from_code(k.code()), Some(k));
        }
    }
}
