//! Shortest device paths over the time grid: the pricing problem of the column generation and
//! the bound of every start for reduced-cost fixing.
//!
//! A device's path runs from its first period to its last; at each period it idles for one
//! period or runs a task t for p_td periods (an *arc*), and at each period it passes it may take
//! zero-length starts. Arcs cost their reduced cost c(t,d,s) − λ_t − ν·(budget use). Paths never
//! run a task twice in a row (even with idle time between), and never run an adjacent pair that
//! swapping would make strictly cheaper (see [`Arcs`]): the arc-time-indexed relaxation of
//! Pessoa, Uchoa, Poggi de Aragão & Rodrigues (2010) with adjacent-pair interchange, much
//! stronger than the plain time-indexed one on Σw·T.
//!
//! The dynamic program keeps, per period, the two best paths that idle into it (by last task),
//! and per arc the best path ending with it. Each arc looks for its best predecessor among the
//! few best arcs ending at its start, then the whole list if those do not fit.

use super::super::grid::{Cells, Grid};
use super::super::time_indexed::cell_cost;
use crate::model::{Instance, Objective};

/// No task: the state at a path's first period.
const NONE: u32 = u32::MAX;

/// How many best arcs per period are kept for the predecessor search.
const TOP: usize = 6;

/// One device's arcs (positive-length starts) in the order of their end period, and its
/// zero-length starts.
pub(in super::super) struct DevicePaths {
    /// Periods `lo .. lo + len` (absolute).
    pub lo: i64,
    pub len: usize,
    /// Per arc position: cell, task, start and end period (relative to `lo`), cost, busy time.
    cell: Vec<u32>,
    cost: Vec<f64>,
    busy: Vec<f64>,
    task: Vec<u32>,
    start: Vec<u32>,
    end: Vec<u32>,
    /// Arcs ending at q: positions `end_at[q] .. end_at[q + 1]`.
    end_at: Vec<u32>,
    /// Arc positions by start period: `by_start[start_at[q] .. start_at[q + 1]]`.
    by_start: Vec<u32>,
    start_at: Vec<u32>,
    /// Zero-length cells at q: `zero[zero_at[q] .. zero_at[q + 1]]`.
    zero: Vec<u32>,
    zero_at: Vec<u32>,
    /// Admissible predecessors: bit r of the words from `adm_at[i]` says that the r-th arc ending
    /// at arc i's start may precede it (another task, and not a pair a swap improves).
    adm_at: Vec<u32>,
    adm: Vec<u64>,
    /// Busy-time budget (capacity) and task-count budget, if any.
    pub budget: Option<f64>,
    pub count: Option<f64>,
    /// Paths run tasks back to back from the first period to the last (see [`Arcs::new`]).
    pub no_idle: bool,
}

impl DevicePaths {
    fn ending(&self, q: usize) -> std::ops::Range<usize> {
        self.end_at[q] as usize..self.end_at[q + 1] as usize
    }
    fn starting(&self, q: usize) -> &[u32] {
        &self.by_start[self.start_at[q] as usize..self.start_at[q + 1] as usize]
    }
    fn zeros(&self, q: usize) -> &[u32] {
        &self.zero[self.zero_at[q] as usize..self.zero_at[q + 1] as usize]
    }
    /// True when arc p (ending at arc i's start) may precede arc i.
    #[inline]
    fn admissible(&self, p: usize, i: usize) -> bool {
        let r = p - self.end_at[self.start[i] as usize] as usize;
        self.adm[self.adm_at[i] as usize + r / 64] >> (r % 64) & 1 == 1
    }
}

/// The paths' data for every device, and per cell its cost, task, device and busy time.
pub(in super::super) struct Arcs {
    pub devices: Vec<DevicePaths>,
    pub cost: Vec<f64>,
    pub task: Vec<usize>,
    pub device: Vec<usize>,
    /// Busy time (the instance's processing time) of each cell.
    busy: Vec<f64>,
    /// Start period (absolute) of each cell.
    start: Vec<i64>,
    /// Per task and device: (first start, number of starts, first cell) of its cells there.
    runs: Vec<Vec<Option<(i64, usize, usize)>>>,
    /// Every cell's cost is an integer (so is every schedule's value).
    pub integral: bool,
    /// Number of tasks.
    pub n: usize,
}

