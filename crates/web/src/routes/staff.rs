//! Staff (provider staff and municipal caseworkers), their absences and the
//! shifts hourly practitioners offer.

use super::prelude::*;
use jiff::ToSpan;
use samvirke_domain::availability::OfferedShift;
use samvirke_domain::organisation::{Absence, AbsenceKind, Employer, Employment, Staff, StaffRole};
use samvirke_domain::policy::{Actor, ActorKind};
use samvirke_domain::time::{Day, TimeRange, WeeklyPattern, WeeklySlot};
use samvirke_domain::user::Role;
use samvirke_store::StaffFilter;

/// The tag of these routes.
pub const TAG: &str = "staff";

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, update))
        .routes(routes!(list_absences, create_absence))
        .routes(routes!(delete_absence))
        .routes(routes!(list_shifts, offer_shift))
        .routes(routes!(withdraw_shift))
}

/// A member of staff, new or changed.
#[derive(Debug, Deserialize, ToSchema)]
pub struct StaffInput {
    /// Full name.
    #[schema(required = true, value_type = String)]
    pub name: Option<String>,
    /// Role.
    #[schema(required = true, value_type = StaffRole)]
    pub role: Option<String>,
    /// Whom they work for: a caseworker's employer is a municipality, everyone else's a provider.
    #[schema(required = true)]
    pub employer: Option<EmployerInput>,
    /// Permanent or hourly.
    #[schema(required = true, value_type = Employment)]
    pub employment: Option<String>,
    /// Work e-mail.
    pub email: Option<String>,
    /// Trained to supervise visits (default false).
    pub supervision_trained: Option<bool>,
    /// Weekly working pattern, in local time.
    pub working_pattern: Option<Vec<SlotInput>>,
    /// Most minutes a week this person may be planned for.
    #[schema(value_type = Option<u32>)]
    pub max_weekly_minutes: Option<i64>,
    /// False once the person has left (default true).
    pub active: Option<bool>,
}

/// Whom a member of staff works for.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EmployerInput {
    /// `provider` or `municipality`.
    #[schema(required = true, example = "provider")]
    pub kind: Option<String>,
    /// The provider's or municipality's id.
    #[schema(required = true, value_type = uuid::Uuid)]
    pub id: Option<String>,
}

impl Parse for EmployerInput {
    type Output = Employer;
    fn parse(&self) -> Result<Employer, ValidationErrors> {
        let mut v = Validator::new();
        let kind = v.check("kind", parse::word(&self.kind));
        let employer = match kind.as_deref() {
            Some("provider") => v.check("id", parse::id(&self.id)).map(Employer::Provider),
            Some("municipality") => v.check("id", parse::id(&self.id)).map(Employer::Municipality),
            Some(_) => {
                v.push("kind", Problem::NotAllowed);
                None
            }
            None => None,
        };
        v.build(|| employer.unwrap())
    }
}

/// A weekly slot in local time, e.g. Monday 08:00–16:00.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SlotInput {
    /// Day of the week.
    #[schema(required = true, value_type = Day)]
    pub day: Option<String>,
    /// Local start time, `HH:MM`.
    #[schema(required = true, value_type = String, example = "08:00")]
    pub start: Option<String>,
    /// Local end time, `HH:MM`.
    #[schema(required = true, value_type = String, example = "16:00")]
    pub end: Option<String>,
}

impl Parse for SlotInput {
    type Output = WeeklySlot;
    fn parse(&self) -> Result<WeeklySlot, ValidationErrors> {
        let mut v = Validator::new();
        let day = v.check("day", parse::code(&self.day));
        let start = v.check("start", parse::time(&self.start));
        let end = v.check("end", parse::time(&self.end));
        let slot = match (day, start, end) {
            (Some(d), Some(s), Some(e)) => v.check("end", WeeklySlot::new(d, s, e)),
            _ => None,
        };
        v.build(|| slot.unwrap())
    }
}

/// Parses a weekly pattern under `field`.
pub fn weekly_pattern(v: &mut Validator, field: &str, input: &Option<Vec<SlotInput>>) -> Option<WeeklyPattern> {
    v.objects(field, input).map(WeeklyPattern)
}

