//! An appointment's page (`/appointments/{id}`): what, when, where, the
//! order's conditions, and the form that records how it went together with
//! the session note for the journal (`POST /appointments/{id}/outcome`), in
//! one transaction. A refused form is shown again with what was entered, each
//! problem linked to its field, or the rule that blocks it with its section
//! of the law and the way forward.

use super::lookups::Lookups;
use super::{PageCtx, code, filled};
use crate::AppState;
use crate::error::ApiResult;
use crate::routes::appointments::{OutcomeInput, OutcomeKindInput, apply_outcome};
use crate::routes::journal::{JournalInput, write_entry};
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use samvirke_domain::appointment::{Appointment, Location, Outcome};
use samvirke_domain::policy::{Action, Target, decide};
use samvirke_domain::rules::RuleViolationView;
use samvirke_domain::{AppointmentId, Lang};
use samvirke_pages::Text;
use samvirke_pages::format::{local_date, local_time, long_date, moment, span};
use samvirke_pages::work::{self, AppointmentPage, FieldProblem, Note, OutcomeForm, Session};
use samvirke_store::{Page, Tx};
use serde::Deserialize;

/// An appointment as the day and its page show it.
pub async fn session_of(tx: &mut dyn Tx, lookups: &mut Lookups, a: &Appointment, lang: Lang) -> ApiResult<Session> {
    let referral = lookups.referral(tx, a.referral_id).await?.clone();
    let facts = lookups.case(tx, a.case_id).await?;
    let child = facts.case.child.name.to_string();
    let conditions = match &referral.terms.visitation {
        Some(c) if a.kind == samvirke_domain::appointment::AppointmentKind::Visit => {
            let names: Vec<String> = c
                .may_attend
                .iter()
                .filter_map(|id| facts.members.iter().find(|m| m.id == *id))
                .map(|m| m.name.to_string())
                .collect();
            work::conditions(c, &names, lang)
        }
        _ => Vec::new(),
    };
    let room = match a.location {
        Location::Room(id) => Some(lookups.room(tx, id).await?),
        _ => None,
    };
    Ok(Session {
        href: super::overview::appointment_href(a),
        time: span(a.planned.start, a.planned.end, lang),
        kind: a.kind.name().get(lang).to_string(),
        child,
        intervention: referral.intervention.name(lang).to_string(),
        place: work::place(&a.location, room.as_deref(), lang),
        arrival: a.arrival.as_ref().map(|p| work::arrival(p, lang)).unwrap_or_default(),
        conditions,
        outcome: a.outcome.as_ref().map(|o| work::outcome(o, lang)),
    })
}

/// The query of the page: `saved=1` right after the form was saved.
#[derive(Debug, Deserialize)]
pub struct AppointmentQuery {
    saved: Option<String>,
}

/// The appointment page.
pub async fn page(
    State(app): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<AppointmentId>,
    axum::extract::Query(q): axum::extract::Query<AppointmentQuery>,
) -> Response {
    use askama::Template;
    let saved = q.saved.is_some();
    match build(&app, &ctx, id, None).await {
        Ok(mut page) => {
            page.saved = saved;
            ctx.render(page.render())
        }
        Err(e) => ctx.error(e),
    }
}

/// What the form was refused for.
struct Refusal {
    form: OutcomeForm,
    errors: Vec<FieldProblem>,
    rule: Option<RuleViolationView>,
}

