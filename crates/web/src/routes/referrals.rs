//! Referrals: a municipality's order of an intervention for a child and family.
//!
//! The terms of an order are versioned: a change is a new version with a
//! reason, and every earlier version stays readable. The life of a referral
//! (accept, reject, activate, begin ending, close) is the domain's state
//! machine: each step is one `POST`, refused with `409 rule` when the domain
//! refuses it, and every answer lists the `allowed_actions` of the referral now.

use super::prelude::*;
use samvirke_domain::catalogue::Intervention;
use samvirke_domain::document::{DocumentKind, DocumentState};
use samvirke_domain::organisation::{Staff, StaffRole};
use samvirke_domain::policy::ActorKind;
use samvirke_domain::referral::*;
use samvirke_domain::time::{Day, WeeklySlot};
use samvirke_store::{DocumentFilter, Page, ReferralFilter, Tx};

/// The tag of these routes.
pub const TAG: &str = "referrals";

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one))
        .routes(routes!(versions, change_terms))
        .routes(routes!(accept))
        .routes(routes!(reject))
        .routes(routes!(activate))
        .routes(routes!(begin_ending))
        .routes(routes!(close))
}

/// A referral and what can be done with it now.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralView {
    /// The referral.
    #[serde(flatten)]
    pub referral: Referral,
    /// The steps the referral's lifecycle offers now (the domain's `allowed_actions`).
    pub allowed_actions: Vec<ReferralAction>,
}

impl From<Referral> for ReferralView {
    fn from(referral: Referral) -> Self {
        let allowed_actions = referral.allowed_actions();
        Self { referral, allowed_actions }
    }
}

/// A new order.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReferralInput {
    /// The case.
    #[schema(required = true, value_type = CaseId)]
    pub case_id: Option<String>,
    /// The intervention ordered.
    #[schema(required = true, value_type = Intervention)]
    pub intervention: Option<String>,
    /// The first terms.
    #[schema(required = true)]
    pub terms: Option<TermsInput>,
}

/// The terms of an order.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TermsInput {
    /// Whom the support is aimed at (at least one: `order_states_purpose`).
    #[schema(required = true)]
    pub aimed_at: Option<Vec<TargetInput>>,
    /// Work goals, in the caseworker's words (at least one: `order_states_purpose`).
    pub work_goals: Option<Vec<String>>,
    /// The ordered period.
    #[schema(required = true)]
    pub period: Option<PeriodInput>,
    /// Ordered scope in hours for the period.
    #[schema(required = true, value_type = u32)]
    pub ordered_hours: Option<i64>,
    /// How often.
    #[schema(required = true)]
    pub frequency: Option<FrequencyInput>,
    /// Two practitioners at every session (default false).
    pub two_practitioners: Option<bool>,
    /// Conditions for visitation (for the two visitation interventions).
    pub visitation: Option<VisitationInput>,
    /// Further notes from the caseworker.
    pub notes: Option<String>,
}

/// Whom the support is aimed at.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TargetInput {
    /// `child`, `family_member` or `family`.
    #[schema(required = true, example = "child")]
    pub kind: Option<String>,
    /// For `family_member`: a family member of the case.
    #[schema(value_type = Option<FamilyMemberId>)]
    pub family_member_id: Option<String>,
}

impl Parse for TargetInput {
    type Output = SupportTarget;
    fn parse(&self) -> Result<SupportTarget, ValidationErrors> {
        let mut v = Validator::new();
        let target = match v.check("kind", parse::word(&self.kind)).as_deref() {
            Some("child") => Some(SupportTarget::Child),
            Some("family") => Some(SupportTarget::Family),
            Some("family_member") => {
                v.check("family_member_id", parse::id(&self.family_member_id)).map(SupportTarget::FamilyMember)
            }
            Some(_) => {
                v.push("kind", Problem::NotAllowed);
                None
            }
            None => None,
        };
        v.build(|| target.unwrap())
    }
}

