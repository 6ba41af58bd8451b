-- Samvirke on SQLite, schema version 3: security and privacy.
--
-- Sessions, the sign-in state of each account and password-reset tokens,
-- kept as hashes and counters, never as secrets; the audit log, append-only
-- and hash-chained; and the erasure of closed cases, which keeps only that it
-- happened.
--
-- The new triggers refuse with RAISE(ABORT) like those of migration 2, which
-- the program reports as Conflict::Immutable (src/error.rs).

-- Sessions ------------------------------------------------------------------------------

-- A signed-in browser, by the SHA-256 of its token.
CREATE TABLE sessions (
    token_hash             BLOB    NOT NULL PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id                BLOB    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at             INTEGER NOT NULL,
    last_seen_at           INTEGER NOT NULL,
    second_factor_verified INTEGER NOT NULL CHECK (second_factor_verified IN (0, 1)),
    csrf_hash              BLOB    NOT NULL CHECK (length(csrf_hash) = 32),
    client                 TEXT
) STRICT, WITHOUT ROWID;

CREATE INDEX sessions_by_user ON sessions (user_id);
-- The cleanup of ended sessions: idle, and past their absolute lifetime.
CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);
CREATE INDEX sessions_by_created ON sessions (created_at);

-- Sign-in state -------------------------------------------------------------------------

-- Lockout counters and the second factor of an account; no row is a clean
-- account without a second factor.
CREATE TABLE sign_in_state (
    user_id              BLOB    NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    failures             INTEGER NOT NULL CHECK (failures BETWEEN 0 AND 4294967295),
    first_failure_at     INTEGER,
    locked_until         INTEGER,
    -- Opaque bytes: the web layer encrypts the secret before it is stored.
    totp_secret          BLOB,
    totp_last_step       INTEGER CHECK (totp_last_step >= 0),
    -- JSON array of the salted hashes of the unused recovery codes.
    recovery_code_hashes TEXT    NOT NULL CHECK (json_valid(recovery_code_hashes) AND json_type(recovery_code_hashes) = 'array')
) STRICT;

-- Password resets -----------------------------------------------------------------------

-- A one-time reset token, by its SHA-256.
CREATE TABLE password_resets (
    token_hash BLOB    NOT NULL PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id    BLOB    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_by BLOB    REFERENCES users (id) ON DELETE SET NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) STRICT, WITHOUT ROWID;

CREATE INDEX password_resets_by_user ON password_resets (user_id);
CREATE INDEX password_resets_by_creator ON password_resets (created_by) WHERE created_by IS NOT NULL;

-- Audit log -----------------------------------------------------------------------------

-- One entry per event, numbered from 1 without gaps; each hash covers the
-- entry and the previous hash (samvirke_domain::audit::entry_hash). Ids only,
-- without foreign keys: the log outlives the accounts and cases it names.
-- Appends need no lock of their own, because write transactions begin with
-- BEGIN IMMEDIATE and so are serialised: the head read by one is the head.
CREATE TABLE audit_log (
    seq         INTEGER NOT NULL PRIMARY KEY CHECK (seq >= 1),
    at          INTEGER NOT NULL,
    actor_id    BLOB    CHECK (length(actor_id) = 16),
    action      TEXT    NOT NULL CHECK (action IN ('read', 'search', 'export', 'create', 'change', 'delete', 'erase',
                                                   'sign_in', 'sign_in_failed', 'sign_out', 'credential_reset')),
    record_kind TEXT    NOT NULL,
    record_id   BLOB    CHECK (length(record_id) = 16),
    case_id     BLOB    CHECK (length(case_id) = 16),
    client      TEXT,
    route       TEXT,
    prev_hash   BLOB    NOT NULL CHECK (length(prev_hash) = 32),
    hash        BLOB    NOT NULL CHECK (length(hash) = 32)
) STRICT;

-- "Who looked at this case" and "what did this account do", newest first.
CREATE INDEX audit_log_by_case ON audit_log (case_id, seq) WHERE case_id IS NOT NULL;
CREATE INDEX audit_log_by_actor ON audit_log (actor_id, seq) WHERE actor_id IS NOT NULL;

CREATE TRIGGER audit_log_is_final BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'an audit entry is never changed');
END;

CREATE TRIGGER audit_log_is_kept BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'an audit entry is never deleted');
END;

-- Erasure -------------------------------------------------------------------------------

-- That a case was erased, and nothing else of it. Written first in the
-- transaction of the erasure: the triggers that keep what was sent let it go
-- only for a case named here.
CREATE TABLE case_erasures (
    case_id   BLOB    NOT NULL PRIMARY KEY CHECK (length(case_id) = 16),
    erased_at INTEGER NOT NULL,
    erased_by BLOB    CHECK (length(erased_by) = 16)
) STRICT, WITHOUT ROWID;

-- Only a closed case is erased, so an erasure row cannot open what was sent
-- of a case still in use.
CREATE TRIGGER case_erasures_of_closed_cases BEFORE INSERT ON case_erasures
WHEN NOT EXISTS (SELECT 1 FROM cases WHERE id = NEW.case_id AND closed_on IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, 'only a closed case is erased');
END;

CREATE TRIGGER case_erasures_are_final BEFORE UPDATE ON case_erasures
BEGIN
    SELECT RAISE(ABORT, 'an erasure is never changed');
END;

CREATE TRIGGER case_erasures_are_kept BEFORE DELETE ON case_erasures
BEGIN
    SELECT RAISE(ABORT, 'an erasure is never deleted');
END;

-- What was sent is kept, unless its case is being erased (migration 2 kept it always).
DROP TRIGGER documents_sent_are_kept;
CREATE TRIGGER documents_sent_are_kept BEFORE DELETE ON documents
WHEN OLD.sent_at IS NOT NULL
 AND NOT EXISTS (SELECT 1 FROM case_erasures WHERE case_id = OLD.case_id)
BEGIN
    SELECT RAISE(ABORT, 'a sent document is never deleted');
END;

DROP TRIGGER document_versions_sent_are_kept;
CREATE TRIGGER document_versions_sent_are_kept BEFORE DELETE ON document_versions
WHEN (SELECT sent_at FROM documents WHERE id = OLD.document_id) IS NOT NULL
 AND NOT EXISTS (SELECT 1 FROM case_erasures
                 WHERE case_id = (SELECT case_id FROM documents WHERE id = OLD.document_id))
BEGIN
    SELECT RAISE(ABORT, 'a version of a sent document is never deleted');
END;

DROP TRIGGER outbox_messages_are_kept;
CREATE TRIGGER outbox_messages_are_kept BEFORE DELETE ON outbox_messages
WHEN NOT EXISTS (SELECT 1 FROM case_erasures WHERE case_id = OLD.case_id)
BEGIN
    SELECT RAISE(ABORT, 'an outbox message is never deleted');
END;

-- For finding the cases whose retention has run out.
CREATE INDEX cases_closed ON cases (closed_on, id) WHERE closed_on IS NOT NULL;
