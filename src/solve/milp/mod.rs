//! Exact models: MILPs built with good_lp and solved by the embedded HiGHS.
//!
//! One solver, [`Milp`], picks the formulation that fits the instance (or the one asked for):
//!
//! | formulation | when | model |
//! |---|---|---|
//! | [`Formulation::Assignment`] | `assignment_cost`, `total_cost` | generalized assignment: costs do not depend on timing |
//! | [`Formulation::Makespan`] | `makespan`, no precedence, no release after any device's availability | R‖Cmax: min C, C ≥ a_d + load_d |
//! | [`Formulation::WeightedCompletion`] | `weighted_completion`, same conditions | R‖Σw·C with Smith's order fixed per device |
//! | [`Formulation::TimeIndexed`] | anything else, when the times lie on an exact grid of a size within the budget | x[t,d,s]: t starts on d at period s; capacity rows per period |
//! | [`Formulation::Disjunctive`] | anything else | start times, order variables, big-M from the horizon |
//!
//! The MILP's assignment (and, for the sequencing models, its start order) goes through the one
//! schedule builder, so the returned timetable is feasible by construction and its value is
//! recomputed by the evaluator. The mathematics is in `docs/formulations.md`.

mod bound;
mod formulation;
mod grid;
mod model;
mod price;
mod time_indexed;

pub use bound::{LowerBound, lower_bound};
pub use formulation::Formulation;
pub use grid::{GridKind, OffGrid, exact_unit};

use super::greedy::BestGreedy;
use super::meta::IteratedLocalSearch;
use super::{SolveOptions, SolveReport, Solver, Status};
use crate::error::Error;
use crate::model::{Instance, Objective};
use crate::schedule::{Schedule, build};
use good_lp::{SolverModel, highs};
use grid::{Cells, Grid, Horizon};
use highs::{HighsModelStatus, HighsSolutionStatus};
use model::{Built, Side};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// A solver that accepts a relative MIP gap at which it may stop.
pub trait WithMipGap: Sized {
    /// Stop once (value − bound) / value ≤ `gap` (0 proves optimality).
    fn with_mip_gap(self, gap: f64) -> Self;
}

/// A solver that can start from a known feasible schedule.
pub trait WithWarmStart: Sized {
    /// Start from the best heuristic schedule (`true`, the default) or from nothing.
    fn with_warm_start(self, on: bool) -> Self;
}

/// A solver that can start from a given feasible schedule instead of its own warm start.
pub trait WithInitialSchedule: Sized {
    /// Use `schedule` (which must be feasible for the instance solved) as the warm start.
    fn with_initial_schedule(self, schedule: Schedule) -> Self;
}

/// The exact solver: builds a MILP with good_lp, solves it with HiGHS, and reports what HiGHS
/// proved.
///
/// ```
/// use hetsched::{Device, Instance, InstanceData, Task, SolveOptions, Solver, Status};
/// use hetsched::solve::milp::{Milp, WithMipGap};
/// let data = InstanceData {
///     devices: vec![Device::new("gpu"), Device::new("cpu")],
///     tasks: vec![Task::new("a", 4.0), Task::new("b", 3.0), Task::new("c", 2.0)],
///     ..Default::default()
/// };
/// let inst = Instance::new(data).unwrap();
/// let report = Milp::default().with_mip_gap(0.0).solve(&inst, &SolveOptions::default()).unwrap();
/// assert_eq!(report.status, Status::Optimal);
/// assert_eq!(report.value, Some(5.0));
/// assert_eq!(report.bound.map(f64::round), Some(5.0));
/// ```
#[derive(Debug, Clone)]
pub struct Milp {
    /// Formulation to use (`None`, "auto": [`Formulation::choose`], with the time-indexed model in
    /// place of the disjunctive one when the instance's times lie on an exact grid and the model
    /// has at most [`Milp::time_indexed_budget`] start columns).
    pub formulation: Option<Formulation>,
    /// Relative gap at which HiGHS may stop (default 0: prove optimality).
    pub mip_gap: f64,
    /// Start HiGHS from the best greedy schedule (default on).
    pub warm_start: bool,
    /// At most this many tasks per device (the classic assignment model is `Some(1)`).
    pub max_tasks: Option<usize>,
    /// Mean device utilization Σ busy / (m · makespan) of at least this (0..=1).
    pub min_utilization: Option<f64>,
    /// Warm start to use instead of the best greedy schedule (see [`WithInitialSchedule`]).
    pub initial: Option<Schedule>,
    /// Branch-and-bound nodes at most (a deterministic budget, unlike a time limit).
    pub max_nodes: Option<u32>,
    /// Most start columns (tasks × eligible devices × periods in their windows) for which "auto"
    /// takes the time-indexed formulation.
    pub time_indexed_budget: u64,
}

