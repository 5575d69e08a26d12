use crate::Outcome;
use anyhow::{Context, Result};
use hetsched::Error;
use hetsched::generate::history::{HistoryParams, history};
use hetsched::generate::{
    self, Consistency, DeviceMix, Family, GeneratorParams, GpuCounts, Heterogeneity, TaskMix,
};
use hetsched::io;
use std::path::PathBuf;

#[derive(Clone, Copy, clap::ValueEnum)]
enum FamilyArg {
    /// Mixed AI cluster: GPUs, accelerators, CPUs; training, fine-tuning, inference, preprocessing.
    AiCluster,
    /// Braun et al. (2001) range-based ETC matrix: independent tasks on unrelated machines.
    Etc,
    /// Layered DAG workflows (preprocessing → training → fine-tuning → evaluation).
    Pipeline,
    /// V100/P100/K80 servers with shared gpu, cpu, mem; Gavel's 1–8-GPU deep-learning jobs.
    GpuCluster,
    /// Gavel's experiments: Poisson arrivals of Gavel's GPU jobs on pooled V100/P100/K80 GPUs.
    Trace,
    /// An execution history (CSV, for `learn`): --tasks rows on --devices kinds (default 5),
    /// with a known power-law truth, --noise and --patterns planted task families.
    History,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum GpuCountsArg {
    /// Every job on one GPU (Gavel's single-GPU traces).
    Single,
    /// 1, 2, 4, 8 GPUs with probabilities 0.7, 0.1, 0.15, 0.05 (Gavel's multi-GPU traces).
    Multi,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ConsistencyArg {
    /// Machine 0 fastest for every task, machine M−1 slowest.
    Consistent,
    /// The even-position machines are consistent, the odd ones not.
    SemiConsistent,
    /// No ordering of the machines.
    Inconsistent,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum HeterogeneityArg {
    /// Task range 3000, machine range 1000.
    Hihi,
    /// Task range 3000, machine range 10.
    Hilo,
    /// Task range 100, machine range 1000.
    Lohi,
    /// Task range 100, machine range 10.
    Lolo,
}

#[derive(clap::Args)]
pub struct Args {
    /// Number of tasks (at least 1).
    #[arg(long, short = 'n')]
    tasks: usize,
    /// Number of devices (at least 1); trace: number of GPUs, split evenly over V100, P100, K80
    /// (default 108, Gavel's 36:36:36).
    #[arg(long, short = 'm')]
    devices: Option<usize>,
    /// Instance family.
    #[arg(long, value_enum, default_value = "ai-cluster")]
    family: FamilyArg,
    /// Seed (with --count K: the first of K consecutive seeds).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Objective written into the instance (makespan, weighted_completion, weighted_tardiness,
    /// total_cost, assignment_cost); default makespan.
    #[arg(long)]
    objective: Option<String>,
    /// Releases drawn from [0, X × estimated makespan); 0: everything released at 0 (0 to 10).
    #[arg(long, value_name = "X", allow_negative_numbers = true)]
    release_spread: Option<f64>,
    /// gpu-cluster, trace: jobs arrive as a Poisson process of R jobs per hour (gpu-cluster:
    /// instead of --release-spread; trace: default 1).
    #[arg(long, value_name = "R", allow_negative_numbers = true)]
    arrival_rate: Option<f64>,
    /// trace: single-GPU or multi-GPU jobs (default multi).
    #[arg(long, value_enum)]
    gpu_counts: Option<GpuCountsArg>,
    /// trace: GPUs per device (default: one device per GPU type holding all its GPUs).
    #[arg(long, value_name = "G")]
    gpus_per_node: Option<usize>,
    /// Give each task a user among u1 … uU, drawn uniformly (for fair share and DRF in
    /// `simulate`).
    #[arg(long, value_name = "U")]
    users: Option<usize>,
    /// 0: memory never restricts … 1: full memory needs (0 to 1; ai-cluster, pipeline,
    /// gpu-cluster).
    #[arg(long, value_name = "X", allow_negative_numbers = true)]
    memory_tightness: Option<f64>,
    /// Expected predecessors of each task that can have some; 0: no edges (0 to 10).
    #[arg(long, value_name = "X", allow_negative_numbers = true)]
    dag_density: Option<f64>,
    /// Due = ready time + s × fastest time, s uniform in [1, X] (1 to 1000; not etc).
    #[arg(long, value_name = "X", allow_negative_numbers = true)]
    due_slack: Option<f64>,
    /// Task type shares, e.g. training=0.2,fine-tuning=0.15,inference=0.45,preprocessing=0.2
    /// (types left out get 0; ai-cluster, pipeline).
    #[arg(long, value_name = "TYPE=SHARE,...")]
    task_mix: Option<TaskMix>,
    /// Device kind shares, e.g. h100=0.15,a100=0.25,v100=0.15,t4=0.15,accel=0.1,cpu=0.2
    /// (kinds left out get 0; ai-cluster, pipeline).
    #[arg(long, value_name = "KIND=SHARE,...")]
    device_mix: Option<DeviceMix>,
    /// etc: consistency of the ETC matrix (default inconsistent).
    #[arg(long, value_enum)]
    consistency: Option<ConsistencyArg>,
    /// etc: task and machine heterogeneity, as in Braun's names (default hihi).
    #[arg(long, value_enum)]
    heterogeneity: Option<HeterogeneityArg>,
    /// pipeline: edges carry data (GB) and a network's bandwidth makes the
    /// communication-to-computation ratio (mean transfer time ÷ mean task time) R; default: plain
    /// edges, no network.
    #[arg(long, value_name = "R", allow_negative_numbers = true)]
    ccr: Option<f64>,
    /// Write the instance here instead of standard output.
    #[arg(long, conflicts_with = "out_dir")]
    out: Option<PathBuf>,
    /// Write the instances into this directory (created if missing), named
    /// <family>-<N>x<M>-s<seed>.json (or .toml).
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
    /// With --out-dir: write K instances, seeds S, S+1, …, S+K−1.
    #[arg(long, value_name = "K", requires = "out_dir")]
    count: Option<u64>,
    /// Output format (default: from the --out extension, else JSON).
    #[arg(long, value_enum)]
    format: Option<crate::InstanceOutput>,
    /// history: standard deviation of the log-normal noise on the runtimes (default 0.05).
    #[arg(long, value_name = "SIGMA")]
    noise: Option<f64>,
    /// history: planted task families (patterns), 1 to 8 (default 4).
    #[arg(long, value_name = "P")]
    patterns: Option<usize>,
}

impl Args {
    /// The generator parameters: the family's defaults with every given option applied; an
    /// option the family does not use is an error, not silently ignored.
    fn params(&self) -> Result<GeneratorParams, Error> {
        let family = match self.family {
            FamilyArg::AiCluster => Family::AiCluster,
            FamilyArg::Etc => Family::Etc,
            FamilyArg::Pipeline => Family::Pipeline,
            FamilyArg::GpuCluster => Family::GpuCluster,
            FamilyArg::Trace => Family::Trace,
            FamilyArg::History => {
                return Err(Error::Usage("history is not an instance family".into()));
            }
        };
        let trace_only = [
            (self.gpu_counts.is_some(), "--gpu-counts"),
            (self.gpus_per_node.is_some(), "--gpus-per-node"),
        ];
        let ccr = (self.ccr.is_some() && family != Family::Pipeline, "--ccr");
        let history_only = [
            (self.noise.is_some(), "--noise"),
            (self.patterns.is_some(), "--patterns"),
        ];
        let unused: Vec<&str> = match family {
            Family::Etc => vec![
                trace_only[0],
                trace_only[1],
                (self.memory_tightness.is_some(), "--memory-tightness"),
                (self.due_slack.is_some(), "--due-slack"),
                (self.task_mix.is_some(), "--task-mix"),
                (self.device_mix.is_some(), "--device-mix"),
            ],
            Family::AiCluster | Family::Pipeline => vec![
                trace_only[0],
                trace_only[1],
                (self.consistency.is_some(), "--consistency"),
                (self.heterogeneity.is_some(), "--heterogeneity"),
            ],
            Family::GpuCluster => vec![
                trace_only[0],
                trace_only[1],
                (self.task_mix.is_some(), "--task-mix"),
                (self.device_mix.is_some(), "--device-mix"),
                (self.consistency.is_some(), "--consistency"),
                (self.heterogeneity.is_some(), "--heterogeneity"),
            ],
            Family::Trace => vec![
                (self.release_spread.is_some(), "--release-spread"),
                (self.memory_tightness.is_some(), "--memory-tightness"),
                (self.dag_density.is_some(), "--dag-density"),
                (self.due_slack.is_some(), "--due-slack"),
                (self.task_mix.is_some(), "--task-mix"),
                (self.device_mix.is_some(), "--device-mix"),
                (self.consistency.is_some(), "--consistency"),
                (self.heterogeneity.is_some(), "--heterogeneity"),
            ],
        }
        .into_iter()
        .chain([ccr])
        .chain(history_only)
        .filter_map(|(given, flag)| given.then_some(flag))
        .collect();
        if !unused.is_empty() {
            return Err(Error::Usage(format!(
                "{} do{} not apply to --family {family}",
                unused.join(", "),
                if unused.len() == 1 { "es" } else { "" }
            )));
        }
        let devices = match (self.devices, family) {
            (Some(m), _) => m,
            (None, Family::Trace) => generate::TRACE_GPUS,
            (None, _) => {
                return Err(Error::Usage(format!(
                    "--devices is required for --family {family} (only trace has a default)"
                )));
            }
        };
        let mut p = GeneratorParams::new(family, self.tasks, devices);
        if let Some(o) = &self.objective {
            p.objective = o.clone();
        }
        if let Some(x) = self.release_spread {
            p.release_spread = x;
        }
        if let Some(r) = self.arrival_rate {
            p.arrival_rate = Some(r);
        }
        if let Some(c) = self.gpu_counts {
            p.gpu_counts = match c {
                GpuCountsArg::Single => GpuCounts::Single,
                GpuCountsArg::Multi => GpuCounts::Multi,
            };
        }
        p.gpus_per_node = self.gpus_per_node;
        p.ccr = self.ccr;
        if let Some(u) = self.users {
            p.users = u;
        }
        if let Some(x) = self.memory_tightness {
            p.memory_tightness = x;
        }
        if let Some(x) = self.dag_density {
            p.dag_density = x;
        }
        if let Some(x) = self.due_slack {
            p.due_slack = x;
        }
        if let Some(x) = self.task_mix {
            p.task_mix = x;
        }
        if let Some(x) = self.device_mix {
            p.device_mix = x;
        }
        if let Some(c) = self.consistency {
            p.consistency = match c {
                ConsistencyArg::Consistent => Consistency::Consistent,
                ConsistencyArg::SemiConsistent => Consistency::SemiConsistent,
                ConsistencyArg::Inconsistent => Consistency::Inconsistent,
            };
        }
        if let Some(h) = self.heterogeneity {
            p.heterogeneity = match h {
                HeterogeneityArg::Hihi => Heterogeneity::HiHi,
                HeterogeneityArg::Hilo => Heterogeneity::HiLo,
                HeterogeneityArg::Lohi => Heterogeneity::LoHi,
                HeterogeneityArg::Lolo => Heterogeneity::LoLo,
            };
        }
        p.validate()?;
        Ok(p)
    }
}

pub fn run(args: Args) -> Result<Outcome> {
    if matches!(args.family, FamilyArg::History) {
        return run_history(args);
    }
    let params = args.params()?;
    let count = args.count.unwrap_or(1);
    if count == 0 {
        return Err(Error::Usage("--count must be at least 1".into()).into());
    }
    let last = args.seed.checked_add(count - 1).ok_or_else(|| {
        Error::Usage(format!(
            "--seed {} with --count {count} runs past the largest seed",
            args.seed
        ))
    })?;
    let format = crate::InstanceOutput::choose(args.format, args.out.as_deref());
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.clone(),
            source,
        })?;
    }
    for seed in args.seed..=last {
        let data = generate::generate(&params, seed)?;
        // Validate before writing, so a generated file always loads.
        hetsched::Instance::new(data.clone())
            .context("internal error: the generated instance does not validate")?;
        let (text, ext) = format.render(&data)?;
        let path = match (&args.out, &args.out_dir) {
            (Some(p), _) => Some(p.clone()),
            (None, Some(dir)) => Some(dir.join(format!("{}.{ext}", params.instance_name(seed)))),
            (None, None) => None,
        };
        match path {
            Some(p) => {
                io::write_text(&p, &text)?;
                eprintln!(
                    "wrote {} ({} tasks, {} devices, {} edges)",
                    p.display(),
                    data.tasks.len(),
                    data.devices.len(),
                    data.tasks.iter().map(|t| t.after.len()).sum::<usize>()
                );
            }
            None => print!("{text}"),
        }
    }
    Ok(Outcome::Ok)
}

