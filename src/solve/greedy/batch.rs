//! Batch-mode mapping heuristics (Braun et al. 2001): Min-Min, Max-Min, Sufferage.
//!
//! Each step considers every unmapped task whose predecessors are mapped, computes its earliest
//! completion on each device through the [`Timetable`], and maps one task. A task's best and
//! second-best devices are cached: placing a task on device `d` can only delay `d`, so only tasks
//! whose cached best (or, for Sufferage, second-best) device is `d` are re-evaluated.
//!
//! Min-Min without precedence and with every release at or before every device's availability
//! (the Braun ETC setting) takes a faster path: the pair (task, device) with the smallest
//! completion is the front of one device's list of tasks sorted by processing time, so after
//! m sorts (n·m·log n) each step costs O(m).
//!
//! Max-Min and Sufferage in that setting take one too ([`independent`]): completions are the
//! device's tail plus the time, the next task comes from a heap whose keys change in place, and
//! placing a task on d re-evaluates only the tasks that watch d (whose cached best — or, for
//! Sufferage, second-best — device it is). A watcher whose new completion on d is still below
//! its cached second-best keeps d without a scan: the other devices' completions only grow, so
//! the cached second-best is a lower bound on each of them (for Sufferage, which re-evaluates a
//! task whenever its second-best device grows too, it stays exact). Sufferage re-evaluates
//! about four times as often; it first recomputes only the task's [`Shortlist`] (its 8 best
//! devices at its last scan, with the next completion as a lower bound on the others), and
//! lowers a falling key only when the task reaches the top of the heap. The portfolios leave
//! both rules out where their n²/m work would take seconds ([`super::BestGreedy::batch_rules_fit`]).

use super::list::no_room;
use crate::error::Error;
use crate::model::Instance;
use crate::schedule::{Schedule, Timetable};
use rayon::prelude::*;

/// Which task a batch heuristic maps next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchRule {
    /// Smallest earliest completion (ties: lowest task, then device, index).
    MinMin,
    /// Largest earliest completion (ties: lowest task index).
    MaxMin,
    /// Largest sufferage: second-best minus best completion; a task with one usable device
    /// suffers infinitely (ties: lowest task index).
    Sufferage,
}

#[derive(Debug, Clone, Copy)]
struct Best {
    ct: f64,
    d: usize,
    ct2: f64,
    d2: usize,
}

/// The best and second-best of (device, completion) candidates (ties: the first given).
fn top_two(candidates: impl Iterator<Item = (usize, f64)>) -> Option<Best> {
    let mut b = Best {
        ct: f64::INFINITY,
        d: usize::MAX,
        ct2: f64::INFINITY,
        d2: usize::MAX,
    };
    for (d, ct) in candidates {
        if ct < b.ct {
            (b.ct2, b.d2, b.ct, b.d) = (b.ct, b.d, ct, d);
        } else if ct < b.ct2 {
            (b.ct2, b.d2) = (ct, d);
        }
    }
    (b.d != usize::MAX).then_some(b)
}

fn best_of(tt: &Timetable, t: usize, ready: f64) -> Option<Best> {
    let inst = tt.instance();
    top_two(
        inst.eligible(t)
            .iter()
            .filter_map(|&d| tt.completion_from(t, d, ready).map(|ct| (d, ct))),
    )
}