/// Default of [`Milp::time_indexed_budget`].
pub const TIME_INDEXED_BUDGET: u64 = 300_000;

impl Default for Milp {
    fn default() -> Self {
        Milp {
            formulation: None,
            mip_gap: 0.0,
            warm_start: true,
            max_tasks: None,
            min_utilization: None,
            initial: None,
            max_nodes: None,
            time_indexed_budget: TIME_INDEXED_BUDGET,
        }
    }
}

impl WithInitialSchedule for Milp {
    fn with_initial_schedule(mut self, schedule: Schedule) -> Self {
        self.initial = Some(schedule);
        self.warm_start = true;
        self
    }
}

impl WithMipGap for Milp {
    fn with_mip_gap(mut self, gap: f64) -> Self {
        self.mip_gap = gap;
        self
    }
}

impl WithWarmStart for Milp {
    fn with_warm_start(mut self, on: bool) -> Self {
        self.warm_start = on;
        self
    }
}

/// HiGHS fixes its thread count on the first solve of a process; every later solve must use the
/// same count. This holds the count chosen first.
static HIGHS_THREADS: OnceLock<u32> = OnceLock::new();

/// Models with more rows than this are solved without HiGHS's presolve (see [`Milp`]'s solve).
const LARGE_MODEL_ROWS: usize = 100_000;

/// HiGHS's MIP set-up time per model row before it first checks its time limit, measured on
/// these 2-core machines: 2–4 s for the 408k-row model of a 200-task, 16-device cluster.
const SETUP_SECONDS_PER_ROW: f64 = 1e-5;

/// The size of a MILP as handed to HiGHS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelSize {
    /// The formulation used.
    pub formulation: Formulation,
    /// Constraints.
    pub rows: usize,
    /// Variables.
    pub columns: usize,
    /// Integer (binary) variables.
    pub integers: usize,
}

/// Set a HiGHS option, naming it in the error.
fn set_option<V: highs::HighsOptionValue>(
    model: &mut highs::Model,
    name: &str,
    value: V,
) -> Result<(), Error> {
    model
        .try_set_option(name, value)
        .map_err(|e| Error::Solve(format!("HiGHS option {name}: {e:?}")))
}

/// Hand a good_lp model to HiGHS (without solving it).
fn to_highs(
    vars: good_lp::ProblemVariables,
    objective: good_lp::Expression,
    constraints: Vec<good_lp::Constraint>,
) -> Result<highs::Model, Error> {
    let mut problem = vars.minimise(objective).using(highs);
    for c in constraints {
        problem.add_constraint(c);
    }
    problem
        .try_into_inner()
        .map_err(|e| Error::Solve(format!("HiGHS rejected the model: {e}")))
}

/// Share of the time limit given to the `ls` run that improves the warm start of a sequencing
/// model, and its cap.
const WARM_LS_SHARE: f64 = 0.1;
const WARM_LS_MAX: Duration = Duration::from_secs(3);
/// Rounds of that run at most, and rounds without a new best after which it stops (so that small
/// instances do not wait for the clock).
const WARM_LS_ROUNDS: usize = 5000;
const WARM_LS_STAGNATION: usize = 300;

/// Most start columns for which the time-indexed model of a sum objective is built and solved
/// by column generation (its arrays take about 60 bytes a column); also the budget of the
/// benchmark's lower bounds.
pub const LAGRANGE_CELLS: u64 = 2_000_000;

