-- Samvirke on SQLite, schema version 1.
--
-- Conventions (see src/codec.rs):
--   ids         BLOB, the 16 bytes of a UUID (v7, so byte order is creation order)
--   instants    INTEGER, microseconds since the Unix epoch (UTC), so overlaps compare numerically
--   dates       TEXT, YYYY-MM-DD
--   booleans    INTEGER 0/1
--   enums       TEXT, the snake_case codes of the domain's serde form
--   JSON        TEXT holding serde_json of a domain value that is always read and written whole
--
-- Referrals, appointments and documents carry a copy of their case's provider_id,
-- so that "at this provider" filters hit an index. The copy is kept true by a
-- composite foreign key to cases (id, provider_id) with ON UPDATE CASCADE.

CREATE TABLE municipalities (
    id   BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    code INTEGER NOT NULL UNIQUE CHECK (code BETWEEN 101 AND 860),
    name TEXT    NOT NULL
) STRICT;

CREATE TABLE providers (
    id   BLOB NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    name TEXT NOT NULL
) STRICT;

CREATE INDEX providers_by_name ON providers (name);

CREATE TABLE provider_municipalities (
    provider_id     BLOB    NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    municipality_id BLOB    NOT NULL REFERENCES municipalities (id),
    position        INTEGER NOT NULL CHECK (position >= 0),
    PRIMARY KEY (provider_id, municipality_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX provider_municipalities_by_municipality ON provider_municipalities (municipality_id);

CREATE TABLE staff (
    id                  BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    name                TEXT    NOT NULL,
    role                TEXT    NOT NULL CHECK (role IN ('practitioner', 'coordinator', 'team_lead', 'caseworker', 'admin')),
    provider_id         BLOB    REFERENCES providers (id),
    municipality_id     BLOB    REFERENCES municipalities (id),
    employment          TEXT    NOT NULL CHECK (employment IN ('permanent', 'hourly')),
    email               TEXT,
    supervision_trained INTEGER NOT NULL CHECK (supervision_trained IN (0, 1)),
    working_pattern     TEXT    NOT NULL CHECK (json_valid(working_pattern)),
    max_weekly_minutes  INTEGER CHECK (max_weekly_minutes >= 0),
    active              INTEGER NOT NULL CHECK (active IN (0, 1)),
    CHECK ((provider_id IS NULL) <> (municipality_id IS NULL))
) STRICT;

CREATE INDEX staff_by_provider ON staff (provider_id, name) WHERE provider_id IS NOT NULL;
CREATE INDEX staff_by_municipality ON staff (municipality_id, name) WHERE municipality_id IS NOT NULL;
CREATE INDEX staff_by_role ON staff (role, name);

CREATE TABLE absences (
    id        BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    staff_id  BLOB    NOT NULL REFERENCES staff (id),
    starts_at INTEGER NOT NULL,
    ends_at   INTEGER NOT NULL,
    kind      TEXT    NOT NULL CHECK (kind IN ('sick', 'holiday', 'course', 'other')),
    CHECK (ends_at > starts_at)
) STRICT;

-- Overlap with [start, end) is `starts_at < end AND ends_at > start`; most
-- absences lie in the past, so the index range `ends_at > start` is short.
CREATE INDEX absences_by_staff ON absences (staff_id, ends_at);
CREATE INDEX absences_by_end ON absences (ends_at);

CREATE TABLE rooms (
    id                  BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    provider_id         BLOB    NOT NULL REFERENCES providers (id),
    name                TEXT    NOT NULL,
    capacity            INTEGER NOT NULL CHECK (capacity BETWEEN 0 AND 65535),
    suitable_for_visits INTEGER NOT NULL CHECK (suitable_for_visits IN (0, 1)),
    opening_hours       TEXT    NOT NULL CHECK (json_valid(opening_hours)),
    active              INTEGER NOT NULL CHECK (active IN (0, 1))
) STRICT;

CREATE INDEX rooms_by_provider ON rooms (provider_id, name);

CREATE TABLE cases (
    id              BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    reference       TEXT    NOT NULL UNIQUE,
    provider_id     BLOB    NOT NULL REFERENCES providers (id),
    municipality_id BLOB    NOT NULL REFERENCES municipalities (id),
    child_name      TEXT    NOT NULL,
    -- The full ten digits: the number identifies the child (Databeskyttelsesloven § 11).
    child_cpr       TEXT    NOT NULL CHECK (length(child_cpr) = 10 AND child_cpr NOT GLOB '*[^0-9]*'),
    placement       TEXT    CHECK (placement IS NULL OR json_valid(placement)),
    opened_on       TEXT    NOT NULL CHECK (date(opened_on) IS opened_on),
    closed_on       TEXT    CHECK (date(closed_on) IS closed_on),
    created_at      INTEGER NOT NULL,
    revision        INTEGER NOT NULL CHECK (revision >= 0)
) STRICT;

-- One open case per child and provider.
CREATE UNIQUE INDEX cases_one_open_per_child ON cases (provider_id, child_cpr) WHERE closed_on IS NULL;
CREATE INDEX cases_by_cpr ON cases (provider_id, child_cpr, opened_on);
CREATE INDEX cases_by_provider ON cases (provider_id, closed_on);
CREATE INDEX cases_by_municipality ON cases (municipality_id, closed_on);
-- The parent key of the provider copies in referrals, appointments and documents.
CREATE UNIQUE INDEX cases_id_provider ON cases (id, provider_id);

CREATE TABLE family_members (
    id                BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    case_id           BLOB    NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    name              TEXT    NOT NULL,
    relation          TEXT    NOT NULL CHECK (relation IN ('mother', 'father', 'parent', 'step_parent', 'grandparent',
                                                           'sibling', 'other_relative', 'foster_parent', 'friend')),
    roles             TEXT    NOT NULL CHECK (json_valid(roles)),
    phone             TEXT,
    email             TEXT,
    address           TEXT,
    address_protected INTEGER NOT NULL CHECK (address_protected IN (0, 1))
) STRICT;

CREATE INDEX family_members_by_case ON family_members (case_id, name);

CREATE TABLE referrals (
    id               BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    case_id          BLOB    NOT NULL,
    provider_id      BLOB    NOT NULL,
    intervention     TEXT    NOT NULL CHECK (intervention IN ('supported_visitation', 'supervised_visitation',
                                                              'home_support', 'contact_person', 'parent_programme')),
    caseworker_id    BLOB    NOT NULL REFERENCES staff (id),
    state            TEXT    NOT NULL CHECK (state IN ('received', 'accepted', 'rejected', 'active', 'ending', 'closed')),
    coordinator_id   BLOB    REFERENCES staff (id),
    rejection_reason TEXT,
    terms            TEXT    NOT NULL CHECK (json_valid(terms)),
    terms_version    INTEGER NOT NULL CHECK (terms_version >= 1),
    -- Copied out of the current terms for queries.
    period_start     TEXT    NOT NULL CHECK (date(period_start) IS period_start),
    period_end       TEXT    NOT NULL CHECK (date(period_end) IS period_end),
    ordered_hours    INTEGER NOT NULL CHECK (ordered_hours >= 0),
    received_at      INTEGER NOT NULL,
    revision         INTEGER NOT NULL CHECK (revision >= 0),
    FOREIGN KEY (case_id, provider_id) REFERENCES cases (id, provider_id) ON UPDATE CASCADE,
    CHECK (period_end >= period_start)
) STRICT;

CREATE INDEX referrals_by_case ON referrals (case_id, state);
CREATE INDEX referrals_by_provider ON referrals (provider_id, state);
CREATE INDEX referrals_by_caseworker ON referrals (caseworker_id, state);
CREATE INDEX referrals_by_coordinator ON referrals (coordinator_id) WHERE coordinator_id IS NOT NULL;
CREATE INDEX referrals_by_state ON referrals (state, intervention);
CREATE INDEX referrals_by_intervention ON referrals (intervention);

CREATE TABLE referral_practitioners (
    referral_id BLOB    NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL CHECK (position >= 0),
    staff_id    BLOB    NOT NULL REFERENCES staff (id),
    PRIMARY KEY (referral_id, position)
) STRICT, WITHOUT ROWID;

CREATE INDEX referral_practitioners_by_staff ON referral_practitioners (staff_id);

CREATE TABLE referral_versions (
    referral_id BLOB    NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL CHECK (version >= 1),
    terms       TEXT    NOT NULL CHECK (json_valid(terms)),
    changed_by  BLOB    NOT NULL REFERENCES staff (id),
    changed_at  INTEGER NOT NULL,
    reason      TEXT,
    PRIMARY KEY (referral_id, version)
) STRICT;

CREATE INDEX referral_versions_by_author ON referral_versions (changed_by);

CREATE TABLE committee_decisions (
    id           BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    case_id      BLOB    NOT NULL REFERENCES cases (id),
    kind         TEXT    NOT NULL CHECK (kind IN ('supervised_visitation', 'contact_cut_off')),
    grounds      TEXT    NOT NULL CHECK (json_valid(grounds)),
    period_start TEXT    NOT NULL CHECK (date(period_start) IS period_start),
    period_end   TEXT    NOT NULL CHECK (date(period_end) IS period_end),
    decided_on   TEXT    NOT NULL CHECK (date(decided_on) IS decided_on),
    note         TEXT,
    recorded_at  INTEGER NOT NULL,
    CHECK (period_end >= period_start)
) STRICT;

CREATE INDEX committee_decisions_by_case ON committee_decisions (case_id, period_start);

CREATE TABLE visitation_suspensions (
    id                 BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    case_id            BLOB    NOT NULL REFERENCES cases (id),
    period_start       TEXT    NOT NULL CHECK (date(period_start) IS period_start),
    period_end         TEXT    NOT NULL CHECK (date(period_end) IS period_end),
    decided_on         TEXT    NOT NULL CHECK (date(decided_on) IS decided_on),
    requested_by_child INTEGER NOT NULL CHECK (requested_by_child IN (0, 1)),
    note               TEXT,
    recorded_at        INTEGER NOT NULL,
    CHECK (period_end >= period_start)
) STRICT;

CREATE INDEX visitation_suspensions_by_case ON visitation_suspensions (case_id, period_start);

CREATE TABLE consents (
    id                     BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    case_id                BLOB    NOT NULL REFERENCES cases (id),
    referral_id            BLOB    REFERENCES referrals (id),
    -- NULL: the child gave it.
    giver_family_member_id BLOB    REFERENCES family_members (id),
    purpose                TEXT    NOT NULL CHECK (purpose IN ('intervention', 'written_descriptions', 'sharing_with_placement')),
    given_at               INTEGER NOT NULL,
    withdrawn_at           INTEGER,
    recorded_by            BLOB    NOT NULL REFERENCES staff (id),
    note                   TEXT
) STRICT;

CREATE INDEX consents_by_case ON consents (case_id, given_at);
CREATE INDEX consents_by_referral ON consents (referral_id) WHERE referral_id IS NOT NULL;
CREATE INDEX consents_by_giver ON consents (giver_family_member_id) WHERE giver_family_member_id IS NOT NULL;

CREATE TABLE appointments (
    id                  BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    case_id             BLOB    NOT NULL,
    provider_id         BLOB    NOT NULL,
    referral_id         BLOB    NOT NULL REFERENCES referrals (id),
    kind                TEXT    NOT NULL CHECK (kind IN ('visit', 'start_meeting', 'guidance_before_visit',
                                                       'guidance_after_visit', 'child_talk_after_visit',
                                                       'caregiver_talk_after_visit', 'home_support_session',
                                                       'contact_person_meeting', 'parent_session',
                                                       'follow_up_meeting', 'network_meeting')),
    -- Planned time.
    starts_at           INTEGER NOT NULL,
    ends_at             INTEGER NOT NULL,
    -- From the first arrival to the last departure (Appointment::occupied).
    occupied_from       INTEGER NOT NULL,
    occupied_until      INTEGER NOT NULL,
    location_kind       TEXT    NOT NULL CHECK (location_kind IN ('room', 'family_home', 'placement_setting', 'other')),
    room_id             BLOB    REFERENCES rooms (id),
    location_text       TEXT,
    -- Rows in appointment_staff, written with them.
    practitioner_count  INTEGER NOT NULL CHECK (practitioner_count BETWEEN 0 AND 2),
    participants        TEXT    NOT NULL CHECK (json_valid(participants)),
    arrival             TEXT    CHECK (arrival IS NULL OR json_valid(arrival)),
    series_id           BLOB,
    actual_start        INTEGER,
    actual_end          INTEGER,
    outcome             TEXT    CHECK (outcome IS NULL OR json_valid(outcome)),
    outcome_kind        TEXT    CHECK (outcome_kind IN ('held', 'cancelled', 'no_show', 'ended_early')),
    outcome_recorded_at INTEGER,
    created_at          INTEGER NOT NULL,
    revision            INTEGER NOT NULL CHECK (revision >= 0),
    FOREIGN KEY (case_id, provider_id) REFERENCES cases (id, provider_id) ON UPDATE CASCADE,
    CHECK (ends_at > starts_at),
    CHECK (occupied_from <= starts_at AND occupied_until >= ends_at),
    CHECK ((location_kind = 'room') = (room_id IS NOT NULL)),
    CHECK ((location_kind = 'other') = (location_text IS NOT NULL)),
    CHECK ((actual_start IS NULL) = (actual_end IS NULL)),
    CHECK (actual_end > actual_start),
    CHECK ((outcome IS NULL) = (outcome_kind IS NULL))
) STRICT;

-- Every list is ordered by (starts_at, id); each entry point has an index in that order.
-- A referral's appointments are found through its case (a case has one or a few
-- referrals), which saves an index on the largest table.
CREATE INDEX appointments_by_case ON appointments (case_id, starts_at, id);
CREATE INDEX appointments_by_room ON appointments (room_id, starts_at, id) WHERE room_id IS NOT NULL;
-- With no other way in, a query goes through every provider's range of this index
-- (a national index on starts_at alone, written at random places, would cost a
-- third of the time of inserting an appointment).
CREATE INDEX appointments_by_provider ON appointments (provider_id, starts_at, id);
-- A coordinator's work queues: small, because most appointments are staffed and, once past, have an outcome.
CREATE INDEX appointments_unassigned ON appointments (provider_id, starts_at, id) WHERE practitioner_count = 0;
CREATE INDEX appointments_without_outcome ON appointments (provider_id, starts_at, id) WHERE outcome_kind IS NULL;

-- The practitioners of an appointment, with copies of its times so that a
-- person's calendar is one index range.
CREATE TABLE appointment_staff (
    appointment_id BLOB    NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL CHECK (position IN (0, 1)),
    staff_id       BLOB    NOT NULL REFERENCES staff (id),
    starts_at      INTEGER NOT NULL,
    ends_at        INTEGER NOT NULL,
    occupied_from  INTEGER NOT NULL,
    occupied_until INTEGER NOT NULL,
    PRIMARY KEY (appointment_id, position)
) STRICT, WITHOUT ROWID;

CREATE INDEX appointment_staff_by_staff ON appointment_staff (staff_id, starts_at);

-- The longest planned appointment ever stored. An appointment overlapping
-- [start, end) then starts after `start - longest_planned`, which bounds the
-- index range of an overlap query from below as well as above.
CREATE TABLE appointment_spans (
    id              INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    longest_planned INTEGER NOT NULL CHECK (longest_planned >= 0)
) STRICT;

INSERT INTO appointment_spans (id, longest_planned) VALUES (1, 0);

CREATE TRIGGER appointments_longest_on_insert AFTER INSERT ON appointments
WHEN NEW.ends_at - NEW.starts_at > (SELECT longest_planned FROM appointment_spans WHERE id = 1)
BEGIN
    UPDATE appointment_spans SET longest_planned = NEW.ends_at - NEW.starts_at WHERE id = 1;
END;

CREATE TRIGGER appointments_longest_on_update AFTER UPDATE OF starts_at, ends_at ON appointments
WHEN NEW.ends_at - NEW.starts_at > (SELECT longest_planned FROM appointment_spans WHERE id = 1)
BEGIN
    UPDATE appointment_spans SET longest_planned = NEW.ends_at - NEW.starts_at WHERE id = 1;
END;

CREATE TABLE journal_entries (
    id             BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    case_id        BLOB    NOT NULL REFERENCES cases (id),
    appointment_id BLOB    REFERENCES appointments (id),
    author_id      BLOB    NOT NULL REFERENCES staff (id),
    kind           TEXT    NOT NULL CHECK (kind IN ('session_note', 'oral_information', 'note')),
    body           TEXT    NOT NULL,
    written_at     INTEGER NOT NULL
) STRICT;

CREATE INDEX journal_entries_by_case ON journal_entries (case_id, id);
CREATE INDEX journal_entries_by_appointment ON journal_entries (appointment_id) WHERE appointment_id IS NOT NULL;

CREATE TABLE documents (
    id              BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    case_id         BLOB    NOT NULL,
    provider_id     BLOB    NOT NULL,
    referral_id     BLOB    NOT NULL REFERENCES referrals (id),
    appointment_id  BLOB    REFERENCES appointments (id),
    kind            TEXT    NOT NULL CHECK (kind IN ('written_description', 'status_letter', 'closing_letter')),
    title           TEXT    NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('draft', 'coordinator_review', 'family_review', 'sent', 'archived')),
    corrects        BLOB    REFERENCES documents (id),
    created_at      INTEGER NOT NULL,
    current_version INTEGER NOT NULL CHECK (current_version >= 1),
    revision        INTEGER NOT NULL CHECK (revision >= 0),
    FOREIGN KEY (case_id, provider_id) REFERENCES cases (id, provider_id) ON UPDATE CASCADE
) STRICT;

