//! Hours registered against a referral's scope.

use crate::encode::*;
use samvirke_domain::time::Minutes;
use samvirke_domain::time_entry::TimeEntry;
use samvirke_domain::*;
use samvirke_store::{Result, StoreError};
use sqlx::postgres::{PgConnection, PgRow};

fn time_entry_from_row(r: &PgRow) -> Result<TimeEntry> {
    let minutes: i32 = get(r, "time_entries.minutes")?;
    let minutes = u32::try_from(minutes)
        .map_err(|_| StoreError::corrupt("time_entries.minutes", "negative"))
        .and_then(|m| Minutes::new(m).map_err(|p| problem("time_entries.minutes", &p)))?;
    Ok(TimeEntry {
        id: id(r, "time_entries.id")?,
        referral_id: id(r, "time_entries.referral_id")?,
        staff_id: id(r, "time_entries.staff_id")?,
        appointment_id: id_opt(r, "time_entries.appointment_id")?,
        date: day(r, "time_entries.date")?,
        minutes,
        kind: enum_code(r, "time_entries.kind")?,
        note: text_opt(r, "time_entries.note")?,
        registered_at: timestamp(r, "time_entries.registered_at")?,
    })
}

pub(crate) async fn insert_time_entry(c: &mut PgConnection, t: &TimeEntry) -> Result<()> {
    // At most 24 hours by construction, so it fits an integer.
    let minutes = i32::try_from(t.minutes.get()).unwrap_or(i32::MAX);
    sqlx::query(
        "INSERT INTO time_entries (id, referral_id, staff_id, appointment_id, date, minutes, kind, note, \
         registered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(t.id.0)
    .bind(t.referral_id.0)
    .bind(t.staff_id.0)
    .bind(t.appointment_id.map(|a| a.0))
    .bind(date(t.date))
    .bind(minutes)
    .bind(code(&t.kind)?)
    .bind(t.note.as_ref().map(|n| n.as_str()))
    .bind(ts(t.registered_at))
    .execute(c)
    .await
    .map_err(err)?;
    Ok(())
}

pub(crate) async fn delete_time_entry(c: &mut PgConnection, id: TimeEntryId) -> Result<()> {
    let done = sqlx::query("DELETE FROM time_entries WHERE id = $1").bind(id.0).execute(c).await.map_err(err)?;
    expect_one(done)
}

pub(crate) async fn time_entries(c: &mut PgConnection, referral: ReferralId) -> Result<Vec<TimeEntry>> {
    let rows = sqlx::query(
        "SELECT id, referral_id, staff_id, appointment_id, date, minutes, kind, note, registered_at \
         FROM time_entries WHERE referral_id = $1 ORDER BY date, id",
    )
    .bind(referral.0)
    .fetch_all(c)
    .await
    .map_err(err)?;
    rows.iter().map(time_entry_from_row).collect()
}

pub(crate) async fn minutes_registered(c: &mut PgConnection, referral: ReferralId) -> Result<u64> {
    let total: i64 =
        sqlx::query_scalar("SELECT coalesce(sum(minutes), 0)::bigint FROM time_entries WHERE referral_id = $1")
            .bind(referral.0)
            .fetch_one(c)
            .await
            .map_err(err)?;
    u64::try_from(total).map_err(|_| StoreError::corrupt("time_entries.minutes", "negative total"))
}
