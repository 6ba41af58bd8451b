//! Sessions, sign-in state, reset tokens, the audit log and the erasure of cases.
//!
//! The audit log needs no lock of its own here: a write transaction begins
//! with `BEGIN IMMEDIATE`, so appenders are serialised and the newest entry
//! one of them reads stays the newest until it commits or rolls back. A read
//! transaction is `query_only`, so an append in it fails (`SQLITE_READONLY`,
//! reported as `StoreError::Backend`) before anything is written.

use crate::codec::*;
use crate::error::db;
use jiff::Timestamp;
use jiff::civil::Date;
use samvirke_domain::audit::{AuditAction, AuditEntry, AuditEvent, ChainHash};
use samvirke_domain::*;
use samvirke_store::{CaseErasure, Conflict, Page, ResetRecord, SessionRecord, SignInRecord, StoreError};
use sqlx::SqliteConnection;
use sqlx::sqlite::SqliteRow;

/// A 32-byte hash column.
fn hash32(row: &SqliteRow, column: &'static str) -> Result<[u8; 32]> {
    let bytes: Vec<u8> = get(row, column)?;
    bytes.try_into().map_err(|_| StoreError::corrupt(column, "not 32 bytes"))
}

/// A u64 as an INTEGER; SQLite's integers are signed.
fn to_i64(v: u64, what: &'static str) -> Result<i64> {
    i64::try_from(v).map_err(|_| StoreError::Backend(format!("{what} is too large to store").into()))
}

fn limit(limit: u32) -> i64 {
    i64::from(limit.clamp(1, Page::MAX))
}

// --- Sessions ---

macro_rules! session_select {
    ($rest:literal) => {
        concat!(
            "SELECT token_hash, user_id, created_at, last_seen_at, second_factor_verified, csrf_hash, client \
             FROM sessions ",
            $rest
        )
    };
}

fn session_from_row(row: &SqliteRow) -> Result<SessionRecord> {
    Ok(SessionRecord {
        token_hash: hash32(row, "sessions.token_hash")?,
        user_id: id(row, "sessions.user_id")?,
        created_at: ts(row, "sessions.created_at")?,
        last_seen_at: ts(row, "sessions.last_seen_at")?,
        second_factor_verified: get(row, "sessions.second_factor_verified")?,
        csrf_hash: hash32(row, "sessions.csrf_hash")?,
        client: get(row, "sessions.client")?,
    })
}

pub(crate) async fn insert_session(c: &mut SqliteConnection, s: &SessionRecord) -> Result<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, second_factor_verified, csrf_hash, client)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .bind(&s.token_hash[..])
    .bind(s.user_id.uuid())
    .bind(micros(s.created_at))
    .bind(micros(s.last_seen_at))
    .bind(s.second_factor_verified)
    .bind(&s.csrf_hash[..])
    .bind(s.client.as_deref())
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn session(c: &mut SqliteConnection, token_hash: &[u8; 32]) -> Result<SessionRecord> {
    let row = sqlx::query(session_select!("WHERE token_hash = ?1"))
        .bind(&token_hash[..])
        .fetch_optional(c)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound)?;
    session_from_row(&row)
}

pub(crate) async fn update_session(c: &mut SqliteConnection, s: &SessionRecord) -> Result<()> {
    let done = sqlx::query(
        "UPDATE sessions SET last_seen_at = ?2, second_factor_verified = ?3, csrf_hash = ?4 WHERE token_hash = ?1",
    )
    .bind(&s.token_hash[..])
    .bind(micros(s.last_seen_at))
    .bind(s.second_factor_verified)
    .bind(&s.csrf_hash[..])
    .execute(c)
    .await
    .map_err(db)?;
    one_row(done.rows_affected())
}

pub(crate) async fn delete_session(c: &mut SqliteConnection, token_hash: &[u8; 32]) -> Result<()> {
    let done =
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?1").bind(&token_hash[..]).execute(c).await.map_err(db)?;
    one_row(done.rows_affected())
}

pub(crate) async fn delete_user_sessions(c: &mut SqliteConnection, user: UserId) -> Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = ?1").bind(user.uuid()).execute(c).await.map_err(db)?;
    Ok(done.rows_affected())
}

pub(crate) async fn delete_sessions_before(
    c: &mut SqliteConnection,
    last_seen_before: Timestamp,
    created_before: Timestamp,
) -> Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE last_seen_at < ?1 OR created_at < ?2")
        .bind(micros(last_seen_before))
        .bind(micros(created_before))
        .execute(c)
        .await
        .map_err(db)?;
    Ok(done.rows_affected())
}

