//! Documents sent out of the provider: written descriptions of visits, status
//! letters and closing letters. Each has versions; a sent document is never
//! changed (a correction is a new document that names the one it corrects).
//!
//! A document moves through the domain's report workflow (draft → coordinator
//! review → family review → sent → archived): each step is one `POST`, judged
//! by `Document::check` with a `ReportContext` read from the store, and refused
//! with `409 rule` when a rule blocks it. Sending stores the sending time and
//! the outbox message of what was sent in the same transaction. Every answer
//! lists the `allowed_actions` of the document now.

use super::prelude::*;
use crate::access::report_read;
use crate::facts::DocumentFacts;
use samvirke_domain::document::{
    Document, DocumentKind, DocumentState, DocumentVersion, ReportAction, check_new_description,
};
use samvirke_domain::policy::ActorKind;
use samvirke_domain::protection::check_no_secret_address;
use samvirke_domain::text::{LongText, ShortText};
use samvirke_store::{DocumentFilter, Page, Tx};

/// The tag of these routes.
pub const TAG: &str = "documents";

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one))
        .routes(routes!(versions, add_version))
        .routes(routes!(submit))
        .routes(routes!(return_to_author))
        .routes(routes!(approve))
        .routes(routes!(family_review))
        .routes(routes!(send))
        .routes(routes!(archive))
        .routes(routes!(corrections))
}

/// A document and what can be done with it now.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentView {
    /// The document.
    #[serde(flatten)]
    pub document: Document,
    /// The actions open now: those the workflow allows and no rule blocks, judged
    /// with the current version at the time of the request.
    pub allowed_actions: Vec<ReportAction>,
}

impl DocumentView {
    fn new(document: Document, case: &CaseFacts, facts: &DocumentFacts, now: jiff::Timestamp) -> Self {
        let allowed_actions = crate::facts::document_actions(&document, case, facts, now);
        Self { document, allowed_actions }
    }

    /// Reads what the rules need and judges the document.
    pub(crate) async fn load(tx: &mut dyn Tx, document: Document) -> ApiResult<Self> {
        let case = CaseFacts::load(tx, document.case_id).await?;
        let facts = DocumentFacts::load(tx, &document).await?;
        Ok(Self::new(document, &case, &facts, parse::now()))
    }
}

/// A new document, with its first version.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DocumentInput {
    /// The referral (the case follows from it).
    #[schema(required = true, value_type = ReferralId)]
    pub referral_id: Option<String>,
    /// The visit it describes: required for a written description, a visit of the referral.
    #[schema(value_type = Option<AppointmentId>)]
    pub appointment_id: Option<String>,
    /// Kind.
    #[schema(required = true, value_type = DocumentKind)]
    pub kind: Option<String>,
    /// Title.
    #[schema(required = true, value_type = String)]
    pub title: Option<String>,
    /// The text of the first version.
    #[schema(required = true, value_type = String)]
    pub body: Option<String>,
    /// The child's own views, from a conversation with the child (status and closing letters
    /// about a child of 10 or more carry them: `child_views_from_10`).
    pub child_views: Option<String>,
}

/// Which documents to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentQuery {
    /// Of this case.
    #[param(value_type = Option<CaseId>)]
    pub case_id: Option<String>,
    /// Of this referral.
    #[param(value_type = Option<ReferralId>)]
    pub referral_id: Option<String>,
    /// About this appointment.
    #[param(value_type = Option<AppointmentId>)]
    pub appointment_id: Option<String>,
    /// Of this kind.
    #[param(value_type = Option<DocumentKind>)]
    pub kind: Option<String>,
    /// In one of these states, comma-separated (`draft,family_review`).
    pub state: Option<String>,
    /// At this provider.
    #[param(value_type = Option<ProviderId>)]
    pub provider_id: Option<String>,
}

