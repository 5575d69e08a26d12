//! Branch-and-price on the time-indexed model: the LP bound of every node by column generation
//! ([`super::master::Master`]), branching on start times, best bound first.
//!
//! Applies to the sum objectives (Σw·C, Σw·T, costs) without precedence and without a minimum
//! utilization, where the master (one row per task, device, and device budget) is the whole
//! model: a node whose aggregated starts x are integral is a schedule. Each node restricts the
//! cells: "task t starts by period τ" / "after τ", or "on device d" / "not on d". Nodes whose
//! bound cannot beat the incumbent are pruned; the incumbent improves from integral nodes and
//! from rounding each node's x (each task at its largest start value, through the schedule
//! builder). At the root, reduced-cost fixing removes every cell no improving schedule can use.

use super::super::grid::{Cells, Grid};
use super::super::propagate::Stop;
use super::master::{self as lagrange, Master};
use super::paths::{self, Arcs, Prices};
use super::sequence;
use crate::model::Instance;
use crate::schedule::{Schedule, build};
use crate::solve::Cancel;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::time::Instant;

/// Master LP solves at most per node (column generation normally converges far sooner).
const NODE_ITERATIONS: usize = 5000;

/// Share of the time left after the root that the backward sequencing search may take (where
/// it applies); the start-time branching gets the rest.
const SEQUENCE_SHARE: f64 = 0.7;

/// A branching decision on one task.
#[derive(Debug, Clone, Copy)]
enum Branch {
    /// Starts at period τ or earlier.
    StartBy(usize, i64),
    /// Starts after period τ.
    StartAfter(usize, i64),
    /// Runs on device d.
    On(usize, usize),
    /// Does not run on device d.
    NotOn(usize, usize),
}

/// An open node: its parent's bound and the decisions that define it.
struct Node {
    bound: f64,
    depth: usize,
    order: usize,
    branches: Vec<Branch>,
    /// The parent's prices, to start the column generation from.
    prices: Option<std::rc::Rc<Prices>>,
}

impl PartialEq for Node {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Node {}
impl PartialOrd for Node {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Node {
    /// The heap pops the lowest bound first, then the deepest, then the oldest.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .bound
            .total_cmp(&self.bound)
            .then(self.depth.cmp(&other.depth))
            .then(other.order.cmp(&self.order))
    }
}

/// When to stop: a deadline, a cancellation, a node count, a relative gap (0: prove
/// optimality); and whether to print progress on standard error.
#[derive(Debug, Clone, Copy)]
pub(in super::super) struct Limits<'a> {
    pub deadline: Option<Instant>,
    pub cancel: Option<&'a Cancel>,
    pub max_nodes: Option<usize>,
    pub gap: f64,
    pub verbose: bool,
}

/// What the search established.
pub(in super::super) struct Outcome {
    /// The best schedule found that beats the warm start, with its value.
    pub improved: Option<(Schedule, f64)>,
    /// A lower bound on the optimum (the incumbent's value when `proven`).
    pub bound: f64,
    /// The search finished: the incumbent (improved, else the warm start) is optimal, or within
    /// the gap asked for.
    pub proven: bool,
    /// Nodes solved, master LP solves, cells kept after fixing at the root, of how many; nodes
    /// whose master LP HiGHS could not solve (left open).
    pub nodes: usize,
    pub failed: usize,
    pub lp_solves: usize,
    pub kept: usize,
    /// Nodes of the backward sequencing search (one device without idle time).
    pub sequenced: u64,
    pub cells: usize,
    /// The root's LP bound.
    pub root_bound: f64,
}

/// How the search ended: solved here, or handed back after the root with few enough starts
/// left for HiGHS to take the reduced time-indexed model.
pub(in super::super) enum Search {
    Done(Outcome),
    HandOff(lagrange::Root),
}

