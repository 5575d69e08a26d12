//! Shared resources (devices with `resources`, tasks with a `demand`):
//! - property test: on random instances mixing shared and one-task-at-a-time devices, exclusive
//!   and sharing tasks, releases, precedence, availability and eligibility by demand, every
//!   greedy rule, `ls`, `ga` and `milp` return a schedule that passes the checker, whose value
//!   equals an independent recomputation and whose shared devices never exceed a capacity
//!   (checked here again by brute force over time points);
//! - exactness: on tiny cumulative instances the time-indexed MILP's optimum equals the optimum
//!   of an exhaustive search through the schedule builder.

mod common;
use common::{Rng, recompute};
use hetsched::schedule::Timetable;
use hetsched::solve::greedy::{BestGreedy, GreedyRule};
use hetsched::solve::meta::{Genetic, IteratedLocalSearch};
use hetsched::solve::milp::Milp;
use hetsched::{
    Device, Instance, InstanceData, Objective, Schedule, SolveOptions, Solver, Status, Task,
};
use std::collections::BTreeMap;
use std::time::Duration;

/// A random instance: `max_tasks` tasks at most on `max_devices` devices at most; integer data
/// when `integer` (for the exact comparison), else fractional times.
fn random_instance(
    rng: &mut Rng,
    objective: Objective,
    max_devices: u64,
    max_tasks: u64,
    integer: bool,
) -> Option<Instance> {
    let m = 1 + rng.below(max_devices) as usize;
    let n = 2 + rng.below(max_tasks - 1) as usize;
    let devices: Vec<Device> = (0..m)
        .map(|d| {
            let shared = d == 0 || rng.chance(0.5);
            let resources = shared.then(|| {
                let mut r = BTreeMap::new();
                r.insert("gpu".to_string(), (2 + rng.below(7)) as f64);
                if rng.chance(0.5) {
                    r.insert("mem".to_string(), (16 * (1 + rng.below(8))) as f64);
                }
                r
            });
            Device {
                kind: Some(if shared { "node" } else { "cpu" }.into()),
                speed: if rng.chance(0.3) { 2.0 } else { 1.0 },
                available_from: if rng.chance(0.3) {
                    rng.below(5) as f64
                } else {
                    0.0
                },
                capacity: rng.chance(0.1).then(|| (10 + rng.below(30)) as f64),
                resources,
                ..Device::new(format!("d{d}"))
            }
        })
        .collect();
    let with_prec = rng.chance(0.4);
    let with_release = rng.chance(0.5);
    let tasks: Vec<Task> = (0..n)
        .map(|t| {
            let work = if integer {
                (1 + rng.below(8)) as f64
            } else {
                0.5 + rng.below(80) as f64 / 7.0
            };
            let mut demand = BTreeMap::new();
            if rng.chance(0.75) {
                demand.insert("gpu".to_string(), rng.below(5) as f64);
                if rng.chance(0.4) {
                    demand.insert("mem".to_string(), (8 * rng.below(10)) as f64);
                }
            }
            Task {
                work: Some(work),
                weight: (1 + rng.below(4)) as f64,
                release: if with_release {
                    rng.below(8) as f64
                } else {
                    0.0
                },
                due: rng.chance(0.7).then(|| (2 + rng.below(15)) as f64),
                after: if with_prec && t > 0 {
                    (0..t)
                        .filter(|_| rng.chance(0.25))
                        .map(|p| format!("t{p}").into())
                        .collect()
                } else {
                    vec![]
                },
                demand,
                ..Task::new(format!("t{t}"), 0.0)
            }
        })
        .collect();
    Instance::new(InstanceData {
        name: Some("shared".into()),
        objective: Some(objective.name().into()),
        devices,
        tasks,
        network: None,
    })
    .ok()
}

