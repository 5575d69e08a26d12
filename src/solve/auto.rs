//! `auto`: the exact and the heuristic search side by side, sharing what they find.
//!
//! 1. The best greedy schedule (milliseconds): the first incumbent.
//! 2. Side by side, until the time limit:
//!    - the MILP ([`Milp`], the strongest formulation that fits), warm-started from the
//!      heuristics (its own warm start: the best greedy schedule improved by a short local
//!      search), whose bound is the portfolio's;
//!    - the iterated local search ([`IteratedLocalSearch`]), seeded, from the best greedy
//!      schedule.
//!
//!    Under a time limit they share schedules while they run ([`Exchange`]): the local search
//!    goes on from the MILP's better incumbents, and HiGHS takes the local search's better
//!    schedules as incumbents.
//!
//!    When the MILP proves optimality, the local search is told to stop (under a time limit:
//!    without one both run to their own end, so that the answer is reproducible).
//! 3. When the MILP stopped early with a better schedule than the local search's (its own node
//!    or gap limit), the local search goes on from the MILP's schedule for the time left.
//!
//! The answer is the best schedule (ties: the MILP's, then the local search's, then the greedy
//! one, so equal seeds and budgets give equal answers), the best proven bound (the MILP's, or the
//! fractional-assignment or trivial makespan bound), `optimal` when the value meets the bound,
//! and which component found the schedule. Instances too large for a MILP model in memory
//! (more than [`Auto::max_milp_cells`] task–device pairs) skip it: the answer is the local
//! search's, on every thread, and for makespan the bound is the fractional-assignment one
//! ([`fractional_bound`], the LP relaxation approached through its dual, computed beside the
//! local search) when it is better than the trivial one.

