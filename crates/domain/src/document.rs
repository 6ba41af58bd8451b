//! Documents sent out of the provider: written descriptions of visits, status
//! letters and closing letters. Each has versions; a sent version is never changed.

use crate::Localized;
use crate::appointment::{Appointment, AppointmentKind};
use crate::calendar::local_date;
use crate::case::{Case, FamilyMember};
use crate::catalogue::Intervention;
use crate::consent::{Consent, check_consents, description_consents};
use crate::ids::*;
use crate::protection::check_no_secret_address;
use crate::referral::Referral;
use crate::rules::{Rule, RuleViolation};
use crate::text::{LongText, ShortText};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Kind of document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// A written description of one visit, to the caseworker.
    WrittenDescription,
    /// A status letter during the course.
    StatusLetter,
    /// The status letter at closing.
    ClosingLetter,
}

impl DocumentKind {
    /// The kind's name.
    pub fn name(self) -> Localized {
        match self {
            DocumentKind::WrittenDescription => Localized::new("Skriftlig beskrivelse", "Written description"),
            DocumentKind::StatusLetter => Localized::new("Statusskrivelse", "Status letter"),
            DocumentKind::ClosingLetter => Localized::new("Afsluttende statusskrivelse", "Closing letter"),
        }
    }
}

/// Where a document is in its workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentState {
    /// Being written.
    Draft,
    /// Waiting for the coordinator's review.
    CoordinatorReview,
    /// The family reads it and may add a comment.
    FamilyReview,
    /// Sent to the caseworker.
    Sent,
    /// Archived.
    Archived,
}

impl DocumentState {
    /// The state's name.
    pub fn name(self) -> Localized {
        match self {
            DocumentState::Draft => Localized::new("Kladde", "Draft"),
            DocumentState::CoordinatorReview => Localized::new("Til godkendelse", "Coordinator review"),
            DocumentState::FamilyReview => Localized::new("Til gennemlæsning hos familien", "Family review"),
            DocumentState::Sent => Localized::new("Sendt", "Sent"),
            DocumentState::Archived => Localized::new("Arkiveret", "Archived"),
        }
    }
}

/// A document.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Document {
    /// Identifier.
    pub id: DocumentId,
    /// The case.
    pub case_id: CaseId,
    /// The referral.
    pub referral_id: ReferralId,
    /// The visit it describes (written descriptions).
    pub appointment_id: Option<AppointmentId>,
    /// Kind.
    pub kind: DocumentKind,
    /// Title.
    pub title: ShortText,
    /// State.
    pub state: DocumentState,
    /// The sent document this one corrects.
    pub corrects: Option<DocumentId>,
    /// When created.
    pub created_at: Timestamp,
    /// Number of the latest version.
    pub current_version: u32,
    /// When it was sent to the caseworker; set once, never changed.
    pub sent_at: Option<Timestamp>,
    /// Incremented on every change.
    pub revision: u32,
}

/// One version of a document's text.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct DocumentVersion {
    /// The document.
    pub document_id: DocumentId,
    /// Version number, from 1.
    pub version: u32,
    /// The text.
    pub body: LongText,
    /// The family's comment, which travels with the document.
    pub family_comment: Option<LongText>,
    /// The child's own views, from a conversation with the child (BL §§ 3, 5).
    pub child_views: Option<LongText>,
    /// When the family read this version (family review).
    pub family_read_at: Option<Timestamp>,
    /// Who wrote this version.
    pub author_id: StaffId,
    /// When.
    pub created_at: Timestamp,
}

