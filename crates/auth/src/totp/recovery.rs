//! One-time recovery codes: the second factor when the authenticator app is lost.
//!
//! At enrolment the person gets [`RECOVERY_CODE_COUNT`] codes like
//! `k7m2x-9fq4t`, shown once to print or write down. Each code is ten
//! characters from a 31-character alphabet without look-alikes (no `0 o 1 l i`),
//! about 49.5 bits. The store keeps only a [`RecoveryCodeHash`] per code:
//! SHA-256 over a random 16-byte salt of its own and the code (OWASP ASVS
//! 2.6.2 asks for a unique salt when a lookup secret has under 112 bits).
//!
//! A code works once. [`find_recovery_code`] says which stored hash a
//! presented code matches; the caller deletes that row (or marks it used) in
//! the same transaction, conditionally (`… WHERE used_at IS NULL`, one row
//! affected), so that two simultaneous uses cannot both succeed.
//! [`consume_recovery_code`] does both on a set held in memory.

use crate::secret;

/// Codes issued at a time.
pub const RECOVERY_CODE_COUNT: usize = 10;

/// Characters without look-alikes: digits 2–9 and lower-case letters but i, l, o.
const ALPHABET: &[u8; 31] = b"23456789abcdefghjkmnpqrstuvwxyz";

/// Characters in a code (shown in two groups of five).
const CODE_CHARS: usize = 10;

/// A recovery code in its plain form. `Debug` hides it; [`reveal`](Self::reveal) shows it once.
#[derive(Clone, Eq)]
pub struct RecoveryCode([u8; CODE_CHARS]);

/// Constant-time.
impl PartialEq for RecoveryCode {
    fn eq(&self, other: &Self) -> bool {
        secret::ct_eq(&self.0, &other.0)
    }
}

/// The stored form of one recovery code: a random salt and SHA-256(salt ‖ code).
/// `Debug` shows neither, so a log line cannot help an offline guesser.
#[derive(Clone, Eq)]
pub struct RecoveryCodeHash {
    salt: [u8; 16],
    digest: [u8; 32],
}

/// Constant-time.
impl PartialEq for RecoveryCodeHash {
    fn eq(&self, other: &Self) -> bool {
        secret::ct_eq(&self.salt, &other.salt) & secret::ct_eq(&self.digest, &other.digest)
    }
}

/// A fresh set of [`RECOVERY_CODE_COUNT`] different codes. Store
/// `codes.iter().map(RecoveryCode::hash)`, show the codes once, keep them nowhere.
/// A new set replaces the whole old one.
pub fn generate_recovery_codes() -> Vec<RecoveryCode> {
    let mut codes: Vec<RecoveryCode> = Vec::with_capacity(RECOVERY_CODE_COUNT);
    while codes.len() < RECOVERY_CODE_COUNT {
        let code = RecoveryCode::generate();
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes
}

/// The index in `stored` of the hash that the presented code matches, or
/// `None`. Case, spaces and the hyphen do not matter. Every stored hash is
/// computed and compared (in constant time), whether or not one matched earlier.
pub fn find_recovery_code(stored: &[RecoveryCodeHash], presented: &str) -> Option<usize> {
    let code = RecoveryCode::parse(presented)?;
    let mut found = None;
    for (i, hash) in stored.iter().enumerate() {
        if hash.matches(&code) && found.is_none() {
            found = Some(i);
        }
    }
    found
}

/// Verifies and consumes in one: removes the matching hash from `stored` and
/// returns true, or leaves `stored` as it was and returns false. For a set held
/// in memory; the store does the same with a conditional delete.
pub fn consume_recovery_code(stored: &mut Vec<RecoveryCodeHash>, presented: &str) -> bool {
    match find_recovery_code(stored, presented) {
        Some(index) => {
            stored.remove(index);
            true
        }
        None => false,
    }
}

impl RecoveryCode {
    fn generate() -> Self {
        use rand::Rng;
        let mut rng = rand::rng();
        Self(std::array::from_fn(|_| ALPHABET[rng.random_range(0..ALPHABET.len())]))
    }

    /// Reads a code as typed: case, spaces and hyphens are ignored; `None`
    /// unless ten characters of the alphabet remain.
    pub fn parse(text: &str) -> Option<Self> {
        let mut code = [0u8; CODE_CHARS];
        let mut len = 0;
        for c in text.chars().filter(|c| !matches!(c, ' ' | '-')) {
            let c = u8::try_from(c.to_ascii_lowercase()).ok().filter(|c| ALPHABET.contains(c))?;
            *code.get_mut(len)? = c;
            len += 1;
        }
        (len == CODE_CHARS).then_some(Self(code))
    }

    /// The code to show once, as `xxxxx-xxxxx`.
    pub fn reveal(&self) -> String {
        let text = std::str::from_utf8(&self.0).expect("the alphabet is ASCII");
        format!("{}-{}", &text[..5], &text[5..])
    }

    /// The stored form, with a fresh random salt.
    pub fn hash(&self) -> RecoveryCodeHash {
        let salt = secret::random_bytes();
        RecoveryCodeHash { salt, digest: salted_digest(&salt, self) }
    }
}

impl std::fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryCode(<hidden>)")
    }
}

