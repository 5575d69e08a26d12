//! Building the MILP with good_lp: variables, one function per constraint family, objective,
//! and the warm start, for each [`Formulation`].
//!
//! Column k of the HiGHS model is the k-th variable added, so every variable goes through
//! [`Columns::add`], which keeps that index and the warm-start value of each column.

// The constraint families index several per-task vectors with the same task index, as the
// formulas in docs/formulations.md do; iterator chains would hide that.
#![allow(clippy::needless_range_loop)]

use super::Formulation;
use crate::model::{Instance, Objective};
use crate::schedule::Schedule;
use good_lp::{Constraint, Expression, ProblemVariables, Variable, variable};

/// Variables in column order, with their warm-start values.
pub(super) struct Columns {
    pub vars: ProblemVariables,
    pub warm: Vec<f64>,
    pub integers: usize,
}

impl Columns {
    pub(super) fn new() -> Self {
        Columns {
            vars: ProblemVariables::new(),
            warm: Vec::new(),
            integers: 0,
        }
    }

    pub(super) fn binary(&mut self, warm: f64) -> Variable {
        self.integers += 1;
        self.warm.push(warm);
        self.vars.add(variable().binary())
    }

    pub(super) fn continuous(&mut self, lo: f64, hi: f64, warm: f64) -> Variable {
        self.warm.push(warm);
        let def = if hi.is_finite() {
            variable().min(lo).max(hi)
        } else {
            variable().min(lo)
        };
        self.vars.add(def)
    }
}

/// Extra side constraints a user may ask for.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Side {
    pub max_tasks: Option<usize>,
    pub min_utilization: Option<f64>,
}

/// The built model, before it is handed to HiGHS.
pub(super) struct Built {
    pub columns: Columns,
    pub constraints: Vec<Constraint>,
    pub objective: Expression,
    /// x[t] = (device, variable) for each eligible device of task t.
    pub x: Vec<Vec<(usize, Variable)>>,
    /// Start variable of each task (disjunctive formulation only).
    pub start: Vec<Option<Variable>>,
    /// Constant added to the MILP objective to obtain the schedule's objective value.
    pub offset: f64,
    /// True when the columns' warm-start values form the warm schedule (false when it had no
    /// place in the model, e.g. a time-indexed model's windows).
    pub warm_usable: bool,
    /// Where the start columns of a time-indexed model are (`None` for the other formulations).
    pub layout: Option<super::time_indexed::Layout>,
}

impl Built {
    pub fn num_rows(&self) -> usize {
        self.constraints.len()
    }
    pub fn num_cols(&self) -> usize {
        self.columns.warm.len()
    }
}

/// Upper bound on any start time in some optimal schedule of a regular objective: every task can
/// start by the latest release/availability plus the sum of every task's longest processing time.
pub(super) fn horizon(inst: &Instance) -> f64 {
    let r = inst.tasks().iter().map(|t| t.release).fold(0.0, f64::max);
    let a = inst
        .devices()
        .iter()
        .map(|d| d.available_from)
        .fold(0.0, f64::max);
    let p: f64 = (0..inst.num_tasks())
        .map(|t| {
            inst.eligible(t)
                .iter()
                .map(|&d| inst.ptime(t, d))
                .fold(0.0, f64::max)
        })
        .sum();
    r.max(a) + p
}

