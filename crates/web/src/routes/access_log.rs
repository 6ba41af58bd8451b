//! Who looked: a case's entries of the audit log, for those who answer for the
//! case, and a person's own, for the family (the right of access to the log
//! entries about one's data, CJEU C-579/21).

use super::prelude::*;
use samvirke_domain::audit::{AuditAction, AuditEntry};
use samvirke_domain::policy::ActorKind;
use samvirke_domain::user::{Role, User};
use samvirke_store::StoreError;
use std::collections::HashMap;

/// The tag of these routes.
pub const TAG: &str = "access-log";

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(of_case)).routes(routes!(own))
}

/// A page of the log, newest first.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LogQuery {
    /// Entries per page, 1–1000 (default 100).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    pub limit: Option<String>,
    /// The `next_before` of the previous page.
    #[param(value_type = Option<u64>)]
    pub before: Option<String>,
}

impl LogQuery {
    fn parse(&self) -> ApiResult<(u32, Option<u64>)> {
        let mut v = Validator::new();
        let limit = PageQuery { limit: self.limit.clone(), after: None }.limit(&mut v);
        let before = v.check(
            "before",
            match self.before.as_deref().map(str::trim) {
                None | Some("") => Ok(None),
                Some(s) => s.parse::<u64>().map(Some).map_err(|_| Problem::OutOfRange { min: 1, max: i64::MAX }),
            },
        );
        Ok(v.build(|| (limit.unwrap(), before.unwrap()))?)
    }
}

/// Who did it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Who {
    /// The name shown of the account; for the family's own log only of staff.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The account's role (`coordinator`, `parent`, …).
    pub role: String,
}

/// One entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessLogEntry {
    /// The entry's position in the log.
    pub seq: u64,
    /// When.
    pub at: jiff::Timestamp,
    /// Who; absent for the system itself (a command such as erasure), or an account since erased.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub who: Option<Who>,
    /// What was done.
    pub action: AuditAction,
    /// The kind of record (`case`, `journal_entry`, …).
    pub record_kind: String,
    /// Through which route of the API (a template, never the filled-in path).
    pub route: Option<String>,
}

/// A page of entries.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessLog {
    /// The entries, newest first.
    pub items: Vec<AccessLogEntry>,
    /// Pass as `before` for the next page; absent on a page that is not full.
    pub next_before: Option<u64>,
}

/// The accounts behind entries, each read once.
struct Names(HashMap<UserId, Option<User>>);

impl Names {
    async fn who(
        &mut self,
        tx: &mut dyn samvirke_store::Tx,
        id: Option<UserId>,
        staff_names_only: bool,
    ) -> ApiResult<Option<Who>> {
        let Some(id) = id else { return Ok(None) };
        if let std::collections::hash_map::Entry::Vacant(slot) = self.0.entry(id) {
            slot.insert(match tx.user(id).await {
                Ok(user) => Some(user),
                Err(StoreError::NotFound) => None,
                Err(e) => return Err(e.into()),
            });
        }
        Ok(self.0[&id].as_ref().map(|u| Who {
            name: (!staff_names_only || matches!(u.role, Role::Staff(_))).then(|| u.display_name.to_string()),
            role: u.role.code().into(),
        }))
    }
}

async fn page(
    tx: &mut dyn samvirke_store::Tx,
    entries: Vec<AuditEntry>,
    limit: u32,
    staff_names_only: bool,
) -> ApiResult<AccessLog> {
    let mut names = Names(HashMap::new());
    let next_before = (entries.len() == limit as usize).then(|| entries.last().map(|e| e.seq)).flatten();
    let mut items = Vec::with_capacity(entries.len());
    for e in entries {
        items.push(AccessLogEntry {
            seq: e.seq,
            at: e.event.at,
            who: names.who(tx, e.event.actor, staff_names_only).await?,
            action: e.event.action,
            record_kind: e.event.record_kind,
            route: e.event.route,
        });
    }
    Ok(AccessLog { items, next_before })
}

/// Who accessed a case
///
/// The case's entries of the audit log, newest first: who (name and role),
/// when, what and through which route. For the coordinator, team lead and
/// admin of the case's provider.
#[utoipa::path(get, path = "/cases/{id}/access-log", tag = TAG, params(("id" = CaseId, Path), LogQuery), responses((status = 200, body = AccessLog)))]
async fn of_case(
    State(app): State<AppState>,
    Path(case): Path<CaseId>,
    Query(q): Query<LogQuery>,
) -> ApiResult<Json<AccessLog>> {
    let (limit, before) = q.parse()?;
    let mut tx = app.read().await?;
    tx.case(case).await?;
    let entries = tx.audit_for_case(case, before, limit).await?;
    Ok(Json(page(&mut *tx, entries, limit, false).await?))
}

/// Who accessed my data
///
/// For a parent or young person: the entries about their case, newest first
/// (who — the role, and the name of staff — when and what). For staff: what
/// their own account did.
#[utoipa::path(get, path = "/me/access-log", tag = TAG, params(LogQuery), responses((status = 200, body = AccessLog)))]
async fn own(
    State(app): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Query(q): Query<LogQuery>,
) -> ApiResult<Json<AccessLog>> {
    let (limit, before) = q.parse()?;
    let mut tx = app.read().await?;
    let (entries, family) = match actor.who {
        ActorKind::FamilyMember { case, .. } | ActorKind::Child { case } => {
            (tx.audit_for_case(case, before, limit).await?, true)
        }
        ActorKind::ProviderStaff { .. } | ActorKind::MunicipalStaff { .. } => {
            (tx.audit_for_actor(actor.user_id, before, limit).await?, false)
        }
    };
    Ok(Json(page(&mut *tx, entries, limit, family).await?))
}
