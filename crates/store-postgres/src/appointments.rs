//! Appointments and the practitioners on them.
//!
//! Many appointments are written at once (a series, a year of demo data), so
//! inserts go in batches: each batch is one `INSERT … SELECT FROM unnest(…)`
//! with one array parameter per column, whatever the number of rows.
//!
//! No room or practitioner is booked twice: the exclusion constraints of
//! migration 5 refuse an overlapping occupied span (SQLSTATE 23P01, reported
//! as `Conflict::DoubleBooking`), for a single insert, a batch (as a whole,
//! since the caller's transaction is then dropped) and an update alike. Every
//! update rewrites the practitioner rows, with the appointment's cancellation,
//! so a cancelled appointment frees its practitioners as well as its room.

use crate::encode::*;
use samvirke_domain::appointment::{Appointment, Location, Outcome, Practitioners};
use samvirke_domain::time::TimeRange;
use samvirke_domain::*;
use samvirke_store::{AppointmentFilter, Conflict, Result, StoreError};
use sqlx::postgres::{PgConnection, PgRow};
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

/// Rows per INSERT: large enough that round trips do not matter, small enough
/// that one statement's arrays stay a few megabytes.
const BATCH: usize = 5_000;

macro_rules! appointment_sql {
    ($($rest:literal)?) => {
        concat!(
            "SELECT a.id, a.case_id, a.referral_id, a.kind, a.starts_at, a.ends_at, a.location_kind, a.room_id, \
             a.location_text, \
             ARRAY(SELECT s.staff_id FROM appointment_staff s \
                   WHERE s.appointment_id = a.id ORDER BY s.position) AS practitioner_ids, \
             a.participants, a.arrival, a.series_id, a.actual_start, a.actual_end, a.outcome, \
             a.outcome_recorded_at, a.created_at, a.revision FROM appointments a"
            $(, $rest)?
        )
    };
}

fn appointment_from_row(r: &PgRow) -> Result<Appointment> {
    let location = match get::<String>(r, "appointments.location_kind")?.as_str() {
        "room" => Location::Room(
            id_opt(r, "appointments.room_id")?
                .ok_or_else(|| StoreError::corrupt("appointments.room_id", "missing for a room"))?,
        ),
        "family_home" => Location::FamilyHome,
        "placement_setting" => Location::PlacementSetting,
        "other" => Location::Other(
            text_opt(r, "appointments.location_text")?
                .ok_or_else(|| StoreError::corrupt("appointments.location_text", "missing for another place"))?,
        ),
        _ => return Err(StoreError::corrupt("appointments.location_kind", "unknown code")),
    };
    let planned = TimeRange::new(timestamp(r, "appointments.starts_at")?, timestamp(r, "appointments.ends_at")?)
        .map_err(|p| problem("appointments.ends_at", &p))?;
    let actual = match (timestamp_opt(r, "appointments.actual_start")?, timestamp_opt(r, "appointments.actual_end")?) {
        (Some(s), Some(e)) => Some(TimeRange::new(s, e).map_err(|p| problem("appointments.actual_end", &p))?),
        (None, None) => None,
        _ => return Err(StoreError::corrupt("appointments.actual_end", "only one end of the actual time")),
    };
    let practitioners = Practitioners::new(ids(r, "appointments.practitioner_ids")?)
        .map_err(|p| problem("appointment_staff.staff_id", &p))?;
    let kind: String = get(r, "appointments.kind")?;
    Ok(Appointment {
        id: id(r, "appointments.id")?,
        case_id: id(r, "appointments.case_id")?,
        referral_id: id(r, "appointments.referral_id")?,
        kind: appointment::AppointmentKind::from_code(&kind)
            .ok_or_else(|| StoreError::corrupt("appointments.kind", "unknown code"))?,
        planned,
        location,
        practitioners,
        participants: json_col(r, "appointments.participants")?,
        arrival: json_col_opt(r, "appointments.arrival")?,
        series_id: id_opt(r, "appointments.series_id")?,
        actual,
        outcome: json_col_opt(r, "appointments.outcome")?,
        outcome_recorded_at: timestamp_opt(r, "appointments.outcome_recorded_at")?,
        created_at: timestamp(r, "appointments.created_at")?,
        revision: u32_(r, "appointments.revision")?,
    })
}

