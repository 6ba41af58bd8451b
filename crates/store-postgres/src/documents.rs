//! The written record of a case: documents with their versions, the outbox of
//! what was sent, the documentation settings, and the journal.
//!
//! A sent document is final: the triggers of migration 2 refuse a change of
//! its sending time or its versions, and any change of an outbox message,
//! with SQLSTATE `SV001`, which [`err`] turns into `Conflict::Immutable`.

use crate::encode::*;
use samvirke_domain::document::{Document, DocumentVersion, OutboxMessage};
use samvirke_domain::documentation::DocumentationSettings;
use samvirke_domain::journal::JournalEntry;
use samvirke_domain::text::LongText;
use samvirke_domain::*;
use samvirke_store::{DocumentFilter, OutboxFilter, Page, Result};
use sqlx::postgres::{PgConnection, PgRow};
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

// --- Documents ---

macro_rules! document_sql {
    ($($rest:literal)?) => {
        concat!(
            "SELECT d.id, d.case_id, d.referral_id, d.appointment_id, d.kind, d.title, d.state, d.corrects, \
             d.created_at, d.current_version, d.revision, d.sent_at FROM documents d"
            $(, $rest)?
        )
    };
}

fn document_from_row(r: &PgRow) -> Result<Document> {
    Ok(Document {
        id: id(r, "documents.id")?,
        case_id: id(r, "documents.case_id")?,
        referral_id: id(r, "documents.referral_id")?,
        appointment_id: id_opt(r, "documents.appointment_id")?,
        kind: enum_code(r, "documents.kind")?,
        title: text(r, "documents.title")?,
        state: enum_code(r, "documents.state")?,
        corrects: id_opt(r, "documents.corrects")?,
        created_at: timestamp(r, "documents.created_at")?,
        current_version: u32_(r, "documents.current_version")?,
        revision: u32_(r, "documents.revision")?,
        sent_at: timestamp_opt(r, "documents.sent_at")?,
    })
}

