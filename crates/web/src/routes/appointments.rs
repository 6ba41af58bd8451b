//! Appointments: visits, meetings and sessions, planned, moved, and how they went.
//!
//! Planning and moving follow the domain's [`CaseRules`]: an appointment only
//! inside an open order, a visit only as the committee's decisions and any
//! suspension allow (`409 rule` otherwise). What does not block, such as a
//! consent not yet given or a decision about to expire, comes back as
//! `warnings` in the request's language.
//!
//! The list pages by (planned start, id): `next_after` is an opaque cursor.

use super::prelude::*;
use jiff::Timestamp;
use samvirke_domain::appointment::*;
use samvirke_domain::case::Case;
use samvirke_domain::referral::Referral;
use samvirke_domain::time::TimeRange;
use samvirke_store::{AppointmentFilter, Tx};

/// The tag of these routes.
pub const TAG: &str = "appointments";

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, reschedule, delete))
        .routes(routes!(record_outcome))
}

/// An appointment as planned or moved, with what the coordinator should know.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppointmentView {
    /// The appointment.
    #[serde(flatten)]
    pub appointment: Appointment,
    /// What does not stop the planning but should be seen to: consents not in
    /// force at its time, a committee decision about to expire. In the request's language.
    pub warnings: Vec<samvirke_domain::rules::RuleViolationView>,
}

impl AppointmentView {
    /// The appointment with the domain's warnings, judged with the provider's warning days.
    async fn judge(
        tx: &mut dyn Tx,
        facts: &CaseFacts,
        referral: &Referral,
        appointment: Appointment,
        lang: Lang,
    ) -> ApiResult<Self> {
        let warn_days = tx.documentation_settings(facts.case.provider_id).await?.decision_warning_days();
        let warnings = facts
            .rules(referral)
            .warnings(appointment.kind, &appointment.planned, warn_days)
            .iter()
            .map(|w| w.view(lang))
            .collect();
        Ok(Self { appointment, warnings })
    }
}

const PLAN_409: &str = "A rule blocks the plan (`rule`: `appointment_inside_order`, `supervised_visit_needs_decision`, `supported_cannot_replace_supervised`, `no_visits_while_contact_cut_off`, `no_visits_while_suspended`), or the room or a practitioner is already booked at that time (`double_booking`).";

/// When, where and with whom: the part of an appointment that can be moved.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PlanInput {
    /// Planned start.
    #[schema(required = true, value_type = String, format = DateTime)]
    pub start: Option<String>,
    /// Planned end.
    #[schema(required = true, value_type = String, format = DateTime)]
    pub end: Option<String>,
    /// Where.
    #[schema(required = true)]
    pub location: Option<LocationInput>,
    /// Practitioners (none yet, one, or two).
    #[schema(value_type = Vec<StaffId>)]
    pub practitioner_ids: Option<Vec<String>>,
    /// Others taking part.
    pub participants: Option<Vec<ParticipantInput>>,
    /// Staggered arrival and departure, for visits that need it.
    pub arrival: Option<ArrivalInput>,
}

/// A new appointment.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AppointmentInput {
    /// The referral it delivers (the case follows from it).
    #[schema(required = true, value_type = ReferralId)]
    pub referral_id: Option<String>,
    /// Kind.
    #[schema(required = true, value_type = AppointmentKind)]
    pub kind: Option<String>,
    /// When, where and with whom.
    #[serde(flatten)]
    pub plan: PlanInput,
}

/// A moved or reassigned appointment.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RescheduleInput {
    /// The revision the change is based on.
    #[schema(required = true, value_type = u32)]
    pub revision: Option<i64>,
    /// The new plan, whole.
    #[serde(flatten)]
    pub plan: PlanInput,
}

/// Where an appointment takes place.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LocationInput {
    /// `room`, `family_home`, `placement_setting` or `other`.
    #[schema(required = true, example = "room")]
    pub kind: Option<String>,
    /// For `room`: the room's id (a room of the case's provider); for `other`: where.
    pub value: Option<String>,
}

