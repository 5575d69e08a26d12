//! Braun ETC matrices: the first byte gives the machine count (0: guessed from the text).
#![no_main]

#[path = "../common/mod.rs"]
mod common;

use hetsched::io::etc;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((selector, text)) = common::split(data) else {
        return;
    };
    let machines = (selector != 0).then_some(selector as usize % 64);
    if let Ok(parsed) = etc::parse(text, machines, "fuzz-input") {
        common::validate_and_plan(parsed);
    }
});
