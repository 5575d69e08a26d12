//! Gavel's deep-learning job mix (Narayanan et al., OSDI 2020), shared by the `gpu-cluster` and
//! `trace` families: the three GPU types with their prices, the 26 job types with their measured
//! speed ratios, and the draw of one GPU job as Gavel's `generate_job` makes it.

use super::draw::{exp10, round2, uniform};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A GPU type: its name (the devices' kind) and the price of one GPU-hour.
pub(super) struct GpuType {
    pub(super) name: &'static str,
    /// On-demand price of one GPU-hour in USD (Google Cloud list prices of 2020), the devices'
    /// cost rate.
    pub(super) price: f64,
}

/// The GPU types, in the order of [`JOB_TYPES`]' ratio columns after the reference (V100).
pub(super) const GPU_TYPES: [GpuType; 3] = [
    GpuType {
        name: "v100",
        price: 2.48,
    },
    GpuType {
        name: "p100",
        price: 1.46,
    },
    GpuType {
        name: "k80",
        price: 0.45,
    },
];

/// GPU counts of the jobs: 1, 2, 4, 8 with probabilities 0.7, 0.1, 0.15, 0.05 (Gavel's
/// `_generate_scale_factor`), drawn as the number of thresholds a uniform draw reaches.
pub(super) const GPU_COUNTS: [f64; 4] = [1.0, 2.0, 4.0, 8.0];
const GPU_COUNT_THRESHOLDS: [f64; 3] = [0.7, 0.8, 0.95];

/// Gavel's 26 job types with, for 1, 2, 4 and 8 GPUs, the throughput of the whole job on P100 and
/// on K80 as a fraction of its throughput on V100 (the reference type): the job takes T / ratio
/// on that type when it takes T on V100. Types with a single entry do not run distributed; a
/// ratio of 0 means the job cannot run on that type.
///
/// Derived from `isolated_throughputs_simulation.csv` (the `"null"` entries of
/// `simulation_throughputs.json`) of Gavel, <https://github.com/stanford-futuredata/gavel>, MIT
/// licence, © 2020 Stanford Future Data Systems: Narayanan et al., "Heterogeneity-Aware Cluster
/// Scheduling Policies for Deep Learning Workloads", OSDI 2020. Ratio = steps/s on P100 (K80) ÷
/// steps/s on V100 for the same (model, GPU count), rounded to 3 decimals.
#[rustfmt::skip]
#[allow(clippy::approx_constant)] // measured ratios; 0.318 is not meant as 1/π
pub(super) const JOB_TYPES: [(&str, &[[f64; 2]]); 26] = [
    ("resnet18-b16", &[[1.109, 0.148], [0.608, 0.087], [0.762, 0.130], [0.340, 0.070]]),
    ("resnet18-b32", &[[1.196, 0.240], [0.610, 0.140], [0.846, 0.196], [0.418, 0.129]]),
    ("resnet18-b64", &[[0.926, 0.293], [0.560, 0.169], [0.785, 0.226], [0.469, 0.167]]),
    ("resnet18-b128", &[[0.649, 0.100], [1.010, 0.151], [0.648, 0.100], [0.525, 0.084]]),
    ("resnet18-b256", &[[0.750, 0.086], [0.896, 0.105], [0.998, 0.123], [0.662, 0.086]]),
    ("resnet50-b16", &[[0.794, 0.202], [1.168, 0.310], [1.328, 0.332], [1.610, 0.542]]),
    ("resnet50-b32", &[[0.628, 0.159], [0.900, 0.217], [1.348, 0.318], [1.395, 0.365]]),
    ("resnet50-b64", &[[0.596, 0.141], [0.696, 0.160], [1.097, 0.255], [1.053, 0.264]]),
    ("resnet50-b128", &[[0.635, 0.139], [0.682, 0.000], [0.739, 0.000], [0.965, 0.000]]),
    ("transformer-b16", &[[0.862, 0.494], [1.011, 0.498], [1.057, 0.511], [0.405, 0.260]]),
    ("transformer-b32", &[[0.741, 0.330], [0.842, 0.382], [0.796, 0.350], [0.410, 0.217]]),
    ("transformer-b64", &[[0.591, 0.203], [0.497, 0.193], [0.677, 0.256], [0.402, 0.181]]),
    ("transformer-b128", &[[0.564, 0.180], [0.505, 0.165], [0.619, 0.202], [0.443, 0.170]]),
    ("transformer-b256", &[[1.052, 0.287], [1.019, 0.294], [1.101, 0.318], [0.952, 0.301]]),
    ("a3c", &[[0.792, 0.479]]),
    ("lm-b5", &[[0.832, 0.233], [0.414, 0.174], [0.870, 0.348], [0.191, 0.110]]),
    ("lm-b10", &[[0.944, 0.291], [0.445, 0.184], [0.866, 0.354], [0.208, 0.123]]),
    ("lm-b20", &[[0.899, 0.265], [0.472, 0.180], [0.845, 0.322], [0.235, 0.124]]),
    ("lm-b40", &[[0.791, 0.254], [0.525, 0.175], [0.792, 0.239], [0.285, 0.120]]),
    ("lm-b80", &[[0.749, 0.214], [0.548, 0.172], [0.735, 0.219], [0.359, 0.122]]),
    ("recommendation-b512", &[[2.096, 1.409]]),
    ("recommendation-b1024", &[[2.315, 1.509]]),
    ("recommendation-b2048", &[[2.222, 1.398]]),
    ("recommendation-b4096", &[[2.278, 1.357]]),
    ("recommendation-b8192", &[[1.953, 0.950]]),
    ("cyclegan", &[[0.543, 0.114]]),
];

/// One GPU job of Gavel's mix, before its times are written.
#[derive(Debug, Clone, Copy)]
pub(super) struct GpuJob {
    /// Index of its type in [`JOB_TYPES`].
    pub(super) kind: usize,
    /// Index of its GPU count in [`GPU_COUNTS`] (0: one GPU).
    pub(super) scale: usize,
    /// Its duration on V100, in hours.
    pub(super) hours: f64,
}

impl GpuJob {
    /// The number of GPUs it holds.
    pub(super) fn gpus(&self) -> f64 {
        GPU_COUNTS[self.scale]
    }

    /// The job type's name (`resnet50-b64`), for the id.
    pub(super) fn name(&self) -> &'static str {
        JOB_TYPES[self.kind].0
    }

    /// Its time on each GPU type of [`GPU_TYPES`] where `present` and the measured ratio is
    /// positive: round₂(T / ρ), at least 0.01 (T the V100 time, ρ = 1 on V100).
    pub(super) fn times(&self, present: &[bool]) -> [Option<f64>; 3] {
        let [p100, k80] = JOB_TYPES[self.kind].1[self.scale];
        let mut out = [None; 3];
        for (k, ratio) in [1.0, p100, k80].into_iter().enumerate() {
            if present[k] && ratio > 0.0 {
                out[k] = Some(round2(self.hours / ratio).max(0.01));
            }
        }
        out
    }
}

