//! The comparison of a run's rows: per instance the best bound and the best known value, each
//! row's gaps to them and whether it contradicts them; per solver a summary.

use super::{BenchRow, BenchRun};
use serde::Serialize;
use std::collections::BTreeMap;

/// A run's rows with what needs every row of an instance, and a summary per solver.
#[derive(Debug, Clone)]
pub struct Analysis<'a> {
    /// The run.
    pub run: &'a BenchRun,
    /// Per row (same order as `run.rows`).
    pub rows: Vec<RowAnalysis>,
    /// Per solver, in the order given.
    pub summary: Vec<SolverSummary>,
}

/// What one row is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RowAnalysis {
    /// The best lower bound known for the instance: the highest bound proved by any run, or the
    /// reference value when it is a proven optimum.
    pub best_bound: Option<f64>,
    /// The reference value, or else the best value any solver of this run reached.
    pub best_known: Option<f64>,
    /// True when `best_known` is the best value of this run (no reference value).
    pub best_known_from_run: bool,
    /// `(value − best_bound) / |best_bound|` (see [`relative_gap`]).
    pub gap_to_bound: Option<f64>,
    /// `(value − best_known) / |best_known|`; negative when the run beat the reference.
    pub gap_to_best_known: Option<f64>,
    /// True when this row's value is the best of the run for its instance.
    pub win: bool,
    /// True when the value is below the best bound: a wrong reference value (a proven optimum
    /// beaten) or a wrong bound — never a result to believe.
    pub below_bound: bool,
    /// True when the bound this row's solver proved is above a value some schedule reached (a
    /// row of the run, or the set's proven optimum): a wrong bound, a solver bug.
    pub bound_above_value: bool,
}

/// A solver's results over the whole run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SolverSummary {
    /// The solver.
    pub solver: String,
    /// Instances run.
    pub runs: usize,
    /// Runs that gave a checked schedule.
    pub solved: usize,
    /// Runs that proved optimality.
    pub optimal: usize,
    /// Mean gap to the best bound, over the runs with a value and a bound (finite gaps).
    pub mean_gap_to_bound: Option<f64>,
    /// Mean gap to the best-known value, over the runs with a value (finite gaps).
    pub mean_gap_to_best_known: Option<f64>,
    /// Runs whose gap to the bound is infinite (bound 0, value above it): not in the mean.
    pub infinite_gaps_to_bound: usize,
    /// Runs whose gap to the best known is infinite (best known 0, value above it).
    pub infinite_gaps_to_best_known: usize,
    /// Instances where this solver's value is the best of the run (ties count for each).
    pub wins: usize,
    /// Total wall-clock seconds.
    pub seconds: f64,
}

/// `(value − x) / |x|`: 0 when both are 0, infinite when only `x` is 0.
pub fn relative_gap(value: f64, x: f64) -> f64 {
    let tol = 1e-9 * value.abs().max(x.abs()).max(1.0);
    if (value - x).abs() <= tol {
        0.0
    } else if x.abs() <= 1e-12 {
        f64::INFINITY * (value - x).signum()
    } else {
        (value - x) / x.abs()
    }
}

