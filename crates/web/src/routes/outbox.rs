//! The outbox: every sending of a document version to the ordering
//! caseworker, exactly as it was sent, when and to whom. Written only by
//! sending a document; never changed.

use super::prelude::*;
use samvirke_domain::document::OutboxMessage;
use samvirke_store::OutboxFilter;

/// The tag of these routes.
pub const TAG: &str = "outbox";

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

/// Which messages to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// About this case.
    #[param(value_type = Option<CaseId>)]
    pub case_id: Option<String>,
    /// To this caseworker.
    #[param(value_type = Option<StaffId>)]
    pub recipient_id: Option<String>,
    /// To this municipality.
    #[param(value_type = Option<MunicipalityId>)]
    pub municipality_id: Option<String>,
    /// Of this document.
    #[param(value_type = Option<DocumentId>)]
    pub document_id: Option<String>,
    /// Messages per page, 1–1000 (default 100).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    pub limit: Option<String>,
    /// The `next_before` of the previous page.
    #[param(value_type = Option<OutboxMessageId>)]
    pub before: Option<String>,
}

/// One page of the outbox, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxPage {
    /// The messages, newest first.
    pub items: Vec<OutboxMessage>,
    /// Pass as `before` to get the next (older) page; absent on a page that is not full.
    pub next_before: Option<String>,
}

/// What was sent
///
/// Each sending of a document version: to whom, from whom, when, and the
/// text exactly as sent (with the family's comment and the child's views).
/// Newest first; only what the signed-in user may read.
#[utoipa::path(get, path = "/outbox", tag = TAG, params(OutboxQuery), responses((status = 200, body = OutboxPage)))]
async fn list(
    State(app): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Query(q): Query<OutboxQuery>,
) -> ApiResult<Json<OutboxPage>> {
    let mut v = Validator::new();
    let case = v.check("case_id", parse::opt_id(&q.case_id));
    let recipient = v.check("recipient_id", parse::opt_id(&q.recipient_id));
    let municipality = v.check("municipality_id", parse::opt_id(&q.municipality_id));
    let document = v.check("document_id", parse::opt_id(&q.document_id));
    let before = v.check("before", parse::opt_id(&q.before));
    let limit = PageQuery { limit: q.limit.clone(), after: None }.limit(&mut v);
    let filter = v.build(|| OutboxFilter {
        case: case.unwrap(),
        document: document.unwrap(),
        recipient: recipient.unwrap(),
        municipality: municipality.unwrap(),
        before: before.unwrap(),
    })?;
    let limit = limit.expect("checked");
    let mut seen = Visibility::new(actor);
    let Some(municipality) = narrow(filter.municipality, seen.belongs().municipality) else {
        return Ok(Json(OutboxPage { items: vec![], next_before: None }));
    };
    let mut filter = OutboxFilter { municipality, ..filter };
    let mut tx = app.read().await?;
    let mut items = Vec::new();
    loop {
        let batch = tx.outbox(&filter, limit).await?;
        let full = batch.len() == limit as usize;
        for message in batch {
            filter.before = Some(message.id);
            if seen.may(&mut *tx, Action::ReadOutbox, message.case_id).await? {
                items.push(message);
                if items.len() == limit as usize {
                    let next_before = items.last().map(|m| m.id.to_string());
                    return Ok(Json(OutboxPage { items, next_before }));
                }
            }
        }
        if !full {
            return Ok(Json(OutboxPage { items, next_before: None }));
        }
    }
}
