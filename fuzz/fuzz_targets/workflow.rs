//! Workflows: Pegasus DAX (first byte 0), WfCommons JSON (1) or STG task graphs (otherwise, on
//! 2–9 processors), mapped onto the default platform.
#![no_main]

#[path = "../common/mod.rs"]
mod common;

use hetsched::io::workflow::{self, Platform};
use hetsched::io::{dax, stg, wfcommons};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((selector, text)) = common::split(data) else {
        return;
    };
    let origin = common::origin();
    let parsed = match selector {
        0 | 1 => {
            let read = if selector == 0 {
                dax::parse(text, origin)
            } else {
                wfcommons::parse(text, origin)
            };
            let Ok(wf) = read else {
                return;
            };
            workflow::to_instance(&wf, &Platform::default_set(), "fuzz-input")
        }
        n => stg::parse(text, origin, 2 + n as usize % 8),
    };
    if let Ok(parsed) = parsed {
        common::validate_and_plan(parsed);
    }
});
