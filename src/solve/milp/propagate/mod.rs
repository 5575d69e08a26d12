//! Constraint propagation on the start windows of a makespan model: precedence, disjunction,
//! time-tabling, energetic reasoning and shaving, on every device where tasks are fixed (one
//! eligible device); a search over start times; the destructive lower bound.
//!
//! The strict makespan model asks for a schedule ending at least one unit before the warm start.
//! Its windows (heads and tails along precedence within that horizon) are tightened here, to a
//! fixpoint of four rules, each of which removes only starts that no schedule of the model uses:
//! - **precedence**: a task starts after each predecessor's earliest end, and ends before each
//!   successor's latest start;
//! - **disjunction**: two tasks that together overload a resource run one after the other; when
//!   the windows leave only one order, it is imposed;
//! - **time-tabling**: a task whose window is shorter than twice its length certainly runs in
//!   `[latest start, earliest end)` (its compulsory part); against the sum of the other
//!   compulsory parts on its device, a start whose run would overload a resource is removed;
//! - **energetic reasoning**: in every interval `[a, b)` between an earliest start and a latest
//!   end, the work the tasks cannot avoid doing inside it fits `capacity × (b − a)`; and (at the
//!   root and in shaving) a task that would do more inside it than the room the others leave
//!   moves out of it.
//!
//! **Shaving** then tries each task at the ends of its window: when fixing it there makes the
//! rules above fail, that start goes. When a window becomes empty, no schedule is shorter than
//! the warm start, which is therefore optimal (the destructive lower-bound argument of Klein &
//! Scholl 1999, by propagation only).
//!
//! Exclusive tasks (and every task of a device without `resources`) hold a virtual resource of
//! capacity 1 completely; sharing tasks hold `1 / (n + 1)` of it, so they may overlap each other
//! but not an exclusive task.

mod search;

use super::grid::{Grid, Windows};
use crate::model::Instance;
use crate::solve::Cancel;
use std::time::Instant;

/// Tolerance of the capacity comparisons (demands are real numbers).
const TOLERANCE: f64 = 1e-9;

/// The tasks of one device that propagation filters: those with no other eligible device.
struct Device {
    tasks: Vec<usize>,
    /// Pairs of its tasks that cannot overlap (together they overload a resource).
    pairs: Vec<(usize, usize)>,
    /// Per resource (the instance's, then the virtual one): capacity and per task its demand.
    resources: Vec<(f64, Vec<f64>)>,
}

/// What propagation works on: per task its length on its only device (or the shortest), and
/// the devices with fixed tasks.
struct Model<'a> {
    inst: &'a Instance,
    p: Vec<i64>,
    devices: Vec<Device>,
    /// Energetic reasoning runs (detection and adjustments): at the root and in shaving, not
    /// in the search, where it took two thirds of the time and, beside the cutset memory, cut
    /// almost nothing (PSPLIB j3025_1: 99,982 nodes with it, 100,213 without; j3013_1 proven
    /// in 8.3 s without it, open after 10 s with it).
    energetic_reasoning: bool,
}

/// Current windows: earliest start and latest completion per task.
#[derive(Clone)]
struct State {
    es: Vec<i64>,
    lc: Vec<i64>,
}

/// Why the windows are empty: a sentence naming the task or the device and resource.
pub(super) type Refutation = String;

/// When propagation and its search stop: at a deadline, at a cancellation, at the first of
/// both, or (neither given) never.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Stop<'a> {
    /// Stop at this instant.
    pub deadline: Option<Instant>,
    /// Stop once this is cancelled.
    pub cancel: Option<&'a Cancel>,
}

impl Stop<'_> {
    /// True once the deadline has passed or the token is cancelled.
    pub fn reached(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
            || self.cancel.is_some_and(Cancel::is_cancelled)
    }

    /// The same, with the deadline moved to a third of the time left to it.
    pub fn at_a_third(&self) -> Self {
        let now = Instant::now();
        Stop {
            deadline: self
                .deadline
                .map(|d| now + d.saturating_duration_since(now) / 3),
            ..*self
        }
    }
}

