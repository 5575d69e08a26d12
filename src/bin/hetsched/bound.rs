use crate::Outcome;
use anyhow::Result;
use hetsched::solve::milp::{self, Milp};
use hetsched::{Error, Objective, SolveOptions};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Instance file (JSON, or TOML with a .toml extension).
    instance: PathBuf,
    /// Objective, overriding the instance's (as for `solve`).
    #[arg(long, short)]
    objective: Option<String>,
    /// Relax this formulation of `milp` instead (auto, assignment, makespan,
    /// weighted-completion, disjunctive, time-indexed); default: the time-indexed model on the
    /// finest grid within --max-columns, rounded down when the times are off the grid.
    #[arg(long)]
    formulation: Option<String>,
    /// Most start columns of the time-indexed model.
    #[arg(long, value_name = "N", default_value_t = milp::TIME_INDEXED_BUDGET)]
    max_columns: u64,
    /// Time limit in seconds.
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    time_limit: Option<f64>,
    /// Worker threads for HiGHS.
    #[arg(long)]
    threads: Option<usize>,
    /// Print HiGHS's log (on standard output).
    #[arg(long, short)]
    verbose: bool,
}

pub fn run(args: Args) -> Result<Outcome> {
    let objective: Option<Objective> = match &args.objective {
        Some(o) => Some(o.parse().map_err(Error::Usage)?),
        None => None,
    };
    if args.threads == Some(0) {
        return Err(Error::Usage("--threads must be at least 1".into()).into());
    }
    let formulation = match &args.formulation {
        Some(f) => Some(crate::solve::parse_formulation(f)?),
        None => None,
    };
    let options = SolveOptions {
        time_limit: crate::time_limit(args.time_limit)?,
        threads: args.threads,
        verbose: args.verbose,
        ..SolveOptions::default()
    };
    let mut instance = hetsched::io::read_instance(&args.instance)?;
    if let Some(o) = objective {
        instance = instance.with_objective(o);
    }
    let bound = match formulation {
        Some(f) => Milp {
            formulation: f,
            time_indexed_budget: args.max_columns,
            ..Milp::default()
        }
        .relaxation(&instance, &options)?,
        None => milp::lower_bound(&instance, None, args.max_columns, &options)?,
    };
    println!(
        "instance: {} ({} tasks, {} devices), objective {}",
        instance.name(),
        instance.num_tasks(),
        instance.num_devices(),
        instance.objective()
    );
    match bound {
        Some(b) => {
            println!("lower bound: {}", b.value);
            println!("method: {}", b.method);
            println!("time: {:.3} s", b.seconds);
            Ok(Outcome::Ok)
        }
        None => {
            println!(
                "no bound: the LP relaxation was not solved within the time limit, or no grid \
                 fits --max-columns {}",
                args.max_columns
            );
            Ok(Outcome::Failed)
        }
    }
}
