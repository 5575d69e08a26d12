//! The master LP of the column generation: one column per device path, solved by HiGHS; its
//! duals price the next paths.

use super::super::grid::{Cells, Grid};
use super::paths::{Arcs, Prices, Sweep, fix, shortest_paths};
use crate::model::Instance;
use highs::{ColProblem, HighsModelStatus, Model, Row, Sense};
use std::time::Instant;

/// Weight of the best prices so far in the point where columns are priced (Wentges smoothing).
const SMOOTHING: f64 = 0.5;

/// Paths per device and pricing beyond the shortest one (ending in other final states).
const EXTRA_PATHS: usize = 4;

/// The master LP: a row per task (= 1), per device (= 1: one path each) and per device budget
/// (≤ capacity, ≤ task count); columns: device paths, and an artificial column per task (cost
/// `artificial`) so that every restriction of the cells keeps it feasible.
pub(in super::super) struct Master {
    model: Option<Model>,
    /// Budget rows: (row, its index in the model).
    budget_rows: Vec<Option<(Row, usize)>>,
    count_rows: Vec<Option<(Row, usize)>>,
    /// Each path column: its cells and its index in the model.
    pub paths: Vec<(Vec<usize>, usize)>,
    /// Columns: artificial ones first (one per task, column t), then the empty path of each
    /// device, then the paths.
    columns: usize,
    /// Whether each path is allowed at the current node.
    enabled: Vec<bool>,
    /// The pricing's working memory.
    sweep: Sweep,
    /// The cost of the artificial columns.
    artificial: f64,
}

/// Paths the master may hold before [`Master::purge`] rebuilds it with the best
/// [`POOL_KEEP`]: HiGHS re-reads its whole matrix on every solve and prices every column.
const POOL_MAX: usize = 4000;
const POOL_KEEP: usize = 1500;

/// What one column generation established.
pub(in super::super) struct NodeBound {
    /// The best L(λ) (a valid lower bound for the node), rounded up when integral.
    pub bound: f64,
    /// The prices that gave it.
    pub prices: Prices,
    /// Aggregated start values x of the last master solution, per cell (sparse: (cell, value)).
    pub x: Vec<(usize, f64)>,
    /// The bound is the node's LP bound (rounded up for integral values): no path priced out,
    /// or the bound reached the master's value. Otherwise the generation stopped early (time,
    /// iterations, or a bound that prunes the node).
    pub settled: bool,
    /// Master LP solves.
    pub iterations: usize,
}

impl Master {
    /// The master with the paths of `warm` (cells per device; any may be empty).
    pub fn new(arcs: &Arcs, warm: &[Vec<usize>], artificial: f64) -> Master {
        let n = arcs.n;
        let m = arcs.devices.len();
        let mut pb = ColProblem::default();
        let task_rows: Vec<Row> = (0..n).map(|_| pb.add_row(1.0..=1.0)).collect();
        let device_rows: Vec<Row> = (0..m).map(|_| pb.add_row(1.0..=1.0)).collect();
        // Rows are numbered in the order they are added.
        let mut next_row = n + m;
        let mut budget_row = |limit: Option<f64>, pb: &mut ColProblem| {
            limit.map(|b| {
                next_row += 1;
                (pb.add_row(..=b), next_row - 1)
            })
        };
        let budget_rows: Vec<Option<(Row, usize)>> = arcs
            .devices
            .iter()
            .map(|d| budget_row(d.budget, &mut pb))
            .collect();
        let count_rows: Vec<Option<(Row, usize)>> = arcs
            .devices
            .iter()
            .map(|d| budget_row(d.count, &mut pb))
            .collect();
        for &row in &task_rows {
            pb.add_column(artificial, 0.0.., [(row, 1.0)]);
        }
        // The empty path (an artificial one where paths may not idle).
        for (d, &row) in device_rows.iter().enumerate() {
            let cost = if arcs.devices[d].no_idle {
                artificial
            } else {
                0.0
            };
            pb.add_column(cost, 0.0.., [(row, 1.0)]);
        }
        let mut model = pb.optimise(Sense::Minimise);
        model.make_quiet();
        let mut note = String::new();
        let threads = super::super::engine::highs_threads(&Default::default(), &mut note);
        let _ = model.try_set_option("threads", threads as i32);
        let mut master = Master {
            model: Some(model),
            budget_rows,
            count_rows,
            paths: Vec::new(),
            columns: n + m,
            enabled: Vec::new(),
            sweep: Sweep::default(),
            artificial,
        };
        for (d, path) in warm.iter().enumerate() {
            if !path.is_empty() {
                master.add_path(arcs, d, path.clone());
            }
        }
        master
    }

