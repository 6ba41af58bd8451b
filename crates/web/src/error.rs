//! The one error type of the request path, and the one place it becomes HTTP.
//!
//! Handlers and extractors return [`ApiError`]. Turning it into a response
//! does not yet choose the words: the error travels in the response's
//! extensions, and [`crate::middleware::render_errors`] writes the body in the
//! language the request asked for. Every error body has the same shape:
//!
//! ```json
//! {"error": {"code": "validation", "message": "…", "fields": [{"field": "child.cpr", "message": "…"}]}}
//! ```
//!
//! A rule of the field that blocks an action (a [`RuleViolation`] from the
//! domain) is a 409 with code `rule`; its message is the domain's
//! explanation, naming the rule's section, and `rule` carries the rule's code,
//! sections, statement and way forward. The web never words a rule itself.
//!
//! Internal details (database errors, panics) are logged where they are
//! caught and never sent; the client sees a uniform 500 or 503.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use samvirke_domain::Lang;
use samvirke_domain::rules::{Rule, RuleViolation, RuleViolationView};
use samvirke_domain::validation::{LocalizedFieldError, ValidationErrors};
use samvirke_store::{Conflict, StoreError};
use serde::Serialize;
use utoipa::ToSchema;

/// The result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;

/// Everything that can go wrong in a request, as the client sees it.
#[derive(Debug, Clone)]
pub enum ApiError {
    /// Input that cannot be accepted, field by field (422).
    Validation(ValidationErrors),
    /// A body that is not JSON at all (422).
    InvalidJson {
        /// Line of the syntax error.
        line: usize,
        /// Column of the syntax error.
        column: usize,
    },
    /// A body that is JSON, but not an object (422).
    NotAnObject,
    /// A record that the write refers to disappeared under it (422).
    MissingReference,
    /// The record in the URL does not exist, or the actor has no relation to it (404).
    NotFound,
    /// Nobody is signed in (401).
    Unauthorized,
    /// The signed-in actor may not do this (403).
    Forbidden,
    /// A state-changing request of a signed-in browser without the session's
    /// CSRF token in `X-CSRF-Token`, or with another (403).
    Csrf,
    /// A sign-in or second factor was refused: the same answer for an unknown
    /// username, a wrong password or code and a locked account (401).
    SignInFailed,
    /// Too many attempts from the client's address; try again after this many seconds (429).
    TooManyRequests {
        /// Seconds to wait, for the `Retry-After` header.
        retry_after: u64,
    },
    /// The write conflicts with what is stored (409).
    Conflict(ConflictKind),
    /// A rule of the field blocks the action (409).
    Rule(RuleViolation),
    /// The request could not be read (400).
    BadRequest,
    /// The method is not served at this address (405).
    MethodNotAllowed,
    /// The body is larger than the limit (413).
    PayloadTooLarge,
    /// The body is not declared as JSON (415).
    UnsupportedMediaType,
    /// A bug or a database error; the detail was logged (500).
    Internal,
    /// The database cannot be reached, or the request took too long (503).
    Unavailable,
}

/// Why a write was refused because of the state of the records (409).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictKind {
    /// Someone else changed the record since the client read it.
    StaleRevision,
    /// A record with the same key exists.
    Duplicate,
    /// A room or practitioner is already booked at that time.
    DoubleBooking,
    /// The record is still referred to.
    InUse,
    /// The database refused to change what was sent ([`Conflict::Immutable`]):
    /// the last line behind the domain's rule that a sent report is final.
    DocumentClosed,
}

