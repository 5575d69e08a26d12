//! The time-indexed model and its column generation: proven optima on OR-Library wt40 problems,
//! agreement with the disjunctive model on the sequencing set, refusal of an inexact grid, the
//! lower bound (library, `hetsched bound`, `bench`), and the time limit.

mod common;

use assert_cmd::cargo::cargo_bin_cmd;
use hetsched::solve::milp::{Formulation, Milp, exact_unit, lower_bound};
use hetsched::{Instance, SolveOptions, Solver, Status};
use predicates::prelude::*;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn read(rel: &str) -> Instance {
    hetsched::io::read_instance(path(rel)).unwrap()
}

fn wt40(problem: usize) -> Instance {
    let wt = hetsched::io::orlib_wt::read(&path("instances/orlib-wt/wt40.txt"), Some(40)).unwrap();
    Instance::new(wt[problem - 1].clone()).unwrap()
}

fn timed(seconds: u64) -> SolveOptions {
    SolveOptions {
        time_limit: Some(Duration::from_secs(seconds)),
        ..SolveOptions::default()
    }
}

/// Solve, check the schedule and its value, and return the report.
fn solve(milp: &Milp, inst: &Instance, options: &SolveOptions) -> hetsched::SolveReport {
    let report = milp.solve(inst, options).unwrap();
    let s = report.schedule.as_ref().expect("a schedule");
    assert!(s.violations(inst).is_empty(), "{:?}", s.violations(inst));
    assert_eq!(report.value, Some(s.value(inst)));
    if let (Some(b), Some(v)) = (report.bound, report.value) {
        assert!(b <= v + 1e-6, "bound {b} above value {v}");
    }
    report
}

#[test]
fn wt40_problems_are_proven_at_their_listed_optima() {
    // Problems 1 and 5 (root bound = optimum), 3 (a few nodes); OR-Library's optima.
    for (k, optimum) in [(1, 913.0), (3, 537.0), (5, 990.0)] {
        let inst = wt40(k);
        let report = solve(&Milp::default(), &inst, &timed(30));
        let msg = report.message.clone().unwrap();
        assert_eq!(report.status, Status::Optimal, "wt40 #{k}: {msg}");
        assert_eq!(report.value, Some(optimum), "wt40 #{k}: {msg}");
        assert!(
            msg.contains("formulation time-indexed: branch-and-price"),
            "{msg}"
        );
    }
}

#[test]
fn time_indexed_and_disjunctive_agree_on_the_sequencing_set() {
    for file in [
        "instances/sequencing/rrwc-10-3-s1.json",
        "instances/sequencing/rrwc-12-4-s4.json",
        "instances/sequencing/prec-12-s1.json",
        "instances/sequencing/wt-20-s1.json",
    ] {
        let inst = read(file);
        let ti = solve(&Milp::default(), &inst, &SolveOptions::default());
        assert_eq!(ti.status, Status::Optimal, "{file}: {:?}", ti.message);
        assert!(
            ti.message.as_deref().unwrap().contains("time-indexed"),
            "{file}: {:?}",
            ti.message
        );
        let disjunctive = Milp {
            formulation: Some(Formulation::Disjunctive),
            ..Milp::default()
        };
        let d = solve(&disjunctive, &inst, &timed(5));
        let (opt, v) = (ti.value.unwrap(), d.value.unwrap());
        assert!(
            v >= opt - 1e-6,
            "{file}: disjunctive {v} below the optimum {opt}"
        );
        assert!(
            d.bound.unwrap() <= opt + 1e-6,
            "{file}: disjunctive bound above {opt}"
        );
        if d.status == Status::Optimal {
            assert!((v - opt).abs() <= 1e-6, "{file}: {v} vs {opt}");
        }
    }
}

#[test]
fn an_inexact_grid_is_refused_by_name_and_auto_falls_back() {
    let file = path("instances/sequencing/rrwc-10-3-s1.json");
    let text = std::fs::read_to_string(&file).unwrap().replacen(
        "\"release\": 0",
        "\"release\": 0.0001234567",
        1,
    );
    let dir = tempfile::tempdir().unwrap();
    let odd = dir.path().join("odd.json");
    std::fs::write(&odd, text).unwrap();
    cargo_bin_cmd!("hetsched")
        .args(["solve", "--solver", "milp", "--formulation", "time-indexed"])
        .arg(&odd)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("time-indexed formulation needs"))
        .stderr(predicate::str::contains("release of task"));
    cargo_bin_cmd!("hetsched")
        .args(["solve", "--solver", "milp", "--time-limit", "5"])
        .arg(&odd)
        .assert()
        .success()
        .stdout(predicate::str::contains("formulation disjunctive"))
        .stdout(predicate::str::contains("auto: no exact time grid"));
    let inst = hetsched::io::read_instance(&odd).unwrap();
    assert!(
        exact_unit(&inst)
            .unwrap_err()
            .to_string()
            .contains("release of task 't")
    );
    assert_eq!(
        exact_unit(&read("instances/sequencing/rrwc-10-3-s1.json")),
        Ok(1.0)
    );
}

