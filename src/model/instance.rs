use super::check::{check_device, check_task};
use super::classes::{Keys, device_classes};
use super::graph::{precedence, topological_order};
use super::network::{self, Network, Transfers};
use super::resources::Resources;
use super::tables::{Tables, in_chunks, tables};
use super::{Device, InstanceData, Objective, Task};
use crate::error::{Error, ValidationReport};
use rustc_hash::FxHashMap;

/// A validated instance in dense form: what every solver takes.
///
/// Tasks and devices keep their file order; task `t` and device `d` are addressed by index
/// (`0..n`, `0..m`), string ids only at the edges. Build one with [`Instance::new`] (or read one
/// with [`crate::io::read_instance`]).
///
/// ```
/// use hetsched::{Device, Instance, InstanceData, Task};
/// let mut gpu = Device::new("gpu");
/// gpu.speed = 2.0;
/// let data = InstanceData {
///     devices: vec![gpu, Device::new("cpu")],
///     tasks: vec![Task::new("train", 10.0)],
///     ..Default::default()
/// };
/// let inst = Instance::new(data).unwrap();
/// assert_eq!(inst.ptime(0, 0), 5.0);
/// assert_eq!(inst.ptime(0, 1), 10.0);
/// ```
#[derive(Debug, Clone)]
pub struct Instance {
    name: String,
    objective: Objective,
    devices: Vec<Device>,
    tasks: Vec<Task>,
    /// Per device, its class: devices no task tells apart (same kind, speed, memory, cost
    /// rate and resources, and named by no task's `times` or `costs`) share one column of the
    /// time and cost matrices, so that a cluster of thousands of identical devices costs a few
    /// columns.
    class_of: Vec<usize>,
    /// Number of classes (columns of `ptime` and `cost`).
    classes: usize,
    /// Per class, its first device.
    class_device: Vec<usize>,
    /// Processing times by task and class: `ptime[t * classes + class_of[d]]`.
    ptime: Vec<f64>,
    /// Costs, laid out as `ptime`.
    cost: Vec<f64>,
    /// The distinct eligible-device lists; task `t`'s is `eligible[eligible_of[t]]`.
    eligible: Vec<Vec<usize>>,
    /// The classes of each list of `eligible`, ascending.
    eligible_classes: Vec<Vec<usize>>,
    eligible_of: Vec<usize>,
    preds: Vec<Vec<usize>>,
    succs: Vec<Vec<usize>>,
    topo: Vec<usize>,
    task_index: FxHashMap<String, usize>,
    device_index: FxHashMap<String, usize>,
    resources: Resources,
    /// The network as given (written back by [`Instance::to_data`]).
    network: Option<Network>,
    /// Transfer tables, when the instance has a network or some edge carries data (`None`: no
    /// transfer anywhere, the v1 fast path).
    pub(super) transfers: Option<Box<Transfers>>,
}

