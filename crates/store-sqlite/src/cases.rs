//! Cases, family members, committee decisions, suspensions and consents.

use crate::codec::*;
use crate::error::{check_revision, db};
use jiff::Timestamp;
use samvirke_domain::case::{Case, CaseReference, Child, FamilyMember};
use samvirke_domain::consent::{Consent, ConsentGiver};
use samvirke_domain::cpr::Cpr;
use samvirke_domain::decision::{CommitteeDecision, VisitationSuspension};
use samvirke_domain::*;
use samvirke_store::{CaseFilter, Conflict, Page, StoreError};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

// --- Cases ---

macro_rules! case_select {
    () => {
        "SELECT c.id, c.reference, c.provider_id, c.municipality_id, c.child_name, c.child_cpr, c.placement,
                c.opened_on, c.closed_on, c.created_at, c.revision
         FROM cases c"
    };
}

fn case_from_row(row: &SqliteRow) -> Result<Case> {
    let cpr: String = get(row, "cases.child_cpr")?;
    Ok(Case {
        id: id(row, "cases.id")?,
        reference: CaseReference::from_stored(get(row, "cases.reference")?),
        provider_id: id(row, "cases.provider_id")?,
        municipality_id: id(row, "cases.municipality_id")?,
        child: Child {
            name: text(row, "cases.child_name")?,
            cpr: Cpr::parse(&cpr).map_err(|_| StoreError::corrupt("cases.child_cpr", "not a CPR number"))?,
        },
        placement: opt_json(row, "cases.placement")?,
        opened_on: date(row, "cases.opened_on")?,
        closed_on: opt_date(row, "cases.closed_on")?,
        created_at: ts(row, "cases.created_at")?,
        revision: num(row, "cases.revision")?,
    })
}

pub(crate) async fn insert_case(c: &mut SqliteConnection, k: &Case) -> Result<()> {
    sqlx::query(
        "INSERT INTO cases (id, reference, provider_id, municipality_id, child_name, child_cpr, placement, opened_on,
                            closed_on, created_at, revision)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )
    .bind(k.id.uuid())
    .bind(k.reference.as_str())
    .bind(k.provider_id.uuid())
    .bind(k.municipality_id.uuid())
    .bind(k.child.name.as_str())
    .bind(k.child.cpr.reveal())
    .bind(k.placement.as_ref().map(json).transpose()?)
    .bind(day(k.opened_on))
    .bind(k.closed_on.map(day))
    .bind(micros(k.created_at))
    .bind(i64::from(k.revision))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn update_case(c: &mut SqliteConnection, k: &mut Case) -> Result<()> {
    let done = sqlx::query(
        "UPDATE cases SET provider_id = ?3, municipality_id = ?4, child_name = ?5, child_cpr = ?6, placement = ?7,
                          opened_on = ?8, closed_on = ?9, revision = revision + 1
         WHERE id = ?1 AND revision = ?2",
    )
    .bind(k.id.uuid())
    .bind(i64::from(k.revision))
    .bind(k.provider_id.uuid())
    .bind(k.municipality_id.uuid())
    .bind(k.child.name.as_str())
    .bind(k.child.cpr.reveal())
    .bind(k.placement.as_ref().map(json).transpose()?)
    .bind(day(k.opened_on))
    .bind(k.closed_on.map(day))
    .execute(&mut *c)
    .await
    .map_err(db)?;
    check_revision(c, done.rows_affected(), "SELECT 1 FROM cases WHERE id = ?1", k.id.uuid()).await?;
    k.revision += 1;
    Ok(())
}

pub(crate) async fn case(c: &mut SqliteConnection, id: CaseId) -> Result<Case> {
    let row = sqlx::query(concat!(case_select!(), " WHERE c.id = ?1"))
        .bind(id.uuid())
        .fetch_optional(c)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound)?;
    case_from_row(&row)
}

