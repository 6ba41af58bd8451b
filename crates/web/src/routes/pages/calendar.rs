//! The week calendar (`/calendar?room=…|staff=…&week=YYYY-Www`): a room's or a
//! practitioner's week, Monday to Sunday, 07–21, for the provider's own staff.
//! Each appointment is decided on its case ([`Visibility`]): one the actor may
//! read shows its time, kind and the child's first name; any other only that
//! the time is taken («Optaget»).
//!
//! The page plans an appointment (`POST /calendar/appointments`) and moves one
//! (`POST /appointments/{id}/move`) with the API's own functions
//! ([`create_in`], [`reschedule_in`]) in one transaction, which refuse a room
//! or a practitioner booked twice. While the form is filled in, htmx asks
//! `POST /calendar/check` for the clashes of the chosen time, room and
//! practitioners, worded without any personal data («Samværsrum 1 er optaget
//! 10.00–12.00»): the same clashes the save refuses.

use super::lookups::Lookups;
use super::{PageCtx, filled};
use crate::AppState;
use crate::access::Visibility;
use crate::error::{ApiError, ApiResult, ConflictKind};
use crate::facts::{all_appointments, all_referrals};
use crate::parse;
use crate::routes::appointments::{
    AppointmentInput, ArrivalInput, LocationInput, ParticipantInput, PlanInput, RescheduleInput, clashes, create_in,
    reschedule_in,
};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::{Date, ISOWeekDate, Weekday};
use samvirke_domain::appointment::{Appointment, AppointmentKind, Booked, Clash, Location, Participant};
use samvirke_domain::organisation::StaffRole;
use samvirke_domain::policy::{Action, Target, decide};
use samvirke_domain::referral::ReferralState;
use samvirke_domain::rules::RuleViolationView;
use samvirke_domain::time::TimeRange;
use samvirke_domain::{AppointmentId, Lang, ProviderId, RoomId, StaffId};
use samvirke_pages::Text;
use samvirke_pages::calendar::{
    CalendarPage, Conflicts, Day, Entry, MoveForm, Opt, PlanForm, day_month, hours, practitioner_taken, room_taken,
    rows, week_dates,
};
use samvirke_pages::format::{local_date, local_time, long_date, span, week, weekday};
use samvirke_pages::work::FieldProblem;
use samvirke_store::{AppointmentFilter, ReferralFilter, StaffFilter, Tx};
use serde::Deserialize;

/// Whose week the calendar shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Subject {
    Room(RoomId),
    Staff(StaffId),
}

impl Subject {
    /// `room=<id>` or `staff=<id>`: the calendar's query.
    fn query(self) -> String {
        match self {
            Subject::Room(id) => format!("room={id}"),
            Subject::Staff(id) => format!("staff={id}"),
        }
    }

    /// `room:<id>` or `staff:<id>`: the value of the calendar's choice.
    fn value(self) -> String {
        match self {
            Subject::Room(id) => format!("room:{id}"),
            Subject::Staff(id) => format!("staff:{id}"),
        }
    }

    /// From `room=<id>`, `staff=<id>` or the choice's `room:<id>`/`staff:<id>`.
    fn parse(room: Option<&str>, staff: Option<&str>, choice: Option<&str>) -> Option<Subject> {
        fn filled(s: Option<&str>) -> Option<&str> {
            s.map(str::trim).filter(|s| !s.is_empty())
        }
        if let Some(room) = filled(room) {
            return room.parse().ok().map(Subject::Room);
        }
        if let Some(staff) = filled(staff) {
            return staff.parse().ok().map(Subject::Staff);
        }
        let (kind, id) = filled(choice)?.split_once([':', '='])?;
        match kind {
            "room" => id.parse().ok().map(Subject::Room),
            "staff" => id.parse().ok().map(Subject::Staff),
            _ => None,
        }
    }
}

