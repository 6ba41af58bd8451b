//! Samvirke's planner: a greedy start, then a sweep of exact per-day,
//! per-region assignment models (MIP, good_lp with the pure-Rust microlp
//! backend), then local moves for rooms and unassigned sessions.

use std::collections::BTreeMap;

use good_lp::{
    Expression, ProblemVariables, Solution, SolverModel, Variable, WithTimeLimit, constraint, microlp, variable,
};

use crate::model::{
    Absence, Assignment, Instance, Plan, W_CHANGE_ROOM, W_NOT_USUAL, W_ROOM_CHANGE, changes_room, compatible, eligible,
    objective, room_eligible, seat_cost, unassigned_cost,
};

/// Wall-clock guard on one exact block (see `optimise_block`).
const BLOCK_TIME_LIMIT_S: f64 = 10.0;

#[derive(Clone, Debug)]
pub struct Options {
    /// Sweeps of the per-day models.
    pub mip_sweeps: usize,
    /// Skip a day model with more binaries than this (the local moves still run).
    pub max_mip_vars: usize,
    /// Rounds of local moves.
    pub local_rounds: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { mip_sweeps: 2, max_mip_vars: 2000, local_rounds: 4 }
    }
}

/// The outcome of one exact block.
enum Block {
    Solved,
    TooLarge,
    TimedOut,
}

struct State<'a> {
    inst: &'a Instance,
    elig: Vec<Vec<u32>>,
    room_elig: Vec<Vec<u32>>,
    pracs: Vec<Vec<u32>>,
    room: Vec<Option<u32>>,
    /// practitioner -> day -> sessions
    p_days: Vec<Vec<Vec<u32>>>,
    /// practitioner -> week -> minutes
    p_week: Vec<Vec<i64>>,
    /// room -> day -> sessions
    r_days: Vec<Vec<Vec<u32>>>,
    /// family -> room -> number of the family's sessions in it
    fam_rooms: BTreeMap<u32, BTreeMap<u32, u32>>,
    /// region -> day -> sessions
    by_day: Vec<Vec<Vec<u32>>>,
}

impl<'a> State<'a> {
    fn new(inst: &'a Instance) -> Self {
        let days = inst.days as usize + 1;
        let weeks = days / 7 + 2;
        let regions = inst.sessions.iter().map(|s| s.region as usize + 1).max().unwrap_or(1);
        let mut by_day = vec![vec![Vec::new(); days]; regions];
        for s in &inst.sessions {
            by_day[s.region as usize][s.day().clamp(0, days as i64 - 1) as usize].push(s.id);
        }
        State {
            inst,
            elig: inst
                .sessions
                .iter()
                .map(|s| inst.practitioners.iter().filter(|p| eligible(p, s)).map(|p| p.id).collect())
                .collect(),
            room_elig: inst
                .sessions
                .iter()
                .map(|s| inst.rooms.iter().filter(|r| room_eligible(r, s)).map(|r| r.id).collect())
                .collect(),
            pracs: vec![Vec::new(); inst.sessions.len()],
            room: vec![None; inst.sessions.len()],
            p_days: vec![vec![Vec::new(); days]; inst.practitioners.len()],
            p_week: vec![vec![0; weeks]; inst.practitioners.len()],
            r_days: vec![vec![Vec::new(); days]; inst.rooms.len()],
            fam_rooms: BTreeMap::new(),
            by_day,
        }
    }

    fn day_of(&self, s: u32) -> usize {
        self.inst.sessions[s as usize].day().clamp(0, self.p_days[0].len() as i64 - 1) as usize
    }

    /// Whether `p` can take `s` besides what it has (sessions in `ignore` left out).
    fn p_can(&self, p: u32, s: u32, ignore: &[u32]) -> bool {
        let ses = &self.inst.sessions[s as usize];
        let prac = &self.inst.practitioners[p as usize];
        let w = ses.week() as usize;
        let mut week_min = self.p_week[p as usize][w];
        for &i in ignore {
            let t = &self.inst.sessions[i as usize];
            if t.week() as usize == w && self.pracs[i as usize].contains(&p) {
                week_min -= t.duration();
            }
        }
        if week_min + ses.duration() > prac.weekly_limit_min {
            return false;
        }
        let d = self.day_of(s);
        let lo = d.saturating_sub(1);
        let hi = (d + 1).min(self.p_days[p as usize].len() - 1);
        for dd in lo..=hi {
            for &t in &self.p_days[p as usize][dd] {
                if t == s || ignore.contains(&t) {
                    continue;
                }
                if !compatible(ses, &self.inst.sessions[t as usize], self.inst.home_buffer_min, prac.min_rest_min) {
                    return false;
                }
            }
        }
        true
    }

    /// Sessions on `p`'s schedule that keep `p` from taking `s`.
    fn p_blockers(&self, p: u32, s: u32) -> Vec<u32> {
        let ses = &self.inst.sessions[s as usize];
        let prac = &self.inst.practitioners[p as usize];
        let d = self.day_of(s);
        let mut out = Vec::new();
        for dd in d.saturating_sub(1)..=(d + 1).min(self.p_days[p as usize].len() - 1) {
            for &t in &self.p_days[p as usize][dd] {
                if t != s
                    && !compatible(ses, &self.inst.sessions[t as usize], self.inst.home_buffer_min, prac.min_rest_min)
                {
                    out.push(t);
                }
            }
        }
        out
    }

