//! The planner in the product: a provider's appointments of a horizon (a week
//! or a month) read from the store into the planner's model, solved, and the
//! proposal compared with the current plan; and the accepted part of a
//! proposal written back in one transaction.
//!
//! What goes in:
//! - **Sessions:** the provider's appointments in the horizon that are still
//!   to come and have no outcome, each with its order's terms (two
//!   practitioners, supervised visitation), the family's usual practitioner
//!   (the first on the order), and its current practitioners and room, which
//!   the planner changes only where that is worth more than the change costs.
//!   Appointments already held, under way, or staffed by someone who is not a
//!   practitioner stay as they are and take their time out of their
//!   practitioners' and room's windows.
//! - **Practitioners:** the provider's active practitioners, available in
//!   their working pattern and offered shifts less their absences
//!   ([`samvirke_domain::availability`]), with their weekly limit, their
//!   supervision training, and 11 hours' rest between working days.
//! - **Rooms:** the provider's rooms in use that are fit for visits, open in
//!   their opening hours.
//! - **Travel:** a session in the family's home or the placement setting is
//!   away from the provider's premises; it blocks [`TRAVEL_BUFFER_MIN`] before
//!   and after, and costs travel by postcode zone (see docs/PLANNER.md).

use crate::error::ApiResult;
use crate::facts::all_appointments;
use samvirke_domain::appointment::{Appointment, Location};
use samvirke_domain::availability::{self, MIN_REST};
use samvirke_domain::case::Case;
use samvirke_domain::catalogue::Intervention;
use samvirke_domain::organisation::{Employment, Room, Staff, StaffRole};
use samvirke_domain::time::TimeRange;
use samvirke_domain::{AppointmentId, CaseId, ProviderId, ReferralId, RoomId, StaffId};
use samvirke_planner as planner;
use samvirke_store::{AppointmentFilter, StaffFilter, Tx};
use std::collections::HashMap;

/// Minutes a practitioner is taken before and after a session away from the premises.
pub const TRAVEL_BUFFER_MIN: i64 = 30;

/// A provider's planning problem of a horizon, with the records behind each index.
pub struct Problem {
    /// The horizon.
    pub horizon: TimeRange,
    /// The planner's model.
    pub instance: planner::Instance,
    /// The appointment behind each session.
    pub appointments: Vec<Appointment>,
    /// The practitioner behind each planner practitioner.
    pub staff: Vec<Staff>,
    /// The room behind each planner room.
    pub rooms: Vec<Room>,
    /// Appointments of the horizon left as they are (held, under way, or staffed by non-practitioners).
    pub fixed: usize,
}

/// One session's assignment: practitioners, and a room for a room session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assigned {
    /// Practitioners.
    pub practitioners: Vec<StaffId>,
    /// Room (room sessions).
    pub room: Option<RoomId>,
}

/// A change the planner proposes to one appointment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The appointment.
    pub appointment: AppointmentId,
    /// Its revision when the proposal was made.
    pub revision: u32,
    /// What it is now.
    pub before: Assigned,
    /// What the planner proposes (no practitioners: it could not be staffed).
    pub after: Assigned,
}

impl Change {
    /// The change as a form value: `id~revision~staff,staff~room`.
    pub fn code(&self) -> String {
        let staff: Vec<String> = self.after.practitioners.iter().map(ToString::to_string).collect();
        let room = self.after.room.map(|r| r.to_string()).unwrap_or_default();
        format!("{}~{}~{}~{}", self.appointment, self.revision, staff.join(","), room)
    }

    /// Reads a change's form value (`before` is filled in from the store).
    pub fn parse(code: &str) -> Option<(AppointmentId, u32, Assigned)> {
        let mut parts = code.trim().split('~');
        let id = parts.next()?.parse().ok()?;
        let revision = parts.next()?.parse().ok()?;
        let staff = parts.next()?;
        let practitioners = if staff.is_empty() {
            Vec::new()
        } else {
            staff.split(',').map(|s| s.parse().ok()).collect::<Option<Vec<StaffId>>>()?
        };
        let room = match parts.next()? {
            "" => None,
            r => Some(r.parse().ok()?),
        };
        if parts.next().is_some() || practitioners.len() > 2 {
            return None;
        }
        Some((id, revision, Assigned { practitioners, room }))
    }
}

fn minutes(horizon: &TimeRange, t: jiff::Timestamp) -> i64 {
    t.duration_since(horizon.start).as_mins()
}

