//! Exact models: MILPs built with good_lp and solved by the embedded HiGHS.
//!
//! One solver, [`Milp`], picks the formulation that fits the instance (or the one asked for):
//!
//! | formulation | when | model |
//! |---|---|---|
//! | [`Formulation::Assignment`] | `assignment_cost`, `total_cost` | generalized assignment: costs do not depend on timing |
//! | [`Formulation::Makespan`] | `makespan`, no precedence, no release after any device's availability | R‖Cmax: min C, C ≥ a_d + load_d |
//! | [`Formulation::WeightedCompletion`] | `weighted_completion`, same conditions | R‖Σw·C with Smith's order fixed per device |
//! | [`Formulation::TimeIndexed`] | anything else without data transfers (with them when asked for), when the times lie on an exact grid of a size within the budget | x\[t,d,s\]: t starts on d at period s; capacity rows per period; transfers through cumulative rows |
//! | [`Formulation::Disjunctive`] | anything else, and by default every instance with data transfers | start times, order variables, big-M from the horizon; transfer delays linearised per edge |
//!
//! The MILP's assignment (and, for the sequencing models, its start order) goes through the one
//! schedule builder, so the returned timetable is feasible by construction and its value is
//! recomputed by the evaluator. The mathematics is in `docs/formulations.md`.

mod bound;
mod engine;
pub(crate) use engine::solve_lp;
mod formulation;
mod grid;
mod model;
mod plan;
mod price;
mod propagate;
mod size;
mod time_indexed;
mod transfers;

pub use bound::{LowerBound, lower_bound};
pub use formulation::Formulation;
pub use grid::{GridKind, OffGrid, exact_unit};

pub use plan::LAGRANGE_CELLS;

use super::{ProgressLog, SolveOptions, SolveReport, Solver, Status};
use crate::error::Error;
use crate::model::{Instance, Objective};
use crate::schedule::{Schedule, build};
use engine::{LARGE_MODEL_ROWS, SETUP_SECONDS_PER_ROW, decode, infeasibility_reason, to_highs};
use highs::{HighsModelStatus, HighsSolutionStatus};
use model::Side;
use plan::{Plan, Priced};
use propagate::Stop;
use std::time::Instant;

/// Share of the time limit that propagation and its search on a strict makespan model may take
/// (they stop there; the windows are valid whenever they stop). HiGHS gets the rest: on the 65
/// PSPLIB j30 instances propagation left open, a 0.9 share proved 3 in 10 s, a 0.3 share none.
const PROPAGATION_SHARE: f64 = 0.9;

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
        let plan = self.greedy_plan(inst)?;
        size::check(inst, plan.formulation)?;
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

    /// The plan of the model as it would be solved from the best greedy schedule (its value
    /// bounds the horizon), without reductions and without propagation.
    fn greedy_plan(&self, inst: &Instance) -> Result<Plan, Error> {
        let requested = self.check_options(inst)?;
        let warm = self.greedy_warm_start(inst);
        self.plan(
            inst,
            requested,
            warm.as_ref().map(|w| w.1),
            false,
            Stop::default(),
        )
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
        let log = ProgressLog::new(started);
        let mut report = self.solve_logged(inst, options, started, &log)?;
        log.finish(&mut report);
        // A relaxation's bound can fall below what any schedule has (the root bound of Σw·T on
        // OR-Library wt100 problem 25 was −25,139).
        if let (Some(b), Some(floor)) = (report.bound, inst.objective().floor()) {
            report.bound = Some(b.max(floor));
        }
        Ok(report)
    }
}

