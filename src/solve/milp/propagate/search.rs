//! The search over start times: a precedence tree (Patterson et al. 1989) with the rules at
//! every node and the cutset dominance of Demeulemeester & Herroelen (1992).
//!
//! A node is a partial schedule: a set of tasks fixed at their starts, the last of which started
//! at `last`; the others start no earlier. A child schedules one more task whose predecessors
//! are all fixed, at its earliest start once the rules have run. Every schedule inside the
//! windows can be left-shifted (no completion grows) into one that some branch reaches exactly:
//! take its tasks by start; the next one cannot start earlier than the rules allow, and if it
//! could start earlier beside the fixed ones alone, it could in the whole schedule too (the
//! tasks that start after it overlap the shifted run only where they overlapped the old one).
//!
//! **Cutset dominance**: two nodes that fixed the same set of tasks, where the first started its
//! last task no later and each of its tasks still running at the second's `last` ends no later
//! than there, leave the first every completion of the second (it holds less of every resource
//! from then on and its tasks end earlier). A node dominated by one searched before is dropped:
//! depth-first, the earlier node's subtree is complete by then, and found nothing.

use super::{Model, Outcome, State, Stop, TOLERANCE};
use rustc_hash::FxHashMap;

/// The most (task, end) pairs the cutset memory holds (about 16 bytes each).
const MEMORY_PAIRS: usize = 4_000_000;

/// A node of the precedence tree.
#[derive(Clone)]
struct Node {
    state: State,
    /// The fixed tasks, one bit each.
    fixed: Vec<u64>,
    /// The start of the last fixed task.
    last: i64,
}

/// What the memory keeps of a searched node: when its last task started, and the fixed tasks
/// still running then with their ends.
struct Cut {
    last: i64,
    running: Vec<(u32, i64)>,
}

impl Cut {
    /// Whether this cut leaves every completion of a node with the same fixed tasks that
    /// started its last one at `last` and whose tasks end at `end`.
    fn dominates(&self, last: i64, end: impl Fn(usize) -> i64) -> bool {
        self.last <= last
            && self
                .running
                .iter()
                .all(|&(t, e)| e <= last || e <= end(t as usize))
    }

    /// Whether `other` (same fixed tasks) dominates this one.
    fn dominated_by(&self, other: &Cut) -> bool {
        other.last <= self.last
            && other.running.iter().all(|&(t, e)| {
                e <= self.last || self.running.iter().any(|&(u, f)| u == t && e <= f)
            })
    }
}

/// Per device of the model, per resource, the usage of each period by the fixed tasks.
type Usage = Vec<Vec<Vec<f64>>>;

fn has(set: &[u64], t: usize) -> bool {
    set[t / 64] >> (t % 64) & 1 == 1
}

