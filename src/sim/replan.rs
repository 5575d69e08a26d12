//! Rolling-horizon re-planning: at every decision an offline solver plans the waiting jobs on
//! the cluster as it is now, and the jobs the plan starts now start.

use super::{Decision, Policy, View};
use crate::model::{Instance, InstanceData, Task};
use crate::solve::{SolveOptions, Solver};
use std::collections::BTreeMap;

/// Re-planning with an offline [`Solver`] (`replan:SOLVER` on the command line): at every
/// decision (every batch of events, and every quantum when one is set), the waiting jobs
/// become a new instance — released now, with their estimated times, on the devices that are
/// up, each available once what runs there ends by the estimates (a device with `resources`
/// at once, with what its running jobs hold taken from its capacities) — which the solver
/// plans for the instance's objective. The jobs the plan starts at once on a device where they
/// fit now start there; the others wait for the next decision, which plans again.
///
/// Not work-conserving: a plan may keep a job for a faster device that frees later. When no
/// job runs and the plan starts none (or the solver fails), the first waiting job that fits
/// somewhere starts on its fastest fit, so the simulation always goes on. A job that fits on
/// no device of the snapshot (its demand exceeds what every device has left) waits without
/// being planned. A solver failure is counted in [`Replan::failures`].
pub struct Replan {
    solver: Box<dyn Solver>,
    options: SolveOptions,
    /// Plans made so far.
    pub plans: usize,
    /// Plans the solver failed to make (the fallback decided instead).
    pub failures: usize,
}

impl Replan {
    /// Re-plan with `solver`, each plan under `options` (a time limit per plan keeps a long
    /// simulation short: there is one plan per decision).
    pub fn new(solver: Box<dyn Solver>, options: SolveOptions) -> Replan {
        Replan {
            solver,
            options,
            plans: 0,
            failures: 0,
        }
    }

    /// The waiting jobs as an instance from now on: the instance, and per planned task its
    /// job and per planned device its device.
    fn snapshot(view: &View, waiting: &[usize]) -> Option<(Instance, Vec<usize>, Vec<usize>)> {
        let inst = view.instance();
        let now = view.now();
        let state = view.state;
        let r = inst.num_resources();
        // When each device frees by the estimates (its running jobs' ends).
        let mut frees = vec![0.0f64; inst.num_devices()];
        for (t, d) in view.running() {
            frees[d] = frees[d].max(view.remaining(t, d));
        }
        let mut devices = Vec::new();
        let mut device_of = Vec::new();
        let mut left: Vec<Vec<f64>> = Vec::new();
        for (d, device) in inst.devices().iter().enumerate() {
            let dev = &state.devices[d];
            if dev.down > 0 {
                continue;
            }
            let mut copy = device.clone();
            copy.available_from = (device.available_from - now).max(0.0);
            copy.capacity = device
                .capacity
                .map(|c| (inst.capacity_limit(d) - dev.busy).clamp(0.0, c));
            let mut amounts = Vec::new();
            if inst.offers_resources(d) && dev.exclusive == 0 {
                amounts = (0..r)
                    .map(|k| (inst.resource_capacity(d, k) - dev.held[k]).max(0.0))
                    .collect();
                // A resource used up is left out (the device offers none of it now); a device
                // with every resource used up is left out.
                let offered: BTreeMap<String, f64> = (0..r)
                    .filter(|&k| amounts[k] > 0.0)
                    .map(|k| (inst.resource_name(k).to_string(), amounts[k]))
                    .collect();
                if offered.is_empty() {
                    continue;
                }
                copy.resources = Some(offered);
            } else {
                copy.available_from = copy.available_from.max(frees[d]);
            }
            left.push(amounts);
            device_of.push(d);
            devices.push(copy);
        }
        let mut tasks = Vec::new();
        let mut job_of = Vec::new();
        for &t in waiting {
            let task = inst.task(t);
            let times: BTreeMap<String, f64> = device_of
                .iter()
                .enumerate()
                .filter(|&(i, &d)| {
                    inst.is_eligible(t, d)
                        && (!inst.shares(t, d)
                            || left[i].is_empty()
                            || (0..r).all(|k| inst.held(t, d, k) <= left[i][k]))
                })
                .map(|(_, &d)| (inst.device(d).id.clone(), view.remaining(t, d)))
                .collect();
            if times.is_empty() {
                continue;
            }
            tasks.push(Task {
                id: task.id.clone(),
                work: None,
                times: Some(times),
                costs: None,
                memory: task.memory,
                weight: task.weight,
                release: 0.0,
                due: task.due.map(|due| (due - now).max(0.0)),
                after: Vec::new(),
                demand: task.demand.clone(),
                user: task.user.clone(),
            });
            job_of.push(t);
        }
        if tasks.is_empty() {
            return None;
        }
        let data = InstanceData {
            name: Some(format!("{} at {now}", inst.name())),
            objective: Some(inst.objective().name().to_string()),
            devices,
            tasks,
            network: None,
        };
        Some((Instance::new(data).ok()?, job_of, device_of))
    }
}

