//! The batch rules on independent instances (no precedence, every release at or before every
//! device's availability: the Braun ETC setting), where a task's completion on a device is the
//! device's tail plus the task's time.
//!
//! Min-Min: the pair (task, device) with the smallest completion is the front of one device's
//! list of tasks sorted by processing time, so after m sorts (n·m·log n) each step costs O(m):
//! a comparison of the devices' cached fronts, and a new front for the device just used and for
//! the devices whose front was the task placed.
//!
//! Max-Min and Sufferage: the next task comes from a heap whose keys change in place, and
//! placing a task on d re-evaluates only the tasks that watch d (whose cached best — or, for
//! Sufferage, second-best — device it is). The other devices' completions only grow, so a
//! completion known at a task's last evaluation stays a lower bound. In Max-Min a watcher keeps
//! its second device then and the third completion (`rest`): it keeps d without a scan while
//! its new completion there is below both the second device's current completion and `rest`,
//! and moves to the second device when that one is below both others.
//!
//! Sufferage's heap keys are upper bounds, made exact only when a task comes first. A task
//! watches its best two devices at its last evaluation and keeps the current completions there,
//! with its third completion then as a lower bound on every other device (`rest`). While both
//! watched devices finish before `rest`, they are its best two and its sufferage is known; once
//! one grows past it, the sufferage is at most the larger watched completion less the smaller
//! one or `rest`. Either way its key rises to match without a scan, and a key that falls is left
//! as it is. A task is evaluated when it reaches the top of the heap with a key not known exact
//! (or when a watched device no longer fits it): it first recomputes only its [`Shortlist`] (its
//! 8 best devices at its last scan and its times there, with the next completion as a lower
//! bound on the others) and scans all devices only when the list cannot prove its best two.
//! (Watching three devices saved a third of the evaluations on a 5000 × 64 instance but made
//! the watch loop slower by more: docs/benchmarks.md.)
//!
//! When every device is its own class (a task's row of times is by device) and no device has a
//! capacity, Max-Min's rescans and Sufferage's full scans go through the devices in lanes
//! ([`lane_least_two`]) written so that the compiler can use vector instructions.

use super::heap::KeyedHeap;
use super::{BatchRule, Best, top_three};
use crate::error::Error;
use crate::model::Instance;
use crate::schedule::{Schedule, Timetable};
use crate::solve::greedy::list::no_room;
use rayon::prelude::*;

/// Lanes of the dense paths: lane `l` holds devices `l`, `l + LANES`, `l + 2 · LANES`, ….
const LANES: usize = 8;

/// Whether task `t`'s row of [`Instance::class_ptimes`] is by device and every device is usable
/// while eligible: every device is its own class (classes are numbered in device order, so
/// class `d` is device `d`) and no device has a capacity (`capped`). The dense paths need both.
fn times_by_device(inst: &Instance, capped: bool) -> bool {
    let dense = !capped && inst.num_device_classes() == inst.num_devices();
    debug_assert!(!dense || (0..inst.num_devices()).all(|d| inst.device_class(d) == d));
    dense
}

/// Per lane, the two least completions `tail[d] + row[d]` of its devices, in a loop written
/// as selects so that the compiler can use vector instructions (on x86-64 it does: `addpd`,
/// `minpd`, `maxpd`).
fn lane_least_two(tail: &[f64], row: &[f64]) -> ([f64; LANES], [f64; LANES]) {
    debug_assert_eq!(tail.len(), row.len());
    let mut b1 = [f64::INFINITY; LANES];
    let mut b2 = [f64::INFINITY; LANES];
    let mut lane = |l: usize, x: f64| {
        // b2 = min(b2, max(b1, x)), b1 = min(b1, x), written as selects.
        let hi = if x < b1[l] { b1[l] } else { x };
        b2[l] = if hi < b2[l] { hi } else { b2[l] };
        b1[l] = if x < b1[l] { x } else { b1[l] };
    };
    let (tails, rows) = (tail.chunks_exact(LANES), row.chunks_exact(LANES));
    let (tail_rest, row_rest) = (tails.remainder(), rows.remainder());
    for (ta, ro) in tails.zip(rows) {
        for l in 0..LANES {
            lane(l, ta[l] + ro[l]);
        }
    }
    for (l, (ta, ro)) in tail_rest.iter().zip(row_rest).enumerate() {
        lane(l, ta + ro);
    }
    (b1, b2)
}

