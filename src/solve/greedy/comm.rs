//! List heuristics for task graphs with communication costs: HEFT's upward rank, CPOP
//! (Topcuoglu, Hariri & Wu 2002) and PEFT (Arabnejad & Barbosa 2014).
//!
//! All three rank tasks by *mean* costs — the mean processing time of a task over its eligible
//! devices, and the mean communication cost of an edge, c̄ = mean latency + data / mean
//! bandwidth over the ordered pairs of distinct devices ([`Instance::mean_succ_transfer`]; 0 for
//! an edge without data) — take the tasks in that priority order among the ready ones
//! ([`priority_topological_order`]), and place each through the one builder, whose earliest
//! start holds the actual transfer times from the predecessors' devices and inserts into idle
//! gaps. Without transfers (every v1 instance) the ranks have no communication term.

use super::list::no_room;
use crate::error::Error;
use crate::model::Instance;
use crate::schedule::{Schedule, Timetable, priority_topological_order};

/// HEFT's upward rank: rank_u(t) = mean time of t + max over successors s of (c̄(t, s) +
/// rank_u(s)); the length of the longest mean-cost path from t to an exit task, t included.
pub fn upward_rank(inst: &Instance) -> Vec<f64> {
    let mut rank = vec![0.0; inst.num_tasks()];
    for &t in inst.topological_order().iter().rev() {
        let tail = inst
            .succs(t)
            .iter()
            .enumerate()
            .map(|(j, &s)| inst.mean_succ_transfer(t, j) + rank[s])
            .fold(0.0_f64, f64::max);
        rank[t] = inst.mean_ptime(t) + tail;
    }
    rank
}

/// CPOP's downward rank: rank_d(t) = max over predecessors p of (rank_d(p) + mean time of p +
/// c̄(p, t)); 0 for an entry task. The longest mean-cost path from an entry task to t, t excluded.
pub fn downward_rank(inst: &Instance) -> Vec<f64> {
    let mut rank = vec![0.0; inst.num_tasks()];
    for &t in inst.topological_order() {
        rank[t] = inst
            .preds(t)
            .iter()
            .enumerate()
            .map(|(k, &p)| rank[p] + inst.mean_ptime(p) + inst.mean_pred_transfer(t, k))
            .fold(0.0_f64, f64::max);
    }
    rank
}

/// PEFT's optimistic cost table, by task and device class (`oct[t * classes + c]`):
/// OCT(t, c) = max over successors s of min over devices w of (OCT(s, w) + p(s, w) + c̄(t, s)
/// when w is not t's device), 0 for an exit task. Devices of one class (see
/// [`Instance::device_class`]) share their row, since the mean communication cost does not
/// depend on the pair of devices.
pub fn optimistic_cost_table(inst: &Instance) -> Vec<f64> {
    let classes = inst.num_device_classes();
    let mut oct = vec![0.0; inst.num_tasks() * classes];
    // Per successor s: v(c) = OCT(s, c) + p(s, c) over its eligible classes.
    let mut v = vec![f64::INFINITY; classes];
    for &t in inst.topological_order().iter().rev() {
        for (j, &s) in inst.succs(t).iter().enumerate() {
            v.fill(f64::INFINITY);
            let (mut best, mut best_class, mut second) = (f64::INFINITY, usize::MAX, f64::INFINITY);
            for &c in inst.eligible_classes(s) {
                v[c] = oct[s * classes + c] + inst.class_ptime(s, c);
                if v[c] < best {
                    (second, best, best_class) = (best, v[c], c);
                } else if v[c] < second {
                    second = v[c];
                }
            }
            let comm = inst.mean_succ_transfer(t, j);
            for c in 0..classes {
                // The best device of another class, paying the mean transfer, or one of class c
                // (the same device as t: no transfer; another of the class pays more).
                let elsewhere = if c == best_class { second } else { best } + comm;
                let cost = v[c].min(elsewhere);
                let cell = &mut oct[t * classes + c];
                *cell = cell.max(cost);
            }
        }
    }
    oct
}

/// PEFT's task rank: the mean of OCT(t, d) over t's eligible devices.
fn oct_rank(inst: &Instance, oct: &[f64]) -> Vec<f64> {
    let classes = inst.num_device_classes();
    (0..inst.num_tasks())
        .map(|t| {
            let e = inst.eligible(t);
            let sum: f64 = e
                .iter()
                .map(|&d| oct[t * classes + inst.device_class(d)])
                .sum();
            sum / e.len() as f64
        })
        .collect()
}

/// Tasks by decreasing `key` (ties: lower index first), made consistent with precedence: the
/// ready task of highest priority first.
fn by_decreasing(inst: &Instance, key: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..inst.num_tasks()).collect();
    order.sort_by(|&a, &b| key[b].total_cmp(&key[a]).then(a.cmp(&b)));
    priority_topological_order(inst, &order)
}

/// The eligible device with room minimising `cost(device, earliest completion)` (ties: lowest
/// device index), or `None` when no eligible device has room.
fn best_device(tt: &Timetable, t: usize, cost: impl Fn(usize, f64) -> f64) -> Option<usize> {
    let inst = tt.instance();
    let mut best: Option<(f64, usize)> = None;
    for &d in inst.eligible(t) {
        let Some(finish) = tt.earliest_completion(t, d) else {
            continue;
        };
        let key = cost(d, finish);
        if best.is_none_or(|(k, _)| key < k) {
            best = Some((key, d));
        }
    }
    best.map(|(_, d)| d)
}