/// The columns of one appointment that need more than a field access.
struct Encoded<'a> {
    occupied: TimeRange,
    location_kind: &'static str,
    room_id: Option<Uuid>,
    location_text: Option<&'a str>,
    participants: serde_json::Value,
    arrival: Option<serde_json::Value>,
    outcome: Option<serde_json::Value>,
    outcome_kind: Option<&'static str>,
}

fn encode(a: &Appointment) -> Result<Encoded<'_>> {
    let (location_kind, room_id, location_text) = match &a.location {
        Location::Room(r) => ("room", Some(r.0), None),
        Location::FamilyHome => ("family_home", None, None),
        Location::PlacementSetting => ("placement_setting", None, None),
        Location::Other(t) => ("other", None, Some(t.as_str())),
    };
    Ok(Encoded {
        occupied: a.occupied(),
        location_kind,
        room_id,
        location_text,
        participants: json(&a.participants)?,
        arrival: json_opt(a.arrival.as_ref())?,
        outcome: json_opt(a.outcome.as_ref())?,
        outcome_kind: a.outcome.as_ref().map(Outcome::code),
    })
}

/// Column arrays for one batch of appointments.
#[derive(Default)]
struct Columns<'a> {
    id: Vec<Uuid>,
    case_id: Vec<Uuid>,
    referral_id: Vec<Uuid>,
    kind: Vec<&'static str>,
    starts_at: Vec<jiff_sqlx::Timestamp>,
    ends_at: Vec<jiff_sqlx::Timestamp>,
    occupied_from: Vec<jiff_sqlx::Timestamp>,
    occupied_until: Vec<jiff_sqlx::Timestamp>,
    location_kind: Vec<&'static str>,
    room_id: Vec<Option<Uuid>>,
    location_text: Vec<Option<&'a str>>,
    participants: Vec<serde_json::Value>,
    arrival: Vec<Option<serde_json::Value>>,
    series_id: Vec<Option<Uuid>>,
    actual_start: Vec<Option<jiff_sqlx::Timestamp>>,
    actual_end: Vec<Option<jiff_sqlx::Timestamp>>,
    outcome: Vec<Option<serde_json::Value>>,
    outcome_kind: Vec<Option<&'static str>>,
    outcome_recorded_at: Vec<Option<jiff_sqlx::Timestamp>>,
    created_at: Vec<jiff_sqlx::Timestamp>,
    revision: Vec<i64>,
}

/// Column arrays for the practitioners of one batch.
#[derive(Default)]
struct StaffColumns {
    appointment_id: Vec<Uuid>,
    staff_id: Vec<Uuid>,
    position: Vec<i16>,
    occupied_from: Vec<jiff_sqlx::Timestamp>,
    occupied_until: Vec<jiff_sqlx::Timestamp>,
    /// A cancelled appointment books no one (the exclusion constraint of migration 5 skips these rows).
    cancelled: Vec<bool>,
}

impl StaffColumns {
    fn push(&mut self, a: &Appointment, occupied: TimeRange) {
        let cancelled = matches!(a.outcome, Some(Outcome::Cancelled { .. }));
        for (position, s) in (0i16..).zip(a.practitioners.ids()) {
            self.appointment_id.push(a.id.0);
            self.staff_id.push(s.0);
            self.position.push(position);
            self.occupied_from.push(ts(occupied.start));
            self.occupied_until.push(ts(occupied.end));
            self.cancelled.push(cancelled);
        }
    }

    async fn insert(self, c: &mut PgConnection) -> Result<()> {
        if self.appointment_id.is_empty() {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO appointment_staff (appointment_id, staff_id, position, occupied_from, occupied_until, \
             cancelled) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::smallint[], $4::timestamptz[], \
             $5::timestamptz[], $6::boolean[])",
        )
        .bind(self.appointment_id)
        .bind(self.staff_id)
        .bind(self.position)
        .bind(self.occupied_from)
        .bind(self.occupied_until)
        .bind(self.cancelled)
        .execute(c)
        .await
        .map_err(err)?;
        Ok(())
    }
}

