//! The one schedule builder: (device choice + order) → timetable.
//!
//! [`Timetable`] places tasks one at a time at the earliest time that honours the task's release,
//! its predecessors' ends (plus, for edges that carry data, the transfer time from the
//! predecessor's device to the candidate device), the device's `available_from`, the device's idle gaps (a task may be
//! inserted into an earlier gap it fits in) and the device's capacity. On a device with
//! `resources` (when the instance has sharing at all) the gaps are replaced by a resource profile:
//! the task starts at the earliest time its demand fits for its whole run (the serial
//! schedule-generation scheme). Greedy rules drive it one decision at a time; decoders and exact
//! methods call [`build`] with a full device choice and order.

use super::profile::Profile;
use super::{Assignment, Schedule};
use crate::error::Error;
use crate::model::Instance;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A partial timetable under construction.
///
/// ```
/// use hetsched::{Device, Instance, InstanceData, Task, schedule::Timetable};
/// let data = InstanceData {
///     devices: vec![Device::new("d0")],
///     tasks: vec![Task::new("a", 3.0), Task::new("b", 2.0)],
///     ..Default::default()
/// };
/// let inst = Instance::new(data).unwrap();
/// let mut tt = Timetable::new(&inst);
/// assert_eq!(tt.earliest_start(1, 0), Some(0.0));
/// tt.place(1, 0).unwrap();
/// assert_eq!(tt.earliest_completion(0, 0), Some(5.0));
/// tt.place(0, 0).unwrap();
/// let schedule = tt.into_schedule().unwrap();
/// assert!(schedule.violations(&inst).is_empty());
/// ```
#[derive(Debug, Clone)]
pub struct Timetable<'a> {
    inst: &'a Instance,
    /// End of the last busy interval on each device (starts at `available_from`).
    tail: Vec<f64>,
    /// Idle gaps before `tail` on each device, sorted by start.
    gaps: Vec<Vec<(f64, f64)>>,
    /// Resource profile of each device with `resources`, when some task may share one;
    /// every other device runs one task at a time (tail and gaps).
    profiles: Vec<Option<Profile>>,
    /// Busy time used on each device.
    busy: Vec<f64>,
    /// Placement of each task, if placed.
    placed: Vec<Option<Assignment>>,
    /// Number of unplaced predecessors of each task.
    waiting_on: Vec<usize>,
    num_placed: usize,
    /// The instance has transfer times (else the ready time is the same on every device).
    transfers: bool,
}

impl<'a> Timetable<'a> {
    /// An empty timetable for `inst`.
    pub fn new(inst: &'a Instance) -> Self {
        let m = inst.num_devices();
        let n = inst.num_tasks();
        Timetable {
            inst,
            tail: inst.devices().iter().map(|d| d.available_from).collect(),
            gaps: vec![Vec::new(); m],
            profiles: (0..m)
                .map(|d| {
                    (inst.has_sharing() && inst.offers_resources(d)).then(|| {
                        Profile::new(
                            (0..inst.num_resources())
                                .map(|k| inst.resource_capacity(d, k))
                                .collect(),
                            inst.device(d).available_from,
                        )
                    })
                })
                .collect(),
            busy: vec![0.0; m],
            placed: vec![None; n],
            waiting_on: (0..n).map(|t| inst.preds(t).len()).collect(),
            num_placed: 0,
            transfers: inst.has_transfers(),
        }
    }

