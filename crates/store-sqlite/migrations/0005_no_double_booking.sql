-- A room, and a practitioner, is never in two appointments at once.
--
-- Triggers refuse a row whose occupied span (Appointment::occupied: first
-- arrival to last departure) overlaps that of another appointment in the same
-- room or with the same practitioner, with RAISE(ABORT, 'double_booking'),
-- which the store reports as Conflict::DoubleBooking. Spans are half-open,
-- [occupied_from, occupied_until), so back-to-back appointments are fine. A
-- cancelled appointment takes nothing, as in the domain's `conflicts`; held,
-- missed and ended-early ones keep their slot.
--
-- The check and the write are one statement inside a read-write transaction,
-- which the store always begins with BEGIN IMMEDIATE: SQLite's single write
-- lock serialises them, so two concurrent bookings of one slot cannot both
-- pass the check.
--
-- Each check is one index probe: the spans a room or a person already holds
-- never overlap (these triggers see to that), so ordered by start they are
-- ordered by end too, and the only one that can overlap [from, until) is the
-- one starting last before `until`.
--
-- A file that already holds a double booking (written before the web checked
-- for clashes) fails this migration, as PostgreSQL's does, with «CHECK
-- constraint failed: double_bookings = 0», and stays at version 4: such pairs
-- are to be moved or cancelled first. Ordered by start, spans with an overlap
-- always include two neighbours that overlap, so comparing each span with the
-- one before finds any.

CREATE TABLE double_booking_check (
    double_bookings INTEGER NOT NULL CHECK (double_bookings = 0)
) STRICT;

INSERT INTO double_booking_check (double_bookings)
SELECT (SELECT count(*) FROM (
            SELECT occupied_from,
                   lag(occupied_until) OVER (PARTITION BY room_id ORDER BY occupied_from) AS before_until
            FROM appointments
            WHERE room_id IS NOT NULL AND outcome_kind IS NOT 'cancelled')
        WHERE before_until > occupied_from)
     + (SELECT count(*) FROM (
            SELECT s.occupied_from,
                   lag(s.occupied_until) OVER (PARTITION BY s.staff_id ORDER BY s.occupied_from) AS before_until
            FROM appointment_staff s JOIN appointments a ON a.id = s.appointment_id
            WHERE a.outcome_kind IS NOT 'cancelled')
        WHERE before_until > occupied_from);

DROP TABLE double_booking_check;

CREATE INDEX appointments_room_occupancy ON appointments (room_id, occupied_from)
WHERE room_id IS NOT NULL AND outcome_kind IS NOT 'cancelled';

CREATE INDEX appointment_staff_occupancy ON appointment_staff (staff_id, occupied_from);

CREATE TRIGGER appointments_room_booked_once_on_insert BEFORE INSERT ON appointments
WHEN NEW.room_id IS NOT NULL AND NEW.outcome_kind IS NOT 'cancelled'
BEGIN
    SELECT RAISE(ABORT, 'double_booking')
    WHERE (SELECT o.occupied_until FROM appointments o
           WHERE o.room_id = NEW.room_id AND o.outcome_kind IS NOT 'cancelled'
             AND o.occupied_from < NEW.occupied_until AND o.id <> NEW.id
           ORDER BY o.occupied_from DESC LIMIT 1) > NEW.occupied_from;
END;

-- A move, a change of room, or an outcome other than cancelled (which takes
-- the slot again) is checked for the room and for the practitioners already on
-- the appointment; practitioner rows written afterwards are checked on insert.
CREATE TRIGGER appointments_booked_once_on_update
BEFORE UPDATE OF room_id, occupied_from, occupied_until, outcome_kind ON appointments
WHEN NEW.outcome_kind IS NOT 'cancelled'
BEGIN
    SELECT RAISE(ABORT, 'double_booking')
    WHERE NEW.room_id IS NOT NULL
      AND (SELECT o.occupied_until FROM appointments o
           WHERE o.room_id = NEW.room_id AND o.outcome_kind IS NOT 'cancelled'
             AND o.occupied_from < NEW.occupied_until AND o.id <> NEW.id
           ORDER BY o.occupied_from DESC LIMIT 1) > NEW.occupied_from;
    SELECT RAISE(ABORT, 'double_booking')
    WHERE EXISTS (
        SELECT 1 FROM appointment_staff mine
        WHERE mine.appointment_id = NEW.id
          AND (SELECT s.occupied_until FROM appointment_staff s JOIN appointments o ON o.id = s.appointment_id
               WHERE s.staff_id = mine.staff_id AND o.outcome_kind IS NOT 'cancelled'
                 AND s.occupied_from < NEW.occupied_until AND s.appointment_id <> NEW.id
               ORDER BY s.occupied_from DESC LIMIT 1) > NEW.occupied_from);
END;

CREATE TRIGGER appointment_staff_booked_once_on_insert BEFORE INSERT ON appointment_staff
WHEN (SELECT outcome_kind FROM appointments WHERE id = NEW.appointment_id) IS NOT 'cancelled'
BEGIN
    SELECT RAISE(ABORT, 'double_booking')
    WHERE (SELECT s.occupied_until FROM appointment_staff s JOIN appointments o ON o.id = s.appointment_id
           WHERE s.staff_id = NEW.staff_id AND o.outcome_kind IS NOT 'cancelled'
             AND s.occupied_from < NEW.occupied_until AND s.appointment_id <> NEW.appointment_id
           ORDER BY s.occupied_from DESC LIMIT 1) > NEW.occupied_from;
END;

CREATE TRIGGER appointment_staff_booked_once_on_update
BEFORE UPDATE OF staff_id, occupied_from, occupied_until ON appointment_staff
WHEN (SELECT outcome_kind FROM appointments WHERE id = NEW.appointment_id) IS NOT 'cancelled'
BEGIN
    SELECT RAISE(ABORT, 'double_booking')
    WHERE (SELECT s.occupied_until FROM appointment_staff s JOIN appointments o ON o.id = s.appointment_id
           WHERE s.staff_id = NEW.staff_id AND o.outcome_kind IS NOT 'cancelled'
             AND s.occupied_from < NEW.occupied_until AND s.appointment_id <> NEW.appointment_id
           ORDER BY s.occupied_from DESC LIMIT 1) > NEW.occupied_from;
END;
