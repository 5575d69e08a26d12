//! The generator's parameters: [`GeneratorParams`], the task and device mixes, the ETC
//! consistency and heterogeneity, their parsing, printing and validation.

use super::cluster::KINDS;
use super::{Family, MAX_DEVICES, MAX_ENTRIES, MAX_TASKS};
use crate::error::Error;
use crate::model::Objective;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Consistency of an ETC matrix (Braun et al. 2001).
///
/// ```
/// use hetsched::generate::Consistency;
/// assert_eq!("semi".parse::<Consistency>(), Ok(Consistency::SemiConsistent));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Consistency {
    /// Every row sorted: machine 0 is the fastest for every task, machine m−1 the slowest.
    Consistent,
    /// The entries in the even machine positions (0, 2, 4, …) of each row are sorted, the odd
    /// ones are left as drawn.
    SemiConsistent,
    /// Rows left as drawn: a machine fast for one task may be slow for another.
    #[default]
    Inconsistent,
}

impl Consistency {
    /// Every consistency, in documentation order.
    pub const ALL: [Consistency; 3] = [
        Consistency::Consistent,
        Consistency::SemiConsistent,
        Consistency::Inconsistent,
    ];

    /// The name used on the command line (`consistent`, `semi-consistent`, `inconsistent`).
    pub fn name(self) -> &'static str {
        match self {
            Consistency::Consistent => "consistent",
            Consistency::SemiConsistent => "semi-consistent",
            Consistency::Inconsistent => "inconsistent",
        }
    }
}

impl fmt::Display for Consistency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Consistency {
    type Err = String;
    /// Parse a consistency name; Braun's one-letter codes `c`, `s`, `i` and `semi` are accepted.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "c" => Ok(Consistency::Consistent),
            "s" | "semi" => Ok(Consistency::SemiConsistent),
            "i" => Ok(Consistency::Inconsistent),
            _ => parse_name(s, &Consistency::ALL, |c| c.name(), "consistency"),
        }
    }
}

/// Task and machine heterogeneity of an ETC matrix, as in Braun et al.'s instance names
/// (`u_c_hilo`: high task heterogeneity, low machine heterogeneity).
///
/// ```
/// use hetsched::generate::Heterogeneity;
/// let h: Heterogeneity = "hilo".parse().unwrap();
/// assert_eq!((h.task_range(), h.machine_range()), (3000.0, 10.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Heterogeneity {
    /// High task heterogeneity (range 3000), high machine heterogeneity (range 1000).
    #[default]
    HiHi,
    /// High task heterogeneity (3000), low machine heterogeneity (10).
    HiLo,
    /// Low task heterogeneity (100), high machine heterogeneity (1000).
    LoHi,
    /// Low task heterogeneity (100), low machine heterogeneity (10).
    LoLo,
}

impl Heterogeneity {
    /// Every heterogeneity, in documentation order.
    pub const ALL: [Heterogeneity; 4] = [
        Heterogeneity::HiHi,
        Heterogeneity::HiLo,
        Heterogeneity::LoHi,
        Heterogeneity::LoLo,
    ];

    /// The name used on the command line (`hihi`, `hilo`, `lohi`, `lolo`).
    pub fn name(self) -> &'static str {
        match self {
            Heterogeneity::HiHi => "hihi",
            Heterogeneity::HiLo => "hilo",
            Heterogeneity::LoHi => "lohi",
            Heterogeneity::LoLo => "lolo",
        }
    }

    /// φ_b: task baselines are drawn uniformly from [1, φ_b) (3000 for hi, 100 for lo).
    pub fn task_range(self) -> f64 {
        match self {
            Heterogeneity::HiHi | Heterogeneity::HiLo => 3000.0,
            Heterogeneity::LoHi | Heterogeneity::LoLo => 100.0,
        }
    }

    /// φ_r: machine multipliers are drawn uniformly from [1, φ_r) (1000 for hi, 10 for lo).
    pub fn machine_range(self) -> f64 {
        match self {
            Heterogeneity::HiHi | Heterogeneity::LoHi => 1000.0,
            Heterogeneity::HiLo | Heterogeneity::LoLo => 10.0,
        }
    }
}

