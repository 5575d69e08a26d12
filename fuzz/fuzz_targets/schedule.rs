//! Schedule files, resolved against the bundled example instance and checked.
#![no_main]

#[path = "../common/mod.rs"]
mod common;

use hetsched::Instance;
use hetsched::io::{InstanceFormat, ScheduleFile, parse_instance_data};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const EXAMPLE: &str = include_str!("../../instances/examples/ai-cluster.json");

fn example() -> &'static Instance {
    static INSTANCE: OnceLock<Instance> = OnceLock::new();
    INSTANCE.get_or_init(|| {
        let data = parse_instance_data(EXAMPLE, InstanceFormat::Json, common::origin())
            .expect("the example reads");
        Instance::new(data).expect("the example is valid")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(file) = ScheduleFile::parse(text, common::origin()) else {
        return;
    };
    let instance = example();
    let (schedule, _unknown) = file.to_schedule(instance);
    let _ = hetsched::schedule::check(instance, &schedule);
    let _ = hetsched::schedule::evaluate(instance, &schedule);
});