/// The calendar's query.
#[derive(Debug, Default, Deserialize)]
pub struct CalendarQuery {
    room: Option<String>,
    staff: Option<String>,
    /// The choice of the page's selector: `room:<id>` or `staff:<id>`.
    subject: Option<String>,
    /// `YYYY-Www`; this week when absent.
    week: Option<String>,
    /// An appointment whose move form is shown.
    #[serde(rename = "move")]
    moving: Option<String>,
    /// `planned` or `moved` right after a save.
    saved: Option<String>,
}

/// The Monday of an ISO week `YYYY-Www`.
fn monday_of(code: &str) -> Option<Date> {
    let (year, week) = code.trim().split_once("-W")?;
    ISOWeekDate::new(year.parse().ok()?, week.parse().ok()?, Weekday::Monday).ok().map(|w| w.date())
}

/// `2026-W48`: the ISO week of a day.
fn week_code(d: Date) -> String {
    let w = d.iso_week_date();
    format!("{}-W{:02}", w.year(), w.week())
}

/// The week calendar page.
pub async fn page(State(app): State<AppState>, ctx: PageCtx, Query(q): Query<CalendarQuery>) -> Response {
    use askama::Template;
    match build(&app, &ctx, &q, None).await {
        Ok(page) => ctx.render(page.render()),
        Err(e) => ctx.error(e),
    }
}

/// The rooms and the staff who hold appointments, of a provider: `(id, name)`.
async fn organisation(tx: &mut dyn Tx, provider: ProviderId) -> ApiResult<(Vec<Opt>, Vec<Opt>)> {
    let rooms = tx
        .rooms(provider)
        .await?
        .into_iter()
        .filter(|r| r.active)
        .map(|r| Opt { value: r.id.to_string(), text: r.name.to_string() })
        .collect();
    let filter = StaffFilter { provider: Some(provider), active_only: true, ..Default::default() };
    let mut staff: Vec<Opt> = tx
        .list_staff(&filter)
        .await?
        .into_iter()
        .filter(|s| matches!(s.role, StaffRole::Practitioner | StaffRole::Coordinator))
        .map(|s| Opt { value: s.id.to_string(), text: s.name.to_string() })
        .collect();
    staff.sort_by(|a, b| a.text.cmp(&b.text));
    Ok((rooms, staff))
}

/// What a refused form showed: which form, what was entered, and why.
struct Refusal {
    moving: Option<AppointmentId>,
    form: PlanForm,
    errors: Vec<FieldProblem>,
    rule: Option<RuleViolationView>,
    conflicts: Vec<String>,
}

/// A child's first name.
pub(super) fn first_name(name: &str) -> String {
    name.split_whitespace().next().unwrap_or_default().to_string()
}

/// The form as an appointment fills it.
fn form_of(a: &Appointment) -> PlanForm {
    let zoned = |t: jiff::Timestamp| local_time(t, Lang::En);
    let ids = a.practitioners.ids();
    PlanForm {
        referral_id: a.referral_id.to_string(),
        kind: a.kind.code().to_string(),
        date: local_date(a.planned.start).to_string(),
        start: zoned(a.planned.start),
        end: zoned(a.planned.end),
        location: location_value(&a.location),
        place: match &a.location {
            Location::Other(place) => place.to_string(),
            _ => String::new(),
        },
        practitioner: ids.first().map(ToString::to_string).unwrap_or_default(),
        practitioner2: ids.get(1).map(ToString::to_string).unwrap_or_default(),
    }
}

/// The value of the place's choice.
fn location_value(l: &Location) -> String {
    match l {
        Location::Room(id) => format!("room:{id}"),
        Location::FamilyHome => "family_home".into(),
        Location::PlacementSetting => "placement_setting".into(),
        Location::Other(_) => "other".into(),
    }
}