/// Appends the conditions of a case filter to a query over `cases c`.
fn push_case_filter(q: &mut QueryBuilder<Sqlite>, f: &CaseFilter) {
    if let Some(p) = f.provider {
        q.push(" AND c.provider_id = ").push_bind(p.uuid());
    }
    if let Some(m) = f.municipality {
        q.push(" AND c.municipality_id = ").push_bind(m.uuid());
    }
    if f.open_only {
        q.push(" AND c.closed_on IS NULL");
    }
    if let Some(s) = f.staff {
        // Coordinator or practitioner on a referral of the case, or on one of its appointments.
        q.push(" AND c.id IN (SELECT r.case_id FROM referrals r WHERE r.coordinator_id = ")
            .push_bind(s.uuid())
            .push(
                " UNION SELECT r.case_id FROM referral_practitioners rp JOIN referrals r ON r.id = rp.referral_id
                  WHERE rp.staff_id = ",
            )
            .push_bind(s.uuid())
            .push(
                " UNION SELECT a.case_id FROM appointment_staff s JOIN appointments a ON a.id = s.appointment_id
                  WHERE s.staff_id = ",
            )
            .push_bind(s.uuid())
            .push(")");
    }
}

pub(crate) async fn cases(c: &mut SqliteConnection, f: &CaseFilter, page: Page) -> Result<Vec<Case>> {
    let mut q = QueryBuilder::new("");
    push_cases_query(&mut q, f, page);
    let rows = q.build().fetch_all(c).await.map_err(db)?;
    rows.iter().map(case_from_row).collect()
}

/// Appends the list query to `q` (empty, or `EXPLAIN QUERY PLAN` in tests).
pub(crate) fn push_cases_query(q: &mut QueryBuilder<Sqlite>, f: &CaseFilter, page: Page) {
    q.push(concat!(case_select!(), " WHERE 1 = 1"));
    push_case_filter(q, f);
    if let Some(after) = page.after {
        q.push(" AND c.id > ").push_bind(after);
    }
    q.push(" ORDER BY c.id LIMIT ").push_bind(page_limit(&page));
}

pub(crate) async fn count_cases(c: &mut SqliteConnection, f: &CaseFilter) -> Result<u64> {
    let mut q = QueryBuilder::new("");
    push_count_cases_query(&mut q, f);
    let n: i64 = q.build_query_scalar().fetch_one(c).await.map_err(db)?;
    u64::try_from(n).map_err(|_| StoreError::corrupt("cases.count", "negative count"))
}

/// Appends the count query to `q`.
pub(crate) fn push_count_cases_query(q: &mut QueryBuilder<Sqlite>, f: &CaseFilter) {
    q.push("SELECT count(*) FROM cases c WHERE 1 = 1");
    push_case_filter(q, f);
}

pub(crate) async fn cases_by_cpr(c: &mut SqliteConnection, provider: ProviderId, cpr: &Cpr) -> Result<Vec<Case>> {
    let rows = sqlx::query(concat!(
        case_select!(),
        " WHERE c.provider_id = ?1 AND c.child_cpr = ?2 ORDER BY c.opened_on DESC, c.id DESC"
    ))
    .bind(provider.uuid())
    .bind(cpr.reveal())
    .fetch_all(c)
    .await
    .map_err(db)?;
    rows.iter().map(case_from_row).collect()
}

// --- Family members ---

macro_rules! family_member_select {
    () => {
        "SELECT id, case_id, name, relation, roles, phone, email, address, address_protected FROM family_members"
    };
}

fn family_member_from_row(row: &SqliteRow) -> Result<FamilyMember> {
    Ok(FamilyMember {
        id: id(row, "family_members.id")?,
        case_id: id(row, "family_members.case_id")?,
        name: text(row, "family_members.name")?,
        relation: enum_code(row, "family_members.relation")?,
        roles: from_json(row, "family_members.roles")?,
        phone: opt_text(row, "family_members.phone")?,
        email: opt_text(row, "family_members.email")?,
        address: opt_text(row, "family_members.address")?,
        address_protected: get(row, "family_members.address_protected")?,
    })
}

