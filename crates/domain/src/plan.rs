//! Plans that run through a course: the parent action plan (forældrehandleplan,
//! BL §§ 77–78) with its phases, and the contact person's focus areas.

use crate::Localized;
use crate::ids::*;
use crate::text::{LongText, ShortText};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The three phases of the parent programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Opstartsfase: meeting the crisis, mapping resources, setting goals.
    Start,
    /// Forandringsfase: working on the goals.
    Change,
    /// Vedligeholdelsesfase: keeping what has been reached.
    Maintenance,
}

impl Phase {
    /// The phase's name.
    pub fn name(self) -> Localized {
        match self {
            Phase::Start => Localized::new("Opstartsfase", "Start phase"),
            Phase::Change => Localized::new("Forandringsfase", "Change phase"),
            Phase::Maintenance => Localized::new("Vedligeholdelsesfase", "Maintenance phase"),
        }
    }
}

/// Where a goal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GoalStatus {
    /// Being worked on.
    Open,
    /// Reached.
    Achieved,
    /// Set aside, by agreement with the parents.
    Dropped,
}

/// A concrete action towards a goal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PlanAction {
    /// What will be done.
    pub text: ShortText,
    /// Who does it.
    pub who: Option<ShortText>,
    /// By when.
    pub due: Option<Date>,
    /// Done.
    pub done: bool,
}

/// One of the few concrete goals, formulated with the parents from their own motivation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Goal {
    /// Identifier.
    pub id: GoalId,
    /// The goal, in the parents' words.
    pub text: ShortText,
    /// Why it matters to the parents.
    pub motivation: Option<ShortText>,
    /// Actions.
    pub actions: Vec<PlanAction>,
    /// Status.
    pub status: GoalStatus,
}

/// A goal's rating at a review, 0 (not started) to 10 (reached).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GoalRating {
    /// The goal.
    pub goal_id: GoalId,
    /// Rating 0–10.
    pub score: u8,
}

/// A review of the plan with the parents: progress over time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PlanReview {
    /// The date of the review.
    pub on: Date,
    /// Ratings per goal.
    pub ratings: Vec<GoalRating>,
    /// Notes from the review.
    pub note: Option<LongText>,
}

/// A change of phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PhaseChange {
    /// The phase entered.
    pub phase: Phase,
    /// From this date.
    pub on: Date,
}

/// The parent action plan of a parent-programme referral.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ActionPlan {
    /// Identifier.
    pub id: ActionPlanId,
    /// The case.
    pub case_id: CaseId,
    /// The referral.
    pub referral_id: ReferralId,
    /// Current phase.
    pub phase: Phase,
    /// Phase history, oldest first (the first entry is the start phase).
    pub phase_history: Vec<PhaseChange>,
    /// Goals (few and concrete).
    pub goals: Vec<Goal>,
    /// The parents' resources and network.
    pub resources: Vec<ShortText>,
    /// Reviews, oldest first.
    pub reviews: Vec<PlanReview>,
    /// Last change.
    pub updated_at: Timestamp,
    /// Incremented on every change.
    pub revision: u32,
}

/// The contact person's focus areas, chosen with the young person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FocusAreaKind {
    /// Wishes and thoughts about the future.
    FutureWishes,
    /// Contact and visits with the family.
    FamilyContact,
    /// Shared activities in the family.
    FamilyActivities,
    /// Following up on family agreements.
    FamilyAgreements,
    /// Leisure life and friendships.
    LeisureAndFriends,
    /// Housing.
    Housing,
    /// Starting education.
    EducationStart,
    /// Social relations and contacts in leisure life.
    SocialRelations,
    /// Staying in education.
    StayingInEducation,
    /// Personal backing, guidance, interest and engagement.
    PersonalBacking,
}

impl FocusAreaKind {
    /// All ten.
    pub const ALL: [FocusAreaKind; 10] = [
        FocusAreaKind::FutureWishes,
        FocusAreaKind::FamilyContact,
        FocusAreaKind::FamilyActivities,
        FocusAreaKind::FamilyAgreements,
        FocusAreaKind::LeisureAndFriends,
        FocusAreaKind::Housing,
        FocusAreaKind::EducationStart,
        FocusAreaKind::SocialRelations,
        FocusAreaKind::StayingInEducation,
        FocusAreaKind::PersonalBacking,
    ];

    /// The area's name.
    pub fn name(self) -> Localized {
        use FocusAreaKind::*;
        match self {
            FutureWishes => Localized::new("Ønsker og tanker om fremtiden", "Wishes for the future"),
            FamilyContact => Localized::new("Kontakt og samvær med familien", "Contact and visits with family"),
            FamilyActivities => Localized::new("Fælles aktiviteter i familien", "Shared family activities"),
            FamilyAgreements => Localized::new("Opfølgning på aftaler i familien", "Follow-up on family agreements"),
            LeisureAndFriends => Localized::new("Fritidsliv og kammeratskaber", "Leisure life and friendships"),
            Housing => Localized::new("Bolig", "Housing"),
            EducationStart => Localized::new("Start på uddannelse", "Starting education"),
            SocialRelations => Localized::new("Sociale relationer", "Social relations"),
            StayingInEducation => Localized::new("At blive i uddannelsen", "Staying in education"),
            PersonalBacking => Localized::new("Personlig opbakning", "Personal backing"),
        }
    }
}

/// A focus area in a contact-person course.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FocusArea {
    /// Identifier.
    pub id: FocusAreaId,
    /// The case.
    pub case_id: CaseId,
    /// The referral.
    pub referral_id: ReferralId,
    /// The area.
    pub area: FocusAreaKind,
    /// What is agreed and how it goes.
    pub note: Option<LongText>,
    /// Since when.
    pub started_on: Date,
    /// Until when, once closed.
    pub ended_on: Option<Date>,
}
