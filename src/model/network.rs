//! Data transfers between devices: the `after` entries that carry data, the instance's
//! `network`, and the dense transfer-time tables the builder and the list heuristics read.
//!
//! The transfer time of an edge i → j whose tasks run on devices a and b is 0 when a = b, else
//! latency + data / bandwidth of the most specific link joining a and b (two ids beat an id and
//! a kind, which beat two kinds; ties go to the link listed first), else of the network's
//! defaults. An edge written as a plain task id carries no data and costs nothing, whatever the
//! network (the v1 meaning of `after`).
//!
//! Inside, devices are grouped into *network classes* (a device named by a link gets a class of
//! its own, the others one class per kind), and latency and bandwidth are tables over pairs of
//! classes, so a transfer time is two lookups.

use super::{Device, Instance};
use crate::error::ValidationReport;
use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::HashMap;
use std::fmt;

/// One entry of a task's `after` list: a predecessor, and the data it sends to the task.
///
/// In a file, `"prep"` (no data: a pure precedence, as in v1) or
/// `{"task": "prep", "data": 40}` (the data volume, in the unit the network's bandwidth uses).
///
/// ```
/// let t: hetsched::Task = serde_json::from_str(
///     r#"{"id": "train", "work": 8, "after": ["a", {"task": "b", "data": 40}]}"#).unwrap();
/// assert_eq!(t.after[0], hetsched::After::new("a"));
/// assert_eq!(t.after[1].data, Some(40.0));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct After {
    /// The predecessor's id.
    pub task: String,
    /// The data it sends (≥ 0); `None` for a plain id: no transfer at all.
    pub data: Option<f64>,
}

impl After {
    /// A pure precedence on `task` (no data).
    pub fn new(task: impl Into<String>) -> Self {
        After {
            task: task.into(),
            data: None,
        }
    }

    /// An edge from `task` carrying `data`.
    pub fn with_data(task: impl Into<String>, data: f64) -> Self {
        After {
            task: task.into(),
            data: Some(data),
        }
    }
}

impl From<&str> for After {
    fn from(task: &str) -> Self {
        After::new(task)
    }
}

impl From<String> for After {
    fn from(task: String) -> Self {
        After::new(task)
    }
}

/// An entry equals a task id when it is that plain precedence (no data).
impl PartialEq<str> for After {
    fn eq(&self, other: &str) -> bool {
        self.data.is_none() && self.task == other
    }
}

/// An entry equals a task id when it is that plain precedence (no data).
impl PartialEq<&str> for After {
    fn eq(&self, other: &&str) -> bool {
        self == *other
    }
}

