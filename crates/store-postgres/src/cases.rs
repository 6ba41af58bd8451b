//! Cases and family members.

use crate::encode::*;
use samvirke_domain::case::{Case, CaseReference, Child, FamilyMember};
use samvirke_domain::cpr::Cpr;
use samvirke_domain::*;
use samvirke_store::{CaseFilter, Page, Result};
use sqlx::postgres::{PgConnection, PgRow};
use sqlx::{Postgres, QueryBuilder};

// --- Cases ---

macro_rules! case_sql {
    ($($rest:literal)?) => {
        concat!(
            "SELECT c.id, c.reference, c.provider_id, c.municipality_id, c.child_name, c.child_cpr, \
             c.placement, c.opened_on, c.closed_on, c.created_at, c.revision FROM cases c"
            $(, $rest)?
        )
    };
}

fn case_from_row(r: &PgRow) -> Result<Case> {
    let cpr: String = get(r, "cases.child_cpr")?;
    Ok(Case {
        id: id(r, "cases.id")?,
        reference: CaseReference::from_stored(get(r, "cases.reference")?),
        provider_id: id(r, "cases.provider_id")?,
        municipality_id: id(r, "cases.municipality_id")?,
        child: Child {
            name: text(r, "cases.child_name")?,
            cpr: Cpr::parse(&cpr).map_err(|p| problem("cases.child_cpr", &p))?,
        },
        placement: json_col_opt(r, "cases.placement")?,
        opened_on: day(r, "cases.opened_on")?,
        closed_on: day_opt(r, "cases.closed_on")?,
        created_at: timestamp(r, "cases.created_at")?,
        revision: u32_(r, "cases.revision")?,
    })
}