fn one_row(rows_affected: u64) -> Result<()> {
    if rows_affected == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

// --- Sign-in state ---

pub(crate) async fn sign_in_record(c: &mut SqliteConnection, user: UserId) -> Result<SignInRecord> {
    // The join tells an account without a row (the default) from no account.
    let row = sqlx::query(
        "SELECT s.user_id, s.failures, s.first_failure_at, s.locked_until, s.totp_secret, s.totp_last_step,
                s.recovery_code_hashes
         FROM users u LEFT JOIN sign_in_state s ON s.user_id = u.id
         WHERE u.id = ?1",
    )
    .bind(user.uuid())
    .fetch_optional(c)
    .await
    .map_err(db)?
    .ok_or(StoreError::NotFound)?;
    if get::<Option<uuid::Uuid>>(&row, "sign_in_state.user_id")?.is_none() {
        return Ok(SignInRecord::default());
    }
    Ok(SignInRecord {
        failures: num(&row, "sign_in_state.failures")?,
        first_failure_at: opt_ts(&row, "sign_in_state.first_failure_at")?,
        locked_until: opt_ts(&row, "sign_in_state.locked_until")?,
        totp_secret: get(&row, "sign_in_state.totp_secret")?,
        totp_last_step: opt_num(&row, "sign_in_state.totp_last_step")?,
        recovery_code_hashes: from_json(&row, "sign_in_state.recovery_code_hashes")?,
    })
}

pub(crate) async fn set_sign_in_record(c: &mut SqliteConnection, user: UserId, r: &SignInRecord) -> Result<()> {
    sqlx::query(
        "INSERT INTO sign_in_state (user_id, failures, first_failure_at, locked_until, totp_secret, totp_last_step,
                                    recovery_code_hashes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (user_id) DO UPDATE SET
            failures = excluded.failures, first_failure_at = excluded.first_failure_at,
            locked_until = excluded.locked_until, totp_secret = excluded.totp_secret,
            totp_last_step = excluded.totp_last_step, recovery_code_hashes = excluded.recovery_code_hashes",
    )
    .bind(user.uuid())
    .bind(i64::from(r.failures))
    .bind(r.first_failure_at.map(micros))
    .bind(r.locked_until.map(micros))
    .bind(r.totp_secret.as_deref())
    .bind(r.totp_last_step.map(|s| to_i64(s, "the TOTP step")).transpose()?)
    .bind(json(&r.recovery_code_hashes)?)
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn set_password_hash(c: &mut SqliteConnection, user: UserId, password_hash: &str) -> Result<()> {
    let done = sqlx::query("UPDATE users SET password_hash = ?2 WHERE id = ?1")
        .bind(user.uuid())
        .bind(password_hash)
        .execute(c)
        .await
        .map_err(db)?;
    one_row(done.rows_affected())
}

// --- Password resets ---

fn reset_from_row(row: &SqliteRow) -> Result<ResetRecord> {
    Ok(ResetRecord {
        token_hash: hash32(row, "password_resets.token_hash")?,
        user_id: id(row, "password_resets.user_id")?,
        created_by: opt_id(row, "password_resets.created_by")?,
        expires_at: ts(row, "password_resets.expires_at")?,
        used_at: opt_ts(row, "password_resets.used_at")?,
    })
}

pub(crate) async fn set_feed_token(
    c: &mut SqliteConnection,
    user: UserId,
    token_hash: &[u8; 32],
    at: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at",
    )
    .bind(user.uuid())
    .bind(&token_hash[..])
    .bind(micros(at))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn feed_user(c: &mut SqliteConnection, token_hash: &[u8; 32]) -> Result<UserId> {
    let row = sqlx::query("SELECT user_id FROM calendar_feeds WHERE token_hash = ?1")
        .bind(&token_hash[..])
        .fetch_optional(c)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound)?;
    id(&row, "calendar_feeds.user_id")
}

pub(crate) async fn insert_reset(c: &mut SqliteConnection, r: &ResetRecord) -> Result<()> {
    sqlx::query(
        "INSERT INTO password_resets (token_hash, user_id, created_by, expires_at, used_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .bind(&r.token_hash[..])
    .bind(r.user_id.uuid())
    .bind(r.created_by.map(UserId::uuid))
    .bind(micros(r.expires_at))
    .bind(r.used_at.map(micros))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn reset(c: &mut SqliteConnection, token_hash: &[u8; 32]) -> Result<ResetRecord> {
    let row = sqlx::query(
        "SELECT token_hash, user_id, created_by, expires_at, used_at FROM password_resets WHERE token_hash = ?1",
    )
    .bind(&token_hash[..])
    .fetch_optional(c)
    .await
    .map_err(db)?
    .ok_or(StoreError::NotFound)?;
    reset_from_row(&row)
}

pub(crate) async fn mark_reset_used(c: &mut SqliteConnection, token_hash: &[u8; 32], at: Timestamp) -> Result<()> {
    let done = sqlx::query("UPDATE password_resets SET used_at = ?2 WHERE token_hash = ?1 AND used_at IS NULL")
        .bind(&token_hash[..])
        .bind(micros(at))
        .execute(&mut *c)
        .await
        .map_err(db)?;
    if done.rows_affected() > 0 {
        return Ok(());
    }
    let exists = sqlx::query("SELECT 1 FROM password_resets WHERE token_hash = ?1")
        .bind(&token_hash[..])
        .fetch_optional(c)
        .await
        .map_err(db)?;
    Err(if exists.is_some() { StoreError::Conflict(Conflict::StaleRevision) } else { StoreError::NotFound })
}

pub(crate) async fn delete_user_resets(c: &mut SqliteConnection, user: UserId) -> Result<u64> {
    let done =
        sqlx::query("DELETE FROM password_resets WHERE user_id = ?1").bind(user.uuid()).execute(c).await.map_err(db)?;
    Ok(done.rows_affected())
}

// --- Audit log ---

macro_rules! audit_select {
    ($rest:literal) => {
        concat!(
            "SELECT seq, at, actor_id, action, record_kind, record_id, case_id, client, route, prev_hash, hash \
             FROM audit_log ",
            $rest
        )
    };
}

fn entry_from_row(row: &SqliteRow) -> Result<AuditEntry> {
    let action: String = get(row, "audit_log.action")?;
    Ok(AuditEntry {
        seq: num(row, "audit_log.seq")?,
        event: AuditEvent {
            at: ts(row, "audit_log.at")?,
            actor: opt_id(row, "audit_log.actor_id")?,
            action: AuditAction::from_code(&action)
                .ok_or_else(|| StoreError::corrupt("audit_log.action", "unknown code"))?,
            record_kind: get(row, "audit_log.record_kind")?,
            record_id: get(row, "audit_log.record_id")?,
            case_id: opt_id(row, "audit_log.case_id")?,
            from: get(row, "audit_log.client")?,
            route: get(row, "audit_log.route")?,
        },
        prev_hash: ChainHash(hash32(row, "audit_log.prev_hash")?),
        hash: ChainHash(hash32(row, "audit_log.hash")?),
    })
}

pub(crate) async fn audit_head(c: &mut SqliteConnection) -> Result<Option<(u64, ChainHash)>> {
    let row =
        sqlx::query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetch_optional(c).await.map_err(db)?;
    row.map(|r| Ok((num(&r, "audit_log.seq")?, ChainHash(hash32(&r, "audit_log.hash")?)))).transpose()
}

pub(crate) async fn append_audit(c: &mut SqliteConnection, events: &[AuditEvent]) -> Result<Vec<AuditEntry>> {
    if events.is_empty() {
        return Ok(Vec::new());
    }
    // Serialised by BEGIN IMMEDIATE: nobody else appends until this transaction ends.
    let mut head = audit_head(&mut *c).await?;
    let mut out = Vec::with_capacity(events.len());
    for e in events {
        let mut event = e.clone();
        event.at = whole_micros(event.at);
        let entry = AuditEntry::next(head, event);
        let ev = &entry.event;
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor_id, action, record_kind, record_id, case_id, client, route,
                                    prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )
        .bind(to_i64(entry.seq, "the audit position")?)
        .bind(micros(ev.at))
        .bind(ev.actor.map(UserId::uuid))
        .bind(ev.action.code())
        .bind(ev.record_kind.as_str())
        .bind(ev.record_id)
        .bind(ev.case_id.map(CaseId::uuid))
        .bind(ev.from.as_deref())
        .bind(ev.route.as_deref())
        .bind(&entry.prev_hash.0[..])
        .bind(&entry.hash.0[..])
        .execute(&mut *c)
        .await
        .map_err(db)?;
        head = Some((entry.seq, entry.hash));
        out.push(entry);
    }
    Ok(out)
}

/// An instant cut to whole microseconds, as it is stored and hashed.
fn whole_micros(t: Timestamp) -> Timestamp {
    Timestamp::from_microsecond(t.as_microsecond()).unwrap_or(t)
}

pub(crate) async fn audit_entries(c: &mut SqliteConnection, after_seq: u64, n: u32) -> Result<Vec<AuditEntry>> {
    let rows = sqlx::query(audit_select!("WHERE seq > ?1 ORDER BY seq LIMIT ?2"))
        .bind(i64::try_from(after_seq).unwrap_or(i64::MAX))
        .bind(limit(n))
        .fetch_all(c)
        .await
        .map_err(db)?;
    rows.iter().map(entry_from_row).collect()
}

pub(crate) async fn audit_for_case(
    c: &mut SqliteConnection,
    case: CaseId,
    before_seq: Option<u64>,
    n: u32,
) -> Result<Vec<AuditEntry>> {
    let sql = audit_select!("WHERE case_id = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT ?3");
    audit_newest_first(c, sql, case.uuid(), before_seq, n).await
}

pub(crate) async fn audit_for_actor(
    c: &mut SqliteConnection,
    user: UserId,
    before_seq: Option<u64>,
    n: u32,
) -> Result<Vec<AuditEntry>> {
    let sql = audit_select!("WHERE actor_id = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT ?3");
    audit_newest_first(c, sql, user.uuid(), before_seq, n).await
}

async fn audit_newest_first(
    c: &mut SqliteConnection,
    sql: &'static str,
    id: uuid::Uuid,
    before_seq: Option<u64>,
    n: u32,
) -> Result<Vec<AuditEntry>> {
    let before = before_seq.map_or(i64::MAX, |s| i64::try_from(s).unwrap_or(i64::MAX));
    let rows = sqlx::query(sql).bind(id).bind(before).bind(limit(n)).fetch_all(c).await.map_err(db)?;
    rows.iter().map(entry_from_row).collect()
}

// --- Erasure ---

pub(crate) async fn closed_cases_before(c: &mut SqliteConnection, before: Date, n: u32) -> Result<Vec<CaseId>> {
    let ids: Vec<uuid::Uuid> = sqlx::query_scalar(
        "SELECT id FROM cases WHERE closed_on IS NOT NULL AND closed_on < ?1 ORDER BY closed_on, id LIMIT ?2",
    )
    .bind(day(before))
    .bind(limit(n))
    .fetch_all(c)
    .await
    .map_err(db)?;
    Ok(ids.into_iter().map(CaseId::from).collect())
}

/// Everything held about a case, children before parents. Each statement
/// names the case as `?1`. Accounts go first (their sessions, sign-in state
/// and reset tokens with them), because they refer to the family members and
/// the case.
const ERASE: &[&str] = &[
    "DELETE FROM users WHERE case_id = ?1 OR family_member_id IN (SELECT id FROM family_members WHERE case_id = ?1)",
    "DELETE FROM time_entries WHERE referral_id IN (SELECT id FROM referrals WHERE case_id = ?1)",
    "DELETE FROM journal_entries WHERE case_id = ?1",
    "DELETE FROM outbox_messages WHERE case_id = ?1",
    "DELETE FROM document_versions WHERE document_id IN (SELECT id FROM documents WHERE case_id = ?1)",
    "DELETE FROM documents WHERE case_id = ?1",
    "DELETE FROM appointments WHERE case_id = ?1",
    "DELETE FROM consents WHERE case_id = ?1",
    "DELETE FROM action_plans WHERE case_id = ?1",
    "DELETE FROM focus_areas WHERE case_id = ?1",
    "DELETE FROM committee_decisions WHERE case_id = ?1",
    "DELETE FROM visitation_suspensions WHERE case_id = ?1",
    "DELETE FROM referrals WHERE case_id = ?1",
    "DELETE FROM family_members WHERE case_id = ?1",
    "DELETE FROM cases WHERE id = ?1",
];

pub(crate) async fn erase_case(
    c: &mut SqliteConnection,
    case: CaseId,
    at: Timestamp,
    by: Option<UserId>,
) -> Result<()> {
    let closed_on: Option<String> = sqlx::query_scalar("SELECT closed_on FROM cases WHERE id = ?1")
        .bind(case.uuid())
        .fetch_optional(&mut *c)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound)?;
    if closed_on.is_none() {
        return Err(StoreError::Conflict(Conflict::InUse));
    }
    // First, so that the triggers let what was sent go.
    sqlx::query("INSERT INTO case_erasures (case_id, erased_at, erased_by) VALUES (?1, ?2, ?3)")
        .bind(case.uuid())
        .bind(micros(at))
        .bind(by.map(UserId::uuid))
        .execute(&mut *c)
        .await
        .map_err(db)?;
    for &sql in ERASE {
        sqlx::query(sql).bind(case.uuid()).execute(&mut *c).await.map_err(crate::error::on_delete)?;
    }
    Ok(())
}

pub(crate) async fn case_erasure(c: &mut SqliteConnection, case: CaseId) -> Result<CaseErasure> {
    let row = sqlx::query("SELECT case_id, erased_at, erased_by FROM case_erasures WHERE case_id = ?1")
        .bind(case.uuid())
        .fetch_optional(c)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound)?;
    Ok(CaseErasure {
        case_id: id(&row, "case_erasures.case_id")?,
        erased_at: ts(&row, "case_erasures.erased_at")?,
        erased_by: opt_id(&row, "case_erasures.erased_by")?,
    })
}