impl Model<'_> {
    /// Depth-first search of the precedence tree from `root` (see the module text), the rules
    /// at every node; the first schedule found inside the windows is returned, and when the
    /// tree is exhausted the windows hold none. Without `dominance` (for tests) every node is
    /// searched: no cutset memory, inactive schedules too.
    pub(super) fn search(&self, root: State, stop: Stop, dominance: bool) -> Outcome {
        let n = self.p.len();
        let inst = self.inst;
        let mut memory: FxHashMap<Box<[u64]>, Vec<Cut>> = FxHashMap::default();
        let mut pairs = 0usize;
        let (mut nodes, mut dominated) = (0u64, 0u64);
        let release = root.es.clone();
        let horizon = root.lc.iter().copied().max().unwrap_or(0).max(0) as usize;
        // Per task: its device among `self.devices` and its place in that device's tasks.
        let mut slot = vec![None; n];
        for (d, dev) in self.devices.iter().enumerate() {
            for (i, &t) in dev.tasks.iter().enumerate() {
                slot[t] = Some((d, i));
            }
        }
        let mut stack = vec![Node {
            state: root,
            fixed: vec![0; n.div_ceil(64)],
            last: i64::MIN,
        }];
        while let Some(Node {
            mut state,
            fixed,
            last,
        }) = stack.pop()
        {
            nodes += 1;
            if nodes % 64 == 0 && stop.reached() {
                return Outcome::Open(nodes);
            }
            let end = |s: &State, t: usize| s.es[t] + self.p[t];
            let cuts = memory.get(fixed.as_slice()).filter(|_| dominance);
            if cuts.is_some_and(|cuts| cuts.iter().any(|c| c.dominates(last, |t| end(&state, t)))) {
                dominated += 1;
                continue;
            }
            // Searched from here on (a node whose rules fail is searched too).
            if dominance && pairs < MEMORY_PAIRS {
                let cut = Cut {
                    last,
                    running: (0..n)
                        .filter(|&t| has(&fixed, t) && end(&state, t) > last)
                        .map(|t| (t as u32, end(&state, t)))
                        .collect(),
                };
                pairs += cut.running.len() + 1;
                let cuts = memory.entry(fixed.clone().into_boxed_slice()).or_default();
                cuts.retain(|c| !c.dominated_by(&cut));
                cuts.push(cut);
            }
            for t in (0..n).filter(|&t| !has(&fixed, t)) {
                state.es[t] = state.es[t].max(last);
            }
            if self.fixpoint(&mut state).is_err() {
                continue;
            }
            let open: Vec<usize> = (0..n).filter(|&t| !has(&fixed, t)).collect();
            if open.is_empty() {
                return Outcome::Found(state.es);
            }
            let mut ready: Vec<usize> = open
                .into_iter()
                .filter(|&t| inst.preds(t).iter().all(|&k| has(&fixed, k)))
                .collect();
            // Active schedules only: a task that fits beside the fixed ones before the start
            // the rules give it is not next in any (see the module text).
            let usage = self.usage(&state, &fixed, horizon);
            ready.retain(|&t| {
                if !dominance {
                    return true;
                }
                let ready_at = inst
                    .preds(t)
                    .iter()
                    .map(|&k| end(&state, k))
                    .fold(release[t], i64::max);
                match slot[t] {
                    None => ready_at >= state.es[t],
                    Some((d, i)) => {
                        !self.fits_before(&usage[d], d, i, ready_at.max(0), state.es[t], self.p[t])
                    }
                }
            });
            // Most promising last on the stack: earliest start, then earliest latest start.
            ready.sort_by_key(|&t| std::cmp::Reverse((state.es[t], state.lc[t] - self.p[t], t)));
            for t in ready {
                let mut child = Node {
                    state: state.clone(),
                    fixed: fixed.clone(),
                    last: state.es[t],
                };
                child.fixed[t / 64] |= 1 << (t % 64);
                child.state.lc[t] = state.es[t] + self.p[t];
                stack.push(child);
            }
        }
        Outcome::Refuted(format!(
            "a search over start times with these rules ({nodes} nodes, {dominated} dominated) \
             found none"
        ))
    }

    /// The usage of every resource of every device by the fixed tasks, over `0..horizon`.
    fn usage(&self, s: &State, fixed: &[u64], horizon: usize) -> Usage {
        self.devices
            .iter()
            .map(|dev| {
                dev.resources
                    .iter()
                    .map(|(_, demand)| {
                        let mut used = vec![0.0; horizon];
                        for (i, &t) in dev.tasks.iter().enumerate() {
                            if has(fixed, t) && demand[i] > 0.0 {
                                let a = s.es[t].max(0) as usize;
                                let b = ((s.es[t] + self.p[t]).max(0) as usize).min(horizon);
                                for u in &mut used[a.min(b)..b] {
                                    *u += demand[i];
                                }
                            }
                        }
                        used
                    })
                    .collect()
            })
            .collect()
    }

    /// Whether task `i` of device `d`, of length `p`, fits beside the usage for `p` periods
    /// from some start in `from..to`.
    fn fits_before(
        &self,
        usage: &[Vec<f64>],
        d: usize,
        i: usize,
        from: i64,
        to: i64,
        p: i64,
    ) -> bool {
        let resources = &self.devices[d].resources;
        let fits = |q: i64| {
            resources.iter().zip(usage).all(|((cap, demand), used)| {
                used.get(q as usize).map_or(0.0, |&u| u) + demand[i] <= cap + TOLERANCE
            })
        };
        let mut start = from;
        let mut q = start;
        while start < to {
            if q == start + p {
                return true;
            }
            if fits(q) {
                q += 1;
            } else {
                start = q + 1;
                q = start;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::grid::{self, Grid, Horizon};
    use super::super::{Model, Outcome, State, Stop};
    use crate::model::{Instance, InstanceData};
    use crate::schedule::{Assignment, Schedule};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Whether the search finds a schedule of makespan at most `makespan` (checked by the
    /// project's checker when it does).
    fn feasible(inst: &Instance, makespan: i64, dominance: bool) -> bool {
        let grid = Grid::new(inst, 1.0);
        let horizon = Horizon {
            upper_bound: Some(makespan as f64),
            move_free_tasks_last: true,
        };
        let w = grid::windows(inst, &grid, horizon);
        let mut model = Model::new(inst, &grid);
        model.energetic_reasoning = false;
        let root = State {
            es: w.est.clone(),
            lc: w.lct.clone(),
        };
        match model.search(root, Stop::default(), dominance) {
            Outcome::Found(starts) => {
                let assignments = (0..inst.num_tasks())
                    .map(|t| Assignment {
                        task: t,
                        device: 0,
                        start: starts[t] as f64,
                        end: (starts[t] + model.p[t]) as f64,
                    })
                    .collect();
                let s = Schedule::new(assignments);
                assert!(s.violations(inst).is_empty(), "{:?}", s.violations(inst));
                assert!(s.value(inst) <= makespan as f64);
                true
            }
            Outcome::Refuted(_) => false,
            Outcome::Open(_) => unreachable!("no deadline"),
        }
    }

    #[test]
    fn dominance_keeps_the_optimum() {
        // Projects of 8–12 tasks on one node with three resources, some exclusive tasks,
        // precedence and releases: the optimum by the search without dominance (every node of
        // the precedence tree), from the length of all tasks in a row downwards; with the
        // cutset memory and active schedules only, the search must find a schedule at that
        // optimum and refute one unit below.
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut below = |k: u64| rng.random_range(0..k);
        let mut pruned = 0;
        for case in 0..60 {
            let n = 8 + below(5) as usize;
            let caps = [3 + below(4), 2 + below(3), 4];
            let tasks: Vec<String> = (0..n)
                .map(|t| {
                    let demand = if below(8) == 0 {
                        String::new()
                    } else {
                        let amounts: Vec<String> = ["a", "b", "c"]
                            .iter()
                            .zip(caps)
                            .map(|(r, cap)| format!(r#""{r}": {}"#, below(cap + 1)))
                            .collect();
                        format!(r#", "demand": {{{}}}"#, amounts.join(","))
                    };
                    let after: Vec<String> = (0..t)
                        .filter(|_| below(5) == 0)
                        .map(|k| format!(r#""t{k}""#))
                        .collect();
                    format!(
                        r#"{{"id": "t{t}", "work": {}, "release": {}, "after": [{}]{demand}}}"#,
                        1 + below(6),
                        if below(4) == 0 { below(8) } else { 0 },
                        after.join(",")
                    )
                })
                .collect();
            let json = format!(
                r#"{{"devices": [{{"id": "node", "resources": {{"a": {}, "b": {}, "c": {}}}}}],
                    "tasks": [{}]}}"#,
                caps[0],
                caps[1],
                caps[2],
                tasks.join(",")
            );
            let inst = Instance::new(serde_json::from_str::<InstanceData>(&json).unwrap()).unwrap();
            let serial: i64 = 8 + (0..n).map(|t| inst.min_ptime(t) as i64).sum::<i64>();
            let mut optimum = serial;
            while feasible(&inst, optimum - 1, false) {
                optimum -= 1;
            }
            assert!(optimum < serial, "case {case}");
            assert!(
                feasible(&inst, optimum, true),
                "case {case}: lost {optimum}"
            );
            assert!(!feasible(&inst, optimum - 1, true), "case {case}");
            pruned += 1;
        }
        assert_eq!(pruned, 60);
    }
}