impl Instance {
    /// Validate `data` and build the dense instance.
    ///
    /// Every problem is collected (duplicate or empty ids, bad numbers, unknown predecessors,
    /// `times`/`costs` keys that match no device, cycles in `after`, tasks with no eligible device,
    /// unknown objective) and returned together in [`Error::Invalid`].
    pub fn new(data: InstanceData) -> Result<Instance, Error> {
        let mut report = ValidationReport::default();
        let InstanceData {
            name,
            objective,
            devices,
            tasks,
            network,
        } = data;

        let objective = match objective.as_deref() {
            None => Objective::Makespan,
            Some(s) => match s.parse::<Objective>() {
                Ok(o) => o,
                Err(e) => {
                    report.push(e);
                    Objective::Makespan
                }
            },
        };
        if devices.is_empty() {
            report.push("the instance has no devices");
        }
        if tasks.is_empty() {
            report.push("the instance has no tasks");
        }

        // Devices.
        let mut device_index = FxHashMap::default();
        for (d, dev) in devices.iter().enumerate() {
            if dev.id.trim().is_empty() {
                report.push(format!("device #{} has an empty id", d + 1));
            } else if device_index.insert(dev.id.clone(), d).is_some() {
                report.push(format!("device id '{}' is used more than once", dev.id));
            }
            check_device(&mut report, dev);
        }

        // Tasks.
        let keys = Keys::new(&devices);
        let mut named = vec![false; devices.len()];
        let mut task_index = FxHashMap::default();
        for (t, task) in tasks.iter().enumerate() {
            if task.id.trim().is_empty() {
                report.push(format!("task #{} has an empty id", t + 1));
            } else if task_index.insert(task.id.clone(), t).is_some() {
                report.push(format!("task id '{}' is used more than once", task.id));
            }
        }
        for (problems, named_here) in in_chunks(&tasks, |chunk| {
            let mut report = ValidationReport::default();
            let mut named = vec![false; devices.len()];
            for task in chunk {
                check_task(&mut report, task, &keys, &mut named, &task_index);
            }
            (report.problems, named)
        }) {
            report.problems.extend(problems);
            for (n, here) in named.iter_mut().zip(named_here) {
                *n |= here;
            }
        }
        if let Some(net) = &network {
            network::validate(net, &devices, &mut report);
        }
        if !report.is_empty() {
            return Err(Error::Invalid { path: None, report });
        }

        let n = tasks.len();

        // Precedence lists (deduplicated; a repeated edge keeps its largest data) and a
        // topological order.
        let (preds, succs, pred_data) = precedence(&tasks, &task_index);
        let any_data = pred_data.iter().flatten().any(Option::is_some);
        let transfers = (any_data || network.is_some()).then(|| {
            let mut succ_data: Vec<Vec<Option<f64>>> = vec![Vec::new(); n];
            for t in 0..n {
                for (k, &p) in preds[t].iter().enumerate() {
                    succ_data[p].push(pred_data[t][k]);
                }
            }
            let net = network.clone().unwrap_or_default();
            Box::new(Transfers::new(
                &devices, &net, any_data, pred_data, succ_data,
            ))
        });
        let topo = match topological_order(&preds, &succs) {
            Ok(order) => order,
            Err(cycle) => {
                let names: Vec<&str> = cycle.iter().map(|&t| tasks[t].id.as_str()).collect();
                report.push(format!(
                    "the `after` relation has a cycle: {} -> {}",
                    names.join(" -> "),
                    names[0]
                ));
                Vec::new()
            }
        };

        let resources = Resources::new(&devices, &tasks);

        // Processing times, costs, eligibility: one column per class of devices.
        let (class_of, class_device) = device_classes(&devices, &named, &resources);
        let classes = class_device.len();
        crate::memory::check(
            format!("the time and cost tables ({n} tasks × {classes} device classes)"),
            (n as u64).saturating_mul(classes as u64).saturating_mul(16),
        )?;
        let Tables {
            ptime,
            cost,
            eligible,
            eligible_classes,
            eligible_of,
        } = tables(
            &tasks,
            &devices,
            &keys,
            (&class_of, &class_device),
            &resources,
            &mut report,
        );
        if !report.is_empty() {
            return Err(Error::Invalid { path: None, report });
        }
        let mut resources = resources;
        resources.note_sharing(&eligible, &eligible_of);

        Ok(Instance {
            name: name.unwrap_or_else(|| "unnamed".to_string()),
            objective,
            devices,
            tasks,
            class_of,
            classes,
            class_device,
            ptime,
            cost,
            eligible,
            eligible_classes,
            eligible_of,
            preds,
            succs,
            topo,
            task_index,
            device_index,
            resources,
            network,
            transfers,
        })
    }

    /// The instance's data as it would be written to a file.
    pub fn to_data(&self) -> InstanceData {
        InstanceData {
            name: Some(self.name.clone()),
            objective: Some(self.objective.name().to_string()),
            devices: self.devices.clone(),
            tasks: self.tasks.clone(),
            network: self.network.clone(),
        }
    }

    /// The network as given (see [`Instance::network`]).
    pub(super) fn network_data(&self) -> Option<&Network> {
        self.network.as_ref()
    }