async fn build(app: &AppState, ctx: &PageCtx, q: &CalendarQuery, refusal: Option<Refusal>) -> ApiResult<CalendarPage> {
    let actor = ctx.actor()?.clone();
    let (provider, me) = ctx.provider_staff()?;
    let lang = ctx.lang;
    let today = parse::today();
    let monday = match q.week.as_deref().filter(|w| !w.trim().is_empty()) {
        Some(code) => monday_of(code).ok_or_else(|| {
            samvirke_domain::validation::ValidationErrors::one("week", samvirke_domain::validation::Problem::NotAllowed)
        })?,
        None => super::monday(today),
    };
    let next_monday = monday + jiff::Span::new().days(7);
    let mut tx = app.read().await?;
    let tx = &mut *tx;
    let (rooms, staff) = organisation(tx, provider).await?;
    let asked = Subject::parse(q.room.as_deref(), q.staff.as_deref(), q.subject.as_deref());
    let subject = match asked {
        Some(Subject::Room(id)) if rooms.iter().any(|r| r.value == id.to_string()) => Some(Subject::Room(id)),
        Some(Subject::Staff(id)) if staff.iter().any(|s| s.value == id.to_string()) => Some(Subject::Staff(id)),
        Some(_) => return Err(ApiError::NotFound),
        None if actor.role == samvirke_domain::user::Role::Staff(StaffRole::Practitioner) => Some(Subject::Staff(me)),
        None => rooms
            .first()
            .and_then(|r| r.value.parse().ok().map(Subject::Room))
            .or_else(|| staff.first().and_then(|s| s.value.parse().ok().map(Subject::Staff))),
    };
    let title = match subject {
        Some(Subject::Room(id)) => rooms.iter().find(|r| r.value == id.to_string()).map(|r| r.text.clone()),
        Some(Subject::Staff(id)) => staff.iter().find(|s| s.value == id.to_string()).map(|s| s.text.clone()),
        None => None,
    }
    .unwrap_or_default();

    let zone = samvirke_domain::calendar::copenhagen();
    let during = super::local_days(monday, next_monday)?;
    let mut seen = Visibility::new(actor.clone());
    let mut lookups = Lookups::default();
    let filter = match subject {
        Some(Subject::Room(id)) => {
            Some(AppointmentFilter { room: Some(id), during: Some(during), ..Default::default() })
        }
        Some(Subject::Staff(id)) => {
            Some(AppointmentFilter { staff: Some(id), during: Some(during), ..Default::default() })
        }
        None => None,
    };
    let appointments = match &filter {
        Some(filter) => all_appointments(tx, filter).await?,
        None => Vec::new(),
    };
    let query = subject.map(Subject::query).unwrap_or_default();
    let code = week_code(monday);
    let mut days: Vec<Day> = (0..7)
        .map(|i| {
            let d = monday + jiff::Span::new().days(i);
            Day {
                name: weekday(d.weekday(), lang).to_string(),
                date: day_month(d),
                today: d == today,
                entries: Vec::new(),
            }
        })
        .collect();
    for a in &appointments {
        let start_day = local_date(a.planned.start).max(monday);
        let Some(index) = usize::try_from((start_day - monday).get_days()).ok().filter(|i| *i < 7) else {
            continue;
        };
        let start = a.planned.start.to_zoned(zone.clone());
        let end = a.planned.end.to_zoned(zone.clone());
        let (row, span_rows) = if local_date(a.planned.start) < monday {
            rows(jiff::civil::Time::midnight(), end.time(), end.date() > start_day)
        } else {
            rows(start.time(), end.time(), end.date() > start_day)
        };
        let time = span(a.planned.start, a.planned.end, lang);
        let entry = if seen.may(tx, Action::ReadAppointments, a.case_id).await? {
            let movable = a.outcome.is_none() && seen.may(tx, Action::PlanAppointments, a.case_id).await?;
            Entry {
                time,
                kind: a.kind.name().get(lang).to_string(),
                child: first_name(&lookups.child(tx, a.case_id).await?),
                busy: false,
                href: Some(super::overview::appointment_href(a)),
                move_href: movable.then(|| calendar_url(&query, &format!("week={code}&move={}#move", a.id))),
                row,
                span: span_rows,
            }
        } else {
            Entry {
                time,
                kind: String::new(),
                child: String::new(),
                busy: true,
                href: None,
                move_href: None,
                row,
                span: span_rows,
            }
        };
        days[index].entries.push(entry);
    }

    // What the actor may plan for: the provider's open orders whose case they plan on.
    let open = ReferralFilter {
        provider: Some(provider),
        states: vec![ReferralState::Accepted, ReferralState::Active, ReferralState::Ending],
        ..Default::default()
    };
    let mut referrals = Vec::new();
    for r in all_referrals(tx, &open).await? {
        if seen.may(tx, Action::PlanAppointments, r.case_id).await? {
            let child = lookups.child(tx, r.case_id).await?;
            referrals.push(Opt { value: r.id.to_string(), text: format!("{child} – {}", r.intervention.name(lang)) });
        }
    }
    referrals.sort_by(|a, b| a.text.cmp(&b.text));
    let kinds = AppointmentKind::ALL
        .iter()
        .map(|k| Opt { value: k.code().to_string(), text: k.name().get(lang).to_string() })
        .collect();
    let mut places: Vec<Opt> =
        rooms.iter().map(|r| Opt { value: format!("room:{}", r.value), text: r.text.clone() }).collect();
    for (value, text) in [
        ("family_home", Text::PlaceFamilyHome),
        ("placement_setting", Text::PlacePlacement),
        ("other", Text::PlaceOther),
    ] {
        places.push(Opt { value: value.into(), text: text.get(lang).into() });
    }

    // The move form of the appointment asked for, when the actor may move it.
    let moving_id = match &refusal {
        Some(r) => r.moving,
        None => q.moving.as_deref().and_then(|id| id.trim().parse().ok()),
    };
    let mut moving = None;
    if let Some(id) = moving_id {
        let a = tx.appointment(id).await?;
        if a.outcome.is_none() && seen.may(tx, Action::PlanAppointments, a.case_id).await? {
            let child = first_name(&lookups.child(tx, a.case_id).await?);
            let what = format!(
                "{}, {child}, {} {}",
                a.kind.name().get(lang),
                long_date(local_date(a.planned.start), lang),
                span(a.planned.start, a.planned.end, lang)
            );
            let form = match &refusal {
                Some(r) if r.moving == Some(id) => r.form.clone(),
                _ => form_of(&a),
            };
            moving = Some(MoveForm {
                action: super::MOVE_FORM.replace("{id}", &id.to_string()),
                id: id.to_string(),
                revision: a.revision,
                what,
                form,
            });
        } else {
            // Not theirs to move: the same answer as an appointment that does not exist.
            return Err(ApiError::NotFound);
        }
    }

    let default_form = PlanForm {
        date: if (monday..next_monday).contains(&today) { today.to_string() } else { monday.to_string() },
        location: match subject {
            Some(Subject::Room(id)) => format!("room:{id}"),
            _ => places.first().map(|p| p.value.clone()).unwrap_or_default(),
        },
        practitioner: match subject {
            Some(Subject::Staff(id)) => id.to_string(),
            _ => String::new(),
        },
        ..PlanForm::default()
    };
    let (form, errors, rule, conflicts) = match refusal {
        Some(r) if r.moving.is_none() => (r.form, r.errors, r.rule, r.conflicts),
        Some(r) => (default_form, r.errors, r.rule, r.conflicts),
        None => (default_form, Vec::new(), None, Vec::new()),
    };
    let saved = match q.saved.as_deref() {
        Some("planned") => Some(Text::AppointmentPlanned),
        Some("moved") => Some(Text::AppointmentMoved),
        _ => None,
    };
    let mut chrome = ctx.chrome();
    chrome.path = samvirke_pages::layout::paths::CALENDAR.to_string();
    Ok(CalendarPage {
        chrome,
        title,
        week: week(monday, lang),
        dates: week_dates(monday, monday + jiff::Span::new().days(6), lang),
        subject: subject.map(Subject::value).unwrap_or_default(),
        subject_query: query,
        week_code: code,
        previous: week_code(monday - jiff::Span::new().days(7)),
        next: week_code(next_monday),
        can_plan: !referrals.is_empty(),
        rooms,
        staff,
        hours: hours(),
        days,
        referrals,
        kinds,
        places,
        form,
        moving,
        errors,
        rule,
        conflicts,
        saved,
    })
}