impl Policy for Replan {
    fn decide(&mut self, view: &View, decision: &mut Decision) {
        if view.num_waiting() == 0 || decision.open_devices(view) == 0 {
            return;
        }
        let waiting: Vec<usize> = view.waiting().collect();
        let plan = Self::snapshot(view, &waiting).and_then(|(planned, job_of, device_of)| {
            self.plans += 1;
            match self.solver.solve(&planned, &self.options) {
                Ok(report) => report.schedule.map(|s| (s, job_of, device_of)),
                Err(_) => None,
            }
        });
        let mut started = false;
        match plan {
            Some((schedule, job_of, device_of)) => {
                let mut now: Vec<_> = schedule
                    .assignments
                    .iter()
                    .filter(|a| a.start <= 1e-9)
                    .map(|a| (job_of[a.task], device_of[a.device]))
                    .collect();
                now.sort_unstable();
                for (t, d) in now {
                    started |= decision.start(view, t, d);
                }
            }
            None => self.failures += 1,
        }
        if !started && view.running().next().is_none() {
            for t in waiting {
                if let Some(d) = decision.fastest_fit(view, t) {
                    decision.start(view, t, d);
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{Options, simulate};
    use crate::solve;

    fn instance(json: &str) -> Instance {
        Instance::new(serde_json::from_str(json).unwrap()).unwrap()
    }

    #[test]
    fn a_plan_waits_for_the_fast_device() {
        // When "b" arrives at 0.5 the fast device is busy until 2 with "a"; "b" takes 10 on
        // the slow one and 1 on the fast one: the plan keeps it for the fast device (ends at
        // 3) rather than start it now on the slow one (ends at 10.5), as a greedy list policy
        // does.
        let inst = instance(
            r#"{"objective": "weighted_completion",
                "devices": [{"id": "fast"}, {"id": "slow"}],
                "tasks": [{"id": "a", "times": {"fast": 2, "slow": 20}},
                          {"id": "b", "times": {"fast": 1, "slow": 10}, "release": 0.5}]}"#,
        );
        let options = SolveOptions {
            threads: Some(1),
            ..SolveOptions::default()
        };
        let mut replan = Replan::new(solve::by_name("milp").unwrap(), options);
        let run = simulate(&inst, &mut replan, &Options::default()).unwrap();
        assert_eq!(run.completions, vec![2.0, 3.0]);
        assert!(replan.plans >= 2 && replan.failures == 0);
        let (mut fcfs, _) = crate::sim::by_name("fcfs").unwrap();
        let greedy = simulate(&inst, fcfs.as_mut(), &Options::default()).unwrap();
        assert_eq!(greedy.completions, vec![2.0, 10.5]);
    }
}