#[test]
fn lower_bounds_come_from_the_library_the_command_and_bench() {
    // wt40 #1: the bound is the optimum, 913.
    let inst = wt40(1);
    let b = lower_bound(&inst, None, 2_000_000, &SolveOptions::default())
        .unwrap()
        .unwrap();
    assert_eq!(b.value, 913.0, "{}", b.method);
    assert!(b.method.contains("exact grid of unit 1"), "{}", b.method);
    // An instance off any fine grid gets a bound from a rounded-down grid, below the optimum.
    let inst = read("instances/examples/ai-cluster.json");
    let coarse = lower_bound(&inst, None, 2_000, &SolveOptions::default())
        .unwrap()
        .unwrap();
    assert!(coarse.method.contains("rounded-down"), "{}", coarse.method);
    assert!(
        coarse.value > 0.0 && coarse.value <= 1791.0,
        "{}",
        coarse.value
    );
    cargo_bin_cmd!("hetsched")
        .arg("bound")
        .arg(path("instances/sequencing/wt-24-s4.json"))
        .assert()
        .success()
        .stdout(predicate::str::contains("lower bound: 199"))
        .stdout(predicate::str::contains(
            "time-indexed Lagrangian relaxation",
        ));
    // bench shows the bound as the instance's best bound, and the gap of a heuristic to it.
    let out = cargo_bin_cmd!("hetsched")
        .arg("bench")
        .arg(path("instances/sequencing/wt-24-s4.json"))
        .arg(path("instances/sequencing/rrwc-10-3-s1.json"))
        .args(["--solvers", "edf", "--format", "json", "--time-limit", "5"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run: hetsched::bench::BenchRun = serde_json::from_slice(&out.stdout).unwrap();
    assert!(run.lower_bounds);
    for row in &run.rows {
        let lb = row.lower_bound.expect("a bound for Σw·T and Σw·C");
        assert!(lb > 0.0 && lb <= row.value.unwrap(), "{row:?}");
    }
    let analysis = hetsched::bench::Analysis::new(&run);
    assert!(
        analysis
            .rows
            .iter()
            .all(|a| a.gap_to_bound.is_some_and(|g| g.is_finite()))
    );
}

#[test]
fn branch_and_price_keeps_its_time_limit() {
    // wt40 #8: not proven within 2 s; the answer comes back in time, feasible, with its bound.
    let inst = wt40(8);
    let started = Instant::now();
    let report = solve(&Milp::default(), &inst, &timed(2));
    let took = started.elapsed().as_secs_f64();
    assert!(took < 2.5, "took {took:.2} s on a 2 s limit");
    assert_eq!(report.status, Status::Feasible);
    // (How far the bound gets depends on the machine: the root LP alone takes about 1 s.)
    assert!(report.bound.unwrap() > 0.0, "{:?}", report.bound);
}

/// 1‖Σw·T by dynamic programming over subsets: the optimum of `(p, w, d)` jobs.
fn weighted_tardiness_optimum(jobs: &[(u64, u64, u64)]) -> f64 {
    let n = jobs.len();
    let mut best = vec![f64::INFINITY; 1 << n];
    best[0] = 0.0;
    for set in 1usize..1 << n {
        let end: u64 = (0..n)
            .filter(|j| set >> j & 1 == 1)
            .map(|j| jobs[j].0)
            .sum();
        for (j, &(_, w, d)) in jobs.iter().enumerate() {
            if set >> j & 1 == 1 {
                let v = best[set ^ (1 << j)] + (w * end.saturating_sub(d)) as f64;
                best[set] = best[set].min(v);
            }
        }
    }
    best[(1 << n) - 1]
}

#[test]
fn backward_sequencing_matches_the_subset_optimum() {
    // Random one-machine weighted tardiness problems of 14–18 jobs drawn as OR-Library's
    // (p in 1..100, w in 1..10, due dates by tardiness factor and range), where the root bound
    // sometimes leaves a gap: the backward sequencing search (with the root's prices,
    // reduced-cost fixing, adjacent-pair and memory rules) must end at the optimum.
    let mut rng = common::Rng(17);
    let mut searched = 0;
    for k in 0..40 {
        let n = 14 + rng.below(5) as usize;
        let p: Vec<u64> = (0..n).map(|_| 1 + rng.below(100)).collect();
        let total: u64 = p.iter().sum();
        let tf = [0.6, 0.8, 1.0][rng.below(3) as usize];
        let rdd = [0.2, 0.4, 0.6][rng.below(3) as usize];
        let lo = (total as f64 * (1.0 - tf - rdd / 2.0)).max(0.0) as u64;
        let hi = (total as f64 * (1.0 - tf + rdd / 2.0)).max(1.0) as u64;
        let jobs: Vec<(u64, u64, u64)> = p
            .iter()
            .map(|&p| (p, 1 + rng.below(10), lo + rng.below(hi - lo + 1)))
            .collect();
        let data = hetsched::InstanceData {
            name: Some(format!("wt-{k}")),
            objective: Some("weighted_tardiness".into()),
            devices: vec![hetsched::Device::new("machine")],
            tasks: jobs
                .iter()
                .enumerate()
                .map(|(j, &(p, w, d))| hetsched::Task {
                    weight: w as f64,
                    due: Some(d as f64),
                    ..hetsched::Task::new(format!("j{j}"), p as f64)
                })
                .collect(),
            network: None,
        };
        let inst = Instance::new(data).unwrap();
        let report = solve(&Milp::default(), &inst, &timed(30));
        let msg = report.message.clone().unwrap();
        assert_eq!(report.status, Status::Optimal, "problem {k}: {msg}");
        assert_eq!(
            report.value,
            Some(weighted_tardiness_optimum(&jobs)),
            "problem {k}: {msg}"
        );
        searched += usize::from(msg.contains("backward sequencing nodes"));
    }
    assert!(searched >= 2, "the search ran on {searched} of 40 problems");
}

#[test]
fn wt40_problem_83_is_proven_by_backward_sequencing() {
    // Root bound 757 against the optimum 798: start-time branching does not close it in 60 s;
    // the backward sequencing search does in about a second.
    let report = solve(&Milp::default(), &wt40(83), &timed(30));
    let msg = report.message.clone().unwrap();
    assert_eq!(report.status, Status::Optimal, "{msg}");
    assert_eq!(report.value, Some(798.0), "{msg}");
    assert!(msg.contains("backward sequencing nodes"), "{msg}");
}
