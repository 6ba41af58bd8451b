//! Stories of sessions, sign-in state, reset tokens, the audit log and erasure.

use super::fixtures::*;
use super::tx;
use crate::*;
use jiff::ToSpan;
use jiff::civil::date;
use samvirke_domain::appointment::*;
use samvirke_domain::audit::{AuditAction, AuditEntry, AuditEvent, ChainHash, ChainVerifier};
use samvirke_domain::case::*;
use samvirke_domain::catalogue::Intervention;
use samvirke_domain::consent::*;
use samvirke_domain::document::*;
use samvirke_domain::plan::*;
use samvirke_domain::referral::*;
use samvirke_domain::time::*;
use samvirke_domain::time_entry::*;
use samvirke_domain::user::*;

/// A hash that differs per `n`.
fn hash(n: u8) -> [u8; 32] {
    let mut h = [n; 32];
    h[0] = 0xa5;
    h
}

/// A session begun at `created` and last seen at `last_seen`.
fn session(user: UserId, n: u8, created: &str, last_seen: &str) -> SessionRecord {
    SessionRecord {
        token_hash: hash(n),
        user_id: user,
        created_at: ts(created),
        last_seen_at: ts(last_seen),
        second_factor_verified: false,
        csrf_hash: hash(n.wrapping_add(100)),
        client: Some("192.0.2.1".into()),
    }
}

/// The world and two staff accounts: the coordinator's and the practitioner's.
async fn staff_accounts(store: &dyn Store) -> (World, User, User) {
    let w = World::create(store).await;
    let a = user(
        "birgitte",
        Role::Staff(samvirke_domain::organisation::StaffRole::Coordinator),
        Subject::Staff(w.coordinator.id),
    );
    let b = user(
        "mads",
        Role::Staff(samvirke_domain::organisation::StaffRole::Practitioner),
        Subject::Staff(w.practitioner.id),
    );
    let mut t = tx(store).await;
    t.insert_user(&a, "$argon2id$a").await.unwrap();
    t.insert_user(&b, "$argon2id$b").await.unwrap();
    t.commit().await.unwrap();
    (w, a, b)
}

fn seqs(entries: &[AuditEntry]) -> Vec<u64> {
    entries.iter().map(|e| e.seq).collect()
}

/// The chain `AuditEntry::next` makes of the events, from the start of the log.
fn chain(events: impl IntoIterator<Item = AuditEvent>) -> Vec<AuditEntry> {
    let mut out: Vec<AuditEntry> = Vec::new();
    for e in events {
        let prev = out.last().map(|p| (p.seq, p.hash));
        out.push(AuditEntry::next(prev, e));
    }
    out
}

/// Reads the whole log page by page and verifies it.
async fn verify_log(store: &dyn Store) -> (u64, Option<(u64, ChainHash)>) {
    let mut r = store.begin_read().await.unwrap();
    let mut v = ChainVerifier::new();
    let mut after = 0;
    loop {
        let page = r.audit_entries(after, 2).await.unwrap();
        let Some(last) = page.last() else { break };
        after = last.seq;
        for e in &page {
            v.push(e).unwrap_or_else(|b| panic!("the chain breaks: {b}"));
        }
    }
    v.finish().unwrap()
}

/// Sessions are stored by token hash and read back exactly; an update changes
/// only what may change; a session ends one at a time.
pub async fn sessions_round_trip_and_end_one_by_one(store: &dyn Store) {
    let (_w, a, b) = staff_accounts(store).await;
    let s1 = session(a.id, 1, "2026-03-02T08:00:00.000001Z", "2026-03-02T08:10:00Z");
    let mut s2 = session(a.id, 2, "2026-03-02T09:00:00Z", "2026-03-02T09:00:00Z");
    s2.client = None;
    s2.second_factor_verified = true;
    let s3 = session(b.id, 3, "2026-03-02T09:30:00Z", "2026-03-02T09:30:00Z");
    let mut t = tx(store).await;
    for s in [&s1, &s2, &s3] {
        t.insert_session(s).await.unwrap();
    }
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    for s in [&s1, &s2, &s3] {
        assert_eq!(&r.session(&s.token_hash).await.unwrap(), s);
    }
    assert!(matches!(r.session(&hash(9)).await, Err(StoreError::NotFound)));
    drop(r);

    // After the second factor: verified, a new CSRF token, seen later. The
    // user, start and client are fixed at insert.
    let mut t = tx(store).await;
    let mut changed = s1.clone();
    changed.second_factor_verified = true;
    changed.csrf_hash = hash(42);
    changed.last_seen_at = ts("2026-03-02T08:12:00.000002Z");
    let mut attempt = changed.clone();
    attempt.user_id = b.id;
    attempt.created_at = ts("2026-03-02T08:11:00Z");
    attempt.client = Some("198.51.100.7".into());
    t.update_session(&attempt).await.unwrap();
    assert!(matches!(
        t.update_session(&session(a.id, 9, "2026-03-02T08:00:00Z", "2026-03-02T08:00:00Z")).await,
        Err(StoreError::NotFound)
    ));
    t.delete_session(&s2.token_hash).await.unwrap();
    assert!(matches!(t.delete_session(&s2.token_hash).await, Err(StoreError::NotFound)), "already ended");
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.session(&s1.token_hash).await.unwrap(), changed);
    assert!(matches!(r.session(&s2.token_hash).await, Err(StoreError::NotFound)));
    assert_eq!(r.session(&s3.token_hash).await.unwrap(), s3);
    drop(r);

    let mut t = tx(store).await;
    assert!(t.insert_session(&s1).await.unwrap_err().is_conflict(Conflict::Duplicate));
    drop(t);
    let mut t = tx(store).await;
    let orphan = session(UserId::new(), 7, "2026-03-02T08:00:00Z", "2026-03-02T08:00:00Z");
    assert!(t.insert_session(&orphan).await.unwrap_err().is_conflict(Conflict::MissingReference));
}

