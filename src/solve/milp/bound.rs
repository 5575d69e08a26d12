//! Lower bounds from LP relaxations. The time-indexed model's relaxation is strong for Σw·C and
//! Σw·T, where the big-M model's is near 0; [`lower_bound`] computes it on an exact grid when the
//! instance has one of a size within the budget, else on a coarser grid with the times rounded
//! down (still a valid bound).

use super::engine::{highs_threads, set_option, to_highs};
use super::grid::{self, Cells, Grid, GridKind, Horizon};
use super::plan::{LAGRANGE_ITERATIONS, Plan};
use super::{Milp, exact_unit, price, time_indexed};
use crate::error::Error;
use crate::model::Instance;
use crate::model::Objective;
use crate::schedule::Schedule;
use crate::solve::SolveOptions;
use crate::solve::greedy::BestGreedy;
use highs::HighsModelStatus;
use std::time::Instant;

/// A proven lower bound on the optimum, and how it was obtained.
#[derive(Debug, Clone, PartialEq)]
pub struct LowerBound {
    /// The bound.
    pub value: f64,
    /// How: the model relaxed, its grid, its size.
    pub method: String,
    /// Seconds spent (model build and LP).
    pub seconds: f64,
}

/// Solve the LP relaxation of a HiGHS model; `None` when it did not finish within the time.
fn solve_relaxation(
    mut hmodel: highs::Model,
    options: &SolveOptions,
    started: Instant,
) -> Result<Option<f64>, Error> {
    let mut note = String::new();
    set_option(
        &mut hmodel,
        "threads",
        highs_threads(options, &mut note) as i32,
    )?;
    set_option(&mut hmodel, "solve_relaxation", true)?;
    if let Some(limit) = options.time_limit {
        let left = limit.as_secs_f64() - started.elapsed().as_secs_f64();
        set_option(&mut hmodel, "time_limit", left.max(0.0))?;
    }
    if options.verbose {
        let _ = hmodel.try_set_option("output_flag", true);
        let _ = hmodel.try_set_option("log_to_console", true);
    }
    let mut hooks = super::engine::Hooks::new(options);
    super::engine::set_hooks(&mut hmodel, &mut hooks);
    let solved = hmodel
        .try_solve()
        .map_err(|e| Error::Solve(format!("HiGHS failed on the LP relaxation: {e:?}")))?;
    Ok((solved.status() == HighsModelStatus::Optimal).then(|| solved.objective_value()))
}

impl Milp {
    /// The LP relaxation of the model [`crate::Solver::solve`] would build for `inst` (the same
    /// formulation, with the best greedy schedule's value bounding a time-indexed horizon): a
    /// lower bound, or `None` when HiGHS did not solve it within `options.time_limit`.
    ///
    /// ```
    /// use hetsched::solve::milp::{Formulation, Milp};
    /// use hetsched::SolveOptions;
    /// let inst = hetsched::io::read_instance("instances/examples/ai-cluster.json").unwrap();
    /// let ti = Milp::default().relaxation(&inst, &SolveOptions::default()).unwrap().unwrap();
    /// let big_m = Milp { formulation: Some(Formulation::Disjunctive), ..Milp::default() }
    ///     .relaxation(&inst, &SolveOptions::default()).unwrap().unwrap();
    /// assert!(ti.value >= big_m.value);
    /// ```
    pub fn relaxation(
        &self,
        inst: &Instance,
        options: &SolveOptions,
    ) -> Result<Option<LowerBound>, Error> {
        let started = Instant::now();
        let plan: Plan = self.greedy_plan(inst)?;
        let built = self.build(inst, &plan, None);
        let offset = built.offset;
        let method = format!(
            "LP relaxation of the {} model ({} rows, {} columns{})",
            plan.formulation,
            built.num_rows(),
            built.num_cols(),
            plan.why
                .as_ref()
                .map_or(String::new(), |w| format!("; {w}"))
        );
        let hmodel = to_highs(built.columns.vars, built.objective, built.constraints)?;
        Ok(
            solve_relaxation(hmodel, options, started)?.map(|v| LowerBound {
                value: v + offset,
                method,
                seconds: started.elapsed().as_secs_f64(),
            }),
        )
    }
}