/// A period of whole days, both ends included.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PeriodInput {
    /// First day.
    #[schema(required = true, value_type = String, format = Date)]
    pub start: Option<String>,
    /// Last day (included).
    #[schema(required = true, value_type = String, format = Date)]
    pub end: Option<String>,
}

impl Parse for PeriodInput {
    type Output = samvirke_domain::time::DateRange;
    fn parse(&self) -> Result<Self::Output, ValidationErrors> {
        let mut v = Validator::new();
        let period = parse::date_range(&mut v, "", &self.start, &self.end);
        v.build(|| period.unwrap())
    }
}

/// `sessions` every `weeks` weeks.
#[derive(Debug, Deserialize, ToSchema)]
pub struct FrequencyInput {
    /// Sessions per interval (1–14).
    #[schema(required = true, value_type = u8)]
    pub sessions: Option<i64>,
    /// Interval in weeks (1–8).
    #[schema(required = true, value_type = u8)]
    pub weeks: Option<i64>,
}

impl Parse for FrequencyInput {
    type Output = Frequency;
    fn parse(&self) -> Result<Frequency, ValidationErrors> {
        // Each part is checked by the domain on its own (the other held at 1), so a problem names its field.
        let mut v = Validator::new();
        let sessions = v.check("sessions", small(&self.sessions).and_then(|s| Frequency::new(s, 1).map(|_| s)));
        let weeks = v.check("weeks", small(&self.weeks).and_then(|w| Frequency::new(1, w).map(|_| w)));
        v.build(|| Frequency::new(sessions.unwrap(), weeks.unwrap()).expect("both parts checked"))
    }
}

fn small(value: &Option<i64>) -> Result<u8, Problem> {
    parse::number(value, 0u8, u8::MAX)
}

/// The caseworker's conditions for visitation (BL § 104, stk. 2).
#[derive(Debug, Deserialize, ToSchema)]
pub struct VisitationInput {
    /// Where.
    #[schema(required = true)]
    pub place: Option<PlaceInput>,
    /// Length of each visit in minutes (1–1440).
    #[schema(required = true, value_type = u16)]
    pub duration_minutes: Option<i64>,
    /// When, if the order fixes it.
    pub recurrence: Option<RecurrenceInput>,
    /// Family members of the case who may attend.
    #[schema(value_type = Vec<FamilyMemberId>)]
    pub may_attend: Option<Vec<String>>,
    /// Others who may attend, described.
    pub others_may_attend: Option<String>,
    /// Topics not to be raised with the child.
    pub topics_to_avoid: Option<Vec<String>>,
    /// Bringing food (default `by_agreement`).
    #[schema(value_type = Option<Permission>)]
    pub food: Option<String>,
    /// Giving gifts (default `by_agreement`).
    #[schema(value_type = Option<Permission>)]
    pub gifts: Option<String>,
    /// Mobile phones during the visit (default `by_agreement`).
    #[schema(value_type = Option<Permission>)]
    pub phones: Option<String>,
    /// Taking photos (default `by_agreement`).
    #[schema(value_type = Option<Permission>)]
    pub photos: Option<String>,
    /// How the child comes and goes.
    pub transport: Option<String>,
    /// Staggered arrival and departure, so that a protected person is never met on the way.
    pub stagger: Option<StaggerInput>,
    /// Anything else the caseworker sets.
    pub other: Option<String>,
}