/// One sending of one document version to the ordering caseworker: a
/// record of exactly what was sent, when and to whom. Never changed.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct OutboxMessage {
    /// Identifier.
    pub id: OutboxMessageId,
    /// The document sent.
    pub document_id: DocumentId,
    /// Which version of it.
    pub version: u32,
    /// The case.
    pub case_id: CaseId,
    /// The referral the document reports on.
    pub referral_id: ReferralId,
    /// Kind of document.
    pub kind: DocumentKind,
    /// The document it corrects, when it is a correction.
    pub corrects: Option<DocumentId>,
    /// The recipient: the caseworker who ordered the intervention.
    pub recipient_id: StaffId,
    /// The recipient's municipality.
    pub municipality_id: MunicipalityId,
    /// Title as sent.
    pub title: ShortText,
    /// Text as sent.
    pub body: LongText,
    /// The child's views as sent.
    pub child_views: Option<LongText>,
    /// The family's comment, which travels with the document.
    pub family_comment: Option<LongText>,
    /// Who sent it.
    pub sent_by: StaffId,
    /// When.
    pub sent_at: Timestamp,
}

/// What can be done to a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportAction {
    /// Write a new version (only a draft).
    Revise,
    /// Send the draft to the coordinator for review.
    Submit,
    /// The coordinator sends it back to the author.
    Return,
    /// The coordinator approves it for the family's review.
    Approve,
    /// Record that the family read it, with their comment.
    RecordFamilyReview,
    /// Send it to the caseworker.
    Send,
    /// Archive a sent report.
    Archive,
    /// Write a correction: a new report that names this one.
    Correct,
}

impl ReportAction {
    /// Every action, in workflow order.
    pub const ALL: [ReportAction; 8] = [
        ReportAction::Revise,
        ReportAction::Submit,
        ReportAction::Return,
        ReportAction::Approve,
        ReportAction::RecordFamilyReview,
        ReportAction::Send,
        ReportAction::Archive,
        ReportAction::Correct,
    ];
}

/// What the rules need to know to judge a report action.
#[derive(Debug, Clone, Copy)]
pub struct ReportContext<'a> {
    /// The case.
    pub case: &'a Case,
    /// The referral reported on.
    pub referral: &'a Referral,
    /// The family.
    pub members: &'a [FamilyMember],
    /// Every consent of the case.
    pub consents: &'a [Consent],
    /// The visit a written description describes.
    pub appointment: Option<&'a Appointment>,
    /// The current version.
    pub version: &'a DocumentVersion,
    /// Now.
    pub now: Timestamp,
}

impl ReportContext<'_> {
    fn is_supervised_description(&self, kind: DocumentKind) -> bool {
        kind == DocumentKind::WrittenDescription && self.referral.intervention == Intervention::SupervisedVisitation
    }

    fn needs_description_consent(&self, kind: DocumentKind) -> bool {
        kind == DocumentKind::WrittenDescription && self.referral.intervention == Intervention::SupportedVisitation
    }
}

/// Checks that a written description may exist for this visit: it
/// describes a visit of the referral, and for supported visitation the
/// parents' consent to written descriptions was in force at the time of the
/// visit (BL § 104, stk. 3).
pub fn check_new_description(
    referral: &Referral,
    members: &[FamilyMember],
    consents: &[Consent],
    visit: &Appointment,
) -> Result<(), RuleViolation> {
    if visit.referral_id != referral.id
        || visit.kind != AppointmentKind::Visit
        || !visit.outcome.as_ref().is_some_and(|o| o.took_place())
    {
        return Err(RuleViolation::with(
            Rule::ReportWorkflow,
            "En skriftlig beskrivelse beskriver et afholdt samvær i samme forløb.",
            "A written description describes a visit of the same referral that took place.",
        ));
    }
    if referral.intervention == Intervention::SupportedVisitation {
        let at = visit.actual.map_or(visit.planned.start, |a| a.start);
        check_consents(&description_consents(members), consents, referral.id, at)?;
    }
    Ok(())
}

/// Checks that a status or closing letter about a child aged 10 or more (on
/// the day) carries the child's own views (BL §§ 3, 5).
pub fn check_child_views(
    kind: DocumentKind,
    case: &Case,
    version: &DocumentVersion,
    on: Timestamp,
) -> Result<(), RuleViolation> {
    if kind == DocumentKind::WrittenDescription || version.child_views.is_some() {
        return Ok(());
    }
    let age = case.child.age_on(local_date(on));
    if age >= 10 {
        return Err(RuleViolation::with(
            Rule::ChildViewsFrom10,
            format!("Barnet er {age} år, og skrivelsen mangler barnets egne synspunkter."),
            format!("The child is {age}, and the letter lacks the child's own views."),
        ));
    }
    Ok(())
}

