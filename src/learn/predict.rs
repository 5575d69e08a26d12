//! From a model, a task list and devices to an instance: every task gets a predicted time per
//! device kind; the intervals and extrapolation flags go to a side table (instance files reject
//! unknown fields, so they cannot carry them).

use super::history::TaskRow;
use super::model::{Model, Prediction};
use crate::error::Error;
use crate::model::{Device, InstanceData, Network, Task};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::Path;

/// A devices file: the `devices` list of an instance file, and optionally its `network`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DevicesFile {
    /// The devices, as in instance files.
    pub devices: Vec<Device>,
    /// The network, as in instance files.
    #[serde(default)]
    pub network: Option<Network>,
}

impl DevicesFile {
    /// Read a devices file: TOML for a `.toml` extension, JSON otherwise.
    pub fn read(path: &Path) -> Result<DevicesFile, Error> {
        let text = crate::io::read_text(path)?;
        let parsed = match crate::io::InstanceFormat::from_path(path) {
            crate::io::InstanceFormat::Toml => toml::from_str(&text).map_err(|e| e.to_string()),
            crate::io::InstanceFormat::Json => {
                serde_json::from_str(&text).map_err(|e| e.to_string())
            }
        };
        parsed.map_err(|e| Error::Parse {
            path: path.to_path_buf(),
            message: format!(
                "not a valid devices file ({{\"devices\": [...]}}): {}",
                e.trim_end()
            ),
        })
    }
}

/// One predicted time with its interval, as written to the side table.
#[derive(Debug, Clone, PartialEq)]
pub struct PredictedTime {
    /// Task id.
    pub task: String,
    /// Device kind.
    pub kind: String,
    /// The prediction.
    pub prediction: Prediction,
}

/// Significant digits kept in predicted times.
const DIGITS: usize = 6;

fn round_sig(x: f64) -> f64 {
    format!("{x:.*e}", DIGITS - 1).parse().unwrap_or(x)
}

/// Build an instance: `devices` (and `network`) as given, one task per row of `tasks` with its
/// predicted time per device kind (the kind of a device without one is its id), rounded to 6
/// significant digits. Returns the instance and every prediction with its interval.
///
/// Returns [`Error::Usage`] when a device kind is unknown to the model, or a value does not
/// fit a feature (naming the task and its line).
pub fn instance(
    model: &Model,
    tasks: &[TaskRow],
    devices: Vec<Device>,
    network: Option<Network>,
    name: Option<String>,
) -> Result<(InstanceData, Vec<PredictedTime>), Error> {
    let kinds: BTreeSet<String> = devices.iter().map(|d| d.kind().to_string()).collect();
    let unknown: Vec<&String> = kinds
        .iter()
        .filter(|k| !model.kinds.contains_key(*k))
        .collect();
    if !unknown.is_empty() {
        return Err(Error::Usage(format!(
            "the model knows no device kind {} (it was fitted on {}); give the devices a `kind` it knows",
            unknown
                .iter()
                .map(|k| format!("'{k}'"))
                .collect::<Vec<_>>()
                .join(", "),
            model.kinds.keys().cloned().collect::<Vec<_>>().join(", ")
        )));
    }
    let mut out_tasks = Vec::with_capacity(tasks.len());
    let mut predicted = Vec::new();
    for row in tasks {
        let mut task = Task::new(row.id.clone(), 0.0);
        task.work = None;
        let mut times = std::collections::BTreeMap::new();
        for kind in &kinds {
            let p = model
                .predict(kind, Some(&row.id), &row.values)
                .map_err(|e| Error::Usage(format!("task '{}' (line {}): {e}", row.id, row.line)))?;
            times.insert(kind.clone(), round_sig(p.estimate));
            predicted.push(PredictedTime {
                task: row.id.clone(),
                kind: kind.clone(),
                prediction: p,
            });
        }
        task.times = Some(times);
        out_tasks.push(task);
    }
    Ok((
        InstanceData {
            name,
            objective: None,
            devices,
            tasks: out_tasks,
            network,
        },
        predicted,
    ))
}

/// The side table of intervals as CSV:
/// `task,kind,estimate,low,high,level,model,known_task,extrapolation` (`model` the candidate
/// that predicted, the extrapolation reasons joined by `; `, empty when the prediction
/// interpolates).
pub fn intervals_csv(model: &Model, predicted: &[PredictedTime]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "task",
        "kind",
        "estimate",
        "low",
        "high",
        "level",
        "model",
        "known_task",
        "extrapolation",
    ];
    w.write_record(header).expect("write to memory");
    for p in predicted {
        let q = &p.prediction;
        w.write_record([
            p.task.clone(),
            p.kind.clone(),
            round_sig(q.estimate).to_string(),
            round_sig(q.low).to_string(),
            round_sig(q.high).to_string(),
            model.level.to_string(),
            q.model.clone(),
            q.known_task.to_string(),
            q.extrapolation.join("; "),
        ])
        .expect("write to memory");
    }
    String::from_utf8(w.into_inner().expect("flush to memory")).expect("UTF-8 fields")
}
