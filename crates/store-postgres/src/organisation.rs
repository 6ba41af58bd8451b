//! Municipalities, providers, staff, absences and rooms.

use crate::encode::*;
use samvirke_domain::availability::OfferedShift;
use samvirke_domain::organisation::{Absence, Employer, Municipality, MunicipalityCode, Provider, Room, Staff};
use samvirke_domain::time::TimeRange;
use samvirke_domain::*;
use samvirke_store::{Result, StaffFilter, StoreError};
use sqlx::postgres::{PgConnection, PgRow};
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

// --- Municipalities ---

macro_rules! municipality_sql {
    ($($rest:literal)?) => {
        concat!("SELECT id, code, name FROM municipalities" $(, $rest)?)
    };
}

fn municipality_from_row(r: &PgRow) -> Result<Municipality> {
    let code: i16 = get(r, "municipalities.code")?;
    let code = u16::try_from(code)
        .map_err(|_| StoreError::corrupt("municipalities.code", "negative"))
        .and_then(|c| MunicipalityCode::new(c).map_err(|p| problem("municipalities.code", &p)))?;
    Ok(Municipality { id: id(r, "municipalities.id")?, code, name: text(r, "municipalities.name")? })
}

pub(crate) async fn insert_municipality(c: &mut PgConnection, m: &Municipality) -> Result<()> {
    // The code is 101–860 by construction, so it fits a smallint.
    let code = i16::try_from(m.code.get()).unwrap_or(i16::MAX);
    sqlx::query("INSERT INTO municipalities (id, code, name) VALUES ($1, $2, $3)")
        .bind(m.id.0)
        .bind(code)
        .bind(m.name.as_str())
        .execute(c)
        .await
        .map_err(err)?;
    Ok(())
}

pub(crate) async fn municipality(c: &mut PgConnection, id: MunicipalityId) -> Result<Municipality> {
    let row = sqlx::query(municipality_sql!(" WHERE id = $1")).bind(id.0).fetch_one(c).await.map_err(err)?;
    municipality_from_row(&row)
}

pub(crate) async fn municipalities(c: &mut PgConnection) -> Result<Vec<Municipality>> {
    let rows = sqlx::query(municipality_sql!(" ORDER BY code")).fetch_all(c).await.map_err(err)?;
    rows.iter().map(municipality_from_row).collect()
}

// --- Providers ---

macro_rules! provider_sql {
    ($($rest:literal)?) => {
        concat!(
            "SELECT p.id, p.name, \
             ARRAY(SELECT pm.municipality_id FROM provider_municipalities pm \
                   WHERE pm.provider_id = p.id ORDER BY pm.position) AS municipalities \
             FROM providers p"
            $(, $rest)?
        )
    };
}

fn provider_from_row(r: &PgRow) -> Result<Provider> {
    Ok(Provider {
        id: id(r, "providers.id")?,
        name: text(r, "providers.name")?,
        municipalities: ids(r, "providers.municipalities")?,
    })
}

pub(crate) async fn insert_provider(c: &mut PgConnection, p: &Provider) -> Result<()> {
    sqlx::query("INSERT INTO providers (id, name) VALUES ($1, $2)")
        .bind(p.id.0)
        .bind(p.name.as_str())
        .execute(&mut *c)
        .await
        .map_err(err)?;
    let municipalities: Vec<Uuid> = p.municipalities.iter().map(|m| m.0).collect();
    sqlx::query(
        "INSERT INTO provider_municipalities (provider_id, municipality_id, position) \
         SELECT $1, m, (n - 1)::smallint FROM unnest($2::uuid[]) WITH ORDINALITY AS t (m, n)",
    )
    .bind(p.id.0)
    .bind(municipalities)
    .execute(c)
    .await
    .map_err(err)?;
    Ok(())
}

pub(crate) async fn provider(c: &mut PgConnection, id: ProviderId) -> Result<Provider> {
    let row = sqlx::query(provider_sql!(" WHERE p.id = $1")).bind(id.0).fetch_one(c).await.map_err(err)?;
    provider_from_row(&row)
}