impl Document {
    fn state_allows(&self, action: ReportAction) -> bool {
        use DocumentState::*;
        use ReportAction::*;
        matches!(
            (self.state, action),
            (Draft, Revise | Submit)
                | (CoordinatorReview, Return | Approve)
                | (FamilyReview, RecordFamilyReview | Send)
                | (Sent, Archive | Correct)
                | (Archived, Correct)
        )
    }

    /// Checks one action against the workflow and every rule that bears on it.
    pub fn check(&self, action: ReportAction, ctx: &ReportContext<'_>) -> Result<(), RuleViolation> {
        if !self.state_allows(action) {
            let state = self.state.name();
            let rule = if matches!(self.state, DocumentState::Sent | DocumentState::Archived) {
                Rule::SentReportIsFinal
            } else {
                Rule::ReportWorkflow
            };
            return Err(RuleViolation::with(
                rule,
                format!("Det kan man ikke, når rapporten er {}.", state.da.to_lowercase()),
                format!("That is not possible while the report is {}.", state.en.to_lowercase()),
            ));
        }
        let v = ctx.version;
        let family_sees = |ctx: &ReportContext<'_>| {
            let mut texts = vec![self.title.as_str(), v.body.as_str()];
            texts.extend(v.child_views.as_ref().map(|t| t.as_str()));
            texts.extend(v.family_comment.as_ref().map(|t| t.as_str()));
            check_no_secret_address(ctx.case.placement.as_ref(), &texts)
        };
        match action {
            ReportAction::Submit | ReportAction::Approve => {
                check_child_views(self.kind, ctx.case, v, ctx.now)?;
                family_sees(ctx)?;
                self.check_description_consent(ctx, false)?;
            }
            ReportAction::Send => {
                if v.family_read_at.is_none() && !ctx.is_supervised_description(self.kind) {
                    return Err(RuleViolation::new(Rule::FamilyReviewBeforeSending));
                }
                check_child_views(self.kind, ctx.case, v, ctx.now)?;
                family_sees(ctx)?;
                self.check_description_consent(ctx, true)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// A supported-visitation description needs the parents' consent at the
    /// time of the visit, and, when it is sent, at that moment too.
    fn check_description_consent(&self, ctx: &ReportContext<'_>, sending: bool) -> Result<(), RuleViolation> {
        if !ctx.needs_description_consent(self.kind) {
            return Ok(());
        }
        let Some(visit) = ctx.appointment else {
            return Err(RuleViolation::with(
                Rule::DescriptionNeedsConsent,
                "Beskrivelsen er ikke knyttet til et samvær.",
                "The description is not linked to a visit.",
            ));
        };
        check_new_description(ctx.referral, ctx.members, ctx.consents, visit)?;
        if sending {
            check_consents(&description_consents(ctx.members), ctx.consents, ctx.referral.id, ctx.now)?;
        }
        Ok(())
    }

    /// The actions open now: those the workflow allows and no rule blocks.
    pub fn allowed_actions(&self, ctx: &ReportContext<'_>) -> Vec<ReportAction> {
        ReportAction::ALL.into_iter().filter(|a| self.check(*a, ctx).is_ok()).collect()
    }

    /// Applies a state change (after [`Document::check`]); `Revise`,
    /// `RecordFamilyReview` and `Correct` leave the state as it is.
    pub fn apply(&mut self, action: ReportAction, ctx: &ReportContext<'_>) -> Result<(), RuleViolation> {
        self.check(action, ctx)?;
        self.state = match action {
            ReportAction::Submit => DocumentState::CoordinatorReview,
            ReportAction::Return => DocumentState::Draft,
            ReportAction::Approve => DocumentState::FamilyReview,
            ReportAction::Send => DocumentState::Sent,
            ReportAction::Archive => DocumentState::Archived,
            ReportAction::Revise | ReportAction::RecordFamilyReview | ReportAction::Correct => self.state,
        };
        Ok(())
    }

    /// Sends the report: checks every rule, marks it sent, and returns the
    /// outbox message that records what was sent, when and to whom.
    pub fn send(
        &mut self,
        ctx: &ReportContext<'_>,
        sent_by: StaffId,
        municipality: MunicipalityId,
    ) -> Result<OutboxMessage, RuleViolation> {
        self.apply(ReportAction::Send, ctx)?;
        self.sent_at = Some(ctx.now);
        let v = ctx.version;
        Ok(OutboxMessage {
            id: OutboxMessageId::new(),
            document_id: self.id,
            version: v.version,
            case_id: self.case_id,
            referral_id: self.referral_id,
            kind: self.kind,
            corrects: self.corrects,
            recipient_id: ctx.referral.caseworker_id,
            municipality_id: municipality,
            title: self.title.clone(),
            body: v.body.clone(),
            child_views: v.child_views.clone(),
            family_comment: v.family_comment.clone(),
            sent_by,
            sent_at: ctx.now,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::appointment::Outcome;
    use crate::case::{PlacementKind, PlacementSetting};
    use crate::consent::ConsentPurpose;
    use crate::referral::tests::referral;
    use crate::testkit::*;
    use crate::time::DateRange;
    use jiff::civil::date;

    struct World {
        case: Case,
        referral: Referral,
        members: Vec<FamilyMember>,
        consents: Vec<Consent>,
        visit: Appointment,
    }

    impl World {
        fn new(i: Intervention, birth: jiff::civil::Date) -> Self {
            let placement = PlacementSetting {
                kind: PlacementKind::FosterFamily,
                name: ShortText::parse("Familien Skov").unwrap(),
                address: Some(ShortText::parse("Egevej 12, 4000 Roskilde").unwrap()),
                address_secret: true,
                caregiver_name: None,
                caregiver_phone: None,
            };
            let case = case(birth, Some(placement));
            let mut r = referral(i, DateRange::new(date(2026, 1, 1), date(2026, 12, 31)).unwrap());
            r.case_id = case.id;
            r.accept(StaffId::new(), vec![StaffId::new()]).unwrap();
            r.activate().unwrap();
            let mut visit = appointment(r.id, AppointmentKind::Visit, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z");
            visit.outcome = Some(Outcome::Held { brought_by: None, incidents: None });
            World { case, referral: r, members: vec![mother()], consents: vec![], visit }
        }
        fn ctx<'a>(&'a self, v: &'a DocumentVersion, now: &str) -> ReportContext<'a> {
            ReportContext {
                case: &self.case,
                referral: &self.referral,
                members: &self.members,
                consents: &self.consents,
                appointment: Some(&self.visit),
                version: v,
                now: t(now),
            }
        }
        fn description(&self, state: DocumentState) -> (Document, DocumentVersion) {
            let (mut d, v) =
                document(&self.referral, DocumentKind::WrittenDescription, state, "Samværet forløb roligt.");
            d.appointment_id = Some(self.visit.id);
            (d, v)
        }
    }

    const NOW: &str = "2026-03-09T10:00:00Z";

    #[test]
    fn a_report_moves_only_along_its_workflow() {
        let w = World::new(Intervention::SupervisedVisitation, date(2020, 1, 1));
        let (mut d, mut v) = w.description(DocumentState::Draft);
        assert_eq!(d.allowed_actions(&w.ctx(&v, NOW)), [ReportAction::Revise, ReportAction::Submit]);
        assert_eq!(d.apply(ReportAction::Send, &w.ctx(&v, NOW)).unwrap_err().rule, Rule::ReportWorkflow);
        d.apply(ReportAction::Submit, &w.ctx(&v, NOW)).unwrap();
        assert_eq!(d.allowed_actions(&w.ctx(&v, NOW)), [ReportAction::Return, ReportAction::Approve]);
        d.apply(ReportAction::Return, &w.ctx(&v, NOW)).unwrap();
        assert_eq!(d.state, DocumentState::Draft);
        d.apply(ReportAction::Submit, &w.ctx(&v, NOW)).unwrap();
        d.apply(ReportAction::Approve, &w.ctx(&v, NOW)).unwrap();
        v.family_read_at = Some(t(NOW));
        let msg = d.send(&w.ctx(&v, NOW), StaffId::new(), w.case.municipality_id).unwrap();
        assert_eq!((d.state, d.sent_at), (DocumentState::Sent, Some(t(NOW))));
        assert_eq!(
            (msg.recipient_id, msg.version, msg.body.as_str()),
            (w.referral.caseworker_id, 1, "Samværet forløb roligt.")
        );
        assert_eq!(d.allowed_actions(&w.ctx(&v, NOW)), [ReportAction::Archive, ReportAction::Correct]);
        d.apply(ReportAction::Archive, &w.ctx(&v, NOW)).unwrap();
        assert_eq!(d.allowed_actions(&w.ctx(&v, NOW)), [ReportAction::Correct]);
    }

    #[test]
    fn a_sent_report_is_never_changed_and_a_correction_names_it() {
        let w = World::new(Intervention::SupervisedVisitation, date(2020, 1, 1));
        let (mut d, v) = w.description(DocumentState::Sent);
        for action in [ReportAction::Revise, ReportAction::RecordFamilyReview, ReportAction::Send, ReportAction::Submit]
        {
            assert_eq!(d.apply(action, &w.ctx(&v, NOW)).unwrap_err().rule, Rule::SentReportIsFinal, "{action:?}");
        }
        assert!(d.check(ReportAction::Correct, &w.ctx(&v, NOW)).is_ok());
        // A description is of a visit that took place.
        let mut planned = w.visit.clone();
        planned.outcome = None;
        let err = check_new_description(&w.referral, &w.members, &w.consents, &planned).unwrap_err();
        assert_eq!(err.rule, Rule::ReportWorkflow);
        let (draft, dv) = w.description(DocumentState::Draft);
        assert_eq!(draft.check(ReportAction::Correct, &w.ctx(&dv, NOW)).unwrap_err().rule, Rule::ReportWorkflow);
    }

    #[test]
    fn the_family_reads_before_sending_but_cannot_stop_a_supervised_description() {
        // A supervised-visit description goes to the caseworker even before the family has read it.
        let w = World::new(Intervention::SupervisedVisitation, date(2020, 1, 1));
        let (d, v) = w.description(DocumentState::FamilyReview);
        assert!(d.check(ReportAction::Send, &w.ctx(&v, NOW)).is_ok());
        // A status letter waits for the family's review; their comment travels with it.
        let (mut letter, mut lv) =
            document(&w.referral, DocumentKind::StatusLetter, DocumentState::FamilyReview, "Status.");
        assert_eq!(
            letter.check(ReportAction::Send, &w.ctx(&lv, NOW)).unwrap_err().rule,
            Rule::FamilyReviewBeforeSending
        );
        lv.family_read_at = Some(t(NOW));
        lv.family_comment = Some(LongText::parse("Vi er uenige i afsnit 2.").unwrap());
        let msg = letter.send(&w.ctx(&lv, NOW), StaffId::new(), w.case.municipality_id).unwrap();
        assert_eq!(msg.family_comment.unwrap().as_str(), "Vi er uenige i afsnit 2.");
    }

    #[test]
    fn a_supported_visitation_description_needs_consent_at_the_visit_and_at_sending() {
        let mut w = World::new(Intervention::SupportedVisitation, date(2020, 1, 1));
        let (d, mut v) = w.description(DocumentState::Draft);
        let err = check_new_description(&w.referral, &w.members, &w.consents, &w.visit).unwrap_err();
        assert_eq!(err.rule, Rule::DescriptionNeedsConsent);
        assert!(err.explain(crate::Lang::Da).contains("skriftlige beskrivelser"));
        // Consent given after the visit does not cover it.
        let m = w.members[0].clone();
        w.consents = vec![consent_of(&m, ConsentPurpose::WrittenDescriptions, "2026-03-08T10:00:00Z", None)];
        assert!(check_new_description(&w.referral, &w.members, &w.consents, &w.visit).is_err());
        // Consent in force at the visit, withdrawn before sending: it can no longer be sent.
        w.consents = vec![consent_of(
            &m,
            ConsentPurpose::WrittenDescriptions,
            "2026-02-01T10:00:00Z",
            Some("2026-03-08T12:00:00Z"),
        )];
        assert!(check_new_description(&w.referral, &w.members, &w.consents, &w.visit).is_ok());
        assert!(d.check(ReportAction::Submit, &w.ctx(&v, NOW)).is_ok());
        let mut sending = d.clone();
        sending.state = DocumentState::FamilyReview;
        v.family_read_at = Some(t(NOW));
        let err = sending.check(ReportAction::Send, &w.ctx(&v, NOW)).unwrap_err();
        assert_eq!(err.rule, Rule::DescriptionNeedsConsent);
        assert!(err.explain(crate::Lang::Da).contains("tilbagekaldt 8.3.2026"));
        // With the consent in force, it goes.
        w.consents = vec![consent_of(&m, ConsentPurpose::WrittenDescriptions, "2026-02-01T10:00:00Z", None)];
        assert!(sending.check(ReportAction::Send, &w.ctx(&v, NOW)).is_ok());
    }

    #[test]
    fn a_letter_about_a_child_of_10_carries_the_childs_views() {
        // Turns 10 on 9 March 2026, the day the letter is submitted.
        let w = World::new(Intervention::HomeSupport, date(2016, 3, 9));
        let (letter, mut v) = document(&w.referral, DocumentKind::StatusLetter, DocumentState::Draft, "Status.");
        assert!(letter.check(ReportAction::Submit, &w.ctx(&v, "2026-03-08T10:00:00Z")).is_ok(), "9 the day before");
        let err = letter.check(ReportAction::Submit, &w.ctx(&v, NOW)).unwrap_err();
        assert_eq!(err.rule, Rule::ChildViewsFrom10);
        assert!(err.explain(crate::Lang::Da).starts_with("Barnet er 10 år"));
        assert!(err.explain(crate::Lang::Da).ends_with("(BL § 3 og BL § 5)"));
        assert!(!letter.allowed_actions(&w.ctx(&v, NOW)).contains(&ReportAction::Submit), "not offered while missing");
        v.child_views = Some(LongText::parse("Hun glæder sig til weekenderne.").unwrap());
        assert!(letter.check(ReportAction::Submit, &w.ctx(&v, NOW)).is_ok());
        let (closing, cv) = document(&w.referral, DocumentKind::ClosingLetter, DocumentState::Draft, "Afslutning.");
        assert_eq!(closing.check(ReportAction::Submit, &w.ctx(&cv, NOW)).unwrap_err().rule, Rule::ChildViewsFrom10);
        let (description, dv) =
            document(&w.referral, DocumentKind::WrittenDescription, DocumentState::Draft, "Samvær.");
        assert_ne!(
            description.check(ReportAction::Submit, &w.ctx(&dv, NOW)).err().map(|e| e.rule),
            Some(Rule::ChildViewsFrom10)
        );
    }

    #[test]
    fn a_report_naming_the_secret_address_cannot_reach_the_family() {
        let w = World::new(Intervention::SupervisedVisitation, date(2020, 1, 1));
        let (mut d, mut v) = w.description(DocumentState::Draft);
        v.body = LongText::parse("Barnet blev hentet på Egevej 12 af plejemor.").unwrap();
        assert_eq!(d.check(ReportAction::Submit, &w.ctx(&v, NOW)).unwrap_err().rule, Rule::SecretAddressNeverToParents);
        d.title = ShortText::parse("Samvær, Egevej 12, 4000 Roskilde").unwrap();
        v.body = LongText::parse("Samværet gik godt.").unwrap();
        assert_eq!(
            d.check(ReportAction::Submit, &w.ctx(&v, NOW)).unwrap_err().rule,
            Rule::SecretAddressNeverToParents,
            "the title too"
        );
    }
}
