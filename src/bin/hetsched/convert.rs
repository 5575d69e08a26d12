use crate::Outcome;
use anyhow::Result;
use hetsched::io::{self, etc};
use std::path::PathBuf;

#[derive(Clone, Copy, clap::ValueEnum)]
enum From {
    /// Braun et al. ETC matrix: task-major, one number per line, optional `TASKS MACHINES [FLAG]` header.
    Etc,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Json,
    Toml,
}

#[derive(clap::Args)]
pub struct Args {
    /// Input format.
    #[arg(long)]
    from: From,
    /// Input file.
    file: PathBuf,
    /// Number of machines (devices), required when the file has no header.
    #[arg(long, short)]
    machines: Option<usize>,
    /// Instance name (default: the file name).
    #[arg(long)]
    name: Option<String>,
    /// Write the instance here instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Output format (default: from the --out extension, else JSON).
    #[arg(long)]
    format: Option<Format>,
}

pub fn run(args: Args) -> Result<Outcome> {
    let mut data = match args.from {
        From::Etc => etc::read(&args.file, args.machines)?,
    };
    if let Some(name) = args.name {
        data.name = Some(name);
    }
    // Validate before writing, so a converted file always loads.
    hetsched::Instance::new(data.clone()).map_err(|e| e.in_file(&args.file))?;
    let format = match (args.format, &args.out) {
        (Some(f), _) => f,
        (None, Some(p)) if io::InstanceFormat::from_path(p) == io::InstanceFormat::Toml => {
            Format::Toml
        }
        _ => Format::Json,
    };
    let text = match format {
        Format::Json => io::instance_to_json(&data),
        Format::Toml => io::instance_to_toml(&data)?,
    };
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
