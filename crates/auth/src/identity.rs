//! The seam between ways of signing in and the session: every method ends in
//! the same [`VerifiedIdentity`], which is all the session layer consumes
//! ([`SessionState::for_identity`](crate::SessionState::for_identity)).
//!
//! Today there is one method, [`SignInMethod::Password`]: username and
//! password, then a TOTP code (or a recovery code). Its flow is a pure state
//! machine over what the store reads and writes:
//!
//! ```text
//!  SignInPolicy::password_step ──► PasswordStep::Refused            (same message for every reason)
//!          │                   ──► PasswordStep::Verified           (no second factor enrolled yet:
//!          │                                                         second_factor = false, enrol next)
//!          ▼
//!  PasswordStep::NeedsSecondFactor ── verify_totp / verify_recovery_code ──► SecondFactorStep::Verified
//!          ▲                                                          ──► SecondFactorStep::Refused (try again)
//!          └───────────────── (kept in a pre-authentication session) ──► SecondFactorStep::Expired (start over)
//! ```
//!
//! Each step returns what to write back: the account's new
//! [`FailureState`] (when it changed), the TOTP step used or the recovery code
//! consumed. The functions are generic over `U`, the application's reference
//! to a user (its `UserId`), so this crate needs nothing from the domain.
//!
//! The flow ties the other modules together: unknown usernames and locked
//! accounts spend the time of a real password check
//! ([`verify_against_dummy`]) and get the same
//! answer as a wrong password; wrong passwords and wrong codes both count
//! towards the [`lockout`](crate::lockout); and a right password does *not*
//! clear the failure count when a second factor follows, only a complete
//! sign-in does, so knowing the password does not buy unlimited code guesses.
//!
//! # Single sign-on later
//!
//! An OpenID Connect provider (the municipalities' SSO, MitID Erhverv through
//! a broker) will be a second variant, `SignInMethod::Oidc { provider }`, and
//! a flow of its own, because its shape differs: a redirect out and a callback
//! in, not a form. Its steps would be: start (state, nonce and PKCE verifier
//! kept in the pre-authentication session, redirect to the provider), then
//! callback (check `state`, exchange the code, validate the ID token's
//! signature, `iss`, `aud`, `exp` and `nonce`), then map the provider's
//! `(iss, sub)` to a `U` through a table of linked identities (never by
//! e-mail address), and end in `VerifiedIdentity { method: Oidc { provider },
//! second_factor }` where `second_factor` comes from the token's `acr`/`amr`
//! (for instance NSIS assurance level *substantial*). Lockout and TOTP do not
//! apply to it; the provider does that part. There is deliberately no common
//! trait over the methods: the shared point is the result type, not the steps.

use jiff::{SignedDuration, Timestamp};

use crate::lockout::{FailureState, LockoutPolicy};
use crate::password::{verify_against_dummy, verify_password};
use crate::totp::{self, RecoveryCodeHash, TotpError, TotpSecret};

/// How a person signed in. More methods will be added, so match with a wildcard.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignInMethod {
    /// Username and password, followed by a TOTP code or a recovery code when enrolled.
    Password,
}

/// The result of every sign-in method, and what the session layer consumes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedIdentity<U> {
    /// Who signed in, as the application refers to users.
    pub user_ref: U,
    /// How.
    pub method: SignInMethod,
    /// Whether a second factor was part of it. Without one, the session may
    /// only be used to enrol one.
    pub second_factor: bool,
}

/// The rules of the password method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInPolicy {
    /// When failures lock the account.
    pub lockout: LockoutPolicy,
    /// How long after the password the second factor may come. Default 5 minutes.
    pub second_factor_window: SignedDuration,
}

impl Default for SignInPolicy {
    fn default() -> Self {
        Self { lockout: LockoutPolicy::default(), second_factor_window: SignedDuration::from_mins(5) }
    }
}

/// What the store reads for the password step, found by the username given.
pub struct PasswordAccount<U> {
    /// The account's user.
    pub user_ref: U,
    /// The Argon2id PHC string.
    pub password_hash: String,
    /// The account's lockout state.
    pub failures: FailureState,
    /// Whether a TOTP secret is enrolled (then the second factor is required).
    pub second_factor_enrolled: bool,
}

impl<U: std::fmt::Debug> std::fmt::Debug for PasswordAccount<U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordAccount")
            .field("user_ref", &self.user_ref)
            .field("password_hash", &"<hidden>")
            .field("failures", &self.failures)
            .field("second_factor_enrolled", &self.second_factor_enrolled)
            .finish()
    }
}

