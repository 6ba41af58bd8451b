//! Referrals: a municipality's order of an intervention for a child and family.
//!
//! The terms of an order (goals, period, hours, conditions) are versioned: a
//! change is a new version, and every earlier version is kept.

use crate::Localized;
use crate::catalogue::Intervention;
use crate::ids::*;
use crate::rules::{Rule, RuleViolation};
use crate::text::{LongText, ShortText};
use crate::time::{DateRange, Day};
use jiff::Timestamp;
use jiff::civil::Time;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where a referral is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReferralState {
    /// Ordered, not yet answered by the provider.
    Received,
    /// Accepted; coordinator and practitioner assigned.
    Accepted,
    /// Rejected by the provider, with a reason.
    Rejected,
    /// Sessions are being delivered.
    Active,
    /// The period is ending; the closing letter is being written.
    Ending,
    /// Closed.
    Closed,
}

impl ReferralState {
    /// All states in life order.
    pub const ALL: [ReferralState; 6] = [
        ReferralState::Received,
        ReferralState::Accepted,
        ReferralState::Rejected,
        ReferralState::Active,
        ReferralState::Ending,
        ReferralState::Closed,
    ];

    /// The state's name.
    pub fn name(self) -> Localized {
        match self {
            ReferralState::Received => Localized::new("Modtaget", "Received"),
            ReferralState::Accepted => Localized::new("Accepteret", "Accepted"),
            ReferralState::Rejected => Localized::new("Afvist", "Rejected"),
            ReferralState::Active => Localized::new("Aktiv", "Active"),
            ReferralState::Ending => Localized::new("Afsluttes", "Ending"),
            ReferralState::Closed => Localized::new("Afsluttet", "Closed"),
        }
    }

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            ReferralState::Received => "received",
            ReferralState::Accepted => "accepted",
            ReferralState::Rejected => "rejected",
            ReferralState::Active => "active",
            ReferralState::Ending => "ending",
            ReferralState::Closed => "closed",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// True while the provider works on the order.
    pub fn is_open(self) -> bool {
        matches!(self, ReferralState::Accepted | ReferralState::Active | ReferralState::Ending)
    }
}

/// Whom the support is aimed at: the order must say so precisely.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", content = "family_member_id", rename_all = "snake_case")]
pub enum SupportTarget {
    /// The child or young person.
    Child,
    /// A named parent or network member.
    FamilyMember(FamilyMemberId),
    /// The family as a whole.
    Family,
}

/// How often sessions take place: `sessions` every `weeks` weeks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Frequency {
    /// Sessions per interval (1–14).
    pub sessions: u8,
    /// Interval in weeks (1–8).
    pub weeks: u8,
}

impl Frequency {
    /// Parses a frequency.
    pub fn new(sessions: u8, weeks: u8) -> Result<Self, crate::validation::Problem> {
        use crate::validation::Problem::OutOfRange;
        if !(1..=14).contains(&sessions) {
            return Err(OutOfRange { min: 1, max: 14 });
        }
        if !(1..=8).contains(&weeks) {
            return Err(OutOfRange { min: 1, max: 8 });
        }
        Ok(Self { sessions, weeks })
    }
}

/// A weekly recurrence in local time, e.g. every other Saturday 10–12.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Recurrence {
    /// Day of the week.
    pub day: Day,
    /// Local start time.
    #[schema(value_type = String, example = "10:00:00")]
    pub start: Time,
    /// Local end time.
    #[schema(value_type = String, example = "12:00:00")]
    pub end: Time,
    /// Every `interval_weeks` weeks (1 = weekly, 2 = every other week).
    pub interval_weeks: u8,
}

/// Whether something is allowed during a visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Allowed.
    Allowed,
    /// Not allowed.
    NotAllowed,
    /// Only as agreed beforehand with the practitioner.
    ByAgreement,
}

/// Where visits take place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", content = "description", rename_all = "snake_case")]
pub enum VisitPlace {
    /// In the provider's visitation rooms.
    ProviderPremises,
    /// At the placement setting.
    PlacementSetting,
    /// In the visiting parent's home.
    ParentsHome,
    /// Elsewhere, described.
    Other(ShortText),
}

/// Staggered arrival and departure, so that a protected person is never met on the way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Stagger {
    /// Minutes the parent arrives before the child.
    pub parent_arrives_minutes_before: u16,
    /// Minutes the parent stays after the child has left.
    pub parent_leaves_minutes_after: u16,
}

