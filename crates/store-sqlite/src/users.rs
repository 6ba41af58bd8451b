//! User accounts and their password hashes.

use crate::codec::*;
use crate::error::db;
use samvirke_domain::user::{Role, Subject, User, Username};
use samvirke_domain::*;
use samvirke_store::StoreError;
use sqlx::SqliteConnection;
use sqlx::sqlite::SqliteRow;

macro_rules! user_columns {
    () => {
        "SELECT id, username, display_name, role, subject_kind, staff_id, family_member_id, case_id, active, created_at"
    };
}

fn user_from_row(row: &SqliteRow) -> Result<User> {
    let role: String = get(row, "users.role")?;
    let subject_kind: String = get(row, "users.subject_kind")?;
    let subject = match subject_kind.as_str() {
        "staff" => Subject::Staff(id(row, "users.staff_id")?),
        "family_member" => Subject::FamilyMember(id(row, "users.family_member_id")?),
        "child" => Subject::Child(id(row, "users.case_id")?),
        _ => return Err(StoreError::corrupt("users.subject_kind", "unknown code")),
    };
    Ok(User {
        id: id(row, "users.id")?,
        username: text(row, "users.username")?,
        display_name: text(row, "users.display_name")?,
        role: Role::from_code(&role).ok_or_else(|| StoreError::corrupt("users.role", "unknown code"))?,
        subject,
        active: get(row, "users.active")?,
        created_at: ts(row, "users.created_at")?,
    })
}

pub(crate) async fn insert_user(c: &mut SqliteConnection, u: &User, password_hash: &str) -> Result<()> {
    let (kind, staff, member, case) = match u.subject {
        Subject::Staff(s) => ("staff", Some(s.uuid()), None, None),
        Subject::FamilyMember(m) => ("family_member", None, Some(m.uuid()), None),
        Subject::Child(k) => ("child", None, None, Some(k.uuid())),
    };
    sqlx::query(
        "INSERT INTO users (id, username, display_name, role, subject_kind, staff_id, family_member_id, case_id,
                            password_hash, active, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )
    .bind(u.id.uuid())
    .bind(u.username.as_str())
    .bind(u.display_name.as_str())
    .bind(u.role.code())
    .bind(kind)
    .bind(staff)
    .bind(member)
    .bind(case)
    .bind(password_hash)
    .bind(u.active)
    .bind(micros(u.created_at))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn user(c: &mut SqliteConnection, id: UserId) -> Result<User> {
    let row = sqlx::query(concat!(user_columns!(), " FROM users WHERE id = ?1"))
        .bind(id.uuid())
        .fetch_optional(c)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound)?;
    user_from_row(&row)
}

pub(crate) async fn user_credentials(c: &mut SqliteConnection, username: &Username) -> Result<(User, String)> {
    let row = sqlx::query(concat!(user_columns!(), ", password_hash FROM users WHERE username = ?1"))
        .bind(username.as_str())
        .fetch_optional(c)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound)?;
    Ok((user_from_row(&row)?, get(&row, "users.password_hash")?))
}

pub(crate) async fn users(c: &mut SqliteConnection) -> Result<Vec<User>> {
    let rows = sqlx::query(concat!(user_columns!(), " FROM users ORDER BY username")).fetch_all(c).await.map_err(db)?;
    rows.iter().map(user_from_row).collect()
}