impl fmt::Display for Heterogeneity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Heterogeneity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_name(s, &Heterogeneity::ALL, |h| h.name(), "heterogeneity")
    }
}

/// The GPU counts of the `trace` family's jobs: Gavel's single-GPU or multi-GPU traces.
///
/// ```
/// use hetsched::generate::GpuCounts;
/// assert_eq!("single".parse::<GpuCounts>(), Ok(GpuCounts::Single));
/// assert_eq!(GpuCounts::default().to_string(), "multi");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GpuCounts {
    /// Every job uses one GPU, its type uniform among Gavel's 26 (Gavel's single-GPU traces).
    Single,
    /// 1, 2, 4 or 8 GPUs with probabilities 0.7, 0.1, 0.15, 0.05, the type uniform among those
    /// that run with that many GPUs (Gavel's multi-GPU traces).
    #[default]
    Multi,
}

impl GpuCounts {
    /// Both, in documentation order.
    pub const ALL: [GpuCounts; 2] = [GpuCounts::Single, GpuCounts::Multi];

    /// The name used on the command line (`single`, `multi`).
    pub fn name(self) -> &'static str {
        match self {
            GpuCounts::Single => "single",
            GpuCounts::Multi => "multi",
        }
    }
}

impl fmt::Display for GpuCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for GpuCounts {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_name(s, &GpuCounts::ALL, |c| c.name(), "GPU counts")
    }
}

/// Relative shares of the four task types (each in [0, 1], not all 0; normalised to sum 1).
///
/// Written and parsed as `training=0.2,fine-tuning=0.15,inference=0.45,preprocessing=0.2`; a type
/// left out of the text gets 0.
///
/// ```
/// use hetsched::generate::TaskMix;
/// let mix: TaskMix = "training=0.5,inference=0.5".parse().unwrap();
/// assert_eq!((mix.training, mix.fine_tuning, mix.inference), (0.5, 0.0, 0.5));
/// assert_eq!(mix.to_string(), "training=0.5,fine-tuning=0,inference=0.5,preprocessing=0");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TaskMix {
    /// Training runs: heavy-tailed work, large memory, `work` scaled by device speed.
    pub training: f64,
    /// Fine-tuning runs: moderate work and memory, `work` scaled by device speed.
    pub fine_tuning: f64,
    /// Inference batches (evaluation in the `pipeline` family): short, high weight, per-kind
    /// `times`, fastest on the accelerator.
    pub inference: f64,
    /// Preprocessing: per-kind `times`, no faster on a GPU than on a CPU, not on the accelerator.
    pub preprocessing: f64,
}

impl TaskMix {
    const KEYS: [&'static str; 4] = ["training", "fine-tuning", "inference", "preprocessing"];

    pub(super) fn values(&self) -> [f64; 4] {
        [
            self.training,
            self.fine_tuning,
            self.inference,
            self.preprocessing,
        ]
    }
}

impl Default for TaskMix {
    /// The `ai-cluster` mix: 20 % training, 15 % fine-tuning, 45 % inference, 20 % preprocessing.
    fn default() -> Self {
        TaskMix {
            training: 0.2,
            fine_tuning: 0.15,
            inference: 0.45,
            preprocessing: 0.2,
        }
    }
}

impl fmt::Display for TaskMix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_mix(f, &Self::KEYS, &self.values())
    }
}