    fn r_free(&self, r: u32, s: u32, ignore: &[u32]) -> bool {
        let ses = &self.inst.sessions[s as usize];
        self.r_days[r as usize][self.day_of(s)].iter().all(|&t| {
            t == s || ignore.contains(&t) || {
                let o = &self.inst.sessions[t as usize];
                o.end <= ses.start || ses.end <= o.start
            }
        })
    }

    fn add_p(&mut self, p: u32, s: u32) {
        let d = self.day_of(s);
        let ses = &self.inst.sessions[s as usize];
        self.pracs[s as usize].push(p);
        self.p_days[p as usize][d].push(s);
        self.p_week[p as usize][ses.week() as usize] += ses.duration();
    }

    fn remove_p(&mut self, p: u32, s: u32) {
        let d = self.day_of(s);
        let ses = &self.inst.sessions[s as usize];
        self.pracs[s as usize].retain(|&q| q != p);
        self.p_days[p as usize][d].retain(|&t| t != s);
        self.p_week[p as usize][ses.week() as usize] -= ses.duration();
    }

    fn set_room(&mut self, s: u32, r: u32) {
        self.clear_room(s);
        let d = self.day_of(s);
        self.room[s as usize] = Some(r);
        self.r_days[r as usize][d].push(s);
        let f = self.inst.sessions[s as usize].family;
        *self.fam_rooms.entry(f).or_default().entry(r).or_default() += 1;
    }

    fn clear_room(&mut self, s: u32) {
        if let Some(r) = self.room[s as usize].take() {
            let d = self.day_of(s);
            self.r_days[r as usize][d].retain(|&t| t != s);
            let f = self.inst.sessions[s as usize].family;
            let m = self.fam_rooms.entry(f).or_default();
            if let Some(c) = m.get_mut(&r) {
                *c -= 1;
                if *c == 0 {
                    m.remove(&r);
                }
            }
        }
    }

    fn fam_count(&self, f: u32, r: u32) -> u32 {
        self.fam_rooms.get(&f).and_then(|m| m.get(&r)).copied().unwrap_or(0)
    }

    fn is_complete(&self, s: u32) -> bool {
        let ses = &self.inst.sessions[s as usize];
        self.pracs[s as usize].len() == ses.seats() && (ses.home_zone.is_some() || self.room[s as usize].is_some())
    }

    fn unassign(&mut self, s: u32) {
        for p in self.pracs[s as usize].clone() {
            self.remove_p(p, s);
        }
        self.clear_room(s);
    }

    /// Marginal cost of `p` on `s` (a usual practitioner earns back the continuity penalty).
    fn seat(&self, p: u32, s: u32) -> i64 {
        let ses = &self.inst.sessions[s as usize];
        seat_cost(&self.inst.practitioners[p as usize], ses) - if ses.usual == Some(p) { W_NOT_USUAL } else { 0 }
    }

    /// The cost of housing `s` in `room` when that changes its current room.
    fn room_change(&self, s: u32, room: Option<u32>) -> i64 {
        if changes_room(&self.inst.sessions[s as usize], room) { W_CHANGE_ROOM } else { 0 }
    }

    /// The best free room for `s`: its current room, else one the family already
    /// uses most, else the least used.
    fn best_room(&self, s: u32) -> Option<u32> {
        let ses = &self.inst.sessions[s as usize];
        let f = ses.family;
        self.room_elig[s as usize].iter().copied().filter(|&r| self.r_free(r, s, &[])).max_by_key(|&r| {
            (
                ses.current_room == Some(r),
                self.fam_count(f, r),
                std::cmp::Reverse(self.r_days[r as usize].iter().map(Vec::len).sum::<usize>()),
                std::cmp::Reverse(r),
            )
        })
    }

    /// Fills the free seats of `s` greedily (room first); leaves it unassigned if it cannot.
    fn insert(&mut self, s: u32) -> bool {
        let ses = &self.inst.sessions[s as usize];
        if ses.home_zone.is_none() && self.room[s as usize].is_none() {
            match self.best_room(s) {
                Some(r) => self.set_room(s, r),
                None => return false,
            }
        }
        let mut cands: Vec<u32> = self.elig[s as usize]
            .iter()
            .copied()
            .filter(|&p| !self.pracs[s as usize].contains(&p) && self.p_can(p, s, &[]))
            .collect();
        cands.sort_by_key(|&p| (self.seat(p, s), self.p_week[p as usize][ses.week() as usize], p));
        let need = ses.seats() - self.pracs[s as usize].len();
        if cands.len() < need {
            self.unassign(s);
            return false;
        }
        for &p in cands.iter().take(need) {
            self.add_p(p, s);
        }
        true
    }

