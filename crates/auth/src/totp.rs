//! The second factor: time-based one-time passwords (RFC 6238) from an
//! authenticator app, and one-time [`recovery`] codes for when the phone is lost.
//!
//! The parameters are the ones every authenticator app supports: HMAC-SHA1,
//! six digits, a 30-second step, counted from the Unix epoch. A code is
//! accepted for the current step and one step either side (up to about
//! 30 seconds of clock difference, RFC 6238 §5.2), and a step is accepted only
//! once: [`verify`] returns the step it matched, the caller stores it as the
//! account's `last_used_step`, and a code of that step or an earlier one is
//! refused as [`TotpError::Replayed`] (RFC 6238 §5.2, OWASP ASVS 2.8.4).
//!
//! # Enrolment
//!
//! Generate a [`TotpSecret`], show [`TotpSecret::otpauth_uri`] as a QR code
//! (and [`TotpSecret::reveal_base32`] for typing in), and store the secret
//! only once the person has entered a first valid code. The secret must be
//! kept in recoverable form (the server computes codes from it), so the store
//! should keep it encrypted at rest; it never goes into a log.
//!
//! Failed codes count towards the account [`lockout`](crate::lockout) like
//! failed passwords: six digits are guessable only by unlimited trying.

pub mod recovery;

use hmac::{Hmac, KeyInit, Mac};
use jiff::Timestamp;
use sha1::Sha1;
use subtle::ConstantTimeEq;

use crate::secret;

pub use recovery::{
    RECOVERY_CODE_COUNT, RecoveryCode, RecoveryCodeHash, consume_recovery_code, find_recovery_code,
    generate_recovery_codes,
};

/// The issuer shown in the authenticator app.
pub const ISSUER: &str = "Samvirke";

/// Digits in a code.
pub const DIGITS: u32 = 6;

/// Seconds in a time step.
pub const STEP_SECONDS: u64 = 30;

/// Steps of clock difference accepted either side of the current one.
pub const SKEW_STEPS: u64 = 1;

/// The shared secret of an authenticator app: 20 random bytes (160 bits, the
/// length RFC 4226 §4 recommends). `Debug` hides it and there
/// is no `Display`; it leaves only through the `reveal_…` methods and
/// [`otpauth_uri`](Self::otpauth_uri).
#[derive(Clone, Eq)]
pub struct TotpSecret([u8; 20]);

/// Constant-time.
impl PartialEq for TotpSecret {
    fn eq(&self, other: &Self) -> bool {
        secret::ct_eq(&self.0, &other.0)
    }
}

/// Why a code was refused. Tell the person the same thing for each: "the code
/// was not accepted"; the kinds are for the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TotpError {
    /// Not six digits (spaces are ignored).
    #[error("the code is not six digits")]
    Malformed,
    /// Matches none of the accepted steps.
    #[error("the code does not match")]
    Invalid,
    /// Matches a step that was already used (or one before it).
    #[error("the code was already used")]
    Replayed,
}

const BASE32_ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

impl TotpSecret {
    /// Bytes in a secret.
    pub const LEN: usize = 20;

    /// A new random secret.
    pub fn generate() -> Self {
        Self(secret::random_bytes())
    }

    /// A secret as it was stored.
    pub fn from_bytes(bytes: [u8; 20]) -> Self {
        Self(bytes)
    }

    /// The secret's bytes, to store (encrypted at rest).
    pub fn reveal_bytes(&self) -> &[u8; 20] {
        &self.0
    }

    /// The secret in base32 without padding (RFC 4648 §6; 32 characters), as an
    /// authenticator app expects it typed in.
    pub fn reveal_base32(&self) -> String {
        let mut out = String::with_capacity(32);
        for chunk in self.0.chunks_exact(5) {
            let bits = chunk.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
            for i in (0..8).rev() {
                out.push(BASE32_ALPHABET[((bits >> (i * 5)) & 0x1f) as usize] as char);
            }
        }
        out
    }