impl Serialize for After {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.data {
            None => serializer.serialize_str(&self.task),
            Some(data) => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("task", &self.task)?;
                map.serialize_entry("data", &data)?;
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for After {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AfterVisitor;
        impl<'de> Visitor<'de> for AfterVisitor {
            type Value = After;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(
                    f,
                    "a task id or an object {{\"task\": id, \"data\": number}}"
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<After, E> {
                Ok(After::new(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<After, A::Error> {
                let mut task: Option<String> = None;
                let mut data: Option<f64> = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "task" if task.is_none() => task = Some(map.next_value()?),
                        "data" if data.is_none() => data = Some(map.next_value()?),
                        "task" | "data" => return Err(de::Error::duplicate_field("task or data")),
                        other => return Err(de::Error::unknown_field(other, &["task", "data"])),
                    }
                }
                let task = task.ok_or_else(|| de::Error::missing_field("task"))?;
                Ok(After { task, data })
            }
        }
        deserializer.deserialize_any(AfterVisitor)
    }
}

/// The network that moves data between devices (instance field `network`).
///
/// ```
/// let n: hetsched::Network = serde_json::from_str(
///     r#"{"bandwidth": 10, "links": [{"between": ["gpu", "gpu"], "bandwidth": 100}]}"#).unwrap();
/// assert_eq!((n.bandwidth, n.latency), (10.0, 0.0));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    /// Data per time unit between two devices no link joins (> 0). Default 1.
    #[serde(default = "super::one", skip_serializing_if = "super::is_one")]
    pub bandwidth: f64,
    /// Fixed time of every transfer between two devices no link joins (≥ 0). Default 0.
    #[serde(default, skip_serializing_if = "super::is_zero")]
    pub latency: f64,
    /// Links with their own bandwidth or latency, between devices named by id or kind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
}

impl Default for Network {
    fn default() -> Self {
        Network {
            bandwidth: 1.0,
            latency: 0.0,
            links: Vec::new(),
        }
    }
}

/// A link of the [`Network`]: joins the devices matching its two ends (symmetric).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// The two ends, each a device id or a device kind.
    pub between: [String; 2],
    /// Bandwidth (> 0); the network's when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bandwidth: Option<f64>,
    /// Latency (≥ 0); the network's when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency: Option<f64>,
}

/// The dense transfer tables of an instance whose edges carry data.
#[derive(Debug, Clone)]
pub(super) struct Transfers {
    /// True when some edge carries data.
    pub(super) any_data: bool,
    /// Per task, the data of the edge from each of its predecessors (parallel to `preds`).
    pub(super) pred_data: Vec<Vec<Option<f64>>>,
    /// Per task, the data of the edge to each of its successors (parallel to `succs`).
    pub(super) succ_data: Vec<Vec<Option<f64>>>,
    /// Network class of each device.
    class_of: Vec<usize>,
    /// Number of network classes.
    classes: usize,
    /// Latency by pair of classes, `latency[a * classes + b]`.
    latency: Vec<f64>,
    /// Bandwidth by pair of classes, laid out as `latency`.
    bandwidth: Vec<f64>,
    /// Mean latency and bandwidth over the ordered pairs of distinct devices.
    mean_latency: f64,
    mean_bandwidth: f64,
}

impl Transfers {
    /// The tables for `devices` on `network` (validated), with the edge data given.
    pub(super) fn new(
        devices: &[Device],
        network: &Network,
        any_data: bool,
        pred_data: Vec<Vec<Option<f64>>>,
        succ_data: Vec<Vec<Option<f64>>>,
    ) -> Transfers {
        let named: std::collections::HashSet<&str> = network
            .links
            .iter()
            .flat_map(|l| l.between.iter().map(String::as_str))
            .collect();
        // Classes: a device named by a link by its id alone, the others by kind.
        let mut key_index: HashMap<(bool, &str), usize> = HashMap::new();
        let mut first: Vec<usize> = Vec::new();
        let class_of: Vec<usize> = devices
            .iter()
            .enumerate()
            .map(|(d, dev)| {
                let key = if named.contains(dev.id.as_str()) {
                    (true, dev.id.as_str())
                } else {
                    (false, dev.kind())
                };
                let next = first.len();
                let c = *key_index.entry(key).or_insert(next);
                if c == next {
                    first.push(d);
                }
                c
            })
            .collect();
        let k = first.len();
        let mut latency = vec![network.latency; k * k];
        let mut bandwidth = vec![network.bandwidth; k * k];
        // How well an end names a device: 2 by id, 1 by kind, 0 not at all. A device of a kind
        // class is named by no link by its id, so its class's first device answers for all.
        let level = |end: &str, dev: &Device| -> u8 {
            if end == dev.id {
                2
            } else if end == dev.kind() {
                1
            } else {
                0
            }
        };
        for a in 0..k {
            for b in 0..k {
                let (da, db) = (&devices[first[a]], &devices[first[b]]);
                let mut best: Option<(u8, &Link)> = None;
                for link in &network.links {
                    let [x, y] = [link.between[0].as_str(), link.between[1].as_str()];
                    let fit = |p: &str, q: &str| {
                        let (u, v) = (level(p, da), level(q, db));
                        if u > 0 && v > 0 { u + v } else { 0 }
                    };
                    let spec = fit(x, y).max(fit(y, x));
                    if spec > 0 && best.is_none_or(|(s, _)| spec > s) {
                        best = Some((spec, link));
                    }
                }
                if let Some((_, link)) = best {
                    latency[a * k + b] = link.latency.unwrap_or(network.latency);
                    bandwidth[a * k + b] = link.bandwidth.unwrap_or(network.bandwidth);
                }
            }
        }
        // Means over ordered pairs of distinct devices, from the class sizes.
        let mut size = vec![0.0_f64; k];
        for &c in &class_of {
            size[c] += 1.0;
        }
        let (mut pairs, mut lat_sum, mut bw_sum) = (0.0, 0.0, 0.0);
        for a in 0..k {
            for b in 0..k {
                let count = if a == b {
                    size[a] * (size[a] - 1.0)
                } else {
                    size[a] * size[b]
                };
                pairs += count;
                lat_sum += count * latency[a * k + b];
                bw_sum += count * bandwidth[a * k + b];
            }
        }
        let (mean_latency, mean_bandwidth) = if pairs > 0.0 {
            (lat_sum / pairs, bw_sum / pairs)
        } else {
            (network.latency, network.bandwidth)
        };
        Transfers {
            any_data,
            pred_data,
            succ_data,
            class_of,
            classes: k,
            latency,
            bandwidth,
            mean_latency,
            mean_bandwidth,
        }
    }

