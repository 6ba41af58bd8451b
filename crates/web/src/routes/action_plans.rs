//! The parent action plan (forældrehandleplan, BL §§ 77–78) of a
//! parent-programme referral: a few concrete goals formulated with the
//! parents, their actions and resources, the phase of the course, and reviews.

use super::prelude::*;
use samvirke_domain::catalogue::Intervention;
use samvirke_domain::plan::*;
use samvirke_store::Tx;

/// The tag of these routes.
pub const TAG: &str = "action-plans";

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(get_one, update)).routes(routes!(add_review))
}

/// A new plan.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ActionPlanInput {
    /// The parent-programme referral of the case.
    #[schema(required = true, value_type = ReferralId)]
    pub referral_id: Option<String>,
    /// Goals (few and concrete).
    pub goals: Option<Vec<GoalInput>>,
    /// The parents' resources and network.
    pub resources: Option<Vec<String>>,
}

/// A goal, in the parents' words.
#[derive(Debug, Deserialize, ToSchema)]
pub struct GoalInput {
    /// The goal's id when changing an existing goal; absent for a new one.
    #[schema(value_type = Option<GoalId>)]
    pub id: Option<String>,
    /// The goal.
    #[schema(required = true, value_type = String)]
    pub text: Option<String>,
    /// Why it matters to the parents.
    pub motivation: Option<String>,
    /// Actions towards it.
    pub actions: Option<Vec<ActionInput>>,
    /// Status (default `open`).
    #[schema(value_type = Option<GoalStatus>)]
    pub status: Option<String>,
}

/// A concrete action towards a goal.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ActionInput {
    /// What will be done.
    #[schema(required = true, value_type = String)]
    pub text: Option<String>,
    /// Who does it.
    pub who: Option<String>,
    /// By when.
    #[schema(value_type = Option<String>, format = Date)]
    pub due: Option<String>,
    /// Done (default false).
    pub done: Option<bool>,
}

impl Parse for ActionInput {
    type Output = PlanAction;
    fn parse(&self) -> Result<PlanAction, ValidationErrors> {
        let mut v = Validator::new();
        let text = v.check("text", parse::text(&self.text));
        let who = v.check("who", parse::opt_text(&self.who));
        let due = v.check("due", parse::opt_date(&self.due));
        v.build(|| PlanAction {
            text: text.unwrap(),
            who: who.unwrap(),
            due: due.unwrap(),
            done: self.done.unwrap_or(false),
        })
    }
}

impl Parse for GoalInput {
    type Output = Goal;
    fn parse(&self) -> Result<Goal, ValidationErrors> {
        let mut v = Validator::new();
        let id = v.check("id", parse::opt_id(&self.id));
        let text = v.check("text", parse::text(&self.text));
        let motivation = v.check("motivation", parse::opt_text(&self.motivation));
        let actions = v.objects("actions", &self.actions);
        let status = v.check("status", parse::opt_code(&self.status));
        v.build(|| Goal {
            id: id.unwrap().unwrap_or_else(GoalId::new),
            text: text.unwrap(),
            motivation: motivation.unwrap(),
            actions: actions.unwrap(),
            status: status.unwrap().unwrap_or(GoalStatus::Open),
        })
    }
}

/// Goals and resources, parsed; a goal id given must be one of `existing`.
fn goals_and_resources(
    v: &mut Validator,
    goals: &Option<Vec<GoalInput>>,
    resources: &Option<Vec<String>>,
    existing: &[Goal],
) -> (Option<Vec<Goal>>, Option<Vec<samvirke_domain::text::ShortText>>) {
    let parsed = v.objects("goals", goals);
    for (i, goal) in goals.iter().flatten().enumerate() {
        if let Ok(Some(id)) = parse::opt_id::<GoalId>(&goal.id)
            && !existing.iter().any(|g| g.id == id)
        {
            v.push(format!("goals[{i}].id"), Problem::UnknownRecord);
        }
    }
    (parsed, v.values("resources", resources, parse::text))
}

