//! The time-indexed formulation: x[t, d, s] = 1 when task t starts on device d at period s.
//!
//! Row families, one function each, called in order by [`build`]:
//! - [`assign_once`]: Σ_{d,s} x[t,d,s] = 1;
//! - [`resource_rows`]: per device, resource and period, the starts whose run covers the period
//!   use at most the capacity — written as a running count
//!   z[d,q] = z[d,q−1] + (amounts starting at q) − (amounts ending at q), 0 ≤ z ≤ capacity, which
//!   has the same LP as Σ_{covering starts} a·x ≤ capacity with about 2 non-zeros per task and
//!   period instead of p. A device that runs one task at a time has one such row family with
//!   amount 1 and capacity 1; a device with `resources` one per resource (the tasks' demands,
//!   [`device_rows`]) and, when exclusive tasks may run there, one counting tasks in which an
//!   exclusive task counts as all of them;
//! - [`zero_length_rows`]: a zero-length task may not sit strictly inside another task's run (on a
//!   shared device: when one of the two is exclusive);
//! - [`precedence_rows`]: "j has started by τ" ≤ "k has ended by τ" for every edge k → j and
//!   period τ where it can bind, through cumulative sums (the strong, disaggregated form); for
//!   an edge that carries data, also "j has started by τ" ≤ "k has ended by τ − c, or both run
//!   on one device" (c the least transfer), and per-device rows when its links differ;
//! - [`busy_budget_rows`], [`max_tasks_rows`]: the devices' capacities (busy time) and the
//!   optional task count per device;
//! - the objective with exact coefficients per start: w·(s+p)·u, w·max(0, (s+p)·u − due),
//!   costs per device, or C_max ≥ (s+p)·u·x for makespan.

// The row families index several per-task vectors with the same task index, as the formulas do.
#![allow(clippy::needless_range_loop)]

mod precedence;

use super::grid::{Cells, Grid};
use super::model::{Built, Columns, Side};
use crate::model::{Instance, Objective};
use crate::schedule::Schedule;
use good_lp::{Expression, Variable};

/// Where each start column of a time-indexed model is: the first `cells.len()` columns.
#[derive(Debug, Clone)]
pub(super) struct Layout {
    /// Length of a period.
    pub unit: f64,
    /// (task, device, start period) of each start column, in column order.
    pub cells: Vec<(usize, usize, i64)>,
}

impl Layout {
    /// Device and start time of each task from the columns' values (the largest x of each task).
    pub fn decode(&self, x: &[f64], n: usize) -> (Vec<usize>, Vec<f64>) {
        let mut best = vec![(f64::NEG_INFINITY, usize::MAX, 0i64); n];
        for (k, &(t, d, s)) in self.cells.iter().enumerate() {
            if x[k] > best[t].0 {
                best[t] = (x[k], d, s);
            }
        }
        let device_of = best.iter().map(|b| b.1).collect();
        let starts = best.iter().map(|b| b.2 as f64 * self.unit).collect();
        (device_of, starts)
    }
}

/// The objective coefficient of task t starting on device d at period s, for the objectives
/// that are sums over tasks (not makespan): w·(s+p)·u, w·max(0, (s+p)·u − due), or the cost.
pub(super) fn cell_cost(inst: &Instance, grid: &Grid, t: usize, d: usize, s: i64) -> f64 {
    let task = inst.task(t);
    let p = grid.p(t, d).expect("cells exist only on eligible devices");
    let end = (s + p) as f64 * grid.unit;
    match inst.objective() {
        Objective::WeightedCompletion => task.weight * end,
        Objective::WeightedTardiness => task
            .due
            .map_or(0.0, |due| task.weight * (end - due).max(0.0)),
        Objective::TotalCost => inst.device(d).cost_rate * inst.ptime(t, d),
        Objective::AssignmentCost => inst.cost(t, d),
        Objective::Makespan => 0.0,
    }
}

/// The start variables of one task on one device, at the periods `starts` (increasing).
struct Run {
    device: usize,
    starts: Vec<i64>,
    vars: Vec<Variable>,
}

