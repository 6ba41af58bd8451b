//! A series of visits from an order's recurrence ("every other Saturday
//! 10–12"): the visits of a window, each at its local time in Copenhagen
//! (summer and winter time alike), with the staggered arrival the order sets,
//! skipping Danish public holidays and every day a rule blocks — a suspension
//! (BL § 104, stk. 5), contact cut off, a supervised visit without a
//! committee decision covering it (BL § 105). Each skipped day says why. The
//! visits are then planned one by one, so each can be moved or cancelled on
//! its own (an exception), and the series stays what the order says.

use crate::appointment::{ArrivalPlan, days_of};
use crate::calendar::{Holiday, copenhagen, holiday_on};
use crate::catalogue::Intervention;
use crate::decision::{CommitteeDecision, VisitationSuspension};
use crate::referral::{Recurrence, Stagger};
use crate::rules::RuleViolation;
use crate::time::{DateRange, TimeRange};
use crate::visitation::check_visit;
use jiff::civil::{Date, Time};
use jiff::{SignedDuration, Timestamp, ToSpan};

/// One visit of a series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesVisit {
    /// Its day.
    pub day: Date,
    /// Its planned time.
    pub planned: TimeRange,
    /// Its staggered arrival and departure, when the order sets one.
    pub arrival: Option<ArrivalPlan>,
}

/// Why a day of the recurrence has no visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skipped {
    /// A Danish public holiday.
    Holiday(Holiday),
    /// A rule of the field blocks a visit that day.
    Blocked(RuleViolation),
}

/// The visits of a window, and the days of the recurrence without one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Series {
    /// The visits, in order.
    pub visits: Vec<SeriesVisit>,
    /// The days skipped, in order, with why.
    pub skipped: Vec<(Date, Skipped)>,
}

/// What a series is made from.
#[derive(Debug, Clone, Copy)]
pub struct SeriesTerms<'a> {
    /// The intervention (supervised visits need a committee decision).
    pub intervention: Intervention,
    /// The order's recurrence.
    pub recurrence: &'a Recurrence,
    /// The order's staggered arrival, if any.
    pub stagger: Option<Stagger>,
    /// The day the recurrence counts from (the order's first day): "every
    /// other week" means the same weeks whatever window is planned.
    pub anchor: Date,
    /// The case's committee decisions.
    pub decisions: &'a [CommitteeDecision],
    /// The case's suspensions of visitation.
    pub suspensions: &'a [VisitationSuspension],
}

fn at(day: Date, time: Time) -> Option<Timestamp> {
    day.to_datetime(time).to_zoned(copenhagen()).ok().map(|z| z.timestamp())
}

