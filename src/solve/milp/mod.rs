//! Exact models: MILPs built with good_lp and solved by the embedded HiGHS.
//!
//! One solver, [`Milp`], picks the formulation that fits the instance (or the one asked for):
//!
//! | formulation | when | model |
//! |---|---|---|
//! | [`Formulation::Assignment`] | `assignment_cost`, `total_cost` | generalized assignment: costs do not depend on timing |
//! | [`Formulation::Makespan`] | `makespan`, no precedence, no release after any device's availability | R‖Cmax: min C, C ≥ a_d + load_d |
//! | [`Formulation::WeightedCompletion`] | `weighted_completion`, same conditions | R‖Σw·C with Smith's order fixed per device |
//! | [`Formulation::Disjunctive`] | anything else | start times, order variables, big-M from the horizon |
//!
//! The MILP's assignment (and, for the disjunctive model, its start order) goes through the one
//! schedule builder, so the returned timetable is feasible by construction and its value is
//! recomputed by the evaluator. The mathematics is in `docs/formulations.md`.

mod model;

use super::greedy::BestGreedy;
use super::{SolveOptions, SolveReport, Solver, Status};
use crate::error::Error;
use crate::model::{Instance, Objective};
use crate::schedule::{Schedule, build};
use good_lp::{SolverModel, highs};
use highs::{HighsModelStatus, HighsSolutionStatus};
use model::Side;
use std::fmt;
use std::sync::OnceLock;
use std::time::Instant;

/// The MILP formulations (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Formulation {
    /// Generalized assignment, for cost objectives.
    Assignment,
    /// Makespan on unrelated devices without releases or precedence.
    Makespan,
    /// Σ w·C on unrelated devices without releases or precedence (Smith's order per device).
    WeightedCompletion,
    /// General sequencing model with start times and disjunctive big-M constraints.
    Disjunctive,
}

impl Formulation {
    /// Every formulation.
    pub const ALL: [Formulation; 4] = [
        Formulation::Assignment,
        Formulation::Makespan,
        Formulation::WeightedCompletion,
        Formulation::Disjunctive,
    ];

    /// Name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Formulation::Assignment => "assignment",
            Formulation::Makespan => "makespan",
            Formulation::WeightedCompletion => "weighted-completion",
            Formulation::Disjunctive => "disjunctive",
        }
    }

    /// The formulation [`Milp`] uses for `inst` when none is asked for.
    pub fn choose(inst: &Instance, min_utilization: Option<f64>) -> Formulation {
        let simple = inst.is_independent();
        match inst.objective() {
            Objective::AssignmentCost | Objective::TotalCost
                if min_utilization.is_none() || simple =>
            {
                Formulation::Assignment
            }
            Objective::Makespan if simple => Formulation::Makespan,
            Objective::WeightedCompletion if simple && min_utilization.is_none() => {
                Formulation::WeightedCompletion
            }
            _ => Formulation::Disjunctive,
        }
    }

    /// Why this formulation cannot model `inst` exactly, if it cannot.
    pub fn unfit_reason(self, inst: &Instance, min_utilization: Option<f64>) -> Option<String> {
        let obj = inst.objective();
        match self {
            Formulation::Assignment => {
                if !matches!(obj, Objective::AssignmentCost | Objective::TotalCost) {
                    return Some(format!(
                        "the assignment formulation handles assignment_cost and total_cost, not {obj}"
                    ));
                }
                if min_utilization.is_some() && !inst.is_independent() {
                    return Some("a minimum utilization with releases or precedence needs the disjunctive formulation".into());
                }
                None
            }
            Formulation::Makespan | Formulation::WeightedCompletion => {
                let want = if self == Formulation::Makespan {
                    Objective::Makespan
                } else {
                    Objective::WeightedCompletion
                };
                if obj != want {
                    return Some(format!(
                        "the {} formulation handles {want}, not {obj}",
                        self.name()
                    ));
                }
                if !inst.is_independent() {
                    return Some(format!(
                        "the {} formulation needs no precedence and no release after a device becomes available",
                        self.name()
                    ));
                }
                if self == Formulation::WeightedCompletion && min_utilization.is_some() {
                    return Some("a minimum utilization needs the disjunctive formulation for weighted_completion".into());
                }
                None
            }
            Formulation::Disjunctive => None,
        }
    }
}