    fn add_path(&mut self, arcs: &Arcs, d: usize, path: Vec<usize>) {
        self.add_paths(arcs, vec![(d, path)]);
    }

    /// When the master holds more than [`POOL_MAX`] paths, rebuild it with the [`POOL_KEEP`] of
    /// least reduced cost at `prices` (the columns a node's LP is likely to use).
    pub fn purge(&mut self, arcs: &Arcs, prices: &Prices) {
        if self.paths.len() <= POOL_MAX {
            return;
        }
        let mut ranked: Vec<(f64, usize)> = self
            .paths
            .iter()
            .enumerate()
            .map(|(i, (path, _))| (path.iter().map(|&k| arcs.reduced(k, prices)).sum(), i))
            .collect();
        ranked.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        ranked.truncate(POOL_KEEP);
        ranked.sort_by_key(|r| r.1);
        let keep: Vec<(usize, Vec<usize>)> = ranked
            .into_iter()
            .map(|(_, i)| {
                let path = std::mem::take(&mut self.paths[i].0);
                (arcs.device[path[0]], path)
            })
            .collect();
        let mut fresh = Master::new(arcs, &vec![Vec::new(); arcs.devices.len()], self.artificial);
        fresh.add_paths(arcs, keep);
        *self = fresh;
    }

    /// Add path columns to the master in one call (HiGHS checks its whole matrix on every call).
    fn add_paths(&mut self, arcs: &Arcs, paths: Vec<(usize, Vec<usize>)>) {
        use highs_sys::HighsInt;
        let (mut costs, mut starts, mut index, mut value) = (vec![], vec![], vec![], vec![]);
        for (d, path) in &paths {
            let (cost, count, busy) = arcs.path_totals(path);
            costs.push(cost);
            starts.push(index.len() as HighsInt);
            for (t, &c) in count.iter().enumerate() {
                if c > 0.0 {
                    index.push(t as HighsInt);
                    value.push(c);
                }
            }
            index.push((arcs.n + d) as HighsInt);
            value.push(1.0);
            if let Some((_, row)) = self.budget_rows[*d] {
                index.push(row as HighsInt);
                value.push(busy);
            }
            if let Some((_, row)) = self.count_rows[*d] {
                index.push(row as HighsInt);
                value.push(path.len() as f64);
            }
        }
        let k = paths.len();
        let (lower, upper) = (vec![0.0; k], vec![f64::INFINITY; k]);
        let model = self.model.as_mut().expect("present between solves");
        // SAFETY: the arrays have the lengths HiGHS reads (k columns, index.len() entries) and
        // live through the call; the pointer is the model's own.
        unsafe {
            highs_sys::Highs_addCols(
                model.as_mut_ptr(),
                k as HighsInt,
                costs.as_ptr(),
                lower.as_ptr(),
                upper.as_ptr(),
                index.len() as HighsInt,
                starts.as_ptr(),
                index.as_ptr(),
                value.as_ptr(),
            );
        }
        for (_, path) in paths {
            self.paths.push((path, self.columns));
            self.columns += 1;
            self.enabled.push(true);
        }
    }

