//! An in-memory rate limiter per key (a client's address), in front of sign-in
//! and the other unauthenticated forms (OWASP ASVS 2.2.1, 11.1.4).
//!
//! It is the generic cell rate algorithm (GCRA), the exact equivalent of a
//! token bucket that needs one timestamp per key: each key has a *theoretical
//! arrival time* (TAT); a request is allowed when it is not earlier than
//! `TAT − burst × interval`, and then moves the TAT one interval on. The
//! default for sign-in, [`RateLimit::SIGN_IN`], is 10 attempts a minute per
//! address with a burst of 5.
//!
//! # Per instance, not shared
//!
//! The limiter lives in one process's memory. With several app instances
//! behind a load balancer each counts on its own, so an address may get up to
//! that many times the limit, and a restart forgets everything. That is
//! acceptable because it is the first line only: the per-account
//! [`lockout`](crate::lockout) is stored in the database and shared by all
//! instances, and it is what bounds guessing against any one account.
//!
//! # Bounded memory
//!
//! A key whose TAT has passed is in exactly the state of a key never seen, so
//! it can be forgotten without changing any answer; such idle keys are swept
//! out every minute. The map never holds more than `max_keys` keys: when a new
//! key finds it full after a sweep, the tenth of the keys closest to being idle
//! are forgotten (they lose the least). Key IPv6 clients by their /64 network
//! ([`client_key`]), since one household or server usually has a whole /64.
//!
//! Time is a monotonic [`Instant`], not wall-clock time: the limiter is never
//! stored, and a wall clock that is set back must not lift or extend limits.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How many requests a key may make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed per [`period`](Self::period) in the long run (at least 1).
    pub per_period: u32,
    /// The period of [`per_period`](Self::per_period).
    pub period: Duration,
    /// Requests allowed at once after a quiet spell (at least 1).
    pub burst: u32,
}

impl RateLimit {
    /// Sign-in attempts per client address: 10 a minute, 5 at once.
    pub const SIGN_IN: RateLimit = RateLimit { per_period: 10, period: Duration::from_secs(60), burst: 5 };

    /// The steady spacing of allowed requests: `period / per_period`.
    pub fn interval(&self) -> Duration {
        self.period / self.per_period.max(1)
    }
}

/// Refused: the key may try again after this long. For a `Retry-After` header use
/// [`whole_seconds`](Self::whole_seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many requests; retry after {} s", self.whole_seconds())]
pub struct RetryAfter(pub Duration);

impl RetryAfter {
    /// The wait in whole seconds, rounded up (never 0).
    pub fn whole_seconds(&self) -> u64 {
        let secs = self.0.as_secs() + u64::from(self.0.subsec_nanos() > 0);
        secs.max(1)
    }
}

/// The default bound on the number of keys held: 100 000 (a few megabytes).
pub const DEFAULT_MAX_KEYS: usize = 100_000;

/// How often idle keys are swept out.
const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// A thread-safe GCRA limiter over keys `K` (by default client addresses). Share
/// one per purpose across the process (in an `Arc` or a `static`). `Debug` shows
/// the settings and the number of keys, never the keys (addresses are personal data).
pub struct RateLimiter<K = IpAddr> {
    interval: Duration,
    tolerance: Duration,
    max_keys: usize,
    inner: Mutex<Inner<K>>,
}

struct Inner<K> {
    /// Each key's theoretical arrival time.
    tats: HashMap<K, Instant>,
    next_sweep: Option<Instant>,
}

impl<K: Hash + Eq + Clone> RateLimiter<K> {
    /// A limiter with `limit` per key holding at most `max_keys` keys (at least 1).
    pub fn new(limit: RateLimit, max_keys: usize) -> Self {
        let interval = limit.interval();
        Self {
            interval,
            tolerance: interval.saturating_mul(limit.burst.max(1)),
            max_keys: max_keys.max(1),
            inner: Mutex::new(Inner { tats: HashMap::new(), next_sweep: None }),
        }
    }