/// List documents
///
/// In creation order; only the documents the signed-in user may read (drafts
/// only for those who read drafts).
#[utoipa::path(get, path = "/documents", tag = TAG, params(DocumentQuery, PageQuery), responses((status = 200, body = Paged<DocumentView>)))]
async fn list(
    State(app): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Query(q): Query<DocumentQuery>,
    Query(p): Query<PageQuery>,
) -> ApiResult<Json<Paged<DocumentView>>> {
    let mut v = Validator::new();
    let case = v.check("case_id", parse::opt_id(&q.case_id));
    let referral = v.check("referral_id", parse::opt_id(&q.referral_id));
    let appointment = v.check("appointment_id", parse::opt_id(&q.appointment_id));
    let kind = v.check("kind", parse::opt_code(&q.kind));
    let states = v.check("state", parse::codes(&q.state));
    let provider = v.check("provider_id", parse::opt_id(&q.provider_id));
    let page = p.page(&mut v);
    let filter = v.build(|| DocumentFilter {
        case: case.unwrap(),
        referral: referral.unwrap(),
        appointment: appointment.unwrap(),
        kind: kind.unwrap(),
        states: states.unwrap(),
        provider: provider.unwrap(),
    })?;
    let page = page.expect("checked");
    let mut seen = Visibility::new(actor);
    let belongs = seen.belongs();
    let (Some(case), Some(provider)) = (narrow(filter.case, belongs.case), narrow(filter.provider, belongs.provider))
    else {
        return Ok(Json(Paged::all(vec![])));
    };
    let filter = DocumentFilter { case, provider, ..filter };
    let mut tx = app.read().await?;
    let mut shown = Vec::new();
    let mut after = page.after;
    let mut next_after = None;
    'pages: loop {
        let batch = tx.documents(&filter, Page { limit: page.limit, after }).await?;
        let full = batch.len() == page.limit as usize;
        for document in batch {
            after = Some(document.id.uuid());
            if seen.may(&mut *tx, report_read(document.state), document.case_id).await? {
                shown.push(document);
                if shown.len() == page.limit as usize {
                    next_after = after.map(|id| id.to_string());
                    break 'pages;
                }
            }
        }
        if !full {
            break;
        }
    }
    // The facts of each case and referral are read once for the page; each document's version and visit, per document.
    let mut cache = crate::facts::CaseFactsCache::default();
    let now = parse::now();
    let mut items = Vec::with_capacity(shown.len());
    for document in shown {
        let referral = cache.referral(&mut *tx, document.referral_id).await?.clone();
        let facts = DocumentFacts::load_with(&mut *tx, &document, referral).await?;
        let case = cache.case(&mut *tx, document.case_id).await?;
        items.push(DocumentView::new(document, case, &facts, now));
    }
    Ok(Json(Paged { items, next_after }))
}

/// Start a document
///
/// The document starts as a draft with its text as version 1. A written
/// description describes a visit of the referral; in supported visitation it
/// exists only when the parents' consent to written descriptions was in force
/// at the time of the visit.
#[utoipa::path(post, path = "/documents", tag = TAG, request_body = DocumentInput, responses(
    (status = 201, body = DocumentView),
    (status = 409, description = "A rule blocks it (`rule`: `description_needs_consent`, or `report_workflow` when the appointment is not a visit of the referral).", body = ErrorBody),
))]
pub(crate) async fn create(
    State(app): State<AppState>,
    actor: CurrentActor,
    Json(input): Json<DocumentInput>,
) -> ApiResult<Created<DocumentView>> {
    let author_id = actor.staff_id()?;
    let mut v = Validator::new();
    let referral_id: Option<ReferralId> = v.check("referral_id", parse::id(&input.referral_id));
    let appointment_id: Option<Option<AppointmentId>> = v.check("appointment_id", parse::opt_id(&input.appointment_id));
    let kind: Option<DocumentKind> = v.check("kind", parse::code(&input.kind));
    let title = v.check("title", parse::text(&input.title));
    let body = v.check("body", parse::text(&input.body));
    let child_views = v.check("child_views", parse::opt_text(&input.child_views));
    if kind == Some(DocumentKind::WrittenDescription) && appointment_id == Some(None) {
        v.push("appointment_id", Problem::Required);
    }

    let mut tx = app.write().await?;
    let referral = known(&mut v, &mut *tx, "referral_id", referral_id).await?;
    let mut visit = None;
    if let Some(referral) = &referral {
        visit = known_in_case(&mut v, &mut *tx, "appointment_id", appointment_id.flatten(), referral.case_id).await?;
    }
    v.finish()?;
    let referral = referral.expect("checked");
    let case = CaseFacts::load(&mut *tx, referral.case_id).await?;
    if let (Some(DocumentKind::WrittenDescription), Some(visit)) = (kind, &visit) {
        check_new_description(&referral, &case.members, &case.consents, visit)?;
    }
    let now = parse::now();
    let document = Document {
        id: DocumentId::new(),
        case_id: referral.case_id,
        referral_id: referral.id,
        appointment_id: appointment_id.flatten(),
        kind: kind.expect("checked"),
        title: title.expect("checked"),
        state: DocumentState::Draft,
        corrects: None,
        created_at: now,
        current_version: 1,
        sent_at: None,
        revision: 1,
    };
    let first = DocumentVersion {
        document_id: document.id,
        version: 1,
        body: body.expect("checked"),
        family_comment: None,
        child_views: child_views.expect("checked"),
        family_read_at: None,
        author_id,
        created_at: now,
    };
    tx.insert_document(&document, &first).await?;
    tx.commit().await?;
    let facts = DocumentFacts { referral, appointment: visit, version: first };
    Ok(created(DocumentView::new(document, &case, &facts, now)))
}