/// An independent capacity check: at the midpoint of every elementary interval between two
/// consecutive start/end times, each device's running tasks fit every resource, and an exclusive
/// task (or any task on a device without resources) runs alone. Returns how many instants had
/// two tasks running together on one device.
fn assert_fits(inst: &Instance, s: &Schedule, ctx: &str) -> usize {
    let mut times: Vec<f64> = s
        .assignments
        .iter()
        .flat_map(|a| [a.start, a.end])
        .collect();
    times.sort_by(f64::total_cmp);
    times.dedup();
    let mut together = 0;
    for w in times.windows(2) {
        let mid = 0.5 * (w[0] + w[1]);
        for d in 0..inst.num_devices() {
            let running: Vec<usize> = s
                .assignments
                .iter()
                .filter(|a| a.device == d && a.start <= mid && mid < a.end)
                .map(|a| a.task)
                .collect();
            if running.len() < 2 {
                continue;
            }
            together += 1;
            assert!(
                inst.offers_resources(d) && running.iter().all(|&t| !inst.is_exclusive(t)),
                "{ctx}: tasks {running:?} run together on device {d} at {mid}"
            );
            for k in 0..inst.num_resources() {
                let used: f64 = running.iter().map(|&t| inst.demand_of(t)[k]).sum();
                assert!(
                    used <= inst.resource_capacity(d, k) + 1e-9,
                    "{ctx}: {used} of resource {k} on device {d} at {mid}"
                );
            }
        }
    }
    together
}

#[test]
fn every_solver_respects_shared_resources() {
    let mut rng = Rng(20261201);
    let mut solvers: Vec<Box<dyn Solver>> = GreedyRule::ALL
        .iter()
        .map(|&r| Box::new(r) as Box<dyn Solver>)
        .collect();
    solvers.push(Box::new(BestGreedy));
    solvers.push(Box::new(IteratedLocalSearch {
        max_iterations: 8,
        ..IteratedLocalSearch::default()
    }));
    solvers.push(Box::new(Genetic {
        max_generations: 6,
        population: 8,
        islands: 2,
        ..Genetic::default()
    }));
    let (mut checked, mut attempts, mut together, mut shared_instances) = (0, 0, 0, 0);
    while checked < 150 {
        attempts += 1;
        assert!(attempts < 1000, "too many invalid random instances");
        let objective = Objective::ALL[attempts % 5];
        let Some(inst) = random_instance(&mut rng, objective, 3, 12, false) else {
            continue;
        };
        shared_instances += inst.has_sharing() as usize;
        for solver in &solvers {
            let ctx = format!("instance #{attempts} ({objective}), {}", solver.name());
            let report = match solver.solve(&inst, &SolveOptions::default()) {
                Ok(r) => r,
                Err(hetsched::Error::Solve(msg)) if msg.contains("capacit") => continue,
                Err(e) => panic!("{ctx}: {e}"),
            };
            let s = report.schedule.as_ref().expect("a schedule");
            let v = s.violations(&inst);
            assert!(v.is_empty(), "{ctx}: {v:?}");
            let value = report.value.unwrap();
            let again = recompute(&inst, s);
            assert!(
                (value - again).abs() <= 1e-9 * again.abs().max(1.0),
                "{ctx}: {value} vs {again}"
            );
            together += assert_fits(&inst, s, &ctx);
        }
        checked += 1;
    }
    assert!(shared_instances >= 100, "{shared_instances} share devices");
    assert!(together >= 200, "tasks ran together only {together} times");
}