    /// Tries to insert an unassigned `s` by moving one blocking session to another practitioner.
    fn insert_with_ejection(&mut self, s: u32) -> bool {
        if self.insert(s) {
            return true;
        }
        let ses = self.inst.sessions[s as usize].clone();
        // Room: move one blocking session to another free room.
        if ses.home_zone.is_none() && self.room[s as usize].is_none() {
            let mut done = false;
            'rooms: for &r in &self.room_elig[s as usize].clone() {
                let d = self.day_of(s);
                let block: Vec<u32> = self.r_days[r as usize][d]
                    .iter()
                    .copied()
                    .filter(|&t| {
                        let o = &self.inst.sessions[t as usize];
                        o.start < ses.end && ses.start < o.end
                    })
                    .collect();
                if block.len() != 1 {
                    continue;
                }
                let t = block[0];
                for &r2 in &self.room_elig[t as usize].clone() {
                    if r2 != r && self.r_free(r2, t, &[]) {
                        self.set_room(t, r2);
                        self.set_room(s, r);
                        done = true;
                        break 'rooms;
                    }
                }
            }
            if !done {
                return false;
            }
        }
        while self.pracs[s as usize].len() < ses.seats() {
            let mut placed = false;
            for &q in &self.elig[s as usize].clone() {
                if self.pracs[s as usize].contains(&q) {
                    continue;
                }
                let blockers = self.p_blockers(q, s);
                if blockers.len() != 1 || !self.p_can(q, s, &blockers) {
                    continue;
                }
                let t = blockers[0];
                let alt = self.elig[t as usize]
                    .iter()
                    .copied()
                    .filter(|&r| r != q && !self.pracs[t as usize].contains(&r) && self.p_can(r, t, &[]))
                    .min_by_key(|&r| (self.seat(r, t), r));
                if let Some(r) = alt {
                    self.remove_p(q, t);
                    self.add_p(r, t);
                    if self.p_can(q, s, &[]) {
                        self.add_p(q, s);
                        placed = true;
                        break;
                    }
                    self.remove_p(r, t);
                    self.add_p(q, t);
                }
            }
            if !placed {
                self.unassign(s);
                return false;
            }
        }
        true
    }

    /// Replaces practitioners seat by seat where a cheaper one can take the seat,
    /// and gives sessions their usual practitioner by swapping with the one session in the way.
    fn improve_seats(&mut self, sessions: &[u32]) -> bool {
        let mut improved = false;
        for &s in sessions {
            if !self.is_complete(s) {
                continue;
            }
            for p in self.pracs[s as usize].clone() {
                let cur = self.seat(p, s);
                let best = self.elig[s as usize]
                    .iter()
                    .copied()
                    .filter(|&q| q != p && !self.pracs[s as usize].contains(&q) && self.seat(q, s) < cur)
                    .filter(|&q| self.p_can(q, s, &[]))
                    .min_by_key(|&q| (self.seat(q, s), q));
                if let Some(q) = best {
                    self.remove_p(p, s);
                    self.add_p(q, s);
                    improved = true;
                }
            }
            // Continuity by a swap: the usual practitioner `u` is busy with exactly one session `t`.
            let ses = &self.inst.sessions[s as usize];
            let Some(u) = ses.usual else { continue };
            if self.pracs[s as usize].contains(&u) || !self.elig[s as usize].contains(&u) {
                continue;
            }
            let blockers = self.p_blockers(u, s);
            if blockers.len() != 1 {
                continue;
            }
            let t = blockers[0];
            if !self.pracs[t as usize].contains(&u) || !self.p_can(u, s, &[t]) {
                continue;
            }
            let p = *self.pracs[s as usize].iter().max_by_key(|&&p| (self.seat(p, s), p)).unwrap();
            let before = self.seat(p, s) + self.seat(u, t);
            self.remove_p(p, s);
            self.remove_p(u, t);
            self.add_p(u, s);
            let alt = self.elig[t as usize]
                .iter()
                .copied()
                .filter(|&r| r != u && !self.pracs[t as usize].contains(&r) && self.p_can(r, t, &[]))
                .min_by_key(|&r| (self.seat(r, t), r));
            match alt {
                Some(r) if self.seat(u, s) + self.seat(r, t) < before => {
                    self.add_p(r, t);
                    improved = true;
                }
                _ => {
                    self.remove_p(u, s);
                    self.add_p(u, t);
                    self.add_p(p, s);
                }
            }
        }
        improved
    }

    /// Room moves: a session into a room its family uses more, directly or by swapping
    /// with the session that holds it when that does not cost the other family.
    fn improve_rooms(&mut self, sessions: &[u32]) -> bool {
        let mut improved = false;
        for &s in sessions {
            let Some(cur) = self.room[s as usize] else { continue };
            let f = self.inst.sessions[s as usize].family;
            let back = self.inst.sessions[s as usize].current_room;
            let mut targets: Vec<u32> = self.room_elig[s as usize]
                .iter()
                .copied()
                .filter(|&r| r != cur && (self.fam_count(f, r) > 0 || back == Some(r)))
                .collect();
            targets.sort_by_key(|&r| (back != Some(r), std::cmp::Reverse(self.fam_count(f, r)), r));
            for r in targets {
                // Gain: leaving `cur` (a room used once frees a distinct room), joining `r`
                // (a room not used yet adds one), and the change of the current room.
                let gain_s = W_ROOM_CHANGE
                    * ((self.fam_count(f, cur) == 1) as i64 - (self.fam_count(f, r) == 0) as i64)
                    + self.room_change(s, Some(cur))
                    - self.room_change(s, Some(r));
                if gain_s < 0 || (gain_s == 0 && self.fam_count(f, r) <= self.fam_count(f, cur)) {
                    continue;
                }
                if self.r_free(r, s, &[]) {
                    self.set_room(s, r);
                    improved = gain_s > 0 || improved;
                    break;
                }
                let ses = &self.inst.sessions[s as usize];
                let d = self.day_of(s);
                let block: Vec<u32> = self.r_days[r as usize][d]
                    .iter()
                    .copied()
                    .filter(|&t| {
                        let o = &self.inst.sessions[t as usize];
                        o.start < ses.end && ses.start < o.end
                    })
                    .collect();
                if block.len() != 1 || gain_s <= 0 {
                    continue;
                }
                let t = block[0];
                let g = self.inst.sessions[t as usize].family;
                if g == f || !self.room_elig[t as usize].contains(&cur) || !self.r_free(cur, t, &[s]) {
                    continue;
                }
                if !self.r_free(r, s, &[t]) {
                    continue;
                }
                // Cost to the other family of moving t from r to cur.
                let loss_t = W_ROOM_CHANGE
                    * ((self.fam_count(g, cur) == 0) as i64 - (self.fam_count(g, r) == 1) as i64)
                    + self.room_change(t, Some(cur))
                    - self.room_change(t, Some(r));
                if loss_t < gain_s {
                    self.clear_room(t);
                    self.set_room(s, r);
                    self.set_room(t, cur);
                    improved = true;
                    break;
                }
            }
        }
        improved
    }

    /// The exact model of one region's day: every other day fixed, rooms fixed.
    /// `free` sessions may be (re)assigned; `keep` practitioners stay on them.
    /// Says whether the block was solved, too large to model, or its solve
    /// reached the time guard (the last two keep the block's old assignment).
    fn optimise_block(&mut self, sessions: Vec<u32>, max_vars: usize) -> Block {
        if sessions.is_empty() {
            return Block::Solved;
        }
        let before_obj = self.day_cost(&sessions);
        let old: Vec<(u32, Vec<u32>, Option<u32>)> =
            sessions.iter().map(|&s| (s, self.pracs[s as usize].clone(), self.room[s as usize])).collect();
        for &s in &sessions {
            self.unassign(s);
        }
        let usable = sessions.clone();
        let mut vars = ProblemVariables::new();
        let mut x: Vec<(u32, u32, Variable)> = Vec::new();
        let mut a: BTreeMap<u32, Variable> = BTreeMap::new();
        let mut z: Vec<(u32, u32, Variable)> = Vec::new();
        let mut objective = Expression::from(0.0);
        for &s in &usable {
            let av = vars.add(variable().binary());
            a.insert(s, av);
            let ses = &self.inst.sessions[s as usize];
            objective += -(unassigned_cost(ses) as f64) * av;
            if ses.usual.is_some() {
                objective += (W_NOT_USUAL as f64) * av;
            }
            for &p in &self.elig[s as usize] {
                if self.p_can(p, s, &[]) {
                    let v = vars.add(variable().binary());
                    objective += (self.seat(p, s) as f64) * v;
                    x.push((s, p, v));
                }
            }
            if ses.home_zone.is_none() {
                let used_other = self.fam_rooms.get(&ses.family).is_some_and(|m| !m.is_empty());
                for &r in &self.room_elig[s as usize] {
                    if self.r_free(r, s, &[]) {
                        let v = vars.add(variable().binary());
                        // A room the family does not use elsewhere costs a room change.
                        if used_other && self.fam_count(ses.family, r) == 0 {
                            objective += (W_ROOM_CHANGE as f64) * v;
                        }
                        // Another room than the current one costs a change.
                        objective += (self.room_change(s, Some(r)) as f64) * v;
                        z.push((s, r, v));
                    }
                }
            }
        }
        if x.len() + z.len() > max_vars {
            self.restore(&sessions, &old);
            return Block::TooLarge;
        }
        let mut model = vars.minimise(objective).using(microlp);
        let (mut per_session, per_p) = by_session_and_owner(&x);
        let (mut per_session_room, per_room) = by_session_and_owner(&z);
        for &s in &usable {
            let need = self.inst.sessions[s as usize].seats() as f64;
            let sum = per_session.remove(&s).unwrap_or_default();
            model = model.with(constraint!(sum == need * a[&s]));
            if self.inst.sessions[s as usize].home_zone.is_none() {
                let rooms = per_session_room.remove(&s).unwrap_or_default();
                model = model.with(constraint!(rooms == a[&s]));
            }
        }
        for list in per_room.values() {
            for &(s, _) in list {
                let s0 = self.inst.sessions[s as usize].start;
                let clique: Vec<Variable> = list
                    .iter()
                    .filter(|&&(t, _)| {
                        let o = &self.inst.sessions[t as usize];
                        o.start <= s0 && s0 < o.end
                    })
                    .map(|&(_, v)| v)
                    .collect();
                if clique.len() > 1 {
                    let e: Expression = clique.into_iter().sum();
                    model = model.with(constraint!(e <= 1));
                }
            }
        }
        let hb = self.inst.home_buffer_min;
        for (p, list) in &per_p {
            // Interval cliques of the blocked intervals (one per left end).
            for &(s, _) in list {
                let (s0, _) = self.inst.sessions[s as usize].blocked(hb);
                let clique: Vec<Variable> = list
                    .iter()
                    .filter(|&&(t, _)| {
                        let (t0, t1) = self.inst.sessions[t as usize].blocked(hb);
                        t0 <= s0 && s0 < t1
                    })
                    .map(|&(_, v)| v)
                    .collect();
                if clique.len() > 1 {
                    let e: Expression = clique.into_iter().sum();
                    model = model.with(constraint!(e <= 1));
                }
            }
            // Rest between days inside the block.
            let rest = self.inst.practitioners[*p as usize].min_rest_min;
            for &(s, vs) in list {
                let a = &self.inst.sessions[s as usize];
                for &(t, vt) in list {
                    let b = &self.inst.sessions[t as usize];
                    if a.day() < b.day() && b.start - a.end < rest {
                        model = model.with(constraint!(vs + vt <= 1));
                    }
                }
            }
            // Weekly limit on what is left of the week.
            let prac = &self.inst.practitioners[*p as usize];
            let mut by_week: BTreeMap<usize, Expression> = BTreeMap::new();
            let mut total: BTreeMap<usize, i64> = BTreeMap::new();
            for &(s, v) in list {
                let ses = &self.inst.sessions[s as usize];
                let w = ses.week() as usize;
                *by_week.entry(w).or_default() += (ses.duration() as f64) * v;
                *total.entry(w).or_default() += ses.duration();
            }
            for (w, e) in by_week {
                let left = prac.weekly_limit_min - self.p_week[*p as usize][w];
                if total[&w] > left {
                    model = model.with(constraint!(e <= left as f64));
                }
            }
        }
        // A guard only (blocks solve in milliseconds): a block that runs into it keeps
        // its old assignment, and the caller solves it a day at a time instead.
        let started = std::time::Instant::now();
        let sol = match model.with_time_limit(BLOCK_TIME_LIMIT_S).solve() {
            Ok(sol) => sol,
            Err(e) => {
                if std::env::var_os("PLANNER_DEBUG").is_some() {
                    eprintln!("block of {}: {} vars: {e}", sessions.len(), x.len());
                }
                self.restore(&sessions, &old);
                return Block::Solved;
            }
        };
        if started.elapsed().as_secs_f64() >= 0.99 * BLOCK_TIME_LIMIT_S {
            if std::env::var_os("PLANNER_DEBUG").is_some() {
                eprintln!("block of {}: {} vars: time guard reached", sessions.len(), x.len() + z.len());
            }
            self.restore(&sessions, &old);
            return Block::TimedOut;
        }
        for &(s, p, v) in &x {
            if sol.value(v) > 0.5 {
                self.add_p(p, s);
            }
        }
        for &(s, r, v) in &z {
            if sol.value(v) > 0.5 && self.room[s as usize].is_none() {
                self.set_room(s, r);
            }
        }
        for &s in &sessions {
            if !self.is_complete(s) {
                self.unassign(s);
            }
        }
        // Keep the new day only if it is valid and no worse.
        let valid = sessions.iter().all(|&s| {
            !self.is_complete(s)
                || (self.pracs[s as usize].iter().all(|&p| self.p_blockers(p, s).is_empty())
                    && self.room[s as usize].is_none_or(|r| self.r_free(r, s, &[])))
        }) && self.week_ok(&sessions);
        if std::env::var_os("PLANNER_DEBUG").is_some() {
            eprintln!(
                "block of {}: {} vars, valid {valid}, {before_obj} -> {} in {:.3} s",
                sessions.len(),
                x.len() + z.len(),
                self.day_cost(&sessions),
                started.elapsed().as_secs_f64()
            );
        }
        if !valid || self.day_cost(&sessions) > before_obj {
            self.restore(&sessions, &old);
        }
        Block::Solved
    }

    fn week_ok(&self, sessions: &[u32]) -> bool {
        sessions.iter().all(|&s| {
            let w = self.inst.sessions[s as usize].week() as usize;
            self.pracs[s as usize]
                .iter()
                .all(|&p| self.p_week[p as usize][w] <= self.inst.practitioners[p as usize].weekly_limit_min)
        })
    }

    fn restore(&mut self, sessions: &[u32], old: &[(u32, Vec<u32>, Option<u32>)]) {
        for &s in sessions {
            self.unassign(s);
        }
        for (s, ps, r) in old {
            for &p in ps {
                self.add_p(p, *s);
            }
            if let Some(r) = r {
                self.set_room(*s, *r);
            }
        }
    }

    /// Practitioner-side cost of some sessions plus the room-change cost of their families.
    fn day_cost(&self, sessions: &[u32]) -> i64 {
        let mut c = 0;
        let mut fams = Vec::new();
        for &s in sessions {
            let ses = &self.inst.sessions[s as usize];
            if !self.is_complete(s) {
                c += unassigned_cost(ses);
                continue;
            }
            if ses.usual.is_some() {
                c += W_NOT_USUAL;
            }
            c += self.pracs[s as usize].iter().map(|&p| self.seat(p, s)).sum::<i64>();
            c += self.room_change(s, self.room[s as usize]);
            fams.push(ses.family);
        }
        fams.sort_unstable();
        fams.dedup();
        for f in fams {
            c += W_ROOM_CHANGE * (self.fam_rooms.get(&f).map_or(0, |m| m.len() as i64) - 1).max(0);
        }
        c
    }

    fn plan(&self) -> Plan {
        let mut assignments = Vec::new();
        for s in 0..self.inst.sessions.len() as u32 {
            if self.is_complete(s) {
                let mut practitioners = self.pracs[s as usize].clone();
                practitioners.sort_unstable();
                assignments.push(Assignment { session: s, practitioners, room: self.room[s as usize] });
            }
        }
        Plan { assignments }
    }

    /// Warm start from the sessions' current assignments: what of each is still
    /// valid (an eligible, free room; eligible practitioners without a clash, the
    /// weekly limit or rest broken, up to the seats) is placed as it is, in
    /// session order; the greedy fills what is left.
    fn load_current(&mut self) {
        for s in 0..self.inst.sessions.len() as u32 {
            let ses = &self.inst.sessions[s as usize];
            if ses.home_zone.is_none()
                && let Some(r) = ses.current_room
                && self.room_elig[s as usize].contains(&r)
                && self.r_free(r, s, &[])
            {
                self.set_room(s, r);
            }
            for &p in &ses.current {
                if self.pracs[s as usize].len() < ses.seats()
                    && !self.pracs[s as usize].contains(&p)
                    && self.elig[s as usize].contains(&p)
                    && self.p_can(p, s, &[])
                {
                    self.add_p(p, s);
                }
            }
        }
    }

    fn load(&mut self, plan: &Plan) {
        for a in &plan.assignments {
            for &p in &a.practitioners {
                self.add_p(p, a.session);
            }
            if let Some(r) = a.room {
                self.set_room(a.session, r);
            }
        }
    }
}

