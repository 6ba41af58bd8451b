//! Documents sent out of the provider: written descriptions of visits, status
//! letters and closing letters. Each has versions; a sent document is never
//! changed (a correction is a new document that names the one it corrects).
//! Moving a document through its review states comes with the domain's state
//! machine and is not part of this API yet.

use super::prelude::*;
use samvirke_domain::document::{Document, DocumentKind, DocumentState, DocumentVersion};
use samvirke_domain::text::LongText;
use samvirke_store::DocumentFilter;

/// The tag of these routes.
pub const TAG: &str = "documents";

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one))
        .routes(routes!(versions, add_version))
        .routes(routes!(family_comment))
}

/// A new document, with its first version.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DocumentInput {
    /// The referral (the case follows from it).
    #[schema(required = true, value_type = ReferralId)]
    pub referral_id: Option<String>,
    /// The visit it describes (written descriptions).
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
    /// Who writes it.
    #[schema(required = true, value_type = StaffId)]
    pub author_id: Option<String>,
    /// The document of the same case this one corrects.
    #[schema(value_type = Option<DocumentId>)]
    pub corrects: Option<String>,
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
/// In creation order.
#[utoipa::path(get, path = "/documents", tag = TAG, params(DocumentQuery, PageQuery), responses((status = 200, body = Paged<Document>)))]
async fn list(
    State(app): State<AppState>,
    Query(q): Query<DocumentQuery>,
    Query(p): Query<PageQuery>,
) -> ApiResult<Json<Paged<Document>>> {
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
    let documents = app.read().await?.documents(&filter, page).await?;
    Ok(Json(Paged::cut(documents, page.limit, |d| d.id.to_string())))
}

/// Start a document
///
/// The document starts as a draft with its text as version 1.
#[utoipa::path(post, path = "/documents", tag = TAG, request_body = DocumentInput, responses((status = 201, body = Document)))]
async fn create(State(app): State<AppState>, Json(input): Json<DocumentInput>) -> ApiResult<Created<Document>> {
    let mut v = Validator::new();
    let referral_id: Option<ReferralId> = v.check("referral_id", parse::id(&input.referral_id));
    let appointment_id: Option<Option<AppointmentId>> = v.check("appointment_id", parse::opt_id(&input.appointment_id));
    let kind = v.check("kind", parse::code(&input.kind));
    let title = v.check("title", parse::text(&input.title));
    let body = v.check("body", parse::text(&input.body));
    let author_id: Option<StaffId> = v.check("author_id", parse::id(&input.author_id));
    let corrects: Option<Option<DocumentId>> = v.check("corrects", parse::opt_id(&input.corrects));

    let mut tx = app.write().await?;
    let referral = known(&mut v, &mut *tx, "referral_id", referral_id).await?;
    if let Some(referral) = &referral {
        known_in_case(&mut v, &mut *tx, "appointment_id", appointment_id.flatten(), referral.case_id).await?;
        known_in_case(&mut v, &mut *tx, "corrects", corrects.flatten(), referral.case_id).await?;
    }
    known(&mut v, &mut *tx, "author_id", author_id).await?;
    let now = parse::now();
    let document = v.build(|| Document {
        id: DocumentId::new(),
        case_id: referral.as_ref().unwrap().case_id,
        referral_id: referral_id.unwrap(),
        appointment_id: appointment_id.unwrap(),
        kind: kind.unwrap(),
        title: title.unwrap(),
        state: DocumentState::Draft,
        corrects: corrects.unwrap(),
        created_at: now,
        current_version: 1,
        revision: 1,
    })?;
    let first = DocumentVersion {
        document_id: document.id,
        version: 1,
        body: body.unwrap(),
        family_comment: None,
        author_id: author_id.unwrap(),
        created_at: now,
    };
    tx.insert_document(&document, &first).await?;
    tx.commit().await?;
    Ok(created(document))
}

/// One document
#[utoipa::path(get, path = "/documents/{id}", tag = TAG, params(("id" = DocumentId, Path)), responses((status = 200, body = Document)))]
async fn get_one(State(app): State<AppState>, Path(id): Path<DocumentId>) -> ApiResult<Json<Document>> {
    Ok(Json(app.read().await?.document(id).await?))
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
    /// The text.
    #[schema(required = true, value_type = String)]
    pub body: Option<String>,
    /// Who writes it.
    #[schema(required = true, value_type = StaffId)]
    pub author_id: Option<String>,
}

fn is_closed(document: &Document) -> bool {
    matches!(document.state, DocumentState::Sent | DocumentState::Archived)
}

/// Write a new version
///
/// Only while the document has not been sent.
#[utoipa::path(post, path = "/documents/{id}/versions", tag = TAG, params(("id" = DocumentId, Path)), request_body = VersionInput, responses(
    (status = 201, body = DocumentVersion),
    (status = 409, description = "Someone else changed it since `revision` (`stale_revision`), or it was sent (`document_closed`).", body = ErrorBody),
))]
async fn add_version(
    State(app): State<AppState>,
    Path(id): Path<DocumentId>,
    Json(input): Json<VersionInput>,
) -> ApiResult<Created<DocumentVersion>> {
    let mut v = Validator::new();
    let revision = v.check("revision", parse::number(&input.revision, 0u32, u32::MAX));
    let body = v.check("body", parse::text(&input.body));
    let author_id: Option<StaffId> = v.check("author_id", parse::id(&input.author_id));
    let mut tx = app.write().await?;
    let mut document = tx.document(id).await?;
    known(&mut v, &mut *tx, "author_id", author_id).await?;
    v.finish()?;
    check_revision(document.revision, revision.unwrap())?;
    if is_closed(&document) {
        return Err(ApiError::Conflict(ConflictKind::DocumentClosed));
    }
    document.current_version += 1;
    let version = DocumentVersion {
        document_id: id,
        version: document.current_version,
        body: body.unwrap(),
        family_comment: None,
        author_id: author_id.unwrap(),
        created_at: parse::now(),
    };
    tx.add_document_version(&mut document, &version).await?;
    tx.commit().await?;
    Ok(created(version))
}

/// The family's comment on a version.
#[derive(Debug, Deserialize, ToSchema)]
pub struct FamilyCommentInput {
    /// The comment, which travels with the document; absent or blank removes it.
    pub comment: Option<String>,
}

/// Set the family's comment
///
/// The family's comment on one version, which travels with the document.
#[utoipa::path(put, path = "/documents/{id}/versions/{version}/family-comment", tag = TAG,
    params(("id" = DocumentId, Path), ("version" = u32, Path, description = "Version number, from 1")),
    request_body = FamilyCommentInput, responses(
    (status = 200, body = DocumentVersion),
    (status = 409, description = "The document was sent (`document_closed`).", body = ErrorBody),
))]
async fn family_comment(
    State(app): State<AppState>,
    Path((id, version)): Path<(DocumentId, u32)>,
    Json(input): Json<FamilyCommentInput>,
) -> ApiResult<Json<DocumentVersion>> {
    let comment: Option<LongText> = parse::opt_text(&input.comment).map_err(|p| ValidationErrors::one("comment", p))?;
    let mut tx = app.write().await?;
    let document = tx.document(id).await?;
    let mut current =
        tx.document_versions(id).await?.into_iter().find(|v| v.version == version).ok_or(ApiError::NotFound)?;
    if is_closed(&document) {
        return Err(ApiError::Conflict(ConflictKind::DocumentClosed));
    }
    tx.set_family_comment(id, version, comment.as_ref()).await?;
    tx.commit().await?;
    current.family_comment = comment;
    Ok(Json(current))
}
