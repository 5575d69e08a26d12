//! Anytime records: how a solver's best value and proven bound evolved over time, for the
//! anytime curves of benchmark reports.
//!
//! A solver that records its history makes a [`ProgressLog`] when it starts, tells it each new
//! incumbent value ([`ProgressLog::value`]) and each better bound ([`ProgressLog::bound`]) —
//! from any thread: the log keeps a point only when one of them improves, so it stays small and
//! costs a lock per improvement, not per iteration — and ends with [`ProgressLog::finish`],
//! which adds the report's final value and bound and stores the points in
//! [`SolveReport::progress`](super::SolveReport::progress). `ls`, `ga` and `milp` record.

use super::SolveReport;
use serde::{Deserialize, Serialize};
use std::sync::Mutex;
use std::time::Instant;

/// One point of an anytime curve: the best value and bound known `seconds` after the start.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Seconds since the solver started.
    pub seconds: f64,
    /// The best value found so far, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// The best proven bound so far, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bound: Option<f64>,
}

/// A thread-safe record of improvements (see the module text).
#[derive(Debug)]
pub struct ProgressLog {
    started: Instant,
    points: Mutex<Vec<Progress>>,
}

impl ProgressLog {
    /// An empty log for a solve that started at `started`.
    pub fn new(started: Instant) -> Self {
        ProgressLog {
            started,
            points: Mutex::new(Vec::new()),
        }
    }

    fn push(&self, value: Option<f64>, bound: Option<f64>) {
        let Ok(mut points) = self.points.lock() else {
            return;
        };
        let last = points.last().copied();
        let best_value = match (last.and_then(|p| p.value), value) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let best_bound = match (last.and_then(|p| p.bound), bound) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        if last.is_some_and(|p| p.value == best_value && p.bound == best_bound) {
            return;
        }
        points.push(Progress {
            seconds: self.started.elapsed().as_secs_f64(),
            value: best_value,
            bound: best_bound,
        });
    }

    /// A schedule of this value was found (kept when it is the best so far).
    pub fn value(&self, value: f64) {
        if value.is_finite() {
            self.push(Some(value), None);
        }
    }

    /// This lower bound was proven (kept when it is the best so far).
    pub fn bound(&self, bound: f64) {
        if bound.is_finite() {
            self.push(None, Some(bound));
        }
    }

    /// Add the report's final value and bound at its time and store the points in it. The
    /// report's value is the one the evaluator recomputed, so it replaces a better-looking
    /// value the search may have logged (the final point is always the report's).
    pub fn finish(self, report: &mut SolveReport) {
        let mut points = self.points.into_inner().unwrap_or_default();
        points.retain(|p| p.seconds <= report.seconds);
        points.push(Progress {
            seconds: report.seconds,
            value: report.value,
            bound: report.bound,
        });
        report.progress = points;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_improvements_are_kept() {
        let log = ProgressLog::new(Instant::now());
        log.value(10.0);
        log.value(12.0);
        log.bound(5.0);
        log.value(9.0);
        log.bound(4.0);
        log.value(f64::INFINITY);
        let points = log.points.lock().unwrap().clone();
        let pairs: Vec<_> = points.iter().map(|p| (p.value, p.bound)).collect();
        assert_eq!(
            pairs,
            [
                (Some(10.0), None),
                (Some(10.0), Some(5.0)),
                (Some(9.0), Some(5.0))
            ]
        );
        assert!(points.windows(2).all(|w| w[0].seconds <= w[1].seconds));
    }
}
