//! Backward sequencing with the root's prices: a depth-first branch-and-bound that proves
//! optima of one-device models without idle time (1‖Σw·T, 1‖Σw·C, 1‖Σ costs: everything
//! released when the device becomes available, no precedence, no budgets).
//!
//! Such a schedule is an order of the tasks run back to back from the device's first period. The
//! search fixes the order from the end: a node is a set U of tasks still to place in
//! `[first, T)` (T = first + Σ_{U} p) and a fixed suffix σ after T. Its bound is
//!
//! > cost(σ) + Σ_{t∈U} λ_t + F_U(T),
//!
//! where λ are the root's prices and F_U(T) the shortest device path (reduced costs c − λ) that
//! ends at T with an arc of a task of U that may precede σ's first task — the forward values of
//! the column generation's pricing, computed once. Since every order of U is such a path, the
//! bound is valid; it is the root's bound L(λ) plus how much σ costs above the best suffix, so it
//! prunes hard where the root's gap is small (on OR-Library wt40, a few units). Three more rules
//! cut the tree, each keeping some optimal order:
//! - **adjacent pairs**: no task placed right before one it would be strictly cheaper to swap
//!   with (as in the paths);
//! - **fixing**: only the cells the root's reduced-cost fixing kept;
//! - **memory**: two suffixes of the same task set start at the same period; the one that costs
//!   more is dropped, and of equal ones the second (the first one's completions are the same
//!   orders, as cheap).
//!
//! A finished search proves the incumbent optimal (the improved schedule, or the warm start).

use super::super::grid::Grid;
use super::paths::{self, Arcs, Prices};
use rustc_hash::FxHashMap;
use std::time::Instant;

/// Most tasks (the task sets are 128-bit masks).
pub(in super::super) const MAX_TASKS: usize = 128;

/// Most entries of the memory (about 48 bytes each); beyond it, new sets are not remembered
/// (which only weakens the pruning).
const MEMORY_ENTRIES: usize = 8_000_000;

/// What the search established.
pub(in super::super) struct Outcome {
    /// A better order than the warm start's (first task first) and its value, if found.
    pub improved: Option<(Vec<usize>, f64)>,
    /// The search finished: the incumbent is optimal.
    pub proven: bool,
    /// Nodes expanded.
    pub nodes: u64,
}

/// An open node of the depth-first search.
#[derive(Clone, Copy)]
struct Node {
    /// Tasks still to place.
    unplaced: u128,
    /// End of the prefix (relative period), where the suffix starts.
    end: usize,
    /// The suffix's first task (`u32::MAX` at the root) and its depth (tasks fixed).
    first: u32,
    depth: u32,
    /// Cost of the suffix (the objective's own values).
    cost: f64,
}

/// True when the search applies to these arcs: one device whose paths run without idle time,
/// no budgets, no zero-length tasks, at most [`MAX_TASKS`] tasks.
pub(in super::super) fn applies(arcs: &Arcs, grid: &Grid) -> bool {
    let [dev] = arcs.devices.as_slice() else {
        return false;
    };
    dev.no_idle
        && dev.budget.is_none()
        && dev.count.is_none()
        && arcs.n <= MAX_TASKS
        && (0..arcs.n).all(|t| grid.p(t, 0).is_some_and(|p| p > 0))
}

/// The dense tables of the search.
struct Tables<'a> {
    len: usize,
    p: Vec<usize>,
    /// Per task and relative start: the cell's cost (NaN without a cell), and whether reduced-cost
    /// fixing kept it.
    cost: Vec<f64>,
    kept: Vec<bool>,
    lambda: &'a [f64],
    /// Per relative period: (task, forward value) of the arcs ending there, by value.
    prefix: Vec<Vec<(u32, f64)>>,
}