/// The plan and move forms, and the clash check, as posted.
#[derive(Debug, Default, Deserialize)]
pub struct PlanFields {
    #[serde(default)]
    referral_id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    practitioner: String,
    #[serde(default)]
    practitioner2: String,
    /// The move form: the revision it is based on.
    #[serde(default)]
    revision: String,
    /// The move form: the appointment moved (left out of the clash check).
    #[serde(default)]
    except: String,
    /// The calendar to go back to: `room=<id>` or `staff=<id>`.
    #[serde(default)]
    back: String,
}

impl PlanFields {
    fn form(&self) -> PlanForm {
        PlanForm {
            referral_id: self.referral_id.clone(),
            kind: self.kind.clone(),
            date: self.date.clone(),
            start: self.start.clone(),
            end: self.end.clone(),
            location: self.location.clone(),
            place: self.place.clone(),
            practitioner: self.practitioner.clone(),
            practitioner2: self.practitioner2.clone(),
        }
    }

    /// A local time on the form's day, as the API's timestamp; what is not a
    /// date and a time is passed on as it is, for the API's parser to refuse.
    fn at(&self, time: &str) -> Option<String> {
        let time = filled(time)?;
        let zone = samvirke_domain::calendar::copenhagen();
        match (self.date.trim().parse::<Date>(), time.parse::<jiff::civil::Time>()) {
            (Ok(day), Ok(t)) => {
                day.to_datetime(t).to_zoned(zone).ok().map(|z| z.timestamp().to_string()).or(Some(time))
            }
            (Err(_), _) => Some(filled(&self.date).unwrap_or_default()),
            _ => Some(time),
        }
    }

