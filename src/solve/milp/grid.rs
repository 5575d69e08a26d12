//! The time grid of the time-indexed formulation: the unit, the data in whole periods, and each
//! task's start window (from releases, availabilities, heads and tails along precedence, and the
//! deadlines that a known schedule's value implies).
//!
//! **Exact grid.** When every processing time, release and availability is an integer multiple
//! of one unit u, every start of a semi-active schedule (each task as early as its release, its
//! predecessors and the task before it on its device allow) is a multiple of u too, and some
//! optimal schedule of a regular objective is semi-active: the model over starts k·u is exact.
//! Due dates need not be on the grid, since each start's objective coefficient is exact.
//!
//! Transfer times (edges that carry data, between distinct devices) are grid values too: a
//! semi-active start is then a release, an availability, or a sum of times and transfers.
//!
//! **Rounded grid** (lower bounds only). With times, transfers, releases and availabilities
//! rounded *down* to the grid, rounding the starts of any feasible schedule down gives a schedule
//! of the rounded model (⌊a + b⌋ ≥ ⌊a⌋ + ⌊b⌋ keeps every gap), with no completion later than
//! before: the rounded model's optimum is a valid lower bound, never a schedule to call optimal.

use super::transfers::{EdgeCosts, edge_costs};
use crate::model::{Instance, Objective};

/// The largest denominator tried when looking for an exact unit (values with finer fractions
/// count as off the grid).
const MAX_SCALE: u64 = 1000;

/// Values above this many units are not represented exactly enough to be put on a grid.
const MAX_UNITS: f64 = (1u64 << 40) as f64;

/// How the grid relates to the instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GridKind {
    /// Every time of the instance is a multiple of the unit: the model is exact.
    Exact,
    /// Times rounded down to the unit: the model gives a lower bound only.
    RoundedDown,
}

/// The time grid and the data in whole periods.
#[derive(Debug, Clone)]
pub(super) struct Grid {
    /// Length of one period, in the instance's time unit.
    pub unit: f64,
    /// Exact, or rounded down (bounds only).
    pub kind: GridKind,
    /// Processing time of (t, d) in periods, `t * m + d`; `None` when ineligible.
    pub p: Vec<Option<i64>>,
    /// Release of each task in periods.
    pub release: Vec<i64>,
    /// `available_from` of each device in periods.
    pub available: Vec<i64>,
    /// Transfer times in periods of the edge from `preds(j)[idx]` to `j`, at `[j][idx]`, for
    /// the edges that carry data and cost something (empty without transfers).
    transfers: Vec<Vec<Option<EdgeCosts<i64>>>>,
    m: usize,
}

impl Grid {
    /// Processing time of `t` on `d` in periods (`None`: ineligible).
    #[inline]
    pub fn p(&self, t: usize, d: usize) -> Option<i64> {
        self.p[t * self.m + d]
    }

    /// The grid of `inst` at `unit`: exact when every time is a multiple of it, else rounded down.
    pub fn new(inst: &Instance, unit: f64) -> Grid {
        let (n, m) = (inst.num_tasks(), inst.num_devices());
        let mut exact = true;
        let mut periods = |v: f64| -> i64 {
            let x = v / unit;
            let r = x.round();
            if (x - r).abs() <= 1e-9 * x.abs().max(1.0) {
                r as i64
            } else {
                exact = false;
                x.floor() as i64
            }
        };
        let mut p = vec![None; n * m];
        for t in 0..n {
            for &d in inst.eligible(t) {
                p[t * m + d] = Some(periods(inst.ptime(t, d)));
            }
        }
        let release = inst.tasks().iter().map(|t| periods(t.release)).collect();
        let mut transfers = Vec::new();
        if inst.has_transfers() {
            transfers = (0..n)
                .map(|j| {
                    (0..inst.preds(j).len())
                        .map(|idx| {
                            let c = edge_costs(inst, j, idx)?;
                            let pairs: Vec<(usize, usize, i64)> = c
                                .pairs
                                .iter()
                                .map(|&(d, e, tau)| (d, e, periods(tau)))
                                .collect();
                            let min = pairs.iter().map(|p| p.2).min().unwrap_or(0);
                            let max = pairs.iter().map(|p| p.2).max().unwrap_or(0);
                            (max > 0).then_some(EdgeCosts { pairs, min, max })
                        })
                        .collect()
                })
                .collect();
        }
        let available = inst
            .devices()
            .iter()
            .map(|d| periods(d.available_from))
            .collect();
        Grid {
            unit,
            kind: if exact {
                GridKind::Exact
            } else {
                GridKind::RoundedDown
            },
            p,
            release,
            available,
            transfers,
            m,
        }
    }