CREATE INDEX documents_by_case ON documents (case_id, state);
CREATE INDEX documents_by_referral ON documents (referral_id, state);
CREATE INDEX documents_by_appointment ON documents (appointment_id) WHERE appointment_id IS NOT NULL;
CREATE INDEX documents_by_provider ON documents (provider_id, state, kind);
CREATE INDEX documents_by_state ON documents (state, kind);
CREATE INDEX documents_by_kind ON documents (kind);
CREATE INDEX documents_by_corrected ON documents (corrects) WHERE corrects IS NOT NULL;

CREATE TABLE document_versions (
    document_id    BLOB    NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    version        INTEGER NOT NULL CHECK (version >= 1),
    body           TEXT    NOT NULL,
    family_comment TEXT,
    author_id      BLOB    NOT NULL REFERENCES staff (id),
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (document_id, version)
) STRICT;

CREATE TABLE action_plans (
    id          BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    case_id     BLOB    NOT NULL REFERENCES cases (id),
    referral_id BLOB    NOT NULL REFERENCES referrals (id),
    phase       TEXT    NOT NULL CHECK (phase IN ('start', 'change', 'maintenance')),
    -- phase_history, goals, resources and reviews.
    body        TEXT    NOT NULL CHECK (json_valid(body)),
    updated_at  INTEGER NOT NULL,
    revision    INTEGER NOT NULL CHECK (revision >= 0)
) STRICT;

