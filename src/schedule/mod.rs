//! Schedules: the timetable a solver returns, its evaluation, the feasibility checker, the one
//! schedule builder every solver uses, and renderings.

mod builder;
mod check;
mod evaluate;
mod profile;
pub mod render;

pub(crate) use builder::priority_reverse_topological_order;
pub use builder::{Timetable, build, priority_topological_order};
pub use check::{Violation, check};
pub use evaluate::{Metrics, evaluate};
pub(crate) use profile::Profile;

use crate::model::Instance;

/// One task placed on one device over `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assignment {
    /// Task index.
    pub task: usize,
    /// Device index.
    pub device: usize,
    /// Start time.
    pub start: f64,
    /// End time.
    pub end: f64,
}

/// A timetable: where and when each task runs.
///
/// A schedule built by a solver has one assignment per task, sorted by task index; a schedule read
/// from a file may be anything, which is what [`check`] is for.
///
/// A *preemptive* schedule (the simulator's, with preemption) may give a task several
/// assignments, its run segments: a segment on device d runs (end − start) / p(task, d) of the
/// task, and the task's fractions sum to 1; its completion is the end of its last segment.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schedule {
    /// The assignments.
    pub assignments: Vec<Assignment>,
    /// Whether a task may run in several segments.
    pub preemptive: bool,
}

impl Schedule {
    /// All objective values and metrics of this schedule.
    pub fn metrics(&self, instance: &Instance) -> Metrics {
        evaluate(instance, self)
    }

    /// The value of the instance's objective for this schedule.
    pub fn value(&self, instance: &Instance) -> f64 {
        evaluate(instance, self).value(instance.objective())
    }

    /// Every rule of a feasible schedule this one breaks (empty when feasible).
    pub fn violations(&self, instance: &Instance) -> Vec<Violation> {
        check(instance, self)
    }

    /// A schedule of one assignment per task.
    pub fn new(assignments: Vec<Assignment>) -> Self {
        Schedule {
            assignments,
            preemptive: false,
        }
    }

    /// Per task (by index) its completion: the end of its last segment (NaN when it has none).
    pub fn completions(&self, n: usize) -> Vec<f64> {
        let mut out = vec![f64::NAN; n];
        for a in self.assignments.iter().filter(|a| a.task < n) {
            out[a.task] = if out[a.task].is_nan() {
                a.end
            } else {
                out[a.task].max(a.end)
            };
        }
        out
    }

    /// The device each task runs on (by task index), when every task appears exactly once.
    pub fn device_of(&self, n: usize) -> Option<Vec<usize>> {
        let mut out = vec![usize::MAX; n];
        for a in &self.assignments {
            if a.task >= n || out[a.task] != usize::MAX {
                return None;
            }
            out[a.task] = a.device;
        }
        out.iter().all(|&d| d != usize::MAX).then_some(out)
    }
}