impl FromStr for TaskMix {
    type Err = String;
    /// Parse `KEY=VALUE,…` with keys `training`, `fine-tuning` (or `fine_tuning`, `finetune`),
    /// `inference`, `preprocessing`; missing keys are 0.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let v = parse_mix(s, &Self::KEYS, |k| match k {
            "fine_tuning" | "finetune" | "fine-tune" => Some(1),
            _ => None,
        })?;
        Ok(TaskMix {
            training: v[0],
            fine_tuning: v[1],
            inference: v[2],
            preprocessing: v[3],
        })
    }
}

/// Relative shares of the six device kinds (each in [0, 1], not all 0); the device count is split
/// among the kinds by largest remainder.
///
/// Written and parsed as `h100=0.15,a100=0.25,v100=0.15,t4=0.15,accel=0.1,cpu=0.2`; a kind left out
/// of the text gets 0.
///
/// ```
/// use hetsched::generate::DeviceMix;
/// let mix: DeviceMix = "a100=0.5,cpu=0.5".parse().unwrap();
/// assert_eq!((mix.a100, mix.cpu, mix.h100), (0.5, 0.5, 0.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceMix {
    /// H100-like GPUs: speed 4, 80 GB, cost rate 4.
    pub h100: f64,
    /// A100-like GPUs: speed 2.5, 40 or 80 GB, cost rate 2.4 or 2.8.
    pub a100: f64,
    /// V100-like GPUs: speed 1.2, 16 or 32 GB, cost rate 1 or 1.1.
    pub v100: f64,
    /// T4-like GPUs: speed 0.6, 16 GB, cost rate 0.5.
    pub t4: f64,
    /// Inference accelerators: speed 1.5 (×3 on inference), 32 GB, cost rate 1.4; no training
    /// restriction, but no preprocessing.
    pub accel: f64,
    /// CPU hosts: speed 0.25, 256 or 512 GB, cost rate 0.2 or 0.25.
    pub cpu: f64,
}

impl DeviceMix {
    pub(super) fn values(&self) -> [f64; 6] {
        [
            self.h100, self.a100, self.v100, self.t4, self.accel, self.cpu,
        ]
    }
}

impl Default for DeviceMix {
    /// 15 % H100, 25 % A100, 15 % V100, 15 % T4, 10 % accelerators, 20 % CPUs.
    fn default() -> Self {
        DeviceMix {
            h100: 0.15,
            a100: 0.25,
            v100: 0.15,
            t4: 0.15,
            accel: 0.1,
            cpu: 0.2,
        }
    }
}

impl fmt::Display for DeviceMix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
        write_mix(f, &keys, &self.values())
    }
}

impl FromStr for DeviceMix {
    type Err = String;
    /// Parse `KEY=VALUE,…` with keys `h100`, `a100`, `v100`, `t4`, `accel`, `cpu`; missing keys
    /// are 0.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let keys: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
        let v = parse_mix(s, &keys, |_| None)?;
        Ok(DeviceMix {
            h100: v[0],
            a100: v[1],
            v100: v[2],
            t4: v[3],
            accel: v[4],
            cpu: v[5],
        })
    }
}

