//! Handing models to HiGHS: options, the process-wide thread count, reading the answer back.

use super::Milp;
use super::model::Built;
use crate::error::Error;
use crate::model::Instance;
use crate::solve::{Cancel, SolveOptions};
use good_lp::{SolverModel, highs};
use std::sync::OnceLock;
use std::time::Instant;

/// HiGHS fixes its thread count on the first solve of a process; every later solve must use the
/// same count. This holds the count chosen first.
pub(super) static HIGHS_THREADS: OnceLock<u32> = OnceLock::new();

/// Models with more rows than this are solved without HiGHS's presolve (see [`Milp`]'s solve).
pub(super) const LARGE_MODEL_ROWS: usize = 100_000;

/// HiGHS's MIP set-up time per model row before it first checks its time limit, measured on
/// these 2-core machines: 2–4 s for the 408k-row model of a 200-task, 16-device cluster.
pub(super) const SETUP_SECONDS_PER_ROW: f64 = 1e-5;

/// Set a HiGHS option, naming it in the error.
pub(super) fn set_option<V: highs::HighsOptionValue>(
    model: &mut highs::Model,
    name: &str,
    value: V,
) -> Result<(), Error> {
    model
        .try_set_option(name, value)
        .map_err(|e| Error::Solve(format!("HiGHS option {name}: {e:?}")))
}

/// Hears each new incumbent: its objective value (without the model's offset) and column values.
pub(super) type Improved<'a> = Box<dyn FnMut(f64, &[f64]) + 'a>;

/// Asked, with HiGHS's incumbent value (infinite when it has none), for a better solution: its
/// column values, or nothing.
pub(super) type External<'a> = Box<dyn FnMut(f64) -> Option<Vec<f64>> + 'a>;

/// What HiGHS's callbacks do during one solve ([`set_hooks`]).
pub(super) struct Hooks<'a> {
    /// Interrupt HiGHS once this is cancelled.
    pub cancel: Option<&'a Cancel>,
    /// Told each new incumbent.
    pub improved: Option<Improved<'a>>,
    /// Asked for a better solution.
    pub external: Option<External<'a>>,
}

impl<'a> Hooks<'a> {
    /// Interrupts when `options.cancel` is cancelled (HiGHS then ends with status
    /// "interrupted", keeping its incumbent and bound), nothing else.
    pub fn new(options: &'a SolveOptions) -> Self {
        Hooks {
            cancel: options.cancel.as_ref(),
            improved: None,
            external: None,
        }
    }
}

