//! Consents: given and withdrawn over time, by a named person, for a named purpose.
//! A withdrawal takes effect from its moment and never rewrites history.

use crate::Localized;
use crate::case::{Child, FamilyMember, FamilyRole};
use crate::catalogue::Intervention;
use crate::ids::*;
use crate::referral::{ReferralTerms, SupportTarget};
use crate::rules::{Rule, RuleViolation};
use crate::text::ShortText;
use jiff::Timestamp;
use jiff::civil::Date;
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

/// A consent the law (or the provider's procedure) requires before an
/// intervention may be delivered, a description sent or a talk held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct RequiredConsent {
    /// Who must consent; `None` when no one in the needed role is registered
    /// on the case, which is itself a missing consent.
    pub giver: Option<ConsentGiver>,
    /// The role the giver has, for the explanation.
    pub role: GiverRole,
    /// For what.
    pub purpose: ConsentPurpose,
    /// The rule that requires it.
    pub rule: Rule,
}

/// Why someone is asked to consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GiverRole {
    /// Forældremyndighedsindehaver.
    CustodyHolder,
    /// Samværsforælder.
    VisitingParent,
    /// The young person from 15.
    YoungPerson,
    /// A parent taking part in the parent programme.
    ParticipatingParent,
    /// A parent, for written descriptions or sharing.
    Parent,
}

impl GiverRole {
    /// The role, as a sentence names it.
    pub fn name(self) -> Localized {
        match self {
            GiverRole::CustodyHolder => Localized::new("forældremyndighedsindehaveren", "the custody holder"),
            GiverRole::VisitingParent => Localized::new("samværsforælderen", "the visiting parent"),
            GiverRole::YoungPerson => Localized::new("den unge selv", "the young person"),
            GiverRole::ParticipatingParent => Localized::new("forælderen i forløbet", "the participating parent"),
            GiverRole::Parent => Localized::new("forælderen", "the parent"),
        }
    }
}

fn members_with(members: &[FamilyMember], role: FamilyRole) -> impl Iterator<Item = &FamilyMember> {
    members.iter().filter(move |m| m.has_role(role))
}

fn from_each(
    out: &mut Vec<RequiredConsent>,
    givers: Vec<FamilyMemberId>,
    role: GiverRole,
    purpose: ConsentPurpose,
    rule: Rule,
) {
    if givers.is_empty() {
        out.push(RequiredConsent { giver: None, role, purpose, rule });
    }
    for id in givers {
        out.push(RequiredConsent { giver: Some(ConsentGiver::FamilyMember(id)), role, purpose, rule });
    }
}

/// The consents an intervention needs to be delivered on a date: the
/// custody holder and visiting parent for supported visitation, and the
/// young person from 15 — their age computed on that date (BL § 104,
/// stk. 3); the custody holder for § 32 measures (BL § 32, stk. 2); the
/// participating parents for the parent programme (BL § 76). Supervised
/// visitation needs none: the committee decides.
pub fn required_consents(
    intervention: Intervention,
    terms: &ReferralTerms,
    child: &Child,
    members: &[FamilyMember],
    on: Date,
) -> Vec<RequiredConsent> {
    let mut out = Vec::new();
    let custody: Vec<_> = members_with(members, FamilyRole::CustodyHolder).map(|m| m.id).collect();
    match intervention {
        Intervention::SupportedVisitation => {
            from_each(
                &mut out,
                custody.clone(),
                GiverRole::CustodyHolder,
                ConsentPurpose::Intervention,
                Rule::CustodyHolderConsentToVisitation,
            );
            let visiting: Vec<_> = members_with(members, FamilyRole::VisitingParent)
                .filter(|m| !custody.contains(&m.id))
                .map(|m| m.id)
                .collect();
            for id in visiting {
                out.push(RequiredConsent {
                    giver: Some(ConsentGiver::FamilyMember(id)),
                    role: GiverRole::VisitingParent,
                    purpose: ConsentPurpose::Intervention,
                    rule: Rule::VisitingParentConsent,
                });
            }
            if child.age_on(on) >= 15 {
                out.push(RequiredConsent {
                    giver: Some(ConsentGiver::Child),
                    role: GiverRole::YoungPerson,
                    purpose: ConsentPurpose::Intervention,
                    rule: Rule::YoungPersonConsentFrom15,
                });
            }
        }
        Intervention::SupervisedVisitation => {}
        Intervention::HomeSupport | Intervention::ContactPerson => from_each(
            &mut out,
            custody,
            GiverRole::CustodyHolder,
            ConsentPurpose::Intervention,
            Rule::CustodyHolderConsentToSection32,
        ),
        Intervention::ParentProgramme => {
            let mut targets: Vec<_> = terms
                .aimed_at
                .iter()
                .filter_map(|t| match t {
                    SupportTarget::FamilyMember(id) => Some(*id),
                    _ => None,
                })
                .collect();
            if targets.is_empty() {
                targets = parents(members);
            }
            from_each(
                &mut out,
                targets,
                GiverRole::ParticipatingParent,
                ConsentPurpose::Intervention,
                Rule::ParentProgrammeVoluntary,
            );
        }
    }
    out
}

/// The parents asked about written descriptions and sharing: custody
/// holders and visiting parents.
fn parents(members: &[FamilyMember]) -> Vec<FamilyMemberId> {
    members
        .iter()
        .filter(|m| m.has_role(FamilyRole::CustodyHolder) || m.has_role(FamilyRole::VisitingParent))
        .map(|m| m.id)
        .collect()
}