use super::greedy::BestGreedy;
use super::meta::{IteratedLocalSearch, fractional_bound, makespan_lower_bound};
use super::milp::{Milp, WithInitialSchedule};
use super::{Cancel, Exchange, Progress, SolveOptions, SolveReport, Solver, Status};
use crate::error::Error;
use crate::model::{Instance, Objective};
use crate::schedule::Schedule;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Rounds of [`fractional_bound`] when the MILP is skipped (about 1 s on 5000 tasks × 64
/// devices; 3000 rounds reach 7,345,627 on Braun's `u_c_hihi.0`, where the MILP's bound after
/// 10 s is 7,346,684).
const FRACTIONAL_ROUNDS: usize = 3000;

/// The portfolio solver (see the module documentation).
#[derive(Debug, Clone)]
pub struct Auto {
    /// The largest number of eligible task–device pairs for which the MILP runs.
    pub max_milp_cells: u64,
    /// The exact search.
    pub milp: Milp,
    /// The heuristic search.
    pub ls: IteratedLocalSearch,
}

impl Default for Auto {
    fn default() -> Self {
        Auto {
            max_milp_cells: 400_000,
            milp: Milp::default(),
            ls: IteratedLocalSearch::default(),
        }
    }
}

/// The time limit `hetsched solve` gives `auto` when none is asked for.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(10);

/// One component's answer: its schedule and value, or nothing.
struct Found {
    by: &'static str,
    schedule: Schedule,
    value: f64,
}

impl Found {
    fn of(by: &'static str, report: &SolveReport) -> Option<Found> {
        Some(Found {
            by,
            schedule: report.schedule.clone()?,
            value: report.value?,
        })
    }
}

impl Auto {
    fn milp_fits(&self, inst: &Instance) -> bool {
        let cells: u64 = (0..inst.num_tasks())
            .map(|t| inst.eligible(t).len() as u64)
            .sum();
        cells <= self.max_milp_cells
    }

    /// Threads for the MILP and for the local search, out of `total`; without the MILP
    /// (`run_milp` false) the local search takes them all (the fractional-assignment bound
    /// computed beside it takes at most [`FRACTIONAL_ROUNDS`] rounds within the time limit).
    fn split(total: usize, run_milp: bool) -> (usize, usize) {
        if !run_milp {
            return (0, total.max(1));
        }
        let milp = (total / 2).max(1);
        (milp, total.saturating_sub(milp).max(1))
    }
}

impl Solver for Auto {
    fn name(&self) -> &'static str {
        "auto"
    }

    fn description(&self) -> &'static str {
        "portfolio: the MILP and the local search side by side, warm-starting each other; stops when optimality is proven or at the time limit"
    }

    fn solve(&self, inst: &Instance, options: &SolveOptions) -> Result<SolveReport, Error> {
        let started = Instant::now();
        let deadline = options.time_limit.map(|l| started + l);
        let left = || deadline.map(|d| d.saturating_duration_since(Instant::now()));
        let verbose = options.verbose;
        let say = |what: &str| {
            if verbose {
                eprintln!("[auto] {:>6.2} s  {what}", started.elapsed().as_secs_f64());
            }
        };

        let greedy = BestGreedy.solve(inst, options)?;
        say(&format!("best greedy: {}", show(greedy.value)));
        let mut found: Vec<Found> = Found::of("best-greedy", &greedy).into_iter().collect();
        let mut bound = (inst.objective() == Objective::Makespan)
            .then(|| makespan_lower_bound(inst))
            .filter(|b| b.is_finite());
        let trivial = bound;

        let total = options
            .threads
            .unwrap_or_else(rayon::current_num_threads)
            .max(1);
        let run_milp = self.milp_fits(inst);
        let (milp_threads, ls_threads) = Self::split(total, run_milp);
        if run_milp {
            say(&format!("threads: milp {milp_threads}, ls {ls_threads}"));
        } else {
            say(&format!(
                "threads: ls {ls_threads} (milp skipped: more than {} task-device pairs)",
                self.max_milp_cells
            ));
        }
        // The local search stops when the MILP proves optimality, or when the caller cancels.
        let stop_ls = options
            .cancel
            .as_ref()
            .map_or_else(Cancel::new, Cancel::child);
        // Under a time limit the components share their schedules while they run (without
        // one, each runs alone, so that the answer is reproducible).
        let exchange = options.time_limit.map(|_| {
            let x = Exchange::new();
            if let (Some(s), Some(v)) = (&greedy.schedule, greedy.value) {
                x.offer("best-greedy", v, || Some(s.clone()));
            }
            Arc::new(x)
        });
        let ls_options = SolveOptions {
            time_limit: left(),
            threads: Some(ls_threads),
            verbose: false,
            cancel: Some(stop_ls.clone()),
            exchange: exchange.clone(),
            ..options.clone()
        };
        // When the components start, for their anytime curves.
        let launched = started.elapsed().as_secs_f64();
        let mut curves: Vec<(f64, Vec<Progress>)> = Vec::new();
        let milp_options = SolveOptions {
            time_limit: left(),
            threads: Some(milp_threads),
            verbose: false,
            exchange: exchange.clone(),
            ..options.clone()
        };
        // Two OS threads, not `rayon::join`: a rayon worker that blocks inside the MILP's own
        // parallel steps could steal the local search and run it to its end first.
        // Without the MILP its thread computes the fractional-assignment bound instead (at most
        // FRACTIONAL_ROUNDS rounds, within the time limit).
        let (milp, fractional, ls) = std::thread::scope(|scope| {
            let milp = scope.spawn(|| {
                if !run_milp {
                    let fractional = (inst.objective() == Objective::Makespan)
                        .then(|| fractional_bound(inst, FRACTIONAL_ROUNDS, deadline))
                        .flatten();
                    return (None, fractional);
                }
                let r = self.milp.solve(inst, &milp_options);
                if let Ok(r) = &r {
                    say(&format!(
                        "milp: {} {} (bound {}; {})",
                        r.status,
                        show(r.value),
                        show(r.bound),
                        r.message.as_deref().unwrap_or("")
                    ));
                    // A proven optimum ends the search (only under a time limit: without one,
                    // the local search runs to its own end, reproducibly).
                    if r.status == Status::Optimal && options.time_limit.is_some() {
                        stop_ls.cancel();
                    }
                }
                (Some(r), None)
            });
            let ls = self.ls.solve(inst, &ls_options);
            if let Ok(r) = &ls {
                say(&format!("ls: {}", show(r.value)));
            }
            let (milp, fractional) = milp.join().unwrap_or_else(|_| {
                (
                    Some(Err(Error::Solve("the MILP's thread panicked".into()))),
                    None,
                )
            });
            (milp, fractional, ls)
        });
        let mut notes = Vec::new();
        if let Some(b) = fractional {
            say(&format!("fractional-assignment bound: {b}"));
            if bound.is_none_or(|a| b > a) {
                bound = Some(b);
                notes.push("bound from the fractional assignment (LP relaxation)".into());
            }
        }
        let mut milp_status = None;
        match milp {
            None => notes.push(format!(
                "milp skipped (more than {} task-device pairs)",
                self.max_milp_cells
            )),
            Some(Err(e)) => notes.push(format!("milp: {e}")),
            Some(Ok(r)) => {
                curves.push((launched, r.progress.clone()));
                if let Some(b) = r.bound {
                    bound = Some(bound.map_or(b, |a: f64| a.max(b)));
                }
                milp_status = Some(r.status);
                if r.status == Status::Infeasible {
                    let mut r = r;
                    r.solver = self.name().into();
                    r.seconds = started.elapsed().as_secs_f64();
                    return Ok(r);
                }
                found.extend(Found::of("milp", &r));
            }
        }
        let ls_value = match ls {
            Ok(r) => {
                let v = r.value;
                curves.push((launched, r.progress.clone()));
                found.extend(Found::of("ls", &r));
                v
            }
            Err(e) => {
                notes.push(format!("ls: {e}"));
                None
            }
        };

        // The MILP stopped early with a better schedule: the local search goes on from it.
        let milp_found = found.iter().find(|f| f.by == "milp");
        let time_left =
            left().is_some_and(|l| l > Duration::from_millis(100)) && !options.cancelled();
        if let (Some(m), true, Some(Status::Feasible)) = (milp_found, time_left, milp_status)
            && ls_value.is_none_or(|lv| m.value < lv)
        {
            let start = m.schedule.clone();
            let polish = self.ls.clone().with_initial_schedule(start);
            let opts = SolveOptions {
                time_limit: left(),
                threads: Some(total),
                verbose: false,
                ..options.clone()
            };
            if let Ok(r) = polish.solve(inst, &opts) {
                say(&format!("ls from the milp's schedule: {}", show(r.value)));
                found.extend(Found::of("ls from milp", &r));
            }
        }

        // The best schedule; ties go to the first found in this order: milp, ls, ls from milp,
        // best-greedy.
        let rank = |by: &str| match by {
            "milp" => 0,
            "ls" => 1,
            "ls from milp" => 2,
            _ => 3,
        };
        let best = found.into_iter().min_by(|a, b| {
            a.value
                .total_cmp(&b.value)
                .then(rank(a.by).cmp(&rank(b.by)))
        });
        let first = Progress {
            seconds: launched,
            value: greedy.value,
            bound: trivial,
        };
        let Some(best) = best else {
            return Err(Error::Solve(format!(
                "no component found a schedule ({})",
                notes.join("; ")
            )));
        };
        let mut report = SolveReport::feasible(self.name(), inst, best.schedule, started);
        let value = report.value.expect("a feasible report has a value");
        let tol = 1e-6 * value.abs().max(1.0);
        report.bound = bound.map(|b| b.min(value));
        if milp_status == Some(Status::Optimal) && best.by == "milp"
            || bound.is_some_and(|b| value <= b + tol)
        {
            report.status = Status::Optimal;
        }
        report.progress = anytime(first, curves, &report);
        notes.insert(0, format!("schedule from {}", best.by));
        report.message = Some(notes.join("; "));
        say(&format!("done: {value} ({})", report.status));
        Ok(report)
    }
}

