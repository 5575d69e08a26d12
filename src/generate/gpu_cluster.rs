//! The `gpu-cluster` family: multi-GPU servers of three GPU generations whose GPUs, CPU cores and
//! memory are shared resources, running deep-learning jobs drawn as in Gavel (Narayanan et al.,
//! OSDI 2020), with the job times per GPU type from Gavel's measured throughputs.

use super::draw::{apportion, draw_count, draw_dues, round1, round2, uniform};
use super::gavel::{GPU_TYPES, draw_gpu_job, poisson_arrivals};
use super::{
    GeneratorParams, STREAM_DEVICES, STREAM_DUES, STREAM_EDGES, STREAM_RELEASES, STREAM_TASKS,
};
use crate::model::{Device, Task};
use crate::solve::meta::rng_stream;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// One server shape: its resource capacities.
#[derive(Debug, Clone, Copy)]
struct Server {
    gpus: f64,
    cpus: f64,
    /// Host memory, GB.
    mem: f64,
}

/// The node catalogue: for each GPU type of [`GPU_TYPES`] (same order), the 8-GPU server and
/// the 4-GPU one. Shapes of common servers: AWS p3.16xlarge / p3.8xlarge (V100), NVIDIA DGX-1 (P100) / Azure
/// NC24s_v2, AWS p2.8xlarge (K80) / Azure NC24. Every server has at least 4 cores and 56 GB per
/// GPU, so a GPU job fits on every server with enough GPUs.
const SERVERS: [[Server; 2]; 3] = [
    [
        Server {
            gpus: 8.0,
            cpus: 64.0,
            mem: 488.0,
        },
        Server {
            gpus: 4.0,
            cpus: 32.0,
            mem: 244.0,
        },
    ],
    [
        Server {
            gpus: 8.0,
            cpus: 40.0,
            mem: 512.0,
        },
        Server {
            gpus: 4.0,
            cpus: 24.0,
            mem: 448.0,
        },
    ],
    [
        Server {
            gpus: 8.0,
            cpus: 32.0,
            mem: 488.0,
        },
        Server {
            gpus: 4.0,
            cpus: 24.0,
            mem: 224.0,
        },
    ],
];

/// Share of CPU-only preprocessing jobs.
const CPU_JOB_SHARE: f64 = 0.1;

/// A job being generated.
struct Draft {
    /// `prep` or the job type's name, for the id.
    prefix: &'static str,
    task: Task,
    /// Its time on the fastest device where it can run.
    fastest: f64,
    /// Its share of the estimated makespan: 1 / Σ over the devices where it can run of the
    /// copies of the job the device's capacities hold at once ÷ its time there.
    fluid: f64,
}

