//! Appointments of every kind: visits, meetings, guidance and sessions, with
//! who takes part, where, when (planned and actual) and how it went.

use crate::Localized;
use crate::calendar::{date_da, local_date};
use crate::case::{Child, FamilyMember};
use crate::catalogue::Intervention;
use crate::consent::{Consent, RequiredConsent, check_consents, required_consents, sharing_consents};
use crate::decision::{CommitteeDecision, VisitationSuspension};
use crate::ids::*;
use crate::referral::Referral;
use crate::rules::{Rule, RuleViolation};
use crate::text::{LongText, PersonName, ShortText};
use crate::time::DateRange;
use crate::time::TimeRange;
use crate::validation::Problem;
use crate::visitation::{check_visit, expiry_warning};
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

impl ArrivalPlan {
    /// The span from the first arrival to the last departure of a visit planned for `planned`.
    pub fn occupied(&self, planned: TimeRange) -> TimeRange {
        TimeRange {
            start: planned.start.min(self.parent_arrives).min(self.child_arrives),
            end: planned.end.max(self.parent_leaves).max(self.child_leaves),
        }
    }

    /// The same plan, every arrival and departure moved by `by`.
    pub fn shifted(self, by: jiff::SignedDuration) -> ArrivalPlan {
        ArrivalPlan {
            parent_arrives: self.parent_arrives + by,
            child_arrives: self.child_arrives + by,
            child_leaves: self.child_leaves + by,
            parent_leaves: self.parent_leaves + by,
        }
    }
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
        self.arrival.map_or(self.planned, |a| a.occupied(self.planned))
    }
}

/// What an appointment being planned or moved would take that is already taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Booked {
    /// The room.
    Room(RoomId),
    /// One of the practitioners.
    Practitioner(StaffId),
}

/// A clash between a planned appointment and one already booked: what both
/// take, and when the other one takes it (its [`Appointment::occupied`] span).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clash {
    /// The room or the practitioner taken twice.
    pub what: Booked,
    /// The appointment already booked.
    pub appointment: AppointmentId,
    /// Its case (whoever shows the clash decides whether more than «taken» may be said).
    pub case_id: CaseId,
    /// When it takes the room or the practitioner.
    pub occupied: TimeRange,
}

/// The clashes of a plan with the appointments already booked: the room
/// (when it is in one) and each practitioner, during `span` (the plan's
/// [`Appointment::occupied`] span, staggered arrival included), against each
/// other appointment's occupied span. A cancelled appointment takes nothing;
/// the appointment being moved is left out of `existing` by the caller. Room
/// clashes first, then each practitioner's, each in time order.
pub fn conflicts(
    span: &TimeRange,
    room: Option<RoomId>,
    practitioners: &[StaffId],
    existing: &[Appointment],
) -> Vec<Clash> {
    let mut found = Vec::new();
    let live = || {
        existing
            .iter()
            .filter(|a| !matches!(a.outcome, Some(Outcome::Cancelled { .. })))
            .filter(|a| a.occupied().overlaps(span))
    };
    let clash =
        |what: Booked, a: &Appointment| Clash { what, appointment: a.id, case_id: a.case_id, occupied: a.occupied() };
    if let Some(room) = room {
        found.extend(live().filter(|a| a.location == Location::Room(room)).map(|a| clash(Booked::Room(room), a)));
    }
    for staff in practitioners {
        found.extend(
            live().filter(|a| a.practitioners.ids().contains(staff)).map(|a| clash(Booked::Practitioner(*staff), a)),
        );
    }
    found.sort_by_key(|c| (matches!(c.what, Booked::Practitioner(_)), c.what, c.occupied.start, c.appointment));
    found.dedup();
    found
}

/// The days (in Copenhagen) a time range touches.
pub fn days_of(range: &TimeRange) -> DateRange {
    let start = local_date(range.start);
    let last = range.end.checked_sub(jiff::SignedDuration::from_micros(1)).unwrap_or(range.end);
    let end = local_date(last).max(start);
    DateRange { start, end }
}

/// Checks that an appointment with an outcome is not moved or deleted.
pub fn check_changeable(a: &Appointment) -> Result<(), RuleViolation> {
    if a.outcome.is_some() {
        return Err(RuleViolation::new(Rule::RecordedAppointmentIsFinal));
    }
    Ok(())
}

