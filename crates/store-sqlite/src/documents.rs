//! Documents with their versions, the outbox of what was sent, the
//! documentation settings, and the journal.
//!
//! A sent document is final: the triggers of migration 2 refuse a change of
//! its sending time or its versions, and any change of an outbox message, and
//! [`crate::error::db`] turns the refusal into [`Conflict::Immutable`].

use crate::codec::*;
use crate::error::{check_revision, db};
use jiff::Timestamp;
use samvirke_domain::document::{Document, DocumentVersion, OutboxMessage};
use samvirke_domain::documentation::DocumentationSettings;
use samvirke_domain::journal::JournalEntry;
use samvirke_domain::text::LongText;
use samvirke_domain::*;
use samvirke_store::{Conflict, DocumentFilter, OutboxFilter, Page, StoreError};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

// --- Documents ---

macro_rules! document_select {
    () => {
        "SELECT d.id, d.case_id, d.referral_id, d.appointment_id, d.kind, d.title, d.state, d.corrects, d.created_at,
                d.current_version, d.revision, d.sent_at
         FROM documents d"
    };
}

fn document_from_row(row: &SqliteRow) -> Result<Document> {
    Ok(Document {
        id: id(row, "documents.id")?,
        case_id: id(row, "documents.case_id")?,
        referral_id: id(row, "documents.referral_id")?,
        appointment_id: opt_id(row, "documents.appointment_id")?,
        kind: enum_code(row, "documents.kind")?,
        title: text(row, "documents.title")?,
        state: enum_code(row, "documents.state")?,
        corrects: opt_id(row, "documents.corrects")?,
        created_at: ts(row, "documents.created_at")?,
        current_version: num(row, "documents.current_version")?,
        revision: num(row, "documents.revision")?,
        sent_at: opt_ts(row, "documents.sent_at")?,
    })
}

async fn insert_version(c: &mut SqliteConnection, v: &DocumentVersion) -> Result<()> {
    sqlx::query(
        "INSERT INTO document_versions (document_id, version, body, child_views, family_comment, family_read_at,
                                       author_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .bind(v.document_id.uuid())
    .bind(i64::from(v.version))
    .bind(v.body.as_str())
    .bind(v.child_views.as_ref().map(|t| t.as_str().to_owned()))
    .bind(v.family_comment.as_ref().map(|t| t.as_str().to_owned()))
    .bind(v.family_read_at.map(micros))
    .bind(v.author_id.uuid())
    .bind(micros(v.created_at))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn insert_document(c: &mut SqliteConnection, d: &Document, first: &DocumentVersion) -> Result<()> {
    // The provider is copied from the case; no case, no row.
    let done = sqlx::query(
        "INSERT INTO documents (id, case_id, provider_id, referral_id, appointment_id, kind, title, state, corrects,
                               created_at, current_version, revision, sent_at)
         SELECT ?1, c.id, c.provider_id, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12
         FROM cases c WHERE c.id = ?2",
    )
    .bind(d.id.uuid())
    .bind(d.case_id.uuid())
    .bind(d.referral_id.uuid())
    .bind(d.appointment_id.map(AppointmentId::uuid))
    .bind(code(&d.kind)?)
    .bind(d.title.as_str())
    .bind(code(&d.state)?)
    .bind(d.corrects.map(DocumentId::uuid))
    .bind(micros(d.created_at))
    .bind(i64::from(d.current_version))
    .bind(i64::from(d.revision))
    .bind(d.sent_at.map(micros))
    .execute(&mut *c)
    .await
    .map_err(db)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict(Conflict::MissingReference));
    }
    insert_version(&mut *c, first).await?;
    Ok(())
}