    /// The same instance judged by another objective.
    pub fn with_objective(mut self, objective: Objective) -> Self {
        self.objective = objective;
        self
    }

    /// The same instance under another name.
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Task `t`'s processing times by device class (see [`Instance::device_class`]); infinite
    /// where it is not eligible.
    #[inline]
    pub fn class_ptimes(&self, t: usize) -> &[f64] {
        &self.ptime[t * self.classes..(t + 1) * self.classes]
    }

    /// Instance name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The objective schedules are judged by.
    pub fn objective(&self) -> Objective {
        self.objective
    }
    /// Number of tasks, n.
    pub fn num_tasks(&self) -> usize {
        self.tasks.len()
    }
    /// Number of devices, m.
    pub fn num_devices(&self) -> usize {
        self.devices.len()
    }
    /// The devices, in file order.
    pub fn devices(&self) -> &[Device] {
        &self.devices
    }
    /// The tasks, in file order.
    pub fn tasks(&self) -> &[Task] {
        &self.tasks
    }
    /// Device `d`.
    pub fn device(&self, d: usize) -> &Device {
        &self.devices[d]
    }
    /// Task `t`.
    pub fn task(&self, t: usize) -> &Task {
        &self.tasks[t]
    }
    /// Processing time of task `t` on device `d`; `f64::INFINITY` when `d` is not eligible.
    #[inline]
    pub fn ptime(&self, t: usize, d: usize) -> f64 {
        self.ptime[t * self.classes + self.class_of[d]]
    }
    /// The class of device `d`: devices of one class (same kind, speed, memory, cost rate and
    /// resources, and named by no task's `times` or `costs`) have the same time and cost for
    /// every task. Classes are numbered from 0 in order of their first device.
    #[inline]
    pub fn device_class(&self, d: usize) -> usize {
        self.class_of[d]
    }
    /// Number of device classes (see [`Instance::device_class`]).
    pub fn num_device_classes(&self) -> usize {
        self.classes
    }
    /// The first device of class `c` (any device of the class answers for all of them).
    #[inline]
    pub fn class_device(&self, c: usize) -> usize {
        self.class_device[c]
    }
    /// Processing time of task `t` on the devices of class `c`.
    #[inline]
    pub fn class_ptime(&self, t: usize, c: usize) -> f64 {
        self.ptime[t * self.classes + c]
    }
    /// The classes of task `t`'s eligible devices, ascending.
    pub fn eligible_classes(&self, t: usize) -> &[usize] {
        &self.eligible_classes[self.eligible_of[t]]
    }
    /// Assignment cost c(t, d): the task's `costs` entry, else cost_rate · p; infinite if ineligible.
    #[inline]
    pub fn cost(&self, t: usize, d: usize) -> f64 {
        self.cost[t * self.classes + self.class_of[d]]
    }
    /// True when task `t` may run on device `d` (time defined and memory fits).
    #[inline]
    pub fn is_eligible(&self, t: usize, d: usize) -> bool {
        self.ptime(t, d).is_finite()
    }
    /// Devices task `t` may run on, in increasing index order (never empty).
    pub fn eligible(&self, t: usize) -> &[usize] {
        &self.eligible[self.eligible_of[t]]
    }
    /// Direct predecessors of task `t`.
    pub fn preds(&self, t: usize) -> &[usize] {
        &self.preds[t]
    }
    /// Direct successors of task `t`.
    pub fn succs(&self, t: usize) -> &[usize] {
        &self.succs[t]
    }
    /// True when some task has a predecessor.
    pub fn has_precedence(&self) -> bool {
        self.preds.iter().any(|p| !p.is_empty())
    }
    /// True when no task has a predecessor, no task is released after any device becomes
    /// available and no task may share a device: every device can then run its tasks back to back
    /// from its `available_from`, so only the assignment (and, for some objectives, each device's
    /// order) matters.
    pub fn is_independent(&self) -> bool {
        let first_free = self
            .devices
            .iter()
            .map(|d| d.available_from)
            .fold(f64::INFINITY, f64::min);
        !self.has_precedence()
            && !self.has_sharing()
            && self.tasks.iter().all(|t| t.release <= first_free)
    }

