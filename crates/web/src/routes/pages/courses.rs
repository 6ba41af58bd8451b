//! What a course shows on its referral's page besides its appointments: the
//! intervention's methods and the sessions held (home support and every
//! course); the contact person's focus areas; the parent programme's action
//! plan with its goals, actions, resources, phase and progress over time —
//! and the forms that change them, through the API's own handlers.

use super::lookups::Lookups;
use super::orders::referral_href;
use super::{PageCtx, code};
use crate::AppState;
use crate::audit::CreatedRecord;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path as ApiPath};
use crate::facts::all_appointments;
use crate::routes::action_plans::{
    self as plans_api, ActionInput, ActionPlanInput, ActionPlanUpdateInput, GoalInput, RatingInput, ReviewInput,
};
use crate::routes::focus_areas::{self as focus_api, FocusAreaInput};
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use samvirke_domain::catalogue::Intervention;
use samvirke_domain::plan::{ActionPlan, FocusAreaKind, Goal, GoalStatus, Phase};
use samvirke_domain::policy::{Action, Actor, CaseFacts, Target, decide};
use samvirke_domain::referral::Referral;
use samvirke_domain::{ActionPlanId, Lang, ReferralId};
use samvirke_pages::Text;
use samvirke_pages::format::{moment, short_date};
use samvirke_pages::orders::{Choice, CourseSections, FocusLine, GoalView, PlanForm, PlanSection, Progress};
use samvirke_pages::work::{self, Row};
use samvirke_store::{AppointmentFilter, Tx};

fn status(s: GoalStatus) -> Text {
    match s {
        GoalStatus::Open => Text::GoalOpen,
        GoalStatus::Achieved => Text::GoalAchieved,
        GoalStatus::Dropped => Text::GoalDropped,
    }
}

/// The sections of a course, as the signed-in person may see and change them.
pub async fn sections(
    tx: &mut dyn Tx,
    actor: &Actor,
    facts: &CaseFacts,
    r: &Referral,
    lookups: &mut Lookups,
    lang: Lang,
) -> ApiResult<CourseSections> {
    let may = |action| decide(actor, action, Target::Case(facts)).is_ok();
    let mut out = CourseSections {
        methods: r.intervention.entry().methods.iter().map(|m| m.get(lang).to_string()).collect(),
        ..CourseSections::default()
    };
    if may(Action::ReadAppointments) {
        let child = lookups.child(tx, r.case_id).await?;
        let mut held: Vec<_> = all_appointments(tx, &AppointmentFilter { referral: Some(r.id), ..Default::default() })
            .await?
            .into_iter()
            .filter(|a| a.outcome.is_some())
            .collect();
        held.sort_by_key(|a| std::cmp::Reverse(a.planned.start));
        out.held = held
            .iter()
            .take(10)
            .map(|a| Row {
                child: child.clone(),
                what: a.kind.name().get(lang).to_string(),
                when: moment(a.planned.start, lang),
                detail: a.outcome.as_ref().map(|o| work::outcome(o, lang)).unwrap_or_default(),
                href: Some(super::overview::appointment_href(a)),
            })
            .collect();
    }
    if !may(Action::ReadPlans) {
        return Ok(out);
    }
    match r.intervention {
        Intervention::ContactPerson => {
            let areas: Vec<_> =
                tx.focus_areas(r.case_id).await?.into_iter().filter(|f| f.referral_id == r.id).collect();
            let lines = areas
                .iter()
                .map(|f| FocusLine {
                    area: f.area.name().get(lang).to_string(),
                    note: f.note.as_ref().map(ToString::to_string).unwrap_or_default(),
                    period: match f.ended_on {
                        Some(end) => format!("{}–{}", short_date(f.started_on, lang), short_date(end, lang)),
                        None => format!("{} {}", Text::FocusSince.get(lang), short_date(f.started_on, lang)),
                    },
                })
                .collect();
            let kinds = if may(Action::WritePlans) {
                FocusAreaKind::ALL
                    .iter()
                    .filter(|k| !areas.iter().any(|a| a.area == **k && a.ended_on.is_none()))
                    .map(|k| Choice { value: code(k), label: k.name().get(lang).to_string(), hint: None })
                    .collect()
            } else {
                Vec::new()
            };
            out.focus = Some((lines, kinds));
        }
        Intervention::ParentProgramme => {
            let plan = tx.action_plans(r.case_id).await?.into_iter().find(|p| p.referral_id == r.id);
            match plan {
                Some(plan) => out.plan = Some(plan_section(&plan, may(Action::WritePlans), lang)),
                None => out.start_plan = may(Action::WritePlans),
            }
        }
        _ => {}
    }
    Ok(out)
}