/// Map every task with `rule`.
pub fn schedule(inst: &Instance, rule: BatchRule) -> Result<Schedule, Error> {
    if inst.is_independent() {
        return independent(inst, rule);
    }
    let n = inst.num_tasks();
    let mut tt = Timetable::new(inst);
    let mut ready: Vec<usize> = (0..n).filter(|&t| inst.preds(t).is_empty()).collect();
    let mut best: Vec<Option<Best>> = vec![None; n];
    // A task's ready time is fixed once its predecessors are placed.
    let mut ready_at = vec![0.0; n];
    for &t in &ready {
        ready_at[t] = tt.ready_time(t).expect("no predecessors");
        best[t] = best_of(&tt, t, ready_at[t]);
    }
    while tt.num_placed() < n {
        let mut pick: Option<(usize, f64)> = None; // (position in ready, key)
        for (i, &t) in ready.iter().enumerate() {
            let Some(b) = best[t] else {
                return Err(no_room(inst, t));
            };
            let key = match rule {
                BatchRule::MinMin => b.ct,
                BatchRule::MaxMin => -b.ct,
                BatchRule::Sufferage => -(b.ct2 - b.ct),
            };
            let better = match pick {
                None => true,
                Some((j, k)) => key < k || (key == k && t < ready[j]),
            };
            if better {
                pick = Some((i, key));
            }
        }
        let Some((i, _)) = pick else {
            return Err(Error::Solve(
                "no task is ready to map (internal error)".into(),
            ));
        };
        let t = ready.swap_remove(i);
        let d = best[t].expect("checked above").d;
        tt.place(t, d)?;
        for c in ready.iter().copied() {
            let b = best[c].expect("checked above");
            if b.d == d || (rule == BatchRule::Sufferage && b.d2 == d) {
                best[c] = best_of(&tt, c, ready_at[c]);
            }
        }
        for &s in inst.succs(t) {
            if tt.is_ready(s) {
                ready.push(s);
                ready_at[s] = tt.ready_time(s).expect("ready");
                best[s] = best_of(&tt, s, ready_at[s]);
            }
        }
    }
    tt.into_schedule()
}

/// A max-heap of tasks by key (ties: the lower task index first) that can change a task's key
/// in place: its size stays the number of unmapped tasks, however often keys change.
struct KeyedHeap {
    /// Tasks in heap order.
    heap: Vec<usize>,
    /// Position of each task in `heap` (`usize::MAX`: not in it).
    pos: Vec<usize>,
    key: Vec<f64>,
}

impl KeyedHeap {
    fn new(keys: Vec<f64>) -> Self {
        let n = keys.len();
        let mut h = KeyedHeap {
            heap: (0..n).collect(),
            pos: (0..n).collect(),
            key: keys,
        };
        for i in (0..n / 2).rev() {
            h.down(i);
        }
        h
    }

    /// True when task a comes before task b.
    #[inline]
    fn before(&self, a: usize, b: usize) -> bool {
        match self.key[a].total_cmp(&self.key[b]) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Less => false,
            std::cmp::Ordering::Equal => a < b,
        }
    }

    fn swap(&mut self, i: usize, j: usize) {
        self.heap.swap(i, j);
        self.pos[self.heap[i]] = i;
        self.pos[self.heap[j]] = j;
    }

    fn up(&mut self, mut i: usize) {
        while i > 0 {
            let p = (i - 1) / 2;
            if !self.before(self.heap[i], self.heap[p]) {
                break;
            }
            self.swap(i, p);
            i = p;
        }
    }

    fn down(&mut self, mut i: usize) {
        loop {
            let (l, r) = (2 * i + 1, 2 * i + 2);
            let mut top = i;
            if l < self.heap.len() && self.before(self.heap[l], self.heap[top]) {
                top = l;
            }
            if r < self.heap.len() && self.before(self.heap[r], self.heap[top]) {
                top = r;
            }
            if top == i {
                break;
            }
            self.swap(i, top);
            i = top;
        }
    }

    /// The first task, without removing it.
    fn peek(&self) -> Option<usize> {
        self.heap.first().copied()
    }

    fn pop(&mut self) -> Option<usize> {
        let last = self.heap.len().checked_sub(1)?;
        self.swap(0, last);
        let t = self.heap.pop()?;
        self.pos[t] = usize::MAX;
        if !self.heap.is_empty() {
            self.down(0);
        }
        Some(t)
    }

    /// Give task `t` (in the heap) a new key.
    fn set(&mut self, t: usize, key: f64) {
        let old = self.key[t];
        self.key[t] = key;
        let i = self.pos[t];
        if key > old {
            self.up(i);
        } else {
            self.down(i);
        }
    }
}

/// How many of a task's devices the independent paths keep in its [`Shortlist`].
const SHORT: usize = 8;

