//! Gavel files: a job trace (even first byte), converted on a small cluster with the bundled
//! throughputs, or a throughputs table (odd), used to convert a bundled trace.
#![no_main]

#[path = "../common/mod.rs"]
mod common;

use hetsched::io::gavel;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

const THROUGHPUTS: &str = include_str!("../data/throughputs.json");
const TRACE: &str = include_str!("../data/small.trace");

fuzz_target!(|data: &[u8]| {
    let Some((selector, text)) = common::split(data) else {
        return;
    };
    let origin = common::origin();
    let (jobs, tp) = if selector % 2 == 0 {
        let Ok(jobs) = gavel::parse_trace(text, origin) else {
            return;
        };
        let tp = gavel::parse_throughputs(THROUGHPUTS, Path::new("throughputs.json"))
            .expect("the bundled throughputs read");
        (jobs, tp)
    } else {
        let Ok(tp) = gavel::parse_throughputs(text, origin) else {
            return;
        };
        let jobs =
            gavel::parse_trace(TRACE, Path::new("small.trace")).expect("the bundled trace reads");
        (jobs, tp)
    };
    let cluster = gavel::Cluster::uniform(&tp.gpu_types(), 2, 2);
    if let Ok(parsed) = gavel::convert(&jobs, origin, &tp, &cluster) {
        common::validate_and_plan(parsed);
    }
});