impl Parse for LocationInput {
    type Output = Location;
    fn parse(&self) -> Result<Location, ValidationErrors> {
        let mut v = Validator::new();
        let location = match v.check("kind", parse::word(&self.kind)).as_deref() {
            Some("room") => v.check("value", parse::id(&self.value)).map(Location::Room),
            Some("family_home") => Some(Location::FamilyHome),
            Some("placement_setting") => Some(Location::PlacementSetting),
            Some("other") => v.check("value", parse::text(&self.value)).map(Location::Other),
            Some(_) => {
                v.push("kind", Problem::NotAllowed);
                None
            }
            None => None,
        };
        v.build(|| location.unwrap())
    }
}

/// Someone taking part besides the practitioners.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ParticipantInput {
    /// `child`, `family_member`, `staff`, `caregiver` or `other`.
    #[schema(required = true, example = "family_member")]
    pub kind: Option<String>,
    /// For `family_member` and `staff`: the id; for `other`: the person's name.
    pub value: Option<String>,
}

impl Parse for ParticipantInput {
    type Output = Participant;
    fn parse(&self) -> Result<Participant, ValidationErrors> {
        let mut v = Validator::new();
        let participant = match v.check("kind", parse::word(&self.kind)).as_deref() {
            Some("child") => Some(Participant::Child),
            Some("caregiver") => Some(Participant::Caregiver),
            Some("family_member") => v.check("value", parse::id(&self.value)).map(Participant::FamilyMember),
            Some("staff") => v.check("value", parse::id(&self.value)).map(Participant::Staff),
            Some("other") => v.check("value", parse::text(&self.value)).map(Participant::Other),
            Some(_) => {
                v.push("kind", Problem::NotAllowed);
                None
            }
            None => None,
        };
        v.build(|| participant.unwrap())
    }
}

/// Planned arrival and departure of parent and child.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ArrivalInput {
    /// When the parent arrives.
    #[schema(required = true, value_type = String, format = DateTime)]
    pub parent_arrives: Option<String>,
    /// When the child arrives.
    #[schema(required = true, value_type = String, format = DateTime)]
    pub child_arrives: Option<String>,
    /// When the child leaves.
    #[schema(required = true, value_type = String, format = DateTime)]
    pub child_leaves: Option<String>,
    /// When the parent leaves.
    #[schema(required = true, value_type = String, format = DateTime)]
    pub parent_leaves: Option<String>,
}

impl Parse for ArrivalInput {
    type Output = ArrivalPlan;
    fn parse(&self) -> Result<ArrivalPlan, ValidationErrors> {
        let mut v = Validator::new();
        let parent_arrives = v.check("parent_arrives", parse::timestamp(&self.parent_arrives));
        let child_arrives = v.check("child_arrives", parse::timestamp(&self.child_arrives));
        let child_leaves = v.check("child_leaves", parse::timestamp(&self.child_leaves));
        let parent_leaves = v.check("parent_leaves", parse::timestamp(&self.parent_leaves));
        v.build(|| ArrivalPlan {
            parent_arrives: parent_arrives.unwrap(),
            child_arrives: child_arrives.unwrap(),
            child_leaves: child_leaves.unwrap(),
            parent_leaves: parent_leaves.unwrap(),
        })
    }
}

/// When, where and with whom, parsed.
pub struct Plan {
    planned: TimeRange,
    location: Location,
    practitioners: Practitioners,
    participants: Vec<Participant>,
    arrival: Option<ArrivalPlan>,
}

impl Parse for PlanInput {
    type Output = Plan;
    fn parse(&self) -> Result<Plan, ValidationErrors> {
        let mut v = Validator::new();
        let planned = parse::time_range(&mut v, "", &self.start, &self.end);
        let location = v.object("location", &self.location);
        let practitioners = v
            .values("practitioner_ids", &self.practitioner_ids, parse::id)
            .and_then(|ids| v.check("practitioner_ids", Practitioners::new(ids)));
        let participants = v.objects("participants", &self.participants);
        let arrival = v.opt_object("arrival", &self.arrival);
        v.build(|| Plan {
            planned: planned.unwrap(),
            location: location.unwrap(),
            practitioners: practitioners.unwrap(),
            participants: participants.unwrap(),
            arrival: arrival.unwrap(),
        })
    }
}

