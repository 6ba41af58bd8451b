//! Referrals with their versioned terms, and the hours registered against them.

use crate::codec::*;
use crate::error::{check_revision, db, on_delete};
use samvirke_domain::referral::{Referral, ReferralVersion};
use samvirke_domain::time_entry::TimeEntry;
use samvirke_domain::*;
use samvirke_store::{Conflict, Page, ReferralFilter, StoreError};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

// --- Referrals ---

macro_rules! referral_select {
    () => {
        "SELECT r.id, r.case_id, r.intervention, r.caseworker_id, r.state, r.coordinator_id, r.rejection_reason,
                r.terms, r.terms_version, r.received_at, r.revision,
                (SELECT json_group_array(hex(rp.staff_id) ORDER BY rp.position)
                   FROM referral_practitioners rp WHERE rp.referral_id = r.id) AS practitioner_ids
         FROM referrals r"
    };
}

fn referral_from_row(row: &SqliteRow) -> Result<Referral> {
    Ok(Referral {
        id: id(row, "referrals.id")?,
        case_id: id(row, "referrals.case_id")?,
        intervention: enum_code(row, "referrals.intervention")?,
        caseworker_id: id(row, "referrals.caseworker_id")?,
        state: enum_code(row, "referrals.state")?,
        coordinator_id: opt_id(row, "referrals.coordinator_id")?,
        practitioner_ids: id_list(row, "referral_practitioners.practitioner_ids")?,
        rejection_reason: opt_text(row, "referrals.rejection_reason")?,
        terms: from_json(row, "referrals.terms")?,
        terms_version: num(row, "referrals.terms_version")?,
        received_at: ts(row, "referrals.received_at")?,
        revision: num(row, "referrals.revision")?,
    })
}

/// Replaces the practitioners of a referral.
async fn set_practitioners(c: &mut SqliteConnection, r: &Referral) -> Result<()> {
    sqlx::query("DELETE FROM referral_practitioners WHERE referral_id = ?1")
        .bind(r.id.uuid())
        .execute(&mut *c)
        .await
        .map_err(db)?;
    for (position, s) in r.practitioner_ids.iter().enumerate() {
        sqlx::query("INSERT INTO referral_practitioners (referral_id, position, staff_id) VALUES (?1, ?2, ?3)")
            .bind(r.id.uuid())
            .bind(position as i64)
            .bind(s.uuid())
            .execute(&mut *c)
            .await
            .map_err(db)?;
    }
    Ok(())
}

async fn insert_version(c: &mut SqliteConnection, v: &ReferralVersion) -> Result<()> {
    sqlx::query(
        "INSERT INTO referral_versions (referral_id, version, terms, changed_by, changed_at, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .bind(v.referral_id.uuid())
    .bind(i64::from(v.version))
    .bind(json(&v.terms)?)
    .bind(v.changed_by.uuid())
    .bind(micros(v.changed_at))
    .bind(v.reason.as_ref().map(|t| t.as_str().to_owned()))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn insert_referral(c: &mut SqliteConnection, r: &Referral, first: &ReferralVersion) -> Result<()> {
    // The provider is copied from the case; no case, no row.
    let done = sqlx::query(
        "INSERT INTO referrals (id, case_id, provider_id, intervention, caseworker_id, state, coordinator_id,
                               rejection_reason, terms, terms_version, period_start, period_end, ordered_hours,
                               received_at, revision)
         SELECT ?1, c.id, c.provider_id, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14
         FROM cases c WHERE c.id = ?2",
    )
    .bind(r.id.uuid())
    .bind(r.case_id.uuid())
    .bind(r.intervention.code())
    .bind(r.caseworker_id.uuid())
    .bind(r.state.code())
    .bind(r.coordinator_id.map(StaffId::uuid))
    .bind(r.rejection_reason.as_ref().map(|t| t.as_str().to_owned()))
    .bind(json(&r.terms)?)
    .bind(i64::from(r.terms_version))
    .bind(day(r.terms.period.start))
    .bind(day(r.terms.period.end))
    .bind(i64::from(r.terms.ordered_hours))
    .bind(micros(r.received_at))
    .bind(i64::from(r.revision))
    .execute(&mut *c)
    .await
    .map_err(db)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict(Conflict::MissingReference));
    }
    set_practitioners(&mut *c, r).await?;
    insert_version(&mut *c, first).await?;
    Ok(())
}