    /// The instance this timetable is for.
    pub fn instance(&self) -> &'a Instance {
        self.inst
    }

    /// True when every predecessor of `t` is placed.
    #[inline]
    pub fn is_ready(&self, t: usize) -> bool {
        self.waiting_on[t] == 0
    }

    /// True when `t` is placed.
    #[inline]
    pub fn is_placed(&self, t: usize) -> bool {
        self.placed[t].is_some()
    }

    /// Number of tasks placed so far.
    pub fn num_placed(&self) -> usize {
        self.num_placed
    }

    /// Earliest start of `t` regardless of device: max(release, predecessors' ends), without
    /// transfer times (a lower bound of [`Timetable::ready_on`] on every device). `None` while a
    /// predecessor is unplaced.
    pub fn ready_time(&self, t: usize) -> Option<f64> {
        if !self.is_ready(t) {
            return None;
        }
        let mut r = self.inst.task(t).release;
        for &p in self.inst.preds(t) {
            r = r.max(self.placed[p].map_or(f64::INFINITY, |a| a.end));
        }
        Some(r)
    }

    /// Earliest start of `t` on device `d` given its predecessors: max(release, each
    /// predecessor's end + the transfer time of its edge from the predecessor's device to `d`).
    /// Equal to [`Timetable::ready_time`] on an instance without transfers. `None` while a
    /// predecessor is unplaced.
    #[inline]
    pub fn ready_on(&self, t: usize, d: usize) -> Option<f64> {
        if self.transfers {
            self.ready_with_transfers(t, d)
        } else {
            self.ready_time(t)
        }
    }

    /// [`Timetable::ready_on`] on an instance with transfers; kept out of line so that the
    /// callers' hot loops on instances without transfers stay as small as before.
    #[inline(never)]
    fn ready_with_transfers(&self, t: usize, d: usize) -> Option<f64> {
        if !self.is_ready(t) {
            return None;
        }
        let inst = self.inst;
        let mut r = inst.task(t).release;
        for (k, &p) in inst.preds(t).iter().enumerate() {
            let a = self.placed[p]?;
            r = r.max(a.end + inst.edge_transfer(t, k, a.device, d));
        }
        Some(r)
    }

    /// Time at which device `d` has no more work after it (the end of its last task, or its
    /// `available_from`).
    pub fn device_tail(&self, d: usize) -> f64 {
        self.tail[d]
    }

    /// Every device's tail (see [`Timetable::device_tail`]), by device index.
    pub fn device_tails(&self) -> &[f64] {
        &self.tail
    }

    /// Busy time used on device `d`.
    pub fn device_busy(&self, d: usize) -> f64 {
        self.busy[d]
    }

    /// True when `t` fits in what is left of `d`'s capacity (and `d` is eligible).
    #[inline]
    pub fn fits_capacity(&self, t: usize, d: usize) -> bool {
        let p = self.inst.ptime(t, d);
        if !p.is_finite() {
            return false;
        }
        self.busy[d] + p <= self.inst.capacity_limit(d)
    }

    /// Earliest start of `t` on `d` given everything placed so far, or `None` when `d` is not
    /// eligible, its capacity is used up, or a predecessor of `t` is unplaced.
    #[inline]
    pub fn earliest_start(&self, t: usize, d: usize) -> Option<f64> {
        if !self.fits_capacity(t, d) {
            return None;
        }
        let ready = self.ready_on(t, d)?;
        Some(self.start_on(t, d, ready, self.inst.ptime(t, d)).0)
    }

    /// Earliest completion of `t` on `d` when `t` may start from `ready` on (its
    /// [`Timetable::ready_time`], computed once by callers that try many devices; on an
    /// instance with transfers the transfer times to `d` are added here, as
    /// [`Timetable::ready_on`] does); `None` when `d` is not eligible or its capacity is used up.
    #[inline]
    pub fn completion_from(&self, t: usize, d: usize, ready: f64) -> Option<f64> {
        if !self.fits_capacity(t, d) {
            return None;
        }
        let ready = if self.transfers {
            self.ready_with_transfers(t, d)
                .map_or(ready, |r| r.max(ready))
        } else {
            ready
        };
        let p = self.inst.ptime(t, d);
        Some(self.start_on(t, d, ready, p).0 + p)
    }

    /// Earliest completion of `t` on `d` (see [`Timetable::earliest_start`]).
    #[inline]
    pub fn earliest_completion(&self, t: usize, d: usize) -> Option<f64> {
        self.earliest_start(t, d).map(|s| s + self.inst.ptime(t, d))
    }

    /// Earliest start at or after `ready` on `d` for task `t` of length `p`, and the gap used
    /// (devices without a profile).
    #[inline]
    fn start_on(&self, t: usize, d: usize, ready: f64, p: f64) -> (f64, Option<usize>) {
        if let Some(profile) = &self.profiles[d] {
            let inst = self.inst;
            return (
                profile.earliest(ready, p, inst.demand_of(t), inst.is_exclusive(t)),
                None,
            );
        }
        let tail = self.tail[d];
        if ready >= tail {
            return (ready, None);
        }
        for (i, &(a, b)) in self.gaps[d].iter().enumerate() {
            if b < ready {
                continue;
            }
            let s = a.max(ready);
            if s + p <= b {
                return (s, Some(i));
            }
        }
        (self.tail[d].max(ready), None)
    }

    /// Place `t` on `d` at its earliest start and return the assignment.
    ///
    /// Fails when `t` is already placed, a predecessor is unplaced, `d` is not eligible, or `d`'s
    /// capacity has no room left for `t`.
    pub fn place(&mut self, t: usize, d: usize) -> Result<Assignment, Error> {
        let inst = self.inst;
        let tid = &inst.task(t).id;
        let did = &inst.device(d).id;
        if self.placed[t].is_some() {
            return Err(Error::Solve(format!("task '{tid}' is placed twice")));
        }
        let Some(ready) = self.ready_on(t, d) else {
            return Err(Error::Solve(format!(
                "task '{tid}' was placed before its predecessors"
            )));
        };
        if let Some(reason) = inst.ineligibility_reason(t, d) {
            return Err(Error::Solve(reason));
        }
        if !self.fits_capacity(t, d) {
            return Err(Error::Solve(format!(
                "task '{tid}' does not fit in what is left of device '{did}''s capacity ({} used of {})",
                self.busy[d],
                inst.device(d).capacity.unwrap_or(f64::INFINITY)
            )));
        }
        let p = inst.ptime(t, d);
        let (start, gap) = self.start_on(t, d, ready, p);
        let end = start + p;
        if let Some(profile) = &mut self.profiles[d] {
            profile.add(start, end, inst.demand_of(t), inst.is_exclusive(t));
            self.tail[d] = self.tail[d].max(end);
        } else {
            self.place_in_gaps(d, start, end, gap);
        }
        self.busy[d] += p;
        let a = Assignment {
            task: t,
            device: d,
            start,
            end,
        };
        self.placed[t] = Some(a);
        self.num_placed += 1;
        for &s in inst.succs(t) {
            self.waiting_on[s] -= 1;
        }
        Ok(a)
    }

    /// Record a run over `[start, end)` on a device that runs one task at a time.
    fn place_in_gaps(&mut self, d: usize, start: f64, end: f64, gap: Option<usize>) {
        match gap {
            Some(i) => {
                let (a, b) = self.gaps[d][i];
                let mut pieces = Vec::with_capacity(2);
                if start > a {
                    pieces.push((a, start));
                }
                if b > end {
                    pieces.push((end, b));
                }
                self.gaps[d].splice(i..=i, pieces);
            }
            None => {
                if start > self.tail[d] {
                    self.gaps[d].push((self.tail[d], start));
                }
                self.tail[d] = end;
            }
        }
    }

    /// Assignment of `t`, if placed.
    pub fn assignment(&self, t: usize) -> Option<Assignment> {
        self.placed[t]
    }

    /// The finished schedule (assignments by task index); fails if a task is unplaced.
    pub fn into_schedule(self) -> Result<Schedule, Error> {
        let inst = self.inst;
        let mut assignments = Vec::with_capacity(self.placed.len());
        for (t, a) in self.placed.into_iter().enumerate() {
            match a {
                Some(a) => assignments.push(a),
                None => {
                    return Err(Error::Solve(format!(
                        "task '{}' was never placed",
                        inst.task(t).id
                    )));
                }
            }
        }
        Ok(Schedule::new(assignments))
    }
}

