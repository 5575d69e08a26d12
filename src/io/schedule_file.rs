//! The schedule file (JSON), as written by `hetsched solve --out` and read by `hetsched check`.

use crate::error::Error;
use crate::model::Instance;
use crate::schedule::{Assignment, Schedule, Violation};
use crate::solve::SolveReport;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// One line of a schedule file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignmentRecord {
    /// Task id.
    pub task: String,
    /// Device id.
    pub device: String,
    /// Start time.
    pub start: f64,
    /// End time.
    pub end: f64,
}

/// The metrics block of a schedule file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricsRecord {
    /// Latest end.
    pub makespan: f64,
    /// Σ weight · end.
    pub weighted_completion: f64,
    /// Σ weight · tardiness.
    pub weighted_tardiness: f64,
    /// Σ cost_rate · busy time.
    pub total_cost: f64,
    /// Σ assignment cost.
    pub assignment_cost: f64,
    /// Share of `[0, makespan]` during which each device runs a task, per device id.
    pub utilization: BTreeMap<String, f64>,
    /// Per device id with `resources`, per resource name: Σ demand · duration / (capacity ·
    /// makespan) (an exclusive task holds the whole capacity). Absent when no device has
    /// `resources`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_utilization: Option<BTreeMap<String, BTreeMap<String, f64>>>,
}

/// A schedule file. Only `assignments` is required when reading; the rest is what the solver said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleFile {
    /// Instance name.
    #[serde(default)]
    pub instance: String,
    /// Solver name.
    #[serde(default)]
    pub solver: String,
    /// Objective name.
    #[serde(default)]
    pub objective: String,
    /// `optimal`, `feasible`, `infeasible` or `unknown`.
    #[serde(default)]
    pub status: String,
    /// Objective value claimed by the solver.
    #[serde(default)]
    pub value: Option<f64>,
    /// Proven lower bound, if any.
    #[serde(default)]
    pub bound: Option<f64>,
    /// Relative gap between value and bound, if both exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap: Option<f64>,
    /// Solve time in seconds.
    #[serde(default)]
    pub seconds: f64,
    /// Extra information from the solver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Whether a task may run in several segments (see [`Schedule`]); absent means false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub preemptive: bool,
    /// Where and when each task runs.
    pub assignments: Vec<AssignmentRecord>,
    /// All metrics, recomputed by the evaluator.
    #[serde(default)]
    pub metrics: Option<MetricsRecord>,
}

impl ScheduleFile {
    /// The file form of a solve report.
    pub fn from_report(instance: &Instance, report: &SolveReport) -> Self {
        let (assignments, metrics) = match &report.schedule {
            Some(s) => (to_records(instance, s), Some(metrics_record(instance, s))),
            None => (Vec::new(), None),
        };
        ScheduleFile {
            instance: instance.name().to_string(),
            solver: report.solver.clone(),
            objective: report.objective.name().to_string(),
            status: report.status.name().to_string(),
            value: report.value,
            bound: report.bound,
            gap: report.gap(),
            seconds: report.seconds,
            message: report.message.clone(),
            preemptive: report.schedule.as_ref().is_some_and(|s| s.preemptive),
            assignments,
            metrics,
        }
    }

    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("schedule file always serializes") + "\n"
    }

    /// Read a schedule file.
    pub fn read(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let text = super::read_text(path)?;
        Self::parse(&text, path)
    }

    /// Parse a schedule file's text; `origin` names the source in errors.
    pub fn parse(text: &str, origin: &Path) -> Result<Self, Error> {
        serde_json::from_str(text).map_err(|e| Error::Parse {
            path: origin.to_path_buf(),
            message: format!("not a valid schedule file: {e}"),
        })
    }

    /// Write as pretty JSON.
    pub fn write(&self, path: impl AsRef<Path>) -> Result<(), Error> {
        super::write_text(path.as_ref(), &self.to_json())
    }

    /// Resolve ids against `instance`. Records naming an unknown task or device are left out of
    /// the schedule and returned as violations.
    pub fn to_schedule(&self, instance: &Instance) -> (Schedule, Vec<Violation>) {
        let mut bad = Vec::new();
        let mut assignments = Vec::new();
        for r in &self.assignments {
            let t = instance.task_index(&r.task);
            let d = instance.device_index(&r.device);
            if t.is_none() {
                bad.push(Violation::UnknownTask(r.task.clone()));
            }
            if d.is_none() {
                bad.push(Violation::UnknownDevice {
                    device: r.device.clone(),
                    task: Some(r.task.clone()),
                });
            }
            if let (Some(task), Some(device)) = (t, d) {
                assignments.push(Assignment {
                    task,
                    device,
                    start: r.start,
                    end: r.end,
                });
            }
        }
        (
            Schedule {
                assignments,
                preemptive: self.preemptive,
            },
            bad,
        )
    }
}

fn to_records(instance: &Instance, s: &Schedule) -> Vec<AssignmentRecord> {
    s.assignments
        .iter()
        .map(|a| AssignmentRecord {
            task: instance.task(a.task).id.clone(),
            device: instance.device(a.device).id.clone(),
            start: a.start,
            end: a.end,
        })
        .collect()
}

/// The metrics block for a schedule.
pub fn metrics_record(instance: &Instance, s: &Schedule) -> MetricsRecord {
    let m = s.metrics(instance);
    MetricsRecord {
        makespan: m.makespan,
        weighted_completion: m.weighted_completion,
        weighted_tardiness: m.weighted_tardiness,
        total_cost: m.total_cost,
        assignment_cost: m.assignment_cost,
        utilization: instance
            .devices()
            .iter()
            .zip(&m.utilization)
            .map(|(d, &u)| (d.id.clone(), u))
            .collect(),
        resource_utilization: (0..instance.num_devices())
            .any(|d| instance.offers_resources(d))
            .then(|| {
                (0..instance.num_devices())
                    .filter(|&d| instance.offers_resources(d))
                    .map(|d| {
                        let per: BTreeMap<String, f64> = (0..instance.num_resources())
                            .filter(|&k| instance.resource_capacity(d, k) > 0.0)
                            .map(|k| {
                                (
                                    instance.resource_name(k).to_string(),
                                    m.resource_utilization[d][k],
                                )
                            })
                            .collect();
                        (instance.device(d).id.clone(), per)
                    })
                    .collect()
            }),
    }
}
