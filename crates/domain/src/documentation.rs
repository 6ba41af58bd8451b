//! Documentation duties: what must be written, by when. A written description
//! is due a number of Danish working days after each supervised visit (and
//! after a supported visit when the parents consented to descriptions);
//! status letters follow a cadence per intervention, and a closing letter is
//! always due when a referral ends. A provider sets the numbers; the rules
//! that use them live in [`duties`].

use crate::appointment::{Appointment, AppointmentKind};
use crate::calendar::{add_working_days, local_date};
use crate::case::FamilyMember;
use crate::catalogue::Intervention;
use crate::consent::{Consent, description_consents, missing_consents};
use crate::document::{Document, DocumentKind, DocumentState};
use crate::ids::*;
use crate::referral::{Referral, ReferralState};
use crate::rules::Rule;
use crate::validation::Problem;
use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How often a status letter is due, in weeks, per intervention; `None`
/// means only at closing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StatusLetterCadence {
    /// Supported visitation.
    pub supported_visitation: Option<u16>,
    /// Supervised visitation.
    pub supervised_visitation: Option<u16>,
    /// Home support.
    pub home_support: Option<u16>,
    /// Contact person.
    pub contact_person: Option<u16>,
    /// Parent programme.
    pub parent_programme: Option<u16>,
}

impl StatusLetterCadence {
    /// The cadence of one intervention, in weeks.
    pub fn every_weeks(&self, i: Intervention) -> Option<u16> {
        match i {
            Intervention::SupportedVisitation => self.supported_visitation,
            Intervention::SupervisedVisitation => self.supervised_visitation,
            Intervention::HomeSupport => self.home_support,
            Intervention::ContactPerson => self.contact_person,
            Intervention::ParentProgramme => self.parent_programme,
        }
    }

    fn all(&self) -> [(Intervention, Option<u16>); 5] {
        Intervention::ALL.map(|i| (i, self.every_weeks(i)))
    }
}

impl Default for StatusLetterCadence {
    /// Every 12 weeks for the longer courses; visitation courses report by
    /// descriptions and at closing, plus a quarterly status.
    fn default() -> Self {
        Self {
            supported_visitation: Some(13),
            supervised_visitation: Some(13),
            home_support: Some(12),
            contact_person: Some(12),
            parent_programme: Some(12),
        }
    }
}

/// A provider's documentation settings. Valid by construction: build with
/// [`DocumentationSettings::new`] or deserialise (which checks the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "RawSettings")]
pub struct DocumentationSettings {
    description_due_working_days: u8,
    decision_warning_days: u16,
    status_letters: StatusLetterCadence,
}

#[derive(Deserialize)]
struct RawSettings {
    description_due_working_days: u8,
    decision_warning_days: u16,
    status_letters: StatusLetterCadence,
}

impl TryFrom<RawSettings> for DocumentationSettings {
    type Error = String;
    fn try_from(r: RawSettings) -> Result<Self, String> {
        Self::new(r.description_due_working_days, r.decision_warning_days, r.status_letters).map_err(|problems| {
            problems.iter().map(|(f, p)| format!("{f}: {}", p.message(crate::Lang::En))).collect::<Vec<_>>().join("; ")
        })
    }
}

impl Default for DocumentationSettings {
    fn default() -> Self {
        Self {
            description_due_working_days: Self::DEFAULT_DESCRIPTION_DAYS,
            decision_warning_days: Self::DEFAULT_WARNING_DAYS,
            status_letters: StatusLetterCadence::default(),
        }
    }
}

impl DocumentationSettings {
    /// Default number of Danish working days to write a description.
    pub const DEFAULT_DESCRIPTION_DAYS: u8 = 3;
    /// Default warning before a committee decision expires, in days.
    pub const DEFAULT_WARNING_DAYS: u16 = 30;