/// The optimum by depth-first search over (next task, device) placements through the builder:
/// placing the tasks of an optimal schedule in the order of their starts reproduces it or a
/// schedule at least as good (with the tasks placed earlier each start can only move earlier, as
/// the resources used after it are a subset of those used in the optimum), so the search
/// reaches the optimum.
fn brute_force(inst: &Instance) -> Option<f64> {
    fn value(inst: &Instance, tt: &Timetable) -> f64 {
        let placed = (0..inst.num_tasks()).filter_map(|t| tt.assignment(t));
        match inst.objective() {
            Objective::Makespan => placed.map(|a| a.end).fold(0.0, f64::max),
            Objective::WeightedCompletion => placed.map(|a| inst.task(a.task).weight * a.end).sum(),
            _ => placed
                .map(|a| {
                    let t = inst.task(a.task);
                    t.due.map_or(0.0, |d| t.weight * (a.end - d).max(0.0))
                })
                .sum(),
        }
    }
    fn dfs(inst: &Instance, tt: &Timetable, best: &mut f64) {
        if tt.num_placed() == inst.num_tasks() {
            *best = best.min(value(inst, tt));
            return;
        }
        for t in 0..inst.num_tasks() {
            if tt.is_placed(t) || !tt.is_ready(t) {
                continue;
            }
            for &d in inst.eligible(t) {
                if !tt.fits_capacity(t, d) {
                    continue;
                }
                let mut next = tt.clone();
                next.place(t, d).unwrap();
                if value(inst, &next) < *best - 1e-9 {
                    dfs(inst, &next, best);
                }
            }
        }
    }
    let mut best = f64::INFINITY;
    dfs(inst, &Timetable::new(inst), &mut best);
    best.is_finite().then_some(best)
}

#[test]
fn time_indexed_milp_matches_brute_force_on_cumulative_instances() {
    let mut rng = Rng(20_261_201);
    let objectives = [
        Objective::Makespan,
        Objective::WeightedCompletion,
        Objective::WeightedTardiness,
    ];
    let (mut checked, mut attempts, mut shared) = (0, 0, 0);
    while checked < 90 {
        attempts += 1;
        assert!(attempts < 1000, "too many invalid random instances");
        let objective = objectives[attempts % 3];
        let Some(inst) = random_instance(&mut rng, objective, 2, 6, true) else {
            continue;
        };
        let expected = brute_force(&inst);
        let report = Milp::default()
            .solve(
                &inst,
                &SolveOptions {
                    time_limit: Some(Duration::from_secs(30)),
                    ..SolveOptions::default()
                },
            )
            .unwrap();
        let ctx = format!(
            "instance #{attempts} ({objective}): {:?}\n{}",
            report.message,
            hetsched::io::instance_to_json(&inst.to_data())
        );
        match expected {
            None => assert_eq!(report.status, Status::Infeasible, "{ctx}"),
            Some(opt) => {
                assert_eq!(report.status, Status::Optimal, "{ctx}");
                let s = report.schedule.as_ref().unwrap();
                assert!(s.violations(&inst).is_empty(), "{ctx}");
                let value = report.value.unwrap();
                assert!(
                    (value - opt).abs() <= 1e-6 * opt.abs().max(1.0),
                    "{ctx}: milp {value} vs brute force {opt}"
                );
                if inst.has_sharing() {
                    assert!(
                        report
                            .message
                            .as_deref()
                            .is_some_and(|m| m.contains("time-indexed")),
                        "{ctx}"
                    );
                }
            }
        }
        shared += inst.has_sharing() as usize;
        checked += 1;
    }
    assert!(shared >= 60, "only {shared} instances share a device");
}

#[test]
fn the_disjunctive_model_refuses_shared_devices() {
    let data: InstanceData = serde_json::from_str(
        r#"{"devices": [{"id": "node", "resources": {"gpu": 8}}],
            "tasks": [{"id": "a", "work": 3, "demand": {"gpu": 4}},
                      {"id": "b", "work": 3, "demand": {"gpu": 4}}]}"#,
    )
    .unwrap();
    let inst = Instance::new(data).unwrap();
    let milp = Milp {
        formulation: Some(hetsched::solve::milp::Formulation::Disjunctive),
        ..Milp::default()
    };
    let err = milp
        .solve(&inst, &SolveOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("device 'node'") && err.contains("time-indexed"),
        "{err}"
    );
    let report = Milp::default()
        .solve(&inst, &SolveOptions::default())
        .unwrap();
    assert_eq!(report.status, Status::Optimal);
    assert_eq!(report.value, Some(3.0)); // both jobs at once on the 8 GPUs
}