/// One document
#[utoipa::path(get, path = "/documents/{id}", tag = TAG, params(("id" = DocumentId, Path)), responses((status = 200, body = DocumentView)))]
async fn get_one(State(app): State<AppState>, Path(id): Path<DocumentId>) -> ApiResult<Json<DocumentView>> {
    let mut tx = app.read().await?;
    let document = tx.document(id).await?;
    Ok(Json(DocumentView::load(&mut *tx, document).await?))
}

/// Every version of a document
///
/// Oldest first.
#[utoipa::path(get, path = "/documents/{id}/versions", tag = TAG, params(("id" = DocumentId, Path)), responses((status = 200, body = Paged<DocumentVersion>)))]
async fn versions(State(app): State<AppState>, Path(id): Path<DocumentId>) -> ApiResult<Json<Paged<DocumentVersion>>> {
    let mut tx = app.read().await?;
    tx.document(id).await?;
    Ok(Json(Paged::all(tx.document_versions(id).await?)))
}

/// A new version of a document's text.
#[derive(Debug, Deserialize, ToSchema)]
pub struct VersionInput {
    /// The revision of the document the version is based on.
    #[schema(required = true, value_type = u32)]
    pub revision: Option<i64>,
    /// A new title (default: the title stays).
    pub title: Option<String>,
    /// The text.
    #[schema(required = true, value_type = String)]
    pub body: Option<String>,
    /// The child's own views.
    pub child_views: Option<String>,
}

/// Write a new version
///
/// Only while the document is a draft (`ReportAction::Revise`).
#[utoipa::path(post, path = "/documents/{id}/versions", tag = TAG, params(("id" = DocumentId, Path)), request_body = VersionInput, responses(
    (status = 201, body = DocumentVersion),
    (status = 409, description = "Someone else changed it since `revision` (`stale_revision`), or it is not a draft (`rule`: `report_workflow`; `sent_report_is_final` once sent).", body = ErrorBody),
))]
pub(crate) async fn add_version(
    State(app): State<AppState>,
    actor: CurrentActor,
    Path(id): Path<DocumentId>,
    Json(input): Json<VersionInput>,
) -> ApiResult<Created<DocumentVersion>> {
    let author_id = actor.staff_id()?;
    let mut v = Validator::new();
    let revision = v.check("revision", parse::number(&input.revision, 0u32, u32::MAX));
    let title: Option<Option<ShortText>> = v.check("title", parse::opt_text(&input.title));
    let body = v.check("body", parse::text(&input.body));
    let child_views = v.check("child_views", parse::opt_text(&input.child_views));
    let mut tx = app.write().await?;
    let mut document = tx.document(id).await?;
    v.finish()?;
    check_revision(document.revision, revision.expect("checked"))?;
    let case = CaseFacts::load(&mut *tx, document.case_id).await?;
    let facts = DocumentFacts::load(&mut *tx, &document).await?;
    document.apply(ReportAction::Revise, &facts.context(&case, parse::now()))?;
    if let Some(title) = title.flatten() {
        document.title = title;
    }
    document.current_version += 1;
    let version = DocumentVersion {
        document_id: id,
        version: document.current_version,
        body: body.expect("checked"),
        family_comment: None,
        child_views: child_views.expect("checked"),
        family_read_at: None,
        author_id,
        created_at: parse::now(),
    };
    tx.add_document_version(&mut document, &version).await?;
    tx.commit().await?;
    Ok(created(version))
}