impl Parse for VisitationInput {
    type Output = VisitationConditions;
    fn parse(&self) -> Result<VisitationConditions, ValidationErrors> {
        let mut v = Validator::new();
        let place = v.object("place", &self.place);
        let duration_minutes = v.check("duration_minutes", parse::number(&self.duration_minutes, 1u16, 24 * 60));
        let recurrence = v.opt_object("recurrence", &self.recurrence);
        let may_attend = v.values("may_attend", &self.may_attend, parse::id);
        let others_may_attend = v.check("others_may_attend", parse::opt_text(&self.others_may_attend));
        let topics_to_avoid = v.values("topics_to_avoid", &self.topics_to_avoid, parse::text);
        let mut permission = |field: &str, value: &Option<String>| {
            v.check(field, parse::opt_code(value)).map(|p| p.unwrap_or(Permission::ByAgreement))
        };
        let (food, gifts, phones, photos) = (
            permission("food", &self.food),
            permission("gifts", &self.gifts),
            permission("phones", &self.phones),
            permission("photos", &self.photos),
        );
        let transport = v.check("transport", parse::opt_text(&self.transport));
        let stagger = v.opt_object("stagger", &self.stagger);
        let other = v.check("other", parse::opt_text(&self.other));
        v.build(|| VisitationConditions {
            place: place.unwrap(),
            duration_minutes: duration_minutes.unwrap(),
            recurrence: recurrence.unwrap(),
            may_attend: may_attend.unwrap(),
            others_may_attend: others_may_attend.unwrap(),
            topics_to_avoid: topics_to_avoid.unwrap(),
            food: food.unwrap(),
            gifts: gifts.unwrap(),
            phones: phones.unwrap(),
            photos: photos.unwrap(),
            transport: transport.unwrap(),
            stagger: stagger.unwrap(),
            other: other.unwrap(),
        })
    }
}

/// Where visits take place.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PlaceInput {
    /// `provider_premises`, `placement_setting`, `parents_home` or `other`.
    #[schema(required = true, example = "provider_premises")]
    pub kind: Option<String>,
    /// For `other`: where.
    pub description: Option<String>,
}

impl Parse for PlaceInput {
    type Output = VisitPlace;
    fn parse(&self) -> Result<VisitPlace, ValidationErrors> {
        let mut v = Validator::new();
        let place = match v.check("kind", parse::word(&self.kind)).as_deref() {
            Some("provider_premises") => Some(VisitPlace::ProviderPremises),
            Some("placement_setting") => Some(VisitPlace::PlacementSetting),
            Some("parents_home") => Some(VisitPlace::ParentsHome),
            Some("other") => v.check("description", parse::text(&self.description)).map(VisitPlace::Other),
            Some(_) => {
                v.push("kind", Problem::NotAllowed);
                None
            }
            None => None,
        };
        v.build(|| place.unwrap())
    }
}

/// A weekly recurrence in local time, e.g. every other Saturday 10–12.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RecurrenceInput {
    /// Day of the week.
    #[schema(required = true, value_type = Day)]
    pub day: Option<String>,
    /// Local start time, `HH:MM`.
    #[schema(required = true, value_type = String, example = "10:00")]
    pub start: Option<String>,
    /// Local end time, `HH:MM`.
    #[schema(required = true, value_type = String, example = "12:00")]
    pub end: Option<String>,
    /// Every this many weeks (1 = weekly, 2 = every other week).
    #[schema(required = true, value_type = u8)]
    pub interval_weeks: Option<i64>,
}

impl Parse for RecurrenceInput {
    type Output = Recurrence;
    fn parse(&self) -> Result<Recurrence, ValidationErrors> {
        let mut v = Validator::new();
        let day = v.check("day", parse::code(&self.day));
        let start = v.check("start", parse::time(&self.start));
        let end = v.check("end", parse::time(&self.end));
        // A recurrence is a weekly slot with an interval: the slot's rule orders start and end.
        let slot = match (day, start, end) {
            (Some(d), Some(s), Some(e)) => v.check("end", WeeklySlot::new(d, s, e)),
            _ => None,
        };
        let interval_weeks = v.check("interval_weeks", parse::number(&self.interval_weeks, 1u8, u8::MAX));
        v.build(|| {
            let slot = slot.unwrap();
            Recurrence { day: slot.day, start: slot.start, end: slot.end, interval_weeks: interval_weeks.unwrap() }
        })
    }
}

