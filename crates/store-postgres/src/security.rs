//! Sessions, sign-in state, reset tokens, the audit log and the erasure of cases.
//!
//! Appending to the audit log takes the one row of `audit_head` `FOR UPDATE`
//! (see migration 3 for why not the newest row of `audit_log`), so appenders
//! on every connection and instance are serialised until they end, and the
//! numbering has no gaps. In a read transaction (`READ ONLY`) the lock is
//! refused with SQLSTATE 25006 before anything is written.

use crate::encode::*;
use jiff::Timestamp;
use jiff::civil::Date;
use samvirke_domain::audit::{AuditAction, AuditEntry, AuditEvent, ChainHash};
use samvirke_domain::*;
use samvirke_store::{CaseErasure, Conflict, Page, ResetRecord, Result, SessionRecord, SignInRecord, StoreError};
use sqlx::postgres::{PgConnection, PgRow};

/// A 32-byte hash column.
fn hash32(row: &PgRow, col: &'static str) -> Result<[u8; 32]> {
    let bytes: Vec<u8> = get(row, col)?;
    bytes.try_into().map_err(|_| StoreError::corrupt(col, "not 32 bytes"))
}

/// A u64 for a bigint column.
fn to_i64(v: u64, what: &'static str) -> Result<i64> {
    i64::try_from(v).map_err(|_| StoreError::Backend(Box::new(Message(what))))
}

/// A bigint column holding a u64.
fn u64_(row: &PgRow, col: &'static str) -> Result<u64> {
    u64::try_from(get::<i64>(row, col)?).map_err(|_| StoreError::corrupt(col, "out of range"))
}

fn limit(limit: u32) -> i64 {
    i64::from(limit.clamp(1, Page::MAX))
}

fn one_row(result: sqlx::postgres::PgQueryResult) -> Result<()> {
    expect_one(result)
}

// --- Sessions ---

macro_rules! session_sql {
    ($rest:literal) => {
        concat!(
            "SELECT token_hash, user_id, created_at, last_seen_at, second_factor_verified, csrf_hash, client \
             FROM sessions ",
            $rest
        )
    };
}

fn session_from_row(r: &PgRow) -> Result<SessionRecord> {
    Ok(SessionRecord {
        token_hash: hash32(r, "sessions.token_hash")?,
        user_id: id(r, "sessions.user_id")?,
        created_at: timestamp(r, "sessions.created_at")?,
        last_seen_at: timestamp(r, "sessions.last_seen_at")?,
        second_factor_verified: get(r, "sessions.second_factor_verified")?,
        csrf_hash: hash32(r, "sessions.csrf_hash")?,
        client: get(r, "sessions.client")?,
    })
}

pub(crate) async fn insert_session(c: &mut PgConnection, s: &SessionRecord) -> Result<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, second_factor_verified, csrf_hash, \
         client) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&s.token_hash[..])
    .bind(s.user_id.0)
    .bind(ts(s.created_at))
    .bind(ts(s.last_seen_at))
    .bind(s.second_factor_verified)
    .bind(&s.csrf_hash[..])
    .bind(s.client.as_deref())
    .execute(c)
    .await
    .map_err(err)?;
    Ok(())
}

pub(crate) async fn session(c: &mut PgConnection, token_hash: &[u8; 32]) -> Result<SessionRecord> {
    let row =
        sqlx::query(session_sql!("WHERE token_hash = $1")).bind(&token_hash[..]).fetch_one(c).await.map_err(err)?;
    session_from_row(&row)
}

pub(crate) async fn update_session(c: &mut PgConnection, s: &SessionRecord) -> Result<()> {
    let done = sqlx::query(
        "UPDATE sessions SET last_seen_at = $2, second_factor_verified = $3, csrf_hash = $4 WHERE token_hash = $1",
    )
    .bind(&s.token_hash[..])
    .bind(ts(s.last_seen_at))
    .bind(s.second_factor_verified)
    .bind(&s.csrf_hash[..])
    .execute(c)
    .await
    .map_err(err)?;
    one_row(done)
}