/// Plans the whole instance. Sessions with a current assignment (`Session::current`,
/// `current_room`) start from what of it is still valid, and changing it costs
/// `W_CHANGE_PRACTITIONER` per seat and `W_CHANGE_ROOM` (see `Cost`).
pub fn solve(inst: &Instance, opts: &Options) -> Plan {
    solve_from(inst, opts, None)
}

/// `solve`, warm-started from `start` (a valid plan) instead of the current assignments.
fn solve_from(inst: &Instance, opts: &Options, start: Option<&Plan>) -> Plan {
    let mut st = State::new(inst);
    match start {
        Some(plan) => st.load(plan),
        None => st.load_current(),
    }
    // Each family's room sessions start in a room of their own choosing, balanced.
    let mut order: Vec<u32> = (0..inst.sessions.len() as u32).collect();
    order.sort_by_key(|&s| {
        let ses = &inst.sessions[s as usize];
        (st.elig[s as usize].len() / ses.seats(), ses.start, s)
    });
    for &s in &order {
        if !st.is_complete(s) {
            st.insert(s);
        }
    }
    // A session the greedy could not complete keeps nothing of its warm start.
    for &s in &order {
        if !st.is_complete(s) {
            st.unassign(s);
        }
    }
    let all: Vec<u32> = (0..inst.sessions.len() as u32).collect();
    let free = vec![true; inst.sessions.len()];
    let regions = st.by_day.len();
    let days = st.by_day[0].len();
    // Weeks whose model ran into the time guard: a day at a time from then on.
    let mut day_wise = std::collections::BTreeSet::new();
    for round in 0..opts.mip_sweeps.max(opts.local_rounds) {
        if round < opts.mip_sweeps {
            for r in 0..regions {
                // A week at a time when the model is small enough, else a day at a time.
                for w in 0..days.div_ceil(7) {
                    let week: Vec<u32> = (w * 7..(w * 7 + 7).min(days))
                        .flat_map(|d| st.by_day[r][d].iter().copied())
                        .filter(|&s| free[s as usize])
                        .collect();
                    let done = !day_wise.contains(&(r, w))
                        && match st.optimise_block(week, opts.max_mip_vars) {
                            Block::Solved => true,
                            Block::TooLarge => false,
                            Block::TimedOut => {
                                day_wise.insert((r, w));
                                false
                            }
                        };
                    if !done {
                        for d in w * 7..(w * 7 + 7).min(days) {
                            let day: Vec<u32> = st.by_day[r][d].clone();
                            st.optimise_block(day, opts.max_mip_vars);
                        }
                    }
                }
            }
        }
        if round < opts.local_rounds {
            for &s in &order {
                if !st.is_complete(s) {
                    st.insert_with_ejection(s);
                }
            }
            st.improve_seats(&all);
            st.improve_rooms(&all);
        }
    }
    st.plan()
}

