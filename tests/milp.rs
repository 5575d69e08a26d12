//! The exact solver's behaviour: warm start used by HiGHS, infeasibility with reasons, side
//! constraints, formulation choice, and the OR-Library GAP optima.

use hetsched::io::{etc, orlib_gap};
use hetsched::solve::greedy::BestGreedy;
use hetsched::solve::milp::{Formulation, Milp, WithMipGap, WithWarmStart};
use hetsched::{
    Device, Error, Instance, InstanceData, Objective, SolveOptions, Solver, Status, Task,
};
use std::path::PathBuf;
use std::time::Duration;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn opts(limit: Option<f64>) -> SolveOptions {
    SolveOptions {
        time_limit: limit.map(Duration::from_secs_f64),
        ..Default::default()
    }
}

fn braun(name: &str) -> Instance {
    Instance::new(etc::read(root().join("instances/braun-512x16").join(name), None).unwrap())
        .unwrap()
}

#[test]
fn warm_start_reaches_highs() {
    // With no time at all, HiGHS's only incumbent is the warm start it was given.
    let inst = braun("u_i_lolo.0");
    let (_, _, greedy) = BestGreedy::best(&inst).unwrap();
    let r = Milp::default().solve(&inst, &opts(Some(0.0))).unwrap();
    assert_eq!(r.status, Status::Feasible);
    assert_eq!(r.value, Some(greedy));
    let msg = r.message.unwrap();
    assert!(msg.contains("schedule from milp"), "{msg}");
    assert!(msg.contains("formulation makespan"), "{msg}");
    assert!(r.schedule.unwrap().violations(&inst).is_empty());

    // Without a warm start and without time, there is nothing to return.
    let r = Milp::default()
        .with_warm_start(false)
        .solve(&inst, &opts(Some(0.0)))
        .unwrap();
    assert!(r.schedule.is_none() || r.message.as_deref().unwrap().contains("schedule from milp"));
    if r.schedule.is_none() {
        assert_eq!(r.status, Status::Unknown);
    }
}

#[test]
fn time_limit_is_honoured_and_never_worse_than_warm_start() {
    let inst = braun("u_s_hihi.0");
    let (_, _, greedy) = BestGreedy::best(&inst).unwrap();
    let started = std::time::Instant::now();
    let r = Milp::default().solve(&inst, &opts(Some(2.0))).unwrap();
    assert!(
        started.elapsed().as_secs_f64() < 6.0,
        "took {:?}",
        started.elapsed()
    );
    let v = r.value.unwrap();
    assert!(v <= greedy);
    let b = r.bound.expect("a bound after the root");
    assert!(b <= v && b > 0.0);
    assert!(r.schedule.unwrap().violations(&inst).is_empty());
}

fn small(capacities: &[Option<f64>], works: &[f64], objective: Objective) -> Instance {
    let data = InstanceData {
        name: Some("small".into()),
        objective: Some(objective.name().into()),
        devices: capacities
            .iter()
            .enumerate()
            .map(|(d, &c)| Device {
                capacity: c,
                cost_rate: 1.0 + d as f64,
                ..Device::new(format!("d{d}"))
            })
            .collect(),
        tasks: works
            .iter()
            .enumerate()
            .map(|(t, &w)| Task::new(format!("t{t}"), w))
            .collect(),
        network: None,
    };
    Instance::new(data).unwrap()
}

#[test]
fn infeasible_capacities_are_reported_with_the_reason() {
    // t1 needs 9 but no device takes more than 5.
    let inst = small(&[Some(5.0), Some(4.0)], &[3.0, 9.0], Objective::TotalCost);
    let r = Milp::default().solve(&inst, &opts(None)).unwrap();
    assert_eq!(r.status, Status::Infeasible);
    assert!(r.schedule.is_none());
    let msg = r.message.unwrap();
    assert!(msg.contains("task 't1' fits no device"), "{msg}");

    // Each task fits somewhere, but not all together.
    let inst = small(
        &[Some(5.0), Some(5.0)],
        &[4.0, 4.0, 4.0],
        Objective::Makespan,
    );
    let r = Milp::default().solve(&inst, &opts(None)).unwrap();
    assert_eq!(r.status, Status::Infeasible);
    let msg = r.message.unwrap();
    assert!(
        msg.contains("'d0' (5)") && msg.contains("'d1' (5)"),
        "{msg}"
    );
}

#[test]
fn max_tasks_gives_the_classic_assignment_problem() {
    // 3 tasks, 3 devices, one task each: costs c(t, d) = cost_rate_d · work_t.
    let inst = small(&[None, None, None], &[3.0, 1.0, 2.0], Objective::TotalCost);
    let r = Milp {
        max_tasks: Some(1),
        ..Milp::default()
    }
    .solve(&inst, &opts(None))
    .unwrap();
    assert_eq!(r.status, Status::Optimal);
    let s = r.schedule.unwrap();
    let mut per_device = [0; 3];
    for a in &s.assignments {
        per_device[a.device] += 1;
    }
    assert_eq!(per_device, [1, 1, 1]);
    // Longest task on the cheapest device: 3·1 + 2·2 + 1·3 = 10.
    assert_eq!(r.value, Some(10.0));

    let r = Milp {
        max_tasks: Some(1),
        ..Milp::default()
    }
    .solve(
        &small(&[None], &[1.0, 1.0], Objective::TotalCost),
        &opts(None),
    )
    .unwrap();
    assert_eq!(r.status, Status::Infeasible);
    assert!(
        r.message
            .unwrap()
            .contains("2 tasks but at most 1 per device on 1 devices")
    );
}

