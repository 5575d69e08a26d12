//! Learned processing times: performance models fitted to execution histories, predictions
//! with intervals, and task patterns.
//!
//! Users rarely know the processing times solvers plan with, but they have logs of past runs.
//! This module turns such a log — a [`History`](history::History), one row per execution with
//! the device kind, the observed runtime and the task's features — into a [`Model`]:
//!
//! - per device kind, a power law in log space, ln t = β₀ + Σ βᵢ ln xᵢ (categorical features
//!   one-hot), the regression StarPU fits per device;
//! - a cross-kind model, ln t = kind effect + task effect + shared and (shrunk) kind-specific
//!   slopes, which predicts a kind a family never ran on from how that kind compares on the
//!   others;
//!
//! all fitted by least squares with nalgebra (ridge, normal equations by Cholesky) and chosen by
//! k-fold cross-validation on the held-out mean absolute percentage error. Predictions carry an
//! interval (90 % by default) from the empirical quantiles of the held-out log residuals, and a
//! flag when they extrapolate beyond the feature ranges seen on the kind. [`patterns::kmeans`]
//! groups executions by their features (k-means++). The method and measured accuracy are in
//! `docs/learning.md`, the file formats in `docs/format.md`.
//!
//! ```
//! use hetsched::learn::{fit, FitOptions, history::{History, ReadOptions, Value}};
//! let csv = "task,kind,family,params,runtime\n\
//!            a,gpu,llm,1e9,10\na,cpu,llm,1e9,200\nb,gpu,llm,4e9,41\nb,cpu,llm,4e9,790\n\
//!            c,gpu,cnn,1e8,1.1\nc,cpu,cnn,1e8,19\nd,gpu,cnn,2e8,2.0\nd,cpu,cnn,2e8,41\n";
//! let history = History::parse(csv, "history.csv".as_ref(), &ReadOptions::default())?;
//! let model = fit(&history, &FitOptions::default())?;
//! let p = model.predict("gpu", None, &[Value::Cat("llm".into()), Value::Num(2e9)])?;
//! assert!(p.low < p.estimate && p.estimate < p.high);
//! assert!(p.extrapolation.is_empty()); // 2e9 lies within the parameters seen on gpu
//! # Ok::<(), hetsched::Error>(())
//! ```

mod fit;
pub mod history;
pub mod model;
pub mod patterns;
pub mod predict;
mod solve;
pub mod validate;

pub use fit::{FitOptions, MAX_FIT_WORK, MAX_PAIR_GROUPS, fit};
pub use model::{Model, Prediction};
pub use solve::Candidate;

#[cfg(test)]
mod tests {
    use super::history::{History, ReadOptions};
    use super::*;
    use crate::generate::history::{HistoryParams, history as generate};

    /// Fit on the first 2,000 rows of a generated history (5 % noise, 5 kinds), predict the
    /// next 1,000: error near the noise's, intervals near their level.
    #[test]
    fn generated_history_is_learned() {
        let generated = generate(&HistoryParams::new(3000, 5), 1).unwrap();
        let mut lines = generated.csv.lines();
        let header = lines.next().unwrap();
        let rows: Vec<&str> = lines.collect();
        let train = format!("{header}\n{}\n", rows[..2000].join("\n"));
        let test = format!("{header}\n{}\n", rows[2000..].join("\n"));
        let options = ReadOptions::default();
        let h = History::parse(&train, "train.csv".as_ref(), &options).unwrap();
        let model = fit(&h, &FitOptions::default()).unwrap();
        let t = History::parse(&test, "test.csv".as_ref(), &options).unwrap();
        let (mut err, mut inside) = (0.0, 0);
        for r in &t.records {
            let p = model.predict(&r.kind, None, &r.values).unwrap();
            err += (p.estimate - r.runtime).abs() / r.runtime;
            inside += usize::from(p.low <= r.runtime && r.runtime <= p.high);
        }
        let mape = err / t.records.len() as f64;
        let coverage = inside as f64 / t.records.len() as f64;
        assert!(mape < 0.07, "{mape} ({})", model.selected);
        assert!((0.85..=0.95).contains(&coverage), "{coverage}");
        // Round trip through the file format (serde_json may move a last bit when reading).
        let back = Model::parse(&model.to_json(), "m.json".as_ref()).unwrap();
        assert_eq!(
            (&back.selected, &back.features),
            (&model.selected, &model.features)
        );
        for r in &t.records[..50] {
            let (a, b) = (
                model.predict(&r.kind, None, &r.values).unwrap(),
                back.predict(&r.kind, None, &r.values).unwrap(),
            );
            assert!((a.estimate / b.estimate - 1.0).abs() < 1e-12);
        }
    }
}
