use crate::Outcome;
use anyhow::Result;
use hetsched::Error;
use hetsched::io::ScheduleFile;
use hetsched::plot::{self, ColourBy, Format, GanttOptions};
use hetsched::schedule::Violation;
use std::path::{Path, PathBuf};

/// Drawing options shared by `plot` and `solve --gantt`.
#[derive(clap::Args, Clone)]
pub struct DrawArgs {
    /// Draw an arrow from each predecessor to its successor.
    #[arg(long)]
    arrows: bool,
    /// Do not draw the resource usage profiles under devices with `resources`.
    #[arg(long)]
    no_profiles: bool,
    /// Colour bars by task family, by user, or auto (user when tasks name one, else family).
    #[arg(long, value_name = "KEY", default_value = "auto")]
    colour_by: String,
    /// Width of the picture in pixels (at least 400).
    #[arg(long, value_name = "PX", default_value_t = 1200.0)]
    width: f64,
}

impl DrawArgs {
    /// The drawing flags given on the command line (for refusing them without a picture).
    pub fn given(&self) -> Vec<&'static str> {
        [
            (self.arrows, "--arrows"),
            (self.no_profiles, "--no-profiles"),
            (self.colour_by != "auto", "--colour-by"),
            (self.width != 1200.0, "--width"),
        ]
        .into_iter()
        .filter_map(|(given, flag)| given.then_some(flag))
        .collect()
    }

    pub fn options(&self) -> Result<GanttOptions, Error> {
        if !(self.width.is_finite() && (400.0..=100_000.0).contains(&self.width)) {
            return Err(Error::Usage(format!(
                "--width must be between 400 and 100000 pixels, got {}",
                self.width
            )));
        }
        Ok(GanttOptions {
            width: self.width,
            arrows: self.arrows,
            profiles: !self.no_profiles,
            colour_by: self.colour_by.parse::<ColourBy>().map_err(Error::Usage)?,
            title: None,
        })
    }
}

#[derive(clap::Args)]
pub struct Args {
    /// Schedule file (JSON, as written by `hetsched solve --out` or `hetsched simulate --out`).
    schedule: PathBuf,
    /// The instance the schedule is for.
    #[arg(long, short)]
    instance: PathBuf,
    /// Picture file: .svg, or .html for a self-contained page with tooltips.
    #[arg(long)]
    out: PathBuf,
    #[command(flatten)]
    draw: DrawArgs,
}

/// Check that `out` names a picture format and lies in an existing folder.
pub fn check_out(out: &Path) -> Result<Format, Error> {
    let format = Format::from_path(out)?;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        return Err(Error::Usage(format!(
            "{}: the folder {} does not exist",
            out.display(),
            dir.display()
        )));
    }
    Ok(format)
}

pub fn run(args: Args) -> Result<Outcome> {
    let options = args.draw.options()?;
    check_out(&args.out)?;
    let instance = hetsched::io::read_instance(&args.instance)?;
    let file = ScheduleFile::read(&args.schedule)?;
    let (schedule, unknown) = file.to_schedule(&instance);
    if !unknown.is_empty() {
        let names: Vec<String> = unknown
            .iter()
            .map(|v| match v {
                Violation::UnknownTask(t) => format!("task '{t}'"),
                Violation::UnknownDevice { device, .. } => format!("device '{device}'"),
                other => other.to_string(),
            })
            .collect();
        return Err(Error::Parse {
            path: args.schedule.clone(),
            message: format!(
                "names {} not in the instance {}",
                names.join(", "),
                args.instance.display()
            ),
        }
        .into());
    }
    let broken = schedule.violations(&instance).len();
    if broken > 0 {
        eprintln!(
            "note: the schedule breaks {broken} rule(s) (`hetsched check` lists them); drawing it as it is"
        );
    }
    plot::write_gantt(&args.out, &instance, &schedule, &options).map_err(|e| match e {
        Error::Usage(m) => Error::Parse {
            path: args.schedule.clone(),
            message: m,
        },
        other => other,
    })?;
    println!("wrote {}", args.out.display());
    Ok(Outcome::Ok)
}
