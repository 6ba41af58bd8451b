//! A written report's page (`/documents/{id}`) and its forms: a new version
//! of a draft, the author's submit, the coordinator's review (approve, return,
//! send, archive), the family's review; and the form that starts a written
//! description of a visit (`/appointments/{id}/description`). Each form calls
//! the API's own handler, so the workflow and its rules are decided once (in
//! the domain); the buttons shown are the steps the domain allows now and the
//! policy lets the signed-in person take.

use super::lookups::Lookups;
use super::{PageCtx, filled};
use crate::AppState;
use crate::audit::CreatedRecord;
use crate::auth::CurrentActor;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path as ApiPath};
use crate::routes::documents::{
    self as api, DocumentInput, DocumentView, FamilyReviewInput, SendInput, StepInput, VersionInput,
};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use samvirke_domain::document::{DocumentState, ReportAction};
use samvirke_domain::policy::{Action, Target, decide};
use samvirke_domain::rules::RuleViolationView;
use samvirke_domain::{AppointmentId, DocumentId};
use samvirke_pages::Text;
use samvirke_pages::documents::{DocumentPage, NewDescription, ReportForm, StepButton, VersionLine};
use samvirke_pages::format::{local_date, long_date, moment, span};
use samvirke_pages::work::FieldProblem;
use serde::Deserialize;

/// A document's page.
pub fn document_href(id: DocumentId) -> String {
    format!("/documents/{id}")
}

/// What just happened, named in the query after a form (`?done=…`).
#[derive(Debug, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

fn notice(done: Option<&str>) -> Option<Text> {
    Some(match done? {
        "created" => Text::NoticeCreated,
        "saved" => Text::NoticeSaved,
        "step" => Text::NoticeStep,
        "reviewed" => Text::NoticeReviewed,
        "sent" => Text::NoticeSent,
        _ => return None,
    })
}

/// The page.
pub async fn page(
    State(app): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<DocumentId>,
    Query(q): Query<DoneQuery>,
) -> Response {
    use askama::Template;
    match build(&app, &ctx, id, None).await {
        Ok(mut page) => {
            page.notice = notice(q.done.as_deref());
            ctx.render(page.render())
        }
        Err(e) => ctx.error(e),
    }
}

/// A refused form: what was entered, and why.
struct Refusal {
    form: ReportForm,
    errors: Vec<FieldProblem>,
    rule: Option<RuleViolationView>,
}

async fn build(app: &AppState, ctx: &PageCtx, id: DocumentId, refusal: Option<Refusal>) -> ApiResult<DocumentPage> {
    let actor = ctx.actor()?.clone();
    let lang = ctx.lang;
    let mut tx = app.read().await?;
    let tx = &mut *tx;
    let document = tx.document(id).await?;
    let view = DocumentView::load(tx, document).await?;
    let d = &view.document;
    let versions = tx.document_versions(id).await?;
    let current = versions.iter().find(|v| v.version == d.current_version).ok_or(ApiError::Internal)?;
    let facts = crate::access::case_facts(tx, d.case_id).await?;
    let may = |action| decide(&actor, action, Target::Case(&facts)).is_ok();
    let mut lookups = Lookups::default();
    let referral = lookups.referral(tx, d.referral_id).await?.clone();
    let child = lookups.child(tx, d.case_id).await?;
    let visit = match d.appointment_id {
        Some(a) => {
            let a = tx.appointment(a).await?;
            let when = format!(
                "{}, {}",
                long_date(local_date(a.planned.start), lang),
                span(a.planned.start, a.planned.end, lang)
            );
            Some((super::overview::appointment_href(&a), when))
        }
        None => None,
    };
    let href = document_href(id);
    let review = format!("{href}/review");
    let mut steps = Vec::new();
    for action in &view.allowed_actions {
        let (route, decision, text, primary, allowed) = match action {
            ReportAction::Submit => (format!("{href}/submit"), None, Text::StepSubmit, true, may(Action::WriteReport)),
            ReportAction::Approve => {
                (review.clone(), Some("approve"), Text::StepApprove, true, may(Action::ReviewReport))
            }
            ReportAction::Send => (review.clone(), Some("send"), Text::StepSend, true, may(Action::ReviewReport)),
            ReportAction::Return => {
                (review.clone(), Some("return"), Text::StepReturn, false, may(Action::ReviewReport))
            }
            ReportAction::Archive => {
                (review.clone(), Some("archive"), Text::StepArchive, false, may(Action::ReviewReport))
            }
            ReportAction::Revise | ReportAction::RecordFamilyReview | ReportAction::Correct => continue,
        };
        if allowed {
            steps.push(StepButton { action: route, decision, text, primary });
        }
    }
    let mut lines = Vec::new();
    for v in &versions {
        lines.push(VersionLine {
            number: v.version,
            written: moment(v.created_at, lang),
            author: lookups.staff_name(tx, v.author_id).await?,
        });
    }
    let stored = ReportForm {
        title: d.title.to_string(),
        body: current.body.to_string(),
        child_views: current.child_views.as_ref().map(ToString::to_string).unwrap_or_default(),
        comment: current.family_comment.as_ref().map(ToString::to_string).unwrap_or_default(),
    };
    let (form, errors, rule) = match refusal {
        Some(r) => (r.form, r.errors, r.rule),
        None => (stored, Vec::new(), None),
    };
    let sent = match (d.sent_at, d.state) {
        (Some(at), DocumentState::Sent | DocumentState::Archived) => {
            let municipality = lookups.municipality(tx, facts.municipality).await?;
            Some(format!("{} · {municipality}", moment(at, lang)))
        }
        _ => None,
    };
    let mut chrome = ctx.chrome();
    chrome.path = href.clone();
    Ok(DocumentPage {
        chrome,
        kind: d.kind.name().get(lang).to_string(),
        state: d.state.name().get(lang).to_string(),
        child,
        intervention: referral.intervention.name(lang).to_string(),
        visit,
        sent,
        version: d.current_version,
        revision: d.revision,
        family_comment: current.family_comment.as_ref().map(ToString::to_string),
        family_read: current.family_read_at.map(|t| moment(t, lang)),
        can_revise: view.allowed_actions.contains(&ReportAction::Revise) && may(Action::WriteReport),
        can_record_review: view.allowed_actions.contains(&ReportAction::RecordFamilyReview)
            && may(Action::RecordFamilyReview),
        steps,
        versions: lines,
        notice: None,
        errors,
        rule,
        href,
        form,
    })
}