impl StaffInput {
    /// The record, with the given id; checks that the employer exists and, for
    /// a record already stored, that it is the stored employer: no one moves a
    /// person to another provider or municipality, or a member of a provider's
    /// staff into a municipal role, by editing their record. A stored record's
    /// role is changed only by an admin (a team lead, who may otherwise edit
    /// staff, may not), and never by the member of staff themselves.
    async fn parse(
        &self,
        id: StaffId,
        stored: Option<(&Staff, &Actor)>,
        tx: &mut dyn samvirke_store::Tx,
    ) -> ApiResult<Staff> {
        let mut v = Validator::new();
        let name = v.check("name", parse::text(&self.name));
        let role: Option<StaffRole> = v.check("role", parse::code(&self.role));
        let employer = v.object("employer", &self.employer);
        let employment = v.check("employment", parse::code(&self.employment));
        let email = v.check("email", parse::opt_email(&self.email));
        let working_pattern = weekly_pattern(&mut v, "working_pattern", &self.working_pattern);
        let max_weekly_minutes =
            v.check("max_weekly_minutes", parse::opt_number(&self.max_weekly_minutes, 0u32, 7 * 24 * 60));
        if let (Some((stored, actor)), Some(role)) = (stored, role)
            && stored.role != role
        {
            let own = matches!(actor.who, ActorKind::ProviderStaff { staff, .. } | ActorKind::MunicipalStaff { staff, .. } if staff == id);
            if own {
                v.push(
                    "role",
                    Problem::Other {
                        da: "Ingen kan ændre sin egen rolle.".into(),
                        en: "Nobody can change their own role.".into(),
                    },
                );
            } else if actor.role != Role::Staff(StaffRole::Admin) {
                v.push(
                    "role",
                    Problem::Other {
                        da: "Kun en administrator kan ændre en medarbejders rolle.".into(),
                        en: "Only an administrator can change a member of staff's role.".into(),
                    },
                );
            }
        }
        if let (Some((stored, _)), Some(employer)) = (stored, employer)
            && stored.employer != employer
        {
            v.push(
                "employer",
                Problem::Other {
                    da: "Arbejdsgiveren kan ikke ændres; opret en ny medarbejder hos den nye arbejdsgiver.".into(),
                    en: "The employer cannot be changed; add a new member of staff at the new employer.".into(),
                },
            );
        } else if let (Some(role), Some(employer)) = (role, employer) {
            v.check("employer", Staff::check_employer(role, employer));
            match employer {
                Employer::Provider(p) => known(&mut v, tx, "employer.id", Some(p)).await.map(drop)?,
                Employer::Municipality(m) => known(&mut v, tx, "employer.id", Some(m)).await.map(drop)?,
            }
        }
        Ok(v.build(|| Staff {
            id,
            name: name.unwrap(),
            role: role.unwrap(),
            employer: employer.unwrap(),
            employment: employment.unwrap(),
            email: email.unwrap(),
            supervision_trained: self.supervision_trained.unwrap_or(false),
            working_pattern: working_pattern.unwrap(),
            max_weekly_minutes: max_weekly_minutes.unwrap(),
            active: self.active.unwrap_or(true),
        })?)
    }
}

/// Which staff to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StaffQuery {
    /// Employed by this provider.
    #[param(value_type = Option<ProviderId>)]
    pub provider_id: Option<String>,
    /// Employed by this municipality.
    #[param(value_type = Option<MunicipalityId>)]
    pub municipality_id: Option<String>,
    /// With this role.
    #[param(value_type = Option<StaffRole>)]
    pub role: Option<String>,
    /// Only those still active (`true`/`false`, default false).
    #[param(value_type = Option<bool>)]
    pub active_only: Option<String>,
}

/// List staff
///
/// By name.
#[utoipa::path(get, path = "/staff", tag = TAG, params(StaffQuery, PageQuery), responses((status = 200, body = Paged<Staff>)))]
async fn list(
    State(app): State<AppState>,
    Query(q): Query<StaffQuery>,
    Query(p): Query<PageQuery>,
) -> ApiResult<Json<Paged<Staff>>> {
    let mut v = Validator::new();
    let provider = v.check("provider_id", parse::opt_id(&q.provider_id));
    let municipality = v.check("municipality_id", parse::opt_id(&q.municipality_id));
    let role = v.check("role", parse::opt_code(&q.role));
    let active_only = v.check("active_only", parse::flag(&q.active_only));
    let page = p.page(&mut v);
    let filter = v.build(|| StaffFilter {
        provider: provider.unwrap(),
        municipality: municipality.unwrap(),
        role: role.unwrap(),
        active_only: active_only.unwrap(),
    })?;
    let all = app.read().await?.list_staff(&filter).await?;
    Ok(Json(Paged::from_all(all, page.unwrap(), |s| s.id.uuid())))
}

