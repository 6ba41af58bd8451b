//! Municipalities, providers, staff, absences and rooms.

use crate::codec::*;
use crate::error::{db, on_delete};
use samvirke_domain::availability::OfferedShift;
use samvirke_domain::organisation::{Absence, Employer, Municipality, MunicipalityCode, Provider, Room, Staff};
use samvirke_domain::time::TimeRange;
use samvirke_domain::*;
use samvirke_store::{StaffFilter, StoreError};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

// --- Municipalities ---

fn municipality_from_row(row: &SqliteRow) -> Result<Municipality> {
    let code: u16 = num(row, "municipalities.code")?;
    Ok(Municipality {
        id: id(row, "municipalities.id")?,
        code: MunicipalityCode::new(code)
            .map_err(|_| StoreError::corrupt("municipalities.code", "not a municipality code"))?,
        name: text(row, "municipalities.name")?,
    })
}

pub(crate) async fn insert_municipality(c: &mut SqliteConnection, m: &Municipality) -> Result<()> {
    sqlx::query("INSERT INTO municipalities (id, code, name) VALUES (?1, ?2, ?3)")
        .bind(m.id.uuid())
        .bind(i64::from(m.code.get()))
        .bind(m.name.as_str())
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

pub(crate) async fn municipality(c: &mut SqliteConnection, id: MunicipalityId) -> Result<Municipality> {
    let row = sqlx::query("SELECT id, code, name FROM municipalities WHERE id = ?1")
        .bind(id.uuid())
        .fetch_optional(c)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound)?;
    municipality_from_row(&row)
}

pub(crate) async fn municipalities(c: &mut SqliteConnection) -> Result<Vec<Municipality>> {
    let rows = sqlx::query("SELECT id, code, name FROM municipalities ORDER BY code").fetch_all(c).await.map_err(db)?;
    rows.iter().map(municipality_from_row).collect()
}

// --- Providers ---

macro_rules! provider_select {
    () => {
        "SELECT p.id, p.name,
            (SELECT json_group_array(hex(pm.municipality_id) ORDER BY pm.position)
               FROM provider_municipalities pm WHERE pm.provider_id = p.id) AS municipalities
         FROM providers p"
    };
}

fn provider_from_row(row: &SqliteRow) -> Result<Provider> {
    Ok(Provider {
        id: id(row, "providers.id")?,
        name: text(row, "providers.name")?,
        municipalities: id_list(row, "provider_municipalities.municipalities")?,
    })
}

pub(crate) async fn insert_provider(c: &mut SqliteConnection, p: &Provider) -> Result<()> {
    sqlx::query("INSERT INTO providers (id, name) VALUES (?1, ?2)")
        .bind(p.id.uuid())
        .bind(p.name.as_str())
        .execute(&mut *c)
        .await
        .map_err(db)?;
    for (position, m) in p.municipalities.iter().enumerate() {
        sqlx::query("INSERT INTO provider_municipalities (provider_id, municipality_id, position) VALUES (?1, ?2, ?3)")
            .bind(p.id.uuid())
            .bind(m.uuid())
            .bind(position as i64)
            .execute(&mut *c)
            .await
            .map_err(db)?;
    }
    Ok(())
}

pub(crate) async fn provider(c: &mut SqliteConnection, id: ProviderId) -> Result<Provider> {
    let row = sqlx::query(concat!(provider_select!(), " WHERE p.id = ?1"))
        .bind(id.uuid())
        .fetch_optional(c)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound)?;
    provider_from_row(&row)
}

pub(crate) async fn providers(c: &mut SqliteConnection) -> Result<Vec<Provider>> {
    let rows = sqlx::query(concat!(provider_select!(), " ORDER BY p.id")).fetch_all(c).await.map_err(db)?;
    let providers = rows.iter().map(provider_from_row).collect::<Result<Vec<_>>>()?;
    Ok(samvirke_store::sort_by_danish_name(providers, |p| p.name.as_str()))
}

// --- Staff ---

macro_rules! staff_select {
    () => {
        "SELECT id, name, role, provider_id, municipality_id, employment, email, supervision_trained,
                working_pattern, max_weekly_minutes, active
         FROM staff"
    };
}

fn staff_from_row(row: &SqliteRow) -> Result<Staff> {
    let employer = match (opt_id(row, "staff.provider_id")?, opt_id(row, "staff.municipality_id")?) {
        (Some(p), None) => Employer::Provider(p),
        (None, Some(m)) => Employer::Municipality(m),
        _ => return Err(StoreError::corrupt("staff.provider_id", "not exactly one employer")),
    };
    Ok(Staff {
        id: id(row, "staff.id")?,
        name: text(row, "staff.name")?,
        role: enum_code(row, "staff.role")?,
        employer,
        employment: enum_code(row, "staff.employment")?,
        email: opt_text(row, "staff.email")?,
        supervision_trained: get(row, "staff.supervision_trained")?,
        working_pattern: from_json(row, "staff.working_pattern")?,
        max_weekly_minutes: opt_num(row, "staff.max_weekly_minutes")?,
        active: get(row, "staff.active")?,
    })
}