/// Staggered arrival and departure.
#[derive(Debug, Deserialize, ToSchema)]
pub struct StaggerInput {
    /// Minutes the parent arrives before the child (0–240).
    #[schema(required = true, value_type = u16)]
    pub parent_arrives_minutes_before: Option<i64>,
    /// Minutes the parent stays after the child has left (0–240).
    #[schema(required = true, value_type = u16)]
    pub parent_leaves_minutes_after: Option<i64>,
}

impl Parse for StaggerInput {
    type Output = Stagger;
    fn parse(&self) -> Result<Stagger, ValidationErrors> {
        let mut v = Validator::new();
        let before =
            v.check("parent_arrives_minutes_before", parse::number(&self.parent_arrives_minutes_before, 0u16, 240));
        let after = v.check("parent_leaves_minutes_after", parse::number(&self.parent_leaves_minutes_after, 0u16, 240));
        v.build(|| Stagger {
            parent_arrives_minutes_before: before.unwrap(),
            parent_leaves_minutes_after: after.unwrap(),
        })
    }
}

impl Parse for TermsInput {
    type Output = ReferralTerms;
    fn parse(&self) -> Result<ReferralTerms, ValidationErrors> {
        let mut v = Validator::new();
        // An empty list parses: that an order says whom it is aimed at is the domain's rule (`check_order`).
        let aimed_at = v.objects("aimed_at", &self.aimed_at);
        let work_goals = v.values("work_goals", &self.work_goals, parse::text);
        let period = v.object("period", &self.period);
        let ordered_hours = v.check("ordered_hours", parse::number(&self.ordered_hours, 0u32, u32::MAX));
        let frequency = v.object("frequency", &self.frequency);
        let visitation = v.opt_object("visitation", &self.visitation);
        let notes = v.check("notes", parse::opt_text(&self.notes));
        v.build(|| ReferralTerms {
            aimed_at: aimed_at.unwrap(),
            work_goals: work_goals.unwrap(),
            period: period.unwrap(),
            ordered_hours: ordered_hours.unwrap(),
            frequency: frequency.unwrap(),
            two_practitioners: self.two_practitioners.unwrap_or(false),
            visitation: visitation.unwrap(),
            notes: notes.unwrap(),
        })
    }
}

/// Checks that the family members the terms name belong to the case.
async fn check_family_in_terms(
    v: &mut Validator,
    tx: &mut dyn Tx,
    case: CaseId,
    terms: &ReferralTerms,
) -> ApiResult<()> {
    for (i, target) in terms.aimed_at.iter().enumerate() {
        if let SupportTarget::FamilyMember(id) = target {
            let field = format!("terms.aimed_at[{i}].family_member_id");
            known_in_case(v, tx, &field, Some(*id), case).await?;
        }
    }
    for (i, id) in terms.visitation.iter().flat_map(|c| &c.may_attend).enumerate() {
        known_in_case(v, tx, &format!("terms.visitation.may_attend[{i}]"), Some(*id), case).await?;
    }
    Ok(())
}

/// Which referrals to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReferralQuery {
    /// Of this case.
    #[param(value_type = Option<CaseId>)]
    pub case_id: Option<String>,
    /// At this provider.
    #[param(value_type = Option<ProviderId>)]
    pub provider_id: Option<String>,
    /// From this municipality.
    #[param(value_type = Option<MunicipalityId>)]
    pub municipality_id: Option<String>,
    /// Ordered by this caseworker.
    #[param(value_type = Option<StaffId>)]
    pub caseworker_id: Option<String>,
    /// With this member of staff as coordinator or practitioner.
    #[param(value_type = Option<StaffId>)]
    pub assigned_id: Option<String>,
    /// In one of these states, comma-separated (`received,accepted`).
    #[param(example = "received,accepted")]
    pub state: Option<String>,
    /// Of this intervention.
    #[param(value_type = Option<Intervention>)]
    pub intervention: Option<String>,
}

