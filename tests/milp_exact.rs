//! Exactness of the MILP: on 200+ tiny random instances (n ≤ 7, m ≤ 3, every objective, with
//! releases, memory eligibility, capacities, availability and precedence) the MILP optimum equals
//! the optimum found by exhaustive enumeration, every schedule passes the checker, and the MILP is
//! never worse than its warm start — with the formulation chosen automatically, and with the
//! time-indexed and the disjunctive formulations forced on every instance.

mod common;
use common::Rng;
use hetsched::schedule::{Timetable, build};
use hetsched::solve::greedy::BestGreedy;
use hetsched::solve::milp::{Formulation, Milp};
use hetsched::{Device, Instance, InstanceData, Objective, SolveOptions, Solver, Status, Task};

fn random_instance(rng: &mut Rng, objective: Objective) -> Option<Instance> {
    let m = 1 + rng.below(3) as usize;
    let n = match m {
        3 => 2 + rng.below(5) as usize, // ≤ 6
        _ => 2 + rng.below(6) as usize, // ≤ 7
    };
    let with_release = rng.chance(0.5);
    let with_prec = rng.chance(0.4);
    let with_cap = rng.chance(0.3);
    let with_avail = rng.chance(0.3);
    let devices: Vec<Device> = (0..m)
        .map(|d| Device {
            kind: Some(if d == 0 { "gpu" } else { "cpu" }.into()),
            speed: if rng.chance(0.5) { 2.0 } else { 1.0 },
            memory: rng.chance(0.3).then(|| 8.0 * (1 + rng.below(3)) as f64),
            cost_rate: rng.below(4) as f64,
            capacity: (with_cap && rng.chance(0.6)).then(|| (4 + rng.below(16)) as f64),
            available_from: if with_avail { rng.below(6) as f64 } else { 0.0 },
            ..Device::new(format!("d{d}"))
        })
        .collect();
    let tasks: Vec<Task> = (0..n)
        .map(|t| {
            let work = if rng.chance(0.1) {
                0.0
            } else {
                (1 + rng.below(9)) as f64
            };
            let times = rng.chance(0.25).then(|| {
                let mut map = std::collections::BTreeMap::new();
                map.insert("gpu".to_string(), (1 + rng.below(5)) as f64);
                if rng.chance(0.5) {
                    map.insert("cpu".to_string(), (2 + rng.below(9)) as f64);
                }
                map
            });
            let after = if with_prec && t > 0 {
                (0..t)
                    .filter(|_| rng.chance(0.3))
                    .map(|p| format!("t{p}").into())
                    .collect()
            } else {
                vec![]
            };
            let mut costs = None;
            if rng.chance(0.2) {
                let mut map = std::collections::BTreeMap::new();
                map.insert("gpu".to_string(), rng.below(10) as f64);
                costs = Some(map);
            }
            Task {
                work: Some(work),
                times,
                costs,
                memory: if rng.chance(0.3) {
                    8.0 * rng.below(3) as f64
                } else {
                    0.0
                },
                weight: rng.below(5) as f64,
                release: if with_release {
                    rng.below(10) as f64
                } else {
                    0.0
                },
                due: rng.chance(0.7).then(|| rng.below(20) as f64),
                after,
                ..Task::new(format!("t{t}"), 0.0)
            }
        })
        .collect();
    let data = InstanceData {
        name: Some("tiny".into()),
        objective: Some(objective.name().into()),
        devices,
        tasks,
        network: None,
    };
    Instance::new(data).ok()
}

