//! The Danish personal identification number (CPR-nummer).
//!
//! A CPR number is used only to identify a child uniquely
//! (Databeskyttelsesloven § 11). It is shown masked (`DDMMYY-xxxx`), its debug
//! form is masked, and it has no `Serialize`: sending the full number anywhere
//! needs an explicit call to [`Cpr::reveal`].

use crate::validation::Problem;
use jiff::civil::Date;
use std::fmt;

/// A CPR number whose first six digits are a real date of birth.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Cpr {
    digits: [u8; 10],
    birth_date: Date,
}

impl Cpr {
    /// Parses `DDMMYYSSSS` or `DDMMYY-SSSS` (spaces allowed around the hyphen).
    ///
    /// The modulus-11 check is not applied: numbers without it have been issued since 2007.
    pub fn parse(input: &str) -> Result<Self, Problem> {
        let compact: String = input.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        if compact.is_empty() {
            return Err(Problem::Required);
        }
        if compact.len() != 10 || !compact.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Problem::CprFormat);
        }
        let mut digits = [0u8; 10];
        for (d, b) in digits.iter_mut().zip(compact.bytes()) {
            *d = b - b'0';
        }
        let day = digits[0] * 10 + digits[1];
        let month = digits[2] * 10 + digits[3];
        let yy = i16::from(digits[4]) * 10 + i16::from(digits[5]);
        let century = Self::century(digits[6], yy);
        let birth_date = Date::new(century + yy, month as i8, day as i8).map_err(|_| Problem::CprDate)?;
        Ok(Self { digits, birth_date })
    }

    /// The century of birth from the seventh digit and the two-digit year, by the CPR office's table.
    fn century(seventh: u8, yy: i16) -> i16 {
        match seventh {
            0..=3 => 1900,
            4 | 9 => {
                if yy <= 36 {
                    2000
                } else {
                    1900
                }
            }
            _ => {
                if yy <= 57 {
                    2000
                } else {
                    1800
                }
            }
        }
    }

    /// The date of birth encoded in the number.
    pub fn birth_date(&self) -> Date {
        self.birth_date
    }

    /// The number shown to people: date of birth and four hidden digits, e.g. `010203-xxxx`.
    pub fn masked(&self) -> String {
        let d: String = self.digits[..6].iter().map(|d| char::from(b'0' + d)).collect();
        format!("{d}-xxxx")
    }

    /// The full number as `DDMMYYSSSS`, for storage and the data subject's own export only.
    pub fn reveal(&self) -> String {
        self.digits.iter().map(|d| char::from(b'0' + d)).collect()
    }
}

impl fmt::Debug for Cpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cpr({})", self.masked())
    }
}

impl fmt::Display for Cpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn cpr_accepts_ten_digits_with_or_without_hyphen() {
        let a = Cpr::parse("0102031234").unwrap();
        let b = Cpr::parse("010203-1234").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.birth_date(), date(1903, 2, 1));
    }

    #[test]
    fn cpr_century_follows_the_seventh_digit() {
        assert_eq!(Cpr::parse("0102154123").unwrap().birth_date(), date(2015, 2, 1));
        assert_eq!(Cpr::parse("0102504123").unwrap().birth_date(), date(1950, 2, 1));
        assert_eq!(Cpr::parse("0102105123").unwrap().birth_date(), date(2010, 2, 1));
        assert_eq!(Cpr::parse("0102905123").unwrap().birth_date(), date(1890, 2, 1));
        assert_eq!(Cpr::parse("0102209123").unwrap().birth_date(), date(2020, 2, 1));
        assert_eq!(Cpr::parse("0102609123").unwrap().birth_date(), date(1960, 2, 1));
    }

    #[test]
    fn cpr_refuses_wrong_format_and_impossible_dates() {
        assert_eq!(Cpr::parse(""), Err(Problem::Required));
        assert_eq!(Cpr::parse("12345"), Err(Problem::CprFormat));
        assert_eq!(Cpr::parse("01020312a4"), Err(Problem::CprFormat));
        assert_eq!(Cpr::parse("3102154123"), Err(Problem::CprDate));
        assert_eq!(Cpr::parse("2902154123"), Err(Problem::CprDate), "2015 is not a leap year");
        assert!(Cpr::parse("2902164123").is_ok(), "2016 is a leap year");
    }

    #[test]
    fn cpr_is_masked_when_shown_and_debugged() {
        let c = Cpr::parse("010215-4123").unwrap();
        assert_eq!(c.to_string(), "010215-xxxx");
        assert_eq!(format!("{c:?}"), "Cpr(010215-xxxx)");
        assert!(!format!("{c:?}").contains("4123"));
        assert_eq!(c.reveal(), "0102154123");
    }
}
