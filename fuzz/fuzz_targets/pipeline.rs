//! The whole path of `hetsched solve`: read an instance (JSON), validate it, plan it with
//! best-greedy, check the schedule independently and compare the reported value.
#![no_main]

#[path = "../common/mod.rs"]
mod common;

use hetsched::io::{InstanceFormat, parse_instance_data};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(parsed) = parse_instance_data(text, InstanceFormat::Json, common::origin()) {
        common::validate_and_plan(parsed);
    }
});
