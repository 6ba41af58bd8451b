//! Valid domain records for tests: a small world of one provider, its staff,
//! a room and one case with a supervised-visitation referral.

use crate::{Store, Tx};
use jiff::Timestamp;
use jiff::civil::{Date, Time, date};
use samvirke_domain::appointment::*;
use samvirke_domain::case::*;
use samvirke_domain::catalogue::Intervention;
use samvirke_domain::consent::*;
use samvirke_domain::cpr::Cpr;
use samvirke_domain::decision::*;
use samvirke_domain::document::*;
use samvirke_domain::journal::*;
use samvirke_domain::organisation::*;
use samvirke_domain::plan::*;
use samvirke_domain::referral::*;
use samvirke_domain::text::*;
use samvirke_domain::time::*;
use samvirke_domain::*;

/// Parses text that the test knows is valid.
pub fn text<const MAX: usize>(s: &str) -> BoundedText<MAX, false> {
    BoundedText::parse(s).expect("valid fixture text")
}

/// Parses multi-line text that the test knows is valid.
pub fn long(s: &str) -> LongText {
    LongText::parse(s).expect("valid fixture text")
}

/// Parses an RFC 3339 instant.
pub fn ts(s: &str) -> Timestamp {
    s.parse().expect("valid fixture timestamp")
}

/// A time range from two RFC 3339 instants.
pub fn range(start: &str, end: &str) -> TimeRange {
    TimeRange::new(ts(start), ts(end)).expect("valid fixture range")
}

/// A local time of day.
pub fn hm(h: i8, m: i8) -> Time {
    Time::new(h, m, 0, 0).expect("valid fixture time")
}

/// A municipality.
pub fn municipality(code: u16, name: &str) -> Municipality {
    Municipality { id: MunicipalityId::new(), code: MunicipalityCode::new(code).unwrap(), name: text(name) }
}

/// A practitioner at a provider, working weekdays 8–16.
pub fn practitioner(provider: ProviderId, name: &str, employment: Employment) -> Staff {
    let weekdays = [Day::Monday, Day::Tuesday, Day::Wednesday, Day::Thursday, Day::Friday];
    Staff {
        id: StaffId::new(),
        name: text(name),
        role: StaffRole::Practitioner,
        employer: Employer::Provider(provider),
        employment,
        email: None,
        supervision_trained: true,
        working_pattern: WeeklyPattern(
            weekdays.into_iter().map(|d| WeeklySlot::new(d, hm(8, 0), hm(16, 0)).unwrap()).collect(),
        ),
        max_weekly_minutes: None,
        active: true,
    }
}

/// A visitation room.
pub fn room(provider: ProviderId, name: &str) -> Room {
    Room {
        id: RoomId::new(),
        provider_id: provider,
        name: text(name),
        capacity: 6,
        suitable_for_visits: true,
        opening_hours: WeeklyPattern::default(),
        active: true,
    }
}

/// An open case for a child in a foster family with a secret address.
pub fn case(provider: ProviderId, municipality: MunicipalityId, child: &str, cpr: &str) -> Case {
    let id = CaseId::new();
    Case {
        id,
        reference: CaseReference::from_id(id),
        provider_id: provider,
        municipality_id: municipality,
        child: Child { name: text(child), cpr: Cpr::parse(cpr).unwrap() },
        placement: Some(PlacementSetting {
            kind: PlacementKind::FosterFamily,
            name: text("Plejefamilien Dahl"),
            address: Some(text("Skovvej 3, 7400 Herning")),
            address_secret: true,
            caregiver_name: Some(text("Hanne Dahl")),
            caregiver_phone: Some(text("+45 20 00 00 00")),
        }),
        opened_on: date(2026, 1, 5),
        closed_on: None,
        created_at: ts("2026-01-05T09:00:00Z"),
        revision: 1,
    }
}

/// A family member.
pub fn family_member(case: CaseId, name: &str, relation: Relation, roles: Vec<FamilyRole>) -> FamilyMember {
    FamilyMember {
        id: FamilyMemberId::new(),
        case_id: case,
        name: text(name),
        relation,
        roles: FamilyMember::normalise_roles(roles),
        phone: Some(text("+45 30 00 00 00")),
        email: None,
        address: Some(text("Torvet 1, 7400 Herning")),
        address_protected: false,
    }
}