    /// Time to move `data` from device `from` to device `to`.
    #[inline]
    pub(super) fn time(&self, data: f64, from: usize, to: usize) -> f64 {
        if from == to {
            return 0.0;
        }
        let c = self.class_of[from] * self.classes + self.class_of[to];
        self.latency[c] + data / self.bandwidth[c]
    }

    /// Topcuoglu et al.'s mean communication cost of `data`: mean latency + data / mean
    /// bandwidth, the means over the ordered pairs of distinct devices.
    #[inline]
    pub(super) fn mean_time(&self, data: f64) -> f64 {
        self.mean_latency + data / self.mean_bandwidth
    }
}

/// Check `network` against the devices: every number in range, every link end a device id or
/// kind, no two links between the same ends, no link that can join nothing.
pub(super) fn validate(network: &Network, devices: &[Device], report: &mut ValidationReport) {
    let number = |report: &mut ValidationReport, what: &str, field: &str, v: f64, strict: bool| {
        if !v.is_finite() {
            report.push(format!("{what}: {field} must be a finite number, got {v}"));
        } else if strict && v <= 0.0 {
            report.push(format!("{what}: {field} must be > 0, got {v}"));
        } else if v < 0.0 {
            report.push(format!("{what}: {field} must be ≥ 0, got {v}"));
        }
    };
    number(report, "network", "bandwidth", network.bandwidth, true);
    number(report, "network", "latency", network.latency, false);
    let is_id = |s: &str| devices.iter().any(|d| d.id == s);
    let is_kind = |s: &str| devices.iter().any(|d| d.kind() == s);
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, link) in network.links.iter().enumerate() {
        let [x, y] = [link.between[0].as_str(), link.between[1].as_str()];
        let what = format!("network link #{} ('{x}' – '{y}')", i + 1);
        if let Some(b) = link.bandwidth {
            number(report, &what, "bandwidth", b, true);
        }
        if let Some(l) = link.latency {
            number(report, &what, "latency", l, false);
        }
        let mut known = true;
        for end in [x, y] {
            if !is_id(end) && !is_kind(end) {
                report.push(format!("{what}: '{end}' matches no device id or kind"));
                known = false;
            }
        }
        // Both ends one device's id, and no other device of that kind: it joins nothing.
        if known
            && x == y
            && devices
                .iter()
                .filter(|d| d.id == x || d.kind() == x)
                .count()
                < 2
        {
            report.push(format!(
                "{what}: joins device '{x}' to itself (a transfer on one device takes no time)"
            ));
        }
        let key = if x <= y { (x, y) } else { (y, x) };
        if let Some(j) = seen.insert(key, i) {
            report.push(format!(
                "network links #{} and #{} both join '{x}' and '{y}'",
                j + 1,
                i + 1
            ));
        }
    }
}

/// Transfer times (see the module documentation of `model::network` and
/// `docs/format.md`).
impl Instance {
    /// True when some `after` edge carries data, so that where tasks run changes when their
    /// successors may start. False for every v1 instance (with or without a `network`):
    /// builders then skip transfers entirely.
    #[inline]
    pub fn has_transfers(&self) -> bool {
        self.transfers.as_ref().is_some_and(|x| x.any_data)
    }

