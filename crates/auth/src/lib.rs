//! Identity for Samvirke: how a person proves who they are.
//!
//! These are the pure primitives of sign-in: no database and no HTTP. The
//! store crates persist what they return (hashes, counters, times) and the web
//! crate drives them from requests. Times are [`jiff::Timestamp`]s passed in by
//! the caller, so every rule can be tested at its exact boundary.
//!
//! - [`password`] — Argon2id hashing, a dummy verification for unknown
//!   usernames, and the [`PasswordPolicy`] for new passwords.
//! - [`totp`] — the second factor: RFC 6238 codes from an authenticator app
//!   (with clock skew and replay protection) and one-time [`totp::recovery`] codes.
//! - [`session`] — session and CSRF tokens (stored only as SHA-256), and the
//!   idle and absolute timeouts of a session.
//! - [`lockout`] — per-account lockout after repeated failures, stored in the
//!   database so that it holds across app instances.
//! - [`rate_limit`] — an in-memory limiter per client address (per instance;
//!   the lockout is the shared line).
//! - [`reset`] — one-time password-reset tokens with an expiry.
//! - [`identity`] — the seam for sign-in methods: password + TOTP today as a
//!   pure state machine, OpenID Connect later; each ends in a
//!   [`VerifiedIdentity`] that the session consumes.
//!
//! Secrets (tokens, TOTP secrets, recovery codes) never appear in `Debug`
//! output and have no `Display`; they leave only through methods named
//! `reveal…` (and the TOTP enrolment URI). Secrets and their hashes are
//! compared in constant time, `==` included.
//!
//! Not done here, and known: secrets in memory are not zeroed on drop;
//! passwords are not Unicode-normalised before hashing; the common-password
//! list is small and built in, not a breached-password corpus.
#![warn(missing_docs)]

pub mod identity;
pub mod lockout;
pub mod password;
pub mod rate_limit;
pub mod reset;
mod secret;
pub mod session;
pub mod totp;

use jiff::{SignedDuration, Timestamp};

pub use identity::{
    NeedsSecondFactor, PasswordAccount, PasswordStep, Refusal, SecondFactorStep, SecondFactorUsed, SignInMethod,
    SignInPolicy, TotpAccount, VerifiedIdentity,
};
pub use lockout::{FailureState, LockoutPolicy};
pub use password::{
    MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, PasswordError, PasswordPolicy, PasswordRejection, generate_password,
    hash_password, verify_against_dummy, verify_password,
};
pub use rate_limit::{RateLimit, RateLimiter, RetryAfter};
pub use reset::{ResetError, ResetToken};
pub use session::{CsrfToken, FeedToken, SessionExpired, SessionPolicy, SessionState, SessionToken};
pub use totp::{RecoveryCode, RecoveryCodeHash, TotpError, TotpSecret, qr_svg};

/// `ts + d`, held at the ends of the representable range instead of overflowing.
pub(crate) fn plus(ts: Timestamp, d: SignedDuration) -> Timestamp {
    ts.saturating_add(d).unwrap_or(if d.is_negative() { Timestamp::MIN } else { Timestamp::MAX })
}