    fn location(&self) -> Option<LocationInput> {
        let location = filled(&self.location)?;
        Some(match location.split_once(':') {
            Some(("room", id)) => LocationInput { kind: Some("room".into()), value: Some(id.to_string()) },
            _ => LocationInput { kind: Some(location), value: filled(&self.place) },
        })
    }

    fn practitioners(&self) -> Vec<String> {
        [&self.practitioner, &self.practitioner2].into_iter().filter_map(|s| filled(s)).collect()
    }

    /// When, where and with whom; participants and arrival as given.
    fn plan(&self, participants: Option<Vec<ParticipantInput>>, arrival: Option<ArrivalInput>) -> PlanInput {
        PlanInput {
            start: self.at(&self.start),
            end: self.at(&self.end),
            location: self.location(),
            practitioner_ids: Some(self.practitioners()),
            participants,
            arrival,
        }
    }

    /// The calendar to go back to, rebuilt from ids only.
    fn back(&self) -> String {
        let (kind, id) = self.back.split_once('=').unwrap_or_default();
        Subject::parse((kind == "room").then_some(id), (kind == "staff").then_some(id), None)
            .map(Subject::query)
            .unwrap_or_default()
    }
}

/// The field of the form a problem of the API's input names, and its label.
fn field_of(api_field: &str) -> (&'static str, Text) {
    match api_field {
        "referral_id" => ("referral", Text::Order),
        "kind" => ("kind", Text::AppointmentKind),
        "start" => ("start", Text::Start),
        "end" | "" => ("end", Text::End),
        f if f.starts_with("location") => ("location", Text::Where),
        f if f.starts_with("practitioner") => ("practitioner", Text::Practitioner),
        _ => ("date", Text::Date),
    }
}

/// Why a save was refused: the error, and the clashes of a double booking, worded.
struct Refused {
    error: ApiError,
    conflicts: Vec<String>,
}

impl From<ApiError> for Refused {
    fn from(error: ApiError) -> Self {
        Refused { error, conflicts: Vec::new() }
    }
}

impl From<samvirke_store::StoreError> for Refused {
    fn from(error: samvirke_store::StoreError) -> Self {
        ApiError::from(error).into()
    }
}

