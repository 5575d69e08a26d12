//! Benchmarks of the online simulator: `fcfs` and `srpt` on generated GPU clusters.
//!
//! Instances: `generate --family gpu-cluster --tasks N --devices M --release-spread 1 --seed 1`
//! (Gavel's job mix on V100, P100 and K80 servers of 4 or 8 GPUs shared by several jobs, the
//! arrivals spread over the estimated makespan, so the cluster is busy but not overloaded).
//! Groups (the id is `policy/jobs x devices`):
//! - `simulate/fcfs`: 10,000 and 100,000 jobs on 1,000 devices (1,000,000 too with
//!   `HETSCHED_BENCH_LARGE=1`);
//! - `simulate/srpt`: 10,000 jobs on 100 devices, 10,000 and 100,000 on 1,000 (1,000,000
//!   too with `HETSCHED_BENCH_LARGE=1`).
//!
//! Each reports the time of one whole simulation (the instance built beforehand); the number
//! of decisions is printed once per case, for the cost per decision.
//!
//! Run with `cargo bench --bench simulate`.

use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use hetsched::Instance;
use hetsched::generate::{Family, GeneratorParams, generate};
use hetsched::sim::{self, Options};
use std::hint::black_box;
use std::time::Duration;

fn cluster(tasks: usize, devices: usize) -> Instance {
    let mut params = GeneratorParams::new(Family::GpuCluster, tasks, devices);
    params.release_spread = 1.0;
    Instance::new(generate(&params, 1).expect("generated")).expect("valid")
}

fn run(inst: &Instance, policy: &str) -> sim::Simulation {
    let (mut p, info) = sim::by_name(policy).expect("a policy");
    let options = Options {
        preemption: info.preemptive,
        ..Options::default()
    };
    sim::simulate(inst, p.as_mut(), &options).expect("simulated")
}

fn bench(c: &mut Criterion) {
    let mut cases = vec![
        ("fcfs", 10_000, 1_000),
        ("fcfs", 100_000, 1_000),
        ("srpt", 10_000, 100),
        ("srpt", 10_000, 1_000),
        ("srpt", 100_000, 1_000),
    ];
    if std::env::var_os("HETSCHED_BENCH_LARGE").is_some() {
        cases.push(("fcfs", 1_000_000, 1_000));
        cases.push(("srpt", 1_000_000, 1_000));
    }
    let mut group = c.benchmark_group("simulate");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    for (policy, n, m) in cases {
        let inst = cluster(n, m);
        let decisions = run(&inst, policy).decisions;
        eprintln!("{policy} {n}x{m}: {decisions} decisions");
        group.bench_with_input(
            BenchmarkId::new(policy, format!("{n}x{m}")),
            &inst,
            |b, inst| b.iter(|| black_box(run(inst, policy))),
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