pub(crate) async fn insert_appointments(c: &mut PgConnection, list: &[Appointment]) -> Result<()> {
    for batch in list.chunks(BATCH) {
        let mut cols = Columns::default();
        let mut staff = StaffColumns::default();
        for a in batch {
            let e = encode(a)?;
            staff.push(a, e.occupied);
            cols.id.push(a.id.0);
            cols.case_id.push(a.case_id.0);
            cols.referral_id.push(a.referral_id.0);
            cols.kind.push(a.kind.code());
            cols.starts_at.push(ts(a.planned.start));
            cols.ends_at.push(ts(a.planned.end));
            cols.occupied_from.push(ts(e.occupied.start));
            cols.occupied_until.push(ts(e.occupied.end));
            cols.location_kind.push(e.location_kind);
            cols.room_id.push(e.room_id);
            cols.location_text.push(e.location_text);
            cols.participants.push(e.participants);
            cols.arrival.push(e.arrival);
            cols.series_id.push(a.series_id.map(|s| s.0));
            cols.actual_start.push(a.actual.map(|t| ts(t.start)));
            cols.actual_end.push(a.actual.map(|t| ts(t.end)));
            cols.outcome.push(e.outcome);
            cols.outcome_kind.push(e.outcome_kind);
            cols.outcome_recorded_at.push(a.outcome_recorded_at.map(ts));
            cols.created_at.push(ts(a.created_at));
            cols.revision.push(i64::from(a.revision));
        }
        sqlx::query(
            "INSERT INTO appointments (id, case_id, referral_id, kind, starts_at, ends_at, occupied_from, \
             occupied_until, location_kind, room_id, location_text, participants, arrival, series_id, \
             actual_start, actual_end, outcome, outcome_kind, outcome_recorded_at, created_at, revision) \
             SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::timestamptz[], \
             $6::timestamptz[], $7::timestamptz[], $8::timestamptz[], $9::text[], $10::uuid[], $11::text[], \
             $12::jsonb[], $13::jsonb[], $14::uuid[], $15::timestamptz[], $16::timestamptz[], $17::jsonb[], \
             $18::text[], $19::timestamptz[], $20::timestamptz[], $21::bigint[])",
        )
        .bind(cols.id)
        .bind(cols.case_id)
        .bind(cols.referral_id)
        .bind(cols.kind)
        .bind(cols.starts_at)
        .bind(cols.ends_at)
        .bind(cols.occupied_from)
        .bind(cols.occupied_until)
        .bind(cols.location_kind)
        .bind(cols.room_id)
        .bind(cols.location_text)
        .bind(cols.participants)
        .bind(cols.arrival)
        .bind(cols.series_id)
        .bind(cols.actual_start)
        .bind(cols.actual_end)
        .bind(cols.outcome)
        .bind(cols.outcome_kind)
        .bind(cols.outcome_recorded_at)
        .bind(cols.created_at)
        .bind(cols.revision)
        .execute(&mut *c)
        .await
        .map_err(err)?;
        staff.insert(c).await?;
    }
    Ok(())
}

const EXISTS: &str = "SELECT EXISTS (SELECT 1 FROM appointments WHERE id = $1)";

pub(crate) async fn update_appointment(c: &mut PgConnection, a: &mut Appointment) -> Result<()> {
    let e = encode(a)?;
    let done = sqlx::query(
        "UPDATE appointments SET case_id = $3, referral_id = $4, kind = $5, starts_at = $6, ends_at = $7, \
         occupied_from = $8, occupied_until = $9, location_kind = $10, room_id = $11, location_text = $12, \
         participants = $13, arrival = $14, series_id = $15, actual_start = $16, actual_end = $17, outcome = $18, \
         outcome_kind = $19, outcome_recorded_at = $20, revision = revision + 1 WHERE id = $1 AND revision = $2",
    )
    .bind(a.id.0)
    .bind(i64::from(a.revision))
    .bind(a.case_id.0)
    .bind(a.referral_id.0)
    .bind(a.kind.code())
    .bind(ts(a.planned.start))
    .bind(ts(a.planned.end))
    .bind(ts(e.occupied.start))
    .bind(ts(e.occupied.end))
    .bind(e.location_kind)
    .bind(e.room_id)
    .bind(e.location_text)
    .bind(e.participants)
    .bind(e.arrival)
    .bind(a.series_id.map(|s| s.0))
    .bind(a.actual.map(|t| ts(t.start)))
    .bind(a.actual.map(|t| ts(t.end)))
    .bind(e.outcome)
    .bind(e.outcome_kind)
    .bind(a.outcome_recorded_at.map(ts))
    .execute(&mut *c)
    .await
    .map_err(err)?;
    if done.rows_affected() == 0 {
        return Err(stale_or_missing(c, EXISTS, a.id.0).await);
    }
    sqlx::query("DELETE FROM appointment_staff WHERE appointment_id = $1")
        .bind(a.id.0)
        .execute(&mut *c)
        .await
        .map_err(err)?;
    let mut staff = StaffColumns::default();
    staff.push(a, e.occupied);
    staff.insert(c).await?;
    a.revision += 1;
    Ok(())
}