/// Signing out everywhere ends every session of the account and no one else's.
pub async fn signing_out_everywhere_ends_every_session_of_the_user(store: &dyn Store) {
    let (_w, a, b) = staff_accounts(store).await;
    let mine = [
        session(a.id, 1, "2026-03-02T08:00:00Z", "2026-03-02T08:00:00Z"),
        session(a.id, 2, "2026-03-02T09:00:00Z", "2026-03-02T09:00:00Z"),
        session(a.id, 3, "2026-03-02T10:00:00Z", "2026-03-02T10:00:00Z"),
    ];
    let theirs = session(b.id, 4, "2026-03-02T08:00:00Z", "2026-03-02T08:00:00Z");
    let mut t = tx(store).await;
    for s in mine.iter().chain([&theirs]) {
        t.insert_session(s).await.unwrap();
    }
    t.commit().await.unwrap();

    let mut t = tx(store).await;
    assert_eq!(t.delete_user_sessions(a.id).await.unwrap(), 3);
    assert_eq!(t.delete_user_sessions(a.id).await.unwrap(), 0);
    assert_eq!(t.delete_user_sessions(UserId::new()).await.unwrap(), 0);
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    for s in &mine {
        assert!(matches!(r.session(&s.token_hash).await, Err(StoreError::NotFound)));
    }
    assert_eq!(r.session(&theirs.token_hash).await.unwrap(), theirs);
}

/// Ended sessions are removed by time: idle ones by when they were last seen,
/// old ones by when they began, each strictly before the given moment.
pub async fn ended_sessions_are_cleaned_up_by_time(store: &dyn Store) {
    let (_w, a, b) = staff_accounts(store).await;
    // Cleanup at 12:00 with a 30-minute idle and a 12-hour absolute timeout.
    let idle = session(a.id, 1, "2026-03-02T10:00:00Z", "2026-03-02T11:29:59.999999Z");
    let at_idle_edge = session(a.id, 2, "2026-03-02T10:00:00Z", "2026-03-02T11:30:00Z");
    let too_old = session(b.id, 3, "2026-03-01T23:59:59Z", "2026-03-02T11:59:00Z");
    let at_age_edge = session(b.id, 4, "2026-03-02T00:00:00Z", "2026-03-02T11:59:00Z");
    let fresh = session(b.id, 5, "2026-03-02T11:00:00Z", "2026-03-02T11:58:00Z");
    let mut t = tx(store).await;
    for s in [&idle, &at_idle_edge, &too_old, &at_age_edge, &fresh] {
        t.insert_session(s).await.unwrap();
    }
    t.commit().await.unwrap();

    let mut t = tx(store).await;
    let removed = t.delete_sessions_before(ts("2026-03-02T11:30:00Z"), ts("2026-03-02T00:00:00Z")).await.unwrap();
    assert_eq!(removed, 2);
    assert_eq!(t.delete_sessions_before(ts("2026-03-02T11:30:00Z"), ts("2026-03-02T00:00:00Z")).await.unwrap(), 0);
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    for gone in [&idle, &too_old] {
        assert!(matches!(r.session(&gone.token_hash).await, Err(StoreError::NotFound)));
    }
    for kept in [&at_idle_edge, &at_age_edge, &fresh] {
        assert_eq!(&r.session(&kept.token_hash).await.unwrap(), kept);
    }
}

