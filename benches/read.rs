//! Benchmarks of reading a large instance: JSON text → [`InstanceData`] (serde) → validated
//! [`Instance`] (dense tables), the part of a whole `hetsched solve` run that dominates on big
//! files.
//!
//! Groups:
//! - `read/5000x64`: the file `hetsched generate --family etc --tasks 5000 --devices 64
//!   --seed 1` writes (explicit `times` for every task on every device, 8.6 MB of pretty JSON);
//!   `parse` is the serde step, `validate` builds the instance from parsed data, `both` is
//!   [`hetsched::io::parse_instance_data`] then [`Instance::new`], what `read_instance` does
//!   after reading the file.
//!
//! Run with `cargo bench --bench read`.

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use hetsched::generate::{Family, GeneratorParams, generate};
use hetsched::io::{InstanceFormat, instance_to_json, parse_instance_data};
use hetsched::{Instance, InstanceData};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

fn read_5000x64(c: &mut Criterion) {
    let data = generate(&GeneratorParams::new(Family::Etc, 5000, 64), 1).expect("valid");
    let text = instance_to_json(&data);
    let origin = Path::new("etc-5000x64.json");
    let parse = || parse_instance_data(&text, InstanceFormat::Json, origin).expect("parses");
    let mut group = c.benchmark_group("read/5000x64");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .measurement_time(Duration::from_secs(8));
    group.bench_function("parse", |b| b.iter(|| black_box(parse())));
    let parsed: InstanceData = parse();
    group.bench_function("validate", |b| {
        b.iter_batched(
            || parsed.clone(),
            |d| black_box(Instance::new(d).expect("valid")),
            criterion::BatchSize::LargeInput,
        )
    });
    group.bench_function("both", |b| {
        b.iter(|| black_box(Instance::new(parse()).expect("valid")))
    });
    group.finish();
}

criterion_group!(benches, read_5000x64);
criterion_main!(benches);
