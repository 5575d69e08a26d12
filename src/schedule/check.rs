use super::Schedule;
use crate::model::Instance;
use std::fmt;

/// Relative tolerance of the checker: times within `1e-6 · max(1, |x|)` count as equal.
pub const TOLERANCE: f64 = 1e-6;

fn tol(x: f64) -> f64 {
    TOLERANCE * x.abs().max(1.0)
}

/// One broken rule of a feasible schedule. `Display` names tasks and devices by id.
#[derive(Debug, Clone, PartialEq)]
pub enum Violation {
    /// A task index or id that is not in the instance.
    UnknownTask(String),
    /// A device index or id that is not in the instance.
    UnknownDevice {
        /// The unknown device.
        device: String,
        /// The task assigned to it, when known.
        task: Option<String>,
    },
    /// A task that is not scheduled.
    Missing(String),
    /// A task scheduled more than once.
    Duplicate {
        /// Task id.
        task: String,
        /// How many times it appears.
        times: usize,
    },
    /// A start or end that is not a finite number.
    NonFinite {
        /// Task id.
        task: String,
    },
    /// A task placed on a device it may not use.
    Ineligible {
        /// Task id.
        task: String,
        /// Device id.
        device: String,
        /// Why not.
        reason: String,
    },
    /// end − start differs from the processing time.
    WrongDuration {
        /// Task id.
        task: String,
        /// Device id.
        device: String,
        /// The processing time.
        expected: f64,
        /// end − start in the schedule.
        actual: f64,
    },
    /// A task starting before its release date.
    BeforeRelease {
        /// Task id.
        task: String,
        /// Its start.
        start: f64,
        /// Its release.
        release: f64,
    },
    /// A task starting before its device is available.
    BeforeAvailable {
        /// Task id.
        task: String,
        /// Device id.
        device: String,
        /// Its start.
        start: f64,
        /// The device's `available_from`.
        available_from: f64,
    },
    /// Two tasks overlapping on one device.
    Overlap {
        /// Device id.
        device: String,
        /// The earlier task.
        first: String,
        /// The task that starts before `first` ends.
        second: String,
        /// How long they overlap.
        amount: f64,
    },
    /// A task starting before one of its predecessors ends.
    Precedence {
        /// The predecessor.
        before: String,
        /// The task that should wait.
        after: String,
        /// The predecessor's end.
        before_end: f64,
        /// The task's start.
        after_start: f64,
    },
    /// A device busier than its capacity.
    Capacity {
        /// Device id.
        device: String,
        /// Its total busy time.
        busy: f64,
        /// Its capacity.
        capacity: f64,
    },
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Violation::UnknownTask(t) => write!(f, "unknown task '{t}'"),
            Violation::UnknownDevice { device, task: None } => {
                write!(f, "unknown device '{device}'")
            }
            Violation::UnknownDevice {
                device,
                task: Some(t),
            } => {
                write!(f, "task '{t}' is assigned to unknown device '{device}'")
            }
            Violation::Missing(t) => write!(f, "task '{t}' is not scheduled"),
            Violation::Duplicate { task, times } => {
                write!(f, "task '{task}' is scheduled {times} times")
            }
            Violation::NonFinite { task } => {
                write!(
                    f,
                    "task '{task}' has a start or end that is not a finite number"
                )
            }
            Violation::Ineligible {
                task,
                device,
                reason,
            } => {
                write!(
                    f,
                    "task '{task}' may not run on device '{device}': {reason}"
                )
            }
            Violation::WrongDuration {
                task,
                device,
                expected,
                actual,
            } => write!(
                f,
                "task '{task}' on device '{device}' lasts {actual} but its processing time there is {expected}"
            ),
            Violation::BeforeRelease {
                task,
                start,
                release,
            } => write!(
                f,
                "task '{task}' starts at {start}, before its release {release}"
            ),
            Violation::BeforeAvailable {
                task,
                device,
                start,
                available_from,
            } => write!(
                f,
                "task '{task}' starts at {start} on device '{device}', which is available only from {available_from}"
            ),
            Violation::Overlap {
                device,
                first,
                second,
                amount,
            } => write!(
                f,
                "tasks '{first}' and '{second}' overlap by {amount} on device '{device}'"
            ),
            Violation::Precedence {
                before,
                after,
                before_end,
                after_start,
            } => write!(
                f,
                "task '{after}' starts at {after_start}, before its predecessor '{before}' ends at {before_end}"
            ),
            Violation::Capacity {
                device,
                busy,
                capacity,
            } => write!(
                f,
                "device '{device}' is busy for {busy}, more than its capacity {capacity}"
            ),
        }
    }
}