/// Branch-and-price from `warm` (a feasible schedule of value `warm_value`); `None` when a
/// warm cell is not among the cells or HiGHS fails on a master LP. When reduced-cost fixing at
/// the root leaves at most `hand_off` starts, the root is returned instead of branching.
#[allow(clippy::too_many_arguments)]
pub(in super::super) fn solve(
    inst: &Instance,
    grid: &Grid,
    cells: &Cells,
    warm: &Schedule,
    warm_value: f64,
    max_tasks: Option<usize>,
    limits: Limits,
    hand_off: usize,
) -> Option<Search> {
    let Limits {
        deadline,
        cancel,
        max_nodes,
        gap,
        verbose,
    } = limits;
    let started = Instant::now();
    // Past the deadline, or cancelled.
    let stop = Stop { deadline, cancel };
    let out_of_time = || stop.reached();
    let mut arcs = Arcs::new(inst, grid, cells, max_tasks, None);
    let warm_cells = grid.cells_of(warm);
    let paths = lagrange::warm_paths(cells, &warm_cells, inst.num_devices())?;
    let mut master = Master::new(&arcs, &paths, lagrange::artificial_cost(warm_value));
    if verbose {
        eprintln!(
            "[milp] {:>6.2} s  branch-and-price: paths over {} start columns",
            started.elapsed().as_secs_f64(),
            cells.total
        );
    }
    let mut ub = warm_value;
    let mut improved: Option<(Schedule, f64)> = None;
    // A node is pruned when its bound shows it cannot improve on the incumbent by more than
    // the relative gap asked for (and, with integral values, by at least 1).
    let integral_values = arcs.integral;
    let prune_level = |ub: f64| {
        let exact = if integral_values {
            ub
        } else {
            ub - 1e-9 * ub.abs().max(1.0)
        };
        exact.min(ub - gap * ub.abs())
    };

    // The root: column generation, then reduced-cost fixing.
    let mut root_allowed = vec![true; cells.total];
    let root = master.generate(
        &arcs,
        &root_allowed,
        prune_level(ub),
        None,
        deadline,
        NODE_ITERATIONS,
    )?;
    let mut lp_solves = root.iterations;
    let root_bound = root.bound.min(ub);
    let kept = paths::fix(
        &arcs,
        &root.prices,
        lagrange::threshold(&arcs, ub),
        &mut root_allowed,
    );
    // One device without idle time: backward sequencing with the root's prices first.
    let mut sequenced = 0;
    if sequence::applies(&arcs, grid) && root_bound < prune_level(ub) {
        let now = Instant::now();
        let until =
            deadline.map(|d| now + d.saturating_duration_since(now).mul_f64(SEQUENCE_SHARE));
        let out = sequence::search(
            &arcs,
            grid,
            &root.prices,
            &root_allowed,
            ub,
            prune_level,
            until,
        );
        sequenced = out.nodes;
        if let Some((order, _)) = out.improved {
            let s = build(inst, &order, &vec![0; inst.num_tasks()]).ok()?;
            let v = s.value(inst);
            if v < ub {
                ub = v;
                improved = Some((s, v));
            }
        }
        if verbose {
            eprintln!(
                "[milp] {:>6.2} s  backward sequencing: {} nodes, {}, incumbent {ub}",
                started.elapsed().as_secs_f64(),
                out.nodes,
                if out.proven { "finished" } else { "stopped" }
            );
        }
        if out.proven {
            return Some(Search::Done(Outcome {
                improved,
                bound: ub,
                proven: true,
                nodes: 1,
                sequenced,
                failed: 0,
                lp_solves,
                kept,
                cells: cells.total,
                root_bound,
            }));
        }
    }
    // (A schedule the search improved stays with branch-and-price, which returns it.)
    if kept <= hand_off && improved.is_none() && root_bound < prune_level(ub) {
        return Some(Search::HandOff(lagrange::Root {
            bound: root_bound,
            iterations: root.iterations,
            keep: root_allowed,
            kept,
            integral: arcs.integral,
            sequenced,
        }));
    }
    // The paths from now on run over the cells left (the dynamic programs get that much faster);
    // out of time, the branching below stops at once and the rebuild (0.3 s for 529k cells) is
    // skipped.
    if !out_of_time() {
        arcs = Arcs::new(inst, grid, cells, max_tasks, Some(&root_allowed));
    }
    if verbose {
        eprintln!(
            "[milp] {:>6.2} s  root LP bound {root_bound} ({} master solves), incumbent {ub}, \
             {kept} of {} start columns kept",
            started.elapsed().as_secs_f64(),
            root.iterations,
            cells.total
        );
    }
    let mut heap = BinaryHeap::new();
    let mut order = 0;
    let mut nodes = 1;
    let mut failed: Vec<f64> = Vec::new();
    // The root is processed like any node (its bound is known), with the fixed cells.
    heap.push(Node {
        bound: root_bound,
        depth: 0,
        order: 0,
        branches: Vec::new(),
        prices: Some(std::rc::Rc::new(root.prices.clone())),
    });
    let mut last_print = Instant::now();
    while let Some(node) = heap.pop() {
        if node.bound >= prune_level(ub) {
            continue;
        }
        if out_of_time() || max_nodes.is_some_and(|k| nodes >= k) {
            heap.push(node);
            break;
        }
        let mut allowed = root_allowed.clone();
        for &b in &node.branches {
            restrict(cells, b, &mut allowed);
        }
        if let Some(prices) = &node.prices {
            master.purge(&arcs, prices);
        }
        master.restrict(&allowed);
        // (At the root this runs again on the cells left after fixing.)
        let Some(result) = master.generate(
            &arcs,
            &allowed,
            prune_level(ub),
            node.prices.as_deref(),
            deadline,
            NODE_ITERATIONS,
        ) else {
            // HiGHS failed on this node's master: the node stays unexplored, its bound open.
            failed.push(node.bound);
            continue;
        };
        if node.depth > 0 {
            nodes += 1;
        }
        lp_solves += result.iterations;
        let bound = result.bound.max(node.bound);
        // (Artificial columns in the master's solution prove nothing: their cost is finite.
        // Only the bound prunes; a node without a schedule has a bound of about their cost.)
        if bound >= prune_level(ub) {
            continue;
        }
        if !result.settled && out_of_time() {
            // Out of time in the middle of the node: it stays open.
            heap.push(Node { bound, ..node });
            break;
        }
        let x = result.x;
        // Round x into a schedule; an integral x is the node's optimum.
        let integral = integral(&arcs, &x);
        if let Ok(s) = rounded(inst, grid, &arcs, &x, &warm_cells) {
            let v = s.value(inst);
            if v < ub - 1e-9 * ub.abs().max(1.0) {
                ub = v;
                improved = Some((s, v));
                if verbose {
                    eprintln!(
                        "[milp] {:>6.2} s  new incumbent {v} at node {nodes}",
                        started.elapsed().as_secs_f64()
                    );
                }
            }
        }
        // A settled node with an integral x is solved (that x is its optimum).
        if (integral && result.settled) || bound >= prune_level(ub) {
            continue;
        }
        let Some((left, right)) = choose_branch(&arcs, &x) else {
            // Nothing to branch on, yet not solved (the generation stopped early): the node
            // stays open rather than being dropped.
            failed.push(bound);
            continue;
        };
        let prices = std::rc::Rc::new(result.prices);
        for b in [left, right] {
            order += 1;
            let mut branches = node.branches.clone();
            branches.push(b);
            heap.push(Node {
                bound,
                depth: node.depth + 1,
                order,
                branches,
                prices: Some(prices.clone()),
            });
        }
        if verbose && last_print.elapsed().as_secs_f64() >= 1.0 {
            let lowest = heap.peek().map_or(ub, |n| n.bound.min(ub));
            eprintln!(
                "[milp] {:>6.2} s  {nodes} nodes, {} open, bound {lowest}, incumbent {ub}",
                started.elapsed().as_secs_f64(),
                heap.len()
            );
            last_print = Instant::now();
        }
    }
    let open_bound = heap
        .iter()
        .map(|n| n.bound)
        .chain(failed.iter().copied())
        .filter(|&b| b < prune_level(ub))
        .fold(f64::INFINITY, f64::min);
    let proven = open_bound.is_infinite();
    Some(Search::Done(Outcome {
        sequenced,
        failed: failed.len(),
        improved,
        bound: if proven { ub } else { open_bound.min(ub) },
        proven,
        nodes,
        lp_solves,
        kept,
        cells: cells.total,
        root_bound,
    }))
}