pub(crate) async fn update_referral(c: &mut SqliteConnection, r: &mut Referral) -> Result<()> {
    let done = sqlx::query(
        "UPDATE referrals SET state = ?3, coordinator_id = ?4, rejection_reason = ?5, revision = revision + 1
         WHERE id = ?1 AND revision = ?2",
    )
    .bind(r.id.uuid())
    .bind(i64::from(r.revision))
    .bind(r.state.code())
    .bind(r.coordinator_id.map(StaffId::uuid))
    .bind(r.rejection_reason.as_ref().map(|t| t.as_str().to_owned()))
    .execute(&mut *c)
    .await
    .map_err(db)?;
    check_revision(&mut *c, done.rows_affected(), "SELECT 1 FROM referrals WHERE id = ?1", r.id.uuid()).await?;
    set_practitioners(&mut *c, r).await?;
    r.revision += 1;
    Ok(())
}

pub(crate) async fn add_referral_version(
    c: &mut SqliteConnection,
    r: &mut Referral,
    v: &ReferralVersion,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE referrals SET terms = ?3, terms_version = ?4, period_start = ?5, period_end = ?6, ordered_hours = ?7,
                              revision = revision + 1
         WHERE id = ?1 AND revision = ?2",
    )
    .bind(r.id.uuid())
    .bind(i64::from(r.revision))
    .bind(json(&r.terms)?)
    .bind(i64::from(r.terms_version))
    .bind(day(r.terms.period.start))
    .bind(day(r.terms.period.end))
    .bind(i64::from(r.terms.ordered_hours))
    .execute(&mut *c)
    .await
    .map_err(db)?;
    check_revision(&mut *c, done.rows_affected(), "SELECT 1 FROM referrals WHERE id = ?1", r.id.uuid()).await?;
    insert_version(&mut *c, v).await?;
    r.revision += 1;
    Ok(())
}

pub(crate) async fn referral(c: &mut SqliteConnection, id: ReferralId) -> Result<Referral> {
    let row = sqlx::query(concat!(referral_select!(), " WHERE r.id = ?1"))
        .bind(id.uuid())
        .fetch_optional(c)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound)?;
    referral_from_row(&row)
}

pub(crate) async fn referrals(c: &mut SqliteConnection, f: &ReferralFilter, page: Page) -> Result<Vec<Referral>> {
    let mut q = QueryBuilder::new("");
    push_referrals_query(&mut q, f, page);
    let rows = q.build().fetch_all(c).await.map_err(db)?;
    rows.iter().map(referral_from_row).collect()
}

/// Appends the list query to `q` (empty, or `EXPLAIN QUERY PLAN` in tests).
pub(crate) fn push_referrals_query(q: &mut QueryBuilder<Sqlite>, f: &ReferralFilter, page: Page) {
    q.push(concat!(referral_select!(), " WHERE 1 = 1"));
    if let Some(k) = f.case {
        q.push(" AND r.case_id = ").push_bind(k.uuid());
    }
    if let Some(p) = f.provider {
        q.push(" AND r.provider_id = ").push_bind(p.uuid());
    }
    if let Some(m) = f.municipality {
        q.push(" AND r.case_id IN (SELECT id FROM cases WHERE municipality_id = ").push_bind(m.uuid()).push(")");
    }
    if let Some(s) = f.caseworker {
        q.push(" AND r.caseworker_id = ").push_bind(s.uuid());
    }
    if let Some(s) = f.assigned {
        q.push(" AND (r.coordinator_id = ")
            .push_bind(s.uuid())
            .push(" OR r.id IN (SELECT referral_id FROM referral_practitioners WHERE staff_id = ")
            .push_bind(s.uuid())
            .push("))");
    }
    if !f.states.is_empty() {
        q.push(" AND r.state IN (");
        let mut list = q.separated(", ");
        for s in &f.states {
            list.push_bind(s.code());
        }
        q.push(")");
    }
    if let Some(i) = f.intervention {
        q.push(" AND r.intervention = ").push_bind(i.code());
    }
    if let Some(after) = page.after {
        q.push(" AND r.id > ").push_bind(after);
    }
    q.push(" ORDER BY r.id LIMIT ").push_bind(page_limit(&page));
}