pub(crate) async fn insert_staff(c: &mut SqliteConnection, s: &Staff) -> Result<()> {
    sqlx::query(
        "INSERT INTO staff (id, name, role, provider_id, municipality_id, employment, email, supervision_trained,
                            working_pattern, max_weekly_minutes, active)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )
    .bind(s.id.uuid())
    .bind(s.name.as_str())
    .bind(code(&s.role)?)
    .bind(s.provider().map(ProviderId::uuid))
    .bind(s.municipality().map(MunicipalityId::uuid))
    .bind(code(&s.employment)?)
    .bind(s.email.as_ref().map(|e| e.as_str().to_owned()))
    .bind(s.supervision_trained)
    .bind(json(&s.working_pattern)?)
    .bind(s.max_weekly_minutes.map(i64::from))
    .bind(s.active)
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn update_staff(c: &mut SqliteConnection, s: &Staff) -> Result<()> {
    let done = sqlx::query(
        "UPDATE staff SET name = ?2, role = ?3, provider_id = ?4, municipality_id = ?5, employment = ?6, email = ?7,
                          supervision_trained = ?8, working_pattern = ?9, max_weekly_minutes = ?10, active = ?11
         WHERE id = ?1",
    )
    .bind(s.id.uuid())
    .bind(s.name.as_str())
    .bind(code(&s.role)?)
    .bind(s.provider().map(ProviderId::uuid))
    .bind(s.municipality().map(MunicipalityId::uuid))
    .bind(code(&s.employment)?)
    .bind(s.email.as_ref().map(|e| e.as_str().to_owned()))
    .bind(s.supervision_trained)
    .bind(json(&s.working_pattern)?)
    .bind(s.max_weekly_minutes.map(i64::from))
    .bind(s.active)
    .execute(c)
    .await
    .map_err(db)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(crate) async fn staff(c: &mut SqliteConnection, id: StaffId) -> Result<Staff> {
    let row = sqlx::query(concat!(staff_select!(), " WHERE id = ?1"))
        .bind(id.uuid())
        .fetch_optional(c)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound)?;
    staff_from_row(&row)
}

pub(crate) async fn list_staff(c: &mut SqliteConnection, f: &StaffFilter) -> Result<Vec<Staff>> {
    let mut q = QueryBuilder::<Sqlite>::new(concat!(staff_select!(), " WHERE 1 = 1"));
    if let Some(p) = f.provider {
        q.push(" AND provider_id = ").push_bind(p.uuid());
    }
    if let Some(m) = f.municipality {
        q.push(" AND municipality_id = ").push_bind(m.uuid());
    }
    if let Some(r) = f.role {
        q.push(" AND role = ").push_bind(code(&r)?);
    }
    if f.active_only {
        q.push(" AND active = 1");
    }
    q.push(" ORDER BY id");
    let rows = q.build().fetch_all(c).await.map_err(db)?;
    let staff = rows.iter().map(staff_from_row).collect::<Result<Vec<_>>>()?;
    Ok(samvirke_store::sort_by_danish_name(staff, |s| s.name.as_str()))
}

// --- Absences ---

fn absence_from_row(row: &SqliteRow) -> Result<Absence> {
    let (start, end) = (ts(row, "absences.starts_at")?, ts(row, "absences.ends_at")?);
    Ok(Absence {
        id: id(row, "absences.id")?,
        staff_id: id(row, "absences.staff_id")?,
        during: TimeRange::new(start, end)
            .map_err(|_| StoreError::corrupt("absences.ends_at", "ends before it starts"))?,
        kind: enum_code(row, "absences.kind")?,
    })
}

