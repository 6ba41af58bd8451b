-- Shifts offered by hourly practitioners: the times they can be planned in.
-- Two offers of one person may not overlap (the second would say nothing new
-- and make withdrawing one of them ambiguous).
CREATE TABLE offered_shifts (
    id        uuid PRIMARY KEY,
    staff_id  uuid NOT NULL REFERENCES staff (id),
    starts_at timestamptz NOT NULL,
    ends_at   timestamptz NOT NULL,
    CHECK (ends_at > starts_at),
    CONSTRAINT offered_shifts_no_overlap
        EXCLUDE USING gist (staff_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
);
CREATE INDEX offered_shifts_by_period ON offered_shifts USING gist (tstzrange(starts_at, ends_at, '[)'));