/// An account's sign-in state is the default until set, then replaced whole;
/// the password hash is replaced on its own.
pub async fn the_sign_in_record_defaults_until_set_and_is_replaced_whole(store: &dyn Store) {
    let (_w, a, b) = staff_accounts(store).await;
    let mut t = tx(store).await;
    assert_eq!(t.sign_in_record(a.id).await.unwrap(), SignInRecord::default());
    assert!(matches!(t.sign_in_record(UserId::new()).await, Err(StoreError::NotFound)));
    drop(t);
    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.sign_in_record(a.id).await.unwrap(), SignInRecord::default(), "also in a read transaction");
    drop(r);

    let full = SignInRecord {
        failures: 4,
        first_failure_at: Some(ts("2026-03-02T08:00:00.000001Z")),
        locked_until: Some(ts("2026-03-02T08:15:00Z")),
        totp_secret: Some((0u8..=255).collect()),
        totp_last_step: Some(59_000_000),
        recovery_code_hashes: (0..10).map(|i| format!("salt{i}$hash{i}")).collect(),
    };
    let mut t = tx(store).await;
    t.set_sign_in_record(a.id, &full).await.unwrap();
    t.set_password_hash(a.id, "$argon2id$new").await.unwrap();
    assert!(matches!(t.set_password_hash(UserId::new(), "$argon2id$x").await, Err(StoreError::NotFound)));
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.sign_in_record(a.id).await.unwrap(), full);
    assert_eq!(r.sign_in_record(b.id).await.unwrap(), SignInRecord::default(), "per account");
    assert_eq!(r.user_credentials(&a.username).await.unwrap().1, "$argon2id$new");
    assert_eq!(r.user_credentials(&b.username).await.unwrap().1, "$argon2id$b");
    drop(r);

    // A successful sign-in clears the counters and uses a recovery code; the secret stays.
    let cleared = SignInRecord {
        totp_secret: full.totp_secret.clone(),
        totp_last_step: Some(u64::try_from(i64::MAX).unwrap()),
        recovery_code_hashes: full.recovery_code_hashes[1..].to_vec(),
        ..SignInRecord::default()
    };
    let mut t = tx(store).await;
    assert_eq!(t.sign_in_record(a.id).await.unwrap(), full, "read again in a write transaction");
    t.set_sign_in_record(a.id, &cleared).await.unwrap();
    t.commit().await.unwrap();
    assert_eq!(store.begin_read().await.unwrap().sign_in_record(a.id).await.unwrap(), cleared);

    let mut t = tx(store).await;
    t.set_sign_in_record(a.id, &SignInRecord::default()).await.unwrap();
    t.commit().await.unwrap();
    assert_eq!(store.begin_read().await.unwrap().sign_in_record(a.id).await.unwrap(), SignInRecord::default());

    let mut t = tx(store).await;
    let err = t.set_sign_in_record(UserId::new(), &full).await.unwrap_err();
    assert!(err.is_conflict(Conflict::MissingReference), "{err:?}");
}

/// A calendar-feed token finds its account; a new token replaces the old, whose link stops working.
pub async fn a_calendar_feed_token_finds_its_account_until_replaced(store: &dyn Store) {
    let (_w, a, b) = staff_accounts(store).await;
    let at = ts("2026-03-02T08:00:00.000001Z");
    let mut t = tx(store).await;
    t.set_feed_token(a.id, &hash(41), at).await.unwrap();
    t.set_feed_token(b.id, &hash(42), at).await.unwrap();
    t.commit().await.unwrap();
    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.feed_user(&hash(41)).await.unwrap(), a.id);
    assert_eq!(r.feed_user(&hash(42)).await.unwrap(), b.id);
    assert!(matches!(r.feed_user(&hash(43)).await, Err(StoreError::NotFound)));
    drop(r);
    let mut t = tx(store).await;
    t.set_feed_token(a.id, &hash(43), at).await.unwrap();
    t.commit().await.unwrap();
    let mut r = store.begin_read().await.unwrap();
    assert!(matches!(r.feed_user(&hash(41)).await, Err(StoreError::NotFound)), "the old link stops working");
    assert_eq!(r.feed_user(&hash(43)).await.unwrap(), a.id);
}

/// A reset token reads back by its hash and is used once; a second use is refused.
pub async fn a_reset_token_works_once(store: &dyn Store) {
    let (_w, a, b) = staff_accounts(store).await;
    let mine = ResetRecord {
        token_hash: hash(1),
        user_id: a.id,
        created_by: Some(b.id),
        expires_at: ts("2026-03-03T08:00:00.000001Z"),
        used_at: None,
    };
    let older = ResetRecord { token_hash: hash(2), created_by: None, ..mine.clone() };
    let theirs = ResetRecord { token_hash: hash(3), user_id: b.id, created_by: None, ..mine.clone() };
    let mut t = tx(store).await;
    for r in [&mine, &older, &theirs] {
        t.insert_reset(r).await.unwrap();
    }
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.reset(&mine.token_hash).await.unwrap(), mine);
    assert_eq!(r.reset(&older.token_hash).await.unwrap(), older);
    assert!(matches!(r.reset(&hash(9)).await, Err(StoreError::NotFound)));
    drop(r);

    let used_at = ts("2026-03-02T10:00:00.000003Z");
    let mut t = tx(store).await;
    t.mark_reset_used(&mine.token_hash, used_at).await.unwrap();
    let again = t.mark_reset_used(&mine.token_hash, ts("2026-03-02T10:00:01Z")).await.unwrap_err();
    assert!(again.is_conflict(Conflict::StaleRevision), "{again:?}");
    assert!(matches!(t.mark_reset_used(&hash(9), used_at).await, Err(StoreError::NotFound)));
    t.commit().await.unwrap();

    let mut t = tx(store).await;
    assert_eq!(t.reset(&mine.token_hash).await.unwrap().used_at, Some(used_at), "the first use stands");
    assert!(t.mark_reset_used(&mine.token_hash, used_at).await.unwrap_err().is_conflict(Conflict::StaleRevision));
    // After the reset the account's other links are void.
    assert_eq!(t.delete_user_resets(a.id).await.unwrap(), 2);
    assert_eq!(t.delete_user_resets(a.id).await.unwrap(), 0);
    t.commit().await.unwrap();
    let mut r = store.begin_read().await.unwrap();
    assert!(matches!(r.reset(&older.token_hash).await, Err(StoreError::NotFound)));
    assert_eq!(r.reset(&theirs.token_hash).await.unwrap(), theirs);
    drop(r);

    let mut t = tx(store).await;
    assert!(t.insert_reset(&theirs).await.unwrap_err().is_conflict(Conflict::Duplicate));
    drop(t);
    let mut t = tx(store).await;
    let orphan = ResetRecord { token_hash: hash(7), user_id: UserId::new(), ..mine };
    assert!(t.insert_reset(&orphan).await.unwrap_err().is_conflict(Conflict::MissingReference));
}

