//! Appointments and the practitioners on them.
//!
//! Lists are ordered by (planned start, id), and each way in (case, room,
//! provider, practitioner; a referral through its case) has an index in that
//! order. A query with none of them (only a time range) goes through the
//! provider index, provider by provider, and sorts what it finds. An
//! overlap with [start, end) is bounded on both sides of the index range:
//! `starts_at < end` above, and `starts_at > start - longest` below, where
//! `longest` is the longest planned appointment ever stored (kept by a trigger
//! in `appointment_spans`).

use crate::codec::*;
use crate::error::{check_revision, db, on_delete};
use samvirke_domain::appointment::{Appointment, Location, Practitioners};
use samvirke_domain::*;
use samvirke_store::{AppointmentFilter, Conflict, StoreError};
use sqlx::sqlite::SqliteRow;
use sqlx::{AssertSqlSafe, QueryBuilder, Sqlite, SqliteConnection};

macro_rules! appointment_select {
    () => {
        "SELECT a.id, a.case_id, a.referral_id, a.kind, a.starts_at, a.ends_at, a.location_kind, a.room_id,
                a.location_text, a.participants, a.arrival, a.series_id, a.actual_start, a.actual_end, a.outcome,
                a.outcome_recorded_at, a.created_at, a.revision,
                (SELECT json_group_array(hex(s.staff_id) ORDER BY s.position)
                   FROM appointment_staff s WHERE s.appointment_id = a.id) AS practitioners
         FROM appointments a"
    };
}

/// The subquery giving the longest planned appointment, in microseconds.
const LONGEST: &str = "(SELECT longest_planned FROM appointment_spans WHERE id = 1)";

fn appointment_from_row(row: &SqliteRow) -> Result<Appointment> {
    let location_kind: String = get(row, "appointments.location_kind")?;
    let location = match location_kind.as_str() {
        "room" => Location::Room(id(row, "appointments.room_id")?),
        "family_home" => Location::FamilyHome,
        "placement_setting" => Location::PlacementSetting,
        "other" => Location::Other(text(row, "appointments.location_text")?),
        _ => return Err(StoreError::corrupt("appointments.location_kind", "unknown code")),
    };
    let actual = match opt_ts(row, "appointments.actual_start")? {
        Some(_) => Some(time_range(row, "appointments.actual_start", "appointments.actual_end")?),
        None => None,
    };
    let practitioners = Practitioners::new(id_list(row, "appointment_staff.practitioners")?)
        .map_err(|_| StoreError::corrupt("appointment_staff.staff_id", "not one or two different practitioners"))?;
    Ok(Appointment {
        id: id(row, "appointments.id")?,
        case_id: id(row, "appointments.case_id")?,
        referral_id: id(row, "appointments.referral_id")?,
        kind: enum_code(row, "appointments.kind")?,
        planned: time_range(row, "appointments.starts_at", "appointments.ends_at")?,
        location,
        practitioners,
        participants: from_json(row, "appointments.participants")?,
        arrival: opt_json(row, "appointments.arrival")?,
        series_id: opt_id(row, "appointments.series_id")?,
        actual,
        outcome: opt_json(row, "appointments.outcome")?,
        outcome_recorded_at: opt_ts(row, "appointments.outcome_recorded_at")?,
        created_at: ts(row, "appointments.created_at")?,
        revision: num(row, "appointments.revision")?,
    })
}

/// The columns of an appointment, encoded once for insert and update.
struct Encoded {
    kind: &'static str,
    location_kind: &'static str,
    room_id: Option<uuid::Uuid>,
    location_text: Option<String>,
    participants: String,
    arrival: Option<String>,
    outcome: Option<String>,
    outcome_kind: Option<&'static str>,
    occupied_from: i64,
    occupied_until: i64,
}

