use crate::Outcome;
use anyhow::Result;
use hetsched::io::ScheduleFile;
use hetsched::schedule::render;
use hetsched::solve::auto::{self, Auto};
use hetsched::solve::milp::{Formulation, Milp, WithMipGap, WithWarmStart};
use hetsched::{Error, Objective, SolveOptions, Solver};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Instance file (JSON, or TOML with a .toml extension).
    instance: PathBuf,
    /// Solver name (see `hetsched solvers`). The default, auto, runs the MILP and the local
    /// search side by side and stops when optimality is proven or at the time limit.
    #[arg(long, short, default_value = "auto")]
    solver: String,
    /// Objective to minimise, overriding the instance's: makespan, weighted_completion,
    /// weighted_tardiness, total_cost, assignment_cost.
    #[arg(long, short)]
    objective: Option<String>,
    /// Write the schedule (JSON) to this file.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Draw the schedule as a Gantt chart in this file (.svg, or .html with tooltips).
    #[arg(long, value_name = "FILE")]
    gantt: Option<PathBuf>,
    #[command(flatten)]
    draw: crate::plot::DrawArgs,
    /// Seed for randomised solvers.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Time limit in seconds (auto: 10 unless given; the other solvers: none unless given).
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    time_limit: Option<f64>,
    /// No time limit, for auto too: every component runs to its own end (the MILP until it
    /// proves optimality), so the answer is reproducible by seed.
    #[arg(long, conflicts_with = "time_limit")]
    no_time_limit: bool,
    /// Worker threads for parallel solvers.
    #[arg(long)]
    threads: Option<usize>,
    /// Also print every assignment (device, task, start, end).
    #[arg(long)]
    assignments: bool,
    /// Print solver progress (for milp: HiGHS's log, on standard output).
    #[arg(long, short)]
    verbose: bool,
    /// milp (and auto's MILP): relative gap at which to stop (default 0: prove optimality).
    #[arg(long, value_name = "GAP", allow_negative_numbers = true)]
    mip_gap: Option<f64>,
    /// milp (and auto's MILP): do not start from the best greedy schedule.
    #[arg(long)]
    no_warm_start: bool,
    /// milp (and auto's MILP): formulation (auto, assignment, makespan, weighted-completion, disjunctive,
    /// time-indexed); auto (the default) chooses from the objective and the instance, taking the
    /// time-indexed model when the times lie on an exact grid and the model fits its budget.
    #[arg(long)]
    formulation: Option<String>,
    /// milp (and auto's MILP): at most this many tasks per device (1: the classic assignment
    /// problem).
    #[arg(long, value_name = "K")]
    max_tasks: Option<usize>,
    /// milp (and auto's MILP): mean device utilization Σ busy / (devices × makespan) of at least U (0 to 1).
    #[arg(long, value_name = "U", allow_negative_numbers = true)]
    min_utilization: Option<f64>,
}

/// The solver named on the command line, with the milp options applied (to `milp`, or to
/// `auto`'s MILP); those options with another solver are an error, not silently ignored.
fn make_solver(args: &Args) -> Result<Box<dyn Solver>> {
    let solver = hetsched::solve::by_name(&args.solver)?;
    let milp_only: Vec<&str> = [
        (args.mip_gap.is_some(), "--mip-gap"),
        (args.no_warm_start, "--no-warm-start"),
        (args.formulation.is_some(), "--formulation"),
        (args.max_tasks.is_some(), "--max-tasks"),
        (args.min_utilization.is_some(), "--min-utilization"),
    ]
    .into_iter()
    .filter_map(|(given, flag)| given.then_some(flag))
    .collect();
    if solver.name() != "milp" && solver.name() != "auto" {
        if !milp_only.is_empty() {
            return Err(Error::Usage(format!(
                "{} only appl{} to --solver milp or auto, not {}",
                milp_only.join(", "),
                if milp_only.len() == 1 { "ies" } else { "y" },
                solver.name()
            ))
            .into());
        }
        return Ok(solver);
    }
    let mut milp = Milp::default().with_warm_start(!args.no_warm_start);
    if let Some(g) = args.mip_gap {
        milp = milp.with_mip_gap(g);
    }
    if let Some(f) = &args.formulation {
        milp.formulation = parse_formulation(f)?;
    }
    milp.max_tasks = args.max_tasks;
    milp.min_utilization = args.min_utilization;
    if solver.name() == "auto" {
        if milp.max_tasks.is_some() || milp.min_utilization.is_some() {
            // The local search knows nothing of these side constraints.
            return Err(Error::Usage(
                "--max-tasks and --min-utilization apply to --solver milp only: auto's local \
                 search does not honour them"
                    .into(),
            )
            .into());
        }
        return Ok(Box::new(Auto {
            milp,
            ..Auto::default()
        }));
    }
    Ok(Box::new(milp))
}

