use super::Schedule;
use crate::model::{Instance, Objective};

/// Every objective value of a schedule, plus per-device utilization.
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    /// Latest end time (0 for an empty schedule).
    pub makespan: f64,
    /// Σ weight · end.
    pub weighted_completion: f64,
    /// Σ weight · max(0, end − due).
    pub weighted_tardiness: f64,
    /// Σ cost_rate · busy time.
    pub total_cost: f64,
    /// Σ c(task, device).
    pub assignment_cost: f64,
    /// Busy time of each device (by device index): the sum of its tasks' durations, the measure
    /// its `capacity` limits (on a device with `resources` overlapping runs each count).
    pub busy: Vec<f64>,
    /// Share of `[0, makespan]` during which each device runs at least one task (by device index);
    /// busy / makespan on a device that runs one task at a time; 0 when the makespan is 0.
    pub utilization: Vec<f64>,
    /// For each device and resource ([`Instance::resource_name`]): Σ demand · duration over the
    /// tasks on it / (capacity · makespan); 0 for a resource the device does not offer.
    pub resource_utilization: Vec<Vec<f64>>,
}

impl Metrics {
    /// The value of one objective.
    pub fn value(&self, objective: Objective) -> f64 {
        match objective {
            Objective::Makespan => self.makespan,
            Objective::WeightedCompletion => self.weighted_completion,
            Objective::WeightedTardiness => self.weighted_tardiness,
            Objective::TotalCost => self.total_cost,
            Objective::AssignmentCost => self.assignment_cost,
        }
    }
}

/// Compute all metrics of `schedule` as given (no feasibility assumed: use [`super::check`]).
///
/// Assignments whose task or device index is out of range are skipped; an ineligible pair makes
/// `assignment_cost` infinite. In a preemptive schedule a task completes with its last segment,
/// and each segment costs its fraction of the task's assignment cost.
pub fn evaluate(instance: &Instance, schedule: &Schedule) -> Metrics {
    let n = instance.num_tasks();
    let m = instance.num_devices();
    let mut makespan: f64 = 0.0;
    let mut wc = 0.0;
    let mut wt = 0.0;
    let mut total_cost = 0.0;
    let mut assignment_cost = 0.0;
    let mut busy = vec![0.0; m];
    let r = instance.num_resources();
    let mut held = vec![vec![0.0; r]; m];
    let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new(); m];
    for a in &schedule.assignments {
        if a.task >= n || a.device >= m {
            continue;
        }
        let task = instance.task(a.task);
        let dev = instance.device(a.device);
        makespan = makespan.max(a.end);
        if !schedule.preemptive {
            wc += task.weight * a.end;
            if let Some(due) = task.due {
                wt += task.weight * (a.end - due).max(0.0);
            }
        }
        let dur = a.end - a.start;
        busy[a.device] += dur;
        if instance.offers_resources(a.device) {
            runs[a.device].push((a.start, a.end));
            for (k, h) in held[a.device].iter_mut().enumerate() {
                *h += instance.held(a.task, a.device, k) * dur;
            }
        }
        total_cost += dev.cost_rate * dur;
        let p = instance.ptime(a.task, a.device);
        let fraction = if schedule.preemptive && p > 0.0 {
            dur / p
        } else {
            1.0
        };
        assignment_cost += fraction * instance.cost(a.task, a.device);
    }
    if schedule.preemptive {
        // A task completes with its last segment.
        for (t, c) in schedule.completions(n).into_iter().enumerate() {
            if c.is_finite() {
                let task = instance.task(t);
                wc += task.weight * c;
                if let Some(due) = task.due {
                    wt += task.weight * (c - due).max(0.0);
                }
            }
        }
    }
    let share = |x: f64| if makespan > 0.0 { x / makespan } else { 0.0 };
    let utilization = (0..m)
        .map(|d| {
            if instance.offers_resources(d) {
                share(union_length(&mut runs[d]))
            } else {
                share(busy[d])
            }
        })
        .collect();
    let resource_utilization = (0..m)
        .map(|d| {
            (0..r)
                .map(|k| {
                    let cap = instance.resource_capacity(d, k);
                    if cap > 0.0 {
                        share(held[d][k] / cap)
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect();
    Metrics {
        makespan,
        weighted_completion: wc,
        weighted_tardiness: wt,
        total_cost,
        assignment_cost,
        busy,
        utilization,
        resource_utilization,
    }
}

/// Total length of the union of the intervals `runs`.
fn union_length(runs: &mut [(f64, f64)]) -> f64 {
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut total = 0.0;
    let mut current: Option<(f64, f64)> = None;
    for &(s, e) in runs.iter() {
        match current {
            Some((cs, ce)) if s <= ce => current = Some((cs, ce.max(e))),
            Some((cs, ce)) => {
                total += ce - cs;
                current = Some((s, e));
            }
            None => current = Some((s, e)),
        }
    }
    total + current.map_or(0.0, |(s, e)| e - s)
}