/// A value for a progress line ("-" when there is none).
fn show(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| v.to_string())
}

/// The portfolio's anytime curve: from `first` (the greedy value and the trivial bound), each
/// component's points shifted by when it started, merged in time order with the best value and
/// bound so far, ending at the report's value and bound.
fn anytime(
    first: Progress,
    curves: Vec<(f64, Vec<Progress>)>,
    report: &SolveReport,
) -> Vec<Progress> {
    let mut events: Vec<Progress> = vec![first];
    for (offset, points) in curves {
        events.extend(points.into_iter().map(|p| Progress {
            seconds: p.seconds + offset,
            ..p
        }));
    }
    events.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
    let mut out: Vec<Progress> = Vec::with_capacity(events.len() + 1);
    let (mut value, mut bound) = (None::<f64>, None::<f64>);
    for p in events.into_iter().filter(|p| p.seconds <= report.seconds) {
        value = match (value, p.value) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        bound = match (bound, p.bound) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        if out
            .last()
            .is_none_or(|l| l.value != value || l.bound != bound)
        {
            out.push(Progress {
                seconds: p.seconds,
                value,
                bound,
            });
        }
    }
    out.push(Progress {
        seconds: report.seconds,
        value: report.value,
        bound: report.bound,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::Auto;

    #[test]
    fn the_local_search_takes_every_thread_when_the_milp_is_skipped() {
        assert_eq!(Auto::split(2, true), (1, 1));
        assert_eq!(Auto::split(8, true), (4, 4));
        assert_eq!(Auto::split(1, true), (1, 1));
        assert_eq!(Auto::split(2, false), (0, 2));
        assert_eq!(Auto::split(1, false), (0, 1));
    }
}
