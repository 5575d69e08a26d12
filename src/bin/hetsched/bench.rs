use crate::Outcome;
use anyhow::Result;
use hetsched::Error;
use hetsched::bench::{self, Analysis, BenchOptions, BenchRun, Shard, report};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    /// Aligned columns for a terminal.
    Table,
    /// GitHub-flavoured Markdown.
    Md,
    /// CSV, every field.
    Csv,
    /// JSON, every field (what `--merge` reads).
    Json,
    /// A self-contained HTML report: the tables plus charts (gaps per solver and per instance,
    /// anytime curves of ls, ga and milp).
    Html,
}

#[derive(clap::Args)]
pub struct Args {
    /// Instance files, instance-set folders (with set.toml) or folders of instance files; with
    /// --merge, the JSON outputs of the shards.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Solvers to compare, comma-separated (see `hetsched solvers`).
    #[arg(long, value_delimiter = ',', default_value = "best-greedy,ls,milp")]
    solvers: Vec<String>,
    /// Time limit per (instance, solver) run, in seconds.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 10.0,
        allow_negative_numbers = true
    )]
    time_limit: f64,
    /// No time limit: every solver stops on its own budget, so ga and ls are reproducible by
    /// seed (milp runs until it proves optimality).
    #[arg(long, conflicts_with = "time_limit")]
    no_time_limit: bool,
    /// Seed given to every run.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Runs at a time (default: one per core); each run's solver gets cores / jobs threads.
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Run only the I-th of N slices of the instances (for spreading a sweep over machines);
    /// `auto`: the slice of this Slurm job array task (SLURM_ARRAY_TASK_ID) or Kubernetes
    /// Indexed Job pod (JOB_COMPLETION_INDEX, with --shard-count); see docs/scale-out.md.
    #[arg(long, value_name = "I/N|auto")]
    shard: Option<String>,
    /// With --shard auto: the number of shards (required for a Kubernetes Indexed Job, whose
    /// completions Kubernetes does not export; checked against a Slurm array).
    #[arg(long, value_name = "N", requires = "shard")]
    shard_count: Option<usize>,
    /// Join the JSON outputs of the shards of one sweep (given as PATHS) into one table.
    #[arg(long, conflicts_with_all = ["shard", "shard_count", "jobs", "solvers", "time_limit", "seed", "no_time_limit", "no_lower_bound"])]
    merge: bool,
    /// Do not compute the time-indexed lower bound of Σw·C and Σw·T instances (computed by
    /// default, within the time limit, and compared with every solver's value).
    #[arg(long)]
    no_lower_bound: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Write the output to this file instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
}

fn read_shard(path: &Path) -> Result<BenchRun, Error> {
    let text = hetsched::io::read_text(path)?;
    serde_json::from_str(&text).map_err(|e| Error::Parse {
        path: path.to_path_buf(),
        message: format!("not a `hetsched bench --format json` output: {e}"),
    })
}

pub fn run(args: Args) -> Result<Outcome> {
    let run = if args.merge {
        let runs = args
            .paths
            .iter()
            .map(|p| read_shard(p).map(|r| (p.display().to_string(), r)))
            .collect::<Result<Vec<_>, _>>()?;
        bench::merge(runs)?
    } else {
        let time_limit = if args.no_time_limit {
            None
        } else {
            crate::time_limit(Some(args.time_limit))?
        };
        if args.jobs == Some(0) {
            return Err(Error::Usage("--jobs must be at least 1".into()).into());
        }
        let shard = match args.shard.as_deref() {
            Some(s) if s.trim().eq_ignore_ascii_case("auto") => Some(Shard::from_environment(
                |k| std::env::var(k).ok(),
                args.shard_count,
            )?),
            Some(_) if args.shard_count.is_some() => {
                return Err(
                    Error::Usage("--shard-count goes with --shard auto only".into()).into(),
                );
            }
            Some(s) => Some(s.parse::<Shard>()?),
            None => None,
        };
        let mut solvers: Vec<Box<dyn hetsched::Solver>> = Vec::new();
        for given in args.solvers.iter().filter(|s| !s.trim().is_empty()) {
            let solver = hetsched::solve::by_name(given)?;
            if solvers.iter().any(|s| s.name() == solver.name()) {
                return Err(Error::Usage(format!(
                    "--solvers names {} twice ('{given}' is another name for it)",
                    solver.name()
                ))
                .into());
            }
            solvers.push(solver);
        }
        if solvers.is_empty() {
            return Err(Error::Usage("--solvers names no solver".into()).into());
        }
        if let Some(out) = &args.out
            && let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.is_dir()
        {
            return Err(Error::Usage(format!(
                "--out {}: the folder {} does not exist",
                out.display(),
                dir.display()
            ))
            .into());
        }
        let instances = bench::set::load_paths(&args.paths)?;
        if instances.is_empty() {
            return Err(Error::Usage(format!(
                "no instance found in {}",
                args.paths
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .into());
        }
        let options = BenchOptions {
            time_limit,
            seed: args.seed,
            jobs: args.jobs,
            shard,
            lower_bounds: !args.no_lower_bound,
            cancel: Some(crate::interrupt::watch()),
        };
        let total = bench::run_count(&instances, solvers.len(), shard);
        let bar = indicatif::ProgressBar::new(total as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{elapsed_precise} [{bar:30}] {pos}/{len} runs, ETA {eta} {msg}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        let run = bench::run(&instances, &solvers, &options, &|row| {
            bar.set_message(format!("{} {}", row.instance, row.solver));
            bar.inc(1);
        });
        bar.finish_and_clear();
        if run.interrupted {
            eprintln!(
                "interrupted: the output holds the {} of {total} run(s) finished or cut short",
                run.rows.len()
            );
        }
        run
    };
    let analysis = Analysis::new(&run);
    let text = match args.format {
        Format::Table => report::table(&analysis),
        Format::Md => report::markdown(&analysis),
        Format::Csv => report::csv(&analysis),
        Format::Json => report::json(&analysis),
        Format::Html => hetsched::plot::report::bench_html(&analysis)?,
    };
    match &args.out {
        Some(path) => hetsched::io::write_text(path, &text)?,
        None => print!("{text}"),
    }
    // A solver bug (a schedule that breaks a rule, a bound above a value) outranks bad input.
    let mut outcome = Outcome::Ok;
    if analysis.has_invalid() {
        eprintln!("error: some schedules break a rule (rows marked invalid)");
        outcome = Outcome::Failed;
    }
    let contradictions = analysis.contradictions();
    for (row, what) in &contradictions {
        if what.starts_with("its bound") {
            eprintln!(
                "error: {} {}: bound {:?} is above a value reached (the run's best or the set's proven optimum)",
                row.instance, row.solver, row.bound
            );
        } else {
            eprintln!(
                "error: {} {}: value {:?} is below {what}",
                row.instance, row.solver, row.value
            );
        }
    }
    if contradictions
        .iter()
        .any(|(_, what)| what.starts_with("a bound") || what.starts_with("its bound"))
    {
        outcome = Outcome::Failed;
    }
    let bad_reference = contradictions
        .iter()
        .any(|(_, what)| what.starts_with("the set"));
    if analysis.has_bad_input() || bad_reference {
        let n =
            run.rows.iter().filter(|r| r.status == "bad-input").count() / run.solvers.len().max(1);
        if n > 0 {
            eprintln!("error: {n} instance(s) could not be read (rows marked bad-input say why)");
        }
        if matches!(outcome, Outcome::Ok) {
            outcome = Outcome::BadInput;
        }
    }
    Ok(outcome)
}