    /// Checks every field; returns each field's problem.
    pub fn new(
        description_due_working_days: u8,
        decision_warning_days: u16,
        status_letters: StatusLetterCadence,
    ) -> Result<Self, Vec<(&'static str, Problem)>> {
        let mut problems = Vec::new();
        if !(1..=20).contains(&description_due_working_days) {
            problems.push(("description_due_working_days", Problem::OutOfRange { min: 1, max: 20 }));
        }
        if !(1..=365).contains(&decision_warning_days) {
            problems.push(("decision_warning_days", Problem::OutOfRange { min: 1, max: 365 }));
        }
        for (i, weeks) in status_letters.all() {
            if weeks.is_some_and(|w| !(1..=104).contains(&w)) {
                let field = match i {
                    Intervention::SupportedVisitation => "status_letters.supported_visitation",
                    Intervention::SupervisedVisitation => "status_letters.supervised_visitation",
                    Intervention::HomeSupport => "status_letters.home_support",
                    Intervention::ContactPerson => "status_letters.contact_person",
                    Intervention::ParentProgramme => "status_letters.parent_programme",
                };
                problems.push((field, Problem::OutOfRange { min: 1, max: 104 }));
            }
        }
        if problems.is_empty() {
            Ok(Self { description_due_working_days, decision_warning_days, status_letters })
        } else {
            Err(problems)
        }
    }

    /// Danish working days from a supervised visit to its description's deadline.
    pub fn description_due_working_days(&self) -> u8 {
        self.description_due_working_days
    }

    /// Days before a committee decision expires that the coordinator is warned.
    pub fn decision_warning_days(&self) -> u16 {
        self.decision_warning_days
    }

    /// The status-letter cadence.
    pub fn status_letters(&self) -> StatusLetterCadence {
        self.status_letters
    }
}

/// What is to be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DutyKind {
    /// A written description of one visit.
    WrittenDescription,
    /// A status letter.
    StatusLetter,
    /// The closing letter.
    ClosingLetter,
}

/// A document that is due: what, for which referral (and visit), by when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Duty {
    /// What is to be written.
    pub kind: DutyKind,
    /// The case.
    pub case_id: CaseId,
    /// The referral.
    pub referral_id: ReferralId,
    /// The visit a description is due for.
    pub appointment_id: Option<AppointmentId>,
    /// The document being written for it, if one is started.
    pub document_id: Option<DocumentId>,
    /// The last day to send it.
    pub due: Date,
    /// True when the due day has passed.
    pub overdue: bool,
    /// The rule that makes it due.
    pub rule: Rule,
}

fn is_sent(d: &Document) -> bool {
    matches!(d.state, DocumentState::Sent | DocumentState::Archived)
}

/// The documents due for one referral on `today`: a description for every
/// supervised visit held (and every supported visit held while the parents
/// consented to descriptions) that has none sent, due the configured number
/// of Danish working days after the visit; the next status letter by the
/// intervention's cadence; and the closing letter once the course is ending.
#[allow(clippy::too_many_arguments)]
pub fn duties(
    referral: &Referral,
    members: &[FamilyMember],
    consents: &[Consent],
    appointments: &[Appointment],
    documents: &[Document],
    settings: &DocumentationSettings,
    today: Date,
) -> Vec<Duty> {
    let mut out = Vec::new();
    let docs: Vec<&Document> = documents.iter().filter(|d| d.referral_id == referral.id).collect();
    let duty = |kind, appointment_id, document_id, due: Date, rule| Duty {
        kind,
        case_id: referral.case_id,
        referral_id: referral.id,
        appointment_id,
        document_id,
        due,
        overdue: today > due,
        rule,
    };
    let description_rule = match referral.intervention {
        Intervention::SupervisedVisitation => Some(Rule::DescriptionAfterSupervisedVisit),
        Intervention::SupportedVisitation => Some(Rule::DescriptionNeedsConsent),
        _ => None,
    };
    if let Some(rule) = description_rule {
        for visit in appointments.iter().filter(|a| {
            a.referral_id == referral.id
                && a.kind == AppointmentKind::Visit
                && a.outcome.as_ref().is_some_and(|o| o.took_place())
        }) {
            let at = visit.actual.map_or(visit.planned.start, |r| r.start);
            if rule == Rule::DescriptionNeedsConsent
                && !missing_consents(&description_consents(members), consents, referral.id, at).is_empty()
            {
                continue;
            }
            let written: Vec<&&Document> = docs
                .iter()
                .filter(|d| d.kind == DocumentKind::WrittenDescription && d.appointment_id == Some(visit.id))
                .collect();
            if written.iter().any(|d| is_sent(d)) {
                continue;
            }
            let due = add_working_days(local_date(at), u32::from(settings.description_due_working_days()));
            out.push(duty(DutyKind::WrittenDescription, Some(visit.id), written.first().map(|d| d.id), due, rule));
        }
    }
    let open = matches!(referral.state, ReferralState::Active | ReferralState::Ending);
    let closing_sent = docs.iter().any(|d| d.kind == DocumentKind::ClosingLetter && is_sent(d));
    if open && let Some(weeks) = settings.status_letters().every_weeks(referral.intervention) {
        let last = docs
            .iter()
            .filter(|d| d.kind == DocumentKind::StatusLetter && is_sent(d))
            .filter_map(|d| d.sent_at.map(local_date))
            .max();
        let base = last.unwrap_or(referral.terms.period.start);
        if let Ok(due) = base.checked_add((i64::from(weeks) * 7).days())
            && due < referral.terms.period.end
            && !closing_sent
        {
            let draft = docs.iter().find(|d| d.kind == DocumentKind::StatusLetter && !is_sent(d)).map(|d| d.id);
            out.push(duty(DutyKind::StatusLetter, None, draft, due, Rule::StatusLetterCadence));
        }
    }
    if open && !closing_sent && (referral.state == ReferralState::Ending || referral.terms.period.end <= today) {
        let draft = docs.iter().find(|d| d.kind == DocumentKind::ClosingLetter).map(|d| d.id);
        out.push(duty(DutyKind::ClosingLetter, None, draft, referral.terms.period.end, Rule::StatusLetterCadence));
    }
    out
}