/// [`top_three`]'s best two of the completions `tail[d] + row[d]` over all devices `d` (an ineligible device
/// has an infinite time), and a lower bound on every other device's completion: the least
/// three of the lanes' least two, then one pass for the devices that reach the first two (ties:
/// the lower device, as `top_three` gives them). When the best two are in different lanes, the
/// third of the lanes' values bounds every other device: one below it would make three devices
/// below it, two of them in different lanes, so three of the lanes' values below it (or, with
/// the second-best equal to the third value, one below the second-best). When they share a lane,
/// that lane's other devices are bounded only by the second-best.
fn dense_top_three(tail: &[f64], row: &[f64]) -> Option<(Best, f64)> {
    let (b1, b2) = lane_least_two(tail, row);
    // The least three of the lanes' values (as a multiset).
    let (mut ct, mut ct2, mut ct3) = (f64::INFINITY, f64::INFINITY, f64::INFINITY);
    for x in b1.into_iter().chain(b2) {
        if x < ct {
            (ct3, ct2, ct) = (ct2, ct, x);
        } else if x < ct2 {
            (ct3, ct2) = (ct2, x);
        } else if x < ct3 {
            ct3 = x;
        }
    }
    if ct == f64::INFINITY {
        return None;
    }
    // The first device that reaches `ct`, and the first other one that reaches `ct2` (none
    // when `ct2` is infinite).
    // The values returned are the devices' own (a lane's −0 and another's +0 compare equal).
    let (mut d, mut d2) = (usize::MAX, usize::MAX);
    let wanted = if ct2 == f64::INFINITY { 1 } else { 2 };
    let mut found = 0;
    for (e, (ta, ro)) in tail.iter().zip(row).enumerate() {
        let x = ta + ro;
        if x == ct && d == usize::MAX {
            (d, ct) = (e, x);
            found += 1;
        } else if x == ct2 && d2 == usize::MAX && wanted == 2 {
            (d2, ct2) = (e, x);
            found += 1;
        }
        if found == wanted {
            break;
        }
    }
    let rest = if d2 != usize::MAX && d % LANES == d2 % LANES {
        ct2
    } else {
        ct3
    };
    Some((Best { ct, d, ct2, d2 }, rest))
}

/// How many of a task's devices the independent paths keep in its [`Shortlist`].
const SHORT: usize = 8;

/// A task's best devices at its last full scan: the `SHORT` eligible devices with the smallest
/// completions then (by completion, then index) and the task's times on them, and the next
/// completion (`bound`; infinite when every usable device is listed). Completions only grow as
/// tasks are placed, so `bound` stays a lower bound on every unlisted device's completion: when
/// the two best of the listed devices, recomputed, both finish before it, they are the task's
/// true best two without a scan of all devices.
#[derive(Debug, Clone, Copy)]
struct Shortlist {
    dev: [u32; SHORT],
    /// The task's time on each listed device: a recheck reads these instead of the task's row
    /// of times, one load fewer in the chain that waits on memory.
    p: [f64; SHORT],
    len: u8,
    bound: f64,
}

/// A task's best two devices and a lower bound on its completion on every other usable device
/// (`rest`; infinite when it has no other).
#[derive(Debug, Clone, Copy)]
struct Ranked {
    best: Best,
    rest: f64,
}

/// Task `t`'s best two devices from the devices' tails (with the third completion as `rest`),
/// and its shortlist (`capped`: some device has a capacity, so usable devices are those `t`
/// still fits).
fn scan(inst: &Instance, tt: &Timetable, t: usize, capped: bool) -> Option<(Ranked, Shortlist)> {
    let row = inst.class_ptimes(t);
    if times_by_device(inst, capped) {
        return scan_dense(tt.device_tails(), row);
    }
    let mut least = Least::default();
    for &d in inst.eligible(t) {
        if capped && !tt.fits_capacity(t, d) {
            continue;
        }
        least.offer(tt.device_tail(d) + row[inst.device_class(d)], d);
    }
    least.finish(|d| row[inst.device_class(d)])
}

