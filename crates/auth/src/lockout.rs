//! Account lockout: after too many failed sign-ins an account is locked for a
//! while (OWASP ASVS 2.2.1), whoever tries and from wherever.
//!
//! The state is per account and lives in the database (a [`FailureState`] on
//! the account's row), so it holds across all app instances; the per-address
//! [`rate_limit`](crate::rate_limit) is the per-instance first line in front of
//! it. Both wrong passwords and wrong second-factor codes count as failures.
//!
//! With the default [`LockoutPolicy`], the 5th failure within 15 minutes locks
//! the account for 15 minutes: the 6th attempt is refused without the
//! password being looked at. Attempts during a lock are not counted and do not
//! extend it, so nobody can keep an account locked for longer than by
//! failing five times every quarter of an hour. When the lock has ended, the
//! count starts again. A successful sign-in clears the state.
//!
//! # Using it
//!
//! Read the state, decide and write the new state in one transaction that
//! holds the account's row (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's
//! write transactions are serialised already), so that parallel guesses on
//! several instances cannot each see four failures and all go ahead.
//!
//! Answer a locked account with the same message and after the same time
//! ([`verify_against_dummy`](crate::verify_against_dummy)) as a wrong
//! password: unknown usernames are never locked, so a distinct answer would
//! tell which usernames exist. Tell the account's owner through another
//! channel.

use jiff::{SignedDuration, Timestamp};

/// How many failures lock an account, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    /// This many failures within [`window`](Self::window) lock the account. Default 5.
    pub max_failures: u32,
    /// The window is counted from the first failure of a run. Default 15 minutes.
    pub window: SignedDuration,
    /// How long a lock lasts, from the failure that set it. Default 15 minutes.
    pub lock_for: SignedDuration,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        Self { max_failures: 5, window: SignedDuration::from_mins(15), lock_for: SignedDuration::from_mins(15) }
    }
}

/// What is stored per account. The default is a clean account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FailureState {
    /// Failures in the current window.
    pub failures: u32,
    /// When the current window's first failure happened.
    pub window_started_at: Option<Timestamp>,
    /// Set when the failures reached the maximum: the account is locked before this moment.
    pub locked_until: Option<Timestamp>,
}

impl LockoutPolicy {
    /// `Some(until)` while the account is locked at `now`; `None` from the moment `until` is reached.
    pub fn is_locked(&self, state: &FailureState, now: Timestamp) -> Option<Timestamp> {
        state.locked_until.filter(|until| now < *until)
    }

    /// The state after a failed attempt at `now`. During a lock the state is
    /// returned as it was (the attempt is neither counted nor extends the lock).
    /// A failure after the window or after a lock has ended starts a new count.
    /// Reaching [`max_failures`](Self::max_failures) sets the lock.
    pub fn after_failure(&self, state: FailureState, now: Timestamp) -> FailureState {
        if self.is_locked(&state, now).is_some() {
            return state;
        }
        let window_open = state.window_started_at.is_some_and(|started| now.duration_since(started) < self.window);
        let mut next = if state.locked_until.is_none() && window_open {
            state
        } else {
            FailureState { failures: 0, window_started_at: Some(now), locked_until: None }
        };
        next.failures = next.failures.saturating_add(1);
        if next.failures >= self.max_failures {
            next.locked_until = Some(crate::plus(now, self.lock_for));
        }
        next
    }

    /// The state after a successful sign-in: clean.
    pub fn after_success(&self) -> FailureState {
        FailureState::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(1_700_000_000 + seconds).unwrap()
    }

    fn fail_at(policy: &LockoutPolicy, times: &[i64]) -> FailureState {
        times.iter().fold(FailureState::default(), |state, t| policy.after_failure(state, at(*t)))
    }

    #[test]
    fn the_default_is_five_failures_in_15_minutes_locking_for_15_minutes() {
        let policy = LockoutPolicy::default();
        assert_eq!(policy.max_failures, 5);
        assert_eq!(policy.window, SignedDuration::from_secs(900));
        assert_eq!(policy.lock_for, SignedDuration::from_secs(900));
    }