/// The `gpu-cluster` instance of `params` for `seed`.
pub(super) fn gpu_cluster(params: &GeneratorParams, seed: u64) -> (Vec<Device>, Vec<Task>) {
    // Nodes: a third of each GPU type (largest remainder); the first node of a type is its
    // 8-GPU server, the others draw one of the two shapes.
    let counts = apportion(params.devices, &[1.0; GPU_TYPES.len()]);
    let mut rng = rng_stream(seed, STREAM_DEVICES);
    let mut devices = Vec::with_capacity(params.devices);
    let mut nodes: Vec<(usize, Server)> = Vec::with_capacity(params.devices);
    for (k, kind) in GPU_TYPES.iter().enumerate() {
        let servers = &SERVERS[k];
        for i in 0..counts[k] {
            let server = if i == 0 {
                servers[0]
            } else {
                servers[rng.random_range(0..servers.len())]
            };
            let resources = BTreeMap::from([
                ("cpu".to_string(), server.cpus),
                ("gpu".to_string(), server.gpus),
                ("mem".to_string(), server.mem),
            ]);
            let mut device = Device::new(format!("{}-{i}", kind.name));
            device.kind = Some(kind.name.to_string());
            device.cost_rate = kind.price;
            device.resources = Some(resources);
            devices.push(device);
            nodes.push((k, server));
        }
    }
    let present: Vec<bool> = counts.iter().map(|&c| c > 0).collect();

    let mut rng = rng_stream(seed, STREAM_TASKS);
    let mut drafts: Vec<Draft> = (0..params.tasks)
        .map(|_| draw_job(&mut rng, params.memory_tightness, &present, &nodes))
        .collect();
    // L: the fluid estimate over the copies each node holds at once, but at least the longest
    // job's fastest time (with few jobs, one long job sets the makespan).
    let longest = drafts.iter().map(|d| d.fastest).fold(0.0, f64::max);
    let fluid: f64 = drafts.iter().map(|d| d.fluid).sum();
    let horizon = params.release_spread * fluid.max(longest);

    // Releases: with an arrival rate λ, a Poisson process (exponential gaps of mean 1/λ);
    // else uniform over [0, spread × L), so the arrivals, in file order, are those of a
    // Poisson process conditioned on the number of jobs.
    let mut rng = rng_stream(seed, STREAM_RELEASES);
    match params.arrival_rate {
        Some(rate) => {
            let arrivals = poisson_arrivals(&mut rng, rate, drafts.len());
            for (d, at) in drafts.iter_mut().zip(arrivals) {
                d.task.release = at;
            }
        }
        None => {
            for d in &mut drafts {
                d.task.release = round2(rng.random::<f64>() * horizon);
            }
        }
    }
    drafts.sort_by(|a, b| a.task.release.total_cmp(&b.task.release));
    let mut next: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &mut drafts {
        let k = next.entry(d.prefix).or_insert(0);
        d.task.id = format!("{}-{k}", d.prefix);
        *k += 1;
    }

    // Edges: job v waits for ⌊δ⌋ or ⌈δ⌉ (mean δ) earlier jobs of the file, uniformly.
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); drafts.len()];
    if params.dag_density > 0.0 {
        let mut rng = rng_stream(seed, STREAM_EDGES);
        for (v, p) in preds.iter_mut().enumerate().skip(1) {
            let k = draw_count(&mut rng, params.dag_density).min(v);
            let mut chosen = rand::seq::index::sample(&mut rng, v, k).into_vec();
            chosen.sort_unstable();
            *p = chosen;
        }
    }

    // Due dates in file order (predecessors first): max(release, dues of the predecessors) +
    // s × fastest time, s ~ U[1, due_slack).
    let mut rng = rng_stream(seed, STREAM_DUES);
    let due = draw_dues(
        0..drafts.len(),
        &preds,
        |v| (drafts[v].task.release, drafts[v].fastest),
        params.due_slack,
        &mut rng,
    );
    for (d, due) in drafts.iter_mut().zip(due) {
        d.task.due = Some(due);
    }
    let ids: Vec<String> = drafts.iter().map(|d| d.task.id.clone()).collect();
    let tasks = drafts
        .into_iter()
        .zip(&preds)
        .map(|(mut d, p)| {
            d.task.after = p.iter().map(|&u| ids[u].clone()).map(Into::into).collect();
            d.task
        })
        .collect();
    (devices, tasks)
}

