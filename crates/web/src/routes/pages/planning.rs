//! The planner's page (`/planning?horizon=week|month&from=YYYY-MM-DD&propose=1`):
//! the provider's appointments of next week or next month read into the
//! planner ([`crate::planning`]), the proposal measured against the plan as it
//! stands, and each change listed with a tick box. Accepting
//! (`POST /planning/accept`) writes the ticked changes in one transaction,
//! after checking that the proposal is still current (every appointment's
//! revision) and that the ticked changes, without the unticked ones, break no
//! hard rule of the planner's checker; otherwise nothing is written and the
//! page says which changes belong together or which rule would break.
//!
//! Each appointment is decided on its case ([`Visibility`]): its child and
//! kind are shown, and it is changed, only where the actor plans on the case.

use super::PageCtx;
use super::lookups::Lookups;
use crate::AppState;
use crate::access::Visibility;
use crate::error::{ApiError, ApiResult};
use crate::parse;
use crate::planning::{Assigned, Change, Problem, load};
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::ToSpan;
use jiff::civil::Date;
use samvirke_domain::appointment::{Appointment, Location, Practitioners};
use samvirke_domain::policy::Action;
use samvirke_domain::time::TimeRange;
use samvirke_domain::{AppointmentId, Lang};
use samvirke_pages::Text;
use samvirke_pages::format::{local_date, short_date, span, week, weekday};
use samvirke_pages::planning::{Measure, PlanningPage, ProposedChange};
use samvirke_planner as planner;
use samvirke_store::Tx;
use serde::Deserialize;
use std::collections::HashMap;

/// The page's query.
#[derive(Debug, Default, Deserialize)]
pub struct PlanningQuery {
    /// `week` (default) or `month`.
    horizon: Option<String>,
    /// The first day; by default next week's Monday or next month's first.
    from: Option<String>,
    /// Make a proposal.
    propose: Option<String>,
    /// How many changes were just accepted.
    accepted: Option<String>,
}

/// A horizon: a week from a Monday or a calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Horizon {
    month: bool,
    first: Date,
}

impl Horizon {
    fn parse(kind: Option<&str>, from: Option<&str>, today: Date) -> ApiResult<Horizon> {
        let month = match kind.map(str::trim).filter(|k| !k.is_empty()) {
            None | Some("week") => false,
            Some("month") => true,
            Some(_) => return Err(bad("horizon")),
        };
        let asked = match from.map(str::trim).filter(|f| !f.is_empty()) {
            Some(f) => Some(f.parse::<Date>().map_err(|_| bad("from"))?),
            None => None,
        };
        let first = if month {
            let d = asked.unwrap_or_else(|| today.first_of_month() + 1.month());
            d.first_of_month()
        } else {
            let d = asked.unwrap_or_else(|| today + 7.days());
            super::monday(d)
        };
        Ok(Horizon { month, first })
    }

    fn end(self) -> Date {
        if self.month { self.first + 1.month() } else { self.first + 7.days() }
    }

    fn previous(self) -> Date {
        if self.month { self.first - 1.month() } else { self.first - 7.days() }
    }

    fn kind(self) -> &'static str {
        if self.month { "month" } else { "week" }
    }

    fn range(self) -> ApiResult<TimeRange> {
        super::local_days(self.first, self.end())
    }

    /// «uge 49: 30.11.–6.12.2026» or «december 2026».
    fn text(self, lang: Lang) -> String {
        let last = self.end() - 1.day();
        if self.month {
            let long = samvirke_pages::format::date(self.first, lang);
            long.split_once(' ').map(|(_, month_year)| month_year.to_string()).unwrap_or(long)
        } else {
            format!("{}: {}–{}", week(self.first, lang), short_date(self.first, lang), short_date(last, lang))
        }
    }
}

fn bad(field: &'static str) -> ApiError {
    samvirke_domain::validation::ValidationErrors::one(field, samvirke_domain::validation::Problem::NotAllowed).into()
}

