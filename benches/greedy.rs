//! Benchmarks of every greedy rule and of the `best-greedy` portfolio.
//!
//! Groups:
//! - `greedy/512x16`: the Braun et al. ETC instance `u_i_hihi.0` (512 tasks × 16 machines);
//! - `greedy/5000x64`: a generated inconsistent ETC matrix, 5000 tasks × 64 devices, times in
//!   [1, 1000), no releases, no precedence (the Braun setting);
//! - `greedy/5000x64-dag`: the same generator (same size and time distribution) plus release
//!   dates in [0, 2000) and a random DAG (each task gets 0–2 predecessors among earlier tasks:
//!   two slots, each filled with probability 0.3), which sends every rule through the general
//!   (release/precedence/gap-aware) paths.
//!
//! Run with `cargo bench --bench greedy` (optionally followed by a filter such as `5000x64-dag`).

use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use hetsched::solve::Solver;
use hetsched::solve::greedy::{BestGreedy, GreedyRule};
use hetsched::{Device, Instance, InstanceData, Task};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Duration;

/// splitmix64: a tiny deterministic PRNG (no `rand` dependency).
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [lo, hi).
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.next_f64()
    }

    /// Uniform in 0..n (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// Settings of a generated ETC-like instance.
struct GenSpec {
    tasks: usize,
    devices: usize,
    seed: u64,
    /// Release dates drawn uniformly from [0, max_release) (0: no releases).
    max_release: f64,
    /// Each task gets up to two predecessor slots, each filled with this probability by a
    /// uniformly chosen earlier task (duplicates merged): 0, 1 or 2 predecessors.
    pred_prob: f64,
}

/// An inconsistent ETC matrix (every entry independent, uniform in [1, 1000)) as instance data:
/// devices `m0..`, tasks `t0..` with explicit `times`, objective makespan.
fn generate(spec: &GenSpec) -> InstanceData {
    let mut rng = SplitMix64(spec.seed);
    let devices: Vec<Device> = (0..spec.devices)
        .map(|d| Device::new(format!("m{d}")))
        .collect();
    let mut tasks = Vec::with_capacity(spec.tasks);
    for t in 0..spec.tasks {
        let times: BTreeMap<String, f64> = (0..spec.devices)
            .map(|d| (format!("m{d}"), rng.uniform(1.0, 1000.0)))
            .collect();
        let release = if spec.max_release > 0.0 {
            rng.uniform(0.0, spec.max_release)
        } else {
            0.0
        };
        let mut after: Vec<String> = Vec::new();
        if t > 0 {
            for _ in 0..2 {
                if rng.next_f64() < spec.pred_prob {
                    let p = format!("t{}", rng.below(t));
                    if !after.contains(&p) {
                        after.push(p);
                    }
                }
            }
        }
        tasks.push(Task {
            work: None,
            times: Some(times),
            release,
            after: after.into_iter().map(Into::into).collect(),
            ..Task::new(format!("t{t}"), 0.0)
        });
    }
    InstanceData {
        name: Some(format!("gen-{}x{}", spec.tasks, spec.devices)),
        objective: Some("makespan".into()),
        devices,
        tasks,
        network: None,
    }
}

fn braun_instance() -> Instance {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/instances/braun-512x16/u_i_hihi.0"
    );
    let data = hetsched::io::etc::read(path, None).expect("read the Braun ETC file");
    Instance::new(data).expect("the Braun instance is valid")
}

/// Every rule of `GreedyRule::ALL`, then `best-greedy`, in one group.
fn bench_all(c: &mut Criterion, group_name: &str, inst: &Instance, big: bool) {
    let mut group = c.benchmark_group(group_name);
    if big {
        // Max-Min, Sufferage and best-greedy take up to ~1.5 s per run here: flat sampling keeps
        // the iteration count at one per sample for them instead of 1 + 2 + … + 10.
        group
            .sample_size(10)
            .sampling_mode(SamplingMode::Flat)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(2));
    } else {
        group
            .sample_size(30)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(3));
    }
    for rule in GreedyRule::ALL {
        // Fail loudly (not inside the timing loop) if a rule cannot schedule the instance.
        rule.schedule(inst)
            .unwrap_or_else(|e| panic!("{} on {group_name}: {e}", rule.name()));
        group.bench_with_input(BenchmarkId::from_parameter(rule.name()), inst, |b, inst| {
            b.iter(|| black_box(rule.schedule(black_box(inst))))
        });
    }
    group.bench_with_input(
        BenchmarkId::from_parameter("best-greedy"),
        inst,
        |b, inst| b.iter(|| black_box(BestGreedy::best(black_box(inst)))),
    );
    group.finish();
}

fn greedy_512x16(c: &mut Criterion) {
    let inst = braun_instance();
    bench_all(c, "greedy/512x16", &inst, false);
}

fn greedy_5000x64(c: &mut Criterion) {
    let inst = Instance::new(generate(&GenSpec {
        tasks: 5000,
        devices: 64,
        seed: 0x5EED_0001,
        max_release: 0.0,
        pred_prob: 0.0,
    }))
    .expect("generated instance is valid");
    assert!(!inst.has_precedence());
    bench_all(c, "greedy/5000x64", &inst, true);
}

fn greedy_5000x64_dag(c: &mut Criterion) {
    let inst = Instance::new(generate(&GenSpec {
        tasks: 5000,
        devices: 64,
        seed: 0x5EED_0001,
        // Comparable to the Min-Min makespan of the release-free instance, so that releases
        // matter and leave idle gaps on the devices.
        max_release: 2000.0,
        pred_prob: 0.3,
    }))
    .expect("generated instance is valid");
    assert!(inst.has_precedence());
    bench_all(c, "greedy/5000x64-dag", &inst, true);
}

criterion_group!(benches, greedy_512x16, greedy_5000x64, greedy_5000x64_dag);
criterion_main!(benches);