/// A lower bound on the optimum of `inst` from the time-indexed model, on the finest grid whose
/// model has at most `budget` start columns: the exact grid when the instance has one that fits,
/// else a coarser grid with times rounded down. For the objectives that are sums over tasks
/// (Σw·C, Σw·T, costs) the bound is its Lagrangian relaxation's (the LP bound without the
/// precedence and budget rows, reached by subgradient steps in a fraction of the simplex
/// method's time); for makespan, its LP relaxation's. `known`, a feasible schedule (the best
/// greedy one when `None`), narrows the windows and starts the column generation. `None` when
/// the relaxation did not finish within `options.time_limit`.
///
/// ```
/// use hetsched::solve::milp::lower_bound;
/// use hetsched::SolveOptions;
/// let inst = hetsched::io::read_instance("instances/examples/ai-cluster.json").unwrap();
/// let b = lower_bound(&inst, None, 100_000, &SolveOptions::default()).unwrap().unwrap();
/// assert!(b.value > 1700.0 && b.value <= 1791.0 && b.method.contains("time-indexed"));
/// ```
pub fn lower_bound(
    inst: &Instance,
    known: Option<&Schedule>,
    budget: u64,
    options: &SolveOptions,
) -> Result<Option<LowerBound>, Error> {
    let started = Instant::now();
    let greedy = BestGreedy::best(inst).ok();
    let exact = exact_unit(inst).ok();
    // Inexact data: start from a power of ten near the shortest positive time.
    let first_unit = exact.unwrap_or_else(|| {
        let shortest = (0..inst.num_tasks())
            .flat_map(|t| inst.eligible(t).iter().map(move |&d| inst.ptime(t, d)))
            .filter(|&p| p > 0.0)
            .fold(f64::INFINITY, f64::min);
        if shortest.is_finite() {
            10f64.powf(shortest.log10().floor())
        } else {
            1.0
        }
    });
    let known = known.or(greedy.as_ref().map(|g| &g.1));
    let upper_bound = known.map(|s| s.value(inst));
    let horizon = Horizon {
        upper_bound,
        move_free_tasks_last: true,
    };
    let mut unit = first_unit;
    let (grid, windows, cells) = loop {
        let grid = Grid::new(inst, unit);
        let windows = grid::windows(inst, &grid, horizon);
        let cells = windows.cells(&grid, inst);
        if cells <= budget || unit > 1e15 {
            break (grid, windows, cells);
        }
        unit *= 2.0;
    };
    if cells > budget {
        return Ok(None);
    }
    let cells = Cells::new(inst, &grid, &windows);
    let what = format!(
        "{} grid of unit {} ({} start columns)",
        match grid.kind {
            GridKind::Exact => "exact",
            GridKind::RoundedDown => "rounded-down",
        },
        grid.unit,
        cells.total
    );
    // The column generation's paths run one task at a time: shared devices take the LP.
    if let (Some(ub), Some(known), false) = (
        upper_bound,
        known,
        inst.objective() == Objective::Makespan || inst.has_sharing(),
    ) {
        let deadline = options.time_limit.map(|l| started + l);
        let Some(outcome) = price::master::relax(
            inst,
            &grid,
            &cells,
            &grid.cells_of(known),
            ub,
            None,
            deadline,
            LAGRANGE_ITERATIONS,
        ) else {
            return Ok(None);
        };
        return Ok(Some(LowerBound {
            value: outcome.bound.min(ub),
            method: format!(
                "time-indexed Lagrangian relaxation ({} iterations), {what}",
                outcome.iterations
            ),
            seconds: started.elapsed().as_secs_f64(),
        }));
    }
    let built = time_indexed::build(inst, &grid, &cells, None, Default::default(), None);
    let hmodel = to_highs(built.columns.vars, built.objective, built.constraints)?;
    Ok(
        solve_relaxation(hmodel, options, started)?.map(|v| LowerBound {
            value: v,
            method: format!("time-indexed LP relaxation, {what}"),
            seconds: started.elapsed().as_secs_f64(),
        }),
    )
}
