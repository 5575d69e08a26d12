//! The scheduling model: devices, tasks, objectives and the validated [`Instance`].
//!
//! Files and the API describe an instance with [`InstanceData`] (string ids, optional fields);
//! [`Instance::new`] validates it once and builds the dense form every solver uses: tasks and
//! devices by index, one processing-time matrix with `f64::INFINITY` marking ineligible pairs,
//! predecessor/successor lists and a topological order.

mod ccr;
mod check;
mod classes;
mod graph;
mod instance;
mod keyed;
mod network;
mod objective;
mod resources;
mod tables;

pub use instance::Instance;
pub use network::{After, Link, Network};
pub use objective::Objective;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A device that runs tasks: a GPU, a CPU, an accelerator.
///
/// ```
/// let d: hetsched::Device = serde_json::from_str(r#"{"id": "a100-0", "kind": "a100", "speed": 2}"#).unwrap();
/// assert_eq!(d.kind(), "a100");
/// assert_eq!(d.memory, None); // unlimited
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Device {
    /// Unique id.
    pub id: String,
    /// Kind (e.g. `"a100"`, `"cpu"`); tasks may give times per kind. Defaults to the id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Speed factor (> 0): a task with `work` w takes w / speed here. Default 1.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub speed: f64,
    /// Memory (≥ 0); `None` means unlimited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<f64>,
    /// Cost per busy time unit. Default 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub cost_rate: f64,
    /// Total busy time the device may take; `None` means unlimited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<f64>,
    /// Earliest time the device can start work. Default 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub available_from: f64,
    /// Shared resources and their capacities (each > 0), e.g. `{"gpu": 8, "cpu": 96, "mem": 1024}`.
    /// A device with resources runs tasks concurrently while, for every resource, the demands of
    /// the tasks running there sum to at most its capacity; `None` (the default) means one task at
    /// a time and no resources offered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<BTreeMap<String, f64>>,
}

impl Device {
    /// A device with the given id and every other field at its default.
    pub fn new(id: impl Into<String>) -> Self {
        Device {
            id: id.into(),
            kind: None,
            speed: 1.0,
            memory: None,
            cost_rate: 0.0,
            capacity: None,
            available_from: 0.0,
            resources: None,
        }
    }

    /// The device's kind, or its id when no kind is given.
    pub fn kind(&self) -> &str {
        self.kind.as_deref().unwrap_or(&self.id)
    }
}

/// A unit of work to place on one device: a training run, an inference batch, a preprocessing step.
///
/// ```
/// let t: hetsched::Task = serde_json::from_str(
///     r#"{"id": "train", "work": 120, "memory": 40, "after": ["prep"]}"#).unwrap();
/// assert_eq!(t.weight, 1.0);
/// assert_eq!(t.after, vec![hetsched::After::new("prep")]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// Unique id.
    pub id: String,
    /// Processing time on a speed-1 device (used when `times` is absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work: Option<f64>,
    /// Explicit processing times keyed by device id or device kind (id wins). When given, the
    /// task can run only on devices it names, directly or by kind.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "keyed::deserialize"
    )]
    pub times: Option<BTreeMap<String, f64>>,
    /// Explicit assignment costs keyed by device id or kind; devices not named cost
    /// `cost_rate × processing time`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "keyed::deserialize"
    )]
    pub costs: Option<BTreeMap<String, f64>>,
    /// Memory the task needs (≥ 0). Default 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub memory: f64,
    /// Weight in weighted objectives (≥ 0). Default 1.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub weight: f64,
    /// Earliest start. Default 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub release: f64,
    /// Due date for tardiness; `None` means the task is never tardy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<f64>,
    /// The tasks that must end before this one starts: plain ids, or ids with the data each
    /// sends to this task (see [`After`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<After>,
    /// Amounts of device resources (each ≥ 0) the task holds while it runs, e.g.
    /// `{"gpu": 4, "mem": 300}`. A task may run only on devices that offer every resource it
    /// demands a positive amount of, with at least that capacity. A task with an empty demand (the
    /// default) is exclusive: nothing else runs on its device while it does.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub demand: BTreeMap<String, f64>,
    /// Who submitted the task (a non-empty name): fair share and dominant resource fairness in
    /// the simulator share devices between users, and its metrics are reported per user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

impl Task {
    /// A task with the given id and work, every other field at its default.
    pub fn new(id: impl Into<String>, work: f64) -> Self {
        Task {
            id: id.into(),
            work: Some(work),
            times: None,
            costs: None,
            memory: 0.0,
            weight: 1.0,
            release: 0.0,
            due: None,
            after: Vec::new(),
            demand: BTreeMap::new(),
            user: None,
        }
    }
}

/// An instance as written in a file (JSON or TOML): string ids, optional fields, not yet validated.
///
/// Turn it into an [`Instance`] with [`Instance::new`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct InstanceData {
    /// Instance name (defaults to the file stem when read from a file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Objective name (see [`Objective`]); defaults to `makespan`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<String>,
    /// The devices.
    #[serde(default)]
    pub devices: Vec<Device>,
    /// The tasks.
    #[serde(default)]
    pub tasks: Vec<Task>,
    /// The network moving data between devices (used by `after` entries that carry data);
    /// `None` means bandwidth 1 and latency 0 between any two devices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<Network>,
}

fn one() -> f64 {
    1.0
}
fn is_one(x: &f64) -> bool {
    *x == 1.0
}
fn is_zero(x: &f64) -> bool {
    *x == 0.0
}