fn plan_section(plan: &ActionPlan, can_edit: bool, lang: Lang) -> PlanSection {
    let goal_text = |g: &Goal| g.text.to_string();
    PlanSection {
        href: format!("/action-plans/{}", plan.id),
        revision: plan.revision,
        phase: plan.phase.name().get(lang).to_string(),
        phase_code: code(&plan.phase),
        history: plan
            .phase_history
            .iter()
            .map(|c| format!("{} {} {}", c.phase.name().get(lang), Text::PlanFrom.get(lang), short_date(c.on, lang)))
            .collect(),
        goals: plan
            .goals
            .iter()
            .map(|g| GoalView {
                text: goal_text(g),
                motivation: g.motivation.as_ref().map(ToString::to_string),
                status: status(g.status).get(lang).to_string(),
                actions: g
                    .actions
                    .iter()
                    .map(|a| {
                        let mut line = a.text.to_string();
                        if let Some(who) = &a.who {
                            line.push_str(&format!(" – {who}"));
                        }
                        if let Some(due) = a.due {
                            line.push_str(&format!(" ({})", short_date(due, lang)));
                        }
                        (line, a.done)
                    })
                    .collect(),
            })
            .collect(),
        resources: plan.resources.iter().map(ToString::to_string).collect(),
        reviews: plan.reviews.iter().map(|r| short_date(r.on, lang)).collect(),
        progress: plan
            .goals
            .iter()
            .map(|g| {
                let scores: Vec<Option<u8>> = plan
                    .reviews
                    .iter()
                    .map(|r| r.ratings.iter().find(|x| x.goal_id == g.id).map(|x| x.score))
                    .collect();
                Progress {
                    goal: goal_text(g),
                    latest: scores.iter().rev().find_map(|s| *s),
                    scores: scores.iter().map(|s| s.map_or("–".to_string(), |s| format!("{s}/10"))).collect(),
                }
            })
            .collect(),
        rate: plan
            .goals
            .iter()
            .filter(|g| g.status == GoalStatus::Open)
            .map(|g| Choice { value: g.id.to_string(), label: goal_text(g), hint: None })
            .collect(),
        phases: [Phase::Start, Phase::Change, Phase::Maintenance]
            .iter()
            .map(|p| Choice { value: code(p), label: p.name().get(lang).to_string(), hint: None })
            .collect(),
        can_edit,
    }
}

/// A form's fields, in order (a review repeats `goal_id` and `score`).
type Fields = Vec<(String, String)>;

fn field<'a>(f: &'a Fields, name: &str) -> Option<&'a str> {
    f.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
}

fn text(f: &Fields, name: &str) -> Option<String> {
    field(f, name).map(str::to_owned)
}

fn revision(f: &Fields) -> Option<i64> {
    field(f, "revision").and_then(|r| r.parse().ok()).or(Some(-1))
}

/// The goal of the goal fields; none when the form names no goal at all.
fn new_goal(f: &Fields) -> GoalInput {
    let action =
        text(f, "action").map(|a| ActionInput { text: Some(a), who: text(f, "who"), due: text(f, "due"), done: None });
    GoalInput {
        id: None,
        text: text(f, "goal"),
        motivation: text(f, "motivation"),
        actions: Some(action.into_iter().collect()),
        status: None,
    }
}

/// A stored goal as the API's input (the update names every goal).
fn goal_input(g: &Goal) -> GoalInput {
    GoalInput {
        id: Some(g.id.to_string()),
        text: Some(g.text.to_string()),
        motivation: g.motivation.as_ref().map(ToString::to_string),
        actions: Some(
            g.actions
                .iter()
                .map(|a| ActionInput {
                    text: Some(a.text.to_string()),
                    who: a.who.as_ref().map(ToString::to_string),
                    due: a.due.map(|d| d.to_string()),
                    done: Some(a.done),
                })
                .collect(),
        ),
        status: Some(code(&g.status)),
    }
}

fn plan_field(api_field: &str) -> (&'static str, Text) {
    if api_field.contains("actions") {
        return match api_field.rsplit('.').next() {
            Some("who") => ("who", Text::PlanWho),
            Some("due") => ("due", Text::PlanDue),
            _ => ("action", Text::PlanAction),
        };
    }
    match api_field.rsplit('.').next().unwrap_or("") {
        "text" | "goals" => ("goal", Text::PlanGoal),
        "motivation" => ("motivation", Text::PlanMotivation),
        "on" => ("on", Text::PlanReviewDate),
        "score" | "goal_id" => ("score-1", Text::PlanGoal),
        "area" => ("area", Text::FocusArea),
        "note" => ("focus-note", Text::FocusNote),
        "phase" => ("phase", Text::PlanPhase),
        f if f.starts_with("resources") => ("resources", Text::PlanResources),
        _ => ("goal", Text::PlanGoal),
    }
}

