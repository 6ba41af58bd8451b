//! The contact person's focus areas, chosen with the young person.

use super::action_plans::referral_of_kind;
use super::prelude::*;
use samvirke_domain::catalogue::Intervention;
use samvirke_domain::plan::{FocusArea, FocusAreaKind};
use samvirke_domain::time::DateRange;

/// The tag of these routes.
pub const TAG: &str = "focus-areas";

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(get_one, update))
}

/// A new focus area.
#[derive(Debug, Deserialize, ToSchema)]
pub struct FocusAreaInput {
    /// The contact-person referral of the case.
    #[schema(required = true, value_type = ReferralId)]
    pub referral_id: Option<String>,
    /// The area.
    #[schema(required = true, value_type = FocusAreaKind)]
    pub area: Option<String>,
    /// What is agreed and how it goes.
    pub note: Option<String>,
    /// Since when (default today).
    #[schema(value_type = Option<String>, format = Date)]
    pub started_on: Option<String>,
}

/// The focus areas of a case
///
/// By start.
#[utoipa::path(get, path = "/cases/{id}/focus-areas", tag = TAG, params(("id" = CaseId, Path), PageQuery), responses((status = 200, body = Paged<FocusArea>)))]
async fn list(
    State(app): State<AppState>,
    Path(case): Path<CaseId>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Paged<FocusArea>>> {
    let page = q.parse()?;
    let mut tx = app.read().await?;
    tx.case(case).await?;
    Ok(Json(Paged::from_all(tx.focus_areas(case).await?, page, |f| f.id.uuid())))
}

/// Add a focus area
#[utoipa::path(post, path = "/cases/{id}/focus-areas", tag = TAG, params(("id" = CaseId, Path)), request_body = FocusAreaInput, responses((status = 201, body = FocusArea)))]
pub(crate) async fn create(
    State(app): State<AppState>,
    Path(case): Path<CaseId>,
    Json(input): Json<FocusAreaInput>,
) -> ApiResult<Created<FocusArea>> {
    let mut v = Validator::new();
    let referral_id = v.check("referral_id", parse::id(&input.referral_id));
    let area = v.check("area", parse::code(&input.area));
    let note = v.check("note", parse::opt_text(&input.note));
    let started_on = v.check("started_on", parse::opt_date(&input.started_on)).map(|d| d.unwrap_or_else(parse::today));
    let mut tx = app.write().await?;
    tx.case(case).await?;
    referral_of_kind(&mut v, &mut *tx, "referral_id", referral_id, case, Intervention::ContactPerson).await?;
    let focus_area = v.build(|| FocusArea {
        id: FocusAreaId::new(),
        case_id: case,
        referral_id: referral_id.unwrap(),
        area: area.unwrap(),
        note: note.unwrap(),
        started_on: started_on.unwrap(),
        ended_on: None,
    })?;
    tx.insert_focus_area(&focus_area).await?;
    tx.commit().await?;
    Ok(created(focus_area))
}

/// One focus area
#[utoipa::path(get, path = "/focus-areas/{id}", tag = TAG, params(("id" = FocusAreaId, Path)), responses((status = 200, body = FocusArea)))]
async fn get_one(State(app): State<AppState>, Path(id): Path<FocusAreaId>) -> ApiResult<Json<FocusArea>> {
    Ok(Json(app.read().await?.focus_area(id).await?))
}

/// A changed focus area.
#[derive(Debug, Deserialize, ToSchema)]
pub struct FocusAreaUpdateInput {
    /// What is agreed and how it goes.
    pub note: Option<String>,
    /// Until when; absent while it is worked on.
    #[schema(value_type = Option<String>, format = Date)]
    pub ended_on: Option<String>,
}

/// Change a focus area
///
/// Replaces the note and the end date (focus areas carry no revision).
#[utoipa::path(put, path = "/focus-areas/{id}", tag = TAG, params(("id" = FocusAreaId, Path)), request_body = FocusAreaUpdateInput, responses((status = 200, body = FocusArea)))]
async fn update(
    State(app): State<AppState>,
    Path(id): Path<FocusAreaId>,
    Json(input): Json<FocusAreaUpdateInput>,
) -> ApiResult<Json<FocusArea>> {
    let mut v = Validator::new();
    let note = v.check("note", parse::opt_text(&input.note));
    let ended_on = v.check("ended_on", parse::opt_date(&input.ended_on));
    let mut tx = app.write().await?;
    let mut focus_area = tx.focus_area(id).await?;
    if let Some(Some(end)) = ended_on {
        v.check("ended_on", DateRange::new(focus_area.started_on, end));
    }
    v.finish()?;
    focus_area.note = note.unwrap();
    focus_area.ended_on = ended_on.unwrap();
    tx.update_focus_area(&focus_area).await?;
    tx.commit().await?;
    Ok(Json(focus_area))
}
