//! Seeded instance generator: realistic AI-cluster workloads, Braun-style ETC matrices and
//! pipeline DAGs, reproducible byte for byte from a seed.
//!
//! [`generate`] turns [`GeneratorParams`] and a seed into [`InstanceData`] that always passes
//! [`Instance::new`](crate::Instance::new). The same seed and parameters give the same instance on
//! every platform: the random numbers come from ChaCha8 streams (one per aspect of the instance:
//! devices, tasks, releases, edges, due dates, workflows), and the values are drawn with
//! arithmetic and square roots only (no platform-dependent `exp`/`ln`), then rounded to 2 decimals
//! (memory to 1).
//!
//! Three [families](Family):
//!
//! - [`Family::AiCluster`]: a mixed cluster (H100/A100/V100/T4-like GPUs, an inference
//!   accelerator, CPUs) running training, fine-tuning, inference and preprocessing jobs with
//!   memory needs, weights, release and due dates, and optional DAG edges;
//! - [`Family::Etc`]: independent tasks on unrelated machines, the range-based ETC matrices of
//!   Braun et al. (2001) (consistency × task/machine heterogeneity);
//! - [`Family::Pipeline`]: workflows of preprocessing → training → fine-tuning → evaluation stages
//!   (layered DAGs) on the same mixed cluster, for HEFT-style solvers.
//!
//! The formulas are in `docs/generator.md`.
//!
//! ```
//! use hetsched::generate::{generate, Family, GeneratorParams};
//! let params = GeneratorParams::new(Family::AiCluster, 30, 6);
//! let data = generate(&params, 7).unwrap();
//! assert_eq!(data.name.as_deref(), Some("ai-cluster-30x6-s7"));
//! assert_eq!((data.tasks.len(), data.devices.len()), (30, 6));
//! assert_eq!(data, generate(&params, 7).unwrap()); // same seed, same instance
//! hetsched::Instance::new(data).unwrap(); // always valid
//! ```

use crate::error::Error;
use crate::model::{Device, InstanceData, Objective, Task};
use crate::solve::meta::rng_stream;
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// Largest number of tasks [`generate`] accepts.
pub const MAX_TASKS: usize = 1_000_000;
/// Largest number of devices [`generate`] accepts.
pub const MAX_DEVICES: usize = 10_000;
/// Largest tasks × devices [`generate`] accepts (for every family: solvers hold a dense
/// processing-time matrix of that size, about 28 bytes per entry once loaded).
pub const MAX_ENTRIES: usize = 10_000_000;

// Random streams, one per aspect, so that changing one parameter leaves the other aspects alone
// (e.g. the DAG density changes only the edges and the due dates).
const STREAM_DEVICES: u64 = 0;
const STREAM_TASKS: u64 = 1;
const STREAM_RELEASES: u64 = 2;
const STREAM_EDGES: u64 = 3;
const STREAM_DUES: u64 = 4;
const STREAM_WORKFLOWS: u64 = 5;

/// The kind of workload a generator produces.
///
/// ```
/// use hetsched::generate::Family;
/// assert_eq!("pipeline".parse::<Family>(), Ok(Family::Pipeline));
/// assert_eq!(Family::AiCluster.to_string(), "ai-cluster");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// A realistic mixed AI cluster: GPUs of several generations, an accelerator, CPUs; training,
    /// fine-tuning, inference and preprocessing jobs with memory needs, weights, releases, due
    /// dates and optional DAG edges.
    #[default]
    AiCluster,
    /// Braun et al. (2001) range-based ETC matrices: independent tasks, unrelated machines.
    Etc,
    /// Layered DAG workflows (preprocessing → training → fine-tuning → evaluation) on a mixed
    /// cluster.
    Pipeline,
}

impl Family {
    /// Every family, in documentation order.
    pub const ALL: [Family; 3] = [Family::AiCluster, Family::Etc, Family::Pipeline];

    /// The name used on the command line and in instance names.
    pub fn name(self) -> &'static str {
        match self {
            Family::AiCluster => "ai-cluster",
            Family::Etc => "etc",
            Family::Pipeline => "pipeline",
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Family {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_name(s, &Family::ALL, |f| f.name(), "family")
    }
}

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

