//! The `trace` family: the job traces of Gavel's experiments (Narayanan et al., OSDI 2020) —
//! Poisson arrivals of Gavel's GPU jobs, single-GPU or multi-GPU, on V100, P100 and K80 GPUs
//! pooled into one device per GPU type (Gavel's 36 : 36 : 36 cluster by default).

use super::draw::apportion;
use super::gavel::{GPU_TYPES, draw_gpu_job, poisson_arrivals};
use super::{GeneratorParams, GpuCounts, STREAM_RELEASES, STREAM_TASKS, TRACE_ARRIVAL_RATE};
use crate::model::{Device, Task};
use crate::solve::meta::rng_stream;
use std::collections::BTreeMap;

/// The devices of a cluster of `gpus` GPUs: (GPU type index, GPUs it holds), by type. The GPUs
/// are split equally among the types by largest remainder (V100 first on ties); each type's N
/// GPUs fill ⌈N / G⌉ devices of G GPUs, the last one holding the remainder — with `per` = `None`,
/// G = N: one device per type present.
pub(super) fn pools(gpus: usize, per: Option<usize>) -> Vec<(usize, usize)> {
    let counts = apportion(gpus, &[1.0; GPU_TYPES.len()]);
    let mut out = Vec::new();
    for (k, &n) in counts.iter().enumerate() {
        let g = per.unwrap_or(n).max(1);
        for i in 0..n.div_ceil(g) {
            out.push((k, g.min(n - i * g)));
        }
    }
    out
}

/// The largest device of GPU type `k` among `pools` (0 when the type has none).
pub(super) fn largest_pool(pools: &[(usize, usize)], k: usize) -> usize {
    pools
        .iter()
        .filter(|&&(t, _)| t == k)
        .map(|&(_, g)| g)
        .max()
        .unwrap_or(0)
}