/// A task's best devices at its last full scan: the `SHORT` eligible devices with the smallest
/// completions then (by completion, then index), and the next completion (`bound`; infinite
/// when every usable device is listed). Completions only grow as tasks are placed, so `bound`
/// stays a lower bound on every unlisted device's completion: when the two best of the listed
/// devices, recomputed, both finish before it, they are the task's true best two without a
/// scan of all devices.
#[derive(Debug, Clone, Copy)]
struct Shortlist {
    dev: [u32; SHORT],
    len: u8,
    bound: f64,
}

/// Task `t`'s best and second-best completions from the devices' tails, and its shortlist
/// (`capped`: some device has a capacity, so usable devices are those `t` still fits).
fn scan(inst: &Instance, tt: &Timetable, t: usize, capped: bool) -> Option<(Best, Shortlist)> {
    // The SHORT + 1 smallest (completion, device), ascending; devices come in ascending order,
    // so a device goes after those of equal completion.
    let mut top = [(f64::INFINITY, usize::MAX); SHORT + 1];
    let mut len = 0;
    let row = inst.class_ptimes(t);
    for &d in inst.eligible(t) {
        if capped && !tt.fits_capacity(t, d) {
            continue;
        }
        let ct = tt.device_tail(d) + row[inst.device_class(d)];
        if len == SHORT + 1 && ct >= top[SHORT].0 {
            continue;
        }
        let mut i = len.min(SHORT);
        while i > 0 && ct < top[i - 1].0 {
            top[i] = top[i - 1];
            i -= 1;
        }
        top[i] = (ct, d);
        len = (len + 1).min(SHORT + 1);
    }
    if len == 0 {
        return None;
    }
    let best = Best {
        ct: top[0].0,
        d: top[0].1,
        ct2: top[1].0,
        d2: top[1].1,
    };
    let mut dev = [0u32; SHORT];
    for (slot, &(_, d)) in dev.iter_mut().zip(&top[..len.min(SHORT)]) {
        *slot = d as u32;
    }
    let short = Shortlist {
        dev,
        len: len.min(SHORT) as u8,
        bound: top[SHORT].0,
    };
    Some((best, short))
}

/// The best two of `t`'s shortlist, recomputed, when they are provably its best two.
fn recheck(
    inst: &Instance,
    tt: &Timetable,
    t: usize,
    capped: bool,
    short: &Shortlist,
) -> Option<Best> {
    // `top_two`'s rule (ties to the lower device) spelled out, because the shortlist is in
    // completion order, not device order: sorting it, or tuple compares, cost Sufferage 10–30 %
    // on 5000 × 64 (criterion).
    let mut b = Best {
        ct: f64::INFINITY,
        d: usize::MAX,
        ct2: f64::INFINITY,
        d2: usize::MAX,
    };
    let row = inst.class_ptimes(t);
    for &d in &short.dev[..short.len as usize] {
        let d = d as usize;
        if capped && !tt.fits_capacity(t, d) {
            continue;
        }
        let ct = tt.device_tail(d) + row[inst.device_class(d)];
        if ct < b.ct || (ct == b.ct && d < b.d) {
            (b.ct2, b.d2, b.ct, b.d) = (b.ct, b.d, ct, d);
        } else if ct < b.ct2 || (ct == b.ct2 && d < b.d2) {
            (b.ct2, b.d2) = (ct, d);
        }
    }
    let exact = b.ct2 < short.bound || short.bound == f64::INFINITY;
    (b.d != usize::MAX && exact).then_some(b)
}

/// Task `t`'s best two: from its shortlist when that proves them, else by a full scan (which
/// renews the shortlist).
fn reevaluate(
    inst: &Instance,
    tt: &Timetable,
    t: usize,
    capped: bool,
    short: &mut Shortlist,
) -> Result<Best, Error> {
    if let Some(b) = recheck(inst, tt, t, capped, short) {
        return Ok(b);
    }
    let (b, s) = scan(inst, tt, t, capped).ok_or_else(|| no_room(inst, t))?;
    *short = s;
    Ok(b)
}

