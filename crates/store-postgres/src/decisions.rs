//! Committee decisions, suspensions of visitation, and consents.

use crate::encode::*;
use samvirke_domain::consent::{Consent, ConsentGiver};
use samvirke_domain::decision::{CommitteeDecision, VisitationSuspension};
use samvirke_domain::time::DateRange;
use samvirke_domain::*;
use samvirke_store::{Conflict, Result, StoreError};
use sqlx::postgres::{PgConnection, PgRow};

fn period(r: &PgRow, start: &'static str, end: &'static str) -> Result<DateRange> {
    DateRange::new(day(r, start)?, day(r, end)?).map_err(|p| problem(end, &p))
}

// --- Committee decisions ---

fn decision_from_row(r: &PgRow) -> Result<CommitteeDecision> {
    Ok(CommitteeDecision {
        id: id(r, "committee_decisions.id")?,
        case_id: id(r, "committee_decisions.case_id")?,
        kind: enum_code(r, "committee_decisions.kind")?,
        grounds: json_col(r, "committee_decisions.grounds")?,
        period: period(r, "committee_decisions.period_start", "committee_decisions.period_end")?,
        decided_on: day(r, "committee_decisions.decided_on")?,
        note: text_opt(r, "committee_decisions.note")?,
        recorded_at: timestamp(r, "committee_decisions.recorded_at")?,
    })
}