impl Run {
    /// The starts in `lo..=hi`, with their variables.
    fn between(&self, lo: i64, hi: i64) -> impl Iterator<Item = (i64, Variable)> + '_ {
        let a = self.starts.partition_point(|&s| s < lo);
        let b = self.starts.partition_point(|&s| s <= hi);
        (a..b.max(a)).map(|i| (self.starts[i], self.vars[i]))
    }
    fn entries(&self) -> impl Iterator<Item = (i64, Variable)> + '_ {
        self.starts.iter().copied().zip(self.vars.iter().copied())
    }
    fn first(&self) -> i64 {
        self.starts[0]
    }
    fn last(&self) -> i64 {
        *self.starts.last().expect("runs are not empty")
    }
}

/// The model under construction.
struct Ti<'a> {
    inst: &'a Instance,
    grid: &'a Grid,
    /// Start variables of each task, per eligible device with a start left.
    runs: Vec<Vec<Run>>,
    /// Warm start: (device, start period) of each task.
    warm: Option<Vec<(usize, i64)>>,
}

impl Ti<'_> {
    fn p(&self, t: usize, d: usize) -> i64 {
        self.grid
            .p(t, d)
            .expect("runs exist only on eligible devices")
    }
    fn warm_at(&self, t: usize, d: usize, s: i64) -> f64 {
        match &self.warm {
            Some(w) if w[t] == (d, s) => 1.0,
            _ => 0.0,
        }
    }
}

/// Build the time-indexed model of `inst` over `cells` (those with `keep[cell]`, or all);
/// `warm` (a feasible schedule, semi-active on an exact grid) fills the warm-start values when
/// every one of its cells is in the model (`Built::warm_usable` says whether it was).
pub(super) fn build(
    inst: &Instance,
    grid: &Grid,
    cells: &Cells,
    keep: Option<&[bool]>,
    side: Side,
    warm: Option<&Schedule>,
) -> Built {
    let n = inst.num_tasks();
    let mut cols = Columns::new();
    let kept = |k: usize| keep.is_none_or(|m| m[k]);

    // The warm start's cells, if every one is in the model.
    let warm_cells: Option<Vec<(usize, i64)>> = warm.and_then(|sch| {
        let mut at = vec![None; n];
        for a in &sch.assignments {
            at[a.task] = Some((a.device, grid.floor(a.start)));
        }
        at.into_iter()
            .enumerate()
            .map(|(t, c)| {
                c.filter(|&(d, s)| {
                    cells.runs[t].iter().any(|r| {
                        r.device == d
                            && s >= r.first
                            && s < r.first + r.len as i64
                            && kept(r.offset + (s - r.first) as usize)
                    })
                })
            })
            .collect()
    });

    let mut ti = Ti {
        inst,
        grid,
        runs: Vec::with_capacity(n),
        warm: warm_cells,
    };
    let mut layout_cells = Vec::new();
    for t in 0..n {
        let mut runs = Vec::new();
        for r in &cells.runs[t] {
            let (mut starts, mut vars) = (Vec::new(), Vec::new());
            for i in (0..r.len).filter(|&i| kept(r.offset + i)) {
                let s = r.first + i as i64;
                layout_cells.push((t, r.device, s));
                starts.push(s);
                vars.push(cols.binary(ti.warm_at(t, r.device, s)));
            }
            if !starts.is_empty() {
                runs.push(Run {
                    device: r.device,
                    starts,
                    vars,
                });
            }
        }
        ti.runs.push(runs);
    }
    let layout = Layout {
        unit: grid.unit,
        cells: layout_cells,
    };

    let mut b = Built {
        columns: cols,
        constraints: Vec::new(),
        objective: Expression::with_capacity(0),
        x: Vec::new(),
        start: Vec::new(),
        offset: 0.0,
        warm_usable: ti.warm.is_some(),
        layout: Some(layout),
    };
    assign_once(&ti, &mut b);
    for d in 0..inst.num_devices() {
        device_rows(&ti, d, &mut b);
        zero_length_rows(&ti, d, &mut b);
    }
    precedence::precedence_rows(&ti, &mut b);
    busy_budget_rows(&ti, &mut b);
    if let Some(k) = side.max_tasks {
        max_tasks_rows(&ti, k, &mut b);
    }
    objective(&ti, side, &mut b);
    b
}

