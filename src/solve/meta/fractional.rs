//! The fractional-assignment lower bound on the makespan: the value of the assignment LP
//! relaxation, approached from below through its Lagrangian dual, in O(tasks × devices) per
//! round and no model, so that instances too large for a MILP still get a bound better than the
//! longest task.

use super::makespan_lower_bound;
use crate::model::Instance;
use std::time::Instant;

/// A lower bound on the makespan of `inst` from the relaxation in which tasks may be split
/// across devices (and precedence, releases and transfers are dropped).
///
/// For device weights λ ≥ 0 summing to 1, every schedule's makespan C satisfies
/// C ≥ Σ_d λ_d (a_d + load_d) ≥ Σ_d λ_d a_d + Σ_t min_d λ_d p(t, d), with load_d the time
/// device d works and a_d its availability capped at [`makespan_lower_bound`] (a device that
/// gets no task does not hold the makespan back to its availability, but C is at least that
/// bound); the best λ gives the LP relaxation's value. The
/// weights start uniform and follow exponentiated supergradient ascent (a device's
/// supergradient is its load under the current weights' choices) for at most `rounds` rounds
/// or until `deadline`; the largest value seen is returned, each being a valid bound.
///
/// `None` when a device may run several tasks at once (shared resources), or a task has no
/// eligible device.
pub fn fractional_bound(inst: &Instance, rounds: usize, deadline: Option<Instant>) -> Option<f64> {
    if inst.has_sharing() {
        return None;
    }
    let n = inst.num_tasks();
    let m = inst.num_devices();
    let floor = makespan_lower_bound(inst);
    let available: Vec<f64> = (0..m)
        .map(|d| inst.device(d).available_from.min(floor))
        .collect();
    let mut weight = vec![1.0 / m as f64; m];
    let mut load = vec![0.0; m];
    let mut best = f64::NEG_INFINITY;
    for round in 0..rounds.max(1) {
        if round > 0 && deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        load.copy_from_slice(&available);
        let mut value: f64 = weight.iter().zip(&available).map(|(w, a)| w * a).sum();
        for t in 0..n {
            let row = inst.class_ptimes(t);
            let (mut low, mut at) = (f64::INFINITY, usize::MAX);
            for &d in inst.eligible(t) {
                let v = weight[d] * row[inst.device_class(d)];
                if v < low {
                    (low, at) = (v, d);
                }
            }
            if at == usize::MAX {
                return None;
            }
            value += low;
            load[at] += row[inst.device_class(at)];
        }
        best = best.max(value);
        // Raise the weights of the devices loaded beyond the bound, lower the others.
        let top = load.iter().copied().fold(0.0, f64::max);
        if top <= 0.0 {
            break;
        }
        let step = 2.0 / ((round + 1) as f64).sqrt();
        for (w, l) in weight.iter_mut().zip(&load) {
            *w *= (step * (l / top - 1.0)).exp();
        }
        let total: f64 = weight.iter().sum();
        for w in &mut weight {
            *w /= total;
        }
    }
    // Sums of many products: allow for their rounding.
    Some(best * (1.0 - 1e-12))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::InstanceData;

    /// Brute force: the least makespan over every assignment (tasks on a device in any order;
    /// a device that gets no task does not count).
    fn optimum(p: &[Vec<f64>], available: &[f64]) -> f64 {
        let (n, m) = (p.len(), available.len());
        let mut best = f64::INFINITY;
        for code in 0..m.pow(n as u32) {
            let mut end = vec![None; m];
            let mut c = code;
            for row in p {
                let d = c % m;
                end[d] = Some(end[d].unwrap_or(available[d]) + row[d]);
                c /= m;
            }
            best = best.min(end.iter().flatten().copied().fold(0.0, f64::max));
        }
        best
    }

    #[test]
    fn below_the_optimum_and_above_the_average_load() {
        let mut x: u64 = 42;
        let mut next = |k: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % k
        };
        for case in 0..40 {
            let (n, m) = (3 + next(5) as usize, 2 + next(2) as usize);
            let p: Vec<Vec<f64>> = (0..n)
                .map(|_| (0..m).map(|_| 1.0 + next(20) as f64).collect())
                .collect();
            // Sometimes a device free only late, which the best schedule leaves unused.
            let late = next(4) == 0;
            let available: Vec<f64> = (0..m)
                .map(|d| {
                    if late && d == 0 {
                        500.0
                    } else {
                        next(3) as f64
                    }
                })
                .collect();
            let json = serde_json::json!({
                "devices": (0..m).map(|d| serde_json::json!({"id": format!("d{d}"), "available_from": available[d]})).collect::<Vec<_>>(),
                "tasks": p.iter().enumerate().map(|(t, row)| serde_json::json!({
                    "id": format!("t{t}"),
                    "times": (0..m).map(|d| (format!("d{d}"), row[d])).collect::<std::collections::BTreeMap<_, _>>(),
                })).collect::<Vec<_>>(),
            });
            let inst =
                Instance::new(serde_json::from_value::<InstanceData>(json).unwrap()).unwrap();
            let bound = fractional_bound(&inst, 2000, None).unwrap();
            let best = optimum(&p, &available);
            assert!(
                bound <= best + 1e-9,
                "case {case}: bound {bound} above the optimum {best}"
            );
            // At least the bound of uniform weights: the mean availability (capped at the
            // trivial bound) plus the cheapest times shared out.
            let floor = makespan_lower_bound(&inst);
            let uniform = (available.iter().map(|a| a.min(floor)).sum::<f64>()
                + p.iter()
                    .map(|r| r.iter().copied().fold(f64::INFINITY, f64::min))
                    .sum::<f64>())
                / m as f64;
            assert!(
                bound >= uniform * (1.0 - 1e-9),
                "case {case}: {bound} < {uniform}"
            );
        }
    }

    #[test]
    fn reaches_the_lp_value_on_a_small_example() {
        // Two devices; a takes 2 or 4, b 4 or 2, c 3 anywhere: split, the LP makespan is 3.5
        // (a on d0, b on d1, c half on each); whole tasks need 5.
        let inst = Instance::new(
            serde_json::from_str::<InstanceData>(
                r#"{"devices": [{"id": "d0"}, {"id": "d1"}],
                    "tasks": [{"id": "a", "times": {"d0": 2, "d1": 4}},
                              {"id": "b", "times": {"d0": 4, "d1": 2}},
                              {"id": "c", "work": 3}]}"#,
            )
            .unwrap(),
        )
        .unwrap();
        let bound = fractional_bound(&inst, 3000, None).unwrap();
        assert!((bound - 3.5).abs() < 1e-3, "{bound}");
    }

    #[test]
    fn shared_devices_get_none() {
        let inst = Instance::new(
            serde_json::from_str::<InstanceData>(
                r#"{"devices": [{"id": "node", "resources": {"gpu": 2}}],
                    "tasks": [{"id": "a", "work": 2, "demand": {"gpu": 1}},
                              {"id": "b", "work": 2, "demand": {"gpu": 1}}]}"#,
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(fractional_bound(&inst, 10, None), None);
    }
}