/// The caseworker's conditions for visitation (vilkår, BL § 104, stk. 2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct VisitationConditions {
    /// Where.
    pub place: VisitPlace,
    /// Length of each visit in minutes.
    pub duration_minutes: u16,
    /// When, if the order fixes it.
    pub recurrence: Option<Recurrence>,
    /// Who may attend (family members of the case).
    pub may_attend: Vec<FamilyMemberId>,
    /// Others who may attend, described.
    pub others_may_attend: Option<ShortText>,
    /// Topics not to be raised with the child.
    pub topics_to_avoid: Vec<ShortText>,
    /// Bringing food.
    pub food: Permission,
    /// Giving gifts.
    pub gifts: Permission,
    /// Mobile phones during the visit.
    pub phones: Permission,
    /// Taking photos.
    pub photos: Permission,
    /// How the child comes and goes.
    pub transport: Option<ShortText>,
    /// Staggered arrival and departure.
    pub stagger: Option<Stagger>,
    /// Anything else the caseworker sets.
    pub other: Option<LongText>,
}

/// The terms of an order; a change is a new version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReferralTerms {
    /// Whom the support is aimed at.
    pub aimed_at: Vec<SupportTarget>,
    /// Work goals, in the caseworker's words.
    pub work_goals: Vec<ShortText>,
    /// The ordered period.
    pub period: DateRange,
    /// Ordered scope in hours for the period.
    pub ordered_hours: u32,
    /// How often.
    pub frequency: Frequency,
    /// Two practitioners at every session.
    pub two_practitioners: bool,
    /// Conditions for visitation (for the two visitation interventions).
    pub visitation: Option<VisitationConditions>,
    /// Further notes from the caseworker.
    pub notes: Option<LongText>,
}

/// A municipality's order of an intervention.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Referral {
    /// Identifier.
    pub id: ReferralId,
    /// The case.
    pub case_id: CaseId,
    /// The intervention ordered.
    pub intervention: Intervention,
    /// The ordering caseworker.
    pub caseworker_id: StaffId,
    /// State.
    pub state: ReferralState,
    /// The provider's coordinator, once accepted.
    pub coordinator_id: Option<StaffId>,
    /// Assigned practitioners (one or two; the first is the family's usual practitioner).
    pub practitioner_ids: Vec<StaffId>,
    /// Why it was rejected.
    pub rejection_reason: Option<LongText>,
    /// Current terms.
    pub terms: ReferralTerms,
    /// Version of the current terms (1 for the original order).
    pub terms_version: u32,
    /// When the order arrived.
    pub received_at: Timestamp,
    /// Incremented on every change.
    pub revision: u32,
}

/// One version of an order's terms, kept for history.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ReferralVersion {
    /// The referral.
    pub referral_id: ReferralId,
    /// Version number, from 1.
    pub version: u32,
    /// The terms of this version.
    pub terms: ReferralTerms,
    /// Who made the change.
    pub changed_by: StaffId,
    /// When.
    pub changed_at: Timestamp,
    /// Why (absent for the original order).
    pub reason: Option<ShortText>,
}

/// What can be done to a referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReferralAction {
    /// Accept, assigning a coordinator and practitioners.
    Accept,
    /// Reject, with a reason.
    Reject,
    /// Start delivering.
    Activate,
    /// Begin the ending of the course (the closing letter becomes due).
    BeginEnding,
    /// Close.
    Close,
    /// Change the terms (a new version).
    ChangeTerms,
}

/// Checks that an order states its purpose and whom it is aimed at (BL § 32,
/// stk. 3; BL § 104, stk. 2).
pub fn check_order(terms: &ReferralTerms) -> Result<(), RuleViolation> {
    if terms.work_goals.is_empty() {
        return Err(RuleViolation::with(
            Rule::OrderStatesPurpose,
            "Bestillingen har ingen arbejdsmål.",
            "The order has no work goals.",
        ));
    }
    if terms.aimed_at.is_empty() {
        return Err(RuleViolation::with(
            Rule::OrderStatesPurpose,
            "Bestillingen angiver ikke, hvem støtten retter sig mod.",
            "The order does not say whom the support is aimed at.",
        ));
    }
    Ok(())
}

impl Referral {
    /// The actions the referral's state allows now. Closing an ending
    /// referral is offered, and refused with its reason until the closing
    /// letter is sent.
    pub fn allowed_actions(&self) -> Vec<ReferralAction> {
        use ReferralAction::*;
        match self.state {
            ReferralState::Received => vec![Accept, Reject, ChangeTerms],
            ReferralState::Accepted => vec![Activate, Close, ChangeTerms],
            ReferralState::Active => vec![BeginEnding, ChangeTerms],
            ReferralState::Ending => vec![Close, ChangeTerms],
            ReferralState::Rejected | ReferralState::Closed => vec![],
        }
    }

