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
    pub plan: Option<(Vec<Choice>, Vec<Choice>)>,
    /// The planning form.
    pub plan_form: PlanForm,
    /// What just happened.
    pub notice: Option<Text>,
    /// The problems of a refused form.
    pub errors: Vec<FieldProblem>,
    /// The rule that refused it.
    pub rule: Option<RuleViolationView>,
}
