//! Invented people: names, CPR numbers, phone numbers, addresses and e-mail addresses.

use crate::data::{ADULT_FEMALE, ADULT_MALE, CHILD_FEMALE, CHILD_MALE, OLDER_FEMALE, OLDER_MALE, STREETS, SURNAMES};
use crate::util::pick;
use jiff::civil::Date;
use rand::Rng;
use samvirke_domain::cpr::Cpr;
use std::collections::HashSet;

/// A generation, for choosing given names that fit a person's age.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generation {
    /// Children and young people.
    Child,
    /// Parents and staff.
    Adult,
    /// Grandparents.
    Older,
}

/// An invented person's name.
#[derive(Debug, Clone)]
pub struct Name {
    pub first: String,
    pub last: String,
}

impl Name {
    /// A random adult name of the given sex.
    pub fn random(rng: &mut impl Rng, female: bool) -> Self {
        Self::of(rng, Generation::Adult, female)
    }

    /// A random name of the given generation and sex.
    pub fn of(rng: &mut impl Rng, generation: Generation, female: bool) -> Self {
        let list = match (generation, female) {
            (Generation::Child, true) => CHILD_FEMALE,
            (Generation::Child, false) => CHILD_MALE,
            (Generation::Adult, true) => ADULT_FEMALE,
            (Generation::Adult, false) => ADULT_MALE,
            (Generation::Older, true) => OLDER_FEMALE,
            (Generation::Older, false) => OLDER_MALE,
        };
        Self { first: pick(rng, list).to_string(), last: pick(rng, SURNAMES).to_string() }
    }

    /// A random name of the given generation and sex with a given surname.
    pub fn with_last(rng: &mut impl Rng, generation: Generation, female: bool, last: &str) -> Self {
        let mut n = Self::of(rng, generation, female);
        n.last = last.to_string();
        n
    }

    /// First and last name.
    pub fn full(&self) -> String {
        format!("{} {}", self.first, self.last)
    }
}

/// A fresh CPR number for someone born on `birth`: the seventh digit gives the
/// right century by the CPR office's table, the last digit is odd for a male and
/// even for a female, and the number is unique within the data set.
pub fn cpr(rng: &mut impl Rng, birth: Date, female: bool, taken: &mut HashSet<String>) -> Cpr {
    let yy = birth.year() % 100;
    loop {
        let seventh = match birth.year() {
            2000..=2036 => rng.random_range(4..=9),
            1937..=1999 => rng.random_range(0..=3),
            _ => unreachable!("children and parents of the demo are born 1937–2036"),
        };
        let middle: u8 = rng.random_range(0..=99);
        let last = 2 * rng.random_range(0..=4u8) + u8::from(!female);
        let s = format!("{:02}{:02}{:02}{}{:02}{}", birth.day(), birth.month(), yy, seventh, middle, last);
        if taken.insert(s.clone()) {
            return Cpr::parse(&s).expect("a generated CPR number parses");
        }
    }
}

/// An invented phone number. No Danish subscriber number starts with 0, so
/// none of these can reach a real person.
pub fn phone(rng: &mut impl Rng) -> String {
    format!(
        "+45 0{} {:02} {:02} {:02}",
        rng.random_range(1..=9),
        rng.random_range(0..100),
        rng.random_range(0..100),
        rng.random_range(0..100)
    )
}

/// An invented street address in a town.
pub fn address(rng: &mut impl Rng, postcode: u16, town: &str) -> String {
    let street = pick(rng, STREETS);
    let number = rng.random_range(1..=120);
    if rng.random_bool(0.25) {
        let floor = rng.random_range(1..=4);
        let side = if rng.random_bool(0.5) { "th" } else { "tv" };
        format!("{street} {number}, {floor}. {side}, {postcode} {town}")
    } else {
        format!("{street} {number}, {postcode} {town}")
    }
}

/// Lower-case ASCII for e-mail addresses and domains: `Søren Ærø` → `soeren-aeroe`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        match c {
            'æ' => out.push_str("ae"),
            'ø' => out.push_str("oe"),
            'å' => out.push_str("aa"),
            'é' | 'è' => out.push('e'),
            'ü' => out.push('u'),
            'ö' => out.push_str("oe"),
            'ä' => out.push_str("ae"),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ => {
                if !out.ends_with('-') && !out.is_empty() {
                    out.push('-');
                }
            }
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A unique e-mail address for a person at a domain under the reserved `.example` top-level domain.
pub fn email(name: &Name, domain: &str, taken: &mut HashSet<String>) -> String {
    let base = format!("{}.{}", slug(&name.first), slug(&name.last)).replace('-', ".");
    let mut candidate = format!("{base}@{domain}");
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{base}{n}@{domain}");
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn generated_cpr_numbers_parse_to_their_birth_date_and_sex() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut taken = HashSet::new();
        for birth in [date(2008, 2, 29), date(2012, 12, 31), date(2026, 1, 1), date(1975, 6, 5), date(1999, 9, 9)] {
            for female in [true, false] {
                let c = cpr(&mut rng, birth, female, &mut taken);
                assert_eq!(c.birth_date(), birth);
                let last = c.reveal().as_bytes()[9] - b'0';
                assert_eq!(last.is_multiple_of(2), female);
            }
        }
        assert_eq!(taken.len(), 10);
    }

    #[test]
    fn slugs_and_emails_are_plain_ascii_and_unique() {
        assert_eq!(slug("Familiehuset Birkely"), "familiehuset-birkely");
        assert_eq!(slug("Søren Ærø-Å"), "soeren-aeroe-aa");
        let mut taken = HashSet::new();
        let n = Name { first: "Søren".into(), last: "Bøgh".into() };
        assert_eq!(email(&n, "x.example", &mut taken), "soeren.boegh@x.example");
        assert_eq!(email(&n, "x.example", &mut taken), "soeren.boegh2@x.example");
    }
}