/// List referrals
///
/// In order of arrival; only the referrals the signed-in user may read.
#[utoipa::path(get, path = "/referrals", tag = TAG, params(ReferralQuery, PageQuery), responses((status = 200, body = Paged<ReferralView>)))]
async fn list(
    State(app): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Query(q): Query<ReferralQuery>,
    Query(p): Query<PageQuery>,
) -> ApiResult<Json<Paged<ReferralView>>> {
    let mut v = Validator::new();
    let case = v.check("case_id", parse::opt_id(&q.case_id));
    let provider = v.check("provider_id", parse::opt_id(&q.provider_id));
    let municipality = v.check("municipality_id", parse::opt_id(&q.municipality_id));
    let caseworker = v.check("caseworker_id", parse::opt_id(&q.caseworker_id));
    let assigned = v.check("assigned_id", parse::opt_id(&q.assigned_id));
    let states = v.check("state", parse::codes(&q.state));
    let intervention = v.check("intervention", parse::opt_code(&q.intervention));
    let page = p.page(&mut v);
    let filter = v.build(|| ReferralFilter {
        case: case.unwrap(),
        provider: provider.unwrap(),
        municipality: municipality.unwrap(),
        caseworker: caseworker.unwrap(),
        assigned: assigned.unwrap(),
        states: states.unwrap(),
        intervention: intervention.unwrap(),
    })?;
    let page = page.expect("checked");
    let mut seen = Visibility::new(actor);
    let belongs = seen.belongs();
    let (Some(case), Some(provider), Some(municipality)) = (
        narrow(filter.case, belongs.case),
        narrow(filter.provider, belongs.provider),
        narrow(filter.municipality, belongs.municipality),
    ) else {
        return Ok(Json(Paged::all(vec![])));
    };
    let filter = ReferralFilter { case, provider, municipality, ..filter };
    let mut tx = app.read().await?;
    let mut items: Vec<ReferralView> = Vec::new();
    let mut after = page.after;
    loop {
        let batch = tx.referrals(&filter, Page { limit: page.limit, after }).await?;
        let full = batch.len() == page.limit as usize;
        for referral in batch {
            after = Some(referral.id.uuid());
            if seen.may(&mut *tx, Action::ReadReferral, referral.case_id).await? {
                items.push(referral.into());
                if items.len() == page.limit as usize {
                    return Ok(Json(Paged::cut(items, page.limit, |r| r.referral.id.to_string())));
                }
            }
        }
        if !full {
            return Ok(Json(Paged::all(items)));
        }
    }
}

/// Receive an order
///
/// The referral starts as `received`, with its terms as version 1. An order
/// states its work goals and whom the support is aimed at (`order_states_purpose`).
#[utoipa::path(post, path = "/referrals", tag = TAG, request_body = ReferralInput, responses(
    (status = 201, body = ReferralView),
    (status = 409, description = "The order does not state its work goals or whom it is aimed at (`rule`: `order_states_purpose`).", body = ErrorBody),
))]
pub(crate) async fn create(
    State(app): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Json(input): Json<ReferralInput>,
) -> ApiResult<Created<ReferralView>> {
    // The ordering caseworker is the signed-in caseworker (the policy lets no one else order).
    let caseworker_id = match actor.who {
        ActorKind::MunicipalStaff { staff, .. } => staff,
        _ => return Err(ApiError::Forbidden),
    };
    let mut v = Validator::new();
    let case_id: Option<CaseId> = v.check("case_id", parse::id(&input.case_id));
    let intervention = v.check("intervention", parse::code(&input.intervention));
    let terms = v.object("terms", &input.terms);

    let mut tx = app.write().await?;
    known(&mut v, &mut *tx, "case_id", case_id).await?;
    if let (Some(case), Some(terms)) = (case_id, &terms) {
        check_family_in_terms(&mut v, &mut *tx, case, terms).await?;
    }
    let received_at = parse::now();
    let referral = v.build(|| Referral {
        id: ReferralId::new(),
        case_id: case_id.unwrap(),
        intervention: intervention.unwrap(),
        caseworker_id,
        state: ReferralState::Received,
        coordinator_id: None,
        practitioner_ids: vec![],
        rejection_reason: None,
        terms: terms.unwrap(),
        terms_version: 1,
        received_at,
        revision: 1,
    })?;
    check_order(&referral.terms)?;
    let first = ReferralVersion {
        referral_id: referral.id,
        version: 1,
        terms: referral.terms.clone(),
        changed_by: referral.caseworker_id,
        changed_at: received_at,
        reason: None,
    };
    tx.insert_referral(&referral, &first).await?;
    tx.commit().await?;
    Ok(created(referral.into()))
}

