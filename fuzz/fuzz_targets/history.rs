//! Execution histories (CSV; even first byte) and task tables (odd) of the `learn` module. A
//! small accepted history is fitted; the model predicts its own rows and its file reads back.
#![no_main]

#[path = "../common/mod.rs"]
mod common;

use hetsched::learn::history::{History, ReadOptions, parse_tasks};
use hetsched::learn::{FitOptions, Model, fit};
use libfuzzer_sys::fuzz_target;

/// Histories with more rows are only read (fitting is cross-validated least squares).
const MAX_FITTED_ROWS: usize = 200;

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
    if history.records.len() > MAX_FITTED_ROWS {
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
