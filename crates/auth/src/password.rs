//! Passwords: Argon2id hashing and verification, a dummy verification for
//! unknown usernames, generated one-time passwords, and the policy a new
//! password must meet.
//!
//! Passwords are hashed with Argon2id (OWASP's recommended parameters: 19 MiB,
//! two passes, one lane) and a random salt; the hash string carries its own
//! parameters, so they can be raised later without breaking old hashes.
//!
//! # Sign-in without revealing which usernames exist
//!
//! When a username is unknown, call [`verify_against_dummy`] instead of
//! answering at once: it runs one Argon2id verification with the same
//! parameters as a real one, so the answer takes as long as for a wrong
//! password of an existing account, and timing does not tell which usernames
//! exist. Give the same message in both cases.

use std::hint::black_box;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::Rng;

use crate::secret;

/// The shortest password accepted (NIST SP 800-63B, OWASP ASVS 2.1.1).
pub const MIN_PASSWORD_CHARS: usize = 12;

/// The longest password accepted (OWASP ASVS 2.1.2: at least 64 permitted, more than 128 refused).
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Why a password could not be hashed or checked.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// Shorter than [`MIN_PASSWORD_CHARS`].
    #[error("password too short")]
    TooShort,
    /// Refused by the [`PasswordPolicy`] for another reason than its length being too short.
    #[error("password refused: {0}")]
    Rejected(PasswordRejection),
    /// The stored hash is not a valid PHC string.
    #[error("stored password hash is malformed")]
    MalformedHash,
    /// Hashing failed.
    #[error("password hashing failed")]
    Hashing,
}

fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a new password with a fresh random salt, after checking it against
/// the default [`PasswordPolicy`]. A password that is too short is reported as
/// [`PasswordError::TooShort`], any other breach of the policy as
/// [`PasswordError::Rejected`].
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    match PasswordPolicy::default().check(password) {
        Ok(()) => {}
        Err(PasswordRejection::TooShort { .. }) => return Err(PasswordError::TooShort),
        Err(other) => return Err(PasswordError::Rejected(other)),
    }
    let salt_bytes: [u8; 16] = secret::random_bytes();
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|_| PasswordError::Hashing)?;
    hasher().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|_| PasswordError::Hashing)
}

/// True when the password matches the stored hash. The comparison of the
/// Argon2 outputs is constant-time.
pub fn verify_password(password: &str, stored: &str) -> Result<bool, PasswordError> {
    let parsed = PasswordHash::new(stored).map_err(|_| PasswordError::MalformedHash)?;
    Ok(hasher().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// The hash of a random password nobody knows, made with the same algorithm,
/// version and parameters as [`hash_password`] (a test keeps them equal).
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$fHZhaTS5g/8Lk7Lj2sxQ7A$0vs5llZt50j6QHMhMVUKMiNPoQFoTWROvvRjnBDOiKQ";

/// Spends the time of one real [`verify_password`] and always fails: call it
/// when the username does not exist, so that the answer takes as long as for a
/// wrong password of an existing account.
pub fn verify_against_dummy(password: &str) {
    let parsed = PasswordHash::new(DUMMY_HASH).expect("the dummy hash is a valid PHC string");
    let matched = hasher().verify_password(black_box(password.as_bytes()), &parsed).is_ok();
    black_box(matched);
}

/// A random password of 20 characters from an alphabet without look-alikes, for one-time use.
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..20).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

/// The rules a new password must meet (OWASP ASVS 2.1, NIST SP 800-63B §5.1.1.2):
/// a length in characters (Unicode scalar values) between `min_chars` and
/// `max_chars`, not one character repeated, and not one of the most common
/// passwords. There are deliberately no composition rules (ASVS 2.1.9).
///
/// The common-password list is small and built in; it catches the obvious
/// choices that pass the length rule. A check against a breached-password
/// corpus would be a later addition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordPolicy {
    /// The fewest characters accepted; default [`MIN_PASSWORD_CHARS`].
    pub min_chars: usize,
    /// The most characters accepted; default [`MAX_PASSWORD_CHARS`].
    pub max_chars: usize,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self { min_chars: MIN_PASSWORD_CHARS, max_chars: MAX_PASSWORD_CHARS }
    }
}