/// What [`propagate`] established about the schedules inside the windows.
pub(super) enum Outcome {
    /// There are none (why).
    Refuted(Refutation),
    /// One exists: these start periods (a schedule of the model).
    Found(Vec<i64>),
    /// Not decided before the deadline after this many search nodes (0: the search does not
    /// apply); the windows are tightened.
    Open(u64),
}

/// Tighten `windows` for schedules inside them, then (with `search`) search for one
/// (depth-first, see [`Model::search`]) where every task has one eligible device and a positive
/// length. Shaving stops at a third of the time to the deadline, the search at the deadline
/// (both at a cancellation); the windows are valid whenever they stop.
pub(super) fn propagate(
    inst: &Instance,
    grid: &Grid,
    windows: &mut Windows,
    stop: Stop,
    search: bool,
) -> Outcome {
    let mut model = Model::new(inst, grid);
    let mut state = State {
        es: (0..inst.num_tasks())
            .map(|t| {
                let avail = inst
                    .eligible(t)
                    .iter()
                    .map(|&d| grid.available[d])
                    .min()
                    .unwrap_or(0);
                windows.est[t].max(avail)
            })
            .collect(),
        lc: windows.lct.clone(),
    };
    // Shaving may take a third of the time (it is quick on 30 tasks; large models keep the
    // rest for the search or HiGHS).
    let root = model
        .fixpoint(&mut state)
        .and_then(|()| model.shave(&mut state, stop.at_a_third()));
    windows.est = state.es.clone();
    windows.lct = state.lc.clone();
    if let Err(why) = root {
        return Outcome::Refuted(why);
    }
    let searchable = (0..inst.num_tasks()).all(|t| inst.eligible(t).len() == 1 && model.p[t] > 0);
    if !(search && searchable) {
        return Outcome::Open(0);
    }
    model.energetic_reasoning = false;
    model.search(state, stop, true)
}

/// The load lower bound on the makespan, in periods: the least horizon H by which the devices,
/// each working from its availability, have room for every task's shortest time
/// (Σ_d (H − available_d)⁺ ≥ Σ_t min_d p(t, d)). Valid when a device runs one task at a time
/// (no task shares a device) and the grid is exact; `None` otherwise.
pub(super) fn load_bound(inst: &Instance, grid: &Grid) -> Option<i64> {
    if inst.has_sharing() || grid.kind != super::grid::GridKind::Exact {
        return None;
    }
    let work: i64 = (0..inst.num_tasks())
        .filter_map(|t| inst.eligible(t).iter().filter_map(|&d| grid.p(t, d)).min())
        .sum();
    let mut available = grid.available.clone();
    available.sort_unstable();
    // Room by horizon H with the first k devices (the earliest available) working.
    let (mut before, mut best) = (0i64, i64::MAX);
    for (k, &a) in available.iter().enumerate() {
        before += a;
        let k = k as i64 + 1;
        // k·H − Σ a ≥ work ⇔ H ≥ (work + Σ a) / k, valid when H ≥ a (the k-th device works).
        let h = ((work + before) + k - 1) / k;
        best = best.min(h.max(a));
    }
    (best != i64::MAX).then_some(best)
}

