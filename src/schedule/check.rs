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
    /// A task starting before the data of one of its predecessors can arrive: the gap between
    /// the predecessor's end and the task's start is shorter than the edge's transfer time.
    Transfer {
        /// The predecessor.
        before: String,
        /// The task that should wait.
        after: String,
        /// The predecessor's device.
        from: String,
        /// The task's device.
        to: String,
        /// The transfer time: the least gap the edge needs.
        required: f64,
        /// The task's start − the predecessor's end.
        actual: f64,
    },
    /// Tasks sharing a device that together hold more of a resource than it has.
    Overload {
        /// Device id.
        device: String,
        /// Resource name.
        resource: String,
        /// When the overload starts.
        at: f64,
        /// The amount in use then.
        used: f64,
        /// The device's capacity of the resource.
        capacity: f64,
        /// The tasks running then.
        tasks: Vec<String>,
    },
    /// A task of a preemptive schedule whose segments do not add up to its whole work.
    Fraction {
        /// Task id.
        task: String,
        /// Σ (end − start) / processing time over its segments.
        total: f64,
    },
    /// Two segments of one task of a preemptive schedule that overlap in time.
    SegmentOverlap {
        /// Task id.
        task: String,
        /// When the later segment starts, before the earlier one ends.
        at: f64,
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
            Violation::Transfer {
                before,
                after,
                from,
                to,
                required,
                actual,
            } => write!(
                f,
                "task '{after}' on device '{to}' starts {actual} after its predecessor '{before}' ends on device '{from}', but the data transfer between them takes {required}"
            ),
            Violation::Overload {
                device,
                resource,
                at,
                used,
                capacity,
                tasks,
            } => write!(
                f,
                "device '{device}' has {resource} {used} in use at time {at} (tasks '{}'), more than its capacity {capacity}",
                tasks.join("', '")
            ),
            Violation::Fraction { task, total } => write!(
                f,
                "task '{task}' runs {total} of its work in its segments, not 1"
            ),
            Violation::SegmentOverlap { task, at } => write!(
                f,
                "task '{task}' starts a segment at {at} while another of its segments runs"
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
/// start ≥ release and ≥ the device's `available_from`; no overlap on a device without
/// `resources`; on a device with `resources`, no overlap with a task of empty demand (exclusive)
/// and, at every instant and for every resource, the demands of the tasks running sum to at most
/// its capacity; a task starts after all its predecessors end; a device's busy time ≤ its
/// capacity. Times are compared with the relative tolerance `TOLERANCE` (10⁻⁶).
///
/// In a preemptive schedule a task may appear several times (its segments): the segments must
/// not overlap one another and their fractions (end − start) / processing time must sum to 1;
/// the release applies to every segment, precedence from the predecessor's last end to the
/// task's first start.
pub fn check(instance: &Instance, schedule: &Schedule) -> Vec<Violation> {
    let n = instance.num_tasks();
    let m = instance.num_devices();
    let tid = |t: usize| instance.task(t).id.clone();
    let did = |d: usize| instance.device(d).id.clone();
    let mut out = Vec::new();
    let mut count = vec![0usize; n];
    let mut fraction = vec![0.0; n];
    // Preemptive schedules: per task its segments with a finite start, and whether one of them
    // is not counted in its fraction (a non-finite end, an ineligible device: reported already).
    let mut segments: Vec<Vec<usize>> = vec![Vec::new(); if schedule.preemptive { n } else { 0 }];
    let mut uncounted = vec![false; n];
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
        if schedule.preemptive && a.start.is_finite() {
            segments[a.task].push(k);
        }
        if !a.start.is_finite() || !a.end.is_finite() {
            uncounted[a.task] |= a.start.is_finite();
            out.push(Violation::NonFinite { task: tid(a.task) });
            continue;
        }
        let task = instance.task(a.task);
        let dev = instance.device(a.device);
        if let Some(reason) = instance.ineligibility_reason(a.task, a.device) {
            uncounted[a.task] = true;
            out.push(Violation::Ineligible {
                task: tid(a.task),
                device: did(a.device),
                reason,
            });
        } else {
            let p = instance.ptime(a.task, a.device);
            let actual = a.end - a.start;
            if schedule.preemptive {
                fraction[a.task] += if p > 0.0 { actual / p } else { 1.0 };
            } else if (actual - p).abs() > tol(p.max(a.end.abs())) {
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

    let asg = &schedule.assignments;
    for (t, &c) in count.iter().enumerate() {
        match c {
            0 => out.push(Violation::Missing(tid(t))),
            1 if !schedule.preemptive => {}
            _ if !schedule.preemptive => out.push(Violation::Duplicate {
                task: tid(t),
                times: c,
            }),
            _ => {
                if !uncounted[t] && (fraction[t] - 1.0).abs() > 1e-6 {
                    out.push(Violation::Fraction {
                        task: tid(t),
                        total: fraction[t],
                    });
                }
                let mut segments: Vec<&super::Assignment> =
                    segments[t].iter().map(|&k| &asg[k]).collect();
                segments.sort_by(|a, b| a.start.total_cmp(&b.start));
                for w in segments.windows(2) {
                    if w[1].start < w[0].end - tol(w[0].end) {
                        out.push(Violation::SegmentOverlap {
                            task: tid(t),
                            at: w[1].start,
                        });
                    }
                }
            }
        }
    }

    for (d, ks) in per_device.iter_mut().enumerate() {
        ks.sort_by(|&x, &y| {
            asg[x]
                .start
                .total_cmp(&asg[y].start)
                .then(asg[x].end.total_cmp(&asg[y].end))
        });
        if instance.offers_resources(d) {
            check_shared(instance, asg, d, ks, &mut out);
        }
        // Compare each interval with the one reaching furthest so far.
        let mut reach: Option<usize> = None;
        for &k in ks.iter().filter(|_| !instance.offers_resources(d)) {
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

    // Per task its first start and last end (over its finite assignments), with their devices.
    let mut first_start = vec![(f64::INFINITY, 0); n];
    let mut last_end = vec![(f64::NEG_INFINITY, 0); n];
    for a in asg.iter().filter(|a| a.task < n && a.device < m) {
        if a.start.is_finite() && a.end.is_finite() {
            if a.start < first_start[a.task].0 {
                first_start[a.task] = (a.start, a.device);
            }
            if a.end > last_end[a.task].0 {
                last_end[a.task] = (a.end, a.device);
            }
        }
    }
    for t in (0..n).filter(|&t| first_start[t].0.is_finite()) {
        for (k, &p) in instance.preds(t).iter().enumerate() {
            let ((start, to), (end, from)) = (first_start[t], last_end[p]);
            // An edge that carries data: the gap must hold its transfer time.
            if instance.edge_data(t, k).is_some() && end.is_finite() {
                let required = instance.edge_transfer(t, k, from, to);
                let due = end + required;
                if start < due - tol(due) {
                    out.push(Violation::Transfer {
                        before: tid(p),
                        after: tid(t),
                        from: did(from),
                        to: did(to),
                        required,
                        actual: start - end,
                    });
                }
                continue;
            }
            if end.is_finite() && start < end - tol(end) {
                out.push(Violation::Precedence {
                    before: tid(p),
                    after: tid(t),
                    before_end: end,
                    after_start: start,
                });
            }
        }
    }
    out
}

/// The rules of a device with `resources`, its assignments `ks` sorted by (start, end): exclusive
/// tasks overlap nothing; an event sweep finds every stretch where a resource is over capacity.
fn check_shared(
    instance: &Instance,
    asg: &[super::Assignment],
    d: usize,
    ks: &[usize],
    out: &mut Vec<Violation>,
) {
    let tid = |k: usize| instance.task(asg[k].task).id.clone();
    let did = instance.device(d).id.clone();
    for (i, &x) in ks.iter().enumerate() {
        for &y in &ks[i + 1..] {
            let overlap = asg[x].end - asg[y].start;
            if overlap <= tol(asg[x].end) {
                break;
            }
            if instance.is_exclusive(asg[x].task) || instance.is_exclusive(asg[y].task) {
                out.push(Violation::Overlap {
                    device: did.clone(),
                    first: tid(x),
                    second: tid(y),
                    amount: asg[x].end.min(asg[y].end) - asg[y].start,
                });
            }
        }
    }

    // Events of the sharing runs: (time, is a start, assignment); an end within the tolerance of a
    // start counts as before it.
    let mut events: Vec<(f64, bool, usize)> = Vec::new();
    for &k in ks {
        let a = &asg[k];
        if !instance.is_exclusive(a.task) && a.end > a.start + tol(a.end) {
            events.push((a.start, true, k));
            events.push((a.end - tol(a.end), false, k));
        }
    }
    events.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let r = instance.num_resources();
    let mut used = vec![0.0; r];
    let mut over = vec![false; r];
    let mut running: Vec<usize> = Vec::new();
    let mut e = 0;
    while e < events.len() {
        let at = events[e].0;
        while e < events.len() && events[e].0 == at {
            let (_, start, k) = events[e];
            let demand = instance.demand_of(asg[k].task);
            if start {
                running.push(k);
                used.iter_mut().zip(demand).for_each(|(u, x)| *u += x);
            } else {
                running.retain(|&j| j != k);
                used.iter_mut().zip(demand).for_each(|(u, x)| *u -= x);
            }
            e += 1;
        }
        for k in 0..r {
            let cap = instance.resource_capacity(d, k);
            let now_over = used[k] > cap + tol(cap);
            if now_over && !over[k] {
                let mut tasks: Vec<String> = running.iter().map(|&j| tid(j)).collect();
                tasks.sort();
                out.push(Violation::Overload {
                    device: did.clone(),
                    resource: instance.resource_name(k).to_string(),
                    at,
                    used: used[k],
                    capacity: cap,
                    tasks,
                });
            }
            over[k] = now_over;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::InstanceData;
    use crate::schedule::Assignment;

    #[test]
    fn overloads_and_exclusive_overlaps_on_shared_devices_are_listed() {
        let data: InstanceData = serde_json::from_str(
            r#"{"devices": [{"id": "node", "resources": {"gpu": 8}}],
                "tasks": [{"id": "a", "work": 4, "demand": {"gpu": 4}},
                          {"id": "b", "work": 4, "demand": {"gpu": 4}},
                          {"id": "c", "work": 2, "demand": {"gpu": 2}},
                          {"id": "x", "work": 1}]}"#,
        )
        .unwrap();
        let inst = Instance::new(data).unwrap();
        let at = |task, start: f64, p: f64| Assignment {
            task,
            device: 0,
            start,
            end: start + p,
        };
        // a, b and c together from 1 to 3: 10 GPUs of 8; x overlaps c.
        let s = Schedule::new(vec![
            at(0, 0.0, 4.0),
            at(1, 0.0, 4.0),
            at(2, 1.0, 2.0),
            at(3, 2.5, 1.0),
        ]);
        let v: Vec<String> = check(&inst, &s).iter().map(|v| v.to_string()).collect();
        assert_eq!(v.len(), 4, "{v:?}"); // one overload, x against a, b and c
        assert!(
            v.contains(
                &"device 'node' has gpu 10 in use at time 1 (tasks 'a', 'b', 'c'), more than its capacity 8"
                    .to_string()
            ),
            "{v:?}"
        );
        assert!(v.iter().any(|s| s.contains("'c' and 'x' overlap")), "{v:?}");
        // Ends that meet starts do not overlap; 8 of 8 fits.
        let s = Schedule::new(vec![
            at(0, 0.0, 4.0),
            at(1, 0.0, 4.0),
            at(2, 4.0, 2.0),
            at(3, 6.0, 1.0),
        ]);
        assert!(check(&inst, &s).is_empty());
    }

    #[test]
    fn preemptive_segments_must_add_up_and_not_overlap() {
        let data: InstanceData = serde_json::from_str(
            r#"{"devices": [{"id": "fast", "speed": 2}, {"id": "slow"}],
                "tasks": [{"id": "a", "work": 4}, {"id": "b", "work": 2, "after": ["a"]}]}"#,
        )
        .unwrap();
        let inst = Instance::new(data).unwrap();
        let seg = |task, device, start, end| Assignment {
            task,
            device,
            start,
            end,
        };
        // a: half on fast (1 of 2), half on slow (2 of 4); b after a's last segment.
        let good = Schedule {
            assignments: vec![
                seg(0, 0, 0.0, 1.0),
                seg(0, 1, 1.0, 3.0),
                seg(1, 0, 3.0, 4.0),
            ],
            preemptive: true,
        };
        assert!(check(&inst, &good).is_empty(), "{:?}", check(&inst, &good));
        assert_eq!(good.completions(2), vec![3.0, 4.0]);
        // Not preemptive: a twice, and its segments are not its processing time.
        let mut flat = good.clone();
        flat.preemptive = false;
        assert!(
            check(&inst, &flat)
                .iter()
                .any(|v| matches!(v, Violation::Duplicate { .. }))
        );
        // Too little work, overlapping segments, b before a's last segment ends.
        let bad = Schedule {
            assignments: vec![
                seg(0, 0, 0.0, 1.0),
                seg(0, 1, 0.5, 2.0),
                seg(1, 0, 1.5, 2.5),
            ],
            preemptive: true,
        };
        let v: Vec<String> = check(&inst, &bad).iter().map(|v| v.to_string()).collect();
        assert!(
            v.contains(&"task 'a' runs 0.875 of its work in its segments, not 1".to_string()),
            "{v:?}"
        );
        assert!(
            v.iter().any(|s| s.contains("'a' starts a segment at 0.5")),
            "{v:?}"
        );
        assert!(
            v.iter()
                .any(|s| s.contains("before its predecessor 'a' ends at 2")),
            "{v:?}"
        );
    }
}
