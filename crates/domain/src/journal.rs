//! Journal entries: the running record of a case.

use crate::Localized;
use crate::ids::*;
use crate::text::LongText;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What kind of note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JournalKind {
    /// Note from a session, written right after it.
    SessionNote,
    /// Oral information of significance, noted promptly (Offentlighedsloven § 13).
    OralInformation,
    /// Anything else worth keeping.
    Note,
}

impl JournalKind {
    /// The kind's name.
    pub fn name(self) -> Localized {
        match self {
            JournalKind::SessionNote => Localized::new("Sessionsnotat", "Session note"),
            JournalKind::OralInformation => Localized::new("Notat om mundtlig oplysning", "Note of oral information"),
            JournalKind::Note => Localized::new("Notat", "Note"),
        }
    }
}

/// An entry in a case's journal. Entries are never edited; a correction is a new entry.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct JournalEntry {
    /// Identifier.
    pub id: JournalEntryId,
    /// The case.
    pub case_id: CaseId,
    /// The appointment it is about, if any.
    pub appointment_id: Option<AppointmentId>,
    /// Who wrote it.
    pub author_id: StaffId,
    /// Kind.
    pub kind: JournalKind,
    /// The text.
    pub body: LongText,
    /// When it was written.
    pub written_at: Timestamp,
}