    /// Reads a base32 secret of exactly 20 bytes, in either case, ignoring spaces
    /// and `=` padding.
    pub fn from_base32(text: &str) -> Option<Self> {
        let mut bytes = [0u8; 20];
        let (mut acc, mut bits, mut len) = (0u64, 0u32, 0usize);
        for c in text.bytes().filter(|c| *c != b' ' && *c != b'=') {
            let value = BASE32_ALPHABET.iter().position(|a| *a == c.to_ascii_uppercase())? as u64;
            acc = (acc << 5) | value;
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                *bytes.get_mut(len)? = (acc >> bits) as u8;
                len += 1;
                acc &= (1 << bits) - 1;
            }
        }
        (len == 20 && bits == 0).then_some(Self(bytes))
    }

    /// The `otpauth://` URI of the Key URI Format that authenticator apps read
    /// from a QR code, labelled `Samvirke:<account>`. It contains the secret:
    /// render it to the person once, never log it.
    pub fn otpauth_uri(&self, account: &str) -> String {
        format!(
            "otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
            issuer = percent_encode(ISSUER),
            account = percent_encode(account),
            secret = self.reveal_base32(),
        )
    }
}

/// The QR code of a text (an `otpauth://` URI) as SVG markup: black modules
/// on white, sized by its `viewBox`, with attributes only (no style), so a
/// page under a strict Content-Security-Policy can show it inline.
pub fn qr_svg(text: &str) -> String {
    use qrcode::render::svg;
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => {
            let svg = code.render::<svg::Color>().min_dimensions(200, 200).quiet_zone(true).build();
            // The XML declaration is not wanted inside an HTML page.
            match svg.find("<svg") {
                Some(at) => svg[at..].to_string(),
                None => svg,
            }
        }
        // An URI of a few hundred bytes always fits a QR code; nothing to show otherwise.
        Err(_) => String::new(),
    }
}

impl std::fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpSecret(<hidden>)")
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The time step `now` falls in (seconds since the epoch divided by 30; 0 before the epoch).
pub fn step_at(now: Timestamp) -> u64 {
    u64::try_from(now.as_second()).unwrap_or(0) / STEP_SECONDS
}

/// The code an authenticator app shows at `now`, six digits with leading zeros.
/// For enrolment screens and tests; sign-in uses [`verify`].
pub fn code_at(secret: &TotpSecret, now: Timestamp) -> String {
    format!("{:06}", hotp(&secret.0, step_at(now), DIGITS))
}

/// Checks a code presented at `now` and returns the step it matched, to be
/// stored as the account's new `last_used_step`.
///
/// Accepts the steps `now` falls in and one either side. A match on a step
/// at or before `last_used_step` is [`TotpError::Replayed`]. If the code
/// matches more than one accepted step (a one-in-a-million coincidence), the
/// latest unused one counts. All candidate steps are computed and compared in
/// constant time, whichever matches.
pub fn verify(secret: &TotpSecret, code: &str, now: Timestamp, last_used_step: Option<u64>) -> Result<u64, TotpError> {
    let presented = parse_code(code).ok_or(TotpError::Malformed)?;
    let current = step_at(now);
    let mut fresh: Option<u64> = None;
    let mut matched_any = false;
    for step in current.saturating_sub(SKEW_STEPS)..=current.saturating_add(SKEW_STEPS) {
        let matches: bool = hotp(&secret.0, step, DIGITS).ct_eq(&presented).into();
        matched_any |= matches;
        if matches && last_used_step.is_none_or(|last| step > last) {
            fresh = Some(step);
        }
    }
    match fresh {
        Some(step) => Ok(step),
        None if matched_any => Err(TotpError::Replayed),
        None => Err(TotpError::Invalid),
    }
}

/// Six ASCII digits, ignoring spaces (apps show `123 456`).
fn parse_code(code: &str) -> Option<u32> {
    let mut value = 0u32;
    let mut digits = 0;
    for c in code.chars().filter(|c| *c != ' ') {
        let d = c.to_digit(10)?;
        value = value * 10 + d;
        digits += 1;
        if digits > DIGITS {
            return None;
        }
    }
    (digits == DIGITS).then_some(value)
}

