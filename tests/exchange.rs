//! The exchange `auto` gives its components (`SolveOptions::exchange`): the local search goes on
//! from a better schedule found elsewhere, HiGHS takes one as its incumbent, and the MILP offers
//! its incumbents — each shared schedule feasible, with its recomputed value.

use hetsched::io::etc;
use hetsched::solve::meta::IteratedLocalSearch;
use hetsched::solve::milp::{Milp, WithWarmStart};
use hetsched::solve::{Exchange, SolveOptions, Solver};
use hetsched::{Instance, Schedule};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Braun's semi-consistent 512×16 instance: HiGHS's own heuristics and a one-round local
/// search both end well above what a longer local search finds.
fn braun() -> Instance {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("instances/braun-512x16/u_s_hihi.0");
    Instance::new(etc::read(&path, Some(16)).unwrap()).unwrap()
}

/// A good schedule: the local search's after `seconds`.
fn good(inst: &Instance, seconds: u64) -> Schedule {
    let options = SolveOptions {
        time_limit: Some(Duration::from_secs(seconds)),
        threads: Some(1),
        ..Default::default()
    };
    IteratedLocalSearch::default()
        .solve(inst, &options)
        .unwrap()
        .schedule
        .unwrap()
}

fn holding(inst: &Instance, s: &Schedule) -> Arc<Exchange> {
    let x = Exchange::new();
    assert!(x.offer("test", s.value(inst), || Some(s.clone())));
    Arc::new(x)
}

/// One round of local search from the best greedy schedule, without the exact steps.
fn one_round() -> IteratedLocalSearch {
    IteratedLocalSearch {
        max_iterations: 1,
        stop_after_max_iterations: true,
        exact_neighbourhood: false,
        streams: 1,
        ..Default::default()
    }
}

#[test]
fn the_local_search_goes_on_from_a_better_shared_schedule() {
    let inst = braun();
    let good = good(&inst, 2);
    let target = good.value(&inst);
    let options = SolveOptions {
        time_limit: Some(Duration::from_secs(30)),
        threads: Some(1),
        ..Default::default()
    };
    let alone = one_round().solve(&inst, &options).unwrap();
    assert!(
        alone.value.unwrap() > target,
        "one round alone reaches {} (the shared schedule: {target})",
        alone.value.unwrap()
    );
    let shared = SolveOptions {
        exchange: Some(holding(&inst, &good)),
        ..options
    };
    let report = one_round().solve(&inst, &shared).unwrap();
    let s = report.schedule.unwrap();
    assert!(s.violations(&inst).is_empty());
    assert_eq!(report.value, Some(s.value(&inst)));
    assert!(report.value.unwrap() <= target);
}

#[test]
fn highs_takes_a_shared_schedule_and_the_milp_offers_its_incumbents() {
    let inst = braun();
    // No warm start and one node: what HiGHS finds alone at its root.
    let milp = || {
        Milp {
            max_nodes: Some(1),
            ..Milp::default()
        }
        .with_warm_start(false)
    };
    let options = SolveOptions {
        time_limit: Some(Duration::from_secs(30)),
        threads: Some(1),
        ..Default::default()
    };
    let empty = Arc::new(Exchange::new());
    let alone = milp()
        .solve(
            &inst,
            &SolveOptions {
                exchange: Some(empty.clone()),
                ..options.clone()
            },
        )
        .unwrap();
    // A schedule HiGHS does not reach alone: the local search's after 2 s, or longer on a busy
    // machine (a 2 s run under the whole suite's load once ended above HiGHS's root).
    let good = [2, 4, 8, 16]
        .into_iter()
        .map(|seconds| good(&inst, seconds))
        .find(|g| g.value(&inst) < alone.value.unwrap())
        .expect("the local search beats HiGHS's root within 16 s");
    let target = good.value(&inst);
    // Its incumbents were offered: the best is a feasible schedule of its stated value, no
    // better than what the MILP returned.
    let (_, offered) = empty.newer(0).expect("the MILP offered its incumbents");
    assert_eq!(offered.from, "milp");
    assert!(offered.schedule.violations(&inst).is_empty());
    assert_eq!(offered.value, offered.schedule.value(&inst));
    assert!(offered.value >= alone.value.unwrap() - 1e-6 * offered.value);

    let report = milp()
        .solve(
            &inst,
            &SolveOptions {
                exchange: Some(holding(&inst, &good)),
                ..options
            },
        )
        .unwrap();
    let message = report.message.clone().unwrap();
    assert!(message.contains("1 schedules handed to HiGHS"), "{message}");
    let s = report.schedule.unwrap();
    assert!(s.violations(&inst).is_empty());
    assert_eq!(report.value, Some(s.value(&inst)));
    assert!(report.value.unwrap() <= target + 1e-6 * target, "{message}");
}