async fn build(
    app: &AppState,
    ctx: &PageCtx,
    id: AppointmentId,
    refusal: Option<Refusal>,
) -> ApiResult<AppointmentPage> {
    let actor = ctx.actor()?.clone();
    let lang = ctx.lang;
    let mut tx = app.read().await?;
    let tx = &mut *tx;
    let a = tx.appointment(id).await?;
    let mut lookups = Lookups::default();
    let session = session_of(tx, &mut lookups, &a, lang).await?;
    let mut practitioners = Vec::new();
    for s in a.practitioners.ids() {
        practitioners.push(lookups.staff_name(tx, *s).await?);
    }
    let facts = crate::access::case_facts(tx, a.case_id).await?;
    let can_record = decide(&actor, Action::RecordOutcome, Target::Case(&facts)).is_ok();
    let may_read_journal = decide(&actor, Action::ReadJournal, Target::Case(&facts)).is_ok();
    let notes = if may_read_journal {
        tx.journal(a.case_id, Page { limit: 1000, after: None })
            .await?
            .into_iter()
            .filter(|e| e.appointment_id == Some(id))
            .map(|e| Note { written: moment(e.written_at, lang), body: e.body.to_string() })
            .collect()
    } else {
        Vec::new()
    };
    let description = match crate::facts::all_documents(
        tx,
        &samvirke_store::DocumentFilter { appointment: Some(id), ..Default::default() },
    )
    .await?
    .into_iter()
    .find(|d| d.kind == samvirke_domain::document::DocumentKind::WrittenDescription)
    {
        Some(d) if decide(&actor, crate::access::report_read(d.state), Target::Case(&facts)).is_ok() => {
            Some((format!("/documents/{}", d.id), Text::DocOpenDescription))
        }
        Some(_) => None,
        None if a.kind == samvirke_domain::appointment::AppointmentKind::Visit
            && a.outcome.as_ref().is_some_and(|o| o.took_place())
            && decide(&actor, Action::WriteReport, Target::Case(&facts)).is_ok() =>
        {
            Some((super::DESCRIPTION_FORM.replace("{id}", &id.to_string()), Text::DocWriteDescription))
        }
        None => None,
    };
    let (form, errors, rule) = match refusal {
        Some(r) => (r.form, r.errors, r.rule),
        None => (form_of(&a), Vec::new(), None),
    };
    let mut chrome = ctx.chrome();
    // A refused form is shown at the form's address; its links and language switch are the page's.
    chrome.path = super::overview::appointment_href(&a);
    Ok(AppointmentPage {
        action: super::OUTCOME_FORM.replace("{id}", &id.to_string()),
        chrome,
        day: long_date(local_date(a.planned.start), lang),
        session,
        practitioners,
        revision: a.revision,
        can_record,
        form,
        errors,
        rule,
        saved: false,
        notes,
        description,
    })
}

/// The form as the stored outcome fills it (or empty).
fn form_of(a: &Appointment) -> OutcomeForm {
    // A time field's value is `HH:MM` whatever the page's language.
    let time = |t: Option<jiff::Timestamp>| t.map(|t| local_time(t, Lang::En)).unwrap_or_default();
    let mut form = OutcomeForm {
        actual_start: time(a.actual.map(|r| r.start)),
        actual_end: time(a.actual.map(|r| r.end)),
        ..OutcomeForm::default()
    };
    let text = |t: &Option<samvirke_domain::text::ShortText>| t.as_ref().map(ToString::to_string).unwrap_or_default();
    match &a.outcome {
        Some(Outcome::Held { brought_by, incidents }) => {
            form.kind = "held".into();
            form.brought_by = text(brought_by);
            form.incidents = incidents.as_ref().map(ToString::to_string).unwrap_or_default();
        }
        Some(Outcome::Cancelled { by, reason }) => {
            form.kind = "cancelled".into();
            form.by = code(by);
            form.reason = text(reason);
        }
        Some(Outcome::NoShow { who }) => {
            form.kind = "no_show".into();
            form.by = code(who);
        }
        Some(Outcome::EndedEarly { brought_by, reason, incidents }) => {
            form.kind = "ended_early".into();
            form.brought_by = text(brought_by);
            form.reason = reason.to_string();
            form.incidents = incidents.as_ref().map(ToString::to_string).unwrap_or_default();
        }
        None => {}
    }
    form
}

/// The outcome form, as posted.
#[derive(Debug, Default, Deserialize)]
pub struct OutcomeFields {
    #[serde(default)]
    revision: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    brought_by: String,
    #[serde(default)]
    incidents: String,
    #[serde(default)]
    by: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    actual_start: String,
    #[serde(default)]
    actual_end: String,
    #[serde(default)]
    note: String,
}

