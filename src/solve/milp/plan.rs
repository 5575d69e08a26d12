//! Which model [`Milp`] builds for an instance — the automatic choice, the time grid, the
//! Lagrangian reduction — and the warm start it starts from; branch-and-price where it applies.

use super::formulation::{self, Formulation};
use super::grid::{self, Cells, Grid, Horizon};
use super::model::{self, Built};
use super::propagate::{Outcome, Stop, destructive_bound, load_bound, propagate};
use super::{Milp, exact_unit, price, size, time_indexed};
use crate::error::Error;
use crate::model::{Instance, Objective};
use crate::schedule::Schedule;
use crate::solve::greedy::BestGreedy;
use crate::solve::meta::IteratedLocalSearch;
use crate::solve::{SolveOptions, SolveReport, Solver, Status};
use std::time::{Duration, Instant};

/// Share of the time limit given to the `ls` run that improves the warm start of a sequencing
/// model, and its cap.
pub(super) const WARM_LS_SHARE: f64 = 0.1;
pub(super) const WARM_LS_MAX: Duration = Duration::from_secs(3);
/// Rounds of that run at most, and rounds without a new best after which it stops (so that small
/// instances do not wait for the clock).
pub(super) const WARM_LS_ROUNDS: usize = 5000;
pub(super) const WARM_LS_STAGNATION: usize = 300;

/// Most start columns for which the time-indexed model of a sum objective is built and solved
/// by column generation (its arrays take about 60 bytes a column); also the budget of the
/// benchmark's lower bounds.
pub const LAGRANGE_CELLS: u64 = 2_000_000;

/// Subgradient iterations of the Lagrangian relaxation at most, and the share of the time limit
/// they may take.
pub(super) const LAGRANGE_ITERATIONS: usize = 3000;
pub(super) const LAGRANGE_SHARE: f64 = 0.25;

/// Most start columns left after reduced-cost fixing for which the branch-and-price hands the
/// reduced time-indexed model to HiGHS (whose LP is then small, and whose cuts and branching
/// beat start-time branching on it).
pub(super) const HAND_OFF_CELLS: usize = 20_000;

/// What [`Milp::branch_and_price`] did: solved, or handed the root (bound and starts left)
/// back for HiGHS.
pub(super) enum Priced {
    Report(SolveReport),
    HandOff(price::master::Root),
}

/// Seconds to build branch-and-price's paths per start column, measured on wt100-111 (529,156
/// columns in 0.50–0.53 s on a loaded 2-core machine).
const PATH_SECONDS_PER_CELL: f64 = 1e-6;

/// The formulation chosen for one solve and, for a time-indexed model, its grid and cells.
pub(super) struct Plan {
    pub(super) formulation: Formulation,
    pub(super) time_grid: Option<TimeGrid>,
    /// Why this formulation, for the report (the automatic choice, the grid).
    pub(super) why: Option<String>,
    /// The time-indexed model was asked for by name.
    pub(super) forced: bool,
    /// A makespan model that holds only the schedules better than the known one by at least one
    /// time unit (every makespan is a multiple of the unit): infeasible means the known schedule
    /// is optimal, and its bound counts only below the known value.
    pub(super) strict: bool,
    /// Propagation on a strict model's windows left no schedule: the known one is optimal
    /// (why, in a sentence).
    pub(super) refuted: Option<String>,
    /// A schedule the strict model's search found (shorter than the known one).
    pub(super) found: Option<Schedule>,
    /// A lower bound on the makespan from propagation alone (see [`destructive_bound`]).
    pub(super) lower_bound: Option<f64>,
}

/// A time-indexed model's grid, its cells and which of them are kept.
pub(super) struct TimeGrid {
    pub(super) grid: Grid,
    pub(super) cells: Cells,
    /// Cells left after reduced-cost fixing (`None`: all).
    pub(super) keep: Option<Vec<bool>>,
    /// The Lagrangian relaxation's result, when it ran.
    pub(super) lagrange: Option<price::master::Root>,
}