    /// Counts a request by `key` at `now`: `Ok` if allowed, otherwise how long
    /// until the next one would be. A refused request is not counted.
    pub fn check(&self, key: &K, now: Instant) -> Result<(), RetryAfter> {
        // A panic elsewhere while holding the lock leaves the map valid: go on with it.
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if inner.next_sweep.is_none_or(|at| now >= at) {
            inner.tats.retain(|_, tat| *tat > now);
            inner.next_sweep = now.checked_add(SWEEP_EVERY);
        }
        let known = inner.tats.get(key).copied();
        let tat = known.filter(|tat| *tat > now).unwrap_or(now);
        let new_tat = tat.checked_add(self.interval).unwrap_or(tat);
        if let Some(allow_at) = new_tat.checked_sub(self.tolerance)
            && now < allow_at
        {
            return Err(RetryAfter(allow_at - now));
        }
        if known.is_none() && inner.tats.len() >= self.max_keys {
            inner.make_room(now, self.max_keys);
        }
        inner.tats.insert(key.clone(), new_tat);
        Ok(())
    }

    /// How many keys are held now (for metrics and tests).
    pub fn len(&self) -> usize {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner).tats.len()
    }

    /// True when no key is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<K> std::fmt::Debug for RateLimiter<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys = self.inner.lock().unwrap_or_else(PoisonError::into_inner).tats.len();
        f.debug_struct("RateLimiter")
            .field("interval", &self.interval)
            .field("tolerance", &self.tolerance)
            .field("max_keys", &self.max_keys)
            .field("keys", &keys)
            .finish()
    }
}

impl<K: Hash + Eq> Inner<K> {
    /// Drops idle keys, and if the map is still full, the tenth of the keys with
    /// the earliest TAT (ties broken arbitrarily).
    fn make_room(&mut self, now: Instant, max_keys: usize) {
        self.tats.retain(|_, tat| *tat > now);
        if self.tats.len() < max_keys {
            return;
        }
        let evict = (max_keys / 10).max(1);
        let mut tats: Vec<Instant> = self.tats.values().copied().collect();
        let (_, threshold, _) = tats.select_nth_unstable(evict - 1);
        let threshold = *threshold;
        let mut evicted = 0;
        self.tats.retain(|_, tat| {
            let drop = *tat <= threshold && evicted < evict;
            evicted += usize::from(drop);
            !drop
        });
    }
}