/// The destructive lower bound on the makespan, in periods: one more than the largest horizon
/// below the end of `open` (windows propagation did not refute, e.g. the strict model's) that
/// propagation without search refutes, found by bisection from the critical-path bound (the
/// heads of `open` do not depend on the horizon); only refuted horizons count, so it is valid
/// whatever propagation misses. Stops at `stop`.
pub(super) fn destructive_bound(inst: &Instance, grid: &Grid, open: &Windows, stop: Stop) -> i64 {
    let top = open.lct.iter().copied().max().unwrap_or(0);
    // Every task ends by the makespan: its earliest end is a bound.
    let mut best = (0..inst.num_tasks())
        .filter_map(|t| {
            inst.eligible(t)
                .iter()
                .map(|&d| open.est[t].max(grid.available[d]) + grid.p(t, d).unwrap_or(0))
                .min()
        })
        .max()
        .unwrap_or(0)
        .max(load_bound(inst, grid).unwrap_or(0));
    let (mut lo, mut hi) = (best, top - 1);
    while lo <= hi && !stop.reached() {
        let mid = lo + (hi - lo) / 2;
        let mut w = super::grid::windows(
            inst,
            grid,
            super::grid::Horizon {
                upper_bound: Some(mid as f64 * grid.unit),
                move_free_tasks_last: true,
            },
        );
        if let Outcome::Refuted(_) = propagate(inst, grid, &mut w, stop, false) {
            best = best.max(mid + 1);
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    best.min(top)
}

impl<'a> Model<'a> {
    fn new(inst: &'a Instance, grid: &Grid) -> Model<'a> {
        let n = inst.num_tasks();
        let p: Vec<i64> = (0..n)
            .map(|t| {
                inst.eligible(t)
                    .iter()
                    .filter_map(|&d| grid.p(t, d))
                    .min()
                    .unwrap_or(0)
            })
            .collect();
        let mut devices = Vec::new();
        for d in 0..inst.num_devices() {
            let tasks: Vec<usize> = (0..n)
                .filter(|&t| inst.eligible(t) == [d] && p[t] > 0)
                .collect();
            if tasks.len() < 2 {
                continue;
            }
            let mut resources = Vec::new();
            if inst.offers_resources(d) {
                for k in 0..inst.num_resources() {
                    let demand: Vec<f64> = tasks.iter().map(|&t| inst.held(t, d, k)).collect();
                    if demand.iter().any(|&a| a > 0.0) {
                        resources.push((inst.resource_capacity(d, k), demand));
                    }
                }
            }
            if tasks.iter().any(|&t| !inst.shares(t, d)) {
                let share = 1.0 / (n + 1) as f64;
                let demand = tasks
                    .iter()
                    .map(|&t| if inst.shares(t, d) { share } else { 1.0 })
                    .collect();
                resources.push((1.0, demand));
            }
            let mut pairs = Vec::new();
            for i in 0..tasks.len() {
                for j in i + 1..tasks.len() {
                    if resources
                        .iter()
                        .any(|(cap, dem)| dem[i] + dem[j] > cap + TOLERANCE)
                    {
                        pairs.push((tasks[i], tasks[j]));
                    }
                }
            }
            devices.push(Device {
                tasks,
                pairs,
                resources,
            });
        }
        Model {
            inst,
            p,
            devices,
            energetic_reasoning: true,
        }
    }

    fn name(&self, t: usize) -> &str {
        &self.inst.task(t).id
    }

    /// Apply the rules until none changes a window.
    fn fixpoint(&self, s: &mut State) -> Result<(), Refutation> {
        loop {
            self.precedence(s)?;
            let mut changed = false;
            for dev in &self.devices {
                changed |= self.disjunctive(s, &dev.pairs)?;
            }
            for dev in &self.devices {
                for (cap, demand) in &dev.resources {
                    changed |= self.time_table(s, &dev.tasks, *cap, demand)?;
                }
            }
            if !changed {
                if self.energetic_reasoning {
                    for dev in &self.devices {
                        for (cap, demand) in &dev.resources {
                            changed |= self.energetic(s, &dev.tasks, *cap, demand)?;
                        }
                    }
                }
                if !changed {
                    return Ok(());
                }
            }
        }
    }

    fn precedence(&self, s: &mut State) -> Result<(), Refutation> {
        let inst = self.inst;
        for &t in inst.topological_order() {
            for &k in inst.preds(t) {
                s.es[t] = s.es[t].max(s.es[k] + self.p[k]);
            }
        }
        for &t in inst.topological_order().iter().rev() {
            for &k in inst.succs(t) {
                s.lc[t] = s.lc[t].min(s.lc[k] - self.p[k]);
            }
        }
        match (0..inst.num_tasks()).find(|&t| s.es[t] + self.p[t] > s.lc[t]) {
            Some(t) => Err(format!(
                "task '{}' cannot run between its earliest start {} and its latest end {}",
                self.name(t),
                s.es[t],
                s.lc[t]
            )),
            None => Ok(()),
        }
    }

    /// Pairs that cannot overlap: when only one order fits the windows, it is imposed.
    fn disjunctive(&self, s: &mut State, pairs: &[(usize, usize)]) -> Result<bool, Refutation> {
        let mut changed = false;
        for &(i, j) in pairs {
            let (pi, pj) = (self.p[i], self.p[j]);
            let i_first = s.es[i] + pi <= s.lc[j] - pj;
            let j_first = s.es[j] + pj <= s.lc[i] - pi;
            let (a, b) = match (i_first, j_first) {
                (true, true) => continue,
                (false, false) => {
                    return Err(format!(
                        "tasks '{}' and '{}' cannot overlap, and neither fits before the other",
                        self.name(i),
                        self.name(j)
                    ));
                }
                (true, false) => (i, j),
                (false, true) => (j, i),
            };
            // a runs before b.
            let es = s.es[a] + self.p[a];
            let lc = s.lc[b] - self.p[b];
            if es > s.es[b] || lc < s.lc[a] {
                s.es[b] = s.es[b].max(es);
                s.lc[a] = s.lc[a].min(lc);
                changed = true;
            }
        }
        Ok(changed)
    }

    /// Time-tabling on one resource: returns whether a window changed.
    fn time_table(
        &self,
        s: &mut State,
        tasks: &[usize],
        cap: f64,
        demand: &[f64],
    ) -> Result<bool, Refutation> {
        let lo = tasks.iter().map(|&t| s.es[t]).min().unwrap_or(0);
        let hi = tasks.iter().map(|&t| s.lc[t]).max().unwrap_or(0);
        if hi <= lo {
            return Ok(false);
        }
        let mut profile = vec![0.0f64; (hi - lo) as usize];
        let part = |s: &State, t: usize| (s.lc[t] - self.p[t], s.es[t] + self.p[t]);
        for (i, &t) in tasks.iter().enumerate() {
            let (a, b) = part(s, t);
            for q in a.max(lo)..b.min(hi) {
                profile[(q - lo) as usize] += demand[i];
            }
        }
        if let Some(q) = profile.iter().position(|&u| u > cap + TOLERANCE) {
            return Err(format!(
                "the parts that tasks must run cover period {} with {} of a capacity of {cap}",
                lo + q as i64,
                profile[q]
            ));
        }
        let mut changed = false;
        for (i, &t) in tasks.iter().enumerate() {
            let dem = demand[i];
            if dem <= 0.0 {
                continue;
            }
            let (a, b) = part(s, t);
            let p = self.p[t];
            let fits = |q: i64| {
                let own = if q >= a && q < b { dem } else { 0.0 };
                profile[(q - lo) as usize] - own + dem <= cap + TOLERANCE
            };
            // Earliest start: the first run of p periods from es where every period fits.
            let mut start = s.es[t];
            let mut q = start;
            while q < start + p {
                if start + p > s.lc[t] {
                    break;
                }
                if fits(q) {
                    q += 1;
                } else {
                    start = q + 1;
                    q = start;
                }
            }
            // Latest end, symmetrically.
            let mut end = s.lc[t];
            let mut q = end - 1;
            while q >= end - p {
                if end - p < start {
                    break;
                }
                if fits(q) {
                    q -= 1;
                } else {
                    end = q;
                    q = end - 1;
                }
            }
            if start + p > end {
                return Err(format!(
                    "task '{}' finds no {p} consecutive periods with room between {} and {}",
                    self.name(t),
                    s.es[t],
                    s.lc[t]
                ));
            }
            if start != s.es[t] || end != s.lc[t] {
                s.es[t] = start;
                s.lc[t] = end;
                changed = true;
            }
        }
        Ok(changed)
    }

    /// Energetic reasoning on one resource: every interval between an earliest start and a
    /// latest end holds the work that must happen inside it.
    fn energetic(
        &self,
        s: &mut State,
        tasks: &[usize],
        cap: f64,
        demand: &[f64],
    ) -> Result<bool, Refutation> {
        let mut starts: Vec<i64> = tasks.iter().map(|&t| s.es[t]).collect();
        let mut ends: Vec<i64> = tasks.iter().map(|&t| s.lc[t]).collect();
        starts.sort_unstable();
        starts.dedup();
        ends.sort_unstable();
        ends.dedup();
        let mut inside = vec![0.0f64; tasks.len()];
        let mut changed = false;
        for &a in &starts {
            for &b in ends.iter().filter(|&&b| b > a) {
                let mut need = 0.0;
                for (i, &t) in tasks.iter().enumerate() {
                    let p = self.p[t];
                    let least = (b - a).min(p).min(s.es[t] + p - a).min(b - (s.lc[t] - p));
                    inside[i] = demand[i] * least.max(0) as f64;
                    need += inside[i];
                }
                let room = cap * (b - a) as f64;
                if need > room + TOLERANCE * need.max(1.0) {
                    return Err(format!(
                        "the tasks must do {need} units of work in periods {a}..{b}, where a \
                         capacity of {cap} allows {room}"
                    ));
                }
                // Adjustments: a task that cannot do, at its earliest start (latest end), as
                // much inside [a, b) as the room the others leave must start later (end
                // earlier) — by as much as it has to move its run out of the interval.
                for (i, &t) in tasks.iter().enumerate() {
                    if demand[i] <= 0.0 {
                        continue;
                    }
                    let p = self.p[t];
                    let most = ((room - (need - inside[i])) / demand[i] + TOLERANCE).floor() as i64;
                    let early = (s.es[t] + p).min(b) - s.es[t].max(a);
                    if early > most && s.es[t] < b {
                        let es = b - most.max(0);
                        if es > s.es[t] {
                            s.es[t] = es;
                            changed = true;
                        }
                    }
                    let late = s.lc[t].min(b) - (s.lc[t] - p).max(a);
                    if late > most && s.lc[t] > a {
                        let lc = a + most.max(0);
                        if lc < s.lc[t] {
                            s.lc[t] = lc;
                            changed = true;
                        }
                    }
                    if s.es[t] + p > s.lc[t] {
                        return Err(format!(
                            "task '{}' has no room left by the work the others must do in \
                             periods {a}..{b}",
                            self.name(t)
                        ));
                    }
                }
            }
        }
        Ok(changed)
    }

    /// Shaving: remove the window ends at which fixing a task makes the rules fail.
    fn shave(&self, s: &mut State, stop: Stop) -> Result<(), Refutation> {
        let fixed: Vec<usize> = self.devices.iter().flat_map(|d| d.tasks.clone()).collect();
        loop {
            let mut changed = false;
            for &t in &fixed {
                for earliest in [true, false] {
                    loop {
                        if stop.reached() {
                            return Ok(());
                        }
                        let mut trial = s.clone();
                        if earliest {
                            trial.lc[t] = s.es[t] + self.p[t];
                        } else {
                            trial.es[t] = s.lc[t] - self.p[t];
                        }
                        if self.fixpoint(&mut trial).is_ok() {
                            break;
                        }
                        if earliest {
                            s.es[t] += 1;
                        } else {
                            s.lc[t] -= 1;
                        }
                        changed = true;
                        self.fixpoint(s)?;
                    }
                }
            }
            if !changed {
                return Ok(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::grid::{self, Horizon};
    use super::*;
    use crate::model::InstanceData;

    /// Every order of `0..n` (Heap's algorithm).
    fn orders(n: usize) -> Vec<Vec<usize>> {
        fn heap(k: usize, a: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
            if k <= 1 {
                out.push(a.clone());
                return;
            }
            for i in 0..k {
                heap(k - 1, a, out);
                let j = if k % 2 == 0 { i } else { 0 };
                a.swap(j, k - 1);
            }
        }
        let mut out = Vec::new();
        heap(n, &mut (0..n).collect(), &mut out);
        out
    }

    fn windows_below(inst: &Instance, grid: &Grid, makespan: f64) -> Windows {
        let horizon = Horizon {
            upper_bound: Some(makespan),
            move_free_tasks_last: true,
        };
        grid::windows(inst, grid, horizon)
    }

    #[test]
    fn the_load_bound_counts_each_device_from_its_availability() {
        let inst = |json: &str| {
            Instance::new(serde_json::from_str::<InstanceData>(json).unwrap()).unwrap()
        };
        // Work 3 + 4 + 5 = 12 on two devices from 0: 6. With b available from 10: 11 (by then
        // a has done 11 and b 1; the optimum is 12, since tasks do not split).
        let free = inst(
            r#"{"devices": [{"id": "a"}, {"id": "b"}],
                "tasks": [{"id": "x", "work": 3}, {"id": "y", "work": 4}, {"id": "z", "work": 5}]}"#,
        );
        assert_eq!(load_bound(&free, &Grid::new(&free, 1.0)), Some(6));
        let late = inst(
            r#"{"devices": [{"id": "a"}, {"id": "b", "available_from": 10}],
                "tasks": [{"id": "x", "work": 3}, {"id": "y", "work": 4}, {"id": "z", "work": 5}]}"#,
        );
        assert_eq!(load_bound(&late, &Grid::new(&late, 1.0)), Some(11));
        // 7 periods of work: ⌈7 / 2⌉ = 4, on the exact grid only.
        let odd = inst(
            r#"{"devices": [{"id": "a"}, {"id": "b"}],
                "tasks": [{"id": "x", "work": 3}, {"id": "y", "work": 4}]}"#,
        );
        assert_eq!(load_bound(&odd, &Grid::new(&odd, 1.0)), Some(4));
        assert_eq!(load_bound(&odd, &Grid::new(&odd, 2.0)), None);
    }

    #[test]
    fn a_cancellation_stops_propagation_without_a_deadline() {
        let never = Stop::default();
        assert!(!never.reached() && !never.at_a_third().reached());
        let cancel = Cancel::new();
        let stop = Stop {
            deadline: None,
            cancel: Some(&cancel),
        };
        assert!(!stop.reached());
        cancel.cancel();
        assert!(stop.reached() && stop.at_a_third().reached());
        // The destructive bound's bisection does not start: the longest task (4) is all it
        // returns, where it reaches the optimum (8: x alone, then y beside z) when it runs.
        let inst = Instance::new(
            serde_json::from_str::<InstanceData>(
                r#"{"devices": [{"id": "node", "resources": {"a": 2}}],
                    "tasks": [{"id": "x", "work": 4, "demand": {"a": 2}},
                              {"id": "y", "work": 4, "demand": {"a": 1}},
                              {"id": "z", "work": 4, "demand": {"a": 1}}]}"#,
            )
            .unwrap(),
        )
        .unwrap();
        let grid = Grid::new(&inst, 1.0);
        let wide = windows_below(&inst, &grid, 30.0);
        assert_eq!(destructive_bound(&inst, &grid, &wide, never), 8);
        assert_eq!(destructive_bound(&inst, &grid, &wide, stop), 4);
    }

    #[test]
    fn refutes_below_the_optimum_and_finds_a_schedule_at_it() {
        // Tiny cumulative instances (one node, two resources, exclusive tasks, precedence,
        // releases; up to 7 tasks): the
        // optimum by the serial scheme over every order (which reaches an optimal active
        // schedule); one unit below it propagation and search must refute, at it they must
        // find a schedule that short.
        let mut state = 11u64;
        let mut next = |k: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % k
        };
        let (mut refuted_early, mut searched, mut tight) = (0, 0, 0);
        for case in 0..200 {
            let n = 3 + next(5) as usize;
            let caps = [2 + next(4), 1 + next(3)];
            let tasks: Vec<String> = (0..n)
                .map(|t| {
                    let demand = if next(6) == 0 {
                        String::new()
                    } else {
                        format!(
                            r#", "demand": {{"a": {}, "b": {}}}"#,
                            next(caps[0] + 1),
                            next(caps[1] + 1)
                        )
                    };
                    let after: Vec<String> = (0..t)
                        .filter(|_| next(4) == 0)
                        .map(|k| format!(r#""t{k}""#))
                        .collect();
                    let release = if next(4) == 0 {
                        format!(r#", "release": {}"#, next(6))
                    } else {
                        String::new()
                    };
                    format!(
                        r#"{{"id": "t{t}", "work": {}, "after": [{}]{demand}{release}}}"#,
                        1 + next(5),
                        after.join(",")
                    )
                })
                .collect();
            let json = format!(
                r#"{{"devices": [{{"id": "node", "resources": {{"a": {}, "b": {}}}}}],
                    "tasks": [{}]}}"#,
                caps[0],
                caps[1],
                tasks.join(",")
            );
            let inst = Instance::new(serde_json::from_str::<InstanceData>(&json).unwrap()).unwrap();
            let device_of = vec![0; n];
            let optimum = orders(n)
                .iter()
                .map(|o| {
                    crate::schedule::build(&inst, o, &device_of)
                        .unwrap()
                        .value(&inst)
                })
                .fold(f64::INFINITY, f64::min);
            let grid = Grid::new(&inst, 1.0);
            let mut below = windows_below(&inst, &grid, optimum - 1.0);
            match propagate(&inst, &grid, &mut below, Stop::default(), true) {
                Outcome::Refuted(why) => {
                    refuted_early += usize::from(!why.contains("search"));
                }
                Outcome::Found(starts) => panic!("case {case}: found {starts:?} below {optimum}"),
                Outcome::Open(_) => panic!("case {case}: open without a deadline"),
            }
            // Horizons at and above the optimum hold a schedule: never refuted.
            let wide = windows_below(&inst, &grid, 3.0 * optimum);
            let bound = destructive_bound(&inst, &grid, &wide, Stop::default());
            assert!(
                bound as f64 <= optimum,
                "case {case}: bound {bound} above {optimum}"
            );
            tight += usize::from(bound as f64 == optimum);
            let mut at = windows_below(&inst, &grid, optimum);
            match propagate(&inst, &grid, &mut at, Stop::default(), true) {
                Outcome::Found(starts) => {
                    searched += 1;
                    let order = {
                        let mut o: Vec<usize> = (0..n).collect();
                        o.sort_by_key(|&t| (starts[t], t));
                        o
                    };
                    let s = crate::schedule::build(&inst, &order, &device_of).unwrap();
                    assert!(s.value(&inst) <= optimum, "case {case}: {}", s.value(&inst));
                }
                Outcome::Refuted(why) => {
                    panic!("case {case}: refuted at the optimum {optimum}: {why}")
                }
                Outcome::Open(_) => panic!("case {case}: open without a deadline"),
            }
        }
        assert!(
            refuted_early > 0 && searched == 200,
            "{refuted_early} {searched}"
        );
        assert!(
            tight > 60,
            "the destructive bound reached the optimum {tight} times of 200"
        );
    }
}
