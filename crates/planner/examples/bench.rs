//! The planner benchmark: each size solved by Samvirke's planner and by the
//! same model in OR-Tools CP-SAT (bench/cpsat.py), both plans checked.
//!
//!     cargo run --release -p samvirke-planner --example bench -- \
//!         [--cpsat-seconds 60] [--sizes small,medium,large] [--seed 1] [--workers 2] [--python python3]
//!         [--large-bound lp|mip]

use std::process::Command;
use std::time::Instant;

use samvirke_planner::generate::{Size, generate};
use samvirke_planner::solve::{apply_absence, with_current};
use samvirke_planner::{
    Absence, DAY, Instance, Metrics, Options, Plan, check, cost, lower_bound, metrics, objective, replan,
    replan_weighed, solve,
};

/// One re-planning run: the plan after the absence, by one mode.
struct Replan {
    size: &'static str,
    mode: String,
    touched: usize,
    changed_beyond: usize,
    unassigned: usize,
    /// The objective without change costs (the plan's quality).
    quality: i64,
    /// The objective with change costs (against the plan before the absence).
    with_changes: i64,
    secs: f64,
    violations: Option<usize>,
}

impl Replan {
    #[allow(clippy::too_many_arguments)]
    fn new(
        size: &'static str,
        mode: &str,
        told: &Instance,
        before: &Plan,
        touched: &[u32],
        new: &Plan,
        secs: f64,
        violations: Option<usize>,
    ) -> Self {
        let c = cost(told, new);
        Replan {
            size,
            mode: mode.into(),
            touched: touched.len(),
            changed_beyond: before
                .assignments
                .iter()
                .filter(|a| !touched.contains(&a.session) && !new.assignments.contains(a))
                .count(),
            unassigned: c.unassigned as usize,
            quality: c.quality(),
            with_changes: c.total(),
            secs,
            violations,
        }
    }
}

struct Row {
    size: &'static str,
    sessions: usize,
    ours_obj: i64,
    ours_secs: f64,
    ours_metrics: Metrics,
    ours_ok: usize,
    cp_obj: Option<i64>,
    cp_reported: Option<i64>,
    cp_bound: i64,
    cp_secs: f64,
    cp_status: String,
    cp_metrics: Option<Metrics>,
    cp_ok: Option<usize>,
    own_bound: i64,
    own_bound_kind: &'static str,
    own_bound_secs: f64,
}

fn gap(obj: i64, bound: i64) -> String {
    if obj <= 0 {
        return "-".into();
    }
    format!("{:.2} %", 100.0 * (obj - bound) as f64 / obj as f64)
}