/// Draw one job: a CPU-only preprocessing job, or a GPU job of Gavel's mix; its demand, weight
/// and time per GPU type present. The draws do not depend on the nodes: the same seed gives the
/// same jobs on any cluster, only restricted to the types present.
fn draw_job(
    rng: &mut ChaCha8Rng,
    tightness: f64,
    present: &[bool],
    nodes: &[(usize, Server)],
) -> Draft {
    let mut task = Task::new(String::new(), 0.0);
    task.work = None;
    let mut kind_time = [None; GPU_TYPES.len()];
    let prefix;
    let (gpus, cpus, mem);
    if rng.random::<f64>() < CPU_JOB_SHARE {
        // Preprocessing on the host CPUs: 8–32 cores, 0.25–2 h, ±10 % per node type.
        prefix = "prep";
        gpus = 0.0;
        cpus = f64::from(rng.random_range(8..=32u32));
        mem = round1(tightness * uniform(rng, 16.0, 128.0));
        let base = uniform(rng, 0.25, 2.0);
        for (k, slot) in kind_time.iter_mut().enumerate() {
            let t = round2(base * uniform(rng, 0.9, 1.1)).max(0.01);
            *slot = present[k].then_some(t);
        }
    } else {
        // Gavel: the GPU count, the job type, the duration on V100 (shared with `trace`).
        let job = draw_gpu_job(rng, true);
        gpus = job.gpus();
        cpus = (gpus * uniform(rng, 1.0, 4.0)).round().max(1.0);
        mem = round1(tightness * gpus * uniform(rng, 8.0, 56.0));
        // Gavel's multi-priority jobs: weight 5 with probability 0.2, else 1.
        task.weight = if rng.random::<f64>() < 0.2 { 5.0 } else { 1.0 };
        prefix = job.name();
        kind_time = job.times(present);
    }
    for (name, amount) in [("cpu", cpus), ("gpu", gpus), ("mem", mem)] {
        if amount > 0.0 {
            task.demand.insert(name.to_string(), amount);
        }
    }
    task.times = Some(
        kind_time
            .iter()
            .enumerate()
            .filter_map(|(k, t)| t.map(|t| (GPU_TYPES[k].name.to_string(), t)))
            .collect(),
    );
    // Per device in order, its time and fluid time (time ÷ copies), as `fastest` and
    // `estimated_makespan` would take them from rows (the same sums in the same order).
    let mut fastest = f64::INFINITY;
    let mut rate = 0.0;
    for &(k, server) in nodes {
        let holds = [(gpus, server.gpus), (cpus, server.cpus), (mem, server.mem)];
        let fits = holds.iter().all(|(need, cap)| need <= cap);
        let copies = holds
            .iter()
            .filter(|(need, _)| *need > 0.0)
            .map(|(need, cap)| cap / need)
            .fold(f64::INFINITY, f64::min);
        if let Some(t) = kind_time[k].filter(|_| fits) {
            fastest = fastest.min(t);
            let share = t / copies;
            if share.is_finite() {
                rate += 1.0 / share;
            }
        }
    }
    let fluid = if rate.is_finite() && rate > 0.0 {
        1.0 / rate
    } else {
        0.0
    };
    Draft {
        prefix,
        task,
        fastest,
        fluid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Instance;
    use crate::generate::draw::exp10;
    use crate::generate::gavel::{GPU_COUNTS, JOB_TYPES};
    use crate::generate::{Family, generate};
    use crate::io::instance_to_json;
    use crate::model::InstanceData;

    fn params(n: usize, m: usize) -> GeneratorParams {
        GeneratorParams::new(Family::GpuCluster, n, m)
    }

    fn gpus(task: &Task) -> f64 {
        task.demand.get("gpu").copied().unwrap_or(0.0)
    }

    #[test]
    fn same_seed_same_instance() {
        let p = params(60, 9);
        let a = generate(&p, 3).unwrap();
        assert_eq!(
            instance_to_json(&a),
            instance_to_json(&generate(&p, 3).unwrap())
        );
        assert_ne!(a, generate(&p, 4).unwrap());
        assert_eq!(a.name.as_deref(), Some("gpu-cluster-60x9-s3"));
    }

    #[test]
    fn nodes_are_thirds_of_each_type_with_shared_resources() {
        let data = generate(&params(10, 7), 1).unwrap();
        let ids: Vec<&str> = data.devices.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "v100-0", "v100-1", "v100-2", "p100-0", "p100-1", "k80-0", "k80-1"
            ]
        );
        for d in &data.devices {
            let r = d.resources.as_ref().unwrap();
            assert!([4.0, 8.0].contains(&r["gpu"]) && r["cpu"] >= 24.0 && r["mem"] >= 224.0);
            assert!(d.memory.is_none() && d.capacity.is_none());
        }
        // The first node of every type is its 8-GPU server.
        for first in ["v100-0", "p100-0", "k80-0"] {
            let d = data.devices.iter().find(|d| d.id == first).unwrap();
            assert_eq!(d.resources.as_ref().unwrap()["gpu"], 8.0);
        }
        let one = generate(&params(5, 1), 0).unwrap();
        assert_eq!(one.devices[0].id, "v100-0");
    }

    /// Every job has an eligible node, by the same rules as [`Instance::new`].
    fn assert_every_job_eligible(data: &InstanceData, what: &str) {
        let inst = match Instance::new(data.clone()) {
            Ok(inst) => inst,
            Err(e) => panic!("{what}: {e}"),
        };
        for t in 0..inst.num_tasks() {
            assert!(
                (0..inst.num_devices()).any(|d| inst.is_eligible(t, d)),
                "{what}: task {t}"
            );
        }
    }

    #[test]
    fn every_job_is_eligible_somewhere_for_many_sizes_seeds_and_parameters() {
        for (n, m) in [(1, 1), (5, 1), (8, 2), (20, 3), (40, 4), (60, 7), (200, 16)] {
            for seed in 0..60 {
                let data = generate(&params(n, m), seed).unwrap();
                assert_eq!((data.tasks.len(), data.devices.len()), (n, m));
                assert_every_job_eligible(&data, &format!("{n}x{m} seed {seed}"));
            }
        }
        let mut p = params(50, 5);
        p.memory_tightness = 1.0;
        p.dag_density = 10.0;
        p.release_spread = 10.0;
        p.due_slack = 1.0;
        for seed in 0..30 {
            assert_every_job_eligible(&generate(&p, seed).unwrap(), &format!("extreme {seed}"));
        }
    }

    #[test]
    fn gpu_count_mix_matches_gavel() {
        let data = generate(&params(2000, 12), 7).unwrap();
        let gpu_jobs: Vec<&Task> = data.tasks.iter().filter(|t| gpus(t) > 0.0).collect();
        let cpu_share = 1.0 - gpu_jobs.len() as f64 / 2000.0;
        assert!((cpu_share - CPU_JOB_SHARE).abs() < 0.025, "{cpu_share}");
        for (g, expected) in [(1.0, 0.7), (2.0, 0.1), (4.0, 0.15), (8.0, 0.05)] {
            let share =
                gpu_jobs.iter().filter(|t| gpus(t) == g).count() as f64 / gpu_jobs.len() as f64;
            assert!((share - expected).abs() < 0.03, "{g} GPUs: {share}");
        }
        // Priorities: weight 5 for about a fifth of the GPU jobs.
        let heavy = gpu_jobs.iter().filter(|t| t.weight == 5.0).count() as f64;
        assert!((heavy / gpu_jobs.len() as f64 - 0.2).abs() < 0.03);
    }

    #[test]
    fn demands_times_and_ids_follow_the_tables() {
        let data = generate(&params(3000, 9), 2).unwrap();
        let (lo, hi) = (exp10(1.5) / 60.0, exp10(4.0) / 60.0);
        let mut multi_gpu_resnet50_b128 = 0;
        for t in &data.tasks {
            let times = t.times.as_ref().unwrap();
            let g = gpus(t);
            let cpu = t.demand["cpu"];
            let mem = t.demand.get("mem").copied().unwrap_or(0.0);
            assert!(t.work.is_none() && t.memory == 0.0 && t.after.is_empty());
            if g == 0.0 {
                assert!(t.id.starts_with("prep-"), "{}", t.id);
                assert!((8.0..=32.0).contains(&cpu) && mem <= 0.7 * 128.0 + 0.05);
                assert_eq!(times.len(), 3);
                assert!(times.values().all(|&x| (0.22..=2.2).contains(&x)));
                continue;
            }
            assert!((1.0..=4.0 * g).contains(&cpu) && mem <= 0.7 * 56.0 * g + 0.05);
            let prefix = t.id.rsplit_once('-').unwrap().0;
            let (_, ratios) = JOB_TYPES.iter().find(|(name, _)| *name == prefix).unwrap();
            let s = GPU_COUNTS.iter().position(|&c| c == g).unwrap();
            let [p100, k80] = ratios[s];
            // The V100 time is Gavel's duration, in hours.
            let v100 = times["v100"];
            assert!((lo - 0.01..=hi + 0.01).contains(&v100), "{v100}");
            // Both times are rounded: T / ρ within 0.005 / ρ + 0.005 of v100 / ρ.
            let close = |x: f64, ratio: f64| (x - v100 / ratio).abs() <= 0.0051 / ratio + 0.0051;
            assert!(close(times["p100"], p100), "{} {times:?}", t.id);
            match times.get("k80") {
                Some(&x) => assert!(close(x, k80), "{} {times:?}", t.id),
                None => {
                    // Zero measured throughput: not eligible on K80.
                    assert_eq!((prefix, k80), ("resnet50-b128", 0.0));
                    multi_gpu_resnet50_b128 += 1;
                }
            }
        }
        assert!(multi_gpu_resnet50_b128 > 0);
        // Durations: 80 % short (below 1000 min on V100), 20 % long.
        let gpu_jobs: Vec<&Task> = data.tasks.iter().filter(|t| gpus(t) > 0.0).collect();
        let long = gpu_jobs
            .iter()
            .filter(|t| t.times.as_ref().unwrap()["v100"] > 1000.0 / 60.0)
            .count() as f64;
        assert!((long / gpu_jobs.len() as f64 - 0.2).abs() < 0.03);
    }

    #[test]
    fn jobs_do_not_depend_on_the_cluster() {
        let small = generate(&params(100, 1), 5).unwrap();
        let large = generate(&params(100, 30), 5).unwrap();
        assert!(small.devices.iter().all(|d| d.kind() == "v100"));
        let key = |data: &InstanceData| -> Vec<(BTreeMap<String, f64>, f64, f64)> {
            let mut v: Vec<_> = data
                .tasks
                .iter()
                .map(|t| {
                    (
                        t.demand.clone(),
                        t.weight,
                        t.times.as_ref().unwrap()["v100"],
                    )
                })
                .collect();
            v.sort_by(|a, b| a.2.total_cmp(&b.2));
            v
        };
        assert_eq!(key(&small), key(&large));
        assert!(small.tasks.iter().all(|t| {
            let times = t.times.as_ref().unwrap();
            times.len() == 1 && times.contains_key("v100")
        }));
    }

    #[test]
    fn memory_tightness_scales_the_mem_demand() {
        let mut p = params(200, 6);
        p.memory_tightness = 0.0;
        let data = generate(&p, 1).unwrap();
        assert!(data.tasks.iter().all(|t| !t.demand.contains_key("mem")));
        p.memory_tightness = 1.0;
        let data = generate(&p, 1).unwrap();
        assert!(data.tasks.iter().all(|t| t.demand["mem"] > 0.0));
    }

    #[test]
    fn edges_point_backwards_and_releases_are_sorted() {
        let mut p = params(300, 8);
        let data = generate(&p, 4).unwrap();
        assert!(data.tasks.iter().all(|t| t.after.is_empty())); // default: independent jobs
        assert!(data.tasks.windows(2).all(|w| w[0].release <= w[1].release));
        assert!(data.tasks.iter().any(|t| t.release > 0.0));
        p.dag_density = 2.0;
        let data = generate(&p, 4).unwrap();
        let position: BTreeMap<&str, usize> = data
            .tasks
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect();
        for (v, t) in data.tasks.iter().enumerate().skip(2) {
            assert_eq!(t.after.len(), 2, "{}", t.id);
            assert!(t.after.iter().all(|u| position[u.task.as_str()] < v));
        }
        // Due dates: at least the release plus the fastest time.
        for t in &data.tasks {
            let fastest = t
                .times
                .as_ref()
                .unwrap()
                .values()
                .copied()
                .fold(f64::INFINITY, f64::min);
            assert!(t.due.unwrap() >= t.release + fastest - 0.011, "{}", t.id);
        }
    }
}
