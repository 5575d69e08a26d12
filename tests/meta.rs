//! The metaheuristics: feasible, never worse than the greedy seed, reproducible by seed whatever
//! the thread count, and within their time limit.

use hetsched::io::{etc, read_instance};
use hetsched::solve::greedy::BestGreedy;
use hetsched::solve::meta::{Genetic, IteratedLocalSearch};
use hetsched::{Instance, Objective, SolveOptions, Solver};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn braun(name: &str) -> Instance {
    Instance::new(etc::read(root().join("instances/braun-512x16").join(name), None).unwrap())
        .unwrap()
}

fn ai_cluster(objective: Objective) -> Instance {
    read_instance(root().join("instances/examples/ai-cluster.json"))
        .unwrap()
        .with_objective(objective)
}

fn small_ga() -> Genetic {
    Genetic {
        islands: 3,
        population: 10,
        max_generations: 4,
        epoch: 2,
        ..Genetic::default()
    }
}

fn small_ls() -> IteratedLocalSearch {
    IteratedLocalSearch {
        max_iterations: 4,
        ..IteratedLocalSearch::default()
    }
}

fn opts(seed: u64, threads: Option<usize>) -> SolveOptions {
    SolveOptions {
        seed,
        threads,
        ..Default::default()
    }
}

#[test]
fn every_objective_feasible_and_not_worse_than_greedy() {
    for objective in Objective::ALL {
        let inst = ai_cluster(objective);
        let (_, _, greedy) = BestGreedy::best(&inst).unwrap();
        let solvers: [Box<dyn Solver>; 2] = [Box::new(small_ga()), Box::new(small_ls())];
        for solver in &solvers {
            let r = solver.solve(&inst, &opts(7, None)).unwrap();
            let s = r.schedule.as_ref().unwrap();
            assert!(
                s.violations(&inst).is_empty(),
                "{} {objective}: {:?}",
                solver.name(),
                s.violations(&inst)
            );
            let v = r.value.unwrap();
            assert!((v - s.value(&inst)).abs() <= 1e-9 * v.abs().max(1.0));
            assert!(
                v <= greedy + 1e-9 * greedy.abs().max(1.0),
                "{} {objective}: {v} > greedy {greedy}",
                solver.name()
            );
        }
    }
}

#[test]
fn capacities_stay_satisfied() {
    let data: hetsched::InstanceData = serde_json::from_str(
        r#"{"objective": "makespan",
            "devices": [{"id": "fast", "speed": 4, "capacity": 6}, {"id": "mid", "speed": 2, "capacity": 12}, {"id": "slow"}],
            "tasks": [{"id": "a", "work": 8}, {"id": "b", "work": 8}, {"id": "c", "work": 8}, {"id": "d", "work": 8},
                      {"id": "e", "work": 4}, {"id": "f", "work": 4}, {"id": "g", "work": 12}]}"#,
    )
    .unwrap();
    let inst = Instance::new(data).unwrap();
    for objective in [
        Objective::Makespan,
        Objective::WeightedCompletion,
        Objective::TotalCost,
    ] {
        let inst = inst.clone().with_objective(objective);
        for solver in [
            Box::new(small_ga()) as Box<dyn Solver>,
            Box::new(small_ls()),
        ] {
            let r = solver.solve(&inst, &opts(3, None)).unwrap();
            let s = r.schedule.unwrap();
            assert!(
                s.violations(&inst).is_empty(),
                "{objective}: {:?}",
                s.violations(&inst)
            );
        }
    }
}

#[test]
fn same_seed_same_schedule_with_one_and_two_threads() {
    for inst in [
        braun("u_s_lolo.0"),
        ai_cluster(Objective::WeightedTardiness),
    ] {
        let one = small_ga().solve(&inst, &opts(42, Some(1))).unwrap();
        let two = small_ga().solve(&inst, &opts(42, Some(2))).unwrap();
        assert_eq!(one.schedule, two.schedule, "ga on {}", inst.name());
        assert_eq!(one.value, two.value);
        let other = small_ga().solve(&inst, &opts(43, Some(2))).unwrap();
        assert!(other.schedule.unwrap().violations(&inst).is_empty());
    }
    let inst = braun("u_i_hilo.0");
    let a = small_ls().solve(&inst, &opts(5, Some(1))).unwrap();
    let b = small_ls().solve(&inst, &opts(5, Some(2))).unwrap();
    assert_eq!(a.schedule, b.schedule, "ls");
}

#[test]
fn better_than_min_min_on_braun() {
    // The pure metaheuristics, without the exact large-neighbourhood step.
    let inst = braun("u_c_lohi.0");
    let min_min = hetsched::solve::greedy::GreedyRule::MinMin
        .schedule(&inst)
        .unwrap()
        .value(&inst);
    let ga = Genetic {
        exact_step: false,
        ..small_ga()
    }
    .solve(&inst, &opts(1, None))
    .unwrap();
    let ls = IteratedLocalSearch {
        exact_neighbourhood: false,
        max_iterations: 30,
        ..small_ls()
    }
    .solve(&inst, &opts(1, None))
    .unwrap();
    assert!(ga.value.unwrap() < min_min);
    assert!(ls.value.unwrap() < min_min);
}

#[test]
fn time_limit_is_honoured() {
    let inst = braun("u_i_hihi.0");
    for solver in [
        Box::new(Genetic::default()) as Box<dyn Solver>,
        Box::new(IteratedLocalSearch::default()),
    ] {
        let started = Instant::now();
        let r = solver
            .solve(
                &inst,
                &SolveOptions {
                    time_limit: Some(Duration::from_millis(800)),
                    ..Default::default()
                },
            )
            .unwrap();
        let took = started.elapsed().as_secs_f64();
        assert!(
            took < 1.3,
            "{} took {took} s on an 0.8 s limit",
            solver.name()
        );
        assert!(r.schedule.unwrap().violations(&inst).is_empty());
    }
}

#[test]
fn capacity_tight_instances_where_every_greedy_rule_fails() {
    // Every greedy rule fails here (t5 fits nowhere once the others are placed), yet the instance
    // is feasible (the MILP finds makespan 13); the metaheuristics must not panic.
    let data: hetsched::InstanceData = serde_json::from_str(
        r#"{"devices":[{"id":"d0","capacity":13},{"id":"d1","capacity":12}],
            "tasks":[{"id":"t0","work":5},{"id":"t1","work":4},{"id":"t2","work":5},
                     {"id":"t3","work":2},{"id":"t4","work":5},{"id":"t5","work":4}]}"#,
    )
    .unwrap();
    let inst = Instance::new(data).unwrap();
    assert!(BestGreedy::best(&inst).is_err());
    for solver in [
        Box::new(small_ga()) as Box<dyn Solver>,
        Box::new(small_ls()),
    ] {
        match solver.solve(&inst, &opts(1, None)) {
            Ok(r) => assert!(r.schedule.unwrap().violations(&inst).is_empty()),
            Err(e) => assert!(matches!(e, hetsched::Error::Solve(_)), "{e}"),
        }
    }
    // Truly infeasible: a solve error, not a panic.
    let data: hetsched::InstanceData = serde_json::from_str(
        r#"{"devices":[{"id":"d","capacity":3}],"tasks":[{"id":"a","work":2},{"id":"b","work":2}]}"#,
    )
    .unwrap();
    let inst = Instance::new(data).unwrap();
    for solver in [
        Box::new(small_ga()) as Box<dyn Solver>,
        Box::new(small_ls()),
    ] {
        assert!(matches!(
            solver.solve(&inst, &opts(1, None)),
            Err(hetsched::Error::Solve(_))
        ));
    }
}