/// The `trace` instance of `params` for `seed` (parameters already validated).
pub(super) fn trace(params: &GeneratorParams, seed: u64) -> (Vec<Device>, Vec<Task>) {
    let pools = pools(params.devices, params.gpus_per_node);
    let mut next = [0usize; GPU_TYPES.len()];
    let devices: Vec<Device> = pools
        .iter()
        .map(|&(k, gpus)| {
            let kind = &GPU_TYPES[k];
            let mut device = Device::new(format!("{}-{}", kind.name, next[k]));
            next[k] += 1;
            device.kind = Some(kind.name.to_string());
            device.cost_rate = kind.price;
            device.resources = Some(BTreeMap::from([("gpu".to_string(), gpus as f64)]));
            device
        })
        .collect();
    let present: Vec<bool> = next.iter().map(|&n| n > 0).collect();

    let multi = params.gpu_counts == GpuCounts::Multi;
    let mut rng = rng_stream(seed, STREAM_TASKS);
    let jobs: Vec<_> = (0..params.tasks)
        .map(|_| draw_gpu_job(&mut rng, multi))
        .collect();
    let rate = params.arrival_rate.unwrap_or(TRACE_ARRIVAL_RATE);
    let arrivals = poisson_arrivals(&mut rng_stream(seed, STREAM_RELEASES), rate, jobs.len());

    // Arrivals only grow, so the file lists the jobs in arrival order; ids per type in it.
    let mut per_type: BTreeMap<&str, usize> = BTreeMap::new();
    let tasks = jobs
        .iter()
        .zip(arrivals)
        .map(|(job, release)| {
            let k = per_type.entry(job.name()).or_insert(0);
            let mut task = Task::new(format!("{}-{k}", job.name()), 0.0);
            *k += 1;
            task.work = None;
            task.release = release;
            task.times = Some(
                job.times(&present)
                    .iter()
                    .enumerate()
                    .filter_map(|(k, t)| t.map(|t| (GPU_TYPES[k].name.to_string(), t)))
                    .collect(),
            );
            task.demand = BTreeMap::from([("gpu".to_string(), job.gpus())]);
            task
        })
        .collect();
    (devices, tasks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Instance;
    use crate::generate::gavel::{GPU_COUNTS, JOB_TYPES};
    use crate::generate::{Family, generate};
    use crate::io::instance_to_json;
    use crate::model::InstanceData;

    fn params(tasks: usize, gpus: usize) -> GeneratorParams {
        GeneratorParams::new(Family::Trace, tasks, gpus)
    }

    fn gpus(task: &Task) -> f64 {
        task.demand["gpu"]
    }

    fn devices(data: &InstanceData) -> Vec<(&str, &str, f64)> {
        data.devices
            .iter()
            .map(|d| {
                (
                    d.id.as_str(),
                    d.kind(),
                    d.resources.as_ref().unwrap()["gpu"],
                )
            })
            .collect()
    }

    #[test]
    fn default_cluster_is_one_pool_of_36_gpus_per_type() {
        let data = generate(&params(10, 108), 1).unwrap();
        assert_eq!(
            devices(&data),
            [
                ("v100-0", "v100", 36.0),
                ("p100-0", "p100", 36.0),
                ("k80-0", "k80", 36.0)
            ]
        );
        assert_eq!(data.name.as_deref(), Some("trace-10x108-s1"));
        let prices: Vec<f64> = data.devices.iter().map(|d| d.cost_rate).collect();
        assert_eq!(prices, [2.48, 1.46, 0.45]);
    }

    #[test]
    fn gpus_per_node_splits_each_type_with_the_remainder_last() {
        let mut p = params(10, 100);
        p.gpus_per_node = Some(8);
        let data = generate(&p, 1).unwrap();
        // 100 GPUs: 34 V100, 33 P100, 33 K80; in devices of 8: 8, 8, 8, 8, then the remainder.
        let got: Vec<(&str, f64)> = devices(&data).iter().map(|d| (d.0, d.2)).collect();
        let mut want = Vec::new();
        for (kind, n) in [("v100", 34), ("p100", 33), ("k80", 33)] {
            for i in 0..5 {
                want.push((
                    format!("{kind}-{i}"),
                    if i < 4 { 8.0 } else { n as f64 - 32.0 },
                ));
            }
        }
        let want: Vec<(&str, f64)> = want.iter().map(|(a, b)| (a.as_str(), *b)).collect();
        assert_eq!(got, want);
        assert_eq!(pools(2, None), [(0, 1), (1, 1)]);
        assert_eq!(pools(7, Some(1)).len(), 7);
        assert_eq!(largest_pool(&pools(2, None), 2), 0);
    }

    #[test]
    fn same_seed_same_instance_and_the_rate_moves_only_the_arrivals() {
        let p = params(300, 108);
        let a = generate(&p, 3).unwrap();
        assert_eq!(
            instance_to_json(&a),
            instance_to_json(&generate(&p, 3).unwrap())
        );
        assert_ne!(a, generate(&p, 4).unwrap());
        let mut q = p.clone();
        q.arrival_rate = Some(4.8);
        let b = generate(&q, 3).unwrap();
        for (x, y) in a.tasks.iter().zip(&b.tasks) {
            assert_eq!((&x.id, &x.times, &x.demand), (&y.id, &y.times, &y.demand));
        }
        assert_ne!(
            a.tasks.last().unwrap().release,
            b.tasks.last().unwrap().release
        );
    }

    #[test]
    fn multi_gpu_mix_matches_gavel() {
        let data = generate(&params(20_000, 108), 7).unwrap();
        let n = data.tasks.len() as f64;
        for (g, expected) in [(1.0, 0.7), (2.0, 0.1), (4.0, 0.15), (8.0, 0.05)] {
            let share = data.tasks.iter().filter(|t| gpus(t) == g).count() as f64 / n;
            assert!((share - expected).abs() < 0.01, "{g} GPUs: {share}");
        }
        // One-GPU jobs take any of the 26 types, multi-GPU jobs only the 19 distributed ones,
        // each about equally often.
        for (g, types) in [(1.0, 26), (4.0, 19)] {
            let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
            let jobs: Vec<&Task> = data.tasks.iter().filter(|t| gpus(t) == g).collect();
            for t in &jobs {
                *seen.entry(t.id.rsplit_once('-').unwrap().0).or_default() += 1;
            }
            assert_eq!(seen.len(), types, "{g} GPUs: {seen:?}");
            let mean = jobs.len() as f64 / types as f64;
            assert!(
                seen.values()
                    .all(|&c| (c as f64 - mean).abs() < 0.35 * mean)
            );
        }
        // Gavel's JCT experiments run without priorities; no CPU-only jobs, no due dates.
        assert!(data.tasks.iter().all(|t| t.weight == 1.0
            && t.due.is_none()
            && t.after.is_empty()
            && t.work.is_none()
            && t.demand.len() == 1));
    }

    #[test]
    fn single_gpu_mix_draws_all_26_types_on_one_gpu() {
        let mut p = params(5000, 108);
        p.gpu_counts = GpuCounts::Single;
        let data = generate(&p, 2).unwrap();
        assert!(data.tasks.iter().all(|t| gpus(t) == 1.0));
        let types: std::collections::BTreeSet<&str> = data
            .tasks
            .iter()
            .map(|t| t.id.rsplit_once('-').unwrap().0)
            .collect();
        assert_eq!(types.len(), 26);
        // A small cluster is fine for one-GPU jobs.
        let mut p = params(50, 1);
        p.gpu_counts = GpuCounts::Single;
        let data = generate(&p, 0).unwrap();
        assert_eq!(devices(&data), [("v100-0", "v100", 1.0)]);
        Instance::new(data).unwrap();
    }

    #[test]
    fn times_follow_the_measured_ratios_and_durations_gavel() {
        let data = generate(&params(5000, 108), 9).unwrap();
        let (lo, hi) = (crate::generate::draw::exp10(1.5) / 60.0, 10_000.0 / 60.0);
        let mut long = 0;
        for t in &data.tasks {
            let times = t.times.as_ref().unwrap();
            let prefix = t.id.rsplit_once('-').unwrap().0;
            let (_, ratios) = JOB_TYPES.iter().find(|(n, _)| *n == prefix).unwrap();
            let s = GPU_COUNTS.iter().position(|&c| c == gpus(t)).unwrap();
            let [p100, k80] = ratios[s];
            let v100 = times["v100"];
            assert!((lo - 0.01..=hi + 0.01).contains(&v100), "{v100}");
            long += usize::from(v100 > 1000.0 / 60.0);
            let close = |x: f64, ratio: f64| (x - v100 / ratio).abs() <= 0.0051 / ratio + 0.0051;
            assert!(close(times["p100"], p100), "{} {times:?}", t.id);
            match times.get("k80") {
                Some(&x) => assert!(close(x, k80), "{} {times:?}", t.id),
                None => assert_eq!((prefix, k80), ("resnet50-b128", 0.0)),
            }
        }
        let share = long as f64 / data.tasks.len() as f64;
        assert!((share - 0.2).abs() < 0.02, "{share}");
    }

    #[test]
    fn arrivals_are_a_poisson_process_of_the_rate() {
        let mut p = params(20_000, 108);
        p.arrival_rate = Some(4.8);
        let data = generate(&p, 11).unwrap();
        let r: Vec<f64> = data.tasks.iter().map(|t| t.release).collect();
        assert!(r.windows(2).all(|w| w[0] <= w[1]));
        // Mean gap 1/4.8 h; the gaps' coefficient of variation is 1 (exponential), about
        // P(gap > mean) = e^−1.
        let gaps: Vec<f64> = std::iter::once(r[0])
            .chain(r.windows(2).map(|w| w[1] - w[0]))
            .collect();
        let n = gaps.len() as f64;
        let mean = gaps.iter().sum::<f64>() / n;
        let sd = (gaps.iter().map(|g| (g - mean).powi(2)).sum::<f64>() / n).sqrt();
        assert!((mean * 4.8 - 1.0).abs() < 0.02, "{mean}");
        assert!((sd / mean - 1.0).abs() < 0.03, "{sd}");
        let above = gaps.iter().filter(|&&g| g > 1.0 / 4.8).count() as f64 / n;
        assert!((above - (-1f64).exp()).abs() < 0.015, "{above}");
        // The default rate is one job per hour.
        let data = generate(&params(20_000, 108), 11).unwrap();
        let last = data.tasks.last().unwrap().release;
        assert!(
            (last / 20_000.0 - 1.0 / TRACE_ARRIVAL_RATE).abs() < 0.03,
            "{last}"
        );
    }

    #[test]
    fn every_job_fits_somewhere_on_small_and_split_clusters() {
        for (gpus, per, counts) in [
            (24, None, GpuCounts::Multi),
            (24, Some(8), GpuCounts::Multi),
            (40, Some(9), GpuCounts::Multi),
            (3, None, GpuCounts::Single),
            (2, Some(1), GpuCounts::Single),
            (108, Some(1), GpuCounts::Single),
        ] {
            let mut p = params(400, gpus);
            p.gpus_per_node = per;
            p.gpu_counts = counts;
            for seed in 0..5 {
                let inst = Instance::new(generate(&p, seed).unwrap()).unwrap();
                for t in 0..inst.num_tasks() {
                    assert!(
                        (0..inst.num_devices()).any(|d| inst.is_eligible(t, d)),
                        "{gpus} {per:?} {counts} seed {seed}: task {t}"
                    );
                }
            }
        }
    }

    #[test]
    fn bad_parameters_are_named() {
        let err = |f: &dyn Fn(&mut GeneratorParams)| {
            let mut p = params(20, 108);
            f(&mut p);
            generate(&p, 0).unwrap_err().to_string()
        };
        let m = err(&|p| p.devices = 12);
        assert!(
            m.contains("the multi-GPU mix has jobs of 8 GPUs, but 12 GPUs give V100 devices of 4"),
            "{m}"
        );
        let m = err(&|p| p.gpus_per_node = Some(4));
        assert!(
            m.contains("108 GPUs in devices of 4 give V100 devices of 4"),
            "{m}"
        );
        assert!(err(&|p| p.gpus_per_node = Some(0)).contains("at least 1, got 0"));
        assert!(err(&|p| p.arrival_rate = Some(0.0)).contains("arrival rate must be in"));
        assert!(err(&|p| p.objective = "weighted_tardiness".into()).contains("no due dates"));
        // Times are per GPU type: no limit on tasks × devices (10,000 devices of one GPU, or
        // the same GPUs pooled into 3 devices).
        let mut p = params(1_000_000, 10_000);
        p.gpus_per_node = Some(1);
        p.gpu_counts = GpuCounts::Single;
        assert!(p.validate().is_ok());
        p = params(1_000_000, 10_000);
        assert!(p.validate().is_ok());
        // Unused fields are not checked.
        p = params(20, 108);
        p.release_spread = -1.0;
        p.memory_tightness = 2.0;
        p.due_slack = 0.0;
        assert!(generate(&p, 0).is_ok());
    }
}