impl Tables<'_> {
    #[inline]
    fn cost(&self, t: usize, s: usize) -> f64 {
        if s < self.len {
            self.cost[t * self.len + s]
        } else {
            f64::NAN
        }
    }

    /// Task t at s followed by task j, where a swap (j at s, then t) is strictly cheaper.
    #[inline]
    fn dominated(&self, t: usize, j: usize, s: usize) -> bool {
        let now = self.cost(t, s) + self.cost(j, s + self.p[t]);
        let swapped = self.cost(j, s) + self.cost(t, s + self.p[j]);
        // (NaN, a missing cell, compares false: not dominated.)
        now > swapped + 1e-9 * now.abs().max(1.0)
    }

    fn lambda_of(&self, set: u128) -> f64 {
        let mut v = 0.0;
        let mut s = set;
        while s != 0 {
            v += self.lambda[s.trailing_zeros() as usize];
            s &= s - 1;
        }
        v
    }

    /// The root's paths to `end` (any tasks), last task in `set` and allowed before `next`.
    fn prefix_bound(&self, set: u128, end: usize, next: usize) -> f64 {
        if set == 0 {
            return if end == 0 { 0.0 } else { f64::INFINITY };
        }
        // (By increasing value: the first that fits is the best.)
        self.prefix[end]
            .iter()
            .find(|&&(t, _)| {
                let t = t as usize;
                set >> t & 1 == 1 && !self.dominated(t, next, end - self.p[t])
            })
            .map_or(f64::INFINITY, |e| e.1)
    }
}