/// Build the model of `formulation` for `inst`; `warm` (a feasible schedule) fills warm-start values.
pub(super) fn build(
    inst: &Instance,
    formulation: Formulation,
    side: Side,
    warm: Option<&Schedule>,
) -> Built {
    let n = inst.num_tasks();
    let m = inst.num_devices();
    let mut cols = Columns::new();
    let warm_dev: Vec<Option<usize>> = match warm.and_then(|s| s.device_of(n)) {
        Some(v) => v.into_iter().map(Some).collect(),
        None => vec![None; n],
    };
    let warm_start: Vec<f64> = match warm {
        Some(s) => {
            let mut v = vec![0.0; n];
            for a in &s.assignments {
                v[a.task] = a.start;
            }
            v
        }
        None => vec![0.0; n],
    };

    // Assignment variables x[t][d], for eligible pairs only.
    let x: Vec<Vec<(usize, Variable)>> = (0..n)
        .map(|t| {
            inst.eligible(t)
                .iter()
                .map(|&d| {
                    let w = if warm_dev[t] == Some(d) { 1.0 } else { 0.0 };
                    (d, cols.binary(w))
                })
                .collect()
        })
        .collect();

    let mut b = Built {
        columns: cols,
        constraints: Vec::new(),
        objective: Expression::with_capacity(0),
        x,
        start: vec![None; n],
        offset: 0.0,
        warm_usable: warm.is_some(),
        layout: None,
    };
    assign_once(&mut b);
    device_capacity(inst, &mut b);
    if let Some(k) = side.max_tasks {
        max_tasks(m, k, &mut b);
    }

    let warm_value = warm.map(|s| s.metrics(inst));
    match formulation {
        Formulation::Assignment => {
            b.objective = assignment_objective(inst, &b);
            if let Some(u) = side.min_utilization {
                // Without sequencing, the horizon is the makespan of loads: C ≥ a_d·used + load_d.
                let cmax = makespan_of_loads(
                    inst,
                    &mut b,
                    &warm_dev,
                    warm_value.as_ref().map(|w| w.makespan),
                );
                min_utilization(inst, u, cmax, &mut b);
            }
        }
        Formulation::Makespan => {
            let cmax = makespan_of_loads(
                inst,
                &mut b,
                &warm_dev,
                warm_value.as_ref().map(|w| w.makespan),
            );
            b.objective = Expression::from(cmax);
            if let Some(u) = side.min_utilization {
                min_utilization(inst, u, cmax, &mut b);
            }
        }
        Formulation::WeightedCompletion => {
            b.objective = weighted_completion_smith(inst, &mut b, &warm_dev);
        }
        Formulation::Disjunctive => {
            disjunctive(inst, side, &mut b, &warm_dev, &warm_start, warm);
        }
        Formulation::TimeIndexed => {
            unreachable!("the time-indexed model is built by time_indexed::build")
        }
    }
    b
}

/// Σ_d x[t][d] = 1 for every task.
fn assign_once(b: &mut Built) {
    for row in &b.x {
        let mut e = Expression::with_capacity(row.len());
        for &(_, v) in row {
            e.add_mul(1.0, v);
        }
        b.constraints.push(e.eq(1.0));
    }
}

fn load_expr(inst: &Instance, b: &Built, d: usize) -> Expression {
    let mut e = Expression::with_capacity(inst.num_tasks());
    for (t, row) in b.x.iter().enumerate() {
        for &(dd, v) in row {
            if dd == d {
                e.add_mul(inst.ptime(t, d), v);
            }
        }
    }
    e
}

/// Σ_t p[t][d] x[t][d] ≤ capacity_d for every device with a capacity.
fn device_capacity(inst: &Instance, b: &mut Built) {
    for (d, dev) in inst.devices().iter().enumerate() {
        if let Some(cap) = dev.capacity {
            let e = load_expr(inst, b, d);
            b.constraints.push(e.leq(cap));
        }
    }
}

/// Σ_t x[t][d] ≤ k for every device.
fn max_tasks(m: usize, k: usize, b: &mut Built) {
    for d in 0..m {
        let mut e = Expression::with_capacity(b.x.len());
        for row in &b.x {
            for &(dd, v) in row {
                if dd == d {
                    e.add_mul(1.0, v);
                }
            }
        }
        b.constraints.push(e.leq(k as f64));
    }
}

/// Σ c[t][d] x[t][d] (assignment cost) or Σ cost_rate_d p[t][d] x[t][d] (total cost); for the
/// other objectives this is only used when the instance's objective is a cost.
fn assignment_objective(inst: &Instance, b: &Built) -> Expression {
    let mut e = Expression::with_capacity(b.num_cols());
    for (t, row) in b.x.iter().enumerate() {
        for &(d, v) in row {
            let c = match inst.objective() {
                Objective::AssignmentCost => inst.cost(t, d),
                _ => inst.device(d).cost_rate * inst.ptime(t, d),
            };
            e.add_mul(c, v);
        }
    }
    e
}

/// C ≥ available_from_d · used_d + load_d for every device, with used_d ≥ x[t][d] (only for
/// devices available later than 0, so an idle late device does not raise the makespan).
fn makespan_of_loads(
    inst: &Instance,
    b: &mut Built,
    warm_dev: &[Option<usize>],
    warm: Option<f64>,
) -> Variable {
    let cmax = b
        .columns
        .continuous(0.0, f64::INFINITY, warm.unwrap_or(0.0));
    for (d, dev) in inst.devices().iter().enumerate() {
        let mut e = load_expr(inst, b, d);
        if dev.available_from > 0.0 {
            let used_warm = warm_dev.contains(&Some(d));
            let used = b.columns.binary(if used_warm { 1.0 } else { 0.0 });
            for row in &b.x {
                for &(dd, v) in row {
                    if dd == d {
                        b.constraints.push((Expression::from(v) - used).leq(0.0));
                    }
                }
            }
            e.add_mul(dev.available_from, used);
        }
        b.constraints.push((e - cmax).leq(0.0));
    }
    cmax
}