/// The optimum by enumeration, or `None` when no assignment respects the capacities.
///
/// Cost objectives do not depend on timing: enumerate assignments. Timing objectives: depth-first
/// over (next task, device) placements through the schedule builder; placing the tasks of an
/// optimal schedule in the order of their starts reproduces it (each start can only move earlier),
/// so the enumeration reaches the optimum. Partial values bound the search (all objectives are
/// regular and non-negative).
fn brute_force(inst: &Instance, max_tasks: Option<usize>) -> Option<f64> {
    let n = inst.num_tasks();
    let m = inst.num_devices();
    let mut best = f64::INFINITY;
    match inst.objective() {
        Objective::AssignmentCost | Objective::TotalCost => {
            let mut dev = vec![0usize; n];
            loop {
                let elig = (0..n).all(|t| inst.is_eligible(t, dev[t]));
                if elig {
                    let mut load = vec![0.0; m];
                    let mut count = vec![0usize; m];
                    for t in 0..n {
                        load[dev[t]] += inst.ptime(t, dev[t]);
                        count[dev[t]] += 1;
                    }
                    let cap_ok =
                        (0..m).all(|d| inst.device(d).capacity.is_none_or(|c| load[d] <= c + 1e-9));
                    let k_ok = max_tasks.is_none_or(|k| count.iter().all(|&c| c <= k));
                    if cap_ok && k_ok {
                        let order: Vec<usize> = inst.topological_order().to_vec();
                        let s = build(inst, &order, &dev).expect("capacities checked");
                        best = best.min(s.value(inst));
                    }
                }
                // Next assignment (odometer).
                let mut i = 0;
                loop {
                    if i == n {
                        return best.is_finite().then_some(best);
                    }
                    dev[i] += 1;
                    if dev[i] < m {
                        break;
                    }
                    dev[i] = 0;
                    i += 1;
                }
            }
        }
        _ => {
            let tt = Timetable::new(inst);
            let mut count = vec![0usize; m];
            dfs(inst, &tt, &mut count, max_tasks, &mut best);
            best.is_finite().then_some(best)
        }
    }
}

fn partial_value(inst: &Instance, tt: &Timetable) -> f64 {
    let placed = (0..inst.num_tasks()).filter_map(|t| tt.assignment(t));
    match inst.objective() {
        Objective::Makespan => placed.map(|a| a.end).fold(0.0, f64::max),
        Objective::WeightedCompletion => placed.map(|a| inst.task(a.task).weight * a.end).sum(),
        Objective::WeightedTardiness => placed
            .map(|a| {
                let t = inst.task(a.task);
                t.due.map_or(0.0, |d| t.weight * (a.end - d).max(0.0))
            })
            .sum(),
        _ => unreachable!(),
    }
}

fn dfs(
    inst: &Instance,
    tt: &Timetable,
    count: &mut [usize],
    max_tasks: Option<usize>,
    best: &mut f64,
) {
    let n = inst.num_tasks();
    if tt.num_placed() == n {
        *best = best.min(partial_value(inst, tt));
        return;
    }
    for t in 0..n {
        if tt.is_placed(t) || !tt.is_ready(t) {
            continue;
        }
        for &d in inst.eligible(t) {
            if !tt.fits_capacity(t, d) || max_tasks.is_some_and(|k| count[d] >= k) {
                continue;
            }
            let mut next = tt.clone();
            next.place(t, d).unwrap();
            if partial_value(inst, &next) >= *best - 1e-9 {
                continue;
            }
            count[d] += 1;
            dfs(inst, &next, count, max_tasks, best);
            count[d] -= 1;
        }
    }
}

#[test]
fn milp_matches_brute_force_on_tiny_instances() {
    matches_brute_force(None);
}

#[test]
fn time_indexed_matches_brute_force_on_tiny_instances() {
    matches_brute_force(Some(Formulation::TimeIndexed));
}

#[test]
fn disjunctive_matches_brute_force_on_tiny_instances() {
    matches_brute_force(Some(Formulation::Disjunctive));
}