pub(crate) async fn providers(c: &mut PgConnection) -> Result<Vec<Provider>> {
    let rows = sqlx::query(provider_sql!(" ORDER BY p.id")).fetch_all(c).await.map_err(err)?;
    let providers = rows.iter().map(provider_from_row).collect::<Result<Vec<_>>>()?;
    Ok(samvirke_store::sort_by_danish_name(providers, |p| p.name.as_str()))
}

// --- Staff ---

macro_rules! staff_sql {
    ($($rest:literal)?) => {
        concat!(
            "SELECT id, name, role, provider_id, municipality_id, employment, email, \
             supervision_trained, working_pattern, max_weekly_minutes, active FROM staff"
            $(, $rest)?
        )
    };
}

fn staff_from_row(r: &PgRow) -> Result<Staff> {
    let provider: Option<ProviderId> = id_opt(r, "staff.provider_id")?;
    let municipality: Option<MunicipalityId> = id_opt(r, "staff.municipality_id")?;
    let employer = match (provider, municipality) {
        (Some(p), None) => Employer::Provider(p),
        (None, Some(m)) => Employer::Municipality(m),
        _ => return Err(StoreError::corrupt("staff.provider_id", "exactly one employer is expected")),
    };
    Ok(Staff {
        id: id(r, "staff.id")?,
        name: text(r, "staff.name")?,
        role: enum_code(r, "staff.role")?,
        employer,
        employment: enum_code(r, "staff.employment")?,
        email: email_opt(r, "staff.email")?,
        supervision_trained: get(r, "staff.supervision_trained")?,
        working_pattern: json_col(r, "staff.working_pattern")?,
        max_weekly_minutes: u32_opt(r, "staff.max_weekly_minutes")?,
        active: get(r, "staff.active")?,
    })
}

/// The columns of a staff row, in the order of the INSERT and UPDATE below.
struct StaffColumns {
    role: String,
    employment: String,
    working_pattern: serde_json::Value,
}

fn staff_columns(s: &Staff) -> Result<StaffColumns> {
    Ok(StaffColumns {
        role: code(&s.role)?,
        employment: code(&s.employment)?,
        working_pattern: json(&s.working_pattern)?,
    })
}