impl fmt::Display for Formulation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Formulation {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let norm = s.trim().to_ascii_lowercase().replace('_', "-");
        Formulation::ALL
            .into_iter()
            .find(|f| f.name() == norm)
            .ok_or_else(|| {
                format!(
                    "unknown formulation '{s}' (expected assignment, makespan, weighted-completion or disjunctive)"
                )
            })
    }
}

/// A solver that accepts a relative MIP gap at which it may stop.
pub trait WithMipGap: Sized {
    /// Stop once (value − bound) / value ≤ `gap` (0 proves optimality).
    fn with_mip_gap(self, gap: f64) -> Self;
}

/// A solver that can start from a known feasible schedule.
pub trait WithWarmStart: Sized {
    /// Start from the best greedy schedule (`true`, the default) or from nothing.
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
    /// Formulation to use (`None`: chosen by [`Formulation::choose`]).
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
}

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

impl Milp {
    /// Build the model [`Solver::solve`] would solve and hand it to HiGHS, without solving it
    /// (and without a warm start): its formulation and size. What `cargo bench --bench milp`
    /// times as model build time.
    ///
    /// ```
    /// use hetsched::solve::milp::{Formulation, Milp};
    /// let inst = hetsched::io::read_instance("instances/examples/ai-cluster.json").unwrap();
    /// let size = Milp::default().build_model(&inst).unwrap();
    /// assert_eq!(size.formulation, Formulation::Disjunctive);
    /// assert!(size.integers > 0 && size.rows > 0);
    /// ```
    pub fn build_model(&self, inst: &Instance) -> Result<ModelSize, Error> {
        let formulation = self.check_options(inst)?;
        let built = model::build(inst, formulation, self.side(), None);
        let size = ModelSize {
            formulation,
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

    fn check_options(&self, inst: &Instance) -> Result<Formulation, Error> {
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
        let f = self
            .formulation
            .unwrap_or_else(|| Formulation::choose(inst, self.min_utilization));
        if let Some(why) = f.unfit_reason(inst, self.min_utilization) {
            return Err(Error::Usage(why));
        }
        Ok(f)
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
    /// the formulation assumed.
    fn sequence(
        inst: &Instance,
        f: Formulation,
        device_of: &[usize],
        starts: Option<&[f64]>,
    ) -> Result<Schedule, Error> {
        let n = inst.num_tasks();
        let mut order: Vec<usize> = (0..n).collect();
        match (f, starts) {
            (Formulation::Disjunctive, Some(s)) => order.sort_by(|&a, &b| {
                s[a].total_cmp(&s[b])
                    .then(
                        inst.ptime(a, device_of[a])
                            .total_cmp(&inst.ptime(b, device_of[b])),
                    )
                    .then(a.cmp(&b))
            }),
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
        let formulation = self.check_options(inst)?;
        let n = inst.num_tasks();

        // Warm start: the best greedy schedule, when it meets the side constraints.
        let warm = if let (true, Some(s)) = (self.warm_start, &self.initial) {
            Some((s.clone(), s.value(inst)))
                .filter(|(s, _)| s.violations(inst).is_empty() && self.meets_side(inst, s))
        } else if self.warm_start {
            BestGreedy::best(inst)
                .ok()
                .map(|(_, s, v)| (s, v))
                .filter(|(s, _)| self.meets_side(inst, s))
        } else {
            None
        };

        let built = model::build(inst, formulation, self.side(), warm.as_ref().map(|w| &w.0));
        let (rows, cols, ints) = (built.num_rows(), built.num_cols(), built.columns.integers);
        let mut size =
            format!("formulation {formulation}: {rows} rows, {cols} columns, {ints} integers");
        // HiGHS's MIP set-up (root presolve, propagation, symmetry detection) does not watch the
        // clock. On a large model, when the time left is less than twice its expected length,
        // the warm start is returned without calling HiGHS.
        if let (Some(limit), Some((schedule, _)), true) =
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
            built.columns.vars,
            built.objective.clone(),
            built.constraints,
        )?;

        let want_threads = options.threads.unwrap_or(1).max(1) as u32;
        let threads = *HIGHS_THREADS.get_or_init(|| want_threads);
        if threads != want_threads {
            size.push_str(&format!(
                "; HiGHS already runs with {threads} thread(s) in this process, {want_threads} ignored"
            ));
        }
        set_option(&mut hmodel, "threads", threads as i32)?;
        set_option(&mut hmodel, "mip_rel_gap", self.mip_gap)?;
        set_option(&mut hmodel, "mip_abs_gap", 1e-9)?;
        if let Some(limit) = options.time_limit {
            // HiGHS gets the time left less a margin of 5 % of the limit (at most 1 s): it stops
            // a little after its limit on large models, and the schedule is built afterwards.
            let margin = (0.05 * limit.as_secs_f64()).min(1.0);
            let left = limit.as_secs_f64() - started.elapsed().as_secs_f64() - margin;
            set_option(&mut hmodel, "time_limit", left.max(0.0))?;
            // HiGHS's feasibility-jump heuristic does not look at the clock: on a 400k-row
            // disjunctive model HiGHS ran 17.8 s on a 10 s limit with it, 9.8 s without. Under a
            // time limit it is off (the warm start already gives a first solution).
            set_option(&mut hmodel, "mip_heuristic_run_feasibility_jump", false)?;
        }
        // HiGHS's presolve checks the clock only between passes: on the 408k-row disjunctive
        // model of a 200-task cluster it ran 14.5 s on a 10 s limit with no bound, and 10.0 s
        // with the bound proven optimal later without it. So large models skip it.
        if rows > LARGE_MODEL_ROWS {
            set_option(&mut hmodel, "presolve", "off")?;
            size.push_str("; presolve off (large model)");
        }
        if let Some(nodes) = self.max_nodes {
            set_option(
                &mut hmodel,
                "mip_max_nodes",
                nodes.min(i32::MAX as u32) as i32,
            )?;
        }
        if options.verbose {
            let _ = hmodel.try_set_option("output_flag", true);
            let _ = hmodel.try_set_option("log_to_console", true);
        }
        hmodel
            .try_set_option("random_seed", (options.seed % (i32::MAX as u64)) as i32)
            .ok();
        if warm.is_some() {
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
            let x = sol.columns();
            let var_col = column_lookup(&built.x, n);
            let mut device_of = vec![usize::MAX; n];
            for t in 0..n {
                let mut best = (f64::NEG_INFINITY, usize::MAX);
                for (k, &(d, _)) in built.x[t].iter().enumerate() {
                    let v = x[var_col[t] + k];
                    if v > best.0 {
                        best = (v, d);
                    }
                }
                device_of[t] = best.1;
            }
            let starts: Option<Vec<f64>> = built.start.first().and_then(|s| s.as_ref()).map(|_| {
                // Start variables come right after the x block, one per task.
                let first = var_col[n];
                (0..n).map(|t| x[first + t]).collect()
            });
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
            .chain(warm.map(|(s, v)| (s, v, "warm start")));
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
                // Optimal only when HiGHS proved it and the schedule reaches the proven bound.
                let tol = 1e-6 * value.abs().max(1.0);
                let at_bound = bound.is_some_and(|b| value <= b + tol);
                report.status = if proven
                    && (self.mip_gap == 0.0 || at_bound)
                    && hgap <= self.mip_gap.max(1e-9)
                {
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

/// First column of each task's x block (x variables are the first columns, task-major); entry n
/// is the first column after the x block.
fn column_lookup(x: &[Vec<(usize, good_lp::Variable)>], n: usize) -> Vec<usize> {
    let mut out = Vec::with_capacity(n + 1);
    let mut k = 0;
    for row in x {
        out.push(k);
        k += row.len();
    }
    out.push(k);
    out
}
