//! Scientific workflows (WfCommons, Pegasus DAX) as task graphs, and their mapping onto a
//! device set.
//!
//! The readers [`wfcommons`](super::wfcommons) and [`dax`](super::dax) turn a file into a
//! [`Workflow`]: tasks with their measured runtimes (seconds) and edges parent → child carrying
//! the bytes of the files the parent writes and the child reads (`None` when they share no file:
//! a plain precedence). [`to_instance`] then maps it onto a [`Platform`] — devices with speeds, a
//! network, optional per-kind speeds for tasks by name — giving an instance:
//!
//! - a task's time on device d is runtime / speed(d), written as `work` = runtime; a task that a
//!   [speed rule](SpeedRule) matches gets explicit `times` instead, with the rule's speed on the
//!   rule's device kind;
//! - an edge's `data` is its bytes in **megabytes** (10⁶ bytes, [`BYTES_PER_UNIT`]), so
//!   network bandwidths are in MB/s and latencies in seconds; an edge without shared files stays
//!   a plain id (no transfer at all);
//! - the objective is `makespan`.
//!
//! A platform comes from a devices file (TOML, or JSON for any other extension) with the
//! fields `devices` (as in instance files), `network` (as in instance files) and `speeds`
//! (speed rules), or is the [default](Platform::default_set): 4 CPUs of speed 1 (the machines
//! the runtimes were measured on), 2 GPUs of speed 4, and 1 Gbit/s Ethernet (125 MB/s, no
//! latency).

use crate::error::Error;
use crate::model::{After, Device, Instance, InstanceData, Network, Task};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Bytes per unit of edge data: edges carry megabytes (10⁶ bytes).
pub const BYTES_PER_UNIT: f64 = 1e6;

/// Bandwidth of the default network: 1 Gbit/s Ethernet, in MB/s.
pub const DEFAULT_BANDWIDTH: f64 = 125.0;

/// A workflow as read from a file, before it is mapped onto devices.
#[derive(Debug, Clone, PartialEq)]
pub struct Workflow {
    /// The tasks, in file order.
    pub tasks: Vec<WorkflowTask>,
}

/// One task of a [`Workflow`].
#[derive(Debug, Clone, PartialEq)]
pub struct WorkflowTask {
    /// Unique id (WfCommons: the task `id`; DAX: the job `id`).
    pub id: String,
    /// The task's name (WfCommons: `name`; DAX: the job's `name`, its transformation), which
    /// [speed rules](SpeedRule) match besides the id.
    pub name: String,
    /// Measured runtime in seconds (≥ 0).
    pub runtime: f64,
    /// The edges into this task, one per parent, in the order first met.
    pub parents: Vec<WorkflowEdge>,
}

/// An edge parent → child of a [`Workflow`].
#[derive(Debug, Clone, PartialEq)]
pub struct WorkflowEdge {
    /// The parent's position in [`Workflow::tasks`].
    pub parent: usize,
    /// Total size in bytes of the files the parent writes and the child reads (each file
    /// counted once); `None` when they share no file.
    pub bytes: Option<f64>,
}

impl Workflow {
    /// Number of edges.
    pub fn num_edges(&self) -> usize {
        self.tasks.iter().map(|t| t.parents.len()).sum()
    }

    /// Total bytes over the edges that carry files.
    pub fn total_bytes(&self) -> f64 {
        self.tasks
            .iter()
            .flat_map(|t| &t.parents)
            .filter_map(|e| e.bytes)
            .sum()
    }
}

/// Devices, network and per-kind speeds a workflow is mapped onto (the `--devices` file).
///
/// ```
/// use hetsched::io::workflow::Platform;
/// let p: Platform = toml::from_str(r#"
///     devices = [{id = "cpu-0", kind = "cpu"}, {id = "gpu-0", kind = "gpu", speed = 3}]
///     network = {bandwidth = 1250, latency = 0.001}
///     speeds = [{tasks = "mProject*", kind = "gpu", speed = 10}]
/// "#).unwrap();
/// assert_eq!(p.speeds[0].speed, 10.0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Platform {
    /// The devices, as in instance files (`id`, `kind`, `speed`, `memory`, …).
    pub devices: Vec<Device>,
    /// The network, as in instance files (bandwidth in MB/s, latency in seconds); `None`: the
    /// default network (125 MB/s, no latency).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<Network>,
    /// Per-kind speeds for the tasks whose name or id matches a pattern; the first rule that
    /// matches a task for a kind wins.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub speeds: Vec<SpeedRule>,
}

/// A speed that replaces a device kind's for the tasks a pattern matches: on devices of `kind`,
/// a matching task takes runtime / `speed`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeedRule {
    /// Pattern matched against the task's name and its id: `*` stands for any run of
    /// characters, `?` for one character, anything else for itself (case matters).
    pub tasks: String,
    /// The device kind the speed applies to.
    pub kind: String,
    /// The speed (> 0).
    pub speed: f64,
}

impl SpeedRule {
    /// True when the rule's pattern matches the task's name or id.
    pub fn matches(&self, task: &WorkflowTask) -> bool {
        glob(&self.tasks, &task.name) || glob(&self.tasks, &task.id)
    }
}