impl Plan {
    /// Checks that everyone and everything the plan names exists, and belongs to the case.
    async fn check_references(&self, v: &mut Validator, tx: &mut dyn Tx, case: &Case) -> ApiResult<()> {
        all_known(v, tx, "practitioner_ids", self.practitioners.ids()).await?;
        if let Location::Room(room) = self.location
            && let Some(room) = known(v, tx, "location.value", Some(room)).await?
            && room.provider_id != case.provider_id
        {
            v.push("location.value", Problem::UnknownRecord);
        }
        for (i, participant) in self.participants.iter().enumerate() {
            let field = format!("participants[{i}].value");
            match participant {
                Participant::FamilyMember(id) => known_in_case(v, tx, &field, Some(*id), case.id).await.map(drop)?,
                Participant::Staff(id) => known(v, tx, &field, Some(*id)).await.map(drop)?,
                _ => {}
            }
        }
        Ok(())
    }
}

/// Which appointments to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AppointmentQuery {
    /// Of this case.
    #[param(value_type = Option<CaseId>)]
    pub case_id: Option<String>,
    /// Delivering this referral.
    #[param(value_type = Option<ReferralId>)]
    pub referral_id: Option<String>,
    /// With this practitioner.
    #[param(value_type = Option<StaffId>)]
    pub staff_id: Option<String>,
    /// In this room.
    #[param(value_type = Option<RoomId>)]
    pub room_id: Option<String>,
    /// At this provider.
    #[param(value_type = Option<ProviderId>)]
    pub provider_id: Option<String>,
    /// Planned to end after this instant.
    #[param(value_type = Option<String>, format = DateTime)]
    pub from: Option<String>,
    /// Planned to start before this instant.
    #[param(value_type = Option<String>, format = DateTime)]
    pub to: Option<String>,
    /// Of these kinds, comma-separated (`visit,start_meeting`).
    pub kind: Option<String>,
    /// Only those with no practitioner assigned (`true`/`false`).
    #[param(value_type = Option<bool>)]
    pub unassigned: Option<String>,
    /// Only those without a recorded outcome (`true`/`false`).
    #[param(value_type = Option<bool>)]
    pub without_outcome: Option<String>,
}

/// The earliest and latest instants an open-ended window stands for.
fn window_bounds() -> (Timestamp, Timestamp) {
    ("1900-01-01T00:00:00Z".parse().expect("valid"), "9000-01-01T00:00:00Z".parse().expect("valid"))
}

/// The paging cursor of the list: planned start (microseconds) and id.
fn cursor(a: &Appointment) -> String {
    format!("{}_{}", a.planned.start.as_microsecond(), a.id)
}

fn parse_cursor(value: &Option<String>) -> Result<Option<(Timestamp, AppointmentId)>, Problem> {
    let Some(s) = value.as_deref().map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
    let (micros, id) = s.split_once('_').ok_or(Problem::NotAllowed)?;
    let start = micros.parse::<i64>().ok().and_then(|m| Timestamp::from_microsecond(m).ok());
    match (start, id.parse::<AppointmentId>()) {
        (Some(start), Ok(id)) => Ok(Some((start, id))),
        _ => Err(Problem::NotAllowed),
    }
}

