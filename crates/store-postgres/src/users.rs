//! User accounts and their password hashes.

use crate::encode::*;
use samvirke_domain::user::{Role, Subject, User, Username};
use samvirke_domain::*;
use samvirke_store::{Result, StoreError};
use sqlx::postgres::{PgConnection, PgRow};

macro_rules! user_columns {
    () => {
        "id, username, display_name, role, subject_kind, subject_staff_id, subject_family_member_id, \
         subject_case_id, active, created_at"
    };
}

macro_rules! user_sql {
    ($($rest:literal)?) => {
        concat!("SELECT ", user_columns!(), " FROM users" $(, $rest)?)
    };
}

fn user_from_row(r: &PgRow) -> Result<User> {
    let username: String = get(r, "users.username")?;
    let role: String = get(r, "users.role")?;
    let subject = match get::<String>(r, "users.subject_kind")?.as_str() {
        "staff" => Subject::Staff(required(id_opt(r, "users.subject_staff_id")?, "users.subject_staff_id")?),
        "family_member" => Subject::FamilyMember(required(
            id_opt(r, "users.subject_family_member_id")?,
            "users.subject_family_member_id",
        )?),
        "child" => Subject::Child(required(id_opt(r, "users.subject_case_id")?, "users.subject_case_id")?),
        _ => return Err(StoreError::corrupt("users.subject_kind", "unknown code")),
    };
    Ok(User {
        id: id(r, "users.id")?,
        username: Username::parse(&username).map_err(|p| problem("users.username", &p))?,
        display_name: text(r, "users.display_name")?,
        role: Role::from_code(&role).ok_or_else(|| StoreError::corrupt("users.role", "unknown code"))?,
        subject,
        active: get(r, "users.active")?,
        created_at: timestamp(r, "users.created_at")?,
    })
}

fn required<T>(v: Option<T>, col: &'static str) -> Result<T> {
    v.ok_or_else(|| StoreError::corrupt(col, "missing for the subject kind"))
}

pub(crate) async fn insert_user(c: &mut PgConnection, u: &User, password_hash: &str) -> Result<()> {
    let (kind, staff, member, case) = match u.subject {
        Subject::Staff(s) => ("staff", Some(s.0), None, None),
        Subject::FamilyMember(m) => ("family_member", None, Some(m.0), None),
        Subject::Child(k) => ("child", None, None, Some(k.0)),
    };
    sqlx::query(
        "INSERT INTO users (id, username, display_name, role, subject_kind, subject_staff_id, \
         subject_family_member_id, subject_case_id, password_hash, active, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(u.id.0)
    .bind(u.username.as_str())
    .bind(u.display_name.as_str())
    .bind(u.role.code())
    .bind(kind)
    .bind(staff)
    .bind(member)
    .bind(case)
    .bind(password_hash)
    .bind(u.active)
    .bind(ts(u.created_at))
    .execute(c)
    .await
    .map_err(err)?;
    Ok(())
}

pub(crate) async fn user(c: &mut PgConnection, id: UserId) -> Result<User> {
    let row = sqlx::query(user_sql!(" WHERE id = $1")).bind(id.0).fetch_one(c).await.map_err(err)?;
    user_from_row(&row)
}

pub(crate) async fn user_credentials(c: &mut PgConnection, username: &Username) -> Result<(User, String)> {
    let row = sqlx::query(concat!("SELECT ", user_columns!(), ", password_hash FROM users WHERE username = $1"))
        .bind(username.as_str())
        .fetch_one(c)
        .await
        .map_err(err)?;
    Ok((user_from_row(&row)?, get(&row, "users.password_hash")?))
}

pub(crate) async fn users(c: &mut PgConnection) -> Result<Vec<User>> {
    let rows = sqlx::query(user_sql!(" ORDER BY username")).fetch_all(c).await.map_err(err)?;
    rows.iter().map(user_from_row).collect()
}