/// The clashes, worded without personal data: the room's or the practitioner's name and the time taken.
pub(super) async fn worded(tx: &mut dyn Tx, found: &[Clash], lang: Lang) -> ApiResult<Vec<String>> {
    let mut lookups = Lookups::default();
    let mut lines = Vec::new();
    for c in found {
        let time = span(c.occupied.start, c.occupied.end, lang);
        let line = match c.what {
            Booked::Room(room) => room_taken(&lookups.room(tx, room).await?, &time, lang),
            Booked::Practitioner(staff) => practitioner_taken(&lookups.staff_name(tx, staff).await?, &time, lang),
        };
        if !lines.contains(&line) {
            lines.push(line);
        }
    }
    Ok(lines)
}

/// The clashes of a refused double booking, in the refusing transaction.
async fn double_booked(
    tx: &mut dyn Tx,
    error: ApiError,
    fields: &PlanFields,
    except: Option<AppointmentId>,
    lang: Lang,
) -> Refused {
    if !matches!(error, ApiError::Conflict(ConflictKind::DoubleBooking)) {
        return error.into();
    }
    let (Some(start), Some(end)) = (fields.at(&fields.start), fields.at(&fields.end)) else { return error.into() };
    let (Ok(start), Ok(end)) = (start.parse(), end.parse()) else { return error.into() };
    let Ok(when) = TimeRange::new(start, end) else { return error.into() };
    let location = match fields.location().and_then(|l| l.value.filter(|_| l.kind.as_deref() == Some("room"))) {
        Some(room) => room.parse().map(Location::Room).unwrap_or(Location::FamilyHome),
        None => Location::FamilyHome,
    };
    let staff: Vec<StaffId> = fields.practitioners().iter().filter_map(|s| s.parse().ok()).collect();
    // The span taken: an appointment moved keeps its staggered arrival, shifted with it.
    let span = match except {
        Some(id) => match tx.appointment(id).await {
            Ok(a) => shifted(&a, when).occupied(),
            Err(_) => when,
        },
        None => when,
    };
    // When the database refused the write (another instance took the slot
    // between the check and the insert), a PostgreSQL transaction can no
    // longer be read: the refusal is then said without the clashes.
    match clashes(tx, &span, &location, &staff, except).await {
        Ok(found) => match worded(tx, &found, lang).await {
            Ok(conflicts) => Refused { error, conflicts },
            Err(_) => error.into(),
        },
        Err(_) => error.into(),
    }
}

/// The appointment at a new planned time, its staggered arrival moved with it.
fn shifted(a: &Appointment, planned: TimeRange) -> Appointment {
    let by = planned.start.duration_since(a.planned.start);
    Appointment { planned, arrival: a.arrival.map(|p| p.shifted(by)), ..a.clone() }
}

/// The refused form shown again on the calendar, with its errors, rule or clashes.
async fn refuse(
    app: &AppState,
    ctx: &PageCtx,
    fields: &PlanFields,
    moving: Option<AppointmentId>,
    refused: Refused,
) -> Response {
    use askama::Template;
    let lang = ctx.lang;
    let prefix = if moving.is_some() { "move" } else { "plan" };
    // Without a day, the times cannot be read: the day is what to correct.
    let day_missing = fields.date.trim().parse::<Date>().is_err();
    let (status, errors, rule) = match &refused.error {
        ApiError::Validation(problems) => {
            let mut errors: Vec<FieldProblem> = Vec::new();
            for p in &problems.0 {
                let (field, label) = match field_of(&p.field) {
                    ("start" | "end", _) if day_missing => ("date", Text::Date),
                    other => other,
                };
                let field = format!("{prefix}-{field}");
                if !errors.iter().any(|e| e.field == field) {
                    errors.push(FieldProblem {
                        field,
                        label: label.get(lang).to_string(),
                        message: p.problem.message(lang),
                    });
                }
            }
            (refused.error.status(), errors, None)
        }
        ApiError::Rule(violation) => (refused.error.status(), Vec::new(), Some(violation.view(lang))),
        ApiError::Conflict(ConflictKind::DoubleBooking) => (StatusCode::CONFLICT, Vec::new(), None),
        _ => return ctx.error(refused.error),
    };
    let week = fields.date.trim().parse::<Date>().ok().map(week_code);
    let back = fields.back();
    let (room, staff) = match back.split_once('=') {
        Some(("room", id)) => (Some(id.to_string()), None),
        Some(("staff", id)) => (None, Some(id.to_string())),
        _ => (None, None),
    };
    let q = CalendarQuery { room, staff, week: week.clone(), ..CalendarQuery::default() };
    let refusal = Refusal { moving, form: fields.form(), errors, rule, conflicts: refused.conflicts };
    match build(app, ctx, &q, Some(refusal)).await {
        Ok(page) => {
            // htmx shows the calendar's own address, not the form's.
            let url = calendar_url(&back, &format!("week={}", week.unwrap_or_else(|| page.week_code.clone())));
            super::shown_at(ctx.render_with(status, page.render()), &url)
        }
        Err(e) => ctx.error(e),
    }
}