/// On to the referral's page, or the page again with what was refused.
async fn answer(
    app: &AppState,
    ctx: &PageCtx,
    referral: ReferralId,
    done: Result<(&'static str, Option<uuid::Uuid>), ApiError>,
) -> Response {
    use askama::Template;
    let error = match done {
        Ok((done, created)) => {
            let mut response = Redirect::to(&format!("{}?done={done}", referral_href(referral))).into_response();
            if let Some(id) = created {
                response.extensions_mut().insert(CreatedRecord(id));
            }
            return response;
        }
        Err(e) => e,
    };
    let (status, errors, rule) = match super::refusal(error, ctx.lang, plan_field) {
        Ok(shown) => shown,
        Err(other) => return ctx.error(other),
    };
    match super::orders::build_referral(app, ctx, referral, PlanForm::default(), errors, rule).await {
        Ok(page) => super::shown_at(ctx.render_with(status, page.render()), &referral_href(referral)),
        Err(e) => ctx.error(e),
    }
}

async fn referral_of(app: &AppState, id: ReferralId) -> ApiResult<Referral> {
    Ok(app.read().await?.referral(id).await?)
}

/// Starts the parent action plan of a parent-programme course with its first goal.
pub async fn start_plan(
    State(app): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<ReferralId>,
    Form(f): Form<Fields>,
) -> Response {
    let done = match referral_of(&app, id).await {
        Ok(r) => {
            let resources = field(&f, "resources")
                .map(|r| r.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect())
                .unwrap_or_default();
            let input = ActionPlanInput {
                referral_id: Some(id.to_string()),
                goals: Some(vec![new_goal(&f)]),
                resources: Some(resources),
            };
            plans_api::create(State(app.clone()), ApiPath(r.case_id), Json(input))
                .await
                .map(|(_, Json(plan))| ("plan", Some(plan.id.uuid())))
        }
        Err(e) => Err(e),
    };
    answer(&app, &ctx, id, done).await
}

/// The plan, its referral, and the API's update of it with one change.
async fn change_plan(
    app: &AppState,
    ctx: &PageCtx,
    id: ActionPlanId,
    f: &Fields,
    change: impl FnOnce(&ActionPlan, &mut ActionPlanUpdateInput),
) -> Response {
    let plan = match app.read().await {
        Ok(mut tx) => tx.action_plan(id).await.map_err(ApiError::from),
        Err(e) => Err(e),
    };
    let plan = match plan {
        Ok(plan) => plan,
        Err(e) => return ctx.error(e),
    };
    let mut input = ActionPlanUpdateInput {
        revision: revision(f),
        phase: Some(code(&plan.phase)),
        goals: Some(plan.goals.iter().map(goal_input).collect()),
        resources: Some(plan.resources.iter().map(ToString::to_string).collect()),
    };
    change(&plan, &mut input);
    let done = plans_api::update(State(app.clone()), ApiPath(id), Json(input)).await.map(|_| ("plan", None));
    answer(app, ctx, plan.referral_id, done).await
}

/// Adds a goal to the plan.
pub async fn add_goal(
    State(app): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<ActionPlanId>,
    Form(f): Form<Fields>,
) -> Response {
    let goal = new_goal(&f);
    change_plan(&app, &ctx, id, &f, |_, input| input.goals.get_or_insert_with(Vec::new).push(goal)).await
}

/// Moves the plan to another phase.
pub async fn change_phase(
    State(app): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<ActionPlanId>,
    Form(f): Form<Fields>,
) -> Response {
    let phase = text(&f, "phase");
    change_plan(&app, &ctx, id, &f, |_, input| input.phase = phase).await
}

/// Records a review with the parents: a score for each open goal.
pub async fn add_review(
    State(app): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<ActionPlanId>,
    Form(f): Form<Fields>,
) -> Response {
    let referral = match app.read().await {
        Ok(mut tx) => tx.action_plan(id).await.map(|p| p.referral_id).map_err(ApiError::from),
        Err(e) => Err(e),
    };
    let referral = match referral {
        Ok(r) => r,
        Err(e) => return ctx.error(e),
    };
    let goals = f.iter().filter(|(k, _)| k == "goal_id").map(|(_, v)| v.clone());
    let scores = f.iter().filter(|(k, _)| k == "score").map(|(_, v)| v.trim().to_string());
    let ratings = goals
        .zip(scores)
        .filter(|(_, score)| !score.is_empty())
        .map(|(goal, score)| RatingInput { goal_id: Some(goal), score: Some(score.parse().unwrap_or(-1)) })
        .collect();
    let input =
        ReviewInput { revision: revision(&f), on: text(&f, "on"), ratings: Some(ratings), note: text(&f, "note") };
    let done = plans_api::add_review(State(app.clone()), ApiPath(id), Json(input)).await.map(|_| ("plan", None));
    answer(&app, &ctx, referral, done).await
}

/// Adds a focus area to a contact-person course.
pub async fn add_focus_area(
    State(app): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<ReferralId>,
    Form(f): Form<Fields>,
) -> Response {
    let done = match referral_of(&app, id).await {
        Ok(r) => {
            let input = FocusAreaInput {
                referral_id: Some(id.to_string()),
                area: text(&f, "area"),
                note: text(&f, "note"),
                started_on: None,
            };
            focus_api::create(State(app.clone()), ApiPath(r.case_id), Json(input))
                .await
                .map(|(_, Json(area))| ("focus", Some(area.id.uuid())))
        }
        Err(e) => Err(e),
    };
    answer(&app, &ctx, id, done).await
}