pub(crate) async fn insert_document(c: &mut PgConnection, d: &Document, first: &DocumentVersion) -> Result<()> {
    sqlx::query(
        "INSERT INTO documents (id, case_id, referral_id, appointment_id, kind, title, state, corrects, \
         created_at, current_version, revision, sent_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(d.id.0)
    .bind(d.case_id.0)
    .bind(d.referral_id.0)
    .bind(d.appointment_id.map(|a| a.0))
    .bind(code(&d.kind)?)
    .bind(d.title.as_str())
    .bind(code(&d.state)?)
    .bind(d.corrects.map(|x| x.0))
    .bind(ts(d.created_at))
    .bind(i64::from(d.current_version))
    .bind(i64::from(d.revision))
    .bind(d.sent_at.map(ts))
    .execute(&mut *c)
    .await
    .map_err(err)?;
    insert_version(c, first).await
}

async fn insert_version(c: &mut PgConnection, v: &DocumentVersion) -> Result<()> {
    sqlx::query(
        "INSERT INTO document_versions (document_id, version, body, child_views, family_comment, family_read_at, \
         author_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(v.document_id.0)
    .bind(i64::from(v.version))
    .bind(v.body.as_str())
    .bind(v.child_views.as_ref().map(|t| t.as_str()))
    .bind(v.family_comment.as_ref().map(|t| t.as_str()))
    .bind(v.family_read_at.map(ts))
    .bind(v.author_id.0)
    .bind(ts(v.created_at))
    .execute(c)
    .await
    .map_err(err)?;
    Ok(())
}

const EXISTS: &str = "SELECT EXISTS (SELECT 1 FROM documents WHERE id = $1)";

/// Writes the document's row if its revision is still the stored one, and counts the revision up.
async fn save(c: &mut PgConnection, d: &mut Document) -> Result<()> {
    let done = sqlx::query(
        "UPDATE documents SET case_id = $3, referral_id = $4, appointment_id = $5, kind = $6, title = $7, \
         state = $8, corrects = $9, current_version = $10, sent_at = $11, revision = revision + 1 \
         WHERE id = $1 AND revision = $2",
    )
    .bind(d.id.0)
    .bind(i64::from(d.revision))
    .bind(d.case_id.0)
    .bind(d.referral_id.0)
    .bind(d.appointment_id.map(|a| a.0))
    .bind(code(&d.kind)?)
    .bind(d.title.as_str())
    .bind(code(&d.state)?)
    .bind(d.corrects.map(|x| x.0))
    .bind(i64::from(d.current_version))
    .bind(d.sent_at.map(ts))
    .execute(&mut *c)
    .await
    .map_err(err)?;
    if done.rows_affected() == 0 {
        return Err(stale_or_missing(c, EXISTS, d.id.0).await);
    }
    Ok(())
}

pub(crate) async fn update_document(c: &mut PgConnection, d: &mut Document) -> Result<()> {
    save(c, d).await?;
    d.revision += 1;
    Ok(())
}

pub(crate) async fn add_document_version(c: &mut PgConnection, d: &mut Document, v: &DocumentVersion) -> Result<()> {
    save(c, d).await?;
    insert_version(c, v).await?;
    d.revision += 1;
    Ok(())
}

/// A sent document's versions are refused by a trigger (`Conflict::Immutable`).
pub(crate) async fn record_family_review(
    c: &mut PgConnection,
    id: DocumentId,
    version: u32,
    read_at: jiff::Timestamp,
    comment: Option<&LongText>,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE document_versions SET family_read_at = $3, family_comment = $4 WHERE document_id = $1 AND version = $2",
    )
    .bind(id.0)
    .bind(i64::from(version))
    .bind(ts(read_at))
    .bind(comment.map(|t| t.as_str()))
    .execute(c)
    .await
    .map_err(err)?;
    expect_one(done)
}

pub(crate) async fn document(c: &mut PgConnection, id: DocumentId) -> Result<Document> {
    let row = sqlx::query(document_sql!(" WHERE d.id = $1")).bind(id.0).fetch_one(c).await.map_err(err)?;
    document_from_row(&row)
}

pub(crate) async fn documents(c: &mut PgConnection, f: &DocumentFilter, page: Page) -> Result<Vec<Document>> {
    let mut q = QueryBuilder::<Postgres>::new(document_sql!(" WHERE TRUE"));
    if let Some(k) = f.case {
        q.push(" AND d.case_id = ").push_bind(k.0);
    }
    if let Some(r) = f.referral {
        q.push(" AND d.referral_id = ").push_bind(r.0);
    }
    if let Some(a) = f.appointment {
        q.push(" AND d.appointment_id = ").push_bind(a.0);
    }
    if let Some(k) = f.kind {
        q.push(" AND d.kind = ").push_bind(code(&k)?);
    }
    if !f.states.is_empty() {
        let states = f.states.iter().map(code).collect::<Result<Vec<_>>>()?;
        q.push(" AND d.state = ANY(").push_bind(states).push(")");
    }
    if let Some(p) = f.provider {
        // An array of the provider's case ids lets the planner use the index on case_id.
        q.push(" AND d.case_id = ANY(ARRAY(SELECT id FROM cases WHERE provider_id = ").push_bind(p.0).push("))");
    }
    if let Some(after) = page.after {
        q.push(" AND d.id > ").push_bind(after);
    }
    q.push(" ORDER BY d.id LIMIT ").push_bind(i64::from(page.limit.clamp(1, Page::MAX)));
    let rows = q.build().fetch_all(c).await.map_err(err)?;
    rows.iter().map(document_from_row).collect()
}

fn version_from_row(r: &PgRow) -> Result<DocumentVersion> {
    Ok(DocumentVersion {
        document_id: id(r, "document_versions.document_id")?,
        version: u32_(r, "document_versions.version")?,
        body: text(r, "document_versions.body")?,
        child_views: text_opt(r, "document_versions.child_views")?,
        family_comment: text_opt(r, "document_versions.family_comment")?,
        family_read_at: timestamp_opt(r, "document_versions.family_read_at")?,
        author_id: id(r, "document_versions.author_id")?,
        created_at: timestamp(r, "document_versions.created_at")?,
    })
}

pub(crate) async fn document_versions(c: &mut PgConnection, id: DocumentId) -> Result<Vec<DocumentVersion>> {
    let rows = sqlx::query(
        "SELECT document_id, version, body, child_views, family_comment, family_read_at, author_id, created_at \
         FROM document_versions WHERE document_id = $1 ORDER BY version",
    )
    .bind(id.0)
    .fetch_all(c)
    .await
    .map_err(err)?;
    rows.iter().map(version_from_row).collect()
}

// --- Outbox ---

/// Rows per INSERT, as for appointments: one statement with one array per column.
const OUTBOX_BATCH: usize = 5_000;

fn outbox_message_from_row(r: &PgRow) -> Result<OutboxMessage> {
    Ok(OutboxMessage {
        id: id(r, "outbox_messages.id")?,
        document_id: id(r, "outbox_messages.document_id")?,
        version: u32_(r, "outbox_messages.version")?,
        case_id: id(r, "outbox_messages.case_id")?,
        referral_id: id(r, "outbox_messages.referral_id")?,
        kind: enum_code(r, "outbox_messages.kind")?,
        corrects: id_opt(r, "outbox_messages.corrects")?,
        recipient_id: id(r, "outbox_messages.recipient_id")?,
        municipality_id: id(r, "outbox_messages.municipality_id")?,
        title: text(r, "outbox_messages.title")?,
        body: text(r, "outbox_messages.body")?,
        child_views: text_opt(r, "outbox_messages.child_views")?,
        family_comment: text_opt(r, "outbox_messages.family_comment")?,
        sent_by: id(r, "outbox_messages.sent_by")?,
        sent_at: timestamp(r, "outbox_messages.sent_at")?,
    })
}

/// Column arrays for one batch of outbox messages.
#[derive(Default)]
struct OutboxColumns<'a> {
    id: Vec<Uuid>,
    document_id: Vec<Uuid>,
    version: Vec<i64>,
    case_id: Vec<Uuid>,
    referral_id: Vec<Uuid>,
    kind: Vec<String>,
    corrects: Vec<Option<Uuid>>,
    recipient_id: Vec<Uuid>,
    municipality_id: Vec<Uuid>,
    title: Vec<&'a str>,
    body: Vec<&'a str>,
    child_views: Vec<Option<&'a str>>,
    family_comment: Vec<Option<&'a str>>,
    sent_by: Vec<Uuid>,
    sent_at: Vec<jiff_sqlx::Timestamp>,
}