impl<'a> Analysis<'a> {
    /// Compare every row with the other rows of its instance.
    pub fn new(run: &'a BenchRun) -> Self {
        let mut by_instance: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, r) in run.rows.iter().enumerate() {
            by_instance.entry(r.order).or_default().push(i);
        }
        let mut rows = vec![
            RowAnalysis {
                best_bound: None,
                best_known: None,
                best_known_from_run: false,
                gap_to_bound: None,
                gap_to_best_known: None,
                win: false,
                below_bound: false,
                bound_above_value: false,
            };
            run.rows.len()
        ];
        for idx in by_instance.values() {
            let rs: Vec<&BenchRow> = idx.iter().map(|&i| &run.rows[i]).collect();
            let fmax = |a: Option<f64>, b: f64| Some(a.map_or(b, |a: f64| a.max(b)));
            let mut best_bound = None;
            for r in &rs {
                for b in [r.bound, r.lower_bound].into_iter().flatten() {
                    best_bound = fmax(best_bound, b);
                }
                if r.reference_optimal
                    && let Some(v) = r.reference
                {
                    best_bound = fmax(best_bound, v);
                }
            }
            let best_value = rs
                .iter()
                .filter_map(|r| r.value)
                .min_by(|a, b| a.total_cmp(b));
            let reference = rs.iter().find_map(|r| r.reference);
            // The least value known to be reached: the run's best, or the set's proven optimum.
            let reached = rs
                .iter()
                .filter(|r| r.reference_optimal)
                .find_map(|r| r.reference)
                .into_iter()
                .chain(best_value)
                .min_by(|a, b| a.total_cmp(b));
            let (best_known, from_run) = match reference {
                Some(v) => (Some(v), false),
                None => (best_value, best_value.is_some()),
            };
            for &i in idx {
                let r = &run.rows[i];
                rows[i] = RowAnalysis {
                    best_bound,
                    best_known,
                    best_known_from_run: from_run,
                    gap_to_bound: r.value.zip(best_bound).map(|(v, b)| relative_gap(v, b)),
                    gap_to_best_known: r.value.zip(best_known).map(|(v, k)| relative_gap(v, k)),
                    win: r
                        .value
                        .zip(best_value)
                        .is_some_and(|(v, b)| relative_gap(v, b) <= 1e-9),
                    below_bound: r
                        .value
                        .zip(best_bound)
                        .is_some_and(|(v, b)| relative_gap(v, b) < -1e-6),
                    bound_above_value: r
                        .bound
                        .zip(reached)
                        .is_some_and(|(b, v)| relative_gap(v, b) < -1e-6),
                };
            }
        }
        let summary = run
            .solvers
            .iter()
            .map(|s| {
                let mine: Vec<usize> = (0..run.rows.len())
                    .filter(|&i| &run.rows[i].solver == s)
                    .collect();
                let mean = |f: &dyn Fn(&RowAnalysis) -> Option<f64>| {
                    let gaps: Vec<f64> = mine
                        .iter()
                        .filter_map(|&i| f(&rows[i]))
                        .filter(|g| g.is_finite())
                        .collect();
                    (!gaps.is_empty()).then(|| gaps.iter().sum::<f64>() / gaps.len() as f64)
                };
                let infinite = |f: &dyn Fn(&RowAnalysis) -> Option<f64>| {
                    mine.iter()
                        .filter(|&&i| f(&rows[i]).is_some_and(|g| g.is_infinite()))
                        .count()
                };
                SolverSummary {
                    solver: s.clone(),
                    runs: mine.len(),
                    solved: mine
                        .iter()
                        .filter(|&&i| run.rows[i].value.is_some())
                        .count(),
                    optimal: mine
                        .iter()
                        .filter(|&&i| run.rows[i].status == "optimal")
                        .count(),
                    mean_gap_to_bound: mean(&|r| r.gap_to_bound),
                    mean_gap_to_best_known: mean(&|r| r.gap_to_best_known),
                    infinite_gaps_to_bound: infinite(&|r| r.gap_to_bound),
                    infinite_gaps_to_best_known: infinite(&|r| r.gap_to_best_known),
                    wins: mine.iter().filter(|&&i| rows[i].win).count(),
                    // (+ 0.0: an empty sum is −0.0.)
                    seconds: mine.iter().map(|&i| run.rows[i].seconds).sum::<f64>() + 0.0,
                }
            })
            .collect();
        Analysis { run, rows, summary }
    }

    /// True when some instance could not be read.
    pub fn has_bad_input(&self) -> bool {
        self.run.rows.iter().any(|r| r.status == "bad-input")
    }

    /// True when some schedule broke a rule (a solver bug).
    pub fn has_invalid(&self) -> bool {
        self.run.rows.iter().any(|r| r.status == "invalid")
    }

    /// Rows whose value is below the best bound, each with what it contradicts: a proven optimum
    /// of the instance set (a wrong reference file) or a bound a solver proved (a solver bug);
    /// and rows whose proven bound is above a value reached (a solver bug).
    pub fn contradictions(&self) -> Vec<(&BenchRow, &'static str)> {
        self.run
            .rows
            .iter()
            .zip(&self.rows)
            .filter(|(_, a)| a.below_bound || a.bound_above_value)
            .map(|(r, a)| {
                if a.bound_above_value && !a.below_bound {
                    return (r, "its bound is above a value reached");
                }
                let from_reference = r.reference_optimal
                    && r.reference.zip(a.best_bound).is_some_and(|(x, b)| x == b);
                (
                    r,
                    if from_reference {
                        "the set's proven optimum"
                    } else {
                        "a bound a solver proved"
                    },
                )
            })
            .collect()
    }
}