/// Σ_{d,s} x[t,d,s] = 1 for every task (a task with no start column makes the model infeasible,
/// which the `0 = 1` row says).
fn assign_once(ti: &Ti, b: &mut Built) {
    for runs in &ti.runs {
        let mut e = Expression::with_capacity(runs.iter().map(|r| r.vars.len()).sum());
        for r in runs {
            for &v in &r.vars {
                e.add_mul(1.0, v);
            }
        }
        b.constraints.push(e.eq(1.0));
    }
}

/// The capacity rows of device d: one task at a time, or, on a device with `resources` that some
/// task shares, its resources' capacities and the exclusive tasks' claim on all of it.
fn device_rows(ti: &Ti, d: usize, b: &mut Built) {
    let inst = ti.inst;
    if !(inst.has_sharing() && inst.offers_resources(d)) {
        resource_rows(ti, d, &|_| 1.0, 1.0, b);
        return;
    }
    let on: Vec<usize> = (0..inst.num_tasks())
        .filter(|&t| ti.runs[t].iter().any(|r| r.device == d) && ti.p(t, d) > 0)
        .collect();
    for k in 0..inst.num_resources() {
        let cap = inst.resource_capacity(d, k);
        let amount = |t: usize| {
            if inst.is_exclusive(t) {
                0.0
            } else {
                inst.demand_of(t)[k]
            }
        };
        // Rows only where the tasks that may run here could exceed the capacity together.
        if cap > 0.0 && on.iter().map(|&t| amount(t)).sum::<f64>() > cap {
            resource_rows(ti, d, &amount, cap, b);
        }
    }
    if on.iter().any(|&t| inst.is_exclusive(t)) {
        // Tasks running: an exclusive task counts as all of them, so it runs alone.
        let all = on.len() as f64;
        let count = |t: usize| if inst.is_exclusive(t) { all } else { 1.0 };
        resource_rows(ti, d, &count, all, b);
    }
    // Cliques of tasks no two of which can run together here: at most one of them at a time.
    for clique in incompatible_cliques(inst, d, &on) {
        let mut member = vec![false; inst.num_tasks()];
        clique.iter().for_each(|&t| member[t] = true);
        resource_rows(ti, d, &|t| if member[t] { 1.0 } else { 0.0 }, 1.0, b);
    }
}

/// Most cliques [`incompatible_cliques`] returns per device.
const MAX_CLIQUES: usize = 64;

/// Cliques (of 3 tasks or more) of the tasks `on` device d that can never overlap there: a
/// resource both demand more of than the capacity, an exclusive task, or a precedence path
/// between them. Greedy: from each task, by decreasing number of incompatible tasks, grow a
/// clique in that order; duplicates are dropped. Each gives a row per period ("at most one of
/// them runs"), which the resource rows do not imply in the LP relaxation (Christofides, Alvarez-
/// Valdes & Tamarit 1987).
fn incompatible_cliques(inst: &Instance, d: usize, on: &[usize]) -> Vec<Vec<usize>> {
    let k = on.len();
    if k < 3 {
        return Vec::new();
    }
    let r = inst.num_resources();
    let reach = precedence_reach(inst, on);
    let clash = |i: usize, j: usize| -> bool {
        let (a, b) = (on[i], on[j]);
        inst.is_exclusive(a)
            || inst.is_exclusive(b)
            || reach[i][j]
            || reach[j][i]
            || (0..r).any(|x| {
                let cap = inst.resource_capacity(d, x);
                inst.demand_of(a)[x] + inst.demand_of(b)[x] > cap * (1.0 + 1e-9) + 1e-9
            })
    };
    let mut adj = vec![vec![false; k]; k];
    for i in 0..k {
        for j in i + 1..k {
            let c = clash(i, j);
            adj[i][j] = c;
            adj[j][i] = c;
        }
    }
    let degree: Vec<usize> = adj
        .iter()
        .map(|row| row.iter().filter(|&&c| c).count())
        .collect();
    let mut by_degree: Vec<usize> = (0..k).collect();
    by_degree.sort_by(|&a, &b| degree[b].cmp(&degree[a]).then(a.cmp(&b)));
    let mut cliques: Vec<Vec<usize>> = Vec::new();
    for &seed in &by_degree {
        if degree[seed] < 2 {
            break;
        }
        let mut clique = vec![seed];
        for &c in &by_degree {
            if c != seed && clique.iter().all(|&m| adj[m][c]) {
                clique.push(c);
            }
        }
        if clique.len() >= 3 {
            let mut tasks: Vec<usize> = clique.iter().map(|&i| on[i]).collect();
            tasks.sort_unstable();
            if !cliques.contains(&tasks) {
                cliques.push(tasks);
                if cliques.len() >= MAX_CLIQUES {
                    break;
                }
            }
        }
    }
    cliques
}

