use crate::Outcome;
use anyhow::Result;
use hetsched::io::ScheduleFile;
use hetsched::schedule::render::num;
use hetsched::{Error, Objective};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Instance file.
    instance: PathBuf,
    /// Schedule file (JSON, as written by `hetsched solve --out`).
    schedule: PathBuf,
    /// Objective to evaluate, overriding the schedule file's and the instance's.
    #[arg(long, short)]
    objective: Option<String>,
}

pub fn run(args: Args) -> Result<Outcome> {
    let mut instance = hetsched::io::read_instance(&args.instance)?;
    let file = ScheduleFile::read(&args.schedule)?;
    let objective = match (&args.objective, file.objective.as_str()) {
        (Some(o), _) => Some(o.parse::<Objective>().map_err(Error::Usage)?),
        (None, "") => None,
        (None, o) => Some(o.parse::<Objective>().map_err(|e| Error::Parse {
            path: args.schedule.clone(),
            message: e,
        })?),
    };
    if let Some(o) = objective {
        instance = instance.with_objective(o);
    }
    let (schedule, mut violations) = file.to_schedule(&instance);
    violations.extend(schedule.violations(&instance));
    let value = schedule.value(&instance);
    let mut value_mismatch = false;
    if let Some(claimed) = file.value
        && (claimed - value).abs() > 1e-6 * value.abs().max(1.0)
    {
        value_mismatch = true;
    }
    if violations.is_empty() && !value_mismatch {
        println!(
            "feasible: {} assignments, {} = {}",
            schedule.assignments.len(),
            instance.objective(),
            num(value)
        );
        return Ok(Outcome::Ok);
    }
    if !violations.is_empty() {
        println!("infeasible: {} violation(s)", violations.len());
        for v in &violations {
            println!("  - {v}");
        }
    }
    if value_mismatch {
        println!(
            "the file claims {} = {} but the schedule evaluates to {}",
            instance.objective(),
            num(file.value.unwrap_or(f64::NAN)),
            num(value)
        );
    }
    Ok(Outcome::Failed)
}
