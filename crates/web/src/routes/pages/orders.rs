//! The caseworker's orders (`/orders`), the order form (`/orders/new`,
//! posting to `/orders`), and a referral's page (`/referrals/{id}`) with the
//! coordinator's forms to accept it and plan its appointments. Each form calls
//! the API's own handler; every list is decided item by item on its case.

use super::lookups::Lookups;
use super::overview::appointment_href;
use super::{PageCtx, code, filled};
use crate::AppState;
use crate::access::Visibility;
use crate::audit::CreatedRecord;
use crate::auth::CurrentActor;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path as ApiPath, UserLang};
use crate::facts::{all_appointments, all_cases, all_documents, all_referrals};
use crate::parse;
use crate::routes::appointments::{self as appointments_api, AppointmentInput, LocationInput, PlanInput};
use crate::routes::referrals::{
    self as referrals_api, AcceptInput, FrequencyInput, PeriodInput, PlaceInput, ReferralInput, TargetInput,
    TermsInput, VisitationInput,
};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::SignedDuration;
use samvirke_domain::appointment::{AppointmentKind, Location};
use samvirke_domain::catalogue::CATALOGUE;
use samvirke_domain::document::DocumentState;
use samvirke_domain::organisation::StaffRole;
use samvirke_domain::policy::{Action, ActorKind, Target, decide};
use samvirke_domain::referral::{Referral, ReferralState};
use samvirke_domain::rules::RuleViolationView;
use samvirke_domain::time::TimeRange;
use samvirke_domain::{Lang, ReferralId};
use samvirke_pages::Text;
use samvirke_pages::format::{hours, moment, short_date};
use samvirke_pages::orders::{Choice, OrderForm, OrderFormPage, OrdersPage, PlanForm, ReferralPage, SeriesForm};
use samvirke_pages::work::{self, Condition, FieldProblem, Row};
use samvirke_store::{AppointmentFilter, CaseFilter, DocumentFilter, ReferralFilter, StaffFilter};
use serde::Deserialize;

/// A referral's page.
pub fn referral_href(id: ReferralId) -> String {
    format!("/referrals/{id}")
}

fn period(r: &Referral, lang: Lang) -> String {
    format!("{}–{}", short_date(r.terms.period.start, lang), short_date(r.terms.period.end, lang))
}

/// How far back what arrived, and how far ahead the meetings, the orders page shows.
const ORDERS_DAYS: i64 = 60;

/// The caseworker's orders page.
pub async fn orders(State(app): State<AppState>, ctx: PageCtx) -> Response {
    use askama::Template;
    match build_orders(&app, &ctx).await {
        Ok(page) => ctx.render(page.render()),
        Err(e) => ctx.error(e),
    }
}

async fn build_orders(app: &AppState, ctx: &PageCtx) -> ApiResult<OrdersPage> {
    let actor = ctx.actor()?.clone();
    let ActorKind::MunicipalStaff { municipality, staff } = actor.who else { return Err(ApiError::Forbidden) };
    let lang = ctx.lang;
    let now = parse::now();
    let mut tx = app.read().await?;
    let tx = &mut *tx;
    let mut seen = Visibility::new(actor);
    let mut lookups = Lookups::default();
    // The caseworker's own orders that are still running; what arrived in
    // the last ORDERS_DAYS days and the meetings of the next ORDERS_DAYS.
    let filter = ReferralFilter {
        municipality: Some(municipality),
        caseworker: Some(staff),
        states: vec![ReferralState::Received, ReferralState::Accepted, ReferralState::Active, ReferralState::Ending],
        ..Default::default()
    };
    let since = now - SignedDuration::from_hours(24 * ORDERS_DAYS);
    let (mut orders, mut arrived, mut meetings) = (Vec::new(), Vec::new(), Vec::new());
    let ahead =
        TimeRange::new(now, now + SignedDuration::from_hours(24 * ORDERS_DAYS)).map_err(|_| ApiError::Internal)?;
    for r in all_referrals(tx, &filter).await? {
        if !seen.may(tx, Action::ReadReferral, r.case_id).await? {
            continue;
        }
        let child = lookups.child(tx, r.case_id).await?;
        let provider_id = lookups.case(tx, r.case_id).await?.case.provider_id;
        let provider = lookups.provider(tx, provider_id).await?;
        orders.push((
            r.received_at,
            Row {
                child: child.clone(),
                what: r.intervention.name(lang).to_string(),
                when: period(&r, lang),
                detail: r.state.name().get(lang).to_string(),
                href: Some(referral_href(r.id)),
            },
        ));
        let sent = DocumentFilter {
            referral: Some(r.id),
            states: vec![DocumentState::Sent, DocumentState::Archived],
            ..Default::default()
        };
        for d in all_documents(tx, &sent).await? {
            let at = d.sent_at.unwrap_or(d.created_at);
            if at < since {
                continue;
            }
            arrived.push((
                at,
                Row {
                    child: child.clone(),
                    what: format!("{}: {}", d.kind.name().get(lang), d.title),
                    when: moment(at, lang),
                    detail: provider.clone(),
                    href: Some(super::documents::document_href(d.id)),
                },
            ));
        }
        let kinds =
            vec![AppointmentKind::StartMeeting, AppointmentKind::FollowUpMeeting, AppointmentKind::NetworkMeeting];
        let planned = AppointmentFilter { referral: Some(r.id), during: Some(ahead), kinds, ..Default::default() };
        for a in all_appointments(tx, &planned).await? {
            let room = match a.location {
                Location::Room(id) => Some(lookups.room(tx, id).await?),
                _ => None,
            };
            meetings.push((
                a.planned.start,
                Row {
                    child: child.clone(),
                    what: a.kind.name().get(lang).to_string(),
                    when: moment(a.planned.start, lang),
                    detail: work::place(&a.location, room.as_deref(), lang),
                    href: None,
                },
            ));
        }
    }
    // Newest first for what arrived and for orders; soonest first for meetings.
    orders.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    arrived.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    meetings.sort_by_key(|(at, _)| *at);
    let rows = |v: Vec<(jiff::Timestamp, Row)>| v.into_iter().map(|(_, r)| r).collect();
    Ok(OrdersPage { chrome: ctx.chrome(), orders: rows(orders), arrived: rows(arrived), meetings: rows(meetings) })
}

