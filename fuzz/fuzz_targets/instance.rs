//! Instance files, JSON (even first byte) or TOML (odd): parse and validate; an accepted
//! instance written back as JSON must read back and validate the same way.
#![no_main]

#[path = "../common/mod.rs"]
mod common;

use hetsched::Instance;
use hetsched::io::{InstanceFormat, instance_to_json, parse_instance_data};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((selector, text)) = common::split(data) else {
        return;
    };
    let format = if selector % 2 == 0 {
        InstanceFormat::Json
    } else {
        InstanceFormat::Toml
    };
    let Ok(parsed) = parse_instance_data(text, format, common::origin()) else {
        return;
    };
    let valid = Instance::new(parsed.clone()).is_ok();
    let written = instance_to_json(&parsed);
    let again = parse_instance_data(&written, InstanceFormat::Json, common::origin())
        .unwrap_or_else(|e| panic!("an accepted instance does not read back: {e}\n{written}"));
    assert_eq!(
        Instance::new(again).is_ok(),
        valid,
        "validation differs after writing the instance back:\n{written}"
    );
});