pub(crate) async fn delete_session(c: &mut PgConnection, token_hash: &[u8; 32]) -> Result<()> {
    let done = sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(&token_hash[..])
        .execute(c)
        .await
        .map_err(err)?;
    one_row(done)
}

pub(crate) async fn delete_user_sessions(c: &mut PgConnection, user: UserId) -> Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user.0).execute(c).await.map_err(err)?;
    Ok(done.rows_affected())
}

pub(crate) async fn delete_sessions_before(
    c: &mut PgConnection,
    last_seen_before: Timestamp,
    created_before: Timestamp,
) -> Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
        .bind(ts(last_seen_before))
        .bind(ts(created_before))
        .execute(c)
        .await
        .map_err(err)?;
    Ok(done.rows_affected())
}

// --- Sign-in state ---

/// In a write transaction the account's row is first held `FOR NO KEY UPDATE`
/// until the transaction ends, so that two instances cannot both read four
/// failures and both let a fifth guess through. (`NO KEY`: sessions may still
/// be inserted for the account meanwhile.) The state is then read by a
/// statement of its own: under READ COMMITTED it takes a snapshot after the
/// lock was granted, and so sees what the transaction that held the lock
/// wrote, a first row of `sign_in_state` included; a locking read joined to
/// the state would re-check only the locked row and miss that row. A read-only
/// transaction cannot lock, and reads its snapshot.
pub(crate) async fn sign_in_record(c: &mut PgConnection, user: UserId, lock: bool) -> Result<SignInRecord> {
    if lock {
        sqlx::query("SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE")
            .bind(user.0)
            .fetch_one(&mut *c)
            .await
            .map_err(err)?;
    }
    let row = sqlx::query(
        "SELECT s.user_id AS state_of, s.failures, s.first_failure_at, s.locked_until, s.totp_secret, \
         s.totp_last_step, s.recovery_code_hashes \
         FROM users u LEFT JOIN sign_in_state s ON s.user_id = u.id WHERE u.id = $1",
    )
    .bind(user.0)
    .fetch_one(c)
    .await
    .map_err(err)?;
    if get::<Option<uuid::Uuid>>(&row, "sign_in_state.state_of")?.is_none() {
        return Ok(SignInRecord::default());
    }
    let step: Option<i64> = get(&row, "sign_in_state.totp_last_step")?;
    Ok(SignInRecord {
        failures: u32_(&row, "sign_in_state.failures")?,
        first_failure_at: timestamp_opt(&row, "sign_in_state.first_failure_at")?,
        locked_until: timestamp_opt(&row, "sign_in_state.locked_until")?,
        totp_secret: get(&row, "sign_in_state.totp_secret")?,
        totp_last_step: step
            .map(|s| u64::try_from(s).map_err(|_| StoreError::corrupt("sign_in_state.totp_last_step", "out of range")))
            .transpose()?,
        recovery_code_hashes: get(&row, "sign_in_state.recovery_code_hashes")?,
    })
}

pub(crate) async fn set_sign_in_record(c: &mut PgConnection, user: UserId, r: &SignInRecord) -> Result<()> {
    sqlx::query(
        "INSERT INTO sign_in_state (user_id, failures, first_failure_at, locked_until, totp_secret, totp_last_step, \
         recovery_code_hashes) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (user_id) DO UPDATE SET failures = EXCLUDED.failures, \
         first_failure_at = EXCLUDED.first_failure_at, locked_until = EXCLUDED.locked_until, \
         totp_secret = EXCLUDED.totp_secret, totp_last_step = EXCLUDED.totp_last_step, \
         recovery_code_hashes = EXCLUDED.recovery_code_hashes",
    )
    .bind(user.0)
    .bind(i64::from(r.failures))
    .bind(r.first_failure_at.map(ts))
    .bind(r.locked_until.map(ts))
    .bind(r.totp_secret.as_deref())
    .bind(r.totp_last_step.map(|s| to_i64(s, "the TOTP step is too large to store")).transpose()?)
    .bind(&r.recovery_code_hashes)
    .execute(c)
    .await
    .map_err(err)?;
    Ok(())
}