#[test]
fn min_utilization_is_enforced() {
    // Two devices; d1 is 10× slower. Minimum makespan puts everything on d0 (utilization 50%);
    // asking for 55% forces one task onto d1: busy 1 + 1 + 10 over 2 × 10 = 60%. (The best
    // reachable is 60%, so 70% is infeasible.)
    let data: InstanceData = serde_json::from_str(
        r#"{"objective": "makespan", "devices": [{"id": "d0", "speed": 10}, {"id": "d1"}],
            "tasks": [{"id": "a", "work": 10}, {"id": "b", "work": 10}, {"id": "c", "work": 10}]}"#,
    )
    .unwrap();
    let inst = Instance::new(data).unwrap();
    let free = Milp::default().solve(&inst, &opts(None)).unwrap();
    assert_eq!(free.value, Some(3.0));
    let tied = Milp {
        min_utilization: Some(0.55),
        ..Milp::default()
    }
    .solve(&inst, &opts(None))
    .unwrap();
    assert_eq!(tied.status, Status::Optimal);
    assert_eq!(tied.value, Some(10.0));
    let s = tied.schedule.unwrap();
    let m = s.metrics(&inst);
    let util = m.busy.iter().sum::<f64>() / (2.0 * m.makespan);
    assert!(util >= 0.55 - 1e-9, "utilization {util}");
    let none = Milp {
        min_utilization: Some(0.7),
        ..Milp::default()
    }
    .solve(&inst, &opts(None))
    .unwrap();
    assert_eq!(none.status, Status::Infeasible);
    assert!(
        none.message
            .unwrap()
            .contains("mean utilization at least 0.7")
    );
}

#[test]
fn formulation_choice_and_refusal() {
    let inst = small(&[None, None], &[3.0, 1.0], Objective::WeightedCompletion);
    assert_eq!(
        Formulation::choose(&inst, None),
        Formulation::WeightedCompletion
    );
    let r = Milp::default()
        .with_mip_gap(0.0)
        .solve(&inst, &opts(None))
        .unwrap();
    assert_eq!(r.status, Status::Optimal);
    assert!(
        r.message
            .unwrap()
            .contains("formulation weighted-completion")
    );
    // The same instance through the general model gives the same optimum.
    let g = Milp {
        formulation: Some(Formulation::Disjunctive),
        ..Milp::default()
    }
    .solve(&inst, &opts(None))
    .unwrap();
    assert_eq!(g.value, r.value);
    // A formulation that cannot model the objective is refused, naming why.
    let e = Milp {
        formulation: Some(Formulation::Makespan),
        ..Milp::default()
    }
    .solve(&inst, &opts(None))
    .unwrap_err();
    assert!(
        matches!(e, Error::Usage(ref m) if m.contains("makespan formulation handles makespan")),
        "{e}"
    );
}

struct GapOptimum {
    file: String,
    problem: usize,
    optimum: f64,
    sense: String,
}

fn gap_optima() -> Vec<GapOptimum> {
    let text = std::fs::read_to_string(root().join("instances/orlib-gap/optima.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (cf, cp, co, cs) = (
        col("file"),
        col("problem_index"),
        col("optimum"),
        col("sense"),
    );
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            GapOptimum {
                file: f[cf].into(),
                problem: f[cp].parse().unwrap(),
                optimum: f[co].parse().unwrap(),
                sense: f[cs].into(),
            }
        })
        .collect()
}

#[test]
fn orlib_gap1_to_gap12_reach_their_published_optima() {
    let optima = gap_optima();
    let mut solved = 0;
    for o in optima.iter().filter(|o| o.sense == "max") {
        let path = root().join("instances/orlib-gap").join(&o.file);
        let sense = orlib_gap::Sense::from_file_name(&path).unwrap();
        assert_eq!(sense, orlib_gap::Sense::Maximize);
        let data = orlib_gap::read(&path, sense)
            .unwrap()
            .swap_remove(o.problem - 1);
        let inst = Instance::new(data).unwrap();
        let r = Milp::default().solve(&inst, &opts(Some(60.0))).unwrap();
        assert_eq!(r.status, Status::Optimal, "{} #{}", o.file, o.problem);
        // Costs are negated profits: the minimum is minus the published maximum.
        assert_eq!(r.value, Some(-o.optimum), "{} #{}", o.file, o.problem);
        assert!(r.schedule.unwrap().violations(&inst).is_empty());
        solved += 1;
    }
    assert_eq!(solved, 60);
}

/// A 400k-row disjunctive model (200 tasks, 16 devices, releases and precedence): building it
/// (2 million nonzeros) and HiGHS's set-up would each outlast a 2 s limit, so the solver returns
/// the warm start (the best greedy schedule improved by local search) without building the model
/// or calling HiGHS, and says why; the time limit holds.
#[test]
fn a_large_disjunctive_model_honours_a_short_time_limit() {
    let inst =
        hetsched::io::read_instance(root().join("instances/ai-cluster/ai-cluster-200x16-s1.json"))
            .unwrap();
    let started = std::time::Instant::now();
    let r = Milp::default().solve(&inst, &opts(Some(2.0))).unwrap();
    let took = started.elapsed().as_secs_f64();
    assert!(took < 2.0, "took {took} s on a 2 s limit");
    let note = r.message.unwrap_or_default();
    assert!(
        note.contains("not built") || note.contains("not handed to HiGHS"),
        "{note}"
    );
    assert_eq!(r.status, Status::Feasible);
    let (_, _, greedy) = BestGreedy::best(&inst).unwrap();
    assert!(r.value.unwrap() <= greedy * (1.0 + 1e-9));
    assert!(r.schedule.unwrap().violations(&inst).is_empty());
}