/// The key to limit a client address by: an IPv4 address as it is (also when
/// it arrives IPv4-mapped in IPv6), an IPv6 address by its /64 network.
pub fn client_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from_bits(v6.to_bits() & !u128::from(u64::MAX))),
        },
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    fn sign_in() -> RateLimiter<&'static str> {
        RateLimiter::new(RateLimit::SIGN_IN, DEFAULT_MAX_KEYS)
    }

    #[test]
    fn a_burst_of_five_is_allowed_and_the_sixth_waits_six_seconds() {
        let limiter = sign_in();
        let t0 = Instant::now();
        for i in 0..5 {
            assert_eq!(limiter.check(&"a", t0), Ok(()), "request {i}");
        }
        assert_eq!(limiter.check(&"a", t0), Err(RetryAfter(secs(6))));
    }

    #[test]
    fn the_next_request_is_allowed_exactly_when_retry_after_says() {
        let limiter = sign_in();
        let t0 = Instant::now();
        for _ in 0..5 {
            limiter.check(&"a", t0).unwrap();
        }
        let almost = t0 + secs(6) - Duration::from_millis(1);
        assert_eq!(limiter.check(&"a", almost), Err(RetryAfter(Duration::from_millis(1))));
        assert_eq!(limiter.check(&"a", t0 + secs(6)), Ok(()));
        assert_eq!(limiter.check(&"a", t0 + secs(6)), Err(RetryAfter(secs(6))));
    }

    #[test]
    fn ten_a_minute_can_go_on_for_ever_and_faster_cannot() {
        let limiter = sign_in();
        let t0 = Instant::now();
        for i in 0..600 {
            assert_eq!(limiter.check(&"steady", t0 + secs(6 * i)), Ok(()), "request {i}");
        }
        let refused = (0..60).filter(|i| limiter.check(&"fast", t0 + secs(5 * i)).is_err()).count();
        assert!(refused > 0);
        // After the burst of five, one in six is refused at five-second spacing.
        let allowed = 60 - refused;
        assert!((54..=56).contains(&allowed), "{allowed} allowed");
    }

    #[test]
    fn refused_requests_are_not_counted() {
        let limiter = sign_in();
        let t0 = Instant::now();
        for _ in 0..5 {
            limiter.check(&"a", t0).unwrap();
        }
        for _ in 0..100 {
            assert!(limiter.check(&"a", t0 + secs(1)).is_err());
        }
        assert_eq!(limiter.check(&"a", t0 + secs(6)), Ok(()));
    }

    #[test]
    fn a_quiet_spell_restores_the_whole_burst() {
        let limiter = sign_in();
        let t0 = Instant::now();
        for _ in 0..5 {
            limiter.check(&"a", t0).unwrap();
        }
        let later = t0 + secs(30);
        for i in 0..5 {
            assert_eq!(limiter.check(&"a", later), Ok(()), "request {i}");
        }
        assert!(limiter.check(&"a", later).is_err());
    }

    #[test]
    fn keys_are_limited_independently() {
        let limiter = sign_in();
        let t0 = Instant::now();
        for _ in 0..5 {
            limiter.check(&"a", t0).unwrap();
        }
        assert!(limiter.check(&"a", t0).is_err());
        assert_eq!(limiter.check(&"b", t0), Ok(()));
    }

    #[test]
    fn idle_keys_are_swept_out() {
        let limiter = sign_in();
        let t0 = Instant::now();
        for key in ["a", "b", "c"] {
            limiter.check(&key, t0).unwrap();
        }
        assert_eq!(limiter.len(), 3);
        limiter.check(&"d", t0 + secs(61)).unwrap();
        assert_eq!(limiter.len(), 1);
    }

    #[test]
    fn the_map_never_exceeds_its_bound_and_keeps_the_most_restricted_keys() {
        let limiter: RateLimiter<u32> = RateLimiter::new(RateLimit::SIGN_IN, 100);
        let t0 = Instant::now();
        for _ in 0..5 {
            limiter.check(&0, t0).unwrap();
        }
        for key in 1..1000 {
            limiter.check(&key, t0).unwrap();
            assert!(limiter.len() <= 100);
        }
        assert!(limiter.len() >= 90);
        assert!(limiter.check(&0, t0).is_err(), "the key that used its burst is still limited");
    }

    #[test]
    fn concurrent_requests_share_one_burst() {
        let limiter = Arc::new(sign_in());
        let t0 = Instant::now();
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let limiter = Arc::clone(&limiter);
                std::thread::spawn(move || (0..50).filter(|_| limiter.check(&"a", t0).is_ok()).count())
            })
            .collect();
        let allowed: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
        assert_eq!(allowed, 5);
    }

    #[test]
    fn degenerate_limits_are_raised_to_one() {
        let limiter = RateLimiter::new(RateLimit { per_period: 0, period: secs(60), burst: 0 }, 0);
        let t0 = Instant::now();
        assert_eq!(limiter.check(&"a", t0), Ok(()));
        assert_eq!(limiter.check(&"a", t0), Err(RetryAfter(secs(60))));
        assert_eq!(limiter.check(&"b", t0), Ok(()));
        assert_eq!(limiter.len(), 1);
    }

    #[test]
    fn debug_shows_no_addresses() {
        let limiter: RateLimiter = RateLimiter::new(RateLimit::SIGN_IN, 10);
        limiter.check(&"192.0.2.7".parse().unwrap(), Instant::now()).unwrap();
        let text = format!("{limiter:?}");
        assert!(text.contains("keys: 1"), "{text}");
        assert!(!text.contains("192.0.2.7"), "{text}");
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(RetryAfter(Duration::from_millis(5_001)).whole_seconds(), 6);
        assert_eq!(RetryAfter(secs(6)).whole_seconds(), 6);
        assert_eq!(RetryAfter(Duration::from_millis(1)).whole_seconds(), 1);
        assert_eq!(RetryAfter(Duration::ZERO).whole_seconds(), 1);
        assert_eq!(RetryAfter(secs(6)).to_string(), "too many requests; retry after 6 s");
    }

    #[test]
    fn ipv6_clients_are_keyed_by_their_64_network() {
        let a: IpAddr = "2001:db8:1:2:aaaa:bbbb:cccc:dddd".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(client_key(a), "2001:db8:1:2::".parse::<IpAddr>().unwrap());
        assert_eq!(client_key(a), client_key(b));
        assert_ne!(client_key(a), client_key(c));
    }

    #[test]
    fn ipv4_clients_are_keyed_by_their_address_also_when_mapped() {
        let v4: IpAddr = "192.0.2.7".parse().unwrap();
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(client_key(v4), v4);
        assert_eq!(client_key(mapped), v4);
        assert_ne!(client_key("192.0.2.8".parse().unwrap()), v4);
    }
}