pub(crate) async fn set_password_hash(c: &mut PgConnection, user: UserId, password_hash: &str) -> Result<()> {
    let done = sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
        .bind(user.0)
        .bind(password_hash)
        .execute(c)
        .await
        .map_err(err)?;
    one_row(done)
}

// --- Password resets ---

fn reset_from_row(r: &PgRow) -> Result<ResetRecord> {
    Ok(ResetRecord {
        token_hash: hash32(r, "password_resets.token_hash")?,
        user_id: id(r, "password_resets.user_id")?,
        created_by: id_opt(r, "password_resets.created_by")?,
        expires_at: timestamp(r, "password_resets.expires_at")?,
        used_at: timestamp_opt(r, "password_resets.used_at")?,
    })
}

pub(crate) async fn set_feed_token(
    c: &mut PgConnection,
    user: UserId,
    token_hash: &[u8; 32],
    at: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = EXCLUDED.created_at",
    )
    .bind(user.0)
    .bind(&token_hash[..])
    .bind(ts(at))
    .execute(c)
    .await
    .map_err(err)?;
    Ok(())
}

pub(crate) async fn feed_user(c: &mut PgConnection, token_hash: &[u8; 32]) -> Result<UserId> {
    let user: uuid::Uuid = sqlx::query_scalar("SELECT user_id FROM calendar_feeds WHERE token_hash = $1")
        .bind(&token_hash[..])
        .fetch_one(c)
        .await
        .map_err(err)?;
    Ok(UserId(user))
}

pub(crate) async fn insert_reset(c: &mut PgConnection, r: &ResetRecord) -> Result<()> {
    sqlx::query(
        "INSERT INTO password_resets (token_hash, user_id, created_by, expires_at, used_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&r.token_hash[..])
    .bind(r.user_id.0)
    .bind(r.created_by.map(|u| u.0))
    .bind(ts(r.expires_at))
    .bind(r.used_at.map(ts))
    .execute(c)
    .await
    .map_err(err)?;
    Ok(())
}

pub(crate) async fn reset(c: &mut PgConnection, token_hash: &[u8; 32]) -> Result<ResetRecord> {
    let row = sqlx::query(
        "SELECT token_hash, user_id, created_by, expires_at, used_at FROM password_resets WHERE token_hash = $1",
    )
    .bind(&token_hash[..])
    .fetch_one(c)
    .await
    .map_err(err)?;
    reset_from_row(&row)
}

/// The conditional update makes a token work once even when the link is
/// opened twice at once: the second update waits for the first's row lock,
/// then finds `used_at` set (READ COMMITTED re-checks the row) and touches
/// nothing.
pub(crate) async fn mark_reset_used(c: &mut PgConnection, token_hash: &[u8; 32], at: Timestamp) -> Result<()> {
    let done = sqlx::query("UPDATE password_resets SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL")
        .bind(&token_hash[..])
        .bind(ts(at))
        .execute(&mut *c)
        .await
        .map_err(err)?;
    if done.rows_affected() > 0 {
        return Ok(());
    }
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM password_resets WHERE token_hash = $1)")
        .bind(&token_hash[..])
        .fetch_one(c)
        .await
        .map_err(err)?;
    Err(if exists { StoreError::Conflict(Conflict::StaleRevision) } else { StoreError::NotFound })
}

pub(crate) async fn delete_user_resets(c: &mut PgConnection, user: UserId) -> Result<u64> {
    let done =
        sqlx::query("DELETE FROM password_resets WHERE user_id = $1").bind(user.0).execute(c).await.map_err(err)?;
    Ok(done.rows_affected())
}

// --- Audit log ---

macro_rules! audit_sql {
    ($rest:literal) => {
        concat!(
            "SELECT seq, at, actor_id, action, record_kind, record_id, case_id, client, route, prev_hash, hash \
             FROM audit_log ",
            $rest
        )
    };
}

