-- Samvirke on PostgreSQL: the initial schema.
--
-- Conventions:
-- * ids are uuid (UUIDv7 from the application, so btree indexes stay compact);
-- * instants are timestamptz, calendar days are date;
-- * enums are text with a CHECK listing the serde snake_case codes (easier to
--   extend in a migration than a Postgres enum type, and the same codes as the
--   JSON API and the SQLite store);
-- * value objects that are always read and written whole are jsonb;
-- * counters and numbers that are u32 in the domain are bigint, so every u32 fits;
-- * names that lists are sorted by use the Danish ICU collation (Æ, Ø, Å last).

-- For the exclusion constraints against double booking (a uuid "=" next to a
-- range "&&" in one GiST index), which come in a later migration.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Organisation ---------------------------------------------------------------

CREATE TABLE municipalities (
    id   uuid PRIMARY KEY,
    code smallint NOT NULL UNIQUE CHECK (code BETWEEN 101 AND 860),
    name text COLLATE "da-DK-x-icu" NOT NULL
);

CREATE TABLE providers (
    id   uuid PRIMARY KEY,
    name text COLLATE "da-DK-x-icu" NOT NULL
);
CREATE INDEX providers_by_name ON providers (name, id);

CREATE TABLE provider_municipalities (
    provider_id     uuid NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    municipality_id uuid NOT NULL REFERENCES municipalities (id),
    position        smallint NOT NULL,
    PRIMARY KEY (provider_id, municipality_id),
    UNIQUE (provider_id, position)
);
CREATE INDEX provider_municipalities_by_municipality ON provider_municipalities (municipality_id);

CREATE TABLE staff (
    id                  uuid PRIMARY KEY,
    name                text COLLATE "da-DK-x-icu" NOT NULL,
    role                text NOT NULL
        CHECK (role IN ('practitioner', 'coordinator', 'team_lead', 'caseworker', 'admin')),
    provider_id         uuid REFERENCES providers (id),
    municipality_id     uuid REFERENCES municipalities (id),
    employment          text NOT NULL CHECK (employment IN ('permanent', 'hourly')),
    email               text,
    supervision_trained boolean NOT NULL,
    working_pattern     jsonb NOT NULL,
    max_weekly_minutes  bigint CHECK (max_weekly_minutes BETWEEN 0 AND 4294967295),
    active              boolean NOT NULL,
    CHECK ((provider_id IS NULL) <> (municipality_id IS NULL))
);
CREATE INDEX staff_by_name ON staff (name, id);
CREATE INDEX staff_by_provider ON staff (provider_id, name, id) WHERE provider_id IS NOT NULL;
CREATE INDEX staff_by_municipality ON staff (municipality_id, name, id) WHERE municipality_id IS NOT NULL;
CREATE INDEX staff_by_role ON staff (role, name, id);

CREATE TABLE absences (
    id        uuid PRIMARY KEY,
    staff_id  uuid NOT NULL REFERENCES staff (id),
    starts_at timestamptz NOT NULL,
    ends_at   timestamptz NOT NULL,
    kind      text NOT NULL CHECK (kind IN ('sick', 'holiday', 'course', 'other')),
    CHECK (ends_at > starts_at)
);
CREATE INDEX absences_by_staff ON absences (staff_id, starts_at);
CREATE INDEX absences_by_period ON absences USING gist (tstzrange(starts_at, ends_at, '[)'));

CREATE TABLE rooms (
    id                  uuid PRIMARY KEY,
    provider_id         uuid NOT NULL REFERENCES providers (id),
    name                text COLLATE "da-DK-x-icu" NOT NULL,
    capacity            integer NOT NULL CHECK (capacity BETWEEN 0 AND 65535),
    suitable_for_visits boolean NOT NULL,
    opening_hours       jsonb NOT NULL,
    active              boolean NOT NULL
);
CREATE INDEX rooms_by_provider ON rooms (provider_id, name, id);

-- Cases and families -----------------------------------------------------------

