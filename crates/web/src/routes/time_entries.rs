//! Hours registered against a referral's ordered scope.

use super::prelude::*;
use samvirke_domain::time::Minutes;
use samvirke_domain::time_entry::{TimeEntry, TimeKind};
use serde::Serialize;

/// The tag of these routes.
pub const TAG: &str = "time-entries";

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(delete)).routes(routes!(total))
}

/// Time spent.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TimeEntryInput {
    /// Who spent it.
    #[schema(required = true, value_type = StaffId)]
    pub staff_id: Option<String>,
    /// The appointment, if any (one of the referral's).
    #[schema(value_type = Option<AppointmentId>)]
    pub appointment_id: Option<String>,
    /// The day.
    #[schema(required = true, value_type = String, format = Date)]
    pub date: Option<String>,
    /// How long, in minutes (1–1440).
    #[schema(required = true, value_type = u32)]
    pub minutes: Option<i64>,
    /// On what.
    #[schema(required = true, value_type = TimeKind)]
    pub kind: Option<String>,
    /// Note.
    pub note: Option<String>,
}

/// The registrations of a referral
///
/// By date.
#[utoipa::path(get, path = "/referrals/{id}/time-entries", tag = TAG, params(("id" = ReferralId, Path), PageQuery), responses((status = 200, body = Paged<TimeEntry>)))]
async fn list(
    State(app): State<AppState>,
    Path(referral): Path<ReferralId>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Paged<TimeEntry>>> {
    let page = q.parse()?;
    let mut tx = app.read().await?;
    tx.referral(referral).await?;
    Ok(Json(Paged::from_all(tx.time_entries(referral).await?, page, |t| t.id.uuid())))
}

/// Register time
#[utoipa::path(post, path = "/referrals/{id}/time-entries", tag = TAG, params(("id" = ReferralId, Path)), request_body = TimeEntryInput, responses((status = 201, body = TimeEntry)))]
async fn create(
    State(app): State<AppState>,
    Path(referral_id): Path<ReferralId>,
    Json(input): Json<TimeEntryInput>,
) -> ApiResult<Created<TimeEntry>> {
    let mut v = Validator::new();
    let staff_id: Option<StaffId> = v.check("staff_id", parse::id(&input.staff_id));
    let appointment_id: Option<Option<AppointmentId>> = v.check("appointment_id", parse::opt_id(&input.appointment_id));
    let date = v.check("date", parse::date(&input.date));
    let minutes = v.check("minutes", parse::number(&input.minutes, 0u32, u32::MAX).and_then(Minutes::new));
    let kind = v.check("kind", parse::code(&input.kind));
    let note = v.check("note", parse::opt_text(&input.note));
    let mut tx = app.write().await?;
    let referral = tx.referral(referral_id).await?;
    known(&mut v, &mut *tx, "staff_id", staff_id).await?;
    if let Some(appointment) = known(&mut v, &mut *tx, "appointment_id", appointment_id.flatten()).await?
        && appointment.referral_id != referral.id
    {
        v.push("appointment_id", Problem::UnknownRecord);
    }
    let entry = v.build(|| TimeEntry {
        id: TimeEntryId::new(),
        referral_id,
        staff_id: staff_id.unwrap(),
        appointment_id: appointment_id.unwrap(),
        date: date.unwrap(),
        minutes: minutes.unwrap(),
        kind: kind.unwrap(),
        note: note.unwrap(),
        registered_at: parse::now(),
    })?;
    tx.insert_time_entry(&entry).await?;
    tx.commit().await?;
    Ok(created(entry))
}

/// Remove a registration
///
/// A registration is removed under its referral, whose case decides who may.
#[utoipa::path(delete, path = "/referrals/{id}/time-entries/{entry_id}", tag = TAG, params(("id" = ReferralId, Path), ("entry_id" = TimeEntryId, Path)), responses((status = 204, description = "Removed")))]
async fn delete(
    State(app): State<AppState>,
    Path((referral, id)): Path<(ReferralId, TimeEntryId)>,
) -> ApiResult<StatusCode> {
    let mut tx = app.write().await?;
    if !tx.time_entries(referral).await?.iter().any(|t| t.id == id) {
        return Err(ApiError::NotFound);
    }
    tx.delete_time_entry(id).await?;
    tx.commit().await?;
    Ok(no_content())
}

/// Registered time against the ordered scope.
#[derive(Debug, Serialize, ToSchema)]
pub struct HoursTotal {
    /// The referral.
    pub referral_id: ReferralId,
    /// Ordered hours for the period, as in the current terms.
    pub ordered_hours: u32,
    /// The same, in minutes.
    pub ordered_minutes: u64,
    /// Minutes registered so far.
    pub registered_minutes: u64,
    /// Ordered minus registered; negative when more has been spent than ordered.
    pub remaining_minutes: i64,
}

/// Hours used against the order
#[utoipa::path(get, path = "/referrals/{id}/hours", tag = TAG, params(("id" = ReferralId, Path)), responses((status = 200, body = HoursTotal)))]
async fn total(State(app): State<AppState>, Path(id): Path<ReferralId>) -> ApiResult<Json<HoursTotal>> {
    let mut tx = app.read().await?;
    let referral = tx.referral(id).await?;
    let registered_minutes = tx.minutes_registered(id).await?;
    let ordered_minutes = u64::from(referral.terms.ordered_hours) * 60;
    Ok(Json(HoursTotal {
        referral_id: id,
        ordered_hours: referral.terms.ordered_hours,
        ordered_minutes,
        registered_minutes,
        remaining_minutes: ordered_minutes as i64 - registered_minutes as i64,
    }))
}