/// The order form.
pub async fn new_order(State(app): State<AppState>, ctx: PageCtx) -> Response {
    use askama::Template;
    match build_form(&app, &ctx, OrderForm::default(), Vec::new(), None).await {
        Ok(page) => ctx.render(page.render()),
        Err(e) => ctx.error(e),
    }
}

async fn build_form(
    app: &AppState,
    ctx: &PageCtx,
    form: OrderForm,
    errors: Vec<FieldProblem>,
    rule: Option<RuleViolationView>,
) -> ApiResult<OrderFormPage> {
    let actor = ctx.actor()?.clone();
    let ActorKind::MunicipalStaff { municipality, .. } = actor.who else { return Err(ApiError::Forbidden) };
    let lang = ctx.lang;
    let mut tx = app.read().await?;
    let tx = &mut *tx;
    let mut seen = Visibility::new(actor);
    let mut cases = Vec::new();
    let filter = CaseFilter { municipality: Some(municipality), open_only: true, ..Default::default() };
    for c in all_cases(tx, &filter).await? {
        if seen.may(tx, Action::OrderIntervention, c.id).await? {
            cases.push(Choice {
                value: c.id.to_string(),
                label: format!("{} ({})", c.child.name, c.reference),
                hint: None,
            });
        }
    }
    cases.sort_by(|a, b| a.label.cmp(&b.label));
    let interventions = CATALOGUE
        .iter()
        .map(|e| Choice {
            value: code(&e.intervention),
            label: e.name.get(lang).to_string(),
            hint: Some(e.purpose.get(lang).to_string()),
        })
        .collect();
    let choice = |value: &str, text: Text| Choice { value: value.into(), label: text.get(lang).into(), hint: None };
    Ok(OrderFormPage {
        chrome: ctx.chrome(),
        cases,
        interventions,
        places: vec![
            choice("provider_premises", Text::PlaceProviderPremises),
            choice("placement_setting", Text::PlacePlacement),
            choice("parents_home", Text::PlaceParentsHome),
        ],
        permissions: vec![
            choice("by_agreement", Text::PermByAgreement),
            choice("allowed", Text::PermAllowed),
            choice("not_allowed", Text::PermNotAllowed),
        ],
        weekdays: samvirke_domain::time::Day::ALL
            .iter()
            .map(|d| Choice {
                value: code(d),
                label: samvirke_pages::format::weekday(d.weekday(), lang).to_string(),
                hint: None,
            })
            .collect(),
        form,
        errors,
        rule,
    })
}

/// The order form, as posted.
#[derive(Debug, Default, Deserialize)]
pub struct OrderFields {
    #[serde(default)]
    case_id: String,
    #[serde(default)]
    intervention: String,
    #[serde(default)]
    work_goals: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    ordered_hours: String,
    #[serde(default)]
    sessions: String,
    #[serde(default)]
    weeks: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    duration_minutes: String,
    #[serde(default)]
    rec_day: String,
    #[serde(default)]
    rec_start: String,
    #[serde(default)]
    rec_end: String,
    #[serde(default)]
    rec_interval: String,
    #[serde(default)]
    topics: String,
    #[serde(default)]
    food: String,
    #[serde(default)]
    gifts: String,
    #[serde(default)]
    phones: String,
    #[serde(default)]
    photos: String,
    #[serde(default)]
    transport: String,
    #[serde(default)]
    notes: String,
}

