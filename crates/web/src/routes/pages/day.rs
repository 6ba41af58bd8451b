//! A practitioner's day (`/my-day?date=YYYY-MM-DD`): their sessions of the
//! day in time order, where to be, and for a visit the order's conditions and
//! the staggered arrival, each with a button to record how it went. Made for
//! a phone: one column, large targets.

use super::PageCtx;
use super::appointment::session_of;
use super::lookups::Lookups;
use crate::AppState;
use crate::access::Visibility;
use crate::error::ApiResult;
use crate::facts::all_appointments;
use crate::parse;
use axum::extract::{Query, State};
use axum::response::Response;
use samvirke_domain::policy::Action;
use samvirke_domain::time::TimeRange;
use samvirke_domain::validation::{Problem, ValidationErrors};
use samvirke_pages::format::{long_date, week};
use samvirke_pages::work::MyDay;
use samvirke_store::AppointmentFilter;
use serde::Deserialize;

/// The day asked for.
#[derive(Debug, Deserialize)]
pub struct DayQuery {
    /// `YYYY-MM-DD`; today when absent.
    date: Option<String>,
}

/// The day page.
pub async fn page(State(app): State<AppState>, ctx: PageCtx, Query(q): Query<DayQuery>) -> Response {
    use askama::Template;
    match build(&app, &ctx, q).await {
        Ok(page) => ctx.render(page.render()),
        Err(e) => ctx.error(e),
    }
}

async fn build(app: &AppState, ctx: &PageCtx, q: DayQuery) -> ApiResult<MyDay> {
    let actor = ctx.actor()?.clone();
    let (_, staff) = ctx.provider_staff()?;
    let lang = ctx.lang;
    let today = parse::today();
    let day = parse::opt_date(&q.date).map_err(|p| ValidationErrors::one("date", p))?.unwrap_or(today);
    let zone = samvirke_domain::calendar::copenhagen();
    let bounds = |d: jiff::civil::Date| d.to_zoned(zone.clone()).map(|z| z.timestamp());
    let (Ok(start), Ok(end)) = (bounds(day), day.tomorrow().and_then(bounds)) else {
        return Err(ValidationErrors::one("date", Problem::NotAllowed).into());
    };
    let during = TimeRange::new(start, end).map_err(|p| ValidationErrors::one("date", p))?;
    let mut tx = app.read().await?;
    let tx = &mut *tx;
    let mut seen = Visibility::new(actor);
    let mut lookups = Lookups::default();
    let filter = AppointmentFilter { staff: Some(staff), during: Some(during), ..Default::default() };
    let mut sessions = Vec::new();
    for a in all_appointments(tx, &filter).await? {
        if seen.may(tx, Action::ReadAppointments, a.case_id).await? {
            sessions.push(session_of(tx, &mut lookups, &a, lang).await?);
        }
    }
    let (previous, next) = (day.yesterday().unwrap_or(day), day.tomorrow().unwrap_or(day));
    Ok(MyDay {
        chrome: ctx.chrome(),
        day: long_date(day, lang),
        week: week(day, lang),
        previous: previous.to_string(),
        next: next.to_string(),
        today: (day != today).then(|| today.to_string()),
        sessions,
    })
}