/// A `--formulation` value: `auto` (`None`) or a formulation's name.
pub fn parse_formulation(name: &str) -> Result<Option<Formulation>, Error> {
    if name.trim().eq_ignore_ascii_case("auto") {
        return Ok(None);
    }
    name.parse::<Formulation>().map(Some).map_err(Error::Usage)
}

pub fn run(args: Args) -> Result<Outcome> {
    let objective: Option<Objective> = match &args.objective {
        Some(o) => Some(o.parse().map_err(Error::Usage)?),
        None => None,
    };
    let mut time_limit = crate::time_limit(args.time_limit)?;
    if args.threads == Some(0) {
        return Err(Error::Usage("--threads must be at least 1".into()).into());
    }
    let solver = make_solver(&args)?;
    if solver.name() == "auto" && time_limit.is_none() && !args.no_time_limit {
        time_limit = Some(auto::DEFAULT_TIME_LIMIT);
    }
    let gantt_options = args.draw.options()?;
    match &args.gantt {
        Some(g) => {
            crate::plot::check_out(g)?;
        }
        None if !args.draw.given().is_empty() => {
            return Err(Error::Usage(format!(
                "{} only appl{} with --gantt FILE",
                args.draw.given().join(", "),
                if args.draw.given().len() == 1 {
                    "ies"
                } else {
                    "y"
                }
            ))
            .into());
        }
        None => {}
    }
    let mut instance = hetsched::io::read_instance(&args.instance)?;
    if let Some(o) = objective {
        instance = instance.with_objective(o);
    }
    let options = SolveOptions {
        time_limit,
        seed: args.seed,
        threads: args.threads,
        verbose: args.verbose,
        cancel: Some(crate::interrupt::watch()),
        exchange: None,
    };
    let report = solver.solve(&instance, &options)?;
    print!("{}", render::summary(&instance, &report));
    if let Some(schedule) = &report.schedule {
        // Every schedule hetsched reports goes through the independent checker.
        let violations = schedule.violations(&instance);
        if !violations.is_empty() {
            eprintln!(
                "error: solver '{}' produced a schedule that breaks {} rule(s):",
                report.solver,
                violations.len()
            );
            for v in &violations {
                eprintln!("  - {v}");
            }
            return Ok(Outcome::Failed);
        }
        if args.assignments {
            println!();
            print!("{}", render::assignment_table(&instance, schedule));
        }
    }
    if let Some(out) = &args.out {
        ScheduleFile::from_report(&instance, &report).write(out)?;
        println!("\nschedule written to {}", out.display());
    }
    if let (Some(path), Some(schedule)) = (&args.gantt, &report.schedule) {
        hetsched::plot::write_gantt(path, &instance, schedule, &gantt_options)?;
        println!("\nGantt chart written to {}", path.display());
    }
    let outcome = if report.schedule.is_some() {
        Outcome::Ok
    } else {
        Outcome::Failed
    };
    // The process ends next: freeing a large instance (a map per task) is left to the system.
    std::mem::forget(instance);
    Ok(outcome)
}