/// reach[i][j]: a precedence path leads from on[i] to on[j].
fn precedence_reach(inst: &Instance, on: &[usize]) -> Vec<Vec<bool>> {
    let n = inst.num_tasks();
    let mut index = vec![usize::MAX; n];
    on.iter().enumerate().for_each(|(i, &t)| index[t] = i);
    let mut reach = vec![vec![false; on.len()]; on.len()];
    if !inst.has_precedence() {
        return reach;
    }
    // Descendants of every task (over all tasks), as sets of positions in `on`.
    let mut below: Vec<Vec<bool>> = vec![Vec::new(); n];
    for &t in inst.topological_order().iter().rev() {
        let mut set = vec![false; on.len()];
        for &s in inst.succs(t) {
            if index[s] != usize::MAX {
                set[index[s]] = true;
            }
            for (x, &y) in set.iter_mut().zip(&below[s]) {
                *x |= y;
            }
        }
        below[t] = set;
    }
    for (i, &t) in on.iter().enumerate() {
        reach[i] = std::mem::take(&mut below[t]);
    }
    reach
}

/// At every period q of device d, the runs covering q use at most `capacity`, task t using
/// `amount(t)`: a running count z[q] = z[q−1] + Σ a·x[·,d,q] − Σ a·x[t,d,q−p_t] with
/// 0 ≤ z[q] ≤ capacity. Zero-length tasks cover nothing (see [`zero_length_rows`]) and tasks
/// of amount 0 are left out. Periods where fewer than two tasks could run need no row:
/// assign-once already limits one task, whose amount fits the capacity.
fn resource_rows(ti: &Ti, d: usize, amount: &dyn Fn(usize) -> f64, capacity: f64, b: &mut Built) {
    // Runs of positive length and amount on d: (task, run).
    let on: Vec<(usize, &Run)> = ti
        .runs
        .iter()
        .enumerate()
        .flat_map(|(t, runs)| runs.iter().map(move |r| (t, r)))
        .filter(|(t, r)| r.device == d && ti.p(*t, d) > 0 && amount(*t) > 0.0)
        .collect();
    if on.len() < 2 {
        return;
    }
    let lo = on.iter().map(|(_, r)| r.first()).min().expect("non-empty");
    let hi = on
        .iter()
        .map(|(t, r)| r.last() + ti.p(*t, d))
        .max()
        .expect("non-empty");
    let len = (hi - lo + 1) as usize;
    let mut starting: Vec<Vec<(f64, Variable)>> = vec![Vec::new(); len];
    let mut ending: Vec<Vec<(f64, Variable)>> = vec![Vec::new(); len];
    // Tasks that could run in each period (difference array over each task's covered span,
    // the union of [s, s + p) over its starts), and the warm start's running count.
    let mut covering = vec![0i64; len + 1];
    let mut warm_delta = vec![0.0f64; len + 1];
    for &(t, r) in &on {
        let p = ti.p(t, d);
        let a = amount(t);
        let mut span: Option<(i64, i64)> = None;
        for (s, v) in r.entries() {
            starting[(s - lo) as usize].push((a, v));
            ending[(s + p - lo) as usize].push((a, v));
            span = match span {
                Some((a, e)) if s <= e => Some((a, e.max(s + p))),
                Some((a, e)) => {
                    covering[(a - lo) as usize] += 1;
                    covering[(e - lo) as usize] -= 1;
                    Some((s, s + p))
                }
                None => Some((s, s + p)),
            };
        }
        if let Some((a, e)) = span {
            covering[(a - lo) as usize] += 1;
            covering[(e - lo) as usize] -= 1;
        }
        if let Some(w) = &ti.warm
            && w[t].0 == d
        {
            warm_delta[(w[t].1 - lo) as usize] += a;
            warm_delta[(w[t].1 + p - lo) as usize] -= a;
        }
    }
    // The chain runs over the periods where two tasks may meet; after a period where at most one
    // could, it starts again with its first z written out in full.
    let mut prev: Option<Variable> = None;
    let (mut cover, mut warm_z) = (0i64, 0.0f64);
    for i in 0..len {
        cover += covering[i];
        warm_z += warm_delta[i];
        if cover < 2 {
            prev = None;
            continue;
        }
        let z = b.columns.continuous(0.0, capacity, warm_z.max(0.0));
        let mut e = Expression::with_capacity(starting[i].len() + ending[i].len() + 2);
        e.add_mul(1.0, z);
        match prev {
            Some(pz) => {
                e.add_mul(-1.0, pz);
                for &(a, v) in &starting[i] {
                    e.add_mul(-a, v);
                }
                for &(a, v) in &ending[i] {
                    e.add_mul(a, v);
                }
            }
            None => {
                // First period of a stretch: z = every run covering it.
                let q = lo + i as i64;
                for &(t, r) in &on {
                    for (_, v) in r.between(q - ti.p(t, d) + 1, q) {
                        e.add_mul(-amount(t), v);
                    }
                }
            }
        }
        b.constraints.push(e.eq(0.0));
        prev = Some(z);
    }
}

