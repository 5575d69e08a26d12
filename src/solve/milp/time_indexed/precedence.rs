//! The precedence rows of the time-indexed model, through cumulative sums of starts and ends,
//! with the transfer rows of edges that carry data.

// The row families index several per-task vectors with the same task index, as the formulas do.
#![allow(clippy::needless_range_loop)]

use super::Ti;
use crate::solve::milp::model::Built;
use good_lp::{Expression, Variable};

/// For every edge k → j and period τ where it can bind: Σ_{d, s ≤ τ} x[j,d,s] ≤
/// Σ_{d, s + p_kd ≤ τ} x[k,d,s] ("j has started by τ only if k has ended by τ"), written with
/// cumulative variables S_j(τ) and F_k(τ) defined by one short row per period.
///
/// An edge that carries data, with least transfer c > 0 periods between distinct devices, also
/// gets S_j(τ) ≤ F_k(τ − c) + Σ_d s_d ("j has started by τ only if k has ended by τ − c, or both
/// run on one device"), with s_d ≤ x_k on d, s_d ≤ x_j on d as in the disjunctive model's
/// aggregated row; exact on a uniform network. When its links differ, the per-device rows of
/// `transfers.rs` on the aggregated starts add the exact transfer of each pair of devices.
pub(super) fn precedence_rows(ti: &Ti, b: &mut Built) {
    let inst = ti.inst;
    let n = inst.num_tasks();
    // Period ranges where each cumulative sum is needed.
    let first_start = |t: usize| ti.runs[t].iter().map(|r| r.first()).min();
    let last_start = |t: usize| ti.runs[t].iter().map(|r| r.last()).max();
    let first_end = |t: usize| {
        ti.runs[t]
            .iter()
            .map(|r| r.first() + ti.p(t, r.device))
            .min()
    };
    let last_end = |t: usize| {
        ti.runs[t]
            .iter()
            .map(|r| r.last() + ti.p(t, r.device))
            .max()
    };
    let mut need_started: Vec<Option<(i64, i64)>> = vec![None; n];
    let mut need_ended: Vec<Option<(i64, i64)>> = vec![None; n];
    let widen = |r: &mut Option<(i64, i64)>, lo: i64, hi: i64| {
        if lo <= hi {
            *r = Some(r.map_or((lo, hi), |(a, c)| (a.min(lo), c.max(hi))));
        }
    };
    let mut edges = Vec::new();
    let mut transfer_edges = Vec::new();
    for j in 0..n {
        for (idx, &k) in inst.preds(j).iter().enumerate() {
            let (Some(lo), Some(hi)) = (first_start(j), last_end(k).map(|e| e - 1)) else {
                continue;
            };
            if lo <= hi {
                widen(&mut need_started[j], lo, hi);
                widen(&mut need_ended[k], lo, hi);
                edges.push((k, j, lo, hi));
            }
            let Some(costs) = ti.grid.transfer(j, idx) else {
                continue;
            };
            if costs.max > costs.min {
                per_device_transfer_rows(ti, b, k, j, costs);
            }
            let c = costs.min;
            // Beyond j's last start, S_j stays 1 and F_k only grows; from hi + c on, F_k(τ − c)
            // is 1.
            let top = (hi + c).min(last_start(j).unwrap_or(hi));
            if c == 0 || lo > top {
                continue;
            }
            widen(&mut need_started[j], lo, top);
            // F_k(τ − c) is 0 before k's first end.
            let from = (lo - c).max(first_end(k).unwrap_or(lo));
            widen(&mut need_ended[k], from, top - c);
            transfer_edges.push((k, j, lo, top, c));
        }
    }
    let warm_start = |t: usize| ti.warm.as_ref().map(|w| w[t].1);
    let warm_end = |t: usize| ti.warm.as_ref().map(|w| w[t].1 + ti.p(t, w[t].0));
    // started[j] = (lo, S_j(lo..)); ended[k] = (lo, F_k(lo..)).
    let mut started: Vec<Option<(i64, Vec<Variable>)>> = (0..n).map(|_| None).collect();
    let mut ended: Vec<Option<(i64, Vec<Variable>)>> = (0..n).map(|_| None).collect();
    for t in 0..n {
        if let Some((lo, hi)) = need_started[t] {
            started[t] = Some((lo, cumulative(ti, b, t, lo, hi, false, warm_start(t))));
        }
        if let Some((lo, hi)) = need_ended[t] {
            ended[t] = Some((lo, cumulative(ti, b, t, lo, hi, true, warm_end(t))));
        }
    }
    for (k, j, lo, hi) in edges {
        let (slo, s) = started[j].as_ref().expect("built above");
        let (elo, f) = ended[k].as_ref().expect("built above");
        for tau in lo..=hi {
            let e = Expression::from(s[(tau - slo) as usize]) - f[(tau - elo) as usize];
            b.constraints.push(e.leq(0.0));
        }
    }
    for (k, j, lo, top, c) in transfer_edges {
        let together = together(ti, b, k, j);
        let (slo, s) = started[j].as_ref().expect("built above");
        for tau in lo..=top {
            let mut e = together.clone();
            e.add_mul(-1.0, s[(tau - slo) as usize]);
            // F_k(τ − c), when k can have ended by then.
            if let Some((elo, f)) = &ended[k]
                && tau - c >= *elo
                && let Some(&v) = f.get((tau - c - elo) as usize)
            {
                e.add_mul(1.0, v);
            }
            b.constraints.push(e.geq(0.0));
        }
    }
}