pub(crate) async fn insert_staff(c: &mut PgConnection, s: &Staff) -> Result<()> {
    let cols = staff_columns(s)?;
    sqlx::query(
        "INSERT INTO staff (id, name, role, provider_id, municipality_id, employment, email, \
         supervision_trained, working_pattern, max_weekly_minutes, active) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(s.id.0)
    .bind(s.name.as_str())
    .bind(cols.role)
    .bind(s.provider().map(|p| p.0))
    .bind(s.municipality().map(|m| m.0))
    .bind(cols.employment)
    .bind(s.email.as_ref().map(|e| e.as_str()))
    .bind(s.supervision_trained)
    .bind(cols.working_pattern)
    .bind(s.max_weekly_minutes.map(i64::from))
    .bind(s.active)
    .execute(c)
    .await
    .map_err(err)?;
    Ok(())
}

pub(crate) async fn update_staff(c: &mut PgConnection, s: &Staff) -> Result<()> {
    let cols = staff_columns(s)?;
    let done = sqlx::query(
        "UPDATE staff SET name = $2, role = $3, provider_id = $4, municipality_id = $5, employment = $6, \
         email = $7, supervision_trained = $8, working_pattern = $9, max_weekly_minutes = $10, active = $11 \
         WHERE id = $1",
    )
    .bind(s.id.0)
    .bind(s.name.as_str())
    .bind(cols.role)
    .bind(s.provider().map(|p| p.0))
    .bind(s.municipality().map(|m| m.0))
    .bind(cols.employment)
    .bind(s.email.as_ref().map(|e| e.as_str()))
    .bind(s.supervision_trained)
    .bind(cols.working_pattern)
    .bind(s.max_weekly_minutes.map(i64::from))
    .bind(s.active)
    .execute(c)
    .await
    .map_err(err)?;
    expect_one(done)
}

pub(crate) async fn staff(c: &mut PgConnection, id: StaffId) -> Result<Staff> {
    let row = sqlx::query(staff_sql!(" WHERE id = $1")).bind(id.0).fetch_one(c).await.map_err(err)?;
    staff_from_row(&row)
}

pub(crate) async fn list_staff(c: &mut PgConnection, f: &StaffFilter) -> Result<Vec<Staff>> {
    let mut q = QueryBuilder::<Postgres>::new(staff_sql!());
    q.push(" WHERE TRUE");
    if let Some(p) = f.provider {
        q.push(" AND provider_id = ").push_bind(p.0);
    }
    if let Some(m) = f.municipality {
        q.push(" AND municipality_id = ").push_bind(m.0);
    }
    if let Some(r) = f.role {
        q.push(" AND role = ").push_bind(code(&r)?);
    }
    if f.active_only {
        q.push(" AND active");
    }
    q.push(" ORDER BY id");
    let rows = q.build().fetch_all(c).await.map_err(err)?;
    let staff = rows.iter().map(staff_from_row).collect::<Result<Vec<_>>>()?;
    Ok(samvirke_store::sort_by_danish_name(staff, |s| s.name.as_str()))
}

// --- Absences ---

macro_rules! absence_sql {
    ($($rest:literal)?) => {
        concat!("SELECT id, staff_id, starts_at, ends_at, kind FROM absences" $(, $rest)?)
    };
}

fn absence_from_row(r: &PgRow) -> Result<Absence> {
    let start = timestamp(r, "absences.starts_at")?;
    let end = timestamp(r, "absences.ends_at")?;
    Ok(Absence {
        id: id(r, "absences.id")?,
        staff_id: id(r, "absences.staff_id")?,
        during: TimeRange::new(start, end).map_err(|p| problem("absences.ends_at", &p))?,
        kind: enum_code(r, "absences.kind")?,
    })
}

pub(crate) async fn insert_absence(c: &mut PgConnection, a: &Absence) -> Result<()> {
    sqlx::query("INSERT INTO absences (id, staff_id, starts_at, ends_at, kind) VALUES ($1, $2, $3, $4, $5)")
        .bind(a.id.0)
        .bind(a.staff_id.0)
        .bind(ts(a.during.start))
        .bind(ts(a.during.end))
        .bind(code(&a.kind)?)
        .execute(c)
        .await
        .map_err(err)?;
    Ok(())
}

pub(crate) async fn delete_absence(c: &mut PgConnection, id: AbsenceId) -> Result<()> {
    let done = sqlx::query("DELETE FROM absences WHERE id = $1").bind(id.0).execute(c).await.map_err(err)?;
    expect_one(done)
}

pub(crate) async fn absences(c: &mut PgConnection, staff: Option<StaffId>, during: TimeRange) -> Result<Vec<Absence>> {
    let rows = match staff {
        // One person: their few absences by the (staff_id, starts_at) index.
        Some(s) => {
            sqlx::query(absence_sql!(" WHERE staff_id = $3 AND starts_at < $2 AND ends_at > $1 ORDER BY starts_at, id"))
                .bind(ts(during.start))
                .bind(ts(during.end))
                .bind(s.0)
        }
        // Everyone: the GiST index on the period.
        None => sqlx::query(absence_sql!(
            " WHERE tstzrange(starts_at, ends_at, '[)') && tstzrange($1, $2, '[)') ORDER BY starts_at, id"
        ))
        .bind(ts(during.start))
        .bind(ts(during.end)),
    }
    .fetch_all(c)
    .await
    .map_err(err)?;
    rows.iter().map(absence_from_row).collect()
}

// --- Offered shifts ---

macro_rules! shift_sql {
    ($($rest:literal)?) => {
        concat!("SELECT id, staff_id, starts_at, ends_at FROM offered_shifts" $(, $rest)?)
    };
}

fn shift_from_row(r: &PgRow) -> Result<OfferedShift> {
    let start = timestamp(r, "offered_shifts.starts_at")?;
    let end = timestamp(r, "offered_shifts.ends_at")?;
    Ok(OfferedShift {
        id: id(r, "offered_shifts.id")?,
        staff_id: id(r, "offered_shifts.staff_id")?,
        during: TimeRange::new(start, end).map_err(|p| problem("offered_shifts.ends_at", &p))?,
    })
}

pub(crate) async fn insert_shift(c: &mut PgConnection, s: &OfferedShift) -> Result<()> {
    sqlx::query("INSERT INTO offered_shifts (id, staff_id, starts_at, ends_at) VALUES ($1, $2, $3, $4)")
        .bind(s.id.0)
        .bind(s.staff_id.0)
        .bind(ts(s.during.start))
        .bind(ts(s.during.end))
        .execute(c)
        .await
        .map_err(err)?;
    Ok(())
}

pub(crate) async fn delete_shift(c: &mut PgConnection, id: ShiftId) -> Result<()> {
    let done = sqlx::query("DELETE FROM offered_shifts WHERE id = $1").bind(id.0).execute(c).await.map_err(err)?;
    expect_one(done)
}

pub(crate) async fn shifts(
    c: &mut PgConnection,
    staff: Option<StaffId>,
    during: TimeRange,
) -> Result<Vec<OfferedShift>> {
    let rows = match staff {
        Some(s) => sqlx::query(shift_sql!(
            " WHERE staff_id = $3 AND tstzrange(starts_at, ends_at, '[)') && tstzrange($1, $2, '[)') ORDER BY starts_at, id"
        ))
        .bind(ts(during.start))
        .bind(ts(during.end))
        .bind(s.0),
        None => sqlx::query(shift_sql!(
            " WHERE tstzrange(starts_at, ends_at, '[)') && tstzrange($1, $2, '[)') ORDER BY starts_at, id"
        ))
        .bind(ts(during.start))
        .bind(ts(during.end)),
    }
    .fetch_all(c)
    .await
    .map_err(err)?;
    rows.iter().map(shift_from_row).collect()
}

// --- Rooms ---

macro_rules! room_sql {
    ($($rest:literal)?) => {
        concat!(
            "SELECT id, provider_id, name, capacity, suitable_for_visits, opening_hours, active FROM rooms"
            $(, $rest)?
        )
    };
}

fn room_from_row(r: &PgRow) -> Result<Room> {
    let capacity: i32 = get(r, "rooms.capacity")?;
    Ok(Room {
        id: id(r, "rooms.id")?,
        provider_id: id(r, "rooms.provider_id")?,
        name: text(r, "rooms.name")?,
        capacity: u16::try_from(capacity).map_err(|_| StoreError::corrupt("rooms.capacity", "out of range"))?,
        suitable_for_visits: get(r, "rooms.suitable_for_visits")?,
        opening_hours: json_col(r, "rooms.opening_hours")?,
        active: get(r, "rooms.active")?,
    })
}

pub(crate) async fn insert_room(c: &mut PgConnection, r: &Room) -> Result<()> {
    sqlx::query(
        "INSERT INTO rooms (id, provider_id, name, capacity, suitable_for_visits, opening_hours, active) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(r.id.0)
    .bind(r.provider_id.0)
    .bind(r.name.as_str())
    .bind(i32::from(r.capacity))
    .bind(r.suitable_for_visits)
    .bind(json(&r.opening_hours)?)
    .bind(r.active)
    .execute(c)
    .await
    .map_err(err)?;
    Ok(())
}

pub(crate) async fn update_room(c: &mut PgConnection, r: &Room) -> Result<()> {
    let done = sqlx::query(
        "UPDATE rooms SET provider_id = $2, name = $3, capacity = $4, suitable_for_visits = $5, \
         opening_hours = $6, active = $7 WHERE id = $1",
    )
    .bind(r.id.0)
    .bind(r.provider_id.0)
    .bind(r.name.as_str())
    .bind(i32::from(r.capacity))
    .bind(r.suitable_for_visits)
    .bind(json(&r.opening_hours)?)
    .bind(r.active)
    .execute(c)
    .await
    .map_err(err)?;
    expect_one(done)
}

pub(crate) async fn room(c: &mut PgConnection, id: RoomId) -> Result<Room> {
    let row = sqlx::query(room_sql!(" WHERE id = $1")).bind(id.0).fetch_one(c).await.map_err(err)?;
    room_from_row(&row)
}

pub(crate) async fn rooms(c: &mut PgConnection, provider: ProviderId) -> Result<Vec<Room>> {
    let rows = sqlx::query(room_sql!(" WHERE provider_id = $1 ORDER BY id"))
        .bind(provider.0)
        .fetch_all(c)
        .await
        .map_err(err)?;
    let rooms = rows.iter().map(room_from_row).collect::<Result<Vec<_>>>()?;
    Ok(samvirke_store::sort_by_danish_name(rooms, |r| r.name.as_str()))
}