/// A zero-length task at period s on device d may not sit strictly inside another run there:
/// x[z,d,s] + Σ_{k, s' < s < s' + p_k} x[k,d,s'] ≤ 1 (at a run's start or end it may). On a
/// shared device only pairs with an exclusive task count.
fn zero_length_rows(ti: &Ti, d: usize, b: &mut Built) {
    let inst = ti.inst;
    let shared = inst.has_sharing() && inst.offers_resources(d);
    for (z, runs) in ti.runs.iter().enumerate() {
        for r in runs.iter().filter(|r| r.device == d && ti.p(z, d) == 0) {
            for (s, xz) in r.entries() {
                let mut e = Expression::with_capacity(8);
                let mut others = 0;
                for (k, kruns) in ti.runs.iter().enumerate() {
                    if k == z || (shared && !inst.is_exclusive(z) && !inst.is_exclusive(k)) {
                        continue;
                    }
                    for kr in kruns.iter().filter(|kr| kr.device == d) {
                        for (_, v) in kr.between(s - ti.p(k, d) + 1, s - 1) {
                            e.add_mul(1.0, v);
                            others += 1;
                        }
                    }
                }
                if others > 0 {
                    e.add_mul(1.0, xz);
                    b.constraints.push(e.leq(1.0));
                }
            }
        }
    }
}

/// Σ_{t,s} p_td · x[t,d,s] ≤ capacity_d (the device's busy-time budget, in the instance's times).
fn busy_budget_rows(ti: &Ti, b: &mut Built) {
    let inst = ti.inst;
    for (d, dev) in inst.devices().iter().enumerate() {
        let Some(cap) = dev.capacity else { continue };
        let mut e = Expression::with_capacity(inst.num_tasks());
        for (t, runs) in ti.runs.iter().enumerate() {
            for r in runs.iter().filter(|r| r.device == d) {
                for &v in &r.vars {
                    e.add_mul(inst.ptime(t, d), v);
                }
            }
        }
        b.constraints.push(e.leq(cap));
    }
}

/// Σ_{t,s} x[t,d,s] ≤ k on every device.
fn max_tasks_rows(ti: &Ti, k: usize, b: &mut Built) {
    for d in 0..ti.inst.num_devices() {
        let mut e = Expression::with_capacity(ti.inst.num_tasks());
        for runs in &ti.runs {
            for r in runs.iter().filter(|r| r.device == d) {
                for &v in &r.vars {
                    e.add_mul(1.0, v);
                }
            }
        }
        b.constraints.push(e.leq(k as f64));
    }
}

