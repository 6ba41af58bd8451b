//! Sessions: the bearer token in the cookie, the CSRF token of a session,
//! and the timeouts that end a session.
//!
//! A [`SessionToken`] is 32 random bytes, sent to the browser once as
//! base64url in a `Secure; HttpOnly; SameSite=Lax` cookie. The database keeps
//! only its SHA-256 ([`token_hash`]): a request's cookie is parsed, hashed and
//! looked up by hash, so a copy of the sessions table holds no usable token. A
//! new token is issued at every change of privilege (after the password,
//! after the second factor) and the old row is deleted (OWASP ASVS 3.2.1).
//!
//! A [`CsrfToken`] belongs to one session (synchroniser token pattern): its
//! hash is stored with the session, the token is put into each form, and a
//! state-changing request must present it ([`CsrfToken::matches_hash`]).
//!
//! [`SessionState`] is what the database keeps about a session besides the
//! hash, and [`SessionState::check`] applies the [`SessionPolicy`]: an idle
//! timeout (30 minutes) and an absolute timeout (12 hours) (ASVS 3.3.2).
//! To spare the database, `last_seen_at` is only written when it has moved by
//! more than [`TOUCH_INTERVAL`] ([`SessionState::needs_touch`]); the idle
//! timeout is therefore counted from the last recorded touch, and a session
//! may end up to that interval earlier than `idle_timeout` after the very last
//! request, never later.

use jiff::{SignedDuration, Timestamp};

use crate::identity::VerifiedIdentity;
use crate::secret::{self, bearer_token};

bearer_token! {
    /// The secret that identifies a signed-in browser: 32 random bytes, base64url
    /// in the cookie, stored only as [`token_hash`]. `Debug` hides it.
    SessionToken
}

bearer_token! {
    /// The anti-forgery token of one session: 32 random bytes, base64url in each
    /// form, stored only as its hash next to the session. `Debug` hides it.
    CsrfToken
}

bearer_token! {
    /// The secret of a practitioner's calendar-feed link: 32 random bytes,
    /// base64url in the link, stored only as its SHA-256. `Debug` hides it.
    FeedToken
}

/// SHA-256 of a session token: the key the database stores and looks sessions up by.
pub fn token_hash(token: &SessionToken) -> [u8; 32] {
    token.hash()
}

/// [`token_hash`] as 64 lower-case hex digits, for a text column.
pub fn token_hash_hex(token: &SessionToken) -> String {
    token.hash_hex()
}

/// Reads a hash stored as hex (by [`token_hash_hex`] or a `hash_hex` method) back into bytes.
pub fn hash_from_hex(hex: &str) -> Option<[u8; 32]> {
    secret::from_hex(hex)
}

/// `last_seen_at` is only written again once it is more than this old.
pub const TOUCH_INTERVAL: SignedDuration = SignedDuration::from_secs(60);

/// How long a session lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// A session not seen for this long has ended. Default 30 minutes.
    pub idle_timeout: SignedDuration,
    /// A session this old has ended, however active. Default 12 hours.
    pub absolute_timeout: SignedDuration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self { idle_timeout: SignedDuration::from_mins(30), absolute_timeout: SignedDuration::from_hours(12) }
    }
}

/// Why a session has ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SessionExpired {
    /// Not seen for the idle timeout or longer.
    #[error("session ended after inactivity")]
    Idle,
    /// Started the absolute timeout or longer ago. Reported before `Idle` when both apply.
    #[error("session reached its maximum lifetime")]
    Absolute,
}

/// What the database keeps about a session, besides its token hash and user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionState {
    /// When the session began (the sign-in).
    pub created_at: Timestamp,
    /// The last recorded request; see [`needs_touch`](Self::needs_touch).
    pub last_seen_at: Timestamp,
    /// Whether the sign-in included a second factor. Until it has, the session
    /// may only be used for the second-factor step (or its enrolment).
    pub second_factor_verified: bool,
}

impl SessionState {
    /// A session that begins now.
    pub fn new(now: Timestamp, second_factor_verified: bool) -> Self {
        Self { created_at: now, last_seen_at: now, second_factor_verified }
    }