/// List appointments
///
/// By planned start, then id; only the appointments the signed-in user may
/// read. `after` takes the `next_after` of the previous page.
#[utoipa::path(get, path = "/appointments", tag = TAG, params(AppointmentQuery, PageQuery), responses((status = 200, body = Paged<Appointment>)))]
async fn list(
    State(app): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Query(q): Query<AppointmentQuery>,
    Query(p): Query<PageQuery>,
) -> ApiResult<Json<Paged<Appointment>>> {
    let mut v = Validator::new();
    let case = v.check("case_id", parse::opt_id(&q.case_id));
    let referral = v.check("referral_id", parse::opt_id(&q.referral_id));
    let staff = v.check("staff_id", parse::opt_id(&q.staff_id));
    let room = v.check("room_id", parse::opt_id(&q.room_id));
    let provider = v.check("provider_id", parse::opt_id(&q.provider_id));
    let from = v.check("from", parse::opt_timestamp(&q.from));
    let to = v.check("to", parse::opt_timestamp(&q.to));
    let during = match (from, to) {
        (Some(None), Some(None)) => Some(None),
        (Some(from), Some(to)) => {
            let (min, max) = window_bounds();
            v.check("to", TimeRange::new(from.unwrap_or(min), to.unwrap_or(max))).map(Some)
        }
        _ => None,
    };
    let kinds = v.check("kind", parse::codes(&q.kind));
    let unassigned = v.check("unassigned", parse::flag(&q.unassigned));
    let without_outcome = v.check("without_outcome", parse::flag(&q.without_outcome));
    let limit = p.limit(&mut v);
    let after = v.check("after", parse_cursor(&p.after));
    let filter = v.build(|| AppointmentFilter {
        case: case.unwrap(),
        referral: referral.unwrap(),
        staff: staff.unwrap(),
        room: room.unwrap(),
        provider: provider.unwrap(),
        during: during.unwrap(),
        kinds: kinds.unwrap(),
        without_outcome: without_outcome.unwrap(),
        unassigned: unassigned.unwrap(),
        after: after.unwrap(),
    })?;
    let limit = limit.expect("checked");
    let mut seen = Visibility::new(actor);
    let belongs = seen.belongs();
    let (Some(case), Some(provider)) = (narrow(filter.case, belongs.case), narrow(filter.provider, belongs.provider))
    else {
        return Ok(Json(Paged::all(vec![])));
    };
    let mut filter = AppointmentFilter { case, provider, ..filter };
    let mut tx = app.read().await?;
    let mut items = Vec::new();
    loop {
        let batch = tx.appointments(&filter, limit).await?;
        let full = batch.len() == limit as usize;
        for appointment in batch {
            filter.after = Some((appointment.planned.start, appointment.id));
            if seen.may(&mut *tx, Action::ReadAppointments, appointment.case_id).await? {
                items.push(appointment);
                if items.len() == limit as usize {
                    return Ok(Json(Paged::cut(items, limit, cursor)));
                }
            }
        }
        if !full {
            return Ok(Json(Paged::all(items)));
        }
    }
}

/// Plan an appointment
///
/// Only while the referral is open and inside its period; a visit only as the
/// committee's decisions and any suspension allow.
#[utoipa::path(post, path = "/appointments", tag = TAG, request_body = AppointmentInput, responses(
    (status = 201, body = AppointmentView),
    (status = 409, description = PLAN_409, body = ErrorBody),
))]
pub(crate) async fn create(
    State(app): State<AppState>,
    UserLang(lang): UserLang,
    Json(input): Json<AppointmentInput>,
) -> ApiResult<Created<AppointmentView>> {
    let mut tx = app.write().await?;
    let view = create_in(&mut *tx, &input, lang).await?;
    tx.commit().await?;
    Ok(created(view))
}

/// Plans an appointment in the caller's transaction (the API route, and the
/// calendar page's form): the input checked, the rules of the case, and no
/// room or practitioner booked twice ([`refuse_double_booking`]).
pub(crate) async fn create_in(tx: &mut dyn Tx, input: &AppointmentInput, lang: Lang) -> ApiResult<AppointmentView> {
    create_in_series(tx, input, None, lang).await
}

