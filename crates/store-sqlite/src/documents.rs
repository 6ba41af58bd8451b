//! Documents with their versions, and the journal.

use crate::codec::*;
use crate::error::{check_revision, db};
use samvirke_domain::document::{Document, DocumentVersion};
use samvirke_domain::journal::JournalEntry;
use samvirke_domain::text::LongText;
use samvirke_domain::*;
use samvirke_store::{Conflict, DocumentFilter, Page, StoreError};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

// --- Documents ---

macro_rules! document_select {
    () => {
        "SELECT d.id, d.case_id, d.referral_id, d.appointment_id, d.kind, d.title, d.state, d.corrects, d.created_at,
                d.current_version, d.revision
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
    })
}

async fn insert_version(c: &mut SqliteConnection, v: &DocumentVersion) -> Result<()> {
    sqlx::query(
        "INSERT INTO document_versions (document_id, version, body, family_comment, author_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .bind(v.document_id.uuid())
    .bind(i64::from(v.version))
    .bind(v.body.as_str())
    .bind(v.family_comment.as_ref().map(|t| t.as_str().to_owned()))
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
                               created_at, current_version, revision)
         SELECT ?1, c.id, c.provider_id, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11
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
        "UPDATE documents SET appointment_id = ?3, title = ?4, state = ?5, corrects = ?6, revision = revision + 1
         WHERE id = ?1 AND revision = ?2",
    )
    .bind(d.id.uuid())
    .bind(i64::from(d.revision))
    .bind(d.appointment_id.map(AppointmentId::uuid))
    .bind(d.title.as_str())
    .bind(code(&d.state)?)
    .bind(d.corrects.map(DocumentId::uuid))
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

pub(crate) async fn set_family_comment(
    c: &mut SqliteConnection,
    id: DocumentId,
    version: u32,
    comment: Option<&LongText>,
) -> Result<()> {
    let done = sqlx::query("UPDATE document_versions SET family_comment = ?3 WHERE document_id = ?1 AND version = ?2")
        .bind(id.uuid())
        .bind(i64::from(version))
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
        family_comment: opt_text(row, "document_versions.family_comment")?,
        author_id: id(row, "document_versions.author_id")?,
        created_at: ts(row, "document_versions.created_at")?,
    })
}

pub(crate) async fn document_versions(c: &mut SqliteConnection, id: DocumentId) -> Result<Vec<DocumentVersion>> {
    let rows = sqlx::query(
        "SELECT document_id, version, body, family_comment, author_id, created_at
         FROM document_versions WHERE document_id = ?1 ORDER BY version",
    )
    .bind(id.uuid())
    .fetch_all(c)
    .await
    .map_err(db)?;
    rows.iter().map(version_from_row).collect()
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