pub(crate) async fn insert_outbox_messages(c: &mut PgConnection, messages: &[OutboxMessage]) -> Result<()> {
    for batch in messages.chunks(OUTBOX_BATCH) {
        let mut cols = OutboxColumns::default();
        for m in batch {
            cols.id.push(m.id.0);
            cols.document_id.push(m.document_id.0);
            cols.version.push(i64::from(m.version));
            cols.case_id.push(m.case_id.0);
            cols.referral_id.push(m.referral_id.0);
            cols.kind.push(code(&m.kind)?);
            cols.corrects.push(m.corrects.map(|d| d.0));
            cols.recipient_id.push(m.recipient_id.0);
            cols.municipality_id.push(m.municipality_id.0);
            cols.title.push(m.title.as_str());
            cols.body.push(m.body.as_str());
            cols.child_views.push(m.child_views.as_ref().map(|t| t.as_str()));
            cols.family_comment.push(m.family_comment.as_ref().map(|t| t.as_str()));
            cols.sent_by.push(m.sent_by.0);
            cols.sent_at.push(ts(m.sent_at));
        }
        sqlx::query(
            "INSERT INTO outbox_messages (id, document_id, version, case_id, referral_id, kind, corrects, \
             recipient_id, municipality_id, title, body, child_views, family_comment, sent_by, sent_at) \
             SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::uuid[], $5::uuid[], $6::text[], \
             $7::uuid[], $8::uuid[], $9::uuid[], $10::text[], $11::text[], $12::text[], $13::text[], $14::uuid[], \
             $15::timestamptz[])",
        )
        .bind(cols.id)
        .bind(cols.document_id)
        .bind(cols.version)
        .bind(cols.case_id)
        .bind(cols.referral_id)
        .bind(cols.kind)
        .bind(cols.corrects)
        .bind(cols.recipient_id)
        .bind(cols.municipality_id)
        .bind(cols.title)
        .bind(cols.body)
        .bind(cols.child_views)
        .bind(cols.family_comment)
        .bind(cols.sent_by)
        .bind(cols.sent_at)
        .execute(&mut *c)
        .await
        .map_err(err)?;
    }
    Ok(())
}