/// [`create_in`], for a visit of a series: the appointment names its series.
pub(crate) async fn create_in_series(
    tx: &mut dyn Tx,
    input: &AppointmentInput,
    series: Option<samvirke_domain::SeriesId>,
    lang: Lang,
) -> ApiResult<AppointmentView> {
    let mut v = Validator::new();
    let referral_id: Option<ReferralId> = v.check("referral_id", parse::id(&input.referral_id));
    let kind = v.check("kind", parse::code(&input.kind));
    let plan = v.merge(input.plan.parse());

    let referral = known(&mut v, tx, "referral_id", referral_id).await?;
    let facts = match &referral {
        Some(r) => Some(CaseFacts::load(tx, r.case_id).await?),
        None => None,
    };
    if let (Some(plan), Some(facts)) = (&plan, &facts) {
        plan.check_references(&mut v, tx, &facts.case).await?;
    }
    v.finish()?;
    let (referral, facts, plan, kind) = (referral.unwrap(), facts.unwrap(), plan.unwrap(), kind.unwrap());
    facts.rules(&referral).check_plannable(kind, &plan.planned)?;
    let appointment = Appointment {
        id: AppointmentId::new(),
        case_id: referral.case_id,
        referral_id: referral.id,
        kind,
        planned: plan.planned,
        location: plan.location,
        practitioners: plan.practitioners,
        participants: plan.participants,
        arrival: plan.arrival,
        series_id: series,
        actual: None,
        outcome: None,
        outcome_recorded_at: None,
        created_at: parse::now(),
        revision: 1,
    };
    refuse_double_booking(tx, &appointment).await?;
    tx.insert_appointment(&appointment).await?;
    AppointmentView::judge(tx, &facts, &referral, appointment, lang).await
}

/// How far before and after a plan other appointments are read for clashes:
/// their staggered arrival may take the room before their planned start.
const CLASH_MARGIN_HOURS: i64 = 12;

/// The appointments already booked that the plan's room or practitioners
/// clash with during `span` (the domain's [`conflicts`]); `except` is the
/// appointment being moved.
pub(crate) async fn clashes(
    tx: &mut dyn Tx,
    span: &TimeRange,
    location: &Location,
    practitioners: &[StaffId],
    except: Option<AppointmentId>,
) -> ApiResult<Vec<Clash>> {
    let room = match location {
        Location::Room(room) => Some(*room),
        _ => None,
    };
    let margin = jiff::SignedDuration::from_hours(CLASH_MARGIN_HOURS);
    let window = TimeRange { start: span.start - margin, end: span.end + margin };
    let mut filters: Vec<AppointmentFilter> = Vec::new();
    if let Some(room) = room {
        filters.push(AppointmentFilter { room: Some(room), during: Some(window), ..Default::default() });
    }
    for staff in practitioners {
        filters.push(AppointmentFilter { staff: Some(*staff), during: Some(window), ..Default::default() });
    }
    let mut existing = Vec::new();
    for filter in &filters {
        existing.extend(crate::facts::all_appointments(tx, filter).await?);
    }
    existing.retain(|a| Some(a.id) != except);
    existing.sort_by_key(|a| a.id);
    existing.dedup_by_key(|a| a.id);
    Ok(conflicts(span, room, practitioners, &existing))
}

/// Refuses (`409 double_booking`) an appointment whose room or practitioners
/// are already booked during its occupied span, staggered arrival included.
async fn refuse_double_booking(tx: &mut dyn Tx, a: &Appointment) -> ApiResult<()> {
    if clashes(tx, &a.occupied(), &a.location, a.practitioners.ids(), Some(a.id)).await?.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Conflict(crate::error::ConflictKind::DoubleBooking))
    }
}

/// One appointment
#[utoipa::path(get, path = "/appointments/{id}", tag = TAG, params(("id" = AppointmentId, Path)), responses((status = 200, body = Appointment)))]
async fn get_one(State(app): State<AppState>, Path(id): Path<AppointmentId>) -> ApiResult<Json<Appointment>> {
    Ok(Json(app.read().await?.appointment(id).await?))
}

/// Move or reassign an appointment
///
/// Replaces time, place, practitioners, participants and arrival plan of an
/// appointment that has no outcome yet; the new time obeys the same rules as planning.
#[utoipa::path(put, path = "/appointments/{id}", tag = TAG, params(("id" = AppointmentId, Path)), request_body = RescheduleInput, responses(
    (status = 200, body = AppointmentView),
    (status = 409, description = "Someone else changed it since `revision` (`stale_revision`); it already has an outcome (`rule`: `recorded_appointment_is_final`); or the new plan is refused as when planning.", body = ErrorBody),
))]
async fn reschedule(
    State(app): State<AppState>,
    Path(id): Path<AppointmentId>,
    UserLang(lang): UserLang,
    Json(input): Json<RescheduleInput>,
) -> ApiResult<Json<AppointmentView>> {
    let mut tx = app.write().await?;
    let view = reschedule_in(&mut *tx, id, &input, lang).await?;
    tx.commit().await?;
    Ok(Json(view))
}