/// Dual prices: λ per task, and per device the prices of its busy-time and task-count budgets
/// (≤ 0; 0 without a budget).
#[derive(Debug, Clone)]
pub(in super::super) struct Prices {
    pub lambda: Vec<f64>,
    pub budget: Vec<f64>,
    pub count: Vec<f64>,
}

impl Prices {
    /// (1 − α)·self + α·center.
    pub fn mix(&self, center: &Prices, alpha: f64) -> Prices {
        let mix = |a: &[f64], b: &[f64]| -> Vec<f64> {
            a.iter()
                .zip(b)
                .map(|(x, y)| (1.0 - alpha) * x + alpha * y)
                .collect()
        };
        Prices {
            lambda: mix(&self.lambda, &center.lambda),
            budget: mix(&self.budget, &center.budget),
            count: mix(&self.count, &center.count),
        }
    }

    /// L(prices) without the paths: Σλ_t + Σ_d ν_d · budget_d.
    pub fn constant(&self, arcs: &Arcs) -> f64 {
        let mut v: f64 = self.lambda.iter().sum();
        for (d, dev) in arcs.devices.iter().enumerate() {
            v += dev.budget.map_or(0.0, |b| self.budget[d] * b);
            v += dev.count.map_or(0.0, |c| self.count[d] * c);
        }
        v
    }
}

impl Arcs {
    /// The arcs of `cells` (those with `keep[cell]`, or all), with each device's busy-time
    /// capacity and the optional task count per device (`max_tasks`) as budgets. Cells keep
    /// their numbers whether kept or not.
    pub fn new(
        inst: &Instance,
        grid: &Grid,
        cells: &Cells,
        max_tasks: Option<usize>,
        keep: Option<&[bool]>,
    ) -> Arcs {
        let n = inst.num_tasks();
        let m = inst.num_devices();
        let total = cells.total;
        let mut cost = vec![0.0; total];
        let mut task = vec![0; total];
        let mut device = vec![0; total];
        let mut busy = vec![0.0; total];
        let mut start = vec![0i64; total];
        let mut runs = vec![vec![None; m]; n];
        let mut lo = vec![i64::MAX; m];
        let mut hi = vec![i64::MIN; m];
        let mut p_of = vec![0i64; n * m];
        for (t, task_runs) in cells.runs.iter().enumerate() {
            for r in task_runs {
                let d = r.device;
                let p = grid.p(t, d).expect("eligible");
                p_of[t * m + d] = p;
                runs[t][d] = Some((r.first, r.len, r.offset));
                lo[d] = lo[d].min(r.first);
                hi[d] = hi[d].max(r.first + r.len as i64 - 1 + p);
                for i in 0..r.len {
                    let k = r.offset + i;
                    let s = r.first + i as i64;
                    cost[k] = cell_cost(inst, grid, t, d, s);
                    task[k] = t;
                    device[k] = d;
                    busy[k] = inst.ptime(t, d);
                    start[k] = s;
                }
            }
        }
        let integral = cost
            .iter()
            .all(|&c| (c - c.round()).abs() <= 1e-9 * c.abs().max(1.0));
        let mut arcs = Arcs {
            devices: Vec::with_capacity(m),
            cost,
            task,
            device,
            busy,
            start,
            runs,
            integral,
            n,
        };
        // Swapping two adjacent tasks keeps everything else in place only without precedence
        // (which the swap could break) and without zero-length starts (which could end up inside
        // the swapped runs); it can only pay for the time-dependent objectives.
        let timed = matches!(
            inst.objective(),
            Objective::WeightedCompletion | Objective::WeightedTardiness
        );
        for d in 0..m {
            let len = if lo[d] <= hi[d] {
                (hi[d] - lo[d] + 1) as usize
            } else {
                0
            };
            let mut positive: Vec<(u32, u32, u32, u32)> = Vec::new(); // (end, task, start, cell)
            let mut zeros: Vec<(u32, u32)> = Vec::new(); // (period, cell)
            for (t, task_runs) in cells.runs.iter().enumerate() {
                for r in task_runs.iter().filter(|r| r.device == d) {
                    let p = p_of[t * m + d];
                    for i in (0..r.len).filter(|&i| keep.is_none_or(|m| m[r.offset + i])) {
                        let a = (r.first + i as i64 - lo[d]) as u32;
                        let k = (r.offset + i) as u32;
                        if p == 0 {
                            zeros.push((a, k));
                        } else {
                            positive.push((a + p as u32, t as u32, a, k));
                        }
                    }
                }
            }
            positive.sort_unstable();
            zeros.sort_unstable();
            let offsets = |keys: &mut dyn Iterator<Item = u32>| -> Vec<u32> {
                let mut at = vec![0u32; len + 1];
                for key in keys {
                    at[key as usize + 1] += 1;
                }
                for q in 0..len {
                    at[q + 1] += at[q];
                }
                at
            };
            let end_at = offsets(&mut positive.iter().map(|x| x.0));
            let zero_at = offsets(&mut zeros.iter().map(|x| x.0));
            let start_at = offsets(&mut positive.iter().map(|x| x.2));
            let mut by_start: Vec<u32> = (0..positive.len() as u32).collect();
            by_start.sort_by_key(|&i| (positive[i as usize].2, positive[i as usize].1));
            let mut dev = DevicePaths {
                lo: lo[d],
                len,
                cell: positive.iter().map(|x| x.3).collect(),
                cost: positive.iter().map(|x| arcs.cost[x.3 as usize]).collect(),
                busy: positive.iter().map(|x| arcs.busy[x.3 as usize]).collect(),
                task: positive.iter().map(|x| x.1).collect(),
                start: positive.iter().map(|x| x.2).collect(),
                end: positive.iter().map(|x| x.0).collect(),
                end_at,
                by_start,
                start_at,
                zero: zeros.iter().map(|x| x.1).collect(),
                zero_at,
                adm_at: Vec::new(),
                adm: Vec::new(),
                budget: inst.device(d).capacity,
                count: max_tasks.map(|k| k as f64),
                no_idle: false,
            };
            // One device, everything released when it becomes available, no precedence: some
            // optimal schedule of a regular objective has no idle time, so it runs on exactly
            // [available, available + Σ p), and paths may neither idle nor end early.
            let total: i64 = (0..n).map(|t| p_of[t * m + d]).sum();
            dev.no_idle = m == 1
                && timed
                && inst.is_independent()
                && !inst.has_precedence()
                && lo[d] == grid.available[d]
                && len as i64 == total + 1;
            let swaps = timed && !inst.has_precedence() && dev.zero.is_empty();
            arcs.admissibility(&mut dev, &p_of, d, m, swaps);
            arcs.devices.push(dev);
        }
        arcs
    }

