//! What a simulation measured: job completion times (JCT = completion − arrival), slowdowns,
//! utilization, fairness between users.

use crate::io::metrics_record;
use crate::model::Instance;
use crate::schedule::Schedule;
use serde::Serialize;
use std::collections::BTreeMap;

/// The metrics of a simulation, in actual times.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    /// Number of jobs.
    pub jobs: usize,
    /// Mean job completion time (completion − arrival).
    pub mean_jct: f64,
    /// Median JCT (nearest rank, as are the percentiles).
    pub median_jct: f64,
    /// 95th percentile of the JCT.
    pub p95_jct: f64,
    /// 99th percentile of the JCT.
    pub p99_jct: f64,
    /// Largest JCT.
    pub max_jct: f64,
    /// Mean slowdown: JCT ÷ the job's time on its fastest eligible device (jobs of length 0
    /// count 1).
    pub mean_slowdown: f64,
    /// Latest completion.
    pub makespan: f64,
    /// The instance's objective.
    pub objective: String,
    /// Its value for the simulated schedule.
    pub value: f64,
    /// Jobs completing after their due date.
    pub deadline_misses: usize,
    /// Times a running job was stopped.
    pub preemptions: usize,
    /// Times a stopped job resumed on another device.
    pub migrations: usize,
    /// Run time lost to outages: the segments cut by a device going down, without preemption.
    pub lost_work: f64,
    /// Time spent on restart delays (`preemption_cost` each time a job that ran before starts).
    pub restart_overhead: f64,
    /// Share of `[0, makespan]` each device runs a job, per device id.
    pub utilization: BTreeMap<String, f64>,
    /// Mean utilization of the devices of each kind (devices without a kind under their id).
    pub utilization_by_kind: BTreeMap<String, f64>,
    /// Per device with `resources`, per resource: Σ amount held · time ÷ (capacity · makespan).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_utilization: Option<BTreeMap<String, BTreeMap<String, f64>>>,
    /// Per user (tasks without `user` under "-"), when some task names one.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub users: BTreeMap<String, UserMetrics>,
    /// Jain's fairness index over the users' mean slowdowns, (Σx)² ÷ (n · Σx²): 1 when all
    /// are equal, 1/n at worst; absent with fewer than two users.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fairness: Option<f64>,
}

/// The metrics of one user's jobs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UserMetrics {
    /// Number of jobs.
    pub jobs: usize,
    /// Mean JCT.
    pub mean_jct: f64,
    /// Mean slowdown.
    pub mean_slowdown: f64,
}

/// The element at quantile `q` of sorted `x` (nearest rank).
fn quantile(x: &[f64], q: f64) -> f64 {
    if x.is_empty() {
        return 0.0;
    }
    let rank = (q * x.len() as f64).ceil() as usize;
    x[rank.clamp(1, x.len()) - 1]
}

fn mean(x: impl Iterator<Item = f64>) -> f64 {
    let (sum, count) = x.fold((0.0, 0usize), |(s, c), v| (s + v, c + 1));
    if count == 0 { 0.0 } else { sum / count as f64 }
}

/// Measure a finished simulation: `inst` with the actual times, the schedule, per task its
/// completion.
pub(super) fn measure(
    inst: &Instance,
    schedule: &Schedule,
    completions: &[f64],
    preemptions: usize,
    migrations: usize,
    lost_work: f64,
    restart_overhead: f64,
) -> Metrics {
    let n = inst.num_tasks();
    let jct: Vec<f64> = (0..n)
        .map(|t| completions[t] - inst.task(t).release)
        .collect();
    let slowdown: Vec<f64> = (0..n)
        .map(|t| {
            let p = inst.min_ptime(t);
            if p > 0.0 { jct[t] / p } else { 1.0 }
        })
        .collect();
    let mut sorted = jct.clone();
    sorted.sort_by(f64::total_cmp);
    let record = metrics_record(inst, schedule);
    let mut kinds: BTreeMap<String, (f64, usize)> = BTreeMap::new();
    for dev in inst.devices() {
        let u = record.utilization[&dev.id];
        let e = kinds
            .entry(dev.kind.clone().unwrap_or_else(|| dev.id.clone()))
            .or_default();
        e.0 += u;
        e.1 += 1;
    }
    let mut users: BTreeMap<String, UserMetrics> = BTreeMap::new();
    if inst.tasks().iter().any(|t| t.user.is_some()) {
        let mut by_user: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (t, task) in inst.tasks().iter().enumerate() {
            let user = task.user.clone().unwrap_or_else(|| "-".into());
            by_user.entry(user).or_default().push(t);
        }
        for (user, tasks) in by_user {
            let metrics = UserMetrics {
                jobs: tasks.len(),
                mean_jct: mean(tasks.iter().map(|&t| jct[t])),
                mean_slowdown: mean(tasks.iter().map(|&t| slowdown[t])),
            };
            users.insert(user, metrics);
        }
    }
    let fairness = (users.len() >= 2).then(|| {
        let x: Vec<f64> = users.values().map(|u| u.mean_slowdown).collect();
        let sum: f64 = x.iter().sum();
        let squares: f64 = x.iter().map(|v| v * v).sum();
        sum * sum / (x.len() as f64 * squares)
    });
    Metrics {
        jobs: n,
        mean_jct: mean(jct.iter().copied()),
        median_jct: quantile(&sorted, 0.5),
        p95_jct: quantile(&sorted, 0.95),
        p99_jct: quantile(&sorted, 0.99),
        max_jct: sorted.last().copied().unwrap_or(0.0),
        mean_slowdown: mean(slowdown.iter().copied()),
        makespan: record.makespan,
        objective: inst.objective().name().to_string(),
        value: schedule.value(inst),
        deadline_misses: (0..n)
            .filter(|&t| inst.task(t).due.is_some_and(|due| completions[t] > due))
            .count(),
        preemptions,
        migrations,
        lost_work,
        restart_overhead,
        utilization: record.utilization,
        utilization_by_kind: kinds
            .into_iter()
            .map(|(k, (sum, count))| (k, sum / count as f64))
            .collect(),
        resource_utilization: record.resource_utilization,
        users,
        fairness,
    }
}