/// The objective, with C_max (and the minimum-utilization row) where needed.
fn objective(ti: &Ti, side: Side, b: &mut Built) {
    let inst = ti.inst;
    let needs_cmax = inst.objective() == Objective::Makespan || side.min_utilization.is_some();
    let cmax = needs_cmax.then(|| makespan_rows(ti, b));
    if let (Some(util), Some(c)) = (side.min_utilization, cmax) {
        // Σ_{t,d,s} p_td x ≥ U · m · C_max.
        let mut e = Expression::with_capacity(b.num_cols());
        for (t, runs) in ti.runs.iter().enumerate() {
            for r in runs {
                for &v in &r.vars {
                    e.add_mul(inst.ptime(t, r.device), v);
                }
            }
        }
        e.add_mul(-util * inst.num_devices() as f64, c);
        b.constraints.push(e.geq(0.0));
    }
    let mut obj = Expression::with_capacity(b.num_cols());
    match inst.objective() {
        Objective::Makespan => obj.add_mul(1.0, cmax.expect("created for makespan")),
        _ => {
            for (t, runs) in ti.runs.iter().enumerate() {
                for r in runs {
                    for (s, v) in r.entries() {
                        let c = cell_cost(inst, ti.grid, t, r.device, s);
                        if c != 0.0 {
                            obj.add_mul(c, v);
                        }
                    }
                }
            }
        }
    }
    b.objective = obj;
}

/// C_max ≥ Σ_{d,s} (s + p)·u·x[t,d,s] for every task without successors, and C_max ≥ each
/// device's load (Σ p·u·x on it) — on a shared device, each resource's energy instead.
fn makespan_rows(ti: &Ti, b: &mut Built) -> Variable {
    let inst = ti.inst;
    let u = ti.grid.unit;
    let warm_value = ti.warm.as_ref().map_or(0.0, |w| {
        let ends = w
            .iter()
            .enumerate()
            .map(|(t, &(d, s))| (s + ti.p(t, d)) as f64 * u);
        let mut load = vec![0.0; inst.num_devices()];
        for (t, &(d, _)) in w.iter().enumerate() {
            load[d] += ti.p(t, d) as f64 * u;
        }
        ends.chain(load).fold(0.0, f64::max)
    });
    let cmax = b.columns.continuous(0.0, f64::INFINITY, warm_value);
    for (t, runs) in ti.runs.iter().enumerate() {
        if !inst.succs(t).is_empty() {
            continue;
        }
        let mut e = Expression::with_capacity(runs.iter().map(|r| r.vars.len()).sum::<usize>() + 1);
        for r in runs {
            let p = ti.p(t, r.device);
            for (s, v) in r.entries() {
                e.add_mul((s + p) as f64 * u, v);
            }
        }
        e.add_mul(-1.0, cmax);
        b.constraints.push(e.leq(0.0));
    }
    for d in 0..inst.num_devices() {
        if inst.has_sharing() && inst.offers_resources(d) {
            // Tasks overlap here: the load bounds nothing, each resource's energy does.
            for k in 0..inst.num_resources() {
                let cap = inst.resource_capacity(d, k);
                if cap > 0.0 {
                    energy_row(ti, d, &|t| inst.held(t, d, k) / cap, cmax, b);
                }
            }
        } else {
            energy_row(ti, d, &|_| 1.0, cmax, b);
        }
    }
    cmax
}

/// C_max ≥ Σ_{t,s} share(t)·p·u·x[t,d,s]: the tasks on device d hold at most one whole device
/// (share 1 for a task that runs alone, its demand over the capacity for one that shares).
fn energy_row(ti: &Ti, d: usize, share: &dyn Fn(usize) -> f64, cmax: Variable, b: &mut Built) {
    let u = ti.grid.unit;
    let mut e = Expression::with_capacity(ti.inst.num_tasks());
    let mut any = false;
    for (t, runs) in ti.runs.iter().enumerate() {
        for r in runs.iter().filter(|r| r.device == d) {
            let p = ti.p(t, d);
            let a = share(t);
            if p == 0 || a == 0.0 {
                continue;
            }
            any = true;
            for &v in &r.vars {
                e.add_mul(a * p as f64 * u, v);
            }
        }
    }
    if any {
        e.add_mul(-1.0, cmax);
        b.constraints.push(e.leq(0.0));
    }
}
