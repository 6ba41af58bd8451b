//! Referrals, their assigned practitioners, and the versions of their terms.

use crate::encode::*;
use samvirke_domain::referral::{Referral, ReferralTerms, ReferralVersion};
use samvirke_domain::*;
use samvirke_store::{Page, ReferralFilter, Result};
use sqlx::postgres::{PgConnection, PgRow};
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

macro_rules! referral_sql {
    ($($rest:literal)?) => {
        concat!(
            "SELECT r.id, r.case_id, r.intervention, r.caseworker_id, r.state, r.coordinator_id, \
             ARRAY(SELECT rp.staff_id FROM referral_practitioners rp \
                   WHERE rp.referral_id = r.id ORDER BY rp.position) AS practitioner_ids, \
             r.rejection_reason, r.terms, r.terms_version, r.received_at, r.revision FROM referrals r"
            $(, $rest)?
        )
    };
}

fn referral_from_row(r: &PgRow) -> Result<Referral> {
    Ok(Referral {
        id: id(r, "referrals.id")?,
        case_id: id(r, "referrals.case_id")?,
        intervention: enum_code(r, "referrals.intervention")?,
        caseworker_id: id(r, "referrals.caseworker_id")?,
        state: enum_code(r, "referrals.state")?,
        coordinator_id: id_opt(r, "referrals.coordinator_id")?,
        practitioner_ids: ids(r, "referrals.practitioner_ids")?,
        rejection_reason: text_opt(r, "referrals.rejection_reason")?,
        terms: json_col(r, "referrals.terms")?,
        terms_version: u32_(r, "referrals.terms_version")?,
        received_at: timestamp(r, "referrals.received_at")?,
        revision: u32_(r, "referrals.revision")?,
    })
}

/// The columns copied out of the terms, so that queries need not open the jsonb.
struct TermColumns {
    terms: serde_json::Value,
    period_start: jiff_sqlx::Date,
    period_end: jiff_sqlx::Date,
    ordered_hours: i64,
}

fn term_columns(t: &ReferralTerms) -> Result<TermColumns> {
    Ok(TermColumns {
        terms: json(t)?,
        period_start: date(t.period.start),
        period_end: date(t.period.end),
        ordered_hours: i64::from(t.ordered_hours),
    })
}

