//! A written report's page: its text, where it is in the workflow (draft →
//! coordinator review → family review → sent → archived), what the signed-in
//! person can do with it now, and the form that writes its first version.

use crate::i18n::Text;
use crate::layout::Chrome;
use crate::work::FieldProblem;
use askama::Template;
use samvirke_domain::rules::RuleViolationView;

/// A step the signed-in person can take now: a button of a form.
#[derive(Debug, Clone)]
pub struct StepButton {
    /// Where the form posts.
    pub action: String,
    /// The value of its `decision` field, when the route takes several.
    pub decision: Option<&'static str>,
    /// What the button says.
    pub text: Text,
    /// The step that moves the report on (one primary button per page).
    pub primary: bool,
}

/// A version of the report, as the history lists it.
#[derive(Debug, Clone)]
pub struct VersionLine {
    /// Its number.
    pub number: u32,
    /// When it was written.
    pub written: String,
    /// By whom.
    pub author: String,
}

/// The report's text fields, as entered (shown again when refused).
#[derive(Debug, Clone, Default)]
pub struct ReportForm {
    /// Title.
    pub title: String,
    /// The text.
    pub body: String,
    /// The child's own views.
    pub child_views: String,
    /// The family's comment (family review).
    pub comment: String,
}

/// A written description, status letter or closing letter.
#[derive(Debug, Template)]
#[template(path = "document.html")]
pub struct DocumentPage {
    /// Language, path and who is signed in.
    pub chrome: Chrome,
    /// The page's own address (forms come back to it).
    pub href: String,
    /// Kind, in words.
    pub kind: String,
    /// Where it is in the workflow, in words.
    pub state: String,
    /// The child.
    pub child: String,
    /// The intervention.
    pub intervention: String,
    /// The visit it describes: its page and when.
    pub visit: Option<(String, String)>,
    /// When it was sent, and to whom.
    pub sent: Option<String>,
    /// The current version's number.
    pub version: u32,
    /// The revision steps are based on.
    pub revision: u32,
    /// The current text.
    pub form: ReportForm,
    /// The family's comment on the current version.
    pub family_comment: Option<String>,
    /// When the family read the current version.
    pub family_read: Option<String>,
    /// The text may be changed now (a draft, by its writers).
    pub can_revise: bool,
    /// The family's review may be recorded now.
    pub can_record_review: bool,
    /// The steps the person can take now.
    pub steps: Vec<StepButton>,
    /// Every version.
    pub versions: Vec<VersionLine>,
    /// What just happened.
    pub notice: Option<Text>,
    /// The problems of a refused form.
    pub errors: Vec<FieldProblem>,
    /// The rule that refused a step.
    pub rule: Option<RuleViolationView>,
}

/// The form that starts a written description of a visit.
#[derive(Debug, Template)]
#[template(path = "new_description.html")]
pub struct NewDescription {
    /// Language, path and who is signed in.
    pub chrome: Chrome,
    /// Where the form posts.
    pub action: String,
    /// The visit: its page.
    pub visit_href: String,
    /// The visit, in words.
    pub visit: String,
    /// The child.
    pub child: String,
    /// The form.
    pub form: ReportForm,
    /// The problems of a refused form.
    pub errors: Vec<FieldProblem>,
    /// The rule that refused it.
    pub rule: Option<RuleViolationView>,
}
