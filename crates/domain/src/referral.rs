//! Referrals: a municipality's order of an intervention for a child and family.
//!
//! The terms of an order (goals, period, hours, conditions) are versioned: a
//! change is a new version, and every earlier version is kept.

use crate::Localized;
use crate::catalogue::Intervention;
use crate::ids::*;
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