/// The consents a supported-visitation description needs: every parent's
/// consent to written descriptions (BL § 104, stk. 3).
pub fn description_consents(members: &[FamilyMember]) -> Vec<RequiredConsent> {
    let mut out = Vec::new();
    from_each(
        &mut out,
        parents(members),
        GiverRole::Parent,
        ConsentPurpose::WrittenDescriptions,
        Rule::DescriptionNeedsConsent,
    );
    out
}

/// The consents needed to share what happened at a supported visit with the
/// placement setting (e.g. a talk with the caregiver after the visit).
pub fn sharing_consents(members: &[FamilyMember]) -> Vec<RequiredConsent> {
    let mut out = Vec::new();
    from_each(
        &mut out,
        parents(members),
        GiverRole::Parent,
        ConsentPurpose::SharingWithPlacement,
        Rule::SharingWithPlacementConsent,
    );
    out
}

/// The required consents that are not in force at `at` for this referral (a
/// consent recorded without a referral counts for all of the case).
pub fn missing_consents(
    required: &[RequiredConsent],
    consents: &[Consent],
    referral: ReferralId,
    at: Timestamp,
) -> Vec<RequiredConsent> {
    required
        .iter()
        .filter(|r| {
            !consents.iter().any(|c| {
                Some(c.giver) == r.giver
                    && c.purpose == r.purpose
                    && c.referral_id.is_none_or(|id| id == referral)
                    && c.in_force_at(at)
            })
        })
        .copied()
        .collect()
}

/// Checks that every required consent is in force at `at`; the first
/// missing one blocks, with who is missing and, when their consent was
/// withdrawn before `at`, since when.
pub fn check_consents(
    required: &[RequiredConsent],
    consents: &[Consent],
    referral: ReferralId,
    at: Timestamp,
) -> Result<(), RuleViolation> {
    let Some(missing) = missing_consents(required, consents, referral, at).into_iter().next() else {
        return Ok(());
    };
    let who = missing.role.name();
    let purpose = missing.purpose.name();
    let withdrawn = consents
        .iter()
        .filter(|c| Some(c.giver) == missing.giver && c.purpose == missing.purpose)
        .filter_map(|c| c.withdrawn_at.filter(|w| *w <= at))
        .max();
    use crate::calendar::{date_da, local_date};
    let when = local_date(at);
    Err(match (missing.giver, withdrawn) {
        (None, _) => RuleViolation::with(
            missing.rule,
            format!(
                "Der er ikke registreret nogen {} på sagen, så samtykket ({}) mangler.",
                who.da,
                purpose.da.to_lowercase()
            ),
            format!(
                "No one is registered as {} on the case, so the consent ({}) is missing.",
                who.en,
                purpose.en.to_lowercase()
            ),
        ),
        (Some(_), Some(w)) => RuleViolation::with(
            missing.rule,
            format!(
                "Samtykket fra {} ({}) blev tilbagekaldt {} og er ikke i kraft {}.",
                who.da,
                purpose.da.to_lowercase(),
                date_da(local_date(w)),
                date_da(when)
            ),
            format!(
                "The consent of {} ({}) was withdrawn on {} and is not in force on {}.",
                who.en,
                purpose.en.to_lowercase(),
                local_date(w),
                when
            ),
        ),
        (Some(_), None) => RuleViolation::with(
            missing.rule,
            format!("Samtykket fra {} ({}) er ikke i kraft {}.", who.da, purpose.da.to_lowercase(), date_da(when)),
            format!("The consent of {} ({}) is not in force on {}.", who.en, purpose.en.to_lowercase(), when),
        ),
    })
}

/// Checks a withdrawal: it takes effect from its moment, which is not
/// before the consent was given, not in the future, and not before anything
/// already done in reliance on the case's consents (`relied_on`: when visits
/// were held and descriptions sent) — a late recording never rewrites what
/// happened. A consent is withdrawn only once.
pub fn check_withdrawal(
    consent: &Consent,
    at: Timestamp,
    now: Timestamp,
    relied_on: &[Timestamp],
) -> Result<(), RuleViolation> {
    if consent.withdrawn_at.is_some() {
        return Err(RuleViolation::with(
            Rule::WithdrawalFromItsMoment,
            "Samtykket er allerede tilbagekaldt.",
            "The consent is already withdrawn.",
        ));
    }
    if at < consent.given_at {
        return Err(RuleViolation::with(
            Rule::WithdrawalFromItsMoment,
            "En tilbagekaldelse kan ikke ligge før samtykket blev givet.",
            "A withdrawal cannot come before the consent was given.",
        ));
    }
    if at > now {
        return Err(RuleViolation::with(
            Rule::WithdrawalFromItsMoment,
            "En tilbagekaldelse registreres, når den sker, ikke på forhånd.",
            "A withdrawal is recorded when it happens, not in advance.",
        ));
    }
    if let Some(last) = relied_on.iter().filter(|m| **m >= at).max() {
        use crate::calendar::{date_da, local_date};
        return Err(RuleViolation::with(
            Rule::WithdrawalFromItsMoment,
            format!(
                "Tilbagekaldelsen kan ikke dateres før {}, hvor der allerede blev handlet på samtykket.",
                date_da(local_date(*last))
            ),
            format!(
                "The withdrawal cannot be dated before {}, when the consent was already acted on.",
                local_date(*last)
            ),
        ));
    }
    Ok(())
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
