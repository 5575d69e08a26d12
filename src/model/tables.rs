//! The instance's dense tables: per task and device class the processing time and cost, and the
//! distinct lists of eligible devices. Large instances fill them in chunks of tasks on all
//! threads, with the same result as one pass.

use super::classes::{Keys, eligible_time, time_on};
use super::resources::Resources;
use super::{Device, Task};
use crate::error::ValidationReport;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// The tables [`tables`] fills (see the fields of [`Instance`](super::Instance)).
pub(super) struct Tables {
    /// Times by task and class: `ptime[t * classes + class]`.
    pub ptime: Vec<f64>,
    /// Costs, laid out as `ptime`.
    pub cost: Vec<f64>,
    /// The distinct eligible-device lists.
    pub eligible: Vec<Vec<usize>>,
    /// The classes of each list of `eligible`, ascending.
    pub eligible_classes: Vec<Vec<usize>>,
    /// Per task, the index of its list in `eligible`.
    pub eligible_of: Vec<usize>,
}

/// Every task's times, costs and eligible devices on the device classes (`class_of` per device,
/// `class_device` the first device of each class); a task that may run nowhere adds a problem to
/// `report`, in task order.
pub(super) fn tables(
    tasks: &[Task],
    devices: &[Device],
    keys: &Keys,
    (class_of, class_device): (&[usize], &[usize]),
    resources: &Resources,
    report: &mut ValidationReport,
) -> Tables {
    let (n, m, classes) = (tasks.len(), devices.len(), class_device.len());
    let mut ptime = vec![f64::INFINITY; n * classes];
    let mut cost = vec![f64::INFINITY; n * classes];
    // A chunk of tasks (the first is task `first`) fills its rows of the tables and returns
    // its distinct patterns (the classes a task may run on) and, per task, the index of its
    // pattern among them or why it may run nowhere.
    let table = |first: usize, chunk: &[Task], ptime: &mut [f64], cost: &mut [f64]| {
        let (mut times, mut costs) = (keys.values(), keys.values());
        let mut patterns: Vec<Vec<usize>> = Vec::new();
        let mut index: FxHashMap<Vec<usize>, usize> = FxHashMap::default();
        let mut of = Vec::with_capacity(chunk.len());
        for (i, task) in chunk.iter().enumerate() {
            let t = first + i;
            if let Some(map) = &task.times {
                times.load(keys, map);
            }
            if let Some(map) = &task.costs {
                costs.load(keys, map);
            }
            let mut pattern = Vec::new();
            for (c, &d) in class_device.iter().enumerate() {
                let dev = &devices[d];
                let named = task.times.as_ref().and_then(|_| times.get(keys, d));
                if let Ok(p) = eligible_time(task, t, dev, d, resources, named) {
                    ptime[i * classes + c] = p;
                    cost[i * classes + c] = task
                        .costs
                        .as_ref()
                        .and_then(|_| costs.get(keys, d))
                        .unwrap_or(dev.cost_rate * p);
                    pattern.push(c);
                }
            }
            of.push(if pattern.is_empty() {
                Err(no_eligible_device(task, t, devices, resources))
            } else {
                let next = patterns.len();
                Ok(*index.entry(pattern).or_insert_with_key(|pattern| {
                    patterns.push(pattern.clone());
                    next
                }))
            });
        }
        (patterns, of)
    };
    let len = chunk_len(n);
    let chunks: Vec<ChunkPatterns> = if len >= n {
        vec![table(0, tasks, &mut ptime, &mut cost)]
    } else {
        ptime
            .par_chunks_mut(len * classes)
            .zip(cost.par_chunks_mut(len * classes))
            .zip(tasks.par_chunks(len))
            .enumerate()
            .map(|(k, ((ptime, cost), chunk))| table(k * len, chunk, ptime, cost))
            .collect()
    };
    // The chunks' patterns numbered in the order tasks first use them, as in one pass.
    let mut eligible: Vec<Vec<usize>> = Vec::new();
    let mut eligible_classes: Vec<Vec<usize>> = Vec::new();
    let mut eligible_of = Vec::with_capacity(n);
    let mut pattern_index: FxHashMap<Vec<usize>, usize> = FxHashMap::default();
    for (patterns, of) in chunks {
        let global: Vec<usize> = patterns
            .into_iter()
            .map(|pattern| {
                let next = eligible.len();
                *pattern_index.entry(pattern).or_insert_with_key(|pattern| {
                    eligible.push(
                        (0..m)
                            .filter(|&d| pattern.binary_search(&class_of[d]).is_ok())
                            .collect(),
                    );
                    eligible_classes.push(pattern.clone());
                    next
                })
            })
            .collect();
        for pattern in of {
            match pattern {
                Ok(p) => eligible_of.push(global[p]),
                Err(problem) => {
                    report.push(problem);
                    eligible_of.push(0);
                }
            }
        }
    }
    Tables {
        ptime,
        cost,
        eligible,
        eligible_classes,
        eligible_of,
    }
}

/// A chunk's distinct eligibility patterns, and per task the index of its pattern among them
/// or why it may run on no device.
type ChunkPatterns = (Vec<Vec<usize>>, Vec<Result<usize, String>>);

/// Tasks per chunk when `n` tasks are checked and tabled: all of them below
/// [`PARALLEL_TASKS`], else enough chunks to keep every thread busy.
pub(super) fn chunk_len(n: usize) -> usize {
    if n < PARALLEL_TASKS {
        n.max(1)
    } else {
        (n / (4 * rayon::current_num_threads())).max(256)
    }
}

/// Instances with at least this many tasks are checked and tabled on all threads.
pub(super) const PARALLEL_TASKS: usize = 2048;

/// `f(chunk)` on consecutive chunks of `items` (in parallel when there are several), in order.
pub(super) fn in_chunks<T: Sync, R: Send>(items: &[T], f: impl Fn(&[T]) -> R + Sync) -> Vec<R> {
    let len = chunk_len(items.len());
    if len >= items.len() {
        return vec![f(items)];
    }
    items.par_chunks(len).map(&f).collect()
}

/// Why task `t` may run on no device: a resource no device holds, or each device's reason.
fn no_eligible_device(task: &Task, t: usize, devices: &[Device], resources: &Resources) -> String {
    match resources.unholdable(t, devices) {
        Some(why) => format!("task '{}' {why}", task.id),
        None => {
            let reasons: Vec<String> = devices
                .iter()
                .enumerate()
                .filter_map(|(d, dev)| time_on(task, t, dev, d, resources).err())
                .collect();
            format!(
                "task '{}' has no eligible device: {}",
                task.id,
                reasons.join("; ")
            )
        }
    }
}
