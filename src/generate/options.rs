//! The values of the generator's options: the task and device mixes, the ETC consistency and
//! heterogeneity, the GPU counts of the `trace` family; their parsing and printing.

use super::cluster::KINDS;
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
    pub(super) const KEYS: [&'static str; 4] =
        ["training", "fine-tuning", "inference", "preprocessing"];

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
