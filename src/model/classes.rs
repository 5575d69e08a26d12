//! Device classes: devices no task can tell apart share one column of an instance's time and
//! cost matrices (see [`Instance::device_class`](super::Instance::device_class)), and the rule
//! that gives a task its time on a device.

use super::resources::Resources;
use super::{Device, Task};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// Task `t`'s time on device `d` (`dev`), or why `d` is not eligible ("'gpu0' (needs memory 80
/// but it has 40)").
pub(super) fn time_on(
    task: &Task,
    t: usize,
    dev: &Device,
    d: usize,
    resources: &Resources,
) -> Result<f64, String> {
    let p = match &task.times {
        Some(times) => times
            .get(&dev.id)
            .or_else(|| times.get(dev.kind()))
            .copied(),
        None => None,
    };
    eligible_time(task, t, dev, d, resources, p)
}

/// [`time_on`] given the time `task`'s `times` names for `dev` (by id or kind), if any.
pub(super) fn eligible_time(
    task: &Task,
    t: usize,
    dev: &Device,
    d: usize,
    resources: &Resources,
    named: Option<f64>,
) -> Result<f64, String> {
    let p = named.or_else(|| match &task.times {
        Some(times) => task
            .work
            .filter(|_| times.is_empty())
            .map(|w| w / dev.speed),
        None => task.work.map(|w| w / dev.speed),
    });
    let Some(p) = p else {
        return Err(format!(
            "'{}' (its `times` names neither '{}' nor kind '{}')",
            dev.id,
            dev.id,
            dev.kind()
        ));
    };
    if let Some(mem) = dev.memory
        && task.memory > mem
    {
        return Err(format!(
            "'{}' (needs memory {} but it has {})",
            dev.id, task.memory, mem
        ));
    }
    if let Some(why) = resources.shortfall(t, d) {
        return Err(format!("'{}' ({why})", dev.id));
    }
    Ok(p)
}

/// Resolves the keys of `times` and `costs` maps (device ids, else kinds) to devices: one hash
/// lookup per key instead of one ordered-map search per device.
pub(super) struct Keys<'a> {
    /// Per key, the device it is the id of and the kind it names (`NONE`: none).
    index: FxHashMap<&'a str, (u32, u32)>,
    kind_of: Vec<u32>,
    kinds: usize,
}

const NONE: u32 = u32::MAX;

impl<'a> Keys<'a> {
    pub(super) fn new(devices: &'a [Device]) -> Self {
        let mut index: FxHashMap<&str, (u32, u32)> = FxHashMap::default();
        let mut kinds = 0;
        let kind_of = devices
            .iter()
            .map(|dev| {
                let entry = index.entry(dev.kind()).or_insert((NONE, NONE));
                if entry.1 == NONE {
                    entry.1 = kinds;
                    kinds += 1;
                }
                entry.1
            })
            .collect();
        for (d, dev) in devices.iter().enumerate() {
            let entry = index.entry(dev.id.as_str()).or_insert((NONE, NONE));
            if entry.0 == NONE {
                entry.0 = d as u32;
            }
        }
        Keys {
            index,
            kind_of,
            kinds: kinds as usize,
        }
    }

    /// `None` when `key` names no device id or kind; else the device it is the id of, if any.
    pub(super) fn lookup(&self, key: &str) -> Option<Option<usize>> {
        let &(d, _) = self.index.get(key)?;
        Some((d != NONE).then_some(d as usize))
    }

    /// Empty values for [`Values::load`].
    pub(super) fn values(&self) -> Values {
        Values {
            by_device: vec![None; self.kind_of.len()],
            by_kind: vec![None; self.kinds],
        }
    }
}

/// One map's values per device and per kind, as [`Keys`] resolved them.
pub(super) struct Values {
    by_device: Vec<Option<f64>>,
    by_kind: Vec<Option<f64>>,
}

impl Values {
    /// Read `map` in (replacing what was loaded before).
    pub(super) fn load(&mut self, keys: &Keys, map: &BTreeMap<String, f64>) {
        self.by_device.fill(None);
        self.by_kind.fill(None);
        for (key, &v) in map {
            // A key may be both a device's id and another's kind.
            if let Some(&(d, k)) = keys.index.get(key.as_str()) {
                if d != NONE {
                    self.by_device[d as usize] = Some(v);
                }
                if k != NONE {
                    self.by_kind[k as usize] = Some(v);
                }
            }
        }
    }