    /// Allow only the paths whose cells are all allowed.
    pub fn restrict(&mut self, allowed: &[bool]) {
        use highs_sys::HighsInt;
        let mut on: Vec<HighsInt> = Vec::new();
        let mut off: Vec<HighsInt> = Vec::new();
        for (i, (path, c)) in self.paths.iter().enumerate() {
            let ok = path.iter().all(|&k| allowed[k]);
            if ok != self.enabled[i] {
                if ok {
                    on.push(*c as HighsInt)
                } else {
                    off.push(*c as HighsInt)
                }
                self.enabled[i] = ok;
            }
        }
        let model = self.model.as_mut().expect("present between solves");
        for (set, upper) in [(on, f64::INFINITY), (off, 0.0)] {
            if set.is_empty() {
                continue;
            }
            let (lo, hi) = (vec![0.0; set.len()], vec![upper; set.len()]);
            // SAFETY: as in `add_paths`; `set` holds existing column indices, increasing.
            unsafe {
                highs_sys::Highs_changeColsBoundsBySet(
                    model.as_mut_ptr(),
                    set.len() as HighsInt,
                    set.as_ptr(),
                    lo.as_ptr(),
                    hi.as_ptr(),
                );
            }
        }
    }

    /// Column generation over the allowed cells until no path prices out, `max_iterations`
    /// master solves, `deadline`, or the bound reaches `prune_at`. `None` when HiGHS fails.
    pub fn generate(
        &mut self,
        arcs: &Arcs,
        allowed: &[bool],
        prune_at: f64,
        center: Option<&Prices>,
        deadline: Option<Instant>,
        max_iterations: usize,
    ) -> Option<NodeBound> {
        let n = arcs.n;
        let m = arcs.devices.len();
        let mut best = f64::NEG_INFINITY;
        // The smoothing starts from `center` (a parent node's prices) until a bound is known.
        let mut best_prices: Option<Prices> = center.cloned();
        let mut iterations = 0;
        loop {
            let mut solved = self.model.take()?.try_solve().ok()?;
            iterations += 1;
            if solved.status() != HighsModelStatus::Optimal {
                // A numerical failure on the warm basis: drop the basis and solve again.
                let mut model = Model::from(solved);
                // SAFETY: the pointer is the model's own, valid for this call.
                unsafe { highs_sys::Highs_clearSolver(model.as_mut_ptr()) };
                solved = model.try_solve().ok()?;
                if solved.status() != HighsModelStatus::Optimal {
                    self.model = Some(Model::from(solved));
                    return None;
                }
            }
            let master_value = solved.objective_value();
            let solution = solved.get_solution();
            let duals = solution.dual_rows();
            let columns = solution.columns().to_vec();
            let mut prices = Prices {
                lambda: duals[..n].to_vec(),
                budget: vec![0.0; m],
                count: vec![0.0; m],
            };
            for d in 0..m {
                if let Some((_, r)) = self.budget_rows[d] {
                    prices.budget[d] = duals[r].min(0.0);
                }
                if let Some((_, r)) = self.count_rows[d] {
                    prices.count[d] = duals[r].min(0.0);
                }
            }
            let mu: Vec<f64> = duals[n..n + m].to_vec();
            self.model = Some(Model::from(solved));
            // Price at a point between the master's duals and the best prices so far (Wentges
            // smoothing, which damps the duals' oscillation); when that finds no column that
            // prices out at the master's duals, price at the duals themselves.
            let mut new_paths = Vec::new();
            for alpha in [SMOOTHING, 0.0] {
                let point = match (&best_prices, alpha > 0.0) {
                    (Some(center), true) => prices.mix(center, alpha),
                    _ => prices.clone(),
                };
                let mut value = point.constant(arcs);
                for (d, &mu_d) in mu.iter().enumerate() {
                    let paths =
                        shortest_paths(arcs, d, &point, allowed, &mut self.sweep, EXTRA_PATHS);
                    value += paths[0].0;
                    for (_, used) in paths {
                        // The path's reduced cost at the master's duals.
                        let reduced: f64 = used.iter().map(|&k| arcs.reduced(k, &prices)).sum();
                        if reduced < mu_d - 1e-9 * mu_d.abs().max(1.0) && !used.is_empty() {
                            new_paths.push((d, used));
                        }
                    }
                }
                if value > best {
                    best = value;
                    best_prices = Some(point);
                }
                if !new_paths.is_empty() {
                    break;
                }
            }
            let bound = arcs.round_bound(best);
            // Settled: no path prices out, or the bound already equals the master's value
            // (rounded up, for integral values): more columns cannot raise it.
            let settled = new_paths.is_empty()
                || if arcs.integral {
                    bound >= (master_value - 1e-6 * master_value.abs().max(1.0)).ceil()
                } else {
                    best >= master_value - 1e-9 * master_value.abs().max(1.0)
                };
            let stop = settled
                || bound >= prune_at
                || iterations >= max_iterations
                || deadline.is_some_and(|d| Instant::now() >= d);
            if stop {
                return Some(NodeBound {
                    bound,
                    prices: best_prices.expect("set on the first iteration"),
                    x: self.aggregate(&columns),
                    settled,
                    iterations,
                });
            }
            self.add_paths(arcs, new_paths);
        }
    }