    /// The session that a completed sign-in begins, at `now`: whether it
    /// included a second factor comes from the identity.
    pub fn for_identity<U>(identity: &VerifiedIdentity<U>, now: Timestamp) -> Self {
        Self::new(now, identity.second_factor)
    }

    /// `Ok` while the session is alive at `now`. It has ended from the moment
    /// `now - last_seen_at` reaches the idle timeout, or `now - created_at` the
    /// absolute timeout (exactly at a timeout it has ended). A `now` before the
    /// recorded times (clocks of several instances differing a little) counts
    /// as no time passed.
    pub fn check(&self, policy: &SessionPolicy, now: Timestamp) -> Result<(), SessionExpired> {
        if now.duration_since(self.created_at) >= policy.absolute_timeout {
            return Err(SessionExpired::Absolute);
        }
        if now.duration_since(self.last_seen_at) >= policy.idle_timeout {
            return Err(SessionExpired::Idle);
        }
        Ok(())
    }

    /// True when `last_seen_at` should be written: `now` is more than
    /// [`TOUCH_INTERVAL`] after it.
    pub fn needs_touch(&self, now: Timestamp) -> bool {
        now.duration_since(self.last_seen_at) > TOUCH_INTERVAL
    }

    /// Records a request at `now`; `last_seen_at` never moves backwards.
    pub fn touch(&mut self, now: Timestamp) {
        self.last_seen_at = self.last_seen_at.max(now);
    }

    /// The moment the session ends unless touched again: the earlier of the
    /// idle and the absolute deadline. For the cookie's lifetime and for
    /// deleting ended sessions.
    pub fn expires_at(&self, policy: &SessionPolicy) -> Timestamp {
        let idle = crate::plus(self.last_seen_at, policy.idle_timeout);
        let absolute = crate::plus(self.created_at, policy.absolute_timeout);
        idle.min(absolute)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(1_700_000_000 + seconds).unwrap()
    }

    fn mins(m: i64) -> i64 {
        m * 60
    }

    #[test]
    fn tokens_are_random_43_characters_of_base64url_and_parse_back() {
        let token = SessionToken::generate();
        let text = token.reveal();
        assert_eq!(text.len(), SessionToken::ENCODED_LEN);
        assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(SessionToken::parse(&text), Some(token.clone()));
        assert_ne!(token, SessionToken::generate());
    }

    #[test]
    fn malformed_tokens_do_not_parse() {
        let text = SessionToken::generate().reveal();
        assert_eq!(SessionToken::parse(""), None);
        assert_eq!(SessionToken::parse(&text[..42]), None);
        assert_eq!(SessionToken::parse(&format!("{text}A")), None);
        assert_eq!(SessionToken::parse(&format!("{text}=")), None);
        assert_eq!(SessionToken::parse(&format!("{}+", &text[..42])), None);
        // The last character carries two unused bits; only the canonical form parses.
        assert!(SessionToken::parse(&"A".repeat(43)).is_some());
        assert_eq!(SessionToken::parse(&format!("{}B", "A".repeat(42))), None);
    }

    #[test]
    fn the_stored_hash_is_the_sha256_of_the_token_bytes() {
        let zero = SessionToken::parse(&"A".repeat(43)).unwrap(); // 32 zero bytes
        assert_eq!(token_hash_hex(&zero), "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925");
        assert_eq!(hash_from_hex(&token_hash_hex(&zero)), Some(token_hash(&zero)));
        assert_eq!(hash_from_hex("66687a"), None);
        let other = SessionToken::generate();
        assert_ne!(token_hash(&other), token_hash(&zero));
        assert_eq!(token_hash(&other), token_hash(&SessionToken::parse(&other.reveal()).unwrap()));
    }

    #[test]
    fn debug_hides_the_tokens() {
        let session = SessionToken::generate();
        let csrf = CsrfToken::generate();
        assert_eq!(format!("{session:?}"), "SessionToken(<hidden>)");
        assert_eq!(format!("{csrf:?}"), "CsrfToken(<hidden>)");
        assert!(!format!("{session:?}{csrf:?}").contains(&session.reveal()[..8]));
    }