CREATE INDEX action_plans_by_case ON action_plans (case_id, id);
CREATE INDEX action_plans_by_referral ON action_plans (referral_id);

CREATE TABLE focus_areas (
    id          BLOB NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    case_id     BLOB NOT NULL REFERENCES cases (id),
    referral_id BLOB NOT NULL REFERENCES referrals (id),
    area        TEXT NOT NULL CHECK (area IN ('future_wishes', 'family_contact', 'family_activities',
                                              'family_agreements', 'leisure_and_friends', 'housing',
                                              'education_start', 'social_relations', 'staying_in_education',
                                              'personal_backing')),
    note        TEXT,
    started_on  TEXT NOT NULL CHECK (date(started_on) IS started_on),
    ended_on    TEXT CHECK (date(ended_on) IS ended_on)
) STRICT;

CREATE INDEX focus_areas_by_case ON focus_areas (case_id, started_on);
CREATE INDEX focus_areas_by_referral ON focus_areas (referral_id);

CREATE TABLE time_entries (
    id             BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    referral_id    BLOB    NOT NULL REFERENCES referrals (id),
    staff_id       BLOB    NOT NULL REFERENCES staff (id),
    appointment_id BLOB    REFERENCES appointments (id),
    worked_on      TEXT    NOT NULL CHECK (date(worked_on) IS worked_on),
    minutes        INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
    kind           TEXT    NOT NULL CHECK (kind IN ('direct', 'preparation', 'travel', 'documentation', 'meeting')),
    note           TEXT,
    registered_at  INTEGER NOT NULL
) STRICT;

