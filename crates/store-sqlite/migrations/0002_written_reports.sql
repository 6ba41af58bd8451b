-- Samvirke on SQLite, schema version 2: written reports.
--
-- When a document was sent, the child's views in a letter, when the family
-- read a version, the outbox of what was sent to the caseworkers, and each
-- provider's documentation settings.
--
-- What was sent is part of the record and is not changed afterwards: the
-- triggers below refuse it with RAISE(ABORT), which reaches the program as
-- SQLITE_CONSTRAINT_TRIGGER (src/error.rs maps it to Conflict::Immutable).
-- No other trigger of the schema raises.

ALTER TABLE documents ADD COLUMN sent_at INTEGER;

-- The child's own views (status and closing letters about a child aged 10 or more).
ALTER TABLE document_versions ADD COLUMN child_views TEXT;
-- When the family read this version in family review.
ALTER TABLE document_versions ADD COLUMN family_read_at INTEGER;

-- Once set, the sending time stays.
CREATE TRIGGER documents_sent_at_is_final BEFORE UPDATE OF sent_at ON documents
WHEN OLD.sent_at IS NOT NULL AND NEW.sent_at IS NOT OLD.sent_at
BEGIN
    SELECT RAISE(ABORT, 'a sent document keeps its sending time');
END;

CREATE TRIGGER documents_sent_are_kept BEFORE DELETE ON documents
WHEN OLD.sent_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a sent document is never deleted');
END;

-- The versions of a sent document, the family's comment and reading time included.
CREATE TRIGGER document_versions_sent_are_final BEFORE UPDATE ON document_versions
WHEN (SELECT sent_at FROM documents WHERE id = OLD.document_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a version of a sent document is never changed');
END;

CREATE TRIGGER document_versions_sent_are_kept BEFORE DELETE ON document_versions
WHEN (SELECT sent_at FROM documents WHERE id = OLD.document_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a version of a sent document is never deleted');
END;

-- One sending of one document version to the ordering caseworker, as it was sent.
CREATE TABLE outbox_messages (
    id              BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    document_id     BLOB    NOT NULL,
    version         INTEGER NOT NULL CHECK (version >= 1),
    case_id         BLOB    NOT NULL REFERENCES cases (id),
    referral_id     BLOB    NOT NULL REFERENCES referrals (id),
    kind            TEXT    NOT NULL CHECK (kind IN ('written_description', 'status_letter', 'closing_letter')),
    corrects        BLOB    REFERENCES documents (id),
    recipient_id    BLOB    NOT NULL REFERENCES staff (id),
    municipality_id BLOB    NOT NULL REFERENCES municipalities (id),
    title           TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    child_views     TEXT,
    family_comment  TEXT,
    sent_by         BLOB    NOT NULL REFERENCES staff (id),
    sent_at         INTEGER NOT NULL,
    FOREIGN KEY (document_id, version) REFERENCES document_versions (document_id, version)
) STRICT;

-- Every list is newest first by id; each filter has an index in that order.
CREATE INDEX outbox_messages_by_case ON outbox_messages (case_id, id);
CREATE INDEX outbox_messages_by_document ON outbox_messages (document_id, id);
CREATE INDEX outbox_messages_by_recipient ON outbox_messages (recipient_id, id);
CREATE INDEX outbox_messages_by_municipality ON outbox_messages (municipality_id, id);

CREATE TRIGGER outbox_messages_are_final BEFORE UPDATE ON outbox_messages
BEGIN
    SELECT RAISE(ABORT, 'an outbox message is never changed');
END;

CREATE TRIGGER outbox_messages_are_kept BEFORE DELETE ON outbox_messages
BEGIN
    SELECT RAISE(ABORT, 'an outbox message is never deleted');
END;

-- A provider's documentation settings, read and written whole; no row means the defaults.
CREATE TABLE documentation_settings (
    provider_id BLOB NOT NULL PRIMARY KEY REFERENCES providers (id) ON DELETE CASCADE,
    settings    TEXT NOT NULL CHECK (json_valid(settings))
) STRICT;