/// One referral
#[utoipa::path(get, path = "/referrals/{id}", tag = TAG, params(("id" = ReferralId, Path)), responses((status = 200, body = ReferralView)))]
async fn get_one(State(app): State<AppState>, Path(id): Path<ReferralId>) -> ApiResult<Json<ReferralView>> {
    Ok(Json(app.read().await?.referral(id).await?.into()))
}

/// Every version of the terms
///
/// Oldest first; version 1 is the original order.
#[utoipa::path(get, path = "/referrals/{id}/versions", tag = TAG, params(("id" = ReferralId, Path)), responses((status = 200, body = Paged<ReferralVersion>)))]
async fn versions(State(app): State<AppState>, Path(id): Path<ReferralId>) -> ApiResult<Json<Paged<ReferralVersion>>> {
    let mut tx = app.read().await?;
    tx.referral(id).await?;
    Ok(Json(Paged::all(tx.referral_versions(id).await?)))
}

/// Changed terms.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TermsChangeInput {
    /// The revision of the referral the change is based on.
    #[schema(required = true, value_type = u32)]
    pub revision: Option<i64>,
    /// Why the terms change.
    #[schema(required = true, value_type = String)]
    pub reason: Option<String>,
    /// The new terms, whole.
    #[schema(required = true)]
    pub terms: Option<TermsInput>,
}

/// Change the terms
///
/// The new terms become the next version; the earlier ones are kept. Only
/// while the referral is received or open.
#[utoipa::path(post, path = "/referrals/{id}/versions", tag = TAG, params(("id" = ReferralId, Path)), request_body = TermsChangeInput, responses(
    (status = 201, body = ReferralView),
    (status = 409, description = "Someone else changed the referral since `revision` (`stale_revision`); reload it. Or a rule blocks the change (`rule`: `terms_change_as_new_version` once the referral is rejected or closed, `order_states_purpose`).", body = ErrorBody),
))]
async fn change_terms(
    State(app): State<AppState>,
    actor: CurrentActor,
    Path(id): Path<ReferralId>,
    Json(input): Json<TermsChangeInput>,
) -> ApiResult<Created<ReferralView>> {
    let changed_by = actor.staff_id()?;
    let mut v = Validator::new();
    let revision = v.check("revision", parse::number(&input.revision, 0u32, u32::MAX));
    let reason = v.check("reason", parse::text(&input.reason));
    let terms = v.object("terms", &input.terms);

    let mut tx = app.write().await?;
    let mut referral = tx.referral(id).await?;
    if let Some(terms) = &terms {
        check_family_in_terms(&mut v, &mut *tx, referral.case_id, terms).await?;
    }
    v.finish()?;
    check_revision(referral.revision, revision.unwrap())?;
    let version = referral.change_terms(terms.unwrap(), changed_by, parse::now(), reason)?;
    tx.add_referral_version(&mut referral, &version).await?;
    tx.commit().await?;
    Ok(created(referral.into()))
}

/// A step of the lifecycle that needs nothing but the revision it is based on.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RevisionInput {
    /// The revision of the referral the step is based on.
    #[schema(required = true, value_type = u32)]
    pub revision: Option<i64>,
}

/// Reads the referral a step is taken on and checks the revision (after the other fields).
async fn referral_at(tx: &mut dyn Tx, id: ReferralId, v: Validator, revision: Option<u32>) -> ApiResult<Referral> {
    let referral = tx.referral(id).await?;
    v.finish()?;
    check_revision(referral.revision, revision.expect("checked"))?;
    Ok(referral)
}