/// The fields of the report forms, as posted.
#[derive(Debug, Default, Deserialize)]
pub struct ReportFields {
    #[serde(default)]
    revision: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    child_views: String,
    #[serde(default)]
    comment: String,
}

impl ReportFields {
    fn form(&self) -> ReportForm {
        ReportForm {
            title: self.title.clone(),
            body: self.body.clone(),
            child_views: self.child_views.clone(),
            comment: self.comment.clone(),
        }
    }

    fn revision(&self) -> Option<i64> {
        self.revision.trim().parse().ok().or(Some(-1))
    }
}

fn field_of(api_field: &str) -> (&'static str, Text) {
    match api_field {
        "title" => ("title", Text::DocTitle),
        "body" => ("body", Text::DocBody),
        "child_views" => ("child_views", Text::DocChildViews),
        "comment" => ("comment", Text::DocFamilyComment),
        "version" | "read_at" => ("comment", Text::DocFamilyReview),
        _ => ("body", Text::DocText),
    }
}

/// After a form: on to the page with a notice, or the page again with what was refused.
async fn answer(
    app: &AppState,
    ctx: &PageCtx,
    id: DocumentId,
    fields: &ReportFields,
    done: Result<&'static str, ApiError>,
) -> Response {
    use askama::Template;
    let error = match done {
        Ok(done) => return Redirect::to(&format!("{}?done={done}", document_href(id))).into_response(),
        Err(error) => error,
    };
    let (status, errors, rule) = match super::refusal(error, ctx.lang, field_of) {
        Ok(shown) => shown,
        Err(other) => return ctx.error(other),
    };
    let refusal = Refusal { form: fields.form(), errors, rule };
    match build(app, ctx, id, Some(refusal)).await {
        Ok(page) => super::shown_at(ctx.render_with(status, page.render()), &document_href(id)),
        Err(e) => ctx.error(e),
    }
}

fn actor(ctx: &PageCtx) -> ApiResult<CurrentActor> {
    Ok(CurrentActor(ctx.actor()?.clone()))
}

/// A new version of a draft.
pub async fn revise(
    State(app): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<DocumentId>,
    Form(f): Form<ReportFields>,
) -> Response {
    let input = VersionInput {
        revision: f.revision(),
        title: filled(&f.title),
        body: filled(&f.body),
        child_views: filled(&f.child_views),
    };
    let done = match actor(&ctx) {
        Ok(actor) => api::add_version(State(app.clone()), actor, ApiPath(id), Json(input)).await.map(|_| "saved"),
        Err(e) => Err(e),
    };
    answer(&app, &ctx, id, &f, done).await
}

/// The author submits the draft for review.
pub async fn submit(
    State(app): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<DocumentId>,
    Form(f): Form<ReportFields>,
) -> Response {
    let done = api::submit(State(app.clone()), ApiPath(id), Json(StepInput { revision: f.revision() })).await;
    answer(&app, &ctx, id, &f, done.map(|_| "step")).await
}