CREATE TABLE cases (
    id              uuid PRIMARY KEY,
    reference       text NOT NULL UNIQUE,
    provider_id     uuid NOT NULL REFERENCES providers (id),
    municipality_id uuid NOT NULL REFERENCES municipalities (id),
    child_name      text NOT NULL,
    child_cpr       text NOT NULL CHECK (child_cpr ~ '^[0-9]{10}$'),
    placement       jsonb,
    opened_on       date NOT NULL,
    closed_on       date,
    created_at      timestamptz NOT NULL,
    revision        bigint NOT NULL CHECK (revision BETWEEN 0 AND 4294967295)
);
-- One open case per child at a provider: a second one is Conflict::Duplicate.
CREATE UNIQUE INDEX cases_one_open_per_child ON cases (provider_id, child_cpr) WHERE closed_on IS NULL;
CREATE INDEX cases_by_child ON cases (provider_id, child_cpr, opened_on);
CREATE INDEX cases_by_provider ON cases (provider_id, id);
CREATE INDEX cases_by_municipality ON cases (municipality_id, id);
CREATE INDEX cases_open ON cases (id) WHERE closed_on IS NULL;

CREATE TABLE family_members (
    id                uuid PRIMARY KEY,
    case_id           uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    name              text COLLATE "da-DK-x-icu" NOT NULL,
    relation          text NOT NULL CHECK (relation IN (
        'mother', 'father', 'parent', 'step_parent', 'grandparent', 'sibling',
        'other_relative', 'foster_parent', 'friend')),
    roles             jsonb NOT NULL,
    phone             text,
    email             text,
    address           text,
    address_protected boolean NOT NULL
);
CREATE INDEX family_members_by_case ON family_members (case_id, name, id);

-- Referrals ------------------------------------------------------------------------

CREATE TABLE referrals (
    id               uuid PRIMARY KEY,
    case_id          uuid NOT NULL REFERENCES cases (id),
    intervention     text NOT NULL CHECK (intervention IN (
        'supported_visitation', 'supervised_visitation', 'home_support', 'contact_person',
        'parent_programme')),
    caseworker_id    uuid NOT NULL REFERENCES staff (id),
    state            text NOT NULL CHECK (state IN (
        'received', 'accepted', 'rejected', 'active', 'ending', 'closed')),
    coordinator_id   uuid REFERENCES staff (id),
    rejection_reason text,
    terms            jsonb NOT NULL,
    terms_version    bigint NOT NULL CHECK (terms_version BETWEEN 1 AND 4294967295),
    -- Copied out of terms for queries (what is running on a date, hours ordered).
    period_start     date NOT NULL,
    period_end       date NOT NULL,
    ordered_hours    bigint NOT NULL CHECK (ordered_hours BETWEEN 0 AND 4294967295),
    received_at      timestamptz NOT NULL,
    revision         bigint NOT NULL CHECK (revision BETWEEN 0 AND 4294967295)
);
-- The target of the appointments' foreign key (referral, case).
ALTER TABLE referrals ADD UNIQUE (id, case_id);
CREATE INDEX referrals_by_arrival ON referrals (received_at, id);
CREATE INDEX referrals_by_case ON referrals (case_id, received_at, id);
CREATE INDEX referrals_by_caseworker ON referrals (caseworker_id, received_at, id);
CREATE INDEX referrals_by_coordinator ON referrals (coordinator_id) WHERE coordinator_id IS NOT NULL;
CREATE INDEX referrals_by_state ON referrals (state, received_at, id);
CREATE INDEX referrals_by_intervention ON referrals (intervention, received_at, id);
CREATE INDEX referrals_by_period ON referrals (period_end, period_start);

CREATE TABLE referral_practitioners (
    referral_id uuid NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    staff_id    uuid NOT NULL REFERENCES staff (id),
    position    smallint NOT NULL,
    PRIMARY KEY (referral_id, position),
    UNIQUE (referral_id, staff_id)
);
CREATE INDEX referral_practitioners_by_staff ON referral_practitioners (staff_id);

