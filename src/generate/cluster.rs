//! The `ai-cluster` and `pipeline` families: the device catalogue, the task types and the
//! mixed-cluster generator.

use super::draw::{
    apportion, draw_count, draw_dues, estimated_makespan, fastest, round1, round2, uniform,
};
use super::{
    Family, GeneratorParams, STREAM_DATA, STREAM_DEVICES, STREAM_DUES, STREAM_EDGES,
    STREAM_RELEASES, STREAM_TASKS, STREAM_WORKFLOWS,
};
use crate::model::{After, Device, Task};
use crate::solve::meta::rng_stream;
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// One device kind of the catalogue: speed, and the memory / cost-rate variants it comes in.
pub(super) struct KindSpec {
    pub(super) name: &'static str,
    speed: f64,
    /// (memory, cost rate) variants, drawn uniformly per device.
    variants: &'static [(f64, f64)],
    gpu: bool,
}

pub(super) const KINDS: [KindSpec; 6] = [
    KindSpec {
        name: "h100",
        speed: 4.0,
        variants: &[(80.0, 4.0)],
        gpu: true,
    },
    KindSpec {
        name: "a100",
        speed: 2.5,
        variants: &[(40.0, 2.4), (80.0, 2.8)],
        gpu: true,
    },
    KindSpec {
        name: "v100",
        speed: 1.2,
        variants: &[(16.0, 1.0), (32.0, 1.1)],
        gpu: true,
    },
    KindSpec {
        name: "t4",
        speed: 0.6,
        variants: &[(16.0, 0.5)],
        gpu: true,
    },
    KindSpec {
        name: "accel",
        speed: 1.5,
        variants: &[(32.0, 1.4)],
        gpu: false,
    },
    KindSpec {
        name: "cpu",
        speed: 0.25,
        variants: &[(256.0, 0.2), (512.0, 0.25)],
        gpu: false,
    },
];
const ACCEL: usize = 4;
const CPU: usize = 5;

/// Task types, in stage order (edges only go from a lower stage to a higher one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum TaskType {
    Preprocessing,
    Training,
    FineTuning,
    Inference,
}

const TYPES: [TaskType; 4] = [
    TaskType::Training,
    TaskType::FineTuning,
    TaskType::Inference,
    TaskType::Preprocessing,
];

impl TaskType {
    fn stage(self) -> usize {
        self as usize
    }

