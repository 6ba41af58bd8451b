//! The audit log, as the web writes it: one entry for every allowed request
//! that touches personal data, written by the access check ([`crate::access`]),
//! which knows each route's action and target.
//!
//! What an entry says: the actor, an [`AuditAction`] mapped from the route
//! (`read`, `search`, `export`, `create`, `change`, `delete`), the kind and id
//! of the record (for a creation, the new record's id from the answer), the
//! case, the client's address and the route template (never the filled-in
//! path). A list or search writes one entry per case it showed (the cases
//! [`crate::access::Visibility`] let through), or one without a case when it
//! showed none.
//!
//! When it is written:
//!
//! - **A change is audited in its own transaction.** A handler's
//!   [`WriteTx::commit`] does not commit during an audited request: it hands the
//!   transaction to the request's audit slot. Once the handler has answered,
//!   the access check appends the entry to that transaction and commits both
//!   together; if that fails the client gets the error (nothing was changed,
//!   nothing was logged). The handlers commit as their last step, so nothing
//!   reads between the handing over and the commit.
//! - **A read is audited before its answer leaves.** After a handler answered a
//!   read with success, the entry is appended in a short write transaction of
//!   its own (a read snapshot cannot append; see the store crate) and committed
//!   before the answer is returned. If that fails, the answer is replaced by
//!   `503 unavailable`: no personal data leaves without its entry.
//! - Failed requests are not audited (they showed no record); refused ones are
//!   logged by the access check, without personal data.
//!
//! Sign-in, failed sign-in, sign-out, enrolment of a second factor and
//! password resets are written by their handlers ([`account_event`]).
//!
//! Cost: an audited read takes one more write transaction, which on SQLite
//! serialises with every other writer; see BENCHMARKS.md.

use crate::auth::ClientAddr;
use crate::error::ApiError;
use axum::body::Body;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use samvirke_domain::CaseId;
use samvirke_domain::UserId;
use samvirke_domain::audit::{AuditAction, AuditEvent};
use samvirke_store::{Store, Tx};
use std::collections::BTreeSet;
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Mutex};

tokio::task_local! {
    /// The audit slot of the request being handled, set by the access check around an audited handler.
    static SLOT: Arc<Slot>;
}

/// What a request's handler leaves for its audit entry: its write transaction,
/// and the cases a list showed.
#[derive(Default)]
pub struct Slot {
    inner: Mutex<SlotState>,
}

#[derive(Default)]
struct SlotState {
    held: Option<Box<dyn Tx>>,
    cases: BTreeSet<CaseId>,
}

impl Slot {
    fn hold(&self, tx: Box<dyn Tx>) -> Option<Box<dyn Tx>> {
        let mut state = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if state.held.is_some() {
            // A second write transaction in one request: commit it as it is (none does today).
            return Some(tx);
        }
        state.held = Some(tx);
        None
    }

    fn take(&self) -> (Option<Box<dyn Tx>>, BTreeSet<CaseId>) {
        let mut state = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        (state.held.take(), std::mem::take(&mut state.cases))
    }
}

/// Runs an audited handler with its slot.
pub async fn scope<F: Future>(slot: Arc<Slot>, f: F) -> F::Output {
    SLOT.scope(slot, f).await
}

/// Notes that a list showed records of this case (called by [`crate::access::Visibility`]).
pub fn note_case(case: CaseId) {
    let _ = SLOT.try_with(|slot| slot.inner.lock().unwrap_or_else(|e| e.into_inner()).cases.insert(case));
}

/// A read-write transaction of a handler. Use it as a [`Tx`]; [`commit`](Self::commit)
/// as the last step. During an audited request the commit is completed, with the
/// request's audit entry, by the access check once the handler has answered.
pub struct WriteTx {
    inner: Option<Box<dyn Tx>>,
}

impl WriteTx {
    /// A transaction of the handler.
    pub fn new(tx: Box<dyn Tx>) -> Self {
        Self { inner: Some(tx) }
    }

    /// The transaction itself, for code that takes it whole.
    pub fn into_inner(mut self) -> Box<dyn Tx> {
        self.inner.take().expect("a transaction")
    }

    /// Makes the writes durable: at once, or, in an audited request, together
    /// with its audit entry after the handler answered.
    pub async fn commit(mut self) -> samvirke_store::Result<()> {
        let tx = self.inner.take().expect("a transaction");
        let leftover = match SLOT.try_with(Arc::clone) {
            Ok(slot) => slot.hold(tx),
            Err(_) => Some(tx),
        };
        match leftover {
            Some(tx) => tx.commit().await,
            None => Ok(()),
        }
    }
}