CREATE TABLE referral_versions (
    referral_id uuid NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    version     bigint NOT NULL CHECK (version BETWEEN 1 AND 4294967295),
    terms       jsonb NOT NULL,
    changed_by  uuid NOT NULL REFERENCES staff (id),
    changed_at  timestamptz NOT NULL,
    reason      text,
    PRIMARY KEY (referral_id, version)
);

-- Decisions, suspensions, consents -------------------------------------------------

CREATE TABLE committee_decisions (
    id           uuid PRIMARY KEY,
    case_id      uuid NOT NULL REFERENCES cases (id),
    kind         text NOT NULL CHECK (kind IN ('supervised_visitation', 'contact_cut_off')),
    grounds      jsonb NOT NULL,
    period_start date NOT NULL,
    period_end   date NOT NULL,
    decided_on   date NOT NULL,
    note         text,
    recorded_at  timestamptz NOT NULL,
    CHECK (period_end >= period_start)
);
CREATE INDEX committee_decisions_by_case ON committee_decisions (case_id, period_start, id);

CREATE TABLE visitation_suspensions (
    id                 uuid PRIMARY KEY,
    case_id            uuid NOT NULL REFERENCES cases (id),
    period_start       date NOT NULL,
    period_end         date NOT NULL,
    decided_on         date NOT NULL,
    requested_by_child boolean NOT NULL,
    note               text,
    recorded_at        timestamptz NOT NULL,
    CHECK (period_end >= period_start)
);
CREATE INDEX visitation_suspensions_by_case ON visitation_suspensions (case_id, period_start, id);

CREATE TABLE consents (
    id                     uuid PRIMARY KEY,
    case_id                uuid NOT NULL REFERENCES cases (id),
    referral_id            uuid REFERENCES referrals (id),
    -- NULL: the child gave it.
    giver_family_member_id uuid REFERENCES family_members (id),
    purpose                text NOT NULL CHECK (purpose IN (
        'intervention', 'written_descriptions', 'sharing_with_placement')),
    given_at               timestamptz NOT NULL,
    withdrawn_at           timestamptz,
    recorded_by            uuid NOT NULL REFERENCES staff (id),
    note                   text
);
CREATE INDEX consents_by_case ON consents (case_id, given_at, id);

-- Appointments -------------------------------------------------------------------------

CREATE TABLE appointments (
    id                  uuid PRIMARY KEY,
    case_id             uuid NOT NULL,
    referral_id         uuid NOT NULL,
    kind                text NOT NULL CHECK (kind IN (
        'visit', 'start_meeting', 'guidance_before_visit', 'guidance_after_visit',
        'child_talk_after_visit', 'caregiver_talk_after_visit', 'home_support_session',
        'contact_person_meeting', 'parent_session', 'follow_up_meeting', 'network_meeting')),
    starts_at           timestamptz NOT NULL,
    ends_at             timestamptz NOT NULL,
    -- From the first arrival to the last departure (Appointment::occupied).
    occupied_from       timestamptz NOT NULL,
    occupied_until      timestamptz NOT NULL,
    location_kind       text NOT NULL CHECK (location_kind IN (
        'room', 'family_home', 'placement_setting', 'other')),
    room_id             uuid REFERENCES rooms (id),
    location_text       text,
    participants        jsonb NOT NULL,
    arrival             jsonb,
    series_id           uuid,
    actual_start        timestamptz,
    actual_end          timestamptz,
    outcome             jsonb,
    outcome_kind        text CHECK (outcome_kind IN ('held', 'cancelled', 'no_show', 'ended_early')),
    outcome_recorded_at timestamptz,
    created_at          timestamptz NOT NULL,
    revision            bigint NOT NULL CHECK (revision BETWEEN 0 AND 4294967295),
    CHECK (ends_at > starts_at),
    CHECK (occupied_from <= starts_at AND occupied_until >= ends_at),
    CHECK ((location_kind = 'room') = (room_id IS NOT NULL)),
    CHECK ((location_kind = 'other') = (location_text IS NOT NULL)),
    CHECK ((actual_start IS NULL) = (actual_end IS NULL)),
    CHECK ((outcome IS NULL) = (outcome_kind IS NULL)),
    -- One check for both: the referral exists and is one of this case.
    FOREIGN KEY (referral_id, case_id) REFERENCES referrals (id, case_id)
);
-- Few indexes, because a year of a national data set is a million rows: the
-- referral filter goes through the case (a referral has one), and the kind
-- filter through the start order (eleven kinds, so a page fills quickly).
--
-- "Overlaps a period" is answered by the btree indexes on starts_at with a
-- lower bound: an appointment that overlaps [from, until) starts after
-- from - (the longest appointment), and appointments_by_length finds that
-- length at once. This costs far less per insert than a GiST range index,
-- and lets the (…, starts_at, id) indexes deliver rows already in order.
CREATE INDEX appointments_by_start ON appointments (starts_at, id);
CREATE INDEX appointments_by_length ON appointments ((ends_at - starts_at));
CREATE INDEX appointments_by_case ON appointments (case_id, starts_at, id);
CREATE INDEX appointments_by_room ON appointments (room_id, starts_at, id) WHERE room_id IS NOT NULL;
CREATE INDEX appointments_without_outcome ON appointments (starts_at, id) WHERE outcome_kind IS NULL;

