//! Shared machinery for random secrets: random bytes, SHA-256, hex,
//! base64url and constant-time comparison, and the macro behind the 32-byte
//! bearer tokens ([`SessionToken`](crate::session::SessionToken),
//! [`CsrfToken`](crate::session::CsrfToken) and
//! [`ResetToken`](crate::reset::ResetToken)).

use base64ct::{Base64UrlUnpadded, Encoding};
use rand::Rng;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// `N` bytes from the thread-local CSPRNG (ChaCha, seeded and reseeded from the operating system).
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::rng().fill(&mut bytes[..]);
    bytes
}

/// SHA-256 of `bytes`.
pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Lower-case hex.
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0x0f)] as char);
    }
    out
}

/// Exactly `N` bytes from hex (either case); `None` for any other length or a non-hex character.
pub(crate) fn from_hex<const N: usize>(hex: &str) -> Option<[u8; N]> {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    let hex = hex.as_bytes();
    if hex.len() != N * 2 {
        return None;
    }
    let mut out = [0u8; N];
    for (i, pair) in hex.chunks_exact(2).enumerate() {
        out[i] = (nibble(pair[0])? << 4) | nibble(pair[1])?;
    }
    Some(out)
}

/// Equality in time that depends only on the lengths, not on where the inputs differ.
pub(crate) fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// Base64url without padding (RFC 4648 §5), safe in cookies, URLs and form fields.
pub(crate) fn to_base64url(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(bytes)
}

/// Exactly `N` bytes from unpadded base64url, decoded in constant time; `None` otherwise.
pub(crate) fn from_base64url<const N: usize>(text: &str) -> Option<[u8; N]> {
    let mut out = [0u8; N];
    let decoded = Base64UrlUnpadded::decode(text, &mut out).ok()?;
    (decoded.len() == N).then_some(out)
}

/// Defines a 32-byte random bearer token: generated from the CSPRNG, shown as
/// base64url without padding (43 characters), stored only as its SHA-256,
/// compared in constant time, and never printed by `Debug` (there is no `Display`).
macro_rules! bearer_token {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Eq)]
        pub struct $name([u8; 32]);

        /// Constant-time, like every comparison of secrets in this crate.
        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                $crate::secret::ct_eq(&self.0, &other.0)
            }
        }

        impl $name {
            /// The length of [`reveal`](Self::reveal)'s text.
            pub const ENCODED_LEN: usize = 43;

            /// A new token of 32 random bytes (256 bits).
            pub fn generate() -> Self {
                Self($crate::secret::random_bytes())
            }

            /// Reads a token as the client presents it (cookie, form field, link);
            /// `None` unless it is exactly 32 bytes in unpadded base64url.
            pub fn parse(text: &str) -> Option<Self> {
                $crate::secret::from_base64url(text).map(Self)
            }

            /// The token as text, to hand to the client once. Never log or store it.
            pub fn reveal(&self) -> String {
                $crate::secret::to_base64url(&self.0)
            }

            /// SHA-256 of the token: the only form the database keeps. A stolen
            /// copy of the database therefore holds no usable token, and a lookup
            /// by hash does not reveal the token through timing.
            pub fn hash(&self) -> [u8; 32] {
                $crate::secret::sha256(&self.0)
            }

            /// [`hash`](Self::hash) as 64 lower-case hex digits, for a text column.
            pub fn hash_hex(&self) -> String {
                $crate::secret::to_hex(&self.hash())
            }

            /// True when `presented` is a well-formed token whose hash is `stored_hash`.
            /// The hashes are compared in constant time.
            pub fn matches_hash(stored_hash: &[u8; 32], presented: &str) -> bool {
                match Self::parse(presented) {
                    Some(token) => $crate::secret::ct_eq(&token.hash(), stored_hash),
                    None => false,
                }
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($name), "(<hidden>)"))
            }
        }
    };
}
pub(crate) use bearer_token;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_wrong_lengths_and_characters() {
        let bytes = [0x00, 0x01, 0xab, 0xff];
        assert_eq!(to_hex(&bytes), "0001abff");
        assert_eq!(from_hex::<4>("0001ABff"), Some(bytes));
        assert_eq!(from_hex::<4>("0001abf"), None);
        assert_eq!(from_hex::<4>("0001abffff"), None);
        assert_eq!(from_hex::<4>("0001abfg"), None);
    }

    #[test]
    fn sha256_matches_the_fips_180_2_example() {
        assert_eq!(to_hex(&sha256(b"abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn base64url_round_trips_only_at_the_exact_length() {
        let bytes: [u8; 32] = random_bytes();
        let text = to_base64url(&bytes);
        assert_eq!(text.len(), 43);
        assert!(!text.contains(['=', '+', '/']));
        assert_eq!(from_base64url::<32>(&text), Some(bytes));
        assert_eq!(from_base64url::<32>(&text[..42]), None);
        assert_eq!(from_base64url::<31>(&text), None);
        assert_eq!(from_base64url::<32>(&format!("{text}=")), None);
        assert_eq!(from_base64url::<32>(&text.replace(|c: char| c.is_ascii_alphanumeric(), "+")), None);
    }

    #[test]
    fn random_bytes_differ_between_calls() {
        assert_ne!(random_bytes::<32>(), random_bytes::<32>());
    }

    #[test]
    fn ct_eq_compares_whole_slices() {
        assert!(ct_eq(b"abc", b"abc"));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"ab"));
    }
}