/// Saves a referral after a step and answers with it.
async fn save(mut tx: crate::audit::WriteTx, mut referral: Referral) -> ApiResult<Json<ReferralView>> {
    tx.update_referral(&mut referral).await?;
    tx.commit().await?;
    Ok(Json(referral.into()))
}

/// Accepting a referral.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AcceptInput {
    /// The revision of the referral the step is based on.
    #[schema(required = true, value_type = u32)]
    pub revision: Option<i64>,
    /// The coordinator: a coordinator or team lead of the case's provider.
    #[schema(required = true, value_type = StaffId)]
    pub coordinator_id: Option<String>,
    /// The practitioners: active practitioners of the case's provider, as many as ordered
    /// (two when the terms order two); the first is the family's usual practitioner.
    #[schema(required = true, value_type = Vec<StaffId>)]
    pub practitioner_ids: Option<Vec<String>>,
}

/// Whether a member of staff works for the provider, in one of the roles, and has not left.
fn of_provider(staff: &Staff, provider: ProviderId, roles: &[StaffRole]) -> bool {
    staff.active && staff.provider() == Some(provider) && roles.contains(&staff.role)
}

const STEP_409: &str = "Someone else changed the referral since `revision` (`stale_revision`), or the lifecycle does not allow the step now (`rule`: `referral_lifecycle`).";

/// Accept a referral
///
/// Assigns the coordinator and the ordered number of practitioners; the referral becomes `accepted`.
#[utoipa::path(post, path = "/referrals/{id}/accept", tag = TAG, params(("id" = ReferralId, Path)), request_body = AcceptInput, responses(
    (status = 200, body = ReferralView),
    (status = 409, description = "Stale `revision` (`stale_revision`), or a rule blocks it (`rule`: `referral_lifecycle`, `accept_needs_assignment` when fewer practitioners than ordered or one twice).", body = ErrorBody),
))]
pub(crate) async fn accept(
    State(app): State<AppState>,
    Path(id): Path<ReferralId>,
    Json(input): Json<AcceptInput>,
) -> ApiResult<Json<ReferralView>> {
    let mut v = Validator::new();
    let revision = v.check("revision", parse::number(&input.revision, 0u32, u32::MAX));
    let coordinator_id: Option<StaffId> = v.check("coordinator_id", parse::id(&input.coordinator_id));
    let mut tx = app.write().await?;
    let case = {
        let referral = tx.referral(id).await?;
        tx.case(referral.case_id).await?
    };
    if let Some(coordinator) = known(&mut v, &mut *tx, "coordinator_id", coordinator_id).await?
        && !of_provider(&coordinator, case.provider_id, &[StaffRole::Coordinator, StaffRole::TeamLead])
    {
        v.push("coordinator_id", Problem::NotAllowed);
    }
    let mut practitioners = Vec::new();
    for (i, raw) in input.practitioner_ids.iter().flatten().enumerate() {
        let field = parse::at("practitioner_ids", i);
        let id = v.check(&field, parse::id::<StaffId>(raw));
        match known(&mut v, &mut *tx, &field, id).await? {
            Some(s) if of_provider(&s, case.provider_id, &[StaffRole::Practitioner]) => practitioners.push(s.id),
            Some(_) => v.push(field, Problem::NotAllowed),
            None => {}
        }
    }
    let mut referral = referral_at(&mut *tx, id, v, revision).await?;
    referral.accept(coordinator_id.expect("checked"), practitioners)?;
    save(tx, referral).await
}

/// Rejecting a referral.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RejectInput {
    /// The revision of the referral the step is based on.
    #[schema(required = true, value_type = u32)]
    pub revision: Option<i64>,
    /// Why, for the caseworker (`rejection_needs_reason`).
    #[schema(required = true, value_type = String)]
    pub reason: Option<String>,
}

