//! Builders for the domain's own tests: a child born on a date, a family,
//! consents, decisions and appointments, with nothing but what a test names.

use crate::appointment::{Appointment, AppointmentKind, Location, Practitioners};
use crate::case::{Case, CaseReference, Child, FamilyMember, FamilyRole, PlacementSetting, Relation};
use crate::consent::{Consent, ConsentGiver, ConsentPurpose};
use crate::cpr::Cpr;
use crate::ids::*;
use crate::text::PersonName;
use crate::time::TimeRange;
use jiff::Timestamp;
use jiff::civil::Date;

/// An instant, from RFC 3339.
pub fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// A child born on `birth` (in this century).
pub fn child(birth: Date) -> Child {
    let cpr = format!("{:02}{:02}{:02}-4321", birth.day(), birth.month(), birth.year() % 100);
    let child = Child { name: PersonName::parse("Barn Testesen").unwrap(), cpr: Cpr::parse(&cpr).unwrap() };
    assert_eq!(child.birth_date(), birth);
    child
}

/// A family member with roles.
pub fn member(relation: Relation, roles: Vec<FamilyRole>) -> FamilyMember {
    FamilyMember {
        id: FamilyMemberId::new(),
        case_id: CaseId::new(),
        name: PersonName::parse("Forælder Testesen").unwrap(),
        relation,
        roles: FamilyMember::normalise_roles(roles),
        phone: None,
        email: None,
        address: None,
        address_protected: false,
    }
}

/// A mother with custody who is also the visiting parent.
pub fn mother() -> FamilyMember {
    member(Relation::Mother, vec![FamilyRole::CustodyHolder, FamilyRole::VisitingParent])
}

/// A consent given at `given` (and withdrawn at `withdrawn`).
pub fn consent(giver: ConsentGiver, purpose: ConsentPurpose, given: &str, withdrawn: Option<&str>) -> Consent {
    Consent {
        id: ConsentId::new(),
        case_id: CaseId::new(),
        referral_id: None,
        giver,
        purpose,
        given_at: t(given),
        withdrawn_at: withdrawn.map(t),
        recorded_by: StaffId::new(),
        note: None,
    }
}

/// A family member's consent.
pub fn consent_of(m: &FamilyMember, purpose: ConsentPurpose, given: &str, withdrawn: Option<&str>) -> Consent {
    consent(ConsentGiver::FamilyMember(m.id), purpose, given, withdrawn)
}

/// An appointment of a referral between two instants.
pub fn appointment(referral: ReferralId, kind: AppointmentKind, start: &str, end: &str) -> Appointment {
    Appointment {
        id: AppointmentId::new(),
        case_id: CaseId::new(),
        referral_id: referral,
        kind,
        planned: TimeRange::new(t(start), t(end)).unwrap(),
        location: Location::FamilyHome,
        practitioners: Practitioners::new(vec![StaffId::new()]).unwrap(),
        participants: vec![],
        arrival: None,
        series_id: None,
        actual: None,
        outcome: None,
        outcome_recorded_at: None,
        created_at: t("2026-01-02T08:00:00Z"),
        revision: 1,
    }
}

/// A case about a child born on `birth`, placed in `placement`.
pub fn case(birth: Date, placement: Option<PlacementSetting>) -> Case {
    let id = CaseId::new();
    Case {
        id,
        reference: CaseReference::from_id(id),
        provider_id: ProviderId::new(),
        municipality_id: MunicipalityId::new(),
        child: child(birth),
        placement,
        opened_on: jiff::civil::date(2026, 1, 1),
        closed_on: None,
        created_at: t("2026-01-01T08:00:00Z"),
        revision: 1,
    }
}

/// A document of a referral, in a state, with its first version's text.
pub fn document(
    referral: &crate::referral::Referral,
    kind: crate::document::DocumentKind,
    state: crate::document::DocumentState,
    body: &str,
) -> (crate::document::Document, crate::document::DocumentVersion) {
    use crate::text::{LongText, ShortText};
    let d = crate::document::Document {
        id: DocumentId::new(),
        case_id: referral.case_id,
        referral_id: referral.id,
        appointment_id: None,
        kind,
        title: ShortText::parse(kind.name().da).unwrap(),
        state,
        corrects: None,
        created_at: t("2026-03-08T10:00:00Z"),
        current_version: 1,
        sent_at: None,
        revision: 1,
    };
    let v = crate::document::DocumentVersion {
        document_id: d.id,
        version: 1,
        body: LongText::parse(body).unwrap(),
        family_comment: None,
        child_views: None,
        family_read_at: None,
        author_id: StaffId::new(),
        created_at: t("2026-03-08T10:00:00Z"),
    };
    (d, v)
}