/// The coordinator's decision: approve, return, send or archive.
pub async fn review(
    State(app): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<DocumentId>,
    Form(f): Form<ReportFields>,
) -> Response {
    let (state, path) = (State(app.clone()), ApiPath(id));
    let step = || Json(StepInput { revision: f.revision() });
    let done = match f.decision.as_str() {
        "approve" => api::approve(state, path, step()).await.map(|_| "step"),
        "return" => api::return_to_author(state, path, step()).await.map(|_| "step"),
        "archive" => api::archive(state, path, step()).await.map(|_| "step"),
        "send" => match actor(&ctx) {
            Ok(actor) => {
                api::send(state, actor, path, Json(SendInput { revision: f.revision() })).await.map(|_| "sent")
            }
            Err(e) => Err(e),
        },
        _ => Err(ApiError::BadRequest),
    };
    answer(&app, &ctx, id, &f, done).await
}

/// The family's review of the current version, with their comment.
pub async fn family_review(
    State(app): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<DocumentId>,
    Form(f): Form<ReportFields>,
) -> Response {
    let input = FamilyReviewInput {
        version: f.version.trim().parse().ok().or(Some(-1)),
        read_at: None,
        comment: filled(&f.comment),
    };
    let done = api::family_review(State(app.clone()), ApiPath(id), Json(input)).await.map(|_| "reviewed");
    answer(&app, &ctx, id, &f, done).await
}

/// The form that starts a written description of a visit.
pub async fn new_description(State(app): State<AppState>, ctx: PageCtx, Path(id): Path<AppointmentId>) -> Response {
    use askama::Template;
    let form = ReportForm::default();
    match describe(&app, &ctx, id, form, Vec::new(), None).await {
        Ok(page) => ctx.render(page.render()),
        Err(e) => ctx.error(e),
    }
}

async fn describe(
    app: &AppState,
    ctx: &PageCtx,
    id: AppointmentId,
    mut form: ReportForm,
    errors: Vec<FieldProblem>,
    rule: Option<RuleViolationView>,
) -> ApiResult<NewDescription> {
    let lang = ctx.lang;
    let mut tx = app.read().await?;
    let tx = &mut *tx;
    let a = tx.appointment(id).await?;
    let child = Lookups::default().child(tx, a.case_id).await?;
    let day = long_date(local_date(a.planned.start), lang);
    if form.title.is_empty() && errors.is_empty() {
        form.title = format!("{} {day}", Text::DutyDescription.get(lang));
    }
    let visit_href = super::overview::appointment_href(&a);
    let mut chrome = ctx.chrome();
    chrome.path = format!("{visit_href}/description");
    Ok(NewDescription {
        action: chrome.path.clone(),
        chrome,
        visit: format!("{} {day}, {}", a.kind.name().get(lang), span(a.planned.start, a.planned.end, lang)),
        visit_href,
        child,
        form,
        errors,
        rule,
    })
}

/// Starts the description: a draft, then its page.
pub async fn create_description(
    State(app): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<AppointmentId>,
    Form(f): Form<ReportFields>,
) -> Response {
    use askama::Template;
    let referral = match app.read().await {
        Ok(mut tx) => tx.appointment(id).await.map(|a| a.referral_id).map_err(ApiError::from),
        Err(e) => Err(e),
    };
    let input = |referral: samvirke_domain::ReferralId| DocumentInput {
        referral_id: Some(referral.to_string()),
        appointment_id: Some(id.to_string()),
        kind: Some("written_description".into()),
        title: filled(&f.title),
        body: filled(&f.body),
        child_views: filled(&f.child_views),
    };
    let created = match (referral, actor(&ctx)) {
        (Ok(referral), Ok(actor)) => api::create(State(app.clone()), actor, Json(input(referral))).await,
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    let error = match created {
        Ok((_, Json(view))) => {
            let doc = view.document.id;
            let mut response = Redirect::to(&format!("{}?done=created", document_href(doc))).into_response();
            response.extensions_mut().insert(CreatedRecord(doc.uuid()));
            return response;
        }
        Err(e) => e,
    };
    let (status, errors, rule) = match super::refusal(error, ctx.lang, field_of) {
        Ok(shown) => shown,
        Err(other) => return ctx.error(other),
    };
    match describe(&app, &ctx, id, f.form(), errors, rule).await {
        Ok(page) => {
            let at = page.action.clone();
            super::shown_at(ctx.render_with(status, page.render()), &at)
        }
        Err(e) => ctx.error(e),
    }
}