/// Remove the cells a branching decision forbids.
fn restrict(cells: &Cells, b: Branch, allowed: &mut [bool]) {
    let (t, keep): (usize, Box<dyn Fn(usize, i64) -> bool>) = match b {
        Branch::StartBy(t, tau) => (t, Box::new(move |_, s| s <= tau)),
        Branch::StartAfter(t, tau) => (t, Box::new(move |_, s| s > tau)),
        Branch::On(t, d) => (t, Box::new(move |dd, _| dd == d)),
        Branch::NotOn(t, d) => (t, Box::new(move |dd, _| dd != d)),
    };
    for r in &cells.runs[t] {
        for i in 0..r.len {
            if !keep(r.device, r.first + i as i64) {
                allowed[r.offset + i] = false;
            }
        }
    }
}

/// True when every task has one start of value 1 in x (the node's optimum is a schedule).
fn integral(arcs: &Arcs, x: &[(usize, f64)]) -> bool {
    let mut covered = vec![false; arcs.n];
    for &(k, v) in x {
        if v > 1e-6 && v < 1.0 - 1e-6 {
            return false;
        }
        if v >= 1.0 - 1e-6 {
            covered[arcs.task[k]] = true;
        }
    }
    covered.iter().all(|&c| c)
}

/// A schedule near x: each task on the device with most of its x, in the order of its mean
/// start there (tasks x leaves uncovered at their place in `fallback`: device and start period),
/// through the schedule builder (shorter tasks first on ties).
fn rounded(
    inst: &Instance,
    grid: &Grid,
    arcs: &Arcs,
    x: &[(usize, f64)],
    fallback: &[(usize, i64)],
) -> Result<Schedule, crate::Error> {
    let n = inst.num_tasks();
    let m = inst.num_devices();
    // Per task and device: (mass, mass · start).
    let mut mass = vec![(0.0f64, 0.0f64); n * m];
    for &(k, v) in x {
        let e = &mut mass[arcs.task[k] * m + arcs.device[k]];
        e.0 += v;
        e.1 += v * arcs.start_period(k) as f64;
    }
    let mut device_of = vec![0; n];
    let mut key = vec![0.0; n];
    for t in 0..n {
        let (d, &(w, ws)) = mass[t * m..(t + 1) * m]
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.0.total_cmp(&b.1.0).then(b.0.cmp(&a.0)))
            .expect("at least one device");
        if w > 1e-9 {
            device_of[t] = d;
            key[t] = ws / w;
        } else {
            device_of[t] = fallback[t].0;
            key[t] = fallback[t].1 as f64;
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        key[a]
            .total_cmp(&key[b])
            .then(grid.p(a, device_of[a]).cmp(&grid.p(b, device_of[b])))
            .then(a.cmp(&b))
    });
    build(inst, &order, &device_of)
}

