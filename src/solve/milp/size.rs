//! Size estimates of the models, checked against the memory limit ([`crate::memory`]) before
//! anything is built: the sequencing models grow with the square of the tasks per device, the
//! time-indexed model with the periods of the grid.

use super::formulation::Formulation;
use super::grid::{Grid, Windows};
use crate::error::Error;
use crate::model::Instance;

/// Peak bytes per model nonzero, good_lp's rows and HiGHS's copies together, measured: the
/// disjunctive model of `ai-cluster-200x16-s1` (407,947 rows, about 2.0 million nonzeros) peaked
/// at 1.24 GB with HiGHS running (`/usr/bin/time -f %M`).
pub(super) const BYTES_PER_NONZERO: u64 = 600;

/// Seconds to build a model and hand it to HiGHS, per nonzero: the makespan model of 50,000
/// tasks × 64 devices (about 9.6 million nonzeros) took about 10 s.
pub(super) const BUILD_SECONDS_PER_NONZERO: f64 = 1e-6;

/// Σ over devices of the pairs of tasks that may both run there: the order pairs of the
/// sequencing models.
fn device_pairs(inst: &Instance) -> u64 {
    let mut on = vec![0u64; inst.num_devices()];
    for t in 0..inst.num_tasks() {
        for &d in inst.eligible(t) {
            on[d] += 1;
        }
    }
    on.iter().map(|&k| k * k.saturating_sub(1) / 2).sum()
}

/// Task–device pairs (the assignment columns).
fn eligible_pairs(inst: &Instance) -> u64 {
    (0..inst.num_tasks())
        .map(|t| inst.eligible(t).len() as u64)
        .sum()
}

/// Nonzeros of the model of `formulation` (for the time-indexed one only its assignment part:
/// see [`time_indexed_bytes`]).
pub(super) fn nonzeros(inst: &Instance, formulation: Formulation) -> u64 {
    let x = eligible_pairs(inst);
    let edges: u64 = (0..inst.num_tasks())
        .map(|t| inst.preds(t).len() as u64)
        .sum();
    match formulation {
        // Two rows of five entries per (pair, shared device).
        Formulation::Disjunctive => 10 * device_pairs(inst) + 4 * x + 4 * edges,
        // One product column and a three-entry row per pair on a device.
        Formulation::WeightedCompletion => 4 * device_pairs(inst) + 3 * x,
        Formulation::Assignment | Formulation::Makespan | Formulation::TimeIndexed => 3 * x,
    }
}

/// Peak bytes of the time-indexed model on `grid` within `windows`: each start column sits in
/// the capacity rows of the periods it covers, its assignment row and the objective, and the
/// propagation keeps a profile per device and period.
pub(super) fn time_indexed_bytes(inst: &Instance, grid: &Grid, windows: &Windows) -> u64 {
    let mut nonzeros = 0u64;
    for t in 0..inst.num_tasks() {
        for &d in inst.eligible(t) {
            let r = windows.starts(grid, t, d);
            let starts = (r.end() - r.start() + 1).max(0) as u64;
            let p = grid.p(t, d).unwrap_or(0).max(0) as u64;
            nonzeros = nonzeros.saturating_add(starts.saturating_mul(p + 2));
        }
    }
    let periods = (windows.lct.iter().max().unwrap_or(&0) - windows.est.iter().min().unwrap_or(&0))
        .max(0) as u64;
    nonzeros
        .saturating_mul(BYTES_PER_NONZERO)
        .saturating_add(periods.saturating_mul(inst.num_devices() as u64 * 16))
}

/// `Ok` when the model of `formulation` fits the memory limit. The time-indexed model was
/// checked when its grid was planned ([`time_indexed_bytes`]), before anything of its size
/// was built.
pub(super) fn check(inst: &Instance, formulation: Formulation) -> Result<(), Error> {
    if formulation == Formulation::TimeIndexed {
        return Ok(());
    }
    let nz = nonzeros(inst, formulation);
    crate::memory::check(
        format!("the {formulation} model ({nz} nonzeros)"),
        nz.saturating_mul(BYTES_PER_NONZERO),
    )
}
