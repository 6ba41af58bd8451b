#!/usr/bin/env python3
"""The planner's model in OR-Tools CP-SAT, for comparison with Samvirke's planner.

Reads an instance JSON written by `cargo run --release -p samvirke-planner --example bench`
(or `--example instance`), solves the same model (same hard rules, same
objective and weights as crates/planner/src/model.rs) and prints JSON:
objective, best bound, wall time, status and the plan.

    python3 bench/cpsat.py INSTANCE.json [--seconds 60] [--workers 2]
"""

import argparse
import json
import sys
import time

from ortools.sat.python import cp_model

DAY = 1440
WEEK = 7 * DAY
W_UNASSIGNED = 10_000
W_NOT_USUAL = 100
W_HOURLY_PER_MIN = 1
W_ROOM_CHANGE = 50
W_TRAVEL_PER_MIN = 1
TRAVEL_MIN_PER_ZONE = 10
W_CHANGE_PRACTITIONER = 150
W_CHANGE_ROOM = 40


def within(windows, a, b):
    return any(w[0] <= a and b <= w[1] for w in windows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("instance")
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    t0 = time.time()
    inst = json.load(open(args.instance))
    S, P, R = inst["sessions"], inst["practitioners"], inst["rooms"]
    hb = inst["home_buffer_min"]
    m = cp_model.CpModel()
    obj = []
    a = {}
    x = {}  # (s, p) -> var
    z = {}  # (s, r) -> var
    p_int = {p["id"]: [] for p in P}
    r_int = {r["id"]: [] for r in R}
    for s in S:
        sid = s["id"]
        a[sid] = m.NewBoolVar(f"a{sid}")
        # The current assignment (absent from older instances: none).
        current = s.get("current") or []
        current_room = s.get("current_room")
        # Unassigned: the told practitioners lose the seat, the told room is changed.
        lost = len(current) * W_CHANGE_PRACTITIONER + (W_CHANGE_ROOM if current_room is not None else 0)
        obj.append((W_UNASSIGNED + lost) * (1 - a[sid]))
        seats = 2 if s["needs_two"] else 1
        dur = s["end"] - s["start"]
        b0, b1 = (s["start"] - hb, s["end"] + hb) if s["home_zone"] is not None else (s["start"], s["end"])
        xs = []
        for p in P:
            if p["region"] != s["region"] or (s["supervised"] and not p["supervision_trained"]):
                continue
            if not within(p["availability"], s["start"], s["end"]):
                continue
            v = m.NewBoolVar(f"x{sid}_{p['id']}")
            x[sid, p["id"]] = v
            xs.append(v)
            cost = 0 if p["permanent"] else dur * W_HOURLY_PER_MIN
            if s["home_zone"] is not None:
                cost += abs(s["home_zone"] - p["zone"]) * TRAVEL_MIN_PER_ZONE * W_TRAVEL_PER_MIN
            if current and p["id"] not in current:
                cost += W_CHANGE_PRACTITIONER
            if cost:
                obj.append(cost * v)
            p_int[p["id"]].append((b0, b1, v, sid))
        m.Add(sum(xs) == seats * a[sid])
        if s["usual"] is not None:
            u = x.get((sid, s["usual"]))
            obj.append(W_NOT_USUAL * (a[sid] - u) if u is not None else W_NOT_USUAL * a[sid])
        if s["home_zone"] is None:
            zs = []
            for r in R:
                if r["region"] == s["region"] and within(r["open"], s["start"], s["end"]):
                    v = m.NewBoolVar(f"z{sid}_{r['id']}")
                    z[sid, r["id"]] = v
                    zs.append(v)
                    r_int[r["id"]].append((s["start"], s["end"], v, sid))
                    if current_room is not None and r["id"] != current_room:
                        obj.append(W_CHANGE_ROOM * v)
            m.Add(sum(zs) == a[sid])
        elif current_room is not None:
            obj.append(W_CHANGE_ROOM * a[sid])
    sessions = {s["id"]: s for s in S}
    for p in P:
        lst = p_int[p["id"]]
        # No overlap of blocked intervals (travel buffer around home sessions).
        m.AddNoOverlap([m.NewOptionalFixedSizeIntervalVar(b0, b1 - b0, v, "") for (b0, b1, v, _) in lst])
        # Rest between days: pairs on different days closer than the minimum rest.
        by_start = sorted(lst, key=lambda t: sessions[t[3]]["start"])
        for i, (_, _, vi, si) in enumerate(by_start):
            ei = sessions[si]["end"]
            di = sessions[si]["start"] // DAY
            for (_, _, vj, sj) in by_start[i + 1:]:
                st = sessions[sj]["start"]
                if st - ei >= p["min_rest_min"]:
                    break
                if st // DAY != di:
                    m.AddBoolOr([vi.Not(), vj.Not()])
        # Weekly limits.
        weeks = {}
        for (_, _, v, sid) in lst:
            s = sessions[sid]
            weeks.setdefault(s["start"] // WEEK, []).append((s["end"] - s["start"], v))
        for items in weeks.values():
            if sum(d for d, _ in items) > p["weekly_limit_min"]:
                m.Add(sum(d * v for d, v in items) <= p["weekly_limit_min"])
    for r in R:
        lst = r_int[r["id"]]
        m.AddNoOverlap([m.NewOptionalFixedSizeIntervalVar(b0, b1 - b0, v, "") for (b0, b1, v, _) in lst])
    # Room changes: rooms used per family beyond the first.
    fam = {}
    for (sid, rid), v in z.items():
        fam.setdefault(sessions[sid]["family"], {}).setdefault(rid, []).append(v)
    for f, rooms in fam.items():
        ys = []
        for rid, vs in rooms.items():
            y = m.NewBoolVar("")
            for v in vs:
                m.AddImplication(v, y)
            ys.append(y)
        if len(ys) > 1:
            c = m.NewIntVar(0, len(ys), "")
            m.Add(c >= sum(ys) - 1)
            obj.append(W_ROOM_CHANGE * c)
    m.Minimize(sum(obj))
    build = time.time() - t0
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(1.0, args.seconds - build)
    solver.parameters.num_workers = args.workers
    solver.parameters.random_seed = 1
    status = solver.Solve(m)
    wall = time.time() - t0
    plan = []
    ok = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if ok:
        for s in S:
            sid = s["id"]
            if solver.Value(a[sid]):
                ps = sorted(p["id"] for p in P if (sid, p["id"]) in x and solver.Value(x[sid, p["id"]]))
                room = next((r["id"] for r in R if (sid, r["id"]) in z and solver.Value(z[sid, r["id"]])), None)
                plan.append({"session": sid, "practitioners": ps, "room": room})
    json.dump(
        {
            "status": solver.StatusName(status),
            "objective": int(round(solver.ObjectiveValue())) if ok else None,
            "bound": int(round(solver.BestObjectiveBound())),
            "wall_seconds": wall,
            "build_seconds": build,
            "plan": {"assignments": plan},
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