    #[test]
    fn a_csrf_token_matches_its_stored_hash_only() {
        let token = CsrfToken::generate();
        let stored = token.hash();
        assert!(CsrfToken::matches_hash(&stored, &token.reveal()));
        assert!(!CsrfToken::matches_hash(&stored, &CsrfToken::generate().reveal()));
        assert!(!CsrfToken::matches_hash(&stored, ""));
        assert!(!CsrfToken::matches_hash(&stored, "not a token"));
        assert!(!CsrfToken::matches_hash(&stored, &token.hash_hex()));
    }

    #[test]
    fn the_default_policy_is_30_minutes_idle_and_12_hours_in_all() {
        let policy = SessionPolicy::default();
        assert_eq!(policy.idle_timeout, SignedDuration::from_secs(30 * 60));
        assert_eq!(policy.absolute_timeout, SignedDuration::from_secs(12 * 3600));
    }

    #[test]
    fn a_session_ends_exactly_at_the_idle_timeout() {
        let policy = SessionPolicy::default();
        let session = SessionState::new(at(0), true);
        assert_eq!(session.check(&policy, at(0)), Ok(()));
        let just_before = at(mins(30)).checked_sub(SignedDuration::from_nanos(1)).unwrap();
        assert_eq!(session.check(&policy, just_before), Ok(()));
        assert_eq!(session.check(&policy, at(mins(30))), Err(SessionExpired::Idle));
        assert_eq!(session.check(&policy, at(mins(31))), Err(SessionExpired::Idle));
    }

    #[test]
    fn a_touch_moves_the_idle_deadline() {
        let policy = SessionPolicy::default();
        let mut session = SessionState::new(at(0), true);
        session.touch(at(mins(20)));
        assert_eq!(session.check(&policy, at(mins(49))), Ok(()));
        assert_eq!(session.check(&policy, at(mins(50))), Err(SessionExpired::Idle));
    }

    #[test]
    fn an_active_session_ends_exactly_at_the_absolute_timeout() {
        let policy = SessionPolicy::default();
        let mut session = SessionState::new(at(0), true);
        let mut t = 0;
        while t < mins(12 * 60) {
            session.touch(at(t));
            assert_eq!(session.check(&policy, at(t)), Ok(()), "at minute {}", t / 60);
            t += mins(10);
        }
        assert_eq!(session.check(&policy, at(mins(12 * 60) - 1)), Ok(()));
        assert_eq!(session.check(&policy, at(mins(12 * 60))), Err(SessionExpired::Absolute));
    }

    #[test]
    fn the_absolute_timeout_is_reported_when_both_apply() {
        let policy = SessionPolicy::default();
        let session = SessionState::new(at(0), true);
        assert_eq!(session.check(&policy, at(mins(13 * 60))), Err(SessionExpired::Absolute));
    }

    #[test]
    fn a_clock_slightly_behind_counts_as_no_time_passed() {
        let policy = SessionPolicy::default();
        let session = SessionState::new(at(100), true);
        assert_eq!(session.check(&policy, at(98)), Ok(()));
        assert!(!session.needs_touch(at(98)));
    }

    #[test]
    fn last_seen_is_written_only_after_more_than_a_minute() {
        let session = SessionState::new(at(0), false);
        assert!(!session.needs_touch(at(0)));
        assert!(!session.needs_touch(at(60)));
        assert!(session.needs_touch(at(61)));
    }

    #[test]
    fn a_touch_never_moves_last_seen_backwards() {
        let mut session = SessionState::new(at(0), false);
        session.touch(at(100));
        session.touch(at(50));
        assert_eq!(session.last_seen_at, at(100));
        assert_eq!(session.created_at, at(0));
    }

    #[test]
    fn expiry_is_the_earlier_of_the_two_deadlines() {
        let policy = SessionPolicy::default();
        let mut session = SessionState::new(at(0), true);
        assert_eq!(session.expires_at(&policy), at(mins(30)));
        session.touch(at(mins(11 * 60 + 45)));
        assert_eq!(session.expires_at(&policy), at(mins(12 * 60)));
        assert_eq!(session.check(&policy, session.expires_at(&policy)), Err(SessionExpired::Absolute));
    }
}
