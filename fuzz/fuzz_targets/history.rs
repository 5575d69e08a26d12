//! Execution histories (CSV; even first byte) and task tables (odd) of the `learn` module. A
//! small accepted history is fitted; the model predicts its own rows and its file reads back.
#![no_main]

#[path = "../common/mod.rs"]
mod common;

use hetsched::learn::history::{History, ReadOptions, Value, parse_tasks};
use hetsched::learn::{FitOptions, Model, fit};
use libfuzzer_sys::fuzz_target;

/// Histories with more rows are only read (fitting is cross-validated least squares).
const MAX_FITTED_ROWS: usize = 200;

/// Larger models are only read: `fit` bounds its own work (`learn::MAX_FIT_WORK`, tested in
/// the library), but ten seconds of factorisations is far more under AddressSanitizer.
const MAX_COLUMNS: usize = 160;

/// The columns of the cross-kind model: per kind, per term and per kind × term (an upper bound:
/// a categorical feature counted with all its values).
fn cross_kind_columns(history: &History) -> usize {
    let kinds = history.kinds().len();
    let terms: usize = (0..history.features.len())
        .map(|j| {
            let levels: std::collections::BTreeSet<String> = history
                .records
                .iter()
                .filter_map(|r| match &r.values[j] {
                    Value::Cat(c) => Some(c.clone()),
                    Value::Num(_) => None,
                })
                .collect();
            levels.len().max(1)
        })
        .sum();
    kinds * (terms + 1) + terms
}

fuzz_target!(|data: &[u8]| {
    let Some((selector, text)) = common::split(data) else {
        return;
    };
    let origin = common::origin();
    if selector % 2 == 1 {
        let _ = parse_tasks(text, origin, &[]);
        return;
    }
    let Ok(history) = History::parse(text, origin, &ReadOptions::default()) else {
        return;
    };
    if history.records.len() > MAX_FITTED_ROWS || cross_kind_columns(&history) > MAX_COLUMNS {
        return;
    }
    let options = FitOptions {
        folds: 2,
        ..FitOptions::default()
    };
    let Ok(model) = fit(&history, &options) else {
        return;
    };
    for record in &history.records {
        let _ = model.predict(&record.kind, record.task.as_deref(), &record.values);
    }
    let written = model.to_json();
    Model::parse(&written, origin)
        .unwrap_or_else(|e| panic!("a fitted model does not read back: {e}\n{written}"));
});