/// Everything [`generate`](super::generate) needs besides the seed. Start from
/// [`GeneratorParams::new`], which gives the family's defaults, and override fields.
///
/// Parameters a family does not use are ignored by it: `etc` ignores `task_mix`, `device_mix`,
/// `memory_tightness` and `due_slack`; `ai-cluster` and `pipeline` ignore `consistency` and
/// `heterogeneity`; `gpu-cluster` ignores `task_mix`, `device_mix`, `consistency` and
/// `heterogeneity`; `trace` uses only `tasks`, `devices` (its number of GPUs), `objective`,
/// `arrival_rate`, `users`, `gpu_counts` and `gpus_per_node`; only `trace` uses the last two.
///
/// ```
/// use hetsched::generate::{generate, Family, GeneratorParams};
/// let mut params = GeneratorParams::new(Family::AiCluster, 50, 8);
/// params.objective = "weighted_tardiness".into();
/// params.dag_density = 0.0; // independent jobs
/// params.memory_tightness = 1.0; // full memory needs: big jobs only fit on big GPUs and CPUs
/// let data = generate(&params, 1).unwrap();
/// assert!(data.tasks.iter().all(|t| t.after.is_empty() && t.due.is_some()));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct GeneratorParams {
    /// The family (default `ai-cluster`).
    pub family: Family,
    /// Number of tasks, 1 to [`MAX_TASKS`].
    pub tasks: usize,
    /// Number of devices, 1 to [`MAX_DEVICES`].
    pub devices: usize,
    /// Objective written into the instance: any name [`Objective`] accepts (default `makespan`).
    /// `etc` instances have no weights, due dates or costs, so only `makespan` and
    /// `weighted_completion` are accepted there.
    pub objective: String,
    /// `ai-cluster` and `pipeline`: shares of training, fine-tuning, inference and preprocessing
    /// tasks.
    pub task_mix: TaskMix,
    /// `ai-cluster` and `pipeline`: shares of the device kinds.
    pub device_mix: DeviceMix,
    /// Releases are drawn uniformly from [0, spread × L), L the estimated makespan (0: every
    /// task released at time 0). Range [0, 10].
    pub release_spread: f64,
    /// Scales the tasks' memory needs: 0 ⇒ every need is 0 (memory never restricts), 1 ⇒ the
    /// full needs (a large training run fits only on 80 GB GPUs and CPUs; in `gpu-cluster`, the
    /// jobs' `mem` demand, up to 56 GB per GPU). Range [0, 1].
    pub memory_tightness: f64,
    /// Expected number of predecessors of a task that can have some (0 ⇒ no edges). Range
    /// [0, 10].
    pub dag_density: f64,
    /// Due dates are the ready time plus s × the task's fastest time, s drawn uniformly from
    /// [1, due_slack]. Range [1, 1000].
    pub due_slack: f64,
    /// `etc` only: consistency of the matrix.
    pub consistency: Consistency,
    /// `etc` only: task and machine heterogeneity.
    pub heterogeneity: Heterogeneity,
    /// `gpu-cluster` and `trace`: the jobs arrive as a Poisson process of this rate (jobs per
    /// hour, the families' time unit; `gpu-cluster`: instead of uniformly over the release
    /// spread). Range (0, 10⁶]. `trace`: default [`TRACE_ARRIVAL_RATE`](super::TRACE_ARRIVAL_RATE).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrival_rate: Option<f64>,
    /// Each task gets a `user` among `u1` … `uU`, drawn uniformly (0: no `user`, the
    /// default). At most 10⁶.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub users: usize,
    /// `trace` only: single-GPU or multi-GPU jobs (default multi).
    #[serde(default, skip_serializing_if = "is_multi")]
    pub gpu_counts: GpuCounts,
    /// `trace` only: GPUs per device; each GPU type's GPUs fill ⌈N / G⌉ devices, the last one
    /// holding the remainder. `None` (the default): one device per GPU type holding all its
    /// GPUs. At least 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpus_per_node: Option<usize>,
}

fn is_zero(x: &usize) -> bool {
    *x == 0
}

fn is_multi(x: &GpuCounts) -> bool {
    *x == GpuCounts::Multi
}

