//! The running jobs a device that gains room might take from a slower one: those running on a
//! device class slower for them than their fastest. A min segment tree of their demands (and,
//! with few device classes, of their time on each class over their time where they run) and of
//! their keys lets a decision find the first in the order that could fit in the room a device
//! has left and would run faster there, without visiting the many that could not (a list
//! policy that preempts in place asks this after every completion).

use super::{TOLERANCE, WaitKey};
use rustc_hash::FxHashMap;

/// The most device classes whose speed ratios the tree keeps (beyond, a query finds the jobs by
/// their demands alone).
const RATIO_CLASSES: usize = 16;

/// The key of no job: after every key.
const NO_KEY: WaitKey = (i64::MAX, i64::MAX, usize::MAX);

/// The displaced jobs, each in a slot (slots are reused); per node of the tree, over the
/// slots below it, `[present, demand of resource 0, …, speed ratio on class 0, …]` at their
/// minimum (`present` is 0 for a slot holding a job, +∞ for a free one; a job's ratio on a
/// class is its time there over its time where it runs, kept for at most [`RATIO_CLASSES`]
/// classes), so a subtree whose minima do not fit a room, or are ≥ 1 on every class asked
/// about, has no job for it.
#[derive(Debug, Clone, Default)]
pub(super) struct Displaced {
    /// Values per node: 1 + resources (+ classes).
    width: usize,
    resources: usize,
    /// Whether the ratios are kept.
    ratios: bool,
    /// Leaves (a power of two, or 0 before the first job).
    size: usize,
    values: Vec<f64>,
    /// Per node, the least key of the jobs below it ([`NO_KEY`] for none).
    keys: Vec<WaitKey>,
    /// Per slot, its job with its key and estimated time where it runs.
    slots: Vec<Option<(WaitKey, f64)>>,
    free: Vec<usize>,
    slot_of: FxHashMap<usize, usize>,
}

impl Displaced {
    /// None yet, for jobs with demands of `resources` resources on `classes` device classes.
    pub(super) fn new(resources: usize, classes: usize) -> Displaced {
        let ratios = classes <= RATIO_CLASSES;
        Displaced {
            width: 1 + resources + if ratios { classes } else { 0 },
            resources,
            ratios,
            ..Displaced::default()
        }
    }

    /// Job `key.2` runs displaced, taking `here` by the estimate where it runs, holding `need`
    /// of each resource (zeros for a job that runs alone: it is always a candidate), taking
    /// `times[c]` on device class c (infinite where it may not run).
    pub(super) fn insert(&mut self, key: WaitKey, here: f64, need: &[f64], times: &[f64]) {
        if self.free.is_empty() {
            self.grow();
        }
        let slot = self.free.pop().expect("a free slot");
        self.slots[slot] = Some((key, here));
        self.slot_of.insert(key.2, slot);
        let mut leaf = vec![0.0; self.width];
        leaf[1..=self.resources].copy_from_slice(need);
        if self.ratios {
            for (ratio, &time) in leaf[1 + self.resources..].iter_mut().zip(times) {
                *ratio = time / here;
            }
        }
        self.set(slot, &leaf, key);
    }

    /// Job `t` no longer runs displaced (nothing when it did not).
    pub(super) fn remove(&mut self, t: usize) {
        if let Some(slot) = self.slot_of.remove(&t) {
            self.slots[slot] = None;
            self.free.push(slot);
            let absent = vec![f64::INFINITY; self.width];
            self.set(slot, &absent, NO_KEY);
        }
    }

    /// The number of displaced jobs.
    pub(super) fn len(&self) -> usize {
        self.slot_of.len()
    }

    /// The displaced job with the least key that holds at most `left[k]` of each resource k,
    /// would run faster on device class `class` than where it runs, and that `accept` takes
    /// (given its key), with that time; `times(t)` is job t's time on `class`. Subtrees whose
    /// minima cannot hold such a job, or whose least key comes after the best found, are
    /// skipped.
    pub(super) fn best(
        &self,
        left: &[f64],
        class: usize,
        times: impl Fn(usize) -> f64,
        accept: impl Fn(WaitKey) -> bool,
    ) -> Option<(WaitKey, f64)> {
        let (w, r) = (self.width, self.resources);
        if self.size == 0 {
            return None;
        }
        let admits = |node: usize| {
            let values = &self.values[node * w..(node + 1) * w];
            values[0] == 0.0
                && values[1..=r]
                    .iter()
                    .zip(left)
                    .all(|(&need, &left)| need <= left + TOLERANCE)
                && (!self.ratios || values[1 + r + class] < 1.0)
        };
        // Depth first (cheaper per node than best first, and most searches find nothing),
        // skipping subtrees whose least key is not before the best found.
        let mut best: Option<(WaitKey, f64)> = None;
        let mut stack = vec![1];
        while let Some(node) = stack.pop() {
            if best.is_some_and(|b| self.keys[node] >= b.0) || !admits(node) {
                continue;
            }
            if node < self.size {
                stack.extend([2 * node + 1, 2 * node]);
            } else if let Some((key, here)) = self.slots[node - self.size]
                && times(key.2) < here
                && accept(key)
            {
                best = Some((key, here));
            }
        }
        best
    }