    fn check_allowed(&self, action: ReferralAction) -> Result<(), RuleViolation> {
        if self.allowed_actions().contains(&action) {
            return Ok(());
        }
        let state = self.state.name();
        Err(RuleViolation::with(
            if action == ReferralAction::ChangeTerms { Rule::TermsChangeAsNewVersion } else { Rule::ReferralLifecycle },
            format!("Det kan man ikke, når bestillingen er {}.", state.da.to_lowercase()),
            format!("That is not possible while the referral is {}.", state.en.to_lowercase()),
        ))
    }

    /// Accepts the referral: a coordinator and the ordered number of practitioners.
    pub fn accept(&mut self, coordinator: StaffId, practitioners: Vec<StaffId>) -> Result<(), RuleViolation> {
        self.check_allowed(ReferralAction::Accept)?;
        let mut distinct = practitioners.clone();
        distinct.sort();
        distinct.dedup();
        let needed = if self.terms.two_practitioners { 2 } else { 1 };
        if distinct.len() < needed || distinct.len() != practitioners.len() {
            return Err(RuleViolation::with(
                Rule::AcceptNeedsAssignment,
                format!("Der er bestilt {needed} medarbejder(e); der er tildelt {}.", distinct.len()),
                format!("{needed} practitioner(s) are ordered; {} are assigned.", distinct.len()),
            ));
        }
        self.coordinator_id = Some(coordinator);
        self.practitioner_ids = practitioners;
        self.state = ReferralState::Accepted;
        Ok(())
    }

    /// Rejects the referral with a reason.
    pub fn reject(&mut self, reason: Option<LongText>) -> Result<(), RuleViolation> {
        self.check_allowed(ReferralAction::Reject)?;
        let Some(reason) = reason else {
            return Err(RuleViolation::new(Rule::RejectionNeedsReason));
        };
        self.rejection_reason = Some(reason);
        self.state = ReferralState::Rejected;
        Ok(())
    }

    /// Starts delivery.
    pub fn activate(&mut self) -> Result<(), RuleViolation> {
        self.check_allowed(ReferralAction::Activate)?;
        self.state = ReferralState::Active;
        Ok(())
    }

    /// Begins the ending of the course.
    pub fn begin_ending(&mut self) -> Result<(), RuleViolation> {
        self.check_allowed(ReferralAction::BeginEnding)?;
        self.state = ReferralState::Ending;
        Ok(())
    }

    /// Closes the referral. A course that was delivered closes only once its
    /// closing letter is sent; one that never started closes at once.
    pub fn close(&mut self, closing_letter_sent: bool) -> Result<(), RuleViolation> {
        self.check_allowed(ReferralAction::Close)?;
        if self.state == ReferralState::Ending && !closing_letter_sent {
            return Err(RuleViolation::new(Rule::ClosingLetterBeforeClosing));
        }
        self.state = ReferralState::Closed;
        Ok(())
    }

