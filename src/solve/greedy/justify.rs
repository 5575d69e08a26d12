//! Forward–backward improvement ("double justification", Valls, Ballestín & Quintanilla 2005;
//! Tormos & Lova 2001) of a schedule, keeping each task on its device.
//!
//! A **backward pass** schedules the tasks in the mirror world, latest end first: time runs
//! backwards, successors come before their predecessors, and each task starts (in mirror time) at
//! the earliest instant its device's profile allows — every task is pushed as far right as it can
//! go. A **forward pass** then rebuilds the schedule with the one builder
//! ([`crate::schedule::Timetable`]), taking the tasks by their start in the right-justified
//! schedule and placing each at its earliest feasible start. Both passes are serial
//! schedule-generation schemes over the same devices, so the forward pass never needs more time
//! than the backward one, which never needs more than the schedule it started from — when the
//! mirror world has the same constraints. Releases, `available_from` and capacity budgets have no
//! mirror counterpart; the backward pass ignores them and is used only as an order, the forward
//! pass honours them all, and a pass that does not improve the objective is dropped. So the result
//! is feasible by construction and never worse than the input.

use crate::error::Error;
use crate::model::Instance;
use crate::schedule::{
    Profile, Schedule, build, priority_reverse_topological_order, priority_topological_order,
};

/// At most this many backward + forward rounds; each round that does not improve stops early.
const MAX_ROUNDS: usize = 4;

/// `schedule` improved by forward–backward passes (same devices), or `schedule` itself when no
/// pass improves the instance's objective.
///
/// `schedule` must be a complete schedule of `inst` (one assignment per task, sorted by task
/// index, as every solver returns).
pub fn justify(inst: &Instance, schedule: &Schedule) -> Result<Schedule, Error> {
    let n = inst.num_tasks();
    let Some(device) = schedule.device_of(n) else {
        return Err(Error::Solve(
            "justification needs a complete schedule (every task exactly once)".into(),
        ));
    };
    let value = schedule.value(inst);
    Ok(
        match justify_rounds(inst, schedule, &device, value, MAX_ROUNDS)? {
            Some((better, _, _)) => better,
            None => schedule.clone(),
        },
    )
}

/// Up to `rounds` forward–backward rounds from `schedule` (of value `value`, devices `device`);
/// the best schedule found, the order the builder placed its tasks in (building that order on
/// `device` gives the schedule again) and its value — `None` when no round improves.
pub(crate) fn justify_rounds(
    inst: &Instance,
    schedule: &Schedule,
    device: &[usize],
    value: f64,
    rounds: usize,
) -> Result<Option<(Schedule, Vec<usize>, f64)>, Error> {
    let mut best: Option<(Schedule, Vec<usize>, f64)> = None;
    for _ in 0..rounds {
        let current = best.as_ref().map_or(schedule, |b| &b.0);
        let current_value = best.as_ref().map_or(value, |b| b.2);
        let order = priority_topological_order(inst, &backward_order(inst, current, device));
        let forward = build(inst, &order, device)?;
        let v = forward.value(inst);
        if v < current_value - 1e-9 * current_value.abs().max(1.0) {
            best = Some((forward, order, v));
        } else {
            break;
        }
    }
    Ok(best)
}

/// The tasks in the order of their starts in the right-justified (backward) schedule.
fn backward_order(inst: &Instance, schedule: &Schedule, device: &[usize]) -> Vec<usize> {
    let n = inst.num_tasks();
    let r = inst.num_resources();
    // Mirror profiles: resource devices keep their capacities; every other device runs one task
    // at a time (an empty profile where every task is exclusive).
    let mut profiles: Vec<Profile> = (0..inst.num_devices())
        .map(|d| {
            let capacity = if inst.has_sharing() && inst.offers_resources(d) {
                (0..r).map(|k| inst.resource_capacity(d, k)).collect()
            } else {
                Vec::new()
            };
            Profile::new(capacity, 0.0)
        })
        .collect();
    let end: Vec<f64> = (0..n).map(|t| schedule.assignments[t].end).collect();
    let start: Vec<f64> = (0..n).map(|t| schedule.assignments[t].start).collect();
    // Latest end first; among equal ends the latest start, so successors come first.
    let mut by_end: Vec<usize> = (0..n).collect();
    by_end.sort_by(|&a, &b| {
        end[b]
            .total_cmp(&end[a])
            .then(start[b].total_cmp(&start[a]))
            .then(b.cmp(&a))
    });
    let mut mirror_end = vec![0.0; n];
    for t in priority_reverse_topological_order(inst, &by_end) {
        let d = device[t];
        let p = inst.ptime(t, d);
        let ready = inst
            .succs(t)
            .iter()
            .map(|&s| mirror_end[s])
            .fold(0.0_f64, f64::max);
        let shares = inst.shares(t, d);
        let demand = if shares { inst.demand_of(t) } else { &[] };
        let s = profiles[d].earliest(ready, p, demand, !shares);
        profiles[d].add(s, s + p, demand, !shares);
        mirror_end[t] = s + p;
    }
    // A late mirror end is an early forward start.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| mirror_end[b].total_cmp(&mirror_end[a]).then(a.cmp(&b)));
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Device, InstanceData, Task};
    use rand::seq::SliceRandom;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;
    use std::collections::BTreeMap;

    /// A random one-node project: 10 tasks of 1–4 GPUs (some exclusive) on 4 GPUs, random
    /// precedence and releases.
    fn project(rng: &mut ChaCha8Rng) -> Instance {
        let mut node = Device::new("node");
        node.resources = Some(BTreeMap::from([("gpu".to_string(), 4.0)]));
        let tasks = (0..10)
            .map(|i| {
                let mut t = Task::new(format!("t{i}"), rng.random_range(1..6) as f64);
                if rng.random_bool(0.9) {
                    t.demand = BTreeMap::from([("gpu".to_string(), rng.random_range(1..5) as f64)]);
                }
                t.after = (0..i)
                    .filter(|_| rng.random_bool(0.15))
                    .map(|j| format!("t{j}").into())
                    .collect();
                if rng.random_bool(0.2) {
                    t.release = rng.random_range(0..5) as f64;
                }
                t
            })
            .collect();
        let data = InstanceData {
            devices: vec![node],
            tasks,
            ..Default::default()
        };
        Instance::new(data).unwrap()
    }

    #[test]
    fn justification_never_worsens_and_often_improves_a_random_order() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let mut improved = 0;
        for _ in 0..200 {
            let inst = project(&mut rng);
            let mut order: Vec<usize> = (0..inst.num_tasks()).collect();
            order.shuffle(&mut rng);
            let device = vec![0; inst.num_tasks()];
            let start = build(&inst, &order, &device).unwrap();
            let better = justify(&inst, &start).unwrap();
            assert!(better.violations(&inst).is_empty(), "{:?}", better);
            let (before, after) = (start.value(&inst), better.value(&inst));
            assert!(after <= before, "{after} > {before}");
            if after < before {
                improved += 1;
            }
        }
        assert!(
            improved >= 20,
            "justification improved only {improved} of 200"
        );
    }

    #[test]
    fn an_incomplete_schedule_is_refused() {
        let data = InstanceData {
            devices: vec![Device::new("d")],
            tasks: vec![Task::new("a", 1.0)],
            ..Default::default()
        };
        let inst = Instance::new(data).unwrap();
        assert!(justify(&inst, &Schedule::default()).is_err());
    }
}