/// The planner's page.
pub async fn page(State(app): State<AppState>, ctx: PageCtx, Query(q): Query<PlanningQuery>) -> Response {
    use askama::Template;
    let result = async {
        let horizon = Horizon::parse(q.horizon.as_deref(), q.from.as_deref(), parse::today())?;
        let accepted = q.accepted.as_deref().and_then(|n| n.parse().ok());
        build(&app, &ctx, horizon, q.propose.is_some(), Vec::new(), accepted).await
    }
    .await;
    match result {
        Ok(page) => ctx.render(page.render()),
        Err(e) => ctx.error(e),
    }
}

/// Names and labels the page shows, read once.
struct Words<'a> {
    lang: Lang,
    problem: &'a Problem,
    labels: HashMap<u32, (String, String, String)>,
}

impl<'a> Words<'a> {
    /// Reads the label of every session the actor may read: when, what, and its link.
    async fn new(tx: &mut dyn Tx, seen: &mut Visibility, problem: &'a Problem, lang: Lang) -> ApiResult<Words<'a>> {
        let mut lookups = Lookups::default();
        let mut labels = HashMap::new();
        for (i, a) in problem.appointments.iter().enumerate() {
            let day = local_date(a.planned.start);
            let when = format!(
                "{} {} {}",
                weekday(day.weekday(), lang),
                short_date(day, lang),
                span(a.planned.start, a.planned.end, lang)
            );
            let what = if seen.may(tx, Action::ReadAppointments, a.case_id).await? {
                let child = super::calendar::first_name(&lookups.child(tx, a.case_id).await?);
                format!("{child}, {}", a.kind.name().get(lang).to_lowercase())
            } else {
                a.kind.name().get(lang).to_string()
            };
            labels.insert(i as u32, (when, what, super::overview::appointment_href(a)));
        }
        Ok(Words { lang, problem, labels })
    }

    fn label(&self, session: u32) -> String {
        self.labels.get(&session).map(|(when, what, _)| format!("{what} ({when})")).unwrap_or_default()
    }

    fn who(&self, p: u32) -> String {
        self.problem.staff.get(p as usize).map(|s| s.name.to_string()).unwrap_or_default()
    }

    fn room(&self, r: u32) -> String {
        self.problem.rooms.get(r as usize).map(|r| r.name.to_string()).unwrap_or_default()
    }

    fn assigned(&self, a: &Assigned) -> String {
        let t = |k: Text| k.get(self.lang).to_string();
        let mut names: Vec<String> = a
            .practitioners
            .iter()
            .map(|id| self.problem.staff.iter().find(|s| s.id == *id).map(|s| s.name.to_string()).unwrap_or_default())
            .collect();
        if names.is_empty() {
            names.push(t(Text::PlanNoOne));
        }
        let room = a.room.and_then(|id| self.problem.rooms.iter().find(|r| r.id == id)).map(|r| r.name.to_string());
        let and = if self.lang == Lang::Da { " og " } else { " and " };
        match room {
            Some(room) => format!("{}, {room}", names.join(and)),
            None => names.join(and),
        }
    }

    /// A violation in words.
    fn violation(&self, v: &planner::Violation) -> String {
        use planner::Violation::*;
        let t = |k: Text| k.get(self.lang).to_string();
        match *v {
            PractitionerOverlap { practitioner, a, b } => t(Text::PlanDoubleBooked)
                .replace("{who}", &self.who(practitioner))
                .replace("{a}", &self.label(a))
                .replace("{b}", &self.label(b)),
            RoomOverlap { room, a, b } => t(Text::PlanRoomTwice)
                .replace("{room}", &self.room(room))
                .replace("{a}", &self.label(a))
                .replace("{b}", &self.label(b)),
            NotAvailable { session, practitioner } => {
                t(Text::PlanNotAvailable).replace("{who}", &self.who(practitioner)).replace("{a}", &self.label(session))
            }
            RoomClosed { session, room } => {
                t(Text::PlanRoomClosed).replace("{room}", &self.room(room)).replace("{a}", &self.label(session))
            }
            SupervisionUntrained { session, practitioner } => {
                t(Text::PlanUntrained).replace("{who}", &self.who(practitioner)).replace("{a}", &self.label(session))
            }
            RestTooShort { practitioner, .. } => t(Text::PlanRest).replace("{who}", &self.who(practitioner)),
            WeeklyLimit { practitioner, .. } => t(Text::PlanWeekly).replace("{who}", &self.who(practitioner)),
            WrongStaffing { session, .. }
            | WrongPlace { session }
            | OutsideRegion { session, .. }
            | UnknownSession { session }
            | SessionAssignedTwice { session }
            | UnknownPractitioner { session, .. }
            | UnknownRoom { session, .. } => t(Text::PlanStaffing).replace("{a}", &self.label(session)),
        }
    }
}

fn share(x: f64) -> String {
    format!("{:.0} %", x * 100.0)
}

fn one_decimal(x: f64, lang: Lang) -> String {
    let s = format!("{x:.1}");
    if lang == Lang::Da { s.replace('.', ",") } else { s }
}

async fn build(
    app: &AppState,
    ctx: &PageCtx,
    horizon: Horizon,
    propose: bool,
    refused: Vec<String>,
    accepted: Option<usize>,
) -> ApiResult<PlanningPage> {
    let (provider, _) = ctx.provider_staff()?;
    let lang = ctx.lang;
    let mut page = PlanningPage {
        chrome: ctx.chrome(),
        horizon: horizon.kind().into(),
        from: horizon.first.to_string(),
        horizon_text: horizon.text(lang),
        next: horizon.end().to_string(),
        previous: horizon.previous().to_string(),
        proposed: propose,
        sessions: 0,
        fixed: 0,
        took: String::new(),
        measures: Vec::new(),
        problems: Vec::new(),
        changes: Vec::new(),
        unstaffed: Vec::new(),
        refused,
        accepted,
    };
    if !propose {
        return Ok(page);
    }
    let mut tx = app.read().await?;
    let tx = &mut *tx;
    let problem = load(tx, provider, horizon.range()?, parse::now()).await?;
    let started = std::time::Instant::now();
    let plan = problem.solve().await?;
    let took = started.elapsed();
    let mut seen = Visibility::new(ctx.actor()?.clone());
    let words = Words::new(tx, &mut seen, &problem, lang).await?;

    let current = problem.current();
    let inst = &problem.instance;
    let (now, new) = (planner::metrics(inst, &current), planner::metrics(inst, &plan));
    let now_problems = planner::check(inst, &current);
    let new_problems = planner::check(inst, &plan);
    page.sessions = inst.sessions.len();
    page.fixed = problem.fixed;
    page.took = format!("{} ms", took.as_millis());
    page.measures = vec![
        Measure { label: Text::PlanUnstaffed, now: now.unassigned.to_string(), proposed: new.unassigned.to_string() },
        Measure { label: Text::PlanUsualShare, now: share(now.usual_share), proposed: share(new.usual_share) },
        Measure {
            label: Text::PlanHourlyHours,
            now: one_decimal(now.hourly_hours, lang),
            proposed: one_decimal(new.hourly_hours, lang),
        },
        Measure {
            label: Text::PlanRoomChanges,
            now: one_decimal(now.room_changes_per_family, lang),
            proposed: one_decimal(new.room_changes_per_family, lang),
        },
        Measure {
            label: Text::PlanTravel,
            now: one_decimal(now.travel_hours, lang),
            proposed: one_decimal(new.travel_hours, lang),
        },
        Measure {
            label: Text::PlanRuleProblems,
            now: now_problems.len().to_string(),
            proposed: new_problems.len().to_string(),
        },
    ];
    page.problems = now_problems.iter().map(|v| words.violation(v)).collect();
    page.problems.dedup();
    let staffed: std::collections::HashSet<u32> = plan.assignments.iter().map(|a| a.session).collect();
    page.unstaffed = (0..inst.sessions.len() as u32)
        .filter(|s| !staffed.contains(s))
        .map(|s| {
            let (when, what, _) = &words.labels[&s];
            format!("{when}: {what}")
        })
        .collect();
    for (n, change) in problem.changes(&plan).into_iter().enumerate() {
        let Some(session) = problem.session_of(change.appointment) else { continue };
        let appointment = &problem.appointments[session as usize];
        if !seen.may(tx, Action::PlanAppointments, appointment.case_id).await? {
            continue;
        }
        let (when, what, href) = words.labels[&session].clone();
        let unstaffed = change.after.practitioners.is_empty();
        page.changes.push(ProposedChange {
            code: change.code(),
            id: format!("change-{n}"),
            when,
            what,
            href,
            now: words.assigned(&change.before),
            proposed: if unstaffed { Text::PlanNobody.get(lang).to_string() } else { words.assigned(&change.after) },
            unstaffed,
        });
    }
    Ok(page)
}

/// Accepts the ticked changes of a proposal.
pub async fn accept(State(app): State<AppState>, ctx: PageCtx, Form(fields): Form<Vec<(String, String)>>) -> Response {
    use askama::Template;
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let all = |name: &str| fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect::<Vec<_>>();
    let horizon = match Horizon::parse(field("horizon"), field("from"), parse::today()) {
        Ok(h) => h,
        Err(e) => return ctx.error(e),
    };
    match write(&app, &ctx, horizon, &all("change"), &all("proposed")).await {
        Ok(n) => {
            Redirect::to(&format!("/planning?horizon={}&from={}&propose=1&accepted={n}", horizon.kind(), horizon.first))
                .into_response()
        }
        Err(Written::Failed(e)) => ctx.error(e),
        Err(Written::Refused(mut messages)) => {
            if messages.is_empty() {
                // A conflict the database found: someone changed the plan meanwhile.
                messages.push(Text::PlanStale.get(ctx.lang).to_string());
            }
            match build(&app, &ctx, horizon, true, messages, None).await {
                Ok(page) => ctx.render_with(axum::http::StatusCode::CONFLICT, page.render()),
                Err(e) => ctx.error(e),
            }
        }
    }
}

enum Written {
    Refused(Vec<String>),
    Failed(ApiError),
}

impl From<samvirke_store::StoreError> for Written {
    fn from(e: samvirke_store::StoreError) -> Self {
        Written::from(ApiError::from(e))
    }
}

impl From<ApiError> for Written {
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::Conflict(_) => Written::Refused(Vec::new()),
            e => Written::Failed(e),
        }
    }
}

