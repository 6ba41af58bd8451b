//! A practitioner's calendar feed: a page that makes a secret link
//! (`/calendar-feed`, shown once; a new one voids the old), and the feed
//! itself (`/calendar-feed/{token}`), iCalendar that a phone's calendar
//! subscribes to. The feed carries times, places and the case reference —
//! no names, no conditions, no notes — for 30 days back and 120 ahead. The
//! link is the credential: only its SHA-256 is stored, and each fetch writes
//! an audit entry per case it shows, in the name of the link's owner.

use super::PageCtx;
use crate::AppState;
use crate::audit::account_event;
use crate::auth::ClientAddr;
use crate::error::{ApiError, ApiResult};
use crate::facts::all_appointments;
use crate::parse;
use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderValue, header::HOST};
use axum::response::{IntoResponse, Response};
use jiff::SignedDuration;
use samvirke_auth::FeedToken;
use samvirke_domain::Lang;
use samvirke_domain::appointment::{Location, Outcome};
use samvirke_domain::audit::{AuditAction, AuditEvent};
use samvirke_domain::time::TimeRange;
use samvirke_domain::user::Subject;
use samvirke_pages::ical::{FeedEvent, calendar};
use samvirke_pages::{CalendarFeed, Text};
use samvirke_store::AppointmentFilter;
use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};

/// The feed's page.
pub const FEED_PAGE: &str = "/calendar-feed";
/// The feed.
pub const FEED_ROUTE: &str = "/calendar-feed/{token}";

/// The page: what the feed is, and the button that makes a link.
pub async fn page(ctx: PageCtx) -> Response {
    use askama::Template;
    ctx.render(CalendarFeed { chrome: ctx.chrome(), link: None }.render())
}

/// A new secret link for the signed-in person, shown once.
pub async fn renew(State(app): State<AppState>, ctx: PageCtx, from: ClientAddr, headers: HeaderMap) -> Response {
    use askama::Template;
    let made = async {
        let actor = ctx.actor()?;
        let token = FeedToken::generate();
        let mut tx = app.write().await?;
        tx.set_feed_token(actor.user_id, &token.hash(), parse::now()).await?;
        tx.append_audit(&[account_event(
            Some(actor.user_id),
            AuditAction::Change,
            Some(actor.user_id),
            from,
            FEED_PAGE,
        )])
        .await?;
        tx.commit().await?;
        ApiResult::Ok(token)
    };
    match made.await {
        Ok(token) => {
            // The address the person opened Samvirke at; https unless it is a loopback development server.
            let host = headers.get(HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
            let scheme = if app.config.secure_cookies { "https" } else { "http" };
            let link = format!("{scheme}://{host}{FEED_PAGE}/{}", token.reveal());
            ctx.render(CalendarFeed { chrome: ctx.chrome(), link: Some(link) }.render())
        }
        Err(e) => ctx.error(e),
    }
}

/// The feed: `text/calendar`; `404` for a link that is not (or no longer) one.
pub async fn feed(State(app): State<AppState>, from: ClientAddr, Path(token): Path<String>) -> Response {
    match build(&app, from, &token).await {
        Ok(ics) => {
            let mut response = ics.into_response();
            response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8"));
            response
        }
        Err(e) => e.into_response(),
    }
}

async fn build(app: &AppState, from: ClientAddr, token: &str) -> ApiResult<String> {
    let token = token.trim_end_matches(".ics");
    let hash = FeedToken::parse(token).ok_or(ApiError::NotFound)?.hash();
    let lang = Lang::Da;
    let now = parse::now();
    let mut tx = app.write().await?;
    let user = tx.feed_user(&hash).await?;
    let user = tx.user(user).await?;
    let Subject::Staff(staff) = user.subject else { return Err(ApiError::NotFound) };
    if !user.active {
        return Err(ApiError::NotFound);
    }
    let during = TimeRange::new(now - SignedDuration::from_hours(24 * 30), now + SignedDuration::from_hours(24 * 120))
        .map_err(|_| ApiError::Internal)?;
    let appointments = all_appointments(
        &mut *tx,
        &AppointmentFilter { staff: Some(staff), during: Some(during), ..Default::default() },
    )
    .await?;
    let mut references = HashMap::new();
    let mut rooms = HashMap::new();
    let mut events = Vec::new();
    for a in &appointments {
        if let Entry::Vacant(slot) = references.entry(a.case_id) {
            slot.insert(tx.case(a.case_id).await?.reference.to_string());
        }
        let place = match a.location {
            Location::Room(id) => {
                if let Entry::Vacant(slot) = rooms.entry(id) {
                    slot.insert(tx.room(id).await?.name.to_string());
                }
                rooms[&id].clone()
            }
            Location::FamilyHome => Text::PlaceFamilyHome.get(lang).to_string(),
            Location::PlacementSetting => Text::PlacePlacement.get(lang).to_string(),
            Location::Other(ref place) => place.to_string(),
        };
        events.push(FeedEvent {
            uid: format!("{}@samvirke", a.id),
            start: a.planned.start,
            end: a.planned.end,
            summary: format!("{} – {} {}", a.kind.name().get(lang), Text::FeedCase.get(lang), references[&a.case_id]),
            location: place,
            cancelled: matches!(a.outcome, Some(Outcome::Cancelled { .. })),
        });
    }
    // Every case the feed shows is logged as read by the link's owner.
    let cases: BTreeSet<_> = appointments.iter().map(|a| a.case_id).collect();
    let entries: Vec<AuditEvent> = cases
        .into_iter()
        .map(|case| AuditEvent {
            at: now,
            actor: Some(user.id),
            action: AuditAction::Read,
            record_kind: "appointment".into(),
            record_id: None,
            case_id: Some(case),
            from: from.for_log(),
            route: Some(FEED_ROUTE.into()),
        })
        .collect();
    if !entries.is_empty() {
        tx.append_audit(&entries).await?;
    }
    tx.commit().await?;
    Ok(calendar(Text::FeedName.get(lang), &events, now))
}