pub(crate) async fn insert_decision(c: &mut PgConnection, d: &CommitteeDecision) -> Result<()> {
    sqlx::query(
        "INSERT INTO committee_decisions (id, case_id, kind, grounds, period_start, period_end, decided_on, \
         note, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(d.id.0)
    .bind(d.case_id.0)
    .bind(code(&d.kind)?)
    .bind(json(&d.grounds)?)
    .bind(date(d.period.start))
    .bind(date(d.period.end))
    .bind(date(d.decided_on))
    .bind(d.note.as_ref().map(|t| t.as_str()))
    .bind(ts(d.recorded_at))
    .execute(c)
    .await
    .map_err(err)?;
    Ok(())
}

pub(crate) async fn decisions(c: &mut PgConnection, case: CaseId) -> Result<Vec<CommitteeDecision>> {
    let rows = sqlx::query(
        "SELECT id, case_id, kind, grounds, period_start, period_end, decided_on, note, recorded_at \
         FROM committee_decisions WHERE case_id = $1 ORDER BY period_start, id",
    )
    .bind(case.0)
    .fetch_all(c)
    .await
    .map_err(err)?;
    rows.iter().map(decision_from_row).collect()
}

// --- Suspensions ---

fn suspension_from_row(r: &PgRow) -> Result<VisitationSuspension> {
    Ok(VisitationSuspension {
        id: id(r, "visitation_suspensions.id")?,
        case_id: id(r, "visitation_suspensions.case_id")?,
        period: period(r, "visitation_suspensions.period_start", "visitation_suspensions.period_end")?,
        decided_on: day(r, "visitation_suspensions.decided_on")?,
        requested_by_child: get(r, "visitation_suspensions.requested_by_child")?,
        note: text_opt(r, "visitation_suspensions.note")?,
        recorded_at: timestamp(r, "visitation_suspensions.recorded_at")?,
    })
}

pub(crate) async fn insert_suspension(c: &mut PgConnection, s: &VisitationSuspension) -> Result<()> {
    sqlx::query(
        "INSERT INTO visitation_suspensions (id, case_id, period_start, period_end, decided_on, \
         requested_by_child, note, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(s.id.0)
    .bind(s.case_id.0)
    .bind(date(s.period.start))
    .bind(date(s.period.end))
    .bind(date(s.decided_on))
    .bind(s.requested_by_child)
    .bind(s.note.as_ref().map(|t| t.as_str()))
    .bind(ts(s.recorded_at))
    .execute(c)
    .await
    .map_err(err)?;
    Ok(())
}

pub(crate) async fn suspensions(c: &mut PgConnection, case: CaseId) -> Result<Vec<VisitationSuspension>> {
    let rows = sqlx::query(
        "SELECT id, case_id, period_start, period_end, decided_on, requested_by_child, note, recorded_at \
         FROM visitation_suspensions WHERE case_id = $1 ORDER BY period_start, id",
    )
    .bind(case.0)
    .fetch_all(c)
    .await
    .map_err(err)?;
    rows.iter().map(suspension_from_row).collect()
}

// --- Consents ---

macro_rules! consent_sql {
    ($($rest:literal)?) => {
        concat!(
            "SELECT id, case_id, referral_id, giver_family_member_id, purpose, given_at, withdrawn_at, \
             recorded_by, note FROM consents"
            $(, $rest)?
        )
    };
}

fn consent_from_row(r: &PgRow) -> Result<Consent> {
    let giver = match id_opt(r, "consents.giver_family_member_id")? {
        Some(m) => ConsentGiver::FamilyMember(m),
        None => ConsentGiver::Child,
    };
    Ok(Consent {
        id: id(r, "consents.id")?,
        case_id: id(r, "consents.case_id")?,
        referral_id: id_opt(r, "consents.referral_id")?,
        giver,
        purpose: enum_code(r, "consents.purpose")?,
        given_at: timestamp(r, "consents.given_at")?,
        withdrawn_at: timestamp_opt(r, "consents.withdrawn_at")?,
        recorded_by: id(r, "consents.recorded_by")?,
        note: text_opt(r, "consents.note")?,
    })
}

pub(crate) async fn insert_consent(c: &mut PgConnection, k: &Consent) -> Result<()> {
    let giver = match k.giver {
        ConsentGiver::Child => None,
        ConsentGiver::FamilyMember(m) => Some(m.0),
    };
    sqlx::query(
        "INSERT INTO consents (id, case_id, referral_id, giver_family_member_id, purpose, given_at, \
         withdrawn_at, recorded_by, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(k.id.0)
    .bind(k.case_id.0)
    .bind(k.referral_id.map(|r| r.0))
    .bind(giver)
    .bind(code(&k.purpose)?)
    .bind(ts(k.given_at))
    .bind(k.withdrawn_at.map(ts))
    .bind(k.recorded_by.0)
    .bind(k.note.as_ref().map(|t| t.as_str()))
    .execute(c)
    .await
    .map_err(err)?;
    Ok(())
}

pub(crate) async fn withdraw_consent(c: &mut PgConnection, id: ConsentId, at: jiff::Timestamp) -> Result<()> {
    let done = sqlx::query("UPDATE consents SET withdrawn_at = $2 WHERE id = $1 AND withdrawn_at IS NULL")
        .bind(id.0)
        .bind(ts(at))
        .execute(&mut *c)
        .await
        .map_err(err)?;
    if done.rows_affected() == 0 {
        let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM consents WHERE id = $1)")
            .bind(id.0)
            .fetch_one(c)
            .await
            .map_err(err)?;
        return Err(if exists { StoreError::Conflict(Conflict::AlreadyWithdrawn) } else { StoreError::NotFound });
    }
    Ok(())
}

pub(crate) async fn consent(c: &mut PgConnection, id: ConsentId) -> Result<Consent> {
    let row = sqlx::query(consent_sql!(" WHERE id = $1")).bind(id.0).fetch_one(c).await.map_err(err)?;
    consent_from_row(&row)
}

pub(crate) async fn consents(c: &mut PgConnection, case: CaseId) -> Result<Vec<Consent>> {
    let rows = sqlx::query(consent_sql!(" WHERE case_id = $1 ORDER BY given_at, id"))
        .bind(case.0)
        .fetch_all(c)
        .await
        .map_err(err)?;
    rows.iter().map(consent_from_row).collect()
}