#[cfg(test)]
mod settings_tests {
    use super::*;

    #[test]
    fn settings_refuse_values_outside_their_range_field_by_field() {
        let cadence = StatusLetterCadence { home_support: Some(0), ..StatusLetterCadence::default() };
        let err = DocumentationSettings::new(0, 400, cadence).unwrap_err();
        let fields: Vec<_> = err.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["description_due_working_days", "decision_warning_days", "status_letters.home_support"]);
        let ok = DocumentationSettings::new(5, 14, StatusLetterCadence::default()).unwrap();
        assert_eq!(ok.description_due_working_days(), 5);
    }

    #[test]
    fn settings_deserialise_only_when_valid() {
        let good = serde_json::to_string(&DocumentationSettings::default()).unwrap();
        let back: DocumentationSettings = serde_json::from_str(&good).unwrap();
        assert_eq!(back, DocumentationSettings::default());
        let bad = good.replace("\"description_due_working_days\":3", "\"description_due_working_days\":0");
        assert!(serde_json::from_str::<DocumentationSettings>(&bad).is_err());
    }
}

#[cfg(test)]
mod duty_tests {
    use super::*;
    use crate::appointment::Outcome;
    use crate::consent::ConsentPurpose;
    use crate::referral::tests::referral;
    use crate::testkit::*;
    use crate::time::DateRange;
    use jiff::civil::date;

    fn active(i: Intervention) -> Referral {
        let mut r = referral(i, DateRange::new(date(2026, 1, 1), date(2026, 12, 31)).unwrap());
        r.accept(StaffId::new(), vec![StaffId::new()]).unwrap();
        r.activate().unwrap();
        r
    }

    fn held_visit(r: &Referral, start: &str, end: &str) -> Appointment {
        let mut a = appointment(r.id, AppointmentKind::Visit, start, end);
        a.outcome = Some(Outcome::Held { brought_by: None, incidents: None });
        a
    }

    fn no_letters() -> DocumentationSettings {
        let none = StatusLetterCadence {
            supported_visitation: None,
            supervised_visitation: None,
            home_support: None,
            contact_person: None,
            parent_programme: None,
        };
        DocumentationSettings::new(3, 30, none).unwrap()
    }

