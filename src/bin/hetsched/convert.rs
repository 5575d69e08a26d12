use crate::Outcome;
use anyhow::Result;
use hetsched::Error;
use hetsched::InstanceData;
use hetsched::io::{self, etc, gavel, orlib_gap, orlib_wt, psplib, stg};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, clap::ValueEnum)]
enum From {
    /// Braun et al. ETC matrix: task-major, one number per line, optional `TASKS MACHINES [FLAG]` header.
    Etc,
    /// OR-Library generalized assignment file (gap1–12 maximise profit: costs become negated profits).
    OrlibGap,
    /// OR-Library single-machine weighted tardiness file (wt40, wt50, wt100): 125 instances back to back.
    OrlibWt,
    /// PSPLIB single-mode RCPSP file (.sm, e.g. j30, j120): one device offering the renewable
    /// resources, one task per real job.
    Psplib,
    /// Gavel job trace (10 tab-separated fields per job), with --throughputs: one device per node,
    /// jobs demanding GPUs, times from measured throughputs.
    Gavel,
    /// Standard Task Graph Set file (.stg), with --machines P: P identical processors, one task
    /// per real task, the entry and exit dummies dropped.
    Stg,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SenseArg {
    /// The objective matrix is a profit to maximise (OR-Library gap1–gap12).
    Max,
    /// The objective matrix is a cost to minimise (OR-Library gapa–gapd).
    Min,
}

#[derive(clap::Args)]
pub struct Args {
    /// Input format.
    #[arg(long)]
    from: From,
    /// Input file.
    file: PathBuf,
    /// Number of machines (devices): for ETC files, required when the file has no header; for
    /// STG files, the identical processors (required).
    #[arg(long, short)]
    machines: Option<usize>,
    /// For files holding several problems (OR-Library): which one, from 1.
    #[arg(long)]
    problem: Option<usize>,
    /// OR-Library GAP: whether the objective matrix is a profit (max) or a cost (min); by
    /// default from the file name (gapN: max, gapa–gapd: min).
    #[arg(long)]
    sense: Option<SenseArg>,
    /// OR-Library weighted tardiness: jobs per instance; by default from the file name (wt40.txt: 40).
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Gavel: the measured throughputs (simulation_throughputs.json). Required for --from gavel.
    #[arg(long, value_name = "FILE")]
    throughputs: Option<PathBuf>,
    /// Gavel: GPUs of each type, e.g. v100=36,p100=36,k80=36 (default: 36 of every type of the
    /// throughputs file).
    #[arg(long, value_name = "TYPE=N,...")]
    cluster: Option<String>,
    /// Gavel: GPUs per node; a type with N GPUs gets ceil(N / G) nodes, the last holding the rest.
    #[arg(long, value_name = "G")]
    gpus_per_node: Option<usize>,
    /// Instance name (default: the file name; for OR-Library files `<file stem>-<problem>`; for
    /// PSPLIB and Gavel files the file stem).
    #[arg(long)]
    name: Option<String>,
    /// Write the instance here instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Output format (default: from the --out extension, else JSON).
    #[arg(long)]
    format: Option<crate::InstanceOutput>,
}

/// Problem `problem` (from 1) of the problems read from a multi-problem file; without `--problem`,
/// the only problem of a one-problem file.
fn pick_problem(
    file: &Path,
    mut all: Vec<InstanceData>,
    problem: Option<usize>,
) -> Result<InstanceData, Error> {
    let k = match (problem, all.len()) {
        (Some(k), len) if k >= 1 && k <= len => k,
        (Some(k), len) => {
            return Err(Error::Usage(format!(
                "{}: --problem {k} is out of range: the file holds {len} problem(s)",
                file.display()
            )));
        }
        (None, 1) => 1,
        (None, len) => {
            return Err(Error::Usage(format!(
                "{}: the file holds {len} problems: choose one with --problem K (1 to {len})",
                file.display()
            )));
        }
    };
    Ok(all.swap_remove(k - 1))
}

pub fn run(args: Args) -> Result<Outcome> {
    // An option that does not apply to the input format is an error, not silently ignored.
    let (etc, gap, wt, gv, tg) = (
        matches!(args.from, From::Etc),
        matches!(args.from, From::OrlibGap),
        matches!(args.from, From::OrlibWt),
        matches!(args.from, From::Gavel),
        matches!(args.from, From::Stg),
    );
    for (given, applies, flag, formats) in [
        (args.jobs.is_some(), wt, "--jobs", "--from orlib-wt"),
        (
            args.machines.is_some(),
            etc || tg,
            "--machines",
            "--from etc and stg",
        ),
        (args.sense.is_some(), gap, "--sense", "--from orlib-gap"),
        (
            args.problem.is_some(),
            gap || wt,
            "--problem",
            "--from orlib-gap and orlib-wt",
        ),
        (
            args.throughputs.is_some(),
            gv,
            "--throughputs",
            "--from gavel",
        ),
        (args.cluster.is_some(), gv, "--cluster", "--from gavel"),
        (
            args.gpus_per_node.is_some(),
            gv,
            "--gpus-per-node",
            "--from gavel",
        ),
    ] {
        if given && !applies {
            return Err(Error::Usage(format!("{flag} only applies to {formats}")).into());
        }
    }
    let mut data = match args.from {
        From::Etc => etc::read(&args.file, args.machines)?,
        From::OrlibGap => {
            let sense = match args.sense {
                Some(SenseArg::Max) => orlib_gap::Sense::Maximize,
                Some(SenseArg::Min) => orlib_gap::Sense::Minimize,
                None => orlib_gap::Sense::from_file_name(&args.file).ok_or_else(|| {
                    Error::Usage(format!(
                        "{}: say whether the first matrix is a profit or a cost with --sense max|min",
                        args.file.display()
                    ))
                })?,
            };
            let data = pick_problem(
                &args.file,
                orlib_gap::read(&args.file, sense)?,
                args.problem,
            )?;
            if sense == orlib_gap::Sense::Maximize {
                eprintln!(
                    "note: the objective matrix is a profit to maximise; costs are the negated \
                     profits, so the optimum here is minus the published maximum"
                );
            }
            data
        }
        From::OrlibWt => pick_problem(
            &args.file,
            orlib_wt::read(&args.file, args.jobs)?,
            args.problem,
        )?,
        From::Psplib => psplib::read(&args.file)?,
        From::Stg => {
            let processors = args.machines.ok_or_else(|| {
                Error::Usage(format!(
                    "{}: --from stg needs the number of identical processors: --machines P",
                    args.file.display()
                ))
            })?;
            stg::read(&args.file, processors)?
        }
        From::Gavel => {
            let throughputs = args.throughputs.as_deref().ok_or_else(|| {
                Error::Usage(format!(
                    "{}: --from gavel needs the measured throughputs: --throughputs FILE \
                     (Gavel's simulation_throughputs.json)",
                    args.file.display()
                ))
            })?;
            let gpus_per_node = args.gpus_per_node.unwrap_or(gavel::DEFAULT_GPUS_PER_NODE);
            if gpus_per_node == 0 {
                return Err(Error::Usage("--gpus-per-node must be at least 1".into()).into());
            }
            let tp = gavel::read_throughputs(throughputs)?;
            let cluster = match &args.cluster {
                Some(spec) => gavel::Cluster::parse(spec, gpus_per_node)?,
                None => gavel::Cluster::uniform(
                    &tp.gpu_types(),
                    gavel::DEFAULT_GPUS_PER_TYPE,
                    gpus_per_node,
                ),
            };
            let jobs = gavel::read_trace(&args.file)?;
            gavel::convert(&jobs, &args.file, &tp, &cluster)?
        }
    };
    if let Some(name) = args.name {
        data.name = Some(name);
    }
    // Validate before writing, so a converted file always loads.
    hetsched::Instance::new(data.clone()).map_err(|e| e.in_file(&args.file))?;
    let format = crate::InstanceOutput::choose(args.format, args.out.as_deref());
    let (text, _) = format.render(&data)?;
    match &args.out {
        Some(p) => {
            io::write_text(p, &text)?;
            eprintln!(
                "wrote {} ({} tasks, {} devices)",
                p.display(),
                data.tasks.len(),
                data.devices.len()
            );
        }
        None => print!("{text}"),
    }
    Ok(Outcome::Ok)
}
