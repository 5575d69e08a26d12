//! Planning many instances in one call: one solver configuration, many instances, solved in
//! parallel, one result per instance.
//!
//! A failure is reported for its own instance (an infeasible instance, a solver that finds
//! nothing, even a solver that panics) and never stops the rest of the batch.
//!
//! ```
//! use hetsched::batch::Batch;
//! use hetsched::{Device, Instance, InstanceData, Task};
//!
//! let instances: Vec<Instance> = (1..=4)
//!     .map(|k| {
//!         Instance::new(InstanceData {
//!             name: Some(format!("day-{k}")),
//!             objective: None,
//!             devices: vec![Device::new("gpu-0"), Device::new("gpu-1")],
//!             tasks: (0..k).map(|t| Task::new(format!("job-{t}"), 10.0)).collect(),
//!             network: None,
//!         })
//!         .unwrap()
//!     })
//!     .collect();
//! let solver = hetsched::solve::by_name("min-min").unwrap();
//! let results = Batch::new(solver.as_ref()).jobs(2).plan(&instances);
//! assert_eq!(results.len(), 4);
//! assert_eq!(results[3].as_ref().unwrap().value, Some(20.0)); // 4 jobs of 10 on 2 GPUs
//! ```

use crate::error::Error;
use crate::model::Instance;
use crate::solve::{SolveOptions, SolveReport, Solver};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A solver configuration to apply to many instances.
#[derive(Clone)]
pub struct Batch<'a> {
    solver: &'a dyn Solver,
    options: SolveOptions,
    jobs: Option<usize>,
}

impl<'a> Batch<'a> {
    /// A batch with `solver`, default [`SolveOptions`] and as many parallel jobs as cores.
    pub fn new(solver: &'a dyn Solver) -> Self {
        Batch {
            solver,
            options: SolveOptions::default(),
            jobs: None,
        }
    }

    /// The options every instance is solved with (time limit per instance, seed, threads).
    pub fn options(mut self, options: SolveOptions) -> Self {
        self.options = options;
        self
    }

    /// Solve at most `jobs` instances at a time (at least 1).
    pub fn jobs(mut self, jobs: usize) -> Self {
        self.jobs = Some(jobs.max(1));
        self
    }

    /// Solve every instance; the i-th result belongs to the i-th instance. Results do not depend
    /// on the number of jobs for solvers stopped by an iteration budget (every solver without a
    /// time limit); with a time limit, parallel jobs share the cores.
    pub fn plan(&self, instances: &[Instance]) -> Vec<Result<SolveReport, Error>> {
        par_map(self.jobs, instances, |inst| {
            solve_one(self.solver, inst, &self.options)
        })
    }
}

/// Solve one instance, turning a panic inside the solver into an error for this instance.
pub fn solve_one(
    solver: &dyn Solver,
    instance: &Instance,
    options: &SolveOptions,
) -> Result<SolveReport, Error> {
    catch_unwind(AssertUnwindSafe(|| solver.solve(instance, options))).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        Err(Error::Solve(format!(
            "{} stopped on {}: internal error: {what}",
            solver.name(),
            instance.name()
        )))
    })
}

/// Map `f` over `items` on at most `jobs` worker threads (one per core when `None`), keeping
/// the order of `items`.
///
/// The workers are plain threads that each take the next item when done, not a rayon pool: a
/// solver that runs its own rayon work inside `f` then waits for it alone, instead of picking
/// up other items meanwhile (which would blow its time limit and its measured time).
pub fn par_map<T: Sync, R: Send>(
    jobs: Option<usize>,
    items: &[T],
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = jobs.unwrap_or(cores).clamp(1, items.len().max(1));
    if workers == 1 {
        return items.iter().map(&f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        mine.push((i, f(item)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}
