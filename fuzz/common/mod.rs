//! What every fuzz target does with what a reader accepted: validate it and, when it is a
//! small valid instance, plan it with best-greedy and check the schedule independently.
//!
//! A target fails (libFuzzer reports a crash) on a panic anywhere in hetsched, on a schedule the
//! checker rejects, or on a reported value that differs from the recomputed one.

#![allow(dead_code)] // each target uses part of it

use hetsched::solve::greedy::BestGreedy;
use hetsched::{Instance, InstanceData, SolveOptions, Solver};
use std::path::Path;

/// Instances with more task–device pairs than this are validated but not planned (the fuzzer
/// looks for crashes in the readers and the builder, not for slow inputs).
pub const MAX_PLANNED_CELLS: usize = 20_000;

/// The name the targets give their input in errors.
pub fn origin() -> &'static Path {
    Path::new("fuzz-input")
}

/// The first byte picks a variant of the reader (format, option); the rest is the text.
/// `None` for an empty input or text that is not UTF-8 (every reader takes `&str`).
pub fn split(data: &[u8]) -> Option<(u8, &str)> {
    let (&selector, rest) = data.split_first()?;
    Some((selector, std::str::from_utf8(rest).ok()?))
}

/// Validate `data` and, when valid, plan and check it.
pub fn validate_and_plan(data: InstanceData) {
    if let Ok(instance) = Instance::new(data) {
        plan_and_check(&instance);
    }
}

/// Plan `instance` with best-greedy (when small enough) and assert that the schedule passes the
/// checker and that the reported value is the recomputed one.
pub fn plan_and_check(instance: &Instance) {
    if instance.num_tasks().saturating_mul(instance.num_devices()) > MAX_PLANNED_CELLS {
        return;
    }
    let Ok(report) = BestGreedy.solve(instance, &SolveOptions::default()) else {
        return;
    };
    let Some(schedule) = &report.schedule else {
        return;
    };
    let violations = hetsched::schedule::check(instance, schedule);
    assert!(
        violations.is_empty(),
        "best-greedy's schedule fails the checker: {violations:?}"
    );
    if let Some(value) = report.value {
        let again = schedule.value(instance);
        assert!(
            value == again || (value - again).abs() <= 1e-6 * again.abs().max(1.0),
            "best-greedy reported {value}, the schedule's value is {again}"
        );
    }
}