/// The four-digit postcode of an address such as «Egevej 12, 7400 Herning».
fn postcode(address: &str) -> Option<u32> {
    address.split(|c: char| !c.is_ascii_digit()).filter(|w| w.len() == 4).filter_map(|w| w.parse().ok()).next_back()
}

/// A travel zone: ten postcodes to a zone (Danish postcodes run roughly with geography).
fn zone(postcode: u32) -> u32 {
    postcode / 10
}

/// Reads the provider's planning problem of `horizon`; appointments that start before `now` stay as they are.
pub async fn load(
    tx: &mut dyn Tx,
    provider: ProviderId,
    horizon: TimeRange,
    now: jiff::Timestamp,
) -> ApiResult<Problem> {
    let filter = StaffFilter { provider: Some(provider), active_only: true, ..Default::default() };
    let staff: Vec<Staff> =
        tx.list_staff(&filter).await?.into_iter().filter(|s| s.role == StaffRole::Practitioner).collect();
    let staff_index: HashMap<StaffId, u32> = staff.iter().enumerate().map(|(i, s)| (s.id, i as u32)).collect();
    let rooms: Vec<Room> =
        tx.rooms(provider).await?.into_iter().filter(|r| r.active && r.suitable_for_visits).collect();
    let room_index: HashMap<RoomId, u32> = rooms.iter().enumerate().map(|(i, r)| (r.id, i as u32)).collect();

    let absences = tx.absences(None, horizon).await?;
    let shifts = tx.shifts(None, horizon).await?;
    let mut windows: Vec<Vec<TimeRange>> =
        staff.iter().map(|s| availability::staff_windows(s, &shifts, &absences, horizon)).collect();
    let mut open: Vec<Vec<TimeRange>> = rooms.iter().map(|r| availability::room_windows(r, horizon)).collect();

    let found = all_appointments(
        tx,
        &AppointmentFilter { provider: Some(provider), during: Some(horizon), ..Default::default() },
    )
    .await?;
    let mut plannable = Vec::new();
    let mut fixed = 0;
    for a in found {
        let staffed_by_others = a.practitioners.ids().iter().any(|p| !staff_index.contains_key(p));
        let in_room_elsewhere = matches!(a.location, Location::Room(r) if !room_index.contains_key(&r));
        let occupied = a.occupied();
        let within = horizon.start <= occupied.start && occupied.end <= horizon.end;
        if a.outcome.is_some() || a.planned.start < now || staffed_by_others || in_room_elsewhere || !within {
            // A cancelled appointment takes nothing; any other keeps its time.
            if !matches!(a.outcome, Some(samvirke_domain::appointment::Outcome::Cancelled { .. })) {
                for p in a.practitioners.ids() {
                    if let Some(&i) = staff_index.get(p) {
                        let w = std::mem::take(&mut windows[i as usize]);
                        windows[i as usize] = availability::subtract(w, &[occupied]);
                    }
                }
                if let Location::Room(r) = a.location
                    && let Some(&i) = room_index.get(&r)
                {
                    let w = std::mem::take(&mut open[i as usize]);
                    open[i as usize] = availability::subtract(w, &[occupied]);
                }
            }
            fixed += 1;
        } else {
            plannable.push(a);
        }
    }
    plannable.sort_by_key(|a| (a.planned.start, a.id));

    // Each order's terms and each family's home zone, read once.
    let mut referrals: HashMap<ReferralId, samvirke_domain::referral::Referral> = HashMap::new();
    let mut homes: HashMap<(CaseId, bool), Option<u32>> = HashMap::new();
    let mut families: HashMap<CaseId, u32> = HashMap::new();
    let mut sessions = Vec::with_capacity(plannable.len());
    let mut home_zones = Vec::new();
    for (i, a) in plannable.iter().enumerate() {
        if !referrals.contains_key(&a.referral_id) {
            let r = tx.referral(a.referral_id).await?;
            referrals.insert(r.id, r);
        }
        let referral = &referrals[&a.referral_id];
        let away = match a.location {
            Location::Room(_) => None,
            Location::FamilyHome => Some(true),
            Location::PlacementSetting | Location::Other(_) => Some(false),
        };
        let home_zone = match away {
            None => None,
            Some(family_home) => {
                if let std::collections::hash_map::Entry::Vacant(slot) = homes.entry((a.case_id, family_home)) {
                    let case = tx.case(a.case_id).await?;
                    let found = home_postcode(tx, &case, family_home).await?;
                    slot.insert(found.map(zone));
                }
                let z = homes[&(a.case_id, family_home)];
                if let Some(z) = z {
                    home_zones.push(z);
                }
                Some(z)
            }
        };
        let next_family = families.len() as u32;
        let family = *families.entry(a.case_id).or_insert(next_family);
        let occupied = a.occupied();
        sessions.push((
            planner::Session {
                id: i as u32,
                family,
                region: 0,
                start: minutes(&horizon, occupied.start),
                end: minutes(&horizon, occupied.end),
                needs_two: referral.terms.two_practitioners,
                supervised: referral.intervention == Intervention::SupervisedVisitation,
                home_zone: None,
                usual: referral.practitioner_ids.first().and_then(|p| staff_index.get(p).copied()),
                current: a.practitioners.ids().iter().filter_map(|p| staff_index.get(p).copied()).collect(),
                current_room: match a.location {
                    Location::Room(r) => room_index.get(&r).copied(),
                    _ => None,
                },
            },
            home_zone,
        ));
    }
    // The premises' zone: where most of the families live (practitioners start from there).
    let base = most_common(&home_zones).unwrap_or(0);
    let sessions = sessions
        .into_iter()
        .map(|(mut s, home)| {
            s.home_zone = home.map(|z| z.unwrap_or(base));
            s
        })
        .collect();

    let to_minutes = |w: &[TimeRange]| -> Vec<(i64, i64)> {
        w.iter().map(|r| (minutes(&horizon, r.start), minutes(&horizon, r.end))).collect()
    };
    let practitioners = staff
        .iter()
        .enumerate()
        .map(|(i, s)| planner::Practitioner {
            id: i as u32,
            region: 0,
            permanent: s.employment == Employment::Permanent,
            supervision_trained: s.supervision_trained,
            zone: base,
            availability: to_minutes(&windows[i]),
            weekly_limit_min: i64::from(availability::weekly_limit_minutes(s)),
            min_rest_min: MIN_REST.as_mins(),
        })
        .collect();
    let planner_rooms = rooms
        .iter()
        .enumerate()
        .map(|(i, _)| planner::Room { id: i as u32, region: 0, open: to_minutes(&open[i]) })
        .collect();
    let days = horizon.end.duration_since(horizon.start).as_hours().div_euclid(24).max(1) as u32;
    Ok(Problem {
        horizon,
        instance: planner::Instance {
            name: "provider".into(),
            days,
            home_buffer_min: TRAVEL_BUFFER_MIN,
            sessions,
            practitioners,
            rooms: planner_rooms,
        },
        appointments: plannable,
        staff,
        rooms,
        fixed,
    })
}