    fn prefix(self, family: Family) -> &'static str {
        match (self, family) {
            (TaskType::Preprocessing, _) => "prep",
            (TaskType::Training, _) => "train",
            (TaskType::FineTuning, _) => "finetune",
            (TaskType::Inference, Family::Pipeline) => "eval",
            (TaskType::Inference, _) => "infer",
        }
    }

    /// Work on a speed-1 device.
    fn draw_work(self, rng: &mut ChaCha8Rng) -> f64 {
        match self {
            // Pareto with shape 2 and scale 60 (median 85, 1 % above 600), capped at 3000.
            TaskType::Training => (60.0 / (1.0 - rng.random::<f64>()).sqrt()).min(3000.0),
            TaskType::FineTuning => uniform(rng, 10.0, 120.0),
            TaskType::Inference => uniform(rng, 0.5, 8.0),
            TaskType::Preprocessing => uniform(rng, 5.0, 60.0),
        }
    }

    /// Full memory need (before the tightness scaling), in GB.
    fn draw_memory(self, rng: &mut ChaCha8Rng) -> f64 {
        match self {
            TaskType::Training => uniform(rng, 16.0, 80.0),
            TaskType::FineTuning => uniform(rng, 8.0, 60.0),
            TaskType::Inference => uniform(rng, 2.0, 40.0),
            TaskType::Preprocessing => uniform(rng, 4.0, 128.0),
        }
    }

    /// Data (GB) a task of this type sends to each successor: preprocessing its shards,
    /// training a checkpoint, fine-tuning adapted weights, inference its results.
    fn draw_data(self, rng: &mut ChaCha8Rng) -> f64 {
        let (lo, hi) = match self {
            TaskType::Preprocessing => (1.0, 50.0),
            TaskType::Training => (5.0, 150.0),
            TaskType::FineTuning => (1.0, 30.0),
            TaskType::Inference => (0.01, 1.0),
        };
        round2(uniform(rng, lo, hi)).max(0.01)
    }

    fn draw_weight(self, rng: &mut ChaCha8Rng) -> f64 {
        let (lo, hi) = match self {
            TaskType::Training => (1, 3),
            TaskType::FineTuning => (1, 4),
            TaskType::Inference => (2, 10),
            TaskType::Preprocessing => (1, 1),
        };
        f64::from(rng.random_range(lo..=hi))
    }

    /// How the time on a device of kind `k` is written: `None` ⇒ the task uses `work` (time =
    /// work / speed everywhere); `Some(f)` ⇒ per-kind `times`, with `f(k)` the kind's effective
    /// speed for this type (`None`: cannot run there).
    fn affinity(self) -> Option<fn(usize) -> Option<f64>> {
        match self {
            TaskType::Training | TaskType::FineTuning => None,
            // No faster on a GPU than on a CPU core pool (effective speed 1), not on accelerators.
            TaskType::Preprocessing => Some(|k| {
                if k == CPU || KINDS[k].gpu {
                    Some(1.0)
                } else {
                    None
                }
            }),
            // Accelerators run inference 3× faster than their nominal speed.
            TaskType::Inference => Some(|k| {
                Some(if k == ACCEL {
                    3.0 * KINDS[k].speed
                } else {
                    KINDS[k].speed
                })
            }),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// ai-cluster and pipeline.

/// A task being generated: its data plus what the later steps need.
struct Draft {
    ty: TaskType,
    task: Task,
    /// Processing time on each device (infinite where the task cannot run).
    time: Vec<f64>,
    workflow: usize,
}

pub(super) fn cluster(params: &GeneratorParams, seed: u64) -> (Vec<Device>, Vec<Task>) {
    let family = params.family;
    // Devices: counts per kind by largest remainder, memory/cost variant drawn per device.
    let counts = apportion(params.devices, &params.device_mix.values());
    let mut rng = rng_stream(seed, STREAM_DEVICES);
    let mut devices = Vec::with_capacity(params.devices);
    let mut kind_of = Vec::with_capacity(params.devices);
    for (k, spec) in KINDS.iter().enumerate() {
        for i in 0..counts[k] {
            let (memory, cost_rate) = spec.variants[rng.random_range(0..spec.variants.len())];
            devices.push(Device {
                id: format!("{}-{i}", spec.name),
                kind: Some(spec.name.to_string()),
                speed: spec.speed,
                memory: Some(memory),
                cost_rate,
                capacity: None,
                available_from: 0.0,
                resources: None,
            });
            kind_of.push(k);
        }
    }
    let present: Vec<usize> = (0..KINDS.len()).filter(|&k| counts[k] > 0).collect();

    // Task types: counts by largest remainder, in a random order.
    let type_counts = apportion(params.tasks, &params.task_mix.values());
    let mut types: Vec<TaskType> = TYPES
        .iter()
        .zip(&type_counts)
        .flat_map(|(&ty, &c)| std::iter::repeat_n(ty, c))
        .collect();
    let mut rng = rng_stream(seed, STREAM_TASKS);
    types.shuffle(&mut rng);

    let mut drafts: Vec<Draft> = types
        .into_iter()
        .map(|ty| draft_task(ty, params, &devices, &kind_of, &present, &mut rng))
        .collect();
    let horizon = params.release_spread * estimated_makespan(drafts.iter().map(|d| &d.time[..]));

    match family {
        Family::Pipeline => {
            // Workflows of 3 to 10 consecutive tasks (in the shuffled order), each released at
            // once; within a workflow, tasks by stage.
            let mut rng = rng_stream(seed, STREAM_WORKFLOWS);
            let mut start = 0;
            let mut w = 0;
            while start < drafts.len() {
                let size = rng.random_range(3..=10usize).min(drafts.len() - start);
                for d in &mut drafts[start..start + size] {
                    d.workflow = w;
                }
                start += size;
                w += 1;
            }
            let mut rng = rng_stream(seed, STREAM_RELEASES);
            let release: Vec<f64> = (0..w)
                .map(|_| round2(rng.random::<f64>() * horizon))
                .collect();
            for d in &mut drafts {
                d.task.release = release[d.workflow];
            }
            drafts.sort_by(|a, b| {
                a.task
                    .release
                    .total_cmp(&b.task.release)
                    .then(a.workflow.cmp(&b.workflow))
                    .then(a.ty.cmp(&b.ty))
            });
        }
        _ => {
            let mut rng = rng_stream(seed, STREAM_RELEASES);
            for d in &mut drafts {
                d.task.release = round2(rng.random::<f64>() * horizon);
            }
            drafts.sort_by(|a, b| a.task.release.total_cmp(&b.task.release));
        }
    }

    // Ids in file order: `<type>-<k>`, or `w<workflow>-<type>-<k>` in a pipeline (workflows
    // renumbered in file order).
    let mut next = BTreeMap::new();
    let mut renumber = BTreeMap::new();
    for d in &mut drafts {
        let prefix = d.ty.prefix(family);
        if family == Family::Pipeline {
            let fresh = renumber.len();
            let w = *renumber.entry(d.workflow).or_insert(fresh);
            let k = next.entry((w, prefix)).or_insert(0usize);
            d.task.id = format!("w{w}-{prefix}-{k}");
            *k += 1;
        } else {
            let k = next.entry((0, prefix)).or_insert(0usize);
            d.task.id = format!("{prefix}-{k}");
            *k += 1;
        }
    }

    // Edges: each task that has candidates gets ⌊δ⌋ or ⌈δ⌉ of them (mean δ), uniformly.
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); drafts.len()];
    if params.dag_density > 0.0 {
        let mut rng = rng_stream(seed, STREAM_EDGES);
        // Candidates: ai-cluster: every task of a lower stage; pipeline: the tasks of the
        // nearest lower non-empty stage of the same workflow.
        let mut by_stage: Vec<usize> = (0..drafts.len()).collect();
        by_stage.sort_by_key(|&i| drafts[i].ty.stage());
        let below = |s: usize| by_stage.partition_point(|&i| drafts[i].ty.stage() < s);
        let mut by_group: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
        if family == Family::Pipeline {
            for (i, d) in drafts.iter().enumerate() {
                by_group
                    .entry((d.workflow, d.ty.stage()))
                    .or_default()
                    .push(i);
            }
        }
        for (v, d) in drafts.iter().enumerate() {
            let cands: &[usize] = if family == Family::Pipeline {
                by_group
                    .range((d.workflow, 0)..(d.workflow, d.ty.stage()))
                    .next_back()
                    .map_or(&[], |(_, c)| &c[..])
            } else {
                &by_stage[..below(d.ty.stage())]
            };
            if cands.is_empty() {
                continue;
            }
            let k = draw_count(&mut rng, params.dag_density).min(cands.len());
            let mut chosen: Vec<usize> = rand::seq::index::sample(&mut rng, cands.len(), k)
                .into_iter()
                .map(|i| cands[i])
                .collect();
            chosen.sort_unstable();
            preds[v] = chosen;
        }
    }
    let ids: Vec<String> = drafts.iter().map(|d| d.task.id.clone()).collect();
    for (d, p) in drafts.iter_mut().zip(&preds) {
        d.task.after = p.iter().map(|&u| ids[u].clone()).map(Into::into).collect();
    }
    // pipeline with a CCR: every edge carries the data its predecessor sends, drawn from a
    // stream of its own (in file order), so nothing else changes.
    if family == Family::Pipeline && params.ccr.is_some() {
        let mut rng = rng_stream(seed, STREAM_DATA);
        let types: Vec<TaskType> = drafts.iter().map(|d| d.ty).collect();
        for (d, p) in drafts.iter_mut().zip(&preds) {
            d.task.after = p
                .iter()
                .map(|&u| After::with_data(ids[u].clone(), types[u].draw_data(&mut rng)))
                .collect();
        }
    }

    // Due dates, by stage so that predecessors come first:
    // due = max(release, max due of the predecessors) + s × fastest time, s ~ U[1, due_slack].
    let mut rng = rng_stream(seed, STREAM_DUES);
    let mut order: Vec<usize> = (0..drafts.len()).collect();
    order.sort_by_key(|&i| drafts[i].ty.stage());
    let due = draw_dues(
        order,
        &preds,
        |v| (drafts[v].task.release, fastest(&drafts[v].time)),
        params.due_slack,
        &mut rng,
    );
    for (d, due) in drafts.iter_mut().zip(due) {
        d.task.due = Some(due);
    }

    (devices, drafts.into_iter().map(|d| d.task).collect())
}

