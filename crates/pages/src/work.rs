//! The pages of the daily work: the coordinator's overview, a practitioner's
//! day, and an appointment with its outcome form.

use crate::i18n::Text;
use crate::layout::Chrome;
use askama::Template;
use samvirke_domain::rules::RuleViolationView;

/// A problem with one field of a form, as the page shows it.
#[derive(Debug, Clone)]
pub struct FieldProblem {
    /// The field's id in the form (the error summary links to it).
    pub field: String,
    /// The field's label.
    pub label: String,
    /// What is wrong, in the page's language.
    pub message: String,
}

/// A line of a list: what it is about, and where to act on it.
#[derive(Debug, Clone)]
pub struct Row {
    /// The child the line is about.
    pub child: String,
    /// What it is (an intervention, a kind of appointment, a document).
    pub what: String,
    /// Its date, time or amount.
    pub when: String,
    /// A detail (who must consent, hours used).
    pub detail: String,
    /// Where to act on it.
    pub href: Option<String>,
}

/// A section of the overview: something that needs the coordinator.
#[derive(Debug, Clone)]
pub struct OverviewSection {
    /// The anchor of the section.
    pub id: &'static str,
    /// Its heading.
    pub heading: Text,
    /// What it says when it is empty.
    pub empty: Text,
    /// The heading of the `when` column.
    pub when_heading: Text,
    /// The heading of the `detail` column.
    pub detail_heading: Text,
    /// Whether a line here is work overdue (marked in red).
    pub urgent: bool,
    /// Its lines.
    pub rows: Vec<Row>,
}

/// The coordinator's overview: new orders, and what needs them at a glance.
#[derive(Debug, Template)]
#[template(path = "overview.html")]
pub struct Overview {
    /// Language, path and who is signed in.
    pub chrome: Chrome,
    /// Today, written out, with its week number.
    pub today: String,
    /// The sections, in the order of the page.
    pub sections: Vec<OverviewSection>,
}

/// A condition of the order to keep in mind during a visit.
#[derive(Debug, Clone)]
pub struct Condition {
    /// What it is about (food, gifts, phones …).
    pub label: String,
    /// What the order says.
    pub value: String,
}

/// One session of a day.
#[derive(Debug, Clone)]
pub struct Session {
    /// The appointment's page.
    pub href: String,
    /// «10.00–12.00».
    pub time: String,
    /// The kind of appointment.
    pub kind: String,
    /// The child.
    pub child: String,
    /// The intervention.
    pub intervention: String,
    /// Where to be.
    pub place: String,
    /// The staggered arrival and departure, when the case needs it.
    pub arrival: Vec<Condition>,
    /// The order's conditions for visits.
    pub conditions: Vec<Condition>,
    /// How it went, once recorded.
    pub outcome: Option<String>,
}

/// A practitioner's day: the sessions, where to be and what to remember.
#[derive(Debug, Template)]
#[template(path = "my_day.html")]
pub struct MyDay {
    /// Language, path and who is signed in.
    pub chrome: Chrome,
    /// The day, written out.
    pub day: String,
    /// Its week number.
    pub week: String,
    /// The day before (`?date=`).
    pub previous: String,
    /// The day after.
    pub next: String,
    /// Today, when the page shows another day.
    pub today: Option<String>,
    /// The sessions, in time order.
    pub sessions: Vec<Session>,
}

/// The outcome form's values, as entered (shown again when refused).
#[derive(Debug, Clone, Default)]
pub struct OutcomeForm {
    /// `held`, `cancelled`, `no_show` or `ended_early`.
    pub kind: String,
    /// Who brought the child.
    pub brought_by: String,
    /// Incidents.
    pub incidents: String,
    /// Cancelled by, or who did not come.
    pub by: String,
    /// Why it was cancelled or ended early.
    pub reason: String,
    /// Actual start, `HH:MM`.
    pub actual_start: String,
    /// Actual end, `HH:MM`.
    pub actual_end: String,
    /// The session note for the journal.
    pub note: String,
}

impl OutcomeForm {
    /// Whether the choice `kind` is the one selected.
    pub fn is(&self, kind: &str) -> bool {
        self.kind == kind
    }
}

/// A choice of the outcome form.
#[derive(Debug, Clone, Copy)]
pub struct Choice {
    /// The value sent.
    pub value: &'static str,
    /// What it says.
    pub text: Text,
}

/// The choices of «what happened».
pub const OUTCOME_KINDS: &[Choice] = &[
    Choice { value: "held", text: Text::OutcomeHeld },
    Choice { value: "cancelled", text: Text::OutcomeCancelled },
    Choice { value: "no_show", text: Text::OutcomeNoShow },
    Choice { value: "ended_early", text: Text::OutcomeEndedEarly },
];

/// Who cancelled, or did not come.
pub const PARTIES: &[Choice] = &[
    Choice { value: "parent", text: Text::PartyParent },
    Choice { value: "child", text: Text::PartyChild },
    Choice { value: "placement_setting", text: Text::PartyPlacement },
    Choice { value: "municipality", text: Text::PartyMunicipality },
    Choice { value: "provider", text: Text::PartyProvider },
];

/// A journal entry shown with the appointment.
#[derive(Debug, Clone)]
pub struct Note {
    /// When it was written.
    pub written: String,
    /// Its text.
    pub body: String,
}

