-- Samvirke on PostgreSQL, schema version 2: written reports.
--
-- When a document was sent, the child's views in a letter, when the family
-- read a version, the outbox of what was sent to the caseworkers, and each
-- provider's documentation settings.
--
-- What was sent is part of the record and is not changed afterwards: the
-- triggers below refuse it with the SQLSTATE 'SV001' of their own, which the
-- store maps to Conflict::Immutable (src/encode.rs).

-- Documents ----------------------------------------------------------------------------

ALTER TABLE documents ADD COLUMN sent_at timestamptz;

-- The child's own views (status and closing letters about a child aged 10 or more).
ALTER TABLE document_versions ADD COLUMN child_views text;
-- When the family read this version in family review.
ALTER TABLE document_versions ADD COLUMN family_read_at timestamptz;

CREATE FUNCTION samvirke_refuse_change_of_sent_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'a sent document is never deleted' USING ERRCODE = 'SV001';
    END IF;
    RAISE EXCEPTION 'a sent document keeps its sending time' USING ERRCODE = 'SV001';
END
$$;

CREATE TRIGGER documents_sent_at_is_final BEFORE UPDATE OF sent_at ON documents
FOR EACH ROW WHEN (OLD.sent_at IS NOT NULL AND NEW.sent_at IS DISTINCT FROM OLD.sent_at)
EXECUTE FUNCTION samvirke_refuse_change_of_sent_document();

CREATE TRIGGER documents_sent_are_kept BEFORE DELETE ON documents
FOR EACH ROW WHEN (OLD.sent_at IS NOT NULL)
EXECUTE FUNCTION samvirke_refuse_change_of_sent_document();

-- The versions of a sent document, the family's comment and reading time
-- included. The document's row is read FOR SHARE: a transaction that is
-- sending the document holds it, so a change of a version waits for the
-- sending and then sees its sent_at (READ COMMITTED re-reads the locked row).
CREATE FUNCTION samvirke_refuse_change_of_sent_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    sent timestamptz;
BEGIN
    SELECT sent_at INTO sent FROM documents WHERE id = OLD.document_id FOR SHARE;
    IF sent IS NOT NULL THEN
        RAISE EXCEPTION 'a version of a sent document is never changed' USING ERRCODE = 'SV001';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER document_versions_sent_are_final BEFORE UPDATE OR DELETE ON document_versions
FOR EACH ROW EXECUTE FUNCTION samvirke_refuse_change_of_sent_version();

-- Outbox -------------------------------------------------------------------------------

-- One sending of one document version to the ordering caseworker, as it was sent.
CREATE TABLE outbox_messages (
    id              uuid PRIMARY KEY,
    document_id     uuid NOT NULL,
    version         bigint NOT NULL CHECK (version BETWEEN 1 AND 4294967295),
    case_id         uuid NOT NULL REFERENCES cases (id),
    referral_id     uuid NOT NULL REFERENCES referrals (id),
    kind            text NOT NULL CHECK (kind IN ('written_description', 'status_letter', 'closing_letter')),
    corrects        uuid REFERENCES documents (id),
    recipient_id    uuid NOT NULL REFERENCES staff (id),
    municipality_id uuid NOT NULL REFERENCES municipalities (id),
    title           text NOT NULL,
    body            text NOT NULL,
    child_views     text,
    family_comment  text,
    sent_by         uuid NOT NULL REFERENCES staff (id),
    sent_at         timestamptz NOT NULL,
    FOREIGN KEY (document_id, version) REFERENCES document_versions (document_id, version)
);
-- Every list is newest first by id; each filter has an index in that order.
CREATE INDEX outbox_messages_by_case ON outbox_messages (case_id, id);
CREATE INDEX outbox_messages_by_document ON outbox_messages (document_id, id);
CREATE INDEX outbox_messages_by_recipient ON outbox_messages (recipient_id, id);
CREATE INDEX outbox_messages_by_municipality ON outbox_messages (municipality_id, id);

CREATE FUNCTION samvirke_refuse_change_of_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'an outbox message is never changed or deleted' USING ERRCODE = 'SV001';
END
$$;

CREATE TRIGGER outbox_messages_are_final BEFORE UPDATE OR DELETE ON outbox_messages
FOR EACH ROW EXECUTE FUNCTION samvirke_refuse_change_of_outbox();

CREATE TRIGGER outbox_messages_are_not_truncated BEFORE TRUNCATE ON outbox_messages
FOR EACH STATEMENT EXECUTE FUNCTION samvirke_refuse_change_of_outbox();

-- Settings -----------------------------------------------------------------------------

-- A provider's documentation settings, read and written whole; no row means the defaults.
CREATE TABLE documentation_settings (
    provider_id uuid PRIMARY KEY REFERENCES providers (id) ON DELETE CASCADE,
    settings    jsonb NOT NULL
);
