//! The journal: the running record of a case. Entries are never edited; a
//! correction is a new entry.

use super::prelude::*;
use samvirke_domain::journal::{JournalEntry, JournalKind};

/// The tag of these routes.
pub const TAG: &str = "journal";

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create))
}

/// A new journal entry.
#[derive(Debug, Deserialize, ToSchema)]
pub struct JournalInput {
    /// Kind: a session note, oral information of significance (Offentlighedsloven § 13), or a note.
    #[schema(required = true, value_type = JournalKind)]
    pub kind: Option<String>,
    /// The text.
    #[schema(required = true, value_type = String)]
    pub body: Option<String>,
    /// The appointment it is about, if any (an appointment of the case).
    #[schema(value_type = Option<AppointmentId>)]
    pub appointment_id: Option<String>,
}

/// The journal of a case
///
/// Newest first.
#[utoipa::path(get, path = "/cases/{id}/journal-entries", tag = TAG, params(("id" = CaseId, Path), PageQuery), responses((status = 200, body = Paged<JournalEntry>)))]
async fn list(
    State(app): State<AppState>,
    Path(case): Path<CaseId>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Paged<JournalEntry>>> {
    let page = q.parse()?;
    let mut tx = app.read().await?;
    tx.case(case).await?;
    let entries = tx.journal(case, page).await?;
    Ok(Json(Paged::cut(entries, page.limit, |e| e.id.to_string())))
}

/// Writes a journal entry in the caller's transaction (the API route, and the
/// note of a page's outcome form).
pub(crate) async fn write_entry(
    tx: &mut dyn samvirke_store::Tx,
    case: CaseId,
    author_id: StaffId,
    input: &JournalInput,
) -> ApiResult<JournalEntry> {
    let mut v = Validator::new();
    let kind = v.check("kind", parse::code(&input.kind));
    let body = v.check("body", parse::text(&input.body));
    let appointment_id: Option<Option<AppointmentId>> = v.check("appointment_id", parse::opt_id(&input.appointment_id));
    tx.case(case).await?;
    known_in_case(&mut v, tx, "appointment_id", appointment_id.flatten(), case).await?;
    let entry = v.build(|| JournalEntry {
        id: JournalEntryId::new(),
        case_id: case,
        appointment_id: appointment_id.unwrap(),
        author_id,
        kind: kind.unwrap(),
        body: body.unwrap(),
        written_at: parse::now(),
    })?;
    tx.insert_journal_entry(&entry).await?;
    Ok(entry)
}

/// Write a journal entry
#[utoipa::path(post, path = "/cases/{id}/journal-entries", tag = TAG, params(("id" = CaseId, Path)), request_body = JournalInput, responses((status = 201, body = JournalEntry)))]
async fn create(
    State(app): State<AppState>,
    actor: CurrentActor,
    Path(case): Path<CaseId>,
    Json(input): Json<JournalInput>,
) -> ApiResult<Created<JournalEntry>> {
    let author_id = actor.staff_id()?;
    let mut tx = app.write().await?;
    let entry = write_entry(&mut *tx, case, author_id, &input).await?;
    tx.commit().await?;
    Ok(created(entry))
}