    /// Transfer times in periods of the edge from `preds(j)[idx]` to `j` (`None`: it carries
    /// no data, or costs nothing on this grid).
    pub fn transfer(&self, j: usize, idx: usize) -> Option<&EdgeCosts<i64>> {
        self.transfers.get(j)?.get(idx)?.as_ref()
    }

    /// Σ over the edges of their largest transfer in periods: what transfers can add to the
    /// horizon of semi-active schedules.
    pub fn transfer_extra(&self) -> i64 {
        self.transfers
            .iter()
            .flatten()
            .flatten()
            .map(|c| c.max)
            .sum()
    }

    /// The (device, start period) of each task in `schedule` (starts rounded down).
    pub fn cells_of(&self, schedule: &crate::schedule::Schedule) -> Vec<(usize, i64)> {
        let mut at = vec![(usize::MAX, 0); self.release.len()];
        for a in &schedule.assignments {
            at[a.task] = (a.device, self.floor(a.start));
        }
        at
    }

    /// Periods (rounded down, with a relative tolerance) of a time bound `v`.
    pub fn floor(&self, v: f64) -> i64 {
        let x = v / self.unit;
        (x + 1e-9 * x.abs().max(1.0)).floor() as i64
    }
}

/// Why an instance has no exact grid: the first time that is not a multiple of any unit tried.
#[derive(Debug, Clone, PartialEq)]
pub struct OffGrid {
    /// What the value is (e.g. "processing time of task 'a' on device 'gpu-0'").
    pub what: String,
    /// The value.
    pub value: f64,
}

impl std::fmt::Display for OffGrid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the {} is {}, which is not a multiple of 1/{MAX_SCALE} or coarser unit",
            self.what, self.value
        )
    }
}

/// Every time that must lie on an exact grid, with what it is: processing times of eligible
/// pairs, releases, availabilities, and each edge's distinct transfer times.
fn grid_values(inst: &Instance) -> impl Iterator<Item = (f64, GridValue)> + '_ {
    let transfers: Vec<(f64, GridValue)> = if inst.has_transfers() {
        (0..inst.num_tasks())
            .flat_map(|j| (0..inst.preds(j).len()).map(move |idx| (j, idx)))
            .filter_map(|(j, idx)| Some((j, idx, edge_costs(inst, j, idx)?)))
            .flat_map(|(j, idx, c)| {
                let mut pairs = c.pairs;
                pairs.sort_by(|a, b| a.2.total_cmp(&b.2));
                pairs.dedup_by(|a, b| a.2 == b.2);
                pairs
                    .into_iter()
                    .map(move |(d, e, tau)| (tau, GridValue::Transfer(j, idx, d, e)))
            })
            .collect()
    } else {
        Vec::new()
    };
    let times = (0..inst.num_tasks()).flat_map(move |t| {
        inst.eligible(t)
            .iter()
            .map(move |&d| (inst.ptime(t, d), GridValue::Time(t, d)))
    });
    let releases = (0..inst.num_tasks()).map(|t| (inst.task(t).release, GridValue::Release(t)));
    let avail =
        (0..inst.num_devices()).map(|d| (inst.device(d).available_from, GridValue::Available(d)));
    times.chain(releases).chain(avail).chain(transfers)
}

#[derive(Clone, Copy)]
enum GridValue {
    Time(usize, usize),
    Release(usize),
    Available(usize),
    /// Edge `preds(j)[idx]` → j between devices d and e.
    Transfer(usize, usize, usize, usize),
}