/// [`scan`] when every device is its own class (`row` is by device) and none has a capacity:
/// the (`SHORT` + 1)-th least of the lanes' least two is at or above the (`SHORT` + 1)-th least
/// completion overall, so only the devices at or below it (at least `SHORT` + 1 of them) are
/// offered, instead of each device getting an insertion test. (A sorting network for the lanes'
/// values, or a branch-free rank count, measured no faster than the sort.)
fn scan_dense(tail: &[f64], row: &[f64]) -> Option<(Ranked, Shortlist)> {
    const { assert!(2 * LANES > SHORT) };
    let (b1, b2) = lane_least_two(tail, row);
    let mut values = [0.0; 2 * LANES];
    values[..LANES].copy_from_slice(&b1);
    values[LANES..].copy_from_slice(&b2);
    values.sort_unstable_by(f64::total_cmp);
    let cut = values[SHORT];
    let mut least = Least::default();
    // In blocks of 64 devices: a mask of those at or below `cut`, made without branches, then
    // each offered (an infinite time: the device is not eligible).
    const BLOCK: usize = 64;
    for (b, (ta, ro)) in tail.chunks(BLOCK).zip(row.chunks(BLOCK)).enumerate() {
        let mut mask = 0u64;
        for (i, (t, r)) in ta.iter().zip(ro).enumerate() {
            let ct = t + r;
            mask |= u64::from(ct <= cut && ct < f64::INFINITY) << i;
        }
        while mask != 0 {
            let i = mask.trailing_zeros() as usize;
            mask &= mask - 1;
            least.offer(ta[i] + ro[i], b * BLOCK + i);
        }
    }
    least.finish(|d| row[d])
}

/// The `SHORT` + 1 least (completion, device) pairs offered, ascending; devices are offered in
/// ascending order, so a device goes after those of equal completion.
struct Least {
    top: [(f64, usize); SHORT + 1],
    len: usize,
}

impl Default for Least {
    fn default() -> Self {
        Least {
            top: [(f64::INFINITY, usize::MAX); SHORT + 1],
            len: 0,
        }
    }
}

impl Least {
    #[inline(always)]
    fn offer(&mut self, ct: f64, d: usize) {
        let top = &mut self.top;
        if self.len == SHORT + 1 && ct >= top[SHORT].0 {
            return;
        }
        let mut i = self.len.min(SHORT);
        while i > 0 && ct < top[i - 1].0 {
            top[i] = top[i - 1];
            i -= 1;
        }
        top[i] = (ct, d);
        self.len = (self.len + 1).min(SHORT + 1);
    }

    /// The best two and the shortlist (`time`: the task's time on a device); `None` when
    /// nothing was offered.
    fn finish(self, time: impl Fn(usize) -> f64) -> Option<(Ranked, Shortlist)> {
        let (top, len) = (self.top, self.len);
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
        let mut p = [0.0; SHORT];
        for (k, &(_, d)) in top[..len.min(SHORT)].iter().enumerate() {
            dev[k] = d as u32;
            p[k] = time(d);
        }
        let short = Shortlist {
            dev,
            p,
            len: len.min(SHORT) as u8,
            bound: top[SHORT].0,
        };
        Some((
            Ranked {
                best,
                rest: top[2].0,
            },
            short,
        ))
    }
}

