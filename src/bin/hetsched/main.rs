//! `hetsched`: plan AI work onto heterogeneous devices from the command line.
//!
//! Exit codes: 0 ok, 2 bad input (the message names the file and the problem), 1 solve failure
//! (or, for `check`, a schedule that breaks a rule, or a model larger than `--max-memory`);
//! 130 / 143 when `solve`, `bench` or `simulate` was interrupted by SIGINT (Ctrl-C) / SIGTERM
//! and wrote what it had found (see [`interrupt`]).

mod bench;
mod bound;
mod check;
mod convert;
mod generate;
mod interrupt;
mod learn;
mod patterns;
mod plot;
mod predict;
mod simulate;
mod solve;

use clap::{Parser, Subcommand};
use std::process::ExitCode;
use std::time::Duration;

/// mimalloc: reading a large instance makes hundreds of thousands of small allocations (one per
/// `times` key); with the system allocator they cost a third of the read (docs/benchmarks.md,
/// "Large instances").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "hetsched",
    version,
    about = "Plan AI work onto heterogeneous devices: solve, check, convert and generate scheduling instances."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Refuse to build anything (MILP model, time-indexed grid, dense time table, simulator
    /// ticks) whose estimated size exceeds this, e.g. 512M, 4G, 2.5GiB [default: 3/4 of the
    /// machine's or container's memory].
    #[arg(long, global = true, value_name = "SIZE", value_parser = hetsched::memory::parse_size)]
    max_memory: Option<u64>,
}

#[derive(Subcommand)]
enum Command {
    /// Solve an instance file and print a summary; write the schedule with --out.
    Solve(solve::Args),
    /// Check a schedule file against an instance: list every broken rule.
    Check(check::Args),
    /// A proven lower bound on the optimum from an LP relaxation (by default the time-indexed
    /// model's), without solving.
    Bound(bound::Args),
    /// List the solvers, one line each.
    Solvers,
    /// Run solvers on instance files, folders and instance sets; compare values, bounds and
    /// reference values in one table.
    Bench(bench::Args),
    /// Convert an external format (Braun ETC matrix, OR-Library GAP or weighted tardiness, PSPLIB
    /// project, Gavel trace, WfCommons or Pegasus DAX workflow) into an instance file.
    Convert(convert::Args),
    /// Generate a seeded random instance: ai-cluster, etc, pipeline, gpu-cluster or trace family.
    ///
    /// The same seed and options always give the same file; --count K --out-dir DIR writes K
    /// instances with consecutive seeds. Families and formulas: docs/generator.md.
    Generate(generate::Args),
    /// Simulate an online policy: tasks arrive at their release, the policy decides at every
    /// event which waiting job starts where; prints job completion times, slowdown,
    /// utilization and fairness.
    Simulate(simulate::Args),
    /// Fit a performance model to an execution history (CSV): per-kind power laws and a
    /// cross-kind model, chosen by cross-validation; prints each one's held-out error.
    Learn(learn::Args),
    /// Predict the times of the tasks of a CSV on a device set with a model from `learn`, and
    /// write an instance ready for `solve` (intervals to a side file).
    Predict(predict::Args),
    /// Group the executions of a history into patterns (k-means++ on standardised features).
    Patterns(patterns::Args),
    /// Draw a schedule as a Gantt chart: one lane per device grouped by kind, a bar per task
    /// (per run segment when preemptive), release and due marks, late tasks outlined, resource
    /// profiles; SVG, or a self-contained HTML page with a tooltip per bar.
    Plot(plot::Args),
}

/// What a subcommand concluded, beyond success.
pub enum Outcome {
    /// Everything fine: exit 0.
    Ok,
    /// The command ran but its answer is negative (no schedule, or a schedule with violations): exit 1.
    Failed,
    /// The command ran on what it could read, but some input was bad (already reported): exit 2.
    BadInput,
}

/// How `convert` and `generate` write instances.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InstanceOutput {
    /// JSON.
    Json,
    /// TOML.
    Toml,
}

impl InstanceOutput {
    /// The format asked for, else TOML for an `--out` file ending in `.toml`, else JSON.
    pub fn choose(asked: Option<Self>, out: Option<&std::path::Path>) -> Self {
        match (asked, out) {
            (Some(f), _) => f,
            (None, Some(p))
                if hetsched::io::InstanceFormat::from_path(p)
                    == hetsched::io::InstanceFormat::Toml =>
            {
                InstanceOutput::Toml
            }
            _ => InstanceOutput::Json,
        }
    }

    /// The instance as text, and the file extension that goes with it.
    pub fn render(
        self,
        data: &hetsched::InstanceData,
    ) -> Result<(String, &'static str), hetsched::Error> {
        Ok(match self {
            InstanceOutput::Json => (hetsched::io::instance_to_json(data), "json"),
            InstanceOutput::Toml => (hetsched::io::instance_to_toml(data)?, "toml"),
        })
    }
}

/// A `--time-limit` in seconds as a duration: non-negative and representable.
pub fn time_limit(seconds: Option<f64>) -> Result<Option<Duration>, hetsched::Error> {
    match seconds {
        None => Ok(None),
        Some(s) if s.is_finite() && s >= 0.0 => Duration::try_from_secs_f64(s)
            .map(Some)
            .map_err(|_| hetsched::Error::Usage(format!("--time-limit {s} is too large"))),
        Some(s) => Err(hetsched::Error::Usage(format!(
            "--time-limit must be a non-negative number of seconds, got {s}"
        ))),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.max_memory.is_some() {
        hetsched::memory::set_limit(cli.max_memory);
    }
    let result = match cli.command {
        Command::Solve(args) => solve::run(args),
        Command::Check(args) => check::run(args),
        Command::Bound(args) => bound::run(args),
        Command::Solvers => {
            for s in hetsched::solve::all() {
                println!("{:<12} {}", s.name(), s.description());
            }
            Ok(Outcome::Ok)
        }
        Command::Convert(args) => convert::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Simulate(args) => simulate::run(args),
        Command::Learn(args) => learn::run(args),
        Command::Predict(args) => predict::run(args),
        Command::Patterns(args) => patterns::run(args),
        Command::Plot(args) => plot::run(args),
    };
    if let Some(code) = interrupt::exit_code() {
        // Interrupted: what was found is written (or the error says why not).
        if let Err(err) = &result {
            eprintln!("error: {err}");
        }
        return ExitCode::from(code);
    }
    match result {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Failed) => ExitCode::from(1),
        Ok(Outcome::BadInput) => ExitCode::from(2),
        Err(err) => {
            eprintln!("error: {err}");
            let bad_input = err
                .downcast_ref::<hetsched::Error>()
                .is_none_or(|e| e.is_bad_input());
            ExitCode::from(if bad_input { 2 } else { 1 })
        }
    }
}
