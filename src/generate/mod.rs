//! Seeded instance generator: realistic AI-cluster workloads, Braun-style ETC matrices, pipeline
//! DAGs and GPU clusters with shared resources, reproducible byte for byte from a seed.
//!
//! [`generate`] turns [`GeneratorParams`] and a seed into [`InstanceData`] that always passes
//! [`Instance::new`](crate::Instance::new). The same seed and parameters give the same instance on
//! every platform: the random numbers come from ChaCha8 streams (one per aspect of the instance:
//! devices, tasks, releases, edges, due dates, workflows), and the values are drawn with
//! arithmetic and square roots only (no platform-dependent `exp`/`ln`/`powf`: the powers of 10
//! of `gpu-cluster` come from a fixed Taylor series), then rounded to 2 decimals (memory to 1).
//!
//! Five [families](Family):
//!
//! - [`Family::AiCluster`]: a mixed cluster (H100/A100/V100/T4-like GPUs, an inference
//!   accelerator, CPUs) running training, fine-tuning, inference and preprocessing jobs with
//!   memory needs, weights, release and due dates, and optional DAG edges;
//! - [`Family::Etc`]: independent tasks on unrelated machines, the range-based ETC matrices of
//!   Braun et al. (2001) (consistency × task/machine heterogeneity);
//! - [`Family::Pipeline`]: workflows of preprocessing → training → fine-tuning → evaluation stages
//!   (layered DAGs) on the same mixed cluster, for HEFT-style solvers;
//! - [`Family::GpuCluster`]: 8- and 4-GPU servers of three GPU generations (V100, P100, K80)
//!   whose GPUs, CPU cores and memory are shared [resources](crate::Device::resources), running
//!   deep-learning jobs of 1–8 GPUs drawn as in Gavel (Narayanan et al., OSDI 2020), with their
//!   times per GPU type from Gavel's measured throughputs, and a few CPU-only preprocessing jobs;
//! - [`Family::Trace`]: the traces of Gavel's experiments — Poisson arrivals of Gavel's GPU jobs
//!   (single- or multi-GPU mix) on V100, P100 and K80 GPUs pooled into one device per type.
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
//!
//! A GPU cluster: nodes offer resources, jobs demand them and share the nodes.
//!
//! ```
//! use hetsched::generate::{generate, Family, GeneratorParams};
//! let data = generate(&GeneratorParams::new(Family::GpuCluster, 50, 6), 1).unwrap();
//! let node = &data.devices[0];
//! assert_eq!(node.id, "v100-0");
//! assert_eq!(node.resources.as_ref().unwrap()["gpu"], 8.0);
//! assert!(data.tasks.iter().all(|t| t.demand["cpu"] >= 1.0));
//! hetsched::Instance::new(data).unwrap();
//! ```

mod cluster;
mod draw;
mod etc;
mod gavel;
mod gpu_cluster;
pub mod history;
mod options;
mod params;
mod trace;

pub use options::{Consistency, DeviceMix, GpuCounts, Heterogeneity, TaskMix};
pub use params::GeneratorParams;

use crate::error::Error;
use crate::model::InstanceData;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Largest number of tasks [`generate`] accepts.
pub const MAX_TASKS: usize = 1_000_000;
/// Largest number of devices [`generate`] accepts.
pub const MAX_DEVICES: usize = 10_000;
/// Largest tasks × devices [`generate`] accepts for the families whose times differ per device
/// (a loaded instance holds a time per task and device class, about 28 bytes each, and some
/// solvers a dense tasks × devices matrix); `gpu-cluster` has six classes and no such limit.
pub const MAX_ENTRIES: usize = 10_000_000;

/// The `trace` family's arrival rate when none is given: one job per hour.
pub const TRACE_ARRIVAL_RATE: f64 = 1.0;
/// The `trace` family's number of GPUs on the command line when `--devices` is not given:
/// Gavel's 36 V100 + 36 P100 + 36 K80.
pub const TRACE_GPUS: usize = 108;

// Random streams, one per aspect, so that changing one parameter leaves the other aspects alone
// (e.g. the DAG density changes only the edges and the due dates).
const STREAM_DEVICES: u64 = 0;
const STREAM_TASKS: u64 = 1;
const STREAM_RELEASES: u64 = 2;
const STREAM_EDGES: u64 = 3;
const STREAM_DUES: u64 = 4;
const STREAM_WORKFLOWS: u64 = 5;
const STREAM_USERS: u64 = 6;
const STREAM_DATA: u64 = 7;