    /// The admissible predecessors of every arc of `dev` (see [`DevicePaths::admissible`]):
    /// another task, and — with `swaps` — not a pair that swapping makes strictly cheaper, where
    /// both swapped starts are cells of the model. No optimal schedule runs such a pair (the swap
    /// is feasible and strictly better), so paths need not, whatever a node forbids: the node
    /// holding an optimal schedule keeps it, which is all that pruning and the global bound need;
    /// and reduced-cost fixing at the root keeps every cell of every improving schedule without
    /// such a pair, an optimal one among them.
    fn admissibility(&self, dev: &mut DevicePaths, p_of: &[i64], d: usize, m: usize, swaps: bool) {
        let arcs = dev.cell.len();
        let mut adm_at = Vec::with_capacity(arcs);
        let mut words = 0usize;
        for i in 0..arcs {
            adm_at.push(words as u32);
            words += dev.ending(dev.start[i] as usize).len().div_ceil(64);
        }
        let mut adm = vec![0u64; words];
        for i in 0..arcs {
            let (k, t) = (dev.cell[i] as usize, dev.task[i] as usize);
            let block = dev.ending(dev.start[i] as usize);
            for p in block.clone() {
                let (k2, j) = (dev.cell[p] as usize, dev.task[p] as usize);
                if j == t {
                    continue;
                }
                let dominated = swaps && {
                    let s = self.start[k2];
                    match (self.cell(t, d, s), self.cell(j, d, s + p_of[t * m + d])) {
                        (Some(t_first), Some(j_after)) => {
                            let now = self.cost[k2] + self.cost[k];
                            let swapped = self.cost[t_first] + self.cost[j_after];
                            now > swapped + 1e-9 * now.abs().max(1.0)
                        }
                        _ => false,
                    }
                };
                if !dominated {
                    let r = p - block.start;
                    adm[adm_at[i] as usize + r / 64] |= 1 << (r % 64);
                }
            }
        }
        dev.adm_at = adm_at;
        dev.adm = adm;
    }