impl OrderFields {
    fn form(&self) -> OrderForm {
        OrderForm {
            case_id: self.case_id.clone(),
            intervention: self.intervention.clone(),
            work_goals: self.work_goals.clone(),
            start: self.start.clone(),
            end: self.end.clone(),
            ordered_hours: self.ordered_hours.clone(),
            sessions: self.sessions.clone(),
            weeks: self.weeks.clone(),
            place: self.place.clone(),
            duration_minutes: self.duration_minutes.clone(),
            rec_day: self.rec_day.clone(),
            rec_start: self.rec_start.clone(),
            rec_end: self.rec_end.clone(),
            rec_interval: self.rec_interval.clone(),
            topics: self.topics.clone(),
            food: self.food.clone(),
            gifts: self.gifts.clone(),
            phones: self.phones.clone(),
            photos: self.photos.clone(),
            transport: self.transport.clone(),
            notes: self.notes.clone(),
        }
    }

    /// The API's input: numbers that are not numbers go on as out-of-range
    /// values for the API to refuse with its own message.
    fn input(&self) -> ReferralInput {
        let number = |s: &str| if s.trim().is_empty() { None } else { Some(s.trim().parse().unwrap_or(-1)) };
        let lines = |s: &str| s.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect::<Vec<_>>();
        let text = filled;
        let visitation =
            matches!(self.intervention.as_str(), "supported_visitation" | "supervised_visitation").then(|| {
                VisitationInput {
                    place: text(&self.place).map(|kind| PlaceInput { kind: Some(kind), description: None }),
                    duration_minutes: number(&self.duration_minutes),
                    recurrence: text(&self.rec_day).map(|day| crate::routes::referrals::RecurrenceInput {
                        day: Some(day),
                        start: text(&self.rec_start),
                        end: text(&self.rec_end),
                        interval_weeks: number(&self.rec_interval).or(Some(1)),
                    }),
                    may_attend: None,
                    others_may_attend: None,
                    topics_to_avoid: Some(lines(&self.topics)),
                    food: text(&self.food),
                    gifts: text(&self.gifts),
                    phones: text(&self.phones),
                    photos: text(&self.photos),
                    transport: text(&self.transport),
                    stagger: None,
                    other: None,
                }
            });
        ReferralInput {
            case_id: text(&self.case_id),
            intervention: text(&self.intervention),
            terms: Some(TermsInput {
                aimed_at: Some(vec![TargetInput { kind: Some("family".into()), family_member_id: None }]),
                work_goals: Some(lines(&self.work_goals)),
                period: Some(PeriodInput { start: text(&self.start), end: text(&self.end) }),
                ordered_hours: number(&self.ordered_hours),
                frequency: Some(FrequencyInput { sessions: number(&self.sessions), weeks: number(&self.weeks) }),
                two_practitioners: Some(false),
                visitation,
                notes: text(&self.notes),
            }),
        }
    }
}

fn order_field(api_field: &str) -> (&'static str, Text) {
    let field = api_field.trim_start_matches("terms.");
    match field {
        "case_id" => ("case_id", Text::OrderCase),
        "intervention" => ("intervention-supported_visitation", Text::Intervention),
        f if f.starts_with("work_goals") => ("work_goals", Text::OrderGoals),
        "period.start" | "period" => ("start", Text::OrderStart),
        "period.end" => ("end", Text::OrderEnd),
        "ordered_hours" => ("ordered_hours", Text::OrderHours),
        "frequency.sessions" | "frequency" => ("sessions", Text::OrderSessions),
        "frequency.weeks" => ("weeks", Text::OrderWeeks),
        f if f.starts_with("visitation.place") => ("place", Text::Where),
        "visitation.duration_minutes" => ("duration_minutes", Text::OrderDuration),
        "visitation.recurrence.day" => ("rec_day", Text::OrderWeekday),
        "visitation.recurrence.start" => ("rec_start", Text::PlanStart),
        "visitation.recurrence.end" => ("rec_end", Text::PlanEnd),
        "visitation.recurrence.interval_weeks" => ("rec_interval", Text::OrderInterval),
        f if f.starts_with("visitation.topics") => ("topics", Text::CondTopics),
        "visitation.food" => ("food", Text::CondFood),
        "visitation.gifts" => ("gifts", Text::CondGifts),
        "visitation.phones" => ("phones", Text::CondPhones),
        "visitation.photos" => ("photos", Text::CondPhotos),
        "visitation.transport" => ("transport", Text::CondTransport),
        "notes" => ("notes", Text::OrderNotes),
        _ => ("case_id", Text::OrderCase),
    }
}