fn entry_from_row(r: &PgRow) -> Result<AuditEntry> {
    let action: String = get(r, "audit_log.action")?;
    Ok(AuditEntry {
        seq: u64_(r, "audit_log.seq")?,
        event: AuditEvent {
            at: timestamp(r, "audit_log.at")?,
            actor: id_opt(r, "audit_log.actor_id")?,
            action: AuditAction::from_code(&action)
                .ok_or_else(|| StoreError::corrupt("audit_log.action", "unknown code"))?,
            record_kind: get(r, "audit_log.record_kind")?,
            record_id: get(r, "audit_log.record_id")?,
            case_id: id_opt(r, "audit_log.case_id")?,
            from: get(r, "audit_log.client")?,
            route: get(r, "audit_log.route")?,
        },
        prev_hash: ChainHash(hash32(r, "audit_log.prev_hash")?),
        hash: ChainHash(hash32(r, "audit_log.hash")?),
    })
}

pub(crate) async fn append_audit(c: &mut PgConnection, events: &[AuditEvent]) -> Result<Vec<AuditEntry>> {
    if events.is_empty() {
        return Ok(Vec::new());
    }
    // Held until this transaction ends: the next appender waits here, and then
    // reads the head this one leaves.
    let row =
        sqlx::query("SELECT seq, hash FROM audit_head WHERE id FOR UPDATE").fetch_one(&mut *c).await.map_err(err)?;
    let seq = u64_(&row, "audit_head.seq")?;
    let mut head = (seq > 0).then_some((seq, ChainHash(hash32(&row, "audit_head.hash")?)));
    let mut out = Vec::with_capacity(events.len());
    for e in events {
        let mut event = e.clone();
        event.at = Timestamp::from_microsecond(event.at.as_microsecond()).unwrap_or(event.at);
        let entry = AuditEntry::next(head, event);
        let ev = &entry.event;
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor_id, action, record_kind, record_id, case_id, client, route, \
             prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(to_i64(entry.seq, "the audit position is too large to store")?)
        .bind(ts(ev.at))
        .bind(ev.actor.map(|a| a.0))
        .bind(ev.action.code())
        .bind(ev.record_kind.as_str())
        .bind(ev.record_id)
        .bind(ev.case_id.map(|k| k.0))
        .bind(ev.from.as_deref())
        .bind(ev.route.as_deref())
        .bind(&entry.prev_hash.0[..])
        .bind(&entry.hash.0[..])
        .execute(&mut *c)
        .await
        .map_err(err)?;
        head = Some((entry.seq, entry.hash));
        out.push(entry);
    }
    let (seq, hash) = head.expect("at least one entry was appended");
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id")
        .bind(to_i64(seq, "the audit position is too large to store")?)
        .bind(&hash.0[..])
        .execute(&mut *c)
        .await
        .map_err(err)?;
    Ok(out)
}

pub(crate) async fn audit_head(c: &mut PgConnection) -> Result<Option<(u64, ChainHash)>> {
    let row = sqlx::query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        .fetch_optional(c)
        .await
        .map_err(err)?;
    row.map(|r| Ok((u64_(&r, "audit_log.seq")?, ChainHash(hash32(&r, "audit_log.hash")?)))).transpose()
}

pub(crate) async fn audit_entries(c: &mut PgConnection, after_seq: u64, n: u32) -> Result<Vec<AuditEntry>> {
    let rows = sqlx::query(audit_sql!("WHERE seq > $1 ORDER BY seq LIMIT $2"))
        .bind(i64::try_from(after_seq).unwrap_or(i64::MAX))
        .bind(limit(n))
        .fetch_all(c)
        .await
        .map_err(err)?;
    rows.iter().map(entry_from_row).collect()
}

pub(crate) async fn audit_for_case(
    c: &mut PgConnection,
    case: CaseId,
    before_seq: Option<u64>,
    n: u32,
) -> Result<Vec<AuditEntry>> {
    let sql = audit_sql!("WHERE case_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3");
    newest_first(c, sql, case.0, before_seq, n).await
}

pub(crate) async fn audit_for_actor(
    c: &mut PgConnection,
    user: UserId,
    before_seq: Option<u64>,
    n: u32,
) -> Result<Vec<AuditEntry>> {
    let sql = audit_sql!("WHERE actor_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3");
    newest_first(c, sql, user.0, before_seq, n).await
}