    /// Twice the slots (at least one), the tree rebuilt over them.
    fn grow(&mut self) {
        let old = self.size;
        self.size = (2 * old).max(1);
        self.slots.resize(self.size, None);
        self.free.extend((old..self.size).rev());
        let w = self.width;
        let mut values = vec![f64::INFINITY; 2 * self.size * w];
        let mut keys = vec![NO_KEY; 2 * self.size];
        for slot in 0..old {
            let from = (old + slot) * w;
            let to = (self.size + slot) * w;
            values[to..to + w].copy_from_slice(&self.values[from..from + w]);
            keys[self.size + slot] = self.keys[old + slot];
        }
        self.values = values;
        self.keys = keys;
        for node in (1..self.size).rev() {
            self.pull(node);
        }
    }

    /// Slot `slot` holds `leaf`, of a job at `key`; its ancestors updated.
    fn set(&mut self, slot: usize, leaf: &[f64], key: WaitKey) {
        let w = self.width;
        let mut node = self.size + slot;
        self.values[node * w..(node + 1) * w].copy_from_slice(leaf);
        self.keys[node] = key;
        while node > 1 {
            node /= 2;
            self.pull(node);
        }
    }

    /// Node `node` as the minimum of its children.
    fn pull(&mut self, node: usize) {
        let w = self.width;
        let (left, right) = (2 * node, 2 * node + 1);
        for k in 0..w {
            self.values[node * w + k] = self.values[left * w + k].min(self.values[right * w + k]);
        }
        self.keys[node] = self.keys[left].min(self.keys[right]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_job_in_the_order_within_the_room_is_found_after_slots_are_reused() {
        let mut displaced = Displaced::new(2, 2);
        // Job t at key t (the last first), taking t + 1 where it runs and half that on class
        // 1, except job 2 (slower there); needs in (gpu, memory).
        let key = |t: usize| (10 - t as i64, 0, t);
        let times = |t: usize| if t == 2 { 9.0 } else { 0.5 * (t as f64 + 1.0) };
        let needs = [
            [1.0, 10.0],
            [4.0, 10.0],
            [1.0, 50.0],
            [2.0, 20.0],
            [1.0, 5.0],
        ];
        for (t, need) in needs.iter().enumerate() {
            let here = t as f64 + 1.0;
            displaced.insert(key(t), here, need, &[here, times(t)]);
        }
        let best = |d: &Displaced, left: &[f64], skip: &[usize]| {
            d.best(left, 1, times, |k| !skip.contains(&k.2))
                .map(|(k, _)| k.2)
        };
        assert_eq!(best(&displaced, &[2.0, 20.0], &[]), Some(4));
        assert_eq!(best(&displaced, &[2.0, 20.0], &[4]), Some(3));
        assert_eq!(best(&displaced, &[2.0, 20.0], &[4, 3]), Some(0));
        assert_eq!(best(&displaced, &[2.0, 20.0], &[4, 3, 0]), None);
        // Job 2 fits but is slower on class 1; job 1 needs 4 GPUs.
        assert_eq!(best(&displaced, &[8.0, 100.0], &[4, 3, 0]), Some(1));
        assert_eq!(best(&displaced, &[8.0, 100.0], &[4, 3, 0, 1]), None);
        displaced.remove(4);
        displaced.remove(4);
        assert_eq!(displaced.len(), 4);
        assert_eq!(best(&displaced, &[2.0, 20.0], &[]), Some(3));
        // The freed slot takes another job, first in the order.
        displaced.insert(key(9), 1.0, &[2.0, 5.0], &[1.0, 0.5]);
        let found = displaced.best(&[2.0, 20.0], 1, |_| 0.5, |_| true);
        assert_eq!(found, Some((key(9), 1.0)));
    }
}
