//! The schedules a portfolio's components share while they run ([`crate::SolveOptions::exchange`]).
//!
//! `auto` gives its MILP and its local search one [`Exchange`]: each offers every new best
//! schedule it finds ([`Exchange::offer`]), and each looks for a better one from the other
//! ([`Exchange::newer`]) — the local search goes on from the MILP's incumbents, HiGHS takes the
//! local search's schedules as new incumbents (which prune its tree and centre its
//! neighbourhood heuristics). Reading the best value is one atomic load, so a search can look
//! every iteration.
//!
//! ```
//! use hetsched::solve::Exchange;
//! # use hetsched::{Instance, InstanceData, Device, Task, schedule::build};
//! # let inst = Instance::new(InstanceData {
//! #     devices: vec![Device::new("gpu")],
//! #     tasks: vec![Task::new("a", 4.0)],
//! #     ..Default::default()
//! # }).unwrap();
//! # let schedule = build(&inst, &[0], &[0]).unwrap();
//! let exchange = Exchange::new();
//! assert!(exchange.offer("ls", 4.0, || Some(schedule.clone())));
//! assert!(!exchange.offer("milp", 5.0, || unreachable!("not better: not built")));
//! let (seen, shared) = exchange.newer(0).unwrap();
//! assert_eq!((shared.value, shared.from), (4.0, "ls"));
//! assert!(exchange.newer(seen).is_none());
//! ```

use crate::schedule::Schedule;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// A schedule one component offered, with its value and who found it.
#[derive(Debug, Clone)]
pub struct Shared {
    /// The objective value of `schedule`.
    pub value: f64,
    /// The component that found it (`"milp"`, `"ls"`, …).
    pub from: &'static str,
    /// The schedule.
    pub schedule: Schedule,
}

/// The best schedule offered so far (see the module documentation).
#[derive(Debug)]
pub struct Exchange {
    /// The best value's bits (`f64::INFINITY` while empty), for lock-free reads.
    best: AtomicU64,
    /// How many schedules were kept (0 while empty).
    version: AtomicU64,
    shared: Mutex<Option<Shared>>,
}

impl Default for Exchange {
    fn default() -> Self {
        Exchange::new()
    }
}

impl Exchange {
    /// An empty exchange.
    pub fn new() -> Self {
        Exchange {
            best: AtomicU64::new(f64::INFINITY.to_bits()),
            version: AtomicU64::new(0),
            shared: Mutex::new(None),
        }
    }

    /// The best value offered so far (infinite while empty).
    #[inline]
    pub fn best_value(&self) -> f64 {
        f64::from_bits(self.best.load(Ordering::Acquire))
    }

    /// How many schedules have been kept so far: a reader that remembers it can tell when there
    /// is a newer one.
    #[inline]
    pub fn version(&self) -> u64 {
        self.version.load(Ordering::Acquire)
    }

    /// Offer a schedule of `value` found by `from`: when it is better than the best so far,
    /// `make` builds it (called only then; `None`: no schedule after all) and it is kept.
    /// Returns true when it was kept.
    pub fn offer(
        &self,
        from: &'static str,
        value: f64,
        make: impl FnOnce() -> Option<Schedule>,
    ) -> bool {
        if value.is_nan() || value >= self.best_value() {
            return false;
        }
        let Some(schedule) = make() else {
            return false;
        };
        let Ok(mut shared) = self.shared.lock() else {
            return false;
        };
        if shared.as_ref().is_some_and(|s| s.value <= value) {
            return false;
        }
        *shared = Some(Shared {
            value,
            from,
            schedule,
        });
        self.best.store(value.to_bits(), Ordering::Release);
        self.version.fetch_add(1, Ordering::AcqRel);
        true
    }

    /// The best schedule, when one was kept after version `seen`, with the current version (to
    /// pass next time).
    pub fn newer(&self, seen: u64) -> Option<(u64, Shared)> {
        if self.version() <= seen {
            return None;
        }
        let shared = self.shared.lock().ok()?;
        let version = self.version();
        shared.clone().map(|s| (version, s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Device, Instance, InstanceData, Task};
    use crate::schedule::build;
    use std::sync::Arc;

    fn one(p: f64) -> Schedule {
        let inst = Instance::new(InstanceData {
            devices: vec![Device::new("d")],
            tasks: vec![Task::new("a", p)],
            ..Default::default()
        })
        .unwrap();
        build(&inst, &[0], &[0]).unwrap()
    }

    #[test]
    fn only_better_schedules_are_kept_and_built() {
        let x = Exchange::new();
        assert_eq!(x.best_value(), f64::INFINITY);
        assert!(x.newer(0).is_none());
        assert!(x.offer("a", 5.0, || Some(one(5.0))));
        assert!(!x.offer("b", 5.0, || panic!("an equal value is not built")));
        assert!(!x.offer("b", 3.0, || None), "nothing built, nothing kept");
        assert_eq!((x.best_value(), x.version()), (5.0, 1));
        assert!(x.offer("b", 3.0, || Some(one(3.0))));
        let (seen, s) = x.newer(1).unwrap();
        assert_eq!((seen, s.value, s.from), (2, 3.0, "b"));
        assert!(x.newer(seen).is_none());
    }

    #[test]
    fn offers_from_many_threads_keep_the_minimum() {
        let x = Arc::new(Exchange::new());
        std::thread::scope(|scope| {
            for k in 0..4 {
                let x = x.clone();
                scope.spawn(move || {
                    for v in (1..200).rev() {
                        let v = (v * 4 + k) as f64;
                        x.offer("t", v, || Some(one(v)));
                    }
                });
            }
        });
        let (_, s) = x.newer(0).unwrap();
        assert_eq!((x.best_value(), s.value), (4.0, 4.0));
    }
}