/// Why a step refused. The person is told the same for all of them ("sign-in
/// failed"); the reason is for the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No account has the username given.
    UnknownAccount,
    /// The password did not match.
    WrongPassword,
    /// The account's stored hash does not parse (a fault to investigate, not counted).
    MalformedHash,
    /// The account is locked until then; nothing was checked.
    Locked {
        /// When the lock ends.
        until: Timestamp,
    },
    /// The TOTP code was refused.
    WrongCode(TotpError),
    /// The recovery code matched none of the unused ones.
    WrongRecoveryCode,
}

/// The outcome of the password step.
#[derive(Debug)]
pub enum PasswordStep<U> {
    /// Refused. Store `failures` when it is `Some`.
    Refused {
        /// Why (for the log).
        reason: Refusal,
        /// The account's new lockout state, when it changed.
        failures: Option<FailureState>,
    },
    /// The password was right; ask for the second factor. Nothing to store on the
    /// account; keep the pending state in a pre-authentication session.
    NeedsSecondFactor(NeedsSecondFactor<U>),
    /// The password was right and no second factor is enrolled: signed in with
    /// `second_factor: false`. Store `failures` (cleared).
    Verified {
        /// Who signed in.
        identity: VerifiedIdentity<U>,
        /// The account's lockout state, cleared.
        failures: FailureState,
    },
}

/// A right password waiting for its second factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedsSecondFactor<U> {
    user_ref: U,
    password_verified_at: Timestamp,
}

/// What the second factor used, for the store to record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactorUsed {
    /// A TOTP code: store the step as the account's `last_used_step`.
    Totp {
        /// The matched time step.
        step: u64,
    },
    /// A recovery code: delete (or mark used) the stored code at this index of the
    /// slice given, conditionally, in the same transaction.
    RecoveryCode {
        /// Index into the stored hashes.
        index: usize,
    },
}

/// The outcome of the second-factor step.
#[derive(Debug)]
pub enum SecondFactorStep<U> {
    /// Signed in. Store `failures` (cleared) and what `used` says; issue a new session token.
    Verified {
        /// Who signed in, with `second_factor: true`.
        identity: VerifiedIdentity<U>,
        /// The account's lockout state, cleared.
        failures: FailureState,
        /// What to record about the factor used.
        used: SecondFactorUsed,
    },
    /// Refused; the person may try again with `pending` unless the account is now locked.
    Refused {
        /// Why (for the log).
        reason: Refusal,
        /// The account's new lockout state, when it changed.
        failures: Option<FailureState>,
        /// The pending state, unchanged.
        pending: NeedsSecondFactor<U>,
    },
    /// The second factor came later than the policy's window: start again with the password.
    Expired,
}

/// What the store reads for a TOTP code.
#[derive(Debug, Clone, Copy)]
pub struct TotpAccount<'a> {
    /// The account's lockout state, read again (it may have changed since the password).
    pub failures: FailureState,
    /// The enrolled secret.
    pub secret: &'a TotpSecret,
    /// The last step a code was accepted for.
    pub last_used_step: Option<u64>,
}

impl SignInPolicy {
    /// The password step for the account found by the username given (`None`
    /// when there is none), at `now`. Unknown, locked and broken accounts spend
    /// the time of a real check.
    pub fn password_step<U>(
        &self,
        account: Option<PasswordAccount<U>>,
        password: &str,
        now: Timestamp,
    ) -> PasswordStep<U> {
        let refuse = |reason, failures| PasswordStep::Refused { reason, failures };
        let Some(account) = account else {
            verify_against_dummy(password);
            return refuse(Refusal::UnknownAccount, None);
        };
        if let Some(until) = self.lockout.is_locked(&account.failures, now) {
            verify_against_dummy(password);
            return refuse(Refusal::Locked { until }, None);
        }
        match verify_password(password, &account.password_hash) {
            Err(_) => {
                verify_against_dummy(password);
                refuse(Refusal::MalformedHash, None)
            }
            Ok(false) => refuse(Refusal::WrongPassword, Some(self.lockout.after_failure(account.failures, now))),
            Ok(true) if account.second_factor_enrolled => PasswordStep::NeedsSecondFactor(NeedsSecondFactor {
                user_ref: account.user_ref,
                password_verified_at: now,
            }),
            Ok(true) => PasswordStep::Verified {
                identity: VerifiedIdentity {
                    user_ref: account.user_ref,
                    method: SignInMethod::Password,
                    second_factor: false,
                },
                failures: self.lockout.after_success(),
            },
        }
    }
}