async fn newest_first(
    c: &mut PgConnection,
    sql: &'static str,
    id: uuid::Uuid,
    before_seq: Option<u64>,
    n: u32,
) -> Result<Vec<AuditEntry>> {
    let before = before_seq.map_or(i64::MAX, |s| i64::try_from(s).unwrap_or(i64::MAX));
    let rows = sqlx::query(sql).bind(id).bind(before).bind(limit(n)).fetch_all(c).await.map_err(err)?;
    rows.iter().map(entry_from_row).collect()
}

// --- Erasure ---

pub(crate) async fn closed_cases_before(c: &mut PgConnection, before: Date, n: u32) -> Result<Vec<CaseId>> {
    let ids: Vec<uuid::Uuid> = sqlx::query_scalar(
        "SELECT id FROM cases WHERE closed_on IS NOT NULL AND closed_on < $1 ORDER BY closed_on, id LIMIT $2",
    )
    .bind(date(before))
    .bind(limit(n))
    .fetch_all(c)
    .await
    .map_err(err)?;
    Ok(ids.into_iter().map(CaseId::from).collect())
}

/// Everything held about a case, children before parents; each statement
/// names the case as `$1`. Accounts go first (their sessions, sign-in state
/// and reset tokens with them), because they refer to the family members and
/// the case.
const ERASE: &[&str] = &[
    "DELETE FROM users WHERE subject_case_id = $1 \
     OR subject_family_member_id IN (SELECT id FROM family_members WHERE case_id = $1)",
    "DELETE FROM time_entries WHERE referral_id IN (SELECT id FROM referrals WHERE case_id = $1)",
    "DELETE FROM journal_entries WHERE case_id = $1",
    "DELETE FROM outbox_messages WHERE case_id = $1",
    "DELETE FROM document_versions WHERE document_id IN (SELECT id FROM documents WHERE case_id = $1)",
    "DELETE FROM documents WHERE case_id = $1",
    "DELETE FROM appointments WHERE case_id = $1",
    "DELETE FROM consents WHERE case_id = $1",
    "DELETE FROM action_plans WHERE case_id = $1",
    "DELETE FROM focus_areas WHERE case_id = $1",
    "DELETE FROM committee_decisions WHERE case_id = $1",
    "DELETE FROM visitation_suspensions WHERE case_id = $1",
    "DELETE FROM referrals WHERE case_id = $1",
    "DELETE FROM family_members WHERE case_id = $1",
    "DELETE FROM cases WHERE id = $1",
];

pub(crate) async fn erase_case(c: &mut PgConnection, case: CaseId, at: Timestamp, by: Option<UserId>) -> Result<()> {
    // The case's row is held until the end: nobody reopens it, and a record
    // added to it meanwhile (its foreign key waits for this lock) fails once
    // the case is gone rather than being left behind.
    let row = sqlx::query("SELECT closed_on FROM cases WHERE id = $1 FOR UPDATE")
        .bind(case.0)
        .fetch_one(&mut *c)
        .await
        .map_err(err)?;
    if day_opt(&row, "cases.closed_on")?.is_none() {
        return Err(StoreError::Conflict(Conflict::InUse));
    }
    // First, so that the triggers let what was sent go.
    sqlx::query("INSERT INTO case_erasures (case_id, erased_at, erased_by) VALUES ($1, $2, $3)")
        .bind(case.0)
        .bind(ts(at))
        .bind(by.map(|u| u.0))
        .execute(&mut *c)
        .await
        .map_err(err)?;
    for &sql in ERASE {
        sqlx::query(sql).bind(case.0).execute(&mut *c).await.map_err(|e| in_use_on_fk(err(e)))?;
    }
    Ok(())
}

pub(crate) async fn case_erasure(c: &mut PgConnection, case: CaseId) -> Result<CaseErasure> {
    let row = sqlx::query("SELECT case_id, erased_at, erased_by FROM case_erasures WHERE case_id = $1")
        .bind(case.0)
        .fetch_one(c)
        .await
        .map_err(err)?;
    Ok(CaseErasure {
        case_id: id(&row, "case_erasures.case_id")?,
        erased_at: timestamp(&row, "case_erasures.erased_at")?,
        erased_by: id_opt(&row, "case_erasures.erased_by")?,
    })
}
