//! What a parent may see of a case: the child's name, where the child lives
//! (never a secret address), the family's coming appointments and the
//! reports the family reads or has been sent.
//!
//! The placement goes through the domain's `PlacementSetting::for_family`,
//! and every text through `redact_secret_address`, as a second line behind
//! the rule that keeps a report naming the address from reaching the family
//! (`secret_address_never_to_parents`). No CPR number, no staff notes.

use super::prelude::*;
use crate::facts::{all_appointments, all_documents};
use jiff::Timestamp;
use samvirke_domain::appointment::{AppointmentKind, Location};
use samvirke_domain::case::PlacementSetting;
use samvirke_domain::document::{DocumentKind, DocumentState};
use samvirke_domain::protection::redact_secret_address;
use samvirke_domain::text::ShortText;
use samvirke_domain::time::TimeRange;
use samvirke_store::{AppointmentFilter, DocumentFilter};

/// The tag of these routes.
pub const TAG: &str = "family-view";

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(family_view))
}

/// A case as the family sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FamilyView {
    /// The child's name.
    pub child_name: String,
    /// Where the child lives, without a secret address.
    pub placement: Option<PlacementSetting>,
    /// The coming appointments, soonest first.
    pub appointments: Vec<FamilyAppointment>,
    /// The reports in the family's review, sent or archived.
    pub documents: Vec<FamilyDocument>,
}

/// A coming appointment.
#[derive(Debug, Serialize, ToSchema)]
pub struct FamilyAppointment {
    /// Identifier.
    pub id: AppointmentId,
    /// Kind.
    pub kind: AppointmentKind,
    /// Planned start.
    pub start: Timestamp,
    /// Planned end.
    pub end: Timestamp,
    /// Where: a room, the family's home, the placement setting (never its address) or elsewhere.
    pub location: Location,
}

/// A report as the family reads it: its current version.
#[derive(Debug, Serialize, ToSchema)]
pub struct FamilyDocument {
    /// Identifier.
    pub id: DocumentId,
    /// Kind.
    pub kind: DocumentKind,
    /// State: in the family's review, sent or archived.
    pub state: DocumentState,
    /// The version shown.
    pub version: u32,
    /// Title.
    pub title: String,
    /// The text.
    pub body: String,
    /// The child's own views.
    pub child_views: Option<String>,
    /// The family's comment.
    pub family_comment: Option<String>,
    /// When it was sent to the caseworker.
    pub sent_at: Option<Timestamp>,
}

/// The case as the family sees it
///
/// The child's name, the placement without a secret address, the coming
/// appointments (not cancelled), and the reports in family review, sent or
/// archived, each with its current version; every text with a secret address redacted.
#[utoipa::path(get, path = "/cases/{id}/family-view", tag = TAG, params(("id" = CaseId, Path)), responses((status = 200, body = FamilyView)))]
async fn family_view(State(app): State<AppState>, Path(id): Path<CaseId>) -> ApiResult<Json<FamilyView>> {
    let mut tx = app.read().await?;
    let case = tx.case(id).await?;
    let placement = case.placement.as_ref();
    let redact = |text: &str| redact_secret_address(placement, text);
    let now = parse::now();
    let ahead = TimeRange { start: now, end: "9000-01-01T00:00:00Z".parse().expect("a valid instant") };
    let coming = AppointmentFilter { case: Some(id), during: Some(ahead), ..AppointmentFilter::default() };
    let appointments = all_appointments(&mut *tx, &coming)
        .await?
        .into_iter()
        .filter(|a| a.outcome.is_none())
        .map(|a| FamilyAppointment {
            id: a.id,
            kind: a.kind,
            start: a.planned.start,
            end: a.planned.end,
            location: match a.location {
                Location::Other(place) => Location::Other(ShortText::parse(redact(place.as_str())).unwrap_or(place)),
                other => other,
            },
        })
        .collect();
    let shown = DocumentFilter {
        case: Some(id),
        states: vec![DocumentState::FamilyReview, DocumentState::Sent, DocumentState::Archived],
        ..DocumentFilter::default()
    };
    let mut documents = Vec::new();
    for d in all_documents(&mut *tx, &shown).await? {
        let Some(v) = tx.document_versions(d.id).await?.into_iter().find(|v| v.version == d.current_version) else {
            continue;
        };
        documents.push(FamilyDocument {
            id: d.id,
            kind: d.kind,
            state: d.state,
            version: v.version,
            title: redact(d.title.as_str()),
            body: redact(v.body.as_str()),
            child_views: v.child_views.as_ref().map(|t| redact(t.as_str())),
            family_comment: v.family_comment.as_ref().map(|t| redact(t.as_str())),
            sent_at: d.sent_at,
        });
    }
    Ok(Json(FamilyView {
        child_name: case.child.name.as_str().to_string(),
        placement: placement.map(PlacementSetting::for_family),
        appointments,
        documents,
    }))
}