fn encode(a: &Appointment) -> Result<Encoded> {
    let (location_kind, room_id, location_text) = match &a.location {
        Location::Room(r) => ("room", Some(r.uuid()), None),
        Location::FamilyHome => ("family_home", None, None),
        Location::PlacementSetting => ("placement_setting", None, None),
        Location::Other(t) => ("other", None, Some(t.as_str().to_owned())),
    };
    let occupied = a.occupied();
    Ok(Encoded {
        kind: a.kind.code(),
        location_kind,
        room_id,
        location_text,
        participants: json(&a.participants)?,
        arrival: a.arrival.as_ref().map(json).transpose()?,
        outcome: a.outcome.as_ref().map(json).transpose()?,
        outcome_kind: a.outcome.as_ref().map(|o| o.code()),
        occupied_from: micros(occupied.start),
        occupied_until: micros(occupied.end),
    })
}

/// Rows per multi-row INSERT: 500 × 22 parameters stays far below SQLite's limit of 32,766.
const BATCH: usize = 500;
const APPOINTMENT_PARAMS: usize = 22;
const STAFF_PARAMS: usize = 7;

/// Whether to keep the prepared statement for a multi-row INSERT of `rows` rows:
/// the full batch and the single appointment are reused; the sizes of the
/// remainders vary and would only push useful statements out of the cache.
fn keep_prepared(rows: usize) -> bool {
    rows <= 2 || rows == BATCH
}

/// `(?, ?, …), (?, ?, …)`: `rows` tuples of `params` placeholders.
fn placeholders(rows: usize, params: usize) -> String {
    let tuple = format!("({})", vec!["?"; params].join(", "));
    vec![tuple; rows].join(", ")
}

/// Inserts appointments with their practitioners, 500 rows per statement.
/// The provider is copied from each case in the same statement (from the
/// covering index on cases (id, provider_id)); a row whose case is missing is
/// not inserted, which the row count reveals.
pub(crate) async fn insert_appointments(c: &mut SqliteConnection, all: &[Appointment]) -> Result<()> {
    if all.is_empty() {
        return Ok(());
    }
    for chunk in all.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO appointments (id, case_id, provider_id, referral_id, kind, starts_at, ends_at, occupied_from,
                                       occupied_until, location_kind, room_id, location_text, practitioner_count,
                                       participants, arrival, series_id, actual_start, actual_end, outcome,
                                       outcome_kind, outcome_recorded_at, created_at, revision)
             SELECT v.column1, c.id, c.provider_id, v.column3, v.column4, v.column5, v.column6, v.column7,
                    v.column8, v.column9, v.column10, v.column11, v.column12, v.column13, v.column14, v.column15,
                    v.column16, v.column17, v.column18, v.column19, v.column20, v.column21, v.column22
             FROM (VALUES {}) AS v CROSS JOIN cases c INDEXED BY cases_id_provider ON c.id = v.column2",
            placeholders(chunk.len(), APPOINTMENT_PARAMS)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql)).persistent(keep_prepared(chunk.len()));
        for a in chunk {
            let e = encode(a)?;
            q = q
                .bind(a.id.uuid())
                .bind(a.case_id.uuid())
                .bind(a.referral_id.uuid())
                .bind(e.kind)
                .bind(micros(a.planned.start))
                .bind(micros(a.planned.end))
                .bind(e.occupied_from)
                .bind(e.occupied_until)
                .bind(e.location_kind)
                .bind(e.room_id)
                .bind(e.location_text)
                .bind(a.practitioners.ids().len() as i64)
                .bind(e.participants)
                .bind(e.arrival)
                .bind(a.series_id.map(SeriesId::uuid))
                .bind(a.actual.map(|r| micros(r.start)))
                .bind(a.actual.map(|r| micros(r.end)))
                .bind(e.outcome)
                .bind(e.outcome_kind)
                .bind(a.outcome_recorded_at.map(micros))
                .bind(micros(a.created_at))
                .bind(i64::from(a.revision));
        }
        let done = q.execute(&mut *c).await.map_err(db)?;
        if done.rows_affected() != chunk.len() as u64 {
            return Err(StoreError::Conflict(Conflict::MissingReference));
        }
    }
    let staffed: Vec<(&Appointment, usize, StaffId)> =
        all.iter().flat_map(|a| a.practitioners.ids().iter().enumerate().map(move |(i, s)| (a, i, *s))).collect();
    for chunk in staffed.chunks(BATCH) {
        insert_staff_rows(&mut *c, chunk).await?;
    }
    Ok(())
}