pub(crate) async fn update_document(c: &mut SqliteConnection, d: &mut Document) -> Result<()> {
    let done = sqlx::query(
        "UPDATE documents SET appointment_id = ?3, title = ?4, state = ?5, corrects = ?6, sent_at = ?7,
                             revision = revision + 1
         WHERE id = ?1 AND revision = ?2",
    )
    .bind(d.id.uuid())
    .bind(i64::from(d.revision))
    .bind(d.appointment_id.map(AppointmentId::uuid))
    .bind(d.title.as_str())
    .bind(code(&d.state)?)
    .bind(d.corrects.map(DocumentId::uuid))
    .bind(d.sent_at.map(micros))
    .execute(&mut *c)
    .await
    .map_err(db)?;
    check_revision(c, done.rows_affected(), "SELECT 1 FROM documents WHERE id = ?1", d.id.uuid()).await?;
    d.revision += 1;
    Ok(())
}

pub(crate) async fn add_document_version(
    c: &mut SqliteConnection,
    d: &mut Document,
    v: &DocumentVersion,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE documents SET current_version = ?3, state = ?4, title = ?5, revision = revision + 1
         WHERE id = ?1 AND revision = ?2",
    )
    .bind(d.id.uuid())
    .bind(i64::from(d.revision))
    .bind(i64::from(d.current_version))
    .bind(code(&d.state)?)
    .bind(d.title.as_str())
    .execute(&mut *c)
    .await
    .map_err(db)?;
    check_revision(&mut *c, done.rows_affected(), "SELECT 1 FROM documents WHERE id = ?1", d.id.uuid()).await?;
    insert_version(&mut *c, v).await?;
    d.revision += 1;
    Ok(())
}

/// A sent document's versions are refused by a trigger ([`Conflict::Immutable`]).
pub(crate) async fn record_family_review(
    c: &mut SqliteConnection,
    id: DocumentId,
    version: u32,
    read_at: Timestamp,
    comment: Option<&LongText>,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE document_versions SET family_read_at = ?3, family_comment = ?4 WHERE document_id = ?1 AND version = ?2",
    )
    .bind(id.uuid())
    .bind(i64::from(version))
    .bind(micros(read_at))
    .bind(comment.map(|t| t.as_str().to_owned()))
    .execute(c)
    .await
    .map_err(db)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(crate) async fn document(c: &mut SqliteConnection, id: DocumentId) -> Result<Document> {
    let row = sqlx::query(concat!(document_select!(), " WHERE d.id = ?1"))
        .bind(id.uuid())
        .fetch_optional(c)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound)?;
    document_from_row(&row)
}

pub(crate) async fn documents(c: &mut SqliteConnection, f: &DocumentFilter, page: Page) -> Result<Vec<Document>> {
    let mut q = QueryBuilder::new("");
    push_documents_query(&mut q, f, page)?;
    let rows = q.build().fetch_all(c).await.map_err(db)?;
    rows.iter().map(document_from_row).collect()
}

/// Appends the list query to `q` (empty, or `EXPLAIN QUERY PLAN` in tests).
pub(crate) fn push_documents_query(q: &mut QueryBuilder<Sqlite>, f: &DocumentFilter, page: Page) -> Result<()> {
    q.push(concat!(document_select!(), " WHERE 1 = 1"));
    if let Some(k) = f.case {
        q.push(" AND d.case_id = ").push_bind(k.uuid());
    }
    if let Some(r) = f.referral {
        q.push(" AND d.referral_id = ").push_bind(r.uuid());
    }
    if let Some(a) = f.appointment {
        q.push(" AND d.appointment_id = ").push_bind(a.uuid());
    }
    if let Some(k) = f.kind {
        q.push(" AND d.kind = ").push_bind(code(&k)?);
    }
    if !f.states.is_empty() {
        q.push(" AND d.state IN (");
        let mut list = q.separated(", ");
        for s in &f.states {
            list.push_bind(code(s)?);
        }
        q.push(")");
    }
    if let Some(p) = f.provider {
        q.push(" AND d.provider_id = ").push_bind(p.uuid());
    }
    if let Some(after) = page.after {
        q.push(" AND d.id > ").push_bind(after);
    }
    q.push(" ORDER BY d.id LIMIT ").push_bind(page_limit(&page));
    Ok(())
}