impl ConflictKind {
    fn code(self) -> &'static str {
        match self {
            ConflictKind::StaleRevision => "stale_revision",
            ConflictKind::Duplicate => "duplicate",
            ConflictKind::DoubleBooking => "double_booking",
            ConflictKind::InUse => "in_use",
            ConflictKind::DocumentClosed => "document_closed",
        }
    }

    fn message(self, lang: Lang) -> &'static str {
        use ConflictKind::*;
        match (self, lang) {
            (StaleRevision, Lang::Da) => {
                "Nogen har ændret dette, efter du hentede det. Hent det igen, og lav din ændring på ny."
            }
            (StaleRevision, Lang::En) => {
                "Someone else changed this after you loaded it. Reload it and make your change again."
            }
            (Duplicate, Lang::Da) => {
                "Det findes allerede: der er en post med samme nøgle, fx samme kode eller en åben sag for samme barn hos udbyderen."
            }
            (Duplicate, Lang::En) => {
                "It already exists: a record has the same key, e.g. the same code or an open case for the same child at the provider."
            }
            (DoubleBooking, Lang::Da) => "Rummet eller en medarbejder er allerede booket i det tidsrum.",
            (DoubleBooking, Lang::En) => "The room or a practitioner is already booked at that time.",
            (InUse, Lang::Da) => "Det bruges stadig af andre oplysninger og kan ikke fjernes.",
            (InUse, Lang::En) => "It is still in use by other records and cannot be removed.",
            (DocumentClosed, Lang::Da) => {
                "Dokumentet er sendt eller arkiveret og ændres ikke. Skriv en rettelse som et nyt dokument."
            }
            (DocumentClosed, Lang::En) => {
                "The document has been sent or archived and is not changed. Write a correction as a new document."
            }
        }
    }
}