impl Milp {
    /// [`Solver::solve`], telling `log` the warm start's value and the propagation's bound (the
    /// HiGHS run in between reports only its end, which [`ProgressLog::finish`] adds).
    fn solve_logged(
        &self,
        inst: &Instance,
        options: &SolveOptions,
        started: Instant,
        log: &ProgressLog,
    ) -> Result<SolveReport, Error> {
        let requested = self.check_options(inst)?;
        let sequencing = requested
            .unwrap_or_else(|| Formulation::choose(inst, self.min_utilization))
            .sequences();
        let mut warm = self.warm_start(inst, options, sequencing);
        let propagation = Stop {
            deadline: options
                .time_limit
                .map(|l| started + l.mul_f64(PROPAGATION_SHARE)),
            cancel: options.cancel.as_ref(),
        };
        let mut plan = self.plan(
            inst,
            requested,
            warm.as_ref().map(|w| w.1),
            true,
            propagation,
        )?;
        if let Some(w) = &warm {
            log.value(w.1);
        }
        // A strict makespan model's search may find a shorter schedule: start again from it.
        while let Some(found) = plan.found.take() {
            let value = found.value(inst);
            if warm.as_ref().is_some_and(|w| value >= w.1) {
                break;
            }
            warm = Some((found, value, "propagation search"));
            log.value(value);
            plan = self.plan(inst, requested, Some(value), true, propagation)?;
        }
        if let (Some(why), Some((schedule, value, source))) = (&plan.refuted, &warm) {
            let mut report = SolveReport::feasible(self.name(), inst, schedule.clone(), started);
            report.status = Status::Optimal;
            report.bound = Some(*value);
            report.message = Some(format!(
                "formulation {}: {}; warm start from {source}, proven optimal by propagation \
                 (no schedule is one unit shorter: {why}; HiGHS not needed)",
                plan.formulation,
                plan.why.as_deref().unwrap_or("")
            ));
            return Ok(report);
        }
        match self.branch_and_price(inst, &plan, warm.as_ref(), options, started, true) {
            Some(Priced::Report(report)) => return Ok(report),
            Some(Priced::HandOff(root)) => {
                let tg = plan.time_grid.as_mut().expect("branch-and-price ran on it");
                let why = plan.why.get_or_insert_with(String::new);
                why.push_str(&format!(
                    "; column generation: root bound {}, {} of {} start columns kept, {}the \
                     rest to HiGHS",
                    root.bound + 0.0,
                    root.kept,
                    tg.cells.total,
                    if root.sequenced > 0 {
                        format!(
                            "backward sequencing undecided after {} nodes, ",
                            root.sequenced
                        )
                    } else {
                        String::new()
                    }
                ));
                tg.keep = Some(root.keep.clone());
                tg.lagrange = Some(root);
                let Some(limit) = options.time_limit else {
                    return self.solve_with_highs(inst, options, started, plan, warm);
                };
                // HiGHS gets 85 % of the time left (on wt40 it proved hand-offs in up to 47 s of
                // a 60 s limit); if it does not prove the optimum, the branch-and-price takes
                // the rest, from the better schedule.
                let half =
                    started.elapsed() + limit.saturating_sub(started.elapsed()).mul_f64(0.85);
                let first = SolveOptions {
                    time_limit: Some(half),
                    ..options.clone()
                };
                let by_highs = self.solve_with_highs(inst, &first, started, plan, warm.clone())?;
                if by_highs.status == Status::Optimal {
                    return Ok(by_highs);
                }
                return Ok(self.after_hand_off(inst, options, started, by_highs, warm));
            }
            None => self.reduce(inst, &mut plan, warm.as_ref(), options, started),
        }
        let destructive = plan.lower_bound;
        if let Some(b) = destructive {
            log.bound(b);
        }
        let mut report = self.solve_with_highs(inst, options, started, plan, warm)?;
        // Propagation's bound may beat HiGHS's (and prove the schedule optimal).
        if let (Some(b), Some(v)) = (destructive, report.value)
            && report.bound.is_none_or(|hb| b > hb)
        {
            report.bound = Some(b.min(v));
            if report.status == Status::Feasible && b >= v - 1e-9 * v.abs().max(1.0) {
                report.status = Status::Optimal;
            }
        }
        Ok(report)
    }
}

impl Milp {
    /// Branch-and-price for the time left after HiGHS did not prove a handed-off model optimal,
    /// from the better of its schedule and the warm start; the better bound of the two.
    fn after_hand_off(
        &self,
        inst: &Instance,
        options: &SolveOptions,
        started: Instant,
        by_highs: SolveReport,
        warm: Option<plan::Warm>,
    ) -> SolveReport {
        let start: Option<plan::Warm> = match (&by_highs.schedule, by_highs.value, &warm) {
            (Some(s), Some(v), Some(w)) if v < w.1 => Some((s.clone(), v, "milp")),
            _ => warm,
        };
        let Ok(plan) = self.plan(
            inst,
            self.formulation,
            start.as_ref().map(|w| w.1),
            true,
            Stop::default(),
        ) else {
            return by_highs;
        };
        let Some(Priced::Report(mut report)) =
            self.branch_and_price(inst, &plan, start.as_ref(), options, started, false)
        else {
            return by_highs;
        };
        report.bound = match (report.bound, by_highs.bound) {
            (Some(a), Some(b)) => Some(a.max(b).min(report.value.unwrap_or(f64::INFINITY))),
            (a, b) => a.or(b),
        };
        if report.status != Status::Optimal
            && report
                .bound
                .zip(report.value)
                .is_some_and(|(b, v)| b >= v - 1e-6 * v.abs().max(1.0))
        {
            report.status = Status::Optimal;
        }
        report.message = Some(format!(
            "{}; then, for the time left: {}",
            by_highs.message.unwrap_or_default(),
            report.message.unwrap_or_default()
        ));
        report
    }