/// The best two of `t`'s shortlist, recomputed, when they are provably its best two, and the
/// least of the third listed completion and the list's bound as `rest`. (Lazily, from
/// completions kept in the list, measured slower: docs/benchmarks.md.)
fn recheck(tt: &Timetable, t: usize, capped: bool, short: &Shortlist) -> Option<Ranked> {
    // `top_three`'s rule (ties to the lower device) spelled out, because the shortlist is in
    // completion order, not device order (sorting it, or tuple compares, measured slower).
    let mut b = Best::NONE;
    let mut third = f64::INFINITY;
    let len = short.len as usize;
    for (&d, &p) in short.dev[..len].iter().zip(&short.p[..len]) {
        let d = d as usize;
        if capped && !tt.fits_capacity(t, d) {
            continue;
        }
        let ct = tt.device_tail(d) + p;
        if ct < b.ct || (ct == b.ct && d < b.d) {
            third = b.ct2;
            (b.ct2, b.d2, b.ct, b.d) = (b.ct, b.d, ct, d);
        } else if ct < b.ct2 || (ct == b.ct2 && d < b.d2) {
            third = b.ct2;
            (b.ct2, b.d2) = (ct, d);
        } else {
            third = third.min(ct);
        }
    }
    let exact = b.ct2 < short.bound || short.bound == f64::INFINITY;
    (b.d != usize::MAX && exact).then_some(Ranked {
        best: b,
        rest: third.min(short.bound),
    })
}

/// Task `t`'s best two: from its shortlist when that proves them, else by a full scan (which
/// renews the shortlist).
fn reevaluate(
    inst: &Instance,
    tt: &Timetable,
    t: usize,
    capped: bool,
    short: &mut Shortlist,
) -> Result<Ranked, Error> {
    if let Some(r) = recheck(tt, t, capped, short) {
        return Ok(r);
    }
    let (b, s) = scan(inst, tt, t, capped).ok_or_else(|| no_room(inst, t))?;
    *short = s;
    Ok(b)
}