impl OutcomeFields {
    fn form(&self) -> OutcomeForm {
        OutcomeForm {
            kind: self.kind.clone(),
            brought_by: self.brought_by.clone(),
            incidents: self.incidents.clone(),
            by: self.by.clone(),
            reason: self.reason.clone(),
            actual_start: self.actual_start.clone(),
            actual_end: self.actual_end.clone(),
            note: self.note.clone(),
        }
    }
}

/// A local time of day (`HH:MM`) on the appointment's day, as the API's timestamp;
/// what is not a time is passed on as it is, for the API's parser to refuse.
pub(super) fn on_day(day: jiff::civil::Date, time: &str) -> Option<String> {
    let time = filled(time)?;
    let zone = samvirke_domain::calendar::copenhagen();
    match time.parse::<jiff::civil::Time>() {
        Ok(t) => day.to_datetime(t).to_zoned(zone).ok().map(|z| z.timestamp().to_string()).or(Some(time)),
        Err(_) => Some(time),
    }
}

/// The field of the form a problem of the API's input names, and its label.
fn field_of(api_field: &str) -> (&'static str, Text) {
    match api_field {
        "outcome.kind" | "outcome" => ("kind-held", Text::WhatHappened),
        "outcome.brought_by" => ("brought_by", Text::BroughtBy),
        "outcome.incidents" => ("incidents", Text::Incidents),
        "outcome.by" | "outcome.who" => ("by", Text::ByWhom),
        "outcome.reason" => ("reason", Text::Reason),
        "actual_end" => ("actual_end", Text::ActualEnd),
        f if f.starts_with("actual") => ("actual_start", Text::ActualStart),
        "body" => ("note", Text::SessionNote),
        _ => ("kind-held", Text::WhatHappened),
    }
}

/// Saves how the appointment went and its note, in one transaction; then back
/// to the page with a receipt. A refusal shows the form again.
pub async fn record(
    State(app): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<AppointmentId>,
    Form(fields): Form<OutcomeFields>,
) -> Response {
    use askama::Template;
    match save(&app, &ctx, id, &fields).await {
        Ok(()) => Redirect::to(&format!("/appointments/{id}?saved=1")).into_response(),
        Err(error) => {
            let (status, errors, rule) = match super::refusal(error, ctx.lang, field_of) {
                Ok(shown) => shown,
                Err(other) => return ctx.error(other),
            };
            let refusal = Refusal { form: fields.form(), errors, rule };
            match build(&app, &ctx, id, Some(refusal)).await {
                Ok(page) => {
                    let at = page.chrome.path.clone();
                    super::shown_at(ctx.render_with(status, page.render()), &at)
                }
                Err(e) => ctx.error(e),
            }
        }
    }
}

async fn save(app: &AppState, ctx: &PageCtx, id: AppointmentId, f: &OutcomeFields) -> ApiResult<()> {
    let (_, staff) = ctx.provider_staff()?;
    let mut tx = app.write().await?;
    let a = tx.appointment(id).await?;
    let day = local_date(a.planned.start);
    let kind = filled(&f.kind);
    let input = OutcomeInput {
        revision: f.revision.trim().parse().ok().or(Some(-1)),
        outcome: Some(OutcomeKindInput {
            brought_by: filled(&f.brought_by),
            incidents: filled(&f.incidents),
            by: (kind.as_deref() == Some("cancelled")).then(|| filled(&f.by)).flatten(),
            who: (kind.as_deref() == Some("no_show")).then(|| filled(&f.by)).flatten(),
            reason: filled(&f.reason),
            kind,
        }),
        actual_start: on_day(day, &f.actual_start),
        actual_end: on_day(day, &f.actual_end),
    };
    let appointment = apply_outcome(&mut *tx, id, &input).await?;
    if let Some(note) = filled(&f.note) {
        let entry = JournalInput {
            kind: Some("session_note".into()),
            body: Some(note),
            appointment_id: Some(appointment.id.to_string()),
        };
        write_entry(&mut *tx, appointment.case_id, staff, &entry).await?;
    }
    tx.commit().await?;
    Ok(())
}