/// The visits of the recurrence on the days of `window` (both ends included).
pub fn visit_series(terms: &SeriesTerms<'_>, window: DateRange) -> Series {
    let r = terms.recurrence;
    let mut out = Series::default();
    let step = i64::from(r.interval_weeks.max(1)) * 7;
    // The first day of the recurrence on or after the anchor.
    let offset = (i64::from(r.day.weekday().to_monday_zero_offset())
        - i64::from(terms.anchor.weekday().to_monday_zero_offset()))
    .rem_euclid(7);
    let Ok(mut day) = terms.anchor.checked_add(offset.days()) else { return out };
    // Skip ahead to the window without walking week by week from a distant anchor.
    if day < window.start {
        let behind = (window.start - day).get_days() as i64;
        let steps = (behind + step - 1) / step;
        match day.checked_add((steps * step).days()) {
            Ok(d) => day = d,
            Err(_) => return out,
        }
    }
    while day <= window.end {
        if let Some(h) = holiday_on(day) {
            out.skipped.push((day, Skipped::Holiday(h)));
        } else if let (Some(start), Some(end)) = (at(day, r.start), at(day, r.end))
            && let Ok(planned) = TimeRange::new(start, end)
        {
            match check_visit(terms.intervention, &days_of(&planned), terms.decisions, terms.suspensions) {
                Ok(()) => out.visits.push(SeriesVisit { day, planned, arrival: arrival(terms.stagger, &planned) }),
                Err(v) => out.skipped.push((day, Skipped::Blocked(v))),
            }
        }
        match day.checked_add(step.days()) {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    out
}

/// The staggered arrival of a visit: the parent comes first and leaves last,
/// so that the child and a protected person never meet on the way.
pub fn arrival(stagger: Option<Stagger>, planned: &TimeRange) -> Option<ArrivalPlan> {
    let s = stagger?;
    let minutes = |m: u16| SignedDuration::from_mins(i64::from(m));
    Some(ArrivalPlan {
        parent_arrives: planned.start - minutes(s.parent_arrives_minutes_before),
        child_arrives: planned.start,
        child_leaves: planned.end,
        parent_leaves: planned.end + minutes(s.parent_leaves_minutes_after),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decision::DecisionKind;
    use crate::ids::{CaseId, DecisionId, SuspensionId};
    use crate::rules::Rule;
    use crate::time::Day;
    use jiff::civil::date;

    fn every_other_saturday() -> Recurrence {
        Recurrence {
            day: Day::Saturday,
            start: Time::constant(10, 0, 0, 0),
            end: Time::constant(12, 0, 0, 0),
            interval_weeks: 2,
        }
    }

    fn terms<'a>(
        intervention: Intervention,
        r: &'a Recurrence,
        decisions: &'a [CommitteeDecision],
        suspensions: &'a [VisitationSuspension],
    ) -> SeriesTerms<'a> {
        SeriesTerms { intervention, recurrence: r, stagger: None, anchor: date(2026, 1, 1), decisions, suspensions }
    }

    fn window(start: Date, end: Date) -> DateRange {
        DateRange { start, end }
    }

    fn decision(start: Date, end: Date) -> CommitteeDecision {
        CommitteeDecision {
            id: DecisionId::new(),
            case_id: CaseId::new(),
            kind: DecisionKind::SupervisedVisitation,
            grounds: vec![],
            period: DateRange { start, end },
            decided_on: start,
            note: None,
            recorded_at: Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn every_other_saturday_at_ten_in_copenhagen_summer_and_winter_time() {
        let r = every_other_saturday();
        let s = visit_series(
            &terms(Intervention::SupportedVisitation, &r, &[], &[]),
            window(date(2026, 3, 1), date(2026, 4, 30)),
        );
        let days: Vec<Date> = s.visits.iter().map(|v| v.day).collect();
        // 3 January 2026 is the first Saturday after the anchor; every other week from there.
        assert_eq!(days, [date(2026, 3, 14), date(2026, 3, 28), date(2026, 4, 11), date(2026, 4, 25)]);
        // 10.00 in Copenhagen: 09.00 UTC in winter time, 08.00 UTC after 29 March.
        assert_eq!(s.visits[0].planned.start.to_string(), "2026-03-14T09:00:00Z");
        assert_eq!(s.visits[2].planned.start.to_string(), "2026-04-11T08:00:00Z");
        assert!(s.skipped.is_empty());
    }

    #[test]
    fn the_series_skips_danish_public_holidays() {
        // Weekly on Mondays over Easter 2026: Easter Monday is 6 April.
        let r = Recurrence {
            day: Day::Monday,
            start: Time::constant(15, 0, 0, 0),
            end: Time::constant(17, 0, 0, 0),
            interval_weeks: 1,
        };
        let s = visit_series(
            &terms(Intervention::SupportedVisitation, &r, &[], &[]),
            window(date(2026, 3, 30), date(2026, 4, 13)),
        );
        assert_eq!(s.visits.iter().map(|v| v.day).collect::<Vec<_>>(), [date(2026, 3, 30), date(2026, 4, 13)]);
        assert_eq!(s.skipped, [(date(2026, 4, 6), Skipped::Holiday(Holiday::EasterMonday))]);
    }

    /// BL § 104, stk. 5: no visits in a suspension's window.
    #[test]
    fn the_series_skips_a_suspension_bl_104_stk_5() {
        let r = every_other_saturday();
        let suspension = VisitationSuspension {
            id: SuspensionId::new(),
            case_id: CaseId::new(),
            period: DateRange { start: date(2026, 3, 20), end: date(2026, 4, 5) },
            decided_on: date(2026, 3, 19),
            requested_by_child: true,
            note: None,
            recorded_at: Timestamp::UNIX_EPOCH,
        };
        let suspensions = [suspension];
        let s = visit_series(
            &terms(Intervention::SupportedVisitation, &r, &[], &suspensions),
            window(date(2026, 3, 1), date(2026, 4, 30)),
        );
        assert_eq!(
            s.visits.iter().map(|v| v.day).collect::<Vec<_>>(),
            [date(2026, 3, 14), date(2026, 4, 11), date(2026, 4, 25)]
        );
        assert!(
            matches!(&s.skipped[..], [(d, Skipped::Blocked(v))] if *d == date(2026, 3, 28) && v.rule == Rule::NoVisitsWhileSuspended)
        );
    }

    /// BL § 105: a supervised visit only inside a committee decision; a
    /// decision that expires during the series ends the visits at its last day.
    #[test]
    fn supervised_visits_stop_where_the_decision_expires_bl_105() {
        let r = every_other_saturday();
        let decisions = [decision(date(2026, 1, 1), date(2026, 4, 1))];
        let s = visit_series(
            &terms(Intervention::SupervisedVisitation, &r, &decisions, &[]),
            window(date(2026, 3, 1), date(2026, 4, 30)),
        );
        assert_eq!(s.visits.iter().map(|v| v.day).collect::<Vec<_>>(), [date(2026, 3, 14), date(2026, 3, 28)]);
        let blocked: Vec<(Date, Rule)> = s
            .skipped
            .iter()
            .map(|(day, why)| match why {
                Skipped::Blocked(v) => (*day, v.rule),
                Skipped::Holiday(_) => panic!("no holiday here"),
            })
            .collect();
        assert_eq!(
            blocked,
            [
                (date(2026, 4, 11), Rule::SupervisedVisitNeedsDecision),
                (date(2026, 4, 25), Rule::SupervisedVisitNeedsDecision)
            ]
        );
    }

    #[test]
    fn a_staggered_visit_has_its_arrival_and_the_window_does_not_move_the_weeks() {
        let r = every_other_saturday();
        let mut t = terms(Intervention::SupportedVisitation, &r, &[], &[]);
        t.stagger = Some(Stagger { parent_arrives_minutes_before: 15, parent_leaves_minutes_after: 20 });
        // A window starting on an "off" Saturday still keeps the order's weeks.
        let s = visit_series(&t, window(date(2026, 3, 21), date(2026, 3, 31)));
        assert_eq!(s.visits.len(), 1);
        let v = &s.visits[0];
        assert_eq!(v.day, date(2026, 3, 28));
        let a = v.arrival.unwrap();
        assert_eq!(a.parent_arrives, v.planned.start - SignedDuration::from_mins(15));
        assert_eq!(a.parent_leaves, v.planned.end + SignedDuration::from_mins(20));
        assert_eq!((a.child_arrives, a.child_leaves), (v.planned.start, v.planned.end));
    }
}