/// Register `hooks` with HiGHS: interrupts on cancellation, and, when set, incumbents told and
/// external solutions taken. `hooks` must stay where it is until the solve returns (HiGHS holds a
/// pointer to it and calls it from the solving thread only).
pub(super) fn set_hooks(model: &mut highs::Model, hooks: &mut Hooks<'_>) {
    use highs_sys::{HighsCallbackDataIn, HighsCallbackDataOut};
    use std::ffi::{c_char, c_int, c_void};

    unsafe extern "C" fn call(
        kind: c_int,
        _message: *const c_char,
        out: *const HighsCallbackDataOut,
        data_in: *mut HighsCallbackDataIn,
        user: *mut c_void,
    ) {
        // SAFETY: `user` is the `Hooks` registered below, alive and not otherwise borrowed for
        // the whole solve; HiGHS passes its own output and input records (or null), and calls
        // back from the solving thread only.
        unsafe {
            if user.is_null() || data_in.is_null() {
                return;
            }
            let hooks = &mut *(user as *mut Hooks<'_>);
            let kind = kind as u32;
            if kind == highs_sys::kHighsCallbackMipImprovingSolution as u32 {
                if let (Some(f), false) = (&mut hooks.improved, out.is_null()) {
                    let out = &*out;
                    if !out.mip_solution.is_null() && out.mip_solution_size > 0 {
                        let x = std::slice::from_raw_parts(
                            out.mip_solution,
                            out.mip_solution_size as usize,
                        );
                        f(out.objective_function_value, x);
                    }
                }
            } else if kind == highs_sys::kHighsCallbackCallbackMipUserSolution as u32 {
                if let (Some(f), false) = (&mut hooks.external, out.is_null()) {
                    let primal = (*out).mip_primal_bound;
                    let primal = if primal.is_finite() {
                        primal
                    } else {
                        f64::INFINITY
                    };
                    if let Some(x) = f(primal) {
                        // HiGHS copies the values into its own buffer; its C wrapper then
                        // reads `user_has_solution` back from this record, so set it too.
                        let status = highs_sys::Highs_setCallbackSolution(
                            data_in,
                            x.len() as highs_sys::HighsInt,
                            x.as_ptr(),
                        );
                        if status == highs_sys::kHighsStatusOk {
                            (*data_in).user_has_solution = 1;
                        }
                    }
                }
            } else if hooks.cancel.is_some_and(Cancel::is_cancelled) {
                (*data_in).user_interrupt = 1;
            }
        }
    }

    // SAFETY: the model pointer is valid while `model` is; `hooks` outlives the solve (see
    // above).
    unsafe {
        let highs = model.as_mut_ptr();
        highs_sys::Highs_setCallback(highs, Some(call), hooks as *mut Hooks<'_> as *mut c_void);
        let mut kinds = vec![];
        if hooks.cancel.is_some() {
            kinds.extend([
                highs_sys::kHighsCallbackMipInterrupt,
                highs_sys::kHighsCallbackSimplexInterrupt,
                highs_sys::kHighsCallbackIpmInterrupt,
            ]);
        }
        if hooks.improved.is_some() {
            kinds.push(highs_sys::kHighsCallbackMipImprovingSolution);
        }
        if hooks.external.is_some() {
            kinds.push(highs_sys::kHighsCallbackCallbackMipUserSolution);
        }
        for kind in kinds {
            highs_sys::Highs_startCallback(highs, kind);
        }
    }
}

/// Hand a good_lp model to HiGHS (without solving it).
pub(super) fn to_highs(
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
    /// Set HiGHS's options for a solve: threads, gap, time left, node limit, log, seed.
    pub(super) fn configure(
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
            // The presolve of the sub-MIP that HiGHS's RENS heuristic builds at the root does
            // not look at the clock: node-limited 1 s solves (the local search's exact steps) on
            // hcsp 4096 × 128 A.u_i_lolo stayed in it for more than ten minutes, twice, once
            // with RENS already off above 150,000 columns. Node-limited solves under a time
            // limit run without RENS.
            if options.time_limit.is_some() {
                set_option(hmodel, "mip_heuristic_run_rens", false)?;
                size.push_str("; RENS off (node-limited)");
            }
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
pub(super) fn highs_threads(options: &SolveOptions, size: &mut String) -> u32 {
    let want = options.threads.unwrap_or(1).max(1) as u32;
    let threads = *HIGHS_THREADS.get_or_init(|| want);
    if threads != want {
        size.push_str(&format!(
            "; HiGHS already runs with {threads} thread(s) in this process, {want} ignored"
        ));
    }
    threads
}

/// Solve a linear program (no integer variables) with HiGHS, on the process's HiGHS thread
/// count (one unless a solve chose another first), for other modules' small LPs.
pub(crate) fn solve_lp(
    vars: good_lp::ProblemVariables,
    objective: good_lp::Expression,
    maximise: bool,
    constraints: Vec<good_lp::Constraint>,
) -> Result<impl good_lp::Solution, Error> {
    let threads = *HIGHS_THREADS.get_or_init(|| 1);
    let mut problem = if maximise {
        vars.maximise(objective).using(highs)
    } else {
        vars.minimise(objective).using(highs)
    };
    problem = problem.set_threads(threads);
    for c in constraints {
        problem.add_constraint(c);
    }
    problem
        .solve()
        .map_err(|e| Error::Solve(format!("HiGHS: {e}")))
}

/// Why the side constraints or capacities make the instance infeasible, as far as simple counting
/// can tell; HiGHS's proof covers the rest.
pub(super) fn infeasibility_reason(inst: &Instance, milp: &Milp) -> String {
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

/// The device of each task and, for the sequencing models, its start time, from the columns'
/// values.
pub(super) fn decode(built: &Built, x: &[f64], n: usize) -> (Vec<usize>, Option<Vec<f64>>) {
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