/// Why the [`PasswordPolicy`] refused a password. The password itself is never part of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordRejection {
    /// Fewer characters than `min`.
    #[error("shorter than {min} characters")]
    TooShort {
        /// The policy's minimum.
        min: usize,
    },
    /// More characters than `max`.
    #[error("longer than {max} characters")]
    TooLong {
        /// The policy's maximum.
        max: usize,
    },
    /// One character repeated (`aaaaaaaaaaaa`).
    #[error("one character repeated")]
    OneRepeatedCharacter,
    /// In the built-in list of the most common passwords (compared ignoring case).
    #[error("one of the most common passwords")]
    TooCommon,
}

impl PasswordPolicy {
    /// Checks a new password; the first rule it breaks, in the order length, repetition, commonness.
    pub fn check(&self, password: &str) -> Result<(), PasswordRejection> {
        let chars = password.chars().count();
        if chars < self.min_chars {
            return Err(PasswordRejection::TooShort { min: self.min_chars });
        }
        if chars > self.max_chars {
            return Err(PasswordRejection::TooLong { max: self.max_chars });
        }
        let mut all = password.chars();
        if let Some(first) = all.next()
            && all.all(|c| c == first)
        {
            return Err(PasswordRejection::OneRepeatedCharacter);
        }
        let lowered = password.to_lowercase();
        if COMMON_PASSWORDS.contains(&lowered.as_str()) {
            return Err(PasswordRejection::TooCommon);
        }
        Ok(())
    }
}

