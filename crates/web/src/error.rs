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
//! Internal details (database errors, panics) are logged where they are
//! caught and never sent; the client sees a uniform 500 or 503.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use samvirke_domain::Lang;
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
    /// The record in the URL does not exist (404).
    NotFound,
    /// The write conflicts with what is stored (409).
    Conflict(ConflictKind),
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
    /// The consent was already withdrawn.
    AlreadyWithdrawn,
    /// The record is still referred to.
    InUse,
    /// The appointment already has an outcome: it is history, not a plan.
    HasOutcome,
    /// The document was sent or archived and is never changed.
    DocumentClosed,
}

impl ConflictKind {
    fn code(self) -> &'static str {
        match self {
            ConflictKind::StaleRevision => "stale_revision",
            ConflictKind::Duplicate => "duplicate",
            ConflictKind::DoubleBooking => "double_booking",
            ConflictKind::AlreadyWithdrawn => "already_withdrawn",
            ConflictKind::InUse => "in_use",
            ConflictKind::HasOutcome => "has_outcome",
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
            (AlreadyWithdrawn, Lang::Da) => "Samtykket er allerede trukket tilbage.",
            (AlreadyWithdrawn, Lang::En) => "The consent has already been withdrawn.",
            (InUse, Lang::Da) => "Det bruges stadig af andre oplysninger og kan ikke fjernes.",
            (InUse, Lang::En) => "It is still in use by other records and cannot be removed.",
            (HasOutcome, Lang::Da) => "Aftalen har allerede et registreret forløb og kan ikke flyttes eller slettes.",
            (HasOutcome, Lang::En) => "The appointment already has a recorded outcome and cannot be moved or deleted.",
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
            ApiError::Conflict(_) => StatusCode::CONFLICT,
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
            ApiError::Conflict(kind) => (kind.code(), kind.message(lang).to_string(), vec![]),
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
        ErrorBody { error: ErrorDetail { code: code.to_string(), message, fields } }
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(e: ValidationErrors) -> Self {
        ApiError::Validation(e)
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
                Conflict::AlreadyWithdrawn => ApiError::Conflict(ConflictKind::AlreadyWithdrawn),
                Conflict::InUse => ApiError::Conflict(ConflictKind::InUse),
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
    /// Stable, machine-readable code: `validation`, `not_found`, `stale_revision`,
    /// `duplicate`, `double_booking`, `already_withdrawn`, `in_use`, `has_outcome`,
    /// `document_closed`, `bad_request`, `method_not_allowed`, `payload_too_large`,
    /// `unsupported_media_type`, `internal`, `unavailable`.
    #[schema(example = "validation")]
    pub code: String,
    /// A message for people, in Danish or (with `Accept-Language: en`) English.
    pub message: String,
    /// For `validation`: the problems, one per field (`child.cpr`, `terms.work_goals[1]`).
    pub fields: Vec<LocalizedFieldError>,
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
    fn internal_errors_leak_nothing() {
        let e = ApiError::from(StoreError::corrupt("cases.cpr", "0102154123 is not valid"));
        let body = serde_json::to_string(&e.body(Lang::En)).unwrap();
        assert!(!body.contains("0102154123") && !body.contains("cases"));
        assert_eq!(e.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
