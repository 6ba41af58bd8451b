//! The committee's decisions and the municipality's suspensions, as they bear
//! on visits: a supervised visit only inside a decision period (BL § 105),
//! supported visitation never where supervision is decided, no visits while
//! contact is cut off or visitation suspended (BL § 104, stk. 5), a
//! suspension of at most 8 weeks, and a warning before a decision expires.

use crate::calendar::date_da;
use crate::catalogue::Intervention;
use crate::decision::{CommitteeDecision, DecisionKind, VisitationSuspension};
use crate::rules::{Rule, RuleViolation};
use crate::time::DateRange;
use jiff::ToSpan;
use jiff::civil::Date;

/// The longest suspension the municipality can decide at a time, in days (8 weeks).
pub const MAX_SUSPENSION_DAYS: i32 = 56;

/// Checks a suspension's length (BL § 104, stk. 5).
pub fn check_suspension(period: &DateRange) -> Result<(), RuleViolation> {
    let days = period.days();
    if days > MAX_SUSPENSION_DAYS {
        let weeks = (days + 6) / 7;
        return Err(RuleViolation::with(
            Rule::SuspensionAtMost8Weeks,
            format!("Perioden er {days} dage (ca. {weeks} uger); samvær kan højst suspenderes i 8 uger ad gangen."),
            format!(
                "The period is {days} days (about {weeks} weeks); visitation can be suspended for at most 8 weeks at a time."
            ),
        ));
    }
    Ok(())
}

fn covering(decisions: &[CommitteeDecision], kind: DecisionKind, days: &DateRange) -> bool {
    // The days of the visit must all lie inside decisions of the kind; two
    // decisions that follow each other cover a visit across midnight.
    let mut d = days.start;
    while d <= days.end {
        if !decisions.iter().any(|x| x.kind == kind && x.period.contains(d)) {
            return false;
        }
        d = d.tomorrow().expect("dates in use are far from the end of the calendar");
    }
    true
}

fn touching(decisions: &[CommitteeDecision], kind: DecisionKind, days: &DateRange) -> bool {
    decisions.iter().any(|x| x.kind == kind && x.period.overlaps(days))
}