/// The calendar's address: `back` (`room=<id>`, `staff=<id>` or nothing), the week, and more.
fn calendar_url(back: &str, rest: &str) -> String {
    if back.is_empty() { format!("/calendar?{rest}") } else { format!("/calendar?{back}&{rest}") }
}

/// After a save: the calendar of the week of the appointment, with a receipt.
fn saved(fields: &PlanFields, a: &Appointment, what: &str) -> Response {
    let week = week_code(local_date(a.planned.start));
    Redirect::to(&calendar_url(&fields.back(), &format!("week={week}&saved={what}"))).into_response()
}

/// Plans an appointment from the calendar's form. The access check has decided
/// planning on the case of the referral the form names.
pub async fn plan(State(app): State<AppState>, ctx: PageCtx, Form(fields): Form<PlanFields>) -> Response {
    let lang = ctx.lang;
    let result: Result<Appointment, Refused> = async {
        ctx.provider_staff()?;
        let mut tx = app.write().await?;
        // The access check decided on the referral's case; once more here, in
        // the writing transaction, so that no form it could not read is saved.
        if let Ok(referral) = fields.referral_id.trim().parse::<samvirke_domain::ReferralId>() {
            let case = tx.referral(referral).await?.case_id;
            let facts = crate::access::case_facts(&mut *tx, case).await?;
            if decide(ctx.actor()?, Action::PlanAppointments, Target::Case(&facts)).is_err() {
                return Err(ApiError::NotFound.into());
            }
        }
        let input = AppointmentInput {
            referral_id: filled(&fields.referral_id),
            kind: filled(&fields.kind),
            plan: fields.plan(None, None),
        };
        match create_in(&mut *tx, &input, lang).await {
            Ok(view) => {
                tx.commit().await?;
                Ok(view.appointment)
            }
            Err(e) => Err(double_booked(&mut *tx, e, &fields, None, lang).await),
        }
    }
    .await;
    match result {
        Ok(a) => saved(&fields, &a, "planned"),
        Err(refused) => refuse(&app, &ctx, &fields, None, refused).await,
    }
}

/// The participants of an appointment, as the API's input names them.
fn participants_of(a: &Appointment) -> Vec<ParticipantInput> {
    let input = |kind: &str, value: Option<String>| ParticipantInput { kind: Some(kind.into()), value };
    a.participants
        .iter()
        .map(|p| match p {
            Participant::Child => input("child", None),
            Participant::Caregiver => input("caregiver", None),
            Participant::FamilyMember(id) => input("family_member", Some(id.to_string())),
            Participant::Staff(id) => input("staff", Some(id.to_string())),
            Participant::Other(name) => input("other", Some(name.to_string())),
        })
        .collect()
}