/// Check `schedule` against every rule of a feasible schedule and list every violation.
///
/// Rules: every task exactly once, on an eligible device; end − start = processing time;
/// start ≥ release and ≥ the device's `available_from`; no overlap on a device; a task starts
/// after all its predecessors end; a device's busy time ≤ its capacity. Times are compared with
/// the relative tolerance [`TOLERANCE`].
pub fn check(instance: &Instance, schedule: &Schedule) -> Vec<Violation> {
    let n = instance.num_tasks();
    let m = instance.num_devices();
    let tid = |t: usize| instance.task(t).id.clone();
    let did = |d: usize| instance.device(d).id.clone();
    let mut out = Vec::new();
    let mut count = vec![0usize; n];
    let mut first: Vec<Option<usize>> = vec![None; n];
    let mut per_device: Vec<Vec<usize>> = vec![Vec::new(); m];
    let mut busy = vec![0.0; m];

    for (k, a) in schedule.assignments.iter().enumerate() {
        if a.task >= n {
            out.push(Violation::UnknownTask(format!("#{}", a.task)));
            continue;
        }
        if a.device >= m {
            out.push(Violation::UnknownDevice {
                device: format!("#{}", a.device),
                task: Some(tid(a.task)),
            });
            continue;
        }
        count[a.task] += 1;
        if first[a.task].is_none() {
            first[a.task] = Some(k);
        }
        if !a.start.is_finite() || !a.end.is_finite() {
            out.push(Violation::NonFinite { task: tid(a.task) });
            continue;
        }
        let task = instance.task(a.task);
        let dev = instance.device(a.device);
        if let Some(reason) = instance.ineligibility_reason(a.task, a.device) {
            out.push(Violation::Ineligible {
                task: tid(a.task),
                device: did(a.device),
                reason,
            });
        } else {
            let p = instance.ptime(a.task, a.device);
            let actual = a.end - a.start;
            if (actual - p).abs() > tol(p.max(a.end.abs())) {
                out.push(Violation::WrongDuration {
                    task: tid(a.task),
                    device: did(a.device),
                    expected: p,
                    actual,
                });
            }
        }
        if a.start < task.release - tol(task.release) {
            out.push(Violation::BeforeRelease {
                task: tid(a.task),
                start: a.start,
                release: task.release,
            });
        }
        if a.start < dev.available_from - tol(dev.available_from) {
            out.push(Violation::BeforeAvailable {
                task: tid(a.task),
                device: did(a.device),
                start: a.start,
                available_from: dev.available_from,
            });
        }
        per_device[a.device].push(k);
        busy[a.device] += (a.end - a.start).max(0.0);
    }

    for (t, &c) in count.iter().enumerate() {
        match c {
            0 => out.push(Violation::Missing(tid(t))),
            1 => {}
            _ => out.push(Violation::Duplicate {
                task: tid(t),
                times: c,
            }),
        }
    }

    let asg = &schedule.assignments;
    for (d, ks) in per_device.iter_mut().enumerate() {
        ks.sort_by(|&x, &y| {
            asg[x]
                .start
                .total_cmp(&asg[y].start)
                .then(asg[x].end.total_cmp(&asg[y].end))
        });
        // Compare each interval with the one reaching furthest so far.
        let mut reach: Option<usize> = None;
        for &k in ks.iter() {
            if let Some(r) = reach {
                let overlap = asg[r].end - asg[k].start;
                if overlap > tol(asg[r].end) {
                    out.push(Violation::Overlap {
                        device: did(d),
                        first: tid(asg[r].task),
                        second: tid(asg[k].task),
                        amount: asg[r].end.min(asg[k].end) - asg[k].start,
                    });
                }
            }
            if reach.is_none_or(|r| asg[k].end > asg[r].end) {
                reach = Some(k);
            }
        }
        if let Some(cap) = instance.device(d).capacity
            && busy[d] > cap + tol(cap)
        {
            out.push(Violation::Capacity {
                device: did(d),
                busy: busy[d],
                capacity: cap,
            });
        }
    }

    for t in 0..n {
        let Some(k) = first[t] else { continue };
        let a = &asg[k];
        for &p in instance.preds(t) {
            let Some(kp) = first[p] else { continue };
            let b = &asg[kp];
            if a.start < b.end - tol(b.end) {
                out.push(Violation::Precedence {
                    before: tid(p),
                    after: tid(t),
                    before_end: b.end,
                    after_start: a.start,
                });
            }
        }
    }
    out
}