impl GridValue {
    fn describe(self, inst: &Instance) -> String {
        match self {
            GridValue::Time(t, d) => format!(
                "processing time of task '{}' on device '{}'",
                inst.task(t).id,
                inst.device(d).id
            ),
            GridValue::Release(t) => format!("release of task '{}'", inst.task(t).id),
            GridValue::Available(d) => {
                format!("available_from of device '{}'", inst.device(d).id)
            }
            GridValue::Transfer(j, idx, d, e) => format!(
                "transfer time from task '{}' on device '{}' to task '{}' on device '{}'",
                inst.task(inst.preds(j)[idx]).id,
                inst.device(d).id,
                inst.task(j).id,
                inst.device(e).id
            ),
        }
    }
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// The largest unit of which every processing time, release and availability of `inst` is an
/// integer multiple (a fraction g / s with s ≤ 1000), or the first value that is on no such grid.
///
/// ```
/// use hetsched::{Device, Instance, InstanceData, Task};
/// use hetsched::solve::milp::exact_unit;
/// let data = InstanceData {
///     devices: vec![Device::new("d")],
///     tasks: vec![Task::new("a", 1.5), Task::new("b", 4.5)],
///     ..Default::default()
/// };
/// assert_eq!(exact_unit(&Instance::new(data).unwrap()), Ok(1.5));
/// ```
pub fn exact_unit(inst: &Instance) -> Result<f64, OffGrid> {
    let mut first_bad = None;
    'scales: for s in 1..=MAX_SCALE {
        let mut g = 0u64;
        for (v, what) in grid_values(inst) {
            let x = v * s as f64;
            let r = x.round();
            if (x - r).abs() > 1e-9 * x.abs().max(1.0) || r > MAX_UNITS {
                if s == 1 {
                    first_bad = Some((v, what));
                }
                continue 'scales;
            }
            g = gcd(g, r as u64);
        }
        return Ok(if g == 0 { 1.0 } else { g as f64 / s as f64 });
    }
    let (value, what) = first_bad.expect("scale 1 failed on some value");
    // Name the value that fails at every scale, not only at scale 1.
    let worst = grid_values(inst)
        .find(|&(v, _)| {
            (1..=MAX_SCALE).all(|s| {
                let x = v * s as f64;
                (x - x.round()).abs() > 1e-9 * x.abs().max(1.0) || x.round() > MAX_UNITS
            })
        })
        .unwrap_or((value, what));
    Err(OffGrid {
        what: worst.1.describe(inst),
        value: worst.0,
    })
}

/// Start windows: task t may start on device d at periods
/// `max(est[t], available[d]) ..= lct[t] − p(t, d)`.
#[derive(Debug, Clone)]
pub(super) struct Windows {
    /// Earliest start of each task (release and heads along precedence), in periods.
    pub est: Vec<i64>,
    /// Latest completion of each task in some optimal schedule, in periods.
    pub lct: Vec<i64>,
}

impl Windows {
    /// The start periods of `t` on `d` (empty when ineligible or the window is empty).
    pub fn starts(&self, grid: &Grid, t: usize, d: usize) -> std::ops::RangeInclusive<i64> {
        match grid.p(t, d) {
            Some(p) => self.est[t].max(grid.available[d])..=self.lct[t] - p,
            #[allow(clippy::reversed_empty_ranges)]
            None => 1..=0,
        }
    }

    /// Start columns the model needs: Σ over tasks and eligible devices of the window lengths.
    pub fn cells(&self, grid: &Grid, inst: &Instance) -> u64 {
        (0..inst.num_tasks())
            .flat_map(|t| inst.eligible(t).iter().map(move |&d| (t, d)))
            .map(|(t, d)| {
                let r = self.starts(grid, t, d);
                (r.end() - r.start() + 1).max(0) as u64
            })
            .sum()
    }
}

/// The start columns of a time-indexed model, numbered task by task, device by device, start
/// by start: cell `run.offset + i` is task t starting on `run.device` at period `run.first + i`.
#[derive(Debug, Clone)]
pub(super) struct Cells {
    /// Per task, one run per eligible device with a non-empty window.
    pub runs: Vec<Vec<CellRun>>,
    /// Number of cells.
    pub total: usize,
}

/// The cells of one task on one device.
#[derive(Debug, Clone, Copy)]
pub(super) struct CellRun {
    /// The device.
    pub device: usize,
    /// The first start period.
    pub first: i64,
    /// How many start periods.
    pub len: usize,
    /// Index of the first cell.
    pub offset: usize,
}

impl Cells {
    /// The cells of `windows`.
    pub fn new(inst: &Instance, grid: &Grid, windows: &Windows) -> Cells {
        let mut total = 0;
        let runs = (0..inst.num_tasks())
            .map(|t| {
                inst.eligible(t)
                    .iter()
                    .filter_map(|&d| {
                        let r = windows.starts(grid, t, d);
                        let len = (r.end() - r.start() + 1).max(0) as usize;
                        (len > 0).then(|| {
                            let run = CellRun {
                                device: d,
                                first: *r.start(),
                                len,
                                offset: total,
                            };
                            total += len;
                            run
                        })
                    })
                    .collect()
            })
            .collect();
        Cells { runs, total }
    }
}

/// What the windows may assume about the schedules searched.
#[derive(Debug, Clone, Copy)]
pub(super) struct Horizon {
    /// Value of a known feasible schedule (meeting any side constraint): some optimal schedule
    /// is at least as good, which bounds completions.
    pub upper_bound: Option<f64>,
    /// Tasks without an objective term may be moved after all others (false with side
    /// constraints on the makespan, which that move could break).
    pub move_free_tasks_last: bool,
}