impl TimeGrid {
    pub(super) fn kept(&self) -> u64 {
        self.lagrange.as_ref().map_or(self.cells.total, |l| l.kept) as u64
    }
}

/// A warm start: the schedule, its value and where it came from.
pub(super) type Warm = (Schedule, f64, &'static str);

impl Milp {
    /// The formulation for `inst`, given the value of a known schedule (which bounds the
    /// time-indexed model's horizon).
    pub(super) fn plan(
        &self,
        inst: &Instance,
        requested: Option<Formulation>,
        upper_bound: Option<f64>,
        will_reduce: bool,
        stop: Stop,
    ) -> Result<Plan, Error> {
        let classic = requested.unwrap_or_else(|| Formulation::choose(inst, self.min_utilization));
        let forced = requested == Some(Formulation::TimeIndexed);
        if !(forced || (requested.is_none() && classic == Formulation::Disjunctive)) {
            return Ok(Plan {
                formulation: classic,
                time_grid: None,
                why: None,
                forced: false,
                strict: false,
                refuted: None,
                found: None,
                lower_bound: None,
            });
        }
        let disjunctive = |why: String| match formulation::shared_device(inst) {
            None => Ok(Plan {
                formulation: Formulation::Disjunctive,
                time_grid: None,
                why: Some(why),
                forced: false,
                strict: false,
                refuted: None,
                found: None,
                lower_bound: None,
            }),
            Some(d) => Err(Error::Usage(format!(
                "{why}; the disjunctive formulation cannot replace it: it runs one task at a \
                 time on each device, and device '{}' is shared by tasks with a demand",
                inst.device(d).id
            ))),
        };
        // With data transfers, auto takes the disjunctive model (see docs/formulations.md).
        if inst.has_transfers() && !forced {
            return disjunctive(
                "auto: data transfers between devices, which the disjunctive model's rows \
                 take exactly"
                    .into(),
            );
        }
        let unit = match exact_unit(inst) {
            Ok(u) => u,
            Err(off) if forced => {
                return Err(Error::Usage(format!(
                    "the time-indexed formulation needs every processing time, release, \
                     availability and transfer time to be a multiple of one time unit, and \
                     {off}; use the disjunctive formulation"
                )));
            }
            Err(off) => return disjunctive(format!("auto: no exact time grid: {off}")),
        };
        let grid = Grid::new(inst, unit);
        // Solving a makespan with a known schedule: only better schedules need room, and they
        // end at least one unit earlier.
        let strict = will_reduce
            && inst.objective() == Objective::Makespan
            && self.min_utilization.is_none()
            && upper_bound.is_some_and(|ub| ub - unit >= 0.0);
        let mut windows = grid::windows(
            inst,
            &grid,
            Horizon {
                upper_bound: if strict {
                    upper_bound.map(|ub| ub - unit)
                } else {
                    upper_bound
                },
                move_free_tasks_last: self.min_utilization.is_none(),
            },
        );
        // A grid too fine for the memory limit: refused when asked for, else the disjunctive
        // model (checked in its turn).
        let bytes = size::time_indexed_bytes(inst, &grid, &windows);
        if let Err(e) =
            crate::memory::check(format!("the time-indexed model on unit {unit}"), bytes)
        {
            if forced {
                return Err(e);
            }
            return disjunctive(format!("auto: {e}"));
        }
        // The strict model only holds schedules shorter than the known one: propagation may
        // show there are none, and otherwise narrows the windows.
        let (mut refuted, mut found, mut searched) = (None, None, String::new());
        let mut lower_bound = None;
        if strict {
            let before = windows.cells(&grid, inst);
            // The destructive bound first (a few propagations, at most a third of the time),
            // then the search.
            let bound = destructive_bound(inst, &grid, &windows, stop.at_a_third());
            lower_bound = Some(bound as f64 * grid.unit);
            let top = windows.lct.iter().copied().max().unwrap_or(0);
            let load = load_bound(inst, &grid).filter(|&load| load > top);
            if let Some(load) = load {
                // No schedule ends by the strict model's horizon: the known one is optimal.
                refuted = Some(format!(
                    "the devices cannot do the work before {} (load bound)",
                    load as f64 * grid.unit
                ));
            } else {
                match propagate(inst, &grid, &mut windows, stop, true) {
                    Outcome::Refuted(why) => refuted = Some(why),
                    Outcome::Found(starts) => found = schedule_from_starts(inst, &grid, &starts),
                    Outcome::Open(nodes) => {
                        searched = format!(
                            "; propagation kept {} of {before} start columns, refuted every \
                         makespan below {}{}",
                            windows.cells(&grid, inst),
                            bound as f64 * grid.unit,
                            if nodes > 0 {
                                format!(", its search undecided after {nodes} nodes")
                            } else {
                                String::new()
                            }
                        );
                    }
                }
            }
        }
        let cells = windows.cells(&grid, inst);
        // Sum objectives with a known schedule are reduced by Lagrangian fixing first: the budget
        // then applies to what is left (see `Milp::reduce`).
        let reducible =
            will_reduce && upper_bound.is_some() && inst.objective() != Objective::Makespan;
        let budget = if reducible {
            LAGRANGE_CELLS.max(self.time_indexed_budget)
        } else {
            self.time_indexed_budget
        };
        let over_budget = cells > budget;
        if !forced && over_budget && !inst.has_sharing() {
            return disjunctive(format!(
                "auto: the time-indexed model on unit {unit} would need {cells} start columns, \
                 more than the budget of {budget}"
            ));
        }
        let periods =
            windows.lct.iter().max().unwrap_or(&0) - windows.est.iter().min().unwrap_or(&0);
        Ok(Plan {
            formulation: Formulation::TimeIndexed,
            why: Some(format!(
                "{}exact time grid of unit {unit}, {periods} periods, {cells} start columns{}{}",
                if forced { "" } else { "auto: " },
                if strict {
                    format!(
                        ", only schedules at least one unit shorter than the warm start{searched}"
                    )
                } else {
                    String::new()
                },
                if over_budget && !forced {
                    format!(
                        " (more than the budget of {budget}, but the only model of shared devices)"
                    )
                } else {
                    String::new()
                }
            )),
            time_grid: Some(TimeGrid {
                cells: Cells::new(inst, &grid, &windows),
                grid,
                keep: None,
                lagrange: None,
            }),
            forced,
            strict,
            refuted,
            found,
            lower_bound,
        })
    }

    /// Branch-and-price (see `price`) for a time-indexed model of a sum objective without
    /// precedence or minimum utilization, from the warm start; `None` when it does not apply.
    pub(super) fn branch_and_price(
        &self,
        inst: &Instance,
        plan: &Plan,
        warm: Option<&Warm>,
        options: &SolveOptions,
        started: Instant,
        may_hand_off: bool,
    ) -> Option<Priced> {
        let tg = plan.time_grid.as_ref()?;
        let (schedule, value, source) = warm?;
        if inst.objective() == Objective::Makespan
            || inst.has_precedence()
            || inst.has_sharing()
            || self.min_utilization.is_some()
        {
            return None;
        }
        let deadline = options.time_limit.map(|l| {
            let margin = (0.02 * l.as_secs_f64()).min(0.5);
            started + l.saturating_sub(Duration::from_secs_f64(margin))
        });
        // Building the paths is not interruptible (about 1 µs per start column on these
        // machines, 0.5 s for wt100-111's 529k), and a root iteration costs as much again: with
        // less time left than both, the warm start is returned as it is.
        let left = deadline.map(|d| d.saturating_duration_since(Instant::now()).as_secs_f64());
        let needed = 2.0 * PATH_SECONDS_PER_CELL * tg.cells.total as f64;
        if let Some(left) = left.filter(|&l| l < needed) {
            let mut report = SolveReport::feasible(self.name(), inst, schedule.clone(), started);
            report.bound = plan.lower_bound.map(|b| b.min(*value));
            report.message = Some(format!(
                "formulation time-indexed: branch-and-price not started ({}): {left:.2} s left, \
                 and paths over {} start columns need about {needed:.2} s; warm start from \
                 {source} returned",
                plan.why.as_deref().unwrap_or(""),
                tg.cells.total
            ));
            return Some(Priced::Report(report));
        }
        let limits = price::tree::Limits {
            deadline,
            cancel: options.cancel.as_ref(),
            max_nodes: self.max_nodes.map(|k| k as usize),
            gap: self.mip_gap,
            verbose: options.verbose,
        };
        let out = match price::tree::solve(
            inst,
            &tg.grid,
            &tg.cells,
            schedule,
            *value,
            self.max_tasks,
            limits,
            if may_hand_off { HAND_OFF_CELLS } else { 0 },
        )? {
            price::tree::Search::Done(out) => out,
            price::tree::Search::HandOff(root) => return Some(Priced::HandOff(root)),
        };
        let (schedule, value, from) = match out.improved {
            Some((s, v)) => (s, v, "branch-and-price"),
            None => (schedule.clone(), *value, *source),
        };
        let mut report = SolveReport::feasible(self.name(), inst, schedule, started);
        let at_bound = out.bound >= value - 1e-6 * value.abs().max(1.0);
        report.status = if out.proven && at_bound {
            Status::Optimal
        } else {
            Status::Feasible
        };
        report.bound = Some(out.bound.min(value));
        report.message = Some(format!(
            "formulation time-indexed: branch-and-price ({}); root bound {}, {} of {} start \
             columns kept after reduced-cost fixing, {}{} nodes, {} master LP solves{}; {}; warm \
             start from {source}; schedule from {from}",
            plan.why.as_deref().unwrap_or(""),
            out.root_bound + 0.0,
            out.kept,
            out.cells,
            if out.sequenced > 0 {
                format!("{} backward sequencing nodes, ", out.sequenced)
            } else {
                String::new()
            },
            out.nodes,
            out.lp_solves,
            if out.failed > 0 {
                format!(
                    ", {} left open (HiGHS failed on their master LP)",
                    out.failed
                )
            } else {
                String::new()
            },
            if out.proven {
                if self.mip_gap > 0.0 {
                    "gap limit"
                } else {
                    "optimal"
                }
            } else {
                "time limit"
            }
        ));
        Some(Priced::Report(report))
    }

    /// For a time-indexed model of a sum objective (Σw·C, Σw·T, costs) and a known schedule of
    /// value `upper_bound`: the Lagrangian relaxation's bound and reduced-cost fixing (see
    /// `price`), within a quarter of the time left. Under "auto", a model still above the
    /// budget afterwards becomes the disjunctive one.
    pub(super) fn reduce(
        &self,
        inst: &Instance,
        plan: &mut Plan,
        warm: Option<&Warm>,
        options: &SolveOptions,
        started: Instant,
    ) {
        let (Some(tg), Some((schedule, ub, _))) = (plan.time_grid.as_mut(), warm) else {
            return;
        };
        // The column generation's paths run one task at a time.
        if inst.objective() == Objective::Makespan || inst.has_sharing() {
            return;
        }
        let deadline = options.time_limit.map(|l| {
            let left = l.saturating_sub(started.elapsed());
            Instant::now() + left.mul_f64(LAGRANGE_SHARE)
        });
        let Some(outcome) = price::master::relax(
            inst,
            &tg.grid,
            &tg.cells,
            &tg.grid.cells_of(schedule),
            *ub,
            self.max_tasks,
            deadline,
            LAGRANGE_ITERATIONS,
        ) else {
            return;
        };
        let note = format!(
            "; Lagrangian bound {} after {} master LP solves, {} of {} start columns kept",
            outcome.bound + 0.0,
            outcome.iterations,
            outcome.kept,
            tg.cells.total
        );
        tg.keep = Some(outcome.keep.clone());
        tg.lagrange = Some(outcome);
        let kept = tg.kept();
        let why = plan.why.get_or_insert_with(String::new);
        why.push_str(&note);
        if !plan.forced && kept > self.time_indexed_budget {
            why.push_str(&format!(
                "; more than the budget of {}: disjunctive model instead",
                self.time_indexed_budget
            ));
            plan.formulation = Formulation::Disjunctive;
            plan.time_grid = None;
        }
    }

    pub(super) fn build(&self, inst: &Instance, plan: &Plan, warm: Option<&Schedule>) -> Built {
        match &plan.time_grid {
            Some(tg) => time_indexed::build(
                inst,
                &tg.grid,
                &tg.cells,
                tg.keep.as_deref(),
                self.side(),
                warm,
            ),
            None => model::build(inst, plan.formulation, self.side(), warm),
        }
    }

    /// The best greedy schedule, when it meets the side constraints.
    pub(super) fn greedy_warm_start(&self, inst: &Instance) -> Option<Warm> {
        BestGreedy::best(inst)
            .ok()
            .map(|(_, s, v)| (s, v, "best-greedy"))
            .filter(|(s, _, _)| self.meets_side(inst, s))
    }

    /// The warm start: the given schedule, else the best greedy schedule, for the sequencing
    /// formulations improved by a short `ls` run (a tenth of the time limit, at most 3 s, and at
    /// most 5000 rounds, ending after 300 rounds without a new best). Only schedules that meet
    /// the side constraints.
    pub(super) fn warm_start(
        &self,
        inst: &Instance,
        options: &SolveOptions,
        sequencing: bool,
    ) -> Option<Warm> {
        if !self.warm_start {
            return None;
        }
        if let Some(s) = &self.initial {
            return Some((s.clone(), s.value(inst), "the given schedule"))
                .filter(|(s, _, _)| s.violations(inst).is_empty() && self.meets_side(inst, s));
        }
        let greedy = self.greedy_warm_start(inst);
        // The local search knows nothing of the side constraints.
        if !sequencing || self.max_tasks.is_some() || self.min_utilization.is_some() {
            return greedy;
        }
        let ls = IteratedLocalSearch {
            max_iterations: WARM_LS_ROUNDS,
            stagnation: WARM_LS_STAGNATION,
            exact_neighbourhood: false,
            streams: 1,
            stop_after_max_iterations: true,
            initial: None,
        };
        let ls_options = SolveOptions {
            time_limit: options
                .time_limit
                .map(|l| l.mul_f64(WARM_LS_SHARE).min(WARM_LS_MAX)),
            verbose: false,
            ..options.clone()
        };
        match ls.solve(inst, &ls_options) {
            Ok(SolveReport {
                schedule: Some(s),
                value: Some(v),
                ..
            }) if greedy.as_ref().is_none_or(|g| v < g.1) => Some((s, v, "ls")),
            _ => greedy,
        }
    }

    /// True when `s` also meets the side constraints that greedy rules do not know about.
    pub(super) fn meets_side(&self, inst: &Instance, s: &Schedule) -> bool {
        let m = inst.num_devices();
        if let Some(k) = self.max_tasks {
            let mut count = vec![0usize; m];
            for a in &s.assignments {
                count[a.device] += 1;
            }
            if count.iter().any(|&c| c > k) {
                return false;
            }
        }
        if let Some(u) = self.min_utilization {
            let metrics = s.metrics(inst);
            let total: f64 = metrics.busy.iter().sum();
            if total < u * m as f64 * metrics.makespan - 1e-9 * total.abs().max(1.0) {
                return false;
            }
        }
        true
    }
}

/// The schedule of start periods `starts` (every task on its only eligible device), through the
/// schedule builder in the order of the starts: each task starts no later than there.
fn schedule_from_starts(inst: &Instance, grid: &Grid, starts: &[i64]) -> Option<Schedule> {
    let n = inst.num_tasks();
    let device_of: Vec<usize> = (0..n).map(|t| inst.eligible(t)[0]).collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&t| (starts[t], grid.p(t, device_of[t]), t));
    crate::schedule::build(inst, &order, &device_of).ok()
}