fn salted_digest(salt: &[u8; 16], code: &RecoveryCode) -> [u8; 32] {
    let mut input = [0u8; 16 + CODE_CHARS];
    input[..16].copy_from_slice(salt);
    input[16..].copy_from_slice(&code.0);
    secret::sha256(&input)
}

impl RecoveryCodeHash {
    /// Bytes in the stored form: the salt, then the digest.
    pub const LEN: usize = 48;

    fn matches(&self, code: &RecoveryCode) -> bool {
        secret::ct_eq(&salted_digest(&self.salt, code), &self.digest)
    }

    /// True when `presented` is this code (case, spaces and hyphens ignored).
    pub fn verify(&self, presented: &str) -> bool {
        RecoveryCode::parse(presented).is_some_and(|code| self.matches(&code))
    }

    /// The stored form as 48 bytes (salt ‖ digest), for a binary column.
    pub fn to_bytes(&self) -> [u8; 48] {
        let mut out = [0u8; 48];
        out[..16].copy_from_slice(&self.salt);
        out[16..].copy_from_slice(&self.digest);
        out
    }

    /// Reads [`to_bytes`](Self::to_bytes) back; `None` unless exactly 48 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let bytes: &[u8; 48] = bytes.try_into().ok()?;
        let (salt, digest) = bytes.split_at(16);
        Some(Self { salt: salt.try_into().ok()?, digest: digest.try_into().ok()? })
    }

    /// The stored form as 96 hex digits, for a text column.
    pub fn to_hex(&self) -> String {
        secret::to_hex(&self.to_bytes())
    }

    /// Reads [`to_hex`](Self::to_hex) back.
    pub fn from_hex(hex: &str) -> Option<Self> {
        Self::from_bytes(&secret::from_hex::<48>(hex)?)
    }
}

