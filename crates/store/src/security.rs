//! What the store keeps for sign-in, sessions, password resets and erasure.
//!
//! These are plain records: the rules that fill them (timeouts, lockout,
//! TOTP, reset tokens) live in `samvirke_auth`, and the store only persists
//! their state. Secrets are never stored: a session, CSRF or reset token is
//! kept as its SHA-256, a password as its Argon2id hash, a TOTP secret as the
//! opaque bytes the web layer gives (encrypted there), and recovery codes as
//! their salted hashes.

use jiff::Timestamp;
use samvirke_domain::{CaseId, UserId};
use std::fmt;

/// A signed-in browser, looked up by the SHA-256 of its session token.
///
/// The row is the shared truth for every app instance: a session ended on one
/// instance (deleted) has ended on all of them at once.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// SHA-256 of the session token (`samvirke_auth::session::token_hash`); the key.
    pub token_hash: [u8; 32],
    /// Whose session it is.
    pub user_id: UserId,
    /// When the session began (the sign-in).
    pub created_at: Timestamp,
    /// The last recorded request.
    pub last_seen_at: Timestamp,
    /// Whether the sign-in included a second factor.
    pub second_factor_verified: bool,
    /// SHA-256 of the session's CSRF token.
    pub csrf_hash: [u8; 32],
    /// The client's address (or another short description of the client), for the account's list of sessions.
    pub client: Option<String>,
}

impl fmt::Debug for SessionRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The hashes are not secrets, but nothing is gained by printing them.
        f.debug_struct("SessionRecord")
            .field("user_id", &self.user_id)
            .field("created_at", &self.created_at)
            .field("last_seen_at", &self.last_seen_at)
            .field("second_factor_verified", &self.second_factor_verified)
            .finish_non_exhaustive()
    }
}

/// The sign-in state of an account: its lockout counters and its second factor.
/// The default is a clean account without a second factor.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SignInRecord {
    /// Failed attempts in the current window (`samvirke_auth::FailureState::failures`).
    pub failures: u32,
    /// When the window's first failure happened (`FailureState::window_started_at`).
    pub first_failure_at: Option<Timestamp>,
    /// Locked before this moment (`FailureState::locked_until`).
    pub locked_until: Option<Timestamp>,
    /// The TOTP secret as opaque bytes; the web layer encrypts it before it is stored.
    pub totp_secret: Option<Vec<u8>>,
    /// The last TOTP time step accepted, so that a code is not accepted twice.
    pub totp_last_step: Option<u64>,
    /// The salted hashes of the recovery codes not used yet.
    pub recovery_code_hashes: Vec<String>,
}

impl fmt::Debug for SignInRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignInRecord")
            .field("failures", &self.failures)
            .field("first_failure_at", &self.first_failure_at)
            .field("locked_until", &self.locked_until)
            .field("totp_secret", &self.totp_secret.as_ref().map(|_| "<hidden>"))
            .field("totp_last_step", &self.totp_last_step)
            .field("recovery_codes", &self.recovery_code_hashes.len())
            .finish()
    }
}

/// A one-time password-reset token, looked up by its SHA-256.
#[derive(Clone, PartialEq, Eq)]
pub struct ResetRecord {
    /// SHA-256 of the token in the link; the key.
    pub token_hash: [u8; 32],
    /// The account whose password it resets.
    pub user_id: UserId,
    /// The account that issued it; `None` when the system did (a command, or the person asking themselves).
    pub created_by: Option<UserId>,
    /// The token does not work from this moment.
    pub expires_at: Timestamp,
    /// When it was used; a token works once.
    pub used_at: Option<Timestamp>,
}

impl fmt::Debug for ResetRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResetRecord")
            .field("user_id", &self.user_id)
            .field("created_by", &self.created_by)
            .field("expires_at", &self.expires_at)
            .field("used_at", &self.used_at)
            .finish_non_exhaustive()
    }
}

/// That a case was erased: all that is kept of it besides the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseErasure {
    /// The erased case's id.
    pub case_id: CaseId,
    /// When.
    pub erased_at: Timestamp,
    /// By whom; `None` for the system (`samvirke erase`).
    pub erased_by: Option<UserId>,
}