fn verdict(v: Option<usize>) -> String {
    match v {
        Some(0) => "pass".into(),
        Some(n) => format!("FAIL ({n})"),
        None => "-".into(),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut seconds = 60.0f64;
    let mut sizes = vec![Size::Small, Size::Medium, Size::Large];
    let mut seed = 1u64;
    let mut workers = 2u32;
    let mut python = "python3".to_string();
    let mut large_bound_mip = true;
    let mut i = 0;
    while i < args.len() {
        let v = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--cpsat-seconds" => seconds = v.parse().expect("--cpsat-seconds N"),
            "--sizes" => sizes = v.split(',').map(|s| Size::parse(s).expect("small, medium or large")).collect(),
            "--seed" => seed = v.parse().expect("--seed N"),
            "--workers" => workers = v.parse().expect("--workers N"),
            "--python" => python = v,
            "--large-bound" => large_bound_mip = v != "lp",
            other => panic!("unknown argument {other}"),
        }
        i += 2;
    }
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let dir = std::env::temp_dir().join("samvirke-planner-bench");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut rows = Vec::new();
    let mut replans = Vec::new();
    for size in sizes {
        let inst = generate(size, seed);
        let path = dir.join(format!("{}.json", inst.name));
        std::fs::write(&path, serde_json::to_string(&inst).expect("json")).expect("write instance");
        let t = Instant::now();
        let plan = solve(&inst, &Options::default());
        let ours_secs = t.elapsed().as_secs_f64();
        let ours_obj = objective(&inst, &plan);
        let ours_ok = check(&inst, &plan).len();
        {
            // Re-planning: the busiest practitioner is absent for the horizon's second half (or day 3 on).
            let mut load = vec![0; inst.practitioners.len()];
            plan.assignments.iter().flat_map(|a| &a.practitioners).for_each(|&p| load[p as usize] += 1);
            let ill = (0..load.len()).max_by_key(|&p| (load[p], std::cmp::Reverse(p))).unwrap_or(0) as u32;
            let from = (inst.days as i64 / 2) * DAY;
            let absence = Absence { practitioner: ill, from, to: inst.days as i64 * DAY };
            let after = apply_absence(&inst, &absence);
            // The same instance with the plan before the absence as the current plan (change costs).
            let told = with_current(&inst, &plan, &absence);
            let touched: Vec<u32> = plan
                .assignments
                .iter()
                .filter(|a| a.practitioners.contains(&ill) && inst.sessions[a.session as usize].start >= from)
                .map(|a| a.session)
                .collect();
            let t = Instant::now();
            let fixed = replan(&inst, &plan, &absence);
            let secs = t.elapsed().as_secs_f64();
            let v = Some(check(&after, &fixed).len());
            replans.push(Replan::new(size.name(), "replan (fixed)", &told, &plan, &touched, &fixed, secs, v));
            let t = Instant::now();
            let weighed = replan_weighed(&inst, &plan, &absence, &Options::default());
            let secs = t.elapsed().as_secs_f64();
            let v = Some(check(&after, &weighed).len());
            replans.push(Replan::new(size.name(), "replan_weighed", &told, &plan, &touched, &weighed, secs, v));
            // CP-SAT on the same weighed model (bench/cpsat.py reads the current plan).
            let told_path = dir.join(format!("{}-replan.json", inst.name));
            std::fs::write(&told_path, serde_json::to_string(&told).expect("json")).expect("write instance");
            eprintln!("{}: replan; running CP-SAT {seconds} s on the weighed model", size.name());
            let v = run_cpsat(&python, root, &told_path, seconds, workers);
            if let Some(Ok(cp)) = v["objective"].as_i64().map(|_| serde_json::from_value::<Plan>(v["plan"].clone())) {
                let secs = v["wall_seconds"].as_f64().unwrap_or(0.0);
                let mode = format!("CP-SAT, weighed model ({})", v["status"].as_str().unwrap_or("?"));
                let ok = Some(check(&after, &cp).len());
                let row = Replan::new(size.name(), &mode, &told, &plan, &touched, &cp, secs, ok);
                if v["objective"].as_i64() != Some(row.with_changes) {
                    eprintln!(
                        "note: {} replan: CP-SAT reported {:?}, Samvirke's objective of its plan is {}",
                        size.name(),
                        v["objective"].as_i64(),
                        row.with_changes
                    );
                }
                replans.push(row);
            }
        }
        // Samvirke's own proven bound: week models solved exactly (MIP) on small and
        // medium, their LP relaxations on large.
        let integral = size != Size::Large || large_bound_mip;
        let t = Instant::now();
        let own_bound = lower_bound(&inst, integral);
        let own_bound_secs = t.elapsed().as_secs_f64();
        eprintln!("{}: samvirke {ours_obj} in {ours_secs:.2} s; running CP-SAT {seconds} s", size.name());
        let v = run_cpsat(&python, root, &path, seconds, workers);
        let cp_plan: Option<Plan> =
            v["objective"].as_i64().map(|_| serde_json::from_value(v["plan"].clone()).expect("plan"));
        rows.push(Row {
            size: size.name(),
            sessions: inst.sessions.len(),
            ours_obj,
            ours_secs,
            ours_metrics: metrics(&inst, &plan),
            ours_ok,
            cp_obj: cp_plan.as_ref().map(|p| objective(&inst, p)),
            cp_reported: v["objective"].as_i64(),
            cp_bound: v["bound"].as_i64().unwrap_or(0),
            cp_secs: v["wall_seconds"].as_f64().unwrap_or(0.0),
            cp_status: v["status"].as_str().unwrap_or("?").to_string(),
            cp_metrics: cp_plan.as_ref().map(|p| metrics(&inst, p)),
            cp_ok: cp_plan.as_ref().map(|p| check(&inst, p).len()),
            own_bound,
            own_bound_kind: if integral { "week MIPs" } else { "week LPs" },
            own_bound_secs,
        });
    }
    println!(
        "Lower bounds (proven): CP-SAT's best bound, and Samvirke's own (per-region week models with the links between weeks dropped).\n"
    );
    println!(
        "| size | CP-SAT bound | Samvirke bound | how | time | best bound | Samvirke gap to best bound | CP-SAT gap to best bound |"
    );
    println!("|---|---:|---:|---|---:|---:|---:|---:|");
    for r in &rows {
        let best = r.cp_bound.max(r.own_bound);
        println!(
            "| {} | {} | {} | {} | {:.2} s | {} | {} | {} |",
            r.size,
            r.cp_bound,
            r.own_bound,
            r.own_bound_kind,
            r.own_bound_secs,
            best,
            gap(r.ours_obj, best),
            r.cp_obj.map_or("-".into(), |c| gap(c, best))
        );
    }
    println!();
    println!(
        "| size | sessions | planner | objective | gap to CP-SAT bound | vs CP-SAT best | time | unassigned | usual practitioner | hourly staff h | room changes / family | travel h | checker |"
    );
    println!("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    for r in &rows {
        let vs = match r.cp_obj {
            Some(c) if c > 0 => format!("{:+.2} %", 100.0 * (r.ours_obj - c) as f64 / c as f64),
            _ => "-".into(),
        };
        let m = &r.ours_metrics;
        println!(
            "| {} | {} | Samvirke | {} | {} | {} | {:.2} s | {} | {:.1} % | {:.1} | {:.2} | {:.1} | {} |",
            r.size,
            r.sessions,
            r.ours_obj,
            gap(r.ours_obj, r.cp_bound),
            vs,
            r.ours_secs,
            m.unassigned,
            100.0 * m.usual_share,
            m.hourly_hours,
            m.room_changes_per_family,
            m.travel_hours,
            verdict(Some(r.ours_ok))
        );
        match &r.cp_metrics {
            Some(m) => println!(
                "| {} | {} | CP-SAT ({}, bound {}) | {} | {} | | {:.2} s | {} | {:.1} % | {:.1} | {:.2} | {:.1} | {} |",
                r.size,
                r.sessions,
                r.cp_status,
                r.cp_bound,
                r.cp_obj.unwrap_or(0),
                gap(r.cp_obj.unwrap_or(0), r.cp_bound),
                r.cp_secs,
                m.unassigned,
                100.0 * m.usual_share,
                m.hourly_hours,
                m.room_changes_per_family,
                m.travel_hours,
                verdict(r.cp_ok)
            ),
            None => println!(
                "| {} | {} | CP-SAT ({}, bound {}) | no plan | | | {:.2} s | | | | | | - |",
                r.size, r.sessions, r.cp_status, r.cp_bound, r.cp_secs
            ),
        }
        if r.cp_obj != r.cp_reported {
            eprintln!(
                "note: {}: CP-SAT reported {:?}, Samvirke's objective of its plan is {:?}",
                r.size, r.cp_reported, r.cp_obj
            );
        }
    }
    println!();
    println!("Re-planning: the busiest practitioner absent for the second half of the horizon.\n");
    println!(
        "| size | mode | sessions touched | other sessions changed | unassigned | objective without changes | with changes | time | checker |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---|");
    for r in replans {
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {:.3} s | {} |",
            r.size,
            r.mode,
            r.touched,
            r.changed_beyond,
            r.unassigned,
            r.quality,
            r.with_changes,
            r.secs,
            verdict(r.violations)
        );
    }
}

/// Runs bench/cpsat.py on an instance file and returns its JSON answer.
fn run_cpsat(python: &str, root: &str, path: &std::path::Path, seconds: f64, workers: u32) -> serde_json::Value {
    let out = Command::new(python)
        .arg(format!("{root}/bench/cpsat.py"))
        .arg(path)
        .args(["--seconds", &seconds.to_string(), "--workers", &workers.to_string()])
        .output()
        .expect("run python3 bench/cpsat.py");
    if !out.status.success() {
        panic!("cpsat.py failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    serde_json::from_slice(&out.stdout).expect("cpsat.py JSON")
}
