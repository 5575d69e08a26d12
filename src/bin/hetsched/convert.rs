use crate::Outcome;
use anyhow::Result;
use hetsched::Error;
use hetsched::InstanceData;
use hetsched::io::workflow::{self, Platform};
use hetsched::io::{self, dax, etc, gavel, orlib_gap, orlib_wt, psplib, stg, wfcommons};
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
    /// WfCommons workflow instance (WfFormat 1.5 JSON): tasks with runtimes (s), edges with the
    /// files they pass (MB), mapped onto --devices (default: 4 CPUs, 2 GPUs of speed 4).
    Wfcommons,
    /// Pegasus DAX workflow (XML): jobs with runtimes (s), edges with the files they pass (MB),
    /// mapped onto --devices (default: 4 CPUs, 2 GPUs of speed 4).
    Dax,
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
    /// WfCommons, DAX: the devices file (TOML, or JSON): `devices` as in instance files, an
    /// optional `network` (MB/s, s) and `speeds` rules (docs/import.md). Default: cpu-0..3 of
    /// speed 1, gpu-0..1 of speed 4, 125 MB/s.
    #[arg(long, value_name = "FILE")]
    devices: Option<PathBuf>,
    /// WfCommons, DAX: the network's bandwidth between devices no link joins, in MB/s
    /// (default: the devices file's, else 125).
    #[arg(long, value_name = "MB/S", allow_negative_numbers = true)]
    bandwidth: Option<f64>,
    /// WfCommons, DAX: the network's latency between devices no link joins, in seconds
    /// (default: the devices file's, else 0).
    #[arg(long, value_name = "S", allow_negative_numbers = true)]
    latency: Option<f64>,
    /// WfCommons, DAX: scale every bandwidth so that the communication-to-computation ratio
    /// (mean transfer time of the edges with data ÷ mean task time) is R.
    #[arg(
        long,
        value_name = "R",
        allow_negative_numbers = true,
        conflicts_with = "bandwidth"
    )]
    ccr: Option<f64>,
    /// Instance name (default: the file name; for OR-Library files `<file stem>-<problem>`; for
    /// PSPLIB, Gavel, WfCommons and DAX files the file stem).
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

const WORKFLOWS: &str = "--from wfcommons and dax";

/// A WfCommons or DAX workflow mapped onto the devices, with the network options applied.
fn convert_workflow(args: &Args) -> Result<InstanceData> {
    let wf = match args.from {
        From::Wfcommons => wfcommons::read(&args.file)?,
        _ => dax::read(&args.file)?,
    };
    let platform = match &args.devices {
        Some(path) => Platform::read(path)?,
        None => Platform::default_set(),
    };
    for (i, uses) in platform.rule_uses(&wf).into_iter().enumerate() {
        if uses == 0 {
            eprintln!(
                "note: speed rule #{} (tasks '{}', kind '{}') applies to no task of {}",
                i + 1,
                platform.speeds[i].tasks,
                platform.speeds[i].kind,
                args.file.display()
            );
        }
    }
    let name = args.file.file_stem().map_or_else(
        || "workflow".to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    let mut data = workflow::to_instance(&wf, &platform, &name)?;
    let network = data.network.get_or_insert_with(Default::default);
    if let Some(b) = args.bandwidth {
        network.bandwidth = b;
    }
    if let Some(l) = args.latency {
        network.latency = l;
    }
    // Errors name the workflow file, and the devices file when one is given.
    let source = match &args.devices {
        Some(d) => PathBuf::from(format!("{} on {}", args.file.display(), d.display())),
        None => args.file.clone(),
    };
    hetsched::Instance::new(data.clone()).map_err(|e| e.in_file(&source))?;
    if let Some(r) = args.ccr {
        data.set_ccr(r)
            .map_err(|e| Error::Usage(format!("{}: --ccr {r}: {e}", source.display())))?;
    }
    eprintln!(
        "{}: {}",
        args.file.display(),
        workflow::summary(&data).map_err(|e| e.in_file(&source))?
    );
    Ok(data)
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
    let wf = matches!(args.from, From::Wfcommons | From::Dax);
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
        (args.devices.is_some(), wf, "--devices", WORKFLOWS),
        (args.bandwidth.is_some(), wf, "--bandwidth", WORKFLOWS),
        (args.latency.is_some(), wf, "--latency", WORKFLOWS),
        (args.ccr.is_some(), wf, "--ccr", WORKFLOWS),
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
        From::Wfcommons | From::Dax => convert_workflow(&args)?,
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