/// A rule on an independent instance, by its fast path (see the module documentation); the
/// same choices, ties included, as the general path.
fn independent(inst: &Instance, rule: BatchRule) -> Result<Schedule, Error> {
    match rule {
        BatchRule::MinMin => min_min_sorted(inst),
        BatchRule::MaxMin => max_min(inst),
        BatchRule::Sufferage => sufferage(inst),
    }
}

/// Whether some device has a capacity: then a device is usable for a task only while the task
/// still fits what is left of it.
fn capped(inst: &Instance) -> bool {
    (0..inst.num_devices()).any(|d| inst.capacity_limit(d).is_finite())
}

/// Max-Min on an independent instance: a heap of tasks by best completion whose keys change in
/// place, per device the tasks whose best it is; a task whose completion on the device just
/// used is still below its cached second-best keeps it, others are rescanned. (A shortlist as
/// Sufferage's does not pay here: Max-Min places the longest tasks first, so a rescanned task
/// has usually seen most of its listed devices grow.)
fn max_min(inst: &Instance) -> Result<Schedule, Error> {
    let n = inst.num_tasks();
    let m = inst.num_devices();
    let capped = capped(inst);
    let mut tt = Timetable::new(inst);
    let top = |tt: &Timetable, t: usize| -> Result<Best, Error> {
        top_two(
            inst.eligible(t)
                .iter()
                .filter(|&&d| !capped || tt.fits_capacity(t, d))
                .map(|&d| (d, tt.device_tail(d) + inst.ptime(t, d))),
        )
        .ok_or_else(|| no_room(inst, t))
    };
    let mut best: Vec<Best> = Vec::with_capacity(n);
    let mut watch: Vec<Vec<usize>> = vec![Vec::new(); m];
    for t in 0..n {
        let b = top(&tt, t)?;
        watch[b.d].push(t);
        best.push(b);
    }
    let mut heap = KeyedHeap::new(best.iter().map(|b| b.ct).collect());
    let mut seen = vec![usize::MAX; n];
    for step in 0..n {
        let t = heap
            .pop()
            .ok_or_else(|| Error::Solve("no task is left to map (internal error)".into()))?;
        let d = best[t].d;
        tt.place(t, d)?;
        for c in std::mem::take(&mut watch[d]) {
            let b = best[c];
            if tt.is_placed(c) || b.d != d || seen[c] == step {
                continue; // placed, a stale watch (c no longer counts on d), or listed twice
            }
            seen[c] = step;
            let fits = !capped || tt.fits_capacity(c, d);
            let quick = tt.device_tail(d) + inst.ptime(c, d);
            // The cached second-best is a lower bound on every other device's completion.
            let nb = if fits && quick < b.ct2 {
                Best { ct: quick, ..b }
            } else {
                top(&tt, c)?
            };
            watch[nb.d].push(c);
            heap.set(c, nb.ct);
            best[c] = nb;
        }
    }
    tt.into_schedule()
}