pub(crate) async fn insert_family_member(c: &mut SqliteConnection, m: &FamilyMember) -> Result<()> {
    sqlx::query(
        "INSERT INTO family_members (id, case_id, name, relation, roles, phone, email, address, address_protected)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )
    .bind(m.id.uuid())
    .bind(m.case_id.uuid())
    .bind(m.name.as_str())
    .bind(code(&m.relation)?)
    .bind(json(&m.roles)?)
    .bind(m.phone.as_ref().map(|t| t.as_str().to_owned()))
    .bind(m.email.as_ref().map(|t| t.as_str().to_owned()))
    .bind(m.address.as_ref().map(|t| t.as_str().to_owned()))
    .bind(m.address_protected)
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn update_family_member(c: &mut SqliteConnection, m: &FamilyMember) -> Result<()> {
    let done = sqlx::query(
        "UPDATE family_members SET case_id = ?2, name = ?3, relation = ?4, roles = ?5, phone = ?6, email = ?7,
                                   address = ?8, address_protected = ?9
         WHERE id = ?1",
    )
    .bind(m.id.uuid())
    .bind(m.case_id.uuid())
    .bind(m.name.as_str())
    .bind(code(&m.relation)?)
    .bind(json(&m.roles)?)
    .bind(m.phone.as_ref().map(|t| t.as_str().to_owned()))
    .bind(m.email.as_ref().map(|t| t.as_str().to_owned()))
    .bind(m.address.as_ref().map(|t| t.as_str().to_owned()))
    .bind(m.address_protected)
    .execute(c)
    .await
    .map_err(db)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(crate) async fn family_member(c: &mut SqliteConnection, id: FamilyMemberId) -> Result<FamilyMember> {
    let row = sqlx::query(concat!(family_member_select!(), " WHERE id = ?1"))
        .bind(id.uuid())
        .fetch_optional(c)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound)?;
    family_member_from_row(&row)
}

pub(crate) async fn family_members(c: &mut SqliteConnection, case: CaseId) -> Result<Vec<FamilyMember>> {
    let rows = sqlx::query(concat!(family_member_select!(), " WHERE case_id = ?1 ORDER BY id"))
        .bind(case.uuid())
        .fetch_all(c)
        .await
        .map_err(db)?;
    let members = rows.iter().map(family_member_from_row).collect::<Result<Vec<_>>>()?;
    Ok(samvirke_store::sort_by_danish_name(members, |m| m.name.as_str()))
}

// --- Committee decisions ---

fn decision_from_row(row: &SqliteRow) -> Result<CommitteeDecision> {
    Ok(CommitteeDecision {
        id: id(row, "committee_decisions.id")?,
        case_id: id(row, "committee_decisions.case_id")?,
        kind: enum_code(row, "committee_decisions.kind")?,
        grounds: from_json(row, "committee_decisions.grounds")?,
        period: date_range(row, "committee_decisions.period_start", "committee_decisions.period_end")?,
        decided_on: date(row, "committee_decisions.decided_on")?,
        note: opt_text(row, "committee_decisions.note")?,
        recorded_at: ts(row, "committee_decisions.recorded_at")?,
    })
}

pub(crate) async fn insert_decision(c: &mut SqliteConnection, d: &CommitteeDecision) -> Result<()> {
    sqlx::query(
        "INSERT INTO committee_decisions (id, case_id, kind, grounds, period_start, period_end, decided_on, note,
                                          recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )
    .bind(d.id.uuid())
    .bind(d.case_id.uuid())
    .bind(code(&d.kind)?)
    .bind(json(&d.grounds)?)
    .bind(day(d.period.start))
    .bind(day(d.period.end))
    .bind(day(d.decided_on))
    .bind(d.note.as_ref().map(|t| t.as_str().to_owned()))
    .bind(micros(d.recorded_at))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn decisions(c: &mut SqliteConnection, case: CaseId) -> Result<Vec<CommitteeDecision>> {
    let rows = sqlx::query(
        "SELECT id, case_id, kind, grounds, period_start, period_end, decided_on, note, recorded_at
         FROM committee_decisions WHERE case_id = ?1 ORDER BY period_start, id",
    )
    .bind(case.uuid())
    .fetch_all(c)
    .await
    .map_err(db)?;
    rows.iter().map(decision_from_row).collect()
}

// --- Suspensions ---

fn suspension_from_row(row: &SqliteRow) -> Result<VisitationSuspension> {
    Ok(VisitationSuspension {
        id: id(row, "visitation_suspensions.id")?,
        case_id: id(row, "visitation_suspensions.case_id")?,
        period: date_range(row, "visitation_suspensions.period_start", "visitation_suspensions.period_end")?,
        decided_on: date(row, "visitation_suspensions.decided_on")?,
        requested_by_child: get(row, "visitation_suspensions.requested_by_child")?,
        note: opt_text(row, "visitation_suspensions.note")?,
        recorded_at: ts(row, "visitation_suspensions.recorded_at")?,
    })
}

pub(crate) async fn insert_suspension(c: &mut SqliteConnection, s: &VisitationSuspension) -> Result<()> {
    sqlx::query(
        "INSERT INTO visitation_suspensions (id, case_id, period_start, period_end, decided_on, requested_by_child,
                                             note, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .bind(s.id.uuid())
    .bind(s.case_id.uuid())
    .bind(day(s.period.start))
    .bind(day(s.period.end))
    .bind(day(s.decided_on))
    .bind(s.requested_by_child)
    .bind(s.note.as_ref().map(|t| t.as_str().to_owned()))
    .bind(micros(s.recorded_at))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn suspensions(c: &mut SqliteConnection, case: CaseId) -> Result<Vec<VisitationSuspension>> {
    let rows = sqlx::query(
        "SELECT id, case_id, period_start, period_end, decided_on, requested_by_child, note, recorded_at
         FROM visitation_suspensions WHERE case_id = ?1 ORDER BY period_start, id",
    )
    .bind(case.uuid())
    .fetch_all(c)
    .await
    .map_err(db)?;
    rows.iter().map(suspension_from_row).collect()
}

// --- Consents ---

macro_rules! consent_select {
    () => {
        "SELECT id, case_id, referral_id, giver_family_member_id, purpose, given_at, withdrawn_at, recorded_by, note
         FROM consents"
    };
}

fn consent_from_row(row: &SqliteRow) -> Result<Consent> {
    let giver = match opt_id(row, "consents.giver_family_member_id")? {
        Some(m) => ConsentGiver::FamilyMember(m),
        None => ConsentGiver::Child,
    };
    Ok(Consent {
        id: id(row, "consents.id")?,
        case_id: id(row, "consents.case_id")?,
        referral_id: opt_id(row, "consents.referral_id")?,
        giver,
        purpose: enum_code(row, "consents.purpose")?,
        given_at: ts(row, "consents.given_at")?,
        withdrawn_at: opt_ts(row, "consents.withdrawn_at")?,
        recorded_by: id(row, "consents.recorded_by")?,
        note: opt_text(row, "consents.note")?,
    })
}

pub(crate) async fn insert_consent(c: &mut SqliteConnection, k: &Consent) -> Result<()> {
    let giver = match k.giver {
        ConsentGiver::Child => None,
        ConsentGiver::FamilyMember(m) => Some(m.uuid()),
    };
    sqlx::query(
        "INSERT INTO consents (id, case_id, referral_id, giver_family_member_id, purpose, given_at, withdrawn_at,
                               recorded_by, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )
    .bind(k.id.uuid())
    .bind(k.case_id.uuid())
    .bind(k.referral_id.map(ReferralId::uuid))
    .bind(giver)
    .bind(code(&k.purpose)?)
    .bind(micros(k.given_at))
    .bind(k.withdrawn_at.map(micros))
    .bind(k.recorded_by.uuid())
    .bind(k.note.as_ref().map(|t| t.as_str().to_owned()))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn withdraw_consent(c: &mut SqliteConnection, id: ConsentId, at: Timestamp) -> Result<()> {
    let done = sqlx::query("UPDATE consents SET withdrawn_at = ?2 WHERE id = ?1 AND withdrawn_at IS NULL")
        .bind(id.uuid())
        .bind(micros(at))
        .execute(&mut *c)
        .await
        .map_err(db)?;
    if done.rows_affected() > 0 {
        return Ok(());
    }
    let exists =
        sqlx::query("SELECT 1 FROM consents WHERE id = ?1").bind(id.uuid()).fetch_optional(c).await.map_err(db)?;
    Err(if exists.is_some() { StoreError::Conflict(Conflict::AlreadyWithdrawn) } else { StoreError::NotFound })
}

pub(crate) async fn consent(c: &mut SqliteConnection, id: ConsentId) -> Result<Consent> {
    let row = sqlx::query(concat!(consent_select!(), " WHERE id = ?1"))
        .bind(id.uuid())
        .fetch_optional(c)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound)?;
    consent_from_row(&row)
}

pub(crate) async fn consents(c: &mut SqliteConnection, case: CaseId) -> Result<Vec<Consent>> {
    let rows = sqlx::query(concat!(consent_select!(), " WHERE case_id = ?1 ORDER BY given_at, id"))
        .bind(case.uuid())
        .fetch_all(c)
        .await
        .map_err(db)?;
    rows.iter().map(consent_from_row).collect()
}
