-- Samvirke on PostgreSQL, schema version 3: security and privacy.
--
-- Sessions, the sign-in state of each account and password-reset tokens,
-- kept as hashes and counters, never as secrets; the audit log, append-only
-- and hash-chained, with the one-row head that appenders lock; and the
-- erasure of closed cases, which keeps only that it happened.
--
-- The new triggers refuse with SQLSTATE 'SV001' like those of migration 2,
-- which the store maps to Conflict::Immutable (src/encode.rs).

-- Sessions ------------------------------------------------------------------------------

-- A signed-in browser, by the SHA-256 of its token. The table is the shared
-- truth of every app instance: a deleted row is a session ended everywhere.
CREATE TABLE sessions (
    token_hash             bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    user_id                uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at             timestamptz NOT NULL,
    last_seen_at           timestamptz NOT NULL,
    second_factor_verified boolean NOT NULL,
    csrf_hash              bytea NOT NULL CHECK (octet_length(csrf_hash) = 32),
    client                 text
);
CREATE INDEX sessions_by_user ON sessions (user_id);
-- The cleanup of ended sessions: idle, and past their absolute lifetime.
CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);
CREATE INDEX sessions_by_created ON sessions (created_at);

-- Sign-in state -------------------------------------------------------------------------

-- Lockout counters and the second factor of an account; no row is a clean
-- account without a second factor. Read-decide-write of the counters holds
-- the account's users row FOR NO KEY UPDATE (the store does it on read).
CREATE TABLE sign_in_state (
    user_id              uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    failures             bigint NOT NULL CHECK (failures BETWEEN 0 AND 4294967295),
    first_failure_at     timestamptz,
    locked_until         timestamptz,
    -- Opaque bytes: the web layer encrypts the secret before it is stored.
    totp_secret          bytea,
    totp_last_step       bigint CHECK (totp_last_step >= 0),
    -- The salted hashes of the unused recovery codes.
    recovery_code_hashes text[] NOT NULL
);

-- Password resets -----------------------------------------------------------------------

-- A one-time reset token, by its SHA-256.
CREATE TABLE password_resets (
    token_hash bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX password_resets_by_user ON password_resets (user_id);
CREATE INDEX password_resets_by_creator ON password_resets (created_by) WHERE created_by IS NOT NULL;

-- Audit log -----------------------------------------------------------------------------

-- One entry per event, numbered from 1 without gaps; each hash covers the
-- entry and the previous hash (samvirke_domain::audit::entry_hash). Ids only,
-- without foreign keys: the log outlives the accounts and cases it names.
CREATE TABLE audit_log (
    seq         bigint PRIMARY KEY CHECK (seq >= 1),
    at          timestamptz NOT NULL,
    actor_id    uuid,
    action      text NOT NULL CHECK (action IN (
        'read', 'search', 'export', 'create', 'change', 'delete', 'erase',
        'sign_in', 'sign_in_failed', 'sign_out', 'credential_reset')),
    record_kind text NOT NULL,
    record_id   uuid,
    case_id     uuid,
    client      text,
    route       text,
    prev_hash   bytea NOT NULL CHECK (octet_length(prev_hash) = 32),
    hash        bytea NOT NULL CHECK (octet_length(hash) = 32)
);
-- "Who looked at this case" and "what did this account do", newest first.
CREATE INDEX audit_log_by_case ON audit_log (case_id, seq) WHERE case_id IS NOT NULL;
CREATE INDEX audit_log_by_actor ON audit_log (actor_id, seq) WHERE actor_id IS NOT NULL;

-- The newest entry's position and hash (0 and 32 zero bytes while the log is
-- empty). Every append takes this one row FOR UPDATE, writes its entries and
-- moves the head, in the transaction of the change it records; so appenders
-- on every connection and instance are serialised until they commit or roll
-- back, and numbering has no gaps.
--
-- Locking the newest row of audit_log instead would not serialise under READ
-- COMMITTED: the second appender waits for the first's lock on entry n, but
-- when the first commits, entry n is unchanged (the first inserted n + 1, it
-- did not update n), so the second goes on with n as the head it found in its
-- statement's snapshot, in which n + 1 does not exist yet, and collides with
-- (or forks) the chain at n + 1. An empty log has no row to lock at all. A
-- row that every appender updates makes the waiting one re-read the updated
-- version once the lock is released, which is the new head.
CREATE TABLE audit_head (
    id   boolean PRIMARY KEY DEFAULT true CHECK (id),
    seq  bigint NOT NULL CHECK (seq >= 0),
    hash bytea NOT NULL CHECK (octet_length(hash) = 32)
);
INSERT INTO audit_head (id, seq, hash) VALUES (true, 0, '\x0000000000000000000000000000000000000000000000000000000000000000');