/// Sufferage on an independent instance: a heap of tasks by sufferage whose keys change in
/// place, and per device the tasks whose best or second-best it is (see the module text).
fn sufferage(inst: &Instance) -> Result<Schedule, Error> {
    let n = inst.num_tasks();
    let m = inst.num_devices();
    let capped = capped(inst);
    let mut tt = Timetable::new(inst);
    let key = |b: &Best| b.ct2 - b.ct;
    let mut best: Vec<Best> = Vec::with_capacity(n);
    let mut shortlist: Vec<Shortlist> = Vec::with_capacity(n);
    let mut watch: Vec<Vec<usize>> = vec![Vec::new(); m];
    for t in 0..n {
        let (b, short) = scan(inst, &tt, t, capped).ok_or_else(|| no_room(inst, t))?;
        watch[b.d].push(t);
        if b.d2 != usize::MAX {
            watch[b.d2].push(t);
        }
        best.push(b);
        shortlist.push(short);
    }
    // A key that falls is lowered lazily: the heap's key is then an upper bound on the task's
    // sufferage, corrected when the task comes first (a first task whose key is exact is the
    // largest, ties to the lower index, as every other key only overstates).
    let mut heap = KeyedHeap::new(best.iter().map(key).collect());
    let mut seen = vec![usize::MAX; n];
    for step in 0..n {
        let t = loop {
            let t = heap
                .peek()
                .ok_or_else(|| Error::Solve("no task is left to map (internal error)".into()))?;
            let exact = key(&best[t]);
            if exact == heap.key[t] {
                break heap.pop().expect("not empty");
            }
            heap.set(t, exact);
        };
        let d = best[t].d;
        tt.place(t, d)?;
        for c in std::mem::take(&mut watch[d]) {
            if tt.is_placed(c) || seen[c] == step {
                continue;
            }
            let b = best[c];
            if b.d != d && b.d2 != d {
                continue; // a stale watch: c no longer counts on d
            }
            seen[c] = step;
            let fits = !capped || tt.fits_capacity(c, d);
            let quick = tt.device_tail(d) + inst.ptime(c, d);
            // Still best on d, and the second-best device unchanged: only its completion moved.
            let nb = if b.d == d && fits && quick < b.ct2 {
                Best { ct: quick, ..b }
            } else {
                reevaluate(inst, &tt, c, capped, &mut shortlist[c])?
            };
            watch[nb.d].push(c);
            if nb.d2 != usize::MAX {
                watch[nb.d2].push(c);
            }
            if key(&nb) > heap.key[c] {
                heap.set(c, key(&nb));
            }
            best[c] = nb;
        }
    }
    tt.into_schedule()
}