/// Reject a referral
///
/// With the reason, for the caseworker; the referral becomes `rejected`.
#[utoipa::path(post, path = "/referrals/{id}/reject", tag = TAG, params(("id" = ReferralId, Path)), request_body = RejectInput, responses(
    (status = 200, body = ReferralView),
    (status = 409, description = "Stale `revision` (`stale_revision`), or a rule blocks it (`rule`: `referral_lifecycle`, `rejection_needs_reason`).", body = ErrorBody),
))]
async fn reject(
    State(app): State<AppState>,
    Path(id): Path<ReferralId>,
    Json(input): Json<RejectInput>,
) -> ApiResult<Json<ReferralView>> {
    let mut v = Validator::new();
    let revision = v.check("revision", parse::number(&input.revision, 0u32, u32::MAX));
    let reason = v.check("reason", parse::opt_text(&input.reason));
    let mut tx = app.write().await?;
    let mut referral = referral_at(&mut *tx, id, v, revision).await?;
    referral.reject(reason.expect("checked"))?;
    save(tx, referral).await
}

/// Start delivering
///
/// An accepted referral becomes `active`.
#[utoipa::path(post, path = "/referrals/{id}/activate", tag = TAG, params(("id" = ReferralId, Path)), request_body = RevisionInput, responses(
    (status = 200, body = ReferralView),
    (status = 409, description = STEP_409, body = ErrorBody),
))]
async fn activate(
    State(app): State<AppState>,
    Path(id): Path<ReferralId>,
    Json(input): Json<RevisionInput>,
) -> ApiResult<Json<ReferralView>> {
    let mut v = Validator::new();
    let revision = v.check("revision", parse::number(&input.revision, 0u32, u32::MAX));
    let mut tx = app.write().await?;
    let mut referral = referral_at(&mut *tx, id, v, revision).await?;
    referral.activate()?;
    save(tx, referral).await
}

/// Begin the ending
///
/// An active referral becomes `ending`; the closing letter is due.
#[utoipa::path(post, path = "/referrals/{id}/begin-ending", tag = TAG, params(("id" = ReferralId, Path)), request_body = RevisionInput, responses(
    (status = 200, body = ReferralView),
    (status = 409, description = STEP_409, body = ErrorBody),
))]
async fn begin_ending(
    State(app): State<AppState>,
    Path(id): Path<ReferralId>,
    Json(input): Json<RevisionInput>,
) -> ApiResult<Json<ReferralView>> {
    let mut v = Validator::new();
    let revision = v.check("revision", parse::number(&input.revision, 0u32, u32::MAX));
    let mut tx = app.write().await?;
    let mut referral = referral_at(&mut *tx, id, v, revision).await?;
    referral.begin_ending()?;
    save(tx, referral).await
}

/// Close a referral
///
/// An ending course closes once its closing letter is sent (or archived); an
/// accepted referral that never started closes at once.
#[utoipa::path(post, path = "/referrals/{id}/close", tag = TAG, params(("id" = ReferralId, Path)), request_body = RevisionInput, responses(
    (status = 200, body = ReferralView),
    (status = 409, description = "Stale `revision` (`stale_revision`), or a rule blocks it (`rule`: `referral_lifecycle`, `closing_letter_before_closing`).", body = ErrorBody),
))]
async fn close(
    State(app): State<AppState>,
    Path(id): Path<ReferralId>,
    Json(input): Json<RevisionInput>,
) -> ApiResult<Json<ReferralView>> {
    let mut v = Validator::new();
    let revision = v.check("revision", parse::number(&input.revision, 0u32, u32::MAX));
    let mut tx = app.write().await?;
    let mut referral = referral_at(&mut *tx, id, v, revision).await?;
    let closing_letters = DocumentFilter {
        referral: Some(id),
        kind: Some(DocumentKind::ClosingLetter),
        states: vec![DocumentState::Sent, DocumentState::Archived],
        ..DocumentFilter::default()
    };
    let sent = !tx.documents(&closing_letters, Page::first(1)).await?.is_empty();
    referral.close(sent)?;
    save(tx, referral).await
}