/// Moves an appointment from the calendar's move form: time, place and
/// practitioners; its participants stay, its staggered arrival moves with it.
pub async fn move_appointment(
    State(app): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<AppointmentId>,
    Form(fields): Form<PlanFields>,
) -> Response {
    let lang = ctx.lang;
    let result: Result<Appointment, Refused> = async {
        ctx.provider_staff()?;
        let mut tx = app.write().await?;
        let current = tx.appointment(id).await?;
        // The arrival plan moves by as much as the start does; without a valid new time it is left as it was.
        let new_start = fields.at(&fields.start).and_then(|s| s.parse::<jiff::Timestamp>().ok());
        let arrival = current.arrival.map(|p| {
            let p = match new_start {
                Some(start) => p.shifted(start.duration_since(current.planned.start)),
                None => p,
            };
            ArrivalInput {
                parent_arrives: Some(p.parent_arrives.to_string()),
                child_arrives: Some(p.child_arrives.to_string()),
                child_leaves: Some(p.child_leaves.to_string()),
                parent_leaves: Some(p.parent_leaves.to_string()),
            }
        });
        let input = RescheduleInput {
            revision: fields.revision.trim().parse().ok().or(Some(-1)),
            plan: fields.plan(Some(participants_of(&current)), arrival),
        };
        match reschedule_in(&mut *tx, id, &input, lang).await {
            Ok(view) => {
                tx.commit().await?;
                Ok(view.appointment)
            }
            Err(e) => Err(double_booked(&mut *tx, e, &fields, Some(id), lang).await),
        }
    }
    .await;
    match result {
        Ok(a) => saved(&fields, &a, "moved"),
        Err(refused) => refuse(&app, &ctx, &fields, Some(id), refused).await,
    }
}

/// The clashes of the form's time, room and practitioners with what is
/// already booked: a fragment for the form's `#…-conflicts`. Only the
/// provider's own rooms and staff are looked at, and a clash is said with the
/// room's or the practitioner's name and the time only, whoever's case it is.
pub async fn check(State(app): State<AppState>, ctx: PageCtx, Form(fields): Form<PlanFields>) -> Response {
    use askama::Template;
    let lang = ctx.lang;
    let result: ApiResult<Conflicts> = async {
        let (provider, _) = ctx.provider_staff()?;
        let when = match (fields.at(&fields.start), fields.at(&fields.end)) {
            (Some(start), Some(end)) => match (start.parse(), end.parse()) {
                (Ok(start), Ok(end)) => TimeRange::new(start, end).ok(),
                _ => None,
            },
            _ => None,
        };
        let Some(when) = when else { return Ok(Conflicts { chrome: ctx.chrome(), checked: false, conflicts: vec![] }) };
        let mut tx = app.read().await?;
        let tx = &mut *tx;
        let (rooms, staff) = organisation(tx, provider).await?;
        let location = match fields.location() {
            Some(LocationInput { kind: Some(kind), value: Some(id) })
                if kind == "room" && rooms.iter().any(|r| r.value == id) =>
            {
                id.parse().map(Location::Room).unwrap_or(Location::FamilyHome)
            }
            _ => Location::FamilyHome,
        };
        let practitioners: Vec<StaffId> = fields
            .practitioners()
            .iter()
            .filter(|id| staff.iter().any(|s| &s.value == *id))
            .filter_map(|id| id.parse().ok())
            .collect();
        let except: Option<AppointmentId> = filled(&fields.except).and_then(|id| id.parse().ok());
        // A moved appointment keeps its staggered arrival, shifted with it, when it is the provider's.
        let mut span = when;
        if let Some(id) = except
            && let Ok(a) = tx.appointment(id).await
            && tx.case(a.case_id).await.is_ok_and(|c| c.provider_id == provider)
        {
            span = shifted(&a, when).occupied();
        }
        let found = clashes(tx, &span, &location, &practitioners, except).await?;
        Ok(Conflicts { chrome: ctx.chrome(), checked: true, conflicts: worded(tx, &found, lang).await? })
    }
    .await;
    match result {
        Ok(fragment) => ctx.render(fragment.render()),
        Err(e) => ctx.error(e),
    }
}