/// A received referral (not yet accepted, nobody assigned) for a case, aimed at the child and one parent.
pub fn referral(case: CaseId, caseworker: StaffId, parent: FamilyMemberId, intervention: Intervention) -> Referral {
    let visitation = intervention.is_visitation().then(|| VisitationConditions {
        place: VisitPlace::ProviderPremises,
        duration_minutes: 120,
        recurrence: Some(Recurrence { day: Day::Saturday, start: hm(10, 0), end: hm(12, 0), interval_weeks: 2 }),
        may_attend: vec![parent],
        others_may_attend: Some(text("Mormor efter aftale")),
        topics_to_avoid: vec![text("Hjemgivelse"), text("Retssagen")],
        food: Permission::Allowed,
        gifts: Permission::ByAgreement,
        phones: Permission::NotAllowed,
        photos: Permission::NotAllowed,
        transport: Some(text("Plejemor bringer og henter")),
        stagger: Some(Stagger { parent_arrives_minutes_before: 15, parent_leaves_minutes_after: 15 }),
        other: Some(long("Mor må ikke spørge til plejefamiliens adresse.")),
    });
    Referral {
        id: ReferralId::new(),
        case_id: case,
        intervention,
        caseworker_id: caseworker,
        state: ReferralState::Received,
        coordinator_id: None,
        practitioner_ids: vec![],
        rejection_reason: None,
        terms: ReferralTerms {
            aimed_at: vec![SupportTarget::Child, SupportTarget::FamilyMember(parent)],
            work_goals: vec![text("Ida oplever trygge samvær med mor")],
            period: DateRange::new(date(2026, 1, 1), date(2026, 6, 30)).unwrap(),
            ordered_hours: 40,
            frequency: Frequency::new(1, 2).unwrap(),
            two_practitioners: false,
            visitation,
            notes: None,
        },
        terms_version: 1,
        received_at: ts("2026-01-02T10:00:00Z"),
        revision: 1,
    }
}

/// Version 1 of a referral's terms.
pub fn first_version(r: &Referral, caseworker: StaffId) -> ReferralVersion {
    ReferralVersion {
        referral_id: r.id,
        version: 1,
        terms: r.terms.clone(),
        changed_by: caseworker,
        changed_at: r.received_at,
        reason: None,
    }
}

/// A planned appointment of the world's referral at the family's home, with the first practitioner.
pub fn appointment(w: &World, kind: AppointmentKind, start: &str, end: &str) -> Appointment {
    Appointment {
        id: AppointmentId::new(),
        case_id: w.case.id,
        referral_id: w.referral.id,
        kind,
        planned: range(start, end),
        location: Location::FamilyHome,
        practitioners: Practitioners::new(vec![w.practitioner.id]).unwrap(),
        participants: vec![Participant::Child, Participant::FamilyMember(w.mother.id)],
        arrival: None,
        series_id: None,
        actual: None,
        outcome: None,
        outcome_recorded_at: None,
        created_at: ts("2026-01-10T09:00:00Z"),
        revision: 1,
    }
}

/// A committee decision on supervised visitation for a period.
pub fn decision(case: CaseId, start: Date, end: Date) -> CommitteeDecision {
    CommitteeDecision {
        id: DecisionId::new(),
        case_id: case,
        kind: DecisionKind::SupervisedVisitation,
        grounds: vec![SupervisionGround::SafetyConcern, SupervisionGround::AbuseKnownOrSuspected],
        period: DateRange::new(start, end).unwrap(),
        decided_on: start,
        note: Some(long("Afgørelse truffet på udvalgsmødet.")),
        recorded_at: ts("2026-01-03T12:00:00Z"),
    }
}

/// A suspension of visitation at the child's request.
pub fn suspension(case: CaseId, start: Date, end: Date) -> VisitationSuspension {
    VisitationSuspension {
        id: SuspensionId::new(),
        case_id: case,
        period: DateRange::new(start, end).unwrap(),
        decided_on: start,
        requested_by_child: true,
        note: None,
        recorded_at: ts("2026-02-27T12:00:00Z"),
    }
}

/// A consent given on 1 February 2026.
pub fn consent(w: &World, giver: ConsentGiver, purpose: ConsentPurpose) -> Consent {
    Consent {
        id: ConsentId::new(),
        case_id: w.case.id,
        referral_id: Some(w.referral.id),
        giver,
        purpose,
        given_at: ts("2026-02-01T10:00:00Z"),
        withdrawn_at: None,
        recorded_by: w.practitioner.id,
        note: Some(text("Givet skriftligt på opstartsmødet")),
    }
}

/// A journal entry by the first practitioner.
pub fn journal_entry(w: &World, body: &str, at: Timestamp) -> JournalEntry {
    JournalEntry {
        id: JournalEntryId::new(),
        case_id: w.case.id,
        appointment_id: None,
        author_id: w.practitioner.id,
        kind: JournalKind::SessionNote,
        body: long(body),
        written_at: at,
    }
}