fn version_from_row(row: &SqliteRow) -> Result<DocumentVersion> {
    Ok(DocumentVersion {
        document_id: id(row, "document_versions.document_id")?,
        version: num(row, "document_versions.version")?,
        body: text(row, "document_versions.body")?,
        child_views: opt_text(row, "document_versions.child_views")?,
        family_comment: opt_text(row, "document_versions.family_comment")?,
        family_read_at: opt_ts(row, "document_versions.family_read_at")?,
        author_id: id(row, "document_versions.author_id")?,
        created_at: ts(row, "document_versions.created_at")?,
    })
}

pub(crate) async fn document_versions(c: &mut SqliteConnection, id: DocumentId) -> Result<Vec<DocumentVersion>> {
    let rows = sqlx::query(
        "SELECT document_id, version, body, child_views, family_comment, family_read_at, author_id, created_at
         FROM document_versions WHERE document_id = ?1 ORDER BY version",
    )
    .bind(id.uuid())
    .fetch_all(c)
    .await
    .map_err(db)?;
    rows.iter().map(version_from_row).collect()
}

// --- Outbox ---

fn outbox_message_from_row(row: &SqliteRow) -> Result<OutboxMessage> {
    Ok(OutboxMessage {
        id: id(row, "outbox_messages.id")?,
        document_id: id(row, "outbox_messages.document_id")?,
        version: num(row, "outbox_messages.version")?,
        case_id: id(row, "outbox_messages.case_id")?,
        referral_id: id(row, "outbox_messages.referral_id")?,
        kind: enum_code(row, "outbox_messages.kind")?,
        corrects: opt_id(row, "outbox_messages.corrects")?,
        recipient_id: id(row, "outbox_messages.recipient_id")?,
        municipality_id: id(row, "outbox_messages.municipality_id")?,
        title: text(row, "outbox_messages.title")?,
        body: text(row, "outbox_messages.body")?,
        child_views: opt_text(row, "outbox_messages.child_views")?,
        family_comment: opt_text(row, "outbox_messages.family_comment")?,
        sent_by: id(row, "outbox_messages.sent_by")?,
        sent_at: ts(row, "outbox_messages.sent_at")?,
    })
}

/// One prepared statement, run once per message: SQLite has no round trips to save.
pub(crate) async fn insert_outbox_messages(c: &mut SqliteConnection, messages: &[OutboxMessage]) -> Result<()> {
    for m in messages {
        sqlx::query(
            "INSERT INTO outbox_messages (id, document_id, version, case_id, referral_id, kind, corrects, recipient_id,
                                          municipality_id, title, body, child_views, family_comment, sent_by, sent_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        )
        .bind(m.id.uuid())
        .bind(m.document_id.uuid())
        .bind(i64::from(m.version))
        .bind(m.case_id.uuid())
        .bind(m.referral_id.uuid())
        .bind(code(&m.kind)?)
        .bind(m.corrects.map(DocumentId::uuid))
        .bind(m.recipient_id.uuid())
        .bind(m.municipality_id.uuid())
        .bind(m.title.as_str())
        .bind(m.body.as_str())
        .bind(m.child_views.as_ref().map(|t| t.as_str().to_owned()))
        .bind(m.family_comment.as_ref().map(|t| t.as_str().to_owned()))
        .bind(m.sent_by.uuid())
        .bind(micros(m.sent_at))
        .execute(&mut *c)
        .await
        .map_err(db)?;
    }
    Ok(())
}

pub(crate) async fn outbox(c: &mut SqliteConnection, f: &OutboxFilter, limit: u32) -> Result<Vec<OutboxMessage>> {
    let mut q = QueryBuilder::new("");
    push_outbox_query(&mut q, f, limit);
    let rows = q.build().fetch_all(c).await.map_err(db)?;
    rows.iter().map(outbox_message_from_row).collect()
}