    /// The start values x per cell from the path columns' values.
    fn aggregate(&self, columns: &[f64]) -> Vec<(usize, f64)> {
        let mut x: std::collections::BTreeMap<usize, f64> = Default::default();
        for (path, c) in &self.paths {
            let v = columns[*c];
            if v > 1e-9 {
                for &k in path {
                    *x.entry(k).or_default() += v;
                }
            }
        }
        x.into_iter().collect()
    }
}

/// The root relaxation: column generation from the paths of a known schedule (`warm`: device
/// and start period per task) of value `upper_bound`, then reduced-cost fixing of every cell
/// no improving schedule can use. `None` when a warm cell is not among the cells or HiGHS fails.
pub(in super::super) struct Root {
    /// The LP bound (rounded up when integral).
    pub bound: f64,
    /// Master solves.
    pub iterations: usize,
    /// Cells left.
    pub keep: Vec<bool>,
    /// How many.
    pub kept: usize,
    /// Every schedule's value is an integer: cells were kept for values up to the upper bound
    /// less 1 (else up to the upper bound).
    pub integral: bool,
    /// Nodes of the backward sequencing search that ran before (0: none).
    pub sequenced: u64,
}

/// The warm schedule's cells, per device (positive-length and zero-length alike).
pub(in super::super) fn warm_paths(
    cells: &Cells,
    warm: &[(usize, i64)],
    devices: usize,
) -> Option<Vec<Vec<usize>>> {
    let mut paths = vec![Vec::new(); devices];
    for (t, &(d, s)) in warm.iter().enumerate() {
        let k = cells.runs[t].iter().find_map(|r| {
            (r.device == d && s >= r.first && s < r.first + r.len as i64)
                .then(|| r.offset + (s - r.first) as usize)
        })?;
        paths[d].push(k);
    }
    Some(paths)
}

/// The improvement threshold: schedules worth keeping have value at most this.
pub(in super::super) fn threshold(arcs: &Arcs, upper_bound: f64) -> f64 {
    let tol = 1e-6 * upper_bound.abs().max(1.0);
    if arcs.integral {
        upper_bound - 1.0 + tol
    } else {
        upper_bound + tol
    }
}

/// See [`Root`].
#[allow(clippy::too_many_arguments)]
pub(in super::super) fn relax(
    inst: &Instance,
    grid: &Grid,
    cells: &Cells,
    warm: &[(usize, i64)],
    upper_bound: f64,
    max_tasks: Option<usize>,
    deadline: Option<Instant>,
    max_iterations: usize,
) -> Option<Root> {
    let arcs = Arcs::new(inst, grid, cells, max_tasks, None);
    let paths = warm_paths(cells, warm, inst.num_devices())?;
    let mut master = Master::new(&arcs, &paths, artificial_cost(upper_bound));
    let mut keep = vec![true; cells.total];
    let node = master.generate(&arcs, &keep, upper_bound, None, deadline, max_iterations)?;
    let kept = fix(
        &arcs,
        &node.prices,
        threshold(&arcs, upper_bound),
        &mut keep,
    );
    Some(Root {
        bound: node.bound.min(upper_bound),
        iterations: node.iterations,
        keep,
        kept,
        integral: arcs.integral,
        sequenced: 0,
    })
}

/// The cost of an artificial column: more than any schedule worth finding.
pub(in super::super) fn artificial_cost(upper_bound: f64) -> f64 {
    2.0 * upper_bound.abs() + 1.0
}