impl Platform {
    /// The default device set: `cpu-0` … `cpu-3` (kind `cpu`, speed 1: the runtimes as
    /// measured), `gpu-0` and `gpu-1` (kind `gpu`, speed 4), and a network of 125 MB/s (1 Gbit/s
    /// Ethernet) without latency.
    pub fn default_set() -> Self {
        let device = |id: String, kind: &str, speed: f64| Device {
            kind: Some(kind.to_string()),
            speed,
            ..Device::new(id)
        };
        let mut devices: Vec<Device> = (0..4)
            .map(|i| device(format!("cpu-{i}"), "cpu", 1.0))
            .collect();
        devices.extend((0..2).map(|i| device(format!("gpu-{i}"), "gpu", 4.0)));
        Platform {
            devices,
            network: Some(Network {
                bandwidth: DEFAULT_BANDWIDTH,
                ..Network::default()
            }),
            speeds: Vec::new(),
        }
    }

    /// Read a devices file: TOML for a `.toml` extension, JSON otherwise. Unknown fields are
    /// rejected; errors name the file. The devices, the network and the rules are checked when
    /// a workflow is mapped ([`to_instance`]).
    pub fn read(path: &Path) -> Result<Self, Error> {
        let text = super::read_text(path)?;
        let parsed = match super::InstanceFormat::from_path(path) {
            super::InstanceFormat::Toml => toml::from_str::<Platform>(&text).map_err(|e| {
                format!(
                    "not a valid TOML devices file: {}",
                    e.to_string().trim_end()
                )
            }),
            super::InstanceFormat::Json => serde_json::from_str::<Platform>(&text)
                .map_err(|e| format!("not a valid JSON devices file: {e}")),
        };
        let platform = parsed.map_err(|message| Error::Parse {
            path: path.to_path_buf(),
            message,
        })?;
        platform.check().map_err(|message| Error::Parse {
            path: path.to_path_buf(),
            message,
        })?;
        Ok(platform)
    }

