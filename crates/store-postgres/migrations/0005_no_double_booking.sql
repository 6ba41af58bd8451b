-- A room, and a practitioner, is never in two appointments at once.
--
-- The guarantee is two exclusion constraints over the occupied span
-- (Appointment::occupied: first arrival to last departure), which the store
-- already keeps in appointments.occupied_from/_until and, per practitioner,
-- in appointment_staff. `tstzrange(from, until)` is half-open, [from, until),
-- so back-to-back appointments do not overlap. A cancelled appointment takes
-- nothing, as in the domain's `conflicts`; held, missed and ended-early ones
-- keep their slot.
--
-- The constraints sit on the tables the appointment is written to rather than
-- on a separate booking table: no extra rows to keep in step, and no booking
-- can outlive its appointment (the staff rows go with it, ON DELETE CASCADE).
-- An exclusion constraint is checked row by row inside the statement and
-- against every other transaction, committed or not (a second writer waits for
-- the first to end), so two app instances booking the same slot at once end
-- with one appointment and one `exclusion_violation` (23P01), which the store
-- reports as Conflict::DoubleBooking.
--
-- A database that already holds a double booking (written before the web
-- checked for clashes) fails this migration with 23P01 and stays at version
-- 4; the overlapping pairs are found with
--   SELECT a.id, b.id FROM appointments a JOIN appointments b
--     ON a.room_id = b.room_id AND a.id < b.id
--    AND tstzrange(a.occupied_from, a.occupied_until) && tstzrange(b.occupied_from, b.occupied_until)
--  WHERE a.outcome_kind IS DISTINCT FROM 'cancelled' AND b.outcome_kind IS DISTINCT FROM 'cancelled';
-- (and the same over appointment_staff by staff_id), to be moved or cancelled first.

CREATE EXTENSION IF NOT EXISTS btree_gist;

-- The practitioner rows need the appointment's cancellation on the row itself
-- (a constraint's predicate cannot look at another table). The store writes it
-- with the rows, and every change of an appointment rewrites its rows.
ALTER TABLE appointment_staff ADD COLUMN cancelled boolean NOT NULL DEFAULT false;

UPDATE appointment_staff s SET cancelled = true
FROM appointments a
WHERE a.id = s.appointment_id AND a.outcome_kind = 'cancelled';

ALTER TABLE appointments ADD CONSTRAINT appointments_room_booked_once
    EXCLUDE USING gist (room_id WITH =, tstzrange(occupied_from, occupied_until) WITH &&)
    WHERE (room_id IS NOT NULL AND outcome_kind IS DISTINCT FROM 'cancelled');

ALTER TABLE appointment_staff ADD CONSTRAINT appointment_staff_booked_once
    EXCLUDE USING gist (staff_id WITH =, tstzrange(occupied_from, occupied_until) WITH &&)
    WHERE (NOT cancelled);