/// Checks that a visit on these days may take place under this intervention,
/// given the case's committee decisions and suspensions.
pub fn check_visit(
    intervention: Intervention,
    days: &DateRange,
    decisions: &[CommitteeDecision],
    suspensions: &[VisitationSuspension],
) -> Result<(), RuleViolation> {
    if let Some(s) = suspensions.iter().find(|s| s.period.overlaps(days)) {
        return Err(RuleViolation::with(
            Rule::NoVisitsWhileSuspended,
            format!("Samværet er suspenderet fra {} til {}.", date_da(s.period.start), date_da(s.period.end)),
            format!("Visitation is suspended from {} to {}.", s.period.start, s.period.end),
        ));
    }
    if let Some(c) = decisions.iter().find(|x| x.kind == DecisionKind::ContactCutOff && x.period.overlaps(days)) {
        return Err(RuleViolation::with(
            Rule::NoVisitsWhileContactCutOff,
            format!(
                "Børne- og ungeudvalget har afbrudt samværet fra {} til {}.",
                date_da(c.period.start),
                date_da(c.period.end)
            ),
            format!("The committee has cut off contact from {} to {}.", c.period.start, c.period.end),
        ));
    }
    match intervention {
        Intervention::SupervisedVisitation if !covering(decisions, DecisionKind::SupervisedVisitation, days) => {
            let last = decisions
                .iter()
                .filter(|x| x.kind == DecisionKind::SupervisedVisitation && x.period.end < days.start)
                .map(|x| x.period.end)
                .max();
            Err(match last {
                Some(end) => RuleViolation::with(
                    Rule::SupervisedVisitNeedsDecision,
                    format!(
                        "Afgørelsen om overvåget samvær udløb {}; der er ingen afgørelse for {}.",
                        date_da(end),
                        date_da(days.start)
                    ),
                    format!(
                        "The decision on supervised visitation expired on {end}; there is none for {}.",
                        days.start
                    ),
                ),
                None => RuleViolation::with(
                    Rule::SupervisedVisitNeedsDecision,
                    format!("Der er ingen afgørelse om overvåget samvær, der dækker {}.", date_da(days.start)),
                    format!("No decision on supervised visitation covers {}.", days.start),
                ),
            })
        }
        Intervention::SupportedVisitation if touching(decisions, DecisionKind::SupervisedVisitation, days) => {
            Err(RuleViolation::with(
                Rule::SupportedCannotReplaceSupervised,
                format!(
                    "Udvalget har besluttet overvåget samvær {}; samværet kan ikke holdes som støttet samvær.",
                    date_da(days.start)
                ),
                format!(
                    "The committee has decided on supervised visitation for {}; the visit cannot be held as supported visitation.",
                    days.start
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// Supervised-visitation decisions that expire within `warn_days` of `today`
/// and are not followed by a renewal: the coordinator's warnings.
pub fn expiring_decisions(decisions: &[CommitteeDecision], today: Date, warn_days: u16) -> Vec<&CommitteeDecision> {
    let horizon = today.checked_add(i64::from(warn_days).days()).unwrap_or(today);
    decisions
        .iter()
        .filter(|d| d.kind == DecisionKind::SupervisedVisitation)
        .filter(|d| d.period.end >= today && d.period.end <= horizon)
        .filter(|d| {
            let next = d.period.end.tomorrow().unwrap_or(d.period.end);
            !decisions.iter().any(|o| o.kind == DecisionKind::SupervisedVisitation && o.period.contains(next))
        })
        .collect()
}

/// A warning on a planned supervised visit whose decision expires within
/// `warn_days` after it, with no renewal yet.
pub fn expiry_warning(decisions: &[CommitteeDecision], visit_day: Date, warn_days: u16) -> Option<RuleViolation> {
    let d = expiring_decisions(decisions, visit_day, warn_days).into_iter().find(|d| d.period.contains(visit_day))?;
    Some(RuleViolation::with(
        Rule::DecisionExpiryWarning,
        format!("Afgørelsen om overvåget samvær udløber {}.", date_da(d.period.end)),
        format!("The decision on supervised visitation expires on {}.", d.period.end),
    ))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ids::*;
    use jiff::civil::date;

    pub(crate) fn decision(kind: DecisionKind, start: Date, end: Date) -> CommitteeDecision {
        CommitteeDecision {
            id: DecisionId::new(),
            case_id: CaseId::new(),
            kind,
            grounds: vec![crate::decision::SupervisionGround::SafetyConcern],
            period: DateRange::new(start, end).unwrap(),
            decided_on: start,
            note: None,
            recorded_at: "2026-01-01T08:00:00Z".parse().unwrap(),
        }
    }

    pub(crate) fn suspension(start: Date, end: Date) -> VisitationSuspension {
        VisitationSuspension {
            id: SuspensionId::new(),
            case_id: CaseId::new(),
            period: DateRange::new(start, end).unwrap(),
            decided_on: start,
            requested_by_child: true,
            note: None,
            recorded_at: "2026-01-01T08:00:00Z".parse().unwrap(),
        }
    }

    fn day(d: Date) -> DateRange {
        DateRange::new(d, d).unwrap()
    }

    #[test]
    fn a_supervised_visit_needs_a_decision_covering_its_day() {
        let ds = [decision(DecisionKind::SupervisedVisitation, date(2026, 1, 1), date(2026, 3, 31))];
        let sv = Intervention::SupervisedVisitation;
        assert!(check_visit(sv, &day(date(2026, 1, 1)), &ds, &[]).is_ok());
        assert!(check_visit(sv, &day(date(2026, 3, 31)), &ds, &[]).is_ok(), "the last day is inside");
        let err = check_visit(sv, &day(date(2026, 4, 1)), &ds, &[]).unwrap_err();
        assert_eq!(err.rule, Rule::SupervisedVisitNeedsDecision);
        assert!(err.explain(crate::Lang::Da).starts_with("Afgørelsen om overvåget samvær udløb 31.3.2026"));
        assert_eq!(
            check_visit(sv, &day(date(2026, 2, 1)), &[], &[]).unwrap_err().rule,
            Rule::SupervisedVisitNeedsDecision
        );
    }

    #[test]
    fn a_decision_that_expires_during_a_planned_series() {
        // Every other Saturday from 10 January 2026; the decision ends 28 February.
        let ds = [decision(DecisionKind::SupervisedVisitation, date(2026, 1, 1), date(2026, 2, 28))];
        let series: Vec<Date> = (0..6).map(|i| date(2026, 1, 10).checked_add((14 * i).days()).unwrap()).collect();
        let plannable: Vec<bool> = series
            .iter()
            .map(|d| check_visit(Intervention::SupervisedVisitation, &day(*d), &ds, &[]).is_ok())
            .collect();
        // 10/1, 24/1, 7/2, 21/2 inside; 7/3 and 21/3 after the decision.
        assert_eq!(plannable, [true, true, true, true, false, false]);
        // The coordinator is warned on the visits close to the end.
        assert!(expiry_warning(&ds, date(2026, 2, 21), 30).is_some());
        assert!(expiry_warning(&ds, date(2026, 1, 10), 30).is_none());
        // A renewal from 1 March lifts both the block and the warning.
        let renewed =
            [ds[0].clone(), decision(DecisionKind::SupervisedVisitation, date(2026, 3, 1), date(2026, 8, 31))];
        assert!(check_visit(Intervention::SupervisedVisitation, &day(date(2026, 3, 7)), &renewed, &[]).is_ok());
        assert!(expiry_warning(&renewed, date(2026, 2, 21), 30).is_none());
    }

    #[test]
    fn supported_visitation_cannot_replace_a_decided_supervision() {
        let ds = [decision(DecisionKind::SupervisedVisitation, date(2026, 1, 1), date(2026, 3, 31))];
        let err = check_visit(Intervention::SupportedVisitation, &day(date(2026, 2, 7)), &ds, &[]).unwrap_err();
        assert_eq!(err.rule, Rule::SupportedCannotReplaceSupervised);
        assert!(check_visit(Intervention::SupportedVisitation, &day(date(2026, 4, 4)), &ds, &[]).is_ok());
    }

    #[test]
    fn no_visit_while_contact_is_cut_off() {
        let ds = [
            decision(DecisionKind::SupervisedVisitation, date(2026, 1, 1), date(2026, 12, 31)),
            decision(DecisionKind::ContactCutOff, date(2026, 5, 1), date(2026, 5, 31)),
        ];
        let err = check_visit(Intervention::SupervisedVisitation, &day(date(2026, 5, 9)), &ds, &[]).unwrap_err();
        assert_eq!(err.rule, Rule::NoVisitsWhileContactCutOff);
        assert!(check_visit(Intervention::SupervisedVisitation, &day(date(2026, 6, 6)), &ds, &[]).is_ok());
    }

    #[test]
    fn no_visit_while_visitation_is_suspended() {
        let ss = [suspension(date(2026, 3, 2), date(2026, 3, 29))];
        for i in [Intervention::SupportedVisitation, Intervention::SupervisedVisitation] {
            let ds = [decision(DecisionKind::SupervisedVisitation, date(2026, 1, 1), date(2026, 12, 31))];
            let err = check_visit(i, &day(date(2026, 3, 29)), &ds, &ss).unwrap_err();
            assert_eq!(err.rule, Rule::NoVisitsWhileSuspended);
        }
        assert!(check_visit(Intervention::SupportedVisitation, &day(date(2026, 3, 30)), &[], &ss).is_ok());
    }

    #[test]
    fn a_suspension_longer_than_8_weeks_is_refused() {
        let eight_weeks = DateRange::new(date(2026, 3, 2), date(2026, 4, 26)).unwrap();
        assert_eq!(eight_weeks.days(), 56);
        assert!(check_suspension(&eight_weeks).is_ok());
        let longer = DateRange::new(date(2026, 3, 2), date(2026, 4, 27)).unwrap();
        let err = check_suspension(&longer).unwrap_err();
        assert_eq!(err.rule, Rule::SuspensionAtMost8Weeks);
        assert!(err.explain(crate::Lang::Da).contains("57 dage"));
        assert!(err.explain(crate::Lang::Da).ends_with("(BL § 104, stk. 5)"));
    }

    #[test]
    fn decisions_are_flagged_a_configured_number_of_days_before_they_expire() {
        let mut ds = vec![
            decision(DecisionKind::SupervisedVisitation, date(2026, 1, 1), date(2026, 12, 15)),
            decision(DecisionKind::ContactCutOff, date(2026, 11, 1), date(2026, 12, 1)),
        ];
        let today = date(2026, 11, 24);
        assert_eq!(expiring_decisions(&ds, today, 30).len(), 1, "a cut-off is not warned about");
        assert_eq!(expiring_decisions(&ds, today, 14).len(), 0, "21 days away is outside a 14-day warning");
        assert_eq!(
            expiring_decisions(&ds, date(2026, 12, 16), 30).len(),
            0,
            "an expired decision is no longer a warning"
        );
        ds.push(decision(DecisionKind::SupervisedVisitation, date(2026, 12, 16), date(2027, 6, 30)));
        assert_eq!(expiring_decisions(&ds, today, 30).len(), 0, "a renewal from the next day lifts the warning");
    }
}