/// The plans of a case
///
/// In creation order.
#[utoipa::path(get, path = "/cases/{id}/action-plans", tag = TAG, params(("id" = CaseId, Path), PageQuery), responses((status = 200, body = Paged<ActionPlan>)))]
async fn list(
    State(app): State<AppState>,
    Path(case): Path<CaseId>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Paged<ActionPlan>>> {
    let page = q.parse()?;
    let mut tx = app.read().await?;
    tx.case(case).await?;
    Ok(Json(Paged::from_all(tx.action_plans(case).await?, page, |p| p.id.uuid())))
}

/// Checks that a referral of the case delivers `intervention`; problems go on `field`.
pub async fn referral_of_kind(
    v: &mut Validator,
    tx: &mut dyn Tx,
    field: &str,
    id: Option<ReferralId>,
    case: CaseId,
    intervention: Intervention,
) -> ApiResult<()> {
    if let Some(referral) = known_in_case(v, tx, field, id, case).await?
        && referral.intervention != intervention
    {
        v.push(field, Problem::NotAllowed);
    }
    Ok(())
}

/// Start a parent action plan
///
/// The plan starts in the start phase, today.
#[utoipa::path(post, path = "/cases/{id}/action-plans", tag = TAG, params(("id" = CaseId, Path)), request_body = ActionPlanInput, responses((status = 201, body = ActionPlan)))]
pub(crate) async fn create(
    State(app): State<AppState>,
    Path(case): Path<CaseId>,
    Json(input): Json<ActionPlanInput>,
) -> ApiResult<Created<ActionPlan>> {
    let mut v = Validator::new();
    let referral_id = v.check("referral_id", parse::id(&input.referral_id));
    let (goals, resources) = goals_and_resources(&mut v, &input.goals, &input.resources, &[]);
    let mut tx = app.write().await?;
    tx.case(case).await?;
    referral_of_kind(&mut v, &mut *tx, "referral_id", referral_id, case, Intervention::ParentProgramme).await?;
    let plan = v.build(|| ActionPlan {
        id: ActionPlanId::new(),
        case_id: case,
        referral_id: referral_id.unwrap(),
        phase: Phase::Start,
        phase_history: vec![PhaseChange { phase: Phase::Start, on: parse::today() }],
        goals: goals.unwrap(),
        resources: resources.unwrap(),
        reviews: vec![],
        updated_at: parse::now(),
        revision: 1,
    })?;
    tx.insert_action_plan(&plan).await?;
    tx.commit().await?;
    Ok(created(plan))
}

/// One plan
#[utoipa::path(get, path = "/action-plans/{id}", tag = TAG, params(("id" = ActionPlanId, Path)), responses((status = 200, body = ActionPlan)))]
async fn get_one(State(app): State<AppState>, Path(id): Path<ActionPlanId>) -> ApiResult<Json<ActionPlan>> {
    Ok(Json(app.read().await?.action_plan(id).await?))
}

/// A changed plan.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ActionPlanUpdateInput {
    /// The revision the change is based on.
    #[schema(required = true, value_type = u32)]
    pub revision: Option<i64>,
    /// The phase of the course; a new phase is recorded in the history from today.
    #[schema(required = true, value_type = Phase)]
    pub phase: Option<String>,
    /// Goals, whole (keep `id` for goals that stay).
    pub goals: Option<Vec<GoalInput>>,
    /// Resources, whole.
    pub resources: Option<Vec<String>>,
}

