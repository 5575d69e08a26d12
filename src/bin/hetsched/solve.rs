use crate::Outcome;
use anyhow::Result;
use hetsched::io::ScheduleFile;
use hetsched::schedule::render;
use hetsched::{Error, Objective, SolveOptions};
use std::path::PathBuf;
use std::time::Duration;

#[derive(clap::Args)]
pub struct Args {
    /// Instance file (JSON, or TOML with a .toml extension).
    instance: PathBuf,
    /// Solver name (see `hetsched solvers`).
    #[arg(long, short, default_value = "best-greedy")]
    solver: String,
    /// Objective to minimise, overriding the instance's: makespan, weighted_completion,
    /// weighted_tardiness, total_cost, assignment_cost.
    #[arg(long, short)]
    objective: Option<String>,
    /// Write the schedule (JSON) to this file.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Seed for randomised solvers.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Time limit in seconds.
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    time_limit: Option<f64>,
    /// Worker threads for parallel solvers.
    #[arg(long)]
    threads: Option<usize>,
    /// Also print every assignment (device, task, start, end).
    #[arg(long)]
    assignments: bool,
    /// Print solver progress on standard error.
    #[arg(long, short)]
    verbose: bool,
}

pub fn run(args: Args) -> Result<Outcome> {
    let objective: Option<Objective> = match &args.objective {
        Some(o) => Some(o.parse().map_err(Error::Usage)?),
        None => None,
    };
    let time_limit = match args.time_limit {
        None => None,
        Some(s) if s.is_finite() && s >= 0.0 => Some(Duration::from_secs_f64(s)),
        Some(s) => {
            return Err(Error::Usage(format!(
                "--time-limit must be a non-negative number of seconds, got {s}"
            ))
            .into());
        }
    };
    if args.threads == Some(0) {
        return Err(Error::Usage("--threads must be at least 1".into()).into());
    }
    let solver = hetsched::solve::by_name(&args.solver)?;
    let mut instance = hetsched::io::read_instance(&args.instance)?;
    if let Some(o) = objective {
        instance = instance.with_objective(o);
    }
    let options = SolveOptions {
        time_limit,
        seed: args.seed,
        threads: args.threads,
        verbose: args.verbose,
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
    Ok(if report.schedule.is_some() {
        Outcome::Ok
    } else {
        Outcome::Failed
    })
}