    #[test]
    fn a_clean_account_is_not_locked() {
        assert_eq!(LockoutPolicy::default().is_locked(&FailureState::default(), at(0)), None);
    }

    #[test]
    fn four_failures_do_not_lock_and_the_fifth_does() {
        let policy = LockoutPolicy::default();
        let four = fail_at(&policy, &[0, 10, 20, 30]);
        assert_eq!(four.failures, 4);
        assert_eq!(policy.is_locked(&four, at(40)), None);
        let five = policy.after_failure(four, at(40));
        assert_eq!(five.failures, 5);
        assert_eq!(policy.is_locked(&five, at(40)), Some(at(40 + 900)));
    }

    #[test]
    fn a_sixth_attempt_during_the_lock_is_refused_and_neither_counted_nor_extends_it() {
        let policy = LockoutPolicy::default();
        let five = fail_at(&policy, &[0, 10, 20, 30, 40]);
        assert!(policy.is_locked(&five, at(50)).is_some());
        let six = policy.after_failure(five, at(50));
        assert_eq!(six, five);
        assert_eq!(policy.is_locked(&six, at(50)), Some(at(940)));
    }

    #[test]
    fn the_lock_ends_exactly_at_its_until() {
        let policy = LockoutPolicy::default();
        let locked = fail_at(&policy, &[0, 0, 0, 0, 0]);
        let until = at(900);
        assert_eq!(policy.is_locked(&locked, until.checked_sub(SignedDuration::from_nanos(1)).unwrap()), Some(until));
        assert_eq!(policy.is_locked(&locked, until), None);
    }

    #[test]
    fn after_a_lock_the_count_starts_again() {
        let policy = LockoutPolicy::default();
        let locked = fail_at(&policy, &[0, 0, 0, 0, 0]);
        let after = policy.after_failure(locked, at(900));
        assert_eq!(after, FailureState { failures: 1, window_started_at: Some(at(900)), locked_until: None });
        assert_eq!(policy.is_locked(&after, at(900)), None);
        let again = [901, 902, 903, 904].iter().fold(after, |s, t| policy.after_failure(s, at(*t)));
        assert_eq!(policy.is_locked(&again, at(904)), Some(at(904 + 900)));
    }

    #[test]
    fn failures_spread_over_more_than_the_window_do_not_lock() {
        let policy = LockoutPolicy::default();
        // The fifth failure exactly 15 minutes after the first begins a new window.
        let state = fail_at(&policy, &[0, 60, 120, 180, 900]);
        assert_eq!(state, FailureState { failures: 1, window_started_at: Some(at(900)), locked_until: None });
        assert_eq!(policy.is_locked(&state, at(900)), None);
        // One second earlier it is the fifth in the window.
        let state = fail_at(&policy, &[0, 60, 120, 180, 899]);
        assert_eq!(policy.is_locked(&state, at(899)), Some(at(899 + 900)));
    }

    #[test]
    fn success_clears_the_count() {
        let policy = LockoutPolicy::default();
        assert_eq!(fail_at(&policy, &[0, 10, 20, 30]).failures, 4);
        let cleared = policy.after_success();
        assert_eq!(cleared, FailureState::default());
        // What would have been the fifth failure is now the first.
        let after = policy.after_failure(cleared, at(40));
        assert_eq!(after.failures, 1);
        assert_eq!(policy.is_locked(&after, at(40)), None);
    }

    #[test]
    fn a_policy_of_one_failure_locks_at_once() {
        let policy = LockoutPolicy { max_failures: 1, ..LockoutPolicy::default() };
        let state = policy.after_failure(FailureState::default(), at(0));
        assert_eq!(policy.is_locked(&state, at(0)), Some(at(900)));
    }

    #[test]
    fn a_clock_slightly_behind_stays_in_the_window() {
        let policy = LockoutPolicy::default();
        let state = fail_at(&policy, &[100, 99, 98, 97, 96]);
        assert_eq!(state.failures, 5);
        assert_eq!(policy.is_locked(&state, at(96)), Some(at(96 + 900)));
    }
}