    fn values(&self) -> [f64; 4] {
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
    fn values(&self) -> [f64; 6] {
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

/// Everything [`generate`] needs besides the seed. Start from [`GeneratorParams::new`], which
/// gives the family's defaults, and override fields.
///
/// Parameters a family does not use are ignored by it: `etc` ignores `task_mix`, `device_mix`,
/// `memory_tightness` and `due_slack`; `ai-cluster` and `pipeline` ignore `consistency` and
/// `heterogeneity`.
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
    /// Shares of training, fine-tuning, inference and preprocessing tasks.
    pub task_mix: TaskMix,
    /// Shares of the device kinds.
    pub device_mix: DeviceMix,
    /// Releases are drawn uniformly from [0, spread × L), L the estimated makespan (0: every
    /// task released at time 0). Range [0, 10].
    pub release_spread: f64,
    /// Scales the tasks' memory needs: 0 ⇒ every need is 0 (memory never restricts), 1 ⇒ the
    /// full needs (a large training run fits only on 80 GB GPUs and CPUs). Range [0, 1].
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
}

impl GeneratorParams {
    /// The defaults of `family` for `tasks` tasks on `devices` devices.
    ///
    /// | | ai-cluster | etc | pipeline |
    /// |---|---|---|---|
    /// | release_spread | 0.5 | 0 | 0.5 |
    /// | memory_tightness | 0.7 | (unused) | 0.7 |
    /// | dag_density | 0.5 | 0 | 1.5 |
    /// | due_slack | 3 | (unused) | 3 |
    /// | task_mix (train, fine-tune, infer, prep) | 0.2, 0.15, 0.45, 0.2 | (unused) | 0.2, 0.15, 0.3, 0.35 |
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
        };
        match family {
            Family::AiCluster => base,
            Family::Etc => GeneratorParams {
                release_spread: 0.0,
                memory_tightness: 0.0,
                dag_density: 0.0,
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

    /// The name [`generate`] gives the instance: `<family>-<tasks>x<devices>-s<seed>`.
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
        if self.tasks.saturating_mul(self.devices) > MAX_ENTRIES {
            problems.push(format!(
                "{} tasks × {} devices exceeds {MAX_ENTRIES} task-device pairs (each instance \
                 holds a processing time per pair once loaded)",
                self.tasks, self.devices
            ));
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
        let mut range = |what: &str, v: f64, lo: f64, hi: f64| {
            if !(v.is_finite() && lo <= v && v <= hi) {
                problems.push(format!("{what} must be in [{lo}, {hi}], got {v}"));
            }
        };
        range("release spread", self.release_spread, 0.0, 10.0);
        range("DAG density", self.dag_density, 0.0, 10.0);
        if self.family != Family::Etc {
            range("memory tightness", self.memory_tightness, 0.0, 1.0);
            range("due slack", self.due_slack, 1.0, 1000.0);
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

/// Generate the instance of `params` for `seed`: same parameters and seed, same instance (and
/// the same bytes once written), on every platform.
///
/// Returns [`Error::Usage`] when a parameter is out of range (see [`GeneratorParams::validate`]).
/// The result always passes [`Instance::new`](crate::Instance::new): every task has an eligible
/// device, the `after` relation is acyclic.
///
/// ```
/// use hetsched::generate::{generate, Consistency, Family, GeneratorParams};
/// let mut params = GeneratorParams::new(Family::Etc, 4, 3);
/// params.consistency = Consistency::Consistent;
/// let data = generate(&params, 0).unwrap();
/// let t0 = data.tasks[0].times.as_ref().unwrap();
/// assert!(t0["m0"] <= t0["m1"] && t0["m1"] <= t0["m2"]); // machine 0 is fastest
/// ```
pub fn generate(params: &GeneratorParams, seed: u64) -> Result<InstanceData, Error> {
    let objective = params.validate()?;
    let (devices, tasks) = match params.family {
        Family::Etc => etc(params, seed),
        Family::AiCluster | Family::Pipeline => cluster(params, seed),
    };
    Ok(InstanceData {
        name: Some(params.instance_name(seed)),
        objective: Some(objective.name().to_string()),
        devices,
        tasks,
    })
}

// ---------------------------------------------------------------------------------------------
// The device catalogue and the task types.

/// One device kind of the catalogue: speed, and the memory / cost-rate variants it comes in.
struct KindSpec {
    name: &'static str,
    speed: f64,
    /// (memory, cost rate) variants, drawn uniformly per device.
    variants: &'static [(f64, f64)],
    gpu: bool,
}

const KINDS: [KindSpec; 6] = [
    KindSpec {
        name: "h100",
        speed: 4.0,
        variants: &[(80.0, 4.0)],
        gpu: true,
    },
    KindSpec {
        name: "a100",
        speed: 2.5,
        variants: &[(40.0, 2.4), (80.0, 2.8)],
        gpu: true,
    },
    KindSpec {
        name: "v100",
        speed: 1.2,
        variants: &[(16.0, 1.0), (32.0, 1.1)],
        gpu: true,
    },
    KindSpec {
        name: "t4",
        speed: 0.6,
        variants: &[(16.0, 0.5)],
        gpu: true,
    },
    KindSpec {
        name: "accel",
        speed: 1.5,
        variants: &[(32.0, 1.4)],
        gpu: false,
    },
    KindSpec {
        name: "cpu",
        speed: 0.25,
        variants: &[(256.0, 0.2), (512.0, 0.25)],
        gpu: false,
    },
];
const ACCEL: usize = 4;
const CPU: usize = 5;

/// Task types, in stage order (edges only go from a lower stage to a higher one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum TaskType {
    Preprocessing,
    Training,
    FineTuning,
    Inference,
}

const TYPES: [TaskType; 4] = [
    TaskType::Training,
    TaskType::FineTuning,
    TaskType::Inference,
    TaskType::Preprocessing,
];

impl TaskType {
    fn stage(self) -> usize {
        self as usize
    }

    fn prefix(self, family: Family) -> &'static str {
        match (self, family) {
            (TaskType::Preprocessing, _) => "prep",
            (TaskType::Training, _) => "train",
            (TaskType::FineTuning, _) => "finetune",
            (TaskType::Inference, Family::Pipeline) => "eval",
            (TaskType::Inference, _) => "infer",
        }
    }

    /// Work on a speed-1 device.
    fn draw_work(self, rng: &mut ChaCha8Rng) -> f64 {
        match self {
            // Pareto with shape 2 and scale 60 (median 85, 1 % above 600), capped at 3000.
            TaskType::Training => (60.0 / (1.0 - rng.random::<f64>()).sqrt()).min(3000.0),
            TaskType::FineTuning => uniform(rng, 10.0, 120.0),
            TaskType::Inference => uniform(rng, 0.5, 8.0),
            TaskType::Preprocessing => uniform(rng, 5.0, 60.0),
        }
    }

    /// Full memory need (before the tightness scaling), in GB.
    fn draw_memory(self, rng: &mut ChaCha8Rng) -> f64 {
        match self {
            TaskType::Training => uniform(rng, 16.0, 80.0),
            TaskType::FineTuning => uniform(rng, 8.0, 60.0),
            TaskType::Inference => uniform(rng, 2.0, 40.0),
            TaskType::Preprocessing => uniform(rng, 4.0, 128.0),
        }
    }

    fn draw_weight(self, rng: &mut ChaCha8Rng) -> f64 {
        let (lo, hi) = match self {
            TaskType::Training => (1, 3),
            TaskType::FineTuning => (1, 4),
            TaskType::Inference => (2, 10),
            TaskType::Preprocessing => (1, 1),
        };
        f64::from(rng.random_range(lo..=hi))
    }

    /// How the time on a device of kind `k` is written: `None` ⇒ the task uses `work` (time =
    /// work / speed everywhere); `Some(f)` ⇒ per-kind `times`, with `f(k)` the kind's effective
    /// speed for this type (`None`: cannot run there).
    fn affinity(self) -> Option<fn(usize) -> Option<f64>> {
        match self {
            TaskType::Training | TaskType::FineTuning => None,
            // No faster on a GPU than on a CPU core pool (effective speed 1), not on accelerators.
            TaskType::Preprocessing => Some(|k| {
                if k == CPU || KINDS[k].gpu {
                    Some(1.0)
                } else {
                    None
                }
            }),
            // Accelerators run inference 3× faster than their nominal speed.
            TaskType::Inference => Some(|k| {
                Some(if k == ACCEL {
                    3.0 * KINDS[k].speed
                } else {
                    KINDS[k].speed
                })
            }),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// ai-cluster and pipeline.

/// A task being generated: its data plus what the later steps need.
struct Draft {
    ty: TaskType,
    task: Task,
    /// Processing time on each device (infinite where the task cannot run).
    time: Vec<f64>,
    workflow: usize,
}

fn cluster(params: &GeneratorParams, seed: u64) -> (Vec<Device>, Vec<Task>) {
    let family = params.family;
    // Devices: counts per kind by largest remainder, memory/cost variant drawn per device.
    let counts = apportion(params.devices, &params.device_mix.values());
    let mut rng = rng_stream(seed, STREAM_DEVICES);
    let mut devices = Vec::with_capacity(params.devices);
    let mut kind_of = Vec::with_capacity(params.devices);
    for (k, spec) in KINDS.iter().enumerate() {
        for i in 0..counts[k] {
            let (memory, cost_rate) = spec.variants[rng.random_range(0..spec.variants.len())];
            devices.push(Device {
                id: format!("{}-{i}", spec.name),
                kind: Some(spec.name.to_string()),
                speed: spec.speed,
                memory: Some(memory),
                cost_rate,
                capacity: None,
                available_from: 0.0,
            });
            kind_of.push(k);
        }
    }
    let present: Vec<usize> = (0..KINDS.len()).filter(|&k| counts[k] > 0).collect();

    // Task types: counts by largest remainder, in a random order.
    let type_counts = apportion(params.tasks, &params.task_mix.values());
    let mut types: Vec<TaskType> = TYPES
        .iter()
        .zip(&type_counts)
        .flat_map(|(&ty, &c)| std::iter::repeat_n(ty, c))
        .collect();
    let mut rng = rng_stream(seed, STREAM_TASKS);
    types.shuffle(&mut rng);

    let mut drafts: Vec<Draft> = types
        .into_iter()
        .map(|ty| draft_task(ty, params, &devices, &kind_of, &present, &mut rng))
        .collect();
    let horizon = params.release_spread * estimated_makespan(drafts.iter().map(|d| &d.time[..]));

    match family {
        Family::Pipeline => {
            // Workflows of 3 to 10 consecutive tasks (in the shuffled order), each released at
            // once; within a workflow, tasks by stage.
            let mut rng = rng_stream(seed, STREAM_WORKFLOWS);
            let mut start = 0;
            let mut w = 0;
            while start < drafts.len() {
                let size = rng.random_range(3..=10usize).min(drafts.len() - start);
                for d in &mut drafts[start..start + size] {
                    d.workflow = w;
                }
                start += size;
                w += 1;
            }
            let mut rng = rng_stream(seed, STREAM_RELEASES);
            let release: Vec<f64> = (0..w)
                .map(|_| round2(rng.random::<f64>() * horizon))
                .collect();
            for d in &mut drafts {
                d.task.release = release[d.workflow];
            }
            drafts.sort_by(|a, b| {
                a.task
                    .release
                    .total_cmp(&b.task.release)
                    .then(a.workflow.cmp(&b.workflow))
                    .then(a.ty.cmp(&b.ty))
            });
        }
        _ => {
            let mut rng = rng_stream(seed, STREAM_RELEASES);
            for d in &mut drafts {
                d.task.release = round2(rng.random::<f64>() * horizon);
            }
            drafts.sort_by(|a, b| a.task.release.total_cmp(&b.task.release));
        }
    }

    // Ids in file order: `<type>-<k>`, or `w<workflow>-<type>-<k>` in a pipeline (workflows
    // renumbered in file order).
    let mut next = BTreeMap::new();
    let mut renumber = BTreeMap::new();
    for d in &mut drafts {
        let prefix = d.ty.prefix(family);
        if family == Family::Pipeline {
            let fresh = renumber.len();
            let w = *renumber.entry(d.workflow).or_insert(fresh);
            let k = next.entry((w, prefix)).or_insert(0usize);
            d.task.id = format!("w{w}-{prefix}-{k}");
            *k += 1;
        } else {
            let k = next.entry((0, prefix)).or_insert(0usize);
            d.task.id = format!("{prefix}-{k}");
            *k += 1;
        }
    }

    // Edges: each task that has candidates gets ⌊δ⌋ or ⌈δ⌉ of them (mean δ), uniformly.
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); drafts.len()];
    if params.dag_density > 0.0 {
        let mut rng = rng_stream(seed, STREAM_EDGES);
        // Candidates: ai-cluster: every task of a lower stage; pipeline: the tasks of the
        // nearest lower non-empty stage of the same workflow.
        let mut by_stage: Vec<usize> = (0..drafts.len()).collect();
        by_stage.sort_by_key(|&i| drafts[i].ty.stage());
        let below = |s: usize| by_stage.partition_point(|&i| drafts[i].ty.stage() < s);
        let mut by_group: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
        if family == Family::Pipeline {
            for (i, d) in drafts.iter().enumerate() {
                by_group
                    .entry((d.workflow, d.ty.stage()))
                    .or_default()
                    .push(i);
            }
        }
        for (v, d) in drafts.iter().enumerate() {
            let cands: &[usize] = if family == Family::Pipeline {
                by_group
                    .range((d.workflow, 0)..(d.workflow, d.ty.stage()))
                    .next_back()
                    .map_or(&[], |(_, c)| &c[..])
            } else {
                &by_stage[..below(d.ty.stage())]
            };
            if cands.is_empty() {
                continue;
            }
            let k = draw_count(&mut rng, params.dag_density).min(cands.len());
            let mut chosen: Vec<usize> = rand::seq::index::sample(&mut rng, cands.len(), k)
                .into_iter()
                .map(|i| cands[i])
                .collect();
            chosen.sort_unstable();
            preds[v] = chosen;
        }
    }
    let ids: Vec<String> = drafts.iter().map(|d| d.task.id.clone()).collect();
    for (d, p) in drafts.iter_mut().zip(&preds) {
        d.task.after = p.iter().map(|&u| ids[u].clone()).collect();
    }

    // Due dates, by stage so that predecessors come first:
    // due = max(release, max due of the predecessors) + s × fastest time, s ~ U[1, due_slack].
    let mut rng = rng_stream(seed, STREAM_DUES);
    let mut order: Vec<usize> = (0..drafts.len()).collect();
    order.sort_by_key(|&i| drafts[i].ty.stage());
    let mut due = vec![0.0; drafts.len()];
    for &v in &order {
        let ready = preds[v]
            .iter()
            .map(|&u| due[u])
            .fold(drafts[v].task.release, f64::max);
        let fastest = drafts[v].time.iter().copied().fold(f64::INFINITY, f64::min);
        let slack = uniform(&mut rng, 1.0, params.due_slack);
        due[v] = round2(ready + slack * fastest);
        drafts[v].task.due = Some(due[v]);
    }

    (devices, drafts.into_iter().map(|d| d.task).collect())
}

/// Draw one task of type `ty`: work, memory need, weight, and its times (`work` or per-kind).
fn draft_task(
    ty: TaskType,
    params: &GeneratorParams,
    devices: &[Device],
    kind_of: &[usize],
    present: &[usize],
    rng: &mut ChaCha8Rng,
) -> Draft {
    let work = ty.draw_work(rng);
    let memory_full = ty.draw_memory(rng);
    let weight = ty.draw_weight(rng);
    let mut task = Task::new(String::new(), 0.0);
    task.weight = weight;

    // Per-kind effective speeds (None: the task cannot run on that kind).
    let runnable: Option<Vec<(usize, f64)>> = ty.affinity().and_then(|aff| {
        let r: Vec<(usize, f64)> = present
            .iter()
            .filter_map(|&k| aff(k).map(|s| (k, s)))
            .collect();
        // A cluster with none of the type's kinds falls back to `work` on every device.
        (!r.is_empty()).then_some(r)
    });
    let mut kind_time: Vec<Option<f64>> = vec![None; KINDS.len()];
    match runnable {
        None => {
            let w = round2(work).max(0.01);
            task.work = Some(w);
            for &k in present {
                kind_time[k] = Some(w / KINDS[k].speed);
            }
        }
        Some(speeds) => {
            task.work = None;
            let mut times = BTreeMap::new();
            for (k, s) in speeds {
                // ±10 % per kind: the kinds are unrelated machines for these tasks.
                let t = round2(work / s * uniform(rng, 0.9, 1.1)).max(0.01);
                times.insert(KINDS[k].name.to_string(), t);
                kind_time[k] = Some(t);
            }
            task.times = Some(times);
        }
    }
    // Memory: the tightness-scaled need, capped so that the largest device the task can run on
    // still holds it.
    let cap = devices
        .iter()
        .zip(kind_of)
        .filter(|(_, k)| kind_time[**k].is_some())
        .filter_map(|(d, _)| d.memory)
        .fold(0.0, f64::max);
    task.memory = round1(params.memory_tightness * memory_full).min(cap);
    let time = devices
        .iter()
        .zip(kind_of)
        .map(|(d, &k)| match kind_time[k] {
            Some(t) if d.memory.is_none_or(|m| task.memory <= m) => t,
            _ => f64::INFINITY,
        })
        .collect();
    Draft {
        ty,
        task,
        time,
        workflow: 0,
    }
}

// ---------------------------------------------------------------------------------------------
// etc.

fn etc(params: &GeneratorParams, seed: u64) -> (Vec<Device>, Vec<Task>) {
    let (n, m) = (params.tasks, params.devices);
    let devices: Vec<Device> = (0..m).map(|d| Device::new(format!("m{d}"))).collect();
    let (phi_b, phi_r) = (
        params.heterogeneity.task_range(),
        params.heterogeneity.machine_range(),
    );
    let mut rng = rng_stream(seed, STREAM_TASKS);
    let mut rows: Vec<Vec<f64>> = Vec::with_capacity(n);
    for _ in 0..n {
        let baseline = uniform(&mut rng, 1.0, phi_b);
        let mut row: Vec<f64> = (0..m)
            .map(|_| round2(baseline * uniform(&mut rng, 1.0, phi_r)))
            .collect();
        match params.consistency {
            Consistency::Consistent => row.sort_by(f64::total_cmp),
            Consistency::SemiConsistent => {
                let mut even: Vec<f64> = row.iter().copied().step_by(2).collect();
                even.sort_by(f64::total_cmp);
                for (slot, v) in row.iter_mut().step_by(2).zip(even) {
                    *slot = v;
                }
            }
            Consistency::Inconsistent => {}
        }
        rows.push(row);
    }
    let horizon = params.release_spread * estimated_makespan(rows.iter().map(|r| &r[..]));
    let mut rng = rng_stream(seed, STREAM_RELEASES);
    let release: Vec<f64> = (0..n)
        .map(|_| round2(rng.random::<f64>() * horizon))
        .collect();
    // Edges: task v picks its predecessors among the tasks before it.
    let mut rng = rng_stream(seed, STREAM_EDGES);
    let tasks = rows
        .into_iter()
        .enumerate()
        .map(|(t, row)| {
            let mut task = Task::new(format!("t{t}"), 0.0);
            task.work = None;
            task.times = Some(
                row.into_iter()
                    .enumerate()
                    .map(|(d, v)| (format!("m{d}"), v))
                    .collect(),
            );
            task.release = release[t];
            if params.dag_density > 0.0 && t > 0 {
                let k = draw_count(&mut rng, params.dag_density).min(t);
                let mut chosen = rand::seq::index::sample(&mut rng, t, k).into_vec();
                chosen.sort_unstable();
                task.after = chosen.into_iter().map(|u| format!("t{u}")).collect();
            }
            task
        })
        .collect();
    (devices, tasks)
}

// ---------------------------------------------------------------------------------------------
// Helpers.

/// Uniform in [lo, hi).
fn uniform(rng: &mut ChaCha8Rng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * rng.random::<f64>()
}

/// ⌊x⌋ + 1 with probability x − ⌊x⌋: an integer with mean x.
fn draw_count(rng: &mut ChaCha8Rng, x: f64) -> usize {
    let base = x.floor();
    base as usize + usize::from(rng.random::<f64>() < x - base)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The fluid estimate of the makespan: Σ_t 1 / Σ_d 1/p(t, d), each task spread over all its
/// devices (Σ work / Σ speed when every task runs everywhere at work / speed).
fn estimated_makespan<'a>(rows: impl Iterator<Item = &'a [f64]>) -> f64 {
    rows.map(|row| {
        let rate: f64 = row.iter().filter(|p| p.is_finite()).map(|p| 1.0 / p).sum();
        if rate.is_finite() && rate > 0.0 {
            1.0 / rate
        } else {
            0.0
        }
    })
    .sum()
}

/// Split `total` among the entries by largest remainder (ties: lower index first); zero
/// weights get nothing. The weights must not all be 0.
fn apportion(total: usize, weights: &[f64]) -> Vec<usize> {
    let sum: f64 = weights.iter().sum();
    let quota: Vec<f64> = weights.iter().map(|w| w / sum * total as f64).collect();
    let mut counts: Vec<usize> = quota.iter().map(|q| q.floor() as usize).collect();
    let given: usize = counts.iter().sum();
    let mut order: Vec<usize> = (0..weights.len()).filter(|&i| weights[i] > 0.0).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (quota[a] - counts[a] as f64, quota[b] - counts[b] as f64);
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &i in order.iter().cycle().take(total.saturating_sub(given)) {
        counts[i] += 1;
    }
    counts
}

fn check_mix(problems: &mut Vec<String>, what: &str, keys: &[&str], values: &[f64]) {
    for (k, v) in keys.iter().zip(values) {
        if !(v.is_finite() && (0.0..=1.0).contains(v)) {
            problems.push(format!("{what}: {k} must be in [0, 1], got {v}"));
        }
    }
    if values.iter().all(|v| *v == 0.0) {
        problems.push(format!("{what}: at least one share must be positive"));
    }
}

fn parse_name<T: Copy>(
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
    use crate::Instance;
    use crate::io::instance_to_json;

    const SIZES: [(usize, usize); 8] = [
        (1, 1),
        (2, 1),
        (3, 2),
        (10, 3),
        (12, 4),
        (25, 6),
        (60, 8),
        (200, 16),
    ];

    fn params(family: Family, n: usize, m: usize) -> GeneratorParams {
        GeneratorParams::new(family, n, m)
    }

    #[test]
    fn generate_is_deterministic() {
        for family in Family::ALL {
            let p = params(family, 40, 7);
            let a = instance_to_json(&generate(&p, 11).unwrap());
            let b = instance_to_json(&generate(&p, 11).unwrap());
            assert_eq!(a, b, "{family}");
            let c = instance_to_json(&generate(&p, 12).unwrap());
            assert_ne!(a, c, "{family}: different seeds give different instances");
        }
    }

    #[test]
    fn small_cluster_has_a_cpu_host() {
        let data = generate(&params(Family::AiCluster, 12, 3), 1).unwrap();
        let kinds: Vec<&str> = data.devices.iter().map(|d| d.kind()).collect();
        assert_eq!(kinds, ["h100", "a100", "cpu"]);
    }

    #[test]
    fn generate_is_valid_for_many_seeds_and_sizes() {
        for family in Family::ALL {
            for (n, m) in SIZES {
                for seed in 0..200 {
                    let data = generate(&params(family, n, m), seed).unwrap();
                    assert_eq!((data.tasks.len(), data.devices.len()), (n, m));
                    if let Err(e) = Instance::new(data) {
                        panic!("{family} {n}x{m} seed {seed}: {e}");
                    }
                }
            }
        }
    }

    #[test]
    fn generate_is_valid_for_extreme_parameters() {
        let mixes = [
            "cpu=1",
            "accel=1",
            "t4=1",
            "h100=1",
            "accel=1,t4=0.01",
            "v100=0.5,accel=0.5",
        ];
        let task_mixes = [
            "training=1",
            "preprocessing=1",
            "inference=1",
            "fine-tuning=1",
        ];
        for family in [Family::AiCluster, Family::Pipeline] {
            for (i, dm) in mixes.iter().enumerate() {
                for (j, tm) in task_mixes.iter().enumerate() {
                    let mut p = params(family, 30, 1 + (i + j) % 5);
                    p.device_mix = dm.parse().unwrap();
                    p.task_mix = tm.parse().unwrap();
                    p.memory_tightness = 1.0;
                    p.dag_density = 10.0;
                    p.release_spread = 10.0;
                    p.due_slack = 1.0;
                    for seed in 0..20 {
                        let data = generate(&p, seed).unwrap();
                        if let Err(e) = Instance::new(data) {
                            panic!("{family} {dm} {tm} seed {seed}: {e}");
                        }
                    }
                }
            }
        }
        for c in Consistency::ALL {
            for h in Heterogeneity::ALL {
                let mut p = params(Family::Etc, 40, 5);
                p.consistency = c;
                p.heterogeneity = h;
                p.dag_density = 3.0;
                p.release_spread = 1.0;
                for seed in 0..20 {
                    Instance::new(generate(&p, seed).unwrap()).unwrap();
                }
            }
        }
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

    /// Count (task, device) pairs where the task has a time on the device but does not fit in
    /// its memory.
    fn memory_exclusions(data: &InstanceData) -> usize {
        let inst = Instance::new(data.clone()).unwrap();
        let mut count = 0;
        for (t, task) in data.tasks.iter().enumerate() {
            for (d, dev) in data.devices.iter().enumerate() {
                if !inst.is_eligible(t, d) && dev.memory.is_some_and(|m| task.memory > m) {
                    count += 1;
                }
            }
        }
        count
    }

    #[test]
    fn memory_tightness_excludes_small_devices() {
        let mut tight = params(Family::AiCluster, 40, 8);
        tight.memory_tightness = 1.0;
        let mut loose = tight.clone();
        loose.memory_tightness = 0.0;
        for seed in 0..20 {
            let data = generate(&tight, seed).unwrap();
            assert!(memory_exclusions(&data) > 0, "seed {seed}");
            let data = generate(&loose, seed).unwrap();
            assert!(data.tasks.iter().all(|t| t.memory == 0.0));
            assert_eq!(memory_exclusions(&data), 0);
        }
    }

    #[test]
    fn dag_density_controls_edges() {
        for family in Family::ALL {
            let mut p = params(family, 200, 8);
            p.dag_density = 0.0;
            for seed in 0..10 {
                let data = generate(&p, seed).unwrap();
                assert!(data.tasks.iter().all(|t| t.after.is_empty()), "{family}");
            }
        }
        // ai-cluster: every non-preprocessing task has candidates, so the mean is δ.
        let mut p = params(Family::AiCluster, 400, 8);
        p.dag_density = 2.0;
        let data = generate(&p, 5).unwrap();
        let later: Vec<&Task> = data
            .tasks
            .iter()
            .filter(|t| !t.id.starts_with("prep"))
            .collect();
        assert!(later.iter().all(|t| t.after.len() == 2));
        assert!(
            data.tasks
                .iter()
                .filter(|t| t.id.starts_with("prep"))
                .all(|t| t.after.is_empty())
        );
        p.dag_density = 0.5;
        let data = generate(&p, 5).unwrap();
        let with: usize = data.tasks.iter().filter(|t| !t.after.is_empty()).count();
        let later = data
            .tasks
            .iter()
            .filter(|t| !t.id.starts_with("prep"))
            .count();
        let share = with as f64 / later as f64;
        assert!((0.4..0.6).contains(&share), "{share}");
        // pipeline: edges stay inside a workflow.
        let data = generate(&params(Family::Pipeline, 200, 8), 2).unwrap();
        let mut edges = 0;
        for t in &data.tasks {
            let w = t.id.split('-').next().unwrap();
            for p in &t.after {
                assert_eq!(p.split('-').next().unwrap(), w, "{} after {p}", t.id);
                edges += 1;
            }
        }
        assert!(edges > 100, "{edges}");
    }

    #[test]
    fn etc_consistency() {
        let rows = |c: Consistency| -> Vec<Vec<f64>> {
            let mut p = params(Family::Etc, 50, 6);
            p.consistency = c;
            generate(&p, 9)
                .unwrap()
                .tasks
                .iter()
                .map(|t| t.times.as_ref().unwrap().values().copied().collect())
                .collect()
        };
        // BTreeMap order is m0..m5 for 6 machines.
        let sorted = |r: &[f64]| r.windows(2).all(|w| w[0] <= w[1]);
        assert!(rows(Consistency::Consistent).iter().all(|r| sorted(r)));
        let semi = rows(Consistency::SemiConsistent);
        assert!(semi.iter().all(|r| {
            let even: Vec<f64> = r.iter().copied().step_by(2).collect();
            sorted(&even)
        }));
        assert!(!semi.iter().all(|r| sorted(r)));
        assert!(!rows(Consistency::Inconsistent).iter().all(|r| sorted(r)));
        // Ranges: hihi up to 3000 × 1000, lolo below 100 × 10.
        let mut p = params(Family::Etc, 200, 8);
        p.heterogeneity = Heterogeneity::LoLo;
        let data = generate(&p, 1).unwrap();
        let max = data
            .tasks
            .iter()
            .flat_map(|t| t.times.as_ref().unwrap().values().copied())
            .fold(0.0, f64::max);
        assert!((100.0..=1000.0).contains(&max), "{max}");
    }

    #[test]
    fn device_mix_apportions_counts() {
        let count = |m: usize| -> BTreeMap<String, usize> {
            let data = generate(&params(Family::AiCluster, 5, m), 0).unwrap();
            let mut c = BTreeMap::new();
            for d in &data.devices {
                *c.entry(d.kind().to_string()).or_insert(0) += 1;
            }
            c
        };
        let c = count(16);
        assert_eq!(
            c["h100"] + c["a100"] + c["v100"] + c["t4"] + c["accel"] + c["cpu"],
            16
        );
        assert_eq!((c["a100"], c["cpu"]), (4, 3));
        assert_eq!(apportion(7, &[1.0, 0.0, 1.0]), vec![4, 0, 3]);
        assert_eq!(apportion(1, &[0.0, 0.0, 0.3]), vec![0, 0, 1]);
    }

    #[test]
    fn release_spread_zero_releases_everything_at_zero() {
        for family in Family::ALL {
            let mut p = params(family, 50, 5);
            p.release_spread = 0.0;
            let data = generate(&p, 4).unwrap();
            assert!(data.tasks.iter().all(|t| t.release == 0.0), "{family}");
            p.release_spread = 1.0;
            let data = generate(&p, 4).unwrap();
            assert!(data.tasks.iter().any(|t| t.release > 0.0), "{family}");
        }
    }

    #[test]
    fn values_are_rounded() {
        let data = generate(&params(Family::AiCluster, 100, 10), 3).unwrap();
        let two = |x: f64| ((x * 100.0).round() - x * 100.0).abs() < 1e-6;
        for t in &data.tasks {
            assert!(t.work.is_none_or(two) && two(t.release) && t.due.is_none_or(two));
            assert!(t.times.iter().flat_map(|m| m.values()).all(|&x| two(x)));
            assert!(two(t.memory));
        }
    }
}