/// Sends the order: the referral, then its page.
pub async fn create_order(State(app): State<AppState>, ctx: PageCtx, Form(f): Form<OrderFields>) -> Response {
    use askama::Template;
    let created = match ctx.actor() {
        Ok(actor) => referrals_api::create(State(app.clone()), CurrentActor(actor.clone()), Json(f.input())).await,
        Err(e) => Err(e),
    };
    let error = match created {
        Ok((_, Json(view))) => {
            let id = view.referral.id;
            let mut response = Redirect::to(&format!("{}?done=ordered", referral_href(id))).into_response();
            response.extensions_mut().insert(CreatedRecord(id.uuid()));
            return response;
        }
        Err(e) => e,
    };
    let (status, errors, rule) = match super::refusal(error, ctx.lang, order_field) {
        Ok(shown) => shown,
        Err(other) => return ctx.error(other),
    };
    match build_form(&app, &ctx, f.form(), errors, rule).await {
        Ok(page) => super::shown_at(ctx.render_with(status, page.render()), "/orders/new"),
        Err(e) => ctx.error(e),
    }
}

/// What just happened, named in the query after a form.
#[derive(Debug, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

fn notice(done: Option<&str>) -> Option<Text> {
    Some(match done? {
        "plan" => Text::NoticePlanSaved,
        "series" => Text::NoticeSeries,
        "focus" => Text::NoticeFocusAdded,
        "ordered" => Text::NoticeOrdered,
        "accepted" => Text::NoticeAccepted,
        "planned" => Text::NoticePlanned,
        _ => return None,
    })
}

/// A referral's page.
pub async fn referral(
    State(app): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<ReferralId>,
    Query(q): Query<DoneQuery>,
) -> Response {
    use askama::Template;
    match build_referral(&app, &ctx, id, PlanForm::default(), Vec::new(), None).await {
        Ok(mut page) => {
            page.notice = notice(q.done.as_deref());
            ctx.render(page.render())
        }
        Err(e) => ctx.error(e),
    }
}

pub(super) async fn build_referral(
    app: &AppState,
    ctx: &PageCtx,
    id: ReferralId,
    plan_form: PlanForm,
    errors: Vec<FieldProblem>,
    rule: Option<RuleViolationView>,
) -> ApiResult<ReferralPage> {
    build_referral_with(app, ctx, id, plan_form, None, errors, rule).await
}