/// Audit entries appended in one transaction and across several are numbered
/// on without gaps, chained, read back exactly and verify.
pub async fn audit_entries_are_chained_within_and_across_transactions(store: &dyn Store) {
    let (w, a, _) = staff_accounts(store).await;
    let base = ts("2026-03-02T08:00:00Z");
    let event = |i: i64, action| audit_event(base + i.seconds(), Some(a.id), action, Some(w.case.id));
    let mut searched = event(3, AuditAction::Search);
    searched.case_id = None;
    searched.record_id = None;
    searched.record_kind = "cases".into();
    let mut by_system = event(4, AuditAction::Export);
    by_system.actor = None;
    by_system.from = None;
    by_system.route = None;
    let events = vec![
        event(0, AuditAction::Read),
        event(1, AuditAction::Change),
        event(2, AuditAction::Read),
        searched,
        by_system,
    ];
    let expected = chain(events.clone());

    let mut t = tx(store).await;
    assert_eq!(t.audit_head().await.unwrap(), None, "an empty log");
    let first = t.append_audit(&events[..3]).await.unwrap();
    assert_eq!(seqs(&first), [1, 2, 3]);
    assert_eq!(first[0].prev_hash, ChainHash::GENESIS);
    assert_eq!(t.audit_head().await.unwrap(), Some((3, first[2].hash)), "the transaction sees its own entries");
    t.commit().await.unwrap();

    let mut t = tx(store).await;
    assert_eq!(t.append_audit(&[]).await.unwrap(), vec![]);
    let second = t.append_audit(&events[3..]).await.unwrap();
    assert_eq!(seqs(&second), [4, 5]);
    assert_eq!(second[0].prev_hash, first[2].hash);
    t.commit().await.unwrap();
    assert_eq!([first, second].concat(), expected);

    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.audit_entries(0, 100).await.unwrap(), expected);
    assert_eq!(r.audit_entries(2, 2).await.unwrap(), expected[2..4].to_vec());
    assert_eq!(r.audit_entries(4, 0).await.unwrap(), expected[4..].to_vec(), "a limit of 0 is one");
    assert_eq!(r.audit_entries(5, 10).await.unwrap(), vec![]);
    assert_eq!(r.audit_head().await.unwrap(), Some((5, expected[4].hash)));
    drop(r);
    assert_eq!(verify_log(store).await, (5, Some((5, expected[4].hash))));
}

/// An instant finer than a microsecond is cut before it is hashed, so the
/// entry reads back as it was returned and still verifies.
pub async fn audit_instants_are_kept_to_the_microsecond(store: &dyn Store) {
    let w = World::create(store).await;
    let fine = audit_event(ts("2026-03-02T08:00:00.123456789Z"), None, AuditAction::Read, Some(w.case.id));
    let mut t = tx(store).await;
    let written = t.append_audit(std::slice::from_ref(&fine)).await.unwrap();
    t.commit().await.unwrap();
    assert_eq!(written[0].event.at, ts("2026-03-02T08:00:00.123456Z"));
    assert_eq!(store.begin_read().await.unwrap().audit_entries(0, 10).await.unwrap(), written);
    assert_eq!(verify_log(store).await.0, 1);
}

/// Entries of a transaction that is rolled back are gone, and the next entry
/// takes their place: no gap. A read transaction cannot append.
pub async fn a_rolled_back_transaction_leaves_no_audit_entry_and_no_gap(store: &dyn Store) {
    let w = World::create(store).await;
    let event =
        |i: i64| audit_event(ts("2026-03-02T08:00:00Z") + i.minutes(), None, AuditAction::Read, Some(w.case.id));
    let mut t = tx(store).await;
    let kept = t.append_audit(&[event(0), event(1)]).await.unwrap();
    t.commit().await.unwrap();

    let mut t = tx(store).await;
    let lost = t.append_audit(&[event(2), event(3), event(4)]).await.unwrap();
    assert_eq!(seqs(&lost), [3, 4, 5]);
    drop(t);

    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.audit_entries(0, 10).await.unwrap(), kept);
    assert_eq!(r.audit_head().await.unwrap(), Some((2, kept[1].hash)));
    let refused = r.append_audit(&[event(5)]).await.unwrap_err();
    assert!(matches!(refused, StoreError::Backend(_)), "a read transaction cannot write: {refused:?}");
    drop(r);

    let mut t = tx(store).await;
    let next = t.append_audit(&[event(6)]).await.unwrap();
    t.commit().await.unwrap();
    assert_eq!(seqs(&next), [3]);
    assert_eq!(next[0].prev_hash, kept[1].hash);
    assert_eq!(verify_log(store).await, (3, Some((3, next[0].hash))));
}

