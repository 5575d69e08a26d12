//! OR-Library files: generalized assignment (first byte 0: maximize, 1: minimize) and weighted
//! tardiness (otherwise, with the first byte as the job count).
#![no_main]

#[path = "../common/mod.rs"]
mod common;

use hetsched::io::{orlib_gap, orlib_wt};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((selector, text)) = common::split(data) else {
        return;
    };
    let parsed = match selector {
        0 => orlib_gap::parse(text, orlib_gap::Sense::Maximize, "fuzz-input").ok(),
        1 => orlib_gap::parse(text, orlib_gap::Sense::Minimize, "fuzz-input").ok(),
        n => orlib_wt::parse(text, n as usize, common::origin()).ok(),
    };
    for instance in parsed.into_iter().flatten().take(4) {
        common::validate_and_plan(instance);
    }
});