    /// True when some task may run concurrently with others on some eligible device (the device
    /// has `resources` and the task a non-empty `demand`). When false, every device runs one task
    /// at a time, as in a file without resources.
    pub fn has_sharing(&self) -> bool {
        self.resources.any_sharing
    }

    /// Number of distinct resource names (offered by a device or demanded by a task).
    pub fn num_resources(&self) -> usize {
        self.resources.names.len()
    }

    /// Name of resource `k` (names are sorted).
    pub fn resource_name(&self, k: usize) -> &str {
        &self.resources.names[k]
    }

    /// Capacity of resource `k` on device `d` (0 when `d` does not offer it).
    #[inline]
    pub fn resource_capacity(&self, d: usize, k: usize) -> f64 {
        self.resources.capacity[d * self.resources.names.len() + k]
    }

    /// The demand of task `t`, one amount per resource (see [`Instance::resource_name`]).
    #[inline]
    pub fn demand_of(&self, t: usize) -> &[f64] {
        let r = self.resources.names.len();
        &self.resources.demand[t * r..(t + 1) * r]
    }

    /// True when device `d` has `resources`, so tasks with a demand may share it.
    #[inline]
    pub fn offers_resources(&self, d: usize) -> bool {
        self.resources.offers[d]
    }

    /// True when task `t` has an empty demand: nothing else runs on its device while it does.
    #[inline]
    pub fn is_exclusive(&self, t: usize) -> bool {
        self.resources.exclusive[t]
    }

    /// True when task `t` shares device `d` with others (by its demand) rather than holding it
    /// alone: `d` offers resources and `t`'s demand is not empty.
    #[inline]
    pub fn shares(&self, t: usize, d: usize) -> bool {
        self.resources.offers[d] && !self.resources.exclusive[t]
    }

    /// How much of resource `k` task `t` holds on device `d` while it runs: its demand when it
    /// [shares](Instance::shares) `d`, else the whole capacity (it runs alone there).
    #[inline]
    pub fn held(&self, t: usize, d: usize, k: usize) -> f64 {
        if self.shares(t, d) {
            self.demand_of(t)[k]
        } else {
            self.resource_capacity(d, k)
        }
    }

    /// The most busy time device `d` may take: its capacity with a relative tolerance of 1e-12
    /// (so sums of processing times that equal the capacity fit), or infinity without one.
    #[inline]
    pub fn capacity_limit(&self, d: usize) -> f64 {
        self.devices[d]
            .capacity
            .map_or(f64::INFINITY, |c| c * (1.0 + 1e-12) + 1e-12)
    }

    /// Smith's ratio of task `t` on device `d`: processing time / weight (infinite for weight 0).
    /// Sequencing a device's tasks by increasing ratio minimises its Σ weight · completion.
    pub fn smith_ratio(&self, t: usize, d: usize) -> f64 {
        let w = self.tasks[t].weight;
        if w > 0.0 {
            self.ptime(t, d) / w
        } else {
            f64::INFINITY
        }
    }

    /// All tasks by Smith's ratio on their device (`device_of[t]`), ties by index.
    pub fn smith_order(&self, device_of: &[usize]) -> Vec<usize> {
        let mut order: Vec<usize> = (0..device_of.len()).collect();
        order.sort_by(|&a, &b| {
            self.smith_ratio(a, device_of[a])
                .total_cmp(&self.smith_ratio(b, device_of[b]))
                .then(a.cmp(&b))
        });
        order
    }

