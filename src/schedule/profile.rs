//! The resource profile of a device that tasks share: how much of each resource is in use over
//! time, and the earliest start at which a task's demand fits for its whole run.
//!
//! The profile is a step function: segment `i` covers `[times[i], times[i + 1])` (the last one runs
//! to infinity and is always empty), with the amount in use of every resource plus two counters —
//! tasks running and exclusive tasks running. A task with a demand fits a segment when no
//! exclusive task runs there and every resource has room; an exclusive task (empty demand) fits
//! only where nothing runs. Zero-length tasks hold nothing over time but, as on a device that runs
//! one task at a time, may not lie strictly inside an exclusive task's run, nor an exclusive
//! zero-length task strictly inside any run; they are kept as points.
//!
//! This is the serial schedule-generation scheme's core: [`Profile::earliest`] scans the segments
//! from the task's ready time and jumps past each segment that blocks it.

/// Amounts within this relative tolerance of a capacity still fit (demands summed in any order).
const FIT_TOLERANCE: f64 = 1e-9;

/// The usage profile of one device with `resources`.
#[derive(Debug, Clone)]
pub(crate) struct Profile {
    /// Capacity of each resource (0 when the device does not offer it).
    capacity: Vec<f64>,
    /// Start of each segment, increasing; `times[0]` is the device's `available_from`.
    times: Vec<f64>,
    /// Per segment, `capacity.len() + 2` numbers: the amount in use of each resource, the number
    /// of tasks running and the number of exclusive tasks running.
    usage: Vec<f64>,
    /// Zero-length tasks placed: (time, exclusive).
    points: Vec<(f64, bool)>,
}

impl Profile {
    /// An empty profile for a device with these capacities, usable from `from` on.
    pub(crate) fn new(capacity: Vec<f64>, from: f64) -> Profile {
        let width = capacity.len() + 2;
        Profile {
            capacity,
            times: vec![from],
            usage: vec![0.0; width],
            points: Vec::new(),
        }
    }

    fn width(&self) -> usize {
        self.capacity.len() + 2
    }

    /// The segment containing time `s` (`s` ≥ `times[0]`).
    fn segment_at(&self, s: f64) -> usize {
        self.times.partition_point(|&x| x <= s).saturating_sub(1)
    }

    /// True when a task with this demand (or an exclusive one) may run during segment `i`; a
    /// task that holds nothing (zero length, not exclusive) only needs no exclusive task there.
    fn fits(&self, i: usize, demand: &[f64], exclusive: bool, holds: bool) -> bool {
        let w = self.width();
        let r = self.capacity.len();
        let u = &self.usage[i * w..(i + 1) * w];
        if exclusive {
            return u[r] == 0.0;
        }
        u[r + 1] == 0.0
            && (!holds
                || (0..r).all(|k| {
                    demand[k] == 0.0
                        || u[k] + demand[k]
                            <= self.capacity[k] * (1.0 + FIT_TOLERANCE) + FIT_TOLERANCE
                }))
    }

    /// The first zero-length task strictly inside `(s, e)` that a run over `[s, e)` may not cover.
    fn blocking_point(&self, s: f64, e: f64, exclusive: bool) -> Option<f64> {
        self.points
            .iter()
            .filter(|&&(x, point_exclusive)| s < x && x < e && (exclusive || point_exclusive))
            .map(|&(x, _)| x)
            .min_by(f64::total_cmp)
    }

    /// Earliest start ≥ `ready` at which a task of length `p` with this demand fits for its whole
    /// run. Always exists: after the last run the device is empty (every demand was checked
    /// against the capacities when the instance was validated).
    pub(crate) fn earliest(&self, ready: f64, p: f64, demand: &[f64], exclusive: bool) -> f64 {
        let mut s = ready.max(self.times[0]);
        loop {
            let end = s + p;
            let mut j = self.segment_at(s);
            let blocked = loop {
                if !self.fits(j, demand, exclusive, p > 0.0) {
                    break Some(j);
                }
                if j + 1 >= self.times.len() || self.times[j + 1] >= end {
                    break None;
                }
                j += 1;
            };
            match blocked {
                // Any start before the blocking segment ends would run through it.
                Some(j) => s = self.times[j + 1],
                None => match self.blocking_point(s, end, exclusive) {
                    Some(x) => s = x,
                    None => return s,
                },
            }
        }
    }

    /// Index of the segment starting at `x`, splitting the one containing it if needed.
    fn split(&mut self, x: f64) -> usize {
        let i = self.segment_at(x);
        if self.times[i] == x {
            return i;
        }
        let w = self.width();
        let row: Vec<f64> = self.usage[i * w..(i + 1) * w].to_vec();
        self.times.insert(i + 1, x);
        self.usage.splice((i + 1) * w..(i + 1) * w, row);
        i + 1
    }

    /// Record a run over `[start, end)` with this demand (or an exclusive one).
    pub(crate) fn add(&mut self, start: f64, end: f64, demand: &[f64], exclusive: bool) {
        if end <= start {
            self.points.push((start, exclusive));
            return;
        }
        let first = self.split(start);
        let last = self.split(end);
        let w = self.width();
        let r = self.capacity.len();
        for i in first..last {
            let u = &mut self.usage[i * w..(i + 1) * w];
            if !exclusive {
                for k in 0..r {
                    u[k] += demand[k];
                }
            }
            u[r] += 1.0;
            if exclusive {
                u[r + 1] += 1.0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_share_while_their_demands_fit() {
        let mut p = Profile::new(vec![8.0, 100.0], 0.0);
        p.add(0.0, 10.0, &[4.0, 50.0], false);
        assert_eq!(p.earliest(0.0, 5.0, &[4.0, 50.0], false), 0.0);
        p.add(0.0, 5.0, &[4.0, 50.0], false);
        // The GPUs are full until 5, then 4 are free until 10.
        assert_eq!(p.earliest(0.0, 3.0, &[2.0, 0.0], false), 5.0);
        assert_eq!(p.earliest(0.0, 3.0, &[6.0, 0.0], false), 10.0);
        // An exclusive task waits until nothing runs.
        assert_eq!(p.earliest(0.0, 1.0, &[0.0, 0.0], true), 10.0);
    }

    #[test]
    fn a_start_jumps_past_the_segment_that_blocks_it() {
        let mut p = Profile::new(vec![2.0], 1.0);
        p.add(4.0, 6.0, &[2.0], false);
        // Ready at 0 but the device is available from 1; [1, 4) is too short for 4 units.
        assert_eq!(p.earliest(0.0, 4.0, &[1.0], false), 6.0);
        assert_eq!(p.earliest(0.0, 3.0, &[1.0], false), 1.0);
    }

    #[test]
    fn exclusive_tasks_block_everything_and_points_are_respected() {
        let mut p = Profile::new(vec![4.0], 0.0);
        p.add(2.0, 5.0, &[0.0], true);
        assert_eq!(p.earliest(0.0, 3.0, &[1.0], false), 5.0);
        assert_eq!(p.earliest(0.0, 2.0, &[1.0], false), 0.0);
        p.add(7.0, 7.0, &[0.0], true); // an exclusive zero-length task at 7
        assert_eq!(p.earliest(5.0, 3.0, &[1.0], false), 7.0);
        // An exclusive run may not cover a zero-length task; a sharing run may.
        p.add(12.0, 12.0, &[1.0], false);
        assert_eq!(p.earliest(10.0, 5.0, &[0.0], true), 12.0);
        assert_eq!(p.earliest(10.0, 5.0, &[1.0], false), 10.0);
    }
}