    /// The value the loaded map gives device `d`: by its id, else by its kind.
    pub(super) fn get(&self, keys: &Keys, d: usize) -> Option<f64> {
        self.by_device[d].or(self.by_kind[keys.kind_of[d] as usize])
    }
}

/// The device classes: per device its class, and per class its first device. Two devices are
/// of one class when no task can tell them apart: neither is `named` by a task's `times` or
/// `costs` (by id), and they have the same kind, speed, memory, cost rate and resource
/// capacities.
pub(super) fn device_classes(
    devices: &[Device],
    named: &[bool],
    resources: &Resources,
) -> (Vec<usize>, Vec<usize>) {
    let mut class_of = Vec::with_capacity(devices.len());
    let mut first = Vec::new();
    let mut index: FxHashMap<Vec<u64>, usize> = FxHashMap::default();
    for (d, dev) in devices.iter().enumerate() {
        if named[d] {
            class_of.push(first.len());
            first.push(d);
            continue;
        }
        // The key: the kind's bytes (with their length), then the numbers' bits.
        let mut key: Vec<u64> = vec![dev.kind().len() as u64];
        key.extend(dev.kind().bytes().map(u64::from));
        key.push(dev.speed.to_bits());
        key.push(dev.memory.map_or(u64::MAX, f64::to_bits));
        key.push(dev.cost_rate.to_bits());
        key.push(u64::from(resources.offers[d]));
        key.extend(resources.capacity_of(d).iter().map(|c| c.to_bits()));
        let next = first.len();
        let c = *index.entry(key).or_insert(next);
        if c == next {
            first.push(d);
        }
        class_of.push(c);
    }
    (class_of, first)
}

#[cfg(test)]
mod tests {
    use crate::model::Instance;
    use crate::model::instance::tests::data;

    #[test]
    fn identical_devices_share_a_class_and_named_ones_have_their_own() {
        let inst = Instance::new(data(
            r#"{"devices": [{"id": "a0", "kind": "a"}, {"id": "b0", "kind": "b", "speed": 2},
                            {"id": "a1", "kind": "a"}, {"id": "a2", "kind": "a", "memory": 8},
                            {"id": "a3", "kind": "a"}, {"id": "b1", "kind": "b", "speed": 2},
                            {"id": "n0", "kind": "a", "resources": {"gpu": 4}},
                            {"id": "n1", "kind": "a", "resources": {"gpu": 4}},
                            {"id": "n2", "kind": "a", "resources": {"gpu": 8}}],
                "tasks": [{"id": "x", "work": 6, "memory": 10},
                          {"id": "y", "times": {"a": 3, "b": 1, "a3": 7}},
                          {"id": "z", "work": 6, "demand": {"gpu": 6}}]}"#,
        ))
        .unwrap();
        let classes: Vec<usize> = (0..inst.num_devices())
            .map(|d| inst.device_class(d))
            .collect();
        // a3 is named by y's times; a2 has memory; the nodes differ by resources.
        assert_eq!(classes, [0, 1, 0, 2, 3, 1, 4, 4, 5]);
        assert_eq!(inst.num_device_classes(), 6);
        for t in 0..inst.num_tasks() {
            for (d, &c) in classes.iter().enumerate() {
                assert_eq!(inst.ptime(t, d).to_bits(), inst.class_ptime(t, c).to_bits());
            }
            let eligible: Vec<usize> = (0..inst.num_devices())
                .filter(|&d| inst.is_eligible(t, d))
                .collect();
            assert_eq!(inst.eligible(t), eligible.as_slice());
            let mut eligible_classes: Vec<usize> = eligible.iter().map(|&d| classes[d]).collect();
            eligible_classes.sort();
            eligible_classes.dedup();
            assert_eq!(inst.eligible_classes(t), eligible_classes.as_slice());
        }
        assert_eq!(inst.ptime(1, 4), 7.0);
        assert_eq!(inst.ptime(1, 2), 3.0);
        assert_eq!(inst.eligible(2), &[8]);
        assert!(!inst.is_eligible(0, 3));
    }
}
