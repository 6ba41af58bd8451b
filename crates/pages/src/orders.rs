//! The caseworker's orders (`/orders`), the order form (`/orders/new`), and a
//! referral's page (`/referrals/{id}`): the order's terms and conditions, its
//! history, the reports that arrived and the meetings planned; for the
//! provider's coordinator, accepting it and planning its first appointments.

use crate::i18n::Text;
use crate::layout::Chrome;
use crate::work::{Condition, FieldProblem, Row};
use askama::Template;
use samvirke_domain::rules::RuleViolationView;

/// An option of a select or a choice of radio buttons.
#[derive(Debug, Clone)]
pub struct Choice {
    /// The value sent.
    pub value: String,
    /// What it says.
    pub label: String,
    /// A longer description under the label.
    pub hint: Option<String>,
}

/// The caseworker's orders, what arrived and what is planned.
#[derive(Debug, Template)]
#[template(path = "orders.html")]
pub struct OrdersPage {
    /// Language, path and who is signed in.
    pub chrome: Chrome,
    /// The orders: child, intervention, state, period; each links to its page.
    pub orders: Vec<Row>,
    /// Reports sent by providers: child, kind, when sent.
    pub arrived: Vec<Row>,
    /// Meetings planned ahead: child, kind, when, where.
    pub meetings: Vec<Row>,
}

/// The order form's values, as entered (shown again when refused).
#[derive(Debug, Clone, Default)]
pub struct OrderForm {
    /// The case.
    pub case_id: String,
    /// The intervention's code.
    pub intervention: String,
    /// Work goals, one per line.
    pub work_goals: String,
    /// First day.
    pub start: String,
    /// Last day.
    pub end: String,
    /// Ordered hours.
    pub ordered_hours: String,
    /// Sessions per period.
    pub sessions: String,
    /// Weeks per period.
    pub weeks: String,
    /// For visitation: place (`provider_premises`, `placement_setting`, `parents_home`).
    pub place: String,
    /// For visitation: minutes.
    pub duration_minutes: String,
    /// For visitation: the weekday of the recurrence (`saturday`).
    pub rec_day: String,
    /// ″ its start, `HH:MM`.
    pub rec_start: String,
    /// ″ its end, `HH:MM`.
    pub rec_end: String,
    /// ″ every how many weeks.
    pub rec_interval: String,
    /// For visitation: topics to avoid, one per line.
    pub topics: String,
    /// For visitation: food, gifts, phones, photos.
    pub food: String,
    /// ″
    pub gifts: String,
    /// ″
    pub phones: String,
    /// ″
    pub photos: String,
    /// For visitation: transport.
    pub transport: String,
    /// Anything else.
    pub notes: String,
}

/// The order form.
#[derive(Debug, Template)]
#[template(path = "order_form.html")]
pub struct OrderFormPage {
    /// Language, path and who is signed in.
    pub chrome: Chrome,
    /// The cases the caseworker may order for.
    pub cases: Vec<Choice>,
    /// The catalogue.
    pub interventions: Vec<Choice>,
    /// The places of visitation.
    pub places: Vec<Choice>,
    /// The permissions.
    pub permissions: Vec<Choice>,
    /// The weekdays.
    pub weekdays: Vec<Choice>,
    /// The form.
    pub form: OrderForm,
    /// The problems of a refused form.
    pub errors: Vec<FieldProblem>,
    /// The rule that refused it.
    pub rule: Option<RuleViolationView>,
}

