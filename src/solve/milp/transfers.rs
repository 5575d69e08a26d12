//! Data transfers in the disjunctive model: for every edge k → j that carries data,
//! S_j ≥ C_k + τ(k→j, d, e) when k runs on d and j on e (0 when d = e), linearised without
//! products of assignment variables.
//!
//! The transfer times come from [`Instance::edge_transfer`] (the most specific link, else the
//! network's defaults); nothing here re-derives that rule. Per edge, over the pairs of distinct
//! eligible devices (d, e), let τ_min and τ_max be the least and the largest transfer time:
//!
//! - **Aggregated row** (when τ_min > 0): S_j ≥ C_k + τ_min·(1 − Σ_d s_d), with one continuous
//!   s_d ∈ [0, 1] per device eligible for both and s_d ≤ x_kd, s_d ≤ x_jd. At an integer x, s_d
//!   can be 1 only when both run on d ("same device"), so the row says exactly "τ_min unless on
//!   one device". Its LP value is τ_min·Σ_e max(0, x_je − x_ke), tighter than any per-device row.
//!   When every pair of distinct devices costs the same (a uniform network, the papers' model),
//!   this row alone is exact: 1 row + 2 rows and 1 column per shared device.
//! - **Per-device rows** (only when the edge's link costs differ, τ_max > τ_min): for each device
//!   e of j, S_j ≥ C_k + Σ_{d≠e} τ(d, e)·x_kd − T_e·(1 − x_je) with T_e = max_{d≠e} τ(d, e), and
//!   for each device d of k, S_j ≥ C_k + Σ_{e≠d} τ(d, e)·x_je − T_d·(1 − x_kd). With j on e (k on
//!   d), the sum is exactly the transfer time, k (j) being on one device; otherwise the row is
//!   at most C_k, which precedence already implies. No extra variables.
//!
//! The disjunctive model's horizon grows by Σ_edges τ_max ([`horizon_extra`]): in a semi-active
//! schedule each start is a release or availability, a device predecessor's end, or a graph
//! predecessor's end plus its transfer, so a chain back from any completion passes each task and
//! each edge at most once.

use super::model::Built;
use crate::model::Instance;
use good_lp::{Constraint, Expression, Variable};

/// Transfer times of one edge over the pairs of distinct eligible devices, in the instance's
/// time (`f64`) or in periods of a time grid (`i64`).
#[derive(Debug, Clone)]
pub(super) struct EdgeCosts<T> {
    /// τ(d, e) for each pair (d of k, e of j, d ≠ e).
    pub pairs: Vec<(usize, usize, T)>,
    /// The least τ over the pairs.
    pub min: T,
    /// The largest τ over the pairs.
    pub max: T,
}

/// The costs of the edge from `preds(j)[idx]` to `j`, or `None` when it carries no data or
/// costs nothing on every pair of distinct devices.
pub(super) fn edge_costs(inst: &Instance, j: usize, idx: usize) -> Option<EdgeCosts<f64>> {
    inst.edge_data(j, idx)?;
    let k = inst.preds(j)[idx];
    let mut pairs = Vec::new();
    for &d in inst.eligible(k) {
        for &e in inst.eligible(j) {
            if d != e {
                pairs.push((d, e, inst.edge_transfer(j, idx, d, e)));
            }
        }
    }
    let min = pairs.iter().map(|p| p.2).fold(f64::INFINITY, f64::min);
    let max = pairs.iter().map(|p| p.2).fold(0.0, f64::max);
    (max > 0.0).then_some(EdgeCosts { pairs, min, max })
}

/// Σ over the edges that carry data of their largest transfer time between eligible devices:
/// what transfers can add to the horizon of semi-active schedules (0 without transfers).
pub(super) fn horizon_extra(inst: &Instance) -> f64 {
    if !inst.has_transfers() {
        return 0.0;
    }
    (0..inst.num_tasks())
        .flat_map(|j| (0..inst.preds(j).len()).map(move |idx| (j, idx)))
        .filter_map(|(j, idx)| edge_costs(inst, j, idx))
        .map(|c| c.max)
        .sum()
}