    /// The cell of task t starting on device d at period s, if there is one (kept or not).
    pub fn cell(&self, t: usize, d: usize, s: i64) -> Option<usize> {
        let (first, len, offset) = self.runs[t][d]?;
        (s >= first && s < first + len as i64).then(|| offset + (s - first) as usize)
    }

    /// The start period of cell k.
    pub fn start_period(&self, k: usize) -> i64 {
        self.start[k]
    }

    /// `l` rounded up when every value is an integer.
    pub fn round_bound(&self, l: f64) -> f64 {
        if self.integral {
            (l - 1e-6 * l.abs().max(1.0)).ceil()
        } else {
            l
        }
    }

    /// Reduced cost of cell k under the prices.
    #[inline]
    pub fn reduced(&self, k: usize, prices: &Prices) -> f64 {
        let d = self.device[k];
        self.cost[k]
            - prices.lambda[self.task[k]]
            - prices.budget[d] * self.busy[k]
            - prices.count[d]
    }

    /// Cost, task count and busy time of a path (a list of cells).
    pub fn path_totals(&self, path: &[usize]) -> (f64, Vec<f64>, f64) {
        let mut count = vec![0.0; self.n];
        let (mut cost, mut busy) = (0.0, 0.0);
        for &k in path {
            count[self.task[k]] += 1.0;
            cost += self.cost[k];
            busy += self.busy[k];
        }
        (cost, count, busy)
    }
}

/// How an idle state was reached.
#[derive(Debug, Clone, Copy)]
enum IdleFrom {
    Start,
    /// From the previous period's idle entry.
    Idle(u8),
    /// From the arc (position) ending at the previous period.
    AfterArc(u32),
}

/// The two best paths idling into a period, by last task (or, backwards, by first task).
#[derive(Debug, Clone, Copy)]
struct Top2 {
    value: [f64; 2],
    task: [u32; 2],
    from: [IdleFrom; 2],
}

impl Top2 {
    const EMPTY: Top2 = Top2 {
        value: [f64::INFINITY; 2],
        task: [NONE; 2],
        from: [IdleFrom::Start; 2],
    };

    #[inline]
    fn offer(&mut self, value: f64, task: u32, from: IdleFrom) {
        if value < self.value[0] {
            if self.task[0] != task {
                self.value[1] = self.value[0];
                self.task[1] = self.task[0];
                self.from[1] = self.from[0];
            }
            self.value[0] = value;
            self.task[0] = task;
            self.from[0] = from;
        } else if task != self.task[0] && value < self.value[1] {
            self.value[1] = value;
            self.task[1] = task;
            self.from[1] = from;
        }
    }

    /// The best entry whose task is not `t`.
    #[inline]
    fn best_except(&self, t: u32) -> (f64, u8) {
        if self.task[0] != t || t == NONE {
            (self.value[0], 0)
        } else {
            (self.value[1], 1)
        }
    }
}

/// An arc's predecessor: the idle entry at its start, or an arc ending there.
const GAP: u32 = 1 << 31;

/// One sweep of a device's dynamic program (forward or backward), reusable across calls.
#[derive(Default)]
pub(in super::super) struct Sweep {
    /// Per period: the idle states.
    idle: Vec<Top2>,
    /// Per arc position: the best path ending with it (forward) or starting with it (backward).
    value: Vec<f64>,
    /// Forward: per arc, its predecessor (`GAP | entry` or an arc position).
    from: Vec<u32>,
    /// Per period: the best arcs ending (forward) or starting (backward) there, by value.
    top: Vec<(f64, u32)>,
    /// Per period: the zero-length starts' bonus (their negative reduced costs).
    bonus: Vec<f64>,
    /// Per arc position: its reduced cost.
    reduced: Vec<f64>,
}