/// The MILP with `formulation` (`None`: chosen automatically) against enumeration on the same
/// 220 instances.
fn matches_brute_force(formulation: Option<Formulation>) {
    let mut rng = Rng(20261124);
    let mut by_formulation = std::collections::BTreeMap::<String, usize>::new();
    let mut branch_and_price = 0;
    let mut checked = 0;
    let mut infeasible = 0;
    let mut per_objective = [0usize; 5];
    let mut attempts = 0;
    while checked < 220 {
        attempts += 1;
        assert!(attempts < 2000, "too many invalid random instances");
        let k = attempts % 5;
        let objective = Objective::ALL[k];
        let Some(inst) = random_instance(&mut rng, objective) else {
            continue;
        };
        let max_tasks = (matches!(objective, Objective::AssignmentCost | Objective::TotalCost)
            && rng.chance(0.3))
        .then(|| 1 + rng.below(3) as usize);
        let expected = brute_force(&inst, max_tasks);
        let milp = Milp {
            max_tasks,
            formulation,
            ..Milp::default()
        };
        let report = milp.solve(&inst, &SolveOptions::default()).unwrap();
        let used = report
            .message
            .as_deref()
            .and_then(|m| m.strip_prefix("formulation "))
            .and_then(|m| m.split(':').next())
            .unwrap_or("?")
            .to_string();
        *by_formulation.entry(used).or_default() += 1;
        if let Some(m) = &report.message {
            branch_and_price += m.contains("branch-and-price") as usize;
        }
        let ctx = format!(
            "instance #{attempts} ({objective}, n={}, m={}, max_tasks={max_tasks:?}): {:?}\n{}",
            inst.num_tasks(),
            inst.num_devices(),
            report.message,
            hetsched::io::instance_to_json(&inst.to_data())
        );
        match expected {
            None => {
                assert_eq!(report.status, Status::Infeasible, "{ctx}");
                infeasible += 1;
            }
            Some(opt) => {
                assert_eq!(report.status, Status::Optimal, "{ctx}");
                let s = report.schedule.as_ref().unwrap();
                assert!(
                    s.violations(&inst).is_empty(),
                    "{ctx}: {:?}",
                    s.violations(&inst)
                );
                let value = report.value.unwrap();
                assert!((value - s.value(&inst)).abs() < 1e-9, "{ctx}");
                assert!(
                    (value - opt).abs() <= 1e-6 * opt.abs().max(1.0),
                    "{ctx}: milp {value} vs brute force {opt}"
                );
                let bound = report.bound.unwrap();
                assert!(
                    bound <= value + 1e-6 && bound >= opt - 1e-4 * opt.abs().max(1.0),
                    "{ctx}: bound {bound}"
                );
                if max_tasks.is_none()
                    && let Ok((_, _, greedy)) = BestGreedy::best(&inst)
                {
                    assert!(
                        value <= greedy + 1e-9,
                        "{ctx}: worse than the warm start {greedy}"
                    );
                }
            }
        }
        per_objective[k] += 1;
        checked += 1;
    }
    assert!(per_objective.iter().all(|&c| c >= 40), "{per_objective:?}");
    assert!((3..100).contains(&infeasible), "{infeasible} infeasible");
    if formulation == Some(Formulation::TimeIndexed) {
        // Both ways of solving the time-indexed model: branch-and-price (sum objectives without
        // precedence) and HiGHS on the whole model (the rest).
        assert!(
            (40..180).contains(&branch_and_price),
            "{branch_and_price} by branch-and-price"
        );
    }
    match formulation {
        Some(f) => assert_eq!(
            by_formulation.get(f.name()),
            Some(&220),
            "{by_formulation:?}"
        ),
        // Automatic: the time-indexed model for most sequencing instances (their times lie on
        // a grid of 0.5 or 1), the assignment model for costs.
        None => {
            assert!(
                by_formulation.get("time-indexed").is_some_and(|&k| k >= 80),
                "{by_formulation:?}"
            );
            assert!(
                by_formulation.get("assignment").is_some_and(|&k| k >= 80),
                "{by_formulation:?}"
            );
        }
    }
}
