//! MILP benchmarks: the 60-task × 6-device unrelated-machines makespan model proved optimal on
//! 2 HiGHS threads (three seeds), one OR-Library GAP problem, and model build times
//! (`cargo bench --bench milp -- milp/build`).
//!
//! Run: `cargo bench --bench milp`.

use criterion::{Criterion, criterion_group, criterion_main};
use hetsched::solve::milp::Milp;
use hetsched::{Device, Instance, InstanceData, SolveOptions, Solver, Status, Task};
use std::hint::black_box;
use std::path::PathBuf;

/// splitmix64, so the instances are the same on every run.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E3779B97F4A7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
    z ^ (z >> 31)
}

/// An unrelated-machines instance: integer times uniform in [10, 100).
pub fn unrelated(n: usize, m: usize, seed: u64) -> Instance {
    let mut s = seed;
    let devices = (0..m).map(|d| Device::new(format!("m{d}"))).collect();
    let tasks = (0..n)
        .map(|t| Task {
            work: None,
            times: Some(
                (0..m)
                    .map(|d| (format!("m{d}"), (10 + splitmix(&mut s) % 90) as f64))
                    .collect(),
            ),
            ..Task::new(format!("t{t}"), 0.0)
        })
        .collect();
    Instance::new(InstanceData {
        name: Some(format!("unrelated-{n}x{m}-s{seed}")),
        objective: Some("makespan".into()),
        devices,
        tasks,
        network: None,
    })
    .unwrap()
}

fn two_threads() -> SolveOptions {
    SolveOptions {
        threads: Some(2),
        ..Default::default()
    }
}

fn bench_makespan(c: &mut Criterion) {
    let mut g = c.benchmark_group("milp/makespan-60x6");
    g.sample_size(10);
    for seed in [1u64, 2, 3] {
        let inst = unrelated(60, 6, seed);
        let r = Milp::default().solve(&inst, &two_threads()).unwrap();
        assert_eq!(r.status, Status::Optimal, "seed {seed}");
        assert!(r.schedule.as_ref().unwrap().violations(&inst).is_empty());
        g.bench_function(format!("seed{seed}"), |b| {
            b.iter(|| black_box(Milp::default().solve(&inst, &two_threads()).unwrap()))
        });
    }
    g.finish();
}

fn bench_gap(c: &mut Criterion) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("instances/orlib-gap/gap12.txt");
    let data = hetsched::io::orlib_gap::read(&path, hetsched::io::orlib_gap::Sense::Maximize)
        .unwrap()
        .swap_remove(0);
    let inst = Instance::new(data).unwrap();
    let mut g = c.benchmark_group("milp/orlib-gap");
    g.sample_size(10);
    g.bench_function("gap12-1", |b| {
        b.iter(|| black_box(Milp::default().solve(&inst, &two_threads()).unwrap()))
    });
    g.finish();
}

/// Model build time: good_lp builds the model and hands it to HiGHS (no warm start, no solve),
/// for the makespan formulation on Braun 512×16 and the disjunctive one on generated 60×8 and
/// 200×16 clusters.
fn bench_build(c: &mut Criterion) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let braun = Instance::new(
        hetsched::io::etc::read(root.join("instances/braun-512x16/u_i_hihi.0"), None).unwrap(),
    )
    .unwrap();
    let cluster =
        hetsched::io::read_instance(root.join("instances/ai-cluster/ai-cluster-60x8-s1.json"))
            .unwrap();
    let large =
        hetsched::io::read_instance(root.join("instances/ai-cluster/ai-cluster-200x16-s1.json"))
            .unwrap();
    let mut g = c.benchmark_group("milp/build");
    g.sample_size(10);
    for (name, inst) in [
        ("braun-512x16-makespan", &braun),
        ("ai-cluster-60x8-disjunctive", &cluster),
        ("ai-cluster-200x16-disjunctive", &large),
    ] {
        let size = Milp::default().build_model(inst).unwrap();
        eprintln!(
            "{name}: {} — {} rows, {} columns, {} integers",
            size.formulation, size.rows, size.columns, size.integers
        );
        g.bench_function(name, |b| {
            b.iter(|| black_box(Milp::default().build_model(inst).unwrap()))
        });
    }
    g.finish();
}

criterion_group!(benches, bench_makespan, bench_gap, bench_build);
criterion_main!(benches);