async fn insert_staff_rows(c: &mut SqliteConnection, rows: &[(&Appointment, usize, StaffId)]) -> Result<()> {
    let sql = format!(
        "INSERT INTO appointment_staff (appointment_id, position, staff_id, starts_at, ends_at, occupied_from,
                                        occupied_until)
         VALUES {}",
        placeholders(rows.len(), STAFF_PARAMS)
    );
    let mut q = sqlx::query(AssertSqlSafe(sql)).persistent(keep_prepared(rows.len()));
    for (a, position, staff) in rows {
        let occupied = a.occupied();
        q = q
            .bind(a.id.uuid())
            .bind(*position as i64)
            .bind(staff.uuid())
            .bind(micros(a.planned.start))
            .bind(micros(a.planned.end))
            .bind(micros(occupied.start))
            .bind(micros(occupied.end));
    }
    q.execute(c).await.map_err(db)?;
    Ok(())
}

pub(crate) async fn update_appointment(c: &mut SqliteConnection, a: &mut Appointment) -> Result<()> {
    let e = encode(a)?;
    // A missing case keeps the old provider, so that the foreign key reports it.
    let done = sqlx::query(
        "UPDATE appointments
         SET case_id = ?3, provider_id = coalesce((SELECT provider_id FROM cases WHERE id = ?3), provider_id),
             referral_id = ?4, kind = ?5, starts_at = ?6, ends_at = ?7, occupied_from = ?8, occupied_until = ?9,
             location_kind = ?10, room_id = ?11, location_text = ?12, participants = ?13, arrival = ?14,
             series_id = ?15, actual_start = ?16, actual_end = ?17, outcome = ?18, outcome_kind = ?19,
             outcome_recorded_at = ?20, practitioner_count = ?21, revision = revision + 1
         WHERE id = ?1 AND revision = ?2",
    )
    .bind(a.id.uuid())
    .bind(i64::from(a.revision))
    .bind(a.case_id.uuid())
    .bind(a.referral_id.uuid())
    .bind(e.kind)
    .bind(micros(a.planned.start))
    .bind(micros(a.planned.end))
    .bind(e.occupied_from)
    .bind(e.occupied_until)
    .bind(e.location_kind)
    .bind(e.room_id)
    .bind(e.location_text)
    .bind(e.participants)
    .bind(e.arrival)
    .bind(a.series_id.map(SeriesId::uuid))
    .bind(a.actual.map(|r| micros(r.start)))
    .bind(a.actual.map(|r| micros(r.end)))
    .bind(e.outcome)
    .bind(e.outcome_kind)
    .bind(a.outcome_recorded_at.map(micros))
    .bind(a.practitioners.ids().len() as i64)
    .execute(&mut *c)
    .await
    .map_err(db)?;
    check_revision(&mut *c, done.rows_affected(), "SELECT 1 FROM appointments WHERE id = ?1", a.id.uuid()).await?;
    sqlx::query("DELETE FROM appointment_staff WHERE appointment_id = ?1")
        .bind(a.id.uuid())
        .execute(&mut *c)
        .await
        .map_err(db)?;
    let rows: Vec<_> = a.practitioners.ids().iter().enumerate().map(|(i, s)| (&*a, i, *s)).collect();
    if !rows.is_empty() {
        insert_staff_rows(&mut *c, &rows).await?;
    }
    a.revision += 1;
    Ok(())
}

pub(crate) async fn delete_appointment(c: &mut SqliteConnection, id: AppointmentId) -> Result<()> {
    let done = sqlx::query("DELETE FROM appointments WHERE id = ?1 AND outcome IS NULL")
        .bind(id.uuid())
        .execute(&mut *c)
        .await
        .map_err(on_delete)?;
    if done.rows_affected() > 0 {
        return Ok(());
    }
    let exists =
        sqlx::query("SELECT 1 FROM appointments WHERE id = ?1").bind(id.uuid()).fetch_optional(c).await.map_err(db)?;
    Err(if exists.is_some() { StoreError::Conflict(Conflict::InUse) } else { StoreError::NotFound })
}