/// Newest first; `before` continues below the id it was given.
pub(crate) async fn outbox(c: &mut PgConnection, f: &OutboxFilter, limit: u32) -> Result<Vec<OutboxMessage>> {
    let mut q = QueryBuilder::<Postgres>::new(
        "SELECT id, document_id, version, case_id, referral_id, kind, corrects, recipient_id, municipality_id, \
         title, body, child_views, family_comment, sent_by, sent_at FROM outbox_messages WHERE TRUE",
    );
    if let Some(k) = f.case {
        q.push(" AND case_id = ").push_bind(k.0);
    }
    if let Some(d) = f.document {
        q.push(" AND document_id = ").push_bind(d.0);
    }
    if let Some(r) = f.recipient {
        q.push(" AND recipient_id = ").push_bind(r.0);
    }
    if let Some(m) = f.municipality {
        q.push(" AND municipality_id = ").push_bind(m.0);
    }
    if let Some(before) = f.before {
        q.push(" AND id < ").push_bind(before.0);
    }
    q.push(" ORDER BY id DESC LIMIT ").push_bind(i64::from(limit.clamp(1, Page::MAX)));
    let rows = q.build().fetch_all(c).await.map_err(err)?;
    rows.iter().map(outbox_message_from_row).collect()
}

// --- Documentation settings ---

pub(crate) async fn documentation_settings(
    c: &mut PgConnection,
    provider: ProviderId,
) -> Result<DocumentationSettings> {
    let row = sqlx::query("SELECT settings FROM documentation_settings WHERE provider_id = $1")
        .bind(provider.0)
        .fetch_optional(c)
        .await
        .map_err(err)?;
    match row {
        Some(row) => json_col(&row, "documentation_settings.settings"),
        None => Ok(DocumentationSettings::default()),
    }
}

pub(crate) async fn set_documentation_settings(
    c: &mut PgConnection,
    provider: ProviderId,
    s: &DocumentationSettings,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO documentation_settings (provider_id, settings) VALUES ($1, $2) \
         ON CONFLICT (provider_id) DO UPDATE SET settings = EXCLUDED.settings",
    )
    .bind(provider.0)
    .bind(json(s)?)
    .execute(c)
    .await
    .map_err(err)?;
    Ok(())
}

// --- Journal ---

fn journal_entry_from_row(r: &PgRow) -> Result<JournalEntry> {
    Ok(JournalEntry {
        id: id(r, "journal_entries.id")?,
        case_id: id(r, "journal_entries.case_id")?,
        appointment_id: id_opt(r, "journal_entries.appointment_id")?,
        author_id: id(r, "journal_entries.author_id")?,
        kind: enum_code(r, "journal_entries.kind")?,
        body: text(r, "journal_entries.body")?,
        written_at: timestamp(r, "journal_entries.written_at")?,
    })
}

pub(crate) async fn insert_journal_entry(c: &mut PgConnection, e: &JournalEntry) -> Result<()> {
    sqlx::query(
        "INSERT INTO journal_entries (id, case_id, appointment_id, author_id, kind, body, written_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(e.id.0)
    .bind(e.case_id.0)
    .bind(e.appointment_id.map(|a| a.0))
    .bind(e.author_id.0)
    .bind(code(&e.kind)?)
    .bind(e.body.as_str())
    .bind(ts(e.written_at))
    .execute(c)
    .await
    .map_err(err)?;
    Ok(())
}

pub(crate) async fn journal(c: &mut PgConnection, case: CaseId, page: Page) -> Result<Vec<JournalEntry>> {
    let mut q = QueryBuilder::<Postgres>::new(
        "SELECT id, case_id, appointment_id, author_id, kind, body, written_at FROM journal_entries WHERE case_id = ",
    );
    q.push_bind(case.0);
    // Newest (highest id) first; the page continues below the given id.
    if let Some(after) = page.after {
        q.push(" AND id < ").push_bind(after);
    }
    q.push(" ORDER BY id DESC LIMIT ").push_bind(i64::from(page.limit.clamp(1, Page::MAX)));
    let rows = q.build().fetch_all(c).await.map_err(err)?;
    rows.iter().map(journal_entry_from_row).collect()
}