/// Entries about a case and by an account are listed newest first and page
/// backwards by position.
pub async fn audit_entries_are_listed_per_case_and_per_actor_newest_first_and_paged(store: &dyn Store) {
    let (w, a, b) = staff_accounts(store).await;
    let other = case(w.provider.id, w.municipality.id, "Emil Holm", "0101104321");
    let mut t = tx(store).await;
    t.insert_case(&other).await.unwrap();
    t.commit().await.unwrap();
    let at = |i: i64| ts("2026-03-02T08:00:00Z") + i.minutes();
    let mut search = audit_event(at(4), Some(a.id), AuditAction::Search, None);
    search.record_kind = "cases".into();
    let events = vec![
        audit_event(at(1), Some(a.id), AuditAction::Read, Some(w.case.id)),
        audit_event(at(2), Some(b.id), AuditAction::Read, Some(w.case.id)),
        audit_event(at(3), Some(a.id), AuditAction::Read, Some(other.id)),
        search,
        audit_event(at(5), None, AuditAction::Change, Some(w.case.id)),
        audit_event(at(6), Some(b.id), AuditAction::Export, Some(other.id)),
    ];
    let mut t = tx(store).await;
    let all = t.append_audit(&events).await.unwrap();
    t.commit().await.unwrap();
    let pick = |seqs: &[u64]| seqs.iter().map(|s| all[*s as usize - 1].clone()).collect::<Vec<_>>();

    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.audit_for_case(w.case.id, None, 10).await.unwrap(), pick(&[5, 2, 1]));
    assert_eq!(r.audit_for_case(w.case.id, None, 2).await.unwrap(), pick(&[5, 2]));
    assert_eq!(r.audit_for_case(w.case.id, Some(2), 2).await.unwrap(), pick(&[1]));
    assert_eq!(r.audit_for_case(w.case.id, Some(1), 2).await.unwrap(), vec![]);
    assert_eq!(r.audit_for_case(other.id, None, 10).await.unwrap(), pick(&[6, 3]));
    assert_eq!(r.audit_for_case(CaseId::new(), None, 10).await.unwrap(), vec![]);
    assert_eq!(r.audit_for_actor(a.id, None, 10).await.unwrap(), pick(&[4, 3, 1]));
    assert_eq!(r.audit_for_actor(a.id, Some(4), 1).await.unwrap(), pick(&[3]));
    assert_eq!(r.audit_for_actor(a.id, None, 0).await.unwrap(), pick(&[4]), "a limit of 0 is one");
    assert_eq!(r.audit_for_actor(b.id, Some(100), 10).await.unwrap(), pick(&[6, 2]));
    assert_eq!(r.audit_for_actor(UserId::new(), None, 10).await.unwrap(), vec![]);
}

/// Closed cases are listed by closing day (then id) before a day; only a
/// closed case is erased, and an erasure rolled back leaves the case as it was.
pub async fn only_a_closed_case_is_erased_and_closed_cases_are_listed_by_closing_day(store: &dyn Store) {
    let w = World::create(store).await;
    let closed = |name: &str, cpr: &str, on| {
        let mut c = case(w.provider.id, w.municipality.id, name, cpr);
        c.closed_on = Some(on);
        c
    };
    let march = closed("Emil Holm", "0101104321", date(2026, 3, 31));
    let january = closed("Asta Holm", "0202104321", date(2026, 1, 31));
    let march_later = closed("Otto Holm", "0303104321", date(2026, 3, 31));
    let mut t = tx(store).await;
    for c in [&march, &january, &march_later] {
        t.insert_case(c).await.unwrap();
    }
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.closed_cases_before(date(2026, 3, 31), 10).await.unwrap(), [january.id], "strictly before");
    assert_eq!(r.closed_cases_before(date(2026, 4, 1), 10).await.unwrap(), [january.id, march.id, march_later.id]);
    assert_eq!(r.closed_cases_before(date(2026, 4, 1), 2).await.unwrap(), [january.id, march.id]);
    assert_eq!(r.closed_cases_before(date(2026, 1, 31), 10).await.unwrap(), []);
    drop(r);

    let mut t = tx(store).await;
    let open = t.erase_case(w.case.id, ts("2026-04-02T02:00:00Z"), None).await.unwrap_err();
    assert!(open.is_conflict(Conflict::InUse), "an open case is still in use: {open:?}");
    assert!(matches!(t.erase_case(CaseId::new(), ts("2026-04-02T02:00:00Z"), None).await, Err(StoreError::NotFound)));
    t.erase_case(march.id, ts("2026-04-02T02:00:00Z"), None).await.unwrap();
    assert!(matches!(t.case(march.id).await, Err(StoreError::NotFound)), "the transaction sees its own erasure");
    drop(t);

    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.case(w.case.id).await.unwrap(), w.case);
    assert_eq!(r.case(march.id).await.unwrap(), march, "the erasure was rolled back");
    assert!(matches!(r.case_erasure(march.id).await, Err(StoreError::NotFound)));
    assert!(matches!(r.case_erasure(w.case.id).await, Err(StoreError::NotFound)));
    drop(r);

    let mut t = tx(store).await;
    t.erase_case(january.id, ts("2026-04-02T02:00:00.000001Z"), None).await.unwrap();
    t.commit().await.unwrap();
    let mut r = store.begin_read().await.unwrap();
    assert_eq!(r.closed_cases_before(date(2026, 4, 1), 10).await.unwrap(), [march.id, march_later.id]);
    assert_eq!(
        r.case_erasure(january.id).await.unwrap(),
        CaseErasure { case_id: january.id, erased_at: ts("2026-04-02T02:00:00.000001Z"), erased_by: None }
    );
    drop(r);
    let mut t = tx(store).await;
    assert!(matches!(t.erase_case(january.id, ts("2026-04-03T02:00:00Z"), None).await, Err(StoreError::NotFound)));
}

