//! The coordinator's overview (`/overview`): new orders, and at a glance what
//! needs them — visits without a practitioner, missing consents, decisions
//! about to expire, documents past their deadline, and hours near the
//! ordered scope. Every line is decided on its case ([`Visibility`]): a team
//! lead or coordinator sees the provider's cases, a practitioner only theirs.

use super::lookups::Lookups;
use super::{APPOINTMENT_PAGE, PageCtx};
use crate::AppState;
use crate::access::Visibility;
use crate::error::{ApiError, ApiResult};
use crate::facts::{CaseFacts, all_appointments, all_documents, all_referrals};
use crate::parse;
use axum::extract::State;
use axum::response::Response;
use jiff::{SignedDuration, ToSpan};
use samvirke_domain::Lang;
use samvirke_domain::appointment::Appointment;
use samvirke_domain::consent::{missing_consents, required_consents};
use samvirke_domain::documentation::{DutyKind, duties};
use samvirke_domain::policy::Action;
use samvirke_domain::referral::{Referral, ReferralState};
use samvirke_domain::time::TimeRange;
use samvirke_domain::visitation::expiring_decisions;
use samvirke_pages::Text;
use samvirke_pages::format::{hours, local_date, long_date, moment, short_date, week};
use samvirke_pages::work::{Overview, OverviewSection, Row, place};
use samvirke_store::{AppointmentFilter, DocumentFilter, ReferralFilter};
use std::collections::HashMap;

/// How far ahead visits without a practitioner are looked for.
const UNASSIGNED_DAYS: i64 = 14;
/// The share of the ordered hours from which a course is listed.
const HOURS_WARNING_PERCENT: u64 = 80;

/// The overview page.
pub async fn page(State(app): State<AppState>, ctx: PageCtx) -> Response {
    use askama::Template;
    match build(&app, &ctx).await {
        Ok(page) => ctx.render(page.render()),
        Err(e) => ctx.error(e),
    }
}

/// The appointment page of an appointment.
pub fn appointment_href(a: &Appointment) -> String {
    APPOINTMENT_PAGE.replace("{id}", &a.id.to_string())
}