fn version_from_row(row: &SqliteRow) -> Result<ReferralVersion> {
    Ok(ReferralVersion {
        referral_id: id(row, "referral_versions.referral_id")?,
        version: num(row, "referral_versions.version")?,
        terms: from_json(row, "referral_versions.terms")?,
        changed_by: id(row, "referral_versions.changed_by")?,
        changed_at: ts(row, "referral_versions.changed_at")?,
        reason: opt_text(row, "referral_versions.reason")?,
    })
}

pub(crate) async fn referral_versions(c: &mut SqliteConnection, id: ReferralId) -> Result<Vec<ReferralVersion>> {
    let rows = sqlx::query(
        "SELECT referral_id, version, terms, changed_by, changed_at, reason
         FROM referral_versions WHERE referral_id = ?1 ORDER BY version",
    )
    .bind(id.uuid())
    .fetch_all(c)
    .await
    .map_err(db)?;
    rows.iter().map(version_from_row).collect()
}

// --- Hours ---

fn time_entry_from_row(row: &SqliteRow) -> Result<TimeEntry> {
    let minutes: u32 = num(row, "time_entries.minutes")?;
    Ok(TimeEntry {
        id: id(row, "time_entries.id")?,
        referral_id: id(row, "time_entries.referral_id")?,
        staff_id: id(row, "time_entries.staff_id")?,
        appointment_id: opt_id(row, "time_entries.appointment_id")?,
        date: date(row, "time_entries.worked_on")?,
        minutes: minutes.try_into().map_err(|r| StoreError::corrupt("time_entries.minutes", r))?,
        kind: enum_code(row, "time_entries.kind")?,
        note: opt_text(row, "time_entries.note")?,
        registered_at: ts(row, "time_entries.registered_at")?,
    })
}

pub(crate) async fn insert_time_entry(c: &mut SqliteConnection, t: &TimeEntry) -> Result<()> {
    sqlx::query(
        "INSERT INTO time_entries (id, referral_id, staff_id, appointment_id, worked_on, minutes, kind, note,
                                   registered_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )
    .bind(t.id.uuid())
    .bind(t.referral_id.uuid())
    .bind(t.staff_id.uuid())
    .bind(t.appointment_id.map(AppointmentId::uuid))
    .bind(day(t.date))
    .bind(i64::from(t.minutes.get()))
    .bind(code(&t.kind)?)
    .bind(t.note.as_ref().map(|n| n.as_str().to_owned()))
    .bind(micros(t.registered_at))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn delete_time_entry(c: &mut SqliteConnection, id: TimeEntryId) -> Result<()> {
    let done =
        sqlx::query("DELETE FROM time_entries WHERE id = ?1").bind(id.uuid()).execute(c).await.map_err(on_delete)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(crate) async fn time_entries(c: &mut SqliteConnection, referral: ReferralId) -> Result<Vec<TimeEntry>> {
    let rows = sqlx::query(
        "SELECT id, referral_id, staff_id, appointment_id, worked_on, minutes, kind, note, registered_at
         FROM time_entries WHERE referral_id = ?1 ORDER BY worked_on, id",
    )
    .bind(referral.uuid())
    .fetch_all(c)
    .await
    .map_err(db)?;
    rows.iter().map(time_entry_from_row).collect()
}

pub(crate) async fn minutes_registered(c: &mut SqliteConnection, referral: ReferralId) -> Result<u64> {
    let total: i64 = sqlx::query_scalar("SELECT coalesce(sum(minutes), 0) FROM time_entries WHERE referral_id = ?1")
        .bind(referral.uuid())
        .fetch_one(c)
        .await
        .map_err(db)?;
    u64::try_from(total).map_err(|_| StoreError::corrupt("time_entries.minutes", "negative total"))
}
