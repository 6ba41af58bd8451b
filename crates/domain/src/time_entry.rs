//! Hours registered against an order's scope.

use crate::Localized;
use crate::ids::*;
use crate::text::ShortText;
use crate::time::Minutes;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What the time was spent on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimeKind {
    /// With the family.
    Direct,
    /// Preparation.
    Preparation,
    /// Travel.
    Travel,
    /// Writing notes, descriptions and letters.
    Documentation,
    /// Meetings with caseworker and network.
    Meeting,
}

impl TimeKind {
    /// The kind's name.
    pub fn name(self) -> Localized {
        match self {
            TimeKind::Direct => Localized::new("Direkte tid", "Direct time"),
            TimeKind::Preparation => Localized::new("Forberedelse", "Preparation"),
            TimeKind::Travel => Localized::new("Transport", "Travel"),
            TimeKind::Documentation => Localized::new("Dokumentation", "Documentation"),
            TimeKind::Meeting => Localized::new("Møder", "Meetings"),
        }
    }
}

/// Time registered by one person on one day against one referral.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TimeEntry {
    /// Identifier.
    pub id: TimeEntryId,
    /// The referral whose scope it counts against.
    pub referral_id: ReferralId,
    /// Who spent it.
    pub staff_id: StaffId,
    /// The appointment, if any.
    pub appointment_id: Option<AppointmentId>,
    /// The day.
    pub date: Date,
    /// How long.
    pub minutes: Minutes,
    /// On what.
    pub kind: TimeKind,
    /// Note.
    pub note: Option<ShortText>,
    /// When registered.
    pub registered_at: Timestamp,
}