/// Σ_d load_d ≥ U · m · Cmax: mean device utilization over [0, Cmax] at least U.
fn min_utilization(inst: &Instance, u: f64, cmax: Variable, b: &mut Built) {
    let mut e = Expression::with_capacity(b.num_cols());
    for (t, row) in b.x.iter().enumerate() {
        for &(d, v) in row {
            e.add_mul(inst.ptime(t, d), v);
        }
    }
    e.add_mul(-u * inst.num_devices() as f64, cmax);
    b.constraints.push(e.geq(0.0));
}

/// R‖Σw·C without releases or precedence: on each device Smith's order is optimal, so
///   Σ_t w_t C_t = Σ_{t,d} w_t (a_d + p_td) x_td + Σ_d Σ_{k before t in Smith order on d} w_t p_kd x_td x_kd,
/// with each product x_td·x_kd linearised by y ≥ x_td + x_kd − 1, y ≥ 0 (its cost is ≥ 0, so
/// the minimum sets y to the product).
fn weighted_completion_smith(
    inst: &Instance,
    b: &mut Built,
    warm_dev: &[Option<usize>],
) -> Expression {
    let n = inst.num_tasks();
    let mut obj = Expression::with_capacity(b.num_cols() * 2);
    let mut xv = vec![Vec::<Option<Variable>>::new(); n];
    for (t, row) in b.x.iter().enumerate() {
        xv[t] = vec![None; inst.num_devices()];
        for &(d, v) in row {
            xv[t][d] = Some(v);
            let w = inst.task(t).weight;
            obj.add_mul(w * (inst.device(d).available_from + inst.ptime(t, d)), v);
        }
    }
    for d in 0..inst.num_devices() {
        let mut on: Vec<usize> = (0..n).filter(|&t| xv[t][d].is_some()).collect();
        on.sort_by(|&a, &c| {
            inst.smith_ratio(a, d)
                .total_cmp(&inst.smith_ratio(c, d))
                .then(a.cmp(&c))
        });
        for (i, &k) in on.iter().enumerate() {
            for &t in &on[i + 1..] {
                let coef = inst.task(t).weight * inst.ptime(k, d);
                if coef <= 0.0 {
                    continue;
                }
                let both = warm_dev[t] == Some(d) && warm_dev[k] == Some(d);
                let y = b.columns.continuous(0.0, 1.0, if both { 1.0 } else { 0.0 });
                let (xt, xk) = (xv[t][d].unwrap(), xv[k][d].unwrap());
                b.constraints
                    .push((Expression::from(y) - xt - xk).geq(-1.0));
                obj.add_mul(coef, y);
            }
        }
    }
    obj
}