/// The branching: the task whose x is split most evenly, by start period (left: by τ) or, when
/// all its starts are at one period, by device.
fn choose_branch(arcs: &Arcs, x: &[(usize, f64)]) -> Option<(Branch, Branch)> {
    let mut by_task: Vec<Vec<(i64, usize, f64)>> = vec![Vec::new(); arcs.n];
    for &(k, v) in x {
        if v > 1e-6 {
            by_task[arcs.task[k]].push((arcs.start_period(k), arcs.device[k], v));
        }
    }
    let mut best: Option<(f64, Branch, Branch)> = None;
    for (t, mut entries) in by_task.into_iter().enumerate() {
        if entries.is_empty() {
            continue;
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        // Mass the master left to the task's artificial column counts as "elsewhere".
        let total: f64 = entries.iter().map(|e| e.2).sum::<f64>().max(1.0);
        // The start split closest to half the mass: after each distinct start period.
        let mut prefix = 0.0;
        let mut split: Option<(f64, i64)> = None;
        for (i, e) in entries.iter().enumerate() {
            prefix += e.2;
            if entries.get(i + 1).is_none_or(|next| next.0 != e.0) {
                let score = prefix.min(total - prefix);
                if split.is_none_or(|(s, _)| score > s + 1e-12) {
                    split = Some((score, e.0));
                }
            }
        }
        let candidate = match split {
            Some((score, tau)) if score > 1e-6 => {
                (score, Branch::StartBy(t, tau), Branch::StartAfter(t, tau))
            }
            _ => {
                // One start period, several devices.
                let mut mass: Vec<(usize, f64)> = Vec::new();
                for &(_, d, v) in &entries {
                    match mass.iter_mut().find(|m| m.0 == d) {
                        Some(m) => m.1 += v,
                        None => mass.push((d, v)),
                    }
                }
                let (d, v) = mass
                    .into_iter()
                    .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))?;
                (v.min(total - v), Branch::On(t, d), Branch::NotOn(t, d))
            }
        };
        if candidate.0 > 1e-6 && best.as_ref().is_none_or(|b| candidate.0 > b.0 + 1e-12) {
            best = Some(candidate);
        }
    }
    best.map(|(_, l, r)| (l, r))
}