/// A rule on an independent instance, by its fast path (see the module documentation); the
/// same choices, ties included, as the general path.
pub(super) fn independent(inst: &Instance, rule: BatchRule) -> Result<Schedule, Error> {
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
/// place, per device the tasks whose best it is. A task keeps its second device at its last
/// scan and a lower bound on every other device (`rest`, the third completion then or less):
/// when the device just used grows, the task keeps it if it still finishes before both the
/// second device (now) and `rest`, moves to the second device if that one does, and is rescanned
/// otherwise. (A shortlist as Sufferage's does not pay here: Max-Min places the longest tasks
/// first, so a rescanned task has usually seen most of its listed devices grow. Keys as upper
/// bounds, grouped by device so that no task is visited when its device grows, rescanned as
/// often and were twice as slow: docs/benchmarks.md.)
fn max_min(inst: &Instance) -> Result<Schedule, Error> {
    let n = inst.num_tasks();
    let m = inst.num_devices();
    let capped = capped(inst);
    let mut tt = Timetable::new(inst);
    let dense = times_by_device(inst, capped);
    let top = |tt: &Timetable, t: usize| -> Result<Watched, Error> {
        let (b, rest) = if dense {
            dense_top_three(tt.device_tails(), inst.class_ptimes(t))
        } else {
            top_three(
                inst.eligible(t)
                    .iter()
                    .filter(|&&d| !capped || tt.fits_capacity(t, d))
                    .map(|&d| (d, tt.device_tail(d) + inst.ptime(t, d))),
            )
        }
        .ok_or_else(|| no_room(inst, t))?;
        Ok(Watched {
            ct: b.ct,
            d: b.d,
            d2: b.d2,
            p2: if b.d2 == usize::MAX {
                f64::INFINITY
            } else {
                inst.ptime(t, b.d2)
            },
            rest,
        })
    };
    let mut best: Vec<Watched> = Vec::with_capacity(n);
    let mut watch: Vec<Vec<usize>> = vec![Vec::new(); m];
    for t in 0..n {
        let b = top(&tt, t)?;
        watch[b.d].push(t);
        best.push(b);
    }
    let mut heap = KeyedHeap::new(best.iter().map(|b| b.ct));
    let mut seen = vec![usize::MAX; n];
    for step in 0..n {
        let t = heap
            .pop()
            .ok_or_else(|| Error::Solve("no task is left to map (internal error)".into()))?;
        let d = best[t].d;
        tt.place(t, d)?;
        let tail = tt.device_tail(d);
        // The list is compacted in place (it keeps its capacity): `kept` watchers stay.
        let mut list = std::mem::take(&mut watch[d]);
        let mut kept = 0;
        for i in 0..list.len() {
            let c = list[i];
            let b = best[c];
            if tt.is_placed(c) || b.d != d || seen[c] == step {
                continue; // placed, a stale watch (c no longer counts on d), or listed twice
            }
            seen[c] = step;
            let fits = !capped || tt.fits_capacity(c, d);
            let on_d = tail + inst.ptime(c, d);
            // The completion on the second device now, and the bound on the others.
            let on_d2 = if b.d2 == usize::MAX {
                f64::INFINITY
            } else {
                tt.device_tail(b.d2) + b.p2
            };
            let nb = if fits && on_d < on_d2.min(b.rest) {
                Watched { ct: on_d, ..b }
            } else if fits && on_d2 < on_d.min(b.rest) && (!capped || tt.fits_capacity(c, b.d2)) {
                // The second device is now the best, and d the second.
                Watched {
                    ct: on_d2,
                    d: b.d2,
                    d2: d,
                    p2: inst.ptime(c, d),
                    rest: b.rest,
                }
            } else {
                top(&tt, c)?
            };
            if nb.d == d {
                list[kept] = c;
                kept += 1;
            } else {
                watch[nb.d].push(c);
            }
            heap.set(c, nb.ct);
            best[c] = nb;
        }
        list.truncate(kept);
        watch[d] = list;
    }
    tt.into_schedule()
}

/// What Max-Min keeps of a task: its best device `d` and the completion there (exact: the key),
/// its second device at its last scan and its time there, and a lower bound on its completion
/// on every other device (the third completion at that scan, or less).
#[derive(Debug, Clone, Copy)]
struct Watched {
    ct: f64,
    d: usize,
    d2: usize,
    p2: f64,
    rest: f64,
}

/// No device (a task's second-best when it has one usable device; both, once it is placed).
const NONE: u32 = u32::MAX;

/// What Sufferage keeps of a task (see [`sufferage`]), in one place for the watch loop: the
/// two devices it watches, the current completions there, and a lower bound on the others.
#[derive(Debug, Clone, Copy)]
struct Cached {
    /// The task's key in the heap: an upper bound on its sufferage.
    key: f64,
    /// The completion on `d`, the better watched device (`ct < ct2`, or equal and `d < d2`).
    ct: f64,
    /// The completion on `d2` (infinite when the task has one usable device).
    ct2: f64,
    /// A lower bound on the completion on every other device: the third completion at the
    /// last evaluation (completions only grow).
    rest: f64,
    d: u32,
    d2: u32,
    /// The last step whose watch loop visited the task (`u32::MAX`: none), to skip a second
    /// entry on the same list.
    seen: u32,
    /// `d` and `d2` are known to be the task's best two devices, so `ct2 - ct` is its
    /// sufferage.
    exact: bool,
}

impl Cached {
    /// A task's first cache, its key exact.
    fn of(r: &Ranked) -> Self {
        let b = &r.best;
        Cached {
            key: b.ct2 - b.ct,
            ct: b.ct,
            ct2: b.ct2,
            rest: r.rest,
            d: b.d as u32,
            d2: if b.d2 == usize::MAX {
                NONE
            } else {
                b.d2 as u32
            },
            seen: u32::MAX,
            exact: true,
        }
    }

    /// The cache after an evaluation `r`: the heap key and the visit are kept.
    fn renewed(&self, r: &Ranked) -> Self {
        Cached {
            key: self.key,
            seen: self.seen,
            ..Cached::of(r)
        }
    }

    /// An upper bound on the sufferage, exact when `exact`: the second-best is at most `ct2`
    /// (the larger of two completions), and the best is at least `ct` or `rest`.
    fn bound(&self) -> f64 {
        if self.exact {
            self.ct2 - self.ct
        } else {
            self.ct2 - self.ct.min(self.rest)
        }
    }

    /// Watched device `d` now finishes the task at `ct`: the two are put back in order, and
    /// the pair stays known as the best two while both finish before every other device.
    fn grow(&mut self, d: u32, ct: f64) {
        if self.d == d {
            self.ct = ct;
        } else {
            self.ct2 = ct;
        }
        if self.ct2 < self.ct || (self.ct2 == self.ct && self.d2 < self.d) {
            (self.ct, self.d, self.ct2, self.d2) = (self.ct2, self.d2, self.ct, self.d);
        }
        // When it was exact, the other device finishes at or below `rest` (a tie with another
        // device at `rest` was settled at the evaluation).
        self.exact = (self.exact && ct < self.rest) || self.ct2 < self.rest;
    }

    /// Raise task `t`'s heap key to the current bound when that is larger (keys are upper
    /// bounds: a smaller one is left as it is).
    #[inline]
    fn raise(&mut self, heap: &mut KeyedHeap, t: usize) {
        let bound = self.bound();
        if bound > self.key {
            self.key = bound;
            heap.set(t, bound);
        }
    }
}

/// A task on a device's watch list, with its time there.
#[derive(Debug, Clone, Copy)]
struct Watcher {
    t: u32,
    p: f64,
}

/// Sufferage on an independent instance: a heap of tasks by sufferage whose keys change in
/// place, and per device the tasks whose best or second-best it was at their last evaluation
/// (see the module text).
///
/// Heap keys are upper bounds on the tasks' sufferages, made exact only when a task comes
/// first. A task keeps the current completions on its two watched devices and a lower bound
/// on every other device (`rest`): while both watched devices finish before `rest`, they are
/// its best two and its sufferage is known without a scan; otherwise the bound
/// [`Cached::bound`] stands until the task reaches the top of the heap and is evaluated.
fn sufferage(inst: &Instance) -> Result<Schedule, Error> {
    let n = inst.num_tasks();
    let m = inst.num_devices();
    let capped = capped(inst);
    let mut tt = Timetable::new(inst);
    let mut cache: Vec<Cached> = Vec::with_capacity(n);
    let mut shortlist: Vec<Shortlist> = Vec::with_capacity(n);
    // Every unplaced task c is on the lists of its cached best and second-best devices (and
    // maybe, stale, on others: skipped when met).
    let mut watch: Vec<Vec<Watcher>> = vec![Vec::new(); m];
    for t in 0..n {
        let (r, short) = scan(inst, &tt, t, capped).ok_or_else(|| no_room(inst, t))?;
        let c = Cached::of(&r);
        enlist(inst, &mut watch, t, None, &c, NONE);
        cache.push(c);
        shortlist.push(short);
    }
    let mut heap = KeyedHeap::new(cache.iter().map(|c| c.key));
    for step in 0..n as u32 {
        // The first task whose key is exact is the one with the largest sufferage, ties to the
        // lower index: every other key overstates.
        let t = loop {
            let t = heap
                .peek()
                .ok_or_else(|| Error::Solve("no task is left to map (internal error)".into()))?;
            let old = cache[t];
            if !old.exact {
                let r = reevaluate(inst, &tt, t, capped, &mut shortlist[t])?;
                let c = old.renewed(&r);
                enlist(inst, &mut watch, t, Some(&old), &c, NONE);
                cache[t] = c;
            }
            let e = &mut cache[t];
            let exact = e.bound();
            if exact == e.key {
                break heap.pop().expect("not empty");
            }
            e.key = exact;
            heap.set(t, exact);
        };
        let d = cache[t].d;
        tt.place(t, d as usize)?;
        (cache[t].d, cache[t].d2) = (NONE, NONE);
        let tail = tt.device_tail(d as usize);
        // The list is compacted in place (it keeps its capacity): `kept` watchers stay.
        let mut list = std::mem::take(&mut watch[d as usize]);
        let mut kept = 0;
        for i in 0..list.len() {
            let w = list[i];
            let c = w.t as usize;
            let old = cache[c];
            if (old.d != d && old.d2 != d) || old.seen == step {
                continue; // placed, a stale watch (c no longer counts on d), or listed twice
            }
            cache[c].seen = step;
            if !capped || tt.fits_capacity(c, d as usize) {
                let e = &mut cache[c];
                e.grow(d, tail + w.p);
                e.raise(&mut heap, c);
                list[kept] = w;
                kept += 1;
                continue;
            }
            // d no longer fits the task: its best two are found again (the visit just marked
            // is kept).
            let r = reevaluate(inst, &tt, c, capped, &mut shortlist[c])?;
            let mut new = cache[c].renewed(&r);
            enlist(inst, &mut watch, c, Some(&old), &new, d);
            new.raise(&mut heap, c);
            cache[c] = new;
        }
        list.truncate(kept);
        // Nothing was put on d's list meanwhile: a task is re-listed above only when d no
        // longer fits it, and its re-evaluation skips devices it does not fit.
        debug_assert!(
            watch[d as usize].is_empty(),
            "d no longer fits what was re-listed"
        );
        watch[d as usize] = list;
    }
    tt.into_schedule()
}

/// Puts task `t` on the watch lists of its new best and second-best devices (`new`) that it is
/// not on yet: those of `old` still hold it, except `drained` (the list being emptied).
fn enlist(
    inst: &Instance,
    watch: &mut [Vec<Watcher>],
    t: usize,
    old: Option<&Cached>,
    new: &Cached,
    drained: u32,
) {
    for e in [new.d, new.d2] {
        let held = old.is_some_and(|o| e == o.d || e == o.d2) && e != drained;
        if e != NONE && !held {
            watch[e as usize].push(Watcher {
                t: t as u32,
                p: inst.ptime(t, e as usize),
            });
        }
    }
}

/// Min-Min on an independent instance: per device its tasks sorted by time, and per device the
/// completion of its first unplaced task; each step takes the least of the devices' (see the
/// module documentation).
pub(super) fn min_min_sorted(inst: &Instance) -> Result<Schedule, Error> {
    let n = inst.num_tasks();
    let m = inst.num_devices();
    // Per device, its eligible tasks (those with a finite time) by processing time (ties:
    // lower index), sorted as (time, task) integer pairs: times are ≥ 0, so their bits (−0
    // made +0) order as they do. The devices' lists are built in parallel, each from its column
    // of times (a pair list per device at a time, not m at once).
    let lists: Vec<Vec<u32>> = (0..m)
        .into_par_iter()
        .map(|d| {
            let mut keyed: Vec<(u64, u32)> = (0..n)
                .filter_map(|t| {
                    let p = inst.ptime(t, d);
                    p.is_finite().then(|| ((p + 0.0).to_bits(), t as u32))
                })
                .collect();
            keyed.sort_unstable();
            keyed.into_iter().map(|(_, t)| t).collect()
        })
        .collect();
    let mut front = vec![0usize; m];
    let mut tt = Timetable::new(inst);
    // Per device, its first task still unplaced (and fitting its capacity) and that task's
    // completion there: only the device just used and the devices whose first task was just
    // placed change after a step.
    let mut head: Vec<Option<(f64, u32)>> = vec![None; m];
    let first = |tt: &Timetable, d: usize, f: &mut usize| -> Option<(f64, u32)> {
        let list = &lists[d];
        // Placed tasks never come back; a task that no longer fits d's capacity never will.
        while *f < list.len()
            && (tt.is_placed(list[*f] as usize) || !tt.fits_capacity(list[*f] as usize, d))
        {
            *f += 1;
        }
        let &t = list.get(*f)?;
        Some((tt.device_tail(d) + inst.ptime(t as usize, d), t))
    };
    for d in 0..m {
        head[d] = first(&tt, d, &mut front[d]);
    }
    for _ in 0..n {
        let mut pick: Option<(f64, u32, usize)> = None; // (completion, task, device)
        for (d, h) in head.iter().enumerate() {
            if let &Some((ct, t)) = h
                && pick.is_none_or(|(c, pt, pd)| (ct, t, d) < (c, pt, pd))
            {
                pick = Some((ct, t, d));
            }
        }
        let Some((_, t, d)) = pick else {
            let t = (0..n)
                .find(|&t| !tt.is_placed(t))
                .expect("a task is unplaced");
            return Err(no_room(inst, t));
        };
        tt.place(t as usize, d)?;
        for e in 0..m {
            if e == d || head[e].is_some_and(|(_, h)| h == t) {
                head[e] = first(&tt, e, &mut front[e]);
            }
        }
    }
    tt.into_schedule()
}
