//! Batch-mode mapping heuristics (Braun et al. 2001): Min-Min, Max-Min, Sufferage.
//!
//! Each step considers every unmapped task whose predecessors are mapped, computes its earliest
//! completion on each device through the [`Timetable`], and maps one task. A task's best and
//! second-best devices are cached: placing a task on device `d` can only delay `d`, so only tasks
//! whose cached best (or, for Sufferage, second-best) device is `d` are re-evaluated.
//!
//! On independent instances (no precedence, every release at or before every device's
//! availability: the Braun ETC setting) the three rules take faster paths with the same
//! choices, ties included ([`independent`]). The portfolios leave Max-Min and Sufferage out where
//! their n²/m work would take seconds ([`super::BestGreedy::batch_rules_fit`]).

mod heap;
mod independent;

use super::list::no_room;
use crate::error::Error;
use crate::model::Instance;
use crate::schedule::{Schedule, Timetable};
use independent::independent;

/// Which task a batch heuristic maps next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchRule {
    /// Smallest earliest completion (ties: lowest task, then device, index).
    MinMin,
    /// Largest earliest completion (ties: lowest task index).
    MaxMin,
    /// Largest sufferage: second-best minus best completion; a task with one usable device
    /// suffers infinitely (ties: lowest task index).
    Sufferage,
}

#[derive(Debug, Clone, Copy)]
struct Best {
    ct: f64,
    d: usize,
    ct2: f64,
    d2: usize,
}

impl Best {
    /// No candidate yet.
    const NONE: Best = Best {
        ct: f64::INFINITY,
        d: usize::MAX,
        ct2: f64::INFINITY,
        d2: usize::MAX,
    };
}

/// The best and second-best of (device, completion) candidates (ties: the first given), and
/// the third least completion (infinite when there are fewer than three).
fn top_three(candidates: impl Iterator<Item = (usize, f64)>) -> Option<(Best, f64)> {
    let mut b = Best::NONE;
    let mut third = f64::INFINITY;
    for (d, ct) in candidates {
        if ct < b.ct {
            third = b.ct2;
            (b.ct2, b.d2, b.ct, b.d) = (b.ct, b.d, ct, d);
        } else if ct < b.ct2 {
            third = b.ct2;
            (b.ct2, b.d2) = (ct, d);
        } else if ct < third {
            third = ct;
        }
    }
    (b.d != usize::MAX).then_some((b, third))
}

fn best_of(tt: &Timetable, t: usize, ready: f64) -> Option<Best> {
    let inst = tt.instance();
    top_three(
        inst.eligible(t)
            .iter()
            .filter_map(|&d| tt.completion_from(t, d, ready).map(|ct| (d, ct))),
    )
    .map(|(b, _)| b)
}

/// Map every task with `rule`.
pub fn schedule(inst: &Instance, rule: BatchRule) -> Result<Schedule, Error> {
    if inst.is_independent() {
        return independent(inst, rule);
    }
    let n = inst.num_tasks();
    let mut tt = Timetable::new(inst);
    let mut ready: Vec<usize> = (0..n).filter(|&t| inst.preds(t).is_empty()).collect();
    let mut best: Vec<Option<Best>> = vec![None; n];
    // A task's ready time is fixed once its predecessors are placed.
    let mut ready_at = vec![0.0; n];
    for &t in &ready {
        ready_at[t] = tt.ready_time(t).expect("no predecessors");
        best[t] = best_of(&tt, t, ready_at[t]);
    }
    while tt.num_placed() < n {
        let mut pick: Option<(usize, f64)> = None; // (position in ready, key)
        for (i, &t) in ready.iter().enumerate() {
            let Some(b) = best[t] else {
                return Err(no_room(inst, t));
            };
            let key = match rule {
                BatchRule::MinMin => b.ct,
                BatchRule::MaxMin => -b.ct,
                BatchRule::Sufferage => -(b.ct2 - b.ct),
            };
            let better = match pick {
                None => true,
                Some((j, k)) => key < k || (key == k && t < ready[j]),
            };
            if better {
                pick = Some((i, key));
            }
        }
        let Some((i, _)) = pick else {
            return Err(Error::Solve(
                "no task is ready to map (internal error)".into(),
            ));
        };
        let t = ready.swap_remove(i);
        let d = best[t].expect("checked above").d;
        tt.place(t, d)?;
        for c in ready.iter().copied() {
            let b = best[c].expect("checked above");
            if b.d == d || (rule == BatchRule::Sufferage && b.d2 == d) {
                best[c] = best_of(&tt, c, ready_at[c]);
            }
        }
        for &s in inst.succs(t) {
            if tt.is_ready(s) {
                ready.push(s);
                ready_at[s] = tt.ready_time(s).expect("ready");
                best[s] = best_of(&tt, s, ready_at[s]);
            }
        }
    }
    tt.into_schedule()
}