/// Everything about a family's case, in one committed transaction: accounts
/// with sessions, sign-in state and reset links; a second version of the
/// terms; decisions, a suspension, consents; appointments (one held); the
/// journal; a sent report with its outbox message, a correction and a draft;
/// a plan, a focus area, hours.
struct Family {
    case: Case,
    members: Vec<FamilyMember>,
    accounts: Vec<User>,
    sessions: Vec<SessionRecord>,
    resets: Vec<ResetRecord>,
    referrals: Vec<Referral>,
    consents: Vec<ConsentId>,
    appointments: Vec<AppointmentId>,
    documents: Vec<DocumentId>,
    plan: ActionPlanId,
    focus_area: FocusAreaId,
    outbox: OutboxMessage,
}

async fn family(store: &dyn Store, w: &World, k: Case, n: u8, staff_user: &User) -> Family {
    let mut t = tx(store).await;
    if t.case(k.id).await.is_err() {
        t.insert_case(&k).await.unwrap();
    }
    let mut members = t.family_members(k.id).await.unwrap();
    if members.is_empty() {
        let m = family_member(k.id, "Lone Vind", Relation::Mother, vec![FamilyRole::VisitingParent]);
        t.insert_family_member(&m).await.unwrap();
        members.push(m);
    }
    let parent = members[0].id;
    let mut referral =
        if k.id == w.case.id { w.referral.clone() } else { w.referral_for(k.id, Intervention::SupportedVisitation) };
    if k.id != w.case.id {
        referral.terms.aimed_at = vec![SupportTarget::Child, SupportTarget::FamilyMember(parent)];
        if let Some(v) = referral.terms.visitation.as_mut() {
            v.may_attend = vec![parent];
        }
        t.insert_referral(&referral, &first_version(&referral, w.caseworker.id)).await.unwrap();
    }
    let mut v2 = first_version(&referral, w.caseworker.id);
    v2.version = 2;
    v2.terms.ordered_hours = 60;
    v2.changed_at = ts("2026-02-01T10:00:00Z");
    referral.terms = v2.terms.clone();
    referral.terms_version = 2;
    t.add_referral_version(&mut referral, &v2).await.unwrap();

    let parent_account = user(&format!("foraelder{n}"), Role::Parent, Subject::FamilyMember(parent));
    let young_account = user(&format!("ung{n}"), Role::YoungPerson, Subject::Child(k.id));
    t.insert_user(&parent_account, "$argon2id$p").await.unwrap();
    t.insert_user(&young_account, "$argon2id$y").await.unwrap();
    let sessions = vec![
        session(parent_account.id, n, "2026-03-02T08:00:00Z", "2026-03-02T08:00:00Z"),
        session(young_account.id, n + 1, "2026-03-02T08:00:00Z", "2026-03-02T08:00:00Z"),
    ];
    for s in &sessions {
        t.insert_session(s).await.unwrap();
    }
    let record = SignInRecord { failures: 2, totp_secret: Some(vec![n; 20]), ..Default::default() };
    t.set_sign_in_record(parent_account.id, &record).await.unwrap();
    let resets = vec![ResetRecord {
        token_hash: hash(n),
        user_id: parent_account.id,
        created_by: Some(staff_user.id),
        expires_at: ts("2026-03-03T08:00:00Z"),
        used_at: None,
    }];
    t.insert_reset(&resets[0]).await.unwrap();
    // The staff user's reset link was issued by the young person's account (as
    // a self-service request would be): it stays when the issuer goes.
    let staff_reset = ResetRecord {
        token_hash: hash(n + 1),
        user_id: staff_user.id,
        created_by: Some(young_account.id),
        expires_at: ts("2026-03-03T08:00:00Z"),
        used_at: None,
    };
    t.insert_reset(&staff_reset).await.unwrap();

    t.insert_decision(&decision(k.id, date(2026, 1, 1), date(2026, 6, 30))).await.unwrap();
    t.insert_suspension(&suspension(k.id, date(2026, 3, 1), date(2026, 3, 14))).await.unwrap();
    let mut consents = Vec::new();
    for (giver, purpose) in [
        (ConsentGiver::FamilyMember(parent), ConsentPurpose::WrittenDescriptions),
        (ConsentGiver::Child, ConsentPurpose::Intervention),
    ] {
        let mut c = consent(w, giver, purpose);
        c.case_id = k.id;
        c.referral_id = Some(referral.id);
        t.insert_consent(&c).await.unwrap();
        consents.push(c.id);
    }

    let mut held = appointment(w, AppointmentKind::Visit, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z");
    let mut planned = appointment(w, AppointmentKind::Visit, "2026-03-21T09:00:00Z", "2026-03-21T11:00:00Z");
    for a in [&mut held, &mut planned] {
        a.case_id = k.id;
        a.referral_id = referral.id;
        a.participants = vec![Participant::Child, Participant::FamilyMember(parent)];
        a.location = Location::Room(w.room.id);
    }
    if n > 1 {
        // Another family's visits are at another time, so that nothing is double booked.
        held.planned = range("2026-03-07T13:00:00Z", "2026-03-07T15:00:00Z");
        planned.planned = range("2026-03-21T13:00:00Z", "2026-03-21T15:00:00Z");
    }
    held.outcome = Some(Outcome::Held { brought_by: Some(text("Plejemor")), incidents: None });
    held.actual = Some(held.planned);
    held.outcome_recorded_at = Some(held.planned.end + 1.hours());
    t.insert_appointments(&[held.clone(), planned.clone()]).await.unwrap();

    let mut note = journal_entry(w, "Samværet gik godt.", ts("2026-03-07T12:00:00Z"));
    note.case_id = k.id;
    note.appointment_id = Some(held.id);
    t.insert_journal_entry(&note).await.unwrap();

    let (mut sent, v1) = document(w, DocumentKind::WrittenDescription, "Samværet forløb roligt.");
    sent.case_id = k.id;
    sent.referral_id = referral.id;
    sent.appointment_id = Some(held.id);
    sent.state = DocumentState::Sent;
    sent.sent_at = Some(ts("2026-03-09T09:00:00Z"));
    let outbox = outbox_message(w, &sent, &v1, ts("2026-03-09T09:00:00Z"));
    let (mut correction, c1) = document(w, DocumentKind::WrittenDescription, "Rettelse: samværet varede to timer.");
    correction.case_id = k.id;
    correction.referral_id = referral.id;
    correction.corrects = Some(sent.id);
    let (mut draft, d1) = document(w, DocumentKind::StatusLetter, "Kladde");
    draft.case_id = k.id;
    draft.referral_id = referral.id;
    t.insert_document(&sent, &v1).await.unwrap();
    t.insert_outbox_messages(std::slice::from_ref(&outbox)).await.unwrap();
    t.insert_document(&correction, &c1).await.unwrap();
    t.insert_document(&draft, &d1).await.unwrap();
    let mut d2 = d1.clone();
    d2.version = 2;
    d2.family_comment = Some(long("Vi er enige."));
    draft.current_version = 2;
    t.add_document_version(&mut draft, &d2).await.unwrap();

    let mut plan = action_plan(w);
    plan.case_id = k.id;
    plan.referral_id = referral.id;
    t.insert_action_plan(&plan).await.unwrap();
    let area = FocusArea {
        id: FocusAreaId::new(),
        case_id: k.id,
        referral_id: referral.id,
        area: FocusAreaKind::FamilyContact,
        note: None,
        started_on: date(2026, 2, 1),
        ended_on: None,
    };
    t.insert_focus_area(&area).await.unwrap();
    for appointment_id in [Some(held.id), None] {
        t.insert_time_entry(&TimeEntry {
            id: TimeEntryId::new(),
            referral_id: referral.id,
            staff_id: w.practitioner.id,
            appointment_id,
            date: date(2026, 3, 7),
            minutes: Minutes::new(90).unwrap(),
            kind: TimeKind::Direct,
            note: None,
            registered_at: ts("2026-03-07T16:00:00Z"),
        })
        .await
        .unwrap();
    }
    t.commit().await.unwrap();
    let case = store.begin_read().await.unwrap().case(k.id).await.unwrap();
    Family {
        case,
        members,
        accounts: vec![parent_account, young_account],
        sessions,
        resets,
        referrals: vec![referral],
        consents,
        appointments: vec![held.id, planned.id],
        documents: vec![sent.id, correction.id, draft.id],
        plan: plan.id,
        focus_area: area.id,
        outbox,
    }
}

/// Erasing a closed case removes every record held about it, in one
/// transaction, and nothing of another case; the audit log and the record of
/// the erasure stay.
pub async fn a_closed_case_is_erased_with_everything_held_about_it(store: &dyn Store) {
    let (w, admin, _) = staff_accounts(store).await;
    let erased = family(store, &w, w.case.clone(), 1, &admin).await;
    let other = case(w.provider.id, w.municipality.id, "Emil Holm", "0101104321");
    let kept = family(store, &w, other, 3, &admin).await;

    // Who looked at both cases, then the case is closed.
    let mut t = tx(store).await;
    let at = |m: i64| ts("2026-06-01T08:00:00Z") + m.minutes();
    let before = t
        .append_audit(&[
            audit_event(at(0), Some(admin.id), AuditAction::Read, Some(erased.case.id)),
            audit_event(at(1), Some(erased.accounts[0].id), AuditAction::Read, Some(erased.case.id)),
            audit_event(at(2), Some(admin.id), AuditAction::Read, Some(kept.case.id)),
        ])
        .await
        .unwrap();
    let mut closing = erased.case.clone();
    closing.closed_on = Some(date(2026, 6, 30));
    t.update_case(&mut closing).await.unwrap();
    t.commit().await.unwrap();

    let erased_at = ts("2031-07-01T02:00:00.000001Z");
    let mut t = tx(store).await;
    assert_eq!(t.closed_cases_before(date(2031, 7, 1), 10).await.unwrap(), [erased.case.id]);
    t.erase_case(erased.case.id, erased_at, Some(admin.id)).await.unwrap();
    let mut record = audit_event(erased_at, None, AuditAction::Erase, Some(erased.case.id));
    (record.from, record.route) = (None, None);
    let erasure_entry = t.append_audit(&[record]).await.unwrap();
    t.commit().await.unwrap();

    let mut r = store.begin_read().await.unwrap();
    let k = erased.case.id;
    macro_rules! gone {
        ($($call:expr),* $(,)?) => {$(
            assert!(matches!($call.await, Err(StoreError::NotFound)), "{}", stringify!($call));
        )*};
    }
    macro_rules! empty {
        ($($call:expr),* $(,)?) => {$(
            assert!($call.await.unwrap().is_empty(), "{}", stringify!($call));
        )*};
    }
    gone!(r.case(k));
    for m in &erased.members {
        gone!(r.family_member(m.id));
    }
    for u in &erased.accounts {
        gone!(r.user(u.id), r.sign_in_record(u.id), r.user_credentials(&u.username));
    }
    for s in &erased.sessions {
        gone!(r.session(&s.token_hash));
    }
    for x in &erased.resets {
        gone!(r.reset(&x.token_hash));
    }
    for referral in &erased.referrals {
        gone!(r.referral(referral.id));
        empty!(r.referral_versions(referral.id), r.time_entries(referral.id));
        assert_eq!(r.minutes_registered(referral.id).await.unwrap(), 0);
    }
    for c in &erased.consents {
        gone!(r.consent(*c));
    }
    for a in &erased.appointments {
        gone!(r.appointment(*a));
    }
    for d in &erased.documents {
        gone!(r.document(*d));
        empty!(r.document_versions(*d));
        empty!(r.outbox(&OutboxFilter { document: Some(*d), ..Default::default() }, 10));
    }
    gone!(r.action_plan(erased.plan), r.focus_area(erased.focus_area));
    empty!(
        r.family_members(k),
        r.referrals(&ReferralFilter { case: Some(k), ..Default::default() }, Page::default()),
        r.decisions(k),
        r.suspensions(k),
        r.consents(k),
        r.appointments(&AppointmentFilter { case: Some(k), ..Default::default() }, 100),
        r.journal(k, Page::default()),
        r.documents(&DocumentFilter { case: Some(k), ..Default::default() }, Page::default()),
        r.outbox(&OutboxFilter { case: Some(k), ..Default::default() }, 10),
        r.action_plans(k),
        r.focus_areas(k),
        r.cases_by_cpr(w.provider.id, &erased.case.child.cpr),
    );

    // What is kept: that it happened, the log about it, and everything else.
    assert_eq!(r.case_erasure(k).await.unwrap(), CaseErasure { case_id: k, erased_at, erased_by: Some(admin.id) });
    let about_it: Vec<AuditEntry> = vec![erasure_entry[0].clone(), before[1].clone(), before[0].clone()];
    assert_eq!(r.audit_for_case(k, None, 10).await.unwrap(), about_it);
    assert_eq!(r.audit_for_actor(erased.accounts[0].id, None, 10).await.unwrap(), vec![before[1].clone()]);
    assert_eq!(r.user(admin.id).await.unwrap(), admin);
    let staff_reset = r.reset(&hash(2)).await.unwrap();
    assert_eq!((staff_reset.user_id, staff_reset.created_by), (admin.id, None), "the issuer's id is cleared");
    assert_eq!(r.count_cases(&CaseFilter::default()).await.unwrap(), 1);
    assert_eq!(r.case(kept.case.id).await.unwrap(), kept.case);
    assert_eq!(r.family_members(kept.case.id).await.unwrap(), kept.members);
    for u in &kept.accounts {
        assert_eq!(&r.user(u.id).await.unwrap(), u);
    }
    for s in &kept.sessions {
        assert_eq!(&r.session(&s.token_hash).await.unwrap(), s);
    }
    assert_eq!(r.reset(&kept.resets[0].token_hash).await.unwrap(), kept.resets[0]);
    assert_eq!(r.referral(kept.referrals[0].id).await.unwrap(), kept.referrals[0]);
    assert_eq!(r.referral_versions(kept.referrals[0].id).await.unwrap().len(), 2);
    assert_eq!(r.consents(kept.case.id).await.unwrap().len(), 2);
    assert_eq!(r.decisions(kept.case.id).await.unwrap().len(), 1);
    assert_eq!(r.suspensions(kept.case.id).await.unwrap().len(), 1);
    assert_eq!(
        r.appointments(&AppointmentFilter { case: Some(kept.case.id), ..Default::default() }, 10).await.unwrap().len(),
        2
    );
    assert_eq!(r.journal(kept.case.id, Page::default()).await.unwrap().len(), 1);
    for d in &kept.documents {
        assert!(!r.document_versions(*d).await.unwrap().is_empty());
    }
    assert_eq!(r.outbox(&OutboxFilter::default(), 10).await.unwrap(), vec![kept.outbox.clone()]);
    assert_eq!(r.action_plan(kept.plan).await.unwrap().case_id, kept.case.id);
    assert_eq!(r.focus_area(kept.focus_area).await.unwrap().case_id, kept.case.id);
    assert_eq!(r.minutes_registered(kept.referrals[0].id).await.unwrap(), 180);
    assert!(matches!(r.case_erasure(kept.case.id).await, Err(StoreError::NotFound)));
    drop(r);
    assert_eq!(verify_log(store).await.0, 4, "the log is whole");
}