/// The start windows of `inst` on `grid` such that some optimal schedule (rounded down on a
/// rounded grid) lies inside them.
///
/// - Heads: est(t) = max(release, max over predecessors k of their earliest completion).
/// - Horizon H: the latest start an active schedule can need — max release/availability + Σ of
///   each task's longest time — and, for makespan, the known value.
/// - Deadlines from the known value UB: for Σw·C, w_t·C_t ≤ UB − Σ_{k≠t} w_k·ect_k; for Σw·T
///   the same with each other task's least tardiness. Tasks with no objective term and no such
///   successor ("free") can be moved after everything else: they end by the latest deadline (or
///   release/availability) plus Σ of their longest times.
/// - Tails: a predecessor ends by its successor's latest completion less the successor's
///   shortest time.
pub(super) fn windows(inst: &Instance, grid: &Grid, horizon: Horizon) -> Windows {
    let n = inst.num_tasks();
    let m = inst.num_devices();
    let topo = inst.topological_order();
    let min_p = |t: usize| -> i64 {
        (0..m)
            .filter_map(|d| grid.p(t, d))
            .min()
            .expect("every task has an eligible device")
    };
    let max_p = |t: usize| -> i64 { (0..m).filter_map(|d| grid.p(t, d)).max().unwrap_or(0) };

    // Heads.
    let mut est = grid.release.clone();
    let mut ect = vec![0i64; n];
    for &t in topo {
        for &k in inst.preds(t) {
            est[t] = est[t].max(ect[k]);
        }
        ect[t] = inst
            .eligible(t)
            .iter()
            .map(|&d| est[t].max(grid.available[d]) + grid.p(t, d).unwrap_or(0))
            .min()
            .unwrap_or(est[t]);
    }

    // The horizon of active schedules, in periods of the rounded data (a rounded schedule ends no
    // later than the original, whose active form ends by the original horizon).
    let latest_free = grid
        .release
        .iter()
        .chain(grid.available.iter())
        .copied()
        .max()
        .unwrap_or(0);
    let active = latest_free + (0..n).map(max_p).sum::<i64>() + grid.transfer_extra();
    let active = match grid.kind {
        GridKind::Exact => active,
        GridKind::RoundedDown => active
            .min(grid.floor(super::model::horizon(inst) + super::transfers::horizon_extra(inst))),
    };
    let mut lct = vec![active; n];

    let objective = inst.objective();
    if let Some(ub) = horizon.upper_bound {
        match objective {
            Objective::Makespan => {
                let h = grid.floor(ub).min(active);
                lct.iter_mut().for_each(|l| *l = h);
            }
            Objective::WeightedCompletion | Objective::WeightedTardiness => {
                // Each task's least possible objective term, and its weight.
                let term = |t: usize, c: i64| -> f64 {
                    let task = inst.task(t);
                    let c = c as f64 * grid.unit;
                    match objective {
                        Objective::WeightedCompletion => task.weight * c,
                        _ => task.due.map_or(0.0, |due| task.weight * (c - due).max(0.0)),
                    }
                };
                let counts = |t: usize| -> bool {
                    let task = inst.task(t);
                    task.weight > 0.0
                        && (objective == Objective::WeightedCompletion || task.due.is_some())
                };
                let least: Vec<f64> = (0..n).map(|t| term(t, ect[t])).collect();
                let total: f64 = least.iter().sum();
                let mut has_deadline = vec![false; n];
                for t in 0..n {
                    if !counts(t) {
                        continue;
                    }
                    let task = inst.task(t);
                    let slack = (ub - (total - least[t])).max(0.0) / task.weight;
                    let d = match objective {
                        Objective::WeightedCompletion => slack,
                        _ => task.due.expect("counted tasks have a due date") + slack,
                    };
                    // Guard against overflow on huge slack.
                    if (d / grid.unit) < active as f64 {
                        lct[t] = lct[t].min(grid.floor(d));
                    }
                    has_deadline[t] = true;
                }
                // Tasks that bound a deadline: those with one and their ancestors.
                let mut bounded = has_deadline.clone();
                for &t in topo.iter().rev() {
                    if inst.succs(t).iter().any(|&s| bounded[s]) {
                        bounded[t] = true;
                    }
                }
                if horizon.move_free_tasks_last {
                    // Deadlines of bounded tasks after the tails below are ≤ their own values
                    // here, so the latest of these bounds every bounded task's end.
                    let latest_bounded = (0..n)
                        .filter(|&t| has_deadline[t])
                        .map(|t| lct[t])
                        .max()
                        .unwrap_or(0);
                    let free: Vec<usize> = (0..n).filter(|&t| !bounded[t]).collect();
                    let free_end = latest_bounded.max(latest_free)
                        + free.iter().map(|&t| max_p(t)).sum::<i64>();
                    for t in free {
                        lct[t] = lct[t].min(free_end);
                    }
                }
            }
            Objective::TotalCost | Objective::AssignmentCost => {}
        }
    }

    // Tails along precedence.
    for &t in topo.iter().rev() {
        for &s in inst.succs(t) {
            lct[t] = lct[t].min(lct[s] - min_p(s));
        }
    }
    Windows { est, lct }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::InstanceData;

    fn inst(json: &str) -> Instance {
        Instance::new(serde_json::from_str::<InstanceData>(json).unwrap()).unwrap()
    }

    #[test]
    fn unit_is_the_greatest_common_divisor() {
        let i = inst(
            r#"{"devices": [{"id": "d", "available_from": 10}], "tasks": [{"id": "a", "work": 20},
                {"id": "b", "work": 35, "release": 5}]}"#,
        );
        assert_eq!(exact_unit(&i), Ok(5.0));
        let i = inst(
            r#"{"devices": [{"id": "d"}], "tasks": [{"id": "a", "work": 0.25}, {"id": "b", "work": 1}]}"#,
        );
        assert_eq!(exact_unit(&i), Ok(0.25));
        let i = inst(
            r#"{"devices": [{"id": "d", "speed": 3}], "tasks": [{"id": "a", "work": 1}, {"id": "b", "work": 2}]}"#,
        );
        assert!((exact_unit(&i).unwrap() - 1.0 / 3.0).abs() < 1e-12);
        let i = inst(r#"{"devices": [{"id": "d"}], "tasks": [{"id": "a", "work": 0}]}"#);
        assert_eq!(exact_unit(&i), Ok(1.0));
    }

    #[test]
    fn off_grid_value_is_named() {
        let i = inst(
            r#"{"devices": [{"id": "d"}], "tasks": [{"id": "a", "work": 2},
                {"id": "b", "work": 1, "release": 0.0001234567}]}"#,
        );
        let e = exact_unit(&i).unwrap_err();
        assert!(e.to_string().contains("release of task 'b'"), "{e}");
    }

    #[test]
    fn rounded_grid_rounds_down() {
        let i = inst(
            r#"{"devices": [{"id": "d"}], "tasks": [{"id": "a", "work": 2.7, "release": 1.2}]}"#,
        );
        let g = Grid::new(&i, 1.0);
        assert_eq!(g.kind, GridKind::RoundedDown);
        assert_eq!(g.p(0, 0), Some(2));
        assert_eq!(g.release[0], 1);
    }

    #[test]
    fn windows_follow_heads_tails_and_the_known_makespan() {
        let i = inst(
            r#"{"devices": [{"id": "d"}, {"id": "e", "available_from": 3}],
                "tasks": [{"id": "a", "work": 2, "release": 1}, {"id": "b", "work": 3, "after": ["a"]}]}"#,
        );
        let g = Grid::new(&i, 1.0);
        let w = windows(
            &i,
            &g,
            Horizon {
                upper_bound: Some(6.0),
                move_free_tasks_last: true,
            },
        );
        assert_eq!(w.est, vec![1, 3]);
        assert_eq!(w.lct, vec![3, 6]);
        assert_eq!(w.starts(&g, 0, 0), 1..=1);
        assert_eq!(w.starts(&g, 1, 1), 3..=3);
        // a on d at 1; nothing for a on e (available from 3, a must end by 3); b on d or e at 3.
        assert_eq!(w.cells(&g, &i), 3);
    }

    #[test]
    fn weighted_deadlines_come_from_the_known_value() {
        // Σ w·C: one device, a (p 2, w 1) and b (p 2, w 10); the best order b, a gives 2·10 + 4 = 24.
        let i = inst(
            r#"{"objective": "weighted_completion", "devices": [{"id": "d"}],
                "tasks": [{"id": "a", "work": 2, "weight": 1}, {"id": "b", "work": 2, "weight": 10}]}"#,
        );
        let g = Grid::new(&i, 1.0);
        let w = windows(
            &i,
            &g,
            Horizon {
                upper_bound: Some(24.0),
                move_free_tasks_last: true,
            },
        );
        // b: 10·C_b ≤ 24 − 1·2 ⇒ C_b ≤ 2.2 ⇒ 2; a: C_a ≤ 24 − 20 = 4.
        assert_eq!(w.lct, vec![4, 2]);
    }
}