CREATE FUNCTION samvirke_refuse_change_of_audit_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'an audit entry is never changed or deleted' USING ERRCODE = 'SV001';
END
$$;

CREATE TRIGGER audit_log_is_final BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION samvirke_refuse_change_of_audit_log();

CREATE TRIGGER audit_log_is_not_truncated BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION samvirke_refuse_change_of_audit_log();

-- The head only moves on, and is never removed.
CREATE FUNCTION samvirke_refuse_moving_the_audit_head_back() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.seq >= OLD.seq THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the head of the audit log only moves on' USING ERRCODE = 'SV001';
END
$$;

CREATE TRIGGER audit_head_moves_on BEFORE UPDATE OR DELETE ON audit_head
FOR EACH ROW EXECUTE FUNCTION samvirke_refuse_moving_the_audit_head_back();

CREATE TRIGGER audit_head_is_not_truncated BEFORE TRUNCATE ON audit_head
FOR EACH STATEMENT EXECUTE FUNCTION samvirke_refuse_moving_the_audit_head_back();

-- Erasure -------------------------------------------------------------------------------

-- That a case was erased, and nothing else of it. Written first in the
-- transaction of the erasure: the triggers that keep what was sent let it go
-- only for a case named here.
CREATE TABLE case_erasures (
    case_id   uuid PRIMARY KEY,
    erased_at timestamptz NOT NULL,
    erased_by uuid
);

-- Only a closed case is erased, so an erasure row cannot open what was sent
-- of a case still in use; and the record of an erasure is final.
CREATE FUNCTION samvirke_guard_case_erasure() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF EXISTS (SELECT 1 FROM cases WHERE id = NEW.case_id AND closed_on IS NOT NULL) THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'only a closed case is erased' USING ERRCODE = 'SV001';
    END IF;
    RAISE EXCEPTION 'an erasure is never changed or deleted' USING ERRCODE = 'SV001';
END
$$;

CREATE TRIGGER case_erasures_are_final BEFORE INSERT OR UPDATE OR DELETE ON case_erasures
FOR EACH ROW EXECUTE FUNCTION samvirke_guard_case_erasure();

CREATE TRIGGER case_erasures_are_not_truncated BEFORE TRUNCATE ON case_erasures
FOR EACH STATEMENT EXECUTE FUNCTION samvirke_guard_case_erasure();

-- What was sent is kept, unless its case is being erased (migration 2 kept it
-- always). A trigger's WHEN cannot hold a subquery, so the functions look.

CREATE FUNCTION samvirke_refuse_deletion_of_sent_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM case_erasures WHERE case_id = OLD.case_id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'a sent document is never deleted' USING ERRCODE = 'SV001';
END
$$;

DROP TRIGGER documents_sent_are_kept ON documents;
CREATE TRIGGER documents_sent_are_kept BEFORE DELETE ON documents
FOR EACH ROW WHEN (OLD.sent_at IS NOT NULL)
EXECUTE FUNCTION samvirke_refuse_deletion_of_sent_document();

CREATE OR REPLACE FUNCTION samvirke_refuse_change_of_sent_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    sent timestamptz;
    of_case uuid;
BEGIN
    SELECT sent_at, case_id INTO sent, of_case FROM documents WHERE id = OLD.document_id FOR SHARE;
    IF sent IS NOT NULL THEN
        IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM case_erasures WHERE case_id = of_case) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'a version of a sent document is never changed' USING ERRCODE = 'SV001';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION samvirke_refuse_change_of_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- TRUNCATE runs this for the statement, without a row.
    IF TG_OP = 'DELETE' THEN
        IF EXISTS (SELECT 1 FROM case_erasures WHERE case_id = OLD.case_id) THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION 'an outbox message is never changed or deleted' USING ERRCODE = 'SV001';
END
$$;

-- For finding the cases whose retention has run out.
CREATE INDEX cases_closed ON cases (closed_on, id) WHERE closed_on IS NOT NULL;
-- For the foreign keys followed when an erasure deletes accounts and family members.
CREATE INDEX users_by_family_member ON users (subject_family_member_id) WHERE subject_family_member_id IS NOT NULL;
CREATE INDEX users_by_case ON users (subject_case_id) WHERE subject_case_id IS NOT NULL;
CREATE INDEX consents_by_giver ON consents (giver_family_member_id) WHERE giver_family_member_id IS NOT NULL;
