//! PSPLIB single-mode RCPSP files (`.sm`).
#![no_main]

#[path = "../common/mod.rs"]
mod common;

use hetsched::io::psplib;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(parsed) = psplib::parse(text, common::origin()) {
        common::validate_and_plan(parsed);
    }
});