fn min_min_sorted(inst: &Instance) -> Result<Schedule, Error> {
    let n = inst.num_tasks();
    let m = inst.num_devices();
    // Per device, its eligible tasks by processing time (ties: lower index), sorted as
    // (time, task) integer pairs: times are ≥ 0, so their bits (−0 made +0) order as they do;
    // the devices' lists are sorted in parallel.
    let mut keyed: Vec<Vec<(u64, u32)>> = vec![Vec::new(); m];
    for t in 0..n {
        for &d in inst.eligible(t) {
            keyed[d].push(((inst.ptime(t, d) + 0.0).to_bits(), t as u32));
        }
    }
    let lists: Vec<Vec<u32>> = keyed
        .into_par_iter()
        .map(|mut list| {
            list.sort_unstable();
            list.into_iter().map(|(_, t)| t).collect()
        })
        .collect();
    let mut front = vec![0usize; m];
    let mut tt = Timetable::new(inst);
    for _ in 0..n {
        let mut pick: Option<(f64, usize, usize)> = None; // (completion, task, device)
        for d in 0..m {
            let list = &lists[d];
            let f = &mut front[d];
            // Placed tasks never come back; a task that no longer fits d's capacity never will.
            while *f < list.len()
                && (tt.is_placed(list[*f] as usize) || !tt.fits_capacity(list[*f] as usize, d))
            {
                *f += 1;
            }
            let Some(&t) = list.get(*f) else { continue };
            let t = t as usize;
            let ct = tt.device_tail(d) + inst.ptime(t, d);
            let better = match pick {
                None => true,
                Some((c, pt, pd)) => (ct, t, d) < (c, pt, pd),
            };
            if better {
                pick = Some((ct, t, d));
            }
        }
        let Some((_, t, d)) = pick else {
            let t = (0..n)
                .find(|&t| !tt.is_placed(t))
                .expect("a task is unplaced");
            return Err(no_room(inst, t));
        };
        tt.place(t, d)?;
    }
    tt.into_schedule()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::InstanceData;

    fn etc(rows: &[&[f64]]) -> Instance {
        let m = rows[0].len();
        let data = InstanceData {
            devices: (0..m)
                .map(|d| crate::Device::new(format!("m{d}")))
                .collect(),
            tasks: rows
                .iter()
                .enumerate()
                .map(|(t, r)| crate::Task {
                    times: Some(
                        r.iter()
                            .enumerate()
                            .map(|(d, &p)| (format!("m{d}"), p))
                            .collect(),
                    ),
                    work: None,
                    ..crate::Task::new(format!("t{t}"), 0.0)
                })
                .collect(),
            ..Default::default()
        };
        Instance::new(data).unwrap()
    }

    #[test]
    fn sorted_min_min_equals_general_min_min() {
        // Deterministic pseudo-random ETC with ties.
        let mut x: u64 = 12345;
        let mut rows = Vec::new();
        for _ in 0..60 {
            let mut r = Vec::new();
            for _ in 0..5 {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                r.push(((x >> 33) % 20 + 1) as f64);
            }
            rows.push(r);
        }
        let refs: Vec<&[f64]> = rows.iter().map(|r| r.as_slice()).collect();
        let inst = etc(&refs);
        assert!(inst.is_independent());
        let fast = min_min_sorted(&inst).unwrap();
        // Force the general path by computing it directly.
        let mut tt = Timetable::new(&inst);
        let n = inst.num_tasks();
        while tt.num_placed() < n {
            let mut pick: Option<(f64, usize, usize)> = None;
            for t in (0..n).filter(|&t| !tt.is_placed(t)) {
                let b = best_of(&tt, t, tt.ready_time(t).unwrap()).unwrap();
                if pick.is_none_or(|p| (b.ct, t, b.d) < p) {
                    pick = Some((b.ct, t, b.d));
                }
            }
            let (_, t, d) = pick.unwrap();
            tt.place(t, d).unwrap();
        }
        let slow = tt.into_schedule().unwrap();
        assert_eq!(fast, slow);
    }

    /// The general path of `schedule` (ready list scan, timetable completions) for any rule.
    fn general(inst: &Instance, rule: BatchRule) -> Schedule {
        let n = inst.num_tasks();
        let mut tt = Timetable::new(inst);
        while tt.num_placed() < n {
            let mut pick: Option<(f64, usize, usize)> = None;
            for t in (0..n).filter(|&t| !tt.is_placed(t)) {
                let b = best_of(&tt, t, tt.ready_time(t).unwrap()).unwrap();
                let key = match rule {
                    BatchRule::MinMin => b.ct,
                    BatchRule::MaxMin => -b.ct,
                    BatchRule::Sufferage => -(b.ct2 - b.ct),
                };
                if pick.is_none_or(|p| key < p.0) {
                    pick = Some((key, t, b.d));
                }
            }
            let (_, t, d) = pick.unwrap();
            tt.place(t, d).unwrap();
        }
        tt.into_schedule().unwrap()
    }

    #[test]
    fn independent_max_min_and_sufferage_equal_the_general_path() {
        let mut x: u64 = 987654321;
        // More devices than a shortlist holds (and many ties) exercise its bound.
        for (n, m, range) in [
            (60, 5, 20),
            (200, 8, 1000),
            (120, 16, 3),
            (300, 24, 50),
            (150, 40, 4),
        ] {
            let mut rows = Vec::new();
            for _ in 0..n {
                let mut r = Vec::new();
                for _ in 0..m {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    r.push(((x >> 33) % range + 1) as f64);
                }
                rows.push(r);
            }
            let refs: Vec<&[f64]> = rows.iter().map(|r| r.as_slice()).collect();
            let inst = etc(&refs);
            for rule in [BatchRule::MaxMin, BatchRule::Sufferage] {
                let fast = independent(&inst, rule).unwrap();
                assert_eq!(fast, general(&inst, rule), "{rule:?} {n}x{m}");
            }
        }
    }

    #[test]
    fn min_min_max_min_sufferage_small_example() {
        let inst = etc(&[&[2.0, 4.0], &[3.0, 9.0], &[8.0, 5.0]]);
        let mm = schedule(&inst, BatchRule::MinMin).unwrap();
        assert_eq!(mm.value(&inst), 5.0);
        let xm = schedule(&inst, BatchRule::MaxMin).unwrap();
        assert!(xm.violations(&inst).is_empty());
        let sf = schedule(&inst, BatchRule::Sufferage).unwrap();
        assert!(sf.violations(&inst).is_empty());
        assert_eq!(sf.value(&inst), 5.0);
    }
}
