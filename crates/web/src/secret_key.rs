//! The server's secret key, and the encryption at rest of TOTP secrets with it.
//!
//! A TOTP secret must be readable by the server (it computes the codes), so it
//! cannot be hashed like a password: it is encrypted with AES-256-GCM under the
//! server's [`SecretKey`] before the store sees it. A copy of the database (a
//! backup, a dump) without the key holds no usable second factor.
//!
//! The key comes from `SAMVIRKE_SECRET_KEY` (32 bytes as 64 hex digits), or
//! from the file `secret.key` in the data folder, created with fresh random
//! bytes (mode 0600) on first start. Several instances sharing one database
//! must share the key: set `SAMVIRKE_SECRET_KEY` on all of them. Losing the
//! key makes every enrolled second factor unreadable (each person then needs
//! a reset of it); keep it with the backups, but not in them.
//!
//! The stored form of a TOTP secret is `1 ‖ state ‖ nonce (12) ‖ ciphertext`,
//! where the version byte `1` and the state (enrolled, or confirmed with a
//! first code) are in the clear so that the server can tell an account's
//! second-factor state without the key, and both are bound to the ciphertext
//! together with the account's id as associated data: a blob moved to another
//! account, or a state flipped in the database, does not decrypt.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use rand::Rng;
use samvirke_auth::TotpSecret;
use samvirke_domain::UserId;
use std::fmt;
use std::path::Path;

/// The environment variable that holds the key (64 hex digits).
pub const SECRET_KEY_ENV: &str = "SAMVIRKE_SECRET_KEY";

/// The key file's name in the data folder.
pub const SECRET_KEY_FILE: &str = "secret.key";

/// A 256-bit key. `Debug` hides it.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<hidden>)")
    }
}

/// Why a key could not be had.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The variable or file does not hold 64 hex digits.
    #[error("{0} must hold 32 bytes as 64 hex digits")]
    Malformed(&'static str),
    /// The key file could not be read or written.
    #[error("the key file {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

impl SecretKey {
    /// A fresh random key (for tests, and for the key file on first start).
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill(&mut bytes[..]);
        Self(bytes)
    }

    /// Parses 64 hex digits (surrounding white space ignored).
    pub fn from_hex(text: &str) -> Option<Self> {
        let text = text.trim();
        if text.len() != 64 || !text.is_ascii() {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(Self(out))
    }

    fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The key from `SAMVIRKE_SECRET_KEY` when set (`from_env`), otherwise from
    /// `secret.key` in `data_dir`, which is created with a new random key when
    /// missing. Returns the key and whether the file was created now.
    pub fn load_or_create(from_env: Option<&str>, data_dir: &Path) -> Result<(Self, bool), KeyError> {
        if let Some(text) = from_env.filter(|t| !t.trim().is_empty()) {
            return Self::from_hex(text).map(|k| (k, false)).ok_or(KeyError::Malformed(SECRET_KEY_ENV));
        }
        let path = data_dir.join(SECRET_KEY_FILE);
        let io = |source| KeyError::Io { path: path.display().to_string(), source };
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::from_hex(&text).map(|k| (k, false)).ok_or(KeyError::Malformed(SECRET_KEY_FILE)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(data_dir).map_err(io)?;
                let key = Self::generate();
                write_private(&path, format!("{}\n", key.to_hex()).as_bytes()).map_err(io)?;
                Ok((key, true))
            }
            Err(e) => Err(io(e)),
        }
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new_from_slice(&self.0).expect("a 32-byte key")
    }

    /// Encrypts an account's TOTP secret in a state for the store.
    pub fn seal_totp(&self, user: UserId, state: TotpState, secret: &TotpSecret) -> Vec<u8> {
        let mut nonce = [0u8; 12];
        rand::rng().fill(&mut nonce[..]);
        let header = [VERSION, state.byte()];
        let aad = associated_data(user, header);
        let ciphertext = self
            .cipher()
            .encrypt(&Nonce::from(nonce), Payload { msg: secret.reveal_bytes(), aad: &aad })
            .expect("AES-GCM encryption of 20 bytes cannot fail");
        let mut out = Vec::with_capacity(2 + 12 + ciphertext.len());
        out.extend_from_slice(&header);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ciphertext);
        out
    }

    /// Decrypts a stored TOTP secret of the account; `None` when it was not
    /// sealed with this key for this account, or was changed.
    pub fn open_totp(&self, user: UserId, stored: &[u8]) -> Option<(TotpState, TotpSecret)> {
        let state = totp_state(stored)?;
        let (header, rest) = stored.split_at(2);
        let (nonce, ciphertext) = rest.split_at_checked(12)?;
        let nonce: [u8; 12] = nonce.try_into().ok()?;
        let aad = associated_data(user, [header[0], header[1]]);
        let plain = self.cipher().decrypt(&Nonce::from(nonce), Payload { msg: ciphertext, aad: &aad }).ok()?;
        let bytes: [u8; TotpSecret::LEN] = plain.as_slice().try_into().ok()?;
        Some((state, TotpSecret::from_bytes(bytes)))
    }
}