/// Add a member of staff
#[utoipa::path(post, path = "/staff", tag = TAG, request_body = StaffInput, responses((status = 201, body = Staff)))]
async fn create(State(app): State<AppState>, Json(input): Json<StaffInput>) -> ApiResult<Created<Staff>> {
    let mut tx = app.write().await?;
    let staff = input.parse(StaffId::new(), None, &mut *tx).await?;
    tx.insert_staff(&staff).await?;
    tx.commit().await?;
    Ok(created(staff))
}

/// One member of staff
#[utoipa::path(get, path = "/staff/{id}", tag = TAG, params(("id" = StaffId, Path)), responses((status = 200, body = Staff)))]
async fn get_one(State(app): State<AppState>, Path(id): Path<StaffId>) -> ApiResult<Json<Staff>> {
    Ok(Json(app.read().await?.staff(id).await?))
}

/// Change a member of staff
///
/// Replaces the record. Staff records are edited by the provider's admins and team leads and carry no revision.
/// The employer stays: a body naming another provider or municipality is refused (`422` on `employer`).
/// Only an admin changes the role, and nobody their own (`422` on `role`).
#[utoipa::path(put, path = "/staff/{id}", tag = TAG, params(("id" = StaffId, Path)), request_body = StaffInput, responses((status = 200, body = Staff)))]
async fn update(
    State(app): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Path(id): Path<StaffId>,
    Json(input): Json<StaffInput>,
) -> ApiResult<Json<Staff>> {
    let mut tx = app.write().await?;
    let stored = tx.staff(id).await?;
    let staff = input.parse(id, Some((&stored, &actor)), &mut *tx).await?;
    tx.update_staff(&staff).await?;
    tx.commit().await?;
    Ok(Json(staff))
}

/// The window of absences to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AbsenceQuery {
    /// From this instant (default: a year ago).
    #[param(value_type = Option<String>, format = DateTime)]
    pub from: Option<String>,
    /// Until this instant (default: a year ahead).
    #[param(value_type = Option<String>, format = DateTime)]
    pub to: Option<String>,
}

/// Absences of a member of staff
///
/// Absences overlapping the window, by start.
#[utoipa::path(get, path = "/staff/{id}/absences", tag = TAG, params(("id" = StaffId, Path), AbsenceQuery), responses((status = 200, body = Paged<Absence>)))]
async fn list_absences(
    State(app): State<AppState>,
    Path(id): Path<StaffId>,
    Query(q): Query<AbsenceQuery>,
) -> ApiResult<Json<Paged<Absence>>> {
    let mut v = Validator::new();
    let during = window(&mut v, &q);
    v.finish()?;
    let mut tx = app.read().await?;
    tx.staff(id).await?;
    Ok(Json(Paged::all(tx.absences(Some(id), during.unwrap()).await?)))
}

/// A new absence.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AbsenceInput {
    /// From.
    #[schema(required = true, value_type = String, format = DateTime)]
    pub start: Option<String>,
    /// Until (excluded).
    #[schema(required = true, value_type = String, format = DateTime)]
    pub end: Option<String>,
    /// Why: only the kind is kept, never health details.
    #[schema(required = true, value_type = AbsenceKind)]
    pub kind: Option<String>,
}

/// Register an absence
#[utoipa::path(post, path = "/staff/{id}/absences", tag = TAG, params(("id" = StaffId, Path)), request_body = AbsenceInput, responses((status = 201, body = Absence)))]
async fn create_absence(
    State(app): State<AppState>,
    Path(id): Path<StaffId>,
    Json(input): Json<AbsenceInput>,
) -> ApiResult<Created<Absence>> {
    let mut v = Validator::new();
    let during = parse::time_range(&mut v, "", &input.start, &input.end);
    let kind = v.check("kind", parse::code(&input.kind));
    let mut tx = app.write().await?;
    tx.staff(id).await?;
    let absence =
        v.build(|| Absence { id: AbsenceId::new(), staff_id: id, during: during.unwrap(), kind: kind.unwrap() })?;
    tx.insert_absence(&absence).await?;
    tx.commit().await?;
    Ok(created(absence))
}