impl Sweep {
    fn prepare(&mut self, arcs: &Arcs, d: usize, prices: &Prices, allowed: &[bool]) {
        let dev = &arcs.devices[d];
        self.idle.clear();
        self.idle.resize(dev.len, Top2::EMPTY);
        self.value.clear();
        self.value.resize(dev.cell.len(), f64::INFINITY);
        self.from.clear();
        self.from.resize(dev.cell.len(), GAP);
        self.top.clear();
        self.top.resize(dev.len * TOP, (f64::INFINITY, 0));
        self.bonus.clear();
        self.bonus.extend((0..dev.len).map(|q| {
            dev.zeros(q)
                .iter()
                .filter(|&&k| allowed[k as usize])
                .map(|&k| arcs.reduced(k as usize, prices).min(0.0))
                .sum::<f64>()
        }));
        self.reduced.clear();
        let (nu, count) = (prices.budget[d], prices.count[d]);
        self.reduced.extend((0..dev.cell.len()).map(|i| {
            if allowed[dev.cell[i] as usize] {
                dev.cost[i] - prices.lambda[dev.task[i] as usize] - nu * dev.busy[i] - count
            } else {
                f64::INFINITY
            }
        }));
    }

    /// Record the best `TOP` arcs of period q among `positions` (by value).
    fn rank(&mut self, q: usize, positions: impl Iterator<Item = usize>) {
        let top = &mut self.top[q * TOP..(q + 1) * TOP];
        for p in positions {
            let v = self.value[p];
            if v < top[TOP - 1].0 {
                let mut i = TOP - 1;
                while i > 0 && top[i - 1].0 > v {
                    top[i] = top[i - 1];
                    i -= 1;
                }
                top[i] = (v, p as u32);
            }
        }
    }
}

/// The forward sweep of one device: per period the idle states, per arc the best path ending
/// with it; returns the best path's value at the last period.
pub(in super::super) fn forward_sweep(
    arcs: &Arcs,
    d: usize,
    prices: &Prices,
    allowed: &[bool],
    sw: &mut Sweep,
) -> f64 {
    let dev = &arcs.devices[d];
    sw.prepare(arcs, d, prices, allowed);
    for q in 0..dev.len {
        let mut here = Top2::EMPTY;
        if q == 0 {
            here.offer(0.0, NONE, IdleFrom::Start);
        } else if !dev.no_idle {
            let prev = sw.idle[q - 1];
            for e in 0..2 {
                if prev.value[e].is_finite() {
                    here.offer(prev.value[e], prev.task[e], IdleFrom::Idle(e as u8));
                }
            }
            for p in dev.ending(q - 1) {
                if sw.value[p].is_finite() {
                    here.offer(sw.value[p], dev.task[p], IdleFrom::AfterArc(p as u32));
                }
            }
        }
        here.value[0] += sw.bonus[q];
        here.value[1] += sw.bonus[q];
        sw.idle[q] = here;
        for i in dev.ending(q) {
            if sw.reduced[i].is_finite() {
                let (v, from) = best_before(dev, sw, i);
                if v.is_finite() {
                    sw.value[i] = v + sw.reduced[i] + sw.bonus[q];
                    sw.from[i] = from;
                }
            }
        }
        sw.rank(q, dev.ending(q));
    }
    end_value(dev, sw).0
}

/// After a forward sweep of device d: per period q (relative to the device's first), the arcs
/// ending there that some path reaches, as (task, value of the best path ending with that arc).
pub(in super::super) fn prefix_values(
    arcs: &Arcs,
    d: usize,
    prices: &Prices,
    allowed: &[bool],
) -> Vec<Vec<(u32, f64)>> {
    let mut sw = Sweep::default();
    forward_sweep(arcs, d, prices, allowed, &mut sw);
    let dev = &arcs.devices[d];
    (0..dev.len)
        .map(|q| {
            dev.ending(q)
                .filter(|&p| sw.value[p].is_finite())
                .map(|p| (dev.task[p], sw.value[p]))
                .collect()
        })
        .collect()
}