pub(crate) async fn insert_referral(c: &mut PgConnection, r: &Referral, first: &ReferralVersion) -> Result<()> {
    let t = term_columns(&r.terms)?;
    sqlx::query(
        "INSERT INTO referrals (id, case_id, intervention, caseworker_id, state, coordinator_id, \
         rejection_reason, terms, terms_version, period_start, period_end, ordered_hours, received_at, revision) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(r.id.0)
    .bind(r.case_id.0)
    .bind(r.intervention.code())
    .bind(r.caseworker_id.0)
    .bind(r.state.code())
    .bind(r.coordinator_id.map(|s| s.0))
    .bind(r.rejection_reason.as_ref().map(|t| t.as_str()))
    .bind(t.terms)
    .bind(i64::from(r.terms_version))
    .bind(t.period_start)
    .bind(t.period_end)
    .bind(t.ordered_hours)
    .bind(ts(r.received_at))
    .bind(i64::from(r.revision))
    .execute(&mut *c)
    .await
    .map_err(err)?;
    insert_practitioners(c, r).await?;
    insert_version(c, first).await
}

async fn insert_practitioners(c: &mut PgConnection, r: &Referral) -> Result<()> {
    if r.practitioner_ids.is_empty() {
        return Ok(());
    }
    let staff: Vec<Uuid> = r.practitioner_ids.iter().map(|s| s.0).collect();
    sqlx::query(
        "INSERT INTO referral_practitioners (referral_id, staff_id, position) \
         SELECT $1, s, (n - 1)::smallint FROM unnest($2::uuid[]) WITH ORDINALITY AS t (s, n)",
    )
    .bind(r.id.0)
    .bind(staff)
    .execute(c)
    .await
    .map_err(err)?;
    Ok(())
}

async fn insert_version(c: &mut PgConnection, v: &ReferralVersion) -> Result<()> {
    sqlx::query(
        "INSERT INTO referral_versions (referral_id, version, terms, changed_by, changed_at, reason) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(v.referral_id.0)
    .bind(i64::from(v.version))
    .bind(json(&v.terms)?)
    .bind(v.changed_by.0)
    .bind(ts(v.changed_at))
    .bind(v.reason.as_ref().map(|t| t.as_str()))
    .execute(c)
    .await
    .map_err(err)?;
    Ok(())
}

const EXISTS: &str = "SELECT EXISTS (SELECT 1 FROM referrals WHERE id = $1)";

pub(crate) async fn update_referral(c: &mut PgConnection, r: &mut Referral) -> Result<()> {
    let done = sqlx::query(
        "UPDATE referrals SET state = $3, coordinator_id = $4, rejection_reason = $5, revision = revision + 1 \
         WHERE id = $1 AND revision = $2",
    )
    .bind(r.id.0)
    .bind(i64::from(r.revision))
    .bind(r.state.code())
    .bind(r.coordinator_id.map(|s| s.0))
    .bind(r.rejection_reason.as_ref().map(|t| t.as_str()))
    .execute(&mut *c)
    .await
    .map_err(err)?;
    if done.rows_affected() == 0 {
        return Err(stale_or_missing(c, EXISTS, r.id.0).await);
    }
    sqlx::query("DELETE FROM referral_practitioners WHERE referral_id = $1")
        .bind(r.id.0)
        .execute(&mut *c)
        .await
        .map_err(err)?;
    insert_practitioners(c, r).await?;
    r.revision += 1;
    Ok(())
}

pub(crate) async fn add_referral_version(c: &mut PgConnection, r: &mut Referral, v: &ReferralVersion) -> Result<()> {
    let t = term_columns(&r.terms)?;
    let done = sqlx::query(
        "UPDATE referrals SET terms = $3, terms_version = $4, period_start = $5, period_end = $6, \
         ordered_hours = $7, revision = revision + 1 WHERE id = $1 AND revision = $2",
    )
    .bind(r.id.0)
    .bind(i64::from(r.revision))
    .bind(t.terms)
    .bind(i64::from(r.terms_version))
    .bind(t.period_start)
    .bind(t.period_end)
    .bind(t.ordered_hours)
    .execute(&mut *c)
    .await
    .map_err(err)?;
    if done.rows_affected() == 0 {
        return Err(stale_or_missing(c, EXISTS, r.id.0).await);
    }
    insert_version(c, v).await?;
    r.revision += 1;
    Ok(())
}

pub(crate) async fn referral(c: &mut PgConnection, id: ReferralId) -> Result<Referral> {
    let row = sqlx::query(referral_sql!(" WHERE r.id = $1")).bind(id.0).fetch_one(c).await.map_err(err)?;
    referral_from_row(&row)
}

pub(crate) async fn referrals(c: &mut PgConnection, f: &ReferralFilter, page: Page) -> Result<Vec<Referral>> {
    let mut q = QueryBuilder::<Postgres>::new(referral_sql!(" WHERE TRUE"));
    if let Some(k) = f.case {
        q.push(" AND r.case_id = ").push_bind(k.0);
    }
    if let Some(p) = f.provider {
        // An array of the provider's case ids lets the planner use the index on case_id.
        q.push(" AND r.case_id = ANY(ARRAY(SELECT id FROM cases WHERE provider_id = ").push_bind(p.0).push("))");
    }
    if let Some(m) = f.municipality {
        q.push(" AND r.case_id = ANY(ARRAY(SELECT id FROM cases WHERE municipality_id = ").push_bind(m.0).push("))");
    }
    if let Some(s) = f.caseworker {
        q.push(" AND r.caseworker_id = ").push_bind(s.0);
    }
    if let Some(s) = f.assigned {
        q.push(" AND r.id IN (SELECT id FROM referrals WHERE coordinator_id = ")
            .push_bind(s.0)
            .push(" UNION SELECT referral_id FROM referral_practitioners WHERE staff_id = ")
            .push_bind(s.0)
            .push(")");
    }
    if !f.states.is_empty() {
        let states: Vec<&str> = f.states.iter().map(|s| s.code()).collect();
        q.push(" AND r.state = ANY(").push_bind(states).push(")");
    }
    if let Some(i) = f.intervention {
        q.push(" AND r.intervention = ").push_bind(i.code());
    }
    // In creation (id) order; the page continues after the given id.
    if let Some(after) = page.after {
        q.push(" AND r.id > ").push_bind(after);
    }
    q.push(" ORDER BY r.id LIMIT ").push_bind(i64::from(page.limit.clamp(1, Page::MAX)));
    let rows = q.build().fetch_all(c).await.map_err(err)?;
    rows.iter().map(referral_from_row).collect()
}

fn version_from_row(r: &PgRow) -> Result<ReferralVersion> {
    Ok(ReferralVersion {
        referral_id: id(r, "referral_versions.referral_id")?,
        version: u32_(r, "referral_versions.version")?,
        terms: json_col(r, "referral_versions.terms")?,
        changed_by: id(r, "referral_versions.changed_by")?,
        changed_at: timestamp(r, "referral_versions.changed_at")?,
        reason: text_opt(r, "referral_versions.reason")?,
    })
}

pub(crate) async fn referral_versions(c: &mut PgConnection, id: ReferralId) -> Result<Vec<ReferralVersion>> {
    let rows = sqlx::query(
        "SELECT referral_id, version, terms, changed_by, changed_at, reason FROM referral_versions \
         WHERE referral_id = $1 ORDER BY version",
    )
    .bind(id.0)
    .fetch_all(c)
    .await
    .map_err(err)?;
    rows.iter().map(version_from_row).collect()
}
