//! [`KeyedHeap`]: the max-heap of tasks behind Max-Min and Sufferage on independent instances,
//! whose keys change in place.

use crate::order::ordered;

/// Children per node: a node's four children are adjacent (64 bytes), and a sift crosses half
/// the levels of a binary heap.
const ARITY: usize = 4;

/// A max-heap of tasks by key (ties: the lower task index first) that can change a task's key
/// in place: its size stays the number of unmapped tasks, however often keys change.
///
/// Each slot holds the task's rank, its key and index in one integer ordered as the heap's
/// order ([`rank`]), so a sift compares slots without looking the keys up, and moves a hole
/// instead of swapping. The heap keeps no other copy of the keys: callers that compare keys
/// keep their own.
pub(super) struct KeyedHeap {
    /// Ranks in heap order (the largest first).
    heap: Vec<u128>,
    /// Position of each task in `heap` (`u32::MAX`: not in it).
    pos: Vec<u32>,
}

/// Task `t`'s rank with key `key`: the key as an integer in [`f64::total_cmp`]'s order (its
/// sign moved so that the order is unsigned), then the task index complemented, so that a
/// larger rank comes first and, among equal keys, the lower task.
#[inline]
fn rank(key: f64, t: usize) -> u128 {
    let key = ordered(key) as u64 ^ (1 << 63);
    (u128::from(key) << 32) | u128::from(u32::MAX - t as u32)
}

/// The task of a rank.
#[inline]
fn task(r: u128) -> usize {
    (u32::MAX - r as u32) as usize
}

impl KeyedHeap {
    /// A heap of tasks `0, 1, …` with these keys, in task order.
    pub(super) fn new(keys: impl IntoIterator<Item = f64>) -> Self {
        let heap: Vec<u128> = keys
            .into_iter()
            .enumerate()
            .map(|(t, k)| rank(k, t))
            .collect();
        let n = heap.len();
        assert!(n < u32::MAX as usize, "at most 2^32 - 2 tasks");
        let mut h = KeyedHeap {
            heap,
            pos: (0..n as u32).collect(),
        };
        for i in (0..n.div_ceil(ARITY)).rev() {
            h.down(i, h.heap[i]);
        }
        h
    }

    /// Put `r` at slot `i`.
    #[inline]
    fn put(&mut self, i: usize, r: u128) {
        self.heap[i] = r;
        self.pos[task(r)] = i as u32;
    }

    /// Move rank `r` from a hole at slot `i` towards the root.
    fn up(&mut self, mut i: usize, r: u128) {
        while i > 0 {
            let p = (i - 1) / ARITY;
            let above = self.heap[p];
            if above >= r {
                break;
            }
            self.put(i, above);
            i = p;
        }
        self.put(i, r);
    }

    /// Move rank `r` from a hole at slot `i` towards the leaves.
    fn down(&mut self, mut i: usize, r: u128) {
        let len = self.heap.len();
        loop {
            let first = ARITY * i + 1;
            if first >= len {
                break;
            }
            let children = &self.heap[first..(first + ARITY).min(len)];
            let (mut j, mut top) = (0, children[0]);
            for (k, &c) in children.iter().enumerate().skip(1) {
                if c > top {
                    (j, top) = (k, c);
                }
            }
            if top <= r {
                break;
            }
            self.put(i, top);
            i = first + j;
        }
        self.put(i, r);
    }

    /// The first task, without removing it.
    pub(super) fn peek(&self) -> Option<usize> {
        self.heap.first().map(|&r| task(r))
    }

    /// Remove and return the first task.
    pub(super) fn pop(&mut self) -> Option<usize> {
        let last = self.heap.pop()?;
        let first = if self.heap.is_empty() {
            last
        } else {
            let first = self.heap[0];
            self.down(0, last);
            first
        };
        let t = task(first);
        self.pos[t] = u32::MAX;
        Some(t)
    }

    /// Give task `t` (in the heap) a new key.
    pub(super) fn set(&mut self, t: usize, key: f64) {
        let i = self.pos[t] as usize;
        debug_assert!(i < self.heap.len(), "task {t} is not in the heap");
        let old = self.heap[i];
        let r = rank(key, t);
        if r > old {
            self.up(i, r);
        } else {
            self.down(i, r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    /// The first task by a linear search: the largest key by `total_cmp`, ties to the lower task.
    fn first(keys: &[f64], live: &[bool]) -> Option<usize> {
        (0..keys.len())
            .filter(|&t| live[t])
            .min_by(|&a, &b| keys[b].total_cmp(&keys[a]).then(a.cmp(&b)))
    }

    #[test]
    fn ranks_follow_total_cmp_then_the_lower_task() {
        let values = [
            f64::NEG_INFINITY,
            -3.5,
            -0.0,
            0.0,
            1e-300,
            2.0,
            2.0,
            f64::MAX,
            f64::INFINITY,
        ];
        for (a, &x) in values.iter().enumerate() {
            for (b, &y) in values.iter().enumerate() {
                let by_rank = rank(x, a).cmp(&rank(y, b));
                let wanted = x.total_cmp(&y).then(b.cmp(&a));
                assert_eq!(by_rank, wanted, "{x} (task {a}) against {y} (task {b})");
            }
        }
        assert_eq!(task(rank(7.0, 12345)), 12345);
    }

    #[test]
    fn pops_in_order_while_keys_change() {
        let mut rng = StdRng::seed_from_u64(16);
        for n in [1, 2, 3, 4, 5, 17, 64, 301] {
            // Few distinct keys, so that ties are common.
            let mut keys: Vec<f64> = (0..n)
                .map(|_| f64::from(rng.random_range(0..8u8)))
                .collect();
            let mut heap = KeyedHeap::new(keys.iter().copied());
            let mut live = vec![true; n];
            for _ in 0..n {
                for _ in 0..rng.random_range(0..6) {
                    let t = rng.random_range(0..n);
                    if live[t] {
                        let k = f64::from(rng.random_range(0..8u8)) - 2.0;
                        heap.set(t, k);
                        keys[t] = k;
                    }
                }
                let want = first(&keys, &live);
                assert_eq!(heap.peek(), want);
                assert_eq!(heap.pop(), want);
                live[want.expect("a live task")] = false;
            }
            assert_eq!(heap.pop(), None);
            assert_eq!(heap.peek(), None);
        }
    }
}
