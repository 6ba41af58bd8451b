//! Text that has been checked: trimmed, not empty, not too long, and free of
//! control characters (line breaks are allowed only in multi-line text).

use crate::validation::Problem;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Trimmed, non-empty text of at most `MAX` characters. `MULTILINE` allows line breaks and tabs.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BoundedText<const MAX: usize, const MULTILINE: bool>(String);

/// A single line: titles, names of things, short notes (≤ 200 characters).
pub type ShortText = BoundedText<200, false>;
/// Free text over several lines: notes, journal entries, letters (≤ 100,000 characters).
pub type LongText = BoundedText<100_000, true>;
/// A person's full name (≤ 120 characters).
pub type PersonName = BoundedText<120, false>;

impl<const MAX: usize, const MULTILINE: bool> BoundedText<MAX, MULTILINE> {
    /// Parses user input.
    pub fn parse(input: impl AsRef<str>) -> Result<Self, Problem> {
        let s = input.as_ref().trim();
        if s.is_empty() {
            return Err(Problem::Required);
        }
        if s.chars().count() > MAX {
            return Err(Problem::TooLong { max: MAX });
        }
        let bad = |c: char| c.is_control() && !(MULTILINE && matches!(c, '\n' | '\r' | '\t'));
        if s.chars().any(bad) {
            return Err(Problem::ControlCharacters);
        }
        let normalised = if MULTILINE { s.replace("\r\n", "\n") } else { s.to_string() };
        Ok(Self(normalised))
    }

    /// Parses optional input: absent or blank is `None`.
    pub fn parse_optional(input: Option<impl AsRef<str>>) -> Result<Option<Self>, Problem> {
        match input {
            Some(s) if !s.as_ref().trim().is_empty() => Self::parse(s).map(Some),
            _ => Ok(None),
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<const MAX: usize, const MULTILINE: bool> TryFrom<String> for BoundedText<MAX, MULTILINE> {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s).map_err(|p| p.message(crate::Lang::En))
    }
}

impl<const MAX: usize, const MULTILINE: bool> From<BoundedText<MAX, MULTILINE>> for String {
    fn from(t: BoundedText<MAX, MULTILINE>) -> String {
        t.0
    }
}

impl<const MAX: usize, const MULTILINE: bool> AsRef<str> for BoundedText<MAX, MULTILINE> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl<const MAX: usize, const MULTILINE: bool> fmt::Display for BoundedText<MAX, MULTILINE> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Free text may hold personal data, so its debug form shows only its length.
impl<const MAX: usize, const MULTILINE: bool> fmt::Debug for BoundedText<MAX, MULTILINE> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Text({} chars)", self.0.chars().count())
    }
}

impl<const MAX: usize, const MULTILINE: bool> utoipa::PartialSchema for BoundedText<MAX, MULTILINE> {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .min_length(Some(1))
            .max_length(Some(MAX))
            .into()
    }
}

impl<const MAX: usize, const MULTILINE: bool> utoipa::ToSchema for BoundedText<MAX, MULTILINE> {}

/// An e-mail address, checked for shape only (one `@`, a dot in the domain).
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Parses user input; lower-cases the domain part.
    pub fn parse(input: impl AsRef<str>) -> Result<Self, Problem> {
        let s = input.as_ref().trim();
        if s.is_empty() {
            return Err(Problem::Required);
        }
        if s.len() > 254 {
            return Err(Problem::TooLong { max: 254 });
        }
        let (local, domain) = s.split_once('@').ok_or(Problem::Email)?;
        let ok = !local.is_empty()
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !s.chars().any(|c| c.is_whitespace() || c.is_control());
        if !ok {
            return Err(Problem::Email);
        }
        Ok(Self(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s).map_err(|p| p.message(crate::Lang::En))
    }
}

impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Email(…)")
    }
}

impl utoipa::PartialSchema for Email {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::Email)))
            .into()
    }
}

impl utoipa::ToSchema for Email {}

/// Compares two names in Danish alphabetical order: letters a–z, then æ, ø, å;
/// upper and lower case alike; ä and ö as æ and ø, other accents as their base
/// letter; a double "aa" as å (as Danish directories sort "Aagaard"). Ties are
/// broken by the exact text, so the order is total.
pub fn danish_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    danish_key(a).cmp(&danish_key(b)).then_with(|| a.cmp(b))
}

fn danish_key(s: &str) -> Vec<u32> {
    const AE: u32 = 'z' as u32 + 1;
    const OE: u32 = 'z' as u32 + 2;
    const AA: u32 = 'z' as u32 + 3;
    let lower: Vec<char> = s.chars().flat_map(char::to_lowercase).collect();
    let mut key = Vec::with_capacity(lower.len());
    let mut i = 0;
    while i < lower.len() {
        let c = lower[i];
        if c == 'a' && lower.get(i + 1) == Some(&'a') {
            key.push(AA);
            i += 2;
            continue;
        }
        key.push(match c {
            'æ' | 'ä' => AE,
            'ø' | 'ö' => OE,
            'å' => AA,
            'á' | 'à' | 'â' | 'ã' => 'a' as u32,
            'é' | 'è' | 'ê' | 'ë' => 'e' as u32,
            'í' | 'ì' | 'î' | 'ï' => 'i' as u32,
            'ó' | 'ò' | 'ô' | 'õ' => 'o' as u32,
            'ú' | 'ù' | 'û' => 'u' as u32,
            'ü' => 'y' as u32,
            'ç' => 'c' as u32,
            'ñ' => 'n' as u32,
            other => other as u32,
        });
        i += 1;
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_must_not_be_empty() {
        assert_eq!(ShortText::parse("  hej  ").unwrap().as_str(), "hej");
        assert_eq!(ShortText::parse("   "), Err(Problem::Required));
    }

    #[test]
    fn short_text_refuses_line_breaks_long_text_keeps_them() {
        assert_eq!(ShortText::parse("a\nb"), Err(Problem::ControlCharacters));
        assert_eq!(LongText::parse("a\r\nb").unwrap().as_str(), "a\nb");
        assert_eq!(LongText::parse("a\u{7}b"), Err(Problem::ControlCharacters));
    }

    #[test]
    fn text_length_is_counted_in_characters_not_bytes() {
        let name = "Ø".repeat(120);
        assert!(PersonName::parse(&name).is_ok());
        assert_eq!(PersonName::parse(format!("{name}Å")), Err(Problem::TooLong { max: 120 }));
    }

    #[test]
    fn debug_form_of_text_hides_the_content() {
        let t = LongText::parse("Mor var fuld").unwrap();
        assert_eq!(format!("{t:?}"), "Text(12 chars)");
    }

    #[test]
    fn names_sort_in_danish_alphabetical_order() {
        let mut names = vec!["Østergaard", "Aagaard", "ærø", "Andersen", "Åberg", "Zacho", "bøgh", "Bach", "Élise"];
        names.sort_by(|a, b| danish_cmp(a, b));
        assert_eq!(names, vec!["Andersen", "Bach", "bøgh", "Élise", "Zacho", "ærø", "Østergaard", "Åberg", "Aagaard"]);
    }

    #[test]
    fn email_shape_is_checked() {
        assert_eq!(Email::parse("Anna@Example.DK").unwrap().as_str(), "Anna@example.dk");
        assert_eq!(Email::parse("no-at-sign"), Err(Problem::Email));
        assert_eq!(Email::parse("a@b"), Err(Problem::Email));
        assert_eq!(Email::parse("a b@c.dk"), Err(Problem::Email));
    }
}