/// The most common passwords that are long enough to pass the length rule,
/// from public breach statistics, with Danish and service-specific variants.
/// Lower case; a test keeps every entry at least [`MIN_PASSWORD_CHARS`] long.
const COMMON_PASSWORDS: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123456789123",
    "123123123123",
    "987654321098",
    "098765432109",
    "1q2w3e4r5t6y",
    "q1w2e3r4t5y6",
    "1qaz2wsx3edc",
    "zaq12wsxcde3",
    "qwerty123456",
    "qwertyuiop12",
    "qwertyuiop123",
    "qwertyqwerty",
    "qwertyuiopasdfghjkl",
    "asdfghjkl123",
    "1234qwerasdf",
    "abcdefghijkl",
    "abc123456789",
    "abcd1234abcd",
    "password1234",
    "password123!",
    "password12345",
    "passwordpassword",
    "passw0rd1234",
    "p@ssw0rd1234",
    "p@ssword1234",
    "administrator",
    "administrator1",
    "iloveyou1234",
    "welcome12345",
    "letmein12345",
    "changeme1234",
    "trustno1trustno1",
    "football1234",
    "superman1234",
    "princess1234",
    "sunshine1234",
    "monkey123456",
    "dragon123456",
    "master123456",
    "adgangskode1",
    "adgangskode12",
    "adgangskode123",
    "adgangskode1234",
    "kodeord12345",
    "kodeordkodeord",
    "velkommen123",
    "velkommen1234",
    "hejmeddig123",
    "hejmeddig1234",
    "danmark12345",
    "danmark123456",
    "sommerfugl12",
    "sommerfugl123",
    "samvirke1234",
    "samvirke12345",
];

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let hash = hash_password("korrekt hest batteri").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("korrekt hest batteri", &hash).unwrap());
        assert!(!verify_password("forkert hest batteri", &hash).unwrap());
    }

    #[test]
    fn the_same_password_gets_a_different_salt_each_time() {
        assert_ne!(hash_password("korrekt hest batteri").unwrap(), hash_password("korrekt hest batteri").unwrap());
    }

    #[test]
    fn short_passwords_and_malformed_hashes_are_refused() {
        assert!(matches!(hash_password("kort"), Err(PasswordError::TooShort)));
        assert!(matches!(verify_password("x", "not a hash"), Err(PasswordError::MalformedHash)));
    }

    #[test]
    fn hashing_applies_the_rest_of_the_policy_too() {
        assert!(matches!(hash_password("Password1234"), Err(PasswordError::Rejected(PasswordRejection::TooCommon))));
        assert!(matches!(
            hash_password(&"x".repeat(129)),
            Err(PasswordError::Rejected(PasswordRejection::TooLong { max: 128 }))
        ));
    }

    #[test]
    fn generated_passwords_are_long_enough_and_differ() {
        let a = generate_password();
        assert_eq!(a.len(), 20);
        assert!(hash_password(&a).is_ok());
        assert_ne!(a, generate_password());
    }

    #[test]
    fn the_dummy_hash_has_the_parameters_of_a_real_one() {
        let dummy = PasswordHash::new(DUMMY_HASH).unwrap();
        let real_text = hash_password("korrekt hest batteri").unwrap();
        let real = PasswordHash::new(&real_text).unwrap();
        assert_eq!(dummy.algorithm, real.algorithm);
        assert_eq!(dummy.version, real.version);
        assert_eq!(dummy.params, real.params);
        assert_eq!(dummy.salt.unwrap().as_str().len(), real.salt.unwrap().as_str().len());
        assert_eq!(dummy.hash.unwrap().len(), real.hash.unwrap().len());
        // And it is a real hash that verifies (to false), not a short cut.
        assert!(!verify_password("korrekt hest batteri", DUMMY_HASH).unwrap());
    }

    #[test]
    fn a_dummy_verification_takes_about_as_long_as_a_real_one() {
        // The guarantee is the test above (same parameters); this one catches a
        // dummy that returns early. Minimums of three runs, a generous bound,
        // so that a busy machine does not make it flaky.
        fn fastest(f: impl Fn()) -> Duration {
            (0..3)
                .map(|_| {
                    let start = Instant::now();
                    f();
                    start.elapsed()
                })
                .min()
                .unwrap()
        }
        let hash = hash_password("korrekt hest batteri").unwrap();
        let real = fastest(|| assert!(!verify_password("forkert hest batteri", &hash).unwrap()));
        let dummy = fastest(|| verify_against_dummy("forkert hest batteri"));
        assert!(dummy * 4 >= real, "dummy {dummy:?} vs real {real:?}");
    }

    #[test]
    fn the_policy_accepts_a_long_enough_ordinary_password() {
        let policy = PasswordPolicy::default();
        assert_eq!(policy.check("korrekt hest batteri"), Ok(()));
        assert_eq!(policy.check(&"ab".repeat(6)), Ok(()));
        assert_eq!(policy.check(&generate_password()), Ok(()));
    }

    #[test]
    fn the_policy_counts_characters_not_bytes_at_both_limits() {
        let policy = PasswordPolicy::default();
        assert_eq!(policy.check("æøåæøåæøåæø"), Err(PasswordRejection::TooShort { min: 12 })); // 11 chars, 22 bytes
        assert_eq!(policy.check("æøåæøåæøåæøå"), Ok(())); // 12 chars
        assert_eq!(policy.check(&"æb".repeat(64)), Ok(())); // 128 chars
        assert_eq!(policy.check(&format!("{}c", "æb".repeat(64))), Err(PasswordRejection::TooLong { max: 128 }));
    }

    #[test]
    fn the_policy_refuses_one_repeated_character_even_when_long() {
        let policy = PasswordPolicy::default();
        assert_eq!(policy.check(&"a".repeat(12)), Err(PasswordRejection::OneRepeatedCharacter));
        assert_eq!(policy.check(&"å".repeat(40)), Err(PasswordRejection::OneRepeatedCharacter));
        assert_eq!(policy.check(&format!("{}b", "a".repeat(11))), Ok(()));
    }

    #[test]
    fn the_policy_refuses_common_passwords_ignoring_case() {
        let policy = PasswordPolicy::default();
        assert_eq!(policy.check("adgangskode123"), Err(PasswordRejection::TooCommon));
        assert_eq!(policy.check("QWERTY123456"), Err(PasswordRejection::TooCommon));
        assert_eq!(policy.check("Password1234"), Err(PasswordRejection::TooCommon));
        assert_eq!(policy.check("adgangskode123x"), Ok(()));
    }

    #[test]
    fn every_common_password_is_lower_case_unique_and_long_enough_to_matter() {
        for (i, p) in COMMON_PASSWORDS.iter().enumerate() {
            assert_eq!(*p, p.to_lowercase(), "{p}");
            assert!(p.chars().count() >= MIN_PASSWORD_CHARS, "{p} is refused by length already");
            assert!(!COMMON_PASSWORDS[..i].contains(p), "{p} twice");
        }
    }

    #[test]
    fn a_stricter_policy_uses_its_own_limits() {
        let policy = PasswordPolicy { min_chars: 16, max_chars: 20 };
        assert_eq!(policy.check("korrekt hest"), Err(PasswordRejection::TooShort { min: 16 }));
        assert_eq!(policy.check("korrekt hest batteri klips"), Err(PasswordRejection::TooLong { max: 20 }));
    }
}
