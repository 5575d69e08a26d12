//! Property test: every greedy solver, on random instances with release dates, memory
//! eligibility, per-kind times, availability, capacities and precedence, returns a schedule that
//! passes the checker and whose reported value equals an independent recomputation — or, only when
//! some device has a capacity, a clear solve error.

mod common;
use common::recompute;
use hetsched::solve::greedy::{BestGreedy, GreedyRule};
use hetsched::{Device, Error, Instance, InstanceData, Objective, SolveOptions, Solver, Task};
use proptest::prelude::*;
use std::collections::BTreeMap;

#[allow(clippy::type_complexity)]
#[derive(Debug, Clone)]
struct Spec {
    devices: Vec<(f64, Option<f64>, f64, Option<f64>, f64, u8)>, // speed, memory, avail, capacity, cost, kind
    tasks: Vec<(f64, f64, f64, f64, Option<f64>, Vec<usize>, bool)>, // work, memory, weight, release, due, after, by-kind times
    objective: usize,
}

fn spec() -> impl Strategy<Value = Spec> {
    let device = (
        0.5f64..3.0,
        prop::option::weighted(0.5, 8.0f64..64.0),
        prop_oneof![3 => Just(0.0), 1 => 0.0f64..10.0],
        prop::option::weighted(0.15, 10.0f64..200.0),
        0.0f64..5.0,
        0u8..3,
    );
    let task = (
        prop_oneof![1 => Just(0.0), 6 => 0.5f64..20.0],
        prop_oneof![2 => Just(0.0), 1 => 0.0f64..48.0],
        prop_oneof![1 => Just(0.0), 4 => 0.1f64..5.0],
        prop_oneof![1 => Just(0.0), 2 => 0.0f64..30.0],
        prop::option::weighted(0.6, 0.0f64..60.0),
        prop::collection::vec(0usize..100, 0..3),
        prop::bool::weighted(0.25),
    );
    (
        prop::collection::vec(device, 1..5),
        prop::collection::vec(task, 1..14),
        0usize..5,
    )
        .prop_map(|(devices, tasks, objective)| Spec {
            devices,
            tasks,
            objective,
        })
}

fn build(spec: &Spec) -> Option<Instance> {
    let kinds = ["gpu", "cpu", "tpu"];
    let devices: Vec<Device> = spec
        .devices
        .iter()
        .enumerate()
        .map(
            |(d, &(speed, memory, avail, capacity, cost, kind))| Device {
                kind: Some(kinds[kind as usize].to_string()),
                speed,
                memory,
                available_from: avail,
                capacity,
                cost_rate: cost,
                ..Device::new(format!("d{d}"))
            },
        )
        .collect();
    let present: Vec<&str> = devices.iter().map(|d| d.kind()).collect();
    let tasks: Vec<Task> = spec
        .tasks
        .iter()
        .enumerate()
        .map(
            |(t, (work, memory, weight, release, due, after, by_kind))| {
                let times = by_kind.then(|| {
                    let mut m = BTreeMap::new();
                    for (k, kind) in present.iter().enumerate() {
                        if k % 2 == 0 || m.is_empty() {
                            m.insert(kind.to_string(), work * (1.0 + k as f64));
                        }
                    }
                    m
                });
                Task {
                    work: Some(*work),
                    times,
                    memory: *memory,
                    weight: *weight,
                    release: *release,
                    due: *due,
                    after: if t == 0 {
                        vec![]
                    } else {
                        let mut a: Vec<String> =
                            after.iter().map(|&p| format!("t{}", p % t)).collect();
                        a.dedup();
                        a.into_iter().map(Into::into).collect()
                    },
                    ..Task::new(format!("t{t}"), 0.0)
                }
            },
        )
        .collect();
    let data = InstanceData {
        name: Some("prop".into()),
        objective: Some(Objective::ALL[spec.objective].name().into()),
        devices,
        tasks,
        network: None,
    };
    Instance::new(data).ok()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, .. ProptestConfig::default() })]

    #[test]
    fn every_greedy_schedule_is_feasible(spec in spec()) {
        let Some(inst) = build(&spec) else { return Ok(()); };
        let has_capacity = inst.devices().iter().any(|d| d.capacity.is_some());
        let mut solvers: Vec<Box<dyn Solver>> =
            GreedyRule::ALL.iter().map(|&r| Box::new(r) as Box<dyn Solver>).collect();
        solvers.push(Box::new(BestGreedy));
        for solver in &solvers {
            match solver.solve(&inst, &SolveOptions::default()) {
                Ok(report) => {
                    let s = report.schedule.as_ref().expect("a feasible report has a schedule");
                    let v = s.violations(&inst);
                    prop_assert!(v.is_empty(), "{}: {:?}", solver.name(), v);
                    prop_assert_eq!(s.assignments.len(), inst.num_tasks());
                    let value = report.value.expect("value");
                    let again = recompute(&inst, s);
                    prop_assert!((value - again).abs() <= 1e-9 * again.abs().max(1.0),
                        "{}: reported {} recomputed {}", solver.name(), value, again);
                }
                Err(Error::Solve(msg)) => {
                    prop_assert!(has_capacity, "{} failed without capacities: {}", solver.name(), msg);
                    prop_assert!(msg.contains("capacity"), "{}", msg);
                }
                Err(e) => prop_assert!(false, "{}: unexpected error {}", solver.name(), e),
            }
        }
    }
}

