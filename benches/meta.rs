//! Metaheuristic throughput: a fixed number of GA generations (no exact step, so only genome
//! evaluations count) on a Braun 512×16 instance with 1 and 2 threads. The speed-up is the ratio
//! of the two medians; evaluations per second are printed once per thread count.
//!
//! Run: `cargo bench --bench meta`.

use criterion::{Criterion, criterion_group, criterion_main};
use hetsched::solve::meta::{Evaluator, Genetic};
use hetsched::{Instance, SolveOptions};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

fn ga() -> Genetic {
    Genetic {
        max_generations: 20,
        stagnation: usize::MAX,
        exact_step: false,
        ..Genetic::default()
    }
}

fn bench_ga_threads(c: &mut Criterion) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("instances/braun-512x16/u_i_hihi.0");
    let inst = Instance::new(hetsched::io::etc::read(&path, None).unwrap()).unwrap();
    let ev = Evaluator::new(&inst);
    let mut g = c.benchmark_group("ga/20-generations/u_i_hihi.0");
    g.sample_size(10);
    for threads in [1usize, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let opts = SolveOptions::default();
        let started = Instant::now();
        let (_, _, evals, _) = pool.install(|| ga().run(&ev, 1, &opts, Instant::now()));
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "threads {threads}: {evals} evaluations in {secs:.3} s = {:.0} evaluations/s",
            evals as f64 / secs
        );
        g.bench_function(format!("threads{threads}"), |b| {
            b.iter(|| black_box(pool.install(|| ga().run(&ev, 1, &opts, Instant::now()))))
        });
    }
    g.finish();
}

/// One GA generation on Braun 512×16: runs of 1 and of 11 generations (same seed; both include
/// the greedy seeding and the initial population), so one generation costs (t₁₁ − t₁) / 10.
fn bench_ga_generation(c: &mut Criterion) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("instances/braun-512x16/u_i_hihi.0");
    let inst = Instance::new(hetsched::io::etc::read(&path, None).unwrap()).unwrap();
    let ev = Evaluator::new(&inst);
    let opts = SolveOptions::default();
    let mut g = c.benchmark_group("ga/generations/u_i_hihi.0");
    g.sample_size(10);
    for generations in [1usize, 11] {
        let ga = Genetic {
            max_generations: generations,
            ..ga()
        };
        g.bench_function(format!("{generations}"), |b| {
            b.iter(|| black_box(ga.run(&ev, 1, &opts, Instant::now())))
        });
    }
    g.finish();
}

criterion_group!(benches, bench_ga_threads, bench_ga_generation);
criterion_main!(benches);