/// Search for an order of value below `upper_bound` (the warm start's), with the root's
/// `prices` over the `allowed` cells; `prune` maps an incumbent value to the bound at which a
/// node cannot improve on it. Stops at `deadline` (not proven).
pub(in super::super) fn search(
    arcs: &Arcs,
    grid: &Grid,
    prices: &Prices,
    allowed: &[bool],
    upper_bound: f64,
    prune: impl Fn(f64) -> f64,
    deadline: Option<Instant>,
) -> Outcome {
    let n = arcs.n;
    let dev = &arcs.devices[0];
    let len = dev.len;
    let p: Vec<usize> = (0..n)
        .map(|t| grid.p(t, 0).expect("eligible") as usize)
        .collect();
    let mut prefix = paths::prefix_values(arcs, 0, prices, allowed);
    for entries in &mut prefix {
        entries.sort_by(|a, b| a.1.total_cmp(&b.1));
    }
    let mut cost = vec![f64::NAN; n * len];
    let mut kept = vec![false; n * len];
    for t in 0..n {
        for s in 0..len {
            if let Some(k) = arcs.cell(t, 0, dev.lo + s as i64) {
                cost[t * len + s] = arcs.cost[k];
                kept[t * len + s] = allowed[k];
            }
        }
    }
    let tables = Tables {
        len,
        p,
        cost,
        kept,
        lambda: &prices.lambda,
        prefix,
    };
    let p = &tables.p;
    let all: u128 = if n == MAX_TASKS {
        u128::MAX
    } else {
        (1u128 << n) - 1
    };

    let mut ub = upper_bound;
    let mut improved: Option<(Vec<usize>, f64)> = None;
    let mut memory: FxHashMap<u128, f64> = FxHashMap::default();
    let mut order = vec![0usize; n];
    let mut stack = vec![Node {
        unplaced: all,
        end: len - 1,
        first: u32::MAX,
        depth: 0,
        cost: 0.0,
    }];
    let mut children: Vec<(f64, Node)> = Vec::new();
    let mut nodes = 0u64;
    while let Some(node) = stack.pop() {
        nodes += 1;
        // Nodes take up to milliseconds on long horizons (256 of them overran a 1 s limit by
        // 0.4 s on wt100-111): the clock is read every 4.
        if nodes % 4 == 0 && deadline.is_some_and(|d| Instant::now() >= d) {
            return Outcome {
                improved,
                proven: false,
                nodes,
            };
        }
        if node.depth > 0 {
            order[n - node.depth as usize] = node.first as usize;
        }
        if node.unplaced == 0 {
            if node.cost < ub {
                ub = node.cost;
                improved = Some((order.clone(), node.cost));
            }
            continue;
        }
        let level = prune(ub);
        let lambda_rest = tables.lambda_of(node.unplaced);
        children.clear();
        let mut set = node.unplaced;
        while set != 0 {
            let t = set.trailing_zeros() as usize;
            set &= set - 1;
            let Some(start) = node.end.checked_sub(p[t]) else {
                continue;
            };
            if !tables.kept[t * len + start] {
                continue;
            }
            if node.first != u32::MAX && tables.dominated(t, node.first as usize, start) {
                continue;
            }
            let rest = node.unplaced & !(1u128 << t);
            let cost = node.cost + tables.cost(t, start);
            let base = cost + lambda_rest - tables.lambda[t];
            let bound = arcs.round_bound(base + tables.prefix_bound(rest, start, t));
            if bound >= level || bound.is_nan() {
                continue;
            }
            children.push((
                bound,
                Node {
                    unplaced: rest,
                    end: start,
                    first: t as u32,
                    depth: node.depth + 1,
                    cost,
                },
            ));
        }
        // Most promising last on the stack (popped first).
        children.sort_by(|a, b| b.0.total_cmp(&a.0));
        for &(_, child) in &children {
            if child.unplaced != 0 {
                let room = memory.len() < MEMORY_ENTRIES;
                match memory.get_mut(&child.unplaced) {
                    Some(seen) if *seen <= child.cost => continue,
                    Some(seen) => *seen = child.cost,
                    None if room => {
                        memory.insert(child.unplaced, child.cost);
                    }
                    None => {}
                }
            }
            stack.push(child);
        }
    }
    Outcome {
        improved,
        proven: true,
        nodes,
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::grid::{self, Cells, Grid, Horizon};
    use super::*;
    use crate::model::{Instance, InstanceData};

    /// 1‖Σw·T by dynamic programming over subsets.
    fn optimum(jobs: &[(u64, u64, u64)]) -> f64 {
        let n = jobs.len();
        let mut best = vec![f64::INFINITY; 1 << n];
        best[0] = 0.0;
        for set in 1usize..1 << n {
            let end: u64 = (0..n)
                .filter(|j| set >> j & 1 == 1)
                .map(|j| jobs[j].0)
                .sum();
            for (j, &(_, w, d)) in jobs.iter().enumerate() {
                if set >> j & 1 == 1 {
                    let v = best[set ^ (1 << j)] + (w * end.saturating_sub(d)) as f64;
                    best[set] = best[set].min(v);
                }
            }
        }
        best[(1 << n) - 1]
    }

    #[test]
    fn finds_and_proves_the_optimum_under_any_prices() {
        // Every price vector gives valid bounds: with none (λ = 0) and with random ones, from no
        // incumbent, the search must find an optimal order and finish.
        let mut state = 7u64;
        let mut next = |k: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % k
        };
        for case in 0..40 {
            let n = 6 + next(4) as usize;
            let jobs: Vec<(u64, u64, u64)> = (0..n)
                .map(|_| (1 + next(9), 1 + next(5), next(25)))
                .collect();
            let tasks: Vec<String> = jobs
                .iter()
                .enumerate()
                .map(|(j, (p, w, d))| {
                    format!(r#"{{"id": "j{j}", "work": {p}, "weight": {w}, "due": {d}}}"#)
                })
                .collect();
            let json = format!(
                r#"{{"objective": "weighted_tardiness", "devices": [{{"id": "m"}}],
                    "tasks": [{}]}}"#,
                tasks.join(",")
            );
            let inst = Instance::new(serde_json::from_str::<InstanceData>(&json).unwrap()).unwrap();
            let grid = Grid::new(&inst, 1.0);
            let horizon = Horizon {
                upper_bound: None,
                move_free_tasks_last: false,
            };
            let cells = Cells::new(&inst, &grid, &grid::windows(&inst, &grid, horizon));
            let arcs = Arcs::new(&inst, &grid, &cells, None, None);
            assert!(applies(&arcs, &grid), "case {case}");
            let allowed = vec![true; cells.total];
            for random in [false, true] {
                let prices = Prices {
                    lambda: (0..n)
                        .map(|_| if random { next(60) as f64 - 20.0 } else { 0.0 })
                        .collect(),
                    budget: vec![0.0],
                    count: vec![0.0],
                };
                let out = search(&arcs, &grid, &prices, &allowed, f64::INFINITY, |u| u, None);
                assert!(out.proven, "case {case}");
                let (order, value) = out.improved.expect("an order");
                assert_eq!(value, optimum(&jobs), "case {case}, random prices {random}");
                let s = crate::schedule::build(&inst, &order, &vec![0; n]).unwrap();
                assert_eq!(s.value(&inst), value, "case {case}");
            }
        }
    }
}
