-- Shifts offered by hourly practitioners: the times they can be planned in.
-- Two offers of one person may not overlap (the second would say nothing new
-- and make withdrawing one of them ambiguous).
CREATE TABLE offered_shifts (
    id        BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    staff_id  BLOB    NOT NULL REFERENCES staff (id),
    starts_at INTEGER NOT NULL,
    ends_at   INTEGER NOT NULL,
    CHECK (ends_at > starts_at)
) STRICT;

CREATE INDEX offered_shifts_by_staff ON offered_shifts (staff_id, ends_at);
CREATE INDEX offered_shifts_by_end ON offered_shifts (ends_at);

CREATE TRIGGER offered_shifts_no_overlap BEFORE INSERT ON offered_shifts
WHEN EXISTS (
    SELECT 1 FROM offered_shifts o
    WHERE o.staff_id = NEW.staff_id AND o.starts_at < NEW.ends_at AND o.ends_at > NEW.starts_at
)
BEGIN
    SELECT RAISE(ABORT, 'offered_shifts_overlap');
END;
