//! Input problems, reported per field in the user's language.
//!
//! Parsing into a domain type returns a [`Problem`]; a [`Validator`] collects
//! the problems of a whole form or request so that the user sees all of them
//! at once, each next to its field.

use crate::i18n::Lang;
use serde::Serialize;
use utoipa::ToSchema;

/// Why a value was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Nothing was given where something is needed.
    Required,
    /// Longer than allowed.
    TooLong { max: usize },
    /// Contains control characters that have no place in the text.
    ControlCharacters,
    /// A CPR number is not ten digits (optionally `DDMMYY-SSSS`).
    CprFormat,
    /// A CPR number's first six digits are not a real date.
    CprDate,
    /// A number outside its allowed range.
    OutOfRange { min: i64, max: i64 },
    /// A period or time range ends before it starts.
    EndBeforeStart,
    /// More items than allowed.
    TooMany { max: usize },
    /// A value not in the list of allowed values.
    NotAllowed,
    /// A reference to a record that does not exist (or is not visible).
    UnknownRecord,
    /// A date or time that cannot be read.
    BadDate,
    /// A municipality code outside the Danish range.
    MunicipalityCode,
    /// An e-mail address that cannot be right.
    Email,
    /// A username with characters outside a–z, 0–9, `.`, `-`, `_`.
    Username,
    /// A password shorter than the minimum.
    PasswordTooShort { min: usize },
    /// Two values that must differ, or be unique, are the same.
    Duplicate,
    /// Free-form problem with a message in both languages.
    Other { da: String, en: String },
}

impl Problem {
    /// The message shown to the user next to the field.
    pub fn message(&self, lang: Lang) -> String {
        use Problem::*;
        match (self, lang) {
            (Required, Lang::Da) => "Skal udfyldes.".into(),
            (Required, Lang::En) => "Required.".into(),
            (TooLong { max }, Lang::Da) => format!("Må højst være {max} tegn."),
            (TooLong { max }, Lang::En) => format!("Must be at most {max} characters."),
            (ControlCharacters, Lang::Da) => "Indeholder ugyldige tegn.".into(),
            (ControlCharacters, Lang::En) => "Contains invalid characters.".into(),
            (CprFormat, Lang::Da) => "CPR-nummeret skal være 10 cifre, fx 010203-1234.".into(),
            (CprFormat, Lang::En) => "The CPR number must be 10 digits, e.g. 010203-1234.".into(),
            (CprDate, Lang::Da) => "CPR-nummerets første seks cifre er ikke en gyldig dato.".into(),
            (CprDate, Lang::En) => "The first six digits of the CPR number are not a valid date.".into(),
            (OutOfRange { min, max }, Lang::Da) => format!("Skal være mellem {min} og {max}."),
            (OutOfRange { min, max }, Lang::En) => format!("Must be between {min} and {max}."),
            (EndBeforeStart, Lang::Da) => "Slutningen ligger før starten.".into(),
            (EndBeforeStart, Lang::En) => "The end is before the start.".into(),
            (TooMany { max }, Lang::Da) => format!("Højst {max}."),
            (TooMany { max }, Lang::En) => format!("At most {max}."),
            (NotAllowed, Lang::Da) => "Værdien er ikke tilladt her.".into(),
            (NotAllowed, Lang::En) => "This value is not allowed here.".into(),
            (UnknownRecord, Lang::Da) => "Findes ikke.".into(),
            (UnknownRecord, Lang::En) => "Does not exist.".into(),
            (BadDate, Lang::Da) => "Datoen eller tidspunktet kan ikke læses.".into(),
            (BadDate, Lang::En) => "The date or time cannot be read.".into(),
            (MunicipalityCode, Lang::Da) => "Kommunekoden skal være et tal mellem 101 og 860.".into(),
            (MunicipalityCode, Lang::En) => "The municipality code must be a number from 101 to 860.".into(),
            (Email, Lang::Da) => "E-mailadressen er ikke gyldig.".into(),
            (Email, Lang::En) => "The e-mail address is not valid.".into(),
            (Username, Lang::Da) => "Brugernavnet må kun indeholde a–z, 0–9, punktum, bindestreg og understreg.".into(),
            (Username, Lang::En) => "The username may only contain a–z, 0–9, dot, hyphen and underscore.".into(),
            (PasswordTooShort { min }, Lang::Da) => format!("Adgangskoden skal være mindst {min} tegn."),
            (PasswordTooShort { min }, Lang::En) => format!("The password must be at least {min} characters."),
            (Duplicate, Lang::Da) => "Findes allerede.".into(),
            (Duplicate, Lang::En) => "Already exists.".into(),
            (Other { da, .. }, Lang::Da) => da.clone(),
            (Other { en, .. }, Lang::En) => en.clone(),
        }
    }
}

/// A problem with one named field of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's path in the request, e.g. `child.cpr` or `work_goals[1]`.
    pub field: String,
    /// What is wrong with it.
    pub problem: Problem,
}

/// All problems of one request. Never empty.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} invalid field(s)", .0.len())]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    /// A single problem with one field.
    pub fn one(field: impl Into<String>, problem: Problem) -> Self {
        Self(vec![FieldError { field: field.into(), problem }])
    }

    /// The problems as field → message, in the given language.
    pub fn localized(&self, lang: Lang) -> Vec<LocalizedFieldError> {
        self.0
            .iter()
            .map(|e| LocalizedFieldError { field: e.field.clone(), message: e.problem.message(lang) })
            .collect()
    }
}

/// A field problem as the API reports it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LocalizedFieldError {
    /// The field's path in the request.
    pub field: String,
    /// The message, in the language of the request.
    pub message: String,
}

/// Collects field problems while parsing a request into domain types.
#[derive(Debug, Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    /// An empty validator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the value, or records the problem under `field`.
    pub fn check<T>(&mut self, field: &str, result: Result<T, Problem>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(problem) => {
                self.errors.push(FieldError { field: field.to_string(), problem });
                None
            }
        }
    }

    /// Records a problem directly.
    pub fn push(&mut self, field: impl Into<String>, problem: Problem) {
        self.errors.push(FieldError { field: field.into(), problem });
    }

    /// Takes over the problems of a nested parse, prefixing their fields.
    pub fn nested<T>(&mut self, prefix: &str, result: Result<T, ValidationErrors>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(ValidationErrors(errs)) => {
                for e in errs {
                    let field = if e.field.is_empty() { prefix.to_string() } else { format!("{prefix}.{}", e.field) };
                    self.errors.push(FieldError { field, problem: e.problem });
                }
                None
            }
        }
    }

    /// True when nothing has been refused so far.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// Ends the parse: `Ok(())` when no problem was recorded.
    pub fn finish(self) -> Result<(), ValidationErrors> {
        if self.errors.is_empty() { Ok(()) } else { Err(ValidationErrors(self.errors)) }
    }

    /// Ends the parse with a value built from the checked parts. The closure is
    /// only called when every check passed, so it may unwrap them.
    pub fn build<T>(self, f: impl FnOnce() -> T) -> Result<T, ValidationErrors> {
        self.finish().map(|()| f())
    }
}
