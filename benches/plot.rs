//! Benchmark of the Gantt chart: 5000 tasks on 64 devices, SVG and HTML, with precedence
//! arrows (the issue asks for under a second).
//!
//! Instance: `generate --family ai-cluster --tasks 5000 --devices 64 --seed 1` (2000
//! precedence edges), planned by `lpt`; the chart is drawn from the schedule.
//!
//! Run with `cargo bench --bench plot`.

use criterion::{Criterion, criterion_group, criterion_main};
use hetsched::generate::{Family, GeneratorParams, generate};
use hetsched::plot::{self, GanttOptions};
use hetsched::{Instance, SolveOptions};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let params = GeneratorParams::new(Family::AiCluster, 5000, 64);
    let inst = Instance::new(generate(&params, 1).expect("generated")).expect("valid");
    let report = hetsched::solve::by_name("lpt")
        .expect("lpt")
        .solve(&inst, &SolveOptions::default())
        .expect("solved");
    let schedule = report.schedule.expect("a schedule");
    let options = GanttOptions {
        arrows: true,
        ..GanttOptions::default()
    };
    let mut group = c.benchmark_group("gantt");
    group.sample_size(20);
    group.bench_function("svg/5000x64", |b| {
        b.iter(|| black_box(plot::gantt_svg(&inst, &schedule, &options).expect("drawn")))
    });
    group.bench_function("html/5000x64", |b| {
        b.iter(|| black_box(plot::gantt_html(&inst, &schedule, &options).expect("drawn")))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