/// `priority` (a permutation of the tasks, most urgent first) made consistent with precedence:
/// repeatedly take the most urgent task whose predecessors are all taken.
///
/// Tasks missing from `priority` come last in index order; repeats are ignored.
pub fn priority_topological_order(inst: &Instance, priority: &[usize]) -> Vec<usize> {
    let n = inst.num_tasks();
    let mut rank = vec![usize::MAX; n];
    let mut next = 0;
    for &t in priority {
        if t < n && rank[t] == usize::MAX {
            rank[t] = next;
            next += 1;
        }
    }
    for r in rank.iter_mut() {
        if *r == usize::MAX {
            *r = next;
            next += 1;
        }
    }
    if !inst.has_precedence() {
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&t| rank[t]);
        return order;
    }
    by_rank_after(&rank, |t| inst.preds(t), |t| inst.succs(t))
}

/// `priority` (every task once, most urgent first) made consistent with the reversed
/// precedence: repeatedly take the most urgent task whose successors are all taken (the order of
/// a backward pass, as in forward–backward justification).
pub(crate) fn priority_reverse_topological_order(
    inst: &Instance,
    priority: &[usize],
) -> Vec<usize> {
    let mut rank = vec![0; inst.num_tasks()];
    for (i, &t) in priority.iter().enumerate() {
        rank[t] = i;
    }
    by_rank_after(&rank, |t| inst.succs(t), |t| inst.preds(t))
}