const VERSION: u8 = 1;

/// Where an account's second factor stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotpState {
    /// A secret was handed out, but no code from it has been confirmed yet: it does not count.
    Enrolled,
    /// A first code confirmed the secret: it is the account's second factor.
    Confirmed,
}

impl TotpState {
    fn byte(self) -> u8 {
        match self {
            TotpState::Enrolled => 0,
            TotpState::Confirmed => 1,
        }
    }
}

/// The state of a stored TOTP secret, read from its clear header (without the key).
pub fn totp_state(stored: &[u8]) -> Option<TotpState> {
    match stored {
        [VERSION, 0, ..] => Some(TotpState::Enrolled),
        [VERSION, 1, ..] => Some(TotpState::Confirmed),
        _ => None,
    }
}

fn associated_data(user: UserId, header: [u8; 2]) -> Vec<u8> {
    let mut aad = b"samvirke-totp".to_vec();
    aad.extend_from_slice(&header);
    aad.extend_from_slice(user.0.as_bytes());
    aad
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_for_its_account_with_its_key_and_state() {
        let key = SecretKey::generate();
        let (user, other) = (UserId::new(), UserId::new());
        let secret = TotpSecret::generate();
        let sealed = key.seal_totp(user, TotpState::Confirmed, &secret);
        assert_eq!(totp_state(&sealed), Some(TotpState::Confirmed));
        let (state, opened) = key.open_totp(user, &sealed).unwrap();
        assert_eq!((state, opened), (TotpState::Confirmed, secret.clone()));
        assert!(key.open_totp(other, &sealed).is_none(), "moved to another account");
        assert!(SecretKey::generate().open_totp(user, &sealed).is_none(), "another key");
        let mut flipped = sealed.clone();
        flipped[1] = 0;
        assert!(key.open_totp(user, &flipped).is_none(), "the state is bound to the ciphertext");
        assert!(!sealed.windows(20).any(|w| w == secret.reveal_bytes()), "not in the clear");
    }

    #[test]
    fn the_key_file_is_created_once_and_read_back() {
        let dir = std::env::temp_dir().join(format!("samvirke-key-{}", uuid::Uuid::now_v7()));
        let (first, created) = SecretKey::load_or_create(None, &dir).unwrap();
        assert!(created);
        let (again, created) = SecretKey::load_or_create(None, &dir).unwrap();
        assert!(!created);
        assert_eq!(first.0, again.0);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(SECRET_KEY_FILE)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let from_env = SecretKey::load_or_create(Some(&"ab".repeat(32)), &dir).unwrap().0;
        assert_eq!(from_env.0, [0xab; 32]);
        assert!(SecretKey::load_or_create(Some("short"), &dir).is_err());
        assert_eq!(format!("{first:?}"), "SecretKey(<hidden>)");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