    /// The tasks in a topological order of `after` (ties by file order).
    pub fn topological_order(&self) -> &[usize] {
        &self.topo
    }
    /// Index of the task with this id.
    pub fn task_index(&self, id: &str) -> Option<usize> {
        self.task_index.get(id).copied()
    }
    /// Index of the device with this id.
    pub fn device_index(&self, id: &str) -> Option<usize> {
        self.device_index.get(id).copied()
    }
    /// Smallest processing time of task `t` over its eligible devices.
    pub fn min_ptime(&self, t: usize) -> f64 {
        self.eligible_classes(t)
            .iter()
            .map(|&c| self.class_ptime(t, c))
            .fold(f64::INFINITY, f64::min)
    }
    /// Mean processing time of task `t` over its eligible devices.
    pub fn mean_ptime(&self, t: usize) -> f64 {
        let e = self.eligible(t);
        e.iter().map(|&d| self.ptime(t, d)).sum::<f64>() / e.len() as f64
    }
    /// Why device `d` is not eligible for task `t`, or `None` if it is.
    pub fn ineligibility_reason(&self, t: usize, d: usize) -> Option<String> {
        if self.is_eligible(t, d) {
            return None;
        }
        let task = &self.tasks[t];
        let dev = &self.devices[d];
        if let Some(mem) = dev.memory
            && task.memory > mem
        {
            return Some(format!(
                "task '{}' needs memory {} but device '{}' has {}",
                task.id, task.memory, dev.id, mem
            ));
        }
        if let Some(why) = self.resources.shortfall(t, d) {
            return Some(format!("task '{}' {why} on device '{}'", task.id, dev.id));
        }
        Some(format!(
            "task '{}' has no processing time for device '{}' (kind '{}')",
            task.id,
            dev.id,
            dev.kind()
        ))
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::tables::{PARALLEL_TASKS, chunk_len};
    use super::*;
    use std::collections::BTreeMap;

    /// Instance data from JSON (the model's tests share it).
    pub(in crate::model) fn data(json: &str) -> InstanceData {
        serde_json::from_str(json).unwrap()
    }

    /// The problems validation lists for an invalid instance.
    pub(in crate::model) fn problems(json: &str) -> Vec<String> {
        match Instance::new(data(json)) {
            Err(Error::Invalid { report, .. }) => report.problems,
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    #[test]
    fn times_by_id_then_kind_then_work() {
        let inst = Instance::new(data(
            r#"{"devices": [{"id": "g0", "kind": "gpu", "speed": 4}, {"id": "c0", "kind": "cpu"}],
                "tasks": [{"id": "a", "times": {"gpu": 3, "c0": 9}}, {"id": "b", "work": 8},
                          {"id": "c", "times": {"gpu": 1}}]}"#,
        ))
        .unwrap();
        assert_eq!(inst.ptime(0, 0), 3.0);
        assert_eq!(inst.ptime(0, 1), 9.0);
        assert_eq!(inst.ptime(1, 0), 2.0);
        assert_eq!(inst.ptime(1, 1), 8.0);
        assert!(!inst.is_eligible(2, 1));
        assert_eq!(inst.eligible(2), &[0]);
    }

    #[test]
    fn cycle_is_named() {
        let p = problems(
            r#"{"devices": [{"id": "d"}], "tasks": [{"id": "a", "work": 1, "after": ["c"]},
               {"id": "b", "work": 1, "after": ["a"]}, {"id": "c", "work": 1, "after": ["b"]}]}"#,
        );
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].contains("cycle"), "{}", p[0]);
        for id in ["a", "b", "c"] {
            assert!(
                p[0].contains(&format!("{id} ->")) || p[0].ends_with(id),
                "{}",
                p[0]
            );
        }
    }

    #[test]
    fn all_problems_are_listed() {
        let p = problems(
            r#"{"objective": "fast", "devices": [{"id": "d", "speed": 0}, {"id": "d"}],
                "tasks": [{"id": "a"}, {"id": "b", "work": -1, "after": ["zz"]}]}"#,
        );
        assert!(p.iter().any(|s| s.contains("unknown objective 'fast'")));
        assert!(
            p.iter()
                .any(|s| s.contains("device id 'd' is used more than once"))
        );
        assert!(p.iter().any(|s| s.contains("speed must be > 0")));
        assert!(
            p.iter()
                .any(|s| s.contains("task 'a': needs `work` or `times`"))
        );
        assert!(p.iter().any(|s| s.contains("work must be ≥ 0")));
        assert!(p.iter().any(|s| s.contains("unknown predecessor 'zz'")));
    }

    #[test]
    fn no_eligible_device_says_why() {
        let p = problems(
            r#"{"devices": [{"id": "g", "memory": 40}, {"id": "c", "kind": "cpu", "memory": 16}],
                "tasks": [{"id": "big", "work": 1, "memory": 80}]}"#,
        );
        assert!(
            p[0].contains("task 'big' has no eligible device"),
            "{}",
            p[0]
        );
        assert!(p[0].contains("needs memory 80 but it has 40"), "{}", p[0]);
    }

    #[test]
    fn topological_order_respects_after() {
        let inst = Instance::new(data(
            r#"{"devices": [{"id": "d"}], "tasks": [{"id": "a", "work": 1, "after": ["c"]},
               {"id": "b", "work": 1}, {"id": "c", "work": 1}]}"#,
        ))
        .unwrap();
        assert_eq!(inst.topological_order(), &[1, 2, 0]);
    }

    /// Above `PARALLEL_TASKS` tasks the checks and the tables run in chunks on all threads:
    /// problems come in task order, devices named by a task of any chunk get their own class,
    /// and every row lands in its place, as in one pass.
    #[test]
    fn large_instances_are_checked_and_tabled_in_task_order() {
        let n = 3 * PARALLEL_TASKS;
        assert!(chunk_len(n) < n, "the test must cover several chunks");
        // Tasks with a negative weight (caught by the checks) or needing more memory than any
        // device has (caught while tabling).
        let data = |negative: &[usize], big: &[usize]| {
            let device = |id: &str, kind: &str| Device {
                kind: Some(kind.into()),
                memory: Some(16.0),
                ..Device::new(id)
            };
            let tasks = (0..n).map(|t| {
                let mut task = Task::new(format!("t{t}"), 1.0 + t as f64);
                if t % 3 == 0 {
                    task.times = Some(BTreeMap::from([("c".to_string(), t as f64)]));
                }
                if t == n - 2 {
                    // Names x1 by id: x0 and x1 are then told apart.
                    task.times = Some(BTreeMap::from([("x1".to_string(), 5.0)]));
                }
                if negative.contains(&t) {
                    task.weight = -1.0;
                }
                if big.contains(&t) {
                    task.memory = 32.0;
                }
                task
            });
            InstanceData {
                devices: vec![
                    device("g", "gpu"),
                    device("c", "cpu"),
                    device("x0", "x"),
                    device("x1", "x"),
                ],
                tasks: tasks.collect(),
                ..Default::default()
            }
        };
        let inst = Instance::new(data(&[], &[])).unwrap();
        assert_eq!(inst.num_device_classes(), 4);
        for t in 0..n {
            if t == n - 2 {
                assert_eq!(inst.eligible(t), &[3]);
                assert_eq!(inst.ptime(t, 3), 5.0);
            } else if t % 3 == 0 {
                assert_eq!(inst.eligible(t), &[1], "task {t}");
                assert_eq!(inst.ptime(t, 1), t as f64);
            } else {
                assert_eq!(inst.eligible(t), &[0, 1, 2, 3], "task {t}");
                assert_eq!(inst.ptime(t, 0), 1.0 + t as f64);
            }
        }
        let ids = |problems: Vec<String>| -> Vec<String> {
            problems
                .iter()
                .map(|p| p.split('\'').nth(1).unwrap().to_string())
                .collect()
        };
        let bad = [n - 1, 1, PARALLEL_TASKS + 7];
        let in_order = [
            "t1".to_string(),
            format!("t{}", PARALLEL_TASKS + 7),
            format!("t{}", n - 1),
        ];
        let Err(Error::Invalid { report, .. }) = Instance::new(data(&bad, &[])) else {
            panic!("negative weights must be rejected");
        };
        assert_eq!(ids(report.problems), in_order);
        let Err(Error::Invalid { report, .. }) = Instance::new(data(&[], &bad)) else {
            panic!("tasks that fit no device must be rejected");
        };
        assert!(
            report
                .problems
                .iter()
                .all(|p| p.contains("has no eligible device"))
        );
        assert_eq!(ids(report.problems), in_order);
    }
}
