//! Consents: given and withdrawn over time, by a named person, for a named purpose.
//! A withdrawal takes effect from its moment and never rewrites history.

use crate::Localized;
use crate::ids::*;
use crate::text::ShortText;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a consent is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentPurpose {
    /// The intervention itself.
    Intervention,
    /// Written descriptions of visits sent to the caseworker.
    WrittenDescriptions,
    /// Sharing information with the placement setting.
    SharingWithPlacement,
}

impl ConsentPurpose {
    /// The purpose in words.
    pub fn name(self) -> Localized {
        match self {
            ConsentPurpose::Intervention => Localized::new("Selve indsatsen", "The intervention itself"),
            ConsentPurpose::WrittenDescriptions => {
                Localized::new("Skriftlige beskrivelser til sagsbehandler", "Written descriptions to the caseworker")
            }
            ConsentPurpose::SharingWithPlacement => {
                Localized::new("Deling med anbringelsesstedet", "Sharing with the placement setting")
            }
        }
    }
}

/// Who gave a consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", content = "family_member_id", rename_all = "snake_case")]
pub enum ConsentGiver {
    /// The child or young person themself.
    Child,
    /// A member of the family (custody holder, visiting parent).
    FamilyMember(FamilyMemberId),
}

/// A consent, in force from `given_at` until `withdrawn_at` (if ever).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Consent {
    /// Identifier.
    pub id: ConsentId,
    /// The case.
    pub case_id: CaseId,
    /// The referral it concerns, if tied to one order.
    pub referral_id: Option<ReferralId>,
    /// Who consented.
    pub giver: ConsentGiver,
    /// For what.
    pub purpose: ConsentPurpose,
    /// From when.
    pub given_at: Timestamp,
    /// Until when, once withdrawn.
    pub withdrawn_at: Option<Timestamp>,
    /// Staff who recorded it.
    pub recorded_by: StaffId,
    /// How it was given (in writing, orally at a meeting).
    pub note: Option<ShortText>,
}

impl Consent {
    /// True when the consent is in force at the instant `at`.
    pub fn in_force_at(&self, at: Timestamp) -> bool {
        self.given_at <= at && self.withdrawn_at.is_none_or(|w| at < w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_withdrawal_takes_effect_from_its_moment_and_not_before() {
        let t = |s: &str| s.parse::<Timestamp>().unwrap();
        let c = Consent {
            id: ConsentId::new(),
            case_id: CaseId::new(),
            referral_id: None,
            giver: ConsentGiver::Child,
            purpose: ConsentPurpose::Intervention,
            given_at: t("2026-01-01T10:00:00Z"),
            withdrawn_at: Some(t("2026-03-01T10:00:00Z")),
            recorded_by: StaffId::new(),
            note: None,
        };
        assert!(!c.in_force_at(t("2025-12-31T10:00:00Z")));
        assert!(c.in_force_at(t("2026-01-01T10:00:00Z")));
        assert!(c.in_force_at(t("2026-03-01T09:59:59Z")));
        assert!(!c.in_force_at(t("2026-03-01T10:00:00Z")));
    }
}
