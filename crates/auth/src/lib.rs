//! Identity for Samvirke: how a person proves who they are.
//!
//! Passwords are hashed with Argon2id (OWASP's recommended parameters: 19 MiB,
//! two passes, one lane) and a random salt; the hash string carries its own
//! parameters, so they can be raised later without breaking old hashes.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::Rng;

/// The shortest password accepted (NIST SP 800-63B, OWASP ASVS 2.1.1).
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Why a password could not be hashed or checked.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// Shorter than [`MIN_PASSWORD_CHARS`].
    #[error("password too short")]
    TooShort,
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

/// Hashes a new password with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort);
    }
    let mut salt_bytes = [0u8; 16];
    rand::rng().fill(&mut salt_bytes);
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|_| PasswordError::Hashing)?;
    hasher().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|_| PasswordError::Hashing)
}

/// True when the password matches the stored hash.
pub fn verify_password(password: &str, stored: &str) -> Result<bool, PasswordError> {
    let parsed = PasswordHash::new(stored).map_err(|_| PasswordError::MalformedHash)?;
    Ok(hasher().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A random password of 20 characters from an alphabet without look-alikes, for one-time use.
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..20).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

#[cfg(test)]
mod tests {
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
    fn generated_passwords_are_long_enough_and_differ() {
        let a = generate_password();
        assert_eq!(a.len(), 20);
        assert!(hash_password(&a).is_ok());
        assert_ne!(a, generate_password());
    }
}