/// Σ_d s_d with s_d ≤ Σ_s x[k,d,s] and s_d ≤ Σ_s x[j,d,s], s_d ∈ [0, 1], over the devices both
/// may start on: at an integer point, 1 exactly when k and j run on one device.
fn together(ti: &Ti, b: &mut Built, k: usize, j: usize) -> Expression {
    let mut sum = Expression::with_capacity(ti.runs[k].len());
    for rk in &ti.runs[k] {
        let Some(rj) = ti.runs[j].iter().find(|r| r.device == rk.device) else {
            continue;
        };
        let d = rk.device;
        let warm = ti.warm.as_ref().is_some_and(|w| w[k].0 == d && w[j].0 == d);
        let s = b.columns.continuous(0.0, 1.0, if warm { 1.0 } else { 0.0 });
        for r in [rk, rj] {
            let mut row = Expression::with_capacity(r.vars.len() + 1);
            row.add_mul(1.0, s);
            for &x in &r.vars {
                row.add_mul(-1.0, x);
            }
            b.constraints.push(row.leq(0.0));
        }
        sum.add_mul(1.0, s);
    }
    sum
}

/// The exact transfer of each pair of devices of an edge whose links differ: the per-device
/// rows of `transfers.rs` on the aggregated starts S = Σ s·x and completions C = Σ (s + p)·x,
/// in periods.
fn per_device_transfer_rows(
    ti: &Ti,
    b: &mut Built,
    k: usize,
    j: usize,
    costs: &crate::solve::milp::transfers::EdgeCosts<i64>,
) {
    let mut gap = Expression::with_capacity(0);
    for r in &ti.runs[j] {
        for (s, x) in r.entries() {
            gap.add_mul(s as f64, x);
        }
    }
    for r in &ti.runs[k] {
        let p = ti.p(k, r.device);
        for (s, x) in r.entries() {
            gap.add_mul(-((s + p) as f64), x);
        }
    }
    let assigned = |t: usize| -> Vec<(usize, Expression)> {
        ti.runs[t]
            .iter()
            .map(|r| {
                let mut e = Expression::with_capacity(r.vars.len());
                for &x in &r.vars {
                    e.add_mul(1.0, x);
                }
                (r.device, e)
            })
            .collect()
    };
    let pairs: Vec<(usize, usize, f64)> = costs
        .pairs
        .iter()
        .map(|&(d, e, tau)| (d, e, tau as f64))
        .collect();
    crate::solve::milp::transfers::per_device_rows(
        &mut b.constraints,
        &assigned(k),
        &assigned(j),
        &pairs,
        &gap,
    );
}

/// Cumulative sums of task t's starts (S_t(τ) = Σ_{s ≤ τ} x) or, with `at_end`, of its ends
/// (F_t(τ) = Σ_{s + p ≤ τ} x) for τ in lo..=hi, each a continuous variable defined by one row:
/// V(τ) = V(τ−1) + (the terms at τ), the first one by every term up to lo.
fn cumulative(
    ti: &Ti,
    b: &mut Built,
    t: usize,
    lo: i64,
    hi: i64,
    at_end: bool,
    warm_at: Option<i64>,
) -> Vec<Variable> {
    let len = (hi - lo + 1) as usize;
    // The terms counted at each τ (everything up to lo counts at lo; beyond hi, nowhere).
    let mut terms: Vec<Vec<Variable>> = vec![Vec::new(); len];
    for r in &ti.runs[t] {
        let shift = if at_end { ti.p(t, r.device) } else { 0 };
        for (s, x) in r.entries() {
            let at = (s + shift).max(lo);
            if at <= hi {
                terms[(at - lo) as usize].push(x);
            }
        }
    }
    let mut vars: Vec<Variable> = Vec::with_capacity(len);
    for (i, here) in terms.into_iter().enumerate() {
        let tau = lo + i as i64;
        let warm = warm_at.map_or(0.0, |w| if w <= tau { 1.0 } else { 0.0 });
        let v = b.columns.continuous(0.0, 1.0, warm);
        let mut e = Expression::with_capacity(here.len() + 2);
        e.add_mul(1.0, v);
        for x in here {
            e.add_mul(-1.0, x);
        }
        if let Some(&prev) = vars.last() {
            e.add_mul(-1.0, prev);
        }
        b.constraints.push(e.eq(0.0));
        vars.push(v);
    }
    vars
}
