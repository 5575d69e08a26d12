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
    /// Busy time of each device (by device index).
    pub busy: Vec<f64>,
    /// Busy time / makespan for each device (by device index); 0 when the makespan is 0.
    pub utilization: Vec<f64>,
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
/// `assignment_cost` infinite.
pub fn evaluate(instance: &Instance, schedule: &Schedule) -> Metrics {
    let n = instance.num_tasks();
    let m = instance.num_devices();
    let mut makespan: f64 = 0.0;
    let mut wc = 0.0;
    let mut wt = 0.0;
    let mut total_cost = 0.0;
    let mut assignment_cost = 0.0;
    let mut busy = vec![0.0; m];
    for a in &schedule.assignments {
        if a.task >= n || a.device >= m {
            continue;
        }
        let task = instance.task(a.task);
        let dev = instance.device(a.device);
        makespan = makespan.max(a.end);
        wc += task.weight * a.end;
        if let Some(due) = task.due {
            wt += task.weight * (a.end - due).max(0.0);
        }
        let dur = a.end - a.start;
        busy[a.device] += dur;
        total_cost += dev.cost_rate * dur;
        assignment_cost += instance.cost(a.task, a.device);
    }
    let utilization = busy
        .iter()
        .map(|&b| if makespan > 0.0 { b / makespan } else { 0.0 })
        .collect();
    Metrics {
        makespan,
        weighted_completion: wc,
        weighted_tardiness: wt,
        total_cost,
        assignment_cost,
        busy,
        utilization,
    }
}