    /// The network as given in the instance (`None` when the file has none).
    pub fn network(&self) -> Option<&Network> {
        self.network_data()
    }

    /// Data of the edge from `preds(t)[k]` to `t` (`None`: a plain precedence).
    #[inline]
    pub fn edge_data(&self, t: usize, k: usize) -> Option<f64> {
        self.transfers.as_ref().and_then(|x| x.pred_data[t][k])
    }

    /// Data of the edge from `t` to `succs(t)[j]` (`None`: a plain precedence).
    #[inline]
    pub fn succ_edge_data(&self, t: usize, j: usize) -> Option<f64> {
        self.transfers.as_ref().and_then(|x| x.succ_data[t][j])
    }

    /// Time to move `data` from device `from` to device `to`: 0 on one device, else the
    /// latency plus `data` / the bandwidth of the most specific link between them.
    #[inline]
    pub fn transfer_time(&self, data: f64, from: usize, to: usize) -> f64 {
        match &self.transfers {
            Some(x) => x.time(data, from, to),
            None if from == to => 0.0,
            None => data,
        }
    }

    /// Transfer time of the edge from `preds(t)[k]` (run on `from`) to `t` (run on `to`): 0 for
    /// a plain precedence or one device.
    #[inline]
    pub fn edge_transfer(&self, t: usize, k: usize, from: usize, to: usize) -> f64 {
        match &self.transfers {
            Some(x) => x.pred_data[t][k].map_or(0.0, |data| x.time(data, from, to)),
            None => 0.0,
        }
    }

    /// Mean communication cost (Topcuoglu et al. 2002) of the edge from `t` to `succs(t)[j]`:
    /// mean latency + data / mean bandwidth over the ordered pairs of distinct devices; 0 for a
    /// plain precedence.
    #[inline]
    pub fn mean_succ_transfer(&self, t: usize, j: usize) -> f64 {
        match &self.transfers {
            Some(x) => x.succ_data[t][j].map_or(0.0, |data| x.mean_time(data)),
            None => 0.0,
        }
    }

    /// Mean communication cost of the edge from `preds(t)[k]` to `t` (see
    /// [`Instance::mean_succ_transfer`]).
    #[inline]
    pub fn mean_pred_transfer(&self, t: usize, k: usize) -> f64 {
        match &self.transfers {
            Some(x) => x.pred_data[t][k].map_or(0.0, |data| x.mean_time(data)),
            None => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::error::Error;
    use crate::model::Instance;
    use crate::model::instance::tests::{data, problems};

    fn inst(json: &str) -> Instance {
        Instance::new(data(json)).unwrap()
    }

    #[test]
    fn plain_ids_carry_nothing_and_objects_carry_data() {
        let i = inst(
            r#"{"network": {"latency": 2, "bandwidth": 4},
                "devices": [{"id": "a"}, {"id": "b"}],
                "tasks": [{"id": "x", "work": 1}, {"id": "y", "work": 1, "after": ["x"]},
                          {"id": "z", "work": 1, "after": [{"task": "x", "data": 8}, "y"]}]}"#,
        );
        assert!(i.has_transfers());
        assert_eq!(i.edge_transfer(1, 0, 0, 1), 0.0); // plain id: no transfer
        assert_eq!(i.edge_transfer(2, 0, 0, 1), 2.0 + 8.0 / 4.0);
        assert_eq!(i.edge_transfer(2, 0, 1, 1), 0.0); // same device
        assert_eq!(i.mean_succ_transfer(0, 1), 4.0); // succ #1 of x is z
        // A v1 file, even with a network, has no transfers.
        let v1 = inst(
            r#"{"network": {"latency": 5}, "devices": [{"id": "a"}, {"id": "b"}],
                "tasks": [{"id": "x", "work": 1}, {"id": "y", "work": 1, "after": ["x"]}]}"#,
        );
        assert!(!v1.has_transfers());
        assert_eq!(v1.edge_transfer(1, 0, 0, 1), 0.0);
    }