/// A draft document with its first version.
pub fn document(w: &World, kind: DocumentKind, body: &str) -> (Document, DocumentVersion) {
    let id = DocumentId::new();
    let doc = Document {
        id,
        case_id: w.case.id,
        referral_id: w.referral.id,
        appointment_id: None,
        kind,
        title: text("Beskrivelse af samvær 7. marts"),
        state: DocumentState::Draft,
        corrects: None,
        created_at: ts("2026-03-07T14:00:00Z"),
        current_version: 1,
        revision: 1,
        sent_at: None,
    };
    let v1 = DocumentVersion {
        document_id: id,
        version: 1,
        body: long(body),
        child_views: None,
        family_comment: None,
        family_read_at: None,
        author_id: w.practitioner.id,
        created_at: ts("2026-03-07T14:00:00Z"),
    };
    (doc, v1)
}

/// The outbox message of sending a version of a document to the world's caseworker, by the coordinator.
pub fn outbox_message(w: &World, doc: &Document, v: &DocumentVersion, sent_at: Timestamp) -> OutboxMessage {
    OutboxMessage {
        id: OutboxMessageId::new(),
        document_id: doc.id,
        version: v.version,
        case_id: doc.case_id,
        referral_id: doc.referral_id,
        kind: doc.kind,
        corrects: doc.corrects,
        recipient_id: w.caseworker.id,
        municipality_id: w.municipality.id,
        title: doc.title.clone(),
        body: v.body.clone(),
        child_views: v.child_views.clone(),
        family_comment: v.family_comment.clone(),
        sent_by: w.coordinator.id,
        sent_at,
    }
}

/// A parent action plan in the start phase with one goal.
pub fn action_plan(w: &World) -> ActionPlan {
    ActionPlan {
        id: ActionPlanId::new(),
        case_id: w.case.id,
        referral_id: w.referral.id,
        phase: Phase::Start,
        phase_history: vec![PhaseChange { phase: Phase::Start, on: date(2026, 2, 1) }],
        goals: vec![Goal {
            id: GoalId::new(),
            text: text("Jeg kommer til tiden til samvær"),
            motivation: Some(text("Ida bliver ked af det, når jeg er sent på den")),
            actions: vec![PlanAction {
                text: text("Sætte alarm på telefonen dagen før"),
                who: Some(text("Mor")),
                due: Some(date(2026, 2, 15)),
                done: false,
            }],
            status: GoalStatus::Open,
        }],
        resources: vec![text("Mormor kan køre mor til samvær")],
        reviews: vec![],
        updated_at: ts("2026-02-01T12:00:00Z"),
        revision: 1,
    }
}

/// One provider in Herning with a coordinator, two practitioners, a municipal
/// caseworker, a room, and one case with mother and grandmother and an active
/// supervised-visitation referral assigned to the first practitioner.
#[derive(Debug, Clone)]
pub struct World {
    /// Herning Kommune (657).
    pub municipality: Municipality,
    /// The provider.
    pub provider: Provider,
    /// Birgitte Lund.
    pub coordinator: Staff,
    /// Mads Kjær, permanent, trained for supervision.
    pub practitioner: Staff,
    /// Karen Holm, hourly.
    pub practitioner2: Staff,
    /// Lene Bach, caseworker of the municipality.
    pub caseworker: Staff,
    /// Samværsrum 1.
    pub room: Room,
    /// Ida Sørensen's case.
    pub case: Case,
    /// Sara Sørensen: custody holder and visiting parent.
    pub mother: FamilyMember,
    /// Anne Sørensen: network member.
    pub grandmother: FamilyMember,
    /// Supervised visitation, active.
    pub referral: Referral,
}

impl World {
    /// Creates the world in one committed transaction.
    pub async fn create(store: &dyn Store) -> World {
        let mut t = store.begin().await.expect("begin");
        let w = Self::insert(&mut *t).await;
        t.commit().await.expect("commit world");
        w
    }