-- The practitioners on an appointment, with its occupied span copied for
-- calendars (and, later, an exclusion constraint against double booking).
CREATE TABLE appointment_staff (
    appointment_id uuid NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
    staff_id       uuid NOT NULL REFERENCES staff (id),
    position       smallint NOT NULL,
    occupied_from  timestamptz NOT NULL,
    occupied_until timestamptz NOT NULL,
    PRIMARY KEY (appointment_id, staff_id)
);
CREATE INDEX appointment_staff_by_staff ON appointment_staff (staff_id, occupied_from);

-- Journal ------------------------------------------------------------------------------

CREATE TABLE journal_entries (
    id             uuid PRIMARY KEY,
    case_id        uuid NOT NULL REFERENCES cases (id),
    appointment_id uuid REFERENCES appointments (id),
    author_id      uuid NOT NULL REFERENCES staff (id),
    kind           text NOT NULL CHECK (kind IN ('session_note', 'oral_information', 'note')),
    body           text NOT NULL,
    written_at     timestamptz NOT NULL
);
CREATE INDEX journal_entries_by_case ON journal_entries (case_id, written_at DESC, id DESC);
-- For the foreign key check when a planned appointment is deleted.
CREATE INDEX journal_entries_by_appointment ON journal_entries (appointment_id) WHERE appointment_id IS NOT NULL;

-- Documents ----------------------------------------------------------------------------

CREATE TABLE documents (
    id              uuid PRIMARY KEY,
    case_id         uuid NOT NULL REFERENCES cases (id),
    referral_id     uuid NOT NULL REFERENCES referrals (id),
    appointment_id  uuid REFERENCES appointments (id),
    kind            text NOT NULL CHECK (kind IN ('written_description', 'status_letter', 'closing_letter')),
    title           text NOT NULL,
    state           text NOT NULL CHECK (state IN (
        'draft', 'coordinator_review', 'family_review', 'sent', 'archived')),
    corrects        uuid REFERENCES documents (id),
    created_at      timestamptz NOT NULL,
    current_version bigint NOT NULL CHECK (current_version BETWEEN 1 AND 4294967295),
    revision        bigint NOT NULL CHECK (revision BETWEEN 0 AND 4294967295)
);
CREATE INDEX documents_by_case ON documents (case_id, id);
CREATE INDEX documents_by_referral ON documents (referral_id, id);
CREATE INDEX documents_by_appointment ON documents (appointment_id, id) WHERE appointment_id IS NOT NULL;
CREATE INDEX documents_by_kind ON documents (kind, id);
CREATE INDEX documents_by_state ON documents (state, id);

