//! Parent action plans and contact-person focus areas.

use crate::codec::*;
use crate::error::{check_revision, db};
use samvirke_domain::plan::{ActionPlan, FocusArea, Goal, PhaseChange, PlanReview};
use samvirke_domain::text::ShortText;
use samvirke_domain::*;
use samvirke_store::StoreError;
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use sqlx::sqlite::SqliteRow;

// --- Action plans ---

/// The part of a plan that is always read and written whole, stored as JSON.
#[derive(Serialize)]
struct BodyRef<'a> {
    phase_history: &'a [PhaseChange],
    goals: &'a [Goal],
    resources: &'a [ShortText],
    reviews: &'a [PlanReview],
}

#[derive(Deserialize)]
struct Body {
    phase_history: Vec<PhaseChange>,
    goals: Vec<Goal>,
    resources: Vec<ShortText>,
    reviews: Vec<PlanReview>,
}

fn body(p: &ActionPlan) -> Result<String> {
    json(&BodyRef { phase_history: &p.phase_history, goals: &p.goals, resources: &p.resources, reviews: &p.reviews })
}

macro_rules! action_plan_select {
    () => {
        "SELECT id, case_id, referral_id, phase, body, updated_at, revision FROM action_plans"
    };
}

fn action_plan_from_row(row: &SqliteRow) -> Result<ActionPlan> {
    let body: Body = from_json(row, "action_plans.body")?;
    Ok(ActionPlan {
        id: id(row, "action_plans.id")?,
        case_id: id(row, "action_plans.case_id")?,
        referral_id: id(row, "action_plans.referral_id")?,
        phase: enum_code(row, "action_plans.phase")?,
        phase_history: body.phase_history,
        goals: body.goals,
        resources: body.resources,
        reviews: body.reviews,
        updated_at: ts(row, "action_plans.updated_at")?,
        revision: num(row, "action_plans.revision")?,
    })
}

pub(crate) async fn insert_action_plan(c: &mut SqliteConnection, p: &ActionPlan) -> Result<()> {
    sqlx::query(
        "INSERT INTO action_plans (id, case_id, referral_id, phase, body, updated_at, revision)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .bind(p.id.uuid())
    .bind(p.case_id.uuid())
    .bind(p.referral_id.uuid())
    .bind(code(&p.phase)?)
    .bind(body(p)?)
    .bind(micros(p.updated_at))
    .bind(i64::from(p.revision))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn update_action_plan(c: &mut SqliteConnection, p: &mut ActionPlan) -> Result<()> {
    let done = sqlx::query(
        "UPDATE action_plans SET case_id = ?3, referral_id = ?4, phase = ?5, body = ?6, updated_at = ?7,
                                 revision = revision + 1
         WHERE id = ?1 AND revision = ?2",
    )
    .bind(p.id.uuid())
    .bind(i64::from(p.revision))
    .bind(p.case_id.uuid())
    .bind(p.referral_id.uuid())
    .bind(code(&p.phase)?)
    .bind(body(p)?)
    .bind(micros(p.updated_at))
    .execute(&mut *c)
    .await
    .map_err(db)?;
    check_revision(c, done.rows_affected(), "SELECT 1 FROM action_plans WHERE id = ?1", p.id.uuid()).await?;
    p.revision += 1;
    Ok(())
}

pub(crate) async fn action_plan(c: &mut SqliteConnection, id: ActionPlanId) -> Result<ActionPlan> {
    let row = sqlx::query(concat!(action_plan_select!(), " WHERE id = ?1"))
        .bind(id.uuid())
        .fetch_optional(c)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound)?;
    action_plan_from_row(&row)
}

pub(crate) async fn action_plans(c: &mut SqliteConnection, case: CaseId) -> Result<Vec<ActionPlan>> {
    let rows = sqlx::query(concat!(action_plan_select!(), " WHERE case_id = ?1 ORDER BY id"))
        .bind(case.uuid())
        .fetch_all(c)
        .await
        .map_err(db)?;
    rows.iter().map(action_plan_from_row).collect()
}

// --- Focus areas ---

macro_rules! focus_area_select {
    () => {
        "SELECT id, case_id, referral_id, area, note, started_on, ended_on FROM focus_areas"
    };
}

fn focus_area_from_row(row: &SqliteRow) -> Result<FocusArea> {
    Ok(FocusArea {
        id: id(row, "focus_areas.id")?,
        case_id: id(row, "focus_areas.case_id")?,
        referral_id: id(row, "focus_areas.referral_id")?,
        area: enum_code(row, "focus_areas.area")?,
        note: opt_text(row, "focus_areas.note")?,
        started_on: date(row, "focus_areas.started_on")?,
        ended_on: opt_date(row, "focus_areas.ended_on")?,
    })
}

pub(crate) async fn insert_focus_area(c: &mut SqliteConnection, f: &FocusArea) -> Result<()> {
    sqlx::query(
        "INSERT INTO focus_areas (id, case_id, referral_id, area, note, started_on, ended_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .bind(f.id.uuid())
    .bind(f.case_id.uuid())
    .bind(f.referral_id.uuid())
    .bind(code(&f.area)?)
    .bind(f.note.as_ref().map(|t| t.as_str().to_owned()))
    .bind(day(f.started_on))
    .bind(f.ended_on.map(day))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn update_focus_area(c: &mut SqliteConnection, f: &FocusArea) -> Result<()> {
    let done = sqlx::query(
        "UPDATE focus_areas SET case_id = ?2, referral_id = ?3, area = ?4, note = ?5, started_on = ?6, ended_on = ?7
         WHERE id = ?1",
    )
    .bind(f.id.uuid())
    .bind(f.case_id.uuid())
    .bind(f.referral_id.uuid())
    .bind(code(&f.area)?)
    .bind(f.note.as_ref().map(|t| t.as_str().to_owned()))
    .bind(day(f.started_on))
    .bind(f.ended_on.map(day))
    .execute(c)
    .await
    .map_err(db)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(crate) async fn focus_area(c: &mut SqliteConnection, id: FocusAreaId) -> Result<FocusArea> {
    let row = sqlx::query(concat!(focus_area_select!(), " WHERE id = ?1"))
        .bind(id.uuid())
        .fetch_optional(c)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound)?;
    focus_area_from_row(&row)
}

pub(crate) async fn focus_areas(c: &mut SqliteConnection, case: CaseId) -> Result<Vec<FocusArea>> {
    let rows = sqlx::query(concat!(focus_area_select!(), " WHERE case_id = ?1 ORDER BY started_on, id"))
        .bind(case.uuid())
        .fetch_all(c)
        .await
        .map_err(db)?;
    rows.iter().map(focus_area_from_row).collect()
}