/// The best path to arc i's start that it may follow: the idle state there (another last task)
/// or an arc ending there (another task, not a dominated pair).
#[inline]
fn best_before(dev: &DevicePaths, sw: &Sweep, i: usize) -> (f64, u32) {
    let a = dev.start[i] as usize;
    let t = dev.task[i];
    let (best, e) = sw.idle[a].best_except(t);
    let fits = |p: usize| dev.admissible(p, i);
    let top = &sw.top[a * TOP..(a + 1) * TOP];
    for &(v, p) in top {
        if v >= best {
            return (best, GAP | e as u32);
        }
        if fits(p as usize) {
            return (v, p);
        }
    }
    // All the best few are below `best` and do not fit: look at every arc ending at a.
    let mut found = (best, GAP | e as u32);
    for p in dev.ending(a) {
        let v = sw.value[p];
        if v < found.0 && fits(p) {
            found = (v, p as u32);
        }
    }
    found
}

/// The best value at the last period and its state (`Err(entry)`: idle; `Ok(p)`: arc p).
fn end_value(dev: &DevicePaths, sw: &Sweep) -> (f64, Result<usize, u8>) {
    let Some(last) = dev.len.checked_sub(1) else {
        return (0.0, Err(0));
    };
    let mut best = (sw.idle[last].value[0], Err(0));
    for p in dev.ending(last) {
        if sw.value[p] < best.0 {
            best = (sw.value[p], Ok(p));
        }
    }
    best
}

/// The shortest path of device d and up to `extra` more paths ending in other final states
/// (the other idle entry, the next best arcs ending at the last period), each with its value
/// and cells (with the zero-length starts of negative reduced cost at the periods it passes),
/// by increasing value. The first value is the shortest path's.
pub(in super::super) fn shortest_paths(
    arcs: &Arcs,
    d: usize,
    prices: &Prices,
    allowed: &[bool],
    sw: &mut Sweep,
    extra: usize,
) -> Vec<(f64, Vec<usize>)> {
    let value = forward_sweep(arcs, d, prices, allowed, sw);
    let dev = &arcs.devices[d];
    if dev.len == 0 {
        return vec![(value, Vec::new())];
    }
    let last = dev.len - 1;
    // Final states by value: the idle entries and the arcs ending at the last period.
    let mut ends: Vec<(f64, Result<usize, u8>)> = (0..2u8)
        .map(|e| (sw.idle[last].value[e as usize], Err(e)))
        .chain(dev.ending(last).map(|p| (sw.value[p], Ok(p))))
        .filter(|x| x.0.is_finite())
        .collect();
    ends.sort_by(|a, b| a.0.total_cmp(&b.0));
    ends.truncate(1 + extra);
    ends.into_iter()
        .map(|(v, end)| (v, trace(arcs, dev, prices, allowed, sw, end)))
        .collect()
}

/// The cells of the path ending in `end` at the last period (after [`forward_sweep`]).
fn trace(
    arcs: &Arcs,
    dev: &DevicePaths,
    prices: &Prices,
    allowed: &[bool],
    sw: &Sweep,
    end: Result<usize, u8>,
) -> Vec<usize> {
    let mut used = Vec::new();
    // The state: (period, Err(idle entry) | Ok(arc ending there)).
    let mut state = Some((dev.len - 1, end));
    while let Some((q, st)) = state {
        for &k in dev.zeros(q) {
            if allowed[k as usize] && arcs.reduced(k as usize, prices) < 0.0 {
                used.push(k as usize);
            }
        }
        state = match st {
            Ok(p) => {
                used.push(dev.cell[p] as usize);
                let a = dev.start[p] as usize;
                let from = sw.from[p];
                if from & GAP != 0 {
                    Some((a, Err((from & !GAP) as u8)))
                } else {
                    Some((a, Ok(from as usize)))
                }
            }
            Err(e) => match sw.idle[q].from[e as usize] {
                IdleFrom::Start => None,
                IdleFrom::Idle(e2) => Some((q - 1, Err(e2))),
                IdleFrom::AfterArc(p) => Some((q - 1, Ok(p as usize))),
            },
        };
    }
    used
}