    /// The problems of the speed rules and the device list that instance validation would not
    /// name as such.
    fn check(&self) -> Result<(), String> {
        let mut problems = Vec::new();
        if self.devices.is_empty() {
            problems.push("the devices list is empty".to_string());
        }
        for (i, rule) in self.speeds.iter().enumerate() {
            let what = format!("speed rule #{} (tasks '{}')", i + 1, rule.tasks);
            if rule.tasks.is_empty() {
                problems.push(format!("{what}: the pattern is empty"));
            }
            if !self.devices.iter().any(|d| d.kind() == rule.kind) {
                problems.push(format!(
                    "{what}: kind '{}' is the kind of no device",
                    rule.kind
                ));
            }
            if !(rule.speed.is_finite() && rule.speed > 0.0) {
                problems.push(format!(
                    "{what}: speed must be a finite number > 0, got {}",
                    rule.speed
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        }
    }

    /// How many tasks of `workflow` each speed rule applies to (a rule shadowed by an earlier
    /// one for the same kind counts only the tasks it decides).
    pub fn rule_uses(&self, workflow: &Workflow) -> Vec<usize> {
        let mut uses = vec![0; self.speeds.len()];
        for task in &workflow.tasks {
            for i in self.decisive_rules(task).into_values() {
                uses[i] += 1;
            }
        }
        uses
    }

    /// For one task, the first rule matching it for each kind: (kind, rule index).
    fn decisive_rules(&self, task: &WorkflowTask) -> BTreeMap<&str, usize> {
        let mut first = BTreeMap::new();
        for (i, rule) in self.speeds.iter().enumerate() {
            if rule.matches(task) {
                first.entry(rule.kind.as_str()).or_insert(i);
            }
        }
        first
    }
}

/// Map `workflow` onto `platform` (see the [module](self) docs): the instance data, named
/// `name`, objective `makespan`. The result is not validated here (the caller does, naming its
/// file); a platform whose rules are bad is an [`Error::Usage`].
pub fn to_instance(
    workflow: &Workflow,
    platform: &Platform,
    name: &str,
) -> Result<InstanceData, Error> {
    platform.check().map_err(Error::Usage)?;
    // Devices of each kind, to write a rule-matched task's times by kind (or by id when the
    // kind's devices differ in speed).
    let mut by_kind: BTreeMap<&str, Vec<&Device>> = BTreeMap::new();
    for d in &platform.devices {
        by_kind.entry(d.kind()).or_default().push(d);
    }
    let tasks = workflow
        .tasks
        .iter()
        .map(|wt| {
            let mut task = Task::new(wt.id.clone(), wt.runtime);
            let rules = platform.decisive_rules(wt);
            if !rules.is_empty() {
                let mut times = BTreeMap::new();
                for (kind, devices) in &by_kind {
                    match rules.get(kind) {
                        Some(&i) => {
                            times.insert(kind.to_string(), wt.runtime / platform.speeds[i].speed);
                        }
                        None if devices.iter().all(|d| d.speed == devices[0].speed) => {
                            times.insert(kind.to_string(), wt.runtime / devices[0].speed);
                        }
                        None => {
                            for d in devices {
                                times.insert(d.id.clone(), wt.runtime / d.speed);
                            }
                        }
                    }
                }
                task.work = None;
                task.times = Some(times);
            }
            task.after = wt
                .parents
                .iter()
                .map(|e| {
                    let parent = workflow.tasks[e.parent].id.clone();
                    match e.bytes {
                        Some(b) => After::with_data(parent, b / BYTES_PER_UNIT),
                        None => After::new(parent),
                    }
                })
                .collect();
            task
        })
        .collect();
    Ok(InstanceData {
        name: Some(name.to_string()),
        objective: Some("makespan".to_string()),
        devices: platform.devices.clone(),
        tasks,
        network: Some(platform.network.clone().unwrap_or(Network {
            bandwidth: DEFAULT_BANDWIDTH,
            ..Network::default()
        })),
    })
}

/// A summary of a converted workflow: tasks, edges (with data), total data in MB, mean runtime
/// on the platform's devices and the instance's communication-to-computation ratio.
pub fn summary(data: &InstanceData) -> Result<String, Error> {
    let inst = Instance::new(data.clone())?;
    let edges: usize = data.tasks.iter().map(|t| t.after.len()).sum();
    let with_data: Vec<f64> = data
        .tasks
        .iter()
        .flat_map(|t| &t.after)
        .filter_map(|a| a.data)
        .collect();
    Ok(format!(
        "{} tasks, {} devices, {edges} edges ({} with data, {:.1} MB in all), CCR {}",
        data.tasks.len(),
        data.devices.len(),
        with_data.len(),
        with_data.iter().sum::<f64>(),
        match inst.ccr() {
            None => "n/a".to_string(),
            Some(c) if c >= 0.01 => format!("{c:.3}"),
            Some(c) => format!("{c:.2e}"),
        },
    ))
}

/// `*` matches any run of characters (also none), `?` one character, any other character
/// itself.
fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Greedy matching with backtracking to the last `*`.
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < t.len() {
        if i < p.len() && (p[i] == '?' || p[i] == t[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some((i, j));
            i += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    p[i..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(id: &str, name: &str, runtime: f64) -> WorkflowTask {
        WorkflowTask {
            id: id.into(),
            name: name.into(),
            runtime,
            parents: Vec::new(),
        }
    }

    #[test]
    fn glob_matches_stars_and_question_marks() {
        for (p, t) in [
            ("mProject*", "mProjectPP"),
            ("*", ""),
            ("*ID*", "bowtie2_ID0000003"),
            ("a?c", "abc"),
            ("a*b*c", "aXbYbZc"),
            ("exact", "exact"),
        ] {
            assert!(glob(p, t), "{p} {t}");
        }
        for (p, t) in [
            ("mProject*", "mAdd"),
            ("a?c", "ac"),
            ("abc", "abcd"),
            ("", "x"),
        ] {
            assert!(!glob(p, t), "{p} {t}");
        }
    }

    #[test]
    fn rules_write_times_per_kind_and_others_keep_work() {
        let mut b = task("b", "mAdd", 8.0);
        b.parents = vec![WorkflowEdge {
            parent: 0,
            bytes: Some(2.5e6),
        }];
        let mut c = task("c", "mJPEG", 4.0);
        c.parents = vec![WorkflowEdge {
            parent: 1,
            bytes: None,
        }];
        let wf = Workflow {
            tasks: vec![task("a", "mProjectPP", 10.0), b, c],
        };
        let mut platform = Platform::default_set();
        platform.devices[3].speed = 2.0; // cpu-3: the cpu kind's speeds now differ
        platform.speeds = vec![
            SpeedRule {
                tasks: "mProject*".into(),
                kind: "gpu".into(),
                speed: 10.0,
            },
            SpeedRule {
                tasks: "mProjectPP".into(),
                kind: "gpu".into(),
                speed: 1.0,
            },
        ];
        let data = to_instance(&wf, &platform, "w").unwrap();
        let a = &data.tasks[0];
        assert_eq!(a.work, None);
        let times = a.times.as_ref().unwrap();
        assert_eq!(times["gpu"], 1.0); // the first rule wins
        assert_eq!((times["cpu-0"], times["cpu-3"]), (10.0, 5.0));
        assert_eq!(data.tasks[1].work, Some(8.0));
        assert_eq!(data.tasks[1].after, vec![After::with_data("a", 2.5)]);
        assert_eq!(data.tasks[2].after, vec![After::new("b")]);
        assert_eq!(platform.rule_uses(&wf), vec![1, 0]);
        Instance::new(data).unwrap();
    }

    #[test]
    fn bad_rules_are_named() {
        let mut platform = Platform::default_set();
        platform.speeds = vec![SpeedRule {
            tasks: String::new(),
            kind: "tpu".into(),
            speed: 0.0,
        }];
        let err = platform.check().unwrap_err();
        for word in ["speed rule #1", "pattern is empty", "'tpu'", "> 0"] {
            assert!(err.contains(word), "{err}");
        }
    }
}