/// [`build_referral`], with the series form as entered (and its preview).
async fn build_referral_with(
    app: &AppState,
    ctx: &PageCtx,
    id: ReferralId,
    plan_form: PlanForm,
    series_form: Option<SeriesForm>,
    errors: Vec<FieldProblem>,
    rule: Option<RuleViolationView>,
) -> ApiResult<ReferralPage> {
    let actor = ctx.actor()?.clone();
    let lang = ctx.lang;
    let now = parse::now();
    let mut tx = app.read().await?;
    let tx = &mut *tx;
    let r = tx.referral(id).await?;
    let facts = crate::access::case_facts(tx, r.case_id).await?;
    let may = |action| decide(&actor, action, Target::Case(&facts)).is_ok();
    let mut lookups = Lookups::default();
    let child = lookups.child(tx, r.case_id).await?;
    let line = |label: Text, value: String| Condition { label: label.get(lang).to_string(), value };
    let used = tx.minutes_registered(id).await?;
    let mut names = Vec::new();
    for s in &r.practitioner_ids {
        names.push(lookups.staff_name(tx, *s).await?);
    }
    let mut terms = vec![
        line(Text::TermPeriod, period(&r, lang)),
        line(
            Text::TermHours,
            format!("{} / {}", hours(used as i64, lang), hours(i64::from(r.terms.ordered_hours) * 60, lang)),
        ),
        line(
            Text::TermFrequency,
            format!("{} / {} {}", r.terms.frequency.sessions, r.terms.frequency.weeks, Text::Weeks.get(lang)),
        ),
    ];
    if !names.is_empty() {
        terms.push(line(Text::TermPractitioners, names.join(", ")));
    }
    let conditions = match &r.terms.visitation {
        Some(c) => {
            let members = &lookups.case(tx, r.case_id).await?.members;
            let attend: Vec<String> = c
                .may_attend
                .iter()
                .filter_map(|m| members.iter().find(|f| f.id == *m))
                .map(|f| f.name.to_string())
                .collect();
            work::conditions(c, &attend, lang)
        }
        None => Vec::new(),
    };
    let mut documents = Vec::new();
    for d in all_documents(tx, &DocumentFilter { referral: Some(id), ..Default::default() }).await? {
        if decide(&actor, crate::access::report_read(d.state), Target::Case(&facts)).is_ok() {
            documents.push(Row {
                child: child.clone(),
                what: format!("{}: {}", d.kind.name().get(lang), d.title),
                when: moment(d.sent_at.unwrap_or(d.created_at), lang),
                detail: d.state.name().get(lang).to_string(),
                href: Some(super::documents::document_href(d.id)),
            });
        }
    }
    let mut appointments = Vec::new();
    if may(Action::ReadAppointments) {
        let ahead = TimeRange::new(now, now + SignedDuration::from_hours(24 * 60)).map_err(|_| ApiError::Internal)?;
        let filter = AppointmentFilter { referral: Some(id), during: Some(ahead), ..Default::default() };
        for a in all_appointments(tx, &filter).await?.into_iter().take(20) {
            let room = match a.location {
                Location::Room(id) => Some(lookups.room(tx, id).await?),
                _ => None,
            };
            appointments.push(Row {
                child: child.clone(),
                what: a.kind.name().get(lang).to_string(),
                when: moment(a.planned.start, lang),
                detail: work::place(&a.location, room.as_deref(), lang),
                href: Some(appointment_href(&a)),
            });
        }
    }
    let versions = tx
        .referral_versions(id)
        .await?
        .into_iter()
        .map(|v| format!("{} {} · {}", Text::DocVersion.get(lang), v.version, moment(v.changed_at, lang)))
        .collect();
    let provider_staff = |role| StaffFilter {
        provider: Some(facts.provider),
        role: Some(role),
        active_only: true,
        ..Default::default()
    };
    let accept = if r.state == ReferralState::Received && may(Action::HandleReferral) {
        let mut coordinators = Vec::new();
        for role in [StaffRole::Coordinator, StaffRole::TeamLead] {
            coordinators.extend(tx.list_staff(&provider_staff(role)).await?);
        }
        // The signed-in coordinator first.
        let me = actor.who;
        coordinators.sort_by_key(|s| {
            (!matches!(me, ActorKind::ProviderStaff { staff, .. } if staff == s.id), s.name.to_string())
        });
        let mut practitioners = tx.list_staff(&provider_staff(StaffRole::Practitioner)).await?;
        practitioners.sort_by_key(|s| s.name.to_string());
        let choice = |s: &samvirke_domain::organisation::Staff| Choice {
            value: s.id.to_string(),
            label: s.name.to_string(),
            hint: None,
        };
        Some((coordinators.iter().map(choice).collect(), practitioners.iter().map(choice).collect()))
    } else {
        None
    };
    let open = matches!(r.state, ReferralState::Accepted | ReferralState::Active | ReferralState::Ending);
    let planning = if open && may(Action::PlanAppointments) {
        let kinds = r
            .intervention
            .appointment_kinds()
            .iter()
            .map(|k| Choice { value: code(k), label: k.name().get(lang).to_string(), hint: None })
            .collect();
        let mut rooms: Vec<Choice> = tx
            .rooms(facts.provider)
            .await?
            .into_iter()
            .map(|room| Choice { value: room.id.to_string(), label: room.name.to_string(), hint: None })
            .collect();
        rooms.push(Choice { value: String::new(), label: Text::PlaceFamilyHome.get(lang).to_string(), hint: None });
        Some((kinds, rooms))
    } else {
        None
    };
    let series = match (&planning, r.terms.visitation.as_ref().and_then(|v| v.recurrence.as_ref())) {
        (Some((_, rooms)), Some(recurrence)) => {
            let mut form = series_form.unwrap_or_else(|| {
                let today = parse::today();
                let from = today.max(r.terms.period.start);
                let to = from.checked_add(jiff::ToSpan::days(27)).unwrap_or(from).min(r.terms.period.end);
                SeriesForm { from: from.to_string(), to: to.to_string(), ..SeriesForm::default() }
            });
            form.recurrence = recurrence_text(recurrence, lang);
            form.rooms = rooms.clone();
            Some(form)
        }
        _ => None,
    };
    let href = referral_href(id);
    let mut chrome = ctx.chrome();
    chrome.path = href.clone();
    Ok(ReferralPage {
        series,
        chrome,
        href,
        child,
        intervention: r.intervention.name(lang).to_string(),
        state: r.state.name().get(lang).to_string(),
        terms,
        goals: r.terms.work_goals.iter().map(ToString::to_string).collect(),
        conditions,
        versions,
        documents,
        appointments,
        revision: r.revision,
        accept,
        planning,
        course: super::courses::sections(tx, &actor, &facts, &r, &mut lookups, lang).await?,
        plan_form,
        notice: None,
        errors,
        rule,
    })
}

/// The accept and plan forms, as posted.
#[derive(Debug, Default, Deserialize)]
pub struct ReferralFields {
    #[serde(default)]
    revision: String,
    #[serde(default)]
    coordinator_id: String,
    #[serde(default)]
    practitioner_id: String,
    #[serde(default)]
    second_practitioner_id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    room: String,
}

impl ReferralFields {
    fn plan_form(&self) -> PlanForm {
        PlanForm {
            kind: self.kind.clone(),
            date: self.date.clone(),
            start: self.start.clone(),
            end: self.end.clone(),
            room: self.room.clone(),
        }
    }
}

