//! One-time password-reset tokens (OWASP ASVS 2.5).
//!
//! [`issue`] makes a random [`ResetToken`] that goes to the person once, in the
//! link of a message, and the SHA-256 hash and expiry that the database keeps.
//! When the link is opened, the presented token is hashed, the row is looked up
//! by hash, and [`check`] decides: the token must match, be unused and not
//! expired (24 hours by default).
//!
//! # Around it
//!
//! - Answer a reset request the same way whether or not the account exists.
//! - Mark the token used with a conditional update (`… SET used_at = now WHERE
//!   token_hash = ? AND used_at IS NULL`, one row affected) in the same
//!   transaction as the new password, so that it works once even when the link
//!   is opened twice at the same moment.
//! - After a reset, end all the account's sessions and void its other reset
//!   tokens. A reset replaces the password only: the next sign-in still asks
//!   for the second factor.
//! - Serve the page that carries the token with `Referrer-Policy: no-referrer`
//!   and move the token into the form, so that it does not leak onwards.

use jiff::{SignedDuration, Timestamp};

use crate::secret::bearer_token;

bearer_token! {
    /// A password-reset token: 32 random bytes, base64url in the link, stored
    /// only as its SHA-256. `Debug` hides it.
    ResetToken
}

/// How long a reset link works by default: 24 hours.
pub const DEFAULT_RESET_VALIDITY: SignedDuration = SignedDuration::from_hours(24);

/// A newly issued reset: the token to send, and what to store.
#[derive(Debug)]
pub struct IssuedReset {
    /// Goes into the link, once; never stored or logged.
    pub token: ResetToken,
    /// SHA-256 of the token, to store and look up by.
    pub token_hash: [u8; 32],
    /// The token does not work from this moment.
    pub expires_at: Timestamp,
}

/// Issues a reset token at `now` that works for `validity` (usually [`DEFAULT_RESET_VALIDITY`]).
pub fn issue(now: Timestamp, validity: SignedDuration) -> IssuedReset {
    let token = ResetToken::generate();
    let token_hash = token.hash();
    IssuedReset { token, token_hash, expires_at: crate::plus(now, validity) }
}

/// Why a presented reset token does not work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ResetError {
    /// Malformed, or not the token of this row.
    #[error("the reset link is not valid")]
    Invalid,
    /// Already used once.
    #[error("the reset link has been used")]
    Used,
    /// Expired.
    #[error("the reset link has expired")]
    Expired,
}

/// Checks a presented token against a stored row at `now`. The hash is compared
/// first (in constant time), so a wrong token learns nothing about the row;
/// then use before expiry (a used token is reported as used, even once expired).
/// It has expired from the moment `now` reaches `expires_at`.
pub fn check(
    stored_hash: &[u8; 32],
    expires_at: Timestamp,
    used_at: Option<Timestamp>,
    presented: &str,
    now: Timestamp,
) -> Result<(), ResetError> {
    if !ResetToken::matches_hash(stored_hash, presented) {
        return Err(ResetError::Invalid);
    }
    if used_at.is_some() {
        return Err(ResetError::Used);
    }
    if now >= expires_at {
        return Err(ResetError::Expired);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(1_700_000_000 + seconds).unwrap()
    }

    const DAY: i64 = 24 * 3600;

    #[test]
    fn an_issued_token_works_for_24_hours_and_stores_only_its_hash() {
        let issued = issue(at(0), DEFAULT_RESET_VALIDITY);
        assert_eq!(issued.expires_at, at(DAY));
        assert_eq!(issued.token_hash, secret::sha256(&ResetToken::parse(&issued.token.reveal()).unwrap().0));
        assert_eq!(issued.token.hash_hex(), secret::to_hex(&issued.token_hash));
        assert_eq!(check(&issued.token_hash, issued.expires_at, None, &issued.token.reveal(), at(60)), Ok(()));
    }

    #[test]
    fn a_token_expires_exactly_at_its_expiry() {
        let issued = issue(at(0), DEFAULT_RESET_VALIDITY);
        let token = issued.token.reveal();
        let just_before = at(DAY).checked_sub(SignedDuration::from_nanos(1)).unwrap();
        assert_eq!(check(&issued.token_hash, issued.expires_at, None, &token, just_before), Ok(()));
        assert_eq!(check(&issued.token_hash, issued.expires_at, None, &token, at(DAY)), Err(ResetError::Expired));
        assert_eq!(check(&issued.token_hash, issued.expires_at, None, &token, at(2 * DAY)), Err(ResetError::Expired));
    }

    #[test]
    fn a_used_token_is_refused_also_once_expired() {
        let issued = issue(at(0), DEFAULT_RESET_VALIDITY);
        let token = issued.token.reveal();
        let used = Some(at(100));
        assert_eq!(check(&issued.token_hash, issued.expires_at, used, &token, at(200)), Err(ResetError::Used));
        assert_eq!(check(&issued.token_hash, issued.expires_at, used, &token, at(2 * DAY)), Err(ResetError::Used));
    }

    #[test]
    fn another_or_malformed_token_is_invalid_whatever_the_row_says() {
        let issued = issue(at(0), DEFAULT_RESET_VALIDITY);
        let other = ResetToken::generate().reveal();
        for (used, now) in [(None, at(1)), (Some(at(1)), at(2)), (None, at(2 * DAY))] {
            assert_eq!(check(&issued.token_hash, issued.expires_at, used, &other, now), Err(ResetError::Invalid));
            assert_eq!(check(&issued.token_hash, issued.expires_at, used, "", now), Err(ResetError::Invalid));
            let hex = secret::to_hex(&issued.token_hash);
            assert_eq!(check(&issued.token_hash, issued.expires_at, used, &hex, now), Err(ResetError::Invalid));
        }
    }

    #[test]
    fn a_shorter_validity_is_honoured() {
        let issued = issue(at(0), SignedDuration::from_mins(30));
        let token = issued.token.reveal();
        assert_eq!(check(&issued.token_hash, issued.expires_at, None, &token, at(30 * 60)), Err(ResetError::Expired));
    }

    #[test]
    fn tokens_differ_and_debug_hides_them() {
        let (a, b) = (issue(at(0), DEFAULT_RESET_VALIDITY), issue(at(0), DEFAULT_RESET_VALIDITY));
        assert_ne!(a.token, b.token);
        assert_ne!(a.token_hash, b.token_hash);
        let debug = format!("{a:?}");
        assert!(debug.contains("ResetToken(<hidden>)"), "{debug}");
        assert!(!debug.contains(&a.token.reveal()));
    }
}