/// The kind of workload a generator produces.
///
/// ```
/// use hetsched::generate::Family;
/// assert_eq!("pipeline".parse::<Family>(), Ok(Family::Pipeline));
/// assert_eq!(Family::AiCluster.to_string(), "ai-cluster");
/// assert_eq!("gpu-cluster".parse::<Family>(), Ok(Family::GpuCluster));
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
    /// Multi-GPU servers (V100, P100, K80) with shared `gpu`, `cpu` and `mem` resources; Gavel's
    /// deep-learning jobs of 1, 2, 4 or 8 GPUs with measured per-type speeds, and CPU-only
    /// preprocessing jobs.
    GpuCluster,
    /// Gavel's experiments: Poisson arrivals of Gavel's GPU jobs (single- or multi-GPU mix) on
    /// V100, P100 and K80 GPUs pooled into one device per type (`devices` counts GPUs).
    Trace,
}

impl Family {
    /// Every family, in documentation order.
    pub const ALL: [Family; 5] = [
        Family::AiCluster,
        Family::Etc,
        Family::Pipeline,
        Family::GpuCluster,
        Family::Trace,
    ];

    /// The name used on the command line and in instance names.
    pub fn name(self) -> &'static str {
        match self {
            Family::AiCluster => "ai-cluster",
            Family::Etc => "etc",
            Family::Pipeline => "pipeline",
            Family::GpuCluster => "gpu-cluster",
            Family::Trace => "trace",
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
        options::parse_name(s, &Family::ALL, |f| f.name(), "family")
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
    let (devices, mut tasks) = match params.family {
        Family::Etc => etc::etc(params, seed),
        Family::AiCluster | Family::Pipeline => cluster::cluster(params, seed),
        Family::GpuCluster => gpu_cluster::gpu_cluster(params, seed),
        Family::Trace => trace::trace(params, seed),
    };
    if params.users > 0 {
        use rand::Rng;
        let mut rng = crate::solve::meta::rng_stream(seed, STREAM_USERS);
        for task in &mut tasks {
            task.user = Some(format!("u{}", 1 + rng.random_range(0..params.users)));
        }
    }
    let mut data = InstanceData {
        name: Some(params.instance_name(seed)),
        objective: Some(objective.name().to_string()),
        devices,
        tasks,
        network: None,
    };
    // pipeline with a CCR: the edges carry data (drawn in `cluster`); one network bandwidth
    // makes the ratio exact. Without edges there is no ratio to reach, and no network.
    if let Some(ccr) = params.ccr
        && data
            .tasks
            .iter()
            .any(|t| t.after.iter().any(|a| a.data.is_some()))
    {
        data.set_ccr(ccr)?;
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Instance;
    use crate::io::instance_to_json;
    use crate::model::Task;

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
        let mut p = GeneratorParams::new(family, n, m);
        // trace: `devices` counts GPUs and the multi-GPU mix needs 8 per type; the single-GPU
        // mix runs on any cluster (the multi-GPU one is tested in trace.rs).
        if family == Family::Trace {
            p.gpu_counts = GpuCounts::Single;
        }
        p
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
    fn generate_is_valid_for_many_seeds_and_sizes() {
        for family in Family::ALL {
            for (n, m) in SIZES {
                for seed in 0..200 {
                    let data = generate(&params(family, n, m), seed).unwrap();
                    // trace: m GPUs, one device per GPU type present.
                    let devices = if family == Family::Trace { m.min(3) } else { m };
                    assert_eq!((data.tasks.len(), data.devices.len()), (n, devices));
                    if let Err(e) = Instance::new(data) {
                        panic!("{family} {n}x{m} seed {seed}: {e}");
                    }
                }
            }
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
                assert_eq!(
                    p.task.split('-').next().unwrap(),
                    w,
                    "{} after {}",
                    t.id,
                    p.task
                );
                edges += 1;
            }
        }
        assert!(edges > 100, "{edges}");
    }

    #[test]
    fn release_spread_zero_releases_everything_at_zero() {
        // trace has no release spread: its jobs arrive at a rate.
        for family in Family::ALL.into_iter().filter(|&f| f != Family::Trace) {
            let mut p = params(family, 50, 5);
            p.release_spread = 0.0;
            let data = generate(&p, 4).unwrap();
            assert!(data.tasks.iter().all(|t| t.release == 0.0), "{family}");
            p.release_spread = 1.0;
            let data = generate(&p, 4).unwrap();
            assert!(data.tasks.iter().any(|t| t.release > 0.0), "{family}");
        }
    }
}