/// A step of the workflow that needs nothing but the revision it is based on.
#[derive(Debug, Deserialize, ToSchema)]
pub struct StepInput {
    /// The revision of the document the step is based on.
    #[schema(required = true, value_type = u32)]
    pub revision: Option<i64>,
}

/// One step of the workflow: the domain checks it and changes the state; the store saves it.
async fn step(app: &AppState, id: DocumentId, input: StepInput, action: ReportAction) -> ApiResult<Json<DocumentView>> {
    let revision = parse::number(&input.revision, 0u32, u32::MAX).map_err(|p| ValidationErrors::one("revision", p))?;
    let mut tx = app.write().await?;
    let mut document = tx.document(id).await?;
    check_revision(document.revision, revision)?;
    let case = CaseFacts::load(&mut *tx, document.case_id).await?;
    let facts = DocumentFacts::load(&mut *tx, &document).await?;
    let now = parse::now();
    document.apply(action, &facts.context(&case, now))?;
    tx.update_document(&mut document).await?;
    tx.commit().await?;
    Ok(Json(DocumentView::new(document, &case, &facts, now)))
}

const STEP_409: &str = "Someone else changed it since `revision` (`stale_revision`), or a rule blocks the step (`rule`: `report_workflow`, `sent_report_is_final`).";

/// Submit for the coordinator's review
///
/// A draft goes to the coordinator. A status or closing letter about a child
/// of 10 or more carries the child's views; nothing the family will see names
/// a secret placement address; a supported-visitation description has the
/// parents' consent at the visit.
#[utoipa::path(post, path = "/documents/{id}/submit", tag = TAG, params(("id" = DocumentId, Path)), request_body = StepInput, responses(
    (status = 200, body = DocumentView),
    (status = 409, description = "Stale `revision` (`stale_revision`), or a rule blocks it (`rule`: `report_workflow`, `child_views_from_10`, `secret_address_never_to_parents`, `description_needs_consent`).", body = ErrorBody),
))]
pub(crate) async fn submit(
    State(app): State<AppState>,
    Path(id): Path<DocumentId>,
    Json(input): Json<StepInput>,
) -> ApiResult<Json<DocumentView>> {
    step(&app, id, input, ReportAction::Submit).await
}

/// Return to the author
///
/// The coordinator sends a document under review back to draft.
#[utoipa::path(post, path = "/documents/{id}/return", tag = TAG, params(("id" = DocumentId, Path)), request_body = StepInput, responses(
    (status = 200, body = DocumentView),
    (status = 409, description = STEP_409, body = ErrorBody),
))]
pub(crate) async fn return_to_author(
    State(app): State<AppState>,
    Path(id): Path<DocumentId>,
    Json(input): Json<StepInput>,
) -> ApiResult<Json<DocumentView>> {
    step(&app, id, input, ReportAction::Return).await
}

/// Approve for the family's review
///
/// The coordinator approves; the family reads it next. The same rules as for submitting apply.
#[utoipa::path(post, path = "/documents/{id}/approve", tag = TAG, params(("id" = DocumentId, Path)), request_body = StepInput, responses(
    (status = 200, body = DocumentView),
    (status = 409, description = "Stale `revision` (`stale_revision`), or a rule blocks it (`rule`: `report_workflow`, `child_views_from_10`, `secret_address_never_to_parents`, `description_needs_consent`).", body = ErrorBody),
))]
pub(crate) async fn approve(
    State(app): State<AppState>,
    Path(id): Path<DocumentId>,
    Json(input): Json<StepInput>,
) -> ApiResult<Json<DocumentView>> {
    step(&app, id, input, ReportAction::Approve).await
}