/// What the rules need to know about a case to judge an appointment of one
/// of its referrals.
#[derive(Debug, Clone, Copy)]
pub struct CaseRules<'a> {
    /// The child.
    pub child: &'a Child,
    /// The referral the appointment belongs to.
    pub referral: &'a Referral,
    /// The family.
    pub members: &'a [FamilyMember],
    /// Every consent of the case.
    pub consents: &'a [Consent],
    /// Every committee decision of the case.
    pub decisions: &'a [CommitteeDecision],
    /// Every suspension of the case.
    pub suspensions: &'a [VisitationSuspension],
}

impl CaseRules<'_> {
    fn is_visit(&self, kind: AppointmentKind) -> bool {
        kind == AppointmentKind::Visit && self.referral.intervention.is_visitation()
    }

    /// Checks that an appointment can be planned (or moved) to `range`: the
    /// referral is open and the range inside its period, and a visit obeys
    /// the committee's decisions and any suspension.
    pub fn check_plannable(&self, kind: AppointmentKind, range: &TimeRange) -> Result<(), RuleViolation> {
        use crate::referral::ReferralState::*;
        if !matches!(self.referral.state, Accepted | Active | Ending) {
            let state = self.referral.state.name();
            return Err(RuleViolation::with(
                Rule::AppointmentInsideOrder,
                format!("Bestillingen er {}; der kan ikke planlægges aftaler.", state.da.to_lowercase()),
                format!("The referral is {}; no appointments can be planned.", state.en.to_lowercase()),
            ));
        }
        let days = days_of(range);
        let period = self.referral.terms.period;
        if days.start < period.start || days.end > period.end {
            return Err(RuleViolation::with(
                Rule::AppointmentInsideOrder,
                format!("Den bestilte periode er {} til {}.", date_da(period.start), date_da(period.end)),
                format!("The ordered period is {} to {}.", period.start, period.end),
            ));
        }
        if self.is_visit(kind) {
            check_visit(self.referral.intervention, &days, self.decisions, self.suspensions)?;
        }
        Ok(())
    }

    /// The consents that must be in force when this appointment is held.
    pub fn consents_needed(&self, kind: AppointmentKind, at: Timestamp) -> Vec<RequiredConsent> {
        let i = self.referral.intervention;
        let mut needed = Vec::new();
        let delivers = match i {
            Intervention::SupportedVisitation | Intervention::SupervisedVisitation => kind == AppointmentKind::Visit,
            _ => true,
        };
        if delivers {
            needed = required_consents(i, &self.referral.terms, self.child, self.members, local_date(at));
        }
        if i == Intervention::SupportedVisitation && kind == AppointmentKind::CaregiverTalkAfterVisit {
            needed.extend(sharing_consents(self.members));
        }
        needed
    }

    /// What the coordinator should know about a planned appointment that
    /// does not stop the planning: consents not (yet) in force at its time,
    /// and a decision about to expire.
    pub fn warnings(&self, kind: AppointmentKind, range: &TimeRange, warn_days: u16) -> Vec<RuleViolation> {
        let mut out = Vec::new();
        if let Err(v) =
            check_consents(&self.consents_needed(kind, range.start), self.consents, self.referral.id, range.start)
        {
            out.push(v);
        }
        if self.is_visit(kind) && self.referral.intervention == Intervention::SupervisedVisitation {
            out.extend(expiry_warning(self.decisions, days_of(range).start, warn_days));
        }
        out
    }

    /// Checks an outcome: an appointment is held (or ended early) only once
    /// it has begun, and only when, at the time it took place, the consents
    /// were in force and the committee's decisions allowed it.
    pub fn check_outcome(
        &self,
        a: &Appointment,
        outcome: &Outcome,
        actual: Option<&TimeRange>,
        now: Timestamp,
    ) -> Result<(), RuleViolation> {
        if !outcome.took_place() {
            return Ok(());
        }
        let when = actual.unwrap_or(&a.planned);
        if when.start > now {
            return Err(RuleViolation::new(Rule::OutcomeAfterStart));
        }
        if self.is_visit(a.kind) {
            check_visit(self.referral.intervention, &days_of(when), self.decisions, self.suspensions)?;
        }
        check_consents(&self.consents_needed(a.kind, when.start), self.consents, self.referral.id, when.start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{FamilyRole, Relation};
    use crate::consent::{ConsentGiver, ConsentPurpose, check_withdrawal};
    use crate::decision::DecisionKind;
    use crate::referral::tests::referral;
    use crate::testkit::*;
    use crate::visitation::tests::decision;
    use jiff::civil::date;

    fn open_referral(i: Intervention) -> Referral {
        let mut r = referral(i, DateRange::new(date(2026, 1, 1), date(2026, 12, 31)).unwrap());
        r.accept(StaffId::new(), vec![StaffId::new()]).unwrap();
        r.activate().unwrap();
        r
    }

    fn held() -> Outcome {
        Outcome::Held { brought_by: None, incidents: None }
    }

    struct Case {
        child: Child,
        referral: Referral,
        members: Vec<FamilyMember>,
        consents: Vec<Consent>,
        decisions: Vec<CommitteeDecision>,
    }

    impl Case {
        fn new(i: Intervention, birth: jiff::civil::Date, members: Vec<FamilyMember>) -> Self {
            Case { child: child(birth), referral: open_referral(i), members, consents: vec![], decisions: vec![] }
        }
        fn rules(&self) -> CaseRules<'_> {
            CaseRules {
                child: &self.child,
                referral: &self.referral,
                members: &self.members,
                consents: &self.consents,
                decisions: &self.decisions,
                suspensions: &[],
            }
        }
        fn visit(&self, start: &str, end: &str) -> Appointment {
            appointment(self.referral.id, AppointmentKind::Visit, start, end)
        }
        fn hold(&self, a: &Appointment) -> Result<(), RuleViolation> {
            self.rules().check_outcome(a, &held(), None, t("2026-12-31T12:00:00Z"))
        }
    }

    #[test]
    fn supported_visitation_needs_the_custody_holders_consent() {
        let mut c = Case::new(Intervention::SupportedVisitation, date(2016, 5, 1), vec![mother()]);
        let visit = c.visit("2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z");
        let err = c.hold(&visit).unwrap_err();
        assert_eq!(err.rule, Rule::CustodyHolderConsentToVisitation);
        assert!(err.explain(crate::Lang::Da).contains("forældremyndighedsindehaveren"));
        assert!(err.explain(crate::Lang::Da).ends_with("(BL § 104, stk. 3)"));
        assert_eq!(c.rules().warnings(AppointmentKind::Visit, &visit.planned, 30).len(), 1, "planning only warns");
        let m = c.members[0].clone();
        c.consents.push(consent_of(&m, ConsentPurpose::Intervention, "2026-02-01T10:00:00Z", None));
        assert!(c.hold(&visit).is_ok());
        // Without any custody holder registered, the consent is missing too.
        let c = Case::new(Intervention::SupportedVisitation, date(2016, 5, 1), vec![]);
        let err = c.hold(&c.visit("2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z")).unwrap_err();
        assert!(err.explain(crate::Lang::En).contains("No one is registered as the custody holder"));
    }

    #[test]
    fn supported_visitation_needs_the_visiting_parents_consent() {
        let custody = member(Relation::Mother, vec![FamilyRole::CustodyHolder]);
        let father = member(Relation::Father, vec![FamilyRole::VisitingParent]);
        let mut c = Case::new(Intervention::SupportedVisitation, date(2016, 5, 1), vec![custody.clone(), father]);
        c.consents.push(consent_of(&custody, ConsentPurpose::Intervention, "2026-02-01T10:00:00Z", None));
        let err = c.hold(&c.visit("2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z")).unwrap_err();
        assert_eq!(err.rule, Rule::VisitingParentConsent);
    }

    #[test]
    fn the_15th_birthday_on_the_day_of_a_visit_needs_the_young_persons_consent() {
        // Born 7 March 2011: 15 on Saturday 7 March 2026, the day of the visit.
        let mut c = Case::new(Intervention::SupportedVisitation, date(2011, 3, 7), vec![mother()]);
        let m = c.members[0].clone();
        c.consents.push(consent_of(&m, ConsentPurpose::Intervention, "2026-01-05T10:00:00Z", None));
        let day_before = c.visit("2026-03-06T15:00:00Z", "2026-03-06T17:00:00Z");
        let birthday = c.visit("2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z");
        assert!(c.hold(&day_before).is_ok(), "14 the day before: the custody holder's consent is enough");
        assert_eq!(c.hold(&birthday).unwrap_err().rule, Rule::YoungPersonConsentFrom15);
        c.consents.push(consent(ConsentGiver::Child, ConsentPurpose::Intervention, "2026-03-07T08:00:00Z", None));
        assert!(c.hold(&birthday).is_ok());
    }

    #[test]
    fn a_child_turning_15_during_a_course_consents_before_the_next_visit() {
        // Birthday Wednesday 18 March; visits on the Saturdays around it.
        let mut c = Case::new(Intervention::SupportedVisitation, date(2011, 3, 18), vec![mother()]);
        let m = c.members[0].clone();
        c.consents.push(consent_of(&m, ConsentPurpose::Intervention, "2026-01-05T10:00:00Z", None));
        let before = c.visit("2026-03-14T09:00:00Z", "2026-03-14T11:00:00Z");
        let after = c.visit("2026-03-21T09:00:00Z", "2026-03-21T11:00:00Z");
        assert!(c.hold(&before).is_ok());
        assert_eq!(c.hold(&after).unwrap_err().rule, Rule::YoungPersonConsentFrom15);
        let warnings = c.rules().warnings(AppointmentKind::Visit, &after.planned, 30);
        assert_eq!(warnings[0].rule, Rule::YoungPersonConsentFrom15, "the coordinator sees it when planning");
    }

    #[test]
    fn section_32_measures_need_the_custody_holders_consent() {
        for i in [Intervention::HomeSupport, Intervention::ContactPerson] {
            let mut c = Case::new(i, date(2012, 1, 1), vec![mother()]);
            let session = appointment(
                c.referral.id,
                AppointmentKind::HomeSupportSession,
                "2026-03-03T14:00:00Z",
                "2026-03-03T16:00:00Z",
            );
            let err = c.hold(&session).unwrap_err();
            assert_eq!(err.rule, Rule::CustodyHolderConsentToSection32);
            assert!(err.explain(crate::Lang::Da).ends_with("(BL § 32, stk. 2)"));
            let m = c.members[0].clone();
            c.consents.push(consent_of(&m, ConsentPurpose::Intervention, "2026-01-05T10:00:00Z", None));
            assert!(c.hold(&session).is_ok());
        }
    }

    #[test]
    fn the_parent_programme_needs_the_participating_parents_consent() {
        let father = member(Relation::Father, vec![FamilyRole::VisitingParent]);
        let mut c = Case::new(Intervention::ParentProgramme, date(2012, 1, 1), vec![mother(), father.clone()]);
        c.referral.terms.aimed_at = vec![crate::referral::SupportTarget::FamilyMember(father.id)];
        let talk =
            appointment(c.referral.id, AppointmentKind::ParentSession, "2026-03-03T14:00:00Z", "2026-03-03T15:00:00Z");
        assert_eq!(c.hold(&talk).unwrap_err().rule, Rule::ParentProgrammeVoluntary);
        c.consents.push(consent_of(&father, ConsentPurpose::Intervention, "2026-01-05T10:00:00Z", None));
        assert!(c.hold(&talk).is_ok(), "only the parent the programme is aimed at consents");
    }

    #[test]
    fn a_caregiver_talk_in_supported_visitation_needs_consent_to_share() {
        let mut c = Case::new(Intervention::SupportedVisitation, date(2016, 1, 1), vec![mother()]);
        let m = c.members[0].clone();
        c.consents.push(consent_of(&m, ConsentPurpose::Intervention, "2026-01-05T10:00:00Z", None));
        let talk = appointment(
            c.referral.id,
            AppointmentKind::CaregiverTalkAfterVisit,
            "2026-03-07T11:00:00Z",
            "2026-03-07T11:30:00Z",
        );
        assert_eq!(c.hold(&talk).unwrap_err().rule, Rule::SharingWithPlacementConsent);
        c.consents.push(consent_of(&m, ConsentPurpose::SharingWithPlacement, "2026-01-05T10:00:00Z", None));
        assert!(c.hold(&talk).is_ok());
    }

    #[test]
    fn a_consent_withdrawn_between_two_visits_blocks_only_the_later() {
        let mut c = Case::new(Intervention::SupportedVisitation, date(2016, 1, 1), vec![mother()]);
        let m = c.members[0].clone();
        c.consents.push(consent_of(
            &m,
            ConsentPurpose::Intervention,
            "2026-01-05T10:00:00Z",
            Some("2026-03-10T12:00:00Z"),
        ));
        let first = c.visit("2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z");
        let second = c.visit("2026-03-14T09:00:00Z", "2026-03-14T11:00:00Z");
        assert!(c.hold(&first).is_ok(), "the earlier visit stays held");
        let err = c.hold(&second).unwrap_err();
        assert_eq!(err.rule, Rule::CustodyHolderConsentToVisitation);
        assert!(err.explain(crate::Lang::Da).contains("blev tilbagekaldt 10.3.2026"));
    }

    #[test]
    fn a_withdrawal_cannot_be_dated_before_the_consent_or_in_the_future() {
        let m = mother();
        let c = consent_of(&m, ConsentPurpose::Intervention, "2026-01-05T10:00:00Z", None);
        let now = t("2026-03-10T12:00:00Z");
        assert!(check_withdrawal(&c, t("2026-03-10T11:00:00Z"), now, &[]).is_ok());
        assert_eq!(
            check_withdrawal(&c, t("2026-01-01T10:00:00Z"), now, &[]).unwrap_err().rule,
            Rule::WithdrawalFromItsMoment
        );
        assert!(check_withdrawal(&c, t("2026-03-11T10:00:00Z"), now, &[]).is_err());
        let gone = consent_of(&m, ConsentPurpose::Intervention, "2026-01-05T10:00:00Z", Some("2026-02-01T10:00:00Z"));
        assert!(check_withdrawal(&gone, now, now, &[]).is_err());
        // A visit held on 7 March relied on the consent: the withdrawal can be dated after it, not before.
        let held_at = [t("2026-03-07T09:00:00Z")];
        assert!(check_withdrawal(&c, t("2026-03-08T10:00:00Z"), now, &held_at).is_ok());
        let err = check_withdrawal(&c, t("2026-03-06T10:00:00Z"), now, &held_at).unwrap_err();
        assert!(err.explain(crate::Lang::Da).contains("før 7.3.2026"));
    }

    #[test]
    fn appointments_only_inside_an_open_order() {
        let mut c = Case::new(Intervention::HomeSupport, date(2012, 1, 1), vec![mother()]);
        let inside = TimeRange::new(t("2026-03-03T14:00:00Z"), t("2026-03-03T16:00:00Z")).unwrap();
        let after = TimeRange::new(t("2027-01-05T14:00:00Z"), t("2027-01-05T16:00:00Z")).unwrap();
        assert!(c.rules().check_plannable(AppointmentKind::HomeSupportSession, &inside).is_ok());
        let err = c.rules().check_plannable(AppointmentKind::HomeSupportSession, &after).unwrap_err();
        assert_eq!(err.rule, Rule::AppointmentInsideOrder);
        // New Year's Eve in Copenhagen is already 1 January in UTC+1 after 23:00 UTC.
        let late = TimeRange::new(t("2026-12-31T23:30:00Z"), t("2027-01-01T00:30:00Z")).unwrap();
        assert!(c.rules().check_plannable(AppointmentKind::HomeSupportSession, &late).is_err());
        c.referral.begin_ending().unwrap();
        c.referral.close(true).unwrap();
        assert_eq!(
            c.rules().check_plannable(AppointmentKind::HomeSupportSession, &inside).unwrap_err().rule,
            Rule::AppointmentInsideOrder
        );
    }

    #[test]
    fn a_supervised_visit_is_planned_and_held_only_inside_its_decision() {
        let mut c = Case::new(Intervention::SupervisedVisitation, date(2016, 1, 1), vec![mother()]);
        c.decisions.push(decision(DecisionKind::SupervisedVisitation, date(2026, 1, 1), date(2026, 3, 31)));
        let inside = c.visit("2026-03-28T09:00:00Z", "2026-03-28T11:00:00Z");
        let outside = c.visit("2026-04-04T08:00:00Z", "2026-04-04T10:00:00Z");
        assert!(c.rules().check_plannable(AppointmentKind::Visit, &inside.planned).is_ok());
        assert!(c.hold(&inside).is_ok(), "supervised visitation needs no consent");
        assert_eq!(
            c.rules().check_plannable(AppointmentKind::Visit, &outside.planned).unwrap_err().rule,
            Rule::SupervisedVisitNeedsDecision
        );
        assert_eq!(c.hold(&outside).unwrap_err().rule, Rule::SupervisedVisitNeedsDecision);
        // Planned inside, but actually held after the decision expired.
        let moved = TimeRange::new(t("2026-04-01T09:00:00Z"), t("2026-04-01T11:00:00Z")).unwrap();
        let err = c.rules().check_outcome(&inside, &held(), Some(&moved), t("2026-12-31T12:00:00Z")).unwrap_err();
        assert_eq!(err.rule, Rule::SupervisedVisitNeedsDecision);
        let warnings = c.rules().warnings(AppointmentKind::Visit, &inside.planned, 30);
        assert_eq!(warnings[0].rule, Rule::DecisionExpiryWarning);
    }

    #[test]
    fn an_appointment_is_held_only_once_it_has_begun() {
        let c = Case::new(Intervention::SupervisedVisitation, date(2016, 1, 1), vec![]);
        let mut c = c;
        c.decisions.push(decision(DecisionKind::SupervisedVisitation, date(2026, 1, 1), date(2026, 12, 31)));
        let visit = c.visit("2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z");
        let before = t("2026-03-07T08:59:00Z");
        assert_eq!(c.rules().check_outcome(&visit, &held(), None, before).unwrap_err().rule, Rule::OutcomeAfterStart);
        let cancelled = Outcome::Cancelled { by: CancelledBy::Parent, reason: None };
        assert!(
            c.rules().check_outcome(&visit, &cancelled, None, before).is_ok(),
            "a cancellation can be recorded ahead"
        );
        assert!(c.rules().check_outcome(&visit, &held(), None, t("2026-03-07T09:00:00Z")).is_ok());
    }

    #[test]
    fn a_recorded_appointment_cannot_be_moved_or_deleted() {
        let mut a =
            appointment(ReferralId::new(), AppointmentKind::Visit, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z");
        assert!(check_changeable(&a).is_ok());
        a.outcome = Some(held());
        assert_eq!(check_changeable(&a).unwrap_err().rule, Rule::RecordedAppointmentIsFinal);
    }

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

    #[test]
    fn a_plan_clashes_with_the_room_and_each_practitioner_taken_at_its_time() {
        let referral = ReferralId::new();
        let (room, other_room) = (RoomId::new(), RoomId::new());
        let (allan, maja) = (StaffId::new(), StaffId::new());
        let mut in_room = appointment(referral, AppointmentKind::Visit, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z");
        in_room.location = Location::Room(room);
        let mut with_allan =
            appointment(referral, AppointmentKind::ParentSession, "2026-03-07T10:30:00Z", "2026-03-07T12:00:00Z");
        with_allan.location = Location::Room(other_room);
        with_allan.practitioners = Practitioners::new(vec![allan]).unwrap();
        let existing = vec![in_room.clone(), with_allan.clone()];
        let span = TimeRange::new(t("2026-03-07T10:00:00Z"), t("2026-03-07T11:00:00Z")).unwrap();
        let found = conflicts(&span, Some(room), &[allan, maja], &existing);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!((found[0].what, found[0].appointment), (Booked::Room(room), in_room.id));
        assert_eq!((found[1].what, found[1].appointment), (Booked::Practitioner(allan), with_allan.id));
        assert_eq!(found[1].occupied, with_allan.planned);
        // Back to back is free; another room and another practitioner are free.
        let after = TimeRange::new(t("2026-03-07T12:00:00Z"), t("2026-03-07T13:00:00Z")).unwrap();
        assert!(conflicts(&after, Some(room), &[allan], &existing).is_empty());
        assert!(conflicts(&span, Some(RoomId::new()), &[maja], &existing).is_empty());
        assert!(conflicts(&span, None, &[], &existing).is_empty());
    }

    #[test]
    fn staggered_arrival_takes_the_room_before_and_after_the_visit_and_a_cancelled_one_takes_nothing() {
        let room = RoomId::new();
        let mut visit =
            appointment(ReferralId::new(), AppointmentKind::Visit, "2026-03-07T10:00:00Z", "2026-03-07T11:00:00Z");
        visit.location = Location::Room(room);
        visit.arrival = Some(ArrivalPlan {
            parent_arrives: t("2026-03-07T09:30:00Z"),
            child_arrives: t("2026-03-07T10:00:00Z"),
            child_leaves: t("2026-03-07T11:00:00Z"),
            parent_leaves: t("2026-03-07T11:30:00Z"),
        });
        let before = TimeRange::new(t("2026-03-07T09:00:00Z"), t("2026-03-07T09:45:00Z")).unwrap();
        let found = conflicts(&before, Some(room), &[], std::slice::from_ref(&visit));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].occupied.start, t("2026-03-07T09:30:00Z"));
        assert_eq!(found[0].occupied.end, t("2026-03-07T11:30:00Z"));
        visit.outcome = Some(Outcome::Cancelled { by: CancelledBy::Parent, reason: None });
        assert!(conflicts(&before, Some(room), &[], &[visit]).is_empty());
    }
}