impl<U> NeedsSecondFactor<U> {
    /// Rebuilds the pending state from the pre-authentication session it was
    /// saved in. Only ever from what [`SignInPolicy::password_step`] returned.
    pub fn restore(user_ref: U, password_verified_at: Timestamp) -> Self {
        Self { user_ref, password_verified_at }
    }

    /// Whose password it was.
    pub fn user_ref(&self) -> &U {
        &self.user_ref
    }

    /// When the password was verified.
    pub fn password_verified_at(&self) -> Timestamp {
        self.password_verified_at
    }

    /// Checks a TOTP code at `now`.
    pub fn verify_totp(
        self,
        policy: &SignInPolicy,
        account: TotpAccount<'_>,
        code: &str,
        now: Timestamp,
    ) -> SecondFactorStep<U> {
        self.second_factor(policy, account.failures, now, |now| {
            totp::verify(account.secret, code, now, account.last_used_step)
                .map(|step| SecondFactorUsed::Totp { step })
                .map_err(Refusal::WrongCode)
        })
    }

    /// Checks a recovery code at `now` against the account's unused codes.
    pub fn verify_recovery_code(
        self,
        policy: &SignInPolicy,
        failures: FailureState,
        stored: &[RecoveryCodeHash],
        presented: &str,
        now: Timestamp,
    ) -> SecondFactorStep<U> {
        self.second_factor(policy, failures, now, |_| {
            totp::find_recovery_code(stored, presented)
                .map(|index| SecondFactorUsed::RecoveryCode { index })
                .ok_or(Refusal::WrongRecoveryCode)
        })
    }

    fn second_factor(
        self,
        policy: &SignInPolicy,
        failures: FailureState,
        now: Timestamp,
        check: impl FnOnce(Timestamp) -> Result<SecondFactorUsed, Refusal>,
    ) -> SecondFactorStep<U> {
        if now.duration_since(self.password_verified_at) >= policy.second_factor_window {
            return SecondFactorStep::Expired;
        }
        if let Some(until) = policy.lockout.is_locked(&failures, now) {
            return SecondFactorStep::Refused { reason: Refusal::Locked { until }, failures: None, pending: self };
        }
        match check(now) {
            Ok(used) => SecondFactorStep::Verified {
                identity: VerifiedIdentity {
                    user_ref: self.user_ref,
                    method: SignInMethod::Password,
                    second_factor: true,
                },
                failures: policy.lockout.after_success(),
                used,
            },
            Err(reason) => SecondFactorStep::Refused {
                reason,
                failures: Some(policy.lockout.after_failure(failures, now)),
                pending: self,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use super::*;
    use crate::SessionState;
    use crate::totp::{code_at, generate_recovery_codes, step_at};

    const PASSWORD: &str = "korrekt hest batteri";

    static HASH: LazyLock<String> = LazyLock::new(|| crate::hash_password(PASSWORD).unwrap());

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(1_700_000_000 + seconds).unwrap()
    }

    fn account(failures: FailureState, enrolled: bool) -> Option<PasswordAccount<&'static str>> {
        Some(PasswordAccount {
            user_ref: "user-1",
            password_hash: HASH.clone(),
            failures,
            second_factor_enrolled: enrolled,
        })
    }

    fn pending(policy: &SignInPolicy, now: Timestamp) -> NeedsSecondFactor<&'static str> {
        match policy.password_step(account(FailureState::default(), true), PASSWORD, now) {
            PasswordStep::NeedsSecondFactor(p) => p,
            other => panic!("expected the second factor, got {other:?}"),
        }
    }

    /// A code that none of the steps around `now` accepts.
    fn wrong_code(secret: &TotpSecret, now: Timestamp) -> String {
        let near: Vec<String> =
            [-30, 0, 30].iter().map(|d| code_at(secret, at(now.as_second() - 1_700_000_000 + d))).collect();
        (0..).map(|n| format!("{n:06}")).find(|c| !near.contains(c)).unwrap()
    }