/// CPOP: tasks by rank_u + rank_d among the ready ones; the critical-path tasks (from the entry
/// task of highest priority, each next one a successor with the same priority, up to an exit
/// task) all go to the one device that runs them fastest in total, the others to their
/// earliest-finish device.
///
/// When no device can run every critical-path task, or the chosen one has no capacity left for
/// one of them, that task goes to its earliest-finish device like the others.
pub fn cpop(inst: &Instance) -> Result<Schedule, Error> {
    let n = inst.num_tasks();
    let up = upward_rank(inst);
    let down = downward_rank(inst);
    let priority: Vec<f64> = (0..n).map(|t| up[t] + down[t]).collect();
    let on_path = critical_path(inst, &priority);
    let cp_device = (0..inst.num_devices())
        .filter(|&d| (0..n).all(|t| !on_path[t] || inst.is_eligible(t, d)))
        .map(|d| {
            let total: f64 = (0..n)
                .filter(|&t| on_path[t])
                .map(|t| inst.ptime(t, d))
                .sum();
            (total, d)
        })
        .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
        .map(|(_, d)| d);
    let mut tt = Timetable::new(inst);
    for t in by_decreasing(inst, &priority) {
        let d = match cp_device {
            Some(d) if on_path[t] && tt.fits_capacity(t, d) => d,
            _ => best_device(&tt, t, |_, finish| finish).ok_or_else(|| no_room(inst, t))?,
        };
        tt.place(t, d)?;
    }
    tt.into_schedule()
}

/// The tasks on CPOP's critical path: from the entry task of highest priority (ties: lowest
/// index), repeatedly the first successor whose priority equals the path's (within a relative
/// 1e-9), until a task has none.
fn critical_path(inst: &Instance, priority: &[f64]) -> Vec<bool> {
    let n = inst.num_tasks();
    let mut on_path = vec![false; n];
    let Some(mut t) = (0..n)
        .filter(|&t| inst.preds(t).is_empty())
        .max_by(|&a, &b| priority[a].total_cmp(&priority[b]).then(b.cmp(&a)))
    else {
        return on_path;
    };
    let length = priority[t];
    let same = |x: f64| (x - length).abs() <= 1e-9 * length.abs().max(1.0);
    loop {
        on_path[t] = true;
        match inst.succs(t).iter().find(|&&s| same(priority[s])) {
            Some(&s) => t = s,
            None => break,
        }
    }
    on_path
}

/// PEFT: tasks by their mean optimistic cost among the ready ones, each to the device that
/// minimises its earliest finish + OCT(task, device) (the optimistic time still to go after it).
pub fn peft(inst: &Instance) -> Result<Schedule, Error> {
    let classes = inst.num_device_classes();
    let oct = optimistic_cost_table(inst);
    let rank = oct_rank(inst, &oct);
    let mut tt = Timetable::new(inst);
    for t in by_decreasing(inst, &rank) {
        let d = best_device(&tt, t, |d, finish| {
            finish + oct[t * classes + inst.device_class(d)]
        })
        .ok_or_else(|| no_room(inst, t))?;
        tt.place(t, d)?;
    }
    tt.into_schedule()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::InstanceData;

    /// Topcuoglu et al.'s Fig. 2 graph (the bundled instance file).
    fn topcuoglu() -> Instance {
        crate::io::read_instance(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/instances/dag-comm/topcuoglu2002-fig2.json"
        ))
        .unwrap()
    }

    #[test]
    fn upward_ranks_are_the_papers() {
        let inst = topcuoglu();
        let rank = upward_rank(&inst);
        let paper = [
            108.0, 77.0, 80.0, 80.0, 69.0, 63.333, 42.667, 35.667, 44.333, 14.667,
        ];
        for (t, (&r, &p)) in rank.iter().zip(&paper).enumerate() {
            assert!((r - p).abs() < 1e-3, "rank_u(n{}) = {r}, paper {p}", t + 1);
        }
        // rank_u + rank_d is the same along the critical path n1 → n2 → n9 → n10.
        let down = downward_rank(&inst);
        let cp = critical_path(
            &inst,
            &(0..10).map(|t| rank[t] + down[t]).collect::<Vec<_>>(),
        );
        let path: Vec<usize> = (0..10).filter(|&t| cp[t]).collect();
        assert_eq!(path, [0, 1, 8, 9]);
    }

    #[test]
    fn without_transfers_the_ranks_have_no_communication_term() {
        let data: InstanceData = serde_json::from_str(
            r#"{"devices": [{"id": "a"}, {"id": "b", "speed": 2}],
                "tasks": [{"id": "x", "work": 4}, {"id": "y", "work": 2, "after": ["x"]}]}"#,
        )
        .unwrap();
        let inst = Instance::new(data).unwrap();
        assert_eq!(upward_rank(&inst), [3.0 + 1.5, 1.5]);
        assert_eq!(downward_rank(&inst), [0.0, 3.0]);
        // OCT(x, ·) = the fastest time of y: 1 on b (from a too: no transfer cost).
        assert_eq!(optimistic_cost_table(&inst), [1.0, 1.0, 0.0, 0.0]);
    }
}