/// The postcode of the family's home (the first family member with an
/// address) or of the placement setting.
async fn home_postcode(tx: &mut dyn Tx, case: &Case, family_home: bool) -> ApiResult<Option<u32>> {
    if !family_home {
        return Ok(case.placement.as_ref().and_then(|p| p.address.as_ref()).and_then(|a| postcode(a.as_str())));
    }
    Ok(tx.family_members(case.id).await?.iter().filter_map(|m| m.address.as_ref()).find_map(|a| postcode(a.as_str())))
}

fn most_common(zones: &[u32]) -> Option<u32> {
    let mut count: HashMap<u32, usize> = HashMap::new();
    for z in zones {
        *count.entry(*z).or_default() += 1;
    }
    count.into_iter().max_by_key(|(z, n)| (*n, std::cmp::Reverse(*z))).map(|(z, _)| z)
}

impl Problem {
    /// The plan as it stands: every session with its current practitioners and room.
    pub fn current(&self) -> planner::Plan {
        let assignments = self
            .instance
            .sessions
            .iter()
            .filter(|s| !s.current.is_empty())
            .map(|s| planner::Assignment { session: s.id, practitioners: s.current.clone(), room: s.current_room })
            .collect();
        planner::Plan { assignments }
    }

    /// What a plan gives a session, in the store's ids.
    fn assigned(&self, plan: &planner::Plan, session: u32) -> Assigned {
        let a = plan.assignments.iter().find(|a| a.session == session);
        let s = &self.instance.sessions[session as usize];
        Assigned {
            practitioners: a
                .map(|a| a.practitioners.iter().map(|p| self.staff[*p as usize].id).collect())
                .unwrap_or_default(),
            room: match self.appointments[session as usize].location {
                Location::Room(current) => Some(
                    a.and_then(|a| a.room).or(s.current_room).map(|r| self.rooms[r as usize].id).unwrap_or(current),
                ),
                _ => None,
            },
        }
    }

