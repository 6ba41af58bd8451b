//! Documents sent out of the provider: written descriptions of visits, status
//! letters and closing letters. Each has versions; a sent version is never changed.

use crate::Localized;
use crate::ids::*;
use crate::text::{LongText, ShortText};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Kind of document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// A written description of one visit, to the caseworker.
    WrittenDescription,
    /// A status letter during the course.
    StatusLetter,
    /// The status letter at closing.
    ClosingLetter,
}

impl DocumentKind {
    /// The kind's name.
    pub fn name(self) -> Localized {
        match self {
            DocumentKind::WrittenDescription => Localized::new("Skriftlig beskrivelse", "Written description"),
            DocumentKind::StatusLetter => Localized::new("Statusskrivelse", "Status letter"),
            DocumentKind::ClosingLetter => Localized::new("Afsluttende statusskrivelse", "Closing letter"),
        }
    }
}

/// Where a document is in its workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentState {
    /// Being written.
    Draft,
    /// Waiting for the coordinator's review.
    CoordinatorReview,
    /// The family reads it and may add a comment.
    FamilyReview,
    /// Sent to the caseworker.
    Sent,
    /// Archived.
    Archived,
}

impl DocumentState {
    /// The state's name.
    pub fn name(self) -> Localized {
        match self {
            DocumentState::Draft => Localized::new("Kladde", "Draft"),
            DocumentState::CoordinatorReview => Localized::new("Til godkendelse", "Coordinator review"),
            DocumentState::FamilyReview => Localized::new("Til gennemlæsning hos familien", "Family review"),
            DocumentState::Sent => Localized::new("Sendt", "Sent"),
            DocumentState::Archived => Localized::new("Arkiveret", "Archived"),
        }
    }
}

/// A document.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Document {
    /// Identifier.
    pub id: DocumentId,
    /// The case.
    pub case_id: CaseId,
    /// The referral.
    pub referral_id: ReferralId,
    /// The visit it describes (written descriptions).
    pub appointment_id: Option<AppointmentId>,
    /// Kind.
    pub kind: DocumentKind,
    /// Title.
    pub title: ShortText,
    /// State.
    pub state: DocumentState,
    /// The sent document this one corrects.
    pub corrects: Option<DocumentId>,
    /// When created.
    pub created_at: Timestamp,
    /// Number of the latest version.
    pub current_version: u32,
    /// Incremented on every change.
    pub revision: u32,
}

/// One version of a document's text.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct DocumentVersion {
    /// The document.
    pub document_id: DocumentId,
    /// Version number, from 1.
    pub version: u32,
    /// The text.
    pub body: LongText,
    /// The family's comment, which travels with the document.
    pub family_comment: Option<LongText>,
    /// Who wrote this version.
    pub author_id: StaffId,
    /// When.
    pub created_at: Timestamp,
}