CREATE TABLE document_versions (
    document_id    uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    version        bigint NOT NULL CHECK (version BETWEEN 1 AND 4294967295),
    body           text NOT NULL,
    family_comment text,
    author_id      uuid NOT NULL REFERENCES staff (id),
    created_at     timestamptz NOT NULL,
    PRIMARY KEY (document_id, version)
);

-- Plans ---------------------------------------------------------------------------------

CREATE TABLE action_plans (
    id            uuid PRIMARY KEY,
    case_id       uuid NOT NULL REFERENCES cases (id),
    referral_id   uuid NOT NULL REFERENCES referrals (id),
    phase         text NOT NULL CHECK (phase IN ('start', 'change', 'maintenance')),
    phase_history jsonb NOT NULL,
    goals         jsonb NOT NULL,
    resources     jsonb NOT NULL,
    reviews       jsonb NOT NULL,
    updated_at    timestamptz NOT NULL,
    revision      bigint NOT NULL CHECK (revision BETWEEN 0 AND 4294967295)
);
CREATE INDEX action_plans_by_case ON action_plans (case_id, id);
CREATE INDEX action_plans_by_referral ON action_plans (referral_id);

CREATE TABLE focus_areas (
    id          uuid PRIMARY KEY,
    case_id     uuid NOT NULL REFERENCES cases (id),
    referral_id uuid NOT NULL REFERENCES referrals (id),
    area        text NOT NULL CHECK (area IN (
        'future_wishes', 'family_contact', 'family_activities', 'family_agreements',
        'leisure_and_friends', 'housing', 'education_start', 'social_relations',
        'staying_in_education', 'personal_backing')),
    note        text,
    started_on  date NOT NULL,
    ended_on    date
);
CREATE INDEX focus_areas_by_case ON focus_areas (case_id, started_on, id);

-- Hours -----------------------------------------------------------------------------------

CREATE TABLE time_entries (
    id             uuid PRIMARY KEY,
    referral_id    uuid NOT NULL REFERENCES referrals (id),
    staff_id       uuid NOT NULL REFERENCES staff (id),
    appointment_id uuid REFERENCES appointments (id),
    date           date NOT NULL,
    minutes        integer NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
    kind           text NOT NULL CHECK (kind IN ('direct', 'preparation', 'travel', 'documentation', 'meeting')),
    note           text,
    registered_at  timestamptz NOT NULL
);
CREATE INDEX time_entries_by_referral ON time_entries (referral_id, date, id) INCLUDE (minutes);
CREATE INDEX time_entries_by_staff ON time_entries (staff_id, date);
CREATE INDEX time_entries_by_appointment ON time_entries (appointment_id) WHERE appointment_id IS NOT NULL;

-- Users -------------------------------------------------------------------------------------

CREATE TABLE users (
    id                       uuid PRIMARY KEY,
    username                 text COLLATE "C" NOT NULL UNIQUE,
    display_name             text NOT NULL,
    role                     text NOT NULL CHECK (role IN (
        'practitioner', 'coordinator', 'team_lead', 'caseworker', 'admin', 'parent', 'young_person')),
    -- Whom the account belongs to: exactly one of the three, named by subject_kind,
    -- each with its foreign key.
    subject_kind             text NOT NULL CHECK (subject_kind IN ('staff', 'family_member', 'child')),
    subject_staff_id         uuid REFERENCES staff (id),
    subject_family_member_id uuid REFERENCES family_members (id),
    subject_case_id          uuid REFERENCES cases (id),
    password_hash            text NOT NULL,
    active                   boolean NOT NULL,
    created_at               timestamptz NOT NULL,
    CHECK ((subject_kind = 'staff') = (subject_staff_id IS NOT NULL)),
    CHECK ((subject_kind = 'family_member') = (subject_family_member_id IS NOT NULL)),
    CHECK ((subject_kind = 'child') = (subject_case_id IS NOT NULL))
);
