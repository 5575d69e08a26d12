//! Shared resources in dense form: the devices' `resources` and the tasks' `demand` as
//! per-device capacities and per-task amounts over one sorted list of resource names, and the
//! eligibility rule they add (a device must hold every positive amount a task demands).

use super::{Device, Task};

/// The shared resources in dense form: names sorted, capacities per device, demands per task.
#[derive(Debug, Clone, Default)]
pub(super) struct Resources {
    /// Every resource name a device offers or a task demands, sorted.
    pub(super) names: Vec<String>,
    /// Capacity of resource `k` on device `d` at `d * names.len() + k` (0 when not offered).
    pub(super) capacity: Vec<f64>,
    /// Demand of task `t` for resource `k` at `t * names.len() + k`.
    pub(super) demand: Vec<f64>,
    /// Device `d` has `resources` (tasks with a demand may share it).
    pub(super) offers: Vec<bool>,
    /// Task `t` has an empty demand (it runs alone on its device).
    pub(super) exclusive: Vec<bool>,
    /// Some task may share some eligible device with others.
    pub(super) any_sharing: bool,
}

impl Resources {
    /// The dense form of the devices' `resources` and the tasks' `demand` (validated numbers).
    pub(super) fn new(devices: &[Device], tasks: &[Task]) -> Resources {
        let mut names: Vec<String> = devices
            .iter()
            .flat_map(|d| d.resources.iter().flat_map(|r| r.keys().cloned()))
            .chain(tasks.iter().flat_map(|t| t.demand.keys().cloned()))
            .collect();
        names.sort();
        names.dedup();
        let r = names.len();
        let mut capacity = vec![0.0; devices.len() * r];
        for (d, dev) in devices.iter().enumerate() {
            for (k, name) in names.iter().enumerate() {
                if let Some(&c) = dev.resources.as_ref().and_then(|res| res.get(name)) {
                    capacity[d * r + k] = c;
                }
            }
        }
        let mut demand = vec![0.0; tasks.len() * r];
        for (t, task) in tasks.iter().enumerate() {
            for (k, name) in names.iter().enumerate() {
                demand[t * r + k] = task.demand.get(name).copied().unwrap_or(0.0);
            }
        }
        Resources {
            names,
            capacity,
            demand,
            offers: devices.iter().map(|d| d.resources.is_some()).collect(),
            exclusive: tasks.iter().map(|t| t.demand.is_empty()).collect(),
            any_sharing: false,
        }
    }

    /// Why device `d` cannot hold task `t`'s demand ("needs gpu 16 but it has 8"), if it cannot.
    pub(super) fn shortfall(&self, t: usize, d: usize) -> Option<String> {
        let r = self.names.len();
        (0..r).find_map(|k| {
            let need = self.demand[t * r + k];
            let have = self.capacity[d * r + k];
            (need > have).then(|| {
                if have == 0.0 {
                    format!("needs {} {need} but it offers none", self.names[k])
                } else {
                    format!("needs {} {need} but it has {have}", self.names[k])
                }
            })
        })
    }

    /// When no device at all can hold one of task `t`'s demands: "needs gpu 16; the largest gpu
    /// capacity is 8 (device 'h100-0')".
    pub(super) fn unholdable(&self, t: usize, devices: &[Device]) -> Option<String> {
        let r = self.names.len();
        (0..r).find_map(|k| {
            let need = self.demand[t * r + k];
            let best = (0..devices.len()).max_by(|&a, &b| {
                self.capacity[a * r + k]
                    .total_cmp(&self.capacity[b * r + k])
                    .then(b.cmp(&a))
            })?;
            let have = self.capacity[best * r + k];
            let name = &self.names[k];
            if need <= have {
                None
            } else if have == 0.0 {
                Some(format!("needs {name} {need}; no device offers {name}"))
            } else {
                Some(format!(
                    "needs {name} {need}; the largest {name} capacity is {have} (device '{}')",
                    devices[best].id
                ))
            }
        })
    }

    /// Record whether some task may share some eligible device with others (`eligible` and
    /// `eligible[eligible_of[t]]`: task `t`'s eligible devices).
    pub(super) fn note_sharing(&mut self, eligible: &[Vec<usize>], eligible_of: &[usize]) {
        self.any_sharing = eligible_of
            .iter()
            .enumerate()
            .any(|(t, &e)| !self.exclusive[t] && eligible[e].iter().any(|&d| self.offers[d]));
    }