/// Remove an absence
///
/// An absence is removed under its member of staff, whose employer decides who may.
#[utoipa::path(delete, path = "/staff/{id}/absences/{absence_id}", tag = TAG, params(("id" = StaffId, Path), ("absence_id" = AbsenceId, Path)), responses((status = 204, description = "Removed")))]
async fn delete_absence(
    State(app): State<AppState>,
    Path((staff, id)): Path<(StaffId, AbsenceId)>,
) -> ApiResult<StatusCode> {
    let mut tx = app.write().await?;
    if !tx.absences(Some(staff), ever()).await?.iter().any(|a| a.id == id) {
        return Err(ApiError::NotFound);
    }
    tx.delete_absence(id).await?;
    tx.commit().await?;
    Ok(no_content())
}

/// The window of absences or shifts to list (default: a year back and ahead).
fn window(v: &mut Validator, q: &AbsenceQuery) -> Option<TimeRange> {
    let now = parse::now();
    let from = v.check("from", parse::opt_timestamp(&q.from)).map(|t| t.unwrap_or(now - (365 * 24).hours()));
    let to = v.check("to", parse::opt_timestamp(&q.to)).map(|t| t.unwrap_or(now + (365 * 24).hours()));
    match (from, to) {
        (Some(from), Some(to)) => v.check("to", TimeRange::new(from, to)),
        _ => None,
    }
}

/// Shifts offered by a member of staff
///
/// Shifts overlapping the window, by start.
#[utoipa::path(get, path = "/staff/{id}/shifts", tag = TAG, params(("id" = StaffId, Path), AbsenceQuery), responses((status = 200, body = Paged<OfferedShift>)))]
async fn list_shifts(
    State(app): State<AppState>,
    Path(id): Path<StaffId>,
    Query(q): Query<AbsenceQuery>,
) -> ApiResult<Json<Paged<OfferedShift>>> {
    let mut v = Validator::new();
    let during = window(&mut v, &q);
    v.finish()?;
    let mut tx = app.read().await?;
    tx.staff(id).await?;
    Ok(Json(Paged::all(tx.shifts(Some(id), during.unwrap()).await?)))
}

/// A shift offered.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ShiftInput {
    /// From.
    #[schema(required = true, value_type = String, format = DateTime)]
    pub start: Option<String>,
    /// Until (excluded).
    #[schema(required = true, value_type = String, format = DateTime)]
    pub end: Option<String>,
}

/// Offer a shift
///
/// An hourly practitioner offers a time they can be planned in (at most 16
/// hours; one overlapping an earlier offer of theirs is refused with 409).
#[utoipa::path(post, path = "/staff/{id}/shifts", tag = TAG, params(("id" = StaffId, Path)), request_body = ShiftInput, responses((status = 201, body = OfferedShift)))]
async fn offer_shift(
    State(app): State<AppState>,
    Path(id): Path<StaffId>,
    Json(input): Json<ShiftInput>,
) -> ApiResult<Created<OfferedShift>> {
    let mut v = Validator::new();
    let during = parse::time_range(&mut v, "", &input.start, &input.end);
    let shift = during.and_then(|d| v.check("end", OfferedShift::new(id, d)));
    v.finish()?;
    let mut tx = app.write().await?;
    tx.staff(id).await?;
    let shift = shift.expect("validated");
    tx.insert_shift(&shift).await?;
    tx.commit().await?;
    Ok(created(shift))
}

/// Withdraw an offered shift
#[utoipa::path(delete, path = "/staff/{id}/shifts/{shift_id}", tag = TAG, params(("id" = StaffId, Path), ("shift_id" = ShiftId, Path)), responses((status = 204, description = "Withdrawn")))]
async fn withdraw_shift(
    State(app): State<AppState>,
    Path((staff, id)): Path<(StaffId, ShiftId)>,
) -> ApiResult<StatusCode> {
    let mut tx = app.write().await?;
    if !tx.shifts(Some(staff), ever()).await?.iter().any(|s| s.id == id) {
        return Err(ApiError::NotFound);
    }
    tx.delete_shift(id).await?;
    tx.commit().await?;
    Ok(no_content())
}

/// All of time, for finding one record of a person's.
fn ever() -> TimeRange {
    let (min, max) = ("1900-01-01T00:00:00Z".parse().expect("valid"), "9000-01-01T00:00:00Z".parse().expect("valid"));
    TimeRange::new(min, max).expect("ordered")
}