/// The variables `(session, owner, var)` of a block summed per session, and
/// listed per owner (a practitioner or a room) with their session.
#[allow(clippy::type_complexity)]
fn by_session_and_owner(
    vars: &[(u32, u32, Variable)],
) -> (BTreeMap<u32, Expression>, BTreeMap<u32, Vec<(u32, Variable)>>) {
    let mut per_session: BTreeMap<u32, Expression> = BTreeMap::new();
    let mut per_owner: BTreeMap<u32, Vec<(u32, Variable)>> = BTreeMap::new();
    for &(s, o, v) in vars {
        *per_session.entry(s).or_default() += v;
        per_owner.entry(o).or_default().push((s, v));
    }
    (per_session, per_owner)
}

/// The instance with the absent practitioner unavailable in the absence.
pub fn apply_absence(inst: &Instance, absence: &Absence) -> Instance {
    let mut out = inst.clone();
    if let Some(p) = out.practitioners.get_mut(absence.practitioner as usize) {
        let mut windows = Vec::new();
        for &(a, b) in &p.availability {
            if b <= absence.from || a >= absence.to {
                windows.push((a, b));
                continue;
            }
            if a < absence.from {
                windows.push((a, absence.from));
            }
            if b > absence.to {
                windows.push((absence.to, b));
            }
        }
        p.availability = windows;
    }
    out
}

