//! List scheduling: tasks in a priority order, each sent to a device chosen by a [`DeviceRule`].

use crate::error::Error;
use crate::model::Instance;
use crate::schedule::{Schedule, Timetable, priority_topological_order};

/// How a list scheduler picks the device for the next task (ties: lowest device index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceRule {
    /// The device where the task completes first (MCT, HEFT, dispatch rules).
    EarliestCompletion,
    /// The device where the task can start first, whatever its time there (OLB).
    EarliestStart,
    /// The device where the task runs fastest, whatever its load (MET).
    MinTime,
}

/// Place the tasks in `priority` order (repaired for precedence), each on the device `rule` picks.
pub fn schedule(inst: &Instance, priority: &[usize], rule: DeviceRule) -> Result<Schedule, Error> {
    let mut tt = Timetable::new(inst);
    for t in priority_topological_order(inst, priority) {
        let mut best: Option<(f64, usize)> = None;
        for &d in inst.eligible(t) {
            let Some(start) = tt.earliest_start(t, d) else {
                continue;
            };
            let key = match rule {
                DeviceRule::EarliestCompletion => start + inst.ptime(t, d),
                DeviceRule::EarliestStart => start,
                DeviceRule::MinTime => inst.ptime(t, d),
            };
            if best.is_none_or(|(k, _)| key < k) {
                best = Some((key, d));
            }
        }
        let Some((_, d)) = best else {
            return Err(no_room(inst, t));
        };
        tt.place(t, d)?;
    }
    tt.into_schedule()
}

/// The error for a task that no eligible device has capacity left for.
pub(super) fn no_room(inst: &Instance, t: usize) -> Error {
    let devs: Vec<&str> = inst
        .eligible(t)
        .iter()
        .map(|&d| inst.device(d).id.as_str())
        .collect();
    Error::Solve(format!(
        "task '{}' fits in the remaining capacity of none of its eligible devices ({})",
        inst.task(t).id,
        devs.join(", ")
    ))
}