    /// Build the model of `plan` and solve it with HiGHS (the general path).
    fn solve_with_highs(
        &self,
        inst: &Instance,
        options: &SolveOptions,
        started: Instant,
        plan: plan::Plan,
        warm: Option<plan::Warm>,
    ) -> Result<SolveReport, Error> {
        let n = inst.num_tasks();
        let formulation = plan.formulation;
        let lagrange = plan.time_grid.as_ref().and_then(|tg| tg.lagrange.as_ref());
        let lagrange_bound = lagrange.map(|l| l.bound);
        // Improving schedules need value ≤ UB − 1 (integral) or ≤ UB: the model holds exactly
        // the cells they can use.
        let reduced_integral = lagrange.is_some_and(|l| l.integral) || plan.strict;
        let unit = plan.time_grid.as_ref().map(|tg| tg.grid.unit);
        let strict = plan.strict;

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

        size::check(inst, formulation)?;
        // Building the model does not watch the clock either: when it would take more than half
        // the time left (and more than 0.1 s: a small model is built in no time), the warm start
        // is returned without building.
        if let (Some(limit), Some((schedule, _, source)), false) = (
            options.time_limit,
            &warm,
            formulation == Formulation::TimeIndexed,
        ) {
            let left = limit.as_secs_f64() - started.elapsed().as_secs_f64();
            let nonzeros = size::nonzeros(inst, formulation);
            let build = nonzeros as f64 * size::BUILD_SECONDS_PER_NONZERO;
            if build > 0.1 && build > 0.5 * left {
                let mut report =
                    SolveReport::feasible(self.name(), inst, schedule.clone(), started);
                report.message = Some(format!(
                    "formulation {formulation}: not built: about {nonzeros} nonzeros, about \
                     {build:.1} s to build with {left:.2} s left; the warm start from {source} \
                     is returned (give it at least {:.1} s more)",
                    2.0 * build - left
                ));
                return Ok(report);
            }
        }
        let build_started = Instant::now();
        let mut built = self.build(inst, &plan, warm.as_ref().map(|w| &w.0));
        let build_seconds = build_started.elapsed().as_secs_f64();
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
        let shared = std::cell::Cell::new((0_usize, 0_usize));
        let mut hooks = engine::Hooks::new(options);
        if let Some(x) = &options.exchange {
            hooks.improved = Some(Box::new(|value, columns| {
                if value + built.offset >= x.best_value() {
                    return;
                }
                let (device_of, starts) = decode(&built, columns, n);
                if let Ok(s) = Self::sequence(inst, formulation, &device_of, starts.as_deref()) {
                    let v = s.value(inst);
                    if x.offer("milp", v, || Some(s)) {
                        let (given, taken) = shared.get();
                        shared.set((given + 1, taken));
                    }
                }
            }));
        }
        // Rebuilding the model for a schedule's column values costs what the first build did:
        // not on models that took over 0.2 s, and at most every 20 builds' time.
        if let Some(x) = &options.exchange
            && build_seconds <= 0.2
        {
            let mut seen = 0;
            let mut last: Option<Instant> = None;
            let every = (20.0 * build_seconds).max(0.2);
            let (shared, plan) = (&shared, &plan);
            hooks.external = Some(Box::new(move |primal| {
                let tol = 1e-9 * primal.abs().max(1.0);
                if x.best_value() >= primal - tol
                    || last.is_some_and(|l| l.elapsed().as_secs_f64() < every)
                {
                    return None;
                }
                let (version, found) = x.newer(seen)?;
                seen = version;
                if found.from == "milp" {
                    return None;
                }
                last = Some(Instant::now());
                let built = self.build(inst, plan, Some(&found.schedule));
                if !built.warm_usable {
                    return None;
                }
                let (given, taken) = shared.get();
                shared.set((given, taken + 1));
                Some(built.columns.warm)
            }));
        }
        engine::set_hooks(&mut hmodel, &mut hooks);
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
        // On an exact grid every makespan is a multiple of the unit: round the bound up.
        let bound = match (bound, unit) {
            (Some(b), Some(u)) if inst.objective() == Objective::Makespan => {
                Some((b / u - 1e-6).ceil() * u)
            }
            (b, _) => b,
        };
        let hgap = solved.mip_gap();
        drop(hooks);
        if options.exchange.is_some() {
            let (given, taken) = shared.get();
            size.push_str(&format!(
                "; exchange: {given} incumbents offered, {taken} schedules handed to HiGHS"
            ));
        }
        let mut report = SolveReport {
            solver: self.name().into(),
            objective: inst.objective(),
            status: Status::Unknown,
            schedule: None,
            value: None,
            bound,
            seconds: 0.0,
            message: None,
            progress: Vec::new(),
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
                // A strict model's bound (no schedule in it below b) proves the warm start when
                // b reaches its value: nothing shorter exists.
                let strict_proof =
                    strict && source != "milp" && bound.is_some_and(|b| b >= value - tol);
                report.status =
                    if (proven && at_bound && hgap <= self.mip_gap.max(1e-9)) || strict_proof {
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