/// Re-plans after an absence with as little change as possible: every
/// assignment the absence does not touch is kept as it is; the sessions it
/// touches keep their room and other practitioner, and only the absent
/// practitioner's seats are filled again, with the cheapest practitioner who
/// is free; a session that cannot be filled is left unassigned.
/// The returned plan is valid for `apply_absence(inst, absence)`.
pub fn replan(inst: &Instance, plan: &Plan, absence: &Absence) -> Plan {
    let changed = apply_absence(inst, absence);
    let mut st = State::new(&changed);
    st.load(plan);
    let mut touched = vec![false; changed.sessions.len()];
    for a in &plan.assignments {
        let s = &changed.sessions[a.session as usize];
        if a.practitioners.contains(&absence.practitioner) && s.start < absence.to && absence.from < s.end {
            touched[a.session as usize] = true;
            st.remove_p(absence.practitioner, a.session);
        }
    }
    let ids: Vec<u32> = (0..changed.sessions.len() as u32).filter(|&s| touched[s as usize]).collect();
    for &s in &ids {
        st.insert(s);
    }
    st.plan()
}

/// Re-plans after an absence weighing changes against quality: the instance
/// with the absence applied, every session's `current`/`current_room` set from
/// `plan` (the absent practitioner removed where the absence overlaps the
/// session), solved by `solve` from `replan`'s plan. Unlike `replan` it may move
/// other sessions, when the gain outweighs `W_CHANGE_PRACTITIONER` per seat and
/// `W_CHANGE_ROOM` per room; it never ends worse than `replan` under the
/// objective with change costs. The returned plan is valid for
/// `apply_absence(inst, absence)`.
pub fn replan_weighed(inst: &Instance, plan: &Plan, absence: &Absence, opts: &Options) -> Plan {
    let start = replan(inst, plan, absence);
    solve_from(&with_current(inst, plan, absence), opts, Some(&start))
}