/// Moves or reassigns an appointment in the caller's transaction (the API
/// route, and the calendar page's move form), by the same rules as planning.
pub(crate) async fn reschedule_in(
    tx: &mut dyn Tx,
    id: AppointmentId,
    input: &RescheduleInput,
    lang: Lang,
) -> ApiResult<AppointmentView> {
    let mut v = Validator::new();
    let revision = v.check("revision", parse::number(&input.revision, 0u32, u32::MAX));
    let plan = v.merge(input.plan.parse());
    let mut appointment = tx.appointment(id).await?;
    let case = tx.case(appointment.case_id).await?;
    if let Some(plan) = &plan {
        plan.check_references(&mut v, tx, &case).await?;
    }
    v.finish()?;
    check_revision(appointment.revision, revision.unwrap())?;
    check_changeable(&appointment)?;
    let plan = plan.unwrap();
    let referral = tx.referral(appointment.referral_id).await?;
    let facts = CaseFacts::load(tx, appointment.case_id).await?;
    facts.rules(&referral).check_plannable(appointment.kind, &plan.planned)?;
    appointment.planned = plan.planned;
    appointment.location = plan.location;
    appointment.practitioners = plan.practitioners;
    appointment.participants = plan.participants;
    appointment.arrival = plan.arrival;
    refuse_double_booking(tx, &appointment).await?;
    tx.update_appointment(&mut appointment).await?;
    AppointmentView::judge(tx, &facts, &referral, appointment, lang).await
}

/// Remove a planned appointment
///
/// Only an appointment without an outcome can be removed; one that was held,
/// cancelled or missed is history.
#[utoipa::path(delete, path = "/appointments/{id}", tag = TAG, params(("id" = AppointmentId, Path)), responses(
    (status = 204, description = "Removed"),
    (status = 409, description = "It already has an outcome (`rule`: `recorded_appointment_is_final`).", body = ErrorBody),
))]
async fn delete(State(app): State<AppState>, Path(id): Path<AppointmentId>) -> ApiResult<StatusCode> {
    let mut tx = app.write().await?;
    check_changeable(&tx.appointment(id).await?)?;
    tx.delete_appointment(id).await?;
    tx.commit().await?;
    Ok(no_content())
}

/// How an appointment went.
#[derive(Debug, Deserialize, ToSchema)]
pub struct OutcomeInput {
    /// The revision the record is based on.
    #[schema(required = true, value_type = u32)]
    pub revision: Option<i64>,
    /// What happened.
    #[schema(required = true)]
    pub outcome: Option<OutcomeKindInput>,
    /// When it actually started (held or ended early only).
    #[schema(value_type = Option<String>, format = DateTime)]
    pub actual_start: Option<String>,
    /// When it actually ended (held or ended early only).
    #[schema(value_type = Option<String>, format = DateTime)]
    pub actual_end: Option<String>,
}

/// What happened: `held`, `cancelled` (by whom), `no_show` (who) or `ended_early` (why).
#[derive(Debug, Deserialize, ToSchema)]
pub struct OutcomeKindInput {
    /// `held`, `cancelled`, `no_show` or `ended_early`.
    #[schema(required = true, example = "held")]
    pub kind: Option<String>,
    /// Held, ended early: who brought the child.
    pub brought_by: Option<String>,
    /// Held, ended early: incidents during the appointment.
    pub incidents: Option<String>,
    /// Cancelled: by whom.
    #[schema(value_type = Option<CancelledBy>)]
    pub by: Option<String>,
    /// Cancelled: why (optional). Ended early: why (required).
    pub reason: Option<String>,
    /// No-show: who did not come.
    #[schema(value_type = Option<CancelledBy>)]
    pub who: Option<String>,
}