impl OrderFormPage {
    /// The four permissions of visitation: field, label, current value.
    pub fn permission_fields(&self) -> [(&'static str, Text, &str); 4] {
        [
            ("food", Text::CondFood, self.form.food.as_str()),
            ("gifts", Text::CondGifts, self.form.gifts.as_str()),
            ("phones", Text::CondPhones, self.form.phones.as_str()),
            ("photos", Text::CondPhotos, self.form.photos.as_str()),
        ]
    }
}

/// The planning form's values on a referral's page.
#[derive(Debug, Clone, Default)]
pub struct PlanForm {
    /// The kind of appointment.
    pub kind: String,
    /// The day.
    pub date: String,
    /// Start, `HH:MM`.
    pub start: String,
    /// End, `HH:MM`.
    pub end: String,
    /// The room (empty: at the family's home).
    pub room: String,
}

/// A referral: the order and what has come of it.
#[derive(Debug, Template)]
#[template(path = "referral.html")]
pub struct ReferralPage {
    /// Language, path and who is signed in.
    pub chrome: Chrome,
    /// The page's own address.
    pub href: String,
    /// The child.
    pub child: String,
    /// The intervention.
    pub intervention: String,
    /// Where it is in its lifecycle.
    pub state: String,
    /// The order's terms, as facts.
    pub terms: Vec<Condition>,
    /// The work goals.
    pub goals: Vec<String>,
    /// The visitation conditions.
    pub conditions: Vec<Condition>,
    /// The versions of the terms: number, when.
    pub versions: Vec<String>,
    /// Reports: what, state, when; each links to its page.
    pub documents: Vec<Row>,
    /// Appointments ahead: what, when, where; each links to its page.
    pub appointments: Vec<Row>,
    /// The revision steps are based on.
    pub revision: u32,
    /// The coordinator may accept it now: the coordinators and practitioners to choose from.
    pub accept: Option<(Vec<Choice>, Vec<Choice>)>,
    /// The coordinator may plan its appointments now: the kinds and rooms to choose from.
    pub planning: Option<(Vec<Choice>, Vec<Choice>)>,
    /// What the course of its intervention shows: methods, sessions held,
    /// focus areas, the parent action plan.
    pub course: CourseSections,
    /// The planning form.
    pub plan_form: PlanForm,
    /// A visitation order with a recurrence, which the person may plan as a series.
    pub series: Option<SeriesForm>,
    /// What just happened.
    pub notice: Option<Text>,
    /// The problems of a refused form.
    pub errors: Vec<FieldProblem>,
    /// The rule that refused it.
    pub rule: Option<RuleViolationView>,
}

/// A goal of the parent action plan, as the page shows it.
#[derive(Debug, Clone)]
pub struct GoalView {
    /// The goal, in the parents' words.
    pub text: String,
    /// Why it matters to them.
    pub motivation: Option<String>,
    /// Where it stands.
    pub status: String,
    /// Its actions: what, who, by when, done.
    pub actions: Vec<(String, bool)>,
}

/// A goal's scores at the reviews, oldest first.
#[derive(Debug, Clone)]
pub struct Progress {
    /// The goal.
    pub goal: String,
    /// Its score at each review (`–` where it was not rated).
    pub scores: Vec<String>,
    /// Its last score, for the meter.
    pub latest: Option<u8>,
}

/// The parent action plan of a parent-programme course.
#[derive(Debug, Clone)]
pub struct PlanSection {
    /// Where its forms post (`/action-plans/{id}`).
    pub href: String,
    /// The revision its forms are based on.
    pub revision: u32,
    /// The phase now.
    pub phase: String,
    /// Its code (the phase form's current choice).
    pub phase_code: String,
    /// The phases so far: «Opstartsfase fra 01.10.2026».
    pub history: Vec<String>,
    /// The goals.
    pub goals: Vec<GoalView>,
    /// The parents' resources and network.
    pub resources: Vec<String>,
    /// The dates of the reviews (the columns of the progress table).
    pub reviews: Vec<String>,
    /// Progress per goal.
    pub progress: Vec<Progress>,
    /// The goals to rate at a review: id and text.
    pub rate: Vec<Choice>,
    /// The phases to choose from.
    pub phases: Vec<Choice>,
    /// The signed-in person may change the plan.
    pub can_edit: bool,
}

/// A focus area of a contact-person course.
#[derive(Debug, Clone)]
pub struct FocusLine {
    /// The area.
    pub area: String,
    /// What is agreed and how it goes.
    pub note: String,
    /// Since when (and until when).
    pub period: String,
}

/// What a course of each intervention shows besides its appointments.
#[derive(Debug, Clone, Default)]
pub struct CourseSections {
    /// The intervention's methods, from the catalogue (home support, and every course).
    pub methods: Vec<String>,
    /// Sessions held so far, newest first: what, when, outcome.
    pub held: Vec<Row>,
    /// A contact-person course: its focus areas, and the areas to add.
    pub focus: Option<(Vec<FocusLine>, Vec<Choice>)>,
    /// A parent programme: its action plan.
    pub plan: Option<PlanSection>,
    /// A parent programme without a plan yet, which the person may start.
    pub start_plan: bool,
}

/// The provider's open courses (a practitioner's own), by intervention.
#[derive(Debug, Template)]
#[template(path = "courses.html")]
pub struct CoursesPage {
    /// Language, path and who is signed in.
    pub chrome: Chrome,
    /// The filter by intervention: link, label, whether it is the one shown.
    pub filters: Vec<(String, String, bool)>,
    /// The courses: child, intervention, period, practitioners; each links to its page.
    pub rows: Vec<Row>,
}

/// The form that plans an order's visits as a series, and its preview.
#[derive(Debug, Clone, Default)]
pub struct SeriesForm {
    /// The recurrence, in words («hver 2. lørdag kl. 10.00–12.00»).
    pub recurrence: String,
    /// First day of the window.
    pub from: String,
    /// Last day of the window.
    pub to: String,
    /// The room chosen.
    pub room: String,
    /// The rooms to choose from.
    pub rooms: Vec<Choice>,
    /// The preview: the visits that will be planned.
    pub visits: Vec<String>,
    /// The preview: the days skipped, with why.
    pub skipped: Vec<String>,
    /// Whether the form shows a preview (and offers to plan it).
    pub previewed: bool,
}