pub(super) fn referral_field(api_field: &str) -> (&'static str, Text) {
    match api_field {
        "coordinator_id" => ("coordinator_id", Text::AcceptCoordinator),
        "practitioner_ids[1]" => ("second_practitioner_id", Text::AcceptSecond),
        f if f.starts_with("practitioner_ids") => ("practitioner_id", Text::AcceptPractitioner),
        "kind" => ("kind", Text::PlanKind),
        "date" => ("date", Text::PlanDate),
        "end" => ("end", Text::PlanEnd),
        f if f.starts_with("location") => ("room", Text::Where),
        _ => ("start", Text::PlanStart),
    }
}

/// After a form on a referral's page: on to the page with a notice, or the page again with what was refused.
async fn referral_answer(
    app: &AppState,
    ctx: &PageCtx,
    id: ReferralId,
    f: &ReferralFields,
    done: Result<(&'static str, Option<uuid::Uuid>), ApiError>,
) -> Response {
    use askama::Template;
    let error = match done {
        Ok((done, created)) => {
            let mut response = Redirect::to(&format!("{}?done={done}", referral_href(id))).into_response();
            if let Some(created) = created {
                response.extensions_mut().insert(CreatedRecord(created));
            }
            return response;
        }
        Err(e) => e,
    };
    let (status, errors, rule) = match super::refusal(error, ctx.lang, referral_field) {
        Ok(shown) => shown,
        Err(other) => return ctx.error(other),
    };
    match build_referral(app, ctx, id, f.plan_form(), errors, rule).await {
        Ok(page) => super::shown_at(ctx.render_with(status, page.render()), &referral_href(id)),
        Err(e) => ctx.error(e),
    }
}

/// The coordinator accepts the order and assigns its practitioners.
pub async fn accept(
    State(app): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<ReferralId>,
    Form(f): Form<ReferralFields>,
) -> Response {
    let practitioners =
        [&f.practitioner_id, &f.second_practitioner_id].into_iter().filter(|p| !p.trim().is_empty()).cloned().collect();
    let input = AcceptInput {
        revision: f.revision.trim().parse().ok().or(Some(-1)),
        coordinator_id: Some(f.coordinator_id.clone()).filter(|c| !c.trim().is_empty()),
        practitioner_ids: Some(practitioners),
    };
    let done = referrals_api::accept(State(app.clone()), ApiPath(id), Json(input)).await.map(|_| ("accepted", None));
    referral_answer(&app, &ctx, id, &f, done).await
}

/// The coordinator plans one appointment of the course, with its usual practitioner.
pub async fn plan(
    State(app): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<ReferralId>,
    Form(f): Form<ReferralFields>,
) -> Response {
    let practitioners = match app.read().await {
        Ok(mut tx) => tx.referral(id).await.map(|r| r.practitioner_ids).map_err(ApiError::from),
        Err(e) => Err(e),
    };
    let done = match (practitioners, f.date.trim().parse::<jiff::civil::Date>()) {
        (Err(e), _) => Err(e),
        (Ok(_), Err(_)) => Err(samvirke_domain::validation::ValidationErrors::one(
            "date",
            if f.date.trim().is_empty() {
                samvirke_domain::validation::Problem::Required
            } else {
                samvirke_domain::validation::Problem::NotAllowed
            },
        )
        .into()),
        (Ok(practitioners), Ok(day)) => {
            let location = if f.room.trim().is_empty() {
                LocationInput { kind: Some("family_home".into()), value: None }
            } else {
                LocationInput { kind: Some("room".into()), value: Some(f.room.trim().to_string()) }
            };
            let input = AppointmentInput {
                referral_id: Some(id.to_string()),
                kind: Some(f.kind.trim().to_string()).filter(|k| !k.is_empty()),
                plan: PlanInput {
                    start: super::appointment::on_day(day, &f.start),
                    end: super::appointment::on_day(day, &f.end),
                    location: Some(location),
                    practitioner_ids: Some(practitioners.iter().take(1).map(ToString::to_string).collect()),
                    participants: None,
                    arrival: None,
                },
            };
            appointments_api::create(State(app.clone()), UserLang(ctx.lang), Json(input))
                .await
                .map(|(_, Json(view))| ("planned", Some(view.appointment.id.uuid())))
        }
    };
    referral_answer(&app, &ctx, id, &f, done).await
}

/// Which courses to show.
#[derive(Debug, Deserialize)]
pub struct CoursesQuery {
    intervention: Option<String>,
}

/// The provider's open courses (a practitioner sees their own), by intervention.
pub async fn courses(State(app): State<AppState>, ctx: PageCtx, Query(q): Query<CoursesQuery>) -> Response {
    use askama::Template;
    match build_courses(&app, &ctx, q).await {
        Ok(page) => ctx.render(page.render()),
        Err(e) => ctx.error(e),
    }
}

async fn build_courses(
    app: &AppState,
    ctx: &PageCtx,
    q: CoursesQuery,
) -> ApiResult<samvirke_pages::orders::CoursesPage> {
    let actor = ctx.actor()?.clone();
    let (provider, _) = ctx.provider_staff()?;
    let lang = ctx.lang;
    let chosen =
        samvirke_domain::catalogue::Intervention::ALL.into_iter().find(|i| Some(i.code()) == q.intervention.as_deref());
    let mut tx = app.read().await?;
    let tx = &mut *tx;
    let mut seen = Visibility::new(actor);
    let mut lookups = Lookups::default();
    let filter = ReferralFilter {
        provider: Some(provider),
        states: vec![ReferralState::Accepted, ReferralState::Active, ReferralState::Ending],
        intervention: chosen,
        ..Default::default()
    };
    let mut rows = Vec::new();
    for r in all_referrals(tx, &filter).await? {
        if !seen.may(tx, Action::ReadReferral, r.case_id).await? {
            continue;
        }
        let mut names = Vec::new();
        for s in &r.practitioner_ids {
            names.push(lookups.staff_name(tx, *s).await?);
        }
        rows.push(Row {
            child: lookups.child(tx, r.case_id).await?,
            what: r.intervention.name(lang).to_string(),
            when: period(&r, lang),
            detail: names.join(", "),
            href: Some(referral_href(r.id)),
        });
    }
    rows.sort_by(|a, b| (a.what.as_str(), a.child.as_str()).cmp(&(b.what.as_str(), b.child.as_str())));
    let mut filters = vec![("/courses".to_string(), Text::CoursesAll.get(lang).to_string(), chosen.is_none())];
    for i in samvirke_domain::catalogue::Intervention::ALL {
        filters.push((format!("/courses?intervention={}", i.code()), i.name(lang).to_string(), chosen == Some(i)));
    }
    Ok(samvirke_pages::orders::CoursesPage { chrome: ctx.chrome(), filters, rows })
}

/// «hver 2. lørdag kl. 10.00–12.00» / «every 2 weeks on Saturday at 10:00–12:00».
fn recurrence_text(r: &samvirke_domain::referral::Recurrence, lang: Lang) -> String {
    use samvirke_pages::format::{time, weekday};
    let day = weekday(r.day.weekday(), lang);
    let span = format!("{}–{}", time(r.start, lang), time(r.end, lang));
    match (lang, r.interval_weeks) {
        (Lang::Da, 1) => format!("{} {day} {} {span}", Text::SeriesEvery.get(lang), Text::SeriesAt.get(lang)),
        (Lang::Da, n) => format!("{} {n}. {day} {} {span}", Text::SeriesEvery.get(lang), Text::SeriesAt.get(lang)),
        (Lang::En, 1) => format!("{} {day} {} {span}", Text::SeriesEvery.get(lang), Text::SeriesAt.get(lang)),
        (Lang::En, n) => format!(
            "{} {n} {}s, {day}, {} {span}",
            Text::SeriesEvery.get(lang),
            Text::SeriesWeek.get(lang),
            Text::SeriesAt.get(lang)
        ),
    }
}

/// The series form, as posted.
#[derive(Debug, Default, Deserialize)]
pub struct SeriesFields {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    room: String,
    #[serde(default)]
    step: String,
}

/// Previews the order's visits in a window as a series, or plans them all
/// in one transaction (each visit decided by the same rules as one planned
/// alone; one refused visit plans none).
pub async fn series(
    State(app): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<ReferralId>,
    Form(f): Form<SeriesFields>,
) -> Response {
    use askama::Template;
    let lang = ctx.lang;
    let mut form = SeriesForm { from: f.from.clone(), to: f.to.clone(), room: f.room.clone(), ..SeriesForm::default() };
    let outcome = plan_series(&app, &ctx, id, &f, &mut form).await;
    let error = match outcome {
        Ok(true) => return Redirect::to(&format!("{}?done=series", referral_href(id))).into_response(),
        Ok(false) => None,
        Err(e) => Some(e),
    };
    let (status, errors, rule) = match error.map(|e| super::refusal(e, lang, series_field)) {
        None => (axum::http::StatusCode::OK, Vec::new(), None),
        Some(Ok(shown)) => shown,
        Some(Err(other)) => return ctx.error(other),
    };
    match build_referral_with(&app, &ctx, id, PlanForm::default(), Some(form), errors, rule).await {
        Ok(page) => super::shown_at(ctx.render_with(status, page.render()), &referral_href(id)),
        Err(e) => ctx.error(e),
    }
}

fn series_field(api_field: &str) -> (&'static str, Text) {
    match api_field {
        "to" => ("series-to", Text::SeriesTo),
        f if f.starts_with("location") => ("series-room", Text::Where),
        _ => ("series-from", Text::SeriesFrom),
    }
}

/// The preview into `form`; with `step=plan`, the visits planned too (`true`).
async fn plan_series(
    app: &AppState,
    ctx: &PageCtx,
    id: ReferralId,
    f: &SeriesFields,
    form: &mut SeriesForm,
) -> ApiResult<bool> {
    use samvirke_domain::series::{SeriesTerms, Skipped, visit_series};
    use samvirke_domain::validation::{Problem, ValidationErrors};
    let lang = ctx.lang;
    let day = |field: &str, raw: &str| {
        raw.trim().parse::<jiff::civil::Date>().map_err(|_| {
            let problem = if raw.trim().is_empty() { Problem::Required } else { Problem::NotAllowed };
            ApiError::from(ValidationErrors::one(field, problem))
        })
    };
    let (from, to) = (day("from", &f.from)?, day("to", &f.to)?);
    if to < from {
        return Err(ValidationErrors::one("to", Problem::NotAllowed).into());
    }
    let mut tx = app.write().await?;
    let r = tx.referral(id).await?;
    let facts = crate::facts::CaseFacts::load(&mut *tx, r.case_id).await?;
    let Some(visitation) = &r.terms.visitation else { return Err(ApiError::NotFound) };
    let Some(recurrence) = &visitation.recurrence else { return Err(ApiError::NotFound) };
    let window =
        samvirke_domain::time::DateRange { start: from.max(r.terms.period.start), end: to.min(r.terms.period.end) };
    let terms = SeriesTerms {
        intervention: r.intervention,
        recurrence,
        stagger: visitation.stagger,
        anchor: r.terms.period.start,
        decisions: &facts.decisions,
        suspensions: &facts.suspensions,
    };
    let planned = if window.start <= window.end { visit_series(&terms, window) } else { Default::default() };
    let when = |d: jiff::civil::Date, range: Option<&samvirke_domain::time::TimeRange>| match range {
        Some(t) => format!(
            "{}, {}",
            samvirke_pages::format::long_date(d, lang),
            samvirke_pages::format::span(t.start, t.end, lang)
        ),
        None => samvirke_pages::format::long_date(d, lang),
    };
    let location = if f.room.trim().is_empty() {
        LocationInput { kind: Some("family_home".into()), value: None }
    } else {
        LocationInput { kind: Some("room".into()), value: Some(f.room.trim().to_string()) }
    };
    let place = match f.room.trim().parse() {
        Ok(room) => samvirke_domain::appointment::Location::Room(room),
        Err(_) => samvirke_domain::appointment::Location::FamilyHome,
    };
    let practitioners: Vec<_> = r.practitioner_ids.iter().take(1).copied().collect();
    form.skipped = planned
        .skipped
        .iter()
        .map(|(d, why)| match why {
            Skipped::Holiday(h) => {
                format!("{}: {} ({})", when(*d, None), h.name().get(lang), Text::SeriesHoliday.get(lang))
            }
            Skipped::Blocked(v) => format!("{}: {}", when(*d, None), v.explain(lang)),
        })
        .collect();
    // A visit whose room or practitioner is already booked is left out and
    // said why: it is planned on its own once the clash is solved (the calendar).
    let mut free = Vec::new();
    for v in &planned.visits {
        let span = v.arrival.map_or(v.planned, |a| a.occupied(v.planned));
        let found = appointments_api::clashes(&mut *tx, &span, &place, &practitioners, None).await?;
        if found.is_empty() {
            free.push(v.clone());
        } else {
            let said = super::calendar::worded(&mut *tx, &found, lang).await?;
            form.skipped.push(format!("{}: {}", when(v.day, Some(&v.planned)), said.join("; ")));
        }
    }
    form.visits = free.iter().map(|v| when(v.day, Some(&v.planned))).collect();
    form.previewed = true;
    if f.step != "plan" || free.is_empty() {
        return Ok(false);
    }
    let series = samvirke_domain::SeriesId::new();
    for v in &free {
        let stamp = |t: jiff::Timestamp| Some(t.to_string());
        let input = AppointmentInput {
            referral_id: Some(id.to_string()),
            kind: Some("visit".into()),
            plan: PlanInput {
                start: stamp(v.planned.start),
                end: stamp(v.planned.end),
                location: Some(LocationInput { kind: location.kind.clone(), value: location.value.clone() }),
                practitioner_ids: Some(r.practitioner_ids.iter().take(1).map(ToString::to_string).collect()),
                participants: None,
                arrival: v.arrival.map(|a| crate::routes::appointments::ArrivalInput {
                    parent_arrives: stamp(a.parent_arrives),
                    child_arrives: stamp(a.child_arrives),
                    child_leaves: stamp(a.child_leaves),
                    parent_leaves: stamp(a.parent_leaves),
                }),
            },
        };
        appointments_api::create_in_series(&mut *tx, &input, Some(series), lang).await?;
    }
    tx.commit().await?;
    Ok(true)
}