impl std::fmt::Debug for RecoveryCodeHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryCodeHash(<hidden>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(codes: &[RecoveryCode]) -> Vec<RecoveryCodeHash> {
        codes.iter().map(RecoveryCode::hash).collect()
    }

    #[test]
    fn ten_different_codes_in_two_groups_of_five_unambiguous_characters() {
        let codes = generate_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODE_COUNT);
        for (i, code) in codes.iter().enumerate() {
            let text = code.reveal();
            assert_eq!(text.len(), 11, "{text}");
            assert_eq!(&text[5..6], "-");
            assert!(text.bytes().filter(|b| *b != b'-').all(|b| ALPHABET.contains(&b)), "{text}");
            assert!(!text.contains(['0', 'o', '1', 'l', 'i']));
            assert!(!codes[..i].contains(code));
        }
        assert_ne!(codes, generate_recovery_codes());
    }

    #[test]
    fn every_issued_code_is_found_at_its_own_index() {
        let codes = generate_recovery_codes();
        let hashes = stored(&codes);
        for (i, code) in codes.iter().enumerate() {
            assert_eq!(find_recovery_code(&hashes, &code.reveal()), Some(i));
        }
    }

    #[test]
    fn a_consumed_code_is_refused_the_second_time() {
        let codes = generate_recovery_codes();
        let mut hashes = stored(&codes);
        let presented = codes[3].reveal();
        let index = find_recovery_code(&hashes, &presented).unwrap();
        hashes.remove(index); // what the store does: delete the row
        assert_eq!(find_recovery_code(&hashes, &presented), None);
        assert_eq!(hashes.len(), RECOVERY_CODE_COUNT - 1);
        // The others still work, at their new positions.
        assert_eq!(find_recovery_code(&hashes, &codes[4].reveal()), Some(3));
    }

    #[test]
    fn consuming_a_code_removes_it_and_a_reused_code_fails_without_removing_anything() {
        let codes = generate_recovery_codes();
        let mut hashes = stored(&codes);
        assert!(consume_recovery_code(&mut hashes, &codes[0].reveal()));
        assert_eq!(hashes.len(), RECOVERY_CODE_COUNT - 1);
        assert!(!consume_recovery_code(&mut hashes, &codes[0].reveal()));
        assert!(!consume_recovery_code(&mut hashes, "not a code"));
        assert_eq!(hashes.len(), RECOVERY_CODE_COUNT - 1);
        for code in &codes[1..] {
            assert!(consume_recovery_code(&mut hashes, &code.reveal()));
        }
        assert!(hashes.is_empty());
    }

    #[test]
    fn case_spaces_and_the_hyphen_do_not_matter() {
        let codes = generate_recovery_codes();
        let hashes = stored(&codes);
        let text = codes[0].reveal();
        for variant in [text.to_uppercase(), text.replace('-', ""), format!(" {} {} ", &text[..5], &text[6..])] {
            assert_eq!(find_recovery_code(&hashes, &variant), Some(0), "{variant}");
            assert!(hashes[0].verify(&variant));
        }
    }

    #[test]
    fn wrong_and_malformed_codes_are_not_found() {
        let codes = generate_recovery_codes();
        let hashes = stored(&codes);
        let other = generate_recovery_codes().into_iter().find(|c| !codes.contains(c)).unwrap();
        assert_eq!(find_recovery_code(&hashes, &other.reveal()), None);
        let text = codes[0].reveal();
        for bad in ["", &text[..10], &format!("{text}a"), &text.replacen(&text[..1], "0", 1), "ååååå-ååååå"] {
            assert_eq!(find_recovery_code(&hashes, bad), None, "{bad:?}");
        }
        assert_eq!(find_recovery_code(&[], &text), None);
    }

    #[test]
    fn the_same_code_hashes_differently_each_time_because_of_its_salt() {
        let code = RecoveryCode::parse("abcde-fghjk").unwrap();
        let (a, b) = (code.hash(), code.hash());
        assert_ne!(a, b);
        assert!(a.verify("abcde-fghjk") && b.verify("abcde-fghjk"));
    }

    #[test]
    fn the_stored_form_round_trips_through_bytes_and_hex() {
        let hash = RecoveryCode::parse("abcde-fghjk").unwrap().hash();
        assert_eq!(RecoveryCodeHash::from_bytes(&hash.to_bytes()), Some(hash.clone()));
        assert_eq!(RecoveryCodeHash::from_hex(&hash.to_hex()), Some(hash.clone()));
        assert_eq!(hash.to_hex().len(), 96);
        assert_eq!(RecoveryCodeHash::from_bytes(&hash.to_bytes()[..47]), None);
        assert_eq!(RecoveryCodeHash::from_hex("00"), None);
    }

    #[test]
    fn the_digest_is_sha256_of_salt_and_code() {
        let mut bytes = [0u8; 48];
        bytes[16..].copy_from_slice(&secret::sha256(b"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0abcdefghjk"));
        let hash = RecoveryCodeHash::from_bytes(&bytes).unwrap();
        assert!(hash.verify("ABCDE-FGHJK"));
        assert!(!hash.verify("abcde-fghjm"));
    }

    #[test]
    fn debug_hides_codes_and_hashes() {
        let code = generate_recovery_codes().remove(0);
        let text = format!("{code:?} {:?}", code.hash());
        assert_eq!(text, "RecoveryCode(<hidden>) RecoveryCodeHash(<hidden>)");
    }
}