pub(crate) async fn insert_absence(c: &mut SqliteConnection, a: &Absence) -> Result<()> {
    sqlx::query("INSERT INTO absences (id, staff_id, starts_at, ends_at, kind) VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind(a.id.uuid())
        .bind(a.staff_id.uuid())
        .bind(micros(a.during.start))
        .bind(micros(a.during.end))
        .bind(code(&a.kind)?)
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

pub(crate) async fn delete_absence(c: &mut SqliteConnection, id: AbsenceId) -> Result<()> {
    let done = sqlx::query("DELETE FROM absences WHERE id = ?1").bind(id.uuid()).execute(c).await.map_err(on_delete)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(crate) async fn absences(
    c: &mut SqliteConnection,
    staff: Option<StaffId>,
    during: TimeRange,
) -> Result<Vec<Absence>> {
    let mut q =
        QueryBuilder::<Sqlite>::new("SELECT id, staff_id, starts_at, ends_at, kind FROM absences WHERE ends_at > ");
    q.push_bind(micros(during.start)).push(" AND starts_at < ").push_bind(micros(during.end));
    if let Some(s) = staff {
        q.push(" AND staff_id = ").push_bind(s.uuid());
    }
    q.push(" ORDER BY starts_at, id");
    let rows = q.build().fetch_all(c).await.map_err(db)?;
    rows.iter().map(absence_from_row).collect()
}

// --- Offered shifts ---

fn shift_from_row(row: &SqliteRow) -> Result<OfferedShift> {
    let (start, end) = (ts(row, "offered_shifts.starts_at")?, ts(row, "offered_shifts.ends_at")?);
    Ok(OfferedShift {
        id: id(row, "offered_shifts.id")?,
        staff_id: id(row, "offered_shifts.staff_id")?,
        during: TimeRange::new(start, end)
            .map_err(|_| StoreError::corrupt("offered_shifts.ends_at", "ends before it starts"))?,
    })
}

pub(crate) async fn insert_shift(c: &mut SqliteConnection, s: &OfferedShift) -> Result<()> {
    sqlx::query("INSERT INTO offered_shifts (id, staff_id, starts_at, ends_at) VALUES (?1, ?2, ?3, ?4)")
        .bind(s.id.uuid())
        .bind(s.staff_id.uuid())
        .bind(micros(s.during.start))
        .bind(micros(s.during.end))
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

pub(crate) async fn delete_shift(c: &mut SqliteConnection, id: ShiftId) -> Result<()> {
    let done =
        sqlx::query("DELETE FROM offered_shifts WHERE id = ?1").bind(id.uuid()).execute(c).await.map_err(on_delete)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(crate) async fn shifts(
    c: &mut SqliteConnection,
    staff: Option<StaffId>,
    during: TimeRange,
) -> Result<Vec<OfferedShift>> {
    let mut q =
        QueryBuilder::<Sqlite>::new("SELECT id, staff_id, starts_at, ends_at FROM offered_shifts WHERE ends_at > ");
    q.push_bind(micros(during.start)).push(" AND starts_at < ").push_bind(micros(during.end));
    if let Some(s) = staff {
        q.push(" AND staff_id = ").push_bind(s.uuid());
    }
    q.push(" ORDER BY starts_at, id");
    let rows = q.build().fetch_all(c).await.map_err(db)?;
    rows.iter().map(shift_from_row).collect()
}

// --- Rooms ---

macro_rules! room_select {
    () => {
        "SELECT id, provider_id, name, capacity, suitable_for_visits, opening_hours, active FROM rooms"
    };
}

fn room_from_row(row: &SqliteRow) -> Result<Room> {
    Ok(Room {
        id: id(row, "rooms.id")?,
        provider_id: id(row, "rooms.provider_id")?,
        name: text(row, "rooms.name")?,
        capacity: num(row, "rooms.capacity")?,
        suitable_for_visits: get(row, "rooms.suitable_for_visits")?,
        opening_hours: from_json(row, "rooms.opening_hours")?,
        active: get(row, "rooms.active")?,
    })
}

pub(crate) async fn insert_room(c: &mut SqliteConnection, r: &Room) -> Result<()> {
    sqlx::query(
        "INSERT INTO rooms (id, provider_id, name, capacity, suitable_for_visits, opening_hours, active)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .bind(r.id.uuid())
    .bind(r.provider_id.uuid())
    .bind(r.name.as_str())
    .bind(i64::from(r.capacity))
    .bind(r.suitable_for_visits)
    .bind(json(&r.opening_hours)?)
    .bind(r.active)
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn update_room(c: &mut SqliteConnection, r: &Room) -> Result<()> {
    let done = sqlx::query(
        "UPDATE rooms SET provider_id = ?2, name = ?3, capacity = ?4, suitable_for_visits = ?5, opening_hours = ?6,
                          active = ?7
         WHERE id = ?1",
    )
    .bind(r.id.uuid())
    .bind(r.provider_id.uuid())
    .bind(r.name.as_str())
    .bind(i64::from(r.capacity))
    .bind(r.suitable_for_visits)
    .bind(json(&r.opening_hours)?)
    .bind(r.active)
    .execute(c)
    .await
    .map_err(db)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(crate) async fn room(c: &mut SqliteConnection, id: RoomId) -> Result<Room> {
    let row = sqlx::query(concat!(room_select!(), " WHERE id = ?1"))
        .bind(id.uuid())
        .fetch_optional(c)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound)?;
    room_from_row(&row)
}

pub(crate) async fn rooms(c: &mut SqliteConnection, provider: ProviderId) -> Result<Vec<Room>> {
    let rows = sqlx::query(concat!(room_select!(), " WHERE provider_id = ?1 ORDER BY id"))
        .bind(provider.uuid())
        .fetch_all(c)
        .await
        .map_err(db)?;
    let rooms = rows.iter().map(room_from_row).collect::<Result<Vec<_>>>()?;
    Ok(samvirke_store::sort_by_danish_name(rooms, |r| r.name.as_str()))
}