    /// Changes the terms: the new terms become the next version, and the
    /// returned version is what the history keeps.
    pub fn change_terms(
        &mut self,
        terms: ReferralTerms,
        changed_by: StaffId,
        changed_at: Timestamp,
        reason: Option<ShortText>,
    ) -> Result<ReferralVersion, RuleViolation> {
        self.check_allowed(ReferralAction::ChangeTerms)?;
        check_order(&terms)?;
        self.terms = terms;
        self.terms_version += 1;
        Ok(ReferralVersion {
            referral_id: self.id,
            version: self.terms_version,
            terms: self.terms.clone(),
            changed_by,
            changed_at,
            reason,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use jiff::civil::date;

    pub(crate) fn terms(period: DateRange) -> ReferralTerms {
        ReferralTerms {
            aimed_at: vec![SupportTarget::Family],
            work_goals: vec![ShortText::parse("Trygge samvær").unwrap()],
            period,
            ordered_hours: 40,
            frequency: Frequency::new(1, 2).unwrap(),
            two_practitioners: false,
            visitation: None,
            notes: None,
        }
    }

    pub(crate) fn referral(intervention: Intervention, period: DateRange) -> Referral {
        Referral {
            id: ReferralId::new(),
            case_id: CaseId::new(),
            intervention,
            caseworker_id: StaffId::new(),
            state: ReferralState::Received,
            coordinator_id: None,
            practitioner_ids: vec![],
            rejection_reason: None,
            terms: terms(period),
            terms_version: 1,
            received_at: "2026-01-05T09:00:00Z".parse().unwrap(),
            revision: 1,
        }
    }

    fn period() -> DateRange {
        DateRange::new(date(2026, 1, 1), date(2026, 6, 30)).unwrap()
    }

    #[test]
    fn referral_moves_only_along_its_lifecycle() {
        let mut r = referral(Intervention::HomeSupport, period());
        assert_eq!(r.activate().unwrap_err().rule, Rule::ReferralLifecycle);
        r.accept(StaffId::new(), vec![StaffId::new()]).unwrap();
        assert_eq!(r.state, ReferralState::Accepted);
        assert_eq!(r.reject(LongText::parse("for sent").ok()).unwrap_err().rule, Rule::ReferralLifecycle);
        r.activate().unwrap();
        assert_eq!(r.allowed_actions(), vec![ReferralAction::BeginEnding, ReferralAction::ChangeTerms]);
        assert_eq!(r.close(true).unwrap_err().rule, Rule::ReferralLifecycle, "an active course ends first");
        r.begin_ending().unwrap();
        r.close(true).unwrap();
        assert_eq!(r.state, ReferralState::Closed);
        assert!(r.allowed_actions().is_empty());
        // An accepted referral that never started can be closed at once.
        let mut never = referral(Intervention::HomeSupport, period());
        never.accept(StaffId::new(), vec![StaffId::new()]).unwrap();
        never.close(false).unwrap();
    }

    #[test]
    fn accepting_needs_a_coordinator_and_the_ordered_practitioners() {
        let mut r = referral(Intervention::SupervisedVisitation, period());
        r.terms.two_practitioners = true;
        let one = StaffId::new();
        let err = r.accept(StaffId::new(), vec![one]).unwrap_err();
        assert_eq!(err.rule, Rule::AcceptNeedsAssignment);
        assert!(err.explain(crate::Lang::Da).contains("Der er bestilt 2 medarbejder(e); der er tildelt 1."));
        assert_eq!(r.accept(StaffId::new(), vec![one, one]).unwrap_err().rule, Rule::AcceptNeedsAssignment);
        assert_eq!(r.state, ReferralState::Received, "a refused accept changes nothing");
        r.accept(StaffId::new(), vec![one, StaffId::new()]).unwrap();
        assert_eq!(r.practitioner_ids.len(), 2);
    }

    #[test]
    fn rejecting_needs_a_reason() {
        let mut r = referral(Intervention::ContactPerson, period());
        assert_eq!(r.reject(None).unwrap_err().rule, Rule::RejectionNeedsReason);
        r.reject(LongText::parse("Ingen ledig kapacitet i perioden").ok()).unwrap();
        assert_eq!(r.state, ReferralState::Rejected);
    }

    #[test]
    fn an_order_states_its_purpose_and_whom_it_is_aimed_at() {
        let mut t = terms(period());
        assert!(check_order(&t).is_ok());
        t.work_goals.clear();
        assert_eq!(check_order(&t).unwrap_err().rule, Rule::OrderStatesPurpose);
        let mut t = terms(period());
        t.aimed_at.clear();
        assert_eq!(check_order(&t).unwrap_err().rule, Rule::OrderStatesPurpose);
    }

    #[test]
    fn a_change_of_terms_is_a_new_version_while_open() {
        let mut r = referral(Intervention::HomeSupport, period());
        let mut longer = terms(DateRange::new(date(2026, 1, 1), date(2026, 12, 31)).unwrap());
        longer.ordered_hours = 80;
        let v = r.change_terms(longer.clone(), StaffId::new(), "2026-03-01T10:00:00Z".parse().unwrap(), None).unwrap();
        assert_eq!((v.version, r.terms_version, r.terms.ordered_hours), (2, 2, 80));
        r.reject(LongText::parse("Afvist").ok()).unwrap();
        let err = r.change_terms(longer, StaffId::new(), "2026-03-02T10:00:00Z".parse().unwrap(), None).unwrap_err();
        assert_eq!(err.rule, Rule::TermsChangeAsNewVersion);
        assert_eq!(r.terms_version, 2);
    }

    #[test]
    fn closing_needs_the_closing_letter_sent() {
        let mut r = referral(Intervention::HomeSupport, period());
        r.accept(StaffId::new(), vec![StaffId::new()]).unwrap();
        r.activate().unwrap();
        r.begin_ending().unwrap();
        assert_eq!(r.close(false).unwrap_err().rule, Rule::ClosingLetterBeforeClosing);
        assert_eq!(r.state, ReferralState::Ending);
        r.close(true).unwrap();
    }
}