/// `apply_absence(inst, absence)` with each session's current assignment taken
/// from `plan`, less the absent practitioner where the absence overlaps the session.
pub fn with_current(inst: &Instance, plan: &Plan, absence: &Absence) -> Instance {
    let mut out = apply_absence(inst, absence);
    for s in &mut out.sessions {
        s.current.clear();
        s.current_room = None;
    }
    for a in &plan.assignments {
        let Some(s) = out.sessions.get_mut(a.session as usize) else { continue };
        let overlaps = s.start < absence.to && absence.from < s.end;
        s.current = a.practitioners.iter().copied().filter(|&p| !(overlaps && p == absence.practitioner)).collect();
        s.current_room = a.room;
    }
    out
}

/// The cost of the plan found by `solve` (for callers that only need the number).
pub fn solve_objective(inst: &Instance, opts: &Options) -> i64 {
    objective(inst, &solve(inst, opts))
}

/// A proven lower bound on the objective of any valid plan: the sum over
/// regions and weeks of the optimum of that week's exact model (practitioners
/// and rooms) with the links between weeks dropped (rest across a week
/// boundary, room changes, which cost ≥ 0). Changes to current assignments are
/// in it through `seat_cost` and `unassigned_cost`, except a changed room of an
/// assigned session (≥ 0, dropped). With `integral` the week models
/// are solved as MIPs to optimality, else their LP relaxations (weaker, faster).
pub fn lower_bound(inst: &Instance, integral: bool) -> i64 {
    let st = State::new(inst);
    let days = st.by_day[0].len();
    let mut total = 0.0;
    for r in 0..st.by_day.len() {
        for w in 0..days.div_ceil(7) {
            let week: Vec<u32> = (w * 7..(w * 7 + 7).min(days)).flat_map(|d| st.by_day[r][d].iter().copied()).collect();
            total += st.block_bound(&week, integral);
        }
    }
    // The objective is an integer.
    (total - 1e-6).ceil() as i64
}