/// Archive a sent document
#[utoipa::path(post, path = "/documents/{id}/archive", tag = TAG, params(("id" = DocumentId, Path)), request_body = StepInput, responses(
    (status = 200, body = DocumentView),
    (status = 409, description = STEP_409, body = ErrorBody),
))]
pub(crate) async fn archive(
    State(app): State<AppState>,
    Path(id): Path<DocumentId>,
    Json(input): Json<StepInput>,
) -> ApiResult<Json<DocumentView>> {
    step(&app, id, input, ReportAction::Archive).await
}

/// Sending a document.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SendInput {
    /// The revision of the document the sending is based on.
    #[schema(required = true, value_type = u32)]
    pub revision: Option<i64>,
}

/// Send to the caseworker
///
/// Sends the current version to the caseworker who ordered the intervention:
/// the document becomes `sent` with its sending time, and the outbox keeps a
/// message of exactly what was sent, in the same transaction. The family has
/// read it first (except a supervised-visit description, which they cannot
/// stop); a supported-visitation description needs the parents' consent both
/// at the visit and now.
#[utoipa::path(post, path = "/documents/{id}/send", tag = TAG, params(("id" = DocumentId, Path)), request_body = SendInput, responses(
    (status = 200, body = DocumentView),
    (status = 409, description = "Stale `revision` (`stale_revision`), or a rule blocks it (`rule`: `report_workflow`, `family_review_before_sending`, `description_needs_consent`, `child_views_from_10`, `secret_address_never_to_parents`, `sent_report_is_final`).", body = ErrorBody),
))]
pub(crate) async fn send(
    State(app): State<AppState>,
    actor: CurrentActor,
    Path(id): Path<DocumentId>,
    Json(input): Json<SendInput>,
) -> ApiResult<Json<DocumentView>> {
    let sent_by = actor.staff_id()?;
    let mut v = Validator::new();
    let revision = v.check("revision", parse::number(&input.revision, 0u32, u32::MAX));
    let mut tx = app.write().await?;
    let mut document = tx.document(id).await?;
    let case = CaseFacts::load(&mut *tx, document.case_id).await?;
    // Only staff of the case's provider send (the policy already refuses anyone else).
    if !matches!(actor.0.who, ActorKind::ProviderStaff { provider, .. } if provider == case.case.provider_id) {
        return Err(ApiError::Forbidden);
    }
    v.finish()?;
    check_revision(document.revision, revision.expect("checked"))?;
    let facts = DocumentFacts::load(&mut *tx, &document).await?;
    let now = parse::now();
    let message = document.send(&facts.context(&case, now), sent_by, case.case.municipality_id)?;
    tx.update_document(&mut document).await?;
    tx.insert_outbox_messages(&[message]).await?;
    tx.commit().await?;
    Ok(Json(DocumentView::new(document, &case, &facts, now)))
}

/// The family's review of a version.
#[derive(Debug, Deserialize, ToSchema)]
pub struct FamilyReviewInput {
    /// The version the family read: the current one.
    #[schema(required = true, value_type = u32)]
    pub version: Option<i64>,
    /// When they read it (default now; not in the future).
    #[schema(value_type = Option<String>, format = DateTime)]
    pub read_at: Option<String>,
    /// Their comment, which travels with the document; absent or blank: none.
    pub comment: Option<String>,
}