/// The transfer rows of every edge that carries data (see the module documentation); `start`
/// holds the start variables, `warm_dev` the warm start's device of each task.
pub(super) fn transfer_rows(
    inst: &Instance,
    b: &mut Built,
    start: &[Variable],
    warm_dev: &[Option<usize>],
) {
    if !inst.has_transfers() {
        return;
    }
    for j in 0..inst.num_tasks() {
        for (idx, &k) in inst.preds(j).iter().enumerate() {
            let Some(costs) = edge_costs(inst, j, idx) else {
                continue;
            };
            // S_j − C_k, the left-hand side every row shares.
            let mut gap = Expression::with_capacity(b.x[k].len() + b.x[j].len() + 4);
            gap.add_mul(1.0, start[j]);
            gap.add_mul(-1.0, start[k]);
            for &(d, v) in &b.x[k] {
                gap.add_mul(-inst.ptime(k, d), v);
            }
            if costs.min > 0.0 {
                aggregated_row(inst, b, j, k, costs.min, gap.clone(), warm_dev);
            }
            let tol = 1e-9 * costs.max.max(1.0);
            if costs.max - costs.min > tol {
                let assigned = |t: usize| -> Vec<(usize, Expression)> {
                    b.x[t]
                        .iter()
                        .map(|&(d, v)| (d, Expression::from(v)))
                        .collect()
                };
                let (xk, xj) = (assigned(k), assigned(j));
                per_device_rows(&mut b.constraints, &xk, &xj, &costs.pairs, &gap);
            }
        }
    }
}

/// S_j − C_k + τ_min·Σ_d s_d ≥ τ_min, s_d ≤ x_kd, s_d ≤ x_jd for each device d both may use.
fn aggregated_row(
    inst: &Instance,
    b: &mut Built,
    j: usize,
    k: usize,
    tau: f64,
    mut row: Expression,
    warm_dev: &[Option<usize>],
) {
    let shared: Vec<(usize, Variable, Variable)> = b.x[k]
        .iter()
        .filter_map(|&(d, xk)| {
            b.x[j]
                .iter()
                .find(|&&(e, _)| e == d)
                .map(|&(_, xj)| (d, xk, xj))
        })
        .collect();
    for (d, xk, xj) in shared {
        debug_assert!(inst.is_eligible(k, d) && inst.is_eligible(j, d));
        let together = warm_dev[k] == Some(d) && warm_dev[j] == Some(d);
        let s = b
            .columns
            .continuous(0.0, 1.0, if together { 1.0 } else { 0.0 });
        b.constraints.push((Expression::from(s) - xk).leq(0.0));
        b.constraints.push((Expression::from(s) - xj).leq(0.0));
        row.add_mul(tau, s);
    }
    b.constraints.push(row.geq(tau));
}

/// For each device e of j: S_j − C_k − Σ_{d≠e} τ(d, e)·x_kd − T_e·x_je ≥ −T_e; and for each
/// device d of k: S_j − C_k − Σ_{e≠d} τ(d, e)·x_je − T_d·x_kd ≥ −T_d. `gap` is S_j − C_k and
/// `xk`, `xj` the assignment of k and j to each eligible device (a variable in the disjunctive
/// model, a sum of start columns in the time-indexed one), all in the unit of `pairs`.
pub(super) fn per_device_rows(
    rows: &mut Vec<Constraint>,
    xk: &[(usize, Expression)],
    xj: &[(usize, Expression)],
    pairs: &[(usize, usize, f64)],
    gap: &Expression,
) {
    let tau = |d: usize, e: usize| pairs.iter().find(|p| p.0 == d && p.1 == e).map(|p| p.2);
    for (e, x_je) in xj {
        let mut row = gap.clone();
        let mut top = 0.0f64;
        for (d, x_kd) in xk {
            if let Some(t) = tau(*d, *e) {
                row -= t * x_kd.clone();
                top = top.max(t);
            }
        }
        if top > 0.0 {
            row -= top * x_je.clone();
            rows.push(row.geq(-top));
        }
    }
    for (d, x_kd) in xk {
        let mut row = gap.clone();
        let mut top = 0.0f64;
        for (e, x_je) in xj {
            if let Some(t) = tau(*d, *e) {
                row -= t * x_je.clone();
                top = top.max(t);
            }
        }
        if top > 0.0 {
            row -= top * x_kd.clone();
            rows.push(row.geq(-top));
        }
    }
}
