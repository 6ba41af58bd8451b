use jiff::Timestamp;
use samvirke_domain::appointment::AppointmentKind;
use samvirke_domain::catalogue::Intervention;
use samvirke_domain::document::{DocumentKind, DocumentState};
use samvirke_domain::organisation::StaffRole;
use samvirke_domain::referral::ReferralState;
use samvirke_domain::time::TimeRange;
use samvirke_domain::*;
use uuid::Uuid;

/// Keyset pagination over records in creation (id) order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// At most this many records (1–1000).
    pub limit: u32,
    /// Only records after this id (the last id of the previous page).
    pub after: Option<Uuid>,
}

impl Page {
    /// The largest page a store returns.
    pub const MAX: u32 = 1000;

    /// The first page of the given size (clamped to 1–1000).
    pub fn first(limit: u32) -> Self {
        Self { limit: limit.clamp(1, Self::MAX), after: None }
    }

    /// The page after the given id.
    pub fn after(limit: u32, after: Uuid) -> Self {
        Self { limit: limit.clamp(1, Self::MAX), after: Some(after) }
    }
}

impl Default for Page {
    fn default() -> Self {
        Self::first(100)
    }
}

/// Which staff to list. Empty filter: everyone.
#[derive(Debug, Clone, Default)]
pub struct StaffFilter {
    /// Employed by this provider.
    pub provider: Option<ProviderId>,
    /// Employed by this municipality.
    pub municipality: Option<MunicipalityId>,
    /// With this role.
    pub role: Option<StaffRole>,
    /// Only those still active.
    pub active_only: bool,
}

/// Which cases to list. Empty filter: all.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// At this provider.
    pub provider: Option<ProviderId>,
    /// Ordered by this municipality.
    pub municipality: Option<MunicipalityId>,
    /// With a referral this member of staff is assigned to (as coordinator or practitioner),
    /// or an appointment they are on.
    pub staff: Option<StaffId>,
    /// Only cases not closed.
    pub open_only: bool,
}

/// Which referrals to list. Empty filter: all.
#[derive(Debug, Clone, Default)]
pub struct ReferralFilter {
    /// Of this case.
    pub case: Option<CaseId>,
    /// At this provider.
    pub provider: Option<ProviderId>,
    /// From this municipality.
    pub municipality: Option<MunicipalityId>,
    /// Ordered by this caseworker.
    pub caseworker: Option<StaffId>,
    /// With this member of staff as coordinator or practitioner.
    pub assigned: Option<StaffId>,
    /// In one of these states (empty: any).
    pub states: Vec<ReferralState>,
    /// Of this intervention.
    pub intervention: Option<Intervention>,
}

/// Which appointments to list. Empty filter: all.
#[derive(Debug, Clone, Default)]
pub struct AppointmentFilter {
    /// Of this case.
    pub case: Option<CaseId>,
    /// Delivering this referral.
    pub referral: Option<ReferralId>,
    /// With this practitioner.
    pub staff: Option<StaffId>,
    /// In this room.
    pub room: Option<RoomId>,
    /// At this provider (via the case).
    pub provider: Option<ProviderId>,
    /// Whose planned time overlaps this range.
    pub during: Option<TimeRange>,
    /// Of these kinds (empty: any).
    pub kinds: Vec<AppointmentKind>,
    /// Only those without a recorded outcome.
    pub without_outcome: bool,
    /// Only those with no practitioner assigned.
    pub unassigned: bool,
    /// Only those after this (planned start, id), for paging.
    pub after: Option<(Timestamp, AppointmentId)>,
}

/// Which documents to list. Empty filter: all.
#[derive(Debug, Clone, Default)]
pub struct DocumentFilter {
    /// Of this case.
    pub case: Option<CaseId>,
    /// Of this referral.
    pub referral: Option<ReferralId>,
    /// About this appointment.
    pub appointment: Option<AppointmentId>,
    /// Of this kind.
    pub kind: Option<DocumentKind>,
    /// In one of these states (empty: any).
    pub states: Vec<DocumentState>,
    /// At this provider (via the case).
    pub provider: Option<ProviderId>,
}

/// Which outbox messages to list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutboxFilter {
    /// About this case.
    pub case: Option<CaseId>,
    /// Of this document.
    pub document: Option<DocumentId>,
    /// To this caseworker.
    pub recipient: Option<StaffId>,
    /// To this municipality.
    pub municipality: Option<MunicipalityId>,
    /// Only messages with a smaller id than this (keyset paging, newest first).
    pub before: Option<OutboxMessageId>,
}
