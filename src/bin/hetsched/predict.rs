use crate::Outcome;
use anyhow::{Context, Result};
use hetsched::learn::Model;
use hetsched::learn::history::parse_tasks;
use hetsched::learn::predict::{DevicesFile, instance, intervals_csv};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Model file written by `hetsched learn`.
    model: PathBuf,
    /// Tasks to predict (CSV: a task column and the model's feature columns).
    tasks: PathBuf,
    /// Devices file (JSON, or TOML for .toml): {"devices": [...]} as in instance files,
    /// optionally a "network".
    #[arg(long)]
    devices: PathBuf,
    /// Write the instance here (TOML for .toml, JSON otherwise).
    #[arg(long)]
    out: PathBuf,
    /// Write the intervals and extrapolation flags here (CSV: task, kind, estimate, low, high,
    /// level, known_task, extrapolation).
    #[arg(long, value_name = "FILE.csv")]
    intervals: Option<PathBuf>,
    /// Instance name (default: the --out file stem).
    #[arg(long)]
    name: Option<String>,
}

pub fn run(args: Args) -> Result<Outcome> {
    let model = Model::read(&args.model)?;
    let text = hetsched::io::read_text(&args.tasks)?;
    let tasks = parse_tasks(&text, &args.tasks, &model.feature_columns())?;
    let devices = DevicesFile::read(&args.devices)?;
    let name = args.name.clone().or_else(|| {
        args.out
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
    });
    let (data, predicted) = instance(&model, &tasks, devices.devices, devices.network, name)?;
    hetsched::Instance::new(data.clone())
        .map_err(|e| e.in_file(&args.devices))
        .context("the predicted instance does not validate")?;
    let format = crate::InstanceOutput::choose(None, Some(&args.out));
    let (text, _) = format.render(&data)?;
    hetsched::io::write_text(&args.out, &text)?;
    let flagged: std::collections::BTreeSet<&str> = predicted
        .iter()
        .filter(|p| !p.prediction.extrapolation.is_empty())
        .map(|p| p.task.as_str())
        .collect();
    println!(
        "{} tasks × {} kinds predicted with the {} model ({:.0}% intervals); {} task{} extrapolate{}",
        data.tasks.len(),
        predicted.len() / data.tasks.len().max(1),
        model.selected,
        model.level * 100.0,
        flagged.len(),
        if flagged.len() == 1 { "" } else { "s" },
        if flagged.len() == 1 { "s" } else { "" },
    );
    for p in predicted
        .iter()
        .filter(|p| !p.prediction.extrapolation.is_empty())
    {
        println!(
            "  {} on {}: {}",
            p.task,
            p.kind,
            p.prediction.extrapolation.join("; ")
        );
    }
    eprintln!("wrote {}", args.out.display());
    if let Some(path) = &args.intervals {
        hetsched::io::write_text(path, &intervals_csv(&model, &predicted))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(Outcome::Ok)
}