    /// Inserts the world in an open transaction.
    pub async fn insert(t: &mut dyn Tx) -> World {
        let municipality = municipality(657, "Herning Kommune");
        let provider =
            Provider { id: ProviderId::new(), name: text("Familiehuset Åen"), municipalities: vec![municipality.id] };
        let mut coordinator = practitioner(provider.id, "Birgitte Lund", Employment::Permanent);
        coordinator.role = StaffRole::Coordinator;
        let p1 = practitioner(provider.id, "Mads Kjær", Employment::Permanent);
        let mut p2 = practitioner(provider.id, "Karen Holm", Employment::Hourly);
        p2.supervision_trained = false;
        p2.working_pattern = WeeklyPattern(vec![WeeklySlot::new(Day::Saturday, hm(9, 0), hm(17, 0)).unwrap()]);
        p2.max_weekly_minutes = Some(15 * 60);
        let caseworker = Staff {
            id: StaffId::new(),
            name: text("Lene Bach"),
            role: StaffRole::Caseworker,
            employer: Employer::Municipality(municipality.id),
            employment: Employment::Permanent,
            email: Some(Email::parse("lene.bach@example.dk").unwrap()),
            supervision_trained: false,
            working_pattern: WeeklyPattern::default(),
            max_weekly_minutes: None,
            active: true,
        };
        let room = room(provider.id, "Samværsrum 1");
        let case = case(provider.id, municipality.id, "Ida Sørensen", "1203154321");
        let mother = family_member(
            case.id,
            "Sara Sørensen",
            Relation::Mother,
            vec![FamilyRole::VisitingParent, FamilyRole::CustodyHolder],
        );
        let grandmother =
            family_member(case.id, "Anne Sørensen", Relation::Grandparent, vec![FamilyRole::NetworkMember]);

        t.insert_municipality(&municipality).await.expect("municipality");
        t.insert_provider(&provider).await.expect("provider");
        for s in [&coordinator, &p1, &p2, &caseworker] {
            t.insert_staff(s).await.expect("staff");
        }
        t.insert_room(&room).await.expect("room");
        t.insert_case(&case).await.expect("case");
        t.insert_family_member(&mother).await.expect("mother");
        t.insert_family_member(&grandmother).await.expect("grandmother");

        let mut referral = referral(case.id, caseworker.id, mother.id, Intervention::SupervisedVisitation);
        referral.state = ReferralState::Active;
        referral.coordinator_id = Some(coordinator.id);
        referral.practitioner_ids = vec![p1.id];
        t.insert_referral(&referral, &first_version(&referral, caseworker.id)).await.expect("referral");
        World {
            municipality,
            provider,
            coordinator,
            practitioner: p1,
            practitioner2: p2,
            caseworker,
            room,
            case,
            mother,
            grandmother,
            referral,
        }
    }

    /// A new received referral of this world's caseworker for a case, aimed at the child and the mother.
    pub fn referral_for(&self, case: CaseId, intervention: Intervention) -> Referral {
        referral(case, self.caseworker.id, self.mother.id, intervention)
    }
}

/// An active account.
pub fn user(
    username: &str,
    role: samvirke_domain::user::Role,
    subject: samvirke_domain::user::Subject,
) -> samvirke_domain::user::User {
    samvirke_domain::user::User {
        id: UserId::new(),
        username: samvirke_domain::user::Username::parse(username).expect("valid fixture username"),
        display_name: text(username),
        role,
        subject,
        active: true,
        created_at: ts("2026-01-01T08:00:00Z"),
    }
}

/// An audit event: `actor` read a record of a case through the case route.
pub fn audit_event(
    at: Timestamp,
    actor: Option<UserId>,
    action: samvirke_domain::audit::AuditAction,
    case: Option<CaseId>,
) -> samvirke_domain::audit::AuditEvent {
    samvirke_domain::audit::AuditEvent {
        at,
        actor,
        action,
        record_kind: "case".into(),
        record_id: case.map(|c| c.0),
        case_id: case,
        from: Some("192.0.2.10".into()),
        route: Some("/api/v1/cases/{id}".into()),
    }
}

/// What generated appointments have taken, per room and practitioner, so
/// that a generator books none twice (the stores refuse that since migration 5).
#[derive(Default)]
pub struct Busy(std::collections::HashMap<uuid::Uuid, std::collections::BTreeMap<Timestamp, Timestamp>>);

impl Busy {
    /// Whether the room or person is free during `r`: the spans taken never
    /// overlap, so only the last one starting before `r.end` can.
    pub fn free(&self, who: uuid::Uuid, r: TimeRange) -> bool {
        self.0.get(&who).is_none_or(|m| m.range(..r.end).next_back().is_none_or(|(_, end)| *end <= r.start))
    }

    /// Whether the room (if any) and every practitioner are free during `r`; if so, takes them.
    pub fn book(&mut self, room: Option<RoomId>, staff: &[StaffId], r: TimeRange) -> bool {
        let all: Vec<uuid::Uuid> = room.map(|x| x.0).into_iter().chain(staff.iter().map(|s| s.0)).collect();
        if !all.iter().all(|w| self.free(*w, r)) {
            return false;
        }
        for w in all {
            self.0.entry(w).or_default().insert(r.start, r.end);
        }
        true
    }
}
