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
//! Sufferage, second-best — device it is). A watcher whose new completion on d is still below
//! its second-best at its last evaluation keeps d without a scan: the other devices'
//! completions only grow, so that second-best is a lower bound on each of them.
//!
//! Sufferage's heap keys are upper bounds, made exact only when a task comes first: a task whose
//! second-best device grows takes the completion there as its second-best (an upper bound: another
//! device may now be below it) and its key rises to match, without a scan; a key that falls is
//! left as it is. A task whose best device grows past its last second-best becomes "vague": its
//! key is bounded by the larger completion of its two watched devices less that second-best. A
//! task is evaluated when it reaches the top of the heap with a key not known exact (or when a
//! watched device no longer fits it): it first recomputes only its [`Shortlist`] (its 8 best
//! devices at its last scan, with the next completion as a lower bound on the others) and scans
//! all devices only when the list cannot prove its best two.
//!
//! When every device is its own class (a task's row of times is by device) and no device has a
//! capacity, Max-Min's rescans and Sufferage's full scans go through the devices in lanes
//! ([`lane_least_two`]) written so that the compiler can use vector instructions.

use super::{BatchRule, Best, top_two};
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

/// [`top_two`] of the completions `tail[d] + row[d]` over all devices `d` (an ineligible device
/// has an infinite time): the least two of the lanes' least two, then one pass for the devices
/// that reach them (ties: the lower device, as `top_two` gives them).
fn dense_top_two(tail: &[f64], row: &[f64]) -> Option<Best> {
    let (b1, b2) = lane_least_two(tail, row);
    // The least two of the lanes' values (as a multiset).
    let (mut ct, mut ct2) = (f64::INFINITY, f64::INFINITY);
    for x in b1.into_iter().chain(b2) {
        if x < ct {
            (ct2, ct) = (ct, x);
        } else if x < ct2 {
            ct2 = x;
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
    Some(Best { ct, d, ct2, d2 })
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

    /// Raise task `t`'s key to `key` when that is larger (Sufferage's keys are upper bounds:
    /// a smaller one is left as it is).
    fn raise(&mut self, t: usize, key: f64) {
        if key > self.key[t] {
            self.set(t, key);
        }
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
    least.finish()
}

/// [`scan`] when every device is its own class (`row` is by device) and none has a capacity:
/// the (`SHORT` + 1)-th least of the lanes' least two is at or above the (`SHORT` + 1)-th least
/// completion overall, so only the devices at or below it (at least `SHORT` + 1 of them) are
/// offered, instead of each device getting an insertion test. (A sorting network for the lanes'
/// values, or a branch-free rank count, measured no faster than the sort.)
fn scan_dense(tail: &[f64], row: &[f64]) -> Option<(Best, Shortlist)> {
    const { assert!(2 * LANES > SHORT) };
    let (b1, b2) = lane_least_two(tail, row);
    let mut values = [0.0; 2 * LANES];
    values[..LANES].copy_from_slice(&b1);
    values[LANES..].copy_from_slice(&b2);
    values.sort_unstable_by(f64::total_cmp);
    let cut = values[SHORT];
    let mut least = Least::default();
    // In blocks of devices: the indices at or below `cut` are gathered without branches, then
    // offered (an infinite time: the device is not eligible).
    const BLOCK: usize = 64;
    let mut picked = [0u32; BLOCK];
    for (b, (ta, ro)) in tail.chunks(BLOCK).zip(row.chunks(BLOCK)).enumerate() {
        let mut k = 0;
        for (i, (t, r)) in ta.iter().zip(ro).enumerate() {
            let ct = t + r;
            picked[k] = i as u32;
            k += usize::from(ct <= cut && ct < f64::INFINITY);
        }
        for &i in &picked[..k] {
            let i = i as usize;
            least.offer(ta[i] + ro[i], b * BLOCK + i);
        }
    }
    least.finish()
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

    /// The best two and the shortlist; `None` when nothing was offered.
    fn finish(self) -> Option<(Best, Shortlist)> {
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
}

/// The best two of `t`'s shortlist, recomputed, when they are provably its best two. (Lazily,
/// from completions kept in the list, measured slower: docs/benchmarks.md.)
fn recheck(
    inst: &Instance,
    tt: &Timetable,
    t: usize,
    capped: bool,
    short: &Shortlist,
) -> Option<Best> {
    // `top_two`'s rule (ties to the lower device) spelled out, because the shortlist is in
    // completion order, not device order (sorting it, or tuple compares, measured slower).
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
/// place, per device the tasks whose best it is; a task whose completion on the device just
/// used is still below its cached second-best keeps it, others are rescanned. (A shortlist as
/// Sufferage's does not pay here: Max-Min places the longest tasks first, so a rescanned task
/// has usually seen most of its listed devices grow.)
fn max_min(inst: &Instance) -> Result<Schedule, Error> {
    let n = inst.num_tasks();
    let m = inst.num_devices();
    let capped = capped(inst);
    let mut tt = Timetable::new(inst);
    let dense = times_by_device(inst, capped);
    let top = |tt: &Timetable, t: usize| -> Result<Best, Error> {
        if dense {
            dense_top_two(tt.device_tails(), inst.class_ptimes(t))
        } else {
            top_two(
                inst.eligible(t)
                    .iter()
                    .filter(|&&d| !capped || tt.fits_capacity(t, d))
                    .map(|&d| (d, tt.device_tail(d) + inst.ptime(t, d))),
            )
        }
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

/// No device (a task's second-best when it has one usable device; both, once it is placed).
const NONE: u32 = u32::MAX;

/// What Sufferage keeps of a task (see [`sufferage`]), in one place for the watch loop.
#[derive(Debug, Clone, Copy)]
struct Cached {
    /// Completion on `d`: the best completion, exact, unless `vague`.
    ct: f64,
    /// The completion on `d2`: an upper bound on the second-best.
    ct2: f64,
    /// The second-best at the last evaluation: a lower bound on every device but `d` since
    /// (when `vague`, on every device).
    low2: f64,
    d: u32,
    d2: u32,
    /// `d` has grown past `low2`, so which device is best is not known: `ct` is the completion
    /// on `d`, and the sufferage is at most max(`ct`, `ct2`) − `low2`.
    vague: bool,
}

impl Cached {
    fn of(b: &Best) -> Self {
        Cached {
            ct: b.ct,
            ct2: b.ct2,
            low2: b.ct2,
            d: b.d as u32,
            d2: if b.d2 == usize::MAX {
                NONE
            } else {
                b.d2 as u32
            },
            vague: false,
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
/// place, and per device the tasks whose best or second-best it is (see the module text).
///
/// Heap keys are upper bounds on the tasks' sufferages, made exact only when a task comes
/// first. A task's cached `ct` is the completion on its cached best device (watched), exact
/// unless the task is vague; its cached second-best `ct2` is the current completion on its
/// cached second-best device (watched), an upper bound on the true second-best; `low2` is the
/// true second-best at its last evaluation, a lower bound on every other device since (on every
/// device once vague). When the task is not vague and `ct2 == low2`, both are exact.
fn sufferage(inst: &Instance) -> Result<Schedule, Error> {
    let n = inst.num_tasks();
    let m = inst.num_devices();
    let capped = capped(inst);
    let mut tt = Timetable::new(inst);
    let key = |c: &Cached| c.ct2 - c.ct;
    let mut cache: Vec<Cached> = Vec::with_capacity(n);
    let mut shortlist: Vec<Shortlist> = Vec::with_capacity(n);
    // Every unplaced task c is on the lists of its cached best and second-best devices (and
    // maybe, stale, on others: skipped when met).
    let mut watch: Vec<Vec<Watcher>> = vec![Vec::new(); m];
    for t in 0..n {
        let (b, short) = scan(inst, &tt, t, capped).ok_or_else(|| no_room(inst, t))?;
        let c = Cached::of(&b);
        enlist(inst, &mut watch, t, None, &c, NONE);
        cache.push(c);
        shortlist.push(short);
    }
    let mut heap = KeyedHeap::new(cache.iter().map(key).collect());
    let mut seen = vec![u32::MAX; n];
    for step in 0..n as u32 {
        // The first task whose key is exact is the one with the largest sufferage, ties to the
        // lower index: every other key overstates.
        let t = loop {
            let t = heap
                .peek()
                .ok_or_else(|| Error::Solve("no task is left to map (internal error)".into()))?;
            let old = cache[t];
            if old.vague || old.ct2 != old.low2 {
                let b = reevaluate(inst, &tt, t, capped, &mut shortlist[t])?;
                let c = Cached::of(&b);
                enlist(inst, &mut watch, t, Some(&old), &c, NONE);
                cache[t] = c;
            }
            let exact = key(&cache[t]);
            if exact == heap.key[t] {
                break heap.pop().expect("not empty");
            }
            heap.set(t, exact);
        };
        let d = cache[t].d;
        tt.place(t, d as usize)?;
        (cache[t].d, cache[t].d2) = (NONE, NONE);
        let tail = tt.device_tail(d as usize);
        for w in std::mem::take(&mut watch[d as usize]) {
            let c = w.t as usize;
            let old = cache[c];
            if (old.d != d && old.d2 != d) || seen[c] == step {
                continue; // placed, a stale watch (c no longer counts on d), or listed twice
            }
            seen[c] = step;
            let fits = !capped || tt.fits_capacity(c, d as usize);
            let quick = tail + w.p;
            if fits && (old.vague || (old.d == d && old.d2 != NONE && quick >= old.low2)) {
                // Its best device is not known (or no longer): the completions on d and on the
                // other watched device bound the second-best from above, low2 the best from
                // below.
                let e = &mut cache[c];
                if e.d == d {
                    e.ct = quick;
                } else {
                    e.ct2 = quick;
                }
                e.vague = true;
                let bound = e.ct.max(e.ct2) - e.low2;
                watch[d as usize].push(w);
                heap.raise(c, bound);
                continue;
            }
            if fits && old.d == d && quick < old.low2 {
                // Still best on d (every other device is at or above low2): its sufferage
                // falls, and the heap's key is left as an upper bound.
                cache[c].ct = quick;
                watch[d as usize].push(w);
                continue;
            }
            if fits && old.d2 == d {
                // Its second-best device grew: the completion there bounds the second-best
                // from above, so the key rises to at most this.
                cache[c].ct2 = quick;
                watch[d as usize].push(w);
                heap.raise(c, quick - old.ct);
                continue;
            }
            let b = reevaluate(inst, &tt, c, capped, &mut shortlist[c])?;
            let new = Cached::of(&b);
            enlist(inst, &mut watch, c, Some(&old), &new, d);
            heap.raise(c, key(&new));
            cache[c] = new;
        }
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