impl Deref for WriteTx {
    type Target = dyn Tx;
    fn deref(&self) -> &(dyn Tx + 'static) {
        &**self.inner.as_ref().expect("a transaction")
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut (dyn Tx + 'static) {
        &mut **self.inner.as_mut().expect("a transaction")
    }
}

/// What the access check knows of an audited request before the handler runs.
#[derive(Debug, Clone)]
pub struct Planned {
    /// Who.
    pub actor: UserId,
    /// The route template.
    pub route: String,
    /// The method.
    pub method: Method,
    /// The kind of record.
    pub record_kind: &'static str,
    /// The record's id, when the path names it.
    pub record_id: Option<uuid::Uuid>,
    /// The case, when the target is one case.
    pub case_id: Option<CaseId>,
    /// A case being opened: its id comes from the answer.
    pub new_case: bool,
    /// A list or search over many cases: one entry per case shown.
    pub list: bool,
    /// From where.
    pub from: ClientAddr,
}

/// A page's answer to a form that created a record (a redirect to it, not a
/// `201`) names the record here, so that its entry says `create` and which.
#[derive(Debug, Clone, Copy)]
pub struct CreatedRecord(pub uuid::Uuid);

impl Planned {
    fn action(&self, status: StatusCode, created: bool) -> AuditAction {
        let last = self.route.rsplit('/').next().unwrap_or("");
        match self.method {
            Method::GET | Method::HEAD if last == "export" => AuditAction::Export,
            Method::GET | Method::HEAD if self.list => AuditAction::Search,
            Method::GET | Method::HEAD => AuditAction::Read,
            Method::POST if self.list => AuditAction::Search,
            Method::POST if status == StatusCode::CREATED || created => AuditAction::Create,
            Method::DELETE => AuditAction::Delete,
            _ => AuditAction::Change,
        }
    }

    fn events(&self, status: StatusCode, created: Option<uuid::Uuid>, cases: BTreeSet<CaseId>) -> Vec<AuditEvent> {
        let at = samvirke_domain::time::now();
        let action = self.action(status, created.is_some());
        let record_id = created.or(self.record_id);
        let case_id = match (self.new_case, created) {
            (true, Some(id)) => Some(CaseId::from(id)),
            _ => self.case_id,
        };
        let event = |case_id| AuditEvent {
            at,
            actor: Some(self.actor),
            action,
            record_kind: self.record_kind.to_string(),
            record_id,
            case_id,
            from: self.from.for_log(),
            route: Some(self.route.clone()),
        };
        if self.list && !cases.is_empty() {
            cases.into_iter().map(|c| event(Some(c))).collect()
        } else {
            vec![event(case_id)]
        }
    }
}

/// Completes an audited request after its handler answered: appends the entry
/// (to the handler's held transaction, or to one of its own) and commits.
pub async fn finish(store: &Arc<dyn Store>, plan: &Planned, slot: &Slot, response: Response) -> Response {
    let (held, cases) = slot.take();
    let status = response.status();
    if held.is_none() && !status.is_success() {
        return response;
    }
    let (response, created) = match response.extensions().get::<CreatedRecord>() {
        Some(record) => {
            let id = record.0;
            (response, Some(id))
        }
        None if status == StatusCode::CREATED => created_id(response).await,
        None => (response, None),
    };
    let events = plan.events(status, created, cases);
    let written = match held {
        Some(mut tx) => append_and_commit(&mut tx, &events).await.map(|()| tx),
        None => match store.begin().await {
            Ok(mut tx) => append_and_commit(&mut tx, &events).await.map(|()| tx),
            Err(e) => Err(e),
        },
    };
    match written {
        Ok(tx) => match tx.commit().await {
            Ok(()) => response,
            Err(e) => {
                tracing::error!(route = plan.route, "the audited request could not be committed");
                ApiError::from(e).into_response()
            }
        },
        Err(e) => {
            tracing::error!(route = plan.route, error = %e, "the audit entry could not be written: the answer is withheld");
            ApiError::Unavailable.into_response()
        }
    }
}

async fn append_and_commit(tx: &mut Box<dyn Tx>, events: &[AuditEvent]) -> samvirke_store::Result<()> {
    tx.append_audit(events).await.map(|_| ())
}

/// The `id` of the record a `201` answer carries, with the answer rebuilt.
async fn created_id(response: Response) -> (Response, Option<uuid::Uuid>) {
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return (ApiError::Internal.into_response(), None);
    };
    let id = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| v.get("id").and_then(|id| id.as_str()).and_then(|s| s.parse().ok()));
    (Response::from_parts(parts, Body::from(bytes)), id)
}