impl ApiError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Validation(_)
            | ApiError::InvalidJson { .. }
            | ApiError::NotAnObject
            | ApiError::MissingReference => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden | ApiError::Csrf => StatusCode::FORBIDDEN,
            ApiError::SignInFailed => StatusCode::UNAUTHORIZED,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Conflict(_) | ApiError::Rule(_) => StatusCode::CONFLICT,
            ApiError::BadRequest => StatusCode::BAD_REQUEST,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The error for a status that a layer produced without an [`ApiError`]
    /// (axum's 405, tower-http's timeout and body limit).
    pub fn from_status(status: StatusCode) -> Self {
        match status {
            StatusCode::NOT_FOUND => ApiError::NotFound,
            StatusCode::UNAUTHORIZED => ApiError::Unauthorized,
            StatusCode::FORBIDDEN => ApiError::Forbidden,
            StatusCode::TOO_MANY_REQUESTS => ApiError::TooManyRequests { retry_after: 1 },
            StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed,
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType,
            StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT | StatusCode::REQUEST_TIMEOUT => {
                ApiError::Unavailable
            }
            s if s.is_server_error() => ApiError::Internal,
            _ => ApiError::BadRequest,
        }
    }

    /// The body, in the given language.
    pub fn body(&self, lang: Lang) -> ErrorBody {
        let da_en = |da: &str, en: &str| match lang {
            Lang::Da => da.to_string(),
            Lang::En => en.to_string(),
        };
        if let ApiError::Rule(violation) = self {
            return ErrorBody {
                error: ErrorDetail {
                    code: "rule".to_string(),
                    message: violation.explain(lang),
                    fields: vec![],
                    rule: Some(violation.view(lang)),
                },
            };
        }
        let (code, message, fields) = match self {
            ApiError::Validation(errors) => (
                "validation",
                da_en("Nogle felter er ikke udfyldt rigtigt.", "Some fields are not filled in correctly."),
                errors.localized(lang),
            ),
            ApiError::InvalidJson { line, column } => (
                "validation",
                match lang {
                    Lang::Da => format!("Indholdet er ikke gyldig JSON (linje {line}, kolonne {column})."),
                    Lang::En => format!("The body is not valid JSON (line {line}, column {column})."),
                },
                vec![],
            ),
            ApiError::NotAnObject => {
                ("validation", da_en("Indholdet skal være et JSON-objekt.", "The body must be a JSON object."), vec![])
            }
            ApiError::MissingReference => (
                "validation",
                da_en("Noget, der henvises til, findes ikke.", "Something the request refers to does not exist."),
                vec![],
            ),
            ApiError::NotFound => ("not_found", da_en("Findes ikke.", "Not found."), vec![]),
            ApiError::Unauthorized => ("unauthorized", da_en("Du skal logge ind.", "You need to sign in."), vec![]),
            ApiError::Forbidden => {
                ("forbidden", da_en("Du har ikke adgang til dette.", "You do not have access to this."), vec![])
            }
            ApiError::Csrf => (
                "csrf",
                da_en(
                    "Forespørgslen mangler sessionens CSRF-token (X-CSRF-Token). Hent siden igen.",
                    "The request lacks the session's CSRF token (X-CSRF-Token). Reload the page.",
                ),
                vec![],
            ),
            ApiError::SignInFailed => (
                "sign_in_failed",
                da_en(
                    "Log ind mislykkedes. Tjek brugernavn, adgangskode og kode, og prøv igen.",
                    "Sign-in failed. Check the username, password and code, and try again.",
                ),
                vec![],
            ),
            ApiError::TooManyRequests { .. } => (
                "too_many_requests",
                da_en("For mange forsøg. Vent lidt, og prøv igen.", "Too many attempts. Wait a little and try again."),
                vec![],
            ),
            ApiError::Conflict(kind) => (kind.code(), kind.message(lang).to_string(), vec![]),
            ApiError::Rule(_) => unreachable!("rule violations are rendered above"),
            ApiError::BadRequest => {
                ("bad_request", da_en("Forespørgslen kan ikke læses.", "The request cannot be read."), vec![])
            }
            ApiError::MethodNotAllowed => (
                "method_not_allowed",
                da_en("Metoden kan ikke bruges på denne adresse.", "The method cannot be used at this address."),
                vec![],
            ),
            ApiError::PayloadTooLarge => {
                ("payload_too_large", da_en("Indholdet er for stort.", "The body is too large."), vec![])
            }
            ApiError::UnsupportedMediaType => (
                "unsupported_media_type",
                da_en(
                    "Indholdet skal sendes som JSON (Content-Type: application/json).",
                    "The body must be sent as JSON (Content-Type: application/json).",
                ),
                vec![],
            ),
            ApiError::Internal => (
                "internal",
                da_en(
                    "Der skete en fejl hos os. Prøv igen senere.",
                    "Something went wrong on our side. Try again later.",
                ),
                vec![],
            ),
            ApiError::Unavailable => (
                "unavailable",
                da_en(
                    "Tjenesten er midlertidigt utilgængelig. Prøv igen om lidt.",
                    "The service is temporarily unavailable. Try again shortly.",
                ),
                vec![],
            ),
        };
        ErrorBody { error: ErrorDetail { code: code.to_string(), message, fields, rule: None } }
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(e: ValidationErrors) -> Self {
        ApiError::Validation(e)
    }
}

impl From<RuleViolation> for ApiError {
    fn from(v: RuleViolation) -> Self {
        ApiError::Rule(v)
    }
}

impl From<StoreError> for ApiError {
    /// The one mapping from store failures to HTTP. Details are logged here and go no further.
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Conflict(c) => match c {
                Conflict::StaleRevision => ApiError::Conflict(ConflictKind::StaleRevision),
                Conflict::Duplicate => ApiError::Conflict(ConflictKind::Duplicate),
                Conflict::DoubleBooking => ApiError::Conflict(ConflictKind::DoubleBooking),
                // A withdrawal that lost a race with another: the domain's rule, unworded here.
                Conflict::AlreadyWithdrawn => ApiError::Rule(RuleViolation::new(Rule::WithdrawalFromItsMoment)),
                Conflict::InUse => ApiError::Conflict(ConflictKind::InUse),
                Conflict::Immutable => ApiError::Conflict(ConflictKind::DocumentClosed),
                Conflict::MissingReference => ApiError::MissingReference,
            },
            StoreError::Unavailable(source) => {
                tracing::warn!(error = %source, "database unavailable");
                ApiError::Unavailable
            }
            StoreError::Corrupt { column, .. } => {
                // The reason may quote the stored value, which can be personal data: only the column is logged.
                tracing::error!(column, "stored data cannot be read");
                ApiError::Internal
            }
            StoreError::Backend(source) => {
                tracing::error!(error = %source, "database error");
                ApiError::Internal
            }
        }
    }
}