/// Record the family's review
///
/// The family read the current version while the document is in family
/// review, and may comment; the comment travels with the document. Recording
/// again replaces both.
#[utoipa::path(put, path = "/documents/{id}/family-review", tag = TAG, params(("id" = DocumentId, Path)), request_body = FamilyReviewInput, responses(
    (status = 200, body = DocumentVersion),
    (status = 409, description = "The document is not in family review (`rule`: `report_workflow`; `sent_report_is_final` once sent).", body = ErrorBody),
))]
pub(crate) async fn family_review(
    State(app): State<AppState>,
    Path(id): Path<DocumentId>,
    Json(input): Json<FamilyReviewInput>,
) -> ApiResult<Json<DocumentVersion>> {
    let mut v = Validator::new();
    let version = v.check("version", parse::number(&input.version, 1u32, u32::MAX));
    let now = parse::now();
    let read_at =
        v.check("read_at", parse::opt_timestamp(&input.read_at).and_then(|t| parse::not_after(t.unwrap_or(now), now)));
    let comment: Option<Option<LongText>> = v.check("comment", parse::opt_text(&input.comment));
    let mut tx = app.write().await?;
    let document = tx.document(id).await?;
    if version.is_some_and(|n| n != document.current_version) {
        v.push("version", Problem::NotAllowed);
    }
    v.finish()?;
    let case = CaseFacts::load(&mut *tx, document.case_id).await?;
    let facts = DocumentFacts::load(&mut *tx, &document).await?;
    document.check(ReportAction::RecordFamilyReview, &facts.context(&case, now))?;
    let (read_at, comment) = (read_at.expect("checked"), comment.expect("checked"));
    if let Some(c) = &comment {
        check_no_secret_address(case.case.placement.as_ref(), &[c.as_str()])?;
    }
    tx.record_family_review(id, document.current_version, read_at, comment.as_ref()).await?;
    tx.commit().await?;
    let mut reviewed = facts.version;
    reviewed.family_read_at = Some(read_at);
    reviewed.family_comment = comment;
    Ok(Json(reviewed))
}

/// A correction of a sent document.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CorrectionInput {
    /// Title of the correction.
    #[schema(required = true, value_type = String)]
    pub title: Option<String>,
    /// The corrected text.
    #[schema(required = true, value_type = String)]
    pub body: Option<String>,
    /// The child's own views.
    pub child_views: Option<String>,
}

/// Write a correction
///
/// A sent report is never changed: a correction is a new draft of the same
/// kind, for the same referral and visit, that names the document it corrects.
#[utoipa::path(post, path = "/documents/{id}/corrections", tag = TAG, params(("id" = DocumentId, Path)), request_body = CorrectionInput, responses(
    (status = 201, body = DocumentView),
    (status = 409, description = "Only a sent or archived document is corrected (`rule`: `report_workflow`).", body = ErrorBody),
))]
async fn corrections(
    State(app): State<AppState>,
    actor: CurrentActor,
    Path(id): Path<DocumentId>,
    Json(input): Json<CorrectionInput>,
) -> ApiResult<Created<DocumentView>> {
    let author_id = actor.staff_id()?;
    let mut v = Validator::new();
    let title = v.check("title", parse::text(&input.title));
    let body = v.check("body", parse::text(&input.body));
    let child_views = v.check("child_views", parse::opt_text(&input.child_views));
    let mut tx = app.write().await?;
    let original = tx.document(id).await?;
    v.finish()?;
    let case = CaseFacts::load(&mut *tx, original.case_id).await?;
    let facts = DocumentFacts::load(&mut *tx, &original).await?;
    let now = parse::now();
    original.check(ReportAction::Correct, &facts.context(&case, now))?;
    let correction = Document {
        id: DocumentId::new(),
        state: DocumentState::Draft,
        title: title.expect("checked"),
        corrects: Some(original.id),
        created_at: now,
        current_version: 1,
        sent_at: None,
        revision: 1,
        ..original
    };
    let first = DocumentVersion {
        document_id: correction.id,
        version: 1,
        body: body.expect("checked"),
        family_comment: None,
        child_views: child_views.expect("checked"),
        family_read_at: None,
        author_id,
        created_at: now,
    };
    tx.insert_document(&correction, &first).await?;
    tx.commit().await?;
    let facts = DocumentFacts { version: first, ..facts };
    Ok(created(DocumentView::new(correction, &case, &facts, now)))
}
