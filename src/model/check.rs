//! The checks [`Instance::new`](super::Instance::new) makes on each device and task: numbers in
//! range, names not empty, `times`/`costs` keys that name a device or kind, predecessors that
//! exist. Each check adds one message per problem, naming the device or task.

use super::classes::Keys;
use super::{Device, Task};
use crate::error::ValidationReport;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// A number's check: finite, and at least (or, when `strictly`, above) `min`.
fn check_number(
    report: &mut ValidationReport,
    what: &str,
    field: &str,
    value: f64,
    min: Option<f64>,
    strictly: bool,
) {
    if !value.is_finite() {
        report.push(format!(
            "{what}: {field} must be a finite number, got {value}"
        ));
        return;
    }
    if let Some(lo) = min {
        if strictly && value <= lo {
            report.push(format!("{what}: {field} must be > {lo}, got {value}"));
        } else if !strictly && value < lo {
            report.push(format!("{what}: {field} must be ≥ {lo}, got {value}"));
        }
    }
}

/// Device `dev`'s own fields (its id's uniqueness is checked by the caller).
pub(super) fn check_device(report: &mut ValidationReport, dev: &Device) {
    let what = format!("device '{}'", dev.id);
    if dev.kind.as_deref().is_some_and(|k| k.trim().is_empty()) {
        report.push(format!("{what}: kind is empty"));
    }
    check_number(report, &what, "speed", dev.speed, Some(0.0), true);
    if let Some(mem) = dev.memory {
        check_number(report, &what, "memory", mem, Some(0.0), false);
    }
    check_number(report, &what, "cost_rate", dev.cost_rate, Some(0.0), false);
    if let Some(cap) = dev.capacity {
        check_number(report, &what, "capacity", cap, Some(0.0), false);
    }
    check_number(
        report,
        &what,
        "available_from",
        dev.available_from,
        Some(0.0),
        false,
    );
    if let Some(resources) = &dev.resources {
        if resources.is_empty() {
            report.push(format!(
                "{what}: `resources` is empty (leave it out for a device that runs one task at a time)"
            ));
        }
        for (name, &cap) in resources {
            if name.trim().is_empty() {
                report.push(format!("{what}: a resource has an empty name"));
            }
            check_number(
                report,
                &what,
                &format!("resources['{name}']"),
                cap,
                Some(0.0),
                true,
            );
        }
    }
}

/// Task `task`'s own fields and its predecessors (`task_index`: every task's index by id),
/// marking in `named` the devices its `times` or `costs` name by id.
pub(super) fn check_task(
    report: &mut ValidationReport,
    task: &Task,
    keys: &Keys,
    named: &mut [bool],
    task_index: &FxHashMap<String, usize>,
) {
    let what = format!("task '{}'", task.id);
    if let Some(w) = task.work {
        check_number(report, &what, "work", w, Some(0.0), false);
    }
    match &task.times {
        None if task.work.is_none() => report.push(format!(
            "{what}: needs `work` or `times` (neither is given)"
        )),
        Some(times) => {
            if times.is_empty() && task.work.is_none() {
                report.push(format!("{what}: `times` is empty and there is no `work`"));
            }
            check_keyed(report, &what, "times", times, keys, named, true);
        }
        None => {}
    }
    if let Some(costs) = &task.costs {
        check_keyed(report, &what, "costs", costs, keys, named, false);
    }
    check_number(report, &what, "memory", task.memory, Some(0.0), false);
    check_number(report, &what, "weight", task.weight, Some(0.0), false);
    check_number(report, &what, "release", task.release, Some(0.0), false);
    if let Some(due) = task.due {
        check_number(report, &what, "due", due, None, false);
    }
    for (name, &amount) in &task.demand {
        if name.trim().is_empty() {
            report.push(format!("{what}: a demand has an empty resource name"));
        }
        check_number(
            report,
            &what,
            &format!("demand['{name}']"),
            amount,
            Some(0.0),
            false,
        );
    }
    if task.user.as_ref().is_some_and(|u| u.trim().is_empty()) {
        report.push(format!("{what}: `user` is empty"));
    }
    for p in &task.after {
        let pid = &p.task;
        if pid == &task.id {
            report.push(format!("{what}: lists itself in `after`"));
        } else if !task_index.contains_key(pid) {
            report.push(format!("{what}: unknown predecessor '{pid}' in `after`"));
        }
        if let Some(x) = p.data {
            check_number(
                report,
                &format!("{what}: `after` entry '{pid}'"),
                "data",
                x,
                Some(0.0),
                false,
            );
        }
    }
}

/// Check a `times` or `costs` map: every key names a device id or kind (noting the devices
/// named by id), every value is finite (and ≥ 0 when `non_negative`).
fn check_keyed(
    report: &mut ValidationReport,
    what: &str,
    field: &str,
    map: &BTreeMap<String, f64>,
    keys: &Keys,
    named: &mut [bool],
    non_negative: bool,
) {
    for (key, &v) in map {
        match keys.lookup(key) {
            Some(Some(d)) => named[d] = true,
            Some(None) => {}
            None => report.push(format!(
                "{what}: `{field}` key '{key}' matches no device id or kind"
            )),
        }
        if !v.is_finite() || (non_negative && v < 0.0) {
            let min = if non_negative { Some(0.0) } else { None };
            check_number(report, what, &format!("{field}['{key}']"), v, min, false);
        }
    }
}