/// Subgradient iterations of the Lagrangian relaxation at most, and the share of the time limit
/// they may take.
const LAGRANGE_ITERATIONS: usize = 3000;
const LAGRANGE_SHARE: f64 = 0.25;

/// The formulation chosen for one solve and, for a time-indexed model, its grid and cells.
struct Plan {
    formulation: Formulation,
    time_grid: Option<TimeGrid>,
    /// Why this formulation, for the report (the automatic choice, the grid).
    why: Option<String>,
    /// The time-indexed model was asked for by name.
    forced: bool,
}

/// A time-indexed model's grid, its cells and which of them are kept.
struct TimeGrid {
    grid: Grid,
    cells: Cells,
    /// Cells left after reduced-cost fixing (`None`: all).
    keep: Option<Vec<bool>>,
    /// The Lagrangian relaxation's result, when it ran.
    lagrange: Option<price::master::Root>,
}

impl TimeGrid {
    fn kept(&self) -> u64 {
        self.lagrange.as_ref().map_or(self.cells.total, |l| l.kept) as u64
    }
}

/// A warm start: the schedule, its value and where it came from.
type Warm = (Schedule, f64, &'static str);

impl Milp {
    /// Build the model [`Solver::solve`] would solve and hand it to HiGHS, without solving it
    /// (and without a warm start): its formulation and size. What `cargo bench --bench milp`
    /// times as model build time. A time-indexed model takes its horizon from the best greedy
    /// schedule here (`solve` also runs a short local search first).
    ///
    /// ```
    /// use hetsched::solve::milp::{Formulation, Milp};
    /// let inst = hetsched::io::read_instance("instances/examples/ai-cluster.json").unwrap();
    /// let size = Milp::default().build_model(&inst).unwrap();
    /// assert_eq!(size.formulation, Formulation::TimeIndexed);
    /// assert!(size.integers > 0 && size.rows > 0);
    /// ```
    pub fn build_model(&self, inst: &Instance) -> Result<ModelSize, Error> {
        let requested = self.check_options(inst)?;
        let warm = self.greedy_warm_start(inst);
        let plan = self.plan(inst, requested, warm.as_ref().map(|w| w.1), false)?;
        let built = self.build(inst, &plan, None);
        let size = ModelSize {
            formulation: plan.formulation,
            rows: built.num_rows(),
            columns: built.num_cols(),
            integers: built.columns.integers,
        };
        to_highs(built.columns.vars, built.objective, built.constraints)?;
        Ok(size)
    }

    fn side(&self) -> Side {
        Side {
            max_tasks: self.max_tasks,
            min_utilization: self.min_utilization,
        }
    }

    /// Check the options; the formulation asked for (`None`: automatic).
    fn check_options(&self, inst: &Instance) -> Result<Option<Formulation>, Error> {
        if !(self.mip_gap.is_finite() && self.mip_gap >= 0.0) {
            return Err(Error::Usage(format!(
                "the MIP gap must be a non-negative number, got {}",
                self.mip_gap
            )));
        }
        if let Some(u) = self.min_utilization
            && !(0.0..=1.0).contains(&u)
        {
            return Err(Error::Usage(format!(
                "the minimum utilization must be between 0 and 1, got {u}"
            )));
        }
        if self.max_tasks == Some(0) {
            return Err(Error::Usage(
                "max tasks per device must be at least 1".into(),
            ));
        }
        if let Some(f) = self.formulation
            && let Some(why) = f.unfit_reason(inst, self.min_utilization)
        {
            return Err(Error::Usage(why));
        }
        Ok(self.formulation)
    }

    /// The formulation for `inst`, given the value of a known schedule (which bounds the
    /// time-indexed model's horizon).
    fn plan(
        &self,
        inst: &Instance,
        requested: Option<Formulation>,
        upper_bound: Option<f64>,
        will_reduce: bool,
    ) -> Result<Plan, Error> {
        let classic = requested.unwrap_or_else(|| Formulation::choose(inst, self.min_utilization));
        let forced = requested == Some(Formulation::TimeIndexed);
        if !(forced || (requested.is_none() && classic == Formulation::Disjunctive)) {
            return Ok(Plan {
                formulation: classic,
                time_grid: None,
                why: None,
                forced: false,
            });
        }
        let disjunctive = |why: String| Plan {
            formulation: Formulation::Disjunctive,
            time_grid: None,
            why: Some(why),
            forced: false,
        };
        let unit = match exact_unit(inst) {
            Ok(u) => u,
            Err(off) if forced => {
                return Err(Error::Usage(format!(
                    "the time-indexed formulation needs every processing time, release and \
                     availability to be a multiple of one time unit, and {off}; use the \
                     disjunctive formulation"
                )));
            }
            Err(off) => return Ok(disjunctive(format!("auto: no exact time grid: {off}"))),
        };
        let grid = Grid::new(inst, unit);
        let windows = grid::windows(
            inst,
            &grid,
            Horizon {
                upper_bound,
                move_free_tasks_last: self.min_utilization.is_none(),
            },
        );
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
        if !forced && cells > budget {
            return Ok(disjunctive(format!(
                "auto: the time-indexed model on unit {unit} would need {cells} start columns, \
                 more than the budget of {budget}"
            )));
        }
        let periods =
            windows.lct.iter().max().unwrap_or(&0) - windows.est.iter().min().unwrap_or(&0);
        Ok(Plan {
            formulation: Formulation::TimeIndexed,
            why: Some(format!(
                "{}exact time grid of unit {unit}, {periods} periods, {cells} start columns",
                if forced { "" } else { "auto: " },
            )),
            time_grid: Some(TimeGrid {
                cells: Cells::new(inst, &grid, &windows),
                grid,
                keep: None,
                lagrange: None,
            }),
            forced,
        })
    }

    /// Branch-and-price (see `price`) for a time-indexed model of a sum objective without
    /// precedence or minimum utilization, from the warm start; `None` when it does not apply.
    fn branch_and_price(
        &self,
        inst: &Instance,
        plan: &Plan,
        warm: Option<&Warm>,
        options: &SolveOptions,
        started: Instant,
    ) -> Option<SolveReport> {
        let tg = plan.time_grid.as_ref()?;
        let (schedule, value, source) = warm?;
        if inst.objective() == Objective::Makespan
            || inst.has_precedence()
            || self.min_utilization.is_some()
        {
            return None;
        }
        let deadline = options.time_limit.map(|l| {
            let margin = (0.02 * l.as_secs_f64()).min(0.5);
            started + l.saturating_sub(Duration::from_secs_f64(margin))
        });
        let limits = price::tree::Limits {
            deadline,
            max_nodes: self.max_nodes.map(|k| k as usize),
            gap: self.mip_gap,
            verbose: options.verbose,
        };
        let out = price::tree::solve(
            inst,
            &tg.grid,
            &tg.cells,
            schedule,
            *value,
            self.max_tasks,
            limits,
        )?;
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
             columns kept after reduced-cost fixing, {} nodes, {} master LP solves{}; {}; warm \
             start from {source}; schedule from {from}",
            plan.why.as_deref().unwrap_or(""),
            out.root_bound + 0.0,
            out.kept,
            out.cells,
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
        Some(report)
    }

    /// For a time-indexed model of a sum objective (Σw·C, Σw·T, costs) and a known schedule of
    /// value `upper_bound`: the Lagrangian relaxation's bound and reduced-cost fixing (see
    /// `price`), within a quarter of the time left. Under "auto", a model still above the
    /// budget afterwards becomes the disjunctive one.
    fn reduce(
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
        if inst.objective() == Objective::Makespan {
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

    fn build(&self, inst: &Instance, plan: &Plan, warm: Option<&Schedule>) -> Built {
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
    fn greedy_warm_start(&self, inst: &Instance) -> Option<Warm> {
        BestGreedy::best(inst)
            .ok()
            .map(|(_, s, v)| (s, v, "best-greedy"))
            .filter(|(s, _, _)| self.meets_side(inst, s))
    }

    /// The warm start: the given schedule, else the best greedy schedule, for the sequencing
    /// formulations improved by a short `ls` run (a tenth of the time limit, at most 3 s, and at
    /// most 5000 rounds, ending after 300 rounds without a new best). Only schedules that meet
    /// the side constraints.
    fn warm_start(
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
    fn meets_side(&self, inst: &Instance, s: &Schedule) -> bool {
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

    /// The timetable for an assignment: the one schedule builder, in an order that realises what
    /// the formulation assumed (for the sequencing models, the model's start order with shorter
    /// tasks first on ties, so that a zero-length task goes before a task starting with it).
    fn sequence(
        inst: &Instance,
        f: Formulation,
        device_of: &[usize],
        starts: Option<&[f64]>,
    ) -> Result<Schedule, Error> {
        let n = inst.num_tasks();
        let mut order: Vec<usize> = (0..n).collect();
        match (f, starts) {
            (Formulation::Disjunctive | Formulation::TimeIndexed, Some(s)) => {
                order.sort_by(|&a, &b| {
                    s[a].total_cmp(&s[b])
                        .then(
                            inst.ptime(a, device_of[a])
                                .total_cmp(&inst.ptime(b, device_of[b])),
                        )
                        .then(a.cmp(&b))
                })
            }
            (Formulation::WeightedCompletion, _) => order = inst.smith_order(device_of),
            _ => order.sort_by(|&a, &b| {
                inst.task(a)
                    .release
                    .total_cmp(&inst.task(b).release)
                    .then(a.cmp(&b))
            }),
        }
        build(inst, &order, device_of)
    }

    /// Set HiGHS's options for a solve: threads, gap, time left, node limit, log, seed.
    fn configure(
        &self,
        hmodel: &mut highs::Model,
        options: &SolveOptions,
        started: Instant,
        rows: usize,
        size: &mut String,
    ) -> Result<(), Error> {
        let threads = highs_threads(options, size);
        set_option(hmodel, "threads", threads as i32)?;
        set_option(hmodel, "mip_rel_gap", self.mip_gap)?;
        set_option(hmodel, "mip_abs_gap", 1e-9)?;
        if let Some(limit) = options.time_limit {
            // HiGHS gets the time left less a margin of 5 % of the limit (at most 1 s): it stops
            // a little after its limit on large models, and the schedule is built afterwards.
            let margin = (0.05 * limit.as_secs_f64()).min(1.0);
            let left = limit.as_secs_f64() - started.elapsed().as_secs_f64() - margin;
            set_option(hmodel, "time_limit", left.max(0.0))?;
            // HiGHS's feasibility-jump heuristic does not look at the clock: on a 400k-row
            // disjunctive model HiGHS ran 17.8 s on a 10 s limit with it, 9.8 s without. Under a
            // time limit it is off (the warm start already gives a first solution).
            set_option(hmodel, "mip_heuristic_run_feasibility_jump", false)?;
        }
        // HiGHS's presolve checks the clock only between passes: on the 408k-row disjunctive
        // model of a 200-task cluster it ran 14.5 s on a 10 s limit with no bound, and 10.0 s
        // with the bound proven optimal later without it. So large models skip it.
        if rows > LARGE_MODEL_ROWS {
            set_option(hmodel, "presolve", "off")?;
            size.push_str("; presolve off (large model)");
        }
        if let Some(nodes) = self.max_nodes {
            set_option(hmodel, "mip_max_nodes", nodes.min(i32::MAX as u32) as i32)?;
        }
        if options.verbose {
            let _ = hmodel.try_set_option("output_flag", true);
            let _ = hmodel.try_set_option("log_to_console", true);
        }
        hmodel
            .try_set_option("random_seed", (options.seed % (i32::MAX as u64)) as i32)
            .ok();
        Ok(())
    }
}

/// The thread count HiGHS runs with in this process (the first one asked for; a note in `size`
/// when another is asked for later).
fn highs_threads(options: &SolveOptions, size: &mut String) -> u32 {
    let want = options.threads.unwrap_or(1).max(1) as u32;
    let threads = *HIGHS_THREADS.get_or_init(|| want);
    if threads != want {
        size.push_str(&format!(
            "; HiGHS already runs with {threads} thread(s) in this process, {want} ignored"
        ));
    }
    threads
}

/// Why the side constraints or capacities make the instance infeasible, as far as simple counting
/// can tell; HiGHS's proof covers the rest.
fn infeasibility_reason(inst: &Instance, milp: &Milp) -> String {
    let n = inst.num_tasks();
    let m = inst.num_devices();
    let mut reasons = Vec::new();
    for t in 0..n {
        let fits = inst.eligible(t).iter().any(|&d| {
            inst.device(d)
                .capacity
                .is_none_or(|c| inst.ptime(t, d) <= c)
        });
        if !fits {
            let caps: Vec<String> = inst
                .eligible(t)
                .iter()
                .map(|&d| {
                    format!(
                        "'{}' capacity {} < time {}",
                        inst.device(d).id,
                        inst.device(d).capacity.unwrap_or(f64::INFINITY),
                        inst.ptime(t, d)
                    )
                })
                .collect();
            reasons.push(format!(
                "task '{}' fits no device: {}",
                inst.task(t).id,
                caps.join(", ")
            ));
        }
    }
    if let Some(k) = milp.max_tasks
        && k.checked_mul(m).is_some_and(|cap| n > cap)
    {
        reasons.push(format!(
            "{n} tasks but at most {k} per device on {m} devices"
        ));
    }
    if reasons.is_empty() {
        let capped: Vec<String> = inst
            .devices()
            .iter()
            .filter_map(|d| d.capacity.map(|c| format!("'{}' ({c})", d.id)))
            .collect();
        if !capped.is_empty() {
            reasons.push(format!(
                "the tasks cannot be spread within the device capacities: {}",
                capped.join(", ")
            ));
        }
        if let Some(k) = milp.max_tasks {
            reasons.push(format!("at most {k} task(s) per device"));
        }
        if let Some(u) = milp.min_utilization {
            reasons.push(format!("mean utilization at least {u}"));
        }
    }
    if reasons.is_empty() {
        "HiGHS proved the model infeasible".into()
    } else {
        reasons.join("; ")
    }
}

impl Solver for Milp {
    fn name(&self) -> &'static str {
        "milp"
    }

    fn description(&self) -> &'static str {
        "exact MILP (good_lp + HiGHS): picks the formulation for the objective, proves bounds and gaps"
    }

    fn solve(&self, inst: &Instance, options: &SolveOptions) -> Result<SolveReport, Error> {
        let started = Instant::now();
        let requested = self.check_options(inst)?;
        let n = inst.num_tasks();
        let sequencing = requested
            .unwrap_or_else(|| Formulation::choose(inst, self.min_utilization))
            .sequences();
        let warm = self.warm_start(inst, options, sequencing);
        let upper_bound = warm.as_ref().map(|w| w.1);
        let mut plan = self.plan(inst, requested, upper_bound, true)?;
        if let Some(report) = self.branch_and_price(inst, &plan, warm.as_ref(), options, started) {
            return Ok(report);
        }
        self.reduce(inst, &mut plan, warm.as_ref(), options, started);
        let formulation = plan.formulation;
        let lagrange = plan.time_grid.as_ref().and_then(|tg| tg.lagrange.as_ref());
        let lagrange_bound = lagrange.map(|l| l.bound);
        // Improving schedules need value ≤ UB − 1 (integral) or ≤ UB: the model holds exactly
        // the cells they can use.
        let reduced_integral = lagrange.is_some_and(|l| l.integral);

        // The relaxation alone may prove the warm start optimal.
        if let (Some(b), Some((schedule, value, source))) = (lagrange_bound, &warm)
            && b >= value - 1e-9 * value.abs().max(1.0)
        {
            let mut report = SolveReport::feasible(self.name(), inst, schedule.clone(), started);
            report.status = Status::Optimal;
            report.bound = Some(b.min(*value));
            report.message = Some(format!(
                "formulation {formulation}: {}; warm start from {source}, proven optimal by the \
                 Lagrangian bound (HiGHS not needed)",
                plan.why.as_deref().unwrap_or("")
            ));
            return Ok(report);
        }

        let mut built = self.build(inst, &plan, warm.as_ref().map(|w| &w.0));
        let (rows, cols, ints) = (built.num_rows(), built.num_cols(), built.columns.integers);
        let mut size =
            format!("formulation {formulation}: {rows} rows, {cols} columns, {ints} integers");
        if let Some(why) = &plan.why {
            size.push_str(&format!(" ({why})"));
        }
        if let Some((_, _, source)) = &warm {
            size.push_str(&format!("; warm start from {source}"));
            if !built.warm_usable {
                size.push_str(" (outside the model's windows: not given to HiGHS)");
            }
        }
        // HiGHS's MIP set-up (root presolve, propagation, symmetry detection) does not watch the
        // clock. On a large model, when the time left is less than twice its expected length,
        // the warm start is returned without calling HiGHS.
        if let (Some(limit), Some((schedule, _, _)), true) =
            (options.time_limit, &warm, rows > LARGE_MODEL_ROWS)
        {
            let left = limit.as_secs_f64() - started.elapsed().as_secs_f64();
            let setup = rows as f64 * SETUP_SECONDS_PER_ROW;
            if left < 2.0 * setup {
                let mut report =
                    SolveReport::feasible(self.name(), inst, schedule.clone(), started);
                report.message = Some(format!(
                    "{size}; not handed to HiGHS: {left:.2} s left, and HiGHS needs about \
                     {setup:.2} s on a model this size before it first looks at the clock; the \
                     warm start is returned (give it at least {:.1} s more)",
                    2.0 * setup - left
                ));
                return Ok(report);
            }
        }
        let mut hmodel = to_highs(
            std::mem::take(&mut built.columns.vars),
            built.objective.clone(),
            std::mem::take(&mut built.constraints),
        )?;
        self.configure(&mut hmodel, options, started, rows, &mut size)?;
        if warm.is_some() && built.warm_usable {
            hmodel
                .try_set_solution(Some(&built.columns.warm), None, None, None)
                .map_err(|e| Error::Solve(format!("HiGHS refused the warm start: {e:?}")))?;
        }
        let solved = hmodel
            .try_solve()
            .map_err(|e| Error::Solve(format!("HiGHS failed: {e:?}")))?;
        let hstatus = solved.status();
        let has_incumbent = solved.primal_solution_status() == HighsSolutionStatus::Feasible;
        let bound = solved
            .double_info_value(c"mip_dual_bound")
            .ok()
            .filter(|b| b.is_finite())
            .map(|b| b + built.offset);
        let bound = match (bound, lagrange_bound) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let hgap = solved.mip_gap();
        let mut report = SolveReport {
            solver: self.name().into(),
            objective: inst.objective(),
            status: Status::Unknown,
            schedule: None,
            value: None,
            bound,
            seconds: 0.0,
            message: None,
        };

        match hstatus {
            // The reduced model holds every schedule of value ≤ UB − 1: none exists, so the
            // warm start (value UB) is optimal.
            HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible
                if reduced_integral && warm.is_some() =>
            {
                let (schedule, value, source) = warm.expect("checked");
                let mut report = SolveReport::feasible(self.name(), inst, schedule, started);
                report.status = Status::Optimal;
                report.bound = Some(value);
                report.message = Some(format!(
                    "{size}; HiGHS: no schedule better than the warm start (value {value}, from \
                     {source}) exists, which is therefore optimal"
                ));
                return Ok(report);
            }
            HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible => {
                report.status = Status::Infeasible;
                report.bound = None;
                report.message = Some(format!(
                    "{size}; infeasible: {}",
                    infeasibility_reason(inst, self)
                ));
                report.seconds = started.elapsed().as_secs_f64();
                return Ok(report);
            }
            HighsModelStatus::Optimal
            | HighsModelStatus::ReachedTimeLimit
            | HighsModelStatus::ReachedIterationLimit
            | HighsModelStatus::ReachedSolutionLimit
            | HighsModelStatus::ReachedInterrupt
            | HighsModelStatus::ReachedMemoryLimit
            | HighsModelStatus::ObjectiveBound
            | HighsModelStatus::ObjectiveTarget => {}
            other => {
                return Err(Error::Solve(format!(
                    "HiGHS ended with status {other:?} ({size})"
                )));
            }
        }

        // The MILP's schedule, if HiGHS has one.
        let mut milp_schedule = None;
        if has_incumbent {
            let sol = solved.get_solution();
            let (device_of, starts) = decode(&built, sol.columns(), n);
            match Self::sequence(inst, formulation, &device_of, starts.as_deref()) {
                Ok(s) => milp_schedule = Some(s),
                Err(e) => size.push_str(&format!(
                    "; the MILP's assignment could not be sequenced: {e}"
                )),
            }
        }

        // Keep the better of the MILP's schedule and the warm start: never worse than the warm start.
        let proven = hstatus == HighsModelStatus::Optimal;
        let candidates = milp_schedule
            .map(|s| {
                let v = s.value(inst);
                (s, v, "milp")
            })
            .into_iter()
            .chain(warm);
        let best = candidates.fold(None::<(Schedule, f64, &str)>, |acc, c| match acc {
            Some(a) if a.1 <= c.1 => Some(a),
            _ => Some(c),
        });
        let stop = match hstatus {
            HighsModelStatus::Optimal if hgap > self.mip_gap.max(1e-9) => "gap limit",
            HighsModelStatus::Optimal => "optimal",
            HighsModelStatus::ReachedTimeLimit => "time limit",
            HighsModelStatus::ReachedIterationLimit => "iteration limit",
            HighsModelStatus::ReachedSolutionLimit => "solution limit",
            HighsModelStatus::ReachedInterrupt => "interrupted",
            HighsModelStatus::ReachedMemoryLimit => "memory limit",
            _ => "objective bound reached",
        };
        report.seconds = started.elapsed().as_secs_f64();
        match best {
            Some((schedule, value, source)) => {
                // Optimal only when HiGHS proved it and the schedule reaches the proven bound
                // (a timetable worse than the model's value would be a modelling error: it is
                // then reported as feasible, not optimal).
                let tol = 1e-6 * value.abs().max(1.0);
                let at_bound = bound.is_none_or(|b| value <= b + tol);
                report.status = if proven && at_bound && hgap <= self.mip_gap.max(1e-9) {
                    Status::Optimal
                } else {
                    Status::Feasible
                };
                if let Some(b) = report.bound {
                    // A bound above the value can only come from tolerances: clamp it.
                    report.bound = Some(b.min(value));
                }
                report.value = Some(value);
                report.schedule = Some(schedule);
                report.message = Some(format!("{size}; HiGHS: {stop}; schedule from {source}"));
            }
            None => {
                report.status = Status::Unknown;
                report.message = Some(format!("{size}; HiGHS: {stop}, no schedule found"));
            }
        }
        Ok(report)
    }
}

/// The device of each task and, for the sequencing models, its start time, from the columns'
/// values.
fn decode(built: &Built, x: &[f64], n: usize) -> (Vec<usize>, Option<Vec<f64>>) {
    if let Some(layout) = &built.layout {
        let (device_of, starts) = layout.decode(x, n);
        return (device_of, Some(starts));
    }
    // x variables are the first columns, task-major.
    let mut col = 0;
    let mut device_of = vec![usize::MAX; n];
    for (t, row) in built.x.iter().enumerate() {
        let mut best = (f64::NEG_INFINITY, usize::MAX);
        for &(d, _) in row {
            if x[col] > best.0 {
                best = (x[col], d);
            }
            col += 1;
        }
        device_of[t] = best.1;
    }
    // Start variables (disjunctive model) come right after the x block, one per task.
    let starts = built
        .start
        .first()
        .and_then(|s| s.as_ref())
        .map(|_| (0..n).map(|t| x[col + t]).collect());
    (device_of, starts)
}
