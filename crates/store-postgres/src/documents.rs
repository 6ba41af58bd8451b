//! The written record of a case: documents with their versions, and the journal.

use crate::encode::*;
use samvirke_domain::document::{Document, DocumentVersion};
use samvirke_domain::journal::JournalEntry;
use samvirke_domain::text::LongText;
use samvirke_domain::*;
use samvirke_store::{DocumentFilter, Page, Result};
use sqlx::postgres::{PgConnection, PgRow};
use sqlx::{Postgres, QueryBuilder};

// --- Documents ---

macro_rules! document_sql {
    ($($rest:literal)?) => {
        concat!(
            "SELECT d.id, d.case_id, d.referral_id, d.appointment_id, d.kind, d.title, d.state, d.corrects, \
             d.created_at, d.current_version, d.revision FROM documents d"
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
    })
}

pub(crate) async fn insert_document(c: &mut PgConnection, d: &Document, first: &DocumentVersion) -> Result<()> {
    sqlx::query(
        "INSERT INTO documents (id, case_id, referral_id, appointment_id, kind, title, state, corrects, \
         created_at, current_version, revision) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
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
    .execute(&mut *c)
    .await
    .map_err(err)?;
    insert_version(c, first).await
}

async fn insert_version(c: &mut PgConnection, v: &DocumentVersion) -> Result<()> {
    sqlx::query(
        "INSERT INTO document_versions (document_id, version, body, family_comment, author_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(v.document_id.0)
    .bind(i64::from(v.version))
    .bind(v.body.as_str())
    .bind(v.family_comment.as_ref().map(|t| t.as_str()))
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
         state = $8, corrects = $9, current_version = $10, revision = revision + 1 \
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

pub(crate) async fn set_family_comment(
    c: &mut PgConnection,
    id: DocumentId,
    version: u32,
    comment: Option<&LongText>,
) -> Result<()> {
    let done = sqlx::query("UPDATE document_versions SET family_comment = $3 WHERE document_id = $1 AND version = $2")
        .bind(id.0)
        .bind(i64::from(version))
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
        family_comment: text_opt(r, "document_versions.family_comment")?,
        author_id: id(r, "document_versions.author_id")?,
        created_at: timestamp(r, "document_versions.created_at")?,
    })
}

pub(crate) async fn document_versions(c: &mut PgConnection, id: DocumentId) -> Result<Vec<DocumentVersion>> {
    let rows = sqlx::query(
        "SELECT document_id, version, body, family_comment, author_id, created_at FROM document_versions \
         WHERE document_id = $1 ORDER BY version",
    )
    .bind(id.0)
    .fetch_all(c)
    .await
    .map_err(err)?;
    rows.iter().map(version_from_row).collect()
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