/// The backward sweep of device d: per period the idle states (suffixes that idle first, by
/// first task, without the period's own zero-length bonus), per arc the best suffix starting
/// with it.
fn backward_sweep(arcs: &Arcs, d: usize, prices: &Prices, allowed: &[bool], sw: &mut Sweep) {
    let dev = &arcs.devices[d];
    sw.prepare(arcs, d, prices, allowed);
    for q in (0..dev.len).rev() {
        let mut here = Top2::EMPTY;
        if q + 1 == dev.len {
            here.offer(0.0, NONE, IdleFrom::Start);
        } else if !dev.no_idle {
            let bonus = sw.bonus[q + 1];
            let next = sw.idle[q + 1];
            for e in 0..2 {
                if next.value[e].is_finite() {
                    here.offer(next.value[e] + bonus, next.task[e], IdleFrom::Start);
                }
            }
            for &i in dev.starting(q + 1) {
                let v = sw.value[i as usize];
                if v.is_finite() {
                    here.offer(v + bonus, dev.task[i as usize], IdleFrom::Start);
                }
            }
        }
        sw.idle[q] = here;
        for &i in dev.starting(q) {
            let i = i as usize;
            if !sw.reduced[i].is_finite() {
                continue;
            }
            let e = dev.end[i] as usize;
            let t = dev.task[i];
            let (mut best, _) = sw.idle[e].best_except(t);
            let fits = |k2: usize| dev.admissible(i, k2);
            let top = &sw.top[e * TOP..(e + 1) * TOP];
            let mut settled = false;
            for &(v, k2) in top {
                if v >= best {
                    settled = true;
                    break;
                }
                if fits(k2 as usize) {
                    best = v;
                    settled = true;
                    break;
                }
            }
            if !settled {
                for &k2 in dev.starting(e) {
                    let v = sw.value[k2 as usize];
                    if v < best && fits(k2 as usize) {
                        best = v;
                    }
                }
            }
            if best.is_finite() {
                sw.value[i] = sw.reduced[i] + sw.bonus[e] + best;
            }
        }
        sw.rank(q, dev.starting(q).iter().map(|&i| i as usize));
    }
}

/// Cells no schedule of value at most `threshold` can use under `prices` (a valid bound for
/// every price vector) are set to false in `allowed`. Returns how many stay allowed.
pub(in super::super) fn fix(
    arcs: &Arcs,
    prices: &Prices,
    threshold: f64,
    allowed: &mut [bool],
) -> usize {
    let before: Vec<bool> = allowed.to_vec();
    let m = arcs.devices.len();
    let mut sweeps = Vec::with_capacity(m);
    let mut total = prices.constant(arcs);
    for d in 0..m {
        let mut fw = Sweep::default();
        let path = forward_sweep(arcs, d, prices, &before, &mut fw);
        total += path;
        let mut bw = Sweep::default();
        backward_sweep(arcs, d, prices, &before, &mut bw);
        sweeps.push((path, fw, bw));
    }
    for (d, dev) in arcs.devices.iter().enumerate() {
        let (path, fw, bw) = &sweeps[d];
        let rest = total - path;
        for i in 0..dev.cell.len() {
            let k = dev.cell[i] as usize;
            if !before[k] {
                continue;
            }
            // value (prefix + arc + end bonus) + suffix value (arc + end bonus + rest) − arc − end bonus.
            let e = dev.end[i] as usize;
            let through = fw.value[i] + bw.value[i] - fw.reduced[i] - fw.bonus[e];
            allowed[k] = rest + through <= threshold;
        }
        for q in 0..dev.len {
            if dev.zeros(q).is_empty() {
                continue;
            }
            // The best prefix arriving at q (with q's bonus) and suffix leaving it (without).
            let prefix = dev
                .ending(q)
                .map(|p| fw.value[p])
                .fold(fw.idle[q].value[0], f64::min);
            let suffix = dev
                .starting(q)
                .iter()
                .map(|&i| bw.value[i as usize])
                .fold(bw.idle[q].value[0], f64::min);
            for &k in dev.zeros(q) {
                let k = k as usize;
                if before[k] {
                    let r = arcs.reduced(k, prices);
                    allowed[k] = rest + prefix + suffix - r.min(0.0) + r <= threshold;
                }
            }
        }
    }
    allowed.iter().filter(|&&a| a).count()
}