impl GeneratorParams {
    /// The defaults of `family` for `tasks` tasks on `devices` devices.
    ///
    /// | | ai-cluster | etc | pipeline | gpu-cluster | trace |
    /// |---|---|---|---|---|---|
    /// | release_spread | 0.5 | 0 | 0.5 | 0.5 | (unused) |
    /// | memory_tightness | 0.7 | (unused) | 0.7 | 0.7 | (unused) |
    /// | dag_density | 0.5 | 0 | 1.5 | 0 | (unused) |
    /// | due_slack | 3 | (unused) | 3 | 3 | (unused) |
    /// | task_mix (train, fine-tune, infer, prep) | 0.2, 0.15, 0.45, 0.2 | (unused) | 0.2, 0.15, 0.3, 0.35 | (unused) | (unused) |
    /// | arrival_rate | none | none | none | none | 1 job per hour |
    ///
    /// Every family: objective `makespan`, the default [`DeviceMix`], `inconsistent`, `hihi`.
    pub fn new(family: Family, tasks: usize, devices: usize) -> Self {
        let base = GeneratorParams {
            family,
            tasks,
            devices,
            objective: Objective::Makespan.name().to_string(),
            task_mix: TaskMix::default(),
            device_mix: DeviceMix::default(),
            release_spread: 0.5,
            memory_tightness: 0.7,
            dag_density: 0.5,
            due_slack: 3.0,
            consistency: Consistency::default(),
            heterogeneity: Heterogeneity::default(),
            arrival_rate: None,
            users: 0,
            gpu_counts: GpuCounts::Multi,
            gpus_per_node: None,
        };
        match family {
            Family::AiCluster => base,
            Family::Etc => GeneratorParams {
                release_spread: 0.0,
                memory_tightness: 0.0,
                dag_density: 0.0,
                ..base
            },
            // Gavel's jobs are independent.
            Family::GpuCluster => GeneratorParams {
                dag_density: 0.0,
                ..base
            },
            Family::Trace => GeneratorParams {
                dag_density: 0.0,
                arrival_rate: Some(super::TRACE_ARRIVAL_RATE),
                ..base
            },
            Family::Pipeline => GeneratorParams {
                dag_density: 1.5,
                task_mix: TaskMix {
                    training: 0.2,
                    fine_tuning: 0.15,
                    inference: 0.3,
                    preprocessing: 0.35,
                },
                ..base
            },
        }
    }

    /// The name [`generate`](super::generate) gives the instance: `<family>-<tasks>x<devices>-s<seed>`.
    ///
    /// ```
    /// use hetsched::generate::{Family, GeneratorParams};
    /// assert_eq!(GeneratorParams::new(Family::Etc, 512, 16).instance_name(3), "etc-512x16-s3");
    /// ```
    pub fn instance_name(&self, seed: u64) -> String {
        format!(
            "{}-{}x{}-s{seed}",
            self.family.name(),
            self.tasks,
            self.devices
        )
    }

