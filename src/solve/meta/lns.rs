//! A large-neighbourhood step for makespan on independent instances (a matheuristic): free the
//! tasks of the critical device and a few others, re-solve that sub-problem exactly with the MILP
//! (warm-started from the current assignment, under a short time limit), and keep the result when
//! the sub-problem's makespan drops.

use super::eval::{device_finish, loads_makespan};
use crate::model::{Device, Instance, InstanceData, Task};
use crate::schedule::build;
use crate::solve::milp::{Formulation, Milp, WithInitialSchedule};
use crate::solve::{Cancel, SolveOptions, Solver};
use rand::Rng;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Branch-and-bound nodes per sub-problem, on top of the caller's time cap.
pub const NODES_PER_STEP: u32 = 200;

/// One step on `device` (a device per task): returns true when it improved. `limit` caps the
/// sub-solve's wall-clock time (use it only under a global deadline: it makes results
/// timing-dependent); the sub-solve also stops when `cancel` is cancelled.
pub fn lns_step<R: Rng>(
    inst: &Instance,
    device: &mut [usize],
    devices_in_step: usize,
    limit: Option<Duration>,
    cancel: Option<&Cancel>,
    rng: &mut R,
) -> bool {
    let m = inst.num_devices();
    if m < 2 || limit.is_some_and(|l| l.is_zero()) || cancel.is_some_and(Cancel::is_cancelled) {
        return false;
    }
    let finish = device_finish(inst, device);
    let critical = (0..m)
        .max_by(|&a, &b| finish[a].total_cmp(&finish[b]).then(b.cmp(&a)))
        .expect("m ≥ 2");
    // The other devices: drawn with probability growing with how much faster the critical
    // device's tasks run there and how much room they have, so the sub-problem has somewhere to
    // put the critical work.
    let cmax = finish[critical].max(1e-12);
    let affinity: Vec<f64> = (0..m)
        .map(|d| {
            if d == critical {
                return 0.0;
            }
            let speedup: f64 = (0..inst.num_tasks())
                .filter(|&t| device[t] == critical && inst.is_eligible(t, d))
                .map(|t| (inst.ptime(t, critical) / inst.ptime(t, d).max(1e-12)).min(4.0))
                .sum();
            let room = (1.0 - finish[d] / cmax).max(0.0) + 0.05;
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
    let old = chosen.iter().map(|&d| finish[d]).fold(0.0, f64::max);
    let tasks: Vec<usize> = (0..inst.num_tasks())
        .filter(|&t| chosen.contains(&device[t]))
        .collect();
    resolve(
        inst,
        &tasks,
        &chosen,
        &|t, d| inst.is_eligible(t, d),
        device,
        old,
        Some(NODES_PER_STEP),
        &SolveOptions {
            time_limit: limit,
            cancel: cancel.cloned(),
            ..Default::default()
        },
    )
    .is_some()
}

/// For each task, its eligible devices from best to worst *relative* speed: processing time
/// divided by the device's mean time over all tasks, so a device that is fast for everyone is
/// not everyone's choice. The basis of [`reduced_polish`].
pub fn relative_ranking(inst: &Instance) -> Vec<Vec<usize>> {
    let (n, m) = (inst.num_tasks(), inst.num_devices());
    let mean: Vec<f64> = (0..m)
        .map(|d| {
            let times: Vec<f64> = (0..n)
                .map(|t| inst.ptime(t, d))
                .filter(|p| p.is_finite())
                .collect();
            (times.iter().sum::<f64>() / times.len().max(1) as f64).max(1e-12)
        })
        .collect();
    (0..n)
        .map(|t| {
            let mut e = inst.eligible(t).to_vec();
            e.sort_by(|&a, &b| {
                (inst.ptime(t, a) / mean[a])
                    .total_cmp(&(inst.ptime(t, b) / mean[b]))
                    .then(a.cmp(&b))
            });
            e
        })
        .collect()
}

/// A size-reduced exact polish (after Fanjul-Peyro & Ruiz's size-reduction heuristics for
/// unrelated parallel machines): the whole makespan problem, with each task allowed only on its
/// current device and the first `k` devices of its `ranking` ([`relative_ranking`]), solved by
/// the MILP warm-started from `device` within `limit` (or until `cancel` is cancelled). Returns
/// the new makespan when it is lower.
pub fn reduced_polish(
    inst: &Instance,
    device: &mut [usize],
    ranking: &[Vec<usize>],
    k: usize,
    limit: Duration,
    cancel: Option<&Cancel>,
) -> Option<f64> {
    let old = loads_makespan(inst, device);
    let tasks: Vec<usize> = (0..inst.num_tasks()).collect();
    let devices: Vec<usize> = (0..inst.num_devices()).collect();
    let current = device.to_vec();
    resolve(
        inst,
        &tasks,
        &devices,
        &|t, d| d == current[t] || ranking[t].iter().take(k).any(|&x| x == d),
        device,
        old,
        None,
        &SolveOptions {
            time_limit: Some(limit),
            cancel: cancel.cloned(),
            ..Default::default()
        },
    )
}

/// The polish used by `ls` and `ga`: [`reduced_polish`] with k = 5, then 8, then 12 devices per
/// task while fewer than all devices and time before `until` are left; `progress` hears each
/// step's k and new makespan (`None`: no better). Stops early when `cancel` is cancelled.
pub fn polish_until(
    inst: &Instance,
    device: &mut [usize],
    until: Instant,
    cancel: Option<&Cancel>,
    mut progress: impl FnMut(usize, Option<f64>),
) {
    let ranking = relative_ranking(inst);
    for k in [5, 8, 12] {
        let left = until.saturating_duration_since(Instant::now());
        if k >= inst.num_devices()
            || left < Duration::from_millis(50)
            || cancel.is_some_and(Cancel::is_cancelled)
        {
            break;
        }
        progress(k, reduced_polish(inst, device, &ranking, k, left, cancel));
    }
}

/// Re-solve the makespan of `tasks` on `devices` exactly, each task allowed where `allowed`
/// says (and where it is eligible), warm-started from `device`; on improvement over `old`,
/// write the new devices into `device` and return the sub-problem's makespan. `options` give the
/// sub-solve's time limit and cancellation.
#[allow(clippy::too_many_arguments)]
fn resolve(
    inst: &Instance,
    tasks: &[usize],
    devices: &[usize],
    allowed: &dyn Fn(usize, usize) -> bool,
    device: &mut [usize],
    old: f64,
    max_nodes: Option<u32>,
    options: &SolveOptions,
) -> Option<f64> {
    if tasks.is_empty() {
        return None;
    }
    let sub_devices: Vec<Device> = devices
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
            let times: BTreeMap<String, f64> = devices
                .iter()
                .filter(|&&d| inst.is_eligible(t, d) && allowed(t, d))
                .map(|&d| (inst.device(d).id.clone(), inst.ptime(t, d)))
                .collect();
            Task {
                work: None,
                times: Some(times),
                ..Task::new(inst.task(t).id.clone(), 0.0)
            }
        })
        .collect();
    let sub = Instance::new(InstanceData {
        name: Some("lns".into()),
        objective: Some("makespan".into()),
        devices: sub_devices,
        tasks: sub_tasks,
        network: None,
    })
    .ok()?;
    let sub_device: Vec<usize> = tasks
        .iter()
        .map(|&t| devices.iter().position(|&d| d == device[t]))
        .collect::<Option<_>>()?;
    let order: Vec<usize> = (0..tasks.len()).collect();
    let start = build(&sub, &order, &sub_device).ok()?;
    let milp = Milp {
        formulation: Some(Formulation::Makespan),
        max_nodes,
        ..Milp::default()
    }
    .with_initial_schedule(start);
    let report = milp.solve(&sub, options).ok()?;
    let (v, s) = (report.value?, report.schedule?);
    if v >= old - 1e-9 * old.abs().max(1.0) {
        return None;
    }
    for a in &s.assignments {
        device[tasks[a.task]] = devices[a.device];
    }
    Some(v)
}