/// The kind of record a route acts on, and the path parameter that names it:
/// the record named last in the path, or the collection a list or creation is of.
pub fn record_of(route: &str) -> (&'static str, Option<&str>) {
    let segments: Vec<&str> = route.trim_start_matches("/api/v1/").split('/').collect();
    fn param(s: &str) -> Option<&str> {
        s.strip_prefix('{').and_then(|s| s.strip_suffix('}'))
    }
    match segments.as_slice() {
        [.., collection, last] if param(last).is_some() => (kind(collection, None), param(last)),
        [.., parent, id, last] if param(id).is_some() => {
            if STEPS.contains(last) {
                (kind(parent, None), param(id))
            } else {
                (kind(last, Some(parent)), None)
            }
        }
        [.., last] => (kind(last, None), None),
        [] => ("record", None),
    }
}

/// The steps of a workflow: they change the record in the path.
const STEPS: &[&str] = &[
    "accept",
    "reject",
    "activate",
    "begin-ending",
    "close",
    "withdraw",
    "submit",
    "return",
    "approve",
    "send",
    "archive",
    "outcome",
    "family-review",
    "move",
    "review",
    "phase",
];

fn kind(segment: &str, parent: Option<&str>) -> &'static str {
    match (segment, parent) {
        ("cases" | "search" | "export", _) => "case",
        ("family-members", _) => "family_member",
        ("family-view", _) => "family_view",
        ("referrals", _) => "referral",
        ("versions", Some("referrals")) => "referral_version",
        ("versions", Some("documents")) => "document_version",
        ("decisions" | "expiring", _) => "decision",
        ("suspensions", _) => "suspension",
        ("consents" | "required-consents", _) => "consent",
        ("appointments" | "calendar" | "check", _) => "appointment",
        ("journal-entries", _) => "journal_entry",
        ("documents" | "corrections", _) => "document",
        ("outbox", _) => "outbox_message",
        ("duties", _) => "duty",
        ("overview" | "my-day", _) => "duty",
        ("description", _) => "document",
        ("orders" | "courses", _) => "referral",
        ("new", Some("orders")) => "case",
        ("plan" | "series", Some("referrals")) => "appointment",
        ("action-plan" | "goals", _) => "action_plan",
        ("action-plans", _) => "action_plan",
        ("reviews", _) => "action_plan_review",
        ("focus-areas", _) => "focus_area",
        ("time-entries" | "hours", _) => "time_entry",
        ("staff", _) => "staff",
        ("absences", _) => "absence",
        ("shifts", _) => "offered_shift",
        ("planning" | "accept", _) => "appointment",
        ("access-log", _) => "audit_entry",
        _ => "record",
    }
}

/// An event about an account (sign-in, sign-out, a reset), at `now`.
pub fn account_event(
    actor: Option<UserId>,
    action: AuditAction,
    account: Option<UserId>,
    from: ClientAddr,
    route: &str,
) -> AuditEvent {
    AuditEvent {
        at: samvirke_domain::time::now(),
        actor,
        action,
        record_kind: "user".into(),
        record_id: account.map(|u| u.0),
        case_id: None::<CaseId>,
        from: from.for_log(),
        route: Some(route.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_audited_route_names_a_kind_of_record() {
        for (method, path, policy) in crate::access::TABLE {
            if crate::access::audited(policy) {
                let (kind, _) = record_of(path);
                assert_ne!(kind, "record", "{method} {path}");
            }
        }
    }

    #[test]
    fn the_record_is_the_one_named_last_or_the_collection() {
        assert_eq!(record_of("/api/v1/cases/{id}"), ("case", Some("id")));
        assert_eq!(record_of("/api/v1/cases/{id}/journal-entries"), ("journal_entry", None));
        assert_eq!(record_of("/api/v1/referrals/{id}/accept"), ("referral", Some("id")));
        assert_eq!(record_of("/api/v1/referrals/{id}/time-entries/{entry_id}"), ("time_entry", Some("entry_id")));
        assert_eq!(record_of("/api/v1/documents/{id}/versions"), ("document_version", None));
        assert_eq!(record_of("/api/v1/appointments"), ("appointment", None));
        assert_eq!(record_of("/api/v1/cases/search"), ("case", None));
    }
}