impl State<'_> {
    fn block_bound(&self, sessions: &[u32], integral: bool) -> f64 {
        if sessions.is_empty() {
            return 0.0;
        }
        let var = || if integral { variable().binary() } else { variable().min(0.0).max(1.0) };
        let mut vars = ProblemVariables::new();
        let mut x: Vec<(u32, u32, Variable)> = Vec::new();
        let mut z: Vec<(u32, u32, Variable)> = Vec::new();
        let mut a: BTreeMap<u32, Variable> = BTreeMap::new();
        let mut objective = Expression::from(0.0);
        let mut constant = 0.0;
        for &s in sessions {
            let ses = &self.inst.sessions[s as usize];
            let av = vars.add(var());
            a.insert(s, av);
            constant += unassigned_cost(ses) as f64;
            objective += -(unassigned_cost(ses) as f64) * av;
            if ses.usual.is_some() {
                objective += (W_NOT_USUAL as f64) * av;
            }
            for &p in &self.elig[s as usize] {
                if ses.duration() <= self.inst.practitioners[p as usize].weekly_limit_min {
                    let v = vars.add(var());
                    objective += (self.seat(p, s) as f64) * v;
                    x.push((s, p, v));
                }
            }
            if ses.home_zone.is_none() {
                for &r in &self.room_elig[s as usize] {
                    z.push((s, r, vars.add(var())));
                }
            }
        }
        let mut model = vars.minimise(objective).using(microlp);
        let (mut per_session, per_p) = by_session_and_owner(&x);
        let (mut per_session_room, per_room) = by_session_and_owner(&z);
        for &s in sessions {
            let need = self.inst.sessions[s as usize].seats() as f64;
            let sum = per_session.remove(&s).unwrap_or_default();
            model = model.with(constraint!(sum == need * a[&s]));
            if self.inst.sessions[s as usize].home_zone.is_none() {
                let rooms = per_session_room.remove(&s).unwrap_or_default();
                model = model.with(constraint!(rooms == a[&s]));
            }
        }
        let hb = self.inst.home_buffer_min;
        let cliques = |list: &Vec<(u32, Variable)>, buffer: i64| -> Vec<Expression> {
            let mut out = Vec::new();
            for &(s, _) in list {
                let (s0, _) = if buffer > 0 {
                    self.inst.sessions[s as usize].blocked(buffer)
                } else {
                    (self.inst.sessions[s as usize].start, 0)
                };
                let clique: Vec<Variable> = list
                    .iter()
                    .filter(|&&(t, _)| {
                        let o = &self.inst.sessions[t as usize];
                        let (t0, t1) = if buffer > 0 { o.blocked(buffer) } else { (o.start, o.end) };
                        t0 <= s0 && s0 < t1
                    })
                    .map(|&(_, v)| v)
                    .collect();
                if clique.len() > 1 {
                    out.push(clique.into_iter().sum());
                }
            }
            out
        };
        for list in per_room.values() {
            for e in cliques(list, 0) {
                model = model.with(constraint!(e <= 1));
            }
        }
        for (p, list) in &per_p {
            for e in cliques(list, hb) {
                model = model.with(constraint!(e <= 1));
            }
            let prac = &self.inst.practitioners[*p as usize];
            for &(s, vs) in list {
                let a = &self.inst.sessions[s as usize];
                for &(t, vt) in list {
                    let b = &self.inst.sessions[t as usize];
                    if a.day() < b.day() && b.start - a.end < prac.min_rest_min {
                        model = model.with(constraint!(vs + vt <= 1));
                    }
                }
            }
            let mut by_week: BTreeMap<i64, (Expression, i64)> = BTreeMap::new();
            for &(s, v) in list {
                let ses = &self.inst.sessions[s as usize];
                let e = by_week.entry(ses.week()).or_default();
                e.0 += (ses.duration() as f64) * v;
                e.1 += ses.duration();
            }
            for (_, (e, total)) in by_week {
                if total > prac.weekly_limit_min {
                    model = model.with(constraint!(e <= prac.weekly_limit_min as f64));
                }
            }
        }
        match model.solve() {
            Ok(sol) => {
                constant
                    + x.iter().map(|&(s, p, v)| sol.value(v) * self.seat(p, s) as f64).sum::<f64>()
                    + a.iter()
                        .map(|(&s, &v)| {
                            let ses = &self.inst.sessions[s as usize];
                            let u = if ses.usual.is_some() { W_NOT_USUAL as f64 } else { 0.0 };
                            sol.value(v) * (u - unassigned_cost(ses) as f64)
                        })
                        .sum::<f64>()
            }
            // No bound from this block (still valid: every cost is ≥ 0).
            Err(_) => 0.0,
        }
    }
}