pub(crate) async fn appointment(c: &mut SqliteConnection, id: AppointmentId) -> Result<Appointment> {
    let row = sqlx::query(concat!(appointment_select!(), " WHERE a.id = ?1"))
        .bind(id.uuid())
        .fetch_optional(c)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound)?;
    appointment_from_row(&row)
}

pub(crate) async fn appointments(
    c: &mut SqliteConnection,
    f: &AppointmentFilter,
    limit: u32,
) -> Result<Vec<Appointment>> {
    let mut q = QueryBuilder::new("");
    push_appointments_query(&mut q, f, limit);
    let rows = q.build().fetch_all(c).await.map_err(db)?;
    rows.iter().map(appointment_from_row).collect()
}

/// Appends the list query to `q` (empty, or `EXPLAIN QUERY PLAN` in tests).
pub(crate) fn push_appointments_query(q: &mut QueryBuilder<Sqlite>, f: &AppointmentFilter, limit: u32) {
    q.push(appointment_select!());
    if let Some(s) = f.staff {
        // The copies of the times in appointment_staff bound the person's index range.
        q.push(" JOIN appointment_staff p ON p.appointment_id = a.id AND p.staff_id = ").push_bind(s.uuid());
        if let Some(d) = f.during {
            q.push(" AND p.starts_at < ").push_bind(micros(d.end));
            q.push(" AND p.starts_at > ").push_bind(micros(d.start)).push(" - ").push(LONGEST);
            q.push(" AND p.ends_at > ").push_bind(micros(d.start));
        }
        if let Some((at, _)) = f.after {
            q.push(" AND p.starts_at >= ").push_bind(micros(at));
        }
    }
    q.push(" WHERE 1 = 1");
    if f.case.is_none() && f.referral.is_none() && f.room.is_none() && f.provider.is_none() && f.staff.is_none() {
        // No way in but time: one range of the provider index per provider, then a sort.
        q.push(" AND a.provider_id IN (SELECT id FROM providers)");
    }
    if let Some(k) = f.case {
        q.push(" AND a.case_id = ").push_bind(k.uuid());
    }
    if let Some(r) = f.referral {
        // Through the case's index: a case has one or a few referrals.
        q.push(" AND a.case_id = (SELECT case_id FROM referrals WHERE id = ").push_bind(r.uuid()).push(")");
        q.push(" AND a.referral_id = ").push_bind(r.uuid());
    }
    if let Some(r) = f.room {
        q.push(" AND a.room_id = ").push_bind(r.uuid());
    }
    if let Some(p) = f.provider {
        q.push(" AND a.provider_id = ").push_bind(p.uuid());
    }
    if let Some(d) = f.during {
        q.push(" AND a.starts_at < ").push_bind(micros(d.end));
        q.push(" AND a.starts_at > ").push_bind(micros(d.start)).push(" - ").push(LONGEST);
        q.push(" AND a.ends_at > ").push_bind(micros(d.start));
    }
    if !f.kinds.is_empty() {
        q.push(" AND a.kind IN (");
        let mut list = q.separated(", ");
        for k in &f.kinds {
            list.push_bind(k.code());
        }
        q.push(")");
    }
    if f.without_outcome {
        q.push(" AND a.outcome_kind IS NULL");
    }
    if f.unassigned {
        q.push(" AND a.practitioner_count = 0");
    }
    if let Some((at, after)) = f.after {
        q.push(" AND (a.starts_at, a.id) > (").push_bind(micros(at)).push(", ").push_bind(after.uuid()).push(")");
    }
    q.push(" ORDER BY a.starts_at, a.id LIMIT ").push_bind(i64::from(limit));
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn placeholders_make_one_tuple_per_row() {
        assert_eq!(placeholders(2, 3), "(?, ?, ?), (?, ?, ?)");
    }
}
