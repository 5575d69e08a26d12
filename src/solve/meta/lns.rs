//! A large-neighbourhood step for makespan on independent instances (a matheuristic): free the
//! tasks of the critical device and a few others, re-solve that sub-problem exactly with the MILP
//! (warm-started from the current assignment, under a short time limit), and keep the result when
//! the sub-problem's makespan drops.

use crate::model::{Device, Instance, InstanceData, Task};
use crate::schedule::build;
use crate::solve::milp::{Formulation, Milp, WithInitialSchedule};
use crate::solve::{SolveOptions, Solver};
use rand::Rng;
use std::collections::BTreeMap;
use std::time::Duration;

/// Branch-and-bound nodes per sub-problem, on top of the caller's time cap.
pub const NODES_PER_STEP: u32 = 200;

/// One step on `device` (a device per task): returns true when it improved. `limit` caps the
/// sub-solve's wall-clock time (use it only under a global deadline: it makes results
/// timing-dependent).
pub fn lns_step<R: Rng>(
    inst: &Instance,
    device: &mut [usize],
    devices_in_step: usize,
    limit: Option<Duration>,
    rng: &mut R,
) -> bool {
    let m = inst.num_devices();
    if m < 2 || limit.is_some_and(|l| l.is_zero()) {
        return false;
    }
    let mut finish: Vec<f64> = inst.devices().iter().map(|d| d.available_from).collect();
    let mut used = vec![false; m];
    for (t, &d) in device.iter().enumerate() {
        finish[d] += inst.ptime(t, d);
        used[d] = true;
    }
    let busy_finish = |d: usize| if used[d] { finish[d] } else { 0.0 };
    let critical = (0..m)
        .max_by(|&a, &b| busy_finish(a).total_cmp(&busy_finish(b)).then(b.cmp(&a)))
        .expect("m ≥ 2");
    // The other devices: drawn with probability growing with how much faster the critical
    // device's tasks run there and how much room they have, so the sub-problem has somewhere to
    // put the critical work.
    let cmax = busy_finish(critical).max(1e-12);
    let affinity: Vec<f64> = (0..m)
        .map(|d| {
            if d == critical {
                return 0.0;
            }
            let speedup: f64 = (0..inst.num_tasks())
                .filter(|&t| device[t] == critical && inst.is_eligible(t, d))
                .map(|t| (inst.ptime(t, critical) / inst.ptime(t, d).max(1e-12)).min(4.0))
                .sum();
            let room = (1.0 - busy_finish(d) / cmax).max(0.0) + 0.05;
            (speedup + 0.1) * room
        })
        .collect();
    let mut chosen = vec![critical];
    while chosen.len() < devices_in_step.min(m) {
        let d = {
            let total: f64 = (0..m)
                .filter(|d| !chosen.contains(d))
                .map(|d| affinity[d])
                .sum();
            let mut x = rng.random::<f64>() * total;
            let mut pick = (0..m).find(|d| !chosen.contains(d)).expect("m > chosen");
            for d in (0..m).filter(|d| !chosen.contains(d)) {
                pick = d;
                x -= affinity[d];
                if x <= 0.0 {
                    break;
                }
            }
            pick
        };
        if !chosen.contains(&d) {
            chosen.push(d);
        }
    }
    chosen.sort_unstable();
    let old = chosen.iter().map(|&d| busy_finish(d)).fold(0.0, f64::max);
    let tasks: Vec<usize> = (0..inst.num_tasks())
        .filter(|&t| chosen.contains(&device[t]))
        .collect();
    if tasks.is_empty() {
        return false;
    }
    let sub_devices: Vec<Device> = chosen
        .iter()
        .map(|&d| Device {
            // Times are keyed by device id below; no kind, so no eligibility leaks by kind.
            kind: None,
            memory: None,
            ..inst.device(d).clone()
        })
        .collect();
    let sub_tasks: Vec<Task> = tasks
        .iter()
        .map(|&t| {
            let times: BTreeMap<String, f64> = chosen
                .iter()
                .filter(|&&d| inst.is_eligible(t, d))
                .map(|&d| (inst.device(d).id.clone(), inst.ptime(t, d)))
                .collect();
            Task {
                work: None,
                times: Some(times),
                ..Task::new(inst.task(t).id.clone(), 0.0)
            }
        })
        .collect();
    let Ok(sub) = Instance::new(InstanceData {
        name: Some("lns".into()),
        objective: Some("makespan".into()),
        devices: sub_devices,
        tasks: sub_tasks,
    }) else {
        return false;
    };
    let sub_device: Vec<usize> = tasks
        .iter()
        .map(|&t| chosen.iter().position(|&d| d == device[t]).expect("chosen"))
        .collect();
    let order: Vec<usize> = (0..tasks.len()).collect();
    let Ok(start) = build(&sub, &order, &sub_device) else {
        return false;
    };
    let milp = Milp {
        formulation: Some(Formulation::Makespan),
        max_nodes: Some(NODES_PER_STEP),
        ..Milp::default()
    }
    .with_initial_schedule(start);
    let options = SolveOptions {
        time_limit: limit,
        ..Default::default()
    };
    let Ok(report) = milp.solve(&sub, &options) else {
        return false;
    };
    let (Some(v), Some(s)) = (report.value, report.schedule) else {
        return false;
    };
    if v >= old - 1e-9 * old.abs().max(1.0) {
        return false;
    }
    for a in &s.assignments {
        device[tasks[a.task]] = chosen[a.device];
    }
    true
}