    #[test]
    fn the_most_specific_link_wins() {
        let i = inst(
            r#"{"network": {"bandwidth": 1, "links": [
                    {"between": ["gpu", "cpu"], "bandwidth": 2},
                    {"between": ["g0", "cpu"], "bandwidth": 4},
                    {"between": ["c0", "g0"], "bandwidth": 8, "latency": 1},
                    {"between": ["gpu", "gpu"], "bandwidth": 16}]},
                "devices": [{"id": "g0", "kind": "gpu"}, {"id": "g1", "kind": "gpu"},
                            {"id": "c0", "kind": "cpu"}, {"id": "c1", "kind": "cpu"},
                            {"id": "t0", "kind": "tpu"}],
                "tasks": [{"id": "x", "work": 1}, {"id": "y", "work": 1, "after": [{"task": "x", "data": 16}]}]}"#,
        );
        let t = |a: usize, b: usize| i.edge_transfer(1, 0, a, b);
        assert_eq!(t(0, 2), 1.0 + 2.0); // two ids
        assert_eq!(t(2, 0), 1.0 + 2.0); // symmetric
        assert_eq!(t(0, 3), 4.0); // id + kind
        assert_eq!(t(1, 3), 8.0); // two kinds
        assert_eq!(t(0, 1), 1.0); // gpu – gpu
        assert_eq!(t(2, 3), 16.0); // no link: the default
        assert_eq!(t(4, 0), 16.0);
    }

    #[test]
    fn bad_networks_are_named() {
        let p = problems(
            r#"{"network": {"bandwidth": 0, "latency": -1, "links": [
                    {"between": ["gpu", "nope"]},
                    {"between": ["cpu", "gpu"], "bandwidth": -2},
                    {"between": ["gpu", "cpu"]},
                    {"between": ["c0", "c0"]}]},
                "devices": [{"id": "g0", "kind": "gpu"}, {"id": "c0", "kind": "cpu"}],
                "tasks": [{"id": "x", "work": 1},
                          {"id": "y", "work": 1, "after": [{"task": "x", "data": -3}]}]}"#,
        );
        let has = |s: &str| p.iter().any(|q| q.contains(s));
        assert!(has("network: bandwidth must be > 0"), "{p:?}");
        assert!(has("network: latency must be ≥ 0"), "{p:?}");
        assert!(has("'nope' matches no device id or kind"), "{p:?}");
        assert!(has("bandwidth must be > 0, got -2"), "{p:?}");
        assert!(has("network links #2 and #3 both join"), "{p:?}");
        assert!(has("joins device 'c0' to itself"), "{p:?}");
        assert!(
            has("task 'y': `after` entry 'x': data must be ≥ 0"),
            "{p:?}"
        );
    }

    #[test]
    fn unknown_fields_in_an_after_object_are_rejected() {
        let e = serde_json::from_str::<crate::model::InstanceData>(
            r#"{"devices": [{"id": "a"}], "tasks": [{"id": "x", "work": 1},
                {"id": "y", "work": 1, "after": [{"task": "x", "size": 3}]}]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("unknown field `size`"), "{e}");
        let ok: Result<Instance, Error> = Instance::new(data(
            r#"{"devices": [{"id": "a"}], "tasks": [{"id": "x", "work": 1},
                {"id": "y", "work": 1, "after": [{"task": "x", "data": 3}, "x"]}]}"#,
        ));
        assert_eq!(ok.unwrap().preds(1), &[0]); // repeats merged
    }

    #[test]
    fn after_round_trips_through_json_and_toml() {
        let i = inst(
            r#"{"network": {"latency": 1, "links": [{"between": ["a", "b"], "bandwidth": 3}]},
                "devices": [{"id": "a"}, {"id": "b"}],
                "tasks": [{"id": "x", "work": 1}, {"id": "y", "work": 1, "after": ["x"]},
                          {"id": "z", "work": 1, "after": [{"task": "y", "data": 2.5}]}]}"#,
        );
        let json = serde_json::to_string(&i.to_data()).unwrap();
        let back: crate::model::InstanceData = serde_json::from_str(&json).unwrap();
        assert_eq!(back, i.to_data());
        let toml = toml::to_string(&i.to_data()).unwrap();
        let back: crate::model::InstanceData = toml::from_str(&toml).unwrap();
        assert_eq!(back, i.to_data());
    }
}
