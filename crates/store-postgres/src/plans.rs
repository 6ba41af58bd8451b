//! Parent action plans and contact-person focus areas.

use crate::encode::*;
use samvirke_domain::plan::{ActionPlan, FocusArea};
use samvirke_domain::*;
use samvirke_store::Result;
use sqlx::postgres::{PgConnection, PgRow};

// --- Action plans ---

macro_rules! action_plan_sql {
    ($($rest:literal)?) => {
        concat!(
            "SELECT id, case_id, referral_id, phase, phase_history, goals, resources, reviews, updated_at, revision \
             FROM action_plans"
            $(, $rest)?
        )
    };
}

fn action_plan_from_row(r: &PgRow) -> Result<ActionPlan> {
    Ok(ActionPlan {
        id: id(r, "action_plans.id")?,
        case_id: id(r, "action_plans.case_id")?,
        referral_id: id(r, "action_plans.referral_id")?,
        phase: enum_code(r, "action_plans.phase")?,
        phase_history: json_col(r, "action_plans.phase_history")?,
        goals: json_col(r, "action_plans.goals")?,
        resources: json_col(r, "action_plans.resources")?,
        reviews: json_col(r, "action_plans.reviews")?,
        updated_at: timestamp(r, "action_plans.updated_at")?,
        revision: u32_(r, "action_plans.revision")?,
    })
}

pub(crate) async fn insert_action_plan(c: &mut PgConnection, p: &ActionPlan) -> Result<()> {
    sqlx::query(
        "INSERT INTO action_plans (id, case_id, referral_id, phase, phase_history, goals, resources, reviews, \
         updated_at, revision) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(p.id.0)
    .bind(p.case_id.0)
    .bind(p.referral_id.0)
    .bind(code(&p.phase)?)
    .bind(json(&p.phase_history)?)
    .bind(json(&p.goals)?)
    .bind(json(&p.resources)?)
    .bind(json(&p.reviews)?)
    .bind(ts(p.updated_at))
    .bind(i64::from(p.revision))
    .execute(c)
    .await
    .map_err(err)?;
    Ok(())
}

pub(crate) async fn update_action_plan(c: &mut PgConnection, p: &mut ActionPlan) -> Result<()> {
    let done = sqlx::query(
        "UPDATE action_plans SET case_id = $3, referral_id = $4, phase = $5, phase_history = $6, goals = $7, \
         resources = $8, reviews = $9, updated_at = $10, revision = revision + 1 WHERE id = $1 AND revision = $2",
    )
    .bind(p.id.0)
    .bind(i64::from(p.revision))
    .bind(p.case_id.0)
    .bind(p.referral_id.0)
    .bind(code(&p.phase)?)
    .bind(json(&p.phase_history)?)
    .bind(json(&p.goals)?)
    .bind(json(&p.resources)?)
    .bind(json(&p.reviews)?)
    .bind(ts(p.updated_at))
    .execute(&mut *c)
    .await
    .map_err(err)?;
    if done.rows_affected() == 0 {
        return Err(stale_or_missing(c, "SELECT EXISTS (SELECT 1 FROM action_plans WHERE id = $1)", p.id.0).await);
    }
    p.revision += 1;
    Ok(())
}

pub(crate) async fn action_plan(c: &mut PgConnection, id: ActionPlanId) -> Result<ActionPlan> {
    let row = sqlx::query(action_plan_sql!(" WHERE id = $1")).bind(id.0).fetch_one(c).await.map_err(err)?;
    action_plan_from_row(&row)
}

pub(crate) async fn action_plans(c: &mut PgConnection, case: CaseId) -> Result<Vec<ActionPlan>> {
    let rows = sqlx::query(action_plan_sql!(" WHERE case_id = $1 ORDER BY id"))
        .bind(case.0)
        .fetch_all(c)
        .await
        .map_err(err)?;
    rows.iter().map(action_plan_from_row).collect()
}

// --- Focus areas ---

macro_rules! focus_area_sql {
    ($($rest:literal)?) => {
        concat!("SELECT id, case_id, referral_id, area, note, started_on, ended_on FROM focus_areas" $(, $rest)?)
    };
}

fn focus_area_from_row(r: &PgRow) -> Result<FocusArea> {
    Ok(FocusArea {
        id: id(r, "focus_areas.id")?,
        case_id: id(r, "focus_areas.case_id")?,
        referral_id: id(r, "focus_areas.referral_id")?,
        area: enum_code(r, "focus_areas.area")?,
        note: text_opt(r, "focus_areas.note")?,
        started_on: day(r, "focus_areas.started_on")?,
        ended_on: day_opt(r, "focus_areas.ended_on")?,
    })
}

pub(crate) async fn insert_focus_area(c: &mut PgConnection, f: &FocusArea) -> Result<()> {
    sqlx::query(
        "INSERT INTO focus_areas (id, case_id, referral_id, area, note, started_on, ended_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(f.id.0)
    .bind(f.case_id.0)
    .bind(f.referral_id.0)
    .bind(code(&f.area)?)
    .bind(f.note.as_ref().map(|t| t.as_str()))
    .bind(date(f.started_on))
    .bind(f.ended_on.map(date))
    .execute(c)
    .await
    .map_err(err)?;
    Ok(())
}

pub(crate) async fn update_focus_area(c: &mut PgConnection, f: &FocusArea) -> Result<()> {
    let done = sqlx::query(
        "UPDATE focus_areas SET case_id = $2, referral_id = $3, area = $4, note = $5, started_on = $6, \
         ended_on = $7 WHERE id = $1",
    )
    .bind(f.id.0)
    .bind(f.case_id.0)
    .bind(f.referral_id.0)
    .bind(code(&f.area)?)
    .bind(f.note.as_ref().map(|t| t.as_str()))
    .bind(date(f.started_on))
    .bind(f.ended_on.map(date))
    .execute(c)
    .await
    .map_err(err)?;
    expect_one(done)
}

pub(crate) async fn focus_area(c: &mut PgConnection, id: FocusAreaId) -> Result<FocusArea> {
    let row = sqlx::query(focus_area_sql!(" WHERE id = $1")).bind(id.0).fetch_one(c).await.map_err(err)?;
    focus_area_from_row(&row)
}

pub(crate) async fn focus_areas(c: &mut PgConnection, case: CaseId) -> Result<Vec<FocusArea>> {
    let rows = sqlx::query(focus_area_sql!(" WHERE case_id = $1 ORDER BY started_on, id"))
        .bind(case.0)
        .fetch_all(c)
        .await
        .map_err(err)?;
    rows.iter().map(focus_area_from_row).collect()
}