/// Appends the outbox query to `q` (empty, or `EXPLAIN QUERY PLAN` in tests): newest first,
/// and `before` continues below the id it was given.
pub(crate) fn push_outbox_query(q: &mut QueryBuilder<Sqlite>, f: &OutboxFilter, limit: u32) {
    q.push(
        "SELECT id, document_id, version, case_id, referral_id, kind, corrects, recipient_id, municipality_id, title,
                body, child_views, family_comment, sent_by, sent_at
         FROM outbox_messages WHERE 1 = 1",
    );
    if let Some(k) = f.case {
        q.push(" AND case_id = ").push_bind(k.uuid());
    }
    if let Some(d) = f.document {
        q.push(" AND document_id = ").push_bind(d.uuid());
    }
    if let Some(r) = f.recipient {
        q.push(" AND recipient_id = ").push_bind(r.uuid());
    }
    if let Some(m) = f.municipality {
        q.push(" AND municipality_id = ").push_bind(m.uuid());
    }
    if let Some(before) = f.before {
        q.push(" AND id < ").push_bind(before.uuid());
    }
    q.push(" ORDER BY id DESC LIMIT ").push_bind(i64::from(limit.clamp(1, Page::MAX)));
}

// --- Documentation settings ---

pub(crate) async fn documentation_settings(
    c: &mut SqliteConnection,
    provider: ProviderId,
) -> Result<DocumentationSettings> {
    let row = sqlx::query("SELECT settings FROM documentation_settings WHERE provider_id = ?1")
        .bind(provider.uuid())
        .fetch_optional(c)
        .await
        .map_err(db)?;
    match row {
        Some(row) => from_json(&row, "documentation_settings.settings"),
        None => Ok(DocumentationSettings::default()),
    }
}

pub(crate) async fn set_documentation_settings(
    c: &mut SqliteConnection,
    provider: ProviderId,
    s: &DocumentationSettings,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO documentation_settings (provider_id, settings) VALUES (?1, ?2)
         ON CONFLICT (provider_id) DO UPDATE SET settings = excluded.settings",
    )
    .bind(provider.uuid())
    .bind(json(s)?)
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

// --- Journal ---

fn journal_entry_from_row(row: &SqliteRow) -> Result<JournalEntry> {
    Ok(JournalEntry {
        id: id(row, "journal_entries.id")?,
        case_id: id(row, "journal_entries.case_id")?,
        appointment_id: opt_id(row, "journal_entries.appointment_id")?,
        author_id: id(row, "journal_entries.author_id")?,
        kind: enum_code(row, "journal_entries.kind")?,
        body: text(row, "journal_entries.body")?,
        written_at: ts(row, "journal_entries.written_at")?,
    })
}

pub(crate) async fn insert_journal_entry(c: &mut SqliteConnection, e: &JournalEntry) -> Result<()> {
    sqlx::query(
        "INSERT INTO journal_entries (id, case_id, appointment_id, author_id, kind, body, written_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .bind(e.id.uuid())
    .bind(e.case_id.uuid())
    .bind(e.appointment_id.map(AppointmentId::uuid))
    .bind(e.author_id.uuid())
    .bind(code(&e.kind)?)
    .bind(e.body.as_str())
    .bind(micros(e.written_at))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

/// Newest first: in descending id order, and a page continues below the id it was given.
pub(crate) async fn journal(c: &mut SqliteConnection, case: CaseId, page: Page) -> Result<Vec<JournalEntry>> {
    let mut q = QueryBuilder::<Sqlite>::new(
        "SELECT id, case_id, appointment_id, author_id, kind, body, written_at FROM journal_entries WHERE case_id = ",
    );
    q.push_bind(case.uuid());
    if let Some(after) = page.after {
        q.push(" AND id < ").push_bind(after);
    }
    q.push(" ORDER BY id DESC LIMIT ").push_bind(page_limit(&page));
    let rows = q.build().fetch_all(c).await.map_err(db)?;
    rows.iter().map(journal_entry_from_row).collect()
}