    /// Check every parameter; returns the parsed objective, or [`Error::Usage`] listing every
    /// problem.
    ///
    /// ```
    /// use hetsched::generate::{Family, GeneratorParams};
    /// let mut p = GeneratorParams::new(Family::AiCluster, 0, 4);
    /// p.memory_tightness = 1.5;
    /// let err = p.validate().unwrap_err().to_string();
    /// assert!(err.contains("tasks must be at least 1") && err.contains("memory tightness"));
    /// ```
    pub fn validate(&self) -> Result<Objective, Error> {
        let mut problems: Vec<String> = Vec::new();
        if self.tasks == 0 || self.tasks > MAX_TASKS {
            problems.push(format!(
                "the number of tasks must be at least 1 and at most {MAX_TASKS}, got {}",
                self.tasks
            ));
        }
        if self.devices == 0 || self.devices > MAX_DEVICES {
            problems.push(format!(
                "the number of devices must be at least 1 and at most {MAX_DEVICES}, got {}",
                self.devices
            ));
        }
        // trace: `devices` counts GPUs; the instance has the pools.
        let pools = match (self.family, self.gpus_per_node) {
            (Family::Trace, Some(0)) => {
                problems.push("the GPUs per device must be at least 1, got 0".into());
                None
            }
            (Family::Trace, per) => Some(super::trace::pools(self.devices, per)),
            _ => None,
        };
        let device_count = pools.as_ref().map_or(self.devices, Vec::len);
        // The gpu-cluster and trace families' times are per GPU type: their instances hold a
        // time per task and device shape (at most 6), whatever the number of devices.
        if !matches!(self.family, Family::GpuCluster | Family::Trace)
            && self.tasks.saturating_mul(device_count) > MAX_ENTRIES
        {
            problems.push(format!(
                "{} tasks × {device_count} devices exceeds {MAX_ENTRIES} task-device pairs (each \
                 instance holds a processing time per pair once loaded)",
                self.tasks
            ));
        }
        if let Some(pools) = &pools
            && self.gpu_counts == GpuCounts::Multi
            && self.devices > 0
        {
            // Every job runs on V100 (ratio 1), which gets the most GPUs: the 8-GPU jobs need a
            // V100 device of at least 8.
            let largest = super::trace::largest_pool(pools, 0);
            if largest < 8 {
                problems.push(format!(
                    "the multi-GPU mix has jobs of 8 GPUs, but {} GPUs{} give V100 devices of \
                     {largest} GPU(s): use at least 24 GPUs (8 per type) and at least 8 GPUs \
                     per device, or the single-GPU mix",
                    self.devices,
                    self.gpus_per_node
                        .map_or(String::new(), |g| format!(" in devices of {g}")),
                ));
            }
        }
        let objective = match self.objective.parse::<Objective>() {
            Ok(o) => Some(o),
            Err(e) => {
                problems.push(e);
                None
            }
        };
        if self.family == Family::Etc
            && let Some(o) = objective
            && !matches!(o, Objective::Makespan | Objective::WeightedCompletion)
        {
            problems.push(format!(
                "etc instances have no due dates or costs, so {o} is 0 for every schedule: \
                 use makespan or weighted_completion"
            ));
        }
        if self.family == Family::Trace
            && let Some(o) = objective
            && o == Objective::WeightedTardiness
        {
            problems.push(
                "trace jobs have no due dates (Gavel's have no SLO), so weighted_tardiness is 0 \
                 for every schedule: use makespan, weighted_completion or total_cost"
                    .into(),
            );
        }
        if let Some(rate) = self.arrival_rate {
            if !matches!(self.family, Family::GpuCluster | Family::Trace) {
                problems.push(format!(
                    "an arrival rate applies to the gpu-cluster and trace families only, not {}",
                    self.family
                ));
            }
            if !(rate.is_finite() && rate > 0.0 && rate <= 1e6) {
                problems.push(format!(
                    "the arrival rate must be in (0, 1000000] jobs per hour, got {rate}"
                ));
            }
        }
        if self.users > 1_000_000 {
            problems.push(format!(
                "the number of users must be at most 1000000, got {}",
                self.users
            ));
        }
        let mut range = |what: &str, v: f64, lo: f64, hi: f64| {
            if !(v.is_finite() && lo <= v && v <= hi) {
                problems.push(format!("{what} must be in [{lo}, {hi}], got {v}"));
            }
        };
        if self.family != Family::Trace {
            range("release spread", self.release_spread, 0.0, 10.0);
            range("DAG density", self.dag_density, 0.0, 10.0);
        }
        if !matches!(self.family, Family::Etc | Family::Trace) {
            range("memory tightness", self.memory_tightness, 0.0, 1.0);
            range("due slack", self.due_slack, 1.0, 1000.0);
        }
        if matches!(self.family, Family::AiCluster | Family::Pipeline) {
            check_mix(
                &mut problems,
                "task mix",
                &TaskMix::KEYS,
                &self.task_mix.values(),
            );
            let keys: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
            check_mix(
                &mut problems,
                "device mix",
                &keys,
                &self.device_mix.values(),
            );
        }
        if problems.is_empty() {
            Ok(objective.expect("no problem, so the objective parsed"))
        } else {
            Err(Error::Usage(format!(
                "invalid generator parameters: {}",
                problems.join("; ")
            )))
        }
    }
}

impl Default for GeneratorParams {
    /// `ai-cluster`, 20 tasks, 4 devices, with that family's defaults.
    fn default() -> Self {
        GeneratorParams::new(Family::AiCluster, 20, 4)
    }
}