    /// The planner's plan of the problem (on a blocking thread: it computes for up to seconds).
    pub async fn solve(&self) -> ApiResult<planner::Plan> {
        let instance = self.instance.clone();
        tokio::task::spawn_blocking(move || planner::solve(&instance, &planner::Options::default()))
            .await
            .map_err(|_| crate::ApiError::Internal)
    }

    /// The changes from the current plan to `plan`, in time order.
    pub fn changes(&self, plan: &planner::Plan) -> Vec<Change> {
        let current = self.current();
        (0..self.instance.sessions.len() as u32)
            .filter_map(|s| {
                let before = self.assigned(&current, s);
                let after = self.assigned(plan, s);
                let same_staff = {
                    let (mut a, mut b) = (before.practitioners.clone(), after.practitioners.clone());
                    a.sort();
                    b.sort();
                    a == b
                };
                (!(same_staff && before.room == after.room)).then(|| Change {
                    appointment: self.appointments[s as usize].id,
                    revision: self.appointments[s as usize].revision,
                    before,
                    after,
                })
            })
            .collect()
    }

    /// The current plan with the given changes made (a change of a session
    /// that is not in the problem is left out).
    pub fn with_changes(&self, changes: &[(AppointmentId, Assigned)]) -> planner::Plan {
        let mut plan = self.current();
        let staff: HashMap<StaffId, u32> = self.staff.iter().enumerate().map(|(i, s)| (s.id, i as u32)).collect();
        let rooms: HashMap<RoomId, u32> = self.rooms.iter().enumerate().map(|(i, r)| (r.id, i as u32)).collect();
        for (id, to) in changes {
            let Some(session) = self.session_of(*id) else { continue };
            plan.assignments.retain(|a| a.session != session);
            if to.practitioners.is_empty() {
                continue;
            }
            plan.assignments.push(planner::Assignment {
                session,
                practitioners: to.practitioners.iter().filter_map(|p| staff.get(p).copied()).collect(),
                room: to.room.and_then(|r| rooms.get(&r).copied()),
            });
        }
        plan.assignments.sort_by_key(|a| a.session);
        plan
    }

    /// The session of an appointment.
    pub fn session_of(&self, id: AppointmentId) -> Option<u32> {
        self.appointments.iter().position(|a| a.id == id).map(|i| i as u32)
    }

    /// The sessions a violation of the hard rules is about.
    pub fn sessions_of(&self, v: &planner::Violation) -> Vec<u32> {
        use planner::Violation::*;
        match *v {
            UnknownSession { session }
            | SessionAssignedTwice { session }
            | UnknownPractitioner { session, .. }
            | UnknownRoom { session, .. }
            | WrongStaffing { session, .. }
            | WrongPlace { session }
            | OutsideRegion { session, .. }
            | NotAvailable { session, .. }
            | RoomClosed { session, .. }
            | SupervisionUntrained { session, .. } => vec![session],
            PractitionerOverlap { a, b, .. } | RoomOverlap { a, b, .. } => vec![a, b],
            RestTooShort { .. } | WeeklyLimit { .. } => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_postcode_is_the_last_four_digit_number_of_an_address() {
        assert_eq!(postcode("Egevej 12, 7400 Herning"), Some(7400));
        assert_eq!(postcode("Søndergade 1234, 8000 Aarhus C"), Some(8000));
        assert_eq!(postcode("Ukendt"), None);
    }

    #[test]
    fn a_change_reads_back_from_its_form_value() {
        let change = Change {
            appointment: AppointmentId::new(),
            revision: 3,
            before: Assigned { practitioners: vec![], room: None },
            after: Assigned { practitioners: vec![StaffId::new(), StaffId::new()], room: Some(RoomId::new()) },
        };
        assert_eq!(Change::parse(&change.code()), Some((change.appointment, 3, change.after.clone())));
        let unstaffed = Change { after: Assigned { practitioners: vec![], room: None }, ..change.clone() };
        assert_eq!(Change::parse(&unstaffed.code()), Some((change.appointment, 3, unstaffed.after)));
        assert_eq!(Change::parse("nonsense"), None);
        assert_eq!(Change::parse(&format!("{}~x~~", change.appointment)), None);
    }
}