/// Change a plan
///
/// Replaces phase, goals and resources; reviews and phase history are kept.
#[utoipa::path(put, path = "/action-plans/{id}", tag = TAG, params(("id" = ActionPlanId, Path)), request_body = ActionPlanUpdateInput, responses(
    (status = 200, body = ActionPlan),
    (status = 409, description = "Someone else changed the plan since `revision` (`stale_revision`); reload it.", body = ErrorBody),
))]
pub(crate) async fn update(
    State(app): State<AppState>,
    Path(id): Path<ActionPlanId>,
    Json(input): Json<ActionPlanUpdateInput>,
) -> ApiResult<Json<ActionPlan>> {
    let mut v = Validator::new();
    let revision = v.check("revision", parse::number(&input.revision, 0u32, u32::MAX));
    let phase: Option<Phase> = v.check("phase", parse::code(&input.phase));
    let mut tx = app.write().await?;
    let mut plan = tx.action_plan(id).await?;
    let (goals, resources) = goals_and_resources(&mut v, &input.goals, &input.resources, &plan.goals);
    v.finish()?;
    check_revision(plan.revision, revision.unwrap())?;
    let phase = phase.unwrap();
    if phase != plan.phase {
        plan.phase = phase;
        plan.phase_history.push(PhaseChange { phase, on: parse::today() });
    }
    plan.goals = goals.unwrap();
    plan.resources = resources.unwrap();
    plan.updated_at = parse::now();
    tx.update_action_plan(&mut plan).await?;
    tx.commit().await?;
    Ok(Json(plan))
}

/// A review of the plan with the parents.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReviewInput {
    /// The revision of the plan the review is based on.
    #[schema(required = true, value_type = u32)]
    pub revision: Option<i64>,
    /// The date of the review.
    #[schema(required = true, value_type = String, format = Date)]
    pub on: Option<String>,
    /// Ratings per goal, 0 (not started) to 10 (reached).
    pub ratings: Option<Vec<RatingInput>>,
    /// Notes from the review.
    pub note: Option<String>,
}

/// A goal's rating.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RatingInput {
    /// A goal of the plan.
    #[schema(required = true, value_type = GoalId)]
    pub goal_id: Option<String>,
    /// 0–10.
    #[schema(required = true, value_type = u8)]
    pub score: Option<i64>,
}

impl Parse for RatingInput {
    type Output = GoalRating;
    fn parse(&self) -> Result<GoalRating, ValidationErrors> {
        let mut v = Validator::new();
        let goal_id = v.check("goal_id", parse::id(&self.goal_id));
        let score = v.check("score", parse::number(&self.score, 0u8, 10));
        v.build(|| GoalRating { goal_id: goal_id.unwrap(), score: score.unwrap() })
    }
}

/// Add a review
///
/// Records progress over time; earlier reviews are kept.
#[utoipa::path(post, path = "/action-plans/{id}/reviews", tag = TAG, params(("id" = ActionPlanId, Path)), request_body = ReviewInput, responses(
    (status = 201, body = ActionPlan),
    (status = 409, description = "Someone else changed the plan since `revision` (`stale_revision`); reload it.", body = ErrorBody),
))]
pub(crate) async fn add_review(
    State(app): State<AppState>,
    Path(id): Path<ActionPlanId>,
    Json(input): Json<ReviewInput>,
) -> ApiResult<Created<ActionPlan>> {
    let mut v = Validator::new();
    let revision = v.check("revision", parse::number(&input.revision, 0u32, u32::MAX));
    let on = v.check("on", parse::date(&input.on));
    let ratings = v.objects("ratings", &input.ratings);
    let note = v.check("note", parse::opt_text(&input.note));
    let mut tx = app.write().await?;
    let mut plan = tx.action_plan(id).await?;
    for (i, rating) in ratings.iter().flatten().enumerate() {
        if !plan.goals.iter().any(|g| g.id == rating.goal_id) {
            v.push(format!("ratings[{i}].goal_id"), Problem::UnknownRecord);
        }
    }
    v.finish()?;
    check_revision(plan.revision, revision.unwrap())?;
    plan.reviews.push(PlanReview { on: on.unwrap(), ratings: ratings.unwrap(), note: note.unwrap() });
    plan.updated_at = parse::now();
    tx.update_action_plan(&mut plan).await?;
    tx.commit().await?;
    Ok(created(plan))
}