/// Kahn's algorithm by rank: repeatedly the lowest-ranked task all of whose `before` tasks are
/// taken; `after` lists the tasks each one releases.
fn by_rank_after<'i>(
    rank: &[usize],
    before: impl Fn(usize) -> &'i [usize],
    after: impl Fn(usize) -> &'i [usize],
) -> Vec<usize> {
    let n = rank.len();
    let mut waiting: Vec<usize> = (0..n).map(|t| before(t).len()).collect();
    let mut heap: BinaryHeap<Reverse<(usize, usize)>> = (0..n)
        .filter(|&t| waiting[t] == 0)
        .map(|t| Reverse((rank[t], t)))
        .collect();
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse((_, t))) = heap.pop() {
        order.push(t);
        for &s in after(t) {
            waiting[s] -= 1;
            if waiting[s] == 0 {
                heap.push(Reverse((rank[s], s)));
            }
        }
    }
    order
}

/// Build a schedule from a device per task and an order: tasks are placed in `order` (made
/// consistent with precedence by [`priority_topological_order`]), each on `device_of[task]` at its
/// earliest feasible start.
///
/// Fails with a message naming the task and device when a device is not eligible or its capacity
/// is exceeded.
pub fn build(inst: &Instance, order: &[usize], device_of: &[usize]) -> Result<Schedule, Error> {
    if device_of.len() != inst.num_tasks() {
        return Err(Error::Solve(format!(
            "device choice has {} entries for {} tasks",
            device_of.len(),
            inst.num_tasks()
        )));
    }
    let mut tt = Timetable::new(inst);
    for t in priority_topological_order(inst, order) {
        let d = device_of[t];
        if d >= inst.num_devices() {
            return Err(Error::Solve(format!(
                "task '{}' is given device #{d}, which does not exist",
                inst.task(t).id
            )));
        }
        tt.place(t, d)?;
    }
    tt.into_schedule()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::InstanceData;

    fn inst(json: &str) -> Instance {
        Instance::new(serde_json::from_str::<InstanceData>(json).unwrap()).unwrap()
    }

    #[test]
    fn inserts_into_gaps_and_honours_release() {
        let i = inst(
            r#"{"devices": [{"id": "d"}], "tasks": [{"id": "late", "work": 2, "release": 10},
                {"id": "short", "work": 3}, {"id": "long", "work": 20}]}"#,
        );
        let s = build(&i, &[0, 1, 2], &[0, 0, 0]).unwrap();
        assert_eq!(s.assignments[0].start, 10.0);
        assert_eq!(s.assignments[1].start, 0.0); // fills the gap before 'late'
        assert_eq!(s.assignments[2].start, 12.0); // does not fit the remaining gap [3, 10)
        assert!(s.violations(&i).is_empty());
    }

    #[test]
    fn order_is_repaired_for_precedence() {
        let i = inst(
            r#"{"devices": [{"id": "d"}, {"id": "e"}], "tasks": [{"id": "a", "work": 2, "after": ["b"]},
                {"id": "b", "work": 3}]}"#,
        );
        let s = build(&i, &[0, 1], &[0, 1]).unwrap();
        assert_eq!(s.assignments[0].start, 3.0);
        assert!(s.violations(&i).is_empty());
    }

    #[test]
    fn capacity_is_enforced() {
        let i = inst(
            r#"{"devices": [{"id": "d", "capacity": 4}], "tasks": [{"id": "a", "work": 2}, {"id": "b", "work": 3}]}"#,
        );
        let e = build(&i, &[0, 1], &[0, 0]).unwrap_err().to_string();
        assert!(e.contains("task 'b'") && e.contains("device 'd'"), "{e}");
    }

    #[test]
    fn shared_devices_run_tasks_together_while_they_fit() {
        let i = inst(
            r#"{"devices": [{"id": "node", "resources": {"gpu": 8, "mem": 512}, "available_from": 1}],
                "tasks": [{"id": "a", "work": 10, "demand": {"gpu": 4, "mem": 300}},
                          {"id": "b", "work": 4, "demand": {"gpu": 4, "mem": 100}},
                          {"id": "c", "work": 2, "demand": {"gpu": 2, "mem": 200}},
                          {"id": "d", "work": 3},
                          {"id": "e", "work": 1, "demand": {"gpu": 1}, "after": ["b"]}]}"#,
        );
        let s = build(&i, &[0, 1, 2, 3, 4], &[0, 0, 0, 0, 0]).unwrap();
        let start = |t: usize| s.assignments[t].start;
        assert_eq!(start(0), 1.0);
        assert_eq!(start(1), 1.0); // 8 GPUs: a and b together
        assert_eq!(start(2), 5.0); // no GPU left until b ends; then mem 300 + 200 ≤ 512
        assert_eq!(start(3), 11.0); // exclusive: waits until nothing runs
        assert_eq!(start(4), 5.0); // after b; gpu 4 + 2 + 1 ≤ 8
        assert!(s.violations(&i).is_empty(), "{:?}", s.violations(&i));
    }

    #[test]
    fn transfers_delay_successors_on_other_devices_only() {
        let i = inst(
            r#"{"network": {"latency": 1, "bandwidth": 2},
                "devices": [{"id": "d"}, {"id": "e"}],
                "tasks": [{"id": "a", "work": 2},
                          {"id": "b", "work": 3, "after": [{"task": "a", "data": 6}]},
                          {"id": "c", "work": 1, "after": [{"task": "a", "data": 6}]},
                          {"id": "x", "work": 1, "after": ["a"]}]}"#,
        );
        let s = build(&i, &[0, 1, 2, 3], &[0, 1, 0, 1]).unwrap();
        assert_eq!(s.assignments[1].start, 2.0 + 1.0 + 3.0); // a on d → b on e
        assert_eq!(s.assignments[2].start, 2.0); // same device: no transfer
        assert_eq!(s.assignments[3].start, 2.0); // plain precedence: no transfer
        assert!(s.violations(&i).is_empty(), "{:?}", s.violations(&i));
        let mut tt = Timetable::new(&i);
        tt.place(0, 0).unwrap();
        assert_eq!(tt.ready_time(1), Some(2.0));
        assert_eq!(tt.ready_on(1, 1), Some(6.0));
        assert_eq!(tt.earliest_completion(1, 1), Some(9.0));
        assert_eq!(tt.completion_from(1, 1, 2.0), Some(9.0));
        assert_eq!(tt.completion_from(1, 0, 2.0), Some(5.0));
    }

    #[test]
    fn zero_length_tasks_do_not_land_inside_busy_time() {
        let i = inst(
            r#"{"devices": [{"id": "d"}], "tasks": [{"id": "a", "work": 5}, {"id": "z", "work": 0, "release": 2}]}"#,
        );
        let s = build(&i, &[0, 1], &[0, 0]).unwrap();
        assert_eq!(s.assignments[1].start, 5.0);
        assert!(s.violations(&i).is_empty());
    }
}