#[cfg(test)]
mod tests {
    use super::independent::min_min_sorted;
    use super::*;
    use crate::model::InstanceData;

    /// An ETC instance: `rows[t][d]` is task t's time on device d (infinite: not eligible).
    fn etc(rows: &[&[f64]]) -> Instance {
        let m = rows[0].len();
        let data = InstanceData {
            devices: (0..m)
                .map(|d| crate::Device::new(format!("m{d}")))
                .collect(),
            tasks: rows
                .iter()
                .enumerate()
                .map(|(t, r)| crate::Task {
                    times: Some(
                        r.iter()
                            .enumerate()
                            .filter(|(_, p)| p.is_finite())
                            .map(|(d, &p)| (format!("m{d}"), p))
                            .collect(),
                    ),
                    work: None,
                    ..crate::Task::new(format!("t{t}"), 0.0)
                })
                .collect(),
            ..Default::default()
        };
        Instance::new(data).unwrap()
    }

    #[test]
    fn sorted_min_min_equals_general_min_min() {
        // Deterministic pseudo-random ETC with ties, then the same with some ineligible pairs
        // and device capacities that bind (a device's front then skips tasks that no longer
        // fit it).
        let mut x: u64 = 12345;
        let mut rows = Vec::new();
        for t in 0..60 {
            let mut r = Vec::new();
            for d in 0..5 {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                r.push(if d > 0 && (t + d) % 7 == 0 {
                    f64::INFINITY
                } else {
                    ((x >> 33) % 20 + 1) as f64
                });
            }
            rows.push(r);
        }
        let refs: Vec<&[f64]> = rows.iter().map(|r| r.as_slice()).collect();
        let plain = etc(&refs);
        let mut data = plain.to_data();
        for (d, dev) in data.devices.iter_mut().enumerate() {
            dev.capacity = Some(if d == 0 { 1000.0 } else { 40.0 });
        }
        let capped = Instance::new(data).unwrap();
        let mut schedules = Vec::new();
        for inst in [plain, capped] {
            assert!(inst.is_independent());
            let fast = min_min_sorted(&inst).unwrap();
            assert_eq!(fast, general(&inst, BatchRule::MinMin));
            schedules.push(fast);
        }
        assert_ne!(
            schedules[0], schedules[1],
            "the capacities must change the mapping"
        );
    }

    /// The general path of `schedule` (ready list scan, timetable completions) for any rule.
    fn general(inst: &Instance, rule: BatchRule) -> Schedule {
        let n = inst.num_tasks();
        let mut tt = Timetable::new(inst);
        while tt.num_placed() < n {
            let mut pick: Option<(f64, usize, usize)> = None;
            for t in (0..n).filter(|&t| !tt.is_placed(t)) {
                let b = best_of(&tt, t, tt.ready_time(t).unwrap()).unwrap();
                let key = match rule {
                    BatchRule::MinMin => b.ct,
                    BatchRule::MaxMin => -b.ct,
                    BatchRule::Sufferage => -(b.ct2 - b.ct),
                };
                if pick.is_none_or(|p| key < p.0) {
                    pick = Some((key, t, b.d));
                }
            }
            let (_, t, d) = pick.unwrap();
            tt.place(t, d).unwrap();
        }
        tt.into_schedule().unwrap()
    }