/// Writes the ticked changes, or refuses them all.
async fn write(
    app: &AppState,
    ctx: &PageCtx,
    horizon: Horizon,
    ticked: &[String],
    proposed: &[String],
) -> Result<usize, Written> {
    let (provider, _) = ctx.provider_staff()?;
    let lang = ctx.lang;
    let t = |k: Text| k.get(lang).to_string();
    if ticked.is_empty() {
        return Err(Written::Refused(vec![t(Text::PlanNothingTicked)]));
    }
    let stale = || Written::Refused(vec![t(Text::PlanStale)]);
    let mut tx = app.write().await?;
    let problem = load(&mut *tx, provider, horizon.range()?, parse::now()).await?;
    let mut chosen: Vec<(AppointmentId, Assigned)> = Vec::new();
    for code in ticked {
        let (id, revision, to) = Change::parse(code).ok_or_else(stale)?;
        let session = problem.session_of(id).ok_or_else(stale)?;
        if problem.appointments[session as usize].revision != revision {
            return Err(stale());
        }
        chosen.push((id, to));
    }

    // The ticked changes, without the rest, must not break what the plan keeps now.
    let inst = &problem.instance;
    let before = planner::check(inst, &problem.current());
    let after = planner::check(inst, &problem.with_changes(&chosen));
    let ticked_sessions: Vec<u32> = chosen.iter().filter_map(|(id, _)| problem.session_of(*id)).collect();
    let left_out: Vec<u32> = proposed
        .iter()
        .filter_map(|code| Change::parse(code))
        .filter_map(|(id, _, _)| problem.session_of(id))
        .filter(|s| !ticked_sessions.contains(s))
        .collect();
    let broken: Vec<&planner::Violation> = after
        .iter()
        .filter(|v| !before.contains(v) || problem.sessions_of(v).iter().any(|s| ticked_sessions.contains(s)))
        .collect();
    let mut seen = Visibility::new(ctx.actor()?.clone());
    if !broken.is_empty() {
        let words = Words::new(&mut *tx, &mut seen, &problem, lang).await?;
        let mut messages = Vec::new();
        for v in broken {
            let sessions = problem.sessions_of(v);
            let mine = sessions.iter().find(|s| ticked_sessions.contains(s));
            let theirs = sessions.iter().find(|s| left_out.contains(s));
            let message = match (mine, theirs) {
                (Some(a), Some(b)) => {
                    t(Text::PlanTogether).replace("{a}", &words.label(*a)).replace("{b}", &words.label(*b))
                }
                _ => t(Text::PlanBreaks).replace("{what}", &words.violation(v)),
            };
            if !messages.contains(&message) {
                messages.push(message);
            }
        }
        return Err(Written::Refused(messages));
    }

    // In two steps in one transaction: first every changed appointment lets go
    // of its practitioners and a room it leaves, then takes its new ones, so
    // that two appointments swapping a practitioner or a room are not refused
    // half way. The database refuses any double booking at every step.
    let mut changed: Vec<(Appointment, Assigned)> = Vec::new();
    for (id, to) in chosen {
        // Read by `load` in this transaction, at the revision the proposal saw.
        let mut a = problem.appointments[problem.session_of(id).ok_or_else(stale)? as usize].clone();
        if !seen.may(&mut *tx, Action::PlanAppointments, a.case_id).await? || a.outcome.is_some() {
            return Err(Written::Failed(ApiError::Forbidden));
        }
        let leaves_room = matches!(a.location, Location::Room(r) if Some(r) != to.room);
        a.practitioners = Practitioners::new(Vec::new()).map_err(|_| stale())?;
        if leaves_room {
            a.location = Location::FamilyHome;
        }
        tx.update_appointment(&mut a).await.map_err(|_| stale())?;
        changed.push((a, to));
    }
    let count = changed.len();
    for (mut a, to) in changed {
        a.practitioners = Practitioners::new(to.practitioners).map_err(|_| stale())?;
        if let Some(room) = to.room {
            a.location = Location::Room(room);
        }
        tx.update_appointment(&mut a).await.map_err(|_| stale())?;
    }
    tx.commit().await?;
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn next_week_starts_on_monday_and_next_month_on_the_first() {
        let today = date(2026, 11, 24); // a Tuesday
        let week = Horizon::parse(None, None, today).unwrap();
        assert_eq!((week.first, week.end()), (date(2026, 11, 30), date(2026, 12, 7)));
        let month = Horizon::parse(Some("month"), None, today).unwrap();
        assert_eq!((month.first, month.end()), (date(2026, 12, 1), date(2027, 1, 1)));
        assert_eq!(Horizon::parse(Some("week"), Some("2026-12-10"), today).unwrap().first, date(2026, 12, 7));
        assert!(Horizon::parse(Some("year"), None, today).is_err());
        assert!(Horizon::parse(None, Some("10.12.2026"), today).is_err());
        assert_eq!(month.text(Lang::Da), "december 2026");
        assert_eq!(week.text(Lang::Da), "uge 49: 30.11.2026–06.12.2026");
    }
}
