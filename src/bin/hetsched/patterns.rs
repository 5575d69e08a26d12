use crate::Outcome;
use anyhow::Result;
use hetsched::Error;
use hetsched::learn::history::{History, ReadOptions};
use hetsched::learn::patterns::{KChoice, patterns};
use std::fmt::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Execution history (CSV, as for `learn`).
    history: PathBuf,
    /// Number of patterns, or `auto`: the k in 2..=--max-k with the best mean silhouette.
    #[arg(long)]
    k: String,
    /// Largest k tried by `--k auto`.
    #[arg(long, default_value_t = 10)]
    max_k: usize,
    /// Seed of the k-means++ starts: same seed, same patterns.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// The target column.
    #[arg(long, default_value = "runtime")]
    target: String,
    /// The feature columns (default: all; only numeric ones are clustered).
    #[arg(long, value_delimiter = ',', value_name = "A,B,...")]
    features: Option<Vec<String>>,
    /// Write each row's pattern here (CSV: line, pattern).
    #[arg(long, value_name = "FILE.csv")]
    assignments: Option<PathBuf>,
}

/// x with about 4 significant digits.
fn num(x: f64) -> String {
    if x != 0.0 && (x.abs() >= 1e6 || x.abs() < 1e-3) {
        format!("{x:.3e}")
    } else {
        let digits = if x.abs() >= 1000.0 {
            0
        } else if x.abs() >= 1.0 {
            2
        } else {
            4
        };
        format!("{x:.digits$}")
    }
}

pub fn run(args: Args) -> Result<Outcome> {
    let k =
        match args.k.as_str() {
            "auto" => KChoice::Auto { max: args.max_k },
            s => KChoice::Fixed(s.parse().map_err(|_| {
                Error::Usage(format!("--k must be a number ≥ 1 or 'auto', got '{s}'"))
            })?),
        };
    let options = ReadOptions {
        target: args.target.clone(),
        features: args.features.clone(),
    };
    let history = History::read(&args.history, &options)?;
    let report = patterns(&history, k, args.seed)?;
    let mut out = String::new();
    if !report.silhouettes.is_empty() {
        let scores: Vec<String> = report
            .silhouettes
            .iter()
            .map(|(k, s)| format!("k={k} {s:.3}"))
            .collect();
        writeln!(out, "mean silhouette: {}", scores.join(", "))?;
    }
    let features: Vec<String> = report
        .features
        .iter()
        .zip(&report.log)
        .map(|(f, &log)| {
            if log {
                format!("{f} (geometric mean)")
            } else {
                f.clone()
            }
        })
        .collect();
    writeln!(
        out,
        "{} patterns of {} rows over {}",
        report.patterns.len(),
        history.records.len(),
        features.join(", ")
    )?;
    for (p, pattern) in report.patterns.iter().enumerate() {
        let centre: Vec<String> = report
            .features
            .iter()
            .zip(&pattern.centre)
            .map(|(f, x)| format!("{f}={}", num(*x)))
            .collect();
        writeln!(
            out,
            "pattern {p}: {} rows; centre {}",
            pattern.size,
            centre.join(" ")
        )?;
        let times: Vec<String> = pattern
            .runtime
            .iter()
            .map(|(kind, (rows, t))| format!("{kind} {} ({rows})", num(*t)))
            .collect();
        writeln!(
            out,
            "  median {} per kind (rows): {}",
            history.target,
            times.join(", ")
        )?;
    }
    print!("{out}");
    if let Some(path) = &args.assignments {
        let mut text = String::from("line,pattern\n");
        for (r, l) in history.records.iter().zip(&report.labels) {
            writeln!(text, "{},{l}", r.line)?;
        }
        hetsched::io::write_text(path, &text)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(Outcome::Ok)
}