/// General sequencing model with start times S_t, completion C_t = S_t + Σ_d p_td x_td:
/// S_t ≥ release_t; S_t ≥ a_d x_td; C_k ≤ S_t for k in after(t); for each pair (t, k) that can
/// share a device, an order variable z (1: t before k) and, per shared device d,
///   S_k ≥ S_t + p_td − M (3 − x_td − x_kd − z),   S_t ≥ S_k + p_kd − M (2 − x_td − x_kd + z),
/// with M = the horizon (latest release/availability + Σ longest times, + Σ largest transfer
/// times with transfers); for each edge that carries data, the transfer rows of
/// `transfers.rs`. Objective per the
/// instance's objective (Cmax, Σ w C, Σ w T with T_t ≥ C_t − due_t, or the cost sums).
fn disjunctive(
    inst: &Instance,
    side: Side,
    b: &mut Built,
    warm_dev: &[Option<usize>],
    warm_start: &[f64],
    warm: Option<&Schedule>,
) {
    let n = inst.num_tasks();
    // Transfers can delay a semi-active schedule's starts by up to Σ_edges τ_max (0 without).
    let h = horizon(inst) + super::transfers::horizon_extra(inst);
    let big_m = h;
    let warm_end: Vec<f64> = (0..n)
        .map(|t| warm_dev[t].map_or(0.0, |d| warm_start[t] + inst.ptime(t, d)))
        .collect();
    let warm_key: Vec<(f64, f64, usize)> =
        (0..n).map(|t| (warm_start[t], warm_end[t], t)).collect();
    let start: Vec<Variable> = (0..n)
        .map(|t| b.columns.continuous(inst.task(t).release, h, warm_start[t]))
        .collect();
    let completion = |t: usize, b: &Built| -> Expression {
        let mut e = Expression::with_capacity(b.x[t].len() + 1);
        e.add_mul(1.0, start[t]);
        for &(d, v) in &b.x[t] {
            e.add_mul(inst.ptime(t, d), v);
        }
        e
    };
    // Device availability.
    for t in 0..n {
        for &(d, v) in &b.x[t] {
            let a = inst.device(d).available_from;
            if a > inst.task(t).release {
                let mut e = Expression::from(start[t]);
                e.add_mul(-a, v);
                b.constraints.push(e.geq(0.0));
            }
        }
    }
    // Precedence.
    for t in 0..n {
        for &k in inst.preds(t) {
            let e = completion(k, b) - start[t];
            b.constraints.push(e.leq(0.0));
        }
    }
    // Data transfers: S_j ≥ C_k + τ(k → j, device of k, device of j) (nothing without them).
    super::transfers::transfer_rows(inst, b, &start, warm_dev);
    // No overlap on a shared device.
    for t in 0..n {
        for k in t + 1..n {
            let shared: Vec<(usize, Variable, Variable)> = b.x[t]
                .iter()
                .filter_map(|&(d, vt)| {
                    b.x[k]
                        .iter()
                        .find(|&&(dk, _)| dk == d)
                        .map(|&(_, vk)| (d, vt, vk))
                })
                .collect();
            if shared.is_empty() {
                continue;
            }
            let before = warm_key[t].partial_cmp(&warm_key[k]) == Some(std::cmp::Ordering::Less);
            let z_warm = if before { 1.0 } else { 0.0 };
            let z = b.columns.binary(z_warm);
            for (d, vt, vk) in shared {
                // t before k: S_k ≥ S_t + p_td − M(3 − x_td − x_kd − z)
                let mut e1 = Expression::from(start[k]) - start[t];
                e1.add_mul(-big_m, vt);
                e1.add_mul(-big_m, vk);
                e1.add_mul(-big_m, z);
                b.constraints.push(e1.geq(inst.ptime(t, d) - 3.0 * big_m));
                // k before t: S_t ≥ S_k + p_kd − M(2 − x_td − x_kd + z)
                let mut e2 = Expression::from(start[t]) - start[k];
                e2.add_mul(-big_m, vt);
                e2.add_mul(-big_m, vk);
                e2.add_mul(big_m, z);
                b.constraints.push(e2.geq(inst.ptime(k, d) - 2.0 * big_m));
            }
        }
    }
    let warm_metrics = warm.map(|s| s.metrics(inst));
    let needs_cmax = inst.objective() == Objective::Makespan || side.min_utilization.is_some();
    let cmax = needs_cmax.then(|| {
        let c = b.columns.continuous(
            0.0,
            f64::INFINITY,
            warm_metrics.as_ref().map_or(0.0, |m| m.makespan),
        );
        for t in 0..n {
            let e = completion(t, b) - c;
            b.constraints.push(e.leq(0.0));
        }
        c
    });
    if let (Some(u), Some(c)) = (side.min_utilization, cmax) {
        min_utilization(inst, u, c, b);
    }
    b.objective = match inst.objective() {
        Objective::Makespan => Expression::from(cmax.expect("created for makespan")),
        Objective::WeightedCompletion => {
            let mut e = Expression::with_capacity(b.num_cols());
            for t in 0..n {
                let w = inst.task(t).weight;
                e.add_mul(w, start[t]);
                for &(d, v) in &b.x[t] {
                    e.add_mul(w * inst.ptime(t, d), v);
                }
            }
            e
        }
        Objective::WeightedTardiness => {
            let mut e = Expression::with_capacity(n);
            for t in 0..n {
                let task = inst.task(t);
                let (Some(due), true) = (task.due, task.weight > 0.0) else {
                    continue;
                };
                let tard = b
                    .columns
                    .continuous(0.0, f64::INFINITY, (warm_end[t] - due).max(0.0));
                let c = completion(t, b) - tard;
                b.constraints.push(c.leq(due));
                e.add_mul(task.weight, tard);
            }
            e
        }
        Objective::TotalCost | Objective::AssignmentCost => assignment_objective(inst, b),
    };
    b.start = start.into_iter().map(Some).collect();
}