/// The bundled multi-GPU example: jobs share the nodes, and the MILP proves the optimum the
/// greedy rules are compared with.
#[test]
fn the_bundled_gpu_nodes_example_is_planned_side_by_side() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/instances/examples/gpu-nodes.json"
    );
    let inst = hetsched::io::read_instance(path).unwrap();
    assert!(inst.has_sharing());
    let greedy = BestGreedy.solve(&inst, &SolveOptions::default()).unwrap();
    let s = greedy.schedule.as_ref().unwrap();
    assert!(s.violations(&inst).is_empty());
    assert!(
        assert_fits(&inst, s, "best-greedy") > 0,
        "no two jobs ran together"
    );
    let options = SolveOptions {
        time_limit: Some(Duration::from_secs(60)),
        ..SolveOptions::default()
    };
    let exact = Milp::default().solve(&inst, &options).unwrap();
    assert_eq!(exact.status, Status::Optimal, "{:?}", exact.message);
    let s = exact.schedule.as_ref().unwrap();
    assert!(s.violations(&inst).is_empty());
    assert_eq!(exact.value, Some(recompute(&inst, s)));
    assert!(exact.value.unwrap() <= greedy.value.unwrap());
}

/// The multi-GPU examples of the README and of docs/format.md are valid instances.
#[test]
fn the_documented_multi_gpu_examples_are_valid() {
    let mut seen = 0;
    for doc in ["README.md", "docs/format.md"] {
        let text =
            std::fs::read_to_string(format!("{}/{doc}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        for block in text.split("```json").skip(1) {
            let json = block.split("```").next().unwrap();
            if !json.contains("\"demand\"") {
                continue;
            }
            let data: InstanceData =
                serde_json::from_str(json).unwrap_or_else(|e| panic!("{doc}: {e}\n{json}"));
            let inst = Instance::new(data).unwrap_or_else(|e| panic!("{doc}: {e}\n{json}"));
            assert!(inst.has_sharing(), "{doc}");
            let report = BestGreedy.solve(&inst, &SolveOptions::default()).unwrap();
            assert!(report.schedule.unwrap().violations(&inst).is_empty());
            seen += 1;
        }
    }
    assert!(
        seen >= 2,
        "expected the README and format.md examples, found {seen}"
    );
}

/// Regression: on a shared device the makespan is not bounded by the sum of the times there
/// (the time-indexed model once kept the one-task-at-a-time load row and "proved" a makespan
/// above the optimum).
#[test]
fn milp_makespan_counts_side_by_side_runs_once() {
    let mut node = Device::new("node");
    node.resources = Some(BTreeMap::from([("gpu".to_string(), 4.0)]));
    // Six 3-long one-GPU jobs on four GPUs: optimum 6, while the times sum to 18.
    let tasks = (0..6)
        .map(|i| {
            let mut t = Task::new(format!("t{i}"), 3.0);
            t.demand = BTreeMap::from([("gpu".to_string(), 1.0)]);
            t
        })
        .collect();
    let inst = Instance::new(InstanceData {
        devices: vec![node],
        tasks,
        ..Default::default()
    })
    .unwrap();
    let relaxed = Milp::default()
        .relaxation(&inst, &SolveOptions::default())
        .unwrap()
        .unwrap();
    assert!(
        relaxed.value <= 6.0 + 1e-9,
        "LP bound {} above the optimum 6",
        relaxed.value
    );
    for warm_start in [true, false] {
        let milp = Milp {
            warm_start,
            ..Milp::default()
        };
        let report = milp.solve(&inst, &SolveOptions::default()).unwrap();
        assert_eq!(report.status, Status::Optimal);
        assert_eq!(report.value, Some(6.0), "warm start {warm_start}");
        assert_eq!(report.bound, Some(6.0), "warm start {warm_start}");
    }
}
