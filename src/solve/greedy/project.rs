//! Priority values of the classic project-scheduling rules (Kolisch 1996, "Serial and parallel
//! resource-constrained project scheduling methods revisited"), for the serial scheme.
//!
//! Times are each task's fastest eligible time ([`Instance::min_ptime`]), so on one device they
//! are the textbook rules and on several devices they rank by the critical path the fastest
//! devices would give. Every function returns a key per task: smaller is more urgent.

use crate::model::Instance;

/// Above this many tasks (with precedence) [`total_successors`] counts paths through immediate
/// successors instead of distinct transitive successors (the exact count needs n²/8 bytes).
const EXACT_SUCCESSORS_MAX: usize = 10_000;

/// Length of the longest chain of successors after each task ends (0 for a task without
/// successors).
fn tail(inst: &Instance) -> Vec<f64> {
    let mut tail = vec![0.0; inst.num_tasks()];
    for &t in inst.topological_order().iter().rev() {
        tail[t] = inst
            .succs(t)
            .iter()
            .map(|&s| inst.min_ptime(s) + tail[s])
            .fold(0.0_f64, f64::max);
    }
    tail
}

/// Latest finish time first (LFT): the latest finish of a task in a critical-path schedule is
/// the horizon minus its tail, so the key is minus the tail.
pub fn latest_finish(inst: &Instance) -> Vec<f64> {
    tail(inst).into_iter().map(|x| -x).collect()
}

/// Latest start time first (LST): minus (tail + own time).
pub fn latest_start(inst: &Instance) -> Vec<f64> {
    tail(inst)
        .into_iter()
        .enumerate()
        .map(|(t, x)| -(x + inst.min_ptime(t)))
        .collect()
}

/// Most total successors first (MTS): minus the number of tasks that transitively depend on the
/// task.
pub fn total_successors(inst: &Instance) -> Vec<f64> {
    let n = inst.num_tasks();
    if !inst.has_precedence() {
        return vec![0.0; n];
    }
    if n > EXACT_SUCCESSORS_MAX {
        // Paths through immediate successors (a DAG's shared descendants are counted once per
        // path): the same ranking on trees and chains, an approximation elsewhere.
        let mut count = vec![0.0; n];
        for &t in inst.topological_order().iter().rev() {
            count[t] = inst.succs(t).iter().map(|&s| 1.0 + count[s]).sum();
        }
        return count.into_iter().map(|c: f64| -c).collect();
    }
    let words = n.div_ceil(64);
    let mut reach = vec![0u64; n * words];
    for &t in inst.topological_order().iter().rev() {
        for &s in inst.succs(t) {
            reach[t * words + s / 64] |= 1 << (s % 64);
            for w in 0..words {
                let bits = reach[s * words + w];
                reach[t * words + w] |= bits;
            }
        }
    }
    (0..n)
        .map(|t| {
            let c: u32 = reach[t * words..(t + 1) * words]
                .iter()
                .map(|w| w.count_ones())
                .sum();
            -f64::from(c)
        })
        .collect()
}

/// Greatest rank positional weight first (GRPW): minus (own time + the times of the immediate
/// successors).
pub fn rank_positional_weight(inst: &Instance) -> Vec<f64> {
    (0..inst.num_tasks())
        .map(|t| {
            let w: f64 = inst.succs(t).iter().map(|&s| inst.min_ptime(s)).sum();
            -(inst.min_ptime(t) + w)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Device, InstanceData, Task};

    #[test]
    fn the_rules_rank_a_small_project() {
        // a → b → d, a → c → d; c is long.
        let task = |id: &str, p: f64, after: &[&str]| {
            let mut t = Task::new(id, p);
            t.after = after.iter().map(|&s| s.into()).collect();
            t
        };
        let data = InstanceData {
            devices: vec![Device::new("d0")],
            tasks: vec![
                task("a", 1.0, &[]),
                task("b", 2.0, &["a"]),
                task("c", 5.0, &["a"]),
                task("d", 1.0, &["b", "c"]),
            ],
            ..Default::default()
        };
        let inst = Instance::new(data).unwrap();
        assert_eq!(latest_finish(&inst), vec![-6.0, -1.0, -1.0, 0.0]);
        assert_eq!(latest_start(&inst), vec![-7.0, -3.0, -6.0, -1.0]);
        assert_eq!(total_successors(&inst), vec![-3.0, -1.0, -1.0, 0.0]);
        assert_eq!(rank_positional_weight(&inst), vec![-8.0, -3.0, -6.0, -1.0]);
    }
}