CREATE INDEX time_entries_by_referral ON time_entries (referral_id, worked_on, minutes);
CREATE INDEX time_entries_by_staff ON time_entries (staff_id, worked_on);
CREATE INDEX time_entries_by_appointment ON time_entries (appointment_id) WHERE appointment_id IS NOT NULL;

CREATE TABLE users (
    id               BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    username         TEXT    NOT NULL UNIQUE,
    display_name     TEXT    NOT NULL,
    role             TEXT    NOT NULL CHECK (role IN ('practitioner', 'coordinator', 'team_lead', 'caseworker', 'admin',
                                                      'parent', 'young_person')),
    -- The person behind the account: exactly one of the three ids, as subject_kind says.
    subject_kind     TEXT    NOT NULL CHECK (subject_kind IN ('staff', 'family_member', 'child')),
    staff_id         BLOB    REFERENCES staff (id),
    family_member_id BLOB    REFERENCES family_members (id),
    case_id          BLOB    REFERENCES cases (id),
    password_hash    TEXT    NOT NULL,
    active           INTEGER NOT NULL CHECK (active IN (0, 1)),
    created_at       INTEGER NOT NULL,
    CHECK ((subject_kind = 'staff') = (staff_id IS NOT NULL)),
    CHECK ((subject_kind = 'family_member') = (family_member_id IS NOT NULL)),
    CHECK ((subject_kind = 'child') = (case_id IS NOT NULL))
) STRICT;

CREATE INDEX users_by_staff ON users (staff_id) WHERE staff_id IS NOT NULL;
CREATE INDEX users_by_family_member ON users (family_member_id) WHERE family_member_id IS NOT NULL;
CREATE INDEX users_by_case ON users (case_id) WHERE case_id IS NOT NULL;