    #[test]
    fn a_description_is_due_three_working_days_after_a_supervised_visit() {
        let r = active(Intervention::SupervisedVisitation);
        // Friday 6 November 2026: due Wednesday 11 November.
        let visit = held_visit(&r, "2026-11-06T14:00:00Z", "2026-11-06T16:00:00Z");
        let mut cancelled = appointment(r.id, AppointmentKind::Visit, "2026-11-13T14:00:00Z", "2026-11-13T16:00:00Z");
        cancelled.outcome = Some(Outcome::Cancelled { by: crate::appointment::CancelledBy::Parent, reason: None });
        let appts = [visit.clone(), cancelled];
        let due = duties(&r, &[], &[], &appts, &[], &no_letters(), date(2026, 11, 11));
        assert_eq!(due.len(), 1, "a cancelled visit has no description");
        assert_eq!(
            (due[0].kind, due[0].due, due[0].overdue),
            (DutyKind::WrittenDescription, date(2026, 11, 11), false)
        );
        assert_eq!(due[0].appointment_id, Some(visit.id));
        let late = duties(&r, &[], &[], &appts, &[], &no_letters(), date(2026, 11, 12));
        assert!(late[0].overdue);
        // A draft is shown with the duty; a sent description fulfils it.
        let (mut d, _) = document(&r, DocumentKind::WrittenDescription, DocumentState::Draft, "Samvær.");
        d.appointment_id = Some(visit.id);
        assert_eq!(
            duties(&r, &[], &[], &appts, std::slice::from_ref(&d), &no_letters(), date(2026, 11, 12))[0].document_id,
            Some(d.id)
        );
        d.state = DocumentState::Sent;
        assert!(duties(&r, &[], &[], &appts, &[d], &no_letters(), date(2026, 11, 12)).is_empty());
        // The number of days is the provider's.
        let five = DocumentationSettings::new(5, 30, no_letters().status_letters()).unwrap();
        assert_eq!(duties(&r, &[], &[], &appts, &[], &five, date(2026, 11, 12))[0].due, date(2026, 11, 13));
    }

    #[test]
    fn a_holiday_inside_a_deadline_moves_it() {
        let r = active(Intervention::SupervisedVisitation);
        // Wednesday 1 April 2026: Maundy Thursday, Good Friday, the weekend and
        // Easter Monday do not count, so three working days end Thursday 9 April.
        let visit = held_visit(&r, "2026-04-01T13:00:00Z", "2026-04-01T15:00:00Z");
        let due = duties(&r, &[], &[], &[visit], &[], &no_letters(), date(2026, 4, 2));
        assert_eq!(due[0].due, date(2026, 4, 9));
        // Christmas: Wednesday 23 December 2026 → 24 (Thu), 28 (Mon), 29 (Tue).
        let xmas = held_visit(&r, "2026-12-23T13:00:00Z", "2026-12-23T15:00:00Z");
        assert_eq!(duties(&r, &[], &[], &[xmas], &[], &no_letters(), date(2026, 12, 23))[0].due, date(2026, 12, 29));
    }

    #[test]
    fn a_supported_visit_has_a_description_duty_only_with_consent() {
        let r = active(Intervention::SupportedVisitation);
        let m = mother();
        let visit = held_visit(&r, "2026-11-06T14:00:00Z", "2026-11-06T16:00:00Z");
        let today = date(2026, 11, 9);
        assert!(
            duties(&r, std::slice::from_ref(&m), &[], std::slice::from_ref(&visit), &[], &no_letters(), today)
                .is_empty()
        );
        let c = consent_of(&m, ConsentPurpose::WrittenDescriptions, "2026-10-01T10:00:00Z", None);
        assert_eq!(duties(&r, &[m], &[c], &[visit], &[], &no_letters(), today).len(), 1);
    }

    #[test]
    fn status_letters_follow_the_cadence_and_closing_always() {
        let mut r = active(Intervention::HomeSupport);
        let settings = DocumentationSettings::default();
        // Every 12 weeks from the start of the period (1 January): 26 March.
        let due = duties(&r, &[], &[], &[], &[], &settings, date(2026, 3, 1));
        assert_eq!((due.len(), due[0].kind, due[0].due), (1, DutyKind::StatusLetter, date(2026, 3, 26)));
        // After one is sent on 20 March, the next is 12 weeks later.
        let (mut sent, _) = document(&r, DocumentKind::StatusLetter, DocumentState::Sent, "Status.");
        sent.sent_at = Some(t("2026-03-20T10:00:00Z"));
        let due = duties(&r, &[], &[], &[], std::slice::from_ref(&sent), &settings, date(2026, 4, 1));
        assert_eq!(due[0].due, date(2026, 6, 12));
        // Without a cadence only the closing letter is due, once the course is ending.
        assert!(duties(&r, &[], &[], &[], &[], &no_letters(), date(2026, 4, 1)).is_empty());
        r.begin_ending().unwrap();
        let due = duties(&r, &[], &[], &[], &[], &no_letters(), date(2026, 12, 1));
        assert_eq!((due[0].kind, due[0].due, due[0].overdue), (DutyKind::ClosingLetter, date(2026, 12, 31), false));
        let (closing, _) = document(&r, DocumentKind::ClosingLetter, DocumentState::Sent, "Afslutning.");
        assert!(duties(&r, &[], &[], &[], &[closing], &settings, date(2026, 12, 1)).is_empty());
    }
}