/// Draw one task of type `ty`: work, memory need, weight, and its times (`work` or per-kind).
fn draft_task(
    ty: TaskType,
    params: &GeneratorParams,
    devices: &[Device],
    kind_of: &[usize],
    present: &[usize],
    rng: &mut ChaCha8Rng,
) -> Draft {
    let work = ty.draw_work(rng);
    let memory_full = ty.draw_memory(rng);
    let weight = ty.draw_weight(rng);
    let mut task = Task::new(String::new(), 0.0);
    task.weight = weight;

    // Per-kind effective speeds (None: the task cannot run on that kind).
    let runnable: Option<Vec<(usize, f64)>> = ty.affinity().and_then(|aff| {
        let r: Vec<(usize, f64)> = present
            .iter()
            .filter_map(|&k| aff(k).map(|s| (k, s)))
            .collect();
        // A cluster with none of the type's kinds falls back to `work` on every device.
        (!r.is_empty()).then_some(r)
    });
    let mut kind_time: Vec<Option<f64>> = vec![None; KINDS.len()];
    match runnable {
        None => {
            let w = round2(work).max(0.01);
            task.work = Some(w);
            for &k in present {
                kind_time[k] = Some(w / KINDS[k].speed);
            }
        }
        Some(speeds) => {
            task.work = None;
            let mut times = BTreeMap::new();
            for (k, s) in speeds {
                // ±10 % per kind: the kinds are unrelated machines for these tasks.
                let t = round2(work / s * uniform(rng, 0.9, 1.1)).max(0.01);
                times.insert(KINDS[k].name.to_string(), t);
                kind_time[k] = Some(t);
            }
            task.times = Some(times);
        }
    }
    // Memory: the tightness-scaled need, capped so that the largest device the task can run on
    // still holds it.
    let cap = devices
        .iter()
        .zip(kind_of)
        .filter(|(_, k)| kind_time[**k].is_some())
        .filter_map(|(d, _)| d.memory)
        .fold(0.0, f64::max);
    task.memory = round1(params.memory_tightness * memory_full).min(cap);
    let time = devices
        .iter()
        .zip(kind_of)
        .map(|(d, &k)| match kind_time[k] {
            Some(t) if d.memory.is_none_or(|m| task.memory <= m) => t,
            _ => f64::INFINITY,
        })
        .collect();
    Draft {
        ty,
        task,
        time,
        workflow: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Instance;
    use crate::generate::generate;
    use crate::model::InstanceData;

    fn params(family: Family, n: usize, m: usize) -> GeneratorParams {
        GeneratorParams::new(family, n, m)
    }

    #[test]
    fn small_cluster_has_a_cpu_host() {
        let data = generate(&params(Family::AiCluster, 12, 3), 1).unwrap();
        let kinds: Vec<&str> = data.devices.iter().map(|d| d.kind()).collect();
        assert_eq!(kinds, ["h100", "a100", "cpu"]);
    }

    #[test]
    fn generate_is_valid_for_extreme_parameters() {
        let mixes = [
            "cpu=1",
            "accel=1",
            "t4=1",
            "h100=1",
            "accel=1,t4=0.01",
            "v100=0.5,accel=0.5",
        ];
        let task_mixes = [
            "training=1",
            "preprocessing=1",
            "inference=1",
            "fine-tuning=1",
        ];
        for family in [Family::AiCluster, Family::Pipeline] {
            for (i, dm) in mixes.iter().enumerate() {
                for (j, tm) in task_mixes.iter().enumerate() {
                    let mut p = params(family, 30, 1 + (i + j) % 5);
                    p.device_mix = dm.parse().unwrap();
                    p.task_mix = tm.parse().unwrap();
                    p.memory_tightness = 1.0;
                    p.dag_density = 10.0;
                    p.release_spread = 10.0;
                    p.due_slack = 1.0;
                    for seed in 0..20 {
                        let data = generate(&p, seed).unwrap();
                        if let Err(e) = Instance::new(data) {
                            panic!("{family} {dm} {tm} seed {seed}: {e}");
                        }
                    }
                }
            }
        }
    }

    /// Count (task, device) pairs where the task has a time on the device but does not fit in
    /// its memory.
    fn memory_exclusions(data: &InstanceData) -> usize {
        let inst = Instance::new(data.clone()).unwrap();
        let mut count = 0;
        for (t, task) in data.tasks.iter().enumerate() {
            for (d, dev) in data.devices.iter().enumerate() {
                if !inst.is_eligible(t, d) && dev.memory.is_some_and(|m| task.memory > m) {
                    count += 1;
                }
            }
        }
        count
    }

    #[test]
    fn memory_tightness_excludes_small_devices() {
        let mut tight = params(Family::AiCluster, 40, 8);
        tight.memory_tightness = 1.0;
        let mut loose = tight.clone();
        loose.memory_tightness = 0.0;
        for seed in 0..20 {
            let data = generate(&tight, seed).unwrap();
            assert!(memory_exclusions(&data) > 0, "seed {seed}");
            let data = generate(&loose, seed).unwrap();
            assert!(data.tasks.iter().all(|t| t.memory == 0.0));
            assert_eq!(memory_exclusions(&data), 0);
        }
    }

    #[test]
    fn device_mix_apportions_counts() {
        let count = |m: usize| -> BTreeMap<String, usize> {
            let data = generate(&params(Family::AiCluster, 5, m), 0).unwrap();
            let mut c = BTreeMap::new();
            for d in &data.devices {
                *c.entry(d.kind().to_string()).or_insert(0) += 1;
            }
            c
        };
        let c = count(16);
        assert_eq!(
            c["h100"] + c["a100"] + c["v100"] + c["t4"] + c["accel"] + c["cpu"],
            16
        );
        assert_eq!((c["a100"], c["cpu"]), (4, 3));
        assert_eq!(apportion(7, &[1.0, 0.0, 1.0]), vec![4, 0, 3]);
        assert_eq!(apportion(1, &[0.0, 0.0, 0.3]), vec![0, 0, 1]);
    }

    #[test]
    fn values_are_rounded() {
        let data = generate(&params(Family::AiCluster, 100, 10), 3).unwrap();
        let two = |x: f64| ((x * 100.0).round() - x * 100.0).abs() < 1e-6;
        for t in &data.tasks {
            assert!(t.work.is_none_or(two) && two(t.release) && t.due.is_none_or(two));
            assert!(t.times.iter().flat_map(|m| m.values()).all(|&x| two(x)));
            assert!(two(t.memory));
        }
    }
}