pub(crate) async fn delete_appointment(c: &mut PgConnection, id: AppointmentId) -> Result<()> {
    let done = sqlx::query("DELETE FROM appointments WHERE id = $1 AND outcome_kind IS NULL")
        .bind(id.0)
        .execute(&mut *c)
        .await
        .map_err(|e| in_use_on_fk(err(e)))?;
    if done.rows_affected() == 0 {
        // Still there means it has an outcome, which is history and stays.
        let exists: bool = sqlx::query_scalar(EXISTS).bind(id.0).fetch_one(c).await.map_err(err)?;
        return Err(if exists { StoreError::Conflict(Conflict::InUse) } else { StoreError::NotFound });
    }
    Ok(())
}

pub(crate) async fn appointment(c: &mut PgConnection, id: AppointmentId) -> Result<Appointment> {
    let row = sqlx::query(appointment_sql!(" WHERE a.id = $1")).bind(id.0).fetch_one(c).await.map_err(err)?;
    appointment_from_row(&row)
}

pub(crate) async fn appointments(c: &mut PgConnection, f: &AppointmentFilter, limit: u32) -> Result<Vec<Appointment>> {
    let mut q = QueryBuilder::<Postgres>::new(appointment_sql!(" WHERE TRUE"));
    if let Some(k) = f.case {
        q.push(" AND a.case_id = ").push_bind(k.0);
    }
    if let Some(r) = f.referral {
        // A referral belongs to one case, whose index finds its appointments.
        q.push(" AND a.case_id = (SELECT case_id FROM referrals WHERE id = ")
            .push_bind(r.0)
            .push(") AND a.referral_id = ")
            .push_bind(r.0);
    }
    if let Some(s) = f.staff {
        q.push(" AND a.id IN (SELECT s.appointment_id FROM appointment_staff s WHERE s.staff_id = ").push_bind(s.0);
        if let Some(d) = f.during {
            // The occupied span contains the planned one, so this only narrows
            // the index scan on (staff_id, occupied_from).
            q.push(" AND s.occupied_from < ")
                .push_bind(ts(d.end))
                .push(" AND s.occupied_until > ")
                .push_bind(ts(d.start));
        }
        q.push(")");
    }
    if let Some(r) = f.room {
        q.push(" AND a.room_id = ").push_bind(r.0);
    }
    if let Some(p) = f.provider {
        // An array of the provider's case ids lets the planner use the index on case_id.
        q.push(" AND a.case_id = ANY(ARRAY(SELECT id FROM cases WHERE provider_id = ").push_bind(p.0).push("))");
    }
    if let Some(d) = f.during {
        // Overlap, plus a lower bound on starts_at from the longest appointment
        // (one index probe), so that the btree indexes on (…, starts_at, id)
        // scan only the period.
        q.push(" AND a.starts_at < ")
            .push_bind(ts(d.end))
            .push(" AND a.ends_at > ")
            .push_bind(ts(d.start))
            .push(" AND a.starts_at > ")
            .push_bind(ts(d.start))
            .push(" - (SELECT max(ends_at - starts_at) FROM appointments)");
    }
    if !f.kinds.is_empty() {
        let kinds: Vec<&str> = f.kinds.iter().map(|k| k.code()).collect();
        q.push(" AND a.kind = ANY(").push_bind(kinds).push(")");
    }
    if f.without_outcome {
        q.push(" AND a.outcome_kind IS NULL");
    }
    if f.unassigned {
        q.push(" AND NOT EXISTS (SELECT 1 FROM appointment_staff s WHERE s.appointment_id = a.id)");
    }
    if let Some((start, after)) = f.after {
        q.push(" AND (a.starts_at, a.id) > (").push_bind(ts(start)).push(", ").push_bind(after.0).push(")");
    }
    // The limit is the caller's (a planner may want a whole week); only pages are capped.
    q.push(" ORDER BY a.starts_at, a.id LIMIT ").push_bind(i64::from(limit));
    let rows = q.build().fetch_all(c).await.map_err(err)?;
    rows.iter().map(appointment_from_row).collect()
}