pub(super) fn check_mix(problems: &mut Vec<String>, what: &str, keys: &[&str], values: &[f64]) {
    for (k, v) in keys.iter().zip(values) {
        if !(v.is_finite() && (0.0..=1.0).contains(v)) {
            problems.push(format!("{what}: {k} must be in [0, 1], got {v}"));
        }
    }
    if values.iter().all(|v| *v == 0.0) {
        problems.push(format!("{what}: at least one share must be positive"));
    }
}

pub(super) fn parse_name<T: Copy>(
    s: &str,
    all: &[T],
    name: impl Fn(T) -> &'static str,
    what: &str,
) -> Result<T, String> {
    let norm = s.trim().replace('_', "-");
    all.iter()
        .copied()
        .find(|&x| name(x) == norm)
        .ok_or_else(|| {
            let names: Vec<&str> = all.iter().map(|&x| name(x)).collect();
            format!(
                "unknown {what} '{s}' (expected one of: {})",
                names.join(", ")
            )
        })
}

fn parse_mix(
    s: &str,
    keys: &[&str],
    alias: impl Fn(&str) -> Option<usize>,
) -> Result<Vec<f64>, String> {
    let mut values = vec![0.0; keys.len()];
    let mut seen = vec![false; keys.len()];
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, value) = part
            .split_once('=')
            .ok_or_else(|| format!("'{part}' is not KEY=VALUE"))?;
        let key = key.trim();
        let i = keys
            .iter()
            .position(|k| *k == key)
            .or_else(|| alias(key))
            .ok_or_else(|| format!("unknown key '{key}' (expected one of: {})", keys.join(", ")))?;
        if std::mem::replace(&mut seen[i], true) {
            return Err(format!("'{}' is given more than once", keys[i]));
        }
        let v: f64 = value
            .trim()
            .parse()
            .map_err(|_| format!("'{}' is not a number (in '{part}')", value.trim()))?;
        if !(v.is_finite() && (0.0..=1.0).contains(&v)) {
            return Err(format!("{key} must be in [0, 1], got {v}"));
        }
        values[i] = v;
    }
    if values.iter().all(|v| *v == 0.0) {
        return Err("at least one share must be positive".into());
    }
    Ok(values)
}