impl Parse for OutcomeKindInput {
    type Output = Outcome;
    fn parse(&self) -> Result<Outcome, ValidationErrors> {
        let mut v = Validator::new();
        let outcome = match v.check("kind", parse::word(&self.kind)).as_deref() {
            Some("held") => {
                let brought_by = v.check("brought_by", parse::opt_text(&self.brought_by));
                let incidents = v.check("incidents", parse::opt_text(&self.incidents));
                brought_by.zip(incidents).map(|(brought_by, incidents)| Outcome::Held { brought_by, incidents })
            }
            Some("cancelled") => {
                let by = v.check("by", parse::code(&self.by));
                let reason = v.check("reason", parse::opt_text(&self.reason));
                by.zip(reason).map(|(by, reason)| Outcome::Cancelled { by, reason })
            }
            Some("no_show") => v.check("who", parse::code(&self.who)).map(|who| Outcome::NoShow { who }),
            Some("ended_early") => {
                let brought_by = v.check("brought_by", parse::opt_text(&self.brought_by));
                let reason = v.check("reason", parse::text(&self.reason));
                let incidents = v.check("incidents", parse::opt_text(&self.incidents));
                match (brought_by, reason, incidents) {
                    (Some(brought_by), Some(reason), Some(incidents)) => {
                        Some(Outcome::EndedEarly { brought_by, reason, incidents })
                    }
                    _ => None,
                }
            }
            Some(_) => {
                v.push("kind", Problem::NotAllowed);
                None
            }
            None => None,
        };
        v.build(|| outcome.unwrap())
    }
}

/// Record how an appointment went
///
/// Held, cancelled (by whom), no-show (who), or ended early (why), with the
/// actual times when it took place. Recording again corrects the record. An
/// appointment is held only once it has begun, and only when, at the time it
/// took place, the consents were in force and the committee's decisions allowed it.
#[utoipa::path(put, path = "/appointments/{id}/outcome", tag = TAG, params(("id" = AppointmentId, Path)), request_body = OutcomeInput, responses(
    (status = 200, body = Appointment),
    (status = 409, description = "Someone else changed it since `revision` (`stale_revision`), or a rule blocks it (`rule`: `outcome_after_start`, a consent rule such as `custody_holder_consent_to_visitation`, or a visit rule such as `supervised_visit_needs_decision`).", body = ErrorBody),
))]
async fn record_outcome(
    State(app): State<AppState>,
    Path(id): Path<AppointmentId>,
    Json(input): Json<OutcomeInput>,
) -> ApiResult<Json<Appointment>> {
    let mut tx = app.write().await?;
    let appointment = apply_outcome(&mut *tx, id, &input).await?;
    tx.commit().await?;
    Ok(Json(appointment))
}

/// Records how an appointment went, in the caller's transaction (the API
/// route, and the page's outcome form with its journal note).
pub(crate) async fn apply_outcome(tx: &mut dyn Tx, id: AppointmentId, input: &OutcomeInput) -> ApiResult<Appointment> {
    let mut v = Validator::new();
    let revision = v.check("revision", parse::number(&input.revision, 0u32, u32::MAX));
    let outcome = v.object("outcome", &input.outcome);
    let actual = if input.actual_start.is_none() && input.actual_end.is_none() {
        Some(None)
    } else {
        parse::time_range(&mut v, "actual", &input.actual_start, &input.actual_end).map(Some)
    };
    if let (Some(outcome), Some(Some(_))) = (&outcome, &actual)
        && !outcome.took_place()
    {
        v.push("actual_start", Problem::NotAllowed);
    }
    let mut appointment = tx.appointment(id).await?;
    v.finish()?;
    check_revision(appointment.revision, revision.unwrap())?;
    let (outcome, actual) = (outcome.unwrap(), actual.unwrap());
    let referral = tx.referral(appointment.referral_id).await?;
    let facts = CaseFacts::load(tx, appointment.case_id).await?;
    let now = parse::now();
    facts.rules(&referral).check_outcome(&appointment, &outcome, actual.as_ref(), now)?;
    appointment.outcome = Some(outcome);
    appointment.actual = actual;
    appointment.outcome_recorded_at = Some(now);
    tx.update_appointment(&mut appointment).await?;
    Ok(appointment)
}