    /// The capacities of device `d`, one per resource.
    pub(super) fn capacity_of(&self, d: usize) -> &[f64] {
        let r = self.names.len();
        &self.capacity[d * r..(d + 1) * r]
    }
}

#[cfg(test)]
mod tests {
    use crate::error::Error;
    use crate::model::Instance;
    use crate::model::instance::tests::{data, problems};

    #[test]
    fn demand_decides_eligibility_and_sharing() {
        let inst = Instance::new(data(
            r#"{"devices": [{"id": "h100-0", "resources": {"gpu": 8, "mem": 1024}},
                            {"id": "cpu-0", "kind": "cpu"}],
                "tasks": [{"id": "train", "work": 10, "demand": {"gpu": 4, "mem": 300}},
                          {"id": "prep", "work": 5, "demand": {"cpu": 0}},
                          {"id": "solo", "work": 1}]}"#,
        ))
        .unwrap();
        assert_eq!(inst.num_resources(), 3); // cpu, gpu, mem (sorted)
        assert_eq!(inst.resource_name(1), "gpu");
        assert_eq!(inst.demand_of(0), &[0.0, 4.0, 300.0]);
        assert_eq!(inst.resource_capacity(0, 1), 8.0);
        assert_eq!(inst.resource_capacity(1, 1), 0.0);
        assert_eq!(inst.eligible(0), &[0]); // the CPU offers no GPU
        assert_eq!(inst.eligible(1), &[0, 1]); // a zero amount needs nothing
        assert!(inst.shares(0, 0) && !inst.shares(2, 0) && !inst.shares(1, 1));
        assert!(inst.is_exclusive(2) && !inst.is_exclusive(1));
        assert!(inst.has_sharing() && !inst.is_independent());
        let reason = inst.ineligibility_reason(0, 1).unwrap();
        assert!(
            reason.contains("needs gpu 4 but it offers none"),
            "{reason}"
        );
    }

    #[test]
    fn without_demands_nothing_is_shared() {
        let inst = Instance::new(data(
            r#"{"devices": [{"id": "n", "resources": {"gpu": 8}}],
                "tasks": [{"id": "a", "work": 1}, {"id": "b", "work": 2}]}"#,
        ))
        .unwrap();
        assert!(!inst.has_sharing() && inst.is_independent());
    }

    #[test]
    fn resource_problems_are_named() {
        let mut d = data(
            r#"{"devices": [{"id": "h100-0", "resources": {"gpu": 8}},
                            {"id": "a100-0", "resources": {"gpu": 4, "mem": 0}},
                            {"id": "empty", "resources": {}}],
                "tasks": [{"id": "llm-pretrain", "work": 1, "demand": {"gpu": 16}},
                          {"id": "bad", "work": 1, "demand": {"gpu": -1}},
                          {"id": "ssd", "work": 1, "demand": {"ssd": 1}}]}"#,
        );
        // JSON has no NaN; TOML and the Rust API do.
        d.tasks[1].demand.insert("mem".into(), f64::NAN);
        let p = match Instance::new(d) {
            Err(Error::Invalid { report, .. }) => report.problems,
            other => panic!("expected invalid, got {other:?}"),
        };
        let has = |s: &str| p.iter().any(|x| x.contains(s));
        assert!(
            has("device 'a100-0': resources['mem'] must be > 0, got 0"),
            "{p:?}"
        );
        assert!(has("device 'empty': `resources` is empty"), "{p:?}");
        assert!(
            has("task 'bad': demand['gpu'] must be ≥ 0, got -1"),
            "{p:?}"
        );
        assert!(
            has("task 'bad': demand['mem'] must be a finite number"),
            "{p:?}"
        );
        // Eligibility is checked once the numbers are valid.
        let p = problems(
            r#"{"devices": [{"id": "h100-0", "resources": {"gpu": 8}},
                            {"id": "a100-0", "resources": {"gpu": 4}}],
                "tasks": [{"id": "llm-pretrain", "work": 1, "demand": {"gpu": 16}},
                          {"id": "ssd", "work": 1, "demand": {"ssd": 1}}]}"#,
        );
        let has = |s: &str| p.iter().any(|x| x.contains(s));
        assert!(
            has(
                "task 'llm-pretrain' needs gpu 16; the largest gpu capacity is 8 (device 'h100-0')"
            ),
            "{p:?}"
        );
        assert!(has("task 'ssd' needs ssd 1; no device offers ssd"), "{p:?}");
    }
}