pub(crate) async fn insert_case(c: &mut PgConnection, k: &Case) -> Result<()> {
    sqlx::query(
        "INSERT INTO cases (id, reference, provider_id, municipality_id, child_name, child_cpr, placement, \
         opened_on, closed_on, created_at, revision) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(k.id.0)
    .bind(k.reference.as_str())
    .bind(k.provider_id.0)
    .bind(k.municipality_id.0)
    .bind(k.child.name.as_str())
    .bind(k.child.cpr.reveal())
    .bind(json_opt(k.placement.as_ref())?)
    .bind(date(k.opened_on))
    .bind(k.closed_on.map(date))
    .bind(ts(k.created_at))
    .bind(i64::from(k.revision))
    .execute(c)
    .await
    .map_err(err)?;
    Ok(())
}

pub(crate) async fn update_case(c: &mut PgConnection, k: &mut Case) -> Result<()> {
    let done = sqlx::query(
        "UPDATE cases SET reference = $3, provider_id = $4, municipality_id = $5, child_name = $6, \
         child_cpr = $7, placement = $8, opened_on = $9, closed_on = $10, revision = revision + 1 \
         WHERE id = $1 AND revision = $2",
    )
    .bind(k.id.0)
    .bind(i64::from(k.revision))
    .bind(k.reference.as_str())
    .bind(k.provider_id.0)
    .bind(k.municipality_id.0)
    .bind(k.child.name.as_str())
    .bind(k.child.cpr.reveal())
    .bind(json_opt(k.placement.as_ref())?)
    .bind(date(k.opened_on))
    .bind(k.closed_on.map(date))
    .execute(&mut *c)
    .await
    .map_err(err)?;
    if done.rows_affected() == 0 {
        return Err(stale_or_missing(c, "SELECT EXISTS (SELECT 1 FROM cases WHERE id = $1)", k.id.0).await);
    }
    k.revision += 1;
    Ok(())
}

pub(crate) async fn case(c: &mut PgConnection, id: CaseId) -> Result<Case> {
    let row = sqlx::query(case_sql!(" WHERE c.id = $1")).bind(id.0).fetch_one(c).await.map_err(err)?;
    case_from_row(&row)
}

/// Appends the filter's conditions to a query over `cases c` that ends in `WHERE TRUE`.
fn push_case_filter(q: &mut QueryBuilder<Postgres>, f: &CaseFilter) {
    if let Some(p) = f.provider {
        q.push(" AND c.provider_id = ").push_bind(p.0);
    }
    if let Some(m) = f.municipality {
        q.push(" AND c.municipality_id = ").push_bind(m.0);
    }
    if let Some(s) = f.staff {
        // Driven from the staff member's side: each branch is an index lookup
        // on staff_id, so the set stays small even on a national data set.
        q.push(" AND c.id IN (SELECT r.case_id FROM referrals r WHERE r.coordinator_id = ")
            .push_bind(s.0)
            .push(
                " UNION SELECT r.case_id FROM referral_practitioners rp \
                 JOIN referrals r ON r.id = rp.referral_id WHERE rp.staff_id = ",
            )
            .push_bind(s.0)
            .push(
                " UNION SELECT a.case_id FROM appointment_staff s \
                 JOIN appointments a ON a.id = s.appointment_id WHERE s.staff_id = ",
            )
            .push_bind(s.0)
            .push(")");
    }
    if f.open_only {
        q.push(" AND c.closed_on IS NULL");
    }
}

pub(crate) async fn cases(c: &mut PgConnection, f: &CaseFilter, page: Page) -> Result<Vec<Case>> {
    let mut q = QueryBuilder::<Postgres>::new(case_sql!(" WHERE TRUE"));
    push_case_filter(&mut q, f);
    if let Some(after) = page.after {
        q.push(" AND c.id > ").push_bind(after);
    }
    q.push(" ORDER BY c.id LIMIT ").push_bind(i64::from(page.limit.clamp(1, Page::MAX)));
    let rows = q.build().fetch_all(c).await.map_err(err)?;
    rows.iter().map(case_from_row).collect()
}

pub(crate) async fn count_cases(c: &mut PgConnection, f: &CaseFilter) -> Result<u64> {
    let mut q = QueryBuilder::<Postgres>::new("SELECT count(*) FROM cases c WHERE TRUE");
    push_case_filter(&mut q, f);
    let n: i64 = q.build_query_scalar().fetch_one(c).await.map_err(err)?;
    Ok(n.unsigned_abs())
}

pub(crate) async fn cases_by_cpr(c: &mut PgConnection, provider: ProviderId, cpr: &Cpr) -> Result<Vec<Case>> {
    let rows = sqlx::query(case_sql!(
        " WHERE c.provider_id = $1 AND c.child_cpr = $2 ORDER BY c.opened_on DESC, c.created_at DESC, c.id DESC"
    ))
    .bind(provider.0)
    .bind(cpr.reveal())
    .fetch_all(c)
    .await
    .map_err(err)?;
    rows.iter().map(case_from_row).collect()
}

// --- Family members ---

macro_rules! family_member_sql {
    ($($rest:literal)?) => {
        concat!(
            "SELECT id, case_id, name, relation, roles, phone, email, address, address_protected \
             FROM family_members"
            $(, $rest)?
        )
    };
}

fn family_member_from_row(r: &PgRow) -> Result<FamilyMember> {
    Ok(FamilyMember {
        id: id(r, "family_members.id")?,
        case_id: id(r, "family_members.case_id")?,
        name: text(r, "family_members.name")?,
        relation: enum_code(r, "family_members.relation")?,
        roles: json_col(r, "family_members.roles")?,
        phone: text_opt(r, "family_members.phone")?,
        email: email_opt(r, "family_members.email")?,
        address: text_opt(r, "family_members.address")?,
        address_protected: get(r, "family_members.address_protected")?,
    })
}

pub(crate) async fn insert_family_member(c: &mut PgConnection, m: &FamilyMember) -> Result<()> {
    sqlx::query(
        "INSERT INTO family_members (id, case_id, name, relation, roles, phone, email, address, address_protected) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(m.id.0)
    .bind(m.case_id.0)
    .bind(m.name.as_str())
    .bind(code(&m.relation)?)
    .bind(json(&m.roles)?)
    .bind(m.phone.as_ref().map(|t| t.as_str()))
    .bind(m.email.as_ref().map(|e| e.as_str()))
    .bind(m.address.as_ref().map(|t| t.as_str()))
    .bind(m.address_protected)
    .execute(c)
    .await
    .map_err(err)?;
    Ok(())
}

pub(crate) async fn update_family_member(c: &mut PgConnection, m: &FamilyMember) -> Result<()> {
    let done = sqlx::query(
        "UPDATE family_members SET case_id = $2, name = $3, relation = $4, roles = $5, phone = $6, email = $7, \
         address = $8, address_protected = $9 WHERE id = $1",
    )
    .bind(m.id.0)
    .bind(m.case_id.0)
    .bind(m.name.as_str())
    .bind(code(&m.relation)?)
    .bind(json(&m.roles)?)
    .bind(m.phone.as_ref().map(|t| t.as_str()))
    .bind(m.email.as_ref().map(|e| e.as_str()))
    .bind(m.address.as_ref().map(|t| t.as_str()))
    .bind(m.address_protected)
    .execute(c)
    .await
    .map_err(err)?;
    expect_one(done)
}

pub(crate) async fn family_member(c: &mut PgConnection, id: FamilyMemberId) -> Result<FamilyMember> {
    let row = sqlx::query(family_member_sql!(" WHERE id = $1")).bind(id.0).fetch_one(c).await.map_err(err)?;
    family_member_from_row(&row)
}

pub(crate) async fn family_members(c: &mut PgConnection, case: CaseId) -> Result<Vec<FamilyMember>> {
    let rows = sqlx::query(family_member_sql!(" WHERE case_id = $1 ORDER BY id"))
        .bind(case.0)
        .fetch_all(c)
        .await
        .map_err(err)?;
    let members = rows.iter().map(family_member_from_row).collect::<Result<Vec<_>>>()?;
    Ok(samvirke_store::sort_by_danish_name(members, |m| m.name.as_str()))
}