    #[test]
    fn independent_max_min_and_sufferage_equal_the_general_path() {
        let mut x: u64 = 987654321;
        // More devices than a shortlist holds (and many ties) exercise its bound.
        // With `gaps`, some devices are ineligible for some tasks: infinite times in the rows
        // the dense paths (every device its own class, no capacity) scan. With `zeros`, some
        // times are 0 (a device's completion then stays the same when a task is placed on it).
        // Each instance is also run with device capacities that bind (every device but the
        // first, which takes any task), through the paths for capped devices. With `one_lane`,
        // the devices of one lane of the dense scans (0, 8, 16, …) are the fast ones, so a
        // task's best three often share a lane.
        for (n, m, range, gaps, zeros, one_lane) in [
            (60, 5, 20, false, false, false),
            (200, 8, 1000, false, false, false),
            (120, 16, 3, false, false, false),
            (300, 24, 50, false, false, false),
            (150, 40, 4, false, false, false),
            (150, 21, 6, true, false, false),
            (90, 13, 1000, true, false, false),
            (160, 12, 4, false, true, false),
            (200, 6, 3, true, true, false),
            // More devices than a block of the dense scan's gather (64).
            (150, 70, 50, true, false, false),
            (200, 40, 1000, false, false, true),
            (120, 33, 20, false, false, true),
        ] {
            let mut rows = Vec::new();
            for t in 0..n {
                let mut r = Vec::new();
                for d in 0..m {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    // With gaps, every 11th task runs on the first device only (an infinite
                    // sufferage).
                    let ineligible = gaps && d > 0 && (d % 5 == t % 7 || t % 11 == 0);
                    let slow = if one_lane && d % 8 != 0 { 3 * range } else { 0 };
                    r.push(if ineligible {
                        f64::INFINITY
                    } else {
                        ((x >> 33) % range + u64::from(!zeros) + slow) as f64
                    });
                }
                rows.push(r);
            }
            let refs: Vec<&[f64]> = rows.iter().map(|r| r.as_slice()).collect();
            let plain = etc(&refs);
            for rule in [BatchRule::MaxMin, BatchRule::Sufferage] {
                // Capacities below the busy time of the busiest device but the first without
                // them.
                let mut busy = vec![0.0; m];
                for a in &general(&plain, rule).assignments {
                    busy[a.device] += a.end - a.start;
                }
                let cap = 0.6 * busy[1..].iter().copied().fold(0.0, f64::max);
                let mut data = plain.to_data();
                for (d, dev) in data.devices.iter_mut().enumerate() {
                    dev.capacity = Some(if d == 0 { 1e12 } else { cap });
                }
                let capped = Instance::new(data).unwrap();
                let mut schedules = Vec::new();
                for inst in [&plain, &capped] {
                    let fast = independent(inst, rule).unwrap();
                    assert_eq!(fast, general(inst, rule), "{rule:?} {n}x{m}");
                    schedules.push(fast);
                }
                assert_ne!(
                    schedules[0], schedules[1],
                    "{rule:?} {n}x{m}: the capacities must change the mapping"
                );
            }
        }
    }

    #[test]
    fn min_min_max_min_sufferage_small_example() {
        let inst = etc(&[&[2.0, 4.0], &[3.0, 9.0], &[8.0, 5.0]]);
        let mm = schedule(&inst, BatchRule::MinMin).unwrap();
        assert_eq!(mm.value(&inst), 5.0);
        let xm = schedule(&inst, BatchRule::MaxMin).unwrap();
        assert!(xm.violations(&inst).is_empty());
        let sf = schedule(&inst, BatchRule::Sufferage).unwrap();
        assert!(sf.violations(&inst).is_empty());
        assert_eq!(sf.value(&inst), 5.0);
    }
}