/// `generate --family history`: a CSV history, not an instance.
fn run_history(args: Args) -> Result<Outcome> {
    let given = [
        (args.objective.is_some(), "--objective"),
        (args.release_spread.is_some(), "--release-spread"),
        (args.arrival_rate.is_some(), "--arrival-rate"),
        (args.gpu_counts.is_some(), "--gpu-counts"),
        (args.gpus_per_node.is_some(), "--gpus-per-node"),
        (args.users.is_some(), "--users"),
        (args.memory_tightness.is_some(), "--memory-tightness"),
        (args.dag_density.is_some(), "--dag-density"),
        (args.due_slack.is_some(), "--due-slack"),
        (args.task_mix.is_some(), "--task-mix"),
        (args.device_mix.is_some(), "--device-mix"),
        (args.consistency.is_some(), "--consistency"),
        (args.heterogeneity.is_some(), "--heterogeneity"),
        (args.ccr.is_some(), "--ccr"),
        (args.out_dir.is_some(), "--out-dir"),
        (args.format.is_some(), "--format"),
    ];
    let unused: Vec<&str> = given
        .into_iter()
        .filter_map(|(g, flag)| g.then_some(flag))
        .collect();
    if !unused.is_empty() {
        return Err(Error::Usage(format!(
            "{} do{} not apply to --family history",
            unused.join(", "),
            if unused.len() == 1 { "es" } else { "" }
        ))
        .into());
    }
    let mut params = HistoryParams::new(args.tasks, args.devices.unwrap_or(5));
    if let Some(x) = args.noise {
        params.noise = x;
    }
    if let Some(p) = args.patterns {
        params.patterns = p;
    }
    let generated = history(&params, args.seed)?;
    match &args.out {
        Some(p) => {
            io::write_text(p, &generated.csv)?;
            eprintln!(
                "wrote {} ({} rows, {} kinds, {} patterns)",
                p.display(),
                params.rows,
                params.kinds,
                params.patterns
            );
        }
        None => print!("{}", generated.csv),
    }
    Ok(Outcome::Ok)
}
