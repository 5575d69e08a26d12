//! Reading a JSON instance, its tasks on all threads when the file is large.
//!
//! A 5000-task × 64-device file is 8.6 MB of JSON, most of it the tasks' `times`. A first pass
//! reads the outline (name, objective, devices, network) and only finds where each task's text
//! starts and ends; the tasks are then parsed in parallel. Anything either step does not accept
//! (a syntax error, an unknown field, a task that does not parse) sends the whole text through
//! the ordinary one-pass reader, whose error gives the line and column: a bad large file is
//! read twice, its message is unchanged.

use crate::model::{Device, InstanceData, Network, Task};
use rayon::prelude::*;
use serde::Deserialize;
use serde_json::value::RawValue;

/// Files of at least 1 MiB parse their tasks in parallel (below it the threads cost more than
/// they save).
const PARALLEL_BYTES: usize = 1 << 20;

/// [`InstanceData`] from JSON text, with serde_json's error (line and column) when it is not one.
pub(super) fn parse(text: &str) -> Result<InstanceData, serde_json::Error> {
    if text.len() >= PARALLEL_BYTES
        && let Some(data) = parse_parallel(text)
    {
        return Ok(data);
    }
    serde_json::from_str(text)
}

/// [`InstanceData`]'s fields with each task left as its text. A field added to
/// [`InstanceData`] must be added here too (`parse_parallel` no longer builds without it), and
/// to the test's `every_field`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Outline<'a> {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    objective: Option<String>,
    #[serde(default)]
    devices: Vec<Device>,
    #[serde(default, borrow)]
    tasks: Vec<&'a RawValue>,
    #[serde(default)]
    network: Option<Network>,
}

/// The instance with its tasks parsed on all threads; `None` when any part does not parse.
fn parse_parallel(text: &str) -> Option<InstanceData> {
    let outline: Outline = serde_json::from_str(text).ok()?;
    let tasks: Vec<Task> = outline
        .tasks
        .par_iter()
        .with_min_len(64)
        .map(|raw| serde_json::from_str(raw.get()))
        .collect::<Result<_, _>>()
        .ok()?;
    Some(InstanceData {
        name: outline.name,
        objective: outline.objective,
        devices: outline.devices,
        tasks,
        network: outline.network,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An instance using every field of the file format, as JSON.
    fn every_field() -> String {
        let text = r#"{
            "name": "all", "objective": "total-weighted-tardiness",
            "devices": [
                {"id": "g0", "kind": "gpu", "speed": 2, "memory": 16, "available_from": 1,
                 "capacity": 100, "cost_rate": 3, "resources": {"gpu": 1}},
                {"id": "c0"}
            ],
            "tasks": [
                {"id": "a", "work": 4, "times": {"gpu": 2, "c0": 5}, "costs": {"c0": 1},
                 "memory": 8, "weight": 2, "release": 1, "due": 9, "demand": {"gpu": 1},
                 "user": "u"},
                {"id": "b\u00e9", "work": 1, "after": ["a", {"task": "a", "data": 3}]}
            ],
            "network": {"bandwidth": 2, "latency": 0.5}
        }"#;
        let data: InstanceData = serde_json::from_str(text).expect("the one-pass reader reads it");
        crate::io::instance_to_json(&data)
    }

    #[test]
    fn outline_knows_every_field() {
        let text = every_field();
        let parallel = parse_parallel(&text).expect("the outline reads every field");
        assert_eq!(
            parallel,
            serde_json::from_str::<InstanceData>(&text).unwrap()
        );
    }

    #[test]
    fn anything_the_outline_rejects_gets_the_one_pass_error() {
        let mut text = every_field();
        text.push_str(&" ".repeat(PARALLEL_BYTES));
        assert!(parse(&text).is_ok());
        let bad = text.replacen("\"user\"", "\"usr\"", 1);
        let e = parse(&bad).unwrap_err().to_string();
        assert!(
            e.contains("unknown field `usr`") && e.contains("line"),
            "{e}"
        );
        let bad = text.replacen("\"weight\": 2", "\"weight\": \"2\"", 1);
        let e = parse(&bad).unwrap_err().to_string();
        assert!(e.contains("invalid type") && e.contains("line"), "{e}");
    }
}
