use crate::Outcome;
use anyhow::Result;
use hetsched::learn::history::{History, ReadOptions};
use hetsched::learn::{FitOptions, fit};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Execution history (CSV with a header: kind, the target, optional task, features).
    history: PathBuf,
    /// Write the model here (JSON, format in docs/format.md).
    #[arg(long)]
    out: PathBuf,
    /// The target column.
    #[arg(long, default_value = "runtime")]
    target: String,
    /// The feature columns to use (default: every column but kind, task and the target).
    #[arg(long, value_delimiter = ',', value_name = "A,B,...")]
    features: Option<Vec<String>>,
    /// Cross-validation folds (at least 2).
    #[arg(long, default_value_t = 5)]
    folds: usize,
    /// Seed of the fold assignment.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Level of the prediction intervals, in (0, 1).
    #[arg(long, default_value_t = 0.9)]
    level: f64,
}

pub fn run(args: Args) -> Result<Outcome> {
    let options = ReadOptions {
        target: args.target.clone(),
        features: args.features.clone(),
    };
    let history = History::read(&args.history, &options)?;
    let fit_options = FitOptions {
        folds: args.folds,
        seed: args.seed,
        level: args.level,
        ..FitOptions::default()
    };
    let model = fit(&history, &fit_options)?;
    println!(
        "{} rows, {} kinds, {} features; {}-fold cross-validation (seed {})",
        model.rows,
        model.kinds.len(),
        model.features.len(),
        model.folds,
        model.seed
    );
    println!(
        "{:<20} {:>13} {:>15} {:>12} {:>17}",
        "candidate",
        "held-out MAPE",
        format!("{:.0}% coverage", model.level * 100.0),
        "unpredicted",
        "unseen-pair MAPE"
    );
    for c in &model.candidates {
        let pct = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{:.2}%", 100.0 * x));
        let unseen = model.unseen_pairs.as_ref().map(|u| &u.selected);
        println!(
            "{:<20} {:>13} {:>15} {:>12} {:>17}{}{}",
            c.name,
            pct(c.mape),
            pct(c.coverage),
            c.unpredicted,
            pct(c.unseen_pair_mape),
            if c.name == model.selected {
                "  selected"
            } else {
                ""
            },
            if Some(&c.name) == unseen {
                "  for unseen pairs"
            } else {
                ""
            }
        );
    }
    let [lo, hi] = model.residual_quantiles;
    println!(
        "{:.0}% interval: prediction × [{:.3}, {:.3}]",
        model.level * 100.0,
        lo.exp(),
        hi.exp()
    );
    if let Some(u) = &model.unseen_pairs {
        let [lo, hi] = u.residual_quantiles;
        println!(
            "a category never seen on a kind: {}, {:.0}% interval × [{:.3}, {:.3}]",
            u.selected,
            model.level * 100.0,
            lo.exp(),
            hi.exp()
        );
    }
    hetsched::io::write_text(&args.out, &model.to_json())?;
    eprintln!("wrote {}", args.out.display());
    Ok(Outcome::Ok)
}