fn write_mix(f: &mut fmt::Formatter<'_>, keys: &[&str], values: &[f64]) -> fmt::Result {
    for (i, (k, v)) in keys.iter().zip(values).enumerate() {
        if i > 0 {
            f.write_str(",")?;
        }
        write!(f, "{k}={v}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::generate;

    fn params(family: Family, n: usize, m: usize) -> GeneratorParams {
        GeneratorParams::new(family, n, m)
    }

    #[test]
    fn generate_rejects_bad_parameters() {
        let bad = |f: &dyn Fn(&mut GeneratorParams), family: Family, words: &str| {
            let mut p = params(family, 20, 4);
            f(&mut p);
            let err = generate(&p, 0).unwrap_err();
            assert!(matches!(err, Error::Usage(_)), "{err}");
            assert!(err.to_string().contains(words), "{err} lacks {words}");
        };
        bad(&|p| p.tasks = 0, Family::AiCluster, "number of tasks");
        bad(&|p| p.devices = 0, Family::Pipeline, "number of devices");
        bad(&|p| p.tasks = MAX_TASKS + 1, Family::Etc, "number of tasks");
        bad(
            &|p| (p.tasks, p.devices) = (100_000, 1000),
            Family::Etc,
            "exceeds",
        );
        bad(
            &|p| p.memory_tightness = 1.5,
            Family::AiCluster,
            "memory tightness",
        );
        bad(
            &|p| p.memory_tightness = f64::NAN,
            Family::Pipeline,
            "memory tightness",
        );
        bad(
            &|p| p.release_spread = -0.1,
            Family::AiCluster,
            "release spread",
        );
        bad(&|p| p.dag_density = 11.0, Family::Etc, "DAG density");
        bad(&|p| p.due_slack = 0.5, Family::AiCluster, "due slack");
        bad(
            &|p| p.task_mix.inference = 1.2,
            Family::AiCluster,
            "inference",
        );
        bad(
            &|p| p.task_mix.training = -0.2,
            Family::Pipeline,
            "training",
        );
        bad(
            &|p| {
                p.device_mix = DeviceMix {
                    h100: 0.0,
                    a100: 0.0,
                    v100: 0.0,
                    t4: 0.0,
                    accel: 0.0,
                    cpu: 0.0,
                }
            },
            Family::AiCluster,
            "at least one share",
        );
        bad(
            &|p| p.objective = "fastest".into(),
            Family::AiCluster,
            "unknown objective",
        );
        bad(
            &|p| p.objective = "weighted_tardiness".into(),
            Family::Etc,
            "no due dates",
        );
        // Mix text.
        assert!(
            "training=2"
                .parse::<TaskMix>()
                .unwrap_err()
                .contains("[0, 1]")
        );
        assert!(
            "gpu=1"
                .parse::<DeviceMix>()
                .unwrap_err()
                .contains("unknown key")
        );
        assert!(
            "training"
                .parse::<TaskMix>()
                .unwrap_err()
                .contains("KEY=VALUE")
        );
        assert!(
            "training=x"
                .parse::<TaskMix>()
                .unwrap_err()
                .contains("not a number")
        );
        assert!(
            "training=0"
                .parse::<TaskMix>()
                .unwrap_err()
                .contains("positive")
        );
        assert!(
            "cpu=1,cpu=0.5"
                .parse::<DeviceMix>()
                .unwrap_err()
                .contains("more than once")
        );
        assert!("nope".parse::<Family>().unwrap_err().contains("ai-cluster"));
    }

    #[test]
    fn gpu_cluster_checks_what_it_uses_and_ignores_the_rest() {
        let mut p = params(Family::GpuCluster, 20, 4);
        p.memory_tightness = 1.5;
        p.due_slack = 0.0;
        let err = p.validate().unwrap_err().to_string();
        assert!(
            err.contains("memory tightness") && err.contains("due slack"),
            "{err}"
        );
        // The mixes are not used, so not checked (as for etc).
        let mut p = params(Family::GpuCluster, 20, 4);
        p.task_mix.training = 2.0;
        p.device_mix.cpu = -1.0;
        assert!(matches!(p.validate(), Ok(Objective::Makespan)));
        assert_eq!(p.dag_density, 0.0);
        p.objective = "total_cost".into();
        assert!(generate(&p, 0).is_ok());
    }

    #[test]
    fn names_round_trip() {
        for f in Family::ALL {
            assert_eq!(f.name().parse::<Family>(), Ok(f));
        }
        for c in Consistency::ALL {
            assert_eq!(c.name().parse::<Consistency>(), Ok(c));
        }
        for h in Heterogeneity::ALL {
            assert_eq!(h.name().parse::<Heterogeneity>(), Ok(h));
        }
        let mix = TaskMix::default();
        assert_eq!(mix.to_string().parse::<TaskMix>(), Ok(mix));
        let mix = DeviceMix::default();
        assert_eq!(mix.to_string().parse::<DeviceMix>(), Ok(mix));
        assert_eq!("fine_tuning=1".parse::<TaskMix>().unwrap().fine_tuning, 1.0);
        // The parameters serialize (e.g. to record them next to a generated set).
        let p = GeneratorParams::new(Family::Pipeline, 10, 3);
        let text = serde_json::to_string(&p).unwrap();
        assert!(text.contains("\"family\":\"pipeline\""), "{text}");
        assert_eq!(serde_json::from_str::<GeneratorParams>(&text).unwrap(), p);
    }
}