/// HOTP (RFC 4226 §5.3): HMAC-SHA1 of the big-endian counter, dynamically
/// truncated to `digits` decimal digits.
fn hotp(key: &[u8], counter: u64, digits: u32) -> u32 {
    let mut mac = Hmac::<Sha1>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = usize::from(h[19] & 0x0f);
    let binary = u32::from_be_bytes([h[offset], h[offset + 1], h[offset + 2], h[offset + 3]]) & 0x7fff_ffff;
    binary % 10u32.pow(digits)
}

/// TOTP (RFC 6238 §4) at a Unix time with a chosen number of digits; the
/// public functions use six, the RFC's test vectors eight.
#[cfg(test)]
fn totp_at(key: &[u8], unix_seconds: u64, digits: u32) -> u32 {
    hotp(key, unix_seconds / STEP_SECONDS, digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_KEY: &[u8; 20] = b"12345678901234567890";

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(seconds).unwrap()
    }

    fn rfc_secret() -> TotpSecret {
        TotpSecret::from_bytes(*RFC_KEY)
    }

    #[test]
    fn rfc_6238_appendix_b_sha1_vectors() {
        let vectors: [(u64, u32); 6] = [
            (59, 94_287_082),
            (1_111_111_109, 7_081_804),
            (1_111_111_111, 14_050_471),
            (1_234_567_890, 89_005_924),
            (2_000_000_000, 69_279_037),
            (20_000_000_000, 65_353_130),
        ];
        for (time, expected) in vectors {
            assert_eq!(totp_at(RFC_KEY, time, 8), expected, "T = {time}");
        }
    }

    #[test]
    fn rfc_4226_appendix_d_hotp_vectors() {
        let expected = [755_224, 287_082, 359_152, 969_429, 338_314, 254_676, 287_922, 162_583, 399_871, 520_489];
        for (counter, code) in expected.into_iter().enumerate() {
            assert_eq!(hotp(RFC_KEY, counter as u64, 6), code, "counter {counter}");
        }
    }

    #[test]
    fn six_digit_codes_keep_their_leading_zeros() {
        // RFC 6238 at T = 1111111109 gives 07081804 in eight digits, 081804 in six.
        assert_eq!(code_at(&rfc_secret(), at(1_111_111_109)), "081804");
    }

    #[test]
    fn steps_change_every_30_seconds() {
        assert_eq!(step_at(at(0)), 0);
        assert_eq!(step_at(at(29)), 0);
        assert_eq!(step_at(at(30)), 1);
        assert_eq!(step_at(at(59)), 1);
        assert_eq!(step_at(at(-100)), 0);
    }

    #[test]
    fn the_current_code_verifies_and_returns_its_step() {
        let secret = TotpSecret::generate();
        let now = at(1_700_000_015);
        assert_eq!(verify(&secret, &code_at(&secret, now), now, None), Ok(step_at(now)));
    }

    #[test]
    fn a_code_from_the_previous_or_next_step_is_accepted_for_clock_skew() {
        let secret = rfc_secret();
        let now = at(1_700_000_010);
        let step = step_at(now);
        let previous = code_at(&secret, at(1_700_000_010 - 30));
        let next = code_at(&secret, at(1_700_000_010 + 30));
        assert_eq!(verify(&secret, &previous, now, None), Ok(step - 1));
        assert_eq!(verify(&secret, &next, now, None), Ok(step + 1));
    }

    #[test]
    fn a_code_two_steps_away_is_refused() {
        let secret = rfc_secret();
        let now = at(1_700_000_010);
        let old = code_at(&secret, at(1_700_000_010 - 60));
        let future = code_at(&secret, at(1_700_000_010 + 60));
        assert_eq!(verify(&secret, &old, now, None), Err(TotpError::Invalid));
        assert_eq!(verify(&secret, &future, now, None), Err(TotpError::Invalid));
    }

    #[test]
    fn a_code_is_accepted_once_then_refused_as_replayed() {
        let secret = TotpSecret::generate();
        let now = at(1_700_000_010);
        let code = code_at(&secret, now);
        let used = verify(&secret, &code, now, None).unwrap();
        assert_eq!(verify(&secret, &code, now, Some(used)), Err(TotpError::Replayed));
        // Still replayed ten seconds later, within the same step.
        assert_eq!(verify(&secret, &code, at(1_700_000_020), Some(used)), Err(TotpError::Replayed));
    }

    #[test]
    fn a_code_of_a_step_before_the_last_used_one_is_replayed_even_within_the_skew() {
        let secret = rfc_secret();
        let now = at(1_700_000_010);
        let step = step_at(now);
        let previous = code_at(&secret, at(1_700_000_010 - 30));
        assert_eq!(verify(&secret, &previous, now, Some(step)), Err(TotpError::Replayed));
        assert_eq!(verify(&secret, &previous, now, Some(step - 1)), Err(TotpError::Replayed));
        assert_eq!(verify(&secret, &previous, now, Some(step - 2)), Ok(step - 1));
    }

    #[test]
    fn the_next_step_is_accepted_after_the_current_one_was_used() {
        let secret = rfc_secret();
        let now = at(1_700_000_010);
        let step = step_at(now);
        let next = code_at(&secret, at(1_700_000_010 + 30));
        assert_eq!(verify(&secret, &next, now, Some(step)), Ok(step + 1));
    }

    #[test]
    fn a_wrong_code_is_invalid_and_malformed_codes_are_malformed() {
        let secret = rfc_secret();
        let now = at(1_700_000_010);
        let right: u32 = code_at(&secret, now).parse().unwrap();
        let wrong = format!("{:06}", (right + 1) % 1_000_000);
        assert_eq!(verify(&secret, &wrong, now, None), Err(TotpError::Invalid));
        for bad in ["", "12345", "1234567", "12a456", "١٢٣٤٥٦", "-12345", "+12345", "123456\n"] {
            assert_eq!(verify(&secret, bad, now, None), Err(TotpError::Malformed), "{bad:?}");
        }
    }

    #[test]
    fn spaces_in_a_code_are_ignored() {
        let secret = rfc_secret();
        let now = at(1_700_000_010);
        let code = code_at(&secret, now);
        let spaced = format!(" {} {} ", &code[..3], &code[3..]);
        assert_eq!(verify(&secret, &spaced, now, None), Ok(step_at(now)));
    }

    #[test]
    fn the_secret_is_20_bytes_shown_as_32_characters_of_base32() {
        let secret = rfc_secret();
        assert_eq!(secret.reveal_base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(TotpSecret::from_base32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq"), Some(secret.clone()));
        let random = TotpSecret::generate();
        assert_eq!(random.reveal_base32().len(), 32);
        assert_eq!(TotpSecret::from_base32(&random.reveal_base32()), Some(random.clone()));
        assert_eq!(TotpSecret::from_bytes(*random.reveal_bytes()), random);
        assert_ne!(random, TotpSecret::generate());
    }

    #[test]
    fn base32_of_the_wrong_length_or_alphabet_is_refused() {
        assert_eq!(TotpSecret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ"), None);
        assert_eq!(TotpSecret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGE"), None);
        assert_eq!(TotpSecret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ1"), None);
        assert_eq!(TotpSecret::from_base32(""), None);
    }

    #[test]
    fn the_otpauth_uri_names_issuer_account_and_parameters() {
        assert_eq!(
            rfc_secret().otpauth_uri("mette.hansen@kommune.dk"),
            "otpauth://totp/Samvirke:mette.hansen%40kommune.dk?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
             &issuer=Samvirke&algorithm=SHA1&digits=6&period=30"
        );
        assert!(rfc_secret().otpauth_uri("Søren Ø:x?&").contains("/Samvirke:S%C3%B8ren%20%C3%98%3Ax%3F%26?"));
    }

    #[test]
    fn debug_hides_the_secret() {
        let secret = rfc_secret();
        assert_eq!(format!("{secret:?}"), "TotpSecret(<hidden>)");
    }

    #[test]
    fn the_qr_code_is_svg_without_style_or_declaration() {
        let secret = TotpSecret::generate();
        let svg = qr_svg(&secret.otpauth_uri("koordinator"));
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("viewBox") && svg.ends_with("</svg>"));
        assert!(!svg.contains("style"), "no style: the pages' CSP allows none inline");
    }
}