async fn build(app: &AppState, ctx: &PageCtx) -> ApiResult<Overview> {
    let actor = ctx.actor()?.clone();
    let (provider, _) = ctx.provider_staff()?;
    let lang = ctx.lang;
    let (today, now) = (parse::today(), parse::now());
    let mut tx = app.read().await?;
    let tx = &mut *tx;
    let mut seen = Visibility::new(actor);
    let mut cases = Lookups::default();
    let settings = tx.documentation_settings(provider).await?;

    let received =
        ReferralFilter { provider: Some(provider), states: vec![ReferralState::Received], ..Default::default() };
    let mut new_orders = Vec::new();
    for r in all_referrals(tx, &received).await? {
        if seen.may(tx, Action::ReadReferral, r.case_id).await? {
            let municipality = cases.case(tx, r.case_id).await?.case.municipality_id;
            new_orders.push(Row {
                child: cases.child(tx, r.case_id).await?,
                what: r.intervention.name(lang).to_string(),
                when: short_date(local_date(r.received_at), lang),
                detail: cases.municipality(tx, municipality).await?,
                href: Some(super::orders::referral_href(r.id)),
            });
        }
    }

    let ahead =
        TimeRange::new(now, now + SignedDuration::from_hours(24 * UNASSIGNED_DAYS)).map_err(|_| ApiError::Internal)?;
    let unassigned_filter =
        AppointmentFilter { provider: Some(provider), during: Some(ahead), unassigned: true, ..Default::default() };
    let rooms: HashMap<_, _> = tx.rooms(provider).await?.into_iter().map(|r| (r.id, r.name.to_string())).collect();
    let mut unassigned = Vec::new();
    for a in all_appointments(tx, &unassigned_filter).await? {
        if seen.may(tx, Action::ReadAppointments, a.case_id).await? {
            let room = match a.location {
                samvirke_domain::appointment::Location::Room(id) => rooms.get(&id).map(String::as_str),
                _ => None,
            };
            unassigned.push(Row {
                child: cases.child(tx, a.case_id).await?,
                what: a.kind.name().get(lang).to_string(),
                when: moment(a.planned.start, lang),
                detail: place(&a.location, room, lang),
                href: Some(appointment_href(&a)),
            });
        }
    }

    let open = ReferralFilter {
        provider: Some(provider),
        states: vec![ReferralState::Accepted, ReferralState::Active, ReferralState::Ending],
        ..Default::default()
    };
    let (mut consents, mut expiring, mut overdue, mut near) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut decisions_seen = std::collections::HashSet::new();
    for r in all_referrals(tx, &open).await? {
        if !seen.may(tx, Action::ReadConsentsAndDecisions, r.case_id).await? {
            continue;
        }
        let child = cases.child(tx, r.case_id).await?;
        let appointments =
            all_appointments(tx, &AppointmentFilter { referral: Some(r.id), ..Default::default() }).await?;
        consents.extend(missing(&r, &appointments, cases.case(tx, r.case_id).await?, &child, now, lang));
        if decisions_seen.insert(r.case_id) {
            let facts = cases.case(tx, r.case_id).await?;
            for d in expiring_decisions(&facts.decisions, today, settings.decision_warning_days()) {
                let grounds: Vec<&str> = d.grounds.iter().map(|g| g.name().get(lang)).collect();
                expiring.push((
                    d.period.end,
                    Row {
                        child: child.clone(),
                        what: Text::SupervisionDecision.get(lang).to_string(),
                        when: short_date(d.period.end, lang),
                        detail: grounds.join(", "),
                        href: None,
                    },
                ));
            }
        }
        let documents = all_documents(tx, &DocumentFilter { referral: Some(r.id), ..Default::default() }).await?;
        let facts = cases.case(tx, r.case_id).await?;
        for d in duties(&r, &facts.members, &facts.consents, &appointments, &documents, &settings, today) {
            if d.overdue {
                let what = match d.kind {
                    DutyKind::WrittenDescription => Text::DutyDescription,
                    DutyKind::StatusLetter => Text::DutyStatusLetter,
                    DutyKind::ClosingLetter => Text::DutyClosingLetter,
                };
                let visit = d.appointment_id.and_then(|id| appointments.iter().find(|a| a.id == id));
                overdue.push((
                    d.due,
                    Row {
                        child: child.clone(),
                        what: what.get(lang).to_string(),
                        when: short_date(d.due, lang),
                        detail: d.rule.citation(lang),
                        href: visit.map(appointment_href),
                    },
                ));
            }
        }
        let ordered = u64::from(r.terms.ordered_hours) * 60;
        let used = tx.minutes_registered(r.id).await?;
        if ordered > 0 && used * 100 >= ordered * HOURS_WARNING_PERCENT {
            near.push(Row {
                child,
                what: r.intervention.name(lang).to_string(),
                when: format!("{} ({} %)", hours(used as i64, lang), used * 100 / ordered),
                detail: hours(ordered as i64, lang),
                href: None,
            });
        }
    }
    // Soonest first.
    let by_date = |mut rows: Vec<(jiff::civil::Date, Row)>| {
        rows.sort_by_key(|(day, _)| *day);
        rows.into_iter().map(|(_, row)| row).collect::<Vec<_>>()
    };
    let (expiring, overdue) = (by_date(expiring), by_date(overdue));

    let section = |id, heading, empty, when_heading, detail_heading, urgent, rows| OverviewSection {
        id,
        heading,
        empty,
        when_heading,
        detail_heading,
        urgent,
        rows,
    };
    Ok(Overview {
        chrome: ctx.chrome(),
        today: format!("{} · {}", long_date(today, lang), week(today, lang)),
        sections: vec![
            section(
                "new-orders",
                Text::NewOrders,
                Text::NoNewOrders,
                Text::ColReceived,
                Text::ColMunicipality,
                false,
                new_orders,
            ),
            section(
                "unassigned",
                Text::UnassignedVisits,
                Text::NoUnassigned,
                Text::ColWhen,
                Text::ColPlace,
                true,
                unassigned,
            ),
            section(
                "consents",
                Text::MissingConsents,
                Text::NoMissingConsents,
                Text::ColWhen,
                Text::ColWhoMustConsent,
                true,
                consents,
            ),
            section(
                "decisions",
                Text::ExpiringDecisions,
                Text::NoExpiring,
                Text::ColEnds,
                Text::ColGrounds,
                true,
                expiring,
            ),
            section("overdue", Text::OverdueDocuments, Text::NoOverdue, Text::ColDue, Text::ColSection, true, overdue),
            section("hours", Text::HoursNearScope, Text::NoHoursNear, Text::ColUsed, Text::ColOrdered, false, near),
        ],
    })
}

/// The consents a course lacks for its next appointment: one line per consent.
fn missing(
    r: &Referral,
    appointments: &[Appointment],
    facts: &CaseFacts,
    child: &str,
    now: jiff::Timestamp,
    lang: Lang,
) -> Vec<Row> {
    let Some(next) =
        appointments.iter().filter(|a| a.planned.start >= now && a.outcome.is_none()).min_by_key(|a| a.planned.start)
    else {
        return Vec::new();
    };
    let on = local_date(next.planned.start);
    let required = required_consents(r.intervention, &r.terms, &facts.case.child, &facts.members, on);
    missing_consents(&required, &facts.consents, r.id, now.max(next.planned.start - 1.second()))
        .into_iter()
        .map(|m| {
            let who = m
                .giver
                .and_then(|g| match g {
                    samvirke_domain::consent::ConsentGiver::FamilyMember(id) => {
                        facts.members.iter().find(|f| f.id == id).map(|f| f.name.to_string())
                    }
                    samvirke_domain::consent::ConsentGiver::Child => Some(child.to_string()),
                })
                .unwrap_or_else(|| m.role.name().get(lang).to_string());
            Row {
                child: child.to_string(),
                what: format!("{} – {}", r.intervention.name(lang), m.purpose.name().get(lang)),
                when: short_date(on, lang),
                detail: format!("{who} ({})", m.rule.citation(lang)),
                href: Some(appointment_href(next)),
            }
        })
        .collect()
}