/// Guards the property test against vacuity: most generated specs must be valid instances, and
/// some of them must have precedence, releases and capacities.
#[test]
fn generator_mostly_yields_valid_instances() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut valid, mut with_prec, mut with_cap, mut with_release) = (0, 0, 0, 0);
    for _ in 0..300 {
        let s = spec().new_tree(&mut runner).unwrap().current();
        if let Some(inst) = build(&s) {
            valid += 1;
            with_prec += inst.has_precedence() as usize;
            with_cap += inst.devices().iter().any(|d| d.capacity.is_some()) as usize;
            with_release += inst.tasks().iter().any(|t| t.release > 0.0) as usize;
        }
    }
    assert!(valid >= 200, "only {valid}/300 valid");
    assert!(
        with_prec >= 50 && with_cap >= 20 && with_release >= 100,
        "{with_prec} {with_cap} {with_release}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, .. ProptestConfig::default() })]

    /// The same property for the metaheuristics (small budgets): feasible by construction, value
    /// equal to the recomputed one, never worse than the best greedy schedule.
    #[test]
    fn every_metaheuristic_schedule_is_feasible(spec in spec(), seed in 0u64..1000) {
        use hetsched::solve::meta::{Genetic, IteratedLocalSearch};
        let Some(inst) = build(&spec) else { return Ok(()); };
        let Ok((_, _, greedy)) = BestGreedy::best(&inst) else { return Ok(()); };
        let solvers: [Box<dyn Solver>; 2] = [
            Box::new(Genetic { max_generations: 6, population: 8, islands: 2, ..Genetic::default() }),
            Box::new(IteratedLocalSearch { max_iterations: 6, ..IteratedLocalSearch::default() }),
        ];
        for solver in &solvers {
            let opts = SolveOptions { seed, ..SolveOptions::default() };
            let report = solver.solve(&inst, &opts).expect("greedy succeeded, so the metaheuristic does");
            let s = report.schedule.as_ref().expect("a schedule");
            let v = s.violations(&inst);
            prop_assert!(v.is_empty(), "{}: {:?}", solver.name(), v);
            let value = report.value.expect("value");
            let again = recompute(&inst, s);
            prop_assert!((value - again).abs() <= 1e-9 * again.abs().max(1.0));
            prop_assert!(value <= greedy + 1e-9 * greedy.abs().max(1.0), "{}: {} > {}", solver.name(), value, greedy);
        }
    }
}