impl IntoResponse for ApiError {
    /// A response with the status and a Danish body; `render_errors` rewrites
    /// the body in the request's language from the error kept in the extensions.
    fn into_response(self) -> Response {
        let mut response = (self.status(), axum::Json(self.body(Lang::Da))).into_response();
        if let ApiError::TooManyRequests { retry_after } = self {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(retry_after));
        }
        response.extensions_mut().insert(self);
        response
    }
}

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable code: `validation`, `not_found`, `unauthorized`, `forbidden`, `csrf`,
    /// `sign_in_failed`, `too_many_requests`, `rule`, `stale_revision`,
    /// `duplicate`, `double_booking`, `in_use`, `document_closed`, `bad_request`,
    /// `method_not_allowed`, `payload_too_large`, `unsupported_media_type`, `internal`, `unavailable`.
    #[schema(example = "validation")]
    pub code: String,
    /// A message for people, in Danish or (with `Accept-Language: en`) English.
    pub message: String,
    /// For `validation`: the problems, one per field (`child.cpr`, `terms.work_goals[1]`).
    pub fields: Vec<LocalizedFieldError>,
    /// For `rule`: the rule that blocks the action, its sections of the law, and the way forward.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<RuleViolationView>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use samvirke_domain::validation::Problem;

    #[test]
    fn validation_errors_are_reported_per_field_in_the_requested_language() {
        let e = ApiError::Validation(ValidationErrors::one("child.cpr", Problem::CprFormat));
        let da = e.body(Lang::Da);
        let en = e.body(Lang::En);
        assert_eq!(da.error.code, "validation");
        assert_eq!(da.error.fields[0].field, "child.cpr");
        assert!(da.error.fields[0].message.starts_with("CPR-nummeret"));
        assert!(en.error.fields[0].message.starts_with("The CPR number"));
    }

    #[test]
    fn store_conflicts_become_409_and_missing_records_404() {
        assert_eq!(ApiError::from(StoreError::Conflict(Conflict::StaleRevision)).status(), StatusCode::CONFLICT);
        assert_eq!(ApiError::from(StoreError::NotFound).status(), StatusCode::NOT_FOUND);
        assert_eq!(
            ApiError::from(StoreError::Conflict(Conflict::MissingReference)).status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }

    #[test]
    fn a_rule_violation_is_409_naming_the_rule_and_its_section_in_the_requested_language() {
        let e = ApiError::from(RuleViolation::new(Rule::DescriptionNeedsConsent));
        assert_eq!(e.status(), StatusCode::CONFLICT);
        let da = serde_json::to_value(e.body(Lang::Da)).unwrap();
        assert_eq!(da["error"]["code"], "rule");
        assert_eq!(da["error"]["rule"]["rule"], "description_needs_consent");
        assert_eq!(da["error"]["rule"]["sections"][0], "BL § 104, stk. 3");
        assert!(da["error"]["message"].as_str().unwrap().ends_with("(BL § 104, stk. 3)"));
        let en = serde_json::to_value(e.body(Lang::En)).unwrap();
        assert!(en["error"]["message"].as_str().unwrap().contains("consented to written descriptions"));
        let plain = serde_json::to_value(ApiError::NotFound.body(Lang::Da)).unwrap();
        assert!(plain["error"].get("rule").is_none());
    }

    #[test]
    fn internal_errors_leak_nothing() {
        let e = ApiError::from(StoreError::corrupt("cases.cpr", "0102154123 is not valid"));
        let body = serde_json::to_string(&e.body(Lang::En)).unwrap();
        assert!(!body.contains("0102154123") && !body.contains("cases"));
        assert_eq!(e.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