    fn totp_account(failures: FailureState, secret: &TotpSecret) -> TotpAccount<'_> {
        TotpAccount { failures, secret, last_used_step: None }
    }

    #[test]
    fn an_unknown_username_is_refused_without_counting() {
        let step = SignInPolicy::default().password_step::<&str>(None, PASSWORD, at(0));
        assert!(matches!(step, PasswordStep::Refused { reason: Refusal::UnknownAccount, failures: None }));
    }

    #[test]
    fn a_wrong_password_is_refused_and_counted() {
        let step = SignInPolicy::default().password_step(account(FailureState::default(), true), "forkert", at(0));
        let PasswordStep::Refused { reason: Refusal::WrongPassword, failures: Some(failures) } = step else {
            panic!("{step:?}")
        };
        assert_eq!(failures.failures, 1);
    }

    #[test]
    fn the_fifth_wrong_password_locks_and_then_even_the_right_one_is_refused_unchecked() {
        let policy = SignInPolicy::default();
        let mut state = FailureState::default();
        for i in 0..5 {
            match policy.password_step(account(state, true), "forkert", at(i)) {
                PasswordStep::Refused { reason: Refusal::WrongPassword, failures: Some(f) } => state = f,
                other => panic!("{other:?}"),
            }
        }
        let step = policy.password_step(account(state, true), PASSWORD, at(10));
        assert!(
            matches!(step, PasswordStep::Refused { reason: Refusal::Locked { until }, failures: None } if until == at(4 + 900)),
            "{step:?}"
        );
        // Once the lock has ended, the right password goes through.
        assert!(matches!(
            policy.password_step(account(state, true), PASSWORD, at(904)),
            PasswordStep::NeedsSecondFactor(_)
        ));
    }

    #[test]
    fn a_broken_stored_hash_is_refused_without_counting() {
        let mut broken = account(FailureState::default(), true).unwrap();
        broken.password_hash = "not a hash".into();
        let step = SignInPolicy::default().password_step(Some(broken), PASSWORD, at(0));
        assert!(matches!(step, PasswordStep::Refused { reason: Refusal::MalformedHash, failures: None }));
    }

    #[test]
    fn the_right_password_without_a_second_factor_signs_in_without_one() {
        let four = FailureState { failures: 4, window_started_at: Some(at(0)), locked_until: None };
        let step = SignInPolicy::default().password_step(account(four, false), PASSWORD, at(10));
        let PasswordStep::Verified { identity, failures } = step else { panic!("{step:?}") };
        assert_eq!(
            identity,
            VerifiedIdentity { user_ref: "user-1", method: SignInMethod::Password, second_factor: false }
        );
        assert_eq!(failures, FailureState::default());
        assert!(!SessionState::for_identity(&identity, at(10)).second_factor_verified);
    }

    #[test]
    fn password_then_totp_signs_in_with_a_second_factor() {
        let policy = SignInPolicy::default();
        let secret = TotpSecret::generate();
        let pending = pending(&policy, at(0));
        assert_eq!(pending.user_ref(), &"user-1");
        assert_eq!(pending.password_verified_at(), at(0));
        let code = code_at(&secret, at(20));
        let step = pending.verify_totp(&policy, totp_account(FailureState::default(), &secret), &code, at(20));
        let SecondFactorStep::Verified { identity, failures, used } = step else { panic!("{step:?}") };
        assert_eq!(
            identity,
            VerifiedIdentity { user_ref: "user-1", method: SignInMethod::Password, second_factor: true }
        );
        assert_eq!(failures, FailureState::default());
        assert_eq!(used, SecondFactorUsed::Totp { step: step_at(at(20)) });
        let session = SessionState::for_identity(&identity, at(20));
        assert!(session.second_factor_verified);
        assert_eq!(session.created_at, at(20));
    }

    #[test]
    fn a_wrong_code_is_counted_and_the_person_may_try_again() {
        let policy = SignInPolicy::default();
        let secret = TotpSecret::generate();
        let right = code_at(&secret, at(20));
        let wrong = wrong_code(&secret, at(20));
        let step = pending(&policy, at(0)).verify_totp(
            &policy,
            totp_account(FailureState::default(), &secret),
            &wrong,
            at(20),
        );
        let SecondFactorStep::Refused { reason, failures: Some(failures), pending } = step else { panic!("{step:?}") };
        assert_eq!(reason, Refusal::WrongCode(TotpError::Invalid));
        assert_eq!(failures.failures, 1);
        let again = pending.verify_totp(&policy, totp_account(failures, &secret), &right, at(25));
        assert!(matches!(again, SecondFactorStep::Verified { .. }), "{again:?}");
    }

    #[test]
    fn a_replayed_code_is_refused() {
        let policy = SignInPolicy::default();
        let secret = TotpSecret::generate();
        let code = code_at(&secret, at(20));
        let account =
            TotpAccount { failures: FailureState::default(), secret: &secret, last_used_step: Some(step_at(at(20))) };
        let step = pending(&policy, at(0)).verify_totp(&policy, account, &code, at(20));
        assert!(
            matches!(step, SecondFactorStep::Refused { reason: Refusal::WrongCode(TotpError::Replayed), .. }),
            "{step:?}"
        );
    }

    #[test]
    fn knowing_the_password_does_not_reset_the_count_for_guessing_codes() {
        let policy = SignInPolicy::default();
        let secret = TotpSecret::generate();
        let mut state = FailureState::default();
        // Alternate the right password with wrong codes: the fifth wrong code locks.
        for i in 0..5 {
            let PasswordStep::NeedsSecondFactor(p) = policy.password_step(account(state, true), PASSWORD, at(i * 10))
            else {
                panic!("locked too early at round {i}")
            };
            let wrong = wrong_code(&secret, at(i * 10 + 1));
            match p.verify_totp(&policy, totp_account(state, &secret), &wrong, at(i * 10 + 1)) {
                SecondFactorStep::Refused { failures: Some(f), .. } => state = f,
                other => panic!("{other:?}"),
            }
        }
        assert!(policy.lockout.is_locked(&state, at(50)).is_some());
        assert!(matches!(
            policy.password_step(account(state, true), PASSWORD, at(50)),
            PasswordStep::Refused { reason: Refusal::Locked { .. }, .. }
        ));
    }

    #[test]
    fn a_locked_account_refuses_even_the_right_code() {
        let policy = SignInPolicy::default();
        let secret = TotpSecret::generate();
        let pending = pending(&policy, at(0));
        let locked = FailureState { failures: 5, window_started_at: Some(at(1)), locked_until: Some(at(901)) };
        let code = code_at(&secret, at(20));
        let step = pending.verify_totp(&policy, totp_account(locked, &secret), &code, at(20));
        assert!(matches!(
            step,
            SecondFactorStep::Refused { reason: Refusal::Locked { until }, failures: None, .. } if until == at(901)
        ));
    }

    #[test]
    fn the_second_factor_must_come_within_five_minutes() {
        let policy = SignInPolicy::default();
        let secret = TotpSecret::generate();
        let late = at(300);
        let step = pending(&policy, at(0)).verify_totp(
            &policy,
            totp_account(FailureState::default(), &secret),
            &code_at(&secret, late),
            late,
        );
        assert!(matches!(step, SecondFactorStep::Expired), "{step:?}");
        let in_time = at(299);
        let step = pending(&policy, at(0)).verify_totp(
            &policy,
            totp_account(FailureState::default(), &secret),
            &code_at(&secret, in_time),
            in_time,
        );
        assert!(matches!(step, SecondFactorStep::Verified { .. }), "{step:?}");
    }

    #[test]
    fn a_recovery_code_signs_in_once() {
        let policy = SignInPolicy::default();
        let codes = generate_recovery_codes();
        let mut stored: Vec<_> = codes.iter().map(|c| c.hash()).collect();
        let presented = codes[2].reveal();
        let step =
            pending(&policy, at(0)).verify_recovery_code(&policy, FailureState::default(), &stored, &presented, at(30));
        let SecondFactorStep::Verified { identity, used, .. } = step else { panic!("{step:?}") };
        assert!(identity.second_factor);
        assert_eq!(used, SecondFactorUsed::RecoveryCode { index: 2 });
        stored.remove(2);
        let again = pending(&policy, at(40)).verify_recovery_code(
            &policy,
            FailureState::default(),
            &stored,
            &presented,
            at(50),
        );
        let SecondFactorStep::Refused { reason, failures: Some(failures), .. } = again else { panic!("{again:?}") };
        assert_eq!(reason, Refusal::WrongRecoveryCode);
        assert_eq!(failures.failures, 1);
    }

    #[test]
    fn the_pending_state_survives_being_stored_and_restored() {
        let policy = SignInPolicy::default();
        let secret = TotpSecret::generate();
        let original = pending(&policy, at(0));
        let restored = NeedsSecondFactor::restore(*original.user_ref(), original.password_verified_at());
        assert_eq!(restored, original);
        let step = restored.verify_totp(
            &policy,
            totp_account(FailureState::default(), &secret),
            &code_at(&secret, at(5)),
            at(5),
        );
        assert!(matches!(step, SecondFactorStep::Verified { .. }));
    }

    #[test]
    fn debug_of_an_account_hides_the_password_hash() {
        let text = format!("{:?}", account(FailureState::default(), true).unwrap());
        assert!(text.contains("<hidden>"));
        assert!(!text.contains("argon2"));
    }
}