/// An appointment: what, when, where, the order's conditions, and the form
/// that records how it went with the session note.
#[derive(Debug, Template)]
#[template(path = "appointment.html")]
pub struct AppointmentPage {
    /// Language, path and who is signed in.
    pub chrome: Chrome,
    /// The session, as the day shows it.
    pub session: Session,
    /// Where the outcome form posts.
    pub action: String,
    /// The day, written out.
    pub day: String,
    /// The practitioners.
    pub practitioners: Vec<String>,
    /// The revision the form is based on.
    pub revision: u32,
    /// Whether the signed-in user may record the outcome.
    pub can_record: bool,
    /// The form.
    pub form: OutcomeForm,
    /// The problems of a refused form.
    pub errors: Vec<FieldProblem>,
    /// The rule that refused the form.
    pub rule: Option<RuleViolationView>,
    /// The outcome was just saved.
    pub saved: bool,
    /// The journal entries about the appointment.
    pub notes: Vec<Note>,
    /// The written description of the visit: its page and the link's text
    /// (to write one, or to open it).
    pub description: Option<(String, Text)>,
}

impl AppointmentPage {
    /// The choices of «what happened».
    pub fn kinds(&self) -> &'static [Choice] {
        OUTCOME_KINDS
    }

    /// Who cancelled, or did not come.
    pub fn parties(&self) -> &'static [Choice] {
        PARTIES
    }
}

use crate::format;
use samvirke_domain::Lang;
use samvirke_domain::appointment::{ArrivalPlan, CancelledBy, Location, Outcome};
use samvirke_domain::referral::{Permission, VisitationConditions};

fn permission(p: Permission) -> Text {
    match p {
        Permission::Allowed => Text::PermAllowed,
        Permission::NotAllowed => Text::PermNotAllowed,
        Permission::ByAgreement => Text::PermByAgreement,
    }
}

fn party(p: CancelledBy) -> Text {
    match p {
        CancelledBy::Parent => Text::PartyParent,
        CancelledBy::Child => Text::PartyChild,
        CancelledBy::PlacementSetting => Text::PartyPlacement,
        CancelledBy::Municipality => Text::PartyMunicipality,
        CancelledBy::Provider => Text::PartyProvider,
    }
}

/// The order's conditions for a visit, as the practitioner needs them at hand.
/// `may_attend` are the names of the family members allowed to attend.
pub fn conditions(c: &VisitationConditions, may_attend: &[String], lang: Lang) -> Vec<Condition> {
    let line = |label: Text, value: String| Condition { label: label.get(lang).to_string(), value };
    let mut out = vec![line(Text::CondDuration, format!("{} min", c.duration_minutes))];
    if !may_attend.is_empty() {
        out.push(line(Text::CondMayAttend, may_attend.join(", ")));
    }
    if let Some(others) = &c.others_may_attend {
        out.push(line(Text::CondOthers, others.to_string()));
    }
    if !c.topics_to_avoid.is_empty() {
        let topics: Vec<String> = c.topics_to_avoid.iter().map(ToString::to_string).collect();
        out.push(line(Text::CondTopics, topics.join("; ")));
    }
    for (label, p) in [
        (Text::CondFood, c.food),
        (Text::CondGifts, c.gifts),
        (Text::CondPhones, c.phones),
        (Text::CondPhotos, c.photos),
    ] {
        out.push(line(label, permission(p).get(lang).to_string()));
    }
    if let Some(t) = &c.transport {
        out.push(line(Text::CondTransport, t.to_string()));
    }
    if let Some(o) = &c.other {
        out.push(line(Text::CondOther, o.to_string()));
    }
    out
}

/// The staggered arrival and departure of a visit, in the order they happen.
pub fn arrival(a: &ArrivalPlan, lang: Lang) -> Vec<Condition> {
    [
        (Text::ParentArrives, a.parent_arrives),
        (Text::ChildArrives, a.child_arrives),
        (Text::ChildLeaves, a.child_leaves),
        (Text::ParentLeaves, a.parent_leaves),
    ]
    .into_iter()
    .map(|(label, at)| Condition { label: label.get(lang).to_string(), value: format::local_time(at, lang) })
    .collect()
}

/// Where an appointment is; `room` is the room's name when it is in one.
pub fn place(location: &Location, room: Option<&str>, lang: Lang) -> String {
    match location {
        Location::Room(_) => room.unwrap_or(Text::PlaceRoom.get(lang)).to_string(),
        Location::FamilyHome => Text::PlaceFamilyHome.get(lang).to_string(),
        Location::PlacementSetting => Text::PlacePlacement.get(lang).to_string(),
        Location::Other(what) => what.to_string(),
    }
}

/// How an appointment went, in a few words.
pub fn outcome(o: &Outcome, lang: Lang) -> String {
    match o {
        Outcome::Held { .. } => Text::OutcomeHeld.get(lang).to_string(),
        Outcome::Cancelled { by, .. } => {
            format!("{} ({})", Text::OutcomeCancelled.get(lang), party(*by).get(lang))
        }
        Outcome::NoShow { who } => format!("{} ({})", Text::OutcomeNoShow.get(lang), party(*who).get(lang)),
        Outcome::EndedEarly { reason, .. } => format!("{}: {reason}", Text::OutcomeEndedEarly.get(lang)),
    }
}