/// Draw one GPU job as Gavel's `generate_job`: with `multi_gpu`, the GPU count (1, 2, 4, 8
/// with probabilities 0.7, 0.1, 0.15, 0.05), else one GPU without a draw; then a job type
/// uniformly among those that run with that many GPUs (all 26 for one GPU, the 19 distributed
/// ones otherwise); then the duration on V100: 60 · 10^U(1.5, 3) s with probability 0.8, else
/// 60 · 10^U(3, 4) s — here in hours, 10^x / 60.
pub(super) fn draw_gpu_job(rng: &mut ChaCha8Rng, multi_gpu: bool) -> GpuJob {
    let scale = if multi_gpu {
        let r = rng.random::<f64>();
        GPU_COUNT_THRESHOLDS.iter().filter(|&&c| r >= c).count()
    } else {
        0
    };
    let types: Vec<usize> = (0..JOB_TYPES.len())
        .filter(|&j| JOB_TYPES[j].1.len() > scale)
        .collect();
    let kind = types[rng.random_range(0..types.len())];
    let x = if rng.random::<f64>() < 0.8 {
        uniform(rng, 1.5, 3.0)
    } else {
        uniform(rng, 3.0, 4.0)
    };
    GpuJob {
        kind,
        scale,
        hours: exp10(x) / 60.0,
    }
}

/// Arrivals of a Poisson process of `rate` jobs per hour for `n` jobs: the k-th at
/// round₂(Σ_{i ≤ k} −ln(1 − U_i) / rate) (exponential gaps of mean 1/rate).
pub(super) fn poisson_arrivals(rng: &mut ChaCha8Rng, rate: f64, n: usize) -> Vec<f64> {
    let mut at = 0.0;
    (0..n)
        .map(|_| {
            at += -(1.0 - rng.random::<f64>()).ln() / rate;
            round2(at)
        })
        .collect()
}
